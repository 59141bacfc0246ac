"""Uncertainty and sensitivity analysis of rankings: how much do they depend on the choices?

A ranking of communities decides which estate is renovated first. The OECD/JRC Handbook on
Constructing Composite Indicators (2008, step 7) makes uncertainty and sensitivity analysis a
required step: vary every uncertain input at once and report how far the ranks move
(Saisana, Saltelli & Tarantola 2005). This package does it across the whole indicator
hierarchy, including the AHP judgements that the weights come from.

* :func:`uncertainty` -- Monte Carlo over declared sources of uncertainty (:class:`Sources`):
  AHP judgements moved along Saaty's scale, weights drawn from a Dirichlet distribution around
  the base weights, the choice of normalisation, aggregation and missing-data policy, the
  combination alpha, and measurement error of the indicator values. For every community: the
  median rank and its 5-95 % interval, the probability of being in the top k and of each grade;
  for every draw: Spearman's rho and Kendall's tau-b with the base ranking and the mean absolute
  rank shift; the same at the level of every dimension.
* :func:`sensitivity` -- variance-based global sensitivity: Sobol' first-order and total indices
  (Saltelli et al. 2010; Jansen 1999) of the mean absolute rank shift and of every community's
  rank with respect to each source.
* :func:`one_at_a_time` -- the quick table: each dimension weight moved by -20, -10, +10, +20 %
  and the weights renormalised.

The charts of the results are in :mod:`renoscore.plot.sensitivity` (``result.plot()``), the
section of an HTML report in :mod:`renoscore.report.uncertainty`; ``plot_rank_intervals``,
``plot_sobol``, ``plot_one_at_a_time`` and ``html_section`` can still be imported from here.

Many draws are scored at once: with complete data and the arithmetic mean, one matrix product
``(N x M) @ (M x draws)`` per chunk of draws (:mod:`renoscore.sensitivity.draws`); AHP
perturbations go through the batched AHP engine (:mod:`renoscore.ahp`); the ranks of a chunk
are one call of :func:`renoscore.ranking.rank` on an ``(N, draws)`` matrix
(:mod:`renoscore.sensitivity.rank_stats`).

The modules: :mod:`~renoscore.sensitivity.sources` (what may vary, and the recorded settings),
:mod:`~renoscore.sensitivity.model` (the batched draw model and its one Monte Carlo driver),
:mod:`~renoscore.sensitivity.draws` and :mod:`~renoscore.sensitivity.rank_stats` (numeric
kernels for many draws at once), :mod:`~renoscore.sensitivity.monte_carlo`,
:mod:`~renoscore.sensitivity.sobol` and :mod:`~renoscore.sensitivity.oat` (the three analyses).

Examples
--------
Two hundred Dirichlet draws of the weights around the base weights, at the goal and at every
dimension; every community's 5-95 % rank interval holds its median rank (participation is not
assessed, hence not ranked, for the 9 estates without a renovation project):

>>> import renoscore as rs
>>> u = rs.uncertainty(rs.default_system(), rs.example_data(), phase="t0", n=200, seed=1,
...                    missing="renormalize", sources={"weights": rs.sensitivity.WeightNoise()})
>>> u.rank_median.shape, u.spearman.shape  # (communities, levels), (draws, levels)
((30, 5), (200, 5))
>>> ranked = u.rank_median == u.rank_median  # not NaN
>>> bool(((u.rank_p05 <= u.rank_median) & (u.rank_median <= u.rank_p95))[ranked].all())
True
>>> int((~ranked).sum())
10

**One phase.** Ranks are within a phase (:func:`renoscore.evaluate`), so an analysis covers the
rows of one phase: pass ``phase=`` when the data hold several.

**Reproducible.** Every source draws from its own random stream, derived from ``seed`` and the
source's name (NumPy ``SeedSequence``), so the same seed gives the same numbers, adding a source
leaves the draws of the others unchanged, and the first ``n`` draws of a longer run are the
draws of a shorter one. Results record the seed and every setting (:class:`UncertaintySettings`).

The references of every module of the package, in full:

References
----------
Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal of
    Mathematical Psychology 27(1), 93-102.
Archer, G. E. B., Saltelli, A. & Sobol', I. M. (1997). Sensitivity measures, ANOVA-like
    techniques and the use of bootstrap. Journal of Statistical Computation and Simulation
    58(2), 99-120.
Chan, T. F., Golub, G. H. & LeVeque, R. J. (1983). Algorithms for computing the sample
    variance: analysis and recommendations. The American Statistician 37(3), 242-247.
Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
    Analytic Hierarchy Process. European Journal of Operational Research 108(1), 165-169.
Hauser, D. & Tadikamalla, P. (1996). The Analytic Hierarchy Process in an uncertain
    environment: a simulation approach. European Journal of Operational Research 91(1), 27-37.
Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The American
    Statistician 50(4), 361-365.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. Computer Physics
    Communications 117(1-2), 35-43.
JCGM 100:2008. Evaluation of measurement data -- Guide to the expression of uncertainty in
    measurement. Joint Committee for Guides in Metrology.
Kendall, M. G. (1945). The treatment of ties in ranking problems. Biometrika 33(3), 239-251.
Knight, W. R. (1966). A computer method for calculating Kendall's tau with ungrouped data.
    Journal of the American Statistical Association 61(314), 436-439.
Kotz, S., Balakrishnan, N. & Johnson, N. L. (2000). Continuous Multivariate Distributions,
    Vol. 1, 2nd ed., chapter 49 (Dirichlet distribution). Wiley, New York.
Kullback, S. (1959). Information Theory and Statistics. Wiley, New York.
Ma, J., Fan, Z.-P. & Huang, L.-H. (1999). A subjective and objective integrated approach to
    determine attribute weights. European Journal of Operational Research 112(2), 397-404.
OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.
    OECD Publishing, Paris.
Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. Journal of Complexity
    14(4), 466-489.
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. Journal of the
    Royal Statistical Society A 168(2), 307-323.
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Design and estimator for the total
    sensitivity index. Computer Physics Communications 181(2), 259-270.
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana, M. &
    Tarantola, S. (2008). Global Sensitivity Analysis: The Primer. Wiley, Chichester.
Sobol', I. M. (1967). On the distribution of points in a cube and the approximate evaluation
    of integrals. USSR Computational Mathematics and Mathematical Physics 7(4), 86-112.
Sobol', I. M. (1993). Sensitivity estimates for nonlinear mathematical models. Mathematical
    Modelling and Computational Experiments 1(4), 407-414.
Sobol', I. M. & Levitan, Y. L. (1999). On the use of variance reducing multipliers in Monte
    Carlo computations of a global sensitivity index. Computer Physics Communications 117(1-2),
    52-61.
Spearman, C. (1904). The proof and measurement of association between two things. American
    Journal of Psychology 15(1), 72-101.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from renoscore.sensitivity.monte_carlo import UncertaintyResult, uncertainty
from renoscore.sensitivity.oat import OneAtATimeResult, one_at_a_time
from renoscore.sensitivity.sobol import (
    SensitivityResult,
    saltelli_design,
    sensitivity,
    sobol_indices,
)
from renoscore.sensitivity.sources import (
    FACTORS,
    JudgementNoise,
    MeasurementError,
    Sources,
    UncertaintySettings,
    WeightNoise,
)

if TYPE_CHECKING:
    # Typed as at their home (redundant aliases: re-exported for type checkers only).
    from renoscore.plot.sensitivity import plot_one_at_a_time as plot_one_at_a_time
    from renoscore.plot.sensitivity import plot_rank_intervals as plot_rank_intervals
    from renoscore.plot.sensitivity import plot_sobol as plot_sobol
    from renoscore.report.uncertainty import html_section as html_section

# The charts and the report section moved to the presentation layer (plot, report), which
# reads these results; the old import path finds them there on first use (PEP 562), so that
# importing the analyses never imports the presentation.
_MOVED = {
    **dict.fromkeys(
        ("plot_one_at_a_time", "plot_rank_intervals", "plot_sobol"), "renoscore.plot.sensitivity"
    ),
    "html_section": "renoscore.report.uncertainty",
}


def __getattr__(name: str) -> Any:
    """The charts and the report section, from their home in plot and report."""
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module 'renoscore.sensitivity' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_MOVED})


__all__ = [
    "FACTORS",
    "JudgementNoise",
    "MeasurementError",
    "OneAtATimeResult",
    "SensitivityResult",
    "Sources",
    "UncertaintyResult",
    "UncertaintySettings",
    "WeightNoise",
    "one_at_a_time",
    "saltelli_design",
    "sensitivity",
    "sobol_indices",
    "uncertainty",
]
