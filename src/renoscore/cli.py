"""The ``renoscore`` command.

Exit codes: 0 success, 1 invalid input (every problem is printed as a table), 2 usage error.

Examples
--------
``renoscore score --example``            rank and grade the bundled example communities
``renoscore validate SYSTEM [DATA]``     check an indicator system and a data table
``renoscore weights SYSTEM --panel P``   AHP report: weights and consistency per node and expert
``renoscore score SYSTEM DATA -o out.csv``
``renoscore compare RESULT.json --phases t0 t1``
``renoscore schema``                     the JSON Schema of the indicator-system YAML
``renoscore report --example -o r.html`` the open report (HTML or Markdown, zh or en)
``renoscore survey --example``           resident survey answers -> indicators, reliability
``renoscore uncertainty --example``      rank intervals under uncertain judgements and weights
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from renoscore.errors import MissingDependencyError, RenoscoreError

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="renoscore",
        description="Score, rank and explain the renovation of old residential communities.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    v = sub.add_parser("validate", help="validate an indicator system and optionally a data table")
    v.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    v.add_argument("data", nargs="?", help="community data (CSV, Excel, Parquet)")
    v.add_argument("--panel", help="expert panel YAML to check against the system")
    v.add_argument("--example", action="store_true", help="use the bundled system and data")
    v.add_argument("--sheet", help="Excel sheet of the data (name or 0-based index)")

    s = sub.add_parser("score", help="score, rank and grade communities")
    s.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    s.add_argument("data", nargs="?", help="community data (CSV, Excel, Parquet)")
    s.add_argument("--example", action="store_true", help="use the bundled system and data")
    s.add_argument(
        "--weights",
        help="frozen weights (YAML/JSON) or a method name (equal, ahp, entropy, critic, combined)",
    )
    s.add_argument("--panel", help="expert panel YAML for AHP weights")
    s.add_argument(
        "--missing",
        default=None,
        choices=["error", "renormalize", "impute_mean", "impute_median"],
        help="missing-data policy (default: error; renormalize with --example)",
    )
    s.add_argument("--normalization", default="goalposts", choices=["goalposts", "minmax"])
    s.add_argument("--aggregation", default="arithmetic", choices=["arithmetic", "geometric"])
    s.add_argument("--phase", help="show only this phase")
    s.add_argument("--lang", default="en", choices=["en", "zh"])
    s.add_argument("--top", type=int, help="show only the first N rows")
    s.add_argument(
        "--fix-first", metavar="COMMUNITY", help="also print the fix-first list of one community"
    )
    s.add_argument(
        "-o", "--output", help="write results: .xlsx (one sheet per table), .csv, .parquet or .json"
    )
    s.add_argument(
        "--encoding",
        default="utf-8",
        help="CSV output encoding: utf-8, utf-8-sig (Excel) or gb18030",
    )
    s.add_argument("--sheet", help="Excel sheet of the data (name or 0-based index)")

    w = sub.add_parser("weights", help="derive weights; report AHP consistency per node and expert")
    w.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    w.add_argument("--panel", help="expert panel YAML")
    w.add_argument("--data", help="community data for data-driven weights")
    w.add_argument("--method", help="override every node's method")
    w.add_argument("--example", action="store_true", help="use the bundled system, panel and data")
    w.add_argument("-o", "--output", help="write the frozen weights (.yaml or .json)")

    c = sub.add_parser("compare", help="compare two phases of the same communities")
    c.add_argument("system", nargs="?")
    c.add_argument("data", nargs="?")
    c.add_argument("--phases", nargs=2, metavar=("BEFORE", "AFTER"))
    c.add_argument("--example", action="store_true")
    c.add_argument(
        "--missing",
        default="renormalize",
        choices=["error", "renormalize", "impute_mean", "impute_median"],
    )

    sub.add_parser("schema", help="print the JSON Schema of the indicator-system YAML")
    for module in _plugins():
        module.add_parser(sub)
    return parser


#: Sub-commands that live in their own modules, each with add_parser(subparsers) and run(args).
_PLUGIN_MODULES = {
    "report": "renoscore._cli_report",
    "survey": "renoscore._cli_survey",
    "uncertainty": "renoscore._cli_uncertainty",
}


def _plugins() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in _PLUGIN_MODULES.values()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.version:
        from renoscore import __version__

        print(f"renoscore {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if args.command in _PLUGIN_MODULES:
                import importlib

                code = int(importlib.import_module(_PLUGIN_MODULES[args.command]).run(args))
            else:
                code = _COMMANDS[args.command](args)
        for item in caught:
            print(f"warning: {item.message}", file=sys.stderr)
        return code
    except RenoscoreError as exc:
        _print_problems(exc)
        return 1
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except _UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2


class _UsageError(Exception):
    pass


def _print_problems(exc: RenoscoreError) -> None:
    print(f"error: {exc.summary}", file=sys.stderr)
    if not exc.problems:
        return
    rows = [
        (
            p.location,
            p.reason + (f" (value {p.value!r})" if p.value is not None else ""),
            p.fix or "",
        )
        for p in exc.problems
    ]
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(2)]
    print(f"  {'where':<{widths[0]}}  {'problem':<{widths[1]}}  fix", file=sys.stderr)
    for where, what, fix in rows:
        print(f"  {where:<{widths[0]}}  {what:<{widths[1]}}  {fix}", file=sys.stderr)


def _system_and_data(args: argparse.Namespace, need_data: bool) -> tuple[Any, Any]:
    from renoscore import default_system, example_data, load_system
    from renoscore.io import read_data

    if getattr(args, "example", False):
        return default_system(), example_data()
    if not args.system:
        raise _UsageError("give SYSTEM (a YAML path or shipped name) or --example")
    system = load_system(args.system)
    data_arg = getattr(args, "data", None)
    if need_data and not data_arg:
        raise _UsageError("give DATA (a CSV/Excel/Parquet path) or --example")
    sheet = getattr(args, "sheet", None)
    options = {"sheet": int(sheet) if sheet.isdigit() else sheet} if sheet is not None else {}
    data = read_data(data_arg, system, **options) if data_arg else None
    return system, data


def _cmd_validate(args: argparse.Namespace) -> int:
    from renoscore import load_panel

    system, data = _system_and_data(args, need_data=False)
    print(
        f"system {system.id} v{system.version}: {len(system.dimensions)} dimensions, {len(system.indicators)} indicators — valid"
    )
    if args.panel:
        panel = load_panel(args.panel, system)
        print(f"panel {panel.id}: {len(panel.experts)} experts — valid")
    if data is not None:
        print(f"data: {data.summary()} — valid")
    return 0


def _weights_arg(args: argparse.Namespace, system: Any) -> Any:
    from renoscore import load_panel, load_weights

    panel = load_panel(args.panel, system) if getattr(args, "panel", None) else None
    spec = getattr(args, "weights", None)
    if spec and Path(spec).is_file():
        return load_weights(spec, system), panel
    return spec, panel


def _cmd_score(args: argparse.Namespace) -> int:
    from renoscore import evaluate

    system, data = _system_and_data(args, need_data=True)
    weights, panel = _weights_arg(args, system)
    missing: Any = args.missing or ("renormalize" if args.example else "error")
    result = evaluate(
        system,
        data,
        weights,
        panel=panel,
        missing=missing,
        normalization=args.normalization,
        aggregation=args.aggregation,
    )
    print(
        f"{system.name.get(args.lang)} ({system.id} v{system.version}) — {result.provenance.normalization}, {result.provenance.aggregation}, missing={missing}"
    )
    print(result.table(phase=args.phase, lang=args.lang, top=args.top))
    if args.fix_first:
        phase = args.phase
        if phase is None:
            phases = [
                p for c, p in zip(result.ids, result.phases, strict=True) if c == args.fix_first
            ]
            phase = phases[0] if phases else None
        print(f"\nfix first — {args.fix_first} ({phase}):")
        for k, item in enumerate(result.fix_first(args.fix_first, phase=phase), start=1):
            name = item.name_zh if args.lang == "zh" else item.name_en
            flag = "MUST" if item.must_fix else "    "
            value = "-" if item.value is None else f"{item.value:g}"
            obstacle = "-" if item.obstacle is None else f"{100 * item.obstacle:.1f}%"
            print(
                f"{k:>2}. {flag} {name[:40]:<40} value {value:>8} target {item.target:g}  obstacle {obstacle}  [{item.category}, {item.supplier}]"
            )
    if args.output:
        _write_result(result, Path(args.output), args.lang, args.encoding)
        print(f"wrote {args.output}")
    return 0


def _write_result(result: Any, path: Path, lang: str, encoding: str) -> None:
    from renoscore.io import write_result

    if path.suffix.lower() not in (".csv", ".json", ".xlsx", ".parquet"):
        raise _UsageError(f"cannot write {path.suffix!r}; use .csv, .json, .xlsx or .parquet")
    write_result(result, path, lang=lang, encoding=encoding)


def _cmd_weights(args: argparse.Namespace) -> int:
    from renoscore import (
        default_system,
        derive_weights,
        example_data,
        example_panel,
        load_data,
        load_panel,
        load_system,
    )

    panel: Any
    data: Any
    if args.example:
        system, panel, data = default_system(), example_panel(), example_data()
        method = args.method or "ahp"
    else:
        if not args.system:
            raise _UsageError("give SYSTEM or --example")
        system = load_system(args.system)
        panel = load_panel(args.panel, system) if args.panel else None
        data = load_data(args.data, system) if args.data else None
        method = args.method
    weights = derive_weights(system, panel, data, method=method)
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
    if args.output:
        weights.save(args.output)
        print(f"wrote {args.output}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from renoscore import compare, evaluate

    system, data = _system_and_data(args, need_data=True)
    result = evaluate(system, data, missing=args.missing)
    phases = tuple(args.phases) if args.phases else None
    cmp = compare(result, phases=phases)
    print(cmp.table())
    print(json.dumps(cmp.summary(), ensure_ascii=False, indent=1))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from renoscore import system_json_schema

    print(json.dumps(system_json_schema(), ensure_ascii=False, indent=2))
    return 0


_COMMANDS = {
    "validate": _cmd_validate,
    "score": _cmd_score,
    "weights": _cmd_weights,
    "compare": _cmd_compare,
    "schema": _cmd_schema,
}


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
