"""evaluate_dataset: a Parquet dataset scored by row groups equals one evaluation of the table."""

from __future__ import annotations

import importlib.resources
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import renoscore as rs
from renoscore.errors import OptionError, OutputError
from tests._extras import needs

OPTIONS = rs.ScoringOptions(missing="renormalize")


def _table() -> Any:
    csv = needs("pyarrow.csv")
    # Only an empty cell is missing: "n/a" (not applicable) stays text, as an office writes it.
    keep_na = csv.ConvertOptions(null_values=[""], strings_can_be_null=True)
    path = importlib.resources.files(rs) / "example_data" / "communities.csv"
    return csv.read_csv(path, convert_options=keep_na)


def _write(tmp: Path, sizes: tuple[int, ...]) -> Path:
    pq = needs("pyarrow.parquet")
    table = _table()
    start = 0
    for i, size in enumerate(sizes):
        pq.write_table(table.slice(start, size), tmp / f"in-{i}.parquet", row_group_size=7)
        start += size
    return tmp


def _whole(options: rs.ScoringOptions = OPTIONS) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = rs.load_data(_table().to_pandas(), rs.default_system())
        return rs.evaluate(rs.default_system(), data, options=options)


def _read(folder: Path) -> Any:
    """The output as a pyarrow table (None stays None, whatever pandas makes of text)."""
    pq = needs("pyarrow.parquet")
    return pq.read_table(sorted(str(p) for p in folder.glob("part-*.parquet")))


def _agrees(got: Any, whole: Any) -> None:
    """Every output column equals one evaluation of the whole table on the same rows."""
    ids = np.asarray(whole.id_array)
    phases = np.array(whole.phase_codes.labels, dtype=object)[whole.phase_codes.codes]
    assert got["community_id"].to_pylist() == ids.tolist()
    assert got["phase"].to_pylist() == phases.tolist()
    # Scores of a row do not depend on the others (to the last bits of a blocked sum); the
    # ranks, relative to the whole batch, are exact.
    rank = np.array(got["rank"].to_pylist(), dtype=float)
    assert np.array_equal(rank, whole.overall_rank, equal_nan=True)
    for k, gid in enumerate(whole.group_ids):
        want = whole.group_scores[:, k]
        have = np.array(got[gid].to_pylist(), dtype=float)
        assert np.allclose(have, want, rtol=1e-12, atol=1e-12, equal_nan=True)
    grades = [g.id for g in whole.system.grades]
    assert got["grade"].to_pylist() == [grades[g] if g >= 0 else None for g in whole.grades[:, 0]]
    assert got["reason"].to_pylist() == list(whole.reasons)
    shares = np.array(got["applicable"].to_pylist(), dtype=float)
    assert np.allclose(shares, whole.applicable_shares()[:, 0], rtol=0, atol=1e-12)
    coverage = np.array(got["coverage"].to_pylist(), dtype=float)
    assert np.allclose(coverage, whole.coverage[:, 0], rtol=0, atol=1e-12, equal_nan=True)


def _unscored(whole: Any) -> dict[str, int]:
    return dict(Counter(r for r in whole.reasons if r is not None))


@pytest.mark.parametrize(
    "options",
    [OPTIONS, OPTIONS.replace(min_applicable=0.9, min_coverage=0.9)],
    ids=["defaults", "strict-applicable-and-coverage"],
)
def test_row_groups_and_files_give_the_whole_tables_scores_ranks_and_reasons(
    tmp_path: Path, options: rs.ScoringOptions
) -> None:
    folder = _write(tmp_path, (13, 20, 17))
    done = rs.evaluate_dataset(
        rs.default_system(), str(folder / "in-*.parquet"), out=tmp_path / "out",
        options=options, batch_rows=5,
    )  # fmt: skip
    whole = _whole(options)
    assert done.rows == 50
    assert done.partitions == len(done.files) > 3
    _agrees(_read(tmp_path / "out"), whole)
    # The progress checks (t_proc, t2) and, with the strict options, rows not assessed or
    # too little observed: every reason of one evaluation, counted.
    assert done.unscored == _unscored(whole)
    assert sum(done.unscored.values()) >= 8
    if options.min_applicable == 0.9:
        assert any(r.startswith("not assessed") for r in done.unscored)
        assert _unscored(whole) != _unscored(_whole())


def test_an_earlier_run_is_replaced_only_when_asked(tmp_path: Path) -> None:
    folder = _write(tmp_path, (25, 25))
    out = tmp_path / "out"
    first = rs.evaluate_dataset(rs.default_system(), folder, out=out, options=OPTIONS, batch_rows=5)
    assert len(first.files) == 10
    with pytest.raises(OutputError) as err:
        rs.evaluate_dataset(rs.default_system(), folder, out=out, options=OPTIONS)
    assert "10 part file(s) of an earlier run" in err.value.problems[0].reason
    assert "overwrite=True" in (err.value.problems[0].fix or "")
    again = rs.evaluate_dataset(
        rs.default_system(), folder, out=out, options=OPTIONS, overwrite=True
    )
    # Fewer partitions now: the parts of the earlier run that were not written again go.
    assert sorted(str(p) for p in out.glob("part-*.parquet")) == list(again.files)
    assert len(again.files) == 2
    _agrees(_read(out), _whole())


def test_the_input_folder_is_not_an_output_folder(tmp_path: Path) -> None:
    folder = _write(tmp_path, (50,))
    with pytest.raises(OutputError, match="holds the input files"):
        rs.evaluate_dataset(rs.default_system(), folder, out=folder, options=OPTIONS)
    assert sorted(p.name for p in folder.iterdir()) == ["in-0.parquet"]


def test_a_dask_dataframe_runs_the_same_partitions(tmp_path: Path) -> None:
    dd = needs("dask.dataframe")
    distributed = needs("distributed")
    folder = _write(tmp_path, (25, 25))
    ddf = dd.read_parquet(str(folder / "in-*.parquet"))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        done = rs.evaluate_dataset(rs.default_system(), ddf, out=tmp_path / "out", options=OPTIONS)
    assert done.rows == 50
    assert done.partitions == len(done.files) == ddf.npartitions
    _agrees(_read(tmp_path / "out"), _whole())
    assert done.unscored == _unscored(_whole())


def test_batch_relative_options_are_refused_with_the_fix(tmp_path: Path) -> None:
    folder = _write(tmp_path, (50,))
    with pytest.raises(OptionError) as err:
        rs.evaluate_dataset(
            rs.default_system(), folder, out=tmp_path / "o",
            options=OPTIONS.replace(normalization="minmax", tie_method="dense"),
        )  # fmt: skip
    assert len(err.value.problems) == 2
    assert "goalposts" in (err.value.problems[0].fix or "")
    with pytest.raises(OptionError) as err:
        rs.evaluate_dataset(
            rs.default_system(), folder, out=tmp_path / "o",
            options=OPTIONS.replace(aggregation="topsis", missing="impute_mean", treat=True),
        )  # fmt: skip
    reasons = [p.reason for p in err.value.problems]
    assert reasons == [
        "aggregation='topsis' needs the whole batch's column statistics",
        "missing='impute_mean' needs the whole batch's column statistics",
        "outlier treatment needs the whole batch's column statistics",
    ]
    with pytest.raises(OptionError, match="no Parquet file"):
        rs.evaluate_dataset(rs.default_system(), str(tmp_path / "none-*.parquet"), out=tmp_path)
