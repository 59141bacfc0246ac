"""Batched AHP numeric core: priorities, consistency, completion, repair hints and group aggregation.

Every public function takes one pairwise-comparison (judgement) matrix of shape ``(n, n)`` or a
stack of shape ``(..., n, n)`` and returns stacked results; nothing loops over the matrices of a
stack in Python. Any ``n >= 1`` goes through the same code path.

Conventions
-----------
``a[i, j]`` says how many times criterion ``i`` is more important than criterion ``j`` on Saaty's
1-9 scale (Saaty, 1977, 1980), so a judgement matrix is positive with a unit diagonal and
reciprocal, ``a[j, i] = 1 / a[i, j]``. :func:`validate_judgements` accepts reciprocals within a
relative tolerance (``|a_ij a_ji - 1| <= rtol``, default ``1e-2``) so that ``0.333`` for 1/3 and
``0.143`` for 1/7 pass; before any computation a tolerated matrix is made exactly reciprocal by the
symmetric repair ``a'_ij = sqrt(a_ij / a_ji)`` (the geometric mean of ``a_ij`` and ``1 / a_ji``),
which does not depend on the order of the criteria.

References
----------
Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal of
Mathematical Psychology 27(1), 93-102.
Aguarón, J. & Moreno-Jiménez, J. M. (2003). The geometric consistency index: approximated
thresholds. European Journal of Operational Research 147(1), 137-145.
Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic hierarchy process: a new
approach. International Journal of Uncertainty, Fuzziness and Knowledge-Based Systems 14(4),
445-459.
Barzilai, J. & Golany, B. (1994). AHP rank reversal, normalization and aggregation rules. INFOR
32(2), 57-64.
Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of incomplete pairwise comparison
matrices. Mathematical and Computer Modelling 52(1-2), 318-333.
Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment matrices.
Journal of Mathematical Psychology 29(4), 387-405.
Donegan, H. A. & Dodd, F. J. (1991). A note on Saaty's random indexes. Mathematical and Computer
Modelling 15(10), 135-137.
Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
analytic hierarchy process. European Journal of Operational Research 108(1), 165-169.
Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process.
Mathematical Modelling 9(3-5), 353-360.
Kwiesielewicz, M. (1996). The logarithmic least squares and the generalized pseudoinverse in
estimating ratios. European Journal of Operational Research 93(3), 611-619.
Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures. Journal of
Mathematical Psychology 15(3), 234-281.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
Saaty, T. L. (1994). How to make a decision: the analytic hierarchy process. Interfaces 24(6),
19-43.
Saaty, T. L. (2003). Decision-making with the AHP: why is the principal eigenvector necessary.
European Journal of Operational Research 145(1), 85-91.
Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. RWS Publications,
Pittsburgh.
Tummala, V. M. R. & Ling, H. (1998). A note on the computation of the mean random consistency
index of the analytic hierarchy process (AHP). Theory and Decision 44(3), 221-230.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import (
    InconsistencyWarning,
    JudgementError,
    OptionError,
    Problem,
    RenoscoreWarning,
    WeightsError,
)

__all__ = [
    "DEFAULT_RI_TABLE",
    "DEFAULT_RTOL",
    "PRIORITY_METHODS",
    "RI_TABLES",
    "SAATY_SCALE",
    "Consistency",
    "GroupAggregate",
    "InconsistentJudgement",
    "aggregate_groups",
    "aggregate_judgements",
    "aggregate_priorities",
    "complete",
    "consistency",
    "most_inconsistent",
    "priorities",
    "random_index",
    "validate_judgements",
]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
PriorityMethod: TypeAlias = Literal["eigenvector", "geometric_mean", "normalized_columns"]
CompletionMethod: TypeAlias = Literal["optimal", "harker", "llsm"]

#: Default relative tolerance of the reciprocity check ``|a_ij * a_ji - 1| <= rtol``. Reciprocals
#: typed with three decimals (0.333, 0.143, 0.111) pass; two decimals for 1/6 to 1/8
#: (0.17, 0.14, 0.13) do not, because they are off by 2-4 %.
DEFAULT_RTOL = 1e-2

#: Default random-index table (see :func:`random_index` for the reasons).
DEFAULT_RI_TABLE = "saaty1980"

#: The names accepted by ``method`` in :func:`priorities` and :func:`consistency`.
PRIORITY_METHODS: tuple[str, ...] = ("eigenvector", "geometric_mean", "normalized_columns")

#: Saaty's fundamental scale and its reciprocals, 1/9 ... 9 (Saaty, 1980, Table 1.1).
SAATY_SCALE: tuple[float, ...] = tuple(
    [1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
)

# Random-index tables, n -> RI. n = 1, 2 are always 0 (a 1x1 or 2x2 reciprocal matrix is consistent).
_SAATY1980 = {
    3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
    11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}  # fmt: skip
_SAATY2005 = {
    3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49,
    11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59,
}  # fmt: skip
_ALONSO_LAMATA2006 = {
    3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417, 8: 1.4056, 9: 1.4499,
    10: 1.4854, 11: 1.5141, 12: 1.5365, 13: 1.5551, 14: 1.5713, 15: 1.5838,
}  # fmt: skip
_DONEGAN_DODD1991 = {
    3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733,
    10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969, 16: 1.5078,
    17: 1.5153, 18: 1.5262, 19: 1.5313, 20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976,
    50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339,
}  # fmt: skip

_TUMMALA_LING1998 = {
    3: 0.5799, 4: 0.8921, 5: 1.1159, 6: 1.2358, 7: 1.3322, 8: 1.3952, 9: 1.4537, 10: 1.4882,
    11: 1.5117, 12: 1.5356, 13: 1.5571, 14: 1.5714, 15: 1.5831,
}  # fmt: skip

#: The named random-index tables, ``name -> {n: RI}`` (read-only). See :func:`random_index`.
RI_TABLES: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        "saaty1980": MappingProxyType(_SAATY1980),
        "saaty2005": MappingProxyType(_SAATY2005),
        "alonso_lamata2006": MappingProxyType(_ALONSO_LAMATA2006),
        "donegan_dodd1991": MappingProxyType(_DONEGAN_DODD1991),
        "tummala_ling1998": MappingProxyType(_TUMMALA_LING1998),
    }
)

# Saaty's n-dependent CR thresholds (Saaty, 1994, p. 30): 5 % for n = 3, 8 % for n = 4, 10 % above.
_SAATY_THRESHOLDS = {3: 0.05, 4: 0.08}
# Aguarón & Moreno-Jiménez (2003) GCI thresholds, equivalent to CR 0.05 / 0.08 / 0.10.
_GCI_THRESHOLDS = {3: 0.31, 4: 0.35}
_GCI_THRESHOLD_LARGE = 0.37

# Caps on how many problems an error collects (the rest are summarised), so that a stack of
# 100,000 broken matrices still fails fast.
_MAX_PROBLEMS = 2000

# Perron iteration: squarings without a convergence check, the most squarings before falling back
# to numpy.linalg.eig, the change between two squarings below which the eigenvector is accepted
# (the error after the accepting squaring is about the square of this), and the residual a
# returned eigenpair must meet.
_PERRON_WARMUP = 4
_PERRON_MAX_SQUARINGS = 48
_PERRON_STEP_TOL = 1e-9
_PERRON_RESIDUAL_TOL = 1e-10
# Relative band in which lambda_max is treated as flat by the optimal completion.
_FLAT_BAND = 1e-12
# Matrices per chunk in the Perron core: small enough that a chunk stays in cache.
_CHUNK_ELEMENTS = 1 << 18


# ----------------------------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Consistency:
    """Consistency of one judgement matrix or a stack, as returned by :func:`consistency`.

    Every array has the batch shape of the input (``()`` for one matrix).

    Attributes
    ----------
    lambda_max : ndarray
        Principal eigenvalue (``method="eigenvector"``), or its estimate
        ``mean_i (A w)_i / w_i`` from the priorities of the other methods (Saaty, 1980).
    ci : ndarray
        Consistency index ``CI = (lambda_max - n) / (n - 1)`` (Saaty, 1977); 0 for ``n <= 2``.
    cr : ndarray
        Consistency ratio ``CR = CI / RI(n)`` (Saaty, 1977); 0 for ``n <= 2``.
    gci : ndarray
        Geometric consistency index (Crawford & Williams, 1985; Aguarón & Moreno-Jiménez, 2003),
        ``GCI = 2 / ((n - 1)(n - 2)) * sum_{i<j} ln^2(a_ij w_j / w_i)`` with row-geometric-mean
        priorities ``w``; 0 for ``n <= 2``.
    ri : ndarray
        The random index used for each matrix.
    ri_table : str
        Name of the RI table (``"custom"`` for a user mapping).
    threshold : float
        The CR threshold applied.
    acceptable : ndarray of bool
        ``cr < threshold``.
    gci_threshold : float
        Aguarón & Moreno-Jiménez (2003) threshold: 0.31 (n = 3), 0.35 (n = 4), 0.37 (n > 4).
    gci_acceptable : ndarray of bool
        ``gci <= gci_threshold``.
    priorities : ndarray
        The priority vectors of ``method``, shape ``(..., n)``.
    method : str
        The prioritisation method.
    n : int
        Matrix order.
    """

    lambda_max: FloatArray
    ci: FloatArray
    cr: FloatArray
    gci: FloatArray
    ri: FloatArray
    ri_table: str
    threshold: float
    acceptable: BoolArray
    gci_threshold: float
    gci_acceptable: BoolArray
    priorities: FloatArray
    method: str
    n: int


@dataclass(frozen=True)
class InconsistentJudgement:
    """One judgement far from consistency, with the value that would make it consistent.

    Attributes
    ----------
    matrix_index : tuple of int
        Index of the matrix in the batch (``()`` for a single matrix).
    i, j : int
        The pair, ``i < j`` (the upper triangle, as judgements are usually entered).
    label_i, label_j : str or None
        Their labels, when given.
    value : float
        The judgement ``a_ij`` (after reciprocal repair).
    epsilon : float
        ``a_ij * w_j / w_i`` (Saaty, 2003); 1 for a consistent judgement.
    consistent_value : float
        ``w_i / w_j``, the value consistent with the current priorities.
    suggested_value : float
        ``consistent_value``, or the nearest value of Saaty's scale when ``snap=True``.
    cr : float
        CR of the matrix as given.
    cr_after : float
        CR after replacing ``a_ij`` by ``suggested_value`` (and ``a_ji`` by its reciprocal).
    """

    matrix_index: tuple[int, ...]
    i: int
    j: int
    label_i: str | None
    label_j: str | None
    value: float
    epsilon: float
    consistent_value: float
    suggested_value: float
    cr: float
    cr_after: float


@dataclass(frozen=True, eq=False)
class GroupAggregate:
    """Result of :func:`aggregate_groups`.

    Attributes
    ----------
    method : str
        ``"aij"`` or ``"aip"``.
    priorities : ndarray, shape (n,)
        The group priority vector (sums to 1).
    matrix : ndarray, shape (n, n), or None
        The aggregated judgement matrix (AIJ only).
    group_names : tuple
        The stakeholder groups that contributed, in order of first appearance.
    group_matrices : ndarray, shape (g, n, n), or None
        Each group's aggregated matrix (AIJ only).
    group_priorities : ndarray, shape (g, n)
        Each group's priority vector.
    group_weights : ndarray, shape (g,)
        The group weights used, normalised to sum 1 over the contributing groups.
    excluded : tuple of int
        Indices of the experts left out for failing the consistency rule.
    dropped_groups : tuple
        Groups left without a contributing expert (all excluded, or all of weight 0); their
        weight is redistributed over the other groups.
    expert_consistency : Consistency
        Consistency of every expert's matrix, shape ``(m,)``.
    """

    method: str
    priorities: FloatArray
    matrix: FloatArray | None
    group_names: tuple[Hashable, ...]
    group_matrices: FloatArray | None
    group_priorities: FloatArray
    group_weights: FloatArray
    excluded: tuple[int, ...]
    dropped_groups: tuple[Hashable, ...]
    expert_consistency: Consistency


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------


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
    # Fast path: one pass per property; the detailed report is built only when something fails.
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


# ----------------------------------------------------------------------------------------------
# Numeric cores (flat stacks of shape (B, n, n), already validated)
# ----------------------------------------------------------------------------------------------


def _perron_eig(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perron root and right/left vectors by numpy.linalg.eig, for the few the iteration misses."""
    try:
        vals, vecs = np.linalg.eig(M)
        lvals, lvecs = np.linalg.eig(np.swapaxes(M, -1, -2))
    except np.linalg.LinAlgError:
        raise JudgementError(
            "the principal eigenvector could not be computed",
            [Problem("LAPACK eig did not converge", fix="check the matrix for extreme ratios")],
        ) from None
    rows = np.arange(M.shape[0])
    k = np.argmax(vals.real, axis=-1)
    lam = vals.real[rows, k]
    w = np.abs(vecs.real[rows, :, k])
    kl = np.argmax(lvals.real, axis=-1)
    v = np.abs(lvecs.real[rows, :, kl])
    w /= w.sum(axis=-1, keepdims=True)
    v /= v.sum(axis=-1, keepdims=True)
    return lam, w, v


