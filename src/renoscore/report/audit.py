"""The statistical audit in the report, and an audit's notebook view.

:func:`audit_blocks` gives the audit's blocks in a language (flags, availability, distribution,
discrimination, correlations, consistency, effective importance, and the link to the rank
stability); :func:`audit_section` puts them in the report, :func:`audit_html` in a notebook.

Examples
--------
>>> import renoscore as rs
>>> html = audit_html(rs.audit(rs.default_system(), rs.example_data()), lang="zh")
>>> "区分度" in html and "目标值饱和" in html
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from renoscore._document import Block, Heading, Inline, Link, Paragraph, Table, html_fragment
from renoscore._format import cell_number, cell_percent
from renoscore.audit._words import WORDS
from renoscore.report._context import ReportContext

if TYPE_CHECKING:
    from renoscore._document import Figure
    from renoscore.audit import AuditResult

__all__ = ["audit_blocks", "audit_html", "audit_section"]

Figures = Callable[[str, Any, str], "Figure"] | None


def audit_section(ctx: ReportContext) -> list[Block]:
    """The report's audit section: every table, the two charts, and the uncertainty link."""
    figures = None
    if ctx.charts:

        def figures(key: str, draw: Any, caption: str) -> Figure:
            fig, ax = ctx.new_figure((6.5, 5.0) if key == "importance" else (6.0, 8.0))
            draw(ax)
            return ctx.figure(f"audit-{key}", fig, caption)

    return audit_blocks(ctx.audit, ctx.lang, figures, has_uncertainty=ctx.unc is not None)


def audit_html(audit: AuditResult, lang: str = "en") -> str:
    """Escaped HTML of an audit for notebooks (tables only)."""
    return f'<div class="renoscore">{html_fragment(audit_blocks(audit, lang))}</div>'


def audit_blocks(
    a: AuditResult, lang: str, figures: Figures = None, *, has_uncertainty: bool = False
) -> list[Block]:
    """The audit's blocks, headings at level 3."""
    w = WORDS[lang]
    blocks: list[Block] = [
        Paragraph([w["intro"].format(phase=a.phase or "–")]),
        Paragraph(
            [
                w["summary"].format(n=a.communities, phase=a.phase or "–", f=len(a.flags)),
                " ",
                a.ranks_text(lang),
            ]
        ),
        *_flags(a, lang),
        *_availability(a, lang),
        *_distribution(a, lang),
        *_discrimination(a, lang),
        *_correlation(a, lang, figures),
        *_consistency(a, lang),
        *_importance(a, lang, figures),
        Heading(3, w["uncertainty_link"], "audit-uncertainty"),
    ]
    link: list[Inline] = []
    if has_uncertainty:
        link = [Link(w["uncertainty_link"], "#uncertainty"), " — "]
    blocks.append(Paragraph([*link, w["link_text"]]))
    return blocks


def _flags(a: AuditResult, lang: str) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    if not a.flags:
        return [Heading(3, w["flags"], "audit-flags"), Paragraph([w["no_flags"]])]
    rows = [
        [w[f.section], show(f.subject) if f.code != "screened" else f.subject, f.phase or "–",
         f.text(lang, show)]
        for f in a.flags
    ]  # fmt: skip
    return [
        Heading(3, w["flags"], "audit-flags"),
        Table([w["flag"], w["node"], w["phase"], w["value"]], rows, [False] * 4),
    ]


def _availability(a: AuditResult, lang: str) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    low = [r for r in a.records("availability") if r["observed"] is not None
           and r["observed"] < a.settings.t_avail]  # fmt: skip
    blocks: list[Block] = [Heading(3, w["availability"], "audit-availability")]
    if low:
        blocks.append(
            Table(
                [w["indicator"], w["phase"], w["applicable"], w["observed"]],
                [
                    [
                        show(r["indicator"]),
                        r["phase"] or "–",
                        r["applicable"],
                        cell_percent(r["observed"]),
                    ]
                    for r in low
                ],
                [False, False, True, True],
            )
        )
    screened = [r for r in a.records("communities") if r["screened"]]
    blocks.append(Paragraph([w["low_rows"].format(t=a.settings.dat_thresh) + ":"]))
    blocks.append(
        Table(
            [w["community"], w["phase"], w["observed"]],
            [[r["community_id"], r["phase"] or "–", cell_percent(r["observed"])] for r in screened],
            [False, False, True],
        )
        if screened
        else Paragraph(["–"])
    )
    return blocks


