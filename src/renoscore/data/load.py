"""Loading community data: any table, or an ``(N, M)`` array, validated against a system.

:func:`load_data` reads the source, checks its columns, its row keys and every cell, and
either returns :class:`~renoscore.data.CommunityData` exactly as written or raises one
:class:`~renoscore.errors.DataValidationError` listing every problem.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus, as_text, is_blank, parse_column
from renoscore._labels import PhaseCodes
from renoscore._tables import DEFAULT_MAX_BYTES, Problems, Table, read_source
from renoscore.data.checks import (
    Locator,
    cell_problems,
    check_keys,
    column_problems,
    id_type_problems,
    mark_not_measured,
    scan,
)
from renoscore.data.model import CommunityData
from renoscore.errors import DataValidationError, Problem
from renoscore.system import IndicatorSystem, default_system, load_system

__all__ = ["load_data"]


def load_data(
    source: Any,
    system: IndicatorSystem | str | Path | None = None,
    *,
    id_column: str = "community_id",
    phase_column: str | None = "phase",
    context: Sequence[str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ids: Any = None,
    phases: Any = None,
) -> CommunityData:
    """Read and validate community data against an indicator system.

    Parameters
    ----------
    source : path, DataFrame, list of dict, mapping of columns, or (N, M) array
        The table: one row per community and phase, one column per indicator (named by its
        id), an id column, an optional phase column, and any context columns. Or a numeric
        ``(N, M)`` array whose columns are the system's indicators in
        ``system.indicator_ids`` order, with ``ids=`` (and ``phases=``) beside it: the fast
        entry for data already in memory. The array is not copied: the data hold a
        read-only view of it (NaN cells are missing), so do not change it afterwards.
    system : IndicatorSystem, str or Path, optional
        The indicator system (default: :func:`~renoscore.default_system`).
    id_column : str
        Column holding the community id (kept as text, Chinese ids included).
    phase_column : str or None
        Column holding the phase id; None (or a table without it) means a single phase.
    context : sequence of str, optional
        Names of the context columns. When given, any other non-indicator column is an error;
        when not given, columns that look like a misspelled indicator id are errors and the
        rest are kept as context.
    encoding : str, optional
        Encoding of a CSV file; by default UTF-8 (with or without BOM), then GB18030.
    sheet : str or int, optional
        Excel sheet name or index (default: the first).
    max_bytes : int
        Largest file read.
    ids : sequence or array of str, optional
        With an ``(N, M)`` array source only: the community id of each row.
    phases : str, sequence or array of str, optional
        With an ``(N, M)`` array source only: the phase of each row, or one phase for all.

    Returns
    -------
    CommunityData

    Raises
    ------
    DataValidationError
        Listing every problem (row, community id, column, value, reason, fix): unknown or
        missing columns, non-numeric cells, NaN/inf text, values outside an indicator's
        range, non-integer ordinal or binary values, unknown phases, empty or duplicate
        ``(id, phase)``, an empty table.

    Examples
    --------
    >>> from renoscore.system import default_system
    >>> ids = default_system().indicator_ids
    >>> rows = [{"community_id": "LY", "phase": "t0", **{i: "" for i in ids}}]
    >>> data = load_data(rows)
    >>> data.counts()["missing"] > 0
    True

    An array in the system's indicator order, with the ids beside it:

    >>> import numpy as np
    >>> X = np.full((2, len(ids)), np.nan)
    >>> load_data(X, ids=["LY", "JS02"], phases="t0").phase_ids()
    ('t0',)
    """
    system = load_system(system) if system is not None else default_system()
    if isinstance(source, np.ndarray) and source.ndim == 2:
        return _load_matrix(source, system, ids, phases)
    if ids is not None or phases is not None:
        raise DataValidationError(
            "ids= and phases= go with an (N, M) array source",
            [
                Problem(
                    "a table carries its ids and phases in columns",
                    fix=f"put them in the {id_column!r} and {phase_column!r} columns",
                )
            ],
        )
    table = _read(source, encoding, sheet, max_bytes)
    problems = Problems(table.problems)
    if isinstance(table.problems, Problems):
        problems.skip(table.problems.more)
    phase = phase_column if phase_column is not None and phase_column in table.columns else None
    context_names = column_problems(table, system, id_column, phase, context, problems)
    if table.n == 0:
        problems.append(
            Problem("the table has no rows", file=table.source, fix="add at least one community")
        )
        raise DataValidationError("community data is empty", problems)
    where = _locator(table)
    ids_text, codes = _keys(table, system, id_column, phase, where, problems)
    values, status = _indicator_values(
        table, system, ids_text, where, problems, codes if phase is not None else None
    )
    if problems or problems.more or problems.unchecked:
        _header_rows_as_one_problem(table, ids_text, id_column, where, problems)
        file = table.source
        raise DataValidationError(
            f"community data does not match system {system.id!r}{' in ' + file if file else ''}",
            problems.listed(),
        )
    return CommunityData(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=system.indicator_ids,
        ids=ids_text,
        phases=codes,
        values=values,
        status=status,
        context={name: _context_cells(np.asarray(table.columns[name])) for name in context_names},
        source=table.source,
    )


def _header_rows_as_one_problem(
    table: Table, ids_text: NDArray[np.str_], id_column: str, where: Locator, problems: Problems
) -> None:
    """A row that repeats the header (a table pasted under itself) is one problem, not a
    "not a number" for each of its cells."""
    repeats = [
        r
        for r in np.flatnonzero(ids_text == id_column).tolist()
        if sum(
            as_text(np.asarray([table.columns[h][r]], dtype=object))[0] == h for h in table.columns
        )
        * 2
        > len(table.columns)
    ]
    if not repeats:
        return
    rows = {r + 1 for r in repeats}
    kept = [p for p in problems if p.row not in rows]
    problems[:] = [
        *(
            Problem(
                "this row repeats the header row (a table pasted under itself?)",
                fix="delete the row",
                **where(r),
            )
            for r in repeats
        ),
        *kept,
    ]


def _read(source: Any, encoding: str | None, sheet: str | int | None, max_bytes: int) -> Table:
    """The table of ``source``; a table without a column is refused at once."""
    table = read_source(source, encoding, sheet, max_bytes)
    if not table.header:
        raise DataValidationError(
            "the data table is empty",
            [Problem("no columns and no rows", file=table.source, fix="add a header and rows")],
        )
    return table


def _locator(table: Table) -> Locator:
    """Where row ``r`` of the table is: file, 1-based row and file line."""

    def where(r: int) -> dict[str, Any]:
        return {"file": table.source, "row": r + 1, "line": table.lines[r] if table.lines else None}

    return where


def _keys(
    table: Table,
    system: IndicatorSystem,
    id_column: str,
    phase_column: str | None,
    where: Locator,
    problems: Problems,
) -> tuple[NDArray[np.str_], PhaseCodes]:
    """The ids as text and the phases as codes; their problems into ``problems``."""
    problems.extend(id_type_problems(np.asarray(table.columns[id_column]), id_column, where))
    ids_text = as_text(np.asarray(table.columns[id_column]))
    phase_text = (
        as_text(np.asarray(table.columns[phase_column])) if phase_column is not None else None
    )
    codes = check_keys(system, ids_text, phase_text, id_column, phase_column, where, problems)
    return ids_text, codes


def _indicator_values(
    table: Table,
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
    codes: PhaseCodes | None,
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """The ``(N, M)`` values and statuses; every unreadable or out-of-range cell a problem.

    Numeric columns go straight into the blocked scan; text columns are parsed first.
    """
    sources, text_status = _parse_text_columns(table, system, ids_text, where, problems)
    n, m = table.n, len(system.indicator_ids)
    # Column-major: every column is copied in as one contiguous run.
    values = np.empty((n, m), order="F")
    status = np.zeros((n, m), dtype=np.int8, order="F")
    has_nan, suspect = scan(values, status, system, sources)
    for j, col_status in text_status.items():
        na = col_status == CellStatus.NOT_APPLICABLE
        if na.any():
            status[na, j] = CellStatus.NOT_APPLICABLE
    cell_problems(values, suspect, system, ids_text, where, set(text_status), problems)
    mark_not_measured(status, has_nan, system, codes)
    return values, status


def _parse_text_columns(
    table: Table,
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
) -> tuple[list[NDArray[Any] | None], dict[int, NDArray[np.int8]]]:
    """Each indicator's column for the scan (None: absent) and the statuses of text columns."""
    sources: list[NDArray[Any] | None] = []
    text_status: dict[int, NDArray[np.int8]] = {}
    for j, ind in enumerate(system.indicators):
        if ind.id not in table.columns:
            sources.append(None)
            continue
        cells = np.asarray(table.columns[ind.id])
        if cells.dtype.kind in "fiub":
            sources.append(cells)
            continue
        col_values, col_status, bad, unread, unchecked = parse_column(cells, problems.room)
        problems.skip(unread)
        problems.unchecked |= unchecked
        for r, raw, reason, fix in bad:
            problems.append(
                Problem(
                    reason,
                    column=ind.id,
                    community_id=str(ids_text[r]) or None,
                    value=raw,
                    fix=fix,
                    **where(r),
                )
            )
        sources.append(col_values)
        text_status[j] = col_status
    return sources, text_status


