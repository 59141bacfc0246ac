"""The renovation items of a phase: every unmet basic, improvement or upgrade indicator of
every scored community, with its quantity, cost, score gain and residents' willingness.

Both the problem ledger (:mod:`renoscore.programme.ledger`) and the budgeted plan
(:mod:`renoscore.programme.plan`) start from :func:`renovation_items`.

Residents' willingness
----------------------
Many cities admit a community to the programme only when its residents agree (e.g. two
thirds of the households for the plan, 双三分之二) and pay for management afterwards. Where
the data carry such measures, name them with ``willingness=``: each is a context column or
an indicator of the system whose values are shares in [0, 1] (in the default system
``p_plan_approval``, 改造方案同意率, and ``g_fee_collection``, 物业费收缴率; a context column
such as ``consent_share`` works the same way). A community's willingness ``w`` is the mean
of the named measures it has (1 when it has none: no data is not a refusal); the plan's value
of an item is ``gain x w``, and ``min_willingness`` turns the entry condition into a rule.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.programme import default_costs, renovation_items
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> items = renovation_items(r, default_costs(), phase="t0")
>>> items.n > 100, bool((items.cost[items.priced] > 0).all())
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import OptionError, Problem
from renoscore.programme.costs import CostTable, item_costs
from renoscore.programme.gains import score_gains
from renoscore.system import Category

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["RenovationItems", "default_phase", "renovation_items", "willingness_of"]


@dataclass(frozen=True)
class RenovationItems:
    """One entry per unmet renovation item of a scored community (arrays of one length).

    Attributes
    ----------
    result : EvaluationResult
    phase : str or None
    costs : CostTable
    row : int array
        The item's row in the result.
    indicator : int array
        The item's indicator (column of the result's arrays).
    quantity, cost, gain : float arrays
        Quantity of work, estimated cost (yuan; NaN when the cost table has no line for it or
        the data lack its basis) and the overall score gain (points) at target.
    willingness : float array
        The community's willingness (1 where the data have none).
    basic : bool array
        Basic-category item (基础类).
    willingness_columns : tuple of str
    """

    result: EvaluationResult
    phase: str | None
    costs: CostTable
    row: NDArray[np.intp]
    indicator: NDArray[np.intp]
    quantity: NDArray[np.float64]
    cost: NDArray[np.float64]
    gain: NDArray[np.float64]
    willingness: NDArray[np.float64]
    basic: NDArray[np.bool_]
    willingness_columns: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of items."""
        return int(self.row.size)

    @property
    def priced(self) -> NDArray[np.bool_]:
        """Items with a cost estimate."""
        return ~np.isnan(self.cost)

    def community_ids(self) -> NDArray[Any]:
        """The community id of each item."""
        return self.result.id_array[self.row]

    def context(self, column: str) -> list[Any]:
        """A context column's cell for each item (None when the data have no such column)."""
        cells = self.result.context.get(column)
        return [None] * self.n if cells is None else [cells[r] for r in self.row.tolist()]

    def indicator_ids(self) -> list[str]:
        """The indicator id of each item."""
        ids = self.result.system.indicator_ids
        return [ids[j] for j in self.indicator.tolist()]


def default_phase(result: EvaluationResult) -> str | None:
    """The phase a plan starts from: the first phase present in the system's phase order."""
    order = {p: k for k, p in enumerate(result.system.phase_ids)}
    present = list(dict.fromkeys(result.phases))
    present.sort(key=lambda p: -1 if p is None else order.get(p, len(order)))
    return present[0] if present else None


def willingness_of(
    result: EvaluationResult, rows: NDArray[np.intp], columns: Sequence[str]
) -> NDArray[np.float64]:
    """Residents' willingness of the rows: the mean of the named shares they have (else 1).

    Raises
    ------
    OptionError
        A name that is neither a context column nor an indicator, or a value outside [0, 1].
    """
    if not columns:
        return np.ones(rows.size)
    ids = result.system.indicator_ids
    table = np.full((rows.size, len(columns)), np.nan)
    problems: list[Problem] = []
    for k, name in enumerate(columns):
        if name in result.context:
            for i, r in enumerate(rows.tolist()):
                try:
                    table[i, k] = float(result.context[name][r])
                except (TypeError, ValueError):
                    continue
        elif name in ids:
            table[:, k] = result.values[rows, ids.index(name)]
            table[result.status[rows, ids.index(name)] != 0, k] = np.nan
        else:
            from renoscore._validation import suggest

            problems.append(
                Problem(
                    f"no context column or indicator {name!r} for willingness",
                    column=name,
                    fix=suggest(name, [*result.context, *ids]) or "name a share column",
                )
            )
            continue
        bad = (table[:, k] < 0) | (table[:, k] > 1)
        for i in np.flatnonzero(bad).tolist()[:20]:
            problems.append(
                Problem(
                    "willingness must be a share in [0, 1]",
                    column=name,
                    community_id=str(result.ids[rows[i]]),
                    value=float(table[i, k]),
                    fix="give shares such as 0.8 (80 %)",
                )
            )
    if problems:
        raise OptionError("invalid willingness columns", problems)
    present = ~np.isnan(table)
    count = present.sum(axis=1)
    total = np.where(present, table, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), 1.0)


