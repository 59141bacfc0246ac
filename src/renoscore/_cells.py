"""Reading table cells: the status of a cell, cells as text, and a column of cells as numbers.

A cell is a number, empty (missing), or marked not applicable by one of :data:`NA_TOKENS`;
:func:`parse_column` reads a whole column at once into float64 values, a :class:`CellStatus`
per cell and a located reason for every cell that is not a number. Community data
(:func:`renoscore.load_data`) and resident surveys (:mod:`renoscore.survey`) read their cells
here, so that a number means the same in both (see the module docstring of
:mod:`renoscore.data` for what is accepted and what is rejected).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._tables import MAX_PROBLEMS
from renoscore._validation import short_repr

__all__ = [
    "NA_TOKENS",
    "BadCell",
    "CellReader",
    "CellStatus",
    "as_text",
    "is_blank",
    "parse_column",
    "parse_numeric",
]


class CellStatus(IntEnum):
    """Status of one cell of community data."""

    OK = 0
    MISSING = 1
    NOT_APPLICABLE = 2


#: Text that marks a cell as "not applicable" (as opposed to an empty, missing cell).
NA_TOKENS: frozenset[str] = frozenset(
    {"n/a", "N/A", "NA", "n.a.", "not applicable", "not_applicable", "不适用", "无此项"}
)
_NONFINITE_TEXT = frozenset(
    {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
)
#: Characters that make a number ambiguous: thousands separators and decimal commas.
_SEPARATORS = (",", "，", "_", "'", "’")
#: Full-width digits, point, signs and exponent (U+FF10-FF19, FF0E, FF0B, FF0D, FF45, FF25) and
#: the minus sign U+2212, as their ASCII forms: unambiguous, unlike the full-width comma.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "．": ".",
        "＋": "+",
        "－": "-",
        "ｅ": "e",
        "Ｅ": "E",
        "\u2212": "-",
    }
)
#: Cells parsed together when a text column holds something that is not a number.
_PIECE = 4096

#: A cell that is not a number: ``(row, value as shown, reason, fix)``.
BadCell = tuple[int, Any, str, str]
#: What a column's own words make of a text cell that is not a plain number: its value, or
#: ``(reason, fix)`` when it is refused, or None when the words say nothing about it.
CellReader = Callable[[str], "float | tuple[str, str] | None"]


# --------------------------------------------------------------------------- cells as text
def is_blank(cell: Any) -> bool:
    """None, a NaN float and pandas' NA/NaT are empty cells, not text.

    Examples
    --------
    >>> is_blank(None), is_blank(float("nan")), is_blank(""), is_blank(0)
    (True, True, False, False)
    """
    if cell is None:
        return True
    if isinstance(cell, (float, np.floating)):
        return bool(np.isnan(cell))
    return type(cell).__name__ in ("NAType", "NaTType")


def as_text(cells: NDArray[Any]) -> NDArray[np.str_]:
    """Cells as stripped text; empty cells (None, NaN, pandas NA) become ''.

    Examples
    --------
    >>> as_text(np.array([" LY ", None, 3], dtype=object)).tolist()
    ['LY', '', '3']
    """
    kind = cells.dtype.kind
    out: NDArray[np.str_]
    if kind == "U":
        out = cells
    elif kind in "iub":
        out = cells.astype(str)  # the same text as str() of each number
    else:
        items = cells.tolist()
        if kind == "O" and set(map(type, items)) <= {str}:
            # Only Python strings: numpy converts them in one call, no per-cell test.
            out = np.array(items, dtype=str)
        else:
            out = np.array([_cell_text(c) for c in items], dtype=str)
    return np.char.strip(out) if out.size else out


def _cell_text(cell: Any) -> str:
    if is_blank(cell):
        return ""
    if isinstance(cell, bytes):
        return cell.decode("utf-8", errors="replace")
    return str(cell)


# --------------------------------------------------------------------------- cells as numbers
def parse_numeric(
    cells: NDArray[Any],
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[BadCell]]:
    """Parse one column: values (NaN where not a number), statuses and every problem.

    The problems are ``(row, value, reason, fix)``; see :func:`parse_column` for a bounded
    variant.

    Examples
    --------
    >>> values, status, bad = parse_numeric(np.array(["1.5", "", "n/a", "x"], dtype=object))
    >>> values.tolist()[:1], status.tolist(), [(r, v, reason) for r, v, reason, _ in bad]
    ([1.5], [0, 1, 2, 0], [(3, 'x', 'not a number')])
    """
    values, status, bad, _, _ = parse_column(cells, sys.maxsize)
    return values, status, bad


def parse_column(
    cells: NDArray[Any], limit: int = MAX_PROBLEMS, reader: CellReader | None = None
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[BadCell], int, bool]:
    """Parse one column.

    Returns the values (NaN where not a number), the status of each cell, the problems as
    ``(row, value, reason, fix)`` -- at most ``limit`` of them --, how many more bad cells
    were found but not described, and whether some cells were not read at all because the
    limit was reached (the load fails anyway, so their values do not matter).

    ``reader`` is asked about every text cell that is not a plain number (``348米``, ``是``,
    ``71%``): it gives the cell's value, or the reason it is refused and the fix.

    Examples
    --------
    >>> values, status, bad, more, unread = parse_column(np.array(["１．５", "1e309", "x"]))
    >>> values.tolist()[:1], [reason for _, _, reason, _ in bad], more, unread
    ([1.5], ['the number overflows float64', 'not a number'], 0, False)
    """
    n = cells.shape[0]
    status = np.zeros(n, dtype=np.int8)
    bad: list[BadCell] = []
    if cells.dtype.kind in "fiub":
        return _parse_numbers(cells, status, limit)
    values = np.full(n, np.nan)
    if limit <= 0:
        return values, status, bad, 0, True
    if cells.dtype.kind == "O":
        direct, cells = _take_numbers(cells, values, status, bad)
    else:
        direct = np.zeros(n, dtype=bool)
    text = as_text(cells)
    empty = (text == "") & ~direct
    na_explicit = np.isin(text, list(NA_TOKENS))
    status[empty] = CellStatus.MISSING
    status[na_explicit] = CellStatus.NOT_APPLICABLE
    rest = ~(empty | na_explicit | direct)
    if not rest.any():
        return values, status, bad, 0, False
    chunk = text[rest]
    parsed, checked = _read_text(chunk, limit)
    # Python's float() reads "1_000" as 1000; a grouping character is never accepted silently.
    grouped = np.zeros(chunk.shape, dtype=bool)
    for sep in _SEPARATORS:
        grouped |= np.char.find(chunk, sep) >= 0
    parsed[grouped] = np.nan
    values[rest] = parsed
    idx = np.flatnonzero(rest)
    unread = np.flatnonzero(~np.isfinite(parsed[:checked]))
    nonfinite_text = np.isin(np.char.lower(chunk[unread]), list(_NONFINITE_TEXT))
    for done, k in enumerate(unread.tolist()):
        if len(bad) >= limit:
            values[idx[unread[done:]]] = np.nan
            return values, status, bad, int(unread.size - done), checked < chunk.shape[0]
        r = int(idx[k])
        raw = str(chunk[k])
        if not grouped[k] and not nonfinite_text[done]:
            ascii_form = raw.translate(_FULL_WIDTH)
            if ascii_form != raw and not any(sep in ascii_form for sep in _SEPARATORS):
                retry = _float_or_nan(ascii_form)
                if math.isfinite(retry):
                    values[r] = retry
                    continue
        said = reader(raw) if reader is not None and not nonfinite_text[done] else None
        if isinstance(said, float):
            values[r] = said
            continue
        reason, fix = _reason(
            raw, bool(nonfinite_text[done]), bool(grouped[k]), bool(np.isinf(parsed[k]))
        )
        if said is not None and reason == "not a number":
            reason, fix = said
        bad.append((r, raw if len(raw) <= 80 else raw[:77] + "...", reason, fix))
        values[r] = np.nan
    return values, status, bad, 0, checked < chunk.shape[0]


def _parse_numbers(
    cells: NDArray[Any], status: NDArray[np.int8], limit: int
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[BadCell], int, bool]:
    """A numeric column: NaN is missing, an infinity is a problem (at most ``limit``)."""
    bad: list[BadCell] = []
    values = cells.astype(np.float64)
    status[np.isnan(values)] = CellStatus.MISSING
    infinite = np.flatnonzero(np.isinf(values))
    for r in infinite[: max(0, limit)].tolist():
        bad.append((r, float(values[r]), "infinite value", "give a finite number"))
    values[infinite] = np.nan
    return values, status, bad, max(0, infinite.size - max(0, limit)), False


def _take_numbers(
    cells: NDArray[Any],
    values: NDArray[np.float64],
    status: NDArray[np.int8],
    bad: list[BadCell],
) -> tuple[NDArray[np.bool_], NDArray[Any]]:
    """Numbers of an object column into ``values``; which cells they were, and the rest.

    Numbers in an object column (records, mixed DataFrame columns) are taken as they are,
    without a trip through text; only text cells are parsed. The cells returned have the
    numbers blanked (None).
    """
    n = cells.shape[0]
    items = cells.tolist()
    if set(map(type, items)) <= {str}:
        direct = np.zeros(n, dtype=bool)  # text only (CSV): no per-cell type test
    else:
        direct = np.array(
            [
                isinstance(c, (int, float, np.integer, np.floating)) and not is_blank(c)
                for c in items
            ],
            dtype=bool,
        )
    if direct.any():
        values[direct] = np.array([_float_cell(c) for c, d in zip(items, direct, strict=True) if d])
        for r in np.flatnonzero(direct & np.isinf(values)).tolist():
            if isinstance(items[r], (int, np.integer)):
                shown: Any = short_repr(items[r], 40)
                reason, fix = "the number overflows float64", "check the value"
            else:
                shown, reason, fix = float(values[r]), "infinite value", "give a finite number"
            bad.append((r, shown, reason, fix))
            values[r] = np.nan
            status[r] = CellStatus.MISSING
        cells = cells.copy()
        cells[direct] = None
    return direct, cells


def _read_text(chunk: NDArray[np.str_], limit: int) -> tuple[NDArray[np.float64], int]:
    """Text cells as floats (NaN where not a number) and how many were read one by one."""
    checked = chunk.shape[0]  # cells of chunk read one by one
    try:
        parsed = chunk.astype(np.float64)
    except ValueError:
        # Piece by piece, so that a column of garbage stops being read once the limit is
        # reached: float() raising on each of millions of cells takes seconds.
        parsed = np.full(chunk.shape[0], np.nan)
        failures = 0
        for start in range(0, chunk.shape[0], _PIECE):
            piece = chunk[start : start + _PIECE]
            try:
                parsed[start : start + _PIECE] = piece.astype(np.float64)
            except ValueError:
                parsed[start : start + _PIECE] = [_float_or_nan(t) for t in piece.tolist()]
                failures += int(np.count_nonzero(np.isnan(parsed[start : start + _PIECE])))
            if failures > limit:
                checked = min(chunk.shape[0], start + _PIECE)
                break
    return parsed, checked


def _reason(raw: str, nonfinite_text: bool, grouped: bool, overflow: bool) -> tuple[str, str]:
    """Why a text cell is not a number, and the fix."""
    if nonfinite_text:
        reason, fix = (
            f"{raw} is not a measured value",
            "leave the cell empty if it is missing, or write n/a if not applicable",
        )
    elif grouped:
        reason = "a separator inside a number is ambiguous (thousands separator or decimal comma)"
        fix = "write the number without separators, with '.' as the decimal point"
    elif overflow:
        reason, fix = "the number overflows float64", "check the value"
    elif any(c.isspace() for c in raw) and math.isfinite(
        _float_or_nan("".join(raw.split()).translate(_FULL_WIDTH))
    ):
        reason = "a separator inside a number is ambiguous (a space between digit groups)"
        fix = "write the number without separators, with '.' as the decimal point"
    elif "\ufffd" in raw:
        reason, fix = (
            "the cell holds bytes that are not UTF-8 text",
            "save the file (or decode the column) as UTF-8",
        )
    else:
        reason, fix = (
            "not a number",
            "write a number, leave empty if missing, or n/a if not applicable",
        )
    return reason, fix


def _float_cell(cell: Any) -> float:
    """A number cell as a float; an integer too large for a float is infinite (reported)."""
    try:
        return float(cell)
    except OverflowError:
        return math.inf if cell > 0 else -math.inf


def _float_or_nan(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")
