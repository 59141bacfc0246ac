"""Internal consistency and dimensionality of each group: Cronbach's alpha and PCA.

For every group of the tree, on its children's scores:

* **Cronbach's alpha** of the pairwise-complete covariance matrix, as COINr's ``get_cronbach``
  computes it, by the survey module's kernel (:func:`renoscore.survey.reliability.cronbach_alpha`:
  one formula, one home). Undefined for a group with one child.
* **Principal components** of the correlation matrix of the complete rows (every child
  observed; R's ``prcomp(scale = TRUE)`` after ``na.omit``, as COINr's ``get_PCA``): the share
  of variance of the first component, ``lambda_1 / k``, and the number of eigenvalues above 1
  (Kaiser 1960). A group measures one thing when the first component carries most of the
  variance and only one eigenvalue exceeds 1 (OECD/JRC 2008, step 4). Not computed, with the
  reason, for one child, fewer complete communities than children, or a child that is
  constant on the complete rows.

Groups have different numbers of children, so this loops over the groups (a few per system);
each group's statistics are one eigen-decomposition of a small matrix.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika
16(3), 297-334.
Kaiser, H. F. (1960). The application of electronic computers to factor analysis. Educational
and Psychological Measurement 20(1), 141-151.
Jolliffe, I. T. (2002). Principal Component Analysis, 2nd ed. Springer, New York.
OECD/JRC (2008). Handbook on Constructing Composite Indicators, step 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore.audit._pairwise import PairwiseMoments
from renoscore.survey.reliability import cronbach_alpha

__all__ = ["GroupConsistency", "group_consistency", "principal_components"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GroupConsistency:
    """Alpha and PCA of one group's children.

    Attributes
    ----------
    k : int
        Children.
    alpha : float
        NaN when undefined (``alpha_reason`` says why).
    complete : int
        Rows with every child observed (the PCA's rows).
    first_share : float
        Share of variance of the first principal component (NaN: ``pca_reason``).
    eigen_above_one : int or None
        Eigenvalues of the correlation matrix above 1 (None when not computed).
    eigenvalues : tuple of float
        Eigenvalues of the correlation matrix, largest first (empty when not computed).
    alpha_reason, pca_reason : str or None
        A code saying why a statistic is not computed: ``one_child``, ``too_few_rows``,
        ``constant_child`` (with ``constant``), ``no_variance``.
    constant : tuple of int
        Positions (among the children) of the children constant on the complete rows.
    """

    k: int
    alpha: float
    complete: int
    first_share: float
    eigen_above_one: int | None
    eigenvalues: tuple[float, ...]
    alpha_reason: str | None = None
    pca_reason: str | None = None
    constant: tuple[int, ...] = ()


def principal_components(X: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Eigenvalues (largest first) of the correlation matrix of complete rows, and which
    columns are constant on them (their correlations are undefined: no eigenvalues then).

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 3.5], [3.0, 6.5], [4.0, 8.0]])
    >>> ev, const = principal_components(x)
    >>> ev.round(4).tolist(), const.tolist()
    ([1.9899, 0.0101], [False, False])
    """
    sd = X.std(axis=0)
    constant = sd <= 1e-12 * (np.abs(X).max(axis=0) + 1e-300)
    if constant.any() or X.shape[0] < 2:
        return np.array([]), constant
    R = np.asarray(np.corrcoef(X, rowvar=False), dtype=np.float64)
    return _eigen(R), np.asarray(constant, dtype=bool)


def group_consistency(
    Z: FloatArray, children: Sequence[int], moments: PairwiseMoments
) -> GroupConsistency:
    """Cronbach's alpha and the PCA summary of one group's children (columns of ``Z``).

    Parameters
    ----------
    Z : ndarray, shape (N, V)
        Node scores, NaN where not observed.
    children : sequence of int
        The columns of the group's children.
    moments : PairwiseMoments
        Pairwise-complete covariances of the columns of ``Z``.

    Returns
    -------
    GroupConsistency

    Examples
    --------
    >>> from renoscore.audit._pairwise import pairwise_moments
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(40, 1))
    >>> Z = f + 0.5 * rng.normal(size=(40, 3))
    >>> g = group_consistency(Z, [0, 1, 2], pairwise_moments(Z))
    >>> bool(g.alpha > 0.8), g.eigen_above_one, bool(g.first_share > 0.7)
    (True, 1, True)
    """
    idx = np.asarray(children, dtype=np.intp)
    k = int(idx.size)
    if k < 2:
        return GroupConsistency(k, np.nan, 0, np.nan, None, (), "one_child", "one_child")
    alpha, alpha_reason = _alpha(moments, idx)
    n_rows = Z.shape[0]
    if n_rows and (moments.n[np.ix_(idx, idx)] == n_rows).all():
        # Every child observed in every row: the complete rows are all rows, and their
        # correlation matrix is the pairwise one already computed.
        complete = n_rows
        R = moments.r[np.ix_(idx, idx)]
        constant = np.isnan(np.diag(R))
        ev = np.array([]) if constant.any() or complete < 2 else _eigen(R)
    else:
        sub = Z[:, idx]
        rows = ~np.isnan(sub).any(axis=1)
        complete = int(rows.sum())
        ev, constant = (np.array([]), np.zeros(k, dtype=bool))
        if complete >= k and complete >= 3:
            ev, constant = principal_components(sub[rows])
    if complete < k or complete < 3:
        return GroupConsistency(k, alpha, complete, np.nan, None, (), alpha_reason, "too_few_rows")
    if ev.size == 0:
        const = tuple(int(c) for c in np.flatnonzero(constant))
        return GroupConsistency(
            k, alpha, complete, np.nan, None, (), alpha_reason, "constant_child", const
        )
    return GroupConsistency(
        k=k,
        alpha=alpha,
        complete=complete,
        first_share=float(ev[0] / ev.sum()),
        eigen_above_one=int((ev > 1.0 + 1e-12).sum()),
        eigenvalues=tuple(float(e) for e in ev),
        alpha_reason=alpha_reason,
    )


def _eigen(R: FloatArray) -> FloatArray:
    """Eigenvalues of a correlation matrix, largest first."""
    return np.asarray(np.linalg.eigvalsh(R)[::-1], dtype=np.float64)


def _alpha(moments: PairwiseMoments, idx: NDArray[np.intp]) -> tuple[float, str | None]:
    """Alpha of the pairwise covariance block, or NaN and why."""
    C = moments.cov[np.ix_(idx, idx)]
    if np.isnan(C).any():
        return np.nan, "too_few_rows"
    if not C.sum() > 0:
        return np.nan, "no_variance"
    return float(cronbach_alpha(C)), None
