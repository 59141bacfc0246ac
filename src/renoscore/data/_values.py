"""The indicator values of a table: cells read, raw fields checked, derived indicators computed.

Every indicator column is read by its own words (:mod:`renoscore.data.grammar`): a numeric
column goes straight into the blocked scan of :mod:`renoscore.data.checks`, a text column is
parsed first (plain numbers at numpy speed, the rest cell by cell). Raw fields are read the
same way and checked against their range (and whole numbers for counts). A derived indicator is
computed from its raw fields by its formula, over all rows at once
(:func:`~renoscore.system.evaluate_formula`), wherever its own column is absent or empty; a row whose formula divides by zero is not
applicable or an error, as the indicator declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus, parse_column
from renoscore._format import plain_number
from renoscore._tables import Problems, Table
from renoscore.data.checks import Locator, scan
from renoscore.data.columns import ColumnPlan
from renoscore.data.grammar import WHOLE_UNITS, column_reader, shown_as_percent, with_unit
from renoscore.errors import Problem
from renoscore.system import Indicator, IndicatorSystem, RawField, evaluate_formula

__all__ = ["TableValues", "read_values"]


@dataclass
class TableValues:
    """The ``(N, M)`` values and statuses of a table, and what the scan found."""

    values: NDArray[np.float64]
    status: NDArray[np.int8]
    has_nan: NDArray[np.bool_]
    suspect: NDArray[np.bool_]
    text_columns: set[int]
    raw_status: list[NDArray[np.int8]] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)
    #: Rows with an unreadable cell that is not a note (a note holds a colon: 审核人：王五).
    garbled: set[int] = field(default_factory=set)


def read_values(
    table: Table,
    plan: ColumnPlan,
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
) -> TableValues:
    """The table's indicator values; every unreadable cell and derivation problem recorded."""
    garbled: set[int] = set()
    sources, text_status = _indicator_columns(
        table, plan, system, ids_text, where, problems, garbled
    )
    raw = _raw_columns(table, plan, system, ids_text, where, problems, garbled)
    derived = _derive(system, plan, raw, sources, text_status, ids_text, where, problems)
    n, m = table.n, len(system.indicator_ids)
    # Column-major: every column is copied in as one contiguous run.
    values = np.empty((n, m), order="F")
    status = np.zeros((n, m), dtype=np.int8, order="F")
    has_nan, suspect = scan(values, status, system, sources)
    for j, col_status in text_status.items():
        na = col_status == CellStatus.NOT_APPLICABLE
        if na.any():
            status[na, j] = CellStatus.NOT_APPLICABLE
    return TableValues(
        values,
        status,
        has_nan,
        suspect,
        set(text_status),
        [s for _, s in raw.values()],
        derived,
        garbled,
    )


def _cells(table: Table, plan: ColumnPlan, header: str) -> NDArray[Any]:
    """A column's cells as the user saw them: percentages as shown, header units written."""
    cells = np.asarray(table.columns[header])
    shown = table.percent.get(header)
    if shown is not None and shown.any():
        cells = shown_as_percent(cells, shown)
    spelling = plan.units.get(header)
    if spelling is not None:
        cells = with_unit(cells, spelling)
    return cells


