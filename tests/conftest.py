"""Shared fixtures: a small hand-checkable system and random valid data for any system."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from renoscore.data import CommunityData, load_data
from renoscore.system import IndicatorSystem, load_system

MINI_YAML = """\
id: mini
version: "1"
name: {en: Mini system, zh: 迷你体系}
phases:
  - {id: t0, name: {en: before, zh: 改造前}}
  - {id: t1, name: {en: after, zh: 改造后}}
goal:
  id: overall
  name: {en: Overall, zh: 总目标}
  weighting: {method: fixed, weights: {facilities: 3, services: 2}}
  children:
    - id: facilities
      name: {en: Facilities, zh: 设施}
      children:
        - id: f_a
          name: {en: Utilities ok, zh: 基础设施完好率}
          unit: share
          kind: ratio
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0.3, target: 1.0}
          category: basic
          supplier: government
          source: test
        - id: f_b
          name: {en: Parcel locker, zh: 快件箱}
          unit: yes/no
          kind: binary
          direction: benefit
          range: [0, 1]
          goalposts: {floor: 0, target: 1}
          category: improvement
          supplier: market
          source: test
    - id: services
      name: {en: Services, zh: 服务}
      children:
        - id: s_dist
          name: {en: Distance to station, zh: 服务站距离}
          unit: m
          kind: distance_m
          direction: cost
          range: [0, 10000]
          goalposts: {floor: 1500, target: 300}
          category: upgrade
          supplier: government
          source: GB 50180
        - id: s_sat
          name: {en: Satisfaction, zh: 满意度}
          unit: mean of 1-5
          kind: likert5
          direction: benefit
          range: [1, 5]
          goalposts: {floor: 1, target: 4}
          supplier: residents
          source: test
"""


@pytest.fixture
def mini_system() -> IndicatorSystem:
    """Goal = 0.6 facilities + 0.4 services; equal weights within each dimension."""
    return load_system(MINI_YAML)


def random_table(
    system: IndicatorSystem, n: int, seed: int = 0, phase: str | None = None
) -> dict[str, Any]:
    """A valid table of ``n`` communities with values spread over and beyond the goalposts."""
    rng = np.random.default_rng(seed)
    floor, target = system.goalpost_arrays()
    lo_r, hi_r = system.range_arrays()
    lo = np.minimum(floor, target)
    hi = np.maximum(floor, target)
    span = hi - lo
    X = lo - 0.2 * span + 1.4 * span * rng.random((n, len(lo)))
    X = np.clip(X, lo_r, hi_r)
    for j, ind in enumerate(system.indicators):
        if ind.kind.value in ("binary", "ordinal"):
            X[:, j] = np.round(X[:, j])
    table: dict[str, Any] = {"community_id": [f"c{i:05d}" for i in range(n)]}
    if phase is not None:
        table["phase"] = [phase] * n
    table.update({ind: X[:, j] for j, ind in enumerate(system.indicator_ids)})
    return table


def random_data(system: IndicatorSystem, n: int, seed: int = 0) -> CommunityData:
    """Random valid :class:`CommunityData` for ``system``."""
    return load_data(random_table(system, n, seed), system)
