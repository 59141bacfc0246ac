"""The rules of an indicator system that span several fields or several nodes.

A field on its own is checked by its pydantic type; what needs two fields of a node (an
indicator's goalposts against its direction and range) or the whole tree (unique ids, declared
phases, fixed weights keyed by real children) is checked here. Each rule yields
``(path, reason, fix)`` so that the loader can put every problem at the line of its key.

The tree rules work on the plain document (or a model dump) and skip whatever is malformed,
so that :func:`~renoscore.system.load_system` can report them together with field errors:
pydantic runs a model's own after-validator only when all its fields are valid.

Examples
--------
>>> from renoscore.system.rules import semantic_problems
>>> doc = {"phases": [{"id": "t0"}, {"id": "t0"}]}
>>> [reason for _, reason, _ in semantic_problems(doc)]
["phase id 't0' is used twice (also phases[0])"]
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from renoscore._format import plain_number
from renoscore._validation import (
    ID_RE,
    MAX_MAGNITUDE,
    LocatedProblem,
    repeated_ids,
    suggest,
)
from renoscore._yaml import KeyPath, dotted
from renoscore.system.checklist import Checklist
from renoscore.system.enums import KIND_BOUNDS, NON_NEGATIVE_KINDS, Direction, IndicatorKind
from renoscore.system.formula import FUNCTIONS, formula_problems
from renoscore.system.units import KIND_UNITS, find_unit, normal_form

if TYPE_CHECKING:
    from renoscore.system.model import Indicator, Weighting

__all__ = [
    "checklist_formula",
    "declares_group",
    "indicator_problems",
    "semantic_problems",
    "weighting_problems",
]

#: Smallest span of the goalposts relative to their size: closer goalposts leave a score fewer
#: than about 12 bits between 0 and 100, a step function (1 and 1.0000000000000002 differ in
#: the last bit only).
MIN_GOALPOST_SPAN = 1e-12

#: Keys only an indicator has; they tell an indicator from a group whose 'children' is misspelt.
_INDICATOR_KEYS = frozenset(
    {
        "unit",
        "kind",
        "direction",
        "range",
        "goalposts",
        "category",
        "supplier",
        "source",
        "phases",
        "formula",
        "checklist",
    }
)
_DEFAULT_PHASE_IDS = ("t0", "t1")
_DATA_METHODS = frozenset(
    {"entropy", "critic", "standard_deviation", "coefficient_of_variation", "combined"}
)


def declares_group(node: Mapping[Any, Any]) -> bool:
    """Whether a node mapping declares a group (else an indicator).

    A node with ``children`` or ``weighting`` is a group; so is one with none of an
    indicator's keys and a key close to ``children`` (a misspelt group, reported as such).

    Examples
    --------
    >>> declares_group({"id": "x", "childrn": []}), declares_group({"id": "x", "unit": "%"})
    (True, False)
    """
    keys = {str(k) for k in node}
    if "children" in keys or "weighting" in keys:
        return True
    return not keys & _INDICATOR_KEYS and any(
        difflib.get_close_matches(k, ["children", "weighting"], n=1, cutoff=0.7) for k in keys
    )


# --------------------------------------------------------------------------- one node
def weighting_problems(weighting: Weighting) -> list[LocatedProblem]:
    """The problems of a node's weighting whose fields do not fit together."""
    return [*_fixed_weight_problems(weighting), *_combination_problems(weighting)]


def _fixed_weight_problems(weighting: Weighting) -> Iterator[LocatedProblem]:
    combined = weighting.method == "combined"
    uses_fixed = weighting.method == "fixed" or (combined and weighting.subjective == "fixed")
    if uses_fixed and not weighting.weights:
        yield (
            ("subjective",) if combined else ("method",),
            "fixed weights need 'weights' keyed by child id",
            "add weights: {child_id: weight, ...} with one positive weight per child",
        )
    if weighting.weights is not None and not uses_fixed:
        yield (
            ("weights",),
            f"'weights' is not used with method {weighting.method!r}; only with method "
            "'fixed' (or 'combined' with subjective: fixed)",
            "remove 'weights', or set method: fixed",
        )
    for key, value in (weighting.weights or {}).items():
        if value > MAX_MAGNITUDE:
            yield (
                ("weights", key),
                f"fixed weight {plain_number(value)} for {key!r} is beyond 1e300",
                "weights are relative: divide them all by a common factor",
            )
        if not value > 0:
            yield (
                ("weights", key),
                f"fixed weight {plain_number(value)} for {key!r} is not positive",
                "give every child a positive weight (they are normalised to sum 1)",
            )


