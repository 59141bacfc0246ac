"""Benchmark of renoscore.audit: the whole statistical audit and its stages, in read passes.

The budget of issue 20: on 100,000 communities x 40 indicators (4 dimensions of 10) the whole
audit within 60 read passes of the data matrix. A *read pass* is the time of ``X.sum()`` on the
(N, 40) float64 matrix, measured next to every timing in this one run; every figure is the
median of a few repeats. Reported for complete data and for data with 2 % missing cells (then
Spearman re-ranks every pair of columns on its complete rows), with the time of each stage
(the evaluation the audit reads, moments, treatment preview, correlations, consistency, main
effects) measured on its own.

``--quick`` runs small sizes and checks the answers: skewness and kurtosis against
``scipy.stats``, Pearson and Spearman against numpy / scipy, Cronbach's alpha against its
formula, the PCA eigenvalues against numpy, the main effects of the (linear) overall score
against the squared Pearson correlations, and that every winsorised column ends below the
skewness threshold or is log-transformed.

Usage: python benchmarks/bench_audit.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.stats as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import renoscore as rs
from renoscore.audit import audit, column_stats, main_effects, treat
from renoscore.audit.correlation import correlations

DIMS, PER_DIM = 4, 10
BUDGET = 60.0


def make_system() -> rs.IndicatorSystem:
    """Four dimensions of ten benefit indicators on 0-100, dimension weights 1:2:3:4."""
    lines = [
        "id: bench", 'version: "1"', "name: {en: Bench, zh: 基准}",
        "phases:", "  - {id: t0, name: {en: before, zh: 改造前}}",
        "goal:", "  id: goal", "  name: {en: Goal, zh: 目标}",
        "  weighting: {method: fixed, weights: {d0: 1, d1: 2, d2: 3, d3: 4}}", "  children:",
    ]  # fmt: skip
    for k in range(DIMS):
        lines += [f"    - id: d{k}", f"      name: {{en: D{k}, zh: 维{k}}}", "      children:"]
        for j in range(PER_DIM):
            lines += [
                f"        - id: i{k}_{j}", f"          name: {{en: I{k}.{j}, zh: 指标{k}.{j}}}",
                "          unit: points", "          kind: continuous",
                "          direction: benefit", "          range: [0, 1000]",
                "          goalposts: {floor: 0, target: 100}", "          supplier: government",
                "          source: bench",
            ]  # fmt: skip
    return rs.load_system("\n".join(lines) + "\n")


def make_data(system: rs.IndicatorSystem, n: int, missing: float = 0.0, seed: int = 0) -> Any:
    """A common factor per dimension; one skewed indicator with outliers, one saturated."""
    rng = np.random.default_rng(seed)
    m = DIMS * PER_DIM
    latent = np.repeat(rng.normal(size=(n, DIMS)), PER_DIM, axis=1)
    X = np.clip(50 + 12 * latent + 10 * rng.normal(size=(n, m)), 0, 100)
    X[:, 3] = np.minimum(rng.lognormal(3.0, 0.9, size=n), 1000)  # skewed, a long right tail
    X[:, 12] = np.clip(X[:, 12] + 60, 0, 140)  # mostly at or beyond the target
    if missing:
        X[rng.random(X.shape) < missing] = np.nan
    return rs.load_data(X, system, ids=[f"c{i:06d}" for i in range(n)])


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def read_pass(X: np.ndarray) -> float:
    return timed(lambda: X.sum(), 15)[0]


def stages(system: Any, data: Any, repeats: int) -> list[tuple[str, float]]:
    """The audit's stages, each timed alone on the same data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rs.evaluate(system, data, missing="renormalize")
    Z = np.hstack([np.asarray(result.indicator_scores), result.group_scores])
    X = np.asarray(data.values)
    y = result.overall
    return [
        ("evaluate (scores the audit reads)", timed(
            lambda: rs.evaluate(system, data, missing="renormalize"), repeats)[0]),
        ("moments (column_stats)", timed(lambda: column_stats(X), repeats)[0]),
        ("treatment preview (treat)", timed(lambda: treat(X), repeats)[0]),
        ("correlations (Pearson + Spearman)", timed(
            lambda: correlations(Z, range(40), range(40, 45)), repeats)[0]),
        ("main effects (44 nodes)", timed(lambda: main_effects(Z[:, :44], y), repeats)[0]),
    ]  # fmt: skip


