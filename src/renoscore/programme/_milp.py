"""The MILPs of the selection: a core of items solved with :func:`scipy.optimize.milp`.

Every item outside the core keeps a fixed choice; the core's variables are binary. Money is
scaled by a typical item's cost so that the coefficients are of order one, and every answer
is checked against the constraints in yuan before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from renoscore.programme._selection import SelectionProblem, first_of_identical

__all__ = ["CoreResult", "solve_core", "tie_break"]


@dataclass(frozen=True)
class CoreResult:
    """A plan from a core MILP and whether HiGHS proved it optimal."""

    chosen: NDArray[np.bool_]
    optimal: bool


def _constraints(
    p: SelectionProblem, core: NDArray[np.intp], fixed: NDArray[np.bool_], need: int
) -> list[LinearConstraint] | None:
    """Budget, caps and basic count over the core, given the fixed items (None: infeasible)."""
    scale = _money_scale(p, core)
    left = (p.budget - float(p.cost[fixed].sum())) / scale
    caps_left = (p.caps - p.group_spend(fixed)) / scale
    eps = p.eps / scale
    if left < -eps or (caps_left < -eps).any():
        return None
    n = core.size
    c = p.cost[core] / scale
    rows = [np.zeros(n, dtype=np.intp)]
    cols = [np.arange(n)]
    vals = [c]
    upper = [max(left, 0.0) + eps]
    lower = [-np.inf]
    grp = p.group[core]
    for g in np.unique(grp[grp >= 0]).tolist():
        if not np.isfinite(caps_left[g]):
            continue
        at = np.flatnonzero(grp == g)
        rows.append(np.full(at.size, len(upper)))
        cols.append(at)
        vals.append(c[at])
        upper.append(max(float(caps_left[g]), 0.0) + eps)
        lower.append(-np.inf)
    missing = need - int(p.basic[fixed].sum())
    if missing > 0:
        at = np.flatnonzero(p.basic[core])
        if at.size < missing:
            return None
        rows.append(np.full(at.size, len(upper)))
        cols.append(at)
        vals.append(np.ones(at.size))
        upper.append(np.inf)
        lower.append(float(missing))
    matrix = csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(upper), n),
    )
    return [LinearConstraint(matrix, np.array(lower), np.array(upper))]


def _money_scale(p: SelectionProblem, core: NDArray[np.intp]) -> float:
    """The unit of money in a MILP: the median cost of the core's items.

    HiGHS holds each row to an absolute tolerance of 1e-7 in its own units; with money in
    units of a typical item that is a fraction of a yuan, where units of the whole budget
    would let a plan overspend by hundreds of yuan.
    """
    positive = p.cost[core][p.cost[core] > 0]
    return float(np.median(positive)) if positive.size else 1.0


def _run(
    objective: NDArray[np.float64], cons: list[LinearConstraint], time_limit: float
) -> tuple[NDArray[np.bool_] | None, bool]:
    n = objective.size
    res = milp(
        objective,
        constraints=cons,
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"mip_rel_gap": 0.0, "time_limit": float(time_limit), "disp": False},
    )
    if res.x is None:
        return None, False
    return np.asarray(res.x > 0.5), res.status == 0


def solve_core(
    p: SelectionProblem,
    core: NDArray[np.intp],
    fixed: NDArray[np.bool_],
    need: int,
    time_limit: float,
) -> CoreResult | None:
    """The most valuable plan that keeps ``fixed`` and chooses freely among ``core``.

    Returns None when no plan with these fixings keeps to the budget, the caps and the basic
    count ``need``.
    """
    fixed = fixed.copy()
    fixed[core] = False
    if core.size == 0:
        ok = p.feasible(fixed) and int(p.basic[fixed].sum()) >= need
        return CoreResult(fixed, True) if ok else None
    cons = _constraints(p, core, fixed, need)
    if cons is None:
        return None
    x, proved = _run(-p.value[core], cons, time_limit)
    if x is None:
        return None
    chosen = fixed.copy()
    chosen[core[x]] = True
    if not p.feasible(chosen) or int(p.basic[chosen].sum()) < need:  # pragma: no cover
        return None  # HiGHS' tolerances let a plan past a constraint: not a plan
    return CoreResult(chosen, proved)


def tie_break(
    p: SelectionProblem,
    best: NDArray[np.bool_],
    core: NDArray[np.intp],
    need: int,
    time_limit: float,
) -> NDArray[np.bool_]:
    """Among plans as valuable as ``best`` (to 1e-9 relative), the cheapest; then among
    identical items (same value, cost, basic flag and group) the first ones.

    Only the core can change: every item outside it is in or out of every optimal plan.
    """
    chosen = best.copy()
    if core.size:
        fixed = best.copy()
        fixed[core] = False
        cons = _constraints(p, core, fixed, need)
        target = float(p.value[core][best[core]].sum())
        if cons is not None and target > 0:
            tol = 1e-9 * max(1.0, float(p.value[best].sum()))
            row = csr_array(p.value[core][None, :])
            cons.append(LinearConstraint(row, target - tol, np.inf))
            x, _ = _run(p.cost[core] / _money_scale(p, core), cons, time_limit)
            if x is not None:
                trial = fixed.copy()
                trial[core[x]] = True
                same = float(p.value[trial].sum()) >= float(p.value[best].sum()) - tol
                cheaper = float(p.cost[trial].sum()) < float(p.cost[best].sum())
                if p.feasible(trial) and same and cheaper and p.basic[trial].sum() >= need:
                    chosen = trial
    return first_of_identical(p, chosen)
