"""Fixtures of the chart tests: the default system, its AHP weights and a result."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import renoscore as rs
from renoscore.system import IndicatorSystem


@pytest.fixture(scope="module")
def system() -> IndicatorSystem:
    return rs.default_system()


@pytest.fixture(scope="module")
def weights(system: IndicatorSystem) -> rs.Weights:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.InconsistencyWarning)
        return rs.derive_weights(system, rs.example_panel(), method="ahp")


@pytest.fixture(scope="module")
def result(system: IndicatorSystem, weights: rs.Weights) -> rs.EvaluationResult:
    return rs.evaluate(system, rs.example_data(), weights, missing="renormalize")


def _axes(polar: bool = False) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4))
    return fig.add_subplot(projection="polar" if polar else None)
