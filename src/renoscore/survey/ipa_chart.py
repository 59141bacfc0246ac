"""The importance-performance chart and the report's HTML section (need matplotlib).

:func:`plot_ipa` draws one row of an :class:`~renoscore.survey.IPAResult` on a matplotlib
Figure (outside pyplot); :func:`ipa_html` wraps the IPA table and the chart (inline SVG) in a
self-contained ``<section>`` for the report (Martilla & James, 1977).

References
----------
Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. Journal of Marketing
41(1), 77-79.
"""

from __future__ import annotations

import io
import math
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from renoscore._format import short_number
from renoscore._optional import import_optional
from renoscore.survey.quadrants import QUADRANT_NAMES, QUADRANTS

if TYPE_CHECKING:
    from renoscore.survey.ipa import IPAResult

__all__ = ["ipa_html", "plot_ipa"]

_CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei",
              "WenQuanYi Zen Hei", "PingFang SC", "DejaVu Sans"]  # fmt: skip


def _cjk_font() -> dict[str, Any]:
    """Text properties naming the installed CJK fonts (none named if none is installed, so
    that matplotlib does not log a lookup failure per label)."""
    fm = import_optional("matplotlib.font_manager", "The importance-performance chart")
    installed = {f.name for f in fm.fontManager.ttflist}
    families = [f for f in _CJK_FONTS if f in installed]
    return {"fontfamily": families} if families else {}


def plot_ipa(
    ipa: IPAResult,
    fig: Any = None,
    *,
    row: int = 0,
    lang: str = "en",
    title: str | None = None,
) -> Any:
    """Draw the importance-performance grid of one row on a matplotlib Figure.

    Performance on the horizontal axis, importance on the vertical, the crosshair as dashed
    lines and the quadrant names in the corners (Martilla & James, 1977).

    Parameters
    ----------
    ipa : IPAResult
        The analysis.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (its first axes, created if there is none). By default a new
        Figure is made on the Agg canvas, outside pyplot, so that nothing is shown or kept in
        pyplot's figure list and the caller's backend is left alone.
    row : int, default 0
        Which row of the result.
    lang : {"en", "zh"}
        Labels in English or Chinese (Chinese needs a CJK font installed).
    title : str, optional
        The title (default: the row's name).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    MissingDependencyError
        If matplotlib is not installed (``pip install 'renoscore[plot]'``).

    References
    ----------
    Martilla & James (1977).

    Examples
    --------
    >>> from renoscore.survey.ipa import importance_performance
    >>> res = importance_performance(["F", "S", "P"], [.5, .3, .2], [40, 80, 60])
    >>> fig = plot_ipa(res)
    >>> len(fig.axes[0].collections)  # one marker per attribute
    3
    """
    figure_mod = import_optional("matplotlib.figure", "The importance-performance chart")
    if fig is None:
        agg = import_optional("matplotlib.backends.backend_agg", "The importance-performance chart")
        fig = figure_mod.Figure(figsize=(6.4, 5.2), layout="constrained")
        agg.FigureCanvasAgg(fig)
    ax = fig.axes[0] if fig.axes else fig.add_subplot(1, 1, 1)
    x = ipa.performance[row]
    y = ipa.importance[row]
    xc, yc = float(ipa.performance_center[row]), float(ipa.importance_center[row])
    ok = np.isfinite(x) & np.isfinite(y)
    colours = ["#c0392b", "#27ae60", "#7f8c8d", "#2980b9"]
    font = _cjk_font() if lang == "zh" else {}
    for k in np.flatnonzero(ok).tolist():
        code = int(ipa.quadrant[row, k])
        ax.scatter([x[k]], [y[k]], s=46, color=colours[code] if code >= 0 else "black", zorder=3)
        ax.annotate(
            ipa.name(ipa.labels[k], lang),
            (x[k], y[k]),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=9,
            **font,
        )
    if ok.any():
        xs = np.append(x[ok], xc)
        ys = np.append(y[ok], yc)
        padx = max(float(np.ptp(xs)) * 0.15, 1e-6 + abs(xc) * 0.02)
        pady = max(float(np.ptp(ys)) * 0.15, 1e-6 + abs(yc) * 0.02)
        ax.set_xlim(float(xs.min()) - padx, float(xs.max()) + padx)
        ax.set_ylim(float(ys.min()) - pady, float(ys.max()) + pady)
    ax.axvline(xc, color="0.4", linestyle="--", linewidth=1)
    ax.axhline(yc, color="0.4", linestyle="--", linewidth=1)
    corners = {
        "concentrate_here": (0.02, 0.98, "left", "top"),
        "keep_up_the_good_work": (0.98, 0.98, "right", "top"),
        "low_priority": (0.02, 0.02, "left", "bottom"),
        "possible_overkill": (0.98, 0.02, "right", "bottom"),
    }
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx, cy, QUADRANT_NAMES[q][lang], transform=ax.transAxes, ha=ha, va=va,
            fontsize=9, color=colours[QUADRANTS.index(q)], alpha=0.8, **font,
        )  # fmt: skip
    ax.set_xlabel(ipa.performance_source if lang == "en" else f"表现 ({ipa.performance_source})",
                  **font)  # fmt: skip
    ax.set_ylabel(ipa.importance_source if lang == "en" else f"重要性 ({ipa.importance_source})",
                  **font)  # fmt: skip
    ax.set_title(title if title is not None else ipa.rows[row], **font)
    return fig


