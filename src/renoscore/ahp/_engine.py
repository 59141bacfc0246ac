"""The batched AHP engine: numeric cores on validated flat stacks of shape ``(B, n, n)``.

Perron root and vectors by repeated squaring (with a ``numpy.linalg.eig`` fallback), the three
prioritisation rules and the consistency indices. The public modules validate and repair their
input with :mod:`renoscore.ahp._checks` and then call these; nothing here checks its input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from renoscore.ahp._checks import BoolArray, FloatArray
from renoscore.ahp.random_index import random_index, ri_table_name
from renoscore.ahp.results import Consistency
from renoscore.errors import JudgementError, OptionError, Problem

__all__: list[str] = []

# Saaty's n-dependent CR thresholds (Saaty, 1994, p. 30): 5 % for n = 3, 8 % for n = 4, 10 % above.
_SAATY_THRESHOLDS = {3: 0.05, 4: 0.08}
# Aguarón & Moreno-Jiménez (2003) GCI thresholds, equivalent to CR 0.05 / 0.08 / 0.10.
_GCI_THRESHOLDS = {3: 0.31, 4: 0.35}
_GCI_THRESHOLD_LARGE = 0.37

# Perron iteration: squarings without a convergence check, the most squarings before falling back
# to numpy.linalg.eig, the change between two squarings below which the eigenvector is accepted
# (the error after the accepting squaring is about the square of this), and the residual a
# returned eigenpair must meet.
_PERRON_WARMUP = 4
_PERRON_MAX_SQUARINGS = 48
_PERRON_STEP_TOL = 1e-9
_PERRON_RESIDUAL_TOL = 1e-10
# Matrices per chunk in the Perron core: small enough that a chunk stays in cache.
_CHUNK_ELEMENTS = 1 << 18


def _perron_eig(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perron root and right/left vectors by numpy.linalg.eig, for the few the iteration misses."""
    try:
        vals, vecs = np.linalg.eig(M)
        lvals, lvecs = np.linalg.eig(np.swapaxes(M, -1, -2))
    except np.linalg.LinAlgError:
        raise JudgementError(
            "the principal eigenvector could not be computed",
            [Problem("LAPACK eig did not converge", fix="check the matrix for extreme ratios")],
        ) from None
    rows = np.arange(M.shape[0])
    k = np.argmax(vals.real, axis=-1)
    lam = vals.real[rows, k]
    w = np.abs(vecs.real[rows, :, k])
    kl = np.argmax(lvals.real, axis=-1)
    v = np.abs(lvecs.real[rows, :, kl])
    w /= w.sum(axis=-1, keepdims=True)
    v /= v.sum(axis=-1, keepdims=True)
    return lam, w, v


