"""How stable the ranking is: rank intervals from a Monte Carlo uncertainty analysis."""

from __future__ import annotations

from renoscore._document import Block, Paragraph, Table
from renoscore.report._context import ReportContext

__all__ = ["uncertainty_section"]


def uncertainty_section(ctx: ReportContext) -> list[Block]:
    """Rank intervals of the overall ranking under the declared sources of uncertainty."""
    from renoscore.sensitivity import plot_rank_intervals

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
    records = unc.records(level=unc.levels[0], lang=ctx.lang)
    if ctx.charts and records:
        fig, ax = ctx.new_figure((7.0, max(2.5, 0.22 * len(records) + 1.0)))
        plot_rank_intervals(unc, ax, level=unc.levels[0])
        blocks.append(ctx.figure("rank-intervals", fig, ctx.t["uncertainty"]))
    blocks.append(
        Table(
            ["community", "base", "median", "5-95 %", "P(top k)", "grade"],
            [
                [
                    r["community_id"],
                    f"{r['base_rank']:.0f}",
                    f"{r['rank_median']:.0f}",
                    f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                    f"{r['prob_top_k']:.2f}",
                    f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
                ]
                for r in sorted(records, key=lambda r: r["rank_median"])
            ],
            [False, True, True, False, True, False],
        )
    )
    return blocks
