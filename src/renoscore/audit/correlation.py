"""Correlation structure: indicator with indicator, with its own dimension, other dimensions, overall.

Pearson's and Spearman's correlations of every pair of nodes (indicator scores and group
scores), each on the rows where both are observed ("pairwise complete", as R's
``cor(use = "pairwise.complete.obs")`` and pandas compute them; Spearman re-ranks each pair's
complete rows, average ranks for ties). Spearman reads the ranks of
:mod:`renoscore.audit.ranks` (exact, or binned for many communities, with a bound on the
error) and re-ranks a pair's rows by subtracting counts, never by sorting again. Three flags, as the JRC's audits read a correlation
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
from renoscore.audit.ranks import ColumnRanks, column_ranks

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
    spearman_error : ndarray, shape (V, V)
        Bound on |rho - exact rho| where rho comes from binned ranks (0 for exact ranks; NaN
        where rho is not computed).
    """

    pearson: FloatArray
    spearman: FloatArray
    n: NDArray[np.int64]
    p_pearson: FloatArray
    moments: PairwiseMoments
    spearman_error: FloatArray


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


def spearman_pairwise(
    Z: FloatArray,
    rows: Sequence[int] | None = None,
    cols: Sequence[int] | None = None,
    ranks: ColumnRanks | None = None,
) -> FloatArray:
    """Spearman's rho of pairs of columns, each pair on its own complete rows.

    Average ranks for ties, recomputed on each pair's complete rows as R's
    ``cor(method = "spearman", use = "pairwise.complete.obs")`` and pandas do. ``rows`` and
    ``cols`` restrict the pairs computed (default: all); the others are NaN. ``ranks``: the
    columns' ranks (:func:`~renoscore.audit.ranks.column_ranks`), when the caller has them
    (default: exact ranks of ``Z``); with binned ranks rho is within
    :meth:`~renoscore.audit.ranks.ColumnRanks.spearman_bound` of the exact one.

    Examples
    --------
    >>> Z = np.array([[1.0, 1.0, 1.0], [2.0, 3.0, np.nan], [3.0, 2.0, 5.0], [4.0, 4.0, 0.0]])
    >>> spearman_pairwise(Z).round(3).tolist()[0]
    [1.0, 0.8, -0.5]
    """
    return _spearman(Z, rows, cols, ranks)[0]


def _spearman(
    Z: FloatArray,
    rows: Sequence[int] | None,
    cols: Sequence[int] | None,
    ranks: ColumnRanks | None,
) -> tuple[FloatArray, FloatArray]:
    """Spearman's rho of the pairs ``rows x cols`` and the bound on its binning error.

    Every sum comes from the rank codes (:mod:`renoscore.audit.ranks`). With no column of the
    pairs missing a value, rho is Pearson's r of the ranks: one product of the rank matrix.
    Otherwise, for each column ``g`` of ``cols`` and every row column ``a`` at once: ``a`` is
    re-ranked on the rows where ``g`` is observed (its code counts less those rows' codes) and
    ``g`` on the rows where each ``a`` is observed (a table of ``g``'s code counts per ``a``,
    less the codes of the rows ``a`` misses); the cross sum is one product of the two rank
    matrices, the sums of squares come from the tables. No loop over pairs, no new sort.
    """
    cr = ranks if ranks is not None else column_ranks(Z, "exact")
    v = cr.n.size
    A = np.arange(v) if rows is None else np.asarray(list(rows), dtype=np.intp)
    G = np.arange(v) if cols is None else np.asarray(list(cols), dtype=np.intp)
    rho = np.full((v, v), np.nan)
    bound = np.full((v, v), np.nan)
    n_rows = cr.index.shape[1]
    if A.size == 0 or G.size == 0:
        return rho, bound
    if (cr.n[A] == n_rows).all() and (cr.n[G] == n_rows).all():
        cross = cr.rank_products(A, G)
        n = np.full(cross.shape, float(n_rows))
        ss_a = np.broadcast_to((cr.spread[A] ** 2)[:, None], cross.shape)
        ss_g = np.broadcast_to((cr.spread[G] ** 2)[None, :], cross.shape)
    else:
        cross, n, ss_a, ss_g = _re_ranked_sums(cr, A, G)
    centre = (n + 1.0) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        num = cross - n * centre * centre
        den = np.sqrt(ss_a * ss_g)
        ok = (n >= 2) & (ss_a > 1e-9 * n**3) & (ss_g > 1e-9 * n**3)
        r = np.clip(np.where(ok, num / np.where(ok, den, 1.0), np.nan), -1.0, 1.0)
        angle_a = np.arcsin(np.clip(cr.error[A][:, None] / np.sqrt(ss_a), 0.0, 1.0))
        angle_g = np.arcsin(np.clip(cr.error[G][None, :] / np.sqrt(ss_g), 0.0, 1.0))
    err = np.where(ok, np.minimum(angle_a + angle_g, 2.0), np.nan)
    same = A[:, None] == G[None, :]
    r = np.where(same & ok, 1.0, r)
    err = np.where(same & ok, 0.0, err)
    rho[np.ix_(A, G)] = r
    rho[np.ix_(G, A)] = r.T
    bound[np.ix_(A, G)] = err
    bound[np.ix_(G, A)] = err.T
    return rho, bound


