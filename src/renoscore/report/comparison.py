"""Before and after: the phase comparison, overall, by dimension and community by community.

Examples
--------
The section's heading in both languages, the mean change by dimension from before renovation
to a year after, and the community that gained most:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [ReportContext(result, lang).t["comparison"] for lang in ("en", "zh")]
['Before and after', '改造前后对比']
>>> cmp = rs.compare(result, phases=("t0", "t1"))
>>> blocks = comparison_section(ReportContext(result, "en", cmp))
>>> print(markdown_document(blocks[2:4], "files")[0], end="")
### mean change by dimension
<BLANKLINE>
| dimension | change |
|---|---:|
| facilities | +42.8 |
| public services | +11.0 |
| resident participation | +26.1 |
| social capital | +5.7 |
>>> blocks[4].rows[0]
['JS03', '43.0', '76.7', '+33.7', 'poor', 'good', '+57.5', '+11.4', '+36.3', '+13.8']
"""

from __future__ import annotations

import numpy as np

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore._format import cell_number, cell_percent
from renoscore.report._context import ReportContext

__all__ = ["comparison_section"]


def comparison_section(ctx: ReportContext) -> list[Block]:
    """The change between the two phases: summary, by dimension, community by community."""
    t = ctx.t
    cmp = ctx.cmp
    assert cmp is not None
    s = cmp.summary()
    blocks: list[Block] = [
        Paragraph(
            [
                t["comparison_intro"].format(
                    b=ctx.phase_name(cmp.before_phase),
                    a=ctx.phase_name(cmp.after_phase),
                    n=s["communities_compared"],
                )
            ]
        ),
        Table(
            [t["key"], t["val"]],
            [
                [t["mean_change"], cell_number(s["mean_change"], 1, sign=True)],
                [t["share_improved"], cell_percent(s["share_improved"])],
                [t["share_grade_up"], cell_percent(s["share_grade_up"])],
                [t["only_before"], ", ".join(s["only_before"]) or t["none"]],
                [t["only_after"], ", ".join(s["only_after"]) or t["none"]],
            ],
            [False, False],
        ),
        Heading(3, t["by_dimension"], "by-dimension"),
        Table(
            [t["dimension"], t["change"]],
            [
                [ctx.node_name(d), cell_number(v, 1, sign=True)]
                for d, v in s["mean_change_by_dimension"].items()
            ],
            [False, True],
        ),
    ]
    col = {n: k for k, n in enumerate(cmp.node_ids)}
    rows = []
    order = np.argsort(-np.nan_to_num(cmp.delta[:, 0], nan=-np.inf), kind="stable")
    for k in order.tolist():
        rows.append(
            [
                cmp.ids[k],
                cell_number(cmp.before[k, 0]),
                cell_number(cmp.after[k, 0]),
                cell_number(cmp.delta[k, 0], 1, sign=True),
                ctx.grade_name(int(cmp.grade_before[k])),
                ctx.grade_name(int(cmp.grade_after[k])),
                *[cell_number(cmp.delta[k, col[d]], 1, sign=True) for d in ctx.dims],
            ]
        )
    blocks.append(
        Table(
            [
                t["community"],
                t["before"],
                t["after"],
                t["change"],
                t["grade_before"],
                t["grade_after"],
                *[f"Δ {ctx.node_name(d)}" for d in ctx.dims],
            ],
            rows,
            [False, True, True, True, False, False] + [True] * len(ctx.dims),
        )
    )
    return blocks
