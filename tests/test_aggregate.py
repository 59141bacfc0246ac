"""Tests of renoscore.aggregate against published worked examples, plus invariants."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.aggregate import (
    fuzzy_compose,
    fuzzy_comprehensive,
    grey_relational,
    topsis,
    weighted_geometric,
    weighted_sum,
    weighted_sum_with_coverage,
)
from renoscore.errors import (
    ConstantIndicatorWarning,
    CoverageWarning,
    DataValidationError,
    OptionError,
    WeightsError,
)
from renoscore.normalize import goalposts

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


# ----------------------------------------------------------------------------------------------
# grey relational analysis
# ----------------------------------------------------------------------------------------------


def _gra_by_definition(X: np.ndarray, w: np.ndarray, benefit: np.ndarray, rho: float) -> np.ndarray:
    """Deng (1982) grey relational grade, transcribed literally with loops (test oracle)."""
    n, m = X.shape
    r = np.empty_like(X)
    for j in range(m):
        lo, hi = X[:, j].min(), X[:, j].max()
        for i in range(n):
            r[i, j] = (X[i, j] - lo) / (hi - lo) if benefit[j] else (hi - X[i, j]) / (hi - lo)
    delta = [[abs(1.0 - r[i, j]) for j in range(m)] for i in range(n)]
    dmin = min(min(row) for row in delta)
    dmax = max(max(row) for row in delta)
    return np.array(
        [
            sum(w[j] * (dmin + rho * dmax) / (delta[i][j] + rho * dmax) for j in range(m))
            for i in range(n)
        ]
    )


def test_grey_relational_hand_worked_example() -> None:
    # Deng (1982): with rho = 0.5, Delta_min = 0 and Delta_max = 1 after min-max normalisation,
    # xi = 0.5 / (Delta + 0.5). Alternative 3 sits half-way in both criteria: xi = 0.5, grade 0.5.
    X = [[1.0, 10.0], [0.0, 20.0], [0.5, 15.0]]
    g = grey_relational(X, [0.5, 0.5], ["benefit", "cost"])
    np.testing.assert_allclose(g, [1.0, 1 / 3, 0.5])


def test_grey_relational_textbook_data_matches_definition() -> None:
    # Data of the six-alternative, nine-indicator GRA evaluation in 司守奎 & 孙兆亮 (2015),
    # 数学建模算法与应用 (第2版), ch. 14 (indicators 2-4 are costs; equal weights; rho 0.5).
    # The book's printed grades could not be checked here, so the oracle is Deng's definition
    # computed literally; the ranking A4 > A3 > A6 > A2 > A5 > A1 follows from it.
    a = np.array(
        [
            [0.83, 0.90, 0.99, 0.92, 0.87, 0.95],
            [326, 295, 340, 287, 310, 303],
            [21, 38, 25, 19, 27, 10],
            [3.2, 2.4, 2.2, 2.0, 0.9, 1.7],
            [0.20, 0.25, 0.12, 0.33, 0.20, 0.09],
            [0.15, 0.20, 0.14, 0.09, 0.15, 0.17],
            [250, 180, 300, 200, 150, 175],
            [0.23, 0.15, 0.27, 0.30, 0.18, 0.26],
            [0.87, 0.95, 0.99, 0.89, 0.82, 0.94],
        ]
    )
    X = a.T
    benefit = np.array([True, False, False, False, True, True, True, True, True])
    w = np.full(9, 1 / 9)
    g = grey_relational(X, w, benefit)
    np.testing.assert_allclose(g, _gra_by_definition(X, w, benefit, 0.5), rtol=1e-12)
    assert list(np.argsort(-g)) == [3, 2, 5, 1, 4, 0]


def test_grey_relational_reference_none_normalisation_and_nan() -> None:
    S = np.array([[1.0, 0.5], [0.5, 0.5], [NAN, 1.0]])
    g = grey_relational(S, [0.5, 0.5], ["benefit", "benefit"], normalization="none")
    # Delta = 1 - S; Delta_min = 0, Delta_max = 0.5 -> xi = 0.25 / (Delta + 0.25).
    np.testing.assert_allclose(g[:2], [0.5 * 1 + 0.5 * 1 / 3, 1 / 3])
    assert np.isnan(g[2])
    # An explicit reference on the raw scale (here the worst values) reverses the preference.
    X = [[1.0], [2.0], [3.0]]
    g = grey_relational(X, [1.0], ["benefit"], reference=[1.0])
    assert g[0] > g[1] > g[2]
    with pytest.raises(OptionError):
        grey_relational(X, [1.0], ["benefit"], rho=0.0)
    with pytest.raises(OptionError):
        grey_relational(X, [1.0], ["cost"], normalization="none")


# ----------------------------------------------------------------------------------------------
# fuzzy comprehensive evaluation
# ----------------------------------------------------------------------------------------------


def test_fuzzy_compose_textbook_staff_evaluation() -> None:
    # 司守奎 & 孙兆亮 (2015), 数学建模算法与应用 (第2版), ch. 14, one-level fuzzy comprehensive
    # evaluation of a staff member: factors (political attitude, ability, attitude, results),
    # A = (0.25, 0.2, 0.25, 0.3), comment set (优秀, 良好, 一般, 较差, 差) and the membership matrix
    # R of survey shares; published B = A o R = (0.175, 0.53, 0.275, 0.02, 0), verdict 良好.
    R = [
        [0.1, 0.5, 0.4, 0.0, 0.0],
        [0.2, 0.5, 0.2, 0.1, 0.0],
        [0.2, 0.5, 0.3, 0.0, 0.0],
        [0.2, 0.6, 0.2, 0.0, 0.0],
    ]
    res = fuzzy_compose(R, [0.25, 0.2, 0.25, 0.3], grade_values=[95, 85, 75, 65, 55])
    np.testing.assert_allclose(res.membership[0], [0.175, 0.53, 0.275, 0.02, 0.0], atol=1e-12)
    assert res.grade_index[0] == 1  # 良好
    assert res.score[0] == pytest.approx(0.175 * 95 + 0.53 * 85 + 0.275 * 75 + 0.02 * 65)


def test_fuzzy_comprehensive_triangular_memberships() -> None:
    # Comment set {优 85, 良 70, 中 55, 差 40} of a Chinese community-service FCE (domain brief,
    # sec. 6): 77.5 lies half-way between 良 and 优; 30 is below 差's centre.
    res = fuzzy_comprehensive([[77.5], [30.0], [55.0]], [1.0], grades=[85, 70, 55, 40])
    np.testing.assert_allclose(
        res.membership, [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]]
    )
    np.testing.assert_array_equal(res.grade_index, [0, 3, 2])  # a tie goes to the grade first
    np.testing.assert_allclose(res.score, [77.5, 40.0, 55.0])


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, (6, 3), elements=st.floats(0, 100)),
    st.sampled_from(["triangular", "trapezoidal"]),
)
def test_fuzzy_memberships_sum_to_one_and_permute(S: np.ndarray, shape: str) -> None:
    w = [0.5, 0.3, 0.2]
    res = fuzzy_comprehensive(S, w, [85, 70, 55, 40], shape)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.membership.sum(axis=1), 1.0)
    assert ((res.score >= 40 - 1e-9) & (res.score <= 85 + 1e-9)).all()
    if shape == "triangular":
        # With triangular memberships the weighted score is the weighted mean of the clipped
        # scores, since the memberships interpolate the grade values linearly.
        np.testing.assert_allclose(res.score, np.clip(S, 40, 85) @ np.array(w))
    perm = np.arange(6)[::-1]
    res_p = fuzzy_comprehensive(S[perm], w, [85, 70, 55, 40], shape)  # type: ignore[arg-type]
    np.testing.assert_allclose(res_p.membership, res.membership[perm])


def test_fuzzy_trapezoidal_plateau_and_operators() -> None:
    # plateau 0.5: the core of 良 (centre 70, gaps 15) is 70 +- 3.75.
    res = fuzzy_comprehensive([[73.0], [77.5]], [1.0], [85, 70, 55, 40], "trapezoidal")
    np.testing.assert_allclose(res.membership[0], [0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(res.membership[1], [0.5, 0.5, 0.0, 0.0])
    S = [[85.0, 55.0]]
    mm = fuzzy_comprehensive(S, [0.7, 0.3], [85, 70, 55, 40], operator="min_max")
    # Zadeh M(and, or): b = (0.7, 0, 0.3, 0), normalised.
    np.testing.assert_allclose(mm.membership[0], [0.7, 0.0, 0.3, 0.0])
    pm = fuzzy_comprehensive(S, [0.7, 0.3], [85, 70, 55, 40], operator="product_max")
    np.testing.assert_allclose(pm.membership[0], [0.7, 0.0, 0.3, 0.0])


def test_fuzzy_missing_values() -> None:
    S = [[85.0, NAN], [70.0, 70.0]]
    prop = fuzzy_comprehensive(S, [0.5, 0.5], [85, 70, 55, 40])
    assert prop.grade_index[0] == -1
    assert np.isnan(prop.score[0])
    assert prop.score[1] == pytest.approx(70.0)
    ren = fuzzy_comprehensive(S, [0.5, 0.5], [85, 70, 55, 40], missing="renormalize")
    np.testing.assert_allclose(ren.membership[0], [1.0, 0.0, 0.0, 0.0])
    assert ren.score[0] == pytest.approx(85.0)


def test_fuzzy_validation() -> None:
    with pytest.raises(OptionError):
        fuzzy_comprehensive([[50.0]], [1.0], [85, 55, 70])
    with pytest.raises(OptionError):
        fuzzy_comprehensive([[50.0]], [1.0], [85, 70], operator="max")  # type: ignore[arg-type]
    with pytest.raises(DataValidationError):
        fuzzy_compose([[0.5, 1.5]], [1.0], [1, 0])
    with pytest.raises(WeightsError):
        fuzzy_compose([[0.5, 0.5]], [0.9], [1, 0])
