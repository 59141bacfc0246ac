"""``renoscore compare``: what changed between two phases of the same communities.

Prints the change of every community's score between the phases with its interval and class
(improved, no clear change, worse) and a JSON summary (mean change, the classes counted,
share with a grade up, mean change per dimension). The intervals come from the standard
errors of a survey (``--survey``; with ``--example`` the bundled one), declared measurement
error (``--sd``, ``--measurement-error``) and the system's ``measurement_sd``.

Examples
--------
``renoscore compare --example --phases t0 t1``
``renoscore compare SYSTEM DATA --phases t0 t1 --survey answers.csv -o changes.xlsx``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from renoscore._format import cell_percent
from renoscore._vocabulary import CONSOLE
from renoscore.cli import _change_args, _common

_OUTPUT_SUFFIXES = (".xlsx", ".csv", ".json", ".parquet")

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``compare`` sub-command (two phases of one data set)."""
    c = subparsers.add_parser("compare", help="compare two phases of the same communities")
    c.add_argument("--phases", nargs=2, metavar=("BEFORE", "AFTER"))
    _common.add_configuration(c)
    c.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the output")
    _change_args.add_value_errors(c)
    c.add_argument(
        "--community", help="also print this community's change on every node and indicator"
    )
    c.add_argument(
        "-o", "--output", help="write the result with a comparison table (.xlsx, .csv or .json)"
    )


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
    community  before  after  change  95% interval    class
    GC06         39.9   80.8   +40.9  [+39.6, +42.1]  improved
    ...
     "share_improved": 1.0,
    ...
    0
    """
    from renoscore import compare, evaluate

    output = _common.output_arg(args, _OUTPUT_SUFFIXES)
    system, data, panel, weights, options = _common.configuration(args)
    standard_errors, measurement = _change_args.value_errors(args, system, data)
    result = evaluate(system, data, weights, panel=panel, options=options)
    phases = tuple(args.phases) if args.phases else None
    cmp = compare(
        result,
        phases=phases,
        standard_errors=standard_errors,
        measurement=measurement,
        level=args.level,
    )
    print(cmp.table(lang=args.lang))
    if args.lang == "zh":
        print(_summary_zh(cmp))
    else:
        print(json.dumps(cmp.summary(), ensure_ascii=False, indent=1))
    if args.community:
        _print_nodes(cmp, args.community, args.lang)
    if output is not None:
        _write(result, cmp, output)
        print(CONSOLE[args.lang]["wrote"].format(path=args.output))
    return 0


def _summary_zh(cmp: Any) -> str:
    """The comparison's summary as Chinese lines (the English summary is JSON).

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> print(_summary_zh(rs.compare(r, phases=("t0", "t1"))))  # doctest: +ELLIPSIS
    改造前现状评估 → 改造后一年：12个小区两个阶段均有评价，使用相同的权重与目标值。
    综合得分平均变化：+32.6分
    得分明显提高的小区比例：100%
    变化判定：改善 12个；无明显变化 0个；下降 0个
    等级提升的小区比例：100%
    各维度平均变化：设施改造 +52.0分；公共服务 +16.8分；...
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
            f"{t['change_classes']}："
            + "；".join(
                f"{CONSOLE['zh'][k.replace(' ', '_')]} {n}个" for k, n in s["changes"].items()
            ),
            f"{t['share_grade_up']}：{cell_percent(s['share_grade_up'])}",
            f"{t['by_dimension']}：{dims}",
        ]
    )


def _print_nodes(cmp: Any, community: str, lang: str) -> None:
    """One community's change on every node with its interval and class."""
    from renoscore._display import text_table

    words = CONSOLE[lang]
    print(f"\n{community}: {cmp.before_phase} -> {cmp.after_phase}")
    rows = []
    for rec in cmp.node_records(community):
        if rec["change"] is None:
            continue
        name = cmp.system.node(rec["node"]).name.zh if lang == "zh" else rec["node"]
        rows.append(
            [
                name,
                f"{rec['before']:.1f}",
                f"{rec['after']:.1f}",
                f"{rec['change']:+.1f}",
                f"[{rec['change_low']:+.1f}, {rec['change_high']:+.1f}]",
                words[rec["change_class"].replace(" ", "_")],
            ]
        )
    head = [
        words["indicator"],
        *(words[k] for k in ("before", "after", "change")),
        words["change_interval"].format(level=f"{cmp.level:.0%}"),
        words["change_class"],
    ]
    print(text_table(head, rows, align="<>>><<", rule=False))


def _write(result: object, cmp: object, path: Path) -> None:
    """The result with its comparison: Excel (one sheet per table) or the comparison table.

    ``path`` was checked before any work by :func:`_common.output_arg` (``--force``
    included), so it is replaced here.
    """
    from renoscore.io import write_result

    table = None if path.suffix.lower() == ".xlsx" else "comparison"
    write_result(result, path, comparison=cmp, table=table, overwrite=True)  # type: ignore[arg-type]
