"""Weights of a whole indicator system: derive them through the hierarchy, freeze and reuse them.

:func:`derive_weights` walks the system's groups and, at each one, computes the local weights
of its children as the node's :class:`~renoscore.system.Weighting` says: equal, fixed, AHP from
an expert panel (:mod:`renoscore.ahp`), entropy / CRITIC / dispersion from community data
(:mod:`renoscore.weights`), or a combination of a subjective and an objective method. Global
weights are the products of local weights along the path from the goal (distributive
synthesis, Saaty 1980).

The result, :class:`Weights`, records where every number came from (method, panel, per-expert
consistency, data digest and phase, renoscore version). It can be saved to YAML or JSON and
loaded back; loading checks that it belongs to the system it is used with, so that a phase-2
evaluation can reuse the *frozen* weights of phase 1.

Examples
--------
>>> import renoscore as rs
>>> w = rs.derive_weights(rs.default_system())
>>> round(float(sum(w.indicator_weights())), 12)
1.0
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from renoscore import ahp
from renoscore import weights as objective
from renoscore._version import __version__
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
from renoscore.system import (
    Group,
    Indicator,
    IndicatorSystem,
    LocatedProblem,
    Weighting,
    located_error,
)

__all__ = [
    "ExpertConsistency",
    "NodeWeights",
    "Weights",
    "WeightsProvenance",
    "derive_weights",
    "load_weights",
]

PrioritisationMethod = Literal["eigenvector", "geometric_mean", "normalized_columns"]

#: How far a node's local weights may sum from 1 (weights files are written with full
#: precision; this admits rounding, not hand-rounded weights such as 0.33 + 0.33 + 0.33).
WEIGHT_SUM_TOL = 1e-9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpertConsistency(_Frozen):
    """Consistency of one expert's judgements at one node."""

    expert: str
    group: str | None = None
    lambda_max: float
    ci: float
    cr: float
    acceptable: bool
    completed: bool = False
    excluded: bool = False
    priorities: tuple[float, ...]


class NodeWeights(_Frozen):
    """Local weights of one group's children, and where they came from."""

    node: str
    method: str
    children: tuple[str, ...]
    local: tuple[float, ...]
    lambda_max: float | None = None
    cr: float | None = None
    acceptable: bool | None = None
    experts: tuple[ExpertConsistency, ...] = ()
    parts: dict[str, tuple[float, ...]] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _a_distribution(self) -> NodeWeights:
        # A weights file is read back from disk and may have been edited: its local weights
        # must still be one finite, non-negative weight per distinct child, summing to 1.
        problems: list[LocatedProblem] = []
        if len(self.local) != len(self.children):
            problems.append(
                (
                    ("local",),
                    f"{len(self.local)} local weights for {len(self.children)} children",
                    "give one weight per child, in the order of 'children'",
                )
            )
        repeated = sorted({c for c in self.children if self.children.count(c) > 1})
        if repeated:
            problems.append(
                (("children",), f"children listed twice: {repeated}", "list every child once")
            )
        bad = [w for w in self.local if not (math.isfinite(w) and w >= 0)]
        if bad:
            problems.append(
                (
                    ("local",),
                    f"local weights must be finite and non-negative; got {bad}",
                    "re-derive the weights (renoscore.derive_weights)",
                )
            )
        elif self.local and abs(math.fsum(self.local) - 1.0) > WEIGHT_SUM_TOL:
            problems.append(
                (
                    ("local",),
                    f"local weights sum to {math.fsum(self.local)!r}, not 1",
                    "re-derive the weights, or correct them so that they sum to 1",
                )
            )
        if problems:
            raise located_error("node_weights", problems)
        return self


class WeightsProvenance(_Frozen):
    """Where a set of weights came from."""

    renoscore_version: str = __version__
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    panel: str | None = None
    prioritisation: str = "eigenvector"
    ri_table: str | None = None
    group_method: str | None = None
    data_digest: str | None = None
    data_rows: int | None = None
    data_phase: str | None = None


