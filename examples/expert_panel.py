"""Run an expert panel: AHP weights from stakeholder judgements, with every expert's consistency.

Residents' representatives, the street office and a planner each compare the four dimensions
of the default system pair by pair on Saaty's 1-9 scale ("facilities are 3 times as important
as participation"). renoscore computes each expert's priorities and consistency ratio (CR),
combines the judgements within and across stakeholder groups, and freezes the weights with
their provenance so that later phases are scored on exactly the same weights.

    python examples/expert_panel.py
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import renoscore as rs

PANEL_YAML = """\
id: street_panel_2024
name: {en: Street consultation panel, zh: 街道议事会专家组}
system: old_community_renovation
scale: saaty
groups:
  - {id: residents, name: {en: residents' representatives, zh: 居民代表}, weight: 2}
  - {id: office, name: {en: street office, zh: 街道办}, weight: 1}
  - {id: planning, name: {en: planners, zh: 规划师}, weight: 1}
experts:
  - id: resident_1
    group: residents
    judgements:
      renovation_performance:
        - [facilities, public_services, 2]
        - [facilities, participation, 3]
        - [facilities, social_capital, 2]
        - [public_services, participation, 2]
        - [public_services, social_capital, 1]
        - [participation, social_capital, "1/2"]
  - id: resident_2
    group: residents
    judgements:
      renovation_performance:
        - [facilities, public_services, 1]
        - [facilities, participation, 2]
        - [facilities, social_capital, 2]
        - [public_services, participation, 2]
        - [public_services, social_capital, 3]
        - [participation, social_capital, 2]
  - id: office_1
    group: office
    judgements:
      renovation_performance:
        - [facilities, public_services, 3]
        - [facilities, participation, 5]
        - [facilities, social_capital, "1/2"]
        - [public_services, participation, 3]
        - [public_services, social_capital, 4]
        - [participation, social_capital, 2]
  - id: planner_1
    group: planning
    judgements:
      renovation_performance:
        - [facilities, public_services, 2]
        - [facilities, participation, 4]
        - [facilities, social_capital, 5]
        - [public_services, participation, 3]
        - [public_services, social_capital, 4]
        - [participation, social_capital, 2]
"""


def show(weights: rs.Weights, title: str) -> None:
    node = weights.nodes["renovation_performance"]
    combined = (
        "none (priorities are combined, not judgements)" if node.cr is None else f"{node.cr:.3f}"
    )
    print(f"\n{title}: CR of the combined judgements {combined}")
    print(f"  {'expert':<12} {'group':<10} {'lambda_max':>10} {'CR':>7}  result")
    for e in node.experts:
        verdict = "passes" if e.acceptable else "FAILS (CR >= 0.10)"
        if e.excluded:
            verdict += ", left out"
        print(
            f"  {e.expert:<12} {e.group or '-':<10} {e.lambda_max:>10.4f} {e.cr:>7.4f}  {verdict}"
        )
    for child, w in weights.local("renovation_performance").items():
        print(f"  {child:<16} {w:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("example-output"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    system = rs.default_system()
    panel = rs.load_panel(PANEL_YAML, system)  # checked against the system's tree

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", rs.InconsistencyWarning)
        aij = rs.derive_weights(system, panel, method="ahp")  # AIJ, eigenvector, Saaty's RI
    for w in caught:
        print(f"warning: {w.message}")
    show(aij, "All experts, judgements combined (AIJ)")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.InconsistencyWarning)
        strict = rs.derive_weights(system, panel, method="ahp", exclude_inconsistent=True)
        aip = rs.derive_weights(
            system, panel, method="ahp", group_method="aip", prioritisation="geometric_mean"
        )
    show(strict, "Inconsistent experts left out")
    show(aip, "Priorities combined (AIP), geometric-mean prioritisation")

    # Freeze the weights: the file records the panel, the method and every expert's CR.
    path = args.out / "weights_street_panel.yaml"
    aij.save(path)
    frozen = rs.load_weights(path, system)
    assert frozen == aij
    result = rs.evaluate(system, rs.example_data(), frozen, missing="renormalize")
    print(f"\nwrote {path}; top 3 before renovation with these weights:")
    print(result.table(phase="t0", top=3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
