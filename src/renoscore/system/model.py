"""The indicator system's tree as frozen pydantic models, from the goal down to indicators.

The tree may have any depth: goal -> dimensions -> optional sub-dimensions -> indicators. The
order of the indicators in a depth-first walk is *the system's indicator order*: the column
order of every array renoscore builds from a system. A node's own fields are checked by their
types; the rules that span fields or nodes live in :mod:`renoscore.system.rules`.

Examples
--------
>>> from renoscore.system import default_system
>>> system = default_system()
>>> system.path("f_water_supply_ok")
('renovation_performance', 'facilities', 'basic_works', 'f_water_supply_ok')
>>> system.indicators_under("facilities")[0] is system.indicators[0]
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import (
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from renoscore._validation import (
    ID_PATTERN,
    located_error,
    magnitude_problems,
    register_tags,
    suggest,
)
from renoscore.errors import IndicatorSystemError, Problem
from renoscore.system._base import FrozenModel as _Frozen
from renoscore.system._base import LocalizedText, ValueRange
from renoscore.system.checklist import Checklist
from renoscore.system.enums import Category, Direction, IndicatorKind, Supplier
from renoscore.system.fields import ContextColumn, RawField, clean_aliases
from renoscore.system.formula import Formula, parse_formula
from renoscore.system.rules import (
    checklist_formula,
    declares_group,
    indicator_problems,
    semantic_problems,
    weighting_problems,
)
from renoscore.system.units import Unit, legacy_unit

__all__ = [
    "DEFAULT_GRADES",
    "GROUP_TAG",
    "INDICATOR_TAG",
    "Checklist",
    "ContextColumn",
    "Goalposts",
    "GradeBand",
    "Group",
    "Indicator",
    "IndicatorSystem",
    "LocalizedText",
    "Phase",
    "RawField",
    "Unit",
    "ValueRange",
    "Weighting",
]

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


class Goalposts(_Frozen):
    """Where an indicator scores 0 (``floor``) and 100 (``target``), linear in between.

    For a benefit indicator ``floor < target``; for a cost indicator ``floor > target``
    (a distance at or above the floor scores 0, at or below the target 100).
    """

    floor: float
    target: float

    @model_validator(mode="after")
    def _finite_span(self) -> Goalposts:
        problems = magnitude_problems({"floor": self.floor, "target": self.target})
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
        problems = weighting_problems(self)
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
    """An evaluation phase (阶段性评估), e.g. ``t0`` before renovation.

    A phase cell of a data table may hold the id, either form of the name, or an alias.

    ``overall``: whether the phase yields an overall score, rank and grade. Unset, it does
    exactly when it measures every dimension (the indicators measured in the phase carry at
    least the dimension's ``min_applicable`` share of its weight); a phase that measures less
    is a *progress check* (进度检查): the dimension scores it measures, no overall score.
    """

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: LocalizedText
    description: str | None = None
    aliases: tuple[str, ...] = ()
    overall: bool | None = None

    _aliases = field_validator("aliases", mode="before")(lambda cls, v: clean_aliases(v))


class GradeBand(_Frozen):
    """A grade: every score at or above ``min`` (and below the next band up) gets it."""

    id: str = Field(pattern=ID_PATTERN)
    min: float = Field(ge=0.0, le=100.0)
    name: LocalizedText


class Indicator(_Frozen):
    """A measurable indicator: a leaf of the tree.

    Its column in a data table is headed by its id, either form of its name or one of its
    ``aliases``. A derived indicator has a ``formula`` over the system's raw fields and is
    computed from them when its own column is absent; ``division_by_zero`` says whether a
    row whose formula divides by zero is not applicable or an error. A checklist indicator
    declares the yes/no steps of a procedure and its gates (:mod:`renoscore.system.checklist`);
    its formula is written from them.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    description: str | None = None
    unit: Unit
    aliases: tuple[str, ...] = ()
    formula: str | None = Field(default=None, min_length=1)
    checklist: Checklist | None = None
    division_by_zero: Literal["error", "not_applicable"] = "error"
    kind: IndicatorKind
    direction: Direction
    range: ValueRange
    goalposts: Goalposts
    category: Category = Category.NONE
    supplier: Supplier
    source: str = Field(min_length=1)
    phases: tuple[str, ...] | None = None
    levels: dict[int, LocalizedText] | None = None
    #: The standard uncertainty of one value, in the indicator's unit (JCGM 100:2008, 4.2),
    #: e.g. the typical standard error of a survey mean; used where no survey gives one.
    measurement_sd: float | None = Field(default=None, ge=0.0)

    _aliases = field_validator("aliases", mode="before")(lambda cls, v: clean_aliases(v))

    @model_validator(mode="before")
    @classmethod
    def _legacy_unit(cls, value: Any) -> Any:
        # The older free-text unit ("share 0-1 of buildings") reads as the kind's unit.
        unit = value.get("unit") if isinstance(value, Mapping) else None
        if isinstance(unit, str) and unit.strip():
            return {**value, "unit": legacy_unit(value["unit"], value.get("kind"))}
        return value

    @model_validator(mode="before")
    @classmethod
    def _checklist_formula(cls, value: Any) -> Any:
        # A checklist writes its own formula; a formula written beside it is checked in rules.
        if isinstance(value, Mapping) and value.get("formula") is None:
            formula = checklist_formula(value.get("checklist"))
            if formula is not None:
                return {**value, "formula": formula}
        return value

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        problems = indicator_problems(self)
        if problems:
            raise located_error("indicator", problems)
        return self

    @cached_property
    def parsed_formula(self) -> Formula | None:
        """The checked formula of a derived indicator (None for a measured one)."""
        return None if self.formula is None else parse_formula(self.formula)

    @property
    def is_indicator(self) -> bool:
        """Always True: indicators are the leaves of the tree."""
        return True


def _node_tag(value: Any) -> str:
    if isinstance(value, Group):
        return GROUP_TAG
    if isinstance(value, Mapping) and declares_group(value):
        return GROUP_TAG
    return INDICATOR_TAG


Node = Annotated[
    Annotated["Group", Tag(GROUP_TAG)] | Annotated[Indicator, Tag(INDICATOR_TAG)],
    Discriminator(_node_tag),
]


class Group(_Frozen):
    """An inner node of the tree: the goal, a dimension or a sub-dimension.

    ``min_applicable``: the share of the group's weight that the indicators applying to a row
    must carry for the group to be scored there (unset: the scoring option of the same name,
    0.5 by default); below it the group is *not assessed* and its parent counts it missing.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    description: str | None = None
    weighting: Weighting = Weighting()
    min_applicable: float | None = Field(default=None, ge=0.0, le=1.0)
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
        WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}),
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
    raw_fields: tuple[RawField, ...] = ()
    context: tuple[ContextColumn, ...] = ()
    goal: Group

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # "version: 2" is the text "2"; "version: 1.10" reads as the float 1.1 and "version:
        # yes" as True, which are not what the author wrote: both are refused.
        quote = 'write the version in quotes as it is meant, e.g. version: "1.10"'
        if isinstance(value, bool):
            reason = f"version was read as a yes/no value ({str(value).lower()}), not as text"
            raise located_error("version_not_text", [((), reason, quote)])
        if isinstance(value, float):
            reason = (
                f"version was read as the number {value!r}, which drops trailing zeros "
                "(1.10 becomes 1.1)"
            )
            raise located_error("version_not_text", [((), reason, quote)])
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _check_tree(self) -> IndicatorSystem:
        problems = list(semantic_problems(self.model_dump()))
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
        """The children of the goal (groups, or indicators in a flat or mixed system)."""
        return self.goal.children

    def outline(self) -> str:
        """The shape of the tree in words: ``4 dimensions, 39 indicators``, or for a goal with
        indicators among its children ``1 dimension and 2 indicators under the goal; 5
        indicators in all``.

        Examples
        --------
        >>> from renoscore.system import default_system
        >>> default_system().outline()
        '4 dimensions, 72 indicators'
        """

        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        groups = sum(isinstance(c, Group) for c in self.goal.children)
        direct = len(self.goal.children) - groups
        total = count(len(self.indicators), "indicator")
        if direct == 0:
            return f"{count(groups, 'dimension')}, {total}"
        under = count(direct, "indicator")
        if groups:
            under = f"{count(groups, 'dimension')} and {under}"
        return f"{under} under the goal; {total} in all"

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
    def derived_indicators(self) -> tuple[Indicator, ...]:
        """The indicators computed from raw fields by a formula, in indicator order."""
        return tuple(i for i in self.indicators if i.formula is not None)

    def raw_field(self, field_id: str) -> RawField:
        """The raw field ``field_id``; an unknown id raises with a suggestion."""
        for field in self.raw_fields:
            if field.id == field_id:
                return field
        raise IndicatorSystemError(
            f"system {self.id!r} has no raw field {field_id!r}",
            [
                Problem(
                    f"unknown raw field {field_id!r}",
                    fix=suggest(field_id, [f.id for f in self.raw_fields]),
                )
            ],
        )

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
        from renoscore import _views

        return _views.system_html(self)

    def __repr__(self) -> str:
        return (
            f"IndicatorSystem(id={self.id!r}, version={self.version!r}, "
            f"dimensions={[d.id for d in self.dimensions]}, indicators={len(self.indicators)})"
        )


Group.model_rebuild()
IndicatorSystem.model_rebuild()


register_tags({GROUP_TAG: Group, INDICATOR_TAG: Indicator})
