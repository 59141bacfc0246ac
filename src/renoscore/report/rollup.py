"""Roll-up tables by street and district, and the progress of the projects when given.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.report._context import ReportContext
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> table = rollup_section(ReportContext(r, "zh"))[1]
>>> table.header[:5], table.rows[-1][0]
(['层级', '单位名称', '小区数', '总户数', '按户数加权平均得分'], '合计')
"""

from __future__ import annotations

from typing import Any

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore._format import cell_number as number
from renoscore._format import cell_percent as percent
from renoscore._vocabulary import column_word, context_label
from renoscore.report._context import ReportContext

__all__ = ["progress_section", "rollup_section"]


def _level(ctx: ReportContext, level: str) -> str:
    from renoscore.programme._words import LEVEL

    return LEVEL[ctx.lang].get(level, level)


def rollup_section(ctx: ReportContext) -> list[Block]:
    """Household-weighted mean score, coverage, spread and grade counts by level and unit."""
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
        *(column_word(k, lang) for k in ("level", "unit_name", "communities")),
        context_label(ctx.sys, "households", lang),
        *(
            column_word(k, lang)
            for k in ("mean_score", "household_coverage", "min", "median", "max")
        ),
        *[g.name.get(lang) for g in ctx.sys.grades],
    ]
    body = [
        [
            _level(ctx, r["level"]),
            r["unit_name"] or "",
            r["communities"],
            number(r["households"], 0),
            number(r["mean_score"]),
            percent(r["household_coverage"]),
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
    keys = (
        "level",
        "unit_name",
        "projects",
        "start_rate",
        "completion_rate",
        "investment_rate",
        "days_late",
        "max_days_late",
    )
    body = [
        [
            _level(ctx, r["level"]),
            r["unit_name"] or "",
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
        Table(
            [column_word(k, lang) for k in keys], body, [False, False] + [True] * 6, cls="progress"
        ),
    ]
