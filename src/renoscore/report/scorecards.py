r"""A scorecard per community: its scores by phase, its change, its radar chart and what to fix first.

Examples
--------
The section's heading in both languages, and the card of the first-ranked community before
renovation (its scores and the two items to fix first; its context line left out). GC04 has no
renovation project yet, so resident participation is not assessed there:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [ReportContext(result, lang).t["scorecards"] for lang in ("en", "zh")]
['Community scorecards', '小区评价档案']
>>> ctx = ReportContext(result, "en", max_scorecards=1, fix_first_top=2)
>>> card = scorecards_section(ctx)[1].blocks
>>> print(markdown_document([card[0], *card[2:]], "files")[0], end="")
### ZY04 建设局家属楼
<BLANKLINE>
| phase | score | rank | grade | facility renovation | public services | resident participation and co-governance | community social capital | coverage |
|---|---:|---:|---|---:|---:|---:|---:|---:|
| baseline assessment before renovation (t0) | 67.1 | 1 of 29 | fair | 44.5 | 80.5 | 64.9 | 91.0 | 90% |
| about one year after completion (t1) | 89.1 | 1 of 12 | excellent | 92.3 | 91.3 | 81.0 | 95.4 | 100% |
<BLANKLINE>
What to fix first — about one year after completion (t1)
<BLANKLINE>
| \# | indicator | dimension | value | target | unit | score | obstacle degree | must fix | supplier |
|---:|---|---|---:|---:|---|---:|---:|---|---|
| 1 | Central heating in order | facility renovation | 0.8 | 1 | share 0–1 (of buildings) | 80.0 | 2.7% | yes | utility companies |
| 2 | Security coverage of gates and main paths | facility renovation | 0.857 | 1 | share 0–1 (of gates and main paths) | 85.7 | 1.9% | yes | government |
"""

from __future__ import annotations

import math

import numpy as np

from renoscore._document import Block, Heading, Paragraph, Section, Table
from renoscore._format import cell_number, cell_percent
from renoscore._vocabulary import context_label, unit_label
from renoscore.report._context import ReportContext
from renoscore.report._words import SUPPLIER

__all__ = ["scorecards_section"]


def scorecards_section(ctx: ReportContext) -> list[Block]:
    """A card for each community shown (by rank in the first phase), then how to read them."""
    t, r = ctx.t, ctx.r
    ids = ctx.community_order()
    shown = ids if ctx.max_cards is None else ids[: ctx.max_cards]
    blocks: list[Block] = []
    if len(shown) < len(ids):
        blocks.append(Paragraph([t["more_cards"].format(k=len(shown), n=len(ids))], cls="note"))
    n_in_phase = {
        p: int(
            np.count_nonzero(~np.isnan(r.overall[[k for k, q in enumerate(r.phases) if q == p]]))
        )
        for p in ctx.phases
    }
    for num, cid in enumerate(shown):
        blocks.append(Section(_card(ctx, num, cid, n_in_phase), cls="card"))
    blocks.append(Paragraph([t["fix_first_note"]], cls="note"))
    return blocks


def _card(ctx: ReportContext, num: int, cid: str, n_in_phase: dict[str | None, int]) -> list[Block]:
    """One community's card: heading, scores by phase, change, radar chart, fix-first list."""
    r = ctx.r
    phase_order = {p: k for k, p in enumerate(ctx.phases)}
    rows_c = sorted(
        [k for k, i in enumerate(r.ids) if i == cid], key=lambda k: phase_order[r.phases[k]]
    )
    card = _card_head(ctx, num, cid, rows_c)
    card.append(_phase_table(ctx, rows_c, n_in_phase))
    if ctx.cmp is not None and cid in ctx.cmp.ids:
        card.append(_change_line(ctx, cid))
    if ctx.charts and len(ctx.dims) >= 3:
        card += _radar(ctx, num, cid, rows_c)
    scored_rows = [k for k in rows_c if not math.isnan(r.overall[k])]
    if scored_rows:
        card += _fix_first(ctx, cid, scored_rows[-1])
    return card


