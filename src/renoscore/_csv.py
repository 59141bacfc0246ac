"""Reading a CSV file: its encoding, its delimiter, its header row, then its cells.

The bytes are decoded as UTF-8 (with or without BOM), else GB18030, unless an encoding is
given. The delimiter (comma, tab, semicolon or bar) is the one that splits the top lines into
the most consistent number of cells. The header is found among the top rows
(:func:`~renoscore._tables.find_header`); the rows above it are kept as titles.

The cells are then parsed by one of two readers giving the same table:

* with pyarrow installed and the caller naming the columns that hold numbers
  (:class:`~renoscore._tables.ReadHints`), pyarrow's multi-threaded C parser reads a UTF-8 file
  straight from its memory map (no copy of it in Python): those columns as float64, every
  other column as text. A numeric column with a cell the C parser
  refuses (``348米``, ``71%``, ``n/a``) or reads too generously (``inf``, ``nan``) is read
  again as text, so that the caller checks it cell by cell exactly as before. File lines are
  counted only when a problem asks for them.
* otherwise Python's :mod:`csv` module, which also reports rows of the wrong width one by one
  (the C reader hands such a file over to it).

Examples
--------
>>> import pathlib, tempfile
>>> from renoscore._tables import ReadHints
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("街道报表\\n小区名称;x\\n金水;1.5\\n", encoding="utf-8")
>>> table = read_csv(path, None, 10**6, ReadHints(score=lambda row: int("x" in row)))
>>> table.header, table.columns["x"].tolist(), table.titles, table.lines
(['小区名称', 'x'], ['1.5'], [(1, '街道报表')], [3])
"""

from __future__ import annotations

import csv
import io
import mmap
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._arrow import text_cells
from renoscore._calling import argument
from renoscore._files import from_spreadsheet_text
from renoscore._tables import (
    MAX_TITLE_ROWS,
    Problems,
    ReadHints,
    Table,
    find_header,
    title_rows,
)
from renoscore.errors import DataValidationError, Problem

__all__ = ["DELIMITERS", "read_csv"]

#: Delimiters a CSV file may use, the comma first.
DELIMITERS = (",", "\t", ";", "|")
#: Smallest file read by pyarrow's C parser: below it Python's reader is as fast, and pyarrow's
#: text conversion would import pandas (a quarter of a second) for a street office's sheet.
_ARROW_MIN_BYTES = 256 * 1024
#: Numeric columns re-read as text one at a time before all of them are read as text at once.
_RETRIES = 4
_BAD_COLUMN = re.compile(r"In CSV column #(\d+): CSV conversion error to double")
#: An apostrophe at the start of a CSV cell (after a line start, a delimiter or a quote).
_CELL_APOSTROPHE = re.compile(r"(?:^|[,;\t|\r\n\"])'", re.MULTILINE)
_CELL_APOSTROPHE_BYTES = re.compile(rb"(?:^|[,;\t|\r\n\"])'", re.MULTILINE)
#: Share of a GB18030 text's Chinese characters below which it is suspected to be misread:
#: Chinese text keeps nearly all of them in the common set (GB 2312); Big5 bytes read as
#: GB18030 give rare characters and private-use ones for about half of them.
_COMMON_SHARE = 0.8


def read_csv(path: Path, encoding: str | None, max_bytes: int, hints: ReadHints) -> Table:
    """Read a CSV file into a :class:`~renoscore._tables.Table` (see the module docstring).

    Raises
    ------
    DataValidationError
        A file that is too large, cannot be read or decoded, is empty or malformed.
    """
    size = _size(path, max_bytes)
    large = size > 0 and size >= _ARROW_MIN_BYTES
    if hints.numeric is not None and encoding is None and large and _has_pyarrow():
        table = _read_mapped(path, hints)
        if table is not None:
            return table
    file = _File(_read_bytes(path), encoding, str(path))
    delimiter, top, top_lines, ends, k = _locate(file, hints, path)
    header = [from_spreadsheet_text(h.strip()) for h in top[k]]
    table = _read_python(file.text, ends[k], header, str(path), delimiter, top_lines[k])
    if file.has_cell_apostrophe(ends[k]):
        _unquote_formulas(table)
    table.titles = title_rows(top[:k], top_lines[:k])
    table.details.update({"delimiter": delimiter, "header_row": top_lines[k]})
    return table


def _locate(
    file: _File, hints: ReadHints, path: Path
) -> tuple[str, list[list[str]], list[int], list[int], int]:
    """The delimiter, the top rows (with their lines and ends) and which of them is the header."""
    delimiter = _sniff(file.sample(MAX_TITLE_ROWS + 10)[0])
    top, top_lines, ends = _top_rows(file, delimiter)
    if not top:
        raise DataValidationError(
            "the data table is empty",
            [Problem("no header row", file=str(path), line=1, fix="add a header and rows")],
        )
    return delimiter, top, top_lines, ends, find_header(top, hints, str(path), top_lines)


