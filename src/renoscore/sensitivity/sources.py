"""What an analysis may vary: the declared sources of uncertainty, and the settings it records.

Each source is optional (:class:`Sources`): AHP judgements moved along Saaty's scale
(:class:`JudgementNoise`), local weights drawn from a Dirichlet distribution
(:class:`WeightNoise`), the choice of normalisation, aggregation and missing-data policy, the
combination alpha, and measurement error of the indicator values (:class:`MeasurementError`,
whose one home is :mod:`renoscore._measurement`, shared with :func:`renoscore.compare`).
:class:`UncertaintySettings` records every setting of an analysis, enough to repeat it. All are
frozen pydantic models, validated when made and written to JSON with the results.

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from renoscore._measurement import MeasurementError
from renoscore._options import ScoreNormalization, ScoringOptions, TreeAggregation
from renoscore._version import __version__
from renoscore.errors import OptionError, Problem
from renoscore.weighting import Weights

__all__ = [
    "FACTORS",
    "JudgementNoise",
    "MeasurementError",
    "Sources",
    "UncertaintySettings",
    "WeightNoise",
    "as_sources",
]

#: The missing-data policies a draw may take (refusing the data, "error", is no choice to draw).
MissingChoice = Literal["renormalize", "impute_mean", "impute_median"]

#: The sources of uncertainty, in the order they are reported.
FACTORS: tuple[str, ...] = (
    "judgements",
    "weights",
    "normalization",
    "aggregation",
    "missing",
    "alpha",
    "measurement",
)


class _Frozen(BaseModel):
    # An infinite concentration is written "Infinity" in JSON (and read back), not null.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="strings")


class JudgementNoise(_Frozen):
    """AHP judgements moved along Saaty's scale.

    Each judgement an expert gave (each pair once) moves ``steps`` positions along the scale
    1/9 ... 1/2, 1, 2 ... 9 (Saaty 1980) with probability ``probability``, up or down with equal
    chance (:func:`renoscore.sensitivity.draws.saaty_step`); its reciprocal follows. The
    priorities are then re-derived exactly as the base weights were (completion, AIJ/AIP group
    aggregation, prioritisation), for every draw at once. Simulating the judgements and
    propagating them through the hierarchy follows Hauser & Tadikamalla (1996). The experts
    kept or left out are those of the base weights.

    Parameters
    ----------
    probability : float
        Chance that a judgement moves (0 to 1; default 0.2).
    steps : int
        How many scale positions a move covers (default 1).
    nodes : tuple of str, optional
        The AHP nodes to perturb (default: every node weighted by AHP).

    Examples
    --------
    >>> JudgementNoise(probability=0.1).steps
    1
    """

    probability: float = Field(default=0.2, ge=0.0, le=1.0)
    steps: int = Field(default=1, ge=1, le=16)
    nodes: tuple[str, ...] | None = None


class WeightNoise(_Frozen):
    """Local weights drawn from a Dirichlet distribution centred on the base weights.

    At each chosen node, ``w ~ Dirichlet(c * mu)`` with ``mu`` the base local weights and ``c``
    the concentration: ``E[w_i] = mu_i`` and ``Var[w_i] = mu_i (1 - mu_i) / (c + 1)`` (Kotz,
    Balakrishnan & Johnson 2000, ch. 49). ``c = 74`` gives a weight of 0.25 a standard deviation
    of 0.05; ``c = inf`` leaves the weights fixed. When judgements or alpha also move a node's
    weights, the Dirichlet draw is applied as multiplicative noise ``w ∝ w' * d / mu`` to the
    moved weights ``w'`` (exactly ``d`` when they did not move). Zero base weights stay zero.

    Parameters
    ----------
    concentration : float
        The Dirichlet concentration ``c`` (> 0; default 100).
    nodes : tuple of str, optional
        The groups whose local weights are drawn (default: every group with two or more
        children).

    Examples
    --------
    >>> WeightNoise().concentration
    100.0
    """

    concentration: float = Field(default=100.0, gt=0.0)
    nodes: tuple[str, ...] | None = None


class Sources(_Frozen):
    """The declared sources of uncertainty; each is optional and recorded.

    Parameters
    ----------
    judgements : JudgementNoise, optional
        AHP judgements moved along Saaty's scale.
    weights : WeightNoise, optional
        Local weights drawn from a Dirichlet distribution around the base weights.
    normalization, aggregation, missing : tuple of str
        Options drawn with equal probability in each draw (empty: the base option is kept).
    alpha : (float, float), optional
        Range of a uniformly drawn alpha, the share of the subjective part at every node that
        combines subjective and objective weights linearly (``w = alpha w_s + (1 - alpha) w_o``;
        Ma, Fan & Huang 1999) or by minimum information.
    measurement : MeasurementError, optional
        Measurement error of the indicator values.

    Examples
    --------
    >>> Sources(weights=WeightNoise(concentration=50), aggregation=("arithmetic", "geometric")).active()
    ('weights', 'aggregation')
    >>> Sources(alpha=(0.2, 0.8)).describe()
    'alpha U(0.2, 0.8)'
    """

    judgements: JudgementNoise | None = None
    weights: WeightNoise | None = None
    normalization: tuple[ScoreNormalization, ...] = ()
    aggregation: tuple[TreeAggregation, ...] = ()
    missing: tuple[MissingChoice, ...] = ()
    alpha: tuple[float, float] | None = None
    measurement: MeasurementError | None = None

    @model_validator(mode="after")
    def _check(self) -> Sources:
        if self.alpha is not None:
            lo, hi = self.alpha
            if not 0.0 <= lo <= hi <= 1.0:
                raise ValueError("alpha must be a range (low, high) with 0 <= low <= high <= 1")
        for name in ("normalization", "aggregation", "missing"):
            options = getattr(self, name)
            if len(set(options)) != len(options):
                raise ValueError(f"{name} lists an option twice")
        return self

    def active(self) -> tuple[str, ...]:
        """Names of the declared sources, in the order of :data:`FACTORS`."""
        return tuple(f for f in FACTORS if getattr(self, f) is not None and getattr(self, f) != ())

    def describe(self) -> str:
        """A one-line description of the declared sources."""
        parts: list[str] = []
        if self.judgements is not None:
            j = self.judgements
            parts.append(f"judgements (p={j.probability:g}, ±{j.steps} step)")
        if self.weights is not None:
            parts.append(f"weights (Dirichlet, concentration {self.weights.concentration:g})")
        for name in ("normalization", "aggregation", "missing"):
            options = getattr(self, name)
            if options:
                parts.append(f"{name} {{{', '.join(options)}}}")
        if self.alpha is not None:
            parts.append(f"alpha U({self.alpha[0]:g}, {self.alpha[1]:g})")
        if self.measurement is not None:
            m = self.measurement
            what = [f"{k}={v}" for k, v in m.sd.items()]
            if m.span_fraction is not None:
                what.append(f"{m.span_fraction:g} x goalpost span")
            parts.append(f"measurement ({', '.join(what)})")
        return "; ".join(parts) if parts else "none"


class UncertaintySettings(_Frozen):
    """Every setting of an analysis: enough to repeat it.

    The scoring options of the base evaluation (:class:`~renoscore._options.ScoringOptions`)
    are kept as flat fields, as in a result's provenance, so that settings written before the
    options had a class of their own read back unchanged; :attr:`scoring` gives them as one.
    """

    analysis: Literal["uncertainty", "sensitivity", "one_at_a_time"]
    renoscore_version: str = __version__
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seed: int | None
    n: int
    runs: int
    phase: str | None
    sources: Sources
    sampler: str
    normalization: str
    aggregation: str
    missing: str
    min_coverage: float
    # Settings written before groups had a minimum applicable share were scored without one.
    min_applicable: float = 0.0
    impute_by: str | None = None
    tie_method: str
    tie_tolerance: float
    top_k: int
    levels: tuple[str, ...]
    completion: str
    system_id: str
    system_version: str
    data_digest: str
    panel: str | None
    weights: Weights
    options: dict[str, Any] = Field(default_factory=dict)

    @property
    def scoring(self) -> ScoringOptions:
        """The scoring options of the base evaluation, validated."""
        return ScoringOptions(**self.model_dump(include=set(ScoringOptions.model_fields)))


def as_sources(sources: Sources | Mapping[str, Any] | None) -> Sources:
    """The declared sources as :class:`Sources`, validated; a mapping gives the fields.

    Parameters
    ----------
    sources : Sources, mapping or None
        The sources, or their fields as plain data (None: no source).

    Returns
    -------
    Sources

    Raises
    ------
    OptionError
        A field that is unknown or out of its range, one problem each.

    Examples
    --------
    >>> as_sources({"weights": {"concentration": 50}}).weights.concentration
    50.0
    >>> as_sources(None).active()
    ()
    """
    if isinstance(sources, Sources):
        return sources
    if sources is not None and not isinstance(sources, Mapping):
        names = ", ".join(Sources.model_fields)
        example = (
            f"sources={{{', '.join(f'{s!r}: {{}}' for s in sources)}}}"
            if isinstance(sources, (list, tuple)) and all(isinstance(s, str) for s in sources)
            else "sources={'weights': {}}"
        )
        raise OptionError(
            "invalid sources of uncertainty",
            [
                Problem(
                    f"sources must be a mapping of source name to its settings, not a "
                    f"{type(sources).__name__}",
                    value=sources if isinstance(sources, (list, tuple, str)) else None,
                    fix=f"e.g. {example} (the sources are {names})",
                )
            ],
        )
    try:
        return Sources.model_validate(dict(sources or {}))
    except ValidationError as exc:
        raise OptionError(
            "invalid sources of uncertainty",
            [
                Problem(
                    err["msg"],
                    path=".".join(str(p) for p in err["loc"]) or None,
                    value=err.get("input") if not isinstance(err.get("input"), dict) else None,
                    fix="see renoscore.sensitivity.Sources for the fields and their ranges",
                )
                for err in exc.errors()
            ],
        ) from None
