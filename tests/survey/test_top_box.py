"""Top-box scales (满意率): the share of a respondent's answers at or above the top box."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renoscore.errors import ScaleError
from renoscore.survey import load_scales, score_survey
from renoscore.system import load_system

SCALES: dict[str, Any] = {
    "id": "satisfaction",
    "version": "1",
    "name": {"en": "satisfaction", "zh": "满意度"},
    "response_sets": [{"id": "s5", "min": 1, "max": 5}],
    "scales": [
        {
            "id": "renovation",
            "name": {"en": "satisfaction with the renovation", "zh": "改造满意率"},
            "response": "s5",
            "score": "top_box",
            "top_box": 4,
            "items": [
                {"id": "q1", "text": {"en": "works", "zh": "改造工程"}},
                {"id": "q2", "text": {"en": "upkeep", "zh": "后续管理"}},
                {"id": "q3", "reverse": True, "text": {"en": "disturbance", "zh": "施工扰民"}},
            ],
        }
    ],
}


def test_share_of_answers_in_the_top_box_after_reverse_scoring() -> None:
    rows = [
        {"community_id": "A", "phase": "t1", "q1": 5, "q2": 4, "q3": 1},  # 3 of 3
        {"community_id": "A", "phase": "t1", "q1": 3, "q2": 4, "q3": 2},  # q3 -> 4: 2 of 3
        {"community_id": "A", "phase": "t1", "q1": 2, "q2": None, "q3": 5},  # 0 of 2
        {"community_id": "A", "phase": "t1", "q1": 4, "q2": None, "q3": None},  # too few
    ]
    s = score_survey(rows, SCALES, min_n=1, warn=False)
    assert int(s.n[0, 0]) == 3
    assert float(s.mean[0, 0]) == pytest.approx((1 + 2 / 3 + 0) / 3)


@given(st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=2, max_size=30))
def test_top_box_share_lies_in_0_1_and_counts_answers_of_4_and_5(answers: list[list[int]]) -> None:
    scales = {
        **SCALES,
        "scales": [{**SCALES["scales"][0], "items": SCALES["scales"][0]["items"][:2]}],
    }
    rows = [{"community_id": "A", "phase": "t1", "q1": a, "q2": b} for a, b, _ in answers]
    s = score_survey(rows, scales, min_n=1, warn=False)
    expected = np.mean([((a >= 4) + (b >= 4)) / 2 for a, b, _ in answers])
    assert float(s.mean[0, 0]) == pytest.approx(expected)
    assert 0.0 <= float(s.mean[0, 0]) <= 1.0


def test_top_box_needs_its_threshold_inside_the_response_range() -> None:
    bad = {**SCALES, "scales": [{**SCALES["scales"][0], "top_box": 6}]}
    with pytest.raises(ScaleError) as info:
        load_scales(bad)
    assert any("top_box 6" in p.reason for p in info.value.problems)
    half = {**SCALES, "scales": [{**SCALES["scales"][0], "top_box": None}]}
    with pytest.raises(ScaleError) as info:
        load_scales(half)
    assert any("needs 'top_box'" in p.reason for p in info.value.problems)


def test_a_top_box_scale_feeds_a_share_not_a_1_to_5_indicator() -> None:
    system = load_system("old_community_renovation@1")
    share = {**SCALES, "scales": [{**SCALES["scales"][0], "indicator": "p_plan_approval"}]}
    load_scales(share, system)  # a 0-1 share: fits
    likert = {**SCALES, "scales": [{**SCALES["scales"][0], "indicator": "c_trust"}]}
    with pytest.raises(ScaleError) as info:
        load_scales(likert, system)
    assert any("top-box shares run 0..1" in p.reason for p in info.value.problems)
