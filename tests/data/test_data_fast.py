"""Tests of the vectorised validation paths of renoscore.data.

The (N, M) array entry, the blocked scan in both memory orders, the hashed search for repeated
(id, phase) keys, Arrow-backed text columns, and ids/phases kept as arrays until read as tuples.
Each path is checked against the table path, which validates the same cells cell by cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.data import (
    CellStatus,
    CommunityData,
    PhaseCodes,
    label_array,
    load_data,
)
from renoscore.data.checks import repeated_rows as _repeated_rows
from renoscore.data.checks import text_hash as _text_hash
from renoscore.errors import DataValidationError
from renoscore.system import IndicatorSystem, default_system, load_system
from tests._extras import needs

from .test_data import SYSTEM_YAML

# Columns of the mini system: a_ratio [0, 1], a_dist [0, 5000], a_locker binary,
# b_likert [1, 5] measured in t1 only, b_ladder ordinal 0-4.
LO = np.array([0.0, 0.0, 0.0, 1.0, 0.0])
HI = np.array([1.0, 5000.0, 1.0, 5.0, 4.0])


@pytest.fixture(scope="module")
def mini() -> IndicatorSystem:
    return load_system(SYSTEM_YAML)


def _valid(n: int, seed: int = 0, nan_share: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = LO + (HI - LO) * rng.random((n, 5))
    X[:, 2] = rng.integers(0, 2, n)
    X[:, 4] = rng.choice([0.0, 2.0, 4.0], n)
    if nan_share:
        X[rng.random(X.shape) < nan_share] = np.nan
    return X


def _as_mapping(X: np.ndarray, ids: Any, phases: Any, system: IndicatorSystem) -> dict[str, Any]:
    table: dict[str, Any] = {"community_id": list(ids), "phase": list(phases)}
    table.update({name: X[:, j].copy() for j, name in enumerate(system.indicator_ids)})
    return table


# ------------------------------------------------------------------ the (N, M) array entry
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("n", [1, 31, 32, 33, 5000])
def test_array_entry_equals_table_path(mini: IndicatorSystem, order: str, n: int) -> None:
    # Row counts around the 32-row fold of the C-order scan, and more than one block.
    X = np.asarray(_valid(n, seed=n, nan_share=0.1), order=order)
    ids = np.array([f"x{i:05d}" for i in range(n)])
    phases = np.where(np.arange(n) % 3 == 0, "t1", "t0")
    fast = load_data(X, mini, ids=ids, phases=phases)
    slow = load_data(_as_mapping(X, ids, phases, mini), mini)
    assert fast == slow
    assert fast.ids == tuple(ids.tolist())
    assert fast.phases == tuple(phases.tolist())
    # b_likert is measured in t1 only: its empty t0 cells are not applicable, t1 ones missing.
    likert = fast.status[:, 3]
    gap = np.isnan(X[:, 3])
    assert (likert[gap & (phases == "t0")] == CellStatus.NOT_APPLICABLE).all()
    assert (likert[gap & (phases == "t1")] == CellStatus.MISSING).all()
    assert (fast.status[~np.isnan(X)] == CellStatus.OK).all()


def test_array_entry_shares_memory_and_leaves_the_callers_array_writable(
    mini: IndicatorSystem,
) -> None:
    X = _valid(10)
    data = load_data(X, mini, ids=[f"c{i}" for i in range(10)], phases="t0")
    assert np.shares_memory(data.values, X)
    assert not data.values.flags.writeable
    assert X.flags.writeable
    X[0, 0] = 0.5  # the caller's array is still theirs
    assert data.phase_ids() == ("t0",)


def test_array_entry_converts_integer_arrays(mini: IndicatorSystem) -> None:
    X = np.array([[1, 100, 1, 3, 2], [0, 0, 0, 1, 4]], dtype=np.int32)
    data = load_data(X, mini, ids=[7, 8])
    assert data.values.dtype == np.float64
    assert data.ids == ("7", "8")
    assert data.phases == (None, None)
    assert data.values[0, 1] == 100.0


@pytest.mark.parametrize("order", ["C", "F"])
def test_array_entry_reports_every_bad_cell(mini: IndicatorSystem, order: str) -> None:
    X = _valid(200, seed=3)
    X[5, 0] = 1.5  # above the range of a ratio
    X[7, 1] = np.inf  # infinite
    X[9, 2] = 0.5  # a binary indicator needs 0 or 1
    X[11, 4] = np.nan  # missing: fine
    X[12, 4] = 2.5  # ordinal: a whole number
    X[150, 3] = 0.0  # below the likert range
    ids = [f"c{i:03d}" for i in range(200)]
    with pytest.raises(DataValidationError) as info:
        load_data(np.asarray(X, order=order), mini, ids=ids)
    got = {(p.row, p.column, p.value) for p in info.value.problems}
    assert got == {
        (6, "a_ratio", 1.5),
        (8, "a_dist", float("inf")),
        (10, "a_locker", 0.5),
        (13, "b_ladder", 2.5),
        (151, "b_likert", 0.0),
    }
    reasons = {p.column: p.reason for p in info.value.problems}
    assert reasons["a_dist"] == "infinite value"
    assert "whole number" in reasons["a_locker"]
    assert all(p.community_id == ids[p.row - 1] for p in info.value.problems if p.row)


def test_array_entry_shape_ids_and_dtype_problems(mini: IndicatorSystem) -> None:
    with pytest.raises(DataValidationError, match="does not fit") as info:
        load_data(np.zeros((3, 4)), mini, ids=["a", "b"], phases=["t0"])
    reasons = " | ".join(p.reason for p in info.value.problems)
    assert "4 columns" in reasons
    assert "ids has shape (2,)" in reasons
    assert "phases has shape (1,)" in reasons
    with pytest.raises(DataValidationError, match="does not fit") as info:
        load_data(np.zeros((2, 5)), mini)
    assert info.value.problems[0].reason == "no community ids"
    with pytest.raises(DataValidationError, match="not numeric"):
        load_data(np.array([["a"] * 5]), mini, ids=["x"])
    with pytest.raises(DataValidationError, match="go with an"):
        load_data({"community_id": ["a"]}, mini, ids=["a"])


def test_array_entry_key_problems(mini: IndicatorSystem) -> None:
    X = _valid(6)
    ids = ["a", "b", "", "a", "c", "c"]
    phases = ["t0", "t0", "t0", "t0", "t9", "t1"]
    with pytest.raises(DataValidationError) as info:
        load_data(X, mini, ids=ids, phases=phases)
    got = sorted((p.row, p.reason) for p in info.value.problems)
    assert got == [
        (3, "empty community id"),
        (4, "duplicate community id 'a' in phase 't0' (first at row 1)"),
        (5, "unknown phase 't9'"),
    ]


# ------------------------------------------------------------------ repeated keys
def test_repeats_found_by_hash_in_a_large_unsorted_table() -> None:
    # More than 2**16 rows: the bucket count path, then the exact check of shared keys.
    rng = np.random.default_rng(1)
    ids = np.array([f"id{i}" for i in rng.permutation(100_000)])
    assert _repeated_rows(ids, None, None) == []
    ids[70_000] = ids[123]
    ids[99_999] = ids[123]
    ids[5] = ids[4]
    assert _repeated_rows(ids, None, None) == [(5, 4), (70_000, 123), (99_999, 123)]
    # The same id in two phases is not a repeat; in one phase it is.
    codes = np.zeros(100_000, dtype=np.intp)
    codes[70_000] = 1
    assert _repeated_rows(ids, codes, None) == [(5, 4), (99_999, 123)]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "ba", "é", "金", "a ", "aa"]), max_size=40))
def test_repeats_agree_with_a_dictionary(ids: list[str]) -> None:
    seen: dict[str, int] = {}
    expected = []
    for r, i in enumerate(ids):
        if i in seen:
            expected.append((r, seen[i]))
        else:
            seen[i] = r
    arr = np.array(ids, dtype=str) if ids else np.array([], dtype=str)
    assert _repeated_rows(arr, None, None) == expected


def test_text_hash_separates_near_strings() -> None:
    words = np.array(["", "a", "a\u0001", "b", "ab", "ba", "abc", "abd", "金水区", "金水"])
    h = _text_hash(words)
    assert len(set(h.tolist())) == words.size
    assert (_text_hash(words.copy()) == h).all()


# ------------------------------------------------------------------ ids and phases as arrays
def test_ids_and_phases_are_tuples_built_on_first_read(mini: IndicatorSystem) -> None:
    X = _valid(4)
    data = load_data(X, mini, ids=np.array(["d", "c", "b", "a"]), phases=["t1", "t0", "t1", "t0"])
    assert "_ids_tuple" not in data.__dict__  # nothing built yet
    assert isinstance(data.id_array, np.ndarray)
    assert not data.id_array.flags.writeable
    assert data.phase_codes.labels == ("t1", "t0")
    assert data.phase_codes.codes.tolist() == [0, 1, 0, 1]
    assert data.ids == ("d", "c", "b", "a")
    assert all(type(i) is str for i in data.ids)
    assert data.ids.index("b") == 2
    assert data.phases.count("t0") == 2
    sub = data.select(phase="t0")
    assert sub.ids == ("c", "a")
    assert sub.phase_ids() == ("t0",)
    assert data.select(ids=["a", "d"]).ids == ("d", "a")
    taken = data.take([3, 1])
    assert taken.phase_codes.labels == ("t0",)
    assert taken.phase_codes.codes.tolist() == [0, 0]
    assert isinstance(taken.phase_codes, PhaseCodes)
    assert "4 rows, 4 communities" in data.summary()
    assert "t1: 2, t0: 2" in data.summary()
    with pytest.raises(AttributeError):
        data.ids = ("x",) * 4  # type: ignore[misc]


def test_tuples_given_by_hand_still_work(mini: IndicatorSystem) -> None:
    data = CommunityData(
        "mini", "1", mini.indicator_ids, ("x", "y"), ("t0", None), np.zeros((2, 5)),
        np.zeros((2, 5), np.int8),
    )  # fmt: skip
    assert data.phase_codes.labels == ("t0", None)
    assert data.phase_codes.codes.tolist() == [0, 1]
    assert label_array(data, "ids").tolist() == ["x", "y"]
    assert label_array(data, "phases").tolist() == ["t0", None]
    assert data.take([1]).phases == (None,)
    with pytest.raises(DataValidationError, match="do not agree"):
        CommunityData("mini", "1", mini.indicator_ids, np.array(["x"]), PhaseCodes(
            np.zeros(2, np.intp), ("t0",)), np.zeros((2, 5)), np.zeros((2, 5), np.int8))  # fmt: skip


def test_digest_does_not_depend_on_memory_order(mini: IndicatorSystem) -> None:
    X = _valid(300, nan_share=0.05)
    ids = [f"c{i}" for i in range(300)]
    c = load_data(np.ascontiguousarray(X), mini, ids=ids)
    f = load_data(np.asfortranarray(X), mini, ids=ids)
    assert f.values.flags.f_contiguous
    assert not f.values.flags.c_contiguous
    assert (
        c.digest()
        == f.digest()
        == load_data(
            {"community_id": ids, **{k: X[:, j] for j, k in enumerate(mini.indicator_ids)}}, mini
        ).digest()
    )


# ------------------------------------------------------------------ table sources
def test_numeric_lists_in_a_mapping_take_the_numeric_path(mini: IndicatorSystem) -> None:
    X = _valid(20, seed=9)
    ids = [f"c{i}" for i in range(20)]
    as_lists = {
        "community_id": ids,
        **{k: X[:, j].tolist() for j, k in enumerate(mini.indicator_ids)},
    }
    as_arrays = {"community_id": ids, **{k: X[:, j] for j, k in enumerate(mini.indicator_ids)}}
    assert load_data(as_lists, mini) == load_data(as_arrays, mini)
    as_lists["a_ratio"] = [*X[:19, 0].tolist(), None]  # a None: the object path, same result
    data = load_data(as_lists, mini)
    assert data.status[19, 0] == CellStatus.MISSING


def test_arrow_text_columns_equal_python_text(mini: IndicatorSystem) -> None:
    pd = needs("pandas")
    needs("pyarrow")
    X = _valid(50, seed=2, nan_share=0.1)
    ids = [f"c{i}" if i % 7 else f"  long-id-{i} " for i in range(50)]
    phases = ["t0" if i % 2 else "t1" for i in range(50)]
    cols = {k: X[:, j] for j, k in enumerate(mini.indicator_ids)}
    arrow = pd.DataFrame({"community_id": ids, "phase": phases, **cols}).astype(
        {"community_id": "string[pyarrow]", "phase": "string[pyarrow]"}
    )
    plain = pd.DataFrame({"community_id": ids, "phase": phases, **cols}).astype(
        {"community_id": object, "phase": object}
    )
    a, p = load_data(arrow, mini), load_data(plain, mini)
    assert a == p
    assert a.ids[7] == "long-id-7"  # stripped like any text cell
    # Non-ASCII ids and empty cells fall back to the general path with the same result.
    ids[3] = "金水-03"
    ids[4] = None  # type: ignore[call-overload]
    arrow = pd.DataFrame({"community_id": ids, "phase": phases, **cols}).astype(
        {"community_id": "string[pyarrow]"}
    )
    with pytest.raises(DataValidationError) as info:
        load_data(arrow, mini)
    assert [(p.row, p.reason) for p in info.value.problems] == [(5, "empty community id")]


def test_default_system_array_entry_matches_mapping() -> None:
    system = default_system()
    rng = np.random.default_rng(4)
    floor, target = system.goalpost_arrays()
    lo, hi = np.minimum(floor, target), np.maximum(floor, target)
    X = lo + (hi - lo) * rng.random((500, lo.size))
    for j, ind in enumerate(system.indicators):
        if ind.kind.value in ("binary", "ordinal"):
            X[:, j] = np.round(X[:, j])
    X[rng.random(X.shape) < 0.03] = np.nan
    ids = [f"c{i:04d}" for i in range(500)]
    phases = rng.choice(["t0", "t_proc", "t1", "t2"], 500)
    fast = load_data(X, system, ids=ids, phases=phases)
    table = {"community_id": ids, "phase": phases.tolist()}
    table.update({k: X[:, j] for j, k in enumerate(system.indicator_ids)})
    assert fast == load_data(table, system)
    assert fast.counts()["not_applicable"] > 0
