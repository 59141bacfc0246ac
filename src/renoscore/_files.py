"""Output files: where one may be written, how it is written, and text a spreadsheet will not run.

Every writer of renoscore (tables and results in :mod:`renoscore.io`, the report, frozen
weights, the command line's outputs) goes through this module, so that these hold for all:

* :func:`check_output` refuses a path before any work is done: an input of the same run (the
  data table, the system, the panel...), a folder, a folder that does not exist or cannot be
  written, a suffix the writer does not know, and an existing file unless ``overwrite``;
* :func:`replace_file` (and :func:`write_text`, :func:`write_bytes`) write through a temporary
  file in the target's own folder, flushed to disk, then renamed over the target
  (:func:`os.replace`, atomic within a file system): a failed write (disk full, read-only
  file system, an exception half-way) never leaves a truncated file and never destroys the
  file that was there; the temporary file is removed. An :class:`OSError` becomes an
  :class:`~renoscore.errors.OutputError` that names the file and the cause. A character
  device or a named pipe (``-o /dev/stdout``) is written in place, never replaced; any other
  special file (a block device, a socket) is refused;
* :func:`spreadsheet_text` neutralises text that a spreadsheet would run as a formula (it
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a plain
  number) by putting an apostrophe before it, as spreadsheet-safe CSV writers do (OWASP, "CSV
  Injection"); :func:`from_spreadsheet_text` undoes it, so a CSV that renoscore wrote reads
  back as it was.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_text(folder / "a.txt", "first")
>>> write_text(path, "second", overwrite=False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
renoscore.errors.OutputError: cannot write ...a.txt (1 problem)
  - ...a.txt: the file exists -> pass overwrite=True to replace it, or choose another path
>>> spreadsheet_text('=HYPERLINK("http://x","XA04")'), spreadsheet_text("-5"), spreadsheet_text(-5)
('\\'=HYPERLINK("http://x","XA04")', '-5', -5)
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from renoscore.errors import OutputError, Problem

__all__ = [
    "FORMULA_STARTS",
    "check_output",
    "from_spreadsheet_text",
    "is_stream",
    "needs_apostrophe",
    "replace_file",
    "same_file",
    "spreadsheet_text",
    "write_bytes",
    "write_text",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = frozenset("=+-@\t\r")

#: Text that is a plain number ("-5", "+1.5e3"): a spreadsheet reads it as that number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")

#: Inputs of a run, by what they are (``{"DATA": "communities.csv"}``); None is skipped.
Inputs = Mapping[str, "str | os.PathLike[str] | None"] | Iterable["str | os.PathLike[str] | None"]

_CAUSES = {
    errno.ENOSPC: ("the disk is full", "free some space and run again"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space and run again"),
    errno.EFBIG: ("the file would be larger than this system allows", "write a smaller output"),
    errno.EROFS: ("the file system is read-only", "write to another folder"),
    errno.EACCES: ("permission denied", "write to a folder you may write to"),
    errno.EPERM: ("permission denied", "write to a folder you may write to"),
}


# ----------------------------------------------------------------------------- where
def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file (links, ``..`` and case-folding file systems too).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "x.csv").write_text("a")
    >>> same_file(d / "x.csv", d / "sub" / ".." / "x.csv"), same_file(d / "x.csv", d / "y.csv")
    (True, False)
    """
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, ValueError, RuntimeError):
            return False


def _labelled(inputs: Inputs | None) -> list[tuple[str, str | os.PathLike[str]]]:
    if inputs is None:
        return []
    if isinstance(inputs, Mapping):
        return [(str(k), v) for k, v in inputs.items() if v is not None and str(v) != ""]
    return [("an input of this run", v) for v in inputs if v is not None and str(v) != ""]


def check_output(
    path: str | os.PathLike[str],
    *,
    inputs: Inputs | None = None,
    overwrite: bool = False,
    suffixes: Iterable[str] | None = None,
    force_hint: str = "overwrite=True",
) -> Path:
    """The path to write, after refusing what must not be written; nothing is written.

    Parameters
    ----------
    path : str or Path
        The output file.
    inputs : mapping of label to path, or iterable of paths, optional
        The files the run reads, each with what it is ("the DATA input of this run"); writing
        over any of them is refused whatever ``overwrite``.
    overwrite : bool
        Replace an existing file (the command line's ``--force``).
    suffixes : iterable of str, optional
        The suffixes the writer knows (``.csv``, ...), lower case.
    force_hint : str
        How the caller asks to replace a file, for the message (``--force`` on the command
        line).

    Returns
    -------
    Path
        The file to write: ``path``, or the file a symbolic link at ``path`` points to.

    Raises
    ------
    OutputError
        With one problem naming the path, the cause and the fix.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output(d / "no_such_folder" / "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    renoscore.errors.OutputError: cannot write ...x.csv (1 problem)
      - ...x.csv: the folder ...no_such_folder does not exist -> create it first, or choose another path
    """
    given = Path(path)
    problem = _refusal(given, _labelled(inputs), overwrite, suffixes, force_hint)
    if problem is not None:
        raise OutputError(f"cannot write {given}", [problem])
    return given.resolve() if given.is_symlink() else given


