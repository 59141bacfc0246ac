"""Pairwise-complete moments of the columns of a matrix: the one home of the masked sums.

For every pair of columns ``(a, b)`` the rows where both are observed give the count, the
covariance (divisor ``n - 1``) and Pearson's correlation, with the means and variances of that
pair's own complete rows, as R's ``cov``/``cor(use = "pairwise.complete.obs")`` and pandas'
``DataFrame.cov``/``corr`` compute them. With no NaN it is one product of the centred matrix with
itself; with NaN, four products of the masked matrices. Used by the correlation structure
(:mod:`renoscore.audit.correlation`) and by Cronbach's alpha (:mod:`renoscore.audit.consistency`,
which, like COINr's ``get_cronbach``, takes the pairwise covariance matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore._kernels import BLOCK_ELEMENTS, column_sums, row_blocks

__all__ = ["PairwiseMoments", "pairwise_moments"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class PairwiseMoments:
    """Count, covariance and correlation of every pair of columns on its complete rows.

    Attributes
    ----------
    n : ndarray of int64, shape (V, V)
    cov : ndarray, shape (V, V)
        NaN where fewer than two rows observe both.
    r : ndarray, shape (V, V)
        NaN where a column is constant on the pair's complete rows (or fewer than two rows).
    """

    n: NDArray[np.int64]
    cov: FloatArray
    r: FloatArray


def pairwise_moments(Z: FloatArray, *, complete: bool | None = None) -> PairwiseMoments:
    """Pairwise-complete counts, covariances and Pearson correlations of the columns of ``Z``.

    ``complete``: whether ``Z`` has no NaN, when the caller knows (saves a read).

    Examples
    --------
    >>> Z = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, np.nan], [3.0, 7.0, 0.0], [4.0, 8.0, 5.0]])
    >>> pm = pairwise_moments(Z)
    >>> pm.n.tolist()[0], round(float(pm.r[0, 1]), 4), round(float(pm.r[0, 2]), 4)
    ([4, 4, 3], 0.9845, 0.6186)
    """
    if complete is None:
        complete = not bool(np.isnan(Z).any())
    if complete:
        n, cross = _complete_cross(Z)
        var_a = np.broadcast_to(np.diag(cross)[:, None], cross.shape)
        var_b = var_a.T
    else:
        observed = ~np.isnan(Z)
        count = observed.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(count > 0, np.where(observed, Z, 0.0).sum(axis=0) / count, 0.0)
        # Centring by the column means first keeps the sums of products small.
        C = np.where(observed, Z - centre, 0.0)
        mask = observed.astype(np.float64)
        n = mask.T @ mask
        s = C.T @ mask  # s[a, b]: sum of column a over the rows where b is observed (and a)
        sq = (C * C).T @ mask
        with np.errstate(invalid="ignore", divide="ignore"):
            cross = C.T @ C - s * s.T / n
            var_a = sq - s * s / n
            var_b = var_a.T
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(n >= 2, cross / (n - 1.0), np.nan)
        denom = np.sqrt(var_a * var_b)
        tiny = denom <= 1e-12 * (np.abs(var_a) + np.abs(var_b) + 1e-300)
        r = np.where((n >= 2) & ~tiny, cross / np.where(tiny, 1.0, denom), np.nan)
    return PairwiseMoments(np.rint(n).astype(np.int64), cov, np.clip(r, -1.0, 1.0))


def _complete_cross(Z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Counts and centred cross-products of a matrix without NaN, in one blocked pass.

    Each block of rows is shifted by the first rows' means while in cache and multiplied by
    itself (``d.T @ d``); the shift's offset from the true means is taken out at the end
    (``cross - N m m^T``, small because the shift is near the means).
    """
    n_rows, v = Z.shape
    shift = Z[: min(n_rows, 1024)].mean(axis=0) if n_rows else np.zeros(v)
    cross = np.zeros((v, v))
    total = np.zeros(v)
    buf = np.empty((min(n_rows, max(1, BLOCK_ELEMENTS // max(v, 1))), v))
    for rows in row_blocks(n_rows, v):
        d = np.subtract(Z[rows], shift, out=buf[: rows.stop - rows.start])
        cross += d.T @ d
        total += column_sums(d)
    mean = total / max(n_rows, 1)
    cross -= n_rows * np.outer(mean, mean)
    return np.full((v, v), float(n_rows)), cross
