"""Batch-relative normalisations: a score depends on which other communities are in the batch.

:func:`minmax`, :func:`zscore`, :func:`vector`, :func:`sum_norm` and :func:`max_linear` are
explicit opt-ins, mainly for TOPSIS-style ranking of one batch; :func:`renoscore.normalize.goalposts`
is the default because its scores compare across batches and phases. Each method reads the
matrix in cache-sized row blocks: the column statistics first, then the scores.

The full references (Hwang & Yoon 1981, section 2.2; Jahan & Edwards 2015; Vafaei et al.
2016; OECD/JRC 2008, section 1.5) are listed in :mod:`renoscore.normalize`; each function cites
the sections it follows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._kernels import (
    Directions,
    FloatMatrix,
    as_matrix,
    benefit_mask,
    column_problems,
    inf_problems,
    row_blocks,
    warn_constant,
)
from renoscore.errors import DataValidationError

__all__ = ["max_linear", "minmax", "sum_norm", "vector", "zscore"]


def _check_no_inf(X: FloatMatrix, labels: Sequence[str] | None, name: str = "X") -> None:
    """Raise :class:`DataValidationError` if ``X`` holds +-inf (NaN is allowed)."""
    for rows in row_blocks(X.shape[0], X.shape[1]):
        if np.isinf(X[rows]).any():
            raise DataValidationError(f"{name} contains infinite values", inf_problems(X, labels))


def _nan_colmin(X: FloatMatrix) -> NDArray[np.float64]:
    # fmin ignores NaN (unless a whole column is NaN) and allocates only the (M,) result.
    return np.asarray(np.fmin.reduce(X, axis=0), dtype=np.float64)


def _nan_colmax(X: FloatMatrix) -> NDArray[np.float64]:
    return np.asarray(np.fmax.reduce(X, axis=0), dtype=np.float64)


def _nan_colsum(X: FloatMatrix, *, squared: bool = False) -> NDArray[np.float64]:
    """Column sums ignoring NaN, computed block by block (no full-size temporary)."""
    total = np.zeros(X.shape[1])
    for rows in row_blocks(X.shape[0], X.shape[1]):
        block = X[rows]
        clean = np.where(np.isnan(block), 0.0, block)
        total += np.einsum("ij,ij->j", clean, clean) if squared else clean.sum(axis=0)
    return total


def _prepare(
    X: ArrayLike, directions: Directions, labels: Sequence[str] | None
) -> tuple[FloatMatrix, NDArray[np.bool_]]:
    arr = as_matrix(X)
    benefit = benefit_mask(directions, arr.shape[1], labels=labels)
    _check_no_inf(arr, labels)
    return arr, benefit


def _refuse_columns(
    lowest: NDArray[np.float64],
    bad: NDArray[np.bool_],
    labels: Sequence[str] | None,
    summary: str,
    reason: str,
    fix: str,
) -> None:
    """Raise one error naming every column flagged in ``bad`` with its lowest value."""
    columns = np.flatnonzero(bad)
    if columns.size:
        raise DataValidationError(summary, column_problems(columns, labels, reason, fix, lowest))


def _require_nonnegative(
    X: FloatMatrix, columns: NDArray[np.bool_], labels: Sequence[str] | None, method: str
) -> None:
    """Ratio normalisations need x >= 0 (or x > 0 where the reciprocal is taken)."""
    lowest = _nan_colmin(X)
    _refuse_columns(
        lowest,
        columns & (lowest < 0),
        labels,
        f"{method} needs non-negative values",
        "column has negative values",
        "use minmax or goalposts for indicators that can be negative",
    )


def _require_positive_cost(
    X: FloatMatrix, benefit: NDArray[np.bool_], labels: Sequence[str] | None, method: str
) -> None:
    lowest = _nan_colmin(X)
    _refuse_columns(
        lowest,
        ~benefit & (lowest <= 0),
        labels,
        f"{method} needs strictly positive values in cost columns",
        "cost column has a zero or negative value, whose reciprocal is undefined",
        "use goalposts or minmax for this indicator",
    )


def minmax(
    X: ArrayLike, directions: Directions, *, labels: Sequence[str] | None = None
) -> FloatMatrix:
    r"""Min-max (linear scale) normalisation over the batch.

    .. math::
        r_{ij} = \frac{x_{ij} - \min_i x_{ij}}{\max_i x_{ij} - \min_i x_{ij}} \ \text{(benefit)},
        \qquad
        r_{ij} = \frac{\max_i x_{ij} - x_{ij}}{\max_i x_{ij} - \min_i x_{ij}} \ \text{(cost)}

    (Jahan & Edwards 2015, Table 1 "linear min-max"; OECD/JRC 2008, section 1.5.) Minimum and
    maximum ignore NaN cells. **Batch-relative**: a score changes when other communities join
    the batch, so use :func:`goalposts` to compare batches or phases.

    A constant column (max == min) has no spread to rank on; its non-missing cells get **1.0**
    (no community is worse than another) and a :class:`~renoscore.errors.ConstantIndicatorWarning`
    is issued. A column that is entirely NaN stays NaN.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw values; the minimum and maximum of a column skip its NaN cells.
    directions : sequence of str or array of bool
        A cost column is reversed: its maximum scores 0 and its minimum 1.
    labels : sequence of str, optional
        Indicator ids for the warning about constant columns.

    Returns
    -------
    ndarray, shape (N, M), float64, in [0, 1]

    Raises
    ------
    DataValidationError
        ``X`` is not a numeric matrix or holds an infinite value.
    OptionError
        Unknown directions, or not one per column.

    References
    ----------
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342.
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.5.

    Examples
    --------
    >>> minmax([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]], ["benefit", "cost"])
    array([[0. , 1. ],
           [1. , 0. ],
           [0.5, 0.5]])
    """
    arr, benefit = _prepare(X, directions, labels)
    lo, hi = _nan_colmin(arr), _nan_colmax(arr)
    with np.errstate(over="ignore"):
        span = hi - lo
    constant = span == 0
    warn_constant(np.flatnonzero(constant), labels, "min-max scores them 1.0")
    # A column spanning more than the float range (max - min overflows) is worked in halves:
    # halving is exact, and (x/2 - lo/2) / (hi/2 - lo/2) is the same ratio.
    halve = np.isinf(span) & np.isfinite(lo) & np.isfinite(hi)
    pre = np.where(halve, 0.5, 1.0)
    span = np.where(halve, hi * 0.5 - lo * 0.5, span)
    # Benefit: (x - lo) / span; cost: (hi - x) / span = (x - hi) / (-span).
    origin = np.where(benefit, lo, hi) * pre
    scale = np.where(constant, 1.0, np.where(benefit, span, -span))
    out = np.empty_like(arr)
    for rows in row_blocks(*arr.shape):
        block = out[rows]
        if halve.any():
            np.multiply(arr[rows], pre, out=block)
            np.subtract(block, origin, out=block)
        else:
            np.subtract(arr[rows], origin, out=block)
        np.divide(block, scale, out=block)
        np.add(block, 0.0, out=block)  # -0.0 (cost column at its maximum) -> 0.0
    if constant.any():
        # x - lo is 0 on a constant column; 0 + 1 = 1 and NaN + 1 stays NaN.
        out[:, constant] += 1.0
    return out


def zscore(
    X: ArrayLike, directions: Directions, *, labels: Sequence[str] | None = None
) -> FloatMatrix:
    r"""Standardisation (z-scores) over the batch, sign-flipped for cost indicators.

    .. math:: z_{ij} = \pm \frac{x_{ij} - \bar x_j}{\sigma_j}

    with the population standard deviation (``ddof=0``) over the non-missing cells, ``+`` for
    benefit and ``-`` for cost (OECD/JRC 2008, section 1.5 "standardisation"; Jahan & Edwards
    2015). **Batch-relative.** A constant column gets 0.0 (the batch mean) with a
    :class:`~renoscore.errors.ConstantIndicatorWarning`.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw values; the mean and standard deviation use the non-missing cells.
    directions : sequence of str or array of bool
        ``"cost"`` flips the sign, so that higher is better in every column.
    labels : sequence of str, optional
        Indicator ids, named when a column is constant.

    Returns
    -------
    ndarray, shape (N, M), float64
        Standard scores, 0 at the batch mean (not bounded).

    Raises
    ------
    DataValidationError, OptionError
        As :func:`minmax`.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.5.
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342.

    Examples
    --------
    >>> zscore([[1.0, 1.0], [3.0, 3.0]], ["benefit", "cost"])
    array([[-1.,  1.],
           [ 1., -1.]])
    """
    arr, benefit = _prepare(X, directions, labels)
    # Deviations are taken from the column minimum first: x - min is exact for values close
    # together (Sterbenz), so the mean and the deviations of a nearly constant column do not
    # depend on the row order, and a constant column is found by its extremes.
    lo, hi = _nan_colmin(arr), _nan_colmax(arr)
    ref = np.where(np.isfinite(lo), lo, 0.0)
    count = np.zeros(arr.shape[1])
    shifted_sum = np.zeros(arr.shape[1])
    for rows in row_blocks(*arr.shape):
        block = arr[rows] - ref
        count += (~np.isnan(block)).sum(axis=0)
        shifted_sum += np.nansum(block, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = shifted_sum / count
        total_sq = np.zeros(arr.shape[1])
        for rows in row_blocks(*arr.shape):
            dev = arr[rows] - ref - shift
            dev[np.isnan(dev)] = 0.0
            total_sq += np.einsum("ij,ij->j", dev, dev)
        std = np.sqrt(total_sq / count)
    constant = (std == 0) | ((count > 0) & (~np.isfinite(std) | (lo == hi)))
    shift = np.where(constant, 0.0, shift)
    warn_constant(np.flatnonzero(constant), labels, "their z-score is 0")
    scale = np.where(constant, 1.0, np.where(benefit, std, -std))
    out = np.empty_like(arr)
    for rows in row_blocks(*arr.shape):
        block = out[rows]
        np.subtract(arr[rows], ref, out=block)
        block -= shift
        np.divide(block, scale, out=block)
    return out


def vector(
    X: ArrayLike, directions: Directions, *, labels: Sequence[str] | None = None
) -> FloatMatrix:
    r"""Vector (Euclidean) normalisation over the batch.

    .. math::
        r_{ij} = \frac{x_{ij}}{\sqrt{\sum_i x_{ij}^2}} \ \text{(benefit)}, \qquad
        r_{ij} = 1 - \frac{x_{ij}}{\sqrt{\sum_i x_{ij}^2}} \ \text{(cost)}

    The benefit form is the normalisation of TOPSIS (Hwang & Yoon 1981, section 2.2.1); the cost
    form ``1 - r`` is the one listed by Jahan & Edwards (2015, Table 1). (TOPSIS itself does not
    invert cost columns: :func:`renoscore.aggregate.topsis` uses the plain ``r`` and chooses the
    ideal by direction.) The sum runs over non-missing cells. **Batch-relative.** A column whose
    norm is 0 (all zeros) gets ``r = 0`` with a :class:`~renoscore.errors.ConstantIndicatorWarning`.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw values (NaN cells are left out of the norm and stay NaN).
    directions : sequence of str or array of bool
        Cost columns give ``1 - r``.
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64
        ``r`` for benefit columns, ``1 - r`` for cost columns.

    Raises
    ------
    DataValidationError
        Not a numeric matrix, or an infinite value.
    OptionError
        Bad directions.

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making*, section 2.2.1
    (vector normalisation, the benefit form); Jahan, A. & Edwards, K. L. (2015), *Materials &
    Design* 65, 335-342, Table 1 (the cost form).

    Examples
    --------
    >>> vector([[3.0, 3.0], [4.0, 4.0]], ["benefit", "cost"])
    array([[0.6, 0.4],
           [0.8, 0.2]])
    """
    arr, benefit = _prepare(X, directions, labels)
    norm = np.sqrt(_nan_colsum(arr, squared=True))
    zero = norm == 0
    warn_constant(np.flatnonzero(zero), labels, "their vector-normalised value is 0")
    scale = np.where(zero, 1.0, norm)
    out = np.empty_like(arr)
    for rows in row_blocks(*arr.shape):
        block = out[rows]
        np.divide(arr[rows], scale, out=block)
        cost = ~benefit
        if cost.any():
            block[:, cost] = 1.0 - block[:, cost]
    return out


def sum_norm(
    X: ArrayLike, directions: Directions, *, labels: Sequence[str] | None = None
) -> FloatMatrix:
    r"""Sum normalisation over the batch (shares of the column total).

    .. math::
        r_{ij} = \frac{x_{ij}}{\sum_i x_{ij}} \ \text{(benefit)}, \qquad
        r_{ij} = \frac{1/x_{ij}}{\sum_i 1/x_{ij}} \ \text{(cost)}

    (Jahan & Edwards 2015, Table 1 "sum"; Vafaei et al. 2016.) Values must be non-negative, and
    strictly positive in cost columns. Sums ignore NaN cells. **Batch-relative.** An all-zero
    benefit column gets ``1/n`` per non-missing cell (equal shares) with a
    :class:`~renoscore.errors.ConstantIndicatorWarning`.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Non-negative values (strictly positive in cost columns); sums skip NaN cells.
    directions : sequence of str or array of bool
        Cost columns share the reciprocals ``1/x``.
    labels : sequence of str, optional
        Indicator ids, used to name the columns that are refused.

    Returns
    -------
    ndarray, shape (N, M), float64
        Each column's shares of its total; a column's non-missing cells sum to 1.

    Raises
    ------
    DataValidationError
        Negative values, or a zero in a cost column.
    OptionError
        Bad directions.

    References
    ----------
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342.
    Vafaei, N., Ribeiro, R. A. & Camarinha-Matos, L. M. (2016), IFIP AICT 470, 261-269.

    Examples
    --------
    >>> sum_norm([[1.0, 1.0], [3.0, 3.0]], ["benefit", "cost"])
    array([[0.25, 0.75],
           [0.75, 0.25]])
    """
    arr, benefit = _prepare(X, directions, labels)
    _require_nonnegative(arr, np.ones(arr.shape[1], dtype=np.bool_), labels, "sum normalisation")
    _require_positive_cost(arr, benefit, labels, "sum normalisation")
    cost = ~benefit
    total = np.zeros(arr.shape[1])
    count = np.zeros(arr.shape[1])
    for rows in row_blocks(*arr.shape):
        block = arr[rows]
        present = ~np.isnan(block)
        count += present.sum(axis=0)
        with np.errstate(divide="ignore"):
            values = np.where(cost, 1.0 / block, block)
        total += np.where(present, values, 0.0).sum(axis=0)
    zero = total == 0
    warn_constant(np.flatnonzero(zero), labels, "each community gets an equal share")
    out = np.empty_like(arr)
    for rows in row_blocks(*arr.shape):
        block = out[rows]
        with np.errstate(divide="ignore"):
            np.divide(1.0, arr[rows], out=block, where=cost)
        np.copyto(block, arr[rows], where=benefit)
        np.divide(block, np.where(zero, 1.0, total), out=block)
        if zero.any():
            block[:, zero] += 1.0 / np.maximum(count[zero], 1.0)
    return out


def max_linear(
    X: ArrayLike, directions: Directions, *, labels: Sequence[str] | None = None
) -> FloatMatrix:
    r"""Linear-max normalisation over the batch (ratio to the best value).

    .. math::
        r_{ij} = \frac{x_{ij}}{\max_i x_{ij}} \ \text{(benefit)}, \qquad
        r_{ij} = \frac{\min_i x_{ij}}{x_{ij}} \ \text{(cost)}

    This is the linear scale transformation of Hwang & Yoon (1981, section 2.2.1), also listed
    by Jahan & Edwards (2015, Table 1); the best value scores 1 in both cases. (The variant
    ``1 - x / max`` for cost columns is not offered: it does not give the best value 1.)
    Values must be non-negative, and strictly positive in cost columns. **Batch-relative.** An
    all-zero benefit column gets 0 with a :class:`~renoscore.errors.ConstantIndicatorWarning`.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Non-negative values, strictly positive in cost columns.
    directions : sequence of str or array of bool
        The best value of a column is its maximum (benefit) or its minimum (cost).
    labels : sequence of str, optional
        Indicator ids for errors and warnings.

    Returns
    -------
    ndarray, shape (N, M), float64, in [0, 1]
        The ratio to the column's best value, which scores 1.

    Raises
    ------
    OptionError
        Bad directions.
    DataValidationError
        Negative values, or a zero in a cost column.

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making*, section 2.2.1
    (linear scale transformation).
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342, Table 1.

    Examples
    --------
    >>> max_linear([[2.0, 2.0], [4.0, 4.0], [1.0, 8.0]], ["benefit", "cost"])
    array([[0.5 , 1.  ],
           [1.  , 0.5 ],
           [0.25, 0.25]])
    """
    arr, benefit = _prepare(X, directions, labels)
    _require_nonnegative(arr, np.ones(arr.shape[1], dtype=np.bool_), labels, "linear-max")
    _require_positive_cost(arr, benefit, labels, "linear-max")
    hi, lo = _nan_colmax(arr), _nan_colmin(arr)
    zero = benefit & (hi == 0)
    warn_constant(np.flatnonzero(zero), labels, "their linear-max value is 0")
    cost = ~benefit
    denom = np.where(zero, 1.0, hi)
    out = np.empty_like(arr)
    for rows in row_blocks(*arr.shape):
        block = out[rows]
        np.divide(arr[rows], denom, out=block, where=benefit)
        np.divide(lo, arr[rows], out=block, where=cost)
    return out
