"""Blocked passes over a data matrix: column sums of x ln x, ranges and (shifted) moments.

Each pass streams blocks of rows through a kernel, with per-thread scratch buffers, so that it
needs extra memory of a block, not of the matrix; results are combined in block order, so they
do not depend on the number of threads. Columns near the float limits are rescaled by a power
of two (exact) before squares and ``x ln x`` are summed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem, WeightsError
from renoscore.weights._checks import FloatArray, IntArray, _data_problems

__all__: list[str] = []

# About 2 MiB of float64 per block: large enough to amortise the per-call overhead of numpy,
# small enough to stay in the L2/L3 cache while a block is read several times.
_BLOCK_ELEMENTS = 1 << 18
# x * max(ln x, -750) equals x ln x for every positive double (ln of the smallest subnormal is
# about -744.4) and turns 0 * ln 0 = 0 * (-inf) = NaN into the convention 0 * ln 0 = 0.
_LOG_FLOOR = -750.0

# Columns whose magnitude lies outside [2**-_SAFE_EXP, 2**_SAFE_EXP] are rescaled by a power of
# two before squares and x ln x are summed: (1e160)**2 overflows and (1e-160)**2 underflows.
_SAFE_EXP = 400

# Rows per matrix product in _cross (see there).
_GEMM_ROWS = 256

_R = TypeVar("_R")


def _check_block_options(block_rows: int | None, workers: int, m: int) -> int:
    if block_rows is None:
        block_rows = max(1, _BLOCK_ELEMENTS // m)
        if block_rows >= 64:  # a multiple of 4 lets _block_minmax use its fast layout
            block_rows -= block_rows % 64
    if isinstance(block_rows, bool) or not isinstance(block_rows, int) or block_rows < 1:
        raise OptionError(
            "block_rows must be a positive integer", [Problem("bad block_rows", value=block_rows)]
        )
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise OptionError(
            "workers must be a positive integer", [Problem("bad workers", value=workers)]
        )
    return block_rows


class _Scratch:
    """Per-thread scratch buffers of one block, allocated once and reused for every block."""

    def __init__(self, rows: int, m: int) -> None:
        self._rows = rows
        self._m = m
        self._bufs: list[FloatArray] = []

    def buf(self, k: int, n: int) -> FloatArray:
        while len(self._bufs) <= k:
            self._bufs.append(np.empty((self._rows, self._m), dtype=np.float64))
        return self._bufs[k][:n]


def _run_blocks(
    X: NDArray[np.generic],
    block_rows: int,
    workers: int,
    kernel: Callable[[int, FloatArray, _Scratch], _R],
) -> list[_R]:
    """Apply ``kernel`` to consecutive row blocks and return the results in block order.

    With ``workers > 1`` the blocks are split into contiguous runs handled by threads (numpy
    releases the GIL inside its loops). The per-block results are always combined by the caller
    in block order, so the answer does not depend on the number of workers.
    """
    n, m = X.shape
    starts = list(range(0, n, block_rows))
    rows = min(block_rows, max(n, 1))

    def run(chunk: Sequence[int]) -> list[_R]:
        scratch = _Scratch(rows, m)
        out: list[_R] = []
        # errstate is thread-local: set it inside the worker.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for s in chunk:
                block = np.asarray(X[s : s + block_rows], dtype=np.float64)
                out.append(kernel(s, block, scratch))
        return out

    if workers <= 1 or len(starts) < 2:
        return run(starts)
    k = min(workers, len(starts))
    bounds = np.linspace(0, len(starts), k + 1).astype(int)
    chunks = [starts[bounds[i] : bounds[i + 1]] for i in range(k)]
    with ThreadPoolExecutor(max_workers=k) as pool:
        parts = list(pool.map(run, chunks))
    return [r for part in parts for r in part]


def _first_rows(mask: NDArray[np.bool_], start: int) -> IntArray:
    """Per column, the 0-based matrix row of the first True in ``mask``, or -1."""
    hit = mask.any(axis=0)
    return np.where(hit, start + mask.argmax(axis=0), -1).astype(np.int64)


def _merge_first_rows(parts: Sequence[IntArray | None], m: int) -> IntArray:
    out = np.full(m, -1, dtype=np.int64)
    for p in parts:
        if p is not None:
            fill = (out < 0) & (p >= 0)
            out[fill] = p[fill]
    return out


def _cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a.T @ b`` accumulated over chunks of 256 rows.

    Small products keep OpenBLAS single-threaded: its own threads spin-wait and, on a busy
    machine, made a whole-block product 10-50x slower than the chunked one.
    """
    out = np.zeros((a.shape[1], b.shape[1]))
    for k in range(0, a.shape[0], _GEMM_ROWS):
        out += a[k : k + _GEMM_ROWS].T @ b[k : k + _GEMM_ROWS]
    return out


