"""Aggregation of indicator scores up a tree of any depth: THE renormalised tree mean.

The tree is described by arrays, not by the pydantic system, so that this module stays a pure
numeric core: node ``j < M`` is indicator ``j``; node ``M + k`` is group ``k``. Each group lists
its children (node indices) and their local weights, and groups are processed children before
parents, so one pass computes every node score.

With complete data and the arithmetic mean, every group score is one matrix product with a
matrix of *effective* indicator weights (column ``k`` holds the weight of each indicator within
group ``k``: the product of local weights on the path, Saaty's distributive synthesis).
Where cells are missing, weights are re-normalised over the children present *within each
group*, level by level, and the share of each group's weight that was observed is returned as
its coverage. :func:`tree_means` runs that level-by-level mean for one set of local weights or
for a whole stack of weight draws at once (uncertainty and sensitivity analysis);
:func:`aggregate_tree` is the blocked single-weights form with the complete-data product.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 6.1.
Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, New York (distributive
    synthesis of local weights).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._kernels import FloatArray, row_blocks
from renoscore.aggregate._checks import check_tree_options, draw_count
from renoscore.aggregate._means import aggregate_block, tree_pass
from renoscore.errors import OptionError, Problem

__all__ = ["Tree", "TreeMeans", "aggregate_tree", "effective_weights", "tree_means"]


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
    min_applicable : float array, optional
        Per group, the share of its weight that must apply to a row for the group to be
        scored there (default 0: any applicable child suffices); see :func:`tree_means`.

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
    min_applicable: FloatArray | None = None

    @classmethod
    def build(
        cls,
        n_leaves: int,
        children: Sequence[Sequence[int]],
        weights: Sequence[Sequence[float]],
        min_applicable: Sequence[float] | None = None,
    ) -> Tree:
        """Build a tree, checking weights and finding a children-first processing order."""
        kids = tuple(np.asarray(c, dtype=np.intp) for c in children)
        ws = tuple(np.asarray(w, dtype=np.float64) for w in weights)
        problems: list[Problem] = []
        minimum = None if min_applicable is None else np.asarray(min_applicable, np.float64)
        if minimum is not None and (
            minimum.shape != (len(kids),) or not ((minimum >= 0) & (minimum <= 1)).all()
        ):
            problems.append(
                Problem(f"min_applicable must be one share in [0, 1] per group, got {minimum}")
            )
        for k, (c, w) in enumerate(zip(kids, ws, strict=True)):
            if c.shape != w.shape or c.size == 0:
                problems.append(Problem(f"group {k}: {c.size} children but {w.size} weights"))
            elif (w < 0).any() or not np.isclose(w.sum(), 1.0, atol=1e-9):
                got = [float(f"{x:.12g}") for x in w.tolist()]
                problems.append(Problem(f"group {k}: weights must be >= 0 and sum to 1, got {got}"))
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
        return cls(n_leaves, kids, ws, order, minimum)

    def minimum_applicable(self) -> FloatArray:
        """Per group, the minimum applicable share (zeros when none was declared)."""
        if self.min_applicable is None:
            return np.zeros(len(self.children))
        return self.min_applicable


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
    applicable_share: FloatArray | None = None,
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
        denominator: coverage is the observed share of the weight that applies. A group
        whose applicable share is below its ``tree.min_applicable`` is not assessed (see
        :func:`tree_means`).
    applicable_share : ndarray, shape (N, n_groups), optional
        Filled with each group's applicable share when given.

    Returns
    -------
    scores : ndarray, shape (N, n_groups)
        Group scores in [0, 1] (NaN where nothing below was observed or the group is not
        assessed).
    coverage : ndarray, shape (N, n_groups)
        Share of each group's applicable weight that was observed (1.0 with complete data;
        NaN where nothing below applies).

    Notes
    -----
    Rows are processed in blocks that stay in cache. A block with every cell observed and
    applicable (the usual case) takes one product with the effective weights; any other
    block goes level by level with re-normalisation.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1.
    Saaty, T. L. (1980), *The Analytic Hierarchy Process*, McGraw-Hill (distributive
    synthesis of local weights).

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.25, 0.75]])
    >>> scores, coverage = aggregate_tree(np.array([[1.0, np.nan]]), t)
    >>> scores, coverage
    (array([[1.]]), array([[0.25]]))
    """
    S = np.asarray(S, dtype=np.float64)
    check_tree_options(method, missing)
    if S.ndim != 2 or S.shape[1] != tree.n_leaves:
        raise OptionError(
            "scores do not match the tree",
            [Problem(f"S has shape {S.shape}, the tree has {tree.n_leaves} indicators")],
        )
    n, m = S.shape
    app = None if applicable is None else np.asarray(applicable, dtype=bool)
    W = effective_weights(tree)
    scores = np.empty((n, len(tree.children)))
    cover = np.empty((n, len(tree.children)))
    for rows in row_blocks(n, m):
        aggregate_block(
            S[rows],
            tree,
            W,
            method,
            missing,
            None if app is None else app[rows],
            scores[rows],
            cover[rows],
            None if applicable_share is None else applicable_share[rows],
        )
    return scores, cover


class TreeMeans(NamedTuple):
    """Group scores from :func:`tree_means`, with their coverage when it was asked for.

    Attributes
    ----------
    scores : ndarray, shape (N, G) or (N, G, C)
        Scores of the requested groups (for each of C weight draws); NaN where nothing below a
        group is present.
    coverage : ndarray of the same shape, or None
        Share of each group's applicable weight that was observed.
    applicable : ndarray of the same shape, or None
        Share of each group's weight that applies to the row (``shares=True``).
    variance : ndarray of the same shape, or None
        Delta-method variance of each group score (when ``variance`` was given).
    """

    scores: FloatArray
    coverage: FloatArray | None
    applicable: FloatArray | None = None
    variance: FloatArray | None = None


