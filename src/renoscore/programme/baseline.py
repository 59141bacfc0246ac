"""Two baselines of the exact selection: a greedy rule and brute force.

* :func:`greedy_selection` — what an office would do by hand: basic items cheapest first while
  they fit (the same ``K*`` as the exact plan), then the other items by value per yuan, best
  first, each kept if it still fits. The exact plan is never worse (the greedy plan is one of
  the plans stage 2 of :func:`~renoscore.programme.optimise.solve_selection` considers).
* :func:`brute_force_selection` — every one of the ``2**n`` plans (``n <= 20``), the
  lexicographic best (most basic items, then most value, then least cost, then the first
  among identical items). The tests check that the exact solver finds the same plan.

Examples
--------
>>> import numpy as np
>>> v, c = np.array([3.0, 2.0, 2.5]), np.array([4.0, 3.0, 3.0])
>>> b = np.zeros(3, bool)
>>> greedy_selection(v, c, b, 7.0).tolist(), brute_force_selection(v, c, b, 7.0).tolist()
([True, False, True], [True, False, True])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem
from renoscore.programme._selection import SelectionProblem, greedy_fill, ratio_order
from renoscore.programme.optimise import basic_first

__all__ = ["brute_force_selection", "greedy_selection"]

#: Most items brute force enumerates (2**20 plans).
MAX_BRUTE_FORCE = 20


def greedy_selection(
    value: NDArray[np.float64],
    cost: NDArray[np.float64],
    basic: NDArray[np.bool_],
    budget: float,
    group: NDArray[np.intp] | None = None,
    caps: NDArray[np.float64] | None = None,
) -> NDArray[np.bool_]:
    """Basic items cheapest first, then the rest by value per yuan; each kept if it fits."""
    p = SelectionProblem.build(value, cost, basic, budget, group, caps)
    first = basic_first(p)
    rest = np.flatnonzero(~first & (p.value > 0))
    return greedy_fill(p, ratio_order(p, rest), first)


def brute_force_selection(
    value: NDArray[np.float64],
    cost: NDArray[np.float64],
    basic: NDArray[np.bool_],
    budget: float,
    group: NDArray[np.intp] | None = None,
    caps: NDArray[np.float64] | None = None,
    *,
    rtol: float = 1e-9,
) -> NDArray[np.bool_]:
    """The lexicographically best plan among all ``2**n`` (values equal within ``rtol``)."""
    p = SelectionProblem.build(value, cost, basic, budget, group, caps)
    if p.n > MAX_BRUTE_FORCE:
        raise OptionError(
            "too many items for brute force",
            [Problem(f"{p.n} items", fix=f"at most {MAX_BRUTE_FORCE}")],
        )
    plans = ((np.arange(2**p.n)[:, None] >> np.arange(p.n)) & 1).astype(bool)
    spend = plans @ p.cost
    ok = spend <= p.budget + p.eps
    for g in range(p.caps.size):
        ok &= plans[:, p.group == g] @ p.cost[p.group == g] <= p.caps[g] + p.eps
    plans, spend = plans[ok], spend[ok]
    count = plans @ p.basic.astype(np.float64)
    keep = count == count.max()
    plans, spend = plans[keep], spend[keep]
    worth = plans @ p.value
    keep = worth >= worth.max() - rtol * max(1.0, float(worth.max()))
    plans, spend = plans[keep], spend[keep]
    keep = spend <= spend.min() + p.eps
    plans = plans[keep]
    # the first among identical items: the plan whose items come earliest
    return np.asarray(plans[np.lexsort((~plans).T[::-1])[0]])
