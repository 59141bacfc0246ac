"""What the charts of results and of weights share: new axes, label wrapping, chart words."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from renoscore._optional import import_optional

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CJK_CHAR", "WORDS", "new_axes", "word", "wrap_label"]

#: A character of Chinese, Japanese or Korean text (no spaces to break a line at).
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def new_axes(polar: bool = False, size: tuple[float, float] = (6.0, 4.0)) -> Axes:
    plt = import_optional("matplotlib.pyplot", "charts")
    fig = plt.figure(figsize=size, layout="constrained")
    ax: Axes = fig.add_subplot(projection="polar" if polar else None)
    return ax


def wrap_label(text: str, width: int) -> str:
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
    },
}


def word(lang: str, key: str) -> str:
    return WORDS["zh" if lang == "zh" else "en"][key]
