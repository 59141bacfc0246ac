"""Community data validated against an indicator system.

:func:`load_data` reads a table of communities (a CSV file, an Excel or Parquet file, a pandas
DataFrame, a list of records or a mapping of columns) and returns :class:`CommunityData`: the
community ids, their phases, the context columns, an ``(N, M)`` float64 matrix of indicator
values in the system's indicator order, and a status matrix telling every cell apart:

===================  =====  ===============================================================
status               code   written in a file as
===================  =====  ===============================================================
``OK``               0      a number
``MISSING``          1      an empty cell (or NaN in a numeric array)
``NOT_APPLICABLE``   2      one of the tokens ``n/a``, ``N/A``, ``NA``, ``not applicable``,
                            ``not_applicable``, ``不适用``; also an empty cell of an indicator
                            that the system does not measure in the row's phase
===================  =====  ===============================================================

Validation collects *every* problem into one :class:`~renoscore.errors.DataValidationError`
whose ``problems`` give the row, community id, column, value and reason. Nothing is dropped or
altered silently: a community is either loaded exactly as written or the load fails.

Accepted numbers: anything Python's ``float`` reads (full-width digits such as ``１２３`` are
read as the same digits), with surrounding spaces. Rejected with a reason: text that is not a
number, ``nan``/``inf`` written as text, values that overflow (``1e309``), thousands separators
(``1,200``, ``1_000``) and decimal commas (``1,5`` or ``1，5``), which are ambiguous. In a
DataFrame, a list of records or a mapping of columns, a number is taken as it is (``True``/``False``
as 1/0), and ``None``, NaN and pandas' ``NA`` are empty cells (missing), in an id column too.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import DataValidationError, Problem
from renoscore.system import INTEGER_KINDS, IndicatorKind, IndicatorSystem, load_system, suggest

__all__ = ["NA_TOKENS", "CellStatus", "CommunityData", "load_data"]

#: Text that marks a cell as "not applicable" (as opposed to an empty, missing cell).
NA_TOKENS: frozenset[str] = frozenset(
    {"n/a", "N/A", "NA", "n.a.", "not applicable", "not_applicable", "不适用", "无此项"}
)
_NONFINITE_TEXT = frozenset(
    {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
)
#: Largest data file read by default (bytes); pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 2_000_000_000


class CellStatus(IntEnum):
    """Status of one cell of community data."""

    OK = 0
    MISSING = 1
    NOT_APPLICABLE = 2


@dataclass(frozen=True, eq=False)
class CommunityData:
    """Validated community data in the system's indicator order.

    Attributes
    ----------
    system_id, system_version : str
        The indicator system the data were validated against.
    indicator_ids : tuple of str
        Column order of ``values`` and ``status`` (the system's indicator order).
    ids : tuple of str
        Community id of each row.
    phases : tuple of (str or None)
        Phase of each row (None when the table has no phase column).
    values : ndarray, shape (N, M)
        Indicator values; NaN wherever ``status`` is not OK. Read-only.
    status : ndarray of int8, shape (N, M)
        :class:`CellStatus` codes. Read-only.
    context : dict
        Columns kept but not scored (district, build year, ...), as tuples of their cells.
    source : str or None
        Where the data came from.

    Examples
    --------
    >>> import renoscore as rs
    >>> data = rs.example_data()
    >>> data.values.shape[1] == len(rs.default_system().indicators)
    True
    """

    system_id: str
    system_version: str
    indicator_ids: tuple[str, ...]
    ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    values: NDArray[np.float64]
    status: NDArray[np.int8]
    context: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        n, m = self.values.shape
        if self.status.shape != (n, m) or len(self.ids) != n or len(self.phases) != n:
            raise DataValidationError("CommunityData arrays do not agree in shape")
        if len(self.indicator_ids) != m:
            raise DataValidationError("CommunityData has a column count unlike its indicator ids")
        self.values.setflags(write=False)
        self.status.setflags(write=False)

    @property
    def n(self) -> int:
        """Number of rows (community x phase)."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of indicators."""
        return len(self.indicator_ids)

    @property
    def keys(self) -> tuple[tuple[str, str | None], ...]:
        """``(community id, phase)`` of every row."""
        return tuple(zip(self.ids, self.phases, strict=True))

    def phase_ids(self) -> tuple[str | None, ...]:
        """The distinct phases present, in order of first appearance."""
        return tuple(dict.fromkeys(self.phases))

    def select(self, phase: str | None = None, ids: Iterable[str] | None = None) -> CommunityData:
        """A subset of the rows: one phase and/or some community ids (order kept)."""
        mask = np.ones(self.n, dtype=bool)
        if phase is not None:
            mask &= np.array([p == phase for p in self.phases], dtype=bool)
        if ids is not None:
            wanted = set(ids)
            mask &= np.array([i in wanted for i in self.ids], dtype=bool)
        return self.take(np.flatnonzero(mask))

    def take(self, rows: NDArray[np.intp] | Sequence[int]) -> CommunityData:
        """The rows at the given positions, in that order."""
        index = np.asarray(rows, dtype=np.intp)
        return CommunityData(
            system_id=self.system_id,
            system_version=self.system_version,
            indicator_ids=self.indicator_ids,
            ids=tuple(self.ids[i] for i in index),
            phases=tuple(self.phases[i] for i in index),
            values=self.values[index].copy(),
            status=self.status[index].copy(),
            context={k: tuple(v[i] for i in index) for k, v in self.context.items()},
            source=self.source,
        )

    def column(self, indicator_id: str) -> NDArray[np.float64]:
        """The values of one indicator (NaN where not OK)."""
        try:
            j = self.indicator_ids.index(indicator_id)
        except ValueError:
            raise DataValidationError(
                f"no indicator {indicator_id!r}",
                [
                    Problem(
                        "unknown indicator",
                        column=indicator_id,
                        fix=suggest(indicator_id, self.indicator_ids),
                    )
                ],
            ) from None
        return self.values[:, j]

    def counts(self) -> dict[str, int]:
        """Cell counts by status."""
        return {s.name.lower(): int(np.count_nonzero(self.status == s)) for s in CellStatus}

    def digest(self) -> str:
        """A SHA-256 of ids, phases, values and status: identifies the input of a result."""
        return data_digest(self.indicator_ids, self.ids, self.phases, self.values, self.status)

    def equals(self, other: CommunityData) -> bool:
        """Exact equality of everything, NaN cells included."""
        return (
            self.indicator_ids == other.indicator_ids
            and self.keys == other.keys
            and np.array_equal(self.values, other.values, equal_nan=True)
            and np.array_equal(self.status, other.status)
            and self.context == other.context
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CommunityData) and self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> str:
        """A short text summary: rows, communities, phases and cell counts."""
        c = self.counts()
        phases = ", ".join(f"{p}: {self.phases.count(p)}" for p in self.phase_ids())
        return (
            f"{self.n} rows, {len(set(self.ids))} communities, {self.m} indicators "
            f"(system {self.system_id} v{self.system_version}); phases {phases or '-'}; "
            f"cells ok {c['ok']}, missing {c['missing']}, not applicable {c['not_applicable']}"
        )

    def __repr__(self) -> str:
        return f"CommunityData({self.summary()})"


def data_digest(
    indicator_ids: Sequence[str],
    ids: Sequence[str],
    phases: Sequence[str | None],
    values: NDArray[np.float64],
    status: NDArray[np.int8],
) -> str:
    """SHA-256 of a table's ids, phases, indicator order, values and cell statuses."""
    h = hashlib.sha256()
    h.update("\x1f".join(indicator_ids).encode())
    h.update("\x1f".join(ids).encode())
    h.update("\x1f".join("\x00" if p is None else p for p in phases).encode())
    # .data is a buffer view: hashing the arrays without copying them.
    h.update(np.ascontiguousarray(values).data)
    h.update(np.ascontiguousarray(status).data)
    return h.hexdigest()


# --------------------------------------------------------------------------- reading
@dataclass
class _Table:
    columns: dict[str, NDArray[Any]]
    header: list[str]
    n: int
    lines: list[int] | None = None
    source: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _read_csv(path: Path, encoding: str | None, max_bytes: int) -> _Table:
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


def _parse_csv_text(text: str, source: str | None) -> _Table:
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
    header = [h.strip() for h in header]
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    width = len(header)
    try:
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue  # a blank line holds no community
            if len(record) != width:
                problems.append(
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
    columns: dict[str, NDArray[Any]] = {}
    if rows:
        transposed = list(zip(*rows, strict=True))
        for name, cells in zip(header, transposed, strict=True):
            columns.setdefault(name, np.array(cells, dtype=object))
    else:
        columns = {name: np.array([], dtype=object) for name in header}
    return _Table(columns, header, len(rows), lines, source, problems)


def _from_frame(frame: Any, source: str | None = None) -> _Table:
    header = [str(c) for c in frame.columns]
    columns: dict[str, NDArray[Any]] = {}
    for name, col in zip(header, frame.columns, strict=True):
        series = frame[col]
        if getattr(series, "ndim", 1) != 1:
            continue  # a duplicated column label; reported with the other column problems
        columns.setdefault(name, np.asarray(series.to_numpy()))
    return _Table(columns, header, len(frame), None, source)


def _from_mapping(mapping: Mapping[Any, Any]) -> _Table:
    header = [str(k) for k in mapping]
    columns: dict[str, NDArray[Any]] = {}
    problems: list[Problem] = []
    for key, value in mapping.items():
        array = value if isinstance(value, np.ndarray) else None
        if array is None and isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            array = np.empty(len(list(value)), dtype=object)
            array[:] = list(value)
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
    return _Table(columns, header, n)


def _from_records(records: Sequence[Mapping[Any, Any]]) -> _Table:
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
    return _Table(columns, header, len(records))


def _read_with_pandas(path: Path, reader: str, sheet: str | int | None) -> _Table:
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


def _read_source(
    source: Any, encoding: str | None, sheet: str | int | None, max_bytes: int
) -> _Table:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise DataValidationError(
                "data file not found",
                [Problem("no such file", file=str(path), fix="check the path")],
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


# --------------------------------------------------------------------------- parsing
def _is_blank(cell: Any) -> bool:
    """None, a NaN float and pandas' NA/NaT are empty cells, not text."""
    if cell is None:
        return True
    if isinstance(cell, (float, np.floating)):
        return bool(np.isnan(cell))
    return type(cell).__name__ in ("NAType", "NaTType")


def _as_text(cells: NDArray[Any]) -> NDArray[np.str_]:
    """Cells as stripped text; empty cells (None, NaN, pandas NA) become ''."""
    out = np.array(["" if _is_blank(c) else str(c) for c in cells.tolist()], dtype=str)
    return np.char.strip(out) if out.size else out


#: Characters that make a number ambiguous: thousands separators and decimal commas.
_SEPARATORS = (",", "，", "_", "'", "’")


def _parse_numeric(
    cells: NDArray[Any],
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[tuple[int, Any, str, str]]]:
    """Parse one column.

    Returns the values (NaN where not a number), the status of each cell and the problems as
    ``(row, value, reason, fix)``.
    """
    n = cells.shape[0]
    status = np.zeros(n, dtype=np.int8)
    bad: list[tuple[int, Any, str, str]] = []
    if cells.dtype.kind in "fiub":
        values = cells.astype(np.float64)
        status[np.isnan(values)] = CellStatus.MISSING
        for r in np.flatnonzero(np.isinf(values)).tolist():
            bad.append((r, float(values[r]), "infinite value", "give a finite number"))
            values[r] = np.nan
        return values, status, bad
    values = np.full(n, np.nan)
    if cells.dtype.kind == "O":
        # Numbers in an object column (records, mixed DataFrame columns) are taken as they are,
        # without a trip through text; only text cells are parsed.
        items = cells.tolist()
        direct = np.array(
            [
                isinstance(c, (int, float, np.integer, np.floating)) and not _is_blank(c)
                for c in items
            ],
            dtype=bool,
        )
        if direct.any():
            values[direct] = np.array([float(c) for c, d in zip(items, direct, strict=True) if d])
            for r in np.flatnonzero(direct & np.isinf(values)).tolist():
                bad.append((r, float(values[r]), "infinite value", "give a finite number"))
                values[r] = np.nan
                status[r] = CellStatus.MISSING
            cells = cells.copy()
            cells[direct] = None
    else:
        direct = np.zeros(n, dtype=bool)
    text = _as_text(cells)
    empty = (text == "") & ~direct
    na_explicit = np.isin(text, list(NA_TOKENS))
    status[empty] = CellStatus.MISSING
    status[na_explicit] = CellStatus.NOT_APPLICABLE
    rest = ~(empty | na_explicit | direct)
    if not rest.any():
        return values, status, bad
    chunk = text[rest]
    try:
        parsed = chunk.astype(np.float64)
    except ValueError:
        parsed = np.array([_float_or_nan(t) for t in chunk.tolist()], dtype=np.float64)
    # Python's float() reads "1_000" as 1000; a grouping character is never accepted silently.
    grouped = np.zeros(chunk.shape, dtype=bool)
    for sep in _SEPARATORS:
        grouped |= np.char.find(chunk, sep) >= 0
    parsed[grouped] = np.nan
    values[rest] = parsed
    idx = np.flatnonzero(rest)
    nonfinite_text = np.isin(np.char.lower(chunk), list(_NONFINITE_TEXT))
    for k in np.flatnonzero(~np.isfinite(parsed)).tolist():
        r = int(idx[k])
        raw = str(chunk[k])
        if nonfinite_text[k]:
            reason, fix = (
                f"{raw} is not a measured value",
                "leave the cell empty if it is missing, or write n/a if not applicable",
            )
        elif grouped[k]:
            reason = (
                "a separator inside a number is ambiguous (thousands separator or decimal comma)"
            )
            fix = "write the number without separators, with '.' as the decimal point"
        elif np.isinf(parsed[k]):
            reason, fix = "the number overflows float64", "check the value"
        else:
            reason, fix = (
                "not a number",
                "write a number, leave empty if missing, or n/a if not applicable",
            )
        bad.append((r, raw, reason, fix))
        values[r] = np.nan
    return values, status, bad


def _float_or_nan(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


# --------------------------------------------------------------------------- validation
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
) -> CommunityData:
    """Read and validate community data against an indicator system.

    Parameters
    ----------
    source : path, DataFrame, list of dict or mapping of columns
        The table: one row per community and phase, one column per indicator (named by its
        id), an id column, an optional phase column, and any context columns.
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
    """
    system = load_system(system) if system is not None else _default()
    table = _read_source(source, encoding, sheet, max_bytes)
    problems: list[Problem] = list(table.problems)
    file = table.source
    if not table.header:
        raise DataValidationError(
            "the data table is empty",
            [Problem("no columns and no rows", file=file, fix="add a header and rows")],
        )

    def where(r: int) -> dict[str, Any]:
        return {"file": file, "row": r + 1, "line": table.lines[r] if table.lines else None}

    # ---- columns
    header_line = 1 if table.lines is not None else None
    seen: dict[str, int] = {}
    for name in table.header:
        seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            problems.append(
                Problem(
                    f"column {name!r} appears {count} times",
                    file=file,
                    line=header_line,
                    column=name,
                    fix="remove or rename the copies",
                )
            )
    indicator_ids = system.indicator_ids
    ind_set = set(indicator_ids)
    if id_column not in table.columns:
        raise DataValidationError(
            "community data has no id column",
            [
                Problem(
                    f"no column {id_column!r}",
                    file=file,
                    line=header_line,
                    fix=suggest(id_column, table.header)
                    or f"add a {id_column!r} column or pass id_column=...",
                )
            ],
        )
    has_phase = phase_column is not None and phase_column in table.columns
    reserved = {id_column, *([phase_column] if has_phase and phase_column else [])}
    context_names: list[str] = []
    declared_context = set(context) if context is not None else None
    for name in table.header:
        if name in ind_set or name in reserved or name in context_names:
            continue
        if declared_context is not None:
            if name in declared_context:
                context_names.append(name)
            else:
                problems.append(
                    Problem(
                        f"unknown column {name!r}",
                        file=file,
                        line=header_line,
                        column=name,
                        fix=suggest(name, [*indicator_ids, *declared_context])
                        or "declare it in context=[...] or remove it",
                    )
                )
            continue
        close = suggest(name, indicator_ids)
        if close is not None and _close(name, indicator_ids):
            problems.append(
                Problem(
                    f"unknown column {name!r}", file=file, line=header_line, column=name, fix=close
                )
            )
        else:
            context_names.append(name)
    for ind_id in indicator_ids:
        if ind_id not in table.columns:
            problems.append(
                Problem(
                    f"indicator column {ind_id!r} is missing",
                    file=file,
                    line=header_line,
                    column=ind_id,
                    fix="add the column (empty cells mean missing, n/a means not applicable)",
                )
            )

    n = table.n
    if n == 0:
        problems.append(
            Problem("the table has no rows", file=file, fix="add at least one community")
        )
        raise DataValidationError("community data is empty", problems)

    # ---- ids and phases
    ids_text = _as_text(np.asarray(table.columns[id_column], dtype=object))
    ids = tuple(str(i) for i in ids_text.tolist())
    for r in np.flatnonzero(ids_text == "").tolist():
        problems.append(
            Problem("empty community id", column=id_column, fix="give every row an id", **where(r))
        )
    phases: tuple[str | None, ...] = (None,) * n
    if has_phase:
        assert phase_column is not None
        phase_text = _as_text(np.asarray(table.columns[phase_column], dtype=object))
        phase_list = [str(p) for p in phase_text.tolist()]
        phases = tuple(phase_list)
        declared = list(system.phase_ids)
        for r, p in enumerate(phase_list):
            if p == "":
                problems.append(
                    Problem(
                        "empty phase",
                        column=phase_column,
                        community_id=ids[r] or None,
                        fix=f"use one of {declared}",
                        **where(r),
                    )
                )
            elif p not in declared:
                problems.append(
                    Problem(
                        f"unknown phase {p!r}",
                        column=phase_column,
                        community_id=ids[r] or None,
                        fix=suggest(p, declared) or f"use one of {declared}",
                        **where(r),
                    )
                )
    first_row: dict[tuple[str, str | None], int] = {}
    for r, key in enumerate(zip(ids, phases, strict=True)):
        if key[0] == "":
            continue
        if key in first_row:
            phase_note = f" in phase {key[1]!r}" if key[1] is not None else ""
            problems.append(
                Problem(
                    f"duplicate community id {key[0]!r}{phase_note} (first at row "
                    f"{first_row[key] + 1})",
                    column=id_column,
                    community_id=key[0],
                    fix="give each community one row per phase",
                    **where(r),
                )
            )
        else:
            first_row[key] = r

    # ---- indicator cells
    m = len(indicator_ids)
    values = np.full((n, m), np.nan)
    status = np.full((n, m), CellStatus.MISSING, dtype=np.int8)
    lo, hi = system.range_arrays()
    phase_array = np.array(["" if p is None else p for p in phases], dtype=object)
    for j, ind in enumerate(system.indicators):
        if ind.id not in table.columns:
            continue
        col_values, col_status, bad = _parse_numeric(np.asarray(table.columns[ind.id]))
        for r, raw, reason, fix in bad:
            problems.append(
                Problem(
                    reason,
                    column=ind.id,
                    community_id=ids[r] or None,
                    value=raw,
                    fix=fix,
                    **where(r),
                )
            )
        ok = (col_status == CellStatus.OK) & np.isfinite(col_values)
        out = ok & ((col_values < lo[j]) | (col_values > hi[j]))
        for r in np.flatnonzero(out).tolist():
            problems.append(
                Problem(
                    f"value outside the range [{_num(ind.range.min)}, {_num(ind.range.max)}] "
                    f"of {ind.id} ({ind.kind.value})",
                    column=ind.id,
                    community_id=ids[r] or None,
                    value=float(col_values[r]),
                    fix="correct the value, or widen the range in the system if it is "
                    "genuinely possible",
                    **where(r),
                )
            )
        if ind.kind in INTEGER_KINDS:
            fractional = ok & ~out & (col_values != np.round(col_values))
            for r in np.flatnonzero(fractional).tolist():
                problems.append(
                    Problem(
                        f"{ind.kind.value} indicator needs a whole number",
                        column=ind.id,
                        community_id=ids[r] or None,
                        value=float(col_values[r]),
                        fix=(
                            f"use one of the levels {sorted(ind.levels)}"
                            if ind.kind is IndicatorKind.ORDINAL and ind.levels
                            else "use a whole number"
                            if ind.kind is IndicatorKind.ORDINAL
                            else "use 0 or 1"
                        ),
                        **where(r),
                    )
                )
        if ind.phases is not None and has_phase:
            not_measured = ~np.isin(phase_array, list(ind.phases)) & (
                col_status == CellStatus.MISSING
            )
            col_status[not_measured] = CellStatus.NOT_APPLICABLE
        # a cell whose text was rejected stays MISSING (the load fails anyway)
        col_status[(col_status == CellStatus.OK) & ~np.isfinite(col_values)] = CellStatus.MISSING
        values[:, j] = np.where(col_status == CellStatus.OK, col_values, np.nan)
        status[:, j] = col_status

    if problems:
        raise DataValidationError(
            f"community data does not match system {system.id!r}{' in ' + file if file else ''}",
            sorted(problems, key=lambda p: (p.row or 0, p.column or "")),
        )

    context_cols = {
        name: tuple(np.asarray(table.columns[name], dtype=object).tolist())
        for name in context_names
    }
    return CommunityData(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=indicator_ids,
        ids=ids,
        phases=phases,
        values=values,
        status=status,
        context=context_cols,
        source=file,
    )


def _num(value: float | None) -> str:
    return "open" if value is None else f"{value:g}"


def _close(name: str, options: Sequence[str]) -> bool:
    lowered = [o.casefold() for o in options]
    return name.casefold() in lowered or bool(
        difflib.get_close_matches(name.casefold(), lowered, n=1, cutoff=0.8)
    )


def _default() -> IndicatorSystem:
    from renoscore.system import default_system

    return default_system()
