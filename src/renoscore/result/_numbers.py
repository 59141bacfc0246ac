"""Numbers of a result as plain data: NaN becomes None (JSON null, an empty table cell).

Examples
--------
>>> optional_float(float("nan")), optional_float(1)
(None, 1.0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["nested_lists", "optional_float"]


def optional_float(x: float) -> float | None:
    """``x`` as a float, or None when it is NaN (or None)."""
    return (
        None
        if x is None
        or (isinstance(x, float) and math.isnan(x))
        or (hasattr(x, "dtype") and np.isnan(x))
        else float(x)
    )


def nested_lists(a: NDArray[np.floating[Any]]) -> list[list[float | None]]:
    """A matrix as lists of rows, NaN as None."""
    return [[None if math.isnan(v) else v for v in row] for row in a.tolist()]
