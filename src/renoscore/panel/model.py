"""An expert panel as frozen pydantic models: stakeholder groups, experts, their judgements.

Each expert belongs to a stakeholder group (government, residents, property company, social
organisation, academic, ...) and judges some nodes of an indicator system (see
:mod:`renoscore.panel.judgements` for the two ways to write them). The rules that span several
experts or groups, and the fit of a panel to a system, live here with the models they check.

Examples
--------
>>> from renoscore.panel import example_panel
>>> panel = example_panel()
>>> panel.expert_groups
('planning', 'academic', 'government', 'residents', 'property', 'resident_units')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from renoscore._validation import (
    ID_PATTERN,
    LocatedProblem,
    located_error,
    problems_at,
    repeated_ids,
    suggest,
)
from renoscore._yaml import KeyPath, Located, dotted
from renoscore.errors import PanelError, Problem
from renoscore.panel.judgements import (
    SAATY_MAX,
    SAATY_MIN,
    FullMatrix,
    Judgements,
    as_pairs,
    matrix_problems,
    pair_problems,
)
from renoscore.system import IndicatorSystem, LocalizedText
from renoscore.system.load import same_system

__all__ = ["Expert", "Panel", "StakeholderGroup", "fit_problems", "panel_problems"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StakeholderGroup(_Frozen):
    """A stakeholder group of the panel (e.g. residents, government)."""

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText | None = None
    weight: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)


class Expert(_Frozen):
    """One member of the panel and their judgements, keyed by node id."""

    id: str = Field(pattern=ID_PATTERN)
    name: str | None = None
    group: str | None = None
    weight: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)
    judgements: dict[str, Judgements] = Field(default_factory=dict)

    @field_validator("judgements", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        # "judgements:" with nothing under it is an expert who judged nothing yet
        return {} if value is None else value


class Panel(_Frozen):
    """An expert panel: stakeholder groups, experts and their judgements.

    Parameters
    ----------
    id : str
        The panel's id.
    system : str, optional
        The id of the indicator system the panel judges.
    scale : {"saaty", "positive"}
        ``saaty`` (default) accepts values in [1/9, 9]; ``positive`` any positive value.
    groups : tuple of StakeholderGroup
        Declared stakeholder groups with their weights. When groups are declared, every expert
        must name one of them.
    experts : tuple of Expert
        The experts.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText | None = None
    description: str | None = None
    system: str | None = None
    scale: Literal["saaty", "positive"] = "saaty"
    groups: tuple[StakeholderGroup, ...] = ()
    experts: tuple[Expert, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Panel:
        problems = list(
            panel_problems({"scale": self.scale, "groups": self.groups, "experts": self.experts})
        )
        if problems:
            raise located_error("panel_semantics", problems)
        return self

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        """Ids of every node judged by at least one expert, in first-seen order."""
        seen: dict[str, None] = {}
        for expert in self.experts:
            for node in expert.judgements:
                seen.setdefault(node, None)
        return tuple(seen)

    def matrices(self, node: str, labels: tuple[str, ...] | list[str]) -> NDArray[np.float64]:
        """The judgement matrices of every expert for ``node``, shape ``(experts, n, n)``.

        Pairs and full matrices give the same result: entry ``(i, j)`` is the judgement of
        ``labels[i]`` over ``labels[j]`` and ``(j, i)`` its reciprocal (Saaty 1980).

        Parameters
        ----------
        node : str
            The node id.
        labels : sequence of str
            The order of rows and columns (the node's children ids).

        Returns
        -------
        ndarray
            Stacked matrices; a comparison an expert did not make is NaN, the diagonal is 1.
            An expert who did not judge the node at all has an all-NaN off-diagonal.

        Raises
        ------
        PanelError
            If an expert compares a label that is not in ``labels``.

        Examples
        --------
        >>> from renoscore.panel import example_panel
        >>> panel = example_panel()
        >>> panel.matrices("renovation_performance",
        ...     ["facilities", "public_services", "participation", "social_capital"])[0, 0]
        array([1., 2., 3., 3.])
        """
        labels = tuple(labels)
        index = {label: i for i, label in enumerate(labels)}
        n = len(labels)
        out = np.full((len(self.experts), n, n), np.nan)
        out[:, np.arange(n), np.arange(n)] = 1.0
        problems: list[Problem] = []
        for e, expert in enumerate(self.experts):
            spec = expert.judgements.get(node)
            if spec is None:
                continue
            for a, b, value in as_pairs(spec):
                if a not in index or b not in index:
                    bad = a if a not in index else b
                    problems.append(
                        Problem(
                            f"expert {expert.id!r} compares {bad!r}, which is not a child of "
                            f"{node!r}",
                            path=dotted(("experts", e, "judgements", node)),
                            fix=suggest(bad, labels) or f"children are {list(labels)}",
                        )
                    )
                    continue
                out[e, index[a], index[b]] = value
                out[e, index[b], index[a]] = 1.0 / value
        if problems:
            raise PanelError(f"panel {self.id!r} does not fit node {node!r}", problems)
        return out

    @property
    def expert_groups(self) -> tuple[str | None, ...]:
        """The stakeholder group of each expert, in expert order."""
        return tuple(e.group for e in self.experts)

    def check_against(self, system: IndicatorSystem) -> None:
        """Raise :class:`PanelError` unless every judgement fits ``system``.

        Every judged node must be a group of the system, every label one of its children, and
        the panel's ``system`` (when given) the system's id.

        Raises
        ------
        PanelError
            Listing every misfit with its key path and a fix (a did-you-mean where one is close).
        """
        problems = problems_at(Located(data=None), fit_problems(self, system))
        if problems:
            raise PanelError(f"panel {self.id!r} does not fit system {system.id!r}", problems)

    def group_weight(self, group: str | None) -> float:
        """The declared weight of a stakeholder group (1 when groups carry no weights)."""
        for g in self.groups:
            if g.id == group:
                return g.weight
        return 1.0


def panel_problems(data: Mapping[str, Any]) -> Iterator[LocatedProblem]:
    """Every rule of a panel that spans several fields, as ``(path, reason, fix)``.

    ``data`` is the panel document, whose experts may be raw mappings or :class:`Expert`
    models. An expert whose own fields are invalid is skipped here (its field errors are
    reported by pydantic), so that :func:`~renoscore.panel.load_panel` can report these rules
    for every other expert at the same time: pydantic runs the panel's after-validator only
    when all its fields are valid.
    """
    scale = data.get("scale", "saaty")
    lo, hi = (0.0, np.inf) if scale == "positive" else (SAATY_MIN, SAATY_MAX)
    group_ids = [
        group.id if isinstance(group, StakeholderGroup) else _get(group, "id")
        for group in _seq(data.get("groups"))
    ]
    yield from repeated_ids(group_ids, "groups", "stakeholder group", "give every group its own id")
    declared = list(dict.fromkeys(gid for gid in group_ids if isinstance(gid, str)))
    first_expert: dict[str, int] = {}
    staffed: set[str | None] = set()
    skipped = False
    for e, raw in enumerate(_seq(data.get("experts"))):
        expert = raw if isinstance(raw, Expert) else _valid_expert(raw)
        if expert is None:
            skipped = True
            continue
        staffed.add(expert.group)
        # An expert outside the declared groups is reported below; the group it was meant
        # for is then not reported empty as well.
        skipped |= bool(declared) and expert.group not in declared
        if expert.id in first_expert:
            yield (
                ("experts", e, "id"),
                f"expert id {expert.id!r} is used twice (also experts[{first_expert[expert.id]}])",
                "give every expert their own id",
            )
        first_expert.setdefault(expert.id, e)
        yield from _expert_problems(expert, ("experts", e), declared, lo, hi)
    if not skipped:
        # A group without experts would leave the group aggregation with its weight silently
        # dropped (the other groups renormalised): the panel would not be the one declared.
        for k, gid in enumerate(group_ids):
            if isinstance(gid, str) and gid not in staffed and group_ids.index(gid) == k:
                yield (
                    ("groups", k),
                    f"stakeholder group {gid!r} has no experts; its weight would be dropped "
                    "and the other groups' renormalised",
                    f"add the experts of {gid!r} (group: {gid}), or remove the group",
                )


def _expert_problems(
    expert: Expert, base: KeyPath, group_ids: list[str], lo: float, hi: float
) -> Iterator[LocatedProblem]:
    """The rules of one expert: a declared group, and judgements that fit the scale."""
    if group_ids and expert.group is None:
        yield (
            base,
            f"expert {expert.id!r} has no group, but the panel declares groups",
            f"add group: one of {group_ids}",
        )
    elif group_ids and expert.group not in group_ids:
        yield (
            (*base, "group"),
            f"expert {expert.id!r} is in group {expert.group!r}, which is not declared",
            suggest(str(expert.group), group_ids) or f"declared groups: {group_ids}",
        )
    for node, spec in expert.judgements.items():
        where: KeyPath = (*base, "judgements", node)
        if isinstance(spec, FullMatrix):
            yield from matrix_problems(spec, where, lo, hi)
        else:
            yield from pair_problems(spec, where, lo, hi)


def _seq(value: Any) -> list[Any] | tuple[Any, ...]:
    """A list (or a model's tuple) as it is; anything else as empty."""
    return value if isinstance(value, (list, tuple)) else []


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _valid_expert(raw: Any) -> Expert | None:
    try:
        return Expert.model_validate(raw)
    except ValidationError:
        return None


def fit_problems(panel: Panel, system: IndicatorSystem) -> list[LocatedProblem]:
    """Every judged node and label of ``panel`` that does not fit ``system``."""
    problems: list[LocatedProblem] = []
    if panel.system is not None and not same_system(panel.system, system):
        problems.append(
            (
                ("system",),
                f"the panel is for system {panel.system!r}, not {system.id!r} "
                f"version {system.version}",
                "load the panel with the system it was written for, or correct 'system:'",
            )
        )
    groups = {g.id: g for g in system.groups}
    indicators = set(system.indicator_ids)
    for e, expert in enumerate(panel.experts):
        for node, spec in expert.judgements.items():
            where: KeyPath = ("experts", e, "judgements", node)
            if node not in groups:
                if node in indicators:
                    parent = system.parent(node)
                    problems.append(
                        (
                            where,
                            f"{node!r} is an indicator; only groups have children to compare",
                            f"compare {node!r} with its siblings under {parent!r} instead",
                        )
                    )
                else:
                    problems.append(
                        (
                            where,
                            f"node {node!r} does not exist in system {system.id!r}",
                            suggest(node, list(groups))
                            or f"judged nodes are groups: {list(groups)}",
                        )
                    )
                continue
            children = [c.id for c in groups[node].children]
            located: list[tuple[KeyPath, str]] = (
                [((*where, "labels", i), label) for i, label in enumerate(spec.labels)]
                if isinstance(spec, FullMatrix)
                else [((*where, k), label) for k, (a, b, _) in enumerate(spec) for label in (a, b)]
            )
            for path, label in located:
                if label not in children:
                    problems.append(
                        (
                            path,
                            f"{label!r} is not a child of {node!r}",
                            suggest(label, children) or f"children of {node!r} are {children}",
                        )
                    )
    return problems
