"""Normalisation of raw indicator values to comparable scores.

Every function takes a raw matrix ``X`` of shape ``(N, M)`` (rows = communities, columns =
indicators) and returns a new ``(N, M)`` float64 matrix. A NaN cell marks a value that is missing
or not applicable; it stays NaN in the output and is never turned into a number.

Two families are offered:

* **Goalposts** (:func:`goalposts`, the default of renoscore): every indicator is mapped from a
  fixed *floor* (score 0) to a fixed *target* (score 1). A community's score depends only on its
  own row, so scores of different batches and phases compare (OECD/JRC 2008, "distance to a
  reference"; UNDP 2010 goalposts of the Human Development Index).
* **Batch-relative** methods (:func:`minmax`, :func:`zscore`, :func:`vector`, :func:`sum_norm`,
  :func:`max_linear`): a community's score depends on which other communities are in the batch.
  They are explicit opt-ins, mainly for TOPSIS-style ranking of one batch.

``directions`` is either a sequence of ``"benefit"`` / ``"cost"`` strings or a boolean array with
``True`` for benefit (higher is better). :func:`benefit_mask` converts either form.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
    OECD Publishing, Paris. Section 1.5 (normalisation).
UNDP (2010). *Human Development Report 2010*, Technical note 1 (goalposts, dimension indices).
Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and Applications*.
    Springer, Berlin. Section 2.2 (vector and linear scale transformations).
Jahan, A. & Edwards, K. L. (2015). A state-of-the-art survey on the influence of normalization
    techniques in ranking: improving the materials selection process in engineering design.
    *Materials & Design* 65, 335-342.
Vafaei, N., Ribeiro, R. A. & Camarinha-Matos, L. M. (2016). Normalization techniques for
    multi-criteria decision making: analytical hierarchy process case study. *DoCEIS 2016*,
    IFIP AICT 470, 261-269.

Examples
--------
A share in per cent (benefit: floor 0, target 100) and a walking distance in metres (cost:
floor 1500 m, target 300 m) for two communities:

>>> import numpy as np
>>> import renoscore as rs
>>> X = np.array([[30.0, 900.0], [75.0, 150.0]])
>>> rs.normalize.goalposts(X, floor=[0, 1500], target=[100, 300])
array([[0.3 , 0.5 ],
       [0.75, 1.  ]])
"""

from renoscore._kernels import Directions, benefit_mask
from renoscore.normalize.fixed_goalposts import goalpost_slope, goalposts
from renoscore.normalize.relative import max_linear, minmax, sum_norm, vector, zscore

__all__ = [
    "Directions",
    "benefit_mask",
    "goalpost_slope",
    "goalposts",
    "max_linear",
    "minmax",
    "sum_norm",
    "vector",
    "zscore",
]
