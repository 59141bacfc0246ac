"""Writing results and data to files: CSV, Excel, Parquet and JSON.

Reading community data is :func:`renoscore.load_data` (CSV in UTF-8 with or without BOM or
GB18030, Excel, Parquet, DataFrames and records); :func:`read_data` adds JSON files (a list of
records or a mapping of columns) and :func:`read_result` reads back a result written as JSON.

A result is written as tables (:func:`result_tables`):

==============  ===========================================================================
``scores``      one row per community and phase: score, rank, grade, coverage, context,
                every group's and indicator's score (0-100)
``ranks``       rank and grade of every group (goal, dimensions, ...) within the phase
``fix_first``   each scored row's problem ledger (问题台账): the first ``fix_first_top``
                indicators to fix, with value, target, obstacle degree and must-fix flag
``weights``     every node's local and global weight, method and AHP consistency ratio
``provenance``  every choice behind the result, one ``key, value`` row each
``comparison``  (when asked for) before, after and change between two phases
==============  ===========================================================================

An Excel file gets one sheet per table; CSV, Parquet and JSON files get one table (``scores``
unless ``table=`` says otherwise), except that a ``.json`` result with no ``table`` is the whole
result (:meth:`~renoscore.EvaluationResult.to_json`), which :func:`read_result` reads back
exactly.

Examples
--------
>>> import tempfile, pathlib
>>> import renoscore as rs
>>> from renoscore.io import write_result, read_result
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
>>> _ = write_result(result, path)
>>> read_result(path) == result
True
"""

from __future__ import annotations

import codecs
import csv
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._optional import import_optional
from renoscore.data import CellStatus, CommunityData, load_data
from renoscore.errors import DataValidationError, OptionError, Problem
from renoscore.system import Category, IndicatorSystem

if TYPE_CHECKING:
    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult

__all__ = [
    "ENCODINGS",
    "FORMATS",
    "TABLES",
    "fix_first_table",
    "read_data",
    "read_result",
    "result_tables",
    "write_data",
    "write_result",
    "write_table",
]

#: The tables of a result, in sheet order.
TABLES: tuple[str, ...] = ("scores", "ranks", "fix_first", "weights", "provenance")
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

_SHEET_NAMES = {"fix_first": "fix-first"}

Records = list[dict[str, Any]]


