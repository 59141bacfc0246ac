"""The fix-first ledger of a community and the obstacles of a portfolio."""

from __future__ import annotations

import pytest

import renoscore as rs
from tests.pipeline._mini import ROWS, _mini_data


def test_fix_first_basic_items_first_then_obstacle_degree(mini_system: rs.IndicatorSystem) -> None:
    result = rs.evaluate(mini_system, _mini_data(mini_system, ROWS))
    # A: gaps f_a 0.5 (basic), s_dist 0.5; global weights 0.3 and 0.2 -> priorities 0.15, 0.10
    a = result.fix_first("A", top=None)
    assert [i.indicator for i in a[:2]] == ["f_a", "s_dist"]
    assert a[0].must_fix
    assert a[0].obstacle == pytest.approx(0.6)
    assert a[1].obstacle == pytest.approx(0.4)
    assert sum(i.obstacle or 0 for i in a) == pytest.approx(1.0)
    # B: f_a at target (not must-fix); f_b gap 1 x 0.3, s_sat gap 0.5 x 0.2 -> 0.75, 0.25
    b = result.fix_first("B", top=2)
    assert [(i.indicator, round(i.obstacle or 0, 12)) for i in b] == [
        ("f_b", 0.75),
        ("s_sat", 0.25),
    ]
    assert not any(i.must_fix for i in b)


def test_basic_gap_listed_first_even_with_small_weight(mini_system: rs.IndicatorSystem) -> None:
    # f_a barely below target (tiny obstacle) still comes before a large non-basic gap
    rows = [{"community_id": "C", "phase": "t0", "f_a": 0.99, "f_b": 0, "s_dist": 1500, "s_sat": 1}]
    items = rs.evaluate(mini_system, _mini_data(mini_system, rows)).fix_first("C", top=None)
    assert items[0].indicator == "f_a"
    assert items[0].must_fix
    assert items[0].obstacle is not None
    assert items[0].obstacle < items[1].obstacle  # type: ignore[operator]


def test_portfolio_obstacle_shares_add_up_to_one() -> None:
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    for by in ("indicator", "supplier", "category", "dimension"):
        shares = [row["mean_obstacle"] for row in result.obstacles(by)]  # type: ignore[arg-type]
        assert sum(shares) == pytest.approx(1.0)
        assert shares == sorted(shares, reverse=True)
    record = result.records()[0]
    assert all(f"score_{i}" in record for i in rs.default_system().indicator_ids)
