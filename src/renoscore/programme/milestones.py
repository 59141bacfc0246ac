"""Milestones and progress of the communities' renovation projects.

A project table has one row per community: the planned and actual date of each milestone
(申报 application → 设计 design → 方案公示 plan made public → 开工 works start → 竣工验收
completion acceptance → 移交 handover; columns ``<milestone>_plan`` and ``<milestone>_actual``),
the planned and invested amounts (``investment_plan``, ``invested``: yuan or 万元), and the
mid-works checks (``inspections``, ``inspections_passed``, ``complaints``,
``complaints_closed``). :func:`load_projects` reads it through the same table reader as
community data and reports every bad cell at once.

:func:`project_progress` derives, on a given day: started (开工), completed (竣工验收 done),
the investment completion rate (投资完成率 = invested / planned) and the days late (the
largest delay of a milestone due by then: actual - planned, or today - planned when it is
still open). :func:`progress_rollup` rolls them up by street and district: 开工率 and 完工率
(shares of the projects), 投资完成率 (invested / planned, summed), mean and largest days late.
:func:`mid_works_indicators` gives the mid-works phase its quality and complaint measures:
the inspection pass rate (分项验收合格率), complaints per 100 households and the complaint
closure rate (投诉办结率).

Examples
--------
>>> import datetime as dt
>>> from renoscore.programme.milestones import example_projects, project_progress
>>> projects = example_projects()
>>> prog = project_progress(projects, dt.date(2024, 12, 31))
>>> len(prog), sorted(prog[0])[:3]
(30, ['community_id', 'completed', 'days_late'])
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from renoscore.errors import Problem, ProjectTableError
from renoscore.programme.amounts import parse_amount

__all__ = [
    "MILESTONE_ORDER",
    "Project",
    "example_projects",
    "load_projects",
    "mid_works_indicators",
    "progress_rollup",
    "project_progress",
]

#: The milestones in order.
MILESTONE_ORDER = ("application", "design", "publicity", "start", "acceptance", "handover")
_COUNTS = ("inspections", "inspections_passed", "complaints", "complaints_closed")


@dataclass(frozen=True)
class Project:
    """One community's project: milestone dates, money and mid-works checks."""

    community_id: str
    name: str | None
    plan: dict[str, dt.date | None]
    actual: dict[str, dt.date | None]
    investment_plan: float
    invested: float
    counts: dict[str, int]


def _date(cell: Any) -> dt.date | None:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or str(cell).strip() == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    return dt.date.fromisoformat(str(cell).strip())


def load_projects(source: Any, *, sheet: str | int | None = None) -> list[Project]:
    """Read and validate a project table (CSV, Excel, DataFrame, records).

    Raises
    ------
    ProjectTableError
        Every bad cell at once: an unknown date, an actual milestone before the one it
        follows, an amount that is not money, a count that is not a whole number or more
        passed than held, a community listed twice, a missing column.
    """
    from renoscore._sources import read_source
    from renoscore._tables import DEFAULT_MAX_BYTES, ReadHints

    known = {"community_id", "name", "investment_plan", "invested", *_COUNTS}
    known |= {f"{m}_{k}" for m in MILESTONE_ORDER for k in ("plan", "actual")}
    hints = ReadHints(score=lambda row: sum(str(c).strip() in known for c in row))
    t = read_source(source, None, sheet, DEFAULT_MAX_BYTES, hints)
    needed = ["community_id", *(f"{m}_plan" for m in MILESTONE_ORDER), "investment_plan"]
    problems = [
        Problem(f"no column {c!r}", file=t.source, line=t.header_line, column=c, fix="add it")
        for c in needed
        if c not in t.columns
    ]
    if problems:
        raise ProjectTableError("invalid project table", problems)
    out: list[Project] = []
    seen: set[str] = set()
    for r in range(t.n):
        where = {"file": t.source, "line": t.lines[r] if t.lines else None, "row": r + 1}

        def cell(col: str, row: int = r) -> Any:
            return t.columns[col][row] if col in t.columns else None

        def bad(col: str, reason: str, fix: str, here: dict[str, Any] = where) -> None:
            problems.append(Problem(reason, column=col, value=cell(col), fix=fix, **here))

        cid = str(cell("community_id") or "").strip()
        if not cid:
            bad("community_id", "empty community id", "fill it in")
        elif cid in seen:
            bad("community_id", "community listed twice", "one row per community")
        seen.add(cid)
        plan: dict[str, dt.date | None] = {}
        actual: dict[str, dt.date | None] = {}
        for m in MILESTONE_ORDER:
            for kind, store in (("plan", plan), ("actual", actual)):
                try:
                    store[m] = _date(cell(f"{m}_{kind}"))
                except ValueError:
                    bad(f"{m}_{kind}", "not a date", "write YYYY-MM-DD")
                    store[m] = None
        done = [(m, actual[m]) for m in MILESTONE_ORDER if actual[m] is not None]
        for (m1, d1), (m2, d2) in itertools.pairwise(done):
            if d2 is not None and d1 is not None and d2 < d1:
                bad(f"{m2}_actual", f"{m2} ({d2}) is before {m1} ({d1})", "check the dates")
        money = {}
        for col in ("investment_plan", "invested"):
            try:
                money[col] = 0.0 if cell(col) in (None, "") else parse_amount(cell(col), what=col)
            except Exception:
                bad(col, "not an amount of money", "write yuan (1200000) or 万元 (120万)")
                money[col] = 0.0
        counts = {}
        for col in _COUNTS:
            v = cell(col)
            try:
                counts[col] = 0 if v in (None, "") else int(str(v).strip())
                if counts[col] < 0:
                    raise ValueError
            except ValueError:
                bad(col, "not a whole number >= 0", "write a count")
                counts[col] = 0
        for total, part in (
            ("inspections", "inspections_passed"),
            ("complaints", "complaints_closed"),
        ):
            if counts[part] > counts[total]:
                bad(part, f"more than {total} ({counts[total]})", f"at most the number of {total}")
        out.append(
            Project(
                cid, cell("name"), plan, actual, money["investment_plan"], money["invested"], counts
            )
        )
    if problems:
        raise ProjectTableError("invalid project table", problems)
    return out


