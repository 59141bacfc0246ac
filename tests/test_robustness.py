"""Hostile and broken input across the pipeline: one test per case.

Every case asserts the exact error class and that the problem names the place (file, line, key
path, row, column or pair), or -- for input that is unusual but valid -- that the result is
finite, complete and correct to a stated tolerance. The YAML reader's own cases are in
test_yaml.py, every single data-cell problem in test_data.py; these tests go through the public
loaders and on through weights and scoring. Regression tests for fuzzing findings are marked
``fuzz finding`` in their docstring (see fuzz/README.md).
"""

from __future__ import annotations

import math
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import renoscore as rs
from renoscore import ahp
from renoscore import weights as objective
from renoscore._yaml import YamlLimits
from renoscore.errors import (
    DataValidationError,
    IndicatorSystemError,
    JudgementError,
    PanelError,
    Problem,
    RenoscoreError,
    RenoscoreWarning,
    WeightsError,
)
from tests.conftest import MINI_YAML, random_table

# --------------------------------------------------------------------------- fixtures
PANEL = """\
id: mini_panel
system: mini
groups:
  - {id: gov, name: {en: government, zh: 政府}, weight: 2}
  - {id: res, name: {en: residents, zh: 居民}}
experts:
  - id: e1
    group: gov
    judgements:
      overall:
        - [facilities, services, 3]
  - id: e2
    group: res
    judgements:
      overall:
        labels: [facilities, services]
        matrix: [[1, "1/2"], [2, 1]]
"""


@pytest.fixture(scope="module")
def mini() -> rs.IndicatorSystem:
    return rs.load_system(MINI_YAML)


def _error(kind: type[RenoscoreError], call: Any, *args: Any, **kw: Any) -> RenoscoreError:
    with pytest.raises(kind) as info:
        call(*args, **kw)
    assert type(info.value) is kind, f"expected exactly {kind.__name__}, got {info.type}"
    assert info.value.problems, "an error must carry at least one located problem"
    return info.value


def _only(kind: type[RenoscoreError], call: Any, *args: Any, **kw: Any) -> Problem:
    error = _error(kind, call, *args, **kw)
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def _weights_doc(mini: rs.IndicatorSystem) -> str:
    return rs.derive_weights(mini).to_yaml()


# The three YAML loaders, each with its error class and a valid document to corrupt.
LOADERS: dict[str, tuple[type[RenoscoreError], Any]] = {
    "system": (IndicatorSystemError, lambda src, **kw: rs.load_system(src, **kw)),
    "panel": (PanelError, lambda src, **kw: rs.load_panel(src, **kw)),
    "weights": (WeightsError, lambda src, **kw: rs.load_weights(src)),
}


