"""Correlation structure: indicator with indicator, with its own dimension, other dimensions, overall.

Pearson's and Spearman's correlations of every pair of nodes (indicator scores and group
scores), each on the rows where both are observed ("pairwise complete", as R's
``cor(use = "pairwise.complete.obs")`` and pandas compute them; Spearman re-ranks each pair's
complete rows, average ranks for ties). Three flags, as the JRC's audits read a correlation
matrix (Saisana, Saltelli & Tarantola 2005; OECD/JRC 2008, step 4):

* a **negative** correlation between two children of one group that is significant at 5 %
  (two-sided t-test of Pearson's r with ``n - 2`` degrees of freedom, as COINr's ``get_corr``
  blanks the insignificant ones): the two pull the group in opposite directions (a trade-off);
* **redundancy**: ``|r| > 0.9`` between two children of one group (they measure the same thing
  and double its weight);
* an indicator more correlated with **another dimension** than with its own.

References
----------
Pearson, K. (1896). Mathematical contributions to the theory of evolution III: regression,
heredity and panmixia. Philosophical Transactions of the Royal Society A 187, 253-318.
Spearman, C. (1904). The proof and measurement of association between two things. American
Journal of Psychology 15(1), 72-101.
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. Journal of the Royal
Statistical Society A 168(2), 307-323.
OECD/JRC (2008). Handbook on Constructing Composite Indicators, step 4 (multivariate analysis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from renoscore.audit._pairwise import PairwiseMoments, pairwise_moments
from renoscore.ranking import rank

__all__ = [
    "ALPHA",
    "REDUNDANT_ABOVE",
    "Correlations",
    "correlations",
    "pearson_p_values",
    "spearman_pairwise",
]

FloatArray = NDArray[np.float64]

#: Two children of one group with |r| above this are redundant.
REDUNDANT_ABOVE = 0.9
#: Significance level of the negative-correlation flag.
ALPHA = 0.05


@dataclass(frozen=True, eq=False)
class Correlations:
    """Pairwise-complete correlations of nodes (see :func:`correlations`).

    Attributes
    ----------
    pearson, spearman : ndarray, shape (V, V)
    n : ndarray of int64, shape (V, V)
        Rows observing both nodes.
    p_pearson : ndarray, shape (V, V)
        Two-sided p-value of Pearson's r (t-test, ``n - 2`` degrees of freedom).
    moments : PairwiseMoments
        The pairwise covariances behind Pearson's r (Cronbach's alpha reads them).
    """

    pearson: FloatArray
    spearman: FloatArray
    n: NDArray[np.int64]
    p_pearson: FloatArray
    moments: PairwiseMoments


def pearson_p_values(r: FloatArray, n: NDArray[np.int64]) -> FloatArray:
    """Two-sided p-values of Pearson's r under independence (t with ``n - 2`` df).

    Examples
    --------
    >>> print(round(float(pearson_p_values(np.array(0.5), np.array(20))), 4))
    0.0248
    """
    df = n.astype(np.float64) - 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        t = r * np.sqrt(df / np.maximum(1.0 - r * r, 1e-300))
        p = 2.0 * stats.t.sf(np.abs(t), np.where(df > 0, df, 1.0))
    return np.where((df > 0) & ~np.isnan(r), p, np.nan)


def _subset_ranks(
    order: NDArray[np.intp], group: NDArray[np.intp], keep: NDArray[np.bool_]
) -> FloatArray:
    """Average ranks of the kept rows of one column, from its sorted order and tie groups.

    ``order`` lists the column's observed rows in increasing order, ``group`` numbers their
    tie groups; a kept row's rank is the number of kept rows in lower groups plus the middle
    of its own group's kept rows. NaN for rows not kept. One pass over the column, no sort.
    """
    kept_sorted = keep[order]
    per_group = np.bincount(group, weights=kept_sorted)
    below = np.cumsum(per_group) - per_group
    out = np.full(keep.shape[0], np.nan)
    out[order[kept_sorted]] = (below[group] + (per_group[group] + 1.0) / 2.0)[kept_sorted]
    return out


def spearman_pairwise(
    Z: FloatArray,
    rows: Sequence[int] | None = None,
    cols: Sequence[int] | None = None,
    ranks: FloatArray | None = None,
) -> FloatArray:
    """Spearman's rho of pairs of columns, each pair on its own complete rows.

    Average ranks for ties, recomputed on each pair's complete rows as R's
    ``cor(method = "spearman", use = "pairwise.complete.obs")`` and pandas do. Every column is
    sorted once; a pair whose complete rows differ from a column's observed rows re-ranks that
    column by one pass over its sorted order (no new sort). ``rows`` and ``cols`` restrict the
    pairs computed (default: all); the others are NaN. ``ranks``: the columns' average ranks
    over their observed values, when the caller has them already.

    Examples
    --------
    >>> Z = np.array([[1.0, 1.0, 1.0], [2.0, 3.0, np.nan], [3.0, 2.0, 5.0], [4.0, 4.0, 0.0]])
    >>> spearman_pairwise(Z).round(3).tolist()[0]
    [1.0, 0.8, -0.5]
    """
    observed = ~np.isnan(Z)
    m = Z.shape[1]
    rows_i = list(range(m)) if rows is None else [int(r) for r in rows]
    cols_i = list(range(m)) if cols is None else [int(c) for c in cols]
    needed = sorted(set(rows_i) | set(cols_i))
    if ranks is None:
        ranks = np.full(Z.shape, np.nan)
        ranks[:, needed] = rank(Z[:, needed], method="average", descending=False, tol=0.0)
    rho = np.full((m, m), np.nan)
    if observed[:, needed].all():  # complete data: Pearson of the ranks, one matrix product
        block = pairwise_moments(ranks[:, needed]).r
        where = {j: k for k, j in enumerate(needed)}
        for a in rows_i:
            for b in cols_i:
                rho[a, b] = rho[b, a] = block[where[a], where[b]]
        return rho
    orders: dict[int, tuple[NDArray[np.intp], NDArray[np.intp]]] = {}

    def order_of(j: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        if j not in orders:
            order = np.flatnonzero(observed[:, j])
            order = order[np.argsort(ranks[order, j], kind="stable")]
            values = Z[order, j]
            group = np.concatenate([[0], np.cumsum(values[1:] != values[:-1])]).astype(np.intp)
            orders[j] = (order, group)
        return orders[j]

    for a in rows_i:
        for b in cols_i:
            if not np.isnan(rho[a, b]) or a == b:
                rho[a, b] = 1.0 if a == b and observed[:, a].sum() > 1 else rho[a, b]
                continue
            both = observed[:, a] & observed[:, b]
            if both.sum() < 2:
                continue
            ra = (
                ranks[:, a]
                if np.array_equal(both, observed[:, a])
                else _subset_ranks(*order_of(a), both)
            )
            rb = (
                ranks[:, b]
                if np.array_equal(both, observed[:, b])
                else _subset_ranks(*order_of(b), both)
            )
            rho[a, b] = rho[b, a] = _pearson(ra[both], rb[both])
    return rho


def _pearson(x: FloatArray, y: FloatArray) -> float:
    dx = x - x.mean()
    dy = y - y.mean()
    den = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    return float((dx * dy).sum() / den) if den > 0 else float("nan")


def correlations(
    Z: FloatArray,
    spearman_rows: Sequence[int] | None = None,
    spearman_cols: Sequence[int] | None = None,
    ranks: FloatArray | None = None,
) -> Correlations:
    """Pearson (with p-values) and Spearman correlations of every pair of columns of ``Z``.

    Parameters
    ----------
    Z : ndarray, shape (N, V)
        Node scores (indicators and groups), NaN where not observed.
    spearman_rows, spearman_cols : sequence of int, optional
        The pairs for Spearman's rho (default all); Pearson's r is computed for every pair.
    ranks : ndarray, shape (N, V), optional
        Average ranks of each column over its observed values, if already at hand.

    Returns
    -------
    Correlations

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=50)
    >>> c = correlations(np.column_stack([x, 2 * x + 1, np.exp(x)]))
    >>> round(float(c.pearson[0, 1]), 12), round(float(c.spearman[0, 2]), 12)
    (1.0, 1.0)
    """
    pm = pairwise_moments(Z)
    return Correlations(
        pearson=pm.r,
        spearman=spearman_pairwise(Z, spearman_rows, spearman_cols, ranks),
        n=pm.n,
        p_pearson=pearson_p_values(pm.r, pm.n),
        moments=pm,
    )
