"""Expert panels: who judged what, in which stakeholder group, with which weight.

A panel is declared in YAML. Each expert belongs to a stakeholder group (government, residents,
property company, social organisation, academic, ...) and gives pairwise judgements for some
nodes of an indicator system, either as labelled pairs ``[a, b, value]`` meaning "a is
``value`` times as important as b", or as a full matrix keyed by labels::

    id: example_panel
    system: old_community_renovation
    groups:
      - {id: planning, name: {en: Planners, zh: 规划师}, weight: 1}
    experts:
      - id: expert_a
        group: planning
        judgements:
          renovation_performance:
            - [facilities, public_services, 2]
            - [facilities, participation, "1/4"]
          facilities:
            labels: [f_a, f_b]
            matrix: [[1, 3], [1/3, 1]]

Values may be numbers or fractions written as text (``"1/3"``). A pair may be given in either
order but only once. Comparisons that are left out are *missing* (NaN in the matrix), to be
completed by :func:`renoscore.ahp.complete`.

Examples
--------
>>> import renoscore as rs
>>> panel = rs.example_panel()
>>> [e.id for e in panel.experts]
['expert_a', 'expert_b', 'expert_c']
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from renoscore._yaml import KeyPath, Located, YamlLimits, dotted, read_yaml
from renoscore.errors import PanelError, Problem
from renoscore.system import (
    ID_PATTERN,
    Group,
    IndicatorSystem,
    LocalizedText,
    problems_from_validation,
    suggest,
)

__all__ = [
    "Expert",
    "FullMatrix",
    "Panel",
    "StakeholderGroup",
    "example_panel",
    "load_panel",
]

#: Saaty's scale runs from 1/9 to 9; a small tolerance lets 0.111 stand for 1/9.
SAATY_MIN, SAATY_MAX = 1.0 / 9.0, 9.0
_SCALE_TOL = 1e-2


def _to_number(value: Any) -> float:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "judgement_number", "a judgement must be a number, not {v}", {"v": value}
        )
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            pass
    raise PydanticCustomError(
        "judgement_number",
        "a judgement must be a positive number or a fraction like '1/3', not {v!r}",
        {"v": value},
    )


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StakeholderGroup(_Frozen):
    """A stakeholder group of the panel (e.g. residents, government)."""

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText | None = None
    weight: float = Field(default=1.0, gt=0.0)


class FullMatrix(_Frozen):
    """A complete judgement matrix keyed by labels (``NaN``/``null`` marks a missing entry)."""

    labels: tuple[str, ...] = Field(min_length=2)
    matrix: tuple[tuple[float | None, ...], ...]

    @field_validator("matrix", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [
                [None if v is None else _to_number(v) for v in row]
                if isinstance(row, (list, tuple))
                else row
                for row in value
            ]
        return value

    @model_validator(mode="after")
    def _square(self) -> FullMatrix:
        n = len(self.labels)
        if len(self.matrix) != n or any(len(row) != n for row in self.matrix):
            raise PydanticCustomError(
                "matrix_shape",
                "the matrix must be {n} x {n}, one row and column per label",
                {"n": n},
            )
        if len(set(self.labels)) != n:
            raise PydanticCustomError("matrix_labels", "labels must be unique", {})
        return self


class Pair(tuple[str, str, float]):
    """A labelled judgement ``(a, b, value)``: a is ``value`` times as important as b."""


Judgements = tuple[tuple[str, str, float], ...] | FullMatrix


class Expert(_Frozen):
    """One member of the panel and their judgements, keyed by node id."""

    id: str = Field(pattern=ID_PATTERN)
    name: str | None = None
    group: str | None = None
    weight: float = Field(default=1.0, gt=0.0)
    judgements: dict[str, Judgements] = Field(default_factory=dict)

    @field_validator("judgements", mode="before")
    @classmethod
    def _pairs(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[str, Any] = {}
        for node, spec in value.items():
            if isinstance(spec, (list, tuple)):
                pairs = []
                for item in spec:
                    if not isinstance(item, (list, tuple)) or len(item) != 3:
                        raise PydanticCustomError(
                            "judgement_pair",
                            "node {node}: each judgement is [a, b, value], got {item!r}",
                            {"node": node, "item": item},
                        )
                    pairs.append((item[0], item[1], _to_number(item[2])))
                out[node] = pairs
            else:
                out[node] = spec
        return out


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
        Declared stakeholder groups with their weights.
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
        problems = list(_panel_problems(self))
        if problems:
            raise PydanticCustomError(
                "system_semantics",
                "{count} problem(s) in the panel",
                {"count": len(problems), "problems": problems},
            )
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

        Examples
        --------
        >>> panel = example_panel()
        >>> panel.matrices("renovation_performance",
        ...     ["facilities", "public_services", "participation", "social_capital"])[0, 0]
        array([1., 2., 4., 5.])
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
            for a, b, value in _as_pairs(spec):
                if a not in index or b not in index:
                    bad = a if a not in index else b
                    problems.append(
                        Problem(
                            f"expert {expert.id!r} compares {bad!r}, which is not a child of "
                            f"{node!r}",
                            path=f"experts.{expert.id}.judgements.{node}",
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

        Every judged node must be a group of the system, and every label one of its children.
        """
        problems: list[Problem] = []
        if self.system is not None and self.system != system.id:
            problems.append(
                Problem(
                    f"the panel is for system {self.system!r}, not {system.id!r}",
                    path="system",
                    fix="load the panel with the system it was written for",
                )
            )
        groups = {g.id: g for g in system.groups}
        ids = {n.id for n in system.nodes}
        for expert in self.experts:
            for node, spec in expert.judgements.items():
                where = f"experts.{expert.id}.judgements.{node}"
                if node not in groups:
                    reason = (
                        f"{node!r} is an indicator; only groups have children to compare"
                        if node in ids
                        else f"node {node!r} does not exist in system {system.id!r}"
                    )
                    problems.append(Problem(reason, path=where, fix=suggest(node, list(groups))))
                    continue
                children = [c.id for c in groups[node].children]
                for a, b, _ in _as_pairs(spec):
                    for label in (a, b):
                        if label not in children:
                            problems.append(
                                Problem(
                                    f"{label!r} is not a child of {node!r}",
                                    path=where,
                                    fix=suggest(label, children) or f"children are {children}",
                                )
                            )
        if problems:
            raise PanelError(f"panel {self.id!r} does not fit system {system.id!r}", problems)

    def group_weight(self, group: str | None) -> float:
        """The declared weight of a stakeholder group (1 when groups carry no weights)."""
        for g in self.groups:
            if g.id == group:
                return g.weight
        return 1.0