def _perron_chunk(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    # Ratios near the float limits (1e155 and beyond, possible with scale 'positive') can make
    # a trace underflow or a product overflow inside the iteration; such a matrix does not
    # converge, fails the residual check and is solved by eig, so the warnings say nothing.
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        lam, w, v, bad = _perron_iterate(M)
    if bad.any():
        lam[bad], w[bad], v[bad] = _perron_eig(M[bad])
    return lam, w, v


def _perron_iterate(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    B, n, _ = M.shape
    ones = np.ones(n)
    # Repeated squaring P <- P^2 / trace(P^2) drives P to the spectral projector w v^T / (v^T w)
    # of the Perron root for a primitive matrix (Perron-Frobenius); the error falls as
    # |lambda_2 / lambda_1|^(2^k), so a handful of matrix products suffices (Saaty, 1980, who
    # computes priorities from powers of A). Columns of the projector give w, rows give v.
    # Start from M / ||M||_inf so that no entry of a power can overflow (rho(P) <= 1).
    P = M / np.max(M @ ones, axis=-1)[:, None, None]
    for _ in range(_PERRON_WARMUP):
        P = P @ P
        P *= (1.0 / np.einsum("bii->b", P))[:, None, None]
    x = P @ ones
    x /= (x @ ones)[:, None]
    w = np.full((B, n), 1.0 / n)
    v = np.full((B, n), 1.0 / n)
    idx = np.arange(B)
    for _ in range(_PERRON_MAX_SQUARINGS):
        P = P @ P
        P *= (1.0 / np.einsum("bii->b", P))[:, None, None]
        xn = P @ ones
        xn /= (xn @ ones)[:, None]
        step = np.max(np.abs(xn - x), axis=-1)
        # Per matrix: accept once the last step changed the vector by < tol (NaN never passes).
        conv = step < _PERRON_STEP_TOL
        if conv.all():
            w[idx] = xn
            v[idx] = ones @ P
            idx = idx[:0]
            break
        if conv.any():
            w[idx[conv]] = xn[conv]
            v[idx[conv]] = ones @ P[conv]
            keep = ~conv
            idx, P, x = idx[keep], P[keep], xn[keep]
        else:
            x = xn
    v /= (v @ ones)[:, None]
    lam = (M @ w[:, :, None])[:, :, 0] @ ones
    # Verify every returned pair; anything not converged or not an eigenpair goes to eig.
    resid = np.max(np.abs((M @ w[:, :, None])[:, :, 0] - lam[:, None] * w), axis=-1)
    bad = ~(resid <= _PERRON_RESIDUAL_TOL * lam * np.max(w, axis=-1))
    if idx.size:
        bad[idx] = True
    return lam, w, v, np.asarray(bad, dtype=bool)


def _perron(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perron root, right and left Perron vectors (each summing to 1) of a (B, n, n) stack."""
    B, n, _ = M.shape
    if B == 0:
        return np.empty(0), np.empty((0, n)), np.empty((0, n))
    chunk = max(1, _CHUNK_ELEMENTS // (n * n))
    if chunk >= B:
        return _perron_chunk(M)
    lam = np.empty(B)
    w = np.empty((B, n))
    v = np.empty((B, n))
    for start in range(0, B, chunk):
        sl = slice(start, start + chunk)
        lam[sl], w[sl], v[sl] = _perron_chunk(M[sl])
    return lam, w, v


def _gm_log_priorities(R: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log A and centred log row-geometric-means (Crawford & Williams, 1985)."""
    n = R.shape[-1]
    L = np.log(R)
    lw = L @ np.full(n, 1.0 / n)
    return L, lw


def _normalise_exp(lw: FloatArray) -> FloatArray:
    w = np.exp(lw - np.max(lw, axis=-1, keepdims=True))
    out: FloatArray = w / (w @ np.ones(w.shape[-1]))[..., None]
    return out


def _weights(R: FloatArray, method: str) -> tuple[FloatArray, FloatArray | None]:
    """Priorities of a flat stack, and the Perron root when the method gives it."""
    n = R.shape[-1]
    if method == "eigenvector":
        lam, w, _ = _perron(R)
        return w, lam
    if method == "geometric_mean":
        # w_i proportional to (prod_j a_ij)^(1/n) (Crawford & Williams, 1985).
        _, lw = _gm_log_priorities(R)
        return _normalise_exp(lw), None
    # w_i = (1/n) sum_j a_ij / sum_k a_kj, the column-normalised row mean (Saaty, 1980).
    ones = np.ones(n)
    colsum = ones @ R
    w = (R / colsum[:, None, :]) @ np.full(n, 1.0 / n)
    return w / (w @ ones)[:, None], None


# ----------------------------------------------------------------------------------------------
# Priorities and consistency
# ----------------------------------------------------------------------------------------------


def priorities(
    A: ArrayLike,
    method: PriorityMethod | str = "eigenvector",
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> FloatArray:
    """Priority (weight) vectors of pairwise-comparison matrices.

    Methods:

    ``"eigenvector"``
        The principal right eigenvector, ``A w = lambda_max w`` (Saaty, 1977, 1980). Computed for
        the whole stack at once by repeated squaring ``P <- P^2 / tr(P^2)``, which converges to the
        Perron projector because ``A`` is positive (Perron-Frobenius); convergence is tested per
        matrix, each result is checked by its residual, and any matrix that did not converge is
        solved by ``numpy.linalg.eig``. Agrees with ``numpy.linalg.eig`` to about 1e-15.
    ``"geometric_mean"``
        Row geometric mean, ``w_i ∝ (prod_j a_ij)^(1/n)``, the logarithmic least-squares solution
        (Crawford & Williams, 1985).
    ``"normalized_columns"``
        Saaty's (1980) approximation: normalise each column to sum 1, average the rows,
        ``w_i = (1/n) sum_j a_ij / sum_k a_kj``.

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices (validated by :func:`validate_judgements`).
    method : str, default "eigenvector"
        One of :data:`PRIORITY_METHODS`.
    labels : sequence of str, optional
        Criterion names for error messages.
    rtol : float, default 1e-2
        Reciprocity tolerance (see :func:`validate_judgements`).

    Returns
    -------
    ndarray, shape (..., n)
        Positive priorities summing to 1 along the last axis.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For an unknown method.

    References
    ----------
    Saaty (1977, 1980); Crawford & Williams (1985).

    Examples
    --------
    >>> A = [[1, 2, 4, 5], [1/2, 1, 3, 4], [1/4, 1/3, 1, 2], [1/5, 1/4, 1/2, 1]]
    >>> print(priorities(A).round(3))
    [0.492 0.306 0.125 0.078]
    >>> priorities([A, A], method="geometric_mean").shape
    (2, 4)
    """
    method = _check_method(method)
    R, batch, n = _prepare(A, labels, rtol)
    w, _ = _weights(R, method)
    return w.reshape(*batch, n)


_RI_CACHE: dict[str, tuple[str, FloatArray, bool]] = {}


def _ri_dense(table: str | Mapping[int, float]) -> tuple[str, FloatArray, bool]:
    """RI as a dense array indexed by n (NaN where unknown), its name, and whether a formula
    extends it beyond its range."""
    if isinstance(table, str) and table in _RI_CACHE:
        return _RI_CACHE[table]
    if isinstance(table, str):
        if table not in RI_TABLES:
            raise OptionError(
                "unknown random-index table",
                [
                    Problem(
                        f"{table!r} is not a table",
                        value=table,
                        fix=f"use one of {tuple(RI_TABLES)} or a mapping {{n: RI}}",
                    )
                ],
            )
        values: Mapping[int, float] = RI_TABLES[table]
        name = table
        interpolate = table == "donegan_dodd1991"
        formula = table == "alonso_lamata2006"
    elif isinstance(table, Mapping):
        problems = []
        for key, value in table.items():
            if not (isinstance(key, int | np.integer) and key >= 1):
                problems.append(
                    Problem("a key is not a matrix order >= 1", value=key, fix="use int keys")
                )
            elif not (
                isinstance(value, int | float | np.floating) and math.isfinite(value) and value >= 0
            ):
                problems.append(Problem(f"RI for n={key} is not a finite number >= 0", value=value))
            elif key >= 3 and value <= 0:
                problems.append(Problem(f"RI for n={key} must be > 0", value=value))
        if problems:
            raise OptionError("invalid random-index mapping", problems)
        values = {int(k): float(v) for k, v in table.items()}
        name, interpolate, formula = "custom", False, False
    else:
        raise OptionError(
            "invalid random-index table",
            [Problem("ri must be a table name or a mapping {n: RI}", value=table)],
        )
    top = max([2, *values.keys()])
    dense = np.full(top + 1, np.nan)
    dense[1:3] = 0.0
    for key, value in values.items():
        dense[key] = value
    if interpolate:
        # Donegan & Dodd tabulate n = 3-20 and then every 5 or 10; fill the gaps linearly.
        known = np.flatnonzero(~np.isnan(dense))
        dense = np.interp(np.arange(top + 1), known, dense[known])
        dense[0] = np.nan
    if name != "custom":
        dense.setflags(write=False)
        _RI_CACHE[name] = (name, dense, formula)
    return name, dense, formula


def _alonso_lamata_formula(n: FloatArray) -> FloatArray:
    # Alonso & Lamata (2006) fit the mean lambda_max of random matrices as 2.7699 n - 4.3513, so
    # RI = (lambda_mean - n) / (n - 1) = (1.7699 n - 4.3513) / (n - 1); their acceptance rule
    # lambda_max < n + 0.1 (1.7699 n - 4.3513) is CR < 0.1 with this RI.
    return (1.7699 * n - 4.3513) / (n - 1)


def random_index(n: ArrayLike, table: str | Mapping[int, float] = DEFAULT_RI_TABLE) -> FloatArray:
    """Random (consistency) index RI(n): the mean CI of random reciprocal matrices.

    CR = CI / RI (Saaty, 1977). ``RI = 0`` for ``n <= 2``. Named tables:

    ``"saaty1980"`` (default), n <= 15
        0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 (n = 3-10), 1.51, 1.48, 1.56, 1.57, 1.59
        (n = 11-15), as transcribed from Saaty (1980) by pyDecision's ``ahp_method`` and other
        public implementations (all carry the non-monotone 1.48 at n = 12). Published
        transcriptions disagree for n = 11-15 (some print Saaty's later, smoothed values; compare
        ``"saaty2005"``); the n <= 10 values are the ones quoted throughout the applied
        literature, e.g. n = 4: 0.90, n = 5: 1.12.
    ``"saaty2005"``, n <= 15
        0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59 (Saaty, 2005,
        p. 31, as transcribed by AHPy). Chinese texts quoting RI(4) = 0.89 use this table.
    ``"alonso_lamata2006"``, any n >= 3
        0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365, 1.5551,
        1.5713, 1.5838 (n = 3-15, 100,000 random matrices each; Alonso & Lamata, 2006). Beyond
        n = 15 their regression ``mean lambda_max = 2.7699 n - 4.3513`` gives
        ``RI(n) = (1.7699 n - 4.3513) / (n - 1)``; their acceptance rule
        ``lambda_max < n + 0.1 (1.7699 n - 4.3513)`` is exactly ``CR < 0.1`` with this RI (the
        critical lambda_max is ``1.17699 n - 0.43513``, not ``1.7699 n - 4.3513``). The tabulated
        values reproduce the regression coefficients to 3 digits.
    ``"donegan_dodd1991"``, n <= 100
        0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643,
        1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371 (n = 3-20), then n = 25: 1.5619,
        30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213,
        100: 1.6339 (Donegan & Dodd, 1991, as transcribed by AHPy; the non-monotone value at
        n = 90 is kept as transcribed). Orders between tabulated ones are interpolated linearly.

    ``"tummala_ling1998"``, n <= 15
        0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356, 1.5571,
        1.5714, 1.5831 (n = 3-15), Tummala & Ling (1998) as transcribed and attributed by
        pymcdm 1.4 (``pymcdm.weights.subjective.AHP.RI_M``); not checked against the paper.

    A mapping ``{n: RI}`` is used as given.

    Why ``"saaty1980"`` is the default: it is the table behind the CR < 0.10 rule (Saaty, 1980)
    and the one used by the applied literature this library serves (Chinese renovation-evaluation
    studies quote RI(4) = 0.90, RI(5) = 1.12), so CRs computed here match published ones; the
    alternatives differ by up to 0.06 and can move a borderline matrix across 0.10.

    Parameters
    ----------
    n : int or array_like of int
        Matrix orders (>= 1).
    table : str or mapping, default "saaty1980"
        A table name or a mapping ``{n: RI}``.

    Returns
    -------
    ndarray
        RI with the shape of ``n`` (a 0-d array for a scalar).

    Raises
    ------
    OptionError
        For an unknown table, an order < 1, or an order beyond the table without a formula (the
        message names the table and its largest n).

    References
    ----------
    Saaty (1977, 1980, 2005); Donegan & Dodd (1991); Tummala & Ling (1998); Alonso & Lamata
    (2006).

    Examples
    --------
    >>> print(random_index([3, 4, 5]))
    [0.58 0.9  1.12]
    >>> print(random_index(20, "alonso_lamata2006").round(4))
    1.634
    """
    name, dense, formula = _ri_dense(table)
    try:
        arr = np.asarray(n)
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise TypeError
    except TypeError:
        raise OptionError(
            "matrix order must be an integer", [Problem("not an integer order", value=n)]
        ) from None
    if np.any(arr < 1):
        raise OptionError(
            "matrix order must be >= 1",
            [Problem("order < 1", value=np.unique(arr[arr < 1]).tolist())],
        )
    top = dense.size - 1
    inside = arr <= top
    out = np.full(arr.shape, np.nan)
    out[inside] = dense[arr[inside]]
    beyond = ~inside
    if np.any(beyond):
        if not formula:
            raise OptionError(
                f"random-index table {name!r} stops at n = {top}",
                [
                    Problem(
                        f"no RI for n = {np.unique(arr[beyond]).tolist()} in {name!r} (max n = {top})",
                        fix="use 'alonso_lamata2006' (has a formula for any n) or pass a mapping {n: RI}",
                    )
                ],
            )
        out[beyond] = _alonso_lamata_formula(arr[beyond].astype(np.float64))
    if np.any(np.isnan(out)):
        missing = np.unique(arr[np.isnan(out)]).tolist()
        raise OptionError(
            f"random-index table {name!r} has no value for some orders",
            [Problem(f"no RI for n = {missing}", fix="add them to the mapping {n: RI}")],
        )
    return out


def _threshold_for(threshold: float | str, n: int) -> float:
    if isinstance(threshold, str):
        if threshold != "saaty":
            raise OptionError(
                "unknown threshold",
                [
                    Problem(
                        f"{threshold!r}", value=threshold, fix="use a number (e.g. 0.1) or 'saaty'"
                    )
                ],
            )
        return _SAATY_THRESHOLDS.get(n, 0.10)
    if not (isinstance(threshold, int | float) and math.isfinite(threshold) and threshold > 0):
        raise OptionError("invalid threshold", [Problem("must be a number > 0", value=threshold)])
    return float(threshold)


def _consistency_flat(
    R: FloatArray,
    method: str,
    ri: str | Mapping[int, float],
    threshold: float | str,
) -> Consistency:
    """Consistency of a flat (B, n, n) stack (arrays of shape (B,))."""
    B, n, _ = R.shape
    name, _, _ = _ri_dense(ri)
    thr = _threshold_for(threshold, n)
    w, lam = _weights(R, method)
    ones = np.ones(n)
    if lam is None:
        # lambda_max estimated from the priorities, mean_i (A w)_i / w_i (Saaty, 1980).
        lam = ((R @ w[:, :, None])[:, :, 0] / w) @ np.full(n, 1.0 / n)
    gthr = _GCI_THRESHOLDS.get(n, _GCI_THRESHOLD_LARGE)
    if n <= 2:
        zeros = np.zeros(B)
        return Consistency(
            lambda_max=lam, ci=zeros, cr=zeros.copy(), gci=zeros.copy(), ri=zeros.copy(),
            ri_table=name, threshold=thr, acceptable=np.ones(B, dtype=bool), gci_threshold=gthr,
            gci_acceptable=np.ones(B, dtype=bool), priorities=w, method=method, n=n,
        )  # fmt: skip
    ri_value = float(random_index(n, ri))
    # CI = (lambda_max - n) / (n - 1), CR = CI / RI (Saaty, 1977). lambda_max >= n holds exactly
    # for positive reciprocal matrices; the clip only removes rounding below 0.
    ci = np.maximum(lam - n, 0.0) / (n - 1)
    cr = ci / ri_value
    # GCI = 1/((n-1)(n-2)) sum_{i,j} ln^2(a_ij w_j / w_i) (Aguarón & Moreno-Jiménez, 2003);
    # the full double sum counts each pair i<j twice, hence 1 instead of 2 in the numerator.
    L, lw = _gm_log_priorities(R)
    E = L - lw[:, :, None] + lw[:, None, :]
    E *= E
    gci = ((E @ ones) @ ones) / ((n - 1) * (n - 2))
    return Consistency(
        lambda_max=lam, ci=ci, cr=cr, gci=gci, ri=np.full(B, ri_value), ri_table=name,
        threshold=thr, acceptable=cr < thr, gci_threshold=gthr, gci_acceptable=gci <= gthr,
        priorities=w, method=method, n=n,
    )  # fmt: skip


def consistency(
    A: ArrayLike,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    method: PriorityMethod | str = "eigenvector",
    threshold: float | Literal["saaty"] = 0.10,
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    warn: bool = False,
) -> Consistency:
    """Consistency index, ratio and geometric consistency index of judgement matrices.

    ``CI = (lambda_max - n) / (n - 1)`` and ``CR = CI / RI(n)`` (Saaty, 1977, 1980); ``CR = 0``
    for ``n <= 2``. With ``method="eigenvector"`` lambda_max is the Perron root; with the other
    methods it is Saaty's (1980) estimate ``mean_i (A w)_i / w_i`` from that method's priorities.
    A matrix is acceptable when ``CR < threshold``: 0.10 by default (Saaty, 1980), or with
    ``threshold="saaty"`` Saaty's (1994) n-dependent 0.05 (n = 3), 0.08 (n = 4), 0.10 (n >= 5).
    The geometric consistency index is always reported too:
    ``GCI = 2 / ((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i)`` with row-geometric-mean ``w``,
    acceptable at <= 0.31 (n = 3), 0.35 (n = 4), 0.37 (n > 4) (Aguarón & Moreno-Jiménez, 2003).

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices.
    ri : str or mapping, default "saaty1980"
        Random-index table, see :func:`random_index`.
    method : str, default "eigenvector"
        Prioritisation method, see :func:`priorities`.
    threshold : float or "saaty", default 0.10
        CR acceptance threshold.
    labels : sequence of str, optional
        Criterion names for error messages.
    rtol : float, default 1e-2
        Reciprocity tolerance.
    warn : bool, default False
        Emit one :class:`~renoscore.errors.InconsistencyWarning` naming the matrices that fail.

    Returns
    -------
    Consistency
        Arrays with the batch shape of ``A`` (0-d for one matrix) and the priorities.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For an unknown method, table or threshold, or an order beyond the RI table.

    References
    ----------
    Saaty (1977, 1980, 1994); Aguarón & Moreno-Jiménez (2003).

    Examples
    --------
    >>> C = [[1, 3, 5, 2], [1/3, 1, 2, 3], [1/5, 1/2, 1, 1/3], [1/2, 1/3, 3, 1]]
    >>> c = consistency(C)
    >>> print(round(float(c.lambda_max), 3), round(float(c.cr), 3), bool(c.acceptable))
    4.299 0.111 False
    """
    method = _check_method(method)
    R, batch, n = _prepare(A, labels, rtol)
    flat = _consistency_flat(R, method, ri, threshold)
    result = Consistency(
        lambda_max=flat.lambda_max.reshape(batch),
        ci=flat.ci.reshape(batch),
        cr=flat.cr.reshape(batch),
        gci=flat.gci.reshape(batch),
        ri=flat.ri.reshape(batch),
        ri_table=flat.ri_table,
        threshold=flat.threshold,
        acceptable=flat.acceptable.reshape(batch),
        gci_threshold=flat.gci_threshold,
        gci_acceptable=flat.gci_acceptable.reshape(batch),
        priorities=flat.priorities.reshape(*batch, n),
        method=method,
        n=n,
    )
    if warn and not flat.acceptable.all():
        failing = np.flatnonzero(~flat.acceptable)
        if batch:
            where = ", ".join(
                str(tuple(int(x) for x in np.unravel_index(b, batch))) for b in failing[:20]
            )
            if failing.size > 20:
                where += f" and {failing.size - 20} more"
        else:
            where = "the matrix"
        warnings.warn(
            f"{failing.size} judgement matrix(es) fail CR < {flat.threshold:g} ({flat.ri_table}): {where}",
            InconsistencyWarning,
            stacklevel=2,
        )
    return result


# ----------------------------------------------------------------------------------------------
# Incomplete matrices
# ----------------------------------------------------------------------------------------------


def _components(adj: BoolArray) -> list[list[int]]:
    """Connected components of one graph (error path only)."""
    n = adj.shape[0]
    seen = [False] * n
    comps = []
    for s in range(n):
        if seen[s]:
            continue
        stack, comp = [s], []
        seen[s] = True
        while stack:
            u = stack.pop()
            comp.append(u)
            for t in np.flatnonzero(adj[u]):
                if not seen[t]:
                    seen[t] = True
                    stack.append(int(t))
        comps.append(sorted(comp))
    return comps


def _check_connected(
    known: BoolArray, labels: tuple[str, ...] | None, batch: tuple[int, ...]
) -> None:
    n = known.shape[-1]
    # Reachability by repeated squaring of (adjacency + I): ceil(log2 n) products cover all paths.
    reach = (known | np.eye(n, dtype=bool)).astype(np.float64)
    for _ in range(max(1, math.ceil(math.log2(max(n, 2))))):
        reach = ((reach @ reach) > 0).astype(np.float64)
    connected = np.all(reach[:, 0, :] > 0, axis=-1)
    if connected.all():
        return
    problems = []
    for b in np.flatnonzero(~connected)[:_MAX_PROBLEMS]:
        comps = _components(known[b] & ~np.eye(n, dtype=bool))
        names = [[labels[i] if labels else str(i) for i in c] for c in comps]
        index = tuple(int(x) for x in np.unravel_index(b, batch)) if batch else ()
        text = " | ".join("{" + ", ".join(c) + "}" for c in names)
        problems.append(
            Problem(
                f"the comparison graph is not connected; groups never compared with each other: {text}",
                fix=f"add at least one judgement linking the groups, e.g. {names[0][0]} vs {names[1][0]}",
                path=f"matrix {index}" if batch else None,
            )
        )
    raise JudgementError("incomplete judgement matrix cannot be completed", problems)


def _llsm_fill(logR: FloatArray, known: BoolArray) -> FloatArray:
    """LLSM weights of an incomplete matrix: solve L x = r with the graph Laplacian L
    (Kwiesielewicz, 1996; Bozóki, Fülöp & Rónyai, 2010); returns log-weights x (B, n)."""
    n = known.shape[-1]
    off = known & ~np.eye(n, dtype=bool)
    adj = off.astype(np.float64)
    deg = adj @ np.ones(n)
    lap = -adj
    lap[:, np.arange(n), np.arange(n)] += deg
    rhs = np.where(off, logR, 0.0) @ np.ones(n)
    # L is singular (L 1 = 0); adding 1 1^T fixes the level at sum(x) = 0 (since 1^T r = 0).
    try:
        x: FloatArray = np.linalg.solve(lap + 1.0, rhs[:, :, None])[:, :, 0].astype(np.float64)
    except np.linalg.LinAlgError:
        raise JudgementError(
            "incomplete judgement matrix cannot be completed",
            [Problem("singular comparison graph", fix="check that every criterion is compared")],
        ) from None
    return x


def _optimal_fill(
    logR: FloatArray, missing: BoolArray, x0: FloatArray, gtol: float, max_iter: int
) -> FloatArray:
    """Minimise lambda_max over the missing entries (Bozóki, Fülöp & Rónyai, 2010).

    With a_ij = exp(y_ij) for the missing entries, lambda_max is a convex function of y (ibid.),
    with gradient d lambda / d y_ij = (v_i a_ij w_j - v_j a_ji w_i) / (v^T w) for the right and
    left Perron vectors w, v. The whole batch descends together with Barzilai-Borwein steps,
    halved per matrix whenever lambda_max would increase."""
    B = logR.shape[0]
    Y = np.where(missing, x0[:, :, None] - x0[:, None, :], logR)
    mask = missing.astype(np.float64)

    def evaluate(Yb: FloatArray, Mb: FloatArray) -> tuple[FloatArray, FloatArray]:
        A = np.exp(Yb)
        lam, w, v = _perron(A)
        T = v[:, :, None] * A * w[:, None, :]
        scale = 1.0 / np.einsum("bi,bi->b", v, w)
        return lam, (T - np.swapaxes(T, -1, -2)) * Mb * scale[:, None, None]

    lam, G = evaluate(Y, mask)
    alpha = np.ones(B)
    active = np.flatnonzero(np.max(np.abs(G), axis=(-2, -1)) > gtol)
    for _ in range(max_iter):
        if active.size == 0:
            break
        Ya, Ga = Y[active], G[active]
        Yc = Ya - alpha[active, None, None] * Ga
        lam_c, G_c = evaluate(Yc, mask[active])
        # Accept a step that lowers lambda_max clearly; within a relative band of 1e-12, where
        # lambda_max is too flat for its rounding to tell (it varies with the square of the
        # gradient there), accept a step that shrinks the gradient instead.
        la = lam[active]
        g_now = np.max(np.abs(Ga), axis=(-2, -1))
        g_new = np.max(np.abs(G_c), axis=(-2, -1))
        accept = (lam_c < la * (1.0 - _FLAT_BAND)) | (
            (lam_c <= la * (1.0 + _FLAT_BAND)) & (g_new < g_now)
        )
        acc = active[accept]
        if acc.size:
            S = Yc[accept] - Ya[accept]
            D = G_c[accept] - Ga[accept]
            sd = np.einsum("bij,bij->b", S, D)
            ss = np.einsum("bij,bij->b", S, S)
            with np.errstate(divide="ignore", invalid="ignore"):
                bb = np.where(sd > 0, ss / sd, alpha[acc] * 2.0)
            alpha[acc] = np.clip(bb, 1e-8, 1e8)
            Y[acc], lam[acc], G[acc] = Yc[accept], lam_c[accept], G_c[accept]
        alpha[active[~accept]] *= 0.5
        gnorm = np.max(np.abs(G[active]), axis=(-2, -1))
        # Stop a matrix at a small gradient, or when no step, however short, lowers lambda_max
        # any more (the minimum is reached to rounding).
        active = active[(gnorm > gtol) & (alpha[active] > 1e-14)]
    if active.size:
        warnings.warn(
            f"optimal completion stopped after {max_iter} iterations for {active.size} matrix(es), "
            f"gradient up to {float(np.max(np.abs(G[active]))):.2g}; the result is near, not at, "
            "the lambda_max minimum",
            RenoscoreWarning,
            stacklevel=3,
        )
    return np.exp(Y)


def complete(
    A: ArrayLike,
    method: CompletionMethod | str = "optimal",
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    gtol: float = 1e-12,
    max_iter: int = 500,
) -> FloatArray:
    """Fill the missing judgements (NaN) of incomplete pairwise-comparison matrices.

    A missing pair is NaN in both ``(i, j)`` and ``(j, i)``. The graph whose edges are the given
    judgements must be connected; otherwise no completion is determined (Harker, 1987; Bozóki,
    Fülöp & Rónyai, 2010) and a :class:`JudgementError` names the groups never compared.

    Methods:

    ``"optimal"``
        The completion minimising lambda_max (Bozóki, Fülöp & Rónyai, 2010): in ``y = ln a`` the
        problem is convex and, for a connected graph, has a unique solution. Solved for the whole
        batch at once by gradient descent with Barzilai-Borwein steps from the LLSM completion,
        using the exact gradient ``(v_i a_ij w_j - v_j a_ji w_i) / (v^T w)``.
    ``"harker"``
        Harker (1987): set missing ``a_ij = 0``, add the number of missing judgements of row
        ``i`` to ``a_ii``, take the principal eigenvector ``w`` of that matrix and fill missing
        ``a_ij = w_i / w_j`` (the filled matrix has the same eigenpair).
    ``"llsm"``
        Logarithmic least squares: ``ln w`` solves the graph-Laplacian system ``L ln w = r``,
        ``r_i = sum_{j known} ln a_ij``; fill ``a_ij = w_i / w_j`` (Kwiesielewicz, 1996; Bozóki,
        Fülöp & Rónyai, 2010).

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Matrices with NaN for missing judgements; complete matrices pass through (repaired to
        exact reciprocity).
    method : str, default "optimal"
        ``"optimal"``, ``"harker"`` or ``"llsm"``.
    labels : sequence of str, optional
        Criterion names for messages.
    rtol : float, default 1e-2
        Reciprocity tolerance for the given judgements.
    gtol : float, default 1e-12
        ``"optimal"`` stops when the largest gradient component is below this.
    max_iter : int, default 500
        Iteration cap for ``"optimal"``.

    Returns
    -------
    ndarray, shape of ``A``
        Complete, exactly reciprocal matrices; given judgements are kept.

    Raises
    ------
    JudgementError
        If a matrix is invalid or its comparison graph is not connected.
    OptionError
        For an unknown method.

    References
    ----------
    Harker (1987); Kwiesielewicz (1996); Bozóki, Fülöp & Rónyai (2010).

    Examples
    --------
    >>> nan = float("nan")
    >>> U = [[1, 1, 5, 2], [1, 1, 3, 4], [1/5, 1/3, 1, nan], [1/2, 1/4, nan, 1]]
    >>> print(round(float(complete(U)[2, 3]), 6))
    0.730297
    """
    if method not in ("optimal", "harker", "llsm"):
        raise OptionError(
            "unknown completion method",
            [Problem(f"{method!r}", value=method, fix="use 'optimal', 'harker' or 'llsm'")],
        )
    arr, dev = _validate(A, labels, rtol, allow_missing=True)
    n = arr.shape[-1]
    batch = arr.shape[:-2]
    lab = _check_labels(labels, n)
    flat = arr.reshape(-1, n, n)
    missing = np.isnan(flat)
    if not missing.any():
        return _reciprocal(arr, dev).copy()
    known = ~missing
    _check_connected(known, lab, batch)
    with np.errstate(invalid="ignore"):
        R = np.sqrt(flat / np.swapaxes(flat, -1, -2))
    logR = np.where(known, np.log(np.where(known, R, 1.0)), 0.0)
    if method == "harker":
        C = np.where(known, R, 0.0)
        C[:, np.arange(n), np.arange(n)] += missing.sum(axis=-1)
        _, w, _ = _perron(C)
        out = np.where(missing, w[:, :, None] / w[:, None, :], R)
    else:
        x = _llsm_fill(logR, known)
        if method == "llsm":
            out = np.where(missing, np.exp(x[:, :, None] - x[:, None, :]), R)
        else:
            out = np.where(missing, _optimal_fill(logR, missing, x, gtol, max_iter), R)
    return out.reshape(arr.shape)


# ----------------------------------------------------------------------------------------------
# Repair hints
# ----------------------------------------------------------------------------------------------


def _snap(values: FloatArray) -> FloatArray:
    scale = np.log(np.asarray(SAATY_SCALE))
    k = np.argmin(np.abs(np.log(values)[..., None] - scale), axis=-1)
    snapped: FloatArray = np.asarray(SAATY_SCALE, dtype=np.float64)[k]
    return snapped


def most_inconsistent(
    A: ArrayLike,
    k: int = 3,
    *,
    labels: Sequence[str] | None = None,
    method: PriorityMethod | str = "eigenvector",
    snap: bool = False,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    rtol: float = DEFAULT_RTOL,
) -> list[InconsistentJudgement]:
    """The judgements furthest from consistency, with the values that would repair them.

    For priorities ``w``, ``epsilon_ij = a_ij w_j / w_i`` is 1 for a judgement consistent with
    ``w`` (Saaty, 2003); judgements are ranked by ``|ln epsilon_ij|`` (so a judgement twice too
    high and one twice too low rank equally). For each, the consistent value is ``w_i / w_j`` and
    ``cr_after`` is the CR once ``a_ij`` is replaced by it (or by the nearest Saaty-scale value
    with ``snap=True``) and ``a_ji`` by its reciprocal.

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices.
    k : int, default 3
        Judgements per matrix (at most n(n-1)/2).
    labels : sequence of str, optional
        Criterion names, copied into the records.
    method : str, default "eigenvector"
        Prioritisation method for ``w`` and the CR.
    snap : bool, default False
        Round the suggested value to the nearest value of Saaty's scale 1/9 ... 9, nearest in
        ratio (log) terms: 1.48 snaps to 2 (1.36 times off) rather than to 1 (1.48 times off).
    ri : str or mapping, default "saaty1980"
        RI table for the CRs.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    list of InconsistentJudgement
        For one matrix, its ``k`` records, worst first. For a stack, the ``k`` records of every
        matrix, matrices in C order of the batch, each record's ``matrix_index`` naming its matrix.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For invalid ``k``, method or table.

    References
    ----------
    Saaty (2003).

    Examples
    --------
    >>> C = [[1, 3, 5, 2], [1/3, 1, 2, 3], [1/5, 1/2, 1, 1/3], [1/2, 1/3, 3, 1]]
    >>> top = most_inconsistent(C, k=1, labels=["F", "S", "P", "C"], snap=True)
    >>> print(top[0].label_i, top[0].label_j, top[0].suggested_value, round(top[0].cr_after, 3))
    S C 2.0 0.059
    """
    method = _check_method(method)
    if not (isinstance(k, int | np.integer) and k >= 1):
        raise OptionError("invalid k", [Problem("k must be an integer >= 1", value=k)])
    R, batch, n = _prepare(A, labels, rtol)
    lab = _check_labels(labels, n)
    B = R.shape[0]
    iu, ju = np.triu_indices(n, 1)
    kk = min(int(k), iu.size)
    if kk == 0 or B == 0:
        return []
    base = _consistency_flat(R, method, ri, threshold=0.10)
    w, cr0 = base.priorities, base.cr
    eps = R[:, iu, ju] * w[:, ju] / w[:, iu]
    dev = np.abs(np.log(eps))
    order = np.argsort(-dev, axis=-1, kind="stable")[:, :kk]
    pi, pj = iu[order], ju[order]
    rows = np.arange(B)[:, None]
    consistent = w[rows, pi] / w[rows, pj]
    suggested = _snap(consistent) if snap else consistent
    # All B * k repaired matrices are scored in one batched call.
    mod = np.repeat(R[:, None], kk, axis=1)
    bi = np.arange(B)[:, None].repeat(kk, axis=1)
    ki = np.arange(kk)[None, :].repeat(B, axis=0)
    mod[bi, ki, pi, pj] = suggested
    mod[bi, ki, pj, pi] = 1.0 / suggested
    cr_after = _consistency_flat(mod.reshape(-1, n, n), method, ri, threshold=0.10).cr.reshape(
        B, kk
    )
    values = R[rows, pi, pj]
    eps_sel = eps[rows, order]
    out = []
    for b in range(B):
        index = tuple(int(x) for x in np.unravel_index(b, batch)) if batch else ()
        for r in range(kk):
            i, j = int(pi[b, r]), int(pj[b, r])
            out.append(
                InconsistentJudgement(
                    matrix_index=index,
                    i=i,
                    j=j,
                    label_i=lab[i] if lab else None,
                    label_j=lab[j] if lab else None,
                    value=float(values[b, r]),
                    epsilon=float(eps_sel[b, r]),
                    consistent_value=float(consistent[b, r]),
                    suggested_value=float(suggested[b, r]),
                    cr=float(cr0[b]),
                    cr_after=float(cr_after[b, r]),
                )
            )
    return out


# ----------------------------------------------------------------------------------------------
# Groups
# ----------------------------------------------------------------------------------------------


def _expert_weights(weights: ArrayLike | None, shape: tuple[int, ...], what: str) -> FloatArray:
    """Normalised weights broadcast to ``shape`` (..., m), summing to 1 along the last axis."""
    m = shape[-1]
    if weights is None:
        return np.full(shape, 1.0 / m)
    try:
        wt = np.asarray(weights, dtype=np.float64)
        wt = np.broadcast_to(wt, shape)
    except (TypeError, ValueError):
        raise WeightsError(
            f"invalid {what}",
            [
                Problem(
                    f"cannot use {np.shape(weights)} weights for {m} items", fix=f"give {m} weights"
                )
            ],
        ) from None
    if not (np.all(np.isfinite(wt)) and np.all(wt >= 0)):
        raise WeightsError(
            f"invalid {what}",
            [Problem("weights must be finite and >= 0", value=np.asarray(weights).tolist())],
        )
    # Divide by the largest weight first: weights of 1e308 are finite, their sum is not.
    peak = wt.max(axis=-1, keepdims=True)
    wt = wt / np.where(peak > 0, peak, 1.0)
    total = wt.sum(axis=-1, keepdims=True)
    if not np.all(total > 0):
        raise WeightsError(
            f"invalid {what}",
            [Problem("weights sum to 0", fix="give at least one positive weight")],
        )
    normalised: FloatArray = wt / total
    return normalised


def aggregate_judgements(
    stack: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> FloatArray:
    """Aggregate individual judgements (AIJ) by the weighted element-wise geometric mean.

    ``a^G_ij = prod_k a^(k)_ij ^ lambda_k`` with ``sum_k lambda_k = 1``: the geometric mean is the
    aggregation that keeps reciprocity and the unanimity/homogeneity conditions (Aczél & Saaty,
    1983); its use with expert weights follows Forman & Peniwati (1998).

    Parameters
    ----------
    stack : array_like, shape (m, n, n) or (..., m, n, n)
        The experts' matrices on axis -3.
    weights : array_like, shape (m,) or broadcastable to (..., m), optional
        Expert weights (>= 0, normalised to sum 1); equal by default.
    labels : sequence of str, optional
        Criterion names for messages.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    ndarray, shape (..., n, n)
        The group matrix, exactly reciprocal.

    Raises
    ------
    JudgementError
        If a matrix is invalid or there is no expert axis.
    WeightsError
        If the weights are invalid.

    References
    ----------
    Aczél & Saaty (1983); Forman & Peniwati (1998).

    Examples
    --------
    >>> G = aggregate_judgements([[[1, 2], [1/2, 1]], [[1, 8], [1/8, 1]]])
    >>> print(G.round(6))
    [[1.   4.  ]
     [0.25 1.  ]]
    """
    arr, dev = _validate(
        stack, labels, rtol, allow_missing=False, min_ndim=3, what="judgement stack"
    )
    R = _reciprocal(arr, dev)
    wt = _expert_weights(weights, arr.shape[:-2], "expert weights")
    logs = np.log(R)
    group: FloatArray = np.exp(np.einsum("...k,...kij->...ij", wt, logs))
    return group


def aggregate_priorities(
    W: ArrayLike,
    weights: ArrayLike | None = None,
    method: Literal["geometric", "arithmetic"] | str = "geometric",
) -> FloatArray:
    """Aggregate individual priorities (AIP).

    ``"geometric"``: ``w^G_i ∝ prod_k (w^(k)_i) ^ lambda_k`` normalised to sum 1;
    ``"arithmetic"``: ``w^G = sum_k lambda_k w^(k)`` (Forman & Peniwati, 1998). With
    row-geometric-mean priorities, geometric AIP equals the priorities of the AIJ matrix
    (Barzilai & Golany, 1994).

    Parameters
    ----------
    W : array_like, shape (m, n) or (..., m, n)
        Positive priority vectors on axis -2 (each is normalised to sum 1 first).
    weights : array_like, shape (m,) or broadcastable to (..., m), optional
        Expert weights (>= 0, normalised); equal by default.
    method : {"geometric", "arithmetic"}, default "geometric"
        The mean.

    Returns
    -------
    ndarray, shape (..., n)
        Group priorities summing to 1.

    Raises
    ------
    WeightsError
        If a priority vector is not positive and finite, or the weights are invalid.
    OptionError
        For an unknown method.

    References
    ----------
    Forman & Peniwati (1998); Barzilai & Golany (1994).

    Examples
    --------
    >>> print(aggregate_priorities([[0.5, 0.5], [0.9, 0.1]], method="arithmetic"))
    [0.7 0.3]
    """
    if method not in ("geometric", "arithmetic"):
        raise OptionError(
            "unknown aggregation method",
            [Problem(f"{method!r}", value=method, fix="use 'geometric' or 'arithmetic'")],
        )
    try:
        P = np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightsError("priority vectors are not numeric", [Problem("not numeric")]) from None
    if P.ndim < 2 or P.shape[-1] == 0 or P.shape[-2] == 0:
        raise WeightsError(
            "priority vectors have the wrong shape",
            [
                Problem(
                    f"shape {P.shape} is not (m, n) or (..., m, n)",
                    fix="stack one vector per expert",
                )
            ],
        )
    bad = ~(np.isfinite(P) & (P > 0))
    if bad.any():
        hits = np.argwhere(bad)[:_MAX_PROBLEMS]
        raise WeightsError(
            "priority vectors must be positive and finite",
            [
                Problem(
                    "not a positive finite priority",
                    path=f"vector {tuple(int(x) for x in h[:-1])}, item {int(h[-1])}",
                    value=float(P[tuple(h)]),
                )
                for h in hits
            ],
        )
    P = P / P.sum(axis=-1, keepdims=True)
    wt = _expert_weights(weights, P.shape[:-1], "expert weights")
    if method == "arithmetic":
        out = np.einsum("...k,...ki->...i", wt, P)
        mean: FloatArray = out / out.sum(axis=-1, keepdims=True)
        return mean
    return _normalise_exp(np.einsum("...k,...ki->...i", wt, np.log(P)))


def aggregate_groups(
    stack: ArrayLike,
    groups: Sequence[Hashable],
    group_weights: Mapping[Hashable, float] | ArrayLike | None = None,
    expert_weights: ArrayLike | None = None,
    method: Literal["aij", "aip"] | str = "aij",
    *,
    priority_method: PriorityMethod | str = "eigenvector",
    aip_mean: Literal["geometric", "arithmetic"] | str = "geometric",
    exclude_inconsistent: bool = False,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    threshold: float | Literal["saaty"] = 0.10,
    labels: Sequence[str] | None = None,
    expert_ids: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> GroupAggregate:
    """Two-level group aggregation: within stakeholder groups, then across groups.

    Experts belong to stakeholder groups (government, residents, property company, social
    organisation, academic, ...). With ``method="aij"`` each group's matrix is the weighted
    geometric mean of its experts' matrices (expert weights renormalised within the group) and the
    panel matrix is the geometric mean of the group matrices with the group weights (Aczél &
    Saaty, 1983; Forman & Peniwati, 1998); priorities come from the panel matrix. With
    ``method="aip"`` each expert's priorities are aggregated the same two-level way with
    ``aip_mean`` (geometric by default, normalised to sum 1; Forman & Peniwati, 1998).

    With ``exclude_inconsistent=True`` experts whose CR fails ``threshold`` are left out (an
    :class:`~renoscore.errors.InconsistencyWarning` names them); a group left without experts is
    dropped and the remaining group weights renormalised.

    Parameters
    ----------
    stack : array_like, shape (m, n, n)
        One judgement matrix per expert.
    groups : sequence, length m
        Each expert's group name; groups are ordered by first appearance.
    group_weights : mapping or array_like, optional
        ``{group: weight}`` or weights in group order; equal by default.
    expert_weights : array_like, shape (m,), optional
        Expert weights within their groups; equal by default.
    method : {"aij", "aip"}, default "aij"
        Aggregate judgements or priorities.
    priority_method : str, default "eigenvector"
        Prioritisation method (see :func:`priorities`), also used for the experts' CRs.
    aip_mean : {"geometric", "arithmetic"}, default "geometric"
        The mean used by AIP at both levels.
    exclude_inconsistent : bool, default False
        Leave out experts failing the CR threshold.
    ri : str or mapping, default "saaty1980"
        RI table for the experts' CRs.
    threshold : float or "saaty", default 0.10
        CR threshold.
    labels : sequence of str, optional
        Criterion names for messages.
    expert_ids : sequence of str, optional
        Expert names for the warning.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    GroupAggregate

    Raises
    ------
    JudgementError
        If a matrix is invalid, or every expert is left out.
    WeightsError
        If weights are invalid or ``groups`` does not match the experts.
    OptionError
        For unknown methods.

    References
    ----------
    Aczél & Saaty (1983); Forman & Peniwati (1998).

    Examples
    --------
    >>> A = [[1, 2], [1/2, 1]]
    >>> B = [[1, 8], [1/8, 1]]
    >>> g = aggregate_groups([A, B, B], groups=["gov", "res", "res"])
    >>> print(g.priorities.round(3), g.group_names)
    [0.8 0.2] ('gov', 'res')
    """
    if method not in ("aij", "aip"):
        raise OptionError(
            "unknown group method", [Problem(f"{method!r}", value=method, fix="use 'aij' or 'aip'")]
        )
    if aip_mean not in ("geometric", "arithmetic"):
        raise OptionError(
            "unknown AIP mean",
            [Problem(f"{aip_mean!r}", value=aip_mean, fix="use 'geometric' or 'arithmetic'")],
        )
    priority_method = _check_method(priority_method)
    arr, dev = _validate(
        stack, labels, rtol, allow_missing=False, min_ndim=3, what="judgement stack"
    )
    if arr.ndim != 3:
        raise JudgementError(
            "judgement stack has the wrong shape",
            [
                Problem(
                    f"shape {arr.shape} is not (m, n, n)",
                    fix="aggregate one criterion set at a time",
                )
            ],
        )
    R = _reciprocal(arr, dev)
    m, n, _ = R.shape
    groups = list(groups)
    if len(groups) != m:
        raise WeightsError(
            "groups do not match the experts",
            [Problem(f"{len(groups)} group names for {m} experts", fix=f"give {m} group names")],
        )
    ids = list(expert_ids) if expert_ids is not None else [str(k) for k in range(m)]
    if len(ids) != m:
        raise OptionError(
            "expert_ids do not match the experts", [Problem(f"{len(ids)} ids for {m} experts")]
        )
    names: list[Hashable] = list(dict.fromkeys(groups))
    if group_weights is None:
        gw_all = np.ones(len(names))
    elif isinstance(group_weights, Mapping):
        unknown = [g for g in names if g not in group_weights]
        if unknown:
            raise WeightsError(
                "group weights missing",
                [
                    Problem(f"no weight for group {g!r}", fix="add it to group_weights")
                    for g in unknown
                ],
            )
        gw_all = np.array([float(group_weights[g]) for g in names])
    else:
        gw_all = np.asarray(group_weights, dtype=np.float64).reshape(-1)
        if gw_all.size != len(names):
            raise WeightsError(
                "group weights do not match the groups",
                [Problem(f"{gw_all.size} weights for groups {names}")],
            )
    _expert_weights(gw_all, (len(names),), "group weights")
    ew = _expert_weights(expert_weights, (m,), "expert weights") * m

    cons = _consistency_flat(R, priority_method, ri, threshold)
    w_all, cr, ok, thr, rname = (
        cons.priorities,
        cons.cr,
        cons.acceptable,
        cons.threshold,
        cons.ri_table,
    )
    keep = ok if exclude_inconsistent else np.ones(m, dtype=bool)
    excluded = tuple(int(k) for k in np.flatnonzero(~keep))
    if excluded:
        listed = ", ".join(f"{ids[k]} (CR {cr[k]:.3f})" for k in excluded)
        warnings.warn(
            f"{len(excluded)} expert(s) left out for CR >= {thr:g} ({rname}): {listed}",
            InconsistencyWarning,
            stacklevel=2,
        )
    if not keep.any():
        raise JudgementError(
            "every expert fails the consistency rule",
            [
                Problem(
                    f"expert {ids[k]}: CR {cr[k]:.3f} >= {thr:g}",
                    fix="revise the judgements (see most_inconsistent())",
                )
                for k in range(m)
            ],
        )
    member = np.array([names.index(g) for g in groups])
    E = (member[None, :] == np.arange(len(names))[:, None]) * (ew * keep)[None, :]
    present = E.sum(axis=1) > 0
    dropped = tuple(g for g, p in zip(names, present, strict=True) if not p)
    E = E[present] / E[present].sum(axis=1, keepdims=True)
    used = [g for g, p in zip(names, present, strict=True) if p]
    gw = gw_all[present]
    if not gw.sum() > 0:
        raise WeightsError(
            "the remaining groups all have weight 0",
            [Problem(f"groups {used}", fix="give them positive weights")],
        )
    gw = gw / gw.sum()
    if method == "aij":
        logs = np.log(R).reshape(m, n * n)
        glogs = E @ logs
        gmats = np.exp(glogs).reshape(-1, n, n)
        panel = np.exp(gw @ glogs).reshape(n, n)
        gprio, _ = _weights(gmats, priority_method)
        pw, _ = _weights(panel[None], priority_method)
        return GroupAggregate(
            method="aij", priorities=pw[0], matrix=panel, group_names=tuple(used), group_matrices=gmats,
            group_priorities=gprio, group_weights=gw, excluded=excluded, dropped_groups=dropped,
            expert_consistency=cons,
        )  # fmt: skip
    if aip_mean == "arithmetic":
        gprio = E @ w_all
        pw = gw @ gprio
    else:
        gprio = _normalise_exp(E @ np.log(w_all))
        pw = _normalise_exp(gw @ np.log(gprio))
    return GroupAggregate(
        method="aip", priorities=pw / pw.sum(), matrix=None, group_names=tuple(used), group_matrices=None,
        group_priorities=gprio / gprio.sum(axis=1, keepdims=True), group_weights=gw, excluded=excluded,
        dropped_groups=dropped, expert_consistency=cons,
    )  # fmt: skip
