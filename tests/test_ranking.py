"""Tests of renoscore.ranking: tie methods, tolerance, NaN, grade bands."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import rankdata

from renoscore.errors import OptionError
from renoscore.ranking import DEFAULT_GRADE_LABELS_ZH, grade, rank

NAN = float("nan")
METHODS = ("min", "max", "dense", "average", "ordinal")


def test_textbook_tie_conventions() -> None:
    # The standard conventions ("1224", "1334", "1223", "1 2.5 2.5 4", "1234") as defined for
    # scipy.stats.rankdata and Kendall (1945) mid-ranks, on the scores 90, 80, 80, 70.
    s = [90.0, 80.0, 80.0, 70.0]
    assert rank(s, method="min").tolist() == [1, 2, 2, 4]
    assert rank(s, method="max").tolist() == [1, 3, 3, 4]
    assert rank(s, method="dense").tolist() == [1, 2, 2, 3]
    assert rank(s, method="average").tolist() == [1, 2.5, 2.5, 4]
    assert rank(s, method="ordinal").tolist() == [1, 2, 3, 4]
    assert rank(s, descending=False).tolist() == [4, 2, 2, 1]


@settings(max_examples=150, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 15), st.integers(1, 3)),
        elements=st.integers(0, 4).map(float),
    ),
    st.sampled_from(METHODS),
)
def test_exact_ties_agree_with_scipy_rankdata(x: np.ndarray, method: str) -> None:
    # With tol=0 the ranks are scipy's (descending: rank the negated scores).
    got = rank(x, method=method, tol=0.0)  # type: ignore[arg-type]
    np.testing.assert_array_equal(got, rankdata(-x, method=method, axis=0))


def test_tolerance_ties_without_rounding() -> None:
    # 0.9 and 0.9 + 1e-12 tie (float noise); 0.9 and 0.9 + 1e-6 do not.
    assert rank([0.9, 0.9 + 1e-12, 0.5]).tolist() == [1, 1, 3]
    assert rank([0.9, 0.9 + 1e-6, 0.5]).tolist() == [2, 1, 3]
    # Rounding to 2 decimals would tie 0.894 and 0.886; the tolerance rule does not.
    assert rank([0.894, 0.886]).tolist() == [1, 2]


def test_chained_gaps_form_one_group() -> None:
    # Documented rule: a new group starts only where the gap to the previous sorted score
    # exceeds tol, so 1.0, 0.9, 0.8 with tol 0.15 are one group although 1.0 - 0.8 > tol.
    assert rank([1.0, 0.9, 0.8, 0.5], tol=0.15).tolist() == [1, 1, 1, 4]
    assert rank([1.0, 0.9, 0.8, 0.5], tol=0.15, method="dense").tolist() == [1, 1, 1, 2]


def test_nan_gets_no_rank_and_does_not_count() -> None:
    r = rank([NAN, 0.3, 0.7, NAN])
    assert np.isnan(r[0])
    assert np.isnan(r[3])
    assert r[1:3].tolist() == [2, 1]
    assert np.isnan(rank([NAN, NAN])).all()


def test_infinities_rank_and_tie() -> None:
    inf = float("inf")
    assert rank([inf, 1.0, inf, -inf]).tolist() == [1, 3, 1, 4]


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, (9, 3), elements=st.floats(-1, 1) | st.just(NAN)),
    st.permutations(range(9)),
    st.sampled_from(METHODS[:-1]),
)
def test_rank_is_invariant_to_row_order_and_columnwise(
    x: np.ndarray, perm: list[int], method: str
) -> None:
    r = rank(x, method=method)  # type: ignore[arg-type]
    np.testing.assert_array_equal(rank(x[perm], method=method), r[perm])  # type: ignore[arg-type]
    for k in range(x.shape[1]):
        np.testing.assert_array_equal(rank(x[:, k], method=method), r[:, k])  # type: ignore[arg-type]
    # Better score, better (smaller or equal) rank.
    for k in range(x.shape[1]):
        col, rk = x[:, k], r[:, k]
        ok = ~np.isnan(col)
        order = np.argsort(-col[ok], kind="stable")
        assert (np.diff(rk[ok][order]) >= 0).all()


def test_rank_validation() -> None:
    with pytest.raises(OptionError):
        rank([1.0], method="first")  # type: ignore[arg-type]
    with pytest.raises(OptionError):
        rank([1.0], tol=-1.0)
    assert rank(np.empty(0)).shape == (0,)


def test_grade_default_bands_and_boundaries() -> None:
    # Domain brief sec. 6: 优秀 >= 85, 良好 70 to < 85, 一般 60 to < 70, 较差 < 60.
    s = [100.0, 85.0, 84.99999999999, 70.0, 69.9, 60.0, 59.99, 0.0, NAN]
    assert grade(s).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, -1]
    # With a tolerance, float error just below a threshold is not demoted.
    assert grade([84.99999999999, 84.9], tol=1e-9).tolist() == [0, 1]
    labels = grade([90.0, 65.0, NAN], (85, 70, 60), DEFAULT_GRADE_LABELS_ZH, missing_label="—")
    assert labels.tolist() == ["优秀", "一般", "—"]


def test_grade_keeps_shape_and_custom_bands() -> None:
    s = np.array([[95.0, 81.0], [75.0, 10.0]])
    # 90/80/70/60 banding (domain brief alternative).
    np.testing.assert_array_equal(grade(s, (90, 80, 70, 60)), [[0, 1], [2, 4]])


def test_grade_validation() -> None:
    with pytest.raises(OptionError):
        grade([1.0], (60, 70))
    with pytest.raises(OptionError):
        grade([1.0], (85, 70), ["a", "b"])
    with pytest.raises(OptionError):
        grade([1.0], (85, float("nan")))
