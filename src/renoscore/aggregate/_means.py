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
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np
from numpy.typing import NDArray

from renoscore._kernels import FloatArray

if TYPE_CHECKING:
    from renoscore.aggregate.tree import Tree

__all__ = [
    "TreePass",
    "aggregate_block",
    "finish_mean",
    "present_sums",
    "tree_pass",
    "weighted_total",
]


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


class TreePass(NamedTuple):
    """What :func:`tree_pass` returns: group scores, and what was asked for beside them.

    Attributes
    ----------
    scores : ndarray, shape (n, G) or (n, G, C)
        Group scores; NaN where nothing below was observed or a group is not assessed.
    coverage : ndarray of the same shape, or None
        Share of a group's counted weight that was observed (a child group that is not
        assessed counts in full and unobserved).
    applicable : ndarray of the same shape, or None
        Share of a group's weight that applies to the row (effective weights of the
        applicable indicators below it).
    variance : ndarray of the same shape, or None
        Variance of each group score propagated from the indicator-score variances.
    """

    scores: FloatArray
    coverage: FloatArray | None
    applicable: FloatArray | None
    variance: FloatArray | None


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
    shares: bool = False,
    variance: FloatArray | None = None,
) -> TreePass:
    r"""Group means up a tree, level by level, re-normalised over the children present.

    Parameters
    ----------
    S : ndarray, shape (n, M) or (C, n, M)
        Indicator scores, NaN where excluded; 3-D when each weighting has its own.
    tree : Tree
        The hierarchy (its order, children and minimum applicable shares; its own weights
        are not read).
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
        Also return each group's observed share of its counted weight.
    shares : bool
        Also return each group's applicable share.
    variance : ndarray, shape (n, M), optional
        Variances of the indicator scores (0 where exact): also return the variance of every
        group score by the delta method through the renormalised mean.

    Returns
    -------
    TreePass

    Notes
    -----
    With ``a_j`` the applicable share of child ``j`` (1 or 0 for an indicator), a group's
    applicable share is :math:`a_k = \sum_j w_j a_j`. A group with a positive minimum
    ``m_k`` (``tree.min_applicable``) is *not assessed* where :math:`a_k < m_k`: its score is
    NaN and its parent counts it as a missing child of full weight (:math:`D = 1, U = 0`).
    Otherwise its counted and observed weights are :math:`D_k = \sum_j w_j D_j` and
    :math:`U_k = \sum_j w_j U_j` (an indicator: ``D`` = applies, ``U`` = applies and
    observed), and its coverage is :math:`U_k / D_k`. With every minimum 0 a group where
    nothing applies has ``D = 0`` and leaves its parent's denominator, as before.
    """
    minimum = tree.minimum_applicable()
    lifting = bool((minimum > 0).any()) and applicable is not None
    track = coverage or propagate or lifting or shares
    pure = lifting or shares
    leaves = _Leaves(S, applicable, track, variance)
    nodes = _Nodes()
    for k in tree.order.tolist():
        kids, w = tree.children[k], local[k]
        sums = _Sums()
        for part in _child_parts(kids, w, tree.n_leaves, leaves, nodes, track, pure):
            sums.add(part, geometric=geometric, track=track, pure=pure, propagate=propagate)
        assert sums.num is not None  # every group has a child
        assert sums.den is not None
        score = finish_mean(sums.num, sums.den, sums.zero, geometric=geometric)
        if sums.complete is not None:
            score = np.where(sums.complete, score, np.nan)
        nodes.store(k, score, sums, float(minimum[k]) if lifting else 0.0, geometric)
    chosen = range(len(tree.children)) if groups is None else groups

    def pick(store: dict[int, FloatArray]) -> FloatArray:
        return np.stack([store[k] for k in chosen], axis=1)

    cover: FloatArray | None = None
    if coverage:
        with np.errstate(divide="ignore", invalid="ignore"):
            own_u, own_d = pick(nodes.own_observed), pick(nodes.own_applies)
            cover = np.where(own_d > 0, own_u / own_d, np.nan)
    return TreePass(
        pick(nodes.value),
        cover,
        pick(nodes.share) if shares else None,
        pick(nodes.variance) if variance is not None else None,
    )


