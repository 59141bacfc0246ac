"""Charts of weights: the hierarchy as nested bars or a sunburst (``weights.plot``).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.plot import WeightsPlots
>>> ax = WeightsPlots(rs.derive_weights(rs.default_system())).sunburst()
>>> ax.name
'polar'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import numpy as np

from renoscore._optional import import_optional
from renoscore.errors import OptionError, Problem
from renoscore.plot._common import finished, new_axes, polar_axes, word, wrap_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

__all__ = ["WeightsPlots"]


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
        Every node's local weights, from which the global weights follow.

    Examples
    --------
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
            The Axes drawn on: ``ax``, or the one of a new figure when ``ax`` is None (in a
            notebook the figure shows itself).

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
            ax = new_axes(size=(7.0, 0.8 + 0.2 * max(len(rows), 3)))
        y = np.arange(len(rows))
        ax.barh(y, [g[n] for n, _ in rows], color=[colors[n] for n, _ in rows], height=0.8)
        labels = [wrap_label(self._label(n, system, lang), 48).replace("\n", " ") for n, _ in rows]
        ax.set_yticks(y, labels)
        for tick, (n, _) in zip(ax.get_yticklabels(), rows, strict=True):
            if n in children:
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", labelsize=7 if len(rows) > 25 else 9)
        for yy, (n, _) in zip(y, rows, strict=True):
            ax.text(g[n], float(yy), f" {g[n]:.3f}", va="center", fontsize=6.5, color="0.25")
        ax.invert_yaxis()
        ax.set_xlabel(word(lang, "global"))
        ax.set_xlim(0.0, max(g[n] for n, _ in rows) * 1.18)
        ax.set_title(word(lang, "weights"))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return finished(ax)

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
        ax = polar_axes(ax, (7.0, 7.0), "a sunburst")
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
                        wrap_label(text, 14 if inner else 22) + f"\n{g[child]:.1%}",
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
        ax.set_title(word(lang, "weights"))
        return finished(ax)
