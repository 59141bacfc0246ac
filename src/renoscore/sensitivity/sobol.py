"""Variance-based global sensitivity of the ranking: Sobol' indices of each source of uncertainty.

Every declared source is one factor (a group of random inputs varied together; Sobol' 1993).
The Saltelli scheme runs the model on two independent samples A and B and on ``A_B^i`` (A with
factor ``i`` taken from B): :func:`saltelli_design` draws A and B from scrambled Sobol' points,
:func:`sobol_indices` gives the first-order (Saltelli et al. 2010) and total (Jansen 1999)
indices and :func:`sobol_bootstrap` their intervals (Archer, Saltelli & Sobol' 1997).
:func:`sensitivity` applies them to the mean absolute rank shift from the base ranking
(Saisana, Saltelli & Tarantola 2005) and to every community's rank, running the draw model
through its one driver (:meth:`renoscore.sensitivity.model.DrawModel.run`).

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore import _views
from renoscore._optional import import_optional
from renoscore._options import (
    DEFAULT_OPTIONS,
    MissingPolicy,
    ScoreNormalization,
    ScoringOptions,
    TreeAggregation,
)
from renoscore._parallel import check_executor, check_workers
from renoscore.data import CommunityData
from renoscore.errors import OptionError, Problem
from renoscore.panel import Panel
from renoscore.ranking import TieMethod
from renoscore.sensitivity._common import (
    Inputs,
    base_options,
    check_int,
    check_memory,
    declared_factors,
    prepare_model,
)
from renoscore.sensitivity.model import DEFAULT_CHUNK_BYTES, DrawModel, Progress
from renoscore.sensitivity.rank_stats import rank_chunk
from renoscore.sensitivity.sources import (
    FACTORS,
    Sources,
    UncertaintySettings,
    as_sources,
)
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights

__all__ = [
    "SensitivityResult",
    "saltelli_design",
    "sensitivity",
    "sobol_bootstrap",
    "sobol_indices",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# The sources driven by the Sobol' points of the design (the others by their own streams).
_SCALAR = ("normalization", "aggregation", "missing", "alpha")


# ---------------------------------------------------------------------------- Sobol'
def saltelli_design(k: int, n: int, seed: int | None = None) -> tuple[FloatArray, FloatArray]:
    """The two independent sample matrices A and B of the Saltelli scheme, uniform on [0, 1).

    Rows are scrambled Sobol' points (Sobol' 1967; Owen 1998 scrambling, via
    :class:`scipy.stats.qmc.Sobol`) in ``2k`` dimensions: A is the first ``k`` columns and B
    the last ``k`` (Saltelli et al. 2010, section 3). ``n`` should be a power of 2 for the
    balance properties of Sobol' points; other ``n`` are accepted.

    Parameters
    ----------
    k : int
        Number of input factors (>= 1).
    n : int
        Number of base samples (>= 2).
    seed : int, optional
        Seed of the scrambling.

    Returns
    -------
    A, B : ndarray, shape (n, k)

    References
    ----------
    Sobol' (1967); Owen (1998); Saltelli et al. (2010).

    Examples
    --------
    >>> A, B = saltelli_design(3, 8, seed=1)
    >>> A.shape, B.shape, bool(((A >= 0) & (A < 1)).all())
    ((8, 3), (8, 3), True)
    """
    from scipy.stats import qmc

    if k < 1 or n < 2:
        raise OptionError(
            "a Saltelli design needs k >= 1 factors and n >= 2 samples",
            [Problem(f"k={k}, n={n}")],
        )
    sampler = qmc.Sobol(d=2 * k, scramble=True, seed=seed)
    with warnings.catch_warnings():
        # scipy warns when n is not a power of 2; the docstring says so instead.
        warnings.simplefilter("ignore", UserWarning)
        points = np.asarray(sampler.random(n), dtype=np.float64)
    return points[:, :k].copy(), points[:, k:].copy()


def sobol_indices(
    f_a: ArrayLike, f_b: ArrayLike, f_ab: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """First-order and total Sobol' indices from the runs of a Saltelli design.

    With ``f(A)``, ``f(B)`` and ``f(A_B^i)`` (A with column ``i`` taken from B) over ``n``
    samples, and ``V`` the variance of the ``2n`` values of ``f(A)`` and ``f(B)``:

    * first order, ``S_i = (1/n) sum_j f(B)_j (f(A_B^i)_j - f(A)_j) / V``
      (Saltelli et al. 2010, Table 2 (b));
    * total effect, ``S_Ti = (1/2n) sum_j (f(A)_j - f(A_B^i)_j)^2 / V``
      (Jansen 1999; Saltelli et al. 2010, Table 2 (f)).

    The outputs are centred on the mean of ``f(A)`` and ``f(B)`` first (Sobol' & Levitan
    1999): this leaves the estimators' expectations unchanged (``E[f(A_B^i) - f(A)] = 0``) and
    lowers the variance of the first-order estimate. A factor may be a group of inputs varied together; its indices
    are then those of the group (Sobol' 1993). An output with no variance has nothing to
    apportion: its indices are 0.

    Parameters
    ----------
    f_a, f_b : array_like, shape (..., n)
        Outputs at A and B (leading axes: several outputs at once).
    f_ab : array_like, shape (k, ..., n)
        Outputs at ``A_B^i`` for each factor ``i``.

    Returns
    -------
    first, total : ndarray, shape (k, ...)
    variance : ndarray, shape (...)
        The output variance ``V``.

    References
    ----------
    Sobol' (1993); Jansen (1999); Sobol' & Levitan (1999); Saltelli et al. (2010).

    Examples
    --------
    >>> A, B = saltelli_design(2, 1024, seed=0)
    >>> f = lambda X: X[:, 0] + 2 * X[:, 1]  # S = (1/5, 4/5) for uniform inputs
    >>> AB = np.stack([np.where(np.arange(2) == i, B, A) for i in range(2)])
    >>> first, total, _ = sobol_indices(f(A), f(B), np.stack([f(m) for m in AB]))
    >>> first.round(2).tolist(), total.round(2).tolist()
    ([0.2, 0.8], [0.2, 0.8])
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if a.shape != b.shape or ab.shape[1:] != a.shape or a.shape[-1] < 2:
        raise OptionError(
            "f_a, f_b (..., n) and f_ab (k, ..., n) do not agree",
            [Problem(f"shapes {a.shape}, {b.shape}, {ab.shape}")],
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all() and np.isfinite(ab).all()):
        raise OptionError("model outputs must be finite", [Problem("NaN or infinite output")])
    mean = 0.5 * (a.mean(axis=-1) + b.mean(axis=-1))
    a = a - mean[..., None]
    b = b - mean[..., None]
    ab = ab - mean[..., None]
    variance = 0.5 * ((a**2).mean(axis=-1) + (b**2).mean(axis=-1))
    first_v = (b * (ab - a)).mean(axis=-1)
    total_v = 0.5 * ((a - ab) ** 2).mean(axis=-1)
    safe = np.where(variance > 0, variance, 1.0)
    first = np.where(variance > 0, first_v / safe, 0.0)
    total = np.where(variance > 0, total_v / safe, 0.0)
    return (
        np.asarray(first, dtype=np.float64),
        np.asarray(total, dtype=np.float64),
        np.asarray(variance, dtype=np.float64),
    )


def sobol_bootstrap(
    f_a: ArrayLike,
    f_b: ArrayLike,
    f_ab: ArrayLike,
    *,
    resamples: int = 500,
    confidence: float = 0.95,
    seed: int | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap percentile intervals of the Sobol' indices of :func:`sobol_indices`.

    The ``n`` sample rows are resampled with replacement (the same rows for ``f(A)``, ``f(B)``
    and every ``f(A_B^i)``, which keeps the design's pairing; Archer, Saltelli & Sobol' 1997)
    and the indices re-estimated; all resamples are computed at once.

    Parameters
    ----------
    f_a, f_b : array_like, shape (n,)
    f_ab : array_like, shape (k, n)
    resamples : int, default 500
    confidence : float, default 0.95
    seed : int, optional

    Returns
    -------
    first_ci, total_ci : ndarray, shape (k, 2)
        Lower and upper bounds.

    References
    ----------
    Archer, Saltelli & Sobol' (1997).

    Examples
    --------
    >>> A, B = saltelli_design(2, 256, seed=0)
    >>> f = lambda X: X[:, 0] + 2 * X[:, 1]
    >>> AB = np.stack([np.where(np.arange(2) == i, B, A) for i in range(2)])
    >>> lo_hi, _ = sobol_bootstrap(f(A), f(B), np.stack([f(m) for m in AB]), seed=0)
    >>> bool(lo_hi[1, 0] < 0.8 < lo_hi[1, 1])
    True
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if a.ndim != 1 or ab.ndim != 2 or not 0.0 < confidence < 1.0 or resamples < 2:
        raise OptionError(
            "sobol_bootstrap needs f_a, f_b of shape (n,), f_ab (k, n), 0 < confidence < 1",
            [Problem(f"shapes {a.shape}, {ab.shape}; confidence {confidence}")],
        )
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, a.size, size=(resamples, a.size))
    first, total, _ = sobol_indices(a[rows], b[rows], ab[:, rows])  # (k, resamples)
    tail = 50.0 * (1.0 - confidence)
    q = [tail, 100.0 - tail]
    return (
        np.asarray(np.percentile(first, q, axis=1).T, dtype=np.float64),
        np.asarray(np.percentile(total, q, axis=1).T, dtype=np.float64),
    )


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
        """The Sobol' bar chart (:func:`renoscore.plot.sensitivity.plot_sobol`)."""
        return _views.analysis_chart("sobol", self, ax, **kwargs)

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
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    progress: Progress | None = None,
    workers: int | None = None,
    executor: Any = None,
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
    min_coverage, min_applicable, impute_by, tie_method, tie_tolerance, options, weights_phase,
    completion, chunk_bytes, progress, workers, executor
        As for :func:`uncertainty`: the chunks of runs go to ``workers`` threads or to the
        executor (a Dask client included) and are merged in order, so the indices are the same,
        bit for bit, wherever they ran.
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
    srcs = as_sources(sources)
    check_int("n", n, 2)
    check_int("bootstrap", bootstrap, 2)
    check_int("chunk_bytes", chunk_bytes, 1)
    check_workers(workers)
    check_executor(executor)
    factors = declared_factors(srcs)
    base = base_options(
        options, normalization, aggregation, missing, min_coverage, min_applicable,
        impute_by, tie_method, tie_tolerance,
    )  # fmt: skip
    inputs = Inputs(system, data, weights, panel, phase, weights_phase)
    model = prepare_model(inputs, srcs, base, levels="goal", completion=completion, seed=seed)
    k = len(factors)
    # Per base sample: two realisations of every source, the design's 2k uniforms and the
    # k + 2 outputs.
    check_memory("n", n, 2 * model.pool_bytes() + 8 * (3 * k + 2), chunk_bytes, "base samples")
    runs = _saltelli_runs(
        model, factors, n, per_community, chunk_bytes, progress, workers, executor
    )
    return _sensitivity_result(model, factors, runs, phase=phase, bootstrap=bootstrap)


@dataclass
class _Runs:
    """The outputs of every run of a Saltelli design."""

    n: int
    design_seed: int
    f_a: FloatArray  # (n,) mean absolute rank shift at A
    f_b: FloatArray  # (n,) at B
    f_ab: FloatArray  # (k, n) at A_B^i
    ranks: _RankSobol | None  # running sums of every community's rank, when asked for


def _saltelli_runs(
    model: DrawModel,
    factors: tuple[str, ...],
    n: int,
    per_community: bool,
    chunk_bytes: int,
    progress: Progress | None,
    workers: int | None,
    executor: Any,
) -> _Runs:
    """Run the model on A, B and every A_B^i, ``n (k + 2)`` runs, and keep their outputs."""
    rows = model.level_rows[0]
    k = len(factors)
    design_seed = int(np.random.SeedSequence(model.seed, spawn_key=(0,)).generate_state(1)[0])
    A, B = saltelli_design(k, n, seed=design_seed)
    uniforms = {
        f: np.concatenate([A[:, i], B[:, i]]) for i, f in enumerate(factors) if f in _SCALAR
    }
    pools = model.pools(2 * n, uniforms)
    f_a = np.empty(n)
    f_b = np.empty(n)
    f_ab = np.empty((k, n))
    acc = _RankSobol(rows.size, k) if per_community else None

    design = _SaltelliDesign(n, factors)
    task = partial(_saltelli_chunk, k=k, per_community=per_community)
    chunks = model.run(
        pools, n, task, chunk_bytes=chunk_bytes, design=design, runs_per_sample=k + 2,
        progress=progress, workers=workers, executor=executor,
    )  # fmt: skip
    for j0, j1, (shift, ranks) in chunks:
        c = j1 - j0
        f_a[j0:j1] = shift[:c]
        f_b[j0:j1] = shift[c : 2 * c]
        f_ab[:, j0:j1] = shift[2 * c :].reshape(k, c)
        if acc is not None and ranks is not None:
            acc.add(ranks[:, :c], ranks[:, c : 2 * c], ranks[:, 2 * c :].reshape(rows.size, k, c))
    return _Runs(n, design_seed, f_a, f_b, f_ab, acc)


@dataclass(frozen=True)
class _SaltelliDesign:
    """The runs of a block of samples j: A rows, B rows, then A_B^i rows for each factor i."""

    n: int
    factors: tuple[str, ...]

    def __call__(self, j: IntArray) -> dict[str, IntArray]:
        n, factors = self.n, self.factors
        return {
            f: np.concatenate([j, n + j, *[(n + j) if f == g else j for g in factors]])
            for f in FACTORS
        }


def _saltelli_chunk(
    model: DrawModel,
    j0: int,
    j1: int,
    local: list[FloatArray],
    scores: FloatArray,
    *,
    k: int,
    per_community: bool,
) -> tuple[FloatArray, FloatArray | None]:
    """The mean absolute rank shift of every run of a chunk, and the ranks when kept."""
    rows = model.level_rows[0]
    ranks, _ = rank_chunk(scores[rows, 0, :], model.tie_method, model.tie_tolerance)
    shift = np.abs(ranks - model.base_ranks[rows, 0][:, None]).mean(axis=0)
    return shift, (ranks if per_community else None)


def _sensitivity_result(
    model: DrawModel,
    factors: tuple[str, ...],
    runs: _Runs,
    *,
    phase: str | None,
    bootstrap: int,
) -> SensitivityResult:
    """Indices, bootstrap intervals and settings from the outputs of the runs."""
    n, k, rows = runs.n, len(factors), model.level_rows[0]
    f_a, f_b, f_ab, acc = runs.f_a, runs.f_b, runs.f_ab, runs.ranks
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
    settings = model.settings(
        "sensitivity",
        n=n,
        runs=n * (k + 2),
        phase=phase,
        top_k=1,
        sampler="Saltelli (2010) A/B/A_B^i; scrambled Sobol' points for scalar factors, PCG64 streams for the others",
        options={
            "bootstrap": bootstrap,
            "per_community": acc is not None,
            "design_seed": runs.design_seed,
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
