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
read as the same digits), with surrounding spaces; full-width forms of the point, the signs and
the exponent (``１．５``, ``－５``, ``＋５``, ``５ｅ２``, as a Chinese input method types them) and the
minus sign U+2212 are read as their ASCII forms. Rejected with a reason: text that is not a
number, ``nan``/``inf`` written as text, values that overflow (``1e309``), values beyond
±1e300 (:data:`~renoscore.system.MAX_MAGNITUDE`: the difference of any two accepted values, and
so every normalisation, stays finite), thousands separators (``1,200``, ``1_000``, ``1 000``
with any kind of space) and decimal commas (``1,5`` or ``1，5``), which are ambiguous. In a
DataFrame, a list of records or a mapping of columns, a number is taken as it is (``True``/``False``
as 1/0; an integer too large for a float is an error), bytes are read as UTF-8 text, and
``None``, NaN and pandas' ``NA`` are empty cells (missing), in an id column too. An id must be
text or a number (a list or a mapping is an error).

Context columns are kept as JSON-ready cells (so that a result can be written and read back):
text, numbers and booleans as they are, empty cells (None, NaN, pandas NA/NaT) as None, dates
and times as ISO text, bytes as UTF-8 text, infinities and any other object as their text.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import hashlib
import io
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import DataValidationError, Problem
from renoscore.system import (
    INTEGER_KINDS,
    MAX_MAGNITUDE,
    IndicatorKind,
    IndicatorSystem,
    load_system,
    short_repr,
    suggest,
)

__all__ = [
    "NA_TOKENS",
    "CellStatus",
    "CommunityData",
    "PhaseCodes",
    "RowLabels",
    "label_array",
    "label_codes",
    "label_count",
    "load_data",
]