def _perron_chunk(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    # Ratios near the float limits (1e155 and beyond, possible with scale 'positive') can make
    # a trace underflow or a product overflow inside the iteration; such a matrix does not
    # converge, fails the residual check and is solved by eig, so the warnings say nothing.
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        lam, w, v, bad = _perron_iterate(M)
    if bad.any():
        lam[bad], w[bad], v[bad] = _perron_eig(M[bad])
    return lam, w, v


def _perron_iterate(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    B, n, _ = M.shape
    ones = np.ones(n)
    # Repeated squaring P <- P^2 / trace(P^2) drives P to the spectral projector w v^T / (v^T w)
    # of the Perron root for a primitive matrix (Perron-Frobenius); the error falls as
    # |lambda_2 / lambda_1|^(2^k), so a handful of matrix products suffices (Saaty, 1980, who
    # computes priorities from powers of A). Columns of the projector give w, rows give v.
    # Start from M / ||M||_inf so that no entry of a power can overflow (rho(P) <= 1).
    P = M / np.max(M @ ones, axis=-1)[:, None, None]
    for _ in range(_PERRON_WARMUP):
        P = P @ P
        P *= (1.0 / np.einsum("bii->b", P))[:, None, None]
    x = P @ ones
    x /= (x @ ones)[:, None]
    w = np.full((B, n), 1.0 / n)
    v = np.full((B, n), 1.0 / n)
    idx = np.arange(B)
    for _ in range(_PERRON_MAX_SQUARINGS):
        P = P @ P
        P *= (1.0 / np.einsum("bii->b", P))[:, None, None]
        xn = P @ ones
        xn /= (xn @ ones)[:, None]
        step = np.max(np.abs(xn - x), axis=-1)
        # Per matrix: accept once the last step changed the vector by < tol (NaN never passes).
        conv = step < _PERRON_STEP_TOL
        if conv.all():
            w[idx] = xn
            v[idx] = ones @ P
            idx = idx[:0]
            break
        if conv.any():
            w[idx[conv]] = xn[conv]
            v[idx[conv]] = ones @ P[conv]
            keep = ~conv
            idx, P, x = idx[keep], P[keep], xn[keep]
        else:
            x = xn
    v /= (v @ ones)[:, None]
    lam = (M @ w[:, :, None])[:, :, 0] @ ones
    # Verify every returned pair; anything not converged or not an eigenpair goes to eig.
    resid = np.max(np.abs((M @ w[:, :, None])[:, :, 0] - lam[:, None] * w), axis=-1)
    bad = ~(resid <= _PERRON_RESIDUAL_TOL * lam * np.max(w, axis=-1))
    if idx.size:
        bad[idx] = True
    return lam, w, v, np.asarray(bad, dtype=bool)


def _perron(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perron root, right and left Perron vectors (each summing to 1) of a (B, n, n) stack."""
    B, n, _ = M.shape
    if B == 0:
        return np.empty(0), np.empty((0, n)), np.empty((0, n))
    chunk = max(1, _CHUNK_ELEMENTS // (n * n))
    if chunk >= B:
        return _perron_chunk(M)
    lam = np.empty(B)
    w = np.empty((B, n))
    v = np.empty((B, n))
    for start in range(0, B, chunk):
        sl = slice(start, start + chunk)
        lam[sl], w[sl], v[sl] = _perron_chunk(M[sl])
    return lam, w, v


def _gm_log_priorities(R: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log A and centred log row-geometric-means (Crawford & Williams, 1985)."""
    n = R.shape[-1]
    L = np.log(R)
    lw = L @ np.full(n, 1.0 / n)
    return L, lw


def _normalise_exp(lw: FloatArray) -> FloatArray:
    w = np.exp(lw - np.max(lw, axis=-1, keepdims=True))
    out: FloatArray = w / (w @ np.ones(w.shape[-1]))[..., None]
    return out


def _weights(R: FloatArray, method: str) -> tuple[FloatArray, FloatArray | None]:
    """Priorities of a flat stack, and the Perron root when the method gives it."""
    n = R.shape[-1]
    if method == "eigenvector":
        lam, w, _ = _perron(R)
        return w, lam
    if method == "geometric_mean":
        # w_i proportional to (prod_j a_ij)^(1/n) (Crawford & Williams, 1985).
        _, lw = _gm_log_priorities(R)
        return _normalise_exp(lw), None
    # w_i = (1/n) sum_j a_ij / sum_k a_kj, the column-normalised row mean (Saaty, 1980).
    ones = np.ones(n)
    colsum = ones @ R
    w = (R / colsum[:, None, :]) @ np.full(n, 1.0 / n)
    return w / (w @ ones)[:, None], None


def _threshold_for(threshold: float | str, n: int) -> float:
    if isinstance(threshold, str):
        if threshold != "saaty":
            raise OptionError(
                "unknown threshold",
                [
                    Problem(
                        f"{threshold!r}", value=threshold, fix="use a number (e.g. 0.1) or 'saaty'"
                    )
                ],
            )
        return _SAATY_THRESHOLDS.get(n, 0.10)
    if not (isinstance(threshold, int | float) and math.isfinite(threshold) and threshold > 0):
        raise OptionError("invalid threshold", [Problem("must be a number > 0", value=threshold)])
    return float(threshold)


def _consistency_flat(
    R: FloatArray,
    method: str,
    ri: str | Mapping[int, float],
    threshold: float | str,
) -> Consistency:
    """Consistency of a flat (B, n, n) stack (arrays of shape (B,))."""
    B, n, _ = R.shape
    name = ri_table_name(ri)
    thr = _threshold_for(threshold, n)
    w, lam = _weights(R, method)
    ones = np.ones(n)
    if lam is None:
        # lambda_max estimated from the priorities, mean_i (A w)_i / w_i (Saaty, 1980).
        lam = ((R @ w[:, :, None])[:, :, 0] / w) @ np.full(n, 1.0 / n)
    gthr = _GCI_THRESHOLDS.get(n, _GCI_THRESHOLD_LARGE)
    if n <= 2:
        zeros = np.zeros(B)
        return Consistency(
            lambda_max=lam, ci=zeros, cr=zeros.copy(), gci=zeros.copy(), ri=zeros.copy(),
            ri_table=name, threshold=thr, acceptable=np.ones(B, dtype=bool), gci_threshold=gthr,
            gci_acceptable=np.ones(B, dtype=bool), priorities=w, method=method, n=n,
        )  # fmt: skip
    ri_value = float(random_index(n, ri))
    # CI = (lambda_max - n) / (n - 1), CR = CI / RI (Saaty, 1977). lambda_max >= n holds exactly
    # for positive reciprocal matrices; the clip only removes rounding below 0.
    ci = np.maximum(lam - n, 0.0) / (n - 1)
    cr = ci / ri_value
    # GCI = 1/((n-1)(n-2)) sum_{i,j} ln^2(a_ij w_j / w_i) (Aguarón & Moreno-Jiménez, 2003);
    # the full double sum counts each pair i<j twice, hence 1 instead of 2 in the numerator.
    L, lw = _gm_log_priorities(R)
    E = L - lw[:, :, None] + lw[:, None, :]
    E *= E
    gci = ((E @ ones) @ ones) / ((n - 1) * (n - 2))
    return Consistency(
        lambda_max=lam, ci=ci, cr=cr, gci=gci, ri=np.full(B, ri_value), ri_table=name,
        threshold=thr, acceptable=cr < thr, gci_threshold=gthr, gci_acceptable=gci <= gthr,
        priorities=w, method=method, n=n,
    )  # fmt: skip
