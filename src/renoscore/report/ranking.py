r"""The ranking with grades, phase by phase, and the grade distribution.

Examples
--------
The two sections' headings in both languages, the phases ranked, a row of the mid-works
progress check (participation only: no overall score, rank or grade), the first community
after renovation, and the grade distribution of the example evaluation:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> from renoscore._document import Heading
>>> [ReportContext(result, lang).t[k] for lang in ("en", "zh") for k in ("ranking", "grades")]
['Ranking and grades', 'Grade distribution', '排名与等级', '等级分布']
>>> blocks = ranking_section(ReportContext(result, "en"))
>>> [b.text for b in blocks if isinstance(b, Heading)]
['baseline assessment before renovation (t0)', 'during the works (t_proc)', 'about one year after completion (t1)', 'about three years after completion (t2)']
>>> blocks[4].rows[0]
['–', 'EQ02', '黄河里', '–', 'progress check', '–', '–', '63.3', '–', '14%', '14%', '']
>>> blocks[6].rows[0]
['1', 'ZY04', '建设局家属楼', '89.1', 'excellent', '92.3', '91.3', '81.0', '95.4', '100%', '100%', '']
>>> print(markdown_document(grades_section(ReportContext(result, "zh")), "files")[0], end="")
| 阶段 | 优秀 | 良好 | 一般 | 较差 | 未评分 |
|---|---:|---:|---:|---:|---:|
| 改造前现状评估 (t0) | 0 | 0 | 3 | 26 | 1 |
| 改造中 (t\_proc) | 0 | 0 | 0 | 0 | 4 |
| 改造后一年 (t1) | 1 | 11 | 0 | 0 | 0 |
| 改造后三年 (t2) | 0 | 0 | 0 | 0 | 4 |
"""

from __future__ import annotations

from functools import partial

import numpy as np

from renoscore._document import Block, Heading, Paragraph, Table
from renoscore._format import cell_number, cell_percent
from renoscore._vocabulary import reason_word
from renoscore.report._context import ReportContext

__all__ = ["grades_section", "ranking_section"]


def ranking_section(ctx: ReportContext) -> list[Block]:
    """The ranking of each phase: rank, score, grade, dimension scores, the two coverage
    numbers (share of the weight that applies, share of that observed), note.

    A progress-check phase is introduced as such: its rows show the dimensions it measures,
    without an overall score, rank or grade.
    """
    t, r = ctx.t, ctx.r
    blocks: list[Block] = []
    head = [
        t["rank"],
        t["community"],
        *([t["name"]] if ctx.name_col is not None else []),
        t["score"],
        t["grade"],
        *[ctx.node_name(d) for d in ctx.dims],
        t["applicable"],
        t["coverage"],
        t["note"],
    ]
    numeric = [True, False, *([False] if ctx.name_col is not None else []), True, False]
    numeric += [True] * len(ctx.dims) + [True, True, False]
    for p in ctx.phases:
        blocks.append(Heading(3, ctx.phase_name(p), f"ranking-{p}"))
        progress = _progress_note(ctx, p)
        if progress is not None:
            blocks.append(progress)
        rows = []
        for k in ctx.ranking_rows(p):
            note = r.reasons[k] or ""
            progress_row = note.startswith("progress check")
            rows.append(
                [
                    cell_number(r.ranks[k, 0], 0),
                    r.ids[k],
                    *([ctx.name_col[k]] if ctx.name_col is not None else []),
                    cell_number(r.group_scores[k, 0]),
                    t["progress_check"] if progress_row else ctx.grade_name(int(r.grades[k, 0])),
                    *[cell_number(r.scores(d)[k]) for d in ctx.dims],
                    cell_percent(r.applicable_share(k, 0)),
                    cell_percent(float(r.coverage[k, 0])),
                    "" if progress_row else reason_word(note, ctx.lang, ctx.sys),
                ]
            )
        scored = int(
            np.count_nonzero(~np.isnan(r.overall[[k for k, q in enumerate(r.phases) if q == p]]))
        )
        if ctx.charts and scored >= 2 and p == ctx.phases[0]:
            shown = min(scored, 40)
            fig, ax = ctx.new_figure((6.8, 1.0 + 0.22 * shown))
            ctx.plot(partial(r.plot.ranking, p, ax, top=shown, lang=ctx.lang))
            blocks.append(ctx.figure(f"ranking-{p}", fig, t["chart_ranking"]))
        blocks.append(Table(head, rows, numeric, cls="ranking"))
    return blocks


def _progress_note(ctx: ReportContext, phase: str | None) -> Paragraph | None:
    """A paragraph saying that a phase is a progress check and what it measures, or None."""
    r = ctx.r
    notes = {r.reasons[k] for k, q in enumerate(r.phases) if q == phase}
    if len(notes) != 1:
        return None
    note = notes.pop()
    if note is None or not note.startswith("progress check"):
        return None
    return Paragraph([reason_word(note, ctx.lang, ctx.sys) + ctx.t["progress_intro"]], cls="note")


def grades_section(ctx: ReportContext) -> list[Block]:
    """How many communities got each grade, by phase (chart and table)."""
    t, r = ctx.t, ctx.r
    from renoscore.plot import ResultPlots

    counts = ResultPlots(r).grade_counts(ctx.phases)
    head = [t["phase"], *[g.name.get(ctx.lang) for g in ctx.sys.grades], t["not_scored"]]
    rows = [
        [ctx.phase_name(p), *[int(c) for c in row]]
        for p, row in zip(ctx.phases, counts, strict=True)
    ]
    blocks: list[Block] = []
    if ctx.charts:
        fig, ax = ctx.new_figure((6.4, 3.4))
        ctx.plot(lambda: r.plot.grade_distribution(ax=ax, lang=ctx.lang))
        blocks.append(ctx.figure("grades", fig, t["chart_grades"]))
    blocks.append(Table(head, rows, [False] + [True] * (len(head) - 1)))
    return blocks
