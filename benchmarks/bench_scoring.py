"""Benchmark of the scoring core: goalposts, weighted sum, TOPSIS and ranking.

Run from the repository root::

    python benchmarks/bench_scoring.py            # N = 1e3, 1e5, 1e6 (x 40 indicators)
    python benchmarks/bench_scoring.py --quick    # small sizes, checks agreement only

Every time is the median of several runs and is also given in *read passes*: the time divided
by the time of ``X.sum()`` on the same matrix (the cost of reading X once from memory), all
measured in this one run. Peak extra memory is measured with ``tracemalloc`` (numpy reports its
allocations to it) in a separate, untimed call, and shown as a multiple of the input's size.

If pymcdm and/or pyDecision are importable (e.g. run with the interpreter of a separate venv
that has them and numpy), their TOPSIS is timed on the same data and its agreement with
renoscore's closeness is reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from renoscore.aggregate import topsis, weighted_sum
from renoscore.normalize import goalposts
from renoscore.ranking import rank

M = 40  # indicators
K = 5  # nodes: four dimensions of 10 indicators and the overall score
NAN_SHARE = 0.02


def make_data(n: int, seed: int = 20240601) -> dict[str, Any]:
    """Seeded synthetic data: half benefit (floor 10 -> target 90), half cost (90 -> 10)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 100.0, size=(n, M))
    Xnan = X.copy()
    Xnan[rng.random((n, M)) < NAN_SHARE] = np.nan
    benefit = np.arange(M) % 2 == 0
    floor = np.where(benefit, 10.0, 90.0)
    target = np.where(benefit, 90.0, 10.0)
    W = np.zeros((M, K))
    local = rng.uniform(0.5, 1.5, size=M)
    for d in range(4):
        idx = slice(10 * d, 10 * d + 10)
        W[idx, d] = local[idx] / local[idx].sum()
    W[:, 4] = W[:, :4] @ np.array([0.3, 0.3, 0.2, 0.2])
    w = W[:, 4].copy()
    return {
        "X": X,
        "Xnan": Xnan,
        "benefit": benefit,
        "floor": floor,
        "target": target,
        "W": W,
        "w": w,
    }


# ----------------------------------------------------------------------------------------------
# reference implementations (plain numpy, full-size temporaries)
# ----------------------------------------------------------------------------------------------


def naive_goalposts(X: np.ndarray, floor: np.ndarray, target: np.ndarray) -> np.ndarray:
    return np.clip((X - floor) / (target - floor), 0.0, 1.0)


def naive_renormalize(S: np.ndarray, W: np.ndarray) -> np.ndarray:
    P = (~np.isnan(S)).astype(float)
    return (np.nan_to_num(S) @ W) / (P @ W)


