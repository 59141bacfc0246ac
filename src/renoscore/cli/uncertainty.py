"""``renoscore uncertainty``: rank intervals and the most influential sources.

``renoscore uncertainty --example`` analyses the bundled communities (phase t0) with the weights
``renoscore score --example`` uses: Dirichlet weight draws, the missing-data policy and a 5 %
measurement error; with ``--panel panel_example`` the weights are the example experts' AHP
weights and their judgements are moved on Saaty's scale too. It prints every community's median
rank and 5-95 % rank interval, the rank correlations with the base ranking, and the Sobol'
indices of the sources. ``renoscore uncertainty SYSTEM DATA --panel P`` does the same for your
own data; see ``--help`` for the sources.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renoscore._format import quantile_text
from renoscore.cli import _common
from renoscore.errors import OptionError, Problem, UsageError

if TYPE_CHECKING:
    from renoscore._options import ScoringOptions

__all__ = ["add_parser", "run"]

#: The suffixes ``-o`` writes.
_OUTPUT_SUFFIXES = (".csv", ".json", ".html", ".htm")

#: The line in ``renoscore --help`` and the description atop ``renoscore uncertainty --help``.
_HELP = "rank intervals under uncertain judgements, weights and methods; Sobol' indices"
_DESCRIPTION = (
    "Monte Carlo uncertainty analysis of the ranking (median rank and 5-95 %% interval "
    "of every community, probability of the top k and of each grade, rank correlation "
    "with the base ranking) and Sobol' sensitivity indices of the declared sources. "
    "Without source options: judgement noise (when the weights come from AHP) and "
    "Dirichlet weight draws; with --example also the missing-data policy and a 5 %% "
    "measurement error."
)


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``uncertainty`` to the sub-commands.

    Three argument groups follow the inputs: the sources of uncertainty, the base settings
    (the scoring options) and the output.
    """
    p = subparsers.add_parser("uncertainty", help=_HELP, description=_DESCRIPTION)
    _common.add_configuration(
        p,
        "bundled system and communities (declared weights), phase t0",
        missing_help="base missing-data policy (default: error; renormalize with --example)",
    )
    p.add_argument("--phase", help="the phase to analyse (default: the first one present)")
    p.add_argument("-n", "--draws", dest="n", type=int, default=1000, help="draws (default 1000)")
    p.add_argument("--seed", type=int, help="random seed (default: drawn and printed)")
    p.add_argument("--top-k", type=int, default=5, help="k of P(top k) (default 5)")
    p.add_argument("--level", help="show the rank intervals of this dimension")
    src = p.add_argument_group("sources of uncertainty")
    src.add_argument(
        "--judgements",
        type=float,
        metavar="P",
        help="probability that an AHP judgement moves one Saaty-scale step (0 = off)",
    )
    src.add_argument(
        "--concentration",
        type=float,
        metavar="C",
        help="Dirichlet concentration of the weight draws (0 = off; default 100)",
    )
    src.add_argument("--vary-normalization", action="store_true", help="draw goalposts or min-max")
    src.add_argument(
        "--vary-aggregation", action="store_true", help="draw arithmetic or geometric mean"
    )
    src.add_argument(
        "--vary-missing",
        action="store_true",
        help="draw renormalize, impute_mean or impute_median",
    )
    src.add_argument(
        "--alpha",
        nargs=2,
        type=float,
        metavar=("LOW", "HIGH"),
        help="uniform range of the combination alpha",
    )
    src.add_argument(
        "--measurement-error",
        type=float,
        metavar="FRACTION",
        help="sd of every non-binary indicator as this share of its goalpost span",
    )
    src.add_argument(
        "--sd",
        action="append",
        default=[],
        metavar="INDICATOR=SD",
        help="sd of one indicator: a number, or a context column of standard errors (repeatable)",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--sobol",
        type=int,
        default=256,
        metavar="N",
        help="base samples of the Sobol' indices, N x (sources + 2) runs (0 = skip; default 256)",
    )
    out.add_argument(
        "--oat", action="store_true", help="also print the one-at-a-time dimension-weight table"
    )
    out.add_argument("--top", type=_common.count(1), help="show only the first N communities")
    out.add_argument("--lang", default="en", choices=["en", "zh"])
    out.add_argument("--no-progress", action="store_true", help="no progress bar")
    out.add_argument(
        "-o",
        "--output",
        help="write results: .csv (rank intervals), .json, or .html (report section)",
    )
    _common.add_force(out)


