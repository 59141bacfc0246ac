"""A result as a JSON document: its schema, its limits, its digest, writing it and reading it back.

:meth:`EvaluationResult.to_json <renoscore.EvaluationResult.to_json>` writes one JSON object
(``format: renoscore.EvaluationResult/1``) with a ``digest`` of its content;
:func:`parse_result_json` and :func:`validated_document` read it back, and
:func:`renoscore.result._consistency.result_fields` adds every check of consistency:

* **limits**: the text is at most ``max_bytes`` long and nested at most ``max_depth`` levels
  (a document of 100,000 brackets is refused with its line, not a ``RecursionError``);
* **schema** (:class:`ResultDocument`, pydantic): the keys renoscore writes and no others,
  text where there is text, and matrices of numbers (or of whole numbers, or of booleans)
  with one row per community;
* **consistency** (:mod:`renoscore.result._consistency`): shapes against the system, phases
  and ids, scores, coverage, ranks from the scores, grades from the bands, the data digest and
  the content digest.

Every failure is one :class:`~renoscore.errors.ResultError` listing each problem with its
place (file, line for JSON syntax, key path such as ``ranks[3][0]``, row, community, column).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.errors import ResultError
>>> try:
...     validated_document(parse_result_json("[]", None))
... except ResultError as exc:
...     print(exc.problems[0].reason)
the document is a list, not a renoscore result
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
)

from renoscore._calling import argument
from renoscore._format import nested_lists
from renoscore._validation import located_error, problems_from_validation
from renoscore._yaml import Located, dotted
from renoscore.errors import Problem, RenoscoreError, ResultError
from renoscore.result.provenance import Provenance
from renoscore.system import IndicatorSystem, load_system

if TYPE_CHECKING:
    from renoscore.result.model import EvaluationResult

__all__ = [
    "FLOAT_MATRICES",
    "MAX_RESULT_BYTES",
    "MAX_RESULT_DEPTH",
    "RESULT_FORMAT",
    "ResultDocument",
    "ResultLimits",
    "content_digest",
    "in_file",
    "parse_result_json",
    "result_document",
    "validated_document",
]

#: The format key of a result document.
RESULT_FORMAT = "renoscore.EvaluationResult/1"
#: Largest result text read by default (as for a CSV file).
MAX_RESULT_BYTES = 2_000_000_000
#: Deepest nesting read by default (as for a YAML file).
MAX_RESULT_DEPTH = 200
#: The matrices of numbers, one row per community, in digest order.
FLOAT_MATRICES = ("indicator_scores", "group_scores", "coverage", "ranks", "values")
_INT_MATRICES = ("grades", "status")
_SMALL_KEYS = (
    "format",
    "system",
    "provenance",
    "ids",
    "phases",
    "reasons",
    "warnings",
    "context",
)
_REWRITE = "write the result again from the evaluation (write_result or result.to_json())"


@dataclass(frozen=True)
class ResultLimits:
    """Bounds on a result document: its length and how deep its values nest."""

    max_bytes: int = MAX_RESULT_BYTES
    max_depth: int = MAX_RESULT_DEPTH


# ----------------------------------------------------------------------------- schema
def _matrix(kinds: frozenset[type], dtype: type, what: str) -> Callable[[Any], NDArray[Any]]:
    """A validator of a list of equally long rows of ``kinds``, returning a 2-D array."""

    def validate(value: Any) -> NDArray[Any]:
        if not isinstance(value, list):
            raise located_error("result_matrix", [((), f"expected a list of rows of {what}", None)])
        width = len(value[0]) if value and isinstance(value[0], list) else 0
        for r, row in enumerate(value):
            if type(row) is not list:
                raise located_error("result_matrix", [((r,), "expected a row (a list)", None)])
            if len(row) != width:
                reason = f"row of {len(row)} values; the first row has {width}"
                raise located_error("result_matrix", [((r,), reason, None)])
            if not set(map(type, row)) <= kinds:
                j = next(j for j, v in enumerate(row) if type(v) not in kinds)
                reason = f"expected {what}, found {type(row[j]).__name__} {row[j]!r:.40}"
                raise located_error("result_matrix", [((r, j), reason, None)])
        try:
            arr: NDArray[Any] = np.array(value, dtype=dtype).reshape(len(value), width)
        except OverflowError:
            r, j = _too_large(value, dtype)
            raise located_error("result_matrix", [((r, j), "a number too large", None)]) from None
        if arr.dtype.kind == "f" and not np.isfinite(arr[~np.isnan(arr)]).all():
            r, j = np.argwhere(np.isinf(arr))[0].tolist()
            raise located_error("result_matrix", [((r, j), "an infinite number", None)])
        return arr

    return validate


def _too_large(rows: list[list[Any]], dtype: type) -> tuple[int, int]:
    """The first cell whose number does not fit ``dtype``."""
    for r, row in enumerate(rows):
        for j, v in enumerate(row):
            try:
                np.array([v], dtype=dtype)
            except OverflowError:
                return r, j
    return 0, 0  # pragma: no cover - called after numpy overflowed on one of them


_NUMBERS: frozenset[type] = frozenset({float, int, type(None)})
FloatMatrix = Annotated[Any, BeforeValidator(_matrix(_NUMBERS, np.float64, "numbers or null"))]
IntMatrix = Annotated[Any, BeforeValidator(_matrix(frozenset({int}), np.int64, "whole numbers"))]
BoolMatrix = Annotated[Any, BeforeValidator(_matrix(frozenset({bool}), np.bool_, "true or false"))]
_float_matrix = _matrix(_NUMBERS, np.float64, "numbers or null")
#: A matrix that a result may leave out (null): the applicable shares of its groups.
OptionalFloatMatrix = Annotated[
    Any, BeforeValidator(lambda value: None if value is None else _float_matrix(value))
]


def _context_cell(value: Any) -> Any:
    """A context cell as renoscore writes it: text, a finite number, true/false or null."""
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is float and math.isfinite(value):
        return value
    raise located_error(
        "result_context",
        [
            (
                (),
                f"a context cell is text, a finite number, true/false or null, not {value!r:.40}",
                None,
            )
        ],
    )


ContextCell = Annotated[Any, BeforeValidator(_context_cell)]


class ResultDocument(BaseModel):
    """The layout of a result document, as :meth:`EvaluationResult.to_dict` writes it.

    ``system`` and ``provenance`` are checked by their own models; the matrices are read
    into arrays (NaN for null) with their place on the first bad value.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, arbitrary_types_allowed=True, allow_inf_nan=False
    )

    format: Literal["renoscore.EvaluationResult/1"]
    system: dict[str, Any]
    provenance: dict[str, Any]
    ids: list[StrictStr]
    phases: list[StrictStr | None]
    indicator_scores: FloatMatrix
    group_scores: FloatMatrix
    coverage: FloatMatrix
    ranks: FloatMatrix
    grades: IntMatrix
    values: FloatMatrix
    status: IntMatrix
    imputed: BoolMatrix
    reasons: list[StrictStr | None]
    warnings: list[StrictStr]
    context: dict[StrictStr, list[ContextCell]] = Field(default_factory=dict)
    applicable: OptionalFloatMatrix = None
    digest: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$")


