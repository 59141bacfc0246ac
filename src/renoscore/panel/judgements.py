"""An expert's judgements of one node: labelled pairs or a full matrix, on Saaty's scale.

Judgements of a node are written either as labelled pairs ``[a, b, value]`` meaning "a is
``value`` times as important as b", or as a full matrix keyed by labels. Values may be numbers
or fractions written as text (``"1/3"``). This module reads both forms and holds the rules of
one node's judgements: no pair twice, no self-comparison, reciprocal full matrices, and
values on Saaty's (1980) scale [1/9, 9] unless the panel declares ``scale: positive``.

Examples
--------
>>> from renoscore.panel.judgements import FullMatrix, as_pairs
>>> as_pairs(FullMatrix(labels=("a", "b"), matrix=((1, "3"), ("1/3", 1))))
[('a', 'b', 3.0)]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from renoscore._validation import LocatedProblem, located_error, register_tags, short_repr
from renoscore._yaml import KeyPath

__all__ = [
    "MATRIX_TAG",
    "PAIRS_TAG",
    "SAATY_MAX",
    "SAATY_MIN",
    "FullMatrix",
    "Judgements",
    "MatrixCell",
    "PairJudgement",
    "as_pairs",
    "matrix_problems",
    "pair_problems",
]

#: Saaty's scale runs from 1/9 to 9 (Saaty 1980); a small tolerance lets 0.111 stand for 1/9.
SAATY_MIN, SAATY_MAX = 1.0 / 9.0, 9.0
_SCALE_TOL = 1e-2

#: Union tags of the two ways to write an expert's judgements of one node.
PAIRS_TAG = "[pairs]"
MATRIX_TAG = "[matrix]"


#: A decimal number (Unicode digits such as full-width ones allowed, as ``float`` reads them).
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: A ratio of whole numbers, e.g. ``1/3``.
_RATIO = re.compile(r"([+-]?\d+)/(\d+)")


def _text_number(text: str) -> float | None:
    """The value of ``"3"``, ``"0.5"``, ``"1/3"`` (spaces ignored), or None.

    Parsed with ``float`` and ``int``, never ``Fraction``: ``Fraction("1e10000000")`` builds a
    ten-million-digit integer (seconds of work for an eleven-character cell). Python caps the
    digits ``int`` reads (4,300 by default), so a ratio of huge integers is refused, not slow.
    """
    compact = text.replace(" ", "").replace("\u3000", "")
    ratio = _RATIO.fullmatch(compact)
    try:
        if ratio is not None:
            num, den = int(ratio[1]), int(ratio[2])
            if den == 0:
                return None
            try:
                return num / den
            except OverflowError:
                return math.inf if num > 0 else -math.inf
        if _DECIMAL.fullmatch(compact):
            return float(compact)
    except ValueError:
        return None
    return None


def _to_number(value: Any) -> float:
    """A judgement as a float: a number, or text such as ``"3"``, ``"0.5"`` or ``"1/3"``.

    NaN and infinities pass through (a full matrix uses NaN for a missing entry); the panel
    rules reject them where they are not allowed. An integer too large for a float is infinite.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        number = _text_number(value)
        if number is not None:
            return number
    shown = f"the boolean {str(value).lower()}" if isinstance(value, bool) else short_repr(value)
    raise located_error(
        "judgement_number",
        [
            (
                (),
                f"a judgement must be a positive number or a fraction, not {shown}",
                "write a number such as 3 or a fraction such as 1/3",
            )
        ],
    )


