"""Phase-to-phase comparison (阶段性评估): :func:`compare` and :class:`PhaseComparison`.

Two results compare only on the same system, the same frozen weights and goalposts and the
same scoring methods (their :class:`~renoscore._options.ScoringOptions`); batch-relative scores
compare only within the batch they were computed on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._display import text_table
from renoscore._format import optional_float, text_number
from renoscore._labels import id_keys
from renoscore._optional import import_optional
from renoscore._vocabulary import CONSOLE, lang_of, phase_word
from renoscore.errors import OptionError, Problem, RenoscoreError
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

    @property
    def delta(self) -> NDArray[np.float64]:
        """Change in score (after - before) per community and node."""
        return self.after - self.before

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
        ind_ids = self.node_ids[self._indicator_slice()]
        b = self.before[r, self._indicator_slice()]
        a = self.after[r, self._indicator_slice()]
        dims = [d.id for d in self.system.dimensions]
        col = {n: k for k, n in enumerate(self.node_ids)}
        return {
            "community_id": community,
            "overall_before": optional_float(self.before[r, 0]),
            "overall_after": optional_float(self.after[r, 0]),
            "overall_change": optional_float(self.delta[r, 0]),
            "dimensions": {d: optional_float(self.delta[r, col[d]]) for d in dims},
            "newly_at_target": [
                i
                for i, x, y in zip(ind_ids, b, a, strict=True)
                if y >= 100 - tol and not x >= 100 - tol
            ],
            "worse": [i for i, x, y in zip(ind_ids, b, a, strict=True) if y < x - tol],
            "better": [i for i, x, y in zip(ind_ids, b, a, strict=True) if y > x + tol],
            "grade_before": _grade(self.system, int(self.grade_before[r])),
            "grade_after": _grade(self.system, int(self.grade_after[r])),
        }

    def summary(self) -> dict[str, Any]:
        """Portfolio summary: mean change, share improved, share with a grade up."""
        d = self.delta[:, 0]
        ok = ~np.isnan(d)
        both_graded = (self.grade_before >= 0) & (self.grade_after >= 0)
        return {
            "phases": [self.before_phase, self.after_phase],
            "communities_compared": len(self.ids),
            "only_before": list(self.only_before),
            "only_after": list(self.only_after),
            "mean_change": optional_float(float(d[ok].mean())) if ok.any() else None,
            "share_improved": float((d[ok] > 0).mean()) if ok.any() else None,
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
            }
            rec.update({f"change_{d}": optional_float(self.delta[r, col[d]]) for d in dims})
            out.append(rec)
        return out

    def to_frame(self) -> Any:
        """The per-community records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "PhaseComparison.to_frame")
        return pd.DataFrame(self.records())

    def table(self, lang: str = "en") -> str:
        """A plain-text table of changes, largest improvement first (Chinese with ``lang="zh"``).

        Examples
        --------
        >>> import renoscore as rs
        >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> print("\\n".join(rs.compare(result, phases=("t0", "t1")).table(lang="zh").splitlines()[:2]))
        小区  之前  之后   变化
        JS03  43.0  76.7  +33.7
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
            ]
            for r in recs
        ]
        head = [words[k] for k in ("community", "before", "after", "change")]
        lines = [text_table(head, rows, align="<>>>", rule=False)]
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
) -> PhaseComparison:
    """Compare two phases of the same communities (阶段性评估).

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

    Returns
    -------
    PhaseComparison

    Examples
    --------
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> cmp = rs.compare(result, phases=("t0", "t1"))
    >>> "LY" in cmp.ids
    True
    """
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
        before, after = before.select(phases[0]), before.select(phases[1])
    elif phases is not None:
        _check_phases(phases, (before, after))
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