def _progress(label: str, enabled: bool) -> Any:
    """A progress bar on a terminal's standard error, or None."""
    if not (enabled and sys.stderr.isatty()):
        return None

    def update(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update


def _phase(args: argparse.Namespace, system: Any, data: Any) -> str | None:
    """``--phase``, else the first phase of the system that the data has."""
    present = list(dict.fromkeys(data.phases))
    if args.phase or len(present) <= 1:
        return args.phase if args.phase else (present[0] if present else None)
    ordered = [p for p in system.phase_ids if p in present] + [
        p for p in present if p not in system.phase_ids
    ]
    return str(ordered[0])


def _sources(args: argparse.Namespace, weights: Any, panel: Any) -> dict[str, Any]:
    """The sources of uncertainty: those switched on, else the defaults of the command."""
    explicit = (
        args.judgements is not None
        or args.concentration is not None
        or args.vary_normalization
        or args.vary_aggregation
        or args.vary_missing
        or args.alpha is not None
        or args.measurement_error is not None
        or bool(args.sd)
    )
    has_ahp = panel is not None and any(
        nw.method == "ahp" or nw.method.startswith("combined(ahp") for nw in weights.nodes.values()
    )
    out: dict[str, Any] = {}
    judgements = args.judgements if args.judgements is not None else (0.2 if has_ahp else 0.0)
    if judgements > 0 and (explicit is False or args.judgements is not None):
        out["judgements"] = {"probability": judgements}
    concentration = args.concentration if args.concentration is not None else 100.0
    if concentration > 0 and (explicit is False or args.concentration is not None):
        out["weights"] = {"concentration": concentration}
    if args.vary_normalization:
        out["normalization"] = ("goalposts", "minmax")
    if args.vary_aggregation:
        out["aggregation"] = ("arithmetic", "geometric")
    if args.vary_missing or (args.example and not explicit):
        out["missing"] = ("renormalize", "impute_mean", "impute_median")
    if args.alpha is not None:
        out["alpha"] = tuple(args.alpha)
    fraction = args.measurement_error
    if fraction is None and args.example and not explicit:
        fraction = 0.05
    if fraction is not None or args.sd:
        sd: dict[str, float | str] = {}
        for item in args.sd:
            name, sep, value = item.partition("=")
            if not sep:
                raise UsageError(f"--sd needs INDICATOR=SD, got {item!r}")
            try:
                sd[name] = float(value)
            except ValueError:
                sd[name] = value
        out["measurement"] = {"sd": sd, "span_fraction": fraction}
    return out


def run(args: argparse.Namespace) -> int:
    """Print the rank intervals of the draws, then the Sobol' indices and OAT table.

    Raises
    ------
    RenoscoreError
        Inputs that do not load, option values out of range, or every source off (exit 1).
    UsageError
        No SYSTEM and DATA (nor ``--example``), a malformed ``--sd`` or an output suffix it
        cannot write (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["uncertainty", "--example", "--panel", "panel_example", "-n", "20", "--sobol", "0",
    ...       "--seed", "1", "--top", "3"])  # doctest: +ELLIPSIS
    renoscore uncertainty — ... phase t0 (use --phase to choose)
    20 draws, seed 1; sources: judgements ...
    ...
    0
    """
    from renoscore.sensitivity import one_at_a_time, sensitivity, uncertainty

    output = _common.output_arg(args, _OUTPUT_SUFFIXES)
    system, data, panel, weights, options = _inputs(args)
    phase = _phase(args, system, data)
    sources = _sources(args, weights, panel)
    if not sources:
        raise OptionError(
            "no source of uncertainty is switched on",
            [Problem("all sources are off", fix="e.g. --concentration 100 or --vary-missing")],
        )
    common: dict[str, Any] = {"panel": panel, "phase": phase, "seed": args.seed, "options": options}
    result = uncertainty(
        system,
        data,
        weights,
        sources=sources,
        n=args.n,
        top_k=args.top_k,
        progress=_progress("draws", not args.no_progress),
        **common,
    )
    common["seed"] = result.settings.seed
    _print_uncertainty(args, result, (system, data, weights))
    sens = None
    if args.sobol:
        sens = sensitivity(
            system,
            data,
            weights,
            sources=sources,
            n=args.sobol,
            per_community=False,
            progress=_progress("Sobol' runs", not args.no_progress),
            **common,
        )
        print(
            f"\nmost influential sources — Sobol' indices of the mean absolute rank shift "
            f"({sens.settings.n} x {len(sens.factors) + 2} runs):"
        )
        print(sens.table())
    oat = None
    if args.oat:
        oat = one_at_a_time(
            system,
            data,
            weights,
            top_k=args.top_k,
            **{k: v for k, v in common.items() if k != "seed"},
        )
        print(f"\none weight at a time — {oat.node}:")
        print(oat.table())
    if output is not None:
        _write(output, (result, sens, oat), args.lang, args.force)
        print(f"\nwrote {args.output}")
    return 0


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, Any, ScoringOptions]:
    """System, data, panel, weights (resolved, to see which nodes are AHP) and options."""
    from renoscore.pipeline.configuration import resolve_weights

    system, data, panel, spec, options = _common.configuration(args)
    return system, data, panel, resolve_weights(system, data, spec, panel), options


