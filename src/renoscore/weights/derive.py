"""Derivation of the weights of a whole indicator system, node by node down its groups.

:func:`derive_weights` walks the system's groups and, at each one, computes the local weights
of its children as the node's :class:`~renoscore.system.Weighting` says: equal, fixed, AHP from
an expert panel (:mod:`renoscore.ahp`; experts aggregated within and across stakeholder groups
by :func:`renoscore.ahp.aggregate_panels`), entropy / CRITIC / dispersion from community data,
or a combination of a subjective and an objective method (:func:`renoscore.weights.combine`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from renoscore import ahp
from renoscore._calling import argument
from renoscore.data import CommunityData
from renoscore.errors import (
    InconsistencyWarning,
    JudgementError,
    OptionError,
    PanelError,
    Problem,
    RenoscoreWarning,
    WeightsError,
)
from renoscore.panel import Expert, Panel
from renoscore.system import Group, Indicator, IndicatorSystem, Weighting
from renoscore.weights.combine import combine
from renoscore.weights.critic import critic
from renoscore.weights.dispersion import coefficient_of_variation, standard_deviation
from renoscore.weights.entropy import entropy
from renoscore.weights.model import ExpertConsistency, NodeWeights, Weights, WeightsProvenance

__all__ = ["derive_weights"]

PrioritisationMethod = Literal["eigenvector", "geometric_mean", "normalized_columns"]


def derive_weights(
    system: IndicatorSystem,
    panel: Panel | None = None,
    data: CommunityData | None = None,
    *,
    method: str | None = None,
    prioritisation: PrioritisationMethod = "eigenvector",
    ri: str = "saaty1980",
    group_method: Literal["aij", "aip"] = "aij",
    exclude_inconsistent: bool = False,
    completion: Literal["optimal", "harker"] = "optimal",
    phase: str | None = None,
) -> Weights:
    """Derive local and global weights for every group of ``system``.

    Parameters
    ----------
    system : IndicatorSystem
        The indicator system; each group's ``weighting`` says how to weight its children.
    panel : Panel, optional
        Expert judgements, needed where a group uses AHP.
    data : CommunityData, optional
        Community data, needed where a group uses a data-driven method. Cells that are
        missing or not applicable are left out column by column.
    method : str, optional
        Override every group's method: ``"equal"``, ``"ahp"``, ``"entropy"``, ``"critic"``,
        ``"standard_deviation"``, ``"coefficient_of_variation"``, or ``"combined"`` (AHP and
        entropy, linear with alpha 0.5). Data-driven overrides use scope ``indicators`` at
        groups whose children are groups.
    prioritisation : str
        AHP prioritisation: ``eigenvector`` (Saaty 1977), ``geometric_mean`` (Crawford &
        Williams 1985) or ``normalized_columns``.
    ri : str
        Random-index table for consistency ratios (see :func:`renoscore.ahp.random_index`).
    group_method : {"aij", "aip"}
        Aggregation of individual judgements (AIJ) or of individual priorities (AIP),
        within stakeholder groups, then across groups with the groups' weights.
    exclude_inconsistent : bool
        Leave out experts whose judgements fail the consistency rule (recorded).
    completion : {"optimal", "harker"}
        How missing pairwise comparisons are completed.
    phase : str, optional
        Use only the data rows of this phase for data-driven weights (recommended: the
        baseline phase, so that later phases reuse the same frozen weights).

    Returns
    -------
    Weights

    Raises
    ------
    WeightsError
        When a group needs a panel or data that was not given, or a group asked to use AHP
        has no judgements.

    Examples
    --------
    >>> import renoscore as rs
    >>> w = rs.derive_weights(rs.default_system(), rs.example_panel(), method="ahp")
    >>> round(w.local("renovation_performance")["facilities"], 3)
    0.291
    """
    if panel is not None:
        panel.check_against(system)
    if data is not None:
        if data.system_id != system.id or data.indicator_ids != system.indicator_ids:
            raise WeightsError(
                "the data were validated against another system",
                [
                    Problem(
                        f"data system {data.system_id!r}, weights system {system.id!r}",
                        fix="load the data with this system",
                    )
                ],
            )
        if phase is not None:
            data = data.select(phase=phase)
            if data.n == 0:
                raise WeightsError(
                    f"no data rows in phase {phase!r}",
                    [Problem("empty selection", fix="choose a phase present in the data")],
                )
    ahp_settings = _AhpSettings(prioritisation, ri, group_method, exclude_inconsistent, completion)
    nodes: dict[str, NodeWeights] = {}
    judged = set(panel.nodes) if panel is not None else set()
    for group in system.groups:
        spec = group.weighting
        if method is not None:
            spec = _override(group, method)
            if spec.needs_panel and group.id not in judged and not group.weighting.needs_panel:
                # A group the panel did not judge keeps its declared weighting.
                spec = (
                    group.weighting
                    if spec.method == "ahp"
                    else spec.model_copy(update={"subjective": "equal"})
                )
        nodes[group.id] = _node_weights(
            system,
            group,
            spec,
            panel,
            data,
            ahp_settings,
        )
    # Only weights that were derived from the data carry its digest (hashing is not free).
    used_data = data is not None and any(
        nw.method in _DATA_METHODS or nw.method.startswith("combined") for nw in nodes.values()
    )
    used_panel = any(nw.method == "ahp" or nw.experts for nw in nodes.values())
    provenance = WeightsProvenance(
        panel=panel.id if panel is not None and used_panel else None,
        prioritisation=prioritisation,
        ri_table=ri if used_panel else None,
        group_method=group_method if used_panel else None,
        group_names=_group_names(panel) if used_panel else {},
        data_digest=data.digest() if used_data and data is not None else None,
        data_rows=data.n if used_data and data is not None else None,
        data_phase=phase if used_data else None,
    )
    return Weights(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=system.indicator_ids,
        nodes=nodes,
        provenance=provenance,
    )


_DATA_METHODS = ("entropy", "critic", "standard_deviation", "coefficient_of_variation")


@dataclass(frozen=True)
class _AhpSettings:
    """The options of :func:`derive_weights` that say how a node is weighted from the panel."""

    prioritisation: PrioritisationMethod
    ri: str
    group_method: Literal["aij", "aip"]
    exclude_inconsistent: bool
    completion: Literal["optimal", "harker"]


def _group_names(panel: Panel | None) -> dict[str, dict[str, str]]:
    """The declared names of the panel's stakeholder groups, by group id."""
    if panel is None:
        return {}
    return {g.id: {"en": g.name.en, "zh": g.name.zh} for g in panel.groups if g.name is not None}


