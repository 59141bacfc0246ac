"""``renoscore plan``: the budgeted priority list of a renovation programme.

Prints the plan's summary (budget, spent, items and basic items funded, expected gain, the
marginal value of another 1,000,000 yuan), the funded items and the expected gain of each
community; ``-o plan.xlsx`` writes the items (with the reason of every decision), the
communities and the problem ledger (问题台账) as sheets. Amounts are 元, 万元 or 亿元
(``3000万``, ``0.3亿``, ``30000000``), parsed strictly.

Examples
--------
``renoscore plan --example --budget 3000万``
``renoscore plan SYSTEM DATA --budget 0.5亿 --cap 金水区=1500万 --willingness p_plan_approval``
``renoscore plan --example --budget 3000万 --lang zh -o plan.xlsx``
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from renoscore._vocabulary import CONSOLE
from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]


#: The suffixes ``-o`` writes.
_SUFFIXES = (".xlsx", ".csv", ".json")


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``plan`` sub-command."""
    c = subparsers.add_parser("plan", help="choose what to fund under a budget (exact optimum)")
    _common.add_configuration(
        c, "plan the bundled example communities with the shipped cost table", methods=False
    )
    c.add_argument("--budget", required=True, help="the budget: 3000万, 0.3亿 or 30000000 (yuan)")
    c.add_argument("--costs", help="cost table YAML (default: the shipped one)")
    c.add_argument("--phase", help="the phase the items come from (default: the first)")
    c.add_argument(
        "--cap",
        action="append",
        default=[],
        metavar="DISTRICT=AMOUNT",
        help="most a district may spend, e.g. 金水区=800万 (repeat for more)",
    )
    c.add_argument("--district-column", default="district")
    c.add_argument(
        "--willingness",
        nargs="+",
        default=[],
        metavar="COLUMN",
        help="context columns or indicators with residents' willingness shares",
    )
    c.add_argument("--min-willingness", type=float, help="entry threshold, e.g. 0.667")
    c.add_argument("--extra", default="100万", help="budget added for the marginal value")
    c.add_argument("--top", type=_common.count(0), default=30, help="funded items printed (0: all)")
    c.add_argument("--lang", choices=["en", "zh"], default="en")
    c.add_argument(
        "-o",
        "--output",
        help="write items, communities and ledger (.xlsx; or .csv/.json: the items, and the "
        "ledger beside them as <name>_ledger.csv/.json)",
    )
    _common.add_force(c)


def _caps(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, amount = pair.partition("=")
        if not sep or not name.strip() or not amount.strip():
            raise UsageError(f"--cap {pair!r}: write DISTRICT=AMOUNT, e.g. 金水区=800万")
        out[name.strip()] = amount.strip()
    return out


def run(args: argparse.Namespace) -> int:
    """Evaluate, plan and print the plan; write the tables with ``-o``.

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["plan", "--example", "--budget", "3000万", "--top", "3"])  # doctest: +ELLIPSIS
    budget: 30 million yuan; spent: ...
    ...
    0
    >>> main(["plan", "--example", "--budget", "3000w"])  # doctest: +ELLIPSIS
    1
    """
    from renoscore import evaluate
    from renoscore.programme import load_costs, plan_programme

    out = _outputs(args)
    caps = _caps(args.cap)
    system, data, panel, weights, options = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=options)
    plan = plan_programme(
        result,
        args.budget,
        costs=load_costs(args.costs) if args.costs else None,
        phase=args.phase or "auto",
        district_caps=caps,
        district_column=args.district_column,
        willingness=args.willingness,
        min_willingness=args.min_willingness,
        extra=args.extra,
    )
    print(plan.summary(args.lang))
    print()
    print(plan.table(args.lang, top=args.top or None))
    print()
    print(_communities(plan, args.lang, args.top))
    if out is not None:
        for path in plan.save(out, args.lang, overwrite=args.force, inputs=_inputs(args)):
            print(CONSOLE[args.lang]["wrote"].format(path=path))
    return 0


def _outputs(args: argparse.Namespace) -> Path | None:
    """The ``-o`` path, and with .csv or .json the ledger written beside it, checked before
    any work (:func:`renoscore.cli._common.output_arg`); None without ``-o``."""
    from renoscore.programme.plan import ledger_path

    out = _common.output_arg(args, _SUFFIXES)
    if out is not None and out.suffix.lower() != ".xlsx":
        beside = argparse.Namespace(**{**vars(args), "output": str(ledger_path(out))})
        _common.output_arg(beside, _SUFFIXES)
    return out


def _inputs(args: argparse.Namespace) -> dict[str, str]:
    """The files the run read (never written over), the cost table too."""
    inputs = _common.run_inputs(args)
    if args.costs:
        inputs["the --costs input of this run"] = args.costs
    return inputs


def _communities(plan: Any, lang: str, top: int) -> str:
    """The communities with funded items: score now, expected score and gain."""
    from renoscore._display import text_table
    from renoscore._vocabulary import column_word, context_label

    keys = ("community_id", "name", "funded_items", "score_now", "score_after", "gain")
    rows = [
        [
            r["community_id"],
            r["name"] or "",
            str(r["funded_items"]),
            f"{r['score_now']:.1f}",
            f"{r['score_after']:.1f}",
            f"{r['gain']:+.2f}",
        ]
        for r in plan.community_records(lang)
        if r["funded_items"]
    ][: top or None]
    head = [column_word(k, lang) for k in keys]
    head[1] = context_label(plan.items.result.system, "name", lang)
    return text_table(head, rows, align="<<>>>>", rule=False)
