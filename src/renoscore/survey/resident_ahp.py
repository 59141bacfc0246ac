"""Residents' own pairwise judgements: from questionnaire columns to group weights (群众下单).

Survey tools export an AHP question as one column per pair of criteria. :func:`resident_ahp`
reads those columns from a respondent table, builds one judgement matrix per respondent (one
stack, no Python loop over respondents), completes matrices with skipped pairs, reports every
respondent's consistency and aggregates the residents by stakeholder group (owners and renters,
say) through the batched AHP engine (:mod:`renoscore.ahp`): AIJ, the weighted geometric mean of
the judgements (Aczél & Saaty, 1983; Forman & Peniwati, 1998), optionally leaving out the
respondents whose consistency ratio fails the threshold (Saaty, 1980).

Answer codings (``coding=``), for the column of the pair ``(a, b)``:

===============  ======================================================================  ============
coding           answer                                                                  a over b
===============  ======================================================================  ============
``"signed"``     ``v`` in 1..9 when ``a`` is preferred, ``-v`` when ``b`` is; 1 or -1 equal  ``v`` / ``1/v``
``"ratio"``      the ratio itself: 5, 1, 1/3 (text fractions allowed), in [1/9, 9]          as written
``"position"``   the box ticked on a two-sided 17-point row, 1 (a extremely) .. 9 (equal)   ``10 - p`` for
                 .. 17 (b extremely), as exported by most Chinese survey platforms          p <= 9, else
                                                                                           ``1/(p - 8)``
``"centered"``   -8..8 with 0 for equal: ``c > 0`` prefers ``a``, ``c < 0`` prefers ``b``    ``1 + c`` /
                                                                                           ``1/(1 - c)``
===============  ======================================================================  ============

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
import re
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore import ahp
from renoscore._cells import CellStatus, parse_numeric
from renoscore._tables import DEFAULT_MAX_BYTES
from renoscore.errors import InconsistencyWarning, OptionError, Problem, SurveyDataError
from renoscore.panel import Expert, FullMatrix, Panel, StakeholderGroup
from renoscore.survey.read import SurveyResponses, read_table, table_error
from renoscore.system import ID_PATTERN, IndicatorSystem, load_system, suggest

__all__ = [
    "PAIR_CODINGS",
    "ResidentAHP",
    "decode_judgements",
    "pair_columns",
    "resident_ahp",
]

FloatArray = NDArray[np.float64]

#: The answer codings :func:`resident_ahp` reads (see the module docstring).
PAIR_CODINGS: tuple[str, ...] = ("signed", "ratio", "position", "centered")

#: Default column name of the pair (a, b): ``ahp_facilities_vs_public_services``.
DEFAULT_PATTERN = "ahp_{a}_vs_{b}"

_ID_RE = re.compile(ID_PATTERN)
# Judgements on Saaty's scale [1/9, 9], with room for typed reciprocals such as 0.111.
_SCALE_TOL = 1e-2


def pair_columns(
    criteria: Sequence[str], pattern: str = DEFAULT_PATTERN
) -> dict[str, tuple[str, str]]:
    """Column name of every pair ``(a, b)`` with ``a`` before ``b`` in ``criteria``.

    Parameters
    ----------
    criteria : sequence of str
        The criteria compared, in order.
    pattern : str, default "ahp_{a}_vs_{b}"
        A format string with the fields ``{a}`` and ``{b}``.

    Returns
    -------
    dict
        ``{column: (a, b)}`` in the order of the upper triangle.

    Examples
    --------
    >>> pair_columns(["f", "s", "p"])
    {'ahp_f_vs_s': ('f', 's'), 'ahp_f_vs_p': ('f', 'p'), 'ahp_s_vs_p': ('s', 'p')}
    """
    if "{a}" not in pattern or "{b}" not in pattern:
        raise OptionError(
            "invalid pair-column pattern",
            [Problem(repr(pattern), fix="use the fields {a} and {b}, e.g. 'ahp_{a}_vs_{b}'")],
        )
    crit = list(criteria)
    return {
        pattern.format(a=crit[i], b=crit[j]): (crit[i], crit[j])
        for i in range(len(crit))
        for j in range(i + 1, len(crit))
    }


def decode_judgements(
    values: ArrayLike, coding: Literal["signed", "ratio", "position", "centered"] | str = "signed"
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Turn coded questionnaire answers into ratios ``a_ab`` (how much ``a`` outranks ``b``).

    ``signed``: ``v`` for ``v >= 1``, ``1 / |v|`` for ``v <= -1`` (Saaty's 1-9 scale, Saaty,
    1980, with the sign naming the preferred side); ``ratio``: the value itself;
    ``position`` (two-sided 17-point row): ``10 - p`` for ``p <= 9``, ``1 / (p - 8)`` for
    ``p >= 9``; ``centered``: ``1 + c`` for ``c >= 0``, ``1 / (1 - c)`` for ``c < 0``.

    Parameters
    ----------
    values : array_like of float
        Answers, NaN where not answered.
    coding : str, default "signed"
        One of :data:`PAIR_CODINGS`.

    Returns
    -------
    ratios : ndarray
        Judgements (NaN where not answered or invalid).
    valid : ndarray of bool
        False where an answer was given but is not a valid code.

    Examples
    --------
    >>> r, ok = decode_judgements([3, -5, 1, -1, 0])
    >>> r.round(3).tolist(), ok.tolist()
    ([3.0, 0.2, 1.0, 1.0, nan], [True, True, True, True, False])
    >>> decode_judgements([1, 9, 17], "position")[0].round(3).tolist()
    [9.0, 1.0, 0.111]
    """
    if coding not in PAIR_CODINGS:
        raise OptionError(
            "unknown answer coding",
            [
                Problem(
                    repr(coding),
                    fix=suggest(str(coding), PAIR_CODINGS) or f"use one of {list(PAIR_CODINGS)}",
                )
            ],
        )
    v = np.asarray(values, dtype=np.float64)
    given = np.isfinite(v)
    x = np.where(given, v, 1.0)
    whole = x == np.round(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if coding == "signed":
            valid = (np.abs(x) >= 1.0) & (np.abs(x) <= 9.0)
            ratio = np.where(x > 0, x, 1.0 / np.abs(x))
        elif coding == "ratio":
            valid = (x >= 1.0 / 9.0 * (1 - _SCALE_TOL)) & (x <= 9.0 * (1 + _SCALE_TOL))
            ratio = x
        elif coding == "position":
            valid = whole & (x >= 1) & (x <= 17)
            ratio = np.where(x <= 9, 10.0 - x, 1.0 / (x - 8.0))
        else:
            valid = whole & (x >= -8) & (x <= 8)
            ratio = np.where(x >= 0, 1.0 + x, 1.0 / (1.0 - x))
    ok = given & valid
    return np.where(ok, ratio, np.nan), ~given | valid


@dataclass(frozen=True, eq=False)
class ResidentAHP:
    """Residents' judgements as one AHP stack, their consistency and the group aggregate.

    Attributes
    ----------
    criteria : tuple of str
        The criteria compared (row/column order of the matrices).
    respondent_ids, community_ids, phases, groups : tuple
        One entry per respondent in the stack (respondents who answered enough pairs).
    rows : ndarray of intp
        Their rows in the respondent table (0-based).
    matrices : ndarray, shape (m, n, n)
        Their judgement matrices, skipped pairs completed.
    answered : ndarray of int, shape (m,)
        Pairs each respondent answered (of ``n (n - 1) / 2``).
    consistency : renoscore.ahp.Consistency
        Per respondent: lambda_max, CI, CR, GCI, acceptability, priorities.
    aggregate : renoscore.ahp.GroupAggregate
        The group and panel result (AIJ).
    not_asked : int
        Respondents in scope who answered no pair (not in the stack).
    too_few : tuple of str
        Respondents whose answered pairs do not link every criterion (not in the stack).
    options : dict
        Coding, pattern, completion, threshold, RI table, exclusion rule.
    """

    criteria: tuple[str, ...]
    respondent_ids: tuple[str, ...]
    community_ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    groups: tuple[Hashable, ...]
    rows: NDArray[np.intp]
    matrices: FloatArray
    answered: NDArray[np.int64]
    consistency: ahp.Consistency
    aggregate: ahp.GroupAggregate
    not_asked: int
    too_few: tuple[str, ...]
    options: dict[str, Any]

    @property
    def m(self) -> int:
        """Respondents in the stack."""
        return len(self.respondent_ids)

    def weights(self) -> dict[str, float]:
        """The residents' weights of the criteria (all groups)."""
        return dict(zip(self.criteria, self.aggregate.priorities.tolist(), strict=True))

    def group_weights(self) -> dict[Hashable, dict[str, float]]:
        """Each contributing group's weights of the criteria."""
        return {
            g: dict(zip(self.criteria, row, strict=True))
            for g, row in zip(
                self.aggregate.group_names, self.aggregate.group_priorities.tolist(), strict=True
            )
        }

    def report(self) -> list[dict[str, Any]]:
        """Consistency and weights per stakeholder group, then a row ``all`` for the panel.

        Columns: group, respondents, complete (answered every pair), consistent (CR below the
        threshold), share_consistent, mean_cr, median_cr, used (contributing to the aggregate),
        group_weight, and one weight column per criterion.
        """
        groups = np.array([str(g) for g in self.groups], dtype=str)
        full = self.answered == len(self.criteria) * (len(self.criteria) - 1) // 2
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        cr = np.asarray(self.consistency.cr, dtype=np.float64)
        excluded = np.zeros(self.m, dtype=bool)
        excluded[list(self.aggregate.excluded)] = True
        names = [str(g) for g in self.aggregate.group_names]
        gw = dict(zip(names, self.aggregate.group_weights.tolist(), strict=True))
        gp = dict(zip(names, self.aggregate.group_priorities.tolist(), strict=True))
        out: list[dict[str, Any]] = []
        labels = [str(g) for g in dict.fromkeys(self.groups)]
        for label, mask in [*((g, groups == g) for g in labels), ("all", np.ones(self.m, bool))]:
            k = int(mask.sum())
            row: dict[str, Any] = {
                "group": label,
                "respondents": k,
                "complete": int((full & mask).sum()),
                "consistent": int((ok & mask).sum()),
                "share_consistent": float((ok & mask).sum() / k) if k else None,
                "mean_cr": float(cr[mask].mean()) if k else None,
                "median_cr": float(np.median(cr[mask])) if k else None,
                "used": int((mask & ~excluded).sum()),
                "group_weight": gw.get(label) if label != "all" else 1.0,
            }
            prio = self.aggregate.priorities.tolist() if label == "all" else gp.get(label)
            for c, crit in enumerate(self.criteria):
                row[crit] = prio[c] if prio is not None else None
            out.append(row)
        return out

    def respondent_records(self) -> list[dict[str, Any]]:
        """One row per respondent in the stack: ids, group, pairs answered, CR, priorities."""
        prio = np.asarray(self.consistency.priorities)
        cr = np.asarray(self.consistency.cr, dtype=np.float64)
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        excluded = set(self.aggregate.excluded)
        return [
            {
                "respondent_id": self.respondent_ids[k],
                "community_id": self.community_ids[k],
                "phase": self.phases[k],
                "group": self.groups[k],
                "pairs_answered": int(self.answered[k]),
                "cr": float(cr[k]),
                "consistent": bool(ok[k]),
                "used": k not in excluded,
                **{c: float(prio[k, i]) for i, c in enumerate(self.criteria)},
            }
            for k in range(self.m)
        ]

    def table(self, digits: int = 3) -> str:
        """A text table of :meth:`report`."""
        rows = self.report()
        head = ["group", "n", "complete", "CR<thr", "mean CR", "used", *self.criteria]
        body = [
            [
                r["group"],
                str(r["respondents"]),
                str(r["complete"]),
                f"{r['consistent']} ({100 * (r['share_consistent'] or 0):.0f}%)",
                "-" if r["mean_cr"] is None else f"{r['mean_cr']:.3f}",
                str(r["used"]),
                *("-" if r[c] is None else f"{r[c]:.{digits}f}" for c in self.criteria),
            ]
            for r in rows
        ]
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) for b in body]
        note = (
            f"CR threshold {self.options['threshold']} ({self.options['ri']}); "
            f"{self.not_asked} respondent(s) answered no pair, {len(self.too_few)} too few pairs"
        )
        return "\n".join(line.rstrip() for line in lines) + "\n" + note

    def to_panel(
        self, node: str, *, panel_id: str = "residents", only_consistent: bool = False
    ) -> Panel:
        """The residents as an expert panel judging ``node`` (for
        :func:`renoscore.derive_weights`).

        Each respondent becomes an expert of their stakeholder group with the (completed)
        matrix; group and respondent ids are turned into valid ids (``owner``, ``ly_r0001``).
        Group weights are those used by the aggregate.

        Parameters
        ----------
        node : str
            The node of the indicator system whose children are the criteria (e.g. the goal).
        panel_id : str
            The panel's id.
        only_consistent : bool, default False
            Leave out respondents whose CR fails the threshold.

        Returns
        -------
        Panel
        """
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        keep = np.flatnonzero(ok) if only_consistent else np.arange(self.m)
        group_ids = _slugs([str(g) for g in dict.fromkeys(self.groups)], "group")
        gmap = dict(zip(dict.fromkeys(self.groups), group_ids, strict=True))
        weights = dict(
            zip(self.aggregate.group_names, self.aggregate.group_weights.tolist(), strict=True)
        )
        # Respondent ids are often numbered within each community: prefix the community then.
        own = [self.respondent_ids[k] for k in keep.tolist()]
        if len(set(own)) != len(own):
            own = [f"{self.community_ids[k]}_{self.respondent_ids[k]}" for k in keep.tolist()]
        expert_ids = _slugs(own, "r")
        experts = [
            Expert(
                id=eid,
                group=gmap[self.groups[k]],
                judgements={
                    node: FullMatrix(
                        labels=self.criteria,
                        matrix=tuple(tuple(float(x) for x in row) for row in self.matrices[k]),
                    )
                },
            )
            for eid, k in zip(expert_ids, keep.tolist(), strict=True)
        ]
        groups = [
            StakeholderGroup(id=gid, weight=float(weights.get(g, 1.0)) or 1.0)
            for g, gid in gmap.items()
        ]
        return Panel(id=panel_id, groups=tuple(groups), experts=tuple(experts))

    def __repr__(self) -> str:
        ok = int(np.count_nonzero(self.consistency.acceptable))
        w = ", ".join(f"{c} {v:.3f}" for c, v in self.weights().items())
        return (
            f"ResidentAHP({self.m} respondents, {ok} with CR < {self.options['threshold']}; "
            f"weights {w})"
        )


