"""Ranks of every column of a matrix, once: exact (a sort) or binned (a counting sort).

Spearman's correlations and the main effects of the audit read the columns' *average ranks*
(mid-ranks for ties). They are computed here once per column and shared, in one form: every
observed value gets an integer *code* that orders the values, and a table of counts per code
gives each code's mid-rank, ``rank = (rows in lower codes) + (rows with this code + 1) / 2``.
Re-ranking a column on a subset of its rows (pairwise-complete Spearman) is then a subtraction
of counts, never a new sort; quantile classes of the rank scale are cumulative counts.

Two ways to code a column:

* ``"exact"``: the code of a value is its dense rank among the distinct values (one sort of the
  column, :func:`renoscore.ranking.rank`). The ranks are the exact average ranks of
  ``scipy.stats.rankdata`` (Kendall 1945).
* ``"binned"``: the column's range ``[min, max]`` is cut into ``bins`` equal bins and the code
  of a value is its bin: a counting sort (Knuth 1998, section 5.2), one ``np.bincount`` with
  per-column offsets, no comparison sort. The rows of one bin share its mid-rank. The ranks are
  **exact whenever every bin holds one distinct value** -- a Likert item, a level, a yes/no, a
  score with fewer than ``bins`` evenly spread values, a goalpost that many reach -- because the
  bins are then exactly the tie groups. Otherwise a row's rank is off by at most
  ``(c - 1) / 2`` in a bin of ``c`` rows holding several values, and the root of the sum of
  squared errors by at most ``E = sqrt(sum c (c^2 - 1) / 12)`` over such bins (the spread of
  ``c`` distinct ranks around their mean): :class:`ColumnRanks` records both, per column, and
  whether a column is proven exact (every bin checked to hold one value).

``"auto"`` ranks exactly up to :data:`EXACT_UP_TO` rows and binned above: a sort of 20,000
values is cheap, and at 100,000 communities x 40 indicators the sorts alone would cost several
hundred reads of the data where the whole audit has 60.

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. Biometrika 33(3), 239-251.
Knuth, D. E. (1998). The Art of Computer Programming, vol. 3: Sorting and Searching, 2nd ed.
Addison-Wesley. (Section 5.2: distribution counting.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._kernels import column_reduce
from renoscore.errors import DataValidationError, OptionError, Problem
from renoscore.ranking import rank

__all__ = [
    "EXACT_UP_TO",
    "RANK_BINS",
    "RANK_MODES",
    "ColumnRanks",
    "RankMode",
    "column_ranks",
    "rank_mode",
]

FloatArray = NDArray[np.float64]
RankMode = Literal["exact", "binned", "auto"]

#: The choices of ``ranks=``.
RANK_MODES: tuple[str, ...] = ("exact", "binned", "auto")
#: ``ranks="auto"`` ranks exactly up to this many rows, binned above.
EXACT_UP_TO = 20_000
#: Bins per column of the binned ranks.
RANK_BINS = 2**12
#: Rows of the first look for two values in one bin (a cheap proof that a column is inexact).
_WITNESS_ROWS = 2048
#: A column whose worst-case error bound exceeds this share of its rank spread is checked bin
#: by bin (see ``_accuracy``).
_TIGHTEN = 1e-3
#: Rows per block when the codes are computed (a block stays in cache).
_BLOCK_ROWS = 4096


@dataclass(frozen=True, eq=False)
class ColumnRanks:
    """Codes, counts and average ranks of every column (see the module description).

    Arrays are column-major: row ``c`` of ``index`` and ``ranks`` is column ``c`` of the data.

    Attributes
    ----------
    mode : {"exact", "binned"}
    bins : int
        Bins per column (0 when exact).
    index : ndarray of intp, shape (V, N)
        ``starts[c] + code``: the slot of each value in the flat table ``counts``. Code 0
        holds the missing values; codes 1, 2, ... order the observed ones.
    starts : ndarray of int64, shape (V + 1,)
        Where each column's codes start in ``counts``.
    counts : ndarray of int64
        Rows per code, all columns one after the other.
    table : ndarray
        Mid-rank of every code (NaN for code 0).
    ranks : ndarray, shape (V, N)
        Average ranks among each column's observed values, NaN where missing (gathered from
        ``table`` on first read).
    n : ndarray of int64, shape (V,)
        Observed values per column.
    exact : ndarray of bool, shape (V,)
        The column's ranks are proven equal to the exact average ranks.
    max_error : ndarray, shape (V,)
        Bound on the error of one row's rank (0 where exact).
    error : ndarray, shape (V,)
        Bound on the root of the sum of squared rank errors of the column (0 where exact).
    spread : ndarray, shape (V,)
        Root of the sum of squared deviations of the ranks from their mean.
    """

    mode: Literal["exact", "binned"]
    bins: int
    index: NDArray[np.intp]
    starts: NDArray[np.int64]
    counts: NDArray[np.int64]
    table: FloatArray
    n: NDArray[np.int64]
    exact: NDArray[np.bool_]
    max_error: FloatArray
    error: FloatArray
    spread: FloatArray

    @cached_property
    def ranks(self) -> FloatArray:
        """``(V, N)``: average ranks among each column's observed values; NaN where missing."""
        return np.asarray(self.table[self.index], dtype=np.float64)

    def rank_products(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> FloatArray:
        """``sum_i rank_a(i) rank_g(i)`` for ``a`` in ``rows``, ``g`` in ``cols`` (columns
        without missing values), gathering the ranks of a few columns at a time."""
        right = np.take(self.table, self.index[cols], mode="wrap")
        out = np.empty((rows.size, cols.size))
        step = 8
        buf = np.empty((min(step, rows.size), self.index.shape[1]))
        for s in range(0, rows.size, step):
            part = rows[s : s + step]
            np.take(self.table, self.index[part], out=buf[: part.size], mode="wrap")
            out[s : s + part.size] = buf[: part.size] @ right.T
        return out

    @property
    def observed(self) -> NDArray[np.bool_]:
        """``(V, N)``: where each column is observed."""
        return np.asarray(self.index != self.starts[:-1, None], dtype=bool)

    def spearman_bound(self) -> FloatArray:
        """``(V, V)`` bound on |binned - exact| of Spearman's rho of two columns on all rows.

        The error vector ``e`` of a column's ranks sums to zero in every bin, so it is
        orthogonal to the binned ranks; the angle between the binned and the exact centred
        ranks is then at most ``arcsin(E / spread)``, and rho, a cosine, moves by at most the
        sum of the two columns' angles.
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(self.error > 0, self.error / self.spread, 0.0)
        angle = np.arcsin(np.clip(np.nan_to_num(ratio, nan=1.0), 0.0, 1.0))
        return np.asarray(np.minimum(angle[:, None] + angle[None, :], 2.0), dtype=np.float64)

    def summary(self) -> dict[str, object]:
        """The mode, bins and accuracy, as plain data (what the audit result records)."""
        bound = self.spearman_bound()
        return {
            "mode": self.mode,
            "bins": self.bins,
            "columns": int(self.n.size),
            "exact_columns": int(self.exact.sum()),
            "max_rank_error": float(self.max_error.max(initial=0.0)),
            "max_spearman_error": float(bound.max(initial=0.0)),
        }


def rank_mode(mode: str, rows: int, exact_up_to: int = EXACT_UP_TO) -> Literal["exact", "binned"]:
    """The ranking a request means for ``rows`` rows: ``"auto"`` is exact up to ``exact_up_to``.

    Examples
    --------
    >>> rank_mode("auto", 5_000), rank_mode("auto", 100_000), rank_mode("binned", 10)
    ('exact', 'binned', 'binned')
    """
    if mode not in RANK_MODES:
        raise OptionError(
            "unknown ranking",
            [Problem("ranks must be 'exact', 'binned' or 'auto'", value=mode)],
        )
    if mode == "auto":
        return "exact" if rows <= exact_up_to else "binned"
    return "exact" if mode == "exact" else "binned"


def column_ranks(
    Z: ArrayLike,
    mode: str = "auto",
    *,
    bins: int = RANK_BINS,
    exact_up_to: int = EXACT_UP_TO,
) -> ColumnRanks:
    """Average ranks of every column of ``Z`` (NaN left out), exact or binned.

    Parameters
    ----------
    Z : array_like, shape (N, V)
        Finite values or NaN.
    mode : {"auto", "exact", "binned"}
        ``"auto"``: exact up to ``exact_up_to`` rows, binned above.
    bins : int, default 2**12
        Bins per column of the binned ranks (2 to 2**20).
    exact_up_to : int, default 20,000

    Returns
    -------
    ColumnRanks

    Examples
    --------
    >>> Z = np.array([[3.0, 1.0], [1.0, 1.0], [2.0, np.nan], [3.0, 5.0]])
    >>> column_ranks(Z, "exact").ranks.tolist()
    [[3.5, 1.0, 2.0, 3.5], [1.5, 1.5, nan, 3.0]]
    >>> b = column_ranks(Z, "binned", bins=16)
    >>> np.array_equal(b.ranks, column_ranks(Z, "exact").ranks, equal_nan=True), b.exact.tolist()
    (True, [True, True])
    """
    arr = _matrix(Z, check=False)
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or not 2 <= bins <= 2**20:
        raise OptionError("invalid bins", [Problem("bins must be a whole number in [2, 2**20]",
                                                   value=bins)])  # fmt: skip
    chosen = rank_mode(mode, arr.shape[0], exact_up_to)
    if chosen == "exact":
        _matrix(arr, check=True)  # the binned path finds infinities in the column extremes
        index, starts = _exact_codes(arr)
    else:
        index, starts = _binned_codes(arr, int(bins))
    counts = np.bincount(index.ravel(), minlength=int(starts[-1])).astype(np.int64)
    table, n, spread = _mid_ranks(counts, starts)
    if chosen == "exact":
        zero = np.zeros(n.size)
        exact, max_error, error = np.ones(n.size, dtype=bool), zero, zero.copy()
    else:
        exact, max_error, error = _accuracy(arr, index, starts, counts, spread)
    return ColumnRanks(chosen, 0 if chosen == "exact" else int(bins), index, starts, counts,
                       table, n, exact, max_error, error, spread)  # fmt: skip


def _matrix(Z: ArrayLike, check: bool) -> FloatArray:
    """``Z`` as an (N, V) float matrix; infinities refused (the binned path finds them in its
    column extremes instead of reading the matrix once more)."""
    arr = np.asarray(Z, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataValidationError("expected an (N, V) matrix", [Problem(f"shape {arr.shape}")])
    if check and np.isinf(arr).any():
        raise DataValidationError(
            "values must be finite or NaN",
            [Problem("infinite value", fix="replace it, or mark the cell missing")],
        )
    return arr


def _exact_codes(arr: FloatArray) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Dense ranks (one sort per column) as codes 1..K, 0 for NaN, offset per column."""
    dense = np.ascontiguousarray(rank(arr, method="dense", descending=False, tol=0.0).T)
    sizes = np.nan_to_num(np.nanmax(dense, axis=1, initial=0.0)).astype(np.int64) + 1
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    index = np.nan_to_num(dense, nan=0.0) + starts[:-1, None]
    return index.astype(np.intp), starts


def _binned_codes(arr: FloatArray, bins: int) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Equal-width bins between each column's min and max: codes 1..bins, 0 for NaN.

    ``code = trunc(z * scale + shift)`` with ``scale = (bins - 1/2) / (max - min)`` and
    ``shift = start + 5/4 - min * scale``: the bins have one width, the codes are
    non-decreasing in ``z`` whatever the rounding (each operation rounds monotonically), and a
    quarter bin of margin at both ends keeps them in ``start + 1 .. start + bins``. Where
    ``min * scale`` is too large for that margin the values are shifted by ``min`` first and
    clipped. Row blocks stay in cache and are written column-major.
    """
    n_rows, v = arr.shape
    starts = np.arange(v + 1, dtype=np.int64) * (bins + 1)
    lo = column_reduce(np.minimum, arr) if n_rows else np.full(v, np.nan)
    hi = column_reduce(np.maximum, arr) if n_rows else np.full(v, np.nan)
    gaps = bool(np.isnan(lo).any() or np.isnan(hi).any())  # NaN propagates: a column has gaps
    if gaps:
        lo = np.fmin.reduce(arr, axis=0, initial=np.inf)
        hi = np.fmax.reduce(arr, axis=0, initial=-np.inf)
    if np.isneginf(lo).any() or np.isposinf(hi).any():  # (an empty column has lo = +inf)
        raise DataValidationError(
            "values must be finite or NaN",
            [Problem("infinite value", fix="replace it, or mark the cell missing")],
        )
    seen = np.isfinite(lo)
    lo = np.where(seen, lo, 0.0)
    width = np.where(seen, hi - lo, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(width > 0, (bins - 0.5) / np.where(width > 0, width, 1.0), 0.0)
    safe = bool((np.abs(lo * scale) + starts[-1] < 2.0**40).all())
    shift = starts[:-1] + 1.25 - (lo * scale if safe else 0.0)
    index = np.empty((v, n_rows), dtype=np.intp)  # what bincount and take index with
    block = np.empty((min(_BLOCK_ROWS, n_rows), v))
    codes = np.empty(block.shape, dtype=np.int32)
    for s in range(0, n_rows, _BLOCK_ROWS):
        e = min(s + _BLOCK_ROWS, n_rows)
        part, out = block[: e - s], codes[: e - s]
        if safe:
            np.multiply(arr[s:e], scale, out=part)
        else:
            np.subtract(arr[s:e], lo, out=part)
            np.multiply(part, scale, out=part)
        np.add(part, shift, out=part)
        if not safe:
            np.clip(part, starts[:-1] + 1.0, starts[:-1] + bins + 0.5, out=part)
        with np.errstate(invalid="ignore"):
            np.copyto(out, part, casting="unsafe")
        if gaps:
            np.copyto(out, starts[:-1].astype(np.int32), where=np.isnan(part))
        index[:, s:e] = out.T
    return index, starts


def _mid_ranks(
    counts: NDArray[np.int64], starts: NDArray[np.int64]
) -> tuple[FloatArray, NDArray[np.int64], FloatArray]:
    """Mid-rank of every code; observed count and rank spread of every column."""
    sizes = np.diff(starts)
    cum = np.cumsum(counts)
    base = cum[starts[:-1]]  # rows of earlier columns and this column's missing ones
    n = (cum[starts[1:] - 1] - base).astype(np.int64)
    table = cum - np.repeat(base, sizes) - 0.5 * (counts - 1)
    table[starts[:-1]] = np.nan
    centre = np.repeat((n + 1) / 2.0, sizes)
    dev = np.where(counts > 0, table - centre, 0.0)
    dev[starts[:-1]] = 0.0
    spread = np.sqrt(np.add.reduceat(counts * dev * dev, starts[:-1]))
    return table, n, spread


def _accuracy(
    arr: FloatArray,
    index: NDArray[np.intp],
    starts: NDArray[np.int64],
    counts: NDArray[np.int64],
    spread: FloatArray,
) -> tuple[NDArray[np.bool_], FloatArray, FloatArray]:
    """Which columns are proven exact, and the error bounds of the others.

    A bin of ``c >= 2`` rows is *mixed* when it holds two different values. Without looking
    inside, a shared bin may hold ``c`` distinct values: its rows' squared rank errors then
    sum to at most ``c (c^2 - 1) / 12``. Two rows of one bin with different values among the
    first rows prove a column inexact at once (continuous data, whose many small bins give a
    small bound anyway). The other columns with a shared bin -- those that may be exact, and
    those whose bound would exceed :data:`_TIGHTEN` relative to their rank spread (a goalpost
    reached by most rows, with a few values just inside it in the same bin) -- are checked in
    full: one row writes each bin's value and every row compares its value with it. A checked
    bin with ``t`` rows equal to that value and ``c - t`` others is mixed when ``t < c``; its
    rows equal to the value are off by at most ``(c - t) / 2``, the others by ``(c - 1) / 2``.
    """
    n_bins = np.diff(starts)
    c = counts.astype(np.float64)
    shared = counts > 1
    shared[starts[:-1]] = False
    worst = np.where(shared, c * (c * c - 1.0) / 12.0, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        loose = np.sqrt(np.add.reduceat(worst, starts[:-1])) > _TIGHTEN * spread
    candidates = np.flatnonzero(np.add.reduceat(shared, starts[:-1]) > 0)
    rep = np.full(counts.size, np.nan)
    k = min(_WITNESS_ROWS, arr.shape[0])
    head = np.ascontiguousarray(arr[:k, candidates].T)
    rep[index[candidates, :k]] = head
    witnessed = ((rep[index[candidates, :k]] != head) & ~np.isnan(head)).any(axis=1)
    check = candidates[~witnessed | loose[candidates]]
    if check.size:
        values = np.ascontiguousarray(arr[:, check].T)
        slots = index[check]
        rep[slots] = values
        differ = (rep[slots] != values) & ~np.isnan(values)
        others = np.bincount(slots[differ], minlength=counts.size).astype(np.float64)
        checked = np.zeros(n_bins.size, dtype=bool)
        checked[check] = True
        in_checked = np.repeat(checked, n_bins)
        same = c - others
        tight = same * (c - same) ** 2 / 4.0 + (c - same) * (c - 1.0) ** 2 / 4.0
        worst = np.where(in_checked, np.where(others > 0, np.minimum(worst, tight), 0.0), worst)
        shared &= ~in_checked | (others > 0)
    error = np.sqrt(np.add.reduceat(worst, starts[:-1]))
    max_error = np.maximum.reduceat(np.where(shared, (c - 1.0) / 2.0, 0.0), starts[:-1])
    return np.asarray(error == 0, dtype=bool), max_error.astype(np.float64), error
