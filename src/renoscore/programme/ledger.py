"""The problem ledger (问题台账 / 项目清单): one line per unmet item, kept until it is signed off.

:func:`build_ledger` makes the ledger from a plan (or from the renovation items alone): for
each community and unmet item, the problem, the renovation category, the responsible unit
(责任单位), the measure (整改措施), the quantity and estimated cost, the funding sources
(资金来源), the expected score gain, whether the plan funds it, the planned completion date
(计划完成时间), the status and the sign-off (销号). :meth:`Ledger.save` writes it to Excel (a
sheet named 问题台账 with Chinese headers, or English) or CSV; :func:`read_ledger` reads it back
through the same table reader as community data and validates it like any other input: every
problem with its row, column, value and fix, all at once.

The rules of a line: the status is one of :data:`~renoscore.programme._words.STATUS`
(in English or Chinese); a completed or signed-off line has a completion date; a signed-off
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
>>> path = ledger.save(pathlib.Path(tempfile.mkdtemp()) / "台账.xlsx")
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from renoscore.errors import LedgerError, Problem
from renoscore.programme._words import (
    CATEGORY,
    FUNDING,
    LEDGER_HEADERS,
    RESPONSIBLE,
    STATUS,
    Lang,
)
from renoscore.programme.amounts import parse_amount

if TYPE_CHECKING:
    from renoscore.programme.items import RenovationItems
    from renoscore.programme.plan import ProgrammePlan

__all__ = ["Ledger", "LedgerEntry", "build_ledger", "read_ledger"]

#: Columns a ledger read back must have.
REQUIRED = ("item_id", "community_id", "indicator", "status")
#: Sheet names of the ledger in Excel.
SHEET = {"en": "ledger", "zh": "问题台账"}


class LedgerEntry(BaseModel):
    """One line of the ledger (codes for category, responsible unit, funding and status)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str
    community_id: str
    community: str | None = None
    street: str | None = None
    district: str | None = None
    indicator: str
    problem: str = ""
    category: str | None = None
    responsible: str | None = None
    measure: str = ""
    quantity: float | None = None
    unit: str = ""
    cost: float | None = None
    funding: dict[str, float] = {}
    gain: float | None = None
    funded: bool = False
    deadline: dt.date | None = None
    status: str = "not_started"
    completed_on: dt.date | None = None
    signed_off_on: dt.date | None = None
    note: str = ""


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
        lang = lang or self.lang
        head = LEDGER_HEADERS[lang]
        out = []
        for e in self.entries:
            rec: dict[str, Any] = {}
            for key, header in head.items():
                rec[header] = _cell(e, key, lang)
            out.append(rec)
        return out

    def save(self, path: str | Path, lang: Lang | None = None) -> Path:
        """Write the ledger to ``.xlsx`` (sheet 问题台账 / ledger), ``.csv`` or ``.json``."""
        from renoscore.io.write import write_table

        lang = lang or self.lang
        return write_table(self.records(lang), path, sheet=SHEET[lang])

    def status_counts(self) -> dict[str, int]:
        """How many lines have each status (every declared status, in order)."""
        counts = dict.fromkeys(STATUS["en"], 0)
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
        entry, problems = _entry(cells, k + 1, None, None)
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
        return STATUS[lang][value]
    if key == "funding":
        sep = "、" if lang == "zh" else "; "
        return sep.join(f"{FUNDING[lang][k]} {100 * v:g}%" for k, v in value.items())
    if key == "funded":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
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
    from renoscore.programme.plan import ProgrammePlan

    plan = source if isinstance(source, ProgrammePlan) else None
    items = plan.items if plan is not None else source
    assert not isinstance(items, ProgrammePlan)
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
                community=_text(names[k]),
                street=_text(streets[k]),
                district=_text(districts[k]),
                indicator=ind.id,
                problem=_problem(ind.name.get(lang), value, ind.goalposts.target, ind.unit, lang),
                category=ind.category.value,
                responsible=line.responsible if line else None,
                measure=line.measure.get(lang) if line else "",
                quantity=_num(items.quantity[k]),
                unit=line.unit.get(lang) if line else "",
                cost=_num(items.cost[k]),
                funding=dict(line.funding) if line else {},
                gain=round(float(items.gain[k]), 4),
                funded=funded,
                deadline=deadline if funded else None,
            )
        )
    return Ledger(tuple(entries), lang)


