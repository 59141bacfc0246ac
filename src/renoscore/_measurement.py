"""Measurement error of the indicator values: declared once, resolved to one sd per cell.

A value is known up to its standard uncertainty (JCGM 100:2008, section 4.2): the standard
error of a survey mean, the precision of a site survey. :class:`MeasurementError` declares it
(per indicator, from a context column of standard errors, or as a share of the goalpost span);
an indicator may also declare it in the system YAML (``measurement_sd``), and a survey gives
the standard error of every cell it feeds (:meth:`renoscore.survey.SurveyScores.standard_errors`).
:func:`cell_sd` resolves all of them to one standard deviation per cell, in the indicator's
unit, and reports every invalid entry at once. The uncertainty analysis draws values with it
(:mod:`renoscore.sensitivity`); :func:`renoscore.compare` puts intervals on changes with it.

Precedence per cell, most specific first: an sd given for the indicator in
:class:`MeasurementError`; a finite standard error from ``standard_errors`` (a survey); the
``span_fraction`` of :class:`MeasurementError`; the indicator's ``measurement_sd`` in the
system; else 0 (the value is taken as exact).

Examples
--------
>>> import numpy as np
>>> import renoscore as rs
>>> data = rs.example_data()
>>> sd = cell_sd(rs.default_system(), data.values, data.ids, data.context, None, None)
>>> j = data.indicator_ids.index("c_belonging")
>>> float(sd[0, j]), float(sd[0, 0])
(0.12, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from renoscore.errors import DataValidationError, Problem
from renoscore.system import IndicatorSystem

__all__ = ["MeasurementError", "cell_sd"]

FloatArray = NDArray[np.float64]


class MeasurementError(BaseModel):
    """Indicator values measured with error: ``x + sd * z``, ``z`` standard normal.

    The value of every observed cell is known up to a normal error with the given standard
    deviation (the standard uncertainty of the measurement, e.g. the standard error of a
    survey mean; JCGM 100:2008, section 4.2). Missing and not-applicable cells are not
    touched; an imputed cell keeps the score it gets without measurement error.

    Parameters
    ----------
    sd : mapping of indicator id to float or str
        A standard deviation in the indicator's unit, or the name of a context column of the
        data holding each row's standard error (e.g. a survey's ``p_satisfaction_se``).
    span_fraction : float, optional
        A default for every indicator not in ``sd`` except binary and ordinal ones: this share
        of the distance between its goalposts (e.g. 0.05).

    Examples
    --------
    >>> MeasurementError(sd={"s_sat": "s_sat_se"}, span_fraction=0.05).sd
    {'s_sat': 's_sat_se'}
    """

    # An infinite value is written "Infinity" in JSON (and read back), not null.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="strings")

    sd: dict[str, float | str] = Field(default_factory=dict)
    span_fraction: float | None = Field(default=None, ge=0.0)


def cell_sd(
    system: IndicatorSystem,
    values: FloatArray,
    ids: Sequence[Any],
    context: Mapping[str, Sequence[Any]],
    spec: MeasurementError | None,
    standard_errors: FloatArray | None,
    *,
    declared: bool = True,
) -> FloatArray:
    """The standard deviation of every cell, in its indicator's unit; 0 where exact.

    Parameters
    ----------
    system : IndicatorSystem
    values : ndarray, shape (N, M)
        The values (only their shape is read).
    ids : sequence
        Community id of each row (for error messages).
    context : mapping of column name to values
        Context columns that ``spec`` may name.
    spec : MeasurementError, optional
    standard_errors : ndarray, shape (N, M), optional
        Standard errors of cells (NaN where none), e.g. of a survey.
    declared : bool
        Use the indicators' ``measurement_sd`` of the system where nothing else applies.

    Returns
    -------
    ndarray, shape (N, M)

    Raises
    ------
    DataValidationError
        An unknown indicator, a missing standard-error column, a standard error that is not a
        number >= 0, an sd that is not finite and >= 0, or standard errors of the wrong shape;
        every problem at once.
    """
    n, m = values.shape
    sd = np.zeros((n, m))
    problems: list[Problem] = []
    if declared:
        for j, ind in enumerate(system.indicators):
            if ind.measurement_sd is not None:
                sd[:, j] = ind.measurement_sd
    if spec is not None and spec.span_fraction is not None:
        floor, target = system.goalpost_arrays()
        for j, ind in enumerate(system.indicators):
            if ind.kind.value not in ("binary", "ordinal"):
                sd[:, j] = spec.span_fraction * abs(target[j] - floor[j])
    if standard_errors is not None:
        se = np.asarray(standard_errors, dtype=np.float64)
        if se.shape != (n, m):
            problems.append(
                Problem(
                    f"standard errors have shape {se.shape}, the values {(n, m)}",
                    fix="give one standard error per cell (NaN where none), rows as in the data",
                )
            )
        else:
            bad = np.isfinite(se) & (se < 0)
            for r, j in zip(*np.nonzero(bad), strict=True):
                problems.append(
                    Problem(
                        "standard error must be >= 0",
                        row=int(r) + 1,
                        community_id=str(ids[r]),
                        column=system.indicator_ids[j],
                        value=float(se[r, j]),
                    )
                )
            sd = np.where(np.isfinite(se) & ~bad, se, sd)
    if spec is not None:
        _explicit(system, ids, context, spec, sd, problems)
    if problems:
        raise DataValidationError("invalid measurement error", problems)
    return sd


def _explicit(
    system: IndicatorSystem,
    ids: Sequence[Any],
    context: Mapping[str, Sequence[Any]],
    spec: MeasurementError,
    sd: FloatArray,
    problems: list[Problem],
) -> None:
    """Write the sds given per indicator (numbers or context columns) into ``sd``."""
    index = {ind: j for j, ind in enumerate(system.indicator_ids)}
    for ind_id, value in spec.sd.items():
        if ind_id not in index:
            problems.append(
                Problem("not an indicator of the system", column=ind_id, fix="use an indicator id")
            )
            continue
        if isinstance(value, str):
            if value not in context:
                problems.append(
                    Problem(
                        f"standard-error column {value!r} is not in the data",
                        column=ind_id,
                        fix=f"use one of the context columns {sorted(context)}",
                    )
                )
                continue
            cells = context[value]
            col = _numbers(cells)
            for r in np.flatnonzero(~(col >= 0)).tolist():
                problems.append(
                    Problem(
                        "standard error must be a number >= 0",
                        row=r + 1,
                        community_id=str(ids[r]),
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
