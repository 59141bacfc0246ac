"""Benchmark of loading community data from files: CSV and Excel against pandas' readers.

Run from the repository root::

    python benchmarks/bench_load.py            # CSV 200,000 x 41, Excel 20,000 x 41
    python benchmarks/bench_load.py --quick    # small files: the answers agree; no timing

The budgets (issue 18, item 2) are ratios measured side by side in one run, on the same seeded
file of the default system (community_id, phase and its 39 indicators, 2 % of cells empty):

* ``load_data("x.csv")`` at most 2x ``pandas.read_csv("x.csv")`` + ``load_data(frame)``;
* ``load_data("x.xlsx")`` at most 1.5x ``pandas.read_excel("x.xlsx")`` + ``load_data(frame)``.

Each time is the median of several runs. The Python reader (what a CSV costs without pyarrow)
is timed once beside them. Every answer is checked before it is timed: the file, the pandas
frame, the Python reader and (in quick mode) an office-style file with units, percentages,
words and title rows read by both CSV readers must give equal data.
"""

from __future__ import annotations

import argparse
import json
import platform
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
sys.path.insert(0, str(ROOT / "src"))

import renoscore as rs  # noqa: E402
import renoscore._csv as csv_reader  # noqa: E402

SEED = 20240601
JSON_OUT = ROOT / "benchmarks" / "results" / "load.json"
BUDGETS = {"csv": 2.0, "excel": 1.5}


def make_frame(n: int, seed: int = SEED) -> Any:
    """A seeded table of the default system: n rows, ids and phases, 2 % of cells empty."""
    import pandas as pd

    system = rs.default_system()
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {
        "community_id": [f"C{k // 2:06d}" for k in range(n)],
        "phase": ["t0" if k % 2 == 0 else "t1" for k in range(n)],
    }
    for ind in system.indicators:
        lo, hi = sorted((ind.goalposts.floor, ind.goalposts.target))
        values = rng.uniform(lo, hi, n)
        whole = ind.kind.value in ("binary", "ordinal", "count")
        values = np.round(values) if whole else np.round(values, 3)
        values[rng.random(n) < 0.02] = np.nan
        columns[ind.id] = values
    return pd.DataFrame(columns)


