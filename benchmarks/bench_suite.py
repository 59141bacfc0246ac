"""renoscore's performance suite: one run, side by side with its peers and the machine's limit.

Run from the repository root::

    python benchmarks/bench_suite.py            # full run (about 6-8 minutes on 2 cores)
    python benchmarks/bench_suite.py --quick    # seconds: the answers agree; no timing claims

The full run builds (once) or reuses an environment with the peer libraries pinned in
``benchmarks/requirements-peers.txt`` (``benchmarks/.venv``; ``--env DIR`` or
``$RENOSCORE_BENCH_ENV`` to use another) and re-runs itself there, so that renoscore and its
peers (pymcdm, scikit-criteria, pyDecision, AHPy) are timed in one process on identical seeded
data: N = 1,000, 100,000 and 1,000,000 communities x 40 indicators, batched AHP with B = 1,
1,000 and 100,000 matrices of n = 4, 9 and 15. It writes ``docs/performance.md`` (tables,
budgets, scaling notes, the machine) and ``benchmarks/results/performance.json``.

The unit of time is one streaming read of the data, ``X.sum()``, timed right before and after
every measured call (these machines are shared and noisy: absolute times do not compare
between runs, ratios measured side by side do). Each figure is the median over repetitions,
with the minimum and maximum. Every answer is checked against renoscore's for the same formula
variant before it is timed: a fast wrong answer does not count. Peak memory is measured with
``tracemalloc`` (numpy reports its allocations to it) in a separate, untimed call.

Quick mode (``--quick``, what CI runs) uses small sizes, only the interpreter it is started
with, and the peers only if they are importable there; it exits 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
import venv
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

REQUIREMENTS = ROOT / "benchmarks" / "requirements-peers.txt"
DEFAULT_ENV = ROOT / "benchmarks" / ".venv"
DOC = ROOT / "docs" / "performance.md"
JSON_OUT = ROOT / "benchmarks" / "results" / "performance.json"
SEED = 20240601
M = 40
PEER_MODULES = {
    "pymcdm": "pymcdm",
    "skcriteria": "scikit-criteria",
    "pyDecision": "pyDecision",
    "ahpy": "AHPy",
}
#: A peer call longer than this (estimated from the size before) is not run, and is reported so.
PEER_BUDGET_S = 15.0


# =============================================================================== environment
def peers_available() -> dict[str, str | None]:
    """Version of each peer importable here (None when it is not)."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for module, dist in PEER_MODULES.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                importlib.import_module(module)
            found[dist] = version(dist)
        except (ImportError, PackageNotFoundError):
            found[dist] = None
    return found


def ensure_environment(args: argparse.Namespace) -> None:
    """Re-run this script in the peers' environment, building it first if needed."""
    if args.quick or args.no_peers or args.in_env:
        return
    if all(peers_available().values()):
        return  # this interpreter has them all
    env = Path(args.env or os.environ.get("RENOSCORE_BENCH_ENV") or DEFAULT_ENV)
    python = env / "bin" / "python"
    if not python.exists():
        print(f"building the benchmark environment in {env} (once) ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(env)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True
        )
    print(f"running in {python}", flush=True)
    argv = [str(python), str(Path(__file__).resolve()), *sys.argv[1:], "--in-env"]
    os.execv(str(python), argv)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "os": f"{platform.system()} {platform.release()}",
        "cores": os.cpu_count(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 2**20, 1)
    with contextlib.suppress(Exception):
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]  # type: ignore[func-returns-value]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    with contextlib.suppress(OSError):
        info["load_average"] = list(os.getloadavg())
    return info


# =============================================================================== measurement
@dataclass
class Timing:
    seconds: list[float]
    passes: list[float]
    peak: float | None = None  # peak extra bytes / input bytes
    retained: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def ratio(self) -> float:
        return statistics.median(self.passes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_s": self.median,
            "min_s": min(self.seconds),
            "max_s": max(self.seconds),
            "passes_median": self.ratio,
            "passes_min": min(self.passes),
            "passes_max": max(self.passes),
            "repeats": len(self.seconds),
            "peak_extra_over_input": self.peak,
            "retained_over_input": self.retained,
        }


def read_pass(X: np.ndarray) -> float:
    t0 = time.perf_counter()
    X.sum()
    return time.perf_counter() - t0


def timed(
    fn: Callable[[], object], X: np.ndarray, repeats: int, memory: bool = True, warm: bool = True
) -> Timing:
    """Median over repeats, each time divided by the read pass measured next to it."""
    if warm:
        fn()  # warm-up: first-touch page faults, thread pools, caches
    seconds, passes = [], []
    for _ in range(repeats):
        before = read_pass(X)
        t0 = time.perf_counter()
        fn()
        t = time.perf_counter() - t0
        unit = min(before, read_pass(X))
        seconds.append(t)
        passes.append(t / unit)
    timing = Timing(seconds, passes)
    if memory:
        timing.peak = peak_extra(fn) / X.nbytes
    return timing


def peak_extra(fn: Callable[[], object]) -> int:
    """Peak bytes allocated during fn() beyond what was allocated before (output included)."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base


def repeats_for(n: int, quick: bool) -> int:
    if quick:
        return 1
    return 15 if n <= 1_000 else (7 if n <= 100_000 else 5)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# =============================================================================== data
def lognormal(n: int, m: int = M, seed: int = SEED) -> np.ndarray:
    """Strictly positive data (entropy, CRITIC, TOPSIS): every peer's formula applies."""
    return np.random.default_rng(seed).lognormal(0.0, 1.0, size=(n, m))


KINDS: list[dict[str, Any]] = [
    {"kind": "ratio", "unit": "share", "range": [0.0, 1.0], "floor": 0.2, "target": 1.0},
    {"kind": "distance_m", "unit": "m", "range": [0.0, 20000.0], "floor": 1500.0, "target": 300.0},
    {"kind": "likert5", "unit": "mean 1-5", "range": [1.0, 5.0], "floor": 1.0, "target": 5.0},
    {
        "kind": "per_100hh",
        "unit": "per 100 hh",
        "range": [0.0, 500.0],
        "floor": 0.0,
        "target": 50.0,
    },
    {"kind": "binary", "unit": "yes/no", "range": [0.0, 1.0], "floor": 0.0, "target": 1.0},
    {"kind": "count", "unit": "count", "range": [0.0, 1000.0], "floor": 10.0, "target": 0.0},
]


