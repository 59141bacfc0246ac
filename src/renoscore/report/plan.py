"""The budgeted priority list: the plan's summary, the gains by community, the funded items."""

from __future__ import annotations

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore.report._cells import number
from renoscore.report._context import ReportContext

__all__ = ["plan_section"]


def plan_section(ctx: ReportContext) -> list[Block]:
    """Summary lines, then a table per community and one of the funded items with reasons."""
    from renoscore.programme._words import LEDGER_HEADERS, word
    from renoscore.programme.amounts import format_amount

    plan, t, lang = ctx.plan, ctx.t, ctx.lang
    blocks: list[Block] = [
        Paragraph([t["plan_intro"].format(budget=format_amount(plan.budget, lang))]),
        Paragraph([plan.summary(lang)], cls="pre"),
        Heading(3, t["plan_communities"], "plan-communities"),
    ]
    head = [
        word(lang, k)
        for k in ("community", "unit_name", "items", "cost", "score_before", "gain", "score_after")
    ]
    rows = [
        [
            r["community_id"],
            r["name"] or "",
            r["items"],
            number(r["cost"], 0),
            number(r["score_now"]),
            number(r["gain"], 2),
            number(r["score_after"]),
        ]
        for r in plan.community_records(lang)
        if r["items"]
    ]
    blocks.append(Table(head, rows, [False, False, True, True, True, True, True]))
    blocks.append(Heading(3, t["plan_items"], "plan-items"))
    recs = plan.records(lang, funded_only=True)
    head = [
        word(lang, "community"),
        word(lang, "indicator"),
        LEDGER_HEADERS[lang]["category"],
        word(lang, "cost"),
        word(lang, "gain"),
        t["note"],
    ]
    rows = [
        [
            r["community_id"],
            r["indicator_name"],
            r["category"],
            number(r["cost"], 0),
            number(r["gain"], 2),
            r["reason"],
        ]
        for r in recs
    ]
    blocks.append(Table(head, rows, [False, False, False, True, True, False]))
    return blocks
