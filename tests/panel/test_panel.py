"""Tests of expert panels: both judgement forms, every panel rule, and the fit to a system."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.errors import JudgementError, PanelError, Problem
from renoscore.panel import Expert, FullMatrix, Panel, example_panel, load_panel
from renoscore.system import default_system, load_system

SYSTEM = """\
id: mini
version: "1"
name: {en: Mini, zh: 迷你}
goal:
  id: goal
  name: {en: goal, zh: 目标}
  weighting: {method: ahp}
  children:
    - id: dim_a
      name: {en: A, zh: 甲}
      weighting: {method: ahp}
      children:
        - {id: a_one, name: {en: one, zh: 一}, unit: share, kind: ratio, direction: benefit,
           range: [0, 1], goalposts: {floor: 0, target: 1}, supplier: government, source: t}
        - {id: a_two, name: {en: two, zh: 二}, unit: share, kind: ratio, direction: benefit,
           range: [0, 1], goalposts: {floor: 0, target: 1}, supplier: market, source: t}
        - {id: a_three, name: {en: three, zh: 三}, unit: share, kind: ratio, direction: benefit,
           range: [0, 1], goalposts: {floor: 0, target: 1}, supplier: society, source: t}
    - id: dim_b
      name: {en: B, zh: 乙}
      children:
        - {id: b_one, name: {en: one, zh: 一}, unit: share, kind: ratio, direction: benefit,
           range: [0, 1], goalposts: {floor: 0, target: 1}, supplier: residents, source: t}
"""

BASE = """\
id: mini_panel
system: mini
groups:
  - {id: gov, name: {en: government, zh: 政府}, weight: 2}
  - {id: res, name: {en: residents, zh: 居民}}
experts:
  - id: e1
    group: gov
    judgements:
      goal:
        - [dim_a, dim_b, "1/3"]
      dim_a:
        - [a_one, a_two, 3]
        - [a_one, a_three, 5]
        - [a_two, a_three, 2]
  - id: e2
    group: res
    judgements:
      goal:
        - [dim_b, dim_a, 3]
      dim_a:
        labels: [a_one, a_two, a_three]
        matrix:
          - [1, 3, 5]
          - [1/3, 1, 2]
          - [1/5, 1/2, 1]