def bench_system(m: int = M) -> Any:
    """An indicator system of m indicators in 4 dimensions, fixed dimension weights."""
    import renoscore as rs

    dims: list[dict[str, Any]] = []
    sizes = [m // 4 + (1 if d < m % 4 else 0) for d in range(4)]
    j = 0
    for d, size in enumerate(sizes):
        children = []
        for _ in range(size):
            k = KINDS[j % len(KINDS)]
            children.append(
                {
                    "id": f"i{j:03d}",
                    "name": {"en": f"indicator {j}", "zh": f"指标{j}"},
                    "unit": k["unit"],
                    "kind": k["kind"],
                    "direction": "benefit" if k["target"] > k["floor"] else "cost",
                    "range": k["range"],
                    "goalposts": {"floor": k["floor"], "target": k["target"]},
                    "supplier": "government",
                    "source": "benchmark",
                }
            )
            j += 1
        dims.append(
            {"id": f"d{d}", "name": {"en": f"dim {d}", "zh": f"维度{d}"}, "children": children}
        )
    doc = {
        "id": "bench",
        "version": "1",
        "name": {"en": "Benchmark", "zh": "基准"},
        "goal": {
            "id": "goal",
            "name": {"en": "goal", "zh": "总目标"},
            "weighting": {
                "method": "fixed",
                "weights": {"d0": 0.3, "d1": 0.3, "d2": 0.2, "d3": 0.2},
            },
            "children": dims,
        },
    }
    return rs.load_system(doc)


def goalpost_data(system: Any, n: int, seed: int = SEED) -> np.ndarray:
    """Values inside the goalposts, rows 0 and 1 exactly at floor and target.

    Batch min-max scaling of these data *is* goalpost scaling, so the peers' min-max weighted
    sums compute the same formula as renoscore's goalposts.
    """
    rng = np.random.default_rng(seed + 1)
    floor, target = system.goalpost_arrays()
    lo, hi = np.minimum(floor, target), np.maximum(floor, target)
    X = lo + (hi - lo) * rng.random((n, lo.size))
    X[0], X[1] = floor, target
    for j, ind in enumerate(system.indicators):
        if ind.kind.value in ("binary", "ordinal"):
            X[:, j] = np.round(X[:, j])
    return X


def ids_for(n: int) -> np.ndarray:
    return np.char.add("c", np.char.zfill(np.arange(n).astype(str), 7))


# =============================================================================== results
@dataclass
class Row:
    task: str
    n: int
    m: int
    impl: str
    peer: bool
    timing: Timing | None = None
    agreement: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "timing"}
        d["timing"] = None if self.timing is None else self.timing.as_dict()
        return d


class Suite:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.rows: list[Row] = []
        self.failures: list[str] = []
        self.peer_seconds: dict[tuple[str, str], tuple[int, float]] = {}

    def check(self, what: str, got: Any, want: Any, tol: float) -> str:
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        if got.shape != want.shape:
            self.failures.append(f"{what}: shape {got.shape} != {want.shape}")
            return f"shape {got.shape} != {want.shape}"
        same_nan = np.array_equal(np.isnan(got), np.isnan(want))
        diff = float(np.nanmax(np.abs(got - want))) if got.size else 0.0
        ok = same_nan and diff <= tol
        if not ok:
            self.failures.append(f"{what}: max|diff| {diff:.2e} > {tol:g}")
        return f"{'OK' if ok else 'MISMATCH'} {diff:.0e}"

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        t = row.timing
        shown = "" if t is None else f"{t.median:10.5f} s {t.ratio:9.1f} passes"
        print(
            f"  {row.task:<10} N={row.n:>9,} M={row.m:<3} {row.impl:<48} {shown:<33} {row.agreement} {row.note}",
            flush=True,
        )
        return row

    def run(
        self,
        task: str,
        n: int,
        impl: str,
        fn: Callable[[], Any],
        X: np.ndarray,
        *,
        peer: bool = False,
        m: int = M,
        check: Callable[[Any], str] | None = None,
        memory: bool = True,
        repeats: int | None = None,
        work: int | None = None,
    ) -> Row:
        """Check fn's answer, time it and record it.

        A peer whose call is estimated (from its time on the work before; ``work`` defaults
        to n) to take longer than ``PEER_BUDGET_S`` is not run at this size; one that takes
        more than 2 s is timed once.
        """
        key = (task, impl)
        size = n if work is None else work
        if peer and key in self.peer_seconds and not self.quick:
            n0, s0 = self.peer_seconds[key]
            estimate = s0 * size / n0
            if estimate > PEER_BUDGET_S:
                note = f"not run: about {estimate:.0f} s a call (from N={n0:,})"
                return self.add(Row(task, n, m, impl, peer, None, "", note))
        before = read_pass(X)
        t0 = time.perf_counter()
        out = fn()
        once = time.perf_counter() - t0
        unit = min(before, read_pass(X))
        agreement = check(out) if check is not None else ""
        del out
        if self.quick:
            return self.add(Row(task, n, m, impl, peer, None, agreement))
        reps = repeats if repeats is not None else repeats_for(n, self.quick)
        if peer and once > 2.0:
            timing = Timing([once], [once / unit])
        else:
            if peer:
                reps = max(1, min(reps, int(10.0 / max(once, 1e-9))))
            timing = timed(fn, X, reps, memory=memory and (not peer or once < 1.0), warm=False)
        if peer:
            self.peer_seconds[key] = (size, timing.median)
        return self.add(Row(task, n, m, impl, peer, timing, agreement))


# =============================================================================== peers
def peer_impls() -> dict[str, Any]:
    """The peers' entry points (those importable), imported once."""
    out: dict[str, Any] = {}
    with quiet():
        try:
            import pymcdm.weights as pw
            from pymcdm.helpers import rankdata
            from pymcdm.methods import TOPSIS, WSM
            from pymcdm.normalizations import minmax_normalization, vector_normalization

            out["pymcdm"] = {
                "entropy": pw.entropy_weights,
                "critic": pw.critic_weights,
                "topsis": TOPSIS(vector_normalization),
                "wsm": WSM(minmax_normalization),
                "rankdata": rankdata,
            }
        except ImportError:
            pass
        try:
            import skcriteria as skc
            from skcriteria.agg.similarity import TOPSIS as SKTOPSIS
            from skcriteria.agg.simple import WeightedSumModel
            from skcriteria.pipeline import mkpipe
            from skcriteria.preprocessing.invert_objectives import NegateMinimize
            from skcriteria.preprocessing.scalers import MinMaxScaler, VectorScaler
            from skcriteria.preprocessing.weighters import CRITIC, EntropyWeighter

            out["skcriteria"] = {
                "mkdm": skc.mkdm,
                "entropy": EntropyWeighter(),
                "critic": CRITIC(),
                "topsis": mkpipe(VectorScaler(target="matrix"), SKTOPSIS()),
                "wsm": mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel()),
            }
        except ImportError:
            pass
        try:
            from pyDecision.algorithm import (
                critic_method,
                entropy_method,
                saw_method,
                topsis_method,
            )

            out["pyDecision"] = {
                "entropy": entropy_method,
                "critic": critic_method,
                "topsis": topsis_method,
                "saw": saw_method,
            }
        except ImportError:
            pass
    return out


