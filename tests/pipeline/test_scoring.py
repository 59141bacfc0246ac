"""End-to-end scoring: evaluate, its missing-data policies, options and invariants."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.data import load_data
from renoscore.errors import CoverageWarning, DataValidationError, OptionError
from tests.conftest import random_data, random_table
from tests.pipeline._mini import ROWS, _mini_data


def test_hand_checked_scores_ranks_grades(mini_system: rs.IndicatorSystem) -> None:
    result = rs.evaluate(mini_system, _mini_data(mini_system, ROWS))
    np.testing.assert_allclose(result.overall, [75.0, 60.0], atol=1e-12)
    np.testing.assert_allclose(result.scores("facilities"), [75.0, 50.0], atol=1e-12)
    np.testing.assert_allclose(result.scores("services"), [75.0, 75.0], atol=1e-12)
    np.testing.assert_allclose(result.scores("s_dist"), [50.0, 100.0], atol=1e-12)
    assert result.rank.tolist() == [1.0, 2.0]
    assert result.grade_labels() == ("good", "fair")
    assert result.grade_labels("zh") == ("良好", "一般")
    # contributions (global weight x score) add up to the overall score
    np.testing.assert_allclose(result.contributions().sum(axis=1), result.overall, atol=1e-12)


def test_missing_error_policy_lists_every_cell(mini_system: rs.IndicatorSystem) -> None:
    rows = [dict(ROWS[0], s_sat=""), dict(ROWS[1], f_b="")]
    with pytest.raises(DataValidationError) as err:
        rs.evaluate(mini_system, _mini_data(mini_system, rows))
    cells = {(p.community_id, p.column) for p in err.value.problems}
    assert cells == {("A", "s_sat"), ("B", "f_b")}
    assert "renormalize" in str(err.value)


def test_renormalize_within_each_group_and_coverage(mini_system: rs.IndicatorSystem) -> None:
    rows = [dict(ROWS[1], s_sat="")]
    result = rs.evaluate(mini_system, _mini_data(mini_system, rows), missing="renormalize")
    # services from s_dist alone (1.0); overall 0.6*0.5 + 0.4*1.0 = 0.7
    assert result.scores("services")[0] == pytest.approx(100.0)
    assert result.overall[0] == pytest.approx(70.0)
    # coverage: services observed 1/2 of its weight; goal 0.6 + 0.4*0.5 = 0.8
    assert result.coverage[0, result.group_ids.index("services")] == pytest.approx(0.5)
    assert result.coverage[0, 0] == pytest.approx(0.8)


def test_not_applicable_is_excluded_even_under_error_policy(
    mini_system: rs.IndicatorSystem,
) -> None:
    rows = [dict(ROWS[1], s_sat="n/a")]
    result = rs.evaluate(mini_system, _mini_data(mini_system, rows), min_coverage=0.5)
    assert result.overall[0] == pytest.approx(70.0)


def test_low_coverage_row_kept_with_reason(mini_system: rs.IndicatorSystem) -> None:
    rows = [dict(ROWS[0]), dict(ROWS[1], f_a="", f_b="")]
    with pytest.warns(CoverageWarning):
        result = rs.evaluate(mini_system, _mini_data(mini_system, rows), missing="renormalize")
    assert result.ids == ("A", "B")
    assert np.isnan(result.overall[1])
    assert result.reasons[1] is not None
    assert "coverage" in result.reasons[1]
    assert np.isnan(result.rank[1])
    assert result.grades[1, 0] == -1
    assert result.rank[0] == 1.0
    assert any("CoverageWarning" in w for w in result.warnings)


def test_impute_mean_fills_from_observed(mini_system: rs.IndicatorSystem) -> None:
    rows = [dict(ROWS[0]), dict(ROWS[1], s_sat="")]
    result = rs.evaluate(mini_system, _mini_data(mini_system, rows), missing="impute_mean")
    # s_sat imputed as the mean of the observed 4.6 -> score 1.0
    assert result.scores("s_sat")[1] == pytest.approx(100.0)
    assert result.imputed[1].tolist() == [False, False, False, True]


def test_minmax_is_batch_relative_goalposts_are_not(mini_system: rs.IndicatorSystem) -> None:
    data = _mini_data(mini_system, ROWS)
    one = _mini_data(mini_system, [ROWS[0], dict(ROWS[1], community_id="Z", f_a=0.31)])
    g1 = rs.evaluate(mini_system, data).overall[0]
    g2 = rs.evaluate(mini_system, one).overall[0]
    assert g1 == g2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m1 = rs.evaluate(mini_system, data, normalization="minmax").overall[0]
        m2 = rs.evaluate(mini_system, one, normalization="minmax").overall[0]
    assert m1 != m2


def test_geometric_aggregation_zero_rule(mini_system: rs.IndicatorSystem) -> None:
    result = rs.evaluate(mini_system, _mini_data(mini_system, ROWS), aggregation="geometric")
    # B has f_b = 0 -> facilities geometric mean 0
    assert result.scores("facilities")[1] == 0.0
    # A: facilities sqrt(0.5 * 1)
    assert result.scores("facilities")[0] == pytest.approx(100 * np.sqrt(0.5))


def test_unknown_options_raise(mini_system: rs.IndicatorSystem) -> None:
    data = _mini_data(mini_system, ROWS)
    with pytest.raises(OptionError):
        rs.evaluate(mini_system, data, normalization="zscore")  # type: ignore[arg-type]
    with pytest.raises(OptionError):
        rs.evaluate(mini_system, data, missing="drop")  # type: ignore[arg-type]
    with pytest.raises(OptionError):
        rs.evaluate(mini_system, data, weights="magic")


def test_data_for_another_system_is_refused(mini_system: rs.IndicatorSystem) -> None:
    data = random_data(rs.default_system(), 3)
    with pytest.raises(DataValidationError):
        rs.evaluate(mini_system, data)


# ---------------------------------------------------------------- the default system
def test_default_system_out_of_the_box() -> None:
    system = rs.default_system()
    data = random_data(system, 50, seed=3)
    result = rs.evaluate(system, data)
    assert result.provenance.weights.nodes["renovation_performance"].method == "fixed"
    assert np.all((result.overall >= 0) & (result.overall <= 100))
    assert sorted(result.rank.tolist()) == list(range(1, 51))


def test_all_at_target_scores_100() -> None:
    system = rs.default_system()
    _, target = system.goalpost_arrays()
    table = {
        "community_id": ["x"],
        **{i: [t] for i, t in zip(system.indicator_ids, target, strict=True)},
    }
    result = rs.evaluate(system, load_data(table, system))
    np.testing.assert_allclose(result.group_scores, 100.0)
    assert result.fix_first("x", top=1)[0].obstacle == 0.0


# ---------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 40))
def test_row_order_does_not_change_any_result(seed: int, n: int) -> None:
    system = rs.default_system()
    table = random_table(system, n, seed)
    perm = np.random.default_rng(seed).permutation(n)
    shuffled = {k: np.asarray(v)[perm] for k, v in table.items()}
    a = rs.evaluate(system, load_data(table, system))
    b = rs.evaluate(system, load_data(shuffled, system))
    np.testing.assert_allclose(a.group_scores[perm], b.group_scores, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(a.ranks[perm], b.ranks)
    assert tuple(a.ids[i] for i in perm) == b.ids


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 30), extra=st.integers(1, 10))
def test_adding_communities_never_changes_others_goalpost_scores(
    seed: int, n: int, extra: int
) -> None:
    system = rs.default_system()
    small = random_table(system, n, seed)
    big = random_table(system, n + extra, seed + 1)
    both = {k: np.concatenate([np.asarray(small[k]), np.asarray(big[k])[n:]]) for k in small}
    both["community_id"] = [f"r{i}" for i in range(n + extra)]
    a = rs.evaluate(system, load_data(small, system))
    b = rs.evaluate(system, load_data(both, system))
    # equal up to the rounding of a BLAS kernel chosen by matrix size
    np.testing.assert_allclose(a.group_scores, b.group_scores[:n], rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), j=st.integers(0, 38), step=st.floats(0.0, 2.0))
def test_improving_one_indicator_never_lowers_the_score(seed: int, j: int, step: float) -> None:
    system = rs.default_system()
    table = random_table(system, 3, seed)
    ind = system.indicators[j]
    lo, hi = system.range_arrays()
    better = {k: np.array(v, copy=True) for k, v in table.items()}
    span = abs(ind.goalposts.target - ind.goalposts.floor)
    delta = step * span * (1 if ind.direction.value == "benefit" else -1)
    new = np.clip(np.asarray(better[ind.id], dtype=float) + delta, lo[j], hi[j])
    if ind.kind.value in ("binary", "ordinal"):
        new = np.floor(new) if delta > 0 else np.ceil(new)
        new = np.clip(new, lo[j], hi[j])
        old = np.asarray(table[ind.id], dtype=float)
        new = np.where((new - old) * (1 if delta >= 0 else -1) >= 0, new, old)
    better[ind.id] = new
    a = rs.evaluate(system, load_data(table, system))
    b = rs.evaluate(system, load_data(better, system))
    assert np.all(b.group_scores >= a.group_scores - 1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 25), p_missing=st.floats(0.0, 0.6))
def test_every_row_appears_and_scores_stay_in_range(seed: int, n: int, p_missing: float) -> None:
    system = rs.default_system()
    table = random_table(system, n, seed)
    rng = np.random.default_rng(seed)
    for ind in system.indicator_ids:
        col = np.asarray(table[ind], dtype=float).copy()
        col[rng.random(n) < p_missing] = np.nan
        table[ind] = col
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rs.evaluate(system, load_data(table, system), missing="renormalize")
    assert result.ids == tuple(table["community_id"])
    scored = ~np.isnan(result.overall)
    assert np.all(result.group_scores[~np.isnan(result.group_scores)] >= 0)
    assert np.all(result.group_scores[~np.isnan(result.group_scores)] <= 100)
    for r in np.flatnonzero(~scored):
        assert result.reasons[r]
    assert np.all(result.coverage >= 0)
    assert np.all(result.coverage <= 1 + 1e-12)


def test_results_are_deterministic_bit_for_bit() -> None:
    system = rs.default_system()
    data = random_data(system, 200, seed=11)
    a = rs.evaluate(system, data, weights="entropy")
    b = rs.evaluate(system, data, weights="entropy")
    assert a.group_scores.tobytes() == b.group_scores.tobytes()
    assert a.weights.indicator_weights().tobytes() == b.weights.indicator_weights().tobytes()


def test_overall_by_other_methods(mini_system: rs.IndicatorSystem) -> None:
    data = _mini_data(mini_system, ROWS)
    # FCE on {85, 70, 55, 40}: A's indicator scores (50, 100, 50, 100) x weights (.3 .3 .2 .2)
    # give memberships: 100 -> "85" fully; 50 -> 2/3 "55" + 1/3 "40"; B (100, 0, 100, 50).
    fce = rs.evaluate(mini_system, data, aggregation="fuzzy")
    a = 0.5 * 85 + 0.5 * (2 / 3 * 55 + 1 / 3 * 40)
    b = 0.5 * 85 + 0.3 * 40 + 0.2 * (2 / 3 * 55 + 1 / 3 * 40)
    np.testing.assert_allclose(fce.overall, [a, b], atol=1e-9)
    np.testing.assert_allclose(fce.scores("facilities"), [75.0, 50.0])  # dimensions stay arithmetic
    topsis = rs.evaluate(mini_system, data, aggregation="topsis")
    assert topsis.rank.tolist() == [1.0, 2.0]
    assert np.all((topsis.overall >= 0) & (topsis.overall <= 100))
    with pytest.raises(OptionError):
        rs.evaluate(mini_system, data, aggregation="median")  # type: ignore[arg-type]


def test_a_mean_rounding_past_100_is_kept_at_100() -> None:
    """Seed 412, 8 rows, 40 % missing: num / den over a subset of weights gave
    100.00000000000003 (found by the property test above)."""
    system = rs.default_system()
    table = random_table(system, 8, 412)
    rng = np.random.default_rng(412)
    for ind in system.indicator_ids:
        col = np.asarray(table[ind], dtype=float).copy()
        col[rng.random(8) < 0.4] = np.nan
        table[ind] = col
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rs.evaluate(system, load_data(table, system), missing="renormalize")
    scores = result.group_scores[~np.isnan(result.group_scores)]
    assert scores.max() == 100.0
    assert scores.min() >= 0.0