def _card_head(ctx: ReportContext, num: int, cid: str, rows_c: list[int]) -> list[Block]:
    """The card's heading (id and name) and what the data says about the community."""
    t, r = ctx.t, ctx.r
    title = cid if ctx.name_col is None else f"{cid} {ctx.name_col[rows_c[0]]}"
    card: list[Block] = [Heading(3, title, f"c{num}")]
    colon, sep = ("：", "；") if ctx.lang == "zh" else (": ", "; ")
    about = [
        f"{context_label(ctx.sys, k, ctx.lang)}{colon}{v[rows_c[0]]}"
        for k, v in r.context.items()
        if k != "name" and v[rows_c[0]] not in (None, "")
    ]
    if about:
        card.append(Paragraph([f"{t['context']} — " + sep.join(about)], cls="about"))
    return card


def _phase_table(ctx: ReportContext, rows_c: list[int], n_in_phase: dict[str | None, int]) -> Table:
    """The community's score, rank, grade, dimension scores and coverage in each phase."""
    t, r = ctx.t, ctx.r
    head = [
        *(t[key] for key in ("phase", "score", "rank", "grade")),
        *[ctx.node_name(d) for d in ctx.dims],
        t["coverage"],
    ]
    rows = [
        [
            ctx.phase_name(r.phases[k]),
            cell_number(r.group_scores[k, 0]),
            "–"
            if math.isnan(r.ranks[k, 0])
            else f"{r.ranks[k, 0]:.0f} {t['of']} {n_in_phase[r.phases[k]]}",
            ctx.grade_name(int(r.grades[k, 0])),
            *[cell_number(r.scores(d)[k]) for d in ctx.dims],
            cell_percent(float(r.coverage[k, 0])),
        ]
        for k in rows_c
    ]
    return Table(head, rows, [False, True, True, False] + [True] * len(ctx.dims) + [True])


def _change_line(ctx: ReportContext, cid: str) -> Paragraph:
    """The community's change between the compared phases, and the indicators that moved."""
    t = ctx.t
    assert ctx.cmp is not None
    c = ctx.cmp.community(cid)
    names = ctx.node_name
    return Paragraph(
        [
            t["change_line"].format(
                b=ctx.phase_name(ctx.cmp.before_phase),
                a=ctx.phase_name(ctx.cmp.after_phase),
                d=cell_number(c["overall_change"], 1, sign=True),
                new=", ".join(names(i) for i in c["newly_at_target"]) or t["none"],
                worse=", ".join(names(i) for i in c["worse"]) or t["none"],
            )
        ]
    )


def _radar(ctx: ReportContext, num: int, cid: str, rows_c: list[int]) -> list[Block]:
    """The radar chart of the community's dimension scores, when a phase measured any."""
    t, r = ctx.t, ctx.r
    fig, ax = ctx.new_figure((5.6, 4.2), polar=True)
    measured = [k for k in rows_c if (~np.isnan(r.group_scores[k, 1:])).sum() >= 1]
    if not measured:
        return []
    ctx.plot(lambda: r.plot.radar(cid, ax=ax, lang=ctx.lang))
    return [ctx.figure(f"radar-{num}", fig, t["chart_radar"])]


def _fix_first(ctx: ReportContext, cid: str, k: int) -> list[Block]:
    """What to fix first in the community's latest scored phase (row ``k``)."""
    t, r = ctx.t, ctx.r
    items = r.fix_first(cid, r.phases[k], top=ctx.top)
    caption = Paragraph([f"{t['fix_first']} — {ctx.phase_name(r.phases[k])}"], cls="caption")
    table = Table(
        [
            "#",
            t["indicator"],
            t["dimension"],
            t["value"],
            t["target"],
            t["unit"],
            t["score"],
            t["obstacle"],
            t["must_fix"],
            t["supplier"],
        ],
        [
            [
                j,
                it.name_zh if ctx.lang == "zh" else it.name_en,
                ctx.node_name(it.dimension),
                "–" if it.value is None else f"{it.value:g}",
                f"{it.target:g}",
                unit_label(ctx.sys.node(it.indicator), ctx.lang),
                cell_number(it.score),
                cell_percent(it.obstacle, 1),
                t["yes"] if it.must_fix else "",
                SUPPLIER[ctx.lang].get(it.supplier, it.supplier),
            ]
            for j, it in enumerate(items, 1)
        ],
        [True, False, False, True, True, False, True, True, False, False],
        cls="fixfirst",
    )
    return [caption, table]
