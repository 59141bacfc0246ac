"""The problem ledger (问题台账 / 项目清单): one line per unmet item, kept until it is signed off.

:func:`build_ledger` makes the ledger from a plan (or from the renovation items alone): for
each community and unmet item, the problem, the renovation category, the responsible unit
(责任单位), the measure (整改措施), the quantity and estimated cost, the funding sources
(资金来源), the expected score gain, whether the plan funds it, the planned completion date
(计划完成时间), the status and the sign-off (销号). :meth:`Ledger.save` writes it to Excel (a
sheet named 问题台账 with Chinese headers, or English) or CSV; :func:`read_ledger` reads it back
through the same table reader as community data and validates it like any other input: every
problem with its row, column, value and fix, all at once.

The headers are the field names in English and the words of
:data:`renoscore._vocabulary.COLUMNS` in Chinese (项目编号, 存在问题, 责任单位, 办理状态 ...);
codes (category, responsible unit, funding source, status, yes/no) are written as the words of
the shared vocabulary. The rules of a line: the status is one of
:data:`~renoscore._vocabulary.LEDGER_STATUS` (in English or Chinese); a completed or signed-off line has a completion date; a signed-off
line has a sign-off date no earlier than its completion date; dates are ``YYYY-MM-DD``; the
cost is an amount (``125000``, ``12.5万``); item numbers are unique.

Examples
--------
>>> import tempfile, pathlib, datetime
>>> import renoscore as rs
>>> from renoscore.programme import plan_programme
>>> from renoscore.programme.ledger import build_ledger, read_ledger
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ledger = build_ledger(plan_programme(r, "3000万"), lang="zh")
>>> path = ledger.save(pathlib.Path(tempfile.mkdtemp()) / "台账.csv")
>>> read_ledger(path) == ledger
True
>>> done = ledger.update(ledger.entries[0].item_id, status="signed_off")
Traceback (most recent call last):
...
renoscore.errors.LedgerError: invalid ledger (2 problems)
  - row 1, column 'completed_on': a signed-off line needs a completion date (value 'signed_off') -> fill in 完成时间 (the date the work was completed) before 销号
  - row 1, column 'signed_off_on': a signed-off line needs a sign-off date (value 'signed_off') -> fill in 销号时间
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from renoscore._vocabulary import (
    CATEGORY,
    COLUMNS,
    CONTEXT,
    FUNDING,
    LEDGER_STATUS,
    RESPONSIBLE,
    YES_NO,
    Lang,
    lang_of,
    unit_label,
)
from renoscore.errors import LedgerError, OptionError, Problem
from renoscore.programme.amounts import parse_amount
from renoscore.system.units import YES_NO_WORDS, normal_form

if TYPE_CHECKING:
    from renoscore.programme.items import RenovationItems
    from renoscore.programme.plan import ProgrammePlan

__all__ = ["Ledger", "LedgerEntry", "build_ledger", "read_ledger"]

#: Columns a ledger read back must have.
REQUIRED = ("item_id", "community_id", "indicator", "status")
#: Fields whose header key in the vocabulary differs from the field (a cell's data status is
#: ``status`` there; a ledger line's is ``ledger_status``).
_HEADER_KEYS = {"status": "ledger_status"}
#: Fields whose Chinese header is a context column's label (小区名称, 所在街道, 所在区).
_CONTEXT_FIELDS = ("name", "street", "district")


class LedgerEntry(BaseModel):
    """One line of the ledger (codes for category, responsible unit, funding and status)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str
    community_id: str
    name: str | None = None
    street: str | None = None
    district: str | None = None
    indicator: str
    problem: str = ""
    category: str | None = None
    responsible: str | None = None
    measure: str = ""
    quantity: float | None = None
    quantity_unit: str = ""
    cost: float | None = None
    funding: dict[str, float] = {}
    gain: float | None = None
    funded: bool = False
    deadline: dt.date | None = None
    status: str = "not_started"
    completed_on: dt.date | None = None
    signed_off_on: dt.date | None = None
    note: str = ""


def header(field: str, lang: str) -> str:
    """The header of a ledger field in ``lang``: the field itself in English, the word of the
    shared vocabulary in Chinese.

    Examples
    --------
    >>> header("status", "zh"), header("district", "zh"), header("status", "en")
    ('办理状态', '所在区', 'status')
    """
    if lang_of(lang) == "en":
        return field
    if field in _CONTEXT_FIELDS:
        return CONTEXT["zh"][field]
    return COLUMNS["zh"][_HEADER_KEYS.get(field, field)]


FIELDS: tuple[str, ...] = tuple(LedgerEntry.model_fields)


