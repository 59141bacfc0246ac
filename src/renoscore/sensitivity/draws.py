"""Many weight draws at once: the renormalised tree mean for a batch of draws, and Saaty steps.

These kernels turn the inputs of a batch of draws into numbers without a Python loop over
communities or draws (numeric core: numpy only). A draw is a leading axis of the weights
(``(C, n_children)`` per group) and of per-draw indicator scores (``(C, N, M)``), and the last
axis of the group scores they give (``(N, groups, C)``).

* :func:`aggregate_draws` scores every group of a hierarchy for ``C`` weight vectors at once:
  with complete data and the arithmetic mean, one matrix product ``(N x M) @ (M x groups*C)``
  with the effective weights of :func:`effective_weights_draws`; otherwise the one
  renormalised tree mean, :func:`renoscore.aggregate.tree_means`, over the stack of draws.
* :func:`saaty_step` moves pairwise judgements along Saaty's 1-9 scale, the perturbation of the
  judgement source (:class:`renoscore.sensitivity.JudgementNoise`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.aggregate._checks import draw_count
from renoscore.aggregate.tree import Tree, tree_means
from renoscore.errors import OptionError, Problem

__all__ = ["aggregate_draws", "effective_weights_draws", "saaty_step"]

FloatArray = NDArray[np.float64]

#: Saaty's fundamental scale and its reciprocals, ascending: 1/9, 1/8, ..., 1/2, 1, 2, ..., 9
#: (Saaty 1980, Table 1.1). Kept here so that this core does not import the AHP module.
_SAATY = np.array([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])


# ---------------------------------------------------------------------------- aggregation
def effective_weights_draws(
    tree: Tree, local: Sequence[ArrayLike], groups: Sequence[int] | None = None
) -> FloatArray:
    """Weight of every indicator within the requested groups, for every draw.

    For each draw, the weight of indicator ``j`` within group ``k`` is the product of the local
    weights along the path from ``k`` down to ``j`` (distributive synthesis; Saaty 1980), as in
    :func:`renoscore.hierarchy.effective_weights`, computed here for ``C`` draws at once.

    Parameters
    ----------
    tree : Tree
        The hierarchy (its own weights are not used).
    local : sequence of array_like, one per group, each shape (C, n_children)
        Local weights of each group's children in every draw (rows sum to 1).
    groups : sequence of int, optional
        The groups to return (default: all, in group order).

    Returns
    -------
    ndarray, shape (M, len(groups), C)
        Column ``[:, g, d]`` sums to 1.

    Examples
    --------
    Group 1 holds indicator 0 and group 0 (node 3), which holds indicators 1 and 2; two draws:

    >>> t = Tree.build(3, [[1, 2], [0, 3]], [[0.5, 0.5], [0.5, 0.5]])
    >>> E = effective_weights_draws(t, [[[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.2, 0.8]]])
    >>> E[:, 1, :].round(3).tolist()
    [[0.5, 0.2], [0.25, 0.8], [0.25, 0.0]]
    """
    m, k_groups = tree.n_leaves, len(tree.children)
    W = [np.asarray(w, dtype=np.float64) for w in local]
    c = _draws(W, tree)
    E = np.zeros((m, k_groups, c))
    for k in tree.order.tolist():
        kids, w = tree.children[k], W[k]
        leaf = kids < m
        # Leaf children of one group are distinct indicators, so assignment suffices.
        E[kids[leaf], k, :] = w[:, leaf].T
        if (~leaf).any():
            E[:, k, :] += np.einsum("mgc,cg->mc", E[:, kids[~leaf] - m, :], w[:, ~leaf])
    chosen = list(range(k_groups)) if groups is None else list(groups)
    return E[:, chosen, :]


def aggregate_draws(
    S: ArrayLike,
    tree: Tree,
    local: Sequence[ArrayLike],
    *,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    groups: Sequence[int] | None = None,
    applicable: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Scores of groups for many weight draws (and optionally many indicator-score matrices).

    The renormalised tree mean of :func:`renoscore.aggregate.tree_means` (and of
    :func:`renoscore.aggregate.aggregate_tree` with ``missing="renormalize"``), for ``C`` draws
    at once: at each group the weights are re-normalised over the children present, level by
    level, and a group whose applicable share is below its minimum (``tree.min_applicable``)
    is not assessed. Weighted arithmetic mean
    ``sum_j w_j s_j / sum_j w_j`` or weighted geometric mean
    ``exp(sum_j w_j ln s_j / sum_j w_j)`` over the present children (OECD/JRC 2008, section
    6.1); in the geometric mean a present zero score with positive weight makes the group 0.

    With complete data, one shared score matrix and the arithmetic mean, every group score of
    every draw comes from one matrix product with the effective weights
    (:func:`effective_weights_draws`): ``S (N x M) @ E (M x groups*C)``; anything else goes
    through :func:`renoscore.aggregate.tree_means`.

    Parameters
    ----------
    S : array_like, shape (N, M) or (C, N, M)
        Indicator scores in [0, 1]; NaN marks an excluded cell. A 3-D array gives each draw
        its own scores (e.g. under measurement error).
    tree : Tree
        The hierarchy over the M indicators.
    local : sequence of array_like, one per group, each shape (C, n_children)
        Local weights of each group's children in every draw.
    method : {"arithmetic", "geometric"}
    groups : sequence of int, optional
        The groups to return (default: all).
    applicable : ndarray of bool, shape (N, M), optional
        False where an indicator does not apply to a row (see :func:`~renoscore.aggregate.tree_means`).

    Returns
    -------
    ndarray, shape (N, len(groups), C)
        Group scores in [0, 1]; NaN where nothing below a group is present or it is not
        assessed.

    Raises
    ------
    OptionError
        Unknown ``method``, local weights that are not one ``(C, n_children)`` array per
        group, or scores that do not fit the tree and the draws.

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 6.1.
    Saaty (1980) for the distributive synthesis of the fast path.

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.5, 0.5]])
    >>> S = np.array([[1.0, 0.0], [0.5, np.nan]])
    >>> aggregate_draws(S, t, [[[0.5, 0.5], [0.9, 0.1]]])[:, 0, :].tolist()
    [[0.5, 0.9], [0.5, 0.5]]
    """
    W = [np.asarray(w, dtype=np.float64) for w in local]
    c = _draws(W, tree)
    chosen = list(range(len(tree.children))) if groups is None else list(groups)
    arr = np.asarray(S, dtype=np.float64)
    m = tree.n_leaves
    complete = applicable is None or bool(np.all(applicable))
    if (
        method == "arithmetic"
        and arr.ndim == 2
        and arr.shape[1] == m
        and complete
        and not np.isnan(arr).any()
    ):
        # Complete data: every group of every draw from one product with the effective weights.
        E = effective_weights_draws(tree, W, chosen)
        return (arr @ E.reshape(m, -1)).reshape(arr.shape[0], len(chosen), c)
    # Anything else: the one renormalised tree mean, level by level, for every draw at once.
    return tree_means(arr, tree, W, method=method, applicable=applicable, groups=chosen).scores


