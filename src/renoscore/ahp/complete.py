"""Completion of incomplete judgement matrices: optimal (least lambda_max), Harker, LLSM."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from renoscore.ahp._checks import (
    _MAX_PROBLEMS,
    DEFAULT_RTOL,
    BoolArray,
    FloatArray,
    _check_labels,
    _reciprocal,
    _validate,
)
from renoscore.ahp._engine import _perron
from renoscore.errors import JudgementError, OptionError, Problem, RenoscoreWarning

__all__ = ["complete"]

CompletionMethod: TypeAlias = Literal["optimal", "harker", "llsm"]

# Relative band in which lambda_max is treated as flat by the optimal completion.
_FLAT_BAND = 1e-12


def _components(adj: BoolArray) -> list[list[int]]:
    """Connected components of one graph (error path only)."""
    n = adj.shape[0]
    seen = [False] * n
    comps = []
    for s in range(n):
        if seen[s]:
            continue
        stack, comp = [s], []
        seen[s] = True
        while stack:
            u = stack.pop()
            comp.append(u)
            for t in np.flatnonzero(adj[u]):
                if not seen[t]:
                    seen[t] = True
                    stack.append(int(t))
        comps.append(sorted(comp))
    return comps


def _check_connected(
    known: BoolArray, labels: tuple[str, ...] | None, batch: tuple[int, ...]
) -> None:
    n = known.shape[-1]
    # Reachability by repeated squaring of (adjacency + I): ceil(log2 n) products cover all paths.
    reach = (known | np.eye(n, dtype=bool)).astype(np.float64)
    for _ in range(max(1, math.ceil(math.log2(max(n, 2))))):
        reach = ((reach @ reach) > 0).astype(np.float64)
    connected = np.all(reach[:, 0, :] > 0, axis=-1)
    if connected.all():
        return
    problems = []
    for b in np.flatnonzero(~connected)[:_MAX_PROBLEMS]:
        comps = _components(known[b] & ~np.eye(n, dtype=bool))
        names = [[labels[i] if labels else str(i) for i in c] for c in comps]
        index = tuple(int(x) for x in np.unravel_index(b, batch)) if batch else ()
        text = " | ".join("{" + ", ".join(c) + "}" for c in names)
        problems.append(
            Problem(
                f"the comparison graph is not connected; groups never compared with each other: {text}",
                fix=f"add at least one judgement linking the groups, e.g. {names[0][0]} vs {names[1][0]}",
                path=f"matrix {index}" if batch else None,
            )
        )
    raise JudgementError("incomplete judgement matrix cannot be completed", problems)


def _llsm_fill(logR: FloatArray, known: BoolArray) -> FloatArray:
    """LLSM weights of an incomplete matrix: solve L x = r with the graph Laplacian L
    (Kwiesielewicz, 1996; Bozóki, Fülöp & Rónyai, 2010); returns log-weights x (B, n)."""
    n = known.shape[-1]
    off = known & ~np.eye(n, dtype=bool)
    adj = off.astype(np.float64)
    deg = adj @ np.ones(n)
    lap = -adj
    lap[:, np.arange(n), np.arange(n)] += deg
    rhs = np.where(off, logR, 0.0) @ np.ones(n)
    # L is singular (L 1 = 0); adding 1 1^T fixes the level at sum(x) = 0 (since 1^T r = 0).
    try:
        x: FloatArray = np.linalg.solve(lap + 1.0, rhs[:, :, None])[:, :, 0].astype(np.float64)
    except np.linalg.LinAlgError:
        raise JudgementError(
            "incomplete judgement matrix cannot be completed",
            [Problem("singular comparison graph", fix="check that every criterion is compared")],
        ) from None
    return x


def _optimal_fill(
    logR: FloatArray, missing: BoolArray, x0: FloatArray, gtol: float, max_iter: int
) -> FloatArray:
    """Minimise lambda_max over the missing entries (Bozóki, Fülöp & Rónyai, 2010).

    With a_ij = exp(y_ij) for the missing entries, lambda_max is a convex function of y (ibid.),
    with gradient d lambda / d y_ij = (v_i a_ij w_j - v_j a_ji w_i) / (v^T w) for the right and
    left Perron vectors w, v. The whole batch descends together with Barzilai-Borwein steps,
    halved per matrix whenever lambda_max would increase."""
    B = logR.shape[0]
    Y = np.where(missing, x0[:, :, None] - x0[:, None, :], logR)
    mask = missing.astype(np.float64)

    def evaluate(Yb: FloatArray, Mb: FloatArray) -> tuple[FloatArray, FloatArray]:
        A = np.exp(Yb)
        lam, w, v = _perron(A)
        T = v[:, :, None] * A * w[:, None, :]
        scale = 1.0 / np.einsum("bi,bi->b", v, w)
        return lam, (T - np.swapaxes(T, -1, -2)) * Mb * scale[:, None, None]

    lam, G = evaluate(Y, mask)
    alpha = np.ones(B)
    active = np.flatnonzero(np.max(np.abs(G), axis=(-2, -1)) > gtol)
    for _ in range(max_iter):
        if active.size == 0:
            break
        Ya, Ga = Y[active], G[active]
        Yc = Ya - alpha[active, None, None] * Ga
        lam_c, G_c = evaluate(Yc, mask[active])
        # Accept a step that lowers lambda_max clearly; within a relative band of 1e-12, where
        # lambda_max is too flat for its rounding to tell (it varies with the square of the
        # gradient there), accept a step that shrinks the gradient instead.
        la = lam[active]
        g_now = np.max(np.abs(Ga), axis=(-2, -1))
        g_new = np.max(np.abs(G_c), axis=(-2, -1))
        accept = (lam_c < la * (1.0 - _FLAT_BAND)) | (
            (lam_c <= la * (1.0 + _FLAT_BAND)) & (g_new < g_now)
        )
        acc = active[accept]
        if acc.size:
            S = Yc[accept] - Ya[accept]
            D = G_c[accept] - Ga[accept]
            sd = np.einsum("bij,bij->b", S, D)
            ss = np.einsum("bij,bij->b", S, S)
            with np.errstate(divide="ignore", invalid="ignore"):
                bb = np.where(sd > 0, ss / sd, alpha[acc] * 2.0)
            alpha[acc] = np.clip(bb, 1e-8, 1e8)
            Y[acc], lam[acc], G[acc] = Yc[accept], lam_c[accept], G_c[accept]
        alpha[active[~accept]] *= 0.5
        gnorm = np.max(np.abs(G[active]), axis=(-2, -1))
        # Stop a matrix at a small gradient, or when no step, however short, lowers lambda_max
        # any more (the minimum is reached to rounding).
        active = active[(gnorm > gtol) & (alpha[active] > 1e-14)]
    if active.size:
        warnings.warn(
            f"optimal completion stopped after {max_iter} iterations for {active.size} matrix(es), "
            f"gradient up to {float(np.max(np.abs(G[active]))):.2g}; the result is near, not at, "
            "the lambda_max minimum",
            RenoscoreWarning,
            stacklevel=3,
        )
    return np.exp(Y)


def complete(
    A: ArrayLike,
    method: CompletionMethod | str = "optimal",
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    gtol: float = 1e-12,
    max_iter: int = 500,
) -> FloatArray:
    """Fill the missing judgements (NaN) of incomplete pairwise-comparison matrices.

    A missing pair is NaN in both ``(i, j)`` and ``(j, i)``. The graph whose edges are the given
    judgements must be connected; otherwise no completion is determined (Harker, 1987; Bozóki,
    Fülöp & Rónyai, 2010) and a :class:`JudgementError` names the groups never compared.

    Methods:

    ``"optimal"``
        The completion minimising lambda_max (Bozóki, Fülöp & Rónyai, 2010): in ``y = ln a`` the
        problem is convex and, for a connected graph, has a unique solution. Solved for the whole
        batch at once by gradient descent with Barzilai-Borwein steps from the LLSM completion,
        using the exact gradient ``(v_i a_ij w_j - v_j a_ji w_i) / (v^T w)``.
    ``"harker"``
        Harker (1987): set missing ``a_ij = 0``, add the number of missing judgements of row
        ``i`` to ``a_ii``, take the principal eigenvector ``w`` of that matrix and fill missing
        ``a_ij = w_i / w_j`` (the filled matrix has the same eigenpair).
    ``"llsm"``
        Logarithmic least squares: ``ln w`` solves the graph-Laplacian system ``L ln w = r``,
        ``r_i = sum_{j known} ln a_ij``; fill ``a_ij = w_i / w_j`` (Kwiesielewicz, 1996; Bozóki,
        Fülöp & Rónyai, 2010).

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Matrices with NaN for missing judgements; complete matrices pass through (repaired to
        exact reciprocity).
    method : str, default "optimal"
        ``"optimal"``, ``"harker"`` or ``"llsm"``.
    labels : sequence of str, optional
        Criterion names for messages.
    rtol : float, default 1e-2
        Reciprocity tolerance for the given judgements.
    gtol : float, default 1e-12
        ``"optimal"`` stops when the largest gradient component is below this.
    max_iter : int, default 500
        Iteration cap for ``"optimal"``.

    Returns
    -------
    ndarray, shape of ``A``
        Complete, exactly reciprocal matrices; given judgements are kept.

    Raises
    ------
    JudgementError
        If a matrix is invalid or its comparison graph is not connected.
    OptionError
        For an unknown method.

    References
    ----------
    Harker (1987); Kwiesielewicz (1996); Bozóki, Fülöp & Rónyai (2010).

    Examples
    --------
    >>> nan = float("nan")
    >>> U = [[1, 1, 5, 2], [1, 1, 3, 4], [1/5, 1/3, 1, nan], [1/2, 1/4, nan, 1]]
    >>> print(round(float(complete(U)[2, 3]), 6))
    0.730297
    """
    if method not in ("optimal", "harker", "llsm"):
        raise OptionError(
            "unknown completion method",
            [Problem(f"{method!r}", value=method, fix="use 'optimal', 'harker' or 'llsm'")],
        )
    arr, dev = _validate(A, labels, rtol, allow_missing=True)
    n = arr.shape[-1]
    batch = arr.shape[:-2]
    lab = _check_labels(labels, n)
    flat = arr.reshape(-1, n, n)
    missing = np.isnan(flat)
    if not missing.any():
        return _reciprocal(arr, dev).copy()
    known = ~missing
    _check_connected(known, lab, batch)
    with np.errstate(invalid="ignore"):
        R = np.sqrt(flat / np.swapaxes(flat, -1, -2))
    logR = np.where(known, np.log(np.where(known, R, 1.0)), 0.0)
    if method == "harker":
        C = np.where(known, R, 0.0)
        C[:, np.arange(n), np.arange(n)] += missing.sum(axis=-1)
        _, w, _ = _perron(C)
        out = np.where(missing, w[:, :, None] / w[:, None, :], R)
    else:
        x = _llsm_fill(logR, known)
        if method == "llsm":
            out = np.where(missing, np.exp(x[:, :, None] - x[:, None, :]), R)
        else:
            out = np.where(missing, _optimal_fill(logR, missing, x, gtol, max_iter), R)
    return out.reshape(arr.shape)
