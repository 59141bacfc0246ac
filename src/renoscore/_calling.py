"""Who is calling: Python or the command line, so that a fix names what the user can type.

A fix that tells the user to set something names it the way the user sets it: ``pass
header_row=3`` to a Python caller, ``use --header-row 3`` on the command line. The message is
written once, with :func:`argument` in place of the setting; the command line runs its
sub-commands inside :func:`command_line`, which says how each Python argument is spelt there.

Examples
--------
>>> argument("header_row", 3)
'header_row=3'
>>> with command_line({"header_row": "--header-row"}):
...     argument("header_row", 3), argument("max_bytes")
('--header-row 3', 'max_bytes=... (a Python argument; no command-line option)')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["argument", "command_line", "from_command_line", "without"]

#: The command line's option for each Python argument, while the command line runs.
_OPTIONS: ContextVar[Mapping[str, str] | None] = ContextVar("renoscore_cli_options", default=None)


@contextmanager
def command_line(options: Mapping[str, str]) -> Iterator[None]:
    """Run the block as the command line: ``options`` maps Python arguments to options.

    An option may carry its own value placeholder (``"--sheet SHEET"``); a value given to
    :func:`argument` replaces it.
    """
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def from_command_line() -> bool:
    """Whether the current call comes from the command line."""
    return _OPTIONS.get() is not None


def argument(name: str, value: object = None) -> str:
    """How the caller sets the Python argument ``name`` (to ``value`` when given).

    On the command line a literal value (a number, a word) replaces the option's placeholder;
    a Python expression (``load_panel(...)``) does not. A positional argument (``DATA``) is
    shown as it is.

    Examples
    --------
    >>> argument("sheet", "'数据'")
    "sheet='数据'"
    >>> with command_line({"sheet": "--sheet SHEET", "panel": "--panel PANEL"}):
    ...     argument("sheet"), argument("sheet", "'数据'"), argument("panel", "load_panel(...)")
    ('--sheet SHEET', '--sheet 数据', '--panel PANEL')
    """
    options = _OPTIONS.get()
    shown = "..." if value is None else str(value)
    if options is None:
        return f"{name}={shown}"
    option = options.get(name)
    if option is None:
        return f"{name}={shown} (a Python argument; no command-line option)"
    flag = option.split(" ")[0]
    if value is None or not flag.startswith("-") or not _literal(value):
        return option
    return f"{flag} {shown.strip(chr(39) + chr(34))}"


def without(name: str) -> str:
    """How the caller leaves the setting ``name`` out (``group_column=None``; no ``--group``).

    Examples
    --------
    >>> without("group_column")
    'pass group_column=None'
    >>> with command_line({"group_column": "--group COLUMN"}):
    ...     without("group_column")
    'leave out --group'
    """
    options = _OPTIONS.get()
    option = None if options is None else options.get(name)
    if option is None:
        return f"pass {name}=None"
    return f"leave out {option.split(' ')[0]}"


def _literal(value: object) -> bool:
    """A value the command line can take as it is: a number or a plain word."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and not any(c in value for c in "()[]{}=")
