"""Evaluate a Parquet dataset larger than memory, row group by row group, with exact ranks.

:func:`evaluate_dataset` streams the row groups of every file of a dataset (or the partitions
of a ``dask.dataframe``) through :func:`renoscore.load_data` and :func:`renoscore.evaluate`
and writes the scores, grades, ranks and reasons of every community to a Parquet dataset.
Each partition is scored by :func:`renoscore.evaluate` itself, so the rules are those of one
evaluation: coverage (``min_coverage``), the minimum applicable share of every group
(``min_applicable``), progress-check phases that get no overall score, and the reason of
every row left unscored.

Scores and grades depend on a community's own row (fixed goalposts, weights given or derived
without data), so each partition is scored alone; ranks are relative to the whole batch, so
they take two passes with exact statistics, not sketches: the first keeps the overall score of
every row (8 bytes a row) and sorts them per phase, the second scores each partition again and
ranks every row by counting the scores above it (binary search in the sorted scores). The
memory is one partition's working set plus 9 bytes per row of the dataset.

Ranks follow :func:`renoscore.ranking.rank` with the tie tolerance: the competition rank
(``"min"``) is one more than the number of scores above ``s + tol``; ``"max"`` counts the
scores at or above ``s - tol`` and ``"average"`` is their mean. These equal the ranks of one
evaluation of the whole table unless near-ties chain (``a`` within ``tol`` of ``b`` and ``b``
of ``c`` but not ``a`` of ``c``). What needs statistics of the whole batch is refused: min-max
and z-score normalisation, TOPSIS and grey relational analysis, imputation from column means
or medians, outlier treatment and weights derived from the data (entropy, CRITIC).

Examples
--------
The example communities written as two Parquet files, scored and ranked from disk:

>>> import importlib.resources, tempfile, pathlib, renoscore as rs
>>> pq = import_optional("pyarrow.parquet", "the example")
>>> csv = import_optional("pyarrow.csv", "the example")
>>> keep_na = csv.ConvertOptions(null_values=[""], strings_can_be_null=True)  # "n/a" stays text
>>> path = importlib.resources.files(rs) / "example_data" / "communities.csv"
>>> table = csv.read_csv(path, convert_options=keep_na)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for i, part in enumerate((table.slice(0, 30), table.slice(30))):
...     pq.write_table(part, folder / f"{i}.parquet")
>>> done = evaluate_dataset(rs.default_system(), str(folder / "*.parquet"), out=folder / "out",
...                         options=rs.ScoringOptions(missing="renormalize"))
>>> done.rows, sorted(done.phases.items())
(50, [('t0', 30), ('t1', 12), ('t2', 4), ('t_proc', 4)])
>>> sum(done.unscored.values())  # progress checks (t_proc, t2), too little observed
9
"""

from __future__ import annotations

import glob
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._labels import label_codes
from renoscore._optional import import_optional
from renoscore._options import ScoringOptions
from renoscore.data import load_data
from renoscore.errors import OptionError, OutputError, Problem
from renoscore.pipeline.scoring import evaluate
from renoscore.result import EvaluationResult
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import Weights
from renoscore.weights import derive_weights

__all__ = ["DatasetResult", "evaluate_dataset"]