@dataclass(frozen=True)
class Ledger:
    """The lines of a problem ledger and the language of its words."""

    entries: tuple[LedgerEntry, ...]
    lang: Lang = "zh"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self.entries == other.entries

    __hash__ = None  # type: ignore[assignment]

    def records(self, lang: Lang | None = None) -> list[dict[str, Any]]:
        """The lines as records with the headers and words of ``lang`` (default: the ledger's)."""
        lang = lang_of(lang or self.lang)
        return [{header(f, lang): _cell(e, f, lang) for f in FIELDS} for e in self.entries]

    def save(
        self,
        path: str | Path,
        lang: Lang | None = None,
        *,
        overwrite: bool = True,
        inputs: Mapping[str, str | Path] | None = None,
    ) -> Path:
        """Write the ledger to ``.xlsx`` (sheet 问题台账 / ledger), ``.csv`` or ``.json``,
        whole or not at all; ``overwrite=False`` refuses an existing file and ``inputs`` names
        files never written over (:func:`renoscore.io.write_table`)."""
        from renoscore.io._localize import sheet_name
        from renoscore.io.write import write_table

        lang = lang_of(lang or self.lang)
        return write_table(
            self.records(lang),
            path,
            sheet=sheet_name("ledger", lang),
            overwrite=overwrite,
            inputs=inputs,
        )

    def status_counts(self) -> dict[str, int]:
        """How many lines have each status (every declared status, in order)."""
        counts = dict.fromkeys(LEDGER_STATUS["en"], 0)
        for e in self.entries:
            counts[e.status] += 1
        return counts

    def update(self, item_id: str, **changes: Any) -> Ledger:
        """A new ledger with one line changed, validated like a ledger read from a file.

        Raises
        ------
        LedgerError
            An unknown item, or a change that breaks a rule (e.g. sign-off without a
            completion date).
        """
        rows = [k for k, e in enumerate(self.entries) if e.item_id == item_id]
        if not rows:
            raise LedgerError(
                "no such ledger line", [Problem("unknown item", value=item_id, column="item_id")]
            )
        k = rows[0]
        cells = self.entries[k].model_dump()
        cells.update(changes)
        entry, problems = _entry(cells, {"row": k + 1})
        if problems or entry is None:
            raise LedgerError("invalid ledger", problems)
        return Ledger((*self.entries[:k], entry, *self.entries[k + 1 :]), self.lang)


def _cell(e: LedgerEntry, key: str, lang: Lang) -> Any:
    value = getattr(e, key)
    if key == "category" and value is not None:
        return CATEGORY[lang][value]
    if key == "responsible" and value is not None:
        return RESPONSIBLE[lang][value]
    if key == "status":
        return LEDGER_STATUS[lang][value]
    if key == "funding":
        sep = "、" if lang == "zh" else "; "
        return sep.join(f"{FUNDING[lang][k]} {100 * v:g}%" for k, v in value.items())
    if key == "funded":
        return YES_NO[lang][0] if value else YES_NO[lang][1]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def build_ledger(
    source: ProgrammePlan | RenovationItems, *, lang: Lang = "zh", deadline: dt.date | None = None
) -> Ledger:
    """The ledger of a plan (or of renovation items, none funded).

    Parameters
    ----------
    source : ProgrammePlan or RenovationItems
    lang : {"zh", "en"}
        The language of the problem, measure and unit texts, and of the saved headers.
    deadline : date, optional
        The planned completion date of the funded lines (default none: fill them in).
    """
    plan: Any = source if hasattr(source, "funded") else None  # a plan, not bare items
    items: Any = plan.items if plan is not None else source
    system = items.result.system
    ids = items.community_ids()
    names, streets = items.context("name"), items.context("street")
    districts = items.context(plan.district_column if plan else "district")
    entries = []
    for k in range(items.n):
        ind = system.indicators[items.indicator[k]]
        line = items.costs.items.get(ind.id)
        value = float(items.result.values[items.row[k], items.indicator[k]])
        funded = bool(plan.funded[k]) if plan is not None else False
        entries.append(
            LedgerEntry(
                item_id=f"{ids[k]}-{ind.id}",
                community_id=str(ids[k]),
                name=_text(names[k]),
                street=_text(streets[k]),
                district=_text(districts[k]),
                indicator=ind.id,
                problem=_problem(ind, value, lang),
                category=ind.category.value,
                responsible=line.responsible if line else None,
                measure=line.measure.get(lang) if line else "",
                quantity=_num(items.quantity[k]),
                quantity_unit=line.unit.label(lang) if line else "",
                cost=_num(items.cost[k]),
                funding=dict(line.funding) if line else {},
                gain=round(float(items.gain[k]), 4),
                funded=funded,
                deadline=deadline if funded else None,
            )
        )
    return Ledger(tuple(entries), lang)