def _re_ranked_sums(
    cr: ColumnRanks, A: NDArray[np.intp], G: NDArray[np.intp]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Cross sum, count and sums of squares (about the mean) of the pairs' re-ranked ranks."""
    observed = cr.observed
    starts = cr.starts
    shape = (A.size, G.size)
    cross, n, ss_a, ss_g = (np.empty(shape) for _ in range(4))
    miss_a, miss_row = np.nonzero(~observed[A])  # the cells the row columns miss
    plain = np.nan_to_num(cr.ranks[A])
    for k, g in enumerate(G.tolist()):  # per column of ``cols``, all row columns at once
        seen_g = observed[g]
        if seen_g.all():
            ranks_a, ss_a[:, k] = plain, cr.spread[A] ** 2
        else:
            ranks_a, ss_a[:, k] = _re_rank_on(cr, A, seen_g)
        local = cr.index[g] - starts[g]
        size = int(starts[g + 1] - starts[g])
        keep = seen_g[miss_row]
        gone = np.bincount(local[miss_row[keep]] * A.size + miss_a[keep],
                           minlength=size * A.size).reshape(size, A.size)  # fmt: skip
        counts = cr.counts[starts[g] : starts[g + 1], None] - gone
        counts[0] = 0  # the rows g misses
        mid = np.cumsum(counts, axis=0) - 0.5 * (counts - 1)
        n[:, k] = counts.sum(axis=0)
        dev = np.where(counts > 0, mid - (n[:, k] + 1.0) / 2.0, 0.0)
        ss_g[:, k] = (counts * dev * dev).sum(axis=0)
        cross[:, k] = _row_dots(ranks_a, np.ascontiguousarray(mid.T), local)
    return cross, n, ss_a, ss_g


def _row_dots(left: FloatArray, tables: FloatArray, local: NDArray[np.intp]) -> FloatArray:
    """``sum_i left[a, i] * tables[a, local[i]]`` for every row ``a``, a few rows at a time
    (each row's table stays in cache while its values are gathered)."""
    out = np.empty(left.shape[0])
    step = 8
    flat = tables.ravel()
    size = tables.shape[1]
    buf = np.empty((min(step, left.shape[0]), local.size))
    for s in range(0, left.shape[0], step):
        rows = slice(s, min(s + step, left.shape[0]))
        k = rows.stop - rows.start
        where = local[None, :] + (np.arange(rows.start, rows.stop) * size)[:, None]
        np.take(flat, where, out=buf[:k], mode="wrap")
        out[rows] = np.einsum("an,an->a", left[rows], buf[:k])
    return out


def _re_rank_on(
    cr: ColumnRanks, A: NDArray[np.intp], keep: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Ranks of the columns ``A`` among the rows ``keep`` (0 elsewhere), and their sums of
    squares about the mean."""
    starts = cr.starts
    dropped = cr.index[A][:, ~keep]
    counts = cr.counts - np.bincount(dropped.ravel(), minlength=cr.counts.size)
    sizes = np.diff(starts)
    cum = np.cumsum(counts)
    base = cum[starts[:-1]]
    table = cum - np.repeat(base, sizes) - 0.5 * (counts - 1)
    table[starts[:-1]] = 0.0
    n = cum[starts[1:] - 1] - base
    dev = np.where(counts > 0, table - np.repeat((n + 1) / 2.0, sizes), 0.0)
    dev[starts[:-1]] = 0.0
    ss = np.add.reduceat(counts * dev * dev, starts[:-1])
    return table[cr.index[A]] * keep, ss[A]


def correlations(
    Z: FloatArray,
    spearman_rows: Sequence[int] | None = None,
    spearman_cols: Sequence[int] | None = None,
    ranks: ColumnRanks | None = None,
) -> Correlations:
    """Pearson (with p-values) and Spearman correlations of every pair of columns of ``Z``.

    Parameters
    ----------
    Z : ndarray, shape (N, V)
        Node scores (indicators and groups), NaN where not observed.
    spearman_rows, spearman_cols : sequence of int, optional
        The pairs for Spearman's rho (default all); Pearson's r is computed for every pair.
    ranks : ColumnRanks, optional
        The columns' ranks (:func:`~renoscore.audit.ranks.column_ranks`), if already at hand
        (default: exact ranks).

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
    rho, bound = _spearman(Z, spearman_rows, spearman_cols, ranks)
    return Correlations(
        pearson=pm.r,
        spearman=rho,
        n=pm.n,
        p_pearson=pearson_p_values(pm.r, pm.n),
        moments=pm,
        spearman_error=bound,
    )