FloatArray = NDArray[np.float64]
Codes = NDArray[np.intp]
#: Rows read at once from a Parquet file (a row group is split when larger).
DEFAULT_BATCH_ROWS = 1 << 18
#: The files evaluate_dataset writes in its output folder.
PART_GLOB = "part-*.parquet"


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
    unscored : dict of str to int
        Rows without an overall score, by reason (a progress check, too little of the system
        applies, too little observed, nothing observed).
    partitions : int
        Partitions (row batches) read in each pass.
    seconds : float
        Wall time of the two passes.
    """

    out: Path
    files: tuple[str, ...]
    rows: int
    phases: dict[str, int]
    unscored: dict[str, int]
    partitions: int
    seconds: float


@dataclass(frozen=True)
class _Job:
    """Everything a partition needs (picklable, for Dask workers)."""

    system: IndicatorSystem
    weights: Weights
    options: ScoringOptions
    inputs: tuple[str, ...] = ()

    def score(self, columns: dict[str, Any]) -> EvaluationResult:
        # A partition's warnings (low coverage...) would repeat once per partition and pass;
        # every unscored row keeps its reason in the output and in DatasetResult.unscored.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = load_data(columns, self.system)
            return evaluate(self.system, data, self.weights, options=self.options)


@dataclass
class _Scan:
    """Pass 1: the overall score, phase and reason of every row."""

    scores: list[FloatArray] = field(default_factory=list)
    codes: list[Codes] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)
    unscored: Counter[str] = field(default_factory=Counter)

    def add(self, res: EvaluationResult) -> None:
        self.scores.append(np.array(res.overall))
        self.codes.append(_global_codes(res.phase_codes, self.labels))
        reasons = label_codes(res, "reasons")
        counts = np.bincount(reasons.codes, minlength=len(reasons.labels))
        for text, count in zip(reasons.labels, counts.tolist(), strict=True):
            if text is not None and count:
                self.unscored[text] += count

    def arrays(self) -> tuple[FloatArray, Codes]:
        if not self.scores:
            return np.empty(0), np.empty(0, dtype=np.intp)
        return np.concatenate(self.scores), np.concatenate(self.codes)


def evaluate_dataset(
    system: IndicatorSystem | str,
    source: str | Path | Sequence[str | Path] | Any,
    weights: Weights | None = None,
    *,
    out: str | Path,
    options: ScoringOptions | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    overwrite: bool = False,
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
        Output directory, created if needed: one Parquet file per partition
        (``part-00000.parquet``...) with ``community_id``, ``phase``, the score of every group
        (goal first), ``applicable`` (share of the system's weight that applies),
        ``coverage``, ``grade``, ``rank`` and ``reason`` (why a row has no overall score).
    options : ScoringOptions, optional
        Scoring options; only those that score a row by itself (see the module).
    batch_rows : int
        Rows read at once (default 262,144): the memory of one partition.
    overwrite : bool
        Replace the part files of an earlier run in ``out`` (those this run does not write
        again are removed, so the folder holds this run only).

    Returns
    -------
    DatasetResult

    Raises
    ------
    OptionError
        An option that needs the whole batch, a tie method other than min, max or average,
        no file matching ``source``.
    OutputError
        ``out`` holds part files of an earlier run (without ``overwrite``), holds the input
        files, or cannot be written.
    """
    started = time.perf_counter()
    sys_ = system if isinstance(system, IndicatorSystem) else load_system(system)
    opts = ScoringOptions.of(options)
    _check_options(opts)
    is_dask = type(source).__module__.split(".")[0] == "dask"
    paths = [] if is_dask else _paths(source)
    target = Path(out)
    stale = _prepare_out(target, paths, overwrite)
    w = weights if weights is not None else derive_weights(sys_)
    job = _Job(sys_, w, opts, tuple(str(p) for p in paths))
    if is_dask:
        files, scan, parts = _dask_passes(job, source, target)
    else:
        scan, parts = _first_pass(job, _batches(paths, batch_rows))
        files = _second_pass(job, _batches(paths, batch_rows), _ranker(scan, opts), scan, target)
    for old in sorted(set(stale) - {Path(f) for f in files}):
        old.unlink()
    scores, codes = scan.arrays()
    return DatasetResult(
        target, files, int(scores.size), _counts(codes, scan.labels), dict(scan.unscored),
        parts, time.perf_counter() - started,
    )  # fmt: skip


def _check_options(opts: ScoringOptions) -> None:
    batch = "needs the whole batch's column statistics"
    fix = "load the data whole and call evaluate"
    problems = []
    if opts.normalization != "goalposts":
        problems.append(
            Problem(f"normalization={opts.normalization!r} {batch}", fix=f"use goalposts, or {fix}")
        )
    if opts.batch_relative and opts.normalization == "goalposts":
        problems.append(
            Problem(f"aggregation={opts.aggregation!r} {batch}", fix=f"use arithmetic, or {fix}")
        )
    if opts.missing in ("impute_mean", "impute_median"):
        problems.append(
            Problem(f"missing={opts.missing!r} {batch}", fix=f"use renormalize or error, or {fix}")
        )
    if opts.treat is not None:
        problems.append(Problem(f"outlier treatment {batch}", fix=f"leave treat unset, or {fix}"))
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