def pydecision_entropy_variant(X: np.ndarray) -> np.ndarray:
    """pyDecision's entropy: ln(p + 1e-9), ln(N + 1e-9), d + 1e-9 (not renoscore's formula)."""
    p = X / X.sum(axis=0)
    h = -(p * np.log(p + 1e-9)).sum(axis=0) / np.log(X.shape[0] + 1e-9)
    d = 1 - h + 1e-9
    return d / d.sum()


def pydecision_critic_variant(X: np.ndarray) -> np.ndarray:
    """pyDecision's CRITIC: (x - worst) / (range + 1e-10), ddof 1 (cancels), np.corrcoef."""
    Z = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0) + 1e-10)
    c = Z.std(axis=0, ddof=1) * (1 - np.corrcoef(Z.T)).sum(axis=1)
    return c / c.sum()


def pydecision_saw_variant(X: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """pyDecision's SAW: x / max for benefit, min / x for cost (not goalposts)."""
    R = np.where(benefit, X / X.max(axis=0), X.min(axis=0) / X)
    return R @ w


# =============================================================================== tasks
def agrees(
    s: Suite, what: str, want: Any, tol: float, pick: Callable[[Any], Any] = lambda x: x
) -> Callable[[Any], str]:
    """A check of a call's output (through ``pick``) against renoscore's answer."""
    return lambda out: s.check(what, pick(out), want, tol)


def task_weights(s: Suite, n: int, peers: dict[str, Any]) -> None:
    from renoscore.weights import critic, entropy

    X = lognormal(n)
    ours_e = entropy(X)
    ours_c = critic(X)
    s.run("entropy", n, "renoscore weights.entropy", lambda: entropy(X), X)
    if "pymcdm" in peers:
        f = peers["pymcdm"]["entropy"]
        s.run(
            "entropy",
            n,
            "pymcdm entropy_weights",
            lambda: f(X),
            X,
            peer=True,
            check=agrees(s, "entropy pymcdm", ours_e, 1e-9),
        )
    if "skcriteria" in peers:
        sk = peers["skcriteria"]

        def skc_entropy() -> Any:
            dm = sk["mkdm"](X, objectives=[max] * X.shape[1])
            return sk["entropy"].transform(dm).weights.to_numpy()

        s.run(
            "entropy",
            n,
            "scikit-criteria EntropyWeighter",
            skc_entropy,
            X,
            peer=True,
            check=agrees(s, "entropy skcriteria", ours_e, 1e-9),
        )
    if "pyDecision" in peers:
        f = peers["pyDecision"]["entropy"]
        s.run(
            "entropy",
            n,
            "pyDecision entropy_method (its variant)",
            lambda: f(X, ["max"] * X.shape[1]),
            X,
            peer=True,
            check=agrees(
                s, "entropy pyDecision vs its formula", pydecision_entropy_variant(X), 1e-9
            ),
        )

    s.run("critic", n, "renoscore weights.critic", lambda: critic(X), X)
    if "pymcdm" in peers:
        f = peers["pymcdm"]["critic"]
        s.run(
            "critic",
            n,
            "pymcdm critic_weights",
            lambda: f(X),
            X,
            peer=True,
            check=agrees(s, "critic pymcdm", ours_c, 1e-9),
        )
    if "skcriteria" in peers:
        sk = peers["skcriteria"]

        def skc_critic() -> Any:
            dm = sk["mkdm"](X, objectives=[max] * X.shape[1])
            return sk["critic"].transform(dm).weights.to_numpy()

        s.run(
            "critic",
            n,
            "scikit-criteria CRITIC",
            skc_critic,
            X,
            peer=True,
            check=agrees(s, "critic skcriteria", ours_c, 1e-9),
        )
    if "pyDecision" in peers:
        f = peers["pyDecision"]["critic"]
        s.run(
            "critic",
            n,
            "pyDecision critic_method (its variant)",
            lambda: f(X, ["max"] * X.shape[1]),
            X,
            peer=True,
            check=agrees(s, "critic pyDecision vs its formula", pydecision_critic_variant(X), 1e-9),
        )


def task_topsis(s: Suite, n: int, peers: dict[str, Any]) -> None:
    from renoscore.aggregate import topsis

    X = lognormal(n, seed=SEED + 2)
    rng = np.random.default_rng(SEED + 3)
    w = rng.uniform(0.5, 1.5, M)
    w /= w.sum()
    benefit = np.arange(M) % 2 == 0
    dirs = np.where(benefit, "benefit", "cost").tolist()
    ours = topsis(X, w, dirs)
    s.run("topsis", n, "renoscore aggregate.topsis (vector)", lambda: topsis(X, w, dirs), X)
    if "pymcdm" in peers:
        f = peers["pymcdm"]["topsis"]
        types = np.where(benefit, 1, -1)
        s.run(
            "topsis",
            n,
            "pymcdm TOPSIS (vector)",
            lambda: f(X, w, types),
            X,
            peer=True,
            check=agrees(s, "topsis pymcdm", ours, 1e-9),
        )
    if "skcriteria" in peers:
        sk = peers["skcriteria"]
        objectives = [max if b else min for b in benefit]

        def skc() -> Any:
            dm = sk["mkdm"](X, objectives=objectives, weights=w)
            return sk["topsis"].evaluate(dm).e_.similarity

        s.run(
            "topsis",
            n,
            "scikit-criteria VectorScaler + TOPSIS",
            skc,
            X,
            peer=True,
            check=agrees(s, "topsis skcriteria", ours, 1e-9),
        )
    if "pyDecision" in peers:
        f = peers["pyDecision"]["topsis"]
        kinds = ["max" if b else "min" for b in benefit]
        s.run(
            "topsis",
            n,
            "pyDecision topsis_method",
            lambda: f(X, w, kinds, graph=False, verbose=False),
            X,
            peer=True,
            check=agrees(s, "topsis pyDecision", ours, 1e-9),
        )


def task_wsm(s: Suite, n: int, peers: dict[str, Any], system: Any) -> None:
    from renoscore.aggregate import Tree, score_groups, weighted_sum
    from renoscore.normalize import goalposts
    from renoscore.weights import derive_weights

    X = goalpost_data(system, n)
    floor, target = system.goalpost_arrays()
    w = derive_weights(system).indicator_weights()
    flat = Tree.build(M, [list(range(M))], [w / w.sum()])
    benefit = target > floor
    ours = score_groups(X, floor, target, flat)[0][:, 0]
    s.run(
        "wsm",
        n,
        "renoscore aggregate.score_groups (fused)",
        lambda: score_groups(X, floor, target, flat),
        X,
    )
    s.run(
        "wsm",
        n,
        "renoscore goalposts() then weighted_sum()",
        lambda: weighted_sum(goalposts(X, floor, target), w[:, None]),
        X,
        check=agrees(s, "wsm two-step", ours, 1e-12, lambda out: out[:, 0]),
    )
    if "pymcdm" in peers:
        f = peers["pymcdm"]["wsm"]
        types = np.where(benefit, 1, -1)
        s.run(
            "wsm",
            n,
            "pymcdm WSM (min-max)",
            lambda: f(X, w, types),
            X,
            peer=True,
            check=agrees(s, "wsm pymcdm", ours, 1e-9),
        )
    if "skcriteria" in peers:
        sk = peers["skcriteria"]
        objectives = [max if b else min for b in benefit]

        def skc() -> Any:
            dm = sk["mkdm"](X, objectives=objectives, weights=w)
            return sk["wsm"].evaluate(dm).e_.score

        s.run(
            "wsm",
            n,
            "scikit-criteria NegateMinimize + MinMax + WSM",
            skc,
            X,
            peer=True,
            check=agrees(s, "wsm skcriteria", ours, 1e-9),
        )
    if "pyDecision" in peers:
        f = peers["pyDecision"]["saw"]
        kinds = ["max" if b else "min" for b in benefit]
        Xp = X + 1.0  # SAW divides by x: strictly positive data
        # saw_method returns the alternatives sorted by score: compare the sorted scores.
        want = np.sort(pydecision_saw_variant(Xp, w, benefit))
        s.run(
            "wsm",
            n,
            "pyDecision saw_method (x/max, min/x variant)",
            lambda: f(Xp, kinds, w, graph=False, verbose=False),
            Xp,
            peer=True,
            check=agrees(
                s,
                "wsm pyDecision vs its formula",
                want,
                1e-9,
                lambda out: np.sort(np.asarray(out)[:, 1]),
            ),
        )


def task_evaluate(s: Suite, n: int, peers: dict[str, Any], system: Any) -> None:
    import renoscore as rs

    X = goalpost_data(system, n)
    ids = ids_for(n)
    w = rs.derive_weights(system).indicator_weights()
    floor, target = system.goalpost_arrays()
    benefit = target > floor

    def from_array() -> Any:
        return rs.evaluate(system, rs.load_data(X, system, ids=ids))

    result = from_array()
    ours = result.overall / 100.0
    s.check("evaluate ranks", result.overall_rank, _min_ranks(ours), 0.0)
    row = s.run("evaluate", n, "renoscore load_data(X, ids=) + evaluate", from_array, X)
    if row.timing is not None:
        kept = sum(
            a.nbytes
            for a in (
                result.group_scores,
                result.coverage,
                result.grades,
                result.overall_rank,
                result.status,
            )
        )
        row.timing.retained = kept / X.nbytes
    # Where the time goes (renoscore only): the two calls and the main steps of evaluate.
    from renoscore.aggregate import score_groups
    from renoscore.pipeline import system_tree
    from renoscore.ranking import grade, rank

    data = rs.load_data(X, system, ids=ids)
    tree = system_tree(system, rs.derive_weights(system))
    G = result.group_scores
    for label, fn in (
        ("  of which load_data(X, ids=)", lambda: rs.load_data(X, system, ids=ids)),
        ("  of which evaluate(data)", lambda: rs.evaluate(system, data)),
        (
            "  of which aggregate.score_groups (N x M -> N x K)",
            lambda: score_groups(X, floor, target, tree, scale=100.0, check_finite=False),
        ),
        ("  of which ranking.rank (N scores)", lambda: rank(G[:, 0])),
        ("  of which ranking.grade (N x K scores)", lambda: grade(G, (85, 70, 60))),
    ):
        s.run("evaluate", n, label, fn, X, memory=False)
    del result
    # The cost of reading the indicator scores, computed on first access.
    s.run(
        "evaluate",
        n,
        "  ... then result.indicator_scores",
        lambda: from_array().indicator_scores,
        X,
    )
    perm = np.random.default_rng(SEED + 4).permutation(n)
    Xs, ids_s = X[perm], ids[perm]
    s.run(
        "evaluate",
        n,
        "  ... ids in random order",
        lambda: rs.evaluate(system, rs.load_data(Xs, system, ids=ids_s)),
        X,
        check=agrees(
            s, "evaluate, ids in random order", ours[perm], 0.0, lambda r: r.overall / 100.0
        ),
    )
    with contextlib.suppress(ImportError):
        import pandas as pd

        frame = pd.DataFrame(
            {"community_id": ids, **{k: X[:, j] for j, k in enumerate(system.indicator_ids)}}
        )
        s.run(
            "evaluate",
            n,
            "renoscore load_data(DataFrame) + evaluate",
            lambda: rs.evaluate(system, rs.load_data(frame, system)),
            X,
            check=agrees(s, "evaluate from a DataFrame", ours, 0.0, lambda r: r.overall / 100.0),
        )
    columns = {"community_id": ids, **{k: X[:, j] for j, k in enumerate(system.indicator_ids)}}
    s.run(
        "evaluate",
        n,
        "renoscore load_data(mapping of columns) + evaluate",
        lambda: rs.evaluate(system, rs.load_data(columns, system)),
        X,
        check=agrees(s, "evaluate from a mapping", ours, 0.0, lambda r: r.overall / 100.0),
    )

    def same_ranking(what: str, scores: Any) -> str:
        # Ranks with renoscore's tie rule from the peer's own scores: the same order?
        return s.check(what, _min_ranks(np.asarray(scores, dtype=float)), _min_ranks(ours), 0.0)

    if "skcriteria" in peers:
        sk = peers["skcriteria"]
        objectives = [max if b else min for b in benefit]

        def skc() -> Any:
            dm = sk["mkdm"](X, objectives=objectives, weights=w)
            return sk["wsm"].evaluate(dm)

        s.run(
            "evaluate",
            n,
            "scikit-criteria mkdm + pipeline + rank",
            skc,
            X,
            peer=True,
            check=lambda r: (
                s.check("evaluate skcriteria score", r.e_.score, ours, 1e-9)
                + "; ranking "
                + same_ranking("evaluate skcriteria ranking", r.e_.score)
            ),
        )
    if "pymcdm" in peers:
        p = peers["pymcdm"]
        types = np.where(benefit, 1, -1)

        def pym() -> Any:
            pref = p["wsm"](X, w, types)
            return pref, p["rankdata"](pref, reverse=True)

        s.run(
            "evaluate",
            n,
            "pymcdm WSM + rankdata (no validation)",
            pym,
            X,
            peer=True,
            check=lambda r: (
                s.check("evaluate pymcdm score", r[0], ours, 1e-9)
                + "; ranking "
                + same_ranking("evaluate pymcdm ranking", r[0])
            ),
        )


def _min_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = best) by a plain sort, for the agreement check."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(scores.size)
    sk = scores[order]
    new = np.ones(sk.size, dtype=bool)
    new[1:] = sk[:-1] - sk[1:] > 1e-11  # the default tolerance, 1e-9 on 0-100
    starts = np.flatnonzero(new)
    ranks[order] = starts[np.cumsum(new) - 1] + 1.0
    return ranks