def _problem(name: str, value: float, target: float, unit: str, lang: str) -> str:
    if lang == "zh":
        return f"{name}现状为{value:g}({unit}),未达到目标值{target:g}"
    return f"{name} is {value:g} ({unit}), below the target {target:g}"


def _text(x: Any) -> str | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x)


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 6)


# ----------------------------------------------------------------------------- reading back
def _header_keys() -> dict[str, str]:
    """Every accepted header (English, Chinese or the key itself) -> the field key."""
    out: dict[str, str] = {}
    for lang in ("en", "zh"):
        for key, header in LEDGER_HEADERS[lang].items():
            out[header] = key
            out[key] = key
    return out


def _code(words: dict[str, dict[str, str]], text: str) -> str | None:
    for lang in ("en", "zh"):
        for key, name in words[lang].items():
            if text in (key, name):
                return key
    return None


_SHARE = re.compile(r"^(.+?)\s*([0-9.]+)\s*%$")


def _funding(text: str) -> dict[str, float] | None:
    if not text:
        return {}
    out: dict[str, float] = {}
    for part in re.split(r"[、;,,;]\s*", text.strip()):
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


def _entry(
    cells: dict[str, Any], row: int, file: str | None, line: int | None
) -> tuple[LedgerEntry | None, list[Problem]]:
    """One validated line from its cells (keys are field names), and its problems."""
    problems: list[Problem] = []

    def bad(column: str, reason: str, value: Any, fix: str) -> None:
        problems.append(
            Problem(reason, fix=fix, file=file, line=line, row=row, column=column, value=value)
        )

    out: dict[str, Any] = {}
    for key, value in cells.items():
        if _blank(value):
            continue
        if key == "status":
            code = _code(STATUS, str(value).strip())
            if code is None:
                bad(
                    key,
                    "unknown status",
                    value,
                    f"use one of {list(STATUS['zh'].values())} or {list(STATUS['en'])}",
                )
            out[key] = code
        elif key == "category":
            code = _code(CATEGORY, str(value).strip())
            if code is None:
                bad(
                    key,
                    "unknown renovation category",
                    value,
                    f"use one of {list(CATEGORY['zh'].values())}",
                )
            out[key] = code
        elif key == "responsible":
            code = _code(RESPONSIBLE, str(value).strip())
            if code is None:
                bad(
                    key,
                    "unknown responsible unit",
                    value,
                    f"use one of {list(RESPONSIBLE['zh'].values())}",
                )
            out[key] = code
        elif key == "funding":
            shares = value if isinstance(value, dict) else _funding(str(value))
            if shares is None:
                bad(
                    key,
                    "cannot read the funding sources",
                    value,
                    "write e.g. 中央补助资金 40%、地方财政资金 60%",
                )
            out[key] = shares
        elif key in ("deadline", "completed_on", "signed_off_on"):
            try:
                out[key] = _date(value)
            except ValueError:
                bad(key, "not a date", value, "write the date as YYYY-MM-DD, e.g. 2025-06-30")
        elif key == "cost":
            try:
                out[key] = parse_amount(
                    value if not isinstance(value, str) else value.strip(), what="cost"
                )
            except Exception:
                bad(key, "not an amount of money", value, "write yuan (125000) or 万元 (12.5万)")
        elif key in ("quantity", "gain"):
            try:
                out[key] = float(value)
            except (TypeError, ValueError):
                bad(key, "not a number", value, "write a plain number")
        elif key == "funded":
            text = str(value).strip().lower()
            if text in ("是", "yes", "true", "1"):
                out[key] = True
            elif text in ("否", "no", "false", "0"):
                out[key] = False
            else:
                bad(key, "not yes or no", value, "write 是/否 or yes/no")
        else:
            out[key] = str(value).strip() if not isinstance(value, (int, float)) else str(value)
    for key in REQUIRED:
        if key not in out and not any(p.column == key for p in problems):
            bad(key, "empty cell in a required column", cells.get(key), "fill it in")
    status = out.get("status")
    done, signed = out.get("completed_on"), out.get("signed_off_on")
    if (
        status in ("completed", "signed_off")
        and done is None
        and "completed_on" not in [p.column for p in problems]
    ):
        bad(
            "completed_on",
            "a signed-off line needs a completion date"
            if status == "signed_off"
            else "a completed line needs a completion date",
            status,
            "fill in 完成时间 (the date the work was completed) before 销号"
            if status == "signed_off"
            else "fill in 完成时间",
        )
    if (
        status == "signed_off"
        and signed is None
        and "signed_off_on" not in [p.column for p in problems]
    ):
        bad("signed_off_on", "a signed-off line needs a sign-off date", status, "fill in 销号时间")
    if signed is not None and status != "signed_off":
        bad(
            "status",
            "a line with a sign-off date must have the status signed off",
            status,
            "set 办理状态 to 已销号, or clear 销号时间",
        )
    if done is not None and signed is not None and signed < done:
        bad(
            "signed_off_on",
            f"sign-off {signed} is before completion {done}",
            signed.isoformat(),
            "sign off on or after the completion date",
        )
    if problems:
        return None, problems
    return LedgerEntry(**out), []


