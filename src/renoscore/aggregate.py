"""Aggregation of normalised indicator scores into composite scores.

* :func:`weighted_sum` / :func:`weighted_sum_with_coverage`: the compensatory arithmetic mean,
  for one node or for every node of an indicator tree at once (one matrix product).
* :func:`weighted_geometric`: the non-compensatory weighted geometric mean.
* :func:`topsis`: closeness to the ideal solution (Hwang & Yoon 1981).
* :func:`grey_relational`: grey relational grade (Deng 1982).
* :func:`fuzzy_comprehensive` / :func:`fuzzy_compose`: fuzzy comprehensive evaluation (FCE) with
  a comment set such as {优, 良, 中, 差}.

Scores are pure functions of numpy arrays. NaN marks an excluded cell (missing or not
applicable). ``missing="propagate"`` makes a node score NaN as soon as one of its positively
weighted indicators is NaN; ``missing="renormalize"`` skips NaN cells and re-normalises the
weights over the indicators present, and the *coverage* reports which share of the node's weight
was observed.

The large-input paths work on blocks of rows that fit in cache, so a matrix of a million
communities is read from memory a small, fixed number of times and no temporary of the input's
size is made.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 1.6 (weighting and aggregation).
Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and Applications*.
    Springer, Berlin.
Deng, J.-L. (1982). Control problems of grey systems. *Systems & Control Letters* 1(5), 288-294.
Zadeh, L. A. (1965). Fuzzy sets. *Information and Control* 8(3), 338-353.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import (
    ConstantIndicatorWarning,
    CoverageWarning,
    DataValidationError,
    OptionError,
    Problem,
    WeightsError,
)
from renoscore.normalize import (
    _BLOCK_ELEMENTS,
    Directions,
    _as_matrix,
    _column_name,
    _flat_blocks,
    _inf_problems,
    _row_blocks,
    benefit_mask,
)

__all__ = [
    "FuzzyEvaluation",
    "Missing",
    "WeightedSumResult",
    "fuzzy_compose",
    "fuzzy_comprehensive",
    "grey_relational",
    "topsis",
    "weighted_geometric",
    "weighted_sum",
    "weighted_sum_with_coverage",
]

FloatArray: TypeAlias = NDArray[np.float64]

#: How NaN cells are treated by the aggregations.
Missing: TypeAlias = Literal["propagate", "renormalize"]

#: Weights must sum to 1 within this tolerance.
WEIGHT_SUM_TOL = 1e-9


# ----------------------------------------------------------------------------------------------
# validation helpers
# ----------------------------------------------------------------------------------------------


def _check_missing(missing: str) -> None:
    if missing not in ("propagate", "renormalize"):
        raise OptionError(
            "unknown missing-data policy",
            [Problem("missing must be 'propagate' or 'renormalize'", value=missing)],
        )


def _node_weights(
    W: ArrayLike, n_indicators: int, labels: Sequence[str] | None
) -> tuple[FloatArray, bool]:
    """Validate node weights; return them as (M, K) and whether the input was a vector."""
    try:
        arr = np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise WeightsError("weights must be numeric", [Problem(str(exc))]) from exc
    vector = arr.ndim == 1
    mat = arr.reshape(-1, 1) if vector else arr
    if mat.ndim != 2 or mat.shape[0] != n_indicators or mat.shape[1] == 0:
        raise WeightsError(
            "weights do not match the indicators",
            [
                Problem(
                    f"weights have shape {arr.shape}, expected ({n_indicators},) or "
                    f"({n_indicators}, K)",
                    fix="give one weight per column of the score matrix",
                )
            ],
        )
    problems: list[Problem] = []
    rows, cols = np.nonzero(~np.isfinite(mat) | (mat < 0))
    for j, k in zip(rows, cols, strict=True):
        problems.append(
            Problem(
                "weight must be finite and non-negative",
                column=_column_name(int(j), labels),
                path=None if vector else f"node {int(k)}",
                value=float(mat[j, k]),
            )
        )
    sums = mat.sum(axis=0)
    for k in np.flatnonzero(~(np.abs(sums - 1.0) <= WEIGHT_SUM_TOL)):
        problems.append(
            Problem(
                f"weights sum to {sums[k]!r}, not 1 (tolerance {WEIGHT_SUM_TOL:g})",
                fix="normalise the weights of each node to sum to 1",
                path=None if vector else f"node {int(k)}",
            )
        )
    if problems:
        raise WeightsError("invalid weights", problems)
    return np.ascontiguousarray(mat), vector


def _weight_vector(
    weights: ArrayLike, n_indicators: int, labels: Sequence[str] | None
) -> FloatArray:
    w, vector = _node_weights(weights, n_indicators, labels)
    if not vector:
        raise WeightsError(
            "weights must be a vector",
            [Problem(f"got shape {np.shape(weights)}", fix=f"pass shape ({n_indicators},)")],
        )
    return w[:, 0]


#: Rows viewed as one when a C-order block is reduced per column (see :func:`_column_reduce`).
_FOLD_ROWS = 32


def _column_reduce(ufunc: np.ufunc, block: FloatArray) -> FloatArray:
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


def _blocked_column_stats(
    X: FloatArray, labels: Sequence[str] | None, *, sumsq: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Column min, max (ignoring NaN) and optionally sum of squares, in one pass over X."""
    m = X.shape[1]
    lo = np.full(m, np.nan)
    hi = np.full(m, np.nan)
    sq = np.zeros(m)
    for rows in _row_blocks(*X.shape):
        block = X[rows]
        np.fmin(lo, _column_reduce(np.fmin, block), out=lo)
        np.fmax(hi, _column_reduce(np.fmax, block), out=hi)
        if sumsq:
            part = np.einsum("ij,ij->j", block, block)
            if np.isnan(part).any():
                clean = np.where(np.isnan(block), 0.0, block)
                part = np.einsum("ij,ij->j", clean, clean)
            sq += part
    if np.isinf(lo).any() or np.isinf(hi).any():
        raise DataValidationError("X contains infinite values", _inf_problems(X, labels))
    empty = np.flatnonzero(np.isnan(hi))
    if empty.size:
        raise DataValidationError(
            "an indicator has no value in any community",
            [
                Problem(
                    "column is entirely missing",
                    fix="drop the indicator or supply values",
                    column=_column_name(int(j), labels),
                )
                for j in empty
            ],
        )
    return lo, hi, sq