def _read_mapped(path: Path, hints: ReadHints) -> Table | None:
    """A UTF-8 file by the C parser straight from the memory-mapped file (no copy of it in
    Python); None when the file is not UTF-8 or the C parser hands it over."""
    with path.open("rb") as fh:
        # Not closed here: an Arrow buffer may still export it; it closes when the last goes.
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    file = _File(mapped, None, str(path), mapped=True)
    try:
        delimiter, top, top_lines, ends, k = _locate(file, hints, path)
    except UnicodeDecodeError:
        return None
    header = [from_spreadsheet_text(h.strip()) for h in top[k]]
    quoted = file.find('"', ends[k]) >= 0
    apostrophe = file.has_cell_apostrophe(ends[k])
    table = _read_arrow(file.utf8_after(ends[k]), header, hints, path, delimiter, quoted)
    del file, mapped
    if table is None:
        return None
    if apostrophe:
        _unquote_formulas(table)
    table._lines = _line_counter(path, ends[k], top_lines[k] + 1, delimiter, table.n)
    table.header_line = top_lines[k]
    table.titles = title_rows(top[:k], top_lines[:k])
    table.details.update({"delimiter": delimiter, "header_row": top_lines[k]})
    return table


# --------------------------------------------------------------------------- bytes and text
def _size(path: Path, max_bytes: int) -> int:
    """The size of the file; one beyond ``max_bytes`` is refused."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if size > max_bytes:
        raise DataValidationError(
            "data file is too large",
            [
                Problem(
                    f"{size} bytes exceeds the limit of {max_bytes}",
                    file=str(path),
                    fix=f"use {argument('max_bytes', size)} (or more) to read it",
                )
            ],
        )
    return size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> DataValidationError:
    return DataValidationError(
        "cannot read the data file",
        [Problem(exc.strerror or str(exc), file=str(path), fix="check the path")],
    )


class _File:
    """A CSV file's bytes and text: an ASCII or memory-mapped UTF-8 file is decoded only
    where its text is needed."""

    def __init__(
        self, raw: bytes | mmap.mmap, encoding: str | None, source: str, mapped: bool = False
    ) -> None:
        self.raw = raw
        self.source = source
        self.mapped = mapped
        self.ascii = not mapped and encoding is None and isinstance(raw, bytes) and raw.isascii()
        self.bom = 3 if mapped and raw[:3] == b"\xef\xbb\xbf" else 0
        self._text: str | None = None
        self._sample = ""
        self.utf8: Any = raw
        if not (self.ascii or mapped):
            assert isinstance(raw, bytes)
            self._text, self.utf8 = _decode(raw, encoding, source)

    @property
    def text(self) -> str:
        """The whole text."""
        if self._text is None:
            body = self.raw[self.bom :]
            self._text = body.decode("utf-8" if self.mapped else "ascii")
        return self._text

    def sample(self, lines: int) -> tuple[str, bool]:
        """The first ``lines`` lines (whole, however long), and whether that is all; a mapped
        file that is not UTF-8 raises UnicodeDecodeError."""
        if self._text is not None:
            body: Any = self._text
            newline: Any = "\n"
            start = 0
        else:
            body, newline, start = self.raw, b"\n", self.bom
        end = start
        for _ in range(lines):
            end = body.find(newline, end) + 1
            if end == 0:
                end = len(body)
                break
        part = body[start:end]
        text = part.decode("utf-8" if self.mapped else "ascii") if isinstance(part, bytes) else part
        self._sample = text
        return text, end == len(body)

    def utf8_after(self, position: int) -> Any:
        """The file as UTF-8 after character ``position``, without a copy (an Arrow buffer)."""
        import pyarrow as pa

        return pa.py_buffer(self.utf8).slice(self._byte(position))

    def _byte(self, position: int) -> int:
        if self.ascii:
            return position
        if self.mapped:
            return self.bom + len(self._sample[:position].encode("utf-8"))
        return len(self.text[:position].encode("utf-8"))

    def has_cell_apostrophe(self, start: int) -> bool:
        """Whether a cell after character ``start`` starts with an apostrophe (the mark
        renoscore's CSV writer puts before text a spreadsheet would run)."""
        if self._text is None:
            return _CELL_APOSTROPHE_BYTES.search(self.raw, self._byte(start)) is not None
        return _CELL_APOSTROPHE.search(self._text, start) is not None

    def find(self, mark: str, start: int) -> int:
        """Where ``mark`` is in the file from character ``start`` (-1: nowhere; a byte offset
        for an undecoded file)."""
        if self._text is None:
            return self.raw.find(mark.encode("ascii"), self._byte(start))
        return self._text.find(mark, start)


def _decode(raw: bytes, encoding: str | None, source: str) -> tuple[str, bytes]:
    """The text of the file, and the file as UTF-8 bytes without BOM (for the C parser)."""
    tried = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    for enc in tried:
        try:
            text = raw.decode(enc).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise DataValidationError(
                "unknown encoding",
                [
                    Problem(
                        f"no encoding named {enc!r}",
                        file=source,
                        fix=f"e.g. {argument('encoding', repr('gb18030'))}",
                    )
                ],
            ) from None
        if encoding is None and enc == "gb18030":
            _refuse_misread_big5(raw, text, source)
        utf8 = raw.removeprefix(b"\xef\xbb\xbf") if enc in ("utf-8-sig", "utf-8", "utf8") else None
        return text, utf8 if utf8 is not None else text.encode("utf-8")
    raise DataValidationError(
        "cannot decode the data file",
        [
            Problem(
                f"not {' or '.join(tried)}",
                file=source,
                fix=f"save the CSV as UTF-8 (or use {argument('encoding')})",
            )
        ],
    )


def _refuse_misread_big5(raw: bytes, text: str, source: str) -> None:
    """Refuse a file read as GB18030 that is Big5 (traditional Chinese) read wrongly.

    Big5 bytes are valid GB18030 bytes, so decoding does not fail: it gives mojibake ids
    (``老城一號`` becomes ``ρ腹``). Such a text has rare or private-use characters where
    Chinese text has common ones; when the bytes also read cleanly as Big5, the file is
    refused with the encoding to pass.
    """
    sample = re.sub(r"[\x00-\x7f]+", "", text[:200_000])
    if not sample:
        return
    common = len(sample.encode("gb2312", errors="ignore")) / 2 / len(sample)
    private = any("\ue000" <= c <= "\uf8ff" for c in sample)
    if common >= _COMMON_SHARE and not private:
        return
    try:
        big5 = raw.decode("big5")
    except UnicodeDecodeError:
        return
    shown = next((w for w in re.findall(r"[^\x00-\x7f,;\t\r\n]+", big5)), "")
    raise DataValidationError(
        "cannot tell the encoding of the data file",
        [
            Problem(
                f"read as GB18030 it gives mostly rare characters ({100 * (1 - common):.0f}% "
                f"outside the common set), read as Big5 (traditional Chinese) it gives text "
                f"such as {shown[:12]!r}",
                file=source,
                fix=f"use {argument('encoding', repr('big5'))} if that is right, or save the "
                "file as UTF-8",
            )
        ],
    )


def _unquote_formulas(table: Table) -> None:
    """Undo the apostrophe renoscore's CSV writer puts before text a spreadsheet would run
    (:func:`renoscore._files.spreadsheet_text`), in the text columns of ``table``."""
    for name, cells in table.columns.items():
        if cells.dtype.kind not in "OU" or not len(cells):
            continue
        marked = np.char.startswith(cells, "'") if cells.dtype.kind == "U" else None
        rows = (
            np.flatnonzero(marked)
            if marked is not None
            else [k for k, c in enumerate(cells.tolist()) if isinstance(c, str) and c[:1] == "'"]
        )
        if len(rows) == 0:
            continue
        if cells.dtype.kind == "U":
            cells = cells.astype(object)
            table.columns[name] = cells
        for k in rows:
            cells[k] = from_spreadsheet_text(cells[k])


def _sniff(sample: str) -> str:
    """The delimiter that splits the top lines into the most consistent width above one.

    Examples
    --------
    >>> _sniff("a;b;c\\n1;2,5;3\\n"), _sniff("title\\na\\tb\\n1\\t2\\n"), _sniff("a\\n1\\n")
    (';', '\\t', ',')
    """
    lines = sample.splitlines()[: MAX_TITLE_ROWS + 10]
    best, best_key = ",", (0, 0, 0)
    for rank, delimiter in enumerate(reversed(DELIMITERS)):
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        key = (count, width, rank)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _top_rows(file: _File, delimiter: str) -> tuple[list[list[str]], list[int], list[int]]:
    """The first rows as cells, their lines, and where each ends in the text."""
    lines = 4 * (MAX_TITLE_ROWS + 1)
    while True:
        sample, whole = file.sample(lines)
        stream = io.StringIO(sample, newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        rows: list[list[str]] = []
        found: list[int] = []
        ends: list[int] = []
        try:
            for record in reader:
                if not record:
                    continue
                rows.append(record)
                found.append(reader.line_num)
                ends.append(stream.tell())
                if len(rows) > MAX_TITLE_ROWS:
                    return rows, found, ends
        except csv.Error as exc:
            raise DataValidationError(
                "malformed CSV",
                [Problem(str(exc), line=reader.line_num, fix="fix the CSV syntax")],
            ) from None
        if whole:
            return rows, found, ends
        lines *= 4  # quoted cells spanning lines: read further


# --------------------------------------------------------------------------- Python's csv
def _read_python(
    text: str, start: int, header: list[str], source: str, delimiter: str, header_line: int
) -> Table:
    stream = io.StringIO(text, newline="")
    stream.seek(start)
    reader = csv.reader(stream, delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems = Problems()
    width = len(header)
    try:
        for record in reader:
            line = header_line + reader.line_num
            blank = all(not c.strip() for c in record)
            if blank and len(record) != width:
                continue  # an empty line holds no community (a row of empty cells is a row)
            if len(record) != width:
                problems.append(  # counted, not recorded, beyond MAX_PROBLEMS
                    Problem(
                        f"row has {len(record)} cells, the header has {width}",
                        file=source,
                        line=line,
                        row=len(rows) + 1,
                        fix="check for a stray delimiter or a missing cell",
                    )
                )
                record = (record + [""] * width)[:width]
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        raise DataValidationError(
            "malformed CSV",
            [
                Problem(
                    str(exc),
                    file=source,
                    line=header_line + reader.line_num,
                    fix="fix the CSV syntax",
                )
            ],
        ) from None
    columns: dict[str, NDArray[Any]] = {}
    if rows:
        for name, cells in zip(header, zip(*rows, strict=True), strict=True):
            columns.setdefault(name, np.array(cells, dtype=object))
    else:
        columns = {name: np.array([], dtype=object) for name in header}
    table = Table(columns, header, len(rows), lines, source, problems, header_line=header_line)
    table.details["parser"] = "python"
    return table


def _line_counter(path: Path, start: int, first: int, delimiter: str, n: int) -> Any:
    """A function giving the file line of every row after character ``start`` of the file's
    text (the file is read again, and its lines counted, only when called)."""

    def lines() -> list[int]:
        text = _File(_read_bytes(path), None, str(path)).text
        plain = all(text.find(mark, start) < 0 for mark in ('"', "\n\n", "\r\n\r\n", "\r\r"))
        if plain:
            return list(range(first, first + n))
        stream = io.StringIO(text, newline="")
        stream.seek(start)
        reader = csv.reader(stream, delimiter=delimiter)
        return [first - 1 + reader.line_num for record in reader if record][:n]

    return lines


# --------------------------------------------------------------------------- pyarrow
def _has_pyarrow() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def _read_arrow(
    data: Any, header: list[str], hints: ReadHints, path: Path, delimiter: str, quoted: bool
) -> Table | None:
    """The rows after the header by pyarrow's C parser; None hands the file to Python's csv."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    assert hints.numeric is not None
    numeric = [bool(x) for x in hints.numeric(header)]
    names = [f"c{k}" for k in range(len(header))]
    as_text = [not x for x in numeric]
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted)
    read = pacsv.ReadOptions(column_names=names, use_threads=True)
    for attempt in range(_RETRIES + 2):
        if attempt == _RETRIES + 1:
            as_text = [True] * len(header)
        types = {names[k]: pa.string() if as_text[k] else pa.float64() for k in range(len(names))}
        convert = pacsv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=False
        )
        try:
            arrow = pacsv.read_csv(pa.BufferReader(data), read, parse, convert)
        except pa.ArrowInvalid as exc:
            found = _BAD_COLUMN.search(str(exc))
            if found is None:
                return None  # ragged rows or bad quoting: Python's csv says where
            as_text[int(found.group(1))] = True
            continue
        columns, redo = _arrow_columns(arrow, header, as_text)
        if not redo:
            table = Table(columns, header, arrow.num_rows, None, str(path))
            table.details["parser"] = "pyarrow"
            return table
        for k in redo:
            as_text[k] = True
    return None


def _arrow_columns(
    arrow: Any, header: Sequence[str], as_text: Sequence[bool]
) -> tuple[dict[str, NDArray[Any]], list[int]]:
    """numpy columns of an Arrow table; which numeric columns must be read as text instead.

    A float column is kept only if every non-empty cell is a finite number: ``inf``, ``nan``
    and overflowing text must reach the caller as text, to be refused with their reason.
    """
    columns: dict[str, NDArray[Any]] = {}
    redo: list[int] = []
    for k, name in enumerate(header):
        if name in columns:
            continue
        chunked = arrow.column(k)
        if as_text[k]:
            columns[name] = text_cells(chunked)
            continue
        values = chunked.to_numpy()
        if values.dtype != np.float64:
            values = values.astype(np.float64)
        nan = np.isnan(values)
        if np.isinf(values).any() or int(nan.sum()) != chunked.null_count:
            redo.append(k)
        columns[name] = values
    return columns, redo
