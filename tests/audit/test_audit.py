"""The audit end to end: the shipped example, degenerate inputs, JSON, the CLI and the report.

The numbers are those of release 1's example (``old_community_renovation@1``), whose saturated
activity space and floor-bound lift share the audit found and release 2 re-scaled.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.audit import AuditResult, AuditSettings, audit
from renoscore.cli import main
from renoscore.errors import OptionError
from tests._extras import needs


@pytest.fixture(scope="module")
def example() -> AuditResult:
    return audit(rs.load_system("old_community_renovation@1"), rs.example_data(version=1))


def test_rs_audit_is_callable_and_the_package_stays_importable() -> None:
    import renoscore.audit as pkg

    assert callable(rs.audit)
    assert pkg.treat is not None
    assert isinstance(
        rs.audit(
            rs.load_system("old_community_renovation@1"), rs.example_data(version=1), phase="t1"
        ),
        AuditResult,
    )


def test_example_flags_saturated_activity_space_and_floor_bound_elevators(
    example: AuditResult,
) -> None:
    sat = {(f.subject, f.phase): f.value for f in example.flagged("saturated")}
    assert sat[("f_activity_space_m2", "t0")] == pytest.approx(19 / 30)
    assert sat[("f_activity_space_m2", "t1")] == 1.0
    floor = {(f.subject, f.phase): f.value for f in example.flagged("floor_bound")}
    assert floor[("f_elevator_share", "t0")] == pytest.approx(28 / 30)


def test_example_sections_are_consistent(example: AuditResult) -> None:
    assert (example.phase, example.communities) == ("t0", 30)
    assert example.phases == ("t0", "t_proc", "t1", "t2")
    dist = {r["indicator"]: r for r in example.records("distribution")}
    assert dist["f_elevator_share"]["outliers"]
    assert dist["f_elevator_share"]["n"] == 30
    cons = {r["group"]: r for r in example.records("consistency")}
    assert set(cons) == {g.id for g in rs.load_system("old_community_renovation@1").groups}
    assert all(r["alpha"] is not None for r in cons.values())
    imp = example.records("importance")
    assert len(imp) == 39 + 4
    w_rel = [r["w_rel"] for r in imp if r["level"] == "indicator" and r["w_rel"] is not None]
    assert sum(w_rel) == pytest.approx(1.0)
    assert sum(r["S_rel"] for r in imp if r["level"] == "dimension") == pytest.approx(1.0)
    # s_* indicators are not measured at t2: availability lists no t2 row for them
    assert not [
        r
        for r in example.records("availability")
        if r["phase"] == "t2" and r["indicator"][0] == "s"
    ]


def test_json_round_trip_keeps_settings_and_flags(example: AuditResult) -> None:
    doc = json.loads(example.to_json())
    assert doc["format"] == "renoscore.AuditResult/1"
    assert doc["settings"] == AuditSettings().model_dump()
    assert len(doc["sections"]["flags"]) == len(example.flags)
    again = audit(
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        settings=doc["settings"],
        phase=doc["phase"],
    )
    assert again.to_json() == example.to_json()


def test_to_frame_and_html_views(example: AuditResult) -> None:
    needs("pandas")
    frame = example.to_frame("distribution", lang="zh")
    assert "skew" in frame.columns
    assert len(frame) == 39
    html = example._repr_html_()
    assert html.startswith('<div class="renoscore">')
    assert "Cronbach" in html
    assert "数据可得性" in rs.report.repr_html(example, lang="zh")
    with pytest.raises(OptionError):
        example.records("nothing")


def test_degenerate_input_gets_clear_answers_not_nan_warnings() -> None:
    system = rs.load_system("old_community_renovation@1")
    base = rs.example_data(version=1).select("t0")
    X = np.array(base.values[:6])  # 6 communities, fewer than the 11 facilities indicators
    X[:, 0] = 0.8  # a constant indicator
    data = rs.load_data(X, system, ids=list(base.ids[:6]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = audit(system, data)
    recs = {r["group"]: r for r in a.records("consistency")}
    assert recs["facilities"]["first_share"] is None
    assert "fewer complete communities than indicators" in recs["facilities"]["pca_note"]
    zh = {r["group"]: r for r in a.records("consistency", lang="zh")}
    assert "完整记录的小区数少于指标数" in zh["facilities"]["pca_note"]
    assert [f.subject for f in a.flagged("constant")] == ["f_basic_utilities_ok"]
    dist = {r["indicator"]: r for r in a.records("distribution")}
    assert dist["f_basic_utilities_ok"]["skew"] is None
    assert dist["f_basic_utilities_ok"]["constant"]
    imp = {r["node"]: r for r in a.records("importance")}
    assert imp["f_basic_utilities_ok"]["S"] == 0.0
    assert imp["f_basic_utilities_ok"]["note"] == "constant: no effect"
    json.loads(a.to_json())  # no NaN in the JSON


def test_a_dimension_with_one_indicator_says_alpha_is_undefined(tmp_path: Path) -> None:
    system = rs.load_system("old_community_renovation@1")
    doc = system.to_dict()
    social = next(d for d in doc["goal"]["children"] if d["id"] == "social_capital")
    social["children"] = social["children"][:1]
    social["weighting"] = {"method": "equal"}
    path = tmp_path / "one.yaml"
    import yaml

    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    small = rs.load_system(path)
    data = rs.example_data(version=1)
    table = {ind: data.column(ind) for ind in small.indicator_ids}
    sub = rs.load_data({"community_id": list(data.ids), "phase": list(data.phases), **table}, small)
    a = audit(small, sub)
    rec = next(r for r in a.records("consistency") if r["group"] == "social_capital")
    assert rec["alpha"] is None
    assert rec["alpha_note"] == "undefined: the group has one indicator"
    assert rec["pca_note"] == "undefined: the group has one indicator"


def test_unknown_phase_and_bad_settings_are_refused() -> None:
    with pytest.raises(OptionError, match="no phase"):
        audit(rs.load_system("old_community_renovation@1"), rs.example_data(version=1), phase="t9")
    with pytest.raises(OptionError, match="invalid audit settings"):
        audit(
            rs.load_system("old_community_renovation@1"),
            rs.example_data(version=1),
            settings={"max_share": 2.0},
        )


def test_cli_prints_flags_and_writes_json_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--example", "--lang", "zh", "-o", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    assert "目标值饱和" in out
    assert "底线集中" in out
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["phase"] == "t0"
    assert (
        main(["audit", "--example", "--section", "importance", "-o", str(tmp_path / "i.csv")]) == 0
    )
    assert (tmp_path / "i.csv").read_text(encoding="utf-8").startswith("node,level,S,")
    assert main(["audit", "--example", "-o", str(tmp_path / "a.txt")]) == 2
    assert main(["audit"]) == 2
    assert main(["audit", "--example", "--phase", "t9"]) == 1


def test_report_shows_the_audit_and_links_the_uncertainty(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    data = str(rs.example_path(version=1))
    assert main(["report", "old_community_renovation@1", data, "--audit", "--no-charts",
                 "--scorecards", "0", "--missing", "renormalize", "-o", str(out)]) == 0  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "Statistical audit of the index" in text
    assert "saturated: 63% at the target" in text
    assert "floor-bound: 93% at the floor" in text
    assert "renoscore uncertainty" in text
    result = rs.evaluate(
        rs.load_system("old_community_renovation@1"),
        rs.example_data(version=1),
        missing="renormalize",
    )
    unc = rs.uncertainty(rs.load_system("old_community_renovation@1"), rs.example_data(version=1), phase="t0", n=20, seed=1,
                         missing="renormalize", sources={"weights": {}})  # fmt: skip
    from renoscore.report import build_report

    a = audit(rs.load_system("old_community_renovation@1"), rs.example_data(version=1))
    html = build_report(result, lang="zh", charts=False, audit=a, uncertainty=unc).text
    assert "指数统计审计" in html
    assert 'href="#uncertainty"' in html
