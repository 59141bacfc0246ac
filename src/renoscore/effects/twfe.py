r"""Least squares with absorbed fixed effects and cluster-robust standard errors, many outcomes at once.

:func:`within_ols` fits

.. math:: y_{ij} = \alpha_{g(i)j} + x_i'\beta_j + \varepsilon_{ij}

for every outcome column ``j`` with the same regressors: the group effects :math:`\alpha` are
absorbed by demeaning within groups (the within transformation; Frisch-Waugh-Lovell, so the
other regressors - phase dummies, the treatment - stay explicit and the fit is exact on an
unbalanced panel), :math:`\hat\beta_j = (\tilde X'\tilde X)^{-1}\tilde X'\tilde y_j`, and the
covariance of the coefficients asked for is the cluster-robust sandwich (Liang & Zeger 1986;
Arellano 1987)

.. math:: \hat V_j = c\,(\tilde X'\tilde X)^{-1}
    \Big(\sum_g \tilde X_g'\hat u_{gj}\hat u_{gj}'\tilde X_g\Big)(\tilde X'\tilde X)^{-1}

with the small-sample factor ``c`` named by ``correction``:

* ``"stata"`` (default): :math:`c = \frac{G}{G-1}\frac{N-1}{N-K}` with ``K`` the regressors
  that are not absorbed plus the constant; fixed effects nested within the clusters are not
  counted. This is what Stata's ``xtreg, fe vce(cluster)`` and ``reghdfe`` print (StataCorp,
  *[XT] xtreg*; Correia 2016, reghdfe FAQ "fixed effect nested within cluster"), and ``regress,
  vce(cluster)`` when nothing is absorbed;
* ``"full"``: the same with every fixed effect counted in ``K`` (``K`` = regressors + number of
  groups), as a regression on explicit group dummies gives it (statsmodels' ``OLS(...)
  .fit(cov_type="cluster")``, R ``lm`` + ``sandwich::vcovCL(type="HC1")``);
* ``"cluster"``: :math:`c = G/(G-1)` only;
* ``"none"``: :math:`c = 1` (CR0, e.g. ``ivreg2`` without ``small``).

Outcomes with missing values are fitted on their own rows: columns that share a pattern of
missing rows share one solve. Groups left with a single row carry no within information and
are dropped before counting ``N`` and ``G`` (singletons; Correia 2015), as ``reghdfe`` does.

References
----------
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. *Biometrika* 73(1), 13-22.
Arellano, M. (1987). Computing robust standard errors for within-groups estimators. *Oxford
    Bulletin of Economics and Statistics* 49(4), 431-434.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372 (the small-sample factors, section VI).
Correia, S. (2015). Singletons, cluster-robust standard errors and fixed effects: a bad mix.
    Technical note, Duke University.

Examples
--------
>>> import numpy as np
>>> y = np.array([[1.0], [3.0], [2.0], [6.0]])
>>> X = np.array([[0.0], [1.0], [0.0], [1.0]])
>>> fit = within_ols(y, X, np.array([0, 0, 1, 1]), correction="none")
>>> fit.coef[0, 0]
np.float64(3.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple, TypeAlias, get_args

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem

__all__ = ["CORRECTIONS", "ClusteredFit", "Correction", "within_ols"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: The small-sample corrections of the clustered covariance.
Correction: TypeAlias = Literal["stata", "full", "cluster", "none"]
CORRECTIONS: tuple[str, ...] = get_args(Correction)


class ClusteredFit(NamedTuple):
    """Coefficients and clustered covariances of the tested regressors, per outcome column.

    Attributes
    ----------
    coef : ndarray, shape (q, J)
        Coefficients of the ``q`` tested regressors (NaN where one is not identified).
    cov : ndarray, shape (q, q, J)
        Their clustered covariance, with the small-sample factor applied.
    n_obs, n_clusters, n_params : ndarray of int, shape (J,)
        ``N``, ``G`` and ``K`` of each outcome's fit (0 where it could not be fitted).
    factor : ndarray, shape (J,)
        The small-sample factor ``c`` used.
    """

    coef: FloatArray
    cov: FloatArray
    n_obs: IntArray
    n_clusters: IntArray
    n_params: IntArray
    factor: FloatArray


def within_ols(
    Y: FloatArray,
    X: FloatArray,
    groups: IntArray | None,
    clusters: IntArray | None = None,
    *,
    test: Sequence[int] = (0,),
    correction: Correction = "stata",
) -> ClusteredFit:
    """Fit every column of ``Y`` on ``X`` with absorbed group effects; cluster-robust covariance.

    Parameters
    ----------
    Y : ndarray, shape (N, J)
        Outcomes; NaN where a row does not count for that outcome.
    X : ndarray, shape (N, P)
        Regressors (complete). Without ``groups`` a constant is added.
    groups : ndarray of int, shape (N,), or None
        The absorbed fixed effect (e.g. community codes); None absorbs nothing.
    clusters : ndarray of int, shape (N,), optional
        Cluster codes (default: ``groups``).
    test : sequence of int
        The columns of ``X`` whose coefficients and covariance are returned.
    correction : {"stata", "full", "cluster", "none"}
        The small-sample factor (module docstring).

    Returns
    -------
    ClusteredFit

    Raises
    ------
    OptionError
        An unknown correction, or shapes that do not fit.
    """
    if correction not in CORRECTIONS:
        raise OptionError(
            f"unknown small-sample correction {correction!r}",
            [Problem("not a correction", value=correction, fix=f"use one of {list(CORRECTIONS)}")],
        )
    Y = np.asarray(Y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    n, j_count = Y.shape
    if X.shape[0] != n or (groups is not None and len(groups) != n):
        raise OptionError(
            "outcomes, regressors and groups do not fit",
            [
                Problem(
                    f"Y {Y.shape}, X {X.shape}, groups {None if groups is None else len(groups)}"
                )
            ],
        )
    if groups is None:
        X = np.hstack([X, np.ones((n, 1))])
    cl = np.asarray(groups if clusters is None else clusters, dtype=np.intp)
    q = len(test)
    out = ClusteredFit(
        np.full((q, j_count), np.nan),
        np.full((q, q, j_count), np.nan),
        np.zeros(j_count, dtype=np.intp),
        np.zeros(j_count, dtype=np.intp),
        np.zeros(j_count, dtype=np.intp),
        np.full(j_count, np.nan),
    )
    for rows, cols in _patterns(np.isnan(Y)):
        _fit_pattern(Y, X, groups, cl, rows, cols, list(test), correction, out)
    return out


def _patterns(missing: NDArray[np.bool_]) -> list[tuple[NDArray[np.bool_], IntArray]]:
    """The distinct patterns of observed rows, each with the outcome columns that share it.

    Columns are told apart by a hash of their missing rows first (one product), so that only
    columns with the same hash are compared in full.
    """
    n, j_count = missing.shape
    if not missing.any():
        return [(np.ones(n, dtype=bool), np.arange(j_count))]
    weights = np.random.default_rng(0).random(n)
    keys = weights @ missing
    out: list[tuple[NDArray[np.bool_], IntArray]] = []
    for key in np.unique(keys).tolist():
        same = np.flatnonzero(keys == key)
        while same.size:
            first = missing[:, same[0]]
            match = (missing[:, same] == first[:, None]).all(axis=0)
            out.append((~first, same[match]))
            same = same[~match]
    return out


def _fit_pattern(
    Y: FloatArray,
    X: FloatArray,
    groups: IntArray | None,
    clusters: IntArray,
    rows: NDArray[np.bool_],
    cols: IntArray,
    test: list[int],
    correction: str,
    out: ClusteredFit,
) -> None:
    """One solve for the outcome columns ``cols`` that are observed on the same ``rows``."""
    g = None if groups is None else np.asarray(groups, dtype=np.intp)
    if g is not None:
        counts = np.bincount(g[rows], minlength=int(g.max()) + 1)
        rows = rows & (counts[g] > 1)  # singletons carry no within information
    idx = np.flatnonzero(rows)
    if idx.size == 0:
        return
    Xs, Ys, cs = X[idx], Y[np.ix_(idx, cols)], clusters[idx]
    if g is not None:
        both = _demean(np.hstack([Xs, Ys]), _Sorted(g[idx]))
        Xs, Ys = both[:, : X.shape[1]], both[:, X.shape[1] :]
    xtx = Xs.T @ Xs
    rank = int(np.linalg.matrix_rank(xtx)) if xtx.size else 0
    A = np.linalg.pinv(xtx)
    beta = A @ (Xs.T @ Ys)
    resid = Ys - Xs @ beta
    by_cluster = _Sorted(cs)
    n_clusters = by_cluster.count
    n_obs = idx.size
    k = rank + (1 if g is not None else 0)  # the constant, absorbed with the group effects
    if g is not None:
        n_groups = _Sorted(g[idx]).count
        if correction == "full":
            k = rank + n_groups
        elif not _nested(g[idx], cs, n_groups):
            k += n_groups - 1
    factor = _factor(correction, n_obs, n_clusters, k)
    H = Xs @ A[:, test]  # (n, q): the tested coefficients' influence of each row
    scores = by_cluster.sums(H[:, :, None] * resid[:, None, :])
    cov = factor * np.einsum("gqj,grj->qrj", scores, scores)
    identified = np.abs(np.diag(xtx)[test]) > 1e-12 * max(1.0, float(np.abs(xtx).max()))
    coef = beta[test]
    coef[~identified] = np.nan
    cov[~identified] = np.nan
    cov[:, ~identified] = np.nan
    out.coef[:, cols] = coef
    out.cov[:, :, cols] = cov
    out.n_obs[cols] = n_obs
    out.n_clusters[cols] = n_clusters
    out.n_params[cols] = k
    out.factor[cols] = factor


class _Sorted:
    """Rows grouped by integer codes: one stable sort, the start of every group, its size."""

    def __init__(self, codes: IntArray) -> None:
        self.order = np.argsort(codes, kind="stable")
        ordered = codes[self.order]
        self.starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        self.sizes = np.diff(np.r_[self.starts, ordered.size])
        self.count = int(self.starts.size)

    def sums(self, values: FloatArray) -> FloatArray:
        """Sums of ``values`` (rows first) within each group, shape ``(groups, ...)``."""
        return np.asarray(np.add.reduceat(values[self.order], self.starts, axis=0))


def _demean(M: FloatArray, groups: _Sorted) -> FloatArray:
    """``M`` minus its group means, by one sort and one reduction."""
    means = groups.sums(M) / groups.sizes[:, None]
    out = np.empty_like(M)
    out[groups.order] = M[groups.order] - np.repeat(means, groups.sizes, axis=0)
    return out


def _nested(groups: IntArray, clusters: IntArray, n_groups: int) -> bool:
    """Whether every group lies within one cluster (the fixed effects nested in the clusters)."""
    if np.array_equal(groups, clusters):
        return True
    pairs = np.unique(np.stack([groups, clusters]), axis=1)
    return bool(pairs.shape[1] == n_groups)


def _factor(correction: str, n: int, g: int, k: int) -> float:
    """The small-sample factor of the clustered covariance."""
    if correction == "none":
        return 1.0
    if g < 2:
        return float("nan")
    cluster = g / (g - 1)
    if correction == "cluster":
        return cluster
    return cluster * (n - 1) / (n - k) if n > k else float("nan")
