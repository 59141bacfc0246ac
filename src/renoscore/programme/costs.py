"""The cost table: what a renovation item needs in a community and what it costs.

A cost table (YAML, ``format: renoscore.costs/1``) has one line per renovation indicator:
the measure (整改措施), how the quantity of work follows from the community's shortfall and
size, the unit cost in yuan, the responsible unit (责任单位), the shares of the funding
sources (资金来源) and the source of the unit cost. The shipped table
(:func:`default_costs`) covers the renovation items of both shipped systems of the current
content release (the networks, the 23号 items and the services of release 2); the table of
release 1 is kept for ``old_community_renovation@1``, and ``default_costs(system)`` picks the
table of the release a system belongs to. Every figure names a published source or says
"stated default" with its reasoning.

For community ``n`` and indicator ``j`` with a cost line::

    quantity[n, j] = g[n, j] * factor_j * basis_j[n] / per_j
    cost[n, j]     = fixed_j + unit_cost_j * quantity[n, j]      (only where g > 0)

with ``g`` the shortfall: ``units`` (target - value, or value - target for a cost
indicator), ``share`` (1 - s, the goalpost gap) or ``whole`` (1 when below target).

Units go through the unit model of indicator systems (:mod:`renoscore.system.units`): a line's
``unit`` is the unit of its quantity of work (``households``, ``m2``, or ``count`` with a note
naming what is counted, ``{code: count, note: {en: lifts, zh: 电梯}}``), shown in the ledger's
计量单位 column in the reader's language; ``unit_cost`` and ``fixed`` are yuan, written as a
number or as an amount with a money unit of the same model (``60万元``, ``0.5万``).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.programme import default_costs
>>> costs = default_costs()
>>> line = costs.items["f_lift_retrofit_share"]
>>> line.unit_cost, line.unit.label("zh"), line.unit.label("en")
(600000.0, '个（电梯）', 'count (lifts)')
>>> costs.check(rs.default_system()) is costs
True
>>> old = rs.load_system("old_community_renovation@1")
>>> default_costs(old).check(old).items["f_elevator_share"].unit_cost
600000.0
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from renoscore._shipped import RELEASES, release_folder
from renoscore._validation import suggest, validate_document
from renoscore._vocabulary import FUNDING, RESPONSIBLE, lang_of
from renoscore._yaml import read_yaml
from renoscore.errors import CostTableError, OptionError, Problem
from renoscore.programme.amounts import parse_amount
from renoscore.system import Category, Direction, IndicatorSystem, LocalizedText
from renoscore.system.units import Unit

__all__ = ["CostLine", "CostTable", "Quantity", "default_costs", "item_costs", "load_costs"]

#: The shipped table's file name in each release's example-data folder.
_FILE = "costs.yaml"

#: Bases computed from the data rather than read from one column.
DERIVED_BASES = ("community", "stairwells")


class Quantity(BaseModel):
    """How much work a community needs: ``g x factor x basis / per``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gap: Literal["units", "share", "whole"]
    basis: str = "community"
    factor: float = Field(1.0, gt=0)
    per: float = Field(1.0, gt=0)


