"""Grey relational analysis: the grade of each alternative's relation to a reference (Deng 1982).

**Batch-relative** with min-max normalisation and the global extremes of the deviations; with
``normalization="none"`` it grades already-normalised scores (e.g. goalpost scores).

References
----------
Deng, J.-L. (1982). Control problems of grey systems. *Systems & Control Letters* 1(5), 288-294.
Kuo, Y., Yang, T. & Huang, G.-W. (2008). The use of grey relational analysis in solving
    multiple attribute decision-making problems. *Computers & Industrial Engineering* 55(1),
    80-93.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from renoscore._kernels import (
    Directions,
    FloatArray,
    as_matrix,
    benefit_mask,
    blocked_column_stats,
    column_problems,
    row_blocks,
    warn_constant,
)
from renoscore.aggregate._checks import weight_vector
from renoscore.errors import OptionError, Problem

__all__ = ["GreyNormalization", "grey_relational"]

#: How the grey relational analysis brings criteria to a common scale: min-max over the batch
#: (larger- and smaller-the-better transforms), or "none" for scores already normalised.
GreyNormalization: TypeAlias = Literal["minmax", "none"]


def grey_relational(
    X: ArrayLike,
    weights: ArrayLike,
    directions: Directions,
    rho: float = 0.5,
    reference: ArrayLike | None = None,
    *,
    normalization: GreyNormalization = "minmax",
    labels: Sequence[str] | None = None,
) -> FloatArray:
    r"""Grey relational grade of each alternative to a reference sequence (Deng 1982).

    1. Normalise (``"minmax"``, the larger-/smaller-the-better transforms of GRA):
       :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) / (\max_i x_{ij} - \min_i x_{ij})` for benefit
       and :math:`(\max_i x_{ij} - x_{ij}) / (\max_i x_{ij} - \min_i x_{ij})` for cost, so that
       1 is best. With ``"none"`` the input is taken as already-normalised scores where higher
       is better (e.g. goalpost scores); all directions must then be benefit.
    2. Reference :math:`r_{0j}`: the ideal sequence, 1 in every criterion (the best observed
       value after min-max normalisation, or the goalpost target with ``"none"``); or
       ``reference`` given on the raw scale of ``X`` and normalised the same way.
    3. Deviations :math:`\Delta_{ij} = |r_{0j} - r_{ij}|`, with the global (two-level) minimum
       :math:`\Delta_{\min} = \min_i \min_j \Delta_{ij}` and maximum :math:`\Delta_{\max}`.
    4. Grey relational coefficient :math:`\xi_{ij} = (\Delta_{\min} + \rho \Delta_{\max}) /
       (\Delta_{ij} + \rho \Delta_{\max})`, with distinguishing coefficient
       :math:`\rho \in (0, 1]` (0.5 by convention).
    5. Grade :math:`\gamma_i = \sum_j w_j \xi_{ij}`.

    Higher grades are better. **Batch-relative** (min-max and the global extremes). A row with a
    NaN cell gets a NaN grade; the extremes use the non-missing cells. If every deviation is 0,
    every coefficient is 1. A constant criterion normalises to 1 (with a
    :class:`~renoscore.errors.ConstantIndicatorWarning`).

    Parameters
    ----------
    X : array_like, shape (N, M)
    weights : array_like, shape (M,)
        Non-negative, summing to 1 (within 1e-9).
    directions : sequence of str or array of bool
    rho : float, default 0.5
        Distinguishing coefficient in (0, 1].
    reference : array_like, shape (M,), optional
        Reference sequence on the raw scale of ``X`` (e.g. the goalpost targets).
    normalization : {"minmax", "none"}, default "minmax"
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (N,)

    Raises
    ------
    WeightsError, OptionError, DataValidationError

    References
    ----------
    Deng, J.-L. (1982), Control problems of grey systems, *Systems & Control Letters* 1(5),
    288-294.
    Deng, J.-L. (1989), Introduction to grey system theory, *The Journal of Grey System* 1(1),
    1-24.
    Kuo, Y., Yang, T. & Huang, G.-W. (2008), The use of grey relational analysis in solving
    multiple attribute decision-making problems, *Computers & Industrial Engineering* 55(1),
    80-93.

    Examples
    --------
    >>> X = [[1.0, 10.0], [0.0, 20.0]]
    >>> grey_relational(X, [0.5, 0.5], ["benefit", "cost"])
    array([1.        , 0.33333333])
    """
    if normalization not in ("minmax", "none"):
        raise OptionError(
            "unknown grey relational normalisation",
            [Problem("normalization must be 'minmax' or 'none'", value=normalization)],
        )
    if not (np.isfinite(rho) and 0.0 < rho <= 1.0):
        raise OptionError(
            "rho must be in (0, 1]", [Problem("invalid distinguishing coefficient", value=rho)]
        )
    arr = as_matrix(X)
    n, m = arr.shape
    w = weight_vector(weights, m, labels)
    benefit = benefit_mask(directions, m, labels=labels)
    lo, hi, _ = blocked_column_stats(arr, labels, sumsq=False)
    if normalization == "minmax":
        span = hi - lo
        constant = span == 0
        warn_constant(np.flatnonzero(constant), labels, "they normalise to 1")
        origin = np.where(benefit, lo, hi)
        scale = np.where(constant, 1.0, np.where(benefit, span, -span))
        add = constant.astype(np.float64)  # constant columns: (x - lo)/1 + 1 = 1
    else:
        if not benefit.all():
            raise OptionError(
                "normalization='none' expects scores where higher is better",
                column_problems(
                    np.flatnonzero(~benefit),
                    labels,
                    "cost direction with already-normalised scores",
                    "normalise first (e.g. goalposts) or use normalization='minmax'",
                ),
            )
        origin, scale, add = np.zeros(m), np.ones(m), np.zeros(m)
    if reference is None:
        ref = np.ones(m)
    else:
        ref_raw = np.asarray(reference, dtype=np.float64)
        if ref_raw.shape != (m,) or not np.isfinite(ref_raw).all():
            raise OptionError(
                "reference must be a finite vector with one value per indicator",
                [Problem(f"reference has shape {ref_raw.shape}", fix=f"pass shape ({m},)")],
            )
        ref = (ref_raw - origin) / scale + add

    def deviations(rows: slice) -> FloatArray:
        d = arr[rows] - origin
        d /= scale
        d += add
        np.subtract(ref, d, out=d)
        return np.abs(d, out=d)

    d_min, d_max = np.inf, -np.inf
    for rows in row_blocks(n, m):
        d = deviations(rows)
        d_min = float(np.fmin(d_min, np.fmin.reduce(d, axis=None)))
        d_max = float(np.fmax(d_max, np.fmax.reduce(d, axis=None)))
    grade = np.empty(n)
    for rows in row_blocks(n, m):
        d = deviations(rows)
        if d_max > 0:
            d += rho * d_max
            np.divide(d_min + rho * d_max, d, out=d)
        else:
            d[~np.isnan(d)] = 1.0
        np.matmul(d, w, out=grade[rows])
    return grade
