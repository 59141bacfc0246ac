"""Outlier treatment inside the evaluation: opt-in, recorded, replayable, untouched otherwise.

On release 1's example (``old_community_renovation@1``), whose floor-bound lift share the tests
winsorise.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import renoscore as rs
from renoscore._options import ScoringOptions
from renoscore.audit import apply_treatment, skewness
from renoscore.errors import ConstantIndicatorWarning, OptionError

# Winsorising the floor-bound lift indicator leaves it constant, which min-max says.
pytestmark = pytest.mark.filterwarnings(
    f"ignore::{ConstantIndicatorWarning.__module__}.{ConstantIndicatorWarning.__name__}"
)


def _minmax_system_and_data() -> tuple[rs.IndicatorSystem, rs.CommunityData]:
    system = rs.load_system("old_community_renovation@1")
    base = rs.example_data(version=1).select("t0")
    return system, base


def test_treatment_is_opt_in_and_untreated_results_are_unchanged() -> None:
    system, data = _minmax_system_and_data()
    plain = rs.evaluate(system, data, missing="renormalize")
    assert plain.provenance.treat is None
    assert plain.provenance.treatment is None
    again = rs.evaluate(system, data, missing="renormalize", treat=False)
    assert again.group_scores.tobytes() == plain.group_scores.tobytes()


def test_treated_points_are_recorded_and_replay_from_the_result_json() -> None:
    system, data = _minmax_system_and_data()
    # An array read back loses the n/a marks (its NaN are missing): score without the
    # applicability rule, so that n/a and missing cells count alike on both sides.
    r = rs.evaluate(
        system, data, missing="renormalize", normalization="minmax", treat=True, min_applicable=0
    )
    doc = json.loads(r.provenance.model_dump_json())
    record = doc["treatment"]
    assert doc["treat"] == {"winmax": 5, "skew_threshold": 2.0, "kurt_threshold": 3.5,
                            "log": True, "combine": False}  # fmt: skip
    treated_ids = [c["column"] for c in record["columns"] if c["step"] != "none"]
    assert "f_elevator_share" in treated_ids
    assert all({"community_id", "before", "after", "row"} <= set(p) for p in record["points"])
    replayed = apply_treatment(data.values, record, data.indicator_ids)
    again = rs.evaluate(
        system,
        rs.load_data(replayed, system, ids=list(data.ids), phases=list(data.phases)),
        missing="renormalize",
        normalization="minmax",
        min_applicable=0,
    )
    assert np.allclose(again.group_scores, r.group_scores, equal_nan=True, atol=1e-12)
    untouched = [j for j, i in enumerate(data.indicator_ids) if i not in treated_ids]
    assert replayed[:, untouched].tobytes() == np.asarray(data.values)[:, untouched].tobytes()


def test_a_winsorised_indicator_falls_below_the_skewness_threshold() -> None:
    system, data = _minmax_system_and_data()
    r = rs.evaluate(system, data, missing="renormalize", normalization="minmax", treat=True)
    j = data.indicator_ids.index("f_green_per_capita")
    assert abs(skewness(data.values[:, j])[0]) > 2
    col = next(c for c in r.provenance.treatment["columns"] if c["column"] == "f_green_per_capita")
    assert col["step"] == "winsorised"
    treated = apply_treatment(data.values, r.provenance.treatment, data.indicator_ids)[:, j]
    assert abs(skewness(treated)[0]) < 2


def test_winsorising_a_floor_bound_indicator_flattens_it() -> None:
    # 28 of 30 estates have no lift: moving the two others to the next value in leaves a
    # constant column (COINr does the same); the audit calls this indicator floor-bound.
    system, data = _minmax_system_and_data()
    r = rs.evaluate(system, data, missing="renormalize", normalization="minmax", treat=True)
    j = data.indicator_ids.index("f_elevator_share")
    treated = apply_treatment(data.values, r.provenance.treatment, data.indicator_ids)[:, j]
    assert np.nanmin(treated) == np.nanmax(treated) == 0.0


def test_goalposts_take_no_log_transform() -> None:
    assert ScoringOptions(treat=True).treat.log is False
    with pytest.raises(OptionError, match="invalid outlier treatment"):
        rs.evaluate(rs.load_system("old_community_renovation@1"), rs.example_data(version=1), missing="renormalize",
                    treat={"log": True})  # fmt: skip
    r = rs.evaluate(
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        missing="renormalize",
        treat=True,
    )
    assert all(c["step"] != "log" for c in r.provenance.treatment["columns"])
