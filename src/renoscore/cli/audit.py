"""``renoscore audit``: the statistical audit of an index on community data.

Usage::

    renoscore audit --example
    renoscore audit --example --lang zh
    renoscore audit SYSTEM DATA [--weights W] [--panel P] [--phase PHASE]
                    [--ranks auto|exact|binned] [--section SECTION] [--lang zh|en]
                    [-o audit.json|audit.csv]

Prints every flag (data availability, outliers, saturated or floor-bound indicators,
correlations, internal consistency, effective importance against nominal weight), grouped by
section. ``-o audit.json`` writes every statistic and the settings; ``-o audit.csv`` writes the
records of one section (``--section``, default the flags). The report carries the audit with
``renoscore report --audit``. Exit codes as for every ``renoscore`` command: 0 success, 1 invalid
input (every problem listed), 2 usage error.
"""

from __future__ import annotations

import argparse

from renoscore.cli import _common

__all__ = ["add_parser", "run"]

_HELP = "statistical audit: availability, outliers, discrimination, correlations, importance"
_DESCRIPTION = (
    "Audit an index as the JRC audits composite indicators: data availability and screening, "
    "distribution and outliers (with COINr's treatment), share of communities at the "
    "goalposts, correlation structure, Cronbach's alpha and principal components per group, "
    "and each indicator's main effect on the overall score against its nominal weight."
)

_SECTIONS = (
    "flags",
    "availability",
    "communities",
    "distribution",
    "discrimination",
    "correlation",
    "consistency",
    "importance",
)


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``audit`` to the sub-commands."""
    p = subparsers.add_parser("audit", help=_HELP, description=_DESCRIPTION)
    _common.add_inputs(p, "audit the bundled system and example communities")
    p.add_argument("--panel", help="expert panel YAML (for --weights ahp)")
    p.add_argument(
        "--weights", help="frozen weights (YAML/JSON) or a method name (equal, ahp, entropy, ...)"
    )
    p.add_argument("--phase", help="phase of the statistics (default: the first present)")
    p.add_argument("--lang", default="en", choices=["en", "zh"])
    p.add_argument(
        "--ranks",
        default="auto",
        choices=["auto", "exact", "binned"],
        help="ranks for Spearman and the main effects: exact (a sort), binned (a counting sort, "
        "exact when every bin holds one value), auto (exact up to 20,000 communities)",
    )
    p.add_argument(
        "--section", default="flags", choices=_SECTIONS, help="records written to a .csv file"
    )
    p.add_argument("-o", "--output", help="write .json (everything) or .csv (one section)")
    _common.add_force(p)


def run(args: argparse.Namespace) -> int:
    """Audit and print the flags (and write the output file).

    Raises
    ------
    RenoscoreError
        A system, data, panel or weights file that does not load, or an unknown phase (exit 1).
    UsageError
        No SYSTEM and DATA (nor ``--example``), or an output it may not write: a suffix other
        than .json / .csv, an input of the run, an existing file without ``--force``, a folder
        that does not exist (checked before any work).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["audit", "--example"])  # doctest: +ELLIPSIS
    Statistical audit: 30 communities (phase t0); ... flags.
    ...
      Lifts added to blocks of four or more storeys (f_lift_retrofit_share) [t0]: floor-bound: 85% at the floor
    ...
      Red property management (g_red_property) [t0]: floor-bound: 87% at the floor
    ...
    0
    """
    from renoscore._files import write_text
    from renoscore.audit import audit

    out = _common.output_arg(args, (".json", ".csv"))
    system, data = _common.system_and_data(args, need_data=True)
    panel = _common.load_panel_arg(args, system)
    weights = _common.load_weights_arg(args.weights, system)
    result = audit(system, data, weights, phase=args.phase, panel=panel, ranks=args.ranks)
    print(result.table(args.lang))
    if out is not None:
        if out.suffix.lower() == ".json":
            write_text(out, result.to_json(indent=1), overwrite=args.force)
        else:
            records = result.records(args.section, args.lang)
            _common.write_csv_records(records, out, overwrite=args.force)
        print(f"wrote {out}")
    return 0
