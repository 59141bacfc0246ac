"""Benchmark of issue 18: one AHP matrix, all cores, national scale, past one machine.

Run from the repository root::

    python benchmarks/bench_scale.py            # full: writes benchmarks/results/scale.json
    python benchmarks/bench_scale.py --quick    # seconds: the answers agree (CI), no timing

Quick mode checks that one matrix gets the bits it gets in a stack; that uncertainty and
sensitivity give the same numbers, bit for bit, on one thread, on two, on a thread pool and on
a Dask LocalCluster of two workers; and that evaluate_dataset of a Parquet dataset (row groups
and a dask DataFrame) gives the scores and exact ranks of one evaluation of the table.

The full run measures, side by side in one run (wall clock and the process's CPU time, which
the load of a shared machine does not stretch):

* one matrix (B = 1), n = 3 ... 15: ``ahp.consistency`` (priorities and CR) and
  ``ahp.priorities``, against one ``numpy.linalg.eig`` and pyDecision's ``ahp_method`` when
  importable;
* ``uncertainty`` at 1,000 draws x 10,000 communities on 1 and on 2 threads (the speed-up);
* 220,000 communities x 40 indicators: Parquet to ``load_data``, ``evaluate`` (ranks and
  grades included), the result table written to Parquet column by column, the peak memory;
  ``uncertainty`` of the same communities on every core;
* getting the result out at 220,000 x 40, against ``evaluate`` and a read pass of the data
  (``X.sum()``): the first read of ``indicator_scores``, ``to_frame()`` built column by column
  and, in the same run, the frame of ``records()`` it replaced, and ``write_result`` to Parquet
  and CSV (still one record per row).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# RENOSCORE_SRC: time another tree's sources (the code before a change) with this script.
sys.path.insert(0, os.environ.get("RENOSCORE_SRC", str(ROOT / "src")))
sys.path.insert(0, str(ROOT / "benchmarks"))

import renoscore as rs  # noqa: E402
from renoscore import ahp  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
OUT_RESULTS = ROOT / "benchmarks" / "results" / "result_out.json"
SOURCES = {"weights": {"concentration": 40}, "aggregation": ("arithmetic", "geometric")}


def clocks(fn: Callable[[], object], repeats: int = 1) -> tuple[float, float]:
    """Median wall and CPU seconds of fn()."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def per_call_us(fn: Callable[[], object], calls: int = 2000) -> tuple[float, float]:
    """Best of 7 batches of calls: wall and CPU microseconds per call."""
    best_w, best_c = float("inf"), float("inf")
    for _ in range(7):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(calls):
            fn()
        best_w = min(best_w, (time.perf_counter() - w0) / calls * 1e6)
        best_c = min(best_c, (time.process_time() - c0) / calls * 1e6)
    return best_w, best_c


def table(n: int, m: int = 40, seed: int = 1) -> tuple[Any, Any]:
    """The benchmark system of m indicators and n seeded communities inside its goalposts."""
    from bench_suite import bench_system, goalpost_data, ids_for

    system = bench_system(m)
    return system, (goalpost_data(system, n, seed), ids_for(n))


# ------------------------------------------------------------------------------ checks
def check_answers(tmp: Path) -> list[tuple[str, bool]]:
    import bench_ahp as ba

    checks = []
    rng = np.random.default_rng(7)
    for n in (3, 9, 15):
        A = ba.random_saaty(rng, 4, n)
        stack = ahp.consistency(A)
        same = all(
            np.array_equal(ahp.consistency(A[b]).priorities, stack.priorities[b])
            and float(ahp.consistency(A[b]).cr) == float(stack.cr[b])
            for b in range(4)
        )
        checks.append((f"one {n}x{n} matrix: the bits of the stack", same))
    system, data = rs.default_system(), rs.example_data()

    def unc(**kw: Any) -> Any:
        return rs.uncertainty(system, data, phase="t0", n=80, seed=4, missing="renormalize",
                              sources=SOURCES, chunk_bytes=1 << 15, **kw)  # fmt: skip

    base = unc(workers=1)
    runs: dict[str, dict[str, Any]] = {"2 threads": {"workers": 2}}
    try:
        import distributed

        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        )
        client = distributed.Client(cluster)
        runs["Dask LocalCluster, 2 workers"] = {"executor": client}
    except ImportError:
        client = cluster = None
    for label, kw in runs.items():
        got = unc(**kw)
        checks.append(
            (
                f"uncertainty on {label} == 1 thread, bit for bit",
                all(
                    np.array_equal(getattr(got, f), getattr(base, f), equal_nan=True)
                    for f in ("rank_median", "rank_p95", "score_sd", "spearman", "draw_ranks")
                ),
            )
        )
    checks.extend(check_dataset(tmp, client))
    checks.append(check_frame())
    if client is not None and cluster is not None:
        client.close()
        cluster.close()
    return checks