def full() -> None:
    system = make_system()
    print(f"{'N':>9} | {'data':<12} | {'operation':<36} | {'median s':>9} | {'read passes':>11}")
    print("-" * 90)
    verdicts = []
    for n in (1_000, 100_000):
        for missing in (0.0, 0.02):
            data = make_data(system, n, missing)
            X = np.ascontiguousarray(data.values)
            unit = read_pass(X)
            label = "complete" if not missing else f"{missing:.0%} missing"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, _ = timed(lambda d=data: audit(system, d), 3)
                rows = [("whole audit", t), *stages(system, data, 3)]
            for name, secs in rows:
                print(f"{n:>9,} | {label:<12} | {name:<36} | {secs:>9.4f} | {secs / unit:>11.1f}")
            if n == 100_000:
                verdicts.append((label, t / unit))
    for label, passes in verdicts:
        met = "met" if passes <= BUDGET else "NOT met"
        print(f"budget 100,000 x 40, {label}: {passes:.1f} read passes (<= {BUDGET:.0f}: {met})")


def quick() -> None:
    system = make_system()
    data = make_data(system, 2_000, missing=0.02, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = audit(system, data)
        result = rs.evaluate(system, data, missing="renormalize")
    X = np.asarray(data.values)
    for j in range(X.shape[1]):
        x = X[~np.isnan(X[:, j]), j]
        assert abs(a.stats.skew[j] - st.skew(x, bias=False)) < 1e-9, j
        assert abs(a.stats.kurt[j] - st.kurtosis(x, bias=False)) < 1e-9, j
    Z = np.hstack([np.asarray(result.indicator_scores), result.group_scores])
    for i, j in ((0, 5), (0, 41), (17, 40), (39, 44)):
        both = ~np.isnan(Z[:, i]) & ~np.isnan(Z[:, j])
        r = np.corrcoef(Z[both, i], Z[both, j])[0, 1]
        assert abs(a.correlations.pearson[i, j] - r) < 1e-12
        if j >= 40:  # Spearman: indicator x group pairs
            rho = st.spearmanr(Z[both, i], Z[both, j]).statistic
            assert abs(a.correlations.spearman[i, j] - rho) < 1e-12
    d0 = [f"i0_{j}" for j in range(PER_DIM)]
    cols = [a.node_ids.index(i) for i in d0]
    C = a.correlations.moments.cov[np.ix_(cols, cols)]
    k = len(cols)
    alpha = k / (k - 1) * (1 - np.trace(C) / C.sum())
    assert abs(a.consistency["d0"].alpha - alpha) < 1e-12
    sub = Z[:, cols][~np.isnan(Z[:, cols]).any(axis=1)]
    ev = np.sort(np.linalg.eigvalsh(np.corrcoef(sub, rowvar=False)))[::-1]
    assert np.allclose(a.consistency["d0"].eigenvalues, ev)
    y = result.overall
    me = main_effects(Z[:, :40], y)
    r2 = np.array([np.corrcoef(Z[ok, j], y[ok])[0, 1] ** 2
                   for j in range(40) for ok in [~np.isnan(Z[:, j]) & ~np.isnan(y)]])  # fmt: skip
    assert np.nanmax(np.abs(me.S - r2)) < 0.05, np.nanmax(np.abs(me.S - r2))
    for c in a.treatment.columns:
        assert c.step == "log" or abs(c.skew[1]) < 2 or c.kurt[1] < 3.5
    assert any(c.column == 3 for c in a.treatment.columns)
    assert any(f.subject == "i1_2" for f in a.flagged("saturated"))
    print(f"bench_audit --quick: answers agree ({len(a.flags)} flags on 2,000 x 40)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; check the answers")
    (quick if parser.parse_args().quick else full)()
