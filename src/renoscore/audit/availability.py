"""Data availability and screening: how much of each indicator, community and node is observed.

Availability is counted over the cells that *apply*: a not-applicable cell (``n/a``, or an
indicator not measured in the row's phase) is neither observed nor missing. Per phase, the
observed share of every indicator, of every community (row) and of every group of the tree
(the share of its applicable indicators observed, unweighted, as COINr's ``get_data_avail``
gives it per aggregation group).

Two rules of COINr (Becker et al. 2022): a community whose observed share is below
``dat_thresh`` (default 2/3, COINr's ``Screen`` with ``unit_screen = "byNA"``) is listed for
screening, and an indicator whose observed share is below ``t_avail`` (default 0.65, COINr's
``get_stats`` ``Flag.Avail``) is flagged. Everything is counted with a few matrix products of
the status matrix, never a loop over communities.

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. & Saisana, M. (2022).
COINr: an R package for developing composite indicators. Journal of Open Source Software
7(78), 4567.
OECD/JRC (2008). Handbook on Constructing Composite Indicators, step 3 (missing data).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus

__all__ = ["DAT_THRESH", "T_AVAIL", "Availability", "availability"]

FloatArray = NDArray[np.float64]

#: COINr's ``Screen`` threshold of a unit's data availability (2/3).
DAT_THRESH = 2.0 / 3.0
#: COINr's ``get_stats`` threshold of an indicator's data availability.
T_AVAIL = 0.65


@dataclass(frozen=True, eq=False)
class Availability:
    """Observed shares by phase (see :func:`availability`).

    Attributes
    ----------
    indicator : ndarray, shape (P, M)
        Observed share of each indicator among the rows of each phase where it applies (NaN
        where it applies to no row of the phase).
    indicator_applicable : ndarray of int64, shape (P, M)
        Rows of each phase where each indicator applies.
    row : ndarray, shape (N,)
        Observed share of each row's applicable cells (NaN when nothing applies).
    group : ndarray, shape (N, G)
        Per row, the observed share of each group's applicable indicators.
    """

    indicator: FloatArray
    indicator_applicable: NDArray[np.int64]
    row: FloatArray
    group: FloatArray


def availability(
    status: NDArray[np.int8],
    phase_codes: NDArray[np.intp],
    n_phases: int,
    membership: NDArray[np.bool_],
) -> Availability:
    """Observed shares per indicator and phase, per row, and per row and group.

    Parameters
    ----------
    status : ndarray of int8, shape (N, M)
        Cell statuses (:class:`~renoscore.data.CellStatus` codes).
    phase_codes : ndarray of int, shape (N,)
        Phase of each row as a code in ``range(n_phases)``.
    n_phases : int
    membership : ndarray of bool, shape (M, G)
        ``membership[j, g]``: indicator ``j`` lies under group ``g``.

    Returns
    -------
    Availability

    Examples
    --------
    >>> st = np.array([[0, 1], [0, 2], [1, 0]], dtype=np.int8)  # ok, missing, n/a
    >>> a = availability(st, np.array([0, 0, 1]), 2, np.ones((2, 1), dtype=bool))
    >>> a.indicator.tolist(), a.row.tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [0.5, 1.0, 0.5])
    """
    n_rows, m = status.shape
    member = membership.astype(np.float32)
    rows_per_phase = np.bincount(phase_codes, minlength=n_phases).astype(np.float64)
    if not status.any():  # every cell observed (CellStatus.OK is 0): nothing to count
        app_p = np.repeat(rows_per_phase[:, None], m, axis=1)
        some = member.sum(axis=0) > 0
        group = np.broadcast_to(np.where(some, 1.0, np.nan), (n_rows, member.shape[1]))
        indicator = np.where(app_p > 0, 1.0, np.nan)
        row = np.ones(n_rows) if m else np.full(n_rows, np.nan)
        return Availability(indicator, np.rint(app_p).astype(np.int64), row, group.copy())
    # Counts as float32 products: exact for up to 2**24 rows.
    ok = (status == CellStatus.OK).astype(np.float32)
    applies = (status != CellStatus.NOT_APPLICABLE).astype(np.float32)
    if n_phases == 1:
        ok_p, app_p = ok.sum(axis=0)[None, :], applies.sum(axis=0)[None, :]
    else:
        one_hot = np.zeros((n_rows, n_phases), dtype=np.float32)
        one_hot[np.arange(n_rows), phase_codes] = 1.0
        ok_p, app_p = one_hot.T @ ok, one_hot.T @ applies
    ok_g = ok @ member
    app_g = applies @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        indicator = np.where(app_p > 0, ok_p / app_p, np.nan).astype(np.float64)
        row_app = applies.sum(axis=1)
        row = np.where(row_app > 0, ok.sum(axis=1) / row_app, np.nan).astype(np.float64)
        group = np.where(app_g > 0, ok_g / app_g, np.nan).astype(np.float64)
    return Availability(indicator, np.rint(app_p).astype(np.int64), row, group)