# --------------------------------------------------------------------------- tables
def _clean(v: Any) -> Any:
    """Plain Python values; NaN becomes None."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def fix_first_table(result: EvaluationResult, *, top: int | None = 10, lang: str = "en") -> Records:
    """The fix-first list (问题台账) of every scored row, as one long table.

    The same ordering and numbers as :meth:`EvaluationResult.fix_first` (gap ``1 - s``,
    priority = global weight x gap, obstacle degree = priority / sum of priorities, the
    obstacle-degree model of e.g. Yang et al. 2014; unmet basic items first, 国办发〔2020〕23号),
    computed for all rows at once.

    Parameters
    ----------
    result : EvaluationResult
    top : int or None
        Lines per row (None: every indicator).
    lang : {"en", "zh"}
        Language of the indicator names.

    Returns
    -------
    list of dict
        ``community_id, phase, order, indicator, name, dimension, category, supplier, value,
        target, unit, score, gap, global_weight, obstacle, must_fix, status``.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> rows = fix_first_table(r, top=3)
    >>> [x["indicator"] for x in rows if x["community_id"] == "LY" and x["phase"] == "t0"] == [
    ...     i.indicator for i in r.fix_first("LY", "t0", top=3)]
    True
    """
    system = result.system
    w = result.weights.indicator_weights()
    s = result.indicator_scores / 100.0
    gap = 1.0 - s
    priority = w[None, :] * gap
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(priority, axis=1, keepdims=True)
        obstacle = np.where(total > 0, priority / total, np.where(np.isnan(priority), np.nan, 0.0))
    basic = np.array([ind.category is Category.BASIC for ind in system.indicators])
    measured = ~np.isnan(s)
    must = measured & basic[None, :] & (gap > 1e-12)
    # Sort key as in EvaluationResult.fix_first: must-fix first, then by obstacle descending,
    # unmeasured last; ties keep the system's indicator order (a stable sort).
    klass = np.where(~measured, 2, np.where(must, 0, 1))
    key_obstacle = np.where(measured, -np.nan_to_num(obstacle, nan=0.0), 0.0)
    m = len(system.indicators)
    cols = np.broadcast_to(np.arange(m), s.shape)
    order = np.lexsort((cols, key_obstacle, klass), axis=1)
    if top is not None:
        order = order[:, :top]
    dims = [system.dimension_of(i) for i in system.indicator_ids]
    scored = ~np.isnan(result.group_scores[:, 0])
    out: Records = []
    for r in np.flatnonzero(scored).tolist():
        for k, j in enumerate(order[r].tolist(), start=1):
            ind = system.indicators[j]
            out.append(
                {
                    "community_id": result.ids[r],
                    "phase": result.phases[r],
                    "order": k,
                    "indicator": ind.id,
                    "name": ind.name.get(lang),
                    "dimension": dims[j],
                    "category": ind.category.value,
                    "supplier": ind.supplier.value,
                    "value": _clean(result.values[r, j]),
                    "target": ind.goalposts.target,
                    "unit": ind.unit,
                    "score": _clean(result.indicator_scores[r, j]),
                    "gap": _clean(gap[r, j]),
                    "global_weight": float(w[j]),
                    "obstacle": _clean(obstacle[r, j]),
                    "must_fix": bool(must[r, j]),
                    "status": CellStatus(int(result.status[r, j])).name.lower(),
                }
            )
    return out


def _scores_table(result: EvaluationResult, lang: str) -> Records:
    records = result.records(lang)
    out: Records = []
    for r, rec in enumerate(records):
        row = {"community_id": rec.pop("community_id"), "phase": rec.pop("phase")}
        row.update({k: _clean(v[r]) for k, v in result.context.items() if k not in row})
        row.update(rec)
        out.append(row)
    return out


def _ranks_table(result: EvaluationResult, lang: str) -> Records:
    names = [g.name.get(lang) for g in result.system.grades]
    out: Records = []
    for r in range(len(result.ids)):
        row: dict[str, Any] = {"community_id": result.ids[r], "phase": result.phases[r]}
        for k, g in enumerate(result.group_ids):
            row[f"rank_{g}"] = _clean(result.ranks[r, k])
        for k, g in enumerate(result.group_ids):
            grade = int(result.grades[r, k])
            row[f"grade_{g}"] = None if grade < 0 else names[grade]
        out.append(row)
    return out


def _weights_table(result_or_weights: Any, system: IndicatorSystem, lang: str) -> Records:
    weights = getattr(result_or_weights, "weights", result_or_weights)
    out: Records = []
    for row in weights.table():
        nw = weights.nodes[row["parent"]]
        node = system.node(row["node"])
        out.append(
            {
                "parent": row["parent"],
                "node": row["node"],
                "name": node.name.get(lang),
                "kind": "indicator" if node.is_indicator else "group",
                "method": row["method"],
                "local": row["local"],
                "global": row["global"],
                "parent_cr": nw.cr,
                "parent_cr_acceptable": nw.acceptable,
            }
        )
    return out


def _flatten(prefix: str, value: Any, out: Records) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (list, tuple)):
        out.append({"key": prefix, "value": json.dumps(value, ensure_ascii=False)})
    else:
        out.append({"key": prefix, "value": value})


def _provenance_table(result: EvaluationResult) -> Records:
    prov = result.provenance.model_dump(mode="json")
    weights = prov.pop("weights")
    out: Records = []
    _flatten("", prov, out)
    _flatten("weights.provenance", weights.get("provenance", {}), out)
    out.append({"key": "weights.system_id", "value": weights.get("system_id")})
    out.append({"key": "system.name_en", "value": result.system.name.en})
    out.append({"key": "system.name_zh", "value": result.system.name.zh})
    out.append({"key": "rows", "value": len(result.ids)})
    for w in result.warnings:
        out.append({"key": "warning", "value": w})
    return out


def _comparison_table(comparison: PhaseComparison) -> Records:
    out: Records = []
    for rec in comparison.records():
        row = {"before_phase": comparison.before_phase, "after_phase": comparison.after_phase}
        row.update(rec)
        out.append(row)
    return out


def result_tables(
    result: EvaluationResult,
    *,
    lang: str = "en",
    fix_first_top: int | None = 10,
    comparison: PhaseComparison | None = None,
) -> dict[str, Records]:
    """Every table of a result (see the module docstring), keyed by table name.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of grade labels and names.
    fix_first_top : int or None
        Lines of the fix-first list per row.
    comparison : PhaseComparison, optional
        Adds a ``comparison`` table.

    Returns
    -------
    dict of str to list of dict

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> list(result_tables(r))
    ['scores', 'ranks', 'fix_first', 'weights', 'provenance']
    """
    tables = {
        "scores": _scores_table(result, lang),
        "ranks": _ranks_table(result, lang),
        "fix_first": fix_first_table(result, top=fix_first_top, lang=lang),
        "weights": _weights_table(result, result.system, lang),
        "provenance": _provenance_table(result),
    }
    if comparison is not None:
        tables["comparison"] = _comparison_table(comparison)
    return tables


# --------------------------------------------------------------------------- writers
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
                    fix="use .csv, .xlsx, .parquet or .json (or pass format=...)",
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
    _check_encoding(encoding)
    try:
        with path.open("w", newline="", encoding=encoding) as fh:
            writer = csv.DictWriter(fh, fieldnames=header, restval="")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in rec.items()} for rec in records)
    except UnicodeEncodeError as exc:
        path.unlink(missing_ok=True)
        raise OptionError(
            f"the table has text that {encoding} cannot encode",
            [Problem(str(exc), file=str(path), fix="use utf-8, utf-8-sig or gb18030")],
        ) from None


def _write_xlsx(sheets: Mapping[str, Records], path: Path) -> None:
    openpyxl = import_optional("openpyxl", "Writing Excel files")
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, records in sheets.items():
        ws = wb.create_sheet(_SHEET_NAMES.get(name, name)[:31])
        ws.freeze_panes = "A2"
        header = _header(records)
        for k, h in enumerate(header):
            letter = openpyxl.utils.get_column_letter(k + 1)
            ws.column_dimensions[letter].width = max(9, min(40, len(h) + 2))
        head_cells = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            head_cells.append(c)
        ws.append(head_cells)
        for rec in records:
            row: list[Any] = []
            for h in header:
                v = rec.get(h)
                if isinstance(v, str) and v.startswith("="):
                    # Text that looks like a formula stays text (no formula injection).
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"
                    row.append(c)
                else:
                    row.append(v)
            ws.append(row)
    wb.save(path)


def _arrow_column(values: list[Any]) -> Any:
    pa = import_optional("pyarrow", "Writing Parquet files")
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


def write_table(
    records: Sequence[Mapping[str, Any]],
    path: str | Path,
    *,
    format: Literal["csv", "xlsx", "parquet", "json"] | None = None,
    encoding: str = "utf-8",
    sheet: str = "table",
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

    Returns
    -------
    Path

    Raises
    ------
    OptionError
        Unknown format or encoding, or text the encoding cannot hold.

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
    recs = [dict(r) for r in records]
    header = _header(recs)
    if fmt == "csv":
        _write_csv(recs, path, encoding, header)
    elif fmt == "xlsx":
        _write_xlsx({sheet: recs}, path)
    elif fmt == "parquet":
        _write_parquet(recs, path, header)
    else:
        path.write_text(
            json.dumps([{k: _clean(v) for k, v in r.items()} for r in recs], ensure_ascii=False),
            encoding="utf-8",
        )
    return path


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
        Language of grade labels and names.
    fix_first_top : int or None
        Lines of the fix-first list per row.
    comparison : PhaseComparison, optional
        Also write a ``comparison`` table.

    Returns
    -------
    Path

    Raises
    ------
    OptionError
        Unknown format, table or encoding.

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
            [Problem("no comparison", fix="pass comparison=rs.compare(result, phases=(a, b))")],
        )
    if fmt == "json" and table is None:
        path.write_text(result.to_json(indent=1), encoding="utf-8")
        return path
    tables = result_tables(result, lang=lang, fix_first_top=fix_first_top, comparison=comparison)
    if fmt == "xlsx":
        _write_xlsx(tables if table is None else {table: tables[table]}, path)
        return path
    return write_table(tables[table or "scores"], path, format=fmt, encoding=encoding)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- data
def _data_records(data: CommunityData, na: str) -> Records:
    out: Records = []
    phased = any(p is not None for p in data.phases)
    for r in range(data.n):
        rec: dict[str, Any] = {"community_id": data.ids[r]}
        if phased:
            rec["phase"] = data.phases[r]
        rec.update({k: _clean(v[r]) for k, v in data.context.items()})
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
) -> Path:
    """Write community data in the layout :func:`~renoscore.load_data` reads back.

    ``community_id``, ``phase`` (when there are phases), the context columns, then one column
    per indicator: numbers, ``n/a`` for not applicable and empty (null) for missing. Numbers
    are written exactly (shortest round-trip text in CSV), so ``load_data(write_data(d, p))``
    equals ``d``.

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
    return write_table(_data_records(data, "n/a"), path, format=fmt, encoding=encoding)  # type: ignore[arg-type]


