"""What every ``renoscore`` sub-command shares: the parser, the exit codes, the arguments.

One parser builder (:func:`build_parser`), one usage error (:class:`UsageError`), one printer
of problems (:func:`print_problems`), one runner that turns exceptions into exit codes
(:func:`run_command_line`: 0 success, 1 invalid input, 2 usage error), and the argument helpers
several sub-commands use: the scoring options, the system, data, panel and weights arguments
(with ``--example``), and the CSV and JSON writers.

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
>>> scoring_options(args)
{'normalization': 'goalposts', 'aggregation': 'geometric', 'missing': 'renormalize'}
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from renoscore._display import display_width, pad
from renoscore.errors import MissingDependencyError, RenoscoreError, UsageError

__all__ = [
    "MISSING_POLICIES",
    "SCORING_OPTIONS",
    "Command",
    "Subparsers",
    "UsageError",
    "add_inputs",
    "add_scoring_options",
    "build_parser",
    "exit_2_on_usage_error",
    "load_panel_arg",
    "load_system_arg",
    "load_weights_arg",
    "print_problems",
    "read_data_arg",
    "run_command_line",
    "scoring_options",
    "system_and_data",
    "write_csv_records",
    "write_json",
]

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subparsers = Any

#: The missing-data policies the command line offers.
MISSING_POLICIES = ["error", "renormalize", "impute_mean", "impute_median"]

#: The keyword arguments of :func:`renoscore.evaluate` that choose how it scores; those a
#: sub-command declares are passed on by :func:`scoring_options`.
SCORING_OPTIONS = (
    "normalization",
    "aggregation",
    "missing",
    "min_coverage",
    "impute_by",
    "tie_method",
    "tie_tolerance",
)

_MISSING_HELP = "missing-data policy (default: error; renormalize with --example)"


class Command(Protocol):
    """A sub-command: a module with ``add_parser(subparsers)`` and ``run(args)``."""

    def add_parser(self, subparsers: Subparsers) -> None:
        """Add the sub-command's parser to ``renoscore``'s sub-parsers."""

    def run(self, args: argparse.Namespace) -> int:
        """Run the sub-command with parsed arguments; return the exit code."""


# ----------------------------------------------------------------------------- parser, exit codes
def build_parser(commands: Iterable[Command]) -> argparse.ArgumentParser:
    """The ``renoscore`` parser with the sub-commands, in the order given.

    Examples
    --------
    >>> build_parser([]).parse_args(["--version"]).version
    True
    """
    parser = argparse.ArgumentParser(
        prog="renoscore",
        description="Score, rank and explain the renovation of old residential communities.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command")
    for command in commands:
        command.add_parser(subparsers)
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
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = exit_2_on_usage_error(commands[args.command].run)(args)
        # A command may evaluate the same inputs more than once (the report and its rank
        # stability draws, the audit's own evaluation): each warning is said once.
        for message in dict.fromkeys(str(item.message) for item in caught):
            print(f"warning: {message}", file=sys.stderr)
        return code
    except RenoscoreError as exc:
        print_problems(exc)
        return 1
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def print_problems(exc: RenoscoreError) -> None:
    """Print an error's summary and its problems as a table (where, problem, fix) to stderr.

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
    if not exc.problems:
        return
    rows = [
        (
            p.location,
            p.reason + (f" (value {p.value!r})" if p.value is not None else ""),
            p.fix or "",
        )
        for p in exc.problems
    ]
    widths = [min(40, max(display_width(r[i]) for r in rows)) for i in range(2)]
    print(f"  {pad('where', widths[0])}  {pad('problem', widths[1])}  fix", file=sys.stderr)
    for where, what, fix in rows:
        print(f"  {pad(where, widths[0])}  {pad(what, widths[1])}  {fix}".rstrip(), file=sys.stderr)


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


