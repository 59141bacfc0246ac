"""Fuzz renoscore's loaders and the pipeline behind them (not run in CI).

Every input renoscore reads from outside -- an indicator-system YAML, an expert-panel YAML,
a CSV file or an in-memory table -- must either load or raise a
:class:`renoscore.RenoscoreError`; a loaded input must evaluate without a bare exception, a
NaN score without a reason, a missing community or a weight that does not sum to 1. This
script checks that claim with coverage-guided fuzzing (atheris, libFuzzer) or, where atheris
is not installed, with hypothesis at a high example count.

Targets
-------
system    raw bytes -> load_system (seeds: the shipped systems cut down, small systems)
panel     raw bytes -> load_panel with a system (seeds: shipped panels, both judgement forms)
data      raw bytes -> a CSV file -> load_data (seeds: the example table, hostile cells)
pipeline  structured: a seed system, panel and table mutated with hostile values, then
          load_system / load_panel / load_data / derive_weights / evaluate, with the result's
          invariants checked

A finding is any exception that is not a RenoscoreError, a RuntimeWarning from numpy (an
overflow or invalid operation behind a number we publish), an input that takes longer than
``--slow`` seconds, or a broken invariant. Findings are written to ``WORKDIR/findings/`` (the
input and the traceback) and the run goes on; a summary with the execution count is printed
and written to ``WORKDIR/stats-<target>.json``.

Usage::

    /work/venv-fuzz/bin/python fuzz/fuzz_loaders.py system --seconds 600
    python fuzz/fuzz_loaders.py data --seconds 60 --engine hypothesis
    python fuzz/fuzz_loaders.py pipeline --replay WORKDIR/findings/pipeline-*.bin

The script needs ``PYTHONPATH=src`` (or an installed renoscore).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import os
import random
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

try:  # atheris instruments the modules imported inside this block
    import atheris

    HAVE_ATHERIS = True
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None
    HAVE_ATHERIS = False


def _import_all_of_renoscore() -> None:
    """Import every module of renoscore now: it loads most packages on first use, which under
    atheris would be after the instrumented imports below (a target then sees a few dozen
    edges instead of thousands)."""
    import importlib
    import pkgutil

    import renoscore

    for info in pkgutil.walk_packages(renoscore.__path__, "renoscore."):
        with contextlib.suppress(ImportError):
            importlib.import_module(info.name)


if HAVE_ATHERIS:
    with atheris.instrument_imports(include=["renoscore", "yaml", "csv"]):
        import renoscore as rs
        from renoscore.errors import RenoscoreError, RenoscoreWarning

        _import_all_of_renoscore()
else:
    import renoscore as rs
    from renoscore.errors import RenoscoreError, RenoscoreWarning

# --------------------------------------------------------------------------- seeds
MINI_SYSTEM = """\
id: mini
version: "1"
name: {en: Mini system, zh: 迷你体系}
phases:
  - {id: t0, name: {en: before, zh: 改造前}}
  - {id: t1, name: {en: after, zh: 改造后}}
goal:
  id: overall
  name: {en: Overall, zh: 总目标}
  weighting: {method: ahp}
  children:
    - id: facilities
      name: {en: Facilities, zh: 设施}
      weighting: {method: entropy}
      children:
        - {id: f_a, name: {en: Utilities, zh: 基础设施}, unit: share, kind: ratio,
           direction: benefit, range: [0, 1], goalposts: {floor: 0.3, target: 1.0},
           category: basic, supplier: government, source: test}
        - {id: f_b, name: {en: Locker, zh: 快件箱}, unit: yes/no, kind: binary,
           direction: benefit, range: [0, 1], goalposts: {floor: 0, target: 1},
           category: improvement, supplier: market, source: test}
        - {id: f_c, name: {en: Parking, zh: 停车}, unit: per 100 hh, kind: per_100hh,
           direction: benefit, range: [0, 500], goalposts: {floor: 0, target: 80},
           supplier: market, source: test, phases: [t1]}
    - id: services
      name: {en: Services, zh: 服务}
      weighting: {method: fixed, weights: {s_dist: 2, s_sat: 1, s_level: 1}}
      children:
        - {id: s_dist, name: {en: Distance, zh: 距离}, unit: m, kind: distance_m,
           direction: cost, range: [0, 10000], goalposts: {floor: 1500, target: 300},
           category: upgrade, supplier: government, source: GB 50180}
        - {id: s_sat, name: {en: Satisfaction, zh: 满意度}, unit: mean of 1-5,
           kind: likert5, direction: benefit, range: [1, 5], goalposts: {floor: 1, target: 4},
           supplier: residents, source: test}
        - id: s_level
          name: {en: Level, zh: 等级}
          unit: level
          kind: ordinal
          direction: benefit
          range: [0, 3]
          goalposts: {floor: 0, target: 3}
          levels: {0: {en: none, zh: 无}, 3: {en: full, zh: 全}}
          supplier: society
          source: test
    - id: social
      name: {en: Social, zh: 社会}
      weighting: {method: critic}
      children:
        - {id: c_trust, name: {en: Trust, zh: 信任}, unit: mean of 1-7, kind: likert7,
           direction: benefit, range: [1, 7], goalposts: {floor: 2, target: 6},
           supplier: residents, source: test}
        - {id: c_events, name: {en: Events, zh: 活动}, unit: count, kind: count,
           direction: benefit, range: [0, null], goalposts: {floor: 0, target: 12},
           supplier: society, source: test}
