"""Tests of the fast paths of the scoring core against the plain formulas they replace.

The radix argsort behind :func:`renoscore.ranking.rank`, the comparison-count grades, the fused
goalposts-and-tree pass (:func:`renoscore.hierarchy.score_tree` / ``score_groups``), the blocked
:func:`~renoscore.hierarchy.aggregate_tree`, and indicator scores that a result computes on
first read. Each is compared with a direct (unblocked, unsorted) computation on the same input.
"""

from __future__ import annotations

import pickle
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import renoscore as rs
from renoscore.aggregate import Tree, aggregate_tree, effective_weights, score_groups, score_tree
from renoscore.normalize import goalposts
from renoscore.ranking import _stable_argsort, grade, rank
from renoscore.result import EvaluationResult

from .conftest import random_table


def reference_rank(scores: Any, method: str = "min", descending: bool = True, tol: float = 1e-9):
    """The tie rule of :func:`rank` written out with a Python loop over the sorted scores."""
    x = np.asarray(scores, dtype=np.float64)
    key = -x if descending else x
    valid = np.flatnonzero(~np.isnan(key))
    order = valid[np.argsort(key[valid], kind="stable")]
    out = np.full(x.shape, np.nan)
    groups: list[list[int]] = []
    for pos, i in enumerate(order):
        with np.errstate(invalid="ignore"):
            gap = key[i] - key[order[pos - 1]] if pos else np.inf
        if pos == 0 or not (gap <= tol or key[i] == key[order[pos - 1]]):
            groups.append([])
        groups[-1].append(pos)
    for dense, members in enumerate(groups, start=1):
        for pos in members:
            out[order[pos]] = {
                "min": members[0] + 1,
                "max": members[-1] + 1,
                "dense": dense,
                "average": (members[0] + members[-1]) / 2 + 1,
                "ordinal": pos + 1,
            }[method]
    return out


METHODS = ["min", "max", "dense", "average", "ordinal"]


@settings(max_examples=120, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 60),
        elements=st.one_of(
            st.sampled_from([0.0, 1.0, 1.0 + 1e-10, 2.0, np.nan, np.inf, -np.inf]),
            st.floats(-5, 5),
        ),
    ),
    st.sampled_from(METHODS),
    st.booleans(),
    st.sampled_from([0.0, 1e-9, 0.5]),
)
def test_rank_matches_the_written_out_rule(
    x: np.ndarray, method: str, descending: bool, tol: float
) -> None:
    got = rank(x, method=method, descending=descending, tol=tol)  # type: ignore[arg-type]
    np.testing.assert_array_equal(got, reference_rank(x, method, descending, tol))


@pytest.mark.parametrize("method", METHODS)
def test_rank_of_a_long_vector_uses_the_radix_sort_and_agrees(method: str) -> None:
    rng = np.random.default_rng(0)
    n = 40_000  # above the radix threshold
    x = np.round(rng.random(n) * 100, 4)  # many exact ties
    x[rng.random(n) < 0.01] = np.nan
    x[:50] = x[100] + rng.random(50) * 1e-11  # keys closer than the 32-bit buckets
    x[7], x[8] = np.inf, -np.inf
    want = reference_rank(x, method)
    np.testing.assert_array_equal(rank(x, method=method), want)  # type: ignore[arg-type]


def test_stable_argsort_equals_numpys_stable_sort() -> None:
    rng = np.random.default_rng(1)
    for x in (
        rng.normal(size=50_000),
        np.repeat(rng.random(500), 100),  # long runs of equal keys keep input order
        np.concatenate([rng.random(30_000), 0.5 + rng.random(30_000) * 1e-14]),  # one bucket
        np.full(20_000, 3.0),
        np.concatenate([rng.random(20_000) * 1e300, [-1e300, np.nan, np.inf]]),
    ):
        order, sk = _stable_argsort(x)
        np.testing.assert_array_equal(order, np.argsort(x, kind="stable"))
        np.testing.assert_array_equal(sk, x[order])


def test_rank_of_a_matrix_ranks_each_column() -> None:
    rng = np.random.default_rng(2)
    G = np.round(rng.random((30_000, 3)) * 10, 2)
    got = rank(G, method="average")
    for k in range(3):
        np.testing.assert_array_equal(got[:, k], reference_rank(G[:, k], "average"))


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(-10, 110) | st.just(np.nan)),
    st.sampled_from([0.0, 1e-9, 2.0]),
)
def test_grade_counts_the_thresholds_above(x: np.ndarray, tol: float) -> None:
    thr = (85.0, 70.0, 60.0)
    want = [-1 if np.isnan(v) else sum(v + tol < t for t in thr) for v in x.tolist()]
    got = grade(x, thr, tol=tol)
    assert got.dtype == np.int64
    assert got.tolist() == want


