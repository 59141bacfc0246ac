"""Tests of renoscore.sensitivity and its numeric core renoscore._sensitivity_draws."""

from __future__ import annotations

import argparse
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import renoscore as rs
from renoscore import ranking
from renoscore._sensitivity_draws import (
    aggregate_draws,
    inversions,
    kendall_tau_b,
    saaty_step,
    saltelli_design,
    sobol_bootstrap,
    sobol_indices,
    spearman_rho,
)
from renoscore.errors import DataValidationError, OptionError, WeightsError
from renoscore.hierarchy import Tree, aggregate_tree
from renoscore.sensitivity import (
    JudgementNoise,
    MeasurementError,
    Sources,
    WeightNoise,
    _RankSobol,
    html_section,
    one_at_a_time,
    plot_one_at_a_time,
    plot_rank_intervals,
    plot_sobol,
    sensitivity,
    uncertainty,
)


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def example() -> tuple[rs.IndicatorSystem, rs.CommunityData, rs.Panel, rs.Weights]:
    system, data, panel = rs.default_system(), rs.example_data(), rs.example_panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # expert_c's known inconsistency
        weights = rs.derive_weights(system, panel, data, method="ahp")
    return system, data, panel, weights


@pytest.fixture(scope="module")
def example_result(example):  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    return uncertainty(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=200,
        seed=11,
        sources=Sources(
            judgements=JudgementNoise(probability=0.3), weights=WeightNoise(concentration=40)
        ),
    )


def _ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * X
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _saltelli_runs(f, k: int, n: int, seed: int):  # type: ignore[no-untyped-def]
    A, B = saltelli_design(k, n, seed=seed)
    AB = np.stack([np.where(np.arange(k) == i, B, A) for i in range(k)])
    return f(A), f(B), np.stack([f(m) for m in AB])


# ----------------------------------------------------------------------------- Sobol' estimators
def test_ishigami_indices_match_published_values() -> None:
    # Ishigami & Homma (1990) function, a = 7, b = 0.1, inputs U(-pi, pi). First-order indices
    # 0.3139, 0.4424, 0 (Saltelli et al. 2008, The Primer; quoted in SALib's documentation);
    # totals from the closed form V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
    # V13 = 8 b^2 pi^8 / 225 (Sobol' & Levitan 1999; Marrel et al. 2009): 0.5576, 0.4424, 0.2437.
    a, b = 7.0, 0.1
    V = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    V1, V2, V13 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 8 * b**2 * np.pi**8 / 225
    assert [round(V1 / V, 4), round(V2 / V, 4)] == [0.3139, 0.4424]
    assert [round((V1 + V13) / V, 4), round(V13 / V, 4)] == [0.5576, 0.2437]
    first, total, var = sobol_indices(*_saltelli_runs(_ishigami, 3, 1 << 14, seed=3))
    np.testing.assert_allclose(first, [V1 / V, V2 / V, 0.0], atol=0.02)
    np.testing.assert_allclose(total, [(V1 + V13) / V, V2 / V, V13 / V], atol=0.02)
    assert var == pytest.approx(V, rel=0.02)


@pytest.mark.parametrize("coef", [(1.0, 2.0, 3.0), (5.0, 0.5, 0.0, 1.0)])
def test_linear_additive_model_matches_analytic_indices(coef: tuple[float, ...]) -> None:
    # Y = sum a_i X_i with independent U(0, 1) inputs: Var = sum a_i^2 / 12, no interactions,
    # so S_i = S_Ti = a_i^2 / sum a_j^2 (Saltelli et al. 2008, section 1.2).
    a = np.array(coef)
    expected = a**2 / (a**2).sum()
    first, total, _ = sobol_indices(*_saltelli_runs(lambda X: X @ a, a.size, 4096, seed=1))
    np.testing.assert_allclose(first, expected, atol=0.01)
    np.testing.assert_allclose(total, expected, atol=0.01)
    first_ci, total_ci = sobol_bootstrap(
        *_saltelli_runs(lambda X: X @ a, a.size, 512, seed=2), seed=0
    )
    assert ((total_ci[:, 0] <= expected + 0.02) & (expected - 0.02 <= total_ci[:, 1])).all()
    assert (first_ci[:, 0] <= first_ci[:, 1]).all()


