"""Quick start: score, rank, grade and explain the bundled example communities.

Run it from anywhere (it writes into ./example-output/)::

    python examples/quick_start.py

What it shows, in order: the ranked and graded table of the baseline phase, what the paper's LY
community should fix first, what changed between before (t0) and after (t1) renovation, and the
files a street office would hand on: an Excel workbook (one sheet per table) and the HTML report
in Chinese and English.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import renoscore as rs
from renoscore.io import write_result
from renoscore.report import write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("example-output"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    system = rs.default_system()  # 4 dimensions, 39 indicators
    data = rs.example_data()  # 30 estates in Zhengzhou, 50 rows over four phases
    print(data.summary())

    # Weights from the example expert panel (AHP). One of its three experts is inconsistent
    # (CR 0.111 >= 0.10): renoscore keeps them and warns; the report shows it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.InconsistencyWarning)
        weights = rs.derive_weights(system, rs.example_panel(), method="ahp")
    result = rs.evaluate(system, data, weights, missing="renormalize")

    print("\nRanking before renovation (t0), top 10:")
    print(result.table(phase="t0", top=10))

    print("\nLY: what to fix first (t0)")
    for k, item in enumerate(result.fix_first("LY", phase="t0", top=5), start=1):
        flag = "must fix" if item.must_fix else f"obstacle {item.obstacle:.1%}"
        print(f"  {k}. {item.name_en} ({item.name_zh}): {item.value} -> {item.target}  [{flag}]")

    comparison = rs.compare(result, phases=("t0", "t1"))
    summary = comparison.summary()
    print(
        f"\nt0 -> t1: {summary['communities_compared']} communities, mean change "
        f"{summary['mean_change']:+.1f} points, {summary['share_improved']:.0%} improved"
    )

    xlsx = write_result(result, args.out / "quick_start.xlsx", comparison=comparison)
    zh = write_report(result, args.out / "report-zh.html", lang="zh", max_scorecards=3)
    en = write_report(result, args.out / "report-en.md", lang="en", max_scorecards=3)
    print(f"\nwrote {xlsx}, {zh} and {en}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