# ----------------------------------------------------------------------------- scoring options
def add_scoring_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    *,
    methods: bool = True,
    missing_default: str | None = None,
    missing_help: str | None = _MISSING_HELP,
) -> None:
    """Add the scoring options (``--missing``; with ``methods`` also ``--normalization`` and
    ``--aggregation``) to a sub-command's parser or argument group.

    Parameters
    ----------
    parser : argparse.ArgumentParser or argument group
    methods : bool
        Also offer the normalization and aggregation methods.
    missing_default : str, optional
        The default of ``--missing``; None means error, or renormalize with ``--example``.
    missing_help : str, optional
        The help text of ``--missing``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_scoring_options(parser, methods=False, missing_default="renormalize")
    >>> parser.parse_args([]).missing
    'renormalize'
    """
    parser.add_argument(
        "--missing", default=missing_default, choices=MISSING_POLICIES, help=missing_help
    )
    if methods:
        parser.add_argument("--normalization", default="goalposts", choices=["goalposts", "minmax"])
        parser.add_argument(
            "--aggregation", default="arithmetic", choices=["arithmetic", "geometric"]
        )


def scoring_options(args: argparse.Namespace) -> dict[str, Any]:
    """The scoring options a sub-command declared, as keyword arguments of
    :func:`renoscore.evaluate`.

    Without ``--missing`` the policy is ``error``, or ``renormalize`` with ``--example``.

    Examples
    --------
    >>> scoring_options(argparse.Namespace(missing=None, example=False))
    {'missing': 'error'}
    """
    options = {name: getattr(args, name) for name in SCORING_OPTIONS if hasattr(args, name)}
    options["missing"] = args.missing or ("renormalize" if args.example else "error")
    return options


# ----------------------------------------------------------------------------- inputs
def add_inputs(
    parser: argparse.ArgumentParser,
    example_help: str | None,
    *,
    system_help: str | None = "indicator system YAML (or a shipped name)",
    data_help: str | None = "community data (CSV, Excel, Parquet)",
) -> None:
    """Add the optional positional arguments ``system`` and ``data``, and ``--example``.

    ``--help`` lists positional arguments apart from the options, so where the call stands
    among the options decides only where ``--example`` is listed.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_inputs(parser, "use the bundled system and data")
    >>> args = parser.parse_args(["old_community_renovation"])
    >>> args.system, args.data, args.example
    ('old_community_renovation', None, False)
    """
    parser.add_argument("system", nargs="?", help=system_help)
    parser.add_argument("data", nargs="?", help=data_help)
    parser.add_argument("--example", action="store_true", help=example_help)


def load_system_arg(args: argparse.Namespace, usage: str) -> Any:
    """The indicator system named by ``args.system``; without one a :class:`UsageError`
    with the message ``usage``."""
    from renoscore import load_system

    if not args.system:
        raise UsageError(usage)
    return load_system(args.system)


def read_data_arg(path: str, system: Any, sheet: str | int | None = None) -> Any:
    """Community data from any file :func:`renoscore.io.read_data` reads (JSON too)."""
    from renoscore.io import read_data

    options = {"sheet": sheet} if sheet is not None else {}
    return read_data(path, system, **options)


def load_panel_arg(args: argparse.Namespace, system: Any) -> Any:
    """The expert panel of ``--panel``, or None."""
    from renoscore import load_panel

    return load_panel(args.panel, system) if getattr(args, "panel", None) else None


def load_weights_arg(spec: str | None, system: Any) -> Any:
    """Frozen weights when ``spec`` is a file; otherwise ``spec`` itself (a method name)."""
    from renoscore import load_weights

    if spec and Path(spec).is_file():
        return load_weights(spec, system)
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
    sheet = getattr(args, "sheet", None)
    index = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    data = read_data_arg(data_arg, system, index) if data_arg else None
    return system, data


# ----------------------------------------------------------------------------- outputs
def write_csv_records(records: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Write records as a UTF-8 CSV with a header (the keys of the first record)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]) if records else [])
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in records)


def write_json(doc: Any, path: Path) -> None:
    """Write a document as indented UTF-8 JSON (values JSON does not know as text)."""
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
