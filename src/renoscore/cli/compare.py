"""``renoscore compare``: what changed between two phases of the same communities.

Prints the change of every community's score between the phases and a JSON summary (mean
change, share improved, share with a grade up, mean change per dimension).

Examples
--------
``renoscore compare --example --phases t0 t1``
``renoscore compare SYSTEM DATA --phases t0 t1 --missing impute_mean``
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from renoscore._format import cell_percent
from renoscore.cli import _common

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``compare`` sub-command (two phases of one data set)."""
    c = subparsers.add_parser("compare", help="compare two phases of the same communities")
    c.add_argument("--phases", nargs=2, metavar=("BEFORE", "AFTER"))
    _common.add_configuration(c)
    c.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the output")


def run(args: argparse.Namespace) -> int:
    """Evaluate the data, then print the change between two phases and its summary.

    Raises
    ------
    RenoscoreError
        Invalid system or data, or phases the data does not have (exit 1).
    UsageError
        No SYSTEM and DATA, nor ``--example`` (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["compare", "--example", "--phases", "t0", "t1"])  # doctest: +ELLIPSIS
    community  before  after  change
    JS03         43.0   76.7   +33.7
    ...
     "share_improved": 1.0,
    ...
    0
    """
    from renoscore import compare, evaluate

    system, data, panel, weights, options = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=options)
    phases = tuple(args.phases) if args.phases else None
    cmp = compare(result, phases=phases)
    print(cmp.table(lang=args.lang))
    if args.lang == "zh":
        print(_summary_zh(cmp))
    else:
        print(json.dumps(cmp.summary(), ensure_ascii=False, indent=1))
    return 0


def _summary_zh(cmp: Any) -> str:
    """The comparison's summary as Chinese lines (the English summary is JSON).

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> print(_summary_zh(rs.compare(r, phases=("t0", "t1"))))  # doctest: +ELLIPSIS
    改造前 → 改造后一年：12个小区两个阶段均有评价，使用相同的权重与目标值。
    综合得分平均变化：+24.8分
    得分提高的小区比例：100%
    等级提升的小区比例：100%
    各维度平均变化：设施 +42.8分；公共服务 +11.0分；...
    """
    from renoscore._vocabulary import phase_word
    from renoscore.report._words import WORDS

    t, s = WORDS["zh"], cmp.summary()

    def points(x: float | None) -> str:
        return "–" if x is None else f"{x:+.1f}分"

    dims = "；".join(
        f"{cmp.system.node(d).name.zh} {points(v)}"
        for d, v in s["mean_change_by_dimension"].items()
    )
    intro = t["comparison_intro"].format(
        b=phase_word(cmp.system, cmp.before_phase, "zh"),
        a=phase_word(cmp.system, cmp.after_phase, "zh"),
        n=s["communities_compared"],
    )
    return "\n".join(
        [
            intro,
            f"{t['mean_change']}：{points(s['mean_change'])}",
            f"{t['share_improved']}：{cell_percent(s['share_improved'])}",
            f"{t['share_grade_up']}：{cell_percent(s['share_grade_up'])}",
            f"{t['by_dimension']}：{dims}",
        ]
    )
