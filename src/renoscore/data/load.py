"""Loading community data: any table, or an ``(N, M)`` array, validated against a system.

:func:`load_data` reads the source, finds its header and recognises its columns
(:mod:`~renoscore.data.columns`), reads every cell by its column's words
(:mod:`~renoscore.data.grammar`, ``renoscore.data._values``), drops the rows that hold no
value (``renoscore.data._notices``), checks the row keys and the values, and either returns
:class:`~renoscore.data.CommunityData` exactly as written or raises one
:class:`~renoscore.errors.DataValidationError` listing every problem.
"""

from __future__ import annotations

import datetime
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._cells import as_text, is_blank
from renoscore._labels import PhaseCodes
from renoscore._sources import read_source
from renoscore._tables import DEFAULT_MAX_BYTES, Problems, ReadHints, Table
from renoscore.data._notices import (
    header_notice,
    rows_to_skip,
    share_notice,
    skip_notice,
    unit_notice,
)
from renoscore.data._values import read_values
from renoscore.data.checks import (
    Locator,
    cell_problems,
    check_keys,
    id_type_problems,
    mark_not_measured,
    phase_matches,
    scan,
)
from renoscore.data.columns import (
    DEFAULT_ID,
    DEFAULT_PHASE,
    ColumnMatcher,
    ColumnPlan,
    plan_columns,
)
from renoscore.data.model import CommunityData
from renoscore.errors import DataNotice, DataValidationError, Problem
from renoscore.system import IndicatorSystem, default_system, load_system
from renoscore.system.units import normal_form

__all__ = ["load_data"]


