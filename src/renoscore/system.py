"""The indicator system: a validated tree from the goal through dimensions to indicators.

An indicator system is declared in YAML and validated by the pydantic models below. The tree
may have any depth: goal -> dimensions -> optional sub-dimensions -> indicators. The order of
the indicators in a depth-first walk is *the system's indicator order*: the column order of
every array renoscore builds from this system.

Loading collects every problem in the file into one :class:`~renoscore.errors.IndicatorSystemError`
whose problems name the file, the line and the fix.

Examples
--------
>>> import renoscore as rs
>>> system = rs.default_system()
>>> system.indicators[0].id
'f_basic_utilities_ok'
>>> [d.id for d in system.dimensions]
['facilities', 'public_services', 'participation', 'social_capital']
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from renoscore._yaml import KeyPath, Located, YamlLimits, dotted, read_yaml
from renoscore.errors import IndicatorSystemError, Problem

__all__ = [
    "Category",
    "Direction",
    "Goalposts",
    "GradeBand",
    "Group",
    "Indicator",
    "IndicatorKind",
    "IndicatorSystem",
    "LocalizedText",
    "Phase",
    "Supplier",
    "ValueRange",
    "Weighting",
    "available_systems",
    "default_system",
    "load_system",
    "system_json_schema",
]

#: Ids are lower snake_case ASCII: a letter, then letters, digits and single underscores.
#: They appear in file names, column headers and URLs; names carry the prose (any script).
ID_PATTERN = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
_ID_RE = re.compile(ID_PATTERN)

#: Default grade bands (Chinese assessment convention: 60 is the pass line; domain brief §6).
DEFAULT_GRADES: tuple[tuple[str, float, str, str], ...] = (
    ("excellent", 85.0, "excellent", "优秀"),
    ("good", 70.0, "good", "良好"),
    ("fair", 60.0, "fair", "一般"),
    ("poor", 0.0, "poor", "较差"),
)


#: Union tags of the node tree; they appear in pydantic error locations and are dropped when an
#: error is mapped onto the YAML document (the brackets keep them apart from any YAML key).
GROUP_TAG = "[group]"
INDICATOR_TAG = "[indicator]"

#: One located problem inside a model: (key path relative to the model, reason, fix).
LocatedProblem = tuple[KeyPath, str, str | None]


def located_error(kind: str, problems: list[LocatedProblem]) -> PydanticCustomError:
    """A pydantic error carrying several problems, each at its own key path.

    :func:`problems_from_validation` expands it into one :class:`Problem` per entry, each with
    the line of its own key (e.g. the ``goalposts`` line rather than the indicator's first line).
    """
    detail = "; ".join(reason for _, reason, _ in problems)
    return PydanticCustomError(
        kind, "{detail}", {"detail": detail, "count": len(problems), "problems": problems}
    )


def _num(value: float | None) -> str:
    """A number as a reader would write it: 0 rather than 0.0, None as 'open'."""
    return "open" if value is None else f"{value:g}"


#: Largest magnitude of any number in a system (and of any value in community data): the
#: difference of two such numbers, and every normalisation of one, stays finite in float64.
MAX_MAGNITUDE = 1e300


def _magnitude_problems(values: Mapping[str, float | None]) -> list[LocatedProblem]:
    return [
        (
            (name,),
            f"{name} {_num(value)} is beyond the largest accepted magnitude 1e300",
            "express the quantity in a larger unit (e.g. thousands); numbers this large are "
            "not measurements, and differences of them would overflow",
        )
        for name, value in values.items()
        if value is not None and abs(value) > MAX_MAGNITUDE
    ]


class _Frozen(BaseModel):
    # Non-finite numbers (.nan, .inf in YAML) are never meaningful in a system declaration.
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Direction(StrEnum):
    """Whether a higher value is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class Category(StrEnum):
    """Renovation content category of 国办发〔2020〕23号 (basic / improvement / upgrade)."""

    BASIC = "basic"
    IMPROVEMENT = "improvement"
    UPGRADE = "upgrade"
    NONE = "none"


class Supplier(StrEnum):
    """Who supplies the service: the paper's multi-centre supply of public services."""

    GOVERNMENT = "government"
    MARKET = "market"
    SOCIETY = "society"
    RESIDENTS = "residents"


class IndicatorKind(StrEnum):
    """The measurement type of an indicator; some kinds carry extra data checks."""

    RATIO = "ratio"
    PERCENT = "percent"
    COUNT = "count"
    DISTANCE_M = "distance_m"
    AREA_M2 = "area_m2"
    M2_PER_CAPITA = "m2_per_capita"
    PER_100HH = "per_100hh"
    PER_1000RES = "per_1000res"
    LIKERT5 = "likert5"
    LIKERT7 = "likert7"
    BINARY = "binary"
    ORDINAL = "ordinal"
    CONTINUOUS = "continuous"


#: Natural bounds of the bounded kinds; a declared range must lie inside them.
KIND_BOUNDS: dict[IndicatorKind, tuple[float, float]] = {
    IndicatorKind.RATIO: (0.0, 1.0),
    IndicatorKind.PERCENT: (0.0, 100.0),
    IndicatorKind.LIKERT5: (1.0, 5.0),
    IndicatorKind.LIKERT7: (1.0, 7.0),
    IndicatorKind.BINARY: (0.0, 1.0),
}
#: Kinds that cannot be negative.
NON_NEGATIVE_KINDS = frozenset(
    {
        IndicatorKind.COUNT,
        IndicatorKind.DISTANCE_M,
        IndicatorKind.AREA_M2,
        IndicatorKind.M2_PER_CAPITA,
        IndicatorKind.PER_100HH,
        IndicatorKind.PER_1000RES,
    }
)
#: Kinds whose values must be whole numbers.
INTEGER_KINDS = frozenset({IndicatorKind.BINARY, IndicatorKind.ORDINAL})


class LocalizedText(_Frozen):
    """A name in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class ValueRange(_Frozen):
    """Hard validity bounds of an indicator: data outside them is an error.

    ``None`` means unbounded. In YAML both ``{min: 0, max: 1}`` and ``[0, 1]`` are accepted.
    """

    min: float | None = None
    max: float | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The YAML shorthand [min, max] is valid too; editors must not flag it.
        mapping = handler.resolve_ref_schema(handler(core_schema))
        bound = {"anyOf": [{"type": "number"}, {"type": "null"}]}
        pair = {"type": "array", "prefixItems": [bound, bound], "minItems": 2, "maxItems": 2}
        return {"anyOf": [mapping, pair], "title": "ValueRange"}

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise located_error(
                    "range_pair",
                    [
                        (
                            (),
                            f"a range is a pair [min, max]; got {len(value)} values",
                            "write range: [min, max], or {min: ..., max: ...} (null for open)",
                        )
                    ],
                )
            return {"min": value[0], "max": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ValueRange:
        problems = _magnitude_problems({"min": self.min, "max": self.max})
        if self.min is not None and self.max is not None and not self.min < self.max:
            problems.append(
                (
                    (),
                    f"range min {_num(self.min)} must be below max {_num(self.max)}",
                    "write the range as [min, max] with min < max",
                )
            )
        if problems:
            raise located_error("range_order", problems)
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the range (bounds included)."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Goalposts(_Frozen):
    """Where an indicator scores 0 (``floor``) and 100 (``target``), linear in between.

    For a benefit indicator ``floor < target``; for a cost indicator ``floor > target``
    (a distance at or above the floor scores 0, at or below the target 100).
    """

    floor: float
    target: float

    @model_validator(mode="after")
    def _finite_span(self) -> Goalposts:
        problems = _magnitude_problems({"floor": self.floor, "target": self.target})
        if problems:
            raise located_error("goalposts_magnitude", problems)
        return self


class Weighting(_Frozen):
    """How a node weights its children.

    Parameters
    ----------
    method : str
        ``equal``; ``fixed`` (``weights`` keyed by child id); ``ahp`` (from a panel);
        ``entropy``, ``critic``, ``standard_deviation``, ``coefficient_of_variation`` (from
        data); ``combined`` (``subjective`` and ``objective`` combined by ``combination``).
    weights : mapping, optional
        For ``fixed`` (and as the subjective part of ``combined`` with ``subjective: fixed``):
        positive weights keyed by child id; they are normalised to sum 1.
    subjective, objective : str, optional
        For ``combined``: the two methods to combine.
    combination : str
        ``linear`` (default), ``multiplicative``, ``min_information`` or ``game_theory``.
    alpha : float
        Weight of the subjective part in a linear combination (0.5 by default).
    scope : str
        For data-driven methods: ``children`` (weights of this node's children from the data
        of its indicators) or ``indicators`` (weights of all indicators below the node, rolled
        up to its children).
    """

    method: Literal[
        "equal",
        "fixed",
        "ahp",
        "entropy",
        "critic",
        "standard_deviation",
        "coefficient_of_variation",
        "combined",
    ] = "equal"
    weights: dict[str, float] | None = None
    subjective: Literal["ahp", "fixed", "equal"] | None = None
    objective: (
        Literal["entropy", "critic", "standard_deviation", "coefficient_of_variation"] | None
    ) = None
    combination: Literal["linear", "multiplicative", "min_information", "game_theory"] = "linear"
    alpha: float = Field(default=0.5, ge=0.0, le=1.0)
    scope: Literal["children", "indicators"] = "children"

    @model_validator(mode="after")
    def _consistent(self) -> Weighting:
        problems: list[LocatedProblem] = []
        combined = self.method == "combined"
        uses_fixed = self.method == "fixed" or (combined and self.subjective == "fixed")
        if uses_fixed and not self.weights:
            problems.append(
                (
                    ("subjective",) if combined else ("method",),
                    "fixed weights need 'weights' keyed by child id",
                    "add weights: {child_id: weight, ...} with one positive weight per child",
                )
            )
        if self.weights is not None and not uses_fixed:
            problems.append(
                (
                    ("weights",),
                    f"'weights' is not used with method {self.method!r}; only with method "
                    "'fixed' (or 'combined' with subjective: fixed)",
                    "remove 'weights', or set method: fixed",
                )
            )
        for key, value in (self.weights or {}).items():
            if value > MAX_MAGNITUDE:
                problems.append(
                    (
                        ("weights", key),
                        f"fixed weight {_num(value)} for {key!r} is beyond 1e300",
                        "weights are relative: divide them all by a common factor",
                    )
                )
            if not value > 0:
                problems.append(
                    (
                        ("weights", key),
                        f"fixed weight {_num(value)} for {key!r} is not positive",
                        "give every child a positive weight (they are normalised to sum 1)",
                    )
                )
        if combined:
            for part, options in (
                ("subjective", "ahp, fixed or equal"),
                ("objective", "entropy, critic, standard_deviation or coefficient_of_variation"),
            ):
                if getattr(self, part) is None:
                    problems.append(
                        (
                            ("method",),
                            f"method 'combined' needs {part!r}",
                            f"add {part}: one of {options}",
                        )
                    )
        else:
            for part in ("subjective", "objective"):
                if getattr(self, part) is not None:
                    problems.append(
                        (
                            (part,),
                            f"{part!r} is only used with method 'combined' (method is "
                            f"{self.method!r})",
                            f"remove {part!r}, or set method: combined",
                        )
                    )
        if problems:
            raise located_error("weighting", problems)
        return self

    @property
    def needs_panel(self) -> bool:
        """Whether this weighting uses expert judgements."""
        return self.method == "ahp" or (self.method == "combined" and self.subjective == "ahp")

    @property
    def needs_data(self) -> bool:
        """Whether this weighting is derived from community data."""
        return self.method in {
            "entropy",
            "critic",
            "standard_deviation",
            "coefficient_of_variation",
            "combined",
        }


class Phase(_Frozen):
    """An evaluation phase (阶段性评估), e.g. ``t0`` before renovation."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: LocalizedText
    description: str | None = None


class GradeBand(_Frozen):
    """A grade: every score at or above ``min`` (and below the next band up) gets it."""

    id: str = Field(pattern=ID_PATTERN)
    min: float = Field(ge=0.0, le=100.0)
    name: LocalizedText


class Indicator(_Frozen):
    """A measurable indicator: a leaf of the tree."""

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    description: str | None = None
    unit: str = Field(min_length=1)
    kind: IndicatorKind
    direction: Direction
    range: ValueRange
    goalposts: Goalposts
    category: Category = Category.NONE
    supplier: Supplier
    source: str = Field(min_length=1)
    phases: tuple[str, ...] | None = None
    levels: dict[int, LocalizedText] | None = None

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        problems: list[LocatedProblem] = []
        gp = self.goalposts
        rng = f"[{_num(self.range.min)}, {_num(self.range.max)}]"
        if gp.floor == gp.target:
            problems.append(
                (
                    ("goalposts",),
                    f"goalposts floor and target are both {_num(gp.floor)}",
                    "set floor to the value that scores 0 and target to the value that scores "
                    "100; they must differ",
                )
            )

        elif self.direction is Direction.BENEFIT and gp.floor > gp.target:
            problems.append(
                (
                    ("goalposts",),
                    f"a benefit indicator needs floor < target (got floor {_num(gp.floor)}, "
                    f"target {_num(gp.target)})",
                    "swap floor and target, or set direction: cost",
                )
            )
        elif self.direction is Direction.COST and gp.floor < gp.target:
            problems.append(
                (
                    ("goalposts",),
                    f"a cost indicator needs floor > target (got floor {_num(gp.floor)}, "
                    f"target {_num(gp.target)})",
                    "swap floor and target, or set direction: benefit",
                )
            )
        for label, value in (("floor", gp.floor), ("target", gp.target)):
            if not self.range.contains(value):
                problems.append(
                    (
                        ("goalposts", label),
                        f"goalposts {label} {_num(value)} lies outside the range {rng}",
                        f"move the {label} inside the range, or widen the range",
                    )
                )
        bounds = KIND_BOUNDS.get(self.kind)
        if bounds is not None:
            lo, hi = bounds
            if (self.range.min is None or self.range.min < lo) or (
                self.range.max is None or self.range.max > hi
            ):
                problems.append(
                    (
                        ("range",),
                        f"kind {self.kind.value} needs a range inside [{_num(lo)}, {_num(hi)}]; "
                        f"got {rng}",
                        f"set range: [{_num(lo)}, {_num(hi)}] (or narrower), or choose another "
                        "kind (e.g. continuous)",
                    )
                )
        if self.kind in NON_NEGATIVE_KINDS and (self.range.min is None or self.range.min < 0):
            problems.append(
                (
                    ("range",),
                    f"kind {self.kind.value} cannot be negative, but the range is {rng}",
                    "set the range min to 0 (or more)",
                )
            )
        if self.levels is not None and self.kind is not IndicatorKind.ORDINAL:
            problems.append(
                (
                    ("levels",),
                    f"'levels' is only used with kind ordinal (kind is {self.kind.value})",
                    "remove 'levels', or set kind: ordinal",
                )
            )
        for level in self.levels or {}:
            if not self.range.contains(level):
                problems.append(
                    (
                        ("levels", level),
                        f"level {level} lies outside the range {rng}",
                        "widen the range to cover every level, or remove the level",
                    )
                )
        if problems:
            raise located_error("indicator", problems)
        return self

    @property
    def is_indicator(self) -> bool:
        """Always True: indicators are the leaves of the tree."""
        return True


#: Keys only an indicator has; they tell an indicator from a group whose 'children' is misspelt.
_INDICATOR_KEYS = frozenset(
    {"unit", "kind", "direction", "range", "goalposts", "category", "supplier", "source", "phases"}
)


def _node_tag(value: Any) -> str:
    if isinstance(value, Group):
        return GROUP_TAG
    if isinstance(value, Mapping):
        keys = {str(k) for k in value}
        if "children" in keys or "weighting" in keys:
            return GROUP_TAG
        if not keys & _INDICATOR_KEYS and any(
            difflib.get_close_matches(k, ["children", "weighting"], n=1, cutoff=0.7) for k in keys
        ):
            return GROUP_TAG
    return INDICATOR_TAG


Node = Annotated[
    Annotated["Group", Tag(GROUP_TAG)] | Annotated[Indicator, Tag(INDICATOR_TAG)],
    Discriminator(_node_tag),
]


class Group(_Frozen):
    """An inner node of the tree: the goal, a dimension or a sub-dimension."""

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    description: str | None = None
    weighting: Weighting = Weighting()
    children: tuple[Node, ...]

    @field_validator("children", mode="after")
    @classmethod
    def _not_empty(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if not value:
            raise located_error(
                "no_children",
                [
                    (
                        (),
                        "a group needs at least one child (an indicator or a group)",
                        "add a child, or remove the empty group",
                    )
                ],
            )
        return value

    @property
    def is_indicator(self) -> bool:
        """Always False: groups have children."""
        return False

    def walk(self) -> Iterator[Group | Indicator]:
        """Yield this node and every node below it, depth first, parents before children."""
        yield self
        for child in self.children:
            if isinstance(child, Group):
                yield from child.walk()
            else:
                yield child


class IndicatorSystem(_Frozen):
    """A complete indicator system (评价指标体系).

    Build one with :func:`load_system` from YAML, or :func:`default_system` for the shipped
    old-community-renovation system. The model is frozen: derive a changed copy with
    ``system.model_copy(update=...)`` and re-validate it with ``IndicatorSystem.model_validate``.
    """

    id: str = Field(pattern=ID_PATTERN)
    version: Annotated[
        str,
        WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}),
    ] = Field(min_length=1)
    name: LocalizedText
    description: str | None = None
    phases: tuple[Phase, ...] = (
        Phase(id="t0", name=LocalizedText(en="before renovation", zh="改造前")),
        Phase(id="t1", name=LocalizedText(en="after renovation", zh="改造后")),
    )
    grades: tuple[GradeBand, ...] = tuple(
        GradeBand(id=i, min=m, name=LocalizedText(en=en, zh=zh)) for i, m, en, zh in DEFAULT_GRADES
    )
    goal: Group

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # "version: 1.0" in YAML is a float; keep what the author meant.
        return str(value) if isinstance(value, (int, float)) else value

    @model_validator(mode="after")
    def _check_tree(self) -> IndicatorSystem:
        problems = list(_semantic_problems(self.model_dump()))
        if problems:
            raise located_error("system_semantics", problems)
        return self

    # ----------------------------------------------------------------- navigation
    @cached_property
    def nodes(self) -> tuple[Group | Indicator, ...]:
        """Every node, depth first, parents before children."""
        return tuple(self.goal.walk())

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """The indicators in the system's indicator order (the column order of arrays)."""
        return tuple(n for n in self.nodes if isinstance(n, Indicator))

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """The inner nodes (goal first), depth first."""
        return tuple(n for n in self.nodes if isinstance(n, Group))

    @property
    def dimensions(self) -> tuple[Group | Indicator, ...]:
        """The children of the goal."""
        return self.goal.children

    @cached_property
    def indicator_ids(self) -> tuple[str, ...]:
        """Indicator ids in the system's indicator order."""
        return tuple(i.id for i in self.indicators)

    @cached_property
    def _by_id(self) -> dict[str, Group | Indicator]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def _parent(self) -> dict[str, str]:
        return {c.id: g.id for g in self.groups for c in g.children}

    def node(self, node_id: str) -> Group | Indicator:
        """Return the node with ``node_id``; an unknown id raises with a suggestion."""
        try:
            return self._by_id[node_id]
        except KeyError:
            raise IndicatorSystemError(
                f"system {self.id!r} has no node {node_id!r}",
                [Problem(f"unknown node {node_id!r}", fix=suggest(node_id, self._by_id))],
            ) from None

    def parent(self, node_id: str) -> str | None:
        """The id of the parent of ``node_id`` (None for the goal)."""
        self.node(node_id)
        return self._parent.get(node_id)

    def path(self, node_id: str) -> tuple[str, ...]:
        """Ids from the goal down to ``node_id``."""
        chain = [node_id]
        while (up := self.parent(chain[-1])) is not None:
            chain.append(up)
        return tuple(reversed(chain))

    def indicators_under(self, node_id: str) -> tuple[Indicator, ...]:
        """The indicators below ``node_id`` (itself, if it is an indicator)."""
        node = self.node(node_id)
        if isinstance(node, Indicator):
            return (node,)
        return tuple(n for n in node.walk() if isinstance(n, Indicator))

    def dimension_of(self, indicator_id: str) -> str:
        """The id of the goal's child that contains ``indicator_id``."""
        chain = self.path(indicator_id)
        return chain[1] if len(chain) > 1 else chain[0]

    @cached_property
    def phase_ids(self) -> tuple[str, ...]:
        """Declared phase ids, in order."""
        return tuple(p.id for p in self.phases)

    # ----------------------------------------------------------------- arrays
    def goalpost_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(floor, target)`` arrays in the system's indicator order."""
        floor = np.array([i.goalposts.floor for i in self.indicators], dtype=np.float64)
        target = np.array([i.goalposts.target for i in self.indicators], dtype=np.float64)
        return floor, target

    def range_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(min, max)`` validity bounds in indicator order (``-inf``/``inf`` when open)."""
        lo = np.array(
            [-np.inf if i.range.min is None else i.range.min for i in self.indicators], np.float64
        )
        hi = np.array(
            [np.inf if i.range.max is None else i.range.max for i in self.indicators], np.float64
        )
        return lo, hi

    @cached_property
    def directions(self) -> tuple[str, ...]:
        """``"benefit"``/``"cost"`` per indicator, in indicator order."""
        return tuple(i.direction.value for i in self.indicators)

    # ----------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """The system as plain data, in the YAML layout (``None`` fields left out)."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_yaml(self) -> str:
        """The system as YAML text; :func:`load_system` reads it back to an equal system."""
        return yaml.safe_dump(
            self.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
        )

    def grade_thresholds(self) -> tuple[float, ...]:
        """The ``min`` of each grade band, best first."""
        return tuple(g.min for g in self.grades)

    def _repr_html_(self) -> str:
        """Escaped HTML for notebooks (names in English; see :func:`renoscore.report.repr_html`)."""
        from renoscore.report import repr_html

        return repr_html(self)

    def __repr__(self) -> str:
        return (
            f"IndicatorSystem(id={self.id!r}, version={self.version!r}, "
            f"dimensions={[d.id for d in self.dimensions]}, indicators={len(self.indicators)})"
        )


