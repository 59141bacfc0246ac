"""The four quadrants of importance-performance analysis and which one an attribute is in.

Martilla & James (1977) split the importance-performance plane with a crosshair:

=========================  ==================  =====================  ===========
quadrant                   importance          performance            中文
=========================  ==================  =====================  ===========
``concentrate_here``       high (>= centre)    low (< centre)         重点改进
``keep_up_the_good_work``  high                high (>= centre)       继续保持
``low_priority``           low                 low                    低优先
``possible_overkill``      low                 high                   过度投入
=========================  ==================  =====================  ===========

References
----------
Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. Journal of Marketing
41(1), 77-79.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["QUADRANTS", "QUADRANT_NAMES", "ipa_quadrants"]

#: Quadrant codes 0-3 (-1: not classified, a NaN input) and their ids.
QUADRANTS: tuple[str, ...] = (
    "concentrate_here",
    "keep_up_the_good_work",
    "low_priority",
    "possible_overkill",
)

#: Display names of the quadrants (Martilla & James, 1977), English and Chinese.
QUADRANT_NAMES: Mapping[str, Mapping[str, str]] = {
    "concentrate_here": {"en": "Concentrate here", "zh": "重点改进"},
    "keep_up_the_good_work": {"en": "Keep up the good work", "zh": "继续保持"},
    "low_priority": {"en": "Low priority", "zh": "低优先"},
    "possible_overkill": {"en": "Possible overkill", "zh": "过度投入"},
}


def ipa_quadrants(
    importance: ArrayLike,
    performance: ArrayLike,
    importance_center: ArrayLike,
    performance_center: ArrayLike,
) -> NDArray[np.int8]:
    """Quadrant code of every attribute (Martilla & James, 1977).

    High means at or above the centre. Codes: 0 concentrate here (important, performing
    below the centre), 1 keep up the good work, 2 low priority, 3 possible overkill; -1 where
    an input is NaN. All arguments broadcast.

    Parameters
    ----------
    importance, performance : array_like
        Attribute importance and performance.
    importance_center, performance_center : array_like
        The crosshair.

    Returns
    -------
    ndarray of int8

    References
    ----------
    Martilla & James (1977).

    Examples
    --------
    >>> ipa_quadrants([0.4, 0.4, 0.1, 0.1], [50, 80, 50, 80], 0.25, 65).tolist()
    [0, 1, 2, 3]
    """
    imp = np.asarray(importance, dtype=np.float64)
    perf = np.asarray(performance, dtype=np.float64)
    ic = np.asarray(importance_center, dtype=np.float64)
    pc = np.asarray(performance_center, dtype=np.float64)
    high_i = imp >= ic
    high_p = perf >= pc
    code = np.where(high_i, np.where(high_p, 1, 0), np.where(high_p, 3, 2))
    valid = np.isfinite(imp) & np.isfinite(perf) & np.isfinite(ic) & np.isfinite(pc)
    return np.where(valid, code, -1).astype(np.int8)
