"""Phase-to-phase comparison: compare, PhaseComparison and what is refused."""

from __future__ import annotations

import pytest

import renoscore as rs
from renoscore.errors import RenoscoreError
from tests.pipeline._mini import PHASE_ROWS, _mini_data


def test_compare_phases(mini_system: rs.IndicatorSystem) -> None:
    result = rs.evaluate(mini_system, _mini_data(mini_system, PHASE_ROWS))
    # ranks are within phase
    assert result.ranks[:, 0].tolist() == [1.0, 2.0, 1.0, 2.0]
    cmp = rs.compare(result, phases=("t0", "t1"))
    assert cmp.ids == ("A",)
    assert cmp.only_before == ("B",)
    assert cmp.only_after == ("C",)
    a = cmp.community("A")
    # t1: facilities (1+1)/2 = 1; services (0.5 + 2/3)/2; overall 0.6 + 0.4*0.58333
    after = 0.6 * 1.0 + 0.4 * (0.5 + 2 / 3) / 2
    assert a["overall_after"] == pytest.approx(100 * after)
    assert a["overall_change"] == pytest.approx(100 * after - 75.0)
    assert a["newly_at_target"] == ["f_a"]
    assert a["worse"] == ["s_sat"]
    summary = cmp.summary()
    assert summary["communities_compared"] == 1
    assert summary["share_improved"] == 1.0
    # 75.0 -> 83.3: better, but still "good" (70 <= score < 85)
    assert (a["grade_before"], a["grade_after"]) == ("good", "good")
    assert summary["share_grade_up"] == 0.0
    assert "only in t0: B" in cmp.table()


def test_compare_refuses_different_weights(mini_system: rs.IndicatorSystem) -> None:
    data = _mini_data(mini_system, PHASE_ROWS)
    fixed = rs.evaluate(mini_system, data.select(phase="t0"))
    equal = rs.evaluate(mini_system, data.select(phase="t1"), weights="equal")
    with pytest.raises(RenoscoreError, match="different weights"):
        rs.compare(fixed, equal)
    cmp = rs.compare(fixed, equal, allow_different_weights=True)
    assert cmp.ids == ("A",)


def test_frozen_weights_reused_across_phases(mini_system: rs.IndicatorSystem) -> None:
    data = _mini_data(mini_system, PHASE_ROWS)
    w = rs.derive_weights(mini_system)
    frozen = rs.load_weights(w.to_json(), mini_system)
    before = rs.evaluate(mini_system, data.select(phase="t0"), frozen)
    after = rs.evaluate(mini_system, data.select(phase="t1"), frozen)
    assert rs.compare(before, after).ids == ("A",)
