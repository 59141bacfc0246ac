"""Generate renoscore's synthetic example data: Zhengzhou-like old estates before and after renovation.

Usage::

    python examples/generate_data.py [--seed 20240601] [--n-estates 30]
                                     [--out examples/data/communities.csv]
    python examples/generate_data.py --variant large --n-estates 10000 --out /tmp/large.csv

The default run writes ``examples/data/communities.csv``, the file committed with renoscore (the
package's ``example_data/communities.csv`` is the same file) and checked byte for byte by
``tests/test_shipped.py``. The output is UTF-8 CSV written with the ``csv`` module:
``community_id, phase``, the context columns (kept but never scored), then the measured
indicators of ``old_community_renovation`` (version 2) in the system's order, then the raw fields
its derived indicators are computed from (the illegal structures, the lift ledger, the five
convenience outlets, the six steps of 一征三议两公开, the plan vote). Cells: a number; ``n/a`` for
a structural not-applicable cell; empty for a missing value (MCAR) and for a column that is not
measured in the row's phase. The values of the questionnaire indicators are then replaced by the
scores of the generated survey (``examples/generate_survey.py``), so that the two files agree.

What it follows (renoscore domain brief, section 5, and the v2 content review)
------------------------------------------------------------------------------
* Design (§5.1). Five districts (金水区 JS, 二七区 EQ, 中原区 ZY, 管城回族区 GC, 惠济区 HJ) with
  2-3 streets each; one estate is the paper's LY community (id ``LY``). Of 30 estates, 18 have a
  ``t0`` row only; 12 are renovated (``t0`` + ``t1``); 4 of those also have ``t_proc`` and
  ``t2``: 50 rows. Renovation goes first to old estates whose utility networks are in the worst
  state (logit choice, age centred), LY always.
* Context (§5.2): build year, households, persons per household, origin, share aged 60+, renter
  share, km to the centre as in the brief. Storeys: old estates are 4-7-storey walk-ups
  (4: .10, 5: .25, 6: .45, 7: .12) with a few 9-11-storey blocks (.08) that were built with lifts,
  so no block of 7 or more storeys is counted as lacking a lift. Buildings and stairwells follow
  from households and storeys (two homes per landing); 60 % of the estates are on the central
  heating network (elsewhere the heating network does not apply).
* Values (``examples/_values.py``): a Gaussian copula of five latent factors (physical quality,
  service access, participation, social capital, governance) with the brief's correlations,
  shifted by context; each column is the inverse CDF of its marginal at
  ``Phi(loading * L + sqrt(1 - loading^2) * e)``. The marginals before renovation and the
  changes after it are in ``_values.py`` with their reasoning. Unrenovated estates mostly have
  no professional property firm (23号's 失管 estates: by origin, a professional firm in 8 % of
  the work-unit compounds, 35 % of the mixed estates and none of the orphan yards).
* Not applicable: the fee collection where there is no property management; the heating
  network off the central heating grid; the lift retrofit where no stairwell is eligible; at
  ``t0`` the whole needs-to-decision record (needs listing, 一征三议两公开, the vote, the ladder
  rung) of the 30 % of estates with no project yet, and the vote of a further 30 % of the others
  (no vote held yet). MCAR empty cells, exactly ``round(rate * eligible cells)``: 3 % of the
  questionnaire indicators and 10 % of the volunteer share.
* LY follows the paper: built in the early 1990s as a national pilot estate (国家第三批城市住宅
  小区建设试点项目: a former showcase), about 1,730 households and 5,000 residents, a large
  migrant share (renters and migrants 60 %), in 二七区. Before renovation: management outdated
  rather than absent (basic management, no professional firm), roads turned into car parks,
  green space into vegetable plots, rubbish everywhere. From 2018: 水电气暖路 first (every
  network in order after the works), an on-site party-mass station, day care run by a social
  organisation and the health station; the heating company, landscaping department, schools,
  firms and social organisations as co-builders (six types); 红色物业; needs listed with 95 % of
  the households, migrants brought in; all six steps of 一征三议两公开 documented; the
  four-party mechanism (community, property firm, owners' committee, party-member and resident
  representatives).
* ``--variant large`` (§5.6): up to 10 districts x streets, district and street effects,
  renovation cohorts 2019-2025 and an extra context column ``renovation_year``.

Deviations and open points [P]: the brief's marginals were written for version 1; the v2
columns have marginals proposed in ``_values.py``. Not generated: the street-level 社区 roll-up,
the long format and the "dirty" validation variant of §5.5.

References
----------
Nelsen, R. B. (2006). *An Introduction to Copulas* (2nd ed.). Springer (Gaussian copula).
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent / "src"))

import _values as V  # noqa: E402, N812

from renoscore.system import load_system  # noqa: E402

__all__ = [
    "COLUMNS",
    "CONTEXT_COLUMNS",
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

#: Decimals written per unit code.
_DECIMALS = {
    "share": 3,
    "m": 0,
    "yes/no": 0,
    "count": 0,
    "score": 2,
    "per 100 households": 1,
    "per 1000 residents": 2,
    "m2/person": 2,
    "per household": 3,
    "level": 0,
    "households": 0,
    "types": 0,
    "per year": 0,
    "persons": 1,
}


def _columns() -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """(column, phases measured, decimals): measured indicators, then raw fields, system order.

    A raw field is measured in the phases of the derived indicators computed from it.
    """
    system = load_system("old_community_renovation")
    out: list[tuple[str, tuple[str, ...], int]] = []
    raw_phases: dict[str, set[str]] = {}
    for ind in system.indicators:
        formula = ind.parsed_formula
        if formula is None:
            out.append((ind.id, tuple(ind.phases), _decimals(ind.unit.code, ind.id)))
        else:
            for name in formula.names:
                raw_phases.setdefault(name, set()).update(ind.phases)
    for raw in system.raw_fields:
        phases = tuple(p for p in PHASES if p in raw_phases.get(raw.id, ()))
        out.append((raw.id, phases, _decimals(raw.unit.code, raw.id)))
    return tuple(out)


def _decimals(code: str, column: str) -> int:
    return _DECIMALS.get(code, 3)


COLUMNS = _columns()
COLUMN_IDS: tuple[str, ...] = tuple(c for c, _, _ in COLUMNS)
_PHASES_OF = {c: ph for c, ph, _ in COLUMNS}

#: The needs-to-decision record, not applicable at t0 where no project is being prepared.
PROJECT_RECORD: tuple[str, ...] = (
    "p_needs_survey_coverage",
    "p_migrant_reach",
    "p_ladder_rung",
    *V.YCSY,
    "plan_votes_cast",
    "plan_votes_for",
    "vote_quorum_met",
)
VOTE = ("plan_votes_cast", "plan_votes_for", "vote_quorum_met")
LIFT = ("lift_stairwells_eligible", "lift_stairwells_approved")

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
QUESTIONNAIRE = V.SURVEYED
MCAR: tuple[tuple[tuple[str, ...], float], ...] = (
    (QUESTIONNAIRE, 0.03),
    (("c_volunteer_share",), 0.10),
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
    ("GC", "管城回族区", ("北下街街道", "紫荆山南路街道"), 135.0),
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
    """Standardise to mean 0, sd 1."""
    sd = float(np.std(x))
    return (x - float(np.mean(x))) / (sd if sd > 0 else 1.0)


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
    buildings: FloatArray = field(default_factory=lambda: np.zeros(0))
    stairwells: FloatArray = field(default_factory=lambda: np.zeros(0))
    heated: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

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
    storey_levels = np.array([4, 5, 6, 7, 9])
    storeys = storey_levels[rng.choice(5, size=n, p=[0.10, 0.25, 0.45, 0.12, 0.08])]
    storeys = storeys + (storeys == 9) * rng.integers(0, 3, size=n)  # blocks with lifts: 9-11
    origin = rng.choice(3, size=n, p=[0.45, 0.35, 0.20]).astype(np.intp)
    km = rng.uniform(1, 12, size=n)
    # LY: the paper's case (built early 1990s as a pilot estate, ~1,730 households, ~5,000
    # residents), a commodity estate of mixed origin, not a work-unit compound.
    build_year[ly], households[ly], residents[ly], origin[ly], storeys[ly] = 1992, 1730, 5000, 1, 6
    age = (REF_YEAR - build_year).astype(np.float64)
    mean60 = np.clip(0.28 + 0.004 * (age - 30), 0.12, 0.60)
    share60 = np.clip(rng.beta(mean60 * 40, (1 - mean60) * 40), 0.12, 0.60)
    mean_rent = np.clip(0.22 + 0.01 * (6.5 - km), 0.05, 0.6)
    renter = rng.beta(mean_rent * 25, (1 - mean_rent) * 25)
    renter[ly] = 0.60  # 外来流动人口 in large numbers (the paper)
    # Two homes per landing: a stairwell holds 2 x storeys homes, a block 2-3 stairwells.
    stairwells = np.maximum(np.ceil(households / (2.0 * storeys)), 1.0)
    buildings = np.maximum(np.round(stairwells / rng.uniform(2, 3, size=n)), 1.0)
    heated = rng.random(n) < 0.6
    heated[ly] = True  # the heating company reviewed LY's plan
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
        buildings=buildings.astype(np.float64),
        stairwells=stairwells.astype(np.float64),
        heated=heated,
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


# --------------------------------------------------------------------------- values
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


def _uniforms(rng: np.random.Generator, lat: dict[str, FloatArray], e: Estates) -> V.Values:
    """The copula uniform of every column at t0 (loading on its latent, plus context terms)."""
    spec = V.score_spec(COLUMN_IDS)
    z_age, z_rent = _z(e.age), _z(e.renter_share)
    extra = dict.fromkeys(V.NETWORKS, -0.2 * z_age)
    extra["c_trust"] = -0.15 * z_rent
    extra["p_migrant_reach"] = -0.2 * z_rent
    out: V.Values = {}
    for c in COLUMN_IDS:
        latent, sign, loading = spec[c]
        x = sign * loading * lat[latent] + math.sqrt(1 - loading**2) * rng.standard_normal(e.n)
        out[c] = V.phi(_z(x + extra.get(c, 0.0)))
    return out


def _context(e: Estates) -> V.Context:
    return V.Context(
        n=e.n,
        age=e.age,
        km=e.km,
        households=e.households.astype(np.float64),
        buildings=e.buildings,
        stairwells=e.stairwells,
        storeys=e.storeys.astype(np.float64),
        origin=e.origin,
        renter=e.renter_share,
        heated=e.heated,
    )


def _apply_ly(values: dict[str, dict[str, FloatArray]], e: Estates) -> None:
    """The LY facts of the paper (outdated management before; the listed works and mechanisms after)."""
    ly = e.ly
    t0, tp, t1, t2 = (values[p] for p in PHASES)
    t0["g_property_mode"][ly] = 1  # 物业管理方式陈旧: outdated, not absent
    t0["g_owners_org"][ly] = 0
    t0["g_red_property"][ly] = 0
    t0["f_green_per_capita"][ly] = 0.05  # green space turned into vegetable plots
    t0["f_waste_point_max_dist_m"][ly] = 180  # rubbish everywhere
    t0["f_road_ok"][ly] = 0.2  # roads turned into car parks
    t0["g_property_satisfaction"][ly] = 0.2
    for c in V.NETWORKS:
        t0[c][ly] = min(float(t0[c][ly]), 0.4)
    for phase in (t1, t2):
        phase["g_property_mode"][ly] = 3
        phase["g_owners_org"][ly] = 1
        phase["g_red_property"][ly] = 1  # 红色物业 and the 365 mechanism
        phase["g_coproducer_types"][ly] = 6
        phase["g_party_group_coverage"][ly] = 1.0  # 区委-街道党工委-社区党支部-楼院党组织
        for c in V.NETWORKS:  # 水电气暖路 first
            phase[c][ly] = 1.0
        phase["f_ebike_charging_per100hh"][ly] = 25.0  # sheds added by firms
    t1["s_dist_service_station_m"][ly] = 60  # party-mass station in a disused building
    t1["s_dist_elderly_daycare_m"][ly] = 80  # day care run by a social organisation
    t1["s_dist_health_station_m"][ly] = 150
    for phase in (tp, t1):
        phase["p_needs_survey_coverage"][ly] = 0.95  # 列清单
        phase["p_migrant_reach"][ly] = 0.75  # migrants brought in
        phase["p_ladder_rung"][ly] = 4  # 共同决策
        phase["p_coproduced_share"][ly] = 0.35
    for phase in (tp, t1, t2):
        for step in V.YCSY:
            phase[step][ly] = 1.0
    tp["ycsy_publish_result"][ly] = 0.0  # the works are not finished yet
    for phase in (tp, t1):  # the plan passed in a valid vote (民法典第二百七十八条)
        phase["plan_votes_cast"][ly] = 1460.0  # 84 % of 1,730 households
        phase["plan_votes_for"][ly] = 1372.0  # 94 % of the votes
        phase["vote_quorum_met"][ly] = 1.0
    t1["g_fee_collection"][ly] = 0.8
    t2["g_fee_collection"][ly] = 0.85
    t1["r_satisfaction"][ly] = 0.88
    t1["p_resident_acceptance"][ly] = 1.0  # residents check the result (验单)


def _values_of(
    rng: np.random.Generator, lat: dict[str, FloatArray], e: Estates
) -> dict[str, dict[str, FloatArray]]:
    """Values of every column in every phase (before the design decides which rows exist)."""
    u = _uniforms(rng, lat, e)
    ctx = _context(e)

    def redraw(c: str) -> FloatArray:
        return V.phi(0.5 * V.normal_score(u[c]) + V.SQRT_075 * rng.standard_normal(e.n))

    t0 = V.t0_values(u, ctx, rng)
    t1 = V.t1_values(t0, redraw, ctx, rng)
    tp = V.t_proc_values(t0, t1, rng, ctx)
    t2 = V.t2_values(t1, rng, ctx)
    values = {"t0": t0, "t_proc": tp, "t1": t1, "t2": t2}
    _apply_ly(values, e)
    return values


def _not_applicable(
    rng: np.random.Generator,
    e: Estates,
    values: dict[str, dict[str, FloatArray]],
    lat: dict[str, FloatArray],
    no_project: BoolArray,
) -> dict[str, dict[str, BoolArray]]:
    """Structural n/a cells (see the module docstring)."""
    n = e.n
    na: dict[str, dict[str, BoolArray]] = {p: {} for p in PHASES}
    for p in PHASES:
        v = values[p]
        if "g_property_mode" in v:
            na[p]["g_fee_collection"] = v["g_property_mode"] == 0
        na[p]["f_heating_ok"] = ~e.heated
        for c in LIFT:
            na[p][c] = e.storeys >= 7  # built with lifts
    vote_u = V.phi(0.5 * lat["part"] + V.SQRT_075 * rng.standard_normal(n))
    for c in VOTE:
        na["t0"][c] = vote_u < 0.3
    for c in PROJECT_RECORD:
        na["t0"][c] = na["t0"].get(c, np.zeros(n, dtype=bool)) | no_project
    return na


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
    values = _values_of(rng, lat, e)
    networks_t0 = np.mean([values["t0"][c] for c in V.NETWORKS], axis=0)
    year: NDArray[np.int64] | None = None
    if variant == "small":
        has, no_project = _design_small(rng, e, networks_t0)
    else:
        has, no_project, year = _design_large(rng, e, networks_t0)
    na = _not_applicable(rng, e, values, lat, no_project)
    g = Generated(e, variant, has, values, na, renovation_year=year)
    g.missing = _mcar(rng, g)
    return g


def _measured(g: Generated, phase: str, column: str) -> BoolArray:
    """Estates with a row in ``phase`` where ``column`` is measured and applicable."""
    if phase not in _PHASES_OF[column]:
        return np.zeros(g.estates.n, dtype=bool)
    na = g.na[phase].get(column, np.zeros(g.estates.n, dtype=bool))
    return g.has[phase] & ~na


def _mcar(rng: np.random.Generator, g: Generated) -> dict[str, dict[str, BoolArray]]:
    """Exactly round(rate * eligible) missing cells per pool (§5.5), chosen at random."""
    n = g.estates.n
    missing: dict[str, dict[str, BoolArray]] = {
        p: {c: np.zeros(n, dtype=bool) for c in COLUMN_IDS} for p in PHASES
    }
    for pool, rate in MCAR:
        cells = [(p, c) for c in pool for p in PHASES]
        masks = np.stack([_measured(g, p, c) for p, c in cells])  # (cells, n)
        flat = np.flatnonzero(masks.ravel())
        k = round(rate * flat.size)
        for f in rng.choice(flat, size=k, replace=False) if k else ():
            cell, r = divmod(int(f), n)
            p, c = cells[cell]
            missing[p][c][r] = True
    return missing


# --------------------------------------------------------------------------- output
def _fmt(x: float, decimals: int) -> str:
    if decimals == 0:
        return str(round(x))
    return f"{x:.{decimals}f}"


def header_of(g: Generated) -> list[str]:
    """The CSV header."""
    extra = list(LARGE_EXTRA) if g.variant == "large" else []
    return ["community_id", "phase", *CONTEXT_COLUMNS, *extra, *COLUMN_IDS]


def rows_of(g: Generated) -> list[list[str]]:
    """The CSV rows: estates in order, each with its phases in PHASES order."""
    e = g.estates
    # Round once, for every cell, before writing: columns of text per phase.
    text: dict[str, dict[str, list[str]]] = {p: {} for p in PHASES}
    for i, phases, decimals in COLUMNS:
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
                rows.append([e.ids[r], p, *ctx, *(text[p][i][r] for i in COLUMN_IDS)])
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


# --------------------------------------------------------------------------- checks
def check(g: Generated) -> list[tuple[str, float, str]]:
    """The brief's target correlations (§5.3) measured on the t0 values of every estate."""
    t0, e = g.values["t0"], g.estates
    networks = np.mean([t0[c] for c in V.NETWORKS], axis=0)
    dists = [c for c in COLUMN_IDS if c.startswith("s_dist_")]
    c_ids = ("c_belonging", "c_identity", "c_trust", "c_reciprocity")
    c_pairs = [V.rho(t0[a], t0[b]) for k, a in enumerate(c_ids) for b in c_ids[k + 1 :]]
    has_mode = t0["g_property_mode"] > 0
    return [
        ("age vs utility networks in order (mean)", V.rho(e.age, networks), "≈ -0.5"),
        ("age vs f_parking_per_hh", V.rho(e.age, t0["f_parking_per_hh"]), "≈ -0.3"),
        (
            "km_to_centre vs s_dist_* (mean)",
            float(np.mean([V.rho(e.km, t0[d]) for d in dists])),
            "≈ +0.5",
        ),
        ("among c_* scales (min)", min(c_pairs), "0.5-0.7"),
        ("among c_* scales (max)", max(c_pairs), "0.5-0.7"),
        ("c_trust vs renter_share", V.rho(t0["c_trust"], e.renter_share), "≈ -0.35"),
        (
            "g_property_mode vs g_fee_collection (mode > 0)",
            V.rho(t0["g_property_mode"][has_mode], t0["g_fee_collection"][has_mode]),
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
    out = args.out or HERE / "data" / (
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