def _prepare_out(target: Path, inputs: list[Path], overwrite: bool) -> list[Path]:
    """Create the output folder; refuse one that holds the inputs or an earlier run's parts
    (unless ``overwrite``). Returns the earlier parts."""
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"cannot write {target}",
            [Problem("it is a file, not a folder", file=str(target), fix="give a folder")],
        )
    if target.is_dir() and any(p.resolve().parent == target.resolve() for p in inputs):
        raise OutputError(
            f"cannot write {target}",
            [
                Problem(
                    "the folder holds the input files (a later run would read the scores as data)",
                    file=str(target),
                    fix="write the scores to another folder",
                )
            ],
        )
    earlier = sorted(target.glob(PART_GLOB)) if target.is_dir() else []
    if earlier and not overwrite:
        raise OutputError(
            f"cannot write {target}",
            [
                Problem(
                    f"the folder holds {len(earlier)} part file(s) of an earlier run",
                    file=str(target),
                    fix=f"pass {argument('overwrite', True)} to replace them, or choose another folder",
                )
            ],
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}",
            [Problem(f"the folder cannot be created ({exc.strerror})", file=str(target))],
        ) from None
    return earlier


def _batches(paths: list[Path], batch_rows: int) -> Iterator[dict[str, Any]]:
    """Every row batch of every file as a mapping of numpy columns."""
    pq = import_optional("pyarrow.parquet", "evaluate_dataset")
    for path in paths:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
            yield {
                name: col.to_numpy(zero_copy_only=False)
                for name, col in zip(batch.schema.names, batch.columns, strict=True)
            }


def _first_pass(job: _Job, batches: Iterator[dict[str, Any]]) -> tuple[_Scan, int]:
    """The overall score, phase and reason of every row (pass 1)."""
    scan = _Scan()
    parts = 0
    for columns in batches:
        scan.add(job.score(columns))
        parts += 1
    return scan, parts


def _global_codes(pc: Any, labels: list[str | None]) -> Codes:
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
    def build(cls, scores: FloatArray, codes: Codes, tol: float, method: str) -> _Ranker:
        n_phases = int(codes.max()) + 1 if codes.size else 0
        per = [np.sort(scores[(codes == p) & ~np.isnan(scores)]) for p in range(n_phases)]
        return cls(per, tol, method)

    def ranks(self, scores: FloatArray, codes: Codes) -> FloatArray:
        out = np.full(scores.size, np.nan)
        for p, ref in enumerate(self.sorted_scores):
            sel = (codes == p) & ~np.isnan(scores)
            s = scores[sel]
            first = ref.size - np.searchsorted(ref, s + self.tol, side="right") + 1.0
            last = ref.size - np.searchsorted(ref, s - self.tol, side="left") + 0.0
            out[sel] = {"min": first, "max": last}.get(self.method, (first + last) / 2.0)
        return out


def _ranker(scan: _Scan, opts: ScoringOptions) -> _Ranker:
    scores, codes = scan.arrays()
    return _Ranker.build(scores, codes, opts.tie_tolerance, opts.tie_method)


def _second_pass(
    job: _Job, batches: Iterator[dict[str, Any]], ranker: _Ranker, scan: _Scan, target: Path
) -> tuple[str, ...]:
    """Score every partition again, rank it and write it (pass 2)."""
    return tuple(
        _write_part(columns, i, job, ranker, scan.labels, target)
        for i, columns in enumerate(batches)
    )


