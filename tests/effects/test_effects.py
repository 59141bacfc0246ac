"""The effect of renovation by difference in differences, checked four ways.

* a published worked example: Grunfeld's investment data (10 firms, 1935-1954) with firm fixed
  effects, year dummies and firm-clustered standard errors, as Gretl prints them with Stata's
  small-sample adjustment (plm's test file quotes the output), and Stata's own ``regress,
  vce(cluster company)`` and ``ivreg2, cluster`` on the same data;
* an independent implementation: statsmodels' OLS on explicit dummies with clustered errors,
  whose correction counts every dummy (our ``"full"``), and ours by default;
* simulated data with a known effect, a common trend and selection of the worse communities;
* clear refusals.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.effects import renovation_effect, simulate_waves, within_ols

#: The estimator is checked on release 1's system (39 indicators, no raw fields), whose
#: simulated waves and published numbers these tests were written for.
V1 = "old_community_renovation@1"

GRUNFELD = Path(__file__).parent / "data" / "grunfeld.csv"


def _grunfeld() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    with GRUNFELD.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    firms = sorted({r["firm"] for r in rows})
    firm = np.array([firms.index(r["firm"]) for r in rows])
    year = np.array([int(r["year"]) for r in rows])
    y = np.array([[float(r["invest"])] for r in rows])
    x = np.array([[float(r["value"]), float(r["capital"])] for r in rows])
    return y, x, firm, year


def test_grunfeld_two_way_fixed_effects_match_the_published_output() -> None:
    # Gretl, "Model 6: Fixed-effects, using 200 observations ... Robust (HAC) standard errors"
    # with year dummies dt_2..dt_20 (Stata's adjustment G/(G-1)(N-1)/(N-K), K = 2 + 19 + 1):
    # value 0.117716 (0.0108244), capital 0.357916 (0.0478484), dt_20 -93.5262 (31.7263).
    y, x, firm, year = _grunfeld()
    dummies = (year[:, None] == np.arange(1936, 1955)[None, :]).astype(float)
    fit = within_ols(y, np.hstack([x, dummies]), firm, test=(0, 1, 20))
    se = np.sqrt(np.diagonal(fit.cov[:, :, 0]))
    np.testing.assert_allclose(fit.coef[:, 0], [0.117716, 0.357916, -93.5262], rtol=5e-6)
    np.testing.assert_allclose(se, [0.0108244, 0.0478484, 31.7263], rtol=5e-6)
    assert (fit.n_obs[0], fit.n_clusters[0], fit.n_params[0]) == (200, 10, 22)
    # Gretl's one-way model (Model 1): value 0.110124 (0.0151945), capital 0.310065 (0.0527518).
    one = within_ols(y, x, firm, test=(0, 1))
    np.testing.assert_allclose(one.coef[:, 0], [0.110124, 0.310065], rtol=5e-6)
    np.testing.assert_allclose(
        np.sqrt(np.diagonal(one.cov[:, :, 0])), [0.0151945, 0.0527518], rtol=5e-6
    )


def test_grunfeld_pooled_ols_matches_stata_regress_and_ivreg2() -> None:
    # Stata: regress invest mvalue kstock, vce(cluster company): b .11556216 .23067849
    # -42.714369, se .01589434 .08496711 20.425203; ivreg2 ..., cluster(company) (no small-
    # sample factor): se .01500273 .0802008 19.279431.
    y, x, firm, _ = _grunfeld()
    stata = within_ols(y, x, None, firm, test=(0, 1, 2))
    np.testing.assert_allclose(stata.coef[:, 0], [0.11556216, 0.23067849, -42.714369], rtol=1e-7)
    np.testing.assert_allclose(
        np.sqrt(np.diagonal(stata.cov[:, :, 0])), [0.01589434, 0.08496711, 20.425203], rtol=1e-6
    )
    none = within_ols(y, x, None, firm, test=(0, 1, 2), correction="none")
    np.testing.assert_allclose(
        np.sqrt(np.diagonal(none.cov[:, :, 0])), [0.01500273, 0.0802008, 19.279431], rtol=1e-6
    )


def test_corrections_differ_by_their_stated_factors() -> None:
    y, x, firm, _ = _grunfeld()
    fits = {c: within_ols(y, x, firm, test=(0,), correction=c) for c in rs.effects.CORRECTIONS}
    n, g = 200, 10
    assert fits["none"].factor[0] == 1.0
    assert fits["cluster"].factor[0] == pytest.approx(g / (g - 1))
    assert fits["stata"].factor[0] == pytest.approx(g / (g - 1) * (n - 1) / (n - 3))
    assert fits["full"].factor[0] == pytest.approx(g / (g - 1) * (n - 1) / (n - 12))
    base = fits["none"].cov[0, 0, 0]
    for name, fit in fits.items():
        assert fit.cov[0, 0, 0] == pytest.approx(base * fit.factor[0]), name


def test_against_statsmodels_with_both_corrections() -> None:
    sm = pytest.importorskip("statsmodels.api")
    sim = simulate_waves(V1, n=30, seed=11)
    result = rs.evaluate(rs.load_system(V1), sim.data)
    eff = renovation_effect(result, sim.treated, ("t0", "t1"))
    full = renovation_effect(result, sim.treated, ("t0", "t1"), correction="full")
    ids = result.id_array
    communities = sorted(set(ids.tolist()))
    code = np.array([communities.index(c) for c in ids])
    t1 = (np.array(result.phases) == "t1").astype(float)
    treated = np.isin(ids, sim.treated).astype(float) * t1
    dummies = (code[:, None] == np.arange(1, len(communities))[None, :]).astype(float)
    X = sm.add_constant(np.column_stack([treated, t1, dummies]))
    for node in ("renovation_performance", "facilities", "c_trust"):
        y = result.scores(node)
        fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": code})
        k = eff.column(node)
        assert eff.effect[k] == pytest.approx(fit.params[1], rel=1e-9, abs=1e-9)
        # statsmodels counts every dummy in K: that is our "full" correction ...
        assert full.se[k] == pytest.approx(fit.bse[1], rel=1e-9)
        # ... and ours by default differs by exactly the ratio of the two factors.
        n, g = len(y), len(communities)
        ratio = ((n - 1) / (n - 3)) / ((n - 1) / (n - (g + 2)))
        assert eff.se[k] == pytest.approx(fit.bse[1] * ratio**0.5, rel=1e-9)


def test_simulated_effect_is_recovered_despite_trend_and_selection() -> None:
    sim = simulate_waves(V1, n=200, seed=5)
    result = rs.evaluate(rs.load_system(V1), sim.data)
    eff = renovation_effect(result, sim.treated)
    covered = 0
    for node in ("renovation_performance", "facilities", "public_services", "participation"):
        k = eff.column(node)
        assert abs(eff.effect[k] - sim.truth[node]) < 4 * eff.se[k]
        covered += eff.lower[k] <= sim.truth[node] <= eff.upper[k]
    assert covered >= 3
    goal = eff.column("renovation_performance")
    # The naive readings are biased: the before/after change of the renovated communities by
    # the trend, the comparison after renovation by the selection of worse communities.
    assert eff.treated_change[goal] == pytest.approx(
        sim.truth["renovation_performance"] + sim.trend["renovation_performance"], abs=0.3
    )
    after = result.select("t1")
    treated = np.isin(after.id_array, sim.treated)
    gap = np.mean(after.overall[treated]) - np.mean(after.overall[~treated])
    assert gap < sim.truth["renovation_performance"] - 2  # the renovated were worse to begin with
    assert eff.effect_class[goal] == 1
    assert eff.effect_class[eff.column("social_capital")] == 0  # no effect there: none found


def _three_waves(pre_gap: float, seed: int = 8, n: int = 150) -> tuple[list[dict], list[str]]:
    """Rows of three waves of a system without a phase plan: t0, t_proc before, t1 after.

    Shares of the goalpost span: a common trend of 0.03 a wave, renovation adds 0.10 to the
    facilities at t1, and ``pre_gap`` is how far the renovated drift apart already at t_proc.
    """
    system = rs.load_system(V1)
    rng = np.random.default_rng(seed)
    floor, target = system.goalpost_arrays()
    m = len(floor)
    quality = rng.standard_normal(n)
    treated = -1.5 * quality + rng.logistic(size=n) > 0
    facilities = np.array([system.dimension_of(i) == "facilities" for i in system.indicator_ids])
    s0 = np.clip(0.42 + 0.1 * quality[:, None] + rng.uniform(-0.2, 0.2, (n, m)), 0.1, 0.7)
    s1 = s0 + 0.03 + pre_gap * treated[:, None] + rng.uniform(-0.03, 0.03, (n, m))
    s2 = s1 + 0.03 + 0.10 * treated[:, None] * facilities + rng.uniform(-0.03, 0.03, (n, m))
    rows = []
    for phase, share in (("t0", s0), ("t_proc", s1), ("t1", s2)):
        values = floor + share * (target - floor)
        for r in range(n):
            rec: dict = {"community_id": f"W{r:03d}", "phase": phase}
            for j, ind in enumerate(system.indicators):
                whole = ind.kind.value in ("binary", "ordinal")
                rec[ind.id] = float(ind.goalposts.target) if whole else float(values[r, j])
            rows.append(rec)
    return rows, [f"W{r:03d}" for r in np.flatnonzero(treated)]


def test_pre_trend_lead_with_three_phases() -> None:
    flat = rs.load_system(_without_phase_plan(rs.load_system(V1)))
    rows, treated = _three_waves(pre_gap=0.0)
    eff = renovation_effect(rs.evaluate(flat, rows), treated, ("t0", "t_proc", "t1"))
    assert eff.lead_phases == ("t_proc",)
    k = eff.column("facilities")
    assert "lead_t_proc" in eff.records()[k]
    assert abs(eff.lead[0, k]) < 4 * eff.lead_se[0, k]  # parallel before renovation
    assert eff.pretrend_p[k] > 0.001
    assert eff.effect[k] == pytest.approx(100 * 0.10 * 10 / 11, abs=4 * eff.se[k])
    # The renovated already drift apart before the works: the check fails, and says so.
    rows, treated = _three_waves(pre_gap=0.02)
    drift = renovation_effect(rs.evaluate(flat, rows), treated, ("t0", "t_proc", "t1"))
    assert drift.pretrend_p[k] < 0.001
    assert any("pre-trend check fails" in note for note in drift.notes())


def _without_phase_plan(system: rs.IndicatorSystem) -> dict:
    doc = system.to_dict()

    def strip(node: dict) -> None:
        node.pop("phases", None)
        for child in node.get("children", []):
            strip(child)

    strip(doc["goal"])
    return doc


def test_covariates_enter_as_they_vary() -> None:
    sim = simulate_waves(V1, n=40, seed=2)
    data = sim.data
    rows = [
        {
            "community_id": data.ids[r],
            "phase": data.phases[r],
            "households": 100 + (r % 40) % 7,
            "wave_noise": float(r % 3),
            **dict(zip(data.indicator_ids, data.values[r].tolist(), strict=True)),
        }
        for r in range(data.n)
    ]
    result = rs.evaluate(rs.load_system(V1), rows)
    eff = renovation_effect(result, sim.treated, covariates=["households", "wave_noise"])
    assert "households x phase 1" in eff.regressors  # constant within a community
    assert "wave_noise" in eff.regressors  # changes between the waves
    with pytest.raises(rs.OptionError, match="no context column"):
        renovation_effect(result, sim.treated, covariates=["househlds"])


def test_refusals_name_the_problem() -> None:
    example = rs.evaluate(rs.load_system(V1), rs.example_data(version=1), missing="renormalize")
    renovated = sorted(set(example.select("t1").ids))
    # The shipped example observes the not-yet-renovated estates only before renovation.
    with pytest.raises(rs.OptionError, match="no comparison group observed") as info:
        renovation_effect(example, renovated, ("t0", "t1"))
    assert "no community without renovation has rows both before (t0) and after (t1)" in str(
        info.value
    )
    with pytest.raises(rs.OptionError, match="not in the result") as info:
        renovation_effect(example, ["LY", "XX99"], ("t0", "t1"))
    assert "XX99" in str(info.value)
    with pytest.raises(rs.OptionError, match="two or more phases"):
        renovation_effect(example, ["LY"], ("t0",))
    with pytest.raises(rs.OptionError, match="say which phases"):
        renovation_effect(example, ["LY"])
    with pytest.raises(rs.OptionError, match="no rows in some of the phases"):
        renovation_effect(example, ["LY"], ("t0", "t9"))
    sim = simulate_waves(V1, n=20, seed=1)
    result = rs.evaluate(rs.load_system(V1), sim.data)
    with pytest.raises(rs.OptionError, match="every community in these phases was renovated"):
        renovation_effect(result, sorted(set(result.ids)))
    only_t0 = [c for c in result.ids if c not in sim.treated][:3]
    split = rs.evaluate(
        rs.load_system(V1),
        [
            {
                "community_id": f"{sim.data.ids[r]}{sim.data.phases[r]}",
                "phase": sim.data.phases[r],
                **dict(zip(sim.data.indicator_ids, sim.data.values[r].tolist(), strict=True)),
            }
            for r in range(sim.data.n)
        ],
    )
    with pytest.raises(rs.OptionError, match="share no community"):
        renovation_effect(split, [f"{only_t0[0]}t0"])
    with pytest.raises(rs.OptionError, match="unknown small-sample correction"):
        renovation_effect(result, sim.treated, correction="hc3")  # type: ignore[arg-type]
