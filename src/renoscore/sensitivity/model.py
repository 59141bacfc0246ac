"""The batched draw model: one phase of data and the base settings, ready to score many draws.

:class:`DrawModel` evaluates the base ranking once, prepares every declared source (the AHP
nodes to derive again, the nodes that combine weights, the Dirichlet nodes, the measurement
noise), draws the realisations of each source (:meth:`DrawModel.pools`) and scores a chunk of
runs at once (:meth:`DrawModel.scores`): with complete data and the arithmetic mean, one
matrix product per chunk (:func:`renoscore.sensitivity.draws.aggregate_draws`).
:meth:`DrawModel.run` is the one Monte Carlo driver of the analyses: chunks of runs sized to a
memory budget, each scored and handed on.

**Reproducible.** Every source draws from its own random stream, derived from the seed and the
source's name (NumPy ``SeedSequence``), so the same seed gives the same numbers, adding a source
leaves the draws of the others unchanged, and the first ``n`` draws of a longer run are the
draws of a shorter one.

Examples
--------
The model behind :func:`renoscore.uncertainty` draws its pools once; the first ``n`` draws
of a longer run are the draws of a shorter one (one random stream per source):

>>> import renoscore as rs
>>> from renoscore import ScoringOptions
>>> from renoscore.sensitivity import Sources, WeightNoise
>>> system, data = rs.default_system(), rs.example_data()
>>> t0 = data.select(phase="t0")
>>> model = DrawModel(system, t0, rs.derive_weights(system), None,
...                   Sources(weights=WeightNoise()), options=ScoringOptions(missing="renormalize"),
...                   levels="goal", completion="optimal", seed=7)
>>> short, long = model.pools(10), model.pools(50)
>>> short.eps[0].shape  # 10 draws of the goal's four dimension weights
(10, 4)
>>> all((long.eps[g][:10] == short.eps[g]).all() for g in short.eps)
True

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from renoscore import normalize, ranking
from renoscore._options import ScoringOptions
from renoscore._parallel import ordered_map
from renoscore.data import CellStatus, CommunityData
from renoscore.errors import ConstantIndicatorWarning, OptionError, Problem
from renoscore.hierarchy import Tree
from renoscore.panel import Panel
from renoscore.pipeline import evaluate, system_tree
from renoscore.sensitivity._judgements import AhpNode, ahp_nodes, ahp_priorities
from renoscore.sensitivity._measurement import Noise, measurement_noise
from renoscore.sensitivity.draws import aggregate_draws
from renoscore.sensitivity.sources import FACTORS, Sources, UncertaintySettings
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights
from renoscore.weights.combine import CombinationMethod, combine_valid

__all__ = ["DEFAULT_CHUNK_BYTES", "ChunkTask", "DrawModel", "Pools", "Progress"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
Levels = Literal["goal", "dimensions", "all"] | Sequence[str]
#: The runs of one chunk: realisation index of each source per run.
Design = Callable[[IntArray], dict[str, IntArray]]
#: Called as ``progress(done, total)`` after each chunk of runs.
Progress = Callable[[int, int], None]
R = TypeVar("R")
#: What a chunk of runs is reduced to where it was scored: ``task(model, start, stop, local,
#: scores)``; a module-level function (or a partial of one) for a process pool or Dask.
ChunkTask = Callable[["DrawModel", int, int, list[FloatArray], FloatArray], R]

#: Working memory per chunk of runs (128 MiB).
DEFAULT_CHUNK_BYTES = 1 << 27

# Stream keys: each source draws from SeedSequence(seed, spawn_key=(key, ...)), so its draws
# do not depend on which other sources are declared.
_STREAM = {name: k + 1 for k, name in enumerate(FACTORS)}
_METHODS = ("normalization", "aggregation", "missing")


@dataclass
class _Combined:
    """A node that combines a subjective and an objective weight vector."""

    subjective: FloatArray
    objective: FloatArray
    combination: CombinationMethod
    alpha: float


@dataclass(frozen=True)
class _ChunkJob(Generic[R]):
    """One chunk of runs scored and reduced: picklable, for a process pool or a Dask cluster."""

    pools: Pools
    design: Design | None
    runs_per_sample: int
    task: ChunkTask[R]

    def __call__(self, model: DrawModel, bounds: tuple[int, int]) -> R:
        j0, j1 = bounds
        local, scores = model.score_samples(self.pools, j0, j1, self.design, self.runs_per_sample)
        return self.task(model, j0, j1, local, scores)


@dataclass
class Pools:
    """Realisations of each source, addressed by index (one row per realisation)."""

    judgements: dict[int, FloatArray] = field(default_factory=dict)
    eps: dict[int, FloatArray] = field(default_factory=dict)
    codes: dict[str, IntArray] = field(default_factory=dict)
    alpha: FloatArray | None = None


class DrawModel:
    """An indicator system, one phase of data and base settings, ready to score many draws.

    Parameters
    ----------
    system, data, weights, panel
        The system, the rows of one phase, the base weights and the panel they came from.
    sources : Sources
        The declared sources of uncertainty.
    options : ScoringOptions
        The scoring options of the base evaluation, validated once.
    levels : {"goal", "dimensions", "all"} or sequence of group ids
        Where to rank.
    completion : str
        How incomplete judgement matrices were completed.
    seed : int
        Seed of every random stream.
    """

    def __init__(
        self,
        system: IndicatorSystem,
        data: CommunityData,
        weights: Weights,
        panel: Panel | None,
        sources: Sources,
        *,
        options: ScoringOptions,
        levels: Levels,
        completion: str,
        seed: int,
    ) -> None:
        self.system = system
        self.data = data
        self.weights = weights
        self.panel = panel
        self.sources = sources
        self.seed = seed
        self.completion = completion
        self.scoring = options
        self.tie_method: str = options.tie_method
        self.tie_tolerance: float = options.tie_tolerance
        self._evaluate_base()
        self._rank_levels(levels)
        self._score_options()
        self._prepare_sources()

    # ------------------------------------------------------------------ preparation
    def _evaluate_base(self) -> None:
        """The base evaluation, the tree and the base local weights of every group."""
        system, weights = self.system, self.weights
        self.base = evaluate(system, self.data, weights, options=self.scoring)
        self.tree: Tree = system_tree(system, weights, self.scoring)
        not_applicable = np.asarray(self.data.status == CellStatus.NOT_APPLICABLE)
        self.applicable = ~not_applicable if not_applicable.any() else None
        self.group_ids = tuple(g.id for g in system.groups)
        self.base_local = [
            np.array(weights.nodes[g].local, dtype=np.float64) for g in self.group_ids
        ]

    def _rank_levels(self, levels: Levels) -> None:
        """The levels ranked, the rows each scores, their base scores, ranks and mid-ranks."""
        self.level_ids = _levels(self.system, levels)
        self.level_groups = [self.group_ids.index(g) for g in self.level_ids]
        base_scores = self.base.group_scores[:, self.level_groups]
        self.level_rows = [
            np.flatnonzero(~np.isnan(base_scores[:, k])) for k in range(len(self.level_ids))
        ]
        self.base_scores = base_scores
        self.base_ranks = self.base.ranks[:, self.level_groups]
        self.base_mid = [
            ranking.rank(base_scores[rows, k], method="average", tol=self.tie_tolerance)
            for k, rows in enumerate(self.level_rows)
        ]
        self.thresholds = self.system.grade_thresholds()[:-1]
        self.n_grades = len(self.system.grades)

    def _score_options(self) -> None:
        """Indicator scores (0-1) under every normalisation and missing-data option drawn."""
        base = self.scoring
        self.choices = {
            name: getattr(self.sources, name) or (getattr(base, name),) for name in _METHODS
        }
        self.S: dict[tuple[str, str], FloatArray] = {}
        with warnings.catch_warnings():
            # The base evaluation already raised every warning these variants would repeat.
            warnings.simplefilter("ignore")
            for norm in dict.fromkeys((base.normalization, *self.choices["normalization"])):
                for miss in dict.fromkeys((base.missing, *self.choices["missing"])):
                    variant = base.replace(normalization=norm, missing=miss)
                    res = evaluate(self.system, self.data, self.weights, options=variant)
                    self.S[(norm, miss)] = (
                        np.asarray(res.indicator_scores, dtype=np.float64) / 100.0
                    )

    def _prepare_sources(self) -> None:
        """What each declared source acts on, checked against the weights and the data."""
        sources = self.sources
        self.ahp_nodes: dict[int, AhpNode] = {}
        if sources.judgements is not None:
            self.ahp_nodes = ahp_nodes(
                sources.judgements, self.weights, self.panel, self.group_ids, self.completion
            )
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
        self.noise: Noise | None = None
        if sources.measurement is not None:
            self.noise = measurement_noise(self.system, self.data, sources.measurement)

    def _combined_nodes(self) -> dict[int, _Combined]:
        out: dict[int, _Combined] = {}
        for k, g in enumerate(self.group_ids):
            nw = self.weights.nodes[g]
            if nw.method.startswith("combined") and len(nw.parts) == 2:
                sub, obj = (np.array(v, dtype=np.float64) for v in nw.parts.values())
                out[k] = _Combined(
                    subjective=sub,
                    objective=obj,
                    # A name the weights were combined with, hence one of COMBINATION_METHODS.
                    combination=nw.parameters.get("combination", "linear"),
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

    # ------------------------------------------------------------------ pools
    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def pool_bytes(self) -> int:
        """Bytes that :meth:`pools` holds per realisation, temporaries included (an estimate
        from above: the perturbed judgement matrices of every expert, the Dirichlet draws and
        the method choices)."""
        total = 0
        if self.sources.judgements is not None:
            for node in self.ahp_nodes.values():
                experts, c, _ = node.stack.shape
                total += 16 * experts * node.pairs[0].size + 32 * experts * c * c + 8 * c
        if self.sources.weights is not None:
            total += sum(24 * self.base_local[k].size for k in self.dirichlet_nodes)
        return total + 8 * (len(_METHODS) + 1)

    def pools(self, size: int, uniforms: Mapping[str, FloatArray] | None = None) -> Pools:
        """Realisations 0 .. size-1 of every declared source."""
        src = self.sources
        pools = Pools()
        uniforms = uniforms or {}
        if src.judgements is not None:
            p, steps = src.judgements.probability, src.judgements.steps
            for k, node in self.ahp_nodes.items():
                u = self._rng(_STREAM["judgements"], k).random(
                    (size, node.stack.shape[0], node.pairs[0].size)
                )
                moves = np.where(u < 0.5 * p, -steps, np.where(u < p, steps, 0))
                pools.judgements[k] = ahp_priorities(node, self.completion, moves)
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
        for name in _METHODS:
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
        self, pools: Pools, index: Mapping[str, IntArray], c: int
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
                ws = subjective if subjective is not None else comb.subjective
                a = alpha if alpha is not None else comb.alpha
                # The draws are valid weights: the one combination, without checking them again.
                shares = np.stack([a, 1.0 - a], axis=-1)
                w = combine_valid([ws, comb.objective], comb.combination, shares)
            if k in pools.eps:
                w = w * pools.eps[k][index["weights"]]
                w = w / w.sum(axis=1, keepdims=True)
            out.append(np.array(np.broadcast_to(w, (c, base.size)), dtype=np.float64))
        return out

    def codes(self, pools: Pools, index: Mapping[str, IntArray], c: int) -> dict[str, IntArray]:
        """Option index per run for normalisation, aggregation and missing policy."""
        out: dict[str, IntArray] = {}
        for name in _METHODS:
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
            self.choices["normalization"],
            self.choices["aggregation"],
            self.choices["missing"],
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
                method=agg,
                groups=self.level_groups,
                applicable=self.applicable,
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

    # ------------------------------------------------------------------ runs
    def require_ranking(self) -> None:
        """Refuse an analysis of fewer than two ranked communities."""
        rows = self.level_rows[0]
        if rows.size < 2:
            reasons = sorted({r for r in self.base.reasons if r is not None})
            raise OptionError(
                "fewer than two communities are scored; there is no ranking to analyse",
                [
                    Problem(
                        f"{rows.size} scored" + (f" ({'; '.join(reasons)})" if reasons else ""),
                        fix="check coverage and the phase: a progress-check phase has no "
                        "overall ranking",
                    )
                ],
            )

    def chunk(self, budget: int, per_run_extra: int = 0) -> int:
        """How many runs fit in ``budget`` bytes of working memory (at least one)."""
        n, m = (int(x) for x in self.data.values.shape)
        k = len(self.group_ids)
        per_run = 8 * n * (k + 4 * len(self.level_groups)) + per_run_extra
        if self.noise is not None:
            per_run += 8 * n * m * 4
        return max(1, int(budget) // max(per_run, 1))

    def run(
        self,
        pools: Pools,
        n: int,
        task: ChunkTask[R],
        *,
        chunk_bytes: int,
        design: Design | None = None,
        runs_per_sample: int = 1,
        progress: Progress | None = None,
        workers: int | None = 1,
        executor: Any = None,
    ) -> Iterator[tuple[int, int, R]]:
        """Score the runs of ``n`` samples chunk by chunk: the one Monte Carlo driver.

        Yields ``(start, stop, task(model, start, stop, local, scores))`` for the chunks of
        samples ``start .. stop-1``, in order: the local weights of every group
        (:meth:`local_weights`) and the scores of every level (:meth:`scores`, shape
        ``(N, levels, runs)``) of their runs go to ``task``, which reduces them where they were
        computed. A sample is one run (realisation ``j`` of every source) unless ``design``
        maps the samples of a chunk to ``runs_per_sample`` runs each (the Saltelli design).
        The chunks are sized to ``chunk_bytes`` alone and run on ``workers`` threads or on
        ``executor`` (:func:`renoscore._parallel.ordered_map`); every realisation is drawn
        before (``pools``, one random stream per source), so the results do not depend on
        where or in which order the chunks ran. ``progress(done, total)`` is called, in runs,
        after each chunk has been handed back.
        """
        chunk = max(1, self.chunk(chunk_bytes) // runs_per_sample)
        bounds = [(j0, min(n, j0 + chunk)) for j0 in range(0, n, chunk)]
        job = _ChunkJob(pools, design, runs_per_sample, task)
        results = ordered_map(job, self, bounds, workers=workers, executor=executor)
        for (j0, j1), out in zip(bounds, results, strict=True):
            yield j0, j1, out
            if progress is not None:
                progress(j1 * runs_per_sample, n * runs_per_sample)

    def score_samples(
        self, pools: Pools, j0: int, j1: int, design: Design | None, runs_per_sample: int
    ) -> tuple[list[FloatArray], FloatArray]:
        """Local weights and scores (N, levels, runs) of the runs of samples ``j0 .. j1-1``."""
        samples = np.arange(j0, j1, dtype=np.intp)
        index = design(samples) if design is not None else dict.fromkeys(FACTORS, samples)
        c = samples.size * runs_per_sample
        local = self.local_weights(pools, index, c)
        codes = self.codes(pools, index, c)
        noise = index["measurement"] if self.noise is not None else None
        return local, self.scores(local, codes, noise)

    def settings(
        self,
        analysis: Literal["uncertainty", "sensitivity", "one_at_a_time"],
        *,
        n: int,
        runs: int,
        phase: str | None,
        top_k: int,
        sampler: str,
        options: dict[str, Any] | None = None,
    ) -> UncertaintySettings:
        """Every setting of an analysis of this model: enough to repeat it."""
        return UncertaintySettings(
            # The analyses take no outlier treatment (refused when the options are checked).
            **self.scoring.model_dump(exclude={"treat"}),
            analysis=analysis,
            seed=self.seed,
            n=n,
            runs=runs,
            phase=phase if phase is not None else (self.data.phases[0] if self.data.n else None),
            sources=self.sources,
            sampler=sampler,
            top_k=top_k,
            levels=self.level_ids,
            completion=self.completion,
            system_id=self.system.id,
            system_version=self.system.version,
            data_digest=self.data.digest(),
            panel=self.panel.id if self.panel is not None else None,
            weights=self.weights,
            options=options or {},
        )


def _levels(system: IndicatorSystem, levels: Levels) -> tuple[str, ...]:
    """The groups ranked: the goal first, then the dimensions, every group or those named."""
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
