"""Checks shared by the aggregations: the missing-data policy and the weights of each node.

The local weights of a tree, one weighting or a stack of weight draws, are checked by
:func:`draw_count`, for the tree mean and for the uncertainty analysis alike.

Every aggregation takes weights that are non-negative and sum to 1 per node, and one of two
policies for NaN cells; these checks list every bad entry at once. Nothing here is public API.

Examples
--------
>>> node_weights([0.25, 0.75], 2, None)[0][:, 0]
array([0.25, 0.75])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from renoscore._kernels import FloatArray, column_name
from renoscore.errors import OptionError, Problem, WeightsError

if TYPE_CHECKING:
    from renoscore.aggregate.tree import Tree

__all__ = [
    "WEIGHT_SUM_TOL",
    "Missing",
    "check_missing",
    "check_tree_options",
    "draw_count",
    "node_weights",
    "weight_vector",
]

#: How NaN cells are treated by the aggregations.
Missing: TypeAlias = Literal["propagate", "renormalize"]


#: Weights must sum to 1 within this tolerance.
WEIGHT_SUM_TOL = 1e-9


def check_missing(missing: str) -> None:
    """Refuse a missing-data policy other than ``"propagate"`` or ``"renormalize"``."""
    if missing not in ("propagate", "renormalize"):
        raise OptionError(
            "unknown missing-data policy",
            [Problem("missing must be 'propagate' or 'renormalize'", value=missing)],
        )


def node_weights(
    W: ArrayLike, n_indicators: int, labels: Sequence[str] | None
) -> tuple[FloatArray, bool]:
    """Validate node weights; return them as (M, K) and whether the input was a vector."""
    try:
        arr = np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise WeightsError("weights must be numeric", [Problem(str(exc))]) from exc
    vector = arr.ndim == 1
    mat = arr.reshape(-1, 1) if vector else arr
    if mat.ndim != 2 or mat.shape[0] != n_indicators or mat.shape[1] == 0:
        raise WeightsError(
            "weights do not match the indicators",
            [
                Problem(
                    f"weights have shape {arr.shape}, expected ({n_indicators},) or "
                    f"({n_indicators}, K)",
                    fix="give one weight per column of the score matrix",
                )
            ],
        )
    problems: list[Problem] = []
    rows, cols = np.nonzero(~np.isfinite(mat) | (mat < 0))
    for j, k in zip(rows, cols, strict=True):
        problems.append(
            Problem(
                "weight must be finite and non-negative",
                column=column_name(int(j), labels),
                path=None if vector else f"node {int(k)}",
                value=float(mat[j, k]),
            )
        )
    sums = mat.sum(axis=0)
    for k in np.flatnonzero(~(np.abs(sums - 1.0) <= WEIGHT_SUM_TOL)):
        problems.append(
            Problem(
                f"weights sum to {float(sums[k]):.12g}, not 1 (tolerance {WEIGHT_SUM_TOL:g})",
                fix="normalise the weights of each node to sum to 1",
                path=None if vector else f"node {int(k)}",
            )
        )
    if problems:
        raise WeightsError("invalid weights", problems)
    return np.ascontiguousarray(mat), vector


def weight_vector(
    weights: ArrayLike, n_indicators: int, labels: Sequence[str] | None
) -> FloatArray:
    """Validate the weights of one node, given as a vector; return them as shape (M,)."""
    w, vector = node_weights(weights, n_indicators, labels)
    if not vector:
        raise WeightsError(
            "weights must be a vector",
            [Problem(f"got shape {np.shape(weights)}", fix=f"pass shape ({n_indicators},)")],
        )
    return w[:, 0]


def check_tree_options(method: str, missing: str) -> None:
    """Refuse a tree mean other than arithmetic/geometric, or an unknown missing policy."""
    if method not in ("arithmetic", "geometric"):
        raise OptionError(
            f"unknown aggregation {method!r}", [Problem("use arithmetic or geometric")]
        )
    if missing not in ("renormalize", "propagate"):
        raise OptionError(
            f"unknown missing policy {missing!r}", [Problem("use renormalize or propagate")]
        )


def draw_count(weights: Sequence[FloatArray], tree: Tree) -> int:
    """0 for one weighting (a vector per group), else the number of draws C.

    Every group needs its local weights: ``(children,)`` for one weighting or
    ``(C, children)`` for C draws, the same C for every group.
    """
    problems: list[Problem] = []
    if len(weights) != len(tree.children):
        raise OptionError(
            "one local-weight array per group is needed",
            [Problem(f"{len(weights)} arrays for {len(tree.children)} groups")],
        )
    counts = {w.shape[0] if w.ndim == 2 else 0 for w in weights}
    for k, (w, kids) in enumerate(zip(weights, tree.children, strict=True)):
        if w.ndim not in (1, 2) or w.shape[-1] != kids.size:
            problems.append(Problem(f"group {k}: weights {w.shape}, expected (C, {kids.size})"))
    if problems or len(counts) != 1:
        problems.append(Problem(f"draw counts per group: {sorted(counts)}"))
        raise OptionError("local weights do not fit the tree", problems)
    return counts.pop()