def _combination_problems(weighting: Weighting) -> Iterator[LocatedProblem]:
    if weighting.method == "combined":
        for part, options in (
            ("subjective", "ahp, fixed or equal"),
            ("objective", "entropy, critic, standard_deviation or coefficient_of_variation"),
        ):
            if getattr(weighting, part) is None:
                yield (
                    ("method",),
                    f"method 'combined' needs {part!r}",
                    f"add {part}: one of {options}",
                )
    else:
        for part in ("subjective", "objective"):
            if getattr(weighting, part) is not None:
                yield (
                    (part,),
                    f"{part!r} is only used with method 'combined' (method is "
                    f"{weighting.method!r})",
                    f"remove {part!r}, or set method: combined",
                )


def indicator_problems(indicator: Indicator) -> list[LocatedProblem]:
    """The problems of an indicator whose goalposts, range, kind and levels disagree."""
    rng = f"[{plain_number(indicator.range.min)}, {plain_number(indicator.range.max)}]"
    return [
        *_goalpost_problems(indicator, rng),
        *_kind_problems(indicator, rng),
        *_level_problems(indicator, rng),
        *_unit_problems(indicator),
        *_formula_problems(indicator),
        *_checklist_problems(indicator),
    ]


def checklist_formula(checklist: Any) -> str | None:
    """The formula a checklist declaration writes, or None when it is absent or malformed.

    Examples
    --------
    >>> checklist_formula({"steps": ["a", "b"], "gates": ["b"]})
    '(a + b) / 2 * b'
    """
    if not isinstance(checklist, Mapping):
        return None
    steps, gates = _seq(checklist.get("steps")), _seq(checklist.get("gates"))
    fine = all(isinstance(s, str) and ID_RE.match(s) for s in [*steps, *gates])
    if len(steps) < 2 or not fine or len(set(steps)) < len(steps) or not set(gates) <= set(steps):
        return None  # the checklist's own validation says why
    return Checklist.model_construct(steps=tuple(steps), gates=tuple(gates)).formula


def _checklist_problems(indicator: Indicator) -> Iterator[LocatedProblem]:
    checklist = indicator.checklist
    if checklist is None:
        return
    if indicator.formula != checklist.formula:
        yield (
            ("formula",),
            "a checklist indicator's formula is written from its steps and gates",
            f"remove 'formula' (the checklist computes {checklist.formula})",
        )
    if indicator.kind is not IndicatorKind.RATIO:
        yield (
            ("kind",),
            f"a checklist gives the share of its steps done (0-1); kind is {indicator.kind.value}",
            "set kind: ratio and unit: share",
        )


def _unit_problems(indicator: Indicator) -> Iterator[LocatedProblem]:
    fits = KIND_UNITS[indicator.kind]
    if indicator.unit.code not in fits:
        yield (
            ("unit",),
            f"unit {indicator.unit.code!r} does not fit kind {indicator.kind.value}",
            f"use unit {' or '.join(repr(c) for c in fits[:3])}, or another kind",
        )


def _formula_problems(indicator: Indicator) -> Iterator[LocatedProblem]:
    if indicator.formula is None:
        if indicator.division_by_zero != "error":
            yield (
                ("division_by_zero",),
                "'division_by_zero' is only used with a formula",
                "remove it, or add formula: ...",
            )
        return
    for reason, fix in formula_problems(indicator.formula):
        yield (("formula",), reason, fix)


