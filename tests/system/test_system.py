"""Tests of the indicator-system loader: every validation rule names the key, the line and the fix.

The shipped files' own round trips are in tests/test_shipped.py; here every shipped system is only
checked to load, and everything else uses a small system written inline.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from renoscore._validation import suggest
from renoscore.errors import IndicatorSystemError, Problem
from renoscore.system import (
    Group,
    Indicator,
    IndicatorSystem,
    available_systems,
    default_system,
    load_system,
    system_json_schema,
)
from renoscore.system.load import _schema_text

SCHEMA_FILE = (
    Path(__file__).resolve().parents[2] / "docs" / "schema" / "indicator-system.schema.json"
)

BASE = """\
id: mini
version: "1"
name: {en: Mini, zh: 迷你}
phases:
  - {id: t0, name: {en: before, zh: 改造前}}
  - {id: t1, name: {en: after, zh: 改造后}}
goal:
  id: goal
  name: {en: goal, zh: 目标}
  weighting:
    method: fixed
    weights: {dim_a: 2, dim_b: 1}
  children:
    - id: dim_a
      name: {en: A, zh: 甲}
      children:
        - id: a_ratio
          name: {en: ratio, zh: 比例}
          unit: share
          kind: ratio
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0, target: 1}
          supplier: government
          source: test
        - id: a_dist
          name: {en: distance, zh: 距离}
          unit: m
          kind: distance_m
          direction: cost
          range: [0, 5000]
          goalposts: {floor: 1000, target: 300}
          supplier: market
          source: test
    - id: dim_b
      name: {en: B, zh: 乙}
      weighting: {method: equal}
      children:
        - id: b_likert
          name: {en: likert, zh: 量表}
          unit: mean score
          kind: likert5
          direction: benefit
          range: [1, 5]
          goalposts: {floor: 1, target: 5}
          supplier: residents
          source: test
          phases: [t1]
