"""What every ``renoscore`` sub-command shares: the parser, the exit codes, the arguments.

One parser builder (:func:`build_parser`), one usage error (:class:`UsageError`), one printer
of problems (:func:`print_problems`), one runner that turns exceptions into exit codes
(:func:`run_command_line`: 0 success, 1 invalid input, 2 usage error, 3 the machine could not
do it -- an output that could not be written, more memory than there is --, 130 interrupted,
141 the reader of the output went away), and the argument helpers several sub-commands use:
the scoring options (one :class:`~renoscore._options.ScoringOptions`, validated by the library
with its messages), the system, data, panel and weights arguments (with ``--example``), the
outputs (``-o`` and ``--problems`` checked before any work, ``--force``), and the CSV and JSON
writers.

*One configuration, one answer*: every command that scores (``score``, ``report``, ``compare``,
``uncertainty``, ``notice``, ``weights``, ``effect``) declares its inputs with
:func:`add_configuration` and reads them with :func:`configuration`, so that ``--example``, ``--panel``, ``--weights`` and the
scoring options mean the same everywhere: ``--example`` is the bundled system and communities
with the system's declared weights (add ``--panel panel_example`` for the example experts'
AHP weights), the weights follow :func:`renoscore.pipeline.configuration.resolve_weights`, and
the option defaults are those of :class:`renoscore._options.ScoringOptions`.

A sub-command is a module with ``add_parser(subparsers)`` and ``run(args)``; ``run`` returns the
exit code and raises :class:`UsageError` or :class:`~renoscore.errors.RenoscoreError` for
:func:`run_command_line` to print.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="renoscore")
>>> add_scoring_options(parser)
>>> args = parser.parse_args(["--aggregation", "geometric"])
>>> args.example = True
>>> options = scoring_options(args)
>>> options.normalization, options.aggregation, options.missing
('goalposts', 'geometric', 'renormalize')
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, Protocol, TypeAlias

from renoscore._calling import command_line
from renoscore._display import display_width, pad
from renoscore.errors import (
    DataNotice,
    MissingDependencyError,
    OutputError,
    RenoscoreError,
    ResourceError,
    UsageError,
)

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_MACHINE",
    "MISSING_POLICIES",
    "PYTHON_OPTIONS",
    "SCORING_OPTIONS",
    "Command",
    "Configuration",
    "Subparsers",
    "UsageError",
    "add_configuration",
    "add_force",
    "add_inputs",
    "add_scoring_options",
    "build_parser",
    "configuration",
    "count",
    "exit_2_on_usage_error",
    "load_panel_arg",
    "load_system_arg",
    "load_weights_arg",
    "one_line",
    "output_arg",
    "print_problems",
    "problems_arg",
    "read_data_arg",
    "run_command_line",
    "run_inputs",
    "scoring_options",
    "system_and_data",
    "write_csv_records",
    "write_json",
]

if TYPE_CHECKING:
    from renoscore._options import ScoringOptions

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subparsers = Any

# The option names and choices are written out (a test holds them to those of ScoringOptions)
# so that building the parser, for --help or --version, imports neither pydantic nor numpy.

#: The missing-data policies the command line offers: those of ScoringOptions.
MISSING_POLICIES = ["error", "renormalize", "impute_mean", "impute_median"]

#: The names of the scoring options (:class:`~renoscore._options.ScoringOptions`); those a
#: sub-command declares are read by :func:`scoring_options`.
SCORING_OPTIONS = (
    "normalization",
    "aggregation",
    "missing",
    "min_coverage",
    "min_applicable",
    "impute_by",
    "tie_method",
    "tie_tolerance",
)

_MISSING_HELP = "missing-data policy (default: error; renormalize with --example)"

#: Exit code when the run could not be carried out on this machine: an output that could not
#: be written (disk full, read-only file system) or a request for more memory than there is.
EXIT_MACHINE = 3
#: Exit code on Ctrl-C (128 + SIGINT), as a shell reports it.
EXIT_INTERRUPTED = 130
#: Exit code when the reader of the output went away (``renoscore ... | head``): 128 + SIGPIPE,
#: what any Unix filter gives; nothing is printed.
EXIT_BROKEN_PIPE = 141
#: The command line's option for each Python argument a fix may name: a fix says
#: ``--header-row ROW`` on the command line where it says ``header_row=...`` in Python.
PYTHON_OPTIONS = {
    "sheet": "--sheet SHEET",
    "header_row": "--header-row ROW",
    "id_column": "--id-column COLUMN",
    "phase_column": "--phase-column COLUMN",
    "panel": "--panel PANEL",
    "weights": "--weights WEIGHTS",
    "phase": "--phase PHASE",
    "phases": "--phases BEFORE AFTER",
    "missing": "--missing POLICY",
    "group_column": "--group COLUMN",
    "data": "DATA",
    "system": "SYSTEM",
}
#: Problems printed one by one; ``--problems FILE`` writes them all.
PRINTED_PROBLEMS = 50


class Command(Protocol):
    """A sub-command: a module with ``add_parser(subparsers)`` and ``run(args)``."""

    def add_parser(self, subparsers: Subparsers) -> None:
        """Add the sub-command's parser to ``renoscore``'s sub-parsers."""

    def run(self, args: argparse.Namespace) -> int:
        """Run the sub-command with parsed arguments; return the exit code."""


# ----------------------------------------------------------------------------- parser, exit codes
class _Parser(argparse.ArgumentParser):
    """argparse, with a wrong command line said in one line, as every usage error is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"usage error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(commands: Iterable[Command]) -> argparse.ArgumentParser:
    """The ``renoscore`` parser with the sub-commands, in the order given.

    Examples
    --------
    >>> build_parser([]).parse_args(["--version"]).version
    True
    """
    parser = _Parser(
        prog="renoscore",
        description="Score, rank and explain the renovation of old residential communities.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    subparsers: Subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in commands:
        command.add_parser(subparsers)
    for sub in subparsers.choices.values():
        # Every sub-command that writes a file (-o, --problems) may be told to replace it.
        if {"--output", "--problems"} & set(sub._option_string_actions):
            add_force(sub)
    return parser


def run_command_line(commands: Mapping[str, Command], argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the sub-command it names and return the exit code.

    A :class:`UsageError` is printed as one line (exit 2), then the warnings the command gave
    (each distinct one once);
    a :class:`~renoscore.errors.RenoscoreError` is printed as a table of problems and a missing
    optional dependency as one line (exit 1).

    Examples
    --------
    >>> run_command_line({}, ["--version"])  # doctest: +ELLIPSIS
    renoscore ...
    0
    """
    parser = build_parser(commands.values())
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.version:
        from renoscore import __version__

        print(f"renoscore {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    caught: list[warnings.WarningMessage] = []
    command = commands[args.command]

    def checked_run(args: argparse.Namespace) -> int:
        problems_arg(args)  # before any work, as -o is
        return command.run(args)

    try:
        with warnings.catch_warnings(record=True) as caught, command_line(PYTHON_OPTIONS):
            warnings.simplefilter("always")
            code = exit_2_on_usage_error(checked_run)(args)
        _print_warnings(caught)
        if code == 0:
            _write_problems(args, [])
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (OutputError, ResourceError) as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_MACHINE
    except RenoscoreError as exc:
        _print_warnings(caught)
        hint = None if not hasattr(args, "problems") or args.problems else "--problems FILE.xlsx"
        print_problems(exc, hint)
        try:
            _write_problems(args, exc.problems)
        except OutputError as write_exc:
            print(f"error: {one_line(write_exc)}", file=sys.stderr)
            return EXIT_MACHINE
        except MissingDependencyError as write_exc:
            print(f"error: {write_exc}", file=sys.stderr)
        return 1
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print(
            "error: out of memory -> score fewer rows at a time, or ask for fewer draws (-n)",
            file=sys.stderr,
        )
        return EXIT_MACHINE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        # Reading and writing go through renoscore's loaders and writers, which report their
        # files' problems; what is left is the machine (a device error, a vanished folder).
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"error:{where} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_MACHINE


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a file descriptor (a test's capture): nothing is flushed at exit


def one_line(exc: RenoscoreError) -> str:
    """An error with one problem as one line: ``summary: reason -> fix``.

    Examples
    --------
    >>> from renoscore.errors import Problem
    >>> one_line(OutputError("cannot write x.csv", [Problem("the file exists", fix="--force")]))
    'cannot write x.csv: the file exists -> --force'
    """
    parts = [exc.summary]
    for p in exc.problems:
        parts.append(p.reason + (f" -> {p.fix}" if p.fix else ""))
    return ": ".join(parts[:2]) + "".join(f"; {x}" for x in parts[2:])


def _print_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    """A notice as ``notice: ...``, any other warning as ``warning: ...`` (to stderr), each once.

    A command may evaluate the same inputs more than once (the report and its rank-stability
    draws, the audit's own evaluation): a warning given twice is said once.
    """
    said: set[tuple[str, str]] = set()
    for item in caught:
        word = "notice" if issubclass(item.category, DataNotice) else "warning"
        if (word, str(item.message)) not in said:
            said.add((word, str(item.message)))
            print(f"{word}: {item.message}", file=sys.stderr)


def _write_problems(args: argparse.Namespace, problems: Sequence[Any]) -> None:
    """With ``--problems FILE``, every problem (none: just the header) into FILE, whole or
    not at all (checked by :func:`problems_arg` before the run; never over an input)."""
    path = getattr(args, "problems", None)
    if not path:
        return
    from renoscore.io.problems import write_problems

    write_problems(
        problems,
        path,
        lang=getattr(args, "lang", "en") or "en",
        overwrite=bool(getattr(args, "force", False)),
        inputs=_outputs_and_inputs(args, "problems"),
    )
    print(
        f"wrote {len(problems)} problem{'s' if len(problems) != 1 else ''} to {path}",
        file=sys.stderr,
    )


def print_problems(exc: RenoscoreError, hint: str | None = None) -> None:
    """Print an error's summary, its count of problems and the first
    :data:`PRINTED_PROBLEMS` of them grouped by column (where, problem, fix) to stderr.

    ``hint`` names the option that writes all of them, when there are more.

    Examples
    --------
    >>> import contextlib, io
    >>> from renoscore.errors import Problem
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     print_problems(RenoscoreError("bad data", [Problem("not a number", row=3)]))
    >>> print(err.getvalue())
    error: bad data
      where  problem       fix
      row 3  not a number
    """
    print(f"error: {exc.summary}", file=sys.stderr)
    problems = exc.problems
    if not problems:
        return
    shown = problems[:PRINTED_PROBLEMS]
    groups: dict[str | None, list[Any]] = {}
    counts: dict[str | None, int] = {}
    for p in problems:
        counts[p.column] = counts.get(p.column, 0) + 1
    for p in shown:
        groups.setdefault(p.column, []).append(p)
    if len(groups) == 1 and len(problems) == len(shown):
        _print_rows(shown, "  ")
        return
    more = f"; the first {len(shown)} by column" if len(problems) > len(shown) else ", by column"
    tail = f" ({hint} writes them all)" if hint and len(problems) > len(shown) else ""
    print(f"  {len(problems)} problems{more}{tail}:", file=sys.stderr)
    for column, group in groups.items():
        title = f"column {column!r}" if column is not None else "not in a column"
        listed = "" if len(group) == counts[column] else f", {len(group)} listed"
        print(
            f"  {title} ({counts[column]} problem{'s' if counts[column] != 1 else ''}{listed})",
            file=sys.stderr,
        )
        _print_rows(group, "    ", in_column=True)
    rest = [f"{c!r} ({n})" for c, n in counts.items() if c not in groups]
    if rest:
        print(f"  other columns: {', '.join(rest)}", file=sys.stderr)


def _print_rows(problems: Sequence[Any], indent: str, in_column: bool = False) -> None:
    """The problems as a table: where, problem, fix (one fix shared by all is said once);
    ``in_column``: under a column's title, which the places leave out."""
    fixes = {p.fix for p in problems}
    shared = fixes.pop() if len(fixes) == 1 and len(problems) > 2 else None
    rows = [
        (
            dataclasses.replace(p, column=None).location if in_column else p.location,
            p.reason + (f" (value {p.value!r})" if p.value is not None else ""),
            "" if shared is not None else p.fix or "",
        )
        for p in problems
    ]
    widths = [min(40, max(display_width(r[i]) for r in rows)) for i in range(2)]
    print(f"{indent}{pad('where', widths[0])}  {pad('problem', widths[1])}  fix", file=sys.stderr)
    for where, what, fix in rows:
        print(
            f"{indent}{pad(where, widths[0])}  {pad(what, widths[1])}  {fix}".rstrip(),
            file=sys.stderr,
        )
    if shared:
        print(f"{indent}fix for all: {shared}", file=sys.stderr)


def _print_usage_error(exc: UsageError) -> None:
    print(f"usage error: {exc}", file=sys.stderr)


def exit_2_on_usage_error(
    run: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """``run`` that prints a :class:`UsageError` and returns 2 instead of raising it.

    Examples
    --------
    >>> def run(args):
    ...     raise UsageError("give SYSTEM")
    >>> exit_2_on_usage_error(run)(argparse.Namespace())
    2
    """

    @functools.wraps(run)
    def guarded(args: argparse.Namespace) -> int:
        try:
            return int(run(args))
        except UsageError as exc:
            _print_usage_error(exc)
            return 2

    return guarded


def count(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``low`` (``--top -3`` is a usage error,
    not the table without its last three rows).

    Examples
    --------
    >>> count(1)("5"), count(0)("0")
    (5, 0)
    >>> count(1)("-3")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '-3' is not a whole number of at least 1
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least {low}")
        return value

    parse.__name__ = f"count >= {low}"
    return parse


# ----------------------------------------------------------------------------- scoring options
def add_scoring_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    *,
    methods: bool = True,
    missing_help: str | None = _MISSING_HELP,
) -> None:
    """Add the scoring options to a sub-command's parser or argument group: ``--missing``,
    ``--min-coverage``, ``--min-applicable`` and, with ``methods``, ``--normalization`` and
    ``--aggregation``.

    Every option defaults to None, "not given": :func:`scoring_options` passes only the options
    given to :class:`~renoscore._options.ScoringOptions`, the one home of their defaults (the
    help texts say them).

    Parameters
    ----------
    parser : argparse.ArgumentParser or argument group
    methods : bool
        Also offer the normalization and aggregation methods.
    missing_help : str, optional
        The help text of ``--missing``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_scoring_options(parser, methods=False)
    >>> args = parser.parse_args(["--min-applicable", "0"])
    >>> args.example = False
    >>> args.min_coverage is None, scoring_options(args).min_applicable
    (True, 0.0)
    """
    parser.add_argument("--missing", default=None, choices=MISSING_POLICIES, help=missing_help)
    parser.add_argument(
        "--min-coverage",
        type=float,
        metavar="SHARE",
        help="share of the applicable weight that must be observed for an overall score "
        "(default 2/3)",
    )
    parser.add_argument(
        "--min-applicable",
        type=float,
        metavar="SHARE",
        help="share of a group's weight that must apply to a row for the group to be scored, "
        "where the system does not set it (default 0.5; 0: any applicable indicator)",
    )
    if methods:
        # Choices for --help (ScoringOptions validates); the command line offers the means up
        # the tree, which every sub-command, the uncertainty analysis too, can score.
        parser.add_argument(
            "--normalization", choices=["goalposts", "minmax"], help="default: goalposts"
        )
        parser.add_argument(
            "--aggregation", choices=["arithmetic", "geometric"], help="default: arithmetic"
        )


def scoring_options(args: argparse.Namespace) -> ScoringOptions:
    """The scoring options a sub-command declared, validated once by the library.

    Without ``--missing`` the policy is ``error``, or ``renormalize`` with ``--example``; the
    options not declared keep their defaults. An invalid value raises the library's
    :class:`~renoscore.errors.OptionError` (printed as its table of problems, exit 1).

    Examples
    --------
    >>> scoring_options(argparse.Namespace(missing=None, example=False)).missing
    'error'
    """
    from renoscore._options import ScoringOptions

    declared = {
        name: getattr(args, name)
        for name in SCORING_OPTIONS
        if getattr(args, name, None) is not None
    }
    if getattr(args, "example", False) and getattr(args, "missing", None) is None:
        declared["missing"] = "renormalize"
    return ScoringOptions(**declared)


# ----------------------------------------------------------------------------- inputs
def add_inputs(
    parser: argparse.ArgumentParser,
    example_help: str | None,
    *,
    system_help: str | None = "indicator system YAML (or a shipped name)",
    data_help: str | None = "community data (CSV, Excel, Parquet)",
) -> None:
    """Add the optional positional arguments ``system`` and ``data``, ``--example``, and the
    options that say how to read the data (:func:`add_data_options`).

    ``--help`` lists positional arguments apart from the options, so where the call stands
    among the options decides only where ``--example`` is listed.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_inputs(parser, "use the bundled system and data")
    >>> args = parser.parse_args(["old_community_renovation", "--header-row", "3"])
    >>> args.system, args.data, args.example, args.header_row
    ('old_community_renovation', None, False, 3)
    """
    parser.add_argument("system", nargs="?", help=system_help)
    parser.add_argument("data", nargs="?", help=data_help)
    parser.add_argument("--example", action="store_true", help=example_help)
    add_data_options(parser)


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """The options of reading DATA: the sheet, the header row, the id and phase columns, and
    ``--problems`` (write every problem to a file for the office to correct)."""
    group = parser.add_argument_group("reading the data")
    group.add_argument("--sheet", help="Excel sheet of the data (name or 0-based index)")
    group.add_argument(
        "--header-row",
        type=int,
        metavar="ROW",
        help="row of the column names (default: found below any title rows)",
    )
    group.add_argument(
        "--id-column",
        metavar="COLUMN",
        help="column of the community ids (default: community_id, 小区名称, 小区, 名称 ...)",
    )
    group.add_argument(
        "--phase-column",
        metavar="COLUMN",
        help="column of the phases (default: phase, 阶段, 时期 ...)",
    )
    group.add_argument(
        "--problems",
        metavar="FILE",
        help="write every problem of the input to FILE (.xlsx or .csv: row, community, "
        "column, value, problem, fix), headers in Chinese with --lang zh",
    )


def load_system_arg(args: argparse.Namespace, usage: str) -> Any:
    """The indicator system named by ``args.system``; without one a :class:`UsageError`
    with the message ``usage``."""
    from renoscore import load_system

    if not args.system:
        raise UsageError(usage)
    return load_system(args.system)


def read_data_arg(
    path: str, system: Any, sheet: str | int | None = None, args: argparse.Namespace | None = None
) -> Any:
    """Community data from any file :func:`renoscore.io.read_data` reads (JSON too), read as
    the data options of ``args`` say (:func:`add_data_options`)."""
    from renoscore.io import read_data

    options: dict[str, Any] = {}
    if sheet is not None:
        options["sheet"] = int(sheet) if isinstance(sheet, str) and sheet.isdigit() else sheet
    if args is not None:
        for name in ("header_row", "id_column", "phase_column"):
            value = getattr(args, name, None)
            if value is not None:
                options[name] = value
    return read_data(path, system, **options)


def load_panel_arg(args: argparse.Namespace, system: Any) -> Any:
    """The expert panel of ``--panel``, or None."""
    from renoscore import load_panel

    return load_panel(args.panel, system) if getattr(args, "panel", None) else None


def load_weights_arg(spec: str | None, system: Any) -> Any:
    """Frozen weights when ``spec`` is a file; otherwise ``spec`` itself (a method name)."""
    from renoscore import load_weights

    if spec and (Path(spec).is_file() or spec.lower().endswith((".yaml", ".yml", ".json"))):
        return load_weights(spec, system)  # a file that is not there is said to be missing
    return spec


def system_and_data(args: argparse.Namespace, need_data: bool) -> tuple[Any, Any]:
    """The system and the data of ``SYSTEM [DATA] [--sheet S]``, or the bundled ones with
    ``--example``; a sheet given by digits is an index."""
    from renoscore import default_system, example_data

    if getattr(args, "example", False):
        return default_system(), example_data()
    system = load_system_arg(args, "give SYSTEM (a YAML path or shipped name) or --example")
    data_arg = getattr(args, "data", None)
    if need_data and not data_arg:
        raise UsageError("give DATA (a CSV/Excel/Parquet path) or --example")
    data = read_data_arg(data_arg, system, getattr(args, "sheet", None), args) if data_arg else None
    return system, data


class Configuration(NamedTuple):
    """What a scoring command scores, as it resolved the command line.

    ``weights`` is what :func:`renoscore.evaluate` takes (frozen weights, a method name or
    None); ``options`` are the scoring options, validated (its ``options=``).
    """

    system: Any
    data: Any
    panel: Any
    weights: Any
    options: ScoringOptions


def add_configuration(
    parser: argparse.ArgumentParser,
    example_help: str | None = "use the bundled system and communities (declared weights)",
    *,
    data_help: str | None = "community data (CSV, Excel, Parquet, JSON)",
    methods: bool = True,
    missing_help: str | None = _MISSING_HELP,
) -> None:
    """The inputs every scoring command takes, the same everywhere: SYSTEM, DATA,
    ``--example``, the options that say how to read the data (``--sheet``, ``--header-row``,
    ...), ``--panel``, ``--weights`` and the scoring options.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_configuration(parser)
    >>> args = parser.parse_args(["--example", "--panel", "panel_example"])
    >>> args.example, args.panel, args.weights, configuration(args).options.missing
    (True, 'panel_example', None, 'renormalize')
    """
    add_inputs(parser, example_help, data_help=data_help)
    parser.add_argument(
        "--panel",
        help="expert panel YAML or shipped name (e.g. panel_example): every group it judges is "
        "weighted by AHP unless --weights says otherwise",
    )
    parser.add_argument(
        "--weights",
        help="frozen weights (YAML/JSON) or a method name (equal, ahp, entropy, critic, "
        "combined); default: the system's declared weighting",
    )
    add_scoring_options(parser, methods=methods, missing_help=missing_help)


def configuration(args: argparse.Namespace, need_data: bool = True) -> Configuration:
    """The system, data, panel, weights and scoring options of a command line.

    One rule for every command: ``--example`` gives the bundled system and communities; the
    panel is ``--panel`` (none by default); the weights are ``--weights`` (a file or a method
    name) or, without it, the panel's AHP where it judges and the system's declared weighting
    elsewhere (:func:`renoscore.pipeline.configuration.resolve_weights`); the options are
    :func:`scoring_options`.

    Raises
    ------
    UsageError
        Neither SYSTEM and DATA nor ``--example``.
    """
    system, data = system_and_data(args, need_data)
    panel = load_panel_arg(args, system)
    weights = load_weights_arg(getattr(args, "weights", None), system)
    return Configuration(system, data, panel, weights, scoring_options(args))


# ----------------------------------------------------------------------------- outputs
#: The input arguments of the sub-commands, as the messages name them.
_INPUT_ARGS = {
    "system": "SYSTEM",
    "data": "DATA",
    "responses": "RESPONSES",
    "panel": "--panel",
    "weights": "--weights",
    "scales": "--scales",
    "households": "--households",
    "merge": "--merge",
}


def run_inputs(args: argparse.Namespace) -> dict[str, str]:
    """The files a run reads, keyed by what they are ("the DATA input of this run").

    Examples
    --------
    >>> run_inputs(argparse.Namespace(system="old_community_renovation", data="c.csv"))
    {'the SYSTEM input of this run': 'old_community_renovation', 'the DATA input of this run': 'c.csv'}
    """
    out: dict[str, str] = {}
    for name, shown in _INPUT_ARGS.items():
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            out[f"the {shown} input of this run"] = value
    return out


def add_force(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--force``: replace an output file (``-o``, ``--problems``) if it exists (never an
    input of the run); a parser that has it already is left as it is.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_force(parser)
    >>> add_force(parser)
    >>> parser.parse_args(["--force"]).force
    True
    """
    if "--force" in parser._option_string_actions:
        return
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output file (-o, --problems) if it exists (an input of the run is "
        "never replaced)",
    )


#: The suffixes ``--problems FILE`` writes.
PROBLEM_SUFFIXES = (".xlsx", ".csv")
#: The output arguments of the sub-commands, as the messages name them.
_OUTPUT_ARGS = {"output": "the -o output", "problems": "the --problems file"}


def _outputs_and_inputs(args: argparse.Namespace, output: str) -> dict[str, str]:
    """The inputs of the run and its other outputs: the files output ``output`` (an attribute
    of ``args``) may not be written over."""
    out = run_inputs(args)
    for name, shown in _OUTPUT_ARGS.items():
        value = getattr(args, name, None)
        if name != output and isinstance(value, str) and value:
            out[f"{shown} of this run"] = value
    return out


def problems_arg(args: argparse.Namespace) -> Path | None:
    """The ``--problems`` path, checked before any work is done as ``-o`` is
    (:func:`output_arg`); None without ``--problems``.

    Examples
    --------
    >>> args = argparse.Namespace(problems="p.xlsx", output="p.xlsx", force=True)
    >>> problems_arg(args)
    Traceback (most recent call last):
    ...
    renoscore.errors.UsageError: cannot write p.xlsx: it is the -o output of this run, which would be lost -> write the output to another path
    """
    from renoscore._files import check_output

    path = getattr(args, "problems", None)
    if not path:
        return None
    try:
        check_output(
            path,
            inputs=_outputs_and_inputs(args, "problems"),
            overwrite=bool(getattr(args, "force", False)),
            suffixes=PROBLEM_SUFFIXES,
            force_hint="--force",
        )
    except OutputError as exc:
        raise UsageError(one_line(exc)) from None
    return Path(path)


def output_arg(args: argparse.Namespace, suffixes: Sequence[str]) -> Path | None:
    """The ``-o`` path, checked before any work is done; None without ``-o``.

    Refused as a usage error (exit 2): an unknown suffix, an input of the run, a folder, a
    folder that does not exist or cannot be written, and an existing file without
    ``--force``.

    Examples
    --------
    >>> args = argparse.Namespace(output="scores.txt", force=False, data="c.csv")
    >>> output_arg(args, (".csv", ".xlsx"))
    Traceback (most recent call last):
    ...
    renoscore.errors.UsageError: cannot write scores.txt: cannot write a .txt file here -> use one of .csv, .xlsx
    """
    from renoscore._files import check_output

    if not getattr(args, "output", None):
        return None
    try:
        check_output(
            args.output,
            inputs=_outputs_and_inputs(args, "output"),
            overwrite=bool(getattr(args, "force", False)),
            suffixes=suffixes,
            force_hint="--force",
        )
    except OutputError as exc:
        raise UsageError(one_line(exc)) from None
    return Path(args.output)


def write_csv_records(
    records: Sequence[Mapping[str, Any]], path: Path, *, overwrite: bool = False
) -> None:
    """Write records as a UTF-8 CSV with a header (through :func:`renoscore.io.write_table`:
    whole or not at all, formula-like text neutralised)."""
    from renoscore.io import write_table

    write_table(list(records), path, format="csv", overwrite=overwrite)


def write_json(doc: Any, path: Path, *, overwrite: bool = False) -> None:
    """Write a document as indented UTF-8 JSON (values JSON does not know as text)."""
    from renoscore._files import write_text

    text = json.dumps(doc, ensure_ascii=False, indent=1, default=str)
    write_text(path, text, overwrite=overwrite)
