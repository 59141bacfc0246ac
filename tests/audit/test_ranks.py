"""Ranks once per column: exact against scipy, binned against exact (equal when every bin holds
one value, within the recorded bounds otherwise), and what Spearman and the main effects read
from them."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import renoscore as rs
from renoscore.audit.correlation import correlations, spearman_pairwise
from renoscore.audit.importance import main_effects, quantile_main_effects
from renoscore.audit.ranks import EXACT_UP_TO, column_ranks, rank_mode
from renoscore.errors import DataValidationError, OptionError


def _data(seed: int, n: int, v: int, gaps: float, kind: str) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, 1)) + rng.normal(size=(n, v))
    if kind == "skewed":
        Z = np.exp(2.0 * Z)
    elif kind == "clipped":  # goalposts: many rows at 0 and at 100, a few just inside
        Z = np.clip(50.0 + 40.0 * Z, 0.0, 100.0)
    elif kind == "ties":
        Z = np.round(Z * 3.0)
    Z[rng.random(Z.shape) < gaps] = np.nan
    return Z


@settings(max_examples=25, deadline=None)
@given(hs.integers(0, 10_000), hs.integers(1, 60), hs.integers(1, 4), hs.sampled_from([0.0, 0.2]))
def test_exact_ranks_are_scipys_average_ranks(seed: int, n: int, v: int, gaps: float) -> None:
    Z = _data(seed, n, v, gaps, "ties")
    cr = column_ranks(Z, "exact")
    assert cr.mode == "exact"
    assert cr.exact.all()
    assert (cr.error == 0).all()
    for c in range(v):
        seen = ~np.isnan(Z[:, c])
        assert np.array_equal(cr.ranks[c, seen], st.rankdata(Z[seen, c]))
        assert np.isnan(cr.ranks[c, ~seen]).all()
        assert cr.n[c] == seen.sum()


@settings(max_examples=40, deadline=None)
@given(
    hs.integers(0, 10_000),
    hs.integers(2, 300),
    hs.integers(2, 64),
    hs.floats(-1e6, 1e6),
    hs.floats(1e-3, 1e4),
    hs.sampled_from([0.0, 0.1]),
)
def test_binned_ranks_are_exact_when_every_bin_holds_one_value(
    seed: int, n: int, levels: int, offset: float, step: float, gaps: float
) -> None:
    # Values on an evenly spaced lattice of at most `bins` levels: each level has its own bin.
    rng = np.random.default_rng(seed)
    bins = int(rng.choice([levels, 2 * levels, 4096]))
    Z = offset + step * rng.integers(0, levels, size=(n, 3)).astype(float)
    Z[rng.random(Z.shape) < gaps] = np.nan
    binned = column_ranks(Z, "binned", bins=bins)
    exact = column_ranks(Z, "exact")
    assert np.array_equal(binned.ranks, exact.ranks, equal_nan=True)
    assert binned.exact.all()
    assert (binned.max_error == 0).all()
    assert np.allclose(binned.spread, exact.spread)
    rho_b = correlations(Z, ranks=binned)
    rho_e = correlations(Z, ranks=exact)
    assert np.allclose(rho_b.spearman, rho_e.spearman, atol=1e-12, equal_nan=True)
    assert np.nanmax(rho_b.spearman_error, initial=0.0) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    hs.integers(0, 10_000),
    hs.integers(5, 400),
    hs.integers(2, 5),
    hs.sampled_from([4, 16, 256]),
    hs.sampled_from(["normal", "skewed", "clipped", "ties"]),
    hs.sampled_from([0.0, 0.1]),
)
def test_binned_ranks_and_spearman_stay_within_their_bounds(
    seed: int, n: int, v: int, bins: int, kind: str, gaps: float
) -> None:
    Z = _data(seed, n, v, gaps, kind)
    binned = column_ranks(Z, "binned", bins=bins)
    exact = column_ranks(Z, "exact")
    err = np.abs(binned.ranks - exact.ranks)
    assert (np.nan_to_num(err).max(axis=1) <= binned.max_error + 1e-9).all()
    sq = np.sqrt(np.nansum(err * err, axis=1))
    assert (sq <= binned.error + 1e-9).all()
    assert (binned.exact <= (np.nan_to_num(err).max(axis=1) == 0)).all()  # "exact" is proven
    b = correlations(Z, ranks=binned)
    e = correlations(Z, ranks=exact)
    both = ~np.isnan(b.spearman) & ~np.isnan(e.spearman)
    gap = np.abs(b.spearman - e.spearman)[both]
    assert (gap <= b.spearman_error[both] + 1e-9).all()


def test_spearman_of_chosen_pairs_matches_pandas_with_gaps_in_both_modes() -> None:
    pd = pytest.importorskip("pandas")
    Z = _data(5, 300, 6, 0.1, "ties")
    Z[:40, 4] = np.nan  # a "group" column with gaps of its own
    want = pd.DataFrame(Z).corr(method="spearman").to_numpy()
    got = spearman_pairwise(Z, [0, 1, 2, 3], [4, 5])
    pairs = np.ix_([0, 1, 2, 3], [4, 5])
    assert np.allclose(got[pairs], want[pairs], atol=1e-12)
    assert np.allclose(got.T[pairs], want.T[pairs], atol=1e-12)
    assert np.isnan(got[0, 1])  # not asked for
    binned = column_ranks(Z, "binned", bins=4096)  # rounded values: every bin one value
    assert np.allclose(spearman_pairwise(Z, [0, 1, 2, 3], [4, 5], binned)[pairs], want[pairs])


def test_auto_is_exact_up_to_the_documented_size() -> None:
    assert rank_mode("auto", EXACT_UP_TO) == "exact"
    assert rank_mode("auto", EXACT_UP_TO + 1) == "binned"
    assert column_ranks(np.zeros((10, 2)), "auto").mode == "exact"
    with pytest.raises(OptionError):
        rank_mode("fast", 10)
    with pytest.raises(OptionError):
        column_ranks(np.zeros((10, 2)), "binned", bins=1)
    with pytest.raises(DataValidationError):
        column_ranks(np.array([[1.0], [np.inf]]), "binned")


def test_degenerate_columns_rank_without_warnings() -> None:
    Z = np.column_stack([np.full(6, 2.0), np.full(6, np.nan), [1.0, np.nan, 3, 3, 5, 0]])
    with np.errstate(all="raise", under="ignore"):
        b = column_ranks(Z, "binned", bins=8)
        e = column_ranks(Z, "exact")
    assert np.array_equal(b.ranks, e.ranks, equal_nan=True)
    assert b.ranks[0].tolist() == [3.5] * 6
    assert b.n.tolist() == [6, 0, 5]


def test_quantile_main_effects_agree_with_the_smoother_and_with_eta_squared() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(30_000, 3))
    x[:, 2] = (x[:, 2] > 0).astype(float)
    y = x[:, 0] + x[:, 1] ** 2 + 0.3 * x[:, 2]
    binned = quantile_main_effects(column_ranks(x, "binned"), y)
    exact = quantile_main_effects(column_ranks(x, "exact"), y)
    smooth = main_effects(x, y)
    assert np.allclose(binned.S, exact.S, atol=1e-3)
    assert np.allclose(binned.S, smooth.S, atol=0.01)
    assert binned.method == "quantile bins"
    assert binned.classes.tolist() == [100, 100, 2]
    # A yes/no variable: two classes, Kelley's epsilon^2 of its two groups.
    b = x[:, 2] == 1
    ss = lambda v: ((v - v.mean()) ** 2).sum()  # noqa: E731
    eta2 = 1.0 - (ss(y[b]) + ss(y[~b])) / ss(y)
    n = y.size
    assert binned.S[2] == pytest.approx(1.0 - (n - 1) / (n - 2) * (1.0 - eta2), abs=1e-12)


def test_quantile_main_effects_leave_out_missing_rows_and_degenerate_columns() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5_000, 3))
    x[:, 2] = 4.0
    y = 2.0 * x[:, 0] + rng.normal(size=5_000)
    x[:300, 0] = np.nan
    y[-200:] = np.nan
    me = quantile_main_effects(column_ranks(x, "binned"), y)
    ok = ~np.isnan(x[:, 0]) & ~np.isnan(y)
    assert me.n[0] == ok.sum()
    assert me.S[0] == pytest.approx(np.corrcoef(x[ok, 0], y[ok])[0, 1] ** 2, abs=0.02)
    assert me.S[2] == 0.0
    assert me.constant[2]


def test_the_audit_records_its_ranking_and_accepts_the_option() -> None:
    system, data = rs.default_system(), rs.example_data()
    exact = rs.audit(system, data)
    binned = rs.audit(system, data, ranks="binned")
    assert exact.ranks["mode"] == "exact"
    assert binned.ranks["mode"] == "binned"
    assert binned.settings.ranks == "binned"
    assert binned.to_dict()["ranks"]["bins"] == 4096
    # The example's scores are few and far apart: binned ranks are the exact ones.
    assert binned.ranks["exact_columns"] == binned.ranks["columns"]
    assert np.allclose(binned.correlations.spearman, exact.correlations.spearman, equal_nan=True)
    assert exact.importance.method == "local linear"
    assert binned.importance.method == "quantile bins"
    with pytest.raises(OptionError):
        rs.audit(system, data, ranks="fast")