"""


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(IndicatorSystemError) as info:
        load_system(text)
    return info.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def assert_problem(problem: Problem, *, line: int, path_end: str, reason: str, fix: str) -> None:
    assert problem.line == line, problem
    assert (problem.path or "").endswith(path_end), problem
    assert reason in problem.reason, problem
    assert fix in (problem.fix or ""), problem
    # and all of it reaches the message a researcher reads
    assert f"line {line}" in str(IndicatorSystemError("x", [problem]))


# --------------------------------------------------------------------------- shipped and basic
@pytest.mark.parametrize("name", available_systems())
def test_every_shipped_system_loads(name: str) -> None:
    system = load_system(name)
    assert system.indicators
    assert len(set(system.indicator_ids)) == len(system.indicator_ids)


def test_default_system_is_the_old_community_system() -> None:
    system = default_system()
    assert system.id == "old_community_renovation"
    assert system is default_system() or system == default_system()


def test_base_loads_and_navigates() -> None:
    system = load_system(BASE)
    assert system.indicator_ids == ("a_ratio", "a_dist", "b_likert")
    assert [d.id for d in system.dimensions] == ["dim_a", "dim_b"]
    assert system.path("a_dist") == ("goal", "dim_a", "a_dist")
    assert system.dimension_of("b_likert") == "dim_b"
    assert system.directions == ("benefit", "cost", "benefit")
    floor, target = system.goalpost_arrays()
    assert floor.tolist() == [0.0, 1000.0, 1.0]
    assert target.tolist() == [1.0, 300.0, 5.0]
    with pytest.raises(IndicatorSystemError, match="did you mean 'a_dist'"):
        system.node("a_dits")


def test_file_path_and_mapping_sources(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(BASE, encoding="utf-8")
    from_file = load_system(path)
    assert from_file == load_system(str(path)) == load_system(yaml.safe_load(BASE))
    assert load_system(from_file) is from_file
    # problems in a file name it
    path.write_text(edit("unit: share", "unti: share"), encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as info:
        load_system(path)
    assert info.value.problems[0].file == str(path)
    assert f"{path}:{line_of(BASE, 'unit: share')}" in str(info.value)


def test_a_missing_file_is_named() -> None:
    with pytest.raises(IndicatorSystemError) as exc:
        load_system("no_such_system.yaml")
    assert exc.value.summary == "indicator system file not found"
    (problem,) = exc.value.problems
    assert (problem.file, problem.reason) == ("no_such_system.yaml", "no such file")


def test_a_name_that_is_not_a_file_nor_shipped_is_named() -> None:
    with pytest.raises(IndicatorSystemError) as exc:
        load_system("xian_renovation")
    assert exc.value.summary == "unknown indicator system"
    assert exc.value.problems[0].reason == (
        "'xian_renovation' is not a file, nor the name of a shipped system"
    )


def test_a_data_table_given_as_the_system_says_so(tmp_path: Path) -> None:
    table = tmp_path / "communities.csv"
    table.write_text("community_id,phase\nLY,t0\n", encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as exc:
        load_system(str(table))
    assert exc.value.summary == "a data table where the indicator system belongs"
    (problem,) = exc.value.problems
    assert problem.file == str(table)
    assert problem.reason == "'communities.csv' is a CSV table, not an indicator system"


def test_suggest() -> None:
    assert suggest("unti", ["unit", "kind"]) == "did you mean 'unit'?"
    assert suggest("T1", ["t0", "t1"]) == "did you mean 't1'?"
    assert suggest("zzzz", ["unit"]) is None


# --------------------------------------------------------------------------- one test per rule
def test_unknown_key_with_did_you_mean() -> None:
    text = edit("          unit: share", "          unti: share")
    # the misspelt key is reported once, not also as a missing 'unit'
    assert_problem(
        only_problem(text),
        line=line_of(text, "unti:"),
        path_end="children[0].unti",
        reason="unknown key 'unti'",
        fix="did you mean 'unit'",
    )


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    text = edit("  weighting:\n    method: fixed", "  colour: red\n  weighting:\n    method: fixed")
    assert_problem(
        only_problem(text),
        line=line_of(text, "colour"),
        path_end="goal.colour",
        reason="unknown key 'colour'",
        fix="allowed keys here: id, name, description, weighting, min_applicable, children",
    )


def test_missing_key() -> None:
    text = edit("          supplier: market\n", "")
    assert_problem(
        only_problem(text),
        line=line_of(text, "id: a_dist"),
        path_end="children[1].supplier",
        reason="required key 'supplier' is missing",
        fix="add 'supplier: ...'",
    )


@pytest.mark.parametrize(
    ("bad_id", "fix"),
    [
        ("a ratio", "write 'a_ratio'"),
        ("A_ratio", "write 'a_ratio'"),
        ("比例", "keep the Chinese text in name.zh"),
        ("1ratio", "lower snake_case"),
        ("a__ratio", "write 'a_ratio'"),
    ],
)
def test_bad_id(bad_id: str, fix: str) -> None:
    text = edit("id: a_ratio", f"id: '{bad_id}'")
    assert_problem(
        only_problem(text),
        line=line_of(text, bad_id),
        path_end="children[0].id",
        reason=f"{bad_id!r} is not a valid id",
        fix=fix,
    )


def test_duplicate_id() -> None:
    text = edit("id: a_dist", "id: a_ratio")
    assert_problem(
        only_problem(text),
        line=line_of(text, "id: a_ratio", start=line_of(text, "id: a_ratio") + 1),
        path_end="children[1].id",
        reason="id 'a_ratio' is used twice (also at goal.children[0].children[0])",
        fix="unique",
    )


def test_duplicate_yaml_key() -> None:
    text = edit("          unit: share\n", "          unit: share\n          unit: percent\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, "unit: percent"),
        path_end="children[0].unit",
        reason=f"duplicate key 'unit' (first on line {line_of(text, 'unit: share')})",
        fix="remove or rename",
    )


def test_goalposts_outside_range() -> None:
    text = edit("goalposts: {floor: 0, target: 1}", "goalposts: {floor: 0, target: 2}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "target: 2"),
        path_end="children[0].goalposts.target",
        reason="goalposts target 2 lies outside the range [0, 1]",
        fix="move the target inside the range",
    )


def test_goalposts_outside_range_on_block_lines() -> None:
    # with goalposts written as a block, the problem points at the offending key's own line
    text = edit(
        "goalposts: {floor: 1000, target: 300}",
        "goalposts:\n            floor: 9000\n            target: 300",
    )
    assert_problem(
        only_problem(text),
        line=line_of(text, "floor: 9000"),
        path_end="children[1].goalposts.floor",
        reason="goalposts floor 9000 lies outside the range [0, 5000]",
        fix="move the floor inside the range",
    )


def test_benefit_goalposts_reversed() -> None:
    text = edit("goalposts: {floor: 0, target: 1}", "goalposts: {floor: 1, target: 0}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "floor: 1, target: 0"),
        path_end="children[0].goalposts",
        reason="a benefit indicator needs floor < target (got floor 1, target 0)",
        fix="swap floor and target, or set direction: cost",
    )


def test_cost_goalposts_reversed() -> None:
    text = edit("goalposts: {floor: 1000, target: 300}", "goalposts: {floor: 300, target: 1000}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "floor: 300"),
        path_end="children[1].goalposts",
        reason="a cost indicator needs floor > target",
        fix="swap floor and target, or set direction: benefit",
    )


def test_floor_equal_to_target() -> None:
    text = edit("goalposts: {floor: 0, target: 1}", "goalposts: {floor: 0.5, target: 0.5}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "floor: 0.5"),
        path_end="children[0].goalposts",
        reason="goalposts floor and target are both 0.5",
        fix="they must differ",
    )


def test_ratio_range_beyond_unit_interval() -> None:
    text = edit("range: [0, 1]", "range: [0, 2]")
    assert_problem(
        only_problem(text),
        line=line_of(text, "range: [0, 2]"),
        path_end="children[0].range",
        reason="kind ratio needs a range inside [0, 1]; got [0, 2]",
        fix="set range: [0, 1]",
    )


def test_likert5_range() -> None:
    text = edit("range: [1, 5]", "range: [0, 5]")
    assert_problem(
        only_problem(text),
        line=line_of(text, "range: [0, 5]"),
        path_end="children[0].range",
        reason="kind likert5 needs a range inside [1, 5]",
        fix="set range: [1, 5]",
    )


def test_open_range_for_a_bounded_kind() -> None:
    text = edit("range: [0, 1]", "range: {min: 0}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "range: {min: 0}"),
        path_end="range",
        reason="got [0, open]",
        fix="set range: [0, 1]",
    )


def test_negative_range_for_distance() -> None:
    text = edit("range: [0, 5000]", "range: [-10, 5000]")
    assert_problem(
        only_problem(text),
        line=line_of(text, "range: [-10, 5000]"),
        path_end="children[1].range",
        reason="kind distance_m cannot be negative, but the range is [-10, 5000]",
        fix="set the range min to 0",
    )


def test_range_min_above_max() -> None:
    text = edit("range: [0, 5000]", "range: [5000, 0]")
    problems = problems_of(text)
    assert any(
        p.line == line_of(text, "range: [5000, 0]")
        and "range min 5000 must be below max 0" in p.reason
        and p.fix
        for p in problems
    )


def test_range_of_three_values() -> None:
    text = edit("range: [0, 5000]", "range: [0, 1, 5000]")
    assert_problem(
        only_problem(text),
        line=line_of(text, "range: [0, 1, 5000]"),
        path_end="children[1].range",
        reason="a range is a pair [min, max]; got 3 values",
        fix="write range: [min, max]",
    )


def test_levels_on_a_non_ordinal_kind() -> None:
    text = edit(
        "          phases: [t1]\n",
        "          phases: [t1]\n          levels: {1: {en: a, zh: 甲}}\n",
    )
    assert_problem(
        only_problem(text),
        line=line_of(text, "levels:"),
        path_end="children[0].levels",
        reason="'levels' is only used with kind ordinal",
        fix="remove 'levels', or set kind: ordinal",
    )


def test_empty_children() -> None:
    text = edit(
        "      weighting: {method: equal}\n      children:\n        - id: b_likert",
        "      weighting: {method: equal}\n      children: []\n      spare:\n        - id: b_likert",
    )
    problems = problems_of(text)
    empty = [p for p in problems if "at least one child" in p.reason]
    assert len(empty) == 1
    assert_problem(
        empty[0],
        line=line_of(text, "children: []"),
        path_end="children[1].children",
        reason="a group needs at least one child",
        fix="add a child, or remove the empty group",
    )


def test_fixed_weights_not_covering_children() -> None:
    text = edit("weights: {dim_a: 2, dim_b: 1}", "weights: {dim_a: 2}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "weights: {dim_a: 2}"),
        path_end="goal.weighting.weights",
        reason="fixed weights do not cover children ['dim_b']",
        fix="give every child a weight",
    )


def test_fixed_weights_keyed_by_unknown_child() -> None:
    text = edit("weights: {dim_a: 2, dim_b: 1}", "weights:\n      dim_a: 2\n      dim_bb: 1")
    problems = problems_of(text)
    unknown = [p for p in problems if "not a child" in p.reason]
    assert len(unknown) == 1
    assert_problem(
        unknown[0],
        line=line_of(text, "dim_bb: 1"),
        path_end="weights.dim_bb",
        reason="fixed weight for 'dim_bb', which is not a child of 'goal'",
        fix="did you mean 'dim_b'",
    )


@pytest.mark.parametrize("value", ["0", "-1"])
def test_fixed_weights_non_positive(value: str) -> None:
    text = edit("weights: {dim_a: 2, dim_b: 1}", f"weights:\n      dim_a: 2\n      dim_b: {value}")
    assert_problem(
        only_problem(text),
        line=line_of(text, f"dim_b: {value}"),
        path_end="weights.dim_b",
        reason=f"fixed weight {value} for 'dim_b' is not positive",
        fix="positive weight",
    )


def test_fixed_weights_not_finite() -> None:
    text = edit("weights: {dim_a: 2, dim_b: 1}", "weights: {dim_a: 2, dim_b: .inf}")
    assert_problem(
        only_problem(text),
        line=line_of(text, ".inf"),
        path_end="weights.dim_b",
        reason="expected a finite number",
        fix="finite number",
    )


def test_fixed_method_without_weights() -> None:
    text = edit("    method: fixed\n    weights: {dim_a: 2, dim_b: 1}\n", "    method: fixed\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, "method: fixed"),
        path_end="goal.weighting.method",
        reason="fixed weights need 'weights'",
        fix="add weights: {child_id: weight, ...}",
    )


def test_weights_with_a_non_fixed_method() -> None:
    text = edit("method: fixed", "method: equal")
    assert_problem(
        only_problem(text),
        line=line_of(text, "weights:"),
        path_end="goal.weighting.weights",
        reason="'weights' is not used with method 'equal'",
        fix="remove 'weights', or set method: fixed",
    )


def test_combined_without_parts() -> None:
    text = edit(
        "    method: fixed\n    weights: {dim_a: 2, dim_b: 1}\n",
        "    method: combined\n    scope: indicators\n",
    )
    problems = problems_of(text)
    assert len(problems) == 2
    for problem, part in zip(problems, ("subjective", "objective"), strict=True):
        assert_problem(
            problem,
            line=line_of(text, "method: combined"),
            path_end="goal.weighting.method",
            reason=f"method 'combined' needs {part!r}",
            fix=f"add {part}:",
        )


def test_subjective_without_combined() -> None:
    text = edit("weighting: {method: equal}", "weighting: {method: equal, subjective: ahp}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "subjective: ahp"),
        path_end="children[1].weighting.subjective",
        reason="'subjective' is only used with method 'combined'",
        fix="set method: combined",
    )


def test_combined_with_fixed_subjective_uses_weights() -> None:
    text = edit(
        "    method: fixed\n",
        "    method: combined\n    subjective: fixed\n    objective: entropy\n    scope: indicators\n",
    )
    system = load_system(text)
    assert system.goal.weighting.weights == {"dim_a": 2.0, "dim_b": 1.0}
    assert system.goal.weighting.needs_data
    assert not system.goal.weighting.needs_panel


def test_unknown_method_suggests() -> None:
    text = edit("weighting: {method: equal}", "weighting: {method: entropi}")
    assert_problem(
        only_problem(text),
        line=line_of(text, "entropi"),
        path_end="children[1].weighting.method",
        reason="'entropi' is not one of: equal, fixed, ahp, entropy",
        fix="did you mean 'entropy'",
    )


def test_grade_bands_not_descending() -> None:
    grades = (
        "grades:\n"
        "  - {id: good, min: 60, name: {en: good, zh: 良}}\n"
        "  - {id: best, min: 85, name: {en: best, zh: 优}}\n"
        "  - {id: poor, min: 0, name: {en: poor, zh: 差}}\n"
    )
    text = edit("goal:\n", grades + "goal:\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, "grades:"),
        path_end="grades",
        reason="grade bands must be strictly descending by min; got ['60', '85', '0']",
        fix="list the best grade first",
    )


def test_last_grade_band_not_zero() -> None:
    grades = (
        "grades:\n"
        "  - {id: pass, min: 60, name: {en: pass, zh: 及格}}\n"
        "  - {id: fail, min: 10, name: {en: fail, zh: 不及格}}\n"
    )
    text = edit("goal:\n", grades + "goal:\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, "id: fail"),
        path_end="grades[1].min",
        reason="the lowest grade band must start at 0 (got 10)",
        fix="set min: 0 on the last band",
    )


def test_duplicate_phase_id() -> None:
    text = edit(
        "  - {id: t1, name: {en: after, zh: 改造后}}",
        "  - {id: t1, name: {en: after, zh: 改造后}}\n  - {id: t0, name: {en: again, zh: 又}}",
    )
    assert_problem(
        only_problem(text),
        line=line_of(text, "en: again"),
        path_end="phases[2].id",
        reason="phase id 't0' is used twice",
        fix="its own id",
    )


def test_undeclared_phase_on_an_indicator() -> None:
    text = edit("phases: [t1]", "phases:\n            - t1\n            - t2")
    assert_problem(
        only_problem(text),
        line=line_of(text, "- t2"),
        path_end="children[0].phases[1]",
        reason="phase 't2' is not declared in the system's phases",
        fix="declare it or use one of ['t0', 't1']",
    )


def test_data_driven_weights_over_group_children() -> None:
    text = edit("    method: fixed\n    weights: {dim_a: 2, dim_b: 1}\n", "    method: entropy\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, "weighting:"),
        path_end="goal.weighting.scope",
        reason="data-driven weights with scope 'children' need indicator children, but 'dim_a' "
        "is a group",
        fix="use scope: indicators",
    )
    fixed = edit("method: entropy\n", "method: entropy\n    scope: indicators\n", text)
    assert load_system(fixed).goal.weighting.scope == "indicators"


def test_every_problem_is_reported_at_once() -> None:
    text = edit("          unit: share", "          unti: share")
    text = edit("range: [0, 5000]", "range: [-10, 5000]", text)
    text = edit("phases: [t1]", "phases: [t9]", text)
    text = edit("weights: {dim_a: 2, dim_b: 1}", "weights: {dim_a: 2}", text)
    problems = problems_of(text)
    assert len(problems) == 4
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert {p.line for p in problems} == {
        line_of(text, "unti:"),
        line_of(text, "range: [-10"),
        line_of(text, "phases: [t9]"),
        line_of(text, "weights: {dim_a: 2}"),
    }


# --------------------------------------------------------------------------- malformed shapes
@pytest.mark.parametrize(
    ("old", "new", "needle", "reason", "fix"),
    [
        (
            "name: {en: Mini, zh: 迷你}",
            "name: x",
            "name: x",
            "expected a mapping",
            "name: {en: ..., zh: ...}",
        ),
        (
            "goalposts: {floor: 0, target: 1}",
            "goalposts: [0, 1]",
            "goalposts: [0, 1]",
            "got a list",
            "goalposts: {floor: ..., target: ...}",
        ),
        (
            "      weighting: {method: equal}\n      children:\n        - id: b_likert",
            "      weighting: {method: equal}\n      children: {}\n      x:\n        - id: b_likert",
            "children: {}",
            "expected a list, got a mapping",
            "YAML list",
        ),
        ("range: [0, 1]", "range: five", "range: five", "expected a mapping", "range"),
        ('version: "1"', "version: [1]", "version: [1]", "expected text, got a list", "write text"),
        (
            "kind: ratio",
            "kind: ratoi",
            "kind: ratoi",
            "'ratoi' is not one of",
            "did you mean 'ratio'",
        ),
        (
            "floor: 0, target: 1",
            "floor: zero, target: 1",
            "floor: zero",
            "expected a number",
            "plain number",
        ),
        ("floor: 0, target: 1", "floor: .nan, target: 1", "floor: .nan", "finite number", "finite"),
        (
            "          unit: share",
            "          unit: share\n          1: x",
            "1: x",
            "key 1 is not text",
            "keys are words",
        ),
        (
            "          unit: share",
            '          unit: ""',
            'unit: ""',
            "unit must not be empty",
            "write a unit such as m",
        ),
    ],
)
def test_malformed_values_never_leak_pydantic(
    old: str, new: str, needle: str, reason: str, fix: str
) -> None:
    text = edit(old, new)
    problems = problems_of(text)
    match = [p for p in problems if reason in p.reason]
    assert match, problems
    assert match[0].line == line_of(text, needle)
    assert match[0].fix is not None
    assert fix in match[0].fix


def test_goal_is_a_number() -> None:
    text = BASE.split("goal:\n")[0] + "goal: 5\n"
    assert_problem(
        only_problem(text),
        line=line_of(text, "goal: 5"),
        path_end="goal",
        reason="expected a mapping (key: value lines), got the number 5",
        fix="write goal: {id: ..., name: ..., children: ...}",
    )


@pytest.mark.parametrize("child", ["5", "[1, 2]", "just text"])
def test_a_child_that_is_not_a_mapping(child: str) -> None:
    text = edit("        - id: b_likert\n", f"        - {child}\n        - id: b_likert\n")
    assert_problem(
        only_problem(text),
        line=line_of(text, f"- {child}"),
        path_end="children[1].children[0]",
        reason="expected a mapping",
        fix="each child is a mapping: an indicator",
    )


def test_misspelt_children_is_read_as_a_group() -> None:
    # a node with neither 'children' nor indicator keys but a near miss of 'children' is a group
    # with a typo, not an indicator missing eight keys
    text = edit(
        "      weighting: {method: equal}\n      children:",
        "      weighting: {method: equal}\n      chidlren:",
    )
    text = edit("      weighting: {method: equal}\n", "", text)
    assert_problem(
        only_problem(text),
        line=line_of(text, "chidlren"),
        path_end="children[1].chidlren",
        reason="unknown key 'chidlren'",
        fix="did you mean 'children'",
    )


def test_union_errors_map_onto_the_yaml_path_of_nested_groups() -> None:
    # an error three groups deep lands on the right line and path, without union tags
    deep = edit(
        "    - id: dim_b\n      name: {en: B, zh: 乙}\n      weighting: {method: equal}\n      children:\n",
        "    - id: dim_b\n      name: {en: B, zh: 乙}\n      weighting: {method: equal}\n      children:\n"
        "        - id: sub_b\n          name: {en: sub, zh: 子}\n          children:\n",
    )
    deep = deep.replace("\n        - id: b_likert", "\n            - id: b_likert")
    lines = deep.splitlines()
    start = next(i for i, line in enumerate(lines) if "- id: b_likert" in line)
    for i in range(start + 1, len(lines)):
        lines[i] = "    " + lines[i]
    deep = "\n".join(lines) + "\n"
    assert load_system(deep).path("b_likert") == ("goal", "dim_b", "sub_b", "b_likert")
    text = edit("kind: likert5", "kind: likret5", deep)
    assert_problem(
        only_problem(text),
        line=line_of(text, "likret5"),
        path_end="goal.children[1].children[0].children[0].kind",
        reason="'likret5' is not one of",
        fix="did you mean 'likert5'",
    )
    assert "[indicator]" not in str(problems_of(text)[0])


@pytest.mark.parametrize("text", ["", "\n", "# nothing\n", "- a\n- b\n", "just words\nmore\n"])
def test_documents_that_are_not_mappings(text: str) -> None:
    problem = only_problem(text)
    assert "not a mapping" in problem.reason
    assert problem.line == 1
    assert problem.fix
    assert "id:" in problem.fix


def test_model_errors_from_python_stay_pydantic() -> None:
    # building models directly is the pydantic API; only the loaders translate
    with pytest.raises(ValidationError):
        IndicatorSystem.model_validate({"id": "x"})


# --------------------------------------------------------------------------- round trip
def test_round_trip_of_the_inline_system() -> None:
    system = load_system(BASE)
    again = load_system(system.to_yaml())
    assert again == system
    assert again.to_yaml() == system.to_yaml()


@pytest.mark.parametrize("name", available_systems())
def test_round_trip_of_shipped_systems_through_a_mapping(name: str) -> None:
    system = load_system(name)
    assert load_system(system.to_dict()) == system


# --------------------------------------------------------------------------- JSON schema
def test_json_schema_matches_the_committed_file() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == _schema_text()
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == system_json_schema()
    assert system_json_schema()["$schema"].endswith("2020-12/schema")


@pytest.mark.skipif(
    importlib.util.find_spec("jsonschema") is None, reason="jsonschema not installed"
)
@pytest.mark.parametrize("name", available_systems())
def test_json_schema_validates_shipped_yaml(name: str) -> None:
    import jsonschema

    from renoscore.system.load import shipped_yaml as _shipped_path

    validator = jsonschema.Draft202012Validator(system_json_schema())
    data = yaml.safe_load(_shipped_path(name).read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["goal"]["colour"] = "red"
    assert list(validator.iter_errors(data))


# --------------------------------------------------------------------------- property tests
_ids = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s != "")
_finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def _indicator(draw: st.DrawFn, node_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["ratio", "percent", "count", "likert5", "continuous", "ordinal"]))
    lo, hi = {"ratio": (0.0, 1.0), "percent": (0.0, 100.0), "likert5": (1.0, 5.0)}.get(
        kind, (None, None)
    )
    if lo is None:
        lo = 0.0 if kind in ("count", "ordinal") else draw(_finite)
        hi = lo + draw(st.floats(min_value=1e-3, max_value=1e6))
    a, b = sorted(
        draw(st.lists(st.floats(min_value=lo, max_value=hi), min_size=2, max_size=2, unique=True))
    )
    direction = draw(st.sampled_from(["benefit", "cost"]))
    floor, target = (a, b) if direction == "benefit" else (b, a)
    spec: dict[str, Any] = {
        "id": node_id,
        "name": {"en": draw(_text), "zh": draw(_text)},
        "unit": draw(_text),
        "kind": kind,
        "direction": direction,
        "range": [lo, hi],
        "goalposts": {"floor": floor, "target": target},
        "supplier": draw(st.sampled_from(["government", "market", "society", "residents"])),
        "source": draw(_text),
        "category": draw(st.sampled_from(["basic", "improvement", "upgrade", "none"])),
    }
    if draw(st.booleans()):
        spec["phases"] = draw(
            st.lists(st.sampled_from(["t0", "t1"]), min_size=1, max_size=2, unique=True)
        )
    if kind == "ordinal" and draw(st.booleans()):
        spec["levels"] = {
            int(lo): {"en": "low", "zh": "低"},
            int(lo) + 1: {"en": "high", "zh": "高"},
        }
        spec["range"] = [lo, max(hi, lo + 1)]
    if draw(st.booleans()):
        spec["description"] = draw(_text)
    return spec


@st.composite
def _tree(draw: st.DrawFn, depth: int, counter: list[int]) -> dict[str, Any]:
    counter[0] += 1
    node_id = f"g{counter[0]}_{draw(_ids)}"
    n = draw(st.integers(min_value=1, max_value=3))
    children: list[dict[str, Any]] = []
    for _ in range(n):
        counter[0] += 1
        if depth > 1 and draw(st.booleans()):
            children.append(draw(_tree(depth - 1, counter)))
        else:
            children.append(draw(_indicator(f"i{counter[0]}_{draw(_ids)}")))
    group: dict[str, Any] = {
        "id": node_id,
        "name": {"en": draw(_text), "zh": draw(_text)},
        "children": children,
    }
    method = draw(st.sampled_from(["equal", "fixed", "ahp", "entropy"]))
    if method == "fixed":
        group["weighting"] = {
            "method": "fixed",
            "weights": {c["id"]: draw(st.floats(min_value=1e-3, max_value=1e3)) for c in children},
        }
    elif method == "entropy":
        group["weighting"] = {"method": "entropy", "scope": "indicators"}
    else:
        group["weighting"] = {"method": method}
    return group


@st.composite
def _systems(draw: st.DrawFn) -> dict[str, Any]:
    depth = draw(st.integers(min_value=1, max_value=4))
    return {
        "id": "generated",
        "version": draw(st.sampled_from(["1", "1.0", "2024-01-01", "v2"])),
        "name": {"en": draw(_text), "zh": draw(_text)},
        "goal": draw(_tree(depth, [0])),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_systems())
def test_generated_systems_round_trip_through_yaml(spec: dict[str, Any]) -> None:
    system = load_system(spec)
    text = system.to_yaml()
    again = load_system(text)
    assert again == system
    assert again.indicator_ids == system.indicator_ids
    for a, b in zip(again.indicators, system.indicators, strict=True):
        assert (a.goalposts.floor, a.goalposts.target) == (b.goalposts.floor, b.goalposts.target)
    assert all(isinstance(n, (Group, Indicator)) for n in again.nodes)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["id", "unti", "children", "x"]), st.integers(), max_size=2),
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            out += _paths(value, (*prefix, index))
    return out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_corrupted_value_gives_an_indicator_system_error(data: st.DataObject) -> None:
    doc = yaml.safe_load(BASE)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = data.draw(_JUNK)
        except (KeyError, IndexError, TypeError):
            continue
    for source in (doc, yaml.safe_dump(doc, allow_unicode=True)):
        error: IndicatorSystemError | None = None
        try:
            load_system(source)
        except IndicatorSystemError as exc:  # anything else fails the test
            error = exc
        if error is not None:
            assert error.problems
            assert all(p.reason for p in error.problems)
