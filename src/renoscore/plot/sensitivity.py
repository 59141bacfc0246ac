"""Charts of the uncertainty and sensitivity analyses: rank intervals, Sobol' indices, OAT.

:func:`plot_rank_intervals`, :func:`plot_sobol` and :func:`plot_one_at_a_time` draw the charts
of :class:`~renoscore.sensitivity.UncertaintyResult`,
:class:`~renoscore.sensitivity.SensitivityResult` and
:class:`~renoscore.sensitivity.OneAtATimeResult` (``result.plot()`` of each). Given no ``ax``,
a chart draws on a new Figure attached to the Agg canvas, not on a pyplot figure, so that no
global backend is switched and no window opens; the chart fonts are those of every chart of
the package (:func:`renoscore.plot.font_families`).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.sensitivity import uncertainty
>>> result = uncertainty(rs.default_system(), rs.example_data(), phase="t0",
...                      missing="renormalize", sources={"weights": {}}, n=20, seed=1)
>>> ax = plot_rank_intervals(result, top=5)
>>> len(ax.patches), ax.get_xlabel()
(5, 'rank (1 = best)')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot._common import finished

if TYPE_CHECKING:
    from renoscore.sensitivity.monte_carlo import UncertaintyResult
    from renoscore.sensitivity.oat import OneAtATimeResult
    from renoscore.sensitivity.sobol import SensitivityResult

__all__ = ["plot_one_at_a_time", "plot_rank_intervals", "plot_sobol"]

FloatArray = NDArray[np.float64]


def _axes(ax: Any, size: tuple[float, float], purpose: str) -> Any:
    """The given Axes, or a new one on a Figure with the Agg canvas.

    matplotlib is imported lazily; a new Figure is attached to an Agg canvas directly instead
    of through pyplot, so that no global backend is switched and no window opens.
    """
    import_optional("matplotlib", purpose)
    if ax is not None:
        return ax
    figure = import_optional("matplotlib.figure", purpose)
    agg = import_optional("matplotlib.backends.backend_agg", purpose)
    fig = figure.Figure(figsize=size, layout="constrained")
    agg.FigureCanvasAgg(fig)
    return fig.add_subplot()


def plot_rank_intervals(
    result: UncertaintyResult,
    ax: Any = None,
    *,
    level: str | None = None,
    top: int | None = None,
    color: str = "#4c72b0",
) -> Any:
    """Rank-interval chart: communities sorted by median rank, bars from the 5 % to the 95 % rank.

    Each community is a row (best median rank at the top); the bar spans its 5-95 % rank
    interval, a dot marks the median and a cross the base rank.

    Parameters
    ----------
    result : UncertaintyResult
    ax : matplotlib Axes, optional
        Where to draw; a new Figure (Agg canvas, no pyplot) is made when None.
    level : str, optional
        The level to show (default: the goal).
    top : int, optional
        Show only the first ``top`` communities by median rank.
    color : str
        Bar colour.

    Returns
    -------
    matplotlib Axes
        ``ax.figure`` is the Figure.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (``pip install 'renoscore[plot]'``).
    """
    k = result.level_index(level)
    recs = sorted(
        result.records(result.levels[k]), key=lambda r: (r["rank_median"], r["base_rank"])
    )[: top or None]
    ax = _axes(ax, (7.0, 1.2 + 0.24 * max(len(recs), 1)), "plot_rank_intervals")
    y = np.arange(len(recs))
    lo = np.array([r["rank_p05"] for r in recs])
    hi = np.array([r["rank_p95"] for r in recs])
    ax.barh(y, hi - lo + 0.6, left=lo - 0.3, height=0.6, color=color, alpha=0.45, label="5-95 %")
    ax.plot([r["rank_median"] for r in recs], y, "o", color=color, ms=4, label="median")
    ax.plot([r["base_rank"] for r in recs], y, "x", color="black", ms=4, label="base")
    ax.set_yticks(y, [str(r["community_id"]) for r in recs], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0.5, max(2.0, float(np.nanmax(result.base_rank[:, k]))) + 0.5)
    ax.set_xlabel("rank (1 = best)")
    ax.set_title(f"Rank intervals: {result.levels[k]} ({result.settings.n} draws)", fontsize=9)
    # The best communities sit top left, so the top right corner is free for the legend.
    ax.legend(loc="upper right", fontsize=7)
    return finished(ax)


def plot_sobol(result: SensitivityResult, ax: Any = None, *, community: str | None = None) -> Any:
    """Sobol' bar chart: first-order and total index of each source.

    Parameters
    ----------
    result : SensitivityResult
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure, as for :func:`plot_rank_intervals`).
    community : str, optional
        Show the indices of this community's rank instead of the mean absolute rank shift.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    OptionError
        Unknown community, or per-community indices were not computed.
    """
    ax = _axes(ax, (6.0, 3.2), "plot_sobol")
    x = np.arange(len(result.factors))
    f_err: FloatArray | None = None
    t_err: FloatArray | None = None
    if community is None:
        first, total = result.first_order, result.total_order
        f_err = np.abs(result.first_order_ci.T - first)
        t_err = np.abs(result.total_order_ci.T - total)
        title = "Sobol' indices of the mean absolute rank shift"
    else:
        if (
            result.rank_first_order is None
            or result.rank_total_order is None
            or community not in result.ids
        ):
            raise OptionError(
                f"no per-community indices for {community!r}",
                [Problem("unknown community or per_community=False", community_id=community)],
            )
        r = result.ids.index(community)
        first, total = result.rank_first_order[r], result.rank_total_order[r]
        title = f"Sobol' indices of the rank of {community}"
    ax.bar(x - 0.2, first, 0.4, yerr=f_err, label="first order", color="#4c72b0", capsize=2)
    ax.bar(x + 0.2, total, 0.4, yerr=t_err, label="total", color="#dd8452", capsize=2)
    ax.set_xticks(x, list(result.factors), fontsize=8)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(first)) - 0.05))
    ax.set_ylabel("share of variance")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    return finished(ax)


def plot_one_at_a_time(
    result: OneAtATimeResult, ax: Any = None, *, measure: str = "mean_abs_shift"
) -> Any:
    """One-at-a-time chart: a rank-stability measure against the weight change, one line per weight.

    Parameters
    ----------
    result : OneAtATimeResult
    ax : matplotlib Axes, optional
    measure : {"mean_abs_shift", "max_shift", "spearman", "kendall"}

    Returns
    -------
    matplotlib Axes
    """
    if measure not in ("mean_abs_shift", "max_shift", "spearman", "kendall"):
        raise OptionError(
            f"unknown measure {measure!r}",
            [Problem("use mean_abs_shift, max_shift, spearman or kendall")],
        )
    ax = _axes(ax, (6.0, 3.2), "plot_one_at_a_time")
    values = getattr(result, measure)
    x = 100.0 * np.array(result.changes)
    order = np.argsort(x)
    for i, child in enumerate(result.children):
        ax.plot(x[order], values[i, order], "o-", ms=3, label=child)
    ax.set_xlabel(f"change of one weight of {result.node} (%)")
    ax.set_ylabel(measure.replace("_", " "))
    ax.legend(fontsize=7)
    return finished(ax)
