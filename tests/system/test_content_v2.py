"""Release 2 of the shipped content: what the paper, the policy and a street office look for.

Checks the promises of the v2 review: a source on every goalpost, a Chinese form for every unit,
一征三议两公开 declared as a gated checklist of its six named steps, a panel that includes the
residents, the property firm and a resident unit, the weight the paper's mechanisms carry, the
names an official uses, and a fix-first list that names the failing network and its supplier.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import renoscore as rs
from renoscore._vocabulary import SUPPLIER, unit_label
from renoscore.system import Group, Indicator, IndicatorSystem, load_system
from renoscore.system.formula import evaluate_formula

SYSTEMS = ("old_community_renovation", "complete_community")
PANELS = {
    "old_community_renovation": "panel_example",
    "complete_community": "panel_complete_community",
}
YCSY = (
    ("ycsy_collect", "征集意见"),
    ("ycsy_propose", "两委提议"),
    ("ycsy_deliberate", "各方商议"),
    ("ycsy_resolve", "党员和居民代表会议决议"),
    ("ycsy_publish_resolution", "决议公开"),
    ("ycsy_publish_result", "实施情况公开"),
)
NETWORKS = (
    "f_water_supply_ok",
    "f_drainage_ok",
    "f_power_supply_ok",
    "f_gas_ok",
    "f_heating_ok",
    "f_telecom_ok",
    "f_overhead_lines_tidy",
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _ind(system: IndicatorSystem, node_id: str) -> Indicator:
    node = system.node(node_id)
    assert isinstance(node, Indicator)
    return node


def _global_weight(system: IndicatorSystem, node_id: str) -> float:
    """The node's share of the total: the product of the (fixed or equal) weights on its path."""

    def walk(node: Group, share: float) -> float | None:
        fixed = node.weighting.weights
        for child in node.children:
            w = share * (fixed[child.id] if fixed else 1.0 / len(node.children))
            if child.id == node_id:
                return w
            if isinstance(child, Group):
                found = walk(child, w)
                if found is not None:
                    return found
        return None

    found = walk(system.goal, 1.0)
    assert found is not None, node_id
    return found


def _checklist(system: IndicatorSystem, steps: dict[str, float]) -> float:
    formula = _ind(system, "g_procedure_compliance").parsed_formula
    assert formula is not None
    ok = np.zeros(1, dtype=np.int8)
    values, _, _ = evaluate_formula(formula, {k: (np.array([v]), ok) for k, v in steps.items()})
    return float(values[0])


@pytest.mark.parametrize("name", SYSTEMS)
def test_release_2_is_the_current_release(name: str) -> None:
    system = load_system(name)
    assert system.version == "2.0.0"
    assert load_system(f"{name}@1").version == "1.0.0"


@pytest.mark.parametrize("name", SYSTEMS)
def test_every_goalpost_has_a_source_and_every_unit_a_chinese_form(name: str) -> None:
    system = load_system(name)
    for ind in system.indicators:
        assert ind.source, f"{ind.id}: no source for its goalposts"
        assert re.search(r"\[(V|K|P)\]", ind.source), f"{ind.id}: source without [V]/[K]/[P]"
        assert CJK.search(ind.name.zh or ""), ind.id
        zh = unit_label(ind, "zh")
        assert CJK.search(zh) or zh in ("m²/人",), f"{ind.id}: unit {zh!r} has no Chinese form"
    for raw in system.raw_fields:
        assert CJK.search(unit_label(raw, "zh")), f"{raw.id}: unit has no Chinese form"


@pytest.mark.parametrize("name", SYSTEMS)
def test_yi_zheng_san_yi_liang_gong_kai_is_a_gated_checklist(name: str) -> None:
    system = load_system(name)
    ind = _ind(system, "g_procedure_compliance")
    assert ind.name.zh == "“一征三议两公开”落实率"
    assert ind.checklist is not None
    assert list(ind.checklist.steps) == [step for step, _ in YCSY]
    assert list(ind.checklist.gates) == ["ycsy_resolve"]
    names = {r.id: r.name.zh for r in system.raw_fields}
    assert [names[step] for step, _ in YCSY] == [zh for _, zh in YCSY]


def test_a_missing_resolution_voids_the_decision_instead_of_costing_one_sixth() -> None:
    system = load_system("old_community_renovation")
    steps = {step: 1.0 for step, _ in YCSY}
    assert _checklist(system, steps) == 1.0
    assert _checklist(system, {**steps, "ycsy_publish_result": 0.0}) == pytest.approx(5 / 6)
    assert _checklist(system, {**steps, "ycsy_resolve": 0.0}) == 0.0
    # In the example, a t0 record without its resolution scores 0 however many steps were done.
    data = rs.example_data()
    j = data.indicator_ids.index("g_procedure_compliance")
    assert np.nanmin(data.values[:, j]) == 0.0


@pytest.mark.parametrize("name", SYSTEMS)
def test_the_panel_includes_residents_the_property_firm_and_resident_units(name: str) -> None:
    system = load_system(name)
    panel = rs.load_panel(PANELS[name], system)
    groups = {g.id: g.name.zh for g in panel.groups}
    assert groups["residents"] == "居民代表"
    assert groups["property"] == "物业服务企业"
    assert groups["resident_units"] == "驻区单位"
    assert {"planning", "academic", "government"} <= set(groups)
    assert {e.group for e in panel.experts} == set(groups)


