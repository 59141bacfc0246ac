"""Tests of renoscore.sensitivity.sobol: the Sobol' estimators and the sensitivity analysis."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from renoscore.errors import OptionError
from renoscore.sensitivity import (
    JudgementNoise,
    Sources,
    WeightNoise,
    sensitivity,
)
from renoscore.sensitivity.sobol import _RankSobol, saltelli_design, sobol_bootstrap, sobol_indices


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