"""

MINI_PANEL = """\
id: mini_panel
system: mini
scale: saaty
groups:
  - {id: gov, name: {en: government, zh: 政府}, weight: 2}
  - {id: res, name: {en: residents, zh: 居民}, weight: 1}
experts:
  - id: e1
    group: gov
    judgements:
      overall:
        - [facilities, services, 3]
        - [facilities, social, "1/2"]
        - [services, social, 2]
  - id: e2
    group: res
    weight: 1.5
    judgements:
      overall:
        labels: [facilities, services, social]
        matrix:
          - [1, 1/3, 5]
          - [3, 1, null]
          - [1/5, null, 1]
"""

MINI_CSV = """\
community_id,phase,district,f_a,f_b,f_c,s_dist,s_sat,s_level,c_trust,c_events
LY,t0,金水区,0.5,0,,800,3.2,1,4.5,3
LY,t1,金水区,0.9,1,60,350,4.1,3,5.5,10
JS02,t0,二七区, 0.7 ,1,n/a,１２００,2.5,0,3,0
JS03,t1,二七区,0.3,0,100,1500,,2,不适用,7
"""


#: Seeds of targets registered by other fuzz scripts (fuzz_edges.py), by target name.
EXTRA_SEEDS: dict[str, Callable[[], list[bytes]]] = {}


def _seeds(target: str) -> list[bytes]:
    if target in EXTRA_SEEDS:
        return EXTRA_SEEDS[target]()
    root = Path(str(rs.example_path())).parent.parent / "indicators"
    seeds: list[bytes] = []
    if target == "system":
        seeds.append(MINI_SYSTEM.encode())
        for name in ("old_community_renovation", "complete_community"):
            text = (root / f"{name}.yaml").read_text(encoding="utf-8")
            seeds.append(text.encode()[:6000])  # a cut-down prefix keeps executions fast
        seeds += [b"id: x\nversion: 1\n", b"a: &a [1, 2]\nb: *a\n", b"- [1, {a: !!int 3}]\n"]
    elif target == "panel":
        seeds.append(MINI_PANEL.encode())
        for name in ("panel_example", "panel_complete_community"):
            seeds.append((root / f"{name}.yaml").read_bytes())
    elif target == "data":
        seeds.append(MINI_CSV.encode())
        seeds.append(MINI_CSV.encode("gb18030"))
        seeds.append(b"\xef\xbb\xbf" + MINI_CSV.encode())
        seeds.append(MINI_CSV.replace(",", ";").encode())
        seeds.append(
            b'community_id,f_a\n"a,b",1\n"unterminated,2\n'
            b"x,1e309\ny,nan\nz,1,200\nw,\xef\xbc\x91\xef\xbc\x8c5\n"
        )
    return seeds


# --------------------------------------------------------------------------- checks
class InvariantError(AssertionError):
    """A loaded input produced a result that breaks one of renoscore's guarantees."""


def check_weights(weights: rs.Weights) -> None:
    for node, nw in weights.nodes.items():
        local = np.asarray(nw.local, dtype=float)
        if local.size != len(nw.children):
            raise InvariantError(f"{node}: {local.size} weights for {len(nw.children)} children")
        if not np.isfinite(local).all() or (local < 0).any():
            raise InvariantError(f"{node}: local weights {local.tolist()} not finite non-negative")
        if abs(local.sum() - 1.0) > 1e-9:
            raise InvariantError(f"{node}: local weights sum to {local.sum()!r}")
    total = float(np.sum(weights.indicator_weights()))
    if abs(total - 1.0) > 1e-9:
        raise InvariantError(f"global indicator weights sum to {total!r}")