def _override(group: Group, method: str) -> Weighting:
    leaves_only = all(isinstance(c, Indicator) for c in group.children)
    scope: Literal["children", "indicators"] = "children" if leaves_only else "indicators"
    if method in ("equal", "ahp"):
        return Weighting(method=method)
    if method in _DATA_METHODS:
        return Weighting(method=method, scope=scope)
    if method == "combined":
        return Weighting(method="combined", subjective="ahp", objective="entropy", scope=scope)
    raise OptionError(
        f"unknown weighting method {method!r}",
        [
            Problem(
                "unknown method",
                value=method,
                fix="use equal, ahp, entropy, critic, standard_deviation, coefficient_of_variation or combined",
            )
        ],
    )


def _node_weights(
    system: IndicatorSystem,
    group: Group,
    spec: Weighting,
    panel: Panel | None,
    data: CommunityData | None,
    ahp_settings: _AhpSettings,
) -> NodeWeights:
    children = tuple(c.id for c in group.children)
    n = len(children)
    if spec.method == "equal" or n == 1:
        return NodeWeights(
            node=group.id,
            method="equal" if n > 1 else spec.method,
            children=children,
            local=(1.0 / n,) * n,
        )
    if spec.method == "fixed":
        return _fixed(group.id, children, spec)
    if spec.method == "ahp":
        return _ahp_node(group, panel, ahp_settings)
    if spec.method in _DATA_METHODS:
        w = _data_node(system, group, spec.method, spec.scope, data)
        return NodeWeights(
            node=group.id,
            method=spec.method,
            children=children,
            local=tuple(w.tolist()),
            parameters={"scope": spec.scope},
        )
    # combined
    assert spec.subjective is not None
    assert spec.objective is not None
    if spec.subjective == "ahp":
        subjective_node = _ahp_node(group, panel, ahp_settings)
    elif spec.subjective == "fixed":
        subjective_node = _fixed(group.id, children, spec)
    else:
        subjective_node = NodeWeights(
            node=group.id, method="equal", children=children, local=(1.0 / n,) * n
        )
    w_s = np.array(subjective_node.local)
    w_o = _data_node(system, group, spec.objective, spec.scope, data)
    w = combine(w_s, w_o, method=spec.combination, alpha=spec.alpha)
    return subjective_node.model_copy(
        update={
            "method": f"combined({spec.subjective}+{spec.objective}, {spec.combination})",
            "local": tuple(float(x) for x in w),
            "parts": {spec.subjective: tuple(w_s.tolist()), spec.objective: tuple(w_o.tolist())},
            "parameters": {
                "combination": spec.combination,
                "alpha": spec.alpha,
                "scope": spec.scope,
            },
        }
    )


