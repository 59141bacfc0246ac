"""Reading an Excel sheet: the sheet asked for, its header row, its cells and their formats.

``.xlsx``/``.xlsm`` files are read with openpyxl in read-only mode (the way pandas reads them),
row by row: a merged title cell is its top-left cell, the other cells of the merge are empty.
Beside each cell's value the reader keeps whether its number format shows it as a percentage
(``0.42`` shown as ``42 %``), so that the caller reads it as the user saw it. ``.xls`` files
are read through pandas (xlrd), without formats. A sheet that does not exist is refused with
the list of the sheets that do.

Rows are numbered as the spreadsheet numbers them; the header is found among the top rows
(:func:`~renoscore._tables.find_header`) and the rows above it are kept as titles. Columns with
no header and no cell are dropped (a formatted but empty column); a column with cells but no
header is named by its letter (``column F``).

Examples
--------
>>> import pathlib, tempfile, openpyxl
>>> from renoscore._tables import ReadHints
>>> wb = openpyxl.Workbook()
>>> ws = wb.active
>>> ws.append(["评价表"]); ws.append(["小区名称", "x"]); ws.append(["金水", 0.42])
>>> ws["B3"].number_format = "0%"
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
>>> wb.save(path)
>>> table = read_excel(path, None, ReadHints(score=lambda row: int("x" in row)))
>>> table.header, table.lines, table.percent["x"].tolist(), table.titles
(['小区名称', 'x'], [3], [True], [(1, '评价表')])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._optional import import_optional
from renoscore._tables import MAX_TITLE_ROWS, ReadHints, Table, find_header, title_rows
from renoscore.errors import DataValidationError, Problem

__all__ = ["read_excel", "sheet_names"]


def read_excel(path: Path, sheet: str | int | None, hints: ReadHints) -> Table:
    """Read one sheet of an Excel file into a :class:`~renoscore._tables.Table`.

    Raises
    ------
    DataValidationError
        A file that cannot be read, or a sheet that does not exist (its fix lists the sheets).
    """
    purpose = "Reading Excel files"
    import_optional("pandas", purpose)
    openpyxl = import_optional("openpyxl", purpose)
    if path.suffix.lower() == ".xls":
        rows, percent, name = _xls_rows(path, sheet)
    else:
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # any reader failure (a corrupt file) is a data problem
            raise _cannot_read(path, exc) from None
        try:
            name = _sheet_name(book.sheetnames, sheet, path)
            rows, percent = _rows(book, book[name])
        finally:
            book.close()
    return _table(rows, percent, hints, str(path), name)


def sheet_names(path: Path) -> list[str]:
    """The names of the sheets of an Excel file, in order."""
    openpyxl = import_optional("openpyxl", "Reading Excel files")
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _cannot_read(path: Path, exc: Exception) -> DataValidationError:
    return DataValidationError(
        "cannot read the excel file",
        [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
    )


def _sheet_name(names: Sequence[str], sheet: str | int | None, path: Path) -> str:
    """The name of the sheet asked for; one that does not exist lists those that do."""
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    listed = ", ".join(f"{k}: {n!r}" for k, n in enumerate(names))
    raise DataValidationError(
        f"no sheet {sheet!r} in {path.name}",
        [
            Problem(
                f"the workbook has no sheet {sheet!r}; its sheets are {listed}",
                file=str(path),
                value=sheet,
                fix=f"use {argument('sheet', repr(names[0]))} with one of these names or indexes",
            )
        ],
    )


def _percent_styles(book: Any) -> frozenset[int]:
    """The style ids of a workbook whose number format shows a percentage."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    out: set[int] = set()
    custom = list(getattr(book, "_number_formats", []))
    for k, style in enumerate(getattr(book, "_cell_styles", [])):
        fid = style.numFmtId
        fmt = (
            BUILTIN_FORMATS.get(fid, "General")
            if fid < BUILTIN_FORMATS_MAX_SIZE
            else (
                custom[fid - BUILTIN_FORMATS_MAX_SIZE]
                if fid - BUILTIN_FORMATS_MAX_SIZE < len(custom)
                else ""
            )
        )
        if "%" in str(fmt).replace("\\%", "").replace('"%"', ""):
            out.add(k)
    return frozenset(out)


def _rows(book: Any, ws: Any) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """Every row's values, and the (row, column) of every percentage-formatted number."""
    styles = _percent_styles(book)
    rows: list[list[Any]] = []
    percent: list[tuple[int, int]] = []
    for r, cells in enumerate(ws.iter_rows()):
        rows.append([c.value for c in cells])
        if styles:
            percent.extend(
                (r, k)
                for k, c in enumerate(cells)
                if c.data_type == "n"
                and c.value is not None
                and getattr(c, "_style_id", 0) in styles
            )
    return rows, percent


def _xls_rows(
    path: Path, sheet: str | int | None
) -> tuple[list[list[Any]], list[tuple[int, int]], str]:
    pd = import_optional("pandas", "Reading Excel files")
    try:
        book = pd.ExcelFile(path)
        name = _sheet_name(list(book.sheet_names), sheet, path)
        frame = book.parse(name, header=None, dtype=object, keep_default_na=False)
    except DataValidationError:
        raise
    except Exception as exc:  # any reader failure (a corrupt file, no xlrd) is a data problem
        raise _cannot_read(path, exc) from None
    rows = [[None if v == "" else v for v in row] for row in frame.itertuples(index=False)]
    return rows, [], name


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _table(
    rows: list[list[Any]],
    percent: list[tuple[int, int]],
    hints: ReadHints,
    source: str,
    sheet: str,
) -> Table:
    """The table below the header row; trailing empty rows and empty unnamed columns dropped."""
    while rows and all(v is None or _text(v) == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise DataValidationError(
            "the data table is empty",
            [Problem("the sheet has no cells", file=source, fix="add a header and rows")],
        )
    top = [[_text(v) for v in row] for row in rows[: MAX_TITLE_ROWS + 1]]
    k = find_header(top, hints, source)
    data = rows[k + 1 :]
    width = max(len(r) for r in rows[k:])
    raw_header = (rows[k] + [None] * width)[:width]
    keep: list[int] = []
    header: list[str] = []
    from openpyxl.utils import get_column_letter

    for j, h in enumerate(raw_header):
        name = _text(h)
        if not name:
            if all(j >= len(r) or r[j] is None or _text(r[j]) == "" for r in data):
                continue  # a formatted, empty column
            name = f"column {get_column_letter(j + 1)}"
        keep.append(j)
        header.append(name)
    n = len(data)
    padded = [r if len(r) == width else (r + [None] * width)[:width] for r in data]
    cells = list(zip(*padded, strict=True)) if n else [() for _ in range(width)]
    shown: dict[int, list[int]] = {}
    for r, j in percent:
        if r > k:
            shown.setdefault(j, []).append(r - k - 1)
    columns: dict[str, NDArray[Any]] = {}
    marks: dict[str, NDArray[np.bool_]] = {}
    for name, j in zip(header, keep, strict=True):
        if name in columns:
            continue
        column = np.empty(n, dtype=object)
        column[:] = cells[j]
        columns[name] = column
        if j in shown:
            mask = np.zeros(n, dtype=bool)
            mask[shown[j]] = True
            marks[name] = mask
    table = Table(columns, header, n, list(range(k + 2, k + 2 + n)), source, header_line=k + 1)
    table.titles = title_rows(top[:k], list(range(1, k + 1)))
    table.percent = marks
    table.details.update({"sheet": sheet, "header_row": k + 1, "parser": "openpyxl"})
    return table
