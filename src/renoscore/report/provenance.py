"""Provenance: every choice behind the numbers and the code that repeats the evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from renoscore._document import Block, Code, Paragraph, Table
from renoscore.report._context import ReportContext

__all__ = ["provenance_section"]


def provenance_section(ctx: ReportContext) -> list[Block]:
    """Every choice behind the numbers, and the code (and command) that repeats them."""
    t, prov = ctx.t, ctx.r.provenance
    rows: list[list[Any]] = [
        [t["version"], prov.renoscore_version],
        [t["created"], prov.created],
        [t["system"], f"{prov.system_id} v{prov.system_version}"],
        [t["data"], Path(prov.data_source).name if prov.data_source else "–"],
        [t["digest"], prov.data_digest or "–"],
        [t["normalization"], ctx.code(prov.normalization)],
        [t["aggregation"], ctx.code(prov.aggregation)],
        [t["missing_policy"], ctx.code(prov.missing)],
        [t["min_cov"], f"{prov.min_coverage:g}"],
        [t["ties"], f"{ctx.code(prov.tie_method)}, {prov.tie_tolerance:g}"],
    ]
    blocks: list[Block] = [Table([t["key"], t["val"]], rows, [False, False])]
    code = (
        "import renoscore as rs\n"
        f"system = rs.load_system({ctx.sys.id!r})\n"
        "data = rs.load_data('DATA.csv', system)\n"
        "weights = rs.load_weights('weights.yaml', system)  # the weights above, frozen\n"
        f"result = rs.evaluate(system, data, weights, normalization={prov.normalization!r}, "
        f"aggregation={prov.aggregation!r}, missing={prov.missing!r}, "
        f"min_coverage={prov.min_coverage!r})"
    )
    blocks.append(Paragraph([t["reproduce"] + ":"]))
    if ctx.command:
        blocks.append(Paragraph([Code(ctx.command)], cls="pre"))
    blocks.append(Paragraph([Code(code)], cls="pre"))
    return blocks