#: Text that marks a cell as "not applicable" (as opposed to an empty, missing cell).
NA_TOKENS: frozenset[str] = frozenset(
    {"n/a", "N/A", "NA", "n.a.", "not applicable", "not_applicable", "不适用", "无此项"}
)
_NONFINITE_TEXT = frozenset(
    {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
)
#: Largest data file read by default (bytes); pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 2_000_000_000
#: Most problems one error records one by one; the rest are counted in a last problem. A table
#: of garbage would otherwise build a record per cell: 8 MB of bad cells took 54 s and 1.5 GB.
MAX_PROBLEMS = 10_000
#: Unknown columns checked for a did-you-mean (difflib costs ~0.4 ms a column).
_MAX_SUGGESTIONS = 200


class _Problems(list[Problem]):
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


class CellStatus(IntEnum):
    """Status of one cell of community data."""

    OK = 0
    MISSING = 1
    NOT_APPLICABLE = 2


_T = TypeVar("_T")


@dataclass(frozen=True, eq=False)
class PhaseCodes:
    """Phases of many rows as small integer codes into the distinct phases.

    Attributes
    ----------
    codes : ndarray of intp, shape (N,)
        Index of each row's phase in ``labels``.
    labels : tuple of (str or None)
        The distinct phases, in order of first appearance (None: the table has no phase).
    """

    codes: NDArray[np.intp]
    labels: tuple[str | None, ...]

    def __post_init__(self) -> None:
        self.codes.setflags(write=False)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def take(self, rows: NDArray[np.intp]) -> PhaseCodes:
        """The codes of some rows, with the labels pruned to the phases still present."""
        return _first_appearance(self.codes[rows], self.labels)

    def as_tuple(self) -> tuple[str | None, ...]:
        """One label per row."""
        table = np.empty(len(self.labels), dtype=object)
        table[:] = list(self.labels)
        return tuple(table[self.codes].tolist())


def _first_appearance(codes: NDArray[np.intp], labels: Sequence[str | None]) -> PhaseCodes:
    """Renumber codes so that labels come in order of first appearance; drop absent labels."""
    n = codes.shape[0]
    first = np.full(len(labels), n, dtype=np.intp)
    if len(labels) <= 8:
        for k in range(len(labels)):
            at = int((codes == k).argmax()) if n else 0
            if n and codes[at] == k:
                first[k] = at
    else:
        np.minimum.at(first, codes, np.arange(n, dtype=np.intp))
    present = np.flatnonzero(first < n)
    order = present[np.argsort(first[present], kind="stable")]
    if order.size == len(labels) and bool((order == np.arange(order.size)).all()):
        return PhaseCodes(np.asarray(codes, dtype=np.intp), tuple(labels))
    remap = np.full(len(labels), -1, dtype=np.intp)
    remap[order] = np.arange(order.size, dtype=np.intp)
    return PhaseCodes(remap[codes], tuple(labels[int(k)] for k in order))


def _codes_of(labels: Sequence[str | None]) -> PhaseCodes:
    index: dict[str | None, int] = {}
    codes = np.fromiter(
        (index.setdefault(p, len(index)) for p in labels), dtype=np.intp, count=len(labels)
    )
    return PhaseCodes(codes, tuple(index))


class RowLabels(Generic[_T]):
    """A tuple-valued field of a frozen dataclass that may be stored as a numpy array.

    Community ids and phases of a million rows cost more to turn into tuples of Python
    strings than scoring the rows does, so the loaders hand over a read-only numpy array of
    ids and :class:`PhaseCodes` of phases. Reading the attribute returns a tuple, built on
    first read and kept; :func:`label_array` and :func:`label_codes` give the arrays without
    building it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_store"
        self._tuple = f"_{name}_tuple"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> RowLabels[_T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> tuple[_T, ...]: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            # No class-level default: the dataclass field stays required.
            raise AttributeError(self._slot)
        cache = obj.__dict__
        if self._tuple not in cache:
            store = cache[self._slot]
            if isinstance(store, PhaseCodes):
                cache[self._tuple] = store.as_tuple()
            elif isinstance(store, np.ndarray):
                cache[self._tuple] = tuple(store.tolist())
            else:
                cache[self._tuple] = store
        return cache[self._tuple]

    def __set__(self, obj: object, value: Sequence[_T] | NDArray[Any] | PhaseCodes) -> None:
        if isinstance(value, np.ndarray):
            value = value.view()
            value.setflags(write=False)
        elif not isinstance(value, PhaseCodes):
            value = tuple(value)
        obj.__dict__[self._slot] = value
        obj.__dict__.pop(self._tuple, None)

    def store(self, obj: object) -> tuple[Any, ...] | NDArray[Any] | PhaseCodes:
        """What was assigned (a tuple, an array or :class:`PhaseCodes`)."""
        value: tuple[Any, ...] | NDArray[Any] | PhaseCodes = obj.__dict__[self._slot]
        return value


def _descriptor(owner: type, name: str) -> RowLabels[Any]:
    for klass in owner.__mro__:
        if name in klass.__dict__ and isinstance(klass.__dict__[name], RowLabels):
            return klass.__dict__[name]  # type: ignore[no-any-return]
    raise AttributeError(name)


def label_count(obj: object, name: str) -> int:
    """Number of labels in a :class:`RowLabels` field, without building the tuple."""
    return len(_descriptor(type(obj), name).store(obj))


def label_array(obj: object, name: str) -> NDArray[Any]:
    """A :class:`RowLabels` field as a read-only numpy array (str, or object with None)."""
    store = _descriptor(type(obj), name).store(obj)
    if isinstance(store, np.ndarray):
        return store
    key = f"_{name}_array"
    if key not in obj.__dict__:
        if isinstance(store, PhaseCodes):
            table = np.empty(len(store.labels), dtype=object)
            table[:] = list(store.labels)
            arr = table[store.codes]
        elif all(type(x) is str for x in store):
            arr = np.array(store, dtype=str) if store else np.array([], dtype=str)
        else:
            arr = np.empty(len(store), dtype=object)
            arr[:] = list(store)
        arr.setflags(write=False)
        obj.__dict__[key] = arr
    cached: NDArray[Any] = obj.__dict__[key]
    return cached


def label_codes(obj: object, name: str) -> PhaseCodes:
    """A :class:`RowLabels` field as codes into its distinct labels (first appearance order)."""
    store = _descriptor(type(obj), name).store(obj)
    if isinstance(store, PhaseCodes):
        return store
    key = f"_{name}_codes"
    if key not in obj.__dict__:
        labels = store.tolist() if isinstance(store, np.ndarray) else store
        obj.__dict__[key] = _codes_of(labels)
    cached: PhaseCodes = obj.__dict__[key]
    return cached


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
        Community id of each row. The loaders keep the ids as a numpy array and build this
        tuple on first read; :attr:`id_array` gives the array.
    phases : tuple of (str or None)
        Phase of each row (None when the table has no phase column); built on first read,
        :attr:`phase_codes` gives the phases as integer codes.
    values : ndarray, shape (N, M)
        Indicator values; NaN wherever ``status`` is not OK. Read-only. Its memory order is
        whatever was cheapest to build (column-major from a table of columns; a view of the
        caller's array when :func:`load_data` is given an ``(N, M)`` array).
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
    ids: RowLabels[str] = RowLabels()
    phases: RowLabels[str | None] = RowLabels()
    # RowLabels raises on class access, so ids and phases have no default at run time.
    values: NDArray[np.float64]  # type: ignore[misc]
    status: NDArray[np.int8]  # type: ignore[misc]
    context: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        n, m = self.values.shape
        if (
            self.status.shape != (n, m)
            or label_count(self, "ids") != n
            or label_count(self, "phases") != n
        ):
            raise DataValidationError("CommunityData arrays do not agree in shape")
        if len(self.indicator_ids) != m:
            raise DataValidationError("CommunityData has a column count unlike its indicator ids")
        self.values.setflags(write=False)
        self.status.setflags(write=False)

    @property
    def n(self) -> int:
        """Number of rows (community x phase)."""
        return int(self.values.shape[0])

    @property
    def m(self) -> int:
        """Number of indicators."""
        return len(self.indicator_ids)

    @property
    def id_array(self) -> NDArray[Any]:
        """The community ids as a read-only numpy array (no tuple of strings is built)."""
        return label_array(self, "ids")

    @property
    def phase_codes(self) -> PhaseCodes:
        """The phases as integer codes into the distinct phases (first appearance order)."""
        return label_codes(self, "phases")

    @property
    def keys(self) -> tuple[tuple[str, str | None], ...]:
        """``(community id, phase)`` of every row."""
        return tuple(zip(self.ids, self.phases, strict=True))

    def phase_ids(self) -> tuple[str | None, ...]:
        """The distinct phases present, in order of first appearance."""
        return self.phase_codes.labels

    def select(self, phase: str | None = None, ids: Iterable[str] | None = None) -> CommunityData:
        """A subset of the rows: one phase and/or some community ids (order kept)."""
        mask = np.ones(self.n, dtype=bool)
        if phase is not None:
            pc = self.phase_codes
            k = pc.labels.index(phase) if phase in pc.labels else -1
            mask &= pc.codes == k
        if ids is not None:
            wanted = [str(i) for i in ids]
            mask &= np.isin(self.id_array, np.array(wanted, dtype=str))
        return self.take(np.flatnonzero(mask))

    def take(self, rows: NDArray[np.intp] | Sequence[int]) -> CommunityData:
        """The rows at the given positions, in that order."""
        index = np.asarray(rows, dtype=np.intp)
        return CommunityData(
            system_id=self.system_id,
            system_version=self.system_version,
            indicator_ids=self.indicator_ids,
            ids=self.id_array[index],
            phases=self.phase_codes.take(index),
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
            and self.n == other.n
            and bool(np.array_equal(self.id_array, other.id_array))
            and self.phases == other.phases
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
        pc = self.phase_codes
        per_phase = np.bincount(pc.codes, minlength=len(pc.labels))
        phases = ", ".join(f"{p}: {int(k)}" for p, k in zip(pc.labels, per_phase, strict=True))
        communities = self.n - len(_repeated_rows(self.id_array, None, None))
        return (
            f"{self.n} rows, {communities} communities, {self.m} indicators "
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
    for arr in (values, status):
        if arr.flags.c_contiguous:
            # .data is a buffer view: hashing the array without copying it.
            h.update(np.ascontiguousarray(arr).data)
        else:
            # Row blocks give the same bytes as the whole array in C order, without a copy of it.
            step = max(1, (1 << 20) // max(1, arr.shape[1] * arr.itemsize))
            for start in range(0, arr.shape[0], step):
                h.update(np.ascontiguousarray(arr[start : start + step]).data)
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
    problems = _Problems()
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
        if name not in columns:
            text = _arrow_ascii_text(series)
            columns[name] = text if text is not None else np.asarray(series.to_numpy())
    return _Table(columns, header, len(frame), None, source)


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


def _from_mapping(mapping: Mapping[Any, Any]) -> _Table:
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
    return _Table(columns, header, n)


def _numeric_list(items: list[Any]) -> NDArray[Any] | None:
    """A list of plain numbers as a numeric array (None when any cell is not a number)."""
    if not items or not isinstance(items[0], (int, float, np.integer, np.floating)):
        return None
    try:
        array = np.asarray(items)
    except (ValueError, TypeError):
        return None
    return array if array.ndim == 1 and array.dtype.kind in "fiub" else None


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
    if _is_blank(cell):
        return ""
    if isinstance(cell, bytes):
        return cell.decode("utf-8", errors="replace")
    return str(cell)


#: Types a community id may have (text or a number); anything else is an error.
_ID_TYPES = (str, int, float, np.integer, np.floating, np.str_, bytes)


def _id_type_problems(
    cells: NDArray[Any], column: str, where: Callable[[int], dict[str, Any]]
) -> list[Problem]:
    """Ids that are lists, mappings or other objects, or bytes that are not UTF-8."""
    if cells.dtype.kind != "O":
        return []
    items = cells.tolist()
    if set(map(type, items)) <= {str, int, float, type(None)}:
        return []
    problems: list[Problem] = _Problems()
    for r, cell in enumerate(items):
        if _is_blank(cell):
            continue
        if isinstance(cell, bytes):
            try:
                cell.decode("utf-8")
                continue
            except UnicodeDecodeError:
                reason = "a community id in bytes that are not UTF-8"
        elif isinstance(cell, _ID_TYPES) and not isinstance(cell, bool):
            continue
        else:
            reason = f"a community id must be text or a number, not {type(cell).__name__}"
        problems.append(
            Problem(
                reason,
                column=column,
                value=short_repr(cell, 40),
                fix="give every row a plain id (text such as 'JS01' or a number)",
                **where(r),
            )
        )
    return problems


def _context_cells(cells: NDArray[Any]) -> tuple[Any, ...]:
    """A context column as JSON-ready cells (see the module docstring)."""
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
    if _is_blank(cell):
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


def _float_cell(cell: Any) -> float:
    """A number cell as a float; an integer too large for a float is infinite (reported)."""
    try:
        return float(cell)
    except OverflowError:
        return math.inf if cell > 0 else -math.inf


#: Cells parsed together when a text column holds something that is not a number.
_PIECE = 4096


def _parse_numeric(
    cells: NDArray[Any],
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[tuple[int, Any, str, str]]]:
    """Parse one column: values (NaN where not a number), statuses and every problem.

    The problems are ``(row, value, reason, fix)``; see :func:`_parse_column` for a bounded
    variant.
    """
    values, status, bad, _, _ = _parse_column(cells, sys.maxsize)
    return values, status, bad


def _parse_column(
    cells: NDArray[Any], limit: int = MAX_PROBLEMS
) -> tuple[NDArray[np.float64], NDArray[np.int8], list[tuple[int, Any, str, str]], int, bool]:
    """Parse one column.

    Returns the values (NaN where not a number), the status of each cell, the problems as
    ``(row, value, reason, fix)`` -- at most ``limit`` of them --, how many more bad cells
    were found but not described, and whether some cells were not read at all because the
    limit was reached (the load fails anyway, so their values do not matter).
    """
    n = cells.shape[0]
    status = np.zeros(n, dtype=np.int8)
    bad: list[tuple[int, Any, str, str]] = []
    if cells.dtype.kind in "fiub":
        values = cells.astype(np.float64)
        status[np.isnan(values)] = CellStatus.MISSING
        infinite = np.flatnonzero(np.isinf(values))
        for r in infinite[: max(0, limit)].tolist():
            bad.append((r, float(values[r]), "infinite value", "give a finite number"))
        values[infinite] = np.nan
        return values, status, bad, max(0, infinite.size - max(0, limit)), False
    values = np.full(n, np.nan)
    if limit <= 0:
        return values, status, bad, 0, True
    if cells.dtype.kind == "O":
        # Numbers in an object column (records, mixed DataFrame columns) are taken as they are,
        # without a trip through text; only text cells are parsed.
        items = cells.tolist()
        if set(map(type, items)) <= {str}:
            direct = np.zeros(n, dtype=bool)  # text only (CSV): no per-cell type test
        else:
            direct = np.array(
                [
                    isinstance(c, (int, float, np.integer, np.floating)) and not _is_blank(c)
                    for c in items
                ],
                dtype=bool,
            )
        if direct.any():
            values[direct] = np.array(
                [_float_cell(c) for c, d in zip(items, direct, strict=True) if d]
            )
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
    else:
        direct = np.zeros(n, dtype=bool)
    text = _as_text(cells)
    empty = (text == "") & ~direct
    na_explicit = np.isin(text, list(NA_TOKENS))
    status[empty] = CellStatus.MISSING
    status[na_explicit] = CellStatus.NOT_APPLICABLE
    rest = ~(empty | na_explicit | direct)
    if not rest.any():
        return values, status, bad, 0, False
    chunk = text[rest]
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
        if nonfinite_text[done]:
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
        bad.append((r, raw if len(raw) <= 80 else raw[:77] + "...", reason, fix))
        values[r] = np.nan
    return values, status, bad, 0, checked < chunk.shape[0]


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
    system = load_system(system) if system is not None else _default()
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
    table = _read_source(source, encoding, sheet, max_bytes)
    problems = _Problems(table.problems)
    if isinstance(table.problems, _Problems):
        problems.skip(table.problems.more)
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
    # difflib costs ~0.4 ms a column: only the first _MAX_SUGGESTIONS unknown columns are
    # compared with the ids (50,000 extra columns took 20 s). Nothing is lost beyond: an
    # indicator column that is really misspelt is still reported as missing.
    lowered_ids = {i.casefold(): i for i in indicator_ids}
    fuzzy_left = _MAX_SUGGESTIONS
    placed: set[str] = set()  # a set: 50,000 columns made a list lookup quadratic
    for name in table.header:
        if name in ind_set or name in reserved or name in placed:
            continue
        placed.add(name)
        if declared_context is not None:
            if name in declared_context:
                context_names.append(name)
            else:
                fix = None
                if fuzzy_left > 0:
                    fuzzy_left -= 1
                    fix = suggest(name, [*indicator_ids, *declared_context])
                problems.append(
                    Problem(
                        f"unknown column {short_repr(name)}",
                        file=file,
                        line=header_line,
                        column=name,
                        fix=fix or "declare it in context=[...] or remove it",
                    )
                )
            continue
        if name.casefold() in lowered_ids:
            close: str | None = f"did you mean {lowered_ids[name.casefold()]!r}?"
        elif fuzzy_left > 0:
            fuzzy_left -= 1
            close = suggest(name, indicator_ids) if _close(name, indicator_ids) else None
        else:
            close = None
        if close is not None:
            problems.append(
                Problem(
                    f"unknown column {short_repr(name)}",
                    file=file,
                    line=header_line,
                    column=name,
                    fix=close,
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
    problems.extend(_id_type_problems(np.asarray(table.columns[id_column]), id_column, where))
    ids_text = _as_text(np.asarray(table.columns[id_column]))
    phase_text = (
        _as_text(np.asarray(table.columns[phase_column]))
        if has_phase and phase_column is not None
        else None
    )
    codes = _check_keys(system, ids_text, phase_text, id_column, phase_column, where, problems)

    # ---- indicator cells
    # Numeric columns go straight into the blocked scan; text columns are parsed first.
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
        col_values, col_status, bad, unread, unchecked = _parse_column(cells, problems.room)
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
    m = len(indicator_ids)
    # Column-major: every column is copied in as one contiguous run.
    values = np.empty((n, m), order="F")
    status = np.zeros((n, m), dtype=np.int8, order="F")
    has_nan, suspect = _scan(values, status, system, sources)
    for j, col_status in text_status.items():
        na = col_status == CellStatus.NOT_APPLICABLE
        if na.any():
            status[na, j] = CellStatus.NOT_APPLICABLE
    _cell_problems(values, suspect, system, ids_text, where, set(text_status), problems)
    _mark_not_measured(status, has_nan, system, codes if has_phase else None)

    if problems or problems.more or problems.unchecked:
        raise DataValidationError(
            f"community data does not match system {system.id!r}{' in ' + file if file else ''}",
            problems.listed(),
        )

    context_cols = {name: _context_cells(np.asarray(table.columns[name])) for name in context_names}
    return CommunityData(
        system_id=system.id,
        system_version=system.version,
        indicator_ids=indicator_ids,
        ids=ids_text,
        phases=codes,
        values=values,
        status=status,
        context=context_cols,
        source=file,
    )


def _load_matrix(X: NDArray[Any], system: IndicatorSystem, ids: Any, phases: Any) -> CommunityData:
    """Validate an ``(N, M)`` array in the system's indicator order (see :func:`load_data`)."""
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
    problems = _Problems()
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
    ids_text = _as_text(ids_array)
    phase_text = None if phase_array is None else _as_text(phase_array)

    def where(r: int) -> dict[str, Any]:
        return {"row": r + 1}

    codes = _check_keys(system, ids_text, phase_text, "community_id", "phase", where, problems)
    values = X if X.dtype == np.float64 else X.astype(np.float64)
    if not (values.flags.c_contiguous or values.flags.f_contiguous):
        values = np.ascontiguousarray(values)
    values = values.view()  # read-only flags go on this view, not on the caller's array
    fortran = values.flags.f_contiguous and not values.flags.c_contiguous
    status = np.zeros(values.shape, dtype=np.int8, order="F" if fortran else "C")
    has_nan, suspect = _scan(values, status, system, None)
    _cell_problems(values, suspect, system, ids_text, where, set(), problems)
    _mark_not_measured(status, has_nan, system, codes if phase_text is not None else None)
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


def _check_keys(
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    phase_text: NDArray[np.str_] | None,
    id_column: str,
    phase_column: str | None,
    where: Callable[[int], dict[str, Any]],
    problems: _Problems,
) -> PhaseCodes:
    """Problems of empty ids, empty or unknown phases and repeated (id, phase); phase codes."""
    n = ids_text.shape[0]
    empty_id = ids_text == ""
    empty_rows = np.flatnonzero(empty_id)
    problems.skip(max(0, empty_rows.size - problems.room))
    for r in empty_rows[: problems.room].tolist():
        problems.append(
            Problem("empty community id", column=id_column, fix="give every row an id", **where(r))
        )
    if phase_text is None:
        codes = PhaseCodes(np.zeros(n, dtype=np.intp), (None,))
    else:
        declared = list(system.phase_ids)
        raw = np.zeros(n, dtype=np.intp)
        known = np.zeros(n, dtype=bool)
        for k, p in enumerate(declared):
            hit = phase_text == p
            raw[hit] = k
            known |= hit
        labels: list[str | None] = list(declared)
        if not known.all():
            rows = np.flatnonzero(~known)
            others, inverse = np.unique(phase_text[rows], return_inverse=True)
            raw[rows] = len(declared) + inverse.reshape(-1)
            labels += [str(x) for x in others.tolist()]
            # One did-you-mean per distinct phase, not per row.
            fixes = {
                p: f"use one of {declared}"
                if p == ""
                else suggest(p, declared) or f"use one of {declared}"
                for p in (str(x) for x in others[: problems.room + 1].tolist())
            }
            problems.skip(max(0, rows.size - problems.room))
            for r in rows[: problems.room].tolist():
                p = str(phase_text[r])
                problems.append(
                    Problem(
                        "empty phase" if p == "" else f"unknown phase {short_repr(p)}",
                        column=phase_column,
                        community_id=str(ids_text[r]) or None,
                        fix=fixes.get(p) or f"use one of {declared}",
                        **where(r),
                    )
                )
        codes = _first_appearance(raw, labels)
    repeated = _repeated_rows(ids_text, codes.codes if phase_text is not None else None, empty_id)
    problems.skip(max(0, len(repeated) - problems.room))
    for r, first in repeated[: problems.room]:
        cid = str(ids_text[r])
        phase = codes.labels[int(codes.codes[r])]
        phase_note = f" in phase {phase!r}" if phase is not None else ""
        problems.append(
            Problem(
                f"duplicate community id {cid!r}{phase_note} (first at row {first + 1})",
                column=id_column,
                community_id=cid,
                fix="give each community one row per phase",
                **where(r),
            )
        )
    return codes


def _text_hash(text: NDArray[Any]) -> NDArray[np.uint64]:
    """A 64-bit hash of each string (FNV-1a over pairs of code points, then a final mix).

    The hash depends on the array's string width: compare hashes of one array only.
    """
    if text.dtype.kind != "U":
        text = np.asarray(text, dtype=str)
    n = text.shape[0]
    width = text.dtype.itemsize // 4
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    if width == 0 or n == 0:
        return h
    # Two UCS-4 code points per 64-bit word: half the passes of one word per code point.
    words = (width + 1) // 2
    padded = np.zeros((n, 2 * words), dtype=np.uint32)
    padded[:, :width] = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    pairs = padded.view(np.uint64)
    prime = np.uint64(0x100000001B3)
    for k in range(words):
        np.bitwise_xor(h, pairs[:, k], out=h)
        np.multiply(h, prime, out=h)
    # Murmur3's finaliser spreads every input bit over the whole word.
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return h


def _shared_keys(key: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """True for every key that occurs more than once (exact on the 64-bit keys)."""
    n = key.shape[0]
    candidates = np.arange(n, dtype=np.intp)
    if n > 1 << 16:
        # Counting keys in a table of about 8n buckets (top bits) is cheaper than sorting all
        # n keys; only keys in a shared bucket (about an eighth) are sorted.
        bits = min(26, int(np.ceil(np.log2(n))) + 3)
        bucket = (key >> np.uint64(64 - bits)).astype(np.intp)
        counts = np.bincount(bucket, minlength=1 << bits)
        candidates = np.flatnonzero(counts[bucket] > 1)
    out = np.zeros(n, dtype=bool)
    if candidates.size < 2:
        return out
    sub = key[candidates]
    ordered = np.sort(sub)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size:
        out[candidates[np.isin(sub, repeated)]] = True
    return out


def _repeated_rows(
    ids_text: NDArray[Any], phase_codes: NDArray[np.intp] | None, skip: NDArray[np.bool_] | None
) -> list[tuple[int, int]]:
    """``(row, first row)`` for every row whose (id, phase) is the same as an earlier row's.

    Rows where ``skip`` is True are left out. Tables are usually sorted by id, so a strictly
    increasing id within each phase settles it in one comparison; otherwise rows are hashed
    and only rows whose hash repeats are compared exactly.
    """
    n = ids_text.shape[0]
    if n < 2:
        return []
    keep = np.ones(n, dtype=bool) if skip is None else ~skip
    if ids_text.dtype.kind == "U" and bool(keep.all()):
        groups: list[NDArray[Any]] = []
        if phase_codes is None or not phase_codes.any():
            groups = [ids_text]
        else:
            groups = [ids_text[phase_codes == k] for k in range(int(phase_codes.max()) + 1)]
        if all(g.shape[0] < 2 or bool((g[1:] > g[:-1]).all()) for g in groups):
            return []
    rows = np.flatnonzero(keep)
    key = _text_hash(ids_text[rows])
    if phase_codes is not None:
        key ^= (phase_codes[rows].astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    shared = _shared_keys(key)
    if not shared.any():
        return []
    candidates = rows[shared]
    seen: dict[tuple[str, int], int] = {}
    out: list[tuple[int, int]] = []
    for r in candidates.tolist():
        k = (str(ids_text[r]), 0 if phase_codes is None else int(phase_codes[r]))
        if k in seen:
            out.append((r, seen[k]))
        else:
            seen[k] = r
    return out


#: Cells per block of the validation scan (1 MiB of float64: stays in L2 while it is checked).
_SCAN_ELEMENTS = 1 << 17
#: Rows folded together when a C-order block is reduced per column (see :func:`_colrange`).
_FOLD = 32


def _colrange(
    block: NDArray[np.float64], lo: Any, hi: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-column minimum and maximum of a C-contiguous block (``lo``/``hi``: ufuncs).

    Reducing a C-order ``(b, M)`` block over axis 0 runs one short loop of length M per row;
    viewing ``_FOLD`` rows as one long row first makes the loops ``_FOLD`` times longer.
    """
    b, m = block.shape
    q = b - b % _FOLD
    parts: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    if q:
        folded = block[:q].reshape(-1, _FOLD * m)
        parts.append(
            (
                lo.reduce(lo.reduce(folded, axis=0).reshape(_FOLD, m), axis=0),
                hi.reduce(hi.reduce(folded, axis=0).reshape(_FOLD, m), axis=0),
            )
        )
    if q < b:
        parts.append((lo.reduce(block[q:], axis=0), hi.reduce(block[q:], axis=0)))
    mn, mx = parts[0]
    for a, c in parts[1:]:
        mn = lo(mn, a)
        mx = hi(mx, c)
    return mn, mx


def _scan(
    values: NDArray[np.float64],
    status: NDArray[np.int8],
    system: IndicatorSystem,
    sources: Sequence[NDArray[Any] | None] | None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """One blocked pass over the values: NaN cells marked missing, columns to check flagged.

    ``values`` and ``status`` (zeros) share a memory order. When ``sources`` is given, each
    block of ``values`` is first filled from those columns (None: a column of NaN). Returns
    ``has_nan`` (columns with a NaN) and ``suspect`` (columns with a value outside its
    range, an infinity, or a fraction in an integer indicator), which the caller checks
    cell by cell. Blocks stay in cache, so the values are read from memory once.
    """
    n, m = values.shape
    lo, hi = system.range_arrays()
    # An infinity, or a value beyond ±MAX_MAGNITUDE, is outside every range, open ones too.
    lo_b = np.maximum(lo, -MAX_MAGNITUDE)
    hi_b = np.minimum(hi, MAX_MAGNITUDE)
    integer = np.array([ind.kind in INTEGER_KINDS for ind in system.indicators], dtype=bool)
    int_cols = np.flatnonzero(integer)
    has_nan = np.zeros(m, dtype=bool)
    suspect = np.zeros(m, dtype=bool)
    flags = status.view(np.bool_)  # True written here is the byte 1, CellStatus.MISSING
    fortran = values.flags.f_contiguous and not values.flags.c_contiguous
    step = max(_FOLD, _SCAN_ELEMENTS // max(1, m) // _FOLD * _FOLD)
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        block = values[rows]
        if sources is not None:
            for j, src in enumerate(sources):
                block[:, j] = np.nan if src is None else src[rows]
        if fortran:
            mn = np.minimum.reduce(block, axis=0)
            mx = np.maximum.reduce(block, axis=0)
        else:
            mn, mx = _colrange(block, np.minimum, np.maximum)
        nan = np.isnan(mn)
        if nan.any():
            has_nan |= nan
            if fortran:
                for j in np.flatnonzero(nan).tolist():
                    np.isnan(block[:, j], out=flags[rows, j])
                sub = block[:, nan]
                mn[nan] = np.fmin.reduce(sub, axis=0)
                mx[nan] = np.fmax.reduce(sub, axis=0)
            else:
                np.isnan(block, out=flags[rows])
                mn, mx = _colrange(block, np.fmin, np.fmax)
        with np.errstate(invalid="ignore"):
            suspect |= (mn < lo_b) | (mx > hi_b)
        if int_cols.size:
            if fortran:
                for j in int_cols.tolist():
                    col = block[:, j]
                    whole = np.rint(col) == col
                    if nan[j]:
                        whole |= flags[rows, j]
                    if not whole.all():
                        suspect[j] = True
            else:
                flat = block.reshape(-1)
                whole = np.rint(flat) == flat
                if nan.any():
                    whole |= flags[rows].reshape(-1)
                b = block.shape[0]
                q = b - b % _FOLD
                ok = np.ones(m, dtype=bool)
                if q:
                    ok &= np.logical_and.reduce(
                        np.logical_and.reduce(
                            whole[: q * m].reshape(-1, _FOLD * m), axis=0
                        ).reshape(_FOLD, m),
                        axis=0,
                    )
                if q < b:
                    ok &= np.logical_and.reduce(whole[q * m :].reshape(-1, m), axis=0)
                suspect |= integer & ~ok
    return has_nan, suspect


def _cell_problems(
    values: NDArray[np.float64],
    suspect: NDArray[np.bool_],
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Callable[[int], dict[str, Any]],
    text_columns: set[int],
    problems: _Problems,
) -> None:
    """Every infinite, out-of-range or fractional cell of the flagged columns, into ``problems``.

    Once ``problems`` is full the remaining cells are only counted.
    """
    lo, hi = system.range_arrays()

    def rows_of(mask: NDArray[np.bool_]) -> list[int]:
        rows = np.flatnonzero(mask)
        problems.skip(max(0, rows.size - problems.room))
        return list(rows[: problems.room].tolist())

    for j in np.flatnonzero(suspect).tolist():
        ind = system.indicators[j]
        col = np.array(values[:, j])
        if j not in text_columns:  # text columns reported their unreadable cells already
            for r in rows_of(np.isinf(col)):
                problems.append(
                    Problem(
                        "infinite value",
                        column=ind.id,
                        community_id=str(ids_text[r]) or None,
                        value=float(col[r]),
                        fix="give a finite number",
                        **where(r),
                    )
                )
        ok = np.isfinite(col)
        out = ok & ((col < lo[j]) | (col > hi[j]))
        huge = ok & ~out & (np.abs(col) > MAX_MAGNITUDE)
        for r in rows_of(huge):
            problems.append(
                Problem(
                    f"value beyond ±1e300 in {ind.id}: numbers this large are not measurements",
                    column=ind.id,
                    community_id=str(ids_text[r]) or None,
                    value=float(col[r]),
                    fix="check the value, or express the indicator in a larger unit",
                    **where(r),
                )
            )
        out |= huge
        for r in rows_of(out & ~huge):
            problems.append(
                Problem(
                    f"value outside the range [{_num(ind.range.min)}, {_num(ind.range.max)}] "
                    f"of {ind.id} ({ind.kind.value})",
                    column=ind.id,
                    community_id=str(ids_text[r]) or None,
                    value=float(col[r]),
                    fix="correct the value, or widen the range in the system if it is "
                    "genuinely possible",
                    **where(r),
                )
            )
        if ind.kind in INTEGER_KINDS:
            fractional = ok & ~out & (col != np.round(col))
            for r in rows_of(fractional):
                problems.append(
                    Problem(
                        f"{ind.kind.value} indicator needs a whole number",
                        column=ind.id,
                        community_id=str(ids_text[r]) or None,
                        value=float(col[r]),
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


def _mark_not_measured(
    status: NDArray[np.int8],
    has_nan: NDArray[np.bool_],
    system: IndicatorSystem,
    codes: PhaseCodes | None,
) -> None:
    """An empty cell of an indicator not measured in the row's phase is not applicable."""
    if codes is None:
        return
    for j, ind in enumerate(system.indicators):
        if ind.phases is None or not has_nan[j]:
            continue
        measured = np.array([p in ind.phases for p in codes.labels], dtype=bool)
        if measured.all():
            continue
        rows = ~measured[codes.codes]
        col = status[:, j]
        col[rows & (col == CellStatus.MISSING)] = CellStatus.NOT_APPLICABLE


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
