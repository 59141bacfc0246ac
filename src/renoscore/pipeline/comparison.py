"""Phase-to-phase comparison (阶段性评估): :func:`compare` and :class:`PhaseComparison`.

Two results compare only on the same system, the same frozen weights and goalposts and the
same scoring methods (their :class:`~renoscore._options.ScoringOptions`); batch-relative scores
compare only within the batch they were computed on. Every change comes with an interval from
the measurement error of the values and a class (improved, no clear change, worse); see
:mod:`renoscore.pipeline.change_intervals`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from renoscore._calling import argument
from renoscore._display import text_table
from renoscore._format import optional_float, text_number
from renoscore._labels import id_keys
from renoscore._measurement import MeasurementError
from renoscore._optional import import_optional
from renoscore._vocabulary import CONSOLE, lang_of, phase_word
from renoscore.errors import OptionError, Problem, RenoscoreError
from renoscore.pipeline.change_intervals import (
    CLASS_NAMES,
    change_classes,
    critical_value,
    score_sd,
)
from renoscore.result import EvaluationResult
from renoscore.system import IndicatorSystem

__all__ = ["PhaseComparison", "compare"]


@dataclass(frozen=True, eq=False)
class PhaseComparison:
    """What changed between two phases, on the same frozen weights and goalposts.

    Attributes
    ----------
    before_phase, after_phase : str or None
    ids : tuple of str
        Communities present in both phases (in the order of ``after``).
    only_before, only_after : tuple of str
        Communities present in one phase only: listed, never dropped.
    node_ids : tuple of str
        Groups (goal first) then indicators: the columns of the arrays.
    before, after, delta : ndarray, shape (len(ids), len(node_ids))
        Scores (0-100) and their change.
    grade_before, grade_after : ndarray of int
        Overall grade index (-1 when not scored).
    before_sd, after_sd : ndarray, shape (len(ids), len(node_ids))
        Standard deviations of the scores from the measurement error of the values.
    level : float
        The confidence level of the intervals (0.95 by default).
    """

    system: IndicatorSystem
    before_phase: str | None
    after_phase: str | None
    ids: tuple[str, ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    node_ids: tuple[str, ...]
    before: NDArray[np.float64]
    after: NDArray[np.float64]
    grade_before: NDArray[np.int64]
    grade_after: NDArray[np.int64]
    before_sd: NDArray[np.float64] | None = None
    after_sd: NDArray[np.float64] | None = None
    level: float = 0.95

    @property
    def delta(self) -> NDArray[np.float64]:
        """Change in score (after - before) per community and node."""
        return self.after - self.before

    @property
    def half_width(self) -> NDArray[np.float64]:
        """Half the width of each change's interval: ``z * sqrt(sd_before^2 + sd_after^2)``."""
        if self.before_sd is None or self.after_sd is None:
            return np.zeros(self.delta.shape)
        return critical_value(self.level) * np.hypot(self.before_sd, self.after_sd)

    @property
    def lower(self) -> NDArray[np.float64]:
        """Lower end of each change's interval."""
        return self.delta - self.half_width

    @property
    def upper(self) -> NDArray[np.float64]:
        """Upper end of each change's interval."""
        return self.delta + self.half_width

    @property
    def change_class(self) -> NDArray[np.float64]:
        """1 improved, 0 no clear change, -1 worse (NaN: not compared), per community and node."""
        return change_classes(self.delta, self.half_width)

    def class_name(self, row: int, column: int) -> str | None:
        """The class of one change as a word (None when not compared)."""
        code = self.change_class[row, column]
        return None if np.isnan(code) else CLASS_NAMES[int(code)]

    def _indicator_slice(self) -> slice:
        return slice(len(self.system.groups), None)

    def community(self, community: str, tol: float = 1e-9) -> dict[str, Any]:
        """Change of one community: overall, per dimension, indicators newly at target, worse."""
        if community not in self.ids:
            raise OptionError(
                f"community {community!r} is not in both phases",
                [
                    Problem(
                        "not comparable",
                        community_id=community,
                        fix="only communities present in both phases can be compared",
                    )
                ],
            )
        r = self.ids.index(community)
        cut = self._indicator_slice()
        ind_ids = self.node_ids[cut]
        b = self.before[r, cut]
        a = self.after[r, cut]
        classes = self.change_class[r, cut]
        dims = [d.id for d in self.system.dimensions]
        col = {n: k for k, n in enumerate(self.node_ids)}
        return {
            "community_id": community,
            "overall_before": optional_float(self.before[r, 0]),
            "overall_after": optional_float(self.after[r, 0]),
            "overall_change": optional_float(self.delta[r, 0]),
            "overall_interval": [
                optional_float(self.lower[r, 0]),
                optional_float(self.upper[r, 0]),
            ],
            "overall_class": self.class_name(r, 0),
            "dimensions": {d: optional_float(self.delta[r, col[d]]) for d in dims},
            "dimension_classes": {d: self.class_name(r, col[d]) for d in dims},
            "newly_at_target": [
                i
                for i, x, y in zip(ind_ids, b, a, strict=True)
                if y >= 100 - tol and not x >= 100 - tol
            ],
            "worse": [i for i, c in zip(ind_ids, classes, strict=True) if c == -1],
            "better": [i for i, c in zip(ind_ids, classes, strict=True) if c == 1],
            "no_clear_change": [
                i
                for i, c, x, y in zip(ind_ids, classes, b, a, strict=True)
                if c == 0 and abs(y - x) > tol
            ],
            "grade_before": _grade(self.system, int(self.grade_before[r])),
            "grade_after": _grade(self.system, int(self.grade_after[r])),
        }

    def node_records(self, community: str) -> list[dict[str, Any]]:
        """One community's change on every node (groups, then indicators) with its interval.

        Each record: ``node``, ``kind`` (group or indicator), ``before``, ``after``,
        ``change``, ``change_low``, ``change_high``, ``change_class`` and ``sd_before``,
        ``sd_after`` (the scores' standard deviations).
        """
        self.community(community)  # refuses a community not in both phases
        r = self.ids.index(community)
        groups = len(self.system.groups)
        lower, upper = self.lower[r], self.upper[r]
        sd_b = self.before_sd[r] if self.before_sd is not None else np.zeros(len(self.node_ids))
        sd_a = self.after_sd[r] if self.after_sd is not None else np.zeros(len(self.node_ids))
        return [
            {
                "node": node,
                "kind": "group" if k < groups else "indicator",
                "before": optional_float(self.before[r, k]),
                "after": optional_float(self.after[r, k]),
                "change": optional_float(self.delta[r, k]),
                "change_low": optional_float(lower[k]),
                "change_high": optional_float(upper[k]),
                "change_class": self.class_name(r, k),
                "sd_before": optional_float(sd_b[k]),
                "sd_after": optional_float(sd_a[k]),
            }
            for k, node in enumerate(self.node_ids)
        ]

    def summary(self) -> dict[str, Any]:
        """Portfolio summary: mean change, the classes of the changes, share with a grade up.

        ``share_improved`` is the share of the communities compared whose overall change is
        *clearly* positive (its whole interval above 0); ``changes`` counts the communities in
        each class, and ``changes_by_dimension`` does so for every dimension.
        """
        d = self.delta[:, 0]
        ok = ~np.isnan(d)
        classes = self.change_class
        both_graded = (self.grade_before >= 0) & (self.grade_after >= 0)
        col = {n: k for k, n in enumerate(self.node_ids)}
        return {
            "phases": [self.before_phase, self.after_phase],
            "communities_compared": len(self.ids),
            "only_before": list(self.only_before),
            "only_after": list(self.only_after),
            "level": self.level,
            "mean_change": optional_float(float(d[ok].mean())) if ok.any() else None,
            "share_improved": float((classes[ok, 0] == 1).mean()) if ok.any() else None,
            "changes": _counts(classes[:, 0]),
            "changes_by_dimension": {
                dim.id: _counts(classes[:, col[dim.id]]) for dim in self.system.dimensions
            },
            "share_grade_up": float(
                (self.grade_after[both_graded] < self.grade_before[both_graded]).mean()
            )
            if both_graded.any()
            else None,
            "mean_change_by_dimension": {
                dim.id: optional_float(
                    float(np.nanmean(self.delta[:, self.node_ids.index(dim.id)]))
                )
                if ok.any()
                else None
                for dim in self.system.dimensions
            },
        }

    def records(self) -> list[dict[str, Any]]:
        """One record per community: before, after and change of the overall and dimensions."""
        dims = [d.id for d in self.system.dimensions]
        col = {n: k for k, n in enumerate(self.node_ids)}
        out = []
        for r, cid in enumerate(self.ids):
            rec: dict[str, Any] = {
                "community_id": cid,
                "before": optional_float(self.before[r, 0]),
                "after": optional_float(self.after[r, 0]),
                "change": optional_float(self.delta[r, 0]),
                "change_low": optional_float(self.lower[r, 0]),
                "change_high": optional_float(self.upper[r, 0]),
                "change_class": self.class_name(r, 0),
            }
            for d in dims:
                rec[f"change_{d}"] = optional_float(self.delta[r, col[d]])
                rec[f"change_{d}_low"] = optional_float(self.lower[r, col[d]])
                rec[f"change_{d}_high"] = optional_float(self.upper[r, col[d]])
                rec[f"change_{d}_class"] = self.class_name(r, col[d])
            out.append(rec)
        return out

    def to_frame(self) -> Any:
        """The per-community records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "PhaseComparison.to_frame")
        return pd.DataFrame(self.records())

    def table(self, lang: str = "en") -> str:
        """A plain-text table of changes with their intervals and classes, largest first
        (Chinese with ``lang="zh"``).

        Examples
        --------
        >>> import renoscore as rs
        >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> print("\\n".join(rs.compare(result, phases=("t0", "t1")).table(lang="zh").splitlines()[:2]))
        小区  之前  之后   变化  95%置信区间     变化判定
        GC06  39.9  80.8  +40.9  [+39.3, +42.4]  改善
        """
        words = CONSOLE[lang_of(lang)]
        recs = sorted(
            self.records(), key=lambda r: -(r["change"] if r["change"] is not None else -math.inf)
        )
        rows = [
            [
                str(r["community_id"]),
                text_number(r["before"]),
                text_number(r["after"]),
                text_number(r["change"], "+.1f"),
                f"[{text_number(r['change_low'], '+.1f')}, {text_number(r['change_high'], '+.1f')}]",
                _class_word(r["change_class"], words),
            ]
            for r in recs
        ]
        head = [
            *(words[k] for k in ("community", "before", "after", "change")),
            words["change_interval"].format(level=f"{self.level:.0%}"),
            words["change_class"],
        ]
        lines = [text_table(head, rows, align="<>>><<", rule=False)]
        if self.only_before or self.only_after:
            sep = "；" if lang == "zh" else "; "
            colon = "：" if lang == "zh" else ": "
            lines.append(
                sep.join(
                    words["only_in"].format(
                        phase=phase_word(self.system, p, lang) if lang == "zh" else p
                    )
                    + colon
                    + (("、" if lang == "zh" else ", ").join(ids) or words["none"])
                    for p, ids in (
                        (self.before_phase, self.only_before),
                        (self.after_phase, self.only_after),
                    )
                )
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        s = self.summary()
        return f"PhaseComparison({self.before_phase} -> {self.after_phase}: {s['communities_compared']} communities, mean change {text_number(s['mean_change'], '+.1f')})"


def compare(
    before: EvaluationResult,
    after: EvaluationResult | None = None,
    *,
    phases: tuple[str, str] | None = None,
    allow_different_weights: bool = False,
    standard_errors: Any = None,
    measurement: MeasurementError | Mapping[str, Any] | None = None,
    level: float = 0.95,
) -> PhaseComparison:
    """Compare two phases of the same communities (阶段性评估), each change with its interval.

    Parameters
    ----------
    before, after : EvaluationResult
        Results of the two phases. With ``after`` omitted, ``before`` must hold both phases
        and ``phases=(before_phase, after_phase)`` selects them.
    phases : (str, str), optional
        The phases to compare (needed when a result holds more than one phase).
    allow_different_weights : bool
        Compare results made with different weights, goalposts or normalisation. Refused by
        default: scores are only comparable on the same frozen weights and goalposts.
    standard_errors : ndarray or pair of ndarrays, optional
        Standard errors of the values, shape (N, M) in the system's indicator order with NaN
        where none, aligned with the rows of ``before`` (one result), or a pair aligned with
        ``before`` and ``after``; e.g. ``survey_scores.standard_errors(data)``.
    measurement : MeasurementError or mapping, optional
        Declared measurement error (per indicator, from a context column of standard errors,
        or a share of the goalpost span); the system's ``measurement_sd`` applies to the other
        indicators, and a value with none is taken as exact.
    level : float
        The confidence level of the intervals (default 0.95).

    Returns
    -------
    PhaseComparison
        Every change with its interval and class (improved, no clear change, worse); see
        :mod:`renoscore.pipeline.change_intervals` for the formulas.

    Examples
    --------
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> cmp = rs.compare(result, phases=("t0", "t1"))
    >>> "LY" in cmp.ids
    True
    >>> cmp.community("EQ05")["dimension_classes"]["social_capital"]
    'no clear change'
    """
    critical_value(level)
    spec = _measurement(measurement)
    se_before, se_after = _standard_errors(standard_errors, before, after)
    if after is None:
        if phases is None:
            present = [p for p in dict.fromkeys(before.phases) if p is not None]
            if len(present) < 2:
                raise OptionError(
                    "compare needs two phases",
                    [
                        Problem(
                            f"phases present: {present}", fix="pass two results, or phases=(a, b)"
                        )
                    ],
                )
            phases = (present[0], present[1])
        _check_phases(phases, (before, before))
        whole = before
        before, after = whole.select(phases[0]), whole.select(phases[1])
        se_before, se_after = (
            _rows_of(se_before, whole, phases[0]),
            _rows_of(se_after, whole, phases[1]),
        )
    elif phases is not None:
        _check_phases(phases, (before, after))
        se_before = _rows_of(se_before, before, phases[0])
        se_after = _rows_of(se_after, after, phases[1])
        before, after = before.select(phases[0]), after.select(phases[1])
    _check_comparable(before, after, allow_different_weights)
    b_phase = _single_phase(before)
    a_phase = _single_phase(after)
    # Communities are paired by their id key (full-width forms, invisible characters and
    # case do not count); the after side's id, as written, names the pair.
    b_keys = id_keys(before.id_array).tolist()
    a_keys = id_keys(after.id_array).tolist()
    b_index = {k: r for r, k in enumerate(b_keys)}
    a_index = {k: r for r, k in enumerate(a_keys)}
    pairs = [(b_index[k], r) for r, k in enumerate(a_keys) if k in b_index]
    both = tuple(after.ids[r] for _, r in pairs)
    rb = np.array([b for b, _ in pairs], dtype=np.intp)
    ra = np.array([a for _, a in pairs], dtype=np.intp)
    system = after.system

    def stack(res: EvaluationResult, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        return np.hstack([res.group_scores[rows], res.indicator_scores[rows]])

    return PhaseComparison(
        system=system,
        before_phase=b_phase,
        after_phase=a_phase,
        ids=both,
        only_before=tuple(c for c, k in zip(before.ids, b_keys, strict=True) if k not in a_index),
        only_after=tuple(c for c, k in zip(after.ids, a_keys, strict=True) if k not in b_index),
        node_ids=(*after.group_ids, *system.indicator_ids),
        before=stack(before, rb),
        after=stack(after, ra),
        grade_before=before.grades[rb, 0].astype(np.int64),
        grade_after=after.grades[ra, 0].astype(np.int64),
        before_sd=score_sd(before, rb, _take(se_before, rb), spec),
        after_sd=score_sd(after, ra, _take(se_after, ra), spec),
        level=level,
    )


def _check_phases(
    phases: tuple[str, str], sides: tuple[EvaluationResult, EvaluationResult]
) -> None:
    """Refuse a phase that its side of the comparison does not hold (it would compare nothing)."""
    from renoscore._validation import suggest

    problems = []
    for label, phase, side in zip(("before", "after"), phases, sides, strict=True):
        present = [p for p in side.phase_codes.labels if p is not None]
        if phase not in present:
            problems.append(
                Problem(
                    f"no rows of phase {phase!r} to compare ({label})",
                    value=phase,
                    fix=suggest(str(phase), present) or f"phases present: {present}",
                )
            )
    if problems:
        raise OptionError("a phase to compare is not in the result", problems)


def _measurement(spec: MeasurementError | Mapping[str, Any] | None) -> MeasurementError | None:
    """Declared measurement error as :class:`MeasurementError`, validated."""
    if spec is None or isinstance(spec, MeasurementError):
        return spec
    try:
        return MeasurementError.model_validate(dict(spec))
    except ValidationError as exc:
        raise OptionError(
            "invalid measurement error",
            [
                Problem(
                    err["msg"],
                    path=".".join(str(p) for p in err["loc"]) or None,
                    fix="give {'sd': {indicator: sd or column}, 'span_fraction': share}",
                )
                for err in exc.errors()
            ],
        ) from None


def _standard_errors(
    given: Any, before: EvaluationResult, after: EvaluationResult | None
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
    """The standard errors of each side's rows (one array for one result, or a pair)."""
    if given is None:
        return None, None
    pair = isinstance(given, tuple | list) and len(given) == 2
    if after is not None and not pair:
        raise OptionError(
            "two results need a pair of standard-error arrays",
            [
                Problem(
                    "one array given",
                    fix=f"use {argument('standard_errors', '(se_before, se_after)')}",
                )
            ],
        )
    first, second = given if pair else (given, given)
    sides = [(first, before), (second, after if after is not None else before)]
    out = []
    for se, side in sides:
        arr = np.asarray(se, dtype=np.float64)
        if arr.shape != side.values.shape:
            raise OptionError(
                "standard errors do not fit the result",
                [
                    Problem(
                        f"standard errors {arr.shape}, the result's values {side.values.shape}",
                        fix="one row per row of the result and one column per indicator",
                    )
                ],
            )
        out.append(arr)
    return out[0], out[1]


