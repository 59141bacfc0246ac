"""Charts of results, weights and the uncertainty analyses (matplotlib, the ``plot`` extra).

``result.plot.radar("LY")``, ``result.plot.ranking(phase="t0")``,
``result.plot.grade_distribution()`` and ``weights.plot()`` (nested bars or a sunburst of the
hierarchy) each draw on a matplotlib ``Axes`` and return it: pass ``ax=`` to draw into a figure
of your own, or leave it out in a notebook to get a new figure. :func:`plot_rank_intervals`,
:func:`plot_sobol` and :func:`plot_one_at_a_time` draw the results of
:mod:`renoscore.sensitivity` (:mod:`renoscore.plot.sensitivity`).

Chinese labels
--------------
matplotlib draws text with the fonts it finds on the machine. Every chart here asks for
``DejaVu Sans`` (shipped with matplotlib, for Latin text and digits) followed by the first CJK
font found (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, SimHei, ...),
and matplotlib's per-glyph font fallback (matplotlib >= 3.6) takes each character from the first
font that has it. When no CJK font is registered with matplotlib (its font cache can predate a
font installed later), the usual system font folders are searched once and any CJK font found
is added. When there is none at all, a :class:`MissingFontWarning` says what to install
(Debian/Ubuntu: ``apt-get install fonts-noto-cjk``); the HTML report is not affected, since its
charts are SVG with text kept as text (:func:`figure_svg`), which the browser draws with its
own fonts.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ax = result.plot.radar("LY")
>>> [t.get_text() for t in ax.get_legend().get_texts()]  # t2 measures two dimensions only
['baseline assessment before renovation', 'about one year after completion', 'about three years after completion']
"""

from __future__ import annotations

from renoscore.errors import MissingFontWarning
from renoscore.plot.fonts import (
    CJK_FONT_FAMILIES,
    CSS_FONT_STACK,
    cjk_font,
    figure_svg,
    font_families,
)
from renoscore.plot.results import ResultPlots, grade_colors
from renoscore.plot.sensitivity import plot_one_at_a_time, plot_rank_intervals, plot_sobol
from renoscore.plot.weights import WeightsPlots

__all__ = [
    "CJK_FONT_FAMILIES",
    "CSS_FONT_STACK",
    "MissingFontWarning",
    "ResultPlots",
    "WeightsPlots",
    "cjk_font",
    "figure_svg",
    "font_families",
    "grade_colors",
    "plot_one_at_a_time",
    "plot_rank_intervals",
    "plot_sobol",
]
