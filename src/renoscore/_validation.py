"""Validation helpers shared by every model that is read from YAML or tables.

Pydantic reports a failed document as a list of errors with model locations and terse
messages. These helpers turn such errors into :class:`~renoscore.errors.Problem` records in
the words of a YAML author, each at the line of its own key, with a fix (a did-you-mean where
a name is close). They also hold the rules every declaration shares: the id grammar, the
largest accepted magnitude of a number, and the shape of a "used twice" id check.

Examples
--------
>>> from renoscore._validation import suggest
>>> suggest("unti", ["unit", "kind"])
"did you mean 'unit'?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from renoscore._format import plain_number
from renoscore._yaml import KeyPath, Located, dotted
from renoscore.errors import Problem, RenoscoreError

__all__ = [
    "ID_PATTERN",
    "ID_RE",
    "MAX_MAGNITUDE",
    "LocatedProblem",
    "describe_value",
    "located_error",
    "magnitude_problems",
    "not_a_mapping",
    "problem_at",
    "problems_at",
    "problems_from_validation",
    "register_tags",
    "repeated_ids",
    "short_repr",
    "suggest",
    "validate_document",
]

Model = TypeVar("Model", bound=BaseModel)

#: Ids are lower snake_case ASCII: a letter, then letters, digits and single underscores.
#: They appear in file names, column headers and URLs; names carry the prose (any script).
ID_PATTERN = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

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


#: Largest magnitude of any number in a system (and of any value in community data): the
#: difference of two such numbers, and every normalisation of one, stays finite in float64.
MAX_MAGNITUDE = 1e300


def magnitude_problems(values: Mapping[str, float | None]) -> list[LocatedProblem]:
    """A problem for each named number beyond :data:`MAX_MAGNITUDE` (None is open: no problem).

    Examples
    --------
    >>> [reason for _, reason, _ in magnitude_problems({"floor": 0, "target": 1e301})]
    ['target 1e+301 is beyond the largest accepted magnitude 1e300']
    """
    return [
        (
            (name,),
            f"{name} {plain_number(value)} is beyond the largest accepted magnitude 1e300",
            "express the quantity in a larger unit (e.g. thousands); numbers this large are "
            "not measurements, and differences of them would overflow",
        )
        for name, value in values.items()
        if value is not None and abs(value) > MAX_MAGNITUDE
    ]


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


def describe_value(value: Any) -> str:
    """What a value is, in a reader's words (``the number 3``, ``a list``, ``the text 'x'``).

    Examples
    --------
    >>> describe_value([1, 2]), describe_value(0.5), describe_value(None)
    ('a list', 'the number 0.5', 'nothing (null)')
    """
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
        if slug and ID_RE.match(slug) and slug != value:
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
        reason = f"expected a mapping (key: value lines), got {describe_value(value)}"
        fix = _mapping_fix(kind, model, loc, key)
    elif kind in ("tuple_type", "list_type", "set_type", "frozen_set_type"):
        reason = f"expected a list, got {describe_value(value)}"
        fix = "write a YAML list: one '- item' line per item, or [a, b, ...]"
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        whole = kind.startswith("int")
        reason = (
            f"expected {'a whole number' if whole else 'a number'}, got {describe_value(value)}"
        )
        fix = "write a plain number such as 3" if whole else "write a plain number such as 0.5"
    elif kind == "finite_number":
        reason = f"expected a finite number, got {value}"
        fix = "write a finite number (leave a range bound out for an open range)"
    elif kind == "string_type":
        reason = f"expected text, got {describe_value(value)}"
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
        reason, fix = _bound_reason(kind, ctx, key, value)
        value = None
    elif kind == "bool_type":
        fix = "write true or false"
    elif kind == "invalid_key":
        reason = f"key {short_repr(value)} is not text"
        fix = "keys are words such as ids; quote the key if it must be a number"
    return reason, fix, _shown_value(value, reason)


def _mapping_fix(kind: str, model: type[BaseModel], loc: tuple[Any, ...], key: str | None) -> str:
    """How to write the mapping expected at ``loc``: its required keys, where they are known."""
    target = _model_at(model, loc)
    if len(loc) >= 3 and loc[-1] in _TAG_MODELS and loc[-3] == "children":
        return (
            "each child is a mapping: an indicator (id, name, unit, kind, ...) or a group "
            "(id, name, children)"
        )
    if target is not None and kind != "dict_type":
        keys = [n for n, f in target.model_fields.items() if f.is_required()] or list(
            target.model_fields
        )
        shape = f"{{{', '.join(f'{k}: ...' for k in keys)}}}"
        item = loc and isinstance(loc[-1], int)
        if key is None:
            return f"write the document as {shape}"
        return f"write each item of {key} as {shape}" if item else f"write {key}: {shape}"
    return f"write {key or 'it'}: {{name: value, ...}}"


def _bound_reason(
    kind: str, ctx: Mapping[str, Any], key: str | None, value: Any
) -> tuple[str, str]:
    """``(reason, fix)`` for a number beyond a field's bound (``gt``, ``ge``, ``lt``, ``le``)."""
    words = {
        "greater_than": "greater than",
        "greater_than_equal": "at least",
        "less_than": "less than",
        "less_than_equal": "at most",
    }[kind]
    raw = next(iter(ctx.values()), "?")
    bound = plain_number(raw) if isinstance(raw, (int, float)) else str(raw)
    return (
        f"{key or 'the value'} must be {words} {bound}, got {value}",
        f"use a value {words} {bound}",
    )


