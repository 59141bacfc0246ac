"""A result as tables: scores, ranks, the fix-first ledger, weights, provenance, comparison.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.io.tables import result_tables
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> ranks = result_tables(r, lang="zh")["ranks"]
>>> list(ranks[0])[:3]
['小区编号', '阶段', '小区综合评价排名']

In Chinese (``lang="zh"``) every header, and every coded value (category, supplier, status,
method, yes/no), is Chinese; see :mod:`renoscore.io._localize`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._vocabulary import unit_label
from renoscore.data import CellStatus
from renoscore.io._localize import localized_columns, localized_table
from renoscore.io._records import Records, clean_value
from renoscore.result._frame import wide_columns
from renoscore.system import Category, IndicatorSystem

if TYPE_CHECKING:
    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult

__all__ = ["TABLES", "fix_first_table", "result_tables", "scores_columns"]

#: The tables of a result, in sheet order.
TABLES: tuple[str, ...] = ("scores", "ranks", "fix_first", "weights", "provenance")


def fix_first_table(result: EvaluationResult, *, top: int | None = 10, lang: str = "en") -> Records:
    """The fix-first list (问题台账) of every scored row, as one long table.

    The same ordering and numbers as :meth:`EvaluationResult.fix_first` (gap ``1 - s``,
    priority = global weight x gap, obstacle degree = priority / sum of priorities, the
    obstacle-degree model of e.g. Yang et al. 2014; unmet basic items first, 国办发〔2020〕23号),
    computed for all rows at once.

    Parameters
    ----------
    result : EvaluationResult
    top : int or None
        Lines per row (None: every indicator).
    lang : {"en", "zh"}
        Language of the names, units, headers and coded values.

    Returns
    -------
    list of dict
        ``community_id, phase, order, indicator, name, dimension, category, supplier, value,
        target, unit, score, gap, global_weight, obstacle, must_fix, status`` (in Chinese with
        ``lang="zh"``: ``小区编号, 阶段, 序号, 指标编号, 指标名称, ...``).

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> rows = fix_first_table(r, top=3)
    >>> [x["indicator"] for x in rows if x["community_id"] == "LY" and x["phase"] == "t0"] == [
    ...     i.indicator for i in r.fix_first("LY", "t0", top=3)]
    True
    """
    system = result.system
    w = result.weights.indicator_weights()
    s = result.indicator_scores / 100.0
    gap = 1.0 - s
    priority = w[None, :] * gap
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(priority, axis=1, keepdims=True)
        obstacle = np.where(total > 0, priority / total, np.where(np.isnan(priority), np.nan, 0.0))
    basic = np.array([ind.category is Category.BASIC for ind in system.indicators])
    measured = ~np.isnan(s)
    must = measured & basic[None, :] & (gap > 1e-12)
    # Sort key as in EvaluationResult.fix_first: must-fix first, then by obstacle descending,
    # unmeasured last; ties keep the system's indicator order (a stable sort).
    klass = np.where(~measured, 2, np.where(must, 0, 1))
    key_obstacle = np.where(measured, -np.nan_to_num(obstacle, nan=0.0), 0.0)
    m = len(system.indicators)
    cols = np.broadcast_to(np.arange(m), s.shape)
    order = np.lexsort((cols, key_obstacle, klass), axis=1)
    if top is not None:
        order = order[:, :top]
    dims = [system.dimension_of(i) for i in system.indicator_ids]
    scored = ~np.isnan(result.group_scores[:, 0])
    out: Records = []
    for r in np.flatnonzero(scored).tolist():
        for k, j in enumerate(order[r].tolist(), start=1):
            ind = system.indicators[j]
            out.append(
                {
                    "community_id": result.ids[r],
                    "phase": result.phases[r],
                    "order": k,
                    "indicator": ind.id,
                    "name": ind.name.get(lang),
                    "dimension": dims[j],
                    "category": ind.category.value,
                    "supplier": ind.supplier.value,
                    "value": clean_value(result.values[r, j]),
                    "target": ind.goalposts.target,
                    "unit": unit_label(ind, lang),
                    "score": clean_value(result.indicator_scores[r, j]),
                    "gap": clean_value(gap[r, j]),
                    "global_weight": float(w[j]),
                    "obstacle": clean_value(obstacle[r, j]),
                    "must_fix": bool(must[r, j]),
                    "status": CellStatus(int(result.status[r, j])).name.lower(),
                }
            )
    return localized_table("fix_first", out, system, lang)


def _scores_table(result: EvaluationResult, lang: str) -> Records:
    records = result.records(lang)
    out: Records = []
    for r, rec in enumerate(records):
        row = {"community_id": rec.pop("community_id"), "phase": rec.pop("phase")}
        row.update({k: clean_value(v[r]) for k, v in result.context.items() if k not in row})
        row.update(rec)
        out.append(row)
    return out


def scores_columns(result: EvaluationResult, lang: str = "en") -> dict[str, NDArray[Any]]:
    """The ``scores`` table of :func:`result_tables` as columns (no object per cell): the
    same headers, order and values, NaN in a float column where the table holds None.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> list(scores_columns(r)) == list(result_tables(r, only=["scores"])["scores"][0])
    True
    """
    cols = wide_columns(result, lang)
    out = {"community_id": cols.pop("community_id"), "phase": cols.pop("phase")}
    for key, values in result.context.items():
        if key not in out:
            column = np.empty(len(values), dtype=object)
            column[:] = [clean_value(v) for v in values]
            out[key] = column
    out.update(cols)
    return localized_columns("scores", out, result.system, lang, tuple(result.context))


def _ranks_table(result: EvaluationResult, lang: str) -> Records:
    names = [g.name.get(lang) for g in result.system.grades]
    out: Records = []
    for r in range(len(result.ids)):
        row: dict[str, Any] = {"community_id": result.ids[r], "phase": result.phases[r]}
        for k, g in enumerate(result.group_ids):
            row[f"rank_{g}"] = clean_value(result.ranks[r, k])
        for k, g in enumerate(result.group_ids):
            grade = int(result.grades[r, k])
            row[f"grade_{g}"] = None if grade < 0 else names[grade]
        out.append(row)
    return out


def _weights_table(result_or_weights: Any, system: IndicatorSystem, lang: str) -> Records:
    weights = getattr(result_or_weights, "weights", result_or_weights)
    out: Records = []
    for row in weights.table():
        nw = weights.nodes[row["parent"]]
        node = system.node(row["node"])
        out.append(
            {
                "parent": row["parent"],
                "node": row["node"],
                "name": node.name.get(lang),
                "kind": "indicator" if node.is_indicator else "group",
                "method": row["method"],
                "local": row["local"],
                "global": row["global"],
                "parent_cr": nw.cr,
                "parent_cr_acceptable": nw.acceptable,
            }
        )
    return out


def _flatten(prefix: str, value: Any, out: Records) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (list, tuple)):
        out.append({"key": prefix, "value": json.dumps(value, ensure_ascii=False)})
    else:
        out.append({"key": prefix, "value": value})


def _provenance_table(result: EvaluationResult) -> Records:
    prov = result.full_provenance().model_dump(mode="json")  # with the data digest
    weights = prov.pop("weights")
    out: Records = []
    _flatten("", prov, out)
    _flatten("weights.provenance", weights.get("provenance", {}), out)
    out.append({"key": "weights.system_id", "value": weights.get("system_id")})
    out.append({"key": "system.name_en", "value": result.system.name.en})
    out.append({"key": "system.name_zh", "value": result.system.name.zh})
    out.append({"key": "rows", "value": len(result.ids)})
    for w in result.warnings:
        out.append({"key": "warning", "value": w})
    return out


def _comparison_table(comparison: PhaseComparison) -> Records:
    out: Records = []
    for rec in comparison.records():
        row = {"before_phase": comparison.before_phase, "after_phase": comparison.after_phase}
        row.update(rec)
        out.append(row)
    return out


def result_tables(
    result: EvaluationResult,
    *,
    lang: str = "en",
    fix_first_top: int | None = 10,
    comparison: PhaseComparison | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Records]:
    """Every table of a result (see the module docstring), keyed by table name.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of the headers, grade labels, names, units and coded values.
    fix_first_top : int or None
        Lines of the fix-first list per row.
    comparison : PhaseComparison, optional
        Adds a ``comparison`` table.
    only : collection of str, optional
        Build only these tables (a writer of one table does not pay for the others: the
        fix-first list alone costs more than the scores).

    Returns
    -------
    dict of str to list of dict

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> list(result_tables(r))
    ['scores', 'ranks', 'fix_first', 'weights', 'provenance']
    >>> list(result_tables(r, only=["ranks"]))
    ['ranks']
    """
    context = tuple(result.context)

    def local(table: str, records: Records) -> Records:
        return localized_table(
            table, records, result.system, lang, context if table == "scores" else ()
        )

    builders: dict[str, Callable[[], Records]] = {
        "scores": lambda: local("scores", _scores_table(result, lang)),
        "ranks": lambda: local("ranks", _ranks_table(result, lang)),
        "fix_first": lambda: fix_first_table(result, top=fix_first_top, lang=lang),
        "weights": lambda: local("weights", _weights_table(result, result.system, lang)),
        "provenance": lambda: local("provenance", _provenance_table(result)),
    }
    if comparison is not None:
        cmp = comparison
        builders["comparison"] = lambda: local("comparison", _comparison_table(cmp))
    return {name: build() for name, build in builders.items() if only is None or name in only}
