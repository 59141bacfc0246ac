"""Many weight draws at once: the renormalised tree mean for a batch of draws, and Saaty steps.

These kernels turn the inputs of a batch of draws into numbers without a Python loop over
communities or draws (numeric core: numpy only). A draw is a leading axis of the weights
(``(C, n_children)`` per group) and of per-draw indicator scores (``(C, N, M)``), and the last
axis of the group scores they give (``(N, groups, C)``).

* :func:`aggregate_draws` scores every group of a hierarchy for ``C`` weight vectors at once;
  with complete data and the arithmetic mean it is one matrix product
  ``(N x M) @ (M x groups*C)`` with the effective weights of :func:`effective_weights_draws`.
* :func:`saaty_step` moves pairwise judgements along Saaty's 1-9 scale, the perturbation of the
  judgement source (:class:`renoscore.sensitivity.JudgementNoise`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import OptionError, Problem
from renoscore.hierarchy import Tree

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
    c = _draw_count(W, tree)
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
) -> FloatArray:
    """Scores of groups for many weight draws (and optionally many indicator-score matrices).

    The same aggregation as :func:`renoscore.hierarchy.aggregate_tree` with
    ``missing="renormalize"``, for ``C`` draws at once: at each group the weights are
    re-normalised over the children present, level by level. Weighted arithmetic mean
    ``sum_j w_j s_j / sum_j w_j`` or weighted geometric mean
    ``exp(sum_j w_j ln s_j / sum_j w_j)`` over the present children (OECD/JRC 2008, section
    6.1); in the geometric mean a present zero score with positive weight makes the group 0.

    With complete data, one shared score matrix and the arithmetic mean, every group score of
    every draw comes from one matrix product with the effective weights
    (:func:`effective_weights_draws`): ``S (N x M) @ E (M x groups*C)``.

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

    Returns
    -------
    ndarray, shape (N, len(groups), C)
        Group scores in [0, 1]; NaN where nothing below a group is present.

    Raises
    ------
    OptionError
        Unknown ``method``, or shapes that do not fit the tree.

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
    if method not in ("arithmetic", "geometric"):
        raise OptionError(
            f"unknown aggregation {method!r}", [Problem("use arithmetic or geometric")]
        )
    S = np.asarray(S, dtype=np.float64)
    W = [np.asarray(w, dtype=np.float64) for w in local]
    c = _draw_count(W, tree)
    m = tree.n_leaves
    if S.ndim not in (2, 3) or S.shape[-1] != m or (S.ndim == 3 and S.shape[0] != c):
        raise OptionError(
            "indicator scores do not fit the tree and the draws",
            [Problem(f"S has shape {S.shape}; expected (N, {m}) or ({c}, N, {m})")],
        )
    chosen = list(range(len(tree.children))) if groups is None else list(groups)
    if method == "arithmetic" and S.ndim == 2 and not np.isnan(S).any():
        E = effective_weights_draws(tree, W, chosen)
        n = S.shape[0]
        return (S @ E.reshape(m, -1)).reshape(n, len(chosen), c)
    node: dict[int, FloatArray] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in tree.order.tolist():
            node[k] = _group_scores(S, tree.children[k], W[k], node, m, method)
    return np.stack([node[k] for k in chosen], axis=1)


def _draw_count(W: Sequence[FloatArray], tree: Tree) -> int:
    problems: list[Problem] = []
    if len(W) != len(tree.children):
        raise OptionError(
            "one local-weight array per group is needed",
            [Problem(f"{len(W)} arrays for {len(tree.children)} groups")],
        )
    counts = {w.shape[0] if w.ndim == 2 else -1 for w in W}
    for k, (w, kids) in enumerate(zip(W, tree.children, strict=True)):
        if w.ndim != 2 or w.shape[1] != kids.size:
            problems.append(Problem(f"group {k}: weights {w.shape}, expected (C, {kids.size})"))
    if problems or len(counts) != 1:
        problems.append(Problem(f"draw counts per group: {sorted(counts)}"))
        raise OptionError("local weights do not fit the tree", problems)
    return counts.pop()


def _group_scores(
    S: FloatArray,
    kids: NDArray[np.intp],
    w: FloatArray,
    node: dict[int, FloatArray],
    m: int,
    method: str,
) -> FloatArray:
    """One group's scores (N, C) from its leaf and group children."""
    leaf = kids < m
    num: FloatArray | float = 0.0
    den: FloatArray | float = 0.0
    zero: NDArray[np.bool_] | bool = False
    geometric = method == "geometric"
    if leaf.any():
        wl = w[:, leaf]  # (C, c)
        block = S[..., kids[leaf]]  # (N, c) or (C, N, c)
        ok = ~np.isnan(block)
        if geometric:
            value = np.log(np.where(ok & (block > 0), block, 1.0))
        else:
            value = np.where(ok, block, 0.0)
        if S.ndim == 2:
            num = value @ wl.T
            den = ok @ wl.T
            if geometric:
                zero = ((ok & (block == 0)) @ (wl.T > 0)) > 0
        else:
            # Each draw has its own scores: a batched matrix-vector product, transposed to (N, C).
            num = np.matmul(value, wl[:, :, None])[..., 0].T
            den = np.matmul(ok.astype(np.float64), wl[:, :, None])[..., 0].T
            if geometric:
                hit = (ok & (block == 0)).astype(np.float64)
                zero = np.matmul(hit, (wl > 0).astype(np.float64)[:, :, None])[..., 0].T > 0
    if (~leaf).any():
        wg = w[:, ~leaf]  # (C, g)
        child = np.stack([node[int(g) - m] for g in kids[~leaf]])  # (g, N, C)
        ok = ~np.isnan(child)
        if geometric:
            value = np.log(np.where(ok & (child > 0), child, 1.0))
            zero = zero | (np.einsum("gnc,cg->nc", ok & (child == 0), wg > 0) > 0)
        else:
            value = np.where(ok, child, 0.0)
        num = num + np.einsum("gnc,cg->nc", value, wg)
        den = den + np.einsum("gnc,cg->nc", ok.astype(np.float64), wg)
    den_arr = np.asarray(den, dtype=np.float64)
    ratio = np.asarray(num, dtype=np.float64) / den_arr
    out = np.exp(ratio) if geometric else ratio
    if geometric:
        out = np.where(zero, 0.0, out)
    return np.asarray(np.where(den_arr > 0, out, np.nan), dtype=np.float64)


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
