"""Release 1 of the shipped content (``name@1``): indicator systems and example panels.

Release 1 was written from the renoscore domain brief and is kept, unchanged, so that its
published numbers can be reproduced; release 2 (the current one) is checked in
``tests/system/test_content_v2.py`` and the example generator in ``tests/test_example_generator.py``.
The numbers checked here come from the renoscore domain brief (§3 indicator catalogue, §4 example
AHP panel, §5 synthetic data recipe); the AHP results are recomputed with numpy (principal
eigenvector, Saaty 1980; AIJ by element-wise geometric mean, Aczél & Saaty 1983; RI of Saaty:
n=4 0.90, n=5 1.12, n=6 1.24).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from renoscore.panel import load_panel
from renoscore.system import Group, Indicator, IndicatorSystem, available_systems, load_system

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "renoscore" / "indicators" / "v1"

DIMS4 = ["facilities", "public_services", "participation", "social_capital"]
DIMS5 = [*DIMS4, "governance"]
RI = {4: 0.90, 5: 1.12, 6: 1.24}


def _system(name: str) -> IndicatorSystem:
    return load_system(SHIPPED / f"{name}.yaml")


def _ind(system: IndicatorSystem, node_id: str) -> Indicator:
    node = system.node(node_id)
    assert isinstance(node, Indicator)
    return node


def _group(system: IndicatorSystem, node_id: str) -> Group:
    node = system.node(node_id)
    assert isinstance(node, Group)
    return node


def _m(rows: list[list[str | int]]) -> NDArray[np.float64]:
    return np.array([[float(Fraction(str(v))) for v in row] for row in rows])


def _eigen(matrix: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Principal eigenvector (normalised to sum 1) and CR with Saaty's RI (Saaty 1980)."""
    vals, vecs = np.linalg.eig(matrix)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    n = matrix.shape[0]
    return w / w.sum(), float((vals[k].real - n) / (n - 1) / RI[n])


# Domain brief §4.1: the three experts' 4x4 matrices, order F S P C.
BRIEF_41 = {
    "expert_a": _m(
        [[1, 2, 4, 5], ["1/2", 1, 3, 4], ["1/4", "1/3", 1, 2], ["1/5", "1/4", "1/2", 1]]
    ),
    "expert_b": _m([[1, 1, 2, "1/2"], [1, 1, 2, "1/2"], ["1/2", "1/2", 1, "1/3"], [2, 2, 3, 1]]),
    "expert_c": _m(
        [[1, 3, 5, 2], ["1/3", 1, 2, 3], ["1/5", "1/2", 1, "1/3"], ["1/2", "1/3", 3, 1]]
    ),
}
# Domain brief §4.2: 5x5 matrices, order F S P C G.
BRIEF_42 = {
    "expert_a": _m(
        [
            [1, 2, 4, 5, 3],
            ["1/2", 1, 3, 4, 2],
            ["1/4", "1/3", 1, 2, "1/2"],
            ["1/5", "1/4", "1/2", 1, "1/3"],
            ["1/3", "1/2", 2, 3, 1],
        ]
    ),
    "expert_b": _m(
        [
            [1, 1, 2, "1/2", 1],
            [1, 1, 2, "1/2", 1],
            ["1/2", "1/2", 1, "1/3", 1],
            [2, 2, 3, 1, 2],
            [1, 1, 1, "1/2", 1],
        ]
    ),
    "expert_c": _m(
        [
            [1, 2, 5, 2, 2],
            ["1/2", 1, 2, 3, 1],
            ["1/5", "1/2", 1, "1/3", "1/3"],
            ["1/2", "1/3", 3, 1, 3],
            ["1/2", 1, 3, "1/3", 1],
        ]
    ),
}