def check_result(result: rs.EvaluationResult, data: rs.CommunityData) -> None:
    if result.ids != data.ids or result.phases != data.phases:
        raise InvariantError("rows of the result differ from the rows of the data")
    overall = result.overall
    for r in np.flatnonzero(np.isnan(overall)).tolist():
        if not result.reasons[r]:
            raise InvariantError(f"row {r} ({data.ids[r]!r}) has no score and no reason")
    for name, arr in (("group", result.group_scores), ("indicator", result.indicator_scores)):
        finite = arr[np.isfinite(arr)]
        if finite.size and (finite.min() < -1e-9 or finite.max() > 100 + 1e-9):
            raise InvariantError(f"{name} score outside [0, 100]: {finite.min()}..{finite.max()}")
        if np.isinf(arr).any():
            raise InvariantError(f"infinite {name} score")
    cov = result.coverage[np.isfinite(result.coverage)]
    if cov.size and (cov.min() < -1e-12 or cov.max() > 1 + 1e-12):
        raise InvariantError("coverage outside [0, 1]")
    check_weights(result.weights)
    again = rs.EvaluationResult.from_json(result.to_json())
    if not again.equals(result):
        raise InvariantError("JSON round trip changed the result")


# --------------------------------------------------------------------------- targets
_TMP = Path(
    tempfile.mkdtemp(
        prefix="renoscore-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
)
_MINI = rs.load_system(MINI_SYSTEM)
_MINI_PANEL = rs.load_panel(MINI_PANEL, _MINI)


def target_system(data: bytes) -> None:
    rs.load_system(data)


def target_panel(data: bytes) -> None:
    panel = rs.load_panel(data, _MINI)
    if data[:1] in (b"i", b"#"):
        rs.derive_weights(_MINI, panel, _data_for(_MINI, 6, random.Random(len(data))))


def target_data(data: bytes) -> None:
    path = _TMP / "table.csv"
    path.write_bytes(data)
    loaded = rs.load_data(path, _MINI)
    weights = rs.derive_weights(_MINI, _MINI_PANEL, loaded)
    result = rs.evaluate(_MINI, loaded, weights, missing="renormalize")
    check_result(result, loaded)


HOSTILE: list[Any] = [
    None,
    "",
    " ",
    "nan",
    "NaN",
    float("nan"),
    float("inf"),
    -float("inf"),
    "inf",
    "-inf",
    "1e309",
    1e308,
    -1e308,
    5e-324,
    1e-12,
    1e12,
    0,
    -0.0,
    -1,
    1,
    2,
    3,
    9,
    10,
    0.5,
    1 / 3,
    "1/3",
    "1/0",
    "0/0",
    "１２３",
    "1,5",
    "1，5",
    "1,200",
    "1_000",
    "1 000",
    "٣",
    "三",
    True,
    False,
    [],
    {},
    [1, 2],
    {"a": 1},
    "n/a",
    "不适用",
    "x" * 300,
    "\x00",
    "\ufeff1",
    "🙂",
    "Ｔ０",
    "t0",
    "t1",
    "T1",
    "facilities",
    "services",
    "social",
    "overall",
    "f_a",
    "equal",
    "ahp",
    "entropy",
    "critic",
    "fixed",
    "combined",
    "indicators",
    "children",
    "benefit",
    "cost",
    "ratio",
    "ordinal",
    "count",
    "continuous",
    2**63,
    -(2**63),
    10**400,
]


def _pick(fdp: Any, rnd: random.Random) -> Any:
    if fdp is not None and fdp.remaining_bytes() >= 9:
        choice = fdp.ConsumeIntInRange(0, 3)
        if choice == 0:
            return fdp.ConsumeRegularFloat() if fdp.ConsumeBool() else fdp.ConsumeFloat()
        if choice == 1:
            return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 12))
        if choice == 2:
            return fdp.ConsumeIntInRange(-(2**40), 2**40)
        return copy.deepcopy(HOSTILE[fdp.ConsumeIntInRange(0, len(HOSTILE) - 1)])
    # a copy: a shared list or dict would be mutated in place and could come to contain itself
    return copy.deepcopy(rnd.choice(HOSTILE))


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(doc: Any, fdp: Any, rnd: random.Random, rounds: int) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rounds):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = paths[_int(fdp, rnd, len(paths) - 1)]
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        op = _int(fdp, rnd, 5)
        key = path[-1]
        if op == 0 and isinstance(parent, dict):
            del parent[key]
        elif op == 1 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))  # a duplicated node, pair or row
        elif op == 2 and isinstance(parent, list) and len(parent) > 1:
            rnd.shuffle(parent)
        elif op == 3 and isinstance(parent, dict):
            parent[str(_pick(fdp, rnd))[:20]] = copy.deepcopy(parent[key])
        else:
            parent[key] = _pick(fdp, rnd)
    return doc


