"""What a load tells the user without failing: rows skipped, the header found, odd values.

A notice is not an error: the data load, and the notice says what was done so that nothing
happens silently. Each is issued as a :class:`~renoscore.errors.DataNotice` warning and kept in
the data (``CommunityData.notices``), and from there in a result's provenance.

* **Rows without values** -- a row where no indicator or raw field cell holds a value (cells
  are empty, or notes holding a colon: ``审核人：王五``), and whose id is empty or whose phase
  is empty or unknown (in a table without phases: whose id reads as a note, ``填表人：李四``),
  is a blank row, a signature or a note: it is skipped, and all such rows are listed in one
  notice. Blank rows after the last row of data are dropped without a word.
* **The header row** -- found below title rows: which row, and the titles above it.
* **Header units** -- a column whose header names another unit of the same quantity
  (``距离（公里）``) is converted, and the notice says so.
* **Values that look like shares on a 0-100 scale** -- ``0.7`` on a percent indicator stays 0.7
  (it is never guessed to mean 70), but the notice lists such cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._cells import CellStatus
from renoscore._tables import Table
from renoscore.data.columns import ColumnPlan
from renoscore.system import IndicatorSystem
from renoscore.system.units import UNITS

__all__ = [
    "header_notice",
    "rows_to_skip",
    "share_notice",
    "skip_notice",
    "unit_notice",
]

#: Rows named one by one in a notice; the rest are counted.
_LISTED = 12


def rows_to_skip(
    status: NDArray[np.int8],
    has_nan: NDArray[np.bool_],
    raw_status: Sequence[NDArray[np.int8]],
    ids_text: NDArray[np.str_],
    phase_known: NDArray[np.bool_] | None,
    garbled: set[int] = frozenset(),  # type: ignore[assignment]
) -> NDArray[np.bool_]:
    """The rows that hold no value and are no community row (see the module docstring).

    A row with an unreadable cell that is not a note (``garbled``) is kept, so that the cell
    is reported.
    """
    n = ids_text.shape[0]
    skip = np.zeros(n, dtype=bool)
    if not bool(has_nan.all()):
        return skip  # some indicator has a value in every row
    # Rows that cannot be a community row first (cheap, and usually none): an empty id, a
    # phase that is empty or unknown; without a phase column, an id that reads as a note.
    suspect = ids_text == ""
    if phase_known is not None:
        suspect |= ~phase_known
    else:
        suspect |= (np.char.find(ids_text, ":") >= 0) | (np.char.find(ids_text, "：") >= 0)
    rows = np.flatnonzero(suspect)
    if rows.size == 0:
        return skip
    empty = np.asarray((status[rows] == CellStatus.MISSING).all(axis=1), dtype=bool)
    for col in raw_status:
        empty &= col[rows] == CellStatus.MISSING
    skip[rows[empty]] = True
    if garbled:
        skip[list(garbled)] = False
    return skip


def skip_notice(
    table: Table, skip: NDArray[np.bool_], ids_text: NDArray[np.str_]
) -> tuple[NDArray[np.bool_], str | None]:
    """The rows to drop (trailing blank rows included) and the notice listing the others."""
    rows = np.flatnonzero(skip)
    if rows.size == 0:
        return skip, None
    kept = np.flatnonzero(~skip)
    last = int(kept[-1]) if kept.size else -1
    listed = [r for r in rows.tolist() if r < last or ids_text[r] != ""]
    if not listed:
        return skip, None
    named = []
    for r in listed[:_LISTED]:
        line = table.line(r)
        where = f"row {line}" if line is not None else f"data row {r + 1}"
        text = str(ids_text[r])
        named.append(f"{where} ({text!r})" if text else f"{where} (blank)")
    more = f" and {len(listed) - _LISTED} more" if len(listed) > _LISTED else ""
    noun = "row" if len(listed) == 1 else "rows"
    return skip, (
        f"skipped {len(listed)} {noun} that hold no indicator value (blank rows, signatures, "
        f"notes): {', '.join(named)}{more}"
    )


def header_notice(table: Table, explicit: bool) -> str | None:
    """Where the header was found, when it is not the first row and was not given."""
    if explicit or table.header_line is None or not table.titles:
        return None
    titles = "; ".join(repr(text) for _, text in table.titles[:3])
    first, last = table.titles[0][0], table.header_line - 1
    span = f"row {first}" if first == last else f"rows {first}-{last}"
    return (
        f"the column names were found in row {table.header_line}; {span} above them "
        f"were read as titles ({titles}). If another row holds the column names, use "
        f"{argument('header_row', 'ROW')}"
    )


def unit_notice(plan: ColumnPlan, system: IndicatorSystem) -> str | None:
    """The columns whose header unit converts their numbers into the declared unit."""
    if not plan.units:
        return None
    units = {i.id: i.unit for i in system.indicators} | {r.id: r.unit for r in system.raw_fields}
    parts = []
    for header, spelling in plan.units.items():
        declared = units[plan.read_as.get(header, header)]
        parts.append(f"{header!r} from {spelling} to {declared.info.zh} ({declared.info.en})")
    return "numbers converted by the unit in their column's header: " + "; ".join(parts)


def share_notice(
    values: NDArray[np.float64],
    status: NDArray[np.int8],
    system: IndicatorSystem,
    plan: ColumnPlan,
    table: Table,
) -> str | None:
    """Cells between 0 and 1 on a 0-100 indicator: kept as written, listed as suspicious."""
    parts = []
    for j, ind in enumerate(system.indicators):
        if ind.unit.code != UNITS["percent"].code:
            continue
        col = values[:, j]
        with np.errstate(invalid="ignore"):
            odd = (status[:, j] == CellStatus.OK) & (col > 0) & (col < 1)
        rows = np.flatnonzero(odd)
        if rows.size == 0:
            continue
        header = plan.indicators.get(j, ind.id)
        shown = ", ".join(
            f"{col[r]:g} at row {table.line(int(r)) or int(r) + 1}" for r in rows[:5].tolist()
        )
        more = f" and {rows.size - 5} more" if rows.size > 5 else ""
        parts.append(f"{header!r}: {shown}{more}")
    if not parts:
        return None
    return (
        "values between 0 and 1 on a 0-100 scale were kept as written (0.7 means 0.7 %, not "
        "70 %); if they are shares, write them as percentages (70 or 70%): " + "; ".join(parts)
    )
