"""Roll-up tables by street and district, and the progress of the projects when given."""

from __future__ import annotations

from typing import Any

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore.report._cells import number, percent
from renoscore.report._context import ReportContext

__all__ = ["progress_section", "rollup_section"]


def rollup_section(ctx: ReportContext) -> list[Block]:
    """Household-weighted mean score, coverage, spread and grade counts by level and unit."""
    from renoscore.programme._words import word
    from renoscore.programme.rollup import available_levels, rollup

    t, lang = ctx.t, ctx.lang
    phase = ctx.phases[0]
    rows = rollup(
        ctx.r,
        phase=phase,
        levels=[lv for lv in ("street", "district") if lv in available_levels(ctx.r)],
    )
    grades = [g.id for g in ctx.sys.grades]
    head = [
        word(lang, "level"),
        word(lang, "unit_name"),
        word(lang, "community"),
        word(lang, "households"),
        word(lang, "mean_score"),
        word(lang, "coverage"),
        word(lang, "min"),
        word(lang, "median"),
        word(lang, "max"),
        *[g.name.get(lang) for g in ctx.sys.grades],
    ]
    body = [
        [
            word(lang, r["level"]) if r["level"] != "total" else word(lang, "total"),
            r["unit"] or "",
            r["communities"],
            number(r["households"], 0),
            number(r["mean_score"]),
            percent(r["coverage"]),
            number(r["min"]),
            number(r["median"]),
            number(r["max"]),
            *[r[f"grade_{g}"] for g in grades],
        ]
        for r in rows
    ]
    numeric = [False, False] + [True] * (len(head) - 2)
    return [
        Paragraph([t["rollup_intro"].format(phase=ctx.phase_name(phase))]),
        Table(head, body, numeric, cls="rollup"),
    ]


def progress_section(ctx: ReportContext) -> list[Block]:
    """开工率, 完工率, 投资完成率 and days late by street and district."""
    from renoscore.programme._words import word
    from renoscore.programme.milestones import progress_rollup, project_progress

    t, lang = ctx.t, ctx.lang
    projects, day = ctx.projects
    prog = project_progress(projects, day)
    levels: dict[str, dict[str, Any]] = {
        lv: dict(zip(ctx.r.ids, ctx.r.context[lv], strict=True))
        for lv in ("street", "district")
        if lv in ctx.r.context
    }
    rows = progress_rollup(prog, levels)
    head = [
        word(lang, k)
        for k in (
            "level",
            "unit_name",
            "projects",
            "start_rate",
            "completion_rate",
            "investment_rate",
            "days_late",
            "max_days_late",
        )
    ]
    body = [
        [
            word(lang, r["level"]) if r["level"] != "total" else word(lang, "total"),
            r["unit"] or "",
            r["projects"],
            percent(r["start_rate"]),
            percent(r["completion_rate"]),
            percent(r["investment_rate"]),
            number(r["days_late"]),
            r["max_days_late"],
        ]
        for r in rows
    ]
    return [
        Heading(3, t["progress"], "progress"),
        Paragraph([t["progress_intro"].format(day=day.isoformat())]),
        Table(head, body, [False, False] + [True] * 6, cls="progress"),
    ]
