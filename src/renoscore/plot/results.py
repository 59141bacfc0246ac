"""Charts of an evaluation result: radar, ranking, grade distribution and map (``result.plot``).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.plot import ResultPlots
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ResultPlots(result).grade_distribution(lang="zh").get_title()
'等级分布'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot._common import (
    finished,
    grade_colors,
    new_axes,
    phase_order,
    polar_axes,
    word,
    wrap_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from renoscore.result import EvaluationResult

__all__ = ["ResultPlots", "grade_colors"]


class ResultPlots:
    """Charts of an :class:`~renoscore.EvaluationResult` (``result.plot``).

    Parameters
    ----------
    result : EvaluationResult
        The result to draw; ``result.plot`` is ``ResultPlots(result)``.

    Examples
    --------
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> ax = result.plot.ranking(phase="t0", top=5)
    >>> len(ax.patches)
    5
    """

    def __init__(self, result: EvaluationResult) -> None:
        self._result = result

    def _phase_order(self) -> list[str | None]:
        return phase_order(self._result)

    def _phase_name(self, phase: str | None, lang: str) -> str:
        if phase is None:
            return ""
        for ph in self._result.system.phases:
            if ph.id == phase:
                return ph.name.get(lang)
        return phase

    def _default_phase(self, phase: str | None) -> str | None:
        phases = self._phase_order()
        if phase is None:
            return phases[0] if phases else None
        if phase not in phases:
            raise OptionError(
                f"no rows in phase {phase!r}",
                [Problem("unknown phase", value=phase, fix=f"use one of {phases}")],
            )
        return phase

    def radar(
        self,
        community: str,
        phase: str | None = None,
        ax: Axes | None = None,
        *,
        nodes: Sequence[str] | None = None,
        lang: str = "en",
    ) -> Axes:
        """Radar chart of a community's dimension scores (0-100), one polygon per phase.

        Parameters
        ----------
        community : str
            Community id.
        phase : str, optional
            Draw only this phase; by default every phase of the community with at least three
            spokes measured, in the system's phase order (e.g. before and after renovation on
            one chart).
        ax : matplotlib Axes, optional
            A polar Axes (``fig.add_subplot(projection="polar")``) to draw on.
        nodes : sequence of str, optional
            The spokes: group or indicator ids (default: the system's dimensions).
        lang : {"en", "zh"}
            Label language.

        Returns
        -------
        matplotlib Axes
            The polar Axes drawn on.

        Raises
        ------
        OptionError
            Unknown community or phase, or ``ax`` is not polar.

        Examples
        --------
        >>> import renoscore as rs
        >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> len(r.plot.radar("LY", phase="t0").get_lines())
        1
        """
        res = self._result
        rows = [
            r
            for r, (i, p) in enumerate(zip(res.ids, res.phases, strict=True))
            if i == community and (phase is None or p == phase)
        ]
        if not rows:
            res.row(community, phase)  # raises, with a suggestion
        order = {p: k for k, p in enumerate(self._phase_order())}
        rows.sort(key=lambda r: order[res.phases[r]])
        spokes = list(nodes) if nodes is not None else [d.id for d in res.system.dimensions]
        if len(spokes) < 3:
            raise OptionError(
                "a radar chart needs at least three spokes",
                [Problem(f"{len(spokes)} node(s) given", fix="pass three or more node ids")],
            )
        values = np.column_stack([res.scores(n)[rows] for n in spokes])
        if phase is None and len(rows) > 1:
            # A phase that measures fewer than three spokes (e.g. mid-works, participation
            # only) is no polygon; it is left out unless asked for by name.
            keep = (~np.isnan(values)).sum(axis=1) >= 3
            if keep.any():
                rows = [r for r, k in zip(rows, keep.tolist(), strict=True) if k]
                values = values[keep]
        ax = polar_axes(ax, (5.5, 4.6), "radar")
        angles = np.linspace(0.0, 2.0 * np.pi, len(spokes), endpoint=False)
        closed = np.append(angles, angles[0])
        colors = import_optional("matplotlib", "charts").colormaps["tab10"].colors
        for k, r in enumerate(rows):
            v = np.append(values[k], values[k, 0])
            label = self._phase_name(res.phases[r], lang) or community
            color = colors[k % len(colors)]
            ax.plot(closed, v, marker="o", linewidth=1.8, color=color, label=label)
            if not np.isnan(v).any():
                ax.fill(closed, v, color=color, alpha=0.12)
        ax.set_theta_offset(np.pi / 2.0)  # type: ignore[attr-defined]
        ax.set_theta_direction(-1)  # type: ignore[attr-defined]
        ax.set_xticks(angles, [wrap_label(res.system.node(n).name.get(lang), 14) for n in spokes])
        ax.set_ylim(0.0, 100.0)
        ax.set_yticks([20.0, 40.0, 60.0, 80.0, 100.0], ["20", "40", "60", "80", "100"])
        ax.tick_params(axis="y", labelsize=7, colors="0.4")
        name = res.context.get("name")
        title = community
        if name is not None:
            title += f"  {name[rows[0]]}"
        if len(rows) == 1 and res.phases[rows[0]] is not None:
            title += f" ({self._phase_name(res.phases[rows[0]], lang)})"
        ax.set_title(title, pad=18)
        if len(rows) > 1:
            ax.legend(loc="upper right", bbox_to_anchor=(1.35, 1.12), fontsize=8, frameon=False)
        return finished(ax)

    def ranking(
        self,
        phase: str | None = None,
        ax: Axes | None = None,
        *,
        top: int | None = 30,
        node: str | None = None,
        lang: str = "en",
    ) -> Axes:
        """Horizontal bars of the scores in rank order, coloured by grade, with the grade bands.

        Parameters
        ----------
        phase : str, optional
            The phase to rank (ranks are within a phase); default the first phase present in
            the system's phase order.
        ax : matplotlib Axes, optional
        top : int or None
            How many communities to show (None: all scored ones).
        node : str, optional
            A group id to rank on (default: the goal).
        lang : {"en", "zh"}

        Returns
        -------
        matplotlib Axes
        """
        res = self._result
        phase = self._default_phase(phase)
        col = 0 if node is None else res.group_ids.index(res.system.node(node).id)
        rows = np.array([r for r, p in enumerate(res.phases) if p == phase], dtype=np.intp)
        scores = res.group_scores[rows, col]
        ranks = res.ranks[rows, col]
        keep = ~np.isnan(scores)
        rows, scores, ranks = rows[keep], scores[keep], ranks[keep]
        order = np.lexsort((np.array([res.ids[r] for r in rows]), ranks))
        if top is not None:
            order = order[:top]
        rows, scores, ranks = rows[order], scores[order], ranks[order]
        grades = res.grades[rows, col]
        palette = grade_colors(len(res.system.grades))
        if ax is None:
            ax = new_axes(size=(6.4, 0.8 + 0.24 * max(len(rows), 3)))
        y = np.arange(len(rows))
        ax.barh(y, scores, color=[palette[g] if g >= 0 else "0.7" for g in grades], height=0.75)
        ax.set_yticks(y, [f"{rk:.0f}. {res.ids[r]}" for rk, r in zip(ranks, rows, strict=True)])
        ax.tick_params(axis="y", labelsize=8 if len(rows) <= 40 else 6)
        ax.invert_yaxis()
        ax.set_xlim(0.0, 100.0)
        ax.set_xlabel(word(lang, "score"))
        for band, color in zip(res.system.grades, palette, strict=True):
            if band.min > 0:
                ax.axvline(band.min, color=color, linestyle="--", linewidth=1)
                ax.text(
                    band.min,
                    1.0,
                    f" {band.name.get(lang)} ≥{band.min:g}",
                    transform=ax.get_xaxis_transform(),
                    fontsize=7,
                    va="bottom",
                    rotation=0,
                    color="0.25",
                )
        ax.set_title(
            f"{word(lang, 'ranking')} — {self._phase_name(phase, lang)}".rstrip(" —"), pad=14
        )
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return finished(ax)

    def grade_distribution(
        self, phase: str | None = None, ax: Axes | None = None, *, lang: str = "en"
    ) -> Axes:
        """Bars of how many communities got each grade, one bar per phase within a grade.

        Parameters
        ----------
        phase : str, optional
            Only this phase (default: every phase present).
        ax : matplotlib Axes, optional
        lang : {"en", "zh"}

        Returns
        -------
        matplotlib Axes
        """
        res = self._result
        phases = [self._default_phase(phase)] if phase is not None else self._phase_order()
        counts = self.grade_counts(phases)
        labels = [g.name.get(lang) for g in res.system.grades] + [word(lang, "not_scored")]
        if ax is None:
            ax = new_axes(size=(6.0, 3.4))
        x = np.arange(len(labels), dtype=np.float64)
        width = 0.8 / max(len(phases), 1)
        colors = import_optional("matplotlib", "charts").colormaps["tab10"].colors
        for k, (p, row) in enumerate(zip(phases, counts, strict=True)):
            pos = x - 0.4 + width * (k + 0.5)
            bars = ax.bar(
                pos,
                row,
                width=width * 0.95,
                color=colors[k % len(colors)],
                label=self._phase_name(p, lang) or word(lang, "all"),
            )
            ax.bar_label(bars, fontsize=7, padding=1)
        ax.set_xticks(x, labels)
        ax.set_ylabel(word(lang, "communities"))
        ax.set_title(word(lang, "grades"))
        if len(phases) > 1:
            ax.legend(fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return finished(ax)

    def map(self, phase: str | None = "auto", ax: Axes | None = None, **options: Any) -> Axes:
        """A map of the communities (see :func:`renoscore.plot.map.community_map`).

        Examples
        --------
        >>> import renoscore as rs
        >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> len(r.plot.map(focus="LY").patches)  # the three life-circle radii
        3
        """
        from renoscore.plot.map import community_map

        return community_map(self._result, phase, ax, **options)

    def grade_counts(self, phases: Sequence[str | None]) -> NDArray[np.int64]:
        """Counts of rows per phase (rows) and grade (columns, best first, then not scored).

        Examples
        --------
        >>> import renoscore as rs
        >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> int(r.plot.grade_counts(["t0"]).sum()) == r.phases.count("t0")
        True
        """
        res = self._result
        n = len(res.system.grades)
        g = res.grades[:, 0]
        phase_arr = np.array(res.phases, dtype=object)
        out = np.zeros((len(phases), n + 1), dtype=np.int64)
        for k, p in enumerate(phases):
            sel = g[phase_arr == p]
            out[k] = np.bincount(np.where(sel < 0, n, sel), minlength=n + 1)
        return out
