"""Chunks of draws on threads, executors and a Dask cluster: the same numbers, bit for bit."""

from __future__ import annotations

import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

import renoscore as rs
from renoscore._parallel import check_workers, ordered_map
from renoscore.errors import OptionError
from renoscore.sensitivity import sensitivity, uncertainty
from tests._extras import needs

SOURCES = {"weights": {"concentration": 40}, "aggregation": ("arithmetic", "geometric")}
FIELDS = ("rank_median", "rank_p05", "rank_p95", "rank_mean", "score_mean", "score_sd",
          "spearman", "kendall", "prob_grade", "prob_top_k", "draw_ranks")  # fmt: skip


def _uncertainty(**kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return uncertainty(rs.default_system(), rs.example_data(), phase="t0", n=120, seed=5,
                           missing="renormalize", sources=SOURCES, chunk_bytes=1 << 15, **kw)  # fmt: skip


def _sensitivity(**kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sensitivity(rs.default_system(), rs.example_data(), phase="t0", n=32, seed=3,
                           missing="renormalize", sources=SOURCES, chunk_bytes=1 << 14,
                           bootstrap=20, **kw)  # fmt: skip


def _same(a: Any, b: Any) -> None:
    # NaN where a community is not ranked (too little of the system applies): equal too.
    for name in FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    for g in a.draw_weights:
        assert np.array_equal(a.draw_weights[g], b.draw_weights[g]), g


@pytest.fixture(scope="module")
def one_worker() -> Any:
    return _uncertainty(workers=1)


@pytest.fixture(scope="module")
def one_worker_sobol() -> Any:
    return _sensitivity(workers=1)


def test_threads_give_the_bits_of_one_worker(one_worker: Any) -> None:
    _same(one_worker, _uncertainty(workers=3))
    _same(one_worker, _uncertainty())  # default: every core


def test_executors_give_the_bits_of_one_worker(one_worker: Any, one_worker_sobol: Any) -> None:
    with ThreadPoolExecutor(2) as pool:
        _same(one_worker, _uncertainty(executor=pool))
    with ProcessPoolExecutor(2) as pool:  # the model and the chunk task are pickled
        _same(one_worker, _uncertainty(executor=pool, workers=1))
        got = _sensitivity(executor=pool)
    for name in ("first_order", "total_order", "rank_first_order", "rank_total_order"):
        assert np.array_equal(
            getattr(got, name), getattr(one_worker_sobol, name), equal_nan=True
        ), name


def test_sobol_on_threads_gives_the_bits_of_one_worker(one_worker_sobol: Any) -> None:
    got = _sensitivity(workers=4)
    for name in ("first_order", "total_order", "first_order_ci", "rank_first_order"):
        assert np.array_equal(
            getattr(got, name), getattr(one_worker_sobol, name), equal_nan=True
        ), name


def test_a_dask_cluster_gives_the_bits_of_one_worker(
    one_worker: Any, one_worker_sobol: Any
) -> None:
    distributed = needs("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        _same(one_worker, _uncertainty(executor=client))
        got = _sensitivity(executor=client)
    assert np.array_equal(got.first_order, one_worker_sobol.first_order, equal_nan=True)
    assert np.array_equal(got.rank_total_order, one_worker_sobol.rank_total_order, equal_nan=True)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "4"])
def test_invalid_workers_are_refused_with_the_fix(bad: Any) -> None:
    with pytest.raises(OptionError) as err:
        _uncertainty(workers=bad)
    assert "workers" in err.value.problems[0].fix


def test_an_executor_must_be_one() -> None:
    with pytest.raises(OptionError, match="invalid executor"):
        _uncertainty(executor=object())


def test_ordered_map_keeps_the_order_and_bounds_the_window() -> None:
    import threading
    import time

    live: list[int] = []
    most = [0]
    lock = threading.Lock()

    def slow(shared: int, x: int) -> int:
        with lock:
            live.append(x)
            most[0] = max(most[0], len(live))
        time.sleep(0.002 * (x % 3))
        with lock:
            live.remove(x)
        return shared + x

    assert list(ordered_map(slow, 100, range(40), workers=3)) == [100 + x for x in range(40)]
    assert most[0] <= 3
    assert check_workers(None) >= 1