def _int(fdp: Any, rnd: random.Random, hi: int) -> int:
    if fdp is not None and fdp.remaining_bytes() >= 4:
        return int(fdp.ConsumeIntInRange(0, hi))
    return rnd.randint(0, hi)


def _data_for(system: rs.IndicatorSystem, n: int, rnd: random.Random) -> rs.CommunityData:
    rows = []
    floor, target = system.goalpost_arrays()
    lo_r, hi_r = system.range_arrays()
    for i in range(n):
        row: dict[str, Any] = {"community_id": f"c{i}", "phase": rnd.choice(system.phase_ids)}
        for j, ind in enumerate(system.indicators):
            lo, hi = sorted((floor[j], target[j]))
            value = min(max(lo + (hi - lo) * (1.4 * rnd.random() - 0.2), lo_r[j]), hi_r[j])
            if ind.kind.value in ("binary", "ordinal"):
                value = float(np.clip(np.round(value), np.ceil(lo_r[j]), np.floor(hi_r[j])))
            row[ind.id] = value if rnd.random() > 0.1 else rnd.choice(["", "n/a"])
        rows.append(row)
    return rs.load_data(rows, system)


_SYSTEM_DOC = yaml.safe_load(MINI_SYSTEM)
_PANEL_DOC = yaml.safe_load(MINI_PANEL)
_TABLE = [
    dict(zip(MINI_CSV.splitlines()[0].split(","), line.split(","), strict=True))
    for line in MINI_CSV.splitlines()[1:]
]


def target_pipeline(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data) if HAVE_ATHERIS else None
    rnd = random.Random(hashlib.sha256(data).digest())
    what = _int(fdp, rnd, 2)
    system_doc = _mutate(_SYSTEM_DOC, fdp, rnd, _int(fdp, rnd, 3)) if what == 0 else _SYSTEM_DOC
    as_text = _int(fdp, rnd, 1) == 1
    system = rs.load_system(
        yaml.safe_dump(system_doc, allow_unicode=True) if as_text else system_doc
    )
    panel_doc = _mutate(_PANEL_DOC, fdp, rnd, _int(fdp, rnd, 3)) if what == 1 else _PANEL_DOC
    panel = rs.load_panel(panel_doc, system)
    if what == 2:
        table = _mutate(_TABLE, fdp, rnd, 1 + _int(fdp, rnd, 6))
        if not all(isinstance(r, dict) for r in table):
            table = [r for r in table if isinstance(r, dict)] or [{}]
        loaded = rs.load_data(table, system)
    else:
        loaded = _data_for(system, 1 + _int(fdp, rnd, 8), rnd)
    options = {
        "missing": ["renormalize", "impute_mean", "impute_median", "error"][_int(fdp, rnd, 3)],
        "normalization": ["goalposts", "minmax"][_int(fdp, rnd, 1)],
        "aggregation": ["arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"][
            _int(fdp, rnd, 4)
        ],
        "min_coverage": [0.0, 0.5, 2 / 3, 1.0][_int(fdp, rnd, 3)],
    }
    method = [
        None,
        "equal",
        "ahp",
        "entropy",
        "critic",
        "combined",
        "standard_deviation",
        "coefficient_of_variation",
    ][_int(fdp, rnd, 7)]
    weights = rs.derive_weights(system, panel, loaded, method=method)
    check_weights(weights)
    again = rs.load_weights(weights.to_yaml(), system)
    if not np.array_equal(again.indicator_weights(), weights.indicator_weights()):
        raise InvariantError("weights changed in a YAML round trip")
    result = rs.evaluate(system, loaded, weights, **options)  # type: ignore[arg-type]
    check_result(result, loaded)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "system": target_system,
    "panel": target_panel,
    "data": target_data,
    "pipeline": target_pipeline,
}


