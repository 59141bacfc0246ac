"""Effective importance: how much each indicator (and dimension) really counts in the index.

The main effect of a variable ``x_i`` on the index ``y`` is Karl Pearson's correlation ratio
``S_i = V[E(y | x_i)] / V(y)``: the share of the index's variance that ``x_i`` alone explains,
linear or not (Paruolo, Saisana & Saltelli 2013). A nominal weight says how much an indicator
*should* count; ``S_i`` says how much it *does*, given the spread of the data and the
correlations between indicators. The two are compared after normalising each to sum to one over
the indicators compared (Paruolo et al. 2013, section 5).

**Estimation.** ``E(y | x_i)`` is estimated non-parametrically by local linear kernel
regression (Fan 1992) with a Gaussian kernel, as Paruolo et al. (2013) do, and its bandwidth is
chosen per variable by leave-one-out cross-validation (Bowman & Azzalini 1997). Because
``E(y | x_i)`` is the same for any increasing transform of ``x_i``, the regression runs on the
variable's mid-ranks scaled to (0, 1): skewed or clipped indicators then need no special
bandwidth, and tied values (a goalpost reached by many) stay tied. The rank scale is binned on
a grid of ``bins`` points (Fan & Marron 1994): per variable, three weighted counts of the rows
per grid point, after which every bandwidth and variable costs only small grid-by-grid
products. With binned points at the grid, a linear smoother's leave-one-out residual is the
residual divided by one minus its leverage, so the cross-validation needs no refit.

``S_i`` lies in [0, 1]; it equals the squared Pearson correlation when ``E(y | x_i)`` is linear,
and the between-group share of variance (``eta^2``) for a variable with few values.

References
----------
Paruolo, P., Saisana, M. & Saltelli, A. (2013). Ratings and rankings: voodoo or science?
Journal of the Royal Statistical Society A 176(3), 609-634.
Pearson, K. (1905). On the general theory of skew correlation and non-linear regression.
Drapers' Company Research Memoirs, Biometric Series II. Dulau, London.
Fan, J. (1992). Design-adaptive nonparametric regression. Journal of the American Statistical
Association 87(420), 998-1004.
Fan, J. & Marron, J. S. (1994). Fast implementations of nonparametric curve estimators.
Journal of Computational and Graphical Statistics 3(1), 35-56.
Bowman, A. W. & Azzalini, A. (1997). Applied Smoothing Techniques for Data Analysis. Oxford
University Press.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.audit.ranks import ColumnRanks
from renoscore.ranking import rank

__all__ = [
    "BANDWIDTHS",
    "BINS",
    "CLASSES",
    "MainEffects",
    "main_effects",
    "quantile_main_effects",
    "relative",
]

FloatArray = NDArray[np.float64]

#: Grid points of the rank scale.
BINS = 101
#: Quantile classes of the binned estimator.
CLASSES = 100
#: Candidate bandwidths on the rank scale (0, 1), from local to almost linear.
BANDWIDTHS = tuple(float(h) for h in np.geomspace(0.03, 0.6, 14))


@dataclass(frozen=True, eq=False)
class MainEffects:
    """First-order (main) effects of the columns of a matrix on an output.

    Attributes
    ----------
    S : ndarray, shape (V,)
        ``V[E(y|x_i)] / V(y)``; NaN where undefined (fewer than 5 pairs, or ``y`` constant);
        0 for a constant ``x_i``.
    bandwidth : ndarray, shape (V,)
        The bandwidth chosen by cross-validation (rank scale; NaN where not estimated).
    n : ndarray of int64, shape (V,)
        Rows with both ``x_i`` and ``y`` observed.
    constant : ndarray of bool, shape (V,)
    method : str
        ``"local linear"`` (the smoother on exact ranks) or ``"quantile bins"``.
    classes : ndarray of int64, shape (V,)
        Quantile classes with rows (``"quantile bins"``; 0 for the smoother).
    """

    S: FloatArray
    bandwidth: FloatArray
    n: NDArray[np.int64]
    constant: NDArray[np.bool_]
    method: str = "local linear"
    classes: NDArray[np.int64] | None = None


def _binned(
    X: FloatArray, y: FloatArray, bins: int, ranks: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.int64], NDArray[np.bool_]]:
    """Counts, sums of y and of y^2 per grid point of each column's rank scale."""
    ok = ~np.isnan(X) & ~np.isnan(y)[:, None]
    if ranks is not None and not np.isnan(y).any():
        r = ranks  # y observed everywhere: a column's complete rows are its observed rows
    else:
        r = rank(np.where(ok, X, np.nan), method="average", descending=False, tol=0.0)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = (r - 0.5) / n
    cell = np.rint(np.where(ok, u, 0.0) * (bins - 1)).astype(np.intp)
    flat = (cell + bins * np.arange(X.shape[1])).ravel()[ok.ravel()]
    yy = np.broadcast_to(y[:, None], X.shape).ravel()[ok.ravel()]
    size = bins * X.shape[1]
    counts = np.bincount(flat, minlength=size).reshape(X.shape[1], bins).astype(np.float64)
    sums = np.bincount(flat, weights=yy, minlength=size).reshape(X.shape[1], bins)
    squares = np.bincount(flat, weights=yy * yy, minlength=size).reshape(X.shape[1], bins)
    constant = np.asarray((counts > 0).sum(axis=1) == 1)
    return (
        counts,
        sums.astype(np.float64),
        squares.astype(np.float64),
        n.astype(np.int64),
        constant.astype(bool),
    )