def _problem(ind: Any, value: float, lang: str) -> str:
    """What is wrong, in the words of the indicator: its value, unit and target."""
    name, target, unit = ind.name.get(lang), ind.goalposts.target, unit_label(ind, lang)
    if lang == "zh":
        shown = f"（{unit}）" if unit else ""
        return f"{name}现状值为{value:g}{shown}，未达到目标值{target:g}"
    return f"{name} is {value:g}" + (f" ({unit})" if unit else "") + f", short of {target:g}"


def _text(x: Any) -> str | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x)


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 6)


# ----------------------------------------------------------------------------- reading back
def _header_keys() -> dict[str, str]:
    """Every accepted header (the field, its vocabulary key or its Chinese word) -> the field."""
    out: dict[str, str] = {}
    for f in FIELDS:
        out[f] = out[header(f, "zh")] = out[_HEADER_KEYS.get(f, f)] = f
    return out


def _code(words: dict[str, dict[str, str]], text: str) -> str | None:
    for lang in ("en", "zh"):
        for key, name in words[lang].items():
            if text in (key, name):
                return key
    return None


_SHARE = re.compile(r"^(.+?)\s*([0-9.]+)\s*[%％]$")


def _funding(text: str) -> dict[str, float] | None:
    if not text:
        return {}
    out: dict[str, float] = {}
    for part in re.split(r"[、;；,，]\s*", text.strip()):
        m = _SHARE.match(part.strip())
        code = _code(FUNDING, m.group(1).strip()) if m else None
        if m is None or code is None:
            return None
        out[code] = float(m.group(2)) / 100.0
    return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _blank(value: Any) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
    )


