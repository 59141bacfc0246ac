"""Evaluation results: scores, ranks, grades, coverage, the fix-first list and provenance.

* :mod:`renoscore.result.model`: :class:`EvaluationResult` and :class:`IndicatorScores`;
* :mod:`renoscore.result.provenance`: :class:`Provenance`, every choice behind a result;
* :mod:`renoscore.result.explain`: :class:`FixFirstItem`, :class:`Obstacle` and their builders;
* :mod:`renoscore.result.phase_ranks`: ranks within each phase;
* :mod:`renoscore.result.coverage`: per node, the share of the weight that applies, the share
  of that observed, and why a node is not assessed.

Examples
--------
>>> import renoscore as rs
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> print(result.table(phase="t1", top=3))
rank  community  phase  score      grade  facilities  public_servi  participatio  social_capit  applies  cover
   1  GC02          t1   86.0  excellent        79.3          88.2          93.5          92.7     100%   100%
   2  LY            t1   85.0  excellent        85.9          88.6          82.2          79.9     100%   100%
   3  HJ04          t1   84.4       good        78.9          88.2          68.8          99.9     100%   100%
"""

from renoscore.result.explain import FixFirstItem, Obstacle
from renoscore.result.model import EvaluationResult, IndicatorScores
from renoscore.result.phase_ranks import rank_within_phase
from renoscore.result.provenance import Provenance

__all__ = [
    "EvaluationResult",
    "FixFirstItem",
    "IndicatorScores",
    "Obstacle",
    "Provenance",
    "rank_within_phase",
]
