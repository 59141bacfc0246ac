"""Charts of a result: what is drawn equals the numbers of the result."""

from __future__ import annotations

import numpy as np
import pytest

import renoscore as rs
from renoscore import plot as rplot
from renoscore.errors import OptionError
from tests._extras import needs
from tests.conftest import MINI_YAML, random_table
from tests.plot.conftest import _axes

matplotlib = needs("matplotlib")
matplotlib.use("Agg")


def test_radar_draws_the_dimension_scores_of_each_phase(result: rs.EvaluationResult) -> None:
    ax = result.plot.radar("LY", ax=_axes(polar=True))
    dims = [d.id for d in result.system.dimensions]
    lines = ax.get_lines()
    # LY has t0, t_proc, t1 and t2 rows; t_proc measures only participation (one spoke) and
    # t2 facilities, participation and social capital (the walking distances behind public
    # services are not measured again), so three polygons are drawn, in the phase order.
    phases = ["t0", "t1", "t2"]
    assert len(lines) == len(phases)
    for line, phase in zip(lines, phases, strict=True):
        row = result.row("LY", phase)
        expected = [result.scores(d)[row] for d in dims]
        np.testing.assert_allclose(line.get_ydata()[:-1], expected)
        assert line.get_ydata()[-1] == line.get_ydata()[0]  # the polygon is closed
    labels = [t.get_text().replace("-\n", "-").replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == [d.name.en for d in result.system.dimensions]  # long ones wrapped


def test_radar_one_phase_chinese_labels(result: rs.EvaluationResult) -> None:
    ax = result.plot.radar("LY", "t_proc", ax=_axes(polar=True), lang="zh")
    assert len(ax.get_lines()) == 1  # asked for by name: drawn even with one spoke measured
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "设施改造",
        "公共服务",
        "居民参与与共建共治",
        "社区社会资本",
    ]
    assert "改造中" in ax.get_title()


def test_radar_refuses_bad_input(result: rs.EvaluationResult) -> None:
    with pytest.raises(OptionError, match="polar"):
        result.plot.radar("LY", ax=_axes(polar=False))
    with pytest.raises(OptionError, match="no community"):
        result.plot.radar("LX", ax=_axes(polar=True))
    with pytest.raises(OptionError, match="three spokes"):
        result.plot.radar("LY", ax=_axes(polar=True), nodes=["facilities", "participation"])


def test_ranking_bars_are_scores_in_rank_order_coloured_by_grade(
    result: rs.EvaluationResult,
) -> None:
    ax = result.plot.ranking("t0", _axes(), top=10)
    bars = ax.patches
    assert len(bars) == 10
    t0 = result.select("t0")
    order = np.lexsort((np.array(t0.ids), t0.rank))[:10]
    np.testing.assert_allclose([b.get_width() for b in bars], t0.overall[order])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == f"1. {t0.ids[order[0]]}"
    palette = rplot.grade_colors(len(result.system.grades))
    for bar, g in zip(bars, t0.grades[order, 0], strict=True):
        assert bar.get_facecolor() == pytest.approx(palette[g])
    with pytest.raises(OptionError, match="no rows in phase"):
        result.plot.ranking("t9", _axes())


def test_grade_distribution_counts_every_row(result: rs.EvaluationResult) -> None:
    ax = result.plot.grade_distribution(ax=_axes())
    phases = ["t0", "t_proc", "t1", "t2"]
    n_cols = len(result.system.grades) + 1
    heights = np.array([b.get_height() for b in ax.patches]).reshape(len(phases), n_cols)
    assert heights.sum(axis=1).tolist() == [result.phases.count(p) for p in phases]
    grades = result.grades[:, 0]
    t0 = np.array(result.phases) == "t0"
    expected = np.bincount(np.where(grades[t0] < 0, n_cols - 1, grades[t0]), minlength=n_cols)
    assert heights[0].tolist() == expected.tolist()


def test_plots_of_random_single_phase_data() -> None:
    mini = rs.load_system(MINI_YAML)
    data = rs.load_data(random_table(mini, 12, seed=3, phase="t0"), mini)
    res = rs.evaluate(mini, data)
    ax = res.plot.ranking(ax=_axes(), top=None)
    assert len(ax.patches) == 12
    assert "before" in ax.get_title()
