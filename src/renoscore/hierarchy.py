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
from numpy.typing import ArrayLike, NDArray

from renoscore.errors import DataValidationError, OptionError, Problem
from renoscore.normalize import (
    _as_matrix,
    _goalpost_vectors,
    _goalposts_kernel,
    _has_inf,
    _inf_problems,
    _order_of,
    _row_blocks,
)

__all__ = ["Tree", "aggregate_tree", "effective_weights", "score_groups", "score_tree"]

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
    _check_options(method, missing)
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
    for rows in _row_blocks(n, m):
        _aggregate_block(
            S[rows],
            tree,
            W,
            method,
            missing,
            None if app is None else app[rows],
            scores[rows],
            cover[rows],
        )
    return scores, cover


def score_tree(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    tree: Tree,
    *,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    applicable: NDArray[np.bool_] | None = None,
    scale: float = 1.0,
    check_finite: bool = True,
    labels: Sequence[str] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Goalpost scores of every indicator and every group, in one pass over the rows.

    The same numbers as :func:`renoscore.normalize.goalposts` followed by
    :func:`aggregate_tree` (with ``missing="renormalize"``), both multiplied by ``scale``:

    .. math:: s_{ij} = \operatorname{clip}\!\left(\frac{x_{ij} - f_j}{t_j - f_j}, 0, 1\right),
        \qquad g_{ik} = \sum_j e_{jk}\, s_{ij}

    with :math:`e_{jk}` the effective weights (products of local weights down the tree) when a
    row is complete, and re-normalisation level by level otherwise. Each block of rows is
    normalised and aggregated while it is in cache, so ``X`` is read once and the indicator
    scores are written once.

    Parameters
    ----------
    X : array_like, shape (N, M)
        Raw values; NaN marks an excluded cell.
    floor, target : array_like, shape (M,)
        Goalposts (floor scores 0, target scores 1; ``floor > target`` for a cost indicator).
    tree : Tree
        The hierarchy over the M indicators.
    method : {"arithmetic", "geometric"}
        Weighted arithmetic (default) or geometric mean up the tree.
    applicable : ndarray of bool, shape (N, M), optional
        False where an indicator does not apply to a row (see :func:`aggregate_tree`).
    scale : float
        Multiplies the indicator and group scores (100 for a 0-100 scale).
    check_finite : bool
        Raise on an infinite value (one extra sum per block). Data validated by
        :func:`renoscore.load_data` cannot hold one, so the pipeline skips the check.
    labels : sequence of str, optional
        Indicator ids for error messages.

    Returns
    -------
    indicator_scores : ndarray, shape (N, M)
        In the memory order of ``X``.
    group_scores, coverage : ndarray, shape (N, n_groups)

    Raises
    ------
    OptionError
        Bad goalposts (see :func:`~renoscore.normalize.goalposts`), options or tree size.
    DataValidationError
        ``X`` is not a numeric matrix, or holds an infinite value.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, sections 1.5 and 6.1.
    UNDP (2010), *Human Development Report 2010*, Technical note 1 (goalposts).
    Saaty, T. L. (1980), *The Analytic Hierarchy Process*, McGraw-Hill (distributive synthesis).

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.25, 0.75]])
    >>> S, G, C = score_tree([[0.5, 900.0]], [0.0, 1500.0], [1.0, 300.0], t, scale=100)
    >>> S, G
    (array([[50., 50.]]), array([[50.]]))
    """
    arr, f, span = _score_inputs(X, floor, target, tree, method, labels)
    S = np.empty(arr.shape, order=_order_of(arr))
    scores, cover = _score_pass(
        arr, f, span, tree, method, applicable, scale, check_finite, labels, S
    )
    return S, scores, cover


def score_groups(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    tree: Tree,
    *,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    applicable: NDArray[np.bool_] | None = None,
    scale: float = 1.0,
    check_finite: bool = True,
    labels: Sequence[str] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Group scores and coverage by goalposts and the tree, without keeping indicator scores.

    :func:`score_tree` without its first output: each block of indicator scores lives in a
    small reused buffer while it is aggregated, so no ``(N, M)`` array is allocated and the
    values are read once. The formulas, parameters and references are those of
    :func:`score_tree`.

    Examples
    --------
    >>> t = Tree.build(2, [[0, 1]], [[0.25, 0.75]])
    >>> score_groups([[0.5, 900.0], [1.0, np.nan]], [0.0, 1500.0], [1.0, 300.0], t, scale=100)
    (array([[ 50.],
           [100.]]), array([[1.  ],
           [0.25]]))
    """
    arr, f, span = _score_inputs(X, floor, target, tree, method, labels)
    return _score_pass(arr, f, span, tree, method, applicable, scale, check_finite, labels, None)


