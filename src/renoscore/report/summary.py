"""The head of the report: what was evaluated (the meta table) and the summary by phase."""

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
