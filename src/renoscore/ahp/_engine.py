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
from renoscore.ahp.random_index import ri_of_order, ri_table_name
from renoscore.ahp.results import Consistency
from renoscore.errors import JudgementError, OptionError, Problem

__all__: list[str] = []

# Saaty's n-dependent CR thresholds (Saaty, 1994, p. 30): 5 % for n = 3, 8 % for n = 4, 10 % above.
_SAATY_THRESHOLDS = {3: 0.05, 4: 0.08}
# Aguarón & Moreno-Jiménez (2003) GCI thresholds, equivalent to CR 0.05 / 0.08 / 0.10.
_GCI_THRESHOLDS = {3: 0.31, 4: 0.35}
_GCI_THRESHOLD_LARGE = 0.37

# Perron iteration: squarings before the first check (M^8), the most squarings after it before
# falling back to numpy.linalg.eig, the relative change of the shape of column 0 below which a
# squaring is accepted (the error of the accepted power is about its square), and the relative
# spread of the Collatz-Wielandt ratios a returned eigenpair must meet.
_PERRON_WARMUP = 3
_PERRON_MAX_SQUARINGS = 48
_PERRON_STEP_TOL = 1e-9
_PERRON_SPREAD_TOL = 1e-12
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


def _perron_chunk(M: FloatArray, left: bool) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    # Ratios near the float limits (1e155 and beyond, possible with scale 'positive') can make
    # a power overflow or underflow inside the iteration; such a matrix does not converge,
    # fails the final check and is solved by eig, so the warnings say nothing.
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        if M.shape[0] == 1:  # one matrix: the same steps on a 2-D array, cheaper per call
            lam, w, v, bad = _perron_iterate(M[0], left)
            lam, w, bad = lam.reshape(1), w[None], bad.reshape(1)
            v = None if v is None else v[None]
        else:
            lam, w, v, bad = _perron_iterate(M, left)
    if bad.any():
        lam[bad], w[bad], vb = _perron_eig(M[bad])
        if v is not None:
            v[bad] = vb
    return lam, w, v


def _perron_iterate(
    M: FloatArray, left: bool
) -> tuple[FloatArray, FloatArray, FloatArray | None, BoolArray]:
    """The Perron kernel on one matrix (n, n) or a stack (B, n, n): every operation acts on each
    matrix alone, so a matrix gets the same bits alone as in any stack."""
    # Repeated squaring drives the powers of a primitive nonnegative matrix to a multiple of the
    # spectral projector w v^T / (v^T w) of its Perron root (Perron-Frobenius); the error falls
    # as |lambda_2 / lambda_1|^(2^k), so a handful of matrix products suffices (Saaty, 1980, who
    # computes priorities from powers of A). M^8 (no overflow for a Saaty-scale matrix of
    # order <= 100) divided by its trace is near the projector (trace 1, its own square); its
    # scale then drifts slowly with the squarings, which change the shape alone: column 0
    # tends to a multiple of w, row 0 to one of v. The ratio of the last and first entries of
    # column 0 changes between two squarings by about the error (first order); as the error of
    # a matrix with complex eigenvalues turns, one such change can be small by chance, so a
    # power is accepted after two changes in a row below tol (its error is then about tol^4),
    # and the Collatz-Wielandt check of every pair catches what is left.
    P = M @ M
    for _ in range(_PERRON_WARMUP - 1):
        P = P @ P
    P /= np.trace(P, axis1=-2, axis2=-1)[..., None, None]
    if M.ndim == 2:
        done, P = _converge_one(P)
        lam, w, v, bad = _verified(M, P[:, 0], P[0, :] if left else None)
        return lam, w, v, bad | (not done)
    w = np.empty(M.shape[:-1])
    v = np.empty(M.shape[:-1]) if left else None
    idx = np.arange(M.shape[0])
    last = P[:, -1, 0] / P[:, 0, 0]
    settled = np.zeros(M.shape[0], dtype=bool)
    for _ in range(_PERRON_MAX_SQUARINGS):
        P = P @ P
        ratio = P[:, -1, 0] / P[:, 0, 0]
        small = np.abs(ratio - last) <= _PERRON_STEP_TOL * ratio  # NaN never passes
        conv = small & settled
        last, settled = ratio, small
        if conv.any():
            at = idx[conv]
            w[at] = P[conv, :, 0]
            if v is not None:
                v[at] = P[conv, 0, :]
            keep = ~conv
            idx, P, last, settled = idx[keep], P[keep], last[keep], settled[keep]
            if not idx.size:
                break
    w[idx] = np.nan
    lam, w, v, bad = _verified(M, w, v)
    bad[idx] = True
    return lam, w, v, bad


def _converge_one(P: FloatArray) -> tuple[bool, FloatArray]:
    """The squarings of one matrix until it settles (the test of a stack, on floats)."""
    last = float(P[-1, 0] / P[0, 0])
    settled = False
    for _ in range(_PERRON_MAX_SQUARINGS):
        P = P @ P
        ratio = float(P[-1, 0] / P[0, 0])
        small = abs(ratio - last) <= _PERRON_STEP_TOL * ratio
        if small and settled:
            return True, P
        last, settled = ratio, small
    return False, P


