"""Aggregation of indicator scores up a tree of any depth (numeric core: numpy only).

The tree is described by arrays, not by the pydantic system, so that this module stays a pure
numeric core: node ``j < M`` is indicator ``j``; node ``M + k`` is group ``k``. Each group lists
its children (node indices) and their local weights, and groups are processed children before
parents, so one pass computes every node score.

With complete data and the arithmetic mean, every group score is one matrix product with a
matrix of *effective* indicator weights (column ``k`` holds the weight of each indicator within
group ``k``: the product of local weights on the path, Saaty's distributive synthesis).
Where cells are missing, weights are re-normalised over the children present *within each
group*, level by level, and the share of each group's weight that was observed is returned as
its coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem

__all__ = ["Tree", "aggregate_tree", "effective_weights"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Tree:
    """A hierarchy over ``n_leaves`` indicators and ``len(children)`` groups.

    Parameters
    ----------
    n_leaves : int
        Number of indicators (nodes ``0 .. n_leaves - 1``).
    children : sequence of int arrays
        ``children[k]``: node indices of the children of group ``k`` (node ``n_leaves + k``).
    weights : sequence of float arrays
        ``weights[k]``: local weights of those children (non-negative, summing to 1).
    order : int array
        Group indices in an order where every group comes after all of its child groups.

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.25, 0.75]])
    >>> effective_weights(t)
    array([[0.25],
           [0.75]])
    """

    n_leaves: int
    children: tuple[NDArray[np.intp], ...]
    weights: tuple[FloatArray, ...]
    order: NDArray[np.intp]

    @classmethod
    def build(
        cls, n_leaves: int, children: Sequence[Sequence[int]], weights: Sequence[Sequence[float]]
    ) -> Tree:
        """Build a tree, checking weights and finding a children-first processing order."""
        kids = tuple(np.asarray(c, dtype=np.intp) for c in children)
        ws = tuple(np.asarray(w, dtype=np.float64) for w in weights)
        problems: list[Problem] = []
        for k, (c, w) in enumerate(zip(kids, ws, strict=True)):
            if c.shape != w.shape or c.size == 0:
                problems.append(Problem(f"group {k}: {c.size} children but {w.size} weights"))
            elif (w < 0).any() or not np.isclose(w.sum(), 1.0, atol=1e-9):
                problems.append(Problem(f"group {k}: weights must be >= 0 and sum to 1, got {w}"))
        if problems:
            raise OptionError("invalid tree", problems)
        depth = np.zeros(len(kids), dtype=np.intp)
        # Longest path to a leaf: a group is processed after all of its descendants.
        for _ in range(len(kids)):
            changed = False
            for k, c in enumerate(kids):
                sub = c[c >= n_leaves] - n_leaves
                d = 1 + (depth[sub].max() if sub.size else 0)
                if d != depth[k]:
                    depth[k] = d
                    changed = True
            if not changed:
                break
        order = np.argsort(depth, kind="stable").astype(np.intp)
        return cls(n_leaves, kids, ws, order)


def effective_weights(tree: Tree) -> FloatArray:
    """Weight of each indicator within each group, shape ``(n_leaves, n_groups)``.

    Column ``k`` is the product of local weights along the path from group ``k`` down to each
    indicator (distributive synthesis; Saaty 1980), so each column sums to 1.

    Examples
    --------
    >>> t = Tree.build(3, [[0, 1], [3, 2]], [[0.5, 0.5], [0.6, 0.4]])
    >>> effective_weights(t)[:, 1].round(3)
    array([0.3, 0.3, 0.4])
    """
    m, k_groups = tree.n_leaves, len(tree.children)
    full = np.zeros((m + k_groups, k_groups))
    eye = np.eye(m)
    for k in tree.order:
        c, w = tree.children[k], tree.weights[k]
        leaf = c < m
        col = np.zeros(m)
        if leaf.any():
            col += eye[:, c[leaf]] @ w[leaf]
        if (~leaf).any():
            col += full[:m, c[~leaf] - m] @ w[~leaf]
        full[:m, k] = col
    return full[:m]


def aggregate_tree(
    S: FloatArray,
    tree: Tree,
    *,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    missing: Literal["renormalize", "propagate"] = "renormalize",
    applicable: NDArray[np.bool_] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Scores and coverage of every group from indicator scores.

    Parameters
    ----------
    S : ndarray, shape (N, M)
        Indicator scores in [0, 1]; NaN marks an excluded cell.
    tree : Tree
        The hierarchy.
    method : {"arithmetic", "geometric"}
        Weighted arithmetic mean (compensatory; OECD/JRC 2008 §6.1) or weighted geometric mean
        (partly compensatory; a zero score with positive weight makes the group 0).
    missing : {"renormalize", "propagate"}
        ``renormalize``: weights re-normalised over the children present in each group;
        ``propagate``: any excluded child makes the group NaN.
    applicable : ndarray of bool, shape (N, M), optional
        False where an indicator does not apply to a row (not applicable, or not measured in
        its phase). Such cells are excluded from the scores *and* from the coverage
        denominator: coverage is the observed share of the weight that applies.

    Returns
    -------
    scores : ndarray, shape (N, n_groups)
        Group scores in [0, 1] (NaN where nothing below was observed).
    coverage : ndarray, shape (N, n_groups)
        Share of each group's applicable weight that was observed (1.0 with complete data;
        NaN where nothing below applies).

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.25, 0.75]])
    >>> scores, coverage = aggregate_tree(np.array([[1.0, np.nan]]), t)
    >>> scores, coverage
    (array([[1.]]), array([[0.25]]))
    """
    S = np.asarray(S, dtype=np.float64)
    if method not in ("arithmetic", "geometric"):
        raise OptionError(
            f"unknown aggregation {method!r}", [Problem("use arithmetic or geometric")]
        )
    if missing not in ("renormalize", "propagate"):
        raise OptionError(
            f"unknown missing policy {missing!r}", [Problem("use renormalize or propagate")]
        )
    n, m = S.shape
    k_groups = len(tree.children)
    present = ~np.isnan(S)
    apply_ = np.ones((n, m), dtype=bool) if applicable is None else np.asarray(applicable, bool)
    if method == "arithmetic" and present.all():
        # One matrix product for every node: the fast path for complete data.
        return S @ effective_weights(tree), np.ones((n, k_groups))
    scores = np.empty((n, m + k_groups))
    observed = np.empty((n, m + k_groups))  # share of each node's weight observed
    applies = np.empty((n, m + k_groups))  # share of each node's weight that applies
    scores[:, :m] = S
    observed[:, :m] = present & apply_
    applies[:, :m] = apply_
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in tree.order:
            c, w = tree.children[k], tree.weights[k]
            block = scores[:, c]
            ok = ~np.isnan(block)
            filled = np.where(ok, block, 0.0 if method == "arithmetic" else 1.0)
            den = ok @ w
            value = (
                (filled @ w) / den if method == "arithmetic" else np.exp((np.log(filled) @ w) / den)
            )
            if missing == "propagate":
                value = np.where((ok | (applies[:, c] == 0)).all(axis=1), value, np.nan)
            value = np.where(den > 0, value, np.nan)
            scores[:, m + k] = value
            observed[:, m + k] = observed[:, c] @ w
            applies[:, m + k] = applies[:, c] @ w
        cover = np.where(applies > 0, observed / applies, np.nan)
    return scores[:, m:], cover[:, m:]
