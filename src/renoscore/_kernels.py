"""Blocked numeric kernels and checks shared by normalisation and aggregation.

The scoring core reads matrices of a million communities block by block, each block small
enough to stay in cache, so that the input is read from memory a small, fixed number of times
and no temporary of its size is made. The pieces every method needs live here, once:
matrix conversion, row and flat blocks, the goalposts kernel and its checked vectors, the
search for infinite cells, blocked column statistics, indicator directions and the warning
about constant columns. The public modules (:mod:`renoscore.normalize`,
:mod:`renoscore.aggregate`) compose them; nothing here is public API.

Examples
--------
>>> import numpy as np
>>> [s for s in row_blocks(5, BLOCK_ELEMENTS // 2)]
[slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
>>> column_name(1, ["a", "b"]), column_name(5, None)
('b', '#5')
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import (
    ConstantIndicatorWarning,
    DataValidationError,
    OptionError,
    Problem,
)

__all__ = [
    "BLOCK_ELEMENTS",
    "MAX_CELLS",
    "Directions",
    "FloatArray",
    "FloatMatrix",
    "as_matrix",
    "benefit_mask",
    "blocked_column_stats",
    "cell_problems",
    "column_counts",
    "column_name",
    "column_problems",
    "column_reduce",
    "column_sums",
    "column_vector",
    "flat_blocks",
    "goalpost_vectors",
    "goalposts_kernel",
    "has_inf",
    "inf_problems",
    "order_of",
    "row_blocks",
    "warn_constant",
]

#: Elements per row block in the blocked kernels. 2**16 float64 = 512 KiB, which stays in L2 on
#: the machines we target, so each block is read from main memory once however many numpy
#: operations touch it.
BLOCK_ELEMENTS = 1 << 16


#: How many offending cells an error lists before summarising (the error itself caps at 50).
MAX_CELLS = 20


#: Direction of every indicator: ``"benefit"``/``"cost"`` strings or booleans (True = benefit).
Directions: TypeAlias = Sequence[str] | Sequence[bool] | NDArray[np.bool_]


#: A float64 matrix of shape (N, M).
FloatMatrix: TypeAlias = NDArray[np.float64]
#: A float64 array of any shape (vectors of per-column values).
FloatArray: TypeAlias = NDArray[np.float64]


def column_name(j: int, labels: Sequence[str] | None) -> str:
    """The id of column ``j`` for messages: its label, or ``#j`` when there is none."""
    return str(labels[j]) if labels is not None and j < len(labels) else f"#{j}"


def as_matrix(X: ArrayLike, name: str = "X") -> FloatMatrix:
    """Return ``X`` as a 2-D float64 array, without copying when it already is one."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{name} must be a numeric matrix",
            [Problem(f"{name} could not be converted to float64: {exc}", fix="pass numbers")],
        ) from exc
    if arr.ndim != 2:
        raise DataValidationError(
            f"{name} must be a 2-D matrix (communities x indicators)",
            [Problem(f"{name} has shape {arr.shape}", fix="pass an (N, M) array")],
        )
    return arr


def row_blocks(n_rows: int, n_cols: int) -> Iterator[slice]:
    """Slices of consecutive rows holding about ``BLOCK_ELEMENTS`` cells each."""
    step = max(1, BLOCK_ELEMENTS // max(1, n_cols))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def flat_blocks(
    src: FloatMatrix, dst: FloatMatrix, *vectors: NDArray[np.float64]
) -> Iterator[tuple[NDArray[np.float64], ...]]:
    """Cache-sized blocks of ``src`` and ``dst`` with per-column vectors tiled to match.

    When both matrices are C-contiguous the blocks are flat 1-D views and each vector is tiled
    along the block, so every numpy operation runs as one long contiguous loop instead of one
    short loop of length M per row (which costs more than the arithmetic for M around 40).
    Otherwise the blocks are 2-D row slices and the vectors broadcast.
    """
    n, m = src.shape
    step = max(1, min(n, BLOCK_ELEMENTS // max(1, m)))  # tiles no longer than the data
    if src.flags.c_contiguous and dst.flags.c_contiguous and m > 0:
        tiles = [np.tile(v, step) for v in vectors]
        flat_src, flat_dst = src.reshape(-1), dst.reshape(-1)
        size = step * m
        for start in range(0, flat_src.size, size):
            stop = min(start + size, flat_src.size)
            k = stop - start
            yield (flat_src[start:stop], flat_dst[start:stop], *(t[:k] for t in tiles))
    else:
        for rows in row_blocks(n, m):
            yield (src[rows], dst[rows], *vectors)


def order_of(arr: NDArray[np.float64]) -> Literal["C", "F"]:
    """ "F" for a column-major array, else "C": outputs follow their input's memory order."""
    return "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"


def column_problems(
    columns: NDArray[np.intp],
    labels: Sequence[str] | None,
    reason: str,
    fix: str,
    values: NDArray[np.float64] | None = None,
) -> list[Problem]:
    """One problem per column in ``columns``, named by its label, with its value if given."""
    return [
        Problem(
            reason,
            fix=fix,
            column=column_name(int(j), labels),
            value=None if values is None else float(values[j]),
        )
        for j in columns
    ]


