"""Combination of weight vectors: subjective with objective, or any K vectors, into one.

:func:`combine` and :func:`combine_many` check their arguments and hand them to
:func:`combine_valid`, the one implementation of every rule, which a caller combining many
draws of weights it made itself may call directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from renoscore.errors import OptionError, Problem, WeightsError
from renoscore.weights._checks import FloatArray

__all__ = [
    "COMBINATION_METHODS",
    "combine",
    "combine_many",
    "combine_valid",
    "game_theory_coefficients",
]

#: The names accepted by :func:`combine` and :func:`combine_many`.
COMBINATION_METHODS: tuple[str, ...] = (
    "linear",
    "multiplicative",
    "min_information",
    "game_theory",
)

CombinationMethod = Literal["linear", "multiplicative", "min_information", "game_theory"]

# The rules that use the shares (alphas); the others ignore them.
_WITH_SHARES = ("linear", "min_information")


def _check_weight_vectors(
    vectors: Sequence[ArrayLike], names: Sequence[str], tol: float
) -> list[FloatArray]:
    """Validate K weight vectors (each (..., M), broadcasting together), tiny negatives clipped.

    The vectors are checked as given, not broadcast against each other, so that one vector
    shared by many draws is checked (and later transformed) once.
    """
    arrays = [np.asarray(v, dtype=np.float64) for v in vectors]
    problems: list[Problem] = []
    for a, nm in zip(arrays, names, strict=True):
        if a.ndim == 0 or a.shape[-1] == 0:
            problems.append(Problem(f"shape {a.shape}: not a weight vector", path=nm))
    if problems:
        raise WeightsError("weights must be vectors (..., M)", problems)
    lengths = {a.shape[-1] for a in arrays}
    if len(lengths) > 1:
        raise WeightsError(
            "the weight vectors to combine have different lengths",
            [
                Problem(f"length {a.shape[-1]}", path=nm)
                for a, nm in zip(arrays, names, strict=True)
            ],
        )
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise WeightsError(
            "the stacked weight arrays do not broadcast together",
            [Problem(f"shape {a.shape}", path=nm) for a, nm in zip(arrays, names, strict=True)],
        ) from None
    if all(_plausible(a, tol) for a in arrays):
        return [np.clip(a, 0.0, None) for a in arrays]
    # Error path: name every bad vector.
    for a, nm in zip(np.broadcast_arrays(*arrays), names, strict=True):
        for idx in np.ndindex(a.shape[:-1]):
            v = a[idx]
            where = nm if not idx else f"{nm}[{', '.join(map(str, idx))}]"
            if not np.isfinite(v).all():
                problems.append(Problem("non-finite weight", path=where, fix="pass finite weights"))
                continue
            if (v < -tol).any():
                problems.append(
                    Problem(
                        "negative weight",
                        path=where,
                        value=float(v.min()),
                        fix="weights must be >= 0",
                    )
                )
            total = float(v.sum())
            if abs(total - 1.0) > tol:
                problems.append(
                    Problem(
                        f"weights sum to {total:.12g}, not 1",
                        path=where,
                        fix="normalise the vector (divide by its sum)",
                    )
                )
    if problems:
        raise WeightsError("invalid weight vectors", problems)
    return [np.clip(a, 0.0, None) for a in arrays]


def _plausible(vectors: FloatArray, tol: float) -> bool:
    """Whether every vector of a (..., M) array is finite, >= -tol and sums to 1 within tol
    (one vectorised pass; an array of many draws is not checked vector by vector)."""
    with np.errstate(invalid="ignore"):
        return bool(
            np.isfinite(vectors).all()
            and not (vectors < -tol).any()
            and (np.abs(vectors.sum(axis=-1) - 1.0) <= tol).all()
        )


def _check_alphas(alphas: ArrayLike | None, k: int, tol: float) -> FloatArray:
    """The shares: K of them, or (..., K) for a batch of weight draws (one row per draw)."""
    if alphas is None:
        return np.full(k, 1.0 / k)
    a = np.asarray(alphas, dtype=np.float64)
    if (
        a.shape[-1:] != (k,)
        or not np.isfinite(a).all()
        or (a < 0).any()
        or (np.abs(a.sum(axis=-1) - 1) > tol).any()
    ):
        raise OptionError(
            "alphas must be K finite numbers in [0, 1] summing to 1",
            [Problem(f"got {a.tolist()} for {k} weight vectors", fix="e.g. alphas=[0.5, 0.5]")],
        )
    return a


def _renormalise(w: FloatArray, what: str) -> FloatArray:
    total = w.sum(axis=-1, keepdims=True)
    bad = ~(total[..., 0] > 0)
    if bad.any():
        where = [None] if bad.ndim == 0 else [str(tuple(map(int, i))) for i in np.argwhere(bad)]
        raise WeightsError(
            f"{what} combination is undefined",
            [
                Problem(
                    "the vectors share no indicator with a positive weight in all of them",
                    path=p,
                    fix="use method 'linear'",
                )
                for p in where
            ],
        )
    return np.asarray(w / total, dtype=np.float64)


def game_theory_coefficients(weights: Sequence[ArrayLike], *, tol: float = 1e-6) -> FloatArray:
    r"""Normalised coefficients of the game-theoretic combination of K weight vectors.

    With the vectors as the rows of ``W`` (K x M), the coefficients ``a`` minimise every
    deviation ``|| sum_k a_k w_k - w_l ||_2`` (l = 1..K) jointly in the sense of the first-order
    conditions ``sum_k a_k (w_l . w_k) = w_l . w_l``, i.e. the K x K system

    .. math::

        (W W^T) a = \operatorname{diag}(W W^T),

    solved with the pseudo-inverse (the minimum-norm solution when vectors are linearly
    dependent, e.g. equal). They are normalised as ``a*_k = |a_k| / sum_l |a_l|``
    (Lai et al. 2015; the "博弈论组合赋权" of the Chinese evaluation literature).

    Parameters
    ----------
    weights : sequence of K array_like, each (..., M)
        Weight vectors (non-negative, summing to 1); stacked leading axes broadcast.
    tol : float
        Tolerance on the sum to 1 and on negative entries.

    Returns
    -------
    numpy.ndarray, shape (..., K)
        Non-negative coefficients summing to 1.

    Raises
    ------
    WeightsError
        Invalid weight vectors, or a singular system that cannot be solved.

    References
    ----------
    Lai, C., Chen, X., Chen, X., Wang, Z., Wu, X., & Zhao, S. (2015). A fuzzy comprehensive
    evaluation model for flood risk based on the combination weight of game theory.
    *Natural Hazards*, 77(2), 1243-1259.

    Examples
    --------
    >>> game_theory_coefficients([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]).round(12).tolist()
    [0.5, 0.5]
    """
    k = len(weights)
    if k < 2:
        raise OptionError(
            "the game-theoretic combination needs at least two weight vectors",
            [Problem(f"got {k}")],
        )
    vectors = _check_weight_vectors(weights, [f"weights[{i}]" for i in range(k)], tol)
    return _game_theory_coefficients(_stacked(vectors))


def _stacked(vectors: Sequence[FloatArray]) -> FloatArray:
    """K vectors broadcast together and stacked as (..., K, M)."""
    return np.stack(np.broadcast_arrays(*vectors), axis=-2)


def _game_theory_coefficients(stack: FloatArray) -> FloatArray:
    gram = stack @ np.swapaxes(stack, -1, -2)  # (..., K, K)
    rhs = np.diagonal(gram, axis1=-2, axis2=-1)[..., None]
    try:
        a = (np.linalg.pinv(gram) @ rhs)[..., 0]
    except np.linalg.LinAlgError as exc:  # pragma: no cover - SVD non-convergence
        raise WeightsError(
            "the game-theoretic combination system could not be solved",
            [Problem(str(exc), fix="use method 'linear'")],
        ) from None
    a = np.abs(a)
    total = a.sum(axis=-1, keepdims=True)
    if not (total > 0).all():  # pragma: no cover - rhs > 0 for weights summing to 1
        raise WeightsError(
            "the game-theoretic combination is undefined", [Problem("all coefficients are 0")]
        )
    return np.asarray(a / total, dtype=np.float64)


def combine_many(
    weights: Sequence[ArrayLike],
    method: CombinationMethod = "linear",
    alphas: ArrayLike | None = None,
    *,
    tol: float = 1e-6,
) -> FloatArray:
    r"""Combine K weight vectors over the same indicators into one.

    With ``w_k`` the vectors and ``alpha_k`` (default 1/K) their shares:

    - ``"linear"``: ``w = sum_k alpha_k w_k`` (additive synthesis; Ma, Fan & Huang 1999).
    - ``"multiplicative"``: ``w_j ∝ prod_k w_kj`` (multiplicative synthesis, as IDOCRIW
      combines entropy and CILOS weights; Zavadskas & Podvezko 2016). ``alphas`` is ignored.
    - ``"min_information"``: the vector that minimises the weighted discrimination information
      (Kullback 1959) ``sum_k alpha_k sum_j w_j ln(w_j / w_kj)`` subject to ``sum_j w_j = 1``;
      the Lagrange conditions give ``w_j ∝ prod_k w_kj^alpha_k``, i.e. ``sqrt(w_s w_o)`` for
      two vectors with alpha = 0.5 (principle of minimum discrimination information; Dou et al.
      2018).
    - ``"game_theory"``: ``w = sum_k a*_k w_k`` with the coefficients of
      :func:`game_theory_coefficients` (Lai et al. 2015). ``alphas`` is ignored.

    Parameters
    ----------
    weights : sequence of K array_like, each (..., M)
        Weight vectors, non-negative and summing to 1 within ``tol``; stacked leading axes
        broadcast.
    method : {"linear", "multiplicative", "min_information", "game_theory"}
        The combination rule.
    alphas : array_like of K floats, optional
        Shares for ``"linear"`` and ``"min_information"``: in [0, 1], summing to 1.
    tol : float
        Tolerance on the sum to 1 and on negative entries (tiny negatives are clipped to 0).

    Returns
    -------
    numpy.ndarray, shape (..., M)
        One combined vector per stacked set of K vectors: non-negative float64, summing to 1.

    Raises
    ------
    WeightsError
        Vectors of different lengths, negative or non-finite entries, sums not 1; a
        multiplicative / min-information product that is zero everywhere.
    OptionError
        Unknown ``method``, fewer than two vectors, bad ``alphas``.

    References
    ----------
    Ma, J., Fan, Z.-P., & Huang, L.-H. (1999). A subjective and objective integrated approach to
    determine attribute weights. *European Journal of Operational Research*, 112(2), 397-404.
    Kullback, S. (1959). *Information Theory and Statistics*. Wiley.
    Zavadskas, E. K., & Podvezko, V. (2016). *Int. J. Inf. Technol. Decis. Mak.*, 15(2), 267-283.
    Dou, Y., Xue, X., Zhao, Z., Luo, X., Ji, A., & Luo, T. (2018). A variable fuzzy recognition
    model based on combined weights for flood evaluation. *Int. J. Environ. Res. Public
    Health*, 15(9), 1983.
    Lai, C., et al. (2015). *Natural Hazards*, 77(2), 1243-1259.

    Examples
    --------
    >>> combine_many([[0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]).round(6).tolist()
    [0.4, 0.6]
    """
    if method not in COMBINATION_METHODS:
        raise OptionError(
            "unknown combination method",
            [Problem("unknown method", value=method, fix=f"use one of {COMBINATION_METHODS}")],
        )
    k = len(weights)
    if k < 2:
        raise OptionError("combining needs at least two weight vectors", [Problem(f"got {k}")])
    vectors = _check_weight_vectors(weights, [f"weights[{i}]" for i in range(k)], tol)
    shares = _check_alphas(alphas, k, tol) if method in _WITH_SHARES else None
    return combine_valid(vectors, method, shares)


def combine_valid(
    vectors: Sequence[FloatArray], method: str, shares: FloatArray | None = None
) -> FloatArray:
    """The combination of K weight vectors already known to be valid: the one formula.

    :func:`combine` and :func:`combine_many` check their arguments and call this kernel; a
    caller that combines many draws of vectors it made itself (the uncertainty analysis of
    :mod:`renoscore.sensitivity`) calls it directly, so that the draws are not checked again.
    The rules are those of :func:`combine_many`. Nothing is checked here: the vectors must be
    non-negative, sum to 1 and broadcast together, ``method`` must be one of
    :data:`COMBINATION_METHODS` and ``shares``, when given, must be in [0, 1] and sum to 1.

    Parameters
    ----------
    vectors : sequence of K ndarray, each (..., M)
        Valid weight vectors; leading axes broadcast (one vector may serve every draw).
    method : str
        One of :data:`COMBINATION_METHODS`.
    shares : ndarray, shape (K,) or (..., K), optional
        The shares of ``"linear"`` and ``"min_information"`` (default 1/K each; one row per
        draw for a batch). Ignored by the other rules.

    Returns
    -------
    numpy.ndarray, shape (..., M)
        The combined vectors (the broadcast shape), each renormalised to sum 1.

    Raises
    ------
    WeightsError
        Only when a rule is undefined: ``multiplicative`` or ``min_information`` vectors that
        share no indicator weighted in all of them.

    Examples
    --------
    >>> ws = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> alpha = np.array([1.0, 0.5])
    >>> shares = np.stack([alpha, 1 - alpha], axis=-1)
    >>> combine_valid([ws, np.array([0.2, 0.8])], "linear", shares).round(4).tolist()
    [[0.5, 0.5], [0.55, 0.45]]
    """
    k = len(vectors)
    a = np.full(k, 1.0 / k) if shares is None else shares
    # Each vector's share as a contiguous (..., 1) column: a strided column of many draws
    # would slow every product below.
    share = [a[..., j].copy()[..., None] for j in range(k)]
    if method == "linear":
        total = share[0] * vectors[0]
        for j in range(1, k):
            total = total + share[j] * vectors[j]
        return _renormalise(total, "linear")
    if method == "multiplicative":
        product = vectors[0]
        for v in vectors[1:]:
            product = product * v
        return _renormalise(product, "multiplicative")
    if method == "min_information":
        # alpha_k = 0 must drop vector k entirely (0 * ln 0 would be NaN). The logarithm of a
        # vector shared by every draw is taken once, before it broadcasts.
        terms: FloatArray | float = 0.0
        for j, v in enumerate(vectors):
            with np.errstate(divide="ignore"):
                logs = np.log(v)
            term = np.where(share[j] > 0, share[j] * logs, 0.0)
            terms = term if j == 0 else terms + term
        return _renormalise(np.exp(terms), "min-information")
    stack = _stacked(vectors)
    coeff = _game_theory_coefficients(stack)
    return _renormalise(np.einsum("...k,...km->...m", coeff, stack), "game-theory")


def combine(
    subjective: ArrayLike,
    objective: ArrayLike,
    method: CombinationMethod = "linear",
    alpha: float | ArrayLike = 0.5,
    *,
    tol: float = 1e-6,
) -> FloatArray:
    r"""Combine a subjective (e.g. AHP) and an objective (e.g. entropy) weight vector.

    - ``"linear"``: ``w = alpha w_s + (1 - alpha) w_o`` (Ma, Fan & Huang 1999).
    - ``"multiplicative"``: ``w_j = w_sj w_oj / sum_k w_sk w_ok`` (Zavadskas & Podvezko 2016).
      ``alpha`` is ignored.
    - ``"min_information"``: ``w_j ∝ w_sj^alpha w_oj^(1 - alpha)``, the minimiser of
      ``alpha KL(w || w_s) + (1 - alpha) KL(w || w_o)``; with alpha = 0.5 the classic
      ``w_j = sqrt(w_sj w_oj) / sum_k sqrt(w_sk w_ok)`` of the minimum discrimination
      information principle (Kullback 1959; Dou et al. 2018).
    - ``"game_theory"``: ``w = a*_1 w_s + a*_2 w_o`` with ``a`` solving
      ``(W W^T) a = diag(W W^T)``, ``W = [w_s; w_o]``, and ``a* = |a| / sum |a|``
      (Lai et al. 2015). ``alpha`` is ignored.

    Parameters
    ----------
    subjective, objective : array_like, shape (..., M)
        Weight vectors over the same M indicators: non-negative, summing to 1 within ``tol``.
        Stacked leading axes broadcast.
    method : {"linear", "multiplicative", "min_information", "game_theory"}
        The combination rule.
    alpha : float or array_like
        Share of the subjective vector, in [0, 1] (default 0.5). An array gives one share per
        weight draw: its shape broadcasts against the leading axes of the vectors, so that a
        batch of draws (of the subjective weights, of alpha, or of both) combines in one call.
    tol : float
        Tolerance on the sum to 1 and on negative entries.

    Returns
    -------
    numpy.ndarray, shape (..., M)
        Non-negative float64 weights summing to 1.

    Raises
    ------
    WeightsError
        Different lengths, negative or non-finite entries, sums not 1, or a product that is
        zero on every indicator (``multiplicative``, ``min_information``).
    OptionError
        Unknown ``method``; ``alpha`` outside [0, 1].

    References
    ----------
    See :func:`combine_many`.

    Examples
    --------
    >>> ws, wo = [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]
    >>> combine(ws, wo, "linear", alpha=0.6).round(4).tolist()
    [0.38, 0.3, 0.32]
    >>> combine(ws, wo, "min_information").round(4).tolist()
    [0.3391, 0.3217, 0.3391]
    >>> combine([[0.5, 0.5], [0.9, 0.1]], [0.2, 0.8], alpha=[1.0, 0.5]).round(4).tolist()
    [[0.5, 0.5], [0.55, 0.45]]
    """
    if method not in COMBINATION_METHODS:
        raise OptionError(
            "unknown combination method",
            [Problem("unknown method", value=method, fix=f"use one of {COMBINATION_METHODS}")],
        )
    a = _check_alpha(alpha)
    vectors = _check_weight_vectors([subjective, objective], ["subjective", "objective"], tol)
    return combine_valid(vectors, method, np.stack([a, 1.0 - a], axis=-1))


def _check_alpha(alpha: float | ArrayLike) -> float | FloatArray:
    """The subjective share: a number in [0, 1], or an array of them (one per weight draw)."""
    a: float | FloatArray
    if np.ndim(alpha) == 0:
        try:
            a = math.nan if isinstance(alpha, bool) else float(alpha)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            a = math.nan
        ok = 0.0 <= a <= 1.0
    else:
        given = np.asarray(alpha)
        numeric = given.dtype.kind in "iuf"
        a = given.astype(np.float64) if numeric else np.full(given.shape, math.nan)
        ok = bool(np.all((a >= 0.0) & (a <= 1.0)))
    if not ok:
        raise OptionError(
            "alpha must be a number in [0, 1]",
            [Problem("alpha out of range", value=alpha, fix="e.g. alpha=0.5")],
        )
    return a
