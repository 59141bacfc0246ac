"""Evaluate a Parquet dataset larger than memory, row group by row group, with exact ranks.

:func:`evaluate_dataset` streams the row groups of every file of a dataset (or the partitions
of a ``dask.dataframe``) through :func:`renoscore.load_data` and :func:`renoscore.evaluate`
and writes the scores, grades and ranks of every community to a Parquet dataset. Scores and
grades depend on a community's own row (fixed goalposts, weights given or derived without
data), so each partition is scored alone; ranks are relative to the whole batch, so they take
two passes with exact statistics, not sketches: the first keeps the overall score of every row
(8 bytes a row) and sorts them per phase, the second scores each partition again and ranks
every row by counting the scores above it (binary search in the sorted scores). The memory is
one partition's working set plus 9 bytes per row of the dataset.

Ranks follow :func:`renoscore.ranking.rank` with the tie tolerance: the competition rank
(``"min"``) is one more than the number of scores above ``s + tol``; ``"max"`` counts the
scores at or above ``s - tol`` and ``"average"`` is their mean. These equal the ranks of one
evaluation of the whole table unless near-ties chain (``a`` within ``tol`` of ``b`` and ``b``
of ``c`` but not ``a`` of ``c``). Min-max and z-score normalisation, TOPSIS and weights derived
from the data (entropy, CRITIC) need column statistics of the whole batch and are refused here.

Examples
--------
The example communities written as two Parquet files, scored and ranked from disk:

>>> import importlib.resources, tempfile, pathlib, renoscore as rs
>>> pq = import_optional("pyarrow.parquet", "the example")
>>> csv = import_optional("pyarrow.csv", "the example")
>>> table = csv.read_csv(importlib.resources.files(rs) / "example_data" / "communities.csv")
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for i, part in enumerate((table.slice(0, 30), table.slice(30))):
...     pq.write_table(part, folder / f"{i}.parquet")
>>> done = evaluate_dataset(rs.default_system(), str(folder / "*.parquet"), out=folder / "out",
...                         options=rs.ScoringOptions(missing="renormalize"))
>>> done.rows, done.phases
(50, {'t0': 30, 't1': 12, 't_proc': 4, 't2': 4})
"""

from __future__ import annotations

import glob
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._optional import import_optional
from renoscore._options import ScoringOptions
from renoscore.data import load_data
from renoscore.errors import OptionError, Problem
from renoscore.pipeline.scoring import evaluate
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import Weights
from renoscore.weights import derive_weights

__all__ = ["DatasetResult", "evaluate_dataset"]

FloatArray = NDArray[np.float64]
#: Rows read at once from a Parquet file (a row group is split when larger).
DEFAULT_BATCH_ROWS = 1 << 18


@dataclass(frozen=True)
class DatasetResult:
    """What :func:`evaluate_dataset` wrote.

    Attributes
    ----------
    out : Path
        The output directory (one ``part-NNNNN.parquet`` per partition).
    files : tuple of str
        The files written.
    rows : int
        Rows scored.
    phases : dict of str to int
        Rows per phase.
    partitions : int
        Partitions (row batches) read in each pass.
    seconds : float
        Wall time of the two passes.
    """

    out: Path
    files: tuple[str, ...]
    rows: int
    phases: dict[str, int]
    partitions: int
    seconds: float


@dataclass(frozen=True)
class _Job:
    """Everything a partition needs (picklable, for Dask workers)."""

    system: IndicatorSystem
    weights: Weights
    options: ScoringOptions

    def score(self, columns: dict[str, Any]) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = load_data(columns, self.system)
            return evaluate(self.system, data, self.weights, options=self.options)


