"""Tables as records: one mapping per row, every value a plain Python value (NaN -> None)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["Records", "clean_value"]

#: A table: one dict per row, keys are column names.
Records = list[dict[str, Any]]


def clean_value(v: Any) -> Any:
    """Plain Python values; NaN becomes None."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v