def _refusal(
    path: Path,
    inputs: list[tuple[str, str | os.PathLike[str]]],
    overwrite: bool,
    suffixes: Iterable[str] | None,
    force_hint: str = "overwrite=True",
) -> Problem | None:
    """Why ``path`` may not be written, or None."""
    where = str(path)
    if suffixes is not None:
        known = sorted({s.lower() for s in suffixes})
        if path.suffix.lower() not in known:
            reason = (
                f"cannot write a {path.suffix} file here"
                if path.suffix
                else "the name has no suffix to tell the format"
            )
            return Problem(reason, file=where, fix=f"use one of {', '.join(known)}")
    for label, source in inputs:
        if same_file(path, source):
            return Problem(
                f"it is {label}, which would be lost",
                file=where,
                fix="write the output to another path",
            )
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return Problem("it is a folder", file=where, fix="give a file name inside it")
    if is_stream(path):
        return None  # /dev/stdout, a named pipe: written as it is, nothing there to lose
    if path.exists() and not path.is_file():
        return Problem(
            "it is not a regular file (a device or a socket)",
            file=where,
            fix="write to a file, or to /dev/stdout",
        )
    if not folder.exists():
        return Problem(
            f"the folder {folder} does not exist",
            file=where,
            fix="create it first, or choose another path",
        )
    if not folder.is_dir():
        return Problem(f"{folder} is not a folder", file=where, fix="choose another path")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Problem(
            f"the folder {folder} cannot be written",
            file=where,
            fix="write to a folder you may write to",
        )
    if (path.exists() or path.is_symlink()) and not overwrite:
        return Problem(
            "the file exists",
            file=where,
            fix=f"pass {force_hint} to replace it, or choose another path",
        )
    return None


# ----------------------------------------------------------------------------- how
def replace_file(
    path: str | os.PathLike[str],
    write: Callable[[Path], Any],
    *,
    overwrite: bool = True,
    inputs: Inputs | None = None,
    suffixes: Iterable[str] | None = None,
) -> Path:
    """Write a file through ``write(temporary_path)``, then rename it over ``path``.

    The temporary file is in the folder of ``path`` (so the rename stays on one file system
    and is atomic), is flushed to disk before the rename, and takes the permissions of the
    file it replaces. If ``write`` raises, nothing at ``path`` changes and the temporary file
    is removed; an :class:`OSError` is reported as an :class:`OutputError`.

    Parameters
    ----------
    path : str or Path
    write : callable
        Writes the whole file at the path it is given.
    overwrite, inputs, suffixes
        As for :func:`check_output`, which runs first.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = target.write_text("kept")
    >>> def broken(tmp):
    ...     tmp.write_text("half")
    ...     raise OSError(28, "No space left on device")
    >>> replace_file(target, broken)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    renoscore.errors.OutputError: cannot write ...t.txt (1 problem)
      - ...t.txt: the disk is full; the file that was there is unchanged -> free some space and run again
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('kept', ['t.txt'])
    """
    given = Path(path)
    target = check_output(given, inputs=inputs, overwrite=overwrite, suffixes=suffixes)
    if is_stream(target):
        try:
            write(target)  # a character device or a named pipe: no file to replace
        except OSError as exc:
            raise _write_failed(given, exc) from None
        return given
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        # Created by the process (umask applies), never an existing file.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        write(tmp)
        _flush_to_disk(tmp)
        if target.exists():
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise _write_failed(given, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    return given


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    overwrite: bool = True,
    inputs: Inputs | None = None,
    suffixes: Iterable[str] | None = None,
) -> Path:
    """Write ``text`` to ``path`` through :func:`replace_file`."""
    data = text.encode(encoding)
    return write_bytes(path, data, overwrite=overwrite, inputs=inputs, suffixes=suffixes)


def write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    overwrite: bool = True,
    inputs: Inputs | None = None,
    suffixes: Iterable[str] | None = None,
) -> Path:
    """Write ``data`` to ``path`` through :func:`replace_file`."""
    return replace_file(
        path,
        lambda tmp: tmp.write_bytes(data),
        overwrite=overwrite,
        inputs=inputs,
        suffixes=suffixes,
    )


def is_stream(path: Path) -> bool:
    """Whether ``path`` is a character device or a named pipe (``/dev/stdout``, a FIFO):
    written in place, since there is no file to replace and none to lose.

    Examples
    --------
    >>> is_stream(Path("/dev/null")), is_stream(Path("/tmp"))
    (True, False)
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _flush_to_disk(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _write_failed(path: Path, exc: OSError) -> OutputError:
    cause, fix = _CAUSES.get(exc.errno or -1, (exc.strerror or str(exc), "check the path"))
    return OutputError(
        f"cannot write {path}",
        [Problem(f"{cause}; the file that was there is unchanged", file=str(path), fix=fix)],
    )


# ----------------------------------------------------------------------------- what
def needs_apostrophe(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (after any leading apostrophes) as a formula.

    Examples
    --------
    >>> [needs_apostrophe(t) for t in ("=1+1", "'=1+1", "-5", "-5+1", "@SUM(A1)", "LY", "")]
    [True, True, False, True, True, False, False]
    """
    rest = text.lstrip("'")
    return rest[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.match(rest)


def spreadsheet_text(value: Any) -> Any:
    """``value`` with an apostrophe before text that a spreadsheet would run as a formula.

    Numbers, None and other text are returned as they are. Text that already starts with
    apostrophes before such a formula gets one more, so that :func:`from_spreadsheet_text`
    gives back exactly what was written.
    """
    if isinstance(value, str) and value and needs_apostrophe(value):
        return "'" + value
    return value


def from_spreadsheet_text(text: str) -> str:
    """Undo :func:`spreadsheet_text`: drop the apostrophe it put before a formula.

    Examples
    --------
    >>> from_spreadsheet_text("'=1+1"), from_spreadsheet_text("''=1+1"), from_spreadsheet_text("'ok")
    ('=1+1', "'=1+1", "'ok")
    """
    if text[:1] == "'" and needs_apostrophe(text):
        return text[1:]
    return text