def test_sobol_indices_equal_scipy_reference() -> None:
    # scipy.stats.sobol_indices implements the same Saltelli (2010) / Jansen (1999) estimators
    # with mean centring; on identical runs the numbers must agree.
    f_a, f_b, f_ab = _saltelli_runs(_ishigami, 3, 256, seed=7)
    ref = stats.sobol_indices(
        func={"f_A": f_a[None], "f_B": f_b[None], "f_AB": f_ab[:, None]}, n=256
    )
    first, total, _ = sobol_indices(f_a, f_b, f_ab)
    np.testing.assert_allclose(first, np.ravel(ref.first_order), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(total, np.ravel(ref.total_order), rtol=1e-12, atol=1e-14)


def test_constant_output_has_zero_indices_and_bad_shapes_raise() -> None:
    first, total, var = sobol_indices(np.ones(8), np.ones(8), np.ones((2, 8)))
    assert var == 0.0
    assert (first == 0).all()
    assert (total == 0).all()
    with pytest.raises(OptionError):
        sobol_indices(np.ones(8), np.ones(7), np.ones((2, 8)))
    with pytest.raises(OptionError):
        sobol_indices(np.ones(8), np.full(8, np.nan), np.ones((2, 8)))


def test_rank_sobol_running_sums_equal_direct_estimators() -> None:
    rng = np.random.default_rng(4)
    fa, fb = rng.integers(1, 9, (5, 64)).astype(float), rng.integers(1, 9, (5, 64)).astype(float)
    fab = rng.integers(1, 9, (5, 3, 64)).astype(float)
    acc = _RankSobol(5, 3)
    acc.add(fa[:, :40], fb[:, :40], fab[:, :, :40])
    acc.add(fa[:, 40:], fb[:, 40:], fab[:, :, 40:])
    first, total, var = acc.indices(64)
    ref_first, ref_total, ref_var = sobol_indices(fa, fb, np.moveaxis(fab, 1, 0))
    np.testing.assert_allclose(first, ref_first.T, atol=1e-12)
    np.testing.assert_allclose(total, ref_total.T, atol=1e-12)
    np.testing.assert_allclose(var, ref_var, atol=1e-12)


# ----------------------------------------------------------------------------- rank correlation
def test_spearman_published_example() -> None:
    # Wikipedia, "Spearman's rank correlation coefficient", worked example: IQ and hours of TV
    # per week of 10 people give rho = -29/165 = -0.175757...
    iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
    tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]
    x = ranking.rank(iq, method="average", descending=False)
    y = ranking.rank(tv, method="average", descending=False)
    assert spearman_rho(x, y[:, None])[0] == pytest.approx(-29 / 165, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(2, 40),
    c=st.integers(1, 4),
    levels=st.integers(2, 12),
    seed=st.integers(0, 10_000),
)
def test_kendall_and_spearman_equal_scipy(n: int, c: int, levels: int, seed: int) -> None:
    # scipy.stats.kendalltau (tau-b, Knight 1966) and spearmanr are the reference
    # implementations; ties in both rankings exercise n_1, n_2 and n_3.
    rng = np.random.default_rng(seed)
    x = ranking.rank(rng.integers(0, levels, n).astype(float), method="average")
    Y = ranking.rank(rng.integers(0, levels, (n, c)).astype(float), method="average")
    tau = kendall_tau_b(x, Y)
    rho = spearman_rho(x, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input warnings of scipy
        k_ref = [stats.kendalltau(x, Y[:, j]).statistic for j in range(c)]
        s_ref = [stats.spearmanr(x, Y[:, j]).statistic for j in range(c)]
    np.testing.assert_allclose(tau, k_ref, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(rho, s_ref, atol=1e-12, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 70), c=st.integers(1, 3), seed=st.integers(0, 1000))
def test_inversions_equal_brute_force(n: int, c: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    Y = rng.integers(0, max(1, n // 2) + 1, (c, n))
    count, ordered = inversions(Y)
    brute = [sum(int(y[i] > y[j]) for i in range(n) for j in range(i + 1, n)) for y in Y]
    assert count.tolist() == brute
    np.testing.assert_array_equal(ordered, np.sort(Y, axis=1))


def test_kendall_rejects_non_ranks() -> None:
    with pytest.raises(OptionError):
        kendall_tau_b([1, 2, 3], np.array([[0.3], [0.1], [0.2]]))


# ----------------------------------------------------------------------------- Saaty steps
def test_saaty_steps() -> None:
    # Saaty (1980), Table 1.1: 1/9 ... 1/2, 1, 2 ... 9.
    out = saaty_step(
        [1.0, 1.0, 9.0, 1 / 9, 2.5, 2.5, 0.333, 12.0, 12.0, 3.0, np.nan],
        [1, -1, 1, -1, 1, -1, 1, 1, -1, 2, 1],
    )
    np.testing.assert_allclose(out[:10], [2, 0.5, 9, 1 / 9, 3, 2, 0.5, 12, 9, 5])
    assert np.isnan(out[10])
    # The scale is symmetric in ln: moving a_ij up moves its reciprocal down.
    a = np.array([1 / 7, 1 / 3, 1.0, 4.0])
    np.testing.assert_allclose(1.0 / saaty_step(a, 1), saaty_step(1.0 / a, -1))
    with pytest.raises(OptionError):
        saaty_step([-1.0], [1])


# ----------------------------------------------------------------------------- aggregation
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    method=st.sampled_from(["arithmetic", "geometric"]),
    missing=st.floats(0.0, 0.5),
)
def test_aggregate_draws_equals_aggregate_tree(seed: int, method: str, missing: float) -> None:
    # Each draw must score exactly like hierarchy.aggregate_tree with that draw's weights.
    rng = np.random.default_rng(seed)
    tree = Tree.build(
        6, [[0, 1], [2, 3, 4], [5, 6, 7]], [[0.5, 0.5], [0.2, 0.3, 0.5], [0.4, 0.3, 0.3]]
    )
    S = rng.random((9, 6))
    S[rng.random(S.shape) < missing] = np.nan
    S[0, 0] = 0.0
    draws = 5
    local = [rng.dirichlet(np.ones(c.size), size=draws) for c in tree.children]
    shared = aggregate_draws(S, tree, local, method=method)  # type: ignore[arg-type]
    own = aggregate_draws(np.broadcast_to(S, (draws, *S.shape)), tree, local, method=method)  # type: ignore[arg-type]
    for d in range(draws):
        ref, _ = aggregate_tree(
            S,
            Tree.build(6, [c.tolist() for c in tree.children], [w[d] for w in local]),
            method=method,
        )  # type: ignore[arg-type]
        np.testing.assert_allclose(shared[:, :, d], ref, atol=1e-13)
        np.testing.assert_allclose(own[:, :, d], ref, atol=1e-13)


# ----------------------------------------------------------------------------- uncertainty
def test_zero_uncertainty_collapses_onto_base(example) -> None:  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    res = uncertainty(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=60,
        seed=3,
        top_k=5,
        sources=Sources(
            judgements=JudgementNoise(probability=0.0),
            weights=WeightNoise(concentration=math.inf),
            aggregation=("arithmetic",),
            missing=("renormalize",),
            measurement=MeasurementError(span_fraction=0.0),
        ),
    )
    ranked = ~np.isnan(res.base_rank)
    for arr in (res.rank_p05, res.rank_median, res.rank_p95, res.rank_mean):
        np.testing.assert_array_equal(arr[ranked], res.base_rank[ranked])
    np.testing.assert_array_equal(
        res.prob_top_k[ranked], (res.base_rank[ranked] <= 5).astype(float)
    )
    assert (res.spearman == 1.0).all()
    assert (res.kendall == 1.0).all()
    assert (res.mean_abs_shift == 0.0).all()
    assert (res.score_sd[ranked] < 1e-9).all()
    np.testing.assert_allclose(res.score_mean[ranked], res.base_score[ranked], atol=1e-9)
    # The settings (with an infinite concentration) survive a JSON round trip.
    doc = json.loads(res.to_json())
    assert doc["settings"]["sources"]["weights"]["concentration"] == "Infinity"
    assert Sources.model_validate(doc["settings"]["sources"]) == res.settings.sources
    grade = ranking.grade(res.base_score[:, 0], system.grade_thresholds()[:-1])
    assert (res.prob_grade[np.arange(len(grade)), 0, grade] == 1.0).all()


def test_draws_agree_with_evaluate(example, example_result) -> None:  # type: ignore[no-untyped-def]
    # Every draw is an ordinary evaluation with that draw's weights: rebuild the Weights from
    # the recorded local weights and score with the pipeline.
    system, data, _, weights = example
    res = example_result
    assert res.draw_ranks is not None
    assert res.draw_weights is not None
    t0 = data.select(phase="t0")
    for d in (0, 57, 199):
        nodes = {
            g: nw.model_copy(update={"local": tuple(res.draw_weights[g][d].tolist())})
            for g, nw in weights.nodes.items()
        }
        ref = rs.evaluate(
            system, t0, weights.model_copy(update={"nodes": nodes}), missing="renormalize"
        )
        np.testing.assert_array_equal(ref.ranks[:, 0], res.draw_ranks[d])
    # Judgements moved the AHP nodes; equal-weight nodes moved only by the Dirichlet draw.
    assert res.draw_weights["renovation_performance"].std(axis=0).min() > 0


def test_judgement_noise_without_moves_reproduces_panel_weights(example) -> None:  # type: ignore[no-untyped-def]
    # Domain brief section 4.1 / panel_example.yaml: the AIJ group weights of the example panel
    # are F .409, S .279, P .118, C .194 (Aczél & Saaty 1983 aggregation, Saaty 1980 eigenvector).
    system, data, panel, weights = example
    res = uncertainty(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=3,
        seed=0,
        levels="goal",
        sources={"judgements": {"probability": 0.0}},
    )
    assert res.draw_weights is not None
    np.testing.assert_allclose(
        res.draw_weights["renovation_performance"],
        np.tile([0.409, 0.279, 0.118, 0.194], (3, 1)),
        atol=6e-4,
    )


def test_dirichlet_weights_have_the_declared_moments(example) -> None:  # type: ignore[no-untyped-def]
    # Dirichlet(c mu): mean mu, variance mu (1 - mu) / (c + 1) (Kotz, Balakrishnan & Johnson
    # 2000, ch. 49).
    system, data, _, _ = example
    c = 50.0
    res = uncertainty(
        system,
        data,
        phase="t0",
        missing="renormalize",
        n=4000,
        seed=8,
        levels="goal",
        sources={"weights": {"concentration": c, "nodes": ["renovation_performance"]}},
    )
    assert res.draw_weights is not None
    w = res.draw_weights["renovation_performance"]
    mu = np.array([0.409, 0.279, 0.118, 0.194])
    mu = mu / mu.sum()
    var = mu * (1 - mu) / (c + 1)
    np.testing.assert_allclose(w.mean(axis=0), mu, atol=4 * np.sqrt(var / 4000).max())
    np.testing.assert_allclose(w.var(axis=0), var, rtol=0.12)
    # Nodes not named keep their weights.
    assert np.ptp(res.draw_weights["facilities"], axis=0).max() == 0.0


def test_dominant_community_always_ranks_higher(mini_system) -> None:  # type: ignore[no-untyped-def]
    # A dominates B on every indicator (strictly, inside the goalposts), so no weights,
    # normalisation or aggregation can rank B above A.
    rng = np.random.default_rng(5)
    n = 12
    table = {
        "community_id": [f"c{i:02d}" for i in range(n)],
        "f_a": np.round(rng.uniform(0.3, 1.0, n), 3),
        "f_b": rng.integers(0, 2, n).astype(float),
        "s_dist": np.round(rng.uniform(300, 1500, n)),
        "s_sat": np.round(rng.uniform(1, 4, n), 2),
    }
    table["f_a"][:2] = [0.8, 0.5]
    table["f_b"][:2] = [1.0, 0.0]
    table["s_dist"][:2] = [600.0, 1200.0]
    table["s_sat"][:2] = [3.5, 2.0]
    data = rs.load_data(table, mini_system)
    res = uncertainty(
        mini_system,
        data,
        n=300,
        seed=9,
        sources=Sources(
            weights=WeightNoise(concentration=2.0),
            normalization=("goalposts", "minmax"),
            aggregation=("arithmetic", "geometric"),
        ),
    )
    assert res.draw_ranks is not None
    assert (res.draw_ranks[:, 0] < res.draw_ranks[:, 1]).all()
    assert res.rank_p95[1, 0] > res.rank_p05[1, 0]  # the draws did move the ranks


def test_reproducible_with_a_seed(example) -> None:  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    kwargs = {
        "panel": panel,
        "phase": "t0",
        "missing": "renormalize",
        "levels": "goal",
        "sources": {
            "judgements": {},
            "weights": {"concentration": 30},
            "missing": ("renormalize", "impute_mean"),
            "measurement": {"span_fraction": 0.05},
        },
    }
    a = uncertainty(system, data, weights, n=60, seed=123, **kwargs)  # type: ignore[arg-type]
    b = uncertainty(system, data, weights, n=60, seed=123, **kwargs)  # type: ignore[arg-type]
    c = uncertainty(system, data, weights, n=30, seed=123, **kwargs)  # type: ignore[arg-type]
    d = uncertainty(system, data, weights, n=60, seed=124, **kwargs)  # type: ignore[arg-type]
    assert a.draw_ranks is not None
    assert c.draw_ranks is not None
    assert d.draw_ranks is not None
    for name in ("rank_median", "rank_p05", "rank_p95", "prob_top_k", "spearman", "kendall"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    # A shorter run is the start of a longer one; another seed gives other draws.
    np.testing.assert_array_equal(a.draw_ranks[:30], c.draw_ranks)
    assert not np.array_equal(a.draw_ranks, d.draw_ranks)
    assert a.settings.seed == 123
    assert a.settings.sources.measurement is not None
    # Without a seed one is drawn and recorded, and it repeats the run.
    e = uncertainty(system, data, weights, n=20, **kwargs)  # type: ignore[arg-type]
    f = uncertainty(system, data, weights, n=20, seed=e.settings.seed, **kwargs)  # type: ignore[arg-type]
    np.testing.assert_array_equal(e.rank_mean, f.rank_mean)


def test_result_outputs(example_result) -> None:  # type: ignore[no-untyped-def]
    res = example_result
    assert res.levels == (
        "renovation_performance",
        "facilities",
        "public_services",
        "participation",
        "social_capital",
    )
    assert (res.rank_p05 <= res.rank_median)[~np.isnan(res.rank_p05)].all()
    assert (res.rank_median <= res.rank_p95)[~np.isnan(res.rank_p05)].all()
    np.testing.assert_allclose(np.nansum(res.prob_grade, axis=2)[~np.isnan(res.base_rank)], 1.0)
    recs = res.records(level="renovation_performance")
    assert len(recs) == 30
    assert {"rank_median", "rank_p05", "rank_p95", "prob_top_k", "prob_excellent"} <= set(recs[0])
    text = res.table(top=5)
    assert text.splitlines()[0].startswith("community")
    assert len(text.splitlines()) == 6
    doc = json.loads(res.to_json())
    assert doc["settings"]["seed"] == 11
    assert doc["settings"]["sources"]["judgements"]["probability"] == 0.3
    assert set(doc["summary"]["levels"]) == set(res.levels)
    pd = pytest.importorskip("pandas")
    frame = res.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 30 * 5


def test_measurement_error_from_a_context_column(mini_system) -> None:  # type: ignore[no-untyped-def]
    table = {
        "community_id": ["a", "b", "c", "d"],
        "f_a": [0.9, 0.8, 0.7, 0.6],
        "f_b": [1.0, 1.0, 0.0, 0.0],
        "s_dist": [400.0, 500.0, 600.0, 700.0],
        "s_sat": [3.0, 3.1, 2.9, 3.0],
        "s_sat_se": [0.0, 0.0, 0.8, 0.8],
    }
    data = rs.load_data(table, mini_system)
    res = uncertainty(
        mini_system, data, n=200, seed=1, sources={"measurement": {"sd": {"s_sat": "s_sat_se"}}}
    )
    # Only c and d carry survey error, so only their scores vary.
    assert (res.score_sd[:2, 0] < 1e-12).all()
    assert (res.score_sd[2:, 0] > 0.1).all()
    with pytest.raises(DataValidationError):
        uncertainty(mini_system, data, n=5, seed=1, sources={"measurement": {"sd": {"nope": 1.0}}})


# ----------------------------------------------------------------------------- errors
def test_errors_name_the_problem(example) -> None:  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    t0 = {"phase": "t0", "missing": "renormalize", "n": 5, "seed": 1}
    with pytest.raises(OptionError, match="at least one source"):
        uncertainty(system, data, weights, **t0)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="several phases"):
        uncertainty(system, data, weights, missing="renormalize", n=5, sources={"weights": {}})
    with pytest.raises(OptionError, match="needs weights derived by AHP"):
        uncertainty(system, data, sources={"judgements": {}}, **t0)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="needs the expert panel"):
        uncertainty(system, data, weights, sources={"judgements": {}}, **t0)  # type: ignore[arg-type]
    with pytest.raises(OptionError) as info:
        uncertainty(system, data, weights, sources={"weights": {"nodes": ["nowhere"]}}, **t0)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "nowhere"
    with pytest.raises(OptionError, match="alpha"):
        uncertainty(system, data, weights, sources={"alpha": (0.2, 0.8)}, **t0)  # type: ignore[arg-type]
    with pytest.raises(OptionError) as info:
        uncertainty(system, data, weights, sources={"judgements": {"probability": 2}}, **t0)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "judgements.probability"
    # Stakeholder-group weights change the AIJ aggregation, so these weights no longer fit.
    groups = (panel.groups[0].model_copy(update={"weight": 5.0}), *panel.groups[1:])
    other = panel.model_copy(update={"groups": groups})
    with pytest.raises(WeightsError, match="not derived from this panel"):
        uncertainty(system, data, weights, panel=other, sources={"judgements": {}}, **t0)  # type: ignore[arg-type]


def test_alpha_moves_combined_weights(example) -> None:  # type: ignore[no-untyped-def]
    system, data, panel, _ = example
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        combined = rs.derive_weights(system, panel, data, method="combined")
    res = uncertainty(
        system,
        data,
        combined,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=50,
        seed=2,
        levels="goal",
        sources={"alpha": (0.0, 1.0)},
    )
    assert res.draw_weights is not None
    assert res.draw_choices is not None
    nw = combined.nodes["renovation_performance"]
    ws, wo = (np.array(v) for v in nw.parts.values())
    alpha = res.draw_choices["alpha"]
    # Linear combination w = alpha w_s + (1 - alpha) w_o (Ma, Fan & Huang 1999).
    np.testing.assert_allclose(
        res.draw_weights["renovation_performance"],
        alpha[:, None] * ws + (1 - alpha[:, None]) * wo,
        atol=1e-12,
    )


# ----------------------------------------------------------------------------- sensitivity
def test_sensitivity_on_the_example(example) -> None:  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    res = sensitivity(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=64,
        seed=4,
        sources=Sources(
            judgements=JudgementNoise(),
            weights=WeightNoise(concentration=30),
            normalization=("goalposts",),
        ),
    )
    assert res.factors == ("judgements", "weights", "normalization")
    # A source that cannot change anything gets exactly zero.
    i = res.factors.index("normalization")
    assert res.first_order[i] == 0.0
    assert res.total_order[i] == 0.0
    assert res.total_order[res.factors.index("weights")] > 0.3
    assert res.records()[0]["source"] == "weights"
    assert res.rank_total_order is not None
    assert res.rank_variance is not None
    assert res.rank_total_order.shape == (30, 3)
    assert (res.rank_variance >= 0).all()
    assert res.settings.runs == 64 * 5
    assert "Saltelli" in res.settings.sampler
    again = sensitivity(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=64,
        seed=4,
        sources=res.settings.sources,
    )
    np.testing.assert_array_equal(again.total_order, res.total_order)
    assert "weights" in res.table()


# ----------------------------------------------------------------------------- one at a time
def test_one_at_a_time(example) -> None:  # type: ignore[no-untyped-def]
    system, data, _, weights = example
    oat = one_at_a_time(
        system, data, weights, phase="t0", missing="renormalize", changes=(-0.2, 0.0, 0.2)
    )
    # w_j (1 + delta) / (1 + w_j delta) (OECD/JRC 2008 renormalisation): 0.409 -> 0.4537.
    w = 0.409 / (0.409 + 0.279 + 0.118 + 0.194)
    assert oat.weight_after[0, 2] == pytest.approx(w * 1.2 / (1 + 0.2 * w), abs=1e-3)
    assert oat.children == ("facilities", "public_services", "participation", "social_capital")
    # No change, no rank change.
    assert (oat.spearman[:, 1] == 1.0).all()
    assert (oat.mean_abs_shift[:, 1] == 0.0).all()
    assert len(oat.records()) == 12
    assert "facilities" in oat.table()
    with pytest.raises(OptionError):
        one_at_a_time(system, data, weights, phase="t0", missing="renormalize", node="f_elevator")
    with pytest.raises(OptionError):
        one_at_a_time(system, data, weights, phase="t0", missing="renormalize", changes=(-1.5,))


# ----------------------------------------------------------------------------- charts and report
def test_charts_and_html(example, example_result) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    system, data, _, weights = example
    ax = plot_rank_intervals(example_result)
    assert len(ax.patches) == 30
    assert ax.get_xlabel().startswith("rank")
    assert len(plot_rank_intervals(example_result, level="facilities", top=10).patches) == 10
    sens = sensitivity(
        system,
        data,
        weights,
        phase="t0",
        missing="renormalize",
        n=16,
        seed=1,
        sources={"weights": {}, "missing": ("renormalize", "impute_mean")},
    )
    assert len(plot_sobol(sens).patches) == 4
    assert len(plot_sobol(sens, community="LY").patches) == 4
    oat = one_at_a_time(system, data, weights, phase="t0", missing="renormalize")
    assert len(plot_one_at_a_time(oat).lines) == 4
    html = html_section(example_result, sens, oat)
    assert html.count("<svg") == 2
    assert "Sobol" in html
    assert "LY" in html
    assert "<svg" not in html_section(example_result, charts=False)


# ----------------------------------------------------------------------------- command line
def _cli(argv: list[str]) -> int:
    from renoscore import _cli_uncertainty

    parser = argparse.ArgumentParser(prog="renoscore")
    _cli_uncertainty.add_parser(parser.add_subparsers(dest="command"))
    return _cli_uncertainty.run(parser.parse_args(argv))


def test_cli_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_json = tmp_path / "u.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = _cli(
            [
                "uncertainty",
                "--example",
                "-n",
                "100",
                "--sobol",
                "16",
                "--seed",
                "5",
                "--no-progress",
                "-o",
                str(out_json),
            ]
        )
    text = capsys.readouterr().out
    assert code == 0
    assert "rank intervals" in text
    assert "most influential sources" in text
    assert "LY" in text
    assert "seed 5" in text
    assert "judgements" in text
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert doc["uncertainty"]["settings"]["n"] == 100
    assert doc["sensitivity"]["records"]
    out_csv = tmp_path / "u.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert (
            _cli(
                [
                    "uncertainty",
                    "--example",
                    "-n",
                    "20",
                    "--sobol",
                    "0",
                    "--concentration",
                    "50",
                    "--seed",
                    "1",
                    "-o",
                    str(out_csv),
                ]
            )
            == 0
        )
    assert out_csv.read_text(encoding="utf-8").startswith("community_id,level")
    assert _cli(["uncertainty"]) == 2


