"""``renoscore validate``: check an indicator system, and optionally a panel and a data table.

Every problem of an invalid input is listed (exit 1); a valid input is confirmed in one line
per file (exit 0).

Examples
--------
``renoscore validate --example --panel panel_example``
``renoscore validate SYSTEM.yaml communities.csv``
"""

from __future__ import annotations

import argparse

from renoscore.cli import _common

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """The ``validate`` parser: SYSTEM and DATA, a panel, ``--example`` and an Excel sheet."""
    p = subparsers.add_parser(
        "validate", help="validate an indicator system and optionally a data table"
    )
    p.add_argument("--panel", help="expert panel YAML to check against the system")
    _common.add_inputs(p, "use the bundled system and data")
    p.add_argument(
        "--lang", default="en", choices=["en", "zh"], help="language of the --problems file"
    )


def run(args: argparse.Namespace) -> int:
    """Load the system, and the panel and data if given; print one line per valid input.

    Raises
    ------
    RenoscoreError
        An invalid system, panel or data table (``renoscore`` lists the problems, exit 1).
    UsageError
        Neither SYSTEM nor ``--example`` (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["validate", "--example"])  # doctest: +ELLIPSIS
    system old_community_renovation v2.0.0: 4 dimensions, 72 indicators — valid
    data: 50 rows, 30 communities, 72 indicators ... — valid
    0
    """
    system, data = _common.system_and_data(args, need_data=False)
    print(f"system {system.id} v{system.version}: {system.outline()} — valid")
    if args.panel:
        panel = _common.load_panel_arg(args, system)
        print(f"panel {panel.id}: {len(panel.experts)} experts — valid")
    if data is not None:
        print(f"data: {data.summary()} — valid")
    return 0
