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

from renoscore.cli import _common

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Give ``renoscore`` its ``compare`` sub-command (two phases of one data set)."""
    c = subparsers.add_parser("compare", help="compare two phases of the same communities")
    c.add_argument("--phases", nargs=2, metavar=("BEFORE", "AFTER"))
    _common.add_inputs(c, None, system_help=None, data_help=None)
    _common.add_scoring_options(c, methods=False, missing_default="renormalize", missing_help=None)


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
    community       before   after  change
    JS03              43.0    76.7   +33.7
    ...
     "share_improved": 1.0,
    ...
    0
    """
    from renoscore import compare, evaluate

    system, data = _common.system_and_data(args, need_data=True)
    result = evaluate(system, data, **_common.scoring_options(args))
    phases = tuple(args.phases) if args.phases else None
    cmp = compare(result, phases=phases)
    print(cmp.table())
    print(json.dumps(cmp.summary(), ensure_ascii=False, indent=1))
    return 0
