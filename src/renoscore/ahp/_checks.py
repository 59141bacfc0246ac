"""Validation of judgement matrices and of the options every AHP function shares.

A judgement matrix must be square, finite, strictly positive, have a unit diagonal and be
reciprocal within a relative tolerance; a tolerated matrix is then made exactly reciprocal by the
symmetric repair ``a'_ij = sqrt(a_ij / a_ji)``. Every bad entry of a stack is reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import JudgementError, OptionError, Problem

__all__ = ["DEFAULT_RTOL", "PRIORITY_METHODS", "validate_judgements"]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
PriorityMethod: TypeAlias = Literal["eigenvector", "geometric_mean", "normalized_columns"]

#: Default relative tolerance of the reciprocity check ``|a_ij * a_ji - 1| <= rtol``. Reciprocals
#: typed with three decimals (0.333, 0.143, 0.111) pass; two decimals for 1/6 to 1/8
#: (0.17, 0.14, 0.13) do not, because they are off by 2-4 %.
DEFAULT_RTOL = 1e-2

#: The names accepted by ``method`` in :func:`priorities` and :func:`consistency`.
PRIORITY_METHODS: tuple[str, ...] = ("eigenvector", "geometric_mean", "normalized_columns")

# Caps on how many problems an error collects (the rest are summarised), so that a stack of
# 100,000 broken matrices still fails fast.
_MAX_PROBLEMS = 2000


def _where(
    index: tuple[int, ...], i: int, j: int | None, labels: Sequence[str] | None, batched: bool
) -> str:
    parts = [f"matrix {index}"] if batched else []
    if j is None:
        name = f" ({labels[i]!r})" if labels is not None else ""
        parts.append(f"row {i}{name}")
    else:
        pair = f"pair ({i}, {j})"
        if labels is not None:
            pair += f" {labels[i]!r} vs {labels[j]!r}"
        parts.append(pair)
    return ", ".join(parts)


def _as_float(A: ArrayLike, what: str) -> FloatArray:
    try:
        arr = np.asarray(A, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise JudgementError(
            f"{what} is not numeric",
            [Problem(str(exc), fix="pass numbers (use float('nan') for a missing judgement)")],
        ) from None
    return arr


def _check_labels(labels: Sequence[str] | None, n: int) -> tuple[str, ...] | None:
    if labels is None:
        return None
    out = tuple(str(x) for x in labels)
    if len(out) != n:
        raise OptionError(
            "labels do not match the matrix order",
            [Problem(f"{len(out)} labels for {n} criteria", value=out, fix=f"give {n} labels")],
        )
    return out


def _check_rtol(rtol: float) -> float:
    if not (isinstance(rtol, int | float) and math.isfinite(rtol) and 0.0 <= rtol < 1.0):
        raise OptionError(
            "invalid rtol",
            [Problem("rtol must be a number in [0, 1)", value=rtol, fix="e.g. 1e-2")],
        )
    return float(rtol)


def _validate(
    A: ArrayLike,
    labels: Sequence[str] | None,
    rtol: float,
    allow_missing: bool,
    min_ndim: int = 2,
    what: str = "judgement matrix",
) -> tuple[FloatArray, float]:
    """Validate; return the float array and the largest reciprocity deviation found."""
    arr = _as_float(A, what)
    rtol = _check_rtol(rtol)
    if arr.ndim < min_ndim or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        want = "(m, n, n)" if min_ndim == 3 else "(n, n) or (..., n, n)"
        raise JudgementError(
            f"{what} has the wrong shape",
            [
                Problem(
                    f"shape {arr.shape} is not {want} with n >= 1",
                    fix="pass square matrices, one row per criterion",
                )
            ],
        )
    n = arr.shape[-1]
    lab = _check_labels(labels, n)
    if not allow_missing and arr.size:
        # Quick accept, three reductions: every entry positive and every product a_ij a_ji
        # (the diagonal's a_ii^2 among them) within rtol of 1. NaN and infinities fail it, and
        # so does a diagonal that passes |a_ii - 1| <= rtol only narrowly; those take the
        # checks below, which also build the report.
        with np.errstate(invalid="ignore", over="ignore"):
            prod = arr * np.swapaxes(arr, -1, -2)
            dev = max(float(prod.max()) - 1.0, 1.0 - float(prod.min()))
        if dev <= rtol and float(arr.min()) > 0.0:
            return arr, dev
    # One pass per property; the detailed report is built only when something fails.
    nan = np.isnan(arr)
    any_nan = bool(nan.any())
    ok = not any_nan or allow_missing
    ok = ok and not bool(np.isinf(arr).any())
    ok = ok and not bool((arr <= 0).any())
    diag = np.diagonal(arr, axis1=-2, axis2=-1)
    ok = ok and bool(np.all(np.abs(diag - 1.0) <= rtol))
    dev = 0.0
    if ok and arr.size:
        prod = arr * np.swapaxes(arr, -1, -2)
        np.subtract(prod, 1.0, out=prod)
        np.abs(prod, out=prod)
        dev = float(np.nanmax(prod)) if any_nan else float(prod.max())
        if math.isnan(dev):
            dev = 0.0
        ok = dev <= rtol
    if any_nan and allow_missing:
        ok = ok and not bool(np.any(np.diagonal(nan, axis1=-2, axis2=-1)))
        ok = ok and not bool(np.any(nan != np.swapaxes(nan, -1, -2)))
    if ok:
        return arr, dev
    raise _judgement_error(arr, lab, rtol, allow_missing, what)


def _judgement_error(
    arr: FloatArray,
    labels: tuple[str, ...] | None,
    rtol: float,
    allow_missing: bool,
    what: str,
) -> JudgementError:
    n = arr.shape[-1]
    batched = arr.ndim > 2
    nan = np.isnan(arr)
    eye = np.eye(n, dtype=bool)
    problems: list[Problem] = []
    total = 0

    def add(mask: BoolArray, make: Callable[[tuple[int, ...], int, int], Problem]) -> None:
        nonlocal total
        hits = np.argwhere(mask)
        total += len(hits)
        for hit in hits[: max(0, _MAX_PROBLEMS - len(problems))]:
            idx = tuple(int(x) for x in hit[:-2])
            i, j = int(hit[-2]), int(hit[-1])
            problems.append(make(idx, i, j))

    def val(idx: tuple[int, ...], i: int, j: int) -> float:
        return float(arr[(*idx, i, j)])

    if allow_missing:
        bad_nan = nan & eye
        one_sided = nan & ~np.swapaxes(nan, -1, -2) & ~eye
    else:
        bad_nan = nan
        one_sided = np.zeros_like(nan)
    add(
        bad_nan,
        lambda idx, i, j: Problem(
            "a judgement is NaN"
            + (
                " on the diagonal"
                if i == j
                else " (missing judgements are allowed only in complete())"
            ),
            fix="enter 1 on the diagonal"
            if i == j
            else "enter the judgement, or run complete() first",
            path=_where(idx, i, j, labels, batched),
            value=val(idx, i, j),
        ),
    )
    add(
        one_sided,
        lambda idx, i, j: Problem(
            f"a[{i}, {j}] is missing but a[{j}, {i}] is given",
            fix=f"mark a missing pair with NaN in both cells, or set a[{i}, {j}] = 1/a[{j}, {i}]",
            path=_where(idx, i, j, labels, batched),
            value=(val(idx, i, j), val(idx, j, i)),
        ),
    )
    add(
        np.isinf(arr),
        lambda idx, i, j: Problem(
            "a judgement is infinite",
            fix="use a finite ratio, normally 1/9 ... 9 (Saaty scale)",
            path=_where(idx, i, j, labels, batched),
            value=val(idx, i, j),
        ),
    )
    add(
        arr <= 0,
        lambda idx, i, j: Problem(
            "a judgement must be strictly positive",
            fix="use a ratio on Saaty's scale 1/9 ... 9 (1 = equal importance)",
            path=_where(idx, i, j, labels, batched),
            value=val(idx, i, j),
        ),
    )
    good = np.isfinite(arr) & (arr > 0)
    add(
        eye & good & (np.abs(arr - 1.0) > rtol),
        lambda idx, i, j: Problem(
            "the diagonal must be 1 (a criterion is equally important as itself)",
            fix=f"set a[{i}, {i}] = 1",
            path=_where(idx, i, None, labels, batched),
            value=val(idx, i, j),
        ),
    )
    with np.errstate(invalid="ignore"):
        prod = arr * np.swapaxes(arr, -1, -2)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    pair_ok = good & np.swapaxes(good, -1, -2)
    add(
        upper & pair_ok & (np.abs(prod - 1.0) > rtol),
        lambda idx, i, j: Problem(
            f"not reciprocal: a[{i}, {j}] * a[{j}, {i}] = {val(idx, i, j) * val(idx, j, i):.4g}, "
            f"off 1 by more than rtol={rtol:g}",
            fix=f"set a[{j}, {i}] = 1/a[{i}, {j}] = {1.0 / val(idx, i, j):.4g} "
            "(enter the fraction, or at least 3 decimals)",
            path=_where(idx, i, j, labels, batched),
            value=(val(idx, i, j), val(idx, j, i)),
        ),
    )
    if total > len(problems):
        problems.append(Problem(f"... and {total - len(problems)} more problems of the same kinds"))
    return JudgementError(f"invalid {what}", problems)


def validate_judgements(
    A: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    allow_missing: bool = False,
) -> FloatArray:
    """Check pairwise-comparison matrices and report every bad entry at once.

    A judgement matrix must be square, finite, strictly positive, have a unit diagonal and be
    reciprocal, ``a_ji = 1 / a_ij`` (Saaty, 1977). Reciprocity is checked with a relative
    tolerance, ``|a_ij * a_ji - 1| <= rtol`` (and ``|a_ii - 1| <= rtol``), so that reciprocals
    typed with three decimals (0.333, 0.143, 0.111; error <= 0.5 %) pass with the default
    ``rtol = 1e-2``, while two-decimal ones for 1/6 ... 1/8 (0.17, 0.14, 0.13; 2-4 % off) are
    reported with the exact fraction to enter.

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        One matrix or a stack.
    labels : sequence of str, optional
        Criterion names, used in the messages.
    rtol : float, default 1e-2
        Relative tolerance of the reciprocity and diagonal checks.
    allow_missing : bool, default False
        Accept NaN as a missing judgement (only :func:`complete` does). A missing pair must be
        NaN in both cells; the diagonal may not be missing.

    Returns
    -------
    ndarray of float64
        ``A`` as a float array, unchanged.

    Raises
    ------
    JudgementError
        Listing every bad entry with its matrix index in the batch, the pair ``(i, j)``, the
        labels, the values and the fix.
    OptionError
        If ``labels`` or ``rtol`` are invalid.

    Examples
    --------
    >>> validate_judgements([[1, 3], [0.333, 1]]).shape
    (2, 2)
    >>> try:
    ...     validate_judgements([[1, 6], [0.17, 1]], labels=["F", "S"])
    ... except JudgementError as err:
    ...     print(err.problems[0].path)
    pair (0, 1) 'F' vs 'S'
    """
    arr, _ = _validate(A, labels, rtol, allow_missing)
    return arr


def _reciprocal(arr: FloatArray, dev: float) -> FloatArray:
    """Exactly reciprocal version of a validated matrix stack: a'_ij = sqrt(a_ij / a_ji)."""
    if dev <= 8.0 * np.finfo(np.float64).eps:
        # Already reciprocal to rounding; the repair would change nothing but the last bit.
        return arr
    with np.errstate(invalid="ignore"):
        out = np.sqrt(arr / np.swapaxes(arr, -1, -2))
    return out


def _prepare(
    A: ArrayLike, labels: Sequence[str] | None, rtol: float
) -> tuple[FloatArray, tuple[int, ...], int]:
    """Validate and repair; return the flat (B, n, n) stack, the batch shape and n."""
    arr, dev = _validate(A, labels, rtol, allow_missing=False)
    rec = _reciprocal(arr, dev)
    n = arr.shape[-1]
    return rec.reshape(-1, n, n), arr.shape[:-2], n


def _check_method(method: str) -> str:
    if method not in PRIORITY_METHODS:
        raise OptionError(
            "unknown prioritisation method",
            [
                Problem(
                    f"{method!r} is not a method",
                    value=method,
                    fix=f"use one of {PRIORITY_METHODS}",
                )
            ],
        )
    return method
