r"""How sure is a change? Standard deviations of scores, and the class of every change.

A score moves between two phases for two reasons: the community changed, and its values were
measured with error (a survey mean has a standard error; a site survey, a precision). Each
value's standard deviation (:func:`renoscore._measurement.cell_sd`: a survey's standard
errors, declared measurement error, the system's ``measurement_sd``) is carried to the scores
by the delta method (Oehlert 1992):

* through the goalposts: :math:`\operatorname{sd}(s_{ij}) = |\partial s/\partial x|\,
  \operatorname{sd}(x_{ij})` with the slope :math:`100/(t_j - f_j)` inside the goalposts and
  0 where the score is clipped (:func:`renoscore.normalize.goalpost_slope`);
* up the tree, through the same renormalised mean that made the scores
  (:func:`renoscore.aggregate.tree_means`): for the arithmetic mean
  :math:`\operatorname{Var} g_k = \sum_j (w_j / \sum_i w_i)^2 \operatorname{Var} s_j` over the
  children present, level by level, so every node's variance follows its effective weights.

Values are taken as independent (between cells, and between the two phases: different
respondents, separate measurements). The change :math:`\Delta = y_1 - y_0` has the interval
:math:`\Delta \pm z_{(1+L)/2} \sqrt{\operatorname{Var} y_0 + \operatorname{Var} y_1}` at the
level ``L`` (95 % by default), and is classed *improved* when the whole interval is above 0,
*worse* when it is below, and *no clear change* otherwise (so a change within its own interval
is never called an improvement). A value with no declared error counts as exact; an imputed
cell is given no error (its uncertainty is the imputation's, not a measurement's).

References
----------
Oehlert, G. W. (1992). A note on the delta method. *The American Statistician* 46(1), 27-29.
JCGM 100:2008. *Evaluation of measurement data - Guide to the expression of uncertainty in
    measurement* (GUM), sections 4.2 and 5.1 (law of propagation of uncertainty).

Examples
--------
>>> import numpy as np
>>> change_classes(np.array([5.0, 1.0, -3.0, np.nan]), np.array([2.0, 1.5, 2.0, 1.0]))
array([ 1.,  0., -1., nan])
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from renoscore import normalize
from renoscore._measurement import MeasurementError, cell_sd
from renoscore.aggregate import tree_means
from renoscore.data import CellStatus
from renoscore.errors import OptionError, Problem
from renoscore.pipeline.scoring import system_tree

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["CLASS_NAMES", "change_classes", "critical_value", "score_sd"]

FloatArray = NDArray[np.float64]

#: The class of a change by its code: 1 improved, 0 no clear change, -1 worse.
CLASS_NAMES = {1: "improved", 0: "no clear change", -1: "worse"}

#: Changes this close to 0 (on 0-100) are no change even when exact.
_TOL = 1e-9


def critical_value(level: float) -> float:
    """The two-sided standard normal quantile of a confidence level, e.g. 1.96 for 0.95.

    Examples
    --------
    >>> round(critical_value(0.95), 3)
    1.96
    """
    if not 0.0 < level < 1.0:
        raise OptionError(
            "level must be between 0 and 1",
            [Problem("invalid level", value=level, fix="e.g. 0.95 for 95 % intervals")],
        )
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def change_classes(delta: FloatArray, half_width: FloatArray) -> FloatArray:
    """1 (improved), 0 (no clear change) or -1 (worse) per change; NaN where not compared.

    A change is improved when ``delta - half_width > 0`` and worse when
    ``delta + half_width < 0`` (beyond a tolerance of 1e-9 on 0-100); an unknown half width
    (NaN) makes it no clear change.
    """
    h = np.where(np.isnan(half_width), np.inf, half_width)
    with np.errstate(invalid="ignore"):
        out = np.where(delta - h > _TOL, 1.0, np.where(delta + h < -_TOL, -1.0, 0.0))
    return np.where(np.isnan(delta), np.nan, out)


def score_sd(
    result: EvaluationResult,
    rows: NDArray[np.intp],
    standard_errors: FloatArray | None,
    measurement: MeasurementError | None,
) -> FloatArray:
    """The standard deviation of every score of some rows: groups (goal first), then indicators.

    Parameters
    ----------
    result : EvaluationResult
    rows : ndarray of int
        The rows of ``result``.
    standard_errors : ndarray, shape (len(rows), M), optional
        Standard errors of the cells of those rows (NaN where none), e.g. of a survey.
    measurement : MeasurementError, optional
        Declared measurement error (see :func:`renoscore._measurement.cell_sd`).

    Returns
    -------
    ndarray, shape (len(rows), K + M)
        On 0-100; NaN where the score is NaN, or for an overall score by TOPSIS, grey
        relational analysis or the fuzzy evaluation of a row with uncertain values (no delta
        method is offered for them).
    """
    system = result.system
    X = np.asarray(result.values[rows], dtype=np.float64)
    status = np.asarray(result.status[rows])
    ids = result.id_array[rows].tolist()
    context = {k: [v[r] for r in rows.tolist()] for k, v in result.context.items()}
    sd = cell_sd(system, X, ids, context, measurement, standard_errors)
    options = result.provenance.options
    floor, target = _goalposts(result, options.normalization)
    flat = floor == target  # a constant column of a min-max batch: its score does not move
    slope = normalize.goalpost_slope(X, floor, np.where(flat, floor + 1.0, target), scale=100.0)
    slope[:, flat] = 0.0
    exact = (status != CellStatus.OK) | np.asarray(result.imputed[rows])
    var = np.where(exact | np.isnan(slope), 0.0, (slope * sd) ** 2)
    S = np.asarray(result.indicator_scores[rows], dtype=np.float64)
    tree = system_tree(system, result.weights, options)
    done = tree_means(
        S / 100.0,
        tree,
        method=options.tree_method,
        applicable=status != CellStatus.NOT_APPLICABLE,
        variance=var / 1e4,
    )
    assert done.variance is not None
    group_var = done.variance * 1e4
    if options.aggregation not in ("arithmetic", "geometric"):
        group_var[:, 0] = np.where(var.any(axis=1), np.nan, 0.0)
    scores = np.hstack([np.asarray(result.group_scores[rows]), S])
    out = np.sqrt(np.hstack([group_var, var]))
    return np.where(np.isnan(scores), np.nan, out)


def _goalposts(result: EvaluationResult, normalization: str) -> tuple[FloatArray, FloatArray]:
    """The floor and target the scores were made with: the system's, or the batch's range."""
    if normalization == "goalposts":
        return result.system.goalpost_arrays()
    # Min-max: the observed range of the batch, oriented (the batch extremes taken as known).
    observed = np.where(result.status == CellStatus.OK, result.values, np.nan)
    with np.errstate(invalid="ignore"):
        lo, hi = np.nanmin(observed, axis=0), np.nanmax(observed, axis=0)
    benefit = np.array([d == "benefit" for d in result.system.directions])
    return np.where(benefit, lo, hi), np.where(benefit, hi, lo)
