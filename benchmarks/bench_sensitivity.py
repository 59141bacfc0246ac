"""Benchmark of renoscore.sensitivity: many weight draws scored and ranked at once.

The headline case of issue 9: 1,000 Dirichlet weight draws x 10,000 communities x 40
indicators (4 dimensions of 10), ranks included. Reported, each as the median of a few
repeats measured in this one run:

* ``uncertainty()`` at the goal level, and its stages timed on one block: scoring (one matrix
  product), ranking (``renoscore.ranking.rank`` on ``(N, draws)`` in cache-sized blocks), rank
  statistics, Spearman, Kendall's tau-b (vectorised merge count);
* the same without Kendall, and with the four dimension levels;
* a per-draw loop computing the same statistics (``S @ w``, ``rank``, ``np.corrcoef``,
  ``scipy.stats.kendalltau``), and a per-draw loop of ``renoscore.evaluate`` alone (both timed
  on some draws and scaled);
* 30 communities x 10,000 draws, where a per-draw loop pays its overhead 10,000 times;
* scaling with the number of draws and of communities.

``--quick`` runs small sizes and checks that the answers agree: the vectorised draws give the
same ranks as ``renoscore.evaluate`` with each draw's weights, and the vectorised Kendall /
Spearman agree with scipy.stats.

Usage: python benchmarks/bench_sensitivity.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import renoscore as rs
from renoscore import ranking
from renoscore.sensitivity import Sources, WeightNoise, uncertainty
from renoscore.sensitivity.rank_stats import correlations, kendall_tau_b, rank_chunk, spearman_rho


def make_system(dims: int = 4, per_dim: int = 10) -> rs.IndicatorSystem:
    """A synthetic system: ``dims`` dimensions of ``per_dim`` benefit indicators on 0-100."""
    weights = ", ".join(f"d{k}: {k + 1}" for k in range(dims))
    lines = [
        "id: bench",
        'version: "1"',
        "name: {en: Bench, zh: 基准}",
        "phases:",
        "  - {id: t0, name: {en: before, zh: 改造前}}",
        "goal:",
        "  id: goal",
        "  name: {en: Goal, zh: 目标}",
        f"  weighting: {{method: fixed, weights: {{{weights}}}}}",
        "  children:",
    ]
    for k in range(dims):
        lines += [
            f"    - id: d{k}",
            f"      name: {{en: D{k}, zh: 维{k}}}",
            "      children:",
        ]
        for j in range(per_dim):
            lines += [
                f"        - id: i{k}_{j}",
                f"          name: {{en: I{k}.{j}, zh: 指标{k}.{j}}}",
                "          unit: points",
                "          kind: continuous",
                "          direction: benefit",
                "          range: [0, 100]",
                "          goalposts: {floor: 0, target: 100}",
                "          supplier: government",
                "          source: bench",
            ]
    return rs.load_system("\n".join(lines) + "\n")


def make_data(system: rs.IndicatorSystem, n: int, seed: int = 0) -> rs.CommunityData:
    rng = np.random.default_rng(seed)
    m = len(system.indicators)
    # A common factor makes the ranking meaningful (not pure noise).
    latent = rng.normal(size=(n, 1))
    X = np.clip(50 + 15 * latent + 10 * rng.normal(size=(n, m)), 0, 100)
    table: dict[str, Any] = {"community_id": [f"c{i:06d}" for i in range(n)]}
    table.update({ind: X[:, j] for j, ind in enumerate(system.indicator_ids)})
    return rs.load_data(table, system)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def engine_stages(S: np.ndarray, W: np.ndarray, base: np.ndarray) -> dict[str, float]:
    """The stages of the engine, timed separately on one (N, draws) block."""
    out: dict[str, float] = {}
    t = time.perf_counter()
    scores = 100.0 * (S @ W)
    out["score (one matmul)"] = time.perf_counter() - t
    t = time.perf_counter()
    ranks, mid = rank_chunk(scores, "min", 1e-9)
    out["rank (renoscore.ranking.rank, 2 MB blocks)"] = time.perf_counter() - t
    t = time.perf_counter()
    np.quantile(ranks.astype(np.float32), (0.05, 0.5, 0.95), axis=1, method="inverted_cdf")
    (ranks <= 5).mean(axis=1)
    ranking.grade(scores)
    out["quantiles, top-k, grades"] = time.perf_counter() - t
    base_mid = ranking.rank(base, method="average")
    t = time.perf_counter()
    correlations(base_mid, mid, kendall=False)
    out["Spearman"] = time.perf_counter() - t
    t = time.perf_counter()
    correlations(base_mid, mid, kendall=True)
    out["Kendall tau-b (+ Spearman)"] = time.perf_counter() - t
    return out


def loop_equivalent(S: np.ndarray, W: np.ndarray, base: np.ndarray, kendall: bool) -> None:
    """The same statistics draw by draw: score, rank, correlations, then the quantiles."""
    from scipy import stats

    n, d = S.shape[0], W.shape[1]
    ranks = np.empty((n, d), dtype=np.float32)
    base_mid = ranking.rank(base, method="average")
    for j in range(d):
        scores = 100.0 * (S @ W[:, j])
        r = ranking.rank(scores, method="min", tol=1e-9)
        ranks[:, j] = r
        np.corrcoef(base_mid, r)
        if kendall:
            stats.kendalltau(base_mid, r)
    np.quantile(ranks, (0.05, 0.5, 0.95), axis=1, method="inverted_cdf")
    (ranks <= 5).mean(axis=1)


def run_uncertainty(system: Any, data: Any, n: int, levels: str, kendall: bool = True) -> Any:
    return uncertainty(
        system,
        data,
        sources=Sources(weights=WeightNoise(concentration=100)),
        n=n,
        seed=1,
        levels=levels,  # type: ignore[arg-type]
        keep_draws=False,
        kendall=kendall,
    )


def quick() -> int:
    system = make_system(3, 4)
    data = make_data(system, 200, seed=3)
    res = uncertainty(
        system,
        data,
        sources=Sources(weights=WeightNoise(concentration=20)),
        n=40,
        seed=5,
    )
    assert res.draw_ranks is not None
    assert res.draw_weights is not None
    base_w = res.settings.weights
    bad = 0
    for d in range(0, 40, 8):
        nodes = {
            g: nw.model_copy(update={"local": tuple(res.draw_weights[g][d].tolist())})
            for g, nw in base_w.nodes.items()
        }
        wd = base_w.model_copy(update={"nodes": nodes})
        ref = rs.evaluate(system, data, wd).ranks[:, 0]
        bad += int(not np.array_equal(ref, res.draw_ranks[d]))
    from scipy import stats

    rng = np.random.default_rng(0)
    x = ranking.rank(rng.integers(0, 30, 300).astype(float), method="average")
    Y = ranking.rank(rng.integers(0, 30, (300, 6)).astype(float), method="average")
    k_ref = [stats.kendalltau(x, Y[:, j]).statistic for j in range(6)]
    s_ref = [stats.spearmanr(x, Y[:, j]).statistic for j in range(6)]
    ok_corr = np.allclose(kendall_tau_b(x, Y), k_ref) and np.allclose(spearman_rho(x, Y), s_ref)
    print(f"draws reproduced by renoscore.evaluate: {5 - bad}/5")
    print(f"Kendall tau-b and Spearman equal to scipy.stats: {ok_corr}")
    return 0 if bad == 0 and ok_corr else 1


def _draws(res: Any, n_draws: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Complete-data scores, global weight draws and base scores for the stage timings."""
    rng = np.random.default_rng(2)
    base_w = res.settings.weights.indicator_weights()
    W = (rng.dirichlet(100 * base_w, size=n_draws).T).copy()
    S = np.asarray(res.base.indicator_scores) / 100.0
    return S, W, np.asarray(res.base.group_scores[:, 0])


