"""The door through which model objects reach their notebook views and charts.

An indicator system, weights and a result show themselves in Jupyter (``_repr_html_``) and
draw charts (``result.plot``, ``weights.plot``); the views live in :mod:`renoscore.report` and
the charts in :mod:`renoscore.plot`, which read the model. So that the model never imports
the presentation layer, its methods call the functions here, which import the presentation
modules only when called; this module imports no model module at run time.

Examples
--------
>>> import renoscore as rs
>>> from renoscore import _views
>>> _views.system_html(rs.default_system()).startswith('<div class="renoscore">')
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from renoscore.audit import AuditResult
    from renoscore.plot.audit import AuditPlots
    from renoscore.plot.results import ResultPlots
    from renoscore.plot.weights import WeightsPlots
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weights import Weights

__all__ = [
    "analysis_chart",
    "audit_html",
    "audit_plots",
    "result_html",
    "result_plots",
    "system_html",
    "weights_html",
    "weights_plots",
]


def system_html(system: IndicatorSystem) -> str:
    """Escaped HTML of an indicator system for notebooks, names in English.

    The same as :func:`renoscore.report.repr_html` of the system.
    """
    from renoscore.report.notebook import system_html as view

    return view(system)


def weights_html(weights: Weights) -> str:
    """Escaped HTML of weights for notebooks (node ids; no system to name them).

    The same as :func:`renoscore.report.repr_html` of the weights.
    """
    from renoscore.report.notebook import weights_html as view

    return view(weights)


def result_html(result: EvaluationResult) -> str:
    """Escaped HTML of a result for notebooks: its ranking, the first 50 rows.

    The same as :func:`renoscore.report.repr_html` of the result.
    """
    from renoscore.report.notebook import result_html as view

    return view(result)


def result_plots(result: EvaluationResult) -> ResultPlots:
    """The charts of a result (``result.plot``; needs the ``plot`` extra to draw)."""
    from renoscore.plot.results import ResultPlots

    return ResultPlots(result)


def weights_plots(weights: Weights) -> WeightsPlots:
    """The charts of weights (``weights.plot``; needs the ``plot`` extra to draw)."""
    from renoscore.plot.weights import WeightsPlots

    return WeightsPlots(weights)


def audit_html(audit: AuditResult) -> str:
    """Escaped HTML of an audit for notebooks: its flags and the consistency table.

    The same as :func:`renoscore.report.repr_html` of the audit.
    """
    from renoscore.report.audit import audit_html as view

    return view(audit)


def audit_plots(audit: AuditResult) -> AuditPlots:
    """The charts of an audit (``audit.plot``; needs the ``plot`` extra to draw)."""
    from renoscore.plot.audit import AuditPlots

    return AuditPlots(audit)


def analysis_chart(
    chart: Literal["rank_intervals", "sobol", "one_at_a_time"],
    result: Any,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """The chart of an uncertainty, Sobol' or one-at-a-time result (its ``plot()``).

    ``chart`` names the function of :mod:`renoscore.plot.sensitivity` that draws it
    (``plot_<chart>``); ``ax`` and ``kwargs`` are passed on.
    """
    from renoscore.plot import sensitivity as charts

    draw = getattr(charts, f"plot_{chart}")
    return draw(result, ax, **kwargs)
