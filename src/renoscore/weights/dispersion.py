"""Dispersion weights: the standard deviation and the coefficient of variation of each indicator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from renoscore.errors import OptionError, Problem, WeightsError
from renoscore.weights._checks import (
    FloatArray,
    _check_directions,
    _check_matrix,
    _name,
    _normalise,
    _warn_constant,
)
from renoscore.weights._passes import _column_moments

__all__ = ["coefficient_of_variation", "standard_deviation"]


def standard_deviation(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    normalization: Literal["minmax", "none"] = "minmax",
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Standard-deviation weights: ``w_j = sigma_j / sum_k sigma_k``.

    ``sigma_j`` is the population (ddof = 0) standard deviation of column j over its usable
    cells, after min-max rescaling (``normalization="minmax"``, default: ``sigma_j / (max_j -
    min_j)``, so that units do not matter; Diakoulaki et al. 1995 use this sigma as the
    contrast intensity of CRITIC) or of the raw values (``"none"``, as in Sałabun,
    Wątróbski & Shekhovtsov 2020 for data already on a common scale). A direction reversal
    does not change sigma; ``directions`` is accepted for a uniform signature and validated.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        Validated; reversing a column does not change its sigma.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    normalization : {"minmax", "none"}
        Rescale each column to [0, 1] first (default), or use raw values.
    block_rows, workers
        Streaming options, as in :func:`entropy` (one pass of moments over row blocks).

    Returns
    -------
    numpy.ndarray, shape (M,)
        The standard-deviation weights (non-negative float64, summing to 1).

    Raises
    ------
    WeightsError
        An infinite value, a column with fewer than 2 usable cells, every indicator constant.
    OptionError
        Bad ``normalization``, ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator (weight 0).

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). *Computers & Operations Research*,
    22(7), 763-770.
    Sałabun, W., Wątróbski, J., & Shekhovtsov, A. (2020). Are MCDA methods benchmarkable? A
    comparative study of TOPSIS, VIKOR, COPRAS, and PROMETHEE II methods. *Symmetry*, 12(9),
    1549.

    Examples
    --------
    >>> X = [[0.619, 0.449, 0.447], [0.862, 0.466, 0.006], [0.458, 0.698, 0.771],
    ...      [0.777, 0.631, 0.491], [0.567, 0.992, 0.968]]
    >>> standard_deviation(X, normalization="none").round(3).tolist()  # Sałabun et al. (2020)
    [0.217, 0.294, 0.488]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    _check_directions(directions, m, labels)
    if normalization not in ("minmax", "none"):
        raise OptionError(
            "unknown standard-deviation normalization",
            [Problem("unknown normalization", value=normalization, fix="use 'minmax' or 'none'")],
        )
    what = "standard-deviation weights cannot be computed"
    raw = normalization == "none"
    mom = _column_moments(arr, labels, block_rows, workers, what, gram=False, common_scale=raw)
    constant = mom.mx == mom.mn
    _warn_constant(
        np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "standard-deviation"
    )
    sigma = np.sqrt(mom.var)
    if normalization == "minmax":
        sigma = sigma / np.where(constant, 1.0, mom.span)
    return _normalise(np.where(constant, 0.0, sigma), "standard-deviation weights", labels)


def coefficient_of_variation(
    X: ArrayLike,
    directions: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Coefficient-of-variation weights: ``w_j ∝ v_j = sigma_j / |mean_j|``.

    ``sigma_j`` (population, ddof = 0) and ``mean_j`` are taken over the usable cells of the raw
    column. ``v_j`` is scale-free, so sum-normalising the columns first (as some authors do)
    gives the same weights (Shuai et al. 2012 report them for Xu's 2004 data).

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    directions : sequence of {"benefit", "cost"}, optional
        Validated, no effect on the weights: sigma / |mean| has no direction.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows, workers
        Streaming options, as in :func:`entropy` (one pass of moments over row blocks).

    Returns
    -------
    numpy.ndarray, shape (M,)
        Coefficient-of-variation weights; non-negative float64 values that sum to 1.

    Raises
    ------
    WeightsError
        A non-constant column whose mean is zero (``|mean| <= 1e-12 max|x|``: sigma / |mean| is
        undefined); an infinite value; a column with fewer than 2 usable cells; every
        indicator constant.
    OptionError
        Bad ``directions`` or ``labels``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator; it gets weight 0.

    References
    ----------
    Shuai, D., Zongzhun, Z., Yongji, W., & Lei, L. (2012). A new angular method to determine
    the objective weights. *24th Chinese Control and Decision Conference (CCDC)*, 3889-3892.

    Examples
    --------
    >>> X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    >>> coefficient_of_variation(X).round(4).tolist()  # Shuai et al. (2012)
    [0.4258, 0.361, 0.2121, 0.0011]
    """
    arr = _check_matrix(X, labels)
    m = arr.shape[1]
    _check_directions(directions, m, labels)
    what = "coefficient-of-variation weights cannot be computed"
    mom = _column_moments(arr, labels, block_rows, workers, what, gram=False)
    constant = mom.mx == mom.mn
    magnitude = np.maximum(np.abs(mom.mn * mom.scale), np.abs(mom.mx * mom.scale))
    zero_mean = ~constant & (np.abs(mom.mean) <= 1e-12 * magnitude)
    if zero_mean.any():
        raise WeightsError(
            "coefficient-of-variation weights are undefined for a zero mean",
            [
                Problem(
                    "the mean of the indicator is 0, so sigma / |mean| is undefined",
                    column=_name(int(j), labels),
                    fix="use method 'standard_deviation' or 'critic' for indicators centred "
                    "on zero",
                )
                for j in np.flatnonzero(zero_mean)
            ],
        )
    _warn_constant(
        np.flatnonzero(constant).tolist(), mom.mn, mom.count, labels, "coefficient-of-variation"
    )
    v = np.sqrt(mom.var) / np.where(constant, 1.0, np.abs(mom.mean))
    return _normalise(np.where(constant, 0.0, v), "coefficient-of-variation weights", labels)
