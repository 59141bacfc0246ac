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
completed by :func:`renoscore.ahp.complete`. In a full matrix ``null`` (or ``.nan``) on both
sides of the diagonal marks a missing comparison.

The values must lie on Saaty's (1980) scale [1/9, 9] unless the panel declares
``scale: positive``, which accepts any positive ratio.

Examples
--------
>>> import renoscore as rs
>>> panel = rs.example_panel()
>>> [e.id for e in panel.experts]
['expert_a', 'expert_b', 'expert_c']
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from renoscore._yaml import KeyPath, Located, YamlLimits, dotted, read_yaml
from renoscore.errors import PanelError, Problem
from renoscore.system import (
    ID_PATTERN,
    IndicatorSystem,
    LocalizedText,
    LocatedProblem,
    located_error,
    problems_from_validation,
    register_tags,
    short_repr,
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

#: Saaty's scale runs from 1/9 to 9 (Saaty 1980); a small tolerance lets 0.111 stand for 1/9.
SAATY_MIN, SAATY_MAX = 1.0 / 9.0, 9.0
_SCALE_TOL = 1e-2

#: Union tags of the two ways to write an expert's judgements of one node.
PAIRS_TAG = "[pairs]"
MATRIX_TAG = "[matrix]"


#: A decimal number (Unicode digits such as full-width ones allowed, as ``float`` reads them).
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: A ratio of whole numbers, e.g. ``1/3``.
_RATIO = re.compile(r"([+-]?\d+)/(\d+)")


def _text_number(text: str) -> float | None:
    """The value of ``"3"``, ``"0.5"``, ``"1/3"`` (spaces ignored), or None.

    Parsed with ``float`` and ``int``, never ``Fraction``: ``Fraction("1e10000000")`` builds a
    ten-million-digit integer (seconds of work for an eleven-character cell). Python caps the
    digits ``int`` reads (4,300 by default), so a ratio of huge integers is refused, not slow.
    """
    compact = text.replace(" ", "").replace("\u3000", "")
    ratio = _RATIO.fullmatch(compact)
    try:
        if ratio is not None:
            num, den = int(ratio[1]), int(ratio[2])
            if den == 0:
                return None
            try:
                return num / den
            except OverflowError:
                return math.inf if num > 0 else -math.inf
        if _DECIMAL.fullmatch(compact):
            return float(compact)
    except ValueError:
        return None
    return None


def _to_number(value: Any) -> float:
    """A judgement as a float: a number, or text such as ``"3"``, ``"0.5"`` or ``"1/3"``.

    NaN and infinities pass through (a full matrix uses NaN for a missing entry); the panel
    rules reject them where they are not allowed. An integer too large for a float is infinite.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        number = _text_number(value)
        if number is not None:
            return number
    shown = f"the boolean {str(value).lower()}" if isinstance(value, bool) else short_repr(value)
    raise located_error(
        "judgement_number",
        [
            (
                (),
                f"a judgement must be a positive number or a fraction, not {shown}",
                "write a number such as 3 or a fraction such as 1/3",
            )
        ],
    )


def _pair(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 3:
        return (value[0], value[1], _to_number(value[2]))
    raise located_error(
        "judgement_pair",
        [
            (
                (),
                f"each judgement is a list [a, b, value]; got {short_repr(value)}",
                "write - [a, b, 3], meaning a is 3 times as important as b",
            )
        ],
    )


def _cell(value: Any) -> Any:
    return None if value is None else _to_number(value)


PairJudgement = Annotated[tuple[str, str, float], BeforeValidator(_pair)]
MatrixCell = Annotated[float | None, BeforeValidator(_cell)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StakeholderGroup(_Frozen):
    """A stakeholder group of the panel (e.g. residents, government)."""

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText | None = None
    weight: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)


class FullMatrix(_Frozen):
    """A complete judgement matrix keyed by labels (``NaN``/``null`` marks a missing entry)."""

    labels: tuple[str, ...] = Field(min_length=2)
    matrix: tuple[tuple[MatrixCell, ...], ...]

    @model_validator(mode="after")
    def _square(self) -> FullMatrix:
        n = len(self.labels)
        problems: list[LocatedProblem] = []
        if len(self.matrix) != n:
            problems.append(
                (
                    ("matrix",),
                    f"the matrix has {len(self.matrix)} rows for {n} labels",
                    "give one row per label, in the order of 'labels'",
                )
            )
        for i, row in enumerate(self.matrix):
            if len(row) != n:
                problems.append(
                    (
                        ("matrix", i),
                        f"row {i + 1} has {len(row)} entries for {n} labels",
                        "give one entry per label, in the order of 'labels'",
                    )
                )
        first: dict[str, int] = {}
        for i, label in enumerate(self.labels):
            if label in first:
                problems.append(
                    (
                        ("labels", i),
                        f"label {label!r} is listed twice",
                        "list every child once",
                    )
                )
            first.setdefault(label, i)
        if problems:
            raise located_error("matrix_shape", problems)
        return self


def _judgement_tag(value: Any) -> str:
    return MATRIX_TAG if isinstance(value, (Mapping, FullMatrix)) else PAIRS_TAG


Judgements = Annotated[
    Annotated[tuple[PairJudgement, ...], Tag(PAIRS_TAG)] | Annotated[FullMatrix, Tag(MATRIX_TAG)],
    Discriminator(_judgement_tag),
]

register_tags({PAIRS_TAG: None, MATRIX_TAG: FullMatrix})


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
            _panel_problems({"scale": self.scale, "groups": self.groups, "experts": self.experts})
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
        problems = [
            Problem(reason, fix=fix, path=dotted(path) or None)
            for path, reason, fix in _fit_problems(self, system)
        ]
        if problems:
            raise PanelError(f"panel {self.id!r} does not fit system {system.id!r}", problems)

    def group_weight(self, group: str | None) -> float:
        """The declared weight of a stakeholder group (1 when groups carry no weights)."""
        for g in self.groups:
            if g.id == group:
                return g.weight
        return 1.0


def _as_pairs(
    spec: tuple[tuple[str, str, float], ...] | FullMatrix,
) -> list[tuple[str, str, float]]:
    """The judgements of one node as ``(a, b, value)``; a full matrix gives its upper triangle."""
    if isinstance(spec, FullMatrix):
        pairs = []
        n = len(spec.labels)
        for i in range(n):
            for j in range(i + 1, n):
                value = spec.matrix[i][j]
                if value is not None and math.isfinite(value):
                    pairs.append((spec.labels[i], spec.labels[j], float(value)))
        return pairs
    return [(a, b, float(v)) for a, b, v in spec]


def _scale_text(lo: float, hi: float) -> str:
    return "[1/9, 9]" if hi < np.inf else "(0, inf)"


def _panel_problems(data: Mapping[str, Any]) -> Iterator[LocatedProblem]:
    """Every rule of a panel that spans several fields, as ``(path, reason, fix)``.

    ``data`` is the panel document, whose experts may be raw mappings or :class:`Expert`
    models. An expert whose own fields are invalid is skipped here (its field errors are
    reported by pydantic), so that :func:`load_panel` can report these rules for every other
    expert at the same time: pydantic runs the panel's after-validator only when all its fields
    are valid.
    """
    scale = data.get("scale", "saaty")
    lo, hi = (0.0, np.inf) if scale == "positive" else (SAATY_MIN, SAATY_MAX)
    first_group: dict[str, int] = {}
    groups = data.get("groups")
    for g, group in enumerate(groups if isinstance(groups, (list, tuple)) else []):
        gid = group.id if isinstance(group, StakeholderGroup) else _get(group, "id")
        if not isinstance(gid, str):
            continue
        if gid in first_group:
            yield (
                ("groups", g, "id"),
                f"stakeholder group id {gid!r} is used twice (also groups[{first_group[gid]}])",
                "give every group its own id",
            )
        first_group.setdefault(gid, g)
    group_ids = list(first_group)
    first_expert: dict[str, int] = {}
    experts = data.get("experts")
    for e, raw in enumerate(experts if isinstance(experts, (list, tuple)) else []):
        base: KeyPath = ("experts", e)
        expert = raw if isinstance(raw, Expert) else _valid_expert(raw)
        if expert is None:
            continue
        if expert.id in first_expert:
            yield (
                (*base, "id"),
                f"expert id {expert.id!r} is used twice (also experts[{first_expert[expert.id]}])",
                "give every expert their own id",
            )
        first_expert.setdefault(expert.id, e)
        if group_ids and expert.group is None:
            yield (
                base,
                f"expert {expert.id!r} has no group, but the panel declares groups",
                f"add group: one of {group_ids}",
            )
        elif group_ids and expert.group not in first_group:
            yield (
                (*base, "group"),
                f"expert {expert.id!r} is in group {expert.group!r}, which is not declared",
                suggest(str(expert.group), group_ids) or f"declared groups: {group_ids}",
            )
        for node, spec in expert.judgements.items():
            where: KeyPath = (*base, "judgements", node)
            if isinstance(spec, FullMatrix):
                yield from _matrix_problems(spec, where, lo, hi)
            else:
                yield from _pair_problems(spec, where, lo, hi)


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _valid_expert(raw: Any) -> Expert | None:
    try:
        return Expert.model_validate(raw)
    except ValidationError:
        return None


def _pair_problems(
    spec: tuple[tuple[str, str, float], ...], where: KeyPath, lo: float, hi: float
) -> Iterator[LocatedProblem]:
    seen: dict[frozenset[str], tuple[int, str, str, float]] = {}
    for k, (a, b, value) in enumerate(spec):
        at: KeyPath = (*where, k)
        if a == b:
            yield at, f"{a!r} is compared with itself", "remove the pair; the diagonal is 1"
            continue
        if not (value > 0 and math.isfinite(value)):
            yield (
                at,
                f"judgement {a} vs {b} is {value:g}; it must be a finite positive number",
                f"use a value in {_scale_text(lo, hi)}",
            )
            continue
        if not (lo * (1 - _SCALE_TOL) <= value <= hi * (1 + _SCALE_TOL)):
            yield (
                at,
                f"judgement {a} vs {b} = {value:g} is outside Saaty's scale [1/9, 9]",
                "use a value in [1/9, 9], or set 'scale: positive' on the panel",
            )
        key = frozenset((a, b))
        if key in seen:
            first, old_a, old_b, old = seen[key]
            same = old if old_a == a else 1.0 / old
            verb = "repeats" if np.isclose(same, value) else "contradicts"
            yield (
                at,
                f"pair {a} vs {b} = {value:g} {verb} item {first} ({old_a} vs {old_b} = {old:g})",
                "give each pair once (in either order)",
            )
        else:
            seen[key] = (k, a, b, value)


def _matrix_problems(
    spec: FullMatrix, where: KeyPath, lo: float, hi: float
) -> Iterator[LocatedProblem]:
    m = np.array([[np.nan if v is None else v for v in row] for row in spec.matrix], dtype=float)
    labels = spec.labels
    for i in range(len(labels)):
        if not np.isclose(m[i, i], 1.0):
            yield (
                (*where, "matrix", i, i),
                f"diagonal entry {labels[i]} vs {labels[i]} is {m[i, i]:g}",
                "the diagonal must be 1",
            )
        for j in range(i + 1, len(labels)):
            a, b = float(m[i, j]), float(m[j, i])  # Python floats: a * b may overflow to inf
            pair = f"{labels[i]} vs {labels[j]}"
            if np.isnan(a) and np.isnan(b):
                continue
            if np.isnan(a) != np.isnan(b):
                given, empty = ((i, j), (j, i)) if np.isnan(b) else ((j, i), (i, j))
                yield (
                    (*where, "matrix", *empty),
                    f"{pair} is given on one side only (row {given[0] + 1}, column {given[1] + 1})",
                    "give both a_ij and a_ji = 1/a_ij, or leave both empty (null)",
                )
                continue
            if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
                yield (
                    (*where, "matrix", i, j),
                    f"{pair} is not a finite positive pair ({a:g}, {b:g})",
                    f"judgements are positive numbers in {_scale_text(lo, hi)}",
                )
                continue
            if abs(a * b - 1.0) > _SCALE_TOL:
                yield (
                    (*where, "matrix", j, i),
                    f"{pair} is not reciprocal: a_ij = {a:g} but a_ji = {b:g}",
                    f"set a_ji = 1/a_ij = {1 / a:.4g}",
                )
            if not (lo * (1 - _SCALE_TOL) <= a <= hi * (1 + _SCALE_TOL)):
                yield (
                    (*where, "matrix", i, j),
                    f"{pair} = {a:g} is outside Saaty's scale [1/9, 9]",
                    "use a value in [1/9, 9], or set 'scale: positive' on the panel",
                )


def _fit_problems(panel: Panel, system: IndicatorSystem) -> list[LocatedProblem]:
    problems: list[LocatedProblem] = []
    if panel.system is not None and panel.system != system.id:
        problems.append(
            (
                ("system",),
                f"the panel is for system {panel.system!r}, not {system.id!r}",
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


def load_panel(
    source: str | Path | bytes | Mapping[str, Any] | Panel,
    system: IndicatorSystem | None = None,
    *,
    limits: YamlLimits | None = None,
) -> Panel:
    """Load and validate an expert panel.

    Parameters
    ----------
    source : str, Path, bytes, mapping or Panel
        A YAML path, YAML text (or its UTF-8 bytes), the name of a shipped panel
        (``"panel_example"``), a mapping in the YAML layout, or a panel.
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
        elif isinstance(source, str) and _is_shipped(source):
            doc = read_yaml(_shipped(source), PanelError, "panel", limits)
        else:
            doc = read_yaml(source, PanelError, "panel", limits)
        if not isinstance(doc.data, Mapping):
            if isinstance(source, str) and isinstance(doc.data, str) and "\n" not in source:
                problem = Problem(
                    f"{source!r} is not a file, nor the name of a shipped panel",
                    fix="check the path",
                )
            else:
                got = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
                problem = Problem(
                    f"the document is {got}, not a mapping",
                    file=doc.file,
                    line=1,
                    fix="start with 'id:' and 'experts:'",
                )
            raise PanelError("a panel must be a YAML mapping", [problem])
        try:
            panel = Panel.model_validate(doc.data)
        except ValidationError as exc:
            problems = problems_from_validation(exc, doc, Panel)
            if not any(e["type"] == "panel_semantics" for e in exc.errors()):
                # The panel rules did not run (a field failed first): run them on the raw
                # document, so that every problem is reported at once.
                problems += [
                    Problem(
                        reason,
                        fix=fix,
                        file=doc.file,
                        line=doc.line_of(path),
                        path=dotted(path) or None,
                    )
                    for path, reason, fix in _panel_problems(doc.data)
                ]
                problems.sort(key=lambda p: p.line or 0)
            raise PanelError(
                f"invalid panel{' in ' + doc.file if doc.file else ''}", problems
            ) from None
    if system is not None:
        misfits = _fit_problems(panel, system)
        if misfits:
            raise PanelError(
                f"panel {panel.id!r} does not fit system {system.id!r}",
                [
                    Problem(
                        reason,
                        fix=fix,
                        file=doc.file,
                        line=doc.line_of(path) if doc.data is not None else None,
                        path=dotted(path) or None,
                    )
                    for path, reason, fix in misfits
                ],
            )
    return panel


def _shipped(name: str) -> Path:
    return Path(str(resources.files("renoscore") / "indicators" / f"{name}.yaml"))


def _is_shipped(name: str) -> bool:
    return (
        name.startswith("panel")
        and "\n" not in name
        and "/" not in name
        and (_shipped(name).is_file())
    )


def example_panel() -> Panel:
    """The shipped example panel of three experts (domain brief §4) for the default system.

    Examples
    --------
    >>> example_panel().system
    'old_community_renovation'
    """
    return load_panel("panel_example")
