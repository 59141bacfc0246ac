"""How numbers read in the report's cells: fixed digits, a dash for nothing, percentages.

Examples
--------
>>> from renoscore.report._cells import number, percent
>>> number(61.25), number(2.0, 1, sign=True), number(float("nan")), percent(0.875)
('61.2', '+2.0', '–', '88%')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["number", "percent"]


def number(x: Any, digits: int = 1, sign: bool = False) -> str:
    """A float with ``digits`` decimals (``sign``: always signed); None and NaN read "–"."""
    if x is None:
        return "–"
    if isinstance(x, (float, np.floating)):
        if math.isnan(float(x)):
            return "–"
        return f"{float(x):+.{digits}f}" if sign else f"{float(x):.{digits}f}"
    return str(x)


def percent(x: float | None, digits: int = 0) -> str:
    """A share (0.5) as a percentage ("50%"); None and NaN read "–"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100.0 * x:.{digits}f}%"
