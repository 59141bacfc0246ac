"""Consistency of judgement matrices: CI, CR against a random index, and the GCI."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from renoscore.ahp._checks import DEFAULT_RTOL, PriorityMethod, _check_method, _prepare
from renoscore.ahp._engine import _consistency_flat
from renoscore.ahp.random_index import DEFAULT_RI_TABLE
from renoscore.ahp.results import Consistency
from renoscore.errors import InconsistencyWarning

__all__ = ["consistency"]


def consistency(
    A: ArrayLike,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    method: PriorityMethod | str = "eigenvector",
    threshold: float | Literal["saaty"] = 0.10,
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    warn: bool = False,
) -> Consistency:
    """Consistency index, ratio and geometric consistency index of judgement matrices.

    ``CI = (lambda_max - n) / (n - 1)`` and ``CR = CI / RI(n)`` (Saaty, 1977, 1980); ``CR = 0``
    for ``n <= 2``. With ``method="eigenvector"`` lambda_max is the Perron root; with the other
    methods it is Saaty's (1980) estimate ``mean_i (A w)_i / w_i`` from that method's priorities.
    A matrix is acceptable when ``CR < threshold``: 0.10 by default (Saaty, 1980), or with
    ``threshold="saaty"`` Saaty's (1994) n-dependent 0.05 (n = 3), 0.08 (n = 4), 0.10 (n >= 5).
    The geometric consistency index is always reported too:
    ``GCI = 2 / ((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i)`` with row-geometric-mean ``w``,
    acceptable at <= 0.31 (n = 3), 0.35 (n = 4), 0.37 (n > 4) (Aguarón & Moreno-Jiménez, 2003).

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices.
    ri : str or mapping, default "saaty1980"
        Random-index table, see :func:`random_index`.
    method : str, default "eigenvector"
        Prioritisation method, see :func:`priorities`.
    threshold : float or "saaty", default 0.10
        CR acceptance threshold.
    labels : sequence of str, optional
        Criterion names for error messages.
    rtol : float, default 1e-2
        Reciprocity tolerance.
    warn : bool, default False
        Emit one :class:`~renoscore.errors.InconsistencyWarning` naming the matrices that fail.

    Returns
    -------
    Consistency
        Arrays with the batch shape of ``A`` (0-d for one matrix) and the priorities.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For an unknown method, table or threshold, or an order beyond the RI table.

    References
    ----------
    Saaty (1977, 1980, 1994); Aguarón & Moreno-Jiménez (2003).

    Examples
    --------
    >>> C = [[1, 3, 5, 2], [1/3, 1, 2, 3], [1/5, 1/2, 1, 1/3], [1/2, 1/3, 3, 1]]
    >>> c = consistency(C)
    >>> print(round(float(c.lambda_max), 3), round(float(c.cr), 3), bool(c.acceptable))
    4.299 0.111 False
    """
    method = _check_method(method)
    R, batch, _n = _prepare(A, labels, rtol)
    result = _consistency_flat(R, method, ri, threshold, batch)
    if warn and not result.acceptable.all():
        failing = np.flatnonzero(~result.acceptable.reshape(-1))
        if batch:
            where = ", ".join(
                str(tuple(int(x) for x in np.unravel_index(b, batch))) for b in failing[:20]
            )
            if failing.size > 20:
                where += f" and {failing.size - 20} more"
        else:
            where = "the matrix"
        warnings.warn(
            f"{failing.size} judgement matrix(es) fail CR < {result.threshold:g} ({result.ri_table}): {where}",
            InconsistencyWarning,
            stacklevel=2,
        )
    return result