def _score_inputs(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    tree: Tree,
    method: str,
    labels: Sequence[str] | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    arr = _as_matrix(X)
    _check_options(method, "renormalize")
    if arr.shape[1] != tree.n_leaves:
        raise OptionError(
            "values do not match the tree",
            [Problem(f"X has {arr.shape[1]} columns, the tree has {tree.n_leaves} indicators")],
        )
    f, span = _goalpost_vectors(floor, target, arr.shape[1], labels)
    return arr, f, span


#: Cells per block of the scoring pass: larger than normalize's blocks, as each block makes
#: about ten numpy calls whatever its size (measured best at 2**17 on a 1 MiB L2 core).
_SCORE_BLOCK = 1 << 17

#: The folded form of :func:`score_groups` is used while ``max(|floor|, |target|)`` stays within
#: this many goalpost spans: its rounding error is then under 1e-13 on the 0-1 scale, a
#: hundredth of the default rank tie tolerance (1e-9 on 0-100).
_FOLD_LIMIT = 1e3


def _score_pass(
    arr: FloatArray,
    f: FloatArray,
    span: FloatArray,
    tree: Tree,
    method: str,
    applicable: NDArray[np.bool_] | None,
    scale: float,
    check_finite: bool,
    labels: Sequence[str] | None,
    S: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Goalposts and aggregation block by block; indicator scores into ``S`` or a buffer.

    Without ``S`` to fill and with the arithmetic mean, a complete block takes the folded
    form of the same formula, ``g = clip(x, lo, hi) @ (E / d) - (f / d) @ E`` (``d = t - f``,
    ``lo, hi`` the goalposts in increasing order, ``E`` the effective weights): the goalpost
    map is linear between the clips, so its subtraction and division move into the weights
    and each cell costs a clip and its share of one product. Blocks with a missing or
    not-applicable cell take the direct form and the level-by-level re-normalisation.
    """
    n, m = arr.shape
    has_cost = bool((span < 0).any())
    W = effective_weights(tree)
    k_groups = len(tree.children)
    app = None if applicable is None else np.asarray(applicable, dtype=bool)
    scores = np.empty((n, k_groups))
    cover = np.empty((n, k_groups))
    step = max(1, min(n, _SCORE_BLOCK // max(1, m)))  # buffers no taller than the data
    # A C-order block is worked on as one flat run with the vectors tiled to match (one long
    # loop per operation instead of one loop of length M per row); others as 2-D blocks.
    flat = arr.flags.c_contiguous and (S is None or S.flags.c_contiguous) and m > 0
    order = "C" if flat else _order_of(arr)
    buffer = np.empty((step, m), order=order) if S is None else None
    lo_g, hi_g = np.minimum(f, f + span), np.maximum(f, f + span)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # The scale goes into the folded weights: no multiplication per block.
        A = W * (scale / span)[:, None]
        c = (f * (scale / span)) @ W
        reach = np.maximum(np.abs(lo_g), np.abs(hi_g)) / np.abs(span)
    folded = (
        S is None
        and method == "arithmetic"
        and m > 0
        and not check_finite  # an infinity would be clipped away unseen
        # The rounding error of the folded sum is about eps * sum_j w_j |x_j / d_j|.
        and bool(np.isfinite(A).all() and np.isfinite(c).all())
        and float(reach.max()) <= _FOLD_LIMIT
    )
    if flat:
        f_use, s_use = np.tile(f, step), np.tile(span, step)
        lo_use, hi_use = np.tile(lo_g, step), np.tile(hi_g, step)
    else:
        f_use, s_use, lo_use, hi_use = f, span, lo_g, hi_g
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        b = rows.stop - rows.start
        block = S[rows] if S is not None else buffer[:b]  # type: ignore[index]
        if flat:
            src, dst = arr[rows].reshape(-1), block.reshape(-1)
            fv, sv = f_use[: b * m], s_use[: b * m]
            lv, hv = lo_use[: b * m], hi_use[: b * m]
        else:
            src, dst, fv, sv, lv, hv = arr[rows], block, f_use, s_use, lo_use, hi_use
        g = scores[rows]
        block_app = None if app is None else app[rows]
        if folded and (block_app is None or block_app.all()):
            np.maximum(src, lv, out=dst)  # NaN propagates, and sends the block down below
            np.minimum(dst, hv, out=dst)
            np.matmul(block, A, out=g)
            if not np.isnan(g).any():
                np.subtract(g, c, out=g)
                np.clip(g, 0.0, scale, out=g)  # rounding of the folded form stays in range
                cover[rows] = 1.0
                continue
        # Without S to keep, the -0.0 of a cost indicator at its floor need not be fixed cell
        # by cell: it is fixed in the group scores below.
        _goalposts_kernel(src, dst, fv, sv, has_cost and S is not None, clip=not check_finite)
        if check_finite:
            if _has_inf(src):
                raise DataValidationError("X contains infinite values", _inf_problems(arr, labels))
            np.clip(dst, 0.0, 1.0, out=dst)
        _aggregate_block(block, tree, W, method, "renormalize", block_app, g, cover[rows])
        if scale != 1.0:
            if S is not None:
                np.multiply(dst, scale, out=dst)
            np.multiply(g, scale, out=g)
        if S is None and has_cost:
            np.add(g, 0.0, out=g)  # -0.0 (every child a cost indicator at its floor) -> 0.0
    return scores, cover


def _check_options(method: str, missing: str) -> None:
    if method not in ("arithmetic", "geometric"):
        raise OptionError(
            f"unknown aggregation {method!r}", [Problem("use arithmetic or geometric")]
        )
    if missing not in ("renormalize", "propagate"):
        raise OptionError(
            f"unknown missing policy {missing!r}", [Problem("use renormalize or propagate")]
        )


def _aggregate_block(
    s: FloatArray,
    tree: Tree,
    W: FloatArray,
    method: str,
    missing: str,
    applicable: NDArray[np.bool_] | None,
    out_scores: FloatArray,
    out_cover: FloatArray,
) -> None:
    """Group scores and coverage of one block of rows, written into the output blocks."""
    if method == "arithmetic" and (applicable is None or applicable.all()):
        np.matmul(s, W, out=out_scores)
        # NaN propagates through the product (NaN * 0 is NaN): none left means every cell of
        # the block was observed, and the product is the whole answer.
        if not np.isnan(out_scores).any():
            out_cover.fill(1.0)
            return
    b, m = s.shape
    k_groups = len(tree.children)
    present = ~np.isnan(s)
    apply_ = np.ones((b, m), dtype=bool) if applicable is None else applicable
    scores = np.empty((b, m + k_groups))
    observed = np.empty((b, m + k_groups))  # share of each node's weight observed
    applies = np.empty((b, m + k_groups))  # share of each node's weight that applies
    scores[:, :m] = s
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
        out_scores[:] = scores[:, m:]
        out_cover[:] = np.where(applies[:, m:] > 0, observed[:, m:] / applies[:, m:], np.nan)