# ------------------------------------------------------------------ goalposts and the tree
TREE = Tree.build(4, [[5, 2, 3], [0, 1]], [[0.5, 0.3, 0.2], [0.25, 0.75]])
FLOOR = np.array([0.0, 1500.0, 1.0, 0.0])
TARGET = np.array([1.0, 300.0, 5.0, 10.0])


def _values(n: int, seed: int, nan_share: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo, hi = np.minimum(FLOOR, TARGET), np.maximum(FLOOR, TARGET)
    X = lo - 0.2 * (hi - lo) + 1.4 * (hi - lo) * rng.random((n, 4))
    X[rng.random(X.shape) < nan_share] = np.nan
    X[0, 1] = 1500.0  # a cost indicator at its floor scores +0.0
    return X


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("nan_share", [0.0, 0.05])
@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_score_tree_equals_goalposts_then_aggregate_tree(
    order: str, nan_share: float, method: Any
) -> None:
    X = np.asarray(_values(40_000, 3, nan_share), order=order)  # several blocks
    app = np.ones(X.shape, dtype=bool)
    app[::7, 2] = False
    S0 = goalposts(X, FLOOR, TARGET)
    G0, C0 = aggregate_tree(S0, TREE, method=method, applicable=app)
    S, G, C = score_tree(X, FLOOR, TARGET, TREE, method=method, applicable=app, scale=100.0)
    np.testing.assert_array_equal(S, S0 * 100.0)
    assert not np.signbit(S[0, 1])
    np.testing.assert_allclose(G, G0 * 100.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(C, C0)
    G2, C2 = score_groups(X, FLOOR, TARGET, TREE, method=method, applicable=app, scale=100.0)
    np.testing.assert_array_equal(G2, G)
    np.testing.assert_array_equal(C2, C)
    assert S.flags.f_contiguous == (order == "F")


def test_blocked_aggregation_equals_one_product_and_the_level_by_level_rule() -> None:
    X = _values(30_000, 4, 0.0)
    S = goalposts(X, FLOOR, TARGET)
    G, C = aggregate_tree(S, TREE)
    np.testing.assert_allclose(G, S @ effective_weights(TREE), rtol=0, atol=1e-15)
    assert (C == 1.0).all()
    # One missing cell sends only its block down the level-by-level path: the other blocks
    # keep the product bit for bit, the block's other rows agree to rounding.
    S[20_000, 0] = np.nan
    G1, C1 = aggregate_tree(S, TREE)
    np.testing.assert_array_equal(G1[:16_000], G[:16_000])
    np.testing.assert_allclose(np.delete(G1, 20_000, 0), np.delete(G, 20_000, 0), atol=1e-15)
    # Group 1 (leaves 0, 1) re-normalised to leaf 1; the goal to 0.5 g1 + 0.3 l2 + 0.2 l3.
    assert G1[20_000, 1] == S[20_000, 1]
    assert C1[20_000, 1] == 0.75


def test_infinite_values_are_refused_by_the_checked_pass() -> None:
    X = _values(100, 5, 0.0)
    X[50, 2] = np.inf
    with pytest.raises(rs.DataValidationError, match="infinite"):
        score_groups(X, FLOOR, TARGET, TREE)


# ------------------------------------------------------------------ the pipeline
@pytest.fixture(scope="module")
def big() -> tuple[rs.IndicatorSystem, rs.CommunityData]:
    system = rs.default_system()
    table = random_table(system, 20_000, seed=6)
    rng = np.random.default_rng(6)
    table["phase"] = rng.choice(["t0", "t1"], 20_000).tolist()
    return system, rs.load_data(table, system)


def test_indicator_scores_are_computed_on_first_read(big: Any) -> None:
    system, data = big
    result = rs.evaluate(system, data, missing="renormalize")
    assert not isinstance(result.__dict__["_indicator_scores_store"], np.ndarray)
    clone = pickle.loads(pickle.dumps(result))  # a pending recipe pickles
    S = result.indicator_scores
    np.testing.assert_array_equal(S, 100.0 * goalposts(data.values, *system.goalpost_arrays()))
    assert not S.flags.writeable
    assert result.indicator_scores is S
    assert clone.equals(result)
    # The group scores are the tree aggregation of exactly these indicator scores.
    contributions = result.contributions().sum(axis=1)
    np.testing.assert_allclose(contributions, result.overall, rtol=0, atol=1e-9)


def test_evaluate_from_an_array_equals_evaluate_from_the_table(big: Any) -> None:
    system, data = big
    X = np.ascontiguousarray(data.values)
    fast = rs.load_data(X, system, ids=data.id_array, phases=np.array(data.phases))
    a = rs.evaluate(system, fast, missing="renormalize")
    b = rs.evaluate(system, data, missing="renormalize")
    assert a.equals(b)
    assert a.select("t1").ids == tuple(i for i, p in zip(a.ids, a.phases, strict=True) if p == "t1")
    r = a.row(a.ids[123], a.phases[123])
    assert r == 123
    ranks_t0 = a.overall_rank[np.array(a.phases) == "t0"]
    assert sorted(ranks_t0[~np.isnan(ranks_t0)].tolist())[0] == 1.0


def test_results_built_by_hand_with_tuples_still_work() -> None:
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    again = EvaluationResult.from_json(result.to_json())
    assert again.equals(result)
    assert isinstance(again.ids, tuple)
    assert again.phase_codes.labels == result.phase_codes.labels
    assert again.ranks.shape == result.ranks.shape


@pytest.mark.parametrize("order", ["C", "F"])
def test_folded_form_agrees_with_the_direct_form(order: str) -> None:
    # score_groups without the infinity check folds goalposts into the weights on complete
    # blocks; the direct form (with the check) gives the same numbers to rounding.
    X = np.asarray(_values(50_000, 8, 0.0), order=order)
    X[17, 1] = np.nan  # one block goes the direct way in both
    folded, cf = score_groups(X, FLOOR, TARGET, TREE, check_finite=False, scale=100.0)
    direct, cd = score_groups(X, FLOOR, TARGET, TREE, check_finite=True, scale=100.0)
    np.testing.assert_allclose(folded, direct, rtol=0, atol=1e-11)
    np.testing.assert_array_equal(cf, cd)
    assert folded.min() >= 0.0
    assert folded.max() <= 100.0
    # Far-off floors (|floor / span| > 1e3) are not folded: exact as the direct form.
    far = X + 1e7
    f2, t2 = FLOOR + 1e7, TARGET + 1e7
    a, _ = score_groups(far, f2, t2, TREE, check_finite=False)
    b, _ = score_groups(far, f2, t2, TREE, check_finite=True)
    np.testing.assert_array_equal(a, b)


def test_tiny_goalpost_spans_are_not_folded() -> None:
    # 1 / 5e-324 overflows: the folded weights would be infinite, so the direct form is used.
    tree = Tree.build(2, [[0, 1]], [[0.5, 0.5]])
    X = np.array([[0.0, 1.0], [5e-324, 0.5]] * 10_000)
    g, _ = score_groups(X, [0.0, 0.0], [5e-324, 1.0], tree, check_finite=False)
    np.testing.assert_array_equal(g[:2, 0], [0.5, 0.75])


def test_min_ranks_with_a_few_chained_ties() -> None:
    # Few ties (chains of 2-4 scores within the tolerance): the sparse path for "min".
    rng = np.random.default_rng(9)
    x = rng.random(50_000) * 100
    x[10:14] = x[9] + np.array([1e-10, 2e-10, 3e-10, 3.5e-10])  # a chain of five
    x[200] = x[100]  # an exact tie
    got = rank(x)
    np.testing.assert_array_equal(got, reference_rank(x, "min"))
    assert len(set(got[9:14].tolist())) == 1


def test_a_subnormal_goalpost_span_scores_without_warnings() -> None:
    # 0.7 / 5e-324 overflows to inf, which the clip turns into the score of the target; an
    # infinite *input* is still refused.
    X = np.array([[0.0], [5e-324], [0.7]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(goalposts(X, [0.0], [5e-324])[:, 0], [0.0, 1.0, 1.0])
        tree = Tree.build(1, [[0]], [[1.0]])
        g, _ = score_groups(X, [0.0], [5e-324], tree, check_finite=False)
        np.testing.assert_array_equal(g[:, 0], [0.0, 1.0, 1.0])
    with pytest.raises(rs.DataValidationError, match="infinite"):
        goalposts(np.array([[np.inf]]), [0.0], [5e-324])