# Domain brief §3.3-3.7: id -> (direction, floor, target, category) of all 39 indicators.
BRIEF_CATALOGUE: dict[str, tuple[str, float, float, str]] = {
    "f_basic_utilities_ok": ("benefit", 0.3, 1.0, "basic"),
    "f_fire_safety_ok": ("benefit", 0.3, 1.0, "basic"),
    "f_security_coverage": ("benefit", 0.0, 1.0, "basic"),
    "f_waste_point_max_dist_m": ("cost", 200, 70, "basic"),
    "f_elevator_share": ("benefit", 0.0, 1.0, "improvement"),
    "f_barrier_free_share": ("benefit", 0.0, 1.0, "improvement"),
    "f_parking_per_hh": ("benefit", 0.05, 0.5, "improvement"),
    "f_ebike_charging_per100hh": ("benefit", 0, 20, "improvement"),
    "f_parcel_locker": ("benefit", 0, 1, "improvement"),
    "f_activity_space_m2": ("benefit", 0, 150, "improvement"),
    "f_green_per_capita": ("benefit", 0, 0.35, "improvement"),
    "s_dist_service_station_m": ("cost", 1500, 300, "upgrade"),
    "s_dist_elderly_daycare_m": ("cost", 1500, 300, "upgrade"),
    "s_dist_health_m": ("cost", 2500, 1000, "upgrade"),
    "s_dist_kindergarten_m": ("cost", 1500, 300, "upgrade"),
    "s_childcare_places_per1000": ("benefit", 0, 4.5, "upgrade"),
    "s_dist_fresh_food_m": ("cost", 2000, 500, "upgrade"),
    "s_service_area_per100hh": ("benefit", 0, 30, "upgrade"),
    "s_smart_platform_use": ("benefit", 0, 0.8, "upgrade"),
    "s_service_satisfaction": ("benefit", 1.0, 4.0, "none"),
    "p_needs_survey_coverage": ("benefit", 0.2, 0.9, "none"),
    "p_meeting_participation": ("benefit", 0.1, 0.667, "none"),
    "p_plan_approval": ("benefit", 0.5, 0.75, "none"),
    "p_demand_closure": ("benefit", 0, 0.9, "none"),
    "p_volunteer_hours_per100": ("benefit", 0, 200, "none"),
    "p_resident_cofunding": ("benefit", 0, 0.10, "none"),
    "p_ladder_rung": ("benefit", 2, 6, "none"),
    "c_belonging": ("benefit", 1.0, 4.0, "none"),
    "c_identity": ("benefit", 1.0, 4.0, "none"),
    "c_trust": ("benefit", 1.0, 4.0, "none"),
    "c_reciprocity": ("benefit", 1.0, 4.0, "none"),
    "c_neighbours_known": ("benefit", 0, 10, "none"),
    "c_cultural_events": ("benefit", 0, 24, "none"),
    "g_property_mode": ("benefit", 0, 3, "improvement"),
    "g_fee_collection": ("benefit", 0.2, 0.9, "none"),
    "g_complaint_closure": ("benefit", 0.5, 0.95, "none"),
    "g_owners_org": ("benefit", 0, 1, "none"),
    "g_procedure_compliance": ("benefit", 0, 1.0, "none"),
    "g_coproducer_types": ("benefit", 1, 4, "none"),
}


# --------------------------------------------------------------------------- systems
def test_shipped_names() -> None:
    assert set(available_systems()) >= {"old_community_renovation", "complete_community"}


@pytest.mark.parametrize("name", ["old_community_renovation", "complete_community"])
def test_system_loads_and_round_trips(name: str) -> None:
    system = _system(name)
    assert system.id == name
    assert system.version == "1.0.0"
    again = load_system(system.to_yaml())
    assert again == system
    assert again.to_yaml() == system.to_yaml()


def test_default_system_shape() -> None:
    s = _system("old_community_renovation")
    assert 35 <= len(s.indicators) <= 40
    assert [d.id for d in s.dimensions] == DIMS4
    # Domain brief §3.8: in 4-dimension mode F11 S12 P10 C6.
    assert [len(s.indicators_under(d)) for d in DIMS4] == [11, 12, 10, 6]
    assert s.goal.id == "renovation_performance"
    assert s.phase_ids == ("t0", "t_proc", "t1", "t2")
    assert [(g.id, g.min) for g in s.grades] == [
        ("excellent", 85.0),
        ("good", 70.0),
        ("fair", 60.0),
        ("poor", 0.0),
    ]
    # Domain brief §3.1: governance items fold into services and participation.
    assert {
        s.dimension_of(i) for i in ("g_property_mode", "g_fee_collection", "g_complaint_closure")
    } == {"public_services"}
    assert {
        s.dimension_of(i) for i in ("g_owners_org", "g_procedure_compliance", "g_coproducer_types")
    } == {"participation"}


def test_five_dimension_variant() -> None:
    s4, s5 = _system("old_community_renovation"), _system("complete_community")
    assert [d.id for d in s5.dimensions] == DIMS5
    assert [len(s5.indicators_under(d)) for d in DIMS5] == [11, 9, 7, 6, 6]
    assert {i.id for i in s5.indicators_under("governance")} == {
        "g_property_mode",
        "g_fee_collection",
        "g_complaint_closure",
        "g_owners_org",
        "g_procedure_compliance",
        "g_coproducer_types",
    }
    # Same indicators, defined identically in both files.
    by_id4 = {i.id: i for i in s4.indicators}
    assert set(by_id4) == {i.id for i in s5.indicators}
    for ind in s5.indicators:
        assert ind == by_id4[ind.id], ind.id
    assert s4.phases == s5.phases
    assert s4.grades == s5.grades


@pytest.mark.parametrize("name", ["old_community_renovation", "complete_community"])
def test_catalogue_matches_brief(name: str) -> None:
    """Direction, goalposts and 23号 category of all 39 indicators (domain brief §3.3-3.7)."""
    s = _system(name)
    assert set(s.indicator_ids) == set(BRIEF_CATALOGUE)
    for ind in s.indicators:
        direction, floor, target, category = BRIEF_CATALOGUE[ind.id]
        assert ind.direction.value == direction, ind.id
        assert ind.goalposts.floor == pytest.approx(floor), ind.id
        assert ind.goalposts.target == pytest.approx(target), ind.id
        assert ind.category.value == category, ind.id
        assert ind.phases, ind.id
        assert "[" in ind.source, f"{ind.id}: source needs an evidence tag [V]/[K]/[P]"


