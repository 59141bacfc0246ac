"""Exceptions and warnings raised by renoscore.

Every error renoscore raises on bad input is a :class:`RenoscoreError` (itself a
:class:`ValueError`), so ``except ValueError`` keeps working for callers that do not care,
and ``except renoscore.RenoscoreError`` catches exactly what renoscore reports.

An error carries a tuple of :class:`Problem` records, one per thing that is wrong, each with
its location (file, line, row, column, community id, key path) and, where known, the fix.
Loaders collect *all* problems of an input before raising, the way pydantic lists every
validation error at once.

Hierarchy::

    RenoscoreError (ValueError)
    ├── IndicatorSystemError     a malformed indicator-system YAML or model
    │   └── ScaleError           a malformed survey scale set, or one that misfits its system
    ├── JudgementError           a malformed pairwise-comparison matrix
    │   └── PanelError           a malformed expert panel file
    ├── DataValidationError      community data that does not match the system
    │   ├── SurveyDataError      a respondent table that does not match its scales
    │   ├── LedgerError          a problem ledger (问题台账) read back with bad lines
    │   ├── ProjectTableError    a project table (milestones) with bad lines
    │   └── ResultError          a results file that is not what renoscore wrote, or does not
    │                            hold together (ranks, grades, phases, ids, digest)
    ├── CostTableError           a malformed cost table, or one that misfits its system
    ├── WeightsError             weights that cannot be derived or do not fit the system
    ├── OptionError              an unknown method name or an invalid option value
    │   └── ResourceError        a request that needs more memory than the machine has
    └── OutputError              an output file that may not or could not be written

    MissingDependencyError (ImportError)   an optional extra is not installed

    RenoscoreWarning (UserWarning)
    ├── DataNotice               what a data load did without failing (rows skipped, header found)
    ├── InconsistencyWarning     a judgement matrix fails its consistency rule
    ├── ConstantIndicatorWarning an indicator is constant and gets zero data-driven weight
    ├── CoverageWarning          a community has too few indicators to be scored
    ├── MissingFontWarning       Chinese chart text but no CJK font for matplotlib
    ├── PlanWarning              a programme plan that is not proved optimal, or approximate gains
    └── ReliabilityWarning       a survey scale's Cronbach's alpha is below 0.70

    UsageError (Exception)       the command line was used wrongly (exit status 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ConstantIndicatorWarning",
    "CostTableError",
    "CoverageWarning",
    "DataNotice",
    "DataValidationError",
    "InconsistencyWarning",
    "IndicatorSystemError",
    "JudgementError",
    "LedgerError",
    "MissingDependencyError",
    "MissingFontWarning",
    "OptionError",
    "OutputError",
    "PanelError",
    "PlanWarning",
    "Problem",
    "ProjectTableError",
    "ReliabilityWarning",
    "RenoscoreError",
    "RenoscoreWarning",
    "ResourceError",
    "ResultError",
    "ScaleError",
    "SurveyDataError",
    "UsageError",
    "WeightsError",
]

#: How many problems an error message lists before summarising the rest.
MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is and how to fix it.

    Parameters
    ----------
    reason : str
        What is wrong, in one sentence.
    fix : str, optional
        What the user should do about it.
    file : str, optional
        The file the problem is in.
    line : int, optional
        1-based line in that file.
    row : int, optional
        1-based data row (the header of a table is not counted).
    column : str, optional
        Column or indicator id.
    community_id : str, optional
        The community the row belongs to.
    path : str, optional
        A dotted key path inside a structured document, e.g. ``nodes.facilities.goalposts``.
    value : object, optional
        The offending value as it was read.
    """

    reason: str
    fix: str | None = None
    file: str | None = None
    line: int | None = None
    row: int | None = None
    column: str | None = None
    community_id: str | None = None
    path: str | None = None
    value: object = field(default=None)

    def __post_init__(self) -> None:
        # A numpy scalar is shown as the plain number it is (0.999, not np.float64(0.999)).
        value: Any = self.value
        if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
            object.__setattr__(self, "value", value.item())

    @property
    def location(self) -> str:
        """Where the problem is, as a short human-readable string."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.path:
            parts.append(self.path)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.community_id is not None:
            parts.append(f"community {self.community_id!r}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) if parts else "input"

    def __str__(self) -> str:
        text = f"{self.location}: {self.reason}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f" -> {self.fix}"
        return text


class RenoscoreError(ValueError):
    """Base class of every error renoscore raises on bad input.

    Parameters
    ----------
    message : str
        A one-line summary.
    problems : iterable of Problem, optional
        Every problem found; they are listed in the message.

    Examples
    --------
    >>> err = RenoscoreError("bad input", [Problem("not a number", row=3, column="x")])
    >>> print(err)
    bad input (1 problem)
      - row 3, column 'x': not a number
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = message
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return self.summary
        count = len(self.problems)
        head = f"{self.summary} ({count} problem{'s' if count != 1 else ''})"
        lines = [f"  - {p}" for p in self.problems[:MAX_LISTED_PROBLEMS]]
        if count > MAX_LISTED_PROBLEMS:
            lines.append(f"  ... and {count - MAX_LISTED_PROBLEMS} more (see .problems)")
        return "\n".join([head, *lines])

    def __reduce__(self) -> tuple[type[RenoscoreError], tuple[str, tuple[Problem, ...]]]:
        return (type(self), (self.summary, self.problems))


