"""Benchmark of the difference in differences: one solve for every node of many communities.

Run from the repository root::

    python benchmarks/bench_effects.py            # 1,000 / 10,000 / 100,000 communities x 2 waves
    python benchmarks/bench_effects.py --quick    # answers only: published numbers, naive dummies

``--quick`` checks that ``renoscore.effects.within_ols`` reproduces the published Grunfeld
two-way fixed-effects estimates with firm-clustered standard errors (Gretl, Stata's
adjustment) and that the within fit equals a naive least-squares fit on explicit community and
phase dummies with a hand-written cluster sandwich. The timed runs fit the effect on every node
(the goal, 4 dimensions, 39 indicators) of an evaluation and report the time in *read passes*
of the outcome matrix (time / ``Y.sum()`` on it, measured in the same run) and the peak extra
memory as a multiple of that matrix.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import renoscore as rs  # noqa: E402
from renoscore.effects import renovation_effect, simulate_waves, within_ols  # noqa: E402

GRUNFELD = ROOT / "tests" / "effects" / "data" / "grunfeld.csv"


def check_grunfeld() -> None:
    """Gretl's two-way fixed effects on Grunfeld, firm-clustered, Stata's adjustment."""
    rows = list(csv.DictReader(GRUNFELD.open(encoding="utf-8")))
    firms = sorted({r["firm"] for r in rows})
    firm = np.array([firms.index(r["firm"]) for r in rows])
    year = np.array([int(r["year"]) for r in rows])
    y = np.array([[float(r["invest"])] for r in rows])
    x = np.array([[float(r["value"]), float(r["capital"])] for r in rows])
    dummies = (year[:, None] == np.arange(1936, 1955)[None, :]).astype(float)
    fit = within_ols(y, np.hstack([x, dummies]), firm, test=(0, 1))
    se = np.sqrt(np.diagonal(fit.cov[:, :, 0]))
    assert np.allclose(fit.coef[:, 0], [0.117716, 0.357916], rtol=5e-6), fit.coef
    assert np.allclose(se, [0.0108244, 0.0478484], rtol=5e-6), se
    print("Grunfeld two-way FE, firm clusters: 0.117716 (0.0108244), 0.357916 (0.0478484)  OK")


def check_naive(n: int = 60) -> None:
    """The within fit equals least squares on explicit dummies with a hand-written sandwich."""
    sim = simulate_waves(n=n, seed=2)
    result = rs.evaluate(rs.default_system(), sim.data)
    eff = renovation_effect(result, sim.treated, correction="full")
    ids = result.id_array
    communities = sorted(set(ids.tolist()))
    code = np.array([communities.index(c) for c in ids])
    t1 = (np.array(result.phases) == "t1").astype(float)
    D = np.isin(ids, sim.treated).astype(float) * t1
    X = np.column_stack([np.ones_like(D), D, t1, (code[:, None] == np.arange(1, n)).astype(float)])
    Y = np.hstack([result.group_scores, result.indicator_scores])
    beta, *_ = np.linalg.lstsq(X, Y, rcond=None)
    resid = Y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    N, K, G = X.shape[0], X.shape[1], n
    worst = 0.0
    for j in range(Y.shape[1]):
        meat = np.zeros((K, K))
        for g in range(G):
            s = X[code == g].T @ resid[code == g, j]
            meat += np.outer(s, s)
        V = G / (G - 1) * (N - 1) / (N - K) * bread @ meat @ bread
        worst = max(worst, abs(np.sqrt(max(V[1, 1], 0.0)) - eff.se[j]) / max(eff.se[j], 1e-6))
        assert abs(beta[1, j] - eff.effect[j]) < 1e-8
    assert worst < 1e-8, worst
    print(
        f"within fit = dummies + sandwich on {Y.shape[1]} nodes: max rel. diff of se {worst:.1e}  OK"
    )


def time_it(n: int) -> tuple[float, float, float]:
    """Median read passes, seconds and peak memory of renovation_effect on 2n rows."""
    sim = simulate_waves(n=n, seed=1)
    result = rs.evaluate(rs.default_system(), sim.data)
    Y = np.hstack([result.group_scores, result.indicator_scores])

    def call() -> None:
        renovation_effect(result, sim.treated)

    call()
    passes, seconds = [], []
    for _ in range(3 if n >= 100_000 else 5):
        t0 = time.perf_counter()
        Y.sum()
        unit = time.perf_counter() - t0
        t0 = time.perf_counter()
        call()
        took = time.perf_counter() - t0
        passes.append(took / unit)
        seconds.append(took)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(passes), statistics.median(seconds), peak / Y.nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="check the answers only")
    args = parser.parse_args()
    check_grunfeld()
    check_naive()
    if args.quick:
        print("bench_effects --quick: answers agree")
        return
    print(
        f"{'communities':>12} | {'rows':>8} | {'median s':>9} | {'read passes of Y':>16} | peak memory x Y"
    )
    for n in (1_000, 10_000, 100_000):
        p, s, mem = time_it(n)
        print(f"{n:>12,} | {2 * n:>8,} | {s:>9.4f} | {p:>16.1f} | {mem:.2f}")


if __name__ == "__main__":
    main()
