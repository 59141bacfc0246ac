"""Which column of a table is which: the id, the phase, the indicators, raw fields and context.

A column is recognised by its header, compared in a normal form (full-width folded, case and
spaces ignored, a trailing ``*`` or colon dropped):

* an **indicator**, **raw field** or declared **context column** by its id (exactly: ``A_Ratio``
  is a misspelt ``a_ratio``), its English or Chinese name, or one of its ``aliases``; a header may carry a unit in brackets
  (``最远服务距离（米）``), which must fit the declared unit and may change it (``（公里）``: the
  column's bare numbers are kilometres, read as metres);
* the **community id** by ``id_column`` when it is given, else by the first of
  :data:`ID_HEADERS` present (``community_id``, 小区编号, 小区名称, 小区, 名称 ...);
* the **phase** by ``phase_column`` when it is given, else by the first of
  :data:`PHASE_HEADERS` present (``phase``, 阶段, 时期 ...).

Any other column is kept as context, unless ``context`` lists the context columns (then it
is an error) or it looks like a misspelt indicator (then it is an error with a did-you-mean).
Two columns naming one indicator, a header unit that does not fit, a missing indicator (or a
derived one missing the raw fields it is computed from) are problems.

:class:`ColumnMatcher` also rates a row as a header (how many of its cells name a column),
so that the header is found below title rows.

Examples
--------
>>> from renoscore.system import default_system
>>> matcher = ColumnMatcher(default_system())
>>> matcher.match("垃圾分类收集点最远服务距离（米）")[0].id
'f_waste_point_max_dist_m'
>>> matcher.score(["小区名称", "阶段", "安防设施覆盖率", "备注"])
3
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from renoscore._calling import argument
from renoscore._tables import Problems, Table, duplicate_columns
from renoscore._validation import short_repr, suggest
from renoscore.data.grammar import header_unit
from renoscore.errors import DataValidationError, Problem
from renoscore.system import IndicatorSystem, Unit
from renoscore.system.units import normal_form

__all__ = [
    "DEFAULT_ID",
    "DEFAULT_PHASE",
    "ID_HEADERS",
    "PHASE_HEADERS",
    "ColumnMatcher",
    "ColumnPlan",
    "Target",
    "header_key",
    "plan_columns",
]

#: The default ``id_column`` and ``phase_column`` of :func:`~renoscore.load_data`: left at
#: these, the columns are also found by the common headers below.
DEFAULT_ID = "community_id"
DEFAULT_PHASE = "phase"
#: Headers of the community id column, best first (a code before a name).
ID_HEADERS = (
    "community_id",
    "小区编号",
    "小区代码",
    "小区名称",
    "小区名",
    "小区",
    "名称",
    "community",
    "community name",
)
#: Headers of the phase column, best first.
PHASE_HEADERS = ("phase", "阶段", "时期", "评估阶段", "评价阶段")
#: Unknown columns checked for a did-you-mean (difflib costs ~0.4 ms a column).
_MAX_SUGGESTIONS = 200
_BRACKETS = re.compile(r"^(.*?)\s*[(\[（【〔]([^()\[\]（）【】〔〕]*)[)\]）】〕]$")


@dataclass(frozen=True)
class Target:
    """What a header names: an indicator (with its position), a raw field or a context column."""

    role: str
    id: str
    index: int = -1
    unit: Unit | None = None


@functools.lru_cache(maxsize=8192)
def header_key(header: str) -> tuple[str, str, str | None]:
    """A header's normal form, its normal form without a bracketed tail, and that tail.

    Examples
    --------
    >>> header_key(" 最远服务距离（米）* ")
    ('最远服务距离(米)', '最远服务距离', '米')
    """
    text = unicodedata.normalize("NFKC", header).strip().rstrip("*:").strip()
    found = _BRACKETS.match(text)
    if found is None:
        return normal_form(text), normal_form(text), None
    return normal_form(text), normal_form(found.group(1)), found.group(2).strip() or None


class ColumnMatcher:
    """The headers a system's columns answer to (see the module docstring)."""

    def __init__(
        self,
        system: IndicatorSystem,
        id_column: str = DEFAULT_ID,
        phase_column: str | None = DEFAULT_PHASE,
    ) -> None:
        self.system = system
        self.ids: dict[str, Target] = {}
        self.targets: dict[str, Target] = {}
        self.ambiguous: dict[str, list[str]] = {}
        for j, ind in enumerate(system.indicators):
            self._add(Target("indicator", ind.id, j, ind.unit), ind.name, ind.aliases)
        for raw in system.raw_fields:
            self._add(Target("raw", raw.id, unit=raw.unit), raw.name, raw.aliases)
        for ctx in system.context:
            self._add(Target("context", ctx.id), ctx.name, ctx.aliases)
        self.id_keys = [
            normal_form(h) for h in (ID_HEADERS if id_column == DEFAULT_ID else (id_column,))
        ]
        if phase_column is None:
            self.phase_keys: list[str] = []
        else:
            names = PHASE_HEADERS if phase_column == DEFAULT_PHASE else (phase_column,)
            self.phase_keys = [normal_form(h) for h in names]

    def _add(self, target: Target, name: Any, aliases: Sequence[str]) -> None:
        self.ids[target.id] = target  # ids match exactly: 'A_Ratio' is a misspelt 'a_ratio'
        for text in dict.fromkeys((name.en, name.zh, *aliases)):
            key = normal_form(text)
            known = self.targets.get(key)
            if known is not None and known != target:
                self.ambiguous.setdefault(key, [known.id]).append(target.id)
            else:
                self.targets[key] = target

    def match(self, header: str) -> tuple[Target | None, str | None]:
        """The column ``header`` names (None if none) and the unit text in its brackets."""
        text = unicodedata.normalize("NFKC", header).strip()
        if text in self.ids:
            return self.ids[text], None
        full, base, tail = header_key(header)
        found = _BRACKETS.match(text)
        if found is not None and found.group(1).strip() in self.ids:
            return self.ids[found.group(1).strip()], found.group(2).strip() or None
        if full in self.targets and full not in self.ambiguous:
            return self.targets[full], None
        if tail is not None and base in self.targets and base not in self.ambiguous:
            return self.targets[base], tail
        return None, None

    def score(self, row: Sequence[str]) -> int:
        """How many cells of ``row`` name a column: the row's rating as a header."""
        keys = {*self.id_keys, *self.phase_keys}
        return sum(
            1
            for cell in row
            if cell and (self.match(cell)[0] is not None or header_key(cell)[0] in keys)
        )

    def numeric(self, header: Sequence[str]) -> list[bool]:
        """Which columns of ``header`` hold numbers (indicators and raw fields)."""
        out = []
        for h in header:
            target = self.match(h)[0]
            out.append(target is not None and target.role in ("indicator", "raw"))
        return out


