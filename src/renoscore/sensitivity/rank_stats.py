"""How far the ranking of each draw is from the base ranking: ranks and rank correlations.

The ranks of a chunk of draws (communities x draws) come from one call of
:func:`renoscore.ranking.rank` per cache-sized block of columns (:func:`rank_chunk`); every
draw is then compared with the base ranking by Spearman's rho and Kendall's tau-b
(:func:`correlations`), both computed for all draws together (numeric core: numpy only).
Kendall's tau-b counts discordant pairs by a merge count run on all draws at once
(:func:`inversions`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore import ranking
from renoscore.errors import OptionError, Problem

__all__ = ["correlations", "inversions", "kendall_tau_b", "rank_chunk", "spearman_rho"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Blocks this wide are counted by direct comparison before the merge passes start: sorting
# many tiny rows costs more per element than comparing them.
_BRUTE_BLOCK = 4
# Elements of one column block (2 MB of float64), see _column_blocks.
_CACHE_ELEMENTS = 1 << 18


# ---------------------------------------------------------------------------- rank correlation
def _base_and_columns(x: ArrayLike, Y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The base ranking as a float vector and the other rankings as the columns of a matrix."""
    xv = np.asarray(x, dtype=np.float64)
    Ym = np.asarray(Y, dtype=np.float64)
    return xv, (Ym[:, None] if Ym.ndim == 1 else Ym)


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
    >>> spearman_rho([1, 2, 3], [2.0, 2.0, 2.0])  # every item tied: undefined
    array([nan])
    >>> spearman_rho([1, 2, 3, 4], np.array([[1, 4], [2, 3], [3, 2], [4, 1]]))
    array([ 1., -1.])
    """
    xv, Ym = _base_and_columns(x, Y)
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
    xv, Ym = _base_and_columns(x, Y)
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


# ---------------------------------------------------------------------------- draws vs base
def _column_blocks(rows: int, cols: int) -> list[slice]:
    """Column blocks of about 2 MB: ranking and counting a block that stays in cache is several
    times faster per draw than one pass over a whole (communities x draws) chunk."""
    step = max(1, _CACHE_ELEMENTS // max(rows, 1))
    return [slice(c0, min(cols, c0 + step)) for c0 in range(0, cols, step)]


def rank_chunk(scores: FloatArray, method: str, tol: float) -> tuple[FloatArray, FloatArray]:
    """Ranks of a chunk (rows x runs) and the mid-ranks for rank correlations.

    A score that a run could not compute (NaN) ranks last, so that every run ranks the same
    communities. Mid-ranks (tie method "average"; Kendall 1945) are computed again only for
    the runs that have ties.

    Parameters
    ----------
    scores : ndarray, shape (N, runs)
        Scores of every community in every run (larger is better).
    method : {"min", "max", "dense", "average", "ordinal"}
        Tie method of the ranks, as for :func:`renoscore.ranking.rank`.
    tol : float
        Scores closer than this are tied.

    Returns
    -------
    ranks, mid : ndarray, shape (N, runs)
        The ranks (1 is best) and the mid-ranks (the same array when no run has ties).

    Examples
    --------
    >>> ranks, mid = rank_chunk(np.array([[3.0, 1.0], [2.0, 1.0], [1.0, np.nan]]), "min", 1e-9)
    >>> ranks.tolist()
    [[1.0, 1.0], [2.0, 1.0], [3.0, 3.0]]
    >>> mid[:, 1].tolist()
    [1.5, 1.5, 3.0]
    """
    filled = np.where(np.isnan(scores), -np.inf, scores)
    n = filled.shape[0]
    ranks = np.empty_like(filled)
    for cols in _column_blocks(*filled.shape):
        ranks[:, cols] = ranking.rank(filled[:, cols], method=method, tol=tol)  # type: ignore[arg-type]
    if method == "average":
        return ranks, ranks
    if method == "ordinal":
        tied = np.ones(ranks.shape[1], dtype=bool)
    elif method == "min":
        tied = ranks.sum(axis=0) < n * (n + 1) / 2 - 0.25
    elif method == "max":
        tied = ranks.sum(axis=0) > n * (n + 1) / 2 + 0.25
    else:
        tied = ranks.max(axis=0, initial=0.0) < n
    if not tied.any():
        return ranks, ranks
    mid = ranks.copy()
    which = np.flatnonzero(tied)
    for cols in _column_blocks(n, which.size):
        sel = which[cols]
        mid[:, sel] = ranking.rank(filled[:, sel], method="average", tol=tol)
    return ranks, mid


def correlations(
    base_mid: FloatArray, mid: FloatArray, kendall: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Spearman's rho and Kendall's tau-b of every run with the base ranking, block by block.

    Parameters
    ----------
    base_mid : ndarray, shape (N,)
        Mid-ranks of the base ranking.
    mid : ndarray, shape (N, runs)
        Mid-ranks of every run (:func:`rank_chunk`).
    kendall : bool
        Compute Kendall's tau-b too (it is NaN when False).

    Returns
    -------
    rho, tau : ndarray, shape (runs,)

    Examples
    --------
    >>> base = np.array([1.0, 2.0, 3.0])
    >>> rho, tau = correlations(base, np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]))
    >>> rho.tolist(), tau.tolist()
    ([1.0, -1.0], [1.0, -1.0])
    """
    rho = np.empty(mid.shape[1])
    tau = np.full(mid.shape[1], np.nan)
    for cols in _column_blocks(*mid.shape):
        rho[cols] = spearman_rho(base_mid, mid[:, cols])
        if kendall:
            tau[cols] = kendall_tau_b(base_mid, mid[:, cols])
    return rho, tau
