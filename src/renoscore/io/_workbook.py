"""The Excel workbook of a fill-in template: the data sheet with validation, the instructions.

Built here, written by :func:`renoscore.io.template.write_template` (through
:mod:`renoscore._files`); see that module for what it holds.
Data validation warns rather than stops (``errorStyle="warning"``), so that ``不适用`` (not
applicable) can still be typed into a number column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from renoscore._format import plain_number
from renoscore.data.grammar import expected_form
from renoscore.io._words import TEMPLATE_WORDS
from renoscore.system import Indicator, IndicatorKind, IndicatorSystem, RawField, ValueRange

__all__ = ["build_workbook"]

#: Rows below the header that carry data validation.
VALIDATED_ROWS = 1000
_HEADER_ROW = 2
_LIST_LIMIT = 255  # Excel's longest inline list of a validation


def build_workbook(system: IndicatorSystem, columns: Sequence[Any], lang: str) -> Any:
    """The data sheet and the instructions sheet of a template, as an openpyxl workbook."""
    import openpyxl

    words = TEMPLATE_WORDS["zh" if lang == "zh" else "en"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = words["data_sheet"]
    _data_sheet(ws, system, columns, lang, words)
    _instructions(wb.create_sheet(words["guide_sheet"]), system, columns, lang, words)
    return wb


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns.

    Examples
    --------
    >>> _width("距离（米）"), _width("distance (m)")
    (10, 12)
    """
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _data_sheet(
    ws: Any, system: IndicatorSystem, columns: Sequence[Any], lang: str, words: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    n = len(columns)
    ws.cell(row=1, column=1, value=words["title"].format(system=system.name.get(lang)))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    if n > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for k, col in enumerate(columns, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=k, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = max(10, min(30, _width(col.header) + 2))
        example = ws.cell(row=_HEADER_ROW + 1, column=k, value=col.example)
        if col.node is not None and col.node.unit.code == "share" and col.example is not None:
            example.number_format = "0%"
        _validate(ws, k, col, system, lang, words)
    ws.row_dimensions[_HEADER_ROW].height = 45
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=3)


def _rows(k: int) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(k)
    return f"{letter}{_HEADER_ROW + 1}:{letter}{_HEADER_ROW + VALIDATED_ROWS}"


def _listed(names: Sequence[str]) -> str | None:
    """An inline validation list, or None when it cannot be one (a comma, too long)."""
    if any("," in n or '"' in n for n in names):
        return None
    text = '"' + ",".join(names) + '"'
    return text if len(text) <= _LIST_LIMIT else None


def _validate(
    ws: Any, k: int, col: Any, system: IndicatorSystem, lang: str, words: dict[str, str]
) -> None:
    """Data validation of one column of the data sheet (phases, yes/no, levels, ranges)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rule: DataValidation | None = None
    if col.role == "phase":
        names = [p.name.get(lang) for p in system.phases]
        listed = _listed(names)
        if listed is not None:
            rule = DataValidation(type="list", formula1=listed, allow_blank=False)
            rule.prompt = words["phase_note"].format(phases="、".join(names))
    elif col.role in ("raw", "indicator"):
        rule = _number_rule(col.node, lang)
    if rule is None:
        return
    rule.errorStyle = "warning"
    rule.showErrorMessage = True
    rule.showInputMessage = True
    rule.error = (
        expected_form(
            col.node.unit, getattr(col.node, "kind", None), getattr(col.node, "levels", None), lang
        )
        if col.node is not None
        else rule.prompt
    )
    rule.promptTitle = col.header[:32]
    ws.add_data_validation(rule)
    rule.add(_rows(k))


def _number_rule(node: Indicator | RawField, lang: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    unit = node.unit
    if unit.code == "yes/no":
        rule = DataValidation(type="list", formula1='"是,否"' if lang == "zh" else '"yes,no"')
        rule.prompt = unit.label(lang)
        return rule
    levels = node.levels if isinstance(node, Indicator) else None
    if levels:
        names = [levels[k].get(lang) for k in sorted(levels)]
        listed = _listed(names)
        if listed is not None:
            rule = DataValidation(type="list", formula1=listed, allow_blank=True)
            rule.prompt = "、".join(names) if lang == "zh" else ", ".join(names)
            return rule
    whole = unit.info.whole or (isinstance(node, Indicator) and node.kind is IndicatorKind.ORDINAL)
    rule = _range_rule(node.range, "whole" if whole else "decimal")
    if rule is not None:
        rule.prompt = f"{unit.label(lang)}: {_range_text(node.range, lang)}"
    return rule


def _range_rule(rng: ValueRange, kind: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    lo, hi = rng.min, rng.max
    if lo is not None and hi is not None:
        return DataValidation(
            type=kind,
            operator="between",
            formula1=plain_number(lo),
            formula2=plain_number(hi),
            allow_blank=True,
        )
    if lo is not None:
        return DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=plain_number(lo), allow_blank=True
        )
    if hi is not None:
        return DataValidation(
            type=kind, operator="lessThanOrEqual", formula1=plain_number(hi), allow_blank=True
        )
    return None


def _range_text(rng: ValueRange, lang: str) -> str:
    lo = "" if rng.min is None else plain_number(rng.min)
    hi = "" if rng.max is None else plain_number(rng.max)
    if lo and hi:
        return f"{lo}–{hi}"
    if lo or hi:
        return f"≥ {lo}" if lo else f"≤ {hi}"
    return TEMPLATE_WORDS["zh" if lang == "zh" else "en"]["any"]


def _instructions(
    ws: Any, system: IndicatorSystem, columns: Sequence[Any], lang: str, words: dict[str, str]
) -> None:
    """One row per column of the data sheet (and per derived indicator): what to write."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    keys = ["column", "indicator", "definition", "unit", "range", "phases", "source", "how"]
    ws.cell(row=1, column=1, value=words["notes"]).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(keys))
    ws.row_dimensions[1].height = 48
    for k, key in enumerate(keys, start=1):
        ws.cell(row=2, column=k, value=words[key]).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(k)].width = (28, 14, 40, 14, 12, 16, 40, 40)[k - 1]
    rows = [_guide_row(col, system, lang, words) for col in columns]
    rows += [_derived_row(ind, system, lang, words) for ind in system.derived_indicators]
    for r, row in enumerate(rows, start=3):
        for k, value in enumerate(row, start=1):
            ws.cell(row=r, column=k, value=value).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    ws.freeze_panes = "B3"


