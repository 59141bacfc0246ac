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

from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``plan`` sub-command."""
    c = subparsers.add_parser("plan", help="choose what to fund under a budget (exact MILP)")
    _common.add_inputs(c, "plan the bundled example communities with the shipped cost table")
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
    c.add_argument("--top", type=int, default=30, help="funded items printed (0: all)")
    c.add_argument("--lang", choices=["en", "zh"], default="en")
    c.add_argument("-o", "--output", help="write items, communities and ledger (.xlsx/.csv/.json)")
    _common.add_scoring_options(c, methods=False, missing_default="renormalize", missing_help=None)


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

    system, data = _common.system_and_data(args, need_data=True)
    result = evaluate(system, data, **_common.scoring_options(args))
    plan = plan_programme(
        result,
        args.budget,
        costs=load_costs(args.costs) if args.costs else None,
        phase=args.phase or "auto",
        district_caps=_caps(args.cap),
        district_column=args.district_column,
        willingness=args.willingness,
        min_willingness=args.min_willingness,
        extra=args.extra,
    )
    print(plan.summary(args.lang))
    print()
    print(plan.table(args.lang, top=args.top or None))
    print()
    for rec in plan.community_records(args.lang)[: args.top or None]:
        if rec["items"]:
            print(
                f"{rec['community_id']:<6} {rec['name'] or '':<10} {rec['items']:>3}  "
                f"{rec['score_now']:5.1f} -> {rec['score_after']:5.1f}  (+{rec['gain']:.2f})"
            )
    if args.output:
        _write(plan, Path(args.output), args.lang)
    return 0


def _write(plan: object, path: Path, lang: str) -> None:
    from renoscore.io.write import write_table
    from renoscore.programme.ledger import build_ledger
    from renoscore.programme.plan import ProgrammePlan

    assert isinstance(plan, ProgrammePlan)
    ledger = build_ledger(plan, lang="zh" if lang == "zh" else "en")
    if path.suffix.lower() == ".xlsx":
        from renoscore.io.write import write_sheets

        write_sheets(
            {
                "plan" if lang == "en" else "项目优先序": plan.records(lang),  # type: ignore[arg-type]
                "communities" if lang == "en" else "小区汇总": plan.community_records(lang),  # type: ignore[arg-type]
                "ledger" if lang == "en" else "问题台账": ledger.records(),
            },
            path,
        )
    else:
        write_table(plan.records(lang), path)  # type: ignore[arg-type]
        ledger.save(path.with_name(f"{path.stem}_ledger{path.suffix}"))
    print(f"wrote {path}")
