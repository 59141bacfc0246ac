"""Text for displays: the survey results' plain-text tables and their numbers.

The ``table()`` methods of the survey results print through :func:`text_table`; the IPA table
and its HTML section show numbers through :func:`number_text`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["number_text", "text_table"]


def text_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, a rule under the header, no trailing spaces.

    Examples
    --------
    >>> print(text_table(["scale", "n"], [["trust", "31"], ["belonging", "7"]]))
    scale      n
    ---------  --
    trust      31
    belonging  7
    """
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(line.rstrip() for line in lines)


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
