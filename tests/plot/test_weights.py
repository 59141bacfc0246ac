"""Charts of weights: bars and sunburst angles equal the global weights."""

from __future__ import annotations

import numpy as np
import pytest

import renoscore as rs
from renoscore.errors import OptionError
from renoscore.system import IndicatorSystem
from tests._extras import needs
from tests.conftest import MINI_YAML
from tests.plot.conftest import _axes

matplotlib = needs("matplotlib")
matplotlib.use("Agg")


def test_weight_bars_are_the_global_weights(weights: rs.Weights, system: IndicatorSystem) -> None:
    ax = weights.plot(ax=_axes(), system=system)
    g = weights.global_weights()
    nodes = [n.id for n in system.nodes if n.id != system.goal.id]
    widths = [b.get_width() for b in ax.patches]
    np.testing.assert_allclose(widths, [g[n] for n in nodes])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == system.dimensions[0].name.en
    assert ax.get_yticklabels()[0].get_fontweight() == "bold"
    dims = [d.id for d in system.dimensions]
    assert sum(g[d] for d in dims) == pytest.approx(1.0)


def test_sunburst_angles_are_proportional_to_global_weights(
    weights: rs.Weights, system: IndicatorSystem
) -> None:
    ax = weights.plot("sunburst", ax=_axes(polar=True), system=system, lang="zh")
    g = weights.global_weights()
    inner = [b for b in ax.patches if b.get_y() < 1.0]
    # one ring per level of the tree (dimensions, their groups, the indicators): each is whole
    rings: dict[int, float] = {}
    for b in ax.patches:
        rings[round(b.get_y())] = rings.get(round(b.get_y()), 0.0) + b.get_width()
    assert len(rings) == 3
    for width in rings.values():
        assert width == pytest.approx(2 * np.pi)
    np.testing.assert_allclose(
        [b.get_width() for b in inner], [2 * np.pi * g[d.id] for d in system.dimensions]
    )
    assert any(t.get_text().startswith("设施") for t in ax.texts)
    with pytest.raises(OptionError, match="polar"):
        weights.plot("sunburst", ax=_axes())
    with pytest.raises(OptionError, match="unknown chart kind"):
        weights.plot("pie")  # type: ignore[arg-type]


def test_weight_chart_of_a_deeper_or_smaller_system() -> None:
    mini = rs.load_system(MINI_YAML)
    w = rs.derive_weights(mini)
    ax = w.plot(ax=_axes())  # no system: labels are ids
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "facilities",
        "f_a",
        "f_b",
        "services",
        "s_dist",
        "s_sat",
    ]
    # fixed 3:2 dimension weights, equal within dimensions
    np.testing.assert_allclose([b.get_width() for b in ax.patches], [0.6, 0.3, 0.3, 0.4, 0.2, 0.2])
