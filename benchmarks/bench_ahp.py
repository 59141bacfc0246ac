"""Benchmark: AHP priorities + consistency ratio for stacks of random Saaty-scale matrices.

Compares renoscore's batched eigenvector core with a per-matrix loop over numpy.linalg.eig (the
reference), numpy.linalg.eig on the whole stack, and, when they are importable, per-matrix loops
of pyDecision (``ahp_method``), pymcdm (``AHP``) and AHPy (``Compare``). Every answer is checked
against the eig reference: priorities and lambda_max to 1e-12 for renoscore and the eig-based
peers; AHPy rounds its output to ``precision`` decimals, so its difference is only reported.

Run (peers are optional; they live in their own virtualenv)::

    PYTHONPATH=src python benchmarks/bench_ahp.py            # full: B = 1, 1,000, 100,000
    PYTHONPATH=src python benchmarks/bench_ahp.py --quick    # seconds; checks agreement only
    PYTHONPATH=src /work/benchvenv-ahp/bin/python benchmarks/bench_ahp.py   # with the peers

Per-matrix Python loops cost the same per matrix whatever B is, so they are timed on at most
``--loop-cap`` matrices of each stack (default 2,000); the table says how many.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from renoscore import ahp

FloatArray = NDArray[np.float64]
TOL = 1e-12


def random_saaty(rng: np.random.Generator, batch: int, n: int) -> FloatArray:
    """Uniformly random Saaty-scale judgements: mostly very inconsistent, the hard case."""
    A = np.ones((batch, n, n))
    iu, ju = np.triu_indices(n, 1)
    v = rng.choice(np.array(ahp.SAATY_SCALE), size=(batch, iu.size))
    A[:, iu, ju] = v
    A[:, ju, iu] = 1.0 / v
    return A


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times = []
    out: object = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


# -- implementations: each returns (w (B, n), lambda_max (B,), cr (B,)) ------------------------


def renoscore_consistency(A: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    c = ahp.consistency(A)
    return c.priorities, c.lambda_max, c.cr


def renoscore_separate(A: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    w = ahp.priorities(A)
    c = ahp.consistency(A)
    return w, c.lambda_max, c.cr


def eig_loop(A: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    B, n, _ = A.shape
    ri = float(ahp.random_index(n)) if n > 2 else 1.0
    w = np.empty((B, n))
    lam = np.empty(B)
    for b in range(B):
        vals, vecs = np.linalg.eig(A[b])
        k = int(np.argmax(vals.real))
        x = np.abs(vecs[:, k].real)
        w[b] = x / x.sum()
        lam[b] = vals[k].real
    cr = (lam - n) / (n - 1) / ri if n > 2 else np.zeros(B)
    return w, lam, cr


def eig_stacked(A: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = A.shape[-1]
    ri = float(ahp.random_index(n)) if n > 2 else 1.0
    vals, vecs = np.linalg.eig(A)
    rows = np.arange(A.shape[0])
    k = np.argmax(vals.real, axis=-1)
    w = np.abs(vecs.real[rows, :, k])
    lam = vals.real[rows, k]
    return w / w.sum(axis=-1, keepdims=True), lam, (lam - n) / (n - 1) / ri


def peers() -> dict[
    str, tuple[Callable[[FloatArray], tuple[FloatArray, FloatArray | None, FloatArray]], str]
]:
    """Optional peer implementations, with the RI table their CR uses."""
    found: dict[
        str, tuple[Callable[[FloatArray], tuple[FloatArray, FloatArray | None, FloatArray]], str]
    ] = {}
    try:
        from pyDecision.algorithm import ahp_method

        def pydecision(A: FloatArray) -> tuple[FloatArray, FloatArray | None, FloatArray]:
            out = [ahp_method(a, wd="max_eigen") for a in A]
            return np.array([o[0] for o in out]), None, np.array([o[1] for o in out])

        found["pyDecision ahp_method loop"] = (pydecision, "saaty1980")
    except ImportError:
        pass
    try:
        from pymcdm.weights.subjective import AHP

        def pymcdm(A: FloatArray) -> tuple[FloatArray, FloatArray | None, FloatArray]:
            w, cr = [], []
            for a in A:
                model = AHP(matrix=a)
                w.append(model())
                cr.append(model.get_cr())
            return np.array(w), None, np.array(cr)

        found["pymcdm AHP loop"] = (pymcdm, "tummala_ling1998")
    except ImportError:
        pass
    try:
        import ahpy

        def ahpy_loop(A: FloatArray) -> tuple[FloatArray, FloatArray | None, FloatArray]:
            n = A.shape[-1]
            names = [f"c{i:02d}" for i in range(n)]
            iu, ju = np.triu_indices(n, 1)
            w = np.empty((A.shape[0], n))
            cr = np.empty(A.shape[0])
            for b, a in enumerate(A):
                comps = {(names[i], names[j]): float(a[i, j]) for i, j in zip(iu, ju, strict=True)}
                c = ahpy.Compare("m", comps, precision=10, random_index="saaty")
                w[b] = [c.local_weights[x] for x in names]
                cr[b] = c.consistency_ratio
            return w, None, cr

        found["AHPy Compare loop (precision=10)"] = (ahpy_loop, "saaty2005")
    except ImportError:
        pass
    return found


@dataclass
class Row:
    n: int
    batch: int
    name: str
    timed_on: int
    seconds: float
    dw: float
    dlam: float | None
    dcr: float

    @property
    def us(self) -> float:
        return self.seconds / self.timed_on * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, check agreement only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 9, 15])
    parser.add_argument("--batches", type=int, nargs="+", default=None)
    parser.add_argument("--loop-cap", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    batches = args.batches or ([1, 200] if args.quick else [1, 1000, 100_000])
    loop_cap = min(args.loop_cap, 200) if args.quick else args.loop_cap
    repeats = 1 if args.quick else args.repeats
    rng = np.random.default_rng(args.seed)
    peer_impls = peers()
    rows: list[Row] = []
    failures: list[str] = []
    for n in args.sizes:
        for B in batches:
            A = random_saaty(rng, B, n)
            sub = A[: min(B, loop_cap)]
            reps = repeats if B < 100_000 else max(1, min(repeats, 3))
            t_ref, ref = timed(lambda sub=sub: eig_loop(sub), 1 if B >= 1000 else reps)
            w_ref = ref[0]  # type: ignore[index]
            rows.append(
                Row(n, B, "numpy.linalg.eig loop (reference)", len(sub), t_ref, 0.0, 0.0, 0.0)
            )
            full_ref = eig_stacked(A)
            for name, fn in (
                ("renoscore consistency() [w + CR]", renoscore_consistency),
                ("renoscore priorities() + consistency()", renoscore_separate),
                ("numpy.linalg.eig on the stack", eig_stacked),
            ):
                t, out = timed(lambda fn=fn, A=A: fn(A), reps)
                w, lam, cr = out  # type: ignore[misc]
                dw = float(np.max(np.abs(w - full_ref[0])))
                dl = float(np.max(np.abs(lam - full_ref[1])))
                dc = float(np.max(np.abs(cr - full_ref[2]))) if n > 2 else 0.0
                rows.append(Row(n, B, name, B, t, dw, dl, dc))
                if name.startswith("renoscore") and max(dw, dl) > TOL:
                    failures.append(f"{name} n={n} B={B}: |dw|={dw:.1e} |dlam|={dl:.1e}")
            for name, (fn, table) in peer_impls.items():
                if n > 15:
                    continue
                t, out = timed(lambda fn=fn, sub=sub: fn(sub), 1 if B >= 1000 else reps)
                w, _, cr = out  # type: ignore[misc]
                ours = ahp.consistency(sub, ri=table)
                dw = float(np.max(np.abs(w - w_ref)))
                dc = float(np.max(np.abs(cr - ours.cr))) if n > 2 else 0.0
                rows.append(Row(n, B, name, len(sub), t, dw, None, dc))
                if "AHPy" not in name and max(dw, dc) > TOL:
                    failures.append(f"{name} n={n} B={B}: |dw|={dw:.1e} |dcr|={dc:.1e}")
    print_table(rows, quick=args.quick)
    if not peer_impls:
        print(
            "\n(pyDecision, pymcdm and AHPy not importable here: run with /work/benchvenv-ahp/bin/python to include them)"
        )
    if failures:
        print("\nDISAGREEMENT beyond 1e-12:")
        for f in failures:
            print("  " + f)
        return 1
    print(f"\nAll renoscore and eig-based answers agree with numpy.linalg.eig to {TOL:g}.")
    return 0


def print_table(rows: list[Row], quick: bool) -> None:
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}; median of repeats; times per matrix"
    )
    header = f"{'n':>3} {'B':>7}  {'implementation':<42} {'timed on':>8} {'us/matrix':>10} {'vs eig loop':>11} {'max|dw|':>8} {'max|dlam|':>9} {'max|dCR|':>8}"
    print(header)
    print("-" * len(header))
    ref_us: dict[tuple[int, int], float] = {}
    for r in rows:
        if r.name.startswith("numpy.linalg.eig loop"):
            ref_us[(r.n, r.batch)] = r.us
    for r in rows:
        ratio = ref_us[(r.n, r.batch)] / r.us
        dlam = "-" if r.dlam is None else f"{r.dlam:.0e}"
        us = f"{r.us:10.2f}" if not quick else f"{r.us:10.1f}"
        print(
            f"{r.n:>3} {r.batch:>7}  {r.name:<42} {r.timed_on:>8} {us} {ratio:>10.1f}x "
            f"{r.dw:>8.0e} {dlam:>9} {r.dcr:>8.0e}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
