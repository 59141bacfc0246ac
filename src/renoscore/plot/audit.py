"""Charts of an audit: effective importance against nominal weight, and the correlation heatmap.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.plot.audit import AuditPlots
>>> a = rs.audit(rs.default_system(), rs.example_data())
>>> ax = AuditPlots(a).importance()
>>> len(ax.collections[0].get_offsets()) == len(rs.default_system().indicators)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from renoscore.plot._common import finished, new_axes, wrap_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle

    from renoscore.audit import AuditResult

__all__ = ["AuditPlots"]

_WORDS = {
    "en": {
        "weight": "relative nominal weight",
        "importance": "relative main effect S_i (share of the sum)",
        "flagged": "flagged",
        "r": "Pearson r",
        "overall": "overall",
    },
    "zh": {
        "weight": "相对名义权重",
        "importance": "相对主效应 S_i（占总和比例）",
        "flagged": "审计提示",
        "r": "皮尔逊相关系数",
        "overall": "综合得分",
    },
}


class AuditPlots:
    """Charts of an :class:`~renoscore.audit.AuditResult` (``audit.plot``).

    ``importance()`` draws each indicator's relative main effect on the overall score against
    its relative nominal weight (Paruolo, Saisana & Saltelli 2013): on the diagonal an
    indicator counts as much as its weight says; outside the dashed band (a factor of
    ``importance_ratio``) it is flagged. ``heatmap()`` draws the Pearson correlation of every
    indicator score with every dimension and the overall score.
    """

    def __init__(self, audit: AuditResult) -> None:
        self._audit = audit

    def __call__(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """The importance chart (:meth:`importance`)."""
        return self.importance(ax, lang=lang)

    def importance(self, ax: Axes | None = None, *, lang: str = "en", label: bool = True) -> Axes:
        """Relative main effect against relative nominal weight, one point per indicator."""
        a = self._audit
        w = _WORDS["zh" if lang == "zh" else "en"]
        recs = [r for r in a.records("importance", lang) if r["level"] == "indicator"]
        ax = ax or new_axes(size=(6.5, 5.0))
        x = np.array([np.nan if r["w_rel"] is None else r["w_rel"] for r in recs])
        y = np.array([np.nan if r["S_rel"] is None else r["S_rel"] for r in recs])
        flagged = {f.subject for f in a.flags if f.section == "importance"}
        hit = np.array([r["node"] in flagged for r in recs])
        ax.scatter(x, y, c=np.where(hit, "#c0392b", "#2c7fb8"), s=22, zorder=3)
        top = float(np.nanmax(np.r_[x, y, 1e-3])) * 1.1
        line = np.linspace(0.0, top, 50)
        k = a.settings.importance_ratio
        ax.plot(line, line, color="0.4", lw=1)
        ax.plot(line, k * line, color="0.6", lw=0.8, ls="--")
        ax.plot(line, line / k, color="0.6", lw=0.8, ls="--")
        if label:
            show = a.name(lang)
            for xi, yi, r, h in zip(x, y, recs, hit, strict=True):
                if h:
                    ax.annotate(wrap_label(show(r["node"]), 18), (xi, yi), fontsize=7,
                                xytext=(3, 2), textcoords="offset points")  # fmt: skip
        ax.set_xlim(0.0, top)
        ax.set_ylim(0.0, top)
        ax.set_xlabel(w["weight"])
        ax.set_ylabel(w["importance"])
        return finished(ax)

    def heatmap(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Pearson r of each indicator score with each dimension and the overall score."""
        a = self._audit
        w = _WORDS["zh" if lang == "zh" else "en"]
        show = a.name(lang)
        col = {n: k for k, n in enumerate(a.node_ids)}
        targets = [d.id for d in a.system.dimensions if d.id in col] + [a.system.goal.id]
        rows = list(a.system.indicator_ids)
        R = a.correlations.pearson[np.ix_([col[r] for r in rows], [col[t] for t in targets])]
        ax = ax or new_axes(size=(5.5, max(4.0, 0.2 * len(rows) + 1.5)))
        image = ax.imshow(R, cmap="RdBu_r", vmin=-1.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(len(targets)))
        ax.set_xticklabels(
            [wrap_label(show(t), 12) for t in targets[:-1]] + [w["overall"]], fontsize=7
        )
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([show(r) for r in rows], fontsize=6)
        for i, ind in enumerate(rows):  # outline each indicator's own dimension
            own = a.system.dimension_of(ind)
            if own in targets:
                j = targets.index(own)
                ax.add_patch(_box(j, i))
        ax.figure.colorbar(image, ax=ax, label=w["r"], shrink=0.6)
        return finished(ax)


def _box(j: int, i: int) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=0.8, ec="black")
