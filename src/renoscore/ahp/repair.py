"""Repair hints: the judgements furthest from consistency and the values that would fix them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from renoscore.ahp._checks import (
    DEFAULT_RTOL,
    FloatArray,
    PriorityMethod,
    _check_labels,
    _check_method,
    _prepare,
)
from renoscore.ahp._engine import _consistency_flat
from renoscore.ahp.random_index import DEFAULT_RI_TABLE
from renoscore.ahp.results import InconsistentJudgement
from renoscore.errors import OptionError, Problem

__all__ = ["SAATY_SCALE", "most_inconsistent"]

#: Saaty's fundamental scale and its reciprocals, 1/9 ... 9 (Saaty, 1980, Table 1.1).
SAATY_SCALE: tuple[float, ...] = tuple(
    [1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
)


def _snap(values: FloatArray) -> FloatArray:
    scale = np.log(np.asarray(SAATY_SCALE))
    k = np.argmin(np.abs(np.log(values)[..., None] - scale), axis=-1)
    snapped: FloatArray = np.asarray(SAATY_SCALE, dtype=np.float64)[k]
    return snapped


def most_inconsistent(
    A: ArrayLike,
    k: int = 3,
    *,
    labels: Sequence[str] | None = None,
    method: PriorityMethod | str = "eigenvector",
    snap: bool = False,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    rtol: float = DEFAULT_RTOL,
) -> list[InconsistentJudgement]:
    """The judgements furthest from consistency, with the values that would repair them.

    For priorities ``w``, ``epsilon_ij = a_ij w_j / w_i`` is 1 for a judgement consistent with
    ``w`` (Saaty, 2003); judgements are ranked by ``|ln epsilon_ij|`` (so a judgement twice too
    high and one twice too low rank equally). For each, the consistent value is ``w_i / w_j`` and
    ``cr_after`` is the CR once ``a_ij`` is replaced by it (or by the nearest Saaty-scale value
    with ``snap=True``) and ``a_ji`` by its reciprocal.

    Parameters
    ----------
    A : array_like, shape (n, n) or (..., n, n)
        Judgement matrices.
    k : int, default 3
        Judgements per matrix (at most n(n-1)/2).
    labels : sequence of str, optional
        Criterion names, copied into the records.
    method : str, default "eigenvector"
        Prioritisation method for ``w`` and the CR.
    snap : bool, default False
        Round the suggested value to the nearest value of Saaty's scale 1/9 ... 9, nearest in
        ratio (log) terms: 1.48 snaps to 2 (1.36 times off) rather than to 1 (1.48 times off).
    ri : str or mapping, default "saaty1980"
        RI table for the CRs.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    list of InconsistentJudgement
        For one matrix, its ``k`` records, worst first. For a stack, the ``k`` records of every
        matrix, matrices in C order of the batch, each record's ``matrix_index`` naming its matrix.

    Raises
    ------
    JudgementError
        If a matrix is invalid.
    OptionError
        For invalid ``k``, method or table.

    References
    ----------
    Saaty (2003).

    Examples
    --------
    >>> C = [[1, 3, 5, 2], [1/3, 1, 2, 3], [1/5, 1/2, 1, 1/3], [1/2, 1/3, 3, 1]]
    >>> top = most_inconsistent(C, k=1, labels=["F", "S", "P", "C"], snap=True)
    >>> print(top[0].label_i, top[0].label_j, top[0].suggested_value, round(top[0].cr_after, 3))
    S C 2.0 0.059
    """
    method = _check_method(method)
    if not (isinstance(k, int | np.integer) and k >= 1):
        raise OptionError("invalid k", [Problem("k must be an integer >= 1", value=k)])
    R, batch, n = _prepare(A, labels, rtol)
    lab = _check_labels(labels, n)
    B = R.shape[0]
    iu, ju = np.triu_indices(n, 1)
    kk = min(int(k), iu.size)
    if kk == 0 or B == 0:
        return []
    base = _consistency_flat(R, method, ri, threshold=0.10)
    w, cr0 = base.priorities, base.cr
    eps = R[:, iu, ju] * w[:, ju] / w[:, iu]
    dev = np.abs(np.log(eps))
    # Judgements equally far from consistency (a cycle of three, say) differ in the last bits
    # alone: ranked on 12 decimals, a tie goes to the first pair, whatever the rounding.
    order = np.argsort(-np.round(dev, 12), axis=-1, kind="stable")[:, :kk]
    pi, pj = iu[order], ju[order]
    rows = np.arange(B)[:, None]
    consistent = w[rows, pi] / w[rows, pj]
    suggested = _snap(consistent) if snap else consistent
    # All B * k repaired matrices are scored in one batched call.
    mod = np.repeat(R[:, None], kk, axis=1)
    bi = np.arange(B)[:, None].repeat(kk, axis=1)
    ki = np.arange(kk)[None, :].repeat(B, axis=0)
    mod[bi, ki, pi, pj] = suggested
    mod[bi, ki, pj, pi] = 1.0 / suggested
    cr_after = _consistency_flat(mod.reshape(-1, n, n), method, ri, threshold=0.10).cr.reshape(
        B, kk
    )
    values = R[rows, pi, pj]
    eps_sel = eps[rows, order]
    out = []
    for b in range(B):
        index = tuple(int(x) for x in np.unravel_index(b, batch)) if batch else ()
        for r in range(kk):
            i, j = int(pi[b, r]), int(pj[b, r])
            out.append(
                InconsistentJudgement(
                    matrix_index=index,
                    i=i,
                    j=j,
                    label_i=lab[i] if lab else None,
                    label_j=lab[j] if lab else None,
                    value=float(values[b, r]),
                    epsilon=float(eps_sel[b, r]),
                    consistent_value=float(consistent[b, r]),
                    suggested_value=float(suggested[b, r]),
                    cr=float(cr0[b]),
                    cr_after=float(cr_after[b, r]),
                )
            )
    return out
