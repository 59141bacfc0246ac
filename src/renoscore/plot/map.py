"""A map of communities drawn offline: projected coordinates, no tile server.

Communities are placed by their ``lat``/``lon`` context columns on the local equirectangular
plane (:mod:`renoscore.programme.geo`), coloured by overall score (a colour bar) or grade
(the grade colours of :func:`~renoscore.plot.grade_colors`). Around a chosen community the
15-minute life circle's radii (300 / 500 / 1,000 m, after GB 50180-2018's 5-, 10- and
15-minute circles) are drawn with the service points inside them and a line to the nearest
service of each kind; optional GeoJSON boundaries are drawn underneath. The report embeds
it as SVG with text kept as text, so Chinese labels render in any browser.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import renoscore as rs
>>> from renoscore.programme.geo import example_services
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ax = community_map(r, focus="LY", services=example_services(), lang="zh")
>>> ax.get_title()
'小区分布 — 改造前现状评估 (t0)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot._common import finished, grade_colors, new_axes, phase_order, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from renoscore.programme.geo import Boundary
    from renoscore.result import EvaluationResult

__all__ = ["LIFE_CIRCLE_RADII", "community_map"]

#: Radii (m) of the 5-, 10- and 15-minute life circles drawn around the chosen community.
LIFE_CIRCLE_RADII: tuple[int, ...] = (300, 500, 1000)


def _coords(result: EvaluationResult, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    missing = [c for c in ("lat", "lon") if c not in result.context]
    if missing:
        raise OptionError(
            "a map needs coordinates",
            [
                Problem(
                    f"no context column {c!r}", column=c, fix="add lat and lon (WGS 84) to the data"
                )
                for c in missing
            ],
        )

    def col(name: str) -> np.ndarray:
        out = np.full(rows.size, np.nan)
        for k, r in enumerate(rows.tolist()):
            try:
                out[k] = float(result.context[name][r])
            except (TypeError, ValueError):
                continue
        return out

    return col("lat"), col("lon")


def community_map(
    result: EvaluationResult,
    phase: str | None = "auto",
    ax: Axes | None = None,
    *,
    color_by: Literal["score", "grade"] = "grade",
    focus: str | None = None,
    radii: Sequence[float] = LIFE_CIRCLE_RADII,
    services: Sequence[dict[str, Any]] | None = None,
    boundaries: Sequence[Boundary] | None = None,
    labels: bool = True,
    lang: str = "en",
) -> Axes:
    """Draw the communities of one phase on a local plane (metres about their centre).

    Parameters
    ----------
    result : EvaluationResult
        With ``lat`` and ``lon`` context columns.
    phase : str, None or "auto"
        Default: the first phase present.
    ax : matplotlib Axes, optional
    color_by : {"grade", "score"}
    focus : str, optional
        A community to draw the life-circle radii around (and its nearest services).
    radii : sequence of float
        The radii in metres.
    services : list of dict, optional
        Service points (``service``, ``name``, ``lat``, ``lon``; see
        :func:`renoscore.programme.geo.read_points`).
    boundaries : list of Boundary, optional
        Polygons from :func:`renoscore.programme.geo.read_boundaries`.
    labels : bool
        Write each community's id beside it.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib Axes
    """
    from renoscore.programme.geo import centre, local_xy

    if phase == "auto":
        phase = phase_order(result)[0]
    rows = np.flatnonzero(np.array(result.phases, dtype=object) == phase)
    lat, lon = _coords(result, rows)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    rows, lat, lon = rows[ok], lat[ok], lon[ok]
    if not rows.size:
        raise OptionError(
            "no community to map", [Problem("no coordinates in this phase", value=phase)]
        )
    plane = _Plane(*centre(lat, lon))
    x, y = local_xy(lat, lon, plane.lat0, plane.lon0)
    if ax is None:
        ax = new_axes(size=(6.8, 6.0))
    _boundaries(ax, boundaries or (), plane)
    _communities(ax, result, rows, x, y, color_by, lang)
    if labels:
        for k, r in enumerate(rows.tolist()):
            ax.annotate(
                str(result.ids[r]),
                (x[k], y[k]),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=6.5,
                color="0.25",
                zorder=4,
            )
    if focus is not None:
        hits = [k for k, r in enumerate(rows.tolist()) if result.ids[r] == focus]
        if not hits:
            raise OptionError(
                "no such community on the map",
                [
                    Problem(
                        "unknown community", value=focus, fix="pass the id of a mapped community"
                    )
                ],
            )
        centre_xy = (float(x[hits[0]]), float(y[hits[0]]))
        _life_circles(ax, centre_xy, radii, services or (), plane, lang)
    elif services:
        _service_points(ax, services, plane, lang)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(word(lang, "east"))
    ax.set_ylabel(word(lang, "north"))
    title = word(lang, "map")
    for ph in result.system.phases:
        if ph.id == phase:
            title += f" — {ph.name.get(lang)} ({phase})"
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return finished(ax)


@dataclass(frozen=True)
class _Plane:
    """The centre of the local plane the map is drawn on."""

    lat0: float
    lon0: float

    def xy(self, lat: Any, lon: Any) -> tuple[np.ndarray, np.ndarray]:
        from renoscore.programme.geo import local_xy

        return local_xy(np.asarray(lat, float), np.asarray(lon, float), self.lat0, self.lon0)


def _boundaries(ax: Any, boundaries: Sequence[Boundary], plane: _Plane) -> None:
    """The boundary polygons underneath, each named at its centroid."""
    for b in boundaries:
        for ring in b.rings:
            bx, by = plane.xy(ring[:, 1], ring[:, 0])
            ax.fill(bx, by, facecolor="0.96", edgecolor="0.55", linewidth=0.8, zorder=0)
            ax.text(
                float(np.mean(bx)),
                float(np.mean(by)),
                b.name,
                fontsize=7,
                color="0.45",
                ha="center",
                zorder=0,
            )


def _communities(
    ax: Any,
    result: EvaluationResult,
    rows: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    color_by: str,
    lang: str,
) -> None:
    """The communities as points coloured by overall score (with a colour bar) or by grade."""
    style = {"s": 46, "edgecolors": "0.2", "linewidths": 0.5, "zorder": 3}
    if color_by == "score":
        sc = ax.scatter(x, y, c=result.overall[rows], cmap="RdYlGn", vmin=0, vmax=100, **style)
        ax.figure.colorbar(sc, ax=ax, shrink=0.7, label=word(lang, "score"))
        return
    palette = grade_colors(len(result.system.grades))
    g = result.grades[rows, 0]
    for k, band in enumerate(result.system.grades):
        sel = g == k
        if sel.any():
            ax.scatter(x[sel], y[sel], color=palette[k], label=band.name.get(lang), **style)
    if (g < 0).any():
        ax.scatter(x[g < 0], y[g < 0], color="0.7", label=word(lang, "not_scored"), **style)


def _service_points(
    ax: Any, services: Sequence[dict[str, Any]], plane: _Plane, lang: str
) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    """Service points by kind (one marker each); their places and names by kind."""
    from renoscore._vocabulary import SERVICE, lang_of

    kinds: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    markers = ["s", "^", "D", "v", "P", "X"]
    for k, kind in enumerate(sorted({s["service"] for s in services})):
        pts = [s for s in services if s["service"] == kind]
        sx, sy = plane.xy([p["lat"] for p in pts], [p["lon"] for p in pts])
        ax.scatter(
            sx,
            sy,
            marker=markers[k % len(markers)],
            s=22,
            color="#1d6fa3",
            alpha=0.75,
            zorder=2,
            label=SERVICE[lang_of(lang)].get(kind, kind),
        )
        kinds[kind] = (sx, sy, [p["name"] for p in pts])
    return kinds


def _life_circles(
    ax: Any,
    centre_xy: tuple[float, float],
    radii: Sequence[float],
    services: Sequence[dict[str, Any]],
    plane: _Plane,
    lang: str,
) -> None:
    """The life-circle radii around one community and a line to the nearest service of each
    kind, labelled with its distance."""
    from renoscore.programme.geo import nearest

    mpl = import_optional("matplotlib", "maps")
    fx, fy = centre_xy
    for k, radius in enumerate(sorted(radii)):
        circle = mpl.patches.Circle(
            (fx, fy),
            radius,
            fill=False,
            linestyle=("-", "--", ":")[k % 3],
            edgecolor="#444",
            linewidth=1.0,
            zorder=1,
            label=word(lang, "life_circle").format(m=int(radius)),
        )
        ax.add_patch(circle)
    kinds = _service_points(ax, services, plane, lang) if services else {}
    for sx, sy, names in kinds.values():
        idx, dist = nearest(np.array([fx]), np.array([fy]), sx, sy)
        j = int(idx[0])
        ax.plot([fx, sx[j]], [fy, sy[j]], color="#1d6fa3", linewidth=0.8, zorder=2)
        ax.annotate(
            word(lang, "distance").format(name=names[j], m=float(dist[0])),
            (sx[j], sy[j]),
            xytext=(3, -9),
            textcoords="offset points",
            fontsize=6.5,
            color="#1d6fa3",
        )
    reach = max(radii) if radii else 1000.0
    ax.set_xlim(min(ax.get_xlim()[0], fx - reach), max(ax.get_xlim()[1], fx + reach))
    ax.set_ylim(min(ax.get_ylim()[0], fy - reach), max(ax.get_ylim()[1], fy + reach))