def _print_uncertainty(args: argparse.Namespace, result: Any, inputs: tuple[Any, Any, Any]) -> None:
    """The settings, the rank intervals of one level and the rank correlations per level."""
    system, data, weights = inputs
    s = result.settings
    n_phases = len(set(data.phases))
    note = " (use --phase to choose)" if n_phases > 1 and not args.phase else ""
    print(
        f"renoscore uncertainty — {system.name.get(args.lang)} ({system.id} v{system.version}), "
        f"phase {s.phase}{note}"
    )
    print(f"{s.n} draws, seed {s.seed}; sources: {s.sources.describe()}")
    print(
        f"base: {s.normalization}, {s.aggregation}, missing={s.missing}; "
        f"weights: {weights.provenance.panel or '-'} / "
        f"{', '.join(sorted({nw.method for nw in weights.nodes.values()}))}"
    )
    level = args.level or result.levels[0]
    print(f"\nrank intervals — {level} (communities by median rank):")
    print(result.table(level=level, top=args.top, lang=args.lang))
    print("\nrank correlation with the base ranking (median, 5-95 % of draws):")
    for lv, v in result.summary()["levels"].items():
        print(
            f"  {lv:<24} Spearman {quantile_text(v['spearman'])}  Kendall {quantile_text(v['kendall'])}  "
            f"mean |rank shift| {quantile_text(v['mean_abs_shift'], '.2f')}"
        )


def _write(path: Path, analyses: tuple[Any, Any, Any], lang: str, force: bool) -> None:
    """Rank intervals (.csv), everything with the settings (.json) or a report section (.html)."""
    from renoscore._files import write_text
    from renoscore.report.uncertainty import html_section

    result, sens, oat = analyses
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _common.write_csv_records(result.records(lang=lang), path, overwrite=force)
    elif suffix == ".json":
        doc = {"uncertainty": result.to_dict()}
        if sens is not None:
            doc["sensitivity"] = sens.to_dict()
        if oat is not None:
            doc["one_at_a_time"] = oat.records()
        _common.write_json(doc, path, overwrite=force)
    else:
        body = html_section(result, sens, oat, lang=lang)
        page = (
            f'<!doctype html><html><head><meta charset="utf-8"><title>renoscore uncertainty'
            f"</title></head><body>{body}</body></html>"
        )
        write_text(path, page, overwrite=force)
