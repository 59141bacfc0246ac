"""Goalpost scores and the tree mean in one blocked pass over the rows.

:func:`score_tree` and :func:`score_groups` give the numbers of
:func:`renoscore.normalize.goalposts` followed by :func:`renoscore.aggregate.aggregate_tree`,
but normalise and aggregate each block of rows while it is in cache, so the raw values are read
once. This is the path :func:`renoscore.evaluate` takes for goalposts and a tree mean.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Sections 1.5 and 6.1.
UNDP (2010). *Human Development Report 2010*, Technical note 1 (goalposts).
Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill (distributive synthesis).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._kernels import (
    FloatArray,
    as_matrix,
    goalpost_vectors,
    goalposts_kernel,
    has_inf,
    inf_problems,
    order_of,
)
from renoscore.aggregate._checks import check_tree_options
from renoscore.aggregate._means import aggregate_block
from renoscore.aggregate.tree import Tree, effective_weights
from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = ["score_groups", "score_tree"]


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
    applicable_share: FloatArray | None = None,
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
    applicable_share : ndarray, shape (N, n_groups), optional
        Filled with each group's applicable share (see :func:`tree_means`) when given.

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
    S = np.empty(arr.shape, order=order_of(arr))
    scores, cover = _score_pass(
        arr, f, span, tree, method, applicable, scale, check_finite, labels, S, applicable_share
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
    applicable_share: FloatArray | None = None,
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
    return _score_pass(
        arr, f, span, tree, method, applicable, scale, check_finite, labels, None, applicable_share
    )


def _score_inputs(
    X: ArrayLike,
    floor: ArrayLike,
    target: ArrayLike,
    tree: Tree,
    method: str,
    labels: Sequence[str] | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    arr = as_matrix(X)
    check_tree_options(method, "renormalize")
    if arr.shape[1] != tree.n_leaves:
        raise OptionError(
            "values do not match the tree",
            [Problem(f"X has {arr.shape[1]} columns, the tree has {tree.n_leaves} indicators")],
        )
    f, span = goalpost_vectors(floor, target, arr.shape[1], labels)
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
    share: FloatArray | None = None,
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
    order = "C" if flat else order_of(arr)
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
                if share is not None:
                    share[rows] = 1.0
                continue
        # Without S to keep, the -0.0 of a cost indicator at its floor need not be fixed cell
        # by cell: it is fixed in the group scores below.
        goalposts_kernel(src, dst, fv, sv, has_cost and S is not None, clip=not check_finite)
        if check_finite:
            if has_inf(src):
                raise DataValidationError("X contains infinite values", inf_problems(arr, labels))
            np.clip(dst, 0.0, 1.0, out=dst)
        aggregate_block(
            block,
            tree,
            W,
            method,
            "renormalize",
            block_app,
            g,
            cover[rows],
            None if share is None else share[rows],
        )
        if scale != 1.0:
            if S is not None:
                np.multiply(dst, scale, out=dst)
            np.multiply(g, scale, out=g)
        if S is None and has_cost:
            np.add(g, 0.0, out=g)  # -0.0 (every child a cost indicator at its floor) -> 0.0
    return scores, cover
