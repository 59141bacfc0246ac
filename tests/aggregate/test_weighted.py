"""Tests of the weighted arithmetic and geometric means against published numbers, plus invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.aggregate import (
    weighted_geometric,
    weighted_sum,
    weighted_sum_with_coverage,
)
from renoscore.errors import (
    CoverageWarning,
    DataValidationError,
    OptionError,
    WeightsError,
)
from renoscore.normalize import goalposts

NAN = float("nan")


# ----------------------------------------------------------------------------------------------
# weighted sum and geometric mean
# ----------------------------------------------------------------------------------------------


def test_hdr2000_composites_by_weighted_sum() -> None:
    # UNDP, Human Development Report 2000, Technical note 1: educational attainment index =
    # 2/3 literacy + 1/3 enrolment (Germany 0.954, China 0.782, Mozambique 0.370) and
    # HDI = mean of the three dimension indices (0.906, 0.701, 0.331).
    raw = np.array(
        [
            [77.2, 99.0, 88.1, math.log(21260)],
            [69.8, 82.9, 68.9, math.log(3130)],
            [42.3, 39.5, 32.0, math.log(740)],
        ]
    )
    s = goalposts(raw, [25, 0, 0, math.log(100)], [85, 100, 100, math.log(40000)])
    # Node matrix: column 0 = education (literacy, enrolment); column 1 = HDI with the global
    # weights 1/3 life, 2/9 literacy, 1/9 enrolment, 1/3 GDP.
    W = np.array([[0.0, 1 / 3], [2 / 3, 2 / 9], [1 / 3, 1 / 9], [0.0, 1 / 3]])
    y = weighted_sum(s, W)
    np.testing.assert_allclose(y[:, 0], [0.954, 0.782, 0.370], atol=5e-4)
    np.testing.assert_allclose(y[:, 1], [0.906, 0.701, 0.331], atol=5e-4)


scores = hnp.arrays(np.float64, (7, 4), elements=st.floats(0, 1) | st.just(NAN))


@st.composite
def node_weights(draw: st.DrawFn, m: int = 4, k: int = 3) -> np.ndarray:
    raw = draw(hnp.arrays(np.float64, (m, k), elements=st.floats(0, 1)))
    raw[0] += 0.1  # every node has a positive weight somewhere
    return raw / raw.sum(axis=0)


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, (7, 4), elements=st.floats(0, 1)), node_weights())
def test_node_matrix_equals_separate_products_and_renormalize_equals_propagate(
    S: np.ndarray, W: np.ndarray
) -> None:
    y = weighted_sum(S, W)
    for k in range(W.shape[1]):
        # Equal up to the summation order of the matrix product.
        np.testing.assert_allclose(weighted_sum(S, W[:, k]), y[:, k], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(y, S @ W, rtol=1e-12, atol=1e-15)
    # Without NaN, renormalising changes nothing.
    np.testing.assert_array_equal(weighted_sum(S, W, missing="renormalize"), y)


@settings(max_examples=100, deadline=None)
@given(scores, node_weights())
def test_renormalize_formula_and_coverage(S: np.ndarray, W: np.ndarray) -> None:
    res = weighted_sum_with_coverage(S, W, missing="renormalize")
    P = (~np.isnan(S)).astype(float)
    S0 = np.nan_to_num(S)
    cov = P @ W
    np.testing.assert_allclose(res.coverage, cov, atol=1e-12)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(cov > 0, (S0 @ W) / cov, np.nan)
    np.testing.assert_allclose(res.scores, expected, rtol=1e-9, atol=1e-12)
    # Propagate: NaN exactly where a positively weighted indicator of the node is NaN.
    prop = weighted_sum(S, W)
    hit = (np.isnan(S).astype(float) @ (W > 0).astype(float)) > 0
    np.testing.assert_array_equal(np.isnan(prop), hit)
    np.testing.assert_allclose(prop[~hit], (S0 @ W)[~hit], rtol=1e-12, atol=1e-15)
    # Row permutation permutes the results.
    perm = np.arange(S.shape[0])[::-1]
    np.testing.assert_array_equal(weighted_sum(S[perm], W, missing="renormalize"), res.scores[perm])


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, (5, 4), elements=st.floats(0, 1)),
    node_weights(),
    st.integers(0, 4),
    st.integers(0, 3),
    st.floats(0, 1),
)
def test_improving_a_score_never_lowers_the_weighted_sum(
    S: np.ndarray, W: np.ndarray, i: int, j: int, step: float
) -> None:
    better = S.copy()
    better[i, j] = min(1.0, better[i, j] + step)
    assert (weighted_sum(better, W) >= weighted_sum(S, W) - 1e-15).all()


def test_nan_in_an_unweighted_indicator_does_not_touch_the_node() -> None:
    W = np.array([[1.0, 0.5], [0.0, 0.5]])
    y = weighted_sum([[0.4, NAN]], W)
    assert y[0, 0] == pytest.approx(0.4)
    assert np.isnan(y[0, 1])


def test_min_coverage_and_empty_node() -> None:
    S = [[1.0, NAN, NAN], [NAN, NAN, NAN], [0.5, 0.5, 0.5]]
    with pytest.warns(CoverageWarning):
        res = weighted_sum_with_coverage(
            S, [0.2, 0.4, 0.4], missing="renormalize", min_coverage=0.5
        )
    np.testing.assert_array_equal(res.scores, [NAN, NAN, 0.5])
    np.testing.assert_allclose(res.coverage, [0.2, 0.0, 1.0])


def test_weight_validation_lists_every_problem() -> None:
    with pytest.raises(WeightsError) as info:
        weighted_sum([[0.5, 0.5]], [[0.5, -0.1], [0.5, 0.2]])
    assert len(info.value.problems) == 2  # a negative weight and node 1 not summing to 1
    with pytest.raises(WeightsError):
        weighted_sum([[0.5, 0.5]], [1.0])
    with pytest.raises(OptionError):
        weighted_sum([[0.5]], [1.0], missing="drop")  # type: ignore[arg-type]


def test_weighted_geometric_zero_rule_and_epsilon() -> None:
    # OECD/JRC (2008), sec. 1.6.2: geometric aggregation; prod s^w.
    S = [[0.25, 1.0], [0.0, 1.0], [0.0, NAN]]
    np.testing.assert_allclose(weighted_geometric(S, [0.5, 0.5]), [0.5, 0.0, 0.0])
    y = weighted_geometric(S, [0.5, 0.5], epsilon=0.01)
    assert y[1] == pytest.approx(0.1)
    assert np.isnan(y[2])
    # A zero with zero weight does not matter.
    assert weighted_geometric([[0.0, 0.49]], [0.0, 1.0])[0] == pytest.approx(0.49)
    with pytest.raises(DataValidationError):
        weighted_geometric([[-0.1, 0.5]], [0.5, 0.5])


def test_weighted_geometric_renormalize_and_nodes() -> None:
    W = np.array([[0.5, 1.0], [0.5, 0.0]])
    y = weighted_geometric([[0.36, NAN]], W, missing="renormalize")
    np.testing.assert_allclose(y, [[0.36, 0.36]])
    y = weighted_geometric([[0.36, NAN]], W)
    assert np.isnan(y[0, 0])
    assert y[0, 1] == pytest.approx(0.36)