def _load_matrix(X: NDArray[Any], system: IndicatorSystem, ids: Any, phases: Any) -> CommunityData:
    """Validate an ``(N, M)`` array in the system's indicator order (see :func:`load_data`)."""
    ids_array, phase_array = _matrix_labels(X, system, ids, phases)
    problems = Problems()
    ids_text = as_text(ids_array)
    phase_text = None if phase_array is None else as_text(phase_array)

    def where(r: int) -> dict[str, Any]:
        return {"row": r + 1}

    codes = check_keys(system, ids_text, phase_text, "community_id", "phase", where, problems)
    values = X if X.dtype == np.float64 else X.astype(np.float64)
    if not (values.flags.c_contiguous or values.flags.f_contiguous):
        values = np.ascontiguousarray(values)
    values = values.view()  # read-only flags go on this view, not on the caller's array
    fortran = values.flags.f_contiguous and not values.flags.c_contiguous
    status = np.zeros(values.shape, dtype=np.int8, order="F" if fortran else "C")
    has_nan, suspect = scan(values, status, system, None)
    cell_problems(values, suspect, system, ids_text, where, set(), problems)
    mark_not_measured(status, has_nan, system, codes if phase_text is not None else None)
    if problems or problems.more:
        raise DataValidationError(
            f"community data does not match system {system.id!r}", problems.listed()
        )
    return CommunityData(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=system.indicator_ids,
        ids=ids_text,
        phases=codes,
        values=values,
        status=status,
    )


