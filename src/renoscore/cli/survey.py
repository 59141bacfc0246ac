"""``renoscore survey``: questionnaire answers to indicator values and weights.

Scores a respondent-level survey per community and phase (scale means with n, SE, confidence
interval, reliability), optionally aggregates the residents' pairwise judgements (``--ahp``),
puts the means into a community table (``--merge``) and scores it (``--score``).

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
from pathlib import Path
from typing import Any

from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]

#: The line in ``renoscore --help`` and the description atop ``renoscore survey --help``.
_HELP = "score a resident survey: scale means with n, SE, alpha; residents' AHP"
_DESCRIPTION = (
    "Turn a respondent-level questionnaire file into indicator values per community and "
    "phase (mean, n, SD, SE, confidence interval, low-n flag, Cronbach's alpha, "
    "McDonald's omega) and, with --ahp, residents' pairwise judgements into group weights."
)


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``survey`` to the sub-commands.

    RESPONSES is the only positional argument; community tables come in through
    ``--households`` and ``--merge``.
    """
    p = subparsers.add_parser("survey", help=_HELP, description=_DESCRIPTION)
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
    _common.add_force(p)


def run(args: argparse.Namespace) -> int:
    """Score the survey and print it; then the residents' AHP, merge and output asked for.

    Raises
    ------
    RenoscoreError
        Invalid responses, scales, system or community tables (``renoscore`` lists the
        problems, exit 1).
    UsageError
        No RESPONSES (nor ``--example``), ``--merge`` or ``--score`` without their table, or an
        output suffix it cannot write (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["survey", "--example"])  # doctest: +ELLIPSIS
    1707 respondents in 46 community-phase groups; 11 scales; ...
    ...
    0
    """
    from renoscore import load_data, survey

    output = _common.output_arg(args, (".csv",) if args.merge is not None else (".csv", ".json"))
    responses, households = _responses(args)
    scales = survey.load_scales(args.scales) if args.scales else survey.default_scales()
    system = _system(args, scales)
    base = _merge_base(args, system)
    if args.households:
        households = load_data(args.households, system)
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
    _print_scores(scores, args.lang)
    residents = _resident_ahp(args, responses, system) if args.ahp else None
    merged = _merge(args, scores, base, system) if base is not None else None
    if output is not None:
        _write(output, (scores, residents, merged), args.lang, args.force)
    return 0


def _responses(args: argparse.Namespace) -> tuple[Any, Any]:
    """The respondent table and, with ``--example``, the communities (households)."""
    from renoscore import example_data, survey

    if args.example:
        return survey.example_responses_path(), example_data()
    if args.responses:
        return args.responses, None
    raise UsageError("give RESPONSES (a CSV/Excel/Parquet path) or --example")


def _system(args: argparse.Namespace, scales: Any) -> Any:
    """The system of ``--system``, else the shipped system the scales name, else None."""
    from renoscore import load_system
    from renoscore.system.load import is_shipped_system

    system = load_system(args.system) if args.system else None
    if system is None and scales.system is not None and is_shipped_system(scales.system):
        system = load_system(scales.system)
    return system


def _merge_base(args: argparse.Namespace, system: Any) -> Any:
    """The community table the survey means go into (``--merge``, ``--score``), or None."""
    from renoscore import example_data, load_data

    if args.merge is not None:
        if args.merge:
            return load_data(args.merge, system)
        if args.example:
            return example_data()
        raise UsageError("--merge needs DATA (the community table) unless --example is given")
    if args.score:
        if not args.example:
            raise UsageError("--score needs --merge DATA (or --example)")
        return example_data()
    return None


def _print_scores(scores: Any, lang: str) -> None:
    """Summary, statistics, reliability, low-n flags and notes of the scored survey."""
    print(scores.summary())
    print()
    print(scores.table(lang=lang))
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


def _resident_ahp(args: argparse.Namespace, responses: Any, system: Any) -> Any:
    """The residents' pairwise judgements aggregated by group, printed."""
    from renoscore import survey

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
    return residents


def _merge(args: argparse.Namespace, scores: Any, base: Any, system: Any) -> Any:
    """The community table with the survey means put in; with ``--score`` scored and printed."""
    from renoscore import default_system, evaluate

    merged = scores.apply_to(base, system=system)
    print(f"\nmerged: {merged.summary()}")
    if args.score:
        sys_obj = system if system is not None else default_system()
        result = evaluate(sys_obj, merged, missing="renormalize")
        print(result.table(lang=args.lang))
    return merged


def _write(path: Path, outputs: tuple[Any, Any, Any], lang: str, force: bool) -> None:
    """The merged community table (.csv), or the statistics as .csv or .json."""
    from renoscore.io import write_data

    scores, residents, merged = outputs
    if merged is not None:
        write_data(merged, path, format="csv", overwrite=force)
    elif path.suffix.lower() == ".csv":
        _common.write_csv_records(scores.records(lang), path, overwrite=force)
    else:
        payload = {
            "statistics": scores.records(lang),
            "reliability": scores.reliability_records(),
            "items": [row for rel in scores.reliability for row in rel.records()],
            "warnings": list(scores.warnings),
        }
        if residents is not None:
            payload["ahp"] = residents.report()
        _common.write_json(payload, path, overwrite=force)
    print(f"wrote {path}")
