"""The fill-in template: Chinese headers, units, phase names, validation, instructions, and it
reads back with no edit."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.errors import OptionError
from renoscore.io.template import template_columns, write_template
from tests.data.office import OFFICE_YAML

openpyxl = pytest.importorskip("openpyxl")

SYSTEMS = ["old_community_renovation", "complete_community", OFFICE_YAML]


def _read_back(path: Path, system: rs.IndicatorSystem) -> rs.CommunityData:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rs.load_data(path, system)


@pytest.mark.parametrize("source", SYSTEMS, ids=["default", "complete", "office"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_reads_back_with_no_edit(
    tmp_path: Path, source: str, lang: str, suffix: str
) -> None:
    system = rs.load_system(source)
    path = write_template(system, tmp_path / f"template{suffix}", lang=lang)
    data = _read_back(path, system)
    assert data.n == 1
    assert data.phases == (system.phase_ids[0],)
    columns = template_columns(system, lang)
    expected = {c.node.id: c.example for c in columns if c.role == "indicator" and c.node}
    for j, ind in enumerate(system.indicators):
        if ind.id not in expected:
            continue  # derived: computed from the raw fields' example values
        want = expected[ind.id]
        if want is None:
            assert data.status[0, j] == rs.CellStatus.NOT_APPLICABLE  # not measured at t0
        elif isinstance(want, float):
            assert data.values[0, j] == pytest.approx(want)
    assert (data.status == rs.CellStatus.MISSING).sum() == 0


def test_the_chinese_workbook_has_headers_units_phases_validation_and_instructions(
    tmp_path: Path,
) -> None:
    system = rs.load_system(OFFICE_YAML)
    path = write_template(system, tmp_path / "填报模板.xlsx", lang="zh")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填报表", "填报说明"]
    ws = wb["填报表"]
    assert ws["A1"].value == "街道测试指标体系填报表"
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[:3] == ["小区名称", "阶段", "所属街道"]
    assert "已加装电梯数（个）" in header  # raw fields of the derived indicator
    assert "垃圾收集点最远距离（米）" in header
    assert "居民满意率（%）" in header
    assert "电梯加装率" not in " ".join(header)  # computed, not asked for
    example = [c.value for c in ws[3]]
    assert example[1] == "改造前"
    assert example[header.index("智能快件箱（是/否）")] == "是"
    assert example[header.index("物业管理模式")] == "社区托管兜底"
    share = ws.cell(row=3, column=header.index("消防安全达标率（0–1）") + 1)
    assert share.number_format == "0%"
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    col = {h: openpyxl.utils.get_column_letter(k + 1) for k, h in enumerate(header)}
    phase = rules[f"{col['阶段']}3:{col['阶段']}1002"]
    assert (phase.type, phase.formula1) == ("list", '"改造前,改造后一年"')
    level = rules[f"{col['物业管理模式']}3:{col['物业管理模式']}1002"]
    assert level.formula1 == '"无物业管理,居民自治管理,社区托管兜底,专业化物业服务"'
    yes_no = rules[f"{col['智能快件箱（是/否）']}3:{col['智能快件箱（是/否）']}1002"]
    assert yes_no.formula1 == '"是,否"'
    distance = rules[f"{col['垃圾收集点最远距离（米）']}3:{col['垃圾收集点最远距离（米）']}1002"]
    assert (distance.type, distance.formula1, distance.formula2) == ("decimal", "0", "20000")
    assert distance.errorStyle == "warning"  # 不适用 may still be typed
    assert distance.error.startswith("填写以米为单位的数值")
    count = rules[f"{col['年度社区活动次数（个）']}3:{col['年度社区活动次数（个）']}1002"]
    assert count.type == "whole"
    guide = list(wb["填报说明"].iter_rows(values_only=True))
    assert guide[1] == (
        "列名",
        "类别",
        "指标说明",
        "单位",
        "取值范围",
        "适用阶段",
        "依据与来源",
        "填写要求",
    )
    by_column = {row[0]: row for row in guide[2:]}
    assert by_column["垃圾收集点最远距离（米）"][3] == "米"
    assert by_column["已加装电梯数（个）"][6] == "住建部门加装电梯台账"
    assert "按 lifts_installed / eligible_stairwells 计算" in by_column["电梯加装率"][7]


def test_the_csv_template_is_utf8_with_bom_with_percentages_as_written(tmp_path: Path) -> None:
    path = write_template(OFFICE_YAML, tmp_path / "t.csv", lang="zh")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    header, example = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert example[header.index("消防安全达标率（0–1）")] == "65%"


def test_a_template_for_another_phase_leaves_unmeasured_cells_empty(tmp_path: Path) -> None:
    system = rs.default_system()
    path = write_template(system, tmp_path / "t.xlsx", phase="t_proc")
    data = _read_back(path, system)
    assert data.phases == ("t_proc",)
    measured = [i for i in system.indicators if i.phases is None or "t_proc" in i.phases]
    assert 0 < len(measured) < len(system.indicators)
    assert (data.status == rs.CellStatus.OK).sum() == len(measured)


def test_bad_template_options(tmp_path: Path) -> None:
    with pytest.raises(OptionError) as info:
        write_template("old_community_renovation", tmp_path / "t.txt", lang="fr", phase="t9")
    assert {p.reason for p in info.value.problems} == {
        "unknown suffix",
        "unknown language",
        "unknown phase",
    }


def test_the_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "填报模板.xlsx"
    assert main(["template", "old_community_renovation", "--lang", "zh", "-o", str(out)]) == 0
    assert "87 columns" in capsys.readouterr().out
    assert main(["validate", "old_community_renovation", str(out)]) == 0
    assert main(["template", "old_community_renovation"]) == 2
    assert main(["template", "old_community_renovation", "-o", str(tmp_path / "t.pdf")]) == 2
    assert "use one of .csv, .xlsx" in capsys.readouterr().err