class _Leaves:
    """The indicator scores with their presence, observed and applicable masks."""

    def __init__(
        self,
        S: FloatArray,
        applicable: NDArray[np.bool_] | None,
        track: bool,
        variance: FloatArray | None,
    ) -> None:
        self.S = S
        self.present = ~np.isnan(S)
        # Shares as float64, like the group shares they are summed with: a gathered float
        # block goes to the same BLAS routine whatever its kind of children.
        apply_ = np.ones(S.shape[-2:], dtype=bool) if applicable is None else applicable
        self.applies = apply_.astype(np.float64) if track else apply_
        self.observed = (self.present & apply_).astype(np.float64) if track else self.present
        self.variance = variance

    def shares(self, j: NDArray[np.intp]) -> tuple[NDArray[np.generic], NDArray[np.generic]]:
        """Observed and applicable shares of the leaves ``j``."""
        return self.observed[..., j], self.applies[..., j]


class _Nodes:
    """What is known of the groups computed so far.

    ``observed`` and ``applies`` are the observed and counted weight shares a group passes to
    its parent (a group not assessed passes 0 and 1); ``own_*`` are its own, for its coverage;
    ``share`` is its applicable share.
    """

    def __init__(self) -> None:
        self.value: dict[int, FloatArray] = {}
        self.observed: dict[int, FloatArray] = {}
        self.applies: dict[int, FloatArray] = {}
        self.own_observed: dict[int, FloatArray] = {}
        self.own_applies: dict[int, FloatArray] = {}
        self.share: dict[int, FloatArray] = {}
        self.variance: dict[int, FloatArray] = {}

    def store(
        self, k: int, score: FloatArray, sums: _Sums, minimum: float, geometric: bool
    ) -> None:
        """Keep group ``k``'s score and shares; unscore it where too little applies."""
        observed, applies = sums.observed, sums.applies
        if observed is not None and applies is not None:
            self.own_observed[k], self.own_applies[k] = observed, applies
        if sums.share is not None:
            self.share[k] = sums.share
        if minimum > 0 and sums.share is not None:
            below = sums.share < minimum - _SHARE_TOL
            if below.any():
                score = np.where(below, np.nan, score)
                observed = np.where(below, 0.0, observed)  # type: ignore[arg-type]
                applies = np.where(below, 1.0, applies)  # type: ignore[arg-type]
        self.value[k] = score
        if observed is not None and applies is not None:
            self.observed[k], self.applies[k] = observed, applies
        if sums.spread is not None:
            self.variance[k] = _group_variance(score, sums, geometric)

    def shares(self, g: int, track: bool) -> tuple[FloatArray, FloatArray]:
        """Observed and applicable shares of group ``g`` (its scores when not tracked)."""
        if track:
            return self.observed[g], self.applies[g]
        return self.value[g], self.value[g]

    def stacks(self, groups: list[int]) -> tuple[list[FloatArray], list[FloatArray]]:
        """Observed and applicable shares of several groups."""
        return [self.observed[g] for g in groups], [self.applies[g] for g in groups]


#: A share this close below a minimum counts as reaching it (shares summed in another order
#: differ in their last bits; 3 of 6 equal weights must reach 0.5 in every order).
_SHARE_TOL = 1e-12


#: One kind of a group's children: scores, weights, presence, observed and applicable shares,
#: applicable shares before any group was set aside (or None), and score variances (or None).
_Part = tuple[
    FloatArray,
    FloatArray,
    NDArray[np.bool_],
    NDArray[Any],
    NDArray[Any],
    NDArray[Any] | None,
    NDArray[Any] | None,
]


class _Sums:
    """The running sums of one group over its parts (leaf and group children)."""

    def __init__(self) -> None:
        self.num: FloatArray | None = None
        self.den: FloatArray | None = None
        self.zero: NDArray[np.bool_] | None = None
        self.complete: NDArray[np.bool_] | None = None
        self.observed: FloatArray | None = None
        self.applies: FloatArray | None = None
        self.share: FloatArray | None = None
        self.spread: FloatArray | None = None  # sum of w^2 var (arithmetic) or w^2 var / s^2

    def add(
        self, part: _Part, *, geometric: bool, track: bool, pure: bool, propagate: bool
    ) -> None:
        values, wp, ok, obs, app, share, var = part
        num, den, zero = present_sums(values, wp, present=ok, geometric=geometric)
        self.num, self.den = _add(self.num, num), _add(self.den, den)
        self.zero = _either(self.zero, zero)
        if track:
            self.observed = _add(self.observed, weighted_total(obs, wp))
            self.applies = _add(self.applies, weighted_total(app, wp))
        if pure and share is not None:
            self.share = _add(self.share, weighted_total(share, wp))
        if var is not None:
            # Delta method: d mean / d s_j = w_j / den (arithmetic), mean w_j / (den s_j)
            # (geometric); absent children and exact ones add nothing.
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = var / (values * values) if geometric else var
            terms = np.where(ok & (var > 0), ratio, 0.0)
            self.spread = _add(self.spread, weighted_total(terms, wp * wp))
        if propagate:
            done = (ok | (app == 0)).all(axis=-1)
            self.complete = _both(self.complete, done.T if ok.ndim == 3 else done)


