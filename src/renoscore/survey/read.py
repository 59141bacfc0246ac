"""Reading a respondent table: one row per respondent, its key columns checked.

A *respondent table* has one row per respondent: the community id, the phase, a respondent id,
any covariates, and one column per questionnaire item (CSV, Excel, Parquet, a DataFrame, a
list of records or a mapping of columns, read like :func:`renoscore.load_data` reads community
data). :func:`read_responses` checks the key columns -- every respondent has a community, a
known phase and an id used once per community and phase -- and keeps the answer columns as
read; :func:`~renoscore.survey.score_survey` and :func:`~renoscore.survey.resident_ahp` parse
the ones they use. Every problem is listed in one :class:`SurveyDataError` with the row, line
and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import as_text
from renoscore._sources import read_source
from renoscore._tables import (
    DEFAULT_MAX_BYTES,
    Table,
    duplicate_columns,
    missing_id_column,
)
from renoscore._validation import suggest
from renoscore.data.checks import lookalike_problems
from renoscore.errors import DataValidationError, Problem, SurveyDataError
from renoscore.survey._stats import KEY_SEP, group_keys
from renoscore.system import IndicatorSystem, load_system

__all__ = ["SurveyResponses", "read_responses", "read_table", "table_error"]


@dataclass(frozen=True, eq=False)
class SurveyResponses:
    """A respondent table whose id, phase and respondent columns have been checked.

    The answer columns are kept as read; :func:`~renoscore.survey.score_survey` and
    :func:`~renoscore.survey.resident_ahp` parse the ones they use.

    Attributes
    ----------
    community_ids, phases, respondent_ids : tuple
        One entry per respondent (phase None when the table has no phase column; respondent id
        ``row <n>`` when it has no respondent column).
    columns : dict
        Every column of the file as an object array of cells.
    header : tuple of str
        The column names in file order.
    lines : tuple of int or None
        The file line of each respondent (CSV/Excel), for messages.
    source : str or None
        Where the table came from.
    id_column, phase_column, respondent_column : str or None
        The names of the key columns (None when absent).
    """

    community_ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    respondent_ids: tuple[str, ...]
    columns: dict[str, NDArray[Any]]
    header: tuple[str, ...]
    lines: tuple[int, ...] | None
    source: str | None
    id_column: str
    phase_column: str | None
    respondent_column: str | None

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.community_ids)

    def where(self, row: int) -> dict[str, Any]:
        """Location fields of a :class:`~renoscore.errors.Problem` for a 0-based row."""
        return {
            "file": self.source,
            "row": row + 1,
            "line": self.lines[row] if self.lines else None,
            "community_id": self.community_ids[row] or None,
        }

    def column_text(self, name: str) -> NDArray[np.str_]:
        """A column as stripped text ('' for empty cells)."""
        return as_text(np.asarray(self.columns[name], dtype=object))

    def keys(self) -> NDArray[np.str_]:
        """``community id`` + separator + ``phase`` of every respondent (the group key)."""
        return group_keys(self.community_ids, self.phases)

    def __repr__(self) -> str:
        groups = len(set(zip(self.community_ids, self.phases, strict=True)))
        return (
            f"SurveyResponses({self.n} respondents, {groups} community-phase groups, "
            f"{len(self.header)} columns{', ' + self.source if self.source else ''})"
        )


def read_responses(
    source: Any,
    system: IndicatorSystem | str | Path | None = None,
    *,
    id_column: str = "community_id",
    phase_column: str | None = "phase",
    respondent_column: str | None = "respondent_id",
    encoding: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SurveyResponses:
    """Read a respondent table and check its community, phase and respondent columns.

    Parameters
    ----------
    source : path, DataFrame, list of dict or mapping of columns
        The table, one row per respondent.
    system : IndicatorSystem, str or Path, optional
        When given, phases must be phases of this system.
    id_column, phase_column, respondent_column : str
        Names of the key columns; the phase and respondent columns are optional.
    encoding, sheet, max_bytes
        As for :func:`renoscore.load_data`.

    Returns
    -------
    SurveyResponses

    Raises
    ------
    SurveyDataError
        Listing every respondent without a community, empty or unknown phase, duplicated
        respondent id and duplicated column.

    Examples
    --------
    >>> r = read_responses({"community_id": ["LY", "LY"], "phase": ["t0", "t0"], "b1": [4, 5]})
    >>> r.n, r.respondent_ids
    (2, ('row 1', 'row 2'))
    """
    sys_obj = load_system(system) if system is not None else None
    responses, problems = read_table(
        source, sys_obj, id_column, phase_column, respondent_column, encoding, sheet, max_bytes
    )
    if problems:
        raise table_error(responses, problems)
    return responses


def table_error(responses: SurveyResponses, problems: list[Problem]) -> SurveyDataError:
    """The error listing the ``problems`` of a respondent table, titled with its file."""
    title = "the respondent table is invalid" + (
        f" in {responses.source}" if responses.source else ""
    )
    return SurveyDataError(title, problems)


def read_table(
    source: Any,
    system: IndicatorSystem | None,
    id_column: str,
    phase_column: str | None,
    respondent_column: str | None,
    encoding: str | None,
    sheet: str | int | None,
    max_bytes: int,
) -> tuple[SurveyResponses, list[Problem]]:
    """Read the table and check the key columns; return it with the problems found.

    The arguments are those of :func:`read_responses` (with ``system`` loaded). Only a table
    that cannot be read, or has no id column, raises; every other problem is returned, so
    that the caller can add its own before raising them all at once (:func:`table_error`).
    """
    if isinstance(source, SurveyResponses):
        return source, _phase_problems(source, system)
    table = _read_source(source, encoding, sheet, max_bytes)
    if id_column not in table.columns:
        raise SurveyDataError(
            "the respondent table has no community id column", [missing_id_column(table, id_column)]
        )
    problems = [*table.problems, *duplicate_columns(table)]
    responses = _responses(table, id_column, phase_column, respondent_column)
    if responses.n == 0:
        problems.append(Problem("the table has no respondents", file=table.source, fix="add rows"))
        return responses, problems
    problems += _empty_cells(
        responses,
        responses.community_ids,
        id_column,
        "respondent without a community",
        "give every respondent the id of their community",
    )
    ids = np.array(responses.community_ids, dtype=str)
    problems += lookalike_problems(ids, id_column, responses.where, ids == "")
    if responses.phase_column is not None:
        problems += _empty_cells(
            responses,
            responses.phases,
            responses.phase_column,
            "empty phase",
            "write the phase of the survey (e.g. t0)",
        )
        problems += _phase_problems(responses, system)
    if responses.respondent_column is not None:
        problems += _respondent_problems(responses)
    return responses, problems


def _read_source(
    source: Any, encoding: str | None, sheet: str | int | None, max_bytes: int
) -> Table:
    """The table of ``source``; reading errors name the respondent table."""
    try:
        return read_source(source, encoding, sheet, max_bytes)
    except DataValidationError as exc:
        raise SurveyDataError(
            exc.summary.replace("data", "respondent table", 1), exc.problems
        ) from None


def _responses(
    table: Table, id_column: str, phase_column: str | None, respondent_column: str | None
) -> SurveyResponses:
    """The table with its key columns as text (``row <n>`` ids without a respondent column)."""
    n = table.n
    lines = tuple(table.lines) if table.lines is not None else None
    ids_text = as_text(np.asarray(table.columns[id_column], dtype=object))
    ids = tuple(str(i) for i in ids_text.tolist())
    has_phase = phase_column is not None and phase_column in table.columns
    phases: tuple[str | None, ...] = (None,) * n
    if has_phase:
        assert phase_column is not None
        phase_text = as_text(np.asarray(table.columns[phase_column], dtype=object))
        phases = tuple(str(p) for p in phase_text.tolist())
    has_resp = respondent_column is not None and respondent_column in table.columns
    if has_resp:
        assert respondent_column is not None
        resp_text = as_text(np.asarray(table.columns[respondent_column], dtype=object))
        respondents = tuple(str(r) for r in resp_text.tolist())
    else:
        respondents = tuple(f"row {r + 1}" for r in range(n))
    return SurveyResponses(
        community_ids=ids,
        phases=phases,
        respondent_ids=respondents,
        columns=dict(table.columns),
        header=tuple(table.header),
        lines=lines,
        source=table.source,
        id_column=id_column,
        phase_column=phase_column if has_phase else None,
        respondent_column=respondent_column if has_resp else None,
    )


def _empty_cells(
    responses: SurveyResponses,
    cells: tuple[str | None, ...],
    column: str | None,
    reason: str,
    fix: str,
) -> list[Problem]:
    """A problem for every respondent whose key cell (as text) is empty."""
    empty = np.array(cells, dtype=str) == ""
    return [
        Problem(reason, column=column, fix=fix, **responses.where(r))
        for r in np.flatnonzero(empty).tolist()
    ]


def _respondent_problems(responses: SurveyResponses) -> list[Problem]:
    """Empty respondent ids, and ids used twice in one community and phase."""
    respondents = responses.respondent_ids
    problems = _empty_cells(
        responses,
        respondents,
        responses.respondent_column,
        "empty respondent id",
        "give every respondent an id (or drop the column)",
    )
    resp_arr = np.array(respondents, dtype=str)
    full = np.char.add(np.char.add(responses.keys(), KEY_SEP), resp_arr)
    _, first, inverse = np.unique(full, return_index=True, return_inverse=True)
    dup = (np.arange(responses.n) != first[inverse.reshape(-1)]) & (resp_arr != "")
    for r in np.flatnonzero(dup).tolist():
        first_row = int(first[inverse.reshape(-1)[r]])
        problems.append(
            Problem(
                f"respondent {respondents[r]!r} appears twice in this community and phase "
                f"(first at row {first_row + 1})",
                column=responses.respondent_column,
                fix="give each respondent one row per survey",
                **responses.where(r),
            )
        )
    return problems


def _phase_problems(responses: SurveyResponses, system: IndicatorSystem | None) -> list[Problem]:
    """Respondents whose phase is not a phase of ``system``."""
    if system is None or responses.phase_column is None or responses.n == 0:
        return []
    phase_arr = np.array(["" if p is None else p for p in responses.phases], dtype=str)
    declared = list(system.phase_ids)
    unknown = (phase_arr != "") & ~np.isin(phase_arr, declared)
    return [
        Problem(
            f"unknown phase {responses.phases[r]!r}",
            column=responses.phase_column,
            value=responses.phases[r],
            fix=suggest(str(responses.phases[r]), declared) or f"use one of {declared}",
            **responses.where(r),
        )
        for r in np.flatnonzero(unknown).tolist()
    ]