def _shown_value(value: Any, reason: str) -> Any:
    """The value a problem quotes: None where the reason already says it or it is too big."""
    if isinstance(value, str) and repr(value) in reason:
        value = None  # already quoted in the reason
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        value = None  # described in the reason; thousands of digits help nobody
    if isinstance(value, str) and len(value) > 80:
        value = value[:77] + "..."
    if isinstance(value, (dict, list, tuple)):
        value = None
    return value


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
                entries.append(("located", full, problem_at(doc, full, reason, fix)))
            continue
        path = _data_path(doc.data, loc)
        reason, fix, value = _friendly(err, model, loc)
        entries.append((err["type"], path, problem_at(doc, path, reason, fix, value)))
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


def problem_at(
    doc: Located, path: KeyPath, reason: str, fix: str | None, value: object = None
) -> Problem:
    """A :class:`Problem` at the key ``path`` of ``doc``: its file, line and dotted path.

    Examples
    --------
    >>> str(problem_at(Located(data={}), ("goal", "id"), "not an id", "write an id"))
    'goal.id: not an id -> write an id'
    """
    return Problem(
        reason,
        fix=fix,
        file=doc.file,
        line=doc.line_of(path),
        path=dotted(path) or None,
        value=value,
    )


def problems_at(doc: Located, located: Iterable[LocatedProblem]) -> list[Problem]:
    """Each ``(path, reason, fix)`` as a :class:`Problem` at its place in ``doc``.

    A document without lines (a mapping or a model, not YAML text) gives problems with a key
    path but no line.

    Examples
    --------
    >>> [p.path for p in problems_at(Located(data={}), [(("id",), "bad", None)])]
    ['id']
    """
    return [problem_at(doc, path, reason, fix) for path, reason, fix in located]


def repeated_ids(
    ids: Iterable[object], field: str, noun: str, fix: str
) -> Iterator[LocatedProblem]:
    """A problem for each id that is used again in the list ``field`` of a document.

    ``ids`` are the ids of the list's items in order; an item without a text id is skipped
    (its own field errors say what is wrong with it).

    Examples
    --------
    >>> [reason for _, reason, _ in repeated_ids(["t0", "t1", "t0"], "phases", "phase", "")]
    ["phase id 't0' is used twice (also phases[0])"]
    """
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if not isinstance(value, str):
            continue
        if value in first:
            yield (
                (field, index, "id"),
                f"{noun} id {value!r} is used twice (also {field}[{first[value]}])",
                fix,
            )
        first.setdefault(value, index)


def validate_document(
    model: type[Model],
    doc: Located,
    error: type[RenoscoreError],
    what: str,
    rules: Callable[[Any], Iterable[LocatedProblem]] | None = None,
    rules_kind: str = "",
) -> Model:
    """The ``model`` of a document, or ``error`` listing every problem of it at once.

    Parameters
    ----------
    model : pydantic model class
        The model that validates the whole document.
    doc : Located
        The document with the line of every key.
    error : RenoscoreError subclass
        Raised as ``error("invalid <what> in <file>", problems)``.
    what : str
        The document's name in the message (``"panel"``).
    rules, rules_kind : callable and str, optional
        The model's cross-field rules on the raw document, and the error kind its
        after-validator raises them with. Pydantic runs that validator only when every field
        is valid; when a field failed first, ``rules`` run on the raw document instead, so that
        every problem is reported at once.

    Examples
    --------
    >>> from renoscore.errors import RenoscoreError
    >>> class Point(BaseModel):
    ...     x: float
    >>> validate_document(Point, Located(data={"x": "a"}), RenoscoreError, "point")
    Traceback (most recent call last):
    ...
    renoscore.errors.RenoscoreError: invalid point (1 problem)
      - x: expected a number, got the text 'a' -> write a plain number such as 0.5
    """
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, doc, model)
        if rules is not None and not any(e["type"] == rules_kind for e in exc.errors()):
            problems += problems_at(doc, rules(doc.data))
            problems.sort(key=lambda p: p.line or 0)
        where = f" in {doc.file}" if doc.file else ""
        raise error(f"invalid {what}{where}", problems) from None


def not_a_mapping(doc: Located, fix: str) -> Problem:
    """The problem of a document that is empty or not a mapping; ``fix`` says how it starts.

    Examples
    --------
    >>> str(not_a_mapping(Located(data=[1], file="a.yaml"), "start with 'id:'"))
    "a.yaml:1: the document is a list, not a mapping -> start with 'id:'"
    """
    got = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
    return Problem(f"the document is {got}, not a mapping", file=doc.file, line=1, fix=fix)
