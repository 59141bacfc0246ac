"""Units of measurement: a small table of known units, how they are shown and how they convert.

An indicator's (or a raw field's) ``unit`` names one of the units of :data:`UNITS` by its code
(``m``, ``share``, ``10k yuan`` ...), optionally with a note on what is counted::

    unit: m
    unit: {code: share, note: {en: of buildings, zh: 按楼栋计}}

Each unit has an English and a Chinese display form (``m``/``米``, ``10k yuan``/``万元``) and
belongs to a *quantity* (length, area, money, fraction ...). A number written with the suffix
of a unit of the same quantity is converted to the declared unit when data are read: ``348米``
and ``1.2公里`` on a metre indicator are 348 and 1200, ``71%`` is 0.71 on a share and 71 on a
percent indicator, ``1.5万元`` is 15000 on a yuan indicator. A suffix of another quantity
(``7%`` on a count, ``3户`` on a distance) is refused, never guessed.

The older free-text form (``unit: "share 0-1 of buildings"``) still loads: text that names a
unit fitting the indicator's kind is that unit; any other text is kept as the English display
text of the kind's unit (:func:`legacy_unit`).

Examples
--------
>>> from renoscore.system.units import UNITS, Unit, suffix_factors
>>> Unit.model_validate("米").code, UNITS["km"].zh
('m', '公里')
>>> float(suffix_factors("m")["公里"]), float(suffix_factors("share")["%"])
(1000.0, 0.01)
>>> Unit.model_validate({"code": "share", "note": {"en": "of buildings", "zh": "按楼栋计"}}).label("zh")
'比例（0–1，按楼栋计）'
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import (
    Field,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from renoscore._validation import located_error, suggest
from renoscore.system._base import FrozenModel, LocalizedText
from renoscore.system.enums import IndicatorKind

__all__ = [
    "KIND_UNITS",
    "UNITS",
    "YES_NO_WORDS",
    "Unit",
    "UnitInfo",
    "find_unit",
    "legacy_unit",
    "normal_form",
    "suffix_factors",
]


@dataclass(frozen=True)
class UnitInfo:
    """One known unit.

    Attributes
    ----------
    code : str
        How the YAML names it.
    en, zh : str
        How it is shown beside a value, in English and in Chinese.
    quantity : str
        What it measures; units of one quantity convert into each other.
    factor : Decimal
        Its size in the quantity's first unit (``km`` is 1000 ``m``).
    spellings : tuple of str
        How it is written after a number (in :func:`normal_form`).
    whole : bool
        Whether its values are counted, hence whole numbers.
    """

    code: str
    en: str
    zh: str
    quantity: str
    factor: Decimal = Decimal(1)
    spellings: tuple[str, ...] = ()
    whole: bool = False


def _unit(
    code: str,
    en: str,
    zh: str,
    quantity: str,
    factor: str = "1",
    spellings: tuple[str, ...] = (),
    whole: bool = False,
) -> UnitInfo:
    return UnitInfo(code, en, zh, quantity, Decimal(factor), spellings, whole)


#: The known units by code. Spellings are in :func:`normal_form` (NFKC, case-folded, no
#: spaces): ``m²`` and ``㎡`` are both ``m2``, the full-width ``％`` is ``%``.
UNITS: dict[str, UnitInfo] = {
    u.code: u
    for u in (
        _unit("share", "share 0–1", "比例（0–1）", "fraction"),
        _unit("percent", "%", "%", "fraction", "0.01", ("%",)),
        _unit(
            "count",
            "count",
            "个",
            "count",
            "1",
            ("个", "项", "处", "台", "部", "座", "家", "件"),
            True,
        ),
        _unit("households", "households", "户", "households", "1", ("户",), True),
        _unit("persons", "persons", "人", "persons", "1", ("人", "名"), True),
        _unit("types", "types", "类", "types", "1", ("类", "种"), True),
        _unit("per year", "per year", "次/年", "per year", "1", ("次/年", "场/年"), True),
        _unit("m", "m", "米", "length", "1", ("米", "m", "公尺")),
        _unit("km", "km", "公里", "length", "1000", ("公里", "km", "千米")),
        _unit("m2", "m²", "平方米", "area", "1", ("平方米", "m2", "平米")),
        _unit("ha", "ha", "公顷", "area", "10000", ("公顷", "ha")),
        _unit(
            "m2/person",
            "m²/person",
            "平方米/人",
            "area per person",
            "1",
            ("平方米/人", "m2/person", "m2/人", "平米/人", "m2/capita"),
        ),
        _unit("yuan", "yuan", "元", "money", "1", ("元", "yuan", "rmb")),
        _unit("10k yuan", "10k yuan", "万元", "money", "10000", ("万元", "万")),
        _unit("100m yuan", "100m yuan", "亿元", "money", "100000000", ("亿元", "亿")),
        _unit("minutes", "min", "分钟", "time", "1", ("分钟", "min", "mins", "minutes")),
        _unit("hours", "h", "小时", "time", "60", ("小时", "h", "hours")),
        _unit("years", "years", "年", "years", "1", ("年", "years")),
        _unit("score", "score", "分", "score", "1", ("分",)),
        _unit("yes/no", "yes/no", "是/否", "yes/no"),
        _unit("level", "level", "等级", "level", "1", ("级",)),
        _unit("per household", "per household", "个/户", "per household", "1", ("个/户", "/户")),
        _unit("per 100 households", "per 100 households", "每百户", "per 100 households"),
        _unit("per 1000 residents", "per 1,000 residents", "每千人", "per 1,000 residents"),
        _unit("number", "number", "数值", "number"),
    )
}

#: Extra spellings accepted at factor 1 on a unit of another quantity: a per-capita area is
#: commonly written as a bare area (人均住房面积 35平方米).
_ALSO: dict[str, tuple[str, ...]] = {"m2/person": ("平方米", "m2", "平米")}

#: Words a yes/no cell may hold, in :func:`normal_form`, and the value each stands for.
YES_NO_WORDS: dict[str, int] = {
    "是": 1,
    "否": 0,
    "有": 1,
    "无": 0,
    "yes": 1,
    "no": 0,
    "y": 1,
    "n": 0,
    "true": 1,
    "false": 0,
}

#: The units that fit each kind of indicator; the first is the kind's default.
KIND_UNITS: dict[IndicatorKind, tuple[str, ...]] = {
    IndicatorKind.RATIO: ("share",),
    IndicatorKind.PERCENT: ("percent",),
    IndicatorKind.COUNT: ("count", "households", "persons", "types", "per year"),
    IndicatorKind.DISTANCE_M: ("m",),
    IndicatorKind.AREA_M2: ("m2",),
    IndicatorKind.M2_PER_CAPITA: ("m2/person",),
    IndicatorKind.PER_100HH: ("per 100 households",),
    IndicatorKind.PER_1000RES: ("per 1000 residents",),
    IndicatorKind.LIKERT5: ("score",),
    IndicatorKind.LIKERT7: ("score",),
    IndicatorKind.BINARY: ("yes/no",),
    IndicatorKind.ORDINAL: ("level", "score"),
    IndicatorKind.CONTINUOUS: ("number", *(c for c in UNITS if c != "number")),
}


@functools.lru_cache(maxsize=8192)
def normal_form(text: str) -> str:
    """Text as units and words are compared: NFKC (full-width forms folded), case-folded,
    without spaces.

    Examples
    --------
    >>> normal_form(" ㎡ "), normal_form("Ｙｅｓ"), normal_form("１２％")
    ('m2', 'yes', '12%')
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def _names() -> dict[str, str]:
    """Every way a YAML may name a unit (code, display forms, spellings) -> its code."""
    names: dict[str, str] = {}
    for u in UNITS.values():
        for form in (*u.spellings, u.zh, u.en, u.code.replace(" ", "_"), u.code):
            names[normal_form(form)] = u.code
    names[normal_form("yes_no")] = "yes/no"
    names[normal_form("m2_per_person")] = "m2/person"
    return names