def _draws(W: Sequence[FloatArray], tree: Tree) -> int:
    """The number of draws C: every group's local weights must be a (C, children) array."""
    c = draw_count(W, tree)
    if c == 0:
        raise OptionError(
            "local weights do not fit the tree",
            [Problem("one weighting given", fix="give a (C, children) array of draws per group")],
        )
    return c


# ---------------------------------------------------------------------------- judgements
def saaty_step(values: ArrayLike, moves: ArrayLike, *, rtol: float = 1e-2) -> FloatArray:
    """Move pairwise judgements a number of steps along Saaty's 1-9 scale.

    The scale is 1/9, 1/8, ..., 1/2, 1, 2, ..., 9 (Saaty 1980, Table 1.1), 17 values. A value
    on the scale (within ``rtol``, so that 0.333 counts as 1/3) moves ``moves`` positions:
    ``1 -> 2`` for +1, ``1 -> 1/2`` for -1, ``3 -> 5`` for +2. A value between two scale values
    (a panel on a positive scale) moves to the neighbouring scale value first: 2.5 goes to 3
    for +1 and to 2 for -1. Moves stop at the ends: 9 stays 9 when moved up, 1/9 stays 1/9
    when moved down, and a value beyond an end is not moved further out. NaN (a missing
    judgement) stays NaN. Because the scale is symmetric in ``ln``, moving ``a_ij`` by ``+s``
    moves its reciprocal ``a_ji`` by ``-s``.

    Parameters
    ----------
    values : array_like
        Positive judgements (NaN allowed).
    moves : array_like of int
        Steps to move, broadcast against ``values`` (0 leaves a value untouched).
    rtol : float, default 1e-2
        Relative distance within which a value counts as on the scale.

    Returns
    -------
    ndarray of float64, the broadcast shape

    Raises
    ------
    OptionError
        A value that is not positive.

    References
    ----------
    Saaty (1980), Table 1.1.

    Examples
    --------
    >>> saaty_step([1.0, 1.0, 9.0, 1 / 9, 2.5, 2.5, 12.0], [1, -1, 1, -1, 1, -1, -1]).round(3)
    array([2.   , 0.5  , 9.   , 0.111, 3.   , 2.   , 9.   ])
    """
    a, mv = np.broadcast_arrays(
        np.asarray(values, dtype=np.float64), np.asarray(moves, dtype=np.int64)
    )
    finite = ~np.isnan(a)
    if (a[finite] <= 0).any() or np.isinf(a[finite]).any():
        raise OptionError(
            "judgements must be positive and finite",
            [Problem("non-positive or infinite judgement", fix="use values on the 1/9..9 scale")],
        )
    logs = np.log(_SAATY)
    la = np.log(np.where(finite, a, 1.0))
    top = logs.size - 1
    pos = np.searchsorted(logs, la)  # first scale index with log >= la
    lo = np.clip(pos - 1, 0, top)
    hi = np.clip(pos, 0, top)
    nearest = np.where(np.abs(la - logs[lo]) <= np.abs(la - logs[hi]), lo, hi)
    on = np.abs(la - logs[nearest]) <= np.log1p(rtol)
    # Off the scale, the value sits between pos - 1 and pos: one step up lands on pos, one
    # step down on pos - 1.
    idx = np.where(on, nearest + mv, np.where(mv > 0, pos + mv - 1, pos + mv))
    moved = _SAATY[np.clip(idx, 0, top)]
    beyond = ((mv > 0) & (la > logs[-1]) & ~on) | ((mv < 0) & (la < logs[0]) & ~on)
    keep = (mv == 0) | beyond | ~finite
    return np.asarray(np.where(keep, a, moved), dtype=np.float64)