def _phase_names(node: Indicator | None, system: IndicatorSystem, lang: str) -> str:
    phases = [
        p for p in system.phases if node is None or node.phases is None or p.id in node.phases
    ]
    return (
        "、".join(p.name.get(lang) for p in phases)
        if lang == "zh"
        else ", ".join(p.name.get(lang) for p in phases)
    )


def _guide_row(col: Any, system: IndicatorSystem, lang: str, words: dict[str, str]) -> list[Any]:
    node = col.node
    if col.role == "id":
        return [
            col.header,
            words["kind_key"],
            words["id_note"],
            None,
            None,
            None,
            None,
            words["id_note"],
        ]
    if col.role == "phase":
        names = _phase_names(None, system, lang)
        note = words["phase_note"].format(phases=names)
        return [col.header, words["kind_key"], note, None, None, names, None, note]
    if col.role == "context" or node is None:
        return [col.header, words["kind_context"], None, None, None, None, None, None]
    kind = words["kind_raw"] if col.role == "raw" else words["kind_indicator"]
    levels = getattr(node, "levels", None)
    return [
        col.header,
        kind,
        node.description or node.name.get(lang),
        node.unit.label(lang),
        _range_text(node.range, lang) if not levels else None,
        _phase_names(node if isinstance(node, Indicator) else None, system, lang),
        node.source,
        expected_form(node.unit, getattr(node, "kind", None), levels, lang),
    ]


def _derived_row(
    ind: Indicator, system: IndicatorSystem, lang: str, words: dict[str, str]
) -> list[Any]:
    header = ind.name.get(lang)
    note = words["derived_note"].format(formula=ind.formula, column=header)
    return [
        header,
        words["kind_indicator"],
        ind.description or header,
        ind.unit.label(lang),
        _range_text(ind.range, lang),
        _phase_names(ind, system, lang),
        ind.source,
        note,
    ]
