"""Tests of renoscore.weights: objective weights and subjective-objective combinations.

Published worked examples are reproduced with their published numbers; the source (author,
year, where) is cited next to each. Where the numbers were transcribed from another project's
test suite, that is said too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from renoscore.errors import ConstantIndicatorWarning, OptionError, WeightsError
from renoscore.weights import (
    coefficient_of_variation,
    combine,
    combine_many,
    critic,
    entropy,
    game_theory_coefficients,
    standard_deviation,
)
from tests._extras import needs


def _pandas() -> Any:
    """pandas, or a skip that names the extra installing it (the tests of the core need none)."""
    return needs("pandas")


# Xu (2004), EJOR 156(2):530-532, the 4 x 4 example (4 alternatives, 4 benefit attributes).
XU_2004 = np.array(
    [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]], dtype=float
)
# Zavadskas & Podvezko (2016), IJITDM 15(2):267-283, decision matrix of the IDOCRIW example;
# criteria 1 and 3 are to be minimised.
ZP_2016 = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
ZP_2016_DIRECTIONS = ["cost", "benefit", "cost", "benefit"]
# Diakoulaki, Mavrotas & Papayannakis (1995), Comput. Oper. Res. 22(7):763-770, the CRITIC
# illustration (8 alternatives, 3 criteria to maximise).

DIAKOULAKI_1995 = np.array(
    [
        [61, 1.08, 4.33],
        [20.7, 0.26, 4.34],
        [16.3, 1.98, 2.53],
        [9.0, 3.29, 1.65],
        [5.4, 2.77, 2.33],
        [4.0, 4.12, 1.21],
        [-6.1, 3.52, 2.10],
        [-34.6, 3.31, 0.98],
    ]
)


# ------------------------------------------------------------------------------------------
# Naive references (straight from the textbook formulas, one column at a time)
# ------------------------------------------------------------------------------------------


def naive_entropy(X, normalization="sum", directions=None, epsilon=0.0):
    X = np.asarray(X, dtype=float)
    m = X.shape[1]
    d = np.zeros(m)
    for j in range(m):
        x = X[:, j]
        x = x[~np.isnan(x)]
        if normalization == "minmax":
            lo, hi = x.min(), x.max()
            if hi == lo:
                continue
            cost = directions is not None and directions[j] == "cost"
            x = ((hi - x) if cost else (x - lo)) / (hi - lo) + epsilon
        p = x / x.sum()
        nz = p[p > 0]
        e = -(nz * np.log(nz)).sum() / np.log(len(x))
        d[j] = 1 - e
    return d / d.sum()


def naive_critic(X, directions=None):
    X = np.asarray(X, dtype=float)
    m = X.shape[1]
    Z = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    if directions is not None:
        for j, dj in enumerate(directions):
            if dj == "cost":
                Z[:, j] = 1 - Z[:, j]
    sigma = Z.std(axis=0)
    r = np.corrcoef(Z.T)
    c = sigma * (1 - r).sum(axis=1)
    assert c.shape == (m,)
    return c / c.sum()


# ------------------------------------------------------------------------------------------
# Entropy: published numbers
# ------------------------------------------------------------------------------------------


def test_entropy_xu_2004_published_weights():
    # Xu (2004), the worked example: entropy weights (0.4630, 0.3992, 0.1378, 0.0000).
    w = entropy(XU_2004)
    np.testing.assert_allclose(w, [0.4630, 0.3992, 0.1378, 0.0000], atol=5e-5)
    assert w[3] > 0  # 28.9 vs 29: tiny but not constant, so no zero weight by fiat


def test_entropy_zavadskas_podvezko_2016_published_weights():
    # Zavadskas & Podvezko (2016), entropy step of the IDOCRIW example:
    # q = (0.1146, 0.1981, 0.4185, 0.2689) -- computed on the raw data, cost criteria included;
    # numbers as transcribed in the test suite of energyinpython/objective-weights-for-mcda.
    expected = [0.1146, 0.1981, 0.4185, 0.2689]
    np.testing.assert_allclose(entropy(ZP_2016), expected, atol=5e-5)
    # Directions do not change sum-normalised entropy (documented policy).
    np.testing.assert_allclose(entropy(ZP_2016, directions=ZP_2016_DIRECTIONS), expected, atol=5e-5)


def test_entropy_minmax_matches_textbook_formula_with_directions_and_epsilon():
    rng = np.random.default_rng(1)
    X = rng.lognormal(size=(50, 6))
    dirs = ["benefit", "cost", "cost", "benefit", "cost", "benefit"]
    for eps in (0.0, 0.01):
        got = entropy(X, "minmax", dirs, epsilon=eps)
        np.testing.assert_allclose(got, naive_entropy(X, "minmax", dirs, eps), rtol=1e-10)
    # Direction matters in the min-max variant (the min-max image is not mirror-symmetric).
    assert not np.allclose(entropy(X, "minmax", dirs), entropy(X, "minmax"))


def test_entropy_minmax_accepts_negative_values():
    X = np.array([[-3.0, 1.0], [-1.0, 2.0], [2.0, 4.0], [0.5, 3.0]])
    np.testing.assert_allclose(entropy(X, "minmax"), naive_entropy(X, "minmax"), rtol=1e-12)


# ------------------------------------------------------------------------------------------
# Entropy: edge policy
# ------------------------------------------------------------------------------------------


def test_entropy_zeros_use_0_ln_0_convention():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [0.0, 5.0], [4.0, 1.0]])
    np.testing.assert_allclose(entropy(X), naive_entropy(X), rtol=1e-12)


def test_entropy_negative_values_with_sum_raise_and_name_indicators():
    X = np.array([[1.0, -2.0, 3.0], [2.0, 1.0, -1.0], [3.0, 2.0, 1.0]])
    with pytest.raises(WeightsError) as info:
        entropy(X, labels=["a", "b", "c"])
    err = info.value
    cols = {p.column for p in err.problems}
    assert cols == {"b", "c"}
    assert "minmax" in str(err)
    bad = {p.column: p for p in err.problems}
    assert bad["b"].row == 1
    assert bad["b"].value == -2.0
    assert bad["c"].row == 2


def test_entropy_constant_indicator_gets_zero_weight_and_warning():
    rng = np.random.default_rng(2)
    X = rng.lognormal(size=(30, 3))
    Xc = np.column_stack([X[:, 0], np.full(30, 7.5), X[:, 1:]])
    with pytest.warns(ConstantIndicatorWarning, match="'flat'"):
        w = entropy(Xc, labels=["a", "flat", "b", "c"])
    assert w[1] == 0.0
    np.testing.assert_allclose(np.delete(w, 1), entropy(X), rtol=1e-12)
    with pytest.warns(ConstantIndicatorWarning, match="'flat'"):
        w2 = entropy(Xc, "minmax", labels=["a", "flat", "b", "c"])
    assert w2[1] == 0.0


def test_entropy_all_zero_column_is_treated_as_constant():
    X = np.array([[1.0, 0.0], [2.0, 0.0], [4.0, 0.0]])
    with pytest.warns(ConstantIndicatorWarning, match="'1'"):
        w = entropy(X)
    np.testing.assert_array_equal(w, [1.0, 0.0])


@pytest.mark.filterwarnings("ignore::renoscore.errors.ConstantIndicatorWarning")
def test_entropy_all_constant_raises():
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    with pytest.raises(WeightsError, match="no indicator discriminates"):
        entropy(X)


def test_entropy_fewer_than_two_usable_rows_raises():
    X = np.array([[1.0, np.nan], [2.0, 3.0], [4.0, np.nan]])
    with pytest.raises(WeightsError) as info:
        entropy(X, labels=["x", "y"])
    assert [p.column for p in info.value.problems] == ["y"]
    with pytest.raises(WeightsError):
        entropy([[1.0, 2.0]])


def test_entropy_infinite_value_raises():
    X = np.array([[1.0, 2.0], [np.inf, 3.0], [4.0, 1.0]])
    with pytest.raises(WeightsError, match="infinite") as info:
        entropy(X)
    assert info.value.problems[0].row == 2


def test_entropy_nan_cells_dropped_per_column_with_ln_Nj():
    rng = np.random.default_rng(3)
    X = rng.lognormal(size=(40, 4))
    X[rng.random(X.shape) < 0.2] = np.nan
    X[0, 0] = np.nan
    np.testing.assert_allclose(entropy(X), naive_entropy(X), rtol=1e-10)
    dirs = ["cost", "benefit", "cost", "benefit"]
    np.testing.assert_allclose(
        entropy(X, "minmax", dirs, epsilon=0.001),
        naive_entropy(X, "minmax", dirs, 0.001),
        rtol=1e-10,
    )


def test_entropy_options_are_validated():
    X = XU_2004
    with pytest.raises(OptionError):
        entropy(X, normalization="zscore")
    with pytest.raises(OptionError):
        entropy(X, epsilon=0.01)  # epsilon only with minmax
    with pytest.raises(OptionError):
        entropy(X, "minmax", epsilon=-1.0)
    with pytest.raises(OptionError):
        entropy(X, "minmax", epsilon="small")
    with pytest.raises(OptionError) as info:
        entropy(X, directions=["benefit", "up", "cost", "down"], labels=list("abcd"))
    assert [p.column for p in info.value.problems] == ["b", "d"]
    with pytest.raises(OptionError):
        entropy(X, directions="benefit")
    with pytest.raises(OptionError):
        entropy(X, labels=["a"])
    with pytest.raises(OptionError):
        entropy(X, block_rows=0)
    with pytest.raises(WeightsError):
        entropy(np.ones(5))
    with pytest.raises(WeightsError):
        entropy(np.array([["a", "b"], ["c", "d"]]))


def test_entropy_integer_and_float32_input():
    Xi = np.array([[1, 2], [3, 5], [4, 1]], dtype=np.int64)
    np.testing.assert_allclose(entropy(Xi), naive_entropy(Xi), rtol=1e-12)
    np.testing.assert_allclose(entropy(XU_2004.astype(np.float32)), entropy(XU_2004), atol=1e-9)


def test_entropy_large_nan_blocks_and_threads_agree():
    rng = np.random.default_rng(4)
    X = rng.lognormal(size=(5000, 7))
    X[rng.random(X.shape) < 0.05] = np.nan
    X[:, 2] = np.where(rng.random(5000) < 0.5, 0.0, X[:, 2])
    ref = naive_entropy(X)
    for kw in ({}, {"block_rows": 7}, {"block_rows": 100, "workers": 2}):
        np.testing.assert_allclose(entropy(X, **kw), ref, rtol=1e-10)


def test_entropy_does_not_modify_input():
    X = np.array([[1.0, np.nan], [0.0, 3.0], [-0.0, 2.0], [4.0, 1.0]])
    before = X.copy()
    entropy(X)
    entropy(X, "minmax", ["cost", "benefit"])
    np.testing.assert_array_equal(X, before)


# ------------------------------------------------------------------------------------------
# Entropy: properties
# ------------------------------------------------------------------------------------------

positive = st.floats(0.01, 1000.0, allow_nan=False)
matrices = arrays(np.float64, st.tuples(st.integers(3, 12), st.integers(2, 6)), elements=positive)


@settings(max_examples=80, deadline=None)
@given(matrices, st.data())
def test_entropy_properties(X, data):
    n, m = X.shape
    w = entropy(X) if np.ptp(X, axis=0).all() else None
    if w is None:
        return
    assert np.all(w >= 0)
    assert abs(w.sum() - 1) < 1e-12
    c = data.draw(st.floats(0.1, 100.0))
    j = data.draw(st.integers(0, m - 1))
    Xs = X.copy()
    Xs[:, j] *= c
    np.testing.assert_allclose(entropy(Xs), w, atol=1e-9)
    rows = data.draw(st.permutations(range(n)))
    np.testing.assert_allclose(entropy(X[list(rows)]), w, atol=1e-12)
    cols = list(data.draw(st.permutations(range(m))))
    np.testing.assert_allclose(entropy(X[:, cols]), w[cols], atol=1e-12)
    b = data.draw(st.integers(1, n))
    np.testing.assert_allclose(entropy(X, block_rows=b), w, atol=1e-12)
    np.testing.assert_allclose(
        entropy(X, "minmax", block_rows=b, workers=2), entropy(X, "minmax"), atol=1e-12
    )


@settings(max_examples=50, deadline=None)
@given(matrices, st.integers(0, 5))
def test_constant_column_gets_zero_in_every_method(X, j):
    j = j % X.shape[1]
    X = X.copy()
    X[:, j] = 3.0
    live = np.delete(np.arange(X.shape[1]), j)
    if not np.ptp(X[:, live], axis=0).all():
        return
    for f in (entropy, standard_deviation, coefficient_of_variation):
        with pytest.warns(ConstantIndicatorWarning):
            w = f(X)
        assert w[j] == 0.0
        assert abs(w.sum() - 1) < 1e-12
    if len(live) >= 2:
        Zl = X[:, live]
        r = np.corrcoef(((Zl - Zl.min(0)) / np.ptp(Zl, 0)).T)
        if not np.allclose(r, 1.0):
            with pytest.warns(ConstantIndicatorWarning):
                w = critic(X)
            assert w[j] == 0.0
            np.testing.assert_allclose(w[live], naive_critic(Zl), atol=1e-9)


# ------------------------------------------------------------------------------------------
# CRITIC
# ------------------------------------------------------------------------------------------


def test_critic_diakoulaki_1995_published_weights():
    # Diakoulaki et al. (1995): weights of the illustration (0.2022, 0.4809, 0.3169), as
    # transcribed in the scikit-criteria test suite (test_CRITIC_diakoulaki1995determining).
    np.testing.assert_allclose(
        critic(DIAKOULAKI_1995), [0.20222554, 0.48090173, 0.31687273], atol=1e-7
    )


def test_critic_tus_aytac_adali_2019_published_weights():
    # Tuş & Aytaç Adalı (2019), Opsearch 56(2):528-538, time-and-attendance software example:
    # published weights (0.157, 0.249, 0.168, 0.121, 0.154, 0.151), as transcribed in the test
    # suite of objective-weights-for-mcda. C1 (price) is a cost criterion. sigma does not
    # depend on direction; the published weights are reproduced with the correlations of the
    # un-reversed C1 column (directions=None), i.e. the paper's r_1k are those of raw C1.
    X = np.array(
        [
            [5000, 3, 3, 4, 3, 2],
            [680, 5, 3, 2, 2, 1],
            [2000, 3, 2, 3, 4, 3],
            [600, 4, 3, 1, 2, 2],
            [800, 2, 4, 3, 3, 4],
        ],
        dtype=float,
    )
    published = [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]
    np.testing.assert_allclose(critic(X), published, atol=5e-4)
    # Diakoulaki's direction-aware version differs exactly by the sign of C1's correlations.
    dirs = ["cost"] + ["benefit"] * 5
    np.testing.assert_allclose(critic(X, dirs), naive_critic(X, dirs), atol=1e-12)
    assert not np.allclose(critic(X, dirs), published, atol=5e-3)


def test_critic_matches_textbook_formula_with_directions():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 5)) @ rng.normal(size=(5, 5))
    dirs = ["benefit", "cost", "benefit", "cost", "cost"]
    np.testing.assert_allclose(critic(X, dirs), naive_critic(X, dirs), atol=1e-12)
    np.testing.assert_allclose(
        critic(X, dirs, block_rows=7, workers=2), naive_critic(X, dirs), atol=1e-12
    )


def test_critic_pairwise_complete_correlations_with_nan():
    pd = _pandas()
    rng = np.random.default_rng(6)
    X = rng.normal(size=(80, 4)) @ rng.normal(size=(4, 4))
    X[rng.random(X.shape) < 0.15] = np.nan
    df = pd.DataFrame(X)
    Z = (df - df.min()) / (df.max() - df.min())
    sigma = Z.std(ddof=0).to_numpy()
    r = Z.corr().to_numpy()  # pandas: pairwise-complete Pearson
    c = sigma * (1 - r).sum(axis=1)
    np.testing.assert_allclose(critic(X), c / c.sum(), atol=1e-10)
    np.testing.assert_allclose(critic(X, block_rows=9), c / c.sum(), atol=1e-10)


@pytest.mark.filterwarnings("ignore::renoscore.errors.ConstantIndicatorWarning")
def test_critic_edge_cases():
    with pytest.raises(WeightsError, match="two non-constant"):
        critic([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    with pytest.raises(WeightsError, match="perfectly correlated"):
        critic([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    X = np.array([[1.0, np.nan], [2.0, np.nan], [3.0, 1.0], [np.nan, 2.0], [np.nan, 5.0]])
    with pytest.raises(WeightsError, match="undefined") as info:
        critic(X, labels=["p", "q"])
    assert "p" in str(info.value)
    assert "q" in str(info.value)


# ------------------------------------------------------------------------------------------
# Standard deviation and coefficient of variation
# ------------------------------------------------------------------------------------------


def test_standard_deviation_salabun_2020_published_weights():
    # Sałabun, Wątróbski & Shekhovtsov (2020), Symmetry 12(9):1549: std weights
    # (0.217, 0.294, 0.488) of a 5 x 3 matrix on [0, 1], as transcribed in the test suite of
    # objective-weights-for-mcda; the raw (unrescaled) sigma is used there.
    X = np.array(
        [
            [0.619, 0.449, 0.447],
            [0.862, 0.466, 0.006],
            [0.458, 0.698, 0.771],
            [0.777, 0.631, 0.491],
            [0.567, 0.992, 0.968],
        ]
    )
    np.testing.assert_allclose(
        standard_deviation(X, normalization="none"), [0.217, 0.294, 0.488], atol=5e-4
    )
    mm = X.std(axis=0) / np.ptp(X, axis=0)
    np.testing.assert_allclose(standard_deviation(X), mm / mm.sum(), atol=1e-12)
    with pytest.raises(OptionError):
        standard_deviation(X, normalization="zscore")


def test_coefficient_of_variation_shuai_2012_published_weights():
    # Shuai, Zongzhun, Yongji & Lei (2012), CCDC 2012 pp. 3889-3892, on Xu's (2004) data:
    # CV weights (0.4258, 0.3610, 0.2121, 0.0011), as transcribed in the test suite of
    # objective-weights-for-mcda.
    np.testing.assert_allclose(
        coefficient_of_variation(XU_2004), [0.4258, 0.3610, 0.2121, 0.0011], atol=5e-5
    )


def test_coefficient_of_variation_zero_mean_raises():
    X = np.array([[-1.0, 2.0], [1.0, 3.0], [0.0, 4.0]])
    with pytest.raises(WeightsError, match="zero mean") as info:
        coefficient_of_variation(X, labels=["centred", "ok"])
    assert [p.column for p in info.value.problems] == ["centred"]


def test_dispersion_weights_with_nan_match_pandas():
    pd = _pandas()
    rng = np.random.default_rng(7)
    X = rng.lognormal(size=(50, 3)) + 1
    X[rng.random(X.shape) < 0.2] = np.nan
    df = pd.DataFrame(X)
    sd = df.std(ddof=0) / (df.max() - df.min())
    np.testing.assert_allclose(standard_deviation(X), sd / sd.sum(), atol=1e-12)
    cv = df.std(ddof=0) / df.mean().abs()
    np.testing.assert_allclose(coefficient_of_variation(X), cv / cv.sum(), atol=1e-12)


# ------------------------------------------------------------------------------------------
# Combination
# ------------------------------------------------------------------------------------------


def test_multiplicative_reproduces_idocriw_zavadskas_podvezko_2016():
    # Zavadskas & Podvezko (2016): IDOCRIW weights = entropy q x CILOS w, renormalised.
    # Published q = (0.1146, 0.1981, 0.4185, 0.2689), w = (0.3343, 0.2199, 0.1957, 0.2501),
    # IDOCRIW = (0.1658, 0.1886, 0.3545, 0.2911) (as transcribed in objective-weights-for-mcda).
    q = np.array([0.1146, 0.1981, 0.4185, 0.2689])
    cilos = np.array([0.3343, 0.2199, 0.1957, 0.2501])
    got = combine(cilos, q / q.sum(), "multiplicative", tol=1e-3)
    np.testing.assert_allclose(got, [0.1658, 0.1886, 0.3545, 0.2911], atol=1e-4)
    # ... and from our own entropy weights of the same data.
    got2 = combine(cilos / cilos.sum(), entropy(ZP_2016), "multiplicative")
    np.testing.assert_allclose(got2, [0.1658, 0.1886, 0.3545, 0.2911], atol=2e-4)


def test_combination_formulas():
    ws = np.array([0.5, 0.3, 0.15, 0.05])
    wo = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(combine(ws, wo, "linear", 0.7), 0.7 * ws + 0.3 * wo)
    np.testing.assert_allclose(combine(ws, wo, "multiplicative"), ws * wo / (ws * wo).sum())
    g = np.sqrt(ws * wo)
    np.testing.assert_allclose(combine(ws, wo, "min_information"), g / g.sum())
    g = ws**0.3 * wo**0.7
    np.testing.assert_allclose(combine(ws, wo, "min_information", 0.3), g / g.sum())
    np.testing.assert_allclose(combine(ws, wo, "linear", 1.0), ws)
    np.testing.assert_allclose(combine(ws, wo, "min_information", 0.0), wo)
    # Game theory, two vectors: closed form of (W W^T) a = diag(W W^T).
    ss, so, oo = ws @ ws, ws @ wo, wo @ wo
    det = ss * oo - so * so
    a = np.abs([oo * (ss - so) / det, ss * (oo - so) / det])
    a /= a.sum()
    np.testing.assert_allclose(game_theory_coefficients([ws, wo]), a, rtol=1e-10)
    np.testing.assert_allclose(combine(ws, wo, "game_theory"), a[0] * ws + a[1] * wo, rtol=1e-10)


def test_game_theory_coefficients_solve_the_first_order_conditions():
    rng = np.random.default_rng(8)
    W = rng.dirichlet(np.ones(6), size=3)
    gram = W @ W.T
    a_raw = np.linalg.solve(gram, np.diag(gram))
    np.testing.assert_allclose(
        game_theory_coefficients(list(W)), np.abs(a_raw) / np.abs(a_raw).sum(), rtol=1e-9
    )
    w = combine_many(list(W), "game_theory")
    assert abs(w.sum() - 1) < 1e-12
    assert (w >= 0).all()


def test_combine_many_and_stacked_inputs():
    rng = np.random.default_rng(9)
    W = rng.dirichlet(np.ones(5), size=3)
    np.testing.assert_allclose(
        combine_many(list(W), "linear", alphas=[0.2, 0.3, 0.5]), [0.2, 0.3, 0.5] @ W
    )
    g = np.prod(W, axis=0) ** (1 / 3)
    np.testing.assert_allclose(combine_many(list(W), "min_information"), g / g.sum())
    with pytest.raises(OptionError):
        combine_many(list(W), alphas=[0.5, 0.5, 0.5])
    with pytest.raises(OptionError):
        combine_many([W[0]])
    # Stacked (..., M) inputs: one subjective vector against a stack of objective vectors.
    S = rng.dirichlet(np.ones(5), size=(4, 2))
    for method in ("linear", "multiplicative", "min_information", "game_theory"):
        got = combine(W[0], S, method)
        assert got.shape == (4, 2, 5)
        for i in range(4):
            for k in range(2):
                np.testing.assert_allclose(got[i, k], combine(W[0], S[i, k], method), atol=1e-12)


def test_combine_validation():
    ws = [0.5, 0.5]
    with pytest.raises(OptionError):
        combine(ws, ws, "average")
    for bad_alpha in (-0.1, 1.5, float("nan"), "x", True):
        with pytest.raises(OptionError):
            combine(ws, ws, alpha=bad_alpha)
    with pytest.raises(WeightsError, match="different lengths"):
        combine(ws, [0.2, 0.3, 0.5])
    with pytest.raises(WeightsError, match="sum to"):
        combine(ws, [0.2, 0.3])
    with pytest.raises(WeightsError, match="negative"):
        combine(ws, [1.2, -0.2])
    with pytest.raises(WeightsError):
        combine(ws, [np.nan, 1.0])
    with pytest.raises(WeightsError, match="undefined"):
        combine([1.0, 0.0], [0.0, 1.0], "multiplicative")
    with pytest.raises(WeightsError, match=r"objective\[1\]"):
        combine(ws, [[0.5, 0.5], [0.9, 0.9]])


weight_vectors = st.integers(2, 8).flatmap(
    lambda m: arrays(np.float64, m, elements=st.floats(0.001, 1.0)).map(lambda v: v / v.sum())
)


@settings(max_examples=100, deadline=None)
@given(weight_vectors, st.floats(0.0, 1.0))
def test_combining_equal_vectors_returns_the_vector(w, alpha):
    for method in ("linear", "min_information", "game_theory"):
        np.testing.assert_allclose(combine(w, w, method, alpha), w, atol=1e-12)
    np.testing.assert_allclose(game_theory_coefficients([w, w]), [0.5, 0.5], atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    weight_vectors.flatmap(
        lambda w: st.tuples(
            st.just(w),
            arrays(np.float64, w.shape, elements=st.floats(0.001, 1.0)).map(lambda v: v / v.sum()),
        )
    ),
    st.floats(0.0, 1.0),
)
def test_combinations_are_weight_vectors(pair, alpha):
    ws, wo = pair
    for method in ("linear", "multiplicative", "min_information", "game_theory"):
        w = combine(ws, wo, method, alpha)
        assert (w >= 0).all()
        assert abs(w.sum() - 1) < 1e-12
    lo = np.minimum(ws, wo) - 1e-12
    hi = np.maximum(ws, wo) + 1e-12
    lin = combine(ws, wo, "linear", alpha)
    assert ((lin >= lo) & (lin <= hi)).all()
