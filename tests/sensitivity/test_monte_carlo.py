"""Tests of renoscore.sensitivity.monte_carlo: the uncertainty analysis and its sources."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

import renoscore as rs
from renoscore import ranking
from renoscore.errors import DataValidationError, OptionError, WeightsError
from renoscore.sensitivity import (
    JudgementNoise,
    MeasurementError,
    Sources,
    WeightNoise,
    uncertainty,
)
from tests._extras import needs


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
    pd = needs("pandas")
    frame = res.to_frame()
    assert isinstance(frame, pd.DataFrame)
    # Participation is not assessed at t0 for the 9 estates without a project (domain brief
    # §5.5): they have no rank there.
    assert len(frame) == 30 * 5 - 9 == int((~np.isnan(res.base_rank)).sum())


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


def test_a_progress_check_phase_has_no_ranking_to_analyse(example) -> None:  # type: ignore[no-untyped-def]
    # The mid-works phase t_proc measures only the participation block (domain brief §5): it
    # is a progress check with no overall score, so there is no overall ranking to perturb.
    system, data, _, _ = example
    with pytest.raises(OptionError, match="no ranking") as info:
        uncertainty(
            system,
            data,
            phase="t_proc",
            missing="renormalize",
            n=20,
            seed=1,
            sources={"weights": {}},
        )
    assert "progress check: t_proc measures participation only" in str(info.value)


def test_a_dimension_not_assessed_stays_empty(example) -> None:  # type: ignore[no-untyped-def]
    # At t0 the participation block does not apply to estates without a project: there the
    # dimension is not assessed, so it has no rank in any draw, and no record.
    system, data, _, _ = example
    res = uncertainty(
        system, data, phase="t0", missing="renormalize", n=20, seed=1, sources={"weights": {}}
    )
    k = res.level_index("participation")
    base = rs.evaluate(system, data.select(phase="t0"), missing="renormalize")
    unassessed = np.isnan(base.scores("participation"))
    assert unassessed.sum() == 9
    assert np.isnan(res.rank_median[unassessed, k]).all()
    assert not np.isnan(res.rank_median[~unassessed, k]).any()
    assert len([r for r in res.records() if r["level"] == "participation"]) == 21


def test_scoring_options_as_one_object(example) -> None:  # type: ignore[no-untyped-def]
    # The base scoring options as keywords or as one ScoringOptions: the same analysis, and
    # the settings record them (impute_by included) so that the run can be repeated.
    from renoscore._options import ScoringOptions
    from renoscore.sensitivity import one_at_a_time, sensitivity

    system, data, _, weights = example
    run = {"phase": "t0", "n": 40, "seed": 4, "levels": "goal", "sources": {"weights": {}}}
    options = ScoringOptions(missing="impute_mean", aggregation="geometric", tie_method="average")
    keywords = uncertainty(
        system, data, weights, missing="impute_mean", aggregation="geometric",
        tie_method="average", **run,
    )  # fmt: skip
    one = uncertainty(system, data, weights, options=options, **run)
    np.testing.assert_array_equal(one.rank_median, keywords.rank_median)
    np.testing.assert_array_equal(one.score_mean, keywords.score_mean)
    assert one.settings.scoring == options
    assert one.settings.impute_by is None
    assert one.settings.tie_method == "average"
    again = type(one.settings).model_validate_json(one.settings.model_dump_json())
    assert again.scoring == options
    sobol = sensitivity(
        system, data, weights, options=options, phase="t0", n=8, seed=4, sources={"weights": {}}
    )
    assert sobol.settings.scoring == options
    oat = one_at_a_time(system, data, weights, phase="t0", options=options)
    assert oat.settings.scoring == options
    with pytest.raises(OptionError, match="given twice"):
        uncertainty(system, data, weights, options=options, missing="renormalize", **run)
    with pytest.raises(OptionError, match="unknown missing policy") as info:
        uncertainty(system, data, weights, missing="drop", **run)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "missing"


def test_an_outlier_treatment_is_refused(example) -> None:  # type: ignore[no-untyped-def]
    # The draws re-score perturbed values and other normalisations without treating them.
    from renoscore._options import ScoringOptions

    system, data, _, weights = example
    options = ScoringOptions(missing="renormalize", treat=True)
    with pytest.raises(OptionError, match="outlier treatment") as info:
        uncertainty(system, data, weights, phase="t0", options=options, sources={"weights": {}})
    assert info.value.problems[0].path == "treat"