def _write_part(
    columns: dict[str, Any],
    i: int,
    job: _Job,
    ranker: _Ranker,
    labels: list[str | None],
    target: Path,
) -> str:
    """Score, rank and write partition ``i``; the path written."""
    from renoscore.io.write import write_arrow_table

    table = _scored_table(job, columns, ranker, labels)
    path = target / f"part-{i:05d}.parquet"
    write_arrow_table(table, path, overwrite=True, inputs=job.inputs)
    return str(path)


def _scored_table(
    job: _Job, columns: dict[str, Any], ranker: _Ranker, labels: list[str | None]
) -> Any:
    """The output columns of one partition, built column by column (no object per cell)."""
    pa = import_optional("pyarrow", "evaluate_dataset")
    res = job.score(columns)
    codes = _global_codes(res.phase_codes, labels)
    grade_ids = np.array([g.id for g in job.system.grades] + [None], dtype=object)
    reasons = label_codes(res, "reasons")
    text = pa.string()
    out: dict[str, Any] = {"community_id": pa.array(np.asarray(res.id_array), type=text)}
    out["phase"] = pa.array(np.array([*labels, None], dtype=object)[codes], type=text)
    for k, gid in enumerate(res.group_ids):
        out[gid] = pa.array(res.group_scores[:, k], type=pa.float64())
    out["applicable"] = pa.array(res.applicable_shares()[:, 0], type=pa.float64())
    out["coverage"] = pa.array(res.coverage[:, 0], type=pa.float64())
    grades = grade_ids[np.where(res.grades[:, 0] >= 0, res.grades[:, 0], -1)]
    out["grade"] = pa.array(grades, type=text)
    out["rank"] = pa.array(ranker.ranks(np.asarray(res.overall), codes), type=pa.float64())
    reason_texts = np.array(list(reasons.labels), dtype=object)
    out["reason"] = pa.array(reason_texts[reasons.codes], type=text)
    return pa.table(out)


def _counts(codes: Codes, labels: list[str | None]) -> dict[str, int]:
    counts = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(0, dtype=int)
    return {str(lab): int(c) for lab, c in zip(labels, counts, strict=False)}


def _dask_partition_scores(frame: Any, job: _Job) -> Any:
    pd = import_optional("pandas", "evaluate_dataset")
    res = job.score({c: frame[c].to_numpy() for c in frame.columns})
    phases = np.array(res.phase_codes.labels, dtype=object)[res.phase_codes.codes]
    reasons = label_codes(res, "reasons")
    texts = np.array(list(reasons.labels), dtype=object)[reasons.codes]
    return pd.DataFrame(
        {"score": np.asarray(res.overall), "phase": phases, "reason": texts}, index=frame.index
    )


def _dask_write_part(
    frame: Any, i: int, job: _Job, ranker: _Ranker, labels: list[str | None], target: Path
) -> str:
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    return _write_part(columns, i, job, ranker, list(labels), target)


def _dask_passes(job: _Job, ddf: Any, target: Path) -> tuple[tuple[str, ...], _Scan, int]:
    """The two passes on the partitions of a Dask DataFrame, on its workers; each worker
    writes its partitions' files through the one writer."""
    dask = import_optional("dask", "evaluate_dataset with a Dask DataFrame")
    pd = import_optional("pandas", "evaluate_dataset")
    meta = pd.DataFrame({name: pd.Series(dtype=object) for name in ("phase", "reason")})
    meta.insert(0, "score", pd.Series(dtype="float64"))
    first = ddf.map_partitions(_dask_partition_scores, job, meta=meta).compute()
    found, uniques = pd.factorize(first["phase"], use_na_sentinel=False)
    scan = _Scan(labels=[None if pd.isna(u) else str(u) for u in uniques])
    scan.scores.append(first["score"].to_numpy(dtype=np.float64))
    scan.codes.append(np.asarray(found, dtype=np.intp))
    scan.unscored.update(first["reason"].dropna().astype(str).tolist())
    ranker = _ranker(scan, job.options)
    writes = [
        dask.delayed(_dask_write_part)(part, i, job, ranker, scan.labels, target)
        for i, part in enumerate(ddf.to_delayed())
    ]
    files = tuple(str(f) for f in dask.compute(*writes))
    return files, scan, int(ddf.npartitions)
