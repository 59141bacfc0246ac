"""Writing tables, results and community data to CSV, Excel, Parquet and JSON files.

Examples
--------
>>> import json, pathlib, tempfile
>>> from renoscore.io.write import write_table
>>> path = write_table([{"id": "A", "score": None}], pathlib.Path(tempfile.mkdtemp()) / "t.json")
>>> json.loads(path.read_text(encoding="utf-8"))
[{'id': 'A', 'score': None}]
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._display import display_width
from renoscore._files import Inputs, check_output, replace_file, spreadsheet_text, write_text
from renoscore._optional import import_optional
from renoscore.data import CellStatus, CommunityData
from renoscore.errors import OptionError, Problem
from renoscore.io._localize import sheet_name
from renoscore.io._records import Records, clean_value
from renoscore.io.tables import TABLES, result_tables, scores_columns

if TYPE_CHECKING:
    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult

__all__ = [
    "ENCODINGS",
    "FORMATS",
    "write_arrow_table",
    "write_data",
    "write_result",
    "write_sheets",
    "write_table",
]

#: File formats by suffix.
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".json": "json",
}
#: CSV encodings offered to users: UTF-8, UTF-8 with BOM (Excel on Windows opens it without
#: asking), and GB18030 (the Chinese national standard, a superset of GBK).
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030")


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS.values():
            raise OptionError(
                f"unknown file format {format!r}",
                [Problem("unknown format", value=format, fix=f"use one of {sorted(FORMATS)}")],
            )
        return format
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OptionError(
            f"cannot tell the file format of {path.name!r}",
            [
                Problem(
                    "unknown suffix",
                    file=str(path),
                    value=path.suffix,
                    fix=f"use .csv, .xlsx, .parquet or .json (or {argument('format')})",
                )
            ],
        )
    return fmt


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise OptionError(
            f"unknown encoding {encoding!r}",
            [Problem("unknown encoding", value=encoding, fix=f"use one of {list(ENCODINGS)}")],
        ) from None


def _header(records: Sequence[Mapping[str, Any]]) -> list[str]:
    header: dict[str, None] = {}
    for rec in records:
        header.update(dict.fromkeys(rec))
    return list(header)


def _write_csv(records: Records, path: Path, encoding: str, header: list[str]) -> None:
    """One table as CSV; text a spreadsheet would run as a formula gets an apostrophe."""
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow([spreadsheet_text(h) for h in header])
        writer.writerows(
            ["" if (v := rec.get(h)) is None else spreadsheet_text(v) for h in header]
            for rec in records
        )


def _csv_column(col: NDArray[Any]) -> list[str]:
    """A column as the CSV cells :func:`_write_csv` writes for its values: a float as the
    csv module writes it (its shortest repr; Python's converter is about twice as fast as
    numpy's ``astype(str)``, which gives the same text), a missing value empty, text through
    :func:`spreadsheet_text`."""
    if col.dtype.kind == "f":
        cells = list(map(repr, col.tolist()))
        for i in np.flatnonzero(np.isnan(col)).tolist():
            cells[i] = ""
        return cells
    return ["" if v is None else spreadsheet_text(v) for v in col.tolist()]


def _write_csv_columns(columns: Mapping[str, NDArray[Any]], path: Path, encoding: str) -> None:
    """One table given as columns, as CSV: each column turned into text once, then the rows
    zipped (the bytes of :func:`_write_csv` for the same table)."""
    cells = [_csv_column(col) for col in columns.values()]
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow([spreadsheet_text(h) for h in columns])
        writer.writerows(zip(*cells, strict=True))


#: Characters an .xlsx cell cannot hold as they are (XML 1.0), and OOXML's own escape form.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _xlsx_text(text: str) -> str:
    """Text as an .xlsx cell holds it: a control character as OOXML's ``_xHHHH_`` escape
    (what Excel writes and reads back), and the ``_`` of a literal ``_xHHHH_`` as ``_x005F_``."""
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _write_xlsx(sheets: Mapping[str, Records], path: Path, lang: str = "en") -> None:
    openpyxl = import_optional("openpyxl", "Writing Excel files")
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, records in sheets.items():
        ws = wb.create_sheet(sheet_name(name, lang))
        ws.freeze_panes = "A2"
        header = _header(records)
        for k, h in enumerate(header):
            letter = openpyxl.utils.get_column_letter(k + 1)
            ws.column_dimensions[letter].width = max(9, min(40, display_width(h) + 2))
        head_cells = []
        for h in header:
            c = WriteOnlyCell(ws, value=_xlsx_text(h))
            c.font = bold
            head_cells.append(c)
        ws.append(head_cells)
        for rec in records:
            row: list[Any] = []
            for h in header:
                v = rec.get(h)
                if isinstance(v, str):
                    # Text stays text, a formula included (no formula injection).
                    c = WriteOnlyCell(ws, value=_xlsx_text(v))
                    c.data_type = "s"
                    row.append(c)
                else:
                    row.append(v)
            ws.append(row)
    wb.save(path)


def _arrow_column(values: list[Any]) -> Any:
    """A column of Python values as an Arrow array: booleans, integers (int64), numbers
    (float64) or text; a column that mixes these, or holds nothing, is text."""
    pa = import_optional("pyarrow", "Writing Parquet files")
    # The common columns by the exact types of their cells, found at C speed; subclasses
    # (an enum, a str subclass) and mixed columns take the rules below, cell by cell.
    kinds = set(map(type, values)) - {type(None)}
    arrow = {bool: pa.bool_(), str: pa.string(), float: pa.float64()}
    if len(kinds) == 1 and next(iter(kinds)) in arrow:
        return pa.array(values, type=arrow[next(iter(kinds))])
    if kinds == {int, float}:
        return pa.array(values, type=pa.float64())
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.array(values, type=pa.bool_())
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.array(values, type=pa.int64())
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _write_parquet(records: Records, path: Path, header: list[str]) -> None:
    pa = import_optional("pyarrow", "Writing Parquet files")
    pq = import_optional("pyarrow.parquet", "Writing Parquet files")
    columns = {h: _arrow_column([rec.get(h) for rec in records]) for h in header}
    pq.write_table(pa.table(columns), path)


def _write_parquet_columns(columns: Mapping[str, NDArray[Any]], path: Path) -> None:
    """One table given as columns, as Parquet: a float column as it is (NaN is a missing
    value), a text column through the rules of :func:`_arrow_column`."""
    pa = import_optional("pyarrow", "Writing Parquet files")
    pq = import_optional("pyarrow.parquet", "Writing Parquet files")
    arrays = {}
    for name, col in columns.items():
        if col.dtype.kind == "f":
            arrays[name] = pa.array(col, mask=np.isnan(col), type=pa.float64())
        elif col.dtype.kind in "iub":
            arrays[name] = pa.array(col)
        else:
            arrays[name] = _arrow_column(col.tolist())
    pq.write_table(pa.table(arrays), path)


def write_arrow_table(
    table: Any,
    path: str | Path,
    *,
    overwrite: bool = False,
    inputs: Inputs | None = None,
) -> Path:
    """Write a ``pyarrow.Table`` to a Parquet file as it is: column by column, no Python
    object per cell, through the one writer (refused before any work where it may not be
    written, replaced whole or not at all).

    Parameters
    ----------
    table : pyarrow.Table
    path : str or Path
        A ``.parquet`` file.
    overwrite : bool
        Replace an existing file.
    inputs : mapping of label to path, or iterable of paths, optional
        The files the run reads (never written over).

    Returns
    -------
    Path

    Examples
    --------
    >>> import pathlib, tempfile
    >>> pa = import_optional("pyarrow", "the example")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> write_arrow_table(pa.table({"score": [1.5, None]}), path).name
    't.parquet'
    """
    pq = import_optional("pyarrow.parquet", "Writing Parquet files")
    return replace_file(
        path,
        lambda tmp: pq.write_table(table, tmp),
        overwrite=overwrite,
        inputs=inputs,
        suffixes=(".parquet",),
    )


def write_table(
    records: Sequence[Mapping[str, Any]],
    path: str | Path,
    *,
    format: Literal["csv", "xlsx", "parquet", "json"] | None = None,
    encoding: str = "utf-8",
    sheet: str = "table",
    overwrite: bool = True,
    inputs: Inputs | None = None,
) -> Path:
    """Write one table of records to CSV, Excel, Parquet or JSON.

    Parameters
    ----------
    records : sequence of mapping
        One mapping per row; the header is the union of keys in order of appearance. None
        is written as an empty cell (CSV, Excel), a null (Parquet, JSON).
    path : str or Path
    format : {"csv", "xlsx", "parquet", "json"}, optional
        Default: from the suffix.
    encoding : str
        CSV only: ``utf-8`` (default), ``utf-8-sig`` (with BOM, for Excel) or ``gb18030``.
    sheet : str
        Excel sheet name.
    overwrite : bool
        Replace an existing file (default); False refuses it.
    inputs : mapping of label to path, optional
        Files the run read: never written over.

    Returns
    -------
    Path
        ``path``, written.

    Raises
    ------
    OptionError
        Unknown format or encoding, or text the encoding cannot hold.
    OutputError
        A path that may not be written (see :func:`renoscore._files.check_output`), or a write
        that failed; the file that was there is unchanged.

    Notes
    -----
    The file is written to a temporary file beside it and renamed over ``path`` once
    complete. CSV text that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, and not a number) is written with an
    apostrophe before it, which :func:`~renoscore.load_data` removes when it reads the CSV.

    Examples
    --------
    >>> import tempfile, pathlib, csv
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table([{"community_id": "老城1号", "score": 61.5}], p, encoding="gb18030")
    >>> next(csv.DictReader(p.open(encoding="gb18030")))["community_id"]
    '老城1号'
    """
    path = Path(path)
    fmt = _format_of(path, format)
    if fmt == "csv":
        _check_encoding(encoding)
    recs = [dict(r) for r in records]
    header = _header(recs)

    def write(tmp: Path) -> None:
        if fmt == "csv":
            _write_csv(recs, tmp, encoding, header)
        elif fmt == "xlsx":
            _write_xlsx({sheet: recs}, tmp)
        elif fmt == "parquet":
            _write_parquet(recs, tmp, header)
        else:
            rows = [{k: clean_value(v) for k, v in r.items()} for r in recs]
            tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    return _replace_encoded(path, write, encoding, overwrite, inputs)


def _replace_encoded(
    path: str | Path,
    write: Callable[[Path], None],
    encoding: str,
    overwrite: bool,
    inputs: Inputs | None,
) -> Path:
    """:func:`replace_file`, with text the encoding cannot hold reported as an OptionError."""
    try:
        return replace_file(path, write, overwrite=overwrite, inputs=inputs)
    except UnicodeEncodeError as exc:
        raise OptionError(
            f"the table has text that {encoding} cannot encode",
            [Problem(str(exc), file=str(path), fix="use utf-8, utf-8-sig or gb18030")],
        ) from None


def write_sheets(
    sheets: Mapping[str, Sequence[Mapping[str, Any]]],
    path: str | Path,
    *,
    lang: str = "en",
    overwrite: bool = True,
    inputs: Inputs | None = None,
) -> Path:
    """Write several tables as the sheets of one Excel workbook (table key -> records).

    A sheet is named by its key's word in ``lang`` (:data:`renoscore._vocabulary.SHEETS`:
    ``ledger`` is 问题台账 in Chinese), or by the key itself. Written whole or not at all
    (:func:`renoscore._files.replace_file`); ``overwrite`` and ``inputs`` as in
    :func:`write_table`.

    Examples
    --------
    ``write_sheets({"plan": items, "ledger": lines}, "计划.xlsx", lang="zh")`` writes the
    sheets 项目优先序 and 问题台账 (openpyxl, the ``pandas`` extra). A workbook is all it writes,
    and the path is checked before anything is written:

    >>> write_sheets({"ledger": [{"项目编号": 1}]}, "ledger.csv")
    Traceback (most recent call last):
    ...
    renoscore.errors.OutputError: cannot write ledger.csv (1 problem)
      - ledger.csv: cannot write a .csv file here -> use one of .xlsx
    """
    tables = {name: [dict(r) for r in recs] for name, recs in sheets.items()}
    return replace_file(
        Path(path),
        lambda tmp: _write_xlsx(tables, tmp, lang),
        overwrite=overwrite,
        inputs=inputs,
        suffixes=(".xlsx",),
    )


def write_result(
    result: EvaluationResult,
    path: str | Path,
    *,
    table: str | None = None,
    format: Literal["csv", "xlsx", "parquet", "json"] | None = None,
    encoding: str = "utf-8",
    lang: str = "en",
    fix_first_top: int | None = 10,
    comparison: PhaseComparison | None = None,
    overwrite: bool = True,
) -> Path:
    """Write a result: Excel with one sheet per table, or one table to CSV / Parquet / JSON.

    Parameters
    ----------
    result : EvaluationResult
    path : str or Path
        ``.xlsx``, ``.csv``, ``.parquet`` or ``.json``.
    table : str, optional
        For CSV, Parquet and JSON: which table (:data:`TABLES`, or ``comparison``); default
        ``scores``, and for JSON the whole result (round trip with :func:`read_result`). For
        Excel: write only this sheet (default: all).
    format : str, optional
        Default: from the suffix.
    encoding : str
        CSV encoding (``utf-8``, ``utf-8-sig``, ``gb18030``).
    lang : {"en", "zh"}
        Language of the headers, sheet names, grade labels, names, units and coded values
        (Chinese: ``评价得分``, ``小区编号``, ``基础类`` ...).
    fix_first_top : int or None
        Lines of the fix-first list per row.
    comparison : PhaseComparison, optional
        Also write a ``comparison`` table.
    overwrite : bool
        Replace an existing file (default); False refuses it. The data file the result was
        scored from (``result.provenance.data_source``) is never written over.

    Returns
    -------
    Path
        The one file written, whatever the number of tables in it.

    Raises
    ------
    OptionError
        Unknown format, table or encoding.
    OutputError
        A path that may not be written, checked before the tables are built, or a write that
        failed (the file that was there is unchanged).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_result(r, pathlib.Path(tempfile.mkdtemp()) / "scores.csv", encoding="utf-8-sig")
    >>> p.read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    path = Path(path)
    fmt = _format_of(path, format)
    known = (*TABLES, "comparison")
    if table is not None and table not in known:
        raise OptionError(
            f"unknown table {table!r}",
            [Problem("unknown table", value=table, fix=f"use one of {list(known)}")],
        )
    if table == "comparison" and comparison is None:
        raise OptionError(
            "the comparison table needs a comparison",
            [
                Problem(
                    "no comparison",
                    fix=f"use {argument('comparison', 'rs.compare(result, phases=(a, b))')}",
                )
            ],
        )
    if fmt == "csv":
        _check_encoding(encoding)
    inputs = {"the data file this result was scored from": result.provenance.data_source}
    check_output(path, inputs=inputs, overwrite=overwrite)  # before the tables are built
    if fmt == "json" and table is None:
        text = result.to_json(indent=1)
        return write_text(path, text, overwrite=overwrite, inputs=inputs)
    if fmt in ("parquet", "csv") and (table or "scores") == "scores":
        # Column by column: no record per row, no Python object per score.
        columns = scores_columns(result, lang)

        def by_columns(tmp: Path) -> None:
            if fmt == "parquet":
                _write_parquet_columns(columns, tmp)
            else:
                _write_csv_columns(columns, tmp, encoding)

        return _replace_encoded(path, by_columns, encoding, overwrite, inputs)
    # Only the tables written: a CSV of the scores does not build the fix-first list.
    wanted = None if fmt == "xlsx" and table is None else [table or "scores"]
    tables = result_tables(
        result, lang=lang, fix_first_top=fix_first_top, comparison=comparison, only=wanted
    )
    if fmt == "xlsx":
        sheets = tables
        return replace_file(
            path, lambda tmp: _write_xlsx(sheets, tmp, lang), overwrite=overwrite, inputs=inputs
        )
    return write_table(
        tables[table or "scores"],
        path,
        format=fmt,  # type: ignore[arg-type]
        encoding=encoding,
        overwrite=overwrite,
        inputs=inputs,
    )


