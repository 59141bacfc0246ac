"""Communities observed in waves, with a known effect of renovation and selection: for checking.

:func:`simulate_waves` makes community data for an indicator system in which the worse
communities are more likely to be renovated (selection on the level, as the example data
simulate; domain brief section 5.1), every community drifts by a common trend between waves,
and renovation adds a known shift to the indicators of chosen dimensions. Every value stays
strictly inside its goalposts, so the true effect on every node's score is exact: the shift of
each indicator (100 x its share of the goalpost span) weighted by the node's effective weights.
A naive before/after change of the renovated communities is biased by the trend, a comparison
of renovated and other communities after renovation by the selection; the difference in
differences (:func:`renoscore.effects.renovation_effect`) recovers the effect.

Examples
--------
>>> sim = simulate_waves(n=40, seed=1)
>>> sim.data.n, len(sim.treated) > 0
(80, True)

The facilities move by 10 % of their span, but for the parcel locker (binary, fixed): 10/11.

>>> round(sim.truth["facilities"], 4), round(sim.trend["facilities"], 4)
(9.6364, 2.8909)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from renoscore.aggregate import effective_weights
from renoscore.data import CommunityData, load_data
from renoscore.pipeline.scoring import system_tree
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import derive_weights

__all__ = ["SimulatedWaves", "simulate_waves"]

#: Kinds whose values move between waves (whole-number kinds stay as they were).
_FIXED_KINDS = frozenset({"binary", "ordinal"})


@dataclass(frozen=True)
class SimulatedWaves:
    """Simulated community data in two waves, the renovated communities and the true effects.

    Attributes
    ----------
    data : CommunityData
        Two rows per community (phases ``before`` and ``after``, e.g. ``t0`` and ``t1``).
    treated : tuple of str
        The communities renovated between the waves.
    truth : dict of str to float
        The true effect of renovation on every node's score (0-100), groups and indicators.
    trend : dict of str to float
        The common change of every node's score between the waves (0-100).
    """

    data: CommunityData
    treated: tuple[str, ...]
    truth: dict[str, float] = field(default_factory=dict)
    trend: dict[str, float] = field(default_factory=dict)


def simulate_waves(
    system: IndicatorSystem | str | None = None,
    *,
    n: int = 60,
    effect: Mapping[str, float] | None = None,
    trend: float = 0.03,
    selection: float = 1.5,
    phases: tuple[str, str] = ("t0", "t1"),
    seed: int = 20240601,
) -> SimulatedWaves:
    """Simulate ``n`` communities in two waves with a known effect of renovation.

    Parameters
    ----------
    system : IndicatorSystem or str, optional
        Default: the shipped default system.
    n : int
        Communities (each observed in both waves).
    effect : mapping of dimension id to float
        The shift renovation adds to every moving indicator of a dimension, as a share of its
        goalpost span (default: facilities 0.10, public services 0.05, nothing elsewhere).
    trend : float
        The shift every community has between the waves, as a share of the span.
    selection : float
        How strongly a community's (latent) quality lowers its chance of renovation: the
        logit of renovation is ``-selection * quality + logistic noise``; about half are
        renovated.
    phases : (str, str)
        The phase codes of the two waves (both must measure every indicator).
    seed : int

    Returns
    -------
    SimulatedWaves
    """
    system = load_system(system or "old_community_renovation")
    shift = dict(effect) if effect is not None else {"facilities": 0.10, "public_services": 0.05}
    rng = np.random.default_rng(seed)
    floor, target = system.goalpost_arrays()
    span = target - floor
    m = len(system.indicators)
    moving = np.array([ind.kind.value not in _FIXED_KINDS for ind in system.indicators])
    dim_shift = np.array([shift.get(system.dimension_of(i), 0.0) for i in system.indicator_ids])
    quality = rng.standard_normal(n)
    treated = -selection * quality + rng.logistic(size=n) > 0
    # Baseline share of the span in [0.1, 0.75]: worse communities lower; changes of at most
    # trend + effect + 0.03 keep every value strictly inside the goalposts.
    share0 = np.clip(0.42 + 0.1 * quality[:, None] + rng.uniform(-0.2, 0.2, (n, m)), 0.1, 0.75)
    share1 = share0 + moving * (
        trend + treated[:, None] * dim_shift[None, :] + rng.uniform(-0.03, 0.03, (n, m))
    )
    rows = []
    for wave, share in zip(phases, (share0, share1), strict=True):
        values = floor + share * span
        for r in range(n):
            rec: dict[str, object] = {"community_id": f"S{r + 1:03d}", "phase": wave}
            for j, ind in enumerate(system.indicators):
                # Whole-number kinds stay at their target: they add nothing to any change.
                fixed = ind.kind.value in _FIXED_KINDS
                rec[ind.id] = (
                    float(ind.goalposts.target) if fixed else round(float(values[r, j]), 9)
                )
            rows.append(rec)
    data = load_data(rows, system)
    ids = tuple(f"S{r + 1:03d}" for r in np.flatnonzero(treated).tolist())
    truth, drift = _truth(system, 100.0 * moving * dim_shift, 100.0 * moving * trend)
    return SimulatedWaves(data, ids, truth, drift)


def _truth(
    system: IndicatorSystem, effect: np.ndarray, trend: np.ndarray
) -> tuple[dict[str, float], dict[str, float]]:
    """The effect and the trend on every node: indicator shifts through the effective weights."""
    E = effective_weights(system_tree(system, derive_weights(system)))
    out = []
    for per_indicator in (effect, trend):
        nodes = {g.id: float(per_indicator @ E[:, k]) for k, g in enumerate(system.groups)}
        nodes.update(
            {i: float(v) for i, v in zip(system.indicator_ids, per_indicator, strict=True)}
        )
        out.append(nodes)
    return out[0], out[1]
