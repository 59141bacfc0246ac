"""The budgeted priority list: the plan's summary, the gains by community, the funded items.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.programme import plan_programme
>>> from renoscore.report._context import ReportContext
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ctx = ReportContext(r, "zh", plan=plan_programme(r, "3000万"))
>>> [b.header[:3] for b in plan_section(ctx) if hasattr(b, "header")][0]
['小区编号', '小区名称', '纳入计划项目数']
"""

from __future__ import annotations

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore._format import cell_number as number
from renoscore._vocabulary import column_word, context_label
from renoscore.report._context import ReportContext

__all__ = ["plan_section"]


def plan_section(ctx: ReportContext) -> list[Block]:
    """Summary lines, then a table per community and one of the funded items with reasons."""
    from renoscore.programme.amounts import format_amount

    plan, t, lang = ctx.plan, ctx.t, ctx.lang
    blocks: list[Block] = [
        Paragraph([t["plan_intro"].format(budget=format_amount(plan.budget, lang))]),
        Paragraph([plan.summary(lang)], cls="pre"),
        Heading(3, t["plan_communities"], "plan-communities"),
    ]
    keys = ("funded_items", "cost", "score_now", "gain", "score_after")
    head = [
        column_word("community_id", lang),
        context_label(ctx.sys, "name", lang),
        *(column_word(k, lang) for k in keys),
    ]
    rows = [
        [
            r["community_id"],
            r["name"] or "",
            r["funded_items"],
            number(r["cost"], 0),
            number(r["score_now"]),
            number(r["gain"], 2),
            number(r["score_after"]),
        ]
        for r in plan.community_records(lang)
        if r["funded_items"]
    ]
    blocks.append(Table(head, rows, [False, False, True, True, True, True, True]))
    blocks.append(Heading(3, t["plan_items"], "plan-items"))
    columns = ("community_id", "indicator_name", "category", "cost", "gain", "decision_reason")
    rows = [
        [
            r["community_id"],
            r["indicator_name"],
            r["category"],
            number(r["cost"], 0),
            number(r["gain"], 2),
            r["decision_reason"],
        ]
        for r in plan.records(lang, funded_only=True)
    ]
    head = [column_word(k, lang) for k in columns]
    blocks.append(Table(head, rows, [False, False, False, True, True, False]))
    return blocks
