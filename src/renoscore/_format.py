"""Numbers as people and files read them: the one home of every display format of a number.

Two kinds of "nothing" are shown: the report's document cells write an en dash (``–``) where
there is no number, plain-text tables and messages write a hyphen (``-``). Plain values for
JSON and tables turn NaN into None.

* messages about a system or data: :func:`plain_number` (``0`` rather than ``0.0``, None is
  ``open``);
* the report's cells: :func:`cell_number`, :func:`cell_percent`;
* plain-text tables of a terminal: :func:`text_number`, :func:`text_percent`,
  :func:`short_number` and :func:`quantile_text`;
* plain values: :func:`optional_float`, :func:`finite_or_none`, :func:`nested_lists`.

Examples
--------
>>> cell_number(61.25), cell_number(2.0, sign=True), cell_number(None), cell_percent(0.875)
('61.2', '+2.0', '–', '88%')
>>> text_number(None), text_number(72.04), text_number(3.0, "+.1f"), text_percent(0.5)
('-', '72.0', '+3.0', '50%')
>>> plain_number(0.0), plain_number(None), short_number(0.25), short_number(72.0)
('0', 'open', '0.250', '72.0')
>>> optional_float(float("nan")), finite_or_none(float("inf")), optional_float(1)
(None, None, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "cell_number",
    "cell_percent",
    "finite_or_none",
    "nested_lists",
    "optional_float",
    "plain_number",
    "quantile_text",
    "short_number",
    "text_number",
    "text_percent",
]


def plain_number(value: float | None) -> str:
    """A number as a reader would write it: 0 rather than 0.0, None as 'open'.

    Examples
    --------
    >>> plain_number(0.0), plain_number(1e301), plain_number(None)
    ('0', '1e+301', 'open')
    """
    return "open" if value is None else f"{value:g}"


def cell_number(x: Any, digits: int = 1, sign: bool = False) -> str:
    """A float with ``digits`` decimals (``sign``: always signed); None and NaN read "–".

    Anything that is not a float (an int, a text) reads as its ``str``.

    Examples
    --------
    >>> cell_number(0.12345, 4), cell_number(-1.0, sign=True), cell_number(float("nan")), cell_number(3)
    ('0.1235', '-1.0', '–', '3')
    """
    if x is None:
        return "–"
    if isinstance(x, (float, np.floating)):
        if math.isnan(float(x)):
            return "–"
        return f"{float(x):+.{digits}f}" if sign else f"{float(x):.{digits}f}"
    return str(x)


def cell_percent(x: float | None, digits: int = 0) -> str:
    """A share (0.5) as a percentage ("50%"); None and NaN read "–".

    Examples
    --------
    >>> cell_percent(0.5), cell_percent(0.8567, 1), cell_percent(None)
    ('50%', '85.7%', '–')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100.0 * x:.{digits}f}%"


def text_number(x: float | None, spec: str = ".1f") -> str:
    """A number in the format ``spec`` for a plain-text table; "-" when None or not finite.

    Examples
    --------
    >>> text_number(0.12345, ".3f"), text_number(2.0, "+.1f"), text_number(7.0, "g")
    ('0.123', '+2.0', '7')
    >>> text_number(None), text_number(float("nan"))
    ('-', '-')
    """
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x:{spec}}"


def text_percent(x: float | None, digits: int = 0) -> str:
    """A share (0.25) as a percentage ("25%") for a plain-text table; "-" when None.

    Examples
    --------
    >>> text_percent(0.25), text_percent(0.1234, 1), text_percent(None)
    ('25%', '12.3%', '-')
    """
    if x is None:
        return "-"
    return f"{100 * x:.{digits}f}%"


def short_number(x: float) -> str:
    """A number for a display: 3 decimals below 10, 1 above, ``-`` when not finite.

    Examples
    --------
    >>> short_number(0.25), short_number(72.0), short_number(float("nan"))
    ('0.250', '72.0', '-')
    """
    v = float(x)
    if not math.isfinite(v):
        return "-"
    return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"


def quantile_text(q: Mapping[str, float | None], spec: str = ".3f") -> str:
    """The median and the 5-95 % range of a statistic over draws; "-" when there is none.

    ``q`` has the keys ``median``, ``p05`` and ``p95``.

    Examples
    --------
    >>> quantile_text({"median": 0.9, "p05": 0.81, "p95": 0.97})
    '0.900 (0.810-0.970)'
    >>> quantile_text({"median": 1.5, "p05": 0.5, "p95": 3.0}, ".2f")
    '1.50 (0.50-3.00)'
    >>> quantile_text({"median": None, "p05": None, "p95": None})
    '-'
    """
    if q["median"] is None:
        return "-"
    return f"{q['median']:{spec}} ({q['p05']:{spec}}-{q['p95']:{spec}})"


def optional_float(x: float) -> float | None:
    """``x`` as a float, or None when it is NaN (or None).

    Examples
    --------
    >>> optional_float(np.float32(2.5)), optional_float(np.nan), optional_float(None)
    (2.5, None, None)
    """
    return (
        None
        if x is None
        or (isinstance(x, float) and math.isnan(x))
        or (hasattr(x, "dtype") and np.isnan(x))
        else float(x)
    )


def finite_or_none(x: Any) -> float | None:
    """``x`` as a float, or None when it is None, NaN or infinite.

    Examples
    --------
    >>> finite_or_none(np.float64(0.5)), finite_or_none(-np.inf), finite_or_none(3)
    (0.5, None, 3.0)
    >>> finite_or_none(None) is None
    True
    """
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def nested_lists(a: NDArray[np.floating[Any]]) -> list[list[float | None]]:
    """A matrix as lists of rows, NaN as None.

    Examples
    --------
    >>> nested_lists(np.array([[1.0, np.nan], [0.5, 2.0]]))
    [[1.0, None], [0.5, 2.0]]
    """
    return [[None if math.isnan(v) else v for v in row] for row in a.tolist()]
