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
'小区分布 — 改造前 (t0)'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot._common import finished, new_axes, word

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
    from renoscore.plot.results import grade_colors
    from renoscore.programme.geo import centre, local_xy, nearest
    from renoscore.programme.items import default_phase

    mpl = import_optional("matplotlib", "maps")
    if phase == "auto":
        phase = default_phase(result)
    rows = np.flatnonzero(np.array(result.phases, dtype=object) == phase)
    lat, lon = _coords(result, rows)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    rows, lat, lon = rows[ok], lat[ok], lon[ok]
    if not rows.size:
        raise OptionError(
            "no community to map", [Problem("no coordinates in this phase", value=phase)]
        )
    lat0, lon0 = centre(lat, lon)
    x, y = local_xy(lat, lon, lat0, lon0)
    if ax is None:
        ax = new_axes(size=(6.8, 6.0))
    for b in boundaries or ():
        for ring in b.rings:
            bx, by = local_xy(ring[:, 1], ring[:, 0], lat0, lon0)
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
    scores = result.overall[rows]
    if color_by == "score":
        sc = ax.scatter(
            x,
            y,
            c=scores,
            cmap="RdYlGn",
            vmin=0,
            vmax=100,
            s=46,
            edgecolors="0.2",
            linewidths=0.5,
            zorder=3,
        )
        ax.figure.colorbar(sc, ax=ax, shrink=0.7, label=word(lang, "score"))
    else:
        palette = grade_colors(len(result.system.grades))
        g = result.grades[rows, 0]
        for k, band in enumerate(result.system.grades):
            sel = g == k
            if sel.any():
                ax.scatter(
                    x[sel],
                    y[sel],
                    color=palette[k],
                    s=46,
                    edgecolors="0.2",
                    linewidths=0.5,
                    zorder=3,
                    label=band.name.get(lang),
                )
        if (g < 0).any():
            ax.scatter(
                x[g < 0], y[g < 0], color="0.7", s=46, zorder=3, label=word(lang, "not_scored")
            )
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
        _life_circles(
            ax,
            result,
            rows,
            x,
            y,
            focus,
            radii,
            services or (),
            lat0,
            lon0,
            lang,
            mpl,
            nearest,
            local_xy,
        )
    elif services:
        _service_points(ax, services, lat0, lon0, local_xy, lang)
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


def _service_points(
    ax: Any, services: Sequence[dict[str, Any]], lat0: float, lon0: float, local_xy: Any, lang: str
) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    from renoscore.programme._words import SERVICE

    kinds: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    markers = ["s", "^", "D", "v", "P", "X"]
    for k, kind in enumerate(sorted({s["service"] for s in services})):
        pts = [s for s in services if s["service"] == kind]
        sx, sy = local_xy(
            np.array([p["lat"] for p in pts]), np.array([p["lon"] for p in pts]), lat0, lon0
        )
        ax.scatter(
            sx,
            sy,
            marker=markers[k % len(markers)],
            s=22,
            color="#1d6fa3",
            alpha=0.75,
            zorder=2,
            label=SERVICE["zh" if lang == "zh" else "en"].get(kind, kind),
        )
        kinds[kind] = (sx, sy, [p["name"] for p in pts])
    return kinds


def _life_circles(
    ax: Any,
    result: Any,
    rows: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    focus: str,
    radii: Sequence[float],
    services: Sequence[dict[str, Any]],
    lat0: float,
    lon0: float,
    lang: str,
    mpl: Any,
    nearest: Any,
    local_xy: Any,
) -> None:
    hits = [k for k, r in enumerate(rows.tolist()) if result.ids[r] == focus]
    if not hits:
        raise OptionError(
            "no such community on the map",
            [Problem("unknown community", value=focus, fix="pass the id of a mapped community")],
        )
    fx, fy = float(x[hits[0]]), float(y[hits[0]])
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
    kinds = _service_points(ax, services, lat0, lon0, local_xy, lang) if services else {}
    for sx, sy, names in kinds.values():
        idx, dist = nearest(np.array([fx]), np.array([fy]), sx, sy)
        j = int(idx[0])
        ax.plot([fx, sx[j]], [fy, sy[j]], color="#1d6fa3", linewidth=0.8, zorder=2)
        ax.annotate(
            f"{names[j]} {dist[0]:,.0f} m",
            (sx[j], sy[j]),
            xytext=(3, -9),
            textcoords="offset points",
            fontsize=6.5,
            color="#1d6fa3",
        )
    reach = max(radii) if radii else 1000.0
    ax.set_xlim(min(ax.get_xlim()[0], fx - reach), max(ax.get_xlim()[1], fx + reach))
    ax.set_ylim(min(ax.get_ylim()[0], fy - reach), max(ax.get_ylim()[1], fy + reach))
