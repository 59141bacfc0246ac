"""The scoring pipeline: :func:`evaluate` and :func:`compare`.

This module composes the numeric core (:mod:`renoscore.normalize`, :mod:`renoscore.hierarchy`,
:mod:`renoscore.ranking`) with the domain model (system, data, weights). It has no maths of its
own: every formula lives in the core, where it is cited and tested.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from renoscore import aggregate, normalize, ranking
from renoscore._optional import import_optional
from renoscore.data import CellStatus, CommunityData, PhaseCodes, load_data
from renoscore.errors import (
    CoverageWarning,
    DataValidationError,
    OptionError,
    Problem,
    RenoscoreError,
)
from renoscore.hierarchy import Tree, aggregate_tree, score_groups, score_tree
from renoscore.panel import Panel
from renoscore.result import EvaluationResult, IndicatorScores, Provenance, rank_within_phase
from renoscore.system import Group, IndicatorSystem, load_system
from renoscore.weighting import Weights, derive_weights

__all__ = ["PhaseComparison", "compare", "evaluate"]

Normalization = Literal["goalposts", "minmax"]
Aggregation = Literal["arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"]
#: Overall scores from these methods are relative to the batch or to a comment set, not a tree.
BATCH_RELATIVE = ("topsis", "grey_relational")
#: Grade centres of the fuzzy comment set {优, 良, 中, 差} (domain brief §6, a community-service FCE).
FUZZY_GRADES = (85.0, 70.0, 55.0, 40.0)
MissingPolicy = Literal["error", "renormalize", "impute_mean", "impute_median"]


def system_tree(system: IndicatorSystem, weights: Weights) -> Tree:
    """The numeric tree of ``system`` with the local weights of ``weights``."""
    m = len(system.indicators)
    index = {ind.id: j for j, ind in enumerate(system.indicators)}
    index.update({g.id: m + k for k, g in enumerate(system.groups)})
    children = []
    local = []
    for g in system.groups:
        nw = weights.nodes[g.id]
        children.append([index[c] for c in nw.children])
        local.append(list(nw.local))
    return Tree.build(m, children, local)


def evaluate(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    panel: Panel | None = None,
    normalization: Normalization = "goalposts",
    aggregation: Aggregation = "arithmetic",
    missing: MissingPolicy = "error",
    min_coverage: float = 2.0 / 3.0,
    impute_by: str | None = None,
    tie_method: Literal["min", "max", "dense", "average", "ordinal"] = "min",
    tie_tolerance: float = 1e-9,
    weights_phase: str | None = None,
) -> EvaluationResult:
    """Score, rank and grade every community on every node of an indicator system.

    Parameters
    ----------
    system : IndicatorSystem or str
        The indicator system (or a path / shipped name for :func:`~renoscore.load_system`).
    data : CommunityData or table
        Validated data, or anything :func:`~renoscore.load_data` reads.
    weights : Weights, str or None
        Frozen :class:`~renoscore.Weights` (checked against the system); a method name
        (``"equal"``, ``"ahp"``, ``"entropy"``, ``"critic"``, ``"combined"``, ...) resolved
        by :func:`~renoscore.derive_weights` with ``panel`` and the data; or None for the
        system's own declared weighting. The default system declares fixed dimension weights
        (the AIJ group result of its example panel) and equal weights within dimensions, so
        ``evaluate(default_system(), data)`` works without a panel.
    panel : Panel, optional
        Expert judgements for AHP weighting.
    normalization : {"goalposts", "minmax"}
        ``goalposts`` (default): each indicator scored from its floor (0) to its target
        (100), so a community's score does not depend on the batch. ``minmax``: relative to
        the batch (explicit opt-in; scores then change when communities are added).
    aggregation : {"arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"}
        Weighted arithmetic mean up the tree (default, compensatory) or weighted geometric
        mean (partly compensatory). The last three replace only the *overall* score, computed
        from the indicator scores with the global weights (dimension scores stay arithmetic):
        TOPSIS closeness (Hwang & Yoon 1981) and grey relational grade (Deng 1982) are
        relative to the batch, like min-max; ``fuzzy`` is the weighted score of a fuzzy
        comprehensive evaluation on the comment set {85, 70, 55, 40} (M(·,⊕) operator).
        TOPSIS and grey relational need every indicator observed in a row.
    missing : {"error", "renormalize", "impute_mean", "impute_median"}
        What to do with missing cells. ``error`` (default) lists every missing cell.
        ``renormalize`` re-normalises weights over the indicators present within each node
        and records the coverage. ``impute_*`` fills missing cells with the column mean or
        median of the observed cells (within the context column ``impute_by`` if given);
        imputed cells are recorded. Not-applicable cells are always excluded by
        re-normalisation.
    min_coverage : float
        A community whose observed share of the goal's weight is below this gets no overall
        score, rank or grade (default 2/3); the row stays in the result with the reason.
        Dimension scores are shown with their own coverage. Coverage counts only the weight
        that applies: not-applicable cells (including indicators not measured in a row's
        phase) leave the denominator, so a mid-works ``t_proc`` row that measures only
        participation is scored on what that phase measures.
    impute_by : str, optional
        A context column (e.g. ``district``) within which to impute.
    tie_method, tie_tolerance
        How ties are ranked, and the score difference (on 0-100) below which two scores tie.
    weights_phase : str, optional
        For data-driven weights: use only the rows of this phase.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    DataValidationError
        With ``missing="error"``, listing every missing cell.
    WeightsError
        When weights do not fit the system or cannot be derived.

    Examples
    --------
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> bool(((result.overall >= 0) & (result.overall <= 100) | np.isnan(result.overall)).all())
    True
    """
    system = load_system(system)
    if not isinstance(data, CommunityData):
        data = load_data(data, system)
    if data.system_id != system.id or data.indicator_ids != system.indicator_ids:
        raise DataValidationError(
            "the data were validated against another system",
            [
                Problem(
                    f"data system {data.system_id!r}, evaluation system {system.id!r}",
                    fix="load the data with this system",
                )
            ],
        )
    if normalization not in ("goalposts", "minmax"):
        raise OptionError(
            f"unknown normalization {normalization!r}", [Problem("use goalposts or minmax")]
        )
    if aggregation not in ("arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"):
        raise OptionError(
            f"unknown aggregation {aggregation!r}",
            [Problem("use arithmetic, geometric, topsis, grey_relational or fuzzy")],
        )
    if missing not in ("error", "renormalize", "impute_mean", "impute_median"):
        raise OptionError(
            f"unknown missing policy {missing!r}",
            [Problem("use error, renormalize, impute_mean or impute_median")],
        )
    if not 0.0 <= min_coverage <= 1.0:
        raise OptionError(
            "min_coverage must be in [0, 1]", [Problem("out of range", value=min_coverage)]
        )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if isinstance(weights, Weights):
            weights.check(system)
            w = weights
        else:
            w = derive_weights(system, panel, data, method=weights, phase=weights_phase)

        X = data.values
        status = data.status
        imputed: NDArray[np.bool_] = np.broadcast_to(np.False_, X.shape)
        applicable: NDArray[np.bool_] | None = None
        # One read of the int8 status matrix (an eighth of the values) settles the usual case,
        # complete data; the per-cell masks are built only when some cell is not OK.
        if status.any():
            is_missing = status == CellStatus.MISSING
            if is_missing.any():
                if missing == "error":
                    rows, cols = np.nonzero(is_missing)
                    raise DataValidationError(
                        f"{rows.size} missing cell(s); choose a missing-data policy",
                        [
                            Problem(
                                "missing value",
                                row=int(r) + 1,
                                community_id=str(data.id_array[r]),
                                column=data.indicator_ids[c],
                                fix="fill it, mark it n/a if it does not apply, or evaluate(..., missing='renormalize' | 'impute_mean' | 'impute_median')",
                            )
                            for r, c in zip(
                                rows.tolist(),
                                cols.tolist(),
                                strict=True,
                            )
                        ],
                    )
                if missing in ("impute_mean", "impute_median"):
                    X, imputed = _impute(X, is_missing, data, missing, impute_by)
            not_applicable = status == CellStatus.NOT_APPLICABLE
            if not_applicable.any():
                applicable = ~not_applicable

        floor, target = system.goalpost_arrays()
        tree = system_tree(system, w)
        method: Literal["arithmetic", "geometric"] = (
            "geometric" if aggregation == "geometric" else "arithmetic"
        )
        S: NDArray[np.float64] | IndicatorScores
        if normalization == "goalposts" and aggregation in ("arithmetic", "geometric"):
            # Goalposts and the tree in one blocked pass that reads X once; the indicator
            # scores are left to the result, which computes them if they are read.
            group_scores, coverage = score_groups(
                X,
                floor,
                target,
                tree,
                method=method,
                applicable=applicable,
                scale=100.0,
                check_finite=False,  # validated data hold no infinity
                labels=system.indicator_ids,
            )
            S = IndicatorScores(X, floor, target, 100.0)
        elif normalization == "goalposts":
            S, group_scores, coverage = score_tree(
                X,
                floor,
                target,
                tree,
                method=method,
                applicable=applicable,
                scale=100.0,
                check_finite=False,
                labels=system.indicator_ids,
            )
            group_scores[:, 0] = _overall_by(aggregation, S, w.indicator_weights())
        else:
            S = normalize.minmax(X, system.directions, labels=system.indicator_ids)
            group_scores, coverage = aggregate_tree(
                S, tree, method=method, missing="renormalize", applicable=applicable
            )
            group_scores *= 100.0
            np.multiply(S, 100.0, out=S)
            if aggregation in ("topsis", "grey_relational", "fuzzy"):
                group_scores[:, 0] = _overall_by(aggregation, S, w.indicator_weights())
        # The coverage rule applies to the community (the goal): a dimension observed in part
        # still shows its score, with its coverage beside it.
        # NaN coverage (nothing applies to the row) is not "low": it is explained below.
        low = coverage[:, 0] < min_coverage - 1e-12
        # Reasons as codes into the few distinct texts (code 0: no reason): a million Nones
        # are a tuple only if someone reads them.
        reason_code = np.zeros(data.n, dtype=np.intp)
        reason_text: dict[str | None, int] = {None: 0}

        def give(r: int, text: str) -> None:
            reason_code[r] = reason_text.setdefault(text, len(reason_text))

        if low.any():
            for r in np.flatnonzero(low).tolist():
                give(r, f"coverage {coverage[r, 0]:.0%} below the minimum {min_coverage:.0%}")
            group_scores[low, 0] = np.nan
            warnings.warn(
                f"{int(low.sum())} row(s) not scored: coverage below {min_coverage:.0%}",
                CoverageWarning,
                stacklevel=2,
            )
        for r in np.flatnonzero(np.isnan(group_scores[:, 0]) & ~low).tolist():
            give(
                r,
                f"{aggregation} needs every indicator observed"
                if aggregation in BATCH_RELATIVE and not np.isnan(coverage[r, 0])
                else "no indicator observed",
            )
        reasons = PhaseCodes(reason_code, tuple(reason_text))
        overall_rank = rank_within_phase(
            group_scores[:, 0], data.phase_codes, tie_method, tie_tolerance
        )
        grades = ranking.grade(group_scores, system.grade_thresholds()[:-1])
    for item in caught:
        warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)

    provenance = Provenance(
        system_id=system.id,
        system_version=system.version,
        data_source=data.source,
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
        weights=w,
    )
    return EvaluationResult(
        system=system,
        # The arrays themselves: tuples of a million ids are built only if someone reads them.
        ids=cast(Any, data.id_array),
        phases=cast(Any, data.phase_codes),
        indicator_scores=cast(Any, S),
        group_scores=group_scores,
        coverage=coverage,
        overall_rank=overall_rank,
        grades=grades,
        values=data.values,
        status=data.status,
        imputed=imputed,
        reasons=cast(Any, reasons),
        warnings=tuple(f"{c.category.__name__}: {c.message}" for c in caught),
        provenance=provenance,
        context=dict(data.context),
    )


def _overall_by(
    method: str, S100: NDArray[np.float64], w: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Overall score (0-100) of each row by a non-tree method, from indicator scores on 0-100."""
    benefit = ["benefit"] * S100.shape[1]  # goalpost scores are already oriented
    if method == "topsis":
        return 100.0 * aggregate.topsis(S100 / 100.0, w, benefit)
    if method == "grey_relational":
        return 100.0 * aggregate.grey_relational(S100 / 100.0, w, benefit, normalization="none")
    fuzzy = aggregate.fuzzy_comprehensive(S100, w, FUZZY_GRADES, missing="renormalize")
    return np.asarray(fuzzy.score, dtype=np.float64)


