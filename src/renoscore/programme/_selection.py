"""What the exact solver and its baselines share: the problem arrays, feasibility, greedy fill.

A selection problem has ``n`` items with a value (>= 0), a cost (>= 0), a basic flag and a cap
group (an index into ``caps``, or -1 for none), one budget and the caps of the groups. The
greedy fill (:func:`greedy_fill`) takes items in a given order and keeps each one that still
fits; it runs in rounds over whole arrays (a round takes the longest prefix that fits and
skips the first item that does not), so its cost is a few sorts, not a Python step per item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem

__all__ = [
    "SelectionProblem",
    "first_of_identical",
    "greedy_fill",
    "group_cumsum",
    "lexicographic_key",
    "ratio_order",
]


@dataclass(frozen=True)
class SelectionProblem:
    """Items to choose under a budget and group caps.

    Attributes
    ----------
    value, cost : float arrays, shape (n,)
    basic : bool array, shape (n,)
    group : int array, shape (n,)
        Index into ``caps``; -1 for an item under no cap.
    budget : float
    caps : float array, shape (G,)
        ``inf`` for a group without a cap.
    """

    value: NDArray[np.float64]
    cost: NDArray[np.float64]
    basic: NDArray[np.bool_]
    group: NDArray[np.intp]
    budget: float
    caps: NDArray[np.float64]

    @classmethod
    def build(
        cls,
        value: NDArray[np.float64],
        cost: NDArray[np.float64],
        basic: NDArray[np.bool_],
        budget: float,
        group: NDArray[np.intp] | None = None,
        caps: NDArray[np.float64] | None = None,
    ) -> SelectionProblem:
        """Check and freeze the arrays (values and costs finite and >= 0, groups in range)."""
        v = np.asarray(value, dtype=np.float64)
        c = np.asarray(cost, dtype=np.float64)
        b = np.asarray(basic, dtype=bool)
        g = np.full(v.shape, -1, dtype=np.intp) if group is None else np.asarray(group, np.intp)
        k = np.zeros(0) if caps is None else np.asarray(caps, dtype=np.float64)
        problems: list[Problem] = []
        if not (v.shape == c.shape == b.shape == g.shape) or v.ndim != 1:
            problems.append(Problem("value, cost, basic and group must be 1-d of one length"))
        elif not (np.isfinite(v).all() and np.isfinite(c).all()) or (v < 0).any() or (c < 0).any():
            problems.append(Problem("values and costs must be finite and >= 0"))
        elif g.size and (g.max(initial=-1) >= k.size or g.min(initial=0) < -1):
            problems.append(Problem("a group index is outside the caps"))
        if not np.isfinite(budget) or budget < 0 or (k < 0).any() or np.isnan(k).any():
            problems.append(Problem("the budget and caps must be >= 0", value=budget))
        if problems:
            raise OptionError("invalid selection problem", problems)
        for arr in (v, c, b, g, k):
            arr.setflags(write=False)
        return cls(v, c, b, g, float(budget), k)

    @property
    def n(self) -> int:
        """Number of items."""
        return int(self.value.size)

    @property
    def eps(self) -> float:
        """Money tolerance of the constraints: a trillionth of the budget, at least 1e-6
        yuan (0.1 yuan on a budget of 100 billion): room for the rounding of sums of costs,
        never a visible overspend of a budget or a cap."""
        return max(1e-12 * self.budget, 1e-6)

    def group_spend(self, chosen: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Spending of each cap group."""
        sel = chosen & (self.group >= 0)
        spend: NDArray[np.float64] = np.bincount(
            self.group[sel], weights=self.cost[sel], minlength=self.caps.size
        ).astype(np.float64)
        return spend

    def feasible(self, chosen: NDArray[np.bool_]) -> bool:
        """True when the choice keeps to the budget and every cap."""
        spend = float(self.cost[chosen].sum())
        return spend <= self.budget + self.eps and bool(
            (self.group_spend(chosen) <= self.caps + self.eps).all()
        )


def lexicographic_key(p: SelectionProblem, chosen: NDArray[np.bool_]) -> tuple[int, float, float]:
    """(basic items funded, value, -cost): what the plan maximises, in order."""
    return (
        int(p.basic[chosen].sum()),
        float(p.value[chosen].sum()),
        -float(p.cost[chosen].sum()),
    )


