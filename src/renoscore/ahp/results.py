"""The records the AHP functions return: consistency, repair hints and group aggregates.

Examples
--------
A judgement matrix far from consistent: its :class:`Consistency`, and the
:class:`InconsistentJudgement` to revisit first (the three judgements of this cycle are equally
far from consistency, so the first pair comes first; revising it to the suggested value brings
the CR from 1.58 to 0.65):

>>> from renoscore import ahp
>>> A = [[1, 3, 1 / 5], [1 / 3, 1, 3], [5, 1 / 3, 1]]
>>> c = ahp.consistency(A)
>>> round(float(c.cr), 2), bool(c.acceptable)
(1.58, False)
>>> worst = ahp.most_inconsistent(A)[0]
>>> worst.i, worst.j, worst.value, round(worst.suggested_value, 2), round(worst.cr_after, 2)
(0, 1, 3.0, 0.84, 0.65)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from renoscore.ahp._checks import BoolArray, FloatArray

__all__ = ["Consistency", "GroupAggregate", "InconsistentJudgement", "PanelAggregate"]


@dataclass(frozen=True, eq=False)
class Consistency:
    """Consistency of one judgement matrix or a stack, as returned by :func:`consistency`.

    Every array has the batch shape of the input (``()`` for one matrix).

    Attributes
    ----------
    lambda_max : ndarray
        Principal eigenvalue (``method="eigenvector"``), or its estimate
        ``mean_i (A w)_i / w_i`` from the priorities of the other methods (Saaty, 1980).
    ci : ndarray
        Consistency index ``CI = (lambda_max - n) / (n - 1)`` (Saaty, 1977); 0 for ``n <= 2``.
    cr : ndarray
        Consistency ratio ``CR = CI / RI(n)`` (Saaty, 1977); 0 for ``n <= 2``.
    gci : ndarray
        Geometric consistency index (Crawford & Williams, 1985; Aguarón & Moreno-Jiménez, 2003),
        ``GCI = 2 / ((n - 1)(n - 2)) * sum_{i<j} ln^2(a_ij w_j / w_i)`` with row-geometric-mean
        priorities ``w``; 0 for ``n <= 2``.
    ri : ndarray
        The random index used for each matrix.
    ri_table : str
        Name of the RI table (``"custom"`` for a user mapping).
    threshold : float
        The CR threshold applied.
    acceptable : ndarray of bool
        ``cr < threshold``.
    gci_threshold : float
        Aguarón & Moreno-Jiménez (2003) threshold: 0.31 (n = 3), 0.35 (n = 4), 0.37 (n > 4).
    gci_acceptable : ndarray of bool
        ``gci <= gci_threshold``.
    priorities : ndarray
        The priority vectors of ``method``, shape ``(..., n)``.
    method : str
        The prioritisation method.
    n : int
        Matrix order.
    """

    lambda_max: FloatArray
    ci: FloatArray
    cr: FloatArray
    gci: FloatArray
    ri: FloatArray
    ri_table: str
    threshold: float
    acceptable: BoolArray
    gci_threshold: float
    gci_acceptable: BoolArray
    priorities: FloatArray
    method: str
    n: int


@dataclass(frozen=True)
class InconsistentJudgement:
    """One judgement far from consistency, with the value that would make it consistent.

    Attributes
    ----------
    matrix_index : tuple of int
        Index of the matrix in the batch (``()`` for a single matrix).
    i, j : int
        The pair, ``i < j`` (the upper triangle, as judgements are usually entered).
    label_i, label_j : str or None
        Their labels, when given.
    value : float
        The judgement ``a_ij`` (after reciprocal repair).
    epsilon : float
        ``a_ij * w_j / w_i`` (Saaty, 2003); 1 for a consistent judgement.
    consistent_value : float
        ``w_i / w_j``, the value consistent with the current priorities.
    suggested_value : float
        ``consistent_value``, or the nearest value of Saaty's scale when ``snap=True``.
    cr : float
        CR of the matrix as given.
    cr_after : float
        CR after replacing ``a_ij`` by ``suggested_value`` (and ``a_ji`` by its reciprocal).
    """

    matrix_index: tuple[int, ...]
    i: int
    j: int
    label_i: str | None
    label_j: str | None
    value: float
    epsilon: float
    consistent_value: float
    suggested_value: float
    cr: float
    cr_after: float


@dataclass(frozen=True, eq=False)
class GroupAggregate:
    """Result of :func:`aggregate_groups`.

    Attributes
    ----------
    method : str
        ``"aij"`` or ``"aip"``.
    priorities : ndarray, shape (n,)
        The group priority vector (sums to 1).
    matrix : ndarray, shape (n, n), or None
        The aggregated judgement matrix (AIJ only).
    group_names : tuple
        The stakeholder groups that contributed, in order of first appearance.
    group_matrices : ndarray, shape (g, n, n), or None
        Each group's aggregated matrix (AIJ only).
    group_priorities : ndarray, shape (g, n)
        Each group's priority vector.
    group_weights : ndarray, shape (g,)
        The group weights used, normalised to sum 1 over the contributing groups.
    excluded : tuple of int
        Indices of the experts left out for failing the consistency rule.
    dropped_groups : tuple
        Groups left without a contributing expert (all excluded, or all of weight 0); their
        weight is redistributed over the other groups.
    expert_consistency : Consistency
        Consistency of every expert's matrix, shape ``(m,)``.
    """

    method: str
    priorities: FloatArray
    matrix: FloatArray | None
    group_names: tuple[Hashable, ...]
    group_matrices: FloatArray | None
    group_priorities: FloatArray
    group_weights: FloatArray
    excluded: tuple[int, ...]
    dropped_groups: tuple[Hashable, ...]
    expert_consistency: Consistency


@dataclass(frozen=True, eq=False)
class PanelAggregate:
    """Result of :func:`aggregate_panels`: the two-level aggregate of every panel of a stack.

    Each array has the batch shape of the stack in front (none for one panel).

    Attributes
    ----------
    method : str
        ``"aij"`` or ``"aip"``.
    priorities : ndarray, shape (..., n)
        Each panel's priority vector (sums to 1).
    group_priorities : ndarray, shape (..., g, n), or None
        Each group's priority vector, panel by panel (under AIJ only when asked for).
    group_weights : ndarray, shape (g,)
        The group weights used, normalised to sum 1 over the contributing groups.
    group_names : tuple
        The stakeholder groups that contributed, in order of first appearance.
    dropped_groups : tuple
        Groups whose experts all have weight 0; their weight goes to the other groups.
    matrix : ndarray, shape (..., n, n), or None
        Each panel's aggregated judgement matrix (AIJ only).
    group_matrices : ndarray, shape (..., g, n, n), or None
        Each group's aggregated matrix, panel by panel (AIJ only).
    """

    method: str
    priorities: FloatArray
    group_priorities: FloatArray | None
    group_weights: FloatArray
    group_names: tuple[Hashable, ...]
    dropped_groups: tuple[Hashable, ...]
    matrix: FloatArray | None
    group_matrices: FloatArray | None
