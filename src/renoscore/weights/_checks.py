"""Checks shared by the objective weighting methods: the data matrix, directions, data problems.

Also the two endings every method shares: the warning for a constant indicator and the
normalisation of the scores to weights summing to 1.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._calling import argument
from renoscore.errors import ConstantIndicatorWarning, OptionError, Problem, WeightsError

__all__: list[str] = []

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _name(j: int, labels: Sequence[str] | None) -> str:
    return str(labels[j]) if labels is not None else str(j)


def _check_matrix(X: ArrayLike, labels: Sequence[str] | None) -> NDArray[np.generic]:
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise WeightsError(
            "the data matrix must be 2-D (communities x indicators)",
            [Problem(f"got an array of shape {arr.shape}", fix="pass an (N, M) array")],
        )
    if arr.dtype.kind not in "iuf":
        raise WeightsError(
            "the data matrix must hold numbers",
            [
                Problem(
                    f"got dtype {arr.dtype}", fix="convert the data to float64; use NaN for gaps"
                )
            ],
        )
    if arr.shape[1] == 0:
        raise WeightsError("the data matrix has no indicator columns", [Problem("M = 0")])
    if labels is not None and (isinstance(labels, str) or len(labels) != arr.shape[1]):
        n_lab = 1 if isinstance(labels, str) else len(labels)
        raise OptionError(
            "labels must give one id per indicator column",
            [Problem(f"{n_lab} labels for {arr.shape[1]} columns", fix="pass M labels")],
        )
    return arr


def _check_directions(
    directions: Sequence[str] | None, m: int, labels: Sequence[str] | None
) -> NDArray[np.bool_]:
    """Return a boolean mask of cost indicators."""
    if directions is None:
        return np.zeros(m, dtype=bool)
    if isinstance(directions, str) or len(directions) != m:
        got = "a single string" if isinstance(directions, str) else f"{len(directions)} entries"
        raise OptionError(
            "directions must give one of 'benefit' / 'cost' per indicator column",
            [Problem(f"got {got} for {m} columns", fix="pass a sequence of M directions")],
        )
    problems = [
        Problem(
            "direction must be 'benefit' or 'cost'",
            column=_name(j, labels),
            value=d,
            fix="use 'benefit' (higher is better) or 'cost' (lower is better)",
        )
        for j, d in enumerate(directions)
        if d not in ("benefit", "cost")
    ]
    if problems:
        raise OptionError("invalid indicator directions", problems)
    return np.array([d == "cost" for d in directions], dtype=bool)


def _data_problems(
    count: IntArray,
    inf_row: IntArray,
    labels: Sequence[str] | None,
    neg_row: IntArray | None = None,
    X: NDArray[np.generic] | None = None,
) -> list[Problem]:
    """Per column: its first infinite cell, its first negative cell (when ``neg_row`` is given)
    and too few usable cells."""

    def cell(reason: str, row: int, j: int, fix: str) -> Problem:
        value = None if X is None else float(X[row, j])
        return Problem(reason, row=row + 1, column=_name(j, labels), value=value, fix=fix)

    problems: list[Problem] = []
    for j in range(count.shape[0]):
        if inf_row[j] >= 0:
            problems.append(
                cell(
                    "infinite value",
                    int(inf_row[j]),
                    j,
                    "replace it by a finite value, or by NaN to exclude the cell",
                )
            )
        if neg_row is not None and neg_row[j] >= 0:
            problems.append(
                cell(
                    "negative value: sum-normalised entropy needs x >= 0",
                    int(neg_row[j]),
                    j,
                    f"use {argument('normalization', repr('minmax'))} (direction-aware min-max "
                    "rescaling), or "
                    "transform the indicator to non-negative values; renoscore never takes abs()",
                )
            )
        if count[j] < 2:
            problems.append(
                Problem(
                    f"only {int(count[j])} usable (non-NaN) cell(s); at least 2 are needed",
                    column=_name(j, labels),
                    fix="collect more data for this indicator or leave it out of "
                    "data-driven weighting",
                )
            )
    return problems


def _warn_constant(
    cols: Sequence[int],
    values: FloatArray,
    count: IntArray,
    labels: Sequence[str] | None,
    method: str,
) -> None:
    for j in cols:
        warnings.warn(
            f"indicator {_name(j, labels)!r} is constant over its {int(count[j])} usable cells "
            f"(value {float(values[j])!r}); it gets zero {method} weight",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


def _normalise(score: FloatArray, what: str, labels: Sequence[str] | None) -> FloatArray:
    total = float(score.sum())
    if not total > 0 or not math.isfinite(total):
        raise WeightsError(
            f"{what}: no indicator discriminates between the communities",
            [
                Problem(
                    "every indicator is constant (or carries no usable information)",
                    fix="check the data; data-driven weights need indicators that vary",
                )
            ],
        )
    return np.asarray(score / total, dtype=np.float64)
