"""Charts of results and weights (matplotlib, the ``plot`` extra).

``result.plot.radar("LY")``, ``result.plot.ranking(phase="t0")``,
``result.plot.grade_distribution()`` and ``weights.plot()`` (nested bars or a sunburst of the
hierarchy) each draw on a matplotlib ``Axes`` and return it: pass ``ax=`` to draw into a figure
of your own, or leave it out in a notebook to get a new figure.

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
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['before renovation', 'about one year after completion', 'about three years after completion']
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem, RenoscoreWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

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
]

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
_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


class MissingFontWarning(RenoscoreWarning):
    """Chinese text is drawn but no CJK font is available to matplotlib."""


# --------------------------------------------------------------------------- fonts
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


def _apply_fonts(fig: Figure) -> None:
    """Set the font list on every text of a figure; warn when CJK text has no font."""
    text_cls = import_optional("matplotlib.text", "charts").Text
    families = font_families()
    has_cjk = False
    for t in fig.findobj(text_cls):
        t.set_fontfamily(families)
        has_cjk = has_cjk or bool(_CJK_CHAR.search(t.get_text()))
    if has_cjk and len(families) == 1:
        warnings.warn(
            "no CJK font found: Chinese labels in this chart will show as boxes when it is "
            "drawn as an image. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk or "
            "fonts-wqy-microhei; Windows and macOS have one). The HTML report keeps chart text "
            "as SVG text, which the browser draws with its own fonts.",
            MissingFontWarning,
            stacklevel=3,
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


def grade_colors(n: int) -> list[tuple[float, ...]]:
    """``n`` colours from green (best grade) to red (worst), colour-blind safer than pure hues.

    Examples
    --------
    >>> len(grade_colors(4))
    4
    """
    cm = import_optional("matplotlib", "charts").colormaps["RdYlGn"]
    return [tuple(float(c) for c in cm(x)) for x in np.linspace(0.85, 0.15, max(n, 1))][:n]


def _new_axes(polar: bool = False, size: tuple[float, float] = (6.0, 4.0)) -> Axes:
    plt = import_optional("matplotlib.pyplot", "charts")
    fig = plt.figure(figsize=size, layout="constrained")
    ax: Axes = fig.add_subplot(projection="polar" if polar else None)
    return ax


def _wrap(text: str, width: int) -> str:
    # CJK text has no spaces to break at; it is short enough in the shipped systems.
    return text if _CJK_CHAR.search(text) else "\n".join(textwrap.wrap(text, width)) or text


_WORDS: dict[str, dict[str, str]] = {
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


def _word(lang: str, key: str) -> str:
    return _WORDS["zh" if lang == "zh" else "en"][key]


# --------------------------------------------------------------------------- results
class ResultPlots:
    """Charts of an :class:`~renoscore.EvaluationResult` (``result.plot``).

    Parameters
    ----------
    result : EvaluationResult

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import renoscore as rs
    >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> ax = result.plot.ranking(phase="t0", top=5)
    >>> len(ax.patches)
    5
    """

    def __init__(self, result: EvaluationResult) -> None:
        self._result = result

    def _phase_order(self) -> list[str | None]:
        present = list(dict.fromkeys(self._result.phases))
        order = {p: k for k, p in enumerate(self._result.system.phase_ids)}
        return sorted(present, key=lambda p: order.get(p, len(order)) if p is not None else -1)

    def _phase_name(self, phase: str | None, lang: str) -> str:
        if phase is None:
            return ""
        for ph in self._result.system.phases:
            if ph.id == phase:
                return ph.name.get(lang)
        return phase

    def _default_phase(self, phase: str | None) -> str | None:
        phases = self._phase_order()
        if phase is None:
            return phases[0] if phases else None
        if phase not in phases:
            raise OptionError(
                f"no rows in phase {phase!r}",
                [Problem("unknown phase", value=phase, fix=f"use one of {phases}")],
            )
        return phase

    def radar(
        self,
        community: str,
        phase: str | None = None,
        ax: Axes | None = None,
        *,
        nodes: Sequence[str] | None = None,
        lang: str = "en",
    ) -> Axes:
        """Radar chart of a community's dimension scores (0-100), one polygon per phase.

        Parameters
        ----------
        community : str
            Community id.
        phase : str, optional
            Draw only this phase; by default every phase of the community with at least three
            spokes measured, in the system's phase order (e.g. before and after renovation on
            one chart).
        ax : matplotlib Axes, optional
            A polar Axes (``fig.add_subplot(projection="polar")``) to draw on.
        nodes : sequence of str, optional
            The spokes: group or indicator ids (default: the system's dimensions).
        lang : {"en", "zh"}
            Label language.

        Returns
        -------
        matplotlib Axes

        Raises
        ------
        OptionError
            Unknown community or phase, or ``ax`` is not polar.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import renoscore as rs
        >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> len(r.plot.radar("LY", phase="t0").get_lines())
        1
        """
        res = self._result
        rows = [
            r
            for r, (i, p) in enumerate(zip(res.ids, res.phases, strict=True))
            if i == community and (phase is None or p == phase)
        ]
        if not rows:
            res.row(community, phase)  # raises, with a suggestion
        order = {p: k for k, p in enumerate(self._phase_order())}
        rows.sort(key=lambda r: order[res.phases[r]])
        spokes = list(nodes) if nodes is not None else [d.id for d in res.system.dimensions]
        if len(spokes) < 3:
            raise OptionError(
                "a radar chart needs at least three spokes",
                [Problem(f"{len(spokes)} node(s) given", fix="pass three or more node ids")],
            )
        values = np.column_stack([res.scores(n)[rows] for n in spokes])
        if phase is None and len(rows) > 1:
            # A phase that measures fewer than three spokes (e.g. mid-works, participation
            # only) is no polygon; it is left out unless asked for by name.
            keep = (~np.isnan(values)).sum(axis=1) >= 3
            if keep.any():
                rows = [r for r, k in zip(rows, keep.tolist(), strict=True) if k]
                values = values[keep]
        if ax is None:
            ax = _new_axes(polar=True, size=(5.5, 4.6))
        elif getattr(ax, "name", "") != "polar":
            raise OptionError(
                "radar needs a polar Axes",
                [Problem("cartesian Axes given", fix="fig.add_subplot(projection='polar')")],
            )
        angles = np.linspace(0.0, 2.0 * np.pi, len(spokes), endpoint=False)
        closed = np.append(angles, angles[0])
        colors = import_optional("matplotlib", "charts").colormaps["tab10"].colors
        for k, r in enumerate(rows):
            v = np.append(values[k], values[k, 0])
            label = self._phase_name(res.phases[r], lang) or community
            color = colors[k % len(colors)]
            ax.plot(closed, v, marker="o", linewidth=1.8, color=color, label=label)
            if not np.isnan(v).any():
                ax.fill(closed, v, color=color, alpha=0.12)
        ax.set_theta_offset(np.pi / 2.0)  # type: ignore[attr-defined]
        ax.set_theta_direction(-1)  # type: ignore[attr-defined]
        ax.set_xticks(angles, [_wrap(res.system.node(n).name.get(lang), 14) for n in spokes])
        ax.set_ylim(0.0, 100.0)
        ax.set_yticks([20.0, 40.0, 60.0, 80.0, 100.0], ["20", "40", "60", "80", "100"])
        ax.tick_params(axis="y", labelsize=7, colors="0.4")
        name = res.context.get("name")
        title = community
        if name is not None:
            title += f"  {name[rows[0]]}"
        if len(rows) == 1 and res.phases[rows[0]] is not None:
            title += f" ({self._phase_name(res.phases[rows[0]], lang)})"
        ax.set_title(title, pad=18)
        if len(rows) > 1:
            ax.legend(loc="upper right", bbox_to_anchor=(1.35, 1.12), fontsize=8, frameon=False)
        _apply_fonts(ax.figure)  # type: ignore[arg-type]
        return ax

    def ranking(
        self,
        phase: str | None = None,
        ax: Axes | None = None,
        *,
        top: int | None = 30,
        node: str | None = None,
        lang: str = "en",
    ) -> Axes:
        """Horizontal bars of the scores in rank order, coloured by grade, with the grade bands.

        Parameters
        ----------
        phase : str, optional
            The phase to rank (ranks are within a phase); default the first phase present in
            the system's phase order.
        ax : matplotlib Axes, optional
        top : int or None
            How many communities to show (None: all scored ones).
        node : str, optional
            A group id to rank on (default: the goal).
        lang : {"en", "zh"}

        Returns
        -------
        matplotlib Axes
        """
        res = self._result
        phase = self._default_phase(phase)
        col = 0 if node is None else res.group_ids.index(res.system.node(node).id)
        rows = np.array([r for r, p in enumerate(res.phases) if p == phase], dtype=np.intp)
        scores = res.group_scores[rows, col]
        ranks = res.ranks[rows, col]
        keep = ~np.isnan(scores)
        rows, scores, ranks = rows[keep], scores[keep], ranks[keep]
        order = np.lexsort((np.array([res.ids[r] for r in rows]), ranks))
        if top is not None:
            order = order[:top]
        rows, scores, ranks = rows[order], scores[order], ranks[order]
        grades = res.grades[rows, col]
        palette = grade_colors(len(res.system.grades))
        if ax is None:
            ax = _new_axes(size=(6.4, 0.8 + 0.24 * max(len(rows), 3)))
        y = np.arange(len(rows))
        ax.barh(y, scores, color=[palette[g] if g >= 0 else "0.7" for g in grades], height=0.75)
        ax.set_yticks(y, [f"{rk:.0f}. {res.ids[r]}" for rk, r in zip(ranks, rows, strict=True)])
        ax.tick_params(axis="y", labelsize=8 if len(rows) <= 40 else 6)
        ax.invert_yaxis()
        ax.set_xlim(0.0, 100.0)
        ax.set_xlabel(_word(lang, "score"))
        for band, color in zip(res.system.grades, palette, strict=True):
            if band.min > 0:
                ax.axvline(band.min, color=color, linestyle="--", linewidth=1)
                ax.text(
                    band.min,
                    1.0,
                    f" {band.name.get(lang)} ≥{band.min:g}",
                    transform=ax.get_xaxis_transform(),
                    fontsize=7,
                    va="bottom",
                    rotation=0,
                    color="0.25",
                )
        ax.set_title(
            f"{_word(lang, 'ranking')} — {self._phase_name(phase, lang)}".rstrip(" —"), pad=14
        )
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _apply_fonts(ax.figure)  # type: ignore[arg-type]
        return ax

    def grade_distribution(
        self, phase: str | None = None, ax: Axes | None = None, *, lang: str = "en"
    ) -> Axes:
        """Bars of how many communities got each grade, one bar per phase within a grade.

        Parameters
        ----------
        phase : str, optional
            Only this phase (default: every phase present).
        ax : matplotlib Axes, optional
        lang : {"en", "zh"}

        Returns
        -------
        matplotlib Axes
        """
        res = self._result
        phases = [self._default_phase(phase)] if phase is not None else self._phase_order()
        counts = self.grade_counts(phases)
        labels = [g.name.get(lang) for g in res.system.grades] + [_word(lang, "not_scored")]
        if ax is None:
            ax = _new_axes(size=(6.0, 3.4))
        x = np.arange(len(labels), dtype=np.float64)
        width = 0.8 / max(len(phases), 1)
        colors = import_optional("matplotlib", "charts").colormaps["tab10"].colors
        for k, (p, row) in enumerate(zip(phases, counts, strict=True)):
            pos = x - 0.4 + width * (k + 0.5)
            bars = ax.bar(
                pos,
                row,
                width=width * 0.95,
                color=colors[k % len(colors)],
                label=self._phase_name(p, lang) or _word(lang, "all"),
            )
            ax.bar_label(bars, fontsize=7, padding=1)
        ax.set_xticks(x, labels)
        ax.set_ylabel(_word(lang, "communities"))
        ax.set_title(_word(lang, "grades"))
        if len(phases) > 1:
            ax.legend(fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _apply_fonts(ax.figure)  # type: ignore[arg-type]
        return ax

    def grade_counts(self, phases: Sequence[str | None]) -> NDArray[np.int64]:
        """Counts of rows per phase (rows) and grade (columns, best first, then not scored).

        Examples
        --------
        >>> import renoscore as rs
        >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> int(r.plot.grade_counts(["t0"]).sum()) == r.phases.count("t0")
        True
        """
        res = self._result
        n = len(res.system.grades)
        g = res.grades[:, 0]
        phase_arr = np.array(res.phases, dtype=object)
        out = np.zeros((len(phases), n + 1), dtype=np.int64)
        for k, p in enumerate(phases):
            sel = g[phase_arr == p]
            out[k] = np.bincount(np.where(sel < 0, n, sel), minlength=n + 1)
        return out


# --------------------------------------------------------------------------- weights
def _tree(weights: Weights) -> tuple[list[str], dict[str, list[tuple[str, float]]]]:
    children = {n: list(zip(nw.children, nw.local, strict=True)) for n, nw in weights.nodes.items()}
    kids = {c for v in children.values() for c, _ in v}
    roots = [n for n in weights.nodes if n not in kids]
    return roots, children


def _walk(
    node: str, children: dict[str, list[tuple[str, float]]], depth: int = 0
) -> Iterator[tuple[str, int]]:
    yield node, depth
    for c, _ in children.get(node, []):
        yield from _walk(c, children, depth + 1)


class WeightsPlots:
    """Charts of :class:`~renoscore.Weights` (``weights.plot``).

    Calling it (``weights.plot()``) draws the hierarchy; ``kind="bars"`` (default) gives
    nested horizontal bars of the global weights (each dimension, then its indicators,
    indented), ``kind="sunburst"`` gives rings (dimensions inside, indicators outside), the
    angle of each piece proportional to its global weight.

    Parameters
    ----------
    weights : Weights

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import renoscore as rs
    >>> w = rs.derive_weights(rs.default_system())
    >>> ax = w.plot(system=rs.default_system())
    >>> len(ax.patches) == len(w.global_weights()) - 1
    True
    """

    def __init__(self, weights: Weights) -> None:
        self._weights = weights

    def __call__(
        self,
        kind: Literal["bars", "sunburst"] = "bars",
        ax: Axes | None = None,
        *,
        system: IndicatorSystem | None = None,
        lang: str = "en",
        min_label: float = 0.015,
    ) -> Axes:
        """Draw the weight hierarchy.

        Parameters
        ----------
        kind : {"bars", "sunburst"}
        ax : matplotlib Axes, optional
            For ``sunburst`` a polar Axes.
        system : IndicatorSystem, optional
            Gives the nodes' names (default: their ids).
        lang : {"en", "zh"}
        min_label : float
            Sunburst pieces with a global weight below this are left unlabelled.

        Returns
        -------
        matplotlib Axes

        Raises
        ------
        OptionError
            Unknown ``kind``, or a cartesian Axes for a sunburst.
        """
        if kind == "bars":
            return self.bars(ax, system=system, lang=lang)
        if kind == "sunburst":
            return self.sunburst(ax, system=system, lang=lang, min_label=min_label)
        raise OptionError(
            f"unknown chart kind {kind!r}", [Problem("unknown kind", fix="use bars or sunburst")]
        )

    def _label(self, node: str, system: IndicatorSystem | None, lang: str) -> str:
        if system is None:
            return node
        try:
            return system.node(node).name.get(lang)
        except Exception:  # weights of another version: fall back to the id
            return node

    def _colors(
        self, roots: list[str], children: dict[str, list[tuple[str, float]]]
    ) -> dict[str, tuple[float, ...]]:
        cm = import_optional("matplotlib", "charts").colormaps["tab10"]
        out: dict[str, tuple[float, ...]] = {}
        tops = [c for r in roots for c, _ in children.get(r, [])]
        for k, top in enumerate(tops):
            base = np.array(cm(k % 10))
            for node, depth in _walk(top, children):
                mix = min(0.55, 0.28 * depth)
                out[node] = tuple(float(x) for x in base * (1 - mix) + mix)
        return out

    def bars(
        self, ax: Axes | None = None, *, system: IndicatorSystem | None = None, lang: str = "en"
    ) -> Axes:
        """Nested horizontal bars of every node's global weight (see :meth:`__call__`)."""
        roots, children = _tree(self._weights)
        g = self._weights.global_weights()
        colors = self._colors(roots, children)
        rows = [(n, d) for r in roots for n, d in _walk(r, children) if d > 0]
        if ax is None:
            ax = _new_axes(size=(7.0, 0.8 + 0.2 * max(len(rows), 3)))
        y = np.arange(len(rows))
        ax.barh(y, [g[n] for n, _ in rows], color=[colors[n] for n, _ in rows], height=0.8)
        labels = [_wrap(self._label(n, system, lang), 48).replace("\n", " ") for n, _ in rows]
        ax.set_yticks(y, labels)
        for tick, (n, _) in zip(ax.get_yticklabels(), rows, strict=True):
            if n in children:
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", labelsize=7 if len(rows) > 25 else 9)
        for yy, (n, _) in zip(y, rows, strict=True):
            ax.text(g[n], float(yy), f" {g[n]:.3f}", va="center", fontsize=6.5, color="0.25")
        ax.invert_yaxis()
        ax.set_xlabel(_word(lang, "global"))
        ax.set_xlim(0.0, max(g[n] for n, _ in rows) * 1.18)
        ax.set_title(_word(lang, "weights"))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _apply_fonts(ax.figure)  # type: ignore[arg-type]
        return ax

    def sunburst(
        self,
        ax: Axes | None = None,
        *,
        system: IndicatorSystem | None = None,
        lang: str = "en",
        min_label: float = 0.015,
    ) -> Axes:
        """Rings of global weights, the goal's children inside (see :meth:`__call__`)."""
        roots, children = _tree(self._weights)
        g = self._weights.global_weights()
        colors = self._colors(roots, children)
        if ax is None:
            ax = _new_axes(polar=True, size=(7.0, 7.0))
        elif getattr(ax, "name", "") != "polar":
            raise OptionError(
                "a sunburst needs a polar Axes",
                [Problem("cartesian Axes given", fix="fig.add_subplot(projection='polar')")],
            )
        total = sum(g[r] for r in roots)

        def draw(node: str, start: float, depth: int) -> None:
            for child, _ in children.get(node, []):
                width = 2.0 * np.pi * g[child] / total
                ax.bar(
                    start + width / 2.0,
                    0.95,
                    width=width,
                    bottom=depth + 0.4,
                    color=colors[child],
                    edgecolor="white",
                    linewidth=0.8,
                )
                if g[child] / total >= min_label:
                    angle = np.degrees(start + width / 2.0)
                    inner = depth == 0
                    rot = 0.0 if inner else (90.0 - angle) % 360.0
                    if 90.0 < rot < 270.0:
                        rot -= 180.0
                    text = self._label(child, system, lang)
                    ax.text(
                        start + width / 2.0,
                        depth + 0.88,
                        _wrap(text, 14 if inner else 22) + f"\n{g[child]:.1%}",
                        ha="center",
                        va="center",
                        rotation=rot,
                        rotation_mode="anchor",
                        fontsize=8 if inner else 5.5,
                    )
                draw(child, start, depth + 1)
                start += width

        angle0 = 0.0
        for r in roots:
            draw(r, angle0, 0)
            angle0 += 2.0 * np.pi * g[r] / total
        ax.set_theta_offset(np.pi / 2.0)  # type: ignore[attr-defined]
        ax.set_theta_direction(-1)  # type: ignore[attr-defined]
        ax.set_axis_off()
        ax.set_title(_word(lang, "weights"))
        _apply_fonts(ax.figure)  # type: ignore[arg-type]
        return ax
