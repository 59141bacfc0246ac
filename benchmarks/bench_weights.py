"""Benchmark of renoscore.weights: streamed entropy and CRITIC against one read of X.

Run ``python benchmarks/bench_weights.py`` (full: N = 1e3, 1e5, 1e6 rows x 40 indicators of
seeded lognormal data) or ``--quick`` (small sizes, a few seconds, checks agreement only).

The unit of time is ``X.sum()``, one streaming read of the matrix: a method's time divided by
it is its cost in *read passes*. Peak extra memory is measured with tracemalloc (numpy reports
its allocations to it) in a separate, untimed call.

If ``/work/benchvenv-weights`` (or ``$RENOSCORE_BENCH_PEERS``) holds a Python with pymcdm,
scikit-criteria and/or pyDecision, their entropy weights are timed on the same data in a
subprocess and compared with ours for the same formula variant.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from renoscore.weights import critic, entropy

M = 40
PEER_PYTHON = Path(os.environ.get("RENOSCORE_BENCH_PEERS", "/work/benchvenv-weights/bin/python"))

# Runs inside the peers' virtualenv. Each peer's entropy is computed on the saved matrix and
# timed; the variant names say which of our formulas it corresponds to.
PEER_SCRIPT = r"""
import json, sys, time, statistics, warnings
import numpy as np
warnings.simplefilter("ignore")
X = np.load(sys.argv[1])
repeats = int(sys.argv[2])
out = {}

def run(name, variant, f):
    try:
        w = np.asarray(f(), dtype=float)
        ts = []
        for _ in range(repeats):
            t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
        out[name] = {"variant": variant, "time": statistics.median(ts), "w": w.tolist()}
    except Exception as exc:  # report, do not crash the benchmark
        out[name] = {"variant": variant, "error": f"{type(exc).__name__}: {exc}"[:200]}

try:
    from pymcdm import weights as pw
    run("pymcdm.entropy_weights", "sum", lambda: pw.entropy_weights(X))
except Exception as exc:
    out["pymcdm"] = {"error": f"import failed: {exc}"[:200]}
try:
    import skcriteria
    from skcriteria.preprocessing.weighters import EntropyWeighter
    dm = skcriteria.mkdm(X, objectives=[max] * X.shape[1])
    run("skcriteria.EntropyWeighter", "sum",
        lambda: EntropyWeighter().transform(dm).weights.to_numpy())
except Exception as exc:
    out["skcriteria"] = {"error": f"import failed: {exc}"[:200]}
try:
    from pyDecision.algorithm import entropy_method
    if X.shape[0] <= int(sys.argv[3]):  # its per-cell Python loop takes minutes at 1e6 rows
        run("pyDecision.entropy_method", "pydecision",
            lambda: entropy_method(X, ["max"] * X.shape[1]))
    else:
        out["pyDecision.entropy_method"] = {"error": "skipped: per-cell Python loop, too slow"}
except Exception as exc:
    out["pyDecision"] = {"error": f"import failed: {exc}"[:200]}
print(json.dumps(out))
"""


def median_time(f: Callable[[], object], repeats: int) -> float:
    f()  # warm-up (page faults, thread pools)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def peak_extra_mib(f: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 2**20


def naive_entropy_sum(X: np.ndarray) -> np.ndarray:
    """Direct textbook formula, full-size temporaries (for agreement only)."""
    p = X / X.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    d = 1 + plogp.sum(axis=0) / np.log(X.shape[0])
    return d / d.sum()


def pydecision_variant(X: np.ndarray) -> np.ndarray:
    """pyDecision's entropy_method formula: ln(p + 1e-9), ln(N + 1e-9) and d + 1e-9."""
    p = X / X.sum(axis=0)
    h = -(p * np.log(p + 1e-9)).sum(axis=0) / np.log(X.shape[0] + 1e-9)
    d = 1 - h + 1e-9
    return d / d.sum()


