"""Normalisation of raw indicator values to comparable scores.

Every function takes a raw matrix ``X`` of shape ``(N, M)`` (rows = communities, columns =
indicators) and returns a new ``(N, M)`` float64 matrix. A NaN cell marks a value that is missing
or not applicable; it stays NaN in the output and is never turned into a number.

Two families are offered:

* **Goalposts** (:func:`goalposts`, the default of renoscore): every indicator is mapped from a
  fixed *floor* (score 0) to a fixed *target* (score 1). A community's score depends only on its
  own row, so scores of different batches and phases compare (OECD/JRC 2008, "distance to a
  reference"; UNDP 2010 goalposts of the Human Development Index).
* **Batch-relative** methods (:func:`minmax`, :func:`zscore`, :func:`vector`, :func:`sum_norm`,
  :func:`max_linear`): a community's score depends on which other communities are in the batch.
  They are explicit opt-ins, mainly for TOPSIS-style ranking of one batch.

``directions`` is either a sequence of ``"benefit"`` / ``"cost"`` strings or a boolean array with
``True`` for benefit (higher is better). :func:`benefit_mask` converts either form.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 1.5 (normalisation).
UNDP (2010). *Human Development Report 2010*, Technical note 1 (goalposts, dimension indices).
Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and Applications*.
    Springer, Berlin. Section 2.2 (vector and linear scale transformations).
Jahan, A. & Edwards, K. L. (2015). A state-of-the-art survey on the influence of normalization
    techniques in ranking: improving the materials selection process in engineering design.
    *Materials & Design* 65, 335-342.
Vafaei, N., Ribeiro, R. A. & Camarinha-Matos, L. M. (2016). Normalization techniques for
    multi-criteria decision making: analytical hierarchy process case study. *DoCEIS 2016*,
    IFIP AICT 470, 261-269.
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
    "Directions",
    "benefit_mask",
    "goalposts",
    "max_linear",
    "minmax",
    "sum_norm",
    "vector",
    "zscore",
]

#: Direction of every indicator: ``"benefit"``/``"cost"`` strings or booleans (True = benefit).
Directions: TypeAlias = Sequence[str] | Sequence[bool] | NDArray[np.bool_]

FloatMatrix: TypeAlias = NDArray[np.float64]

#: Elements per row block in the blocked kernels. 2**16 float64 = 512 KiB, which stays in L2 on
#: the machines we target, so each block is read from main memory once however many numpy
#: operations touch it.
_BLOCK_ELEMENTS = 1 << 16

#: How many offending cells an error lists before summarising (the error itself caps at 50).
_MAX_CELLS = 20


# ----------------------------------------------------------------------------------------------
# shared helpers (also used by renoscore.aggregate)
# ----------------------------------------------------------------------------------------------


def _column_name(j: int, labels: Sequence[str] | None) -> str:
    return str(labels[j]) if labels is not None and j < len(labels) else f"#{j}"


def _as_matrix(X: ArrayLike, name: str = "X") -> FloatMatrix:
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


def _row_blocks(n_rows: int, n_cols: int) -> Iterator[slice]:
    """Slices of consecutive rows holding about ``_BLOCK_ELEMENTS`` cells each."""
    step = max(1, _BLOCK_ELEMENTS // max(1, n_cols))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _flat_blocks(
    src: FloatMatrix, dst: FloatMatrix, *vectors: NDArray[np.float64]
) -> Iterator[tuple[NDArray[np.float64], ...]]:
    """Cache-sized blocks of ``src`` and ``dst`` with per-column vectors tiled to match.

    When both matrices are C-contiguous the blocks are flat 1-D views and each vector is tiled
    along the block, so every numpy operation runs as one long contiguous loop instead of one
    short loop of length M per row (which costs more than the arithmetic for M around 40).
    Otherwise the blocks are 2-D row slices and the vectors broadcast.
    """
    n, m = src.shape
    step = max(1, min(n, _BLOCK_ELEMENTS // max(1, m)))  # tiles no longer than the data
    if src.flags.c_contiguous and dst.flags.c_contiguous and m > 0:
        tiles = [np.tile(v, step) for v in vectors]
        flat_src, flat_dst = src.reshape(-1), dst.reshape(-1)
        size = step * m
        for start in range(0, flat_src.size, size):
            stop = min(start + size, flat_src.size)
            k = stop - start
            yield (flat_src[start:stop], flat_dst[start:stop], *(t[:k] for t in tiles))
    else:
        for rows in _row_blocks(n, m):
            yield (src[rows], dst[rows], *vectors)


def _inf_problems(X: FloatMatrix, labels: Sequence[str] | None) -> list[Problem]:
    """Locate infinite cells (slow path, only run once an infinity is known to exist)."""
    rows, cols = np.nonzero(np.isinf(X))
    problems = [
        Problem(
            "value is infinite",
            fix="use NaN for a missing value, or a finite number",
            row=int(i) + 1,
            column=_column_name(int(j), labels),
            value=float(X[i, j]),
        )
        for i, j in zip(rows[:_MAX_CELLS], cols[:_MAX_CELLS], strict=True)
    ]
    if rows.size > _MAX_CELLS:
        problems.append(Problem(f"... and {rows.size - _MAX_CELLS} more infinite cells"))
    return problems


def _check_no_inf(X: FloatMatrix, labels: Sequence[str] | None, name: str = "X") -> None:
    """Raise :class:`DataValidationError` if ``X`` holds +-inf (NaN is allowed)."""
    for rows in _row_blocks(X.shape[0], X.shape[1]):
        if np.isinf(X[rows]).any():
            raise DataValidationError(f"{name} contains infinite values", _inf_problems(X, labels))


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
                            column=_column_name(j, labels),
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


def _column_vector(
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
            [
                Problem(
                    f"{name} is not finite",
                    fix="give a finite number",
                    column=_column_name(int(j), labels),
                    value=float(arr[j]),
                )
                for j in bad
            ],
        )
    return arr


def _warn_constant(columns: NDArray[np.intp], labels: Sequence[str] | None, result: str) -> None:
    if columns.size:
        names = ", ".join(repr(_column_name(int(j), labels)) for j in columns[:_MAX_CELLS])
        warnings.warn(
            f"indicator(s) {names} are constant over the batch; {result}",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


def _nan_colmin(X: FloatMatrix) -> NDArray[np.float64]:
    # fmin ignores NaN (unless a whole column is NaN) and allocates only the (M,) result.
    return np.asarray(np.fmin.reduce(X, axis=0), dtype=np.float64)


def _nan_colmax(X: FloatMatrix) -> NDArray[np.float64]:
    return np.asarray(np.fmax.reduce(X, axis=0), dtype=np.float64)


def _nan_colsum(X: FloatMatrix, *, squared: bool = False) -> NDArray[np.float64]:
    """Column sums ignoring NaN, computed block by block (no full-size temporary)."""
    total = np.zeros(X.shape[1])
    for rows in _row_blocks(X.shape[0], X.shape[1]):
        block = X[rows]
        clean = np.where(np.isnan(block), 0.0, block)
        total += np.einsum("ij,ij->j", clean, clean) if squared else clean.sum(axis=0)
    return total


# ----------------------------------------------------------------------------------------------
# goalposts (the default)
# ----------------------------------------------------------------------------------------------


def goalposts(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    clip: bool = True,
    *,
    directions: Directions | None = None,
    labels: Sequence[str] | None = None,
    out: FloatMatrix | None = None,
) -> FloatMatrix:
    r"""Score indicators against fixed goalposts: floor scores 0, target scores 1.

    .. math:: s_{ij} = \operatorname{clip}\!\left(\frac{x_{ij} - f_j}{t_j - f_j},\ 0,\ 1\right)

    (OECD/JRC 2008, "distance to a reference"; UNDP 2010, dimension index
    ``(actual - minimum) / (maximum - minimum)`` with fixed goalposts).

    **Direction is encoded by the goalposts.** A benefit indicator has ``target > floor``; a cost
    indicator has ``floor > target`` (e.g. a walking distance with floor 1500 m and target
    300 m), and the same formula then reverses it: 300 m scores 1, 1500 m scores 0, 900 m scores
    0.5. Binary indicators use floor 0, target 1; an ordinal level uses the same formula, e.g.
    levels 1-8 with floor 2 and target 6 give ``(level - 2) / 4`` clipped.

    A community's score depends only on its own row, never on the other rows of the batch.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw indicator values; NaN marks a missing or not-applicable cell and stays NaN.
    floor, target : float or array_like, shape (M,)
        The goalposts per indicator. ``floor == target`` is an error.
    clip : bool, default True
        Cap scores to [0, 1] (values beyond the target earn no extra credit).
    directions : sequence of str or array of bool, optional
        If given, checked against the goalposts: a benefit indicator must have
        ``target > floor`` and a cost indicator ``target < floor``.
    labels : sequence of str, optional
        Indicator ids, used in error messages.
    out : ndarray, shape (N, M), float64, optional
        Where to write the result (may be ``X`` itself for an in-place update).

    Returns
    -------
    ndarray, shape (N, M), float64

    Raises
    ------
    OptionError
        Goalposts of the wrong shape, not finite, equal (``floor == target``), or contradicting
        ``directions``; every bad column is listed.
    DataValidationError
        ``X`` is not a numeric 2-D matrix or holds an infinite value.

    Notes
    -----
    The computation runs over blocks of rows that fit in cache: the input is read once and the
    output written once, with no temporary of the input's size.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.5, Table 3.
    UNDP (2010), *Human Development Report 2010*, Technical note 1.

    Examples
    --------
    >>> X = [[0.5, 900.0], [1.0, 300.0], [0.2, 2000.0]]
    >>> goalposts(X, floor=[0.0, 1500.0], target=[1.0, 300.0])
    array([[0.5, 0.5],
           [1. , 1. ],
           [0.2, 0. ]])
    """
    arr = _as_matrix(X)
    n, m = arr.shape
    f, span = _goalpost_vectors(floor, target, m, labels, directions)
    if out is None:
        out = np.empty((n, m), dtype=np.float64, order=_order_of(arr))
    elif out.shape != (n, m) or out.dtype != np.float64:
        raise OptionError(
            "out has the wrong shape or dtype",
            [Problem(f"out is {out.dtype}{out.shape}, expected float64({n}, {m})")],
        )
    has_cost = bool((span < 0).any())
    for src, dst, f_t, s_t in _flat_blocks(arr, out, f, span):
        _goalposts_kernel(src, dst, f_t, s_t, has_cost, clip=False)
        if _has_inf(src):  # the input, not the scores: a subnormal span may overflow those
            raise DataValidationError("X contains infinite values", _inf_problems(arr, labels))
        if clip:
            # np.clip propagates NaN, so excluded cells stay excluded.
            np.clip(dst, 0.0, 1.0, out=dst)
    return out


def _order_of(arr: NDArray[np.float64]) -> Literal["C", "F"]:
    """ "F" for a column-major array, else "C": outputs follow their input's memory order."""
    return "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"


