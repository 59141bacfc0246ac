"""Properties of the whole pipeline on generated systems, panels and data (hypothesis).

Each example draws an indicator system (a tree of depth 1-4 whose groups are weighted equal,
fixed, AHP or by entropy), a panel for its AHP groups, a table of communities with missing and
not-applicable cells, and the evaluation options; then checks what renoscore promises for any
valid input:

* the same input gives the same result bit for bit;
* the order of the rows changes nothing but the order of the output (to rounding: scores agree
  within 1e-9 on the 0-100 scale for goalposts whose span is at least 1/1000 of their
  magnitude), the order of the columns of the input table and of the keys of the YAML nothing
  at all;
* every input row appears in the output, in input order, scored or with a reason;
* goalpost scores lie in [0, 100]; coverage in [0, 1];
* local weights are non-negative and sum to 1 at every node, global indicator weights too;
* a result written to JSON and read back is equal to the original.

The test_pipeline.py properties run on the shipped and the mini system; these go across
generated trees, weighting methods, missing-data policies and aggregations.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.errors import RenoscoreError, RenoscoreWarning

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KINDS: dict[str, tuple[float | None, float | None]] = {
    "ratio": (0.0, 1.0),
    "percent": (0.0, 100.0),
    "likert5": (1.0, 5.0),
    "count": (0.0, None),
    "continuous": (None, None),
    "binary": (0.0, 1.0),
}


@st.composite
def indicator_specs(draw: st.DrawFn, node_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    lo, hi = KINDS[kind]
    if kind == "binary":
        a, b = 0.0, 1.0
    else:
        base = lo if lo is not None else draw(st.floats(-1e6, 1e6))
        top = (
            hi
            if hi is not None
            else base + max(draw(st.floats(1e-3, 1e6)), 1e-2 * max(1.0, abs(base)))
        )
        a, b = sorted(draw(st.lists(st.floats(base, top), min_size=2, max_size=2, unique=True)))
        if b - a < 1e-3 * max(1.0, abs(a), abs(b)):
            # Well-conditioned goalposts only: rounding in a column mean is amplified by
            # |floor| / (target - floor) in (x - floor) / (target - floor), so with goalposts
            # -1e6 and -999999 row order moves an imputed score by 2e-8. Ill-conditioned
            # goalposts are tested on their own (test_robustness.py).
            a, b = base, top
    direction = draw(st.sampled_from(["benefit", "cost"]))
    spec: dict[str, Any] = {
        "id": node_id,
        "name": {"en": f"indicator {node_id}", "zh": f"指标 {node_id}"},
        "unit": "u",
        "kind": kind,
        "direction": direction,
        "range": [lo, hi],
        "goalposts": {"floor": a, "target": b}
        if direction == "benefit"
        else {"floor": b, "target": a},
        "supplier": draw(st.sampled_from(["government", "market", "society", "residents"])),
        "source": "generated",
    }
    if draw(st.integers(0, 5)) == 0:
        spec["phases"] = ["t1"]  # not measured before renovation: n/a in t0
    return spec


@st.composite
def group_specs(draw: st.DrawFn, depth: int, counter: list[int]) -> dict[str, Any]:
    counter[0] += 1
    gid = f"g{counter[0]}"
    children: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        counter[0] += 1
        if depth > 1 and draw(st.integers(0, 2)) == 0:
            children.append(draw(group_specs(depth - 1, counter)))
        else:
            children.append(draw(indicator_specs(f"i{counter[0]}")))
    group: dict[str, Any] = {"id": gid, "name": {"en": gid, "zh": gid}, "children": children}
    method = draw(st.sampled_from(["equal", "fixed", "ahp", "entropy"]))
    if method == "fixed":
        group["weighting"] = {
            "method": "fixed",
            "weights": {c["id"]: draw(st.floats(1e-3, 1e3)) for c in children},
        }
    elif method == "entropy":
        group["weighting"] = {"method": "entropy", "scope": "indicators"}
    elif method == "ahp":
        group["weighting"] = {"method": "ahp"}
    return group


@st.composite
def system_docs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": "generated",
        "version": "1",
        "name": {"en": "Generated", "zh": "生成"},
        "goal": draw(group_specs(draw(st.integers(1, 4)), [0])),
    }


def panel_for(system: rs.IndicatorSystem, seed: int) -> rs.Panel | None:
    """Two experts judging every AHP group with Saaty-scale pairs (one leaves a pair out)."""
    rng = np.random.default_rng(seed)
    scale = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]
    experts = []
    for e in range(2):
        judgements: dict[str, Any] = {}
        for group in system.groups:
            kids = [c.id for c in group.children]
            if group.weighting.method != "ahp" or len(kids) < 2:
                continue
            pairs = [
                [a, b, float(rng.choice(scale))] for i, a in enumerate(kids) for b in kids[i + 1 :]
            ]
            if e == 1 and len(pairs) > len(kids) - 1:
                pairs = pairs[:-1]  # still connected: an incomplete matrix to complete
            judgements[group.id] = pairs
        experts.append({"id": f"e{e}", "weight": 1 + e, "judgements": judgements})
    if not experts[0]["judgements"]:
        return None
    return rs.load_panel({"id": "p", "experts": experts}, system)


def table_for(
    system: rs.IndicatorSystem, n: int, seed: int, p_missing: float
) -> dict[str, list[Any]]:
    """A valid table: values over and beyond the goalposts, some cells missing or n/a."""
    rng = np.random.default_rng(seed)
    floor, target = system.goalpost_arrays()
    lo_r, hi_r = system.range_arrays()
    lo, hi = np.minimum(floor, target), np.maximum(floor, target)
    X = lo - 0.3 * (hi - lo) + 1.6 * (hi - lo) * rng.random((n, len(lo)))
    X = np.clip(X, lo_r, hi_r)
    table: dict[str, list[Any]] = {
        "community_id": [f"社区{i:03d}" for i in range(n)],
        "phase": [str(p) for p in rng.choice(["t0", "t1"], n)],
    }
    for j, ind in enumerate(system.indicators):
        col = np.round(X[:, j]) if ind.kind.value == "binary" else X[:, j]
        cells: list[Any] = col.tolist()
        for r in range(n):
            u = rng.random()
            if u < p_missing:
                cells[r] = ""
            elif u < p_missing * 1.3:
                cells[r] = "n/a"
        table[ind.id] = cells
    return table


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(system_docs())
    system = rs.load_system(doc)
    seed = draw(st.integers(0, 2**31))
    n = draw(st.integers(2, 25))
    return {
        "doc": doc,
        "system": system,
        "seed": seed,
        "table": table_for(system, n, seed, draw(st.sampled_from([0.0, 0.05, 0.3]))),
        "panel": panel_for(system, seed),
        "options": {
            "missing": draw(st.sampled_from(["renormalize", "impute_mean", "impute_median"])),
            "aggregation": draw(st.sampled_from(["arithmetic", "geometric", "fuzzy"])),
            "min_coverage": draw(st.sampled_from([0.0, 0.5, 2 / 3])),
        },
    }


def run(case: dict[str, Any], table: dict[str, Any] | None = None, system: Any = None) -> Any:
    """Evaluate a case; None when it is refused with a RenoscoreError (checked to be located)."""
    system = system if system is not None else case["system"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenoscoreWarning)
        # A numpy RuntimeWarning (overflow, 0/0) behind a published number is a bug.
        warnings.simplefilter("error", RuntimeWarning)
        data = rs.load_data(table if table is not None else case["table"], system)
        try:
            weights = rs.derive_weights(system, case["panel"], data)
            return rs.evaluate(system, data, weights, **case["options"])
        except RenoscoreError as exc:
            # e.g. entropy on a constant column, or imputation with nothing observed: a clear
            # error with its places is the promised outcome
            refused = exc
    assert refused.problems
    assert all(p.reason for p in refused.problems)
    return None


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


ARRAYS = ("indicator_scores", "group_scores", "coverage", "overall_rank", "grades")


# --------------------------------------------------------------------------- properties
@SETTINGS
@given(cases())
def test_same_input_same_result_bit_for_bit(case: dict[str, Any]) -> None:
    first, second = run(case), run(case)
    if first is None:
        assert second is None
        return
    for name in ARRAYS:
        assert same_bits(getattr(first, name), getattr(second, name)), name
    assert same_bits(first.weights.indicator_weights(), second.weights.indicator_weights())
    assert first.reasons == second.reasons


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_row_order_changes_only_the_order_of_the_output(case: dict[str, Any], rnd: Any) -> None:
    result = run(case)
    if result is None:
        return
    n = len(case["table"]["community_id"])
    perm = list(range(n))
    rnd.shuffle(perm)
    shuffled = {k: [v[i] for i in perm] for k, v in case["table"].items()}
    other = run(case, shuffled)
    assert other is not None
    # Column sums (means, entropy, imputation) add the rows in another order: scores agree to
    # rounding, 1e-9 on the 0-100 scale.
    for name in ("indicator_scores", "group_scores", "coverage"):
        np.testing.assert_allclose(
            getattr(other, name), getattr(result, name)[perm], rtol=0, atol=1e-9, err_msg=name
        )
    assert other.ids == tuple(result.ids[i] for i in perm)
    assert other.reasons == tuple(result.reasons[i] for i in perm)
    # Ranks agree wherever no other score of the phase lies within 1e-6 (a near tie may fall
    # either way of the 1e-9 tie tolerance after rounding).
    s = result.overall
    for r in range(n):
        if np.isnan(s[r]):
            assert np.isnan(other.overall_rank[perm.index(r)])
            continue
        same_phase = [k for k in range(n) if result.phases[k] == result.phases[r] and k != r]
        if all(np.isnan(s[k]) or abs(s[k] - s[r]) > 1e-6 for k in same_phase):
            assert other.overall_rank[perm.index(r)] == result.overall_rank[r]


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_column_order_of_the_table_changes_nothing(case: dict[str, Any], rnd: Any) -> None:
    result = run(case)
    keys = list(case["table"])
    rnd.shuffle(keys)
    other = run(case, {k: case["table"][k] for k in keys})
    if result is None:
        assert other is None
        return
    assert other is not None
    for name in ARRAYS:
        assert same_bits(getattr(other, name), getattr(result, name)), name


def _shuffle_keys(value: Any, rnd: Any) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: _shuffle_keys(value[k], rnd) for k in keys}
    if isinstance(value, list):
        return [_shuffle_keys(v, rnd) for v in value]  # list order is meaning (children order)
    return value


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_key_order_of_the_yaml_changes_nothing(case: dict[str, Any], rnd: Any) -> None:
    shuffled = _shuffle_keys(case["doc"], rnd)
    system = rs.load_system(yaml.safe_dump(shuffled, allow_unicode=True, sort_keys=False))
    assert system == case["system"]
    result, other = run(case), run(case, system=system)
    if result is None:
        assert other is None
        return
    assert other is not None
    for name in ARRAYS:
        assert same_bits(getattr(other, name), getattr(result, name)), name


@SETTINGS
@given(cases())
def test_every_row_is_in_the_output_scored_or_with_a_reason(case: dict[str, Any]) -> None:
    result = run(case)
    if result is None:
        return
    table = case["table"]
    assert result.ids == tuple(table["community_id"])
    assert result.phases == tuple(table["phase"])
    for r, score in enumerate(result.overall.tolist()):
        if math.isnan(score):
            assert result.reasons[r], f"row {r} has no score and no reason"
            assert np.isnan(result.overall_rank[r])
            assert result.grades[r, 0] == -1
        else:
            assert result.reasons[r] is None
            assert result.overall_rank[r] >= 1
            assert result.grades[r, 0] >= 0


@SETTINGS
@given(cases())
def test_goalpost_scores_and_coverage_stay_in_range(case: dict[str, Any]) -> None:
    result = run(case)
    if result is None:
        return
    for name in ("indicator_scores", "group_scores"):
        values = getattr(result, name)
        finite = values[~np.isnan(values)]
        assert not np.isinf(values).any(), name
        outside = finite[(finite < 0.0) | (finite > 100.0)]
        assert outside.size == 0, f"{name}: {outside.tolist()!r}"
    cov = result.coverage[~np.isnan(result.coverage)]
    assert ((cov >= 0.0) & (cov <= 1.0 + 1e-12)).all()
    # an OK cell always has a score; an excluded one never does
    ok = result.status == rs.CellStatus.OK
    assert not np.isnan(result.indicator_scores[ok]).any()


@SETTINGS
@given(cases())
def test_weights_are_distributions_at_every_node(case: dict[str, Any]) -> None:
    result = run(case)
    if result is None:
        return
    weights = result.weights
    assert set(weights.nodes) == {g.id for g in case["system"].groups}
    for nw in weights.nodes.values():
        local = np.asarray(nw.local)
        assert (local >= 0).all()
        assert np.isfinite(local).all()
        assert math.fsum(nw.local) == pytest.approx(1.0, abs=1e-12)
    assert math.fsum(weights.indicator_weights()) == pytest.approx(1.0, abs=1e-12)


@SETTINGS
@given(cases())
def test_a_result_survives_json_and_weights_survive_yaml(case: dict[str, Any]) -> None:
    result = run(case)
    if result is None:
        return
    again = rs.EvaluationResult.from_json(result.to_json())
    assert again.equals(result)
    weights = rs.load_weights(result.weights.to_yaml(), case["system"])
    assert weights == result.weights


@settings(max_examples=40, deadline=None)
@given(cases())
def test_loaders_accept_their_own_output(case: dict[str, Any]) -> None:
    # What renoscore writes, renoscore reads back unchanged: systems and panels.
    system = case["system"]
    assert rs.load_system(system.to_yaml()) == system
    panel = case["panel"]
    if panel is not None:
        text = yaml.safe_dump(panel.model_dump(mode="json", exclude_none=True), allow_unicode=True)
        try:
            assert rs.load_panel(text, system) == panel
        except RenoscoreError as exc:  # pragma: no cover - a failure names what broke
            pytest.fail(f"a panel dump does not load back: {exc}")