class _CellError(Exception):
    """A cell that does not read: the reason and the fix (private: never leaves this module)."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def _coded(words: dict[str, dict[str, str]], what: str) -> Callable[[Any], str]:
    """A reader of a coded cell (the code or its word in either language)."""

    def read(value: Any) -> str:
        code = _code(words, str(value).strip())
        if code is None:
            raise _CellError(f"unknown {what}", f"use one of {list(words['zh'].values())}")
        return code

    return read


def _read_funding(value: Any) -> dict[str, float]:
    shares = value if isinstance(value, dict) else _funding(str(value))
    if shares is None:
        raise _CellError(
            "cannot read the funding sources", "write e.g. 中央补助资金 40%、地方财政资金 60%"
        )
    return shares


def _read_date(value: Any) -> dt.date | None:
    try:
        return _date(value)
    except ValueError:
        raise _CellError("not a date", "write the date as YYYY-MM-DD, e.g. 2025-06-30") from None


def _read_cost(value: Any) -> float:
    try:
        return parse_amount(value.strip() if isinstance(value, str) else value, what="cost")
    except OptionError:
        raise _CellError("not an amount of money", "write yuan (125000) or 万元 (12.5万)") from None


def _read_number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _CellError("not a number", "write a plain number") from None


def _read_yes_no(value: Any) -> bool:
    flag = YES_NO_WORDS.get(normal_form(str(value)))
    if flag is None:
        raise _CellError("not yes or no", "write 是/否 or yes/no")
    return bool(flag)


def _read_text(value: Any) -> str:
    return str(value).strip() if not isinstance(value, (int, float)) else str(value)


#: How each field's cell is read (the rest as text).
_READERS: dict[str, Callable[[Any], Any]] = {
    "status": _coded(LEDGER_STATUS, "status"),
    "category": _coded(CATEGORY, "renovation category"),
    "responsible": _coded(RESPONSIBLE, "responsible unit"),
    "funding": _read_funding,
    "deadline": _read_date,
    "completed_on": _read_date,
    "signed_off_on": _read_date,
    "cost": _read_cost,
    "quantity": _read_number,
    "gain": _read_number,
    "funded": _read_yes_no,
}


def _line_rules(out: dict[str, Any], failed: set[str]) -> list[tuple[str, str, Any, str]]:
    """The rules between the cells of a line: (column, reason, value, fix) of each broken one.

    Completed and signed-off lines have a completion date, a signed-off line a sign-off date
    no earlier than it, and a line with a sign-off date is signed off.
    """
    broken: list[tuple[str, str, Any, str]] = []
    status = out.get("status")
    done, signed = out.get("completed_on"), out.get("signed_off_on")
    if status in ("completed", "signed_off") and done is None and "completed_on" not in failed:
        if status == "signed_off":
            broken.append(
                (
                    "completed_on",
                    "a signed-off line needs a completion date",
                    status,
                    "fill in 完成时间 (the date the work was completed) before 销号",
                )
            )
        else:
            broken.append(
                (
                    "completed_on",
                    "a completed line needs a completion date",
                    status,
                    "fill in 完成时间",
                )
            )
    if status == "signed_off" and signed is None and "signed_off_on" not in failed:
        broken.append(
            ("signed_off_on", "a signed-off line needs a sign-off date", status, "fill in 销号时间")
        )
    if signed is not None and status != "signed_off":
        broken.append(
            (
                "status",
                "a line with a sign-off date must have the status signed off",
                status,
                "set 办理状态 to 已销号, or clear 销号时间",
            )
        )
    if done is not None and signed is not None and signed < done:
        broken.append(
            (
                "signed_off_on",
                f"sign-off {signed} is before completion {done}",
                signed.isoformat(),
                "sign off on or after the completion date",
            )
        )
    return broken


def _entry(
    cells: dict[str, Any], where: dict[str, Any]
) -> tuple[LedgerEntry | None, list[Problem]]:
    """One validated line from its cells (keys are field names), and its problems.

    ``where`` places the problems (file, line, row).
    """
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for key, value in cells.items():
        if _blank(value):
            continue
        reader: Callable[[Any], Any] = _READERS.get(key, _read_text)
        try:
            out[key] = reader(value)
        except _CellError as bad:
            problems.append(Problem(bad.reason, fix=bad.fix, column=key, value=value, **where))
    failed = {p.column for p in problems if p.column is not None}
    for key in REQUIRED:
        if key not in out and key not in failed:
            problems.append(
                Problem(
                    "empty cell in a required column",
                    fix="fill it in",
                    column=key,
                    value=cells.get(key),
                    **where,
                )
            )
    for column, reason, value, fix in _line_rules(out, failed):
        problems.append(Problem(reason, fix=fix, column=column, value=value, **where))
    if problems:
        return None, problems
    return LedgerEntry(**out), []


def read_ledger(source: Any, *, sheet: str | int | None = None) -> Ledger:
    """Read a ledger back from Excel, CSV, a DataFrame or records, and validate every line.

    Headers may be the field names or the Chinese headers (found below any title rows);
    statuses, categories, responsible units and funding sources may be written in either
    language.

    Raises
    ------
    LedgerError
        Every problem of the table at once (row, column, value and fix).
    """
    from renoscore._sources import read_source
    from renoscore._tables import DEFAULT_MAX_BYTES, ReadHints, duplicate_columns
    from renoscore._validation import suggest

    keys = _header_keys()
    hints = ReadHints(score=lambda row: sum(str(c).strip() in keys for c in row))
    table = read_source(source, None, sheet, DEFAULT_MAX_BYTES, hints)
    problems = list(table.problems) + duplicate_columns(table)
    for h in table.header:
        if h not in keys:
            problems.append(
                Problem(
                    f"unknown ledger column {h!r}",
                    file=table.source,
                    line=table.header_line,
                    column=h,
                    fix=suggest(h, keys) or "remove it or use the ledger's headers",
                )
            )
    present = {keys[h]: h for h in table.header if h in keys}
    for key in REQUIRED:
        if key not in present:
            problems.append(
                Problem(
                    f"no column for {key!r}",
                    file=table.source,
                    line=table.header_line,
                    fix=f"add a column {header(key, 'zh')!r} (or {key!r})",
                )
            )
    if problems:
        raise LedgerError("invalid ledger", problems)
    entries = _entries(table, present, problems)
    if problems:
        raise LedgerError("invalid ledger", problems)
    zh = any(h == header(keys[h], "zh") and h != keys[h] for h in table.header)
    return Ledger(tuple(entries), "zh" if zh else "en")


def _entries(table: Any, present: dict[str, str], problems: list[Problem]) -> list[LedgerEntry]:
    """The lines of a table read back (problems appended), each item number once."""
    entries: list[LedgerEntry] = []
    seen: dict[str, int] = {}
    for r in range(table.n):
        cells = {key: table.columns[h][r] for key, h in present.items()}
        where = {"file": table.source, "line": table.line(r), "row": r + 1}
        entry, found = _entry(cells, where)
        problems += found
        if entry is None:
            continue
        if entry.item_id in seen:
            problems.append(
                Problem(
                    "item number used twice",
                    column="item_id",
                    value=entry.item_id,
                    fix=f"also row {seen[entry.item_id]}; number every line once",
                    **where,
                )
            )
        seen.setdefault(entry.item_id, r + 1)
        entries.append(entry)
    return entries