def _impute(
    X: NDArray[np.float64],
    is_missing: NDArray[np.bool_],
    data: CommunityData,
    policy: str,
    by: str | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    stat = np.nanmean if policy == "impute_mean" else np.nanmedian
    observed = np.where(data.status == CellStatus.OK, X, np.nan)
    filled = X.copy()
    if by is None:
        groups = np.zeros(data.n, dtype=np.intp)
    else:
        if by not in data.context:
            raise OptionError(
                f"impute_by column {by!r} is not a context column",
                [Problem("unknown column", column=by, fix=f"use one of {sorted(data.context)}")],
            )
        _, groups = np.unique(np.array([str(v) for v in data.context[by]]), return_inverse=True)
    problems: list[Problem] = []
    for g in np.unique(groups):
        rows = groups == g
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # Sorted first, so the mean adds the same numbers in the same order whatever the
            # row order of the table (a median does not depend on it anyway).
            centre = stat(np.sort(observed[rows], axis=0), axis=0)
        need = is_missing & rows[:, None]
        empty = need.any(axis=0) & np.isnan(centre)
        for c in np.flatnonzero(empty).tolist():
            problems.append(
                Problem(
                    "nothing observed to impute from",
                    column=data.indicator_ids[c],
                    fix="use missing='renormalize', or impute without impute_by",
                )
            )
        filled = np.where(need, centre[None, :], filled)
    if problems:
        raise DataValidationError("cannot impute", problems)
    return filled, is_missing.copy()


# --------------------------------------------------------------------------- phases
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
            "overall_before": _num(self.before[r, 0]),
            "overall_after": _num(self.after[r, 0]),
            "overall_change": _num(self.delta[r, 0]),
            "dimensions": {d: _num(self.delta[r, col[d]]) for d in dims},
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
            "mean_change": _num(float(d[ok].mean())) if ok.any() else None,
            "share_improved": float((d[ok] > 0).mean()) if ok.any() else None,
            "share_grade_up": float(
                (self.grade_after[both_graded] < self.grade_before[both_graded]).mean()
            )
            if both_graded.any()
            else None,
            "mean_change_by_dimension": {
                dim.id: _num(float(np.nanmean(self.delta[:, self.node_ids.index(dim.id)])))
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
                "before": _num(self.before[r, 0]),
                "after": _num(self.after[r, 0]),
                "change": _num(self.delta[r, 0]),
            }
            rec.update({f"change_{d}": _num(self.delta[r, col[d]]) for d in dims})
            out.append(rec)
        return out

    def to_frame(self) -> Any:
        """The per-community records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "PhaseComparison.to_frame")
        return pd.DataFrame(self.records())

    def table(self) -> str:
        """A plain-text table of changes, largest improvement first."""
        recs = sorted(
            self.records(), key=lambda r: -(r["change"] if r["change"] is not None else -math.inf)
        )
        lines = [f"{'community':<14} {'before':>7} {'after':>7} {'change':>7}"]
        for r in recs:
            lines.append(
                f"{r['community_id']:<14} {_f(r['before']):>7} {_f(r['after']):>7} {_f(r['change'], sign=True):>7}"
            )
        if self.only_before or self.only_after:
            lines.append(
                f"only in {self.before_phase}: {', '.join(self.only_before) or '-'}; only in {self.after_phase}: {', '.join(self.only_after) or '-'}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        s = self.summary()
        return f"PhaseComparison({self.before_phase} -> {self.after_phase}: {s['communities_compared']} communities, mean change {_f(s['mean_change'], sign=True)})"


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
        before, after = before.select(phases[0]), before.select(phases[1])
    elif phases is not None:
        before, after = before.select(phases[0]), after.select(phases[1])
    _check_comparable(before, after, allow_different_weights)
    b_phase = _single_phase(before)
    a_phase = _single_phase(after)
    b_index = {cid: r for r, cid in enumerate(before.ids)}
    a_index = {cid: r for r, cid in enumerate(after.ids)}
    both = tuple(cid for cid in after.ids if cid in b_index)
    rb = np.array([b_index[c] for c in both], dtype=np.intp)
    ra = np.array([a_index[c] for c in both], dtype=np.intp)
    system = after.system

    def stack(res: EvaluationResult, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        return np.hstack([res.group_scores[rows], res.indicator_scores[rows]])

    return PhaseComparison(
        system=system,
        before_phase=b_phase,
        after_phase=a_phase,
        ids=both,
        only_before=tuple(c for c in before.ids if c not in a_index),
        only_after=tuple(c for c in after.ids if c not in b_index),
        node_ids=(*after.group_ids, *system.indicator_ids),
        before=stack(before, rb),
        after=stack(after, ra),
        grade_before=before.grades[rb, 0].astype(np.int64),
        grade_after=after.grades[ra, 0].astype(np.int64),
    )


def _single_phase(result: EvaluationResult) -> str | None:
    present = list(dict.fromkeys(result.phases))
    if len(present) > 1:
        raise OptionError(
            "each side of a comparison must hold one phase",
            [Problem(f"phases {present}", fix="pass phases=(before, after)")],
        )
    if len(set(result.ids)) != len(result.ids):
        raise OptionError("duplicate community ids in one phase", [Problem("ambiguous rows")])
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
                fix="evaluate both phases with the same frozen Weights (derive once, pass weights=...), or allow_different_weights=True",
            )
        )
    fb, tb = before.system.goalpost_arrays()
    fa, ta = after.system.goalpost_arrays()
    if not (np.array_equal(fb, fa) and np.array_equal(tb, ta)):
        problems.append(
            Problem(
                "the two results use different goalposts",
                fix="use the same system version, or allow_different_weights=True",
            )
        )
    pb, pa = before.provenance, after.provenance
    if (pb.normalization, pb.aggregation) != (pa.normalization, pa.aggregation):
        problems.append(
            Problem(
                "the two results use different methods",
                fix="use the same normalisation and aggregation",
            )
        )
    relative = pb.normalization == "minmax" or pb.aggregation in BATCH_RELATIVE
    if relative and before.data_digest != after.data_digest:
        problems.append(
            Problem(
                "min-max scores are relative to their batch and do not compare across batches",
                fix="use goalposts normalisation",
            )
        )
    if problems:
        raise RenoscoreError("the results are not comparable", problems)


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def _f(x: float | None, sign: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:+.1f}" if sign else f"{x:.1f}"


def _grade(system: IndicatorSystem, g: int) -> str | None:
    return None if g < 0 else system.grades[g].id


_ = Group