def _rows_of(
    se: NDArray[np.float64] | None, result: EvaluationResult, phase: str
) -> NDArray[np.float64] | None:
    """The standard errors of one phase's rows (in the order :meth:`select` keeps them)."""
    if se is None:
        return None
    pc = result.phase_codes
    code = pc.labels.index(phase) if phase in pc.labels else -1
    return se[np.flatnonzero(pc.codes == code)]


def _take(se: NDArray[np.float64] | None, rows: NDArray[np.intp]) -> NDArray[np.float64] | None:
    return None if se is None else se[rows]


def _class_word(name: str | None, words: dict[str, str]) -> str:
    """A change's class in the output's language."""
    return "-" if name is None else words[name.replace(" ", "_")]


def _counts(classes: NDArray[np.float64]) -> dict[str, int]:
    """How many changes are in each class."""
    return {name: int(np.count_nonzero(classes == code)) for code, name in CLASS_NAMES.items()}


def _single_phase(result: EvaluationResult) -> str | None:
    present = list(dict.fromkeys(result.phases))
    if len(present) > 1:
        raise OptionError(
            "each side of a comparison must hold one phase",
            [Problem(f"phases {present}", fix=f"use {argument('phases', '(before, after)')}")],
        )
    if len(set(id_keys(result.id_array).tolist())) != len(result.ids):
        raise OptionError(
            "duplicate community ids in one phase",
            [
                Problem(
                    "ambiguous rows: ids repeated, or differing only by case, width or "
                    "invisible characters",
                    fix="give each community one id, written one way",
                )
            ],
        )
    return present[0] if present else None


