"""The closed vocabularies an indicator is described with, and what each kind of measure implies.

Direction (benefit or cost), renovation category, supplier and measurement kind are written as
plain words in the YAML; the kind tables below say which kinds are bounded, which cannot be
negative and which take whole numbers only (the data checks rely on them).

Examples
--------
>>> from renoscore.system import IndicatorKind, KIND_BOUNDS
>>> KIND_BOUNDS[IndicatorKind.PERCENT]
(0.0, 100.0)
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "INTEGER_KINDS",
    "KIND_BOUNDS",
    "NON_NEGATIVE_KINDS",
    "Category",
    "Direction",
    "IndicatorKind",
    "Supplier",
]


class Direction(StrEnum):
    """Whether a higher value is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class Category(StrEnum):
    """Renovation content category of 国办发〔2020〕23号 (basic / improvement / upgrade)."""

    BASIC = "basic"
    IMPROVEMENT = "improvement"
    UPGRADE = "upgrade"
    NONE = "none"


class Supplier(StrEnum):
    """Who supplies the service: the paper's multi-centre supply of public services.

    ``utilities`` are the utility companies (专业经营单位: power, telecom, water, drainage, gas,
    heating) that renovate their own lines and plant in a renovated estate (建办城〔2021〕50号).
    """

    GOVERNMENT = "government"
    MARKET = "market"
    SOCIETY = "society"
    RESIDENTS = "residents"
    UTILITIES = "utilities"


class IndicatorKind(StrEnum):
    """The measurement type of an indicator; some kinds carry extra data checks."""

    RATIO = "ratio"
    PERCENT = "percent"
    COUNT = "count"
    DISTANCE_M = "distance_m"
    AREA_M2 = "area_m2"
    M2_PER_CAPITA = "m2_per_capita"
    PER_100HH = "per_100hh"
    PER_1000RES = "per_1000res"
    LIKERT5 = "likert5"
    LIKERT7 = "likert7"
    BINARY = "binary"
    ORDINAL = "ordinal"
    CONTINUOUS = "continuous"


#: Natural bounds of the bounded kinds; a declared range must lie inside them.
KIND_BOUNDS: dict[IndicatorKind, tuple[float, float]] = {
    IndicatorKind.RATIO: (0.0, 1.0),
    IndicatorKind.PERCENT: (0.0, 100.0),
    IndicatorKind.LIKERT5: (1.0, 5.0),
    IndicatorKind.LIKERT7: (1.0, 7.0),
    IndicatorKind.BINARY: (0.0, 1.0),
}
#: Kinds that cannot be negative.
NON_NEGATIVE_KINDS = frozenset(
    {
        IndicatorKind.COUNT,
        IndicatorKind.DISTANCE_M,
        IndicatorKind.AREA_M2,
        IndicatorKind.M2_PER_CAPITA,
        IndicatorKind.PER_100HH,
        IndicatorKind.PER_1000RES,
    }
)
#: Kinds whose values must be whole numbers.
INTEGER_KINDS = frozenset({IndicatorKind.BINARY, IndicatorKind.ORDINAL})
