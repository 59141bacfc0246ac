"""The former home of the numeric kernels for many draws: kept so that old imports still work.

The kernels live in the sensitivity package now: :mod:`renoscore.sensitivity.draws` (the tree
mean over weight draws, Saaty steps), :mod:`renoscore.sensitivity.rank_stats` (Spearman,
Kendall's tau-b, inversions) and :mod:`renoscore.sensitivity.sobol` (the Saltelli design and the
Sobol' estimators).
"""

from __future__ import annotations

from renoscore.sensitivity.draws import aggregate_draws, effective_weights_draws, saaty_step
from renoscore.sensitivity.rank_stats import inversions, kendall_tau_b, spearman_rho
from renoscore.sensitivity.sobol import saltelli_design, sobol_bootstrap, sobol_indices

__all__ = [
    "aggregate_draws",
    "effective_weights_draws",
    "inversions",
    "kendall_tau_b",
    "saaty_step",
    "saltelli_design",
    "sobol_bootstrap",
    "sobol_indices",
    "spearman_rho",
]