def _check_comparable(before: EvaluationResult, after: EvaluationResult, allow: bool) -> None:
    problems: list[Problem] = []
    if (
        before.system.id != after.system.id
        or before.system.indicator_ids != after.system.indicator_ids
    ):
        raise OptionError(
            "the results come from different indicator systems",
            [Problem(f"{before.system.id} vs {after.system.id}")],
        )
    if allow:
        return
    if not np.array_equal(before.weights.indicator_weights(), after.weights.indicator_weights()):
        problems.append(
            Problem(
                "the two results were scored with different weights",
                fix="evaluate both phases with the same frozen Weights (derive once, pass "
                f"{argument('weights')}), or {argument('allow_different_weights', True)}",
            )
        )
    fb, tb = before.system.goalpost_arrays()
    fa, ta = after.system.goalpost_arrays()
    if not (np.array_equal(fb, fa) and np.array_equal(tb, ta)):
        problems.append(
            Problem(
                "the two results use different goalposts",
                fix=f"use the same system version, or {argument('allow_different_weights', True)}",
            )
        )
    ob, oa = before.provenance.options, after.provenance.options
    if (ob.normalization, ob.aggregation) != (oa.normalization, oa.aggregation):
        problems.append(
            Problem(
                "the two results use different methods",
                fix="use the same normalisation and aggregation",
            )
        )
    if ob.batch_relative and before.data_digest != after.data_digest:
        problems.append(
            Problem(
                "min-max scores are relative to their batch and do not compare across batches",
                fix="use goalposts normalisation",
            )
        )
    if problems:
        raise RenoscoreError("the results are not comparable", problems)


def _grade(system: IndicatorSystem, g: int) -> str | None:
    return None if g < 0 else system.grades[g].id