# ----------------------------------------------------------------------------- digest
def content_digest(doc: Mapping[str, Any], arrays: Mapping[str, NDArray[Any]]) -> str:
    """``sha256:`` of a result's content: its small parts as canonical JSON, then its arrays.

    The arrays are hashed as little-endian bytes (NaN in one canonical form), so the digest
    written from the arrays in memory equals the one computed from the arrays read back.
    It shows that a file is as written; it does not say who wrote it.
    """
    h = hashlib.sha256()
    small = {k: doc.get(k) for k in _SMALL_KEYS}
    head = json.dumps(small, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    h.update(head.encode("utf-8"))
    for name in (*FLOAT_MATRICES, *_INT_MATRICES, "imputed"):
        a = np.asarray(arrays[name])
        if name in FLOAT_MATRICES:
            canonical = np.where(np.isnan(a), np.nan, a).astype("<f8")
        elif name == "imputed":
            canonical = a.astype(np.uint8)
        else:
            canonical = a.astype("<i8")
        h.update(f"\x1e{name}{canonical.shape}".encode())
        h.update(np.ascontiguousarray(canonical).data)
    applicable = arrays.get("applicable")
    if applicable is not None:
        # Hashed only where written, so that a result without shares keeps its digest.
        shares = np.asarray(applicable, dtype=np.float64)
        h.update(f"\x1eapplicable{shares.shape}".encode())
        h.update(
            np.ascontiguousarray(np.where(np.isnan(shares), np.nan, shares)).astype("<f8").data
        )
    return "sha256:" + h.hexdigest()


# ----------------------------------------------------------------------------- writing
def result_document(result: EvaluationResult) -> dict[str, Any]:
    """The document of a result (:meth:`EvaluationResult.to_dict`): plain data, NaN as None,
    with the digest of its content last."""
    doc: dict[str, Any] = {
        "format": RESULT_FORMAT,
        "system": result.system.to_dict(),
        "provenance": result.full_provenance().model_dump(mode="json"),
        "ids": list(result.ids),
        "phases": list(result.phases),
        "indicator_scores": nested_lists(result.indicator_scores),
        "group_scores": nested_lists(result.group_scores),
        "coverage": nested_lists(result.coverage),
        "ranks": nested_lists(result.ranks),
        "grades": result.grades.tolist(),
        "values": nested_lists(result.values),
        "status": result.status.tolist(),
        "imputed": result.imputed.tolist(),
        "reasons": list(result.reasons),
        "warnings": list(result.warnings),
        "context": {k: list(v) for k, v in result.context.items()},
        "applicable": None if result.applicable is None else nested_lists(result.applicable),
    }
    arrays = {
        k: getattr(result, k) for k in (*FLOAT_MATRICES, *_INT_MATRICES, "imputed", "applicable")
    }
    doc["digest"] = content_digest(doc, arrays)
    return doc


# ----------------------------------------------------------------------------- parsing
def parse_result_json(
    text: str | bytes, file: str | None, limits: ResultLimits | None = None
) -> Any:
    """The JSON value of a result text, within the limits; a :class:`ResultError` otherwise."""
    limits = limits or ResultLimits()
    if len(text) > limits.max_bytes:
        raise ResultError(
            "the result is too large",
            [
                Problem(
                    f"{len(text)} bytes exceeds the limit of {limits.max_bytes}",
                    file=file,
                    fix=f"use {argument('max_bytes', len(text))} (or more) to read it",
                )
            ],
        )
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problem = Problem("not UTF-8 text", file=file, line=line, fix=_REWRITE)
            raise ResultError("the result is not a JSON text", [problem]) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} (column {exc.colno})"
        problem = Problem(reason, file=file, line=exc.lineno, fix=_REWRITE)
    except RecursionError:
        reason = f"values nested deeper than {limits.max_depth} levels"
        problem = Problem(reason, file=file, line=_deep_line(text, limits.max_depth), fix=_REWRITE)
    except ValueError as exc:  # NaN or Infinity, or a whole number of thousands of digits
        reason = str(exc)
        if "integer string conversion" in reason:
            reason = "a whole number too long to read (more than 4,300 digits)"
        problem = Problem(reason, file=file, fix=_REWRITE)
    raise ResultError("the result is not a JSON text renoscore wrote", [problem])


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (renoscore writes null for a missing value)")