def task_ahp(s: Suite, quick: bool) -> None:
    import bench_ahp as ba

    from renoscore import ahp

    rng = np.random.default_rng(SEED)
    peers = ba.peers()
    batches = [1, 200] if quick else [1, 1_000, 100_000]
    cap = 200 if quick else 2_000
    for n in (4, 9, 15):
        for B in batches:
            A = ba.random_saaty(rng, B, n)
            ref = ba.eig_stacked(A)

            def vs_eig(c: Any, ref: Any = ref, n: int = n, B: int = B) -> str:
                return (
                    s.check(f"ahp n={n} B={B} priorities", c.priorities, ref[0], 1e-12)
                    + "; λmax "
                    + s.check(f"ahp n={n} B={B} lambda", c.lambda_max, ref[1], 1e-12)
                )

            row = s.run(
                "ahp",
                B,
                f"renoscore ahp.consistency (n={n})",
                lambda A=A: ahp.consistency(A),
                A,
                m=n,
                check=vs_eig,
                repeats=5 if B >= 1000 else 15,
            )
            if row.timing is not None:
                row.extra["us_per_matrix"] = row.timing.median / B * 1e6
            sub = A[: min(B, cap)]
            row = s.run(
                "ahp",
                B,
                f"numpy.linalg.eig loop (n={n})",
                lambda sub=sub: ba.eig_loop(sub),
                A,
                m=n,
                peer=True,
                repeats=3,
                memory=False,
                work=len(sub),
            )
            row.extra["timed_on"] = len(sub)
            if row.timing is not None:
                row.extra["us_per_matrix"] = row.timing.median / len(sub) * 1e6
            for name, (fn, table) in peers.items():
                ours = ahp.consistency(sub, ri=table)
                tol = 1e-6 if "AHPy" in name else 1e-12  # AHPy rounds to 10 decimals

                def vs_ours(
                    out: Any, ours: Any = ours, tol: float = tol, name: str = name, n: int = n
                ) -> str:
                    w, _, cr = out
                    return (
                        s.check(f"ahp {name} n={n}", w, ours.priorities, tol)
                        + "; CR "
                        + s.check(f"ahp {name} n={n} CR", cr, ours.cr, tol)
                    )

                row = s.run(
                    "ahp",
                    B,
                    f"{name} (n={n})",
                    lambda fn=fn, sub=sub: fn(sub),
                    A,
                    m=n,
                    peer=True,
                    check=vs_ours,
                    repeats=3,
                    memory=False,
                    work=len(sub),
                )
                row.extra["timed_on"] = len(sub)
                if row.timing is not None:
                    row.extra["us_per_matrix"] = row.timing.median / len(sub) * 1e6


