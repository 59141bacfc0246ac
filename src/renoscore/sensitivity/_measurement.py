"""Measurement error of the indicator values: the standard deviation of every cell, checked once.

The measurement source (:class:`~renoscore.sensitivity.sources.MeasurementError`) gives each
indicator a standard deviation in its unit, a context column of standard errors, or a share of
the goalpost span; :func:`measurement_noise` turns it into one ``(N, M)`` matrix and the cells
it applies to, and reports every invalid entry at once. The draws themselves are the model's
(:meth:`renoscore.sensitivity.model.DrawModel.scores`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore.data import CellStatus, CommunityData
from renoscore.errors import DataValidationError, Problem
from renoscore.sensitivity.sources import MeasurementError
from renoscore.system import IndicatorSystem

__all__ = ["Noise", "measurement_noise"]

FloatArray = NDArray[np.float64]


@dataclass
class Noise:
    """Standard deviation, reported value and valid range of every cell."""

    sd: FloatArray  # (N, M), 0 where no error
    values: FloatArray  # (N, M), NaN where not observed
    ok: NDArray[np.bool_]
    lo: FloatArray
    hi: FloatArray


def measurement_noise(
    system: IndicatorSystem, data: CommunityData, spec: MeasurementError
) -> Noise:
    """The standard deviation of every cell under ``spec``, with the cells it applies to.

    Parameters
    ----------
    system : IndicatorSystem
    data : CommunityData
        The rows of the phase analysed.
    spec : MeasurementError

    Returns
    -------
    Noise

    Raises
    ------
    DataValidationError
        An unknown indicator, a missing standard-error column, a standard error that is not a
        number >= 0, or an sd that is not finite and >= 0; every problem at once.
    """
    n, m = data.values.shape
    sd = np.zeros((n, m))
    problems: list[Problem] = []
    if spec.span_fraction is not None:
        floor, target = system.goalpost_arrays()
        for j, ind in enumerate(system.indicators):
            if ind.kind.value not in ("binary", "ordinal"):
                sd[:, j] = spec.span_fraction * abs(target[j] - floor[j])
    index = {ind: j for j, ind in enumerate(system.indicator_ids)}
    for ind_id, value in spec.sd.items():
        if ind_id not in index:
            problems.append(
                Problem("not an indicator of the system", column=ind_id, fix="use an indicator id")
            )
            continue
        if isinstance(value, str):
            if value not in data.context:
                problems.append(
                    Problem(
                        f"standard-error column {value!r} is not in the data",
                        column=ind_id,
                        fix=f"use one of the context columns {sorted(data.context)}",
                    )
                )
                continue
            cells = data.context[value]
            col = _numbers(cells)
            for r in np.flatnonzero(~(col >= 0)).tolist():
                problems.append(
                    Problem(
                        "standard error must be a number >= 0",
                        row=r + 1,
                        community_id=data.ids[r],
                        column=value,
                        value=cells[r],
                        fix="fill the standard error, or give a constant sd",
                    )
                )
            sd[:, index[ind_id]] = np.where(col >= 0, col, 0.0)
        elif not (math.isfinite(value) and value >= 0):
            problems.append(Problem("sd must be finite and >= 0", column=ind_id, value=value))
        else:
            sd[:, index[ind_id]] = value
    if problems:
        raise DataValidationError("invalid measurement error", problems)
    ok = np.asarray(data.status == CellStatus.OK)
    lo, hi = system.range_arrays()
    return Noise(sd=sd, values=np.asarray(data.values, dtype=np.float64), ok=ok, lo=lo, hi=hi)


def _numbers(cells: Sequence[Any]) -> FloatArray:
    """A context column as floats (NaN where a cell is empty or not a number)."""
    try:
        return np.asarray(cells, dtype=object).astype(np.float64)
    except (TypeError, ValueError):
        # Error path only: find the cells that are not numbers, one by one.
        return np.array([_as_float(v) for v in cells], dtype=np.float64)


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
