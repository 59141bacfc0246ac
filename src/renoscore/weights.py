"""Data-driven (objective) indicator weights and their combination with subjective weights.

Every function here is a pure function on numpy arrays. The data matrix ``X`` has one row per
community and one column per indicator; ``NaN`` marks an excluded cell (missing or not
applicable). Excluded cells are dropped **per column**: the number of communities ``N_j`` that
enters a formula for indicator ``j`` is the number of non-NaN cells in column ``j``.

Objective weights (each returns an ``(M,)`` float64 array, non-negative, summing to 1):

- :func:`entropy` -- the entropy weight method (Zeleny 1982; Xu 2004), on sum-normalised raw
  data or on direction-aware min-max rescaled data;
- :func:`critic` -- CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995);
- :func:`standard_deviation` -- weights proportional to the standard deviation;
- :func:`coefficient_of_variation` -- weights proportional to sigma / |mean|.

Combinations of a subjective (e.g. AHP) and an objective weight vector:

- :func:`combine` -- ``linear``, ``multiplicative``, ``min_information``, ``game_theory``;
- :func:`combine_many` -- the same for more than two vectors;
- :func:`game_theory_coefficients` -- the game-theoretic combination coefficients themselves.

The column statistics are streamed over blocks of rows, so a pass over a large matrix needs
extra memory of a block, not of the matrix. See ``docs/methods-weights.md`` for the formulas and
the edge policy.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import ConstantIndicatorWarning, OptionError, Problem, WeightsError

__all__ = [
    "COMBINATION_METHODS",
    "coefficient_of_variation",
    "combine",
    "combine_many",
    "critic",
    "entropy",
    "game_theory_coefficients",
    "standard_deviation",
]

#: The names accepted by :func:`combine` and :func:`combine_many`.
COMBINATION_METHODS: tuple[str, ...] = (
    "linear",
    "multiplicative",
    "min_information",
    "game_theory",
)

Normalization = Literal["sum", "minmax"]
CombinationMethod = Literal["linear", "multiplicative", "min_information", "game_theory"]

# About 2 MiB of float64 per block: large enough to amortise the per-call overhead of numpy,
# small enough to stay in the L2/L3 cache while a block is read several times.
_BLOCK_ELEMENTS = 1 << 18
# x * max(ln x, -750) equals x ln x for every positive double (ln of the smallest subnormal is
# about -744.4) and turns 0 * ln 0 = 0 * (-inf) = NaN into the convention 0 * ln 0 = 0.
_LOG_FLOOR = -750.0
# A column whose entropy divergence d_j is below this is re-checked exactly for constancy.
_SUSPECT_DIVERGENCE = 1e-9
# Pairwise variance below this fraction of range^2 is treated as zero (rounding noise).
_REL_VAR_ZERO = 1e-13

# Columns whose magnitude lies outside [2**-_SAFE_EXP, 2**_SAFE_EXP] are rescaled by a power of
# two before squares and x ln x are summed: (1e160)**2 overflows and (1e-160)**2 underflows.
_SAFE_EXP = 400

# Rows per matrix product in _cross (see there).
_GEMM_ROWS = 256

_R = TypeVar("_R")
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


# --------------------------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------------------------


def _name(j: int, labels: Sequence[str] | None) -> str:
    return str(labels[j]) if labels is not None else str(j)


def _check_matrix(X: ArrayLike, labels: Sequence[str] | None) -> NDArray[np.generic]:
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise WeightsError(
            "the data matrix must be 2-D (communities x indicators)",
            [Problem(f"got an array of shape {arr.shape}", fix="pass an (N, M) array")],
        )
    if arr.dtype.kind not in "iuf":
        raise WeightsError(
            "the data matrix must hold numbers",
            [
                Problem(
                    f"got dtype {arr.dtype}", fix="convert the data to float64; use NaN for gaps"
                )
            ],
        )
    if arr.shape[1] == 0:
        raise WeightsError("the data matrix has no indicator columns", [Problem("M = 0")])
    if labels is not None and (isinstance(labels, str) or len(labels) != arr.shape[1]):
        n_lab = 1 if isinstance(labels, str) else len(labels)
        raise OptionError(
            "labels must give one id per indicator column",
            [Problem(f"{n_lab} labels for {arr.shape[1]} columns", fix="pass M labels")],
        )
    return arr


def _check_directions(
    directions: Sequence[str] | None, m: int, labels: Sequence[str] | None
) -> NDArray[np.bool_]:
    """Return a boolean mask of cost indicators."""
    if directions is None:
        return np.zeros(m, dtype=bool)
    if isinstance(directions, str) or len(directions) != m:
        got = "a single string" if isinstance(directions, str) else f"{len(directions)} entries"
        raise OptionError(
            "directions must give one of 'benefit' / 'cost' per indicator column",
            [Problem(f"got {got} for {m} columns", fix="pass a sequence of M directions")],
        )
    problems = [
        Problem(
            "direction must be 'benefit' or 'cost'",
            column=_name(j, labels),
            value=d,
            fix="use 'benefit' (higher is better) or 'cost' (lower is better)",
        )
        for j, d in enumerate(directions)
        if d not in ("benefit", "cost")
    ]
    if problems:
        raise OptionError("invalid indicator directions", problems)
    return np.array([d == "cost" for d in directions], dtype=bool)


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


# --------------------------------------------------------------------------------------------
# Block streaming
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Pass kernels
# --------------------------------------------------------------------------------------------


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


def _data_problems(
    count: IntArray,
    inf_row: IntArray,
    labels: Sequence[str] | None,
    neg_row: IntArray | None = None,
    X: NDArray[np.generic] | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    for j in range(count.shape[0]):
        name = _name(j, labels)
        if inf_row[j] >= 0:
            problems.append(
                Problem(
                    "infinite value",
                    row=int(inf_row[j]) + 1,
                    column=name,
                    value=None if X is None else float(X[inf_row[j], j]),
                    fix="replace it by a finite value, or by NaN to exclude the cell",
                )
            )
        if neg_row is not None and neg_row[j] >= 0:
            problems.append(
                Problem(
                    "negative value: sum-normalised entropy needs x >= 0",
                    row=int(neg_row[j]) + 1,
                    column=name,
                    value=None if X is None else float(X[neg_row[j], j]),
                    fix="use normalization='minmax' (direction-aware min-max rescaling), or "
                    "transform the indicator to non-negative values; renoscore never takes abs()",
                )
            )
        if count[j] < 2:
            problems.append(
                Problem(
                    f"only {int(count[j])} usable (non-NaN) cell(s); at least 2 are needed",
                    column=name,
                    fix="collect more data for this indicator or leave it out of "
                    "data-driven weighting",
                )
            )
    return problems


def _warn_constant(
    cols: Sequence[int],
    values: FloatArray,
    count: IntArray,
    labels: Sequence[str] | None,
    method: str,
) -> None:
    for j in cols:
        warnings.warn(
            f"indicator {_name(j, labels)!r} is constant over its {int(count[j])} usable cells "
            f"(value {float(values[j])!r}); it gets zero {method} weight",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


def _normalise(score: FloatArray, what: str, labels: Sequence[str] | None) -> FloatArray:
    total = float(score.sum())
    if not total > 0 or not math.isfinite(total):
        raise WeightsError(
            f"{what}: no indicator discriminates between the communities",
            [
                Problem(
                    "every indicator is constant (or carries no usable information)",
                    fix="check the data; data-driven weights need indicators that vary",
                )
            ],
        )
    return np.asarray(score / total, dtype=np.float64)


# --------------------------------------------------------------------------------------------
# Entropy
# --------------------------------------------------------------------------------------------


def entropy(
    X: ArrayLike,
    normalization: Normalization = "sum",
    directions: Sequence[str] | None = None,
    epsilon: float = 0.0,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Entropy weights of the indicator columns of ``X``.

    For each indicator ``j`` with ``N_j`` usable (non-NaN) cells, the column is turned into a
    distribution ``p_ij = u_ij / sum_i u_ij`` and (Zeleny 1982; Xu 2004)

    .. math::

        e_j = -\frac{1}{\ln N_j} \sum_i p_{ij} \ln p_{ij}, \qquad d_j = 1 - e_j, \qquad
        w_j = d_j / \sum_k d_k,

    with the convention ``0 ln 0 = 0``. It is computed in one streaming pass from the column
    sums ``S_j = sum_i u_ij`` and ``T_j = sum_i u_ij ln u_ij``, since
    ``sum_i p_ij ln p_ij = T_j / S_j - ln S_j``.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    normalization : {"sum", "minmax"}
        ``"sum"`` (default): ``u = x``, the standard method on raw non-negative data
        (Xu 2004). Directions do not change these weights: the entropy of ``p_j`` measures
        dispersion, the same whichever way the indicator points (Zavadskas & Podvezko 2016
        apply it to raw data holding cost criteria). ``"minmax"``: the direction-aware variant
        common in Chinese renovation studies, ``u = (x - min)/(max - min) + epsilon`` for a
        benefit indicator and ``u = (max - x)/(max - min) + epsilon`` for a cost indicator
        (e.g. the AHP-entropy pipeline of Sustainability 2017, 9, 603).
    directions : sequence of {"benefit", "cost"}, optional
        One per column; None means all benefit. Used by ``"minmax"`` only (validated always).
    epsilon : float
        Non-negative shift added after min-max rescaling (some authors use 0.0001-0.01 so that
        no cell is 0). Only with ``"minmax"``; ``"sum"`` needs none because ``0 ln 0 = 0``.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows : int, optional
        Rows per streamed block (default: about 2 MiB of float64). Does not change the result
        beyond rounding (~1e-15).
    workers : int
        Threads used for the streamed passes (default 1). Does not change the result.

    Returns
    -------
    numpy.ndarray, shape (M,)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        A negative value under ``"sum"`` (naming the indicators and suggesting ``"minmax"``;
        values are never made positive with abs()); an infinite value; a column with fewer than
        2 usable cells; every indicator constant.
    OptionError
        An unknown ``normalization``, bad ``directions`` / ``labels``, a negative or non-finite
        ``epsilon``, or ``epsilon`` with ``"sum"``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator (including an all-zero one under ``"sum"``): it carries no
        information and gets weight 0.

    References
    ----------
    Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.
    Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    attribute weights. *European Journal of Operational Research*, 156(2), 530-532.
    Zavadskas, E. K., & Podvezko, V. (2016). Integrated determination of objective criteria
    weights in MCDM. *International Journal of Information Technology & Decision Making*,
    15(2), 267-283.

    Examples
    --------
    >>> X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    >>> entropy(X).round(4).tolist()  # Xu (2004)
    [0.463, 0.3992, 0.1378, 0.0]
    """
    arr = _check_matrix(X, labels)
    n, m = arr.shape
    if normalization not in ("sum", "minmax"):
        raise OptionError(
            "unknown entropy normalization",
            [Problem("unknown normalization", value=normalization, fix="use 'sum' or 'minmax'")],
        )
    cost = _check_directions(directions, m, labels)
    try:
        eps = math.nan if isinstance(epsilon, bool) else float(epsilon)
    except (TypeError, ValueError):
        eps = math.nan
    if not math.isfinite(eps) or eps < 0:
        raise OptionError(
            "epsilon must be a finite number >= 0", [Problem("bad epsilon", value=epsilon)]
        )
    if normalization == "sum" and eps != 0.0:
        raise OptionError(
            "epsilon applies to normalization='minmax' only",
            [
                Problem(
                    "epsilon given with normalization='sum'",
                    value=epsilon,
                    fix="drop epsilon (0 ln 0 = 0 handles zeros), or use 'minmax'",
                )
            ],
        )
    rows = _check_block_options(block_rows, workers, m)

    if normalization == "sum":
        parts = _run_blocks(arr, rows, workers, _xlogx_kernel(None, False))
        nan = np.sum([p.nan for p in parts if p.nan is not None], axis=0, dtype=np.int64)
        count = (n - np.broadcast_to(nan, (m,))).astype(np.int64)
        inf_row = _merge_first_rows([p.inf_row for p in parts], m)
        neg_row = _merge_first_rows([p.neg_row for p in parts], m)
        problems = _data_problems(count, inf_row, labels, neg_row, arr)
        if problems:
            raise WeightsError("entropy weights cannot be computed from these data", problems)
        s = np.sum([p.s for p in parts], axis=0)
        t = np.sum([p.t for p in parts], axis=0)
        extreme = (s > 0) & ((s < 2.0**-_SAFE_EXP) | (s > 2.0**_SAFE_EXP))
        if not (np.isfinite(s).all() and np.isfinite(t).all()) or extreme.any():
            # Values near the float limits: sum(x) or x ln x overflowed, or T / S - ln S
            # cancels. p = u / sum(u) does not change when a column is rescaled, so rescale by
            # a power of two and sum again.
            ranges = _run_blocks(arr, rows, workers, _range_kernel)
            lo = np.fmin.reduce(np.array([p.mn for p in ranges]), axis=0)
            hi = np.fmax.reduce(np.array([p.mx for p in ranges]), axis=0)
            scaled = _run_blocks(
                arr, rows, workers, _xlogx_kernel(None, False, _pow2_scale(lo, hi))
            )
            s = np.sum([p.s for p in scaled], axis=0)
            t = np.sum([p.t for p in scaled], axis=0)
        constant = s == 0.0  # all zero (given x >= 0): constant
        values = np.zeros(m)
    else:
        ranges = _run_blocks(arr, rows, workers, _range_kernel)
        nan = np.sum([p.nan for p in ranges if p.nan is not None], axis=0, dtype=np.int64)
        count = (n - np.broadcast_to(nan, (m,))).astype(np.int64)
        inf_row = _merge_first_rows([p.inf_row for p in ranges], m)
        problems = _data_problems(count, inf_row, labels)
        if problems:
            raise WeightsError("entropy weights cannot be computed from these data", problems)
        mn = np.fmin.reduce(np.array([p.mn for p in ranges]), axis=0)
        mx = np.fmax.reduce(np.array([p.mx for p in ranges]), axis=0)
        constant = mx == mn
        values = mn
        # Extreme columns are rescaled by a power of two (exact), so that max - min and
        # u ln u stay finite; the entropy of p = u / sum(u) does not change.
        scale = _pow2_scale(mn, mx) if _needs_scaling(mn, mx, mx - mn) else None
        lo, hi = (mn, mx) if scale is None else (mn * scale, mx * scale)
        span = np.where(constant, 1.0, hi - lo)
        # u = |x - ref| with ref = min - eps*span (benefit) or max + eps*span (cost) is the
        # min-max value times span; entropy of p = u / sum(u) does not depend on that scale.
        ref = np.where(cost, hi + eps * span, lo - eps * span)
        parts = _run_blocks(arr, rows, workers, _xlogx_kernel(ref, bool(cost.any()), scale))
        s = np.sum([p.s for p in parts], axis=0)
        t = np.sum([p.t for p in parts], axis=0)
        constant = constant | (s == 0.0)

    safe_s = np.where(s > 0, s, 1.0)
    h = t / safe_s - np.log(safe_s)  # sum_i p_ij ln p_ij
    e = -h / np.log(count.astype(np.float64))
    d = np.where(constant, 0.0, 1.0 - e)
    suspects = np.flatnonzero(~constant & (d < _SUSPECT_DIVERGENCE))
    if normalization == "sum" and suspects.size:
        exact, lo = _exact_constant(arr, suspects, rows, workers)
        constant[suspects[exact]] = True
        values[suspects] = lo
    if normalization == "sum":
        values = np.where(s == 0.0, 0.0, values)
    d = np.where(constant, 0.0, np.maximum(d, 0.0))
    _warn_constant(np.flatnonzero(constant).tolist(), values, count, labels, "entropy")
    return _normalise(d, "entropy weights", labels)


