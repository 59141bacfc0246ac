"""Scoring a resident survey: scale scores, community means with their uncertainty, reliability.

:func:`score_survey` validates a respondent table against a
:class:`~renoscore.survey.ScaleSet`, scores every scale per respondent, and aggregates per
community and phase:

* respondent scale score: the mean of the answered items after reverse-scoring
  (``min + max - x``), or for a top-box scale (满意率) the share of them at or above its
  ``top_box`` answer, if at least ``ceil(min_answered * k)`` of the ``k`` items are answered
  (2/3 by default; domain brief §3.6), otherwise missing;
* community mean, ``n``, SD, ``SE = SD / sqrt(n)`` and a Student-t confidence interval
  (Cochran, 1977; Student, 1908), optionally with the finite population correction;
* a flag where ``n`` is below the minimum ``max(30, ceil(10 % of households))`` (capped at the
  number of households): too few respondents is a flag in the output, never an error;
* Cronbach's alpha and McDonald's omega per scale over all respondents and per community,
  alpha if an item is dropped and corrected item-total correlations, with a
  :class:`~renoscore.errors.ReliabilityWarning` when a scale's alpha over all respondents is
  below 0.70 (Nunnally, 1978); per-community values below 0.70 are counted in
  :meth:`SurveyScores.reliability_records` and noted in ``warnings``.

The result (:class:`~renoscore.survey.SurveyScores`) feeds community data directly
(:meth:`SurveyScores.apply_to`), and its standard errors the uncertainty analysis
(:meth:`SurveyScores.standard_errors`).

Bad input never passes silently: answers outside the response range, non-numeric answers,
fractions on a whole-number scale, respondents without a community, unknown phases, duplicated
respondent ids and scale items missing from the file are all listed in one
:class:`~renoscore.errors.SurveyDataError` with the row, line and column.

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

import functools
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus, parse_numeric
from renoscore._labels import id_keys
from renoscore._tables import DEFAULT_MAX_BYTES
from renoscore._validation import suggest
from renoscore.data import CommunityData
from renoscore.errors import OptionError, Problem, ReliabilityWarning
from renoscore.survey._stats import GroupIndex, group_index, grouped_mean_sd, mean_interval
from renoscore.survey.read import SurveyResponses, read_table, table_error
from renoscore.survey.reliability import ALPHA_WARN_BELOW, item_analysis
from renoscore.survey.scales import ScaleSet, load_scales
from renoscore.survey.scores import ScaleReliability, SurveyScores
from renoscore.system import IndicatorSystem, load_system
from renoscore.system.load import is_shipped_system

__all__ = ["score_survey"]

FloatArray = NDArray[np.float64]


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
    _check_options(min_n, min_share, alpha_min_n)
    scale_set = load_scales(scales)
    sys_obj = _resolve_system(scale_set, system)
    if sys_obj is not None:
        scale_set.check_against(sys_obj)
    table, problems = read_table(
        responses, sys_obj, id_column, phase_column, respondent_column, encoding, sheet, max_bytes
    )
    scale_set, skipped = _scales_in(table, scale_set, select, problems)
    answers = _parse_items(table, scale_set, problems)
    if problems:
        raise table_error(table, sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    scores = _respondent_scores(table, scale_set, answers)
    gi = group_index(table.keys())
    first = gi.first
    ids = tuple(table.community_ids[r] for r in first.tolist())
    phases = tuple(table.phases[r] for r in first.tolist())
    n, mean, sd = grouped_mean_sd(scores, gi)
    hh = _households(households, ids)
    se, lo, hi = mean_interval(
        mean, sd, n, level, population=hh[:, None] if finite_population else None
    )
    required, low_n = _low_n(hh, n, min_n, min_share)
    alpha, omega, n_complete, rels = _reliability(scale_set, answers, gi, alpha_min_n)
    notes = _reliability_notes(scale_set, rels, alpha, warn)
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


def _check_options(min_n: int, min_share: float, alpha_min_n: int) -> None:
    """Refuse survey options outside their ranges."""
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


@functools.lru_cache(maxsize=8)
def _shipped_system(name: str) -> IndicatorSystem:
    # Shipped systems never change at run time and are frozen: parse each once.
    return load_system(name)


def _resolve_system(
    scales: ScaleSet, system: IndicatorSystem | str | Path | None
) -> IndicatorSystem | None:
    if isinstance(system, str) and is_shipped_system(system):
        return _shipped_system(system)
    if system is not None:
        return load_system(system)
    if scales.system is not None and is_shipped_system(scales.system):
        return _shipped_system(scales.system)
    return None


def _scales_in(
    table: SurveyResponses,
    scale_set: ScaleSet,
    select: Sequence[str] | None,
    problems: list[Problem],
) -> tuple[ScaleSet, list[str]]:
    """The scales to score and those skipped (no column in the table).

    Every item of a scale scored must have its column; a missing one goes into ``problems``.
    A table with no column of any scale raises at once.
    """
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
        raise table_error(table, problems)
    return scale_set.select(chosen), skipped


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


def _respondent_scores(
    table: SurveyResponses, scale_set: ScaleSet, answers: list[FloatArray]
) -> FloatArray:
    """Each respondent's scale scores, shape (R, S): NaN where too few items were answered."""
    S = len(scale_set.scales)
    scores = np.full((table.n, S), np.nan)
    for j, (scale, X) in enumerate(zip(scale_set.scales, answers, strict=True)):
        answered = np.isfinite(X)
        count = answered.sum(axis=1)
        if scale.top_box is not None:  # 满意率: the share of answered items in the top box
            total = (answered & (np.where(answered, X, -np.inf) >= scale.top_box)).sum(axis=1)
        else:
            total = np.where(answered, X, 0.0).sum(axis=1)
        enough = count >= scale_set.min_items(scale)
        scores[:, j] = np.where(enough, total / np.maximum(count, 1), np.nan)
    return scores


