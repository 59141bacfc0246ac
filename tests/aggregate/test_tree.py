"""Aggregation up a tree: effective weights, re-normalisation, coverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from renoscore.aggregate import Tree, aggregate_tree, effective_weights, tree_means
from renoscore.errors import OptionError

# goal (group 0) = 0.6 * group 1 + 0.4 * leaf 2; group 1 = 0.5 * leaf 0 + 0.5 * leaf 1
TREE = Tree.build(3, [[4, 2], [0, 1]], [[0.6, 0.4], [0.5, 0.5]])


def test_effective_weights_are_products_along_the_path() -> None:
    # Saaty (1980) distributive synthesis: global weight = product of local weights.
    np.testing.assert_allclose(effective_weights(TREE), [[0.3, 0.5], [0.3, 0.5], [0.4, 0.0]])


def test_complete_data_fast_path_equals_level_by_level() -> None:
    S = np.array([[1.0, 0.5, 0.2], [0.0, 1.0, 0.7]])
    fast, cov = aggregate_tree(S, TREE)
    slow, _ = aggregate_tree(S, TREE, method="arithmetic", applicable=np.ones_like(S, bool))
    np.testing.assert_allclose(fast, [[0.53, 0.75], [0.58, 0.5]])
    np.testing.assert_allclose(cov, 1.0)
    # force the general path with a NaN in a third row and compare the first two rows
    S3 = np.vstack([S, [np.nan, 1.0, 1.0]])
    general, _ = aggregate_tree(S3, TREE)
    np.testing.assert_allclose(general[:2], fast, atol=1e-15)
    np.testing.assert_allclose(slow, fast, atol=1e-15)


def test_renormalisation_is_within_each_group() -> None:
    S = np.array([[np.nan, 1.0, 0.0]])
    scores, cover = aggregate_tree(S, TREE)
    # group 1 = leaf 1 alone = 1.0; goal = 0.6 * 1.0 + 0.4 * 0.0
    np.testing.assert_allclose(scores, [[0.6, 1.0]])
    np.testing.assert_allclose(cover, [[0.7, 0.5]])


def test_not_applicable_leaves_the_coverage_denominator() -> None:
    S = np.array([[np.nan, 1.0, 0.0]])
    app = np.array([[False, True, True]])
    _, cover = aggregate_tree(S, TREE, applicable=app)
    np.testing.assert_allclose(cover, [[1.0, 1.0]])


def test_propagate_and_nothing_observed() -> None:
    S = np.array([[np.nan, 1.0, 0.0], [np.nan, np.nan, np.nan]])
    scores, cover = aggregate_tree(S, TREE, missing="propagate")
    assert np.isnan(scores[0]).all()
    assert np.isnan(scores[1]).all()
    np.testing.assert_allclose(cover[1], [0.0, 0.0])


def test_geometric_zero_rule() -> None:
    scores, _ = aggregate_tree(np.array([[0.0, 1.0, 1.0]]), TREE, method="geometric")
    assert scores[0, 1] == 0.0
    assert scores[0, 0] == 0.0


def test_bad_tree_and_options() -> None:
    with pytest.raises(OptionError):
        Tree.build(2, [[0, 1]], [[0.7, 0.7]])
    with pytest.raises(OptionError):
        aggregate_tree(np.ones((1, 3)), TREE, method="median")  # type: ignore[arg-type]


def test_deep_tree_twenty_levels() -> None:
    # a chain of 20 groups, each with one leaf and the next group
    depth = 20
    children = [[k, depth + 1 + k + 1] for k in range(depth - 1)] + [[depth - 1, depth]]
    weights = [[0.5, 0.5]] * depth
    tree = Tree.build(depth + 1, children, weights)
    E = effective_weights(tree)
    np.testing.assert_allclose(E.sum(axis=0), 1.0)
    assert E[0, 0] == 0.5
    assert E[depth - 1, 0] == pytest.approx(0.5**depth)


@settings(max_examples=80, deadline=None)
@given(
    S=hnp.arrays(np.float64, (7, 3), elements=st.floats(0, 1)),
    mask=hnp.arrays(np.bool_, (7, 3)),
)
def test_scores_in_unit_interval_and_row_independent(S: np.ndarray, mask: np.ndarray) -> None:
    S = np.where(mask, np.nan, S)
    scores, cover = aggregate_tree(S, TREE)
    finite = scores[~np.isnan(scores)]
    assert np.all((finite >= -1e-12) & (finite <= 1 + 1e-12))
    assert np.all((cover >= 0) & (cover <= 1 + 1e-12))
    alone, _ = aggregate_tree(S[3:4], TREE)
    np.testing.assert_allclose(alone, scores[3:4], atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    method=st.sampled_from(["arithmetic", "geometric"]),
    share_missing=st.floats(0.0, 0.5),
)
def test_tree_means_of_draws_equal_the_single_weights_kernel(
    seed: int, method: str, share_missing: float
) -> None:
    # A stack of weight draws goes through the kernel of aggregate_tree: each draw must score
    # like the tree built from that draw's weights (the groups mix leaves and groups).
    rng = np.random.default_rng(seed)
    kids = [[0, 1], [2, 6, 3], [7, 4, 5]]
    S = rng.random((9, 6))
    S[rng.random(S.shape) < share_missing] = np.nan
    S[0, 0] = 0.0
    draws = 5
    local = [rng.dirichlet(np.ones(len(c)), size=draws) for c in kids]
    shared = tree_means(S, Tree.build(6, kids, [w[0] for w in local]), local, method=method)
    own = tree_means(np.broadcast_to(S, (draws, *S.shape)), _tree_of(kids), local, method=method)
    assert shared.coverage is None
    for d in range(draws):
        tree = Tree.build(6, kids, [w[d] for w in local])
        ref, cover = aggregate_tree(S, tree, method=method)  # type: ignore[arg-type]
        single = tree_means(S, tree, method=method, coverage=True)  # type: ignore[arg-type]
        # aggregate_tree takes one product for complete blocks, tree_means goes level by level
        np.testing.assert_allclose(single.scores, ref, atol=1e-13)
        np.testing.assert_allclose(single.coverage, cover, atol=1e-13)
        np.testing.assert_allclose(shared.scores[:, :, d], ref, atol=1e-13)
        np.testing.assert_allclose(own.scores[:, :, d], ref, atol=1e-13)


def _tree_of(kids: list[list[int]]) -> Tree:
    """A tree with these children and equal local weights (the draws replace them)."""
    return Tree.build(6, kids, [np.full(len(c), 1.0 / len(c)) for c in kids])


def test_tree_means_checks_the_draws_and_returns_chosen_groups() -> None:
    local = [np.array([[0.5, 0.5], [1.0, 0.0]]), np.array([[0.6, 0.4], [0.2, 0.8]])]
    out = tree_means(np.array([[1.0, 0.0, 0.5]]), TREE, local, groups=[1])
    np.testing.assert_allclose(out.scores[:, 0, :], [[0.6, 0.2]])  # group 1: 0.6 * 1 + 0.4 * 0
    with pytest.raises(OptionError):
        tree_means(np.ones((1, 3)), TREE, local[:1])
    with pytest.raises(OptionError):
        tree_means(np.ones((3, 1, 3)), TREE, local)
    with pytest.raises(OptionError):
        tree_means(np.ones((1, 3)), TREE, method="median")  # type: ignore[arg-type]


def test_geometric_child_of_zero_weight_never_matters() -> None:
    # One kernel for one weighting and for draws: a zero-weight child at 0 does not turn the
    # group's geometric mean into 0 ** 0 (NaN); a zero with positive weight still makes it 0.
    tree = Tree.build(3, [[0, 1, 2]], [[0.5, 0.5, 0.0]])
    scores, _ = aggregate_tree(
        np.array([[0.25, 1.0, 0.0], [0.0, 1.0, 0.5]]), tree, method="geometric"
    )
    np.testing.assert_allclose(scores[:, 0], [0.5, 0.0])
