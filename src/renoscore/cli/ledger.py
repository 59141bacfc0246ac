"""``renoscore ledger``: export the problem ledger (问题台账) and check one read back.

``ledger export`` writes every unmet renovation item of the example (or SYSTEM DATA, read with
the data options every command shares) with its responsible unit, measure, quantity and unit,
cost, funding sources and planned completion date (Excel sheet 问题台账 with Chinese headers
under ``--lang zh``, the default); with ``--budget`` the lines the plan funds are marked.
``ledger check FILE`` reads a ledger back (found below any title rows), validates every line
(statuses from the declared list, no sign-off without a completion date) and prints the count
of lines by status; exit 1 with every problem listed when a line is wrong.

Examples
--------
``renoscore ledger export --example --budget 3000万 -o 台账.xlsx``
``renoscore ledger export SYSTEM DATA --sheet 2024 --header-row 3 -o 台账.xlsx``
``renoscore ledger check 台账.xlsx``
"""

from __future__ import annotations

import argparse
import datetime as dt

from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]

#: The suffixes ``export -o`` writes.
_SUFFIXES = (".xlsx", ".csv", ".json")


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``ledger`` sub-command (``export`` and ``check``)."""
    c = subparsers.add_parser("ledger", help="export the problem ledger (问题台账) or check one")
    actions = c.add_subparsers(dest="action", required=True, metavar="{export,check}")
    e = actions.add_parser("export", help="write the ledger of SYSTEM DATA (or --example)")
    _common.add_configuration(e, "export the bundled example's ledger", methods=False)
    e.add_argument("--budget", help="mark the lines a plan with this budget funds")
    e.add_argument("--deadline", help="planned completion date of funded lines (YYYY-MM-DD)")
    e.add_argument("--lang", choices=["en", "zh"], default="zh")
    e.add_argument("-o", "--output", required=True, help="the ledger file (.xlsx, .csv or .json)")
    _common.add_force(e)
    k = actions.add_parser("check", help="read a ledger back and validate every line")
    k.add_argument("file", help="the ledger (.xlsx, .csv)")
    k.add_argument("--sheet", help="Excel sheet of the ledger (name or 0-based index)")


def run(args: argparse.Namespace) -> int:
    """Export or check a ledger.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from renoscore.cli import main
    >>> out = str(pathlib.Path(tempfile.mkdtemp()) / "l.csv")
    >>> main(["ledger", "export", "--example", "--budget", "3000万", "-o", out])  # doctest: +ELLIPSIS
    已写入809条至 ...l.csv
    0
    >>> main(["ledger", "check", out])  # doctest: +ELLIPSIS
    问题台账：共809条；未启动 809；实施中 0；已完成 0；已销号 0；暂缓实施 0
    0
    """
    if args.action == "check":
        return _check(args)
    return _export(args)


def _export(args: argparse.Namespace) -> int:
    from renoscore import evaluate
    from renoscore.programme import default_costs, plan_programme, renovation_items
    from renoscore.programme._words import word
    from renoscore.programme.ledger import build_ledger

    out = _common.output_arg(args, _SUFFIXES)
    if out is None:  # argparse requires -o; kept for the type checker
        raise UsageError("give -o FILE (.xlsx, .csv or .json)")
    try:
        deadline = dt.date.fromisoformat(args.deadline) if args.deadline else None
    except ValueError:
        raise UsageError(f"--deadline {args.deadline!r}: write YYYY-MM-DD") from None
    system, data, panel, weights, options = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=options)
    source = (
        plan_programme(result, args.budget)
        if args.budget
        else renovation_items(result, default_costs(system))
    )
    ledger = build_ledger(source, lang=args.lang, deadline=deadline)
    path = ledger.save(out, overwrite=args.force, inputs=_common.run_inputs(args))
    print(word(args.lang, "wrote_lines").format(n=len(ledger.entries), path=path))
    return 0


def _check(args: argparse.Namespace) -> int:
    from renoscore._vocabulary import LEDGER_STATUS
    from renoscore.programme._words import word
    from renoscore.programme.ledger import read_ledger

    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    ledger = read_ledger(args.file, sheet=sheet)
    words = LEDGER_STATUS[ledger.lang]
    sep = "；" if ledger.lang == "zh" else "; "
    counts = sep.join(f"{words[k]} {v}" for k, v in ledger.status_counts().items())
    print(word(ledger.lang, "ledger_lines").format(n=len(ledger.entries), counts=counts))
    return 0
