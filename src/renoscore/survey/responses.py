"""From questionnaire answers to indicator values: scale scores, community means, reliability.

A *respondent table* has one row per respondent: the community id, the phase, a respondent id,
any covariates, and one column per questionnaire item (CSV, Excel, Parquet, a DataFrame, a
list of records or a mapping of columns, read like :func:`renoscore.load_data` reads community
data). :func:`score_survey` validates it against a :class:`~renoscore.survey.ScaleSet`, scores
every scale per respondent, and aggregates per community and phase:

* respondent scale score: the mean of the answered items after reverse-scoring
  (``min + max - x``), if at least ``ceil(min_answered * k)`` of the ``k`` items are answered
  (2/3 by default; domain brief §3.6), otherwise missing;
* community mean, ``n``, SD, ``SE = SD / sqrt(n)`` and a Student-t confidence interval
  (Cochran, 1977; Student, 1908), optionally with the finite population correction;
* a flag where ``n`` is below the minimum ``max(30, ceil(10 % of households))`` (capped at the
  number of households): too few respondents is a flag in the output, never an error;
* Cronbach's alpha and McDonald's omega per scale over all respondents and per community,
  alpha if an item is dropped and corrected item-total correlations, with a
  :class:`ReliabilityWarning` when a scale's alpha over all respondents is below 0.70
  (Nunnally, 1978); per-community values below 0.70 are counted in
  :meth:`SurveyScores.reliability_records` and noted in ``warnings``.

The result feeds community data directly (:meth:`SurveyScores.apply_to`), and its standard
errors the uncertainty analysis (:meth:`SurveyScores.standard_errors`).

Bad input never passes silently: answers outside the response range, non-numeric answers,
fractions on a whole-number scale, respondents without a community, unknown phases, duplicated
respondent ids and scale items missing from the file are all listed in one
:class:`SurveyDataError` with the row, line and column.

References
----------
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, New York.
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika
16(3), 297-334.
McDonald, R. P. (1999). Test Theory: A Unified Treatment. Lawrence Erlbaum, Mahwah NJ.
Nunnally, J. C. (1978). Psychometric Theory, 2nd ed. McGraw-Hill, New York.
Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus, as_text, parse_numeric
from renoscore._optional import import_optional
from renoscore._tables import DEFAULT_MAX_BYTES, read_source
from renoscore.data import CommunityData
from renoscore.errors import DataValidationError, OptionError, Problem, RenoscoreWarning
from renoscore.survey._stats import group_index, grouped_mean_sd, mean_interval
from renoscore.survey.reliability import ALPHA_WARN_BELOW, item_analysis
from renoscore.survey.scales import ScaleSet, load_scales
from renoscore.system import IndicatorSystem, available_systems, load_system, suggest

__all__ = [
    "ReliabilityWarning",
    "ScaleReliability",
    "SurveyDataError",
    "SurveyResponses",
    "SurveyScores",
    "read_responses",
    "score_survey",
]

FloatArray = NDArray[np.float64]
_SEP = "\x1f"


class SurveyDataError(DataValidationError):
    """A respondent table does not match its scales (or pairwise-comparison columns)."""


class ReliabilityWarning(RenoscoreWarning):
    """A scale's internal consistency (Cronbach's alpha) is below 0.70."""


# --------------------------------------------------------------------------- the table
@dataclass(frozen=True, eq=False)
class SurveyResponses:
    """A respondent table whose id, phase and respondent columns have been checked.

    The answer columns are kept as read; :func:`score_survey` and
    :func:`~renoscore.survey.resident_ahp` parse the ones they use.

    Attributes
    ----------
    community_ids, phases, respondent_ids : tuple
        One entry per respondent (phase None when the table has no phase column; respondent id
        ``row <n>`` when it has no respondent column).
    columns : dict
        Every column of the file as an object array of cells.
    header : tuple of str
        The column names in file order.
    lines : tuple of int or None
        The file line of each respondent (CSV/Excel), for messages.
    source : str or None
        Where the table came from.
    id_column, phase_column, respondent_column : str or None
        The names of the key columns (None when absent).
    """

    community_ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    respondent_ids: tuple[str, ...]
    columns: dict[str, NDArray[Any]]
    header: tuple[str, ...]
    lines: tuple[int, ...] | None
    source: str | None
    id_column: str
    phase_column: str | None
    respondent_column: str | None

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.community_ids)

    def where(self, row: int) -> dict[str, Any]:
        """Location fields of a :class:`~renoscore.errors.Problem` for a 0-based row."""
        return {
            "file": self.source,
            "row": row + 1,
            "line": self.lines[row] if self.lines else None,
            "community_id": self.community_ids[row] or None,
        }

    def column_text(self, name: str) -> NDArray[np.str_]:
        """A column as stripped text ('' for empty cells)."""
        return as_text(np.asarray(self.columns[name], dtype=object))

    def keys(self) -> NDArray[np.str_]:
        """``community id`` + separator + ``phase`` of every respondent (the group key)."""
        ids = np.array(self.community_ids, dtype=str)
        ph = np.array(["" if p is None else p for p in self.phases], dtype=str)
        return np.char.add(np.char.add(ids, _SEP), ph)

    def __repr__(self) -> str:
        groups = len(set(zip(self.community_ids, self.phases, strict=True)))
        return (
            f"SurveyResponses({self.n} respondents, {groups} community-phase groups, "
            f"{len(self.header)} columns{', ' + self.source if self.source else ''})"
        )


def _read(
    source: Any,
    system: IndicatorSystem | None,
    *,
    id_column: str,
    phase_column: str | None,
    respondent_column: str | None,
    encoding: str | None,
    sheet: str | int | None,
    max_bytes: int,
) -> tuple[SurveyResponses, list[Problem]]:
    """Read the table and check the key columns; return it with the problems found."""
    if isinstance(source, SurveyResponses):
        return source, _phase_problems(source, system)
    try:
        table = read_source(source, encoding, sheet, max_bytes)
    except DataValidationError as exc:
        raise SurveyDataError(
            exc.summary.replace("data", "respondent table", 1), exc.problems
        ) from None
    problems = list(table.problems)
    file = table.source
    header_line = 1 if table.lines is not None else None
    if id_column not in table.columns:
        raise SurveyDataError(
            "the respondent table has no community id column",
            [
                Problem(
                    f"no column {id_column!r}",
                    file=file,
                    line=header_line,
                    fix=suggest(id_column, table.header)
                    or f"add a {id_column!r} column or pass id_column=...",
                )
            ],
        )
    counts: dict[str, int] = {}
    for name in table.header:
        counts[name] = counts.get(name, 0) + 1
    for name, count in counts.items():
        if count > 1:
            problems.append(
                Problem(
                    f"column {name!r} appears {count} times",
                    file=file,
                    line=header_line,
                    column=name,
                    fix="remove or rename the copies",
                )
            )
    n = table.n
    lines = tuple(table.lines) if table.lines is not None else None
    ids_text = as_text(np.asarray(table.columns[id_column], dtype=object))
    ids = tuple(str(i) for i in ids_text.tolist())
    has_phase = phase_column is not None and phase_column in table.columns
    phases: tuple[str | None, ...] = (None,) * n
    if has_phase:
        assert phase_column is not None
        phase_text = as_text(np.asarray(table.columns[phase_column], dtype=object))
        phases = tuple(str(p) for p in phase_text.tolist())
    has_resp = respondent_column is not None and respondent_column in table.columns
    if has_resp:
        assert respondent_column is not None
        resp_text = as_text(np.asarray(table.columns[respondent_column], dtype=object))
        respondents = tuple(str(r) for r in resp_text.tolist())
    else:
        respondents = tuple(f"row {r + 1}" for r in range(n))
    responses = SurveyResponses(
        community_ids=ids,
        phases=phases,
        respondent_ids=respondents,
        columns=dict(table.columns),
        header=tuple(table.header),
        lines=lines,
        source=file,
        id_column=id_column,
        phase_column=phase_column if has_phase else None,
        respondent_column=respondent_column if has_resp else None,
    )
    if n == 0:
        problems.append(Problem("the table has no respondents", file=file, fix="add rows"))
        return responses, problems
    for r in np.flatnonzero(ids_text == "").tolist():
        problems.append(
            Problem(
                "respondent without a community",
                column=id_column,
                fix="give every respondent the id of their community",
                **responses.where(r),
            )
        )
    if has_phase:
        phase_arr = np.array(phases, dtype=str)
        for r in np.flatnonzero(phase_arr == "").tolist():
            problems.append(
                Problem(
                    "empty phase",
                    column=phase_column,
                    fix="write the phase of the survey (e.g. t0)",
                    **responses.where(r),
                )
            )
        problems += _phase_problems(responses, system)
    if has_resp:
        resp_arr = np.array(respondents, dtype=str)
        for r in np.flatnonzero(resp_arr == "").tolist():
            problems.append(
                Problem(
                    "empty respondent id",
                    column=respondent_column,
                    fix="give every respondent an id (or drop the column)",
                    **responses.where(r),
                )
            )
        full = np.char.add(np.char.add(responses.keys(), _SEP), resp_arr)
        _, first, inverse = np.unique(full, return_index=True, return_inverse=True)
        dup = (np.arange(n) != first[inverse.reshape(-1)]) & (resp_arr != "")
        for r in np.flatnonzero(dup).tolist():
            first_row = int(first[inverse.reshape(-1)[r]])
            problems.append(
                Problem(
                    f"respondent {respondents[r]!r} appears twice in this community and phase "
                    f"(first at row {first_row + 1})",
                    column=respondent_column,
                    fix="give each respondent one row per survey",
                    **responses.where(r),
                )
            )
    return responses, problems


def _phase_problems(responses: SurveyResponses, system: IndicatorSystem | None) -> list[Problem]:
    """Respondents whose phase is not a phase of ``system``."""
    if system is None or responses.phase_column is None or responses.n == 0:
        return []
    phase_arr = np.array(["" if p is None else p for p in responses.phases], dtype=str)
    declared = list(system.phase_ids)
    unknown = (phase_arr != "") & ~np.isin(phase_arr, declared)
    return [
        Problem(
            f"unknown phase {responses.phases[r]!r}",
            column=responses.phase_column,
            value=responses.phases[r],
            fix=suggest(str(responses.phases[r]), declared) or f"use one of {declared}",
            **responses.where(r),
        )
        for r in np.flatnonzero(unknown).tolist()
    ]


def read_responses(
    source: Any,
    system: IndicatorSystem | str | Path | None = None,
    *,
    id_column: str = "community_id",
    phase_column: str | None = "phase",
    respondent_column: str | None = "respondent_id",
    encoding: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SurveyResponses:
    """Read a respondent table and check its community, phase and respondent columns.

    Parameters
    ----------
    source : path, DataFrame, list of dict or mapping of columns
        The table, one row per respondent.
    system : IndicatorSystem, str or Path, optional
        When given, phases must be phases of this system.
    id_column, phase_column, respondent_column : str
        Names of the key columns; the phase and respondent columns are optional.
    encoding, sheet, max_bytes
        As for :func:`renoscore.load_data`.

    Returns
    -------
    SurveyResponses

    Raises
    ------
    SurveyDataError
        Listing every respondent without a community, empty or unknown phase, duplicated
        respondent id and duplicated column.

    Examples
    --------
    >>> r = read_responses({"community_id": ["LY", "LY"], "phase": ["t0", "t0"], "b1": [4, 5]})
    >>> r.n, r.respondent_ids
    (2, ('row 1', 'row 2'))
    """
    sys_obj = load_system(system) if system is not None else None
    responses, problems = _read(
        source,
        sys_obj,
        id_column=id_column,
        phase_column=phase_column,
        respondent_column=respondent_column,
        encoding=encoding,
        sheet=sheet,
        max_bytes=max_bytes,
    )
    if problems:
        raise SurveyDataError(_title(responses), problems)
    return responses


def _title(responses: SurveyResponses) -> str:
    return "the respondent table is invalid" + (
        f" in {responses.source}" if responses.source else ""
    )


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class ScaleReliability:
    """Reliability of one scale over all respondents.

    Attributes
    ----------
    scale, indicator : str
        The scale and the indicator it feeds (None if none).
    items : tuple of str
        Item ids; ``reverse`` marks the reverse-scored ones.
    n : int
        Respondents who answered every item (listwise deletion).
    alpha, omega : float
        Cronbach's alpha and McDonald's omega (NaN when undefined, e.g. one item).
    alpha_if_deleted, item_total, loadings, item_means, item_sd : ndarray, shape (k,)
        Per-item statistics (item means after reverse-scoring).
    """

    scale: str
    indicator: str | None
    items: tuple[str, ...]
    reverse: tuple[bool, ...]
    n: int
    alpha: float
    omega: float
    alpha_if_deleted: FloatArray
    item_total: FloatArray
    loadings: FloatArray
    item_means: FloatArray
    item_sd: FloatArray

    @property
    def acceptable(self) -> bool:
        """Alpha at least 0.70 (Nunnally, 1978); True when alpha is undefined."""
        return not (self.alpha == self.alpha and self.alpha < ALPHA_WARN_BELOW)

    def records(self) -> list[dict[str, Any]]:
        """One row per item: mean, SD, corrected item-total r, alpha if deleted, loading."""
        return [
            {
                "scale": self.scale,
                "item": item,
                "reverse": rev,
                "mean": _num(self.item_means[i]),
                "sd": _num(self.item_sd[i]),
                "item_total_r": _num(self.item_total[i]),
                "alpha_if_deleted": _num(self.alpha_if_deleted[i]),
                "loading": _num(self.loadings[i]),
            }
            for i, (item, rev) in enumerate(zip(self.items, self.reverse, strict=True))
        ]


@dataclass(frozen=True, eq=False)
class SurveyScores:
    """Scale statistics per community and phase (see :func:`score_survey`).

    Arrays are indexed ``[group, scale]``; groups are the community-phase pairs in order of
    first appearance in the respondent table, scales the set's order.

    Attributes
    ----------
    scales : ScaleSet
        The scales scored.
    ids, phases : tuple
        Community id and phase of each group.
    households : ndarray, shape (G,)
        Households of each community (NaN where unknown).
    n : ndarray of int64, shape (G, S)
        Respondents with a scale score.
    mean, sd, se, ci_low, ci_high : ndarray, shape (G, S)
        Community mean, SD, standard error and confidence interval (NaN where ``n`` is too
        small to define them).
    level : float
        The confidence level of the interval.
    min_required : ndarray of int64, shape (G,)
        The smallest acceptable ``n`` of each group.
    low_n : ndarray of bool, shape (G, S)
        Surveyed (``n > 0``) but ``n < min_required``.
    alpha, omega : ndarray, shape (G, S)
        Per-group reliability (NaN where fewer than ``alpha_min_n`` complete respondents).
    n_complete : ndarray of int64, shape (G, S)
        Respondents who answered every item of the scale (the base of alpha).
    reliability : tuple of ScaleReliability
        Per scale, over all respondents.
    respondent_scores : ndarray, shape (R, S)
        Each respondent's scale scores (NaN where too few items were answered).
    respondent_ids : tuple of str
        In the order of the table.
    group_of_respondent : ndarray of intp, shape (R,)
        The group index of each respondent.
    skipped : tuple of str
        Scales of the set with no column in the file (not scored).
    warnings : tuple of str
        Reliability notes: scales with alpha below 0.70 (also emitted as a
        :class:`ReliabilityWarning`) and counts of communities below 0.70.
    source : str or None
        The respondent file.
    """

    scales: ScaleSet
    ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    households: FloatArray
    n: NDArray[np.int64]
    mean: FloatArray
    sd: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    level: float
    min_required: NDArray[np.int64]
    low_n: NDArray[np.bool_]
    alpha: FloatArray
    omega: FloatArray
    n_complete: NDArray[np.int64]
    reliability: tuple[ScaleReliability, ...]
    respondent_scores: FloatArray
    respondent_ids: tuple[str, ...]
    group_of_respondent: NDArray[np.intp]
    finite_population: bool = False
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("households", "n", "mean", "sd", "se", "ci_low", "ci_high", "min_required",
                     "low_n", "alpha", "omega", "n_complete", "respondent_scores"):  # fmt: skip
            getattr(self, name).setflags(write=False)

    # ------------------------------------------------------------------ views
    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scored scales, in column order of the arrays."""
        return self.scales.scale_ids

    @property
    def indicator_ids(self) -> tuple[str | None, ...]:
        """The indicator each scale feeds (None where it feeds none)."""
        return tuple(s.indicator for s in self.scales.scales)

    @property
    def keys(self) -> tuple[tuple[str, str | None], ...]:
        """``(community id, phase)`` of every group."""
        return tuple(zip(self.ids, self.phases, strict=True))

    def _col(self, scale_or_indicator: str) -> int:
        for j, s in enumerate(self.scales.scales):
            if scale_or_indicator in (s.id, s.indicator):
                return j
        raise OptionError(
            "no such scale",
            [
                Problem(
                    f"{scale_or_indicator!r} is neither a scored scale nor its indicator",
                    fix=suggest(
                        scale_or_indicator, [*self.scale_ids, *filter(None, self.indicator_ids)]
                    )
                    or f"scales are {list(self.scale_ids)}",
                )
            ],
        )

    def scale_reliability(self, scale: str) -> ScaleReliability:
        """The overall reliability record of a scale (by scale or indicator id)."""
        return self.reliability[self._col(scale)]

    def records(self, lang: str = "en") -> list[dict[str, Any]]:
        """One row per community, phase and scale: n, mean, SD, SE, CI, flag, alpha, omega.

        ``status`` is ``ok``, ``low_n`` (fewer respondents than ``min_required``) or
        ``not_surveyed`` (no respondent scored). Numbers are unrounded; NaN is None.
        """
        out: list[dict[str, Any]] = []
        for g, (cid, phase) in enumerate(self.keys):
            for j, scale in enumerate(self.scales.scales):
                n = int(self.n[g, j])
                out.append(
                    {
                        "community_id": cid,
                        "phase": phase,
                        "scale": scale.id,
                        "scale_name": scale.name.get(lang),
                        "indicator": scale.indicator,
                        "n": n,
                        "mean": _num(self.mean[g, j]),
                        "sd": _num(self.sd[g, j]),
                        "se": _num(self.se[g, j]),
                        "ci_low": _num(self.ci_low[g, j]),
                        "ci_high": _num(self.ci_high[g, j]),
                        "level": self.level,
                        "households": _num(self.households[g]),
                        "min_required": int(self.min_required[g]),
                        "status": "not_surveyed"
                        if n == 0
                        else ("low_n" if self.low_n[g, j] else "ok"),
                        "n_complete": int(self.n_complete[g, j]),
                        "alpha": _num(self.alpha[g, j]),
                        "omega": _num(self.omega[g, j]),
                    }
                )
        return out

    def indicator_records(self) -> list[dict[str, Any]]:
        """One row per community and phase with the indicator values (means) by indicator id.

        Empty (None) where the scale was not scored. Only scales that feed an indicator appear.
        """
        cols = [(j, s.indicator) for j, s in enumerate(self.scales.scales) if s.indicator]
        return [
            {
                "community_id": cid,
                "phase": phase,
                **{ind: (_num(self.mean[g, j]) if self.n[g, j] > 0 else None) for j, ind in cols},
            }
            for g, (cid, phase) in enumerate(self.keys)
        ]

    def reliability_records(self) -> list[dict[str, Any]]:
        """One row per scale: items, n, alpha, omega, the lowest item-total r."""
        rows = []
        for rel in self.reliability:
            rows.append(
                {
                    "scale": rel.scale,
                    "indicator": rel.indicator,
                    "items": len(rel.items),
                    "n": rel.n,
                    "alpha": _num(rel.alpha),
                    "omega": _num(rel.omega),
                    "min_item_total_r": _num(
                        np.nanmin(rel.item_total) if np.isfinite(rel.item_total).any() else np.nan
                    ),
                    "communities_alpha_below_0_70": int(
                        np.count_nonzero(self.alpha[:, self._col(rel.scale)] < ALPHA_WARN_BELOW)
                    ),
                }
            )
        return rows

    def to_frame(self, kind: str = "long") -> Any:
        """A pandas DataFrame of :meth:`records` (``"long"``), :meth:`indicator_records`
        (``"wide"``) or :meth:`reliability_records` (``"reliability"``)."""
        pd = import_optional("pandas", "SurveyScores.to_frame")
        makers = {
            "long": self.records,
            "wide": self.indicator_records,
            "reliability": self.reliability_records,
        }
        if kind not in makers:
            raise OptionError(
                "unknown frame kind", [Problem(repr(kind), fix=f"use one of {list(makers)}")]
            )
        return pd.DataFrame(makers[kind]())

    # ------------------------------------------------------------------ into community data
    def _rows_in(self, data: CommunityData) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
        """Row of ``data`` for every group, and whether it was found (vectorised lookup)."""
        data_keys = np.char.add(
            np.char.add(np.array(data.ids, dtype=str), _SEP),
            np.array(["" if p is None else p for p in data.phases], dtype=str),
        )
        mine = np.char.add(
            np.char.add(np.array(self.ids, dtype=str), _SEP),
            np.array(["" if p is None else p for p in self.phases], dtype=str),
        )
        if data_keys.size == 0:
            return np.zeros(len(self.ids), dtype=np.intp), np.zeros(len(self.ids), dtype=bool)
        order = np.argsort(data_keys, kind="stable")
        pos = np.clip(np.searchsorted(data_keys[order], mine), 0, data_keys.size - 1)
        rows = order[pos].astype(np.intp)
        found = data_keys[rows] == mine
        return rows, found

    def apply_to(
        self,
        data: CommunityData,
        *,
        system: IndicatorSystem | None = None,
        use_low_n: bool = True,
    ) -> CommunityData:
        """Community data with the survey-fed indicators replaced by the survey means.

        Every community and phase surveyed must be a row of ``data``. A cell is replaced when
        its scale was scored there (``n >= 1``); with ``use_low_n=False`` cells flagged
        ``low_n`` are set missing instead. Cells that are not applicable in ``data`` (an
        indicator not measured in that phase) stay not applicable, with a warning.

        Parameters
        ----------
        data : CommunityData
            The community table (other indicators are kept as they are).
        system : IndicatorSystem, optional
            When given, the scales are checked against it (indicator ranges).
        use_low_n : bool, default True
            Use means from too few respondents (they stay flagged in :meth:`records`).

        Returns
        -------
        CommunityData

        Raises
        ------
        SurveyDataError
            If a surveyed community-phase is not in ``data`` or a scale's indicator is not a
            column of ``data``.

        Examples
        --------
        >>> import renoscore as rs
        >>> from renoscore.survey import example_responses, score_survey
        >>> scores = score_survey(example_responses(), warn=False)
        >>> data = scores.apply_to(rs.example_data())
        >>> g, row = scores.keys.index(("LY", "t0")), data.keys.index(("LY", "t0"))
        >>> bool(data.column("c_trust")[row] == scores.mean[g, scores.scale_ids.index("trust")])
        True
        """
        if system is not None:
            self.scales.check_against(system)
        problems: list[Problem] = []
        cols: list[tuple[int, int]] = []
        for j, scale in enumerate(self.scales.scales):
            if scale.indicator is None:
                continue
            if scale.indicator not in data.indicator_ids:
                problems.append(
                    Problem(
                        f"the data have no indicator {scale.indicator!r} (fed by scale "
                        f"{scale.id!r})",
                        column=scale.indicator,
                        fix="use data of the scales' system",
                    )
                )
            else:
                cols.append((j, data.indicator_ids.index(scale.indicator)))
        rows, found = self._rows_in(data)
        for g in np.flatnonzero(~found).tolist():
            problems.append(
                Problem(
                    f"community {self.ids[g]!r} phase {self.phases[g]!r} was surveyed but is "
                    "not a row of the community data",
                    community_id=self.ids[g],
                    fix="add the community and phase to the data, or drop its respondents",
                )
            )
        if problems:
            raise SurveyDataError("the survey does not fit the community data", problems)
        values = np.array(data.values, copy=True)
        status = np.array(data.status, copy=True)
        skipped_na: list[str] = []
        if cols:
            sj = np.array([c[0] for c in cols], dtype=np.intp)
            dj = np.array([c[1] for c in cols], dtype=np.intp)
            scored = self.n[:, sj] > 0
            na = status[rows[:, None], dj[None, :]] == CellStatus.NOT_APPLICABLE
            put = scored & ~na
            blank = np.zeros_like(put)
            if not use_low_n:
                blank = put & self.low_n[:, sj]
                put &= ~blank
            gi, ci = np.nonzero(put)
            values[rows[gi], dj[ci]] = self.mean[gi, sj[ci]]
            status[rows[gi], dj[ci]] = CellStatus.OK
            gb, cb = np.nonzero(blank)
            values[rows[gb], dj[cb]] = np.nan
            status[rows[gb], dj[cb]] = CellStatus.MISSING
            for g, c in zip(*np.nonzero(scored & na), strict=True):
                skipped_na.append(f"{self.ids[g]}/{self.phases[g]}:{data.indicator_ids[dj[c]]}")
        if skipped_na:
            listed = ", ".join(skipped_na[:10]) + (
                f" and {len(skipped_na) - 10} more" if len(skipped_na) > 10 else ""
            )
            warnings.warn(
                f"{len(skipped_na)} survey value(s) not used: the indicator is not applicable "
                f"in that phase of the data ({listed})",
                RenoscoreWarning,
                stacklevel=2,
            )
        source = " + ".join(x for x in (data.source, self.source and f"survey {self.source}") if x)
        # replace() keeps every other field of the data (ids, phases, context, any added later)
        return dataclasses.replace(data, values=values, status=status, source=source or None)

    def standard_errors(self, data: CommunityData) -> FloatArray:
        """Standard errors aligned with ``data``: shape ``(N, M)``, NaN where no survey value.

        For the uncertainty analysis: the sampling error of each survey-fed cell.

        Raises
        ------
        SurveyDataError
            As :meth:`apply_to`, if a surveyed community-phase is not a row of ``data``.
        """
        rows, found = self._rows_in(data)
        if not found.all():
            missing = [f"{self.ids[g]}/{self.phases[g]}" for g in np.flatnonzero(~found)]
            raise SurveyDataError(
                "the survey does not fit the community data",
                [Problem(f"{m} is not a row of the data", fix="add it") for m in missing],
            )
        out = np.full(data.values.shape, np.nan)
        for j, scale in enumerate(self.scales.scales):
            if scale.indicator in data.indicator_ids:
                out[rows, data.indicator_ids.index(scale.indicator)] = self.se[:, j]
        return out

    # ------------------------------------------------------------------ text
    def table(self, lang: str = "en", digits: int = 2) -> str:
        """A text table: one line per community and phase, ``mean ± SE (n)`` per scale;
        ``!`` marks fewer respondents than required."""
        heads = [s.indicator or s.id for s in self.scales.scales]
        rows = []
        for g, (cid, phase) in enumerate(self.keys):
            cells = []
            for j in range(len(heads)):
                if self.n[g, j] == 0:
                    cells.append("-")
                    continue
                mark = "!" if self.low_n[g, j] else ""
                se = f" ± {self.se[g, j]:.{digits}f}" if np.isfinite(self.se[g, j]) else ""
                cells.append(f"{self.mean[g, j]:.{digits}f}{se} ({self.n[g, j]}{mark})")
            rows.append([cid, phase or "", *cells])
        return _format_table(["community", "phase", *heads], rows)

    def reliability_table(self) -> str:
        """A text table: alpha and omega per scale, with the weakest item."""
        rows = []
        for rel in self.reliability:
            if np.isfinite(rel.item_total).any():
                worst = int(np.nanargmin(rel.item_total))
                weak = f"{rel.items[worst]} (r {rel.item_total[worst]:.2f})"
            else:
                weak = "-"
            flag = "" if rel.acceptable else "  < 0.70"
            rows.append(
                [
                    rel.scale,
                    rel.indicator or "",
                    str(len(rel.items)),
                    str(rel.n),
                    _f(rel.alpha) + flag,
                    _f(rel.omega),
                    weak,
                ]
            )
        return _format_table(
            ["scale", "indicator", "items", "n", "alpha", "omega", "weakest item"], rows
        )

    def summary(self) -> str:
        """One paragraph: groups, respondents, flags and reliability."""
        low = int(np.count_nonzero(self.low_n.any(axis=1)))
        alphas = ", ".join(f"{r.scale} {_f(r.alpha)}" for r in self.reliability)
        return (
            f"{len(self.respondent_ids)} respondents in {len(self.ids)} community-phase groups; "
            f"{len(self.scale_ids)} scales; {low} group(s) with fewer respondents than required; "
            f"alpha: {alphas}"
            + (f"; not in the file: {', '.join(self.skipped)}" if self.skipped else "")
        )

    def __repr__(self) -> str:
        return f"SurveyScores({self.summary()})"


