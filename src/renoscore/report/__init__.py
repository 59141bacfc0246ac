"""The evaluation report: one self-contained HTML page, or Markdown, in Chinese or English.

The decision procedure of the renovation programme ends with 两公开: the decision and its result
are made public to the residents. :func:`build_report` writes that publication for an
:class:`~renoscore.EvaluationResult`: the method with every weight and where it came from, the
consistency of every expert's AHP judgements, the ranking with grades, the grade distribution,
the phase comparison when there are two phases, a scorecard for every community (radar chart of
its dimensions and the list of what to fix first) and the data quality (missing and
not-applicable cells, coverage, rows not scored).

The HTML page needs no network and no script: charts are inline SVG drawn by matplotlib with
their text kept as text (:func:`renoscore.plot.figure_svg`), so the browser draws Chinese labels
with its own CJK font whatever fonts the machine that wrote the report had. Markdown gets the
same content; its charts are written as SVG files into a folder beside it
(``report_files/`` for ``report.md``). :func:`html_section` writes the section of an
uncertainty and sensitivity analysis (:mod:`renoscore.sensitivity`) as an HTML fragment.

:func:`build_notice` writes the other publication: one community's result on one A4 page in
plain words, for the notice board of the estate (公示).

Examples
--------
>>> import warnings
>>> import renoscore as rs
>>> from renoscore.report import build_report
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> report = build_report(result, lang="zh", charts=False)
>>> "<html lang=\\"zh-CN\\">" in report.text and "排名与等级" in report.text
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from renoscore.errors import OptionError, Problem
from renoscore.report._words import Lang
from renoscore.report.build import Report, build_report, choose_phases, write_report
from renoscore.report.notebook import result_html, system_html, weights_html
from renoscore.report.notice import build_notice, write_notice
from renoscore.report.uncertainty import html_section

if TYPE_CHECKING:
    from renoscore.audit import AuditResult
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

__all__ = [
    "Report",
    "build_notice",
    "build_report",
    "choose_phases",
    "html_section",
    "repr_html",
    "write_notice",
    "write_report",
]


def repr_html(
    obj: IndicatorSystem | Weights | EvaluationResult | AuditResult,
    *,
    lang: Lang = "en",
    system: IndicatorSystem | None = None,
    max_rows: int = 50,
) -> str:
    """Compact, escaped HTML of a system, weights or result, for Jupyter's ``_repr_html_``.

    Parameters
    ----------
    obj : IndicatorSystem, Weights, EvaluationResult or AuditResult
    lang : {"en", "zh"}
        Language of names.
    system : IndicatorSystem, optional
        For weights: gives the nodes' names.
    max_rows : int
        Rows of a result's ranking shown.

    Returns
    -------
    str

    Raises
    ------
    OptionError
        For an object of another type.

    Examples
    --------
    >>> import renoscore as rs
    >>> html = repr_html(rs.default_system(), lang="zh")
    >>> "基础设施" in html and html.count("<tr>") == 1 + len(rs.default_system().nodes)
    False
    """
    from renoscore.audit import AuditResult
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

    if isinstance(obj, AuditResult):
        from renoscore.report.audit import audit_html

        return audit_html(obj, lang)
    if isinstance(obj, IndicatorSystem):
        return system_html(obj, lang)
    if isinstance(obj, Weights):
        return weights_html(obj, system, lang)
    if isinstance(obj, EvaluationResult):
        return result_html(obj, lang, max_rows)
    raise OptionError(
        f"no HTML view of a {type(obj).__name__}",
        [Problem("unsupported object", fix="pass a system, weights or a result")],
    )
