"""Amounts of money in 元, 万元 and 亿元: parsed strictly, written readably.

``"3000万"`` is 30,000,000 yuan; ``"1.2亿元"`` is 120,000,000; ``"850000"`` and ``"850,000元"``
are 850,000. The money units and their sizes are those of the unit model
(:data:`renoscore.system.units.UNITS`: ``yuan``, ``10k yuan``, ``100m yuan`` and their
spellings), the same that convert ``1.5万元`` in a data cell. Anything else — a unit that is not
money (``"3000w"``, ``"30户"``), two units, a negative or empty amount, Chinese numerals — is
refused with the fix, never guessed.

Examples
--------
>>> parse_amount("3000万"), parse_amount("1.2亿元"), parse_amount("850,000 元")
(30000000.0, 120000000.0, 850000.0)
>>> format_amount(30_000_000, "zh"), format_amount(30_000_000, "en")
('3,000万元', '30 million yuan')
"""

from __future__ import annotations

import math
import re

from renoscore.errors import OptionError, Problem
from renoscore.system.units import normal_form, suffix_factors

__all__ = ["format_amount", "parse_amount", "yuan_factor"]

_AMOUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(\D*)$")


def yuan_factor(suffix: str) -> float | None:
    """Yuan in one of the money unit ``suffix`` names (``"万"`` 10000; ``""`` 1), else None.

    Examples
    --------
    >>> yuan_factor("万元"), yuan_factor("亿"), yuan_factor(""), yuan_factor("w")
    (10000.0, 100000000.0, 1.0, None)
    """
    if not suffix.strip():
        return 1.0
    factor = suffix_factors("yuan").get(normal_form(suffix))
    return None if factor is None else float(factor)


def parse_amount(text: str | float | int, *, what: str = "amount") -> float:
    """An amount in yuan from a number or from text with 元, 万(元) or 亿(元).

    Parameters
    ----------
    text : str or number
        ``"3000万"``, ``"3,000万元"``, ``"0.3亿"``, ``"30000000"``, ``"30,000,000元"`` or a
        plain non-negative number (yuan).
    what : str
        What the amount is, named in the error (e.g. ``"--budget"``).

    Returns
    -------
    float
        Yuan.

    Raises
    ------
    OptionError
        Not an amount of this form, negative, or not finite.

    Examples
    --------
    >>> parse_amount("0.3亿") == parse_amount("3000万") == 3e7
    True
    >>> parse_amount("3000w")
    Traceback (most recent call last):
    ...
    renoscore.errors.OptionError: not an amount of money (1 problem)
      - input: amount '3000w' is not a number with 元, 万元 or 亿元 (value '3000w') -> write e.g. 3000万, 3000万元, 0.3亿 or 30000000
    """
    if isinstance(text, bool):
        raise _bad(text, what)
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _AMOUNT.match(str(text).strip())
        factor = None if match is None else yuan_factor(match.group(3))
        if match is None or factor is None:
            raise _bad(text, what)
        number = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        value = number * factor
    if not math.isfinite(value) or value < 0:
        raise _bad(text, what)
    return value


def _bad(text: object, what: str) -> OptionError:
    return OptionError(
        "not an amount of money",
        [
            Problem(
                f"{what} {text!r} is not a number with 元, 万元 or 亿元",
                value=text,
                fix="write e.g. 3000万, 3000万元, 0.3亿 or 30000000",
            )
        ],
    )


def format_amount(yuan: float, lang: str = "en") -> str:
    """An amount as people write it: 万元 / 亿元 in Chinese, thousand / million in English.

    Examples
    --------
    >>> format_amount(1_000_000, "zh"), format_amount(1_000_000, "en")
    ('100万元', '1 million yuan')
    >>> format_amount(2.5e8, "zh"), format_amount(12_345, "en")
    ('2.5亿元', '12,345 yuan')
    """
    if lang == "zh":
        if abs(yuan) >= 1e8:
            return f"{yuan / 1e8:,.4g}亿元"
        if abs(yuan) >= 1e4:
            return _wan(yuan)
        return f"{yuan:,.0f}元"
    if abs(yuan) >= 1e6:
        return f"{yuan / 1e6:,.6g} million yuan"
    return f"{yuan:,.0f} yuan"


def _wan(yuan: float) -> str:
    wan = yuan / 1e4
    text = f"{wan:,.2f}".rstrip("0").rstrip(".")
    return f"{text}万元"
