"""Benchmark of renoscore.programme: the exact budgeted selection against greedy and brute force.

Run ``python benchmarks/bench_plan.py`` (full: 20,000 communities x 40 items = 800,000
binaries, a budget that covers every basic item and one that does not, ten district caps) or
``--quick`` (CI: 200 brute-force cases of at most 12 items and one plan of 500 x 40 items;
checks answers, prints times but asserts none).

Data: seeded lognormal costs (median about 160,000 yuan), gamma-distributed gains scaled by a
community factor, four basic items per community, ten districts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from renoscore.programme import brute_force_selection, greedy_selection, solve_selection


def instance(n_comm: int, m: int, budget_share: float, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    n = n_comm * m
    cost = rng.lognormal(12, 1.2, n).round(-2)
    value = rng.gamma(1.5, 0.5, n) * rng.uniform(0.3, 1.0, n_comm).repeat(m)
    basic = np.tile(np.arange(m) < 4, n_comm)
    group = np.repeat(rng.integers(0, 10, n_comm), m)
    budget = float(cost.sum() * budget_share)
    caps = np.bincount(group, cost, 10) * budget_share * 1.2
    return {
        "value": value,
        "cost": cost,
        "basic": basic,
        "budget": budget,
        "group": group,
        "caps": caps,
    }


def check_brute_force(cases: int) -> None:
    rng = np.random.default_rng(2024)
    for _ in range(cases):
        n = int(rng.integers(1, 13))
        groups = int(rng.integers(0, 3))
        cost = rng.integers(1, 50, n).astype(float) * 1e4
        case = {
            "value": rng.gamma(1.0, 1.0, n),
            "cost": cost,
            "basic": rng.random(n) < 0.3,
            "budget": float(rng.uniform(0.1, 1.0) * cost.sum()),
            "group": rng.integers(-1, groups, n) if groups else None,
            "caps": rng.uniform(0.2, 0.8, groups) * cost.sum() if groups else None,
        }
        exact = solve_selection(**case).chosen
        assert np.array_equal(exact, brute_force_selection(**case)), case
    print(f"brute force: {cases} cases of <= 12 items, the MILP's plan equals brute force's")


def run(n_comm: int, m: int, share: float, time_limit: float) -> None:
    case = instance(n_comm, m, share)
    t = time.perf_counter()
    s = solve_selection(**case, time_limit=time_limit)
    t_exact = time.perf_counter() - t
    t = time.perf_counter()
    g = greedy_selection(**case)
    t_greedy = time.perf_counter() - t
    v = case["value"]
    assert s.basic_funded == int(case["basic"][g].sum())
    assert s.value >= v[g].sum() - 1e-9
    print(
        f"{n_comm} x {m} items, budget {100 * share:.1f}% of all costs: exact {t_exact:.1f} s "
        f"(proved optimal: {s.optimal}, final MILP core {s.core} items, value {s.value:.4f}, "
        f"bound {s.bound:.4f}); greedy {t_greedy:.2f} s, value {v[g].sum():.4f}; "
        f"basic {s.basic_funded}/{int(case['basic'].sum())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; check answers only")
    args = parser.parse_args()
    if args.quick:
        check_brute_force(200)
        run(500, 40, 0.2, 30.0)
        return
    check_brute_force(200)
    for n_comm, share in ((2000, 0.2), (2000, 0.05), (20000, 0.2), (20000, 0.05)):
        run(n_comm, 40, share, 60.0)


if __name__ == "__main__":
    main()