def _goalpost_problems(indicator: Indicator, rng: str) -> Iterator[LocatedProblem]:
    gp = indicator.goalposts
    if gp.floor == gp.target:
        yield (
            ("goalposts",),
            f"goalposts floor and target are both {plain_number(gp.floor)}",
            "set floor to the value that scores 0 and target to the value that scores "
            "100; they must differ",
        )
    elif abs(gp.target - gp.floor) <= MIN_GOALPOST_SPAN * max(abs(gp.floor), abs(gp.target)):
        yield (
            ("goalposts",),
            f"goalposts floor {gp.floor!r} and target {gp.target!r} are too close to score "
            f"between them (less than {MIN_GOALPOST_SPAN:g} of their size apart): every value "
            "would score 0 or 100, a step and not a scale",
            "set floor to the value that scores 0 and target to the value that scores 100, "
            "far enough apart to score the values between them",
        )
    elif indicator.direction is Direction.BENEFIT and gp.floor > gp.target:
        yield (
            ("goalposts",),
            f"a benefit indicator needs floor < target (got floor {plain_number(gp.floor)}, "
            f"target {plain_number(gp.target)})",
            "swap floor and target, or set direction: cost",
        )
    elif indicator.direction is Direction.COST and gp.floor < gp.target:
        yield (
            ("goalposts",),
            f"a cost indicator needs floor > target (got floor {plain_number(gp.floor)}, "
            f"target {plain_number(gp.target)})",
            "swap floor and target, or set direction: benefit",
        )
    for label, value in (("floor", gp.floor), ("target", gp.target)):
        if not indicator.range.contains(value):
            yield (
                ("goalposts", label),
                f"goalposts {label} {plain_number(value)} lies outside the range {rng}",
                f"move the {label} inside the range, or widen the range",
            )


def _kind_problems(indicator: Indicator, rng: str) -> Iterator[LocatedProblem]:
    kind, low, high = indicator.kind, indicator.range.min, indicator.range.max
    bounds = KIND_BOUNDS.get(kind)
    if bounds is not None:
        lo, hi = bounds
        if (low is None or low < lo) or (high is None or high > hi):
            yield (
                ("range",),
                f"kind {kind.value} needs a range inside [{plain_number(lo)}, "
                f"{plain_number(hi)}]; got {rng}",
                f"set range: [{plain_number(lo)}, {plain_number(hi)}] (or narrower), or choose "
                "another kind (e.g. continuous)",
            )
    if kind in NON_NEGATIVE_KINDS and (low is None or low < 0):
        yield (
            ("range",),
            f"kind {kind.value} cannot be negative, but the range is {rng}",
            "set the range min to 0 (or more)",
        )


def _level_problems(indicator: Indicator, rng: str) -> Iterator[LocatedProblem]:
    if indicator.levels is not None and indicator.kind is not IndicatorKind.ORDINAL:
        yield (
            ("levels",),
            f"'levels' is only used with kind ordinal (kind is {indicator.kind.value})",
            "remove 'levels', or set kind: ordinal",
        )
    for level in indicator.levels or {}:
        if not indicator.range.contains(level):
            yield (
                ("levels", level),
                f"level {level} lies outside the range {rng}",
                "widen the range to cover every level, or remove the level",
            )


# --------------------------------------------------------------------------- the whole tree
def _seq(value: Any) -> list[Any]:
    """A YAML list (or a dumped tuple) as a list; anything else as empty."""
    return list(value) if isinstance(value, (list, tuple)) else []