def load_data(
    source: Any,
    system: IndicatorSystem | str | Path | None = None,
    *,
    id_column: str = DEFAULT_ID,
    phase_column: str | None = DEFAULT_PHASE,
    context: Sequence[str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ids: Any = None,
    phases: Any = None,
) -> CommunityData:
    """Read and validate community data against an indicator system.

    Parameters
    ----------
    source : path, DataFrame, list of dict, mapping of columns, or (N, M) array
        The table: one row per community and phase, one column per indicator (headed by its
        id, its English or Chinese name or a declared alias; a derived indicator may be
        replaced by the raw fields it is computed from), an id column, an optional phase
        column, and any context columns. Or a numeric ``(N, M)`` array whose columns are the
        system's indicators in ``system.indicator_ids`` order, with ``ids=`` (and
        ``phases=``) beside it: the fast entry for data already in memory. The array is not
        copied: the data hold a read-only view of it (NaN cells are missing), so do not
        change it afterwards.
    system : IndicatorSystem, str or Path, optional
        The indicator system (default: :func:`~renoscore.default_system`).
    id_column : str
        Column holding the community id (kept as text, Chinese ids included). Left at
        ``community_id``, a column headed 小区编号, 小区名称, 小区 or 名称 is taken too.
    phase_column : str or None
        Column holding the phase: its id, or its declared name in either language (改造前).
        Left at ``phase``, a column headed 阶段 or 时期 is taken too; None (or a table without
        it) means a single phase.
    context : sequence of str, optional
        Names of the context columns. When given, any other non-indicator column is an error;
        when not given, columns that look like a misspelled indicator are errors and the
        rest are kept as context.
    encoding : str, optional
        Encoding of a CSV file; by default UTF-8 (with or without BOM), then GB18030.
    sheet : str or int, optional
        Excel sheet name or index (default: the first).
    header_row : int, optional
        The 1-based row (file line, sheet row) of the column names; by default the top row
        that names the most known columns (title rows above it are skipped, with a notice).
    max_bytes : int
        Largest file read.
    ids : sequence or array of str, optional
        With an ``(N, M)`` array source only: the community id of each row.
    phases : str, sequence or array of str, optional
        With an ``(N, M)`` array source only: the phase of each row, or one phase for all.

    Returns
    -------
    CommunityData
        With the notices of the load and the derived indicators it computed.

    Raises
    ------
    DataValidationError
        Listing every problem (row, community id, column, value, reason, fix): unknown or
        missing columns, cells that are not numbers (nor a declared unit, word or level),
        NaN/inf text, values outside an indicator's range, non-integer ordinal or binary
        values, a formula dividing by zero, unknown phases, empty or duplicate
        ``(id, phase)``, an empty table.

    Warns
    -----
    DataNotice
        Rows skipped because they hold no value (blank rows, signatures, notes), the header
        found below title rows, header units converted, shares on a 0-100 scale.

    Examples
    --------
    >>> from renoscore.system import default_system
    >>> ids = default_system().indicator_ids
    >>> rows = [{"community_id": "LY", "phase": "t0", **{i: "" for i in ids}}]
    >>> data = load_data(rows)
    >>> data.counts()["missing"] > 0
    True

    Chinese headers, phase names and units, as an office writes them:

    >>> names = {i.name.zh: "" for i in default_system().indicators}
    >>> row = {"小区名称": "金水小区", "阶段": "改造前", **names, "垃圾分类收集点最远服务距离": "0.35公里"}
    >>> data = load_data([row])
    >>> data.ids, data.phases, data.column("f_waste_point_max_dist_m").tolist()
    (('金水小区',), ('t0',), [350.0])

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
    matcher = ColumnMatcher(system, id_column, phase_column)
    hints = ReadHints(header_row=header_row, score=matcher.score, numeric=matcher.numeric)
    table = _read(source, encoding, sheet, max_bytes, hints)
    problems = Problems(table.problems)
    if isinstance(table.problems, Problems):
        problems.skip(table.problems.more)
    plan = plan_columns(table, matcher, context, problems)
    notices = [header_notice(table, header_row is not None), unit_notice(plan, system)]
    if table.n == 0:
        problems.append(
            Problem("the table has no rows", file=table.source, fix="add at least one community")
        )
        raise DataValidationError("community data is empty", problems)
    return _validate(table, system, plan, problems, notices)


def _validate(
    table: Table,
    system: IndicatorSystem,
    plan: ColumnPlan,
    problems: Problems,
    notices: list[str | None],
) -> CommunityData:
    """Read the values, drop the rows without any, check the keys and ranges; the data."""
    where = _locator(table)
    id_cells = np.asarray(table.columns[plan.id])
    problems.extend(id_type_problems(id_cells, plan.id, where))
    ids_text = as_text(id_cells)
    phase_text, matched = _phase_ids(system, table, plan.phase)
    known = None if matched is None else matched[1]
    read = read_values(table, plan, system, ids_text, where, problems)
    skip, skipped = skip_notice(
        table,
        rows_to_skip(read.status, read.has_nan, read.raw_status, ids_text, known, read.garbled),
        ids_text,
    )
    if skip.any():  # the notes in skipped rows are not problems
        dropped = set((np.flatnonzero(skip) + 1).tolist())
        problems[:] = [p for p in problems if p.row is None or p.row not in dropped]
    keep = np.flatnonzero(~skip)
    if keep.size == 0:
        problems.append(
            Problem("no row holds a value", file=table.source, fix="add at least one community")
        )
    rows = None if keep.size == table.n else keep
    codes = _keys(system, plan, ids_text, (phase_text, matched), rows, where, problems)
    headers = {j: h for j, h in plan.indicators.items() if h != system.indicators[j].id}
    cell_problems(
        read.values, read.suspect, system, ids_text, where, read.text_columns, problems, headers
    )
    notices += [skipped, share_notice(read.values, read.status, system, plan, table)]
    told = tuple(n for n in notices if n)
    for notice in told:
        warnings.warn(DataNotice(notice), stacklevel=3)
    if problems or problems.more or problems.unchecked:
        _header_rows_as_one_problem(table, ids_text, plan.id, where, problems)
        file = table.source
        raise DataValidationError(
            f"community data does not match system {system.id!r}{' in ' + file if file else ''}",
            problems.listed(),
        )
    values, status = read.values, read.status
    if rows is not None:
        values, status, ids_text = values[rows], status[rows], ids_text[rows]
    mark_not_measured(status, read.has_nan, system, codes if plan.phase is not None else None)
    return CommunityData(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=system.indicator_ids,
        ids=ids_text,
        phases=codes,
        values=values,
        status=status,
        context={
            key: _context_cells(_rows(np.asarray(table.columns[header]), rows))
            for key, header in plan.context.items()
        },
        source=table.source,
        notices=told,
        derived=dict(read.derived),
        columns=dict(plan.read_as),
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


def _rows(cells: NDArray[Any], rows: NDArray[np.intp] | None) -> NDArray[Any]:
    return cells if rows is None else cells[rows]


def _read(
    source: Any, encoding: str | None, sheet: str | int | None, max_bytes: int, hints: ReadHints
) -> Table:
    """The table of ``source``; a table without a column is refused at once."""
    table = read_source(source, encoding, sheet, max_bytes, hints)
    if not table.header:
        raise DataValidationError(
            "the data table is empty",
            [Problem("no columns and no rows", file=table.source, fix="add a header and rows")],
        )
    return table


def _locator(table: Table) -> Locator:
    """Where row ``r`` of the table is: file, 1-based row and file line."""

    def where(r: int) -> dict[str, Any]:
        return {"file": table.source, "row": r + 1, "line": table.line(r)}

    return where


def _phase_ids(
    system: IndicatorSystem, table: Table, phase_column: str | None
) -> tuple[NDArray[np.str_] | None, tuple[NDArray[np.intp], NDArray[np.bool_]] | None]:
    """The phase cells as phase ids (a declared name in either language, or an alias, is its
    id), and :func:`~renoscore.data.checks.phase_matches` of them."""
    if phase_column is None:
        return None, None
    text = as_text(np.asarray(table.columns[phase_column]))
    matched = phase_matches(system, text)
    if matched[1].all():
        return text, matched
    names: dict[str, str] = {}
    for phase in system.phases:
        for name in (phase.name.en, phase.name.zh, *phase.aliases):
            names.setdefault(normal_form(name), phase.id)
    rows = np.flatnonzero(~matched[1])
    unique, inverse = np.unique(text[rows], return_inverse=True)
    mapped = [names.get(normal_form(u), u) for u in unique.tolist()]
    out = text.astype(object)
    out[rows] = np.asarray(mapped, dtype=object)[inverse.reshape(-1)]
    ids = np.asarray(out.tolist(), dtype=str)
    return ids, phase_matches(system, ids)


def _keys(
    system: IndicatorSystem,
    plan: ColumnPlan,
    ids_text: NDArray[np.str_],
    phases: tuple[NDArray[np.str_] | None, tuple[NDArray[np.intp], NDArray[np.bool_]] | None],
    rows: NDArray[np.intp] | None,
    where: Locator,
    problems: Problems,
) -> PhaseCodes:
    """The phases of the kept rows as codes; problems of their keys into ``problems``."""
    phase_text, matched = phases
    if rows is None:
        return check_keys(
            system, ids_text, phase_text, plan.id, plan.phase, where, problems, matched
        )
    chosen = rows

    def kept(r: int) -> dict[str, Any]:
        return where(int(chosen[r]))

    phase_kept = None if phase_text is None else phase_text[rows]
    matched_kept = None if matched is None else (matched[0][rows], matched[1][rows])
    return check_keys(
        system, ids_text[rows], phase_kept, plan.id, plan.phase, kept, problems, matched_kept
    )


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
        problems.append(
            Problem("no community ids", fix=f"use {argument('ids', '[...]')} with one id per row")
        )
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
