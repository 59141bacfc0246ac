"""Tests of renoscore.normalize.goalposts: published goalpost computations and invariants;
indicator directions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.errors import DataValidationError, OptionError
from renoscore.normalize import (
    benefit_mask,
    goalposts,
)

NAN = float("nan")


# ----------------------------------------------------------------------------------------------
# Published numbers
# ----------------------------------------------------------------------------------------------

# UNDP, Human Development Report 2000, Technical note 1 ("The construction of the HDI is
# illustrated with three examples"): goalposts life expectancy 25-85 years, adult literacy and
# combined gross enrolment 0-100 %, GDP per capita log(100)-log(40,000) PPP$.
HDR2000_RAW = np.array(
    [
        # life expectancy, adult literacy, gross enrolment, log GDP per capita
        [77.2, 99.0, 88.1, math.log(21260)],  # Germany
        [69.8, 82.9, 68.9, math.log(3130)],  # China
        [42.3, 39.5, 32.0, math.log(740)],  # Mozambique
    ]
)


HDR2000_FLOOR = [25.0, 0.0, 0.0, math.log(100)]


HDR2000_TARGET = [85.0, 100.0, 100.0, math.log(40000)]


# The published dimension indices, to 3 decimals.
HDR2000_INDICES = np.array(
    [
        [0.870, 0.990, 0.881, 0.895],
        [0.747, 0.829, 0.689, 0.575],
        [0.288, 0.395, 0.320, 0.334],
    ]
)


def test_goalposts_reproduce_hdr2000_dimension_indices() -> None:
    # UNDP HDR 2000, Technical note 1: life expectancy, literacy, enrolment and GDP indices.
    s = goalposts(HDR2000_RAW, HDR2000_FLOOR, HDR2000_TARGET)
    np.testing.assert_allclose(s, HDR2000_INDICES, atol=5e-4)


def test_goalposts_reproduce_hdr2013_longevity_example() -> None:
    # UNDP HDR 2013, Technical note 1: with goalposts 20 and 83.57 years, a life expectancy of
    # 55 years gives a longevity component of 0.551.
    s = goalposts([[55.0]], 20.0, 83.57)
    assert s[0, 0] == pytest.approx(0.551, abs=5e-4)


# ----------------------------------------------------------------------------------------------
# goalposts: behaviour
# ----------------------------------------------------------------------------------------------


def test_cost_indicator_is_reversed_by_floor_above_target() -> None:
    # Walking distance: floor 1500 m scores 0, target 300 m scores 1 (domain brief, sec. 3.2).
    s = goalposts([[300.0], [900.0], [1500.0], [100.0], [4000.0]], 1500.0, 300.0)
    np.testing.assert_array_equal(s[:, 0], [1.0, 0.5, 0.0, 1.0, 0.0])
    assert not np.signbit(s[2, 0])  # no -0.0 at the floor


def test_ordinal_and_binary_use_the_same_formula() -> None:
    # Arnstein rung with floor 2, target 6 (domain brief, p_ladder_rung); binary 0 -> 1.
    s = goalposts([[1.0, 0.0], [4.0, 1.0], [8.0, 1.0]], [2.0, 0.0], [6.0, 1.0])
    np.testing.assert_array_equal(s, [[0.0, 0.0], [0.5, 1.0], [1.0, 1.0]])


def test_nan_propagates_and_is_never_filled() -> None:
    s = goalposts([[NAN, 0.5], [0.25, NAN]], 0.0, 1.0)
    assert np.isnan(s[0, 0])
    assert np.isnan(s[1, 1])
    assert s[0, 1] == 0.5
    assert s[1, 0] == 0.25


def test_no_clip_keeps_values_beyond_goalposts() -> None:
    s = goalposts([[2.0], [-1.0]], 0.0, 1.0, clip=False)
    np.testing.assert_array_equal(s[:, 0], [2.0, -1.0])


def test_equal_goalposts_name_the_column() -> None:
    with pytest.raises(OptionError) as info:
        goalposts([[1.0, 2.0]], [0.0, 5.0], [1.0, 5.0], labels=["a", "b"])
    assert [p.column for p in info.value.problems] == ["b"]


def test_directions_must_agree_with_goalposts() -> None:
    with pytest.raises(OptionError) as info:
        goalposts(
            [[1.0, 2.0, 3.0]],
            [0.0, 10.0, 10.0],
            [1.0, 0.0, 20.0],
            directions=["benefit", "benefit", "cost"],
            labels=["a", "b", "c"],
        )
    assert [p.column for p in info.value.problems] == ["b", "c"]
    # Agreeing directions pass.
    goalposts([[1.0, 2.0]], [0.0, 10.0], [1.0, 0.0], directions=[True, False])


def test_infinite_value_is_reported_with_its_cell() -> None:
    with pytest.raises(DataValidationError) as info:
        goalposts([[0.5, 0.5], [0.5, math.inf]], 0.0, 1.0, labels=["a", "b"])
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "b")


def test_bad_shapes_are_rejected() -> None:
    with pytest.raises(DataValidationError):
        goalposts([1.0, 2.0], 0.0, 1.0)
    with pytest.raises(OptionError):
        goalposts([[1.0, 2.0]], [0.0, 0.0, 0.0], 1.0)
    with pytest.raises(OptionError):
        goalposts([[1.0]], NAN, 1.0)


def test_out_parameter_allows_in_place_update() -> None:
    X = np.array([[0.5, 2.0], [1.0, 4.0]])
    res = goalposts(X, 0.0, [1.0, 4.0], out=X)
    assert res is X
    np.testing.assert_array_equal(X, [[0.5, 0.5], [1.0, 1.0]])


def test_goalposts_over_many_blocks_equal_direct_formula() -> None:
    # More rows than one cache block, so the blocked loop is exercised end to end.
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 2, size=(5000, 40))
    X[rng.random(X.shape) < 0.05] = np.nan
    floor = rng.uniform(-0.5, 0.5, 40)
    target = floor + rng.choice([-1.0, 1.0], 40) * rng.uniform(0.5, 1.5, 40)
    expected = np.clip((X - floor) / (target - floor), 0, 1)
    np.testing.assert_array_equal(goalposts(X, floor, target), expected)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def goalpost_problem(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 5))
    X = draw(hnp.arrays(np.float64, (n, m), elements=finite | st.just(NAN)))
    floor = draw(hnp.arrays(np.float64, (m,), elements=finite))
    span = draw(
        hnp.arrays(np.float64, (m,), elements=st.floats(1e-3, 1e6) | st.floats(-1e6, -1e-3))
    )
    return X, floor, floor + span


@settings(max_examples=150, deadline=None)
@given(goalpost_problem())
def test_goalposts_in_unit_interval_and_row_independent(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    X, floor, target = problem
    s = goalposts(X, floor, target)
    present = ~np.isnan(X)
    assert np.array_equal(np.isnan(s), ~present)
    assert ((s[present] >= 0) & (s[present] <= 1)).all()
    # A community's score never depends on the other rows.
    for i in range(X.shape[0]):
        np.testing.assert_array_equal(goalposts(X[i : i + 1], floor, target)[0], s[i])
    # Permuting rows permutes the result.
    perm = np.arange(X.shape[0])[::-1]
    np.testing.assert_array_equal(goalposts(X[perm], floor, target), s[perm])


@settings(max_examples=100, deadline=None)
@given(goalpost_problem())
def test_at_target_scores_exactly_one_and_at_floor_zero(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    _, floor, target = problem
    assert (goalposts(target[None, :], floor, target) == 1.0).all()
    assert (goalposts(floor[None, :], floor, target) == 0.0).all()


@settings(max_examples=100, deadline=None)
@given(goalpost_problem(), st.floats(0, 1e6))
def test_improving_a_value_never_lowers_its_score(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], step: float
) -> None:
    X, floor, target = problem
    X = np.nan_to_num(X)
    direction = np.sign(target - floor)  # improvement = moving towards the target
    better = X + step * direction
    assert (goalposts(better, floor, target) >= goalposts(X, floor, target)).all()


# ----------------------------------------------------------------------------------------------
# directions
# ----------------------------------------------------------------------------------------------


def test_benefit_mask_accepts_strings_and_booleans() -> None:
    np.testing.assert_array_equal(
        benefit_mask(["Benefit", "cost", "+", "-"], 4), [True, False, True, False]
    )
    np.testing.assert_array_equal(benefit_mask(np.array([True, False]), 2), [True, False])


def test_benefit_mask_lists_every_bad_direction() -> None:
    with pytest.raises(OptionError) as info:
        benefit_mask(["up", "cost", "down"], 3, labels=["a", "b", "c"])
    assert [p.column for p in info.value.problems] == ["a", "c"]
    with pytest.raises(OptionError):
        benefit_mask(["cost"], 2)