def _block_minmax(b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Column min and max of a block (NaN-propagating).

    A C-contiguous block is viewed as (n/4, 4M) first: numpy's axis-0 reduction then runs
    4x longer inner loops, which is about twice as fast for M ~ 40.
    """
    n, m = b.shape
    if n % 4 == 0 and n >= 8 and b.flags.c_contiguous:
        r = b.reshape(n // 4, 4 * m)
        mn = np.minimum.reduce(np.minimum.reduce(r, axis=0).reshape(4, m), axis=0)
        mx = np.maximum.reduce(np.maximum.reduce(r, axis=0).reshape(4, m), axis=0)
        return mn, mx
    return np.minimum.reduce(b, axis=0), np.maximum.reduce(b, axis=0)


def _pow2_scale(mn: FloatArray, mx: FloatArray) -> FloatArray:
    """Per column, the power of two that brings ``max(|min|, |max|)`` into [0.5, 1).

    Multiplying by a power of two is exact (away from the subnormal range), and every weight
    here is invariant to a positive rescaling of a column, so the rescaled data give the same
    weights while their squares and ``x ln x`` stay far from overflow and underflow.
    """
    with np.errstate(invalid="ignore"):
        mag = np.fmax(np.abs(mn), np.abs(mx))
    ok = np.isfinite(mag) & (mag > 0)
    _, exponent = np.frexp(np.where(ok, mag, 1.0))
    # A subnormal column (|x| < 2**-1022) is brought up to 2**-60 at most: 2**1074 overflows.
    return np.where(ok, np.ldexp(1.0, np.minimum(-exponent, 1000)), 1.0)


def _needs_scaling(mn: FloatArray, mx: FloatArray, *stats: FloatArray) -> bool:
    """Whether a column is so large or so small that its sums may overflow or underflow."""
    with np.errstate(invalid="ignore"):
        mag = np.fmax(np.abs(mn), np.abs(mx))
    lo, hi = 2.0**-_SAFE_EXP, 2.0**_SAFE_EXP
    extreme = (mag > hi) | ((mag > 0) & (mag < lo))
    return bool(extreme.any()) or not all(bool(np.isfinite(st).all()) for st in stats)


@dataclass
class _XlogxPart:
    s: FloatArray  # column sums of u
    t: FloatArray  # column sums of u ln u
    nan: IntArray | None  # NaN cells per column (None: none in this block)
    neg_row: IntArray | None  # first row of a negative cell per column
    inf_row: IntArray | None  # first row of an infinite cell per column


def _xlogx_kernel(
    ref: FloatArray | None, use_abs: bool, scale: FloatArray | None = None
) -> Callable[[int, FloatArray, _Scratch], _XlogxPart]:
    """Column sums of u and u ln u with u = x (ref None) or u = |x - ref| (min-max variant).

    Because the entropy of p = u / sum(u) only needs S = sum(u) and T = sum(u ln u)
    (sum p ln p = T / S - ln S), one pass over X suffices. With ``scale`` the columns are
    multiplied by it first (``ref`` is then in scaled units).
    """

    def kernel(start: int, b: FloatArray, sc: _Scratch) -> _XlogxPart:
        n = b.shape[0]
        lt = sc.buf(1, n)
        if scale is not None:
            u = np.multiply(b, scale, out=sc.buf(0, n))
            if ref is not None:
                np.subtract(u, ref, out=u)
                if use_abs:
                    np.abs(u, out=u)
        elif ref is None:
            u = b
        else:
            u = np.subtract(b, ref, out=sc.buf(0, n))
            if use_abs:
                np.abs(u, out=u)
        s = np.einsum("ij->j", u)
        np.log(u, out=lt)
        np.maximum(lt, _LOG_FLOOR, out=lt)
        t = np.einsum("ij,ij->j", lt, u)
        if np.isfinite(s).all() and np.isfinite(t).all():
            return _XlogxPart(s, t, None, None, None)
        # Slow path, only for blocks holding NaN, inf or negative cells. b is the caller's
        # data: never write into it.
        nan = np.isnan(b)
        inf = np.isinf(b)
        neg = b < 0
        u0 = np.where(nan | inf | neg, 0.0, u)
        s = u0.sum(axis=0)
        lt0 = np.maximum(np.log(u0), _LOG_FLOOR)
        t = np.einsum("ij,ij->j", lt0, u0)
        neg_row = _first_rows(neg, start) if ref is None and neg.any() else None
        inf_row = _first_rows(inf, start) if inf.any() else None
        return _XlogxPart(s, t, nan.sum(axis=0).astype(np.int64), neg_row, inf_row)

    return kernel


@dataclass
class _RangePart:
    mn: FloatArray
    mx: FloatArray
    nan: IntArray | None
    inf_row: IntArray | None


def _range_kernel(start: int, b: FloatArray, sc: _Scratch) -> _RangePart:
    mn, mx = _block_minmax(b)
    if np.isfinite(mn).all() and np.isfinite(mx).all():
        return _RangePart(mn, mx, None, None)
    nan = np.isnan(b)
    inf = np.isinf(b)
    mn = np.fmin.reduce(b, axis=0)
    mx = np.fmax.reduce(b, axis=0)
    inf_row = _first_rows(inf, start) if inf.any() else None
    return _RangePart(mn, mx, nan.sum(axis=0).astype(np.int64), inf_row)


@dataclass
class _MomentPart:
    clean: bool  # the block had no NaN / inf
    rows: int
    cnt: IntArray  # usable cells per column
    s1: FloatArray  # sum of (x - K) over usable cells
    s2: FloatArray  # sum of (x - K)^2 over usable cells
    mn: FloatArray
    mx: FloatArray
    gram: FloatArray | None  # (x - K)^T (x - K), NaN cells as 0
    pair_s1: FloatArray | None  # [j, k]: sum of (x_j - K_j) over rows where k is usable
    pair_s2: FloatArray | None  # [j, k]: sum of (x_j - K_j)^2 over rows where k is usable
    pair_n: FloatArray | None  # [j, k]: rows where both are usable
    inf_row: IntArray | None


def _moment_kernel(
    shift: FloatArray, gram: bool, scale: FloatArray | None = None
) -> Callable[[int, FloatArray, _Scratch], _MomentPart]:
    """Shifted first and second moments (and optionally the Gram matrix) of each block.

    Moments are accumulated about a per-column reference ``shift`` close to the column mean
    (the "shifted data" algorithm), which avoids the cancellation of sum(x^2) - n mean^2.
    With ``scale`` the columns are multiplied by it first (``shift`` is then in scaled units).
    """

    def kernel(start: int, b: FloatArray, sc: _Scratch) -> _MomentPart:
        n, m = b.shape
        if scale is None:
            t = np.subtract(b, shift, out=sc.buf(0, n))
        else:
            t = np.multiply(b, scale, out=sc.buf(0, n))
            np.subtract(t, shift, out=t)
        s1 = np.einsum("ij->j", t)
        if np.isfinite(s1).all():
            mn, mx = _block_minmax(b)
            full = np.full(m, n, dtype=np.int64)
            if gram:
                g = _cross(t, t)
                return _MomentPart(
                    True, n, full, s1, np.diagonal(g).copy(), mn, mx, g, None, None, None, None
                )
            s2 = np.einsum("ij,ij->j", t, t)
            return _MomentPart(True, n, full, s1, s2, mn, mx, None, None, None, None, None)
        nan = np.isnan(b)
        inf = np.isinf(b)
        bad = nan | inf
        t0 = np.where(bad, 0.0, t)
        cnt = (~bad).sum(axis=0).astype(np.int64)
        s1 = t0.sum(axis=0)
        s2 = np.einsum("ij,ij->j", t0, t0)
        mn = np.fmin.reduce(b, axis=0)
        mx = np.fmax.reduce(b, axis=0)
        inf_row = _first_rows(inf, start) if inf.any() else None
        if not gram:
            return _MomentPart(False, n, cnt, s1, s2, mn, mx, None, None, None, None, inf_row)
        present = (~bad).astype(np.float64)
        return _MomentPart(
            False,
            n,
            cnt,
            s1,
            s2,
            mn,
            mx,
            _cross(t0, t0),
            _cross(t0, present),
            _cross(t0 * t0, present),
            _cross(present, present),
            inf_row,
        )

    return kernel


@dataclass
class _Moments:
    count: IntArray
    mean: FloatArray  # in scaled units, like var, cov and pair_var
    var: FloatArray  # population variance (ddof = 0)
    mn: FloatArray  # raw units
    mx: FloatArray
    inf_row: IntArray
    cov: FloatArray | None  # pairwise-complete covariance
    pair_var: FloatArray | None  # [j, k]: variance of column j over rows where k is usable
    pair_n: FloatArray | None
    scale: FloatArray  # the factor each column was multiplied by (1 unless extreme)

    @property
    def span(self) -> FloatArray:
        """max - min in scaled units (finite even when the raw range overflows)."""
        return np.asarray(self.mx * self.scale - self.mn * self.scale, dtype=np.float64)


def _reference_shift(X: NDArray[np.generic], scale: FloatArray | None = None) -> FloatArray:
    """Per-column mean of the usable cells in the first rows (0 where none), as a shift.

    It is taken from a fixed number of rows so that it does not depend on ``block_rows``.
    """
    head = np.asarray(X[:1024], dtype=np.float64)
    if scale is not None:
        head = head * scale
    ok = np.isfinite(head)
    cnt = ok.sum(axis=0)
    tot = np.where(ok, head, 0.0).sum(axis=0)
    return np.where(cnt > 0, tot / np.maximum(cnt, 1), 0.0)


def _moments(
    X: NDArray[np.generic],
    block_rows: int,
    workers: int,
    gram: bool,
    common_scale: bool = False,
) -> _Moments:
    """Column moments; a second pass on rescaled columns if the first one was not safe.

    ``common_scale`` rescales every column by the same factor (for weights that compare raw
    standard deviations across columns).
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        mom = _moments_pass(X, block_rows, workers, gram, None)
    stats = [mom.mean, mom.var] + ([] if mom.cov is None else [mom.cov, mom.pair_var])
    usable = mom.count >= 2
    if not _needs_scaling(mom.mn[usable], mom.mx[usable], *(st for st in stats if st is not None)):
        return mom
    if (mom.inf_row >= 0).any():
        return mom  # infinite input: reported by the caller, never rescaled
    scale = _pow2_scale(mom.mn, mom.mx)
    if common_scale:
        scale = np.full_like(scale, scale[usable].min() if usable.any() else 1.0)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _moments_pass(X, block_rows, workers, gram, scale)


def _moments_pass(
    X: NDArray[np.generic], block_rows: int, workers: int, gram: bool, scale: FloatArray | None
) -> _Moments:
    m = X.shape[1]
    shift = _reference_shift(X, scale)
    parts = _run_blocks(X, block_rows, workers, _moment_kernel(shift, gram, scale))
    ones = np.ones(m) if scale is None else scale
    count = np.sum([p.cnt for p in parts], axis=0).astype(np.int64)
    s1 = np.sum([p.s1 for p in parts], axis=0)
    s2 = np.sum([p.s2 for p in parts], axis=0)
    mn = np.fmin.reduce(np.array([p.mn for p in parts]), axis=0)
    mx = np.fmax.reduce(np.array([p.mx for p in parts]), axis=0)
    inf_row = _merge_first_rows([p.inf_row for p in parts], m)
    safe_n = np.maximum(count, 1)
    mean_t = s1 / safe_n
    var = np.maximum(s2 / safe_n - mean_t * mean_t, 0.0)
    mean = shift + mean_t
    if not gram:
        return _Moments(count, mean, var, mn, mx, inf_row, None, None, None, ones)
    g = np.sum([p.gram for p in parts if p.gram is not None], axis=0)
    clean = [p for p in parts if p.clean]
    rows_c = float(sum(p.rows for p in clean))
    s1c = np.sum([p.s1 for p in clean], axis=0) if clean else np.zeros(m)
    s2c = np.sum([p.s2 for p in clean], axis=0) if clean else np.zeros(m)
    dirty = [p for p in parts if not p.clean]
    ps1 = s1c[:, None] + sum((p.pair_s1 for p in dirty if p.pair_s1 is not None), np.zeros((m, m)))
    ps2 = s2c[:, None] + sum((p.pair_s2 for p in dirty if p.pair_s2 is not None), np.zeros((m, m)))
    pn = rows_c + sum((p.pair_n for p in dirty if p.pair_n is not None), np.zeros((m, m)))
    safe_pn = np.maximum(pn, 1.0)
    pm = ps1 / safe_pn  # [j, k]: mean of (x_j - K_j) over rows where k is usable
    cov = g / safe_pn - pm * pm.T
    pair_var = ps2 / safe_pn - pm * pm
    return _Moments(count, mean, var, mn, mx, inf_row, cov, pair_var, pn, ones)


def _column_moments(
    arr: NDArray[np.generic],
    labels: Sequence[str] | None,
    block_rows: int | None,
    workers: int,
    what: str,
    *,
    gram: bool,
    common_scale: bool = False,
) -> _Moments:
    """The column moments of a checked data matrix, or a WeightsError ``what`` listing every
    infinite value and every column with fewer than 2 usable cells."""
    rows = _check_block_options(block_rows, workers, arr.shape[1])
    mom = _moments(arr, rows, workers, gram=gram, common_scale=common_scale)
    problems = _data_problems(mom.count, mom.inf_row, labels, None, arr)
    if problems:
        raise WeightsError(what, problems)
    return mom
