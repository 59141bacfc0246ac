"""The entropy weight method: indicators that spread the communities apart weigh more."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import OptionError, Problem, WeightsError
from renoscore.weights._checks import (
    FloatArray,
    IntArray,
    _check_directions,
    _check_matrix,
    _data_problems,
    _normalise,
    _warn_constant,
)
from renoscore.weights._passes import (
    _SAFE_EXP,
    _check_block_options,
    _merge_first_rows,
    _needs_scaling,
    _pow2_scale,
    _range_kernel,
    _run_blocks,
    _Scratch,
    _xlogx_kernel,
)

__all__ = ["entropy"]

Normalization = Literal["sum", "minmax"]


# A column whose entropy divergence d_j is below this is re-checked exactly for constancy.
_SUSPECT_DIVERGENCE = 1e-9


def entropy(
    X: ArrayLike,
    normalization: Normalization = "sum",
    directions: Sequence[str] | None = None,
    epsilon: float = 0.0,
    labels: Sequence[str] | None = None,
    *,
    block_rows: int | None = None,
    workers: int = 1,
) -> FloatArray:
    r"""Entropy weights of the indicator columns of ``X``.

    For each indicator ``j`` with ``N_j`` usable (non-NaN) cells, the column is turned into a
    distribution ``p_ij = u_ij / sum_i u_ij`` and (Zeleny 1982; Xu 2004)

    .. math::

        e_j = -\frac{1}{\ln N_j} \sum_i p_{ij} \ln p_{ij}, \qquad d_j = 1 - e_j, \qquad
        w_j = d_j / \sum_k d_k,

    with the convention ``0 ln 0 = 0``. It is computed in one streaming pass from the column
    sums ``S_j = sum_i u_ij`` and ``T_j = sum_i u_ij ln u_ij``, since
    ``sum_i p_ij ln p_ij = T_j / S_j - ln S_j``.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Rows are communities, columns indicators; NaN marks an excluded cell.
    normalization : {"sum", "minmax"}
        ``"sum"`` (default): ``u = x``, the standard method on raw non-negative data
        (Xu 2004). Directions do not change these weights: the entropy of ``p_j`` measures
        dispersion, the same whichever way the indicator points (Zavadskas & Podvezko 2016
        apply it to raw data holding cost criteria). ``"minmax"``: the direction-aware variant
        common in Chinese renovation studies, ``u = (x - min)/(max - min) + epsilon`` for a
        benefit indicator and ``u = (max - x)/(max - min) + epsilon`` for a cost indicator
        (e.g. the AHP-entropy pipeline of Sustainability 2017, 9, 603).
    directions : sequence of {"benefit", "cost"}, optional
        One per column; None means all benefit. Used by ``"minmax"`` only (validated always).
    epsilon : float
        Non-negative shift added after min-max rescaling (some authors use 0.0001-0.01 so that
        no cell is 0). Only with ``"minmax"``; ``"sum"`` needs none because ``0 ln 0 = 0``.
    labels : sequence of str, optional
        Indicator ids used in errors and warnings.
    block_rows : int, optional
        Rows per streamed block (default: about 2 MiB of float64). Does not change the result
        beyond rounding (~1e-15).
    workers : int
        Threads used for the streamed passes (default 1). Does not change the result.

    Returns
    -------
    numpy.ndarray, shape (M,)
        The entropy weights: non-negative float64, summing to 1.

    Raises
    ------
    WeightsError
        A negative value under ``"sum"`` (naming the indicators and suggesting ``"minmax"``;
        values are never made positive with abs()); an infinite value; a column with fewer than
        2 usable cells; every indicator constant.
    OptionError
        An unknown ``normalization``, bad ``directions`` / ``labels``, a negative or non-finite
        ``epsilon``, or ``epsilon`` with ``"sum"``.

    Warns
    -----
    ConstantIndicatorWarning
        For each constant indicator (including an all-zero one under ``"sum"``): it carries no
        information and gets weight 0.

    References
    ----------
    Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.
    Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    attribute weights. *European Journal of Operational Research*, 156(2), 530-532.
    Zavadskas, E. K., & Podvezko, V. (2016). Integrated determination of objective criteria
    weights in MCDM. *International Journal of Information Technology & Decision Making*,
    15(2), 267-283.

    Examples
    --------
    >>> X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    >>> entropy(X).round(4).tolist()  # Xu (2004)
    [0.463, 0.3992, 0.1378, 0.0]
    """
    arr = _check_matrix(X, labels)
    n, m = arr.shape
    if normalization not in ("sum", "minmax"):
        raise OptionError(
            "unknown entropy normalization",
            [Problem("unknown normalization", value=normalization, fix="use 'sum' or 'minmax'")],
        )
    cost = _check_directions(directions, m, labels)
    try:
        eps = math.nan if isinstance(epsilon, bool) else float(epsilon)
    except (TypeError, ValueError):
        eps = math.nan
    if not math.isfinite(eps) or eps < 0:
        raise OptionError(
            "epsilon must be a finite number >= 0", [Problem("bad epsilon", value=epsilon)]
        )
    if normalization == "sum" and eps != 0.0:
        raise OptionError(
            "epsilon applies to normalization='minmax' only",
            [
                Problem(
                    "epsilon given with normalization='sum'",
                    value=epsilon,
                    fix="drop epsilon (0 ln 0 = 0 handles zeros), or use 'minmax'",
                )
            ],
        )
    rows = _check_block_options(block_rows, workers, m)

    if normalization == "sum":
        parts = _run_blocks(arr, rows, workers, _xlogx_kernel(None, False))
        nan = np.sum([p.nan for p in parts if p.nan is not None], axis=0, dtype=np.int64)
        count = (n - np.broadcast_to(nan, (m,))).astype(np.int64)
        inf_row = _merge_first_rows([p.inf_row for p in parts], m)
        neg_row = _merge_first_rows([p.neg_row for p in parts], m)
        problems = _data_problems(count, inf_row, labels, neg_row, arr)
        if problems:
            raise WeightsError("entropy weights cannot be computed from these data", problems)
        s = np.sum([p.s for p in parts], axis=0)
        t = np.sum([p.t for p in parts], axis=0)
        extreme = (s > 0) & ((s < 2.0**-_SAFE_EXP) | (s > 2.0**_SAFE_EXP))
        if not (np.isfinite(s).all() and np.isfinite(t).all()) or extreme.any():
            # Values near the float limits: sum(x) or x ln x overflowed, or T / S - ln S
            # cancels. p = u / sum(u) does not change when a column is rescaled, so rescale by
            # a power of two and sum again.
            ranges = _run_blocks(arr, rows, workers, _range_kernel)
            lo = np.fmin.reduce(np.array([p.mn for p in ranges]), axis=0)
            hi = np.fmax.reduce(np.array([p.mx for p in ranges]), axis=0)
            scaled = _run_blocks(
                arr, rows, workers, _xlogx_kernel(None, False, _pow2_scale(lo, hi))
            )
            s = np.sum([p.s for p in scaled], axis=0)
            t = np.sum([p.t for p in scaled], axis=0)
        constant = s == 0.0  # all zero (given x >= 0): constant
        values = np.zeros(m)
    else:
        ranges = _run_blocks(arr, rows, workers, _range_kernel)
        nan = np.sum([p.nan for p in ranges if p.nan is not None], axis=0, dtype=np.int64)
        count = (n - np.broadcast_to(nan, (m,))).astype(np.int64)
        inf_row = _merge_first_rows([p.inf_row for p in ranges], m)
        problems = _data_problems(count, inf_row, labels)
        if problems:
            raise WeightsError("entropy weights cannot be computed from these data", problems)
        mn = np.fmin.reduce(np.array([p.mn for p in ranges]), axis=0)
        mx = np.fmax.reduce(np.array([p.mx for p in ranges]), axis=0)
        constant = mx == mn
        values = mn
        # Extreme columns are rescaled by a power of two (exact), so that max - min and
        # u ln u stay finite; the entropy of p = u / sum(u) does not change.
        scale = _pow2_scale(mn, mx) if _needs_scaling(mn, mx, mx - mn) else None
        lo, hi = (mn, mx) if scale is None else (mn * scale, mx * scale)
        span = np.where(constant, 1.0, hi - lo)
        # u = |x - ref| with ref = min - eps*span (benefit) or max + eps*span (cost) is the
        # min-max value times span; entropy of p = u / sum(u) does not depend on that scale.
        ref = np.where(cost, hi + eps * span, lo - eps * span)
        parts = _run_blocks(arr, rows, workers, _xlogx_kernel(ref, bool(cost.any()), scale))
        s = np.sum([p.s for p in parts], axis=0)
        t = np.sum([p.t for p in parts], axis=0)
        constant = constant | (s == 0.0)

    safe_s = np.where(s > 0, s, 1.0)
    h = t / safe_s - np.log(safe_s)  # sum_i p_ij ln p_ij
    e = -h / np.log(count.astype(np.float64))
    d = np.where(constant, 0.0, 1.0 - e)
    suspects = np.flatnonzero(~constant & (d < _SUSPECT_DIVERGENCE))
    if normalization == "sum" and suspects.size:
        exact, lo = _exact_constant(arr, suspects, rows, workers)
        constant[suspects[exact]] = True
        values[suspects] = lo
    if normalization == "sum":
        values = np.where(s == 0.0, 0.0, values)
    d = np.where(constant, 0.0, np.maximum(d, 0.0))
    _warn_constant(np.flatnonzero(constant).tolist(), values, count, labels, "entropy")
    return _normalise(d, "entropy weights", labels)


def _exact_constant(
    X: NDArray[np.generic], cols: IntArray, block_rows: int, workers: int
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Exact constancy check (max == min over usable cells) of a few suspect columns."""

    def kernel(start: int, b: FloatArray, sc: _Scratch) -> tuple[FloatArray, FloatArray]:
        sub = b[:, cols]
        return np.fmin.reduce(sub, axis=0), np.fmax.reduce(sub, axis=0)

    parts = _run_blocks(X, block_rows, workers, kernel)
    lo = np.fmin.reduce(np.array([p[0] for p in parts]), axis=0)
    hi = np.fmax.reduce(np.array([p[1] for p in parts]), axis=0)
    return np.asarray(lo == hi), lo
