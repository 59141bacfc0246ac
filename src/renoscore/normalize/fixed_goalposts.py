"""Goalpost normalisation, renoscore's default: fixed floor scores 0, fixed target scores 1.

A community's score depends only on its own row, never on the other rows of the batch, so
scores of different batches and phases compare (OECD/JRC 2008, "distance to a reference";
UNDP 2010, the goalposts of the Human Development Index).

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 1.5 (normalisation).
UNDP (2010). *Human Development Report 2010*, Technical note 1 (goalposts, dimension indices).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from renoscore._kernels import (
    Directions,
    FloatMatrix,
    as_matrix,
    flat_blocks,
    goalpost_vectors,
    goalposts_kernel,
    has_inf,
    inf_problems,
    order_of,
)
from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = ["goalpost_slope", "goalposts"]


def goalposts(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    clip: bool = True,
    *,
    directions: Directions | None = None,
    labels: Sequence[str] | None = None,
    out: FloatMatrix | None = None,
) -> FloatMatrix:
    r"""Score indicators against fixed goalposts: floor scores 0, target scores 1.

    .. math:: s_{ij} = \operatorname{clip}\!\left(\frac{x_{ij} - f_j}{t_j - f_j},\ 0,\ 1\right)

    (OECD/JRC 2008, "distance to a reference"; UNDP 2010, dimension index
    ``(actual - minimum) / (maximum - minimum)`` with fixed goalposts).

    **Direction is encoded by the goalposts.** A benefit indicator has ``target > floor``; a cost
    indicator has ``floor > target`` (e.g. a walking distance with floor 1500 m and target
    300 m), and the same formula then reverses it: 300 m scores 1, 1500 m scores 0, 900 m scores
    0.5. Binary indicators use floor 0, target 1; an ordinal level uses the same formula, e.g.
    levels 1-8 with floor 2 and target 6 give ``(level - 2) / 4`` clipped.

    A community's score depends only on its own row, never on the other rows of the batch.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw indicator values; NaN marks a missing or not-applicable cell and stays NaN.
    floor, target : float or array_like, shape (M,)
        The goalposts per indicator. ``floor == target`` is an error.
    clip : bool, default True
        Cap scores to [0, 1] (values beyond the target earn no extra credit).
    directions : sequence of str or array of bool, optional
        If given, checked against the goalposts: a benefit indicator must have
        ``target > floor`` and a cost indicator ``target < floor``.
    labels : sequence of str, optional
        Indicator ids, used in error messages.
    out : ndarray, shape (N, M), float64, optional
        Where to write the result (may be ``X`` itself for an in-place update).

    Returns
    -------
    ndarray, shape (N, M), float64

    Raises
    ------
    OptionError
        Goalposts of the wrong shape, not finite, equal (``floor == target``), or contradicting
        ``directions``; every bad column is listed.
    DataValidationError
        ``X`` is not a numeric 2-D matrix or holds an infinite value.

    Notes
    -----
    The computation runs over blocks of rows that fit in cache: the input is read once and the
    output written once, with no temporary of the input's size.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.5, Table 3.
    UNDP (2010), *Human Development Report 2010*, Technical note 1.

    Examples
    --------
    >>> X = [[0.5, 900.0], [1.0, 300.0], [0.2, 2000.0]]
    >>> goalposts(X, floor=[0.0, 1500.0], target=[1.0, 300.0])
    array([[0.5, 0.5],
           [1. , 1. ],
           [0.2, 0. ]])
    """
    arr = as_matrix(X)
    n, m = arr.shape
    f, span = goalpost_vectors(floor, target, m, labels, directions)
    if out is None:
        out = np.empty((n, m), dtype=np.float64, order=order_of(arr))
    elif out.shape != (n, m) or out.dtype != np.float64:
        raise OptionError(
            "out has the wrong shape or dtype",
            [Problem(f"out is {out.dtype}{out.shape}, expected float64({n}, {m})")],
        )
    has_cost = bool((span < 0).any())
    for src, dst, f_t, s_t in flat_blocks(arr, out, f, span):
        goalposts_kernel(src, dst, f_t, s_t, has_cost, clip=False)
        if has_inf(src):  # the input, not the scores: a subnormal span may overflow those
            raise DataValidationError("X contains infinite values", inf_problems(arr, labels))
        if clip:
            # np.clip propagates NaN, so excluded cells stay excluded.
            np.clip(dst, 0.0, 1.0, out=dst)
    return out


def goalpost_slope(
    X: ArrayLike, floor: ArrayLike, target: ArrayLike, *, scale: float = 1.0
) -> FloatMatrix:
    r"""The derivative of the goalpost score with respect to the raw value, cell by cell.

    .. math:: \frac{\partial s_{ij}}{\partial x_{ij}} =
        \begin{cases} \dfrac{c}{t_j - f_j} & \min(f_j, t_j) \le x_{ij} \le \max(f_j, t_j) \\
        0 & \text{otherwise (the score is clipped)} \end{cases}

    with ``c`` the ``scale`` (100 for scores on 0-100): the slope of :func:`goalposts` inside
    the goalposts and 0 where the score is clipped at 0 or 1 (at a goalpost the inner slope).
    Its square times a value's variance is the delta-method variance of the score (Oehlert
    1992); NaN where the value is NaN.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw values; NaN marks an excluded cell.
    floor, target : array_like, shape (M,)
        Goalposts as for :func:`goalposts`.
    scale : float
        Multiplies the slope (100 for a 0-100 scale).

    Returns
    -------
    ndarray, shape (N, M)

    References
    ----------
    Oehlert, G. W. (1992). A note on the delta method. *The American Statistician* 46(1),
    27-29.

    Examples
    --------
    >>> slope = goalpost_slope([[0.5, 2000.0, 900.0]], [0.0, 1500.0, 1500.0], [1.0, 300.0, 300.0],
    ...                        scale=100)
    >>> [round(float(x), 4) for x in slope[0]]
    [100.0, 0.0, -0.0833]
    """
    arr = as_matrix(X)
    f, span = goalpost_vectors(floor, target, arr.shape[1], None)
    lo, hi = np.minimum(f, f + span), np.maximum(f, f + span)
    with np.errstate(invalid="ignore"):
        inside = (arr >= lo) & (arr <= hi)
    slope = np.where(inside, scale / span, 0.0)
    return np.where(np.isnan(arr), np.nan, slope)
