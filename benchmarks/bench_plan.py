"""Benchmark of renoscore.programme: the exact budgeted selection against greedy and brute force.

Run from the repository root::

    python benchmarks/bench_plan.py            # the sizes below; writes benchmarks/results/plan.json
    python benchmarks/bench_plan.py --quick    # CI: answers checked, times printed, none asserted

Full run: 2,000 and 20,000 communities x 40 items (80,000 and 800,000 binaries, four basic
items per community, ten districts), each with

* ``covers basic`` — a budget of 20 % of all costs, more than every basic item costs: what is
  left after the basic items is a knapsack with district caps (the case HiGHS cannot prove in
  minutes; the knapsack programme proves it);
* ``short of basic`` — 5 % of all costs, enough for about 89 % of the basic items cheapest
  first: the basic count is a constraint of the core, solved by ``scipy.optimize.milp``;
* ``caps bind`` — 20 % of all costs but district caps adding up to 90 % of it: each district
  is its own knapsack;

and, on 2,000 communities, the covering budget solved by the MILP alone (``core_solver="milp"``)
for comparison. Every plan is checked: the basic count equals greedy's, the value is never
below greedy's nor above the bound, budget and caps hold. Then ``plan_programme`` end to end
(items, costs, gains, the plan and the marginal value) on 2,000 and 20,000 communities drawn
from the example's. Quick mode (CI): 200 random cases of at most 12 items solved both ways and
compared with brute force, 500 x 40 items in each case, and 300 communities end to end.

Data: seeded lognormal costs (median about 160,000 yuan, rounded to 100 yuan), gamma gains
scaled by a community factor, ten districts.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from renoscore.programme import (  # noqa: E402
    brute_force_selection,
    greedy_selection,
    solve_selection,
)

JSON_OUT = ROOT / "benchmarks" / "results" / "plan.json"
#: (name, share of all costs in the budget, caps as a multiple of each district's share)
CASES = (("covers basic", 0.2, 1.2), ("short of basic", 0.05, 1.2), ("caps bind", 0.2, 0.9))


def instance(n_comm: int, m: int, budget_share: float, cap_factor: float, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    n = n_comm * m
    cost = rng.lognormal(12, 1.2, n).round(-2)
    value = rng.gamma(1.5, 0.5, n) * rng.uniform(0.3, 1.0, n_comm).repeat(m)
    basic = np.tile(np.arange(m) < 4, n_comm)
    group = np.repeat(rng.integers(0, 10, n_comm), m)
    budget = float(cost.sum() * budget_share)
    caps = np.bincount(group, cost, 10) * budget_share * cap_factor
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
    methods: set[str] = set()
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
        brute = brute_force_selection(**case)
        for solver in ("auto", "milp"):
            exact = solve_selection(**case, core_solver=solver)
            assert exact.optimal, (solver, case)
            assert np.array_equal(exact.chosen, brute), (solver, case)
            methods.add(exact.method)
    assert methods == {"knapsack", "milp"}
    print(
        f"brute force: {cases} cases of <= 12 items, both core solvers' plans equal brute force's"
    )


def run(n_comm: int, name: str, share: float, cap_factor: float, solver: str = "auto") -> dict:
    case = instance(n_comm, 40, share, cap_factor)
    t = time.perf_counter()
    s = solve_selection(**case, time_limit=60.0, core_solver=solver)  # type: ignore[arg-type]
    t_exact = time.perf_counter() - t
    t = time.perf_counter()
    g = greedy_selection(**case)
    t_greedy = time.perf_counter() - t
    v, c, grp = case["value"], case["cost"], case["group"]
    assert s.basic_funded == int(case["basic"][g].sum())
    assert v[g].sum() - 1e-9 <= s.value <= s.bound + 1e-9
    assert c[s.chosen].sum() <= case["budget"] + 1e-3
    assert (np.bincount(grp[s.chosen], c[s.chosen], 10) <= case["caps"] + 1e-3).all()
    row = {
        "communities": n_comm,
        "items": n_comm * 40,
        "case": name,
        "core_solver": solver,
        "seconds": round(t_exact, 2),
        "optimal": s.optimal,
        "method": s.method,
        "core": s.core,
        "value": s.value,
        "gap": s.gap,
        "greedy_seconds": round(t_greedy, 2),
        "greedy_value": float(v[g].sum()),
        "basic": f"{s.basic_funded}/{int(case['basic'].sum())}",
    }
    print(
        f"{n_comm:>6} x 40, {name:<15} [{solver}]: {t_exact:6.1f} s, proved optimal: {s.optimal} "
        f"({s.method}, core {s.core}, gap {s.gap:.2g}); value {s.value:.4f}, greedy "
        f"{v[g].sum():.4f} in {t_greedy:.1f} s; basic {row['basic']}"
    )
    return row


def end_to_end(n_comm: int, tmp: Path) -> dict:
    """``plan_programme`` from the data on: the example's first-phase communities drawn
    ``n_comm`` times (seeded), read, scored, and planned with the example's budget per
    community (3000万 for 30), the shipped cost table and the marginal value (a second solve)."""
    import renoscore as rs
    from renoscore.programme import plan_programme

    with rs.example_path().open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first = [r for r in rows if r["phase"] == rows[0]["phase"]]
    pick = np.random.default_rng(7).integers(0, len(first), n_comm)
    path = tmp / f"communities_{n_comm}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(first[0]))
        w.writeheader()
        for k, j in enumerate(pick.tolist()):
            w.writerow({**first[j], "community_id": f"C{k:06d}", "name": f"C{k:06d}"})
    t = time.perf_counter()
    system = rs.default_system()
    result = rs.evaluate(system, rs.load_data(path, system), missing="renormalize")
    t_eval = time.perf_counter() - t
    budget = 30_000_000 * n_comm / len(first)
    t = time.perf_counter()
    plan = plan_programme(result, budget)
    t_plan = time.perf_counter() - t
    s = plan.selection
    assert plan.spent <= budget
    assert s.basic_funded == s.basic_max
    print(
        f"{n_comm:>6} example communities ({plan.items.n} items), end to end: read and score "
        f"{t_eval:.1f} s, plan {t_plan:.1f} s (two solves: the budget and +100万), proved "
        f"optimal: {s.optimal} ({s.method}, core {s.core}); funded {int(plan.funded.sum())}, "
        f"basic {s.basic_funded}/{int(plan.items.basic.sum())}"
    )
    return {
        "communities": n_comm,
        "items": plan.items.n,
        "case": "end to end (example communities, 3000万 per 30)",
        "read_and_score_seconds": round(t_eval, 2),
        "seconds": round(t_plan, 2),
        "optimal": s.optimal,
        "method": s.method,
        "core": s.core,
        "funded": int(plan.funded.sum()),
        "basic": f"{s.basic_funded}/{int(plan.items.basic.sum())}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; check answers only")
    args = parser.parse_args()
    check_brute_force(200)
    with tempfile.TemporaryDirectory() as tmp:
        if args.quick:
            for name, share, caps in CASES:
                run(500, name, share, caps)
            end_to_end(300, Path(tmp))
            return
        rows = [run(2000, "covers basic", 0.2, 1.2, "milp")]
        for n_comm in (2000, 20000):
            rows += [run(n_comm, name, share, caps) for name, share, caps in CASES]
        rows += [end_to_end(n_comm, Path(tmp)) for n_comm in (2000, 20000)]
    JSON_OUT.write_text(
        json.dumps(
            {
                "runs": rows,
                "machine": {"python": platform.python_version(), "processor": platform.machine()},
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {JSON_OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