def evaluate_dataset(
    system: IndicatorSystem | str,
    source: str | Path | Sequence[str | Path] | Any,
    weights: Weights | None = None,
    *,
    out: str | Path,
    options: ScoringOptions | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> DatasetResult:
    """Score, grade and rank a Parquet dataset that need not fit in memory.

    Parameters
    ----------
    system : IndicatorSystem or str
        The indicator system (or a path or name for :func:`renoscore.load_system`).
    source : str, Path, sequence of paths, or dask.dataframe.DataFrame
        A glob (``"data/*.parquet"``), a directory of Parquet files, the files, or a Dask
        DataFrame (its partitions are scored on the Dask workers, in the same two passes).
    weights : Weights, optional
        Frozen weights; by default those the system derives without data.
    out : str or Path
        Output directory, created if needed: one Parquet file per partition with
        ``community_id``, ``phase``, the score of every group (goal first), ``coverage``,
        ``grade`` and ``rank``.
    options : ScoringOptions, optional
        Scoring options; the normalisation must be ``"goalposts"`` (row by row).
    batch_rows : int
        Rows read at once (default 262,144): the memory of one partition.

    Returns
    -------
    DatasetResult

    Raises
    ------
    OptionError
        A batch-relative normalisation, a tie method other than min, max or average, no file
        matching ``source``.
    """
    started = time.perf_counter()
    sys_ = system if isinstance(system, IndicatorSystem) else load_system(system)
    opts = ScoringOptions.of(options)
    _check_options(opts)
    job = _Job(sys_, weights if weights is not None else derive_weights(sys_), opts)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    if type(source).__module__.split(".")[0] == "dask":
        files, rows, phases, parts = _dask_passes(job, source, target)
    else:
        paths = _paths(source)
        scores, codes, labels, parts = _first_pass(job, _batches(paths, batch_rows))
        ranked = _Ranker.build(scores, codes, opts.tie_tolerance, opts.tie_method)
        files = _second_pass(job, _batches(paths, batch_rows), ranked, labels, target)
        rows, phases = scores.size, _counts(codes, labels)
    return DatasetResult(target, files, rows, phases, parts, time.perf_counter() - started)


def _check_options(opts: ScoringOptions) -> None:
    problems = []
    if opts.normalization != "goalposts":
        problems.append(
            Problem(
                f"normalization={opts.normalization!r} needs the whole batch's column statistics",
                fix="score a dataset with goalposts, or load the data whole and call evaluate",
            )
        )
    if opts.tie_method not in ("min", "max", "average"):
        problems.append(
            Problem(
                f"tie_method={opts.tie_method!r} is not counted from sorted scores",
                fix="use min (the default), max or average",
            )
        )
    if problems:
        raise OptionError("these options need the whole table in memory", problems)


def _paths(source: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(source, str | Path):
        p = Path(source)
        found = (
            sorted(p.glob("*.parquet"))
            if p.is_dir()
            else [Path(x) for x in sorted(glob.glob(str(source)))]
        )
    else:
        found = [Path(x) for x in source]
    if not found:
        raise OptionError(
            "no Parquet file to read",
            [
                Problem(
                    "nothing matches", value=str(source), fix="give a glob such as 'data/*.parquet'"
                )
            ],
        )
    return found


def _batches(paths: list[Path], batch_rows: int) -> Iterator[dict[str, Any]]:
    """Every row batch of every file as a mapping of numpy columns."""
    pq = import_optional("pyarrow.parquet", "evaluate_dataset")
    for path in paths:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
            yield {
                name: col.to_numpy(zero_copy_only=False)
                for name, col in zip(batch.schema.names, batch.columns, strict=True)
            }


def _first_pass(
    job: _Job, batches: Iterator[dict[str, Any]]
) -> tuple[FloatArray, NDArray[np.intp], list[str | None], int]:
    """The overall score and phase code of every row (pass 1)."""
    scores: list[FloatArray] = []
    codes: list[NDArray[np.intp]] = []
    labels: list[str | None] = []
    parts = 0
    for columns in batches:
        res = job.score(columns)
        scores.append(np.array(res.overall))
        codes.append(_global_codes(res.phase_codes, labels))
        parts += 1
    if not scores:
        return np.empty(0), np.empty(0, dtype=np.intp), labels, 0
    return np.concatenate(scores), np.concatenate(codes), labels, parts


def _global_codes(pc: Any, labels: list[str | None]) -> NDArray[np.intp]:
    for lab in pc.labels:
        if lab not in labels:
            labels.append(lab)
    mapping = np.array([labels.index(lab) for lab in pc.labels], dtype=np.intp)
    return mapping[pc.codes] if mapping.size else np.zeros(pc.codes.size, dtype=np.intp)


@dataclass
class _Ranker:
    """Sorted overall scores per phase: exact ranks of any row by counting (pass 2)."""

    sorted_scores: list[FloatArray]
    tol: float
    method: str

    @classmethod
    def build(cls, scores: FloatArray, codes: NDArray[np.intp], tol: float, method: str) -> _Ranker:
        n_phases = int(codes.max()) + 1 if codes.size else 0
        per = [np.sort(scores[(codes == p) & ~np.isnan(scores)]) for p in range(n_phases)]
        return cls(per, tol, method)

    def ranks(self, scores: FloatArray, codes: NDArray[np.intp]) -> FloatArray:
        out = np.full(scores.size, np.nan)
        for p, ref in enumerate(self.sorted_scores):
            sel = (codes == p) & ~np.isnan(scores)
            s = scores[sel]
            first = ref.size - np.searchsorted(ref, s + self.tol, side="right") + 1.0
            last = ref.size - np.searchsorted(ref, s - self.tol, side="left") + 0.0
            out[sel] = {"min": first, "max": last}.get(self.method, (first + last) / 2.0)
        return out


def _second_pass(
    job: _Job,
    batches: Iterator[dict[str, Any]],
    ranker: _Ranker,
    labels: list[str | None],
    target: Path,
) -> tuple[str, ...]:
    pq = import_optional("pyarrow.parquet", "evaluate_dataset")
    files = []
    for i, columns in enumerate(batches):
        table = _scored_table(job, columns, ranker, labels)
        path = target / f"part-{i:05d}.parquet"
        pq.write_table(table, path)
        files.append(str(path))
    return tuple(files)


def _scored_table(
    job: _Job, columns: dict[str, Any], ranker: _Ranker, labels: list[str | None]
) -> Any:
    """The output columns of one partition, built column by column (no object per cell)."""
    pa = import_optional("pyarrow", "evaluate_dataset")
    res = job.score(columns)
    codes = _global_codes(res.phase_codes, labels)
    grade_ids = np.array([g.id for g in job.system.grades] + [None], dtype=object)
    out: dict[str, Any] = {"community_id": pa.array(np.asarray(res.id_array))}
    out["phase"] = pa.array(np.array([*labels, None], dtype=object)[codes], type=pa.string())
    for k, gid in enumerate(res.group_ids):
        out[gid] = pa.array(res.group_scores[:, k])
    out["coverage"] = pa.array(res.coverage[:, 0])
    out["grade"] = pa.array(grade_ids[np.where(res.grades[:, 0] >= 0, res.grades[:, 0], -1)])
    out["rank"] = pa.array(ranker.ranks(np.asarray(res.overall), codes))
    return pa.table(out)


def _counts(codes: NDArray[np.intp], labels: list[str | None]) -> dict[str, int]:
    counts = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(0, dtype=int)
    return {str(lab): int(c) for lab, c in zip(labels, counts, strict=False)}


def _dask_partition_scores(frame: Any, job: _Job) -> Any:
    pd = import_optional("pandas", "evaluate_dataset")
    res = job.score({c: frame[c].to_numpy() for c in frame.columns})
    phases = np.array(res.phase_codes.labels, dtype=object)[res.phase_codes.codes]
    return pd.DataFrame({"score": np.asarray(res.overall), "phase": phases}, index=frame.index)


def _dask_partition_table(frame: Any, job: _Job, ranker: _Ranker, labels: list[str | None]) -> Any:
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    return _scored_table(job, columns, ranker, list(labels)).to_pandas()


def _dask_passes(
    job: _Job, ddf: Any, target: Path
) -> tuple[tuple[str, ...], int, dict[str, int], int]:
    """The two passes on the partitions of a Dask DataFrame, on its workers."""
    import_optional("dask.dataframe", "evaluate_dataset with a Dask DataFrame")
    pd = import_optional("pandas", "evaluate_dataset")
    meta = pd.DataFrame({"score": pd.Series(dtype="float64"), "phase": pd.Series(dtype=object)})
    first = ddf.map_partitions(_dask_partition_scores, job, meta=meta).compute()
    found, uniques = pd.factorize(first["phase"], use_na_sentinel=False)
    codes = np.asarray(found, dtype=np.intp)
    labels: list[str | None] = [None if pd.isna(u) else str(u) for u in uniques]
    scores = first["score"].to_numpy(dtype=np.float64)
    ranker = _Ranker.build(scores, codes, job.options.tie_tolerance, job.options.tie_method)
    sample = _dask_partition_table(ddf.head(2, npartitions=-1), job, ranker, labels)
    scored = ddf.map_partitions(_dask_partition_table, job, ranker, labels, meta=sample.iloc[:0])
    scored.to_parquet(str(target), write_index=False)
    files = tuple(str(p) for p in sorted(target.glob("*.parquet")))
    return files, int(scores.size), _counts(codes, labels), int(ddf.npartitions)
