"""A batch of 10,000 synthetic communities: generate, validate, score, rank and write.

Uses ``examples/generate_data.py --variant large`` (about 25,000 rows over four phases for
10,000 estates), then loads and validates the CSV, scores every row on the default system,
ranks within phases, finds the portfolio's largest obstacles and writes Parquet and Excel.
Set RENOSCORE_EXAMPLE_N for a smaller batch (the tests use 300).

    python examples/batch_10000.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import renoscore as rs
from renoscore.io import write_result
from renoscore.report import write_report

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("RENOSCORE_EXAMPLE_N", 10_000)))
    parser.add_argument("--out", type=Path, default=Path("example-output"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / f"communities_{args.n}.csv"

    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate_data.py"),
            "--variant",
            "large",
            "--n-estates",
            str(args.n),
            "--out",
            str(csv_path),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"generated {args.n} estates in {time.perf_counter() - t:.1f} s -> {csv_path}")

    t = time.perf_counter()
    system = rs.default_system()
    data = rs.load_data(csv_path, system)  # every cell validated; all problems at once
    print(f"loaded and validated in {time.perf_counter() - t:.1f} s: {data.summary()}")

    t = time.perf_counter()
    result = rs.evaluate(system, data, missing="renormalize")
    print(f"scored, ranked and graded in {time.perf_counter() - t:.2f} s: {result!r}")

    print("\nbest five before renovation:")
    print(result.table(phase="t0", top=5))
    print("\nlargest obstacles across the portfolio (mean obstacle degree):")
    for row in result.obstacles()[:5]:
        print(
            f"  {row['indicator']:<30} {row['mean_obstacle']:.1%}  "
            f"below target in {row['communities_below_target']} of {row['communities_scored']}"
        )
    print(
        "by supplier:",
        {r["supplier"]: round(r["mean_obstacle"], 3) for r in result.obstacles("supplier")},
    )

    t = time.perf_counter()
    parquet = write_result(result, args.out / "scores.parquet")
    xlsx = write_result(result, args.out / "batch.xlsx", fix_first_top=5)
    report = write_report(result, args.out / "batch.html", max_scorecards=5)
    print(f"\nwrote {parquet}, {xlsx} and {report} in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
