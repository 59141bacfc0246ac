"""The effect of renovation against a comparison group: difference in differences.

* :mod:`~renoscore.effects.twfe` -- least squares with absorbed fixed effects and
  cluster-robust standard errors for many outcomes at once (the numeric core);
* :mod:`~renoscore.effects.estimate` -- :func:`renovation_effect`, the two-way fixed-effects
  difference in differences on every node of an evaluation, with a pre-trend check;
* :mod:`~renoscore.effects.result` -- :class:`RenovationEffect`, the estimates and their
  intervals;
* :mod:`~renoscore.effects.simulate` -- :func:`simulate_waves`, communities in two waves with a
  known effect and selection, to check the estimator.

Examples
--------
>>> import renoscore as rs
>>> sim = simulate_waves(n=60, seed=3)
>>> eff = renovation_effect(rs.evaluate(rs.default_system(), sim.data), sim.treated)
>>> eff.phases, eff.post, eff.correction
(('t0', 't1'), 't1', 'stata')
"""

from renoscore.effects.estimate import renovation_effect
from renoscore.effects.result import RenovationEffect
from renoscore.effects.simulate import SimulatedWaves, simulate_waves
from renoscore.effects.twfe import CORRECTIONS, ClusteredFit, within_ols

__all__ = [
    "CORRECTIONS",
    "ClusteredFit",
    "RenovationEffect",
    "SimulatedWaves",
    "renovation_effect",
    "simulate_waves",
    "within_ols",
]
