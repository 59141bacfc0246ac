"""Generate renoscore's synthetic example data: Zhengzhou-like old estates before and after renovation.

Usage::

    python examples/generate_data.py [--seed 20240601] [--n-estates 30]
                                     [--out examples/data/communities.csv]
    python examples/generate_data.py --variant large --n-estates 10000 --out /tmp/large.csv

The default run writes ``examples/data/communities.csv``, the file committed with renoscore and
checked byte for byte by ``tests/test_shipped.py``. Only numpy and scipy are needed; the output is
UTF-8 CSV written with the ``csv`` module: ``community_id, phase``, the context columns (kept but
never scored), then the 39 indicators of ``old_community_renovation.yaml`` in the system's order.
Cells: a number; ``n/a`` for a structural not-applicable cell; empty for a missing value (MCAR)
and for an indicator that is not measured in the row's phase (the loader reads the latter as not
applicable, using the indicator's ``phases`` in the YAML).

What it follows (renoscore domain brief, section 5)
--------------------------------------------------
* §5.1 design. Five districts (金水 JS, 二七 EQ, 中原 ZY, 管城 GC, 惠济 HJ) with 2-3 streets each;
  one estate is the paper's LY community (id ``LY``). Of 30 estates, 18 have a ``t0`` row only;
  12 are renovated (``t0`` + ``t1``); 4 of those also have ``t_proc`` and ``t2``: 50 rows. Other
  ``--n-estates`` keep the proportions (40 % renovated, 4/30 followed to ``t2``).
* §5.1 selection effect: renovation goes first to old, poor estates, with utility
  ``0.08 * (age - mean age) - 0.8 * z(f_basic_utilities_ok at t0)`` plus standard logistic noise
  (a logit choice model); the estates with the highest utility are renovated, LY always (the
  first four by utility, LY among them, are the ones followed to ``t_proc`` and ``t2``).
* §5.2 context variables with the brief's distributions (build year triangular 1972/1990/2004,
  households lognormal median 160 sd_log 0.6 clipped to 40-1200, 2.3-2.9 persons per household,
  storeys, origin work-unit/mixed/orphan .45/.35/.20, share aged 60+, renter share, km to centre).
* §5.3 Gaussian copula: five latent factors (physical quality, service access, participation,
  social capital, governance) with the brief's correlations, shifted by context and
  re-standardised; each indicator is the inverse CDF of its marginal at
  ``Phi(loading * L + sqrt(1 - loading^2) * e)``, loadings 0.6-0.8 (distances load on -L_access,
  the waste-point distance on -L_phys).
* §5.4 marginals at ``t0`` and shifts at ``t1`` for every indicator.
* §5.5 missing values: ``n/a`` for g_fee_collection when g_property_mode = 0, for
  p_plan_approval when no vote was held (about 30 % of ``t0`` rows, the less participative), and
  for the whole participation block at ``t0`` of the estates with no project yet (30 % of the
  estates: the never-renovated ones least likely to be chosen). MCAR empty cells, exactly
  ``round(rate * eligible cells)``: 3 % of the questionnaire indicators (s_service_satisfaction,
  c_belonging, c_identity, c_trust, c_reciprocity, c_neighbours_known), 10 % of
  p_volunteer_hours_per100 and 5 % of s_childcare_places_per1000.
* §5.6 ``--variant large``: up to 10 districts x streets (at least 8 per district, about 20
  estates each); district effects (sd 0.3) on L_access and L_gov and street effects (sd 0.2) on
  L_part; renovation cohorts 2019-2025, each treating 15-20 % of the remaining stock by the
  selection utility (fresh noise each year); an extra context column ``renovation_year``
  (empty if not renovated by 2025). Cohorts up to 2024 have ``t1``, up to 2022 ``t2``; the 2025
  cohort (works in progress) and 30 % of the others have ``t_proc``; the estates never renovated
  (about 26 %) have no participation record at ``t0``. Default size 1,900 estates (Zhengzhou).

Where it deviates or decides what the brief leaves open
------------------------------------------------------
* Age is centred in the selection utility (the brief writes ``0.08 * age``): uncentred, the
  logistic saturates near 1 for every estate and there is almost no selection effect.
* Phases follow section 3.8 and the YAML: facilities, social capital and governance are measured
  at ``t0``, ``t1`` and ``t2``; services at ``t0`` and ``t1``; the participation block at ``t0``,
  ``t_proc`` and ``t1``; g_procedure_compliance (the 一征三议两公开 record) at every phase.
* ``t_proc`` (mid-project, no marginals in the brief): the needs listing, meeting participation,
  vote, co-funding and ladder rung equal their ``t1`` values (they are decided before the works);
  demand closure and volunteer hours are halfway between ``t0`` and ``t1``;
  g_procedure_compliance is the lower of its ``t0`` and ``t1`` values, but at least 4 of 6 steps
  (the call for opinions and the three deliberations precede the works).
* ``t2`` (three years after, no marginals in the brief) [P]: facilities wear a little (security
  and fire shares x U(0.9, 1), basic utilities lose 1/7 with p 0.2, green x U(0.9, 1.05), more
  e-bike ports), social capital settles (+N(0.05, 0.1)), fee collection +N(0.03, 0.05), an owners'
  committee forms with p 0.3 where there is none.
* ``t1`` rules the brief states as "mean X" are drawn from that marginal with the estate's ``t0``
  normal score (correlation 0.5), and physical facilities never get worse than at ``t0``.
* Calibration to the brief's target correlations: f_basic_utilities_ok has a direct age term
  (-0.2 z(age)) and c_trust a direct renter-share term (-0.15 z(renter_share)) in their copula
  scores; f_parking_per_hh is lower towards the centre (median x exp(0.05 (km - 6.5))); the
  service distances scale with km to the centre (median x exp(0.04 (km - 6.5)); the service
  station's median runs from 250 m at 1 km to 700 m at 12 km); the property mode and fee
  collection load 0.7 on L_gov. Measured on the t0 rows of ``--n-estates 20000`` (seed
  20240601; ``python examples/generate_data.py --check --n-estates 20000``):

  ==============================================  ========  ==========
  pair                                            measured  brief
  ==============================================  ========  ==========
  age vs f_basic_utilities_ok                     -0.50     ≈ -0.5
  age vs f_parking_per_hh                         -0.28     ≈ -0.3
  km_to_centre vs s_dist_* (mean of five)         +0.52     ≈ +0.5
  among the four c_* Likert scales                0.61-0.64 0.5-0.7
  c_trust vs renter_share                         -0.37     ≈ -0.35
  g_property_mode vs g_fee_collection (mode > 0)  +0.65     ≈ 0.6
  ==============================================  ========  ==========

* Lat/lon: estates lie at their km_to_centre from (34.75 N, 113.65 E) in a bearing sector per
  district, instead of a jittered grid, so that map distance and km_to_centre agree.
* LY follows the paper summary: built 1992, 1,730 households, 5,000 residents, work-unit origin,
  in LY street of 二七区 (the district is an assumption); no property management, green space
  lost to vegetable plots and rubbish about before renovation; after it a professional property
  firm, an owners' committee, five co-producer types, all basic systems sound, an on-site service
  station, day care and health station, 95 % of households' needs listed, all six 一征三议两公开
  steps documented and the partnership rung of the participation ladder.
* The large variant's street names are numbered (金水第07街道); for more estates than Zhengzhou
  has (about 1,900) the number of streets per district grows beyond the brief's 8-15.
* Not generated: the street-level 社区 roll-up, the long format, the respondent-level survey file
  and ``experts.json`` of §5.6 (the panels ship as YAML), and the "dirty" validation variant of
  §5.5.

References
----------
Nelsen, R. B. (2006). *An Introduction to Copulas* (2nd ed.). Springer (Gaussian copula).
Sampson, R. J., Raudenbush, S. W., & Earls, F. (1997). Neighborhoods and violent crime: a
multilevel study of collective efficacy. *Science*, 277, 918-924 (the trust scale).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import stats

__all__ = [
    "CONTEXT_COLUMNS",
    "INDICATORS",
    "PHASES",
    "Generated",
    "generate",
    "main",
    "rows_of",
    "write_csv",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Phases in the order rows are written (ids of old_community_renovation.yaml).
PHASES: tuple[str, ...] = ("t0", "t_proc", "t1", "t2")
_F3 = ("t0", "t1", "t2")
_S2 = ("t0", "t1")
_P3 = ("t0", "t_proc", "t1")

#: (indicator id, phases in which it is measured, decimals written) in the system's order.
#: tests/test_shipped.py checks ids, order and phases against old_community_renovation.yaml.
INDICATORS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("f_basic_utilities_ok", _F3, 3),
    ("f_fire_safety_ok", _F3, 3),
    ("f_security_coverage", _F3, 3),
    ("f_waste_point_max_dist_m", _F3, 0),
    ("f_elevator_share", _F3, 3),
    ("f_barrier_free_share", _F3, 3),
    ("f_parking_per_hh", _F3, 3),
    ("f_ebike_charging_per100hh", _F3, 1),
    ("f_parcel_locker", _F3, 0),
    ("f_activity_space_m2", _F3, 0),
    ("f_green_per_capita", _F3, 2),
    ("s_dist_service_station_m", _S2, 0),
    ("s_dist_elderly_daycare_m", _S2, 0),
    ("s_dist_health_m", _S2, 0),
    ("s_dist_kindergarten_m", _S2, 0),
    ("s_childcare_places_per1000", _S2, 2),
    ("s_dist_fresh_food_m", _S2, 0),
    ("s_service_area_per100hh", _S2, 1),
    ("s_smart_platform_use", _S2, 3),
    ("s_service_satisfaction", _S2, 2),
    ("g_property_mode", _F3, 0),
    ("g_fee_collection", _F3, 3),
    ("g_complaint_closure", _F3, 3),
    ("p_needs_survey_coverage", _P3, 3),
    ("p_meeting_participation", _P3, 3),
    ("p_plan_approval", _P3, 3),
    ("p_demand_closure", _P3, 3),
    ("p_volunteer_hours_per100", _P3, 0),
    ("p_resident_cofunding", _P3, 3),
    ("p_ladder_rung", _P3, 0),
    ("g_owners_org", _F3, 0),
    ("g_procedure_compliance", ("t0", "t_proc", "t1", "t2"), 3),
    ("g_coproducer_types", _F3, 0),
    ("c_belonging", _F3, 2),
    ("c_identity", _F3, 2),
    ("c_trust", _F3, 2),
    ("c_reciprocity", _F3, 2),
    ("c_neighbours_known", _F3, 1),
    ("c_cultural_events", _F3, 0),
)
INDICATOR_IDS: tuple[str, ...] = tuple(i for i, _, _ in INDICATORS)
PARTICIPATION: tuple[str, ...] = tuple(i for i in INDICATOR_IDS if i.startswith("p_"))

#: Context columns (not scored), after community_id and phase.
CONTEXT_COLUMNS: tuple[str, ...] = (
    "name",
    "district",
    "street",
    "build_year",
    "households",
    "residents",
    "storeys",
    "origin",
    "share_60plus",
    "renter_share",
    "km_to_centre",
    "lat",
    "lon",
)
#: Extra context column of the large variant (staggered adoption).
LARGE_EXTRA: tuple[str, ...] = ("renovation_year",)

#: MCAR rates (§5.5); the questionnaire indicators share one pool of cells.
QUESTIONNAIRE = (
    "s_service_satisfaction",
    "c_belonging",
    "c_identity",
    "c_trust",
    "c_reciprocity",
    "c_neighbours_known",
)
MCAR: tuple[tuple[tuple[str, ...], float], ...] = (
    (QUESTIONNAIRE, 0.03),
    (("p_volunteer_hours_per100",), 0.10),
    (("s_childcare_places_per1000",), 0.05),
)

REF_YEAR = 2024
CENTRE = (34.75, 113.65)
ORIGINS = ("work_unit", "mixed", "orphan")
#: How the origin reads in the data, as an office's table writes it.
ORIGIN_NAMES = {"work_unit": "单位家属院", "mixed": "混合型小区", "orphan": "无主管楼院"}

#: Small variant: (code, district, streets, bearing of the district's sector in degrees).
SMALL_DISTRICTS: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("JS", "金水区", ("花园路街道", "经八路街道", "文化路街道"), 45.0),
    ("EQ", "二七区", ("建中街街道", "淮河路街道", "LY街道"), 200.0),
    ("ZY", "中原区", ("建设路街道", "林山寨街道"), 270.0),
    ("GC", "管城区", ("北下街街道", "紫荆山南路街道"), 135.0),
    ("HJ", "惠济区", ("大河路街道", "长兴路街道"), 350.0),
)
#: Large variant: ten districts of Zhengzhou, streets numbered.
LARGE_DISTRICTS: tuple[tuple[str, str, float], ...] = (
    ("JS", "金水区", 45.0),
    ("EQ", "二七区", 200.0),
    ("ZY", "中原区", 270.0),
    ("GC", "管城回族区", 135.0),
    ("HJ", "惠济区", 350.0),
    ("ZD", "郑东新区", 80.0),
    ("GX", "高新区", 300.0),
    ("JK", "经开区", 160.0),
    ("SJ", "上街区", 260.0),
    ("HK", "航空港区", 170.0),
)

# Estate names: origin decides the style (work-unit family compound, commodity estate, orphan yard).
_UNITS = (
    "纺织厂", "电力局", "铁路局", "煤机厂", "棉纺厂", "邮电局", "粮食局", "水利局", "建设局", "机械厂",
    "化工厂", "电缆厂", "轴承厂", "食品厂", "印染厂", "砂轮厂", "卷烟厂", "市政公司", "商业局", "卫生局",
)  # fmt: skip
_PLACES = (
    "嵩山", "桐柏", "汝河", "伏牛", "淮河", "陇海", "建设", "文化", "经纬", "黄河",
    "华山", "政通", "民主", "工人", "幸福", "和平", "友爱", "光明", "红旗", "绿城",
)  # fmt: skip
_NAME_SUFFIX = {
    "work_unit": ("家属院", "家属楼", "宿舍"),
    "mixed": ("小区", "新村", "花园", "里"),
    "orphan": ("楼院", "院"),
}

#: Latent order and correlations (§5.3): phys, access, part, sc, gov.
LATENTS = ("phys", "access", "part", "sc", "gov")
LATENT_CORR = np.array(
    [
        [1.0, 0.2, 0.1, 0.0, 0.4],
        [0.2, 1.0, 0.1, 0.1, 0.2],
        [0.1, 0.1, 1.0, 0.5, 0.4],
        [0.0, 0.1, 0.5, 1.0, 0.3],
        [0.4, 0.2, 0.4, 0.3, 1.0],
    ]
)


# --------------------------------------------------------------------------- small helpers
def _z(x: FloatArray) -> FloatArray:
    """Standardise to mean 0, sd 1 over the estates (sd 0 leaves the centred values)."""
    sd = float(np.std(x))
    return (x - np.mean(x)) / (sd if sd > 0 else 1.0)


def _phi(x: FloatArray) -> FloatArray:
    """Standard normal CDF, kept away from 0 and 1 so inverse CDFs stay finite."""
    return np.clip(np.asarray(stats.norm.cdf(x), dtype=np.float64), 1e-9, 1 - 1e-9)


def _beta_ms(u: FloatArray, mean: FloatArray | float, sd: float) -> FloatArray:
    """Inverse CDF of the beta distribution with the given mean and sd (method of moments)."""
    m = np.asarray(mean, dtype=np.float64)
    kappa = m * (1 - m) / sd**2 - 1
    return np.asarray(stats.beta.ppf(u, m * kappa, (1 - m) * kappa), dtype=np.float64)


def _gamma_ms(u: FloatArray, mean: FloatArray | float, sd: float) -> FloatArray:
    """Inverse CDF of the gamma distribution with the given mean and sd."""
    m = np.asarray(mean, dtype=np.float64)
    shape = (m / sd) ** 2
    return np.asarray(stats.gamma.ppf(u, shape, scale=sd**2 / m), dtype=np.float64)


def _lognormal(u: FloatArray, median: FloatArray | float, sd_log: float) -> FloatArray:
    return np.asarray(median * np.exp(sd_log * stats.norm.ppf(u)), dtype=np.float64)


def _categorical(u: FloatArray, levels: Sequence[float], probs: FloatArray) -> FloatArray:
    """Map uniforms to levels; ``probs`` is (k,) or (n, k) for per-estate probabilities."""
    cum = np.cumsum(np.atleast_2d(probs), axis=-1)
    cum = cum / cum[:, -1:]
    index = (u[:, None] > cum[:, :-1]).sum(axis=1)
    out: FloatArray = np.asarray(levels, dtype=np.float64)[index]
    return out


def _zero_inflated(u: FloatArray, p_zero: float) -> tuple[BoolArray, FloatArray]:
    """Split a uniform into (is zero, uniform of the positive part): low latent -> zero."""
    zero = u < p_zero
    rest = np.clip((u - p_zero) / (1 - p_zero), 1e-9, 1 - 1e-9)
    return zero, rest


def _round_k(x: FloatArray, k: int) -> FloatArray:
    """Round a share to a multiple of 1/k (k items checked)."""
    return np.round(np.clip(x, 0, 1) * k) / k


# --------------------------------------------------------------------------- the estates
@dataclass
class Estates:
    """Context of the estates (one entry per estate)."""

    ids: list[str]
    names: list[str]
    district: list[str]
    street: list[str]
    district_index: NDArray[np.intp]
    street_index: NDArray[np.intp]
    build_year: NDArray[np.int64]
    households: NDArray[np.int64]
    residents: NDArray[np.int64]
    storeys: NDArray[np.int64]
    origin: NDArray[np.intp]  # index into ORIGINS
    share_60plus: FloatArray
    renter_share: FloatArray
    km: FloatArray
    lat: FloatArray
    lon: FloatArray
    ly: int  # row of the LY estate

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def age(self) -> FloatArray:
        return (REF_YEAR - self.build_year).astype(np.float64)


def _estate_names(rng: np.random.Generator, origin: NDArray[np.intp]) -> list[str]:
    names: list[str] = []
    used: dict[str, int] = {}
    stems = (_UNITS, _PLACES, _PLACES)
    pick_stem = rng.integers(0, len(_UNITS), size=origin.size)
    pick_suffix = rng.integers(0, 12, size=origin.size)
    for o, a, b in zip(origin.tolist(), pick_stem.tolist(), pick_suffix.tolist(), strict=True):
        suffixes = _NAME_SUFFIX[ORIGINS[o]]
        base = stems[o][a] + suffixes[b % len(suffixes)]
        used[base] = used.get(base, 0) + 1
        # A repeated name gets a number, as 二院/三院 do in practice.
        names.append(base if used[base] == 1 else f"{base}{used[base]}号院")
    return names


def _layout(
    rng: np.random.Generator, n: int, variant: str
) -> tuple[list[str], list[str], list[str], NDArray[np.intp], NDArray[np.intp], FloatArray, int]:
    """Districts, streets and ids; returns the LY row too (the first estate of 二七区)."""
    if variant == "small":
        n_d = len(SMALL_DISTRICTS)
        district_index = np.sort(np.arange(n) % n_d).astype(np.intp)
        n_streets = np.array([len(d[2]) for d in SMALL_DISTRICTS])
        street_index = rng.integers(0, n_streets[district_index]).astype(np.intp)
        codes = [d[0] for d in SMALL_DISTRICTS]
        dnames = [d[1] for d in SMALL_DISTRICTS]
        bearing = np.array([d[3] for d in SMALL_DISTRICTS])
        street_names = [
            SMALL_DISTRICTS[d][2][s] for d, s in zip(district_index, street_index, strict=True)
        ]
    else:
        n_d = int(min(len(LARGE_DISTRICTS), max(5, math.ceil(n / 400))))
        district_index = np.sort(rng.integers(0, n_d, size=n)).astype(np.intp)
        codes = [d[0] for d in LARGE_DISTRICTS[:n_d]]
        dnames = [d[1] for d in LARGE_DISTRICTS[:n_d]]
        bearing = np.array([d[2] for d in LARGE_DISTRICTS[:n_d]])
        per_district = np.bincount(district_index, minlength=n_d)
        n_streets = np.maximum(8, np.ceil(per_district / 20)).astype(np.int64)
        street_index = rng.integers(0, n_streets[district_index]).astype(np.intp)
        street_names = [
            f"{dnames[d].removesuffix('区')}第{s + 1:02d}街道"
            for d, s in zip(district_index.tolist(), street_index.tolist(), strict=True)
        ]
    ly = int(np.flatnonzero(district_index == 1)[0])
    width = 2 if variant == "small" else 5
    counters = [0] * n_d
    ids: list[str] = []
    for r, d in enumerate(district_index.tolist()):
        if r == ly:
            ids.append("LY")
            continue
        counters[d] += 1
        ids.append(f"{codes[d]}{counters[d]:0{width}d}")
    if variant == "small":
        street_index[ly] = 2
        street_names[ly] = SMALL_DISTRICTS[1][2][2]
    districts = [dnames[d] for d in district_index.tolist()]
    theta = bearing[district_index] + rng.uniform(-30, 30, size=n)
    return ids, districts, street_names, district_index, street_index, theta, ly


def make_estates(rng: np.random.Generator, n: int, variant: str) -> Estates:
    """Draw the context variables of §5.2."""
    ids, districts, streets, d_idx, s_idx, theta, ly = _layout(rng, n, variant)
    build_year = np.floor(rng.triangular(1972, 1990, 2004.999, size=n)).astype(np.int64)
    households = np.clip(np.round(160 * np.exp(0.6 * rng.standard_normal(n))), 40, 1200)
    households = households.astype(np.int64)
    residents = np.round(households * rng.uniform(2.3, 2.9, size=n)).astype(np.int64)
    storey_levels = np.array([4, 5, 6, 7, 8])
    storeys = storey_levels[rng.choice(5, size=n, p=[0.08, 0.20, 0.45, 0.20, 0.07])]
    storeys = storeys + (storeys == 8) * rng.integers(0, 4, size=n)  # "8+" -> 8-11
    origin = rng.choice(3, size=n, p=[0.45, 0.35, 0.20]).astype(np.intp)
    km = rng.uniform(1, 12, size=n)
    # LY: the paper's case (built early 1990s, ~1,730 households, ~5,000 residents).
    build_year[ly], households[ly], residents[ly], origin[ly] = 1992, 1730, 5000, 0
    age = (REF_YEAR - build_year).astype(np.float64)
    mean60 = np.clip(0.28 + 0.004 * (age - 30), 0.12, 0.60)
    share60 = np.clip(rng.beta(mean60 * 40, (1 - mean60) * 40), 0.12, 0.60)
    mean_rent = np.clip(0.22 + 0.01 * (6.5 - km), 0.05, 0.6)
    renter = rng.beta(mean_rent * 25, (1 - mean_rent) * 25)
    rad = np.deg2rad(theta)
    lat = CENTRE[0] + km * np.cos(rad) / 111.0
    lon = CENTRE[1] + km * np.sin(rad) / (111.0 * math.cos(math.radians(CENTRE[0])))
    names = _estate_names(rng, origin)
    names[ly] = "LY社区"
    return Estates(
        ids=ids,
        names=names,
        district=districts,
        street=streets,
        district_index=d_idx,
        street_index=s_idx,
        build_year=build_year,
        households=households,
        residents=residents,
        storeys=storeys.astype(np.int64),
        origin=origin,
        share_60plus=share60,
        renter_share=renter,
        km=km,
        lat=lat,
        lon=lon,
        ly=ly,
    )


def make_latents(rng: np.random.Generator, e: Estates, variant: str) -> dict[str, FloatArray]:
    """Correlated latent factors shifted by context and re-standardised (§5.3, §5.6)."""
    n = e.n
    draws = rng.standard_normal((n, 5)) @ np.linalg.cholesky(LATENT_CORR).T
    lat = {name: draws[:, k] for k, name in enumerate(LATENTS)}
    work, mixed, orphan = (e.origin == k for k in range(3))
    z_age, z_km, z_rent, z_60 = _z(e.age), _z(e.km), _z(e.renter_share), _z(e.share_60plus)
    lat["phys"] = lat["phys"] - 0.6 * z_age - 0.4 * orphan
    lat["access"] = lat["access"] - 0.5 * z_km
    lat["part"] = lat["part"] - 0.2 * z_rent
    lat["sc"] = lat["sc"] + 0.4 * work + 0.25 * z_60 - 0.35 * z_rent
    lat["gov"] = lat["gov"] + 0.5 * mixed - 0.7 * orphan
    if variant == "large":
        n_d = int(e.district_index.max()) + 1
        district_effect = rng.normal(0, 0.3, size=(2, n_d))
        lat["access"] = lat["access"] + district_effect[0][e.district_index]
        lat["gov"] = lat["gov"] + district_effect[1][e.district_index]
        street_key = e.district_index * 1000 + e.street_index
        _, street_of = np.unique(street_key, return_inverse=True)
        lat["part"] = lat["part"] + rng.normal(0, 0.2, size=int(street_of.max()) + 1)[street_of]
    return {k: _z(v) for k, v in lat.items()}


# --------------------------------------------------------------------------- indicators
@dataclass
class Generated:
    """Everything the writer needs: context, phases present, values, n/a and missing masks."""

    estates: Estates
    variant: str
    has: dict[str, BoolArray]
    values: dict[str, dict[str, FloatArray]]
    na: dict[str, dict[str, BoolArray]]
    missing: dict[str, dict[str, BoolArray]] = field(default_factory=dict)
    renovation_year: NDArray[np.int64] | None = None


def _scores(
    rng: np.random.Generator,
    lat: dict[str, FloatArray],
    e: Estates,
) -> dict[str, FloatArray]:
    """The copula normal score of every indicator at t0 (loading on its latent + context)."""
    z_age, z_rent = _z(e.age), _z(e.renter_share)
    spec: dict[str, tuple[str, float, float, FloatArray | None]] = {}
    # id -> (latent, sign, loading, extra context term)
    for i in INDICATOR_IDS:
        latent = {"f": "phys", "s": "access", "p": "part", "c": "sc", "g": "gov"}[i[0]]
        spec[i] = (latent, 1.0, 0.7, None)
    for i in INDICATOR_IDS:
        if i.startswith("s_dist_"):
            spec[i] = ("access", -1.0, 0.75, None)
    spec["f_waste_point_max_dist_m"] = ("phys", -1.0, 0.6, None)
    spec["f_basic_utilities_ok"] = ("phys", 1.0, 0.7, -0.2 * z_age)
    spec["f_parking_per_hh"] = ("phys", 1.0, 0.6, None)
    spec["s_service_satisfaction"] = ("access", 1.0, 0.6, None)
    for i in ("c_belonging", "c_identity", "c_reciprocity"):
        spec[i] = ("sc", 1.0, 0.8, None)
    spec["c_trust"] = ("sc", 1.0, 0.75, -0.15 * z_rent)
    spec["g_property_mode"] = ("gov", 1.0, 0.7, None)
    spec["g_fee_collection"] = ("gov", 1.0, 0.7, None)
    out: dict[str, FloatArray] = {}
    for i in INDICATOR_IDS:
        latent, sign, loading, extra = spec[i]
        noise = rng.standard_normal(e.n)
        x = sign * loading * lat[latent] + math.sqrt(1 - loading**2) * noise
        if extra is not None:
            x = x + extra
        out[i] = _z(x)
    return out


def _t0_values(
    rng: np.random.Generator, sc: dict[str, FloatArray], e: Estates
) -> dict[str, FloatArray]:
    """Marginals at t0 (§5.4), through the copula scores ``sc``."""
    u = {k: _phi(v) for k, v in sc.items()}
    n = e.n
    km, hh = e.km, e.households.astype(np.float64)
    work, mixed, orphan = (e.origin == k for k in range(3))
    central = km < 4.0
    v: dict[str, FloatArray] = {}
    v["f_basic_utilities_ok"] = _round_k(_beta_ms(u["f_basic_utilities_ok"], 0.55, 0.15), 7)
    v["f_fire_safety_ok"] = _beta_ms(u["f_fire_safety_ok"], 0.60, 0.18)
    v["f_security_coverage"] = _beta_ms(u["f_security_coverage"], 0.35, 0.20)
    v["f_waste_point_max_dist_m"] = np.clip(
        _lognormal(u["f_waste_point_max_dist_m"], 90, 0.4), 30, 250
    )
    zero, rest = _zero_inflated(u["f_elevator_share"], 0.90)
    v["f_elevator_share"] = np.where(zero, 0.0, 0.05 + 0.25 * rest)
    v["f_barrier_free_share"] = _beta_ms(u["f_barrier_free_share"], 0.15, 0.12)
    v["f_parking_per_hh"] = np.clip(
        _lognormal(u["f_parking_per_hh"], 0.25 * np.exp(0.05 * (km - 6.5)), 0.5), 0.03, 0.8
    )
    zero, rest = _zero_inflated(u["f_ebike_charging_per100hh"], 0.5)
    v["f_ebike_charging_per100hh"] = np.where(zero, 0.0, np.clip(_lognormal(rest, 8, 0.6), 1, 60))
    v["f_parcel_locker"] = (u["f_parcel_locker"] > 1 - np.where(central, 0.5, 0.35)).astype(float)
    zero, rest = _zero_inflated(u["f_activity_space_m2"], 0.25)
    space = np.clip(_lognormal(rest, 300 * np.sqrt(hh / 160), 0.6), 20, 3000)
    v["f_activity_space_m2"] = np.where(zero, 0.0, space)
    v["f_green_per_capita"] = np.clip(_lognormal(u["f_green_per_capita"], 0.4, 0.6), 0, 2.5)

    dist_scale = np.exp(0.04 * (km - 6.5))
    station_median = 250 + 450 * (km - 1) / 11
    v["s_dist_service_station_m"] = np.clip(
        _lognormal(u["s_dist_service_station_m"], station_median, 0.5), 30, 2000
    )
    for i, median, lo, hi in (
        ("s_dist_elderly_daycare_m", 650, 50, 3000),
        ("s_dist_health_m", 700, 80, 3000),
        ("s_dist_kindergarten_m", 450, 60, 2000),
        ("s_dist_fresh_food_m", 450, 60, 2500),
    ):
        v[i] = np.clip(_lognormal(u[i], median * dist_scale, 0.5), lo, hi)
    v["s_childcare_places_per1000"] = np.clip(
        _gamma_ms(u["s_childcare_places_per1000"], 2.0, 1.2), 0, 8
    )
    v["s_service_area_per100hh"] = np.clip(_gamma_ms(u["s_service_area_per100hh"], 22, 10), 0, 70)
    v["s_smart_platform_use"] = _beta_ms(u["s_smart_platform_use"], 0.25, 0.15)
    v["s_service_satisfaction"] = np.clip(
        3.2 + 0.35 * stats.norm.ppf(u["s_service_satisfaction"]), 1.8, 4.6
    )

    v["p_needs_survey_coverage"] = _beta_ms(u["p_needs_survey_coverage"], 0.55, 0.20)
    v["p_meeting_participation"] = _beta_ms(u["p_meeting_participation"], 0.45, 0.18)
    v["p_plan_approval"] = _beta_ms(u["p_plan_approval"], 0.78, 0.12)
    v["p_demand_closure"] = _beta_ms(u["p_demand_closure"], 0.55, 0.20)
    v["p_volunteer_hours_per100"] = np.clip(
        _lognormal(u["p_volunteer_hours_per100"], 80, 0.8), 0, 800
    )
    zero, rest = _zero_inflated(u["p_resident_cofunding"], 0.6)
    v["p_resident_cofunding"] = np.where(
        zero, 0.0, np.clip(_beta_ms(rest, 0.04, 0.025), 0.002, 0.2)
    )
    v["p_ladder_rung"] = _categorical(
        u["p_ladder_rung"], [2, 3, 4, 5, 6, 7], np.array([0.10, 0.30, 0.35, 0.15, 0.08, 0.02])
    )

    for i, mean in (
        ("c_belonging", 3.5),
        ("c_identity", 3.4),
        ("c_trust", 3.4),
        ("c_reciprocity", 3.3),
    ):
        v[i] = np.clip(mean + 0.35 * stats.norm.ppf(u[i]), 2.0, 4.7)
    v["c_neighbours_known"] = np.clip(_gamma_ms(u["c_neighbours_known"], 8 + 3 * work, 3.0), 2, 18)
    mu_events = np.where(work, 16.0, np.where(orphan, 6.0, 12.0))
    v["c_cultural_events"] = stats.poisson.ppf(u["c_cultural_events"], mu_events).astype(float)

    mode_probs = np.array(
        [[0.20, 0.20, 0.30, 0.30], [0.05, 0.10, 0.25, 0.60], [0.50, 0.30, 0.15, 0.05]]
    )
    v["g_property_mode"] = _categorical(u["g_property_mode"], [0, 1, 2, 3], mode_probs[e.origin])
    v["g_fee_collection"] = _beta_ms(
        u["g_fee_collection"], 0.55 + 0.08 * v["g_property_mode"], 0.15
    )
    v["g_complaint_closure"] = _beta_ms(u["g_complaint_closure"], 0.82, 0.08)
    p_org = np.where(mixed, 0.5, np.where(orphan, 0.1, 0.3))
    v["g_owners_org"] = (u["g_owners_org"] > 1 - p_org).astype(float)
    v["g_procedure_compliance"] = _round_k(_beta_ms(u["g_procedure_compliance"], 0.5, 0.25), 6)
    v["g_coproducer_types"] = _categorical(
        u["g_coproducer_types"], [1, 2, 3, 4, 5], np.array([0.15, 0.35, 0.30, 0.15, 0.05])
    )
    assert set(v) == set(INDICATOR_IDS)
    assert all(a.shape == (n,) for a in v.values())
    return v


def _t1_values(
    rng: np.random.Generator, t0: dict[str, FloatArray], sc: dict[str, FloatArray], n: int
) -> dict[str, FloatArray]:
    """Values one year after renovation (§5.4 T1 column), for every estate (used if treated)."""

    def redraw(i: str) -> FloatArray:
        # "-> mean X" rules: a fresh draw that keeps half of the estate's t0 rank.
        return _phi(0.5 * sc[i] + math.sqrt(0.75) * rng.standard_normal(n))

    def up(lo: float, hi: float) -> FloatArray:
        return rng.uniform(lo, hi, size=n)

    v: dict[str, FloatArray] = {}
    v["f_basic_utilities_ok"] = np.maximum(
        t0["f_basic_utilities_ok"],
        _round_k(_beta_ms(redraw("f_basic_utilities_ok"), 0.93, 0.06), 7),
    )
    v["f_fire_safety_ok"] = np.clip(
        t0["f_fire_safety_ok"] + 0.25 + rng.normal(0, 0.05, n), t0["f_fire_safety_ok"], 1
    )
    v["f_security_coverage"] = np.maximum(
        t0["f_security_coverage"], _beta_ms(redraw("f_security_coverage"), 0.85, 0.10)
    )
    v["f_waste_point_max_dist_m"] = np.clip(
        t0["f_waste_point_max_dist_m"] * 0.7 * np.exp(rng.normal(0, 0.1, n)),
        20,
        t0["f_waste_point_max_dist_m"],
    )
    lift = rng.random(n) < 0.6
    v["f_elevator_share"] = np.clip(t0["f_elevator_share"] + lift * up(0.1, 0.5), 0, 1)
    v["f_barrier_free_share"] = np.maximum(
        t0["f_barrier_free_share"], _beta_ms(redraw("f_barrier_free_share"), 0.70, 0.15)
    )
    v["f_parking_per_hh"] = t0["f_parking_per_hh"] + up(0.03, 0.15)
    v["f_ebike_charging_per100hh"] = t0["f_ebike_charging_per100hh"] + up(10, 30)
    v["f_parcel_locker"] = np.maximum(t0["f_parcel_locker"], (rng.random(n) < 0.85).astype(float))
    v["f_activity_space_m2"] = t0["f_activity_space_m2"] + up(100, 600)
    v["f_green_per_capita"] = t0["f_green_per_capita"] + up(0.05, 0.30)

    station = rng.random(n) < 0.35
    v["s_dist_service_station_m"] = np.where(
        station,
        np.minimum(up(40, 150), t0["s_dist_service_station_m"]),
        t0["s_dist_service_station_m"],
    )
    daycare = rng.random(n) < 0.30
    v["s_dist_elderly_daycare_m"] = np.where(
        daycare,
        np.minimum(up(50, 200), t0["s_dist_elderly_daycare_m"]),
        t0["s_dist_elderly_daycare_m"],
    )
    for i in ("s_dist_health_m", "s_dist_kindergarten_m", "s_dist_fresh_food_m"):
        v[i] = t0[i].copy()
    v["s_childcare_places_per1000"] = t0["s_childcare_places_per1000"] + up(0, 1)
    v["s_service_area_per100hh"] = t0["s_service_area_per100hh"] + up(0, 15)
    v["s_smart_platform_use"] = np.minimum(t0["s_smart_platform_use"] + up(0.2, 0.4), 0.95)
    v["s_service_satisfaction"] = np.clip(t0["s_service_satisfaction"] + up(0.3, 0.7), 1, 5)

    v["p_needs_survey_coverage"] = _beta_ms(redraw("p_needs_survey_coverage"), 0.85, 0.08)
    v["p_meeting_participation"] = _beta_ms(redraw("p_meeting_participation"), 0.70, 0.12)
    v["p_plan_approval"] = _beta_ms(redraw("p_plan_approval"), 0.88, 0.06)
    v["p_demand_closure"] = _beta_ms(redraw("p_demand_closure"), 0.80, 0.10)
    v["p_volunteer_hours_per100"] = np.clip(
        t0["p_volunteer_hours_per100"] * 1.3 * np.exp(rng.normal(0, 0.1, n)), 0, 2000
    )
    zero, rest = _zero_inflated(redraw("p_resident_cofunding"), 0.2)
    v["p_resident_cofunding"] = np.where(
        zero, 0.0, np.clip(_beta_ms(rest, 0.0625, 0.035), 0.002, 0.2)
    )
    step = _categorical(rng.random(n), [0, 1, 2], np.array([0.25, 0.60, 0.15]))
    v["p_ladder_rung"] = np.minimum(t0["p_ladder_rung"] + step, 8)

    conflict = rng.random(n) < 0.15  # lift and parking conflicts lower social capital
    for i in ("c_belonging", "c_identity", "c_trust", "c_reciprocity"):
        change = np.where(conflict, -up(0.1, 0.3), rng.normal(0.2, 0.15, n))
        v[i] = np.clip(t0[i] + change, 1, 5)
    v["c_neighbours_known"] = np.clip(t0["c_neighbours_known"] + 1 + rng.normal(0, 0.3, n), 0, 30)
    v["c_cultural_events"] = np.round(t0["c_cultural_events"] * 1.5)

    mode0 = t0["g_property_mode"]
    new_mode = np.where(rng.random(n) < 0.5, 2.0, 3.0)
    v["g_property_mode"] = np.where(mode0 == 0, new_mode, mode0)
    fresh_fee = _beta_ms(redraw("g_fee_collection"), 0.55 + 0.08 * v["g_property_mode"], 0.15)
    v["g_fee_collection"] = np.where(
        mode0 == 0, fresh_fee, np.minimum(t0["g_fee_collection"] + 0.10, 1)
    )
    v["g_complaint_closure"] = np.minimum(t0["g_complaint_closure"] + 0.05, 1)
    v["g_owners_org"] = np.maximum(t0["g_owners_org"], (rng.random(n) < 0.43).astype(float))
    v["g_procedure_compliance"] = np.maximum(
        t0["g_procedure_compliance"],
        _round_k(_beta_ms(redraw("g_procedure_compliance"), 0.85, 0.10), 6),
    )
    v["g_coproducer_types"] = np.minimum(t0["g_coproducer_types"] + 1, 5)
    return v


def _t_proc_values(
    t0: dict[str, FloatArray], t1: dict[str, FloatArray], rng: np.random.Generator, n: int
) -> dict[str, FloatArray]:
    """Mid-project participation record (decided before the works, so mostly the t1 values)."""
    v = {i: t1[i].copy() for i in ("p_needs_survey_coverage", "p_meeting_participation")}
    v["p_plan_approval"] = t1["p_plan_approval"].copy()
    v["p_resident_cofunding"] = t1["p_resident_cofunding"].copy()
    v["p_ladder_rung"] = t1["p_ladder_rung"].copy()
    v["p_demand_closure"] = (t0["p_demand_closure"] + t1["p_demand_closure"]) / 2
    v["p_volunteer_hours_per100"] = np.sqrt(
        t0["p_volunteer_hours_per100"] * t1["p_volunteer_hours_per100"]
    )
    v["g_procedure_compliance"] = np.maximum(
        np.minimum(t0["g_procedure_compliance"], t1["g_procedure_compliance"]), 4 / 6
    )
    return v


def _t2_values(
    t1: dict[str, FloatArray], rng: np.random.Generator, n: int
) -> dict[str, FloatArray]:
    """Three years after completion [P]: facilities wear a little, social capital settles."""
    v = {i: t1[i].copy() for i, phases, _ in INDICATORS if "t2" in phases}
    v["f_security_coverage"] = t1["f_security_coverage"] * rng.uniform(0.9, 1.0, n)
    v["f_fire_safety_ok"] = t1["f_fire_safety_ok"] * rng.uniform(0.9, 1.0, n)
    wear = rng.random(n) < 0.2
    v["f_basic_utilities_ok"] = np.clip(t1["f_basic_utilities_ok"] - wear / 7, 0, 1)
    v["f_green_per_capita"] = t1["f_green_per_capita"] * rng.uniform(0.9, 1.05, n)
    v["f_ebike_charging_per100hh"] = t1["f_ebike_charging_per100hh"] + rng.uniform(0, 5, n)
    for i in ("c_belonging", "c_identity", "c_trust", "c_reciprocity"):
        v[i] = np.clip(t1[i] + rng.normal(0.05, 0.1, n), 1, 5)
    v["g_fee_collection"] = np.clip(t1["g_fee_collection"] + rng.normal(0.03, 0.05, n), 0, 1)
    v["g_owners_org"] = np.maximum(t1["g_owners_org"], (rng.random(n) < 0.3).astype(float))
    return v


def _apply_ly(values: dict[str, dict[str, FloatArray]], ly: int) -> None:
    """The LY facts of the paper summary (no property services before; the listed works after)."""
    t0, tp, t1, t2 = (values[p] for p in PHASES)
    t0["g_property_mode"][ly] = 0
    t0["g_owners_org"][ly] = 0
    t0["f_green_per_capita"][ly] = 0.05  # green space turned into vegetable plots
    t0["f_waste_point_max_dist_m"][ly] = 180  # "rubbish everywhere"
    for phase in (t1, t2):
        phase["g_property_mode"][ly] = 3
        phase["g_owners_org"][ly] = 1
        phase["g_coproducer_types"][ly] = 5
        phase["f_basic_utilities_ok"][ly] = 1.0  # 水电气暖路 first
    t1["s_dist_service_station_m"][ly] = 60
    t1["s_dist_elderly_daycare_m"][ly] = 80
    t1["s_dist_health_m"][ly] = 150
    for phase in (tp, t1):
        phase["p_needs_survey_coverage"][ly] = 0.95
        phase["p_ladder_rung"][ly] = 6
    for phase in (tp, t1, t2):
        phase["g_procedure_compliance"][ly] = 1.0
    t1["g_fee_collection"][ly] = 0.8
    t2["g_fee_collection"][ly] = 0.85


# --------------------------------------------------------------------------- design
def _selection_utility(rng: np.random.Generator, e: Estates, basic_t0: FloatArray) -> FloatArray:
    """Logit selection (§5.1, age centred): old, poor estates are renovated first."""
    noise = np.asarray(rng.logistic(size=e.n), dtype=np.float64)
    utility: FloatArray = 0.08 * (e.age - float(e.age.mean())) - 0.8 * _z(basic_t0) + noise
    return utility


def _design_small(
    rng: np.random.Generator, e: Estates, basic_t0: FloatArray
) -> tuple[dict[str, BoolArray], BoolArray]:
    """Phases present per estate, and estates with no project yet (§5.1)."""
    n = e.n
    utility = _selection_utility(rng, e, basic_t0)
    utility[e.ly] = np.inf  # the paper's case is renovated and followed up
    order = np.argsort(-utility, kind="stable")
    n_treated = max(2, round(0.4 * n))
    n_long = max(1, round(n * 4 / 30))
    treated = np.zeros(n, dtype=bool)
    treated[order[:n_treated]] = True
    long = np.zeros(n, dtype=bool)
    long[order[:n_long]] = True  # the first renovated are followed to t2
    n_none = min(round(0.3 * n), n - n_treated)
    no_project = np.zeros(n, dtype=bool)
    if n_none > 0:
        no_project[order[n - n_none :]] = True
    has = {"t0": np.ones(n, dtype=bool), "t_proc": long, "t1": treated, "t2": long}
    return has, no_project


def _design_large(
    rng: np.random.Generator, e: Estates, basic_t0: FloatArray
) -> tuple[dict[str, BoolArray], BoolArray, NDArray[np.int64]]:
    """Cohorts 2019-2025 (§5.6): 15-20 % of the remaining stock a year, by selection utility."""
    n = e.n
    year = np.zeros(n, dtype=np.int64)
    remaining = np.ones(n, dtype=bool)
    for cohort in range(2019, 2026):
        utility = _selection_utility(rng, e, basic_t0)
        if cohort == 2019:
            utility[e.ly] = np.inf
        utility[~remaining] = -np.inf
        k = round(rng.uniform(0.15, 0.20) * remaining.sum())
        chosen = np.argsort(-utility, kind="stable")[:k]
        year[chosen] = cohort
        remaining[chosen] = False
    treated = year > 0
    in_progress = year == 2025
    has = {
        "t0": np.ones(n, dtype=bool),
        "t_proc": in_progress | (treated & (rng.random(n) < 0.3)),
        "t1": treated & (year <= 2024),
        "t2": treated & (year <= 2022),
    }
    has["t_proc"][e.ly] = True
    return has, ~treated, year


def generate(seed: int = 20240601, n_estates: int = 30, variant: str = "small") -> Generated:
    """Generate the data set.

    Parameters
    ----------
    seed : int
        Seed of numpy's default generator; the same seed gives the same bytes.
    n_estates : int
        Number of estates (at least 5).
    variant : {"small", "large"}
        ``small``: the 30-estate design of §5.1; ``large``: cohorts and hierarchy of §5.6.

    Returns
    -------
    Generated

    Examples
    --------
    >>> g = generate(n_estates=30)
    >>> int(g.has["t0"].sum()), int(g.has["t1"].sum()), int(g.has["t2"].sum())
    (30, 12, 4)
    """
    if n_estates < 5:
        raise ValueError("n_estates must be at least 5")
    if variant not in ("small", "large"):
        raise ValueError("variant must be 'small' or 'large'")
    rng = np.random.default_rng(seed)
    e = make_estates(rng, n_estates, variant)
    lat = make_latents(rng, e, variant)
    sc = _scores(rng, lat, e)
    t0 = _t0_values(rng, sc, e)
    t1 = _t1_values(rng, t0, sc, e.n)
    tp = _t_proc_values(t0, t1, rng, e.n)
    t2 = _t2_values(t1, rng, e.n)
    values = {"t0": t0, "t_proc": tp, "t1": t1, "t2": t2}
    _apply_ly(values, e.ly)
    year: NDArray[np.int64] | None = None
    if variant == "small":
        has, no_project = _design_small(rng, e, t0["f_basic_utilities_ok"])
    else:
        has, no_project, year = _design_large(rng, e, t0["f_basic_utilities_ok"])
    n = e.n
    na: dict[str, dict[str, BoolArray]] = {p: {} for p in PHASES}
    for p in PHASES:
        if "g_property_mode" in values[p]:
            na[p]["g_fee_collection"] = values[p]["g_property_mode"] == 0
    # No vote yet at t0 for 30 % of the estates with a participation record, the less active.
    vote_u = _phi(0.5 * lat["part"] + math.sqrt(0.75) * rng.standard_normal(n))
    na["t0"]["p_plan_approval"] = vote_u < 0.3
    for i in PARTICIPATION:
        na["t0"][i] = na["t0"].get(i, np.zeros(n, dtype=bool)) | no_project
    g = Generated(e, variant, has, values, na, renovation_year=year)
    g.missing = _mcar(rng, g)
    return g


def _measured(g: Generated, phase: str, indicator: str) -> BoolArray:
    """Estates with a row in ``phase`` where ``indicator`` is measured and applicable."""
    phases = {i: ph for i, ph, _ in INDICATORS}[indicator]
    if phase not in phases:
        return np.zeros(g.estates.n, dtype=bool)
    na = g.na[phase].get(indicator, np.zeros(g.estates.n, dtype=bool))
    return g.has[phase] & ~na


def _mcar(rng: np.random.Generator, g: Generated) -> dict[str, dict[str, BoolArray]]:
    """Exactly round(rate * eligible) missing cells per pool (§5.5), chosen at random."""
    n = g.estates.n
    missing: dict[str, dict[str, BoolArray]] = {
        p: {i: np.zeros(n, dtype=bool) for i in INDICATOR_IDS} for p in PHASES
    }
    for pool, rate in MCAR:
        cells = [(p, i) for i in pool for p in PHASES]
        masks = np.stack([_measured(g, p, i) for p, i in cells])  # (cells, n)
        flat = np.flatnonzero(masks.ravel())
        k = round(rate * flat.size)
        for f in rng.choice(flat, size=k, replace=False) if k else ():
            c, r = divmod(int(f), n)
            p, i = cells[c]
            missing[p][i][r] = True
    return missing


# --------------------------------------------------------------------------- output
def _fmt(x: float, decimals: int) -> str:
    if decimals == 0:
        return str(round(x))
    return f"{x:.{decimals}f}"


def header_of(g: Generated) -> list[str]:
    """The CSV header."""
    extra = list(LARGE_EXTRA) if g.variant == "large" else []
    return ["community_id", "phase", *CONTEXT_COLUMNS, *extra, *INDICATOR_IDS]


def rows_of(g: Generated) -> list[list[str]]:
    """The CSV rows: estates in order, each with its phases in PHASES order."""
    e = g.estates
    # Round once, for every cell, before writing: columns of text per phase.
    text: dict[str, dict[str, list[str]]] = {p: {} for p in PHASES}
    for i, phases, decimals in INDICATORS:
        for p in PHASES:
            if p not in phases:
                text[p][i] = [""] * e.n
                continue
            col = g.values[p][i]
            na = g.na[p].get(i, np.zeros(e.n, dtype=bool))
            miss = g.missing[p][i]
            text[p][i] = [
                "n/a" if a else ("" if m else _fmt(float(x), decimals))
                for x, a, m in zip(col.tolist(), na.tolist(), miss.tolist(), strict=True)
            ]
    context = [
        e.names,
        e.district,
        e.street,
        [str(v) for v in e.build_year.tolist()],
        [str(v) for v in e.households.tolist()],
        [str(v) for v in e.residents.tolist()],
        [str(v) for v in e.storeys.tolist()],
        [ORIGIN_NAMES[ORIGINS[o]] for o in e.origin.tolist()],
        [f"{v:.3f}" for v in e.share_60plus.tolist()],
        [f"{v:.3f}" for v in e.renter_share.tolist()],
        [f"{v:.2f}" for v in e.km.tolist()],
        [f"{v:.5f}" for v in e.lat.tolist()],
        [f"{v:.5f}" for v in e.lon.tolist()],
    ]
    if g.variant == "large":
        assert g.renovation_year is not None
        context.append(["" if y == 0 else str(y) for y in g.renovation_year.tolist()])
    rows: list[list[str]] = []
    for r in range(e.n):
        ctx = [c[r] for c in context]
        for p in PHASES:
            if g.has[p][r]:
                rows.append([e.ids[r], p, *ctx, *(text[p][i][r] for i in INDICATOR_IDS)])
    return rows


def write_csv(path: Path, g: Generated) -> int:
    """Write the data set as UTF-8 CSV; return the number of data rows."""
    rows = rows_of(g)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header_of(g))
        writer.writerows(rows)
    return len(rows)


# --------------------------------------------------------------------------- checks
def _corr(a: FloatArray, b: FloatArray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def check(g: Generated) -> list[tuple[str, float, str]]:
    """The brief's target correlations (§5.3) measured on the t0 values of every estate."""
    t0, e = g.values["t0"], g.estates
    dists = [i for i in INDICATOR_IDS if i.startswith("s_dist_")]
    c_ids = ("c_belonging", "c_identity", "c_trust", "c_reciprocity")
    c_pairs = [_corr(t0[a], t0[b]) for k, a in enumerate(c_ids) for b in c_ids[k + 1 :]]
    has_mode = t0["g_property_mode"] > 0
    return [
        ("age vs f_basic_utilities_ok", _corr(e.age, t0["f_basic_utilities_ok"]), "≈ -0.5"),
        ("age vs f_parking_per_hh", _corr(e.age, t0["f_parking_per_hh"]), "≈ -0.3"),
        (
            "km_to_centre vs s_dist_* (mean)",
            float(np.mean([_corr(e.km, t0[d]) for d in dists])),
            "≈ +0.5",
        ),
        ("among c_* scales (min)", min(c_pairs), "0.5-0.7"),
        ("among c_* scales (max)", max(c_pairs), "0.5-0.7"),
        ("c_trust vs renter_share", _corr(t0["c_trust"], e.renter_share), "≈ -0.35"),
        (
            "g_property_mode vs g_fee_collection (mode > 0)",
            _corr(t0["g_property_mode"][has_mode], t0["g_fee_collection"][has_mode]),
            "≈ 0.6",
        ),
    ]


# --------------------------------------------------------------------------- CLI
def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--n-estates", type=int, default=None, help="30 (small) or 1900 (large)")
    parser.add_argument("--variant", choices=("small", "large"), default="small")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="print the target correlations")
    args = parser.parse_args(argv)
    n = args.n_estates or (30 if args.variant == "small" else 1900)
    if n < 5:
        parser.error("--n-estates must be at least 5")
    here = Path(__file__).resolve().parent / "data"
    out = args.out or here / (
        "communities.csv" if args.variant == "small" else "communities_large.csv"
    )
    g = generate(args.seed, n, args.variant)
    if args.check:
        for label, value, target in check(g):
            print(f"{label:<50} {value:+.2f}   target {target}")
        return 0
    rows = write_csv(out, g)
    print(f"wrote {rows} rows for {n} estates to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