def _deep_line(text: str, max_depth: int) -> int | None:
    """The line where nesting first goes deeper than ``max_depth`` (strings skipped)."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return None


def _depth_problem(value: Any, path: tuple[str | int, ...], max_depth: int) -> Problem | None:
    """The first place where ``value`` nests deeper than ``max_depth`` (iteratively)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if len(where) > max_depth:
            return Problem(
                f"values nested deeper than {max_depth} levels", path=dotted(where), fix=_REWRITE
            )
        if isinstance(item, dict):
            stack.extend((v, (*where, str(k))) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, (*where, k)) for k, v in enumerate(item))
    return None


# ----------------------------------------------------------------------------- building
def validated_document(
    doc: Any, file: str | None = None, limits: ResultLimits | None = None
) -> tuple[ResultDocument, IndicatorSystem, Provenance]:
    """The document against its format, depth and schema, with its system and provenance.

    Raises
    ------
    ResultError
        Listing every problem with its place.
    """
    limits = limits or ResultLimits()
    parsed = _validated(doc, file, limits)
    system, provenance = _models(parsed, file)
    return parsed, system, provenance


def _validated(doc: Any, file: str | None, limits: ResultLimits) -> ResultDocument:
    """The document against its format, depth and schema."""
    if not isinstance(doc, dict):
        kind = "null" if doc is None else f"a {type(doc).__name__}"
        problem = Problem(
            f"the document is {kind}, not a renoscore result", file=file, fix=_REWRITE
        )
        raise ResultError("not a renoscore result", [problem])
    fmt = doc.get("format")
    if fmt != RESULT_FORMAT:
        if isinstance(fmt, str) and fmt.startswith("renoscore.EvaluationResult/"):
            reason = f"written in format {fmt!r}; this renoscore reads {RESULT_FORMAT!r}"
            fix = "read it with the renoscore version that wrote it, or upgrade"
        else:
            reason, fix = f"no 'format: {RESULT_FORMAT}' key", _REWRITE
        raise ResultError("not a renoscore result", [Problem(reason, file=file, fix=fix)])
    deep = [
        p
        for key, value in doc.items()
        if key not in (*FLOAT_MATRICES, *_INT_MATRICES, "imputed")
        and (p := _depth_problem(value, (str(key),), limits.max_depth)) is not None
    ]
    if deep:
        raise ResultError("the result nests too deep", [in_file(p, file) for p in deep])
    try:
        return ResultDocument.model_validate(doc)
    except ValidationError as exc:
        problems = problems_from_validation(exc, Located(data=doc, file=file), ResultDocument)
        raise ResultError(
            "the result does not have the layout renoscore writes", problems
        ) from None


