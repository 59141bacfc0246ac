"""The quality of the data: observed, missing and not-applicable cells, coverage, rows not scored.

Examples
--------
The section's heading in both languages, and the cells of the example data:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [ReportContext(result, lang).t["quality"] for lang in ("en", "zh")]
['Data quality', '数据质量']
>>> print(markdown_document(quality_section(ReportContext(result, "en"))[:1], "files")[0], end="")
| item | value |
|---|---|
| rows | 50 |
| cells | 3600 |
| observed | 2840 (78.9%) |
| missing | 17 (0.5%) |
| not applicable | 743 (20.6%) |
| imputed | 0 |
| missing-data policy | re-normalise weights over the indicators observed |
"""

from __future__ import annotations

import math

import numpy as np

from renoscore._document import Block, Heading, ItemList, Paragraph, Table
from renoscore._format import cell_percent
from renoscore._vocabulary import reason_word
from renoscore.data import CellStatus
from renoscore.report._context import ReportContext

__all__ = ["quality_section"]


def quality_section(ctx: ReportContext) -> list[Block]:
    """Observed, missing and not-applicable cells, by indicator; coverage; unscored rows."""
    t, r = ctx.t, ctx.r
    st = r.status
    n_cells = st.size
    miss = st == CellStatus.MISSING
    na = st == CellStatus.NOT_APPLICABLE
    blocks: list[Block] = [
        Table(
            [t["key"], t["val"]],
            [
                [t["rows"], str(len(r.ids))],
                [t["cells"], str(n_cells)],
                [
                    t["observed"],
                    f"{int((st == CellStatus.OK).sum())} ({cell_percent((st == CellStatus.OK).mean(), 1)})",
                ],
                [t["missing"], f"{int(miss.sum())} ({cell_percent(miss.mean(), 1)})"],
                [t["na"], f"{int(na.sum())} ({cell_percent(na.mean(), 1)})"],
                [t["imputed"], str(int(r.imputed.sum()))],
                [t["missing_policy"], ctx.method(r.provenance.missing)],
            ],
            [False, False],
        ),
        Heading(3, t["by_indicator"], "by-indicator"),
    ]
    per_m = miss.sum(axis=0)
    per_na = na.sum(axis=0)
    rows = [
        [
            ind.id,
            ind.name.get(ctx.lang),
            int(per_m[j]),
            int(per_na[j]),
            cell_percent(1.0 - (per_m[j] + per_na[j]) / max(len(r.ids), 1)),
        ]
        for j, ind in enumerate(ctx.sys.indicators)
        if per_m[j] or per_na[j]
    ]
    if rows:
        blocks.append(
            Table(
                [t["code"], t["indicator"], t["missing"], t["na"], t["observed"]],
                rows,
                [False, False, True, True, True],
            )
        )
    else:
        blocks.append(Paragraph([t["no_gaps"]]))
    blocks.append(Heading(3, t["coverage_by_phase"], "coverage"))
    phase_arr = np.array(r.phases, dtype=object)
    cov_rows = []
    for p in ctx.phases:
        c = r.coverage[phase_arr == p, 0]
        c = c[~np.isnan(c)]
        cov_rows.append(
            [
                ctx.phase_name(p),
                cell_percent(float(c.min())) if c.size else "–",
                cell_percent(float(np.median(c))) if c.size else "–",
                f"{int((c >= 1 - 1e-12).sum())} / {c.size}",
            ]
        )
    blocks.append(
        Table(
            [t["phase"], t["min_coverage_row"], t["median"], t["full_coverage"]],
            cov_rows,
            [False, True, True, True],
        )
    )
    unscored = [k for k in range(len(r.ids)) if math.isnan(r.overall[k])]
    if unscored:
        blocks.append(Heading(3, t["not_scored_rows"], "not-scored"))
        blocks.append(
            Table(
                [t["community"], t["phase"], t["coverage"], t["note"]],
                [
                    [
                        r.ids[k],
                        ctx.phase_name(r.phases[k]),
                        cell_percent(float(r.coverage[k, 0])),
                        reason_word(r.reasons[k], ctx.lang, ctx.sys),
                    ]
                    for k in unscored
                ],
                [False, False, True, False],
            )
        )
    if r.warnings:
        blocks.append(Heading(3, t["warnings"], "warnings"))
        blocks.append(ItemList([[w] for w in r.warnings]))
    return blocks
