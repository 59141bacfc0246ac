"""A fill-in template of a system for offices: an Excel workbook (or a CSV) that reads back.

The Excel template has two sheets:

* the data sheet (填报表): a title, one header per column -- community, phase, the declared
  context columns, the raw fields of the derived indicators, the measured indicators -- in the
  language asked for, each with its unit in brackets (``垃圾分类收集点最远服务距离（米）``), an
  example row, and Excel data validation on the rows below: the phases and yes/no and level
  names as lists, every number within its range (whole numbers for counts), with a prompt
  naming the unit;
* the instructions (填报说明): for every column its kind, definition, unit, valid values, the
  phases that measure it, its source, and how to fill it in, generated from the YAML.

A CSV template is the header and the example row (UTF-8 with BOM, which Excel opens as
such). Either reads back with :func:`~renoscore.load_data` with no edit: the example row is a
community, to be replaced.

Examples
--------
>>> import pathlib, tempfile
>>> import renoscore as rs
>>> path = write_template(rs.default_system(), pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
>>> rs.load_data(path).n
1
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from renoscore._files import Inputs, check_output, replace_file, spreadsheet_text, write_text
from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.io._words import TEMPLATE_WORDS
from renoscore.system import Indicator, IndicatorSystem, RawField, load_system
from renoscore.system.formula import evaluate_formula
from renoscore.system.units import Unit

__all__ = ["TemplateColumn", "template_columns", "write_template"]

#: Rows below the example that carry data validation.
VALIDATED_ROWS = 1000
#: Units whose header shows no unit (the values are words or plain numbers).
_NO_HEADER_UNIT = frozenset({"level", "number"})


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template: its header, what it is, and its example value."""

    header: str
    role: str  # "id", "phase", "context", "raw" or "indicator"
    node: Indicator | RawField | None
    example: Any


def _unit_text(unit: Unit, lang: str) -> str | None:
    if unit.code in _NO_HEADER_UNIT:
        return None
    if unit.code == "share":
        return "0–1"
    return unit.info.zh if lang == "zh" else unit.info.en


def _header(name: str, unit: Unit, lang: str) -> str:
    text = _unit_text(unit, lang)
    if text is None:
        return name
    return f"{name}（{text}）" if lang == "zh" else f"{name} ({text})"


def _round(value: float, unit: Unit) -> float:
    if unit.info.whole or unit.code in ("m", "percent", "yes/no", "level"):
        return float(round(value))
    return float(f"{value:.2g}") if abs(value) < 10 else float(round(value, 1))


def _middle(ind: Indicator) -> float:
    """A plausible value: midway between the goalposts, as the unit is written."""
    return _round((ind.goalposts.floor + ind.goalposts.target) / 2, ind.unit)


def _raw_examples(system: IndicatorSystem, fields: Sequence[RawField]) -> dict[str, float]:
    """Raw values that put every derived indicator inside its range, near its middle.

    Each derived indicator is searched on its own (a few values per field: 0 and 1 for a field
    whose range ends at 1, such as a yes/no step; else 1, 2, 4 and 8), so that a checklist of
    six steps or a vote with a quorum flag gets values its fields allow.
    """
    if not fields:
        return {}
    wanted = {f.id: f for f in fields}
    chosen: dict[str, float] = {}
    for ind in system.derived_indicators:
        formula = ind.parsed_formula
        if formula is None or any(n not in wanted for n in formula.names):
            continue
        free = [wanted[n] for n in formula.names if n not in chosen]
        best: tuple[float, tuple[float, ...]] | None = None
        for combo in itertools.product(*(_grid(f) for f in free)):
            values = {**chosen, **{f.id: v for f, v in zip(free, combo, strict=True)}}
            cost = _cost(ind, values)
            if best is None or cost < best[0]:
                best = (cost, combo)
        if best is not None:
            chosen.update({f.id: v for f, v in zip(free, best[1], strict=True)})
    return {f.id: chosen.get(f.id, _grid(f)[-1]) for f in fields}


def _grid(field: RawField) -> tuple[float, ...]:
    top = field.range.max
    return (1.0, 0.0) if top is not None and top <= 1 else (1.0, 2.0, 4.0, 8.0)


def _cost(ind: Indicator, values: dict[str, float]) -> float:
    """How far the derived value of ``values`` is from the middle of the goalposts."""
    formula = ind.parsed_formula
    assert formula is not None
    ok = np.zeros(1, dtype=np.int8)
    cols = {n: (np.array([values[n]]), ok) for n in formula.names}
    result, status, _ = evaluate_formula(formula, cols)
    v = float(result[0])
    if status[0] != 0 or not math.isfinite(v) or not ind.range.contains(v):
        return 1e6
    return abs(v - (ind.goalposts.floor + ind.goalposts.target) / 2)


