"""Reading a table from any source into columns of cells, with the problems met on the way.

A source is a CSV path (UTF-8 with or without BOM, then GB18030), an Excel or Parquet path, a
pandas DataFrame, a list of records or a mapping of columns. :func:`read_source` turns it into
a :class:`Table`: the header in file order, one object (or numeric, or text) array of cells
per column, the file line of each row where there is a file, and the problems found while
reading (ragged CSV rows). Nothing here knows what the columns mean: :mod:`renoscore.data`
and :mod:`renoscore.survey` check them against an indicator system or a scale set.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._files import from_spreadsheet_text
from renoscore._optional import import_optional
from renoscore._validation import suggest
from renoscore.errors import DataValidationError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_PROBLEMS",
    "Problems",
    "Table",
    "duplicate_columns",
    "missing_id_column",
    "read_source",
]

#: Largest data file read by default (bytes); pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 2_000_000_000
#: Most problems one error records one by one; the rest are counted in a last problem. A table
#: of garbage would otherwise build a record per cell: 8 MB of bad cells took 54 s and 1.5 GB.
MAX_PROBLEMS = 10_000


class Problems(list[Problem]):
    """A list of problems that keeps the first :data:`MAX_PROBLEMS` and counts the rest."""

    def __init__(self, items: Iterable[Problem] = (), cap: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.cap = cap
        self.more = 0
        self.unchecked = False  # some cells were not checked one by one once the cap was hit
        self.extend(items)

    @property
    def room(self) -> int:
        """How many more problems are recorded one by one."""
        return max(0, self.cap - len(self))

    def append(self, problem: Problem) -> None:
        if len(self) < self.cap:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def skip(self, count: int) -> None:
        """Count ``count`` problems that were found but not recorded one by one."""
        self.more += count

    def listed(self) -> list[Problem]:
        """The problems by row and column, then a count of those not listed."""
        out = sorted(self, key=lambda p: (p.row or 0, p.column or ""))
        if self.more or self.unchecked:
            rest = " (the rest of the table was not checked cell by cell)" if self.unchecked else ""
            out.append(
                Problem(
                    f"... and {self.more} more problems of the kinds above, not listed one by "
                    f"one{rest}",
                    fix="fix the problems listed (often one cause: a wrong file, separator or "
                    "encoding), then load again",
                )
            )
        return out


@dataclass
class Table:
    """A table as read: header, columns of cells, file lines of the rows, reading problems."""

    columns: dict[str, NDArray[Any]]
    header: list[str]
    n: int
    lines: list[int] | None = None
    source: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def header_line(self) -> int | None:
        """The file line of the header (1) when the table came from a file with lines."""
        return 1 if self.lines is not None else None


def duplicate_columns(table: Table) -> list[Problem]:
    """A problem for every column name that appears more than once in the header."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for name in table.header:
        counts[name] = counts.get(name, 0) + 1
    for name, count in counts.items():
        if count > 1:
            problems.append(
                Problem(
                    f"column {name!r} appears {count} times",
                    file=table.source,
                    line=table.header_line,
                    column=name,
                    fix="remove or rename the copies",
                )
            )
    return problems


def missing_id_column(table: Table, id_column: str) -> Problem:
    """The problem of a table without its id column, with a did-you-mean among its columns."""
    return Problem(
        f"no column {id_column!r}",
        file=table.source,
        line=table.header_line,
        fix=suggest(id_column, table.header) or f"add a {id_column!r} column or pass id_column=...",
    )


def _read_csv(path: Path, encoding: str | None, max_bytes: int) -> Table:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataValidationError(
                "data file is too large",
                [
                    Problem(
                        f"{size} bytes exceeds the limit of {max_bytes}",
                        file=str(path),
                        fix="pass max_bytes=... to load_data",
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DataValidationError(
            "cannot read the data file",
            [Problem(exc.strerror or str(exc), file=str(path), fix="check the path")],
        ) from None
    text: str | None = None
    tried = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    for enc in tried:
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise DataValidationError(
                "unknown encoding",
                [
                    Problem(
                        f"no encoding named {enc!r}", file=str(path), fix="e.g. encoding='gb18030'"
                    )
                ],
            ) from None
    if text is not None and encoding is None and enc == "gb18030":
        _refuse_misread_big5(raw, text, path)
    if text is None:
        raise DataValidationError(
            "cannot decode the data file",
            [
                Problem(
                    f"not {' or '.join(tried)}",
                    file=str(path),
                    fix="save the CSV as UTF-8 (or pass encoding=...)",
                )
            ],
        )
    return _parse_csv_text(text.removeprefix("\ufeff"), str(path))


#: Share of a GB18030 text's Chinese characters below which it is suspected to be misread:
#: Chinese text keeps nearly all of them in the common set (GB 2312); Big5 bytes read as
#: GB18030 give rare characters and private-use ones for about half of them.
_COMMON_SHARE = 0.8


def _refuse_misread_big5(raw: bytes, text: str, path: Path) -> None:
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
                file=str(path),
                fix="pass encoding='big5' if that is right, or save the file as UTF-8",
            )
        ],
    )


