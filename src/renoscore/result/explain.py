"""Why a community scores as it does: the fix-first ledger and the portfolio's obstacles.

For each indicator: gap = 1 - s (s the goalpost score in [0, 1]), priority = global weight x
gap, obstacle degree O = priority / sum(priority) (the obstacle-degree model, 障碍度模型; e.g.
Yang et al. 2014 on urban land-use sustainability obstacle factors). :func:`fix_first_items`
lists one community's indicators (unmet basic items first, 应改尽改, then by obstacle degree);
:func:`obstacle_records` averages the obstacle degrees over a portfolio.
:meth:`renoscore.EvaluationResult.fix_first` and
:meth:`~renoscore.EvaluationResult.obstacles` are the doors to them.

Examples
--------
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> [item.indicator for item in fix_first_items(result, "LY", "t0", 2)] == [
...     item.indicator for item in result.fix_first("LY", phase="t0", top=2)]
True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from renoscore._format import optional_float
from renoscore.data import CellStatus
from renoscore.system import Category

if TYPE_CHECKING:
    from renoscore.result.model import EvaluationResult

__all__ = ["FixFirstItem", "Obstacle", "fix_first_items", "obstacle_records"]


class FixFirstItem(BaseModel):
    """One line of a community's problem ledger (问题台账)."""

    model_config = ConfigDict(frozen=True)

    indicator: str
    name_en: str
    name_zh: str
    dimension: str
    category: str
    supplier: str
    direction: str
    unit: str
    value: float | None
    floor: float
    target: float
    score: float | None
    gap: float | None
    global_weight: float
    priority: float | None
    obstacle: float | None
    must_fix: bool
    status: str


class Obstacle(BaseModel):
    """An indicator's obstacle degree across many communities (portfolio view)."""

    model_config = ConfigDict(frozen=True)

    indicator: str
    dimension: str
    category: str
    supplier: str
    mean_obstacle: float
    communities_below_target: int
    communities_scored: int


def fix_first_items(
    result: EvaluationResult, community: str, phase: str | None = None, top: int | None = 10
) -> list[FixFirstItem]:
    """The problem ledger (问题台账) of one community; see :meth:`EvaluationResult.fix_first`."""

    r = result.row(community, phase)
    w = result.weights.indicator_weights()
    s = result.indicator_scores[r] / 100.0
    gap = 1.0 - s
    priority = w * gap
    total = np.nansum(priority)
    obstacle = priority / total if total > 0 else np.where(np.isnan(priority), np.nan, 0.0)
    items: list[FixFirstItem] = []
    for j, ind in enumerate(result.system.indicators):
        measured = not np.isnan(s[j])
        items.append(
            FixFirstItem(
                indicator=ind.id,
                name_en=ind.name.en,
                name_zh=ind.name.zh,
                dimension=result.system.dimension_of(ind.id),
                category=ind.category.value,
                supplier=ind.supplier.value,
                direction=ind.direction.value,
                unit=ind.unit.label("en"),
                value=optional_float(result.values[r, j]),
                floor=ind.goalposts.floor,
                target=ind.goalposts.target,
                score=optional_float(result.indicator_scores[r, j]),
                gap=optional_float(gap[j]),
                global_weight=float(w[j]),
                priority=optional_float(priority[j]),
                obstacle=optional_float(obstacle[j]),
                must_fix=bool(measured and ind.category is Category.BASIC and gap[j] > 1e-12),
                status=CellStatus(int(result.status[r, j])).name.lower(),
            )
        )

    def order(item: FixFirstItem) -> tuple[int, float]:
        if item.obstacle is None:
            return (2, 0.0)
        return (0 if item.must_fix else 1, -item.obstacle)

    items.sort(key=order)
    return items if top is None else items[:top]


def obstacle_records(
    result: EvaluationResult,
    by: Literal["indicator", "supplier", "category", "dimension"] = "indicator",
) -> list[dict[str, Any]]:
    """The portfolio's largest obstacles; see :meth:`EvaluationResult.obstacles`."""

    w = result.weights.indicator_weights()
    priority = w * (1.0 - result.indicator_scores / 100.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(priority, axis=1, keepdims=True)
        obstacle = np.where(total > 0, priority / total, np.nan)
    scored = ~np.isnan(obstacle)
    # Average over the communities with any obstacle, an unmeasured indicator counting 0,
    # so that the shares of a portfolio add up to 1 like each community's do.
    rows_scored = scored.any(axis=1)
    n_rows = int(rows_scored.sum())
    mean = (
        np.nansum(obstacle[rows_scored], axis=0) / n_rows
        if n_rows
        else np.full(obstacle.shape[1], np.nan)
    )
    below = ((result.indicator_scores < 100.0 - 1e-9) & ~np.isnan(result.indicator_scores)).sum(
        axis=0
    )
    rows = [
        Obstacle(
            indicator=ind.id,
            dimension=result.system.dimension_of(ind.id),
            category=ind.category.value,
            supplier=ind.supplier.value,
            mean_obstacle=float(mean[j]),
            communities_below_target=int(below[j]),
            communities_scored=int(scored[:, j].sum()),
        )
        for j, ind in enumerate(result.system.indicators)
    ]
    if by == "indicator":
        out = [o.model_dump() for o in rows]
    else:
        sums: dict[str, float] = {}
        for o in rows:
            key = getattr(o, by)
            sums[key] = sums.get(key, 0.0) + (
                0.0 if math.isnan(o.mean_obstacle) else o.mean_obstacle
            )
        out = [{by: k, "mean_obstacle": v} for k, v in sums.items()]
    out.sort(key=lambda d: -(d["mean_obstacle"] if not math.isnan(d["mean_obstacle"]) else -1))
    return out
