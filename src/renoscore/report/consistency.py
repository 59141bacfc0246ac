r"""The consistency of every expert's AHP judgements, node by node (Saaty's CR < 0.10 rule).

Examples
--------
The section's heading in both languages and, for weights derived by AHP from the example
panel, the verdict at the top node and its combined row:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> system = rs.default_system()
>>> weights = rs.derive_weights(system, rs.example_panel(), method="ahp")
>>> result = rs.evaluate(system, rs.example_data(), weights, missing="renormalize")
>>> [ReportContext(result, lang).t["consistency"] for lang in ("en", "zh")]
['Consistency of the expert judgements (AHP)', '专家判断一致性检验（层次分析法）']
>>> blocks = consistency_section(ReportContext(result, "en"))
>>> print(markdown_document(blocks[1:3], "files")[0], end="")
### overall assessment of the estate (renovation\_performance)
<BLANKLINE>
Combined judgements at overall assessment of the estate: λmax 4.0084, CR 0.0031 — passes.
>>> blocks[3].rows[-1]
['∑', '–', '4.0084', '–', '0.0031', 'passes', '–', '–', '0.291', '0.223', '0.309', '0.177']
"""

from __future__ import annotations

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore._format import cell_number
from renoscore._vocabulary import stakeholder_word
from renoscore.report._context import ReportContext

__all__ = ["consistency_section"]


def consistency_section(ctx: ReportContext) -> list[Block]:
    """For every node judged by experts: each expert's λmax, CI, CR and priorities."""
    t = ctx.t
    w = ctx.r.weights
    judged = [(n, nw) for n, nw in w.nodes.items() if nw.experts or nw.cr is not None]
    if not judged:
        return [Paragraph([t["no_ahp"]])]
    wp = w.provenance
    gm = t["gm_aip"] if wp.group_method == "aip" else t["gm_aij"]
    blocks: list[Block] = [
        Paragraph([t["cr_rule"].format(ri=ctx.code(wp.ri_table or "saaty1980"), gm=gm)])
    ]
    for node, nw in judged:
        blocks.append(Heading(3, f"{ctx.node_name(node)} ({node})", f"cr-{node}"))
        ok = "–" if nw.acceptable is None else (t["pass"] if nw.acceptable else t["fail"])
        blocks.append(
            Paragraph(
                [
                    t["node_result"].format(
                        node=ctx.node_name(node),
                        lam=cell_number(nw.lambda_max, 4),
                        cr=cell_number(nw.cr, 4),
                        ok=ok,
                    )
                ]
            )
        )
        kids = [ctx.node_name(c) for c in nw.children]
        rows = []
        for e in nw.experts:
            rows.append(
                [
                    e.expert,
                    stakeholder_word(e.group, ctx.lang, wp.group_names),
                    cell_number(e.lambda_max, 4),
                    cell_number(e.ci, 4),
                    cell_number(e.cr, 4),
                    t["pass"] if e.acceptable else t["fail"],
                    t["yes"] if e.completed else t["no"],
                    t["yes"] if e.excluded else t["no"],
                    *[f"{p:.3f}" for p in e.priorities],
                ]
            )
        rows.append(
            [
                "∑",
                "–",
                cell_number(nw.lambda_max, 4),
                "–",
                cell_number(nw.cr, 4),
                ok,
                "–",
                "–",
                *[f"{p:.3f}" for p in nw.local],
            ]
        )
        blocks.append(
            Table(
                [
                    t["expert"],
                    t["group"],
                    t["lambda"],
                    t["ci"],
                    t["cr"],
                    t["result"],
                    t["completed"],
                    t["excluded"],
                    *kids,
                ],
                rows,
                [False, False, True, True, True, False, False, False] + [True] * len(kids),
                cls="consistency",
            )
        )
    return blocks
