"""The ``renoscore survey`` command: questionnaire answers to indicator values and weights.

Wired into :mod:`renoscore.cli` with :func:`add_parser` (builds the sub-command) and
:func:`run` (executes it; returns the exit code, and lets
:class:`~renoscore.errors.RenoscoreError` propagate so that the main command prints every
problem as a table).

Examples
--------
``renoscore survey --example``                          scale means, n, SE, alpha per community
``renoscore survey --example --ahp``                    also the residents' AHP by tenure
``renoscore survey --example --merge --score``          put the means into the example
                                                        communities and score them
``renoscore survey answers.csv --households communities.csv -o indicators.csv``
``renoscore survey answers.csv --merge communities.csv -o communities_with_survey.csv``
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """Add the ``survey`` sub-command to an ``argparse`` sub-parser collection."""
    p = subparsers.add_parser(
        "survey",
        help="score a resident survey: scale means with n, SE, alpha; residents' AHP",
        description=(
            "Turn a respondent-level questionnaire file into indicator values per community and "
            "phase (mean, n, SD, SE, confidence interval, low-n flag, Cronbach's alpha, "
            "McDonald's omega) and, with --ahp, residents' pairwise judgements into group weights."
        ),
    )
    p.add_argument("responses", nargs="?", help="respondent table (CSV, Excel, Parquet)")
    p.add_argument(
        "--example", action="store_true", help="use the bundled respondents and communities"
    )
    p.add_argument("--scales", help="scale set YAML (default: the shipped resident_survey)")
    p.add_argument("--system", help="indicator system YAML or shipped name (default: the scales')")
    p.add_argument(
        "--households",
        metavar="DATA",
        help="community table with a 'households' column (10%% rule, finite population)",
    )
    p.add_argument(
        "--merge",
        nargs="?",
        const="",
        metavar="DATA",
        help="community table whose survey-fed indicators are replaced by the survey means "
        "(with --example and no DATA: the bundled communities); -o then writes that table",
    )
    p.add_argument("--score", action="store_true", help="evaluate the merged table and rank it")
    p.add_argument("--select", nargs="+", metavar="SCALE", help="score only these scales")
    p.add_argument("--min-n", type=int, default=30, help="flag groups below this n (default 30)")
    p.add_argument(
        "--min-share",
        type=float,
        default=0.10,
        help="also flag groups below this share of households (default 0.10)",
    )
    p.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    p.add_argument(
        "--fpc", action="store_true", help="finite population correction of SE (households)"
    )
    p.add_argument("--ahp", action="store_true", help="aggregate the residents' pairwise answers")
    p.add_argument("--group", help="stakeholder-group column for --ahp (e.g. tenure)")
    p.add_argument("--criteria", nargs="+", help="criteria compared (default: the dimensions)")
    p.add_argument(
        "--coding",
        default="signed",
        choices=["signed", "ratio", "position", "centered"],
        help="how pairwise answers are coded (default signed)",
    )
    p.add_argument("--phase", help="use only respondents of this phase for --ahp")
    p.add_argument(
        "--exclude-inconsistent",
        action="store_true",
        help="leave respondents with CR >= 0.10 out of the AHP aggregate",
    )
    p.add_argument("--lang", default="en", choices=["en", "zh"])
    p.add_argument(
        "-o",
        "--output",
        help="write the statistics (.csv long table or .json with reliability and AHP), or "
        "with --merge the merged community table (.csv)",
    )
    p.set_defaults(func=run)


class _UsageError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    """Execute ``renoscore survey``; 0 on success, 2 on a usage error."""
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    import renoscore as rs
    from renoscore import survey

    if args.example:
        responses: Any = survey.example_responses_path()
        households: Any = rs.example_data()
    elif args.responses:
        responses = args.responses
        households = None
    else:
        raise _UsageError("give RESPONSES (a CSV/Excel/Parquet path) or --example")
    scales = survey.load_scales(args.scales) if args.scales else survey.default_scales()
    system = rs.load_system(args.system) if args.system else None
    if system is None and scales.system in rs.available_systems():
        system = rs.load_system(scales.system)
    base = None
    if args.merge is not None:
        if args.merge:
            base = rs.load_data(args.merge, system)
        elif args.example:
            base = rs.example_data()
        else:
            raise _UsageError("--merge needs DATA (the community table) unless --example is given")
    elif args.score:
        if not args.example:
            raise _UsageError("--score needs --merge DATA (or --example)")
        base = rs.example_data()
    if args.households:
        households = rs.load_data(args.households, system)
    elif households is None and base is not None:
        households = base

    scores = survey.score_survey(
        responses,
        scales,
        system=system,
        households=households,
        select=args.select,
        min_n=args.min_n,
        min_share=args.min_share,
        level=args.level,
        finite_population=args.fpc,
    )
    print(scores.summary())
    print()
    print(scores.table(lang=args.lang))
    print()
    print(scores.reliability_table())
    flagged = [
        f"{cid}/{ph} (n {int(scores.n[g][scores.low_n[g]].min())} < {int(scores.min_required[g])})"
        for g, (cid, ph) in enumerate(scores.keys)
        if scores.low_n[g].any()
    ]
    if flagged:
        print(f"\nfewer respondents than required (flag, not an error): {', '.join(flagged)}")
    for note in scores.warnings:
        print(f"note: {note}")

    residents = None
    if args.ahp:
        residents = survey.resident_ahp(
            responses,
            args.criteria,
            coding=args.coding,
            group_column=args.group,
            phase=args.phase,
            exclude_inconsistent=args.exclude_inconsistent,
            system=system,
        )
        print("\nresidents' pairwise judgements (AIJ by group):")
        print(residents.table())

    merged = None
    if base is not None:
        merged = scores.apply_to(base, system=system)
        print(f"\nmerged: {merged.summary()}")
        if args.score:
            sys_obj = system if system is not None else rs.default_system()
            result = rs.evaluate(sys_obj, merged, missing="renormalize")
            print(result.table(lang=args.lang))

    if args.output:
        out = Path(args.output)
        suffix = out.suffix.lower()
        if merged is not None:
            if suffix != ".csv":
                raise _UsageError("with --merge, -o writes the community table as .csv")
            _write_community_csv(merged, out)
        elif suffix == ".csv":
            _write_csv(scores.records(args.lang), out)
        elif suffix == ".json":
            payload = {
                "statistics": scores.records(args.lang),
                "reliability": scores.reliability_records(),
                "items": [row for rel in scores.reliability for row in rel.records()],
                "warnings": list(scores.warnings),
            }
            if residents is not None:
                payload["ahp"] = residents.report()
            out.write_text(
                json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
            )
        else:
            raise _UsageError(f"cannot write {suffix!r}; use .csv or .json")
        print(f"wrote {out}")
    return 0


def _write_csv(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]) if records else [])
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in records)


def _write_community_csv(data: Any, path: Path) -> None:
    """Community data as a CSV that :func:`renoscore.load_data` reads back unchanged:
    empty for missing, ``n/a`` for not applicable."""
    from renoscore.data import CellStatus

    header = ["community_id", "phase", *data.context, *data.indicator_ids]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in range(data.n):
            cells: list[str] = [data.ids[r], data.phases[r] or ""]
            cells += ["" if v is None else str(v) for v in (c[r] for c in data.context.values())]
            for j in range(data.m):
                status = int(data.status[r, j])
                value = float(data.values[r, j])
                if status == CellStatus.NOT_APPLICABLE:
                    cells.append("n/a")
                elif status == CellStatus.MISSING or not math.isfinite(value):
                    cells.append("")
                else:
                    cells.append(repr(value))
            writer.writerow(cells)