def _group_variance(score: FloatArray, sums: _Sums, geometric: bool) -> FloatArray:
    """The delta-method variance of a group score from its children's (NaN where unscored)."""
    assert sums.spread is not None
    assert sums.den is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = score / sums.den if geometric else 1.0 / sums.den
        return np.asarray(np.where(np.isnan(score), np.nan, sums.spread * scale * scale))


def _child_parts(
    kids: NDArray[np.intp],
    w: FloatArray,
    m: int,
    leaves: _Leaves,
    nodes: _Nodes,
    track: bool,
    pure: bool,
) -> list[_Part]:
    """A group's children with their weights: one part, or leaves and groups apart for draws.

    Children are columns, in the order the group lists them, laid out as a column gather of
    one node matrix would lay them out, so every kind of group takes the same BLAS routine.
    With C weight draws a group's own scores are ``(n, C)`` while a leaf's are shared: the
    group children then form a second part in the per-draw layout ``(C, n, children)``.
    """
    leaf = kids < m
    var = leaves.variance
    if leaf.all():
        j = kids
        obs, app = leaves.shares(j)
        lv = None if var is None else var[..., j]
        return [(leaves.S[..., j], w, leaves.present[..., j], obs, app, app if pure else None, lv)]
    if w.ndim == 1:
        columns = [
            (
                leaves.S[:, c],
                leaves.observed[:, c],
                leaves.applies[:, c],
                leaves.applies[:, c] if pure else None,
                None if var is None else var[:, c],
            )
            if c < m
            else (
                nodes.value[c - m],
                *nodes.shares(c - m, track),
                nodes.share[c - m] if pure else None,
                nodes.variance.get(c - m),
            )
            for c in kids.tolist()
        ]
        values, observed, applies = (
            _columns([cast(NDArray[Any], col[i]) for col in columns]) for i in range(3)
        )
        share, spread = (
            _columns([cast(NDArray[Any], col[i]) for col in columns]) if wanted else None
            for i, wanted in ((3, pure), (4, var is not None))
        )
        return [(values, w, ~np.isnan(values), observed, applies, share, spread)]
    j = kids[leaf]
    sub = (kids[~leaf] - m).tolist()

    def per_draw(store: dict[int, FloatArray]) -> FloatArray:
        return np.moveaxis(np.stack([store[g].T for g in sub]), 0, -1)

    child = per_draw(nodes.value)
    observed, applies = (
        [np.moveaxis(np.stack([s.T for s in store]), 0, -1) for store in nodes.stacks(sub)]
        if track
        else [child, child]
    )
    obs, app = leaves.shares(j)
    return [
        (leaves.S[..., j], w[leaf], leaves.present[..., j], obs, app, app if pure else None, None),
        (
            child,
            w[~leaf],
            ~np.isnan(child),
            observed,
            applies,
            per_draw(nodes.share) if pure else None,
            None,
        ),
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
    out_share: FloatArray | None = None,
) -> None:
    """Group scores, coverage (and applicable shares) of one block of rows, written out.

    A block with every cell observed and applicable takes one product with the effective
    weights ``W`` (arithmetic mean); any other block goes level by level (:func:`tree_pass`).
    """
    if method == "arithmetic" and (applicable is None or applicable.all()):
        np.matmul(s, W, out=out_scores)
        # NaN propagates through the product (NaN * 0 is NaN): none left means every cell of
        # the block was observed, and the product is the whole answer.
        if not np.isnan(out_scores).any():
            out_cover.fill(1.0)
            if out_share is not None:
                out_share.fill(1.0)
            return
    done = tree_pass(
        s,
        tree,
        tree.weights,
        geometric=method == "geometric",
        propagate=missing == "propagate",
        applicable=applicable,
        coverage=True,
        shares=out_share is not None,
    )
    out_scores[:] = done.scores
    out_cover[:] = done.coverage
    if out_share is not None:
        out_share[:] = done.applicable