def ipa_html(
    ipa: IPAResult,
    *,
    row: int = 0,
    lang: str = "en",
    chart: bool = True,
    title: str | None = None,
) -> str:
    """An HTML ``<section>`` for the report: the IPA table and, optionally, the chart (SVG).

    The report builder calls this once per grid it shows; the section is self-contained (the
    chart is inline SVG, no external file).

    Parameters
    ----------
    ipa : IPAResult
        The analysis.
    row : int, default 0
        Which row of the result.
    lang : {"en", "zh"}
        Language of headings and names.
    chart : bool, default True
        Include the chart (needs matplotlib).
    title : str, optional
        The heading (default "Importance-performance analysis" / "重要性-表现分析").

    Returns
    -------
    str
        HTML text.

    Raises
    ------
    MissingDependencyError
        If ``chart`` is set and matplotlib is not installed.

    Examples
    --------
    >>> from renoscore.survey.ipa import importance_performance
    >>> res = importance_performance(["F", "S"], [.7, .3], [40, 90])
    >>> "Concentrate here" in ipa_html(res, chart=False)
    True
    """
    zh = lang == "zh"
    heading = title or ("重要性-表现分析 (IPA)" if zh else "Importance-performance analysis")
    head = (
        ["指标", "重要性", "表现", "象限"]
        if zh
        else ["Attribute", "Importance", "Performance", "Quadrant"]
    )
    recs = [r for r in ipa.records(lang) if r["row"] == ipa.rows[row]]
    order = sorted(
        recs,
        key=lambda r: (QUADRANTS.index(r["quadrant"]) if r["quadrant"] else 9,
                       -(r["importance"] or 0.0)),
    )  # fmt: skip
    body = "".join(
        "<tr>"
        f"<td>{escape(r['name'])}</td>"
        f"<td>{short_number(r['importance'] if r['importance'] is not None else math.nan)}</td>"
        f"<td>{short_number(r['performance'] if r['performance'] is not None else math.nan)}</td>"
        f"<td class='ipa-{r['quadrant'] or 'none'}'>{escape(r['quadrant_name'] or '-')}</td>"
        "</tr>"
        for r in order
    )
    caption = (
        f"{'十字线' if zh else 'Crosshair'} ({ipa.center}): "
        f"{'重要性' if zh else 'importance'} {short_number(ipa.importance_center[row])}, "
        f"{'表现' if zh else 'performance'} {short_number(ipa.performance_center[row])}. "
        f"{escape(ipa.importance_source)} / {escape(ipa.performance_source)}. "
        "Martilla &amp; James (1977)."
    )
    parts = [
        "<section class='renoscore-ipa'>",
        f"<h2>{escape(heading)}</h2>",
        f"<p>{escape(ipa.rows[row])}</p>",
        "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
        f"<tbody>{body}</tbody></table>",
        f"<p class='caption'>{caption}</p>",
    ]
    if chart:
        fig = plot_ipa(ipa, row=row, lang=lang)
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
        svg = buf.getvalue()
        svg = svg[svg.find("<svg") :]
        parts.append(f"<figure>{svg}</figure>")
    parts.append("</section>")
    return "\n".join(parts)