_DEFAULT_PHASE_IDS = ("t0", "t1")
_DATA_METHODS = frozenset(
    {"entropy", "critic", "standard_deviation", "coefficient_of_variation", "combined"}
)


def _seq(value: Any) -> list[Any]:
    """A YAML list (or a dumped tuple) as a list; anything else as empty."""
    return list(value) if isinstance(value, (list, tuple)) else []


def _map(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _semantic_problems(data: Mapping[str, Any]) -> Iterator[LocatedProblem]:
    """Yield ``(path, reason, fix)`` for every rule that spans several nodes.

    Works on the plain document (or a model dump), skipping whatever is malformed, so that
    :func:`load_system` can report these problems together with field errors: pydantic runs a
    model's own after-validator only when all its fields are valid.
    """
    phases = data["phases"] if "phases" in data else [{"id": p} for p in _DEFAULT_PHASE_IDS]
    phase_ids: list[str] = []
    first_phase: dict[str, int] = {}
    for index, phase in enumerate(_seq(phases)):
        pid = _map(phase).get("id")
        if not isinstance(pid, str):
            continue
        if pid in first_phase:
            yield (
                ("phases", index, "id"),
                f"phase id {pid!r} is used twice (also phases[{first_phase[pid]}])",
                "give every phase its own id",
            )
        first_phase.setdefault(pid, index)
        phase_ids.append(pid)

    grades = _seq(data.get("grades"))
    raw_mins: list[Any] = [_map(g).get("min") for g in grades]
    if raw_mins and all(_is_number(m) for m in raw_mins):
        mins = [float(m) for m in raw_mins]
        if any(a <= b for a, b in itertools.pairwise(mins)):
            yield (
                ("grades",),
                f"grade bands must be strictly descending by min; got {[_num(m) for m in mins]}",
                "list the best grade first",
            )
        if mins[-1] != 0.0:
            yield (
                ("grades", len(mins) - 1, "min"),
                f"the lowest grade band must start at 0 (got {_num(mins[-1])}) so that every "
                "score has a grade",
                "set min: 0 on the last band",
            )
    first_grade: dict[str, int] = {}
    for index, grade in enumerate(grades):
        gid = _map(grade).get("id")
        if not isinstance(gid, str):
            continue
        if gid in first_grade:
            yield (
                ("grades", index, "id"),
                f"grade id {gid!r} is used twice (also grades[{first_grade[gid]}])",
                "give every grade its own id",
            )
        first_grade.setdefault(gid, index)

    seen: dict[str, KeyPath] = {}

    def visit(node: Mapping[Any, Any], path: KeyPath) -> Iterator[LocatedProblem]:
        node_id = node.get("id")
        if isinstance(node_id, str):
            if node_id in seen:
                yield (
                    (*path, "id"),
                    f"id {node_id!r} is used twice (also at {dotted(seen[node_id])})",
                    "ids must be unique across the whole system",
                )
            else:
                seen[node_id] = path
        if _node_tag(node) == INDICATOR_TAG:
            for index, phase in enumerate(_seq(node.get("phases"))):
                if isinstance(phase, str) and phase not in phase_ids:
                    yield (
                        (*path, "phases", index),
                        f"phase {phase!r} is not declared in the system's phases",
                        suggest(phase, phase_ids) or f"declare it or use one of {phase_ids}",
                    )
            return
        children = [c for c in _seq(node.get("children")) if isinstance(c, Mapping)]
        child_ids = [c.get("id") for c in children if isinstance(c.get("id"), str)]
        weighting = _map(node.get("weighting"))
        weights = weighting.get("weights")
        if isinstance(weights, Mapping) and weights:
            for key in weights:
                if key not in child_ids:
                    yield (
                        (*path, "weighting", "weights", key),
                        f"fixed weight for {key!r}, which is not a child of {node_id!r}",
                        suggest(str(key), child_ids) or f"children are {child_ids}",
                    )
            missing = [c for c in child_ids if c not in weights]
            if missing:
                yield (
                    (*path, "weighting", "weights"),
                    f"fixed weights do not cover children {missing}",
                    "give every child a weight (weights are keyed by child id, never by position)",
                )
        method = weighting.get("method", "equal")
        scope = weighting.get("scope", "children")
        if isinstance(method, str) and method in _DATA_METHODS and scope == "children":
            for child in children:
                if _node_tag(child) == GROUP_TAG:
                    yield (
                        (*path, "weighting", "scope"),
                        f"data-driven weights with scope 'children' need indicator children, "
                        f"but {child.get('id')!r} is a group",
                        "use scope: indicators to derive weights from all indicators below",
                    )
                    break
        for index, child in enumerate(_seq(node.get("children"))):
            if isinstance(child, Mapping):
                yield from visit(child, (*path, "children", index))

    goal = data.get("goal")
    if isinstance(goal, Mapping):
        yield from visit(goal, ("goal",))


Group.model_rebuild()
IndicatorSystem.model_rebuild()


# --------------------------------------------------------------------------- helpers
def suggest(word: str, options: Any) -> str | None:
    """Return "did you mean 'x'?" for the closest option, or None.

    A match that differs only in case wins; otherwise the closest by
    :func:`difflib.get_close_matches` (ratio at least 0.6).

    Examples
    --------
    >>> suggest("unti", ["unit", "kind"])
    "did you mean 'unit'?"
    >>> suggest("T1", ["t0", "t1"])
    "did you mean 't1'?"
    """
    text = str(word)
    names = [str(o) for o in options]
    for name in names:
        if name.casefold() == text.casefold() and name != text:
            return f"did you mean {name!r}?"
    by_lower = {name.casefold(): name for name in names}
    matches = difflib.get_close_matches(text.casefold(), list(by_lower), n=1, cutoff=0.6)
    return f"did you mean {by_lower[matches[0]]!r}?" if matches else None


#: Models selected by a union tag in an error location (None: the tag selects no model).
_TAG_MODELS: dict[str, type[BaseModel] | None] = {}


def register_tags(tags: Mapping[str, type[BaseModel] | None]) -> None:
    """Declare union tags (and the model each selects) for error locations of other modules."""
    _TAG_MODELS.update(tags)


register_tags({GROUP_TAG: Group, INDICATOR_TAG: Indicator})


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that validates the location ``loc`` (for did-you-mean on keys)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if part in _TAG_MODELS:
            current = _TAG_MODELS[part]
        elif current is not None and isinstance(part, str) and part in current.model_fields:
            current = _model_in(current.model_fields[part].annotation)
        # any other part is an index or a mapping key (e.g. a node id): the model stays
    return current


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at the model location ``loc``."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Map a pydantic error location onto the document, dropping union tags."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if part in _TAG_MODELS:
            continue
        path.append(part)
        in_mapping = isinstance(current, Mapping) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        current = current[part] if in_mapping or in_list else None
    return tuple(path)


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: messages quote values, not whole files.

    Examples
    --------
    >>> short_repr("x" * 100, limit=10)
    "'xxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int) and abs(value) > 10**15:
        digits = len(str(abs(value)))
        return f"the whole number {str(value)[:8]}... ({digits} digits)"
    if isinstance(value, (int, float)):
        return f"the number {value:g}"
    return f"the text {short_repr(value)}"


def _id_fix(value: Any) -> str:
    rule = (
        "ids are lower snake_case ASCII (a-z, 0-9, single underscores, starting with a letter); "
        "put prose in 'name'"
    )
    if isinstance(value, str):
        slug = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
        if slug and _ID_RE.match(slug) and slug != value:
            return f"write {slug!r}: {rule}"
        if not value.isascii():
            return f"{rule}; keep the Chinese text in name.zh and use an English or pinyin id"
    return rule


def _friendly(
    err: Any, model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[str, str | None, Any]:
    """``(reason, fix, value)`` for one pydantic error, in the words of a YAML author."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    reason: str = err["msg"]
    fix: str | None = None
    key = next((p for p in reversed(loc) if isinstance(p, str) and p not in _TAG_MODELS), None)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        reason = f"unknown key {loc[-1]!r}"
        fix = suggest(str(loc[-1]), allowed) or f"allowed keys here: {', '.join(allowed)}"
    elif kind == "missing":
        reason = f"required key {loc[-1]!r} is missing"
        fix = f"add '{loc[-1]}: ...'"
        value = None
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        target = _model_at(model, loc)
        reason = f"expected a mapping (key: value lines), got {_describe_value(value)}"
        if len(loc) >= 3 and loc[-1] in _TAG_MODELS and loc[-3] == "children":
            fix = (
                "each child is a mapping: an indicator (id, name, unit, kind, ...) or a group "
                "(id, name, children)"
            )
        elif target is not None and kind != "dict_type":
            keys = [n for n, f in target.model_fields.items() if f.is_required()] or list(
                target.model_fields
            )
            shape = f"{{{', '.join(f'{k}: ...' for k in keys)}}}"
            item = loc and isinstance(loc[-1], int)
            if key is None:
                fix = f"write the document as {shape}"
            else:
                fix = f"write each item of {key} as {shape}" if item else f"write {key}: {shape}"
        else:
            fix = f"write {key or 'it'}: {{name: value, ...}}"
    elif kind in ("tuple_type", "list_type", "set_type", "frozen_set_type"):
        reason = f"expected a list, got {_describe_value(value)}"
        fix = "write a YAML list: one '- item' line per item, or [a, b, ...]"
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        whole = kind.startswith("int")
        reason = (
            f"expected {'a whole number' if whole else 'a number'}, got {_describe_value(value)}"
        )
        fix = "write a plain number such as 3" if whole else "write a plain number such as 0.5"
    elif kind == "finite_number":
        reason = f"expected a finite number, got {value}"
        fix = "write a finite number (leave a range bound out for an open range)"
    elif kind == "string_type":
        reason = f"expected text, got {_describe_value(value)}"
        fix = "write text (quote it if it looks like a number or a date)"
    elif kind == "string_too_short":
        reason = f"{key or 'the text'} must not be empty"
        fix = "write some text"
    elif kind == "too_short":
        need = ctx.get("min_length", 1)
        reason = f"{key or 'the list'} needs at least {need} item{'s' if need != 1 else ''}"
        fix = f"add {'an item' if need == 1 else 'items'}"
        value = None
    elif kind == "string_pattern_mismatch":
        if key == "id":
            reason = f"{short_repr(value)} is not a valid id"
            fix = _id_fix(value)
        else:
            fix = f"write a value matching {ctx.get('pattern')}"
    elif kind in ("literal_error", "enum"):
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        reason = f"{short_repr(value)} is not one of: {', '.join(options)}"
        fix = suggest(str(value), options) or f"use one of: {', '.join(options)}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        raw = next(iter(ctx.values()), "?")
        bound = _num(raw) if isinstance(raw, (int, float)) else str(raw)
        reason = f"{key or 'the value'} must be {words} {bound}, got {value}"
        fix = f"use a value {words} {bound}"
        value = None
    elif kind == "bool_type":
        fix = "write true or false"
    elif kind == "invalid_key":
        reason = f"key {short_repr(value)} is not text"
        fix = "keys are words such as ids; quote the key if it must be a number"
    if isinstance(value, str) and repr(value) in reason:
        value = None  # already quoted in the reason
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        value = None  # described in the reason; thousands of digits help nobody
    if isinstance(value, str) and len(value) > 80:
        value = value[:77] + "..."
    if isinstance(value, (dict, list, tuple)):
        value = None
    return reason, fix, value


def problems_from_validation(
    exc: ValidationError, doc: Located, model: type[BaseModel]
) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems with fixes.

    Errors made by :func:`located_error` expand into one problem per entry, each at the line of
    its own key. An unknown key that is a misspelling of a missing required key (``unti`` for
    ``unit``) is reported once, as the unknown key with its did-you-mean.
    """
    errors = exc.errors(include_url=False)
    # A list whose items failed also fails its own length check; the item errors say it all.
    failed = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    entries: list[tuple[str, KeyPath, Problem]] = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(f[: len(loc)] == loc and f != loc for f in failed):
            continue
        ctx = err.get("ctx") or {}
        if isinstance(ctx.get("problems"), list):
            base = _data_path(doc.data, loc)
            for path, reason, fix in ctx["problems"]:
                full = (*base, *path)
                entries.append(
                    (
                        "located",
                        full,
                        Problem(
                            reason,
                            fix=fix,
                            file=doc.file,
                            line=doc.line_of(full),
                            path=dotted(full) or None,
                        ),
                    )
                )
            continue
        path = _data_path(doc.data, loc)
        reason, fix, value = _friendly(err, model, loc)
        entries.append(
            (
                err["type"],
                path,
                Problem(
                    reason,
                    fix=fix,
                    file=doc.file,
                    line=doc.line_of(path),
                    path=dotted(path) or None,
                    value=value,
                ),
            )
        )
    # Fold "required key 'unit' is missing" into "unknown key 'unti' -> did you mean 'unit'?".
    misspelt: set[KeyPath] = set()
    for kind, path, problem in entries:
        if kind == "extra_forbidden" and problem.fix and problem.fix.startswith("did you mean"):
            target = re.findall(r"'([^']*)'", problem.fix)
            if target:
                misspelt.add((*path[:-1], target[0]))
    problems = [
        p for kind, path, p in entries if not (kind == "missing" and tuple(path) in misspelt)
    ]
    problems.sort(key=lambda p: p.line or 0)
    return problems


# --------------------------------------------------------------------------- loading
def load_system(
    source: str | Path | bytes | Mapping[str, Any] | IndicatorSystem,
    *,
    limits: YamlLimits | None = None,
) -> IndicatorSystem:
    """Load and validate an indicator system.

    Parameters
    ----------
    source : str, Path, bytes, mapping or IndicatorSystem
        A YAML file path, YAML text (or its UTF-8 bytes), the name of a shipped system (see
        :func:`available_systems`), a mapping in the YAML layout, or a system (returned as is).
    limits : YamlLimits, optional
        Bounds on size, depth and alias expansion of the YAML.

    Returns
    -------
    IndicatorSystem

    Raises
    ------
    IndicatorSystemError
        Listing every problem with its file, line, key path and fix.

    Examples
    --------
    >>> system = load_system("old_community_renovation")
    >>> len(system.indicators)
    39
    >>> load_system(system.to_yaml()) == system
    True
    """
    if isinstance(source, IndicatorSystem):
        return source
    if isinstance(source, Mapping):
        doc = Located(data=dict(source))
    elif isinstance(source, str) and source in available_systems():
        doc = read_yaml(_shipped_path(source), IndicatorSystemError, "indicator system", limits)
    else:
        doc = read_yaml(source, IndicatorSystemError, "indicator system", limits)
    if not isinstance(doc.data, Mapping):
        raise IndicatorSystemError(
            "indicator system must be a YAML mapping", [_not_a_mapping(source, doc)]
        )
    try:
        return IndicatorSystem.model_validate(doc.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, doc, IndicatorSystem)
        if not any(e["type"] == "system_semantics" for e in exc.errors()):
            # The tree rules did not run (a field failed first): check the raw document too,
            # so that every problem is reported at once.
            problems += [
                Problem(reason, fix=fix, file=doc.file, line=doc.line_of(path), path=dotted(path))
                for path, reason, fix in _semantic_problems(doc.data)
            ]
            problems.sort(key=lambda p: p.line or 0)
        where = f" in {doc.file}" if doc.file else ""
        raise IndicatorSystemError(f"invalid indicator system{where}", problems) from None


def _not_a_mapping(source: object, doc: Located) -> Problem:
    if isinstance(source, str) and "\n" not in source.strip() and isinstance(doc.data, str):
        # A one-line string that is neither a file nor a shipped name parses as a YAML scalar.
        return Problem(
            f"{source!r} is not a file, nor the name of a shipped system",
            fix=suggest(source, available_systems())
            or f"check the path; shipped systems are {', '.join(available_systems())}",
        )
    got = "empty" if doc.data is None else f"a {_describe_value(doc.data).split(' ')[1]}"
    return Problem(
        f"the document is {got}, not a mapping",
        file=doc.file,
        line=1,
        fix="start with 'id:', 'version:', 'name:' and 'goal:'",
    )


def _shipped_path(name: str) -> Path:
    return Path(str(resources.files("renoscore") / "indicators" / f"{name}.yaml"))


def available_systems() -> tuple[str, ...]:
    """Names of the indicator systems shipped with renoscore."""
    folder = resources.files("renoscore") / "indicators"
    return tuple(
        sorted(
            p.name.removesuffix(".yaml")
            for p in folder.iterdir()
            if p.name.endswith(".yaml") and not p.name.startswith("panel")
        )
    )


def default_system() -> IndicatorSystem:
    """The shipped 4-dimension old-community-renovation system (老旧小区改造评价指标体系).

    Examples
    --------
    >>> default_system().id
    'old_community_renovation'
    """
    return _shipped_system("old_community_renovation")


@functools.lru_cache(maxsize=8)
def _shipped_system(name: str) -> IndicatorSystem:
    # Shipped files never change at run time and systems are frozen, so one parse is enough.
    return load_system(name)


def system_json_schema() -> dict[str, Any]:
    """The JSON Schema of the indicator-system YAML, for editors that validate YAML.

    Examples
    --------
    >>> system_json_schema()["title"]
    'IndicatorSystem'
    """
    schema = IndicatorSystem.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _schema_text() -> str:
    return json.dumps(system_json_schema(), indent=2, ensure_ascii=False) + "\n"