def read_data(
    source: str | Path, system: IndicatorSystem | str | Path | None = None, **options: Any
) -> CommunityData:
    """Read community data from any file :func:`~renoscore.load_data` reads, or from JSON.

    A ``.json`` file holds a list of records (``[{"community_id": ..., "phase": ...,
    "<indicator>": value | "n/a" | null}, ...]``, as :func:`write_data` writes) or a mapping
    of columns; other files go to :func:`~renoscore.load_data` unchanged.

    Parameters
    ----------
    source : str or Path
    system : IndicatorSystem, str or Path, optional
    **options
        Passed to :func:`~renoscore.load_data` (``sheet=``, ``encoding=``, ``context=``...).

    Returns
    -------
    CommunityData

    Raises
    ------
    DataValidationError
        Invalid JSON, or data that does not fit the system.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> d = rs.example_data()
    >>> p = write_data(d, pathlib.Path(tempfile.mkdtemp()) / "d.json")
    >>> read_data(p) == d
    True
    """
    path = Path(source)
    if path.suffix.lower() != ".json":
        return load_data(path, system, **options)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            "cannot read the JSON file",
            [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
        ) from None
    if not isinstance(doc, (list, dict)):
        raise DataValidationError(
            "a JSON data file holds a list of records or a mapping of columns",
            [Problem(f"found a {type(doc).__name__}", file=str(path))],
        )
    data = load_data(doc, system, **options)
    return CommunityData(
        system_id=data.system_id,
        system_version=data.system_version,
        indicator_ids=data.indicator_ids,
        ids=data.ids,
        phases=data.phases,
        values=data.values,
        status=data.status,
        context=data.context,
        source=str(path),
    )


def read_result(path: str | Path) -> EvaluationResult:
    """Read a result written as JSON (:func:`write_result` or ``result.to_json()``).

    Raises
    ------
    DataValidationError
        When the file is not a renoscore result.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_result(r, pathlib.Path(tempfile.mkdtemp()) / "r.json")
    >>> read_result(p).ids == r.ids
    True
    """
    from renoscore.result import EvaluationResult

    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            "cannot read the result file",
            [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != "renoscore.EvaluationResult/1":
        raise DataValidationError(
            "not a renoscore result",
            [
                Problem(
                    "no 'format: renoscore.EvaluationResult/1' key",
                    file=str(path),
                    fix="write it with write_result(result, 'x.json') or result.to_json()",
                )
            ],
        )
    return EvaluationResult.from_dict(doc)
