"""The problems of an input as a table an office can correct from: Excel or CSV.

Each problem is one row: the row of the sheet (or line of the file) it is in, the community,
the column as the file heads it, the value as written, the problem and the fix. Headers and
the sheet are in Chinese with ``lang="zh"`` (行号, 小区, 列, 填写内容, 问题, 修改建议).
``renoscore validate|score ... --problems problems.xlsx`` writes this file.

Examples
--------
>>> import pathlib, tempfile
>>> from renoscore.errors import Problem
>>> rows = problem_records([Problem("not a number", row=2, line=5, column="距离", value="abc",
...     community_id="金水小区", fix="write a number")], lang="zh")
>>> rows[0]["行号"], rows[0]["列"], rows[0]["修改建议"]
(5, '距离', 'write a number')
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from renoscore._files import Inputs, check_output, write_text
from renoscore.errors import Problem
from renoscore.io._words import PROBLEM_HEADERS, PROBLEM_SHEET
from renoscore.io.write import write_table

__all__ = ["problem_records", "write_problems"]


def problem_records(problems: Iterable[Problem], lang: str = "en") -> list[dict[str, Any]]:
    """One record per problem (see the module docstring), headed in ``lang``.

    ``row`` is the sheet row or file line where the file has one, else the data row; a
    problem with no row (a column, a YAML key) has its place in front of its text.
    """
    head = PROBLEM_HEADERS["zh" if lang == "zh" else "en"]
    out: list[dict[str, Any]] = []
    for p in problems:
        row = p.line if p.line is not None and p.row is not None else p.row
        text = p.reason
        if p.row is None and (p.path or (p.line is not None and p.column is None)):
            where = ", ".join(x for x in (p.file and f"{p.file}:{p.line}", p.path) if x)
            text = f"{where}: {text}" if where else text
        out.append(
            {
                head["row"]: row,
                head["community"]: p.community_id,
                head["column"]: p.column,
                head["value"]: None if p.value is None else _shown(p.value),
                head["problem"]: text,
                head["fix"]: p.fix,
            }
        )
    return out


def _shown(value: object) -> object:
    return value if isinstance(value, (str, int, float)) else repr(value)


def write_problems(
    problems: Iterable[Problem],
    path: str | Path,
    *,
    lang: str = "en",
    encoding: str = "utf-8",
    overwrite: bool = True,
    inputs: Inputs | None = None,
) -> Path:
    """Write problems as an Excel (``.xlsx``) or CSV table; an empty list writes the header.

    The file is written whole or not at all, never over one of ``inputs`` (the files of the
    run: the data table the problems are about), and over an existing file only with
    ``overwrite`` (see :func:`renoscore.io.write_table`); text a spreadsheet would run as a
    formula is neutralised in a CSV.

    Raises
    ------
    OutputError
        A path that may not be written, or a write that failed.

    Examples
    --------
    >>> import pathlib, tempfile, csv
    >>> p = write_problems([Problem("empty phase", row=3, line=4, column="阶段")],
    ...     pathlib.Path(tempfile.mkdtemp()) / "p.csv", lang="zh")
    >>> next(csv.reader(p.open(encoding="utf-8")))
    ['行号', '小区', '列', '填写内容', '问题', '修改建议']
    """
    check_output(path, inputs=inputs, overwrite=overwrite)  # before the records are built
    records = problem_records(problems, lang)
    if not records:
        records = [dict.fromkeys(PROBLEM_HEADERS["zh" if lang == "zh" else "en"].values())]
        if Path(path).suffix.lower() == ".csv":
            header = ",".join(records[0])
            return write_text(
                path, header + "\n", encoding=encoding, overwrite=overwrite, inputs=inputs
            )
    sheet = PROBLEM_SHEET["zh" if lang == "zh" else "en"]
    return write_table(
        records, path, encoding=encoding, sheet=sheet, overwrite=overwrite, inputs=inputs
    )
