"""Any source of a table -> a :class:`~renoscore._tables.Table`: files, frames, records, columns.

:func:`read_source` dispatches on the source: a CSV file to :mod:`renoscore._csv`, an Excel file
to :mod:`renoscore._excel`, a Parquet file, a pandas DataFrame, a list of records or a mapping
of columns to the readers here.

Examples
--------
>>> table = read_source({"id": ["a", "b"], "x": [1.5, 2.0]}, None, None, 10**9)
>>> table.header, table.n
(['id', 'x'], 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._arrow import series_text
from renoscore._csv import read_csv
from renoscore._excel import read_excel
from renoscore._optional import import_optional
from renoscore._tables import ReadHints, Table
from renoscore.errors import DataValidationError, Problem

__all__ = ["read_source"]


def _from_frame(frame: Any, source: str | None = None) -> Table:
    header = [str(c) for c in frame.columns]
    columns: dict[str, NDArray[Any]] = {}
    for name, col in zip(header, frame.columns, strict=True):
        series = frame[col]
        if getattr(series, "ndim", 1) != 1:
            continue  # a duplicated column label; reported with the other column problems
        if name not in columns:
            text = series_text(series)
            columns[name] = text if text is not None else np.asarray(series.to_numpy())
    return Table(columns, header, len(frame), None, source)


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


def _read_parquet(path: Path) -> Table:
    purpose = "Reading Parquet files"
    pd = import_optional("pandas", purpose)
    import_optional("pyarrow", purpose)
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # any reader failure (a corrupt file) is a data problem
        raise DataValidationError(
            "cannot read the parquet file",
            [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
        ) from None
    return _from_frame(frame, str(path))


def read_source(
    source: Any,
    encoding: str | None,
    sheet: str | int | None,
    max_bytes: int,
    hints: ReadHints | None = None,
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
    hints : ReadHints, optional
        How to find the header of a file and which of its columns hold numbers.

    Raises
    ------
    DataValidationError
        For a file that is missing, too large, undecodable or malformed, and for a source of
        an unsupported type.

    Examples
    --------
    >>> table = read_source({"id": ["a", "b"], "x": [1.5, 2.0]}, None, None, 10**9)
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
        hints = hints or ReadHints()
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return read_excel(path, sheet, hints)
        if suffix == ".parquet":
            return _read_parquet(path)
        return read_csv(path, encoding, max_bytes, hints)
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
