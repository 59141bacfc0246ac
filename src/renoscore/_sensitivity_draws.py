"""Numeric kernels for many draws at once (numeric core: numpy and scipy only).

These are the pieces :mod:`renoscore.sensitivity` composes into Monte Carlo uncertainty and
variance-based sensitivity analysis. Every function works on a whole batch of draws: a draw is
a column (``(N, C)`` score and rank matrices) or a leading axis (``(C, ...)`` weights and
indicator scores), and nothing loops in Python over communities or draws.

* :func:`aggregate_draws` scores every group of a hierarchy for ``C`` weight vectors at once;
  with complete data and the arithmetic mean it is one matrix product
  ``(N x M) @ (M x groups*C)``.
* :func:`saaty_step` moves pairwise judgements along Saaty's 1-9 scale.
* :func:`spearman_rho` and :func:`kendall_tau_b` correlate every draw's ranking with one base
  ranking; Kendall's tau-b counts discordant pairs by a merge count run on all draws together.
* :func:`saltelli_design`, :func:`sobol_indices` and :func:`sobol_bootstrap` are the Sobol'
  estimators of Saltelli et al. (2010, first order) and Jansen (1999, total effect) with
  scrambled Sobol' points from :mod:`scipy.stats.qmc`.

References
----------
Archer, G. E. B., Saltelli, A. & Sobol', I. M. (1997). Sensitivity measures, ANOVA-like
    techniques and the use of bootstrap. Journal of Statistical Computation and Simulation
    58(2), 99-120.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. Computer Physics
    Communications 117(1-2), 35-43.
Kendall, M. G. (1945). The treatment of ties in ranking problems. Biometrika 33(3), 239-251.
Knight, W. R. (1966). A computer method for calculating Kendall's tau with ungrouped data.
    Journal of the American Statistical Association 61(314), 436-439.
Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. Journal of Complexity
    14(4), 466-489.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Design and estimator for the total
    sensitivity index. Computer Physics Communications 181(2), 259-270.
Sobol', I. M. (1967). On the distribution of points in a cube and the approximate evaluation
    of integrals. USSR Computational Mathematics and Mathematical Physics 7(4), 86-112.
Sobol', I. M. (1993). Sensitivity estimates for nonlinear mathematical models. Mathematical
    Modelling and Computational Experiments 1(4), 407-414.
Sobol', I. M. & Levitan, Y. L. (1999). On the use of variance reducing multipliers in Monte
    Carlo computations of a global sensitivity index. Computer Physics Communications 117(1-2),
    52-61.
Spearman, C. (1904). The proof and measurement of association between two things. American
    Journal of Psychology 15(1), 72-101.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import OptionError, Problem
from renoscore.hierarchy import Tree

__all__ = [
    "aggregate_draws",
    "effective_weights_draws",
    "inversions",
    "kendall_tau_b",
    "saaty_step",
    "saltelli_design",
    "sobol_bootstrap",
    "sobol_indices",
    "spearman_rho",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Saaty's fundamental scale and its reciprocals, ascending: 1/9, 1/8, ..., 1/2, 1, 2, ..., 9
#: (Saaty 1980, Table 1.1). Kept here so that this core does not import the AHP module.
_SAATY = np.array([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])

# Blocks this wide are counted by direct comparison before the merge passes start: sorting
# many tiny rows costs more per element than comparing them.
_BRUTE_BLOCK = 4


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


# ---------------------------------------------------------------------------- rank correlation
def spearman_rho(x: ArrayLike, Y: ArrayLike) -> FloatArray:
    """Spearman's rank correlation of one ranking with each column of ``Y``.

    ``rho = sum_i (x_i - xbar)(y_i - ybar) / sqrt(sum_i (x_i - xbar)^2 sum_i (y_i - ybar)^2)``,
    Pearson's correlation of the ranks (Spearman 1904), with tied values given their mean rank
    (Kendall 1945), which is what the inputs must already be.

    Parameters
    ----------
    x : array_like, shape (n,)
        Mid-ranks (tie method "average") of the base ranking.
    Y : array_like, shape (n, C)
        Mid-ranks of C other rankings of the same n items.

    Returns
    -------
    ndarray, shape (C,)
        NaN where a ranking has no spread (every item tied): the correlation is undefined.

    References
    ----------
    Spearman (1904); Kendall (1945).

    Examples
    --------
    >>> spearman_rho([1, 2, 3, 4], np.array([[1, 4], [2, 3], [3, 2], [4, 1]]))
    array([ 1., -1.])
    """
    xv = np.asarray(x, dtype=np.float64)
    Ym = np.asarray(Y, dtype=np.float64)
    if Ym.ndim == 1:
        Ym = Ym[:, None]
    xc = xv - xv.mean()
    Yc = Ym - Ym.mean(axis=0)
    cov = xc @ Yc
    den = np.sqrt((xc @ xc) * np.einsum("ic,ic->c", Yc, Yc))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(den > 0, cov / np.where(den > 0, den, 1.0), np.nan)
    return np.asarray(np.clip(rho, -1.0, 1.0), dtype=np.float64)


def inversions(Y: ArrayLike) -> tuple[IntArray, NDArray[np.int64]]:
    """Number of inversions of each row, and the rows sorted.

    An inversion of a sequence ``y`` is a pair ``i < j`` with ``y_i > y_j`` (equal values are
    not inversions). Counted for all rows together by a bottom-up merge count (Knight 1966):
    blocks of 4 are counted by direct comparison, then blocks are merged pairwise; when two
    blocks ``L`` and ``R`` are merged, every left element overtaken by ``p`` right elements
    adds ``p`` inversions. A merge is one sort of ``2 * value + side`` keys, so the whole count
    is ``log2(n / 4)`` vectorised sorts of the batch.

    Parameters
    ----------
    Y : array_like of int, shape (C, n)
        Non-negative integer codes (e.g. ranks, or twice the mid-ranks).

    Returns
    -------
    count : ndarray of int64, shape (C,)
    ordered : ndarray of int64, shape (C, n)
        Each row sorted ascending.

    References
    ----------
    Knight (1966).

    Examples
    --------
    >>> count, ordered = inversions([[3, 1, 2], [1, 2, 3], [2, 2, 1]])
    >>> count.tolist(), ordered.tolist()
    ([2, 0, 2], [[1, 2, 3], [1, 2, 3], [1, 2, 2]])
    """
    arr = np.asarray(Y)
    if arr.ndim != 2 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
        raise OptionError(
            "inversions needs a 2-D array of integer codes",
            [Problem(f"got {arr.dtype} of shape {arr.shape}")],
        )
    c, n = arr.shape
    if n == 0 or c == 0:
        return np.zeros(c, dtype=np.int64), arr.astype(np.int64)
    if arr.min() < 0:
        raise OptionError("inversions needs non-negative codes", [Problem("negative code")])
    width = max(_BRUTE_BLOCK, 1 << (n - 1).bit_length())
    # Padding larger than every code, at the end, adds no inversion.
    pad = int(arr.max()) + 1
    dtype = np.int32 if 2 * pad + 1 < np.iinfo(np.int32).max else np.int64
    keys = np.full((c, width), pad, dtype=dtype)
    keys[:, :n] = arr
    total = np.zeros(c, dtype=np.int64)
    blocks = keys.reshape(c, width // _BRUTE_BLOCK, _BRUTE_BLOCK)
    for gap in range(1, _BRUTE_BLOCK):
        total += np.count_nonzero((blocks[..., :-gap] > blocks[..., gap:]).reshape(c, -1), axis=1)
    w = _BRUTE_BLOCK
    while w < width:
        nb = width // (2 * w)
        # Key 2v + side: equal values keep left before right, so ties are not inversions.
        enc = keys.reshape(c, nb, 2, w) << 1
        enc[:, :, 1, :] |= 1
        enc = enc.reshape(c, nb, 2 * w)
        enc.sort(axis=-1)
        # A left element at merged position p with i left elements before it was overtaken by
        # p - i right elements; summed over a block that is sum(p) - w(w - 1)/2, whatever the
        # order inside the halves, so the halves need not be sorted first. The left positions
        # sum to all positions minus the right ones.
        right = ((enc & 1) @ np.arange(2 * w, dtype=np.int64)).sum(axis=1)
        total += nb * (w * (2 * w - 1)) - right - nb * (w * (w - 1) // 2)
        keys = (enc >> 1).reshape(c, width)
        w *= 2
    if w == _BRUTE_BLOCK:
        keys = np.sort(keys, axis=-1)
    return total, keys[:, :n].astype(np.int64)


def _tie_pairs_sorted(ordered: NDArray[np.int64]) -> IntArray:
    """Pairs of equal values in each sorted row: sum over runs of t(t - 1)/2."""
    c, n = ordered.shape
    out = np.zeros(c, dtype=np.int64)
    if n < 2:
        return out
    same = ordered[:, 1:] == ordered[:, :-1]
    tied = np.flatnonzero(same.any(axis=1))
    if tied.size:
        # Within a run, the element at position i has i - start equal elements before it.
        new = np.ones((tied.size, n), dtype=bool)
        new[:, 1:] = ~same[tied]
        idx = np.broadcast_to(np.arange(n), new.shape)
        start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
        out[tied] = (idx - start).sum(axis=1)
    return out


def kendall_tau_b(x: ArrayLike, Y: ArrayLike) -> FloatArray:
    """Kendall's tau-b of one ranking with each column of ``Y``.

    ``tau_b = (n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2))`` with ``n_0 = n(n-1)/2`` pairs,
    ``n_c`` / ``n_d`` concordant / discordant pairs and ``n_1`` / ``n_2`` pairs tied in ``x`` /
    in ``y`` (Kendall 1945). The items are put in the order of ``x`` (ties in ``x`` broken by
    ``y``), so that ``n_d`` is the number of inversions of ``y`` (Knight 1966), counted for all
    columns at once by :func:`inversions`; then ``n_c = n_0 - n_1 - n_2 + n_3 - n_d`` with
    ``n_3`` the pairs tied in both.

    Parameters
    ----------
    x : array_like, shape (n,)
        Base ranks or scores (any real values; larger means later).
    Y : array_like, shape (n, C)
        Ranks of C rankings of the same items: integers or half-integers (mid-ranks), as
        :func:`renoscore.ranking.rank` returns them.

    Returns
    -------
    ndarray, shape (C,)
        NaN where a ranking has every item tied (the coefficient is undefined).

    Raises
    ------
    OptionError
        ``Y`` holds values that are not integers or half-integers, or NaN.

    References
    ----------
    Kendall (1945); Knight (1966).

    Examples
    --------
    >>> kendall_tau_b([1, 2, 3, 4], np.array([[1, 4], [2, 3], [3, 2], [4, 1]]))
    array([ 1., -1.])
    """
    xv = np.asarray(x, dtype=np.float64)
    Ym = np.asarray(Y, dtype=np.float64)
    if Ym.ndim == 1:
        Ym = Ym[:, None]
    n, c = Ym.shape
    doubled = 2.0 * Ym
    codes = np.rint(doubled)
    if not np.isfinite(doubled).all() or (np.abs(doubled - codes) > 1e-6).any() or n != xv.size:
        raise OptionError(
            "kendall_tau_b needs finite integer or half-integer ranks, one per item",
            [
                Problem(
                    f"x has {xv.size} items, Y has shape {Ym.shape}", fix="rank the scores first"
                )
            ],
        )
    y = (codes - codes.min()).astype(np.int64).T  # (C, n), non-negative
    x_unique, x_code, x_counts = np.unique(xv, return_inverse=True, return_counts=True)
    n0 = n * (n - 1) // 2
    n1 = int((x_counts * (x_counts - 1) // 2).sum())
    x_tied = x_unique.size < n
    if x_tied:
        # Sort by x, then y within ties of x, so that pairs tied in x are never discordant.
        order = np.lexsort((y, np.broadcast_to(x_code, (c, n))), axis=-1)
    else:
        order = np.broadcast_to(np.argsort(x_code, kind="stable"), (c, n))
    y_sorted_by_x = np.take_along_axis(y, order, axis=1)
    n_d, y_ordered = inversions(y_sorted_by_x)
    n2 = _tie_pairs_sorted(y_ordered)
    n3 = np.zeros(c, dtype=np.int64)
    if x_tied:
        joint = x_code[order] * (int(y.max()) + 1) + y_sorted_by_x  # sorted by (x, y) already
        n3 = _tie_pairs_sorted(joint)
    n_c = n0 - n1 - n2 + n3 - n_d
    den = np.sqrt(float(n0 - n1) * (n0 - n2).astype(np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where(den > 0, (n_c - n_d) / np.where(den > 0, den, 1.0), np.nan)
    return np.asarray(np.clip(tau, -1.0, 1.0), dtype=np.float64)


# ---------------------------------------------------------------------------- Sobol'
def saltelli_design(k: int, n: int, seed: int | None = None) -> tuple[FloatArray, FloatArray]:
    """The two independent sample matrices A and B of the Saltelli scheme, uniform on [0, 1).

    Rows are scrambled Sobol' points (Sobol' 1967; Owen 1998 scrambling, via
    :class:`scipy.stats.qmc.Sobol`) in ``2k`` dimensions: A is the first ``k`` columns and B
    the last ``k`` (Saltelli et al. 2010, section 3). ``n`` should be a power of 2 for the
    balance properties of Sobol' points; other ``n`` are accepted.

    Parameters
    ----------
    k : int
        Number of input factors (>= 1).
    n : int
        Number of base samples (>= 2).
    seed : int, optional
        Seed of the scrambling.

    Returns
    -------
    A, B : ndarray, shape (n, k)

    References
    ----------
    Sobol' (1967); Owen (1998); Saltelli et al. (2010).

    Examples
    --------
    >>> A, B = saltelli_design(3, 8, seed=1)
    >>> A.shape, B.shape, bool(((A >= 0) & (A < 1)).all())
    ((8, 3), (8, 3), True)
    """
    from scipy.stats import qmc

    if k < 1 or n < 2:
        raise OptionError(
            "a Saltelli design needs k >= 1 factors and n >= 2 samples",
            [Problem(f"k={k}, n={n}")],
        )
    sampler = qmc.Sobol(d=2 * k, scramble=True, seed=seed)
    with warnings.catch_warnings():
        # scipy warns when n is not a power of 2; the docstring says so instead.
        warnings.simplefilter("ignore", UserWarning)
        points = np.asarray(sampler.random(n), dtype=np.float64)
    return points[:, :k].copy(), points[:, k:].copy()


def sobol_indices(
    f_a: ArrayLike, f_b: ArrayLike, f_ab: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """First-order and total Sobol' indices from the runs of a Saltelli design.

    With ``f(A)``, ``f(B)`` and ``f(A_B^i)`` (A with column ``i`` taken from B) over ``n``
    samples, and ``V`` the variance of the ``2n`` values of ``f(A)`` and ``f(B)``:

    * first order, ``S_i = (1/n) sum_j f(B)_j (f(A_B^i)_j - f(A)_j) / V``
      (Saltelli et al. 2010, Table 2 (b));
    * total effect, ``S_Ti = (1/2n) sum_j (f(A)_j - f(A_B^i)_j)^2 / V``
      (Jansen 1999; Saltelli et al. 2010, Table 2 (f)).

    The outputs are centred on the mean of ``f(A)`` and ``f(B)`` first (Sobol' & Levitan
    1999): this leaves the estimators' expectations unchanged (``E[f(A_B^i) - f(A)] = 0``) and
    lowers the variance of the first-order estimate. A factor may be a group of inputs varied together; its indices
    are then those of the group (Sobol' 1993). An output with no variance has nothing to
    apportion: its indices are 0.

    Parameters
    ----------
    f_a, f_b : array_like, shape (..., n)
        Outputs at A and B (leading axes: several outputs at once).
    f_ab : array_like, shape (k, ..., n)
        Outputs at ``A_B^i`` for each factor ``i``.

    Returns
    -------
    first, total : ndarray, shape (k, ...)
    variance : ndarray, shape (...)
        The output variance ``V``.

    References
    ----------
    Sobol' (1993); Jansen (1999); Sobol' & Levitan (1999); Saltelli et al. (2010).

    Examples
    --------
    >>> A, B = saltelli_design(2, 1024, seed=0)
    >>> f = lambda X: X[:, 0] + 2 * X[:, 1]  # S = (1/5, 4/5) for uniform inputs
    >>> AB = np.stack([np.where(np.arange(2) == i, B, A) for i in range(2)])
    >>> first, total, _ = sobol_indices(f(A), f(B), np.stack([f(m) for m in AB]))
    >>> first.round(2).tolist(), total.round(2).tolist()
    ([0.2, 0.8], [0.2, 0.8])
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if a.shape != b.shape or ab.shape[1:] != a.shape or a.shape[-1] < 2:
        raise OptionError(
            "f_a, f_b (..., n) and f_ab (k, ..., n) do not agree",
            [Problem(f"shapes {a.shape}, {b.shape}, {ab.shape}")],
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all() and np.isfinite(ab).all()):
        raise OptionError("model outputs must be finite", [Problem("NaN or infinite output")])
    mean = 0.5 * (a.mean(axis=-1) + b.mean(axis=-1))
    a = a - mean[..., None]
    b = b - mean[..., None]
    ab = ab - mean[..., None]
    variance = 0.5 * ((a**2).mean(axis=-1) + (b**2).mean(axis=-1))
    first_v = (b * (ab - a)).mean(axis=-1)
    total_v = 0.5 * ((a - ab) ** 2).mean(axis=-1)
    safe = np.where(variance > 0, variance, 1.0)
    first = np.where(variance > 0, first_v / safe, 0.0)
    total = np.where(variance > 0, total_v / safe, 0.0)
    return (
        np.asarray(first, dtype=np.float64),
        np.asarray(total, dtype=np.float64),
        np.asarray(variance, dtype=np.float64),
    )


def sobol_bootstrap(
    f_a: ArrayLike,
    f_b: ArrayLike,
    f_ab: ArrayLike,
    *,
    resamples: int = 500,
    confidence: float = 0.95,
    seed: int | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap percentile intervals of the Sobol' indices of :func:`sobol_indices`.

    The ``n`` sample rows are resampled with replacement (the same rows for ``f(A)``, ``f(B)``
    and every ``f(A_B^i)``, which keeps the design's pairing; Archer, Saltelli & Sobol' 1997)
    and the indices re-estimated; all resamples are computed at once.

    Parameters
    ----------
    f_a, f_b : array_like, shape (n,)
    f_ab : array_like, shape (k, n)
    resamples : int, default 500
    confidence : float, default 0.95
    seed : int, optional

    Returns
    -------
    first_ci, total_ci : ndarray, shape (k, 2)
        Lower and upper bounds.

    References
    ----------
    Archer, Saltelli & Sobol' (1997).

    Examples
    --------
    >>> A, B = saltelli_design(2, 256, seed=0)
    >>> f = lambda X: X[:, 0] + 2 * X[:, 1]
    >>> AB = np.stack([np.where(np.arange(2) == i, B, A) for i in range(2)])
    >>> lo_hi, _ = sobol_bootstrap(f(A), f(B), np.stack([f(m) for m in AB]), seed=0)
    >>> bool(lo_hi[1, 0] < 0.8 < lo_hi[1, 1])
    True
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if a.ndim != 1 or ab.ndim != 2 or not 0.0 < confidence < 1.0 or resamples < 2:
        raise OptionError(
            "sobol_bootstrap needs f_a, f_b of shape (n,), f_ab (k, n), 0 < confidence < 1",
            [Problem(f"shapes {a.shape}, {ab.shape}; confidence {confidence}")],
        )
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, a.size, size=(resamples, a.size))
    first, total, _ = sobol_indices(a[rows], b[rows], ab[:, rows])  # (k, resamples)
    tail = 50.0 * (1.0 - confidence)
    q = [tail, 100.0 - tail]
    return (
        np.asarray(np.percentile(first, q, axis=1).T, dtype=np.float64),
        np.asarray(np.percentile(total, q, axis=1).T, dtype=np.float64),
    )