def naive_topsis(X: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    V = X / np.sqrt((X * X).sum(axis=0)) * w
    ideal = np.where(benefit, V.max(axis=0), V.min(axis=0))
    anti = np.where(benefit, V.min(axis=0), V.max(axis=0))
    dp = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    dm = np.sqrt(((V - anti) ** 2).sum(axis=1))
    return dm / (dp + dm)


def peer_topsis() -> dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]]:
    peers: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {}
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import vector_normalization

        method = TOPSIS(vector_normalization)

        def run_pymcdm(X: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
            return np.asarray(method(X, w, np.where(benefit, 1, -1)))

        peers["pymcdm TOPSIS (vector)"] = run_pymcdm
    except ImportError:
        pass
    try:
        from pyDecision.algorithm import topsis_method

        def run_pydecision(X: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
            kinds = ["max" if b else "min" for b in benefit]
            return np.asarray(topsis_method(X, w, kinds, graph=False, verbose=False))

        peers["pyDecision topsis_method"] = run_pydecision
    except ImportError:
        pass
    return peers


# ----------------------------------------------------------------------------------------------
# measurement
# ----------------------------------------------------------------------------------------------


def median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_extra(fn: Callable[[], object]) -> int:
    """Peak bytes allocated during fn() beyond what was allocated before (output included)."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def repeats_for(n: int, quick: bool) -> int:
    if quick:
        return 3
    return 51 if n <= 1_000 else (11 if n <= 100_000 else 5)


def run_size(n: int, quick: bool, peers: dict[str, Any]) -> tuple[list[tuple[Any, ...]], bool]:
    d = make_data(n)
    X, Xnan, benefit, floor, target, W, w = (
        d[k] for k in ("X", "Xnan", "benefit", "floor", "target", "W", "w")
    )
    rep = repeats_for(n, quick)
    rows: list[tuple[Any, ...]] = []
    ok = True

    def check(name: str, got: np.ndarray, want: np.ndarray, tol: float) -> None:
        nonlocal ok
        same_nan = np.array_equal(np.isnan(got), np.isnan(want))
        diff = float(np.nanmax(np.abs(got - want))) if got.size else 0.0
        good = same_nan and diff <= tol
        ok &= good
        print(
            f"  agreement n={n:>9,} {name:<40s} max|diff| = {diff:.2e}  "
            f"{'OK' if good else 'MISMATCH'}"
        )

    S = goalposts(Xnan, floor, target)
    check("goalposts vs naive numpy", S, naive_goalposts(Xnan, floor, target), 0.0)
    y = weighted_sum(S, W, missing="renormalize")
    with np.errstate(invalid="ignore", divide="ignore"):
        check("weighted_sum renormalize vs formula", y, naive_renormalize(S, W), 1e-12)
    c = topsis(X, w, benefit)
    check("topsis vs naive numpy", c, naive_topsis(X, w, benefit), 1e-12)
    for name, fn in peers.items():
        check(f"topsis vs {name}", c, fn(X, w, benefit), 1e-9)

    unit = median_time(lambda: X.sum(), rep)
    input_bytes = X.nbytes

    def add(name: str, fn: Callable[[], object], goal: str = "", repeat: int = rep) -> None:
        t = median_time(fn, repeat)
        mem = peak_extra(fn) if not quick else 0
        rows.append((n, name, t, t / unit, mem / input_bytes, goal))

    rows.append((n, "X.sum()  [unit: one read pass]", unit, 1.0, 0.0, ""))
    add("goalposts", lambda: goalposts(Xnan, floor, target))
    add("naive goalposts (plain numpy)", lambda: naive_goalposts(Xnan, floor, target))
    add(
        "goalposts + weighted_sum propagate K=5",
        lambda: weighted_sum(goalposts(Xnan, floor, target), W),
        "<= 6",
    )
    add(
        "goalposts + weighted_sum renormalize K=5",
        lambda: weighted_sum(goalposts(Xnan, floor, target), W, missing="renormalize"),
        "<= 6",
    )
    add("topsis (vector)", lambda: topsis(X, w, benefit), "<= 13")
    add("topsis (minmax)", lambda: topsis(X, w, benefit, "minmax"), "<= 13")
    add("naive topsis (plain numpy)", lambda: naive_topsis(X, w, benefit))
    for name, fn in peers.items():
        add(name, lambda fn=fn: fn(X, w, benefit), repeat=max(1, min(rep, 3)))
    add("rank (N,) min", lambda: rank(c))
    add("rank (N, 5) min", lambda: rank(y))
    return rows, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, agreement only")
    args = parser.parse_args(argv)
    sizes = [1_000, 20_000] if args.quick else [1_000, 100_000, 1_000_000]
    peers = peer_topsis()
    print(f"numpy {np.__version__}; peers: {', '.join(peers) or 'none importable'}")
    all_rows: list[tuple[Any, ...]] = []
    ok = True
    for n in sizes:
        rows, good = run_size(n, args.quick, peers)
        all_rows += rows
        ok &= good
    if not args.quick:
        print()
        print(
            f"{'N':>10} | {'operation':<42} | {'median s':>10} | {'read passes':>11} | "
            f"{'peak extra / input':>18} | goal"
        )
        print("-" * 110)
        for n, name, t, passes, mem, goal in all_rows:
            print(f"{n:>10,} | {name:<42} | {t:>10.5f} | {passes:>11.2f} | {mem:>18.2f} | {goal}")
    print("agreement:", "all OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
