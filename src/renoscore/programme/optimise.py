"""The exact budgeted selection: basic items first, then the most value, then the least cost.

Given items ``i`` with value ``v_i >= 0`` (the willingness-weighted score gain), cost
``c_i >= 0``, a basic flag ``b_i`` and a cap group ``d(i)``, a budget ``B`` and group caps
``C_d``, :func:`solve_selection` chooses ``x in {0, 1}^n`` lexicographically:

1. **应改尽改** — maximise the number of basic items funded, ``K* = max sum_i b_i x_i``
   subject to ``sum_i c_i x_i <= B`` and ``sum_{i in d} c_i x_i <= C_d``. With one budget and
   caps on disjoint groups, taking basic items cheapest first while they fit is optimal (the
   cheapest ``k`` items of a group cost least for every ``k`` and their running costs are
   convex, so the greedy allocation of Gross (1956) is exact); no solver is needed.
2. maximise ``sum_i v_i x_i`` subject to the same constraints and ``sum_i b_i x_i >= K*``,
   solved exactly with :func:`scipy.optimize.milp` (HiGHS branch and bound, relative gap 0).
3. among the plans of stage 2's value (to 1e-9 relative), minimise the cost; plans still tied
   take the item that comes first among identical items (same value, cost, flag and group).

Exactness at scale. HiGHS alone needs minutes for a knapsack of 10,000 binaries with a zero
gap. Stage 2 therefore first fixes every item whose fate the LP bound decides (reduced-cost
fixing; Balas & Zemel 1980, Pisinger 1995): with multipliers ``lambda`` (budget) and ``mu_d``
(caps) from the greedy fractional solution, any plan's value is at most
``U = lambda B + sum_d mu_d C_d + sum_i max(0, r_i)`` with ``r_i = v_i - (lambda + mu_d) c_i``
(weak duality, valid for any multipliers >= 0). Given a feasible plan of value ``Z``, a plan
that reverses the sign choice of item ``i`` is worth at most ``U - |r_i|``; when that is below
``Z`` the item is fixed (in if ``r_i > 0``, out otherwise). ``Z`` comes from a small MILP on the
300 items of smallest ``|r_i|``; only the items with ``|r_i| <= U - Z`` are left to the final
MILP, usually a few hundred of a million.

Examples
--------
>>> import numpy as np
>>> v = np.array([3.0, 2.0, 2.5, 0.5])
>>> c = np.array([4.0, 3.0, 3.0, 1.0])
>>> b = np.array([False, False, False, True])
>>> s = solve_selection(v, c, b, budget=7.0)
>>> s.chosen.tolist(), s.basic_funded, round(s.value, 6), s.optimal
([False, True, True, True], 1, 5.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore.programme._selection import SelectionProblem, greedy_fill, group_cumsum, ratio_order

__all__ = ["Selection", "basic_first", "lagrangian_bound", "solve_selection"]

#: Items in the first small MILP that finds a good plan (``Z``).
FIRST_CORE = 300


@dataclass(frozen=True)
class Selection:
    """The chosen items and what the solver proved.

    Attributes
    ----------
    chosen : bool array, shape (n,)
    value, cost : float
        Total value and cost of the chosen items.
    basic_funded, basic_max : int
        Basic items funded (``K*``, the most any plan within the budget funds).
    bound : float
        An upper bound on the value of any plan funding ``K*`` basic items.
    optimal : bool
        True when every MILP finished with a proof of optimality.
    core : int
        Items left to the final MILP after fixing.
    """

    chosen: NDArray[np.bool_]
    value: float
    cost: float
    basic_funded: int
    basic_max: int
    bound: float
    optimal: bool
    core: int


def basic_first(p: SelectionProblem) -> NDArray[np.bool_]:
    """Stage 1: the basic items taken cheapest first while they fit (ties by position).

    Their number is the most basic items any plan within the budget and caps can fund.

    Examples
    --------
    >>> p = SelectionProblem.build(np.zeros(3), np.array([5.0, 1.0, 2.0]), np.ones(3, bool), 4.0)
    >>> basic_first(p).tolist()
    [False, True, True]
    """
    idx = np.flatnonzero(p.basic)
    order = idx[np.lexsort((idx, p.cost[idx]))]
    return greedy_fill(p, order)


def lagrangian_bound(
    p: SelectionProblem,
    free: NDArray[np.intp],
    left: float,
    caps_left: NDArray[np.float64],
    nu: float = 0.0,
    need: int = 0,
) -> tuple[float, NDArray[np.float64]]:
    """Upper bound on the value of the ``free`` items within ``left`` and ``caps_left`` (and
    at least ``need`` basic items), and their reduced values
    ``r_i = v_i + nu b_i - (lambda + mu_d) c_i``.

    The multipliers come from the fractional greedy on the values ``v_i + nu b_i`` (value per
    yuan, each group cut at its cap): ``lambda`` is the ratio of the item where the budget
    runs out, ``mu_d`` the excess of the ratio where group ``d``'s cap runs out over
    ``lambda``; ``nu`` (the price of the basic count) is the caller's. Any multipliers >= 0
    give a valid bound (weak duality).
    """
    worth = p.value + nu * p.basic
    order = ratio_order(p, free, worth)
    c = p.cost[order]
    v = worth[order]
    grp = p.group[order]
    ncap = caps_left.size
    gi = np.where(grp >= 0, grp, ncap)
    caps_x = np.r_[caps_left, np.inf]
    gcum = group_cumsum(c, gi)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip((caps_x[gi] - (gcum - c)) / c, 0.0, 1.0)
    share = np.where(c > 0, share, 1.0)
    share = np.where(v > 0, share, 0.0)
    used = c * share
    cum = np.cumsum(used)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c > 0, v / c, np.inf)
    stop = int(np.searchsorted(cum, left, side="right"))
    lam = float(ratio[stop]) if stop < order.size and np.isfinite(ratio[stop]) else 0.0
    lam = max(lam, 0.0)
    mu = np.zeros(ncap + 1)
    saturated = (gcum >= caps_x[gi]) & (gcum - c < caps_x[gi]) & (c > 0)
    saturated[stop:] = False
    for pos in np.flatnonzero(saturated).tolist():  # at most one per group
        mu[gi[pos]] = max(0.0, float(ratio[pos]) - lam)
    mu[ncap] = 0.0
    r = worth[free] - (lam + mu[np.where(p.group[free] >= 0, p.group[free], ncap)]) * p.cost[free]
    finite_caps = np.isfinite(caps_left)
    bound = (
        -nu * need
        + lam * left
        + float((mu[:ncap][finite_caps] * caps_left[finite_caps]).sum())
        + float(np.maximum(r, 0.0).sum())
    )
    return bound, r


def solve_selection(
    value: NDArray[np.float64],
    cost: NDArray[np.float64],
    basic: NDArray[np.bool_],
    budget: float,
    group: NDArray[np.intp] | None = None,
    caps: NDArray[np.float64] | None = None,
    *,
    time_limit: float = 60.0,
) -> Selection:
    """The lexicographically best selection (see the module docstring).

    Parameters
    ----------
    value, cost : float arrays, shape (n,)
        Non-negative.
    basic : bool array, shape (n,)
    budget : float
    group : int array, optional
        Cap group of each item (-1: none).
    caps : float array, optional
        Cap of each group (``inf``: none).
    time_limit : float
        Seconds each MILP may take; a MILP stopped by it leaves ``optimal`` False.

    Returns
    -------
    Selection
    """
    from renoscore.programme._milp import CoreResult, solve_core, tie_break

    p = SelectionProblem.build(value, cost, basic, budget, group, caps)
    stage1 = basic_first(p)
    k_max = int(stage1.sum())
    all_basic = k_max == int(p.basic.sum())
    fixed1 = p.basic.copy() if all_basic else np.zeros(p.n, bool)
    fixed0 = ~p.basic & (p.value <= 0)  # an item worth nothing is never bought
    free = np.flatnonzero(~fixed1 & ~fixed0)
    left = p.budget - float(p.cost[fixed1].sum())
    caps_left = p.caps - p.group_spend(fixed1)
    greedy = greedy_fill(p, ratio_order(p, free), stage1 | fixed1)
    z, best = float(p.value[greedy].sum()), greedy
    need = 0 if all_basic else k_max
    bound, r = _best_bound(p, free, left, caps_left, need)
    bound += float(p.value[fixed1].sum())
    optimal = True
    first = free[np.argsort(np.abs(r), kind="stable")[:FIRST_CORE]]
    got = solve_core(p, first, _fix_by_sign(p, free, r, first) | fixed1, need, time_limit)
    if got is not None and float(p.value[got.chosen].sum()) > z:
        best, z = got.chosen, float(p.value[got.chosen].sum())
    tol = 1e-9 * max(1.0, abs(bound))
    gap = max(bound - z, 0.0) + tol
    core = free[np.abs(r) <= gap]
    final: CoreResult | None = got
    if got is not None and got.optimal and np.isin(core, first).all():
        pass
    else:
        final = solve_core(p, core, _fix_by_sign(p, free, r, core) | fixed1, need, time_limit)
    if final is not None:
        optimal = final.optimal
        if float(p.value[final.chosen].sum()) >= z - tol:
            best = final.chosen
    else:
        optimal = False
    best = tie_break(p, best, core, need, time_limit)
    return Selection(
        chosen=best,
        value=float(p.value[best].sum()),
        cost=float(p.cost[best].sum()),
        basic_funded=int(p.basic[best].sum()),
        basic_max=k_max,
        bound=max(bound, float(p.value[best].sum())),
        optimal=optimal,
        core=int(core.size),
    )


def _best_bound(
    p: SelectionProblem,
    free: NDArray[np.intp],
    left: float,
    caps_left: NDArray[np.float64],
    need: int,
) -> tuple[float, NDArray[np.float64]]:
    """The Lagrangian bound at the best price ``nu`` of the basic count (0 without one).

    The bound is convex in ``nu``; a golden-section search on ``[0, nu_max]`` finds its least
    value to a billionth of the range, where ``nu_max`` ranks every basic item above every
    other item by value per yuan.
    """
    if need == 0 or free.size == 0:
        return lagrangian_bound(p, free, left, caps_left)
    c = p.cost[free]
    with np.errstate(divide="ignore", invalid="ignore"):
        top = float(np.max(np.where(c > 0, p.value[free] / c, 0.0), initial=0.0))
    hi = top * float(c.max(initial=0.0)) + float(p.value[free].max(initial=0.0)) + 1.0
    lo = 0.0
    golden = (np.sqrt(5.0) - 1.0) / 2.0

    def at(nu: float) -> float:
        return lagrangian_bound(p, free, left, caps_left, nu, need)[0]

    a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
    fa, fb = at(a), at(b)
    for _ in range(60):
        if hi - lo <= 1e-9 * max(hi, 1.0):
            break
        if fa <= fb:
            hi, b, fb = b, a, fa
            a = hi - golden * (hi - lo)
            fa = at(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + golden * (hi - lo)
            fb = at(b)
    nu = a if fa <= fb else b
    return lagrangian_bound(p, free, left, caps_left, nu, need)


def _fix_by_sign(
    p: SelectionProblem, free: NDArray[np.intp], r: NDArray[np.float64], core: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Items outside ``core`` fixed in where their reduced value is positive."""
    fixed = np.zeros(p.n, dtype=bool)
    fixed[free[r > 0]] = True
    fixed[core] = False
    return fixed
