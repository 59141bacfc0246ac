"""The effect of renovation against a comparison group (difference in differences).

The section states the design (phases, renovated and comparison communities, the correction
of the clustered standard errors), the estimate of the goal and every dimension with its
interval, beside the naive before/after change of the renovated communities and the change of
the comparison group, and the pre-trend check where three phases exist.

Examples
--------
Simulated communities (:func:`renoscore.effects.simulate_waves`): the row of the facilities,
in Chinese, beside the naive changes of the renovated and the comparison communities:

>>> import renoscore as rs
>>> from renoscore.effects import renovation_effect, simulate_waves
>>> from renoscore.report._context import ReportContext
>>> sim = simulate_waves(n=60, seed=3)
>>> result = rs.evaluate(rs.default_system(), sim.data, missing="renormalize")
>>> ctx = ReportContext(result, "zh")
>>> ctx.effect = renovation_effect(result, sim.treated)
>>> table = effect_section(ctx)[1]
>>> table.header[:4]
['节点', '改造小区变化', '对照小区变化', '改造净效应（双重差分）']
>>> table.rows[1]
['设施改造', '+12.5', '+2.8', '+9.7', '[+9.5, +9.9]', '0.000', '正向', '–']
"""

from __future__ import annotations

import math

from renoscore._document import Block, ItemList, Paragraph, Table
from renoscore._format import cell_number
from renoscore.effects.result import EFFECT_WORDS
from renoscore.report._context import ReportContext

__all__ = ["effect_section"]


def effect_section(ctx: ReportContext) -> list[Block]:
    """The effect of renovation on the goal and every dimension, with the design and caveats."""
    t, eff = ctx.t, ctx.effect
    assert eff is not None
    words = EFFECT_WORDS["zh" if ctx.lang == "zh" else "en"]
    intro = t["effect_intro"].format(
        phases=" → ".join(ctx.phase_name(p) for p in eff.phases),
        post=ctx.phase_name(eff.post),
        treated=len(eff.treated_ids),
        control=len(eff.control_ids),
        level=f"{eff.level:.0%}",
        correction=eff.correction,
    )
    rows = []
    for node in [eff.node_ids[0], *ctx.dims]:
        k = eff.column(node)
        code = eff.effect_class[k]
        rows.append(
            [
                ctx.node_name(node),
                cell_number(eff.treated_change[k], 1, sign=True),
                cell_number(eff.control_change[k], 1, sign=True),
                cell_number(eff.effect[k], 1, sign=True),
                f"[{cell_number(eff.lower[k], 1, sign=True)}, {cell_number(eff.upper[k], 1, sign=True)}]",
                "–" if math.isnan(eff.p_value[k]) else f"{eff.p_value[k]:.3f}",
                "–" if math.isnan(code) else words[int(code)],
                "–" if math.isnan(eff.pretrend_p[k]) else f"{eff.pretrend_p[k]:.3f}",
            ]
        )
    head = [
        t["node"],
        t["renovated_change"],
        t["comparison_change"],
        t["effect"],
        t["interval"].format(level=f"{eff.level:.0%}"),
        "p",
        t["change_class"],
        t["pretrend"],
    ]
    return [
        Paragraph([intro]),
        Table(head, rows, [False, True, True, True, False, True, False, True]),
        ItemList([[note] for note in eff.notes(ctx.lang)], ordered=False),
    ]