def task_startup(s: Suite) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    probe = (
        "import time; t = time.perf_counter(); import renoscore; a = time.perf_counter() - t; "
        "import sys; heavy = [m for m in ('scipy', 'pandas', 'matplotlib', 'pydantic') if m in sys.modules]; "
        "t = time.perf_counter(); renoscore.default_system(); b = time.perf_counter() - t; print(a, b, ','.join(heavy))"
    )
    imports, firsts, heavy = [], [], ""
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", probe],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd="/",
        )
        a, b, *rest = out.stdout.split()
        imports.append(float(a))
        firsts.append(float(b))
        heavy = rest[0] if rest else ""
    s.add(
        Row(
            "startup",
            0,
            0,
            "import renoscore",
            False,
            Timing(imports, [float("nan")] * 7),
            note=f"modules loaded by the import: {heavy or 'none of scipy, pandas, matplotlib, pydantic'}",
        )
    )
    s.add(
        Row(
            "startup",
            0,
            0,
            "  then default_system() (pydantic, YAML)",
            False,
            Timing(firsts, [float("nan")] * 7),
        )
    )
    cli = "import sys; from renoscore.cli import main; sys.exit(main(['score', '--example']))"
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", cli], env=env, capture_output=True, check=True, cwd="/"
        )
        walls.append(time.perf_counter() - t0)
    s.add(
        Row(
            "startup",
            0,
            0,
            "renoscore score --example (wall, new process)",
            False,
            Timing(walls, [float("nan")] * 5),
        )
    )


def task_scaling(s: Suite) -> None:
    """Cost per step at N = 100,000 and M = 10, 40, 160 (renoscore only)."""
    import renoscore as rs
    from renoscore.aggregate import Tree, score_groups, topsis
    from renoscore.weights import critic, entropy

    n = 100_000
    for m in (10, 40, 160):
        X = lognormal(n, m)
        w = np.full(m, 1.0 / m)
        dirs = ["benefit" if j % 2 == 0 else "cost" for j in range(m)]
        s.run("scale-M", n, "entropy", lambda X=X: entropy(X), X, m=m, memory=False)
        s.run("scale-M", n, "critic", lambda X=X: critic(X), X, m=m, memory=False)
        s.run(
            "scale-M", n, "topsis", lambda X=X, w=w, d=dirs: topsis(X, w, d), X, m=m, memory=False
        )
        system = bench_system(m)
        G = goalpost_data(system, n)
        f, t = system.goalpost_arrays()
        flat = Tree.build(m, [list(range(m))], [w])
        s.run(
            "scale-M",
            n,
            "wsm (score_groups)",
            lambda G=G, f=f, t=t, tr=flat: score_groups(G, f, t, tr),
            G,
            m=m,
            memory=False,
        )
        ids = ids_for(n)
        s.run(
            "scale-M",
            n,
            "evaluate from an array",
            lambda G=G, sy=system, ids=ids: rs.evaluate(sy, rs.load_data(G, sy, ids=ids)),
            G,
            m=m,
            memory=False,
        )