def _alias_bomb(levels: int = 40) -> str:
    lines = ["l0: &l0 [x, x]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- hostile YAML
@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_alias_bomb_is_rejected_by_every_loader_in_bounded_memory(loader: str) -> None:
    # 2**40 values once expanded: only a count made while reading lets this finish at all.
    kind, load = LOADERS[loader]
    tracemalloc.start()
    try:
        problem = _only(kind, load, _alias_bomb())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "after expanding aliases" in problem.reason
    assert problem.line is not None
    assert problem.line <= 40
    assert peak < 5_000_000, f"{peak} bytes to reject a 1 kB document"


@pytest.mark.parametrize("loader", ["system", "panel"])
def test_wide_document_is_rejected_at_the_node_limit_not_after_it(loader: str) -> None:
    # 50,000 plain values, no alias: reading stops at the limit (memory of ~1,000 values, not
    # of the document) and the fix is not about aliases.
    kind, load = LOADERS[loader]
    text = "a: [" + "1, " * 50_000 + "1]\n"
    tracemalloc.start()
    try:
        problem = _only(kind, load, text, limits=YamlLimits(max_nodes=1_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.reason == "more than 1000 values"
    assert problem.fix is not None
    assert "split the document" in problem.fix
    assert problem.line == 1
    assert peak < 3_000_000


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_deep_nesting_is_rejected_by_every_loader(loader: str) -> None:
    kind, load = LOADERS[loader]
    problem = _only(kind, load, "a:\n  b: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problem.reason == "nesting deeper than 200 levels"
    assert problem.line == 2


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_python_tags_are_rejected_by_every_loader(loader: str) -> None:
    kind, load = LOADERS[loader]
    text = "id: x\nname: !!python/object/apply:os.system ['echo pwned']\n"
    error = _error(kind, load, text)
    (tagged,) = [p for p in error.problems if "is not allowed" in p.reason]
    assert tagged.line == 2
    assert tagged.path == "name"
    assert "python/object/apply" in tagged.reason


def test_duplicate_key_in_a_panel_names_both_lines() -> None:
    text = PANEL.replace("    group: gov\n", "    group: gov\n    group: res\n")
    problem = _only(PanelError, rs.load_panel, text)
    assert problem.line == 9
    assert problem.path == "experts[0].group"
    assert "duplicate key 'group' (first on line 8)" in problem.reason


def test_duplicate_key_in_a_weights_file(mini: rs.IndicatorSystem) -> None:
    text = _weights_doc(mini).replace("system_id: mini\n", "system_id: mini\nsystem_id: other\n")
    problem = _only(WeightsError, rs.load_weights, text)
    assert problem.line == 2
    assert "duplicate key 'system_id'" in problem.reason


@pytest.mark.parametrize("loader", ["system", "panel"])
def test_non_utf8_bytes_name_the_line(loader: str) -> None:
    kind, load = LOADERS[loader]
    raw = "id: x\n# 老旧小区\nname: y\n".encode("gb18030")
    problem = _only(kind, load, raw)
    assert problem.line == 2
    assert problem.fix == "save the file as UTF-8"


def test_bom_is_accepted_by_the_panel_and_weights_loaders(mini: rs.IndicatorSystem) -> None:
    panel = rs.load_panel(b"\xef\xbb\xbf" + PANEL.encode(), mini)
    assert panel == rs.load_panel(PANEL, mini)
    text = _weights_doc(mini)
    assert rs.load_weights(b"\xef\xbb\xbf" + text.encode(), mini) == rs.load_weights(text, mini)


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_control_character_names_its_line(loader: str) -> None:
    kind, load = LOADERS[loader]
    problem = _only(kind, load, 'id: x\nname: "a\x07b"\n')
    assert problem.line == 2
    assert "U+0007" in problem.reason


def test_yaml_size_limit_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "panel.yaml"
    path.write_text(PANEL, encoding="utf-8")
    problem = _only(PanelError, rs.load_panel, path, limits=YamlLimits(max_bytes=100))
    assert problem.file == str(path)
    assert f"{len(PANEL.encode())} bytes exceeds the limit of 100" in problem.reason
    assert problem.fix is not None
    assert "max_bytes" in problem.fix


def test_csv_size_limit_names_the_file(tmp_path: Path, mini: rs.IndicatorSystem) -> None:
    path = tmp_path / "data.csv"
    path.write_text("community_id,f_a\nLY,0.5\n", encoding="utf-8")
    problem = _only(DataValidationError, rs.load_data, path, mini, max_bytes=10)
    assert problem.file == str(path)
    assert "exceeds the limit of 10" in problem.reason
    assert problem.fix == "use max_bytes=24 (or more) to read it"


# --------------------------------------------------------------------------- ids and names
@pytest.mark.parametrize(
    ("bad", "fix"),
    [("e 1", "write 'e_1'"), ("专家甲", "English or pinyin id"), ("Expert", "write 'expert'")],
)
def test_expert_ids_follow_the_id_grammar(bad: str, fix: str) -> None:
    text = PANEL.replace("  - id: e1\n", f"  - id: '{bad}'\n")
    problem = _only(PanelError, rs.load_panel, text)
    assert problem.line == 7
    assert problem.path == "experts[0].id"
    assert problem.reason == f"{bad!r} is not a valid id"
    assert problem.fix is not None
    assert fix in problem.fix


def test_names_can_be_anything_and_round_trip() -> None:
    name = {"en": "Mr. O'Brien's \"garden\" #1: 100% – ✓ 🙂", "zh": "老旧小区 ：改造（一期）\u3000"}
    doc = yaml.safe_load(MINI_YAML)
    doc["name"] = name
    doc["goal"]["children"][0]["name"] = name
    system = rs.load_system(doc)
    assert system.name.en == name["en"]
    again = rs.load_system(system.to_yaml())
    assert again == system
    assert again.dimensions[0].name.zh == name["zh"]


def test_community_ids_may_be_chinese_with_spaces_and_mixed_case(
    mini: rs.IndicatorSystem,
) -> None:
    table = random_table(mini, 3)
    table["community_id"] = ["金水区 政通新村", "Block A", "block b"]
    result = rs.evaluate(mini, table)
    assert result.ids == ("金水区 政通新村", "Block A", "block b")
    assert np.isfinite(result.overall).all()
    # ... but two ids that differ only by case are one community to any reader: refused.
    table["community_id"] = ["金水区 政通新村", "Block A", "block a"]
    with pytest.raises(rs.DataValidationError) as exc:
        rs.evaluate(mini, table)
    (problem,) = exc.value.problems
    assert (problem.row, problem.community_id) == (3, "block a")
    assert "differs from 'Block A' (row 2) only by case" in problem.reason


# --------------------------------------------------------------------------- edge shapes
AGGREGATIONS = ["arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"]


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
@pytest.mark.parametrize("normalization", ["goalposts", "minmax"])
def test_a_single_community_is_scored_or_explained(
    mini: rs.IndicatorSystem, aggregation: str, normalization: str
) -> None:
    table = random_table(mini, 1, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        result = rs.evaluate(
            mini,
            table,
            normalization=normalization,  # type: ignore[arg-type]
            aggregation=aggregation,  # type: ignore[arg-type]
        )
    assert result.ids == ("c00000",)
    assert np.isfinite(result.overall[0]) or result.reasons[0]
    if np.isfinite(result.overall[0]):
        assert 0.0 <= result.overall[0] <= 100.0
        assert result.rank[0] == 1.0


@pytest.mark.parametrize("method", ["entropy", "critic", "standard_deviation"])
def test_a_single_community_cannot_give_data_weights(mini: rs.IndicatorSystem, method: str) -> None:
    error = _error(WeightsError, rs.evaluate, mini, random_table(mini, 1), method)
    assert all(p.column in mini.indicator_ids for p in error.problems)
    assert "at least 2 are needed" in error.problems[0].reason


def test_zero_rows_through_evaluate(mini: rs.IndicatorSystem) -> None:
    table = {k: [] for k in random_table(mini, 1)}
    problem = _only(DataValidationError, rs.evaluate, mini, table)
    assert problem.reason == "the table has no rows"


def _constant_table(mini: rs.IndicatorSystem, n: int = 6) -> dict[str, Any]:
    table = random_table(mini, 1, seed=5)
    return {
        k: list(v) * n if k != "community_id" else [f"c{i}" for i in range(n)]
        for k, v in table.items()
    }


@pytest.mark.parametrize(
    ("method", "summary"),
    [
        ("entropy", "no indicator discriminates"),
        ("standard_deviation", "no indicator discriminates"),
        ("coefficient_of_variation", "no indicator discriminates"),
        ("critic", "at least two non-constant indicators"),
    ],
)
def test_every_indicator_constant_gives_a_clear_weights_error(
    mini: rs.IndicatorSystem, method: str, summary: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        error = _error(WeightsError, rs.evaluate, mini, _constant_table(mini), method)
    assert summary in error.summary
    assert error.problems[0].fix


def test_every_indicator_constant_with_fixed_weights_scores_everyone_alike(
    mini: rs.IndicatorSystem,
) -> None:
    result = rs.evaluate(mini, _constant_table(mini))
    assert np.isfinite(result.overall).all()
    assert np.ptp(result.overall) == 0.0
    assert (result.rank == 1.0).all()  # a six-way tie, ranked 'min'


# --------------------------------------------------------------------------- big structures
def _indicator(i: int) -> dict[str, Any]:
    return {
        "id": f"i{i}",
        "name": {"en": f"indicator {i}", "zh": f"指标{i}"},
        "unit": "share",
        "kind": "ratio",
        "direction": "benefit" if i % 2 == 0 else "cost",
        "range": [0, 1],
        "goalposts": {"floor": 0, "target": 1} if i % 2 == 0 else {"floor": 1, "target": 0},
        "supplier": "government",
        "source": "test",
    }


def _system_doc(goal: dict[str, Any]) -> dict[str, Any]:
    return {"id": "big", "version": "1", "name": {"en": "Big", "zh": "大"}, "goal": goal}


def test_a_hierarchy_twenty_levels_deep() -> None:
    # goal -> g19 -> ... -> g0 -> i0, each level adding one indicator beside the next group.
    node: dict[str, Any] = _indicator(0)
    for level in range(20):
        node = {
            "id": f"g{level}",
            "name": {"en": f"level {level}", "zh": f"层{level}"},
            "children": [node, _indicator(level + 1)],
        }
    system = rs.load_system(yaml.safe_dump(_system_doc(node), allow_unicode=True))
    assert len(system.groups) == 20
    assert max(len(system.path(i)) for i in system.indicator_ids) == 21
    weights = rs.derive_weights(system)
    for nw in weights.nodes.values():
        assert math.fsum(nw.local) == 1.0
    w = weights.indicator_weights()
    assert math.fsum(w) == pytest.approx(1.0, abs=1e-15)
    # equal halves at every level: i0 and i1 get 2**-20, i_k (k >= 1) gets 2**-(21 - k)
    assert w[0] == 2.0**-20
    x = np.linspace(0.05, 0.95, 21)
    table = {"community_id": ["a", "b"], **{f"i{k}": [x[k], 1 - x[k]] for k in range(21)}}
    result = rs.evaluate(system, table)
    s = np.where(np.arange(21) % 2 == 0, x, 1 - x)  # cost indicators score 1 - x
    order = [system.indicator_ids.index(f"i{k}") for k in range(21)]
    expected = 100 * float(np.dot(w[order], s))
    assert result.overall[0] == pytest.approx(expected, abs=1e-9)


def test_one_thousand_indicators_load_weight_and_score() -> None:
    dims = [
        {
            "id": f"d{d}",
            "name": {"en": f"dimension {d}", "zh": f"维度{d}"},
            "children": [_indicator(100 * d + k) for k in range(100)],
        }
        for d in range(10)
    ]
    goal = {"id": "goal", "name": {"en": "goal", "zh": "目标"}, "children": dims}
    system = rs.load_system(yaml.safe_dump(_system_doc(goal), allow_unicode=True))
    assert len(system.indicators) == 1000
    rng = np.random.default_rng(7)
    table: dict[str, Any] = {"community_id": [f"c{i}" for i in range(40)]}
    table.update({ind: rng.random(40) for ind in system.indicator_ids})
    data = rs.load_data(table, system)
    for method in (None, "entropy", "critic"):
        result = rs.evaluate(system, data, method)
        assert np.isfinite(result.overall).all()
        w = result.weights.indicator_weights()
        assert (w >= 0).all()
        assert math.fsum(w) == pytest.approx(1.0, abs=1e-12)


def _consistent(n: int, seed: int = 0, spread: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    w = np.exp(np.random.default_rng(seed).normal(0.0, spread, n))
    w /= w.sum()
    return w[:, None] / w[None, :], w


def test_thirty_by_thirty_judgements_through_a_panel() -> None:
    # A consistent 30x30 matrix a_ij = w_i / w_j must give back w (Saaty 1980: the principal
    # eigenvector of a consistent matrix is w); the RI table switch is recorded and warned.
    goal = {
        "id": "goal",
        "name": {"en": "goal", "zh": "目标"},
        "weighting": {"method": "ahp"},
        "children": [_indicator(i) for i in range(30)],
    }
    system = rs.load_system(_system_doc(goal))
    A, w = _consistent(30)
    labels = list(system.indicator_ids)
    panel = rs.load_panel(
        {
            "id": "p",
            "scale": "positive",
            "experts": [
                {"id": "e", "judgements": {"goal": {"labels": labels, "matrix": A.tolist()}}}
            ],
        },
        system,
    )
    with pytest.warns(RenoscoreWarning, match="does not reach n = 30"):
        weights = rs.derive_weights(system, panel)
    np.testing.assert_allclose(weights.local("goal")[labels[0]], w[0], rtol=1e-12)
    np.testing.assert_allclose([weights.local("goal")[k] for k in labels], w, rtol=1e-12)
    assert weights.nodes["goal"].cr == pytest.approx(0.0, abs=1e-12)
    assert weights.nodes["goal"].parameters["ri"] == "alonso_lamata2006"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (0.0, "strictly positive"),
        (-3.0, "strictly positive"),
        (math.nan, "NaN"),
        (math.inf, "infinite"),
    ],
)
def test_bad_judgements_in_a_thirty_by_thirty_stack_name_matrix_and_pair(
    value: float, reason: str
) -> None:
    A, _ = _consistent(30)
    stack = np.stack([A, A, A])
    stack[2, 17, 4] = value
    labels = [f"c{i}" for i in range(30)]
    error = _error(JudgementError, ahp.priorities, stack, labels=labels)
    located = [str(p) for p in error.problems]
    assert any("matrix (2,), pair (17, 4) 'c17' vs 'c4'" in s for s in located)
    assert any(reason in p.reason for p in error.problems)


def test_a_panel_judging_a_node_that_does_not_exist_is_refused_before_any_weight(
    mini: rs.IndicatorSystem,
) -> None:
    panel = rs.load_panel(
        PANEL.replace("      overall:\n        - [", "      overal:\n        - [")
    )
    problem = _only(PanelError, rs.derive_weights, mini, panel, method="ahp")
    assert problem.path == "experts[0].judgements.overal"
    assert problem.reason == "node 'overal' does not exist in system 'mini'"
    assert problem.fix == "did you mean 'overall'?"


def test_weights_for_a_different_system_are_refused_by_evaluate(
    mini: rs.IndicatorSystem,
) -> None:
    other = rs.default_system()
    weights = rs.derive_weights(other)
    error = _error(WeightsError, rs.evaluate, mini, random_table(mini, 2), weights)
    reasons = [p.reason for p in error.problems]
    assert "weights are for system 'old_community_renovation', not 'mini'" in reasons
    assert any(r.startswith("the indicators differ") for r in reasons)


def test_weights_for_a_same_named_system_with_another_tree(mini: rs.IndicatorSystem) -> None:
    doc = yaml.safe_load(MINI_YAML)
    doc["goal"]["children"][0]["children"].reverse()  # same ids, another order
    reordered = rs.load_system(doc)
    error = _error(
        WeightsError, rs.evaluate, reordered, random_table(reordered, 2), rs.derive_weights(mini)
    )
    assert any(p.path == "facilities" for p in error.problems)


# --------------------------------------------------------------------------- weights files
def _corrupt(mini: rs.IndicatorSystem, changes: dict[str, Any]) -> dict[str, Any]:
    doc = rs.derive_weights(mini).to_dict()
    doc["nodes"]["overall"].update(changes)
    return doc


@pytest.mark.parametrize(
    ("changes", "path", "reason"),
    [
        ({"local": [1.0]}, "nodes.overall.local", "1 local weights for 2 children"),
        ({"local": [math.nan, 1.0]}, "nodes.overall.local", "must be finite and non-negative"),
        ({"local": [-0.5, 1.5]}, "nodes.overall.local", "must be finite and non-negative"),
        ({"local": [math.inf, 0.0]}, "nodes.overall.local", "must be finite and non-negative"),
        ({"local": [0.5, 0.6]}, "nodes.overall.local", "sum to 1.1, not 1"),
        ({"node": "services"}, "nodes.overall.node", "filed under 'overall'"),
    ],
)
def test_corrupted_weights_files_are_refused(
    mini: rs.IndicatorSystem, changes: dict[str, Any], path: str, reason: str
) -> None:
    problem = _only(WeightsError, rs.load_weights, _corrupt(mini, changes), mini)
    assert problem.path == path
    assert reason in problem.reason


def test_a_weights_file_with_an_extra_root_is_refused(mini: rs.IndicatorSystem) -> None:
    # Before: an extra node above the goal halved every global weight, silently.
    doc = rs.derive_weights(mini).to_dict()
    doc["nodes"]["x"] = {
        "node": "x",
        "method": "equal",
        "children": ["overall", "y"],
        "local": [0.5, 0.5],
    }
    problem = _only(WeightsError, rs.load_weights, doc)
    assert problem.path == "nodes.x.children"
    assert problem.reason == "'y' is neither a node with weights nor one of the indicator_ids"


def test_a_weights_file_with_two_roots_is_refused(mini: rs.IndicatorSystem) -> None:
    doc = rs.derive_weights(mini).to_dict()
    doc["nodes"]["services"]["children"] = ["s_dist"]
    doc["nodes"]["services"]["local"] = [1.0]
    doc["nodes"]["x"] = {"node": "x", "method": "equal", "children": ["s_sat"], "local": [1.0]}
    problem = _only(WeightsError, rs.load_weights, doc)
    assert problem.path == "nodes"
    assert problem.reason == "the nodes form 2 trees (roots ['overall', 'x']), not one"


def test_a_weights_file_with_a_stray_node_does_not_fit(mini: rs.IndicatorSystem) -> None:
    doc = rs.derive_weights(mini).to_dict()
    doc["nodes"]["x"] = {"node": "x", "method": "equal", "children": ["x"], "local": [1.0]}
    problem = _only(WeightsError, rs.load_weights, doc, mini)
    assert problem.path == "x"
    assert problem.reason == "weights for 'x', which is not a group of system 'mini'"


# --------------------------------------------------------------------------- numbers in YAML
def test_goalposts_beyond_1e300_are_refused_at_their_line() -> None:
    # Before: floor -1e308, target 1e308 overflowed target - floor and scored 0 and NaN.
    text = MINI_YAML.replace(
        "goalposts: {floor: 1500, target: 300}", "goalposts: {floor: 1.7e308, target: -1.7e308}"
    )
    text = text.replace("range: [0, 10000]", "range: [null, null]").replace(
        "kind: distance_m", "kind: continuous"
    )
    error = _error(IndicatorSystemError, rs.load_system, text)
    paths = {p.path for p in error.problems}
    assert paths == {
        "goal.children[1].children[0].goalposts.floor",
        "goal.children[1].children[0].goalposts.target",
    }
    assert all(p.line == 44 for p in error.problems)
    assert all("beyond the largest accepted magnitude 1e300" in p.reason for p in error.problems)


def test_fixed_weights_beyond_1e300_are_refused() -> None:
    # Before: weights of 1e308 and 1e308 summed to inf and normalised to 0 and 0.
    text = MINI_YAML.replace(
        "weights: {facilities: 3, services: 2}", "weights: {facilities: 1e308, services: 1e308}"
    )
    error = _error(IndicatorSystemError, rs.load_system, text)
    assert {p.path for p in error.problems} == {
        "goal.weighting.weights.facilities",
        "goal.weighting.weights.services",
    }


def test_a_400_digit_integer_is_described_not_crashed_on() -> None:
    """fuzz finding: OverflowError rendering the error for a huge integer (system.py)."""
    text = MINI_YAML.replace("floor: 0.3, target: 1.0", "floor: 0.3, target: " + "9" * 400)
    problem = _only(IndicatorSystemError, rs.load_system, text)
    assert problem.path == "goal.children[0].children[0].goalposts.target"
    assert problem.line == 21
    assert "(400 digits)" in problem.reason
    assert len(str(problem)) < 400


@pytest.mark.parametrize("value", ["9" * 400, '"1e10000000"', '"1/' + "7" * 5000 + '"'])
def test_huge_judgements_are_refused_quickly(mini: rs.IndicatorSystem, value: str) -> None:
    """fuzz finding: OverflowError on a 400-digit judgement; Fraction('1e10000000') took 8 s."""
    text = PANEL.replace("- [facilities, services, 3]", f"- [facilities, services, {value}]")
    problem = _only(PanelError, rs.load_panel, text, mini)
    assert problem.line == 11
    assert problem.path == "experts[0].judgements.overall[0]"
    assert "finite positive number" in problem.reason or "not '" in problem.reason


def test_group_weights_near_the_float_limit_equal_equal_weights(mini: rs.IndicatorSystem) -> None:
    # Before: two groups of weight 1.7e308 summed to inf, and every judgement got weight 0.
    huge = PANEL.replace("weight: 2}", "weight: 1.7e308}").replace(
        "zh: 居民}}", "zh: 居民}, weight: 1.7e308}"
    )
    equal = PANEL.replace("weight: 2}", "weight: 1}")
    for method in ("aij", "aip"):
        a = rs.derive_weights(mini, rs.load_panel(huge, mini), group_method=method)  # type: ignore[arg-type]
        b = rs.derive_weights(mini, rs.load_panel(equal, mini), group_method=method)  # type: ignore[arg-type]
        np.testing.assert_allclose(
            a.local("overall")["facilities"], b.local("overall")["facilities"], rtol=1e-12
        )
        assert a.local("overall")["facilities"] != 0.5


# --------------------------------------------------------------------------- numerical robustness
DATA_METHODS = {
    "entropy_sum": lambda X: objective.entropy(X),
    "entropy_minmax": lambda X: objective.entropy(X, "minmax"),
    "critic": lambda X: objective.critic(X),
    "sd_minmax": lambda X: objective.standard_deviation(X),
    "sd_none": lambda X: objective.standard_deviation(X, normalization="none"),
    "cv": lambda X: objective.coefficient_of_variation(X),
}


@pytest.mark.parametrize("method", sorted(DATA_METHODS))
@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e-12, 1e12, 1e150, 1e300, 1.5e307])
def test_data_weights_do_not_depend_on_the_unit(method: str, scale: float) -> None:
    # Every method here is invariant to multiplying the data by a positive constant (Zeleny 1982
    # and Xu 2004 for entropy on p = u / sum u; Diakoulaki et al. 1995 for CRITIC on min-max
    # rescaled data; sigma / |mean| for CV). Before the fix CRITIC failed beyond 1e150.
    rng = np.random.default_rng(11)
    X = rng.random((40, 5)) + 0.5
    X[:, 2] **= 3
    func = DATA_METHODS[method]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        np.testing.assert_allclose(func(X * scale), func(X), rtol=0, atol=1e-12)


def test_columns_spanning_1e_minus_12_to_1e12_keep_their_weights() -> None:
    rng = np.random.default_rng(12)
    X = rng.random((50, 4)) + 0.5
    Y = X * np.array([1e-12, 1.0, 1e6, 1e12])
    for func in DATA_METHODS.values():
        if func is DATA_METHODS["sd_none"]:
            continue  # raw standard deviations are unit-dependent by definition
        np.testing.assert_allclose(func(Y), func(X), rtol=0, atol=1e-12)


def test_goalpost_scores_for_columns_spanning_1e_minus_12_to_1e12() -> None:
    spans = [(1e-12, 2e-12), (0.0, 1.0), (1e6, 3e6), (1e12, 5e12)]
    children = []
    for k, (floor, target) in enumerate(spans):
        ind = _indicator(k)
        ind.update(
            kind="continuous",
            direction="benefit",
            range=[None, None],
            goalposts={"floor": floor, "target": target},
        )
        children.append(ind)
    system = rs.load_system(
        _system_doc({"id": "g", "name": {"en": "g", "zh": "g"}, "children": children})
    )
    t = np.array([0.0, 0.25, 0.5, 1.0, 1.5])
    table = {"community_id": [f"c{i}" for i in range(5)]}
    for k, (floor, target) in enumerate(spans):
        table[f"i{k}"] = floor + t * (target - floor)
    result = rs.evaluate(system, table)
    expected = 100 * np.clip(t, 0, 1)
    for k in range(4):
        np.testing.assert_allclose(result.indicator_scores[:, k], expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.overall, expected, rtol=0, atol=1e-9)


def test_values_near_the_float_limit_in_an_open_column_score_correctly() -> None:
    ind = _indicator(0)
    ind.update(kind="continuous", range=[None, None], goalposts={"floor": -1e300, "target": 1e300})
    system = rs.load_system(
        _system_doc({"id": "g", "name": {"en": "g", "zh": "g"}, "children": [ind, _indicator(1)]})
    )
    table = {"community_id": ["lo", "mid", "hi"], "i0": [-1e300, 0.0, 1e300], "i1": [0.2, 0.5, 0.8]}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = rs.evaluate(system, table)
    np.testing.assert_allclose(result.indicator_scores[:, 0], [0.0, 50.0, 100.0], atol=1e-9)


@pytest.mark.parametrize("method", list(ahp.PRIORITY_METHODS))
@pytest.mark.parametrize("spread", [1e-6, 1.0, 20.0, 100.0])
def test_consistent_matrices_give_back_their_weights(method: str, spread: float) -> None:
    # For a consistent matrix a_ij = w_i / w_j every method returns w exactly (Saaty 1980;
    # Crawford & Williams 1985), whatever the spread of w (here up to ratios of e**400).
    A, w = _consistent(7, seed=3, spread=spread)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = ahp.priorities(A, method)
        cons = ahp.consistency(A, method=method)
    np.testing.assert_allclose(got, w, rtol=1e-9, atol=0)
    assert abs(float(cons.cr)) < 1e-9


@pytest.mark.parametrize("eps", [1e-15, 1e-12, 1e-9])
def test_nearly_consistent_matrices_have_nearly_zero_cr(eps: float) -> None:
    # Perturbing log a_ij by eps moves lambda_max by O(eps^2) (Saaty 1980, lambda_max >= n with
    # equality only when consistent): CR stays >= 0 and below eps.
    A, w = _consistent(8, seed=4)
    E = np.triu(np.random.default_rng(5).normal(0.0, eps, (8, 8)), 1)
    B = A * np.exp(E - E.T)
    cons = ahp.consistency(B)
    assert -1e-13 <= float(cons.cr) < max(eps, 1e-13)
    np.testing.assert_allclose(cons.priorities, w, rtol=10 * eps + 1e-13)


@pytest.mark.parametrize("ratio", [1e100, 1e155, 1e300])
def test_extreme_ratios_give_finite_priorities_without_warnings(ratio: float) -> None:
    A = np.ones((4, 4))
    A[0, 1], A[1, 0] = ratio, 1 / ratio
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for method in ahp.PRIORITY_METHODS:
            w = ahp.priorities(A, method)
            assert np.isfinite(w).all()
            assert math.fsum(w) == pytest.approx(1.0, abs=1e-12)
        cons = ahp.consistency(A)
    # lambda_max of this matrix grows like 2**(1/3) * ratio**(1/3) (checked against LAPACK)
    expected = float(np.linalg.eigvals(A).real.max())
    assert float(cons.lambda_max) == pytest.approx(expected, rel=1e-9)


# --------------------------------------------------------------------------- data cells
# Cells that test_data.py does not cover: in-memory sources, Unicode punctuation, magnitudes.
def _open_system() -> rs.IndicatorSystem:
    text = MINI_YAML.replace("range: [0, 10000]", "range: [null, null]").replace(
        "kind: distance_m", "kind: continuous"
    )
    return rs.load_system(text)


def _with_cell(system: rs.IndicatorSystem, value: Any, column: str = "s_dist") -> dict[str, Any]:
    table = random_table(system, 2, seed=1)
    cells = list(table[column])
    cells[0] = value
    table[column] = cells
    return table


def test_a_huge_integer_cell_is_a_data_error() -> None:
    """fuzz finding: OverflowError from float() on a 401-digit integer in a list of records."""
    system = _open_system()
    problem = _only(DataValidationError, rs.load_data, _with_cell(system, 10**400), system)
    assert (problem.row, problem.column, problem.community_id) == (1, "s_dist", "c00000")
    assert "beyond" in problem.reason or "overflows" in problem.reason


@pytest.mark.parametrize("value", ["-1e301", "1.7e308", 1.7e308, np.float64(-5e300)])
def test_values_beyond_1e300_are_refused(value: Any) -> None:
    # Before: min-max over 1.7e308 and -1.7e308 overflowed max - min and scored NaN.
    system = _open_system()
    problem = _only(DataValidationError, rs.load_data, _with_cell(system, value), system)
    assert (problem.row, problem.column) == (1, "s_dist")
    assert "1e300" in problem.reason


@pytest.mark.parametrize(
    ("text", "value"),
    [("１．５", 1.5), ("－５００", -500.0), ("＋５００", 500.0), ("５００．０", 500.0)],
)
def test_full_width_numbers_are_read(text: str, value: float) -> None:
    # Full-width digits, point and signs (as typed with a Chinese input method) are
    # unambiguous: NFKC maps them to ASCII. Full-width comma stays ambiguous (test_data.py).
    system = _open_system()
    assert rs.load_data(_with_cell(system, text), system).column("s_dist")[0] == value


@pytest.mark.parametrize("text", ["1 000", "1\u00a0000", "1\u2009000", "1\u3000000"])
def test_a_space_inside_a_number_is_named_as_a_separator(text: str) -> None:
    system = _open_system()
    problem = _only(DataValidationError, rs.load_data, _with_cell(system, text), system)
    assert problem.reason.startswith("a separator inside a number is ambiguous")


def test_bytes_cells_are_read_as_utf8_text() -> None:
    system = _open_system()
    assert rs.load_data(_with_cell(system, b"500"), system).column("s_dist")[0] == 500.0
    problem = _only(DataValidationError, rs.load_data, _with_cell(system, b"\xff"), system)
    assert (problem.row, problem.column) == (1, "s_dist")
    assert "UTF-8" in problem.reason


@pytest.mark.parametrize("bad", [[1], {"a": 1}, b"\xff"])
def test_an_id_that_is_not_text_or_a_number_is_refused(mini: rs.IndicatorSystem, bad: Any) -> None:
    table = random_table(mini, 2)
    table["community_id"] = [bad, "b"]
    problem = _only(DataValidationError, rs.load_data, table, mini)
    assert (problem.row, problem.column) == (1, "community_id")


# --------------------------------------------------------------------------- numeric core
def test_minmax_of_a_column_spanning_the_float_range_is_finite() -> None:
    from renoscore import normalize

    # Found by this suite: max - min overflowed and the maximum scored NaN (fixed in c2e2829).
    X = np.array([[1.7e308, 0.5], [-1.7e308, 0.2], [0.0, 0.9]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        warnings.simplefilter("error", RuntimeWarning)
        S = normalize.minmax(X, ["benefit", "benefit"])
    np.testing.assert_allclose(S[:, 0], [1.0, 0.0, 0.5], atol=1e-12)


def test_fuzzy_row_with_nothing_applicable() -> None:
    ind = _indicator(0)
    ind["phases"] = ["t1"]
    system = rs.load_system(
        _system_doc({"id": "g", "name": {"en": "g", "zh": "g"}, "children": [ind]})
    )
    table = {"community_id": ["a", "b"], "phase": ["t0", "t1"], "i0": ["", 0.5]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        warnings.simplefilter("error", RuntimeWarning)
        result = rs.evaluate(system, table, aggregation="fuzzy", min_coverage=0.0)
    assert np.isnan(result.overall[0])
    # t0 measures no indicator of the system: a progress check with nothing to show.
    assert result.reasons[0] == "progress check: t0 measures no dimension"
    assert result.overall[1] == pytest.approx(50.0)


@pytest.mark.parametrize(
    "cell", [math.nan, math.inf, b"bytes", {"a": 1}, np.datetime64("2024-01-02"), np.int64(7)]
)
def test_context_cells_of_any_kind_survive_json(mini: rs.IndicatorSystem, cell: Any) -> None:
    """fuzz finding: a NaN in a context column made result.to_json() raise ValueError."""
    import datetime

    table = random_table(mini, 3)
    table["district"] = ["金水区", cell, datetime.date(2024, 1, 2)]
    result = rs.evaluate(mini, table)
    again = rs.EvaluationResult.from_json(result.to_json())
    assert again.ids == result.ids
    assert again.context["district"][0] == "金水区"
    np.testing.assert_array_equal(again.group_scores, result.group_scores)


def test_a_table_of_garbage_keeps_the_first_problems_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """Before: 100,000 rows of 'x' built 3.9 million problems (54 s, 1.5 GB)."""
    from renoscore.data import MAX_PROBLEMS

    system = rs.default_system()
    path = tmp_path / "garbage.csv"
    row = ",".join(["x"] * len(system.indicator_ids))
    body = "".join(f"c{i},{row}\n" for i in range(12_000))
    path.write_text("community_id," + ",".join(system.indicator_ids) + "\n" + body)
    tracemalloc.start()
    try:
        error = _error(DataValidationError, rs.load_data, path, system)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(error.problems) == MAX_PROBLEMS + 1
    first, last = error.problems[0], error.problems[-1]
    assert (first.row, first.line, first.reason) == (1, 2, "not a number")
    assert last.reason.startswith("... and ")
    assert "not checked cell by cell" in last.reason
    assert peak < 400_000_000


def test_fifty_thousand_unknown_columns_are_context_and_a_misspelt_id_is_named(
    tmp_path: Path, mini: rs.IndicatorSystem
) -> None:
    """Before: each extra column went through difflib and a list lookup (20 s)."""
    extra = [f"survey_item_{i}" for i in range(50_000)]
    header = ["community_id", "f_a", "F_B", "s_dist", "s_sat", *extra]
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(header) + "\n" + ",".join(["LY", "0.5", "1", "800", "3"] + ["1"] * 50_000) + "\n"
    )
    error = _error(DataValidationError, rs.load_data, path, mini)
    reasons = {p.reason: p for p in error.problems}
    assert reasons["unknown column 'F_B'"].fix == "did you mean 'f_b'?"
    assert reasons["indicator column 'f_b' is missing"].line == 1
    assert len(error.problems) == 2


def test_unknown_phases_on_many_rows_are_each_named(mini: rs.IndicatorSystem) -> None:
    table = random_table(mini, 3_000)
    table["phase"] = ["T1"] * 3_000
    error = _error(DataValidationError, rs.load_data, table, mini)
    assert len(error.problems) == 3_000
    assert {p.fix for p in error.problems} == {"did you mean 't1'?"}
    assert [p.row for p in error.problems[:3]] == [1, 2, 3]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.longdouble, np.int8, np.uint64])
def test_numeric_context_columns_of_any_width_survive_json(
    mini: rs.IndicatorSystem, dtype: Any
) -> None:
    """Found by a random sweep of in-memory cells: a longdouble column broke to_json."""
    table = random_table(mini, 3)
    table["households"] = np.array([38, 52, 0], dtype=dtype)
    result = rs.evaluate(mini, table)
    again = rs.EvaluationResult.from_json(result.to_json())
    assert again.context["households"] == (38, 52, 0)


def test_judgements_that_cannot_be_completed_name_the_expert_and_node() -> None:
    # Two experts each leave a child of dim_a unconnected: a comparison graph that is not
    # connected cannot be completed (Harker 1987; Bozoki, Fulop & Ronyai 2010).
    doc = yaml.safe_load(MINI_YAML)
    services = doc["goal"]["children"][1]
    services["weighting"] = {"method": "ahp"}
    services["children"].append(dict(services["children"][1], id="s_extra"))
    system = rs.load_system(doc)
    panel = rs.load_panel(
        {
            "id": "p",
            "experts": [
                {"id": "e1", "judgements": {"services": [["s_dist", "s_sat", 3]]}},
                {"id": "e2", "judgements": {"services": [["s_sat", "s_extra", 2]]}},
            ],
        },
        system,
    )
    error = _error(PanelError, rs.derive_weights, system, panel)
    assert [p.path for p in error.problems] == [
        "experts[0].judgements.services",
        "experts[1].judgements.services",
    ]
    assert error.problems[0].reason.startswith("expert 'e1' at 'services': the comparison graph")
    assert "{s_dist, s_sat} | {s_extra}" in error.problems[0].reason
    assert (
        error.problems[1].fix
        == "add at least one judgement linking the groups, e.g. s_dist vs s_sat"
    )


def test_goalposts_a_subnormal_span_apart_score_correctly() -> None:
    """Found by test_properties: goalposts 0 and 5e-324 overflowed 1 / (target - floor)."""
    system = rs.load_system(
        MINI_YAML.replace(
            "goalposts: {floor: 0.3, target: 1.0}", "goalposts: {floor: 0, target: 5e-324}"
        )
    )
    table = {
        "community_id": ["a", "b", "c"],
        "f_a": [0.0, 5e-324, 0.7],
        "f_b": [0, 1, 1],
        "s_dist": [500, 600, 700],
        "s_sat": [3, 4, 5],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = rs.evaluate(system, table)
        np.testing.assert_array_equal(result.indicator_scores[:, 0], [0.0, 100.0, 100.0])
