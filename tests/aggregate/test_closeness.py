"""Tests of TOPSIS against published worked examples, plus invariants."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.aggregate import (
    topsis,
)
from renoscore.errors import (
    ConstantIndicatorWarning,
    DataValidationError,
    OptionError,
    WeightsError,
)

NAN = float("nan")


# ----------------------------------------------------------------------------------------------
# TOPSIS
# ----------------------------------------------------------------------------------------------


def test_topsis_tzeng_huang_2011_vector_example() -> None:
    # Tzeng, G.-H. & Huang, J.-J. (2011), Multiple Attribute Decision Making: Methods and
    # Applications, CRC Press, TOPSIS numerical example (4 alternatives, 3 benefit criteria,
    # w = (0.3, 0.4, 0.3), vector normalisation): closeness 0.5037, 0.6581, 0.7482, 0.3340.
    X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    c = topsis(X, [0.3, 0.4, 0.3], ["benefit"] * 3)
    np.testing.assert_allclose(c, [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)


def test_topsis_hwang_yoon_1981_fighter_aircraft() -> None:
    # Hwang, C.-L. & Yoon, K. (1981), Multiple Attribute Decision Making, Springer: the
    # fighter-aircraft example (max speed, ferry range, max payload, purchasing cost (cost),
    # reliability, manoeuvrability; w = (0.2, 0.1, 0.1, 0.1, 0.2, 0.3)). Published relative
    # closeness: A1 0.643, A2 0.268, A3 0.613, A4 0.312.
    X = [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
    dirs = ["benefit", "benefit", "benefit", "cost", "benefit", "benefit"]
    c = topsis(X, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], dirs)
    # The book rounds the weighted matrix and distances to 4 decimals before the last step,
    # hence a tolerance of 1e-3 rather than half a unit of the third decimal.
    np.testing.assert_allclose(c, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert list(np.argsort(-c)) == [0, 2, 3, 1]


def test_topsis_minmax_matches_direct_formula() -> None:
    rng = np.random.default_rng(3)
    X = rng.uniform(1, 10, size=(30, 5))
    w = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    b = np.array([True, False, True, True, False])
    r = (X - X.min(0)) / (X.max(0) - X.min(0))
    v = r * w
    ideal = np.where(b, v.max(0), v.min(0))
    anti = np.where(b, v.min(0), v.max(0))
    dp = np.sqrt(((v - ideal) ** 2).sum(1))
    dm = np.sqrt(((v - anti) ** 2).sum(1))
    np.testing.assert_allclose(topsis(X, w, b, "minmax"), dm / (dp + dm), rtol=1e-12)


def test_topsis_large_input_is_blocked_correctly() -> None:
    rng = np.random.default_rng(4)
    X = rng.uniform(1, 10, size=(4000, 40))
    w = np.full(40, 1 / 40)
    b = rng.random(40) < 0.7
    v = X / np.linalg.norm(X, axis=0) * w
    ideal = np.where(b, v.max(0), v.min(0))
    anti = np.where(b, v.min(0), v.max(0))
    dp = np.linalg.norm(v - ideal, axis=1)
    dm = np.linalg.norm(v - anti, axis=1)
    np.testing.assert_allclose(topsis(X, w, b), dm / (dp + dm), rtol=1e-10)


@settings(max_examples=80, deadline=None)
@given(
    hnp.arrays(np.float64, (5, 3), elements=st.floats(1, 100)),
    st.permutations(range(5)),
)
def test_topsis_dominating_alternative_is_highest_and_rows_permute(
    X: np.ndarray, perm: list[int]
) -> None:
    w = [0.5, 0.3, 0.2]
    dirs = ["benefit", "cost", "benefit"]
    best = np.array([[X[:, 0].max() + 1, X[:, 1].min() - 0.5, X[:, 2].max() + 1]])
    Xd = np.vstack([X, best])
    c = topsis(Xd, w, dirs)
    assert c[-1] == pytest.approx(1.0)
    assert (c[:-1] < c[-1]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantIndicatorWarning)
        np.testing.assert_allclose(topsis(X[perm], w, dirs), topsis(X, w, dirs)[perm])


def test_topsis_nan_row_and_validation() -> None:
    X = [[1.0, 3.0], [NAN, 3.0], [3.0, 1.0]]
    c = topsis(X, [0.5, 0.5], ["benefit", "cost"])
    assert np.isnan(c[1])
    assert c[2] == pytest.approx(1.0)
    assert c[0] == pytest.approx(0.0)
    with pytest.raises(WeightsError):
        topsis(X, [0.5, 0.6], ["benefit", "cost"])
    with pytest.raises(WeightsError):
        topsis(X, [1.5, -0.5], ["benefit", "cost"])
    with pytest.raises(OptionError):
        topsis(X, [0.5, 0.5], ["benefit", "cost"], normalization="sum")  # type: ignore[arg-type]
    with pytest.raises(DataValidationError):
        topsis([[1.0, NAN], [2.0, NAN]], [0.5, 0.5], ["benefit", "cost"])
    with pytest.raises(DataValidationError):
        topsis([[1.0, math.inf], [2.0, 1.0]], [0.5, 0.5], ["benefit", "cost"])


def test_topsis_constant_criteria() -> None:
    with pytest.warns(ConstantIndicatorWarning):
        c = topsis([[1.0, 5.0], [2.0, 5.0]], [0.5, 0.5], ["benefit", "benefit"])
    np.testing.assert_allclose(c, [0.0, 1.0])
    with pytest.warns(ConstantIndicatorWarning):
        c = topsis([[5.0], [5.0]], [1.0], ["benefit"])
    np.testing.assert_array_equal(c, [0.5, 0.5])
