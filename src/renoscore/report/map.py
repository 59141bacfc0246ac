"""The map of the communities: grades on a local plane, life circles around one community.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.report._context import ReportContext
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ctx = ReportContext(r, "en")
>>> map_focus(ctx) in r.ids
True
"""

from __future__ import annotations

import numpy as np

from renoscore._document import Block, Paragraph
from renoscore.report._context import ReportContext

__all__ = ["map_focus", "map_section"]


def map_focus(ctx: ReportContext) -> str:
    """The community the life circles are drawn around: the given one, else the lowest scored
    community of the first phase (the one most in need)."""
    if ctx.map_focus:
        return ctx.map_focus
    rows = [k for k in ctx.ranking_rows(ctx.phases[0]) if not np.isnan(ctx.r.overall[k])]
    return str(ctx.r.ids[rows[-1]]) if rows else str(ctx.r.ids[0])


def map_section(ctx: ReportContext) -> list[Block]:
    """The map as inline SVG (text kept as text) with its introduction."""
    focus = map_focus(ctx)
    blocks: list[Block] = [Paragraph([ctx.t["map_intro"].format(focus=focus)])]
    fig, ax = ctx.new_figure((7.4, 6.2))
    ctx.plot(
        lambda: ctx.r.plot.map(ctx.phases[0], ax, focus=focus, services=ctx.services, lang=ctx.lang)
    )
    blocks.append(ctx.figure("map", fig, ctx.t["chart_map"]))
    return blocks