def _distribution(a: AuditResult, lang: str) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    rows = [
        [show(r["indicator"]), r["n"], cell_number(r["mean"], 2), cell_number(r["sd"], 2),
         cell_number(r["min"], 2), cell_number(r["max"], 2), cell_number(r["skew"], 2), cell_number(r["kurt"], 2),
         "⚑" if r["outliers"] else "", r["treatment"]]
        for r in a.records("distribution", lang)
    ]  # fmt: skip
    head = [w["indicator"], w["n"], w["mean"], w["sd"], w["min"], w["max"], w["skew"],
            w["kurt"], w["outlier"], w["treatment"]]  # fmt: skip
    return [
        Heading(3, w["distribution"], "audit-distribution"),
        Table(head, rows, [False, True, True, True, True, True, True, True, False, False]),
    ]


def _discrimination(a: AuditResult, lang: str) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    flagged = {(f.subject, f.phase) for f in a.flags if f.section == "discrimination"}
    rows = [
        [show(r["indicator"]), r["phase"] or "–", r["observed"], cell_percent(r["at_floor"]),
         cell_percent(r["at_target"])]
        for r in a.records("discrimination") if (r["indicator"], r["phase"]) in flagged
    ]  # fmt: skip
    blocks: list[Block] = [Heading(3, w["discrimination"], "audit-discrimination")]
    if rows:
        blocks.append(
            Table(
                [w["indicator"], w["phase"], w["n"], w["at_floor"], w["at_target"]],
                rows,
                [False, False, True, True, True],
            )
        )
    else:
        blocks.append(Paragraph([w["no_flags"]]))
    return blocks


def _correlation(a: AuditResult, lang: str, figures: Figures) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    blocks: list[Block] = [Heading(3, w["correlation"], "audit-correlation")]
    if figures is not None:
        blocks.append(figures("heatmap", lambda ax: a.plot.heatmap(ax, lang=lang),
                              w["chart_heatmap"]))  # fmt: skip
    rows = []
    for r in a.records("correlation"):
        own = r.get(f"pearson_{r['dimension']}")
        others = [(v, k[8:]) for k, v in r.items()
                  if k.startswith("pearson_") and k not in (f"pearson_{r['dimension']}",
                                                            "pearson_overall") and v is not None]  # fmt: skip
        best = max(others) if others else (None, "")
        rows.append([show(r["indicator"]), cell_number(own, 2),
                     f"{cell_number(best[0], 2)} ({show(best[1])})" if best[0] is not None else "–",
                     cell_number(r["pearson_overall"], 2), cell_number(r["spearman_overall"], 2)])  # fmt: skip
    blocks.append(
        Table(
            [
                w["indicator"],
                w["own_dimension"],
                w["best_other"],
                w["overall_r"],
                f"{w['overall_r']} (Spearman)",
            ],
            rows,
            [False, True, False, True, True],
        )
    )
    return blocks


def _consistency(a: AuditResult, lang: str) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    rows = [
        [show(r["group"]), r["children"],
         cell_number(r["alpha"], 2) if r["alpha"] is not None else r["alpha_note"],
         r["complete"], cell_percent(r["first_share"]) if r["first_share"] is not None else r["pca_note"],
         r["eigen_above_one"] if r["eigen_above_one"] is not None else "–"]
        for r in a.records("consistency", lang)
    ]  # fmt: skip
    return [
        Heading(3, w["consistency"], "audit-consistency"),
        Table(
            [
                w["group"],
                w["children"],
                w["alpha"],
                w["complete"],
                w["first_share"],
                w["eigen_above_one"],
            ],
            rows,
            [False, True, True, True, True, True],
        ),
    ]


def _importance(a: AuditResult, lang: str, figures: Figures) -> list[Block]:
    w = WORDS[lang]
    show = a.name(lang)
    blocks: list[Block] = [Heading(3, w["importance"], "audit-importance")]
    if figures is not None:
        blocks.append(figures("importance", lambda ax: a.plot.importance(ax, lang=lang),
                              w["chart_importance"]))  # fmt: skip
    rows = [
        [show(r["node"]), cell_number(r["S"], 3), cell_number(r["S_rel"], 3), cell_number(r["w_rel"], 3),
         cell_number(r["S_rel"] / r["w_rel"], 2) if r["S_rel"] is not None and r["w_rel"] else "–",
         cell_number(r["r2"], 3), r["note"]]
        for r in a.records("importance", lang)
    ]  # fmt: skip
    blocks.append(
        Table(
            [w["node"], w["S"], w["S_rel"], w["w_rel"], w["ratio"], w["r2"], ""],
            rows,
            [False, True, True, True, True, True, False],
        )
    )
    return blocks
