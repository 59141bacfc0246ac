"""A result's tables as columns: whole arrays, no Python object per cell.

:meth:`~renoscore.result.EvaluationResult.records` builds one dict per row, which is what a
JSON document or a printed table wants; a DataFrame wants columns. The columns here hold the
same values as the records (None where a record holds None: NaN in a float column, None in a
text column), in the same order, and are built from the result's arrays in a few numpy calls
per column: the wide table of 220,000 communities x 39 indicators in a fraction of a second
instead of ten million Python objects.

Examples
--------
>>> import renoscore as rs
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> cols = wide_columns(r)
>>> list(cols)[:8]
['community_id', 'phase', 'score', 'rank', 'grade', 'applicable', 'coverage', 'reason']
>>> rec = r.records()[4]
>>> [cols[k][4] for k in ("community_id", "grade", "reason")] == [
...     rec["community_id"], rec["grade"], rec["reason"]]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._labels import label_codes
from renoscore._optional import import_optional
from renoscore.data import CellStatus

if TYPE_CHECKING:
    from renoscore.result.model import EvaluationResult

__all__ = ["frame_of", "long_columns", "row_records", "wide_columns"]

Column = NDArray[Any]


def _labels(result: EvaluationResult, name: str) -> Column:
    """A row-label field (ids, phases, reasons) as an object array of str or None."""
    codes = label_codes(result, name)
    labels = np.empty(len(codes.labels), dtype=object)
    labels[:] = codes.labels
    return labels[codes.codes]


def _grade_names(result: EvaluationResult, grades: NDArray[np.integer[Any]], lang: str) -> Column:
    names = np.array([g.name.get(lang) for g in result.system.grades] + [None], dtype=object)
    return names[np.where(grades >= 0, grades, -1)]


def wide_columns(result: EvaluationResult, lang: str = "en") -> dict[str, Column]:
    """The columns of :meth:`EvaluationResult.records`, in its order.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of the grade names.

    Returns
    -------
    dict of str to ndarray
        ``community_id, phase, score, rank, grade, applicable, coverage, reason``, every
        sub-group's score, then ``score_<indicator>`` for every indicator.
    """
    groups = np.asarray(result.group_scores, dtype=np.float64)
    cols: dict[str, Column] = {
        "community_id": np.asarray(result.id_array).astype(object),
        "phase": _labels(result, "phases"),
        "score": groups[:, 0],
        "rank": np.asarray(result.overall_rank, dtype=np.float64),
        "grade": _grade_names(result, np.asarray(result.grades)[:, 0], lang),
        "applicable": result.applicable_shares()[:, 0].astype(np.float64),
        "coverage": np.asarray(result.coverage, dtype=np.float64)[:, 0],
        "reason": _labels(result, "reasons"),
    }
    for k, g in enumerate(result.group_ids[1:], start=1):
        cols[g] = groups[:, k]
    scores = np.asarray(result.indicator_scores, dtype=np.float64)
    for j, ind in enumerate(result.system.indicator_ids):
        cols[f"score_{ind}"] = scores[:, j]
    return cols


def frame_of(columns: dict[str, Column]) -> Any:
    """A pandas DataFrame of ``columns`` that owns its numbers: the float columns copied
    once into one column-major array, whose columns the frame then holds without another
    copy or consolidation (the result's own arrays stay read-only and untouched)."""
    pd = import_optional("pandas", "EvaluationResult.to_frame")
    floats = [k for k, col in columns.items() if col.dtype.kind == "f"]
    n = len(next(iter(columns.values()))) if columns else 0
    block = np.empty((n, len(floats)), dtype=np.float64, order="F")
    owned = dict(columns)
    for i, key in enumerate(floats):
        block[:, i] = columns[key]
        owned[key] = block[:, i]
    return pd.DataFrame(owned, copy=False)


def row_records(columns: dict[str, Column], keep_nan: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One dict per row of ``columns``, NaN given as None (except in ``keep_nan``): each
    column is turned into Python values once, then the rows are zipped.

    Examples
    --------
    >>> row_records({"id": np.array(["A", "B"], dtype=object), "s": np.array([1.5, np.nan])})
    [{'id': 'A', 's': 1.5}, {'id': 'B', 's': None}]
    """
    lists = []
    for name, col in columns.items():
        if col.dtype.kind == "f" and name not in keep_nan:
            values = col.astype(object)
            values[np.isnan(col)] = None
            lists.append(values.tolist())
        else:
            lists.append(col.tolist())
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*lists, strict=True)]


def long_columns(result: EvaluationResult) -> dict[str, Column]:
    """The columns of :meth:`EvaluationResult.long_records`, in its order: for every row its
    groups, then its indicators.

    Returns
    -------
    dict of str to ndarray
        ``community_id, phase, node, kind, score, rank, grade, applicable, coverage``.
    """
    n, k = result.group_scores.shape
    m = len(result.system.indicator_ids)
    width = k + m

    def per_row(group: Column, indicator: Column) -> Column:
        """Interleave a row's group values with its indicator values, row after row."""
        out = np.empty((n, width), dtype=np.result_type(group, indicator))
        out[:, :k] = group
        out[:, k:] = indicator
        return out.reshape(-1)

    status = np.asarray(result.status)
    nodes = np.array([*result.group_ids, *result.system.indicator_ids], dtype=object)
    kinds = np.array(["group"] * k + ["indicator"] * m, dtype=object)
    none = np.full((n, m), np.nan)  # an indicator has no rank and no grade
    return {
        "community_id": np.repeat(np.asarray(result.id_array).astype(object), width),
        "phase": np.repeat(_labels(result, "phases"), width),
        "node": np.tile(nodes, n),
        "kind": np.tile(kinds, n),
        "score": per_row(
            np.asarray(result.group_scores, dtype=np.float64),
            np.asarray(result.indicator_scores, dtype=np.float64),
        ),
        "rank": per_row(np.asarray(result.ranks, dtype=np.float64), none),
        # A group's grade index (-1: none), NaN for an indicator: the float column pandas
        # makes of the records' ints and Nones.
        "grade": per_row(np.asarray(result.grades, dtype=np.float64), none),
        "applicable": per_row(
            result.applicable_shares().astype(np.float64),
            np.where(status == CellStatus.NOT_APPLICABLE, 0.0, 1.0),
        ),
        "coverage": per_row(
            np.asarray(result.coverage, dtype=np.float64),
            np.where(status == CellStatus.OK, 1.0, 0.0),
        ),
    }