def _kernel_parts(bins: int, bandwidths: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Gaussian kernel weights times (b - g)^k, k = 0, 1, 2, shape (H, G, G)."""
    grid = np.linspace(0.0, 1.0, bins)
    d = grid[None, :] - grid[:, None]  # d[g, b] = x_b - x_g
    K = np.exp(-0.5 * (d[None] / bandwidths[:, None, None]) ** 2)
    return K, K * d[None], K * (d * d)[None]


def main_effects(
    X: ArrayLike,
    y: ArrayLike,
    *,
    bins: int = BINS,
    bandwidths: tuple[float, ...] = BANDWIDTHS,
    ranks: ArrayLike | None = None,
) -> MainEffects:
    """Main effect ``S_i = V[E(y|x_i)] / V(y)`` of every column of ``X`` on ``y``.

    Local linear regression on the rank scale with a leave-one-out cross-validated bandwidth
    (see the module description; Paruolo, Saisana & Saltelli 2013). Each column uses the rows
    where it and ``y`` are observed.

    Parameters
    ----------
    X : array_like, shape (N, V)
    y : array_like, shape (N,)
    bins : int, default 101
        Grid points of the rank scale.
    bandwidths : tuple of float
        Candidate bandwidths (rank scale).
    ranks : array_like, shape (N, V), optional
        Average ranks of each column over its observed values, if already at hand.

    Returns
    -------
    MainEffects

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(-1, 1, size=(4000, 2))
    >>> y = x[:, 0] + x[:, 1] ** 2  # S_1 = (1/3) / (1/3 + 4/45), S_2 = (4/45) / (...)
    >>> print(main_effects(x, y).S.round(2))
    [0.79 0.21]
    """
    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    given = None if ranks is None else np.asarray(ranks, dtype=np.float64)
    counts, sums, squares, n, constant = _binned(Xa, ya, bins, given)
    hs = np.asarray(bandwidths, dtype=np.float64)
    K0, K1, K2 = _kernel_parts(bins, hs)
    s0, s1, s2 = (np.einsum("hgb,cb->hcg", K, counts) for K in (K0, K1, K2))
    t0, t1 = (np.einsum("hgb,cb->hcg", K, sums) for K in (K0, K1))
    with np.errstate(invalid="ignore", divide="ignore"):
        det = s0 * s2 - s1 * s1
        good = det > 1e-12 * np.maximum(s0 * s2, 1e-300)
        fit = np.where(good, (s2 * t0 - s1 * t1) / np.where(good, det, 1.0), np.nan)
        leverage = np.where(good, s2 / np.where(good, det, 1.0), np.nan)  # K(0) = 1
        resid = squares - 2.0 * fit * sums + counts * fit * fit
        loo = resid / (1.0 - leverage) ** 2
    used = counts[None] > 0
    bad = (used & (~good | ~(leverage < 1.0 - 1e-9))).any(axis=2)
    cv = np.where(bad, np.inf, np.where(used, loo, 0.0).sum(axis=2))
    # A variable none of whose bandwidths can be cross-validated (a value held by a single
    # row has leverage 1: few distinct values) takes the smoothest fit that exists there.
    fits = (used & ~np.isnan(fit)).sum(axis=2) == used.sum(axis=2)
    fallback = np.where(fits.any(axis=0), fits.shape[0] - 1 - np.argmax(fits[::-1], axis=0), 0)
    best = np.where(np.isfinite(cv).any(axis=0), np.argmin(cv, axis=0), fallback)
    cols = np.arange(Xa.shape[1])
    m = fit[best, cols]  # (C, G)
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_y = sums.sum(axis=1) / nf
        var_y = squares.sum(axis=1) / nf - mean_y**2
        var_fit = np.where(used[0], counts * (np.nan_to_num(m) - mean_y[:, None]) ** 2, 0.0)
        S = np.clip(var_fit.sum(axis=1) / nf / var_y, 0.0, 1.0)
    finite = fits[best, cols]
    defined = (n >= 5) & (var_y > 1e-12 * np.maximum(mean_y**2, 1e-300))
    S = np.where(defined & constant, 0.0, np.where(defined & finite, S, np.nan))
    bandwidth = np.where(defined & finite & ~constant, hs[best], np.nan)
    return MainEffects(S=S, bandwidth=bandwidth, n=n, constant=constant)


def quantile_main_effects(
    ranks: ColumnRanks,
    y: ArrayLike,
    columns: ArrayLike | None = None,
    *,
    classes: int = CLASSES,
) -> MainEffects:
    """Main effects ``S_i = V[E(y|x_i)] / V(y)`` from quantile classes of the columns' ranks.

    The given-data estimator of first-order indices (Plischke, Borgonovo & Smith 2013; Strong
    & Oakley 2013): the rows are cut into ``classes`` classes of equal count along ``x_i``'s
    ranks and ``E(y|x_i)`` is the mean of ``y`` in each class, so ``S_i`` is the between-class
    share of ``y``'s variance (Pearson's correlation ratio ``eta^2`` of the classes), corrected
    for the share that ``classes - 1`` class means take from noise alone (Kelley's
    ``epsilon^2``: ``1 - (n - 1) / (n - k) * (1 - eta^2)`` with ``k`` classes holding rows).
    It is the local linear smoother of :func:`main_effects` with the narrowest window: the
    smoother pools neighbouring classes, which matters when classes hold few rows; with tens
    of thousands of rows each class holds hundreds and the two agree (Paruolo, Saisana &
    Saltelli 2013 use the smoother on their 100-odd countries).

    The classes come from the rank codes' cumulative counts: a code (a value, or a bin of
    binned ranks) belongs to the class of its mid-rank, so tied rows share a class and a
    variable with few values has one class per value (``S_i`` is then ``epsilon^2`` of its
    groups). The sums of ``y`` per code are one weighted count per column; nothing is sorted.

    Parameters
    ----------
    ranks : ColumnRanks
    y : array_like, shape (N,)
        The output (NaN rows left out).
    columns : array_like of int, optional
        The columns of ``ranks`` (default all).
    classes : int, default 100
        Classes at most (and at most ``sqrt(n)``).

    Returns
    -------
    MainEffects

    References
    ----------
    Plischke, E., Borgonovo, E. & Smith, C. L. (2013). Global sensitivity measures from given
    data. European Journal of Operational Research 226(3), 536-550.
    Strong, M. & Oakley, J. E. (2013). An efficient method for computing single-parameter
    partial expected value of perfect information. Medical Decision Making 33(6), 755-766.
    Kelley, T. L. (1935). An unbiased correlation ratio measure. PNAS 21(9), 554-559.

    Examples
    --------
    >>> from renoscore.audit.ranks import column_ranks
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(-1, 1, size=(40_000, 2))
    >>> y = x[:, 0] + x[:, 1] ** 2  # S_1 = (1/3) / (1/3 + 4/45) = 0.79, S_2 = 0.21
    >>> print(quantile_main_effects(column_ranks(x, "binned"), y).S.round(2))
    [0.79 0.21]
    """
    ya = np.asarray(y, dtype=np.float64)
    cols = np.arange(ranks.n.size) if columns is None else np.asarray(columns, dtype=np.intp)
    seen_y = ~np.isnan(ya)
    yc = np.where(seen_y, ya - np.nanmean(ya), 0.0) if seen_y.any() else np.zeros(ya.shape)
    counts, sums, moments = _code_sums(ranks, cols, yc, seen_y)
    sizes = ranks.starts[cols + 1] - ranks.starts[cols]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return _class_effects(counts, sums, starts, moments, classes)


def _code_sums(
    ranks: ColumnRanks, cols: NDArray[np.intp], yc: FloatArray, seen_y: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Rows and sums of the centred ``y`` per code of each column (rows with ``y`` only), and
    each column's sums of ``y`` and ``y^2`` over those rows."""
    parts_c, parts_s = [], []
    moments = np.empty((2, cols.size))
    every = (float(yc.sum()), float(yc @ yc))
    complete_y = bool(seen_y.all())
    for k, c in enumerate(cols.tolist()):  # one weighted count per column: its table in cache
        local = ranks.index[c] - ranks.starts[c]
        size = int(ranks.starts[c + 1] - ranks.starts[c])
        counts = ranks.counts[ranks.starts[c] : ranks.starts[c + 1]].copy()
        if not complete_y:
            counts -= np.bincount(local[~seen_y], minlength=size)
        counts[0] = 0
        parts_c.append(counts)
        parts_s.append(np.bincount(local, weights=yc, minlength=size))
        if ranks.n[c] == local.size:
            moments[:, k] = every
        else:
            kept = np.where(local != 0, yc, 0.0)
            moments[:, k] = kept.sum(), kept @ kept
    return np.concatenate(parts_c), np.concatenate(parts_s), moments


