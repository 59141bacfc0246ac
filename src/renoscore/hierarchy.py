"""Aggregation of indicator scores up a tree: the old import path of :mod:`renoscore.aggregate.tree`.

The tree mean lives in :mod:`renoscore.aggregate.tree` (and its goalposts-fused pass in
:mod:`renoscore.aggregate.goalpost_pass`); this module keeps ``renoscore.hierarchy`` working.

Examples
--------
>>> from renoscore.hierarchy import Tree, effective_weights
>>> effective_weights(Tree.build(2, [[0, 1]], [[0.25, 0.75]]))[:, 0]
array([0.25, 0.75])
"""

from renoscore.aggregate.goalpost_pass import score_groups, score_tree
from renoscore.aggregate.tree import Tree, aggregate_tree, effective_weights

__all__ = ["Tree", "aggregate_tree", "effective_weights", "score_groups", "score_tree"]
