"""Expert panels: who judged what, in which stakeholder group, with which weight.

A panel is declared in YAML. Each expert belongs to a stakeholder group (government, residents,
property company, social organisation, academic, ...) and gives pairwise judgements for some
nodes of an indicator system, either as labelled pairs ``[a, b, value]`` meaning "a is
``value`` times as important as b", or as a full matrix keyed by labels::

    id: example_panel
    system: old_community_renovation
    groups:
      - {id: planning, name: {en: Planners, zh: 规划师}, weight: 1}
    experts:
      - id: expert_a
        group: planning
        judgements:
          renovation_performance:
            - [facilities, public_services, 2]
            - [facilities, participation, "1/4"]
          facilities:
            labels: [f_a, f_b]
            matrix: [[1, 3], [1/3, 1]]

Values may be numbers or fractions written as text (``"1/3"``). A pair may be given in either
order but only once. Comparisons that are left out are *missing* (NaN in the matrix), to be
completed by :func:`renoscore.ahp.complete`. In a full matrix ``null`` (or ``.nan``) on both
sides of the diagonal marks a missing comparison.

The values must lie on Saaty's (1980) scale [1/9, 9] unless the panel declares
``scale: positive``, which accepts any positive ratio.

* :mod:`~renoscore.panel.judgements` -- the two ways to write judgements and their rules;
* :mod:`~renoscore.panel.model` -- :class:`Panel`, its groups and experts, and their rules;
* :mod:`~renoscore.panel.load` -- :func:`load_panel` and the shipped :func:`example_panel`.

Examples
--------
>>> import renoscore as rs
>>> panel = rs.example_panel()
>>> [e.id for e in panel.experts]
['expert_a', 'expert_b', 'expert_c', 'expert_d', 'expert_e', 'expert_f']
"""

from __future__ import annotations

from renoscore.panel.judgements import FullMatrix
from renoscore.panel.load import example_panel, load_panel
from renoscore.panel.model import Expert, Panel, StakeholderGroup

__all__ = [
    "Expert",
    "FullMatrix",
    "Panel",
    "StakeholderGroup",
    "example_panel",
    "load_panel",
]
