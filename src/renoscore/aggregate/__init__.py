"""Aggregation of normalised indicator scores into composite scores.

* :func:`weighted_sum` / :func:`weighted_sum_with_coverage`: the compensatory arithmetic mean,
  for one node or for every node of an indicator tree at once (one matrix product).
* :func:`weighted_geometric`: the non-compensatory weighted geometric mean.
* :func:`topsis`: closeness to the ideal solution (Hwang & Yoon 1981).
* :func:`grey_relational`: grey relational grade (Deng 1982).
* :func:`fuzzy_comprehensive` / :func:`fuzzy_compose`: fuzzy comprehensive evaluation (FCE) with
  a comment set such as {优, 良, 中, 差}.
* :class:`Tree`, :func:`aggregate_tree`, :func:`tree_means`: the renormalised weighted mean up a
  tree of any depth; :func:`score_tree` / :func:`score_groups` fuse it with goalposts.

Scores are pure functions of numpy arrays. NaN marks an excluded cell (missing or not
applicable). ``missing="propagate"`` makes a node score NaN as soon as one of its positively
weighted indicators is NaN; ``missing="renormalize"`` skips NaN cells and re-normalises the
weights over the indicators present, and the *coverage* reports which share of the node's weight
was observed.

The large-input paths work on blocks of rows that fit in cache, so a matrix of a million
communities is read from memory a small, fixed number of times and no temporary of the input's
size is made.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 1.6 (weighting and aggregation).
Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and Applications*.
    Springer, Berlin.
Deng, J.-L. (1982). Control problems of grey systems. *Systems & Control Letters* 1(5), 288-294.
Zadeh, L. A. (1965). Fuzzy sets. *Information and Control* 8(3), 338-353.

Examples
--------
Two communities scored on two indicators weighted 3:1; the second community's second indicator
was not measured, so its weights are re-normalised over the first:

>>> import numpy as np
>>> import renoscore as rs
>>> S = np.array([[80.0, 60.0], [50.0, np.nan]])
>>> rs.aggregate.weighted_sum(S, [0.75, 0.25], missing="renormalize")
array([75., 50.])
>>> rs.aggregate.weighted_sum(S, [0.75, 0.25])  # missing="propagate"
array([75., nan])
"""

from renoscore.aggregate._checks import Missing
from renoscore.aggregate.closeness import TopsisNormalization, topsis
from renoscore.aggregate.fuzzy import (
    FuzzyEvaluation,
    FuzzyOperator,
    fuzzy_compose,
    fuzzy_comprehensive,
)
from renoscore.aggregate.goalpost_pass import score_groups, score_tree
from renoscore.aggregate.grey import GreyNormalization, grey_relational
from renoscore.aggregate.tree import Tree, TreeMeans, aggregate_tree, effective_weights, tree_means
from renoscore.aggregate.weighted import (
    WeightedSumResult,
    weighted_geometric,
    weighted_sum,
    weighted_sum_with_coverage,
)

__all__ = [
    "FuzzyEvaluation",
    "FuzzyOperator",
    "GreyNormalization",
    "Missing",
    "TopsisNormalization",
    "Tree",
    "TreeMeans",
    "WeightedSumResult",
    "aggregate_tree",
    "effective_weights",
    "fuzzy_compose",
    "fuzzy_comprehensive",
    "grey_relational",
    "score_groups",
    "score_tree",
    "topsis",
    "tree_means",
    "weighted_geometric",
    "weighted_sum",
    "weighted_sum_with_coverage",
]