class CostLine(BaseModel):
    """One renovation item's measure, quantity rule, unit cost, responsibility and funding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: LocalizedText
    quantity: Quantity
    unit_cost: float = Field(ge=0)
    fixed: float = Field(0.0, ge=0)
    unit: Unit
    responsible: str
    funding: dict[str, float]
    source: str = Field(min_length=3)

    @field_validator("unit_cost", "fixed", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_amount(value)
            except OptionError:
                raise ValueError(
                    f"{value!r} is not an amount of money: write yuan (600000) or an amount "
                    "with 元, 万元 or 亿元 (60万元)"
                ) from None
        return value

    @field_validator("responsible")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value not in RESPONSIBLE["en"]:
            hint = suggest(value, RESPONSIBLE["en"]) or f"use one of {sorted(RESPONSIBLE['en'])}"
            raise ValueError(f"unknown responsible unit {value!r}: {hint}")
        return value

    @field_validator("funding")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = [k for k in value if k not in FUNDING["en"]]
        if unknown:
            raise ValueError(
                f"unknown funding source {unknown[0]!r}: "
                + (suggest(unknown[0], FUNDING["en"]) or f"use {sorted(FUNDING['en'])}")
            )
        if any(v < 0 for v in value.values()) or abs(sum(value.values()) - 1.0) > 1e-6:
            raise ValueError(f"funding shares must be >= 0 and add up to 1, got {value}")
        return value

    def funding_text(self, lang: str) -> str:
        """The funding sources with their shares, e.g. ``中央补助资金40%、地方财政资金60%``."""
        names = FUNDING[lang_of(lang)]
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{names[k]} {100 * v:.0f}%" for k, v in self.funding.items() if v > 0)


class CostTable(BaseModel):
    """Unit costs of renovation items, keyed by indicator id.

    Parameters
    ----------
    format : str
        ``renoscore.costs/1``.
    currency : str
        ``CNY``.
    price_year : int
        The price level of the unit costs.
    items : dict of str to CostLine
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["renoscore.costs/1"]
    currency: Literal["CNY"] = "CNY"
    price_year: int = Field(ge=1990, le=2100)
    items: dict[str, CostLine]

    @model_validator(mode="after")
    def _not_empty(self) -> CostTable:
        if not self.items:
            raise ValueError("a cost table needs at least one item")
        return self

    def check(self, system: IndicatorSystem) -> CostTable:
        """This table, when every item is a renovation indicator of ``system``.

        Raises
        ------
        CostTableError
            Listing every item that names no indicator of the system (with a did-you-mean) or
            an indicator of category ``none`` (an outcome such as satisfaction, not an item a
            budget buys).
        """
        known = {ind.id: ind for ind in system.indicators}
        problems: list[Problem] = []
        for key in self.items:
            ind = known.get(key)
            if ind is None:
                problems.append(
                    Problem(
                        f"no indicator {key!r} in system {system.id!r}",
                        path=f"items.{key}",
                        fix=suggest(key, known) or "remove the line or use the system's ids",
                    )
                )
            elif ind.category is Category.NONE:
                problems.append(
                    Problem(
                        f"indicator {key!r} is no renovation item (category none)",
                        path=f"items.{key}",
                        fix="cost lines are for basic, improvement and upgrade indicators",
                    )
                )
        if problems:
            raise CostTableError(f"the cost table does not fit system {system.id!r}", problems)
        return self

    def bases(self) -> set[str]:
        """The context columns the quantities read (households, residents, storeys, ...)."""
        out: set[str] = set()
        for line in self.items.values():
            b = line.quantity.basis
            if b == "stairwells":
                out |= {"households", "storeys"}
            elif b != "community":
                out.add(b)
        return out


def load_costs(source: str | Path | Mapping[str, Any]) -> CostTable:
    """Read a cost table from a YAML file, YAML text or a mapping.

    Raises
    ------
    CostTableError
        Every problem at once, each at its line with the fix.

    Examples
    --------
    >>> load_costs({"format": "renoscore.costs/1", "price_year": 2023, "items": {}})
    Traceback (most recent call last):
    ...
    renoscore.errors.CostTableError: invalid cost table (1 problem)
      - input: Value error, a cost table needs at least one item
    """
    from renoscore._yaml import Located

    doc = (
        Located(data=dict(source))
        if isinstance(source, Mapping)
        else read_yaml(source, CostTableError, "cost table")
    )
    return validate_document(CostTable, doc, CostTableError, "cost table")