def _low_n(
    hh: FloatArray, n: NDArray[np.int64], min_n: int, min_share: float
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The smallest acceptable ``n`` of each group, and which scales fall below it."""
    share_min = np.where(np.isfinite(hh), np.ceil(min_share * np.nan_to_num(hh) - 1e-9), 0.0)
    required = np.maximum(float(min_n), share_min)
    required = np.where(np.isfinite(hh), np.minimum(required, hh), required).astype(np.int64)
    low_n = (n > 0) & (n < required[:, None])
    return required, low_n


def _reliability(
    scale_set: ScaleSet, answers: list[FloatArray], gi: GroupIndex, alpha_min_n: int
) -> tuple[FloatArray, FloatArray, NDArray[np.int64], list[ScaleReliability]]:
    """Per-group alpha, omega and complete respondents; each scale's overall item analysis."""
    S = len(scale_set.scales)
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
    return alpha, omega, n_complete, rels


def _reliability_notes(
    scale_set: ScaleSet, rels: list[ScaleReliability], alpha: FloatArray, warn: bool
) -> list[str]:
    """Notes on weak scales (warned once, when ``warn``) and on groups with a low alpha."""
    notes: list[str] = []
    weak = [r for r in rels if not r.acceptable]
    if weak:
        notes.append(
            "Cronbach's alpha below 0.70: "
            + ", ".join(f"{r.scale} ({r.alpha:.3f}, n={r.n})" for r in weak)
            + "; see alpha_if_deleted and item_total for the weak items"
        )
        if warn:
            # stacklevel 3: the warning names the caller of score_survey.
            warnings.warn(notes[-1], ReliabilityWarning, stacklevel=3)
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
    return notes


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
    keys = id_keys(keys)  # matched by id key: width, invisible characters and case aside
    order = np.argsort(keys, kind="stable")
    mine = id_keys(np.array(ids, dtype=str))
    pos = np.clip(np.searchsorted(keys[order], mine), 0, keys.size - 1)
    hit = keys[order][pos] == mine
    out[hit] = vals[order][pos][hit]
    return out


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
