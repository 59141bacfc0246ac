"""``renoscore report``: write the evaluation report (HTML or Markdown, Chinese or English).

Usage::

    renoscore report --example -o report.html
    renoscore report --example --lang zh -o 报告.html
    renoscore report SYSTEM DATA [--panel P] [--weights W] [--missing POLICY]
                     [--lang zh|en] [--phases BEFORE AFTER] [--no-charts]
                     [--scorecards N] -o report.html|report.md

``--example`` uses the shipped default system, the example communities and the example expert
panel (AHP weights), so the report shows every expert's consistency. With ``--panel`` and no
``--weights`` the panel's judgements are used wherever the system has groups they judge
(``method="ahp"``). Exit codes as for every ``renoscore`` command: 0 success, 1 invalid input
(every problem listed), 2 usage error.

The module plugs into ``renoscore.cli`` with :func:`add_parser` and :func:`run`; :func:`main`
runs it on its own (``python -m renoscore._cli_report --example -o r.html``).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from renoscore.errors import MissingDependencyError, RenoscoreError

__all__ = ["add_parser", "main", "run"]


class _UsageError(Exception):
    pass


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    p.add_argument("data", nargs="?", help="community data (CSV, Excel, Parquet, JSON)")
    p.add_argument(
        "--example",
        action="store_true",
        help="use the bundled system, example communities and example expert panel",
    )
    p.add_argument("--panel", help="expert panel YAML (AHP weights and their consistency)")
    p.add_argument(
        "--weights",
        help="frozen weights (YAML/JSON) or a method name (equal, ahp, entropy, critic, combined)",
    )
    p.add_argument(
        "--missing",
        default=None,
        choices=["error", "renormalize", "impute_mean", "impute_median"],
        help="missing-data policy (default: error; renormalize with --example)",
    )
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="report language")
    p.add_argument(
        "--phases",
        nargs=2,
        metavar=("BEFORE", "AFTER"),
        help="the phases to compare (default: the baseline and the phase sharing most communities)",
    )
    p.add_argument("--no-comparison", action="store_true", help="leave out the phase comparison")
    p.add_argument("--no-charts", action="store_true", help="tables only (no matplotlib needed)")
    p.add_argument(
        "--scorecards",
        type=int,
        default=200,
        metavar="N",
        help="scorecards for at most N communities, by rank (default 200; 0 for none)",
    )
    p.add_argument("--top", type=int, default=10, help="lines of each fix-first list (default 10)")
    p.add_argument(
        "--uncertainty",
        type=int,
        default=0,
        metavar="N",
        help="add a rank-stability section: N Monte Carlo draws of the weights (and of the "
        "judgements when there is a panel) in the first phase (default 0: none)",
    )
    p.add_argument("--seed", type=int, default=20240601, help="seed of the uncertainty draws")
    p.add_argument(
        "-o", "--output", required=True, help="the report file: .html (self-contained) or .md"
    )


def add_parser(subparsers: Any) -> None:
    """Add the ``report`` sub-command to ``renoscore``'s sub-parsers.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers()`` returned.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="renoscore")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["report", "--example", "-o", "r.html"]).lang
    'en'
    """
    p = subparsers.add_parser(
        "report",
        help="write the evaluation report (self-contained HTML or Markdown, zh or en)",
        description=(
            "Write the evaluation report: method and every weight with its source, AHP "
            "consistency per node and expert, ranking with grades, grade distribution, phase "
            "comparison, a scorecard per community (radar chart and fix-first list) and the "
            "data quality."
        ),
    )
    _configure(p)


def run(args: argparse.Namespace) -> int:
    """Run ``renoscore report`` with parsed arguments; return the exit code.

    Raises
    ------
    RenoscoreError
        Invalid system, data, panel or weights (``renoscore.cli`` prints it and exits 1).
    """
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    import renoscore as rs
    from renoscore.io import read_data
    from renoscore.report import write_report

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
        raise _UsageError(f"cannot write a report to {out.name!r}; use .html or .md")
    weights: Any
    panel: Any
    if args.example:
        system = rs.default_system()
        data = rs.example_data()
        panel = rs.load_panel(args.panel, system) if args.panel else rs.example_panel()
        weights = args.weights or "ahp"
    else:
        if not args.system or not args.data:
            raise _UsageError("give SYSTEM and DATA (or --example)")
        system = rs.load_system(args.system)
        options = {"sheet": args.sheet} if args.sheet else {}
        data = read_data(args.data, system, **options)
        panel = rs.load_panel(args.panel, system) if args.panel else None
        weights = args.weights or ("ahp" if panel is not None else None)
    if isinstance(weights, str) and Path(weights).is_file():
        weights = rs.load_weights(weights, system)
    missing: Any = args.missing or ("renormalize" if args.example else "error")
    result = rs.evaluate(system, data, weights, panel=panel, missing=missing)
    comparison: Any = "auto"
    if args.no_comparison:
        comparison = None
    elif args.phases:
        comparison = rs.compare(result, phases=tuple(args.phases))
    uncertainty: Any = None
    if args.uncertainty > 0:
        sources: dict[str, Any] = {"weights": {}}
        if panel is not None:
            sources["judgements"] = {}
        first = next(p for p in result.phases)
        uncertainty = rs.uncertainty(
            system,
            data,
            weights,
            panel=panel,
            phase=first,
            n=args.uncertainty,
            seed=args.seed,
            missing=missing,
            sources=sources,
        )
    path = write_report(
        result,
        out,
        uncertainty=uncertainty,
        lang=args.lang,
        comparison=comparison,
        charts=not args.no_charts,
        max_scorecards=max(args.scorecards, 0),
        fix_first_top=args.top,
        command=_command_line(args),
    )
    print(f"wrote {path} ({args.lang}, {len(set(result.ids))} communities, {len(result.ids)} rows)")
    return 0


def _command_line(args: argparse.Namespace) -> str:
    """The command that repeats this report, rebuilt from the parsed arguments."""
    words = ["renoscore", "report"]
    if args.example:
        words.append("--example")
    words += [a for a in (args.system, args.data) if a]
    for flag in ("panel", "weights", "missing", "sheet"):
        value = getattr(args, flag)
        if value:
            words += [f"--{flag}", value]
    words += ["--lang", args.lang]
    if args.phases:
        words += ["--phases", *args.phases]
    if args.no_comparison:
        words.append("--no-comparison")
    if args.no_charts:
        words.append("--no-charts")
    words += ["-o", args.output]
    return " ".join(shlex.quote(w) for w in words)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``report`` as a program of its own, with ``renoscore``'s exit codes.

    Examples
    --------
    >>> main(["--lang", "fr", "-o", "r.html"])
    2
    """
    parser = argparse.ArgumentParser(prog="renoscore report")
    _configure(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = run(args)
        for item in caught:
            print(f"warning: {item.message}", file=sys.stderr)
        return code
    except RenoscoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
