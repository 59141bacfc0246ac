"""Building the report: its sections in order, rendered as one HTML page or as Markdown.

:func:`build_report` makes a :class:`ReportContext`, asks each section module for its blocks
and renders them with :mod:`renoscore._document`; :func:`write_report` picks the format from the
file's suffix and writes it (with Markdown's chart files beside it).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._document import (
    Block,
    Heading,
    ItemList,
    Link,
    Paragraph,
    Section,
    html_page,
    markdown_document,
)
from renoscore._files import Inputs, check_output, write_text
from renoscore._version import __version__
from renoscore.errors import OptionError, Problem, RenoscoreWarning
from renoscore.report._context import ReportContext
from renoscore.report._words import Lang
from renoscore.report.audit import audit_section
from renoscore.report.comparison import comparison_section
from renoscore.report.consistency import consistency_section
from renoscore.report.effect import effect_section
from renoscore.report.map import map_section
from renoscore.report.method import method_section, weights_section
from renoscore.report.plan import plan_section
from renoscore.report.provenance import provenance_section
from renoscore.report.quality import quality_section
from renoscore.report.ranking import grades_section, ranking_section
from renoscore.report.rollup import progress_section, rollup_section
from renoscore.report.scorecards import scorecards_section
from renoscore.report.summary import meta_table, summary_section
from renoscore.report.uncertainty import uncertainty_section

if TYPE_CHECKING:
    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult

__all__ = ["Report", "build_report", "choose_phases", "write_report"]

SectionBuilder = Callable[[ReportContext], list[Block]]


@dataclass
class Report:
    """A rendered report: its text and, for Markdown, the chart files to write beside it.

    Attributes
    ----------
    text : str
        The HTML page or Markdown document.
    format : {"html", "markdown"}
    files : dict of str to str
        For Markdown: chart files (relative path -> SVG text) that the text links to.
    """

    text: str
    format: str
    files: dict[str, str] = field(default_factory=dict)

    def save(
        self, path: str | Path, *, overwrite: bool = True, inputs: Inputs | None = None
    ) -> Path:
        """Write the report to ``path`` (and Markdown's chart files into ``<stem>_files/``).

        Every file is checked before any is written and each is written whole or not at all
        (:mod:`renoscore._files`); with ``overwrite=False`` an existing report or chart file
        is refused, and ``inputs`` are never written over.
        """
        path = Path(path)
        charts = [(path.parent / rel, content) for rel, content in self.files.items()]
        check_output(path, inputs=inputs, overwrite=overwrite)
        for target, _ in charts:
            if target.parent.exists():
                check_output(target, inputs=inputs, overwrite=overwrite)
        for target, content in charts:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text(target, content, overwrite=overwrite, inputs=inputs)
        write_text(path, self.text, overwrite=overwrite, inputs=inputs)
        return path


def choose_phases(result: EvaluationResult) -> tuple[str, str] | None:
    """The two phases a report compares, or None when there are not two.

    The first phase present (in the system's phase order) is the baseline; the other phase is
    the later one sharing the most scored communities with it (ties: the earlier phase), so
    that a mid-works phase measuring only part of the system is passed over.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> choose_phases(r)
    ('t0', 't1')
    """
    order = {p: k for k, p in enumerate(result.system.phase_ids)}
    present = sorted(
        {p for p in result.phases if p is not None}, key=lambda p: order.get(p, len(order))
    )
    if len(present) < 2:
        return None
    scored = ~np.isnan(result.overall)
    ids_in = {
        p: {i for i, q, s in zip(result.ids, result.phases, scored, strict=True) if q == p and s}
        for p in present
    }
    base = present[0]
    best = max(present[1:], key=lambda p: (len(ids_in[p] & ids_in[base]), -order.get(p, 0)))
    if not ids_in[best] & ids_in[base]:
        return None
    return base, best


def _with_progress(ctx: ReportContext) -> list[Block]:
    """The roll-up tables followed by the progress of the projects."""
    return rollup_section(ctx) + progress_section(ctx)


def _sections(ctx: ReportContext) -> list[tuple[str, str, list[Block]]]:
    """The sections in order as (anchor, title, blocks); comparison and uncertainty when given."""
    chosen: list[tuple[str, SectionBuilder]] = [
        ("summary", summary_section),
        ("method", method_section),
        ("weights", weights_section),
        ("consistency", consistency_section),
        ("ranking", ranking_section),
        ("grades", grades_section),
    ]
    levels = {"street", "district"} & set(ctx.r.context)
    if levels:
        chosen.append(("rollup", _with_progress if ctx.projects is not None else rollup_section))
    if ctx.charts and {"lat", "lon"} <= set(ctx.r.context):
        chosen.append(("map", map_section))
    if ctx.plan is not None:
        chosen.append(("plan", plan_section))
    if ctx.cmp is not None:
        chosen.append(("comparison", comparison_section))
    if ctx.effect is not None:
        chosen.append(("effect", effect_section))
    if ctx.unc is not None:
        chosen.append(("uncertainty", uncertainty_section))
    chosen += [
        ("scorecards", scorecards_section),
        ("quality", quality_section),
    ]
    if ctx.audit is not None:
        chosen.append(("audit", audit_section))
    chosen.append(("provenance", provenance_section))
    return [(anchor, ctx.t[anchor], build(ctx)) for anchor, build in chosen]


def _report_blocks(ctx: ReportContext) -> tuple[str, list[Block]]:
    """The title and every block: heading, introduction, contents, numbered sections, footer."""
    t = ctx.t
    title = f"{ctx.sys.name.get(ctx.lang)} — {t['title']}"
    sections = _sections(ctx)
    communities = len(set(ctx.r.ids))
    blocks: list[Block] = [
        Heading(1, title, "top"),
        Paragraph([t["intro"].format(n=communities)], cls="intro"),
        meta_table(ctx),
        Heading(2, t["contents"], "contents"),
        ItemList(
            [[Link(f"{k}. {name}", f"#{a}")] for k, (a, name, _) in enumerate(sections, 1)],
            ordered=False,
        ),
    ]
    for k, (anchor, name, body) in enumerate(sections, 1):
        blocks.append(Section([Heading(2, f"{k}. {name}", anchor), *body], anchor=None))
    blocks.append(Paragraph([t["made_with"].format(v=__version__)], cls="footer"))
    return title, blocks


def build_report(
    result: EvaluationResult,
    *,
    lang: Lang = "en",
    format: Literal["html", "markdown"] = "html",
    comparison: PhaseComparison | Literal["auto"] | None = "auto",
    charts: bool = True,
    max_scorecards: int | None = 200,
    fix_first_top: int = 10,
    files_folder: str = "report_files",
    command: str | None = None,
    uncertainty: Any = None,
    audit: Any = None,
    plan: Any = None,
    projects: Any = None,
    services: Any = None,
    map_focus: str | None = None,
    effect: Any = None,
) -> Report:
    """Build the report of an evaluation.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of every heading, label and name.
    format : {"html", "markdown"}
        A self-contained HTML page, or Markdown with chart files.
    comparison : PhaseComparison, "auto" or None
        The phase comparison to include: ``"auto"`` compares the phases chosen by
        :func:`choose_phases` when the result has two or more; None leaves it out.
    charts : bool
        Draw the charts (needs matplotlib, the ``plot`` extra).
    max_scorecards : int or None
        Scorecards for at most this many communities (by rank in the first phase); None: all.
    fix_first_top : int
        Lines of each community's fix-first list.
    files_folder : str
        Markdown only: the folder (relative to the report) the chart files go into.
    command : str, optional
        The command line that made the report, shown under provenance.
    uncertainty : renoscore.sensitivity.UncertaintyResult, optional
        A Monte Carlo analysis of the same evaluation: adds a section with the rank-interval
        chart and table.
    audit : renoscore.audit.AuditResult, optional
        The statistical audit of the same data and weights: adds a section with its flags,
        tables and charts, linked to the rank stability.
    plan : renoscore.programme.ProgrammePlan, optional
        A budgeted plan of the same evaluation: adds the priority list.
    projects : tuple of (list of Project, date), optional
        A project table (:func:`renoscore.programme.milestones.load_projects`) and the day
        its progress is measured on: adds 开工率, 完工率, 投资完成率 by street and district.
    services : list of dict, optional
        Service points for the map (:func:`renoscore.programme.geo.read_points`).
    map_focus : str, optional
        The community the map's life circles surround (default: the lowest scored). The
        roll-up tables come when the data name streets or districts, the map when they carry
        ``lat`` and ``lon`` (and charts are drawn).
    effect : renoscore.effects.RenovationEffect, optional
        The effect of renovation against a comparison group: adds a section with the
        estimate of every dimension, its interval and the pre-trend check.

    Returns
    -------
    Report

    Raises
    ------
    OptionError
        Unknown language or format.
    MissingDependencyError
        ``charts=True`` without matplotlib.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> md = build_report(r, format="markdown", charts=False)
    >>> md.text.startswith("# Evaluation of old residential community renovation")
    True
    """
    if lang not in ("en", "zh"):
        raise OptionError(f"unknown language {lang!r}", [Problem("use en or zh", value=lang)])
    if format not in ("html", "markdown"):
        raise OptionError(
            f"unknown report format {format!r}", [Problem("use html or markdown", value=format)]
        )
    cmp: PhaseComparison | None
    if isinstance(comparison, str):
        from renoscore.pipeline import compare

        pair = choose_phases(result)
        cmp = compare(result, phases=pair) if pair is not None else None
    else:
        cmp = comparison
    ctx = ReportContext(
        result,
        lang,
        cmp,
        charts,
        max_scorecards,
        fix_first_top,
        command,
        uncertainty,
        audit,
        plan=plan,
        projects=projects,
        services=services,
        map_focus=map_focus,
    )
    ctx.effect = effect
    title, blocks = _report_blocks(ctx)
    if ctx.font_warning:
        warnings.warn(
            "no CJK font found for matplotlib: chart labels were laid out with approximate "
            "widths. The browser still draws them (they are SVG text); install fonts-noto-cjk "
            "(Debian/Ubuntu) for exact layout.",
            RenoscoreWarning,
            stacklevel=2,
        )
    if format == "html":
        return Report(html_page(title, blocks, lang), "html")
    text, files = markdown_document(blocks, files_folder)
    return Report(text, "markdown", files)


def write_report(
    result: EvaluationResult,
    path: str | Path,
    *,
    lang: Lang = "en",
    format: Literal["html", "markdown"] | None = None,
    overwrite: bool = True,
    **options: Any,
) -> Path:
    """Build the report and write it to ``path`` (``.html`` / ``.htm``, or ``.md``).

    Markdown chart files go to ``<stem>_files/`` beside the report. The path is checked before
    the report is built, and written through a temporary file (:mod:`renoscore._files`): a
    failed write leaves the previous report as it was.

    Parameters
    ----------
    result : EvaluationResult
    path : str or Path
    lang : {"en", "zh"}
    format : {"html", "markdown"}, optional
        Default: from the suffix.
    overwrite : bool
        Replace an existing report (default); False refuses it. The data file the result was
        scored from is never written over.
    **options
        Passed to :func:`build_report`.

    Returns
    -------
    Path
        The report file; Markdown's chart files are in ``<stem>_files/`` beside it.

    Raises
    ------
    OptionError
        A suffix that is neither HTML nor Markdown.
    OutputError
        A path that may not be written, or a write that failed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_report(r, pathlib.Path(tempfile.mkdtemp()) / "r.html", charts=False)
    >>> p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    if format is None:
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            format = "html"
        elif suffix in (".md", ".markdown"):
            format = "markdown"
        else:
            raise OptionError(
                f"cannot tell the report format of {path.name!r}",
                [Problem("unknown suffix", file=str(path), fix="use .html or .md")],
            )
    inputs = {"the data file this result was scored from": result.provenance.data_source}
    check_output(path, inputs=inputs, overwrite=overwrite)  # before the report is built
    if format == "markdown":
        options.setdefault("files_folder", f"{path.stem}_files")
    report = build_report(result, lang=lang, format=format, **options)
    return report.save(path, overwrite=overwrite, inputs=inputs)