def _pair(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 3:
        return (value[0], value[1], _to_number(value[2]))
    raise located_error(
        "judgement_pair",
        [
            (
                (),
                f"each judgement is a list [a, b, value]; got {short_repr(value)}",
                "write - [a, b, 3], meaning a is 3 times as important as b",
            )
        ],
    )


def _cell(value: Any) -> Any:
    return None if value is None else _to_number(value)


PairJudgement = Annotated[tuple[str, str, float], BeforeValidator(_pair)]
MatrixCell = Annotated[float | None, BeforeValidator(_cell)]


class FullMatrix(BaseModel):
    """A complete judgement matrix keyed by labels (``NaN``/``null`` marks a missing entry)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    labels: tuple[str, ...] = Field(min_length=2)
    matrix: tuple[tuple[MatrixCell, ...], ...]

    @model_validator(mode="after")
    def _square(self) -> FullMatrix:
        n = len(self.labels)
        problems: list[LocatedProblem] = []
        if len(self.matrix) != n:
            problems.append(
                (
                    ("matrix",),
                    f"the matrix has {len(self.matrix)} rows for {n} labels",
                    "give one row per label, in the order of 'labels'",
                )
            )
        for i, row in enumerate(self.matrix):
            if len(row) != n:
                problems.append(
                    (
                        ("matrix", i),
                        f"row {i + 1} has {len(row)} entries for {n} labels",
                        "give one entry per label, in the order of 'labels'",
                    )
                )
        first: dict[str, int] = {}
        for i, label in enumerate(self.labels):
            if label in first:
                problems.append(
                    (
                        ("labels", i),
                        f"label {label!r} is listed twice",
                        "list every child once",
                    )
                )
            first.setdefault(label, i)
        if problems:
            raise located_error("matrix_shape", problems)
        return self


def _judgement_tag(value: Any) -> str:
    return MATRIX_TAG if isinstance(value, (Mapping, FullMatrix)) else PAIRS_TAG


Judgements = Annotated[
    Annotated[tuple[PairJudgement, ...], Tag(PAIRS_TAG)] | Annotated[FullMatrix, Tag(MATRIX_TAG)],
    Discriminator(_judgement_tag),
]

register_tags({PAIRS_TAG: None, MATRIX_TAG: FullMatrix})


def as_pairs(
    spec: tuple[tuple[str, str, float], ...] | FullMatrix,
) -> list[tuple[str, str, float]]:
    """The judgements of one node as ``(a, b, value)``; a full matrix gives its upper triangle."""
    if isinstance(spec, FullMatrix):
        pairs = []
        n = len(spec.labels)
        for i in range(n):
            for j in range(i + 1, n):
                value = spec.matrix[i][j]
                if value is not None and math.isfinite(value):
                    pairs.append((spec.labels[i], spec.labels[j], float(value)))
        return pairs
    return [(a, b, float(v)) for a, b, v in spec]


def _scale_text(lo: float, hi: float) -> str:
    return "[1/9, 9]" if hi < np.inf else "(0, inf)"


def pair_problems(
    spec: tuple[tuple[str, str, float], ...], where: KeyPath, lo: float, hi: float
) -> Iterator[LocatedProblem]:
    """The problems of one node's labelled pairs at ``where``, on the scale ``[lo, hi]``."""
    seen: dict[frozenset[str], tuple[int, str, str, float]] = {}
    for k, (a, b, value) in enumerate(spec):
        at: KeyPath = (*where, k)
        if a == b:
            yield at, f"{a!r} is compared with itself", "remove the pair; the diagonal is 1"
            continue
        if not (value > 0 and math.isfinite(value)):
            yield (
                at,
                f"judgement {a} vs {b} is {value:g}; it must be a finite positive number",
                f"use a value in {_scale_text(lo, hi)}",
            )
            continue
        if not (lo * (1 - _SCALE_TOL) <= value <= hi * (1 + _SCALE_TOL)):
            yield (
                at,
                f"judgement {a} vs {b} = {value:g} is outside Saaty's scale [1/9, 9]",
                "use a value in [1/9, 9], or set 'scale: positive' on the panel",
            )
        key = frozenset((a, b))
        if key in seen:
            first, old_a, old_b, old = seen[key]
            same = old if old_a == a else 1.0 / old
            verb = "repeats" if np.isclose(same, value) else "contradicts"
            yield (
                at,
                f"pair {a} vs {b} = {value:g} {verb} item {first} ({old_a} vs {old_b} = {old:g})",
                "give each pair once (in either order)",
            )
        else:
            seen[key] = (k, a, b, value)


def matrix_problems(
    spec: FullMatrix, where: KeyPath, lo: float, hi: float
) -> Iterator[LocatedProblem]:
    """The problems of one node's full matrix at ``where``, on the scale ``[lo, hi]``."""
    m = np.array([[np.nan if v is None else v for v in row] for row in spec.matrix], dtype=float)
    labels = spec.labels
    for i in range(len(labels)):
        if not np.isclose(m[i, i], 1.0):
            yield (
                (*where, "matrix", i, i),
                f"diagonal entry {labels[i]} vs {labels[i]} is {m[i, i]:g}",
                "the diagonal must be 1",
            )
        for j in range(i + 1, len(labels)):
            a, b = float(m[i, j]), float(m[j, i])  # Python floats: a * b may overflow to inf
            pair = f"{labels[i]} vs {labels[j]}"
            if np.isnan(a) and np.isnan(b):
                continue
            if np.isnan(a) != np.isnan(b):
                given, empty = ((i, j), (j, i)) if np.isnan(b) else ((j, i), (i, j))
                yield (
                    (*where, "matrix", *empty),
                    f"{pair} is given on one side only (row {given[0] + 1}, column {given[1] + 1})",
                    "give both a_ij and a_ji = 1/a_ij, or leave both empty (null)",
                )
                continue
            if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
                yield (
                    (*where, "matrix", i, j),
                    f"{pair} is not a finite positive pair ({a:g}, {b:g})",
                    f"judgements are positive numbers in {_scale_text(lo, hi)}",
                )
                continue
            if abs(a * b - 1.0) > _SCALE_TOL:
                yield (
                    (*where, "matrix", j, i),
                    f"{pair} is not reciprocal: a_ij = {a:g} but a_ji = {b:g}",
                    f"set a_ji = 1/a_ij = {1 / a:.4g}",
                )
            if not (lo * (1 - _SCALE_TOL) <= a <= hi * (1 + _SCALE_TOL)):
                yield (
                    (*where, "matrix", i, j),
                    f"{pair} = {a:g} is outside Saaty's scale [1/9, 9]",
                    "use a value in [1/9, 9], or set 'scale: positive' on the panel",
                )
