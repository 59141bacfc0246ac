"""Tests of renoscore.sensitivity.rank_stats: Spearman, Kendall's tau-b and inversions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from renoscore import ranking
from renoscore.errors import OptionError
from renoscore.sensitivity.rank_stats import inversions, kendall_tau_b, spearman_rho


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