def example_projects(version: int | None = None) -> list[Project]:
    """The shipped example project table (``example_data/projects.csv``) of a content release.

    The projects of the example communities under the names of that release's example data
    (``version=1``: the names of release 1).

    Examples
    --------
    >>> example_projects()[0].name, example_projects(version=1)[0].name
    ('机械厂宿舍', '电缆厂家属楼')
    """
    from renoscore._shipped import release_folder

    path = release_folder("example_data", version) / "projects.csv"
    import csv
    import io

    return load_projects(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))))


def project_progress(projects: Sequence[Project], as_of: dt.date) -> list[dict[str, Any]]:
    """Each project's progress on ``as_of``: started, completed, investment rate, days late.

    Days late is the largest delay over the milestones planned by ``as_of``: actual minus
    planned for a milestone reached, ``as_of`` minus planned for one still open; 0 when on time.
    """
    out = []
    for p in projects:
        late = 0
        for m in MILESTONE_ORDER:
            due = p.plan[m]
            if due is None or due > as_of:
                continue
            reached = p.actual[m]
            end = reached if reached is not None and reached <= as_of else as_of
            late = max(late, (end - due).days)
        start, accept = p.actual["start"], p.actual["acceptance"]
        out.append(
            {
                "community_id": p.community_id,
                "started": start is not None and start <= as_of,
                "completed": accept is not None and accept <= as_of,
                "investment_plan": p.investment_plan,
                "invested": p.invested,
                "investment_rate": p.invested / p.investment_plan if p.investment_plan else None,
                "days_late": late,
                "stage": _stage(p, as_of),
            }
        )
    return out


def _stage(p: Project, as_of: dt.date) -> str | None:
    reached = [m for m in MILESTONE_ORDER if (d := p.actual[m]) is not None and d <= as_of]
    return reached[-1] if reached else None


def progress_rollup(
    progress: Sequence[Mapping[str, Any]], levels: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """开工率, 完工率, 投资完成率 and days late by each level (e.g. street, district).

    Parameters
    ----------
    progress : records of :func:`project_progress`
    levels : mapping of level name to (community id -> unit name)
        E.g. ``{"street": {"JS01": "花园路街道", ...}, "district": {...}}``.

    Returns
    -------
    list of dict
        One record per level and unit, then one ``total`` record.
    """
    out = []
    for level, unit_of in levels.items():
        units: dict[Any, list[Mapping[str, Any]]] = {}
        for rec in progress:
            units.setdefault(unit_of.get(rec["community_id"]), []).append(rec)
        for unit in sorted(units, key=str):
            out.append({"level": level, "unit_name": unit, **_rates(units[unit])})
    out.append({"level": "total", "unit_name": None, **_rates(list(progress))})
    return out


def _rates(recs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    n = len(recs)
    plan = sum(r["investment_plan"] for r in recs)
    late = [r["days_late"] for r in recs]
    return {
        "projects": n,
        "start_rate": sum(r["started"] for r in recs) / n if n else None,
        "completion_rate": sum(r["completed"] for r in recs) / n if n else None,
        "investment_rate": sum(r["invested"] for r in recs) / plan if plan else None,
        "days_late": float(np.mean(late)) if late else None,
        "max_days_late": max(late) if late else None,
    }


def mid_works_indicators(
    projects: Sequence[Project], households: Mapping[str, float] | None = None
) -> list[dict[str, Any]]:
    """The mid-works phase's quality and complaint measures of each project.

    ``quality_pass_rate`` = inspections passed / held; ``complaint_closure`` = complaints
    closed / received; ``complaints_per100hh`` = complaints per 100 households (when
    ``households`` gives them). None where nothing was held or received.
    """
    out = []
    for p in projects:
        c = p.counts
        hh = (households or {}).get(p.community_id)
        out.append(
            {
                "community_id": p.community_id,
                "phase": "t_proc",
                "quality_pass_rate": c["inspections_passed"] / c["inspections"]
                if c["inspections"]
                else None,
                "complaint_closure": c["complaints_closed"] / c["complaints"]
                if c["complaints"]
                else None,
                "complaints_per100hh": 100.0 * c["complaints"] / float(hh) if hh else None,
            }
        )
    return out
