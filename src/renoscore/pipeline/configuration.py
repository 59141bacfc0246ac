"""One configuration, one answer: the one rule that turns "which weights" into weights.

Every command and function that scores (:func:`renoscore.evaluate`, :func:`renoscore.compare`
through the result it compares, the analyses of :mod:`renoscore.sensitivity`, and the
``score``, ``report``, ``compare``, ``uncertainty``, ``weights`` and ``effect`` commands)
resolves its weights here, so that the same input with the same options gives the same
numbers everywhere. The scoring options have their one home in
:class:`renoscore._options.ScoringOptions`.

The rule, in order:

1. frozen :class:`~renoscore.Weights` are used as they are (checked against the system);
2. a method name (``"equal"``, ``"ahp"``, ``"entropy"``, ...) is derived by
   :func:`~renoscore.derive_weights` for every group, with the panel and the data given;
3. no weights but a panel: the panel is used, never ignored; every group it judges is weighted
   by AHP from it, the others keep the weighting the system declares;
4. neither: the system's declared weighting (the default system declares fixed dimension
   weights and equal weights within each dimension).

Examples
--------
>>> import renoscore as rs
>>> system = rs.default_system()
>>> declared = resolve_weights(system)
>>> declared.nodes["participation"].method
'fixed'
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # expert C's known inconsistency
...     judged = resolve_weights(system, panel=rs.example_panel())
>>> judged.nodes["participation"].method, judged.nodes["facilities"].method
('ahp', 'fixed')
"""

from __future__ import annotations

from renoscore.data import CommunityData
from renoscore.panel import Panel
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights, derive_weights

__all__ = ["resolve_weights"]


def resolve_weights(
    system: IndicatorSystem,
    data: CommunityData | None = None,
    weights: Weights | str | None = None,
    panel: Panel | None = None,
    phase: str | None = None,
) -> Weights:
    """The weights an evaluation uses: the one rule of this module.

    Parameters
    ----------
    system : IndicatorSystem
    data : CommunityData, optional
        For data-driven weights.
    weights : Weights, str or None
        Frozen weights, a method name, or None (the panel's AHP where it judges, else the
        system's declared weighting).
    panel : Panel, optional
        Expert judgements.
    phase : str, optional
        Derive data-driven weights from the rows of this phase only.

    Returns
    -------
    Weights

    Raises
    ------
    WeightsError
        Weights made for another system, or weights that cannot be derived (a method that
        needs a panel or data not given).
    """
    if isinstance(weights, Weights):
        weights.check(system)
        return weights
    method = weights if weights is not None else ("ahp" if panel is not None else None)
    return derive_weights(system, panel, data, method=method, phase=phase)
