"""The exact 0-1 knapsack of a core: dynamic programming on an expanding core (Pisinger 1997).

What is left of a plan once reduced-cost fixing has decided every other item is, in the
common case, a knapsack of a few hundred items whose value per yuan is within a hair of the
critical ratio: ``max sum v_j x_j`` subject to ``sum c_j x_j <= L``. HiGHS finds the best plan
of such a core quickly but cannot prove it (its LP bound is weak against gaps of 1e-4 points
among thousands of near-equal plans); the dynamic programme below proves it in a second.

The items are sorted by value per yuan, best first; the *break solution* takes them in that
order while they fit. The core ``[s, t]`` grows outward from the break item, one item at a
time on each side: an item after the break may be added, one before it may be removed. Each
state is a plan (its cost ``w``, value ``p`` and the items in it as a bit set); a state is
dropped when another costs no more and is worth no less (dominance, Nemhauser & Ullmann
1969), or when its bound cannot reach the best feasible value found less the tolerance::

    w <= L:  p + (L - w) * ratio[t + 1]     (items after t are worth at most ratio[t + 1])
    w >  L:  p - (w - L) * ratio[s - 1]     (items before s are worth at least ratio[s - 1])

(Pisinger, D. (1997). A minimal algorithm for the 0-1 knapsack problem. *Operations Research*
45(5), 758-767.) Every step is a few whole-array operations over the states. When every item
of the core has been considered, the states hold every plan that can be within ``tol`` of the
best: the answer is the cheapest of them (the plan's third rule, least cost among equally
valuable plans).

Examples
--------
>>> import numpy as np
>>> v, c = np.array([3.0, 2.0, 2.5, 0.5]), np.array([4.0, 3.0, 3.0, 1.0])
>>> knapsack(v, c, 7.0).tolist()
[True, False, True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_STATES", "MAX_STORED", "knapsack"]

#: Most states the programme keeps; beyond it :func:`knapsack` gives up (returns None).
MAX_STATES = 2_000_000
#: Most states kept over all steps to trace the plan back (9 bytes each: about 450 MB).
MAX_STORED = 50_000_000


@dataclass
class _States:
    """Plans as parallel arrays (cost, value), and for each the state it came from one step
    earlier and whether that step changed the step's item (to trace a plan back)."""

    w: NDArray[np.float64]
    p: NDArray[np.float64]
    parent: NDArray[np.intp]
    changed: NDArray[np.bool_]

    def branch(self, cost: float, value: float) -> _States:
        """Every state, then every state with the step's item added (or removed: negative
        ``cost`` and ``value``)."""
        n = self.w.size
        index = np.arange(n)
        return _States(
            np.concatenate([self.w, self.w + cost]),
            np.concatenate([self.p, self.p + value]),
            np.concatenate([index, index]),
            np.r_[np.zeros(n, bool), np.ones(n, bool)],
        )

    def keep(self, mask: NDArray[np.bool_] | NDArray[np.intp]) -> _States:
        """The states at ``mask`` (booleans or positions)."""
        return _States(self.w[mask], self.p[mask], self.parent[mask], self.changed[mask])

    def undominated(self) -> _States:
        """The states no other state dominates (cheaper or as cheap, and worth as much)."""
        order = np.lexsort((-self.p, self.w))
        p = self.p[order]
        keep = np.ones(p.size, dtype=bool)
        keep[1:] = p[1:] > np.maximum.accumulate(p)[:-1]
        return self.keep(order[keep])


def knapsack(
    value: NDArray[np.float64],
    cost: NDArray[np.float64],
    capacity: float,
    tol: float = 0.0,
    rtol: float = 0.0,
    offset: float = 0.0,
    max_states: int = MAX_STATES,
) -> NDArray[np.bool_] | None:
    """The items of the best plan within ``capacity``; among the plans as valuable as the
    best, the cheapest. None when the states of a step outgrow ``max_states`` or those kept
    to trace the plan back outgrow :data:`MAX_STORED` (the caller then solves the core by
    MILP).

    Parameters
    ----------
    value, cost : float arrays, shape (m,)
        Non-negative.
    capacity : float
        Non-negative (a plan may cost exactly this).
    tol : float
        States whose bound falls short of the best value found by more than ``tol`` are
        dropped: at least the tolerance of equal value below.
    rtol, offset : float
        Plans count as equally valuable when they are worth at least the best less
        ``rtol * max(1, offset + best)``: ``offset`` is the value of the items decided outside
        the knapsack, so that the tolerance is relative to the whole plan's value.
    max_states : int
    """
    m = value.size
    if not np.isfinite(capacity):  # every item worth something fits
        return np.asarray(value > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cost > 0, value / cost, np.inf)
    order = np.lexsort((np.arange(m), -ratio))
    v, c, r = value[order], cost[order], ratio[order]
    cum = np.cumsum(c)
    b = int(np.searchsorted(cum, capacity, side="right"))  # items before b fit
    start = _States(
        np.array([cum[b - 1] if b else 0.0]),
        np.array([float(v[:b].sum())]),
        np.zeros(1, np.intp),
        np.zeros(1, bool),
    )
    states, best = start, float(start.p[0])
    steps: list[tuple[int, NDArray[np.intp], NDArray[np.bool_]]] = []
    stored = 0
    s, t = b, b - 1
    while s > 0 or t < m - 1:
        for add in (True, False):
            if add and t < m - 1:
                t += 1
                j, states = t, states.branch(float(c[t]), float(v[t]))
            elif not add and s > 0:
                s -= 1
                j, states = s, states.branch(-float(c[s]), -float(v[s]))
            else:
                continue
            fits = states.w <= capacity
            if fits.any():
                best = max(best, float(states.p[fits].max()))
            up = r[t + 1] if t + 1 < m else 0.0
            down = r[s - 1] if s > 0 else np.inf
            with np.errstate(invalid="ignore"):
                bound = np.where(
                    fits,
                    states.p + (capacity - states.w) * up,
                    states.p - (states.w - capacity) * down,
                )
            states = states.keep(np.nan_to_num(bound, nan=-np.inf) >= best - tol).undominated()
            steps.append((j, states.parent, states.changed))
            stored += states.w.size
            if states.w.size > max_states or stored > MAX_STORED:
                return None
    feasible = np.flatnonzero(states.w <= capacity)
    top = float(states.p[feasible].max())
    near = feasible[states.p[feasible] >= top - rtol * max(1.0, offset + top)]
    pick = int(near[np.argmin(states.w[near])])
    taken = np.zeros(m, dtype=bool)
    taken[:b] = True
    for j, parent, changed in reversed(steps):
        taken[j] ^= bool(changed[pick])
        pick = int(parent[pick])
    chosen = np.zeros(m, dtype=bool)
    chosen[order[taken]] = True
    return chosen