# =============================================================================== report
BUDGETS = [
    # (label, task, impl, n, key, limit, unit)
    (
        "entropy weights, 1e6 x 40",
        "entropy",
        "renoscore weights.entropy",
        1_000_000,
        "passes",
        8.0,
        "read passes",
    ),
    (
        "TOPSIS, 1e6 x 40",
        "topsis",
        "renoscore aggregate.topsis (vector)",
        1_000_000,
        "passes",
        13.0,
        "read passes",
    ),
    (
        "weighted sum of goalpost scores, 1e6 x 40",
        "wsm",
        "renoscore aggregate.score_groups (fused)",
        1_000_000,
        "passes",
        6.0,
        "read passes",
    ),
    (
        "full evaluate from an array, 1e6 x 40",
        "evaluate",
        "renoscore load_data(X, ids=) + evaluate",
        1_000_000,
        "passes",
        20.0,
        "read passes",
    ),
    (
        "  its peak extra memory",
        "evaluate",
        "renoscore load_data(X, ids=) + evaluate",
        1_000_000,
        "memory",
        1.0,
        "x input",
    ),
    (
        "full evaluate from a DataFrame, 1e6 x 40",
        "evaluate",
        "renoscore load_data(DataFrame) + evaluate",
        1_000_000,
        "passes",
        30.0,
        "read passes",
    ),
    (
        "AHP priorities + CR, B = 100,000, 4 x 4",
        "ahp",
        "renoscore ahp.consistency (n=4)",
        100_000,
        "us",
        3.0,
        "µs per matrix",
    ),
    (
        "AHP priorities + CR, B = 100,000, 9 x 9",
        "ahp",
        "renoscore ahp.consistency (n=9)",
        100_000,
        "us",
        8.0,
        "µs per matrix",
    ),
    ("import renoscore", "startup", "import renoscore", 0, "seconds", 0.3, "s"),
    (
        "renoscore score --example, wall",
        "startup",
        "renoscore score --example (wall, new process)",
        0,
        "seconds",
        1.5,
        "s",
    ),
]


def budget_rows(s: Suite) -> list[dict[str, Any]]:
    out = []
    for label, task, impl, n, key, limit, unit in BUDGETS:
        row = next((r for r in s.rows if r.task == task and r.impl == impl and r.n == n), None)
        value = None
        if row is not None and row.timing is not None:
            t = row.timing
            value = {
                "passes": t.ratio,
                "memory": t.peak,
                "us": row.extra.get("us_per_matrix"),
                "seconds": t.median,
            }[key]
        out.append(
            {
                "budget": label,
                "limit": limit,
                "unit": unit,
                "measured": value,
                "met": value is not None and value <= limit,
                "spread": None
                if row is None or row.timing is None or key != "passes"
                else (min(row.timing.passes), max(row.timing.passes)),
            }
        )
    return out


def fastest_peer(s: Suite, task: str, n: int) -> float | None:
    times = [
        r.timing.median
        for r in s.rows
        if r.task == task and r.n == n and r.peer and r.timing and "eig loop" not in r.impl
    ]
    return min(times) if times else None


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    return f"{x:,.{digits}f}"


def markdown(s: Suite, info: dict[str, Any], peers: dict[str, str | None], elapsed: float) -> str:
    lines: list[str] = []
    add = lines.append
    add("# Performance")
    add("")
    add("<!-- Generated by `python benchmarks/bench_suite.py`; edit the script, not this page. -->")
    add("")
    add(
        "Every figure on this page was measured in **one run** of `python benchmarks/bench_suite.py` "
        f"({elapsed / 60:.1f} minutes), renoscore and its peers in the same process on the same seeded "
        "data. The unit is one streaming read of the data, `X.sum()`, timed next to every call: "
        "**read passes** = time / read. Absolute times drift with the load of a shared machine; the "
        "ratios measured side by side are what compare. Figures are medians over repetitions "
        "(min–max in brackets). Before a peer is timed its answer is checked against renoscore's for "
        "the same formula variant (column *agreement*: max |difference|)."
    )
    add("")
    add("## Machine")
    add("")
    for k in ("cpu", "cores", "memory_gib", "os", "python", "numpy", "blas", "load_average"):
        if k in info:
            add(f"- {k.replace('_', ' ')}: {info[k]}")
    add(
        "- peers: " + ", ".join(f"{k} {v}" for k, v in peers.items() if v)
        if any(peers.values())
        else "- peers: none"
    )
    add("")
    add("## Budgets")
    add("")
    add("| budget | limit | measured | met |")
    add("| --- | --- | --- | --- |")
    for b in budget_rows(s):
        spread = f" ({fmt(b['spread'][0])}–{fmt(b['spread'][1])})" if b["spread"] else ""
        digits = 2 if b["unit"] in ("s", "µs per matrix", "x input") else 1
        add(
            f"| {b['budget']} | ≤ {b['limit']:g} {b['unit']} | {fmt(b['measured'], digits)}{spread} | {'yes' if b['met'] else '**no**'} |"
        )
    add("")
    add(NOTES_BUDGETS)
    add("")
    for task, title in (
        ("entropy", "Entropy weights"),
        ("critic", "CRITIC weights"),
        ("topsis", "TOPSIS (vector normalisation)"),
        ("wsm", "Weighted sum of goalpost-normalised data"),
        ("evaluate", "Full evaluate: validate, normalise, aggregate, rank"),
    ):
        rows = [r for r in s.rows if r.task == task]
        if not rows:
            continue
        add(f"## {title}")
        add("")
        add(TASK_NOTES.get(task, ""))
        add("")
        add(
            "| N | implementation | median s (min–max) | read passes (min–max) | × fastest peer | peak memory × input | agreement |"
        )
        add("| ---: | --- | --- | --- | ---: | ---: | --- |")
        for r in rows:
            t = r.timing
            best = fastest_peer(s, task, r.n)
            if t is None:
                add(f"| {r.n:,} | {r.impl} | {r.note} | | | | {r.agreement} |")
                continue
            rel = fmt(t.median / best, 2) if best else "—"
            mem = fmt(t.peak, 2) if t.peak is not None else "—"
            add(
                f"| {r.n:,} | {r.impl} | {t.median:.4g} ({min(t.seconds):.3g}–{max(t.seconds):.3g}) | "
                f"{fmt(t.ratio)} ({fmt(min(t.passes))}–{fmt(max(t.passes))}) | {rel} | {mem} | {r.agreement} |"
            )
        add("")
    rows = [r for r in s.rows if r.task == "ahp"]
    if rows:
        add("## Batched AHP: priorities and consistency ratio")
        add("")
        add(TASK_NOTES["ahp"])
        add("")
        add("| n | B | implementation | timed on | µs per matrix | × renoscore | agreement |")
        add("| ---: | ---: | --- | ---: | ---: | ---: | --- |")
        for r in rows:
            ours = next(
                (
                    q.extra.get("us_per_matrix")
                    for q in rows
                    if q.n == r.n and q.m == r.m and q.impl.startswith("renoscore")
                ),
                None,
            )
            us = r.extra.get("us_per_matrix")
            add(
                f"| {r.m} | {r.n:,} | {r.impl.rsplit(' (n=', 1)[0]} | {r.extra.get('timed_on', r.n):,} | {fmt(us, 2)} | "
                f"{fmt(us / ours, 1) if us and ours else '—'} | {r.agreement or r.note} |"
            )
        add("")
    rows = [r for r in s.rows if r.task == "startup"]
    if rows:
        add("## Start-up")
        add("")
        add("| what | median s (min–max) | note |")
        add("| --- | --- | --- |")
        for r in rows:
            t = r.timing
            assert t is not None
            add(
                f"| {r.impl} | {t.median:.3f} ({min(t.seconds):.3f}–{max(t.seconds):.3f}) | {r.note} |"
            )
        add("")
    add("## What limits each step")
    add("")
    add(LIMITS_NOTES)
    add("")
    add("## Scaling")
    add("")
    add(SCALING_NOTES)
    add("")
    add("Read passes of each step at N = 1,000, 100,000 and 1,000,000 (M = 40):")
    add("")
    add("| step | N = 1,000 | N = 100,000 | N = 1,000,000 |")
    add("| --- | ---: | ---: | ---: |")
    for task, impl in (
        ("entropy", "renoscore weights.entropy"),
        ("critic", "renoscore weights.critic"),
        ("topsis", "renoscore aggregate.topsis (vector)"),
        ("wsm", "renoscore aggregate.score_groups (fused)"),
        ("evaluate", "renoscore load_data(X, ids=) + evaluate"),
        ("evaluate", "renoscore load_data(DataFrame) + evaluate"),
    ):
        cells = []
        for n in (1_000, 100_000, 1_000_000):
            r = next((q for q in s.rows if q.task == task and q.impl == impl and q.n == n), None)
            cells.append(fmt(r.timing.ratio) if r and r.timing else "—")
        add(f"| {impl.removeprefix('renoscore ')} | {' | '.join(cells)} |")
    add("")
    add(
        "Read passes at N = 100,000 for M = 10, 40 and 160 indicators (each against a read of its own matrix):"
    )
    add("")
    add("| step | M = 10 | M = 40 | M = 160 |")
    add("| --- | ---: | ---: | ---: |")
    for impl in ("entropy", "critic", "topsis", "wsm (score_groups)", "evaluate from an array"):
        cells = []
        for m in (10, 40, 160):
            r = next(
                (q for q in s.rows if q.task == "scale-M" and q.impl == impl and q.m == m), None
            )
            cells.append(fmt(r.timing.ratio) if r and r.timing else "—")
        add(f"| {impl} | {' | '.join(cells)} |")
    add("")
    add(MEMORY_NOTES)
    # The audit's section is measured by its own benchmark (bench_audit.py), which keeps its
    # results in benchmarks/results/audit.json; the page carries them over.
    from bench_audit import section_lines

    audit_section = section_lines()
    if audit_section:
        add("")
        lines.extend(audit_section)
    add("")
    return "\n".join(lines)


