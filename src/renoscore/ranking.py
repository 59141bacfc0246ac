"""Ranks and grade bands of composite scores.

* :func:`rank` ranks scores (1 = best) with a declared tie method and an explicit tolerance,
  never after rounding; NaN scores get no rank.
* :func:`grade` assigns grade bands such as 优秀 / 良好 / 一般 / 较差 from descending thresholds.

Both are vectorised: :func:`rank` sorts once per column (a contiguous copy of it),
:func:`grade` compares once per threshold.

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
    if arr.size == 0:
        return np.empty(arr.shape)
    if arr.ndim == 1:
        return _rank_vector(arr, method, descending, tol)
    out = np.empty(arr.shape)
    for k in range(arr.shape[1]):
        # One contiguous column at a time: sorting a strided column of a matrix is slower.
        out[:, k] = _rank_vector(np.ascontiguousarray(arr[:, k]), method, descending, tol)
    return out


def _rank_vector(
    scores: NDArray[np.float64], method: TieMethod, descending: bool, tol: float
) -> NDArray[np.float64]:
    """Ranks of one contiguous vector (see :func:`rank`)."""
    n = scores.shape[0]
    key = np.negative(scores) if descending else scores
    order, sk = _stable_argsort(key)  # NaN last; equal keys in input order (for "ordinal")
    valid = n
    if np.isnan(sk[-1]):  # NaN scores sit at the end of the sorted keys
        valid = n - int(np.count_nonzero(np.isnan(sk)))
    sk = sk[:valid]
    out = np.full(n, np.nan) if valid < n else np.empty(n)
    if valid == 0:
        return out
    new = np.empty(valid, dtype=np.bool_)
    new[0] = True
    with np.errstate(invalid="ignore"):
        # A gap wider than tol starts a new tie group; inf - inf (NaN) is a tie.
        np.greater(sk[1:] - sk[:-1], tol, out=new[1:])
    ties = np.flatnonzero(~new) if method == "min" else None
    if method == "ordinal" or (method != "dense" and bool(new.all())):
        ranks = np.arange(1.0, valid + 1.0)
    elif (
        ties is not None and ties.size <= valid // 64 and (ranks := _min_few_ties(valid, ties)).size
    ):
        pass
    elif method == "dense":
        ranks = np.cumsum(new).astype(np.float64)
    else:
        starts = np.flatnonzero(new)
        group = np.cumsum(new) - 1
        if method == "min":
            ranks = starts[group] + 1.0
        else:
            ends = np.empty_like(starts)
            ends[:-1] = starts[1:] - 1
            ends[-1] = valid - 1
            if method == "max":
                ranks = ends[group] + 1.0
            else:
                ranks = (starts[group] + ends[group]) / 2.0 + 1.0
    out[order[:valid]] = ranks
    return out


def _min_few_ties(valid: int, ties: NDArray[np.intp]) -> NDArray[np.float64]:
    """Competition ranks when few sorted positions tie with the one before them.

    Each tied position takes the rank of the position before it, repeated for chains of ties;
    this touches only the ties, where the general rule runs over every score. Returns an empty
    array when the chains are long (the general rule is then cheaper).
    """
    ranks = np.arange(1.0, valid + 1.0)
    for _ in range(32):
        before = ranks[ties - 1]
        if np.array_equal(before, ranks[ties]):
            return ranks
        ranks[ties] = before
    return np.empty(0)


#: Below this many scores numpy's own sort is as fast as the radix sort.
_RADIX_MIN = 1 << 14


def _stable_argsort(key: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """A stable argsort of a float vector (NaN last), by radix for long vectors.

    Returns the order and the sorted keys. Comparison sorts of a million floats take several
    times as long as reading them. The finite keys are mapped to 32-bit integers by the
    order-preserving affine map ``floor((x - min) * (2**32 - 2**16) / (max - min))`` and
    sorted by two stable 16-bit radix passes (numpy's stable sort of 16-bit integers is a
    radix sort), which orders them exactly except among keys closer than
    ``(max - min) / 2**32``; those runs are then sorted on the exact keys, stably.
    Least-significant-digit radix sorting: Knuth (1998), *The Art of Computer Programming*
    vol. 3, section 5.2.5.
    """
    n = key.shape[0]
    if n < _RADIX_MIN:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    finite = np.isfinite(key)
    if not finite.all():
        # -inf first, then the finite keys, +inf, NaN last.
        inner = np.flatnonzero(finite)
        sub, _ = _stable_argsort(key[inner])
        order = np.concatenate(
            [
                np.flatnonzero(key == -np.inf),
                inner[sub],
                np.flatnonzero(key == np.inf),
                np.flatnonzero(np.isnan(key)),
            ]
        )
        return order, key[order]
    lo, hi = float(key.min()), float(key.max())
    scale = (65535.0 * 65536.0) / (hi - lo) if hi > lo else 0.0
    if not (hi > lo and np.isfinite(hi - lo) and np.isfinite(scale)):
        order = np.argsort(key, kind="stable")  # constant, or a range beyond float64
        return order, key[order]
    # Monotone non-decreasing in the key, and below 2**32 whatever the rounding.
    coarse = np.multiply(np.subtract(key, lo), scale).astype(np.uint32)
    high = (coarse >> 16).astype(np.uint16)  # gathered as 2 bytes, not 4
    first = np.argsort(coarse.astype(np.uint16), kind="stable")
    order = first[np.argsort(high[first], kind="stable")]
    sk = key[order]
    descents = np.flatnonzero(sk[1:] < sk[:-1])
    if descents.size:
        # Keys in one 32-bit bucket but out of order: sort each such bucket (a run of the
        # sorted buckets) on the exact keys.
        bucket = coarse[order]
        values = np.unique(bucket[descents])
        starts = np.searchsorted(bucket, values, side="left")
        stops = np.searchsorted(bucket, values, side="right")
        for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
            local = np.argsort(sk[a:b], kind="stable")
            order[a:b] = order[a:b][local]
            sk[a:b] = sk[a:b][local]
    return order, sk


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
    shifted = arr + tol if tol else arr
    # g = #{k : s < t_k}: one comparison per threshold (a handful) beats a binary search per
    # score; counted in int8 (for fewer than 128 grades), widened once at the end.
    # NaN compares False everywhere and is set to -1.
    small = thr.size < 127
    count = np.zeros(arr.shape, dtype=np.int8 if small else np.int64)
    for t in thr.tolist():
        less = np.less(shifted, t)
        count += np.asarray(less).view(np.int8) if small else less
    np.copyto(count, -1, where=np.isnan(arr))
    index = count.astype(np.int64)
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
