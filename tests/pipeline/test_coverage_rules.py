"""Scores a reviewer can defend: applicability per node and partial phases, on the example.

The example data hold estates without a renovation project, whose participation block is not
applicable at t0 (domain brief §5.5), and two partial phases: the mid-works ``t_proc`` measures
the participation block only, ``t2`` the facilities, social capital and governance. The
numbers are those of release 1's example (``old_community_renovation@1``); release 2's progress
checks are declared in its YAML and checked in ``tests/system/test_content_v2.py``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import renoscore as rs
from renoscore.pipeline import ScoringOptions
from renoscore.pipeline.progress import phase_scopes
from renoscore.pipeline.scoring import system_tree
from tests.conftest import MINI_YAML


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    return rs.evaluate(
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        missing="renormalize",
    )


def test_hj03_participation_is_not_assessed_and_it_does_not_rank_first(
    result: rs.EvaluationResult,
) -> None:
    r = result.row("HJ03", "t0")
    k = result.group_ids.index("participation")
    # Every p_* cell is n/a (no project): the three governance indicators carry 3/10 of the
    # dimension's (equal) weight, below the default minimum of one half.
    assert np.isnan(result.group_scores[r, k])
    assert result.applicable[r, k] == pytest.approx(0.3)
    part = {c["node"]: c for c in result.node_coverage("HJ03", "t0")}["participation"]
    assert part["status"] == "not assessed"
    assert part["reason"] == "not assessed: 30% of its weight applies, below the minimum 50%"
    # The goal counts participation (weight 0.118) as missing: coverage 88.2 %; 91.74 % of
    # its weight applies (participation's 0.3 x 0.118 plus the other three dimensions).
    assert result.coverage[r, 0] == pytest.approx(1 - 0.118)
    assert result.applicable[r, 0] == pytest.approx(1 - 0.7 * 0.118)
    # Its overall score is the renormalised mean of the three dimensions assessed.
    w = {"facilities": 0.409, "public_services": 0.279, "social_capital": 0.194}
    expected = sum(v * result.scores(d)[r] for d, v in w.items()) / sum(w.values())
    assert result.overall[r] == pytest.approx(expected)
    assert result.rank[r] > 1
    # Without the rule (min_applicable=0) participation scores 100 from the three governance
    # indicators and HJ03 ranks first: the finding of the issue.
    plain = rs.evaluate(
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        missing="renormalize",
        min_applicable=0.0,
    )
    assert plain.group_scores[r, k] == pytest.approx(100.0)
    assert plain.rank[r] == 1
    assert plain.coverage[r, 0] == pytest.approx(1.0)


def test_mid_works_and_three_year_rows_are_progress_checks(result: rs.EvaluationResult) -> None:
    for phase, measured in (("t_proc", "participation"), ("t2", "facilities, social_capital")):
        rows = [r for r, p in enumerate(result.phases) if p == phase]
        assert len(rows) == 4
        for r in rows:
            assert np.isnan(result.overall[r])
            assert np.isnan(result.rank[r])
            assert result.grades[r, 0] == -1
            assert result.reasons[r] == f"progress check: {phase} measures {measured} only"
    ly = result.row("LY", "t_proc")
    assert result.grade_labels()[ly] is None
    assert result.scores("participation")[ly] == pytest.approx(76.29861111111111)
    # LY at t2: public services would be 78.9 from three governance indicators (3/12 of its
    # weight) without the rule; now it is not assessed.
    t2 = result.row("LY", "t2")
    assert np.isnan(result.scores("public_services")[t2])
    assert result.applicable[t2, result.group_ids.index("public_services")] == pytest.approx(0.25)
    # The text table says so instead of a grade.
    table = result.table(phase="t_proc")
    assert "progress check" in table
    assert "excellent" not in table
    assert "good" not in table


def test_phase_scopes_follow_the_plan_and_the_weights() -> None:
    system = rs.load_system("old_community_renovation@1")
    scopes = phase_scopes(system, system_tree(system, rs.derive_weights(system)))
    assert {p: s.overall for p, s in scopes.items()} == {
        "t0": True,
        "t_proc": False,
        "t1": True,
        "t2": False,
    }
    assert scopes["t2"].missing == ("public_services", "participation")
    # A lower minimum makes t2 (3 of 12 service indicators, 3 of 10 participation ones)
    # measure every dimension.
    low = system_tree(system, rs.derive_weights(system), ScoringOptions(min_applicable=0.25))
    assert phase_scopes(system, low)["t2"].overall


def test_a_phase_declared_overall_is_scored_and_a_group_minimum_wins() -> None:
    doc = rs.load_system("old_community_renovation@1").to_dict()
    doc["phases"][1]["overall"] = True  # t_proc
    doc["goal"]["children"][2]["min_applicable"] = 0.3  # participation
    system = rs.load_system(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.CoverageWarning)
        result = rs.evaluate(system, rs.example_data(version=1), missing="renormalize")
    # t_proc is declared to yield an overall score; it then meets the other rules: only 9 %
    # of the goal's weight applies there, below the goal's minimum of one half.
    ly = result.row("LY", "t_proc")
    assert result.reasons[ly].startswith("not assessed: 9% of the system's weight applies")
    # HJ03's participation (0.3 applicable) reaches the group's own minimum of 0.3.
    r = result.row("HJ03", "t0")
    assert result.scores("participation")[r] == pytest.approx(100.0)


def test_min_applicable_is_a_validated_recorded_option(mini_system: rs.IndicatorSystem) -> None:
    rows = [{"community_id": "A", "f_a": 0.65, "f_b": "n/a", "s_dist": "n/a", "s_sat": "n/a"}]
    result = rs.evaluate(mini_system, rows, min_applicable=0.6, min_coverage=0.0)
    assert result.provenance.options.min_applicable == 0.6
    # Facilities: half applies (below 0.6), services: nothing: both not assessed.
    assert np.isnan(result.group_scores[0]).all()
    assert result.reasons[0].startswith("not assessed: 30% of the system's weight applies")
    with pytest.raises(rs.OptionError, match="min_applicable must be in"):
        rs.evaluate(mini_system, rows, min_applicable=1.5)
    back = rs.EvaluationResult.from_json(result.to_json())
    assert back == result
    np.testing.assert_array_equal(back.applicable, result.applicable)


def test_a_group_minimum_in_yaml_is_validated() -> None:
    bad = MINI_YAML.replace(
        "    - id: facilities\n", "    - id: facilities\n      min_applicable: 2\n"
    )
    with pytest.raises(rs.IndicatorSystemError, match="min_applicable"):
        rs.load_system(bad)