def test_indicator_details() -> None:
    s = _system("old_community_renovation")
    ladder = _ind(s, "p_ladder_rung")
    assert ladder.kind.value == "ordinal"
    assert (ladder.range.min, ladder.range.max) == (1, 8)
    assert ladder.levels is not None
    assert sorted(ladder.levels) == list(range(1, 9))
    assert ladder.levels[6].en == "partnership"
    mode = _ind(s, "g_property_mode")
    assert mode.levels is not None
    assert sorted(mode.levels) == [0, 1, 2, 3]
    for ind in s.indicators:
        if ind.kind.value == "likert5":
            assert (ind.range.min, ind.range.max) == (1, 5)
        if ind.kind.value == "distance_m":
            assert (ind.range.min, ind.range.max) == (0, 20000)
            assert ind.direction.value == "cost"
        if ind.kind.value == "ratio":
            assert (ind.range.min, ind.range.max) == (0, 1)
    # §3.8: phases of each block.
    assert _ind(s, "p_needs_survey_coverage").phases == ("t0", "t_proc", "t1")
    assert _ind(s, "s_dist_health_m").phases == ("t0", "t1")
    assert _ind(s, "c_trust").phases == ("t0", "t1", "t2")
    suppliers = {i.supplier.value for i in s.indicators}
    assert suppliers == {"government", "market", "society", "residents", "utilities"}
    assert _ind(s, "f_basic_utilities_ok").supplier.value == "utilities"  # 专业经营单位


@pytest.mark.parametrize(
    ("name", "panel_name", "brief"),
    [
        ("old_community_renovation", "panel_example", BRIEF_41),
        ("complete_community", "panel_complete_community", BRIEF_42),
    ],
)
def test_goal_weights_are_the_panel_aij(
    name: str, panel_name: str, brief: dict[str, NDArray[np.float64]]
) -> None:
    """Fixed goal weights = AIJ of the brief's matrices, rounded to 3 decimals (brief §4.1/§4.2)."""
    s = _system(name)
    assert s.goal.weighting.method == "fixed"
    panel = load_panel(SHIPPED / f"{panel_name}.yaml", s)
    mats = panel.matrices("renovation_performance", [d.id for d in s.dimensions])
    group = np.exp(np.mean(np.log(mats), axis=0))
    np.testing.assert_allclose(
        group, np.exp(np.mean(np.log(np.stack(list(brief.values()))), axis=0)), rtol=1e-12
    )
    w, cr = _eigen(group)
    weights = s.goal.weighting.weights
    assert weights is not None
    assert [weights[d.id] for d in s.dimensions] == pytest.approx(np.round(w, 3).tolist(), abs=0)
    assert cr < 0.1
    for dim in s.dimensions:
        assert _group(s, dim.id).weighting.method == "equal"


# --------------------------------------------------------------------------- panels
@pytest.mark.parametrize(
    ("name", "panel_name", "brief", "dims"),
    [
        ("old_community_renovation", "panel_example", BRIEF_41, DIMS4),
        ("complete_community", "panel_complete_community", BRIEF_42, DIMS5),
    ],
)
def test_panel_matrices_equal_brief(
    name: str, panel_name: str, brief: dict[str, NDArray[np.float64]], dims: list[str]
) -> None:
    s = _system(name)
    panel = load_panel(SHIPPED / f"{panel_name}.yaml", s)
    assert panel.system == f"{name}@1"
    assert [e.id for e in panel.experts] == ["expert_a", "expert_b", "expert_c"]
    assert {g.id: g.weight for g in panel.groups} == {
        "planning": 1.0,
        "academic": 1.0,
        "government": 1.0,
    }
    mats = panel.matrices("renovation_performance", dims)
    for e, expert in enumerate(panel.experts):
        np.testing.assert_allclose(mats[e], brief[expert.id], rtol=1e-12)


def test_panel_reproduces_brief_weights() -> None:
    """Brief §4.1: per-expert eigenvector weights and CR (C fails at 0.111)."""
    s = _system("old_community_renovation")
    mats = load_panel(SHIPPED / "panel_example.yaml", s).matrices("renovation_performance", DIMS4)
    expected = {
        0: ([0.492, 0.306, 0.125, 0.078], 0.018),
        1: ([0.227, 0.227, 0.122, 0.424], 0.004),
        2: ([0.476, 0.261, 0.086, 0.177], 0.111),
    }
    for e, (w_ref, cr_ref) in expected.items():
        w, cr = _eigen(mats[e])
        np.testing.assert_allclose(w, w_ref, atol=5e-4)
        assert cr == pytest.approx(cr_ref, abs=5e-4)


def test_panel_within_dimension_judgements() -> None:
    s = _system("old_community_renovation")
    panel = load_panel(SHIPPED / "panel_example.yaml", s)
    labels = [c.id for c in _group(s, "social_capital").children]
    mats = panel.matrices("social_capital", labels)
    missing = np.isnan(mats).sum(axis=(1, 2))
    assert missing.tolist() == [0, 2, 30]  # complete, one pair left out, not judged
    w, cr = _eigen(mats[0])
    assert cr < 0.1
    assert labels[int(np.argmax(w))] == "c_trust"
