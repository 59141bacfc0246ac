"""The renormalised weighted mean: one home for the formula behind every score that skips a cell.

A node's score over the children present (OECD/JRC 2008, section 1.4, case deletion with
re-scaled weights; section 1.6.2, linear and geometric aggregation):

.. math::
    y = \\frac{\\sum_j w_j s_j [s_j \\text{ present}]}{\\sum_j w_j [s_j \\text{ present}]}
    \\quad\\text{or}\\quad
    y = \\exp\\frac{\\sum_j w_j \\ln s_j [s_j \\text{ present}]}{\\sum_j w_j [s_j \\text{ present}]},

NaN where no weight is present, and 0 in the geometric mean where a present zero has positive
weight. :func:`present_sums` computes the two sums for one, several (a matrix of node weights)
or many (a stack of weight draws) weightings at once; :func:`finish_mean` turns them into the
mean. :func:`renoscore.aggregate.weighted_sum_with_coverage` (one level of nodes) and
:func:`renoscore.aggregate.tree_means` (up a tree, level by level, for one weighting or a
stack of draws) both build on them. Nothing here is public API.

Layouts of ``values`` (children in the last axis) and weights ``w`` (children in the first):

* ``(n, c)`` with ``w`` of shape ``(c,)``: one weighting, result ``(n,)``;
* ``(n, c)`` with ``w`` of shape ``(c, K)``: K weightings of the same values, result ``(n, K)``;
* ``(K, n, c)`` with ``w`` of shape ``(c, K)``: each weighting its own values, result ``(n, K)``.

Examples
--------
>>> import numpy as np
>>> num, den, _ = present_sums(np.array([[1.0, np.nan], [0.5, 0.5]]), np.array([0.6, 0.4]))
>>> finish_mean(num, den)
array([1. , 0.5])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from renoscore._kernels import FloatArray

if TYPE_CHECKING:
    from renoscore.aggregate.tree import Tree

__all__ = ["aggregate_block", "finish_mean", "present_sums", "tree_pass", "weighted_total"]


def weighted_total(values: NDArray[np.generic], w: FloatArray) -> FloatArray:
    """``sum_j w_j values_j`` over the children (last axis of ``values``), in any layout above."""
    if values.ndim == 3:
        # Each weighting has its own values, (n, K) out. One sum of products over the children:
        # a batched matrix-vector product would run K tiny products, three times slower on the
        # strided (K, n, groups) view that group children of weight draws come in.
        summed: Any = np.einsum("knc,ck->nk", cast("NDArray[Any]", values), w)
        return np.asarray(summed, dtype=np.float64)
    return np.asarray(np.matmul(values, w), dtype=np.float64)


def present_sums(
    values: FloatArray,
    w: FloatArray,
    *,
    present: NDArray[np.bool_] | None = None,
    geometric: bool = False,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_] | None]:
    """The weighted sum of the present children and their weight, and the geometric zero hits.

    Parameters
    ----------
    values : ndarray
        Children's scores, NaN where absent (a layout of the module docstring).
    w : ndarray
        The children's weights.
    present : ndarray of bool, optional
        ``~isnan(values)`` when the caller already has it.
    geometric : bool
        Sum ``ln s`` instead of ``s``. A present zero makes the sum ``-inf`` (the mean 0);
        where a child has zero weight, zeros are reported in ``zero`` instead.

    Returns
    -------
    num : ndarray
        ``sum_j w_j s_j`` (or ``ln s_j``) over the present children.
    den : ndarray
        ``sum_j w_j`` over the present children.
    zero : ndarray of bool or None
        For the geometric mean with a zero-weight child: whether a present zero has positive
        weight.
    """
    ok = ~np.isnan(values) if present is None else present
    zero: NDArray[np.bool_] | None = None
    if geometric and bool((w > 0).all()):
        # Every child weighs: a present zero gives ln 0 = -inf, and the mean exp(-inf) = 0.
        with np.errstate(divide="ignore"):
            terms = np.log(np.where(ok, values, 1.0))
    elif geometric:
        # A zero-weight child must not matter, even at 0 (0 * -inf would be NaN).
        terms = np.log(np.where(ok & (values > 0), values, 1.0))
        hits = (ok & (values == 0)).astype(np.float64)
        zero = weighted_total(hits, (w > 0).astype(np.float64)) > 0
    else:
        terms = np.where(ok, values, 0.0)
    return weighted_total(terms, w), weighted_total(ok, w), zero


def finish_mean(
    num: FloatArray,
    den: FloatArray,
    zero: NDArray[np.bool_] | None = None,
    *,
    geometric: bool = False,
) -> FloatArray:
    """The mean from :func:`present_sums`: ``num / den`` (``exp`` of it if geometric).

    A present zero with positive weight makes a geometric mean 0; no present weight makes
    the mean NaN.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = num / den
        value = np.exp(ratio) if geometric else ratio
    if zero is not None:
        value = np.where(zero, 0.0, value)
    return np.asarray(np.where(den > 0, value, np.nan), dtype=np.float64)


