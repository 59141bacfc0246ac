"""The ``renoscore uncertainty`` command: rank intervals and the most influential sources.

``renoscore uncertainty --example`` analyses the bundled communities (phase t0) with AHP weights
from the bundled expert panel: judgements moved on Saaty's scale, Dirichlet weight draws, the
missing-data policy and a 5 % measurement error; it prints every community's median rank and
5-95 % rank interval, the rank correlations with the base ranking, and the Sobol' indices of
the sources. ``renoscore uncertainty SYSTEM DATA --panel P --weights ahp`` does the same for
your own data; see ``--help`` for the sources.

The command is wired into :mod:`renoscore.cli` by ``add_parser(subparsers)`` and
``run(args)``; :func:`main` runs it on its own
(``python -m renoscore._cli_uncertainty --example``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from renoscore.errors import MissingDependencyError, OptionError, Problem, RenoscoreError

__all__ = ["add_parser", "main", "run"]

_MISSING = ["error", "renormalize", "impute_mean", "impute_median"]


def add_parser(subparsers: Any) -> None:
    """Add the ``uncertainty`` sub-command to an argparse sub-parser collection."""
    p = subparsers.add_parser(
        "uncertainty",
        help="rank intervals under uncertain judgements, weights and methods; Sobol' indices",
        description=(
            "Monte Carlo uncertainty analysis of the ranking (median rank and 5-95 %% interval "
            "of every community, probability of the top k and of each grade, rank correlation "
            "with the base ranking) and Sobol' sensitivity indices of the declared sources. "
            "Without source options: judgement noise (when the weights come from AHP) and "
            "Dirichlet weight draws; with --example also the missing-data policy and a 5 %% "
            "measurement error."
        ),
    )
    p.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    p.add_argument("data", nargs="?", help="community data (CSV, Excel, Parquet)")
    p.add_argument(
        "--example",
        action="store_true",
        help="bundled system, data and expert panel (AHP weights), phase t0",
    )
    p.add_argument("--panel", help="expert panel YAML (needed for judgement noise)")
    p.add_argument(
        "--weights", help="frozen weights (YAML/JSON) or a method name (equal, ahp, entropy, ...)"
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
    base = p.add_argument_group("base settings")
    base.add_argument(
        "--missing",
        choices=_MISSING,
        help="base missing-data policy (default: error; renormalize with --example)",
    )
    base.add_argument("--normalization", default="goalposts", choices=["goalposts", "minmax"])
    base.add_argument("--aggregation", default="arithmetic", choices=["arithmetic", "geometric"])
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
    out.add_argument("--top", type=int, help="show only the first N communities")
    out.add_argument("--lang", default="en", choices=["en", "zh"])
    out.add_argument("--no-progress", action="store_true", help="no progress bar")
    out.add_argument(
        "-o",
        "--output",
        help="write results: .csv (rank intervals), .json, or .html (report section)",
    )


def _progress(label: str, enabled: bool) -> Any:
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


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, Any, str]:
    from renoscore import (
        default_system,
        derive_weights,
        example_data,
        example_panel,
        load_data,
        load_panel,
        load_system,
        load_weights,
    )

    panel: Any
    if args.example:
        system, data, panel = default_system(), example_data(), example_panel()
        if args.panel:
            panel = load_panel(args.panel, system)
        spec = args.weights or "ahp"
        missing = args.missing or "renormalize"
    else:
        if not args.system or not args.data:
            raise _UsageError("give SYSTEM and DATA, or --example")
        system = load_system(args.system)
        data = load_data(args.data, system)
        panel = load_panel(args.panel, system) if args.panel else None
        spec = args.weights
        missing = args.missing or "error"
    if spec and Path(spec).is_file():
        weights = load_weights(spec, system)
    else:
        weights = derive_weights(system, panel, data, method=spec)
    return system, data, panel, weights, missing


def _phase(args: argparse.Namespace, system: Any, data: Any) -> str | None:
    present = list(dict.fromkeys(data.phases))
    if args.phase or len(present) <= 1:
        return args.phase if args.phase else (present[0] if present else None)
    ordered = [p for p in system.phase_ids if p in present] + [
        p for p in present if p not in system.phase_ids
    ]
    return str(ordered[0])


def _sources(args: argparse.Namespace, weights: Any, panel: Any) -> dict[str, Any]:
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
                raise _UsageError(f"--sd needs INDICATOR=SD, got {item!r}")
            try:
                sd[name] = float(value)
            except ValueError:
                sd[name] = value
        out["measurement"] = {"sd": sd, "span_fraction": fraction}
    return out


class _UsageError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    """Run ``renoscore uncertainty``; return the exit code (2 on a usage error)."""
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from renoscore.sensitivity import one_at_a_time, sensitivity, uncertainty

    system, data, panel, weights, missing = _inputs(args)
    phase = _phase(args, system, data)
    sources = _sources(args, weights, panel)
    if not sources:
        raise OptionError(
            "no source of uncertainty is switched on",
            [Problem("all sources are off", fix="e.g. --concentration 100 or --vary-missing")],
        )
    common: dict[str, Any] = {
        "panel": panel,
        "phase": phase,
        "seed": args.seed,
        "normalization": args.normalization,
        "aggregation": args.aggregation,
        "missing": missing,
    }
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
    s = result.settings
    common["seed"] = s.seed
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
            f"  {lv:<24} Spearman {_q(v['spearman'])}  Kendall {_q(v['kendall'])}  "
            f"mean |rank shift| {_q(v['mean_abs_shift'], '.2f')}"
        )
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
    if args.output:
        _write(Path(args.output), result, sens, oat, args.lang)
        print(f"\nwrote {args.output}")
    return 0


def _q(q: dict[str, float | None], spec: str = ".3f") -> str:
    if q["median"] is None:
        return "-"
    return f"{q['median']:{spec}} ({q['p05']:{spec}}-{q['p95']:{spec}})"


def _write(path: Path, result: Any, sens: Any, oat: Any, lang: str) -> None:
    from renoscore.sensitivity import html_section

    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = result.records(lang=lang)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
    elif suffix == ".json":
        doc = {"uncertainty": result.to_dict()}
        if sens is not None:
            doc["sensitivity"] = sens.to_dict()
        if oat is not None:
            doc["one_at_a_time"] = oat.records()
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    elif suffix in (".html", ".htm"):
        body = html_section(result, sens, oat, lang=lang)
        path.write_text(
            f'<!doctype html><html><head><meta charset="utf-8"><title>renoscore uncertainty'
            f"</title></head><body>{body}</body></html>",
            encoding="utf-8",
        )
    else:
        raise _UsageError(f"cannot write {suffix!r}; use .csv, .json or .html")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``uncertainty`` as a program of its own; return the exit code.

    Exit codes as for every ``renoscore`` command: 0 success, 1 invalid input (every problem
    listed), 2 usage error.
    """
    parser = argparse.ArgumentParser(prog="renoscore")
    add_parser(parser.add_subparsers(dest="command"))
    try:
        args = parser.parse_args(["uncertainty", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = run(args)
        for item in caught:
            print(f"warning: {item.message}", file=sys.stderr)
        return code
    except RenoscoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
