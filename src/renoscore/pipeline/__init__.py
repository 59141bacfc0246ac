"""The scoring pipeline: :func:`evaluate` and :func:`compare`.

* :mod:`renoscore.pipeline.scoring`: :func:`evaluate` (and :func:`system_tree`), a list of
  stages from the inputs to an :class:`~renoscore.EvaluationResult`;
* :mod:`renoscore.pipeline.imputation`: what happens to missing cells;
* :mod:`renoscore.pipeline.configuration`: :func:`resolve_weights`, the one rule every command
  and function uses to turn "which weights" into weights;
* :mod:`renoscore.pipeline.progress`: partial phases (progress checks) and why a row has no
  overall score;
* :mod:`renoscore.pipeline.comparison`: :func:`compare` and :class:`PhaseComparison`;
* :mod:`renoscore.pipeline.change_intervals`: the intervals and classes of changes.

The scoring options are :class:`ScoringOptions`; the names of their choices
(``ScoreNormalization``, ``Aggregation``, ``MissingPolicy``) are kept here too, and
``Normalization`` is the old name of ``ScoreNormalization``.

Examples
--------
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> summary = rs.compare(result, phases=("t0", "t1")).summary()
>>> summary["communities_compared"], round(summary["mean_change"], 1)
(12, 32.6)
"""

from renoscore._options import (
    BATCH_RELATIVE,
    Aggregation,
    MissingPolicy,
    ScoreNormalization,
    ScoringOptions,
)
from renoscore.pipeline.comparison import PhaseComparison, compare
from renoscore.pipeline.configuration import resolve_weights
from renoscore.pipeline.dataset import DatasetResult, evaluate_dataset
from renoscore.pipeline.scoring import FUZZY_GRADES, evaluate, system_tree

#: The old name of :data:`ScoreNormalization` (how raw values become scores).
Normalization = ScoreNormalization

__all__ = [
    "BATCH_RELATIVE",
    "FUZZY_GRADES",
    "Aggregation",
    "DatasetResult",
    "MissingPolicy",
    "Normalization",
    "PhaseComparison",
    "ScoreNormalization",
    "ScoringOptions",
    "compare",
    "evaluate",
    "evaluate_dataset",
    "resolve_weights",
    "system_tree",
]
