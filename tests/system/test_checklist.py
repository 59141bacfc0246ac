"""Checklist indicators: named yes/no steps, the share done, gates that void the procedure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import renoscore as rs
from renoscore.errors import IndicatorSystemError
from renoscore.system import load_system
from renoscore.system.checklist import Checklist

STEPS = ("collect", "propose", "deliberate", "resolve", "publish_resolution", "publish_result")
ZH = ("征集意见", "两委提议", "各方商议", "党员和居民代表会议决议", "决议公开", "实施情况公开")


def _yaml(checklist: str, unit: str = "yes/no", extra: str = "") -> str:
    fields = "\n".join(
        f"  - {{id: {s}, name: {{en: {s}, zh: {z}}}, unit: {unit}, range: [0, 1]}}"
        for s, z in zip(STEPS, ZH, strict=True)
    )
    return f"""id: procedure
version: "1"
name: {{en: procedure, zh: 程序}}
raw_fields:
{fields}
goal:
  id: goal
  name: {{en: goal, zh: 目标}}
  children:
    - id: decision
      name: {{en: decision, zh: 决策}}
      children:
        - id: ycsy
          name: {{en: one call three deliberations two publications, zh: 一征三议两公开落实率}}
          unit: share
          kind: ratio
          direction: benefit
          range: [0, 1]
          goalposts: {{floor: 0, target: 1}}
          supplier: government
          source: "the source paper [V]"
{extra}          checklist: {checklist}
"""


GOOD = "{steps: [" + ", ".join(STEPS) + "], gates: [resolve]}"


def _problems(text: str) -> tuple[rs.Problem, ...]:
    with pytest.raises(IndicatorSystemError) as info:
        load_system(text)
    return info.value.problems


def test_the_checklist_writes_the_formula_and_round_trips() -> None:
    system = load_system(_yaml(GOOD))
    ind = system.indicators[0]
    assert ind.checklist is not None
    assert ind.checklist.steps == STEPS
    assert ind.checklist.gates == ("resolve",)
    assert ind.formula == f"({' + '.join(STEPS)}) / 6 * resolve"
    assert [system.raw_field(s).name.zh for s in ind.checklist.steps] == list(ZH)
    assert system.derived_indicators == (ind,)
    assert load_system(system.to_yaml()) == system


def test_a_missing_gate_voids_the_procedure_instead_of_costing_one_step(tmp_path: Path) -> None:
    system = load_system(_yaml(GOOD))
    header = "community_id," + ",".join(ZH)
    rows = [
        "all," + ",".join(["是"] * 6),
        "no_publication," + ",".join(["是"] * 5 + ["否"]),
        "no_resolution," + ",".join(["是", "是", "是", "否", "是", "是"]),
        "only_resolution," + ",".join(["否", "否", "否", "是", "否", "否"]),
    ]
    path = tmp_path / "steps.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    data = rs.load_data(path, system)
    np.testing.assert_allclose(data.values[:, 0], [1.0, 5 / 6, 0.0, 1 / 6])
    assert data.derived == {"ycsy": system.indicators[0].formula}


@given(st.lists(st.integers(0, 1), min_size=6, max_size=6))
def test_value_is_the_share_done_times_the_gate(done: list[int]) -> None:
    checklist = Checklist(steps=STEPS, gates=("resolve",))
    record = dict(zip(STEPS, done, strict=True))
    expected = sum(done) / 6 if record["resolve"] else 0.0
    assert checklist.value(record) == pytest.approx(expected)
    assert 0.0 <= checklist.value(record) <= 1.0


def test_steps_must_be_declared_yes_no_raw_fields() -> None:
    bad = GOOD.replace("deliberate,", "deliberat,")
    (problem,) = [p for p in _problems(_yaml(bad)) if "raw field" in p.reason]
    assert problem.reason == "step 'deliberat' is not a declared raw field"
    assert problem.fix == "did you mean 'deliberate'?"
    assert problem.path is not None
    assert problem.path.endswith("checklist.steps[2]")
    reasons = [p.reason for p in _problems(_yaml(GOOD, unit="count"))]
    assert "step 'collect' is recorded as 'count', not yes/no" in reasons
    assert len(reasons) == 6


def test_gates_must_be_steps_steps_unique_and_the_formula_not_written_by_hand() -> None:
    reasons = [
        p.reason for p in _problems(_yaml(GOOD.replace("gates: [resolve]", "gates: [vote]")))
    ]
    assert "gate 'vote' is not one of the steps" in reasons
    twice = GOOD.replace("propose,", "collect,")
    assert any("listed twice" in p.reason for p in _problems(_yaml(twice)))
    by_hand = "          formula: collect / 1\n"
    (problem,) = _problems(_yaml(GOOD, extra=by_hand))
    assert "written from its steps and gates" in problem.reason
    one = "{steps: [collect]}"
    assert _problems(_yaml(one))


def test_a_checklist_is_a_share() -> None:
    text = _yaml(GOOD).replace(
        "unit: share\n          kind: ratio", "unit: count\n          kind: count"
    )
    reasons = [p.reason for p in _problems(text)]
    assert any("a checklist gives the share of its steps done" in r for r in reasons)
