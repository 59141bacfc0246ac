"""Monte Carlo uncertainty analysis of the ranking: rank intervals and rank stability.

Each draw takes one realisation of every declared source of uncertainty
(:class:`~renoscore.sensitivity.sources.Sources`), scores every community with the resulting
weights and methods, and ranks them (OECD/JRC 2008, step 7; Saisana, Saltelli & Tarantola
2005). :func:`uncertainty` runs the draws chunk by chunk through the one driver of the draw
model (:meth:`renoscore.sensitivity.model.DrawModel.run`) and keeps running statistics of every
level; :class:`UncertaintyResult` holds, for every community, the median rank and its 5-95 %
interval, the probability of being in the top k and of each grade, and for every draw the
rank correlations with the base ranking and the rank shifts.

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from renoscore import _views, ranking
from renoscore._display import clip, text_table
from renoscore._optional import import_optional
from renoscore._options import (
    DEFAULT_OPTIONS,
    MissingPolicy,
    ScoreNormalization,
    ScoringOptions,
    TreeAggregation,
)
from renoscore._parallel import check_executor, check_workers
from renoscore._vocabulary import CONSOLE, lang_of
from renoscore.data import CommunityData
from renoscore.errors import OptionError, Problem
from renoscore.panel import Panel
from renoscore.ranking import TieMethod
from renoscore.result import EvaluationResult
from renoscore.sensitivity._common import (
    Inputs,
    base_options,
    check_int,
    check_memory,
    declared_factors,
    prepare_model,
)
from renoscore.sensitivity.model import DEFAULT_CHUNK_BYTES, DrawModel, Pools, Progress
from renoscore.sensitivity.rank_stats import correlations, rank_chunk
from renoscore.sensitivity.sources import (
    Sources,
    UncertaintySettings,
    as_sources,
)
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights

__all__ = ["UncertaintyResult", "uncertainty"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

_QUANTILES = (0.05, 0.5, 0.95)


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
        words = CONSOLE[lang_of(lang)]
        head = [
            words[k] for k in ("community", "base_rank", "median_rank", "interval", "top_k")
        ] + [words["likely_grade"]]
        head[4] = head[4].format(k=self.settings.top_k)
        rows = [
            [
                clip(str(r["community_id"]), 16),
                f"{r['base_rank']:.0f}",
                f"{r['rank_median']:.0f}",
                f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                f"{r['prob_top_k']:.2f}",
                f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
            ]
            for r in recs[: top or None]
        ]
        return text_table(head, rows, align="<>>>><", rule=False)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The rank-interval chart (:func:`renoscore.plot.sensitivity.plot_rank_intervals`)."""
        return _views.analysis_chart("rank_intervals", self, ax, **kwargs)

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
    normalization: ScoreNormalization = DEFAULT_OPTIONS.normalization,
    aggregation: TreeAggregation = "arithmetic",  # a tree mean: the default of ScoringOptions
    missing: MissingPolicy = DEFAULT_OPTIONS.missing,
    min_coverage: float = DEFAULT_OPTIONS.min_coverage,
    min_applicable: float = DEFAULT_OPTIONS.min_applicable,
    impute_by: str | None = DEFAULT_OPTIONS.impute_by,
    tie_method: TieMethod = DEFAULT_OPTIONS.tie_method,
    tie_tolerance: float = DEFAULT_OPTIONS.tie_tolerance,
    options: ScoringOptions | None = None,
    weights_phase: str | None = None,
    completion: Literal["optimal", "harker", "llsm"] = "optimal",
    keep_draws: bool = True,
    kendall: bool = True,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    progress: Progress | None = None,
    workers: int | None = None,
    executor: Any = None,
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
    normalization, aggregation, missing, min_coverage, min_applicable, impute_by, tie_method,
    tie_tolerance, weights_phase
        The base settings, as for :func:`renoscore.evaluate` (the aggregation of draws is a
        mean up the tree: arithmetic or geometric).
    options : ScoringOptions, optional
        The scoring options as one validated object, instead of the keywords above (left
        at their defaults); recorded in ``settings`` either way (``settings.scoring``).
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
    workers : int, optional
        Threads scoring and ranking chunks of draws at once (default: every core; numpy
        releases the GIL). The chunks depend on ``chunk_bytes`` alone and are merged in order,
        so any number of workers gives the same numbers, bit for bit; the working memory is
        about ``2 x workers x chunk_bytes``.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Run the chunks there instead (another machine's cores with Dask: the model is sent
        once, then one task per chunk). Every draw is drawn before, one random stream per
        source, so the numbers are those of a local run with the same seed.

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    OptionError
        Invalid scoring options (every one listed), or given both as ``options`` and as a
        keyword; no source declared; a source that cannot act on these weights (judgement
        noise without AHP weights or panel, alpha without a combined node, unknown nodes);
        several phases without ``phase``; fewer than two ranked communities.
    ResourceError
        ``n`` draws that would need more memory than is available, refused before any draw
        with the largest ``n`` that fits.
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
    False
    >>> float(res.spearman.min()) > 0.5
    True
    >>> res.levels, res.rank_median.shape
    (('renovation_performance',), (30, 1))
    >>> res.settings.seed, res.settings.n
    (1, 200)
    """
    srcs = as_sources(sources)
    check_int("n", n, 1)
    check_int("top_k", top_k, 1)
    check_int("chunk_bytes", chunk_bytes, 1)
    check_workers(workers)
    check_executor(executor)
    declared_factors(srcs, example=", e.g. sources={'weights': {}}")
    base = base_options(
        options, normalization, aggregation, missing, min_coverage, min_applicable,
        impute_by, tie_method, tie_tolerance,
    )  # fmt: skip
    inputs = Inputs(system, data, weights, panel, phase, weights_phase)
    model = prepare_model(inputs, srcs, base, levels=levels, completion=completion, seed=seed)
    check_memory("n", n, _bytes_per_draw(model, keep_draws), chunk_bytes, "draws")
    pools = model.pools(n)
    tally = _Tally.start(model, n, top_k=top_k, kendall=kendall, keep_draws=keep_draws)
    task = partial(_chunk_stats, top_k=top_k, kendall=kendall, keep_draws=keep_draws)
    for d0, d1, chunk in model.run(
        pools, n, task, chunk_bytes=chunk_bytes, progress=progress,
        workers=workers, executor=executor,
    ):  # fmt: skip
        tally.add(d0, d1, chunk)
    return tally.result(pools)


def _bytes_per_draw(model: DrawModel, keep_draws: bool) -> int:
    """What each draw holds until the end: its pools, the ranks of every level (4 bytes a
    community), four statistics per level, and with ``keep_draws`` its weights and ranks."""
    ranks = 4 * sum(int(rows.size) for rows in model.level_rows)
    kept = 8 * sum(int(b.size) for b in model.base_local) + 4 * model.data.n if keep_draws else 0
    return model.pool_bytes() + ranks + 32 * len(model.level_ids) + kept


@dataclass
class _LevelStats:
    """Running statistics of one level over the draws."""

    ranks: NDArray[np.float32]
    top: FloatArray
    grades: FloatArray
    score_n: FloatArray
    score_mean: FloatArray
    score_m2: FloatArray  # sum of squared deviations from the mean


@dataclass
class _Tally:
    """Statistics of every level, and the kept draws, updated chunk by chunk."""

    model: DrawModel
    n: int
    top_k: int
    kendall: bool
    keep_draws: bool
    stats: list[_LevelStats]
    spear: FloatArray  # (draws, levels), and likewise the three below
    kend: FloatArray
    mars: FloatArray
    maxs: FloatArray
    draw_weights: dict[str, FloatArray] | None

    @classmethod
    def start(
        cls, model: DrawModel, n: int, *, top_k: int, kendall: bool, keep_draws: bool
    ) -> _Tally:
        """Empty statistics for ``n`` draws."""
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
            {
                g: np.empty((n, b.size))
                for g, b in zip(model.group_ids, model.base_local, strict=True)
            }
            if keep_draws
            else None
        )
        return cls(
            model, n, top_k, kendall, keep_draws, stats, spear, kend, mars, maxs, draw_weights
        )

    def add(self, d0: int, d1: int, chunk: _ChunkStats) -> None:
        """Merge the statistics of draws ``d0 .. d1-1`` (chunks come in order, so the running
        sums are the same whatever computed them)."""
        for k, part in enumerate(chunk.levels):
            if part is not None:
                self._merge_level(k, part, d0, d1)
        if self.draw_weights is not None and chunk.local is not None:
            for g, wk in zip(self.model.group_ids, chunk.local, strict=True):
                self.draw_weights[g][d0:d1] = wk

    def _merge_level(self, k: int, part: _LevelChunk, d0: int, d1: int) -> None:
        st = self.stats[k]
        st.ranks[:, d0:d1] = part.ranks
        st.top += part.top
        st.grades += part.grades
        # Mean and sum of squared deviations merged chunk by chunk (Chan, Golub & LeVeque 1983):
        # the textbook sum-of-squares formula loses every digit when a score hardly moves.
        n_b, mean_b, m2_b = part.n, part.mean, part.m2
        has = n_b > 0
        n_ab = st.score_n + n_b
        delta = mean_b - st.score_mean
        share = np.where(has, n_b / np.where(n_ab > 0, n_ab, 1.0), 0.0)
        st.score_m2 += np.where(has, m2_b + delta**2 * st.score_n * share, 0.0)
        st.score_mean += delta * share
        st.score_n = n_ab
        self.mars[d0:d1, k], self.maxs[d0:d1, k] = part.mean_shift, part.max_shift
        if part.spearman is not None and part.kendall is not None:
            self.spear[d0:d1, k], self.kend[d0:d1, k] = part.spearman, part.kendall

    def result(self, pools: Pools) -> UncertaintyResult:
        """The result of the draws taken, with the pools they came from."""
        model, stats, n = self.model, self.stats, self.n
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
        if self.keep_draws:
            draw_ranks = np.full((n, n_rows), np.nan, dtype=np.float32)
            draw_ranks[:, model.level_rows[0]] = stats[0].ranks.T
            choices = {name: codes.copy() for name, codes in pools.codes.items()}
            if pools.alpha is not None:
                choices["alpha"] = pools.alpha.copy()
        settings = model.settings(
            "uncertainty",
            n=n,
            runs=n,
            phase=None,
            top_k=self.top_k,
            sampler="pseudo-random (PCG64; one SeedSequence stream per source)",
            options={"kendall": self.kendall, "keep_draws": self.keep_draws},
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
            spearman=self.spear,
            kendall=self.kend,
            mean_abs_shift=self.mars,
            max_shift=self.maxs,
            draw_ranks=draw_ranks,
            draw_weights=self.draw_weights,
            draw_choices=choices,
        )


@dataclass
class _LevelChunk:
    """What one chunk of draws adds to the statistics of one level."""

    ranks: NDArray[np.float32]
    top: FloatArray
    grades: FloatArray
    n: FloatArray
    mean: FloatArray
    m2: FloatArray
    mean_shift: FloatArray
    max_shift: FloatArray
    spearman: FloatArray | None
    kendall: FloatArray | None


@dataclass
class _ChunkStats:
    """A chunk of draws reduced where it was scored: per level, and the local weights."""

    levels: list[_LevelChunk | None]
    local: list[FloatArray] | None


def _chunk_stats(
    model: DrawModel,
    d0: int,
    d1: int,
    local: list[FloatArray],
    scores: FloatArray,
    *,
    top_k: int,
    kendall: bool,
    keep_draws: bool,
) -> _ChunkStats:
    """Ranks, counts, score moments and rank correlations of a chunk of draws, every level."""
    levels = [
        _level_chunk(model, k, rows, scores[rows, k, :], top_k, kendall) if rows.size else None
        for k, rows in enumerate(model.level_rows)
    ]
    return _ChunkStats(levels, local if keep_draws else None)


def _level_chunk(
    model: DrawModel, k: int, rows: IntArray, scores: FloatArray, top_k: int, kendall: bool
) -> _LevelChunk:
    """The statistics of the scores (rows x draws) of level ``k``."""
    ranks, mid = rank_chunk(scores, model.tie_method, model.tie_tolerance)
    grades = ranking.grade(scores, model.thresholds)
    counts = np.stack([(grades == g).sum(axis=1) for g in range(model.n_grades)], axis=1)
    ok = ~np.isnan(scores)
    n_b = ok.sum(axis=1).astype(np.float64)
    mean_b = np.where(ok, scores, 0.0).sum(axis=1) / np.where(n_b > 0, n_b, 1.0)
    m2_b = np.where(ok, (scores - mean_b[:, None]) ** 2, 0.0).sum(axis=1)
    shift = np.abs(ranks - model.base_ranks[rows, k][:, None])
    rho = tau = None
    if rows.size >= 2:
        rho, tau = correlations(model.base_mid[k], mid, kendall)
    return _LevelChunk(
        ranks=ranks.astype(np.float32),
        top=(ranks <= top_k).sum(axis=1).astype(np.float64),
        grades=counts.astype(np.float64),
        n=n_b,
        mean=mean_b,
        m2=m2_b,
        mean_shift=shift.mean(axis=0),
        max_shift=shift.max(axis=0),
        spearman=rho,
        kendall=tau,
    )
