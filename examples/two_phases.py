"""Evaluate two phases: before (t0) and one year after renovation (t1), on frozen weights.

Scores of two phases are comparable only on the same weights and goalposts. This example
derives data-driven weights (entropy combined with the system's declared weights) from one
phase only, freezes them, scores every phase with them, and compares t0 with t1:
the portfolio summary, the communities that gained most, and one community in detail.

    python examples/two_phases.py
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import renoscore as rs
from renoscore.report import write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("example-output"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    system = rs.default_system()
    data = rs.example_data()

    # Weights from one phase only (weights_phase): every phase reuses them unchanged. Entropy
    # needs every indicator measured in that phase; in the default system the residents'
    # acceptance, verdict and the upkeep exist only after the works, so that phase is t1.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.RenoscoreWarning)
        weights = rs.derive_weights(system, data=data, method="entropy", phase="t1")
    weights.save(args.out / "weights_t1_entropy.yaml")
    print(f"entropy weights from {weights.provenance.data_rows} rows of t1")

    result = rs.evaluate(system, data, weights, missing="renormalize")
    cmp = rs.compare(result, phases=("t0", "t1"))
    summary = cmp.summary()
    print(
        f"{summary['communities_compared']} communities in both phases; mean change "
        f"{summary['mean_change']:+.1f}; improved {summary['share_improved']:.0%}; "
        f"moved up a grade {summary['share_grade_up']:.0%}"
    )
    print(f"never renovated (t0 only): {len(summary['only_before'])} estates")
    for dim, change in summary["mean_change_by_dimension"].items():
        print(f"  {dim:<16} {change:+6.1f}")
    print()
    print(cmp.table())

    ly = cmp.community("LY")
    print(
        f"\nLY: {ly['overall_before']:.1f} -> {ly['overall_after']:.1f} "
        f"({ly['grade_before']} -> {ly['grade_after']}); "
        f"{len(ly['newly_at_target'])} indicators newly at target, worse: {ly['worse'] or 'none'}"
    )

    # A result of one phase can be compared with a result of another run too, as long as the
    # weights are the same frozen ones (compare refuses otherwise).
    later = rs.evaluate(system, data.select(phase="t2"), weights, missing="renormalize")
    print("\nt1 -> t2 (three years on):")
    print(rs.compare(result.select("t1"), later).table())

    path = write_report(result, args.out / "two_phases.html", comparison=cmp, max_scorecards=3)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
