"""Reading community data (any file :func:`~renoscore.load_data` reads, or JSON) and results.

Examples
--------
>>> import pathlib, tempfile
>>> import renoscore as rs
>>> from renoscore.io.read import read_result
>>> path = pathlib.Path(tempfile.mkdtemp()) / "records.json"
>>> _ = path.write_text("[]", encoding="utf-8")
>>> try:
...     read_result(path)
... except rs.ResultError as exc:
...     print(exc.problems[0].reason)
the document is a list, not a renoscore result
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renoscore._calling import argument
from renoscore.data import CommunityData, load_data
from renoscore.errors import DataValidationError, Problem, ResultError

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem

__all__ = ["read_data", "read_result"]


def read_data(
    source: str | Path, system: IndicatorSystem | str | Path | None = None, **options: Any
) -> CommunityData:
    """Read community data from any file :func:`~renoscore.load_data` reads, or from JSON.

    A ``.json`` file holds a list of records (``[{"community_id": ..., "phase": ...,
    "<indicator>": value | "n/a" | null}, ...]``, as :func:`write_data` writes) or a mapping
    of columns; other files go to :func:`~renoscore.load_data` unchanged.

    Parameters
    ----------
    source : str or Path
    system : IndicatorSystem, str or Path, optional
    **options
        Passed to :func:`~renoscore.load_data` (``sheet=``, ``encoding=``, ``context=``...).

    Returns
    -------
    CommunityData
        With ``source`` the file read.

    Raises
    ------
    DataValidationError
        Invalid JSON, or data that does not fit the system.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> from renoscore.io import write_data
    >>> d = rs.example_data()
    >>> p = write_data(d, pathlib.Path(tempfile.mkdtemp()) / "d.json")
    >>> read_data(p) == d
    True
    """
    path = Path(source)
    if path.suffix.lower() != ".json":
        return load_data(path, system, **options)
    doc = _load_json(path, "utf-8-sig", "JSON")
    if not isinstance(doc, (list, dict)):
        raise DataValidationError(
            "a JSON data file holds a list of records or a mapping of columns",
            [Problem(f"found a {type(doc).__name__}", file=str(path))],
        )
    data = load_data(doc, system, **options)
    return CommunityData(
        system_id=data.system_id,
        system_version=data.system_version,
        indicator_ids=data.indicator_ids,
        ids=data.ids,
        phases=data.phases,
        values=data.values,
        status=data.status,
        context=data.context,
        source=str(path),
    )


def read_result(path: str | Path, *, max_bytes: int = 2_000_000_000) -> EvaluationResult:
    """Read a result written as JSON (:func:`write_result` or ``result.to_json()``), checked.

    The file is refused beyond ``max_bytes`` before it is read; the document is checked as by
    :meth:`~renoscore.EvaluationResult.from_json` (limits, schema, consistency, digests).

    Parameters
    ----------
    path : str or Path
        A JSON file holding one whole result.
    max_bytes : int
        Largest file read.

    Returns
    -------
    EvaluationResult
        Equal to the result that was written.

    Raises
    ------
    ResultError
        When the file cannot be read, is not JSON, is not a renoscore result or does not hold
        together; every problem names the file and its place. (A
        :class:`~renoscore.errors.DataValidationError`, as before.)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> from renoscore.io import write_result
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_result(r, pathlib.Path(tempfile.mkdtemp()) / "r.json")
    >>> read_result(p).ids == r.ids
    True
    """
    from renoscore.result import EvaluationResult

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ResultError(
                "the result file is too large",
                [
                    Problem(
                        f"{size} bytes exceeds the limit of {max_bytes}",
                        file=str(path),
                        fix=f"use {argument('max_bytes', size)} (or more) to read it",
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as exc:
        reason = "no such file" if not path.exists() else exc.strerror or str(exc)
        raise ResultError(
            "cannot read the result file", [Problem(reason, file=str(path), fix="check the path")]
        ) from None
    return EvaluationResult.from_json(raw, max_bytes=max_bytes, source=str(path))


def _load_json(path: Path, encoding: str, what: str) -> Any:
    """The JSON document in ``path``; a file that cannot be read or parsed is a data error."""
    try:
        return json.loads(path.read_text(encoding=encoding))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            f"cannot read the {what} file",
            [Problem(f"{type(exc).__name__}: {exc}", file=str(path), fix="check the file")],
        ) from None