#: An apostrophe at the start of a CSV cell (after a line start, a delimiter or a quote).
_CELL_APOSTROPHE = re.compile(r"(?:^|[,;\t\r\n\"])'", re.MULTILINE)


def _unquote_formulas(rows: list[list[str]]) -> None:
    """Undo the apostrophe renoscore's CSV writer puts before text a spreadsheet would run."""
    for record in rows:
        for k, cell in enumerate(record):
            if cell[:1] == "'":
                record[k] = from_spreadsheet_text(cell)


def _parse_csv_text(text: str, source: str | None) -> Table:
    quoted = _CELL_APOSTROPHE.search(text) is not None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataValidationError(
            "the data table is empty",
            [Problem("no header row", file=source, line=1, fix="add a header and rows")],
        ) from None
    except csv.Error as exc:
        raise DataValidationError(
            "malformed CSV", [Problem(str(exc), file=source, line=1, fix="fix the CSV syntax")]
        ) from None
    header = [from_spreadsheet_text(h.strip()) for h in header]
    rows: list[list[str]] = []
    lines: list[int] = []
    problems = Problems()
    width = len(header)
    try:
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue  # a blank line holds no community
            if len(record) != width:
                problems.append(  # counted, not recorded, beyond MAX_PROBLEMS
                    Problem(
                        f"row has {len(record)} cells, the header has {width}",
                        file=source,
                        line=reader.line_num,
                        row=len(rows) + 1,
                        fix="check for a stray comma or a missing cell",
                    )
                )
                record = (record + [""] * width)[:width]
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataValidationError(
            "malformed CSV",
            [Problem(str(exc), file=source, line=reader.line_num, fix="fix the CSV syntax")],
        ) from None
    if quoted:
        _unquote_formulas(rows)
    columns: dict[str, NDArray[Any]] = {}
    if rows:
        transposed = list(zip(*rows, strict=True))
        for name, cells in zip(header, transposed, strict=True):
            columns.setdefault(name, np.array(cells, dtype=object))
    else:
        columns = {name: np.array([], dtype=object) for name in header}
    return Table(columns, header, len(rows), lines, source, problems)


def _from_frame(frame: Any, source: str | None = None) -> Table:
    header = [str(c) for c in frame.columns]
    columns: dict[str, NDArray[Any]] = {}
    for name, col in zip(header, frame.columns, strict=True):
        series = frame[col]
        if getattr(series, "ndim", 1) != 1:
            continue  # a duplicated column label; reported with the other column problems
        if name not in columns:
            text = _arrow_ascii_text(series)
            columns[name] = text if text is not None else np.asarray(series.to_numpy())
    return Table(columns, header, len(frame), None, source)


def _arrow_ascii_text(series: Any) -> NDArray[np.str_] | None:
    """An Arrow-backed string column as a numpy text array, without a Python str per cell.

    pandas keeps text in Arrow buffers (UTF-8 bytes and offsets); ``to_numpy`` makes one
    Python string per cell. For ASCII text without empty (null) cells the bytes are laid out
    as fixed-width UCS-4 directly. Anything else returns None and takes the general path.
    """
    pa = sys.modules.get("pyarrow")
    dtype = series.dtype
    arrow_backed = getattr(dtype, "storage", None) == "pyarrow" or hasattr(dtype, "pyarrow_dtype")
    if pa is None or not arrow_backed:
        return None
    try:
        arr = pa.array(series.array)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        large = pa.types.is_large_string(arr.type)
        if arr.null_count or not (large or pa.types.is_string(arr.type)):
            return None
        n = len(arr)
        _, off_buf, data_buf = arr.buffers()
        raw = np.frombuffer(off_buf, dtype=np.int64 if large else np.int32)
        offsets: NDArray[np.intp] = raw[arr.offset : arr.offset + n + 1].astype(np.intp)
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else None
        lengths = np.diff(offsets)
        width = int(lengths.max()) if n else 0
        if width == 0 or data is None:
            return np.full(n, "", dtype="<U1")
        used = data[offsets[0] : offsets[-1]]
        if used.max() >= 0x80 or used.min() == 0:
            return None  # non-ASCII (UTF-8 needs decoding) or NUL characters
        points = np.zeros((n, width), dtype=np.uint32)
        # Rows of one length at a time: ids usually come in a few lengths.
        for length in np.flatnonzero(np.bincount(lengths)).tolist():
            if length == 0:
                continue
            if length == width and lengths[0] == width and bool((lengths == width).all()):
                points[:] = used.reshape(n, width)
                break
            rows = np.flatnonzero(lengths == length)
            points[rows, :length] = data[offsets[rows][:, None] + np.arange(length)]
        return points.view(f"<U{width}").reshape(n)
    except Exception:  # any Arrow layout this does not know: the general path is exact
        return None