def _fixed(node: str, children: tuple[str, ...], spec: Weighting) -> NodeWeights:
    assert spec.weights is not None
    raw = np.array([spec.weights[c] for c in children], dtype=np.float64)
    return NodeWeights(
        node=node, method="fixed", children=children, local=tuple((raw / raw.sum()).tolist())
    )


def _data_node(
    system: IndicatorSystem, group: Group, method: str, scope: str, data: CommunityData | None
) -> NDArray[np.float64]:
    if data is None:
        raise WeightsError(
            f"group {group.id!r} derives weights from data ({method}), but no data were given",
            [
                Problem(
                    "data needed",
                    path=group.id,
                    fix=f"give the community data ({argument('data', 'load_data(...)')})",
                )
            ],
        )
    position = {ind: j for j, ind in enumerate(system.indicator_ids)}
    if scope == "children":
        leaves = [c for c in group.children if isinstance(c, Indicator)]
    else:
        leaves = list(system.indicators_under(group.id))
    cols = [position[i.id] for i in leaves]
    X = np.asarray(data.values[:, cols])
    directions = [i.direction.value for i in leaves]
    labels = [i.id for i in leaves]
    if method == "entropy":
        w_ind = entropy(X, normalization="minmax", directions=directions, labels=labels)
    elif method == "critic":
        w_ind = critic(X, directions=directions, labels=labels)
    elif method == "standard_deviation":
        w_ind = standard_deviation(X, directions=directions, labels=labels)
    else:
        w_ind = coefficient_of_variation(X, labels=labels)
    w_ind = np.asarray(w_ind, dtype=np.float64)
    if scope == "children":
        return w_ind
    # Roll indicator weights up to the children that contain them.
    out = np.zeros(len(group.children))
    for k, child in enumerate(group.children):
        ids = {i.id for i in system.indicators_under(child.id)}
        out[k] = sum(w for w, lab in zip(w_ind, labels, strict=True) if lab in ids)
    total = out.sum()
    if not total > 0:
        raise WeightsError(
            f"data-driven weights of {group.id!r} are all zero",
            [Problem("every indicator is constant", path=group.id)],
        )
    return np.asarray(out / total, dtype=np.float64)


def _at_experts(exc: JudgementError, node: str, panel: Panel, experts: list[Expert]) -> PanelError:
    """A numeric-core error about matrix k of a stack, restated for the expert who wrote it."""
    problems = []
    for problem in exc.problems:
        found = re.match(r"matrix \((\d+),\)", problem.path or "")
        expert = experts[int(found[1])] if found else None
        path = problem.path
        if expert is not None:
            path = f"experts[{panel.experts.index(expert)}].judgements.{node}"
        who = f"expert {expert.id!r} at {node!r}: " if expert is not None else f"{node!r}: "
        problems.append(
            Problem(who + problem.reason, fix=problem.fix, path=path, value=problem.value)
        )
    return PanelError(f"the judgements of {node!r} cannot be used", problems)


def _ahp_node(group: Group, panel: Panel | None, settings: _AhpSettings) -> NodeWeights:
    children = tuple(c.id for c in group.children)
    prioritisation, group_method = settings.prioritisation, settings.group_method
    exclude_inconsistent = settings.exclude_inconsistent
    panel, experts, stack, incomplete = _judgements(group, panel, children, settings.completion)
    ri = _reachable_ri(settings.ri, len(children), group.id)
    cons = ahp.consistency(stack, ri=ri, method=prioritisation)
    prio = cons.priorities
    acceptable = np.asarray(cons.acceptable, dtype=bool)
    threshold = float(np.min(cons.threshold))
    keep = _kept(experts, acceptable, exclude_inconsistent, group.id, threshold)
    kept_experts = [e for e, k in zip(experts, keep, strict=True) if k]
    groups = [e.group or e.id for e in kept_experts]
    group_names = list(dict.fromkeys(groups))
    group_w = np.array([panel.group_weight(g) for g in group_names])
    # Within each stakeholder group, then across groups: the one aggregation of renoscore.ahp.
    aggregate = ahp.aggregate_panels(
        stack[keep],
        groups,
        method=group_method,
        priority_method=prioritisation,
        group_weights=group_w,
        expert_weights=[e.weight for e in kept_experts],
    )
    lam: float | None = None
    cr: float | None = None
    ok: bool | None = None
    if aggregate.matrix is not None:
        gc = ahp.consistency(aggregate.matrix, ri=ri, method=prioritisation)
        lam, cr, ok = float(gc.lambda_max), float(gc.cr), bool(gc.acceptable)
    records = tuple(
        ExpertConsistency(
            expert=e.id,
            group=e.group,
            lambda_max=float(cons.lambda_max[k]),
            ci=float(cons.ci[k]),
            cr=float(cons.cr[k]),
            acceptable=bool(acceptable[k]),
            completed=bool(incomplete[k]),
            excluded=bool(not keep[k]),
            priorities=tuple(float(x) for x in prio[k]),
        )
        for k, e in enumerate(experts)
    )
    return NodeWeights(
        node=group.id,
        method="ahp",
        children=children,
        local=tuple(float(x) for x in aggregate.priorities),
        lambda_max=lam,
        cr=cr,
        acceptable=ok,
        experts=records,
        parameters={
            "prioritisation": prioritisation,
            "ri": ri,
            "group_method": group_method,
            "exclude_inconsistent": exclude_inconsistent,
            "groups": dict(zip(group_names, group_w.tolist(), strict=True)),
        },
    )


