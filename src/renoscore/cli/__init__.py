"""The ``renoscore`` command.

Exit codes: 0 success, 1 invalid input (every problem is printed as a table), 2 usage error.

Every sub-command is a module of this package with ``add_parser(subparsers)`` and
``run(args)``, listed in :data:`COMMANDS`; what they share (the parser, the exit codes, the
scoring options, the input and output arguments) lives in ``renoscore.cli._common``.

Examples
--------
``renoscore score --example``            rank and grade the bundled example communities
``renoscore validate SYSTEM [DATA]``     check an indicator system and a data table
``renoscore template SYSTEM -o T.xlsx``  a fill-in template of the system for offices
``renoscore weights SYSTEM --panel P``   AHP report: weights and consistency per node and expert
``renoscore score SYSTEM DATA -o out.csv``
``renoscore compare RESULT.json --phases t0 t1``
``renoscore effect SYSTEM DATA --treated-column renovated``  the effect of renovation (DiD)
``renoscore schema``                     the JSON Schema of the indicator-system YAML
``renoscore report --example -o r.html`` the open report (HTML or Markdown, zh or en)
``renoscore notice LY --example -o 公示.html`` one community's one-page notice for residents
``renoscore survey --example``           resident survey answers -> indicators, reliability
``renoscore uncertainty --example``      rank intervals under uncertain judgements and weights
``renoscore audit --example``            statistical audit: data, outliers, correlations, importance
``renoscore plan --example --budget 3000万`` the budgeted priority list (exact optimum)
``renoscore ledger export --example -o 台账.xlsx`` the problem ledger; ``ledger check`` reads it back
"""

from __future__ import annotations

from collections.abc import Sequence

from renoscore.cli import (
    audit,
    compare,
    effect,
    ledger,
    notice,
    plan,
    report,
    schema,
    score,
    survey,
    template,
    uncertainty,
    validate,
    weights,
)
from renoscore.cli._common import Command, run_command_line

__all__ = ["COMMANDS", "main"]

#: The sub-commands, in the order ``renoscore --help`` lists them.
COMMANDS: dict[str, Command] = {
    "validate": validate,
    "template": template,
    "score": score,
    "weights": weights,
    "compare": compare,
    "effect": effect,
    "schema": schema,
    "report": report,
    "notice": notice,
    "survey": survey,
    "uncertainty": uncertainty,
    "audit": audit,
    "plan": plan,
    "ledger": ledger,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Examples
    --------
    >>> main(["frobnicate"])
    2
    """
    return run_command_line(COMMANDS, argv)
