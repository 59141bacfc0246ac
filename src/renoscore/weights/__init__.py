"""Indicator weights: objective methods, their combination with subjective weights, and the
weights of a whole indicator system.

The objective methods are pure functions on numpy arrays. The data matrix ``X`` has one row per
community and one column per indicator; ``NaN`` marks an excluded cell (missing or not
applicable). Excluded cells are dropped **per column**: the number of communities ``N_j`` that
enters a formula for indicator ``j`` is the number of non-NaN cells in column ``j``.

Objective weights (each returns an ``(M,)`` float64 array, non-negative, summing to 1):

- :func:`entropy` -- the entropy weight method (Zeleny 1982; Xu 2004), on sum-normalised raw
  data or on direction-aware min-max rescaled data;
- :func:`critic` -- CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995);
- :func:`standard_deviation` -- weights proportional to the standard deviation;
- :func:`coefficient_of_variation` -- weights proportional to sigma / |mean|.

Combinations of a subjective (e.g. AHP) and an objective weight vector:

- :func:`combine` -- ``linear``, ``multiplicative``, ``min_information``, ``game_theory``;
- :func:`combine_many` -- the same for more than two vectors;
- :func:`game_theory_coefficients` -- the game-theoretic combination coefficients themselves;
- :func:`combine_valid` -- the one implementation of the rules, for weight vectors known to be
  valid (many draws of them: the uncertainty analysis), without checking them again.

The column statistics are streamed over blocks of rows, so a pass over a large matrix needs
extra memory of a block, not of the matrix. See ``docs/methods-weights.md`` for the formulas and
the edge policy.

The weights of a whole indicator system (what :mod:`renoscore.weighting` offered before):

- :func:`derive_weights` -- local weights at every group (equal, fixed, AHP from a panel, one of
  the objective methods, or a combination) and global weights down the tree;
- :class:`Weights`, :class:`NodeWeights` -- the frozen result with its provenance;
  :func:`load_weights` reads it back and checks it against a system.

Modules: ``entropy``, ``critic``, ``dispersion`` and ``combine`` hold the numeric methods on
arrays (sharing the blocked passes of ``_passes``); ``model`` holds the weights records and
``derive`` the walk through a system.

Examples
--------
Entropy weights of four communities on two indicators (the second hardly varies, so it carries
almost no information), and a half-and-half combination with subjective weights:

>>> import numpy as np
>>> import renoscore as rs
>>> X = np.array([[0.2, 30.0], [0.5, 32.0], [0.9, 31.0], [0.4, 29.0]])
>>> rs.weights.entropy(X).round(3)
array([0.995, 0.005])
>>> rs.weights.combine([0.5, 0.5], [0.8, 0.2], "linear", alpha=0.5)
array([0.65, 0.35])
"""

import importlib
from typing import TYPE_CHECKING, Any

from renoscore.weights.combine import (
    COMBINATION_METHODS,
    combine,
    combine_many,
    combine_valid,
    game_theory_coefficients,
)

# Type aliases, importable from here as before (not part of the documented names).
from renoscore.weights.combine import CombinationMethod as CombinationMethod
from renoscore.weights.critic import critic
from renoscore.weights.dispersion import coefficient_of_variation, standard_deviation
from renoscore.weights.entropy import Normalization as Normalization
from renoscore.weights.entropy import entropy

if TYPE_CHECKING:
    from renoscore.weights.derive import derive_weights
    from renoscore.weights.model import (
        ExpertConsistency,
        NodeWeights,
        Weights,
        WeightsProvenance,
        load_weights,
    )

# The weights model and its derivation need pydantic, the indicator system, the data and the
# panel; they are imported on first use (PEP 562), so that the numeric methods above load
# without them and never depend on them.
_LAZY = {
    "derive_weights": "renoscore.weights.derive",
    **dict.fromkeys(
        ("ExpertConsistency", "NodeWeights", "Weights", "WeightsProvenance", "load_weights"),
        "renoscore.weights.model",
    ),
}


def __getattr__(name: str) -> Any:
    """Import the module of a lazily loaded name on first use and keep the name."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'renoscore.weights' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "COMBINATION_METHODS",
    "ExpertConsistency",
    "NodeWeights",
    "Weights",
    "WeightsProvenance",
    "coefficient_of_variation",
    "combine",
    "combine_many",
    "combine_valid",
    "critic",
    "derive_weights",
    "entropy",
    "game_theory_coefficients",
    "load_weights",
    "standard_deviation",
]
