"""Correlations, consistency, main effects, availability and discrimination, against published
numbers (COINr's "Analysis" vignette on its ASEM data) and against scipy / pandas / numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from renoscore.audit._pairwise import pairwise_moments
from renoscore.audit.availability import availability
from renoscore.audit.consistency import group_consistency, principal_components
from renoscore.audit.correlation import correlations, pearson_p_values, spearman_pairwise
from renoscore.audit.discrimination import discrimination
from renoscore.audit.importance import main_effects, relative
from tests._extras import needs

P2P = ["StMob", "Research", "Pat", "CultServ", "CultGood", "Tourist", "MigStock", "Lang"]
SOCIAL = ["Poverty", "Palma", "TertGrad", "FreePress", "TolMin", "NGOs", "CPI", "FemLab", "WomParl"]


def _random_with_gaps(seed: int, n: int = 80, m: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 1))
    Z = base + rng.normal(size=(n, m)) * rng.uniform(0.3, 2.0, size=m)
    Z[:, 1] = np.round(Z[:, 1])  # ties
    Z[rng.random(Z.shape) < 0.15] = np.nan
    return Z


# ------------------------------------------------------------------ correlations
def test_pearson_and_spearman_pairwise_complete_match_pandas() -> None:
    pd = needs("pandas")
    Z = _random_with_gaps(11)
    c = correlations(Z)
    frame = pd.DataFrame(Z)
    assert np.allclose(c.pearson, frame.corr().to_numpy(), atol=1e-12)
    assert np.allclose(c.spearman, frame.corr(method="spearman").to_numpy(), atol=1e-12)
    assert np.array_equal(c.n, (~np.isnan(Z)).astype(int).T @ (~np.isnan(Z)).astype(int))


def test_pairwise_covariances_match_pandas_and_scipy_p_values() -> None:
    pd = needs("pandas")
    Z = _random_with_gaps(12)
    pm = pairwise_moments(Z)
    assert np.allclose(pm.cov, pd.DataFrame(Z).cov().to_numpy(), atol=1e-12)
    both = ~np.isnan(Z[:, 0]) & ~np.isnan(Z[:, 3])
    r, p = st.pearsonr(Z[both, 0], Z[both, 3])
    assert pm.r[0, 3] == pytest.approx(r, abs=1e-12)
    assert pearson_p_values(pm.r, pm.n)[0, 3] == pytest.approx(p, rel=1e-9)


def test_complete_data_take_the_fast_path_and_agree_with_numpy_and_scipy() -> None:
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(60, 4)) @ rng.normal(size=(4, 4))
    c = correlations(Z)
    assert np.allclose(c.pearson, np.corrcoef(Z, rowvar=False), atol=1e-12)
    assert np.allclose(c.spearman, st.spearmanr(Z).statistic, atol=1e-12)


def test_a_constant_column_has_no_correlation_and_no_warning() -> None:
    Z = np.column_stack([np.arange(10.0), np.full(10, 3.0), np.arange(10.0) ** 2])
    with np.errstate(all="raise", under="ignore"):
        c = correlations(Z)
    assert np.isnan(c.pearson[0, 1])
    assert np.isnan(c.spearman[1, 2])
    assert c.spearman[0, 2] == pytest.approx(1.0)


def test_spearman_re_ranks_each_pairs_complete_rows() -> None:
    Z = np.array([[1.0, 10.0], [2.0, np.nan], [3.0, 30.0], [100.0, 20.0]])
    assert spearman_pairwise(Z)[0, 1] == pytest.approx(st.spearmanr([1, 3, 100], [10, 30, 20])[0])


@settings(max_examples=30, deadline=None)
@given(hs.integers(0, 10_000))
def test_correlations_are_symmetric_and_bounded(seed: int) -> None:
    c = correlations(_random_with_gaps(seed, n=25, m=4))
    for R in (c.pearson, c.spearman):
        ok = ~np.isnan(R)
        assert np.array_equal(ok, ok.T)
        assert np.allclose(R[ok], R.T[ok])
        assert (np.abs(R[ok]) <= 1.0).all()


# ------------------------------------------------------------------ consistency
def test_published_coinr_cronbach_alpha_p2p(asem: dict[str, Any]) -> None:
    # "Analysis" vignette: get_cronbach(coin, dset = "Raw", iCodes = "P2P", Level = 1)
    # = 0.05126659 (pairwise-complete covariance matrix; 17 cells are NA).
    Z = np.column_stack([asem[c] for c in P2P])
    assert np.isnan(Z).sum() == 17
    g = group_consistency(Z, range(8), pairwise_moments(Z))
    assert g.alpha == pytest.approx(0.05126659, abs=5e-9)


def test_published_coinr_pca_social(asem: dict[str, Any]) -> None:
    # "Analysis" vignette: summary(prcomp) of the Social group after na.omit (37 rows):
    # standard deviations 2.2042 1.1256 0.9788 ..., proportion of variance of PC1 0.5398.
    Z = np.column_stack([asem[c] for c in SOCIAL])
    g = group_consistency(Z, range(9), pairwise_moments(Z))
    assert g.complete == 37
    assert g.first_share == pytest.approx(0.5398, abs=5e-5)
    assert np.sqrt(g.eigenvalues[:3]) == pytest.approx([2.2042, 1.1256, 0.9788], abs=5e-5)
    assert g.eigen_above_one == 2


def test_one_child_fewer_rows_and_constant_children_are_explained() -> None:
    rng = np.random.default_rng(4)
    Z = rng.normal(size=(6, 8))
    pm = pairwise_moments(Z)
    one = group_consistency(Z, [0], pm)
    assert (one.alpha_reason, one.pca_reason) == ("one_child", "one_child")
    wide = group_consistency(Z, range(8), pm)
    assert wide.pca_reason == "too_few_rows"
    assert wide.eigen_above_one is None
    assert not np.isnan(wide.alpha)
    Z[:, 2] = 1.0
    const = group_consistency(Z, [0, 1, 2], pairwise_moments(Z))
    assert (const.pca_reason, const.constant) == ("constant_child", (2,))


def test_pca_eigenvalues_match_numpy() -> None:
    rng = np.random.default_rng(8)
    X = rng.normal(size=(50, 5)) @ rng.normal(size=(5, 5))
    ev, _ = principal_components(X)
    assert np.allclose(ev, np.sort(np.linalg.eigvalsh(np.corrcoef(X, rowvar=False)))[::-1])
    assert ev.sum() == pytest.approx(5.0)


# ------------------------------------------------------------------ main effects
def test_main_effects_of_an_additive_linear_index_are_the_squared_correlations() -> None:
    rng = np.random.default_rng(0)
    sd = np.array([1.0, 2.0, 0.5])
    X = rng.normal(size=(6000, 3)) * sd
    w = np.array([0.4, 0.3, 0.3])
    y = X @ w
    me = main_effects(X, y)
    # For a linear E(y|x_i) the correlation ratio is the squared Pearson correlation
    # (Paruolo et al. 2013); population values 0.29, 0.66, 0.04, this sample's r^2 below.
    r2 = np.array([np.corrcoef(X[:, j], y)[0, 1] ** 2 for j in range(3)])
    assert pytest.approx(r2, abs=0.02) == me.S
    assert me.S.sum() == pytest.approx(1.0, abs=0.05)  # additive, independent: sum S_i = 1


def test_main_effect_sees_what_a_correlation_misses() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(5000, 2))
    y = x[:, 0] ** 2 + 0.2 * x[:, 1]
    me = main_effects(x, y)
    v1, v2 = 4 / 45, 0.04 / 3
    assert abs(np.corrcoef(x[:, 0], y)[0, 1]) < 0.05
    assert pytest.approx([v1 / (v1 + v2), v2 / (v1 + v2)], abs=0.02) == me.S


def test_main_effect_of_a_binary_variable_is_eta_squared() -> None:
    rng = np.random.default_rng(2)
    b = (rng.random(400) < 0.3).astype(float)
    y = 2.0 * b + rng.normal(size=400)
    eta2 = np.corrcoef(b, y)[0, 1] ** 2  # two groups: the correlation ratio equals r^2
    assert main_effects(b[:, None], y).S[0] == pytest.approx(eta2, abs=1e-9)


def test_main_effects_are_invariant_to_increasing_transforms_and_handle_degenerate() -> None:
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=(300, 1))
    y = np.log(x[:, 0]) + 0.3 * rng.normal(size=300)
    a, b = main_effects(x, y).S[0], main_effects(np.log(x), y).S[0]
    assert a == b
    X = np.column_stack([np.full(300, 2.0), x[:, 0]])
    X[:290, 1] = np.nan
    with np.errstate(all="raise", under="ignore"):
        me = main_effects(X, y)
    assert me.S[0] == 0.0
    assert me.constant[0]
    assert me.n[1] == 10
    assert np.isnan(main_effects(x, np.ones(300)).S[0])  # y constant: undefined


def test_relative() -> None:
    assert relative([0.0, 0.0]).tolist() == [pytest.approx(np.nan, nan_ok=True)] * 2


# ------------------------------------------------------------------ availability, goalposts
def test_availability_counts_only_applicable_cells() -> None:
    status = np.array([[0, 1, 2], [0, 0, 0], [1, 1, 2], [2, 2, 2]], dtype=np.int8)
    member = np.array([[1, 1], [1, 0], [1, 0]], dtype=bool)
    av = availability(status, np.array([0, 0, 1, 1]), 2, member)
    assert av.indicator.tolist()[0] == [1.0, 0.5, 1.0]
    assert np.isnan(av.indicator[1, 2])
    assert av.indicator_applicable[1].tolist() == [1, 1, 0]
    assert av.row[:3].tolist() == [0.5, 1.0, 0.0]
    assert np.isnan(av.row[3])
    assert av.group[0].tolist() == [0.5, 1.0]


def test_discrimination_reads_cost_goalposts_and_phases() -> None:
    X = np.array([[300.0, 1.0], [250.0, 1.0], [1000.0, 1.0], [100.0, np.nan]])
    d = discrimination(
        X, np.array([1500.0, 0.0]), np.array([300.0, 1.0]), np.array([0, 0, 0, 1]), 2
    )
    assert d.at_target[0, 0] == pytest.approx(2 / 3)
    assert d.at_target[1, 0] == 1.0
    assert d.constant()[0].tolist() == [False, True]
    assert not d.constant()[1, 1]  # nothing observed there
    assert d.observed[1].tolist() == [1, 0]
