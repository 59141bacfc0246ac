"""evaluate_dataset: a Parquet dataset scored by row groups equals one evaluation of the table."""

from __future__ import annotations

import importlib.resources
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import renoscore as rs
from renoscore.errors import OptionError
from tests._extras import needs

OPTIONS = rs.ScoringOptions(missing="renormalize")


def _table() -> Any:
    csv = needs("pyarrow.csv")
    return csv.read_csv(importlib.resources.files(rs) / "example_data" / "communities.csv")


def _write(tmp: Path, sizes: tuple[int, ...]) -> Path:
    pq = needs("pyarrow.parquet")
    table = _table()
    start = 0
    for i, size in enumerate(sizes):
        pq.write_table(table.slice(start, size), tmp / f"in-{i}.parquet", row_group_size=7)
        start += size
    return tmp


def _whole() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = rs.load_data(_table().to_pandas(), rs.default_system())
        return rs.evaluate(rs.default_system(), data, options=OPTIONS)


def _read(folder: Path) -> Any:
    pq = needs("pyarrow.parquet")
    return pq.read_table(sorted(str(p) for p in folder.glob("*.parquet"))).to_pandas()


def _agrees(got: Any, whole: Any) -> None:
    ids = np.asarray(whole.id_array)
    phases = np.array(whole.phase_codes.labels, dtype=object)[whole.phase_codes.codes]
    assert got["community_id"].tolist() == ids.tolist()
    assert got["phase"].tolist() == phases.tolist()
    # Scores of a row do not depend on the others (to the last bits of a blocked sum); the
    # ranks, relative to the whole batch, are exact.
    assert np.array_equal(got["rank"].to_numpy(), whole.overall_rank, equal_nan=True)
    for k, gid in enumerate(whole.group_ids):
        want = whole.group_scores[:, k]
        assert np.allclose(got[gid].to_numpy(), want, rtol=1e-12, atol=1e-12, equal_nan=True)
    grades = [g.id for g in whole.system.grades]
    assert got["grade"].tolist() == [grades[g] if g >= 0 else None for g in whole.grades[:, 0]]


def test_row_groups_and_files_give_the_whole_tables_scores_and_exact_ranks(tmp_path: Path) -> None:
    folder = _write(tmp_path, (13, 20, 17))
    done = rs.evaluate_dataset(
        rs.default_system(), str(folder / "in-*.parquet"), out=tmp_path / "out",
        options=OPTIONS, batch_rows=5,
    )  # fmt: skip
    assert done.rows == 50
    assert done.partitions == len(done.files) > 3
    _agrees(_read(tmp_path / "out"), _whole())


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
    _agrees(_read(tmp_path / "out"), _whole())


def test_batch_relative_options_are_refused_with_the_fix(tmp_path: Path) -> None:
    folder = _write(tmp_path, (50,))
    with pytest.raises(OptionError) as err:
        rs.evaluate_dataset(
            rs.default_system(), folder, out=tmp_path / "o",
            options=OPTIONS.replace(normalization="minmax", tie_method="dense"),
        )  # fmt: skip
    assert len(err.value.problems) == 2
    assert "goalposts" in err.value.problems[0].fix
    with pytest.raises(OptionError, match="no Parquet file"):
        rs.evaluate_dataset(rs.default_system(), str(tmp_path / "none-*.parquet"), out=tmp_path)
