"""The score a community gains when an indicator reaches its target.

For community ``n`` and indicator ``j`` the gain is the rise of the overall score (0-100)
when the indicator's goalpost score ``s[n, j]`` is raised to 1 and nothing else changes::

    gain[n, j] = 100 * (A(s with s[n, j] := 1)[goal] - A(s)[goal])

with ``A`` the evaluation's own aggregation up the tree (:func:`renoscore.hierarchy.
aggregate_tree`, with the re-normalisation of missing cells the result used, its
not-applicable cells, and each group's minimum applicable share: a group not assessed for a
community stays out of its parent, as in the evaluation). For the
weighted arithmetic mean this is exactly ``100 * e[n, j] * (1 - s[n, j])`` with ``e[n, j]``
the community's effective weight of the indicator (the product of the local weights down the
tree, re-normalised over what was measured; Saaty 1980's distributive synthesis), and gains
of several items of one community add up. For the geometric mean they do not add up, and the
plan's sum of gains is a first-order estimate (a :class:`~renoscore.errors.PlanWarning` says
so).

The computation is one aggregation per indicator over all rows at once (no loop over
communities).

Examples
--------
>>> import numpy as np
>>> import renoscore as rs
>>> from renoscore.programme.gains import score_gains
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> rows = np.flatnonzero(np.array(r.phases) == "t0")
>>> g = score_gains(r, rows)
>>> g.shape == (rows.size, len(r.system.indicators)), bool(np.nanmin(g) >= 0)
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["TREE_AGGREGATIONS", "score_gains"]

#: Aggregations whose overall score is a function of the community's own scores up a tree.
TREE_AGGREGATIONS = ("arithmetic", "geometric")


def score_gains(
    result: EvaluationResult, rows: NDArray[np.intp], *, columns: NDArray[np.intp] | None = None
) -> NDArray[np.float64]:
    """Gain of the overall score (points, 0-100) when each indicator reaches its target.

    Parameters
    ----------
    result : EvaluationResult
        Scored with goalposts and a tree aggregation (arithmetic or geometric).
    rows : int array
        The rows of the result to compute (e.g. one phase).
    columns : int array, optional
        Only these indicators (others are NaN); default all.

    Returns
    -------
    ndarray, shape (len(rows), M)
        The gain; 0 where the indicator is at target, NaN where it was not measured or the row
        has no overall score.

    Raises
    ------
    OptionError
        A result scored with a batch-relative method (TOPSIS, grey relational, fuzzy) or
        min-max normalisation, where one community's gain depends on the others.

    Examples
    --------
    With the arithmetic mean the gain is the effective weight times the gap:

    >>> import numpy as np, renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> k = r.row("JS03", "t1")
    >>> g = score_gains(r, np.array([k]))[0]
    >>> w = r.weights.indicator_weights()
    >>> s = r.indicator_scores[k] / 100
    >>> bool(np.allclose(g, 100 * w * (1 - s), equal_nan=True))  # JS03 t1 measured everything
    True
    """
    from renoscore._cells import CellStatus
    from renoscore.hierarchy import aggregate_tree
    from renoscore.pipeline import system_tree

    prov = result.provenance
    if prov.aggregation not in TREE_AGGREGATIONS or prov.normalization != "goalposts":
        raise OptionError(
            "score gains need goalposts and a tree aggregation",
            [
                Problem(
                    f"the result was scored with {prov.normalization} and {prov.aggregation}",
                    fix="evaluate with normalization='goalposts' and aggregation='arithmetic' "
                    "(or 'geometric'): a community's gain must not depend on the others",
                )
            ],
        )
    tree = system_tree(result.system, result.weights, prov.options)
    method: Literal["arithmetic", "geometric"] = (
        "arithmetic" if prov.aggregation == "arithmetic" else "geometric"
    )
    S = result.indicator_scores[rows] / 100.0
    applies = result.status[rows] != CellStatus.NOT_APPLICABLE

    def overall(scores: NDArray[np.float64], mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        return aggregate_tree(scores, tree, method=method, applicable=mask)[0][:, 0]

    base = overall(S, applies)
    # a row the evaluation left unscored (coverage, a progress check) has no gain either
    base[np.isnan(result.overall[rows])] = np.nan
    gains = np.full(S.shape, np.nan)
    for j in range(S.shape[1]) if columns is None else columns.tolist():
        col = S[:, j]
        below = col < 1.0 - 1e-12  # NaN compares False: unmeasured cells stay out
        if not below.any():
            gains[:, j] = np.where(np.isnan(col) | np.isnan(base), np.nan, 0.0)
            continue
        raised = S[below].copy()
        raised[:, j] = 1.0
        after = overall(raised, applies[below])
        g = np.where(np.isnan(col) | np.isnan(base), np.nan, 0.0)
        g[below] = np.maximum(100.0 * (after - base[below]), 0.0)
        gains[:, j] = g
    return gains
