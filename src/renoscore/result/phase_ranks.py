"""Ranks within each phase: a community is ranked against the others of its own phase.

Examples
--------
>>> import numpy as np
>>> rank_within_phase(np.array([[3.0], [1.0], [2.0]]), ["t0", "t1", "t1"], "min", 1e-9)[:, 0]
array([1., 2., 1.])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from renoscore import ranking
from renoscore.data import PhaseCodes

__all__ = ["rank_within_phase"]


def rank_within_phase(
    scores: NDArray[np.float64],
    phases: Sequence[str | None] | PhaseCodes,
    method: str,
    tol: float,
) -> NDArray[np.float64]:
    """Rank each column of ``scores`` separately within each phase (1 = best, NaN unscored)."""
    pc = phases if isinstance(phases, PhaseCodes) else _codes_of(phases)
    if len(pc.labels) <= 1:
        return ranking.rank(scores, method=method, tol=tol)  # type: ignore[arg-type]
    ranks = np.full(scores.shape, np.nan)
    for k in range(len(pc.labels)):
        rows = np.flatnonzero(pc.codes == k)
        ranks[rows] = ranking.rank(scores[rows], method=method, tol=tol)  # type: ignore[arg-type]
    return ranks


def _codes_of(phases: Sequence[str | None]) -> PhaseCodes:
    index: dict[str | None, int] = {}
    codes = np.fromiter(
        (index.setdefault(p, len(index)) for p in phases), dtype=np.intp, count=len(phases)
    )
    return PhaseCodes(codes, tuple(index))
