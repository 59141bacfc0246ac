"""Priority (weight) vectors of judgement matrices: eigenvector, geometric mean, normalised columns."""

from __future__ import annotations

from collections.abc import Sequence

from numpy.typing import ArrayLike

from renoscore.ahp._checks import (
    DEFAULT_RTOL,
    PRIORITY_METHODS,
    FloatArray,
    PriorityMethod,
    _check_method,
    _prepare,
)
from renoscore.ahp._engine import _weights

__all__ = ["PRIORITY_METHODS", "priorities"]


def priorities(
    A: ArrayLike,
    method: PriorityMethod | str = "eigenvector",
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> FloatArray:
    """Priority (weight) vectors of pairwise-comparison matrices.

    Methods:

    ``"eigenvector"``
        The principal right eigenvector, ``A w = lambda_max w`` (Saaty, 1977, 1980). Computed for
        the whole stack at once by repeated squaring ``P <- P^2 / tr(P^2)``, which converges to the
        Perron projector because ``A`` is positive (Perron-Frobenius); convergence is tested per
        matrix, each result is checked by its residual, and any matrix that did not converge is
        solved by ``numpy.linalg.eig``. Agrees with ``numpy.linalg.eig`` to about 1e-15.
    ``"geometric_mean"``
        Row geometric mean, ``w_i ∝ (prod_j a_ij)^(1/n)``, the logarithmic least-squares solution
        (Crawford & Williams, 1985).
    ``"normalized_columns"``
        Saaty's (1980) approximation: normalise each column to sum 1, average the rows,
        ``w_i = (1/n) sum_j a_ij / sum_k a_kj``.

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices (validated by :func:`validate_judgements`).
    method : str, default "eigenvector"
        One of :data:`PRIORITY_METHODS`.
    labels : sequence of str, optional
        Criterion names for error messages.
    rtol : float, default 1e-2
        Reciprocity tolerance (see :func:`validate_judgements`).

    Returns
    -------
    ndarray, shape (..., n)
        Positive priorities summing to 1 along the last axis.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For an unknown method.

    References
    ----------
    Saaty (1977, 1980); Crawford & Williams (1985).

    Examples
    --------
    >>> A = [[1, 2, 4, 5], [1/2, 1, 3, 4], [1/4, 1/3, 1, 2], [1/5, 1/4, 1/2, 1]]
    >>> print(priorities(A).round(3))
    [0.492 0.306 0.125 0.078]
    >>> priorities([A, A], method="geometric_mean").shape
    (2, 4)
    """
    method = _check_method(method)
    R, batch, n = _prepare(A, labels, rtol)
    w, _ = _weights(R, method)
    return w.reshape(*batch, n)