def full() -> int:
    system = make_system(4, 10)
    n_comm, n_draws = 10_000, 1_000
    data = make_data(system, n_comm)
    print(f"uncertainty of the ranking: {n_comm} communities x 40 indicators x {n_draws} draws")
    print("(Dirichlet weight draws at every node; medians of repeats in this one run)\n")

    t_goal, res = timed(lambda: run_uncertainty(system, data, n_draws, "goal"), 3)
    t_nok, _ = timed(lambda: run_uncertainty(system, data, n_draws, "goal", kendall=False), 3)
    t_dims, _ = timed(lambda: run_uncertainty(system, data, n_draws, "dimensions"), 1)
    S, W, base = _draws(res, n_draws)
    stages = engine_stages(S, W, base)
    sub = 100
    t_loop, _ = timed(lambda: loop_equivalent(S, W[:, :sub], base, True), 1)
    t_loop_nok, _ = timed(lambda: loop_equivalent(S, W[:, :sub], base, False), 1)
    t_loop *= n_draws / sub
    t_loop_nok *= n_draws / sub
    wobj = res.settings.weights

    def evaluate_loop() -> None:
        for _ in range(5):
            rs.evaluate(system, data, wobj)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_eval, _ = timed(evaluate_loop, 1)
    t_eval *= n_draws / 5

    rows = [
        ("uncertainty(): goal, every statistic", t_goal),
        *[(f"  stage: {k}", v) for k, v in stages.items()],
        ("uncertainty(): goal, kendall=False", t_nok),
        ("uncertainty(): goal + 4 dimensions", t_dims),
        (f"per-draw loop, same statistics ({sub} draws scaled)", t_loop),
        (f"per-draw loop, no Kendall ({sub} draws scaled)", t_loop_nok),
        ("per-draw renoscore.evaluate only (5 draws scaled)", t_eval),
    ]
    print(f"{'case':<58} {'seconds':>9} {'ratio':>8}")
    for name, t in rows:
        print(f"{name:<58} {t:>9.3f} {t / t_goal:>8.2f}")

    # Few communities, many draws: where per-draw overhead dominates a loop.
    small = make_data(system, 30, seed=4)
    t_small, res_s = timed(lambda: run_uncertainty(system, small, 10_000, "goal"), 3)
    S2, W2, base2 = _draws(res_s, 1_000)
    t_small_loop, _ = timed(lambda: loop_equivalent(S2, W2, base2, True), 1)
    t_small_loop *= 10
    print(f"\n30 communities x 10000 draws: uncertainty() {t_small:.3f} s, per-draw loop with the")
    print(
        f"same statistics {t_small_loop:.3f} s (1000 draws scaled): ratio {t_small_loop / t_small:.1f}"
    )

    print("\nscaling (goal level, every statistic, one repeat each)")
    print(f"{'communities':>11} {'draws':>6} {'seconds':>9} {'per community x draw (ns)':>26}")
    for n_c, n_d in (
        (10_000, 250),
        (10_000, 500),
        (10_000, 1_000),
        (2_500, 1_000),
        (5_000, 1_000),
        (20_000, 1_000),
    ):
        d = data if n_c == n_comm else make_data(system, n_c)
        t, _ = timed(lambda d=d, n_d=n_d: run_uncertainty(system, d, n_d, "goal"), 1)
        print(f"{n_c:>11} {n_d:>6} {t:>9.3f} {1e9 * t / (n_c * n_d):>26.1f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; check agreement")
    args = parser.parse_args()
    return quick() if args.quick else full()


if __name__ == "__main__":
    sys.exit(main())