def _class_effects(
    counts: NDArray[np.int64],
    sums: FloatArray,
    starts: NDArray[np.int64],
    moments: FloatArray,
    classes: int,
) -> MainEffects:
    """``epsilon^2`` of the quantile classes from the per-code rows and sums."""
    v = starts.size - 1
    sizes = np.diff(starts)
    cum = np.cumsum(counts)
    base = np.repeat(cum[starts[:-1]], sizes)
    n = np.add.reduceat(counts, starts[:-1])
    n_rep = np.repeat(np.maximum(n, 1), sizes)
    mid = cum - base - 0.5 * counts  # rows below the code's middle
    owner = np.repeat(np.arange(v), sizes)
    per = np.repeat(np.clip(np.floor(np.sqrt(n)), 2, classes), sizes)  # at most sqrt(n)
    cls = np.minimum(np.floor(mid * per / n_rep), per - 1).astype(np.int64)
    key = np.where(counts > 0, owner * classes + cls, v * classes)
    rows = np.bincount(key, weights=counts, minlength=v * classes + 1)[:-1].reshape(v, classes)
    total = np.bincount(key, weights=sums, minlength=v * classes + 1)[:-1].reshape(v, classes)
    s1, sq = moments
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        between = np.where(rows > 0, total * total / np.where(rows > 0, rows, 1.0), 0.0).sum(1)
        between -= s1 * s1 / nf
        sst = sq - s1 * s1 / nf
        k = (rows > 0).sum(axis=1)
        eta2 = between / sst
        S = np.clip(1.0 - (nf - 1.0) / (nf - k) * (1.0 - eta2), 0.0, 1.0)
    constant = k == 1
    defined = (n >= 5) & (sst > 1e-12 * np.maximum(sq, 1e-300)) & (nf > k)
    S = np.where(defined & constant, 0.0, np.where(defined, S, np.nan))
    return MainEffects(S=S, bandwidth=np.full(v, np.nan), n=n.astype(np.int64),
                       constant=constant, method="quantile bins", classes=k.astype(np.int64))  # fmt: skip


def relative(values: ArrayLike) -> FloatArray:
    """Values divided by their sum over the finite entries (NaN stays NaN; all-zero: NaN).

    Examples
    --------
    >>> relative([0.2, 0.6, float("nan"), 0.2]).tolist()
    [0.2, 0.6, nan, 0.2]
    """
    v = np.asarray(values, dtype=np.float64)
    total = np.nansum(v)
    return v / total if total > 0 else np.full(v.shape, np.nan)
