"""What happens to missing cells before scoring: an error listing them, or imputation.

Not-applicable cells are always excluded (by re-normalisation in the tree mean); missing cells
follow the missing-data policy of the :class:`~renoscore._options.ScoringOptions`: ``error``
lists every one, ``impute_mean`` / ``impute_median`` fill them from the observed cells of the
column (within a context column, if given), ``renormalize`` leaves them to the tree mean.

Examples
--------
>>> import renoscore as rs
>>> from renoscore._options import ScoringOptions
>>> data = rs.example_data()
>>> cells = cells_to_score(data, ScoringOptions(missing="impute_mean"))
>>> int(cells.imputed.sum()) == int((data.status == rs.CellStatus.MISSING).sum())
True
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from renoscore._calling import argument
from renoscore._options import ScoringOptions
from renoscore.data import CellStatus, CommunityData
from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = ["Cells", "cells_to_score", "impute"]


class Cells(NamedTuple):
    """The values to score, which of them were imputed, and where indicators apply."""

    values: NDArray[np.float64]
    imputed: NDArray[np.bool_]
    applicable: NDArray[np.bool_] | None


def cells_to_score(data: CommunityData, options: ScoringOptions) -> Cells:
    """The data's values with the missing-data policy applied.

    Raises
    ------
    DataValidationError
        With ``missing="error"``, listing every missing cell; or nothing to impute from.
    OptionError
        ``impute_by`` is not a context column.
    """
    X = data.values
    status = data.status
    imputed: NDArray[np.bool_] = np.broadcast_to(np.False_, X.shape)
    applicable: NDArray[np.bool_] | None = None
    # One read of the int8 status matrix (an eighth of the values) settles the usual case,
    # complete data; the per-cell masks are built only when some cell is not OK.
    if status.any():
        is_missing = status == CellStatus.MISSING
        if is_missing.any():
            if options.missing == "error":
                raise _missing_cells_error(data, is_missing)
            if options.missing in ("impute_mean", "impute_median"):
                X, imputed = impute(X, is_missing, data, options.missing, options.impute_by)
        not_applicable = status == CellStatus.NOT_APPLICABLE
        if not_applicable.any():
            applicable = ~not_applicable
    return Cells(X, imputed, applicable)


def _missing_cells_error(data: CommunityData, is_missing: NDArray[np.bool_]) -> DataValidationError:
    """Every missing cell, located, with the policies that would accept it."""
    rows, cols = np.nonzero(is_missing)
    return DataValidationError(
        f"{rows.size} missing cell(s); choose a missing-data policy",
        [
            Problem(
                "missing value",
                row=int(r) + 1,
                community_id=str(data.id_array[r]),
                column=data.indicator_ids[c],
                fix="fill it, mark it n/a if it does not apply, or evaluate(..., missing='renormalize' | 'impute_mean' | 'impute_median')",
            )
            for r, c in zip(
                rows.tolist(),
                cols.tolist(),
                strict=True,
            )
        ],
    )


def impute(
    X: NDArray[np.float64],
    is_missing: NDArray[np.bool_],
    data: CommunityData,
    policy: str,
    by: str | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Missing cells filled with the column mean or median of the observed cells (per group).

    Returns the filled values and the mask of imputed cells.
    """
    stat = np.nanmean if policy == "impute_mean" else np.nanmedian
    observed = np.where(data.status == CellStatus.OK, X, np.nan)
    filled = X.copy()
    if by is None:
        groups = np.zeros(data.n, dtype=np.intp)
    else:
        if by not in data.context:
            raise OptionError(
                f"impute_by column {by!r} is not a context column",
                [Problem("unknown column", column=by, fix=f"use one of {sorted(data.context)}")],
            )
        _, groups = np.unique(np.array([str(v) for v in data.context[by]]), return_inverse=True)
    problems: list[Problem] = []
    for g in np.unique(groups):
        rows = groups == g
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # Sorted first, so the mean adds the same numbers in the same order whatever the
            # row order of the table (a median does not depend on it anyway).
            centre = stat(np.sort(observed[rows], axis=0), axis=0)
        need = is_missing & rows[:, None]
        empty = need.any(axis=0) & np.isnan(centre)
        for c in np.flatnonzero(empty).tolist():
            problems.append(
                Problem(
                    "nothing observed to impute from",
                    column=data.indicator_ids[c],
                    fix=f"use {argument('missing', repr('renormalize'))}, or impute without "
                    "impute_by",
                )
            )
        filled = np.where(need, centre[None, :], filled)
    if problems:
        raise DataValidationError("cannot impute", problems)
    return filled, is_missing.copy()
