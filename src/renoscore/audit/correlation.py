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


def spearman_pairwise(Z: FloatArray) -> FloatArray:
    """Spearman's rho of every pair of columns on the pair's complete rows.

    Each column is ranked once over its observed values (average ranks for ties); a pair
    whose complete rows differ from those of either column is re-ranked on its own complete
    rows (R's ``cor(method = "spearman", use = "pairwise.complete.obs")``), so the loop runs
    only over the pairs that missing cells make different.

    Examples
    --------
    >>> Z = np.array([[1.0, 1.0, 1.0], [2.0, 3.0, np.nan], [3.0, 2.0, 5.0], [4.0, 4.0, 0.0]])
    >>> spearman_pairwise(Z).round(3).tolist()[0]
    [1.0, 0.8, -0.5]
    """
    observed = ~np.isnan(Z)
    ranks = rank(Z, method="average", descending=False, tol=0.0)
    rho = pairwise_moments(ranks).r
    m = Z.shape[1]
    for a in range(m):
        for b in range(a + 1, m):
            both = observed[:, a] & observed[:, b]
            if np.array_equal(both, observed[:, a]) and np.array_equal(both, observed[:, b]):
                continue
            if both.sum() < 2:
                rho[a, b] = rho[b, a] = np.nan
                continue
            sub = rank(Z[both][:, [a, b]], method="average", descending=False, tol=0.0)
            rho[a, b] = rho[b, a] = pairwise_moments(sub).r[0, 1]
    return rho


def correlations(Z: FloatArray) -> Correlations:
    """Pearson (with p-values) and Spearman correlations of every pair of columns of ``Z``.

    Parameters
    ----------
    Z : ndarray, shape (N, V)
        Node scores (indicators and groups), NaN where not observed.

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
        spearman=spearman_pairwise(Z),
        n=pm.n,
        p_pearson=pearson_p_values(pm.r, pm.n),
        moments=pm,
    )
