"""Applicability per node: a group is scored only where enough of its weight applies.

The rule (``min_applicable``): a group whose applicable share (the effective weight of its
indicators that apply to the row) is below its minimum is *not assessed*; its parent counts
it as a missing child of full weight. These tests pin the rule on hand-computed trees and hold
its invariants with hypothesis.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.aggregate import Tree, aggregate_tree, tree_means
from renoscore.sensitivity.draws import aggregate_draws

NAN = np.nan

# goal (group 0) = 0.6 * dimension (group 1) + 0.4 * leaf 3
# dimension (group 1) = equal weights over leaves 0, 1, 2
KIDS = [[5, 3], [0, 1, 2]]
LOCAL = [[0.6, 0.4], [1 / 3, 1 / 3, 1 / 3]]


def _tree(minimum: float) -> Tree:
    return Tree.build(4, KIDS, LOCAL, [minimum, minimum])


def test_a_group_of_which_too_little_applies_is_not_assessed() -> None:
    # Only leaf 0 (a perfect score) applies to the dimension: 1/3 of its weight.
    S = np.array([[1.0, NAN, NAN, 0.5]])
    app = np.array([[True, False, False, True]])
    old = tree_means(S, _tree(0.0), applicable=app, coverage=True, shares=True)
    new = tree_means(S, _tree(0.5), applicable=app, coverage=True, shares=True)
    # Plain renormalisation: the dimension scores 1.0 from one indicator, coverage 100 %.
    np.testing.assert_allclose(old.scores, [[0.6 * 1.0 + 0.4 * 0.5, 1.0]])
    np.testing.assert_allclose(old.coverage, [[1.0, 1.0]])
    # With a minimum of one half it is not assessed; the goal scores leaf 3 alone and counts
    # the dimension as missing with its full weight 0.6.
    assert np.isnan(new.scores[0, 1])
    np.testing.assert_allclose(new.scores[0, 0], 0.5)
    np.testing.assert_allclose(new.coverage, [[0.4, 1.0]])
    # The applicable shares are the same either way: 1/3 of the dimension, 0.6/3 + 0.4 of
    # the goal.
    np.testing.assert_allclose(new.applicable, [[0.6 / 3 + 0.4, 1 / 3]])
    np.testing.assert_allclose(old.applicable, new.applicable)


def test_a_minimum_reached_exactly_scores_and_missing_cells_do_not_count() -> None:
    # Half of a four-leaf group applies: the minimum 0.5 is reached (whatever the summation
    # order); a missing (applicable) cell lowers coverage, not applicability.
    tree = Tree.build(4, [[0, 1, 2, 3]], [[0.25] * 4], [0.5])
    S = np.array([[1.0, NAN, NAN, NAN], [1.0, 0.0, NAN, NAN]])
    app = np.array([[True, True, False, False], [True, True, False, False]])
    out = tree_means(S, tree, applicable=app, coverage=True, shares=True)
    np.testing.assert_allclose(out.scores[:, 0], [1.0, 0.5])
    np.testing.assert_allclose(out.coverage[:, 0], [0.5, 1.0])
    np.testing.assert_allclose(out.applicable[:, 0], [0.5, 0.5])


def test_nothing_applicable_leaves_the_parent_only_without_a_minimum() -> None:
    S = np.array([[NAN, NAN, NAN, 0.5]])
    app = np.array([[False, False, False, True]])
    plain = tree_means(S, _tree(0.0), applicable=app, coverage=True)
    ruled = tree_means(S, Tree.build(4, KIDS, LOCAL, [0.0, 0.5]), applicable=app, coverage=True)
    # Without a minimum a group with nothing applicable leaves its parent's denominator; with
    # one it is a missing child like any other group that is not assessed.
    np.testing.assert_allclose(plain.coverage[0, 0], 1.0)
    np.testing.assert_allclose(ruled.coverage[0, 0], 0.4)
    np.testing.assert_allclose(plain.scores[0, 0], ruled.scores[0, 0])
    # The goal has a minimum too: 40 % of its weight applies, below one half.
    assert np.isnan(tree_means(S, _tree(0.5), applicable=app).scores[0, 0])


def test_aggregate_tree_and_draws_apply_the_same_rule() -> None:
    rng = np.random.default_rng(3)
    S = rng.random((6, 4))
    app = rng.random((6, 4)) > 0.4
    S[~app] = NAN
    tree = _tree(0.5)
    share = np.empty((6, 2))
    blocked, cover = aggregate_tree(S, tree, applicable=app, applicable_share=share)
    level = tree_means(S, tree, applicable=app, coverage=True, shares=True)
    np.testing.assert_allclose(blocked, level.scores, atol=1e-15)
    np.testing.assert_allclose(cover, level.coverage, atol=1e-15)
    np.testing.assert_allclose(share, level.applicable, atol=1e-15)
    draws = [np.tile(w, (3, 1)) for w in LOCAL]
    drawn = aggregate_draws(S, tree, draws, applicable=app)
    for d in range(3):
        np.testing.assert_allclose(drawn[:, :, d], blocked, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.floats(0.0, 0.99), min_size=3, max_size=8),
    perfect=st.integers(1, 3),
    minimum=st.sampled_from([0.25, 0.5, 0.75]),
    data=st.data(),
)
def test_adding_a_not_applicable_indicator_never_raises_a_group_to_100_on_its_own(
    scores: list[float], perfect: int, minimum: float, data: st.DataObject
) -> None:
    # A group of c indicators, some perfect, the rest below target; equal weights. Adding an
    # indicator that does not apply to the row (its siblings' weights shrink in proportion,
    # as renormalising a group's weights does) leaves the score unchanged or unscores the
    # group; it never lifts it to 100.
    values = [1.0] * perfect + scores
    c = len(values)
    S = np.array([values])
    before = tree_means(S, Tree.build(c, [list(range(c))], [[1 / c] * c], [minimum])).scores
    extra = data.draw(st.integers(1, 3 * c))
    k = c + extra
    S2 = np.hstack([S, np.full((1, extra), NAN)])
    app = np.hstack([np.ones((1, c), bool), np.zeros((1, extra), bool)])
    after = tree_means(
        S2, Tree.build(k, [list(range(k))], [[1 / k] * k], [minimum]), applicable=app
    ).scores
    assert before[0, 0] < 1.0
    assert np.isnan(after[0, 0]) or after[0, 0] == pytest.approx(before[0, 0], abs=1e-12)
    # ...and marking the imperfect indicators not applicable scores 100 only where the
    # perfect ones carry at least the minimum share of the weight.
    only = np.array([[True] * perfect + [False] * len(scores)])
    masked = np.where(only, S, NAN)
    lifted = tree_means(
        masked, Tree.build(c, [list(range(c))], [[1 / c] * c], [minimum]), applicable=only
    ).scores[0, 0]
    assert np.isnan(lifted) == (perfect / c < minimum - 1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), minimum=st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_shares_and_coverage_stay_in_range_and_zero_minimum_is_plain_renormalisation(
    seed: int, minimum: float
) -> None:
    rng = np.random.default_rng(seed)
    S = rng.random((8, 4))
    app = rng.random((8, 4)) > 0.3
    S[~app | (rng.random((8, 4)) < 0.2)] = NAN
    out = tree_means(S, _tree(minimum), applicable=app, coverage=True, shares=True)
    plain = tree_means(S, _tree(0.0), applicable=app, coverage=True, shares=True)
    assert ((out.applicable >= 0) & (out.applicable <= 1 + 1e-12)).all()
    cov = out.coverage[~np.isnan(out.coverage)]
    assert ((cov >= 0) & (cov <= 1 + 1e-12)).all()
    # A group is unscored under the minimum exactly where its share is below it, or where
    # plain renormalisation leaves it unscored.
    below = out.applicable[:, 1] < minimum - 1e-12
    np.testing.assert_array_equal(np.isnan(out.scores[:, 1]), below | np.isnan(plain.scores[:, 1]))
    np.testing.assert_allclose(out.scores[~below, 1], plain.scores[~below, 1])
    if minimum == 0.0:
        np.testing.assert_array_equal(out.scores, plain.scores)
