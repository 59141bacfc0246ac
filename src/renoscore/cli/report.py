"""``renoscore report``: write the evaluation report (HTML or Markdown, Chinese or English).

Usage::

    renoscore report --example -o report.html
    renoscore report --example --lang zh -o 报告.html
    renoscore report SYSTEM DATA [--panel P] [--weights W] [--missing POLICY]
                     [--lang zh|en] [--phases BEFORE AFTER] [--no-charts]
                     [--scorecards N] -o report.html|report.md

``--example`` uses the shipped default system and example communities with the system's
declared weights, the same numbers as ``renoscore score --example``; add ``--panel
panel_example`` for the example experts' AHP weights and the consistency of every expert. With
``--panel`` and no ``--weights`` the panel's judgements are used wherever the system has
groups they judge, as in every command. Exit codes as for every ``renoscore`` command: 0
success, 1 invalid input (every problem listed), 2 usage error.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Any

from renoscore.cli import _change_args, _common
from renoscore.errors import UsageError

if TYPE_CHECKING:
    from renoscore._options import ScoringOptions

__all__ = ["add_parser", "run"]

#: The line in ``renoscore --help`` and the description atop ``renoscore report --help``.
_HELP = "write the evaluation report (self-contained HTML or Markdown, zh or en)"
_DESCRIPTION = (
    "Write the evaluation report: method and every weight with its source, AHP "
    "consistency per node and expert, ranking with grades, grade distribution, phase "
    "comparison, a scorecard per community (radar chart and fix-first list), the "
    "data quality and, with --audit, the statistical audit of the index."
)

#: The suffixes of the report formats.
_REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown")


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``report`` to the sub-commands.

    Its options: the inputs (as for ``score``), the language, the sections (phase comparison,
    charts, scorecards, rank stability) and the report file.
    """
    p = subparsers.add_parser("report", help=_HELP, description=_DESCRIPTION)
    _common.add_configuration(p)
    _change_args.add_value_errors(p)
    _change_args.add_treated(p)
    p.add_argument(
        "--effect-phases",
        nargs="+",
        metavar="PHASE",
        help="with --treated: the phases of the effect of renovation (default: those compared)",
    )
    _add_section_options(p)
    _add_rank_stability_options(p)
    p.add_argument(
        "-o", "--output", required=True, help="the report file: .html (self-contained) or .md"
    )
    _common.add_force(p)


def _add_section_options(p: argparse.ArgumentParser) -> None:
    """The language, and what the report shows: comparison, charts, scorecards, fix-first."""
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
        type=_common.count(0),
        default=200,
        metavar="N",
        help="scorecards for at most N communities, by rank (default 200; 0 for none)",
    )
    p.add_argument(
        "--top", type=_common.count(1), default=10, help="lines of each fix-first list (default 10)"
    )
    p.add_argument(
        "--audit",
        action="store_true",
        help="add the statistical audit (availability, outliers, correlations, importance)",
    )


def _add_rank_stability_options(p: argparse.ArgumentParser) -> None:
    """The Monte Carlo draws of the rank-stability section and their seed."""
    p.add_argument(
        "--uncertainty",
        type=int,
        default=0,
        metavar="N",
        help="add a rank-stability section: N Monte Carlo draws of the weights (and of the "
        "judgements when there is a panel) in the first phase (default 0: none)",
    )
    p.add_argument("--seed", type=int, default=20240601, help="seed of the uncertainty draws")


