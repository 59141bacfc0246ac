"""Provenance: every choice behind the numbers and the code that repeats the evaluation.

Examples
--------
The section's heading in both languages, some of the choices recorded, and the command and
code that repeat the example evaluation:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [ReportContext(result, lang).t["provenance"] for lang in ("en", "zh")]
['Provenance: how to repeat this evaluation', '来源与复现']
>>> blocks = provenance_section(ReportContext(result, "en", command="renoscore report --example"))
>>> blocks[0].rows[5:8]
[['normalisation', 'goalposts'], ['aggregation', 'arithmetic'], ['missing-data policy', 'renormalize']]
>>> print(markdown_document(blocks[1:], "files")[0], end="")
To repeat this evaluation:
<BLANKLINE>
```
renoscore report --example
```
<BLANKLINE>
```
import renoscore as rs
system = rs.load_system('old_community_renovation')
data = rs.load_data('DATA.csv', system)
weights = rs.load_weights('weights.yaml', system)  # the weights above, frozen
result = rs.evaluate(system, data, weights, normalization='goalposts', aggregation='arithmetic', missing='renormalize', min_coverage=0.6666666666666666)
```
"""

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
