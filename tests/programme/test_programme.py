"""The plan, the ledger round trip, amounts, costs, gains, milestones, roll-ups and the CLI."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.errors import CostTableError, LedgerError, OptionError, ProjectTableError
from renoscore.programme import (
    default_costs,
    load_costs,
    parse_amount,
    plan_programme,
    renovation_items,
    score_gains,
)
from renoscore.programme.ledger import build_ledger, read_ledger
from renoscore.programme.milestones import (
    example_projects,
    load_projects,
    mid_works_indicators,
    progress_rollup,
    project_progress,
)
from renoscore.programme.rollup import rollup


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    return rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")


@pytest.fixture(scope="module")
def plan(result: rs.EvaluationResult):  # type: ignore[no-untyped-def]
    return plan_programme(result, "3000万", willingness=("p_plan_approval", "g_fee_collection"))


def test_amounts_are_strict() -> None:
    assert parse_amount("3000万") == parse_amount("3,000万元") == parse_amount("0.3亿") == 3e7
    assert parse_amount("850,000元") == 850_000
    for bad in ("3000w", "三千万", "-5万", "", "3000万万", "1,00万", "nan"):
        with pytest.raises(OptionError):
            parse_amount(bad)


@pytest.mark.parametrize("release", [None, 1])
def test_every_unit_cost_has_a_source(release: int | None) -> None:
    costs = default_costs(release)
    for key, line in costs.items.items():
        assert "stated default" in line.source or any(
            tag in line.source for tag in ("MOHURD", "ChinaDaily", "NDRC", "LY")
        ), key
    tag = "" if release is None else f"@{release}"
    system = rs.load_system(f"old_community_renovation{tag}")
    renovation = {i.id for i in system.indicators if i.category.value != "none"}
    # release 1's table also prices g_property_mode, an item of release 1's system only
    assert set(costs.items) == renovation
    assert costs.check(rs.load_system(f"complete_community{tag}"))


def test_each_release_is_planned_with_its_own_table() -> None:
    # release 2's networks have a line each, with the utility company responsible; their unit
    # costs add up to release 1's one line for the seven (14,000 yuan per household)
    v2, v1 = default_costs(), default_costs(1)
    nets = ("water_supply", "drainage", "power_supply", "gas", "heating", "road", "telecom")
    assert (
        sum(v2.items[f"f_{n}_ok"].unit_cost for n in nets)
        == 7 * v1.items["f_basic_utilities_ok"].unit_cost
        == 14_000
    )
    assert {v2.items[f"f_{n}_ok"].responsible for n in nets} == {"utilities", "street_office"}
    old = rs.load_system("old_community_renovation@1")
    assert default_costs(old) == v1
    assert default_costs(rs.default_system()) == v2
    with pytest.raises(CostTableError, match="does not fit system"):
        v2.check(old)
    with pytest.raises(CostTableError, match="does not fit system"):
        v1.check(rs.default_system())
    with pytest.raises(OptionError, match="no shipped cost table"):
        default_costs(7)
    # release 1's example, planned with release 1's table: the numbers issue 16 published
    r1 = rs.evaluate(old, rs.example_data(version=1), missing="renormalize")
    p1 = plan_programme(r1, "3000万")
    assert (p1.items.n, int(p1.funded.sum()), p1.selection.basic_funded) == (461, 141, 101)
    assert int(p1.items.basic.sum()) == 111


def test_cost_table_problems() -> None:
    with pytest.raises(CostTableError) as err:
        default_costs().model_copy(
            update={"items": {"c_trust": default_costs().items["f_parcel_locker"]}}
        ).check(rs.default_system())
    assert "category none" in str(err.value)
    text = """format: renoscore.costs/1
price_year: 2023
items:
  f_parcel_locker:
    measure: {en: a, zh: b}
    quantity: {gap: whole}
    unit_cost: 3000w
    unit: lifts
    responsible: goverment
    funding: {local_budget: 0.5}
    source: stated default
