"""The values of the synthetic example estates: marginals before renovation, changes after.

Used by ``generate_data.py``; see its docstring for the design. Every function works on whole
arrays (one entry per estate). A *column* is an indicator of ``old_community_renovation`` or a
raw field a derived indicator is computed from (lifts, illegal structures, the convenience
outlets, the six steps of 一征三议两公开, the plan vote).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Values = dict[str, FloatArray]

YCSY = (
    "ycsy_collect",
    "ycsy_propose",
    "ycsy_deliberate",
    "ycsy_resolve",
    "ycsy_publish_resolution",
    "ycsy_publish_result",
)
CONVENIENCE = ("conv_store", "conv_housekeeping", "conv_repair", "conv_pharmacy", "conv_barber")
NETWORKS = (
    "f_water_supply_ok",
    "f_drainage_ok",
    "f_power_supply_ok",
    "f_gas_ok",
    "f_heating_ok",
    "f_road_ok",
    "f_telecom_ok",
    "f_overhead_lines_tidy",
    "f_shared_parts_ok",
)
#: Mean share of buildings in order at t0, per network [P]: rain-sewage separation and tidy
#: overhead lines are the rarest in an unrenovated estate.
NETWORK_MEAN = {
    "f_water_supply_ok": 0.60,
    "f_drainage_ok": 0.42,
    "f_power_supply_ok": 0.58,
    "f_gas_ok": 0.66,
    "f_heating_ok": 0.60,
    "f_road_ok": 0.48,
    "f_telecom_ok": 0.55,
    "f_overhead_lines_tidy": 0.30,
    "f_shared_parts_ok": 0.45,
}
SURVEYED = (
    "s_service_satisfaction",
    "g_property_satisfaction",
    "r_awareness",
    "r_participation",
    "r_satisfaction",
    "r_three_senses",
    "c_belonging",
    "c_identity",
    "c_trust",
    "c_reciprocity",
    "c_neighbours_known",
)


@dataclass
class Context:
    """What the values depend on (one entry per estate)."""

    n: int
    age: FloatArray
    km: FloatArray
    households: FloatArray
    buildings: FloatArray
    stairwells: FloatArray
    storeys: FloatArray
    origin: NDArray[np.intp]  # 0 work unit, 1 mixed, 2 orphan
    renter: FloatArray
    heated: BoolArray  # on the central heating network


# --------------------------------------------------------------------------- distributions
def phi(x: FloatArray) -> FloatArray:
    """Standard normal CDF, kept away from 0 and 1 so inverse CDFs stay finite."""
    return np.clip(np.asarray(stats.norm.cdf(x), dtype=np.float64), 1e-9, 1 - 1e-9)


def beta_ms(u: FloatArray, mean: FloatArray | float, sd: float) -> FloatArray:
    """Inverse CDF of the beta distribution with the given mean and sd (method of moments)."""
    m = np.clip(np.asarray(mean, dtype=np.float64), 0.02, 0.98)
    kappa = np.maximum(m * (1 - m) / sd**2 - 1, 0.5)
    return np.asarray(stats.beta.ppf(u, m * kappa, (1 - m) * kappa), dtype=np.float64)


def gamma_ms(u: FloatArray, mean: FloatArray | float, sd: float) -> FloatArray:
    """Inverse CDF of the gamma distribution with the given mean and sd."""
    m = np.asarray(mean, dtype=np.float64)
    return np.asarray(stats.gamma.ppf(u, (m / sd) ** 2, scale=sd**2 / m), dtype=np.float64)


def lognormal(u: FloatArray, median: FloatArray | float, sd_log: float) -> FloatArray:
    return np.asarray(median * np.exp(sd_log * stats.norm.ppf(u)), dtype=np.float64)


def categorical(u: FloatArray, levels: Sequence[float], probs: FloatArray) -> FloatArray:
    """Map uniforms to levels; ``probs`` is (k,) or (n, k) for per-estate probabilities."""
    cum = np.cumsum(np.atleast_2d(probs), axis=-1)
    cum = cum / cum[:, -1:]
    index = (u[:, None] > cum[:, :-1]).sum(axis=1)
    out: FloatArray = np.asarray(levels, dtype=np.float64)[index]
    return out


def round_k(x: FloatArray, k: FloatArray | int) -> FloatArray:
    """Round a share to a multiple of 1/k (k items checked, e.g. the estate's buildings)."""
    kk = np.maximum(np.asarray(k, dtype=np.float64), 1.0)
    return np.round(np.clip(x, 0, 1) * kk) / kk


# --------------------------------------------------------------------------- copula scores
#: Column -> (latent, sign, loading) of its copula score at t0.
def score_spec(columns: Sequence[str]) -> dict[str, tuple[str, float, float]]:
    """Which latent factor drives each column (domain brief §5.3)."""
    by_prefix = {"f": "phys", "s": "access", "p": "part", "c": "sc", "g": "gov", "r": "part"}
    spec = {c: (by_prefix.get(c[0], "part"), 1.0, 0.7) for c in columns}
    for c in columns:
        if c.startswith("s_dist_"):
            spec[c] = ("access", -1.0, 0.75)
        if c.startswith("conv_"):
            spec[c] = ("access", 1.0, 0.6)
        if c.startswith(("ycsy_", "plan_")):
            spec[c] = ("part", 1.0, 0.6)
    spec["f_waste_point_max_dist_m"] = ("phys", -1.0, 0.6)
    spec["f_parking_per_hh"] = ("phys", 1.0, 0.6)
    spec["illegal_structures_found"] = ("phys", -1.0, 0.6)
    spec["g_relapse_per100hh"] = ("gov", -1.0, 0.6)
    spec["s_service_satisfaction"] = ("access", 1.0, 0.6)
    for c in ("c_belonging", "c_identity", "c_reciprocity"):
        spec[c] = ("sc", 1.0, 0.8)
    for c in ("r_satisfaction", "r_three_senses"):
        spec[c] = ("sc", 1.0, 0.6)
    for c in ("p_coproduced_share", "g_coproducer_types", "g_red_property"):
        spec[c] = ("gov", 1.0, 0.6)
    for c in ("c_volunteer_share", "c_building_leads", "g_residents_covenant"):
        spec[c] = ("part", 1.0, 0.6)
    return spec


# --------------------------------------------------------------------------- t0
def t0_values(u: Values, e: Context, rng: np.random.Generator) -> Values:
    """Values before renovation (phase t0), from the copula uniforms ``u`` of each column."""
    v: Values = {}
    v |= _facilities_t0(u, e)
    v |= _services_t0(u, e)
    v |= _participation_t0(u, e, rng)
    v |= _social_t0(u, e)
    return v


def _facilities_t0(u: Values, e: Context) -> Values:
    v: Values = {}
    for c in NETWORKS:
        v[c] = round_k(beta_ms(u[c], NETWORK_MEAN[c], 0.2), e.buildings)
    v["f_fire_safety_ok"] = round_k(beta_ms(u["f_fire_safety_ok"], 0.60, 0.18), e.buildings)
    v["f_security_coverage"] = beta_ms(u["f_security_coverage"], 0.35, 0.20)
    v["f_waste_point_max_dist_m"] = np.clip(
        lognormal(u["f_waste_point_max_dist_m"], 90, 0.4), 30, 250
    )
    rate = 0.10 * (1 + (e.origin == 2))  # orphan yards built over the most (祥云里: 56 in 154 hh)
    found = np.asarray(stats.poisson.ppf(u["illegal_structures_found"], rate * e.households))
    v["illegal_structures_found"] = found
    v["illegal_structures_removed"] = np.floor(found * 0.2 * u["illegal_structures_removed"])
    v["f_lighting_ok"] = beta_ms(u["f_lighting_ok"], 0.55, 0.2)
    v["f_energy_retrofit_share"] = np.where(
        u["f_energy_retrofit_share"] < 0.7, 0.0, beta_ms(u["f_energy_retrofit_share"], 0.3, 0.15)
    )
    eligible = np.where(
        e.storeys >= 8, 0.0, np.round(e.stairwells * (0.5 + 0.4 * u["lift_stairwells_eligible"]))
    )
    v["lift_stairwells_eligible"] = eligible
    v["lift_stairwells_approved"] = np.where(
        u["lift_stairwells_approved"] > 0.9, np.round(eligible * 0.1), 0.0
    )
    v["f_barrier_free_share"] = beta_ms(u["f_barrier_free_share"], 0.15, 0.12)
    v["f_parking_per_hh"] = np.clip(
        lognormal(u["f_parking_per_hh"], 0.25 * np.exp(0.05 * (e.km - 6.5)), 0.5), 0.03, 0.8
    )
    v["f_ev_charging_share"] = np.where(
        u["f_ev_charging_share"] < 0.75, 0.0, beta_ms(u["f_ev_charging_share"], 0.08, 0.05)
    )
    zero = u["f_ebike_charging_per100hh"] < 0.5
    rest = np.clip((u["f_ebike_charging_per100hh"] - 0.5) / 0.5, 1e-9, 1 - 1e-9)
    v["f_ebike_charging_per100hh"] = np.where(zero, 0.0, np.clip(lognormal(rest, 8, 0.6), 1, 60))
    central = e.km < 4.0
    v["f_parcel_locker"] = (u["f_parcel_locker"] > 1 - np.where(central, 0.5, 0.35)).astype(float)
    zero = u["f_activity_space_per_capita"] < 0.25
    rest = np.clip((u["f_activity_space_per_capita"] - 0.25) / 0.75, 1e-9, 1 - 1e-9)
    v["f_activity_space_per_capita"] = np.where(
        zero, 0.0, np.clip(lognormal(rest, 0.12, 0.6), 0.01, 1.5)
    )
    v["f_green_per_capita"] = np.clip(lognormal(u["f_green_per_capita"], 0.4, 0.6), 0, 2.5)
    return v


def _services_t0(u: Values, e: Context) -> Values:
    v: Values = {}
    scale = np.exp(0.04 * (e.km - 6.5))
    station = 250 + 450 * (e.km - 1) / 11
    v["s_dist_service_station_m"] = np.clip(
        lognormal(u["s_dist_service_station_m"], station, 0.5), 30, 2000
    )
    for c, median, lo, hi in (
        ("s_dist_elderly_daycare_m", 650, 50, 3000),
        ("s_dist_health_station_m", 450, 50, 2500),
        ("s_dist_health_centre_m", 900, 100, 3500),
        ("s_dist_kindergarten_m", 450, 60, 2000),
        ("s_dist_nursery_m", 700, 60, 3000),
        ("s_dist_meal_service_m", 900, 60, 3500),
        ("s_dist_fresh_food_m", 450, 60, 2500),
    ):
        v[c] = np.clip(lognormal(u[c], median * scale, 0.5), lo, hi)
    for c, p in zip(CONVENIENCE, (0.8, 0.45, 0.6, 0.75, 0.7), strict=True):
        p_here = np.clip(p + 0.03 * (6.5 - e.km), 0.05, 0.97)
        v[c] = (u[c] > 1 - p_here).astype(float)
    v["s_smart_platform_use"] = beta_ms(u["s_smart_platform_use"], 0.2, 0.12)
    mode_probs = np.array(
        [[0.25, 0.55, 0.12, 0.08], [0.10, 0.35, 0.20, 0.35], [0.55, 0.35, 0.10, 0.00]]
    )
    v["g_property_mode"] = categorical(u["g_property_mode"], [0, 1, 2, 3], mode_probs[e.origin])
    v["g_fee_collection"] = beta_ms(u["g_fee_collection"], 0.45 + 0.1 * v["g_property_mode"], 0.15)
    v["g_property_satisfaction"] = beta_ms(
        u["g_property_satisfaction"], 0.30 + 0.1 * v["g_property_mode"], 0.12
    )
    v["s_service_satisfaction"] = beta_ms(u["s_service_satisfaction"], 0.45, 0.12)
    v["g_complaint_resolution"] = beta_ms(u["g_complaint_resolution"], 0.70, 0.10)
    return v


def _participation_t0(u: Values, e: Context, rng: np.random.Generator) -> Values:
    v: Values = {}
    v["g_party_group_coverage"] = round_k(
        beta_ms(u["g_party_group_coverage"], 0.30, 0.2), e.buildings
    )
    v["g_party_member_report"] = beta_ms(u["g_party_member_report"], 0.50, 0.18)
    v["g_committee_party_share"] = beta_ms(u["g_committee_party_share"], 0.30, 0.15)
    v["g_red_property"] = (u["g_red_property"] > 0.85).astype(float)
    v["p_needs_survey_coverage"] = beta_ms(u["p_needs_survey_coverage"], 0.55, 0.20)
    v["p_migrant_reach"] = v["p_needs_survey_coverage"] * beta_ms(u["p_migrant_reach"], 0.55, 0.15)
    v["p_needs_adopted"] = beta_ms(u["p_needs_adopted"], 0.55, 0.15)
    v["r_awareness"] = beta_ms(u["r_awareness"], 0.5, 0.15)
    # 一征三议两公开 while a project is being prepared: the call and the proposal mostly done,
    # the resolution and its publication often not yet.
    for step, p in zip(YCSY, (0.85, 0.7, 0.55, 0.45, 0.35, 0.05), strict=True):
        v[step] = (phi(0.6 * stats.norm.ppf(u[step]) + 0.8 * rng.standard_normal(e.n)) < p).astype(
            float
        )
    v |= vote(u["plan_votes_cast"], u["plan_votes_for"], e, 0.62, 0.85, rng)
    v["r_participation"] = beta_ms(u["r_participation"], 0.3, 0.12)
    v["p_ladder_rung"] = categorical(
        u["p_ladder_rung"], [1, 2, 3, 4, 5], np.array([0.30, 0.35, 0.22, 0.10, 0.03])
    )
    v["p_plan_publicity"] = (u["p_plan_publicity"] > 0.5).astype(float)
    v["p_coproduced_share"] = beta_ms(u["p_coproduced_share"], 0.08, 0.06)
    v["g_coproducer_types"] = categorical(
        u["g_coproducer_types"], [1, 2, 3, 4, 5], np.array([0.25, 0.35, 0.25, 0.12, 0.03])
    )
    v["p_resident_cofunding"] = np.where(
        u["p_resident_cofunding"] < 0.6, 0.0, beta_ms(u["p_resident_cofunding"], 0.02, 0.012)
    )
    v["p_resident_acceptance"] = beta_ms(u["p_resident_acceptance"], 0.7, 0.12)
    v["p_demand_closure"] = beta_ms(u["p_demand_closure"], 0.5, 0.2)
    v["r_satisfaction"] = beta_ms(u["r_satisfaction"], 0.5, 0.15)
    v["r_three_senses"] = beta_ms(u["r_three_senses"], 0.45, 0.12)
    p_org = np.where(e.origin == 1, 0.5, np.where(e.origin == 2, 0.1, 0.3))
    v["g_owners_org"] = (u["g_owners_org"] > 1 - p_org).astype(float)
    fund_mean = np.array([0.4, 0.7, 0.15])[e.origin]
    v["g_maintenance_fund"] = beta_ms(u["g_maintenance_fund"], fund_mean, 0.15)
    v["g_facility_handover"] = beta_ms(u["g_facility_handover"], 0.5, 0.2)
    v["g_residents_covenant"] = (u["g_residents_covenant"] > 0.8).astype(float)
    v["g_relapse_per100hh"] = np.clip(gamma_ms(u["g_relapse_per100hh"], 3.0, 1.5), 0, 20)
    return v


def vote(
    u_turnout: FloatArray,
    u_for: FloatArray,
    e: Context,
    turnout: float,
    approval: float,
    rng: np.random.Generator,
) -> Values:
    """The plan vote: households voting, approving, and whether both two-thirds quorums held.

    The floor-area share that voted follows the head count within a few points (民法典第二百七十八条
    needs both at two thirds).
    """
    share = beta_ms(u_turnout, turnout, 0.1)
    cast = np.round(share * e.households)
    area = np.clip(share + rng.normal(0, 0.03, e.n), 0, 1)
    approve = beta_ms(u_for, approval, 0.06)
    return {
        "plan_votes_cast": cast,
        "plan_votes_for": np.minimum(np.round(cast * approve), cast),
        "vote_quorum_met": ((cast >= np.ceil(2 * e.households / 3)) & (area >= 2 / 3)).astype(
            float
        ),
    }


def _social_t0(u: Values, e: Context) -> Values:
    v: Values = {}
    for c, mean in (
        ("c_belonging", 3.5),
        ("c_identity", 3.4),
        ("c_trust", 3.4),
        ("c_reciprocity", 3.3),
    ):
        v[c] = np.clip(mean + 0.35 * stats.norm.ppf(u[c]), 2.0, 4.7)
    work, orphan = e.origin == 0, e.origin == 2
    v["c_neighbours_known"] = np.clip(gamma_ms(u["c_neighbours_known"], 8 + 3 * work, 3.0), 2, 18)
    mu = np.where(work, 16.0, np.where(orphan, 6.0, 12.0))
    v["c_cultural_events"] = np.asarray(stats.poisson.ppf(u["c_cultural_events"], mu), dtype=float)
    v["c_social_orgs_per1000"] = np.clip(gamma_ms(u["c_social_orgs_per1000"], 0.6, 0.4), 0, 5)
    v["c_volunteer_share"] = beta_ms(u["c_volunteer_share"], 0.05, 0.03)
    v["c_building_leads"] = round_k(beta_ms(u["c_building_leads"], 0.4, 0.2), e.buildings)
    return v


# --------------------------------------------------------------------------- t1
def t1_values(
    t0: Values, redraw: Callable[[str], FloatArray], e: Context, rng: np.random.Generator
) -> Values:
    """About a year after the works (every estate; used where it was renovated).

    ``redraw(c)`` is a fresh uniform that keeps half of the estate's t0 rank in column c; the
    works never make a facility worse than at t0.
    """
    n = e.n

    def up(lo: float, hi: float) -> FloatArray:
        return rng.uniform(lo, hi, size=n)

    v: Values = {}
    for c in NETWORKS:  # most networks fixed in full; a utility that lags leaves a gap (50号)
        done = rng.random(n) < 0.8
        partial = np.maximum(t0[c], round_k(beta_ms(redraw(c), 0.8, 0.1), e.buildings))
        v[c] = np.where(done, 1.0, partial)
    v["f_fire_safety_ok"] = np.maximum(
        t0["f_fire_safety_ok"], round_k(beta_ms(redraw("f_fire_safety_ok"), 0.9, 0.08), e.buildings)
    )
    v["f_security_coverage"] = np.maximum(
        t0["f_security_coverage"], beta_ms(redraw("f_security_coverage"), 0.85, 0.10)
    )
    v["f_waste_point_max_dist_m"] = np.clip(
        t0["f_waste_point_max_dist_m"] * 0.7 * np.exp(rng.normal(0, 0.1, n)),
        20,
        t0["f_waste_point_max_dist_m"],
    )
    v["illegal_structures_found"] = t0["illegal_structures_found"].copy()
    v["illegal_structures_removed"] = np.round(
        t0["illegal_structures_found"] * beta_ms(redraw("illegal_structures_found"), 0.92, 0.06)
    )
    v["f_lighting_ok"] = np.maximum(
        t0["f_lighting_ok"], beta_ms(redraw("f_lighting_ok"), 0.92, 0.06)
    )
    v["f_energy_retrofit_share"] = np.maximum(
        t0["f_energy_retrofit_share"], beta_ms(redraw("f_energy_retrofit_share"), 0.7, 0.2)
    )
    v["lift_stairwells_eligible"] = t0["lift_stairwells_eligible"].copy()
    v["lift_stairwells_approved"] = np.maximum(
        t0["lift_stairwells_approved"],
        np.round(
            t0["lift_stairwells_eligible"] * beta_ms(redraw("lift_stairwells_approved"), 0.25, 0.15)
        ),
    )
    v["f_barrier_free_share"] = np.maximum(
        t0["f_barrier_free_share"], beta_ms(redraw("f_barrier_free_share"), 0.70, 0.15)
    )
    v["f_parking_per_hh"] = t0["f_parking_per_hh"] + up(0.03, 0.15)
    v["f_ev_charging_share"] = np.maximum(
        t0["f_ev_charging_share"], beta_ms(redraw("f_ev_charging_share"), 0.2, 0.1)
    )
    v["f_ebike_charging_per100hh"] = t0["f_ebike_charging_per100hh"] + up(10, 30)
    v["f_parcel_locker"] = np.maximum(t0["f_parcel_locker"], (rng.random(n) < 0.85).astype(float))
    v["f_activity_space_per_capita"] = t0["f_activity_space_per_capita"] + up(0.03, 0.15)
    v["f_green_per_capita"] = t0["f_green_per_capita"] + up(0.05, 0.30)
    v |= _services_t1(t0, redraw, e, rng, up)
    v |= _participation_t1(t0, redraw, e, rng)
    v |= _social_t1(t0, e, rng, up)
    return v


def _services_t1(
    t0: Values,
    redraw: Callable[[str], FloatArray],
    e: Context,
    rng: np.random.Generator,
    up: Callable[[float, float], FloatArray],
) -> Values:
    n = e.n
    v: Values = {}
    for c, p, lo, hi in (
        ("s_dist_service_station_m", 0.35, 40, 150),
        ("s_dist_elderly_daycare_m", 0.30, 50, 200),
        ("s_dist_health_station_m", 0.20, 50, 250),
        ("s_dist_nursery_m", 0.15, 60, 280),
        ("s_dist_meal_service_m", 0.30, 40, 300),
    ):  # an on-site facility in a renovated building (利用老旧、废弃场地)
        new = rng.random(n) < p
        v[c] = np.where(new, np.minimum(up(lo, hi), t0[c]), t0[c])
    for c in ("s_dist_health_centre_m", "s_dist_kindergarten_m", "s_dist_fresh_food_m"):
        v[c] = t0[c].copy()
    for c in CONVENIENCE:
        v[c] = np.maximum(t0[c], (rng.random(n) < 0.2).astype(float))
    v["s_smart_platform_use"] = np.minimum(t0["s_smart_platform_use"] + up(0.2, 0.4), 0.95)
    mode0 = t0["g_property_mode"]
    new_mode = np.where(rng.random(n) < 0.35, 2.0, 3.0)  # 三增加: a property room, then a manager
    v["g_property_mode"] = np.where(mode0 <= 1, new_mode, mode0)
    fresh = beta_ms(redraw("g_fee_collection"), 0.45 + 0.1 * v["g_property_mode"], 0.12)
    v["g_fee_collection"] = np.where(
        mode0 == 0, fresh, np.minimum(t0["g_fee_collection"] + 0.10, 1)
    )
    v["g_property_satisfaction"] = np.clip(t0["g_property_satisfaction"] + up(0.1, 0.3), 0, 0.97)
    v["s_service_satisfaction"] = np.clip(t0["s_service_satisfaction"] + up(0.1, 0.3), 0, 0.97)
    v["g_complaint_resolution"] = np.minimum(t0["g_complaint_resolution"] + up(0.03, 0.12), 0.98)
    return v


def _participation_t1(
    t0: Values, redraw: Callable[[str], FloatArray], e: Context, rng: np.random.Generator
) -> Values:
    n = e.n
    v: Values = {}
    v["g_party_group_coverage"] = np.maximum(
        t0["g_party_group_coverage"],
        round_k(beta_ms(redraw("g_party_group_coverage"), 0.85, 0.12), e.buildings),
    )
    v["g_party_member_report"] = np.maximum(
        t0["g_party_member_report"], beta_ms(redraw("g_party_member_report"), 0.8, 0.1)
    )
    v["g_committee_party_share"] = np.maximum(
        t0["g_committee_party_share"], beta_ms(redraw("g_committee_party_share"), 0.5, 0.12)
    )
    v["g_red_property"] = np.maximum(t0["g_red_property"], (rng.random(n) < 0.55).astype(float))
    v["p_needs_survey_coverage"] = beta_ms(redraw("p_needs_survey_coverage"), 0.85, 0.08)
    v["p_migrant_reach"] = v["p_needs_survey_coverage"] * beta_ms(
        redraw("p_migrant_reach"), 0.7, 0.12
    )
    v["p_needs_adopted"] = beta_ms(redraw("p_needs_adopted"), 0.72, 0.1)
    v["r_awareness"] = beta_ms(redraw("r_awareness"), 0.82, 0.08)
    for step, p in zip(YCSY, (0.97, 0.95, 0.9, 0.9, 0.85, 0.8), strict=True):
        v[step] = (redraw(step) < p).astype(float)
    v |= vote(redraw("plan_votes_cast"), redraw("plan_votes_for"), e, 0.8, 0.9, rng)
    v["r_participation"] = beta_ms(redraw("r_participation"), 0.6, 0.12)
    step = categorical(rng.random(n), [0, 1, 2], np.array([0.25, 0.55, 0.20]))
    v["p_ladder_rung"] = np.minimum(np.maximum(t0["p_ladder_rung"], 2) + step, 5)
    v["p_plan_publicity"] = (redraw("p_plan_publicity") < 0.9).astype(float)
    v["p_coproduced_share"] = beta_ms(redraw("p_coproduced_share"), 0.2, 0.08)
    v["g_coproducer_types"] = np.minimum(t0["g_coproducer_types"] + 1, 6)
    zero = redraw("p_resident_cofunding") < 0.2
    v["p_resident_cofunding"] = np.where(
        zero, 0.0, beta_ms(redraw("p_resident_cofunding"), 0.035, 0.02)
    )
    v["p_resident_acceptance"] = beta_ms(redraw("p_resident_acceptance"), 0.9, 0.06)
    v["p_demand_closure"] = beta_ms(redraw("p_demand_closure"), 0.80, 0.10)
    v["r_satisfaction"] = beta_ms(redraw("r_satisfaction"), 0.8, 0.08)
    v["r_three_senses"] = np.clip(t0["r_three_senses"] + rng.uniform(0.05, 0.25, n), 0, 0.97)
    v["g_owners_org"] = np.maximum(t0["g_owners_org"], (rng.random(n) < 0.45).astype(float))
    v["g_maintenance_fund"] = np.maximum(
        t0["g_maintenance_fund"], beta_ms(redraw("g_maintenance_fund"), 0.6, 0.2)
    )
    v["g_facility_handover"] = beta_ms(redraw("g_facility_handover"), 0.75, 0.15)
    v["g_residents_covenant"] = np.maximum(
        t0["g_residents_covenant"], (rng.random(n) < 0.6).astype(float)
    )
    v["g_relapse_per100hh"] = np.clip(gamma_ms(redraw("g_relapse_per100hh"), 1.0, 0.7), 0, 10)
    return v


def _social_t1(
    t0: Values, e: Context, rng: np.random.Generator, up: Callable[[float, float], FloatArray]
) -> Values:
    n = e.n
    v: Values = {}
    conflict = rng.random(n) < 0.15  # lift and parking conflicts lower social capital
    for c in ("c_belonging", "c_identity", "c_trust", "c_reciprocity"):
        change = np.where(conflict, -up(0.1, 0.3), rng.normal(0.2, 0.15, n))
        v[c] = np.clip(t0[c] + change, 1, 5)
    v["c_neighbours_known"] = np.clip(t0["c_neighbours_known"] + 1 + rng.normal(0, 0.3, n), 0, 30)
    v["c_cultural_events"] = np.round(t0["c_cultural_events"] * 1.5)
    v["c_social_orgs_per1000"] = t0["c_social_orgs_per1000"] + up(0.1, 0.5)
    v["c_volunteer_share"] = np.minimum(t0["c_volunteer_share"] + up(0.01, 0.06), 0.4)
    v["c_building_leads"] = np.maximum(t0["c_building_leads"], round_k(up(0.6, 1.0), e.buildings))
    return v


# --------------------------------------------------------------------------- t_proc and t2
def t_proc_values(t0: Values, t1: Values, rng: np.random.Generator, e: Context) -> Values:
    """Mid-project: the needs listing, the plan and its vote are settled (their t1 values); the
    closure is halfway; of 一征三议两公开 the call, the three deliberations and the publication of
    the resolution are done, the publication of the implementation not yet."""
    keep = (
        "p_needs_survey_coverage",
        "p_migrant_reach",
        "p_needs_adopted",
        "p_plan_publicity",
        "p_ladder_rung",
        "p_coproduced_share",
        "p_resident_cofunding",
        "plan_votes_cast",
        "plan_votes_for",
        "vote_quorum_met",
    )
    v = {c: t1[c].copy() for c in keep}
    v["p_demand_closure"] = (t0["p_demand_closure"] + t1["p_demand_closure"]) / 2
    for step in YCSY[:5]:
        v[step] = t1[step].copy()
    v["ycsy_publish_result"] = np.zeros(e.n)
    return v


def t2_values(t1: Values, rng: np.random.Generator, e: Context) -> Values:
    """Three years after completion [P]: facilities wear a little, the verdict settles, some
    relapse where management is weak."""
    n = e.n
    v = {c: a.copy() for c, a in t1.items()}
    v["f_security_coverage"] = t1["f_security_coverage"] * rng.uniform(0.9, 1.0, n)
    v["f_fire_safety_ok"] = round_k(t1["f_fire_safety_ok"] * rng.uniform(0.9, 1.0, n), e.buildings)
    wear = rng.random(n) < 0.2
    v["f_road_ok"] = round_k(t1["f_road_ok"] - wear * rng.uniform(0.05, 0.2, n), e.buildings)
    v["f_lighting_ok"] = t1["f_lighting_ok"] * rng.uniform(0.88, 1.0, n)
    v["f_green_per_capita"] = t1["f_green_per_capita"] * rng.uniform(0.9, 1.05, n)
    v["f_ebike_charging_per100hh"] = t1["f_ebike_charging_per100hh"] + rng.uniform(0, 5, n)
    v["lift_stairwells_approved"] = np.minimum(
        t1["lift_stairwells_approved"]
        + np.round(t1["lift_stairwells_eligible"] * rng.uniform(0, 0.1, n)),
        t1["lift_stairwells_eligible"],
    )
    for c in ("c_belonging", "c_identity", "c_trust", "c_reciprocity"):
        v[c] = np.clip(t1[c] + rng.normal(0.05, 0.1, n), 1, 5)
    v["r_satisfaction"] = np.clip(t1["r_satisfaction"] + rng.normal(-0.03, 0.05, n), 0, 1)
    v["r_three_senses"] = np.clip(t1["r_three_senses"] + rng.normal(0.02, 0.04, n), 0, 1)
    v["g_fee_collection"] = np.clip(t1["g_fee_collection"] + rng.normal(0.03, 0.05, n), 0, 1)
    v["g_owners_org"] = np.maximum(t1["g_owners_org"], (rng.random(n) < 0.3).astype(float))
    weak = t1["g_property_mode"] < 3
    v["g_relapse_per100hh"] = t1["g_relapse_per100hh"] * np.where(
        weak, rng.uniform(1.2, 2.5, n), rng.uniform(0.6, 1.1, n)
    )
    v["g_facility_handover"] = np.minimum(t1["g_facility_handover"] + rng.uniform(0, 0.15, n), 1)
    # decisions of the period (maintenance, parking): the full procedure where it took root
    for step in YCSY:
        v[step] = np.maximum(t1[step], (rng.random(n) < 0.3).astype(float))
    return v


def rho(a: FloatArray, b: FloatArray) -> float:
    """Pearson correlation (for the generator's calibration check)."""
    return float(np.corrcoef(a, b)[0, 1])


def normal_score(u: FloatArray) -> FloatArray:
    """The standard-normal score of a uniform."""
    return np.asarray(stats.norm.ppf(u), dtype=np.float64)


SQRT_075 = math.sqrt(0.75)
