"""``renoscore schema``: print the JSON Schema of the indicator-system YAML.

Editors that read JSON Schema (VS Code with the YAML extension, PyCharm) then complete and check
a system file as it is written.
"""

from __future__ import annotations

import argparse
import json

from renoscore.cli import _common

__all__ = ["add_parser", "run"]


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``schema``, which takes no arguments."""
    subparsers.add_parser("schema", help="print the JSON Schema of the indicator-system YAML")


def run(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the indicator-system YAML; return 0.

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["schema"])  # doctest: +ELLIPSIS
    {
      "$defs": {
    ...
      "title": "IndicatorSystem",
    ...
    0
    """
    from renoscore import system_json_schema

    print(json.dumps(system_json_schema(), ensure_ascii=False, indent=2))
    return 0
