"""Tests of the batch-relative normalisations: min-max, z-scores, vector, sum and linear-max."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.errors import ConstantIndicatorWarning, DataValidationError
from renoscore.normalize import (
    max_linear,
    minmax,
    sum_norm,
    vector,
    zscore,
)

NAN = float("nan")


# ----------------------------------------------------------------------------------------------
# batch-relative methods
# ----------------------------------------------------------------------------------------------


def test_minmax_directions_nan_and_constant_column() -> None:
    X = [[1.0, 10.0, 5.0], [3.0, 30.0, 5.0], [NAN, 20.0, 5.0], [2.0, 20.0, NAN]]
    with pytest.warns(ConstantIndicatorWarning, match="'c'"):
        r = minmax(X, ["benefit", "cost", "benefit"], labels=["a", "b", "c"])
    expected = [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [NAN, 0.5, 1.0], [0.5, 0.5, NAN]]
    np.testing.assert_array_equal(r, expected)


def test_minmax_depends_on_the_batch_unlike_goalposts() -> None:
    a = minmax([[1.0], [3.0]], ["benefit"])
    b = minmax([[1.0], [3.0], [5.0]], ["benefit"])
    assert a[1, 0] != b[1, 0]


def test_zscore_has_zero_mean_unit_sd_and_flips_cost() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(5, 2, size=(50, 2))
    z = zscore(X, ["benefit", "cost"])
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(z[:, 1], -(X[:, 1] - X[:, 1].mean()) / X[:, 1].std())


def test_zscore_ignores_nan_cells() -> None:
    z = zscore([[1.0], [NAN], [3.0]], ["benefit"])
    np.testing.assert_array_equal(z[:, 0], [-1.0, NAN, 1.0])


def test_vector_normalisation_hwang_yoon() -> None:
    # Hwang & Yoon (1981), sec. 2.2.1: r = x / sqrt(sum x^2); cost as 1 - r (Jahan & Edwards
    # 2015). Tzeng & Huang (2011) TOPSIS example, first column (5, 7, 8, 7): norm sqrt(187).
    r = vector([[5.0, 5.0], [7.0, 7.0], [8.0, 8.0], [7.0, 7.0]], ["benefit", "cost"])
    np.testing.assert_allclose(r[:, 0], np.array([5, 7, 8, 7]) / math.sqrt(187))
    np.testing.assert_allclose(r[:, 1], 1 - r[:, 0])
    with pytest.warns(ConstantIndicatorWarning):
        assert (vector([[0.0], [0.0]], ["benefit"]) == 0).all()


def test_sum_norm_and_max_linear() -> None:
    X = [[1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_allclose(sum_norm(X, ["benefit", "cost"]), [[0.25, 2 / 3], [0.75, 1 / 3]])
    np.testing.assert_allclose(max_linear(X, ["benefit", "cost"]), [[1 / 3, 1.0], [1.0, 0.5]])
    # NaN stays NaN and is ignored in the column statistics.
    r = max_linear([[1.0], [NAN], [4.0]], ["benefit"])
    np.testing.assert_array_equal(r[:, 0], [0.25, NAN, 1.0])


def test_ratio_normalisations_reject_negative_and_zero_cost() -> None:
    with pytest.raises(DataValidationError):
        sum_norm([[-1.0], [2.0]], ["benefit"])
    with pytest.raises(DataValidationError) as info:
        max_linear([[0.0, 1.0], [2.0, 1.0]], ["cost", "benefit"], labels=["a", "b"])
    assert info.value.problems[0].column == "a"


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, (6, 3), elements=st.floats(0.1, 100)))
def test_batch_methods_permute_with_rows(X: np.ndarray) -> None:
    perm = np.array([5, 3, 1, 0, 2, 4])
    dirs = ["benefit", "cost", "benefit"]
    for method in (minmax, vector, sum_norm, max_linear, zscore):
        with warnings.catch_warnings():
            # A drawn column may be constant; that warning is tested elsewhere.
            warnings.simplefilter("ignore", ConstantIndicatorWarning)
            a = method(X, dirs)[perm]
            b = method(X[perm], dirs)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