def test_the_paper_s_mechanisms_carry_weight() -> None:
    """Participation 0.118 over ten indicators in release 1; the paper's chain counts in release 2."""
    v1, v2 = load_system("old_community_renovation@1"), load_system("old_community_renovation")
    assert _global_weight(v1, "participation") == pytest.approx(0.118)
    assert _global_weight(v1, "g_procedure_compliance") == pytest.approx(0.0118, abs=1e-4)
    assert _global_weight(v1, "f_parcel_locker") == pytest.approx(0.0373, abs=1e-3)
    assert _global_weight(v2, "participation") == pytest.approx(0.309)
    ycsy = _global_weight(v2, "g_procedure_compliance")
    assert ycsy == pytest.approx(0.309 * 0.25 * 0.4)
    assert ycsy > 2 * _global_weight(v2, "f_parcel_locker")
    # Governance and participation together: the participation dimension and the property
    # management and 12345 items of public services.
    gov = (
        "g_property_mode",
        "g_fee_collection",
        "g_property_satisfaction",
        "g_complaint_resolution",
    )
    both = _global_weight(v2, "participation") + sum(_global_weight(v2, g) for g in gov)
    assert both > 0.35


def test_names_an_official_uses() -> None:
    s = load_system("old_community_renovation")
    assert s.goal.name.zh == "小区综合评价"
    assert "现状评估" in s.phases[0].name.zh
    assert s.node("social_capital").name.zh == "社区社会资本"
    assert _ind(s, "f_lift_retrofit_share").name.zh == "四层及以上住宅加装电梯比例"
    assert _ind(s, "f_green_per_capita").name.zh == "人均集中绿地面积"
    assert _ind(s, "g_complaint_resolution").name.zh == "12345诉求解决率"
    levels = _ind(s, "p_ladder_rung").levels
    assert levels is not None
    assert [levels[k].zh for k in sorted(levels)] == [
        "告知",
        "咨询",
        "协商",
        "共同决策",
        "居民自主",
    ]
    modes = _ind(s, "g_property_mode").levels
    assert modes is not None
    assert any("社会组织代管" in modes[k].zh for k in modes)
    zh = {d.id: d.name.zh for d in s.dimensions}
    assert all(v != "社会资本" for v in zh.values())


def test_the_health_station_is_split_from_the_health_centre() -> None:
    s = load_system("old_community_renovation")
    station, centre = _ind(s, "s_dist_health_station_m"), _ind(s, "s_dist_health_centre_m")
    assert station.goalposts.target == 300
    assert centre.goalposts.target == 1000


def test_each_network_has_its_supplier() -> None:
    s = load_system("old_community_renovation")
    for net in NETWORKS:
        assert _ind(s, net).supplier.value == "utilities", net
    assert SUPPLIER["zh"]["utilities"] == "专业经营单位"


def test_fix_first_of_a_facilities_poor_estate_names_the_network_and_its_supplier() -> None:
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    t0 = [r for r in result.records() if r["phase"] == "t0" and r["basic_works"] is not None]
    poorest = min(t0, key=lambda r: r["basic_works"])
    assert poorest["basic_works"] < 40
    items = result.fix_first(poorest["community_id"], "t0", top=5)
    networks = [it for it in items if it.indicator in NETWORKS]
    assert networks, [it.indicator for it in items]
    first = networks[0]
    assert first.supplier == "utilities"
    assert SUPPLIER["zh"][first.supplier] == "专业经营单位"
    assert first.must_fix  # a basic item (应改尽改)
    assert CJK.search(first.name_zh)


def test_results_record_the_system_version() -> None:
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    assert result.provenance.system_version == "2.0.0"
    old = rs.evaluate(
        load_system("old_community_renovation@1"), rs.example_data(version=1), missing="renormalize"
    )
    assert old.provenance.system_version == "1.0.0"


def test_progress_checks_and_the_participation_minimum() -> None:
    """t_proc and t2 are declared progress checks; participation needs 0.4 of its weight."""
    system = rs.default_system()
    assert [(p.id, p.overall) for p in system.phases] == [
        ("t0", True),
        ("t_proc", False),
        ("t1", True),
        ("t2", False),
    ]
    participation = system.node("participation")
    assert isinstance(participation, Group)
    assert participation.min_applicable == 0.4
    result = rs.evaluate(system, rs.example_data(), missing="renormalize")
    rec = {(r["community_id"], r["phase"]): r for r in result.records()}
    mid = rec["LY", "t_proc"]
    assert mid["score"] is None  # no overall score mid-works ...
    assert mid["participation"] == pytest.approx(88.3, abs=0.05)  # ... but the chain is scored
    assert rec["LY", "t2"]["score"] is None
    # An estate with no project has no decision record: participation is not assessed at t0.
    assert rec["HJ01", "t0"]["participation"] is None
    assert rec["LY", "t0"]["participation"] == pytest.approx(47.9, abs=0.05)
