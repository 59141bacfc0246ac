"""The fuzz targets of the edges (fuzz/fuzz_edges.py), briefly, under hypothesis.

The campaigns run the same targets for hours under atheris (fuzz/README.md); here each runs
a few dozen generated inputs and every seed, so that a change that breaks a target's promise
(a results file that loads though it should not, a traceback or a lost file on the command
line) fails the suite. Any exception other than a RenoscoreError is a failure.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renoscore.errors import RenoscoreError, RenoscoreWarning

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"


@pytest.fixture(scope="module")
def edges() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_edges", FUZZ / "fuzz_edges.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        spec.loader.exec_module(module)
    sys.modules.setdefault("fuzz_edges", module)
    return module


def run(target: Callable[[bytes], None], data: bytes) -> None:
    """The harness's rule: load, or refuse with a RenoscoreError; anything else is a finding."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        warnings.simplefilter("error", RuntimeWarning)
        with contextlib.suppress(RenoscoreError):
            target(data)


def _mutated(seed: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(seed)
    for pos, cut, insert in edits:
        p = pos % (len(out) + 1)
        out[p : p + cut] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8)), max_size=6
)
BRIEF = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_every_seed_of_the_edges(edges: ModuleType) -> None:
    for seed in edges.result_seeds():
        run(edges.target_result, seed)
    for seed in edges.cli_seeds():
        run(edges.target_cli, seed)


@BRIEF
@given(data=st.data())
def test_results_target(edges: ModuleType, data: st.DataObject) -> None:
    seeds = edges.result_seeds()
    raw = data.draw(
        st.one_of(
            st.binary(max_size=512),
            st.builds(_mutated, st.sampled_from(seeds), EDITS),
            # the structured modes: the seed document mutated with hostile values
            st.binary(min_size=8, max_size=64).map(lambda b: bytes([1 + b[0] % 2]) + b[1:]),
        )
    )
    run(edges.target_result, raw)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(min_size=1, max_size=64))
def test_command_line_target(edges: ModuleType, raw: bytes) -> None:
    run(edges.target_cli, raw)
