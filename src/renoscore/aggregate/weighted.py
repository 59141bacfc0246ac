"""Weighted means of indicator scores per node: the arithmetic and the geometric mean.

* :func:`weighted_sum` / :func:`weighted_sum_with_coverage`: the compensatory arithmetic mean,
  for one node or for every node of an indicator tree at once (one matrix product), with the
  share of each node's weight that was observed.
* :func:`weighted_geometric`: the non-compensatory weighted geometric mean.

``missing="propagate"`` makes a node score NaN as soon as one of its positively weighted
indicators is NaN; ``missing="renormalize"`` skips NaN cells and re-normalises the weights over
the indicators present (one formula with the tree mean of :func:`renoscore.aggregate.tree_means`).

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Sections 1.4 (missing data) and 1.6 (weighting and aggregation).
UNDP (2010). *Human Development Report 2010*, Technical note 1 (geometric aggregation).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from renoscore._kernels import FloatArray, as_matrix, cell_problems, inf_problems, row_blocks
from renoscore.aggregate._checks import Missing, check_missing, node_weights
from renoscore.aggregate._means import finish_mean, present_sums
from renoscore.errors import CoverageWarning, DataValidationError, OptionError, Problem

__all__ = ["WeightedSumResult", "weighted_geometric", "weighted_sum", "weighted_sum_with_coverage"]


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
    for rows in row_blocks(n, m):
        block = S[rows]
        nan = np.isnan(block)
        if not nan.any():
            np.matmul(block, W, out=scores[rows])
            coverage[rows] = 1.0
            continue
        hit = (nan.astype(np.float64) @ positive) > 0  # a positively weighted indicator is missing
        num, present, _ = present_sums(block, W, present=~nan)  # present: weight observed, P @ W
        coverage[rows] = np.where(hit, present, 1.0)
        if missing == "propagate":
            scores[rows] = np.where(hit, np.nan, num)
        else:
            # Rows with nothing missing keep the plain sum (divided by exactly 1), so they
            # equal "propagate".
            scores[rows] = np.where(hit, finish_mean(num, present), num)
    return scores, coverage


def _apply_min_coverage(scores: FloatArray, coverage: FloatArray, min_coverage: float) -> None:
    """Set scores resting on less than ``min_coverage`` of their node's weight to NaN, warning."""
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
    check_missing(missing)
    arr = as_matrix(S, "S")
    w, vector = node_weights(W, arr.shape[1], labels)
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
    check_missing(missing)
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise OptionError(
            "epsilon must be finite and >= 0", [Problem("bad epsilon", value=epsilon)]
        )
    arr = as_matrix(S, "S")
    w, vector = node_weights(W, arr.shape[1], labels)
    n, m = arr.shape
    positive = (w > 0).astype(np.float64)
    out = np.empty((n, w.shape[1]))
    for rows in row_blocks(n, m):
        block = arr[rows]
        if np.isinf(block).any():
            raise DataValidationError("S contains infinite values", inf_problems(arr, labels))
        if (block < 0).any():
            problems, _ = cell_problems(
                arr,
                arr < 0,
                labels,
                "score is negative",
                "normalise to [0, 1] first (e.g. goalposts)",
            )
            raise DataValidationError("the geometric mean needs non-negative scores", problems)
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
