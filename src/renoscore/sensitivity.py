"""Uncertainty and sensitivity analysis of rankings: how much do they depend on the choices?

A ranking of communities decides which estate is renovated first. The OECD/JRC Handbook on
Constructing Composite Indicators (2008, step 7) makes uncertainty and sensitivity analysis a
required step: vary every uncertain input at once and report how far the ranks move
(Saisana, Saltelli & Tarantola 2005). This module does it across the whole indicator
hierarchy, including the AHP judgements that the weights come from.

* :func:`uncertainty` -- Monte Carlo over declared sources of uncertainty (:class:`Sources`):
  AHP judgements moved along Saaty's scale, weights drawn from a Dirichlet distribution around
  the base weights, the choice of normalisation, aggregation and missing-data policy, the
  combination alpha, and measurement error of the indicator values. For every community: the
  median rank and its 5-95 % interval, the probability of being in the top k and of each grade;
  for every draw: Spearman's rho and Kendall's tau-b with the base ranking and the mean absolute
  rank shift; the same at the level of every dimension.
* :func:`sensitivity` -- variance-based global sensitivity: Sobol' first-order and total indices
  (Saltelli et al. 2010; Jansen 1999) of the mean absolute rank shift and of every community's
  rank with respect to each source.
* :func:`one_at_a_time` -- the quick table: each dimension weight moved by -20, -10, +10, +20 %
  and the weights renormalised.
* :func:`plot_rank_intervals`, :func:`plot_sobol`, :func:`plot_one_at_a_time` draw the charts
  and :func:`html_section` the section of an HTML report.

Many draws are scored at once: with complete data and the arithmetic mean, one matrix product
``(N x M) @ (M x draws)`` per chunk of draws (:mod:`renoscore._sensitivity_draws`); AHP
perturbations go through the batched AHP engine (:mod:`renoscore.ahp`); the ranks of a chunk
are one call of :func:`renoscore.ranking.rank` on an ``(N, draws)`` matrix.

**One phase.** Ranks are within a phase (:func:`renoscore.evaluate`), so an analysis covers the
rows of one phase: pass ``phase=`` when the data hold several.

**Reproducible.** Every source draws from its own random stream, derived from ``seed`` and the
source's name (NumPy ``SeedSequence``), so the same seed gives the same numbers, adding a source
leaves the draws of the others unchanged, and the first ``n`` draws of a longer run are the
draws of a shorter one. Results record the seed and every setting (:class:`UncertaintySettings`).

References
----------
Chan, T. F., Golub, G. H. & LeVeque, R. J. (1983). Algorithms for computing the sample
    variance: analysis and recommendations. The American Statistician 37(3), 242-247.
Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The American
    Statistician 50(4), 361-365.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. Computer Physics
    Communications 117(1-2), 35-43.
Hauser, D. & Tadikamalla, P. (1996). The Analytic Hierarchy Process in an uncertain
    environment: a simulation approach. European Journal of Operational Research 91(1), 27-37.
Kotz, S., Balakrishnan, N. & Johnson, N. L. (2000). Continuous Multivariate Distributions,
    Vol. 1, 2nd ed., chapter 49 (Dirichlet distribution). Wiley, New York.
Ma, J., Fan, Z.-P. & Huang, L.-H. (1999). A subjective and objective integrated approach to
    determine attribute weights. European Journal of Operational Research 112(2), 397-404.
OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.
    OECD Publishing, Paris.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. Journal of the
    Royal Statistical Society A 168(2), 307-323.
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Design and estimator for the total
    sensitivity index. Computer Physics Communications 181(2), 259-270.
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana, M. &
    Tarantola, S. (2008). Global Sensitivity Analysis: The Primer. Wiley, Chichester.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from renoscore import ahp, normalize, ranking
from renoscore import weights as objective
from renoscore._optional import import_optional
from renoscore._sensitivity_draws import (
    aggregate_draws,
    kendall_tau_b,
    saaty_step,
    saltelli_design,
    sobol_bootstrap,
    sobol_indices,
    spearman_rho,
)
from renoscore._version import __version__
from renoscore.data import CellStatus, CommunityData, load_data
from renoscore.errors import (
    ConstantIndicatorWarning,
    DataValidationError,
    OptionError,
    Problem,
    WeightsError,
)
from renoscore.hierarchy import Tree
from renoscore.panel import Panel
from renoscore.pipeline import evaluate, system_tree
from renoscore.result import EvaluationResult
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import NodeWeights, Weights, derive_weights

__all__ = [
    "FACTORS",
    "JudgementNoise",
    "MeasurementError",
    "OneAtATimeResult",
    "SensitivityResult",
    "Sources",
    "UncertaintyResult",
    "UncertaintySettings",
    "WeightNoise",
    "html_section",
    "one_at_a_time",
    "plot_one_at_a_time",
    "plot_rank_intervals",
    "plot_sobol",
    "saltelli_design",
    "sensitivity",
    "sobol_indices",
    "uncertainty",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
Progress = Callable[[int, int], None]
Normalization = Literal["goalposts", "minmax"]
Aggregation = Literal["arithmetic", "geometric"]
MissingChoice = Literal["renormalize", "impute_mean", "impute_median"]
TieMethod = Literal["min", "max", "dense", "average", "ordinal"]

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
# Stream keys: each source draws from SeedSequence(seed, spawn_key=(key, ...)), so its draws
# do not depend on which other sources are declared.
_STREAM = {name: k + 1 for k, name in enumerate(FACTORS)}
_SCALAR = ("normalization", "aggregation", "missing", "alpha")
_NORMALIZATIONS: tuple[str, ...] = ("goalposts", "minmax")
_AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric")
_MISSING: tuple[str, ...] = ("error", "renormalize", "impute_mean", "impute_median")
_QUANTILES = (0.05, 0.5, 0.95)
_DEFAULT_CHUNK_BYTES = 1 << 27
_CACHE_ELEMENTS = 1 << 18


# =========================================================================== settings
class _Frozen(BaseModel):
    # An infinite concentration is written "Infinity" in JSON (and read back), not null.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="strings")


class JudgementNoise(_Frozen):
    """AHP judgements moved along Saaty's scale.

    Each judgement an expert gave (each pair once) moves ``steps`` positions along the scale
    1/9 ... 1/2, 1, 2 ... 9 (Saaty 1980) with probability ``probability``, up or down with equal
    chance (:func:`renoscore._sensitivity_draws.saaty_step`); its reciprocal follows. The
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
    """

    concentration: float = Field(default=100.0, gt=0.0)
    nodes: tuple[str, ...] | None = None


class MeasurementError(_Frozen):
    """Indicator values measured with error: ``x + sd * z``, ``z`` standard normal.

    The value of every observed cell is drawn from a normal distribution around the reported
    value with the given standard deviation (the standard uncertainty of the measurement, e.g.
    the standard error of a survey mean; JCGM 100:2008, section 4.2), cut back into the
    indicator's valid range. Missing and not-applicable cells are not touched; an imputed cell
    keeps the score it gets without measurement error.

    Parameters
    ----------
    sd : mapping of indicator id to float or str
        A standard deviation in the indicator's unit, or the name of a context column of the
        data holding each row's standard error (e.g. a survey's ``p_satisfaction_se``).
    span_fraction : float, optional
        A default for every indicator not in ``sd`` except binary and ordinal ones: this share
        of the distance between its goalposts (e.g. 0.05).
    """

    sd: dict[str, float | str] = Field(default_factory=dict)
    span_fraction: float | None = Field(default=None, ge=0.0)


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
    """

    judgements: JudgementNoise | None = None
    weights: WeightNoise | None = None
    normalization: tuple[Normalization, ...] = ()
    aggregation: tuple[Aggregation, ...] = ()
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
    """Every setting of an analysis: enough to repeat it."""

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


def _as_sources(sources: Sources | Mapping[str, Any] | None) -> Sources:
    if isinstance(sources, Sources):
        return sources
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


# =========================================================================== the model
@dataclass
class _AhpNode:
    """What is needed to re-derive one node's AHP priorities for many perturbed panels."""

    group: int
    node: str
    children: tuple[str, ...]
    stack: FloatArray  # (E, n, n) raw judgements of the kept experts, NaN where not given
    pairs: tuple[IntArray, IntArray]  # upper-triangle cells given by at least one expert
    membership: IntArray
    expert_weights: FloatArray
    group_weights: FloatArray
    group_method: str
    prioritisation: str


@dataclass
class _Combined:
    """A node that combines a subjective and an objective weight vector."""

    subjective: FloatArray
    objective: FloatArray
    combination: str
    alpha: float


@dataclass
class _Noise:
    sd: FloatArray  # (N, M), 0 where no error
    values: FloatArray  # (N, M), NaN where not observed
    ok: NDArray[np.bool_]
    lo: FloatArray
    hi: FloatArray


@dataclass
class _Pools:
    """Realisations of each source, addressed by index (one row per realisation)."""

    judgements: dict[int, FloatArray] = field(default_factory=dict)
    eps: dict[int, FloatArray] = field(default_factory=dict)
    codes: dict[str, IntArray] = field(default_factory=dict)
    alpha: FloatArray | None = None


