"""Tests of renoscore.sensitivity.draws: Saaty steps and the tree mean over weight draws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.errors import OptionError
from renoscore.hierarchy import Tree, aggregate_tree
from renoscore.sensitivity.draws import aggregate_draws, saaty_step


# ----------------------------------------------------------------------------- Saaty steps
def test_saaty_steps() -> None:
    # Saaty (1980), Table 1.1: 1/9 ... 1/2, 1, 2 ... 9.
    out = saaty_step(
        [1.0, 1.0, 9.0, 1 / 9, 2.5, 2.5, 0.333, 12.0, 12.0, 3.0, np.nan],
        [1, -1, 1, -1, 1, -1, 1, 1, -1, 2, 1],
    )
    np.testing.assert_allclose(out[:10], [2, 0.5, 9, 1 / 9, 3, 2, 0.5, 12, 9, 5])
    assert np.isnan(out[10])
    # The scale is symmetric in ln: moving a_ij up moves its reciprocal down.
    a = np.array([1 / 7, 1 / 3, 1.0, 4.0])
    np.testing.assert_allclose(1.0 / saaty_step(a, 1), saaty_step(1.0 / a, -1))
    with pytest.raises(OptionError):
        saaty_step([-1.0], [1])


# ----------------------------------------------------------------------------- aggregation
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    method=st.sampled_from(["arithmetic", "geometric"]),
    missing=st.floats(0.0, 0.5),
)
def test_aggregate_draws_equals_aggregate_tree(seed: int, method: str, missing: float) -> None:
    # Each draw must score exactly like hierarchy.aggregate_tree with that draw's weights.
    rng = np.random.default_rng(seed)
    tree = Tree.build(
        6, [[0, 1], [2, 3, 4], [5, 6, 7]], [[0.5, 0.5], [0.2, 0.3, 0.5], [0.4, 0.3, 0.3]]
    )
    S = rng.random((9, 6))
    S[rng.random(S.shape) < missing] = np.nan
    S[0, 0] = 0.0
    draws = 5
    local = [rng.dirichlet(np.ones(c.size), size=draws) for c in tree.children]
    shared = aggregate_draws(S, tree, local, method=method)  # type: ignore[arg-type]
    own = aggregate_draws(np.broadcast_to(S, (draws, *S.shape)), tree, local, method=method)  # type: ignore[arg-type]
    for d in range(draws):
        ref, _ = aggregate_tree(
            S,
            Tree.build(6, [c.tolist() for c in tree.children], [w[d] for w in local]),
            method=method,
        )  # type: ignore[arg-type]
        np.testing.assert_allclose(shared[:, :, d], ref, atol=1e-13)
        np.testing.assert_allclose(own[:, :, d], ref, atol=1e-13)