def _judgements(
    group: Group,
    panel: Panel | None,
    children: tuple[str, ...],
    completion: Literal["optimal", "harker"],
) -> tuple[Panel, list[Expert], NDArray[np.float64], NDArray[np.bool_]]:
    """The panel, the experts who judged ``group``, their judgement stack with the missing
    judgements completed, and which of them needed completion."""
    if panel is None:
        raise WeightsError(
            f"group {group.id!r} is weighted by AHP, but no panel was given",
            [
                Problem(
                    "panel needed",
                    path=group.id,
                    fix=f"use {argument('panel', 'load_panel(...)')}, or declare another weighting for this group",
                )
            ],
        )
    n = len(children)
    stack = panel.matrices(group.id, children)
    off = ~np.eye(n, dtype=bool)
    judged = np.asarray(np.isfinite(stack[:, off]).any(axis=1), dtype=bool)
    if not judged.any():
        raise WeightsError(
            f"no expert judged group {group.id!r}",
            [
                Problem(
                    "no judgements",
                    path=group.id,
                    fix=f"add judgements for {group.id!r} to the panel, or weight it another way",
                )
            ],
        )
    experts = [e for e, j in zip(panel.experts, judged, strict=True) if j]
    stack = stack[judged]
    incomplete = np.asarray(np.isnan(stack).any(axis=(-2, -1)), dtype=bool)
    if incomplete.any():
        stack = stack.copy()
        try:
            stack[incomplete] = ahp.complete(stack[incomplete], method=completion, labels=children)
        except JudgementError as exc:
            partial = [e for e, i in zip(experts, incomplete, strict=True) if i]
            raise _at_experts(exc, group.id, panel, partial) from None
    return panel, experts, stack, incomplete


def _reachable_ri(ri: str, n: int, node: str) -> str:
    """``ri``, or Alonso & Lamata's table when ``ri`` stops before ``n`` (warned)."""
    try:
        ahp.random_index(n, ri)
    except OptionError:
        # A published RI table stops at n = 10-15; beyond it only Alonso & Lamata's (2006)
        # regression defines RI, so the node is checked with it and the switch is recorded.
        warnings.warn(
            f"RI table {ri!r} does not reach n = {n} at {node!r}; using 'alonso_lamata2006'",
            RenoscoreWarning,
            stacklevel=5,
        )
        return "alonso_lamata2006"
    return ri


def _kept(
    experts: list[Expert],
    acceptable: NDArray[np.bool_],
    exclude_inconsistent: bool,
    node: str,
    threshold: float,
) -> NDArray[np.bool_]:
    """The experts whose judgements count; the inconsistent ones are warned about (one warning
    per node) and, with ``exclude_inconsistent``, left out."""
    keep = acceptable if exclude_inconsistent else np.ones(len(experts), dtype=bool)
    failing = [e.id for e, passed in zip(experts, acceptable, strict=True) if not passed]
    if failing:
        # One warning per node: a resident panel can hold hundreds of inconsistent answers.
        action = "left out" if exclude_inconsistent else "kept"
        shown = ", ".join(repr(i) for i in failing[:5])
        more = f" and {len(failing) - 5} more" if len(failing) > 5 else ""
        warnings.warn(
            f"{len(failing)} of {len(experts)} expert(s) inconsistent at {node!r} "
            f"(CR >= {threshold:.2f}): {shown}{more}; {action} "
            "(per-expert CR in weights.nodes[...].experts)",
            InconsistencyWarning,
            stacklevel=5,
        )
    if not keep.any():
        raise WeightsError(
            f"every expert is inconsistent at {node!r}",
            [
                Problem(
                    "no consistent judgements left",
                    path=node,
                    fix="revise the judgements (see renoscore.ahp.most_inconsistent) or set exclude_inconsistent=False",
                )
            ],
        )
    return keep