class Weights(_Frozen):
    """Local and global weights for every node of an indicator system.

    Use :func:`derive_weights` to make one, :meth:`save` / :func:`load_weights` to freeze and
    reuse it, and :meth:`check` to make sure it belongs to a system.
    """

    system_id: str
    system_version: str
    indicator_ids: tuple[str, ...]
    nodes: dict[str, NodeWeights]
    provenance: WeightsProvenance = WeightsProvenance()

    @model_validator(mode="after")
    def _a_tree(self) -> Weights:
        # The nodes must form one tree: every node under its own key, no node the child of two
        # parents or of itself, one root. Otherwise global weights are not products along a path.
        problems: list[LocatedProblem] = []
        parent: dict[str, str] = {}
        for key, nw in self.nodes.items():
            if nw.node != key:
                problems.append(
                    (
                        ("nodes", key, "node"),
                        f"the weights of {nw.node!r} are filed under {key!r}",
                        "file every node's weights under its own id",
                    )
                )
            for child in nw.children:
                if child in parent:
                    problems.append(
                        (
                            ("nodes", key, "children"),
                            f"{child!r} is a child of both {parent[child]!r} and {key!r}",
                            "every node has one parent",
                        )
                    )
                parent.setdefault(child, key)
        leaves = {c for c in parent if c not in self.nodes}
        for stray in sorted(leaves - set(self.indicator_ids)):
            problems.append(
                (
                    ("nodes", parent[stray], "children"),
                    f"{stray!r} is neither a node with weights nor one of the indicator_ids",
                    "keep exactly the groups and indicators of one indicator system",
                )
            )
        for lost in [i for i in self.indicator_ids if i not in leaves]:
            problems.append(
                (
                    ("indicator_ids",),
                    f"indicator {lost!r} is not the child of any node",
                    "re-derive the weights (renoscore.derive_weights)",
                )
            )
        roots = [n for n in self.nodes if n not in parent]
        if self.nodes and len(roots) != 1:
            problems.append(
                (
                    ("nodes",),
                    f"the nodes form {len(roots)} trees (roots {roots}), not one",
                    "keep exactly the groups of one indicator system",
                )
            )
        if problems:
            raise located_error("weights_tree", problems)
        return self

    # ------------------------------------------------------------------ access
    def local(self, node: str) -> dict[str, float]:
        """Local weights of the children of ``node``, keyed by child id."""
        try:
            nw = self.nodes[node]
        except KeyError:
            raise WeightsError(
                f"no weights for node {node!r}", [Problem("unknown node", path=node)]
            ) from None
        return dict(zip(nw.children, nw.local, strict=True))

    def global_weights(self) -> dict[str, float]:
        """Global weight of every node: the product of local weights from the goal down."""
        child_of = {
            c: (n, w)
            for n, nw in self.nodes.items()
            for c, w in zip(nw.children, nw.local, strict=True)
        }
        out: dict[str, float] = {}
        roots = [n for n in self.nodes if n not in child_of]

        def visit(node: str, weight: float) -> None:
            out[node] = weight
            nw = self.nodes.get(node)
            if nw is not None:
                for c, w in zip(nw.children, nw.local, strict=True):
                    visit(c, weight * w)

        for r in roots:
            visit(r, 1.0)
        return out

    def indicator_weights(self) -> NDArray[np.float64]:
        """Global indicator weights in the system's indicator order (they sum to 1)."""
        g = self.global_weights()
        return np.array([g[i] for i in self.indicator_ids], dtype=np.float64)

    def check(self, system: IndicatorSystem) -> None:
        """Raise :class:`WeightsError` unless these weights belong to ``system``.

        The system id, the indicators and every group's children must match; a different
        version of the same system with the same tree is accepted.
        """
        problems: list[Problem] = []
        if self.system_id != system.id:
            problems.append(
                Problem(
                    f"weights are for system {self.system_id!r}, not {system.id!r}",
                    fix="derive weights for this system, or load the system they were made for",
                )
            )
        if self.indicator_ids != system.indicator_ids:
            extra = sorted(set(self.indicator_ids) - set(system.indicator_ids))
            missing = sorted(set(system.indicator_ids) - set(self.indicator_ids))
            reason = "the indicators differ"
            if extra or missing:
                reason += f": not in the system {extra}, missing from the weights {missing}"
            else:
                reason += " in order"
            problems.append(Problem(reason, fix="re-derive the weights for this system"))
        group_ids = {g.id for g in system.groups}
        for stray in [n for n in self.nodes if n not in group_ids]:
            problems.append(
                Problem(
                    f"weights for {stray!r}, which is not a group of system {system.id!r}",
                    path=stray,
                    fix="re-derive the weights for this system",
                )
            )
        for group in system.groups:
            nw = self.nodes.get(group.id)
            kids = tuple(c.id for c in group.children)
            if nw is None:
                problems.append(Problem(f"no weights for group {group.id!r}", path=group.id))
            elif nw.children != kids:
                problems.append(
                    Problem(
                        f"children of {group.id!r} differ: weights have {list(nw.children)}, the system {list(kids)}",
                        path=group.id,
                    )
                )
        if problems:
            raise WeightsError("these weights do not fit the indicator system", problems)

    @property
    def plot(self) -> Any:
        """Charts of these weights (needs the ``plot`` extra): ``weights.plot()`` draws the
        hierarchy; see :class:`renoscore.plot.WeightsPlots`."""
        from renoscore.plot import WeightsPlots

        return WeightsPlots(self)

    # ------------------------------------------------------------------ files
    def to_dict(self) -> dict[str, Any]:
        """The weights as plain data."""
        return self.model_dump(mode="json")

    def to_yaml(self) -> str:
        """The weights as YAML text."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)

    def to_json(self) -> str:
        """The weights as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def save(self, path: str | Path) -> None:
        """Write the weights to ``path`` (``.json``, else YAML)."""
        path = Path(path)
        text = self.to_json() if path.suffix.lower() == ".json" else self.to_yaml()
        path.write_text(text, encoding="utf-8")

    def table(self) -> list[dict[str, Any]]:
        """One record per node: id, parent, method, local and global weight."""
        g = self.global_weights()
        rows: list[dict[str, Any]] = []
        for node, nw in self.nodes.items():
            for c, w in zip(nw.children, nw.local, strict=True):
                rows.append(
                    {"node": c, "parent": node, "method": nw.method, "local": w, "global": g[c]}
                )
        return rows

    def _repr_html_(self) -> str:
        """Escaped HTML for notebooks (names in English; see :func:`renoscore.report.repr_html`)."""
        from renoscore.report import repr_html

        return repr_html(self)


