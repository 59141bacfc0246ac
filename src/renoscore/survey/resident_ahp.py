"""Residents' own pairwise judgements: from questionnaire columns to group weights (群众下单).

Survey tools export an AHP question as one column per pair of criteria. :func:`resident_ahp`
reads those columns from a respondent table, builds one judgement matrix per respondent (one
stack, no Python loop over respondents), completes matrices with skipped pairs, reports every
respondent's consistency and aggregates the residents by stakeholder group (owners and renters,
say) through the batched AHP engine (:mod:`renoscore.ahp`): AIJ, the weighted geometric mean of
the judgements (Aczél & Saaty, 1983; Forman & Peniwati, 1998), optionally leaving out the
respondents whose consistency ratio fails the threshold (Saaty, 1980).

The answer codings (``coding=``) and the decoding of answers into ratios are
:mod:`renoscore.survey.pairwise`; the result, :class:`ResidentAHP`, is
:mod:`renoscore.survey.resident_weights`.

References
----------
Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal of
Mathematical Psychology 27(1), 93-102.
Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of incomplete pairwise
comparison matrices. Mathematical and Computer Modelling 52(1-2), 318-333.
Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
analytic hierarchy process. European Journal of Operational Research 108(1), 165-169.
Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process.
Mathematical Modelling 9(3-5), 353-360.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from renoscore import ahp
from renoscore._calling import argument, without
from renoscore._tables import DEFAULT_MAX_BYTES
from renoscore._validation import suggest
from renoscore.errors import InconsistencyWarning, OptionError, Problem, SurveyDataError
from renoscore.survey.pairwise import (
    DEFAULT_PATTERN,
    PAIR_CODINGS,
    check_coding,
    decode_judgements,
    pair_columns,
    parse_pairs,
)
from renoscore.survey.read import SurveyResponses, read_table, table_error
from renoscore.survey.resident_weights import ResidentAHP
from renoscore.system import IndicatorSystem, default_system, load_system

__all__ = [
    "PAIR_CODINGS",
    "ResidentAHP",
    "decode_judgements",
    "pair_columns",
    "resident_ahp",
]

FloatArray = NDArray[np.float64]


def _connected(known: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether the comparison graph of each matrix links every criterion (batched closure)."""
    n = known.shape[-1]
    reach = (known | np.eye(n, dtype=bool)).astype(np.float64)
    for _ in range(max(1, math.ceil(math.log2(max(n, 2))))):
        reach = np.minimum(reach @ reach, 1.0)
    out: NDArray[np.bool_] = np.asarray((reach > 0).all(axis=(-2, -1)))
    return out