def _as_pairs(spec: Judgements) -> list[tuple[str, str, float]]:
    if isinstance(spec, FullMatrix):
        pairs = []
        n = len(spec.labels)
        for i in range(n):
            for j in range(i + 1, n):
                value = spec.matrix[i][j]
                if value is not None and np.isfinite(value):
                    pairs.append((spec.labels[i], spec.labels[j], float(value)))
        return pairs
    return [(a, b, float(v)) for a, b, v in spec]


def _panel_problems(panel: Panel) -> Any:
    group_ids = [g.id for g in panel.groups]
    if len(set(group_ids)) != len(group_ids):
        yield ("groups",), "stakeholder group ids are not unique", "give every group its own id"
    expert_ids: dict[str, int] = {}
    lo, hi = (SAATY_MIN, SAATY_MAX) if panel.scale == "saaty" else (0.0, np.inf)
    for e, expert in enumerate(panel.experts):
        base: KeyPath = ("experts", e)
        if expert.id in expert_ids:
            yield (*base, "id"), f"expert id {expert.id!r} is used twice", "rename one of them"
        expert_ids[expert.id] = e
        if panel.groups and expert.group not in group_ids:
            yield (
                (*base, "group"),
                f"expert {expert.id!r} is in group {expert.group!r}, which is not declared",
                suggest(str(expert.group), group_ids) or f"declared groups: {group_ids}",
            )
        for node, spec in expert.judgements.items():
            where: KeyPath = (*base, "judgements", node)
            if isinstance(spec, FullMatrix):
                yield from _matrix_problems(spec, where, lo, hi)
                continue
            seen: dict[frozenset[str], tuple[int, float, str]] = {}
            for k, (a, b, value) in enumerate(spec):
                at: KeyPath = (*where, k)
                if a == b:
                    yield at, f"{a!r} is compared with itself", "remove the pair; the diagonal is 1"
                    continue
                if not (value > 0 and np.isfinite(value)):
                    yield (
                        at,
                        f"judgement {a} vs {b} is {value}; it must be positive",
                        ("use the Saaty scale 1/9 .. 9"),
                    )
                    continue
                if not (lo * (1 - _SCALE_TOL) <= value <= hi * (1 + _SCALE_TOL)):
                    yield (
                        at,
                        f"judgement {a} vs {b} = {value} is outside [1/9, 9]",
                        ("use the Saaty scale, or set 'scale: positive' on the panel"),
                    )
                key = frozenset((a, b))
                if key in seen:
                    first, old, old_a = seen[key]
                    same = old if old_a == a else 1.0 / old
                    kind = "repeated" if np.isclose(same, value) else "contradicts"
                    yield (
                        at,
                        (
                            f"pair {a} vs {b} {kind} the judgement at item {first} "
                            f"({old_a} vs {'b' if old_a == a else a} = {old})"
                        ),
                        "give each pair once",
                    )
                else:
                    seen[key] = (k, value, a)