class IndicatorSystemError(RenoscoreError):
    """An indicator system (YAML file or model) is malformed."""


class JudgementError(RenoscoreError):
    """A pairwise-comparison (AHP judgement) matrix is malformed."""


class PanelError(JudgementError):
    """An expert panel (YAML file or model) is malformed."""


class DataValidationError(RenoscoreError):
    """Community data does not match its indicator system."""


class WeightsError(RenoscoreError):
    """Weights cannot be derived, or do not belong to the system they are used with."""


class OptionError(RenoscoreError):
    """An unknown method name or an invalid option value was passed."""


class ResourceError(OptionError):
    """A request that would need more memory than the machine has, refused before the work.

    The problem names the option, the memory it would need, what is available and the
    largest value that fits (e.g. ``n=`` draws of an uncertainty analysis).
    """


class OutputError(RenoscoreError):
    """An output file may not be written where asked, or writing it failed.

    Refused before any work: the path is an input of the same run, an existing file (without
    ``overwrite``/``--force``), a folder, in a folder that does not exist or cannot be
    written. Failed while writing: the disk is full, the file system is read-only. Either way
    the file that was there before, if any, is unchanged (writes go to a temporary file in
    the same folder, renamed over the target only once complete).
    """


class MissingDependencyError(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the optional dependency {package!r}, which is not installed. "
            f"Install it with: pip install 'renoscore[{extra}]'"
        )


class RenoscoreWarning(UserWarning):
    """Base class of renoscore's warnings."""


class DataNotice(RenoscoreWarning):
    """What loading community data did without failing: rows without values skipped, the
    header found below title rows, units converted, values that look like shares on a 0-100
    scale. Kept in the data's ``notices`` and in a result's provenance; not an error."""


class InconsistencyWarning(RenoscoreWarning):
    """A judgement matrix fails its consistency rule (e.g. CR >= 0.10)."""


class ConstantIndicatorWarning(RenoscoreWarning):
    """An indicator is constant over the data and gets zero data-driven weight."""


class CoverageWarning(RenoscoreWarning):
    """A community has too few usable indicators to be scored."""


class MissingFontWarning(RenoscoreWarning):
    """Chinese text is drawn but no CJK font is available to matplotlib."""


class UsageError(Exception):
    """The command line was used wrongly (a missing argument, an unknown output suffix).

    Not a :class:`RenoscoreError`: the input files may be fine. ``renoscore`` prints it as
    ``usage error: ...`` and exits with status 2.
    """


# --------------------------------------------------------------------------- resident surveys
class ScaleError(IndicatorSystemError):
    """A scale set (YAML file or model) is malformed or does not fit its indicator system."""


class SurveyDataError(DataValidationError):
    """A respondent table does not match its scales (or pairwise-comparison columns)."""


class ResultError(DataValidationError):
    """A results file (``EvaluationResult.to_json``) is not one renoscore wrote, or does not
    hold together: a shape, a rank that does not follow from the scores, a grade outside its
    band, an unknown phase, look-alike ids, or content that does not match its digest.

    A :class:`DataValidationError`, as :func:`renoscore.io.read_result` raised before it had
    a class of its own.
    """


class ReliabilityWarning(RenoscoreWarning):
    """A scale's internal consistency (Cronbach's alpha) is below 0.70."""


class LedgerError(DataValidationError):
    """A problem ledger (问题台账) read back with bad lines: every problem at once."""


class ProjectTableError(DataValidationError):
    """A project table (milestones and investment) with bad lines: every problem at once."""


class CostTableError(RenoscoreError):
    """A malformed cost table, or one whose items are not renovation items of the system."""


class PlanWarning(RenoscoreWarning):
    """A programme plan not proved optimal in its time limit, or gains that are approximate."""
