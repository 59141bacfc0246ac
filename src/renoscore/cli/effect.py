"""``renoscore effect``: the effect of renovation against a comparison group.

Scores the communities (the same configuration as every command), then estimates by
difference in differences the change of every node attributable to renovation: two-way fixed
effects (community and phase), standard errors clustered by community with the small-sample
correction named by ``--correction``, a pre-trend check where three phases exist
(:func:`renoscore.effects.renovation_effect`).

Examples
--------
``renoscore effect SYSTEM DATA --treated-column renovated --phases t0 t1``
``renoscore effect SYSTEM DATA --treated LY GC02 --phases t0 t1 --covariate households``
``renoscore effect --simulate``          simulated waves with a known effect (a check)
``renoscore effect --example --treated LY --phases t0 t1``   refused: no comparison group
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from renoscore._vocabulary import CONSOLE
from renoscore.cli import _change_args, _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]

_OUTPUT_SUFFIXES = (".csv", ".json")
_HELP = "the effect of renovation against a comparison group (difference in differences)"


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``effect``: the inputs of every scoring command, who was renovated, the design."""
    p = subparsers.add_parser("effect", help=_HELP, description=_HELP + ".")
    _common.add_configuration(p)
    p.add_argument(
        "--simulate",
        action="store_true",
        help="simulated communities in two waves with a known effect and selection",
    )
    _change_args.add_treated(p)
    p.add_argument("--phases", nargs="+", metavar="PHASE", help="the phases, in time order")
    p.add_argument("--post", help="the first phase after renovation (default: the last)")
    p.add_argument(
        "--covariate", action="append", default=[], metavar="COLUMN", help="numeric context column"
    )
    p.add_argument(
        "--correction",
        default="stata",
        choices=["stata", "full", "cluster", "none"],
        help="small-sample correction of the clustered standard errors (default: stata, as "
        "reghdfe and xtreg, fe print it)",
    )
    p.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    p.add_argument("--nodes", default="dimensions", choices=["dimensions", "all"])
    p.add_argument("--lang", default="en", choices=["en", "zh"])
    p.add_argument("-o", "--output", help="write every node's estimate: .csv or .json")
    _common.add_force(p)


def run(args: argparse.Namespace) -> int:
    """Evaluate, estimate the effect on every node, print the table and the notes.

    Raises
    ------
    RenoscoreError
        Invalid inputs, or a design the estimator refuses: no comparison group, unknown
        renovated communities, a single phase, phases with no overlap (exit 1).
    UsageError
        No SYSTEM and DATA (nor ``--example`` / ``--simulate``), no renovated communities, or
        an output suffix it cannot write (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["effect", "--simulate"])  # doctest: +ELLIPSIS
    renoscore effect — simulated waves: t0 -> t1, 36 renovated, 24 comparison communities
    node ...
    renovation_performance ...
    ...
    0
    """
    from renoscore.effects import renovation_effect

    output = _common.output_arg(args, _OUTPUT_SUFFIXES)
    result, treated, truth = _inputs(args)
    eff = renovation_effect(
        result,
        treated,
        args.phases,
        post=args.post,
        covariates=args.covariate,
        correction=args.correction,
        level=args.level,
    )
    source = "simulated waves" if args.simulate else f"{result.system.id} v{result.system.version}"
    print(
        f"renoscore effect — {source}: {' -> '.join(eff.phases)}, {len(eff.treated_ids)} "
        f"renovated, {len(eff.control_ids)} comparison communities"
    )
    print(eff.table(lang=args.lang, nodes=args.nodes))
    if truth:
        k = eff.node_ids[0]
        label = "模拟数据真实净效应" if args.lang == "zh" else "simulated true effect on"
        print(f"{label} {k}: {truth[k]:+.2f}")
    for note in eff.notes(args.lang):
        print(("说明：" if args.lang == "zh" else "note: ") + note)
    if output is not None:
        _write(eff, output, args.lang)
        print(CONSOLE[args.lang]["wrote"].format(path=args.output))
    return 0


def _inputs(args: argparse.Namespace) -> tuple[Any, list[str], dict[str, float]]:
    """The evaluated result, the renovated communities and (simulated) the true effects."""
    from renoscore import evaluate

    if args.simulate:
        from renoscore import default_system
        from renoscore.effects import simulate_waves

        system = default_system()
        sim = simulate_waves(system)
        panel = _common.load_panel_arg(args, system)
        weights = _common.load_weights_arg(args.weights, system)
        result = evaluate(
            system, sim.data, weights, panel=panel, options=_common.scoring_options(args)
        )
        return result, list(args.treated or sim.treated), sim.truth
    system, data, panel, weights, options = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=options)
    treated = _change_args.treated_communities(args, result)
    if treated is None:
        raise UsageError(
            "say which communities were renovated: --treated ID ... or --treated-column"
        )
    return result, treated, {}


def _write(eff: Any, path: Path, lang: str) -> None:
    """Every node's estimate: CSV records or the whole estimate as JSON (the path was checked
    by :func:`_common.output_arg`, ``--force`` included)."""
    from renoscore._files import write_text

    if path.suffix.lower() == ".csv":
        _common.write_csv_records(eff.records(lang), path, overwrite=True)
    else:
        write_text(path, eff.to_json(), overwrite=True)