def template_columns(
    system: IndicatorSystem, lang: str = "zh", phase: str | None = None
) -> list[TemplateColumn]:
    """The columns of the template of ``system`` with the example row of ``phase`` (the first
    phase by default): community, phase, context, raw fields, measured indicators."""
    words = TEMPLATE_WORDS["zh" if lang == "zh" else "en"]
    first = system.phases[0] if phase is None else next(p for p in system.phases if p.id == phase)
    cols = [
        TemplateColumn(words["id"], "id", None, words["example_id"]),
        TemplateColumn(words["phase"], "phase", None, first.name.get(lang)),
    ]
    cols += [TemplateColumn(c.name.get(lang), "context", None, None) for c in system.context]
    needed: list[RawField] = []
    in_phase: set[str] = set()  # raw fields of the indicators measured in the example's phase
    for ind in system.derived_indicators:
        for name in ind.parsed_formula.names if ind.parsed_formula else ():
            field = system.raw_field(name)
            if field not in needed:
                needed.append(field)
            if ind.phases is None or first.id in ind.phases:
                in_phase.add(name)
    raw = _raw_examples(system, needed)
    cols += [
        TemplateColumn(
            _header(f.name.get(lang), f.unit, lang),
            "raw",
            f,
            raw.get(f.id) if f.id in in_phase else None,
        )
        for f in needed
    ]
    for ind in system.indicators:
        if ind.formula is not None:
            continue
        measured = ind.phases is None or first.id in ind.phases
        cols.append(
            TemplateColumn(
                _header(ind.name.get(lang), ind.unit, lang),
                "indicator",
                ind,
                _example(ind, lang) if measured else None,
            )
        )
    return cols


def _example(ind: Indicator, lang: str) -> Any:
    if ind.unit.code == "yes/no":
        return "是" if lang == "zh" else "yes"
    if ind.levels:
        levels = sorted(ind.levels)
        return ind.levels[levels[len(levels) // 2]].get(lang)
    return _middle(ind)


def write_template(
    system: IndicatorSystem | str | Path,
    path: str | Path,
    *,
    lang: str = "zh",
    phase: str | None = None,
    overwrite: bool = True,
    inputs: Inputs | None = None,
) -> Path:
    """Write the fill-in template of ``system`` to ``path`` (``.xlsx`` or ``.csv``).

    The file is written whole or not at all (through a temporary file beside it), never over
    one of ``inputs``, and over an existing file only with ``overwrite``.

    Parameters
    ----------
    system : IndicatorSystem, str or Path
    path : str or Path
        ``.xlsx`` (data sheet with validation, and instructions) or ``.csv`` (header and example).
    lang : {"zh", "en"}
        Language of headers, phase names, level names and instructions.
    phase : str, optional
        The phase of the example row (default: the system's first phase).
    overwrite : bool
        Replace an existing file (default); False refuses it.
    inputs : mapping of label to path, optional
        Files the run read (the system's YAML): never written over.

    Returns
    -------
    Path

    Raises
    ------
    OptionError
        An unknown suffix, language or phase.
    OutputError
        A path that may not be written (see :func:`renoscore._files.check_output`), or a write
        that failed; the file that was there is unchanged.
    """
    system = load_system(system)
    path = Path(path)
    _check(system, path, lang, phase)
    check_output(path, inputs=inputs, overwrite=overwrite)  # before the template is built
    columns = template_columns(system, lang, phase)
    if path.suffix.lower() == ".csv":
        text = _csv_text(columns)
        return write_text(path, text, encoding="utf-8-sig", overwrite=overwrite, inputs=inputs)
    from renoscore.io._workbook import build_workbook

    book = build_workbook(system, columns, lang)
    return replace_file(path, book.save, overwrite=overwrite, inputs=inputs)


def _check(system: IndicatorSystem, path: Path, lang: str, phase: str | None) -> None:
    problems = []
    if path.suffix.lower() not in (".xlsx", ".csv"):
        problems.append(Problem("unknown suffix", value=path.suffix, fix="use .xlsx or .csv"))
    if lang not in ("zh", "en"):
        problems.append(Problem("unknown language", value=lang, fix="use zh or en"))
    if phase is not None and phase not in system.phase_ids:
        problems.append(
            Problem("unknown phase", value=phase, fix=f"use one of {list(system.phase_ids)}")
        )
    if problems:
        raise OptionError("cannot write the template", problems)
    if path.suffix.lower() == ".xlsx":
        import_optional("openpyxl", "Writing Excel templates")


def _csv_text(columns: Sequence[TemplateColumn]) -> str:
    """The header and the example row as CSV text; text a spreadsheet would run as a formula
    gets an apostrophe (:func:`renoscore._files.spreadsheet_text`), which the reader removes."""
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([spreadsheet_text(c.header) for c in columns])
    writer.writerow(["" if c.example is None else spreadsheet_text(_csv_cell(c)) for c in columns])
    return out.getvalue()


def _csv_cell(column: TemplateColumn) -> Any:
    node = column.node
    if node is not None and node.unit.code == "share" and isinstance(column.example, float):
        return f"{column.example * 100:g}%"
    value = column.example
    return f"{value:g}" if isinstance(value, float) else value