def find_unit(text: str) -> str | None:
    """The code of the unit ``text`` names (a code, a display form or a spelling), or None.

    Examples
    --------
    >>> find_unit("平方米"), find_unit("万元"), find_unit("share 0-1 of buildings")
    ('m2', '10k yuan', None)
    """
    return _names().get(normal_form(text))


@cache
def suffix_factors(code: str) -> dict[str, Decimal]:
    """How a number may be suffixed on a ``code`` value: spelling -> factor into ``code``.

    Every unit of the same quantity counts (``公里`` on a metre value is 1000 of them).

    Examples
    --------
    >>> {k: str(v) for k, v in suffix_factors("km").items() if k in ("m", "公里")}
    {'m': '0.001', '公里': '1'}
    """
    declared = UNITS[code]
    out: dict[str, Decimal] = {}
    for u in UNITS.values():
        if u.quantity == declared.quantity:
            for spelling in u.spellings:
                out[spelling] = u.factor / declared.factor
    for spelling in _ALSO.get(code, ()):
        out.setdefault(spelling, Decimal(1))
    return out


def legacy_unit(text: str, kind: Any) -> dict[str, str]:
    """The structured form of a free-text ``unit`` of an indicator of ``kind``.

    Text naming a unit that fits the kind is that unit; other text stays as the English
    display text of the kind's default unit (its Chinese form is the unit's own).

    Examples
    --------
    >>> legacy_unit("m", "distance_m"), legacy_unit("share 0-1 of buildings", "ratio")
    ({'code': 'm'}, {'code': 'share', 'text': 'share 0-1 of buildings'})
    """
    try:
        fits = KIND_UNITS[IndicatorKind(kind)]
    except ValueError:
        fits = tuple(UNITS)
    code = find_unit(text)
    if code is not None and code in fits:
        return {"code": code}
    return {"code": fits[0], "text": text}


