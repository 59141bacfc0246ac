"""Coverage per node: what applies to a row, what was observed, and why a group is not assessed.

Every group of an evaluated row carries two numbers (:attr:`EvaluationResult.applicable` and
:attr:`EvaluationResult.coverage`): the share of the group's weight that applies to the row
(its indicators that are neither not applicable nor outside the row's phase, weighted by their
effective weights within the group), and the share of that applicable weight that was
observed. A group is *not assessed* where its applicable share is below its minimum
(``min_applicable`` in the system, else the scoring option), whatever was observed.

Examples
--------
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> part = {r["node"]: r for r in result.node_coverage("HJ03", "t0")}["participation"]
>>> part["status"], round(part["applicable"], 2), part["reason"]
('scored', 0.59, None)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from renoscore._vocabulary import reason_text

if TYPE_CHECKING:
    from renoscore.result.model import EvaluationResult

__all__ = ["group_minimums", "node_coverage"]

#: A share this close below a minimum counts as reaching it (as in the tree kernel).
_TOL = 1e-12


def group_minimums(result: EvaluationResult) -> list[float]:
    """The minimum applicable share of every group (goal first) the result was scored with."""
    default = result.provenance.options.min_applicable
    return [default if g.min_applicable is None else g.min_applicable for g in result.system.groups]


def node_coverage(result: EvaluationResult, row: int) -> list[dict[str, Any]]:
    """Every group of one row: score, applicable share, coverage, minimum, status and reason.

    Parameters
    ----------
    result : EvaluationResult
    row : int
        The row (:meth:`EvaluationResult.row`).

    Returns
    -------
    list of dict
        One record per group, goal first, in the system's order.
    """
    out: list[dict[str, Any]] = []
    for k, (group, minimum) in enumerate(
        zip(result.system.groups, group_minimums(result), strict=True)
    ):
        score = float(result.group_scores[row, k])
        share = result.applicable_share(row, k)
        cover = float(result.coverage[row, k])
        status, reason = _status(score, share, cover, minimum)
        given = result.reasons[row]
        if k == 0 and math.isnan(score) and given is not None:
            reason = given
            if given.startswith("progress check"):
                status = "progress check"
        out.append(
            {
                "node": group.id,
                "score": None if math.isnan(score) else score,
                "applicable": share,
                "coverage": None if math.isnan(cover) else cover,
                "minimum": minimum,
                "status": status,
                "reason": reason,
            }
        )
    return out


def _status(score: float, share: float, cover: float, minimum: float) -> tuple[str, str | None]:
    """Why a group has its score or none: scored, not assessed, not applicable, not observed."""
    if share <= 0.0:
        return "not applicable", "no indicator of the group applies to this row"
    if minimum > 0 and share < minimum - _TOL:
        shown = round(share, 12)
        return (
            "not assessed",
            reason_text("group_not_assessed", share=f"{shown:.0%}", minimum=f"{minimum:.0%}"),
        )
    if math.isnan(score):
        if not cover > 0:
            return "not observed", "no applicable indicator was observed"
        return "not scored", None
    return "scored", None
