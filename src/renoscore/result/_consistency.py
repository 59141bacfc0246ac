"""Whether a result read back holds together: the checks behind ``EvaluationResult.from_json``.

A result document that passed its schema (:class:`renoscore.result._file.ResultDocument`) is
checked against its system and against itself, and every problem is returned with its place:

* shapes: one row per community in every matrix, one column per indicator or group;
* the provenance names this system and version, its weights fit the system's tree and its
  scoring options are valid;
* ids are not empty, not repeated within a phase, and no two differ only by case, width,
  invisible characters or a byte-order mark; phases are the system's (or none at all);
* cells: status codes known, values finite where observed and absent elsewhere, imputed cells
  only where a value was missing;
* scores lie in [0, 100] and coverage in [0, 1]; goalpost indicator scores follow from the
  values; every rank follows from the scores (the recorded tie rule), every grade from its
  band; a row without an overall score has a reason and a row with one has none;
* the data digest of the values, ids and phases, and the digest of the whole content, are
  those recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore import normalize, ranking
from renoscore.data import CellStatus, data_digest
from renoscore.data.checks import lookalike_problems, repeated_rows
from renoscore.errors import Problem, RenoscoreError, ResultError
from renoscore.result._file import (
    ResultDocument,
    ResultLimits,
    content_digest,
    in_file,
    validated_document,
)
from renoscore.result.phase_ranks import rank_within_phase
from renoscore.result.provenance import Provenance
from renoscore.system import IndicatorSystem

__all__ = ["consistency_problems", "result_fields"]

#: Problems listed per check; the rest are counted in one more.
_LISTED = 20
#: Rounding allowed on the 0-100 scale and on coverage.
_TOL = 1e-9
_CHANGED = "the file was changed after it was written: write it again from the evaluation"
_NO_DIGEST = (
    "ResultNote: the file has no content digest (written before renoscore recorded one): "
    "its ranks, grades, ids, phases and input values were checked, its other scores were not"
)


def result_fields(
    doc: Any, file: str | None = None, limits: ResultLimits | None = None
) -> dict[str, Any]:
    """The fields of an :class:`~renoscore.EvaluationResult` from its JSON value, after the
    schema (:func:`~renoscore.result._file.validated_document`) and every check here.

    Raises
    ------
    ResultError
        Listing every problem with its place.
    """
    parsed, system, provenance = validated_document(doc, file, limits)
    problems = consistency_problems(parsed, system, provenance)
    if problems:
        raise ResultError("the result does not hold together", [in_file(p, file) for p in problems])
    n = len(parsed.ids)
    notes = () if parsed.digest is not None else (_NO_DIGEST,)
    return {
        "system": system,
        "ids": tuple(parsed.ids),
        "phases": tuple(parsed.phases),
        "indicator_scores": parsed.indicator_scores,
        "group_scores": parsed.group_scores,
        "coverage": parsed.coverage,
        "overall_rank": parsed.ranks[:, 0].copy() if n else np.empty(0),
        "grades": parsed.grades,
        "values": parsed.values,
        "status": parsed.status.astype(np.int8),
        "imputed": parsed.imputed,
        "reasons": tuple(parsed.reasons),
        "warnings": (*parsed.warnings, *notes),
        "provenance": provenance,
        "context": {k: tuple(v) for k, v in parsed.context.items()},
        "applicable": parsed.applicable,
    }


def consistency_problems(
    doc: ResultDocument, system: IndicatorSystem, provenance: Provenance
) -> list[Problem]:
    """Every way in which ``doc`` does not hold together (empty when it does)."""
    problems = _shape_problems(doc, system)
    if problems:
        return problems  # nothing else can be located in matrices of the wrong shape
    checks: list[Callable[[], list[Problem]]] = [
        lambda: _digest_problems(doc, provenance, system),
        lambda: _provenance_problems(provenance, system),
        lambda: _key_problems(doc, system),
        lambda: _cell_problems(doc, system),
        lambda: _range_problems(doc, system),
        lambda: _score_problems(doc, system, provenance),
        lambda: _rank_and_grade_problems(doc, system, provenance),
    ]
    for check in checks:
        problems += check()
    return problems


def _where(
    doc: ResultDocument, r: int, column: str | None = None, path: str = ""
) -> dict[str, Any]:
    return {
        "row": r + 1,
        "community_id": doc.ids[r],
        "column": column,
        "path": path or None,
    }


def _capped(problems: list[Problem], what: str) -> list[Problem]:
    if len(problems) <= _LISTED:
        return problems
    more = len(problems) - _LISTED
    return [*problems[:_LISTED], Problem(f"... and {more} more {what}", fix=_CHANGED)]


# ----------------------------------------------------------------------------- shapes
def _shape_problems(doc: ResultDocument, system: IndicatorSystem) -> list[Problem]:
    n, m, k = len(doc.ids), len(system.indicators), len(system.groups)
    per = {
        "indicator": (m, f"one per indicator of system {system.id!r}"),
        "group": (k, f"one per group of system {system.id!r}, the goal first"),
    }
    expected = {
        "indicator_scores": per["indicator"],
        "group_scores": per["group"],
        "coverage": per["group"],
        "ranks": per["group"],
        "grades": per["group"],
        "values": per["indicator"],
        "status": per["indicator"],
        "imputed": per["indicator"],
    }
    if doc.applicable is not None:
        expected["applicable"] = per["group"]
    problems: list[Problem] = []
    for key, (cols, meaning) in expected.items():
        rows, width = getattr(doc, key).shape
        if rows != n or (n and width != cols):
            problems.append(
                Problem(
                    f"{rows} rows of {width} values; expected {n} rows (one per community) "
                    f"of {cols} ({meaning})",
                    path=key,
                    fix=_CHANGED,
                )
            )
    for key in ("phases", "reasons"):
        if len(getattr(doc, key)) != n:
            problems.append(
                Problem(
                    f"{len(getattr(doc, key))} entries for {n} communities", path=key, fix=_CHANGED
                )
            )
    for name, column in doc.context.items():
        if len(column) != n:
            problems.append(
                Problem(
                    f"{len(column)} cells for {n} communities", path=f"context.{name}", fix=_CHANGED
                )
            )
    return problems


# ----------------------------------------------------------------------------- provenance, digests
def _digest_problems(
    doc: ResultDocument, provenance: Provenance, system: IndicatorSystem
) -> list[Problem]:
    problems: list[Problem] = []
    if doc.digest is not None:
        small = {k: getattr(doc, k) for k in ("format", "system", "provenance", "ids", "phases")}
        small.update(reasons=doc.reasons, warnings=doc.warnings, context=doc.context)
        arrays = {
            k: getattr(doc, k)
            for k in (
                "indicator_scores",
                "group_scores",
                "coverage",
                "ranks",
                "values",
                "grades",
                "status",
                "imputed",
                "applicable",
            )
        }
        if content_digest(small, arrays) != doc.digest:
            problems.append(
                Problem("the content does not match its digest", path="digest", fix=_CHANGED)
            )
    if provenance.data_digest is not None:
        found = data_digest(
            system.indicator_ids, doc.ids, doc.phases, doc.values, doc.status.astype(np.int8)
        )
        if found != provenance.data_digest:
            problems.append(
                Problem(
                    "the ids, phases or values are not those the result was scored from "
                    "(their digest differs from provenance.data_digest)",
                    path="provenance.data_digest",
                    fix=_CHANGED,
                )
            )
    return problems


def _provenance_problems(provenance: Provenance, system: IndicatorSystem) -> list[Problem]:
    problems: list[Problem] = []
    for key, recorded, actual in (
        ("system_id", provenance.system_id, system.id),
        ("system_version", provenance.system_version, system.version),
    ):
        if recorded != actual:
            problems.append(
                Problem(
                    f"provenance names {recorded!r}, the result's system is {actual!r}",
                    path=f"provenance.{key}",
                    fix=_CHANGED,
                )
            )
    for check, prefix in (
        (lambda: provenance.weights.check(system), "provenance.weights"),
        (lambda: provenance.options, "provenance"),
    ):
        try:
            check()
        except RenoscoreError as exc:
            problems += [
                Problem(
                    p.reason,
                    fix=p.fix,
                    path=f"{prefix}.{p.path}" if p.path else prefix,
                    value=p.value,
                )
                for p in exc.problems
            ]
    return problems


# ----------------------------------------------------------------------------- ids and phases
def _key_problems(doc: ResultDocument, system: IndicatorSystem) -> list[Problem]:
    ids = np.array(doc.ids, dtype=str)
    empty = np.char.strip(ids) == "" if ids.size else np.zeros(0, dtype=bool)

    def where(r: int) -> dict[str, Any]:
        return {"row": r + 1, "path": f"ids[{r}]"}

    problems = [
        Problem("empty community id", fix=_CHANGED, **where(r))
        for r in np.flatnonzero(empty).tolist()
    ]
    declared = set(system.phase_ids)
    unknown = [r for r, p in enumerate(doc.phases) if p is not None and p not in declared]
    problems += _capped(
        [
            Problem(
                f"unknown phase {doc.phases[r]!r}",
                fix=f"the system {system.id!r} has phases {list(system.phase_ids)}",
                **_where(doc, r, path=f"phases[{r}]"),
            )
            for r in unknown
        ],
        "rows with an unknown phase",
    )
    if len({p is None for p in doc.phases}) > 1:
        problems.append(
            Problem("some rows have a phase and some have none", path="phases", fix=_CHANGED)
        )
    codes = {p: c for c, p in enumerate(dict.fromkeys(doc.phases))}
    phase_codes = np.array([codes[p] for p in doc.phases], dtype=np.intp)
    problems += _capped(
        [
            Problem(
                f"community {doc.ids[r]!r} appears twice in phase {doc.phases[r]!r} "
                f"(first at row {first + 1})",
                fix=_CHANGED,
                **_where(doc, r, path=f"ids[{r}]"),
            )
            for r, first in repeated_rows(ids, phase_codes, empty)
        ],
        "repeated rows",
    )
    problems += _capped(lookalike_problems(ids, "community_id", where, empty), "look-alike ids")
    return problems


# ----------------------------------------------------------------------------- cells
def _cell_problems(doc: ResultDocument, system: IndicatorSystem) -> list[Problem]:
    status, values, imputed = doc.status, doc.values, doc.imputed
    known = np.isin(status, [int(s) for s in CellStatus])
    ok = status == CellStatus.OK
    rules: list[tuple[NDArray[np.bool_], str, str]] = [
        (~known, "status", "an unknown cell status (0 observed, 1 missing, 2 not applicable)"),
        (known & ok & np.isnan(values), "values", "an observed cell without a value"),
        (known & ~ok & ~np.isnan(values), "values", "a value in a cell that is missing or n/a"),
        (imputed & (status != CellStatus.MISSING), "imputed", "imputed, but not a missing cell"),
    ]
    problems: list[Problem] = []
    for bad, key, reason in rules:
        cells = getattr(doc, key)
        problems += _located_cells(doc, bad, key, system.indicator_ids, reason, _at(cells))
    return problems


def _at(cells: NDArray[Any]) -> Callable[[int, int], Any]:
    """The value of a cell, as plain data."""
    return lambda r, j: _plain(cells[r, j])


def _plain(value: Any) -> Any:
    item = value.item() if hasattr(value, "item") else value
    return None if isinstance(item, float) and np.isnan(item) else item


def _range_problems(doc: ResultDocument, system: IndicatorSystem) -> list[Problem]:
    problems: list[Problem] = []
    names = {
        "indicator_scores": system.indicator_ids,
        "group_scores": tuple(g.id for g in system.groups),
        "coverage": tuple(g.id for g in system.groups),
        "applicable": tuple(g.id for g in system.groups),
    }
    bounded = [("indicator_scores", 100.0), ("group_scores", 100.0), ("coverage", 1.0)]
    if doc.applicable is not None:
        bounded.append(("applicable", 1.0))
    for key, high in bounded:
        a = getattr(doc, key)
        with np.errstate(invalid="ignore"):
            bad = (a < -_TOL) | (a > high + _TOL)
        problems += _located_cells(doc, bad, key, names[key], f"outside [0, {high:g}]", _at(a))
    return problems


def _located_cells(
    doc: ResultDocument,
    bad: NDArray[np.bool_],
    key: str,
    columns: tuple[str, ...],
    reason: str,
    value: Callable[[int, int], Any],
) -> list[Problem]:
    cells = np.argwhere(bad)
    listed = [
        Problem(
            reason,
            value=value(r, j),
            fix=_CHANGED,
            **_where(doc, r, columns[j], f"{key}[{r}][{j}]"),
        )
        for r, j in cells[:_LISTED].tolist()
    ]
    if cells.shape[0] > _LISTED:
        listed.append(Problem(f"... and {cells.shape[0] - _LISTED} more cells of {key} {reason}"))
    return listed


# ----------------------------------------------------------------------------- scores, ranks, grades
def _score_problems(
    doc: ResultDocument, system: IndicatorSystem, provenance: Provenance
) -> list[Problem]:
    observed = (doc.status == CellStatus.OK) & ~doc.imputed
    stored = doc.indicator_scores
    problems = _located_cells(
        doc,
        ~observed & ~doc.imputed & ~np.isnan(stored),
        "indicator_scores",
        system.indicator_ids,
        "a score for a cell that has no value",
        _at(stored),
    )
    if provenance.normalization == "goalposts":
        floor, target = system.goalpost_arrays()
        expected = 100.0 * normalize.goalposts(np.where(observed, doc.values, 0.0), floor, target)
        with np.errstate(invalid="ignore"):
            bad = observed & ~(np.abs(stored - expected) <= _TOL * 100)
        problems += _located_cells(
            doc,
            bad,
            "indicator_scores",
            system.indicator_ids,
            "does not follow from the value and the goalposts",
            lambda r, j: f"{_plain(stored[r, j])} (the value gives {expected[r, j]:.12g})",
        )
    overall = doc.group_scores[:, 0]
    no_reason = np.array([x is None for x in doc.reasons], dtype=bool)
    for bad, reason in (
        (np.isnan(overall) & no_reason, "no overall score and no reason why"),
        (~np.isnan(overall) & ~no_reason, "an overall score and a reason for having none"),
    ):
        problems += _capped(
            [
                Problem(reason, fix=_CHANGED, **_where(doc, r, path=f"reasons[{r}]"))
                for r in np.flatnonzero(bad).tolist()
            ],
            f"rows with {reason}",
        )
    return problems


def _rank_and_grade_problems(
    doc: ResultDocument, system: IndicatorSystem, provenance: Provenance
) -> list[Problem]:
    groups = tuple(g.id for g in system.groups)
    scores = doc.group_scores
    ranks = rank_within_phase(
        scores, list(doc.phases), provenance.tie_method, provenance.tie_tolerance
    )
    grades = ranking.grade(scores, system.grade_thresholds()[:-1])
    rank_bad = ~((ranks == doc.ranks) | (np.isnan(ranks) & np.isnan(doc.ranks)))
    grade_bad = grades != doc.grades
    problems = _located_cells(
        doc,
        rank_bad,
        "ranks",
        groups,
        f"does not follow from the scores ({provenance.tie_method} ranks within the phase)",
        lambda r, j: f"{_plain(doc.ranks[r, j])} (the scores give {_plain(ranks[r, j])})",
    )
    labels = [g.id for g in system.grades]

    def grade_text(g: int) -> str:
        return (
            "none"
            if g < 0
            else (labels[g] if g < len(labels) else f"band {g}, which does not exist")
        )

    problems += _located_cells(
        doc,
        grade_bad,
        "grades",
        groups,
        "is not the band of the score",
        lambda r, j: (
            f"{grade_text(int(doc.grades[r, j]))} (score {_plain(scores[r, j])} is in "
            f"{grade_text(int(grades[r, j]))})"
        ),
    )
    return problems
