"""Ranks and grade bands of composite scores.

* :func:`rank` ranks scores (1 = best) with a declared tie method and an explicit tolerance,
  never after rounding; NaN scores get no rank.
* :func:`grade` assigns grade bands such as 优秀 / 良好 / 一般 / 较差 from descending thresholds.

Both are vectorised: :func:`rank` sorts once per column, :func:`grade` is one
``np.searchsorted``.

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika* 33(3), 239-251
    (mid-ranks, i.e. the "average" method).
SciPy developers. ``scipy.stats.rankdata`` documentation (names of the tie methods "average",
    "min", "max", "dense", "ordinal").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = [
    "DEFAULT_GRADE_LABELS",
    "DEFAULT_GRADE_LABELS_ZH",
    "DEFAULT_GRADE_THRESHOLDS",
    "TieMethod",
    "grade",
    "rank",
]

#: How tied scores are ranked.
TieMethod: TypeAlias = Literal["min", "max", "dense", "average", "ordinal"]

#: Default grade bands on the 0-100 scale: excellent >= 85, good >= 70, fair >= 60, else poor
#: (60 as the pass line is the Chinese assessment convention).
DEFAULT_GRADE_THRESHOLDS: tuple[float, ...] = (85.0, 70.0, 60.0)
#: English labels of the default bands, best first.
DEFAULT_GRADE_LABELS: tuple[str, ...] = ("excellent", "good", "fair", "poor")
#: Chinese labels of the default bands, best first.
DEFAULT_GRADE_LABELS_ZH: tuple[str, ...] = ("优秀", "良好", "一般", "较差")


def rank(
    scores: ArrayLike,
    *,
    method: TieMethod = "min",
    descending: bool = True,
    tol: float = 1e-9,
) -> NDArray[np.float64]:
    """Rank scores, 1 = best, treating scores within ``tol`` of each other as tied.

    **Tie rule.** The non-missing scores of a column are sorted (best first). Walking down the
    sorted list, a new tie group starts wherever the gap to the previous score exceeds ``tol``;
    otherwise the score joins the previous group. Ties are therefore decided on the raw values
    with an absolute tolerance, never after rounding, and a chain of small steps
    (each <= ``tol``) forms one group. ``tol=0`` ties only exactly equal scores.

    Tie methods (the names of ``scipy.stats.rankdata``):

    * ``"min"`` (competition ranking, "1224"): every member gets the best rank of the group;
    * ``"max"`` ("1334"): the worst rank of the group;
    * ``"dense"`` ("1223"): groups are numbered 1, 2, 3, ...;
    * ``"average"`` ("1 2.5 2.5 4"): the mean of the group's positions (Kendall 1945);
    * ``"ordinal"`` ("1234"): distinct ranks in sorted order; exactly equal scores keep their
      input order.

    Parameters
    ----------
    scores : array_like, shape (N,) or (N, K)
        Scores; an (N, K) matrix is ranked column by column (one ranking per node).
    method : {"min", "max", "dense", "average", "ordinal"}, default "min"
    descending : bool, default True
        True: the highest score ranks 1. False: the lowest ranks 1.
    tol : float, default 1e-9
        Absolute tolerance for ties; must be finite and >= 0.

    Returns
    -------
    ndarray of float64, same shape as ``scores``
        Ranks; NaN where the score is NaN (a missing score gets no rank and does not count
        when ranking the others).

    Raises
    ------
    OptionError
        Unknown method or invalid ``tol``.
    DataValidationError
        ``scores`` is not numeric, or has more than two dimensions.

    Examples
    --------
    >>> rank([0.9, 0.5, 0.9 + 1e-12, float("nan"), 0.7])
    array([ 1.,  4.,  1., nan,  3.])
    >>> rank([0.9, 0.5, 0.9, 0.7], method="dense")
    array([1., 3., 1., 2.])
    """
    if method not in ("min", "max", "dense", "average", "ordinal"):
        raise OptionError(
            "unknown tie method",
            [
                Problem(
                    "method must be one of 'min', 'max', 'dense', 'average', 'ordinal'",
                    value=method,
                )
            ],
        )
    if not (np.isfinite(tol) and tol >= 0):
        raise OptionError("tol must be finite and >= 0", [Problem("invalid tol", value=tol)])
    arr = _as_scores(scores)
    if arr.ndim not in (1, 2):
        raise DataValidationError(
            "scores must be a vector (N,) or a matrix (N, K)",
            [Problem(f"scores have shape {arr.shape}")],
        )
    n = arr.shape[0]
    if arr.size == 0:
        return np.empty(arr.shape)
    mat = arr.reshape(n, -1)
    key = -mat if descending else mat
    # Stable sort: NaN goes last, and exactly equal keys keep their input order ("ordinal").
    order = np.argsort(key, axis=0, kind="stable")
    sk = np.take_along_axis(key, order, axis=0)
    valid = ~np.isnan(sk)
    with np.errstate(invalid="ignore"):
        gap = np.where(sk[1:] == sk[:-1], 0.0, sk[1:] - sk[:-1])  # +-inf pairs tie
    new = np.ones(sk.shape, dtype=np.bool_)
    new[1:] = (gap > tol) | ~valid[1:]
    pos = np.broadcast_to(np.arange(n, dtype=np.float64)[:, None], sk.shape)
    if method == "ordinal":
        ranks = pos + 1.0
    elif method == "dense":
        ranks = np.cumsum(new, axis=0).astype(np.float64)
    else:
        start = np.maximum.accumulate(np.where(new, pos, 0.0), axis=0)
        is_end = np.ones(sk.shape, dtype=np.bool_)
        is_end[:-1] = new[1:]
        end = np.minimum.accumulate(np.where(is_end, pos, n - 1.0)[::-1], axis=0)[::-1]
        if method == "min":
            ranks = start + 1.0
        elif method == "max":
            ranks = end + 1.0
        else:
            ranks = (start + end) / 2.0 + 1.0
    ranks = np.where(valid, ranks, np.nan)
    out = np.empty(mat.shape)
    np.put_along_axis(out, order, ranks, axis=0)
    return out.reshape(arr.shape)


def _as_scores(scores: ArrayLike) -> NDArray[np.float64]:
    try:
        return np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataValidationError("scores must be numeric", [Problem(str(exc))]) from exc


def _thresholds(thresholds: ArrayLike) -> NDArray[np.float64]:
    thr = np.asarray(thresholds, dtype=np.float64).reshape(-1)
    if (
        thr.size == 0
        or not np.isfinite(thr).all()
        or (thr.size > 1 and not (np.diff(thr) < 0).all())
    ):
        raise OptionError(
            "grade thresholds must be finite and strictly descending",
            [
                Problem(
                    f"thresholds = {thr.tolist()}",
                    fix="list the lower bound of each grade, best grade first, e.g. (85, 70, 60)",
                )
            ],
        )
    return thr


@overload
def grade(
    scores: ArrayLike,
    thresholds: ArrayLike = ...,
    labels: None = None,
    *,
    tol: float = ...,
    missing_label: str = ...,
) -> NDArray[np.int64]: ...


@overload
def grade(
    scores: ArrayLike,
    thresholds: ArrayLike,
    labels: Sequence[str],
    *,
    tol: float = ...,
    missing_label: str = ...,
) -> NDArray[np.str_]: ...


def grade(
    scores: ArrayLike,
    thresholds: ArrayLike = DEFAULT_GRADE_THRESHOLDS,
    labels: Sequence[str] | None = None,
    *,
    tol: float = 0.0,
    missing_label: str = "",
) -> NDArray[np.int64] | NDArray[np.str_]:
    """Assign grade bands from descending lower bounds.

    With thresholds ``(t_0, t_1, ..., t_{G-2})`` strictly descending, a score ``s`` gets grade
    index ``g = #{k : s < t_k}``: index 0 when ``s >= t_0``, index 1 when ``t_1 <= s < t_0``,
    ..., index ``G - 1`` below the last threshold. With the defaults (85, 70, 60): 0 优秀
    excellent (>= 85), 1 良好 good (70 to < 85), 2 一般 fair (60 to < 70), 3 较差 poor (< 60).

    **Boundary rule.** A score on a threshold belongs to the better band (``>=``). Raw scores are
    compared, never rounded: 84.99999999999 is *good*, not *excellent*, unless ``tol`` is given,
    in which case ``s >= t_k - tol`` suffices (use e.g. ``tol=1e-9`` to absorb float error from
    the aggregation, never a display rounding). NaN gets index -1.

    Parameters
    ----------
    scores : array_like, any shape
    thresholds : array_like, shape (G - 1,), default (85, 70, 60)
        Lower bound of each grade but the last, best first, strictly descending.
    labels : sequence of str, optional
        G labels, best first. When given, the labels are returned instead of indices.
    tol : float, default 0.0
        Tolerance below a threshold still counted as reaching it; finite and >= 0.
    missing_label : str, default ""
        Label returned for NaN scores when ``labels`` is given.

    Returns
    -------
    ndarray of int64 (indices, -1 for NaN) or of str (labels), same shape as ``scores``

    Raises
    ------
    OptionError
        Thresholds not strictly descending or not finite, wrong number of labels, bad ``tol``.
    DataValidationError
        Non-numeric scores.

    Examples
    --------
    >>> grade([90.0, 85.0, 84.99999999999, 70.0, 59.9, float("nan")])
    array([ 0,  0,  1,  1,  3, -1])
    >>> grade([85.0, 60.0], (85, 70, 60), ["优秀", "良好", "一般", "较差"]).tolist()
    ['优秀', '一般']
    """
    if not (np.isfinite(tol) and tol >= 0):
        raise OptionError("tol must be finite and >= 0", [Problem("invalid tol", value=tol)])
    thr = _thresholds(thresholds)
    arr = _as_scores(scores)
    ascending = thr[::-1]
    reached = np.searchsorted(ascending, arr + tol, side="right")
    index = (thr.size - reached).astype(np.int64)
    index[np.isnan(arr)] = -1
    if labels is None:
        return index
    names = list(labels)
    if len(names) != thr.size + 1:
        raise OptionError(
            "one label per grade is needed",
            [Problem(f"{len(names)} labels for {thr.size + 1} grades", fix="give G labels")],
        )
    table = np.array([*names, missing_label], dtype=np.str_)
    return table[np.where(index < 0, thr.size + 1, index)]
