"""Fixtures of the sensitivity tests: the example system, data, panel and AHP weights."""

from __future__ import annotations

import warnings

import pytest

import renoscore as rs
from renoscore.sensitivity import (
    JudgementNoise,
    Sources,
    WeightNoise,
    uncertainty,
)


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def example() -> tuple[rs.IndicatorSystem, rs.CommunityData, rs.Panel, rs.Weights]:
    system, data, panel = (
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        rs.load_panel("panel_example@1", rs.load_system("old_community_renovation@1")),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # expert_c's known inconsistency
        weights = rs.derive_weights(system, panel, data, method="ahp")
    return system, data, panel, weights


@pytest.fixture(scope="module")
def example_result(example):  # type: ignore[no-untyped-def]
    system, data, panel, weights = example
    return uncertainty(
        system,
        data,
        weights,
        panel=panel,
        phase="t0",
        missing="renormalize",
        n=200,
        seed=11,
        sources=Sources(
            judgements=JudgementNoise(probability=0.3), weights=WeightNoise(concentration=40)
        ),
    )
