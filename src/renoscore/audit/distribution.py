"""Distribution of every indicator: location, spread, shape, and the outlier rule.

Every statistic is computed for all columns of an ``(N, M)`` matrix at once, NaN cells left out
column by column. Skewness and kurtosis are the bias-corrected sample estimators that
spreadsheets (Excel's ``SKEW`` and ``KURT``), R's ``e1071`` (``type = 2``) and COINr use, and
that ``scipy.stats.skew(bias=False)`` / ``scipy.stats.kurtosis(bias=False)`` return (Joanes &
Gill 1998, ``G1`` and ``G2``); kurtosis is *excess* kurtosis (0 for a normal distribution).

The outlier rule of COINr's ``get_stats`` and of the JRC's COIN Tool flags a column whose
absolute skewness exceeds 2 *and* whose kurtosis exceeds 3.5 (Becker et al. 2022).

References
----------
Joanes, D. N. & Gill, C. A. (1998). Comparing measures of sample skewness and kurtosis.
Journal of the Royal Statistical Society D (The Statistician) 47(1), 183-189.
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. & Saisana, M. (2022).
COINr: an R package for developing composite indicators. Journal of Open Source Software
7(78), 4567.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import DataValidationError, Problem

__all__ = [
    "KURT_THRESHOLD",
    "SKEW_THRESHOLD",
    "ColumnStats",
    "column_stats",
    "kurtosis",
    "outlier_flags",
    "passes_skew_kurt",
    "skewness",
]

FloatArray = NDArray[np.float64]

#: COINr's default thresholds of the outlier rule: |skewness| and (excess) kurtosis.
SKEW_THRESHOLD = 2.0
KURT_THRESHOLD = 3.5


@dataclass(frozen=True, eq=False)
class ColumnStats:
    """Statistics of every column of a matrix (NaN cells left out).

    Attributes
    ----------
    n : ndarray of int64, shape (M,)
        Observed (non-NaN) values per column.
    mean, sd, minimum, maximum, median : ndarray, shape (M,)
        ``sd`` divides by ``n - 1``. NaN for a column with no value (``sd``: fewer than two).
    skew, kurt : ndarray, shape (M,)
        Bias-corrected skewness ``G1`` and excess kurtosis ``G2``; NaN where undefined (fewer
        than 3 or 4 values, or a constant column).
    constant : ndarray of bool, shape (M,)
        Columns with at least one value, all equal.
    """

    n: NDArray[np.int64]
    mean: FloatArray
    sd: FloatArray
    minimum: FloatArray
    maximum: FloatArray
    median: FloatArray
    skew: FloatArray
    kurt: FloatArray
    constant: NDArray[np.bool_]


def _matrix(X: ArrayLike) -> FloatArray:
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataValidationError(
            "expected a vector or an (N, M) matrix", [Problem(f"shape {arr.shape}")]
        )
    if np.isinf(arr).any():
        raise DataValidationError(
            "values must be finite or NaN",
            [Problem("infinite value", fix="replace it, or mark the cell missing")],
        )
    return arr


def _central_sums(
    arr: FloatArray,
) -> tuple[
    NDArray[np.int64], FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray
]:
    """Per column: n, mean, min, max and the central sums of powers 2, 3 and 4."""
    observed = ~np.isnan(arr)
    n = observed.sum(axis=0).astype(np.int64)
    filled = np.where(observed, arr, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, filled.sum(axis=0) / np.maximum(n, 1), np.nan)
        # A column's own minimum and maximum, NaN cells ignored, without a RuntimeWarning.
        lo = np.where(n > 0, np.where(observed, arr, np.inf).min(axis=0, initial=np.inf), np.nan)
        hi = np.where(n > 0, np.where(observed, arr, -np.inf).max(axis=0, initial=-np.inf), np.nan)
    d = np.where(observed, arr - np.nan_to_num(mean), 0.0)
    d2 = d * d
    m2 = d2.sum(axis=0)
    m3 = (d2 * d).sum(axis=0)
    m4 = (d2 * d2).sum(axis=0)
    return n, mean, lo, hi, m2, m3, m4


def _shape(
    n: NDArray[np.int64],
    m2: FloatArray,
    m3: FloatArray,
    m4: FloatArray,
    constant: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray]:
    """``G1`` and ``G2`` from the central sums (Joanes & Gill 1998)."""
    nf = n.astype(np.float64)
    ok3 = (n >= 3) & ~constant & (m2 > 0)
    ok4 = (n >= 4) & ~constant & (m2 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.sqrt(nf) * m3 / m2**1.5
        G1 = g1 * np.sqrt(nf * (nf - 1.0)) / (nf - 2.0)
        g2 = nf * m4 / (m2 * m2) - 3.0
        G2 = ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))
    return np.where(ok3, G1, np.nan), np.where(ok4, G2, np.nan)


def column_stats(X: ArrayLike) -> ColumnStats:
    """Mean, SD, min, max, median, skewness and kurtosis of every column, NaN left out.

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)

    Returns
    -------
    ColumnStats

    References
    ----------
    Joanes & Gill (1998).

    Examples
    --------
    >>> s = column_stats([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0], [10.0, float("nan")]])
    >>> s.n.tolist(), s.constant.tolist()
    ([4, 3], [False, True])
    >>> print(round(float(s.skew[0]), 4), float(s.skew[1]))
    1.7636 nan
    """
    arr = _matrix(X)
    n, mean, lo, hi, m2, m3, m4 = _central_sums(arr)
    constant = (n > 0) & (lo == hi)
    skew, kurt = _shape(n, m2, m3, m4, constant)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n >= 2, np.sqrt(m2 / np.maximum(n - 1, 1)), np.nan)
    sd = np.where(constant, 0.0, sd)
    median = _nan_median(arr, n)
    return ColumnStats(n, mean, sd, lo, hi, median, skew, kurt, constant)


def _nan_median(arr: FloatArray, n: NDArray[np.int64]) -> FloatArray:
    """Column medians without a warning for an empty column (NaN there)."""
    out = np.full(arr.shape[1], np.nan)
    some = np.flatnonzero(n > 0)
    if some.size:
        part = arr[:, some]
        if n[some].min() == arr.shape[0]:  # no NaN: selection, not a sort
            out[some] = np.median(part, axis=0)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                out[some] = np.nanmedian(part, axis=0)
    return out


def skewness(X: ArrayLike) -> FloatArray:
    """Bias-corrected sample skewness ``G1`` of each column, NaN cells left out.

    ``G1 = sqrt(n (n - 1)) / (n - 2) * m3 / m2^(3/2)`` with ``m_k`` the k-th central sample
    moment (divisor ``n``): Excel's ``SKEW``, COINr's ``skew``, and
    ``scipy.stats.skew(bias=False)`` (Joanes & Gill 1998). NaN for fewer than 3 values or a
    constant column.

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)

    Returns
    -------
    ndarray, shape (M,)

    References
    ----------
    Joanes & Gill (1998).

    Examples
    --------
    >>> x = [*range(1, 11), 30, 100]  # COINr's "Outlier Treatment" vignette: 3.063241
    >>> print(round(float(skewness(x)[0]), 6))
    3.063241
    """
    arr = _matrix(X)
    n, _, lo, hi, m2, m3, m4 = _central_sums(arr)
    return _shape(n, m2, m3, m4, (n > 0) & (lo == hi))[0]


def kurtosis(X: ArrayLike) -> FloatArray:
    """Bias-corrected sample excess kurtosis ``G2`` of each column, NaN cells left out.

    ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))`` with ``g2 = m4 / m2^2 - 3``: Excel's
    ``KURT``, COINr's ``kurt`` and ``scipy.stats.kurtosis(bias=False)`` (Joanes & Gill 1998).
    NaN for fewer than 4 values or a constant column.

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)

    Returns
    -------
    ndarray, shape (M,)

    References
    ----------
    Joanes & Gill (1998).

    Examples
    --------
    >>> x = [*range(1, 11), 30, 100]  # COINr's "Outlier Treatment" vignette: 9.741391
    >>> print(round(float(kurtosis(x)[0]), 6))
    9.741391
    """
    arr = _matrix(X)
    n, _, lo, hi, m2, m3, m4 = _central_sums(arr)
    return _shape(n, m2, m3, m4, (n > 0) & (lo == hi))[1]


def outlier_flags(
    skew: ArrayLike,
    kurt: ArrayLike,
    skew_threshold: float = SKEW_THRESHOLD,
    kurt_threshold: float = KURT_THRESHOLD,
) -> NDArray[np.bool_]:
    """COINr's outlier flag: ``|skew| > skew_threshold`` and ``kurt > kurt_threshold``.

    The flag of COINr's ``get_stats`` (``Flag.SkewKurt``) and of the JRC's COIN Tool; NaN
    statistics (undefined) never flag.

    Examples
    --------
    >>> outlier_flags([2.1, 2.1, -2.5, float("nan")], [4.5, 3.0, 9.0, 9.0]).tolist()
    [True, False, True, False]
    """
    s = np.asarray(skew, dtype=np.float64)
    k = np.asarray(kurt, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.asarray((np.abs(s) > skew_threshold) & (k > kurt_threshold), dtype=bool)


def passes_skew_kurt(
    skew: ArrayLike,
    kurt: ArrayLike,
    skew_threshold: float = SKEW_THRESHOLD,
    kurt_threshold: float = KURT_THRESHOLD,
) -> NDArray[np.bool_]:
    """COINr's ``check_SkewKurt``: passes when ``|skew| < threshold`` or ``kurt < threshold``.

    The test that :func:`~renoscore.audit.treatment.treat` applies before and after each
    treatment step. It differs from :func:`outlier_flags` only on the thresholds themselves
    (``|skew| == 2`` with ``kurt >= 3.5`` fails here and is not flagged there). A column whose
    statistics are undefined (NaN) passes: there is nothing to treat.

    Examples
    --------
    >>> passes_skew_kurt([1.9, 2.1, 2.0], [4.3, 3.3, 3.5]).tolist()
    [True, True, False]
    """
    s = np.asarray(skew, dtype=np.float64)
    k = np.asarray(kurt, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        fails = (np.abs(s) >= skew_threshold) & (k >= kurt_threshold)
    return np.asarray(~fails, dtype=bool)
