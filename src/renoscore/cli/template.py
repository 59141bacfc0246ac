"""``renoscore template``: the fill-in template of an indicator system, for offices.

An Excel workbook (a data sheet with headers, units, phase names, an example row and data
validation, and an instructions sheet generated from the YAML) or a CSV (the header and the
example row). Either reads back with ``renoscore validate SYSTEM FILE`` with no edit.

Examples
--------
``renoscore template old_community_renovation --lang zh -o 填报模板.xlsx``
``renoscore template my_system.yaml --phase t1 -o template.csv``
"""

from __future__ import annotations

import argparse

from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``renoscore template`` with the system, the language, the phase and the output."""
    p = subparsers.add_parser(
        "template", help="write a fill-in template (Excel or CSV) of an indicator system"
    )
    p.add_argument("system", nargs="?", help="indicator system YAML (or a shipped name)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the template")
    p.add_argument("--phase", help="phase of the example row (default: the first phase)")
    p.add_argument("-o", "--output", help="the template to write: .xlsx or .csv")
    _common.add_force(p)


def run(args: argparse.Namespace) -> int:
    """Write the template and say where.

    Raises
    ------
    RenoscoreError
        An invalid system or phase (exit 1).
    UsageError
        No SYSTEM, no ``-o``, or an output that may not be written: a suffix other than .xlsx
        and .csv, the system's own file, an existing file without ``--force`` (exit 2).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from renoscore.cli import main
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "template.csv"
    >>> main(["template", "old_community_renovation", "-o", str(out)])  # doctest: +ELLIPSIS
    wrote .../template.csv: 87 columns, an example row (t0)
    0
    """
    from renoscore.io.template import template_columns, write_template

    if not args.output:
        raise UsageError("give -o FILE (.xlsx or .csv)")
    out = _common.output_arg(args, (".xlsx", ".csv"))
    assert out is not None  # -o was given
    system = _common.load_system_arg(args, "give SYSTEM (a YAML path or shipped name)")
    path = write_template(
        system,
        out,
        lang=args.lang,
        phase=args.phase,
        overwrite=args.force,
        inputs=_common.run_inputs(args),
    )
    n = len(template_columns(system, args.lang, args.phase))
    phase = args.phase or system.phase_ids[0]
    guide = " and the instructions" if path.suffix.lower() == ".xlsx" else ""
    print(f"wrote {path}: {n} columns, an example row ({phase}){guide}")
    return 0
