"""Discrimination: does an indicator still separate communities, or do they sit at a goalpost?

With goalpost scores (floor -> 0, target -> 100) a value at or beyond the target scores 100 and
a value at or below the floor scores 0: a community there is not told apart from another one
there. Per indicator and phase, the share of the observed communities at the floor and at the
target; an indicator is *saturated* when more than ``max_share`` (default one half) are at the
target, *floor-bound* when more than that are at the floor, and *constant* when every observed
value is the same: it no longer separates most communities, and its weight moves nobody's rank
(OECD/JRC 2008, step 4: indicators with little variation add nothing to the ranking).

The shares come from two comparisons of each block of rows with the goalposts (in cache), and
per phase from column sums (one phase) or a product with the phase indicator matrix.

References
----------
OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.
OECD Publishing, Paris.
UNDP (2010). Human Development Report 2010, technical notes (goalposts: fixed minimum and
maximum values that bound an indicator's dimension index).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore._kernels import BLOCK_ELEMENTS, column_counts, column_reduce, row_blocks

__all__ = ["MAX_SHARE", "Discrimination", "discrimination"]

FloatArray = NDArray[np.float64]

#: Share of communities at one goalpost above which an indicator is flagged.
MAX_SHARE = 0.5


@dataclass(frozen=True, eq=False)
class Discrimination:
    """Shares at the goalposts by phase (see :func:`discrimination`).

    Attributes
    ----------
    observed : ndarray of int64, shape (P, M)
        Observed values per phase and indicator.
    at_floor, at_target : ndarray, shape (P, M)
        Share of the observed values at or beyond the floor / the target (NaN: none observed).
    distinct : ndarray of int64, shape (P, M)
        Distinct observed values (capped at 2: 0 none, 1 constant, 2 more).
    """

    observed: NDArray[np.int64]
    at_floor: FloatArray
    at_target: FloatArray
    distinct: NDArray[np.int64]

    def saturated(self, max_share: float = MAX_SHARE) -> NDArray[np.bool_]:
        """More than ``max_share`` of the observed communities at the target."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.at_target > max_share, dtype=bool)

    def floor_bound(self, max_share: float = MAX_SHARE) -> NDArray[np.bool_]:
        """More than ``max_share`` of the observed communities at the floor."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.at_floor > max_share, dtype=bool)

    def constant(self) -> NDArray[np.bool_]:
        """Every observed value the same (at least two observed)."""
        return np.asarray((self.distinct == 1) & (self.observed >= 2), dtype=bool)


def discrimination(
    X: NDArray[np.float64],
    floor: NDArray[np.float64],
    target: NDArray[np.float64],
    phase_codes: NDArray[np.intp],
    n_phases: int,
    extremes: tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> Discrimination:
    """Share of each phase's observed values at the floor and at the target of each indicator.

    Parameters
    ----------
    X : ndarray, shape (N, M)
        Values, NaN where not observed.
    floor, target : ndarray, shape (M,)
        Goalposts; a cost indicator has ``floor > target``.
    phase_codes : ndarray of int, shape (N,)
    n_phases : int
    extremes : (n, min, max), optional
        Observed count, minimum and maximum of each column, when there is one phase and the
        caller has them (e.g. from :func:`~renoscore.audit.distribution.column_stats`).

    Returns
    -------
    Discrimination

    Examples
    --------
    >>> X = np.array([[0.0, 150.0], [0.0, 200.0], [0.4, 90.0], [np.nan, 300.0]])
    >>> d = discrimination(X, np.array([0.0, 0.0]), np.array([1.0, 150.0]), np.zeros(4, int), 1)
    >>> d.at_floor.round(3).tolist(), d.at_target.tolist()
    ([[0.667, 0.0]], [[0.0, 0.75]])
    >>> d.floor_bound().tolist(), d.saturated().tolist()
    ([[True, False]], [[False, True]])
    """
    n_rows, m = X.shape
    sign = np.where(target >= floor, 1.0, -1.0)  # a cost indicator compares the other way
    low_at, high_at = floor * sign, target * sign
    if n_phases == 1 or n_rows == 0:
        one_hot = None
    else:
        one_hot = np.zeros((n_rows, n_phases), dtype=np.float32)
        one_hot[np.arange(n_rows), phase_codes] = 1.0
    counts = np.zeros((3, n_phases, m))
    known = extremes is not None and one_hot is None
    lo = np.full((n_phases, m), np.inf)
    hi = np.full((n_phases, m), -np.inf)
    buf = np.empty((min(n_rows, max(1, BLOCK_ELEMENTS // max(m, 1))), m))
    for rows in row_blocks(n_rows, m):
        block = X[rows]
        t = np.multiply(block, sign, out=buf[: rows.stop - rows.start])
        with np.errstate(invalid="ignore"):
            marks = [t <= low_at, t >= high_at]  # NaN is neither
        if not known:
            marks.insert(0, ~np.isnan(block))
        if one_hot is None:
            for k, mark in enumerate(marks, start=3 - len(marks)):
                counts[k, 0] += column_counts(mark)
            if not known:
                np.fmin(lo[0], column_reduce(np.fmin, block), out=lo[0])
                np.fmax(hi[0], column_reduce(np.fmax, block), out=hi[0])
        else:
            part = one_hot[rows].T
            for k, mark in enumerate(marks):
                counts[k] += part @ mark.astype(np.float32)
    if known and extremes is not None:
        counts[0, 0] = extremes[0]
        lo[0] = np.where(extremes[0] > 0, extremes[1], np.inf)
        hi[0] = np.where(extremes[0] > 0, extremes[2], -np.inf)
    n_obs, low, high = counts
    with np.errstate(invalid="ignore", divide="ignore"):
        at_floor = np.where(n_obs > 0, low / n_obs, np.nan)
        at_target = np.where(n_obs > 0, high / n_obs, np.nan)
    if one_hot is None:
        distinct = np.where(np.isinf(lo), 0, np.where(lo == hi, 1, 2)).astype(np.int64)
    else:
        distinct = _distinct_by_phase(X, ~np.isnan(X), phase_codes, n_phases)
    return Discrimination(np.rint(n_obs).astype(np.int64), at_floor, at_target, distinct)


def _distinct_by_phase(
    X: NDArray[np.float64], observed: NDArray[np.bool_], codes: NDArray[np.intp], n_phases: int
) -> NDArray[np.int64]:
    """0, 1 or 2 (two or more) distinct observed values per phase and indicator (a loop over
    the few phases, each a column-wise min and max of its rows)."""
    out = np.zeros((n_phases, X.shape[1]), dtype=np.int64)
    for p in range(n_phases):
        rows = codes == p
        if not rows.any():
            continue
        seen = observed[rows]
        lo = np.where(seen, X[rows], np.inf).min(axis=0)
        hi = np.where(seen, X[rows], -np.inf).max(axis=0)
        out[p] = np.where(np.isinf(lo), 0, np.where(lo == hi, 1, 2))
    return out