def renovation_items(
    result: EvaluationResult,
    costs: CostTable,
    *,
    phase: str | None = "auto",
    willingness: Sequence[str] = (),
) -> RenovationItems:
    """Every unmet renovation item of the scored communities of one phase.

    Parameters
    ----------
    result : EvaluationResult
    costs : CostTable
        Checked against the result's system.
    phase : str, None or "auto"
        The phase the items come from; ``"auto"``: the first phase present (e.g. ``t0``,
        before renovation).
    willingness : sequence of str
        Context columns or indicator ids holding residents' willingness shares.

    Returns
    -------
    RenovationItems
        Ordered by community (the result's row order) then indicator (the system's order).

    Raises
    ------
    OptionError
        A phase with no rows, or whose rows have no overall score (a progress check).
    """
    costs.check(result.system)
    if phase == "auto":
        phase = default_phase(result)
    pc = result.phase_codes
    if phase is not None and phase not in pc.labels:
        raise OptionError(
            f"no rows in phase {phase!r}",
            [Problem("unknown phase", value=phase, fix=f"use one of {list(pc.labels)}")],
        )
    code = pc.labels.index(phase)
    in_phase = pc.codes == code
    rows = np.flatnonzero(in_phase & ~np.isnan(result.overall))
    if in_phase.any() and rows.size == 0:
        scored = [
            p for k, p in enumerate(pc.labels) if (~np.isnan(result.overall[pc.codes == k])).any()
        ]
        raise OptionError(
            f"no community of phase {phase!r} has an overall score",
            [
                Problem(
                    "a progress check or a phase with too little data: nothing to plan from",
                    value=phase,
                    fix=f"plan from a scored phase: one of {scored}",
                )
            ],
        )
    S = result.indicator_scores[rows] / 100.0
    renovation = np.array([i.category is not Category.NONE for i in result.system.indicators])
    gain = score_gains(result, rows, columns=np.flatnonzero(renovation))
    quantity, cost = item_costs(costs, result.system, result.values[rows], S, result.context, rows)
    unmet = (S < 1.0 - 1e-12) & renovation[None, :]
    r_idx, j_idx = np.nonzero(unmet)
    will = willingness_of(result, rows, willingness)
    basic = np.array([i.category is Category.BASIC for i in result.system.indicators])
    return RenovationItems(
        result=result,
        phase=phase,
        costs=costs,
        row=rows[r_idx],
        indicator=j_idx.astype(np.intp),
        quantity=quantity[r_idx, j_idx],
        cost=cost[r_idx, j_idx],
        gain=np.nan_to_num(gain[r_idx, j_idx], nan=0.0),
        willingness=will[r_idx],
        basic=basic[j_idx],
        willingness_columns=tuple(willingness),
    )


def district_codes(
    items: RenovationItems, column: str, caps: Mapping[str, float] | None
) -> tuple[NDArray[np.intp], NDArray[np.float64], list[str]]:
    """Cap group of each item (index into the caps; -1 without a cap), the caps, their names.

    Raises
    ------
    OptionError
        Caps given but the data have no ``column``, or a capped name that no community has.
    """
    if not caps:
        return np.full(items.n, -1, dtype=np.intp), np.zeros(0), []
    if column not in items.result.context:
        raise OptionError(
            "district caps need a district column",
            [Problem(f"no context column {column!r}", column=column, fix="add it to the data")],
        )
    names = list(caps)
    cells = items.context(column)
    known = set(items.result.context[column])
    problems = [
        Problem(
            f"no community is in {name!r}",
            column=column,
            value=name,
            fix=f"use one of {sorted(map(str, known))}",
        )
        for name in names
        if name not in known
    ]
    if problems:
        raise OptionError("unknown district in the caps", problems)
    index = {n: k for k, n in enumerate(names)}
    group = np.array([index.get(c, -1) for c in cells], dtype=np.intp)
    return group, np.array([float(caps[n]) for n in names]), names
