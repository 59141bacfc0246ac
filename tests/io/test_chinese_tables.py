"""Chinese all the way out: result tables, CSV and Excel files under ``lang="zh"``."""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore._vocabulary import CATEGORY, STATUS, SUPPLIER
from renoscore.cli import main as cli_main
from renoscore.io import result_tables, write_result
from tests._extras import needs
from tests.conftest import MINI_YAML, random_table

LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rs.evaluate(
            rs.default_system(),
            rs.example_data(),
            "ahp",
            panel=rs.example_panel(),
            missing="renormalize",
        )


@pytest.fixture(scope="module")
def tables(result: rs.EvaluationResult) -> dict[str, list[dict]]:
    return result_tables(result, lang="zh", comparison=rs.compare(result, phases=("t0", "t1")))


def test_every_chinese_header_is_chinese(tables: dict[str, list[dict]]) -> None:
    for name, records in tables.items():
        headers = list(dict.fromkeys(k for r in records for k in r))
        assert headers, name
        assert [h for h in headers if LATIN.search(h)] == [], name
        assert len(set(headers)) == len(headers)


def test_chinese_tables_hold_the_same_numbers(
    result: rs.EvaluationResult, tables: dict[str, list[dict]]
) -> None:
    english = result_tables(result, comparison=rs.compare(result, phases=("t0", "t1")))
    for name in ("scores", "ranks", "fix_first", "weights", "comparison"):
        en, zh = english[name], tables[name]
        assert len(en) == len(zh)
        for a, b in zip(en, zh, strict=True):
            assert len(a) == len(b)
            numbers = [
                (x, y) for x, y in zip(a.values(), b.values(), strict=True) if isinstance(x, float)
            ]
            assert all(x == y for x, y in numbers)
    scores = tables["scores"]
    np.testing.assert_allclose(
        [np.nan if s["综合得分"] is None else s["综合得分"] for s in scores], result.overall
    )
    assert scores[0]["小区名称"] == result.context["name"][0]
    assert scores[0]["所在区"] == result.context["district"][0]


def test_coded_values_read_in_chinese(tables: dict[str, list[dict]]) -> None:
    ff = tables["fix_first"]
    assert {r["改造类别"] for r in ff} <= set(CATEGORY["zh"].values())
    assert {r["供给主体"] for r in ff} <= set(SUPPLIER["zh"].values())
    assert {r["数据状态"] for r in ff} <= set(STATUS["zh"].values())
    assert {r["必改项"] for r in ff} == {"是", "否"}
    assert {r["所属维度"] for r in ff} == {
        "设施改造",
        "公共服务",
        "居民参与与共建共治",
        "社区社会资本",
    }
    utilities = next(r for r in ff if r["指标编号"] == "f_water_supply_ok")
    assert utilities["供给主体"] == "专业经营单位"
    assert utilities["单位"]
    assert not LATIN.search(utilities["单位"])
    weights = tables["weights"]
    assert {w["节点类型"] for w in weights} == {"指标组", "指标"}
    assert "层次分析法（专家组）" in {w["赋权方法"] for w in weights}
    prov = {p["字段"]: p for p in tables["provenance"]}
    assert prov["aggregation"]["项目"] == "集成方法"
    assert prov["aggregation"]["内容"] == "加权算术平均"
    assert prov["weights.provenance.panel"]["内容"] == "panel_example"  # an id stays


def test_two_nodes_of_one_name_keep_apart() -> None:
    system = rs.load_system(MINI_YAML.replace("zh: 服务站距离", "zh: 满意度"))
    data = rs.load_data(random_table(system, 4), system)
    scores = result_tables(rs.evaluate(system, data), lang="zh")["scores"]
    assert "满意度得分" in scores[0]
    assert "满意度得分（score_s_sat）" in scores[0]


def test_chinese_excel_has_no_english_header(tmp_path: Path, result: rs.EvaluationResult) -> None:
    openpyxl = needs("openpyxl")
    path = write_result(
        result,
        tmp_path / "结果.xlsx",
        lang="zh",
        comparison=rs.compare(result, phases=("t0", "t1")),
    )
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "评价得分",
        "排名与等级",
        "优先整改清单",
        "权重",
        "来源与复现",
        "改造前后对比",
    ]
    for ws in wb.worksheets:
        header = next(ws.iter_rows(max_row=1, values_only=True))
        assert [h for h in header if LATIN.search(str(h))] == [], ws.title
    wb.close()


def test_cli_chinese_excel_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = needs("openpyxl")
    out = tmp_path / "评价结果.xlsx"
    assert cli_main(["score", "--example", "--lang", "zh", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    for ws in wb.worksheets:
        assert not LATIN.search(ws.title)
        header = next(ws.iter_rows(max_row=1, values_only=True))
        assert [h for h in header if LATIN.search(str(h))] == [], ws.title
    wb.close()
    csv_out = tmp_path / "scores.csv"
    assert cli_main(["score", "--example", "--lang", "zh", "-o", str(csv_out)]) == 0
    with csv_out.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:2] == ["小区编号", "阶段"]
    assert not [h for h in header if LATIN.search(h)]
