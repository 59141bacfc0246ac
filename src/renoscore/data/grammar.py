"""What a cell of an indicator (or a raw field) may say besides a plain number.

Offices write values the way they would on paper. A cell is read by the words of its column's
unit and kind, and anything these words do not cover is refused with the form expected:

* a **unit suffix** of the declared unit or of one of the same quantity, converted exactly
  (decimal arithmetic, then one rounding): ``348米`` and ``348 m`` on a metre indicator,
  ``1.2公里`` (1200), ``35平方米``, ``1.5万元`` on yuan (15000), ``71%`` on a share (0.71) and
  on a percent indicator (71). A suffix of another quantity (``7%`` on a count, ``3户`` on a
  distance) or an unknown one is refused;
* **yes/no words** on a yes/no indicator: 是/否, 有/无, yes/no, y/n, true/false;
* a **level's name** on an ordinal indicator, in either language (专业化物业服务 -> 3).

Full-width forms (``３４８米``, ``７１％``) are read as their ASCII forms; a space inside the
digits of a number (``1 000米``) is ambiguous and refused, as in a plain number.

A column's header may name a unit in brackets (``最远服务距离（公里）``): :func:`header_unit`
checks it against the declared unit, and :func:`with_unit` then reads the column's bare
numbers in that unit. An Excel cell shown as a percentage is read as the percentage it shows
(:func:`shown_as_percent`).

Examples
--------
>>> from renoscore.system.units import Unit
>>> read = cell_reader(Unit(code="m"))
>>> read("348米"), read("1.2公里"), read("３４８ m")
(348.0, 1200.0, 348.0)
>>> read("7户")[0]
"unit '户' does not match the declared unit 米 (m)"
>>> cell_reader(Unit(code="share"))("71%"), cell_reader(Unit(code="percent"))("71％")
(0.71, 71.0)
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellReader, is_blank
from renoscore.system import Indicator, IndicatorKind, LocalizedText, RawField
from renoscore.system.units import (
    UNITS,
    YES_NO_WORDS,
    Unit,
    find_unit,
    normal_form,
    suffix_factors,
)

__all__ = [
    "WHOLE_UNITS",
    "cell_reader",
    "column_reader",
    "expected_form",
    "header_unit",
    "shown_as_percent",
    "with_unit",
]

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(.*)$")
_GROUPED = re.compile(r"\d[\s,，_'’]+\d")


def column_reader(column: Indicator | RawField) -> CellReader:
    """The cell reader of an indicator's or a raw field's column."""
    if isinstance(column, Indicator):
        return cell_reader(column.unit, column.kind, column.levels)
    return cell_reader(column.unit)


def expected_form(
    unit: Unit,
    kind: IndicatorKind | None = None,
    levels: dict[int, LocalizedText] | None = None,
    lang: str = "en",
) -> str:
    """The fix of a refused cell: the forms a cell of this unit may take (in ``lang``; the
    Chinese form is the template's instruction).

    Examples
    --------
    >>> expected_form(Unit(code="km")).split(";")[:2]
    ['write a number of 公里 (km), e.g. 12 or 12公里', ' 米, m, 公尺 are converted']
    >>> expected_form(Unit(code="share"), lang="zh").split("；")[0]
    '填写0–1之间的小数（如0.71）或百分数（如71%）'
    """
    words = _FORM_WORDS["zh" if lang == "zh" else "en"]
    return _form(unit, kind, levels, words) + words["blank"]


#: The sentences of :func:`expected_form`, one set per language (the logic is shared).
_FORM_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "yes/no": "填写“是”或“否”（也可填1/0、有/无）",
        "levels": "填写等级或其名称：{named}",
        "sep": "、",
        "ordinal": "填写整数等级",
        "share": "填写0–1之间的小数（如0.71）或百分数（如71%）",
        "percent": "填写0–100之间的数（如71或71%）",
        "number": "填写数值（如12）",
        "unit": "填写以{zh}为单位的数值，如12或12{first}",
        "converted": "；带{others}等单位的数值会自动换算",
        "blank": "；数据缺失的留空，不适用的填写“不适用”",
    },
    "en": {
        "yes/no": "write 1 or 0, or 是/否 (有/无, yes/no)",
        "levels": "write a level or its name: {named}",
        "sep": ", ",
        "ordinal": "write a whole number (a level)",
        "share": "write a number between 0 and 1 (e.g. 0.71) or a percentage (71%)",
        "percent": "write a number between 0 and 100 (e.g. 71 or 71%)",
        "number": "write a number (e.g. 12)",
        "unit": "write a number of {zh} ({en}), e.g. 12 or 12{first}",
        "converted": "; {others} are converted",
        "blank": "; leave it empty if missing, or n/a if not applicable",
    },
}


def _form(
    unit: Unit,
    kind: IndicatorKind | None,
    levels: dict[int, LocalizedText] | None,
    words: dict[str, str],
) -> str:
    info = unit.info
    if info.code == "yes/no":
        return words["yes/no"]
    if levels:
        named = words["sep"].join(f"{k} {t.zh}" for k, t in sorted(levels.items()))
        return words["levels"].format(named=named)
    if kind is IndicatorKind.ORDINAL:
        return words["ordinal"]
    if info.code in ("share", "percent"):
        return words[info.code]
    others = [s for s in suffix_factors(info.code) if s not in info.spellings and s != "%"]
    first = info.spellings[0] if info.spellings else ""
    if not first:
        return words["number"]
    text = words["unit"].format(zh=info.zh, en=info.en, first=first)
    if others:
        text += words["converted"].format(others=words["sep"].join(others[:4]))
    return text


def cell_reader(
    unit: Unit,
    kind: IndicatorKind | None = None,
    levels: dict[int, LocalizedText] | None = None,
) -> CellReader:
    """A function reading the text cells of one column that are not plain numbers."""
    factors = suffix_factors(unit.code)
    words = {**YES_NO_WORDS} if unit.code == "yes/no" else {}
    for level, name in (levels or {}).items():
        words[normal_form(name.zh)] = level
        words[normal_form(name.en)] = level
    expected = expected_form(unit, kind, levels)
    shown = f"{unit.info.zh} ({unit.info.en})"
    if unit.code == "yes/no":
        nothing = "neither 1/0 nor yes/no (是/否)"
    elif levels:
        nothing = "neither a level nor the name of one"
    else:
        nothing = "not a number"

    def read(text: str) -> float | tuple[str, str] | None:
        folded = unicodedata.normalize("NFKC", text)
        key = normal_form(folded)
        if key in words:
            return float(words[key])
        if _GROUPED.search(folded.strip()):
            return (
                "a separator inside a number is ambiguous (thousands separator or decimal comma)",
                "write the number without separators, with '.' as the decimal point",
            )
        match = _NUMBER.match(key)
        if match is None or not match.group(2):
            return (nothing, expected)
        number, suffix = match.groups()
        factor = factors.get(suffix)
        if factor is None:
            other = find_unit(suffix)
            if suffix == "%":
                return (f"a percentage on a value in {shown}", expected)
            if other is not None:
                return (
                    f"unit {suffix!r} does not match the declared unit {shown}",
                    expected,
                )
            return (f"unknown unit {suffix!r} after the number", expected)
        try:
            value = float(Decimal(number) * factor)
        except (InvalidOperation, OverflowError):
            return ("the number overflows float64", "check the value")
        if not math.isfinite(value):
            return ("the number overflows float64", "check the value")
        return value

    return read


def header_unit(unit: Unit, text: str) -> tuple[str | None, str | None]:
    """What a unit named in a header's brackets means for a column of ``unit``.

    Returns ``(spelling, None)`` when bare numbers of the column are in the unit ``spelling``
    (None for the declared unit itself), or ``(None, reason)`` when the header names a unit of
    another quantity. Text that names no unit (``1-5分制``) is no unit.

    Examples
    --------
    >>> header_unit(Unit(code="m"), "公里"), header_unit(Unit(code="m"), "米")
    (('公里', None), (None, None))
    >>> header_unit(Unit(code="count"), "%")[1]
    "the header's unit '%' does not match the declared unit 个 (count)"
    """
    key = normal_form(text)
    factors = suffix_factors(unit.code)
    named = find_unit(key)
    if named == unit.code or (key in factors and factors[key] == 1):
        return None, None
    if key in factors:
        return key, None
    if named is not None or key == "%":
        return None, (
            f"the header's unit {text!r} does not match the declared unit "
            f"{unit.info.zh} ({unit.info.en})"
        )
    return None, None


def _decimal_text(value: float) -> str:
    """A number as the shortest text that reads back to it (``0.42``, ``12``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def with_unit(cells: NDArray[Any], spelling: str) -> NDArray[Any]:
    """The column with every bare number written in the unit ``spelling`` (``1.2`` ->
    ``1.2公里``), for the cell reader to convert exactly; other cells are unchanged."""
    out = np.empty(cells.shape[0], dtype=object)
    for r, cell in enumerate(cells.tolist()):
        if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
            out[r] = f"{_decimal_text(float(cell))}{spelling}" if math.isfinite(cell) else cell
        elif isinstance(cell, str) and _is_plain_number(cell):
            out[r] = f"{cell.strip()}{spelling}"
        else:
            out[r] = cell
    return out


def _is_plain_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def shown_as_percent(cells: NDArray[Any], mask: NDArray[np.bool_]) -> NDArray[Any]:
    """The column with the cells an Excel format shows as percentages written as they show
    (``0.42`` -> ``42%``); other cells unchanged.

    Examples
    --------
    >>> shown_as_percent(np.array([0.42, 0.5], dtype=object), np.array([True, False])).tolist()
    ['42%', 0.5]
    """
    out = np.array(cells, dtype=object)
    for r in np.flatnonzero(mask).tolist():
        cell = out[r]
        if is_blank(cell) or not isinstance(cell, (int, float, np.integer, np.floating)):
            continue
        if isinstance(cell, bool) or not math.isfinite(float(cell)):
            continue
        shown = Decimal(_decimal_text(float(cell))) * 100
        out[r] = f"{_plain(shown)}%"
    return out


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


#: Units whose cells are counted (whole numbers), for the raw-field checks.
WHOLE_UNITS = frozenset(code for code, info in UNITS.items() if info.whole)
