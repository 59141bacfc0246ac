"""Reading a table from any source into columns of cells, with the problems met on the way.

A source is a CSV path (UTF-8 with or without BOM, then GB18030; any common delimiter), an
Excel or Parquet path, a pandas DataFrame, a list of records or a mapping of columns.
:func:`renoscore._sources.read_source` turns it into a :class:`Table`: the header in file order, one object (or
numeric, or text) array of cells per column, the file line of each row where there is a file,
the rows above the header (titles), and the problems found while reading (ragged CSV rows).

Nothing here knows what the columns mean: :mod:`renoscore.data` and :mod:`renoscore.survey`
check them against an indicator system or a scale set. They may pass :class:`ReadHints`: how
to score a row as a header (so that the header is found below title rows) and which columns
hold numbers (so that a CSV is parsed by a C parser when pyarrow is installed). CSV files are
read by :mod:`renoscore._csv`, Excel files by :mod:`renoscore._excel`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._validation import short_repr, suggest
from renoscore.errors import DataValidationError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_PROBLEMS",
    "MAX_TITLE_ROWS",
    "Problems",
    "ReadHints",
    "Table",
    "duplicate_columns",
    "find_header",
    "missing_id_column",
    "title_rows",
]

#: Largest data file read by default (bytes); pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 2_000_000_000
#: Most problems one error records one by one; the rest are counted in a last problem. A table
#: of garbage would otherwise build a record per cell: 8 MB of bad cells took 54 s and 1.5 GB.
MAX_PROBLEMS = 10_000
#: Most rows above the header searched for it (title rows, notes, a blank line).
MAX_TITLE_ROWS = 30
#: Rows after the best header so far that are read before it is taken as the header.
_SETTLED = 3


class Problems(list[Problem]):
    """A list of problems that keeps the first :data:`MAX_PROBLEMS` and counts the rest."""

    def __init__(self, items: Iterable[Problem] = (), cap: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.cap = cap
        self.more = 0
        self.unchecked = False  # some cells were not checked one by one once the cap was hit
        self.extend(items)

    @property
    def room(self) -> int:
        """How many more problems are recorded one by one."""
        return max(0, self.cap - len(self))

    def append(self, problem: Problem) -> None:
        if len(self) < self.cap:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def skip(self, count: int) -> None:
        """Count ``count`` problems that were found but not recorded one by one."""
        self.more += count

    def add_cells(
        self,
        mask: NDArray[np.bool_],
        values: NDArray[np.float64],
        located: Callable[[int], dict[str, Any]],
        ids: NDArray[np.str_],
        *,
        column: str,
        reason: str,
        fix: str,
    ) -> None:
        """One problem per flagged cell of a column (while there is room; the rest counted).

        ``located`` gives a row's place (file, row, sheet) as :class:`Problem` fields.
        """
        rows = np.flatnonzero(mask)
        self.skip(max(0, rows.size - self.room))
        for r in rows[: self.room].tolist():
            self.append(
                Problem(
                    reason,
                    column=column,
                    community_id=str(ids[r]) or None,
                    value=float(values[r]),
                    fix=fix,
                    **located(r),
                )
            )

    def listed(self) -> list[Problem]:
        """The problems by row and column, then a count of those not listed."""
        out = sorted(self, key=lambda p: (p.row or 0, p.column or ""))
        if self.more or self.unchecked:
            rest = " (the rest of the table was not checked cell by cell)" if self.unchecked else ""
            out.append(
                Problem(
                    f"... and {self.more} more problems of the kinds above, not listed one by "
                    f"one{rest}",
                    fix="fix the problems listed (often one cause: a wrong file, separator or "
                    "encoding), then load again",
                )
            )
        return out


@dataclass(frozen=True)
class ReadHints:
    """What the caller knows about the columns it expects.

    Parameters
    ----------
    header_row : int, optional
        1-based row of the header in the file or sheet; by default the first of the top rows
        that ``score`` rates highest (the first row when there is no ``score``).
    score : callable, optional
        How many cells of a row name a column the caller knows.
    numeric : callable, optional
        For a header, which of its columns hold numbers: with pyarrow installed, a CSV file is
        then read by its C parser (other columns as text).
    """

    header_row: int | None = None
    score: Callable[[Sequence[str]], int] | None = None
    numeric: Callable[[Sequence[str]], Sequence[bool]] | None = None


class Table:
    """A table as read: header, columns of cells, file lines of the rows, reading problems.

    Attributes
    ----------
    columns : dict
        Header -> one array of cells per column (the first of repeated headers).
    header : list of str
        The header in file order.
    n : int
        Number of data rows.
    source : str or None
        The file read, if any.
    problems : list of Problem
        Problems met while reading (ragged rows).
    header_line : int or None
        File line (CSV) or sheet row (Excel) of the header; None without a file.
    titles : list of (int, str)
        The rows above the header that held something: their line and their text.
    percent : dict
        Header -> which cells were shown as percentages (an Excel number format).
    details : dict
        How the table was read (delimiter, sheet, parser), for the data's provenance.
    """

    def __init__(
        self,
        columns: dict[str, NDArray[Any]],
        header: list[str],
        n: int,
        lines: list[int] | Callable[[], list[int]] | None = None,
        source: str | None = None,
        problems: list[Problem] | None = None,
        *,
        header_line: int | None = None,
    ) -> None:
        self.columns = columns
        self.header = header
        self.n = n
        self._lines = lines
        self.source = source
        self.problems: list[Problem] = problems if problems is not None else []
        has_lines = lines is not None
        self.header_line = header_line if header_line is not None else (1 if has_lines else None)
        self.titles: list[tuple[int, str]] = []
        self.percent: dict[str, NDArray[np.bool_]] = {}
        self.details: dict[str, Any] = {}

    @property
    def lines(self) -> list[int] | None:
        """The file line (CSV) or sheet row (Excel) of each data row; None without a file.

        A C-parsed CSV counts its lines only when they are first asked for (by a problem).
        """
        if callable(self._lines):
            self._lines = self._lines()
        return self._lines

    def line(self, row: int) -> int | None:
        """The file line of 0-based data row ``row``, if known."""
        lines = self.lines
        return lines[row] if lines is not None and row < len(lines) else None


def duplicate_columns(table: Table) -> list[Problem]:
    """A problem for every column name that appears more than once in the header."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for name in table.header:
        counts[name] = counts.get(name, 0) + 1
    for name, count in counts.items():
        if count > 1:
            problems.append(
                Problem(
                    f"column {name!r} appears {count} times",
                    file=table.source,
                    line=table.header_line,
                    column=name,
                    fix="remove or rename the copies",
                )
            )
    return problems


