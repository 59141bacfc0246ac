"""``renoscore ledger``: export the problem ledger (问题台账) and check one read back.

``ledger export`` writes every unmet renovation item of the example (or SYSTEM DATA) with its
responsible unit, measure, cost, funding sources and planned completion date (Excel sheet
问题台账 with Chinese headers under ``--lang zh``); with ``--budget`` the lines the plan
funds are marked. ``ledger check FILE`` reads a ledger back, validates every line (statuses
from the declared list, no sign-off without a completion date) and prints the count of lines
by status; exit 1 with every problem listed when a line is wrong.

Examples
--------
``renoscore ledger export --example --budget 3000万 --lang zh -o 台账.xlsx``
``renoscore ledger check 台账.xlsx``
"""

from __future__ import annotations

import argparse
import datetime as dt

from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``ledger`` sub-command (``export`` and ``check``)."""
    c = subparsers.add_parser("ledger", help="export the problem ledger (问题台账) or check one")
    c.add_argument("action", choices=["export", "check"])
    c.add_argument("system", nargs="?", help="indicator system (export) or the ledger file (check)")
    c.add_argument("data", nargs="?", help="community data (export)")
    c.add_argument("--example", action="store_true", help="export the bundled example's ledger")
    c.add_argument("--budget", help="mark the lines a plan with this budget funds")
    c.add_argument("--deadline", help="planned completion date of funded lines (YYYY-MM-DD)")
    c.add_argument("--lang", choices=["en", "zh"], default="zh")
    c.add_argument("-o", "--output", help="the ledger file (.xlsx, .csv or .json)")
    _common.add_scoring_options(c, methods=False, missing_default="renormalize", missing_help=None)


def run(args: argparse.Namespace) -> int:
    """Export or check a ledger.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from renoscore.cli import main
    >>> out = str(pathlib.Path(tempfile.mkdtemp()) / "l.xlsx")
    >>> main(["ledger", "export", "--example", "--budget", "3000万", "-o", out])  # doctest: +ELLIPSIS
    wrote ... lines to ...
    0
    >>> main(["ledger", "check", out])  # doctest: +ELLIPSIS
    ledger: ... lines; 未启动 ...
    0
    """
    if args.action == "check":
        return _check(args)
    return _export(args)


def _export(args: argparse.Namespace) -> int:
    from renoscore import evaluate
    from renoscore.programme import default_costs, plan_programme, renovation_items
    from renoscore.programme.ledger import build_ledger

    if not args.output:
        raise UsageError("give -o FILE (.xlsx, .csv or .json)")
    system, data = _common.system_and_data(args, need_data=True)
    result = evaluate(system, data, **_common.scoring_options(args))
    try:
        deadline = dt.date.fromisoformat(args.deadline) if args.deadline else None
    except ValueError:
        raise UsageError(f"--deadline {args.deadline!r}: write YYYY-MM-DD") from None
    source = (
        plan_programme(result, args.budget)
        if args.budget
        else renovation_items(result, default_costs())
    )
    ledger = build_ledger(source, lang=args.lang, deadline=deadline)
    path = ledger.save(args.output)
    print(f"wrote {len(ledger.entries)} lines to {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from renoscore.programme._words import STATUS
    from renoscore.programme.ledger import read_ledger

    if not args.system:
        raise UsageError("give the ledger file: renoscore ledger check FILE")
    ledger = read_ledger(args.system)
    counts = ledger.status_counts()
    words = STATUS[ledger.lang]
    parts = "; ".join(f"{words[k]} {v}" for k, v in counts.items())
    print(f"ledger: {len(ledger.entries)} lines; {parts}")
    return 0
