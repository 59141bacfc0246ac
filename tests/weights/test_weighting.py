"""Weights through the hierarchy: AHP panels, data-driven and combined weights, frozen files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.errors import InconsistencyWarning, OptionError, PanelError, WeightsError
from tests.conftest import MINI_YAML, random_data

CRITERIA = ["experience", "education", "charisma", "age"]
CANDIDATES = ["tom", "dick", "harry"]


def _leader_system() -> rs.IndicatorSystem:
    """The Wikipedia AHP 'leader' example as a 3-level tree: goal -> criteria -> candidates."""

    def leaf(cid: str) -> dict[str, object]:
        return {
            "id": cid,
            "name": {"en": cid, "zh": cid},
            "unit": "score",
            "kind": "ratio",
            "direction": "benefit",
            "range": [0, 1],
            "goalposts": {"floor": 0, "target": 1},
            "supplier": "government",
            "source": "example",
        }

    return rs.load_system(
        {
            "id": "leader",
            "version": "1",
            "name": {"en": "Choose a leader", "zh": "选择领导"},
            "goal": {
                "id": "goal",
                "name": {"en": "goal", "zh": "目标"},
                "weighting": {"method": "ahp"},
                "children": [
                    {
                        "id": c,
                        "name": {"en": c, "zh": c},
                        "weighting": {"method": "ahp"},
                        "children": [leaf(f"{c}_{k}") for k in CANDIDATES],
                    }
                    for c in CRITERIA
                ],
            },
        }
    )


def _leader_panel() -> rs.Panel:
    def tdh(c: str, td: str, th: str, dh: str) -> list[list[str]]:
        return [
            [f"{c}_tom", f"{c}_dick", td],
            [f"{c}_tom", f"{c}_harry", th],
            [f"{c}_dick", f"{c}_harry", dh],
        ]

    return rs.load_panel(
        {
            "id": "leader_panel",
            "system": "leader",
            "experts": [
                {
                    "id": "board",
                    "judgements": {
                        "goal": [
                            ["experience", "education", 4],
                            ["experience", "charisma", 3],
                            ["experience", "age", 7],
                            ["education", "charisma", "1/3"],
                            ["education", "age", 3],
                            ["charisma", "age", 5],
                        ],
                        "experience": tdh("experience", "1/4", "4", "9"),
                        "education": tdh("education", "3", "1/5", "1/7"),
                        "charisma": tdh("charisma", "5", "9", "4"),
                        "age": tdh("age", "1/3", "5", "9"),
                    },
                }
            ],
        }
    )


def test_multilevel_synthesis_reproduces_published_totals() -> None:
    # "Analytic hierarchy process - leader example" (Wikipedia): criteria weights .547 .127 .270
    # .056; overall priorities Tom .358, Dick .493, Harry .149 by distributive synthesis.
    system = _leader_system()
    w = rs.derive_weights(system, _leader_panel())
    local = w.local("goal")
    np.testing.assert_allclose(
        [local[c] for c in CRITERIA], [0.547, 0.127, 0.270, 0.056], atol=6e-4
    )
    g = w.global_weights()
    totals = [sum(g[f"{c}_{k}"] for c in CRITERIA) for k in CANDIDATES]
    np.testing.assert_allclose(totals, [0.358, 0.493, 0.149], atol=5e-4)
    assert w.indicator_weights().sum() == pytest.approx(1.0)


def test_shipped_panel_on_default_system() -> None:
    # Domain brief §4.1: AIJ of the three experts -> F .409, S .279, P .118, C .194; the
    # street-office official (expert_c) fails with CR 0.111 under Saaty's (1980) RI.
    system = rs.load_system("old_community_renovation@1")
    with pytest.warns(InconsistencyWarning, match="expert_c"):
        w = rs.derive_weights(
            system,
            rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
            method="ahp",
        )
    goal = w.nodes["renovation_performance"]
    np.testing.assert_allclose(goal.local, [0.409, 0.279, 0.118, 0.194], atol=5e-4)
    assert goal.cr == pytest.approx(0.014, abs=5e-4)
    report = {e.expert: e for e in goal.experts}
    assert report["expert_c"].cr == pytest.approx(0.111, abs=5e-4)
    assert not report["expert_c"].acceptable
    assert report["expert_a"].acceptable
    assert report["expert_b"].acceptable
    # a group the panel did not judge keeps its declared (equal) weighting
    assert w.nodes["facilities"].method == "equal"
    # expert_b left one social-capital pair out: completed, and recorded as such
    sc = {e.expert: e for e in w.nodes["social_capital"].experts}
    assert sc["expert_b"].completed
    assert not sc["expert_a"].completed


def test_exclude_inconsistent_expert() -> None:
    # Domain brief §4.1: AIJ without the failing expert -> .370 .292 .137 .201
    with pytest.warns(InconsistencyWarning, match="left out"):
        w = rs.derive_weights(
            rs.load_system("old_community_renovation@1"),
            rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
            method="ahp",
            exclude_inconsistent=True,
        )
    goal = w.nodes["renovation_performance"]
    np.testing.assert_allclose(goal.local, [0.370, 0.292, 0.137, 0.201], atol=5e-4)
    assert [e.excluded for e in goal.experts] == [False, False, True]


def test_aip_with_geometric_mean_prioritisation_equals_aij() -> None:
    # Barzilai & Golany (1994): with row geometric means, AIJ and (geometric) AIP coincide.
    system, panel = (
        rs.load_system("old_community_renovation@1"),
        rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistencyWarning)
        aij = rs.derive_weights(system, panel, method="ahp", prioritisation="geometric_mean")
        aip = rs.derive_weights(
            system, panel, method="ahp", prioritisation="geometric_mean", group_method="aip"
        )
    np.testing.assert_allclose(
        list(aij.local("renovation_performance").values()),
        list(aip.local("renovation_performance").values()),
        atol=1e-12,
    )


def test_ahp_group_without_panel_or_judgements() -> None:
    system = _leader_system()
    with pytest.raises(WeightsError, match="no panel"):
        rs.derive_weights(system)
    partial = _leader_panel().model_copy()
    judgements = dict(partial.experts[0].judgements)
    del judgements["age"]
    expert = partial.experts[0].model_copy(update={"judgements": judgements})
    panel = partial.model_copy(update={"experts": (expert,)})
    with pytest.raises(WeightsError, match="no expert judged group 'age'"):
        rs.derive_weights(system, panel)


def test_panel_for_other_system_is_refused() -> None:
    with pytest.raises(PanelError, match="not 'leader'"):
        rs.derive_weights(
            _leader_system(),
            rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
        )


def test_entropy_and_combined_weights_on_example_data() -> None:
    system, data = rs.load_system("old_community_renovation@1"), rs.example_data(version=1)
    ent = rs.derive_weights(system, data=data, method="entropy", phase="t0")
    assert ent.provenance.data_phase == "t0"
    assert ent.provenance.data_rows == 30
    assert ent.nodes["facilities"].method == "entropy"
    # the goal's children are groups: indicator weights are rolled up (scope "indicators")
    assert ent.nodes["renovation_performance"].parameters["scope"] == "indicators"
    for nw in ent.nodes.values():
        assert min(nw.local) >= 0
        assert sum(nw.local) == pytest.approx(1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistencyWarning)
        comb = rs.derive_weights(
            system,
            rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
            data,
            method="combined",
            phase="t0",
        )
    goal = comb.nodes["renovation_performance"]
    assert goal.method.startswith("combined(ahp+entropy")
    expected = 0.5 * np.array(goal.parts["ahp"]) + 0.5 * np.array(goal.parts["entropy"])
    np.testing.assert_allclose(goal.local, expected, atol=1e-12)
    np.testing.assert_allclose(
        goal.parts["entropy"], ent.nodes["renovation_performance"].local, atol=1e-12
    )


def test_data_weights_need_data() -> None:
    with pytest.raises(WeightsError, match="no data"):
        rs.derive_weights(rs.load_system("old_community_renovation@1"), method="entropy")
    with pytest.raises(OptionError):
        rs.derive_weights(rs.load_system("old_community_renovation@1"), method="delphi")


def test_system_declared_combined_weighting() -> None:
    text = MINI_YAML.replace(
        "weighting: {method: fixed, weights: {facilities: 3, services: 2}}",
        "weighting: {method: combined, subjective: fixed, objective: critic, combination: game_theory,"
        " scope: indicators, weights: {facilities: 3, services: 2}}",
    )
    system = rs.load_system(text)
    data = random_data(system, 40, seed=2)
    w = rs.derive_weights(system, data=data)
    goal = w.nodes["overall"]
    assert goal.parameters["combination"] == "game_theory"
    np.testing.assert_allclose(goal.parts["fixed"], [0.6, 0.4])
    assert sum(goal.local) == pytest.approx(1.0)


def test_weights_round_trip_and_refusal(tmp_path: Path) -> None:
    system, data = rs.load_system("old_community_renovation@1"), rs.example_data(version=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistencyWarning)
        w = rs.derive_weights(
            system,
            rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
            data,
            method="combined",
            phase="t0",
        )
    for name in ("w.yaml", "w.json"):
        w.save(tmp_path / name)
        again = rs.load_weights(tmp_path / name, system)
        assert again == w
        np.testing.assert_array_equal(again.indicator_weights(), w.indicator_weights())
    other = rs.load_system(MINI_YAML)
    with pytest.raises(WeightsError) as err:
        rs.load_weights(tmp_path / "w.yaml", other)
    assert "not 'mini'" in str(err.value)
    with pytest.raises(WeightsError):
        rs.evaluate(other, random_data(other, 3), w)
    complete = rs.load_system("complete_community")
    with pytest.raises(WeightsError, match=r"indicators differ|children"):
        w.check(complete)


def test_malformed_weights_file() -> None:
    with pytest.raises(WeightsError):
        rs.load_weights("system_id: x\nnodes: 5\n")


def test_global_weights_are_products_of_local_weights() -> None:
    w = rs.derive_weights(rs.load_system("old_community_renovation@1"))
    g = w.global_weights()
    assert g["renovation_performance"] == 1.0
    assert g["facilities"] == pytest.approx(0.409 / (0.409 + 0.279 + 0.118 + 0.194))
    assert g["f_basic_utilities_ok"] == pytest.approx(g["facilities"] / 11)
    rows = w.table()
    assert {r["node"] for r in rows} == {
        n.id for n in rs.load_system("old_community_renovation@1").nodes
    } - {"renovation_performance"}
    assert "<table>" in w._repr_html_()


def test_large_ahp_node_switches_ri_table_and_records_it() -> None:
    # 20 children: Saaty's (1980) table stops at 15, so Alonso & Lamata's (2006) regression
    # is used; a consistent matrix w_i / w_j returns w and CR ~ 0 whatever n is.
    n = 20
    ids = [f"i{k:02d}" for k in range(n)]
    leaves = [
        {
            "id": i,
            "name": {"en": i, "zh": i},
            "unit": "share",
            "kind": "ratio",
            "direction": "benefit",
            "range": [0, 1],
            "goalposts": {"floor": 0, "target": 1},
            "supplier": "government",
            "source": "test",
        }
        for i in ids
    ]
    system = rs.load_system(
        {
            "id": "big",
            "version": "1",
            "name": {"en": "big", "zh": "大"},
            "goal": {
                "id": "goal",
                "name": {"en": "g", "zh": "g"},
                "weighting": {"method": "ahp"},
                "children": leaves,
            },
        }
    )
    true = np.arange(1, n + 1, dtype=float)
    true /= true.sum()
    pairs = [[ids[i], ids[j], float(true[i] / true[j])] for i in range(n) for j in range(i + 1, n)]
    panel = rs.load_panel(
        {"id": "p", "scale": "positive", "experts": [{"id": "e", "judgements": {"goal": pairs}}]}
    )
    with pytest.warns(rs.RenoscoreWarning, match="alonso_lamata2006"):
        w = rs.derive_weights(system, panel)
    node = w.nodes["goal"]
    np.testing.assert_allclose(node.local, true, atol=1e-12)
    assert node.parameters["ri"] == "alonso_lamata2006"
    assert node.cr == pytest.approx(0.0, abs=1e-12)
