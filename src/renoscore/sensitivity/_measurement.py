"""Measurement error of the indicator values: the standard deviation of every cell, checked once.

The measurement source (:class:`~renoscore.sensitivity.sources.MeasurementError`) gives each
indicator a standard deviation in its unit, a context column of standard errors, or a share of
the goalpost span; :func:`measurement_noise` turns it into one ``(N, M)`` matrix (by the one
resolution of :func:`renoscore._measurement.cell_sd`) and the cells it applies to. The draws themselves are the model's
(:meth:`renoscore.sensitivity.model.DrawModel.scores`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore._measurement import MeasurementError, cell_sd
from renoscore.data import CellStatus, CommunityData
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
    # Only what the source declares: the analysis varies what the caller asked it to.
    sd = cell_sd(system, data.values, data.ids, data.context, spec, None, declared=False)
    ok = np.asarray(data.status == CellStatus.OK)
    lo, hi = system.range_arrays()
    return Noise(sd=sd, values=np.asarray(data.values, dtype=np.float64), ok=ok, lo=lo, hi=hi)