def cell_problems(
    X: FloatMatrix, bad: NDArray[np.bool_], labels: Sequence[str] | None, reason: str, fix: str
) -> tuple[list[Problem], int]:
    """Problems of the first :data:`MAX_CELLS` cells flagged in ``bad``, and how many there are."""
    rows, cols = np.nonzero(bad)
    problems = [
        Problem(
            reason,
            fix=fix,
            row=int(i) + 1,
            column=column_name(int(j), labels),
            value=float(X[i, j]),
        )
        for i, j in zip(rows[:MAX_CELLS], cols[:MAX_CELLS], strict=True)
    ]
    return problems, int(rows.size)


def inf_problems(X: FloatMatrix, labels: Sequence[str] | None) -> list[Problem]:
    """Locate infinite cells (slow path, only run once an infinity is known to exist)."""
    problems, count = cell_problems(
        X,
        np.isinf(X),
        labels,
        "value is infinite",
        "use NaN for a missing value, or a finite number",
    )
    if count > MAX_CELLS:
        problems.append(Problem(f"... and {count - MAX_CELLS} more infinite cells"))
    return problems


def has_inf(block: NDArray[np.float64]) -> bool:
    """Whether a block holds +-inf (NaN allowed): one sum, and a search only if it is not finite.

    The sum of a block is finite unless the block holds NaN or an infinity (or its values
    overflow when added, which the search then clears).
    """
    if np.isfinite(np.add.reduce(block, axis=None)):
        return False
    return bool(np.isinf(block).any())


def benefit_mask(
    directions: Directions, n_columns: int, *, labels: Sequence[str] | None = None
) -> NDArray[np.bool_]:
    """Convert indicator directions to a boolean mask, True where higher is better.

    Parameters
    ----------
    directions : sequence of str or array of bool
        ``"benefit"`` / ``"cost"`` per indicator (case-insensitive; ``"+"`` and ``"-"`` are
        accepted too), or booleans with True for benefit.
    n_columns : int
        The number of indicators the directions must cover.
    labels : sequence of str, optional
        Indicator ids used in error messages.

    Returns
    -------
    ndarray of bool, shape (n_columns,)

    Raises
    ------
    OptionError
        If the length is wrong or a direction is not recognised; every bad entry is listed.

    Examples
    --------
    >>> benefit_mask(["benefit", "cost", "+"], 3)
    array([ True, False,  True])
    >>> benefit_mask([True, False], 2)
    array([ True, False])
    """
    if isinstance(directions, np.ndarray) and directions.dtype == np.bool_:
        mask = directions.reshape(-1).copy()
    else:
        items = list(directions)
        if all(isinstance(d, bool | np.bool_) for d in items):
            mask = np.array(items, dtype=np.bool_)
        else:
            problems: list[Problem] = []
            values: list[bool] = []
            for j, d in enumerate(items):
                key = str(d).strip().lower() if isinstance(d, str) else None
                if key in ("benefit", "+", "max"):
                    values.append(True)
                elif key in ("cost", "-", "min"):
                    values.append(False)
                else:
                    values.append(True)
                    problems.append(
                        Problem(
                            "direction must be 'benefit' or 'cost'",
                            fix="write 'benefit' (higher is better) or 'cost' (lower is better)",
                            column=column_name(j, labels),
                            value=d,
                        )
                    )
            if problems:
                raise OptionError("unknown indicator direction", problems)
            mask = np.array(values, dtype=np.bool_)
    if mask.shape != (n_columns,):
        raise OptionError(
            "directions do not match the indicators",
            [
                Problem(
                    f"got {mask.size} directions for {n_columns} indicators",
                    fix="give one direction per column of X",
                )
            ],
        )
    return mask


def column_vector(
    value: ArrayLike, n_columns: int, name: str, labels: Sequence[str] | None
) -> NDArray[np.float64]:
    """Broadcast a scalar or (M,) parameter to a finite float64 vector of length M."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise OptionError(f"{name} must be numeric", [Problem(str(exc))]) from exc
    if arr.ndim == 0:
        arr = np.full(n_columns, float(arr))
    if arr.shape != (n_columns,):
        raise OptionError(
            f"{name} does not match the indicators",
            [Problem(f"{name} has shape {arr.shape}, expected ({n_columns},)")],
        )
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise OptionError(
            f"{name} must be finite",
            column_problems(bad, labels, f"{name} is not finite", "give a finite number", arr),
        )
    return arr


def goalpost_vectors(
    floor: ArrayLike,
    target: ArrayLike,
    m: int,
    labels: Sequence[str] | None,
    directions: Directions | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Checked ``(floor, target - floor)`` vectors of length ``m`` (see :func:`goalposts`)."""
    f = column_vector(floor, m, "floor", labels)
    t = column_vector(target, m, "target", labels)
    span = t - f
    equal = np.flatnonzero(span == 0)
    if equal.size:
        raise OptionError(
            "floor and target must differ",
            column_problems(
                equal,
                labels,
                "floor equals target, so the scale is undefined",
                "set target above floor (benefit) or below floor (cost)",
                f,
            ),
        )
    if directions is not None:
        benefit = benefit_mask(directions, m, labels=labels)
        wrong = np.flatnonzero(benefit != (span > 0))
        if wrong.size:
            raise OptionError(
                "goalposts contradict the indicator directions",
                [
                    Problem(
                        f"direction is {'benefit' if benefit[j] else 'cost'} but "
                        f"floor={f[j]:g}, target={t[j]:g}",
                        fix="a benefit indicator needs target > floor, a cost indicator "
                        "target < floor",
                        column=column_name(int(j), labels),
                    )
                    for j in wrong
                ],
            )
    return f, span