def tree_means(
    S: ArrayLike,
    tree: Tree,
    local: Sequence[ArrayLike] | None = None,
    *,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    missing: Literal["renormalize", "propagate"] = "renormalize",
    applicable: NDArray[np.bool_] | None = None,
    groups: Sequence[int] | None = None,
    coverage: bool = False,
    shares: bool = False,
    variance: ArrayLike | None = None,
) -> TreeMeans:
    r"""Weighted means of groups up the tree, re-normalised over the children present.

    At every group, level by level (OECD/JRC 2008, section 6.1):

    .. math::
        g_k = \frac{\sum_{j \in k} w_j s_j}{\sum_{j \in k} w_j} \quad \text{or} \quad
        g_k = \exp\frac{\sum_{j \in k} w_j \ln s_j}{\sum_{j \in k} w_j}

    over the children ``j`` of group ``k`` that are present (not NaN); a group with no child
    present is NaN, and in the geometric mean a present zero with positive weight makes the
    group 0. The same kernel serves one set of local weights (the tree's own, or ``local``
    with one vector per group) and a stack of C weight draws (``local`` with one ``(C, c)``
    array per group), so Monte Carlo analyses score every draw with the formula of
    :func:`aggregate_tree`.

    Parameters
    ----------
    S : array_like, shape (N, M) or (C, N, M)
        Indicator scores; NaN marks an excluded cell. A 3-D array gives each draw its own
        scores (e.g. under measurement error).
    tree : Tree
        The hierarchy over the M indicators.
    local : sequence of array_like, one per group, optional
        Local weights of each group's children: shape ``(c,)`` (one weighting) or ``(C, c)``
        (C draws, rows summing to 1). Default: the tree's own weights.
    method : {"arithmetic", "geometric"}
    missing : {"renormalize", "propagate"}
        ``propagate``: any excluded applicable child makes the group NaN.
    applicable : ndarray of bool, shape (N, M), optional
        False where an indicator does not apply to a row (see :func:`aggregate_tree`).
    groups : sequence of int, optional
        The groups to return (default: all, in group order).
    coverage : bool, default False
        Also compute each group's observed share of its applicable weight.
    shares : bool, default False
        Also compute each group's applicable share.
    variance : array_like, shape (N, M), optional
        Variances of the indicator scores (0 where exact), for one weighting: also propagate
        them to every group score by the delta method (see Notes).

    Returns
    -------
    TreeMeans
        ``scores`` of shape (N, G) for one weighting or (N, G, C) for draws, and
        ``coverage``, ``applicable``, ``variance`` (None unless asked for).

    Notes
    -----
    *Applicability.* A group's applicable share is the sum of its children's local weights
    times their applicable shares (an indicator's is 1 or 0), i.e. the effective weight of
    the indicators below it that apply to the row. Where it is below the group's
    ``tree.min_applicable`` the group is *not assessed*: NaN, and its parent counts it as a
    missing child of full weight, so the parent's coverage falls by the group's weight.

    *Variance.* Treating the indicator scores as independent, the delta method (Oehlert
    1992) through the renormalised mean gives, over the children ``j`` present,

    .. math::
        \operatorname{Var} g_k = \sum_j \Big(\frac{w_j}{\sum_{i} w_i}\Big)^2
        \operatorname{Var} s_j \quad\text{or}\quad
        \operatorname{Var} g_k = \sum_j \Big(\frac{g_k\, w_j}{s_j \sum_{i} w_i}\Big)^2
        \operatorname{Var} s_j

    for the arithmetic and geometric mean, level by level.

    Raises
    ------
    OptionError
        Unknown ``method`` or ``missing``, or shapes that do not fit the tree and the draws.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1.

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.5, 0.5]])
    >>> S = np.array([[1.0, 0.0], [0.5, np.nan]])
    >>> tree_means(S, t).scores.tolist()
    [[0.5], [0.5]]
    >>> tree_means(S, t, [[[0.5, 0.5], [0.9, 0.1]]]).scores[:, 0, :].tolist()
    [[0.5, 0.9], [0.5, 0.5]]
    """
    check_tree_options(method, missing)
    arr = np.asarray(S, dtype=np.float64)
    weights = [np.asarray(w, dtype=np.float64) for w in (tree.weights if local is None else local)]
    draws = draw_count(weights, tree)
    m = tree.n_leaves
    if arr.ndim not in (2, 3) or arr.shape[-1] != m or (arr.ndim == 3 and arr.shape[0] != draws):
        raise OptionError(
            "indicator scores do not fit the tree and the draws",
            [Problem(f"S has shape {arr.shape}; expected (N, {m}) or ({draws}, N, {m})")],
        )
    # Draws are (C, c) per group, as they are drawn; the kernel takes children first.
    kernel_weights = [w.T for w in weights] if draws else weights
    var = None if variance is None else np.asarray(variance, dtype=np.float64)
    if var is not None and (draws or var.shape != arr.shape):
        raise OptionError(
            "variances do not fit the scores",
            [Problem(f"variance {var.shape}, scores {arr.shape}; one weighting only")],
        )
    done = tree_pass(
        arr,
        tree,
        kernel_weights,
        geometric=method == "geometric",
        propagate=missing == "propagate",
        applicable=applicable,
        groups=groups,
        coverage=coverage,
        shares=shares,
        variance=var,
    )
    return TreeMeans(done.scores, done.coverage, done.applicable, done.variance)