def default_costs(release: int | IndicatorSystem | None = None) -> CostTable:
    """The shipped cost table of a content release, every figure with its source.

    Parameters
    ----------
    release : int, IndicatorSystem or None
        The content release (default: the current one, ``example_data/costs.yaml``; ``1``
        for ``example_data/v1/costs.yaml``), or an indicator system: the table of the release
        its major version names when one is shipped (``old_community_renovation@1`` gets
        release 1's table), else the current one.

    Raises
    ------
    OptionError
        A release number with no shipped cost table.

    Examples
    --------
    >>> len(default_costs().items), len(default_costs(1).items)
    (33, 20)
    """
    if isinstance(release, IndicatorSystem):
        major = release.version.split(".", 1)[0]
        number = int(major) if major.isdigit() else None
        shipped = number is not None and (release_folder("example_data", number) / _FILE).is_file()
        release = number if shipped else None
    path = release_folder("example_data", release) / _FILE
    if not path.is_file():
        raise OptionError(
            f"no shipped cost table for content release {release}: use one of {list(RELEASES)}"
        )
    return load_costs(path.read_text(encoding="utf-8"))


def _basis(
    basis: str, context: Mapping[str, Any], rows: NDArray[np.intp], n: int
) -> NDArray[np.float64]:
    """The basis of a quantity for the rows (NaN where the context has no number)."""
    if basis == "community":
        return np.ones(rows.size)
    if basis == "stairwells":
        hh = _column(context, "households", rows)
        storeys = _column(context, "storeys", rows)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(storeys > 0, np.ceil(hh / (2.0 * storeys)), np.nan)
    return _column(context, basis, rows)


def _column(context: Mapping[str, Any], name: str, rows: NDArray[np.intp]) -> NDArray[np.float64]:
    cells = context[name]
    out = np.full(rows.size, np.nan)
    for k, r in enumerate(rows.tolist()):  # a context column is a tuple of cells
        try:
            out[k] = float(cells[r])
        except (TypeError, ValueError):
            continue
    return out


def item_costs(
    costs: CostTable,
    system: IndicatorSystem,
    values: NDArray[np.float64],
    scores: NDArray[np.float64],
    context: Mapping[str, Any],
    rows: NDArray[np.intp],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Quantity and cost (yuan) of every renovation item of every row.

    Parameters
    ----------
    costs : CostTable
    system : IndicatorSystem
    values : ndarray, shape (N, M)
        Raw indicator values of the rows.
    scores : ndarray, shape (N, M)
        Goalpost scores in [0, 1] (NaN where not measured).
    context : mapping
        The result's context columns (all rows of the result).
    rows : int array, shape (N,)
        The rows of ``context`` that ``values`` hold.

    Returns
    -------
    quantity, cost : ndarray, shape (N, M)
        NaN where the indicator has no cost line, is not measured or lacks its basis; 0 where
        the indicator is at target.

    Raises
    ------
    CostTableError
        A basis column the data do not have.
    """
    missing = sorted(b for b in costs.bases() if b not in context)
    if missing:
        raise CostTableError(
            "the data lack the columns the cost table's quantities need",
            [
                Problem(
                    f"no context column {b!r}",
                    column=b,
                    fix="add the column to the data, or change the basis in the cost table",
                )
                for b in missing
            ],
        )
    n, m = values.shape
    quantity = np.full((n, m), np.nan)
    for j, ind in enumerate(system.indicators):
        line = costs.items.get(ind.id)
        if line is None:
            continue
        q = line.quantity
        s = scores[:, j]
        unmet = s < 1.0 - 1e-12
        if q.gap == "units":
            target = ind.goalposts.target
            short = (
                target - values[:, j]
                if ind.direction is Direction.BENEFIT
                else values[:, j] - target
            )
            g = np.maximum(short, 0.0)
        elif q.gap == "share":
            g = 1.0 - s
        else:
            g = unmet.astype(np.float64)
        g = np.where(unmet, g, 0.0)
        g[np.isnan(s)] = np.nan
        quantity[:, j] = g * q.factor * _basis(q.basis, context, rows, n) / q.per
    fixed = np.array(
        [costs.items[i.id].fixed if i.id in costs.items else 0.0 for i in system.indicators]
    )
    unit = np.array(
        [costs.items[i.id].unit_cost if i.id in costs.items else np.nan for i in system.indicators]
    )
    cost = np.where(quantity > 0, fixed + unit * quantity, np.where(quantity == 0, 0.0, np.nan))
    return quantity, cost