def resident_ahp(
    responses: Any,
    criteria: Sequence[str] | None = None,
    *,
    pairs: Mapping[str, tuple[str, str]] | None = None,
    pattern: str = DEFAULT_PATTERN,
    coding: Literal["signed", "ratio", "position", "centered"] | str = "signed",
    group_column: str | None = None,
    group_weights: Mapping[Hashable, float] | Literal["equal", "size"] = "equal",
    phase: str | None = None,
    exclude_inconsistent: bool = False,
    threshold: float = 0.10,
    ri: str | Mapping[int, float] = ahp.DEFAULT_RI_TABLE,
    priority_method: str = "eigenvector",
    completion: Literal["optimal", "harker", "llsm"] | str = "optimal",
    system: IndicatorSystem | str | Path | None = None,
    id_column: str = "community_id",
    phase_column: str | None = "phase",
    respondent_column: str | None = "respondent_id",
    encoding: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ResidentAHP:
    """Aggregate residents' pairwise judgements into group weights with a consistency report.

    Each respondent's answers to the pair columns make one judgement matrix
    (``a_ab`` from the coded answer, ``a_ba = 1 / a_ab``). A respondent who skipped pairs is
    kept if the answered pairs still link every criterion, and the matrix is completed with
    :func:`renoscore.ahp.complete` (by default the lambda_max-optimal completion of Bozóki,
    Fülöp & Rónyai, 2010); one who answered no pair, or too few, is left out and counted.
    Every matrix's CR is computed (Saaty, 1980); the stack is aggregated by stakeholder group
    with :func:`renoscore.ahp.aggregate_groups` (AIJ: Aczél & Saaty, 1983; Forman & Peniwati,
    1998), with the failing respondents left out when ``exclude_inconsistent`` is set.

    Parameters
    ----------
    responses : path, DataFrame, list of dict, mapping of columns or SurveyResponses
        The respondent table.
    criteria : sequence of str, optional
        The criteria compared, in matrix order (default: the dimensions of ``system``).
    pairs : mapping, optional
        ``{column: (a, b)}``, the pair each column compares (``a`` on the left). By default the
        columns named by ``pattern`` for every pair of ``criteria``, all required.
    pattern : str, default "ahp_{a}_vs_{b}"
        Column name of the pair ``(a, b)``, ``a`` before ``b`` in ``criteria``.
    coding : str, default "signed"
        How answers are coded, one of :data:`PAIR_CODINGS` (see the module docstring).
    group_column : str, optional
        Column naming each respondent's stakeholder group (e.g. ``tenure``); one group
        ``residents`` by default.
    group_weights : mapping, "equal" or "size", default "equal"
        Weight of each group in the aggregate: equal, proportional to the respondents of the
        group (``"size"``), or as given.
    phase : str, optional
        Use only the respondents of this phase.
    exclude_inconsistent : bool, default False
        Leave respondents with ``CR >= threshold`` out of the aggregate.
    threshold : float, default 0.10
        CR acceptance threshold (Saaty, 1980).
    ri : str or mapping, default "saaty1980"
        Random-index table (see :func:`renoscore.ahp.random_index`).
    priority_method : str, default "eigenvector"
        Prioritisation method (see :func:`renoscore.ahp.priorities`).
    completion : str, default "optimal"
        Completion of skipped pairs (see :func:`renoscore.ahp.complete`).
    system : IndicatorSystem, str or Path, optional
        For the default criteria and the phase check (default: the shipped default system).
    id_column, phase_column, respondent_column, encoding, sheet, max_bytes
        As for :func:`~renoscore.survey.score_survey`.

    Returns
    -------
    ResidentAHP

    Raises
    ------
    SurveyDataError
        Listing every missing pair column, invalid answer and respondent without a community
        or group (row, column, value, fix); or when no respondent answered enough pairs.
    OptionError
        For an unknown coding, criteria with duplicates, or a pair naming an unknown criterion.
    JudgementError
        If every respondent is left out for inconsistency.

    References
    ----------
    Saaty (1980); Aczél & Saaty (1983); Forman & Peniwati (1998); Bozóki, Fülöp & Rónyai (2010).

    Examples
    --------
    >>> rows = [{"community_id": "LY", "respondent_id": f"r{k}", "ahp_f_vs_s": v}
    ...         for k, v in enumerate([3, 3, -2, 5])]
    >>> res = resident_ahp(rows, ["f", "s"])  # AIJ: (3 * 3 * 1/2 * 5) ** (1/4) = 2.178
    >>> print({c: round(w, 3) for c, w in res.weights().items()})
    {'f': 0.685, 's': 0.315}
    """
    check_coding(coding)
    crit, sys_obj = _criteria(criteria, load_system(system) if system is not None else None)
    pair_map = _pair_map(crit, pairs, pattern)
    table, problems = read_table(
        responses, sys_obj, id_column, phase_column, respondent_column, encoding, sheet, max_bytes
    )
    problems += _missing_columns(table, pair_map, group_column)
    present = [c for c in pair_map if c in table.columns]
    ratios = parse_pairs(table, present, str(coding), problems)
    scope = np.ones(table.n, dtype=bool)
    if phase is not None:
        scope &= np.array([p == phase for p in table.phases], dtype=bool)
    group_of = _group_of(table, group_column, scope & np.isfinite(ratios).any(axis=1), problems)
    if problems:
        raise table_error(table, sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    R, keep, answered, not_asked, too_few = _stack(
        table, crit, [pair_map[c] for c in present], ratios, scope, completion
    )
    cons = ahp.consistency(R, ri, priority_method, threshold, labels=crit)
    groups = tuple(str(g) for g in group_of[keep].tolist())
    resp_ids = tuple(table.respondent_ids[r] for r in keep.tolist())
    agg = _aggregate(
        R,
        groups,
        resp_ids,
        crit,
        group_weights=_group_weights(group_weights, groups),
        priority_method=priority_method,
        exclude_inconsistent=exclude_inconsistent,
        ri=ri,
        threshold=threshold,
        ri_table=cons.ri_table,
    )
    return ResidentAHP(
        criteria=crit,
        respondent_ids=resp_ids,
        community_ids=tuple(table.community_ids[r] for r in keep.tolist()),
        phases=tuple(table.phases[r] for r in keep.tolist()),
        groups=groups,
        rows=keep.astype(np.intp),
        matrices=R,
        answered=answered,
        consistency=cons,
        aggregate=agg,
        not_asked=not_asked,
        too_few=too_few,
        options={
            "coding": coding,
            "pattern": pattern if pairs is None else None,
            "completion": completion,
            "threshold": threshold,
            "ri": cons.ri_table,
            "priority_method": priority_method,
            "exclude_inconsistent": exclude_inconsistent,
            "group_column": group_column,
            "group_weights": group_weights
            if isinstance(group_weights, str)
            else dict(group_weights),
            "phase": phase,
        },
    )


def _criteria(
    criteria: Sequence[str] | None, system: IndicatorSystem | None
) -> tuple[tuple[str, ...], IndicatorSystem | None]:
    """The criteria (default: the dimensions of the system, the default one if none given)
    and the system the phases are checked against."""
    if criteria is None:
        if system is None:
            system = default_system()
        criteria = [d.id for d in system.dimensions]
    crit = tuple(criteria)
    if len(set(crit)) != len(crit) or len(crit) < 2:
        raise OptionError(
            "invalid criteria",
            [Problem(f"{list(crit)}", fix="give at least two distinct criteria")],
        )
    return crit, system


def _pair_map(
    crit: tuple[str, ...], pairs: Mapping[str, tuple[str, str]] | None, pattern: str
) -> dict[str, tuple[str, str]]:
    """``{column: (a, b)}``: the given pairs, checked, or every pair named by ``pattern``."""
    if pairs is None:
        return pair_columns(crit, pattern)
    pair_map = dict(pairs)
    known = set(crit)
    unknown = [(col, x) for col, ab in pair_map.items() for x in ab if x not in known]
    same = [col for col, (a, b) in pair_map.items() if a == b]
    if unknown or same:
        raise OptionError(
            "invalid pairs",
            [
                Problem(
                    f"column {col!r} compares {x!r}, not a criterion",
                    fix=suggest(x, crit) or f"criteria are {list(crit)}",
                )
                for col, x in unknown
            ]
            + [Problem(f"column {col!r} compares a criterion with itself") for col in same],
        )
    return pair_map


def _missing_columns(
    table: SurveyResponses, pair_map: Mapping[str, tuple[str, str]], group_column: str | None
) -> list[Problem]:
    """Pair columns, and the group column, that the table does not have."""
    problems: list[Problem] = []
    header_line = 1 if table.lines is not None else None
    for col in pair_map:
        if col not in table.columns:
            problems.append(
                Problem(
                    f"pairwise column {col!r} is missing",
                    file=table.source,
                    line=header_line,
                    column=col,
                    fix=suggest(col, table.header)
                    or f"add the column, or use {argument('pairs', '{...}')}",
                )
            )
    if group_column is not None and group_column not in table.columns:
        problems.append(
            Problem(
                f"group column {group_column!r} is missing",
                file=table.source,
                line=header_line,
                column=group_column,
                fix=suggest(group_column, table.header) or f"add it, or {without('group_column')}",
            )
        )
    return problems


def _group_of(
    table: SurveyResponses,
    group_column: str | None,
    asked: NDArray[np.bool_],
    problems: list[Problem],
) -> NDArray[np.str_]:
    """Each respondent's stakeholder group (``residents`` without a group column).

    Respondents in scope who answered a pair (``asked``) but have no group are problems.
    """
    if group_column is None or group_column not in table.columns:
        return np.full(table.n, "residents")
    group_text = table.column_text(group_column)
    for r in np.flatnonzero(asked & (group_text == "")).tolist():
        problems.append(
            Problem(
                "respondent without a stakeholder group",
                column=group_column,
                fix=f"fill in the group, or {without('group_column')}",
                **table.where(r),
            )
        )
    return group_text


def _stack(
    table: SurveyResponses,
    crit: tuple[str, ...],
    pairs: Sequence[tuple[str, str]],
    ratios: FloatArray,
    scope: NDArray[np.bool_],
    completion: str,
) -> tuple[FloatArray, NDArray[np.intp], NDArray[np.int64], int, tuple[str, ...]]:
    """One completed judgement matrix per respondent whose answers link every criterion.

    ``pairs`` are the ``(a, b)`` of the columns of ``ratios``. Returns the stack, the rows of
    its respondents, the pairs each answered, how many in scope answered no pair, and the
    respondents whose pairs do not link every criterion.
    """
    index = {c: i for i, c in enumerate(crit)}
    n = len(crit)
    a_idx = np.array([index[a] for a, _ in pairs], dtype=np.intp)
    b_idx = np.array([index[b] for _, b in pairs], dtype=np.intp)
    answered_any = np.isfinite(ratios).any(axis=1)
    not_asked = int(np.count_nonzero(scope & ~answered_any))
    cand = np.flatnonzero(scope & answered_any)
    R = np.full((cand.size, n, n), np.nan)
    R[:, np.arange(n), np.arange(n)] = 1.0
    vals = ratios[cand]
    # A pair listed twice (both orders) would be overwritten; the later column wins, as typed.
    R[:, a_idx, b_idx] = vals
    R[:, b_idx, a_idx] = 1.0 / vals
    known = np.isfinite(R)
    linked = _connected(known)
    too_few = tuple(table.respondent_ids[r] for r in cand[~linked].tolist())
    keep = cand[linked]
    R = R[linked]
    if keep.size == 0:
        raise SurveyDataError(
            "no respondent answered enough pairwise questions",
            [
                Problem(
                    f"{not_asked} respondent(s) answered no pair and {len(too_few)} too few to "
                    f"link all {n} criteria",
                    file=table.source,
                    fix="check the pair columns and the coding",
                )
            ],
        )
    incomplete = ~np.isfinite(R).all(axis=(-2, -1))
    if incomplete.any():
        R[incomplete] = ahp.complete(R[incomplete], completion, labels=crit)
    answered = np.isfinite(vals[linked]).sum(axis=1).astype(np.int64)
    return R, keep, answered, not_asked, too_few


def _group_weights(
    group_weights: Mapping[Hashable, float] | str, groups: tuple[str, ...]
) -> Mapping[Hashable, float] | None:
    """The weight of each group for the aggregate (None: equal weights)."""
    if group_weights == "equal":
        return None
    if group_weights == "size":
        return {g: float(groups.count(g)) for g in dict.fromkeys(groups)}
    if isinstance(group_weights, Mapping):
        return dict(group_weights)
    raise OptionError(
        "invalid group_weights",
        [Problem(repr(group_weights), fix="use 'equal', 'size' or a mapping group -> weight")],
    )


def _aggregate(
    R: FloatArray,
    groups: tuple[str, ...],
    resp_ids: tuple[str, ...],
    crit: tuple[str, ...],
    *,
    group_weights: Mapping[Hashable, float] | None,
    priority_method: str,
    exclude_inconsistent: bool,
    ri: str | Mapping[int, float],
    threshold: float,
    ri_table: str,
) -> ahp.GroupAggregate:
    """AIJ by stakeholder group; one warning counts the respondents left out."""
    with warnings.catch_warnings():
        # aggregate_groups names every excluded respondent; for hundreds a summary is clearer.
        warnings.simplefilter("ignore", InconsistencyWarning)
        agg = ahp.aggregate_groups(
            R,
            list(groups),
            group_weights=group_weights,
            method="aij",
            priority_method=priority_method,
            exclude_inconsistent=exclude_inconsistent,
            ri=ri,
            threshold=threshold,
            labels=crit,
            expert_ids=resp_ids,
        )
    if agg.excluded:
        warnings.warn(
            f"{len(agg.excluded)} of {len(resp_ids)} respondents left out for CR >= "
            f"{threshold:g} ({ri_table})",
            InconsistencyWarning,
            stacklevel=3,  # the caller of resident_ahp
        )
    return agg