def test_cli_plugs_into_renoscore_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The integrator registers the module in cli._PLUGIN_MODULES; main() then dispatches to it
    # and turns a RenoscoreError into exit code 1 with the problems listed.
    from renoscore import _cli_uncertainty, cli

    monkeypatch.setitem(cli._PLUGIN_MODULES, "uncertainty", "renoscore._cli_uncertainty")
    argv = ["uncertainty", "--example", "-n", "30", "--sobol", "0", "--seed", "2", "--no-progress"]
    assert cli.main(argv) == 0
    assert "rank intervals" in capsys.readouterr().out
    assert cli.main(["uncertainty", "--example", "-n", "0"]) == 1
    assert "n must be an integer >= 1" in capsys.readouterr().err
    assert _cli_uncertainty.main(["--example", "-n", "20", "--sobol", "0", "--seed", "1"]) == 0


def test_a_dimension_not_measured_in_the_phase_stays_empty(example) -> None:  # type: ignore[no-untyped-def]
    # The mid-works phase t_proc measures only the participation block (domain brief §5):
    # facilities have no score there, so that level has no ranks and no records.
    system, data, _, _ = example
    res = uncertainty(
        system, data, phase="t_proc", missing="renormalize", n=20, seed=1, sources={"weights": {}}
    )
    k = res.level_index("facilities")
    assert np.isnan(res.rank_median[:, k]).all()
    assert np.isnan(res.spearman[:, k]).all()
    assert not [r for r in res.records() if r["level"] == "facilities"]
    assert res.summary()["levels"]["facilities"]["communities"] == 0
    assert len(res.records(level="renovation_performance")) == 4


@pytest.mark.parametrize("name", ["renoscore.sensitivity", "renoscore._sensitivity_draws"])
def test_doctests(name: str) -> None:
    import doctest
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
        )
    assert result.attempted > 5
    assert result.failed == 0
