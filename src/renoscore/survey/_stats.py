"""Grouped descriptive statistics on numpy arrays (no Python loop over groups or rows).

Rows are grouped by a key (community id and phase); groups are numbered in the order of their
first row. Sums over the groups are ``numpy.add.reduceat`` over the rows sorted by group.

References
----------
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, New York. (Standard error of a mean,
eq. 2.12, and the finite population correction, section 2.6.)
Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from renoscore.errors import OptionError, Problem

__all__ = [
    "KEY_SEP",
    "GroupIndex",
    "group_index",
    "group_keys",
    "grouped_mean_sd",
    "grouped_sum",
    "mean_interval",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Joins the parts of a group key: a control character that no id or phase holds.
KEY_SEP = "\x1f"


def group_keys(ids: Sequence[str], phases: Sequence[str | None]) -> NDArray[np.str_]:
    """``community id`` + :data:`KEY_SEP` + ``phase`` ('' for None) of every row: its group key.

    Examples
    --------
    >>> group_keys(["LY", "JS"], ["t0", None]).tolist()
    ['LY\\x1ft0', 'JS\\x1f']
    """
    return np.char.add(
        np.char.add(np.array(ids, dtype=str), KEY_SEP),
        np.array(["" if p is None else p for p in phases], dtype=str),
    )


@dataclass(frozen=True, eq=False)
class GroupIndex:
    """Rows grouped by a key, groups numbered by first appearance.

    Attributes
    ----------
    codes : ndarray of intp, shape (R,)
        The group of every row.
    order : ndarray of intp, shape (R,)
        The rows sorted by group (stable: input order within a group).
    starts : ndarray of intp, shape (G,)
        Where each group begins in ``order``.
    counts : ndarray of intp, shape (G,)
        Rows per group (all >= 1).
    first : ndarray of intp, shape (G,)
        The first row of each group.
    """

    codes: IntArray
    order: IntArray
    starts: IntArray
    counts: IntArray
    first: IntArray

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.counts.size)


def group_index(keys: ArrayLike) -> GroupIndex:
    """Group rows by equal keys.

    Parameters
    ----------
    keys : array_like, shape (R,)
        One hashable, sortable key per row (text or numbers).

    Returns
    -------
    GroupIndex

    Examples
    --------
    >>> gi = group_index(["b", "a", "b"])
    >>> gi.codes.tolist(), gi.counts.tolist()
    ([0, 1, 0], [2, 1])
    """
    arr = np.asarray(keys)
    if arr.ndim != 1:
        raise OptionError("group keys must be one-dimensional", [Problem(f"shape {arr.shape}")])
    if arr.size == 0:
        empty = np.zeros(0, dtype=np.intp)
        return GroupIndex(empty, empty, empty, empty, empty)
    _, first, inverse, counts = np.unique(
        arr, return_index=True, return_inverse=True, return_counts=True
    )
    by_first = np.argsort(first, kind="stable")
    relabel = np.empty_like(by_first)
    relabel[by_first] = np.arange(by_first.size)
    codes = relabel[inverse.reshape(-1)].astype(np.intp)
    counts = counts[by_first].astype(np.intp)
    order = np.argsort(codes, kind="stable").astype(np.intp)
    starts = (np.cumsum(counts) - counts).astype(np.intp)
    return GroupIndex(codes, order, starts, counts, first[by_first].astype(np.intp))


def grouped_sum(x: ArrayLike, gi: GroupIndex) -> FloatArray:
    """Sum of the rows of ``x`` within each group, shape ``(G, *x.shape[1:])``.

    Examples
    --------
    >>> grouped_sum([[1.0], [2.0], [4.0]], group_index([0, 1, 0])).ravel().tolist()
    [5.0, 2.0]
    """
    arr = np.asarray(x, dtype=np.float64)
    if gi.n_groups == 0:
        return np.zeros((0, *arr.shape[1:]))
    out: FloatArray = np.add.reduceat(arr[gi.order], gi.starts, axis=0)
    return out


def grouped_mean_sd(
    x: ArrayLike, gi: GroupIndex
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Count, mean and sample standard deviation of every column within each group.

    NaN cells are left out. The mean is NaN where a group has no value; the standard deviation
    (divisor ``n - 1``) is NaN where it has fewer than two. Two passes (mean first, then the
    squared deviations) keep the variance accurate when the mean is large.

    Parameters
    ----------
    x : array_like, shape (R, S)
        Values, NaN where missing.
    gi : GroupIndex
        The grouping of the R rows.

    Returns
    -------
    n : ndarray of int64, shape (G, S)
    mean, sd : ndarray, shape (G, S)

    Examples
    --------
    >>> n, m, s = grouped_mean_sd([[1.0], [3.0], [float("nan")]], group_index([0, 0, 1]))
    >>> n.ravel().tolist(), m.ravel().tolist(), round(float(s[0, 0]), 6)
    ([2, 0], [2.0, nan], 1.414214)
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2:
        raise OptionError("values must be a 2-D array", [Problem(f"shape {arr.shape}")])
    ok = np.isfinite(arr)
    n = np.rint(grouped_sum(ok, gi)).astype(np.int64)
    total = grouped_sum(np.where(ok, arr, 0.0), gi)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(ok, arr - mean[gi.codes], 0.0)
        ss = grouped_sum(dev * dev, gi)
        sd = np.where(n > 1, np.sqrt(ss / np.maximum(n - 1, 1)), np.nan)
    return n, mean, sd


def mean_interval(
    mean: ArrayLike,
    sd: ArrayLike,
    n: ArrayLike,
    level: float = 0.95,
    population: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Standard error and Student-t confidence interval of sample means.

    ``SE = s / sqrt(n)`` (Cochran, 1977, eq. 2.12), times the finite population correction
    ``sqrt(1 - n / N)`` when the population size ``N`` is given (Cochran, 1977, section 2.6);
    the interval is ``mean +- t_{(1 + level) / 2, n - 1} SE`` (Student, 1908). NaN where
    ``n < 2`` (no standard deviation).

    Parameters
    ----------
    mean, sd, n : array_like
        Sample means, standard deviations (divisor ``n - 1``) and sizes, broadcastable.
    level : float, default 0.95
        Confidence level, in (0, 1).
    population : array_like, optional
        Population sizes (e.g. households, one respondent per household); NaN where unknown
        (no correction there). ``n`` above ``N`` is clipped to a correction of 0.

    Returns
    -------
    se, low, high : ndarray

    Raises
    ------
    OptionError
        If ``level`` is not in (0, 1).

    Examples
    --------
    >>> se, lo, hi = mean_interval(3.0, 0.8, 30)
    >>> round(float(se), 4), round(float(lo), 3), round(float(hi), 3)
    (0.1461, 2.701, 3.299)
    """
    if not 0.0 < level < 1.0:
        raise OptionError(
            "invalid confidence level", [Problem(f"{level!r}", fix="use e.g. 0.95", value=level)]
        )
    m = np.asarray(mean, dtype=np.float64)
    s = np.asarray(sd, dtype=np.float64)
    k = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(k > 1, s / np.sqrt(np.maximum(k, 1.0)), np.nan)
        if population is not None:
            big_n = np.asarray(population, dtype=np.float64)
            fpc = np.where(np.isfinite(big_n) & (big_n > 0), 1.0 - k / big_n, 1.0)
            se = se * np.sqrt(np.clip(fpc, 0.0, 1.0))
        tq = np.where(k > 1, stats.t.ppf(0.5 + level / 2.0, np.maximum(k - 1.0, 1.0)), np.nan)
    half = tq * se
    return np.asarray(se, dtype=np.float64), m - half, m + half
