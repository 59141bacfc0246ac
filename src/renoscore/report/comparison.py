"""Before and after: the phase comparison, overall, by dimension and community by community.

Every change is shown with its interval and class (improved, no clear change, worse; see
:mod:`renoscore.pipeline.change_intervals`), so that a drop within the measurement error of a
survey is not read as a decline.

Examples
--------
The section's heading in both languages, the mean change by dimension from before renovation
to a year after with how many communities changed clearly, and the community that gained most:

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
| dimension | change | changes by class |
|---|---:|---|
| facility renovation | +52.0 | improved 12, no clear change 0, worse 0 |
| public services | +16.8 | improved 12, no clear change 0, worse 0 |
| resident participation and co-governance | +36.9 | improved 12, no clear change 0, worse 0 |
| community social capital | +13.2 | improved 11, no clear change 1, worse 0 |
>>> blocks[4].rows[0]  # doctest: +NORMALIZE_WHITESPACE
['GC06', '39.9', '80.8', '+40.9', '[+39.3, +42.4]', 'improved', 'poor', 'good', '+60.2', '+32.3', '+41.6', '+18.5']
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
    counts = s["changes"]
    blocks: list[Block] = [
        Paragraph(
            [
                t["comparison_intro"].format(
                    b=ctx.phase_name(cmp.before_phase),
                    a=ctx.phase_name(cmp.after_phase),
                    n=s["communities_compared"],
                ),
                " " + t["interval_intro"].format(level=f"{cmp.level:.0%}"),
            ]
        ),
        Table(
            [t["key"], t["val"]],
            [
                [t["mean_change"], cell_number(s["mean_change"], 1, sign=True)],
                [t["share_improved"], cell_percent(s["share_improved"])],
                [t["change_classes"], _counts(ctx, counts)],
                [t["share_grade_up"], cell_percent(s["share_grade_up"])],
                [t["only_before"], ", ".join(s["only_before"]) or t["none"]],
                [t["only_after"], ", ".join(s["only_after"]) or t["none"]],
            ],
            [False, False],
        ),
        Heading(3, t["by_dimension"], "by-dimension"),
        Table(
            [t["dimension"], t["change"], t["change_classes"]],
            [
                [
                    ctx.node_name(d),
                    cell_number(v, 1, sign=True),
                    _counts(ctx, s["changes_by_dimension"][d]),
                ]
                for d, v in s["mean_change_by_dimension"].items()
            ],
            [False, True, False],
        ),
    ]
    blocks.append(_community_table(ctx))
    return blocks


def _counts(ctx: ReportContext, counts: dict[str, int]) -> str:
    """How many changes fall in each class, e.g. "improved 9, no clear change 3, worse 0"."""
    sep = "；" if ctx.lang == "zh" else ", "
    return sep.join(f"{ctx.t['class_' + k.replace(' ', '_')]} {n}" for k, n in counts.items())


def _community_table(ctx: ReportContext) -> Table:
    """Every community's change with its interval and class, and its dimensions' changes."""
    t, cmp = ctx.t, ctx.cmp
    assert cmp is not None
    col = {n: k for k, n in enumerate(cmp.node_ids)}
    rows = []
    order = np.argsort(-np.nan_to_num(cmp.delta[:, 0], nan=-np.inf), kind="stable")
    lower, upper = cmp.lower, cmp.upper
    for k in order.tolist():
        name = cmp.class_name(k, 0)
        rows.append(
            [
                cmp.ids[k],
                cell_number(cmp.before[k, 0]),
                cell_number(cmp.after[k, 0]),
                cell_number(cmp.delta[k, 0], 1, sign=True),
                f"[{cell_number(lower[k, 0], 1, sign=True)}, {cell_number(upper[k, 0], 1, sign=True)}]",
                t["class_" + name.replace(" ", "_")] if name else "–",
                ctx.grade_name(int(cmp.grade_before[k])),
                ctx.grade_name(int(cmp.grade_after[k])),
                *[_marked(cmp, k, col[d]) for d in ctx.dims],
            ]
        )
    return Table(
        [
            t["community"],
            t["before"],
            t["after"],
            t["change"],
            t["interval"].format(level=f"{cmp.level:.0%}"),
            t["change_class"],
            t["grade_before"],
            t["grade_after"],
            *[f"Δ {ctx.node_name(d)}" for d in ctx.dims],
        ],
        rows,
        [False, True, True, True, False, False, False, False] + [True] * len(ctx.dims),
    )


def _marked(cmp: object, row: int, column: int) -> str:
    """A dimension's change, with ``*`` where it is within its interval (no clear change)."""
    delta = cmp.delta[row, column]  # type: ignore[attr-defined]
    text = cell_number(delta, 1, sign=True)
    code = cmp.change_class[row, column]  # type: ignore[attr-defined]
    return f"{text}*" if code == 0 and abs(delta) > 1e-9 else text