def _data_records(data: CommunityData, na: str) -> Records:
    out: Records = []
    phased = any(p is not None for p in data.phases)
    for r in range(data.n):
        rec: dict[str, Any] = {"community_id": data.ids[r]}
        if phased:
            rec["phase"] = data.phases[r]
        rec.update({k: clean_value(v[r]) for k, v in data.context.items()})
        for j, ind in enumerate(data.indicator_ids):
            st = data.status[r, j]
            rec[ind] = (
                float(data.values[r, j])
                if st == CellStatus.OK
                else (na if st == CellStatus.NOT_APPLICABLE else None)
            )
        out.append(rec)
    return out


def write_data(
    data: CommunityData,
    path: str | Path,
    *,
    format: Literal["csv", "xlsx", "parquet", "json"] | None = None,
    encoding: str = "utf-8",
    overwrite: bool = True,
) -> Path:
    """Write community data in the layout :func:`~renoscore.load_data` reads back.

    ``community_id``, ``phase`` (when there are phases), the context columns, then one column
    per indicator: numbers, ``n/a`` for not applicable and empty (null) for missing. Numbers
    are written exactly (shortest round-trip text in CSV; Parquet and JSON as binary and
    round-trip numbers), so ``load_data(write_data(d, p))`` equals ``d``. Excel files keep 16
    significant digits (openpyxl), so a derived ratio such as 3/19 can come back one unit in
    the last place away; derived indicators are written as their values, not their raw fields.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> d = rs.example_data()
    >>> p = write_data(d, pathlib.Path(tempfile.mkdtemp()) / "d.csv", encoding="gb18030")
    >>> rs.load_data(p) == d
    True
    """
    path = Path(path)
    fmt = _format_of(path, format)
    inputs = {"the file these data were read from": data.source}
    check_output(path, inputs=inputs, overwrite=overwrite)
    return write_table(
        _data_records(data, "n/a"),
        path,
        format=fmt,  # type: ignore[arg-type]
        encoding=encoding,
        overwrite=overwrite,
        inputs=inputs,
    )