def _matrix_labels(
    X: NDArray[Any], system: IndicatorSystem, ids: Any, phases: Any
) -> tuple[NDArray[Any], NDArray[Any] | None]:
    """The ids and phases beside an array, after checking that they and the array fit."""
    m = len(system.indicators)
    if X.dtype.kind not in "fiub":
        raise DataValidationError(
            "the array of values is not numeric",
            [
                Problem(
                    f"dtype {X.dtype}",
                    fix="pass numbers (NaN for a missing cell); text goes through a table",
                )
            ],
        )
    n = X.shape[0]
    problems = Problems()
    if X.shape[1] != m:
        problems.append(
            Problem(
                f"the array has {X.shape[1]} columns, the system {system.id!r} has {m} indicators",
                fix="one column per indicator, in the order of system.indicator_ids",
            )
        )
    if n == 0:
        problems.append(Problem("the array has no rows", fix="add at least one community"))
    if ids is None:
        problems.append(Problem("no community ids", fix="pass ids=[...] with one id per row"))
    ids_array = np.asarray([] if ids is None else ids)
    if ids is not None and (ids_array.ndim != 1 or ids_array.shape[0] != n):
        problems.append(
            Problem(
                f"ids has shape {ids_array.shape}, the array has {n} rows",
                fix="give one id per row",
            )
        )
    phase_array: NDArray[Any] | None = None
    if isinstance(phases, str):
        phase_array = np.full(n, phases)
    elif phases is not None:
        phase_array = np.asarray(phases)
        if phase_array.ndim != 1 or phase_array.shape[0] != n:
            problems.append(
                Problem(
                    f"phases has shape {phase_array.shape}, the array has {n} rows",
                    fix="give one phase per row, or one phase for all rows",
                )
            )
    if problems:
        raise DataValidationError("the array does not fit the system", problems)
    return ids_array, phase_array


def _context_cells(cells: NDArray[Any]) -> tuple[Any, ...]:
    """A context column as JSON-ready cells (see :mod:`renoscore.data`)."""
    if cells.dtype.kind in "iub":
        return tuple(cells.tolist())
    if cells.dtype.kind == "f":
        # float16/32/longdouble: tolist() of a longdouble array gives numpy scalars
        cells = cells.astype(np.float64)
        finite = np.isfinite(cells)
        if finite.all():
            return tuple(cells.tolist())
        items = cells.astype(object)
        items[np.isnan(cells)] = None
        return tuple(_context_cell(c) for c in items.tolist())
    items = np.asarray(cells, dtype=object).tolist()
    kinds = set(map(type, items))
    if kinds <= {str, int, bool, type(None)}:
        return tuple(items)
    if kinds <= {str, int, float, bool, type(None)} and all(
        math.isfinite(c) for c in items if type(c) is float
    ):
        return tuple(items)
    return tuple(_context_cell(c) for c in items)


def _context_cell(cell: Any) -> Any:
    if is_blank(cell):
        return None
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, (int, np.integer)):
        return int(cell)
    if isinstance(cell, (float, np.floating)):
        return float(cell) if math.isfinite(cell) else str(float(cell))
    if isinstance(cell, str):
        return str(cell)
    if isinstance(cell, bytes):
        return cell.decode("utf-8", errors="replace")
    if isinstance(cell, (datetime.date, datetime.time)):
        return cell.isoformat()
    if isinstance(cell, np.datetime64):
        return str(cell)
    iso = getattr(cell, "isoformat", None)  # pandas Timestamp and friends
    return str(iso()) if callable(iso) else str(cell)
