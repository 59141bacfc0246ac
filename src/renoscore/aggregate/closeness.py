"""TOPSIS: closeness of each alternative to the ideal solution (Hwang & Yoon 1981).

The ideal and anti-ideal come from the batch, so closeness is **batch-relative**. The module is
named for what it computes, the closeness coefficient, so that its name does not shadow the
function :func:`topsis` that the package re-exports.

References
----------
Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and Applications*.
    Springer, Berlin.
Tzeng, G.-H. & Huang, J.-J. (2011). *Multiple Attribute Decision Making: Methods and
    Applications*. CRC Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from renoscore._kernels import (
    BLOCK_ELEMENTS,
    Directions,
    FloatArray,
    as_matrix,
    benefit_mask,
    blocked_column_stats,
    flat_blocks,
    warn_constant,
)
from renoscore.aggregate._checks import weight_vector
from renoscore.errors import OptionError, Problem

__all__ = ["TopsisNormalization", "topsis"]

#: How TOPSIS scales each criterion before weighting: by its Euclidean norm ("vector", the
#: original method) or by its range ("minmax").
TopsisNormalization: TypeAlias = Literal["vector", "minmax"]


def topsis(
    X: ArrayLike,
    weights: ArrayLike,
    directions: Directions,
    normalization: TopsisNormalization = "vector",
    *,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Closeness to the ideal solution, TOPSIS (Hwang & Yoon 1981).

    1. Normalise each criterion: ``"vector"``, :math:`r_{ij} = x_{ij} / \sqrt{\sum_i x_{ij}^2}`
       (the original method), or ``"minmax"``, :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) /
       (\max_i x_{ij} - \min_i x_{ij})`.
    2. Weight: :math:`v_{ij} = w_j r_{ij}`.
    3. Ideal :math:`A^+` and anti-ideal :math:`A^-`: per criterion the best and worst
       :math:`v_{ij}` over the alternatives (max/min for benefit, min/max for cost).
    4. Euclidean distances :math:`D_i^{\pm} = \sqrt{\sum_j (v_{ij} - A_j^{\pm})^2}`.
    5. Closeness :math:`C_i = D_i^- / (D_i^+ + D_i^-)`, in [0, 1], higher is better.

    **Batch-relative**: the ideal and anti-ideal come from the batch, so closeness changes when
    alternatives are added. A row with a NaN cell gets NaN closeness (the normalising norms,
    minima and maxima use the non-missing cells). A constant criterion contributes nothing to
    either distance (a :class:`~renoscore.errors.ConstantIndicatorWarning` is issued); if every
    criterion is constant all alternatives tie at closeness 0.5.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw decision matrix.
    weights : array_like, shape (M,)
        Non-negative criterion weights summing to 1 (within 1e-9).
    directions : sequence of str or array of bool
        "benefit" or "cost" per criterion.
    normalization : {"vector", "minmax"}, default "vector"
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,)
        Closeness coefficients.

    Raises
    ------
    WeightsError, OptionError
    DataValidationError
        Infinite values, or a criterion with no value at all.

    Notes
    -----
    X is read twice from memory (column statistics, then distances over cache-sized blocks);
    no (N, M) temporary is made.

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, section 2.3.5 (TOPSIS).
    Tzeng, G.-H. & Huang, J.-J. (2011), *Multiple Attribute Decision Making: Methods and
    Applications*, CRC Press, chapter 5 (TOPSIS).

    Examples
    --------
    >>> X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    >>> topsis(X, [0.3, 0.4, 0.3], ["benefit"] * 3).round(4)
    array([0.5037, 0.6581, 0.7482, 0.334 ])
    """
    if normalization not in ("vector", "minmax"):
        raise OptionError(
            "unknown TOPSIS normalisation",
            [Problem("normalization must be 'vector' or 'minmax'", value=normalization)],
        )
    arr = as_matrix(X)
    n, m = arr.shape
    w = weight_vector(weights, m, labels)
    benefit = benefit_mask(directions, m, labels=labels)
    lo, hi, sq = blocked_column_stats(arr, labels, sumsq=normalization == "vector")
    if normalization == "vector":
        norm = np.sqrt(sq)
        degenerate = norm == 0
        scale = np.where(degenerate, 0.0, w / np.where(degenerate, 1.0, norm))
    else:
        span = hi - lo
        degenerate = span == 0
        scale = np.where(degenerate, 0.0, w / np.where(degenerate, 1.0, span))
    warn_constant(
        np.flatnonzero(degenerate | (hi == lo)), labels, "they do not separate alternatives"
    )
    d_plus = np.empty(n)
    d_minus = np.empty(n)
    # Both normalisations are v = x * scale + shift with scale >= 0, and the ideal and
    # anti-ideal are the images of the column extremes (hi, lo). So
    #     sum_j (v_j - ideal_j)^2 = sum_j scale_j^2 (x_j - x*_j)^2,  x* = hi or lo,
    # measured in the units of x: per distance one subtraction, one square and a
    # matrix-vector product with scale^2, and no weighted matrix is formed. (A degenerate
    # column has scale 0 and drops out, as its v does.) The per-column vectors are tiled over
    # flat blocks (see renoscore._kernels.flat_blocks).
    best = np.where(benefit, hi, lo)
    worst = np.where(benefit, lo, hi)
    scale2 = scale * scale
    buf = np.empty(max(1, min(n, BLOCK_ELEMENTS // max(1, m))) * m)
    row = 0
    for x, _, best_t, worst_t in flat_blocks(arr, arr, best, worst):
        k = x.size
        r = k // m if x.ndim == 1 else x.shape[0]
        db = buf[:k].reshape(x.shape)
        for extreme, dist in ((best_t, d_plus), (worst_t, d_minus)):
            np.subtract(x, extreme, out=db)
            np.multiply(db, db, out=db)
            np.matmul(db.reshape(r, m), scale2, out=dist[row : row + r])
        row += r
    np.sqrt(d_plus, out=d_plus)
    np.sqrt(d_minus, out=d_minus)
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, d_minus / total, 0.5)
    closeness[np.isnan(total)] = np.nan
    return closeness