def missing_id_column(table: Table, id_column: str) -> Problem:
    """The problem of a table without its id column, with a did-you-mean among its columns."""
    return Problem(
        f"no column {id_column!r}",
        file=table.source,
        line=table.header_line,
        fix=suggest(id_column, table.header)
        or f"add a {id_column!r} column or use {argument('id_column', 'COLUMN')}",
    )


def find_header(
    rows: Sequence[Sequence[str]],
    hints: ReadHints,
    source: str | None,
    lines: Sequence[int] | None = None,
) -> int:
    """The 0-based index among ``rows`` (the top rows of a file, as text) of the header.

    With ``hints.header_row`` that row; otherwise the first of the first
    :data:`MAX_TITLE_ROWS` + 1 rows that ``hints.score`` rates highest (the first row when no
    row names a known column). ``lines`` are the rows' own line numbers, if not 1, 2, ...

    Examples
    --------
    >>> rows = [["某街道老旧小区改造评价表"], ["小区名称", "阶段"], ["金水小区", "改造前"]]
    >>> find_header(rows, ReadHints(score=lambda r: sum(c in ("小区名称", "阶段") for c in r)), None)
    1
    """
    numbers = list(lines) if lines is not None else list(range(1, len(rows) + 1))
    if hints.header_row is not None:
        if hints.header_row in numbers:
            return numbers.index(hints.header_row)
        raise DataValidationError(
            "no such header row",
            [
                Problem(
                    f"row {hints.header_row} is not among the rows of the table "
                    f"({numbers[0] if numbers else 0}-{numbers[-1] if numbers else 0})",
                    file=source,
                    value=hints.header_row,
                    fix=f"use {argument('header_row', 'ROW')} with the row of the column names",
                )
            ],
        )
    if hints.score is None or not rows:
        return 0
    best, best_score = 0, hints.score(rows[0])
    for k, row in enumerate(rows[1 : MAX_TITLE_ROWS + 1], start=1):
        if best_score > 0 and k > best + _SETTLED:
            break  # rows of data below a header name no column
        score = hints.score(row)
        if score > best_score:
            best, best_score = k, score
    return best


def title_rows(rows: Sequence[Sequence[str]], lines: Sequence[int]) -> list[tuple[int, str]]:
    """The rows above a header that hold something: (line, their cells joined)."""
    out: list[tuple[int, str]] = []
    for row, line in zip(rows, lines, strict=False):
        text = " ".join(c.strip() for c in row if c and c.strip())
        if text:
            out.append((line, short_repr(text, 60) if len(text) > 60 else text))
    return out
