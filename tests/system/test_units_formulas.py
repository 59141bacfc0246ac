"""Units, raw fields, formulas, aliases and context columns of an indicator system."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.errors import IndicatorSystemError
from renoscore.system import UNITS, Unit, evaluate_formula, load_system, parse_formula
from renoscore.system.formula import formula_problems
from renoscore.system.units import find_unit, legacy_unit, suffix_factors
from tests.data.office import OFFICE_YAML


def _problems(text: str) -> tuple[rs.Problem, ...]:
    with pytest.raises(IndicatorSystemError) as info:
        load_system(text)
    return info.value.problems


def _line(text: str, needle: str) -> int:
    return next(k for k, line in enumerate(text.splitlines(), start=1) if needle in line)


# --------------------------------------------------------------------------- units
def test_every_known_unit_has_both_display_forms_and_is_found_by_them() -> None:
    for code, info in UNITS.items():
        assert info.en
        assert info.zh
        assert find_unit(code) == code
        assert find_unit(info.zh) == code or code in ("percent",)  # "%" is percent's zh too
        for spelling in info.spellings:
            assert find_unit(spelling) in (code, "m2/person", "m2")


@pytest.mark.parametrize(
    ("code", "suffix", "factor"),
    [
        ("m", "米", 1),
        ("m", "公里", 1000),
        ("m", "km", 1000),
        ("km", "米", 0.001),
        ("m2", "平方米", 1),
        ("m2", "公顷", 10000),
        ("m2/person", "平方米", 1),
        ("share", "%", 0.01),
        ("percent", "%", 1),
        ("yuan", "万元", 10000),
        ("10k yuan", "元", 0.0001),
        ("minutes", "小时", 60),
    ],
)
def test_suffix_factors(code: str, suffix: str, factor: float) -> None:
    assert float(suffix_factors(code)[suffix]) == pytest.approx(factor)


@pytest.mark.parametrize(("code", "suffix"), [("count", "%"), ("m", "户"), ("yes/no", "米")])
def test_suffixes_of_another_quantity_are_not_offered(code: str, suffix: str) -> None:
    assert suffix not in suffix_factors(code)


def test_the_shipped_free_text_units_read_as_the_kinds_units() -> None:
    system = rs.default_system()
    for ind in system.indicators:
        assert ind.unit.code in rs.system.units.KIND_UNITS[ind.kind]
        assert ind.unit.label("zh")  # every unit has a Chinese form
    by_id = {i.id: i for i in system.indicators}
    assert by_id["f_waste_point_max_dist_m"].unit == Unit(code="m")
    assert by_id["f_waste_point_max_dist_m"].unit.label("zh") == "米"
    fire = by_id["f_fire_safety_ok"].unit
    assert (fire.code, fire.label(), fire.label("zh")) == (
        "share",
        "share 0–1 (of buildings)",
        "比例（0–1，按楼栋计）",
    )


def test_structured_unit_with_a_note_round_trips_through_yaml() -> None:
    system = load_system(OFFICE_YAML)
    lift = system.node("f_lift_share")
    assert lift.unit.label("zh") == "比例（0–1，按具备条件的单元计）"  # type: ignore[union-attr]
    assert lift.unit.label("en") == "share 0–1 (of eligible stairwells)"  # type: ignore[union-attr]
    assert load_system(system.to_yaml()) == system


def test_legacy_text_that_names_a_fitting_unit_is_that_unit() -> None:
    assert legacy_unit("米", "distance_m") == {"code": "m"}
    assert legacy_unit("%", "ratio") == {"code": "share", "text": "%"}  # % does not fit a ratio


def test_unknown_unit_and_a_unit_that_does_not_fit_the_kind_name_their_line() -> None:
    text = OFFICE_YAML.replace("unit: {code: share, note", "unit: {code: shrae, note")
    (problem,) = _problems(text)
    assert "unknown unit 'shrae'" in problem.reason
    assert problem.fix == "did you mean 'share'?"
    assert problem.line == _line(text, "code: shrae")
    text = OFFICE_YAML.replace("unit: 10k yuan,", "unit: {code: m},").replace(
        "kind: continuous", "kind: ratio"
    )
    reasons = [p.reason for p in _problems(text)]
    assert any("unit 'm' does not fit kind ratio" in r for r in reasons)


# --------------------------------------------------------------------------- formulas
@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("a ** 2", "the operator **"),
        ("a // b", "the operator //"),
        ("a.real", "attribute access"),
        ("__import__('os')", "the function __import__()"),
        ("a if b else 1", "IfExp"),
        ("a < b", "a comparison"),
        ("a[0]", "Subscript"),
        ("'x' + a", "the constant 'x'"),
        ("min(a)", "min() takes at least 2 arguments, got 1"),
        ("if_missing(a, 0, 1)", "if_missing() takes 2 arguments, got 3"),
        ("max(a=1, b=2)", "keyword or starred arguments"),
        ("lambda: 1", "Lambda"),
        ("a / 0", "divides by zero"),
        ("a / (2 - 2)", "divides by zero"),
        ("1 + 2", "reads no raw field"),
        ("a +", "not arithmetic"),
        ("(" * 300 + "a" + ")" * 300, "nested"),
        ("a" * 1001, "longer than 1000 characters"),
    ],
)
def test_formulas_outside_the_language_are_refused(formula: str, reason: str) -> None:
    problems = formula_problems(formula)
    assert problems, formula
    assert any(reason in r for r, _ in problems), problems


def test_typed_operators_and_full_width_brackets_are_read() -> None:
    f = parse_formula("（a × 2 − b）÷ c")
    assert f.names == ("a", "b", "c")


def test_formula_names_are_checked_against_the_raw_fields_at_their_line() -> None:
    text = OFFICE_YAML.replace(
        "formula: lifts_installed / eligible_stairwells",
        "formula: lifts_installed / eligible_stairwels",
    )
    (problem,) = _problems(text)
    assert problem.reason == "unknown name 'eligible_stairwels' in the formula"
    assert problem.fix == "did you mean 'eligible_stairwells'?"
    assert problem.line == _line(text, "eligible_stairwels")


def test_a_formula_of_another_language_is_refused_at_load() -> None:
    text = OFFICE_YAML.replace(
        "formula: lifts_installed / eligible_stairwells",
        "formula: __import__('os').system('x')",
    )
    assert any("the function" in p.reason for p in _problems(text))


def test_division_by_zero_without_a_formula_and_a_raw_field_named_min_are_refused() -> None:
    text = OFFICE_YAML.replace(
        "supplier: government, source: test}",
        "supplier: government, source: test, division_by_zero: not_applicable}",
        1,
    )
    assert any("only used with a formula" in p.reason for p in _problems(text))
    text = OFFICE_YAML.replace("id: eligible_stairwells", "id: min").replace(
        "/ eligible_stairwells", "/ min"
    )
    assert any("name of a formula function" in p.reason for p in _problems(text))


def _column(
    values: list[float | None], status: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    v = np.array([np.nan if x is None else x for x in values], dtype=float)
    s = np.array(status or [0 if x is not None else 1 for x in values], dtype=np.int8)
    v[s != 0] = np.nan
    return v, s


def test_statuses_follow_the_inputs_and_if_missing_fills() -> None:
    a = _column([1.0, None, 3.0, 4.0], [0, 1, 2, 0])
    b = _column([2.0, 2.0, 2.0, None])
    values, status, zero = evaluate_formula(parse_formula("a / b"), {"a": a, "b": b})
    assert status.tolist() == [0, 1, 2, 1]
    assert values[0] == 0.5
    assert not zero.any()
    values, status, _ = evaluate_formula(parse_formula("if_missing(b, 10) + a"), {"a": a, "b": b})
    assert status.tolist() == [0, 1, 2, 0]
    assert values[3] == 14.0


def test_division_by_zero_is_reported_by_row() -> None:
    a = _column([1.0, 0.0, 2.0])
    b = _column([0.0, 0.0, 4.0])
    values, status, zero = evaluate_formula(parse_formula("a / b"), {"a": a, "b": b})
    assert zero.tolist() == [True, True, False]
    assert np.isnan(values[:2]).all()
    assert values[2] == 0.5
    assert status.tolist() == [0, 0, 0]  # the caller applies the declaration


_LEAVES = st.sampled_from(["a", "b", "c", "2", "0.5", "3"])


def _exprs() -> st.SearchStrategy[str]:
    return st.recursive(
        _LEAVES,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            st.tuples(inner, inner).map(lambda t: f"if_missing({t[0]}, {t[1]})"),
            inner.map(lambda e: f"-{e}"),
        ),
        max_leaves=8,
    )


def _scalar(expr: str, row: dict[str, float | None]) -> float | None:
    """A row-by-row reference: None for an empty input, nan for a division by zero."""
    import ast

    def ev(node: ast.expr) -> float | None:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return row[node.id]
        if isinstance(node, ast.UnaryOp):
            x = ev(node.operand)
            return None if x is None else -x
        if isinstance(node, ast.BinOp):
            x, y = ev(node.left), ev(node.right)
            if x is None or y is None:
                return None
            if isinstance(node.op, ast.Div):
                return math.nan if y == 0 else x / y
            return {ast.Add: x + y, ast.Sub: x - y, ast.Mult: x * y}[type(node.op)]
        assert isinstance(node, ast.Call)
        assert isinstance(node.func, ast.Name)
        args = [ev(a) for a in node.args]
        if node.func.id == "if_missing":
            return args[1] if args[0] is None else args[0]
        if any(x is None for x in args):
            return None
        return (min if node.func.id == "min" else max)(args)  # type: ignore[type-var]

    return ev(ast.parse(expr, mode="eval").body)


@settings(max_examples=60, deadline=None)
@given(
    expr=_exprs().filter(lambda e: any(n in e for n in "abc")),
    rows=st.lists(
        st.tuples(*[st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, -4.0]))] * 3),
        min_size=1,
        max_size=6,
    ),
)
def test_vectorised_evaluation_equals_a_row_by_row_reference(
    expr: str, rows: list[tuple[float | None, ...]]
) -> None:
    if formula_problems(expr):
        return  # e.g. a constant division by zero, refused at load
    columns = {n: _column([r[k] for r in rows]) for k, n in enumerate("abc")}
    values, status, zero = evaluate_formula(parse_formula(expr), columns)
    for k, row in enumerate(rows):
        want = _scalar(expr, dict(zip("abc", row, strict=True)))
        if want is None:
            assert status[k] == 1
        elif math.isnan(want) or zero[k]:
            assert zero[k] or (status[k] == 0 and np.isnan(values[k]))
        else:
            assert status[k] == 0
            assert values[k] == pytest.approx(want)


# --------------------------------------------------------------------------- columns
def test_raw_fields_context_and_aliases_are_part_of_the_system() -> None:
    system = load_system(OFFICE_YAML)
    assert [f.id for f in system.raw_fields] == ["lifts_installed", "eligible_stairwells"]
    assert system.raw_field("lifts_installed").aliases == ("加装电梯数",)
    assert [c.id for c in system.context] == ["district"]
    assert [i.id for i in system.derived_indicators] == ["f_lift_share"]
    assert system.phases[1].aliases == ("改造后",)
    with pytest.raises(IndicatorSystemError, match="no raw field 'lifts'"):
        system.raw_field("lifts")


def test_an_alias_that_names_two_columns_or_a_unit_is_refused() -> None:
    text = OFFICE_YAML.replace("aliases: [垃圾点距离]", "aliases: [消防安全达标率]")
    (problem,) = _problems(text)
    assert "would name both 'f_waste_m' and 'f_fire_ok'" in problem.reason
    assert problem.line == _line(text, "aliases: [消防安全达标率]")
    text = OFFICE_YAML.replace("aliases: [垃圾点距离]", "aliases: [米]")
    assert any("alias '米' is a unit" in p.reason for p in _problems(text))


def test_repeated_raw_field_ids_are_refused() -> None:
    text = OFFICE_YAML.replace("id: eligible_stairwells", "id: lifts_installed").replace(
        "/ eligible_stairwells", "/ lifts_installed"
    )
    assert any("used twice" in p.reason for p in _problems(text))
