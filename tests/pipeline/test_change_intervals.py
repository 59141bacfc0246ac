"""Changes with their uncertainty: the delta method through goalposts and the tree, and classes.

Checked against a published worked example (EURACHEM/CITAC QUAM, example A1), against a Monte
Carlo simulation of the same model, by hand on the mini system, and by hypothesis: a change
within its own interval is never called an improvement.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.aggregate import Tree, tree_means
from renoscore.pipeline.change_intervals import change_classes, critical_value


def test_geometric_mean_reproduces_the_eurachem_cadmium_standard() -> None:
    # EURACHEM/CITAC Guide "Quantifying Uncertainty in Analytical Measurement" (2nd ed. 2000),
    # example A1: c = 1000 m P / V with m = 100.28 mg (u 0.05), P = 0.9999 (u 0.000058),
    # V = 100.0 ml (u 0.07); published c = 1002.7 mg/l with u(c) = 0.9 mg/l (0.0009 relative).
    # The weighted geometric mean of (m, P, 1/V) with weights 1/3 is (m P / V)^(1/3), so
    # c = 1000 g^3 and u(c)/c = 3 u(g)/g by the delta method.
    m, p, v = 100.28, 0.9999, 100.0
    u = np.array([[0.05, 0.000058, 0.07 / v**2]])
    x = np.array([[m, p, 1.0 / v]])
    tree = Tree.build(3, [[0, 1, 2]], [[1 / 3] * 3])
    out = tree_means(x, tree, method="geometric", variance=u**2)
    assert out.variance is not None
    g, sd_g = out.scores[0, 0], float(np.sqrt(out.variance[0, 0]))
    c = 1000 * g**3
    u_c = c * 3 * sd_g / g
    assert round(c, 1) == 1002.7
    assert round(u_c, 1) == 0.9
    assert round(u_c / c, 4) == 0.0009


def test_arithmetic_variance_follows_the_renormalised_weights() -> None:
    # goal = 0.6 g1 + 0.4 leaf 3; g1 = mean of leaves 0, 1, 2; leaf 1 missing in the row.
    tree = Tree.build(4, [[5, 3], [0, 1, 2]], [[0.6, 0.4], [1 / 3] * 3])
    S = np.array([[0.5, np.nan, 0.7, 0.2]])
    var = np.array([[0.01, 0.04, 0.0, 0.09]])
    out = tree_means(S, tree, variance=var)
    assert out.variance is not None
    # g1 = (s0 + s2) / 2: Var = 0.01 / 4; goal = 0.6 g1 + 0.4 s3: Var = 0.36 Var g1 + 0.16 * 0.09
    np.testing.assert_allclose(out.variance[0], [0.36 * 0.0025 + 0.16 * 0.09, 0.0025])


def test_delta_method_agrees_with_simulation_inside_the_goalposts() -> None:
    # Errors on values well inside their goalposts: the goalpost map is linear there, so the
    # delta method is exact for the arithmetic mean and a simulation must agree with it.
    from renoscore.pipeline.change_intervals import score_sd
    from renoscore.pipeline.scoring import system_tree

    system = rs.load_system("old_community_renovation@1")
    result = rs.evaluate(
        system, rs.example_data(version=1).select(phase="t1"), missing="renormalize"
    )
    floor, target = system.goalpost_arrays()
    lo, hi = np.minimum(floor, target), np.maximum(floor, target)
    X, status = np.asarray(result.values), np.asarray(result.status)
    span = np.abs(target - floor)
    inside = (lo + 0.1 * span < X) & (hi - 0.1 * span > X) & (status == 0)
    se = np.where(inside, 0.02 * span, 0.0)
    rows = np.arange(X.shape[0])
    sd = score_sd(result, rows, se, None)
    tree = system_tree(system, result.weights, result.provenance.options)
    rng = np.random.default_rng(7)
    draws = []
    for _ in range(2000):
        S = np.clip((X + rng.standard_normal(X.shape) * se - floor) / (target - floor), 0, 1)
        S[status != 0] = np.nan
        draws.append(100 * tree_means(S, tree, applicable=status != 2).scores)
    simulated = np.std(np.array(draws), axis=0)
    # Every group of every row: the Monte Carlo error of an sd from 2000 draws is about 1.6 %.
    groups = len(system.groups)
    np.testing.assert_allclose(simulated, sd[:, :groups], rtol=0.08, atol=1e-9)
    assert (sd[:, 0] > 0).all()


def test_changes_on_the_mini_system_by_hand(mini_system: rs.IndicatorSystem) -> None:
    rows = [
        {"community_id": "A", "phase": "t0", "f_a": 0.65, "f_b": 1, "s_dist": 900, "s_sat": 2.5},
        {"community_id": "A", "phase": "t1", "f_a": 0.65, "f_b": 1, "s_dist": 900, "s_sat": 2.8},
    ]
    result = rs.evaluate(mini_system, rows)
    se = np.zeros((2, 4))
    se[:, 3] = [0.1, 0.1]
    cmp = rs.compare(result, phases=("t0", "t1"), standard_errors=se)
    j = cmp.node_ids.index("s_sat")
    # s_sat: goalposts 1 -> 4, slope 100/3 per point; change 0.3 points = +10.0 on 0-100,
    # sd of the change 100/3 * sqrt(2) * 0.1 = 4.714, half width 1.96 * 4.714 = 9.24:
    # clearly positive.
    assert cmp.delta[0, j] == pytest.approx(10.0)
    assert cmp.half_width[0, j] == pytest.approx(critical_value(0.95) * 100 / 3 * 0.1 * 2**0.5)
    assert cmp.class_name(0, j) == "improved"
    # Services = mean(s_dist, s_sat): half the change and half the sd; overall = 0.4 services.
    k = cmp.node_ids.index("services")
    assert cmp.delta[0, k] == pytest.approx(5.0)
    assert cmp.half_width[0, k] == pytest.approx(cmp.half_width[0, j] / 2)
    assert cmp.half_width[0, 0] == pytest.approx(0.4 * cmp.half_width[0, j] / 2)
    # A larger standard error puts the same change within its interval: no clear change.
    wide = rs.compare(result, phases=("t0", "t1"), standard_errors=se * 1.2)
    assert wide.class_name(0, j) == "no clear change"
    # Overall: +2.0 against a half width of 0.4 x 11.09 / 2 = 2.22.
    assert wide.summary()["changes"] == {"improved": 0, "no clear change": 1, "worse": 0}
    assert wide.community("A")["no_clear_change"] == ["s_sat"]
    # A 90 % interval is narrower.
    assert (
        rs.compare(result, phases=("t0", "t1"), standard_errors=se * 1.2, level=0.9).class_name(
            0, j
        )
        == "improved"
    )


def test_declared_measurement_error_and_the_system_default(mini_system: rs.IndicatorSystem) -> None:
    rows = [
        {"community_id": "A", "phase": "t0", "f_a": 0.65, "f_b": 1, "s_dist": 900, "s_sat": 2.5},
        {"community_id": "A", "phase": "t1", "f_a": 0.70, "f_b": 1, "s_dist": 880, "s_sat": 2.5},
    ]
    result = rs.evaluate(mini_system, rows)
    exact = rs.compare(result, phases=("t0", "t1"))
    assert (exact.half_width == 0).all()  # the mini system declares no measurement_sd
    assert exact.class_name(0, exact.node_ids.index("s_dist")) == "improved"
    noisy = rs.compare(result, phases=("t0", "t1"), measurement={"sd": {"s_dist": 50.0}})
    assert noisy.class_name(0, noisy.node_ids.index("s_dist")) == "no clear change"
    with pytest.raises(rs.OptionError, match="invalid measurement error"):
        rs.compare(result, phases=("t0", "t1"), measurement={"sd": {"s_dist": "x"}, "bad": 1})
    with pytest.raises(rs.OptionError, match="level must be between 0 and 1"):
        rs.compare(result, phases=("t0", "t1"), level=1.5)
    with pytest.raises(rs.OptionError, match="standard errors do not fit"):
        rs.compare(result, phases=("t0", "t1"), standard_errors=np.zeros((3, 4)))


def test_gc02_belonging_is_no_clear_change_on_the_example() -> None:
    # The issue's case: GC02's sense of belonging 4.05 -> 3.77, about 1.5 standard errors of
    # a survey mean, was called a decline.
    from renoscore.survey import example_responses_path, score_survey

    data = rs.example_data(version=1)
    result = rs.evaluate(rs.load_system("old_community_renovation@1"), data, missing="renormalize")
    responses = example_responses_path(version=1)
    se = score_survey(responses, "resident_survey@1", warn=False).standard_errors(data)
    cmp = rs.compare(result, phases=("t0", "t1"), standard_errors=se)
    c = cmp.community("GC02")
    assert "c_belonging" in c["no_clear_change"]
    assert "c_belonging" not in c["worse"]
    rec = {r["node"]: r for r in cmp.node_records("GC02")}["c_belonging"]
    assert rec["change"] == pytest.approx(-7.667, abs=1e-3)
    assert rec["change_low"] < 0 < rec["change_high"]
    # Every overall change of the twelve renovated estates is clearly positive.
    assert cmp.summary()["changes"] == {"improved": 12, "no clear change": 0, "worse": 0}


@settings(max_examples=200, deadline=None)
@given(
    delta=st.floats(-100, 100, allow_nan=False),
    half=st.floats(0, 100, allow_nan=False),
)
def test_a_change_within_its_interval_is_never_an_improvement(delta: float, half: float) -> None:
    cls = change_classes(np.array([delta]), np.array([half]))[0]
    if abs(delta) <= half:
        assert cls == 0
    if cls == 1:
        assert delta - half > 0
    if cls == -1:
        assert delta + half < 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.01, 2.0))
def test_end_to_end_changes_within_their_interval_are_never_improvements(
    seed: int, scale: float
) -> None:
    rng = np.random.default_rng(seed)
    system = rs.load_system("old_community_renovation@1")
    data = rs.example_data(version=1)
    result = rs.evaluate(system, data, missing="renormalize")
    se = rng.uniform(0, scale, size=data.values.shape) * np.abs(
        np.subtract(*system.goalpost_arrays())
    )
    cmp = rs.compare(result, phases=("t0", "t1"), standard_errors=se)
    inside = np.abs(cmp.delta) <= cmp.half_width
    assert not (cmp.change_class[inside] == 1).any()
    assert not (cmp.change_class[inside] == -1).any()