def group_cumsum(weights: NDArray[np.float64], group: NDArray[np.intp]) -> NDArray[np.float64]:
    """Running sum of ``weights`` within each group, in array order.

    Examples
    --------
    >>> group_cumsum(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 1, 0, 1])).tolist()
    [1.0, 2.0, 4.0, 6.0]
    """
    if weights.size == 0:
        return weights.copy()
    small = group.min() >= 0 and group.max() < 2**15  # a radix sort for small codes
    order = np.argsort(group.astype(np.int16) if small else group, kind="stable")
    sw = weights[order]
    sg = group[order]
    csum = np.cumsum(sw)
    starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    before = np.repeat(csum[starts] - sw[starts], np.diff(np.r_[starts, sw.size]))
    out = np.empty_like(weights)
    out[order] = csum - before
    return out


def greedy_fill(
    p: SelectionProblem,
    order: NDArray[np.intp],
    chosen: NDArray[np.bool_] | None = None,
) -> NDArray[np.bool_]:
    """Take the items of ``order`` one after another, keeping each one that still fits.

    Parameters
    ----------
    p : SelectionProblem
    order : int array
        The items to try, first first.
    chosen : bool array, optional
        Items already taken (their cost is spent first).

    Returns
    -------
    bool array, shape (n,)
        The items taken (with ``chosen``).

    Examples
    --------
    >>> p = SelectionProblem.build(np.ones(4), np.array([5.0, 4.0, 2.0, 1.0]), np.zeros(4, bool), 7.0)
    >>> greedy_fill(p, np.arange(4)).tolist()  # 5 fits, 4 does not, 2 fits, 1 does not
    [True, False, True, False]
    """
    taken = np.zeros(p.n, dtype=bool) if chosen is None else chosen.copy()
    left = p.budget - float(p.cost[taken].sum())
    caps_left = np.r_[p.caps - p.group_spend(taken), np.inf]  # last: the no-cap group
    cand = np.asarray(order, dtype=np.intp)
    cand = cand[~taken[cand]]
    eps = p.eps
    while cand.size:
        grp = np.where(p.group[cand] >= 0, p.group[cand], caps_left.size - 1)
        fits = (p.cost[cand] <= left + eps) & (p.cost[cand] <= caps_left[grp] + eps)
        cand, grp = cand[fits], grp[fits]
        if not cand.size:
            break
        c = p.cost[cand]
        ok = (np.cumsum(c) <= left + eps) & (group_cumsum(c, grp) <= caps_left[grp] + eps)
        stop = int(np.argmin(ok)) if not ok.all() else cand.size
        take = cand[:stop]
        taken[take] = True
        left -= float(p.cost[take].sum())
        caps_left -= np.bincount(grp[:stop], weights=c[:stop], minlength=caps_left.size)
        cand = cand[stop + 1 :]  # the item at ``stop`` does not fit now, nor later
    return taken


def ratio_order(
    p: SelectionProblem, items: NDArray[np.intp], worth: NDArray[np.float64] | None = None
) -> NDArray[np.intp]:
    """``items`` by value per yuan, best first (free items with value first; ties by position)."""
    v = p.value[items] if worth is None else worth[items]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(p.cost[items] > 0, v / p.cost[items], np.inf)
    ratio = np.where(v > 0, ratio, -1.0)
    if items.size < 2 or bool((items[1:] > items[:-1]).all()):
        return items[np.argsort(-ratio, kind="stable")]  # ties stay in position order
    return items[np.lexsort((items, -ratio))]


def first_of_identical(p: SelectionProblem, chosen: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Move each choice among identical items (same value, cost, basic flag and group) to
    the first of them: the totals stay the same everywhere."""
    order = np.lexsort((np.arange(p.n), p.group, p.basic, p.cost, p.value))
    keys = (p.value[order], p.cost[order], p.basic[order], p.group[order])
    new = np.r_[True, np.any([k[1:] != k[:-1] for k in keys], axis=0)] if p.n else np.zeros(0, bool)
    if new.all():
        return chosen
    cls = np.cumsum(new) - 1  # the class of each item in sorted order
    taken = np.bincount(cls, weights=chosen[order].astype(np.float64)).astype(np.intp)
    starts = np.flatnonzero(new)
    rank = np.arange(p.n) - starts[cls]
    out = np.zeros(p.n, dtype=bool)
    out[order] = rank < taken[cls]
    return out