def run_peers(X: np.ndarray, repeats: int) -> dict[str, dict[str, object]]:
    if not PEER_PYTHON.exists():
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "X.npy"
        np.save(path, X)
        proc = subprocess.run(
            [str(PEER_PYTHON), "-c", PEER_SCRIPT, str(path), str(repeats), "100000"],
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    if proc.returncode != 0:
        return {"peers": {"error": proc.stderr.strip().splitlines()[-1:]}}
    result: dict[str, dict[str, object]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; agreement only")
    parser.add_argument("--no-peers", action="store_true", help="skip the peer libraries")
    args = parser.parse_args()
    sizes = [1_000, 5_000] if args.quick else [1_000, 100_000, 1_000_000]
    rng = np.random.default_rng(20240601)
    ok = True
    rows = []
    agree = []
    for n in sizes:
        X = rng.lognormal(mean=0.0, sigma=1.0, size=(n, M))
        dirs = ["cost" if j % 3 == 0 else "benefit" for j in range(M)]
        w_sum = entropy(X)
        w_mm = entropy(X, "minmax", dirs)
        w_cr = critic(X, dirs)
        # Agreement with the textbook formulas (full temporaries) and between streaming options.
        checks = {
            "entropy sum vs textbook": np.abs(w_sum - naive_entropy_sum(X)).max(),
            "entropy sum, block_rows=997, workers=2": np.abs(
                w_sum - entropy(X, block_rows=997, workers=2)
            ).max(),
            "entropy minmax, workers=2": np.abs(w_mm - entropy(X, "minmax", dirs, workers=2)).max(),
            "critic, workers=2": np.abs(w_cr - critic(X, dirs, workers=2)).max(),
        }
        for name, err in checks.items():
            agree.append((n, name, float(err)))
            ok &= bool(err < 1e-12)
        # Quick mode asks the peers once (importing them alone takes seconds).
        skip_peers = args.no_peers or (args.quick and n != sizes[0])
        peers = {} if skip_peers else run_peers(X, 1 if args.quick else 3)
        for name, res in peers.items():
            if "w" not in res:
                agree.append((n, f"{name}: {res.get('error')}", float("nan")))
                continue
            w_peer = np.asarray(res["w"])
            if res["variant"] == "sum":
                err = float(np.abs(w_peer - w_sum).max())
                agree.append((n, f"{name} vs ours (same formula)", err))
                ok &= err < 1e-9
            else:  # pyDecision: a perturbed formula; check it, and show the gap to ours
                err = float(np.abs(w_peer - pydecision_variant(X)).max())
                agree.append((n, f"{name} vs its formula (log(p+1e-9))", err))
                ok &= err < 1e-9
                gap = float(np.abs(w_peer - w_sum).max())
                agree.append((n, f"{name} vs ours (differs by design)", gap))
        if args.quick:
            continue
        reps = 7 if n <= 100_000 else 5
        unit = median_time(X.sum, reps)
        cases: list[tuple[str, Callable[[], object]]] = [
            ("X.sum()", X.sum),
            ("entropy sum", lambda X=X: entropy(X)),
            ("entropy sum, workers=2", lambda X=X: entropy(X, workers=2)),
            ("entropy minmax", lambda X=X, d=dirs: entropy(X, "minmax", d)),
            ("entropy minmax, workers=2", lambda X=X, d=dirs: entropy(X, "minmax", d, workers=2)),
            ("critic", lambda X=X, d=dirs: critic(X, d)),
            ("critic, workers=2", lambda X=X, d=dirs: critic(X, d, workers=2)),
            ("textbook entropy (full temporaries)", lambda X=X: naive_entropy_sum(X)),
        ]
        for name, f in cases:
            t = unit if name == "X.sum()" else median_time(f, reps)
            mem = peak_extra_mib(f)
            rows.append((n, name, t, t / unit, mem))
        for name, res in peers.items():
            if "time" in res:
                t = float(res["time"])  # type: ignore[arg-type]
                rows.append((n, f"peer {name}", t, t / unit, float("nan")))

    print(
        f"matrix: N x {M} float64, seeded lognormal; X is {'small' if args.quick else 'up to 305 MiB'}"
    )
    if rows:
        print()
        print(f"{'N':>9}  {'what':<38} {'median s':>10} {'read passes':>12} {'peak extra MiB':>15}")
        for n, name, t, ratio, mem in rows:
            mem_s = "-" if np.isnan(mem) else f"{mem:.1f}"
            print(f"{n:>9}  {name:<38} {t:>10.4f} {ratio:>12.2f} {mem_s:>15}")
    print()
    print(f"{'N':>9}  {'agreement check':<62} {'max |dw|':>10}")
    for n, name, err in agree:
        print(f"{n:>9}  {name:<62} {err:>10.2e}")
    print()
    print("agreement: OK" if ok else "agreement: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    warnings.simplefilter("error", RuntimeWarning)
    sys.exit(main())