def _parse(
    cells: NDArray[Any],
    column: Indicator | RawField,
    header: str,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
    garbled: set[int],
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """One text column parsed; its unreadable cells into ``problems``, the rows of those
    that are not notes into ``garbled``."""
    values, status, bad, unread, unchecked = parse_column(
        cells, problems.room, column_reader(column)
    )
    problems.skip(unread)
    problems.unchecked |= unchecked
    for r, raw, reason, fix in bad:
        if not (isinstance(raw, str) and (":" in raw or "：" in raw)):
            garbled.add(r)
        problems.append(
            Problem(
                reason,
                column=header,
                community_id=str(ids_text[r]) or None,
                value=raw,
                fix=fix,
                **where(r),
            )
        )
    return values, status


def _indicator_columns(
    table: Table,
    plan: ColumnPlan,
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
    garbled: set[int],
) -> tuple[list[NDArray[Any] | None], dict[int, NDArray[np.int8]]]:
    """Each indicator's column for the scan (None: absent) and the statuses of text columns."""
    sources: list[NDArray[Any] | None] = []
    text_status: dict[int, NDArray[np.int8]] = {}
    for j, ind in enumerate(system.indicators):
        header = plan.indicators.get(j)
        if header is None:
            sources.append(None)
            continue
        cells = _cells(table, plan, header)
        if cells.dtype.kind in "fiub":
            sources.append(cells)
            continue
        col_values, col_status = _parse(cells, ind, header, ids_text, where, problems, garbled)
        sources.append(col_values)
        text_status[j] = col_status
    return sources, text_status


def _raw_columns(
    table: Table,
    plan: ColumnPlan,
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
    garbled: set[int],
) -> dict[str, tuple[NDArray[np.float64], NDArray[np.int8]]]:
    """Every raw field in the table: values and statuses, checked against its range."""
    out: dict[str, tuple[NDArray[np.float64], NDArray[np.int8]]] = {}
    for raw_field in system.raw_fields:
        header = plan.raw.get(raw_field.id)
        if header is None:
            continue
        cells = _cells(table, plan, header)
        if cells.dtype.kind in "fiub":
            values = cells.astype(np.float64)
            status = np.where(np.isnan(values), CellStatus.MISSING, CellStatus.OK).astype(np.int8)
            infinite = np.isinf(values)
            problems.add_cells(
                infinite,
                values,
                where,
                ids_text,
                column=header,
                reason="infinite value",
                fix="give a finite number",
            )
            values[infinite] = np.nan
        else:
            values, status = _parse(cells, raw_field, header, ids_text, where, problems, garbled)
        _check_raw(raw_field, header, values, ids_text, where, problems)
        values[status != CellStatus.OK] = np.nan
        status[(status == CellStatus.OK) & np.isnan(values)] = CellStatus.MISSING  # unreadable
        out[raw_field.id] = (values, status)
    return out


def _check_raw(
    raw_field: RawField,
    header: str,
    values: NDArray[np.float64],
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
) -> None:
    """Raw values outside the field's range, or fractional counts, into ``problems``."""
    lo = -np.inf if raw_field.range.min is None else raw_field.range.min
    hi = np.inf if raw_field.range.max is None else raw_field.range.max
    ok = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        out = ok & ((values < lo) | (values > hi))
    rng = f"[{plain_number(raw_field.range.min)}, {plain_number(raw_field.range.max)}]"
    problems.add_cells(
        out,
        values,
        where,
        ids_text,
        column=header,
        reason=f"value outside the range {rng} of raw field {raw_field.id}",
        fix="correct the value, or widen the range in the system if it is genuinely possible",
    )
    if raw_field.unit.code in WHOLE_UNITS:
        fraction = ok & ~out & (values != np.round(values))
        problems.add_cells(
            fraction,
            values,
            where,
            ids_text,
            column=header,
            reason=f"{raw_field.unit.info.en} are counted in whole numbers",
            fix="use a whole number",
        )


def _derive(
    system: IndicatorSystem,
    plan: ColumnPlan,
    raw: dict[str, tuple[NDArray[np.float64], NDArray[np.int8]]],
    sources: list[NDArray[Any] | None],
    text_status: dict[int, NDArray[np.int8]],
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
) -> dict[str, str]:
    """Compute the derived indicators that have no column of their own; which were computed."""
    derived: dict[str, str] = {}
    for j, ind in enumerate(system.indicators):
        formula = ind.parsed_formula
        if formula is None or not all(r in raw for r in formula.names):
            continue
        values, status, zero = evaluate_formula(formula, {r: raw[r] for r in formula.names})
        if j in plan.indicators:
            # the indicator's own column wins; its empty cells are computed
            own = sources[j]
            assert own is not None
            empty = _empty(own, text_status.get(j))
            if not empty.any():
                continue
            zero &= empty
            values = np.where(empty, values, own).astype(np.float64)
            status = np.where(empty, status, text_status.get(j, 0)).astype(np.int8)
        if zero.any() and ind.division_by_zero == "not_applicable":
            status[zero] = CellStatus.NOT_APPLICABLE
        elif zero.any():
            _zero_division(ind, zero, raw, plan, ids_text, where, problems)
        overflow = (status == CellStatus.OK) & ~zero & ~np.isfinite(values)
        problems.add_cells(
            overflow,
            values,
            where,
            ids_text,
            column=ind.id,
            reason=f"{ind.id} = {ind.formula} overflows",
            fix="check the raw values",
        )
        values[overflow] = np.nan
        sources[j] = values
        text_status[j] = status
        derived[ind.id] = formula.text
    return derived


def _empty(own: NDArray[Any], status: NDArray[np.int8] | None) -> NDArray[np.bool_]:
    """The empty cells of an indicator's own column (not n/a, not a value)."""
    values = np.asarray(own, dtype=np.float64)
    empty = np.isnan(values)
    if status is not None:
        empty &= status != CellStatus.NOT_APPLICABLE
    return empty


def _zero_division(
    ind: Indicator,
    zero: NDArray[np.bool_],
    raw: dict[str, tuple[NDArray[np.float64], NDArray[np.int8]]],
    plan: ColumnPlan,
    ids_text: NDArray[np.str_],
    where: Locator,
    problems: Problems,
) -> None:
    """A problem for every row whose formula divided by zero, with the raw values it read."""
    names = ind.parsed_formula.names if ind.parsed_formula is not None else ()
    rows = np.flatnonzero(zero)
    problems.skip(max(0, rows.size - problems.room))
    for r in rows[: problems.room].tolist():
        shown = ", ".join(f"{plan.raw[name]} = {raw[name][0][r]:g}" for name in names)
        problems.append(
            Problem(
                f"{ind.id} = {ind.formula} divides by zero",
                column=ind.id,
                community_id=str(ids_text[r]) or None,
                value=shown,
                fix="correct the raw values, or declare division_by_zero: not_applicable in "
                "the system if the indicator does not apply to such a community",
                **where(r),
            )
        )
