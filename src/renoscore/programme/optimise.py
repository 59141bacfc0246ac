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
   solved exactly (below: a knapsack programme or :func:`scipy.optimize.milp`, gap 0).
3. among the plans of stage 2's value (to 1e-9 relative), minimise the cost; plans still tied
   take the item that comes first among identical items (same value, cost, flag and group).

Exactness at scale. HiGHS alone needs minutes for a knapsack of 10,000 binaries with a zero
gap. Stage 2 therefore first fixes every item whose fate the LP bound decides (reduced-cost
fixing; Balas & Zemel 1980, Pisinger 1995): with multipliers ``lambda`` (budget) and ``mu_d``
(caps) from the greedy fractional solution, any plan's value is at most
``U = lambda B + sum_d mu_d C_d + sum_i max(0, r_i)`` with ``r_i = v_i - (lambda + mu_d) c_i``
(weak duality, valid for any multipliers >= 0). Given a feasible plan of value ``Z``, a plan
that reverses the sign choice of item ``i`` is worth at most ``U - |r_i|``; when that is below
``Z`` the item is fixed (in if ``r_i > 0``, out otherwise). ``Z`` is the greedy plan's value;
only the items with ``|r_i| <= U - Z`` are left (the core), usually a few thousand of a million.
(With a basic count to meet, ``nu`` prices it: ``r_i = v_i + nu b_i - (lambda + mu_d) c_i``,
``U`` gains ``- nu K*``, and ``nu`` minimises ``U`` by golden-section search.)

The core is solved by the expanding-core knapsack programme of Pisinger (1997) when it is
knapsacks — the fixed items meet the basic count and either no cap or the budget cannot bind
among the core's items (one knapsack, or one per district) — and otherwise by
:func:`scipy.optimize.milp` (HiGHS branch and bound): a first MILP on the 300 items of smallest
``|r_i|`` raises ``Z``, the final MILP takes the core that ``Z`` leaves, and stage 3 is a MILP
among the equally valuable plans. HiGHS finds the best plan of a knapsack core of thousands of
near-critical items quickly but may not prove it within minutes; the programme proves it in a
fraction of a second.

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
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from renoscore.programme._selection import (
    SelectionProblem,
    first_of_identical,
    greedy_fill,
    group_cumsum,
    ratio_order,
)

__all__ = ["Selection", "basic_first", "lagrangian_bound", "solve_selection"]

#: Items in the first small MILP that finds a good plan (``Z``).
FIRST_CORE = 300
#: Plans whose values differ by less than this share of the best count as equally valuable.
RTOL = 1e-9


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
        Items left to the final solver after fixing.
    method : {"knapsack", "milp"}
        What proved the core: the knapsack programme or ``scipy.optimize.milp``.
    """

    chosen: NDArray[np.bool_]
    value: float
    cost: float
    basic_funded: int
    basic_max: int
    bound: float
    optimal: bool
    core: int
    method: str = "milp"

    @property
    def gap(self) -> float:
        """How far the plan may be from the best (points of willingness-weighted gain): 0
        when proved optimal, ``bound - value`` otherwise."""
        return 0.0 if self.optimal else max(self.bound - self.value, 0.0)


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
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.where(p.cost[free] > 0, worth[free] / p.cost[free], np.inf)
    # the bound does not depend on the order of equal ratios: no stable sort needed
    order = free[np.argsort(-np.where(worth[free] > 0, key, -1.0))]
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
    core_solver: Literal["auto", "milp"] = "auto",
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
        Seconds each MILP may take; a MILP stopped by it leaves ``optimal`` False and the
        proven gap in ``bound - value``.
    core_solver : {"auto", "milp"}
        How the core is solved: ``auto`` by the knapsack programme where the core is one
        knapsack (no cap and no basic count can bind in it) or one per district (no budget
        and no basic count can bind), else by ``scipy.optimize.milp``; ``milp`` always by the
        MILP (the tests check both against brute force).

    Returns
    -------
    Selection
    """
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
    need = 0 if all_basic else k_max
    bound, r = _best_bound(p, free, left, caps_left, need)
    bound += float(p.value[fixed1].sum())
    z = float(p.value[greedy].sum())
    core = free[np.abs(r) <= max(bound - z, 0.0) + RTOL * max(1.0, bound)]
    fixed = _fix_by_sign(p, free, r, core) | fixed1
    chosen = _knapsack_core(p, core, fixed, need) if core_solver == "auto" else None
    if chosen is not None:
        best, optimal, method = chosen, True, "knapsack"
    else:
        best, optimal, core = _milp_cores(p, free, r, fixed1, greedy, bound, need, time_limit)
        method = "milp"
    return Selection(
        chosen=best,
        value=float(p.value[best].sum()),
        cost=float(p.cost[best].sum()),
        basic_funded=int(p.basic[best].sum()),
        basic_max=k_max,
        bound=max(bound, float(p.value[best].sum())),
        optimal=optimal,
        core=int(core.size),
        method=method,
    )