def tree_pass(
    S: FloatArray,
    tree: Tree,
    local: Sequence[FloatArray],
    *,
    geometric: bool,
    propagate: bool = False,
    applicable: NDArray[np.bool_] | None = None,
    groups: Sequence[int] | None = None,
    coverage: bool = False,
) -> tuple[FloatArray, FloatArray | None]:
    """Group means up a tree, level by level, re-normalised over the children present.

    Parameters
    ----------
    S : ndarray, shape (n, M) or (C, n, M)
        Indicator scores, NaN where excluded; 3-D when each weighting has its own.
    tree : Tree
        The hierarchy (its order and children; its own weights are not read).
    local : sequence of ndarray, one per group
        The local weights of each group's children: ``(c,)`` for one weighting or ``(c, C)``
        for C weightings (draws).
    geometric, propagate : bool
        The weighted geometric mean; NaN for a group as soon as an applicable child is absent.
    applicable : ndarray of bool, shape (n, M), optional
        False where an indicator does not apply: such cells leave the coverage denominator
        (their scores, if any, still count).
    groups : sequence of int, optional
        The groups to return (default: all, in group order).
    coverage : bool
        Also return each group's observed share of its applicable weight.

    Returns
    -------
    scores : ndarray, shape (n, G) or (n, G, C)
    coverage : ndarray of the same shape, or None
    """
    track = coverage or propagate
    leaves = _Leaves(S, applicable, track)
    nodes = _Nodes()
    for k in tree.order.tolist():
        kids, w = tree.children[k], local[k]
        num: FloatArray | None = None
        den: FloatArray | None = None
        zero: NDArray[np.bool_] | None = None
        complete: NDArray[np.bool_] | None = None
        for values, wp, ok, obs, app in _child_parts(kids, w, tree.n_leaves, leaves, nodes, track):
            part_num, part_den, part_zero = present_sums(
                values, wp, present=ok, geometric=geometric
            )
            num, den, zero = _add(num, part_num), _add(den, part_den), _either(zero, part_zero)
            if track:
                nodes.observed[k] = _add(nodes.observed.get(k), weighted_total(obs, wp))
                nodes.applies[k] = _add(nodes.applies.get(k), weighted_total(app, wp))
            if propagate:
                done = (ok | (app == 0)).all(axis=-1)
                complete = _both(complete, done.T if ok.ndim == 3 else done)
        assert num is not None  # every group has a child
        assert den is not None
        score = finish_mean(num, den, zero, geometric=geometric)
        nodes.value[k] = score if complete is None else np.where(complete, score, np.nan)
    chosen = range(len(tree.children)) if groups is None else groups
    scores = np.stack([nodes.value[k] for k in chosen], axis=1)
    if not coverage:
        return scores, None
    observed = np.stack([nodes.observed[k] for k in chosen], axis=1)
    applies = np.stack([nodes.applies[k] for k in chosen], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return scores, np.where(applies > 0, observed / applies, np.nan)


class _Leaves:
    """The indicator scores with their presence, observed and applicable masks."""

    def __init__(self, S: FloatArray, applicable: NDArray[np.bool_] | None, track: bool) -> None:
        self.S = S
        self.present = ~np.isnan(S)
        # Shares as float64, like the group shares they are summed with: a gathered float
        # block goes to the same BLAS routine whatever its kind of children.
        apply_ = np.ones(S.shape[-2:], dtype=bool) if applicable is None else applicable
        self.applies = apply_.astype(np.float64) if track else apply_
        self.observed = (self.present & apply_).astype(np.float64) if track else self.present

    def shares(self, j: NDArray[np.intp]) -> tuple[NDArray[np.generic], NDArray[np.generic]]:
        """Observed and applicable shares of the leaves ``j``."""
        return self.observed[..., j], self.applies[..., j]


class _Nodes:
    """Scores, observed and applicable weight shares of the groups computed so far."""

    def __init__(self) -> None:
        self.value: dict[int, FloatArray] = {}
        self.observed: dict[int, FloatArray] = {}
        self.applies: dict[int, FloatArray] = {}

    def shares(self, g: int, track: bool) -> tuple[FloatArray, FloatArray]:
        """Observed and applicable shares of group ``g`` (its scores when not tracked)."""
        if track:
            return self.observed[g], self.applies[g]
        return self.value[g], self.value[g]

    def stacks(self, groups: list[int]) -> tuple[list[FloatArray], list[FloatArray]]:
        """Observed and applicable shares of several groups."""
        return [self.observed[g] for g in groups], [self.applies[g] for g in groups]


#: One kind of a group's children: scores, weights, presence, observed and applicable shares.
_Part = tuple[FloatArray, FloatArray, NDArray[np.bool_], NDArray[Any], NDArray[Any]]


def _child_parts(
    kids: NDArray[np.intp], w: FloatArray, m: int, leaves: _Leaves, nodes: _Nodes, track: bool
) -> list[_Part]:
    """A group's children with their weights: one part, or leaves and groups apart for draws.

    Children are columns, in the order the group lists them, laid out as a column gather of
    one node matrix would lay them out, so every kind of group takes the same BLAS routine.
    With C weight draws a group's own scores are ``(n, C)`` while a leaf's are shared: the
    group children then form a second part in the per-draw layout ``(C, n, children)``.
    """
    leaf = kids < m
    if leaf.all():
        j = kids
        return [(leaves.S[..., j], w, leaves.present[..., j], *leaves.shares(j))]
    if w.ndim == 1:
        columns = [
            (leaves.S[:, c], leaves.observed[:, c], leaves.applies[:, c])
            if c < m
            else (nodes.value[c - m], *nodes.shares(c - m, track))
            for c in kids.tolist()
        ]
        values, observed, applies = (_columns([col[i] for col in columns]) for i in range(3))
        return [(values, w, ~np.isnan(values), observed, applies)]
    j = kids[leaf]
    sub = (kids[~leaf] - m).tolist()
    child = np.moveaxis(np.stack([nodes.value[g].T for g in sub]), 0, -1)
    observed, applies = (
        [np.moveaxis(np.stack([s.T for s in store]), 0, -1) for store in nodes.stacks(sub)]
        if track
        else [child, child]
    )
    return [
        (leaves.S[..., j], w[leaf], leaves.present[..., j], *leaves.shares(j)),
        (child, w[~leaf], ~np.isnan(child), observed, applies),
    ]


def _columns(cols: list[NDArray[Any]]) -> NDArray[Any]:
    """Vectors of length n as the columns of an (n, c) matrix (column-major, like a gather)."""
    return np.stack(cols).T


def _add(total: FloatArray | None, part: FloatArray) -> FloatArray:
    """``total + part``, where a first part is taken as it is (no ``0.0 + x``)."""
    return part if total is None else total + part


def _either(a: NDArray[np.bool_] | None, b: NDArray[np.bool_] | None) -> NDArray[np.bool_] | None:
    """``a | b`` where either may be absent."""
    return b if a is None else a if b is None else a | b


def _both(a: NDArray[np.bool_] | None, b: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``a & b`` where ``a`` may be absent."""
    return b if a is None else a & b


def aggregate_block(
    s: FloatArray,
    tree: Tree,
    W: FloatArray,
    method: str,
    missing: str,
    applicable: NDArray[np.bool_] | None,
    out_scores: FloatArray,
    out_cover: FloatArray,
) -> None:
    """Group scores and coverage of one block of rows, written into the output blocks.

    A block with every cell observed and applicable takes one product with the effective
    weights ``W`` (arithmetic mean); any other block goes level by level (:func:`tree_pass`).
    """
    if method == "arithmetic" and (applicable is None or applicable.all()):
        np.matmul(s, W, out=out_scores)
        # NaN propagates through the product (NaN * 0 is NaN): none left means every cell of
        # the block was observed, and the product is the whole answer.
        if not np.isnan(out_scores).any():
            out_cover.fill(1.0)
            return
    scores, cover = tree_pass(
        s,
        tree,
        tree.weights,
        geometric=method == "geometric",
        propagate=missing == "propagate",
        applicable=applicable,
        coverage=True,
    )
    out_scores[:] = scores
    out_cover[:] = cover
