"""One weight at a time: the rank changes when each child weight of a node moves by a share.

The quick test of OECD/JRC (2008, step 7): child ``j`` of a node moves by ``delta``,
``w_j' = w_j (1 + delta)``, and every weight of the node is divided by ``1 + w_j delta`` so that
they sum to 1 again; every run is scored, ranked and compared with the base ranking, all runs
together. It shows local effects only and misses interactions (Saltelli et al. 2008, section
1.2.3); :func:`renoscore.sensitivity.sensitivity` is the global analysis.

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore import _views
from renoscore._optional import import_optional
from renoscore._options import (
    DEFAULT_OPTIONS,
    MissingPolicy,
    ScoreNormalization,
    ScoringOptions,
    TreeAggregation,
)
from renoscore.data import CommunityData
from renoscore.errors import OptionError, Problem
from renoscore.panel import Panel
from renoscore.ranking import TieMethod
from renoscore.sensitivity._common import Inputs, base_options, check_int, prepare_model
from renoscore.sensitivity.model import DrawModel
from renoscore.sensitivity.rank_stats import correlations, rank_chunk
from renoscore.sensitivity.sources import (
    Sources,
    UncertaintySettings,
)
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights

__all__ = ["OneAtATimeResult", "one_at_a_time"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class OneAtATimeResult:
    """Rank changes when one weight at a time moves by a given share.

    Attributes
    ----------
    settings : UncertaintySettings
    node : str
        The group whose children's weights were moved.
    children : tuple of str
    changes : tuple of float
        Relative changes (e.g. -0.2 for -20 %).
    weight_before : ndarray (children,)
    weight_after : ndarray (children, changes)
        The moved weight after renormalisation.
    spearman, kendall, mean_abs_shift, max_shift : ndarray (children, changes)
    top_k_changes : ndarray (children, changes)
        Communities entering (or, equally many, leaving) the top k.
    ids : tuple of str
    ranks : ndarray (children, changes, N)
        Overall ranks of every community in every run (NaN where not ranked).
    """

    settings: UncertaintySettings
    node: str
    children: tuple[str, ...]
    changes: tuple[float, ...]
    weight_before: FloatArray
    weight_after: FloatArray
    spearman: FloatArray
    kendall: FloatArray
    mean_abs_shift: FloatArray
    max_shift: FloatArray
    top_k_changes: NDArray[np.int64]
    ids: tuple[str, ...]
    ranks: FloatArray

    def records(self) -> list[dict[str, Any]]:
        """One record per moved weight and change."""
        return [
            {
                "node": child,
                "change": change,
                "weight_before": float(self.weight_before[i]),
                "weight_after": float(self.weight_after[i, j]),
                "spearman": float(self.spearman[i, j]),
                "kendall": float(self.kendall[i, j]),
                "mean_abs_shift": float(self.mean_abs_shift[i, j]),
                "max_shift": float(self.max_shift[i, j]),
                "top_k_changes": int(self.top_k_changes[i, j]),
            }
            for i, child in enumerate(self.children)
            for j, change in enumerate(self.changes)
        ]

    def to_frame(self) -> Any:
        """The records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "OneAtATimeResult.to_frame")
        return pd.DataFrame(self.records())

    def table(self) -> str:
        """A plain-text table: for each weight and change, the rank stability."""
        kk = self.settings.top_k
        lines = [
            f"{'weight':<22} {'change':>7} {'w before':>8} {'w after':>8} {'Spearman':>8} "
            f"{'Kendall':>8} {'mean |Δrank|':>12} {'max':>4} {'top ' + str(kk) + ' in/out':>11}"
        ]
        for r in self.records():
            lines.append(
                f"{r['node'][:22]:<22} {r['change']:>+7.0%} {r['weight_before']:>8.3f} "
                f"{r['weight_after']:>8.3f} {r['spearman']:>8.3f} {r['kendall']:>8.3f} "
                f"{r['mean_abs_shift']:>12.2f} {r['max_shift']:>4.0f} {r['top_k_changes']:>11d}"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The one-at-a-time chart (:func:`renoscore.plot.sensitivity.plot_one_at_a_time`)."""
        return _views.analysis_chart("one_at_a_time", self, ax, **kwargs)


def one_at_a_time(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    node: str | None = None,
    changes: Sequence[float] = (-0.2, -0.1, 0.1, 0.2),
    panel: Panel | None = None,
    phase: str | None = None,
    top_k: int = 5,
    normalization: ScoreNormalization = DEFAULT_OPTIONS.normalization,
    aggregation: TreeAggregation = "arithmetic",  # a tree mean: the default of ScoringOptions
    missing: MissingPolicy = DEFAULT_OPTIONS.missing,
    min_coverage: float = DEFAULT_OPTIONS.min_coverage,
    min_applicable: float = DEFAULT_OPTIONS.min_applicable,
    impute_by: str | None = DEFAULT_OPTIONS.impute_by,
    tie_method: TieMethod = DEFAULT_OPTIONS.tie_method,
    tie_tolerance: float = DEFAULT_OPTIONS.tie_tolerance,
    options: ScoringOptions | None = None,
    weights_phase: str | None = None,
) -> OneAtATimeResult:
    """Move each child weight of a node by a share, renormalise, and compare the rankings.

    For child ``j`` and change ``delta``: ``w_j' = w_j (1 + delta)`` and every weight of the
    node divided by ``1 + w_j delta`` so that they sum to 1 again (the one-at-a-time weight
    test of OECD/JRC 2008, step 7). One-at-a-time tests show local effects only and miss
    interactions (Saltelli et al. 2008, section 1.2.3); :func:`sensitivity` is the global
    analysis. All runs are scored together.

    Parameters
    ----------
    system, data, weights, panel, phase, top_k, normalization, aggregation, missing,
    min_coverage, min_applicable, impute_by, tie_method, tie_tolerance, options, weights_phase
        As for :func:`uncertainty`.
    node : str, optional
        The group whose children's weights move (default: the goal, i.e. the dimensions).
    changes : sequence of float
        Relative changes, each > -1 (default -20 %, -10 %, +10 %, +20 %).

    Returns
    -------
    OneAtATimeResult

    Raises
    ------
    OptionError
        Unknown node, a node with one child, a change <= -1, several phases.

    References
    ----------
    OECD/JRC (2008); Saltelli et al. (2008).

    Examples
    --------
    >>> import renoscore as rs
    >>> oat = one_at_a_time(rs.default_system(), rs.example_data(), phase="t0",
    ...                     missing="renormalize")
    >>> round(float(oat.weight_after[0, 3]), 4)  # facilities 0.409 * 1.2 / (1 + 0.409 * 0.2)
    0.33
    >>> oat.node, oat.children
    ('renovation_performance', ('facilities', 'public_services', 'participation', 'social_capital'))
    >>> oat.spearman.shape  # (children, changes)
    (4, 4)
    >>> oat.records()[0]["change"]
    -0.2
    """
    check_int("top_k", top_k, 1)
    deltas = _changes(changes)
    base = base_options(
        options, normalization, aggregation, missing, min_coverage, min_applicable,
        impute_by, tie_method, tie_tolerance,
    )  # fmt: skip
    inputs = Inputs(system, data, weights, panel, phase, weights_phase)
    model = prepare_model(
        inputs, Sources(), base, levels="goal", completion="optimal", seed=0, ranked=False
    )
    g = _node_index(model, node)
    moved = _moved_weights(model.base_local[g], deltas)
    ranks, mid = _ranks_of_runs(model, g, moved)
    return _oat_result(model, g, deltas, moved, ranks, mid, phase=phase, top_k=top_k)


def _changes(changes: Sequence[float]) -> tuple[float, ...]:
    """The relative changes as floats; each must be finite and above -1."""
    deltas = tuple(float(x) for x in changes)
    if not deltas or any(not (math.isfinite(x) and x > -1.0) for x in deltas):
        raise OptionError(
            "changes must be finite shares above -1",
            [Problem(f"changes {list(changes)}", fix="e.g. changes=(-0.2, -0.1, 0.1, 0.2)")],
        )
    return deltas


def _node_index(model: DrawModel, node: str | None) -> int:
    """The group whose children's weights move (default: the goal); it needs two children."""
    node_id = model.group_ids[0] if node is None else node
    if node_id not in model.group_ids or model.base_local[model.group_ids.index(node_id)].size < 2:
        raise OptionError(
            f"cannot move the weights of {node_id!r}",
            [
                Problem(
                    "not a group with two or more children",
                    path=node_id,
                    fix=f"choose among {[g for g, b in zip(model.group_ids, model.base_local, strict=True) if b.size > 1]}",
                )
            ],
        )
    return model.group_ids.index(node_id)


def _moved_weights(base: FloatArray, deltas: tuple[float, ...]) -> FloatArray:
    """The node's weights when child j moves by each change, renormalised.

    Shape (children, changes, children): ``[j, d]`` is the weight vector with child ``j``
    moved by ``deltas[d]``.
    """
    m = base.size
    factor = np.ones((m, len(deltas), m))
    factor[np.arange(m), :, np.arange(m)] = 1.0 + np.array(deltas)
    moved = base * factor  # (children, changes, children)
    moved /= moved.sum(axis=2, keepdims=True)
    return moved


def _ranks_of_runs(model: DrawModel, g: int, moved: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Ranks and mid-ranks (ranked rows x runs) of every run, all runs scored together."""
    m = moved.shape[0]
    runs = moved.shape[0] * moved.shape[1]
    local = [np.broadcast_to(b, (runs, b.size)).copy() for b in model.base_local]
    local[g] = moved.reshape(runs, m)
    codes = {
        name: np.zeros(runs, dtype=np.intp) for name in ("normalization", "aggregation", "missing")
    }
    rows = model.level_rows[0]
    scores = model.scores(local, codes)[rows, 0, :]
    return rank_chunk(scores, model.tie_method, model.tie_tolerance)


def _oat_result(
    model: DrawModel,
    g: int,
    deltas: tuple[float, ...],
    moved: FloatArray,
    ranks: FloatArray,
    mid: FloatArray,
    *,
    phase: str | None,
    top_k: int,
) -> OneAtATimeResult:
    """Rank stability of every run against the base ranking, and the settings."""
    node_id = model.group_ids[g]
    base = model.base_local[g]
    m = base.size
    runs = m * len(deltas)
    rows = model.level_rows[0]
    rho, tau = correlations(model.base_mid[0], mid)
    base_rank = model.base_ranks[rows, 0]
    shift = np.abs(ranks - base_rank[:, None])
    in_top = ranks <= top_k
    base_top = base_rank <= top_k
    entering = (in_top & ~base_top[:, None]).sum(axis=0)
    all_ranks = np.full((runs, model.data.n), np.nan)
    all_ranks[:, rows] = ranks.T
    shape = (m, len(deltas))
    settings = model.settings(
        "one_at_a_time",
        n=runs,
        runs=runs,
        phase=phase,
        top_k=top_k,
        sampler="none (deterministic)",
        options={"node": node_id, "changes": list(deltas)},
    )
    return OneAtATimeResult(
        settings=settings,
        node=node_id,
        children=model.weights.nodes[node_id].children,
        changes=deltas,
        weight_before=base.copy(),
        weight_after=moved[np.arange(m), :, np.arange(m)],
        spearman=rho.reshape(shape),
        kendall=tau.reshape(shape),
        mean_abs_shift=shift.mean(axis=0).reshape(shape),
        max_shift=shift.max(axis=0).reshape(shape),
        top_k_changes=entering.reshape(shape).astype(np.int64),
        ids=model.data.ids,
        ranks=all_ranks.reshape(m, len(deltas), model.data.n),
    )
