"""The old import path of the weights of an indicator system; they live in :mod:`renoscore.weights`.

:func:`derive_weights` is in :mod:`renoscore.weights.derive`; :class:`Weights`,
:class:`NodeWeights` and :func:`load_weights` are in :mod:`renoscore.weights.model`. Import them
from :mod:`renoscore.weights` (or from :mod:`renoscore`).

Examples
--------
>>> from renoscore.weighting import Weights
>>> from renoscore import weights
>>> Weights is weights.Weights
True
"""

from __future__ import annotations

from renoscore.weights.derive import PrioritisationMethod as PrioritisationMethod
from renoscore.weights.derive import derive_weights
from renoscore.weights.model import WEIGHT_SUM_TOL as WEIGHT_SUM_TOL
from renoscore.weights.model import (
    ExpertConsistency,
    NodeWeights,
    Weights,
    WeightsProvenance,
    load_weights,
)

__all__ = [
    "ExpertConsistency",
    "NodeWeights",
    "Weights",
    "WeightsProvenance",
    "derive_weights",
    "load_weights",
]