def median_times(calls: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The median time of each call, the calls interleaved in every repetition (so that a
    change of the machine's load hits them all alike)."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, fn in calls.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def load(source: Any, system: rs.IndicatorSystem) -> rs.CommunityData:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rs.load_data(source, system)


def c_reader(path: Path, system: rs.IndicatorSystem) -> rs.CommunityData:
    """The CSV read by pyarrow's C parser however small the file."""
    original = csv_reader._ARROW_MIN_BYTES
    csv_reader._ARROW_MIN_BYTES = 0
    try:
        return load(path, system)
    finally:
        csv_reader._ARROW_MIN_BYTES = original


def python_reader(path: Path, system: rs.IndicatorSystem) -> rs.CommunityData:
    """The CSV read without the C parser (as without pyarrow installed)."""
    original = csv_reader._has_pyarrow
    csv_reader._has_pyarrow = lambda: False  # type: ignore[assignment]
    try:
        return load(path, system)
    finally:
        csv_reader._has_pyarrow = original  # type: ignore[assignment]


def office_csv(path: Path, system: rs.IndicatorSystem) -> Path:
    """An office's CSV of the system: title rows, Chinese headers with units, phase names,
    units, percentages and words in the cells, a quoted line break, a blank row, a signature."""
    import csv

    from renoscore.io.template import template_columns

    columns = template_columns(system, "zh")
    header = [c.header for c in columns]
    rows = []
    for k, phase in enumerate(("改造前", "改造后一年")):
        row = []
        for c in columns:
            value = c.example
            unit = c.node.unit.code if c.node is not None else None
            if c.role == "id":
                value = "金水\n小区"  # a line break inside a quoted cell
            elif c.role == "phase":
                value = phase
            elif unit == "share" and value is not None:
                value = f"{value * 100:g}%"
            elif unit == "m" and value is not None:
                value = f"{value / 1000:g}公里" if k else f"{value:g}米"
            elif isinstance(value, float) and k:
                value = f"{value:g}".translate(
                    str.maketrans("0123456789.", "０１２３４５６７８９．")
                )
            row.append("" if value is None else value)
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write("金水区老旧小区改造数据表\n填报日期：2024年6月\n")
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([""] * len(header))
        writer.writerow(["填表人：李四"] + [""] * (len(header) - 1))
    return path


def check_answers(tmp: Path, n: int, excel_n: int) -> list[tuple[str, bool]]:
    """Every reader gives the same data (quick mode's whole job, the full run's first)."""
    import pandas as pd

    system = rs.default_system()
    frame = make_frame(n)
    csv_path = tmp / "data.csv"
    frame.to_csv(csv_path, index=False)
    small = frame.iloc[:excel_n]
    xlsx_path = tmp / "data.xlsx"
    small.to_excel(xlsx_path, index=False)
    from_csv = c_reader(csv_path, system)
    checks = [
        (
            "CSV (C parser) == pandas.read_csv frame",
            from_csv == load(pd.read_csv(csv_path), system),
        ),
        ("CSV (C parser) == Python reader", from_csv == python_reader(csv_path, system)),
        ("CSV == the frame it was written from", from_csv == load(frame, system)),
        (
            "Excel == pandas.read_excel frame",
            load(xlsx_path, system) == load(pd.read_excel(xlsx_path), system),
        ),
        ("Excel == its frame", load(xlsx_path, system) == load(small, system)),
    ]
    office = office_csv(tmp / "office.csv", system)
    fast, slow = c_reader(office, system), python_reader(office, system)
    checks.append(("office-style CSV: C parser == Python reader", fast == slow and fast.n == 2))
    return checks


def time_ratios(tmp: Path, n: int, excel_n: int) -> dict[str, Any]:
    """The two ratios of the budgets, measured side by side, and the Python reader's."""
    import pandas as pd

    system = rs.default_system()
    frame = make_frame(n)
    csv_path = tmp / "big.csv"
    frame.to_csv(csv_path, index=False)
    xlsx_path = tmp / "big.xlsx"
    frame.iloc[:excel_n].to_excel(xlsx_path, index=False)
    out: dict[str, Any] = {"csv_rows": n, "excel_rows": excel_n, "columns": frame.shape[1]}
    csv_frame = pd.read_csv(csv_path)
    csv = median_times(
        {
            "pandas.read_csv": lambda: pd.read_csv(csv_path),
            "load_data(frame)": lambda: load(csv_frame, system),
            "load_data(csv)": lambda: load(csv_path, system),
        },
        7,
    )
    csv["ratio"] = csv["load_data(csv)"] / (csv["pandas.read_csv"] + csv["load_data(frame)"])
    csv["python reader (no pyarrow), one run"] = median_times(
        {"python": lambda: python_reader(csv_path, system)}, 1
    )["python"]
    out["csv"] = csv
    excel_frame = pd.read_excel(xlsx_path)
    excel = median_times(
        {
            "pandas.read_excel": lambda: pd.read_excel(xlsx_path),
            "load_data(frame)": lambda: load(excel_frame, system),
            "load_data(xlsx)": lambda: load(xlsx_path, system),
        },
        3,
    )
    excel["ratio"] = excel["load_data(xlsx)"] / (
        excel["pandas.read_excel"] + excel["load_data(frame)"]
    )
    out["excel"] = excel
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small files; agreement only")
    parser.add_argument("--rows", type=int, default=200_000, help="CSV rows (default 200,000)")
    parser.add_argument(
        "--excel-rows", type=int, default=20_000, help="Excel rows (default 20,000)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        checks = check_answers(Path(tmp), 2_000 if args.quick else 20_000, 300)
        ok = all(good for _, good in checks)
        for name, good in checks:
            print(f"{'agree' if good else 'DISAGREE'}  {name}")
        if args.quick or not ok:
            return 0 if ok else 1
        result = time_ratios(Path(tmp), args.rows, args.excel_rows)
    print(
        f"\nCSV {result['csv_rows']:,} x {result['columns']}, Excel {result['excel_rows']:,} x {result['columns']}"
    )
    for kind in ("csv", "excel"):
        for key, value in result[kind].items():
            shown = f"{value:.2f}x" if key == "ratio" else f"{value:.3f} s"
            print(f"  {kind:<5} {key:<38} {shown}")
        met = result[kind]["ratio"] <= BUDGETS[kind]
        print(f"  {kind:<5} budget {BUDGETS[kind]}x: {'met' if met else 'MISSED'}")
        ok &= met
    result["machine"] = {"python": platform.python_version(), "processor": platform.machine()}
    JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    JSON_OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
