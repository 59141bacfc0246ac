"""A fix names what the caller can type: the Python argument, or the command-line option."""

from __future__ import annotations

import re
from pathlib import Path

import renoscore
from renoscore._calling import argument, command_line, without
from renoscore.cli._common import PYTHON_OPTIONS

PACKAGE = Path(renoscore.__file__).parent


def test_no_fix_spells_a_python_argument_by_hand() -> None:
    """Every fix that names an argument goes through _calling.argument()."""
    pattern = re.compile(r"""["'](?:pass|use) [a-z_]+=""")
    offending = [
        f"{path.relative_to(PACKAGE)}:{k}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "_calling.py"
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line) and ">>>" not in line
    ]
    assert offending == []


def test_every_option_named_exists_on_the_command_line() -> None:
    from renoscore.cli import COMMANDS
    from renoscore.cli._common import build_parser

    parser = build_parser(COMMANDS.values())
    flags: set[str] = set()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for sub in action.choices.values():
            for option in sub._actions:
                flags.update(option.option_strings)
    for option in PYTHON_OPTIONS.values():
        flag = option.split(" ")[0]
        assert not flag.startswith("-") or flag in flags, flag


def test_one_message_two_spellings() -> None:
    fix = f"use {argument('header_row', 3)}; or {without('group_column')}"
    assert fix == "use header_row=3; or pass group_column=None"
    with command_line(PYTHON_OPTIONS):
        fix = f"use {argument('header_row', 3)}; or {without('group_column')}"
    assert fix == "use --header-row 3; or leave out --group"