def _models(parsed: ResultDocument, file: str | None) -> tuple[IndicatorSystem, Provenance]:
    """The system and the provenance, each validated by its own model."""
    problems: list[Problem] = []
    system: IndicatorSystem | None = None
    provenance: Provenance | None = None
    try:
        system = load_system(parsed.system)
    except RenoscoreError as exc:
        problems += [_under("system", p, file) for p in exc.problems]
    try:
        provenance = Provenance.model_validate(parsed.provenance)
    except ValidationError as exc:
        located = Located(data=parsed.provenance, file=file)
        problems += [
            _under("provenance", p, file)
            for p in problems_from_validation(exc, located, Provenance)
        ]
    except RenoscoreError as exc:
        problems += [_under("provenance", p, file) for p in exc.problems]
    if problems or system is None or provenance is None:
        raise ResultError("the result's system or provenance is invalid", problems)
    return system, provenance


def _under(prefix: str, problem: Problem, file: str | None) -> Problem:
    path = f"{prefix}.{problem.path}" if problem.path else prefix
    return in_file(dataclasses.replace(problem, path=path), file)


def in_file(problem: Problem, file: str | None) -> Problem:
    """``problem`` in ``file`` (a line in the document is not a line of the file)."""
    if file is None or problem.file == file:
        return problem
    return dataclasses.replace(problem, file=file, line=None)