class _Model:
    """An indicator system, one phase of data and base settings, ready to score many draws."""

    def __init__(
        self,
        system: IndicatorSystem,
        data: CommunityData,
        weights: Weights,
        panel: Panel | None,
        sources: Sources,
        *,
        normalization: str,
        aggregation: str,
        missing: str,
        min_coverage: float,
        impute_by: str | None,
        tie_method: str,
        tie_tolerance: float,
        levels: Literal["goal", "dimensions", "all"] | Sequence[str],
        completion: str,
        seed: int,
    ) -> None:
        self.system = system
        self.data = data
        self.weights = weights
        self.panel = panel
        self.sources = sources
        self.seed = seed
        self.tie_method = tie_method
        self.tie_tolerance = tie_tolerance
        self.completion = completion
        self.options = {
            "normalization": sources.normalization or (normalization,),
            "aggregation": sources.aggregation or (aggregation,),
            "missing": sources.missing or (missing,),
        }
        self.base_options = {
            "normalization": normalization,
            "aggregation": aggregation,
            "missing": missing,
        }
        self.base = evaluate(
            system,
            data,
            weights,
            normalization=normalization,  # type: ignore[arg-type]
            aggregation=aggregation,  # type: ignore[arg-type]
            missing=missing,  # type: ignore[arg-type]
            min_coverage=min_coverage,
            impute_by=impute_by,
            tie_method=tie_method,  # type: ignore[arg-type]
            tie_tolerance=tie_tolerance,
        )
        self.tree: Tree = system_tree(system, weights)
        self.group_ids = tuple(g.id for g in system.groups)
        self.base_local = [
            np.array(weights.nodes[g].local, dtype=np.float64) for g in self.group_ids
        ]
        self.level_ids = _levels(system, levels)
        self.level_groups = [self.group_ids.index(g) for g in self.level_ids]
        base_scores = self.base.group_scores[:, self.level_groups]
        self.level_rows = [
            np.flatnonzero(~np.isnan(base_scores[:, k])) for k in range(len(self.level_ids))
        ]
        self.base_scores = base_scores
        self.base_ranks = self.base.ranks[:, self.level_groups]
        self.base_mid = [
            ranking.rank(base_scores[rows, k], method="average", tol=tie_tolerance)
            for k, rows in enumerate(self.level_rows)
        ]
        self.thresholds = system.grade_thresholds()[:-1]
        self.n_grades = len(system.grades)
        self.S: dict[tuple[str, str], FloatArray] = {}
        with warnings.catch_warnings():
            # The base evaluation already raised every warning these variants would repeat.
            warnings.simplefilter("ignore")
            for norm in dict.fromkeys((normalization, *self.options["normalization"])):
                for miss in dict.fromkeys((missing, *self.options["missing"])):
                    res = evaluate(
                        system,
                        data,
                        weights,
                        normalization=norm,
                        aggregation=aggregation,  # type: ignore[arg-type]
                        missing=miss,
                        min_coverage=min_coverage,
                        impute_by=impute_by,
                    )
                    self.S[(norm, miss)] = (
                        np.asarray(res.indicator_scores, dtype=np.float64) / 100.0
                    )
        self.ahp_nodes = self._ahp_nodes() if sources.judgements is not None else {}
        self.combined = self._combined_nodes()
        self.dirichlet_nodes = self._dirichlet_nodes()
        if sources.alpha is not None and not any(
            c.combination in ("linear", "min_information") for c in self.combined.values()
        ):
            raise OptionError(
                "no node combines weights with an alpha",
                [
                    Problem(
                        "the alpha source has nothing to act on",
                        fix="remove alpha from the sources, or weight a node with method: combined",
                    )
                ],
            )
        self.noise = self._noise() if sources.measurement is not None else None

    # ------------------------------------------------------------------ preparation
    def _ahp_nodes(self) -> dict[int, _AhpNode]:
        assert self.sources.judgements is not None
        wanted = self.sources.judgements.nodes
        candidates = [
            k
            for k, g in enumerate(self.group_ids)
            if _is_ahp(self.weights.nodes[g]) and len(self.weights.nodes[g].children) > 1
        ]
        if wanted is not None:
            names = {self.group_ids[k] for k in candidates}
            unknown = [w for w in wanted if w not in names]
            if unknown:
                raise OptionError(
                    "judgement noise names nodes that are not weighted by AHP",
                    [
                        Problem(
                            "not an AHP node",
                            path=w,
                            fix=f"choose among {sorted(names)}"
                            if names
                            else "weight a node by AHP",
                        )
                        for w in unknown
                    ],
                )
            candidates = [k for k in candidates if self.group_ids[k] in wanted]
        if not candidates:
            raise OptionError(
                "judgement noise needs weights derived by AHP",
                [
                    Problem(
                        "no node of these weights comes from AHP judgements",
                        fix="derive the weights with a panel (weights='ahp', panel=...) or drop the judgements source",
                    )
                ],
            )
        if self.panel is None:
            raise OptionError(
                "judgement noise needs the expert panel",
                [Problem("no panel given", fix="pass panel=... (the panel the weights came from)")],
            )
        out = {k: self._ahp_node(k) for k in candidates}
        for k, node in out.items():
            base = _ahp_priorities(node, self.completion)[0]
            expected = self._subjective_base(k)
            if not np.allclose(base, expected, rtol=1e-6, atol=1e-9):
                raise WeightsError(
                    f"the weights of {node.node!r} were not derived from this panel",
                    [
                        Problem(
                            f"re-derived {np.round(base, 4).tolist()}, the weights hold {np.round(expected, 4).tolist()}",
                            path=node.node,
                            fix="pass the panel (and completion method) the weights were derived with",
                        )
                    ],
                )
        return out

    def _subjective_base(self, k: int) -> FloatArray:
        nw = self.weights.nodes[self.group_ids[k]]
        if nw.parts:
            return np.array(next(iter(nw.parts.values())), dtype=np.float64)
        return np.array(nw.local, dtype=np.float64)

    def _ahp_node(self, k: int) -> _AhpNode:
        assert self.panel is not None
        node = self.group_ids[k]
        nw = self.weights.nodes[node]
        kept = [e.expert for e in nw.experts if not e.excluded]
        position = {e.id: i for i, e in enumerate(self.panel.experts)}
        missing = [e for e in kept if e not in position]
        if missing:
            raise WeightsError(
                f"the weights of {node!r} name experts the panel does not have",
                [
                    Problem(
                        f"experts {missing}", path=node, fix="pass the panel the weights came from"
                    )
                ],
            )
        stack = self.panel.matrices(node, nw.children)[[position[e] for e in kept]]
        experts = [self.panel.experts[position[e]] for e in kept]
        groups = [e.group or e.id for e in experts]
        names = list(dict.fromkeys(groups))
        params = nw.parameters
        prov = self.weights.provenance
        combined = bool(nw.parts)
        group_method = str(
            prov.group_method if combined else params.get("group_method", prov.group_method)
        )
        prioritisation = str(
            prov.prioritisation if combined else params.get("prioritisation", prov.prioritisation)
        )
        iu, ju = np.triu_indices(len(nw.children), k=1)
        return _AhpNode(
            group=k,
            node=node,
            children=nw.children,
            stack=stack,
            pairs=(iu.astype(np.intp), ju.astype(np.intp)),
            membership=np.array([names.index(g) for g in groups], dtype=np.intp),
            expert_weights=np.array([e.weight for e in experts], dtype=np.float64),
            group_weights=np.array([self.panel.group_weight(g) for g in names], dtype=np.float64),
            group_method=group_method or "aij",
            prioritisation=prioritisation or "eigenvector",
        )

    def _combined_nodes(self) -> dict[int, _Combined]:
        out: dict[int, _Combined] = {}
        for k, g in enumerate(self.group_ids):
            nw = self.weights.nodes[g]
            if nw.method.startswith("combined") and len(nw.parts) == 2:
                sub, obj = (np.array(v, dtype=np.float64) for v in nw.parts.values())
                out[k] = _Combined(
                    subjective=sub,
                    objective=obj,
                    combination=str(nw.parameters.get("combination", "linear")),
                    alpha=float(nw.parameters.get("alpha", 0.5)),
                )
        return out

    def _dirichlet_nodes(self) -> list[int]:
        noise = self.sources.weights
        if noise is None:
            return []
        eligible = [k for k, w in enumerate(self.base_local) if w.size > 1]
        if noise.nodes is None:
            return eligible
        names = {self.group_ids[k]: k for k in eligible}
        unknown = [n for n in noise.nodes if n not in names]
        if unknown:
            raise OptionError(
                "weight noise names nodes that are not groups with two or more children",
                [
                    Problem("unknown node", path=n, fix=f"choose among {sorted(names)}")
                    for n in unknown
                ],
            )
        return [names[n] for n in noise.nodes]

    def _noise(self) -> _Noise:
        spec = self.sources.measurement
        assert spec is not None
        system, data = self.system, self.data
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
                    Problem(
                        "not an indicator of the system", column=ind_id, fix="use an indicator id"
                    )
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
        return _Noise(sd=sd, values=np.asarray(data.values, dtype=np.float64), ok=ok, lo=lo, hi=hi)

    # ------------------------------------------------------------------ pools
    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def pools(self, size: int, uniforms: Mapping[str, FloatArray] | None = None) -> _Pools:
        """Realisations 0 .. size-1 of every declared source."""
        src = self.sources
        pools = _Pools()
        uniforms = uniforms or {}
        if src.judgements is not None:
            p, steps = src.judgements.probability, src.judgements.steps
            for k, node in self.ahp_nodes.items():
                u = self._rng(_STREAM["judgements"], k).random(
                    (size, node.stack.shape[0], node.pairs[0].size)
                )
                moves = np.where(u < 0.5 * p, -steps, np.where(u < p, steps, 0))
                pools.judgements[k] = _ahp_priorities(node, self.completion, moves)
        if src.weights is not None:
            conc = src.weights.concentration
            for k in self.dirichlet_nodes:
                mu = self.base_local[k]
                eps = np.ones((size, mu.size))
                pos = mu > 0
                if math.isfinite(conc) and pos.sum() > 1:
                    draws = self._rng(_STREAM["weights"], k).dirichlet(conc * mu[pos], size=size)
                    eps[:, pos] = draws / mu[pos]
                pools.eps[k] = eps
        for name in ("normalization", "aggregation", "missing"):
            options = getattr(src, name)
            if options:
                u = self._uniform(name, size, uniforms)
                pools.codes[name] = np.minimum((u * len(options)).astype(np.intp), len(options) - 1)
        if src.alpha is not None:
            lo, hi = src.alpha
            pools.alpha = lo + (hi - lo) * self._uniform("alpha", size, uniforms)
        return pools

    def _uniform(self, name: str, size: int, given: Mapping[str, FloatArray]) -> FloatArray:
        """The driving uniforms of a scalar source: given (a Sobol' design) or its own stream."""
        if name in given:
            return np.asarray(given[name], dtype=np.float64)
        return self._rng(_STREAM[name]).random(size)

    # ------------------------------------------------------------------ scoring
    def local_weights(
        self, pools: _Pools, index: Mapping[str, IntArray], c: int
    ) -> list[FloatArray]:
        """Local weights of every group for ``c`` runs (realisation ``index[f]`` of source f)."""
        out: list[FloatArray] = []
        alpha = None if pools.alpha is None else pools.alpha[index["alpha"]]
        for k, base in enumerate(self.base_local):
            w = np.broadcast_to(base, (c, base.size))
            subjective = None
            if k in pools.judgements:
                subjective = pools.judgements[k][index["judgements"]]
                w = subjective
            if k in self.combined and (subjective is not None or alpha is not None):
                comb = self.combined[k]
                ws = (
                    subjective
                    if subjective is not None
                    else np.broadcast_to(comb.subjective, (c, base.size))
                )
                a = alpha if alpha is not None else np.full(c, comb.alpha)
                w = _combine(ws, comb.objective, comb.combination, a)
            if k in pools.eps:
                w = w * pools.eps[k][index["weights"]]
                w = w / w.sum(axis=1, keepdims=True)
            out.append(np.array(w, dtype=np.float64))
        return out

    def codes(self, pools: _Pools, index: Mapping[str, IntArray], c: int) -> dict[str, IntArray]:
        """Option index per run for normalisation, aggregation and missing policy."""
        out: dict[str, IntArray] = {}
        for name in ("normalization", "aggregation", "missing"):
            if name in pools.codes:
                out[name] = pools.codes[name][index[name]]
            else:
                out[name] = np.zeros(c, dtype=np.intp)
        return out

    def scores(
        self,
        local: Sequence[FloatArray],
        codes: Mapping[str, IntArray],
        noise_ids: IntArray | None = None,
    ) -> FloatArray:
        """Scores (0-100) of every level for a chunk of runs, shape (N, levels, runs)."""
        c = local[0].shape[0]
        n = self.data.n
        out = np.empty((n, len(self.level_groups), c))
        norm_opts, agg_opts, miss_opts = (
            self.options["normalization"],
            self.options["aggregation"],
            self.options["missing"],
        )
        key = (codes["normalization"] * len(miss_opts) + codes["missing"]) * len(agg_opts) + codes[
            "aggregation"
        ]
        # One pass per combination of method choices present in the chunk (a handful).
        for value in np.unique(key).tolist():
            sel = np.flatnonzero(key == value)
            agg = agg_opts[value % len(agg_opts)]
            miss = miss_opts[(value // len(agg_opts)) % len(miss_opts)]
            norm = norm_opts[value // (len(agg_opts) * len(miss_opts))]
            S = self.S[(norm, miss)]
            if noise_ids is not None and self.noise is not None:
                S = self._noisy(S, norm, noise_ids[sel])
            out[:, :, sel] = 100.0 * aggregate_draws(
                S,
                self.tree,
                [w[sel] for w in local],
                method=agg,  # type: ignore[arg-type]
                groups=self.level_groups,
            )
        return out

    def _noisy(self, S: FloatArray, norm: str, ids: IntArray) -> FloatArray:
        noise = self.noise
        assert noise is not None
        n, m = S.shape
        # One generator per realisation, so that a realisation is the same in every run that
        # uses it (the Saltelli design reuses each one k + 1 times).
        z = np.stack(
            [self._rng(_STREAM["measurement"], int(j)).standard_normal((n, m)) for j in ids]
        )
        X = np.clip(noise.values + noise.sd * z, noise.lo, noise.hi)
        if norm == "goalposts":
            floor, target = self.system.goalpost_arrays()
            Sn = normalize.goalposts(X.reshape(-1, m), floor, target).reshape(X.shape)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConstantIndicatorWarning)
                Sn = np.stack([normalize.minmax(x, self.system.directions) for x in X])
        return np.asarray(np.where(noise.ok, Sn, S), dtype=np.float64)


def _is_ahp(nw: NodeWeights) -> bool:
    return nw.method == "ahp" or nw.method.startswith("combined(ahp")


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


def _ahp_priorities(
    node: _AhpNode, completion: str, moves: NDArray[np.int64] | None = None
) -> FloatArray:
    """Priorities of one AHP node for a batch of perturbed panels, shape (R, n).

    The same steps as :func:`renoscore.derive_weights`: completion of missing judgements,
    aggregation of individual judgements within and across stakeholder groups (weighted
    geometric means; Aczél & Saaty 1983, Forman & Peniwati 1998) or of individual priorities,
    then prioritisation (Saaty 1980) -- for every panel of the batch at once. Without
    ``moves`` the batch is the unperturbed panel alone.
    """
    iu, ju = node.pairs
    if moves is None:
        P = node.stack[None].copy()
    else:
        P = np.array(np.broadcast_to(node.stack, (moves.shape[0], *node.stack.shape)))
        moved = saaty_step(P[:, :, iu, ju], moves)
        P[:, :, iu, ju] = moved
        P[:, :, ju, iu] = 1.0 / moved
    incomplete = np.isnan(P).any(axis=(0, 2, 3))
    if incomplete.any():
        P[:, incomplete] = ahp.complete(P[:, incomplete], method=completion, labels=node.children)
    groups = int(node.membership.max()) + 1
    if node.group_method == "aij":
        within = np.stack(
            [
                ahp.aggregate_judgements(
                    P[:, node.membership == g], weights=node.expert_weights[node.membership == g]
                )
                for g in range(groups)
            ],
            axis=1,
        )
        combined = ahp.aggregate_judgements(within, weights=node.group_weights)
        return np.asarray(ahp.priorities(combined, method=node.prioritisation), dtype=np.float64)
    prio = ahp.priorities(P, method=node.prioritisation)
    within_p = np.stack(
        [
            ahp.aggregate_priorities(
                prio[:, node.membership == g], weights=node.expert_weights[node.membership == g]
            )
            for g in range(groups)
        ],
        axis=1,
    )
    return np.asarray(
        ahp.aggregate_priorities(within_p, weights=node.group_weights), dtype=np.float64
    )


def _combine(ws: FloatArray, wo: FloatArray, combination: str, alpha: FloatArray) -> FloatArray:
    """Combined weights for a batch of subjective vectors and alphas, shape (C, n).

    Linear: ``w = alpha w_s + (1 - alpha) w_o`` (Ma, Fan & Huang 1999); minimum information:
    ``w ∝ w_s^alpha w_o^(1 - alpha)`` (Kullback 1959); the other rules ignore alpha and are
    computed by :func:`renoscore.weights.combine`.
    """
    a = alpha[:, None]
    if combination == "linear":
        w = a * ws + (1.0 - a) * wo
    elif combination == "min_information":
        with np.errstate(divide="ignore"):
            logs_s, logs_o = np.log(ws), np.log(wo)
        w = np.exp(np.where(a > 0, a * logs_s, 0.0) + np.where(a < 1, (1.0 - a) * logs_o, 0.0))
    else:
        w = objective.combine(ws, np.broadcast_to(wo, ws.shape), combination)  # type: ignore[arg-type]
    return np.asarray(w / w.sum(axis=1, keepdims=True), dtype=np.float64)


def _levels(
    system: IndicatorSystem, levels: Literal["goal", "dimensions", "all"] | Sequence[str]
) -> tuple[str, ...]:
    groups = tuple(g.id for g in system.groups)
    goal = groups[0]
    if isinstance(levels, str):
        if levels == "goal":
            return (goal,)
        if levels == "dimensions":
            return (goal, *(d.id for d in system.dimensions if d.id in groups))
        if levels == "all":
            return groups
        raise OptionError(
            f"unknown levels {levels!r}",
            [
                Problem(
                    "unknown option",
                    value=levels,
                    fix="use goal, dimensions, all or a list of group ids",
                )
            ],
        )
    unknown = [g for g in levels if g not in groups]
    if unknown:
        raise OptionError(
            "levels must be groups of the system",
            [Problem("not a group", path=g, fix=f"choose among {list(groups)}") for g in unknown],
        )
    return (goal, *(g for g in dict.fromkeys(levels) if g != goal))


def _prepare(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None,
    panel: Panel | None,
    phase: str | None,
    weights_phase: str | None,
) -> tuple[IndicatorSystem, CommunityData, Weights]:
    system = load_system(system)
    if not isinstance(data, CommunityData):
        data = load_data(data, system)
    if isinstance(weights, Weights):
        weights.check(system)
        w = weights
    else:
        w = derive_weights(system, panel, data, method=weights, phase=weights_phase)
    phases = list(dict.fromkeys(data.phases))
    if phase is not None:
        if phase not in phases:
            raise OptionError(
                f"no rows in phase {phase!r}",
                [Problem("unknown phase", value=phase, fix=f"choose among {phases}")],
            )
        data = data.select(phase=phase)
    elif len(phases) > 1:
        raise OptionError(
            "the data hold several phases; ranks are within a phase",
            [Problem(f"phases {phases}", fix="pass phase=... (e.g. the baseline phase)")],
        )
    if len(set(data.ids)) != data.n:
        raise OptionError(
            "duplicate community ids within the phase",
            [Problem("ambiguous rows", fix="give every community one row per phase")],
        )
    return system, data, w


def _seed(seed: int | None) -> int:
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise OptionError(
            "seed must be a non-negative integer", [Problem("invalid seed", value=seed)]
        )
    return int(seed)


def _chunk(model: _Model, budget: int, per_run_extra: int = 0) -> int:
    n, m = (int(x) for x in model.data.values.shape)
    k = len(model.group_ids)
    per_run = 8 * n * (k + 4 * len(model.level_groups)) + per_run_extra
    if model.noise is not None:
        per_run += 8 * n * m * 4
    return max(1, int(budget) // max(per_run, 1))


def _check_int(name: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise OptionError(
            f"{name} must be an integer >= {low}", [Problem(f"invalid {name}", value=value)]
        )


def _settings(
    model: _Model,
    analysis: Literal["uncertainty", "sensitivity", "one_at_a_time"],
    *,
    n: int,
    runs: int,
    phase: str | None,
    top_k: int,
    sampler: str,
    min_coverage: float,
    options: dict[str, Any] | None = None,
) -> UncertaintySettings:
    return UncertaintySettings(
        analysis=analysis,
        seed=model.seed,
        n=n,
        runs=runs,
        phase=phase if phase is not None else (model.data.phases[0] if model.data.n else None),
        sources=model.sources,
        sampler=sampler,
        normalization=model.base_options["normalization"],
        aggregation=model.base_options["aggregation"],
        missing=model.base_options["missing"],
        min_coverage=min_coverage,
        tie_method=model.tie_method,
        tie_tolerance=model.tie_tolerance,
        top_k=top_k,
        levels=model.level_ids,
        completion=model.completion,
        system_id=model.system.id,
        system_version=model.system.version,
        data_digest=model.data.digest(),
        panel=model.panel.id if model.panel is not None else None,
        weights=model.weights,
        options=options or {},
    )


# =========================================================================== rank statistics
def _column_blocks(rows: int, cols: int) -> list[slice]:
    """Column blocks of about 2 MB: ranking and counting a block that stays in cache is several
    times faster per draw than one pass over a whole (communities x draws) chunk."""
    step = max(1, _CACHE_ELEMENTS // max(rows, 1))
    return [slice(c0, min(cols, c0 + step)) for c0 in range(0, cols, step)]


def _rank_chunk(scores: FloatArray, method: str, tol: float) -> tuple[FloatArray, FloatArray]:
    """Ranks of a chunk (rows x runs) and the mid-ranks for rank correlations.

    A score that a run could not compute (NaN) ranks last, so that every run ranks the same
    communities. Mid-ranks (tie method "average"; Kendall 1945) are computed again only for
    the runs that have ties.
    """
    filled = np.where(np.isnan(scores), -np.inf, scores)
    n = filled.shape[0]
    ranks = np.empty_like(filled)
    for cols in _column_blocks(*filled.shape):
        ranks[:, cols] = ranking.rank(filled[:, cols], method=method, tol=tol)  # type: ignore[arg-type]
    if method == "average":
        return ranks, ranks
    if method == "ordinal":
        tied = np.ones(ranks.shape[1], dtype=bool)
    elif method == "min":
        tied = ranks.sum(axis=0) < n * (n + 1) / 2 - 0.25
    elif method == "max":
        tied = ranks.sum(axis=0) > n * (n + 1) / 2 + 0.25
    else:
        tied = ranks.max(axis=0, initial=0.0) < n
    if not tied.any():
        return ranks, ranks
    mid = ranks.copy()
    which = np.flatnonzero(tied)
    for cols in _column_blocks(n, which.size):
        sel = which[cols]
        mid[:, sel] = ranking.rank(filled[:, sel], method="average", tol=tol)
    return ranks, mid


def _correlations(
    base_mid: FloatArray, mid: FloatArray, kendall: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Spearman's rho and Kendall's tau-b of every run with the base ranking, block by block
    (tau is NaN when ``kendall`` is False)."""
    rho = np.empty(mid.shape[1])
    tau = np.full(mid.shape[1], np.nan)
    for cols in _column_blocks(*mid.shape):
        rho[cols] = spearman_rho(base_mid, mid[:, cols])
        if kendall:
            tau[cols] = kendall_tau_b(base_mid, mid[:, cols])
    return rho, tau


@dataclass
class _LevelStats:
    """Running statistics of one level over the draws."""

    ranks: NDArray[np.float32]
    top: FloatArray
    grades: FloatArray
    score_n: FloatArray
    score_mean: FloatArray
    score_m2: FloatArray  # sum of squared deviations from the mean


# =========================================================================== uncertainty
@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Rank intervals and rank stability under the declared sources of uncertainty.

    Arrays are indexed ``[community, level]`` (rows in the order of ``ids``; levels: the goal,
    then each dimension) or ``[draw, level]``. Ranks follow :func:`renoscore.evaluate`: 1 is
    best, within the phase, with the settings' tie method and tolerance. A community that the
    base evaluation does not score at a level has NaN there.

    Attributes
    ----------
    settings : UncertaintySettings
        Every setting, the seed and the base weights.
    base : EvaluationResult
        The evaluation without any perturbation.
    ids : tuple of str
        Community ids.
    levels : tuple of str
        Level (group) ids: the goal first.
    grade_ids : tuple of str
        The system's grade ids, best first.
    base_rank, base_score : ndarray (N, L)
    rank_median, rank_p05, rank_p95, rank_mean : ndarray (N, L)
        Median, 5 % and 95 % quantiles (Hyndman & Fan 1996, definition 1: always a rank that
        occurred) and mean of the rank over the draws.
    prob_top_k : ndarray (N, L)
        Share of draws with rank <= ``settings.top_k``.
    prob_grade : ndarray (N, L, G)
        Share of draws in each grade.
    score_mean, score_sd : ndarray (N, L)
        Mean and standard deviation of the score (0-100) over the draws.
    spearman, kendall : ndarray (draws, L)
        Spearman's rho and Kendall's tau-b of each draw's ranking with the base ranking.
    mean_abs_shift, max_shift : ndarray (draws, L)
        Mean and largest absolute rank change from the base ranking (the mean is Saisana,
        Saltelli & Tarantola's 2005 output R_S).
    draw_ranks : ndarray (draws, N) of float32 or None
        Overall rank of every community in every draw (``keep_draws=True``).
    draw_weights : dict of node id to ndarray (draws, children), or None
        Local weights of every group in every draw (``keep_draws=True``).
    draw_choices : dict of str to ndarray (draws,), or None
        The drawn method options (index into ``settings.sources.<name>``) and alphas.
    """

    settings: UncertaintySettings
    base: EvaluationResult
    ids: tuple[str, ...]
    levels: tuple[str, ...]
    grade_ids: tuple[str, ...]
    base_rank: FloatArray
    base_score: FloatArray
    rank_median: FloatArray
    rank_p05: FloatArray
    rank_p95: FloatArray
    rank_mean: FloatArray
    prob_top_k: FloatArray
    prob_grade: FloatArray
    score_mean: FloatArray
    score_sd: FloatArray
    spearman: FloatArray
    kendall: FloatArray
    mean_abs_shift: FloatArray
    max_shift: FloatArray
    draw_ranks: NDArray[np.float32] | None = None
    draw_weights: dict[str, FloatArray] | None = None
    draw_choices: dict[str, NDArray[Any]] | None = None

    def __post_init__(self) -> None:
        for name in (
            "base_rank",
            "base_score",
            "rank_median",
            "rank_p05",
            "rank_p95",
            "rank_mean",
            "prob_top_k",
            "prob_grade",
            "score_mean",
            "score_sd",
            "spearman",
            "kendall",
            "mean_abs_shift",
            "max_shift",
        ):
            getattr(self, name).setflags(write=False)

    def level_index(self, level: str | None = None) -> int:
        """Column of a level (default: the goal)."""
        if level is None:
            return 0
        if level not in self.levels:
            raise OptionError(
                f"no level {level!r} in this analysis",
                [Problem("unknown level", value=level, fix=f"choose among {list(self.levels)}")],
            )
        return self.levels.index(level)

    def records(self, level: str | None = None, lang: str = "en") -> list[dict[str, Any]]:
        """One record per community (and level, when ``level`` is None: every level)."""
        levels = self.levels if level is None else (level,)
        names = {g.id: g.name.get(lang) for g in self.base.system.grades}
        out: list[dict[str, Any]] = []
        for lv in levels:
            k = self.level_index(lv)
            for r, cid in enumerate(self.ids):
                if math.isnan(self.base_rank[r, k]):
                    continue
                probs = self.prob_grade[r, k]
                best = int(np.argmax(probs))
                rec: dict[str, Any] = {
                    "community_id": cid,
                    "level": lv,
                    "base_score": float(self.base_score[r, k]),
                    "base_rank": float(self.base_rank[r, k]),
                    "rank_median": float(self.rank_median[r, k]),
                    "rank_p05": float(self.rank_p05[r, k]),
                    "rank_p95": float(self.rank_p95[r, k]),
                    "rank_mean": float(self.rank_mean[r, k]),
                    "prob_top_k": float(self.prob_top_k[r, k]),
                    "score_mean": float(self.score_mean[r, k]),
                    "score_sd": float(self.score_sd[r, k]),
                    "likely_grade": names[self.grade_ids[best]],
                    "likely_grade_prob": float(probs[best]),
                }
                rec.update(
                    {f"prob_{g}": float(p) for g, p in zip(self.grade_ids, probs, strict=True)}
                )
                out.append(rec)
        return out

    def to_frame(self, level: str | None = None, lang: str = "en") -> Any:
        """The records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "UncertaintyResult.to_frame")
        return pd.DataFrame(self.records(level, lang))

    def summary(self) -> dict[str, Any]:
        """Rank stability per level: quantiles of the correlations and of the rank shifts."""

        def q(a: FloatArray) -> dict[str, float | None]:
            ok = a[~np.isnan(a)]
            if ok.size == 0:
                return {"median": None, "p05": None, "p95": None}
            lo, med, hi = np.quantile(ok, _QUANTILES)
            return {"median": float(med), "p05": float(lo), "p95": float(hi)}

        return {
            "draws": self.settings.n,
            "seed": self.settings.seed,
            "sources": self.settings.sources.describe(),
            "levels": {
                lv: {
                    "spearman": q(self.spearman[:, k]),
                    "kendall": q(self.kendall[:, k]),
                    "mean_abs_shift": q(self.mean_abs_shift[:, k]),
                    "max_shift": q(self.max_shift[:, k]),
                    "communities": int(np.count_nonzero(~np.isnan(self.base_rank[:, k]))),
                }
                for k, lv in enumerate(self.levels)
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """Settings, summary and records as plain data."""
        return {
            "format": "renoscore.UncertaintyResult/1",
            "settings": json.loads(self.settings.model_dump_json()),
            "summary": self.summary(),
            "records": self.records(),
        }

    def to_json(self, indent: int | None = None) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    def table(self, level: str | None = None, top: int | None = None, lang: str = "en") -> str:
        """A plain-text table of rank intervals, communities sorted by median rank."""
        k = self.level_index(level)
        recs = sorted(
            self.records(self.levels[k], lang), key=lambda r: (r["rank_median"], r["base_rank"])
        )
        kk = self.settings.top_k
        head = ["community", "base", "median", "5-95 %", f"P(top {kk})", "likely grade"]
        rows = [
            [
                str(r["community_id"])[:16],
                f"{r['base_rank']:.0f}",
                f"{r['rank_median']:.0f}",
                f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                f"{r['prob_top_k']:.2f}",
                f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
            ]
            for r in recs[: top or None]
        ]
        widths = [
            max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
            for i, h in enumerate(head)
        ]
        fmt = "  ".join(f"{{:<{w}}}" if i in (0, 5) else f"{{:>{w}}}" for i, w in enumerate(widths))
        return "\n".join([fmt.format(*head), *(fmt.format(*row) for row in rows)])

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The rank-interval chart (:func:`plot_rank_intervals`)."""
        return plot_rank_intervals(self, ax, **kwargs)

    def __repr__(self) -> str:
        s = self.summary()["levels"][self.levels[0]]
        rho = s["spearman"]["median"]
        return (
            f"UncertaintyResult({len(self.ids)} communities, {self.settings.n} draws, "
            f"sources: {self.settings.sources.describe()}; median Spearman "
            f"{'-' if rho is None else f'{rho:.3f}'})"
        )


def uncertainty(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    sources: Sources | Mapping[str, Any] | None = None,
    panel: Panel | None = None,
    n: int = 1000,
    seed: int | None = None,
    phase: str | None = None,
    top_k: int = 5,
    levels: Literal["goal", "dimensions", "all"] | Sequence[str] = "dimensions",
    normalization: Normalization = "goalposts",
    aggregation: Aggregation = "arithmetic",
    missing: Literal["error", "renormalize", "impute_mean", "impute_median"] = "error",
    min_coverage: float = 2.0 / 3.0,
    impute_by: str | None = None,
    tie_method: TieMethod = "min",
    tie_tolerance: float = 1e-9,
    weights_phase: str | None = None,
    completion: Literal["optimal", "harker", "llsm"] = "optimal",
    keep_draws: bool = True,
    kendall: bool = True,
    chunk_bytes: int = _DEFAULT_CHUNK_BYTES,
    progress: Progress | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the ranking (OECD/JRC 2008, step 7).

    Each of ``n`` draws takes one realisation of every declared source (:class:`Sources`),
    scores every community with the resulting weights and methods, and ranks them; the ranks
    of all draws give each community a rank distribution. The draws are scored in chunks, each
    chunk as one matrix product (complete data, arithmetic mean) or one pass up the hierarchy
    for all its draws, and ranked with one call of :func:`renoscore.ranking.rank`.

    The analysis ranks the communities the base evaluation scores (rows below
    ``min_coverage`` stay out); a draw does not re-apply the coverage rule, so every draw ranks
    the same communities.

    Parameters
    ----------
    system, data, weights, panel
        As for :func:`renoscore.evaluate`. ``panel`` is needed for judgement noise: the panel
        the AHP weights were derived from.
    sources : Sources or mapping
        The sources of uncertainty (at least one).
    n : int
        Number of draws (default 1000).
    seed : int, optional
        Seed of every random stream; drawn from the operating system (and recorded) if None.
    phase : str, optional
        The phase to analyse; needed when the data hold several.
    top_k : int
        ``prob_top_k`` is the share of draws with rank <= top_k (default 5).
    levels : {"goal", "dimensions", "all"} or sequence of group ids
        Where to rank: the goal only, the goal and each dimension (default), or every group.
    normalization, aggregation, missing, min_coverage, impute_by, tie_method, tie_tolerance,
    weights_phase
        The base settings, as for :func:`renoscore.evaluate`.
    completion : {"optimal", "harker", "llsm"}
        How incomplete judgement matrices are completed (as the base weights were).
    keep_draws : bool
        Keep every draw's overall ranks, local weights and method choices in the result.
    kendall : bool
        Compute Kendall's tau-b of every draw (default True); with many communities it costs
        about as much as the ranking itself, and False leaves ``kendall`` NaN.
    chunk_bytes : int
        Working memory per chunk of draws (default 128 MiB); the stored ranks (4 bytes per
        community, draw and level) come on top.
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk.

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    OptionError
        No source declared; a source that cannot act on these weights (judgement noise without
        AHP weights or panel, alpha without a combined node, unknown nodes); several phases
        without ``phase``; fewer than two ranked communities.
    WeightsError
        AHP weights that the given panel does not reproduce.
    DataValidationError
        Invalid measurement errors; missing cells with ``missing="error"``.

    References
    ----------
    OECD/JRC (2008); Saisana, Saltelli & Tarantola (2005); Hyndman & Fan (1996) for the
    quantiles; Spearman (1904) and Kendall (1945) for the rank correlations.

    Examples
    --------
    >>> import renoscore as rs
    >>> res = uncertainty(rs.default_system(), rs.example_data(), phase="t0",
    ...                   missing="renormalize", sources={"weights": {"concentration": 50}},
    ...                   n=200, seed=1, levels="goal")
    >>> bool((res.rank_p05 <= res.rank_median).all() and (res.rank_median <= res.rank_p95).all())
    True
    >>> float(res.spearman.min()) > 0.5
    True
    """
    srcs = _as_sources(sources)
    _check_int("n", n, 1)
    _check_int("top_k", top_k, 1)
    _check_int("chunk_bytes", chunk_bytes, 1)
    if not srcs.active():
        raise OptionError(
            "declare at least one source of uncertainty",
            [
                Problem(
                    "sources is empty",
                    fix=f"set one of {list(FACTORS)}, e.g. sources={{'weights': {{}}}}",
                )
            ],
        )
    sys_, phase_data, w = _prepare(system, data, weights, panel, phase, weights_phase)
    model = _Model(
        sys_,
        phase_data,
        w,
        panel,
        srcs,
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        impute_by=impute_by,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
        levels=levels,
        completion=completion,
        seed=_seed(seed),
    )
    if model.level_rows[0].size < 2:
        raise OptionError(
            "fewer than two communities are scored; there is no ranking to analyse",
            [Problem(f"{model.level_rows[0].size} scored", fix="check coverage and the phase")],
        )
    pools = model.pools(n)
    n_levels = len(model.level_ids)
    stats = [
        _LevelStats(
            ranks=np.empty((rows.size, n), dtype=np.float32),
            top=np.zeros(rows.size),
            grades=np.zeros((rows.size, model.n_grades)),
            score_n=np.zeros(rows.size),
            score_mean=np.zeros(rows.size),
            score_m2=np.zeros(rows.size),
        )
        for rows in model.level_rows
    ]
    spear = np.full((n, n_levels), np.nan)
    kend = np.full((n, n_levels), np.nan)
    mars = np.full((n, n_levels), np.nan)
    maxs = np.full((n, n_levels), np.nan)
    draw_weights = (
        {g: np.empty((n, b.size)) for g, b in zip(model.group_ids, model.base_local, strict=True)}
        if keep_draws
        else None
    )
    chunk = _chunk(model, chunk_bytes)
    for d0 in range(0, n, chunk):
        d1 = min(n, d0 + chunk)
        runs = np.arange(d0, d1, dtype=np.intp)
        index = dict.fromkeys(FACTORS, runs)
        local = model.local_weights(pools, index, runs.size)
        codes = model.codes(pools, index, runs.size)
        scores = model.scores(local, codes, runs if model.noise is not None else None)
        for k, rows in enumerate(model.level_rows):
            _level_chunk(
                model,
                k,
                rows,
                scores[rows, k, :],
                stats[k],
                d0,
                spear,
                kend,
                mars,
                maxs,
                top_k,
                kendall,
            )
        if draw_weights is not None:
            for g, wk in zip(model.group_ids, local, strict=True):
                draw_weights[g][d0:d1] = wk
        if progress is not None:
            progress(d1, n)
    return _uncertainty_result(
        model,
        stats,
        spear,
        kend,
        mars,
        maxs,
        n,
        top_k,
        pools,
        draw_weights,
        keep_draws,
        min_coverage,
        kendall,
    )


def _level_chunk(
    model: _Model,
    k: int,
    rows: IntArray,
    scores: FloatArray,
    st: _LevelStats,
    d0: int,
    spear: FloatArray,
    kend: FloatArray,
    mars: FloatArray,
    maxs: FloatArray,
    top_k: int,
    kendall: bool,
) -> None:
    c = scores.shape[1]
    if rows.size == 0:
        # Nothing under this level is measured in the phase: it stays NaN.
        return
    ranks, mid = _rank_chunk(scores, model.tie_method, model.tie_tolerance)
    st.ranks[:, d0 : d0 + c] = ranks
    st.top += (ranks <= top_k).sum(axis=1)
    grades = ranking.grade(scores, model.thresholds)
    for g in range(model.n_grades):
        st.grades[:, g] += (grades == g).sum(axis=1)
    ok = ~np.isnan(scores)
    # Mean and sum of squared deviations merged chunk by chunk (Chan, Golub & LeVeque 1983):
    # the textbook sum-of-squares formula loses every digit when a score hardly moves.
    n_b = ok.sum(axis=1).astype(np.float64)
    has = n_b > 0
    safe = np.where(has, n_b, 1.0)
    mean_b = np.where(ok, scores, 0.0).sum(axis=1) / safe
    m2_b = np.where(ok, (scores - mean_b[:, None]) ** 2, 0.0).sum(axis=1)
    n_ab = st.score_n + n_b
    delta = mean_b - st.score_mean
    share = np.where(has, n_b / np.where(n_ab > 0, n_ab, 1.0), 0.0)
    st.score_m2 += np.where(has, m2_b + delta**2 * st.score_n * share, 0.0)
    st.score_mean += delta * share
    st.score_n = n_ab
    shift = np.abs(ranks - model.base_ranks[rows, k][:, None])
    mars[d0 : d0 + c, k] = shift.mean(axis=0)
    maxs[d0 : d0 + c, k] = shift.max(axis=0)
    if rows.size >= 2:
        spear[d0 : d0 + c, k], kend[d0 : d0 + c, k] = _correlations(model.base_mid[k], mid, kendall)


def _uncertainty_result(
    model: _Model,
    stats: list[_LevelStats],
    spear: FloatArray,
    kend: FloatArray,
    mars: FloatArray,
    maxs: FloatArray,
    n: int,
    top_k: int,
    pools: _Pools,
    draw_weights: dict[str, FloatArray] | None,
    keep_draws: bool,
    min_coverage: float,
    kendall: bool,
) -> UncertaintyResult:
    n_rows, n_levels = model.data.n, len(model.level_ids)

    def blank() -> FloatArray:
        return np.full((n_rows, n_levels), np.nan)

    med, p05, p95, mean, top, sm, ssd = (blank() for _ in range(7))
    grades = np.full((n_rows, n_levels, model.n_grades), np.nan)
    for k, (rows, st) in enumerate(zip(model.level_rows, stats, strict=True)):
        lo, mid, hi = np.quantile(st.ranks, _QUANTILES, axis=1, method="inverted_cdf")
        p05[rows, k], med[rows, k], p95[rows, k] = lo, mid, hi
        mean[rows, k] = st.ranks.mean(axis=1, dtype=np.float64)
        top[rows, k] = st.top / n
        grades[rows, k, :] = st.grades / n
        cnt = np.maximum(st.score_n, 1.0)
        m1 = st.score_mean
        sm[rows, k] = m1
        ssd[rows, k] = np.sqrt(st.score_m2 / cnt)
    draw_ranks = None
    choices: dict[str, NDArray[Any]] | None = None
    if keep_draws:
        draw_ranks = np.full((n, n_rows), np.nan, dtype=np.float32)
        draw_ranks[:, model.level_rows[0]] = stats[0].ranks.T
        choices = {name: codes.copy() for name, codes in pools.codes.items()}
        if pools.alpha is not None:
            choices["alpha"] = pools.alpha.copy()
    settings = _settings(
        model,
        "uncertainty",
        n=n,
        runs=n,
        phase=None,
        top_k=top_k,
        sampler="pseudo-random (PCG64; one SeedSequence stream per source)",
        min_coverage=min_coverage,
        options={"kendall": kendall, "keep_draws": keep_draws},
    )
    return UncertaintyResult(
        settings=settings,
        base=model.base,
        ids=model.data.ids,
        levels=model.level_ids,
        grade_ids=tuple(g.id for g in model.system.grades),
        base_rank=np.array(model.base_ranks),
        base_score=np.array(model.base_scores),
        rank_median=med,
        rank_p05=p05,
        rank_p95=p95,
        rank_mean=mean,
        prob_top_k=top,
        prob_grade=grades,
        score_mean=sm,
        score_sd=ssd,
        spearman=spear,
        kendall=kend,
        mean_abs_shift=mars,
        max_shift=maxs,
        draw_ranks=draw_ranks,
        draw_weights=draw_weights,
        draw_choices=choices,
    )


# =========================================================================== sensitivity
@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Sobol' indices of the ranking with respect to each source of uncertainty.

    Attributes
    ----------
    settings : UncertaintySettings
    factors : tuple of str
        The sources, one factor each (a source with many random inputs is one group factor).
    first_order, total_order : ndarray (k,)
        Indices of the mean absolute rank shift from the base ranking (Saisana, Saltelli &
        Tarantola 2005, R_S).
    first_order_ci, total_order_ci : ndarray (k, 2)
        95 % bootstrap intervals (Archer, Saltelli & Sobol' 1997).
    variance : float
        Variance of the mean absolute rank shift.
    ids : tuple of str
    rank_first_order, rank_total_order : ndarray (N, k) or None
        Indices of each community's overall rank (NaN for communities not ranked).
    rank_variance : ndarray (N,) or None
        Variance of each community's rank (0: the rank never moves; its indices are 0).
    """

    settings: UncertaintySettings
    factors: tuple[str, ...]
    first_order: FloatArray
    total_order: FloatArray
    first_order_ci: FloatArray
    total_order_ci: FloatArray
    variance: float
    ids: tuple[str, ...]
    rank_first_order: FloatArray | None = None
    rank_total_order: FloatArray | None = None
    rank_variance: FloatArray | None = None

    def records(self) -> list[dict[str, Any]]:
        """One record per source, most influential (largest total index) first."""
        recs = [
            {
                "source": f,
                "first_order": float(self.first_order[i]),
                "first_order_low": float(self.first_order_ci[i, 0]),
                "first_order_high": float(self.first_order_ci[i, 1]),
                "total_order": float(self.total_order[i]),
                "total_order_low": float(self.total_order_ci[i, 0]),
                "total_order_high": float(self.total_order_ci[i, 1]),
            }
            for i, f in enumerate(self.factors)
        ]
        return sorted(recs, key=lambda r: -r["total_order"])

    def community_records(self) -> list[dict[str, Any]]:
        """Per community: the rank variance and each source's first-order and total index."""
        if (
            self.rank_first_order is None
            or self.rank_total_order is None
            or self.rank_variance is None
        ):
            return []
        out = []
        for r, cid in enumerate(self.ids):
            if math.isnan(self.rank_variance[r]):
                continue
            rec: dict[str, Any] = {
                "community_id": cid,
                "rank_variance": float(self.rank_variance[r]),
            }
            for i, f in enumerate(self.factors):
                rec[f"first_{f}"] = float(self.rank_first_order[r, i])
                rec[f"total_{f}"] = float(self.rank_total_order[r, i])
            out.append(rec)
        return out

    def to_frame(self, per_community: bool = False) -> Any:
        """The records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "SensitivityResult.to_frame")
        return pd.DataFrame(self.community_records() if per_community else self.records())

    def to_dict(self) -> dict[str, Any]:
        """Settings and records as plain data."""
        return {
            "format": "renoscore.SensitivityResult/1",
            "settings": json.loads(self.settings.model_dump_json()),
            "output": "mean_abs_rank_shift",
            "variance": self.variance,
            "records": self.records(),
            "communities": self.community_records(),
        }

    def table(self) -> str:
        """A plain-text table of the indices, most influential source first."""
        lines = [f"{'source':<14} {'first order (95 % CI)':<26} {'total (95 % CI)':<26}"]
        for r in self.records():
            lines.append(
                f"{r['source']:<14} "
                f"{r['first_order']:>5.2f} [{r['first_order_low']:>5.2f}, {r['first_order_high']:>5.2f}]   "
                f"{r['total_order']:>5.2f} [{r['total_order_low']:>5.2f}, {r['total_order_high']:>5.2f}]"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The Sobol' bar chart (:func:`plot_sobol`)."""
        return plot_sobol(self, ax, **kwargs)

    def __repr__(self) -> str:
        top = self.records()[0] if self.factors else None
        lead = (
            f"; most influential: {top['source']} (total {top['total_order']:.2f})" if top else ""
        )
        return f"SensitivityResult({len(self.factors)} sources, {self.settings.runs} runs{lead})"


def sensitivity(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    sources: Sources | Mapping[str, Any] | None = None,
    panel: Panel | None = None,
    n: int = 512,
    seed: int | None = None,
    phase: str | None = None,
    per_community: bool = True,
    bootstrap: int = 500,
    normalization: Normalization = "goalposts",
    aggregation: Aggregation = "arithmetic",
    missing: Literal["error", "renormalize", "impute_mean", "impute_median"] = "error",
    min_coverage: float = 2.0 / 3.0,
    impute_by: str | None = None,
    tie_method: TieMethod = "min",
    tie_tolerance: float = 1e-9,
    weights_phase: str | None = None,
    completion: Literal["optimal", "harker", "llsm"] = "optimal",
    chunk_bytes: int = _DEFAULT_CHUNK_BYTES,
    progress: Progress | None = None,
) -> SensitivityResult:
    """Variance-based global sensitivity of the ranking to each source of uncertainty.

    Every declared source is one factor (a group of random inputs varied together; Sobol'
    1993). The Saltelli scheme (Saltelli et al. 2010) runs the model on two independent
    samples A and B and on ``A_B^i`` (A with factor ``i`` taken from B), ``n (k + 2)`` runs in
    all, and estimates the first-order index (Saltelli et al. 2010, Table 2 (b)) and the total
    index (Jansen 1999) of

    * the mean absolute rank shift from the base ranking,
      ``R_S = (1/N) sum_c |rank_c - rank_c^base|`` (Saisana, Saltelli & Tarantola 2005), with
      95 % bootstrap intervals (Archer, Saltelli & Sobol' 1997), and
    * every community's overall rank (``per_community=True``).

    The scalar factors (method choices, alpha) are sampled by scrambled Sobol' points
    (:func:`saltelli_design`); the factors with many random inputs (judgement moves, Dirichlet
    draws, measurement noise) by independent pseudo-random streams, realisation ``j`` of A and
    ``n + j`` of B.

    Parameters
    ----------
    system, data, weights, sources, panel, seed, phase, normalization, aggregation, missing,
    min_coverage, impute_by, tie_method, tie_tolerance, weights_phase, completion,
    chunk_bytes, progress
        As for :func:`uncertainty`.
    n : int
        Base samples (default 512; a power of 2 suits the Sobol' points).
    per_community : bool
        Also estimate the indices of every community's rank.
    bootstrap : int
        Bootstrap resamples for the intervals (default 500).

    Returns
    -------
    SensitivityResult

    Raises
    ------
    OptionError, WeightsError, DataValidationError
        As for :func:`uncertainty`.

    References
    ----------
    Sobol' (1993); Jansen (1999); Saltelli et al. (2008, 2010); Saisana, Saltelli & Tarantola
    (2005); Archer, Saltelli & Sobol' (1997).

    Examples
    --------
    >>> import renoscore as rs
    >>> res = sensitivity(rs.default_system(), rs.example_data(), phase="t0",
    ...                   missing="renormalize", n=64, seed=2, per_community=False,
    ...                   sources={"weights": {"concentration": 30},
    ...                            "aggregation": ("arithmetic", "geometric")})
    >>> res.factors
    ('weights', 'aggregation')
    >>> bool((res.total_order > -0.1).all())
    True
    """
    srcs = _as_sources(sources)
    _check_int("n", n, 2)
    _check_int("bootstrap", bootstrap, 2)
    _check_int("chunk_bytes", chunk_bytes, 1)
    factors = srcs.active()
    if not factors:
        raise OptionError(
            "declare at least one source of uncertainty",
            [Problem("sources is empty", fix=f"set one of {list(FACTORS)}")],
        )
    sys_, phase_data, w = _prepare(system, data, weights, panel, phase, weights_phase)
    model = _Model(
        sys_,
        phase_data,
        w,
        panel,
        srcs,
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        impute_by=impute_by,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
        levels="goal",
        completion=completion,
        seed=_seed(seed),
    )
    rows = model.level_rows[0]
    if rows.size < 2:
        raise OptionError(
            "fewer than two communities are scored; there is no ranking to analyse",
            [Problem(f"{rows.size} scored", fix="check coverage and the phase")],
        )
    k = len(factors)
    design_seed = int(np.random.SeedSequence(model.seed, spawn_key=(0,)).generate_state(1)[0])
    A, B = saltelli_design(k, n, seed=design_seed)
    uniforms = {
        f: np.concatenate([A[:, i], B[:, i]]) for i, f in enumerate(factors) if f in _SCALAR
    }
    pools = model.pools(2 * n, uniforms)
    base_rank = model.base_ranks[rows, 0]
    f_a = np.empty(n)
    f_b = np.empty(n)
    f_ab = np.empty((k, n))
    acc = _RankSobol(rows.size, k) if per_community else None
    per_block = k + 2
    chunk = max(1, _chunk(model, chunk_bytes) // per_block)
    total = n * per_block
    for j0 in range(0, n, chunk):
        j1 = min(n, j0 + chunk)
        j = np.arange(j0, j1, dtype=np.intp)
        c = j.size
        # Runs of this block: A rows, B rows, then A_B^i rows for each factor i.
        index = {
            f: np.concatenate([j, n + j, *[(n + j) if f == g else j for g in factors]])
            for f in FACTORS
        }
        local = model.local_weights(pools, index, c * per_block)
        codes = model.codes(pools, index, c * per_block)
        noise = index["measurement"] if model.noise is not None else None
        scores = model.scores(local, codes, noise)[rows, 0, :]
        ranks, _ = _rank_chunk(scores, model.tie_method, model.tie_tolerance)
        shift = np.abs(ranks - base_rank[:, None]).mean(axis=0)
        f_a[j0:j1] = shift[:c]
        f_b[j0:j1] = shift[c : 2 * c]
        f_ab[:, j0:j1] = shift[2 * c :].reshape(k, c)
        if acc is not None:
            acc.add(ranks[:, :c], ranks[:, c : 2 * c], ranks[:, 2 * c :].reshape(rows.size, k, c))
        if progress is not None:
            progress(j1 * per_block, total)
    first, tot, var = sobol_indices(f_a, f_b, f_ab)
    boot_seed = int(np.random.SeedSequence(model.seed, spawn_key=(0, 1)).generate_state(1)[0])
    first_ci, total_ci = sobol_bootstrap(f_a, f_b, f_ab, resamples=bootstrap, seed=boot_seed)
    rank_first = rank_total = rank_var = None
    if acc is not None:
        rf, rt, rv = acc.indices(n)
        rank_first = np.full((model.data.n, k), np.nan)
        rank_total = np.full((model.data.n, k), np.nan)
        rank_var = np.full(model.data.n, np.nan)
        rank_first[rows], rank_total[rows], rank_var[rows] = rf, rt, rv
    settings = _settings(
        model,
        "sensitivity",
        n=n,
        runs=total,
        phase=phase,
        top_k=1,
        sampler="Saltelli (2010) A/B/A_B^i; scrambled Sobol' points for scalar factors, PCG64 streams for the others",
        min_coverage=min_coverage,
        options={
            "bootstrap": bootstrap,
            "per_community": per_community,
            "design_seed": design_seed,
        },
    )
    return SensitivityResult(
        settings=settings,
        factors=factors,
        first_order=first,
        total_order=tot,
        first_order_ci=first_ci,
        total_order_ci=total_ci,
        variance=float(var),
        ids=model.data.ids,
        rank_first_order=rank_first,
        rank_total_order=rank_total,
        rank_variance=rank_var,
    )


class _RankSobol:
    """Running sums of the Saltelli estimators for every community's rank.

    Keeping sums instead of every run's ranks bounds the memory by the number of communities;
    the centred estimators of :func:`sobol_indices` are recovered from them exactly (up to
    rounding): with mean mu, ``sum (f_B - mu)(f_ABi - f_A) = sum f_B (f_ABi - f_A) - mu
    sum (f_ABi - f_A)``.
    """

    def __init__(self, rows: int, k: int) -> None:
        self.s = np.zeros(rows)
        self.s2 = np.zeros(rows)
        self.bd = np.zeros((rows, k))
        self.d = np.zeros((rows, k))
        self.dd = np.zeros((rows, k))

    def add(self, fa: FloatArray, fb: FloatArray, fab: FloatArray) -> None:
        self.s += fa.sum(axis=1) + fb.sum(axis=1)
        self.s2 += (fa**2).sum(axis=1) + (fb**2).sum(axis=1)
        diff = fab - fa[:, None, :]
        self.bd += np.einsum("rc,rkc->rk", fb, diff)
        self.d += diff.sum(axis=2)
        self.dd += (diff**2).sum(axis=2)

    def indices(self, n: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        mu = self.s / (2 * n)
        var = np.maximum(self.s2 / (2 * n) - mu**2, 0.0)
        first_v = (self.bd - mu[:, None] * self.d) / n
        total_v = self.dd / (2 * n)
        # Ranks are integers on a scale of at most N; a variance this small is rounding.
        moving = var > 1e-12
        safe = np.where(moving, var, 1.0)[:, None]
        first = np.where(moving[:, None], first_v / safe, 0.0)
        total = np.where(moving[:, None], total_v / safe, 0.0)
        return first, total, np.where(moving, var, 0.0)


# =========================================================================== one at a time
@dataclass(frozen=True, eq=False)
class OneAtATimeResult:
    """Rank changes when one weight at a time moves by a given share.

    Attributes
    ----------
    settings : UncertaintySettings
    node : str
        The group whose children's weights were moved.
    children : tuple of str
    changes : tuple of float
        Relative changes (e.g. -0.2 for -20 %).
    weight_before : ndarray (children,)
    weight_after : ndarray (children, changes)
        The moved weight after renormalisation.
    spearman, kendall, mean_abs_shift, max_shift : ndarray (children, changes)
    top_k_changes : ndarray (children, changes)
        Communities entering (or, equally many, leaving) the top k.
    ids : tuple of str
    ranks : ndarray (children, changes, N)
        Overall ranks of every community in every run (NaN where not ranked).
    """

    settings: UncertaintySettings
    node: str
    children: tuple[str, ...]
    changes: tuple[float, ...]
    weight_before: FloatArray
    weight_after: FloatArray
    spearman: FloatArray
    kendall: FloatArray
    mean_abs_shift: FloatArray
    max_shift: FloatArray
    top_k_changes: NDArray[np.int64]
    ids: tuple[str, ...]
    ranks: FloatArray

    def records(self) -> list[dict[str, Any]]:
        """One record per moved weight and change."""
        return [
            {
                "node": child,
                "change": change,
                "weight_before": float(self.weight_before[i]),
                "weight_after": float(self.weight_after[i, j]),
                "spearman": float(self.spearman[i, j]),
                "kendall": float(self.kendall[i, j]),
                "mean_abs_shift": float(self.mean_abs_shift[i, j]),
                "max_shift": float(self.max_shift[i, j]),
                "top_k_changes": int(self.top_k_changes[i, j]),
            }
            for i, child in enumerate(self.children)
            for j, change in enumerate(self.changes)
        ]

    def to_frame(self) -> Any:
        """The records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "OneAtATimeResult.to_frame")
        return pd.DataFrame(self.records())

    def table(self) -> str:
        """A plain-text table: for each weight and change, the rank stability."""
        kk = self.settings.top_k
        lines = [
            f"{'weight':<22} {'change':>7} {'w before':>8} {'w after':>8} {'Spearman':>8} "
            f"{'Kendall':>8} {'mean |Δrank|':>12} {'max':>4} {'top ' + str(kk) + ' in/out':>11}"
        ]
        for r in self.records():
            lines.append(
                f"{r['node'][:22]:<22} {r['change']:>+7.0%} {r['weight_before']:>8.3f} "
                f"{r['weight_after']:>8.3f} {r['spearman']:>8.3f} {r['kendall']:>8.3f} "
                f"{r['mean_abs_shift']:>12.2f} {r['max_shift']:>4.0f} {r['top_k_changes']:>11d}"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The one-at-a-time chart (:func:`plot_one_at_a_time`)."""
        return plot_one_at_a_time(self, ax, **kwargs)


def one_at_a_time(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Weights | str | None = None,
    *,
    node: str | None = None,
    changes: Sequence[float] = (-0.2, -0.1, 0.1, 0.2),
    panel: Panel | None = None,
    phase: str | None = None,
    top_k: int = 5,
    normalization: Normalization = "goalposts",
    aggregation: Aggregation = "arithmetic",
    missing: Literal["error", "renormalize", "impute_mean", "impute_median"] = "error",
    min_coverage: float = 2.0 / 3.0,
    impute_by: str | None = None,
    tie_method: TieMethod = "min",
    tie_tolerance: float = 1e-9,
    weights_phase: str | None = None,
) -> OneAtATimeResult:
    """Move each child weight of a node by a share, renormalise, and compare the rankings.

    For child ``j`` and change ``delta``: ``w_j' = w_j (1 + delta)`` and every weight of the
    node divided by ``1 + w_j delta`` so that they sum to 1 again (the one-at-a-time weight
    test of OECD/JRC 2008, step 7). One-at-a-time tests show local effects only and miss
    interactions (Saltelli et al. 2008, section 1.2.3); :func:`sensitivity` is the global
    analysis. All runs are scored together.

    Parameters
    ----------
    system, data, weights, panel, phase, top_k, normalization, aggregation, missing,
    min_coverage, impute_by, tie_method, tie_tolerance, weights_phase
        As for :func:`uncertainty`.
    node : str, optional
        The group whose children's weights move (default: the goal, i.e. the dimensions).
    changes : sequence of float
        Relative changes, each > -1 (default -20 %, -10 %, +10 %, +20 %).

    Returns
    -------
    OneAtATimeResult

    Raises
    ------
    OptionError
        Unknown node, a node with one child, a change <= -1, several phases.

    References
    ----------
    OECD/JRC (2008); Saltelli et al. (2008).

    Examples
    --------
    >>> import renoscore as rs
    >>> oat = one_at_a_time(rs.default_system(), rs.example_data(), phase="t0",
    ...                     missing="renormalize")
    >>> round(float(oat.weight_after[0, 3]), 4)  # facilities 0.409 * 1.2 / (1 + 0.409 * 0.2)
    0.4537
    """
    _check_int("top_k", top_k, 1)
    deltas = tuple(float(x) for x in changes)
    if not deltas or any(not (math.isfinite(x) and x > -1.0) for x in deltas):
        raise OptionError(
            "changes must be finite shares above -1",
            [Problem(f"changes {list(changes)}", fix="e.g. changes=(-0.2, -0.1, 0.1, 0.2)")],
        )
    sys_, phase_data, w = _prepare(system, data, weights, panel, phase, weights_phase)
    model = _Model(
        sys_,
        phase_data,
        w,
        panel,
        Sources(),
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        impute_by=impute_by,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
        levels="goal",
        completion="optimal",
        seed=0,
    )
    node_id = model.group_ids[0] if node is None else node
    if node_id not in model.group_ids or model.base_local[model.group_ids.index(node_id)].size < 2:
        raise OptionError(
            f"cannot move the weights of {node_id!r}",
            [
                Problem(
                    "not a group with two or more children",
                    path=node_id,
                    fix=f"choose among {[g for g, b in zip(model.group_ids, model.base_local, strict=True) if b.size > 1]}",
                )
            ],
        )
    g = model.group_ids.index(node_id)
    base = model.base_local[g]
    m = base.size
    factor = np.ones((m, len(deltas), m))
    factor[np.arange(m), :, np.arange(m)] = 1.0 + np.array(deltas)
    moved = base * factor  # (children, changes, children)
    moved /= moved.sum(axis=2, keepdims=True)
    runs = m * len(deltas)
    local = [np.broadcast_to(b, (runs, b.size)).copy() for b in model.base_local]
    local[g] = moved.reshape(runs, m)
    codes = {
        name: np.zeros(runs, dtype=np.intp) for name in ("normalization", "aggregation", "missing")
    }
    rows = model.level_rows[0]
    scores = model.scores(local, codes)[rows, 0, :]
    ranks, mid = _rank_chunk(scores, tie_method, tie_tolerance)
    rho, tau = _correlations(model.base_mid[0], mid)
    base_rank = model.base_ranks[rows, 0]
    shift = np.abs(ranks - base_rank[:, None])
    in_top = ranks <= top_k
    base_top = base_rank <= top_k
    entering = (in_top & ~base_top[:, None]).sum(axis=0)
    all_ranks = np.full((runs, model.data.n), np.nan)
    all_ranks[:, rows] = ranks.T
    shape = (m, len(deltas))
    settings = _settings(
        model,
        "one_at_a_time",
        n=runs,
        runs=runs,
        phase=phase,
        top_k=top_k,
        sampler="none (deterministic)",
        min_coverage=min_coverage,
        options={"node": node_id, "changes": list(deltas)},
    )
    return OneAtATimeResult(
        settings=settings,
        node=node_id,
        children=model.weights.nodes[node_id].children,
        changes=deltas,
        weight_before=base.copy(),
        weight_after=moved[np.arange(m), :, np.arange(m)],
        spearman=rho.reshape(shape),
        kendall=tau.reshape(shape),
        mean_abs_shift=shift.mean(axis=0).reshape(shape),
        max_shift=shift.max(axis=0).reshape(shape),
        top_k_changes=entering.reshape(shape).astype(np.int64),
        ids=model.data.ids,
        ranks=all_ranks.reshape(m, len(deltas), model.data.n),
    )


# =========================================================================== charts
def _axes(ax: Any, size: tuple[float, float], purpose: str) -> Any:
    """The given Axes, or a new one on a Figure with the Agg canvas.

    matplotlib is imported lazily; a new Figure is attached to an Agg canvas directly instead
    of through pyplot, so that no global backend is switched and no window opens.
    """
    import_optional("matplotlib", purpose)
    if ax is not None:
        return ax
    figure = import_optional("matplotlib.figure", purpose)
    agg = import_optional("matplotlib.backends.backend_agg", purpose)
    fig = figure.Figure(figsize=size, layout="constrained")
    agg.FigureCanvasAgg(fig)
    return fig.add_subplot()


def plot_rank_intervals(
    result: UncertaintyResult,
    ax: Any = None,
    *,
    level: str | None = None,
    top: int | None = None,
    color: str = "#4c72b0",
) -> Any:
    """Rank-interval chart: communities sorted by median rank, bars from the 5 % to the 95 % rank.

    Each community is a row (best median rank at the top); the bar spans its 5-95 % rank
    interval, a dot marks the median and a cross the base rank.

    Parameters
    ----------
    result : UncertaintyResult
    ax : matplotlib Axes, optional
        Where to draw; a new Figure (Agg canvas) is made when None.
    level : str, optional
        The level to show (default: the goal).
    top : int, optional
        Show only the first ``top`` communities by median rank.
    color : str
        Bar colour.

    Returns
    -------
    matplotlib Axes
        ``ax.figure`` is the Figure.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (``pip install 'renoscore[plot]'``).
    """
    k = result.level_index(level)
    recs = sorted(
        result.records(result.levels[k]), key=lambda r: (r["rank_median"], r["base_rank"])
    )[: top or None]
    ax = _axes(ax, (7.0, 1.2 + 0.24 * max(len(recs), 1)), "plot_rank_intervals")
    y = np.arange(len(recs))
    lo = np.array([r["rank_p05"] for r in recs])
    hi = np.array([r["rank_p95"] for r in recs])
    ax.barh(y, hi - lo + 0.6, left=lo - 0.3, height=0.6, color=color, alpha=0.45, label="5-95 %")
    ax.plot([r["rank_median"] for r in recs], y, "o", color=color, ms=4, label="median")
    ax.plot([r["base_rank"] for r in recs], y, "x", color="black", ms=4, label="base")
    ax.set_yticks(y, [str(r["community_id"]) for r in recs], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0.5, max(2.0, float(np.nanmax(result.base_rank[:, k]))) + 0.5)
    ax.set_xlabel("rank (1 = best)")
    ax.set_title(f"Rank intervals: {result.levels[k]} ({result.settings.n} draws)", fontsize=9)
    # The best communities sit top left, so the top right corner is free for the legend.
    ax.legend(loc="upper right", fontsize=7)
    _fonts(ax)
    return ax


def plot_sobol(result: SensitivityResult, ax: Any = None, *, community: str | None = None) -> Any:
    """Sobol' bar chart: first-order and total index of each source.

    Parameters
    ----------
    result : SensitivityResult
    ax : matplotlib Axes, optional
        Where to draw; a new Figure (Agg canvas) is made when None.
    community : str, optional
        Show the indices of this community's rank instead of the mean absolute rank shift.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    OptionError
        Unknown community, or per-community indices were not computed.
    """
    ax = _axes(ax, (6.0, 3.2), "plot_sobol")
    x = np.arange(len(result.factors))
    f_err: FloatArray | None = None
    t_err: FloatArray | None = None
    if community is None:
        first, total = result.first_order, result.total_order
        f_err = np.abs(result.first_order_ci.T - first)
        t_err = np.abs(result.total_order_ci.T - total)
        title = "Sobol' indices of the mean absolute rank shift"
    else:
        if (
            result.rank_first_order is None
            or result.rank_total_order is None
            or community not in result.ids
        ):
            raise OptionError(
                f"no per-community indices for {community!r}",
                [Problem("unknown community or per_community=False", community_id=community)],
            )
        r = result.ids.index(community)
        first, total = result.rank_first_order[r], result.rank_total_order[r]
        title = f"Sobol' indices of the rank of {community}"
    ax.bar(x - 0.2, first, 0.4, yerr=f_err, label="first order", color="#4c72b0", capsize=2)
    ax.bar(x + 0.2, total, 0.4, yerr=t_err, label="total", color="#dd8452", capsize=2)
    ax.set_xticks(x, list(result.factors), fontsize=8)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(first)) - 0.05))
    ax.set_ylabel("share of variance")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    _fonts(ax)
    return ax


def plot_one_at_a_time(
    result: OneAtATimeResult, ax: Any = None, *, measure: str = "mean_abs_shift"
) -> Any:
    """One-at-a-time chart: a rank-stability measure against the weight change, one line per weight.

    Parameters
    ----------
    result : OneAtATimeResult
    ax : matplotlib Axes, optional
    measure : {"mean_abs_shift", "max_shift", "spearman", "kendall"}

    Returns
    -------
    matplotlib Axes
    """
    if measure not in ("mean_abs_shift", "max_shift", "spearman", "kendall"):
        raise OptionError(
            f"unknown measure {measure!r}",
            [Problem("use mean_abs_shift, max_shift, spearman or kendall")],
        )
    ax = _axes(ax, (6.0, 3.2), "plot_one_at_a_time")
    values = getattr(result, measure)
    x = 100.0 * np.array(result.changes)
    order = np.argsort(x)
    for i, child in enumerate(result.children):
        ax.plot(x[order], values[i, order], "o-", ms=3, label=child)
    ax.set_xlabel(f"change of one weight of {result.node} (%)")
    ax.set_ylabel(measure.replace("_", " "))
    ax.legend(fontsize=7)
    _fonts(ax)
    return ax


def _fonts(ax: Any) -> None:
    """Latin and CJK fonts on every text of the chart (:func:`renoscore.plot.font_families`),
    so that Chinese community names are drawn, not boxes."""
    from renoscore.plot import font_families

    families = font_families()
    text = import_optional("matplotlib.text", "charts").Text
    for t in ax.figure.findobj(text):
        t.set_fontfamily(families)


def _svg(ax: Any) -> str:
    """The chart as inline SVG with text kept as text (:func:`renoscore.plot.figure_svg`)."""
    from renoscore.plot import figure_svg

    return figure_svg(ax.figure)


def html_section(
    result: UncertaintyResult,
    sensitivity: SensitivityResult | None = None,
    oat: OneAtATimeResult | None = None,
    *,
    top: int | None = 60,
    lang: str = "en",
    charts: bool = True,
) -> str:
    """The uncertainty-and-sensitivity section of an HTML report (an HTML fragment).

    Holds the sources and seed, the rank-interval chart and table, the rank correlations per
    level, and, when given, the Sobol' chart and table and the one-at-a-time table. Charts are
    inline SVG with their text kept as text (:func:`renoscore.plot.figure_svg`), so the
    browser draws Chinese names with its own fonts.

    Parameters
    ----------
    result : UncertaintyResult
    sensitivity : SensitivityResult, optional
    oat : OneAtATimeResult, optional
    top : int, optional
        Communities shown in the chart and table (default 60; None: all).
    lang : str
        Language of the grade names.
    charts : bool
        Embed charts (needs matplotlib); False gives tables only.

    Returns
    -------
    str
    """
    s = result.settings
    parts = [
        '<section class="renoscore-uncertainty">',
        "<h2>Uncertainty and sensitivity of the ranking</h2>",
        f"<p>{s.n} draws, seed <code>{s.seed}</code>, phase {escape(str(s.phase))}; sources: "
        f"{escape(s.sources.describe())}. Base: {escape(s.normalization)}, {escape(s.aggregation)}, "
        f"missing={escape(s.missing)}.</p>",
    ]
    if charts:
        parts.append(
            f'<figure class="renoscore-chart">{_svg(plot_rank_intervals(result, top=top))}</figure>'
        )
    kk = s.top_k
    head = ["community", "base rank", "median", "5-95 %", f"P(top {kk})", "likely grade"]
    recs = sorted(
        result.records(result.levels[0], lang), key=lambda r: (r["rank_median"], r["base_rank"])
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                r["community_id"],
                f"{r['base_rank']:.0f}",
                f"{r['rank_median']:.0f}",
                f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                f"{r['prob_top_k']:.2f}",
                f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
            )
        )
        + "</tr>"
        for r in recs[: top or None]
    )
    parts.append(
        "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + f"</tr>{rows}</table>"
    )
    summ = result.summary()["levels"]
    corr_rows = "".join(
        f"<tr><td>{escape(lv)}</td><td>{_fmt_q(v['spearman'])}</td><td>{_fmt_q(v['kendall'])}</td>"
        f"<td>{_fmt_q(v['mean_abs_shift'], '.2f')}</td></tr>"
        for lv, v in summ.items()
    )
    parts.append(
        "<h3>Rank correlation with the base ranking (median, 5-95 %)</h3><table><tr><th>level</th>"
        "<th>Spearman</th><th>Kendall tau-b</th><th>mean |rank shift|</th></tr>"
        f"{corr_rows}</table>"
    )
    if sensitivity is not None:
        parts.append("<h3>Most influential sources (Sobol' indices)</h3>")
        if charts:
            parts.append(
                f'<figure class="renoscore-chart">{_svg(plot_sobol(sensitivity))}</figure>'
            )
        srows = "".join(
            f"<tr><td>{escape(r['source'])}</td><td>{r['first_order']:.2f} [{r['first_order_low']:.2f}, "
            f"{r['first_order_high']:.2f}]</td><td>{r['total_order']:.2f} [{r['total_order_low']:.2f}, "
            f"{r['total_order_high']:.2f}]</td></tr>"
            for r in sensitivity.records()
        )
        parts.append(
            "<table><tr><th>source</th><th>first order (95 % CI)</th><th>total (95 % CI)</th></tr>"
            f"{srows}</table>"
        )
    if oat is not None:
        parts.append(f"<h3>One weight at a time ({escape(oat.node)})</h3>")
        orows = "".join(
            f"<tr><td>{escape(r['node'])}</td><td>{r['change']:+.0%}</td><td>{r['weight_after']:.3f}</td>"
            f"<td>{r['spearman']:.3f}</td><td>{r['mean_abs_shift']:.2f}</td><td>{r['top_k_changes']}</td></tr>"
            for r in oat.records()
        )
        parts.append(
            "<table><tr><th>weight</th><th>change</th><th>weight after</th><th>Spearman</th>"
            f"<th>mean |rank shift|</th><th>top {oat.settings.top_k} in/out</th></tr>{orows}</table>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _fmt_q(q: Mapping[str, float | None], spec: str = ".3f") -> str:
    if q["median"] is None:
        return "-"
    return f"{q['median']:{spec}} ({q['p05']:{spec}}-{q['p95']:{spec}})"
