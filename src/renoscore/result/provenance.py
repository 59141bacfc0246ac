"""The provenance of a result: every choice behind it, enough to repeat the run.

A :class:`Provenance` records the system, the data, the weights and the scoring options
(:class:`~renoscore._options.ScoringOptions`, kept as flat fields so that results written
before the options had a class of their own read back unchanged).

Examples
--------
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> result.provenance.options.missing
'renormalize'
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from renoscore._options import ScoringOptions, TreatmentOptions
from renoscore._version import __version__
from renoscore.weighting import Weights

__all__ = ["Provenance"]


class Provenance(BaseModel):
    """Every choice behind a result; enough to repeat the run.

    ``treat`` is the outlier treatment chosen (None: none) and ``treatment`` its record: every
    indicator treated and every winsorised point (row, community, old and new value), which
    :func:`renoscore.audit.treatment.apply_treatment` replays on the untreated values.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    renoscore_version: str = __version__
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    system_id: str
    system_version: str
    data_digest: str | None = None
    data_source: str | None = None
    data_notices: tuple[str, ...] = ()
    derived_indicators: dict[str, str] = Field(default_factory=dict)
    normalization: str
    aggregation: str
    missing: str
    min_coverage: float
    # Results written before groups had a minimum applicable share were scored without one.
    min_applicable: float = 0.0
    impute_by: str | None = None
    tie_method: str
    tie_tolerance: float
    rank_within: str = "phase"
    weights: Weights
    treat: TreatmentOptions | None = None
    treatment: dict[str, Any] | None = None

    @classmethod
    def record(cls, options: ScoringOptions, *, weights: Weights, **facts: Any) -> Provenance:
        """The provenance of a run with these options, weights and facts (system, data)."""
        return cls(**options.model_dump(), weights=weights, **facts)

    @property
    def options(self) -> ScoringOptions:
        """The scoring options of the run, validated."""
        return ScoringOptions(**self.model_dump(include=set(ScoringOptions.model_fields)))
