"""Group AHP: aggregation of individual judgements (AIJ) or priorities (AIP), in two levels."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from renoscore.ahp._checks import (
    _MAX_PROBLEMS,
    DEFAULT_RTOL,
    BoolArray,
    FloatArray,
    PriorityMethod,
    _check_method,
    _reciprocal,
    _validate,
)
from renoscore.ahp._engine import _consistency_flat, _normalise_exp, _weights
from renoscore.ahp.random_index import DEFAULT_RI_TABLE
from renoscore.ahp.results import Consistency, GroupAggregate, PanelAggregate
from renoscore.errors import (
    InconsistencyWarning,
    JudgementError,
    OptionError,
    Problem,
    WeightsError,
)

__all__ = ["aggregate_groups", "aggregate_judgements", "aggregate_panels", "aggregate_priorities"]


def _expert_weights(weights: ArrayLike | None, shape: tuple[int, ...], what: str) -> FloatArray:
    """Normalised weights broadcast to ``shape`` (..., m), summing to 1 along the last axis."""
    m = shape[-1]
    if weights is None:
        return np.full(shape, 1.0 / m)
    try:
        wt = np.asarray(weights, dtype=np.float64)
        wt = np.broadcast_to(wt, shape)
    except (TypeError, ValueError):
        raise WeightsError(
            f"invalid {what}",
            [
                Problem(
                    f"cannot use {np.shape(weights)} weights for {m} items", fix=f"give {m} weights"
                )
            ],
        ) from None
    if not (np.all(np.isfinite(wt)) and np.all(wt >= 0)):
        raise WeightsError(
            f"invalid {what}",
            [Problem("weights must be finite and >= 0", value=np.asarray(weights).tolist())],
        )
    # Divide by the largest weight first: weights of 1e308 are finite, their sum is not.
    peak = wt.max(axis=-1, keepdims=True)
    wt = wt / np.where(peak > 0, peak, 1.0)
    total = wt.sum(axis=-1, keepdims=True)
    if not np.all(total > 0):
        raise WeightsError(
            f"invalid {what}",
            [Problem("weights sum to 0", fix="give at least one positive weight")],
        )
    normalised: FloatArray = wt / total
    return normalised


def aggregate_judgements(
    stack: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> FloatArray:
    """Aggregate individual judgements (AIJ) by the weighted element-wise geometric mean.

    ``a^G_ij = prod_k a^(k)_ij ^ lambda_k`` with ``sum_k lambda_k = 1``: the geometric mean is the
    aggregation that keeps reciprocity and the unanimity/homogeneity conditions (Aczél & Saaty,
    1983); its use with expert weights follows Forman & Peniwati (1998).

    Parameters
    ----------
    stack : array_like, shape (m, n, n) or (..., m, n, n)
        The experts' matrices on axis -3.
    weights : array_like, shape (m,) or broadcastable to (..., m), optional
        Expert weights (>= 0, normalised to sum 1); equal by default.
    labels : sequence of str, optional
        Criterion names for messages.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    ndarray, shape (..., n, n)
        The group matrix, exactly reciprocal.

    Raises
    ------
    JudgementError
        If a matrix is invalid or there is no expert axis.
    WeightsError
        If the weights are invalid.

    References
    ----------
    Aczél & Saaty (1983); Forman & Peniwati (1998).

    Examples
    --------
    >>> G = aggregate_judgements([[[1, 2], [1/2, 1]], [[1, 8], [1/8, 1]]])
    >>> print(G.round(6))
    [[1.   4.  ]
     [0.25 1.  ]]
    """
    arr, dev = _validate(
        stack, labels, rtol, allow_missing=False, min_ndim=3, what="judgement stack"
    )
    R = _reciprocal(arr, dev)
    wt = _expert_weights(weights, arr.shape[:-2], "expert weights")
    logs = np.log(R)
    group: FloatArray = np.exp(np.einsum("...k,...kij->...ij", wt, logs))
    return group


def aggregate_priorities(
    W: ArrayLike,
    weights: ArrayLike | None = None,
    method: Literal["geometric", "arithmetic"] | str = "geometric",
) -> FloatArray:
    """Aggregate individual priorities (AIP).

    ``"geometric"``: ``w^G_i ∝ prod_k (w^(k)_i) ^ lambda_k`` normalised to sum 1;
    ``"arithmetic"``: ``w^G = sum_k lambda_k w^(k)`` (Forman & Peniwati, 1998). With
    row-geometric-mean priorities, geometric AIP equals the priorities of the AIJ matrix
    (Barzilai & Golany, 1994).

    Parameters
    ----------
    W : array_like, shape (m, n) or (..., m, n)
        Positive priority vectors on axis -2 (each is normalised to sum 1 first).
    weights : array_like, shape (m,) or broadcastable to (..., m), optional
        Expert weights (>= 0, normalised); equal by default.
    method : {"geometric", "arithmetic"}, default "geometric"
        The mean.

    Returns
    -------
    ndarray, shape (..., n)
        Group priorities summing to 1.

    Raises
    ------
    WeightsError
        If a priority vector is not positive and finite, or the weights are invalid.
    OptionError
        For an unknown method.

    References
    ----------
    Forman & Peniwati (1998); Barzilai & Golany (1994).

    Examples
    --------
    >>> print(aggregate_priorities([[0.5, 0.5], [0.9, 0.1]], method="arithmetic"))
    [0.7 0.3]
    """
    if method not in ("geometric", "arithmetic"):
        raise OptionError(
            "unknown aggregation method",
            [Problem(f"{method!r}", value=method, fix="use 'geometric' or 'arithmetic'")],
        )
    try:
        P = np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightsError("priority vectors are not numeric", [Problem("not numeric")]) from None
    if P.ndim < 2 or P.shape[-1] == 0 or P.shape[-2] == 0:
        raise WeightsError(
            "priority vectors have the wrong shape",
            [
                Problem(
                    f"shape {P.shape} is not (m, n) or (..., m, n)",
                    fix="stack one vector per expert",
                )
            ],
        )
    bad = ~(np.isfinite(P) & (P > 0))
    if bad.any():
        hits = np.argwhere(bad)[:_MAX_PROBLEMS]
        raise WeightsError(
            "priority vectors must be positive and finite",
            [
                Problem(
                    "not a positive finite priority",
                    path=f"vector {tuple(int(x) for x in h[:-1])}, item {int(h[-1])}",
                    value=float(P[tuple(h)]),
                )
                for h in hits
            ],
        )
    P = P / P.sum(axis=-1, keepdims=True)
    wt = _expert_weights(weights, P.shape[:-1], "expert weights")
    if method == "arithmetic":
        out = np.einsum("...k,...ki->...i", wt, P)
        mean: FloatArray = out / out.sum(axis=-1, keepdims=True)
        return mean
    return _normalise_exp(np.einsum("...k,...ki->...i", wt, np.log(P)))


def aggregate_panels(
    stack: ArrayLike,
    groups: Sequence[Hashable],
    *,
    method: Literal["aij", "aip"] | str = "aij",
    priority_method: PriorityMethod | str = "eigenvector",
    group_weights: Mapping[Hashable, float] | ArrayLike | None = None,
    expert_weights: ArrayLike | None = None,
    aip_mean: Literal["geometric", "arithmetic"] | str = "geometric",
    labels: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    group_priorities: bool = False,
) -> PanelAggregate:
    """Two-level group aggregation of a stack of panels, all at once.

    The aggregation of :func:`aggregate_groups` (within stakeholder groups, then across groups
    with the group weights; AIJ or AIP) for every panel of a stack of shape ``(..., m, n, n)``,
    for instance Monte Carlo draws of one panel's judgements, in one vectorised call. Every
    expert counts: there is no consistency rule here (see :func:`aggregate_groups`).

    Parameters
    ----------
    stack : array_like, shape (..., m, n, n)
        The experts' matrices on axis -3; leading axes index the panels.
    groups : sequence, length m
        Each expert's group name (or index), the same for every panel.
    method, priority_method, group_weights, expert_weights, aip_mean, labels, rtol
        As for :func:`aggregate_groups`.
    group_priorities : bool, default False
        Also prioritise each group's matrix under AIJ (AIP has the group priorities anyway).
        Off by default: for many draws it costs more than the panel priorities themselves.

    Returns
    -------
    PanelAggregate
        Arrays with the batch shape of the stack in front.

    Raises
    ------
    JudgementError
        If a matrix of the stack is invalid.
    WeightsError
        If a weight is invalid, or ``groups`` does not match axis -3 of the stack.
    OptionError
        For an unknown method.

    Examples
    --------
    >>> A = [[1, 2], [1/2, 1]]
    >>> B = [[1, 8], [1/8, 1]]
    >>> draws = aggregate_panels([[A, B, B], [A, A, B]], groups=["gov", "res", "res"])
    >>> print(draws.priorities.round(3))
    [[0.8   0.2  ]
     [0.739 0.261]]
    """
    priority_method = _check_group_methods(method, aip_mean, priority_method)
    R = _expert_stack(stack, labels, rtol, batched=True)
    m = R.shape[-3]
    groups = _group_list(groups, m)
    names, gw_all, ew = _group_setup(groups, group_weights, expert_weights, m)
    return _aggregate(
        R, groups, names, gw_all, ew, method, priority_method, aip_mean,
        group_priorities=group_priorities,
    )  # fmt: skip


def aggregate_groups(
    stack: ArrayLike,
    groups: Sequence[Hashable],
    group_weights: Mapping[Hashable, float] | ArrayLike | None = None,
    expert_weights: ArrayLike | None = None,
    method: Literal["aij", "aip"] | str = "aij",
    *,
    priority_method: PriorityMethod | str = "eigenvector",
    aip_mean: Literal["geometric", "arithmetic"] | str = "geometric",
    exclude_inconsistent: bool = False,
    ri: str | Mapping[int, float] = DEFAULT_RI_TABLE,
    threshold: float | Literal["saaty"] = 0.10,
    labels: Sequence[str] | None = None,
    expert_ids: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
) -> GroupAggregate:
    """Two-level group aggregation: within stakeholder groups, then across groups.

    Experts belong to stakeholder groups (government, residents, property company, social
    organisation, academic, ...). With ``method="aij"`` each group's matrix is the weighted
    geometric mean of its experts' matrices (expert weights renormalised within the group) and the
    panel matrix is the geometric mean of the group matrices with the group weights (Aczél &
    Saaty, 1983; Forman & Peniwati, 1998); priorities come from the panel matrix. With
    ``method="aip"`` each expert's priorities are aggregated the same two-level way with
    ``aip_mean`` (geometric by default, normalised to sum 1; Forman & Peniwati, 1998).

    With ``exclude_inconsistent=True`` experts whose CR fails ``threshold`` are left out (an
    :class:`~renoscore.errors.InconsistencyWarning` names them); a group left without experts is
    dropped and the remaining group weights renormalised.

    Parameters
    ----------
    stack : array_like, shape (m, n, n)
        One judgement matrix per expert.
    groups : sequence, length m
        Each expert's group name; groups are ordered by first appearance.
    group_weights : mapping or array_like, optional
        ``{group: weight}`` or weights in group order; equal by default.
    expert_weights : array_like, shape (m,), optional
        Expert weights within their groups; equal by default.
    method : {"aij", "aip"}, default "aij"
        Aggregate judgements or priorities.
    priority_method : str, default "eigenvector"
        Prioritisation method (see :func:`priorities`), also used for the experts' CRs.
    aip_mean : {"geometric", "arithmetic"}, default "geometric"
        The mean used by AIP at both levels.
    exclude_inconsistent : bool, default False
        Leave out experts failing the CR threshold.
    ri : str or mapping, default "saaty1980"
        RI table for the experts' CRs.
    threshold : float or "saaty", default 0.10
        CR threshold.
    labels : sequence of str, optional
        Criterion names for messages.
    expert_ids : sequence of str, optional
        Expert names for the warning.
    rtol : float, default 1e-2
        Reciprocity tolerance.

    Returns
    -------
    GroupAggregate

    Raises
    ------
    JudgementError
        If a matrix is invalid, or every expert is left out.
    WeightsError
        If weights are invalid or ``groups`` does not match the experts.
    OptionError
        For unknown methods.

    References
    ----------
    Aczél & Saaty (1983); Forman & Peniwati (1998).

    Examples
    --------
    >>> A = [[1, 2], [1/2, 1]]
    >>> B = [[1, 8], [1/8, 1]]
    >>> g = aggregate_groups([A, B, B], groups=["gov", "res", "res"])
    >>> print(g.priorities.round(3), g.group_names)
    [0.8 0.2] ('gov', 'res')
    """
    priority_method = _check_group_methods(method, aip_mean, priority_method)
    R = _expert_stack(stack, labels, rtol, batched=False)
    m = R.shape[0]
    groups = _group_list(groups, m)
    ids = list(expert_ids) if expert_ids is not None else [str(k) for k in range(m)]
    if len(ids) != m:
        raise OptionError(
            "expert_ids do not match the experts", [Problem(f"{len(ids)} ids for {m} experts")]
        )
    names, gw_all, ew = _group_setup(groups, group_weights, expert_weights, m)
    cons = _consistency_flat(R, priority_method, ri, threshold)
    keep = _kept_experts(cons, exclude_inconsistent, ids)
    aggregate = _aggregate(
        R, groups, names, gw_all, ew * keep, method, priority_method, aip_mean,
        group_priorities=True, expert_priorities=cons.priorities,
    )  # fmt: skip
    excluded = tuple(int(k) for k in np.flatnonzero(~keep))
    return GroupAggregate(**vars(aggregate), excluded=excluded, expert_consistency=cons)


def _check_group_methods(method: str, aip_mean: str, priority_method: str) -> str:
    if method not in ("aij", "aip"):
        raise OptionError(
            "unknown group method", [Problem(f"{method!r}", value=method, fix="use 'aij' or 'aip'")]
        )
    if aip_mean not in ("geometric", "arithmetic"):
        raise OptionError(
            "unknown AIP mean",
            [Problem(f"{aip_mean!r}", value=aip_mean, fix="use 'geometric' or 'arithmetic'")],
        )
    return _check_method(priority_method)


def _expert_stack(
    stack: ArrayLike, labels: Sequence[str] | None, rtol: float, batched: bool
) -> FloatArray:
    """The validated, exactly reciprocal stack: (m, n, n), or (..., m, n, n) when batched."""
    arr, dev = _validate(
        stack, labels, rtol, allow_missing=False, min_ndim=3, what="judgement stack"
    )
    if not batched and arr.ndim != 3:
        raise JudgementError(
            "judgement stack has the wrong shape",
            [
                Problem(
                    f"shape {arr.shape} is not (m, n, n)",
                    fix="aggregate one criterion set at a time",
                )
            ],
        )
    return _reciprocal(arr, dev)


def _group_list(groups: Sequence[Hashable], m: int) -> list[Hashable]:
    out = list(groups)
    if len(out) != m:
        raise WeightsError(
            "groups do not match the experts",
            [Problem(f"{len(out)} group names for {m} experts", fix=f"give {m} group names")],
        )
    return out


def _group_setup(
    groups: list[Hashable],
    group_weights: Mapping[Hashable, float] | ArrayLike | None,
    expert_weights: ArrayLike | None,
    m: int,
) -> tuple[list[Hashable], FloatArray, FloatArray]:
    """The groups in order of first appearance, their raw weights, and the experts' weights
    (normalised to mean 1)."""
    names: list[Hashable] = list(dict.fromkeys(groups))
    if group_weights is None:
        gw_all = np.ones(len(names))
    elif isinstance(group_weights, Mapping):
        unknown = [g for g in names if g not in group_weights]
        if unknown:
            raise WeightsError(
                "group weights missing",
                [
                    Problem(f"no weight for group {g!r}", fix="add it to group_weights")
                    for g in unknown
                ],
            )
        gw_all = np.array([float(group_weights[g]) for g in names])
    else:
        gw_all = np.asarray(group_weights, dtype=np.float64).reshape(-1)
        if gw_all.size != len(names):
            raise WeightsError(
                "group weights do not match the groups",
                [Problem(f"{gw_all.size} weights for groups {names}")],
            )
    _expert_weights(gw_all, (len(names),), "group weights")
    ew = _expert_weights(expert_weights, (m,), "expert weights") * m
    return names, gw_all, ew


def _kept_experts(cons: Consistency, exclude_inconsistent: bool, ids: list[str]) -> BoolArray:
    """The experts that take part: all, or those passing the consistency rule (warned)."""
    m = cons.cr.shape[0]
    cr, ok, thr, rname = cons.cr, cons.acceptable, cons.threshold, cons.ri_table
    keep = ok if exclude_inconsistent else np.ones(m, dtype=bool)
    excluded = tuple(int(k) for k in np.flatnonzero(~keep))
    if excluded:
        listed = ", ".join(f"{ids[k]} (CR {cr[k]:.3f})" for k in excluded)
        warnings.warn(
            f"{len(excluded)} expert(s) left out for CR >= {thr:g} ({rname}): {listed}",
            InconsistencyWarning,
            stacklevel=3,
        )
    if not keep.any():
        raise JudgementError(
            "every expert fails the consistency rule",
            [
                Problem(
                    f"expert {ids[k]}: CR {cr[k]:.3f} >= {thr:g}",
                    fix="revise the judgements (see most_inconsistent())",
                )
                for k in range(m)
            ],
        )
    return keep


def _within_groups(
    groups: list[Hashable], names: list[Hashable], gw_all: FloatArray, weights: FloatArray
) -> tuple[FloatArray, list[Hashable], tuple[Hashable, ...], FloatArray]:
    """Row k of the (g, m) matrix holds the weights of group k's experts, summing to 1; groups
    without a contributing expert are dropped and the group weights renormalised."""
    member = np.array([names.index(g) for g in groups])
    E = (member[None, :] == np.arange(len(names))[:, None]) * weights[None, :]
    present = E.sum(axis=1) > 0
    dropped = tuple(g for g, p in zip(names, present, strict=True) if not p)
    E = E[present] / E[present].sum(axis=1, keepdims=True)
    used = [g for g, p in zip(names, present, strict=True) if p]
    gw = gw_all[present]
    if not gw.sum() > 0:
        raise WeightsError(
            "the remaining groups all have weight 0",
            [Problem(f"groups {used}", fix="give them positive weights")],
        )
    return E, used, dropped, gw / gw.sum()


def _aggregate(
    R: FloatArray,
    groups: list[Hashable],
    names: list[Hashable],
    gw_all: FloatArray,
    weights: FloatArray,
    method: str,
    priority_method: str,
    aip_mean: str,
    *,
    group_priorities: bool,
    expert_priorities: FloatArray | None = None,
) -> PanelAggregate:
    """The one two-level aggregation (AIJ or AIP) of a validated stack (..., m, n, n)."""
    E, used, dropped, gw = _within_groups(groups, names, gw_all, weights)
    *batch, m, n, _ = R.shape
    g = E.shape[0]
    if method == "aij":
        # Weighted geometric means of the judgements, within the groups and then across them,
        # as weighted sums of logarithms (Aczél & Saaty, 1983; Forman & Peniwati, 1998).
        glogs = E @ np.log(R).reshape(*batch, m, n * n)
        gmats = np.exp(glogs).reshape(*batch, g, n, n)
        panel = np.exp(gw @ glogs).reshape(*batch, n, n)
        pw, _ = _weights(panel.reshape(-1, n, n), priority_method)
        gprio = None
        if group_priorities:
            gprio = _weights(gmats.reshape(-1, n, n), priority_method)[0].reshape(*batch, g, n)
        return PanelAggregate(
            method="aij", priorities=pw.reshape(*batch, n), matrix=panel, group_names=tuple(used),
            group_matrices=gmats, group_priorities=gprio, group_weights=gw, dropped_groups=dropped,
        )  # fmt: skip
    if expert_priorities is None:
        expert_priorities = _weights(R.reshape(-1, n, n), priority_method)[0].reshape(*batch, m, n)
    if aip_mean == "arithmetic":
        gprio = E @ expert_priorities
        pw = gw @ gprio
    else:
        gprio = _normalise_exp(E @ np.log(expert_priorities))
        pw = _normalise_exp(gw @ np.log(gprio))
    return PanelAggregate(
        method="aip", priorities=pw / pw.sum(axis=-1, keepdims=True), matrix=None,
        group_names=tuple(used), group_matrices=None,
        group_priorities=gprio / gprio.sum(axis=-1, keepdims=True), group_weights=gw,
        dropped_groups=dropped,
    )  # fmt: skip
