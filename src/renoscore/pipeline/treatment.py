"""Outlier treatment before scoring: the data an evaluation scores when ``treat`` is chosen.

With ``evaluate(..., treat=True)`` the values are treated as COINr's ``Treat`` does
(:func:`renoscore.audit.treatment.treat`: winsorise up to ``winmax`` points, then, with min-max
normalisation only, a log transform) before anything else reads them: data-driven weights,
imputation of missing cells and normalisation all see the treated values. The treatment looks
at the rows it is given (all phases of the data together, as min-max does); evaluate one phase
(``data.select(phase)``) to treat within a phase. The record of every treated point goes into
the result's provenance, by indicator id and community, and
:func:`renoscore.audit.treatment.apply_treatment` replays it on the untreated values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from renoscore._options import TreatmentOptions
from renoscore.data import CommunityData

__all__ = ["treated_data"]


def treated_data(
    data: CommunityData, options: TreatmentOptions
) -> tuple[CommunityData, dict[str, Any]]:
    """The data with outliers treated, and the record of the treatment (JSON-ready).

    The record has the settings, one entry per indicator that failed the skewness-kurtosis
    check (by id), and every winsorised point with its row, community id, phase, old and new
    value. Indicators that pass are left bit for bit as they were.

    Examples
    --------
    >>> import renoscore as rs
    >>> data = rs.example_data().select("t0")
    >>> treated, record = treated_data(data, TreatmentOptions(log=False))
    >>> sorted(c["column"] for c in record["columns"])[:2]
    ['s_dist_health_station_m']
    """
    # Imported here: treatment is opt-in, and the audit package loads the survey statistics
    # (scipy.stats) that plain scoring never needs.
    from renoscore.audit.treatment import treat

    result = treat(
        data.values,
        winmax=options.winmax,
        skew_threshold=options.skew_threshold,
        kurt_threshold=options.kurt_threshold,
        combine=options.combine,
        log=bool(options.log),
    )
    record = result.to_dict(data.indicator_ids)
    ids, phases = data.id_array, data.phases
    for point in record["points"]:
        point["community_id"] = str(ids[point["row"]])
        point["phase"] = phases[point["row"]]
    if not result.columns:
        return data, record
    treated = CommunityData(
        system_id=data.system_id,
        system_version=data.system_version,
        indicator_ids=data.indicator_ids,
        ids=data.id_array,
        phases=data.phase_codes,
        values=np.array(result.values),
        status=np.array(data.status),
        context=dict(data.context),
        source=data.source,
    )
    return treated, record
