"""Partial phases and the overall score: which rows get one, and why the others do not.

A phase that does not measure every dimension (the shipped ``t_proc``: participation only) is
a *progress check* (进度检查): its rows keep the dimension scores they measure and get no
overall score, rank or grade, unless the system's phase declares ``overall: true``. A
dimension is measured in a phase when the indicators measured there carry at least its
``min_applicable`` share of its weight: the rule a row's own not-applicable cells meet in
:func:`renoscore.aggregate.tree_means`, applied to the phase's plan instead of a row.

Rows of a phase that yields an overall score lose it when too little of the system applies to
them (the goal is not assessed), when too little of the applicable weight was observed
(``min_coverage``), or when nothing was observed; :func:`unscored_rows` gives every such row its
reason and unscores it.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.pipeline.scoring import system_tree
>>> system = rs.default_system()
>>> tree = system_tree(system, rs.derive_weights(system))
>>> scopes = phase_scopes(system, tree)
>>> scopes["t_proc"].overall, scopes["t_proc"].measured
(False, ('participation',))
>>> scopes["t1"].overall
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore._options import BATCH_RELATIVE, ScoringOptions
from renoscore._vocabulary import reason_text
from renoscore.aggregate import Tree, tree_means
from renoscore.data import PhaseCodes
from renoscore.errors import CoverageWarning
from renoscore.system import IndicatorSystem

__all__ = ["PhaseScope", "phase_scopes", "progress_reason", "unscored_rows"]


@dataclass(frozen=True)
class PhaseScope:
    """What one phase measures and whether it yields an overall score.

    Attributes
    ----------
    phase : str
    measured : tuple of str
        The dimensions (children of the goal) the phase measures, in system order.
    missing : tuple of str
        The dimensions it does not measure.
    overall : bool
        Whether rows of the phase get an overall score, rank and grade.
    declared : bool
        Whether ``overall`` was declared in the system (else it follows from ``missing``).
    """

    phase: str
    measured: tuple[str, ...]
    missing: tuple[str, ...]
    overall: bool
    declared: bool


def phase_scopes(system: IndicatorSystem, tree: Tree) -> dict[str, PhaseScope]:
    """Every declared phase with the dimensions it measures and whether it is scored overall.

    Parameters
    ----------
    system : IndicatorSystem
    tree : Tree
        The system's tree with the weights and minimum applicable shares of the evaluation
        (:func:`renoscore.pipeline.scoring.system_tree`).

    Returns
    -------
    dict of phase id to PhaseScope
    """
    phases = system.phases
    if not phases:
        return {}
    plan = np.array(
        [[ind.phases is None or p.id in ind.phases for ind in system.indicators] for p in phases],
        dtype=bool,
    )
    # A row per phase on which every indicator measured there is observed: a dimension is
    # measured when the tree scores it on that row (it passes its minimum applicable share).
    done = tree_means(np.where(plan, 1.0, np.nan), tree, applicable=plan).scores
    column = {g.id: k for k, g in enumerate(system.groups)}
    index = {ind: j for j, ind in enumerate(system.indicator_ids)}
    out: dict[str, PhaseScope] = {}
    for p, phase in enumerate(phases):
        measured: list[str] = []
        missing: list[str] = []
        for dim in system.dimensions:
            ok = (
                plan[p, index[dim.id]] if dim.id in index else not np.isnan(done[p, column[dim.id]])
            )
            (measured if ok else missing).append(dim.id)
        declared = phase.overall is not None
        overall = bool(phase.overall) if declared else not missing
        out[phase.id] = PhaseScope(phase.id, tuple(measured), tuple(missing), overall, declared)
    return out


def progress_reason(scope: PhaseScope) -> str:
    """The reason a row of a progress-check phase shows no overall score.

    Examples
    --------
    >>> progress_reason(PhaseScope("t_proc", ("participation",), ("facilities",), False, False))
    'progress check: t_proc measures participation only'
    """
    if scope.declared and not scope.missing:
        return reason_text("progress_declared", phase=scope.phase)
    if not scope.measured:
        return reason_text("progress_none", phase=scope.phase)
    return reason_text("progress", phase=scope.phase, dims=", ".join(scope.measured))


def unscored_rows(
    groups: NDArray[np.float64],
    coverage: NDArray[np.float64],
    applicable: NDArray[np.float64] | None,
    options: ScoringOptions,
    phase_codes: PhaseCodes,
    scopes: dict[str, PhaseScope],
    minimum: float,
) -> PhaseCodes:
    """Unscore the rows without an overall score (in place) and give each its reason.

    In order of precedence: a progress-check phase; too little of the system applies (the
    goal is not assessed: its applicable share below ``minimum``); too little of the
    applicable weight observed (``min_coverage``, with a :class:`CoverageWarning`); nothing
    observed, or a batch-relative method that needs every indicator.

    Parameters
    ----------
    groups, coverage : ndarray, shape (N, K)
        Group scores (the goal first; its column is changed in place) and coverage.
    applicable : ndarray, shape (N, K), or None
        Applicable shares (None: everything applies).
    options : ScoringOptions
    phase_codes : PhaseCodes
    scopes : dict of phase id to PhaseScope
    minimum : float
        The goal's minimum applicable share.

    Returns
    -------
    PhaseCodes
        The reason of every row (code 0, label None: scored), as codes into the few texts.
    """
    n = groups.shape[0]
    # Reasons as codes into the few distinct texts (code 0: no reason): a million Nones are a
    # tuple only if someone reads them.
    code = np.zeros(n, dtype=np.intp)
    texts: dict[str | None, int] = {None: 0}

    def give(rows: NDArray[np.bool_], text: str) -> None:
        code[rows & (code == 0)] = texts.setdefault(text, len(texts))

    def give_shares(
        rows: NDArray[np.bool_], share: NDArray[np.float64], key: str, low: float
    ) -> None:
        # Only the rows worded (usually none of a million): rounded first, since a share
        # summed in another order (rows in another order) may differ in its last bit, and
        # 0.625 must not show as 62% in one order, 63% in another.
        picked = np.flatnonzero(rows & (code == 0))
        shown = np.round(share[picked], 12)
        for value in np.unique(shown).tolist():
            text = reason_text(key, share=f"{value:.0%}", minimum=f"{low:.0%}")
            code[picked[shown == value]] = texts.setdefault(text, len(texts))

    for k, label in enumerate(phase_codes.labels):
        scope = scopes.get(label) if label is not None else None
        if scope is not None and not scope.overall:
            give(phase_codes.codes == k, progress_reason(scope))
    if applicable is not None and minimum > 0:
        few = (applicable[:, 0] < minimum - 1e-12) & (code == 0)
        give_shares(few, applicable[:, 0], "system_not_assessed", minimum)
    low = (coverage[:, 0] < options.min_coverage - 1e-12) & (code == 0)
    give_shares(low, coverage[:, 0], "coverage", options.min_coverage)
    if low.any():
        warnings.warn(
            f"{int(low.sum())} row(s) not scored: coverage below {options.min_coverage:.0%}",
            CoverageWarning,
            stacklevel=4,  # the caller of evaluate
        )
    empty = np.isnan(groups[:, 0]) & (code == 0)
    if options.aggregation in BATCH_RELATIVE:
        some = empty & ~np.isnan(coverage[:, 0])
        give(some, reason_text("needs_all", aggregation=options.aggregation))
    give(empty, reason_text("nothing_observed"))
    groups[code > 0, 0] = np.nan
    return PhaseCodes(code, tuple(texts))
