"""``renoscore weights``: derive weights; report AHP consistency per node and expert.

Every node of the system prints its method, the local and global weight of each child and, for
AHP nodes, the consistency ratio of the group and of every expert (left-out experts marked).

Examples
--------
``renoscore weights --example``                     the weights ``score --example`` uses
``renoscore weights --example --panel panel_example``  the example experts' AHP weights
``renoscore weights SYSTEM --panel P -o weights.yaml``

The weights are those every scoring command resolves from the same arguments (the system's
declared weighting; a panel's AHP wherever it judges; or ``--method``).
"""

from __future__ import annotations

import argparse
from typing import Any

from renoscore._display import text_table
from renoscore._vocabulary import CONSOLE, METHOD_NAMES, stakeholder_word
from renoscore.cli import _common

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Register ``weights``; DATA is an option here, for data-driven methods only."""
    w = subparsers.add_parser(
        "weights", help="derive weights; report AHP consistency per node and expert"
    )
    w.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    w.add_argument("--panel", help="expert panel YAML")
    w.add_argument("--data", help="community data for data-driven weights")
    w.add_argument(
        "--method", "--weights", dest="method", help="override every node's method (as --weights)"
    )
    w.add_argument("--example", action="store_true", help="use the bundled system and data")
    w.add_argument("-o", "--output", help="write the frozen weights (.yaml or .json)")
    w.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the output")
    _common.add_force(w)


def run(args: argparse.Namespace) -> int:
    """Derive the weights, print every node and expert, and save them with ``-o``.

    Raises
    ------
    RenoscoreError
        Invalid system, panel or data, or weights that cannot be derived (exit 1).
    UsageError
        Neither SYSTEM nor ``--example``, or an output it may not write (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["weights", "--example", "--method", "equal"])  # doctest: +ELLIPSIS
    renovation_performance [equal]
        facilities                       local 0.2500  global 0.2500
    ...
    0
    """
    from renoscore.pipeline.configuration import resolve_weights

    output = _common.output_arg(args, (".yaml", ".yml", ".json"))
    system, panel, data, method = _inputs(args)
    weights = resolve_weights(system, data, method, panel)
    if args.lang == "zh":
        _print_weights_zh(weights, system)
    else:
        _print_weights(weights)
    if output is not None:
        weights.save(output, overwrite=args.force)
        print(CONSOLE[args.lang]["wrote"].format(path=args.output))
    return 0


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, str | None]:
    """System, panel, data and method: the bundled system and data with ``--example``."""
    from renoscore import default_system, example_data, load_data

    if args.example:
        system = default_system()
        return system, _common.load_panel_arg(args, system), example_data(), args.method
    system = _common.load_system_arg(args, "give SYSTEM or --example")
    panel = _common.load_panel_arg(args, system)
    data = load_data(args.data, system) if args.data else None
    return system, panel, data, args.method


def _print_weights(weights: Any) -> None:
    """Every node's local and global weights, and every expert's consistency."""
    glob = weights.global_weights()
    for node, nw in weights.nodes.items():
        extra = (
            f"  CR {nw.cr:.3f} ({'ok' if nw.acceptable else 'FAILS'})" if nw.cr is not None else ""
        )
        print(f"{node} [{nw.method}]{extra}")
        for child, local in zip(nw.children, nw.local, strict=True):
            print(f"    {child:<32} local {local:.4f}  global {glob[child]:.4f}")
        for e in nw.experts:
            state = "ok" if e.acceptable else "FAILS"
            note = " (left out)" if e.excluded else ""
            print(
                f"    expert {e.expert:<12} group {e.group or '-':<12} lambda_max {e.lambda_max:.3f}  CR {e.cr:.3f} {state}{note}"
            )


def _print_weights_zh(weights: Any, system: Any) -> None:
    """Every node's weights and every expert's consistency, in Chinese, columns lined up.

    Examples
    --------
    >>> import renoscore as rs
    >>> w = rs.derive_weights(rs.default_system(), method="equal")
    >>> _print_weights_zh(w, rs.default_system())  # doctest: +ELLIPSIS
    小区综合评价（renovation_performance）— 等权
      下级                局部权重  全局权重
      设施改造              0.2500    0.2500
    ...
    """
    # Imported here: the report package would load the survey and audit stacks (scipy.stats,
    # pandas) at the start of every command, half a second before any work.
    from renoscore.report._words import WORDS

    glob = weights.global_weights()
    names = weights.provenance.group_names
    t = WORDS["zh"]
    for node, nw in weights.nodes.items():
        check = ""
        if nw.cr is not None:
            check = f"；{t['cr']} {nw.cr:.3f}（{t['pass'] if nw.acceptable else t['fail']}）"
        method = METHOD_NAMES["zh"].get(nw.method, nw.method)
        print(f"{system.node(node).name.zh}（{node}）— {method}{check}")
        rows = [
            [system.node(c).name.zh, f"{local:.4f}", f"{glob[c]:.4f}"]
            for c, local in zip(nw.children, nw.local, strict=True)
        ]
        print(
            text_table(
                ["下级", t["local"], t["global"]], rows, align="<>>", rule=False, indent="  "
            )
        )
        if nw.experts:
            experts = [
                [
                    e.expert,
                    stakeholder_word(e.group, "zh", names),
                    f"{e.lambda_max:.3f}",
                    f"{e.cr:.3f}",
                    (t["pass"] if e.acceptable else t["fail"])
                    + (f"（{t['excluded']}）" if e.excluded else ""),
                ]
                for e in nw.experts
            ]
            head = [t["expert"], t["group"], t["lambda"], t["cr"], t["result"]]
            print(text_table(head, experts, align="<<>><", rule=False, indent="  "))
