"""What every section of the report reads: the result, the options and the shared helpers.

A :class:`ReportContext` is made once per report; each section is a function of it that
returns its blocks (:mod:`renoscore._document`). Charts are drawn through it, so that a missing
CJK font is noted once for the whole report instead of warned once per chart.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from renoscore._document import Figure
from renoscore._optional import import_optional
from renoscore.errors import MissingFontWarning
from renoscore.report._words import METHOD_NAMES, WORDS, Lang

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult

__all__ = ["ReportContext"]

T = TypeVar("T")


class ReportContext:
    """The result a report is about, the report's options, and what its sections share.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
    comparison : PhaseComparison or None
        The phase comparison to show, if any.
    charts : bool
        Draw charts (checks that matplotlib is installed). :func:`build_report` draws them by
        default; a context made on its own (to look at one section) leaves them out.
    max_scorecards : int or None
    fix_first_top : int
    command : str or None
        The command line that made the report.
    uncertainty : UncertaintyResult, optional
    audit : AuditResult, optional
    plan : ProgrammePlan, optional
        A budgeted plan of the same evaluation (adds its section).
    projects : tuple of (list of Project, date), optional
        The project table and the day progress is measured on (adds the progress table).
    services : list of dict, optional
        Service points drawn on the map.
    map_focus : str, optional
        The community the map's life circles are drawn around.

    Examples
    --------
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> ctx = ReportContext(result, "zh")
    >>> ctx.phases, ctx.phase_name("t1"), ctx.grade_name(0), ctx.t["ranking"]
    (['t0', 't_proc', 't1', 't2'], '改造后一年 (t1)', '优秀', '排名与等级')
    """

    def __init__(
        self,
        result: EvaluationResult,
        lang: Lang,
        comparison: PhaseComparison | None = None,
        charts: bool = False,
        max_scorecards: int | None = 200,
        fix_first_top: int = 10,
        command: str | None = None,
        uncertainty: Any = None,
        audit: Any = None,
        *,
        plan: Any = None,
        projects: Any = None,
        services: Any = None,
        map_focus: str | None = None,
    ) -> None:
        self.unc = uncertainty
        self.audit = audit
        self.plan = plan
        self.projects = projects
        self.services = services
        self.map_focus = map_focus
        self.effect: Any = None  # the effect of renovation (renoscore.effects), when given
        self.r = result
        self.sys = result.system
        self.lang = lang
        self.t = WORDS[lang]
        self.m = METHOD_NAMES[lang]
        self.cmp = comparison
        self.charts = charts
        self.max_cards = max_scorecards
        self.top = fix_first_top
        self.command = command
        order = {p: k for k, p in enumerate(self.sys.phase_ids)}
        self.phases: list[str | None] = sorted(
            dict.fromkeys(result.phases), key=lambda p: -1 if p is None else order.get(p, 99)
        )
        self.dims = [d.id for d in self.sys.dimensions]
        self.name_col = result.context.get("name")
        self.font_warning = False
        if charts:
            import_optional("matplotlib", "Charts in the report")

    def phase_name(self, p: str | None) -> str:
        """A phase's name with its id, e.g. "before renovation (t0)"."""
        if p is None:
            return "–"
        for ph in self.sys.phases:
            if ph.id == p:
                return f"{ph.name.get(self.lang)} ({p})"
        return p

    def node_name(self, node: str) -> str:
        """A group's or indicator's name in the report's language."""
        try:
            return self.sys.node(node).name.get(self.lang)
        except Exception:  # a node of another version of the system: show its id
            return node

    def grade_name(self, g: int) -> str:
        """The name of grade ``g`` (best first); a negative ``g`` is "not scored"."""
        return self.t["not_scored"] if g < 0 else self.sys.grades[g].name.get(self.lang)

    def method(self, key: str | None) -> str:
        """The readable name of a method or option recorded in the result."""
        if key is None:
            return "–"
        return self.m.get(key, key)

    def code(self, key: str | None) -> str:
        """An option code as recorded (``goalposts``); in Chinese its name with the code after it."""
        if key is None:
            return "–"
        if self.lang != "zh" or key not in self.m:
            return key
        return f"{self.m[key]}（{key}）"

    def plot(self, draw: Callable[[], T]) -> T:
        """Run a drawing call, noting (not repeating) a missing-font warning."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MissingFontWarning)
            drawn = draw()
        if any(issubclass(c.category, MissingFontWarning) for c in caught):
            self.font_warning = True
        return drawn

    def figure(self, key: str, fig: MplFigure, caption: str) -> Figure:
        """The figure as a document figure of inline SVG (text kept as text)."""
        from renoscore.plot.fonts import figure_svg

        return Figure(key, self.plot(lambda: figure_svg(fig)), caption)

    def new_figure(self, size: tuple[float, float], polar: bool = False) -> tuple[MplFigure, Any]:
        """A new matplotlib figure (no pyplot state) and its one Axes."""
        mfig = import_optional("matplotlib.figure", "Charts in the report")
        fig = mfig.Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
        return fig, ax

    def ranking_rows(self, phase: str | None) -> list[int]:
        """The rows of ``phase`` in rank order (unscored rows last, ties by id)."""
        r = self.r
        rows = [k for k, p in enumerate(r.phases) if p == phase]
        return sorted(
            rows,
            key=lambda k: (math.inf if math.isnan(r.ranks[k, 0]) else r.ranks[k, 0], r.ids[k]),
        )

    def community_order(self) -> list[str]:
        """Every community, those ranked in the first phase first, by rank."""
        r = self.r
        first = self.phases[0]
        ranked = [r.ids[k] for k in self.ranking_rows(first)]
        return list(dict.fromkeys([*ranked, *r.ids]))