def _goalpost_vectors(
    floor: ArrayLike,
    target: ArrayLike,
    m: int,
    labels: Sequence[str] | None,
    directions: Directions | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Checked ``(floor, target - floor)`` vectors of length ``m`` (see :func:`goalposts`)."""
    f = _column_vector(floor, m, "floor", labels)
    t = _column_vector(target, m, "target", labels)
    span = t - f
    equal = np.flatnonzero(span == 0)
    if equal.size:
        raise OptionError(
            "floor and target must differ",
            [
                Problem(
                    "floor equals target, so the scale is undefined",
                    fix="set target above floor (benefit) or below floor (cost)",
                    column=_column_name(int(j), labels),
                    value=float(f[j]),
                )
                for j in equal
            ],
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
                        column=_column_name(int(j), labels),
                    )
                    for j in wrong
                ],
            )
    return f, span


def _goalposts_kernel(
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


def _has_inf(block: NDArray[np.float64]) -> bool:
    """Whether a block holds +-inf (NaN allowed): one sum, and a search only if it is not finite.

    The sum of a block is finite unless the block holds NaN or an infinity (or its values
    overflow when added, which the search then clears).
    """
    if np.isfinite(np.add.reduce(block, axis=None)):
        return False
    return bool(np.isinf(block).any())


# ----------------------------------------------------------------------------------------------
# batch-relative methods (explicit opt-in)
# ----------------------------------------------------------------------------------------------


def _prepare(
    X: ArrayLike, directions: Directions, labels: Sequence[str] | None
) -> tuple[FloatMatrix, NDArray[np.bool_]]:
    arr = _as_matrix(X)
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
        raise DataValidationError(
            summary,
            [
                Problem(
                    reason, fix=fix, column=_column_name(int(j), labels), value=float(lowest[j])
                )
                for j in columns
            ],
        )


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
    directions : sequence of str or array of bool
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64, in [0, 1]

    Raises
    ------
    DataValidationError, OptionError

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
    _warn_constant(np.flatnonzero(constant), labels, "min-max scores them 1.0")
    # A column spanning more than the float range (max - min overflows) is worked in halves:
    # halving is exact, and (x/2 - lo/2) / (hi/2 - lo/2) is the same ratio.
    halve = np.isinf(span) & np.isfinite(lo) & np.isfinite(hi)
    pre = np.where(halve, 0.5, 1.0)
    span = np.where(halve, hi * 0.5 - lo * 0.5, span)
    # Benefit: (x - lo) / span; cost: (hi - x) / span = (x - hi) / (-span).
    origin = np.where(benefit, lo, hi) * pre
    scale = np.where(constant, 1.0, np.where(benefit, span, -span))
    out = np.empty_like(arr)
    for rows in _row_blocks(*arr.shape):
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
    directions : sequence of str or array of bool
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64

    Raises
    ------
    DataValidationError, OptionError

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
    count = np.zeros(arr.shape[1])
    for rows in _row_blocks(*arr.shape):
        count += (~np.isnan(arr[rows])).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = _nan_colsum(arr) / count
        total_sq = np.zeros(arr.shape[1])
        for rows in _row_blocks(*arr.shape):
            dev = arr[rows] - mean
            dev[np.isnan(dev)] = 0.0
            total_sq += np.einsum("ij,ij->j", dev, dev)
        std = np.sqrt(total_sq / count)
    constant = (std == 0) | ((count > 0) & ~np.isfinite(std))
    _warn_constant(np.flatnonzero(constant), labels, "their z-score is 0")
    scale = np.where(constant, 1.0, np.where(benefit, std, -std))
    out = np.empty_like(arr)
    for rows in _row_blocks(*arr.shape):
        block = out[rows]
        np.subtract(arr[rows], mean, out=block)
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
    directions : sequence of str or array of bool
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64

    Raises
    ------
    DataValidationError, OptionError

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making*, section 2.2.1.
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342.

    Examples
    --------
    >>> vector([[3.0, 3.0], [4.0, 4.0]], ["benefit", "cost"])
    array([[0.6, 0.4],
           [0.8, 0.2]])
    """
    arr, benefit = _prepare(X, directions, labels)
    norm = np.sqrt(_nan_colsum(arr, squared=True))
    zero = norm == 0
    _warn_constant(np.flatnonzero(zero), labels, "their vector-normalised value is 0")
    scale = np.where(zero, 1.0, norm)
    out = np.empty_like(arr)
    for rows in _row_blocks(*arr.shape):
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
    directions : sequence of str or array of bool
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64

    Raises
    ------
    DataValidationError
        Negative values, or a zero in a cost column.
    OptionError

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
    for rows in _row_blocks(*arr.shape):
        block = arr[rows]
        present = ~np.isnan(block)
        count += present.sum(axis=0)
        with np.errstate(divide="ignore"):
            values = np.where(cost, 1.0 / block, block)
        total += np.where(present, values, 0.0).sum(axis=0)
    zero = total == 0
    _warn_constant(np.flatnonzero(zero), labels, "each community gets an equal share")
    out = np.empty_like(arr)
    for rows in _row_blocks(*arr.shape):
        block = out[rows]
        with np.errstate(divide="ignore"):
            np.divide(1.0, arr[rows], out=block, where=cost)
        np.copyto(block, arr[rows], where=benefit)
        np.divide(block, np.where(zero, 1.0, total), out=block)
        if zero.any():
            block[:, zero] += 1.0 / np.maximum(count[zero], 1.0)
    return out


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
    directions : sequence of str or array of bool
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N, M), float64, in [0, 1]

    Raises
    ------
    DataValidationError
        Negative values, or a zero in a cost column.
    OptionError

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making*, section 2.2.1.
    Jahan, A. & Edwards, K. L. (2015), *Materials & Design* 65, 335-342.

    Examples
    --------
    >>> max_linear([[2.0, 2.0], [4.0, 4.0]], ["benefit", "cost"])
    array([[0.5, 1. ],
           [1. , 0.5]])
    """
    arr, benefit = _prepare(X, directions, labels)
    _require_nonnegative(arr, np.ones(arr.shape[1], dtype=np.bool_), labels, "linear-max")
    _require_positive_cost(arr, benefit, labels, "linear-max")
    hi, lo = _nan_colmax(arr), _nan_colmin(arr)
    zero = benefit & (hi == 0)
    _warn_constant(np.flatnonzero(zero), labels, "their linear-max value is 0")
    cost = ~benefit
    denom = np.where(zero, 1.0, hi)
    out = np.empty_like(arr)
    for rows in _row_blocks(*arr.shape):
        block = out[rows]
        np.divide(arr[rows], denom, out=block, where=benefit)
        np.divide(lo, arr[rows], out=block, where=cost)
    return out
