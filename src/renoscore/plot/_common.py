"""What the charts of results and of weights share: new axes, label wrapping, chart words."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot.fonts import CJK_CHAR, apply_fonts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "WORDS",
    "finished",
    "grade_colors",
    "new_axes",
    "phase_order",
    "polar_axes",
    "word",
    "wrap_label",
]


def grade_colors(n: int) -> list[tuple[float, ...]]:
    """``n`` colours from green (best grade) to red (worst), colour-blind safer than pure hues.

    Examples
    --------
    >>> len(grade_colors(4))
    4
    """
    cm = import_optional("matplotlib", "charts").colormaps["RdYlGn"]
    return [tuple(float(c) for c in cm(x)) for x in np.linspace(0.85, 0.15, max(n, 1))][:n]


def phase_order(result: Any) -> list[str | None]:
    """The phases a result holds, in its system's phase order (rows without a phase first)."""
    present = list(dict.fromkeys(result.phases))
    order = {p: k for k, p in enumerate(result.system.phase_ids)}
    return sorted(present, key=lambda p: order.get(p, len(order)) if p is not None else -1)


def new_axes(polar: bool = False, size: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """A new pyplot figure's one Axes (what a chart draws on when given no ``ax``)."""
    plt = import_optional("matplotlib.pyplot", "charts")
    fig = plt.figure(figsize=size, layout="constrained")
    ax: Axes = fig.add_subplot(projection="polar" if polar else None)
    return ax


def polar_axes(ax: Axes | None, size: tuple[float, float], chart: str) -> Axes:
    """``ax`` when it is polar, a new polar Axes of ``size`` when it is None.

    Raises
    ------
    OptionError
        A cartesian ``ax`` (``chart`` names the chart in the message, e.g. "radar").
    """
    if ax is None:
        return new_axes(polar=True, size=size)
    if getattr(ax, "name", "") != "polar":
        raise OptionError(
            f"{chart} needs a polar Axes",
            [Problem("cartesian Axes given", fix="fig.add_subplot(projection='polar')")],
        )
    return ax


def wrap_label(text: str, width: int) -> str:
    """Latin text wrapped at ``width`` characters; CJK text as it is."""
    # CJK text has no spaces to break at; it is short enough in the shipped systems.
    return text if CJK_CHAR.search(text) else "\n".join(textwrap.wrap(text, width)) or text


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "score": "score (0-100)",
        "ranking": "Ranking",
        "grades": "Grade distribution",
        "communities": "communities",
        "not_scored": "not scored",
        "weights": "Global weights",
        "global": "global weight",
        "all": "all phases",
        "map": "Communities",
        "east": "metres east of the centre",
        "north": "metres north of the centre",
        "life_circle": "{m:,} m life circle",
        "distance": "{name} {m:,.0f} m",
        "service": "services",
    },
    "zh": {
        "score": "得分（0-100）",
        "ranking": "排名",
        "grades": "等级分布",
        "communities": "小区数",
        "not_scored": "未评分",
        "weights": "全局权重",
        "global": "全局权重",
        "all": "全部阶段",
        "map": "小区分布",
        "east": "距中心以东（米）",
        "north": "距中心以北（米）",
        "life_circle": "{m}米生活圈",
        "distance": "{name}（{m:.0f}米）",
        "service": "服务设施",
    },
}


def word(lang: str, key: str) -> str:
    """A chart word in ``lang`` (anything but ``zh`` is English)."""
    return WORDS["zh" if lang == "zh" else "en"][key]


def finished(ax: Axes) -> Axes:
    """The drawn Axes, its figure's text given the chart fonts (:func:`apply_fonts`)."""
    apply_fonts(ax.figure, stacklevel=4)  # type: ignore[arg-type]
    return ax