def load_weights(
    source: str | Path | Mapping[str, Any], system: IndicatorSystem | None = None
) -> Weights:
    """Load frozen weights from a YAML/JSON file, text or mapping; check them against ``system``.

    Raises
    ------
    WeightsError
        When the file is not valid weights, or the weights do not fit ``system``.

    Examples
    --------
    >>> import renoscore as rs
    >>> w = rs.derive_weights(rs.default_system())
    >>> rs.load_weights(w.to_yaml(), rs.default_system()) == w
    True
    """
    from pydantic import ValidationError

    from renoscore._yaml import Located, read_yaml
    from renoscore.system import problems_from_validation

    doc = (
        Located(data=dict(source))
        if isinstance(source, Mapping)
        else read_yaml(source, WeightsError, "weights")
    )
    try:
        weights = Weights.model_validate(doc.data)
    except ValidationError as exc:
        raise WeightsError(
            "invalid weights file", problems_from_validation(exc, doc, Weights)
        ) from None
    if system is not None:
        weights.check(system)
    return weights


# ---------------------------------------------------------------------- derivation
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
    0.409
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
            prioritisation,
            ri,
            group_method,
            exclude_inconsistent,
            completion,
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
    prioritisation: PrioritisationMethod,
    ri: str,
    group_method: Literal["aij", "aip"],
    exclude_inconsistent: bool,
    completion: Literal["optimal", "harker"],
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
        return _ahp_node(
            group, panel, prioritisation, ri, group_method, exclude_inconsistent, completion
        )
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
        subjective_node = _ahp_node(
            group, panel, prioritisation, ri, group_method, exclude_inconsistent, completion
        )
    elif spec.subjective == "fixed":
        subjective_node = _fixed(group.id, children, spec)
    else:
        subjective_node = NodeWeights(
            node=group.id, method="equal", children=children, local=(1.0 / n,) * n
        )
    w_s = np.array(subjective_node.local)
    w_o = _data_node(system, group, spec.objective, spec.scope, data)
    w = objective.combine(w_s, w_o, method=spec.combination, alpha=spec.alpha)
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
                    fix="pass data=load_data(...) to derive_weights / evaluate",
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
    func = getattr(objective, method)
    if method == "entropy":
        w_ind = func(X, normalization="minmax", directions=directions, labels=labels)
    elif method in ("critic", "standard_deviation"):
        w_ind = func(X, directions=directions, labels=labels)
    else:
        w_ind = func(X, labels=labels)
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