def _num(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


def _f(x: float) -> str:
    return f"{x:.3f}" if math.isfinite(x) else "-"


def _format_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(line.rstrip() for line in lines)


# --------------------------------------------------------------------------- scoring
@functools.lru_cache(maxsize=8)
def _shipped_system(name: str) -> IndicatorSystem:
    # Shipped systems never change at run time and are frozen: parse each once.
    return load_system(name)


def _resolve_system(
    scales: ScaleSet, system: IndicatorSystem | str | Path | None
) -> IndicatorSystem | None:
    if isinstance(system, str) and system in available_systems():
        return _shipped_system(system)
    if system is not None:
        return load_system(system)
    if scales.system is not None and scales.system in available_systems():
        return _shipped_system(scales.system)
    return None


def _households(
    households: Mapping[str, Any] | CommunityData | None, ids: tuple[str, ...]
) -> FloatArray:
    """Households per group id (NaN where unknown), looked up without a loop over groups."""
    out = np.full(len(ids), np.nan)
    if households is None or not ids:
        return out
    if isinstance(households, CommunityData):
        column = households.context.get("households")
        if column is None:
            return out
        keys = np.array(households.ids, dtype=str)
        vals = np.array([_to_float(v) for v in column], dtype=np.float64)
    else:
        keys = np.array([str(k) for k in households], dtype=str)
        vals = np.array([_to_float(v) for v in households.values()], dtype=np.float64)
    ok = np.isfinite(vals) & (vals > 0)
    keys, vals = keys[ok], vals[ok]
    if keys.size == 0:
        return out
    order = np.argsort(keys, kind="stable")
    mine = np.array(ids, dtype=str)
    pos = np.clip(np.searchsorted(keys[order], mine), 0, keys.size - 1)
    hit = keys[order][pos] == mine
    out[hit] = vals[order][pos][hit]
    return out


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _parse_items(
    responses: SurveyResponses, scales: ScaleSet, problems: list[Problem]
) -> list[FloatArray]:
    """Each scale's answers, shape (R, k), reverse-scored, NaN where not answered."""
    codes = np.array(scales.missing_codes, dtype=np.float64)
    out: list[FloatArray] = []
    for scale in scales.scales:
        rs = scales.response_set(scale)
        X = np.full((responses.n, scale.k), np.nan)
        for i, item in enumerate(scale.items):
            col = item.source_column
            if col not in responses.columns:
                continue  # reported by the caller
            values, status, bad = parse_numeric(np.asarray(responses.columns[col]))
            for r, raw, reason, fix in bad:
                if reason == "not a number":
                    fix = (
                        f"write an answer {rs.min:g}..{rs.max:g}, or leave it empty if not answered"
                    )
                problems.append(
                    Problem(reason, column=col, value=raw, fix=fix, **responses.where(r))
                )
            answered = (status == CellStatus.OK) & np.isfinite(values)
            if codes.size:
                answered &= ~np.isin(values, codes)
            x = np.where(answered, values, np.nan)
            if rs.top_code:
                x = np.where(x > rs.max, rs.max, x)
            outside = answered & ((x < rs.min) | (x > rs.max))
            for r in np.flatnonzero(outside).tolist():
                problems.append(
                    Problem(
                        f"answer outside the response range {rs.min:g}..{rs.max:g} of scale "
                        f"{scale.id!r}",
                        column=col,
                        value=float(values[r]),
                        fix="correct the answer; leave it empty if not answered"
                        + (
                            ", or declare the code in missing_codes ("
                            + ", ".join(f"{c:g}" for c in scales.missing_codes)
                            + ")"
                            if float(values[r]) > rs.max
                            else ""
                        ),
                        **responses.where(r),
                    )
                )
            if rs.integer:
                fractional = answered & ~outside & (x != np.round(x))
                for r in np.flatnonzero(fractional).tolist():
                    problems.append(
                        Problem(
                            "answers on this scale are whole numbers",
                            column=col,
                            value=float(values[r]),
                            fix=f"use one of {rs.min:g}..{rs.max:g}",
                            **responses.where(r),
                        )
                    )
            x = np.where(outside, np.nan, x)
            X[:, i] = (rs.min + rs.max) - x if item.reverse else x
        out.append(X)
    return out


def score_survey(
    responses: Any,
    scales: ScaleSet | str | Path | Mapping[str, Any] | None = None,
    *,
    system: IndicatorSystem | str | Path | None = None,
    households: Mapping[str, Any] | CommunityData | None = None,
    select: Sequence[str] | None = None,
    min_n: int = 30,
    min_share: float = 0.10,
    level: float = 0.95,
    finite_population: bool = False,
    alpha_min_n: int = 10,
    warn: bool = True,
    id_column: str = "community_id",
    phase_column: str | None = "phase",
    respondent_column: str | None = "respondent_id",
    encoding: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SurveyScores:
    """Score a resident survey: scale means with n, SD, SE, CI and reliability per community.

    Parameters
    ----------
    responses : path, DataFrame, list of dict, mapping of columns or SurveyResponses
        The respondent table (one row per respondent).
    scales : ScaleSet, str, Path or mapping, optional
        The scales (default: the shipped ``resident_survey`` set, see
        :func:`~renoscore.survey.default_scales`).
    system : IndicatorSystem, str or Path, optional
        The indicator system (default: the scales' ``system`` when it is a shipped one).
        Phases are checked against it and the scales' indicators fitted to it.
    households : mapping or CommunityData, optional
        Households per community id (``{id: households}``, or community data with a
        ``households`` context column, such as :func:`renoscore.example_data`), for the
        10 %-of-households minimum and the finite population correction.
    select : sequence of str, optional
        Score only these scales; every item of each must be in the file. By default every
        scale with at least one column in the file is scored (every item of it must then be
        there) and scales with none are listed in ``skipped``.
    min_n : int, default 30
        Fewest respondents per community and phase before the group is flagged ``low_n``.
    min_share : float, default 0.10
        Also flag groups with fewer than ``ceil(min_share * households)`` respondents (when
        households are known; the minimum never exceeds the households). 0 turns it off.
    level : float, default 0.95
        Confidence level of the interval.
    finite_population : bool, default False
        Multiply SE by ``sqrt(1 - n / households)`` (Cochran, 1977) where households are known.
    alpha_min_n : int, default 10
        Fewest complete respondents for a per-community alpha and omega.
    warn : bool, default True
        Emit a :class:`ReliabilityWarning` for scales whose alpha over all respondents is
        below 0.70 (per-community values are only recorded).
    id_column, phase_column, respondent_column : str
        Names of the key columns.
    encoding, sheet, max_bytes
        As for :func:`renoscore.load_data`.

    Returns
    -------
    SurveyScores

    Raises
    ------
    SurveyDataError
        Listing every problem at once (row, line, column, value, fix): respondents without a
        community, unknown or empty phases, duplicated respondents, non-numeric answers,
        answers outside the response range, fractional answers on whole-number scales, scale
        items without a column.
    ScaleError
        If the scales are malformed or do not fit the system.
    OptionError
        For invalid options.

    References
    ----------
    Cronbach (1951); McDonald (1999); Cochran (1977); Nunnally (1978).

    Examples
    --------
    >>> rows = [{"community_id": "LY", "phase": "t0", "b1": a, "b2": a, "b3": 6 - a}
    ...         for a in (2, 3, 4, 4, 5)]
    >>> s = score_survey(rows, select=["belonging"], min_n=3, warn=False)
    >>> int(s.n[0, 0]), round(float(s.mean[0, 0]), 3), bool(s.low_n[0, 0])
    (5, 3.2, False)
    """
    if min_n < 0 or not 0.0 <= min_share <= 1.0 or alpha_min_n < 2:
        raise OptionError(
            "invalid survey option",
            [
                Problem(
                    f"min_n={min_n!r}, min_share={min_share!r}, alpha_min_n={alpha_min_n!r}",
                    fix="min_n >= 0, 0 <= min_share <= 1, alpha_min_n >= 2",
                )
            ],
        )
    scale_set = load_scales(scales)
    sys_obj = _resolve_system(scale_set, system)
    if sys_obj is not None:
        scale_set.check_against(sys_obj)
    table, problems = _read(
        responses,
        sys_obj,
        id_column=id_column,
        phase_column=phase_column,
        respondent_column=respondent_column,
        encoding=encoding,
        sheet=sheet,
        max_bytes=max_bytes,
    )
    # ---- which scales, and are all their items there?
    header = list(table.header)
    skipped: list[str] = []
    if select is not None:
        scale_set = scale_set.select(list(select))
    chosen = []
    for scale in scale_set.scales:
        present = [c for c in scale.columns if c in table.columns]
        if not present and select is None:
            skipped.append(scale.id)
            continue
        chosen.append(scale.id)
        for item in scale.items:
            if item.source_column not in table.columns:
                problems.append(
                    Problem(
                        f"item {item.id!r} of scale {scale.id!r} has no column "
                        f"{item.source_column!r}",
                        file=table.source,
                        line=1 if table.lines is not None else None,
                        column=item.source_column,
                        fix=suggest(item.source_column, header)
                        or "add the column (empty cells are unanswered items)",
                    )
                )
    if not chosen:
        problems.append(
            Problem(
                f"no column of any scale of {scale_set.id!r} is in the table",
                file=table.source,
                fix="name the item columns by the item ids (b1, b2, ...) or declare "
                "'column:' for each item in the scales file",
            )
        )
        raise SurveyDataError(_title(table), problems)
    scale_set = scale_set.select(chosen)
    answers = _parse_items(table, scale_set, problems)
    if problems:
        raise SurveyDataError(
            _title(table), sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        )

    # ---- respondent scale scores
    S = len(scale_set.scales)
    scores = np.full((table.n, S), np.nan)
    for j, (scale, X) in enumerate(zip(scale_set.scales, answers, strict=True)):
        answered = np.isfinite(X)
        count = answered.sum(axis=1)
        total = np.where(answered, X, 0.0).sum(axis=1)
        enough = count >= scale_set.min_items(scale)
        scores[:, j] = np.where(enough, total / np.maximum(count, 1), np.nan)

    # ---- per community and phase
    gi = group_index(table.keys())
    first = gi.first
    ids = tuple(table.community_ids[r] for r in first.tolist())
    phases = tuple(table.phases[r] for r in first.tolist())
    n, mean, sd = grouped_mean_sd(scores, gi)
    hh = _households(households, ids)
    se, lo, hi = mean_interval(
        mean, sd, n, level, population=hh[:, None] if finite_population else None
    )
    share_min = np.where(np.isfinite(hh), np.ceil(min_share * np.nan_to_num(hh) - 1e-9), 0.0)
    required = np.maximum(float(min_n), share_min)
    required = np.where(np.isfinite(hh), np.minimum(required, hh), required).astype(np.int64)
    low_n = (n > 0) & (n < required[:, None])

    # ---- reliability
    alpha = np.full((gi.n_groups, S), np.nan)
    omega = np.full((gi.n_groups, S), np.nan)
    n_complete = np.zeros((gi.n_groups, S), dtype=np.int64)
    rels: list[ScaleReliability] = []
    for j, (scale, X) in enumerate(zip(scale_set.scales, answers, strict=True)):
        overall = item_analysis(X, min_n=2)
        by_group = item_analysis(X, gi, min_n=alpha_min_n)
        alpha[:, j] = by_group.alpha
        omega[:, j] = by_group.omega
        n_complete[:, j] = by_group.n
        rels.append(
            ScaleReliability(
                scale=scale.id,
                indicator=scale.indicator,
                items=scale.item_ids,
                reverse=tuple(i.reverse for i in scale.items),
                n=int(overall.n[0]),
                alpha=float(overall.alpha[0]),
                omega=float(overall.omega[0]),
                alpha_if_deleted=overall.alpha_if_deleted[0],
                item_total=overall.item_total[0],
                loadings=overall.loadings[0],
                item_means=overall.item_means[0],
                item_sd=overall.item_sd[0],
            )
        )
    notes: list[str] = []
    weak = [r for r in rels if not r.acceptable]
    if weak:
        notes.append(
            "Cronbach's alpha below 0.70: "
            + ", ".join(f"{r.scale} ({r.alpha:.3f}, n={r.n})" for r in weak)
            + "; see alpha_if_deleted and item_total for the weak items"
        )
        if warn:
            warnings.warn(notes[-1], ReliabilityWarning, stacklevel=2)
    # Per community, alpha from 30-40 respondents is noisy (a 3-item scale at 0.78 overall
    # falls below 0.70 in many estates by chance): recorded, not warned.
    low_groups = np.count_nonzero(alpha < ALPHA_WARN_BELOW, axis=0)
    if low_groups.any():
        notes.append(
            "per-community alpha below 0.70 in "
            + ", ".join(
                f"{scale_set.scales[j].id}: {int(c)} of {int(np.isfinite(alpha[:, j]).sum())}"
                for j, c in enumerate(low_groups.tolist())
                if c
            )
        )
    return SurveyScores(
        scales=scale_set,
        ids=ids,
        phases=phases,
        households=hh,
        n=n,
        mean=mean,
        sd=sd,
        se=se,
        ci_low=lo,
        ci_high=hi,
        level=level,
        min_required=required,
        low_n=low_n,
        alpha=alpha,
        omega=omega,
        n_complete=n_complete,
        reliability=tuple(rels),
        respondent_scores=scores,
        respondent_ids=table.respondent_ids,
        group_of_respondent=gi.codes,
        finite_population=finite_population,
        skipped=tuple(skipped),
        warnings=tuple(notes),
        source=table.source,
        options={
            "min_n": min_n,
            "min_share": min_share,
            "alpha_min_n": alpha_min_n,
            "system": sys_obj.id if sys_obj is not None else None,
        },
    )
