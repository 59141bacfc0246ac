r"""The head of the report: what was evaluated (the meta table) and the summary by phase.

Examples
--------
The section's heading in both languages, what was evaluated, and the summary by phase of the
example evaluation (the mid-works and three-year phases are progress checks, without an
overall score):

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [ReportContext(result, lang).t["summary"] for lang in ("en", "zh")]
['Summary', '概要']
>>> meta_table(ReportContext(result, "zh")).rows[:3]
[['指标体系', '老旧小区改造评价指标体系 (old_community_renovation v2.0.0)'], ['数据', 'communities.csv'], ['记录数', '50']]
>>> print(markdown_document(summary_section(ReportContext(result, "en")), "files")[0], end="")
| phase | rows | scored | mean | median | best | worst | excellent | good | fair | poor | not scored |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| baseline assessment before renovation (t0) | 30 | 29 | 48.6 | 49.0 | 67.1 | 30.3 | 0 | 0 | 3 | 26 | 1 |
| during the works (t\_proc) | 4 | 0 | – | – | – | – | 0 | 0 | 0 | 0 | 4 |
| about one year after completion (t1) | 12 | 12 | 80.7 | 80.0 | 89.1 | 76.2 | 1 | 11 | 0 | 0 | 0 |
| about three years after completion (t2) | 4 | 0 | – | – | – | – | 0 | 0 | 0 | 0 | 4 |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from renoscore._document import Block, Table
from renoscore._format import cell_number
from renoscore.report._context import ReportContext

__all__ = ["meta_table", "summary_section"]


def meta_table(ctx: ReportContext) -> Table:
    """What was evaluated: system, data, rows, communities, phases, when."""
    t, r = ctx.t, ctx.r
    prov = r.provenance
    source = Path(prov.data_source).name if prov.data_source else "–"
    rows = [
        [t["system"], f"{ctx.sys.name.get(ctx.lang)} ({ctx.sys.id} v{ctx.sys.version})"],
        [t["data"], source],
        [t["rows"], str(len(r.ids))],
        [t["communities"], str(len(set(r.ids)))],
        [
            t["phases"],
            "; ".join(f"{ctx.phase_name(p)}: {r.phases.count(p)}" for p in ctx.phases),
        ],
        [t["generated"], prov.created],
    ]
    return Table([t["key"], t["val"]], rows, [False, False], cls="meta")


def summary_section(ctx: ReportContext) -> list[Block]:
    """Rows, scored rows, mean, median, best and worst score and grade counts, by phase."""
    t, r = ctx.t, ctx.r
    head = [
        t["phase"],
        t["rows"],
        t["scored"],
        t["mean"],
        t["median"],
        t["best"],
        t["worst"],
        *[g.name.get(ctx.lang) for g in ctx.sys.grades],
        t["not_scored"],
    ]
    rows: list[list[Any]] = []
    phase_arr = np.array(r.phases, dtype=object)
    for p in ctx.phases:
        sel = phase_arr == p
        s = r.overall[sel]
        ok = s[~np.isnan(s)]
        g = r.grades[sel, 0]
        counts = np.bincount(
            np.where(g < 0, len(ctx.sys.grades), g), minlength=len(ctx.sys.grades) + 1
        )
        rows.append(
            [
                ctx.phase_name(p),
                int(sel.sum()),
                int(ok.size),
                cell_number(float(ok.mean())) if ok.size else "–",
                cell_number(float(np.median(ok))) if ok.size else "–",
                cell_number(float(ok.max())) if ok.size else "–",
                cell_number(float(ok.min())) if ok.size else "–",
                *[int(c) for c in counts],
            ]
        )
    return [Table(head, rows, [False] + [True] * (len(head) - 1))]