def _knapsack_core(
    p: SelectionProblem, core: NDArray[np.intp], fixed: NDArray[np.bool_], need: int
) -> NDArray[np.bool_] | None:
    """The best plan by the knapsack programme when the core is knapsacks: the basic count
    is met by the fixed items, and either no cap can bind among the core's items (one
    knapsack under the budget) or the budget cannot (one knapsack per capped district under
    its cap: the districts are independent).

    Returns None when the core is neither, or when the programme outgrows its states.
    """
    from renoscore.programme._knapsack import knapsack

    fixed = fixed.copy()
    fixed[core] = False
    left = p.budget - float(p.cost[fixed].sum())
    slack = p.caps - p.group_spend(fixed)
    if need > int(p.basic[fixed].sum()) or left < -p.eps or (slack < -p.eps).any():
        return None
    grp, c = p.group[core], p.cost[core]
    demand = np.bincount(grp[grp >= 0], weights=c[grp >= 0], minlength=p.caps.size)
    if not (demand > slack + p.eps).any():
        parts = [(core, left)]
    elif float(np.minimum(demand, slack).sum() + c[grp < 0].sum()) <= left + p.eps:
        parts = [(core[grp == g], float(slack[g])) for g in np.unique(grp[grp >= 0]).tolist()]
        parts.append((core[grp < 0], np.inf))
    else:
        return None
    offset = float(p.value[fixed].sum())
    upper = offset + float(p.value[core].sum())
    rtol = RTOL / len(parts)  # the parts' slack adds up to at most the plan's tolerance
    for items, capacity in parts:
        x = knapsack(
            p.value[items], p.cost[items], capacity + p.eps, RTOL * max(1.0, upper), rtol, upper
        )
        if x is None:
            return None
        fixed[items[x]] = True
    return first_of_identical(p, fixed)


def _milp_cores(
    p: SelectionProblem,
    free: NDArray[np.intp],
    r: NDArray[np.float64],
    fixed1: NDArray[np.bool_],
    greedy: NDArray[np.bool_],
    bound: float,
    need: int,
    time_limit: float,
) -> tuple[NDArray[np.bool_], bool, NDArray[np.intp]]:
    """The best plan by ``scipy.optimize.milp``: a first MILP on the :data:`FIRST_CORE` items
    of smallest ``|r|`` for a good plan, then the core that plan's value leaves, then the
    cheapest of the equally valuable plans. Returns the plan, whether every MILP proved its
    answer, and the final core."""
    from renoscore.programme._milp import CoreResult, solve_core, tie_break

    best, z = greedy, float(p.value[greedy].sum())
    first = free[np.argsort(np.abs(r), kind="stable")[:FIRST_CORE]]
    got = solve_core(p, first, _fix_by_sign(p, free, r, first) | fixed1, need, time_limit)
    if got is not None and float(p.value[got.chosen].sum()) > z:
        best, z = got.chosen, float(p.value[got.chosen].sum())
    tol = RTOL * max(1.0, abs(bound))
    core = free[np.abs(r) <= max(bound - z, 0.0) + tol]
    final: CoreResult | None = got
    if got is None or not got.optimal or not np.isin(core, first).all():
        final = solve_core(p, core, _fix_by_sign(p, free, r, core) | fixed1, need, time_limit)
    optimal = final is not None and final.optimal
    if final is not None and float(p.value[final.chosen].sum()) >= z - tol:
        best = final.chosen
    return tie_break(p, best, core, need, time_limit), optimal, core


def _best_bound(
    p: SelectionProblem,
    free: NDArray[np.intp],
    left: float,
    caps_left: NDArray[np.float64],
    need: int,
) -> tuple[float, NDArray[np.float64]]:
    """The Lagrangian bound at the best price ``nu`` of the basic count (0 without one).

    The bound is convex in ``nu``; a golden-section search on ``[0, nu_max]`` (``nu_max``
    ranks every basic item above every other item by value per yuan) stops when the bound at
    the four points of its bracket agrees to a ten-billionth: a convex function equal at
    three points is flat between them, so its least value is reached. The bound only sets
    which items are fixed; a bound a hair above the least one leaves a slightly larger core,
    never a wrong plan.
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
    f_lo, fa, fb, f_hi = at(lo), at(a), at(b), at(hi)
    for _ in range(80):
        values = (f_lo, fa, fb, f_hi)
        flat = max(values) - min(values) <= 1e-10 * max(1.0, abs(min(values)))
        if flat or hi - lo <= 1e-12 * max(hi, 1.0):
            break
        if fa <= fb:
            hi, f_hi, b, fb = b, fb, a, fa
            a = hi - golden * (hi - lo)
            fa = at(a)
        else:
            lo, f_lo, a, fa = a, fa, b, fb
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