# --------------------------------------------------------------------------- harness
class Harness:
    def __init__(self, target: str, workdir: Path, slow: float) -> None:
        self.target = target
        self.func = TARGETS[target]
        self.findings = workdir / "findings"
        self.findings.mkdir(parents=True, exist_ok=True)
        self.stats_path = workdir / f"stats-{target}.json"
        self.slow = slow
        self.execs = 0
        self.rejected = 0  # inputs that raised a RenoscoreError (the expected outcome)
        self.loaded = 0
        self.kinds: dict[str, int] = {}
        self.started = time.time()
        self.slowest = 0.0
        self.last_write = 0.0

    def __call__(self, data: bytes) -> None:
        self.execs += 1
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RenoscoreWarning)
                warnings.simplefilter("error", RuntimeWarning)
                self.func(data)
            self.loaded += 1
        except RenoscoreError as exc:
            self.rejected += 1
            if not exc.problems and not str(exc):
                self.record(data, "empty-error", exc)
        except RecursionError as exc:
            self.record(data, "RecursionError", exc)
        except Exception as exc:  # everything else is a finding
            self.record(data, type(exc).__name__, exc)
        elapsed = time.perf_counter() - t0
        self.slowest = max(self.slowest, elapsed)
        if elapsed > self.slow:
            self.record(data, "slow", TimeoutError(f"{elapsed:.2f} s"))
        # libFuzzer ends the process with exit(): keep the stats on disk up to date instead.
        if time.time() - self.last_write > 2.0:
            self.write_stats()

    def record(self, data: bytes, kind: str, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno}"
                for f in reversed(tb)
                if "renoscore" in f.filename
            ),
            tb[-1].name if tb else "?",
        )
        signature = f"{kind}@{where}"
        first = signature not in self.kinds
        self.kinds[signature] = self.kinds.get(signature, 0) + 1
        if first:
            digest = hashlib.sha1(data).hexdigest()[:12]
            stem = self.findings / f"{self.target}-{kind}-{digest}"
            stem.with_suffix(".bin").write_bytes(data)
            text = "".join(traceback.format_exception(exc))
            stem.with_suffix(".txt").write_text(f"{signature}\n\n{text}", encoding="utf-8")
            print(f"\n[finding] {signature}: {str(exc)[:200]}", file=sys.stderr, flush=True)

    def write_stats(self) -> dict[str, Any]:
        stats = {
            "target": self.target,
            "executions": self.execs,
            "loaded": self.loaded,
            "rejected_with_renoscore_error": self.rejected,
            "seconds": round(time.time() - self.started, 1),
            "slowest_input_s": round(self.slowest, 3),
            "findings": self.kinds,
        }
        self.stats_path.write_text(json.dumps(stats, indent=2), encoding="utf-8")
        self.last_write = time.time()
        return stats


def run_hypothesis(harness: Harness, seconds: float, seeds: list[bytes]) -> None:
    """Hypothesis as a fallback engine: random bytes and mutated seeds, until time runs out."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    deadline = time.time() + seconds

    def mutate(seed: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
        out = bytearray(seed)
        for pos, cut, insert in edits:
            p = pos % (len(out) + 1)
            out[p : p + cut] = insert
        return bytes(out)

    edit = st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8))
    inputs = st.one_of(
        st.binary(max_size=2048),
        st.builds(mutate, st.sampled_from(seeds), st.lists(edit, max_size=8)),
    )

    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs)
    def body(data: bytes) -> None:
        if time.time() > deadline:
            raise KeyboardInterrupt
        harness(data)

    with contextlib.suppress(KeyboardInterrupt):
        body()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--engine",
        choices=["atheris", "hypothesis"],
        default="atheris" if HAVE_ATHERIS else "hypothesis",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "renoscore-fuzz"
    )
    parser.add_argument("--slow", type=float, default=2.0, help="seconds that make an input slow")
    parser.add_argument("--max-len", type=int, default=8192)
    parser.add_argument("--replay", nargs="*", type=Path, help="run these inputs once and report")
    args, extra = parser.parse_known_args()
    harness = Harness(args.target, args.workdir, args.slow)
    if args.replay is not None:
        for path in args.replay:
            harness(path.read_bytes())
        print(json.dumps(harness.write_stats(), indent=2))
        return 0 if not harness.kinds else 1
    seeds = _seeds(args.target)
    if args.engine == "hypothesis":
        run_hypothesis(harness, args.seconds, seeds or [b""])
    else:
        corpus = args.workdir / f"corpus-{args.target}"
        corpus.mkdir(parents=True, exist_ok=True)
        for k, seed in enumerate(seeds):
            (corpus / f"seed-{k}").write_bytes(seed)
        argv = [
            sys.argv[0],
            str(corpus),
            f"-max_total_time={int(args.seconds)}",
            f"-max_len={args.max_len}",
            "-timeout=20",
            "-rss_limit_mb=3072",
            "-print_final_stats=1",
            *extra,
        ]
        atheris.Setup(argv, harness)
        atheris.Fuzz()
    print(json.dumps(harness.write_stats(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