class Unit(FrozenModel):
    """The unit of an indicator or a raw field.

    Parameters
    ----------
    code : str
        One of :data:`UNITS` (a display form or spelling such as ``米`` is read as its code).
    note : LocalizedText, optional
        What is counted or measured, shown after the unit (``of buildings`` / ``按楼栋计``).
    text : str, optional
        The free English text of an older system (``share 0-1 of buildings``), shown instead
        of the English display form.
    """

    code: str
    note: LocalizedText | None = None
    text: str | None = Field(default=None, min_length=1)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # A unit is usually written as its code alone (unit: m).
        mapping = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "string", "minLength": 1}, mapping], "title": "Unit"}

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise located_error(
                "empty_unit",
                [((), "unit must not be empty", "write a unit such as m, share or count")],
            )
        if isinstance(value, str):
            return {"code": value}
        return value

    @field_validator("code", mode="before")
    @classmethod
    def _known(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        code = find_unit(value)
        if code is None:
            raise located_error(
                "unknown_unit",
                [
                    (
                        (),
                        f"unknown unit {value!r}",
                        suggest(value, list(UNITS))
                        or f"use one of {', '.join(UNITS)} (or a note: {{code, note}})",
                    )
                ],
            )
        return code

    @property
    def info(self) -> UnitInfo:
        """The unit's entry in :data:`UNITS`."""
        return UNITS[self.code]

    def label(self, lang: str = "en") -> str:
        """How the unit is shown beside a value in ``lang`` ("en" or "zh").

        Examples
        --------
        >>> Unit(code="km").label("zh"), Unit(code="share", text="share of buildings").label()
        ('公里', 'share of buildings')
        """
        if lang != "zh" and self.text:
            return self.text
        base = self.info.zh if lang == "zh" else self.info.en
        if self.note is None:
            return base
        if lang == "zh":
            return (
                f"{base[:-1]}，{self.note.zh}）"
                if base.endswith("）")
                else f"{base}（{self.note.zh}）"
            )
        return f"{base} ({self.note.en})"

    def __str__(self) -> str:
        return self.label("en")
