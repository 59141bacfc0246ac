"""The exact selection equals brute force on small cases and is never worse than greedy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.errors import OptionError
from renoscore.programme import brute_force_selection, greedy_selection, solve_selection
from renoscore.programme._selection import SelectionProblem, greedy_fill, group_cumsum


def _case(rng: np.random.Generator) -> dict:
    n = int(rng.integers(1, 13))
    value = rng.gamma(1.0, 1.0, n) * (rng.random(n) > 0.1)
    if rng.random() < 0.3:
        value = np.round(value, 1)  # ties
    cost = rng.integers(1, 50, n).astype(float) * 1e4
    basic = rng.random(n) < 0.3
    groups = int(rng.integers(0, 3))
    group = rng.integers(-1, groups, n) if groups else None
    caps = rng.uniform(0.2, 0.8, groups) * cost.sum() if groups else None
    budget = float(rng.uniform(0.1, 1.0) * cost.sum())
    return {
        "value": value,
        "cost": cost,
        "basic": basic,
        "budget": budget,
        "group": group,
        "caps": caps,
    }


@pytest.mark.parametrize("seed", range(4))
def test_exact_equals_brute_force_and_beats_greedy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    methods = []
    for _ in range(60):  # 240 random cases of at most 12 items, each solved both ways
        case = _case(rng)
        brute = brute_force_selection(**case)
        greedy = greedy_selection(**case)
        for solver in ("auto", "milp"):
            exact = solve_selection(**case, core_solver=solver)
            assert exact.optimal
            assert exact.gap == 0.0
            assert np.array_equal(exact.chosen, brute), (solver, case)
            v, b = case["value"], case["basic"]
            assert int(b[greedy].sum()) == exact.basic_funded
            assert v[greedy].sum() <= exact.value + 1e-9
            methods.append(exact.method)
    # the automatic choice used the knapsack programme where it could, the MILP elsewhere
    assert {"knapsack", "milp"} <= set(methods[0::2])
    assert set(methods[1::2]) == {"milp"}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.7]), st.integers(0, 6)),
        min_size=0,
        max_size=10,
    ),
    st.integers(0, 25),
)
def test_knapsack_programme_equals_enumeration(items: list[tuple[float, int]], cap: int) -> None:
    # ties of value per yuan, items that cost nothing and items worth nothing included
    from renoscore.programme._knapsack import knapsack

    v = np.array([x for x, _ in items], dtype=float)
    c = np.array([y for _, y in items], dtype=float)
    n = v.size
    plans = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    plans = plans[plans @ c <= cap]
    worth = plans @ v
    best = plans[worth >= worth.max() - 1e-9]
    cheapest = (best @ c).min()
    x = knapsack(v, c, float(cap), 1e-9, 1e-9)
    assert x is not None
    assert c[x].sum() <= cap
    assert v[x].sum() == pytest.approx(worth.max(), abs=1e-9)
    assert c[x].sum() == pytest.approx(cheapest)


def test_basic_items_come_first() -> None:
    # a basic item worth nothing beats a valuable improvement item when only one fits
    s = solve_selection(np.array([0.0, 10.0]), np.array([5.0, 5.0]), np.array([True, False]), 5.0)
    assert s.chosen.tolist() == [True, False]
    assert s.basic_funded == s.basic_max == 1


def test_identical_items_go_to_the_first() -> None:
    v, c = np.ones(4), np.full(4, 2.0)
    s = solve_selection(v, c, np.zeros(4, bool), 4.0)
    assert s.chosen.tolist() == [True, True, False, False]


def test_caps_are_kept() -> None:
    rng = np.random.default_rng(3)
    v, c = rng.random(300), rng.uniform(1, 10, 300)
    g = rng.integers(0, 3, 300)
    caps = np.array([20.0, 30.0, np.inf])
    s = solve_selection(v, c, np.zeros(300, bool), 100.0, g, caps)
    spend = np.bincount(g[s.chosen], c[s.chosen], 3)
    assert (spend <= caps + 1e-6).all()
    assert c[s.chosen].sum() <= 100 + 1e-6
    assert s.optimal
    assert s.bound >= s.value - 1e-9


@pytest.mark.parametrize("caps_share", [0.3, 1.5])
def test_knapsack_programme_and_milp_agree_on_a_larger_case(caps_share: float) -> None:
    # caps_share 1.5: no cap binds in the core (one knapsack under the budget); 0.3: the caps
    # add up to less than the budget (one knapsack per district)
    rng = np.random.default_rng(5)
    n = 1000
    v, c = rng.gamma(1.5, 0.5, n), rng.lognormal(10, 1.0, n).round(-1)
    g = rng.integers(0, 4, n)
    budget = float(c.sum() * 0.25)
    caps = np.bincount(g, c, 4) * 0.25 * caps_share
    auto = solve_selection(v, c, np.zeros(n, bool), budget, g, caps)
    milp = solve_selection(v, c, np.zeros(n, bool), budget, g, caps, core_solver="milp")
    assert auto.method == "knapsack"
    assert auto.optimal
    assert milp.optimal
    assert auto.value == pytest.approx(milp.value, rel=1e-9)
    spend = np.bincount(g[auto.chosen], c[auto.chosen], 4)
    assert (spend <= caps + 1e-6).all()
    assert c[auto.chosen].sum() <= budget + 1e-6


def test_both_budget_and_caps_binding_go_to_the_milp() -> None:
    rng = np.random.default_rng(1)
    n = 300
    c = rng.uniform(1, 10, n).round(1)
    v = c * rng.uniform(0.95, 1.05, n)  # values close to costs: many items near the margin
    g = rng.integers(0, 2, n)
    caps = np.array([0.2, 0.2]) * c.sum()
    s = solve_selection(v, c, np.zeros(n, bool), 0.3 * c.sum(), g, caps)
    assert s.method == "milp"
    assert s.optimal
    assert s.gap == 0.0
    assert np.bincount(g[s.chosen], c[s.chosen], 2).max() <= 0.2 * c.sum() + 1e-6


def test_larger_case_never_worse_than_greedy_and_within_bound() -> None:
    rng = np.random.default_rng(11)
    n = 4000
    v, c = rng.gamma(1.5, 0.5, n), rng.lognormal(12, 1.0, n).round(-2)
    b = rng.random(n) < 0.1
    s = solve_selection(v, c, b, float(c.sum() * 0.1))
    g = greedy_selection(v, c, b, float(c.sum() * 0.1))
    assert s.basic_funded == int(b[g].sum())
    assert s.value >= v[g].sum() - 1e-9
    assert s.value <= s.bound + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=1, max_size=30), st.floats(0, 500))
def test_greedy_fill_matches_one_by_one(costs: list[float], budget: float) -> None:
    c = np.array(costs)
    p = SelectionProblem.build(np.ones(c.size), c, np.zeros(c.size, bool), budget)
    taken, left = [], budget
    for x in c:
        ok = x <= left + p.eps
        taken.append(ok)
        left -= x if ok else 0.0
    assert greedy_fill(p, np.arange(c.size)).tolist() == taken


def test_group_cumsum() -> None:
    assert group_cumsum(np.array([1.0, 1.0, 1.0]), np.array([2, 2, 0])).tolist() == [1.0, 2.0, 1.0]


def test_bad_problem() -> None:
    with pytest.raises(OptionError, match="invalid selection problem"):
        solve_selection(np.array([-1.0]), np.array([1.0]), np.array([False]), 1.0)


def test_a_knapsack_that_outgrows_its_states_falls_back_to_the_milp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from renoscore.programme import _knapsack

    rng = np.random.default_rng(8)
    n = 600
    v, c = rng.gamma(1.5, 0.5, n), rng.lognormal(10, 1.0, n).round(-1)
    args = (v, c, np.zeros(n, bool), float(c.sum() * 0.3))
    auto = solve_selection(*args)
    assert auto.method == "knapsack"
    assert _knapsack.knapsack(v, c, float(c.sum() * 0.3), max_states=1) is None
    monkeypatch.setattr(_knapsack, "MAX_STORED", 0)
    fallback = solve_selection(*args)
    assert fallback.method == "milp"
    assert fallback.optimal
    assert np.array_equal(fallback.chosen, auto.chosen)