def _slugs(texts: Sequence[str], prefix: str) -> list[str]:
    """Valid, unique ids for arbitrary texts (``R-001`` -> ``r_001``; non-ASCII -> prefix_k)."""
    out: list[str] = []
    seen: set[str] = set()
    for k, text in enumerate(texts):
        slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
        if not slug or not _ID_RE.match(slug):
            slug = (
                f"{prefix}_{slug}"
                if slug and _ID_RE.match(f"{prefix}_{slug}")
                else f"{prefix}_{k + 1}"
            )
        base, i = slug, 2
        while slug in seen:
            slug, i = f"{base}_{i}", i + 1
        seen.add(slug)
        out.append(slug)
    return out


def _parse_pairs(
    table: SurveyResponses, columns: Sequence[str], coding: str, problems: list[Problem]
) -> FloatArray:
    """The answers of every pair column as ratios, shape (R, P), NaN where not answered."""
    out = np.full((table.n, len(columns)), np.nan)
    fix_text = {
        "signed": "write 1..9 if the left criterion matters more, -1..-9 if the right one does",
        "ratio": "write a ratio between 1/9 and 9 (e.g. 3 or 1/3)",
        "position": "write the box ticked, 1 (left extremely more important) .. 9 (equal) .. 17",
        "centered": "write -8..8, 0 for equal importance",
    }[coding]
    for p, col in enumerate(columns):
        values, status, bad = parse_numeric(np.asarray(table.columns[col]))
        if coding == "ratio" and bad:
            # Ratios are often exported as text fractions ("1/3"): read those exactly.
            still = []
            for r, raw, reason, fix in bad:
                try:
                    values[r] = float(Fraction(str(raw).replace(" ", "")))
                    status[r] = CellStatus.OK
                except (ValueError, ZeroDivisionError):
                    still.append((r, raw, reason, fix))
            bad = still
        for r, raw, _reason, _fix in bad:
            problems.append(
                Problem(
                    "not a valid pairwise answer",
                    column=col,
                    value=raw,
                    fix=fix_text,
                    **table.where(r),
                )
            )
        given = (status == CellStatus.OK) & np.isfinite(values)
        ratio, valid = decode_judgements(np.where(given, values, np.nan), coding)
        for r in np.flatnonzero(~valid).tolist():
            problems.append(
                Problem(
                    f"not a valid {coding!r} pairwise answer",
                    column=col,
                    value=float(values[r]),
                    fix=fix_text,
                    **table.where(r),
                )
            )
        out[:, p] = ratio
    return out


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
    if coding not in PAIR_CODINGS:
        raise OptionError(
            "unknown answer coding",
            [
                Problem(
                    repr(coding),
                    fix=suggest(str(coding), PAIR_CODINGS) or f"use one of {list(PAIR_CODINGS)}",
                )
            ],
        )
    sys_obj = load_system(system) if system is not None else None
    if criteria is None:
        if sys_obj is None:
            from renoscore.system import default_system

            sys_obj = default_system()
        criteria = [d.id for d in sys_obj.dimensions]
    crit = tuple(criteria)
    if len(set(crit)) != len(crit) or len(crit) < 2:
        raise OptionError(
            "invalid criteria",
            [Problem(f"{list(crit)}", fix="give at least two distinct criteria")],
        )
    index = {c: i for i, c in enumerate(crit)}
    if pairs is None:
        pair_map = pair_columns(crit, pattern)
    else:
        pair_map = dict(pairs)
        unknown = [(col, x) for col, ab in pair_map.items() for x in ab if x not in index]
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
    table, problems = read_table(
        responses, sys_obj, id_column, phase_column, respondent_column, encoding, sheet, max_bytes
    )
    header_line = 1 if table.lines is not None else None
    for col in pair_map:
        if col not in table.columns:
            problems.append(
                Problem(
                    f"pairwise column {col!r} is missing",
                    file=table.source,
                    line=header_line,
                    column=col,
                    fix=suggest(col, table.header) or "add the column, or pass pairs={...}",
                )
            )
    if group_column is not None and group_column not in table.columns:
        problems.append(
            Problem(
                f"group column {group_column!r} is missing",
                file=table.source,
                line=header_line,
                column=group_column,
                fix=suggest(group_column, table.header) or "add it or pass group_column=None",
            )
        )
    present = [c for c in pair_map if c in table.columns]
    ratios = _parse_pairs(table, present, str(coding), problems)
    scope = np.ones(table.n, dtype=bool)
    if phase is not None:
        scope &= np.array([p == phase for p in table.phases], dtype=bool)
    if group_column is not None and group_column in table.columns:
        group_text = table.column_text(group_column)
        asked = scope & np.isfinite(ratios).any(axis=1)
        for r in np.flatnonzero(asked & (group_text == "")).tolist():
            problems.append(
                Problem(
                    "respondent without a stakeholder group",
                    column=group_column,
                    fix="fill in the group, or pass group_column=None",
                    **table.where(r),
                )
            )
        group_of = group_text
    else:
        group_of = np.full(table.n, "residents")
    if problems:
        raise table_error(table, sorted(problems, key=lambda p: (p.row or 0, p.column or "")))

    # ---- one stack
    n = len(crit)
    a_idx = np.array([index[pair_map[c][0]] for c in present], dtype=np.intp)
    b_idx = np.array([index[pair_map[c][1]] for c in present], dtype=np.intp)
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
    cons = ahp.consistency(R, ri, priority_method, threshold, labels=crit)
    groups = tuple(str(g) for g in group_of[keep].tolist())
    names = list(dict.fromkeys(groups))
    if group_weights == "equal":
        gw: Mapping[Hashable, float] | None = None
    elif group_weights == "size":
        gw = {g: float(groups.count(g)) for g in names}
    elif isinstance(group_weights, Mapping):
        gw = dict(group_weights)
    else:
        raise OptionError(
            "invalid group_weights",
            [Problem(repr(group_weights), fix="use 'equal', 'size' or a mapping group -> weight")],
        )
    resp_ids = tuple(table.respondent_ids[r] for r in keep.tolist())
    with warnings.catch_warnings():
        # aggregate_groups names every excluded respondent; for hundreds a summary is clearer.
        warnings.simplefilter("ignore", InconsistencyWarning)
        agg = ahp.aggregate_groups(
            R,
            list(groups),
            group_weights=gw,
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
            f"{len(agg.excluded)} of {keep.size} respondents left out for CR >= {threshold:g} "
            f"({cons.ri_table})",
            InconsistencyWarning,
            stacklevel=2,
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
