"""Tests of grey relational analysis against its definition and a hand-worked example."""

from __future__ import annotations

import numpy as np
import pytest

from renoscore.aggregate import (
    grey_relational,
)
from renoscore.errors import (
    OptionError,
)

NAN = float("nan")


# ----------------------------------------------------------------------------------------------
# grey relational analysis
# ----------------------------------------------------------------------------------------------


def _gra_by_definition(X: np.ndarray, w: np.ndarray, benefit: np.ndarray, rho: float) -> np.ndarray:
    """Deng (1982) grey relational grade, transcribed literally with loops (test oracle)."""
    n, m = X.shape
    r = np.empty_like(X)
    for j in range(m):
        lo, hi = X[:, j].min(), X[:, j].max()
        for i in range(n):
            r[i, j] = (X[i, j] - lo) / (hi - lo) if benefit[j] else (hi - X[i, j]) / (hi - lo)
    delta = [[abs(1.0 - r[i, j]) for j in range(m)] for i in range(n)]
    dmin = min(min(row) for row in delta)
    dmax = max(max(row) for row in delta)
    return np.array(
        [
            sum(w[j] * (dmin + rho * dmax) / (delta[i][j] + rho * dmax) for j in range(m))
            for i in range(n)
        ]
    )


def test_grey_relational_hand_worked_example() -> None:
    # Deng (1982): with rho = 0.5, Delta_min = 0 and Delta_max = 1 after min-max normalisation,
    # xi = 0.5 / (Delta + 0.5). Alternative 3 sits half-way in both criteria: xi = 0.5, grade 0.5.
    X = [[1.0, 10.0], [0.0, 20.0], [0.5, 15.0]]
    g = grey_relational(X, [0.5, 0.5], ["benefit", "cost"])
    np.testing.assert_allclose(g, [1.0, 1 / 3, 0.5])


def test_grey_relational_textbook_data_matches_definition() -> None:
    # Data of the six-alternative, nine-indicator GRA evaluation in 司守奎 & 孙兆亮 (2015),
    # 数学建模算法与应用 (第2版), ch. 14 (indicators 2-4 are costs; equal weights; rho 0.5).
    # The book's printed grades could not be checked here, so the oracle is Deng's definition
    # computed literally; the ranking A4 > A3 > A6 > A2 > A5 > A1 follows from it.
    a = np.array(
        [
            [0.83, 0.90, 0.99, 0.92, 0.87, 0.95],
            [326, 295, 340, 287, 310, 303],
            [21, 38, 25, 19, 27, 10],
            [3.2, 2.4, 2.2, 2.0, 0.9, 1.7],
            [0.20, 0.25, 0.12, 0.33, 0.20, 0.09],
            [0.15, 0.20, 0.14, 0.09, 0.15, 0.17],
            [250, 180, 300, 200, 150, 175],
            [0.23, 0.15, 0.27, 0.30, 0.18, 0.26],
            [0.87, 0.95, 0.99, 0.89, 0.82, 0.94],
        ]
    )
    X = a.T
    benefit = np.array([True, False, False, False, True, True, True, True, True])
    w = np.full(9, 1 / 9)
    g = grey_relational(X, w, benefit)
    np.testing.assert_allclose(g, _gra_by_definition(X, w, benefit, 0.5), rtol=1e-12)
    assert list(np.argsort(-g)) == [3, 2, 5, 1, 4, 0]


def test_grey_relational_reference_none_normalisation_and_nan() -> None:
    S = np.array([[1.0, 0.5], [0.5, 0.5], [NAN, 1.0]])
    g = grey_relational(S, [0.5, 0.5], ["benefit", "benefit"], normalization="none")
    # Delta = 1 - S; Delta_min = 0, Delta_max = 0.5 -> xi = 0.25 / (Delta + 0.25).
    np.testing.assert_allclose(g[:2], [0.5 * 1 + 0.5 * 1 / 3, 1 / 3])
    assert np.isnan(g[2])
    # An explicit reference on the raw scale (here the worst values) reverses the preference.
    X = [[1.0], [2.0], [3.0]]
    g = grey_relational(X, [1.0], ["benefit"], reference=[1.0])
    assert g[0] > g[1] > g[2]
    with pytest.raises(OptionError):
        grey_relational(X, [1.0], ["benefit"], rho=0.0)
    with pytest.raises(OptionError):
        grey_relational(X, [1.0], ["cost"], normalization="none")