def check_dataset(tmp: Path, client: Any) -> list[tuple[str, bool]]:
    import pyarrow.parquet as pq

    system, (X, ids) = table(3_000, seed=3)
    frame_cols = {"community_id": ids, **{k: X[:, j] for j, k in enumerate(system.indicator_ids)}}
    import pyarrow as pa

    whole = rs.evaluate(system, rs.load_data(X, system, ids=ids))
    tab = pa.table(frame_cols)
    for i in range(3):
        pq.write_table(tab.slice(i * 1000, 1000), tmp / f"in-{i}.parquet", row_group_size=250)
    out: list[tuple[str, bool]] = []
    sources: dict[str, Any] = {"row groups of 3 files": str(tmp / "in-*.parquet")}
    if client is not None:
        import dask.dataframe as dd

        sources["a dask DataFrame on the cluster"] = dd.read_parquet(str(tmp / "in-*.parquet"))
    for label, src in sources.items():
        folder = tmp / f"out-{len(out)}"
        rs.evaluate_dataset(system, src, out=folder, batch_rows=400)
        got = pq.read_table(sorted(str(p) for p in folder.glob("*.parquet"))).to_pandas()
        ok = np.array_equal(got["rank"].to_numpy(), whole.overall_rank) and np.allclose(
            got[whole.group_ids[0]].to_numpy(), whole.overall, rtol=1e-12
        )
        out.append((f"evaluate_dataset from {label}: scores and exact ranks", ok))
    return out


def check_frame() -> tuple[str, bool]:
    import pandas as pd

    system, (X, ids) = table(3_000, seed=8)
    X[::7, 3] = np.nan
    res = rs.evaluate(system, rs.load_data(X, system, ids=ids), missing="renormalize")
    same = True
    for shape, records in (("wide", res.records), ("long", res.long_records)):
        try:
            pd.testing.assert_frame_equal(res.to_frame(shape), pd.DataFrame(records()))
        except AssertionError:
            same = False
    return "to_frame column by column == the frame of the records (wide and long)", same


# ------------------------------------------------------------------------------ timings
def time_result_out(n: int) -> dict[str, Any]:
    """Getting a result out, against evaluate and one read pass of the data (X.sum())."""
    import pandas as pd

    system, (X, ids) = table(n, seed=9)
    rng = np.random.default_rng(9)
    ids = np.asarray(ids, dtype=object)[rng.permutation(n)]  # ids not in sorted order
    data = rs.load_data(X, system, ids=ids)
    out: dict[str, Any] = {"n": n, "m": X.shape[1]}
    state: dict[str, Any] = {}

    def evaluate() -> None:
        state["r"] = rs.evaluate(system, data)

    def first_read() -> None:
        res = rs.evaluate(system, data)
        w0, c0 = time.perf_counter(), time.process_time()
        _ = res.indicator_scores
        state["first_read"].append((time.perf_counter() - w0, time.process_time() - c0))

    out["read pass (X.sum())"] = clocks(lambda: X.sum(), 5)
    out["evaluate"] = clocks(evaluate, 3)
    state["first_read"] = []
    for _ in range(3):
        first_read()
    out["indicator_scores first read"] = tuple(
        statistics.median(t[i] for t in state["first_read"]) for i in (0, 1)
    )
    res = state["r"]
    _ = res.indicator_scores
    out["to_frame (columns)"] = clocks(lambda: res.to_frame(), 3)
    out["DataFrame(records())"] = clocks(lambda: pd.DataFrame(res.records()), 1)
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("parquet", "csv"):
            path = Path(tmp) / f"scores.{suffix}"
            out[f"write_result .{suffix}"] = clocks(lambda p=path: rs.io.write_result(res, p), 1)
    # Ratios of CPU time: on a shared machine the wall clock of one step is stretched by the
    # others' load, its CPU time much less.
    base, passes = out["evaluate"][1], out["read pass (X.sum())"][1]
    out["ratios"] = {
        k: {"x evaluate": v[1] / base, "read passes": v[1] / passes}
        for k, v in out.items()
        if isinstance(v, tuple)
    }
    return out


def time_one_matrix() -> list[dict[str, Any]]:
    import bench_ahp as ba

    peers = ba.peers()
    pyd = peers.get("pyDecision ahp_method loop")
    rows = []
    rng = np.random.default_rng(11)
    for n in (3, 4, 6, 9, 12, 15):
        A = ba.random_saaty(rng, 1, n)
        one = A[0]
        row = {"n": n}
        row["consistency"] = per_call_us(lambda one=one: ahp.consistency(one))
        row["priorities"] = per_call_us(lambda one=one: ahp.priorities(one))
        row["numpy.linalg.eig"] = per_call_us(lambda one=one: np.linalg.eig(one))
        if pyd is not None:
            row["pyDecision ahp_method"] = per_call_us(lambda A=A: pyd[0](A), 500)
        rows.append(row)
    return rows


