"""Tests of renoscore.ahp against published worked examples and invariants."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from renoscore import ahp
from renoscore.ahp import _engine
from renoscore.ahp._engine import _perron
from renoscore.errors import InconsistencyWarning, JudgementError, OptionError, WeightsError

NAN = float("nan")
METHODS = ahp.PRIORITY_METHODS


def upper(rows: list[list[float]]) -> np.ndarray:
    """Build a reciprocal matrix from its upper triangle given row by row (diagonal included)."""
    n = len(rows)
    A = np.ones((n, n))
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=i):
            A[i, j] = value
            A[j, i] = 1.0 / value
    return A


def eig_reference(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vals, vecs = np.linalg.eig(A)
    k = np.argmax(vals.real, axis=-1)
    rows = np.arange(A.shape[0])
    w = np.abs(vecs.real[rows, :, k])
    return vals.real[rows, k], w / w.sum(axis=-1, keepdims=True)


def random_saaty(rng: np.random.Generator, batch: int, n: int) -> np.ndarray:
    A = np.ones((batch, n, n))
    iu, ju = np.triu_indices(n, 1)
    v = rng.choice(np.array(ahp.SAATY_SCALE), size=(batch, iu.size))
    A[:, iu, ju] = v
    A[:, ju, iu] = 1.0 / v
    return A


# -- domain brief §4 panel (order F, S, P, C); numbers re-derived here ------------------------
EXPERT_A = np.array(
    [[1, 2, 4, 5], [1 / 2, 1, 3, 4], [1 / 4, 1 / 3, 1, 2], [1 / 5, 1 / 4, 1 / 2, 1]]
)
EXPERT_B = np.array([[1, 1, 2, 1 / 2], [1, 1, 2, 1 / 2], [1 / 2, 1 / 2, 1, 1 / 3], [2, 2, 3, 1]])
EXPERT_C = np.array(
    [[1, 3, 5, 2], [1 / 3, 1, 2, 3], [1 / 5, 1 / 2, 1, 1 / 3], [1 / 2, 1 / 3, 3, 1]]
)
PANEL = np.stack([EXPERT_A, EXPERT_B, EXPERT_C])
FSPC = ["F", "S", "P", "C"]


# ----------------------------------------------------------------------------------------------
# Published worked examples
# ----------------------------------------------------------------------------------------------


def test_saaty_1990_house_example() -> None:
    # Saaty (1990), "How to make a decision: the AHP", EJOR 48, 9-26: the eight criteria of a family
    # buying a house (size, transport, neighbourhood, age, yard, modern facilities, condition,
    # financing): priorities .173 .054 .188 .018 .031 .036 .167 .333, lambda_max 9.669,
    # CI 0.238, CR 0.169 with Saaty's RI(8) = 1.41.
    H = upper(
        [
            [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
            [1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
            [1, 6, 3, 4, 6, 1 / 5],
            [1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
            [1, 1 / 2, 1 / 5, 1 / 6],
            [1, 1 / 5, 1 / 6],
            [1, 1 / 2],
            [1],
        ]
    )
    c = ahp.consistency(H, ri="saaty1980")
    np.testing.assert_allclose(
        c.priorities, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=5e-4
    )
    assert round(float(c.lambda_max), 3) == 9.669
    assert round(float(c.ci), 3) == 0.238
    assert round(float(c.cr), 3) == 0.169
    assert float(c.ri) == 1.41
    assert not c.acceptable


DRINKS = upper(
    # Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
    # Sciences 1(1), 83-98, Table 2: relative consumption of drinks in the US (coffee, wine, tea,
    # beer, sodas, milk, water).
    [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1, 1 / 2, 1, 1 / 3],
        [1, 2, 1 / 2],
        [1, 1 / 3],
        [1],
    ]
)


def test_saaty_2008_drinks() -> None:
    # Saaty (2008), Table 2: derived priorities .177 .019 .042 .116 .190 .129 .327 (actual
    # consumption .180 .010 .040 .120 .180 .140 .330).
    w = ahp.priorities(DRINKS)
    np.testing.assert_allclose(w, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=5e-4)
    # The paper gives no CR; AHPy's test suite (PhilipGriffith/AHPy, tests/test_ahp.py) reports
    # 0.022 with Saaty's (2005) RI and 0.0235 with Donegan & Dodd's (1991) RI for this matrix.
    assert round(float(ahp.consistency(DRINKS, ri="saaty2005").cr), 3) == 0.022
    assert round(float(ahp.consistency(DRINKS, ri="donegan_dodd1991").cr), 4) == 0.0235


def test_wikipedia_leader_example() -> None:
    # "Analytic hierarchy process - leader example" (Wikipedia): criteria experience, education,
    # charisma, age weighted .547, .127, .270, .056; candidates Tom .358, Dick .493, Harry .149.
    criteria = upper([[1, 4, 3, 7], [1, 1 / 3, 3], [1, 5], [1]])
    w = ahp.priorities(criteria)
    np.testing.assert_allclose(w, [0.547, 0.127, 0.270, 0.056], atol=6e-4)

    def tdh(td: float, th: float, dh: float) -> np.ndarray:
        return upper([[1, td, th], [1, dh], [1]])

    alternatives = np.stack(
        [tdh(1 / 4, 4, 9), tdh(3, 1 / 5, 1 / 7), tdh(5, 9, 4), tdh(1 / 3, 5, 9)]
    )
    # Hierarchy synthesis is the integrator's job; a dot product suffices to check the numbers.
    np.testing.assert_allclose(w @ ahp.priorities(alternatives), [0.358, 0.493, 0.149], atol=5e-4)


BOZOKI_U = np.array([[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]])


def test_bozoki_2010_incomplete_4x4() -> None:
    # Bozóki, Fülöp & Rónyai (2010), Math. Comput. Modelling 52, 318-333, Example 3: one missing
    # element x; van Uden's estimate sqrt(2/5 * 4/3) = 0.73029674334 and the lambda_max-optimal
    # x = 0.7302965066047, "equal up to 6 digits" -> 0.730297.
    C = ahp.complete(BOZOKI_U, method="optimal")
    x = float(C[2, 3])
    assert round(x, 6) == 0.730297
    assert C[3, 2] == pytest.approx(1 / x, rel=1e-15)
    # lambda_max is flat to ~1e-14 across the 7th digit; the exact optimality condition (gradient
    # v_i a_ij w_j - v_j a_ji w_i = 0) pins x to the van Uden value, 3e-7 from the paper's iterate.
    _, w, v = _perron(C[None])
    grad = v[0, 2] * C[2, 3] * w[0, 3] - v[0, 3] * C[3, 2] * w[0, 2]
    assert abs(grad) < 1e-12
    assert x == pytest.approx(np.sqrt(2 / 5 * 4 / 3), rel=1e-12)
    assert x == pytest.approx(0.7302965066047, abs=5e-7)


def test_domain_brief_panel_individuals() -> None:
    # Domain brief §4.1 (computed with numpy's principal eigenvector, re-derived here).
    c = ahp.consistency(PANEL, ri="saaty1980")
    np.testing.assert_allclose(c.priorities[0], [0.492, 0.306, 0.125, 0.078], atol=5e-4)
    np.testing.assert_allclose(c.priorities[1], [0.227, 0.227, 0.122, 0.424], atol=5e-4)
    np.testing.assert_allclose(c.priorities[2], [0.476, 0.261, 0.086, 0.177], atol=5e-4)
    np.testing.assert_allclose(c.lambda_max, [4.048, 4.010, 4.299], atol=5e-4)
    np.testing.assert_allclose(c.cr, [0.018, 0.004, 0.111], atol=5e-4)
    assert round(float(c.ci[2]), 4) == 0.0998
    assert list(c.acceptable) == [True, True, False]
    # Street office under the RI(4) = 0.89 table: 0.112.
    assert round(float(ahp.consistency(EXPERT_C, ri="saaty2005").cr), 3) == 0.112
    np.testing.assert_allclose(
        ahp.priorities(EXPERT_C, "geometric_mean"), [0.488, 0.248, 0.089, 0.175], atol=5e-4
    )
    # With lambda estimated from the GM priorities, mean (Aw)_i / w_i: CR 0.1095 (the brief says
    # 0.110; 0.10946 rounds to 0.109 at three decimals).
    gm = ahp.consistency(EXPERT_C, method="geometric_mean")
    assert float(gm.cr) == pytest.approx(0.1095, abs=1e-4)


def test_domain_brief_panel_revisions() -> None:
    # Domain brief §4.1: S:C 3 -> 1 gives CR 0.009, w = .489/.190/.089/.232; F:C 3 and S:C 2
    # gives CR 0.049.
    C1 = EXPERT_C.copy()
    C1[1, 3], C1[3, 1] = 1, 1
    c1 = ahp.consistency(C1)
    assert round(float(c1.cr), 3) == 0.009
    np.testing.assert_allclose(c1.priorities, [0.489, 0.190, 0.089, 0.232], atol=5e-4)
    C2 = EXPERT_C.copy()
    C2[0, 3], C2[3, 0], C2[1, 3], C2[3, 1] = 3, 1 / 3, 2, 1 / 2
    assert round(float(ahp.consistency(C2).cr), 3) == 0.049
    # most_inconsistent finds the S:C judgement the brief blames; its consistent value
    # w_S / w_C = 1.48 snaps (in log distance) to 2, which already passes (CR 0.059).
    top = ahp.most_inconsistent(EXPERT_C, k=1, labels=FSPC, snap=True)[0]
    assert (top.label_i, top.label_j, top.value, top.suggested_value) == ("S", "C", 3.0, 2.0)
    assert top.consistent_value == pytest.approx(0.261 / 0.177, rel=2e-3)
    assert round(top.cr_after, 3) == 0.059


def test_domain_brief_panel_groups() -> None:
    # Domain brief §4.1 group aggregation.
    G = ahp.aggregate_judgements(PANEL)
    np.testing.assert_allclose(
        G,
        [
            [1, 1.817, 3.420, 1.710],
            [0.550, 1, 2.289, 1.817],
            [0.292, 0.437, 1, 0.606],
            [0.585, 0.550, 1.651, 1],
        ],
        atol=5e-4,
    )
    g = ahp.consistency(G)
    np.testing.assert_allclose(g.priorities, [0.409, 0.279, 0.118, 0.194], atol=5e-4)
    assert round(float(g.cr), 3) == 0.014
    np.testing.assert_allclose(
        ahp.priorities(ahp.aggregate_judgements(PANEL[:2])), [0.370, 0.292, 0.137, 0.201], atol=5e-4
    )
    aip = ahp.aggregate_priorities(ahp.priorities(PANEL), method="arithmetic")
    np.testing.assert_allclose(aip, [0.398, 0.265, 0.111, 0.226], atol=5e-4)
    # The same through aggregate_groups, excluding the failing street-office expert.
    with pytest.warns(InconsistencyWarning, match="street office"):
        res = ahp.aggregate_groups(
            PANEL,
            groups=["academic", "academic", "government"],
            exclude_inconsistent=True,
            expert_ids=["planner", "scholar", "street office"],
        )
    assert res.excluded == (2,)
    assert res.dropped_groups == ("government",)
    np.testing.assert_allclose(res.priorities, [0.370, 0.292, 0.137, 0.201], atol=5e-4)


def test_domain_brief_five_dimensions() -> None:
    # Domain brief §4.2 (order F, S, P, C, G).
    A5 = upper([[1, 2, 4, 5, 3], [1, 3, 4, 2], [1, 2, 1 / 2], [1, 1 / 3], [1]])
    B5 = upper([[1, 1, 2, 1 / 2, 1], [1, 2, 1 / 2, 1], [1, 1 / 3, 1], [1, 2], [1]])
    C5 = upper([[1, 2, 5, 2, 2], [1, 2, 3, 1], [1, 1 / 3, 1 / 3], [1, 3], [1]])
    S = np.stack([A5, B5, C5])
    c = ahp.consistency(S)
    np.testing.assert_allclose(
        c.priorities,
        [
            [0.419, 0.263, 0.097, 0.062, 0.160],
            [0.186, 0.186, 0.115, 0.349, 0.163],
            [0.340, 0.238, 0.068, 0.203, 0.152],
        ],
        atol=5e-4,
    )
    np.testing.assert_allclose(c.lambda_max, [5.068, 5.052, 5.482], atol=5e-4)
    np.testing.assert_allclose(c.cr, [0.015, 0.012, 0.108], atol=5e-4)
    aij = ahp.consistency(ahp.aggregate_judgements(S))
    np.testing.assert_allclose(aij.priorities, [0.325, 0.236, 0.098, 0.172, 0.169], atol=5e-4)
    assert round(float(aij.cr), 3) == 0.008
    np.testing.assert_allclose(
        ahp.priorities(ahp.aggregate_judgements(S[:2])),
        [0.305, 0.242, 0.115, 0.161, 0.176],
        atol=5e-4,
    )
    np.testing.assert_allclose(
        ahp.aggregate_priorities(c.priorities, method="arithmetic"),
        [0.315, 0.229, 0.093, 0.205, 0.158],
        atol=5e-4,
    )
    np.testing.assert_allclose(
        ahp.priorities(C5, "geometric_mean"), [0.367, 0.219, 0.071, 0.190, 0.153], atol=5e-4
    )
    assert round(float(ahp.consistency(C5, method="geometric_mean").cr), 3) == 0.104


# ----------------------------------------------------------------------------------------------
# Random index tables
# ----------------------------------------------------------------------------------------------


def test_random_index_tables() -> None:
    # Saaty (1980) as quoted by the brief: RI(4) = 0.90, RI(5) = 1.12.
    np.testing.assert_allclose(ahp.random_index([1, 2, 3, 4, 5, 9]), [0, 0, 0.58, 0.90, 1.12, 1.45])
    assert float(ahp.random_index(4, "saaty2005")) == 0.89
    assert float(ahp.random_index(15, "alonso_lamata2006")) == 1.5838
    assert float(ahp.random_index(4, "tummala_ling1998")) == 0.8921
    assert ahp.random_index(np.array([[3, 4], [5, 6]])).shape == (2, 2)
    # Donegan & Dodd tabulate n = 20 and 25 only: linear interpolation in between.
    assert float(ahp.random_index(22, "donegan_dodd1991")) == pytest.approx(
        1.5371 + 2 / 5 * (1.5619 - 1.5371)
    )
    assert float(ahp.random_index(7, {7: 1.3})) == 1.3


def test_alonso_lamata_formula() -> None:
    # Alonso & Lamata (2006): mean lambda_max of random matrices = 2.7699 n - 4.3513, so
    # RI = (1.7699 n - 4.3513) / (n - 1), and CR < 0.1 is lambda_max < n + 0.1 (1.7699 n - 4.3513).
    n = np.arange(16, 31)
    np.testing.assert_allclose(
        ahp.random_index(n, "alonso_lamata2006"), (1.7699 * n - 4.3513) / (n - 1)
    )
    # Their table (n = 3..15) sits on the same line to about 0.01 in lambda: a regression of
    # lambda = n + (n-1) RI on n gives back their coefficients to 3 digits.
    m = np.arange(3, 16)
    lam = m + (m - 1) * ahp.random_index(m, "alonso_lamata2006")
    slope, intercept = np.polyfit(m, lam, 1)
    assert slope == pytest.approx(2.7699, abs=2e-3)
    assert intercept == pytest.approx(-4.3513, abs=1e-2)


def test_random_index_errors() -> None:
    with pytest.raises(OptionError, match="stops at n = 15") as err:
        ahp.random_index(16, "saaty1980")
    assert "saaty1980" in str(err.value)
    with pytest.raises(OptionError, match="stops at n = 100"):
        ahp.random_index(101, "donegan_dodd1991")
    with pytest.raises(OptionError, match="'tummala_ling1998' stops at n = 15"):
        ahp.random_index(16, "tummala_ling1998")
    with pytest.raises(OptionError, match="unknown"):
        ahp.random_index(4, "saaty")
    with pytest.raises(OptionError, match="'custom' stops at n = 4"):
        ahp.random_index(5, {4: 0.9})
    with pytest.raises(OptionError, match="no value"):
        ahp.random_index(4, {3: 0.5, 5: 1.1})
    with pytest.raises(OptionError):
        ahp.random_index(0)
    with pytest.raises(OptionError):
        ahp.random_index(3.5)
    with pytest.raises(OptionError):
        ahp.random_index(4, {4: -1.0})
    # consistency() propagates the table limit
    with pytest.raises(OptionError, match="saaty1980"):
        ahp.consistency(np.ones((16, 16)))


# ----------------------------------------------------------------------------------------------
# Consistency details
# ----------------------------------------------------------------------------------------------


def test_consistency_small_orders_and_thresholds() -> None:
    for stack in (np.ones((3, 1, 1)), np.stack([upper([[1, 7], [1]])] * 3)):
        c = ahp.consistency(stack)
        assert c.cr.shape == (3,)
        for values in (c.cr, c.ci, c.gci):
            assert np.all(values == 0)
        assert np.all(c.acceptable)
    assert ahp.consistency(EXPERT_C, threshold="saaty").threshold == 0.08
    assert ahp.consistency(np.ones((3, 3)), threshold="saaty").threshold == 0.05
    assert ahp.consistency(np.ones((6, 6)), threshold="saaty").threshold == 0.10
    # A 4x4 matrix with CR between 0.08 and 0.10 passes 0.10 but fails Saaty's n = 4 rule.
    M = upper([[1, 2, 5, 2], [1, 2, 3], [1, 1 / 3], [1]])
    cr = float(ahp.consistency(M).cr)
    assert 0.08 < cr < 0.10
    assert ahp.consistency(M).acceptable
    assert not ahp.consistency(M, threshold="saaty").acceptable
    with pytest.raises(OptionError):
        ahp.consistency(M, threshold="strict")
    with pytest.raises(OptionError):
        ahp.consistency(M, threshold=-1)


def test_gci_thresholds_and_value() -> None:
    # Aguarón & Moreno-Jiménez (2003): GCI = 2/((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j/w_i) with
    # row-geometric-mean w; thresholds 0.31 (n=3), 0.35 (n=4), 0.37 (n>4).
    c = ahp.consistency(EXPERT_C)
    w = ahp.priorities(EXPERT_C, "geometric_mean")
    e = [np.log(EXPERT_C[i, j] * w[j] / w[i]) ** 2 for i in range(4) for j in range(i + 1, 4)]
    assert float(c.gci) == pytest.approx(2 / (3 * 2) * sum(e), rel=1e-12)
    assert c.gci_threshold == 0.35
    assert not c.gci_acceptable
    assert ahp.consistency(np.ones((3, 3))).gci_threshold == 0.31
    assert ahp.consistency(np.ones((7, 7))).gci_threshold == 0.37


def test_consistency_warns_when_asked() -> None:
    with pytest.warns(InconsistencyWarning, match=r"\(2,\)"):
        ahp.consistency(PANEL, warn=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ahp.consistency(PANEL)


def test_unknown_method() -> None:
    with pytest.raises(OptionError, match="method"):
        ahp.priorities(EXPERT_A, method="power")


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------


def test_validation_accepts_rounded_reciprocals() -> None:
    # 0.333 for 1/3 and 0.143 for 1/7 are within the default rtol of 1e-2.
    A = [[1, 3, 7], [0.333, 1, 2], [0.143, 0.5, 1]]
    ahp.validate_judgements(A)
    w = ahp.priorities(A)
    exact = ahp.priorities(upper([[1, 3, 7], [1, 2], [1]]))
    np.testing.assert_allclose(w, exact, atol=2e-3)


def test_validation_reports_every_problem() -> None:
    bad = np.stack([EXPERT_A, EXPERT_A, EXPERT_A])
    bad[0, 0, 1] = 3.0  # a_01 * a_10 = 1.5
    bad[2, 2, 2] = 2.0  # diagonal
    bad[2, 3, 0] = -1.0  # not positive
    bad[1, 1, 3] = NAN  # missing outside complete()
    with pytest.raises(JudgementError) as err:
        ahp.validate_judgements(bad, labels=FSPC)
    paths = [p.path for p in err.value.problems]
    assert "matrix (0,), pair (0, 1) 'F' vs 'S'" in paths
    assert "matrix (2,), row 2 ('P')" in paths
    assert "matrix (2,), pair (3, 0) 'C' vs 'F'" in paths
    assert "matrix (1,), pair (1, 3) 'S' vs 'C'" in paths
    recip = next(p for p in err.value.problems if p.path == "matrix (0,), pair (0, 1) 'F' vs 'S'")
    assert recip.value == (3.0, 0.5)
    assert recip.fix is not None
    assert "0.3333" in recip.fix
    # Two-decimal 1/6 is 2 % off and is rejected with the exact fraction to enter.
    with pytest.raises(JudgementError, match="not reciprocal"):
        ahp.validate_judgements([[1, 6], [0.17, 1]])


@pytest.mark.parametrize(
    "bad",
    [
        np.ones(3),
        np.ones((2, 3)),
        np.ones((0, 0)),
        [[1, np.inf], [0, 1]],
        [["a", "b"], ["c", "d"]],
    ],
)
def test_validation_rejects_shapes_and_values(bad: object) -> None:
    with pytest.raises(JudgementError):
        ahp.priorities(bad)  # type: ignore[arg-type]


def test_validation_options() -> None:
    with pytest.raises(OptionError, match="labels"):
        ahp.validate_judgements(EXPERT_A, labels=["F", "S"])
    with pytest.raises(OptionError, match="rtol"):
        ahp.validate_judgements(EXPERT_A, rtol=2.0)
    # A strict tolerance rejects 3-decimal reciprocals.
    with pytest.raises(JudgementError):
        ahp.validate_judgements([[1, 3], [0.333, 1]], rtol=1e-6)


def test_nan_allowed_only_in_complete() -> None:
    with pytest.raises(JudgementError, match="missing judgements are allowed only"):
        ahp.priorities(BOZOKI_U)
    one_sided = BOZOKI_U.copy()
    one_sided[3, 2] = 2.0
    with pytest.raises(JudgementError, match="missing but"):
        ahp.complete(one_sided)
    diag = BOZOKI_U.copy()
    diag[0, 0] = NAN
    with pytest.raises(JudgementError, match="diagonal"):
        ahp.complete(diag)


# ----------------------------------------------------------------------------------------------
# Completion
# ----------------------------------------------------------------------------------------------

# An 8x8 incomplete matrix with 16 of 28 judgements (the "incomplete housing" example of AHPy's
# test suite, from Bozóki, Fülöp & Rónyai, 2010).
HOUSING = {
    (0, 1): 5, (0, 2): 3, (0, 3): 7, (0, 4): 6, (0, 5): 6, (1, 3): 5, (1, 5): 3, (2, 4): 3,
    (2, 6): 6, (5, 3): 4, (6, 0): 3, (6, 4): 5, (7, 0): 4, (7, 1): 7, (7, 3): 8, (7, 5): 6,
}  # fmt: skip


def housing() -> np.ndarray:
    M = np.full((8, 8), NAN)
    np.fill_diagonal(M, 1.0)
    for (i, j), v in HOUSING.items():
        M[i, j], M[j, i] = v, 1.0 / v
    return M


def lam_max(A: np.ndarray) -> float:
    return float(np.max(np.linalg.eigvals(A).real))


def test_optimal_completion_matches_scipy_and_beats_others() -> None:
    M = housing()
    missing = np.argwhere(np.triu(np.isnan(M), 1))
    opt = ahp.complete(M, "optimal")
    assert not np.isnan(opt).any()
    given = ~np.isnan(M)
    np.testing.assert_allclose(opt[given], M[given], rtol=1e-15)

    def f(y: np.ndarray) -> float:
        A = M.copy()
        A[missing[:, 0], missing[:, 1]] = np.exp(y)
        A[missing[:, 1], missing[:, 0]] = np.exp(-y)
        return lam_max(A)

    ref = minimize(
        f,
        np.zeros(len(missing)),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 40000, "maxfev": 40000},
    )
    assert lam_max(opt) <= ref.fun + 1e-10
    for other in ("harker", "llsm"):
        assert lam_max(opt) <= lam_max(ahp.complete(M, other)) + 1e-12
    # AHPy's cyclic-coordinate completion (tolerance 1e-4) agrees to about 1e-4.
    assert opt[1, 2] == pytest.approx(0.3300187496240363, rel=1e-4)
    assert opt[2, 3] == pytest.approx(9.920512661898753, rel=1e-4)


def test_harker_completion_keeps_eigenpair() -> None:
    # Harker (1987): the principal eigenvector of C (missing -> 0, a_ii += missing in row i) is
    # that of the completed matrix, whose missing entries are w_i / w_j.
    M = housing()
    filled = ahp.complete(M, "harker")
    C = np.where(np.isnan(M), 0.0, M)
    C[np.diag_indices(8)] += np.isnan(M).sum(axis=1)
    lam_c, w_c = eig_reference(C[None])
    lam_f, w_f = eig_reference(filled[None])
    np.testing.assert_allclose(w_f, w_c, atol=1e-13)
    assert lam_f[0] == pytest.approx(lam_c[0], rel=1e-13)


def test_completion_batch_and_disconnected() -> None:
    stack = np.stack([BOZOKI_U, EXPERT_A, housing()[:4, :4]])
    out = ahp.complete(stack)
    assert out.shape == (3, 4, 4)
    np.testing.assert_allclose(out[0], ahp.complete(BOZOKI_U), rtol=1e-12)
    np.testing.assert_allclose(out[1], EXPERT_A, rtol=1e-15)
    D = np.full((4, 4), NAN)
    np.fill_diagonal(D, 1.0)
    D[0, 1], D[1, 0], D[2, 3], D[3, 2] = 2, 1 / 2, 3, 1 / 3
    with pytest.raises(JudgementError, match=r"\{F, S\} \| \{P, C\}") as err:
        ahp.complete(np.stack([BOZOKI_U, D]), labels=FSPC)
    assert err.value.problems[0].path == "matrix (1,)"
    with pytest.raises(OptionError):
        ahp.complete(BOZOKI_U, method="mean")


# ----------------------------------------------------------------------------------------------
# Repair hints
# ----------------------------------------------------------------------------------------------


def test_most_inconsistent_records() -> None:
    recs = ahp.most_inconsistent(EXPERT_C, k=10, labels=FSPC)
    assert len(recs) == 6  # clamped to n(n-1)/2
    dev = [abs(np.log(r.epsilon)) for r in recs]
    assert dev == sorted(dev, reverse=True)
    w = ahp.priorities(EXPERT_C)
    for r in recs:
        assert r.i < r.j
        assert r.epsilon == pytest.approx(EXPERT_C[r.i, r.j] * w[r.j] / w[r.i], rel=1e-12)
        assert r.consistent_value == pytest.approx(w[r.i] / w[r.j], rel=1e-12)
        assert r.cr == pytest.approx(float(ahp.consistency(EXPERT_C).cr), rel=1e-12)
        fixed = EXPERT_C.copy()
        fixed[r.i, r.j], fixed[r.j, r.i] = r.suggested_value, 1 / r.suggested_value
        assert r.cr_after == pytest.approx(float(ahp.consistency(fixed).cr), abs=1e-12)
    # Stacks: k records per matrix in C order, each naming its matrix.
    stacked = ahp.most_inconsistent(np.stack([PANEL, PANEL]), k=2)
    assert [r.matrix_index for r in stacked] == [
        (a, b) for a in range(2) for b in range(3) for _ in range(2)
    ]
    assert (stacked[4].i, stacked[4].j) == (recs[0].i, recs[0].j)
    assert ahp.most_inconsistent(np.ones((1, 1))) == []
    with pytest.raises(OptionError):
        ahp.most_inconsistent(EXPERT_C, k=0)


# ----------------------------------------------------------------------------------------------
# Groups
# ----------------------------------------------------------------------------------------------


def test_aggregate_groups_two_levels() -> None:
    groups = ["government", "residents", "residents"]
    res = ahp.aggregate_groups(
        PANEL, groups, group_weights={"government": 0.6, "residents": 0.4}, expert_weights=[1, 3, 1]
    )
    # Two-level geometric mean = one weighted geometric mean with weights 0.6, 0.4*3/4, 0.4*1/4.
    direct = ahp.aggregate_judgements(PANEL, weights=[0.6, 0.3, 0.1])
    np.testing.assert_allclose(res.matrix, direct, rtol=1e-13)
    np.testing.assert_allclose(res.priorities, ahp.priorities(direct), atol=1e-14)
    np.testing.assert_allclose(res.group_matrices[0], EXPERT_A, rtol=1e-13)
    np.testing.assert_allclose(res.group_weights, [0.6, 0.4])
    assert res.group_names == ("government", "residents")
    assert res.excluded == ()
    aip = ahp.aggregate_groups(PANEL, groups, method="aip", aip_mean="arithmetic")
    w = ahp.priorities(PANEL)
    np.testing.assert_allclose(aip.priorities, 0.5 * w[0] + 0.25 * (w[1] + w[2]), atol=1e-14)
    assert aip.matrix is None
    np.testing.assert_allclose(res.expert_consistency.cr, ahp.consistency(PANEL).cr)


def test_aggregate_groups_errors() -> None:
    with pytest.raises(JudgementError, match="every expert"), pytest.warns(InconsistencyWarning):
        ahp.aggregate_groups(PANEL[2:], ["x"], exclude_inconsistent=True)
    with pytest.raises(WeightsError):
        ahp.aggregate_groups(PANEL, ["a", "b"])
    with pytest.raises(WeightsError, match="missing"):
        ahp.aggregate_groups(PANEL, ["a", "b", "b"], group_weights={"a": 1})
    with pytest.raises(WeightsError):
        ahp.aggregate_judgements(PANEL, weights=[1, -1, 1])
    with pytest.raises(WeightsError):
        ahp.aggregate_priorities([[0.5, 0.5], [1.0, 0.0]])
    with pytest.raises(JudgementError, match="wrong shape"):
        ahp.aggregate_judgements(EXPERT_A)
    with pytest.raises(OptionError):
        ahp.aggregate_groups(PANEL, ["a", "b", "b"], method="mean")


# ----------------------------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------------------------

weights_st = st.integers(1, 12).flatmap(
    lambda n: st.lists(st.floats(0.05, 20.0, allow_nan=False), min_size=n, max_size=n)
)


@settings(max_examples=120, deadline=None)
@given(weights_st)
def test_consistent_matrix_returns_its_weights(raw: list[float]) -> None:
    w = np.array(raw) / np.sum(raw)
    A = w[:, None] / w[None, :]
    for method in METHODS:
        c = ahp.consistency(A, ri="alonso_lamata2006", method=method)
        np.testing.assert_allclose(c.priorities, w, atol=1e-12)
        assert float(c.cr) < 1e-12
        assert float(c.gci) < 1e-20


@st.composite
def saaty_matrices(draw: st.DrawFn, max_n: int = 12) -> np.ndarray:
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**32 - 1))
    return random_saaty(np.random.default_rng(seed), 1, n)[0]


@settings(max_examples=100, deadline=None)
@given(saaty_matrices(), st.randoms(use_true_random=False))
def test_permuting_criteria_permutes_priorities(A: np.ndarray, rnd: object) -> None:
    n = A.shape[0]
    perm = np.arange(n)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    for method in METHODS:
        w = ahp.priorities(A, method)
        wp = ahp.priorities(A[np.ix_(perm, perm)], method)
        np.testing.assert_allclose(wp, w[perm], atol=1e-13)
        assert np.all(w > 0)
        assert abs(w.sum() - 1) < 1e-14
    c, cp = (
        ahp.consistency(A, ri="alonso_lamata2006"),
        ahp.consistency(A[np.ix_(perm, perm)], ri="alonso_lamata2006"),
    )
    assert float(cp.cr) == pytest.approx(float(c.cr), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(saaty_matrices(), st.integers(1, 5))
def test_aij_of_identical_matrices_is_the_matrix(A: np.ndarray, m: int) -> None:
    np.testing.assert_allclose(ahp.aggregate_judgements(np.stack([A] * m)), A, rtol=1e-13)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 10), st.integers(2, 6), st.integers(0, 2**32 - 1))
def test_aij_equals_geometric_aip_for_geometric_mean(n: int, m: int, seed: int) -> None:
    # Barzilai & Golany (1994): with row-geometric-mean priorities, AIJ and geometric AIP agree.
    rng = np.random.default_rng(seed)
    stack = random_saaty(rng, m, n)
    lam = rng.uniform(0.1, 1.0, size=m)
    aij = ahp.priorities(ahp.aggregate_judgements(stack, weights=lam), "geometric_mean")
    aip = ahp.aggregate_priorities(ahp.priorities(stack, "geometric_mean"), weights=lam)
    np.testing.assert_allclose(aij, aip, atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_batch_equals_single_and_eig(n: int, seed: int) -> None:
    stack = random_saaty(np.random.default_rng(seed), 6, n)
    lam_ref, w_ref = eig_reference(stack)
    c = ahp.consistency(stack.reshape(2, 3, n, n), ri="alonso_lamata2006")
    np.testing.assert_allclose(c.priorities.reshape(6, n), w_ref, atol=1e-12)
    np.testing.assert_allclose(c.lambda_max.reshape(6), lam_ref, atol=1e-12)
    for method in METHODS:
        batched = ahp.priorities(stack, method)
        for b in range(6):
            np.testing.assert_allclose(batched[b], ahp.priorities(stack[b], method), atol=1e-15)
    assert c.cr.shape == (2, 3)


def test_eigenvector_agrees_with_eig_on_inconsistent_stacks() -> None:
    rng = np.random.default_rng(2024)
    for n in (3, 4, 9, 15, 30):
        stack = random_saaty(rng, 500, n)
        lam_ref, w_ref = eig_reference(stack)
        c = ahp.consistency(stack, ri="alonso_lamata2006")
        assert np.max(np.abs(c.priorities - w_ref)) < 1e-12
        assert np.max(np.abs(c.lambda_max - lam_ref)) < 1e-12


def test_fallback_to_eig_for_slow_convergence(monkeypatch: pytest.MonkeyPatch) -> None:
    # With the iteration cut short every matrix must come back through numpy.linalg.eig.
    monkeypatch.setattr(_engine, "_PERRON_MAX_SQUARINGS", 0)
    monkeypatch.setattr(_engine, "_PERRON_WARMUP", 0)
    stack = random_saaty(np.random.default_rng(7), 20, 6)
    lam_ref, w_ref = eig_reference(stack)
    c = ahp.consistency(stack)
    np.testing.assert_allclose(c.priorities, w_ref, atol=1e-12)
    np.testing.assert_allclose(c.lambda_max, lam_ref, atol=1e-12)


def test_empty_batch() -> None:
    assert ahp.priorities(np.ones((0, 4, 4))).shape == (0, 4)
    assert ahp.consistency(np.ones((0, 4, 4))).cr.shape == (0,)


# --------------------------------------------------------------------------- one matrix, fast
@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 15),
    seed=st.integers(0, 2**32 - 1),
    batch=st.integers(2, 5),
)
def test_one_matrix_same_bits_as_in_a_stack(n: int, seed: int, batch: int) -> None:
    """The small-batch path shares the kernel: a matrix gets the same bits alone as in a stack."""
    rng = np.random.default_rng(seed)
    iu, ju = np.triu_indices(n, 1)
    A = np.ones((batch, n, n))
    v = rng.choice(np.array(ahp.SAATY_SCALE), size=(batch, iu.size))
    A[:, iu, ju], A[:, ju, iu] = v, 1.0 / v
    stack = ahp.consistency(A)
    for b in range(batch):
        one = ahp.consistency(A[b])
        assert one.priorities.shape == (n,)
        assert one.cr.shape == ()
        for name in ("priorities", "lambda_max", "cr", "gci"):
            assert np.array_equal(getattr(one, name), getattr(stack, name)[b]), name
        assert np.array_equal(ahp.priorities(A[b]), stack.priorities[b])
    ref = np.linalg.eig(A)
    k = np.argmax(ref[0].real, axis=-1)
    lam = ref[0].real[np.arange(batch), k]
    assert np.allclose(stack.lambda_max, lam, rtol=1e-13, atol=0)


def test_quick_accept_leaves_the_checks_to_the_full_path() -> None:
    """Reciprocals typed with three decimals pass the quick test and are repaired as before;
    a NaN or a negative entry fails it and the full checks locate them."""
    A = np.array([[1.0, 3.0, 7.0], [0.333, 1.0, 2.0], [0.143, 0.5, 1.0]])
    exact = np.array([[1.0, 3.0, 7.0], [1 / 3, 1.0, 2.0], [1 / 7, 0.5, 1.0]])
    assert np.allclose(ahp.priorities(A), ahp.priorities(exact), atol=2e-3)
    for bad in (np.nan, -2.0):
        B = np.array([[1.0, bad], [0.5, 1.0]])
        with pytest.raises(JudgementError) as err:
            ahp.consistency(B)
        assert err.value.problems[0].path == "pair (0, 1)"
