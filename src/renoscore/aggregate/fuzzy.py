"""Fuzzy comprehensive evaluation (模糊综合评价, FCE) with a comment set such as {优, 良, 中, 差}.

:func:`fuzzy_comprehensive` turns scores into memberships of each grade and composes them with
the weights; :func:`fuzzy_compose` composes memberships that come from elsewhere (e.g. shares of
survey answers). Both end with the grade of maximum membership and a weighted score.

References
----------
Zadeh, L. A. (1965). Fuzzy sets. *Information and Control* 8(3), 338-353.
汪培庄 (Wang Peizhuang) (1983). 《模糊集合论及其应用》. 上海科学技术出版社.
司守奎 & 孙兆亮 (2015). 《数学建模算法与应用》(第2版). 国防工业出版社, 第14章.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._kernels import FloatArray, as_matrix, column_name, inf_problems, row_blocks
from renoscore.aggregate._checks import Missing, check_missing, weight_vector
from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = ["FuzzyEvaluation", "FuzzyOperator", "fuzzy_compose", "fuzzy_comprehensive"]


FuzzyOperator: TypeAlias = Literal["weighted_average", "product_max", "min_max"]


@dataclass(frozen=True)
class FuzzyEvaluation:
    """Result of a fuzzy comprehensive evaluation.

    Attributes
    ----------
    membership : ndarray, shape (N, G)
        The evaluation vector B of each community: its membership in each grade, in the order
        the grades were given. Rows sum to 1 (NaN rows where a score could not be formed).
    grade_index : ndarray of int64, shape (N,)
        Index of the grade with maximum membership (the maximum-membership principle); ties go
        to the grade given first; -1 for a NaN row.
    score : ndarray, shape (N,)
        The weighted score :math:`B \\cdot v / \\sum B` with grade values ``v``.
    grade_values : ndarray, shape (G,)
        The values ``v`` used for the score.
    """

    membership: FloatArray
    grade_index: NDArray[np.int64]
    score: FloatArray
    grade_values: FloatArray


def _check_operator(operator: str) -> None:
    """Refuse an unknown composition operator."""
    if operator not in ("weighted_average", "product_max", "min_max"):
        raise OptionError(
            "unknown fuzzy composition operator",
            [
                Problem(
                    "operator must be 'weighted_average', 'product_max' or 'min_max'",
                    value=operator,
                )
            ],
        )


def _compose_block(
    R: FloatArray, nan: NDArray[np.bool_], w: FloatArray, operator: str, missing: Missing
) -> FloatArray:
    """Compose memberships R (n, M, G) with weights w (M,); ``nan`` marks missing cells (n, M)."""
    R0 = np.where(nan[:, :, None], 0.0, R)
    positive = w > 0
    hit = (nan & positive).any(axis=1)
    if missing == "renormalize":
        present = np.where(nan, 0.0, w).sum(axis=1)
        # A row with nothing present keeps scale 1 (its B is 0, set to NaN below): 1/0 would
        # make 0 * inf and a warning.
        scale = np.ones(R.shape[0])
        np.divide(1.0, present, out=scale, where=hit & (present > 0))
    else:
        scale = np.ones(R.shape[0])
    if operator == "weighted_average":
        B = np.einsum("nmg,m->ng", R0, w) * scale[:, None]
    elif operator == "product_max":
        B = (R0 * w[None, :, None]).max(axis=1) * scale[:, None]
    else:  # min_max: the Zadeh max-min composition
        wn = w[None, :] * scale[:, None]
        B = np.minimum(R0, wn[:, :, None]).max(axis=1)
    if missing == "propagate":
        B[hit] = np.nan
    else:
        B[hit & ~(np.where(nan, 0.0, w).sum(axis=1) > 0)] = np.nan
    return np.asarray(B, dtype=np.float64)


def _finish_fuzzy(B: FloatArray, values: FloatArray, operator: str) -> FuzzyEvaluation:
    total = B.sum(axis=1)
    if operator != "weighted_average":
        with np.errstate(invalid="ignore", divide="ignore"):
            B = B / total[:, None]
        total = np.ones_like(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (B @ values) / total
    bad = np.isnan(B).any(axis=1)
    index = np.argmax(np.where(np.isnan(B), -np.inf, B), axis=1).astype(np.int64)
    index[bad] = -1
    score[bad] = np.nan
    B[bad] = np.nan
    return FuzzyEvaluation(B, index, score, values)


def _grade_vector(values: ArrayLike, name: str, size: int | None = None) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size < 2 or not np.isfinite(arr).all() or (size is not None and arr.size != size):
        raise OptionError(
            f"{name} must be finite numbers, one per grade (at least two)",
            [Problem(f"{name} = {arr.tolist()}")],
        )
    return arr


def fuzzy_comprehensive(
    S: ArrayLike,
    W: ArrayLike,
    grades: ArrayLike,
    membership: Literal["triangular", "trapezoidal"] = "triangular",
    operator: FuzzyOperator = "weighted_average",
    *,
    grade_values: ArrayLike | None = None,
    plateau: float = 0.5,
    missing: Missing = "propagate",
    labels: Sequence[str] | None = None,
) -> FuzzyEvaluation:
    r"""Fuzzy comprehensive evaluation (模糊综合评价) of normalised indicator scores.

    1. **Memberships** (Zadeh 1965). ``grades`` are the centres of the comment set, e.g.
       {优 85, 良 70, 中 55, 差 40} on a 0-100 scale, in the same units as ``S``. Each score
       :math:`s_{ij}` gets a membership :math:`r_{ijg}` in every grade from piecewise-linear
       functions that sum to 1: ``"triangular"`` peaks at each centre and falls linearly to 0 at
       the neighbouring centres; ``"trapezoidal"`` is 1 on a core of ``plateau`` times the
       half-gap on each side of a centre and linear between cores. Scores beyond the outer
       centres belong fully to the outer grade.
    2. **Composition** :math:`B = W \circ R`. ``"weighted_average"`` is the weighted-average
       operator :math:`M(\cdot, \oplus)`: :math:`b_g = \min(1, \sum_j w_j r_{jg})` (the bounded
       sum never binds because the weights and each row of memberships sum to 1), which keeps
       every indicator's information and is the usual choice in the Chinese FCE literature.
       ``"product_max"`` is :math:`M(\cdot, \vee)`: :math:`b_g = \max_j w_j r_{jg}`;
       ``"min_max"`` is Zadeh's :math:`M(\wedge, \vee)`: :math:`b_g = \max_j \min(w_j, r_{jg})`.
       The two max-based results are normalised to sum to 1.
    3. **Result**: the grade of maximum membership, and the weighted score
       :math:`B \cdot v / \sum_g b_g` with grade values ``v`` (the centres by default).

    Parameters
    ----------
    S : array_like, shape (N, M)
        Indicator scores in the units of ``grades`` (e.g. goalpost scores times 100).
    W : array_like, shape (M,)
        Non-negative weights summing to 1.
    grades : array_like, shape (G,)
        Grade centres, strictly increasing or strictly decreasing, G >= 2.
    membership : {"triangular", "trapezoidal"}, default "triangular"
    operator : {"weighted_average", "product_max", "min_max"}, default "weighted_average"
    grade_values : array_like, shape (G,), optional
        Values of the grades for the score; defaults to ``grades``.
    plateau : float, default 0.5
        Trapezoidal core width as a share of the half-gap to each neighbour, in (0, 1).
    missing : {"propagate", "renormalize"}, default "propagate"
        As in :func:`weighted_sum`: a NaN score makes the row NaN, or the weights are
        re-normalised over the indicators present.
    labels : sequence of str, optional

    Returns
    -------
    FuzzyEvaluation

    Raises
    ------
    OptionError, WeightsError, DataValidationError

    References
    ----------
    Zadeh, L. A. (1965), Fuzzy sets, *Information and Control* 8(3), 338-353.
    汪培庄 (Wang Peizhuang) (1983), 《模糊集合论及其应用》, 上海科学技术出版社 (the M(·,⊕)
    and M(∧,∨) composition models).
    司守奎 & 孙兆亮 (2015), 《数学建模算法与应用》(第2版), 国防工业出版社, 第14章
    (one-level fuzzy comprehensive evaluation, maximum-membership principle).

    Examples
    --------
    >>> r = fuzzy_comprehensive([[85.0, 62.5]], [0.5, 0.5], grades=[85, 70, 55, 40])
    >>> r.membership
    array([[0.5 , 0.25, 0.25, 0.  ]])
    >>> int(r.grade_index[0]), float(r.score[0])
    (0, 73.75)
    """
    check_missing(missing)
    _check_operator(operator)
    if membership not in ("triangular", "trapezoidal"):
        raise OptionError(
            "unknown membership shape",
            [Problem("membership must be 'triangular' or 'trapezoidal'", value=membership)],
        )
    arr = as_matrix(S, "S")
    n, m = arr.shape
    w = weight_vector(W, m, labels)
    centres = _grade_vector(grades, "grades")
    steps = np.diff(centres)
    if not ((steps > 0).all() or (steps < 0).all()):
        raise OptionError(
            "grade centres must be strictly monotone", [Problem(f"grades = {centres.tolist()}")]
        )
    values = (
        centres
        if grade_values is None
        else _grade_vector(grade_values, "grade_values", centres.size)
    )
    order = np.argsort(centres)
    asc = centres[order]
    g = asc.size
    if membership == "triangular":
        xp = asc
        owner = np.arange(g)
    else:
        if not 0.0 < plateau < 1.0:
            raise OptionError("plateau must be in (0, 1)", [Problem("bad plateau", value=plateau)])
        gaps = np.diff(asc) * plateau / 2.0
        left = asc - np.concatenate(([0.0], gaps))
        right = asc + np.concatenate((gaps, [0.0]))
        xp = np.stack([left, right], axis=1).reshape(-1)
        owner = np.repeat(np.arange(g), 2)
    # Curves for each grade in the caller's order: 1 on the grade's own breakpoints, else 0.
    curves = [(owner == int(np.flatnonzero(order == k)[0])).astype(np.float64) for k in range(g)]
    B = np.empty((n, g))
    for rows in row_blocks(n, m * g):
        block = arr[rows]
        if np.isinf(block).any():
            raise DataValidationError("S contains infinite values", inf_problems(arr, labels))
        nan = np.isnan(block)
        R = np.stack([np.interp(block, xp, fp) for fp in curves], axis=2)
        B[rows] = _compose_block(R, nan, w, operator, missing)
    return _finish_fuzzy(B, values, operator)


def fuzzy_compose(
    R: ArrayLike,
    W: ArrayLike,
    grade_values: ArrayLike,
    operator: FuzzyOperator = "weighted_average",
    *,
    missing: Missing = "propagate",
    labels: Sequence[str] | None = None,
) -> FuzzyEvaluation:
    r"""Compose a given membership matrix with weights: :math:`B = W \circ R` (FCE, step 2).

    For memberships that come from elsewhere, typically survey shares: :math:`r_{jg}` = the share
    of respondents who rated indicator ``j`` in grade ``g``. The operators are those of
    :func:`fuzzy_comprehensive`; the grade of maximum membership and the weighted score
    :math:`B \cdot v / \sum_g b_g` follow.

    Parameters
    ----------
    R : array_like, shape (M, G) or (N, M, G)
        Memberships of each indicator (of each community) in each grade; a NaN in any grade
        marks the indicator as missing.
    W : array_like, shape (M,)
        Non-negative weights summing to 1.
    grade_values : array_like, shape (G,)
        Values of the grades, e.g. (85, 70, 55, 40).
    operator : {"weighted_average", "product_max", "min_max"}, default "weighted_average"
    missing : {"propagate", "renormalize"}, default "propagate"
    labels : sequence of str, optional

    Returns
    -------
    FuzzyEvaluation
        With N = 1 when ``R`` is 2-D.

    Raises
    ------
    OptionError, WeightsError, DataValidationError

    References
    ----------
    Zadeh, L. A. (1965), *Information and Control* 8(3), 338-353.
    司守奎 & 孙兆亮 (2015), 《数学建模算法与应用》(第2版), 第14章 (one-level FCE example).

    Examples
    --------
    >>> R = [[0.1, 0.5, 0.4, 0.0], [0.3, 0.5, 0.2, 0.0]]
    >>> r = fuzzy_compose(R, [0.5, 0.5], grade_values=[85, 70, 55, 40])
    >>> r.membership.round(3), int(r.grade_index[0])
    (array([[0.2, 0.5, 0.3, 0. ]]), 1)
    """
    check_missing(missing)
    _check_operator(operator)
    try:
        arr = np.asarray(R, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataValidationError("R must be numeric", [Problem(str(exc))]) from exc
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3:
        raise DataValidationError(
            "R must have shape (M, G) or (N, M, G)", [Problem(f"R has shape {np.shape(R)}")]
        )
    _, m, g = arr.shape
    w = weight_vector(W, m, labels)
    values = _grade_vector(grade_values, "grade_values", g)
    finite = np.isfinite(arr) | np.isnan(arr)
    out_of_range = ~np.isnan(arr) & ((arr < 0) | (arr > 1))
    if not finite.all() or out_of_range.any():
        idx = np.argwhere(~finite | out_of_range)[:20]
        raise DataValidationError(
            "memberships must lie in [0, 1]",
            [
                Problem(
                    "membership outside [0, 1]",
                    row=int(i) + 1,
                    column=column_name(int(j), labels),
                    path=f"grade {int(k)}",
                    value=float(arr[i, j, k]),
                )
                for i, j, k in idx
            ],
        )
    nan: NDArray[np.bool_] = np.asarray(np.isnan(arr).any(axis=2), dtype=np.bool_)
    B = _compose_block(arr, nan, w, operator, missing)
    return _finish_fuzzy(B, values, operator)
