"""Independent pieces of work on all cores, on an executor or on a Dask cluster, in order.

The batched kernels (chunks of uncertainty draws, of Sobol' runs, blocks of communities, survey
groups) are independent of each other and spend their time in numpy, which releases the GIL:
:func:`ordered_map` runs them on a thread pool of ``workers`` threads (default: every core), on
a :class:`concurrent.futures.Executor` (threads or processes) or on a
``dask.distributed.Client``, and hands the results back **in the order of the items**, so that
whatever merges them does so in one fixed order and the numbers are the same, bit for bit, with
one worker or many. At most ``2 x workers`` pieces are in flight, so the memory is bounded by
that many pieces' working sets.

A Dask client gets the shared state once (``client.scatter(..., broadcast=True)``) and then one
small task per item; an executor gets the shared state with every task (for a process pool it
is pickled each time: share little, or use threads).

Examples
--------
>>> list(ordered_map(lambda shared, x: shared * x, 10, [1, 2, 3], workers=2))
[10, 20, 30]
>>> check_workers(None) >= 1
True
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, TypeVar

from renoscore.errors import OptionError, Problem

__all__ = ["check_executor", "check_workers", "is_dask_client", "ordered_map"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def check_workers(workers: int | None) -> int:
    """The number of threads to use: ``None`` means every core of this machine.

    Examples
    --------
    >>> check_workers(2)
    2
    """
    if workers is None:
        return max(1, os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise OptionError(
            "invalid workers",
            [
                Problem(
                    "workers must be a whole number >= 1, or None for every core",
                    value=workers,
                    fix="e.g. workers=4; workers=1 runs everything on the calling thread",
                )
            ],
        )
    return workers


def is_dask_client(executor: object) -> bool:
    """Whether ``executor`` is a ``dask.distributed.Client`` (recognised without importing it)."""
    module = type(executor).__module__ or ""
    return module.split(".")[0] == "distributed" and hasattr(executor, "scatter")


def check_executor(executor: object) -> Any:
    """``executor`` if it is None, a concurrent.futures.Executor or a Dask client.

    Examples
    --------
    >>> check_executor(None) is None
    True
    """
    if executor is None or isinstance(executor, Executor) or is_dask_client(executor):
        return executor
    raise OptionError(
        "invalid executor",
        [
            Problem(
                f"a {type(executor).__name__} is neither a concurrent.futures.Executor nor a "
                "dask.distributed.Client",
                fix="pass e.g. concurrent.futures.ThreadPoolExecutor(4) or a dask Client",
            )
        ],
    )


def ordered_map(
    fn: Callable[[S, T], R],
    shared: S,
    items: Iterable[T],
    *,
    workers: int | None = None,
    executor: Any = None,
) -> Iterator[R]:
    """``fn(shared, item)`` for every item, the results yielded in the order of the items.

    Parameters
    ----------
    fn : callable
        A function of the shared state and one item. For a process pool or a Dask cluster it
        must be picklable (a module-level function or a ``functools.partial`` of one).
    shared : object
        What every call reads (sent once to a Dask cluster).
    items : iterable
        The pieces of work.
    workers : int, optional
        Threads of the local pool (default: every core; 1 runs in the calling thread). With an
        executor it is the number of pieces in flight divided by two.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where to run the pieces instead of a local thread pool.

    Yields
    ------
    The results, in order.
    """
    n_workers = check_workers(workers)
    check_executor(executor)
    if executor is None and n_workers == 1:
        for item in items:
            yield fn(shared, item)
        return
    if executor is None:
        with ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="renoscore") as pool:
            yield from _windowed(pool.submit, fn, shared, items, 2 * n_workers)
        return
    if is_dask_client(executor):
        cores = sum(executor.nthreads().values()) or n_workers
        remote = executor.scatter(shared, broadcast=True)
        try:
            yield from _windowed(executor.submit, fn, remote, items, 2 * cores, pure=False)
        finally:
            executor.cancel(remote)
        return
    yield from _windowed(executor.submit, fn, shared, items, 2 * n_workers)


def _windowed(
    submit: Callable[..., Any],
    fn: Callable[[Any, T], R],
    shared: Any,
    items: Iterable[T],
    window: int,
    **options: Any,
) -> Iterator[R]:
    """Submit at most ``window`` pieces ahead of the one being handed back."""
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(submit(fn, shared, item, **options))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
