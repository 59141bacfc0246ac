"""Plain-text columns that line up on a terminal, Chinese text included.

A terminal gives a wide character (汉字, full-width forms) two columns and a narrow one one
column (Unicode Standard Annex #11, East Asian Width: ``W`` and ``F`` are wide); combining marks
take none. ``str.ljust`` counts characters, so a column of Chinese names pads to half its width
and every column after it drifts. :func:`display_width` counts columns, :func:`pad` pads to a
number of columns, :func:`clip` shortens to one, and :func:`text_table` lays out a whole table;
every console table of renoscore goes through them.

Examples
--------
>>> from renoscore._display import display_width, pad, text_table
>>> display_width("LY社区"), display_width("ｖａｌｕｅ")
(6, 10)
>>> pad("优秀", 6, ">") + "|"
'  优秀|'
>>> print(text_table(["小区", "得分"], [["LY社区", "85.0"], ["JS01", "61.5"]], align="<>"))
小区    得分
------  ----
LY社区  85.0
JS01    61.5
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["clip", "display_width", "pad", "text_table"]


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The number of terminal columns ``text`` takes (wide characters count two).

    Examples
    --------
    >>> display_width("abc"), display_width("老旧小区"), display_width("％")
    (3, 8, 2)
    """
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, with ``…`` where it was cut.

    Examples
    --------
    >>> clip("水电气暖路信基础设施完好率", 12), clip("short", 12)
    ('水电气暖路…', 'short')
    """
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns: ``<`` left, ``>`` right, ``^`` centre.

    Text wider than ``width`` is returned as it is.

    Examples
    --------
    >>> pad("等级", 6) + "|", pad("85.0", 6, ">") + "|", pad("良好", 6, "^") + "|"
    ('等级  |', '  85.0|', ' 良好 |')
    """
    gap = width - display_width(text)
    if gap <= 0:
        return text
    if align == ">":
        return " " * gap + text
    if align == "^":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def text_table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str | None = None,
    rule: bool = True,
    indent: str = "",
    max_width: int | None = None,
) -> str:
    """Columns padded to their widest cell by display width, two spaces apart.

    Parameters
    ----------
    head : sequence of str
    rows : sequence of sequence of str
    align : str, optional
        One of ``<``, ``>``, ``^`` per column (default: all left).
    rule : bool
        A rule of dashes under the header.
    indent : str
        Put before every line.
    max_width : int, optional
        Cells wider than this many columns are clipped with ``…``.

    Returns
    -------
    str
        The lines, without trailing spaces.

    Examples
    --------
    >>> print(text_table(["rank", "小区", "等级"], [["1", "LY社区", "优秀"]], align="><<", rule=False))
    rank  小区    等级
       1  LY社区  优秀
    """
    cells = [[str(c) for c in head], *([str(c) for c in r] for r in rows)]
    if max_width is not None:
        cells = [[clip(c, max_width) for c in r] for r in cells]
    n = len(cells[0])
    widths = [max(display_width(r[i]) for r in cells if i < len(r)) for i in range(n)]
    aligns = (align or "<" * n).ljust(n, "<")
    lines = ["  ".join(pad(c, w, a) for c, w, a in zip(cells[0], widths, aligns, strict=False))]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(pad(c, w, a) for c, w, a in zip(r, widths, aligns, strict=False))
        for r in cells[1:]
    )
    return "\n".join(indent + line.rstrip() for line in lines)