def _ahp_node(
    group: Group,
    panel: Panel | None,
    prioritisation: PrioritisationMethod,
    ri: str,
    group_method: Literal["aij", "aip"],
    exclude_inconsistent: bool,
    completion: Literal["optimal", "harker"],
) -> NodeWeights:
    children = tuple(c.id for c in group.children)
    n = len(children)
    if panel is None:
        raise WeightsError(
            f"group {group.id!r} is weighted by AHP, but no panel was given",
            [
                Problem(
                    "panel needed",
                    path=group.id,
                    fix="pass panel=load_panel(...), or declare another weighting for this group",
                )
            ],
        )
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

    try:
        ahp.random_index(n, ri)
    except OptionError:
        # A published RI table stops at n = 10-15; beyond it only Alonso & Lamata's (2006)
        # regression defines RI, so the node is checked with it and the switch is recorded.
        warnings.warn(
            f"RI table {ri!r} does not reach n = {n} at {group.id!r}; using 'alonso_lamata2006'",
            RenoscoreWarning,
            stacklevel=4,
        )
        ri = "alonso_lamata2006"
    cons = ahp.consistency(stack, ri=ri, method=prioritisation)
    prio = cons.priorities
    acceptable = np.asarray(cons.acceptable, dtype=bool)
    keep = acceptable if exclude_inconsistent else np.ones(len(experts), dtype=bool)
    failing = [e.id for e, passed in zip(experts, acceptable, strict=True) if not passed]
    if failing:
        # One warning per node: a resident panel can hold hundreds of inconsistent answers.
        action = "left out" if exclude_inconsistent else "kept"
        shown = ", ".join(repr(i) for i in failing[:5])
        more = f" and {len(failing) - 5} more" if len(failing) > 5 else ""
        warnings.warn(
            f"{len(failing)} of {len(experts)} expert(s) inconsistent at {group.id!r} "
            f"(CR >= {float(np.min(cons.threshold)):.2f}): {shown}{more}; {action} "
            "(per-expert CR in weights.nodes[...].experts)",
            InconsistencyWarning,
            stacklevel=4,
        )
    if not keep.any():
        raise WeightsError(
            f"every expert is inconsistent at {group.id!r}",
            [
                Problem(
                    "no consistent judgements left",
                    path=group.id,
                    fix="revise the judgements (see renoscore.ahp.most_inconsistent) or set exclude_inconsistent=False",
                )
            ],
        )
    kept_stack = stack[keep]
    kept_experts = [e for e, k in zip(experts, keep, strict=True) if k]
    groups = [e.group or e.id for e in kept_experts]
    expert_w = np.array([e.weight for e in kept_experts])
    group_names = list(dict.fromkeys(groups))
    group_w = np.array([panel.group_weight(g) for g in group_names])
    membership = np.array([group_names.index(g) for g in groups])
    lam: float | None
    cr: float | None
    ok: bool | None
    if group_method == "aij":
        # Within each stakeholder group, then across groups: weighted geometric means.
        within = np.stack(
            [
                ahp.aggregate_judgements(
                    kept_stack[membership == k], weights=expert_w[membership == k]
                )
                for k in range(len(group_names))
            ]
        )
        combined = ahp.aggregate_judgements(within, weights=group_w)
        local = ahp.priorities(combined, method=prioritisation)
        gc = ahp.consistency(combined, ri=ri, method=prioritisation)
        lam, cr, ok = float(gc.lambda_max), float(gc.cr), bool(gc.acceptable)
    else:
        kept_prio = prio[keep]
        within = np.stack(
            [
                ahp.aggregate_priorities(
                    kept_prio[membership == k], weights=expert_w[membership == k]
                )
                for k in range(len(group_names))
            ]
        )
        local = ahp.aggregate_priorities(within, weights=group_w)
        lam = cr = None
        ok = None
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
        local=tuple(float(x) for x in local),
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