def _map(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    """A number a float can hold (a whole number of 400 digits is malformed: its field says so)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        float(value)
    except OverflowError:
        return False
    return True


def semantic_problems(data: Mapping[str, Any]) -> Iterator[LocatedProblem]:
    """Yield ``(path, reason, fix)`` for every rule that spans several nodes.

    Works on the plain document (or a model dump), skipping whatever is malformed, so that
    :func:`~renoscore.system.load_system` can report these problems together with field
    errors: pydantic runs a model's own after-validator only when all its fields are valid.
    """
    phases = data["phases"] if "phases" in data else [{"id": p} for p in _DEFAULT_PHASE_IDS]
    declared = [_map(phase).get("id") for phase in _seq(phases)]
    yield from repeated_ids(declared, "phases", "phase", "give every phase its own id")
    yield from _grade_problems(_seq(data.get("grades")))
    goal = data.get("goal")
    raw_ids = [_map(f).get("id") for f in _seq(data.get("raw_fields"))]
    yield from repeated_ids(raw_ids, "raw_fields", "raw field", "give every raw field its own id")
    context_ids = [_map(c).get("id") for c in _seq(data.get("context"))]
    yield from repeated_ids(context_ids, "context", "context column", "give every one its own id")
    yield from _raw_field_names(data)
    if isinstance(goal, Mapping):
        phase_ids = [pid for pid in declared if isinstance(pid, str)]
        seen: dict[str, KeyPath] = {}
        yield from _node_problems(goal, ("goal",), seen, phase_ids)
        raw = {r: None for r in raw_ids if isinstance(r, str)}
        yield from _formula_names(goal, ("goal",), raw)
        yield from _checklist_steps(goal, ("goal",), _raw_units(data))
        yield from _clashes(data, seen)


def _grade_problems(grades: list[Any]) -> Iterator[LocatedProblem]:
    raw_mins: list[Any] = [_map(g).get("min") for g in grades]
    if raw_mins and all(_is_number(m) for m in raw_mins):
        mins = [float(m) for m in raw_mins]
        if any(a <= b for a, b in itertools.pairwise(mins)):
            yield (
                ("grades",),
                "grade bands must be strictly descending by min; got "
                f"{[plain_number(m) for m in mins]}",
                "list the best grade first",
            )
        if mins[-1] != 0.0:
            yield (
                ("grades", len(mins) - 1, "min"),
                f"the lowest grade band must start at 0 (got {plain_number(mins[-1])}) so that "
                "every score has a grade",
                "set min: 0 on the last band",
            )
    ids = [_map(grade).get("id") for grade in grades]
    yield from repeated_ids(ids, "grades", "grade", "give every grade its own id")


def _node_problems(
    node: Mapping[Any, Any], path: KeyPath, seen: dict[str, KeyPath], phase_ids: list[str]
) -> Iterator[LocatedProblem]:
    """The tree rules for ``node`` and every node below it; ``seen`` maps ids to their paths."""
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
    if not declares_group(node):
        yield from _phase_references(node, path, phase_ids)
        return
    yield from _weight_keys(node, path)
    yield from _scope_problems(node, path)
    for index, child in enumerate(_seq(node.get("children"))):
        if isinstance(child, Mapping):
            yield from _node_problems(child, (*path, "children", index), seen, phase_ids)


def _phase_references(
    indicator: Mapping[Any, Any], path: KeyPath, phase_ids: list[str]
) -> Iterator[LocatedProblem]:
    for index, phase in enumerate(_seq(indicator.get("phases"))):
        if isinstance(phase, str) and phase not in phase_ids:
            yield (
                (*path, "phases", index),
                f"phase {phase!r} is not declared in the system's phases",
                suggest(phase, phase_ids) or f"declare it or use one of {phase_ids}",
            )


def _weight_keys(group: Mapping[Any, Any], path: KeyPath) -> Iterator[LocatedProblem]:
    """Fixed weights must be keyed by the group's children, every child with one."""
    children = [c for c in _seq(group.get("children")) if isinstance(c, Mapping)]
    child_ids = [c.get("id") for c in children if isinstance(c.get("id"), str)]
    weights = _map(group.get("weighting")).get("weights")
    if isinstance(weights, Mapping) and weights:
        for key in weights:
            if key not in child_ids:
                yield (
                    (*path, "weighting", "weights", key),
                    f"fixed weight for {key!r}, which is not a child of {group.get('id')!r}",
                    suggest(str(key), child_ids) or f"children are {child_ids}",
                )
        missing = [c for c in child_ids if c not in weights]
        if missing:
            yield (
                (*path, "weighting", "weights"),
                f"fixed weights do not cover children {missing}",
                "give every child a weight (weights are keyed by child id, never by position)",
            )


def _scope_problems(group: Mapping[Any, Any], path: KeyPath) -> Iterator[LocatedProblem]:
    """Data-driven weights of a group's children need children that carry data."""
    weighting = _map(group.get("weighting"))
    method = weighting.get("method", "equal")
    scope = weighting.get("scope", "children")
    if isinstance(method, str) and method in _DATA_METHODS and scope == "children":
        for child in _seq(group.get("children")):
            if isinstance(child, Mapping) and declares_group(child):
                yield (
                    (*path, "weighting", "scope"),
                    f"data-driven weights with scope 'children' need indicator children, "
                    f"but {child.get('id')!r} is a group",
                    "use scope: indicators to derive weights from all indicators below",
                )
                break


# --------------------------------------------------------------------------- columns
def _raw_field_names(data: Mapping[str, Any]) -> Iterator[LocatedProblem]:
    for index, field in enumerate(_seq(data.get("raw_fields"))):
        field_id = _map(field).get("id")
        if field_id in FUNCTIONS:
            yield (
                ("raw_fields", index, "id"),
                f"raw field id {field_id!r} is the name of a formula function",
                "choose another id",
            )


def _formula_names(
    node: Mapping[Any, Any], path: KeyPath, raw: Mapping[str, object]
) -> Iterator[LocatedProblem]:
    """Every name in a formula must be a declared raw field."""
    if declares_group(node):
        for index, child in enumerate(_seq(node.get("children"))):
            if isinstance(child, Mapping):
                yield from _formula_names(child, (*path, "children", index), raw)
        return
    formula = node.get("formula")
    if isinstance(node.get("checklist"), Mapping):
        return  # its steps are checked by _checklist_steps
    if isinstance(formula, str) and not formula_problems(formula):
        for reason, fix in formula_problems(formula, raw):
            yield ((*path, "formula"), reason, fix)


def _raw_units(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Each declared raw field's unit code (None where the unit is malformed)."""
    units: dict[str, str | None] = {}
    for field in _seq(data.get("raw_fields")):
        field_id, unit = _map(field).get("id"), _map(field).get("unit")
        code = unit.get("code") if isinstance(unit, Mapping) else unit
        if isinstance(field_id, str):
            units[field_id] = find_unit(code) if isinstance(code, str) else None
    return units


def _checklist_steps(
    node: Mapping[Any, Any], path: KeyPath, units: Mapping[str, str | None]
) -> Iterator[LocatedProblem]:
    """Every step of a checklist is a declared yes/no raw field."""
    if declares_group(node):
        for index, child in enumerate(_seq(node.get("children"))):
            if isinstance(child, Mapping):
                yield from _checklist_steps(child, (*path, "children", index), units)
        return
    for index, step in enumerate(_seq(_map(node.get("checklist")).get("steps"))):
        if not isinstance(step, str):
            continue
        where = (*path, "checklist", "steps", index)
        if step not in units:
            yield (
                where,
                f"step {step!r} is not a declared raw field",
                suggest(step, list(units)) or "declare it under raw_fields with unit: yes/no",
            )
        elif units[step] not in (None, "yes/no"):
            yield (
                where,
                f"step {step!r} is recorded as {units[step]!r}, not yes/no",
                "give the step's raw field unit: yes/no (是/否)",
            )


def _columns(
    data: Mapping[str, Any], seen: Mapping[str, KeyPath]
) -> Iterator[tuple[str, KeyPath, list[tuple[KeyPath, str]]]]:
    """Every column a system declares: (id, path, [(key path, header that names it)])."""

    def headers(path: KeyPath, item: Mapping[Any, Any]) -> list[tuple[KeyPath, str]]:
        out: list[tuple[KeyPath, str]] = [((*path, "id"), str(item.get("id")))]
        name = _map(item.get("name"))
        out += [((*path, "name", k), v) for k, v in name.items() if isinstance(v, str)]
        aliases = item.get("aliases")
        aliases = [aliases] if isinstance(aliases, str) else _seq(aliases)
        out += [((*path, "aliases", k), a) for k, a in enumerate(aliases) if isinstance(a, str)]
        return out

    def node_at(path: KeyPath) -> Mapping[Any, Any]:
        node: Any = data
        for key in path:
            node = node[key] if isinstance(node, Mapping) else _seq(node)[int(key)]
        return _map(node)

    for node_id, path in seen.items():
        node = node_at(path)
        if not declares_group(node):
            yield node_id, path, headers(path, node)
    for key in ("raw_fields", "context"):
        for index, item in enumerate(_seq(data.get(key))):
            if isinstance(_map(item).get("id"), str):
                yield item["id"], (key, index), headers((key, index), item)


def _clashes(data: Mapping[str, Any], seen: Mapping[str, KeyPath]) -> Iterator[LocatedProblem]:
    """A header (id, name or alias) that would name two columns, or a unit word, is refused."""
    owner: dict[str, tuple[str, KeyPath]] = {}
    for column, _, headers in _columns(data, seen):
        mine: set[str] = set()
        for path, header in headers:
            key = normal_form(header)
            if key in mine:
                continue
            mine.add(key)
            if key in owner and owner[key][0] != column:
                other, other_path = owner[key]
                if path[-2:-1] == ("aliases",) or other_path[-2:-1] == ("aliases",):
                    yield (
                        path,
                        f"header {header!r} would name both {column!r} and {other!r} "
                        f"(at {dotted(other_path)})",
                        "give each column its own names and aliases",
                    )
                continue
            owner.setdefault(key, (column, path))
            if path[-2:-1] == ("aliases",) and find_unit(header) is not None:
                yield (path, f"alias {header!r} is a unit", "choose a header that names the column")
