"""Charts and the HTML report section of the uncertainty and sensitivity results.

:func:`plot_rank_intervals`, :func:`plot_sobol` and :func:`plot_one_at_a_time` draw the charts
of :class:`~renoscore.sensitivity.UncertaintyResult`,
:class:`~renoscore.sensitivity.SensitivityResult` and
:class:`~renoscore.sensitivity.OneAtATimeResult`; :func:`html_section` writes the section of an
HTML report. matplotlib and the plot module are imported when a chart is drawn, never when this
module is imported, so that the analyses do not depend on them. Presentation lives here, apart
from the analyses, until it joins the plot and report packages.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem

if TYPE_CHECKING:
    from renoscore.sensitivity.monte_carlo import UncertaintyResult
    from renoscore.sensitivity.oat import OneAtATimeResult
    from renoscore.sensitivity.sobol import SensitivityResult

__all__ = ["html_section", "plot_one_at_a_time", "plot_rank_intervals", "plot_sobol"]

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
        Where to draw; a new Figure (Agg canvas) is made when None.
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
    _fonts(ax)
    return ax


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
    _fonts(ax)
    return ax


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
    _fonts(ax)
    return ax


def _fonts(ax: Any) -> None:
    """Latin and CJK fonts on every text of the chart (:func:`renoscore.plot.font_families`),
    so that Chinese community names are drawn, not boxes."""
    from renoscore.plot import font_families

    families = font_families()
    text = import_optional("matplotlib.text", "charts").Text
    for t in ax.figure.findobj(text):
        t.set_fontfamily(families)


def _svg(ax: Any) -> str:
    """The chart as inline SVG with text kept as text (:func:`renoscore.plot.figure_svg`)."""
    from renoscore.plot import figure_svg

    return figure_svg(ax.figure)


def html_section(
    result: UncertaintyResult,
    sensitivity: SensitivityResult | None = None,
    oat: OneAtATimeResult | None = None,
    *,
    top: int | None = 60,
    lang: str = "en",
    charts: bool = True,
) -> str:
    """The uncertainty-and-sensitivity section of an HTML report (an HTML fragment).

    Holds the sources and seed, the rank-interval chart and table, the rank correlations per
    level, and, when given, the Sobol' chart and table and the one-at-a-time table. Charts are
    inline SVG with their text kept as text (:func:`renoscore.plot.figure_svg`), so the
    browser draws Chinese names with its own fonts.

    Parameters
    ----------
    result : UncertaintyResult
    sensitivity : SensitivityResult, optional
    oat : OneAtATimeResult, optional
    top : int, optional
        Communities shown in the chart and table (default 60; None: all).
    lang : str
        Language of the grade names.
    charts : bool
        Embed charts (needs matplotlib); False gives tables only.

    Returns
    -------
    str
    """
    s = result.settings
    parts = [
        '<section class="renoscore-uncertainty">',
        "<h2>Uncertainty and sensitivity of the ranking</h2>",
        f"<p>{s.n} draws, seed <code>{s.seed}</code>, phase {escape(str(s.phase))}; sources: "
        f"{escape(s.sources.describe())}. Base: {escape(s.normalization)}, {escape(s.aggregation)}, "
        f"missing={escape(s.missing)}.</p>",
    ]
    if charts:
        parts.append(
            f'<figure class="renoscore-chart">{_svg(plot_rank_intervals(result, top=top))}</figure>'
        )
    kk = s.top_k
    head = ["community", "base rank", "median", "5-95 %", f"P(top {kk})", "likely grade"]
    recs = sorted(
        result.records(result.levels[0], lang), key=lambda r: (r["rank_median"], r["base_rank"])
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                r["community_id"],
                f"{r['base_rank']:.0f}",
                f"{r['rank_median']:.0f}",
                f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                f"{r['prob_top_k']:.2f}",
                f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
            )
        )
        + "</tr>"
        for r in recs[: top or None]
    )
    parts.append(
        "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + f"</tr>{rows}</table>"
    )
    summ = result.summary()["levels"]
    corr_rows = "".join(
        f"<tr><td>{escape(lv)}</td><td>{_fmt_q(v['spearman'])}</td><td>{_fmt_q(v['kendall'])}</td>"
        f"<td>{_fmt_q(v['mean_abs_shift'], '.2f')}</td></tr>"
        for lv, v in summ.items()
    )
    parts.append(
        "<h3>Rank correlation with the base ranking (median, 5-95 %)</h3><table><tr><th>level</th>"
        "<th>Spearman</th><th>Kendall tau-b</th><th>mean |rank shift|</th></tr>"
        f"{corr_rows}</table>"
    )
    if sensitivity is not None:
        parts.append("<h3>Most influential sources (Sobol' indices)</h3>")
        if charts:
            parts.append(
                f'<figure class="renoscore-chart">{_svg(plot_sobol(sensitivity))}</figure>'
            )
        srows = "".join(
            f"<tr><td>{escape(r['source'])}</td><td>{r['first_order']:.2f} [{r['first_order_low']:.2f}, "
            f"{r['first_order_high']:.2f}]</td><td>{r['total_order']:.2f} [{r['total_order_low']:.2f}, "
            f"{r['total_order_high']:.2f}]</td></tr>"
            for r in sensitivity.records()
        )
        parts.append(
            "<table><tr><th>source</th><th>first order (95 % CI)</th><th>total (95 % CI)</th></tr>"
            f"{srows}</table>"
        )
    if oat is not None:
        parts.append(f"<h3>One weight at a time ({escape(oat.node)})</h3>")
        orows = "".join(
            f"<tr><td>{escape(r['node'])}</td><td>{r['change']:+.0%}</td><td>{r['weight_after']:.3f}</td>"
            f"<td>{r['spearman']:.3f}</td><td>{r['mean_abs_shift']:.2f}</td><td>{r['top_k_changes']}</td></tr>"
            for r in oat.records()
        )
        parts.append(
            "<table><tr><th>weight</th><th>change</th><th>weight after</th><th>Spearman</th>"
            f"<th>mean |rank shift|</th><th>top {oat.settings.top_k} in/out</th></tr>{orows}</table>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _fmt_q(q: Mapping[str, float | None], spec: str = ".3f") -> str:
    if q["median"] is None:
        return "-"
    return f"{q['median']:{spec}} ({q['p05']:{spec}}-{q['p95']:{spec}})"