def _exact_constant(
    X: NDArray[np.generic], cols: IntArray, block_rows: int, workers: int
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Exact constancy check (max == min over usable cells) of a few suspect columns."""

    def kernel(start: int, b: FloatArray, sc: _Scratch) -> tuple[FloatArray, FloatArray]:
        sub = b[:, cols]
        return np.fmin.reduce(sub, axis=0), np.fmax.reduce(sub, axis=0)

    parts = _run_blocks(X, block_rows, workers, kernel)
    lo = np.fmin.reduce(np.array([p[0] for p in parts]), axis=0)
    hi = np.fmax.reduce(np.array([p[1] for p in parts]), axis=0)
    return np.asarray(lo == hi), lo


# --------------------------------------------------------------------------------------------
# CRITIC, standard deviation, coefficient of variation
# --------------------------------------------------------------------------------------------


def critic(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

    Following Diakoulaki, Mavrotas & Papayannakis (1995), each column is min-max rescaled by
    direction (``(x - min)/(max - min)`` for benefit, ``(max - x)/(max - min)`` for cost), then

    .. math::

        C_j = \sigma_j \sum_k (1 - r_{jk}), \qquad w_j = C_j / \sum_k C_k,

    with ``sigma_j`` the (population, ddof = 0) standard deviation of the rescaled column and
    ``r_jk`` the Pearson correlation of the rescaled columns j and k. Reversing a cost column
    keeps ``sigma_j`` and flips the sign of its correlations.

    NaN cells: ``sigma_j`` uses the usable cells of column j; ``r_jk`` is **pairwise-complete**
    (rows where both j and k are usable), like ``pandas.DataFrame.corr``, so one missing cell
    does not discard a whole community. Constant columns: their correlation is undefined; they
    get weight 0 (with a warning) and are left out of the other columns' sums.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        One per column; None means all benefit.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows, workers
        Streaming options, as in :func:`entropy`.

    Returns
    -------
    numpy.ndarray, shape (M,)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        An infinite value; a column with fewer than 2 usable cells; fewer than 2 non-constant
        indicators; a pair of non-constant indicators with fewer than 2 common usable rows or
        no variation on them (correlation undefined); all indicators perfectly correlated.
    OptionError
        Bad ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: The CRITIC method. *Computers & Operations Research*, 22(7),
    763-770.

    Examples
    --------
    >>> X = [[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
    ...      [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]]
    >>> critic(X).round(4).tolist()  # Diakoulaki et al. (1995)
    [0.2022, 0.4809, 0.3169]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    cost = _check_directions(directions, m, labels)
    rows = _check_block_options(block_rows, workers, m)
    mom = _moments(arr, rows, workers, gram=True)
    problems = _data_problems(mom.count, mom.inf_row, labels, None, arr)
    if problems:
        raise WeightsError("CRITIC weights cannot be computed from these data", problems)
    assert mom.cov is not None
    assert mom.pair_var is not None
    assert mom.pair_n is not None
    constant = mom.mx == mom.mn
    _warn_constant(np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "CRITIC")
    live = np.flatnonzero(~constant)
    if live.size < 2:
        raise WeightsError(
            "CRITIC needs at least two non-constant indicators",
            [
                Problem(
                    f"{live.size} non-constant indicator(s)",
                    fix="use another method, or add indicators that vary",
                )
            ],
        )
    span = mom.span
    pv = mom.pair_var[np.ix_(live, live)]
    pn = mom.pair_n[np.ix_(live, live)]
    tiny = _REL_VAR_ZERO * span[live] ** 2
    bad = (pn < 2) | (pv <= tiny[:, None]) | (tiny[None, :] >= pv.T)
    if bad.any():
        problems = []
        for a, b in zip(*np.nonzero(np.triu(bad, 1)), strict=True):
            j, k = int(live[a]), int(live[b])
            problems.append(
                Problem(
                    f"correlation of indicators {_name(j, labels)!r} and {_name(k, labels)!r} "
                    f"is undefined: {int(pn[a, b])} common usable rows, with too little "
                    "variation on them",
                    column=f"{_name(j, labels)}, {_name(k, labels)}",
                    fix="supply more overlapping data, or use method 'standard_deviation'",
                )
            )
        raise WeightsError("CRITIC correlations cannot be computed", problems)
    denom = np.sqrt(pv * pv.T)
    r = np.clip(mom.cov[np.ix_(live, live)] / denom, -1.0, 1.0)
    sign = np.where(cost[live], -1.0, 1.0)
    r = r * sign[:, None] * sign[None, :]
    sigma = np.sqrt(mom.var[live]) / span[live]
    c = np.zeros(m)
    c[live] = sigma * (1.0 - r).sum(axis=1)
    if not c.sum() > 0:
        raise WeightsError(
            "CRITIC weights are undefined: the indicators are perfectly correlated",
            [Problem("every r_jk = 1", fix="use method 'standard_deviation' or 'entropy'")],
        )
    return _normalise(c, "CRITIC weights", labels)


def standard_deviation(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    normalization: Literal["minmax", "none"] = "minmax",
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Standard-deviation weights: ``w_j = sigma_j / sum_k sigma_k``.

    ``sigma_j`` is the population (ddof = 0) standard deviation of column j over its usable
    cells, after min-max rescaling (``normalization="minmax"``, default: ``sigma_j / (max_j -
    min_j)``, so that units do not matter; Diakoulaki et al. 1995 use this sigma as the
    contrast intensity of CRITIC) or of the raw values (``"none"``, as in Sałabun,
    Wątróbski & Shekhovtsov 2020 for data already on a common scale). A direction reversal
    does not change sigma; ``directions`` is accepted for a uniform signature and validated.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        Validated, no effect on the weights.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    normalization : {"minmax", "none"}
        Rescale each column to [0, 1] first (default), or use raw values.
    block_rows, workers
        Streaming options, as in :func:`entropy`.

    Returns
    -------
    numpy.ndarray, shape (M,)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        An infinite value, a column with fewer than 2 usable cells, every indicator constant.
    OptionError
        Bad ``normalization``, ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator (weight 0).

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). *Computers & Operations Research*,
    22(7), 763-770.
    Sałabun, W., Wątróbski, J., & Shekhovtsov, A. (2020). Are MCDA methods benchmarkable? A
    comparative study of TOPSIS, VIKOR, COPRAS, and PROMETHEE II methods. *Symmetry*, 12(9),
    1549.

    Examples
    --------
    >>> X = [[0.619, 0.449, 0.447], [0.862, 0.466, 0.006], [0.458, 0.698, 0.771],
    ...      [0.777, 0.631, 0.491], [0.567, 0.992, 0.968]]
    >>> standard_deviation(X, normalization="none").round(3).tolist()  # Sałabun et al. (2020)
    [0.217, 0.294, 0.488]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    _check_directions(directions, m, labels)
    if normalization not in ("minmax", "none"):
        raise OptionError(
            "unknown standard-deviation normalization",
            [Problem("unknown normalization", value=normalization, fix="use 'minmax' or 'none'")],
        )
    rows = _check_block_options(block_rows, workers, m)
    mom = _moments(arr, rows, workers, gram=False, common_scale=normalization == "none")
    problems = _data_problems(mom.count, mom.inf_row, labels, None, arr)
    if problems:
        raise WeightsError("standard-deviation weights cannot be computed", problems)
    constant = mom.mx == mom.mn
    _warn_constant(
        np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "standard-deviation"
    )
    sigma = np.sqrt(mom.var)
    if normalization == "minmax":
        sigma = sigma / np.where(constant, 1.0, mom.span)
    return _normalise(np.where(constant, 0.0, sigma), "standard-deviation weights", labels)


def coefficient_of_variation(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Coefficient-of-variation weights: ``w_j ∝ v_j = sigma_j / |mean_j|``.

    ``sigma_j`` (population, ddof = 0) and ``mean_j`` are taken over the usable cells of the raw
    column. ``v_j`` is scale-free, so sum-normalising the columns first (as some authors do)
    gives the same weights (Shuai et al. 2012 report them for Xu's 2004 data).

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        Validated, no effect on the weights.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows, workers
        Streaming options, as in :func:`entropy`.

    Returns
    -------
    numpy.ndarray, shape (M,)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        A non-constant column whose mean is zero (``|mean| <= 1e-12 max|x|``: sigma / |mean| is
        undefined); an infinite value; a column with fewer than 2 usable cells; every
        indicator constant.
    OptionError
        Bad ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator (weight 0).

    References
    ----------
    Shuai, D., Zongzhun, Z., Yongji, W., & Lei, L. (2012). A new angular method to determine
    the objective weights. *24th Chinese Control and Decision Conference (CCDC)*, 3889-3892.

    Examples
    --------
    >>> X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    >>> coefficient_of_variation(X).round(4).tolist()  # Shuai et al. (2012)
    [0.4258, 0.361, 0.2121, 0.0011]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    _check_directions(directions, m, labels)
    rows = _check_block_options(block_rows, workers, m)
    mom = _moments(arr, rows, workers, gram=False)
    problems = _data_problems(mom.count, mom.inf_row, labels, None, arr)
    if problems:
        raise WeightsError("coefficient-of-variation weights cannot be computed", problems)
    constant = mom.mx == mom.mn
    magnitude = np.maximum(np.abs(mom.mn * mom.scale), np.abs(mom.mx * mom.scale))
    zero_mean = ~constant & (np.abs(mom.mean) <= 1e-12 * magnitude)
    if zero_mean.any():
        raise WeightsError(
            "coefficient-of-variation weights are undefined for a zero mean",
            [
                Problem(
                    "the mean of the indicator is 0, so sigma / |mean| is undefined",
                    column=_name(int(j), labels),
                    fix="use method 'standard_deviation' or 'critic' for indicators centred "
                    "on zero",
                )
                for j in np.flatnonzero(zero_mean)
            ],
        )
    _warn_constant(
        np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "coefficient-of-variation"
    )
    v = np.sqrt(mom.var) / np.where(constant, 1.0, np.abs(mom.mean))
    return _normalise(np.where(constant, 0.0, v), "coefficient-of-variation weights", labels)


# --------------------------------------------------------------------------------------------
# Combination of weight vectors
# --------------------------------------------------------------------------------------------


def _check_weight_stack(
    vectors: Sequence[ArrayLike], names: Sequence[str], tol: float
) -> FloatArray:
    """Validate K weight vectors (each (..., M), broadcastable) and stack them as (..., K, M)."""
    arrays = [np.asarray(v, dtype=np.float64) for v in vectors]
    problems: list[Problem] = []
    for a, nm in zip(arrays, names, strict=True):
        if a.ndim == 0 or a.shape[-1] == 0:
            problems.append(Problem(f"shape {a.shape}: not a weight vector", path=nm))
    if problems:
        raise WeightsError("weights must be vectors (..., M)", problems)
    lengths = {a.shape[-1] for a in arrays}
    if len(lengths) > 1:
        raise WeightsError(
            "the weight vectors to combine have different lengths",
            [
                Problem(f"length {a.shape[-1]}", path=nm)
                for a, nm in zip(arrays, names, strict=True)
            ],
        )
    try:
        arrays = list(np.broadcast_arrays(*arrays))
    except ValueError:
        raise WeightsError(
            "the stacked weight arrays do not broadcast together",
            [Problem(f"shape {a.shape}", path=nm) for a, nm in zip(arrays, names, strict=True)],
        ) from None
    for a, nm in zip(arrays, names, strict=True):
        for idx in np.ndindex(a.shape[:-1]):
            v = a[idx]
            where = nm if not idx else f"{nm}[{', '.join(map(str, idx))}]"
            if not np.isfinite(v).all():
                problems.append(Problem("non-finite weight", path=where, fix="pass finite weights"))
                continue
            if (v < -tol).any():
                problems.append(
                    Problem(
                        "negative weight",
                        path=where,
                        value=float(v.min()),
                        fix="weights must be >= 0",
                    )
                )
            total = float(v.sum())
            if abs(total - 1.0) > tol:
                problems.append(
                    Problem(
                        f"weights sum to {total!r}, not 1",
                        path=where,
                        fix="normalise the vector (divide by its sum)",
                    )
                )
    if problems:
        raise WeightsError("invalid weight vectors", problems)
    return np.clip(np.stack(arrays, axis=-2), 0.0, None)


def _check_alphas(alphas: ArrayLike | None, k: int, tol: float) -> FloatArray:
    if alphas is None:
        return np.full(k, 1.0 / k)
    a = np.asarray(alphas, dtype=np.float64)
    if a.shape != (k,) or not np.isfinite(a).all() or (a < 0).any() or abs(a.sum() - 1) > tol:
        raise OptionError(
            "alphas must be K finite numbers in [0, 1] summing to 1",
            [Problem(f"got {a.tolist()} for {k} weight vectors", fix="e.g. alphas=[0.5, 0.5]")],
        )
    return a


def _renormalise(w: FloatArray, what: str) -> FloatArray:
    total = w.sum(axis=-1, keepdims=True)
    bad = ~(total[..., 0] > 0)
    if bad.any():
        where = [None] if bad.ndim == 0 else [str(tuple(map(int, i))) for i in np.argwhere(bad)]
        raise WeightsError(
            f"{what} combination is undefined",
            [
                Problem(
                    "the vectors share no indicator with a positive weight in all of them",
                    path=p,
                    fix="use method 'linear'",
                )
                for p in where
            ],
        )
    return np.asarray(w / total, dtype=np.float64)


def game_theory_coefficients(weights: Sequence[ArrayLike], *, tol: float = 1e-6) -> FloatArray:
    r"""Normalised coefficients of the game-theoretic combination of K weight vectors.

    With the vectors as the rows of ``W`` (K x M), the coefficients ``a`` minimise every
    deviation ``|| sum_k a_k w_k - w_l ||_2`` (l = 1..K) jointly in the sense of the first-order
    conditions ``sum_k a_k (w_l . w_k) = w_l . w_l``, i.e. the K x K system

    .. math::

        (W W^T) a = \operatorname{diag}(W W^T),

    solved with the pseudo-inverse (the minimum-norm solution when vectors are linearly
    dependent, e.g. equal). They are normalised as ``a*_k = |a_k| / sum_l |a_l|``
    (Lai et al. 2015; the "博弈论组合赋权" of the Chinese evaluation literature).

    Parameters
    ----------
    weights : sequence of K array_like, each (..., M)
        Weight vectors (non-negative, summing to 1); stacked leading axes broadcast.
    tol : float
        Tolerance on the sum to 1 and on negative entries.

    Returns
    -------
    numpy.ndarray, shape (..., K)
        Non-negative coefficients summing to 1.

    Raises
    ------
    WeightsError
        Invalid weight vectors, or a singular system that cannot be solved.

    References
    ----------
    Lai, C., Chen, X., Chen, X., Wang, Z., Wu, X., & Zhao, S. (2015). A fuzzy comprehensive
    evaluation model for flood risk based on the combination weight of game theory.
    *Natural Hazards*, 77(2), 1243-1259.

    Examples
    --------
    >>> game_theory_coefficients([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]).round(12).tolist()
    [0.5, 0.5]
    """
    k = len(weights)
    if k < 2:
        raise OptionError(
            "the game-theoretic combination needs at least two weight vectors",
            [Problem(f"got {k}")],
        )
    stack = _check_weight_stack(weights, [f"weights[{i}]" for i in range(k)], tol)
    return _game_theory_coefficients(stack)


def _game_theory_coefficients(stack: FloatArray) -> FloatArray:
    gram = stack @ np.swapaxes(stack, -1, -2)  # (..., K, K)
    rhs = np.diagonal(gram, axis1=-2, axis2=-1)[..., None]
    try:
        a = (np.linalg.pinv(gram) @ rhs)[..., 0]
    except np.linalg.LinAlgError as exc:  # pragma: no cover - SVD non-convergence
        raise WeightsError(
            "the game-theoretic combination system could not be solved",
            [Problem(str(exc), fix="use method 'linear'")],
        ) from None
    a = np.abs(a)
    total = a.sum(axis=-1, keepdims=True)
    if not (total > 0).all():  # pragma: no cover - rhs > 0 for weights summing to 1
        raise WeightsError(
            "the game-theoretic combination is undefined", [Problem("all coefficients are 0")]
        )
    return np.asarray(a / total, dtype=np.float64)


def combine_many(
    weights: Sequence[ArrayLike],
    method: CombinationMethod = "linear",
    alphas: ArrayLike | None = None,
    *,
    tol: float = 1e-6,
) -> FloatArray:
    r"""Combine K weight vectors over the same indicators into one.

    With ``w_k`` the vectors and ``alpha_k`` (default 1/K) their shares:

    - ``"linear"``: ``w = sum_k alpha_k w_k`` (additive synthesis; Ma, Fan & Huang 1999).
    - ``"multiplicative"``: ``w_j ∝ prod_k w_kj`` (multiplicative synthesis, as IDOCRIW
      combines entropy and CILOS weights; Zavadskas & Podvezko 2016). ``alphas`` is ignored.
    - ``"min_information"``: the vector that minimises the weighted discrimination information
      (Kullback 1959) ``sum_k alpha_k sum_j w_j ln(w_j / w_kj)`` subject to ``sum_j w_j = 1``;
      the Lagrange conditions give ``w_j ∝ prod_k w_kj^alpha_k``, i.e. ``sqrt(w_s w_o)`` for
      two vectors with alpha = 0.5 (principle of minimum discrimination information; Dou et al.
      2018).
    - ``"game_theory"``: ``w = sum_k a*_k w_k`` with the coefficients of
      :func:`game_theory_coefficients` (Lai et al. 2015). ``alphas`` is ignored.

    Parameters
    ----------
    weights : sequence of K array_like, each (..., M)
        Weight vectors, non-negative and summing to 1 within ``tol``; stacked leading axes
        broadcast.
    method : {"linear", "multiplicative", "min_information", "game_theory"}
        The combination rule.
    alphas : array_like of K floats, optional
        Shares for ``"linear"`` and ``"min_information"``: in [0, 1], summing to 1.
    tol : float
        Tolerance on the sum to 1 and on negative entries (tiny negatives are clipped to 0).

    Returns
    -------
    numpy.ndarray, shape (..., M)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        Vectors of different lengths, negative or non-finite entries, sums not 1; a
        multiplicative / min-information product that is zero everywhere.
    OptionError
        Unknown ``method``, fewer than two vectors, bad ``alphas``.

    References
    ----------
    Ma, J., Fan, Z.-P., & Huang, L.-H. (1999). A subjective and objective integrated approach to
    determine attribute weights. *European Journal of Operational Research*, 112(2), 397-404.
    Kullback, S. (1959). *Information Theory and Statistics*. Wiley.
    Zavadskas, E. K., & Podvezko, V. (2016). *Int. J. Inf. Technol. Decis. Mak.*, 15(2), 267-283.
    Dou, Y., Xue, X., Zhao, Z., Luo, X., Ji, A., & Luo, T. (2018). A variable fuzzy recognition
    model based on combined weights for flood evaluation. *Int. J. Environ. Res. Public
    Health*, 15(9), 1983.
    Lai, C., et al. (2015). *Natural Hazards*, 77(2), 1243-1259.

    Examples
    --------
    >>> combine_many([[0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]).round(6).tolist()
    [0.4, 0.6]
    """
    if method not in COMBINATION_METHODS:
        raise OptionError(
            "unknown combination method",
            [Problem("unknown method", value=method, fix=f"use one of {COMBINATION_METHODS}")],
        )
    k = len(weights)
    if k < 2:
        raise OptionError("combining needs at least two weight vectors", [Problem(f"got {k}")])
    stack = _check_weight_stack(weights, [f"weights[{i}]" for i in range(k)], tol)
    return _combine_stack(stack, method, alphas, tol)


def _combine_stack(
    stack: FloatArray, method: str, alphas: ArrayLike | None, tol: float
) -> FloatArray:
    k = stack.shape[-2]
    if method == "linear":
        a = _check_alphas(alphas, k, tol)
        return _renormalise(np.einsum("k,...km->...m", a, stack), "linear")
    if method == "multiplicative":
        return _renormalise(np.prod(stack, axis=-2), "multiplicative")
    if method == "min_information":
        a = _check_alphas(alphas, k, tol)
        with np.errstate(divide="ignore"):
            logs = np.log(stack)
        # alpha_k = 0 must drop vector k entirely (0 * ln 0 would be NaN).
        terms = np.where(a[:, None] > 0, a[:, None] * logs, 0.0)
        return _renormalise(np.exp(terms.sum(axis=-2)), "min-information")
    coeff = _game_theory_coefficients(stack)
    return _renormalise(np.einsum("...k,...km->...m", coeff, stack), "game-theory")


def combine(
    subjective: ArrayLike,
    objective: ArrayLike,
    method: CombinationMethod = "linear",
    alpha: float = 0.5,
    *,
    tol: float = 1e-6,
) -> FloatArray:
    r"""Combine a subjective (e.g. AHP) and an objective (e.g. entropy) weight vector.

    - ``"linear"``: ``w = alpha w_s + (1 - alpha) w_o`` (Ma, Fan & Huang 1999).
    - ``"multiplicative"``: ``w_j = w_sj w_oj / sum_k w_sk w_ok`` (Zavadskas & Podvezko 2016).
      ``alpha`` is ignored.
    - ``"min_information"``: ``w_j ∝ w_sj^alpha w_oj^(1 - alpha)``, the minimiser of
      ``alpha KL(w || w_s) + (1 - alpha) KL(w || w_o)``; with alpha = 0.5 the classic
      ``w_j = sqrt(w_sj w_oj) / sum_k sqrt(w_sk w_ok)`` of the minimum discrimination
      information principle (Kullback 1959; Dou et al. 2018).
    - ``"game_theory"``: ``w = a*_1 w_s + a*_2 w_o`` with ``a`` solving
      ``(W W^T) a = diag(W W^T)``, ``W = [w_s; w_o]``, and ``a* = |a| / sum |a|``
      (Lai et al. 2015). ``alpha`` is ignored.

    Parameters
    ----------
    subjective, objective : array_like, shape (..., M)
        Weight vectors over the same M indicators: non-negative, summing to 1 within ``tol``.
        Stacked leading axes broadcast.
    method : {"linear", "multiplicative", "min_information", "game_theory"}
        The combination rule.
    alpha : float
        Share of the subjective vector, in [0, 1] (default 0.5).
    tol : float
        Tolerance on the sum to 1 and on negative entries.

    Returns
    -------
    numpy.ndarray, shape (..., M)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        Different lengths, negative or non-finite entries, sums not 1, or a product that is
        zero on every indicator (``multiplicative``, ``min_information``).
    OptionError
        Unknown ``method``; ``alpha`` outside [0, 1].

    References
    ----------
    See :func:`combine_many`.

    Examples
    --------
    >>> ws, wo = [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]
    >>> combine(ws, wo, "linear", alpha=0.6).round(4).tolist()
    [0.38, 0.3, 0.32]
    >>> combine(ws, wo, "min_information").round(4).tolist()
    [0.3391, 0.3217, 0.3391]
    """
    if method not in COMBINATION_METHODS:
        raise OptionError(
            "unknown combination method",
            [Problem("unknown method", value=method, fix=f"use one of {COMBINATION_METHODS}")],
        )
    try:
        a = math.nan if isinstance(alpha, bool) else float(alpha)
    except (TypeError, ValueError):
        a = math.nan
    if not 0.0 <= a <= 1.0:
        raise OptionError(
            "alpha must be a number in [0, 1]",
            [Problem("alpha out of range", value=alpha, fix="e.g. alpha=0.5")],
        )
    stack = _check_weight_stack([subjective, objective], ["subjective", "objective"], tol)
    return _combine_stack(stack, method, [a, 1.0 - a], tol)
