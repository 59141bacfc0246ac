"""Write your own indicator system in YAML and score communities with it.

An "age-friendly renovation" system with two dimensions and five indicators: each indicator
says its unit, kind, direction (benefit or cost), valid range, goalposts (the score is 0 at the
floor and 100 at the target) and the source of that target. Dimension weights are fixed here
(3:2); see examples/expert_panel.py to derive them from expert judgements instead.

    python examples/own_indicator_system.py
"""

from __future__ import annotations

import renoscore as rs

SYSTEM_YAML = """\
id: age_friendly
version: "1.0"
name: {en: Age-friendly renovation, zh: 适老化改造评价}
phases:
  - {id: t0, name: {en: before, zh: 改造前}}
  - {id: t1, name: {en: after, zh: 改造后}}
goal:
  id: age_friendly_score
  name: {en: Age-friendly score, zh: 适老化综合得分}
  weighting: {method: fixed, weights: {access: 3, care: 2}}
  children:
    - id: access
      name: {en: Barrier-free access, zh: 无障碍通行}
      children:
        - id: a_elevator_share
          name: {en: Blocks of 4+ storeys with a lift, zh: 多层住宅加装电梯比例}
          unit: share 0-1 of blocks
          kind: ratio
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0, target: 0.6}
          category: improvement
          supplier: residents
          source: 国办发〔2020〕23号 improvement item; target 0.6 [assumed for the example]
        - id: a_ramped_entrances
          name: {en: Entrances with a ramp, zh: 单元出入口坡道比例}
          unit: share 0-1 of entrances
          kind: ratio
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0.2, target: 1}
          category: basic
          supplier: government
          source: GB 50763-2012 (barrier-free design)
        - id: a_handrail_gaps
          name: {en: Stairwells without handrails, zh: 无扶手楼梯间数}
          unit: count
          kind: count
          direction: cost
          range: [0, 500]
          goalposts: {floor: 40, target: 0}
          category: basic
          supplier: government
          source: site survey; target none left
    - id: care
      name: {en: Care services, zh: 养老服务}
      children:
        - id: c_daycare_dist
          name: {en: Walk to an elderly day-care centre, zh: 至老年人日间照料中心距离}
          unit: m
          kind: distance_m
          direction: cost
          range: [0, 10000]
          goalposts: {floor: 1500, target: 300}
          category: upgrade
          supplier: government
          source: GB 50180-2018 (5-minute life circle, 300 m)
        - id: c_meal_service
          name: {en: Community canteen for the elderly, zh: 老年助餐点}
          unit: yes/no
          kind: binary
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0, target: 1}
          category: upgrade
          supplier: market
          source: street-office service list
"""

ROWS = [
    # community, phase, lifts, ramps, stairwells without handrails, day care (m), canteen
    ("HJ01", "t0", 0.00, 0.30, 24, 1200, 0),
    ("HJ01", "t1", 0.40, 0.95, 2, 1200, 1),
    ("HJ02", "t0", 0.10, 0.55, 10, 450, 1),
    ("HJ02", "t1", 0.25, 1.00, 0, 450, 1),
    ("JS07", "t0", 0.00, 0.20, 36, 2100, 0),
    ("JS07", "t1", 0.00, "", 30, 2100, 0),  # ramps not surveyed again: a missing cell
]


def main() -> int:
    system = rs.load_system(SYSTEM_YAML)  # every problem in the YAML is reported at once
    print(repr(system))
    keys = ["community_id", "phase", *system.indicator_ids]
    data = rs.load_data([dict(zip(keys, row, strict=True)) for row in ROWS], system)
    print(data.summary())
    result = rs.evaluate(system, data, missing="renormalize")
    print(result.table(lang="zh"))
    print(rs.compare(result, phases=("t0", "t1")).table())
    print("\nJS07 after renovation, what to fix first:")
    for item in result.fix_first("JS07", phase="t1", top=3):
        print(f"  {item.name_zh}: obstacle {item.obstacle:.0%}, must fix: {item.must_fix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
