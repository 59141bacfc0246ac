"""How stable the ranking is: the uncertainty section of the report, and the standalone section.

:func:`uncertainty_section` is the section of the evaluation report (rank intervals of the
overall ranking from a Monte Carlo uncertainty analysis); :func:`html_section` is the HTML
fragment of a whole uncertainty and sensitivity analysis (sources and seed, rank intervals,
rank correlations, Sobol' indices, one weight at a time), for a page of one's own. Both lay out
the rank-interval table of :func:`rank_interval_table`.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.sensitivity import uncertainty
>>> analysis = uncertainty(rs.default_system(), rs.example_data(), phase="t1", n=16, seed=3,
...                        missing="renormalize", sources={"weights": {"concentration": 50}})
>>> rank_interval_table(analysis, top=3).header
['community', 'base rank', 'median', '5-95 %', 'P(top 5)', 'likely grade']
>>> html = html_section(analysis, charts=False)
>>> html.startswith('<section class="renoscore-uncertainty">') and "<svg" not in html
True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from renoscore._document import (
    Block,
    Code,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
    html_fragment,
)
from renoscore.errors import MissingFontWarning
from renoscore.plot.fonts import figure_svg
from renoscore.plot.sensitivity import plot_rank_intervals, plot_sobol
from renoscore.report._context import ReportContext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from renoscore.sensitivity.monte_carlo import UncertaintyResult
    from renoscore.sensitivity.oat import OneAtATimeResult
    from renoscore.sensitivity.sobol import SensitivityResult

__all__ = ["html_section", "rank_interval_table", "uncertainty_section"]


def rank_interval_table(
    result: UncertaintyResult, level: str | None = None, *, lang: str = "en", top: int | None = None
) -> Table:
    """The rank intervals of one level as a table, communities by median rank (then base rank).

    Parameters
    ----------
    result : UncertaintyResult
    level : str, optional
        The level (default: the goal).
    lang : str
        Language of the grade names.
    top : int, optional
        Only the first ``top`` communities.

    Returns
    -------
    Table
        Community, base rank, median rank, 5-95 % interval, probability of the top k and the
        likeliest grade with its probability.
    """
    records = sorted(
        result.records(result.levels[result.level_index(level)], lang),
        key=lambda r: (r["rank_median"], r["base_rank"]),
    )
    return Table(
        [
            "community",
            "base rank",
            "median",
            "5-95 %",
            f"P(top {result.settings.top_k})",
            "likely grade",
        ],
        [
            [
                r["community_id"],
                f"{r['base_rank']:.0f}",
                f"{r['rank_median']:.0f}",
                f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                f"{r['prob_top_k']:.2f}",
                f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
            ]
            for r in records[: top or None]
        ],
        [False, True, True, False, True, False],
    )


def uncertainty_section(ctx: ReportContext) -> list[Block]:
    """Rank intervals of the overall ranking under the declared sources of uncertainty."""
    unc = ctx.unc
    settings = unc.settings
    blocks: list[Block] = [
        Paragraph(
            [
                ctx.t["uncertainty_intro"].format(
                    n=settings.n, seed=settings.seed, sources=settings.sources.describe()
                )
            ]
        )
    ]
    table = rank_interval_table(unc, unc.levels[0], lang=ctx.lang)
    if ctx.charts and table.rows:
        fig, ax = ctx.new_figure((7.0, max(2.5, 0.22 * len(table.rows) + 1.0)))
        plot_rank_intervals(unc, ax, level=unc.levels[0])
        blocks.append(ctx.figure("rank-intervals", fig, ctx.t["uncertainty"]))
    blocks.append(table)
    return blocks


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
        ``<section class="renoscore-uncertainty">...</section>``.
    """
    s = result.settings
    blocks: list[Block] = [
        Heading(2, "Uncertainty and sensitivity of the ranking", "uncertainty"),
        Paragraph(
            [
                f"{s.n} draws, seed ",
                Code(str(s.seed)),
                f", phase {s.phase}; sources: {s.sources.describe()}. Base: {s.normalization}, "
                f"{s.aggregation}, missing={s.missing}.",
            ]
        ),
    ]
    if charts:
        blocks.append(_chart("rank-intervals", plot_rank_intervals(result, top=top)))
    blocks += [rank_interval_table(result, lang=lang, top=top), *_correlations(result)]
    if sensitivity is not None:
        blocks += _sobol(sensitivity, charts)
    if oat is not None:
        blocks += _one_at_a_time(oat)
    return html_fragment([Section(blocks, cls="renoscore-uncertainty")])


def _chart(key: str, ax: Axes) -> Figure:
    """A drawn chart as a document figure of inline SVG, captioned by its title."""
    with warnings.catch_warnings():
        # SVG keeps the text as text: the browser, not this machine, needs the CJK font.
        warnings.simplefilter("ignore", MissingFontWarning)
        return Figure(key, figure_svg(ax.figure), ax.get_title())  # type: ignore[arg-type]


def _correlations(result: UncertaintyResult) -> list[Block]:
    """Rank correlations and mean rank shift of every level (median and 5-95 % of the draws)."""
    return [
        Heading(3, "Rank correlation with the base ranking (median, 5-95 %)", "rank-correlation"),
        Table(
            ["level", "Spearman", "Kendall tau-b", "mean |rank shift|"],
            [
                [
                    lv,
                    _quantiles(v["spearman"]),
                    _quantiles(v["kendall"]),
                    _quantiles(v["mean_abs_shift"], ".2f"),
                ]
                for lv, v in result.summary()["levels"].items()
            ],
            [False, True, True, True],
        ),
    ]


def _sobol(sensitivity: SensitivityResult, charts: bool) -> list[Block]:
    """The Sobol' chart and table of the sources, with their 95 % intervals."""
    blocks: list[Block] = [Heading(3, "Most influential sources (Sobol' indices)", "sobol")]
    if charts:
        blocks.append(_chart("sobol", plot_sobol(sensitivity)))
    rows = [
        [
            r["source"],
            f"{r['first_order']:.2f} [{r['first_order_low']:.2f}, {r['first_order_high']:.2f}]",
            f"{r['total_order']:.2f} [{r['total_order_low']:.2f}, {r['total_order_high']:.2f}]",
        ]
        for r in sensitivity.records()
    ]
    header = ["source", "first order (95 % CI)", "total (95 % CI)"]
    return [*blocks, Table(header, rows, [False, True, True])]


def _one_at_a_time(oat: OneAtATimeResult) -> list[Block]:
    """The one-at-a-time table: each weight moved, the weight after and the rank stability."""
    rows = [
        [
            r["node"],
            f"{r['change']:+.0%}",
            f"{r['weight_after']:.3f}",
            f"{r['spearman']:.3f}",
            f"{r['mean_abs_shift']:.2f}",
            r["top_k_changes"],
        ]
        for r in oat.records()
    ]
    header = [
        "weight",
        "change",
        "weight after",
        "Spearman",
        "mean |rank shift|",
        f"top {oat.settings.top_k} in/out",
    ]
    return [
        Heading(3, f"One weight at a time ({oat.node})", "one-at-a-time"),
        Table(header, rows, [False, True, True, True, True, True]),
    ]


def _quantiles(q: Mapping[str, float | None], spec: str = ".3f") -> str:
    """Median and 5-95 % range of a rank statistic, or "-" when there is none."""
    if q["median"] is None:
        return "-"
    return f"{q['median']:{spec}} ({q['p05']:{spec}}-{q['p95']:{spec}})"
