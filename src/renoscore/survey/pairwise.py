"""Residents' pairwise answers: the column of each pair, the answer codings, answers as ratios.

Survey tools export an AHP question as one column per pair of criteria (:func:`pair_columns`
names them). An answer is coded one of :data:`PAIR_CODINGS` ways (``coding=``); for the column
of the pair ``(a, b)``:

===============  ======================================================================  ============
coding           answer                                                                  a over b
===============  ======================================================================  ============
``"signed"``     ``v`` in 1..9 when ``a`` is preferred, ``-v`` when ``b`` is; 1 or -1 equal  ``v`` / ``1/v``
``"ratio"``      the ratio itself: 5, 1, 1/3 (text fractions allowed), in [1/9, 9]          as written
``"position"``   the box ticked on a two-sided 17-point row, 1 (a extremely) .. 9 (equal)   ``10 - p`` for
                 .. 17 (b extremely), as exported by most Chinese survey platforms          p <= 9, else
                                                                                           ``1/(p - 8)``
``"centered"``   -8..8 with 0 for equal: ``c > 0`` prefers ``a``, ``c < 0`` prefers ``b``    ``1 + c`` /
                                                                                           ``1/(1 - c)``
===============  ======================================================================  ============

:func:`decode_judgements` turns coded answers into ratios ``a_ab`` on Saaty's scale
(Saaty, 1980); :func:`parse_pairs` reads the pair columns of a respondent table, every invalid
answer a located problem.

References
----------
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._cells import CellStatus, parse_numeric
from renoscore._validation import suggest
from renoscore.errors import OptionError, Problem
from renoscore.survey.read import SurveyResponses

__all__ = [
    "DEFAULT_PATTERN",
    "PAIR_CODINGS",
    "check_coding",
    "decode_judgements",
    "pair_columns",
    "parse_pairs",
]

FloatArray = NDArray[np.float64]

#: The answer codings :func:`~renoscore.survey.resident_ahp` reads (see the module docstring).
PAIR_CODINGS: tuple[str, ...] = ("signed", "ratio", "position", "centered")

#: Default column name of the pair (a, b): ``ahp_facilities_vs_public_services``.
DEFAULT_PATTERN = "ahp_{a}_vs_{b}"

# Judgements on Saaty's scale [1/9, 9], with room for typed reciprocals such as 0.111.
_SCALE_TOL = 1e-2


def check_coding(coding: str) -> None:
    """Refuse an answer coding that is not one of :data:`PAIR_CODINGS`."""
    if coding not in PAIR_CODINGS:
        raise OptionError(
            "unknown answer coding",
            [
                Problem(
                    repr(coding),
                    fix=suggest(str(coding), PAIR_CODINGS) or f"use one of {list(PAIR_CODINGS)}",
                )
            ],
        )


def pair_columns(
    criteria: Sequence[str], pattern: str = DEFAULT_PATTERN
) -> dict[str, tuple[str, str]]:
    """Column name of every pair ``(a, b)`` with ``a`` before ``b`` in ``criteria``.

    Parameters
    ----------
    criteria : sequence of str
        The criteria compared, in order.
    pattern : str, default "ahp_{a}_vs_{b}"
        A format string with the fields ``{a}`` and ``{b}``.

    Returns
    -------
    dict
        ``{column: (a, b)}`` in the order of the upper triangle.

    Examples
    --------
    >>> pair_columns(["f", "s", "p"])
    {'ahp_f_vs_s': ('f', 's'), 'ahp_f_vs_p': ('f', 'p'), 'ahp_s_vs_p': ('s', 'p')}
    """
    if "{a}" not in pattern or "{b}" not in pattern:
        raise OptionError(
            "invalid pair-column pattern",
            [Problem(repr(pattern), fix="use the fields {a} and {b}, e.g. 'ahp_{a}_vs_{b}'")],
        )
    crit = list(criteria)
    return {
        pattern.format(a=crit[i], b=crit[j]): (crit[i], crit[j])
        for i in range(len(crit))
        for j in range(i + 1, len(crit))
    }


def decode_judgements(
    values: ArrayLike, coding: Literal["signed", "ratio", "position", "centered"] | str = "signed"
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Turn coded questionnaire answers into ratios ``a_ab`` (how much ``a`` outranks ``b``).

    ``signed``: ``v`` for ``v >= 1``, ``1 / |v|`` for ``v <= -1`` (Saaty's 1-9 scale, Saaty,
    1980, with the sign naming the preferred side); ``ratio``: the value itself;
    ``position`` (two-sided 17-point row): ``10 - p`` for ``p <= 9``, ``1 / (p - 8)`` for
    ``p >= 9``; ``centered``: ``1 + c`` for ``c >= 0``, ``1 / (1 - c)`` for ``c < 0``.

    Parameters
    ----------
    values : array_like of float
        Answers, NaN where not answered.
    coding : str, default "signed"
        One of :data:`PAIR_CODINGS`.

    Returns
    -------
    ratios : ndarray
        Judgements (NaN where not answered or invalid).
    valid : ndarray of bool
        False where an answer was given but is not a valid code.

    Examples
    --------
    >>> r, ok = decode_judgements([3, -5, 1, -1, 0])
    >>> r.round(3).tolist(), ok.tolist()
    ([3.0, 0.2, 1.0, 1.0, nan], [True, True, True, True, False])
    >>> decode_judgements([1, 9, 17], "position")[0].round(3).tolist()
    [9.0, 1.0, 0.111]
    """
    check_coding(coding)
    v = np.asarray(values, dtype=np.float64)
    given = np.isfinite(v)
    x = np.where(given, v, 1.0)
    whole = x == np.round(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if coding == "signed":
            valid = (np.abs(x) >= 1.0) & (np.abs(x) <= 9.0)
            ratio = np.where(x > 0, x, 1.0 / np.abs(x))
        elif coding == "ratio":
            valid = (x >= 1.0 / 9.0 * (1 - _SCALE_TOL)) & (x <= 9.0 * (1 + _SCALE_TOL))
            ratio = x
        elif coding == "position":
            valid = whole & (x >= 1) & (x <= 17)
            ratio = np.where(x <= 9, 10.0 - x, 1.0 / (x - 8.0))
        else:
            valid = whole & (x >= -8) & (x <= 8)
            ratio = np.where(x >= 0, 1.0 + x, 1.0 / (1.0 - x))
    ok = given & valid
    return np.where(ok, ratio, np.nan), ~given | valid


def parse_pairs(
    table: SurveyResponses, columns: Sequence[str], coding: str, problems: list[Problem]
) -> FloatArray:
    """The answers of every pair column as ratios, shape (R, P), NaN where not answered."""
    out = np.full((table.n, len(columns)), np.nan)
    fix_text = {
        "signed": "write 1..9 if the left criterion matters more, -1..-9 if the right one does",
        "ratio": "write a ratio between 1/9 and 9 (e.g. 3 or 1/3)",
        "position": "write the box ticked, 1 (left extremely more important) .. 9 (equal) .. 17",
        "centered": "write -8..8, 0 for equal importance",
    }[coding]
    for p, col in enumerate(columns):
        values, status, bad = parse_numeric(np.asarray(table.columns[col]))
        if coding == "ratio" and bad:
            # Ratios are often exported as text fractions ("1/3"): read those exactly.
            still = []
            for r, raw, reason, fix in bad:
                try:
                    values[r] = float(Fraction(str(raw).replace(" ", "")))
                    status[r] = CellStatus.OK
                except (ValueError, ZeroDivisionError):
                    still.append((r, raw, reason, fix))
            bad = still
        for r, raw, _reason, _fix in bad:
            problems.append(
                Problem(
                    "not a valid pairwise answer",
                    column=col,
                    value=raw,
                    fix=fix_text,
                    **table.where(r),
                )
            )
        given = (status == CellStatus.OK) & np.isfinite(values)
        ratio, valid = decode_judgements(np.where(given, values, np.nan), coding)
        for r in np.flatnonzero(~valid).tolist():
            problems.append(
                Problem(
                    f"not a valid {coding!r} pairwise answer",
                    column=col,
                    value=float(values[r]),
                    fix=fix_text,
                    **table.where(r),
                )
            )
        out[:, p] = ratio
    return out
