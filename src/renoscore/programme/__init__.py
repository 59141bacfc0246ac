"""Plan and track a city's renovation programme across many communities.

* :mod:`~renoscore.programme.costs` — the cost table (unit costs with sources);
* :mod:`~renoscore.programme.gains` — the score a community gains when an item reaches target;
* :mod:`~renoscore.programme.items` — every unmet renovation item, with cost, gain, willingness;
* :mod:`~renoscore.programme.optimise` — the exact budgeted selection (``scipy.optimize.milp``);
* :mod:`~renoscore.programme.baseline` — the greedy rule and brute force it is checked against;
* :mod:`~renoscore.programme.plan` — :func:`plan_programme`: the budgeted priority list;
* :mod:`~renoscore.programme.ledger` — the problem ledger (问题台账): export, read back, validate;
* :mod:`~renoscore.programme.milestones` — project milestones and progress (开工率, 完工率, ...);
* :mod:`~renoscore.programme.rollup` — community results rolled up to 社区 / 街道 / 区;
* :mod:`~renoscore.programme.geo` — local projection, distances, nearest services, boundaries;
* :mod:`~renoscore.programme.amounts` — amounts in 元 / 万元 / 亿元, parsed strictly.

Examples
--------
>>> import renoscore as rs
>>> from renoscore import programme
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> plan = programme.plan_programme(r, "3000万")
>>> plan.spent <= 3e7
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from renoscore.programme.amounts import format_amount, parse_amount
    from renoscore.programme.baseline import brute_force_selection, greedy_selection
    from renoscore.programme.costs import CostLine, CostTable, default_costs, load_costs
    from renoscore.programme.gains import score_gains
    from renoscore.programme.items import RenovationItems, renovation_items
    from renoscore.programme.optimise import Selection, solve_selection
    from renoscore.programme.plan import ProgrammePlan, plan_programme

__all__ = [
    "CostLine",
    "CostTable",
    "ProgrammePlan",
    "RenovationItems",
    "Selection",
    "brute_force_selection",
    "default_costs",
    "format_amount",
    "greedy_selection",
    "load_costs",
    "parse_amount",
    "plan_programme",
    "renovation_items",
    "score_gains",
    "solve_selection",
]

_HOME = {
    "format_amount": "amounts",
    "parse_amount": "amounts",
    "brute_force_selection": "baseline",
    "greedy_selection": "baseline",
    "CostLine": "costs",
    "CostTable": "costs",
    "default_costs": "costs",
    "load_costs": "costs",
    "score_gains": "gains",
    "RenovationItems": "items",
    "renovation_items": "items",
    "Selection": "optimise",
    "solve_selection": "optimise",
    "ProgrammePlan": "plan",
    "plan_programme": "plan",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'renoscore.programme' has no attribute {name!r}")
    return getattr(importlib.import_module(f"renoscore.programme.{home}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
