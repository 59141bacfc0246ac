"""CRITIC weights: contrast intensity times conflict with the other indicators."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from renoscore.errors import Problem, WeightsError
from renoscore.weights._checks import (
    FloatArray,
    _check_directions,
    _check_matrix,
    _name,
    _normalise,
    _warn_constant,
)
from renoscore.weights._passes import _column_moments

__all__ = ["critic"]

# Pairwise variance below this fraction of range^2 is treated as zero (rounding noise).
_REL_VAR_ZERO = 1e-13


def critic(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

    Following Diakoulaki, Mavrotas & Papayannakis (1995), each column is min-max rescaled by
    direction (``(x - min)/(max - min)`` for benefit, ``(max - x)/(max - min)`` for cost), then

    .. math::

        C_j = \sigma_j \sum_k (1 - r_{jk}), \qquad w_j = C_j / \sum_k C_k,

    with ``sigma_j`` the (population, ddof = 0) standard deviation of the rescaled column and
    ``r_jk`` the Pearson correlation of the rescaled columns j and k. Reversing a cost column
    keeps ``sigma_j`` and flips the sign of its correlations.

    NaN cells: ``sigma_j`` uses the usable cells of column j; ``r_jk`` is **pairwise-complete**
    (rows where both j and k are usable), like ``pandas.DataFrame.corr``, so one missing cell
    does not discard a whole community. Constant columns: their correlation is undefined; they
    get weight 0 (with a warning) and are left out of the other columns' sums.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        One per column; None means all benefit.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows, workers
        Streaming options, as in :func:`entropy` (the Gram matrix is summed block by block).

    Returns
    -------
    numpy.ndarray, shape (M,)
        Non-negative float64 CRITIC weights, summing to 1.

    Raises
    ------
    WeightsError
        An infinite value; a column with fewer than 2 usable cells; fewer than 2 non-constant
        indicators; a pair of non-constant indicators with fewer than 2 common usable rows or
        no variation on them (correlation undefined); all indicators perfectly correlated.
    OptionError
        Bad ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: The CRITIC method. *Computers & Operations Research*, 22(7),
    763-770.

    Examples
    --------
    >>> X = [[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
    ...      [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]]
    >>> critic(X).round(4).tolist()  # Diakoulaki et al. (1995)
    [0.2022, 0.4809, 0.3169]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    cost = _check_directions(directions, m, labels)
    what = "CRITIC weights cannot be computed from these data"
    mom = _column_moments(arr, labels, block_rows, workers, what, gram=True)
    assert mom.cov is not None
    assert mom.pair_var is not None
    assert mom.pair_n is not None
    constant = mom.mx == mom.mn
    _warn_constant(np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "CRITIC")
    live = np.flatnonzero(~constant)
    if live.size < 2:
        raise WeightsError(
            "CRITIC needs at least two non-constant indicators",
            [
                Problem(
                    f"{live.size} non-constant indicator(s)",
                    fix="use another method, or add indicators that vary",
                )
            ],
        )
    span = mom.span
    pv = mom.pair_var[np.ix_(live, live)]
    pn = mom.pair_n[np.ix_(live, live)]
    tiny = _REL_VAR_ZERO * span[live] ** 2
    bad = (pn < 2) | (pv <= tiny[:, None]) | (tiny[None, :] >= pv.T)
    if bad.any():
        problems = []
        for a, b in zip(*np.nonzero(np.triu(bad, 1)), strict=True):
            j, k = int(live[a]), int(live[b])
            problems.append(
                Problem(
                    f"correlation of indicators {_name(j, labels)!r} and {_name(k, labels)!r} "
                    f"is undefined: {int(pn[a, b])} common usable rows, with too little "
                    "variation on them",
                    column=f"{_name(j, labels)}, {_name(k, labels)}",
                    fix="supply more overlapping data, or use method 'standard_deviation'",
                )
            )
        raise WeightsError("CRITIC correlations cannot be computed", problems)
    denom = np.sqrt(pv * pv.T)
    r = np.clip(mom.cov[np.ix_(live, live)] / denom, -1.0, 1.0)
    sign = np.where(cost[live], -1.0, 1.0)
    r = r * sign[:, None] * sign[None, :]
    sigma = np.sqrt(mom.var[live]) / span[live]
    c = np.zeros(m)
    c[live] = sigma * (1.0 - r).sum(axis=1)
    if not c.sum() > 0:
        raise WeightsError(
            "CRITIC weights are undefined: the indicators are perfectly correlated",
            [Problem("every r_jk = 1", fix="use method 'standard_deviation' or 'entropy'")],
        )
    return _normalise(c, "CRITIC weights", labels)
