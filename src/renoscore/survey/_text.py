"""Text for displays: the survey results' plain-text tables and their numbers.

The ``table()`` methods of the survey results print through :func:`text_table` (the one
display-width table of :mod:`renoscore._display`, so Chinese names line up); the IPA table and
its HTML section show numbers through :func:`number_text`.
"""

from __future__ import annotations

import math

from renoscore._display import text_table

__all__ = ["number_text", "text_table"]


def number_text(x: float) -> str:
    """A number for a display: 3 decimals below 10, 1 above, ``-`` when not finite.

    Examples
    --------
    >>> number_text(0.25), number_text(72.0), number_text(float("nan"))
    ('0.250', '72.0', '-')
    """
    v = float(x)
    if not math.isfinite(v):
        return "-"
    return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