def goalposts_kernel(
    src: NDArray[np.float64],
    dst: NDArray[np.float64],
    f: NDArray[np.float64],
    span: NDArray[np.float64],
    has_cost: bool,
    clip: bool,
) -> None:
    """``dst = clip((src - f) / span, 0, 1)`` on one block (flat with tiled vectors, or 2-D)."""
    np.subtract(src, f, out=dst)
    # Division, not multiplication by a reciprocal, so that x == target gives exactly 1. With a
    # subnormal span a value far beyond the target overflows to inf: it scores 1 once clipped.
    with np.errstate(over="ignore"):
        np.divide(dst, span, out=dst)
    if has_cost:
        # +0.0 turns the -0.0 of a cost indicator at its floor into 0.0.
        np.add(dst, 0.0, out=dst)
    if clip:
        # np.clip propagates NaN, so excluded cells stay excluded.
        np.clip(dst, 0.0, 1.0, out=dst)


def warn_constant(columns: NDArray[np.intp], labels: Sequence[str] | None, result: str) -> None:
    """Warn that ``columns`` are constant over the batch and say what they were given.

    Called directly by the public function whose caller the warning points at
    (``stacklevel=3``).
    """
    if columns.size:
        names = ", ".join(repr(column_name(int(j), labels)) for j in columns[:MAX_CELLS])
        warnings.warn(
            f"indicator(s) {names} are constant over the batch; {result}",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


#: Rows viewed as one when a C-order block is reduced per column (see :func:`column_reduce`).
_FOLD_ROWS = 32


def column_reduce(ufunc: np.ufunc, block: FloatMatrix) -> FloatArray:
    """Reduce the rows of a block per column, by folding rows together.

    ``ufunc.reduce(block, axis=0)`` on a C-ordered (r, M) block runs r short loops of length M.
    Viewing ``_FOLD_ROWS`` consecutive rows as one row of ``_FOLD_ROWS * M`` cells makes the
    loops that many times longer (and vectorised); the folded rows are reduced at the end.
    """
    r, m = block.shape
    if not block.flags.c_contiguous or r < 2 * _FOLD_ROWS:
        return np.asarray(ufunc.reduce(block, axis=0), dtype=np.float64)
    q = r - r % _FOLD_ROWS
    out = ufunc.reduce(
        ufunc.reduce(block[:q].reshape(-1, _FOLD_ROWS * m), axis=0).reshape(_FOLD_ROWS, m), axis=0
    )
    if q < r:
        ufunc(out, ufunc.reduce(block[q:], axis=0), out=out)
    return np.asarray(out, dtype=np.float64)


def column_sums(block: FloatMatrix) -> FloatArray:
    """Sum of each column of a 2-D block, as a product with a vector of ones (BLAS reads the
    block once; a reduction along axis 0 of a C-ordered block runs one short loop per row)."""
    return np.asarray(np.ones(block.shape[0]) @ block, dtype=np.float64)


def column_counts(mask: NDArray[np.bool_]) -> NDArray[np.float64]:
    """True cells per column of a 2-D block, as a float32 product with a vector of ones
    (exact below 2**24 rows; summing booleans along axis 0 runs one short loop per row)."""
    ones = np.ones(mask.shape[0], dtype=np.float32)
    return np.asarray(ones @ mask.astype(np.float32), dtype=np.float64)


def blocked_column_stats(
    X: FloatMatrix, labels: Sequence[str] | None, *, sumsq: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Column min, max (ignoring NaN) and optionally sum of squares, in one pass over X."""
    m = X.shape[1]
    lo = np.full(m, np.nan)
    hi = np.full(m, np.nan)
    sq = np.zeros(m)
    for rows in row_blocks(*X.shape):
        block = X[rows]
        np.fmin(lo, column_reduce(np.fmin, block), out=lo)
        np.fmax(hi, column_reduce(np.fmax, block), out=hi)
        if sumsq:
            part = np.einsum("ij,ij->j", block, block)
            if np.isnan(part).any():
                clean = np.where(np.isnan(block), 0.0, block)
                part = np.einsum("ij,ij->j", clean, clean)
            sq += part
    if np.isinf(lo).any() or np.isinf(hi).any():
        raise DataValidationError("X contains infinite values", inf_problems(X, labels))
    empty = np.flatnonzero(np.isnan(hi))
    if empty.size:
        raise DataValidationError(
            "an indicator has no value in any community",
            column_problems(
                empty, labels, "column is entirely missing", "drop the indicator or supply values"
            ),
        )
    return lo, hi, sq