"""
    with pytest.raises(CostTableError) as err:
        load_costs(text)
    # the amount, the unit (not in the unit model), the misspelled responsible unit, the shares
    assert [p.path for p in err.value.problems] == [
        "items.f_parcel_locker.unit_cost",
        "items.f_parcel_locker.unit.code",
        "items.f_parcel_locker.responsible",
        "items.f_parcel_locker.funding",
    ]
    assert all(p.line for p in err.value.problems)
    good = load_costs(
        text.replace("3000w", "0.3万元")
        .replace("unit: lifts", "unit: {code: count, note: {en: lockers, zh: 快件箱}}")
        .replace("goverment", "market")
        .replace("0.5}", "1.0}")
    )
    line = good.items["f_parcel_locker"]
    assert (line.unit_cost, line.unit.label("zh")) == (3000.0, "个（快件箱）")


def test_gains_add_up_to_the_re_evaluated_score(result: rs.EvaluationResult, plan) -> None:  # type: ignore[no-untyped-def]
    # Raise the funded items of one community to target and score again: the score rises by
    # exactly the plan's gain (arithmetic mean: gains add up).
    rec = plan.community_records()[0]
    cid = rec["community_id"]
    k = result.row(cid, "t0")
    funded = [
        plan.items.indicator[i] for i in np.flatnonzero(plan.funded) if plan.items.row[i] == k
    ]
    values = result.values[k].copy()
    for j in funded:
        values[j] = result.system.indicators[j].goalposts.target
    data = rs.load_data(
        [
            {
                "community_id": cid,
                "phase": "t0",
                **{
                    ind.id: (
                        "n/a"
                        if result.status[k, j] == 2
                        else (None if np.isnan(values[j]) else values[j])
                    )
                    for j, ind in enumerate(result.system.indicators)
                },
            }
        ],
        result.system,
    )
    after = rs.evaluate(result.system, data, missing="renormalize").overall[0]
    assert after - result.overall[k] == pytest.approx(rec["gain"], abs=1e-9)


def test_gains_need_a_tree(result: rs.EvaluationResult) -> None:
    topsis = rs.evaluate(
        rs.default_system(), rs.example_data(), missing="renormalize", aggregation="topsis"
    )
    with pytest.raises(OptionError, match="tree aggregation"):
        score_gains(topsis, np.arange(3))


def test_plan_of_the_example(plan) -> None:  # type: ignore[no-untyped-def]
    assert plan.selection.optimal
    # release 2's example: 809 unmet priced items, 320 basic; the 256 cheapest basic items cost
    # 2,989.9万 and the 257th would pass 3000万, so at most 256 basic items can be funded
    cheapest = np.cumsum(np.sort(plan.items.cost[plan.items.basic]))
    assert (plan.items.n, cheapest.size) == (809, 320)
    assert plan.selection.basic_max == int((cheapest <= 3e7).sum()) == 256
    assert plan.spent <= 3e7 + 1e-6
    assert plan.selection.basic_funded == plan.selection.basic_max
    unfunded_basic = plan.items.basic & ~plan.funded
    assert {plan.reason[k] for k in np.flatnonzero(unfunded_basic)} <= {
        "unfunded_basic_budget",
        "no_cost",
    }
    assert all(plan.reason[k].startswith("funded") for k in np.flatnonzero(plan.funded))
    assert "marginal value" in plan.summary("en")
    assert "预算边际效益" in plan.summary("zh")
    assert plan.marginal.basic_funded >= plan.selection.basic_funded


def test_plan_is_deterministic(result: rs.EvaluationResult, plan) -> None:  # type: ignore[no-untyped-def]
    again = plan_programme(result, 30_000_000, willingness=("p_plan_approval", "g_fee_collection"))
    assert np.array_equal(again.funded, plan.funded)


def test_caps_and_threshold(result: rs.EvaluationResult) -> None:
    p = plan_programme(
        result,
        "3000万",
        district_caps={"金水区": "300万"},
        willingness=("p_plan_approval",),
        min_willingness=0.8,
    )
    district = np.array(p.items.context("district"))
    assert np.nansum(p.items.cost[p.funded & (district == "金水区")]) <= 3e6 + 1e-6
    low = p.items.willingness < 0.8
    assert not (p.funded & low).any()
    assert {p.reason[k] for k in np.flatnonzero(low)} <= {"unfunded_willingness", "no_cost"}
    with pytest.raises(OptionError, match="unknown district"):
        plan_programme(result, "3000万", district_caps={"金水": "1万"})
    with pytest.raises(OptionError, match="willingness"):
        plan_programme(result, "3000万", willingness=("consent",))


def test_ledger_round_trip_and_rules(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    ledger = build_ledger(plan, lang="zh", deadline=dt.date(2025, 12, 31))
    # Excel where openpyxl is installed (CI also runs the suite without the extras)
    excel = importlib.util.find_spec("openpyxl") is not None
    for suffix in (".csv", ".xlsx") if excel else (".csv",):
        back = read_ledger(ledger.save(tmp_path / f"l{suffix}"))
        assert back == ledger
        en = read_ledger(ledger.save(tmp_path / f"en{suffix}", lang="en"))
        assert en == ledger
    first = ledger.entries[0].item_id
    done = ledger.update(
        first,
        status="signed_off",
        completed_on=dt.date(2025, 5, 1),
        signed_off_on=dt.date(2025, 6, 1),
    )
    assert done.status_counts()["signed_off"] == 1
    with pytest.raises(LedgerError, match="completion date"):
        ledger.update(first, status="completed")
    with pytest.raises(LedgerError, match="before completion"):
        ledger.update(
            first,
            status="signed_off",
            completed_on=dt.date(2025, 5, 1),
            signed_off_on=dt.date(2025, 4, 1),
        )


def test_ledger_read_back_reports_every_problem(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    recs = build_ledger(plan, lang="zh").records()
    recs[0]["办理状态"] = "已销号"  # no completion date
    recs[1]["办理状态"] = "done"
    recs[2]["计划完成时间"] = "2025/13/01"
    recs[3]["估算投资（元）"] = "12万块"
    recs[4]["项目编号"] = recs[5]["项目编号"]
    with pytest.raises(LedgerError) as err:
        read_ledger(recs)
    got = {(p.row, p.column) for p in err.value.problems}
    assert {(1, "completed_on"), (2, "status"), (3, "deadline"), (4, "cost"), (6, "item_id")} <= got
    assert all(p.fix for p in err.value.problems)


def test_projects_progress_and_mid_works(result: rs.EvaluationResult) -> None:
    projects = example_projects()
    prog = project_progress(projects, dt.date(2024, 12, 31))
    by = {"district": dict(zip(result.ids, result.context["district"], strict=True))}
    rows = progress_rollup(prog, by)
    total = rows[-1]
    assert total["projects"] == 30
    assert 0 < total["completion_rate"] <= total["start_rate"] <= 1
    assert 0 < total["investment_rate"] <= 1.05
    mid = mid_works_indicators(
        projects, dict(zip(result.ids, result.context["households"], strict=True))
    )
    assert all(m["quality_pass_rate"] is None or 0 <= m["quality_pass_rate"] <= 1 for m in mid)
    bad = [
        {
            "community_id": "A",
            **{
                f"{m}_plan": "2024-01-01"
                for m in ("application", "design", "publicity", "start", "acceptance", "handover")
            },
            "start_actual": "2024-03-01",
            "publicity_actual": "2024-05-01",
            "investment_plan": "10万",
            "inspections": 2,
            "inspections_passed": 3,
        }
    ]
    with pytest.raises(ProjectTableError) as err:
        load_projects(bad)
    assert {p.column for p in err.value.problems} == {"start_actual", "inspections_passed"}


def test_rollup_weights_by_households(result: rs.EvaluationResult) -> None:
    rows = rollup(result, phase="t0", levels=("street", "district"))
    total = rows[-1]
    t0 = [k for k, p in enumerate(result.phases) if p == "t0"]
    hh = np.array([float(result.context["households"][k]) for k in t0])
    score = result.overall[t0]
    scored = ~np.isnan(score)  # ZY05 is not scored at t0 (coverage below 67%)
    assert (~scored).sum() == total["not_scored"] == 1
    expected = float((hh[scored] * score[scored]).sum() / hh[scored].sum())
    assert total["mean_score"] == pytest.approx(expected)
    assert total["household_coverage"] == pytest.approx(hh[scored].sum() / hh.sum())
    assert sum(r["communities"] for r in rows if r["level"] == "district") == 30


def test_items_of_one_phase(result: rs.EvaluationResult) -> None:
    items = renovation_items(result, default_costs(), phase="t1")
    assert set(np.array(result.phases)[items.row]) == {"t1"}


def test_every_reason_follows_the_first_rule_that_holds() -> None:
    # the reasons are computed for all items at once; this is the rule written item by item
    from types import SimpleNamespace

    from renoscore.programme.plan import _reasons

    rng = np.random.default_rng(3)
    n = 400
    cost = np.where(rng.random(n) < 0.1, np.nan, rng.uniform(1, 10, n))
    items = SimpleNamespace(cost=cost, n=n, basic=rng.random(n) < 0.3, priced=~np.isnan(cost))
    funded = (rng.random(n) < 0.3) & items.priced
    value = np.where(rng.random(n) < 0.2, 0.0, rng.uniform(0, 1, n))
    eligible = rng.random(n) < 0.8
    group = rng.integers(-1, 3, n)
    caps = np.array([40.0, 80.0, np.inf])
    spent = np.bincount(group[funded & (group >= 0)], np.nan_to_num(cost)[funded & (group >= 0)], 3)
    for min_willingness in (None, 0.5):
        got = _reasons(items, funded, value, eligible, group, caps, min_willingness)  # type: ignore[arg-type]
        for k in range(n):
            c = np.nan_to_num(cost[k])
            if funded[k]:
                want = "funded_basic" if items.basic[k] else "funded_value"
            elif not items.priced[k]:
                want = "no_cost"
            elif not eligible[k] and min_willingness is not None:
                want = "unfunded_willingness"
            elif value[k] <= 0 and not items.basic[k]:
                want = "unfunded_no_gain"
            elif group[k] >= 0 and spent[group[k]] + c > caps[group[k]] + 1e-6:
                want = "unfunded_cap"
            else:
                want = "unfunded_basic_budget" if items.basic[k] else "unfunded_budget"
            assert got[k] == want, k
        assert len(set(got)) >= 7


def test_a_phase_without_overall_scores_is_refused_with_the_scored_phases() -> None:
    r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    with pytest.raises(OptionError) as exc:
        plan_programme(r, "1000万", phase="t_proc")  # a progress check: no overall score
    problem = exc.value.problems[0]
    assert problem.value == "t_proc"
    assert "'t0'" in problem.fix
    assert "'t_proc'" not in problem.fix
