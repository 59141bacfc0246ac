"""Chart fonts and SVG: text stays text, a missing CJK font warns once per chart."""

from __future__ import annotations

import re
import warnings

import pytest

import renoscore as rs
from renoscore.plot import fonts as rplot
from tests._extras import needs
from tests.plot.conftest import _axes

matplotlib = needs("matplotlib")
matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402


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