def _verified(
    M: FloatArray, w: FloatArray, v: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray | None, BoolArray]:
    """Perron root and vectors summing to 1 from w and v as found, and which pairs fail."""
    w = w / w.sum(axis=-1, keepdims=True)
    if v is not None:
        v = v / v.sum(axis=-1, keepdims=True)
    # lambda = sum_i (A w)_i as sum_i w_i = 1. Every pair is checked by the Collatz-Wielandt
    # bounds min_i (Aw)_i / w_i <= lambda <= max_i (Aw)_i / w_i (Collatz 1942; Wielandt 1950):
    # their spread is 0 for the Perron vector; a pair not converged or not an eigenpair fails.
    Mw = (M @ w[..., None])[..., 0]
    lam = Mw.sum(axis=-1)
    Mw /= w
    hi = Mw.max(axis=-1)
    bad = ~(hi - Mw.min(axis=-1) <= _PERRON_SPREAD_TOL * hi)
    return lam, w, v, np.asarray(bad)


def _perron(M: FloatArray, left: bool = True) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perron root, right and left Perron vectors (each summing to 1) of a (B, n, n) stack;
    with ``left=False`` the left vectors are not computed (the third array is empty)."""
    B, n, _ = M.shape
    empty = np.empty((0, n))
    if B == 0:
        return np.empty(0), empty, empty
    chunk = max(1, _CHUNK_ELEMENTS // (n * n))
    if chunk >= B:
        lam, w, v = _perron_chunk(M, left)
        return lam, w, empty if v is None else v
    lam = np.empty(B)
    w = np.empty((B, n))
    vs = np.empty((B, n)) if left else empty
    for start in range(0, B, chunk):
        sl = slice(start, start + chunk)
        lam[sl], w[sl], v = _perron_chunk(M[sl], left)
        if v is not None:
            vs[sl] = v
    return lam, w, vs


def _gm_log_priorities(R: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log A and centred log row-geometric-means (Crawford & Williams, 1985)."""
    L = np.log(R)
    lw = L.sum(axis=-1)
    lw /= R.shape[-1]
    return L, lw


def _normalise_exp(lw: FloatArray) -> FloatArray:
    w = np.exp(lw - np.max(lw, axis=-1, keepdims=True))
    out: FloatArray = w / (w @ np.ones(w.shape[-1]))[..., None]
    return out


def _weights(R: FloatArray, method: str) -> tuple[FloatArray, FloatArray | None]:
    """Priorities of a flat stack, and the Perron root when the method gives it."""
    n = R.shape[-1]
    if method == "eigenvector":
        lam, w, _ = _perron(R, left=False)
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
    batch: tuple[int, ...] | None = None,
) -> Consistency:
    """Consistency of a flat (B, n, n) stack: arrays of shape ``batch`` (default (B,))."""
    B, n, _ = R.shape
    shape = (B,) if batch is None else batch
    name, ri_value = ri_of_order(n, ri) if n > 2 else (ri_table_name(ri), 0.0)
    thr = _threshold_for(threshold, n)
    gthr = _GCI_THRESHOLDS.get(n, _GCI_THRESHOLD_LARGE)
    w, lam = _weights(R, method)
    if lam is None:
        # lambda_max estimated from the priorities, mean_i (A w)_i / w_i (Saaty, 1980).
        lam = ((R @ w[:, :, None])[:, :, 0] / w).mean(axis=-1)
    w, lam = w.reshape(*shape, n), lam.reshape(shape)
    if n <= 2:
        zeros = np.zeros(shape)
        return Consistency(
            lambda_max=lam, ci=zeros, cr=zeros.copy(), gci=zeros.copy(), ri=zeros.copy(),
            ri_table=name, threshold=thr, acceptable=np.ones(shape, dtype=bool),
            gci_threshold=gthr, gci_acceptable=np.ones(shape, dtype=bool), priorities=w,
            method=method, n=n,
        )  # fmt: skip
    # CI = (lambda_max - n) / (n - 1), CR = CI / RI (Saaty, 1977). lambda_max >= n holds exactly
    # for positive reciprocal matrices; the clip only removes rounding below 0.
    ci = np.maximum(lam - n, 0.0)
    ci /= n - 1
    cr = ci / ri_value
    # GCI = 1/((n-1)(n-2)) sum_{i,j} ln^2(a_ij w_j / w_i) (Aguarón & Moreno-Jiménez, 2003);
    # the full double sum counts each pair i<j twice, hence 1 instead of 2 in the numerator.
    L, lw = _gm_log_priorities(R)
    L -= lw[:, :, None]
    L += lw[:, None, :]
    L *= L
    gci = L.sum(axis=(-2, -1)).reshape(shape)
    gci /= (n - 1) * (n - 2)
    return Consistency(
        lambda_max=lam, ci=ci, cr=cr, gci=gci, ri=np.full(shape, ri_value), ri_table=name,
        threshold=thr, acceptable=cr < thr, gci_threshold=gthr, gci_acceptable=gci <= gthr,
        priorities=w, method=method, n=n,
    )  # fmt: skip
