"""Statistical audit of an index, as the JRC audits composite indicators.

Before an index is published, the OECD/JRC Handbook on Constructing Composite Indicators (2008)
and the JRC's audits of published indices ask: can the data carry it, do the indicators of a
dimension point the same way, do outliers drive the ranking, and does each indicator count about
as much as its nominal weight says? :func:`audit` answers on one set of community data and
raises flags; :class:`AuditResult` holds every statistic.

* :mod:`~renoscore.audit.availability` -- observed share per indicator, community and group, by
  phase; COINr's screening rule;
* :mod:`~renoscore.audit.distribution` -- mean, SD, min, max, median, bias-corrected skewness and
  excess kurtosis; the outlier rule (|skew| > 2 and kurtosis > 3.5);
* :mod:`~renoscore.audit.treatment` -- COINr's ``Treat``: winsorise up to ``winmax`` points, then
  a log transform; every treated point recorded and replayable;
* :mod:`~renoscore.audit.discrimination` -- share of communities at the floor and at the target;
  saturated, floor-bound and constant indicators;
* :mod:`~renoscore.audit.correlation` -- Pearson and Spearman, pairwise complete; negative,
  redundant and misplaced indicators;
* :mod:`~renoscore.audit.consistency` -- Cronbach's alpha (the survey module's kernel), the first
  principal component's share and the eigenvalues above 1, per group;
* :mod:`~renoscore.audit.importance` -- the main effect ``S_i = V[E(y|x_i)] / V(y)`` of every
  indicator and dimension on the overall score against its nominal weight;
* :mod:`~renoscore.audit.flags`, :mod:`~renoscore.audit.result`, :mod:`~renoscore.audit.run`.

How much the ranking moves when weights, judgements and methods vary is the uncertainty
analysis of :mod:`renoscore.sensitivity`.

Examples
--------
>>> import renoscore as rs
>>> a = rs.audit(rs.default_system(), rs.example_data())
>>> a.phase, a.communities
('t0', 30)
"""

from __future__ import annotations

import sys
import types
from typing import Any

from renoscore.audit.distribution import (
    ColumnStats,
    column_stats,
    kurtosis,
    outlier_flags,
    passes_skew_kurt,
    skewness,
)
from renoscore.audit.flags import Flag
from renoscore.audit.importance import MainEffects, main_effects
from renoscore.audit.result import SECTIONS, AuditResult, AuditSettings
from renoscore.audit.run import audit
from renoscore.audit.treatment import (
    ColumnTreatment,
    TreatedPoint,
    Treatment,
    apply_treatment,
    log_ct,
    treat,
    winsorise,
)

__all__ = [
    "SECTIONS",
    "AuditResult",
    "AuditSettings",
    "ColumnStats",
    "ColumnTreatment",
    "Flag",
    "MainEffects",
    "TreatedPoint",
    "Treatment",
    "apply_treatment",
    "audit",
    "column_stats",
    "kurtosis",
    "log_ct",
    "main_effects",
    "outlier_flags",
    "passes_skew_kurt",
    "skewness",
    "treat",
    "winsorise",
]


class _CallableModule(types.ModuleType):
    """``renoscore.audit`` is both this package and, called, the function :func:`audit`: a
    package attribute named like one of its submodules is replaced by the submodule when that
    is imported, so ``rs.audit(system, data)`` calls the package."""

    def __call__(self, *args: Any, **kwargs: Any) -> AuditResult:
        return audit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
