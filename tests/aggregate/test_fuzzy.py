"""Tests of fuzzy comprehensive evaluation against a textbook example, plus invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.aggregate import (
    fuzzy_compose,
    fuzzy_comprehensive,
)
from renoscore.errors import (
    DataValidationError,
    OptionError,
    WeightsError,
)

NAN = float("nan")


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
