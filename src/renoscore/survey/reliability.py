"""Internal-consistency reliability of multi-item scales, batched over groups.

Every coefficient is computed from item covariance matrices, one matrix ``(k, k)`` or a stack
``(..., k, k)`` (one per community, say), so that many groups are handled in one call. The
covariance stacks come from respondent data by :func:`covariances` (complete cases, grouped
without a Python loop over the groups). Coefficients that the data cannot define (fewer than
two respondents, a constant item, too few items) are NaN.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika
16(3), 297-334.
Harman, H. H. (1976). Modern Factor Analysis, 3rd ed. University of Chicago Press. (Iterated
principal-axis factoring, whose fixed point is the unweighted least-squares / minres solution.)
McDonald, R. P. (1999). Test Theory: A Unified Treatment. Lawrence Erlbaum, Mahwah NJ.
(Coefficient omega of a one-factor model, eq. 6.20b.)
Nunnally, J. C. (1978). Psychometric Theory, 2nd ed. McGraw-Hill, New York. (0.70 as the
customary lower bound of alpha for research use.)
Guttman, L. (1940). Multiple rectilinear prediction and the resolution into components.
Psychometrika 5(2), 75-99. (Squared multiple correlations as starting communalities.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import DataValidationError, Problem
from renoscore.survey._stats import GroupIndex, group_index, grouped_sum

__all__ = [
    "ALPHA_WARN_BELOW",
    "ItemAnalysis",
    "alpha_if_item_deleted",
    "corrected_item_total",
    "covariances",
    "cronbach_alpha",
    "item_analysis",
    "omega_total",
]

FloatArray = NDArray[np.float64]

#: Alpha below this draws a warning (Nunnally, 1978).
ALPHA_WARN_BELOW = 0.70

# Iterated principal axis: communalities are kept in [_H_MIN, _H_MAX] (a communality of 1 is a
# Heywood case: the item would have no unique variance; such a case is fitted at the bound, the
# bounded least-squares solution) and a matrix stops when no communality moves by more than
# _H_TOL (omega is then accurate to about 1e-9).
_H_MIN, _H_MAX = 1e-4, 0.9999
_H_TOL = 1e-10
_MAX_ITER = 5000


def _cov_stack(C: ArrayLike) -> FloatArray:
    arr = np.asarray(C, dtype=np.float64)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise DataValidationError(
            "covariance matrices have the wrong shape",
            [Problem(f"shape {arr.shape} is not (k, k) or (..., k, k)")],
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(x) for x in np.argwhere(bad)[0])
        raise DataValidationError(
            "covariance matrices must be finite",
            [Problem("not a finite number", path=f"entry {where}", value=float(arr[where]))],
        )
    return arr


def cronbach_alpha(C: ArrayLike) -> FloatArray:
    """Cronbach's alpha of item covariance matrices.

    ``alpha = k / (k - 1) * (1 - sum_i s_ii / sum_ij s_ij)`` (Cronbach, 1951): ``k`` items,
    ``s_ii`` the item variances, ``sum_ij s_ij`` the variance of the total score. NaN for
    ``k < 2`` or a total variance that is not positive.

    Parameters
    ----------
    C : array_like, shape (k, k) or (..., k, k)
        Item covariance matrices (or correlation matrices: standardised alpha).

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Cronbach (1951).

    Examples
    --------
    >>> R = [[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]
    >>> print(round(float(cronbach_alpha(R)), 4))
    0.75
    """
    arr = _cov_stack(C)
    k = arr.shape[-1]
    trace = np.trace(arr, axis1=-2, axis2=-1)
    total = arr.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(
            (total > 0) & (k >= 2),
            k / max(k - 1, 1) * (1.0 - trace / np.where(total > 0, total, 1.0)),
            np.nan,
        )
    return np.asarray(out, dtype=np.float64)


def _item_parts(C: ArrayLike) -> tuple[int, FloatArray, FloatArray, FloatArray]:
    """The parts of the item statistics: ``k``, the item variances ``s_ii``, each item's
    covariance with the total ``sum_j s_ij``, and the variance of the total without each item,
    ``sum C - 2 sum_j s_ij + s_ii`` (all shape ``(..., k)`` but ``k``)."""
    arr = _cov_stack(C)
    diag = np.diagonal(arr, axis1=-2, axis2=-1)
    rows = arr.sum(axis=-1)
    total = arr.sum(axis=(-2, -1))[..., None]
    return arr.shape[-1], diag, rows, total - 2.0 * rows + diag


def alpha_if_item_deleted(C: ArrayLike) -> FloatArray:
    """Cronbach's alpha of the scale without each item in turn.

    Without item ``i`` the item-variance sum is ``tr C - s_ii`` and the total variance
    ``sum C - 2 sum_j s_ij + s_ii``; alpha then follows Cronbach (1951) with ``k - 1`` items.
    NaN for ``k < 3`` (one item left has no alpha).

    Parameters
    ----------
    C : array_like, shape (k, k) or (..., k, k)
        Item covariance matrices.

    Returns
    -------
    ndarray, shape (..., k)
        Entry ``i``: alpha of the other ``k - 1`` items.

    References
    ----------
    Cronbach (1951).

    Examples
    --------
    >>> R = [[1, .6, .2], [.6, 1, .2], [.2, .2, 1]]
    >>> print(alpha_if_item_deleted(R).round(3))
    [0.333 0.333 0.75 ]
    """
    k, diag, _, tot_i = _item_parts(C)
    trace = diag.sum(axis=-1, keepdims=True)
    tr_i = trace - diag
    if k < 3:
        return np.full(diag.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(
            tot_i > 0, (k - 1) / (k - 2) * (1.0 - tr_i / np.where(tot_i > 0, tot_i, 1.0)), np.nan
        )
    return np.asarray(out, dtype=np.float64)


def corrected_item_total(C: ArrayLike) -> FloatArray:
    """Corrected item-total correlations: each item with the sum of the other items.

    ``r_i = (sum_j s_ij - s_ii) / sqrt(s_ii * (sum C - 2 sum_j s_ij + s_ii))``, the correlation
    of item ``i`` with the total score without it (the "item-rest" or "r.drop" correlation of
    item analysis; Nunnally, 1978). NaN for a constant item or ``k < 2``.

    Parameters
    ----------
    C : array_like, shape (k, k) or (..., k, k)
        Item covariance matrices.

    Returns
    -------
    ndarray, shape (..., k)
        Entry ``i``: the correlation of item ``i`` with the sum of the others.

    References
    ----------
    Nunnally (1978).

    Examples
    --------
    >>> R = [[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]
    >>> print(corrected_item_total(R).round(4))
    [0.5774 0.5774 0.5774]
    """
    k, diag, rows, rest_var = _item_parts(C)
    denom = diag * rest_var
    if k < 2:
        return np.full(diag.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, (rows - diag) / np.sqrt(np.where(denom > 0, denom, 1.0)), np.nan)
    return np.asarray(out, dtype=np.float64)


def _one_factor(R: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """One-factor loadings of correlation matrices by iterated principal axes (Harman, 1976).

    Starts from squared multiple correlations (Guttman, 1940); each step puts the communalities
    on the diagonal and takes the leading eigenpair, ``lambda = v sqrt(e)``, ``h = lambda^2``,
    until the communalities stop moving. Returns the loadings (signed so that their sum is
    positive) and whether each matrix converged.
    """
    k = R.shape[-1]
    eye = np.eye(k, dtype=bool)
    inv_diag = np.diagonal(np.linalg.pinv(R, hermitian=True), axis1=-2, axis2=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.clip(1.0 - 1.0 / inv_diag, _H_MIN, _H_MAX)
    h = np.where(np.isfinite(h), h, 0.5)
    batch = R.shape[:-2]
    flat_R = R.reshape(-1, k, k)
    h = h.reshape(-1, k)
    lam = np.zeros((flat_R.shape[0], k))
    converged = np.zeros(flat_R.shape[0], dtype=bool)
    active = np.arange(flat_R.shape[0])
    for _ in range(_MAX_ITER):
        if active.size == 0:
            break
        # Only the matrices still moving are iterated: most converge in a few hundred steps,
        # a near-Heywood one can take thousands.
        reduced = np.where(eye, h[active][:, None, :] * eye, flat_R[active])
        vals, vecs = np.linalg.eigh(reduced)
        new = vecs[:, :, -1] * np.sqrt(np.maximum(vals[:, -1], 0.0))[:, None]
        h_new = np.clip(new * new, _H_MIN, _H_MAX)
        done = np.abs(h_new - h[active]).max(axis=-1) < _H_TOL
        h[active] = h_new
        lam[active] = new
        converged[active[done]] = True
        active = active[~done]
    loadings = lam.reshape(*batch, k)
    sign = np.where(loadings.sum(axis=-1, keepdims=True) < 0, -1.0, 1.0)
    return loadings * sign, converged.reshape(batch)


def omega_total(C: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """McDonald's omega of item covariance matrices under a one-factor model.

    The standardised loadings ``lambda`` of one common factor are fitted by iterated principal
    axes (unweighted least squares; Harman, 1976) and rescaled to the items' standard
    deviations; with unique variances ``psi_i = s_ii - lambda_i^2``,
    ``omega = (sum lambda_i)^2 / ((sum lambda_i)^2 + sum psi_i)`` (McDonald, 1999, eq. 6.20b).
    Omega equals alpha when all loadings are equal (tau-equivalent items) and exceeds it
    otherwise. NaN for ``k < 3`` (one factor is not identified by two items), a constant item,
    or a fit that does not converge.

    Parameters
    ----------
    C : array_like, shape (k, k) or (..., k, k)
        Item covariance matrices.

    Returns
    -------
    omega : ndarray, shape (...)
    loadings : ndarray, shape (..., k)
        Standardised loadings (NaN where omega is NaN).

    References
    ----------
    McDonald (1999); Harman (1976); Guttman (1940).

    Examples
    --------
    >>> lam = np.array([.8, .7, .6, .5])
    >>> R = np.outer(lam, lam); np.fill_diagonal(R, 1.0)
    >>> w, fitted = omega_total(R)
    >>> print(round(float(w), 4), fitted.round(3))
    0.7494 [0.8 0.7 0.6 0.5]
    """
    arr = _cov_stack(C)
    k = arr.shape[-1]
    batch = arr.shape[:-2]
    if k < 3:
        return np.full(batch, np.nan), np.full((*batch, k), np.nan)
    sd = np.sqrt(np.maximum(np.diagonal(arr, axis1=-2, axis2=-1), 0.0))
    usable: NDArray[np.bool_] = np.asarray((sd > 0).all(axis=-1))
    safe_sd = np.where(sd > 0, sd, 1.0)
    R = arr / (safe_sd[..., :, None] * safe_sd[..., None, :])
    R = np.where(usable[..., None, None], R, np.eye(k))
    lam, converged = _one_factor(R)
    lam_c = lam * safe_sd
    common = lam_c.sum(axis=-1) ** 2
    unique = (sd * sd - lam_c * lam_c).sum(axis=-1)
    ok = usable & converged & (common + unique > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        omega = np.where(ok, common / np.where(ok, common + unique, 1.0), np.nan)
    loadings = np.where(ok[..., None], lam, np.nan)
    return np.asarray(omega, dtype=np.float64), np.asarray(loadings, dtype=np.float64)


def covariances(
    X: ArrayLike, groups: ArrayLike | GroupIndex | None = None
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Item means and covariance matrices of complete cases, per group.

    A respondent enters the covariance of a group only if every item is answered (listwise
    deletion, as in Cronbach, 1951). Divisor ``n - 1``; NaN where a group has fewer than two
    complete respondents.

    Parameters
    ----------
    X : array_like, shape (R, k)
        Item answers (reverse-scored items already recoded), NaN where not answered.
    groups : array_like of shape (R,) or GroupIndex, optional
        The group of each respondent; all in one group by default.

    Returns
    -------
    n : ndarray of int64, shape (G,)
        Complete respondents per group.
    means : ndarray, shape (G, k)
    cov : ndarray, shape (G, k, k)

    Examples
    --------
    >>> n, m, C = covariances([[1, 2], [3, 4], [5, float("nan")]])
    >>> n.tolist(), m.tolist(), C[0].tolist()
    ([2], [[2.0, 3.0]], [[2.0, 2.0], [2.0, 2.0]])
    """
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim != 2:
        raise DataValidationError("item answers must be a 2-D array", [Problem(f"{arr.shape}")])
    if groups is None:
        gi = group_index(np.zeros(arr.shape[0], dtype=np.int64))
    elif isinstance(groups, GroupIndex):
        gi = groups
    else:
        gi = group_index(groups)
    complete: NDArray[np.bool_] = np.asarray(np.isfinite(arr).all(axis=1))
    filled = np.where(complete[:, None], arr, 0.0)
    n = np.rint(grouped_sum(complete.astype(np.float64), gi)).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = grouped_sum(filled, gi) / np.where(n > 0, n, 1)[:, None]
        means = np.where((n > 0)[:, None], means, np.nan)
        dev = np.where(complete[:, None], arr - np.nan_to_num(means)[gi.codes], 0.0)
        cross = grouped_sum(dev[:, :, None] * dev[:, None, :], gi)
        cov = np.where((n > 1)[:, None, None], cross / np.maximum(n - 1, 1)[:, None, None], np.nan)
    return n, means, cov


@dataclass(frozen=True, eq=False)
class ItemAnalysis:
    """Reliability of one scale in one or many groups (see :func:`item_analysis`).

    Attributes
    ----------
    n : ndarray of int64, shape (G,)
        Complete respondents per group.
    k : int
        Items.
    alpha, omega : ndarray, shape (G,)
        Cronbach's alpha and McDonald's omega (NaN where undefined or ``n < min_n``).
    alpha_if_deleted, item_total : ndarray, shape (G, k)
        Alpha without each item; corrected item-total correlations.
    loadings : ndarray, shape (G, k)
        Standardised one-factor loadings behind omega.
    item_means, item_sd : ndarray, shape (G, k)
        Per-item mean and standard deviation of the complete cases.
    """

    n: NDArray[np.int64]
    k: int
    alpha: FloatArray
    omega: FloatArray
    alpha_if_deleted: FloatArray
    item_total: FloatArray
    loadings: FloatArray
    item_means: FloatArray
    item_sd: FloatArray


def item_analysis(
    X: ArrayLike, groups: ArrayLike | GroupIndex | None = None, *, min_n: int = 2
) -> ItemAnalysis:
    """Alpha, omega, alpha-if-deleted and item-total correlations from respondent answers.

    Parameters
    ----------
    X : array_like, shape (R, k)
        Item answers (reverse-scored items already recoded), NaN where not answered.
    groups : array_like of shape (R,) or GroupIndex, optional
        The group of each respondent; one group by default.
    min_n : int, default 2
        Groups with fewer complete respondents get NaN coefficients.

    Returns
    -------
    ItemAnalysis

    References
    ----------
    Cronbach (1951); McDonald (1999); Nunnally (1978).

    Examples
    --------
    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> print(round(float(item_analysis(sf).alpha[0]), 3))  # Shrout & Fleiss (1979): ICC(3,k)
    0.909
    """
    n, means, cov = covariances(X, groups)
    k = int(np.asarray(X).shape[1]) if np.asarray(X).ndim == 2 else 0
    enough = n >= max(min_n, 2)
    safe = np.where(enough[:, None, None], np.nan_to_num(cov), np.eye(k))
    alpha = np.where(enough, cronbach_alpha(safe), np.nan)
    omega, loadings = omega_total(safe)
    omega = np.where(enough, omega, np.nan)
    loadings = np.where(enough[:, None], loadings, np.nan)
    aid = np.where(enough[:, None], alpha_if_item_deleted(safe), np.nan)
    itc = np.where(enough[:, None], corrected_item_total(safe), np.nan)
    sd = np.sqrt(np.where(enough[:, None], np.diagonal(safe, axis1=-2, axis2=-1), np.nan))
    return ItemAnalysis(
        n=n, k=k, alpha=alpha, omega=omega, alpha_if_deleted=aid, item_total=itc,
        loadings=loadings, item_means=means, item_sd=sd,
    )  # fmt: skip
