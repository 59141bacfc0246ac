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
72
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from renoscore._version import __version__
from renoscore.errors import (
    ConstantIndicatorWarning,
    CoverageWarning,
    DataValidationError,
    InconsistencyWarning,
    IndicatorSystemError,
    JudgementError,
    MissingDependencyError,
    OptionError,
    OutputError,
    PanelError,
    Problem,
    RenoscoreError,
    RenoscoreWarning,
    ResourceError,
    ResultError,
    WeightsError,
)

if TYPE_CHECKING:
    from renoscore import (
        aggregate,
        ahp,
        effects,
        hierarchy,
        io,
        normalize,
        plot,
        ranking,
        report,
        sensitivity,
        survey,
        weights,
    )
    from renoscore._options import ScoringOptions
    from renoscore.audit import AuditResult, audit
    from renoscore.data import CellStatus, CommunityData, load_data
    from renoscore.effects import RenovationEffect, renovation_effect
    from renoscore.examples import example_data, example_path
    from renoscore.panel import Expert, Panel, StakeholderGroup, example_panel, load_panel
    from renoscore.pipeline import PhaseComparison, compare, evaluate, evaluate_dataset
    from renoscore.report import write_report
    from renoscore.result import EvaluationResult, FixFirstItem, Provenance
    from renoscore.sensitivity import uncertainty
    from renoscore.system import (
        Group,
        Indicator,
        IndicatorSystem,
        available_systems,
        default_system,
        load_system,
        system_json_schema,
    )
    from renoscore.weights import NodeWeights, Weights, derive_weights, load_weights

# The public names and the module each lives in: imported on first use (PEP 562), so that
# ``import renoscore`` costs almost nothing and a script pays only for what it touches
# (pydantic models, the YAML loader, the pipeline). The TYPE_CHECKING imports above give
# type checkers and IDEs the same names.
_LAZY: dict[str, str] = {
    **{
        m: f"renoscore.{m}"
        for m in (
            "aggregate",
            "ahp",
            "effects",
            "hierarchy",
            "io",
            "normalize",
            "plot",
            "ranking",
            "report",
            "sensitivity",
            "survey",
            "weights",
        )
    },
    "ScoringOptions": "renoscore._options",
    "uncertainty": "renoscore.sensitivity",
    "audit": "renoscore.audit",
    "AuditResult": "renoscore.audit",
    **dict.fromkeys(("RenovationEffect", "renovation_effect"), "renoscore.effects"),
    "write_report": "renoscore.report",
    **dict.fromkeys(("CellStatus", "CommunityData", "load_data"), "renoscore.data"),
    **dict.fromkeys(("example_data", "example_path"), "renoscore.examples"),
    **dict.fromkeys(
        ("Expert", "Panel", "StakeholderGroup", "example_panel", "load_panel"), "renoscore.panel"
    ),
    **dict.fromkeys(
        ("PhaseComparison", "compare", "evaluate", "evaluate_dataset"), "renoscore.pipeline"
    ),
    **dict.fromkeys(("EvaluationResult", "FixFirstItem", "Provenance"), "renoscore.result"),
    **dict.fromkeys(
        (
            "Group",
            "Indicator",
            "IndicatorSystem",
            "available_systems",
            "default_system",
            "load_system",
            "system_json_schema",
        ),
        "renoscore.system",
    ),
    **dict.fromkeys(
        ("NodeWeights", "Weights", "derive_weights", "load_weights"), "renoscore.weights"
    ),
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'renoscore' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    value = loaded if module == f"renoscore.{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AuditResult",
    "CellStatus",
    "CommunityData",
    "ConstantIndicatorWarning",
    "CoverageWarning",
    "DataValidationError",
    "EvaluationResult",
    "Expert",
    "FixFirstItem",
    "Group",
    "InconsistencyWarning",
    "Indicator",
    "IndicatorSystem",
    "IndicatorSystemError",
    "JudgementError",
    "MissingDependencyError",
    "NodeWeights",
    "OptionError",
    "OutputError",
    "Panel",
    "PanelError",
    "PhaseComparison",
    "Problem",
    "Provenance",
    "RenoscoreError",
    "RenoscoreWarning",
    "RenovationEffect",
    "ResourceError",
    "ResultError",
    "ScoringOptions",
    "StakeholderGroup",
    "Weights",
    "WeightsError",
    "__version__",
    "aggregate",
    "ahp",
    "audit",
    "available_systems",
    "compare",
    "default_system",
    "derive_weights",
    "effects",
    "evaluate",
    "evaluate_dataset",
    "example_data",
    "example_panel",
    "example_path",
    "hierarchy",
    "io",
    "load_data",
    "load_panel",
    "load_system",
    "load_weights",
    "normalize",
    "plot",
    "ranking",
    "renovation_effect",
    "report",
    "sensitivity",
    "survey",
    "system_json_schema",
    "uncertainty",
    "weights",
    "write_report",
]
