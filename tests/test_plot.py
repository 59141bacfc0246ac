"""Charts: what is drawn equals the numbers of the result and weights; SVG keeps text as text."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest

import renoscore as rs
from renoscore import plot as rplot
from renoscore.errors import OptionError
from renoscore.system import IndicatorSystem
from tests.conftest import MINI_YAML, random_table

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402


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
    fig = Figure(figsize=(5, 4))
    return fig.add_subplot(projection="polar" if polar else None)


def test_radar_draws_the_dimension_scores_of_each_phase(result: rs.EvaluationResult) -> None:
    ax = result.plot.radar("LY", ax=_axes(polar=True))
    dims = [d.id for d in result.system.dimensions]
    lines = ax.get_lines()
    # LY has t0, t_proc, t1 and t2 rows; t_proc measures only participation (one spoke) and
    # is no polygon, so three polygons are drawn, in the system's phase order.
    phases = ["t0", "t1", "t2"]
    assert len(lines) == len(phases)
    for line, phase in zip(lines, phases, strict=True):
        row = result.row("LY", phase)
        expected = [result.scores(d)[row] for d in dims]
        np.testing.assert_allclose(line.get_ydata()[:-1], expected)
        assert line.get_ydata()[-1] == line.get_ydata()[0]  # the polygon is closed
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == [d.name.en for d in result.system.dimensions]  # long ones wrapped


def test_radar_one_phase_chinese_labels(result: rs.EvaluationResult) -> None:
    ax = result.plot.radar("LY", "t_proc", ax=_axes(polar=True), lang="zh")
    assert len(ax.get_lines()) == 1  # asked for by name: drawn even with one spoke measured
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "设施",
        "公共服务",
        "居民参与",
        "社会资本",
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
    outer = [b for b in ax.patches if b.get_y() >= 1.0]
    assert sum(b.get_width() for b in inner) == pytest.approx(2 * np.pi)
    assert sum(b.get_width() for b in outer) == pytest.approx(2 * np.pi)
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


def test_figure_svg_keeps_text_as_text_and_is_repeatable() -> None:
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar([0, 1], [1, 2])
    ax.set_xticks([0, 1], ["设施", "公共服务"])
    svg = rplot.figure_svg(fig)
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    assert "<metadata" not in svg
    assert re.search(r"<text[^>]*>设施</text>", svg)
    assert rplot.CSS_FONT_STACK in svg
    assert rplot.figure_svg(fig) == svg


def test_missing_cjk_font_warns_once_per_chart(
    monkeypatch: pytest.MonkeyPatch, result: rs.EvaluationResult
) -> None:
    monkeypatch.setattr(rplot, "cjk_font", lambda: None)
    assert rplot.font_families() == ["DejaVu Sans"]
    with pytest.warns(rplot.MissingFontWarning, match="fonts-noto-cjk"):
        result.plot.radar("LY", ax=_axes(polar=True), lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error", rplot.MissingFontWarning)
        result.plot.ranking("t0", _axes(), lang="en")  # no CJK text: no warning


def test_chinese_png_has_every_glyph_when_a_cjk_font_exists(result: rs.EvaluationResult) -> None:
    if rplot.cjk_font() is None:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk)")
    assert rplot.font_families()[1] == rplot.cjk_font()
    ax = result.plot.radar("LY", ax=_axes(polar=True), lang="zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()  # type: ignore[union-attr]
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_plots_of_random_single_phase_data() -> None:
    mini = rs.load_system(MINI_YAML)
    data = rs.load_data(random_table(mini, 12, seed=3, phase="t0"), mini)
    res = rs.evaluate(mini, data)
    ax = res.plot.ranking(ax=_axes(), top=None)
    assert len(ax.patches) == 12
    assert "before" in ax.get_title()