NOTES_BUDGETS = """\
*Peak memory* is what `tracemalloc` saw allocated during the call beyond what existed before,
as a multiple of the input matrix (8 N M bytes); the result's own arrays count. *Full evaluate
from an array* is `rs.evaluate(system, rs.load_data(X, system, ids=ids))`: validation of every
cell (range, integer kinds, NaN to status), of the ids (empty, repeated), goalposts, the tree,
the coverage rule, ranks within phase and grades. Its result holds the group scores, coverage,
grades, ranks and the status matrix; the indicator scores (an N x M array) are computed when
first read (the row *then result.indicator_scores* gives that cost)."""

TASK_NOTES = {
    "entropy": "Sum-normalised entropy (Shannon 1948; Zeleny 1982). pymcdm and scikit-criteria compute the same formula; pyDecision adds 1e-9 inside the logarithms and to the divergences, so it is checked against that formula and its distance from renoscore's is expected. A peer whose call would take more than 15 s (estimated from its time at the size before) is not run at that size, and the table says so.",
    "critic": "CRITIC (Diakoulaki et al. 1995) on all-benefit columns: min-max scaled columns, standard deviation times the sum of (1 − Pearson correlation). pymcdm divides by N − 1, a constant factor that cancels; pyDecision adds 1e-10 to each range and is checked against that formula.",
    "topsis": "TOPSIS (Hwang & Yoon 1981) with vector normalisation, half the columns cost criteria, the same weights for every implementation; agreement on the closeness coefficients.",
    "wsm": "Goalposts (OECD/JRC 2008) then a weighted sum. The data lie inside the goalposts with two rows at floor and target, so the peers' batch min-max scaling *is* goalpost scaling and their weighted sums compute the same numbers. renoscore's fused pass (`aggregate.score_groups`) reads X once and never forms the N x M score matrix; the two-step row (`goalposts()` then `weighted_sum()`) does. pyDecision's SAW uses x/max and min/x and is checked against that formula.",
    "evaluate": "The whole pipeline on the benchmark system (4 dimensions x 10 indicators, fixed weights): from an (N, M) array with ids (`load_data(X, system, ids=ids)`), from a pandas DataFrame and from a mapping of columns. The peers have no validating pipeline; the closest are scikit-criteria's decision matrix (it checks the matrix) with a min-max weighted-sum pipeline and its ranking, and pymcdm's WSM with `rankdata`. Agreement: overall scores (÷ 100) and competition ranks.",
    "ahp": "Random Saaty-scale matrices (mostly inconsistent: the hard case). renoscore computes the whole stack at once; the per-matrix loops (numpy's eig, pyDecision `ahp_method`, pymcdm `AHP`, AHPy `Compare`) cost the same per matrix at any B and are timed on at most 2,000 matrices. Agreement: priorities and λmax against `numpy.linalg.eig` (renoscore), priorities and CR against renoscore with the peer's RI table (peers); AHPy rounds its output to 10 decimals.",
}

SCALING_NOTES = """\
Every step is linear in N: one or two streaming passes over the data plus a per-block cost, so
its cost in read passes is flat from 100,000 rows on (at 1,000 rows the fixed cost of a call —
argument checks, small allocations — dominates a read of 320 KB, and ratios are large). Two
steps are not plain streams: ranking sorts the N overall scores (a two-pass 16-bit radix sort,
O(N), with an exact pass over near-tied buckets), and the id check is a comparison of
neighbours when ids come sorted and a hash count (O(N)) when they do not. Cost per cell falls
slightly with M: per-row work (sort, ranks, grades, ids) is spread over more cells. CRITIC
grows with M² per row (the M x M correlation matrix), visible at M = 160."""

