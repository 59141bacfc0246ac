"""The scoring pipeline: :func:`evaluate`, a list of stages from inputs to a result.

This module composes the numeric core (:mod:`renoscore.normalize`, :mod:`renoscore.aggregate`,
:mod:`renoscore.ranking`) with the domain model (system, data, weights). It has no maths of its
own: every formula lives in the core, where it is cited and tested.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple, cast

import numpy as np
from numpy.typing import NDArray

from renoscore import aggregate, normalize, ranking
from renoscore._options import (
    DEFAULT_OPTIONS,
    Aggregation,
    MissingPolicy,
    ScoreNormalization,
    ScoringOptions,
)
from renoscore.aggregate import Tree, aggregate_tree, score_groups, score_tree
from renoscore.data import CommunityData, load_data
from renoscore.errors import DataValidationError, Problem
from renoscore.panel import Panel
from renoscore.pipeline.configuration import resolve_weights
from renoscore.pipeline.imputation import Cells, cells_to_score
from renoscore.pipeline.progress import phase_scopes, unscored_rows
from renoscore.pipeline.treatment import treated_data
from renoscore.ranking import TieMethod
from renoscore.result import EvaluationResult, IndicatorScores, Provenance, rank_within_phase
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import Weights

__all__ = ["FUZZY_GRADES", "evaluate", "system_tree"]

#: Grade centres of the fuzzy comment set {优, 良, 中, 差} (domain brief §6, a community-service FCE).
FUZZY_GRADES = (85.0, 70.0, 55.0, 40.0)


def system_tree(
    system: IndicatorSystem, weights: Weights, options: ScoringOptions | None = None
) -> Tree:
    """The numeric tree of ``system`` with the local weights of ``weights``.

    Each group's minimum applicable share is its own ``min_applicable`` from the system, or
    else the option of that name (:class:`ScoringOptions`, 0.5 by default).
    """
    default = (options or DEFAULT_OPTIONS).min_applicable
    m = len(system.indicators)
    index = {ind.id: j for j, ind in enumerate(system.indicators)}
    index.update({g.id: m + k for k, g in enumerate(system.groups)})
    children = []
    local = []
    for g in system.groups:
        nw = weights.nodes[g.id]
        children.append([index[c] for c in nw.children])
        local.append(list(nw.local))
    minimum = [default if g.min_applicable is None else g.min_applicable for g in system.groups]
    return Tree.build(m, children, local, minimum)


def evaluate(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    panel: Panel | None = None,
    normalization: ScoreNormalization = DEFAULT_OPTIONS.normalization,
    aggregation: Aggregation = DEFAULT_OPTIONS.aggregation,
    missing: MissingPolicy = DEFAULT_OPTIONS.missing,
    min_coverage: float = DEFAULT_OPTIONS.min_coverage,
    min_applicable: float = DEFAULT_OPTIONS.min_applicable,
    impute_by: str | None = DEFAULT_OPTIONS.impute_by,
    tie_method: TieMethod = DEFAULT_OPTIONS.tie_method,
    tie_tolerance: float = DEFAULT_OPTIONS.tie_tolerance,
    weights_phase: str | None = None,
    options: ScoringOptions | None = None,
    treat: Any = None,
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
        phase) leave the denominator, and a group that is not assessed (``min_applicable``)
        counts as missing with its full weight.
    min_applicable : float
        A group is scored only where the indicators that apply to the row carry at least
        this share of its weight (default 0.5; a group's own ``min_applicable`` in the system
        takes precedence); below it the group is *not assessed*. A phase that does not
        measure every dimension (the shipped ``t_proc``) is a progress check: its rows get the
        dimension scores they measure and no overall score, rank or grade, unless the
        system's phase declares ``overall: true`` (see :mod:`renoscore.pipeline.progress`).
    impute_by : str, optional
        A context column (e.g. ``district``) within which to impute.
    tie_method, tie_tolerance
        How ties are ranked, and the score difference (on 0-100) below which two scores tie.
    weights_phase : str, optional
        For data-driven weights: use only the rows of this phase.
    options : ScoringOptions, optional
        The scoring options above as one validated object (keywords left at their
        defaults); recorded in the result's provenance either way.
    treat : bool, dict or TreatmentOptions, optional
        Treat outliers first, as COINr's ``Treat`` does (:mod:`renoscore.pipeline.treatment`):
        winsorise up to ``winmax`` points per indicator and, with min-max only, log-transform
        what winsorisation does not fix. Off by default; with goalposts it rarely changes a
        score (a value beyond its goalpost scores 0 or 100 anyway). Every treated point is
        recorded in ``result.provenance.treatment``.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    OptionError
        Invalid scoring options, every one listed.
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
    opts = ScoringOptions.of(
        options,
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        min_applicable=min_applicable,
        impute_by=impute_by,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
        treat=treat,
    )
    system, data = _matching_inputs(system, data)
    scored_data, record = (data, None) if opts.treat is None else treated_data(data, opts.treat)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = resolve_weights(system, scored_data, weights, panel, weights_phase)
        cells = cells_to_score(scored_data, opts)
        tree = system_tree(system, w, opts)
        scored = _scores(system, cells, w, opts, tree)
        # A renormalised mean of scores in [0, 100] lies in [0, 100], but num / den over a
        # subset of weights can round one ulp past a bound (100.00000000000003): keep the
        # declared range, which ranks, grades and the result file check.
        np.clip(scored.groups, 0.0, 100.0, out=scored.groups)
        reasons = unscored_rows(
            scored.groups,
            scored.coverage,
            scored.applicable,
            opts,
            data.phase_codes,
            phase_scopes(system, tree),
            float(tree.minimum_applicable()[0]),
        )
        overall_rank = rank_within_phase(
            scored.groups[:, 0], data.phase_codes, opts.tie_method, opts.tie_tolerance
        )
        grades = ranking.grade(scored.groups, system.grade_thresholds()[:-1])
    for item in caught:
        warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    provenance = Provenance.record(
        opts,
        weights=w,
        system_id=system.id,
        system_version=system.version,
        data_source=data.source,
        data_notices=data.notices,
        derived_indicators=dict(data.derived),
        treatment=record,
    )
    return EvaluationResult(
        system=system,
        # The arrays themselves: tuples of a million ids are built only if someone reads them.
        ids=cast(Any, data.id_array),
        phases=cast(Any, data.phase_codes),
        indicator_scores=cast(Any, scored.indicators),
        group_scores=scored.groups,
        coverage=scored.coverage,
        applicable=scored.applicable,
        overall_rank=overall_rank,
        grades=grades,
        values=data.values,
        status=data.status,
        imputed=cells.imputed,
        reasons=cast(Any, reasons),
        warnings=tuple(f"{c.category.__name__}: {c.message}" for c in caught),
        provenance=provenance,
        context=dict(data.context),
    )


def _matching_inputs(
    system: IndicatorSystem | str, data: CommunityData | Any
) -> tuple[IndicatorSystem, CommunityData]:
    """The system, and the data validated against it (refused if validated against another)."""
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
    return system, data


class _Scores(NamedTuple):
    """Indicator scores (an array, or the recipe run on first read), group scores, coverage
    and applicable shares (None where every indicator applies to every row)."""

    indicators: NDArray[np.float64] | IndicatorScores
    groups: NDArray[np.float64]
    coverage: NDArray[np.float64]
    applicable: NDArray[np.float64] | None


def _scores(
    system: IndicatorSystem, cells: Cells, w: Weights, options: ScoringOptions, tree: Tree
) -> _Scores:
    """Normalise and aggregate: indicator and group scores on 0-100, coverage, shares."""
    X, applicable = cells.values, cells.applicable
    floor, target = system.goalpost_arrays()
    share = None if applicable is None else np.empty((X.shape[0], len(tree.children)))
    method = options.tree_method
    aggregation = options.aggregation
    if options.normalization == "goalposts" and aggregation in ("arithmetic", "geometric"):
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
            applicable_share=share,
        )
        return _Scores(IndicatorScores(X, floor, target, 100.0), group_scores, coverage, share)
    if options.normalization == "goalposts":
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
            applicable_share=share,
        )
        group_scores[:, 0] = _overall_by(
            aggregation, S, w.indicator_weights(), system.indicator_ids
        )
        return _Scores(S, group_scores, coverage, share)
    S = normalize.minmax(X, system.directions, labels=system.indicator_ids)
    group_scores, coverage = aggregate_tree(
        S, tree, method=method, missing="renormalize", applicable=applicable, applicable_share=share
    )
    group_scores *= 100.0
    np.multiply(S, 100.0, out=S)
    if aggregation in ("topsis", "grey_relational", "fuzzy"):
        group_scores[:, 0] = _overall_by(
            aggregation, S, w.indicator_weights(), system.indicator_ids
        )
    return _Scores(S, group_scores, coverage, share)


def _overall_by(
    method: str, S100: NDArray[np.float64], w: NDArray[np.float64], labels: tuple[str, ...]
) -> NDArray[np.float64]:
    """Overall score (0-100) of each row by a non-tree method, from indicator scores on 0-100.

    ``labels`` (the indicator ids) name the indicators in the method's warnings and errors.
    """
    benefit = ["benefit"] * S100.shape[1]  # goalpost scores are already oriented
    if method == "topsis":
        return 100.0 * aggregate.topsis(S100 / 100.0, w, benefit, labels=labels)
    if method == "grey_relational":
        return 100.0 * aggregate.grey_relational(
            S100 / 100.0, w, benefit, normalization="none", labels=labels
        )
    fuzzy = aggregate.fuzzy_comprehensive(
        S100, w, FUZZY_GRADES, missing="renormalize", labels=labels
    )
    return np.asarray(fuzzy.score, dtype=np.float64)
