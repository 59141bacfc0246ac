"""Evaluation results: scores, ranks, grades, coverage, the fix-first list and provenance.

* :mod:`renoscore.result.model`: :class:`EvaluationResult` and :class:`IndicatorScores`;
* :mod:`renoscore.result.provenance`: :class:`Provenance`, every choice behind a result;
* :mod:`renoscore.result.explain`: :class:`FixFirstItem`, :class:`Obstacle` and their builders;
* :mod:`renoscore.result.phase_ranks`: ranks within each phase.
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
