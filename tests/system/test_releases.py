"""Earlier releases of the shipped content stay loadable by name and reproduce their numbers."""

from __future__ import annotations

import numpy as np
import pytest

import renoscore as rs
from renoscore import survey
from renoscore._shipped import CONTENT_RELEASE, RELEASES, split_release
from renoscore.errors import IndicatorSystemError, PanelError
from renoscore.system import available_systems, load_system


def test_names_with_a_release() -> None:
    assert split_release("old_community_renovation@1") == ("old_community_renovation", 1)
    assert split_release("old_community_renovation@v1") == ("old_community_renovation", 1)
    assert split_release("old_community_renovation@1.0.0") == ("old_community_renovation", 1)
    assert split_release("old_community_renovation@latest") == (
        "old_community_renovation@latest",
        None,
    )
    assert RELEASES[-1] == CONTENT_RELEASE
    assert available_systems() == ("complete_community", "old_community_renovation")
    assert set(available_systems(archived=True)) == {
        "complete_community",
        "complete_community@1",
        "old_community_renovation",
        "old_community_renovation@1",
    }


@pytest.mark.parametrize("name", ["old_community_renovation", "complete_community"])
def test_release_1_is_version_1_and_the_current_name_is_the_current_release(name: str) -> None:
    v1 = load_system(f"{name}@1")
    assert v1.id == name
    assert v1.version == "1.0.0"
    current = load_system(name)
    assert current.version.split(".")[0] == str(CONTENT_RELEASE)
    assert load_system(f"{name}@{CONTENT_RELEASE}") == current
    assert load_system(f"{name}@v1") == v1


def test_an_unknown_release_is_refused_with_the_known_ones() -> None:
    with pytest.raises(IndicatorSystemError) as info:
        load_system("old_community_renovation@7")
    (problem,) = info.value.problems
    assert "old_community_renovation@7" in problem.reason
    assert problem.fix is not None
    assert "old_community_renovation@1" in problem.fix


def test_a_panel_names_the_release_of_its_system() -> None:
    v1 = load_system("old_community_renovation@1")
    panel = rs.load_panel("panel_example@1", v1)
    assert panel.system == "old_community_renovation@1"
    with pytest.raises(PanelError) as info:
        rs.load_panel("panel_example@1", rs.default_system())
    assert any("old_community_renovation@1" in p.reason for p in info.value.problems)


def test_release_1_reproduces_its_published_example_numbers() -> None:
    """The numbers printed by ``renoscore score --example --phase t1`` of release 1."""
    system = load_system("old_community_renovation@1")
    data = rs.example_data(version=1)
    assert data.system_version == "1.0.0"
    assert len(system.indicators) == 39
    result = rs.evaluate(system, data, missing="renormalize")
    assert result.provenance.system_id == "old_community_renovation"
    assert result.provenance.system_version == "1.0.0"
    records = {(r["community_id"], r["phase"]): r for r in result.records()}
    for key, score, rank in [
        (("GC02", "t1"), 86.0, 1),
        (("LY", "t1"), 85.0, 2),
        (("HJ04", "t1"), 84.4, 3),
        (("LY", "t0"), 58.2, 15),
    ]:
        assert round(records[key]["score"], 1) == score, key
        assert records[key]["rank"] == rank, key


def test_release_1_survey_reproduces_its_scale_means() -> None:
    data = rs.example_data(version=1)
    scores = survey.score_survey(
        survey.example_responses_path(version=1), "resident_survey@1", households=data, warn=False
    )
    assert scores.scales.system == "old_community_renovation@1"
    assert scores.mean.shape == (46, 6)
    j = scores.scales.scale_ids.index("trust")
    row = scores.ids.index("LY")
    assert np.isfinite(scores.mean[row, j])
