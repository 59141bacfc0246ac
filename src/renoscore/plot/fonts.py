"""Fonts for chart text, and charts as inline SVG whose text stays text.

Every chart asks for ``DejaVu Sans`` (shipped with matplotlib, for Latin text and digits)
followed by the first CJK font found (:func:`cjk_font`); matplotlib's per-glyph fallback takes
each character from the first font that has it. Without any CJK font a
:class:`MissingFontWarning` says what to install. :func:`figure_svg` writes a figure as an
``<svg>`` element with ``<text>`` kept as text, so a browser draws the Chinese labels with its
own fonts whatever fonts the machine that drew the chart had.

Examples
--------
>>> from renoscore.plot.fonts import CSS_FONT_STACK
>>> CSS_FONT_STACK.split(", ")[0]
"'DejaVu Sans'"
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from typing import TYPE_CHECKING

from renoscore._optional import import_optional
from renoscore.errors import MissingFontWarning

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CJK_CHAR",
    "CJK_FONT_FAMILIES",
    "CSS_FONT_STACK",
    "MissingFontWarning",
    "apply_fonts",
    "cjk_font",
    "figure_svg",
    "font_families",
]

#: A character of Chinese, Japanese or Korean text.
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")

#: CJK font families tried, in order (Linux packages first, then Windows and macOS fonts).
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Arial Unicode MS",
)

#: The font-family written into SVG text: the browser falls back glyph by glyph along it.
CSS_FONT_STACK = (
    "'DejaVu Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', "
    "'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', Arial, Helvetica, sans-serif"
)

_CJK_FILE = re.compile(
    r"(cjk|wqy|wenquanyi|droidsansfallback|sourcehan|simhei|msyh|yahei|pingfang|uming|ukai|notosanssc)",
    re.IGNORECASE,
)


@functools.cache
def cjk_font() -> str | None:
    """The first CJK font family matplotlib can use, or None.

    Looks in matplotlib's font list first; when none of :data:`CJK_FONT_FAMILIES` is there,
    searches the system font folders once for CJK font files (Noto CJK, WenQuanYi, Source Han,
    YaHei, ...) and registers them with matplotlib, so that a font installed after matplotlib
    built its cache is still found.

    Returns
    -------
    str or None
        A font family name, e.g. ``"Noto Sans CJK SC"``.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    fm = import_optional("matplotlib.font_manager", "CJK labels in charts")

    def registered() -> str | None:
        names = {f.name for f in fm.fontManager.ttflist}
        return next((n for n in CJK_FONT_FAMILIES if n in names), None)

    found = registered()
    if found is not None:
        return found
    for path in fm.findSystemFonts(fontext="ttf") + fm.findSystemFonts(fontext="otf"):
        if _CJK_FILE.search(path.replace("-", "").replace("_", "")):
            try:
                fm.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # unreadable font file: skip it
                continue
    return registered()


def font_families() -> list[str]:
    """Font families for chart text: ``DejaVu Sans`` then a CJK font when there is one.

    Examples
    --------
    >>> font_families()[0]
    'DejaVu Sans'
    """
    cjk = cjk_font()
    return ["DejaVu Sans"] if cjk is None else ["DejaVu Sans", cjk]


def apply_fonts(fig: Figure, *, stacklevel: int = 2) -> None:
    """Set the font list on every text of a figure; warn when CJK text has no font.

    ``stacklevel`` is that of :func:`warnings.warn` for the :class:`MissingFontWarning`
    (2: the line that called this function).
    """
    text_cls = import_optional("matplotlib.text", "charts").Text
    families = font_families()
    has_cjk = False
    for t in fig.findobj(text_cls):
        t.set_fontfamily(families)
        has_cjk = has_cjk or bool(CJK_CHAR.search(t.get_text()))
    if has_cjk and len(families) == 1:
        warnings.warn(
            "no CJK font found: Chinese labels in this chart will show as boxes when it is "
            "drawn as an image. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk or "
            "fonts-wqy-microhei; Windows and macOS have one). The HTML report keeps chart text "
            "as SVG text, which the browser draws with its own fonts.",
            MissingFontWarning,
            stacklevel=stacklevel,
        )


def figure_svg(fig: Figure) -> str:
    """The figure as an inline ``<svg>`` element whose text stays text.

    Text is written as ``<text>`` (``svg.fonttype = "none"``) with the font stack
    :data:`CSS_FONT_STACK`, so the browser draws Chinese with whatever CJK font it has, and
    the labels can be selected, searched and read by screen readers. The XML prolog, DOCTYPE
    and metadata are dropped (they are not allowed inside HTML), ids are made from a fixed
    salt so the output is repeatable, and the element scales to its container.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str
        ``<svg ...>...</svg>``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().set_title("设施")
    >>> svg = figure_svg(fig)
    >>> svg.startswith("<svg") and ">设施</text>" in svg
    True
    """
    mpl = import_optional("matplotlib", "charts")
    buf = io.StringIO()
    with (
        mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "renoscore"}),
        warnings.catch_warnings(),
    ):
        # Layout uses DejaVu's metrics for glyphs it lacks; the browser draws them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"font-family: [^;\"]*", lambda _: "font-family: " + CSS_FONT_STACK, svg)
    svg = re.sub(
        r'<svg ([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt"',
        lambda m: (
            f'<svg {m.group(1)}width="{m.group(2)}pt" height="{m.group(3)}pt" '
            'preserveAspectRatio="xMidYMid meet" style="max-width: 100%; height: auto"'
        ),
        svg,
        count=1,
    )
    return svg.strip()