def _from_mapping(mapping: Mapping[Any, Any]) -> Table:
    header = [str(k) for k in mapping]
    columns: dict[str, NDArray[Any]] = {}
    problems: list[Problem] = []
    for key, value in mapping.items():
        array = value if isinstance(value, np.ndarray) else None
        if array is None and isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            items = list(value)
            array = _numeric_list(items)
            if array is None:
                array = np.empty(len(items), dtype=object)
                array[:] = items
        if array is None or array.ndim != 1:
            problems.append(
                Problem(
                    f"column is {type(value).__name__}, not a list of cells",
                    column=str(key),
                    fix="pass a mapping of column name -> list of values (one per row)",
                )
            )
            continue
        columns.setdefault(str(key), array)
    if problems:
        raise DataValidationError("cannot read the mapping of columns", problems)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        most = max(lengths, key=[len(v) for v in columns.values()].count)
        raise DataValidationError(
            "columns have different lengths",
            [
                Problem(
                    f"column has {len(v)} values, most columns have {most}",
                    column=k,
                    fix="give every column one value per row",
                )
                for k, v in columns.items()
                if len(v) != most
            ],
        )
    n = lengths.pop() if lengths else 0
    return Table(columns, header, n)


def _numeric_list(items: list[Any]) -> NDArray[Any] | None:
    """A list of plain numbers as a numeric array (None when any cell is not a number)."""
    if not items or not isinstance(items[0], (int, float, np.integer, np.floating)):
        return None
    try:
        array = np.asarray(items)
    except (ValueError, TypeError):
        return None
    return array if array.ndim == 1 and array.dtype.kind in "fiub" else None


def _from_records(records: Sequence[Mapping[Any, Any]]) -> Table:
    header: list[str] = []
    for rec in records:
        for k in rec:
            if str(k) not in header:
                header.append(str(k))
    columns: dict[str, NDArray[Any]] = {}
    for h in header:
        column = np.empty(len(records), dtype=object)
        # a key absent from a record is an empty cell
        column[:] = [next((v for k, v in rec.items() if str(k) == h), None) for rec in records]
        columns[h] = column
    return Table(columns, header, len(records))


def _read_with_pandas(path: Path, reader: str, sheet: str | int | None) -> Table:
    purpose = "Reading Excel files" if reader == "excel" else "Reading Parquet files"
    pd = import_optional("pandas", purpose)
    import_optional("openpyxl" if reader == "excel" else "pyarrow", purpose)
    try:
        if reader == "excel":
            frame = pd.read_excel(
                path, sheet_name=0 if sheet is None else sheet, dtype=object, keep_default_na=False
            )
        else:
            frame = pd.read_parquet(path)
    except Exception as exc:  # any reader failure (corrupt file, no such sheet) is a data problem
        raise DataValidationError(
            f"cannot read the {reader} file",
            [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
        ) from None
    table = _from_frame(frame, str(path))
    if reader == "excel":
        table.lines = [r + 2 for r in range(table.n)]  # spreadsheet row: the header is row 1
    return table


def read_source(
    source: Any, encoding: str | None, sheet: str | int | None, max_bytes: int
) -> Table:
    """Read any supported source into a :class:`Table`.

    Parameters
    ----------
    source : path, DataFrame, list of dict or mapping of columns
        A CSV, Excel (``.xlsx``, ``.xlsm``, ``.xls``) or Parquet path, a pandas DataFrame,
        a list of records or a mapping of column name -> cells.
    encoding : str or None
        Encoding of a CSV file (default: UTF-8 with or without BOM, then GB18030).
    sheet : str, int or None
        Excel sheet name or index (default: the first).
    max_bytes : int
        Largest CSV file read.

    Raises
    ------
    DataValidationError
        For a file that is missing, too large, undecodable or malformed, and for a source of
        an unsupported type.

    Examples
    --------
    >>> table = read_source({"id": ["a", "b"], "x": [1.5, 2.0]}, None, None, DEFAULT_MAX_BYTES)
    >>> table.header, table.n, table.columns["x"].tolist()
    (['id', 'x'], 2, [1.5, 2.0])
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            reason = (
                "a folder, not a file"
                if path.is_dir()
                else "not a regular file (a device or a pipe)"
                if path.exists()
                else "no such file"
            )
            summary = "data file not found" if reason == "no such file" else "not a data file"
            raise DataValidationError(
                summary, [Problem(reason, file=str(path), fix="check the path")]
            )
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return _read_with_pandas(path, "excel", sheet)
        if suffix == ".parquet":
            return _read_with_pandas(path, "parquet", sheet)
        return _read_csv(path, encoding, max_bytes)
    if hasattr(source, "columns") and hasattr(source, "to_numpy"):
        return _from_frame(source)
    if isinstance(source, Mapping):
        return _from_mapping(source)
    if isinstance(source, Sequence) and all(isinstance(r, Mapping) for r in source):
        return _from_records(source)
    raise DataValidationError(
        f"cannot read community data from a {type(source).__name__}",
        [
            Problem(
                "unsupported source",
                fix="pass a CSV/Excel/Parquet path, a DataFrame, a list of dicts or a mapping of "
                "columns",
            )
        ],
    )
