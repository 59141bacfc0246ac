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
data = rs.load_data('communities.csv', system)
weights = rs.load_weights('weights.yaml', system)  # the weights above, frozen
result = rs.evaluate(system, data, weights, normalization='goalposts', aggregation='arithmetic', missing='renormalize', min_coverage=0.6666666666666666, min_applicable=0.5, impute_by=None, tie_method='min', tie_tolerance=1e-09, treat=None)
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from renoscore._document import Block, Code, Paragraph, Table
from renoscore.report._context import ReportContext
from renoscore.result import Provenance
from renoscore.system import IndicatorSystem, available_systems, load_system

__all__ = ["provenance_section", "reproduce_code"]


def provenance_section(ctx: ReportContext) -> list[Block]:
    """Every choice behind the numbers, and the code (and command) that repeats them."""
    t, prov = ctx.t, ctx.r.full_provenance()  # with the digest of the data that was scored
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
    blocks.append(Paragraph([t["reproduce"] + ":"]))
    if ctx.command:
        blocks.append(Paragraph([Code(ctx.command)], cls="pre"))
    blocks.append(Paragraph([Code(reproduce_code(ctx.sys, prov))], cls="pre"))
    return blocks


def reproduce_code(system: IndicatorSystem, prov: Provenance) -> str:
    """Python that repeats the evaluation: a shipped system by its name, any other from its
    file; the data file by its name; every scoring option as recorded.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> print(reproduce_code(r.system, r.provenance).splitlines()[1])
    system = rs.load_system('old_community_renovation')
    """
    shipped = system.id in available_systems() and load_system(system.id) == system
    if shipped:
        load = f"system = rs.load_system({system.id!r})"
    else:
        load = (
            f"system = rs.load_system({system.id + '.yaml'!r})  # the file of system "
            f"{system.id!r} v{system.version} (not shipped with renoscore)"
        )
    data = Path(prov.data_source).name if prov.data_source else "DATA.csv"
    options = ", ".join(f"{name}={value!r}" for name, value in prov.options.model_dump().items())
    return "\n".join(
        [
            "import renoscore as rs",
            load,
            f"data = rs.load_data({data!r}, system)",
            "weights = rs.load_weights('weights.yaml', system)  # the weights above, frozen",
            f"result = rs.evaluate(system, data, weights, {options})",
        ]
    )