"""


@pytest.fixture(scope="module")
def system() -> object:
    return load_system(SYSTEM)


def line_of(text: str, needle: str, start: int = 1) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def only_problem(text: str, system: object = None) -> Problem:
    with pytest.raises(PanelError) as info:
        load_panel(text, system)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


def check(problem: Problem, *, line: int, path_end: str, reason: str, fix: str) -> None:
    assert problem.line == line, problem
    assert (problem.path or "").endswith(path_end), problem
    assert reason in problem.reason, problem
    assert fix in (problem.fix or ""), problem


# --------------------------------------------------------------------------- both forms
def test_pairs_and_full_matrix_give_the_same_matrices(system: object) -> None:
    panel = load_panel(BASE, system)  # type: ignore[arg-type]
    labels = ["a_one", "a_two", "a_three"]
    mats = panel.matrices("dim_a", labels)
    expected = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    np.testing.assert_allclose(mats[0], expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(mats[1], expected, rtol=0, atol=1e-15)
    # a pair given in reverse order with a whole number, and one with "1/3", agree
    goal = panel.matrices("goal", ["dim_a", "dim_b"])
    np.testing.assert_allclose(goal[0], goal[1])
    assert goal[0, 0, 1] == pytest.approx(1 / 3)
    assert goal[0, 1, 0] == pytest.approx(3.0)


def test_matrices_follow_the_given_label_order(system: object) -> None:
    panel = load_panel(BASE, system)  # type: ignore[arg-type]
    forward = panel.matrices("dim_a", ["a_one", "a_two", "a_three"])
    backward = panel.matrices("dim_a", ["a_three", "a_two", "a_one"])
    np.testing.assert_allclose(backward, forward[:, ::-1, ::-1])


def test_missing_comparisons_are_nan_and_unjudged_nodes_all_nan() -> None:
    text = edit("        - [a_one, a_three, 5]\n", "")
    text = edit(
        "          - [1, 3, 5]\n          - [1/3, 1, 2]\n          - [1/5, 1/2, 1]",
        "          - [1, 3, null]\n          - [1/3, 1, 2]\n          - [null, 1/2, 1]",
        text,
    )
    panel = load_panel(text)
    mats = panel.matrices("dim_a", ["a_one", "a_two", "a_three"])
    assert np.isnan(mats[:, 0, 2]).all()
    assert np.isnan(mats[:, 2, 0]).all()
    assert mats[0, 0, 1] == 3.0
    np.testing.assert_array_equal(np.diagonal(mats, axis1=1, axis2=2), 1.0)
    other = panel.matrices("dim_b", ["b_one", "b_two"])
    assert np.isnan(other[:, 0, 1]).all()


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ('"1/3"', 1 / 3),
        ("1/3", 1 / 3),
        ('" 1 / 7 "', 1 / 7),
        ('"0.5"', 0.5),
        ("2", 2.0),
        ('"9"', 9.0),
    ],
)
def test_fraction_and_number_spellings(written: str, value: float) -> None:
    panel = load_panel(edit('[dim_a, dim_b, "1/3"]', f"[dim_a, dim_b, {written}]"))
    assert panel.matrices("goal", ["dim_a", "dim_b"])[0, 0, 1] == pytest.approx(value, rel=1e-15)


def test_panel_accessors(system: object) -> None:
    panel = load_panel(BASE, system)  # type: ignore[arg-type]
    assert panel.nodes == ("goal", "dim_a")
    assert panel.expert_groups == ("gov", "res")
    assert panel.group_weight("gov") == 2.0
    assert panel.group_weight("res") == 1.0
    assert panel.group_weight(None) == 1.0
    assert isinstance(panel.experts[1].judgements["dim_a"], FullMatrix)


def test_sources_agree(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "panel.yaml"
    path.write_text(BASE, encoding="utf-8")
    from_text = load_panel(BASE)
    assert load_panel(path) == from_text
    assert load_panel(str(path)) == from_text
    assert load_panel(yaml.safe_load(BASE)) == from_text
    assert load_panel(from_text) is from_text


def test_shipped_example_panel_fits_the_default_system() -> None:
    panel = example_panel()
    panel.check_against(default_system())
    assert load_panel("panel_example", default_system()) == panel


def test_panel_error_is_a_judgement_error() -> None:
    with pytest.raises(JudgementError):
        load_panel("id: p\nexperts: []\n")


# --------------------------------------------------------------------------- panel rules
def test_duplicate_pair() -> None:
    text = edit(
        '        - [dim_a, dim_b, "1/3"]\n',
        '        - [dim_a, dim_b, "1/3"]\n        - [dim_b, dim_a, 3]\n',
    )
    check(
        only_problem(text),
        line=line_of(text, "[dim_b, dim_a, 3]"),
        path_end="experts[0].judgements.goal[1]",
        reason="pair dim_b vs dim_a = 3 repeats item 0 (dim_a vs dim_b = 0.333333)",
        fix="give each pair once",
    )


def test_contradictory_pair() -> None:
    text = edit(
        '        - [dim_a, dim_b, "1/3"]\n',
        '        - [dim_a, dim_b, "1/3"]\n        - [dim_b, dim_a, 5]\n',
    )
    check(
        only_problem(text),
        line=line_of(text, "[dim_b, dim_a, 5]"),
        path_end="experts[0].judgements.goal[1]",
        reason="pair dim_b vs dim_a = 5 contradicts item 0",
        fix="give each pair once",
    )


def test_self_pair() -> None:
    text = edit("- [a_two, a_three, 2]", "- [a_two, a_two, 1]")
    check(
        only_problem(text),
        line=line_of(text, "[a_two, a_two, 1]"),
        path_end="experts[0].judgements.dim_a[2]",
        reason="'a_two' is compared with itself",
        fix="the diagonal is 1",
    )


@pytest.mark.parametrize("value", ["12", '"1/10"'])
def test_value_outside_saaty_scale(value: str) -> None:
    text = edit("- [dim_b, dim_a, 3]", f"- [dim_b, dim_a, {value}]")
    check(
        only_problem(text),
        line=line_of(text, f"[dim_b, dim_a, {value}]"),
        path_end="experts[1].judgements.goal[0]",
        reason="is outside Saaty's scale [1/9, 9]",
        fix="set 'scale: positive'",
    )
    # and the same value is accepted on a positive scale
    panel = load_panel(edit("system: mini\n", "system: mini\nscale: positive\n", text))
    assert panel.scale == "positive"


def test_saaty_bounds_themselves_are_accepted() -> None:
    text = edit("- [dim_b, dim_a, 3]", "- [dim_b, dim_a, 0.111]")
    assert load_panel(text).matrices("goal", ["dim_a", "dim_b"])[1, 1, 0] == 0.111
    assert load_panel(edit("- [dim_b, dim_a, 3]", "- [dim_b, dim_a, 9]")).experts[1]


@pytest.mark.parametrize("value", ["0", "-2", ".nan", ".inf"])
def test_non_positive_or_non_finite_judgement(value: str) -> None:
    text = edit("- [dim_b, dim_a, 3]", f"- [dim_b, dim_a, {value}]")
    check(
        only_problem(text),
        line=line_of(text, f"[dim_b, dim_a, {value}]"),
        path_end="experts[1].judgements.goal[0]",
        reason="it must be a finite positive number",
        fix="use a value in [1/9, 9]",
    )


@pytest.mark.parametrize("value", ['"one third"', '"1/0"', "true", "[3]"])
def test_judgement_that_is_not_a_number(value: str) -> None:
    text = edit("- [dim_b, dim_a, 3]", f"- [dim_b, dim_a, {value}]")
    check(
        only_problem(text),
        line=line_of(text, "[dim_b, dim_a,"),
        path_end="experts[1].judgements.goal[0]",
        reason="a judgement must be a positive number or a fraction",
        fix="a fraction such as 1/3",
    )


@pytest.mark.parametrize("item", ["[dim_b, dim_a]", "dim_b", "[dim_b, dim_a, 3, 4]"])
def test_malformed_pair(item: str) -> None:
    text = edit("- [dim_b, dim_a, 3]", f"- {item}")
    check(
        only_problem(text),
        line=line_of(text, f"- {item}"),
        path_end="experts[1].judgements.goal[0]",
        reason="each judgement is a list [a, b, value]",
        fix="write - [a, b, 3]",
    )


def test_non_reciprocal_full_matrix() -> None:
    text = edit("          - [1/3, 1, 2]", "          - [3, 1, 2]")
    check(
        only_problem(text),
        line=line_of(text, "[3, 1, 2]"),
        path_end="dim_a.matrix[1][0]",
        reason="a_one vs a_two is not reciprocal: a_ij = 3 but a_ji = 3",
        fix="set a_ji = 1/a_ij = 0.3333",
    )


def test_one_sided_entry() -> None:
    text = edit("          - [1/5, 1/2, 1]", "          - [null, 1/2, 1]")
    check(
        only_problem(text),
        line=line_of(text, "[null, 1/2, 1]"),
        path_end="dim_a.matrix[2][0]",
        reason="a_one vs a_three is given on one side only (row 1, column 3)",
        fix="or leave both empty",
    )


def test_matrix_diagonal_not_one() -> None:
    text = edit("          - [1/3, 1, 2]", "          - [1/3, 2, 2]")
    check(
        only_problem(text),
        line=line_of(text, "[1/3, 2, 2]"),
        path_end="dim_a.matrix[1][1]",
        reason="diagonal entry a_two vs a_two is 2",
        fix="the diagonal must be 1",
    )


def test_matrix_of_the_wrong_shape() -> None:
    text = edit("          - [1/5, 1/2, 1]\n", "")
    check(
        only_problem(text),
        line=line_of(text, "matrix:"),
        path_end="dim_a.matrix",
        reason="the matrix has 2 rows for 3 labels",
        fix="one row per label",
    )
    text = edit("          - [1/3, 1, 2]", "          - [1/3, 1]")
    check(
        only_problem(text),
        line=line_of(text, "[1/3, 1]"),
        path_end="dim_a.matrix[1]",
        reason="row 2 has 2 entries for 3 labels",
        fix="one entry per label",
    )


def test_matrix_labels_twice() -> None:
    text = edit("labels: [a_one, a_two, a_three]", "labels: [a_one, a_two, a_one]")
    check(
        only_problem(text),
        line=line_of(text, "labels:"),
        path_end="dim_a.labels[2]",
        reason="label 'a_one' is listed twice",
        fix="list every child once",
    )


def test_matrix_cell_that_is_not_a_number() -> None:
    text = edit("          - [1/3, 1, 2]", "          - [1/3, 1, two]")
    check(
        only_problem(text),
        line=line_of(text, "two]"),
        path_end="dim_a.matrix[1][2]",
        reason="a judgement must be a positive number or a fraction, not 'two'",
        fix="write a number",
    )


def test_unknown_group() -> None:
    text = edit("    group: res", "    group: ress")
    check(
        only_problem(text),
        line=line_of(text, "group: ress"),
        path_end="experts[1].group",
        reason="expert 'e2' is in group 'ress', which is not declared",
        fix="did you mean 'res'",
    )


def test_expert_without_a_group_when_groups_are_declared() -> None:
    text = edit("    group: res\n", "")
    check(
        only_problem(text),
        line=line_of(text, "- id: e2"),
        path_end="experts[1]",
        reason="expert 'e2' has no group",
        fix="add group: one of ['gov', 'res']",
    )


def test_duplicate_expert_id() -> None:
    text = edit("  - id: e2", "  - id: e1")
    check(
        only_problem(text),
        line=line_of(text, "- id: e1", start=line_of(text, "- id: e1") + 1),
        path_end="experts[1].id",
        reason="expert id 'e1' is used twice (also experts[0])",
        fix="their own id",
    )


def test_duplicate_group_id() -> None:
    text = edit(
        "  - {id: res, name: {en: residents, zh: 居民}}",
        "  - {id: res, name: {en: residents, zh: 居民}}\n  - {id: gov}",
    )
    check(
        only_problem(text),
        line=line_of(text, "- {id: gov}"),
        path_end="groups[2].id",
        reason="stakeholder group id 'gov' is used twice",
        fix="its own id",
    )


def test_group_weight_must_be_positive() -> None:
    text = edit("weight: 2", "weight: 0")
    check(
        only_problem(text),
        line=line_of(text, "weight: 0"),
        path_end="groups[0].weight",
        reason="weight must be greater than 0, got 0",
        fix="use a value greater than 0",
    )


def test_unknown_panel_key_suggests() -> None:
    text = edit("    group: res", "    gruop: res")
    with pytest.raises(PanelError) as info:
        load_panel(text)
    problems = info.value.problems
    typo = [p for p in problems if "unknown key 'gruop'" in p.reason]
    assert typo
    assert typo[0].line == line_of(text, "gruop")
    assert typo[0].fix == "did you mean 'group'?"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the document is empty"),
        ("- a\n", "the document is a list"),
        ("id: p\n", "required key 'experts' is missing"),
        ("id: p\nexperts: []\n", "experts needs at least 1 item"),
        ("id: p\nexperts: [3]\n", "expected a mapping"),
        ("id: p\nexperts:\n  - id: e\n    judgements: [1, 2]\n", "expected a mapping"),
        ("id: p\nexperts:\n  - id: e\n    judgements: {goal: 3}\n", "expected a list"),
    ],
)
def test_malformed_panels_raise_panel_errors(text: str, reason: str) -> None:
    with pytest.raises(PanelError) as info:
        load_panel(text)
    assert any(reason in p.reason and p.line is not None for p in info.value.problems), info.value


def test_every_problem_is_reported_at_once() -> None:
    # a field error in one expert does not hide the rule violations of another
    text = edit('- [dim_a, dim_b, "1/3"]', '- [dim_a, dim_b, "one third"]')
    text = edit("    group: res", "    group: ress", text)
    text = edit("          - [1/3, 1, 2]", "          - [3, 1, 2]", text)
    with pytest.raises(PanelError) as info:
        load_panel(text)
    reasons = [p.reason for p in info.value.problems]
    assert len(reasons) == 3, reasons
    assert any("not 'one third'" in r for r in reasons)
    assert any("'ress'" in r for r in reasons)
    assert any("not reciprocal" in r for r in reasons)


# --------------------------------------------------------------------------- fit to a system
def test_unknown_node_with_suggestion(system: object) -> None:
    text = edit("      goal:\n        - [dim_b", "      gaol:\n        - [dim_b")
    check(
        only_problem(text, system),
        line=line_of(text, "gaol:"),
        path_end="experts[1].judgements.gaol",
        reason="node 'gaol' does not exist in system 'mini'",
        fix="did you mean 'goal'",
    )


def test_label_that_is_not_a_child(system: object) -> None:
    text = edit("- [dim_b, dim_a, 3]", "- [dim_b, a_one, 3]")
    check(
        only_problem(text, system),
        line=line_of(text, "[dim_b, a_one, 3]"),
        path_end="experts[1].judgements.goal[0]",
        reason="'a_one' is not a child of 'goal'",
        fix="children of 'goal' are ['dim_a', 'dim_b']",
    )


def test_matrix_label_that_is_not_a_child(system: object) -> None:
    text = edit("labels: [a_one, a_two, a_three]", "labels: [a_one, a_two, a_thre]")
    check(
        only_problem(text, system),
        line=line_of(text, "labels:"),
        path_end="dim_a.labels[2]",
        reason="'a_thre' is not a child of 'dim_a'",
        fix="did you mean 'a_three'",
    )


def test_judging_an_indicator(system: object) -> None:
    text = edit(
        "      goal:\n        - [dim_b, dim_a, 3]", "      a_one:\n        - [dim_b, dim_a, 3]"
    )
    with pytest.raises(PanelError) as info:
        load_panel(text, system)  # type: ignore[arg-type]
    problem = info.value.problems[0]
    check(
        problem,
        line=line_of(text, "a_one:"),
        path_end="experts[1].judgements.a_one",
        reason="'a_one' is an indicator; only groups have children to compare",
        fix="under 'dim_a'",
    )


def test_panel_for_another_system(system: object) -> None:
    text = edit("system: mini", "system: other")
    check(
        only_problem(text, system),
        line=line_of(text, "system: other"),
        path_end="system",
        reason="the panel is for system 'other', not 'mini'",
        fix="load the panel with the system it was written for",
    )


def test_check_against_from_python_names_paths(system: object) -> None:
    panel = load_panel(edit("- [dim_b, dim_a, 3]", "- [dim_bb, dim_a, 3]"))
    with pytest.raises(PanelError) as info:
        panel.check_against(system)  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert problem.path == "experts[1].judgements.goal[0]"
    assert problem.fix == "did you mean 'dim_b'?"
    assert problem.line is None


def test_matrices_rejects_labels_outside_the_node() -> None:
    panel = load_panel(BASE)
    with pytest.raises(PanelError, match="not a child of 'dim_a'"):
        panel.matrices("dim_a", ["a_one", "a_two"])


def test_models_from_python() -> None:
    expert = Expert(id="e", judgements={"g": [("a", "b", "1/2")]})  # type: ignore[list-item]
    panel = Panel(id="p", experts=(expert,))
    assert panel.matrices("g", ["a", "b"])[0, 1, 0] == 2.0


# --------------------------------------------------------------------------- property
_saaty = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])


@settings(max_examples=50, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(_saaty, min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)
        )
    )
)
def test_random_pairs_and_matrix_forms_agree(case: tuple[int, list[float]]) -> None:
    n, upper = case
    labels = [f"c{i}" for i in range(n)]
    pairs = []
    full = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            pairs.append([labels[i], labels[j], upper[k]])
            full[i, j], full[j, i] = upper[k], 1 / upper[k]
            k += 1
    as_pairs = load_panel({"id": "p", "experts": [{"id": "e", "judgements": {"g": pairs}}]})
    as_matrix = load_panel(
        {
            "id": "p",
            "experts": [
                {"id": "e", "judgements": {"g": {"labels": labels, "matrix": full.tolist()}}}
            ],
        }
    )
    np.testing.assert_allclose(as_pairs.matrices("g", labels), as_matrix.matrices("g", labels))
    np.testing.assert_allclose(as_pairs.matrices("g", labels)[0], full)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-100, max_value=100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=4),
    st.dictionaries(st.sampled_from(["labels", "matrix", "id", "x"]), st.integers(), max_size=2),
)


def _paths(obj: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
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
def test_any_corrupted_value_gives_a_panel_error(data: st.DataObject) -> None:
    import yaml

    system = load_system(SYSTEM)
    doc = yaml.safe_load(BASE)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths))
        parent: object = doc
        try:
            for key in path[:-1]:
                parent = parent[key]  # type: ignore[index]
            parent[path[-1]] = data.draw(_JUNK)  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            continue
    error: PanelError | None = None
    try:
        load_panel(doc, system)
    except PanelError as exc:  # anything else fails the test
        error = exc
    assert error is None or error.problems
