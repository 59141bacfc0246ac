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

from renoscore._kernels import (
    BLOCK_ELEMENTS,
    column_counts,
    column_reduce,
    column_sums,
    row_blocks,
)
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
    "skewness_kurtosis",
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


def _matrix(X: ArrayLike, check: bool = True) -> FloatArray:
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataValidationError(
            "expected a vector or an (N, M) matrix", [Problem(f"shape {arr.shape}")]
        )
    if check and np.isinf(arr).any():
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

    One blocked pass over ``X`` gives the counts, extremes and the sums of the first four
    powers of each value's distance from a provisional centre (a sample median), from which
    the central sums follow; the median is then selected exactly among the few values near the
    provisional one (Floyd & Rivest 1975), without sorting a column. Columns with missing
    values are summed again with the missing cells left out.

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)

    Returns
    -------
    ColumnStats

    References
    ----------
    Joanes & Gill (1998). Floyd, R. W. & Rivest, R. L. (1975). Expected time bounds for
    selection. Communications of the ACM 18(3), 165-172.

    Examples
    --------
    >>> s = column_stats([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0], [10.0, float("nan")]])
    >>> s.n.tolist(), s.constant.tolist(), s.median.tolist()
    ([4, 3], [False, True], [2.5, 2.0])
    >>> print(round(float(s.skew[0]), 4), float(s.skew[1]))
    1.7636 nan
    """
    arr = _matrix(X, check=False)
    if arr.shape[0] < _SELECT_FROM:  # the large path finds infinities in the extremes
        _matrix(arr, check=True)
    n, mean, lo, hi, m2, m3, m4, median = _one_pass(arr)
    if np.isneginf(lo).any() or np.isposinf(hi).any():
        _matrix(arr, check=True)  # raises, naming the problem
    constant = (n > 0) & (lo == hi)
    skew, kurt = _shape(n, m2, m3, m4, constant)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n >= 2, np.sqrt(m2 / np.maximum(n - 1, 1)), np.nan)
    sd = np.where(constant, 0.0, sd)
    return ColumnStats(n, mean, sd, lo, hi, median, skew, kurt, constant)


def _one_pass(arr: FloatArray) -> tuple[NDArray[np.int64], FloatArray, FloatArray, FloatArray,
                                        FloatArray, FloatArray, FloatArray, FloatArray]:  # fmt: skip
    """n, mean, min, max, central sums of powers 2-4 and the median of every column."""
    n_rows = arr.shape[0]
    if n_rows < _SELECT_FROM:
        n, mean, lo, hi, m2, m3, m4 = _central_sums(arr)
        return n, mean, lo, hi, m2, m3, m4, _nan_median(arr, n)
    centre, half = _bracket(arr)
    sums, lo, hi, below, near, missing = _power_sums(arr, centre, half)
    n = (n_rows - np.rint(missing)).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        s1, s2, s3, s4 = sums / np.maximum(n, 1)
    mean = centre + s1
    m2 = n * (s2 - s1 * s1)
    m3 = n * (s3 - 3.0 * s1 * s2 + 2.0 * s1**3)
    m4 = n * (s4 - 4.0 * s1 * s3 + 6.0 * s1 * s1 * s2 - 3.0 * s1**4)
    empty = n == 0
    lo, hi, mean = (np.where(empty, np.nan, a) for a in (lo, hi, mean))
    median = _select_median(arr, n, below, near)
    return n, mean, lo, hi, np.maximum(m2, 0.0), m3, np.maximum(m4, 0.0), median


#: Rows from which the median is selected near a sample median instead of by a partition.
_SELECT_FROM = 20_000
#: Rows of the sample that brackets the median.
_SAMPLE = 4096


def _bracket(arr: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A sample median per column and a half-width that holds the median with room to spare
    (four standard errors of the sample's quantile: the median falls outside the window about
    once in 15,000 columns, which then take numpy's median)."""
    step = max(1, arr.shape[0] // _SAMPLE)
    sample = np.sort(arr[::step], axis=0)  # NaN last
    k = (~np.isnan(sample)).sum(axis=0)
    cols = np.arange(arr.shape[1])

    def pick(q: FloatArray | float) -> FloatArray:
        at = np.clip(np.floor(q * (k - 1)).astype(np.intp), 0, None)
        return np.asarray(sample[at, cols], dtype=np.float64)

    spread = 4.0 * 0.5 / np.sqrt(np.maximum(k, 1))
    centre = pick(0.5)
    half = np.maximum(centre - pick(0.5 - spread), pick(0.5 + spread) - centre)
    return np.nan_to_num(centre), np.nan_to_num(half)


def _power_sums(
    arr: FloatArray, centre: FloatArray, half: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, _Window, FloatArray]:
    """Sums of d, d^2, d^3, d^4 with ``d = x - centre`` over the observed cells, min, max, the
    count below ``centre - half``, the values within ``half`` of ``centre`` and the count of
    missing cells, per column."""
    n_rows, m = arr.shape
    sums = np.zeros((4, m))
    lo = np.full(m, np.inf)
    hi = np.full(m, -np.inf)
    below = np.zeros(m)
    near: list[FloatArray] = []
    owner: list[NDArray[np.int16]] = []
    rows_per = max(1, BLOCK_ELEMENTS // m)
    d, d2, cube = np.empty((rows_per, m)), np.empty((rows_per, m)), np.empty((rows_per, m))
    mask = np.empty((rows_per, m), dtype=bool)
    h2, low = half * half, -half
    missing = np.zeros(m)
    for rows in row_blocks(n_rows, m):
        block = arr[rows]
        k = rows.stop - rows.start
        dd, qq, mk = np.subtract(block, centre, out=d[:k]), d2[:k], mask[:k]
        first = column_sums(dd)
        gap = bool(np.isnan(first).any())
        if gap:  # missing cells: counted, then taken as distance 0 in the sums
            seen = ~np.isnan(dd)
            missing += k - column_counts(seen)
            np.copyto(dd, 0.0, where=~seen)
            first = column_sums(dd)
        np.multiply(dd, dd, out=qq)
        sums[0] += first
        sums[1] += column_sums(qq)
        sums[2] += column_sums(np.multiply(qq, dd, out=cube[:k]))
        sums[3] += column_sums(np.multiply(qq, qq, out=cube[:k]))
        np.fmin(lo, column_reduce(np.fmin, block), out=lo)
        np.fmax(hi, column_reduce(np.fmax, block), out=hi)
        np.less(dd, low, out=mk)
        if gap:
            mk &= seen
        below += column_counts(mk)
        np.less_equal(qq, h2, out=mk)  # |d| <= half
        if gap:
            mk &= seen
        where = np.flatnonzero(mk)
        near.append(block.ravel()[where])
        owner.append((where % m).astype(np.int16))
    return sums, lo, hi, below, (near, owner), missing


_Window = tuple[list[FloatArray], list[NDArray[np.int16]]]


def _select_median(
    arr: FloatArray, n: NDArray[np.int64], below: FloatArray, window: _Window
) -> FloatArray:
    """The exact median of each column from the values near its sample median; a column
    whose median falls outside that window (or has gaps) takes numpy's median."""
    m = arr.shape[1]
    owner = np.concatenate(window[1]) if window[1] else np.empty(0, dtype=np.int16)
    order = np.argsort(owner, kind="stable")  # 16-bit keys: a radix sort
    values = (np.concatenate(window[0]) if window[0] else np.empty(0))[order]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=m))])
    out = np.full(m, np.nan)
    fallback = []
    for j in range(m):  # one small selection per column
        count, lower = int(n[j]), int(below[j])
        if count == 0:
            continue
        k1, k2 = (count - 1) // 2 - lower, count // 2 - lower
        near = values[bounds[j] : bounds[j + 1]]
        if k1 < 0 or k2 >= near.size:
            fallback.append(j)
            continue
        part = np.partition(near, (k1, k2))
        out[j] = 0.5 * (part[k1] + part[k2])
    if fallback:
        out[fallback] = _nan_median(arr[:, fallback], n[fallback])
    return out


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


def skewness_kurtosis(X: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """:func:`skewness` and :func:`kurtosis` of each column from one pass of central sums.

    Examples
    --------
    >>> sk, ku = skewness_kurtosis([*range(1, 11), 30, 100])
    >>> print(round(float(sk[0]), 6), round(float(ku[0]), 6))
    3.063241 9.741391
    """
    arr = _matrix(X)
    n, _, lo, hi, m2, m3, m4 = _central_sums(arr)
    return _shape(n, m2, m3, m4, (n > 0) & (lo == hi))


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