def _warn_constant(columns: NDArray[np.intp], labels: Sequence[str] | None, result: str) -> None:
    if columns.size:
        names = ", ".join(repr(_column_name(int(j), labels)) for j in columns[:20])
        warnings.warn(
            f"indicator(s) {names} are constant over the batch; {result}",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


# ----------------------------------------------------------------------------------------------
# weighted arithmetic mean
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightedSumResult:
    """Node scores together with the share of each node's weight that was observed.

    Attributes
    ----------
    scores : ndarray, shape (N,) or (N, K)
        The weighted means; NaN where a score could not be formed.
    coverage : ndarray, same shape as ``scores``
        ``P @ W``: the share of the node's weight carried by non-missing indicators (1.0 for a
        complete row, 0.0 when nothing was observed).
    """

    scores: FloatArray
    coverage: FloatArray


def _weighted_mean_kernel(
    S: FloatArray, W: FloatArray, missing: Missing
) -> tuple[FloatArray, FloatArray]:
    """Blocked ``S @ W`` with NaN handling; returns (scores, coverage), both (N, K)."""
    n, m = S.shape
    k = W.shape[1]
    positive = (W > 0).astype(np.float64)
    scores = np.empty((n, k))
    coverage = np.empty((n, k))
    for rows in _row_blocks(n, m):
        block = S[rows]
        nan = np.isnan(block)
        if not nan.any():
            np.matmul(block, W, out=scores[rows])
            coverage[rows] = 1.0
            continue
        nan_f = nan.astype(np.float64)
        hit = (nan_f @ positive) > 0  # a positively weighted indicator is missing
        num = np.where(nan, 0.0, block) @ W
        present = (~nan).astype(np.float64) @ W  # weight observed, P @ W
        cov = np.where(hit, present, 1.0)
        coverage[rows] = cov
        if missing == "propagate":
            scores[rows] = np.where(hit, np.nan, num)
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                # Rows with nothing missing divide by exactly 1, so they equal "propagate".
                res = num / np.where(hit, present, 1.0)
            res[cov <= 0] = np.nan
            scores[rows] = res
    return scores, coverage


def _apply_min_coverage(scores: FloatArray, coverage: FloatArray, min_coverage: float) -> None:
    if not 0.0 <= min_coverage <= 1.0:
        raise OptionError(
            "min_coverage must be in [0, 1]", [Problem("invalid min_coverage", value=min_coverage)]
        )
    if min_coverage > 0.0:
        low = (coverage < min_coverage) & ~np.isnan(scores)
        count = int(low.sum())
        if count:
            scores[low] = np.nan
            warnings.warn(
                f"{count} score(s) rest on less than {min_coverage:.0%} of their node's weight "
                "and were set to NaN",
                CoverageWarning,
                stacklevel=3,
            )


def weighted_sum_with_coverage(
    S: ArrayLike,
    W: ArrayLike,
    *,
    missing: Missing = "propagate",
    min_coverage: float = 0.0,
    labels: Sequence[str] | None = None,
) -> WeightedSumResult:
    r"""Weighted arithmetic mean of indicator scores per node, with the coverage of each score.

    With effective node weights ``W`` of shape (M, K), where column ``k`` holds the global
    weights of the indicators under node ``k`` normalised to sum to 1 within the node, every
    node score is one matrix product (OECD/JRC 2008, section 1.6.2, linear aggregation):

    .. math:: y_{ik} = \sum_j s_{ij} W_{jk}.

    With ``missing="renormalize"`` NaN cells are skipped and the weights re-normalised over the
    indicators present within each node:

    .. math::
        y = \frac{S_0 W}{P W}, \qquad c = P W,

    where ``S_0`` is ``S`` with NaN set to 0 and ``P`` the presence mask (OECD/JRC 2008,
    section 1.4: "case deletion" of a missing sub-indicator with re-scaled weights). ``c`` is the
    coverage: the share of the node's weight that was observed.

    Parameters
    ----------
    S : array_like, shape (N, M)
        Normalised indicator scores (e.g. from :func:`renoscore.normalize.goalposts`).
    W : array_like, shape (M,) or (M, K)
        Weights; every column must be non-negative and sum to 1 (within 1e-9).
    missing : {"propagate", "renormalize"}, default "propagate"
        "propagate": a node score is NaN when a positively weighted indicator of that node is
        NaN (an indicator with zero weight in a node never affects it). "renormalize": see above.
    min_coverage : float, default 0.0
        Scores whose coverage is below this share are set to NaN, with a
        :class:`~renoscore.errors.CoverageWarning`. A node with no observed indicator is always
        NaN.
    labels : sequence of str, optional
        Indicator ids, for error messages.

    Returns
    -------
    WeightedSumResult
        ``scores`` and ``coverage``, each (N,) when ``W`` is a vector, else (N, K).

    Raises
    ------
    WeightsError
        Weights of the wrong shape, negative, not finite, or not summing to 1.
    DataValidationError
        ``S`` is not a numeric 2-D matrix.
    OptionError
        Unknown ``missing`` or ``min_coverage`` outside [0, 1].

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, sections 1.4 and 1.6.2.

    Examples
    --------
    >>> S = [[1.0, 0.5], [float("nan"), 0.5]]
    >>> r = weighted_sum_with_coverage(S, [0.6, 0.4], missing="renormalize")
    >>> r.scores, r.coverage
    (array([0.8, 0.5]), array([1. , 0.4]))
    """
    _check_missing(missing)
    arr = _as_matrix(S, "S")
    w, vector = _node_weights(W, arr.shape[1], labels)
    scores, coverage = _weighted_mean_kernel(arr, w, missing)
    _apply_min_coverage(scores, coverage, min_coverage)
    if vector:
        return WeightedSumResult(scores[:, 0].copy(), coverage[:, 0].copy())
    return WeightedSumResult(scores, coverage)


def weighted_sum(
    S: ArrayLike,
    W: ArrayLike,
    *,
    missing: Missing = "propagate",
    min_coverage: float = 0.0,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Weighted arithmetic mean of indicator scores, ``S @ W`` (OECD/JRC 2008, section 1.6.2).

    The scores of :func:`weighted_sum_with_coverage`; see there for the formula, the
    ``missing`` policies and the meaning of ``W`` as an (M, K) matrix of node weights.

    Parameters
    ----------
    S : array_like, shape (N, M)
    W : array_like, shape (M,) or (M, K)
    missing : {"propagate", "renormalize"}, default "propagate"
    min_coverage : float, default 0.0
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,) or (N, K)

    Raises
    ------
    WeightsError, DataValidationError, OptionError

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.6.2.

    Examples
    --------
    >>> W = [[0.5, 1.0], [0.5, 0.0]]  # node 0 = both indicators, node 1 = the first only
    >>> weighted_sum([[1.0, 0.0], [0.5, 0.5]], W)
    array([[0.5, 1. ],
           [0.5, 0.5]])
    """
    return weighted_sum_with_coverage(
        S, W, missing=missing, min_coverage=min_coverage, labels=labels
    ).scores


# ----------------------------------------------------------------------------------------------
# weighted geometric mean
# ----------------------------------------------------------------------------------------------


def weighted_geometric(
    S: ArrayLike,
    W: ArrayLike,
    *,
    missing: Missing = "propagate",
    epsilon: float = 0.0,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Weighted geometric mean of indicator scores (non-compensatory aggregation).

    .. math:: y_{ik} = \prod_j s_{ij}^{W_{jk}} = \exp\Big(\sum_j W_{jk} \ln s_{ij}\Big)

    (OECD/JRC 2008, section 1.6.2, geometric aggregation; the form of the UNDP 2010 HDI). A poor
    score can be offset only partly by a good one, so balanced profiles are rewarded.

    **Zero rule.** Any score of exactly 0 with a positive weight in a node makes that node's
    score 0 (``0 ** w = 0``), whatever the other indicators, including missing ones. Set
    ``epsilon > 0`` to floor every score at ``epsilon`` first (``s = max(s, epsilon)``), which
    keeps some compensation for indicators at their floor (OECD/JRC 2008 notes that geometric
    aggregation needs strictly positive values). Indicators with zero weight never matter.

    Parameters
    ----------
    S : array_like, shape (N, M)
        Non-negative scores.
    W : array_like, shape (M,) or (M, K)
        Weights; each column non-negative, summing to 1.
    missing : {"propagate", "renormalize"}, default "propagate"
        As in :func:`weighted_sum`; with "renormalize" the exponent is divided by the observed
        weight, i.e. the weights are re-normalised over the indicators present.
    epsilon : float, default 0.0
        Floor applied to the scores before the logarithm; must be >= 0.
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,) or (N, K)

    Raises
    ------
    DataValidationError
        Negative or infinite scores.
    WeightsError, OptionError

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.6.2.
    UNDP (2010), *Human Development Report 2010*, Technical note 1.

    Examples
    --------
    >>> weighted_geometric([[0.25, 1.0], [0.0, 1.0]], [0.5, 0.5])
    array([0.5, 0. ])
    """
    _check_missing(missing)
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise OptionError(
            "epsilon must be finite and >= 0", [Problem("bad epsilon", value=epsilon)]
        )
    arr = _as_matrix(S, "S")
    w, vector = _node_weights(W, arr.shape[1], labels)
    n, m = arr.shape
    positive = (w > 0).astype(np.float64)
    out = np.empty((n, w.shape[1]))
    for rows in _row_blocks(n, m):
        block = arr[rows]
        if np.isinf(block).any():
            raise DataValidationError("S contains infinite values", _inf_problems(arr, labels))
        if (block < 0).any():
            bad_r, bad_c = np.nonzero(arr < 0)
            raise DataValidationError(
                "the geometric mean needs non-negative scores",
                [
                    Problem(
                        "score is negative",
                        fix="normalise to [0, 1] first (e.g. goalposts)",
                        row=int(i) + 1,
                        column=_column_name(int(j), labels),
                        value=float(arr[i, j]),
                    )
                    for i, j in zip(bad_r[:20], bad_c[:20], strict=True)
                ],
            )
        nan = np.isnan(block)
        vals = np.maximum(block, epsilon) if epsilon > 0 else block
        zero = vals == 0
        safe = np.where(nan | zero, 1.0, vals)
        exponent = np.log(safe) @ w
        zero_hit = (zero.astype(np.float64) @ positive) > 0
        if nan.any():
            nan_f = nan.astype(np.float64)
            nan_hit = (nan_f @ positive) > 0
            if missing == "propagate":
                res = np.where(nan_hit, np.nan, np.exp(exponent))
            else:
                present = w.sum(axis=0) - nan_f @ w
                with np.errstate(invalid="ignore", divide="ignore"):
                    res = np.exp(exponent / np.where(nan_hit, present, 1.0))
                res[nan_hit & (present <= 0)] = np.nan
        else:
            res = np.exp(exponent)
        # A zero with positive weight decides the product whatever is missing.
        res[zero_hit] = 0.0
        out[rows] = res
    return out[:, 0].copy() if vector else out


# ----------------------------------------------------------------------------------------------
# TOPSIS
# ----------------------------------------------------------------------------------------------


def topsis(
    X: ArrayLike,
    weights: ArrayLike,
    directions: Directions,
    normalization: Literal["vector", "minmax"] = "vector",
    *,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Closeness to the ideal solution, TOPSIS (Hwang & Yoon 1981).

    1. Normalise each criterion: ``"vector"``, :math:`r_{ij} = x_{ij} / \sqrt{\sum_i x_{ij}^2}`
       (the original method), or ``"minmax"``, :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) /
       (\max_i x_{ij} - \min_i x_{ij})`.
    2. Weight: :math:`v_{ij} = w_j r_{ij}`.
    3. Ideal :math:`A^+` and anti-ideal :math:`A^-`: per criterion the best and worst
       :math:`v_{ij}` over the alternatives (max/min for benefit, min/max for cost).
    4. Euclidean distances :math:`D_i^{\pm} = \sqrt{\sum_j (v_{ij} - A_j^{\pm})^2}`.
    5. Closeness :math:`C_i = D_i^- / (D_i^+ + D_i^-)`, in [0, 1], higher is better.

    **Batch-relative**: the ideal and anti-ideal come from the batch, so closeness changes when
    alternatives are added. A row with a NaN cell gets NaN closeness (the normalising norms,
    minima and maxima use the non-missing cells). A constant criterion contributes nothing to
    either distance (a :class:`~renoscore.errors.ConstantIndicatorWarning` is issued); if every
    criterion is constant all alternatives tie at closeness 0.5.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw decision matrix.
    weights : array_like, shape (M,)
        Non-negative criterion weights summing to 1 (within 1e-9).
    directions : sequence of str or array of bool
        "benefit" or "cost" per criterion.
    normalization : {"vector", "minmax"}, default "vector"
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,)
        Closeness coefficients.

    Raises
    ------
    WeightsError, OptionError
    DataValidationError
        Infinite values, or a criterion with no value at all.

    Notes
    -----
    X is read twice from memory (column statistics, then distances over cache-sized blocks);
    no (N, M) temporary is made.

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, section 2.3.5 (TOPSIS).
    Tzeng, G.-H. & Huang, J.-J. (2011), *Multiple Attribute Decision Making: Methods and
    Applications*, CRC Press, chapter 5 (TOPSIS).

    Examples
    --------
    >>> X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    >>> topsis(X, [0.3, 0.4, 0.3], ["benefit"] * 3).round(4)
    array([0.5037, 0.6581, 0.7482, 0.334 ])
    """
    if normalization not in ("vector", "minmax"):
        raise OptionError(
            "unknown TOPSIS normalisation",
            [Problem("normalization must be 'vector' or 'minmax'", value=normalization)],
        )
    arr = _as_matrix(X)
    n, m = arr.shape
    w = _weight_vector(weights, m, labels)
    benefit = benefit_mask(directions, m, labels=labels)
    lo, hi, sq = _blocked_column_stats(arr, labels, sumsq=normalization == "vector")
    if normalization == "vector":
        norm = np.sqrt(sq)
        degenerate = norm == 0
        scale = np.where(degenerate, 0.0, w / np.where(degenerate, 1.0, norm))
    else:
        span = hi - lo
        degenerate = span == 0
        scale = np.where(degenerate, 0.0, w / np.where(degenerate, 1.0, span))
    _warn_constant(
        np.flatnonzero(degenerate | (hi == lo)), labels, "they do not separate alternatives"
    )
    d_plus = np.empty(n)
    d_minus = np.empty(n)
    # Both normalisations are v = x * scale + shift with scale >= 0, and the ideal and
    # anti-ideal are the images of the column extremes (hi, lo). So
    #     sum_j (v_j - ideal_j)^2 = sum_j scale_j^2 (x_j - x*_j)^2,  x* = hi or lo,
    # measured in the units of x: per distance one subtraction, one square and a
    # matrix-vector product with scale^2, and no weighted matrix is formed. (A degenerate
    # column has scale 0 and drops out, as its v does.) The per-column vectors are tiled over
    # flat blocks (see normalize._flat_blocks).
    best = np.where(benefit, hi, lo)
    worst = np.where(benefit, lo, hi)
    scale2 = scale * scale
    buf = np.empty(max(1, min(n, _BLOCK_ELEMENTS // max(1, m))) * m)
    row = 0
    for x, _, best_t, worst_t in _flat_blocks(arr, arr, best, worst):
        k = x.size
        r = k // m if x.ndim == 1 else x.shape[0]
        db = buf[:k].reshape(x.shape)
        for extreme, dist in ((best_t, d_plus), (worst_t, d_minus)):
            np.subtract(x, extreme, out=db)
            np.multiply(db, db, out=db)
            np.matmul(db.reshape(r, m), scale2, out=dist[row : row + r])
        row += r
    np.sqrt(d_plus, out=d_plus)
    np.sqrt(d_minus, out=d_minus)
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, d_minus / total, 0.5)
    closeness[np.isnan(total)] = np.nan
    return closeness


# ----------------------------------------------------------------------------------------------
# grey relational analysis
# ----------------------------------------------------------------------------------------------


def grey_relational(
    X: ArrayLike,
    weights: ArrayLike,
    directions: Directions,
    rho: float = 0.5,
    reference: ArrayLike | None = None,
    *,
    normalization: Literal["minmax", "none"] = "minmax",
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Grey relational grade of each alternative to a reference sequence (Deng 1982).

    1. Normalise (``"minmax"``, the larger-/smaller-the-better transforms of GRA):
       :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) / (\max_i x_{ij} - \min_i x_{ij})` for benefit
       and :math:`(\max_i x_{ij} - x_{ij}) / (\max_i x_{ij} - \min_i x_{ij})` for cost, so that
       1 is best. With ``"none"`` the input is taken as already-normalised scores where higher
       is better (e.g. goalpost scores); all directions must then be benefit.
    2. Reference :math:`r_{0j}`: the ideal sequence, 1 in every criterion (the best observed
       value after min-max normalisation, or the goalpost target with ``"none"``); or
       ``reference`` given on the raw scale of ``X`` and normalised the same way.
    3. Deviations :math:`\Delta_{ij} = |r_{0j} - r_{ij}|`, with the global (two-level) minimum
       :math:`\Delta_{\min} = \min_i \min_j \Delta_{ij}` and maximum :math:`\Delta_{\max}`.
    4. Grey relational coefficient :math:`\xi_{ij} = (\Delta_{\min} + \rho \Delta_{\max}) /
       (\Delta_{ij} + \rho \Delta_{\max})`, with distinguishing coefficient
       :math:`\rho \in (0, 1]` (0.5 by convention).
    5. Grade :math:`\gamma_i = \sum_j w_j \xi_{ij}`.

    Higher grades are better. **Batch-relative** (min-max and the global extremes). A row with a
    NaN cell gets a NaN grade; the extremes use the non-missing cells. If every deviation is 0,
    every coefficient is 1. A constant criterion normalises to 1 (with a
    :class:`~renoscore.errors.ConstantIndicatorWarning`).

    Parameters
    ----------
    X : array_like, shape (N, M)
    weights : array_like, shape (M,)
        Non-negative, summing to 1 (within 1e-9).
    directions : sequence of str or array of bool
    rho : float, default 0.5
        Distinguishing coefficient in (0, 1].
    reference : array_like, shape (M,), optional
        Reference sequence on the raw scale of ``X`` (e.g. the goalpost targets).
    normalization : {"minmax", "none"}, default "minmax"
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,)

    Raises
    ------
    WeightsError, OptionError, DataValidationError

    References
    ----------
    Deng, J.-L. (1982), Control problems of grey systems, *Systems & Control Letters* 1(5),
    288-294.
    Deng, J.-L. (1989), Introduction to grey system theory, *The Journal of Grey System* 1(1),
    1-24.
    Kuo, Y., Yang, T. & Huang, G.-W. (2008), The use of grey relational analysis in solving
    multiple attribute decision-making problems, *Computers & Industrial Engineering* 55(1),
    80-93.

    Examples
    --------
    >>> X = [[1.0, 10.0], [0.0, 20.0]]
    >>> grey_relational(X, [0.5, 0.5], ["benefit", "cost"])
    array([1.        , 0.33333333])
    """
    if normalization not in ("minmax", "none"):
        raise OptionError(
            "unknown grey relational normalisation",
            [Problem("normalization must be 'minmax' or 'none'", value=normalization)],
        )
    if not (np.isfinite(rho) and 0.0 < rho <= 1.0):
        raise OptionError(
            "rho must be in (0, 1]", [Problem("invalid distinguishing coefficient", value=rho)]
        )
    arr = _as_matrix(X)
    n, m = arr.shape
    w = _weight_vector(weights, m, labels)
    benefit = benefit_mask(directions, m, labels=labels)
    lo, hi, _ = _blocked_column_stats(arr, labels, sumsq=False)
    if normalization == "minmax":
        span = hi - lo
        constant = span == 0
        _warn_constant(np.flatnonzero(constant), labels, "they normalise to 1")
        origin = np.where(benefit, lo, hi)
        scale = np.where(constant, 1.0, np.where(benefit, span, -span))
        add = constant.astype(np.float64)  # constant columns: (x - lo)/1 + 1 = 1
    else:
        if not benefit.all():
            raise OptionError(
                "normalization='none' expects scores where higher is better",
                [
                    Problem(
                        "cost direction with already-normalised scores",
                        fix="normalise first (e.g. goalposts) or use normalization='minmax'",
                        column=_column_name(int(j), labels),
                    )
                    for j in np.flatnonzero(~benefit)
                ],
            )
        origin, scale, add = np.zeros(m), np.ones(m), np.zeros(m)
    if reference is None:
        ref = np.ones(m)
    else:
        ref_raw = np.asarray(reference, dtype=np.float64)
        if ref_raw.shape != (m,) or not np.isfinite(ref_raw).all():
            raise OptionError(
                "reference must be a finite vector with one value per indicator",
                [Problem(f"reference has shape {ref_raw.shape}", fix=f"pass shape ({m},)")],
            )
        ref = (ref_raw - origin) / scale + add

    def deviations(rows: slice) -> FloatArray:
        d = arr[rows] - origin
        d /= scale
        d += add
        np.subtract(ref, d, out=d)
        return np.abs(d, out=d)

    d_min, d_max = np.inf, -np.inf
    for rows in _row_blocks(n, m):
        d = deviations(rows)
        d_min = float(np.fmin(d_min, np.fmin.reduce(d, axis=None)))
        d_max = float(np.fmax(d_max, np.fmax.reduce(d, axis=None)))
    grade = np.empty(n)
    for rows in _row_blocks(n, m):
        d = deviations(rows)
        if d_max > 0:
            d += rho * d_max
            np.divide(d_min + rho * d_max, d, out=d)
        else:
            d[~np.isnan(d)] = 1.0
        np.matmul(d, w, out=grade[rows])
    return grade


# ----------------------------------------------------------------------------------------------
# fuzzy comprehensive evaluation
# ----------------------------------------------------------------------------------------------

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
    _check_missing(missing)
    _check_operator(operator)
    if membership not in ("triangular", "trapezoidal"):
        raise OptionError(
            "unknown membership shape",
            [Problem("membership must be 'triangular' or 'trapezoidal'", value=membership)],
        )
    arr = _as_matrix(S, "S")
    n, m = arr.shape
    w = _weight_vector(W, m, labels)
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
    for rows in _row_blocks(n, m * g):
        block = arr[rows]
        if np.isinf(block).any():
            raise DataValidationError("S contains infinite values", _inf_problems(arr, labels))
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
    _check_missing(missing)
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
    w = _weight_vector(W, m, labels)
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
                    column=_column_name(int(j), labels),
                    path=f"grade {int(k)}",
                    value=float(arr[i, j, k]),
                )
                for i, j, k in idx
            ],
        )
    nan: NDArray[np.bool_] = np.asarray(np.isnan(arr).any(axis=2), dtype=np.bool_)
    B = _compose_block(arr, nan, w, operator, missing)
    return _finish_fuzzy(B, values, operator)