@dataclass
class ColumnPlan:
    """Where each column of the system is in a table (headers as written)."""

    id: str
    phase: str | None
    indicators: dict[int, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    read_as: dict[str, str] = field(default_factory=dict)


def _first(header: Sequence[str], keys: Sequence[str], taken: set[str]) -> str | None:
    """The header that matches the earliest of ``keys`` (by normal form)."""
    by_key: dict[str, str] = {}
    for h in header:
        by_key.setdefault(header_key(h)[0], h)
        by_key.setdefault(header_key(h)[1], h)
    for key in keys:
        found = by_key.get(key)
        if found is not None and found not in taken:
            return found
    return None


def plan_columns(
    table: Table,
    matcher: ColumnMatcher,
    context: Sequence[str] | None,
    problems: Problems,
) -> ColumnPlan:
    """The plan of ``table``'s columns; repeated, unknown and missing columns into ``problems``.

    A table without its id column raises at once: nothing else can be located without it.
    """
    problems.extend(duplicate_columns(table))
    id_header = _first(table.header, matcher.id_keys, set())
    if id_header is None:
        raise DataValidationError("community data has no id column", [_no_id(table, matcher)])
    phase_header = _first(table.header, matcher.phase_keys, {id_header})
    plan = ColumnPlan(id_header, phase_header)
    if id_header != DEFAULT_ID:
        plan.read_as[id_header] = DEFAULT_ID
    if phase_header is not None and phase_header != DEFAULT_PHASE:
        plan.read_as[phase_header] = DEFAULT_PHASE
    unmatched = _assign(table, matcher, plan, problems)
    _context_columns(table, matcher, plan, unmatched, context, problems)
    _missing_columns(table, matcher.system, plan, problems)
    return plan


def _no_id(table: Table, matcher: ColumnMatcher) -> Problem:
    wanted = matcher.id_keys[0] if len(matcher.id_keys) == 1 else DEFAULT_ID
    options = "" if len(matcher.id_keys) == 1 else " (or 小区名称, 小区编号)"
    return Problem(
        f"no column {wanted!r}",
        file=table.source,
        line=table.header_line,
        fix=suggest(wanted, table.header)
        or f"add a {wanted!r} column{options}, or use {argument('id_column', 'COLUMN')}",
    )


def _assign(
    table: Table, matcher: ColumnMatcher, plan: ColumnPlan, problems: Problems
) -> list[str]:
    """Give every recognised header its column; the headers left over."""
    where: dict[str, Any] = {"file": table.source, "line": table.header_line}
    taken: dict[tuple[str, str], str] = {}
    unmatched: list[str] = []
    for name in dict.fromkeys(table.header):
        if name in (plan.id, plan.phase):
            continue
        target, tail = matcher.match(name)
        if target is None:
            unmatched.append(name)
            continue
        slot = (target.role, target.id)
        if slot in taken:
            problems.append(
                Problem(
                    f"columns {taken[slot]!r} and {name!r} both hold {target.role} {target.id!r}",
                    column=name,
                    fix="keep one of them (or rename one)",
                    **where,
                )
            )
            continue
        taken[slot] = name
        if name != target.id:
            plan.read_as[name] = target.id
        if target.role == "indicator":
            plan.indicators[target.index] = name
        elif target.role == "raw":
            plan.raw[target.id] = name
        else:
            plan.context[target.id] = name
        if tail is not None and target.unit is not None:
            spelling, reason = header_unit(target.unit, tail)
            if reason is not None:
                problems.append(
                    Problem(
                        reason,
                        column=name,
                        fix=f"write the column in {target.unit.info.zh}",
                        **where,
                    )
                )
            elif spelling is not None:
                plan.units[name] = spelling
    return unmatched


def _context_columns(
    table: Table,
    matcher: ColumnMatcher,
    plan: ColumnPlan,
    unmatched: list[str],
    context: Sequence[str] | None,
    problems: Problems,
) -> None:
    """The headers left over kept as context; the unknown ones (declared or misspelt) into
    problems."""
    where: dict[str, Any] = {"file": table.source, "line": table.header_line}
    system = matcher.system
    indicator_ids = system.indicator_ids
    names = {normal_form(t): i.id for i in system.indicators for t in (i.name.en, i.name.zh)}
    lowered_ids = {i.casefold(): i for i in indicator_ids}
    declared = set(context) if context is not None else None
    # difflib costs ~0.4 ms a column: only the first _MAX_SUGGESTIONS unknown columns are
    # compared (50,000 extra columns took 20 s). An indicator column that is really misspelt
    # is still reported as missing.
    fuzzy_left = _MAX_SUGGESTIONS
    for name in unmatched:
        key = header_key(name)[1]
        ambiguous = matcher.ambiguous.get(key)
        if ambiguous:
            problems.append(
                Problem(
                    f"column {short_repr(name)} could be any of {ambiguous}",
                    column=name,
                    fix="head the column with the indicator's id",
                    **where,
                )
            )
            continue
        if declared is not None:
            if name in declared:
                plan.context[name] = name
                continue
            fix = None
            if fuzzy_left > 0:
                fuzzy_left -= 1
                fix = suggest(name, [*indicator_ids, *declared])
            problems.append(
                Problem(
                    f"unknown column {short_repr(name)}",
                    column=name,
                    fix=fix or f"declare it in {argument('context', '[...]')} or remove it",
                    **where,
                )
            )
            continue
        close: str | None = None
        if name.casefold() in lowered_ids:
            close = f"did you mean {lowered_ids[name.casefold()]!r}?"
        elif fuzzy_left > 0:
            fuzzy_left -= 1
            close = _close(name, key, indicator_ids, names)
        if close is not None:
            problems.append(
                Problem(f"unknown column {short_repr(name)}", column=name, fix=close, **where)
            )
        else:
            plan.context[name] = name


def _close(name: str, key: str, ids: Sequence[str], names: dict[str, str]) -> str | None:
    """A did-you-mean when ``name`` is close to an indicator's id or name, else None."""
    lowered = [o.casefold() for o in ids]
    if difflib.get_close_matches(name.casefold(), lowered, n=1, cutoff=0.8):
        return suggest(name, ids)
    hit = difflib.get_close_matches(key, list(names), n=1, cutoff=0.8)
    if hit:
        return f"did you mean the indicator {names[hit[0]]!r} ({hit[0]})?"
    return None


def _missing_columns(
    table: Table, system: IndicatorSystem, plan: ColumnPlan, problems: Problems
) -> None:
    """A problem for every indicator with no column (nor the raw fields to compute it)."""
    where: dict[str, Any] = {"file": table.source, "line": table.header_line}
    for j, ind in enumerate(system.indicators):
        if j in plan.indicators:
            continue
        formula = ind.parsed_formula
        if formula is not None:
            absent = [r for r in formula.names if r not in plan.raw]
            if not absent:
                continue
            listed = ", ".join(f"{r!r} ({system.raw_field(r).name.zh})" for r in absent)
            problems.append(
                Problem(
                    f"indicator column {ind.id!r} is missing, and so are raw fields {listed} it "
                    f"is computed from ({ind.formula})",
                    column=ind.id,
                    fix="add the raw fields' columns, or the indicator's own column",
                    **where,
                )
            )
            continue
        problems.append(
            Problem(
                f"indicator column {ind.id!r} is missing",
                column=ind.id,
                fix=f"add a column headed {ind.id!r} or {ind.name.zh!r} (empty cells mean "
                "missing, n/a means not applicable)",
                **where,
            )
        )
