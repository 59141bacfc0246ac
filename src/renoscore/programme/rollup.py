"""Community results rolled up to 社区 / 街道 / 区 (or any levels the context names).

For each unit of each level: the communities and households, the household-weighted mean
overall score with its coverage (the share of households whose community was scored), the
distribution of the scores (min, quartiles, max), the counts by grade and, when progress
records are given, by renovation status (the last milestone reached).

The weighted mean is ``sum_n h_n x_n / sum_n h_n`` over the scored communities of the unit;
a community without a household count weighs 1 where none of the unit has one, and is left
out (and counted against the coverage) otherwise.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.programme.rollup import rollup
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> rows = rollup(r, phase="t0", levels=("district",))
>>> rows[0]["level"], rows[-1]["unit_name"] is None, sum(x["communities"] for x in rows[:-1])
('district', True, 30)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from renoscore.errors import OptionError, Problem

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["available_levels", "rollup"]

#: The roll-up levels, smallest first, as context columns.
LEVELS = ("community", "street", "district")


def available_levels(result: EvaluationResult) -> tuple[str, ...]:
    """The roll-up levels the result's context has (社区 ``community``, 街道 ``street``, 区
    ``district``: the context columns of :data:`renoscore._vocabulary.CONTEXT`)."""
    return tuple(level for level in LEVELS if level in result.context)


def rollup(
    result: EvaluationResult,
    *,
    phase: str | None = "auto",
    levels: Sequence[str] | None = None,
    weight: str = "households",
    progress: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Household-weighted scores, distributions and counts by level and unit.

    Parameters
    ----------
    result : EvaluationResult
    phase : str, None or "auto"
        The phase rolled up (default the first present).
    levels : sequence of str, optional
        Context columns naming the units (default :func:`available_levels`).
    weight : str
        The context column of household counts.
    progress : records, optional
        :func:`~renoscore.programme.milestones.project_progress` records: adds counts by stage.

    Returns
    -------
    list of dict
        One record per level and unit (units in name order), then a ``total`` record.
    """
    from renoscore.programme.items import default_phase

    if phase == "auto":
        phase = default_phase(result)
    levels = tuple(levels) if levels is not None else available_levels(result)
    missing = [lv for lv in levels if lv not in result.context]
    if missing:
        raise OptionError(
            "no context column for a roll-up level",
            [Problem(f"no column {lv!r}", column=lv, fix="add it to the data") for lv in missing],
        )
    rows = np.flatnonzero(np.array(result.phases, dtype=object) == phase)
    hh = _numbers(result.context.get(weight), rows)
    stage = {p["community_id"]: p.get("stage") for p in progress or ()}
    out = []
    for level in levels:
        cells = [result.context[level][r] for r in rows.tolist()]
        for unit in sorted(set(cells), key=str):
            sel = rows[np.array([c == unit for c in cells])]
            out.append(
                {"level": level, "unit_name": unit, **_summary(result, sel, hh, rows, stage)}
            )
    out.append({"level": "total", "unit_name": None, **_summary(result, rows, hh, rows, stage)})
    return out


def _numbers(cells: Sequence[Any] | None, rows: np.ndarray) -> dict[int, float]:
    out: dict[int, float] = {}
    if cells is None:
        return out
    for r in rows.tolist():
        try:
            out[r] = float(cells[r])
        except (TypeError, ValueError):
            continue
    return out


def _summary(
    result: EvaluationResult,
    sel: np.ndarray,
    hh: Mapping[int, float],
    rows: np.ndarray,
    stage: Mapping[str, Any],
) -> dict[str, Any]:
    score = result.overall[sel]
    scored = ~np.isnan(score)
    any_hh = any(r in hh for r in sel.tolist())
    w = np.array([hh.get(r, np.nan) if any_hh else 1.0 for r in sel.tolist()])
    use = scored & ~np.isnan(w)
    total_w = float(np.nansum(w)) if any_hh else float(sel.size)
    mean = (
        float((w[use] * score[use]).sum() / w[use].sum())
        if use.any() and w[use].sum() > 0
        else None
    )
    q = np.quantile(score[scored], [0.0, 0.25, 0.5, 0.75, 1.0]) if scored.any() else [None] * 5
    grades = result.grades[sel, 0]
    names = [g.id for g in result.system.grades]
    rec: dict[str, Any] = {
        "communities": int(sel.size),
        "households": float(np.nansum(w)) if any_hh else None,
        "mean_score": mean,
        "household_coverage": float(w[use].sum() / total_w) if total_w else None,
        "min": _f(q[0]),
        "q1": _f(q[1]),
        "median": _f(q[2]),
        "q3": _f(q[3]),
        "max": _f(q[4]),
    }
    for k, gid in enumerate(names):
        rec[f"grade_{gid}"] = int((grades == k).sum())
    rec["not_scored"] = int((grades < 0).sum())
    if stage:
        ids = [str(result.ids[r]) for r in sel.tolist()]
        for s in ("none", "application", "design", "publicity", "start", "acceptance", "handover"):
            rec[f"stage_{s}"] = sum(1 for i in ids if (stage.get(i) or "none") == s)
    return rec


def _f(x: Any) -> float | None:
    return None if x is None else float(x)
