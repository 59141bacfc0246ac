"""Arguments of the commands that compare phases or estimate an effect: the measurement error
of the values (``--survey``, ``--sd``, ``--measurement-error``, ``--level``) and the renovated
communities (``--treated``, ``--treated-column``).

Used by ``compare``, ``report`` and ``effect``; the rest of what sub-commands share is in
:mod:`renoscore.cli._common`.

Examples
--------
>>> parser = argparse.ArgumentParser()
>>> add_treated(parser)
>>> parser.parse_args(["--treated", "LY", "JS03"]).treated
['LY', 'JS03']
"""

from __future__ import annotations

import argparse
from typing import Any

from renoscore.errors import UsageError

__all__ = [
    "add_treated",
    "add_value_errors",
    "marked_communities",
    "treated_communities",
    "value_errors",
]


def add_value_errors(parser: argparse.ArgumentParser) -> None:
    """The measurement error of the values, for the intervals of changes: ``--survey``,
    ``--sd``, ``--measurement-error`` and ``--level``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_value_errors(parser)
    >>> parser.parse_args(["--sd", "c_trust=0.1", "--level", "0.9"]).sd
    ['c_trust=0.1']
    """
    parser.add_argument(
        "--survey",
        metavar="RESPONSES",
        help="resident survey answers: the standard errors of the survey means it feeds "
        "(with --example: the bundled survey)",
    )
    parser.add_argument(
        "--sd",
        action="append",
        default=[],
        metavar="INDICATOR=SD",
        help="measurement sd of one indicator: a number, or a context column of standard "
        "errors (repeatable)",
    )
    parser.add_argument(
        "--measurement-error",
        type=float,
        metavar="FRACTION",
        help="sd of every other non-binary indicator as this share of its goalpost span",
    )
    parser.add_argument(
        "--level", type=float, default=0.95, help="confidence level of the intervals (0.95)"
    )


def value_errors(args: argparse.Namespace, system: Any, data: Any) -> tuple[Any, Any]:
    """The standard errors (an (N, M) array or None) and the declared measurement error.

    ``--survey`` (or, with ``--example`` and no other source, the bundled survey) gives the
    standard errors of the survey means; ``--sd`` and ``--measurement-error`` declare the
    rest; the system's ``measurement_sd`` applies where nothing else does.

    Raises
    ------
    UsageError
        A malformed ``--sd``.
    """
    sd: dict[str, float | str] = {}
    for item in getattr(args, "sd", []):
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise UsageError(f"--sd needs INDICATOR=SD, got {item!r}")
        try:
            sd[name] = float(value)
        except ValueError:
            sd[name] = value
    fraction = getattr(args, "measurement_error", None)
    spec = _measurement_arg(sd, fraction) if sd or fraction is not None else None
    source = getattr(args, "survey", None)
    if source is None and getattr(args, "example", False) and spec is None:
        from renoscore.survey import example_responses_path

        source = str(example_responses_path())
    if source is None:
        return None, spec
    from renoscore.survey import read_responses, score_survey

    scores = score_survey(read_responses(source, system), warn=False)
    return scores.standard_errors(data), spec


#: Cells of a context column that mean "not renovated".
_NOT_MARKED = frozenset({"", "0", "0.0", "no", "false", "n", "否", "未改造"})


def _measurement_arg(sd: dict[str, float | str], fraction: float | None) -> Any:
    """``--sd`` and ``--measurement-error`` as a :class:`MeasurementError`, or a usage error
    naming the option (an sd below 0, a fraction outside [0, 1])."""
    from pydantic import ValidationError

    from renoscore._measurement import MeasurementError

    try:
        return MeasurementError(sd=sd, span_fraction=fraction)
    except ValidationError as exc:
        first = exc.errors()[0]
        option = "--measurement-error" if first["loc"][:1] == ("span_fraction",) else "--sd"
        shown = first.get("input")
        raise UsageError(f"{option}: {first['msg'].lower()} (got {shown!r})") from None


def add_treated(parser: argparse.ArgumentParser) -> None:
    """Which communities were renovated: ``--treated ID ...`` or ``--treated-column COLUMN``."""
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--treated", nargs="+", metavar="ID", help="ids of the renovated communities")
    who.add_argument(
        "--treated-column",
        metavar="COLUMN",
        help="context column marking renovated communities (any non-empty value but 0/no)",
    )


def treated_communities(args: argparse.Namespace, result: Any) -> list[str] | None:
    """The renovated communities a command line names (None when it names none)."""
    if getattr(args, "treated", None):
        return list(args.treated)
    if getattr(args, "treated_column", None):
        return marked_communities(result, args.treated_column)
    return None


def marked_communities(result: Any, column: str) -> list[str]:
    """Communities with a value other than empty, 0 or no in a context column of a result.

    Raises
    ------
    OptionError
        The result has no such context column.
    """
    from renoscore._validation import suggest
    from renoscore.errors import OptionError, Problem

    if column not in result.context:
        raise OptionError(
            f"no context column {column!r}",
            [Problem("unknown column", column=column, fix=suggest(column, result.context))],
        )
    cells = result.context[column]
    return sorted(
        {
            cid
            for cid, cell in zip(result.ids, cells, strict=True)
            if cell is not None and str(cell).strip().lower() not in _NOT_MARKED
        }
    )