def time_threads(n: int, draws: int) -> dict[str, Any]:
    system, (X, ids) = table(n, seed=5)
    data = rs.load_data(X, system, ids=ids)

    def run(workers: int) -> Any:
        return rs.uncertainty(system, data, n=draws, seed=2, sources={"weights": {}},
                              workers=workers, levels="dimensions")  # fmt: skip

    run(2)  # warm-up
    one = clocks(lambda: run(1))
    two = clocks(lambda: run(2))
    return {"n": n, "draws": draws, "one": one, "two": two, "speedup": one[0] / two[0]}


def time_national(n: int, draws: int) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    system, (X, ids) = table(n, seed=6)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.parquet"
        cols = {"community_id": ids, **{k: X[:, j] for j, k in enumerate(system.indicator_ids)}}
        pq.write_table(pa.table(cols), path)
        del cols
        out: dict[str, Any] = {"n": n, "m": X.shape[1]}
        state: dict[str, Any] = {}

        def load() -> None:
            state["data"] = rs.load_data(path, system)

        def evaluate() -> None:
            state["result"] = rs.evaluate(system, state["data"])

        def report() -> None:
            res = state["result"]
            tab = {"community_id": pa.array(np.asarray(res.id_array))}
            for k, gid in enumerate(res.group_ids):
                tab[gid] = pa.array(res.group_scores[:, k])
            tab["rank"] = pa.array(res.overall_rank)
            tab["grade"] = pa.array(res.grades[:, 0])
            pq.write_table(pa.table(tab), Path(tmp) / "scores.parquet")

        for name, fn in (
            ("load_data(parquet)", load),
            ("evaluate", evaluate),
            ("score table to Parquet", report),
        ):
            out[name] = clocks(fn)
        out["total"] = tuple(
            sum(out[k][i] for k in ("load_data(parquet)", "evaluate", "score table to Parquet"))
            for i in (0, 1)
        )
        out["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        data = state["data"]
        out["uncertainty"] = clocks(
            lambda: rs.uncertainty(
                system,
                data,
                n=draws,
                seed=3,
                sources={"weights": {}},
                keep_draws=False,
                kendall=False,
            )
        )
        out["uncertainty_draws"] = draws
        out["peak_rss_gib_after_uncertainty"] = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        )
    return out


def result_out_of(src: str, rows: int) -> dict[str, Any]:
    """time_result_out run on the sources in ``src`` (another tree), in a child process."""
    import subprocess

    env = {**os.environ, "RENOSCORE_SRC": src}
    cmd = [sys.executable, __file__, "--json", "--national-rows", str(rows)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_result_out(report: dict[str, Any]) -> None:
    after = report["result_out"]["ratios"]
    before = report.get("result_out_before", {}).get("ratios", {})
    print(f"result out, CPU time, {report['result_out']['n']:,} rows")
    print(f"{'':<32} {'x evaluate':>12} {'read passes':>12} {'before: x evaluate':>19}")
    for name, ratio in after.items():
        was = before.get(name, {}).get("x evaluate")
        shown = f"{was:19.2f}" if was is not None else f"{'-':>19}"
        print(f"{name:<32} {ratio['x evaluate']:12.2f} {ratio['read passes']:12.1f} {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="answers only (CI)")
    parser.add_argument("--national-draws", type=int, default=1000)
    parser.add_argument("--national-rows", type=int, default=220_000)
    parser.add_argument(
        "--only-result-out", action="store_true", help="time getting the result out only"
    )
    parser.add_argument(
        "--before-src", help="also time getting the result out with the sources in this folder"
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child run
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.json:  # a child of result_out_of: the timings of these sources, nothing else
        print(json.dumps(time_result_out(args.national_rows)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        checks = check_answers(Path(tmp))
    ok = all(good for _, good in checks)
    for name, good in checks:
        print(f"{'agree' if good else 'DISAGREE'}  {name}")
    if args.quick or not ok:
        return 0 if ok else 1
    report: dict[str, Any] = {"cores": os.cpu_count(), "load_average": list(os.getloadavg())}
    report["result_out"] = time_result_out(args.national_rows)
    if args.before_src:
        report["result_out_before"] = result_out_of(args.before_src, args.national_rows)
    print_result_out(report)
    if args.only_result_out:
        report["load_average_end"] = list(os.getloadavg())
        OUT_RESULTS.parent.mkdir(parents=True, exist_ok=True)
        OUT_RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        return 0
    report["one_matrix"] = time_one_matrix()
    for row in report["one_matrix"]:
        print("one matrix", row)
    report["threads"] = time_threads(10_000, 1000)
    print("threads", report["threads"])
    report["national"] = time_national(args.national_rows, args.national_draws)
    print("national", report["national"])
    report["load_average_end"] = list(os.getloadavg())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
