"""renoscore: score, rank and explain the renovation of old residential communities.

renoscore evaluates the renovation of old residential communities (老旧小区改造评价) with an
indicator system declared in YAML: weights from expert judgements (AHP) and from data
(entropy, CRITIC), goalpost normalisation, aggregation up the hierarchy, ranking, grades,
a "fix first" list per community and phase-to-phase comparison.

Examples
--------
>>> import renoscore as rs
>>> system = rs.default_system()
>>> len(system.indicators)
39
"""

from __future__ import annotations

from renoscore._version import __version__
from renoscore.data import CellStatus, CommunityData, load_data
from renoscore.errors import (
    ConstantIndicatorWarning,
    CoverageWarning,
    DataValidationError,
    InconsistencyWarning,
    IndicatorSystemError,
    JudgementError,
    MissingDependencyError,
    OptionError,
    PanelError,
    Problem,
    RenoscoreError,
    RenoscoreWarning,
    WeightsError,
)
from renoscore.examples import example_data, example_path
from renoscore.panel import Expert, Panel, StakeholderGroup, example_panel, load_panel
from renoscore.system import (
    Group,
    Indicator,
    IndicatorSystem,
    available_systems,
    default_system,
    load_system,
    system_json_schema,
)

__all__ = [
    "CellStatus",
    "CommunityData",
    "ConstantIndicatorWarning",
    "CoverageWarning",
    "DataValidationError",
    "Expert",
    "Group",
    "InconsistencyWarning",
    "Indicator",
    "IndicatorSystem",
    "IndicatorSystemError",
    "JudgementError",
    "MissingDependencyError",
    "OptionError",
    "Panel",
    "PanelError",
    "Problem",
    "RenoscoreError",
    "RenoscoreWarning",
    "StakeholderGroup",
    "WeightsError",
    "__version__",
    "available_systems",
    "default_system",
    "example_data",
    "example_panel",
    "example_path",
    "load_data",
    "load_panel",
    "load_system",
    "system_json_schema",
]