def _matrix_problems(spec: FullMatrix, where: KeyPath, lo: float, hi: float) -> Any:
    m = np.array([[np.nan if v is None else v for v in row] for row in spec.matrix], dtype=float)
    n = len(spec.labels)
    for i in range(n):
        if not np.isclose(m[i, i], 1.0):
            yield (
                (*where, "matrix", i, i),
                f"diagonal entry {spec.labels[i]} is {m[i, i]}",
                ("the diagonal must be 1"),
            )
        for j in range(i + 1, n):
            a, b = m[i, j], m[j, i]
            if np.isnan(a) and np.isnan(b):
                continue
            if np.isnan(a) != np.isnan(b):
                yield (
                    (*where, "matrix", i, j),
                    (f"{spec.labels[i]} vs {spec.labels[j]} is given on one side only"),
                    "give both a_ij and a_ji = 1/a_ij, or leave both empty",
                )
                continue
            if a <= 0 or b <= 0:
                yield (
                    (*where, "matrix", i, j),
                    (f"{spec.labels[i]} vs {spec.labels[j]} is not positive ({a}, {b})"),
                    "judgements are positive numbers",
                )
                continue
            if abs(a * b - 1.0) > _SCALE_TOL:
                yield (
                    (*where, "matrix", i, j),
                    (f"{spec.labels[i]} vs {spec.labels[j]} is not reciprocal: {a} and {b}"),
                    f"set a_ji = 1/a_ij = {1 / a:.4g}",
                )
            if not (lo * (1 - _SCALE_TOL) <= a <= hi * (1 + _SCALE_TOL)):
                yield (
                    (*where, "matrix", i, j),
                    (f"{spec.labels[i]} vs {spec.labels[j]} = {a} is outside [1/9, 9]"),
                    "use the Saaty scale, or set 'scale: positive' on the panel",
                )


def load_panel(
    source: str | Path | Mapping[str, Any] | Panel,
    system: IndicatorSystem | None = None,
    *,
    limits: YamlLimits | None = None,
) -> Panel:
    """Load and validate an expert panel.

    Parameters
    ----------
    source : str, Path, mapping or Panel
        A YAML path, YAML text, the name of a shipped panel (``"panel_example"``), or a
        mapping in the YAML layout.
    system : IndicatorSystem, optional
        When given, every judged node and label is checked against it.
    limits : YamlLimits, optional
        Bounds on the YAML.

    Returns
    -------
    Panel

    Raises
    ------
    PanelError
        Listing every problem with file, line and fix.

    Examples
    --------
    >>> panel = load_panel("panel_example")
    >>> panel.groups[0].id
    'planning'
    """
    if isinstance(source, Panel):
        panel = source
        doc = Located(data=None)
    else:
        if isinstance(source, Mapping):
            doc = Located(data=dict(source))
        elif isinstance(source, str) and "\n" not in source and _shipped(source).is_file():
            doc = read_yaml(_shipped(source), PanelError, "panel", limits)
        else:
            doc = read_yaml(source, PanelError, "panel", limits)
        if not isinstance(doc.data, Mapping):
            raise PanelError(
                "a panel must be a YAML mapping",
                [
                    Problem(
                        "not a mapping",
                        file=doc.file,
                        line=1,
                        fix="start with 'id:' and 'experts:'",
                    )
                ],
            )
        try:
            panel = Panel.model_validate(doc.data)
        except ValidationError as exc:
            raise PanelError(
                f"invalid panel{' in ' + doc.file if doc.file else ''}",
                problems_from_validation(exc, doc, Panel),
            ) from None
    if system is not None:
        try:
            panel.check_against(system)
        except PanelError as exc:
            raise PanelError(
                exc.summary,
                [
                    Problem(
                        p.reason,
                        fix=p.fix,
                        file=doc.file,
                        line=_line_for(doc, p.path),
                        path=p.path,
                    )
                    for p in exc.problems
                ],
            ) from None
    return panel


def _line_for(doc: Located, path: str | None) -> int | None:
    if doc.data is None or not path or not path.startswith("experts."):
        return None
    parts = path.split(".")
    experts = doc.data.get("experts") or []
    for e, item in enumerate(experts):
        if isinstance(item, Mapping) and item.get("id") == parts[1]:
            key: KeyPath = ("experts", e, *parts[2:])
            return doc.line_of(key)
    return None


def _shipped(name: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("renoscore") / "indicators" / f"{name}.yaml"))


def example_panel() -> Panel:
    """The shipped example panel of three experts (domain brief §4) for the default system."""
    return load_panel("panel_example")


_ = (Group, dotted, Pair)