def run(args: argparse.Namespace) -> int:
    """Evaluate (with ``--uncertainty`` also draw rank intervals) and write the report.

    Raises
    ------
    RenoscoreError
        A system, data table, panel or weights file that does not load (exit 1).
    UsageError
        A report it may not write (a suffix other than .html or .md, an input of the run, an
        existing report or chart folder without ``--force``, a folder that does not exist),
        or no SYSTEM and DATA (nor ``--example``) (exit 2; checked before any work).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from renoscore.cli import main
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.md"
    >>> main(["report", "--example", "--no-charts", "--scorecards", "0", "-o", str(out)])
    ... # doctest: +ELLIPSIS
    wrote ...report.md (en, 30 communities, 50 rows)
    0
    """
    import renoscore as rs
    from renoscore.report import write_report

    out = _common.output_arg(args, _REPORT_SUFFIXES)
    assert out is not None  # -o is required
    charts = out.parent / f"{out.stem}_files"
    markdown = out.suffix.lower() in (".md", ".markdown")
    if markdown and not args.no_charts and charts.exists() and not args.force:
        raise UsageError(
            f"cannot write {out}: its chart folder {charts} exists -> pass --force to replace "
            "the report and its charts, or choose another path"
        )
    system, data, panel, weights, options = _common.configuration(args)
    result = rs.evaluate(system, data, weights, panel=panel, options=options)
    comparison = _comparison(args, result, system, data)
    effect = _effect(args, result, comparison)
    uncertainty: Any = None
    if args.uncertainty > 0:
        uncertainty = _uncertainty(args, (system, data, weights, panel), result.phases, options)
    audited: Any = None
    if args.audit:
        from renoscore.audit import audit

        audited = audit(system, data, weights, panel=panel)
    path = write_report(
        result,
        out,
        uncertainty=uncertainty,
        effect=effect,
        audit=audited,
        lang=args.lang,
        comparison=comparison,
        charts=not args.no_charts,
        max_scorecards=max(args.scorecards, 0),
        fix_first_top=args.top,
        command=_command_line(args),
        overwrite=args.force,
    )
    print(f"wrote {path} ({args.lang}, {len(set(result.ids))} communities, {len(result.ids)} rows)")
    return 0


def _uncertainty(
    args: argparse.Namespace,
    inputs: tuple[Any, Any, Any, Any],
    phases: Any,
    options: ScoringOptions,
) -> Any:
    """Monte Carlo draws of the weights (and of the judgements with a panel) in the first phase."""
    import renoscore as rs

    system, data, weights, panel = inputs
    sources: dict[str, Any] = {"weights": {}}
    if panel is not None:
        sources["judgements"] = {}
    first = next(p for p in phases)
    draws = {"phase": first, "n": args.uncertainty, "seed": args.seed, "sources": sources}
    return rs.uncertainty(system, data, weights, panel=panel, options=options, **draws)


def _comparison(args: argparse.Namespace, result: Any, system: Any, data: Any) -> Any:
    """The phase comparison, each change with its interval: the same as ``renoscore compare``."""
    import renoscore as rs
    from renoscore.report import choose_phases

    if args.no_comparison:
        return None
    phases = tuple(args.phases) if args.phases else choose_phases(result)
    if phases is None:
        return None
    standard_errors, measurement = _change_args.value_errors(args, system, data)
    return rs.compare(
        result,
        phases=phases,
        standard_errors=standard_errors,
        measurement=measurement,
        level=args.level,
    )


def _effect(args: argparse.Namespace, result: Any, comparison: Any) -> Any:
    """The effect of renovation when the command line names the renovated communities."""
    from renoscore.effects import renovation_effect

    treated = _change_args.treated_communities(args, result)
    if treated is None:
        return None
    phases = args.effect_phases or (
        [comparison.before_phase, comparison.after_phase] if comparison is not None else None
    )
    return renovation_effect(result, treated, phases, level=args.level)


def _command_line(args: argparse.Namespace) -> str:
    """The command that repeats this report, rebuilt from the parsed arguments."""
    words = ["renoscore", "report"]
    if args.example:
        words.append("--example")
    words += [a for a in (args.system, args.data) if a]
    given = ("panel", "weights", "sheet", "header_row", "id_column", "phase_column")
    changes = ("survey", "treated_column", "measurement_error")
    for name in (*given, *changes, *_common.SCORING_OPTIONS):
        value = getattr(args, name, None)
        if value is not None and value != "":
            words += [f"--{name.replace('_', '-')}", str(value)]
    for item in getattr(args, "sd", []):
        words += ["--sd", item]
    if getattr(args, "treated", None):
        words += ["--treated", *args.treated]
    if getattr(args, "level", 0.95) != 0.95:
        words += ["--level", str(args.level)]
    words += ["--lang", args.lang]
    if args.phases:
        words += ["--phases", *args.phases]
    if args.no_comparison:
        words.append("--no-comparison")
    if args.no_charts:
        words.append("--no-charts")
    if args.audit:
        words.append("--audit")
    words += ["-o", args.output]
    return " ".join(shlex.quote(w) for w in words)
