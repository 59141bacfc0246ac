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
   1  ZY04          t1   89.1  excellent        92.3          91.3          81.0          95.4     100%   100%
   2  HJ03          t1   83.9       good        83.2          91.0          83.8          76.2     100%    98%
   3  LY            t1   82.8       good        89.2          81.6          90.5          60.4     100%    98%
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
