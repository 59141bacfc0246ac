"""The indicator system: a validated tree from the goal through dimensions to indicators.

An indicator system is declared in YAML and validated by pydantic models. The tree may have any
depth: goal -> dimensions -> optional sub-dimensions -> indicators. The order of the indicators
in a depth-first walk is *the system's indicator order*: the column order of every array
renoscore builds from this system.

Loading collects every problem in the file into one :class:`~renoscore.errors.IndicatorSystemError`
whose problems name the file, the line and the fix.

* :mod:`~renoscore.system.enums` -- direction, category, supplier and measurement kind;
* :mod:`~renoscore.system.units` -- the known units, their Chinese forms and conversions;
* :mod:`~renoscore.system.fields` -- raw fields and context columns (not scored);
* :mod:`~renoscore.system.formula` -- the safe formula language of derived indicators;
* :mod:`~renoscore.system.model` -- the tree's nodes and the :class:`IndicatorSystem`;
* :mod:`~renoscore.system.rules` -- the rules that span several fields or nodes;
* :mod:`~renoscore.system.load` -- :func:`load_system`, the shipped systems, the JSON Schema.

Examples
--------
>>> import renoscore as rs
>>> system = rs.default_system()
>>> system.indicators[0].id
'f_water_supply_ok'
>>> [d.id for d in system.dimensions]
['facilities', 'public_services', 'participation', 'social_capital']
"""

from __future__ import annotations

from renoscore.system.enums import (
    INTEGER_KINDS,
    KIND_BOUNDS,
    NON_NEGATIVE_KINDS,
    Category,
    Direction,
    IndicatorKind,
    Supplier,
)
from renoscore.system.fields import ContextColumn, RawField
from renoscore.system.formula import Formula, evaluate_formula, parse_formula
from renoscore.system.load import (
    available_systems,
    default_system,
    load_system,
    system_json_schema,
)
from renoscore.system.model import (
    DEFAULT_GRADES,
    GROUP_TAG,
    INDICATOR_TAG,
    Goalposts,
    GradeBand,
    Group,
    Indicator,
    IndicatorSystem,
    LocalizedText,
    Phase,
    ValueRange,
    Weighting,
)
from renoscore.system.units import UNITS, Unit, UnitInfo

__all__ = [
    "DEFAULT_GRADES",
    "GROUP_TAG",
    "INDICATOR_TAG",
    "INTEGER_KINDS",
    "KIND_BOUNDS",
    "NON_NEGATIVE_KINDS",
    "UNITS",
    "Category",
    "ContextColumn",
    "Direction",
    "Formula",
    "Goalposts",
    "GradeBand",
    "Group",
    "Indicator",
    "IndicatorKind",
    "IndicatorSystem",
    "LocalizedText",
    "Phase",
    "RawField",
    "Supplier",
    "Unit",
    "UnitInfo",
    "ValueRange",
    "Weighting",
    "available_systems",
    "default_system",
    "evaluate_formula",
    "load_system",
    "parse_formula",
    "system_json_schema",
]
