"""Batched AHP numeric core: priorities, consistency, completion, repair hints and group aggregation.

Every public function takes one pairwise-comparison (judgement) matrix of shape ``(n, n)`` or a
stack of shape ``(..., n, n)`` and returns stacked results; nothing loops over the matrices of a
stack in Python. Any ``n >= 1`` goes through the same code path.

Conventions
-----------
``a[i, j]`` says how many times criterion ``i`` is more important than criterion ``j`` on Saaty's
1-9 scale (Saaty, 1977, 1980), so a judgement matrix is positive with a unit diagonal and
reciprocal, ``a[j, i] = 1 / a[i, j]``. :func:`validate_judgements` accepts reciprocals within a
relative tolerance (``|a_ij a_ji - 1| <= rtol``, default ``1e-2``) so that ``0.333`` for 1/3 and
``0.143`` for 1/7 pass; before any computation a tolerated matrix is made exactly reciprocal by the
symmetric repair ``a'_ij = sqrt(a_ij / a_ji)`` (the geometric mean of ``a_ij`` and ``1 / a_ji``),
which does not depend on the order of the criteria.

Modules
-------
:mod:`~renoscore.ahp.priorities`, :mod:`~renoscore.ahp.consistency` (with the tables of
:mod:`~renoscore.ahp.random_index`), :mod:`~renoscore.ahp.complete`, :mod:`~renoscore.ahp.repair`
and :mod:`~renoscore.ahp.group` hold the public functions, :mod:`~renoscore.ahp.results` the
records they return. They validate their input in ``_checks`` and share the batched engine of
``_engine`` (the Perron iteration, the prioritisation rules, the consistency indices).

References
----------
Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal of
Mathematical Psychology 27(1), 93-102.
Aguarón, J. & Moreno-Jiménez, J. M. (2003). The geometric consistency index: approximated
thresholds. European Journal of Operational Research 147(1), 137-145.
Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic hierarchy process: a new
approach. International Journal of Uncertainty, Fuzziness and Knowledge-Based Systems 14(4),
445-459.
Barzilai, J. & Golany, B. (1994). AHP rank reversal, normalization and aggregation rules. INFOR
32(2), 57-64.
Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of incomplete pairwise comparison
matrices. Mathematical and Computer Modelling 52(1-2), 318-333.
Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment matrices.
Journal of Mathematical Psychology 29(4), 387-405.
Donegan, H. A. & Dodd, F. J. (1991). A note on Saaty's random indexes. Mathematical and Computer
Modelling 15(10), 135-137.
Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
analytic hierarchy process. European Journal of Operational Research 108(1), 165-169.
Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process.
Mathematical Modelling 9(3-5), 353-360.
Kwiesielewicz, M. (1996). The logarithmic least squares and the generalized pseudoinverse in
estimating ratios. European Journal of Operational Research 93(3), 611-619.
Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures. Journal of
Mathematical Psychology 15(3), 234-281.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
Saaty, T. L. (1994). How to make a decision: the analytic hierarchy process. Interfaces 24(6),
19-43.
Saaty, T. L. (2003). Decision-making with the AHP: why is the principal eigenvector necessary.
European Journal of Operational Research 145(1), 85-91.
Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. RWS Publications,
Pittsburgh.
Tummala, V. M. R. & Ling, H. (1998). A note on the computation of the mean random consistency
index of the analytic hierarchy process (AHP). Theory and Decision 44(3), 221-230.

Examples
--------
Three criteria judged pairwise on Saaty's scale: the priorities, and a consistency ratio well
under 0.10:

>>> import renoscore as rs
>>> c = rs.ahp.consistency([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
>>> c.priorities.round(3), round(float(c.cr), 3), bool(c.acceptable)
(array([0.637, 0.258, 0.105]), 0.033, True)
"""

from renoscore.ahp._checks import DEFAULT_RTOL, PRIORITY_METHODS, validate_judgements
from renoscore.ahp.complete import complete
from renoscore.ahp.consistency import consistency
from renoscore.ahp.group import (
    aggregate_groups,
    aggregate_judgements,
    aggregate_panels,
    aggregate_priorities,
)
from renoscore.ahp.priorities import priorities
from renoscore.ahp.random_index import DEFAULT_RI_TABLE, RI_TABLES, random_index
from renoscore.ahp.repair import SAATY_SCALE, most_inconsistent
from renoscore.ahp.results import (
    Consistency,
    GroupAggregate,
    InconsistentJudgement,
    PanelAggregate,
)

__all__ = [
    "DEFAULT_RI_TABLE",
    "DEFAULT_RTOL",
    "PRIORITY_METHODS",
    "RI_TABLES",
    "SAATY_SCALE",
    "Consistency",
    "GroupAggregate",
    "InconsistentJudgement",
    "PanelAggregate",
    "aggregate_groups",
    "aggregate_judgements",
    "aggregate_panels",
    "aggregate_priorities",
    "complete",
    "consistency",
    "most_inconsistent",
    "priorities",
    "random_index",
    "validate_judgements",
]