def read_ledger(source: Any, *, sheet: str | int | None = None) -> Ledger:
    """Read a ledger back from Excel, CSV, a DataFrame or records, and validate every line.

    Headers may be English, Chinese or the field keys; statuses, categories, responsible units
    and funding sources may be written in either language.

    Raises
    ------
    LedgerError
        Every problem of the table at once (row, column, value and fix).
    """
    from renoscore._tables import DEFAULT_MAX_BYTES, duplicate_columns, read_source

    table = read_source(source, None, sheet, DEFAULT_MAX_BYTES)
    keys = _header_keys()
    problems = list(table.problems) + duplicate_columns(table)
    unknown = [h for h in table.header if h not in keys]
    for h in unknown:
        from renoscore._validation import suggest

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
                    fix=f"add a column {LEDGER_HEADERS['zh'][key]!r} (or {LEDGER_HEADERS['en'][key]!r})",
                )
            )
    if problems:
        raise LedgerError("invalid ledger", problems)
    entries: list[LedgerEntry] = []
    seen: dict[str, int] = {}
    zh = any(h in LEDGER_HEADERS["zh"].values() for h in table.header)
    for r in range(table.n):
        cells = {key: table.columns[h][r] for key, h in present.items() if True}
        line = table.lines[r] if table.lines else None
        entry, found = _entry(cells, r + 1, table.source, line)
        problems += found
        if entry is not None:
            if entry.item_id in seen:
                problems.append(
                    Problem(
                        "item number used twice",
                        file=table.source,
                        line=line,
                        row=r + 1,
                        column="item_id",
                        value=entry.item_id,
                        fix=f"also row {seen[entry.item_id]}; number every line once",
                    )
                )
            seen.setdefault(entry.item_id, r + 1)
            entries.append(entry)
    if problems:
        raise LedgerError("invalid ledger", problems)
    return Ledger(tuple(entries), "zh" if zh else "en")


def ledger_rows(entries: Sequence[LedgerEntry]) -> list[str]:
    """The item numbers of the lines (helper for tables that join on them)."""
    return [e.item_id for e in entries]