LIMITS_NOTES = """\
Measured in the tables above (the *of which* rows of the full evaluate split it into its calls
and main steps); one numpy operation on every cell costs about one read pass on this machine,
whether the data come from memory or from cache, so the floor of a step is its count of
per-cell operations.

- **Full evaluate** (about 19 passes at 1e6 x 40): validation in `load_data` (about 6: one
  blocked scan computing every column's minimum and maximum, which also finds NaN and
  infinities, plus a whole-number test for integer kinds, and the ids: stripped, sorted
  neighbours compared), the scoring pass (about 6: a clip of every cell to its goalposts, two
  operations with per-column bounds, and its share of one matrix product with the folded
  weights), the ranks (about 4: a sort of the N overall scores, by a two-pass radix sort
  since comparison sorts of a million floats take twice as long here; numpy's SIMD sorts are
  not used on this CPU), grades (about 1: three comparisons of N x K scores) and the coverage
  rule and the result (about 1). Ids not in sorted order add a hash count (about 4 more).
  The indicator scores (N x M) are not part of it: computing them costs about 10-12 passes
  more, one fresh N x M array included, when `result.indicator_scores` is first read.
- **From a DataFrame / a mapping of columns**: as from an array, plus one copy of the columns
  into a column-major (N, M) array and text ids converted once (pandas keeps text in Arrow
  buffers; ASCII ids are laid out without a Python string per cell).
- **Entropy** (about 8): a logarithm per cell is most of it; the column sums stream in
  blocks.
- **TOPSIS** (about 10): one pass for the column extremes and sums of squares, then per
  distance a subtraction, a square and a matrix-vector product, in the units of X (no weighted
  matrix is formed).
- **Weighted sum of goalpost scores** (about 5-6): the clip to the goalposts and the product;
  materialising the N x M scores first (`goalposts()` then `weighted_sum()`) costs about 11.
- **CRITIC** (about 17): one pass of column moments and one of the M x M cross-products; the
  M² part grows at M = 160.
- **AHP**: power iterations on the whole stack at once; per matrix it costs 1-6 µs against
  20-60 µs for a Python loop over `numpy.linalg.eig` and 20-400 µs for the peers' loops. For a
  single matrix the fixed cost of the batched call (about 150 µs) is larger than a loop's."""

MEMORY_NOTES = """\
**Memory model** (N rows, M indicators, K groups of the tree, 8-byte floats):

- *Input*: renoscore never copies an (N, M) float64 array given to `load_data(X, ids=...)`: the
  data hold a read-only view. A table of columns (mapping, DataFrame, CSV) is assembled once
  into a column-major (N, M) array (1×).
- *Validation*: the status matrix, N M bytes (⅛×), written only where a cell is not OK; ids as
  one fixed-width text array; phases as small integer codes.
- *Scoring*: rows are processed in blocks of 128 K cells (1 MB) that stay in cache; the
  per-block scratch is reused, so there is no (N, M) temporary. The result holds N K group
  scores, coverage and grades and N ranks: with K = 5, 3 × 40 + 8 bytes per row, 0.4× of a
  40-indicator input. The indicator scores (1×) exist only once `result.indicator_scores` is
  read.
- *Weights*: entropy and CRITIC stream the matrix in blocks; their extra memory is a few blocks
  and the M x M cross-products.
- *AHP*: a stack of B n×n matrices is worked in place of a few B n² buffers."""


# =============================================================================== main
#: A section another benchmark writes between its markers (e.g. bench_scale.py's "scale").
_SECTION = re.compile(
    r"<!-- (?P<name>[\w-]+) benchmark: start -->.*?<!-- (?P=name) benchmark: end -->", re.S
)


def with_kept_sections(page: str, doc: Path) -> str:
    """``page`` with every marked section of the current ``doc`` that ``page`` lacks appended,
    so that one benchmark's run does not erase what another measured."""
    if not doc.exists():
        return page
    kept = [
        m.group(0)
        for m in _SECTION.finditer(doc.read_text(encoding="utf-8"))
        if f"<!-- {m.group('name')} benchmark: start -->" not in page
    ]
    return page.rstrip("\n") + "".join(f"\n\n{block}" for block in kept) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, agreement only (CI)")
    parser.add_argument("--no-peers", action="store_true", help="renoscore only, this interpreter")
    parser.add_argument("--env", help="virtualenv with the peers (default benchmarks/.venv)")
    parser.add_argument("--in-env", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not write docs/ and results/")
    args = parser.parse_args(argv)
    ensure_environment(args)

    started = time.perf_counter()
    info = machine()
    versions = peers_available() if not args.no_peers else {}
    impls = peer_impls() if not args.no_peers else {}
    print(
        f"renoscore performance suite ({'quick' if args.quick else 'full'}); peers: "
        + (", ".join(f"{k} {v}" for k, v in versions.items() if v) or "none"),
        flush=True,
    )
    s = Suite(args.quick)
    sizes = [1_000, 5_000] if args.quick else [1_000, 100_000, 1_000_000]
    system = bench_system(M)
    with quiet():
        for n in sizes:
            task_weights(s, n, impls)
            task_topsis(s, n, impls)
            task_wsm(s, n, impls, system)
            task_evaluate(s, n, impls, system)
        task_ahp(s, args.quick)
        if not args.quick:
            task_startup(s)
            task_scaling(s)
    elapsed = time.perf_counter() - started
    if s.failures:
        print("\nDISAGREEMENT:")
        for f in s.failures:
            print("  " + f)
    if args.quick:
        print("quick mode: every answer agrees" if not s.failures else "quick mode: FAILED")
        return 1 if s.failures else 0
    print(f"\nfinished in {elapsed / 60:.1f} min")
    for b in budget_rows(s):
        print(
            f"  budget {b['budget']:<45} ≤ {b['limit']:g} {b['unit']:<14} measured {fmt(b['measured'], 2):>8}  {'met' if b['met'] else 'MISSED'}"
        )
    if not args.no_write:
        info["load_average_end"] = list(os.getloadavg())
        page = markdown(s, info, versions, elapsed)
        DOC.write_text(with_kept_sections(page, DOC), encoding="utf-8")
        JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
        JSON_OUT.write_text(
            json.dumps(
                {
                    "machine": info,
                    "peers": versions,
                    "elapsed_s": elapsed,
                    "budgets": budget_rows(s),
                    "rows": [r.as_dict() for r in s.rows],
                    "failures": s.failures,
                },
                indent=1,
                default=float,
            ),
            encoding="utf-8",
        )
        print(f"wrote {DOC.relative_to(ROOT)} and {JSON_OUT.relative_to(ROOT)}")
    return 1 if s.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
