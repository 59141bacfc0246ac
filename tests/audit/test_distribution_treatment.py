"""Skewness, kurtosis, the outlier rule and COINr's treatment, against published numbers.

Published numbers: COINr's vignettes "Outlier Treatment" and "Analysis" (COINr 1.1, Becker et
al. 2022), on the vector ``c(1:10, 30, 100)`` and on COINr's ASEM example data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from renoscore.audit.distribution import (
    column_stats,
    kurtosis,
    outlier_flags,
    passes_skew_kurt,
    skewness,
)
from renoscore.audit.treatment import apply_treatment, log_ct, treat, winsorise
from renoscore.errors import DataValidationError, OptionError

VECTOR = np.array([*range(1, 11), 30, 100], dtype=float)


# ------------------------------------------------------------------ moments
def test_moments_match_scipy_on_random_columns_with_gaps() -> None:
    rng = np.random.default_rng(7)
    X = rng.lognormal(size=(200, 6))
    X[rng.random(X.shape) < 0.1] = np.nan
    s = column_stats(X)
    for j in range(6):
        x = X[~np.isnan(X[:, j]), j]
        assert s.n[j] == x.size
        assert s.skew[j] == pytest.approx(st.skew(x, bias=False), rel=1e-12)
        assert s.kurt[j] == pytest.approx(st.kurtosis(x, bias=False), rel=1e-12)
        assert s.sd[j] == pytest.approx(np.std(x, ddof=1), rel=1e-12)
        assert s.median[j] == np.median(x)
        assert (s.minimum[j], s.maximum[j]) == (x.min(), x.max())


def test_published_coinr_vector() -> None:
    assert skewness(VECTOR)[0] == pytest.approx(3.063241, abs=5e-7)
    assert kurtosis(VECTOR)[0] == pytest.approx(9.741391, abs=5e-7)
    assert not passes_skew_kurt(skewness(VECTOR), kurtosis(VECTOR))[0]


def test_published_coinr_get_stats_asem(asem: dict[str, Any]) -> None:
    # "Analysis" vignette, get_stats on the raw ASEM data: Flights 2.10 / 4.51 -> OUT,
    # and the Dets_Table of "Outlier Treatment": Goods 2.649973 / 8.266610, Services passes.
    X = np.column_stack([asem["Flights"], asem["Goods"], asem["Services"]])
    s = column_stats(X)
    assert s.skew.tolist() == pytest.approx([2.1032872, 2.6499733, 1.7010849], abs=5e-7)
    assert s.kurt.tolist() == pytest.approx([4.5088794, 8.2666095, 2.3756557], abs=5e-7)
    assert outlier_flags(s.skew, s.kurt).tolist() == [True, True, False]
    assert s.sd[0] == pytest.approx(46.7, abs=0.05)  # printed to 3 significant figures


def test_degenerate_columns_give_nan_without_warnings() -> None:
    X = np.array([[1.0, 5.0, np.nan, 1.0], [2.0, 5.0, np.nan, np.nan], [4.0, 5.0, np.nan, 2.0]])
    with np.errstate(all="raise", under="ignore"):
        s = column_stats(X)
    assert s.constant.tolist() == [False, True, False, False]
    assert np.isnan(s.skew[1])
    assert np.isnan(s.kurt[1])
    assert s.sd[1] == 0.0
    assert np.isnan(s.mean[2])
    assert s.n[2] == 0
    assert np.isnan(s.median[2])
    assert np.isnan(s.kurt[0])
    assert not np.isnan(s.skew[0])
    assert np.isnan(s.skew[3])


def test_infinite_values_are_refused() -> None:
    with pytest.raises(DataValidationError):
        column_stats([1.0, np.inf, 2.0])


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(np.float64, hs.tuples(hs.integers(4, 40), hs.integers(1, 4)),
               elements=hs.floats(-1e6, 1e6, allow_nan=False)),
    hs.floats(0.1, 100.0), hs.floats(-1e3, 1e3),
)  # fmt: skip
def test_shape_statistics_are_invariant_to_positive_affine_maps(
    X: np.ndarray, a: float, b: float
) -> None:
    s0, s1 = column_stats(X), column_stats(a * X + b)
    ok = ~s0.constant & ~s1.constant & (s0.sd > 1e-6 * (np.abs(X).max(axis=0) + 1))
    assert np.allclose(s0.skew[ok], s1.skew[ok], rtol=1e-6, atol=1e-6)
    assert np.allclose(s0.kurt[ok], s1.kurt[ok], rtol=1e-6, atol=1e-6)
    assert np.allclose(column_stats(-X).skew[ok], -s0.skew[ok], rtol=1e-9, atol=1e-9)


# ------------------------------------------------------------------ treatment
def test_published_coinr_treat_vector() -> None:
    t = treat(VECTOR, winmax=2)
    (c,) = t.columns
    assert (c.step, c.winsorised) == ("winsorised", 1)
    assert c.skew[1] == pytest.approx(1.712038, abs=5e-7)
    assert c.kurt[1] == pytest.approx(1.815781, abs=5e-7)
    assert t.values[:, 0].tolist() == [*range(1, 11), 30, 30]
    assert [(p.row, p.side, p.before, p.after) for p in t.points] == [(11, "high", 100.0, 30.0)]


def test_published_coinr_treat_defaults_asem(asem: dict[str, Any]) -> None:
    # "Outlier Treatment" vignette, Treat(df1) with defaults: Flights 1 point (1.900658,
    # 3.336065), Goods 2 points (1.140608, 0.1572047), Services untouched.
    X = np.column_stack([asem["Flights"], asem["Goods"], asem["Services"]])
    t = treat(X)
    by = {c.column: c for c in t.columns}
    assert set(by) == {0, 1}
    assert (by[0].winsorised, by[1].winsorised) == (1, 2)
    assert by[0].skew[1] == pytest.approx(1.900658, abs=5e-7)
    assert by[0].kurt[1] == pytest.approx(3.336065, abs=5e-7)
    assert by[1].skew[1] == pytest.approx(1.140608, abs=5e-7)
    assert by[1].kurt[1] == pytest.approx(0.1572047, abs=5e-8)
    # Treated_Points: Flights row 30 (GBR) "winhi", Goods rows 11 and 35 (DEU, CHN) "winhi".
    assert sorted((p.column, asem["uCode"][p.row]) for p in t.points) == [
        (0, "GBR"), (1, "CHN"), (1, "DEU"),
    ]  # fmt: skip
    assert np.array_equal(t.values[:, 2], X[:, 2])


def test_published_coinr_treat_winmax_one_goes_to_log(asem: dict[str, Any]) -> None:
    # qTreat(df1, winmax = 1, ...) / Treat(..., f1_para = list(winmax = 1)): Goods fails after
    # one point (2.469910, 7.087309) and its ORIGINAL values are log transformed:
    # 0.03104001, -0.8888965.
    X = np.column_stack([asem["Flights"], asem["Goods"]])
    t = treat(X, winmax=1)
    goods = next(c for c in t.columns if c.column == 1)
    assert goods.step == "log"
    assert goods.winsorised == 1
    assert goods.skew[1] == pytest.approx(2.469910, abs=5e-7)
    assert goods.kurt[1] == pytest.approx(7.087309, abs=5e-7)
    assert goods.skew[2] == pytest.approx(0.03104001, abs=5e-9)
    assert goods.kurt[2] == pytest.approx(-0.8888965, abs=5e-8)
    assert goods.passes == (False, False, True)
    expected = np.log(X[:, 1] - X[:, 1].min() + 0.01 * (X[:, 1].max() - X[:, 1].min()))
    assert np.array_equal(t.values[:, 1], expected)
    assert all(p.column == 0 for p in t.points)  # Goods' winsorised point was not kept


def test_published_coinr_winmax_zero_logs_flights(asem: dict[str, Any]) -> None:
    # indiv_specs Flights winmax = 0: log transform, -0.09502644 / -0.8305217.
    t = treat(asem["Flights"], winmax=0)
    (c,) = t.columns
    assert (c.step, c.winsorised) == ("log", 0)
    assert c.skew[2] == pytest.approx(-0.09502644, abs=5e-9)
    assert c.kurt[2] == pytest.approx(-0.8305217, abs=5e-8)


def test_a_winsorised_column_falls_below_the_threshold() -> None:
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(size=200), 40.0, 55.0]
    assert abs(skewness(x)[0]) > 2
    t = treat(x)
    (c,) = t.columns
    assert c.step == "winsorised"
    assert abs(skewness(t.values)[0]) < 2
    assert abs(c.skew[1]) < 2


def test_untreated_data_are_untouched_bit_for_bit() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 4))
    X[3, 1] = np.nan
    X[:, 2] = np.r_[rng.normal(size=59), 80.0]
    before = X.copy()
    t = treat(X)
    assert t.treated_columns() == (2,)
    assert np.array_equal(X, before, equal_nan=True)  # the input is not modified
    for j in (0, 1, 3):
        assert t.values[:, j].tobytes() == X[:, j].tobytes()
    assert treat(X[:, [0, 1]]).values.tobytes() == X[:, [0, 1]].tobytes()


def test_replay_from_json_reproduces_the_treated_values(asem: dict[str, Any]) -> None:
    import json

    X = np.column_stack([asem["Flights"], asem["Goods"], asem["Services"]])
    for kwargs in ({}, {"winmax": 1}, {"winmax": 1, "combine": True}):
        t = treat(X, **kwargs)
        doc = json.loads(json.dumps(t.to_dict()))
        assert apply_treatment(X, doc).tobytes() == t.values.tobytes()
    other = X.copy()
    other[29, 0] += 1.0
    with pytest.raises(DataValidationError, match="cannot replay"):
        apply_treatment(other, treat(X).to_dict())


def test_missing_cells_stay_missing_and_ties_move_together() -> None:
    x = np.array([*range(1, 21), 100, 100, np.nan])  # skew 2.82, kurtosis 7.13
    v, count, side = winsorise(x, winmax=5)
    assert np.isnan(v[-1, 0])
    assert count[0] == 2
    assert v[20, 0] == v[21, 0] == 20.0
    assert side[20, 0] == side[21, 0] == 1


def test_negative_skew_winsorises_the_low_end() -> None:
    x = -VECTOR
    t = treat(x, winmax=2)
    assert t.points[0].side == "low"
    assert t.points[0].after == -30.0


def test_log_ct_of_a_constant_column_is_left_alone() -> None:
    v, lo, shift = log_ct(np.ones((4, 1)))
    assert np.array_equal(v, np.ones((4, 1)))
    assert np.isnan(lo[0])
    assert np.isnan(shift[0])


def test_bad_settings_are_refused_together() -> None:
    with pytest.raises(OptionError) as err:
        treat(VECTOR, winmax=-1, skew_threshold=0.0)
    assert len(err.value.problems) == 2
