"""An evaluation result: its JSON round trip and its text and HTML views."""

from __future__ import annotations

import renoscore as rs
from tests.conftest import random_data


def test_result_json_round_trip_is_equal() -> None:
    system = rs.default_system()
    data = random_data(system, 20, seed=5)
    result = rs.evaluate(system, data)
    again = rs.EvaluationResult.from_json(result.to_json())
    assert again == result
    assert again.fix_first("c00003") == result.fix_first("c00003")


def test_repr_and_html() -> None:
    system = rs.default_system()
    result = rs.evaluate(system, random_data(system, 5))
    assert "rows=5" in repr(result)
    assert "<table>" in result._repr_html_()
    assert result.table().splitlines()[0].split()[:4] == ["rank", "community", "phase", "score"]
