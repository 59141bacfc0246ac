"""Reading what offices have: the street office's workbook scores with no edit, like its clean
CSV; ambiguous cells are refused, never guessed; every fix names what the caller can type."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.errors import DataNotice, DataValidationError
from tests.data.office import CLEAN, CLEAN_HEADER, OFFICE_YAML, clean_csv, office_workbook

pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def office() -> rs.IndicatorSystem:
    return rs.load_system(OFFICE_YAML)


@pytest.fixture
def yaml_path(tmp_path: Path) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(OFFICE_YAML, encoding="utf-8")
    return path


def _load(source: Any, system: rs.IndicatorSystem, **kw: Any) -> tuple[rs.CommunityData, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = rs.load_data(source, system, **kw)
    notices = [str(w.message) for w in caught if issubclass(w.category, DataNotice)]
    return data, notices


def _problems(source: Any, system: rs.IndicatorSystem, **kw: Any) -> tuple[rs.Problem, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataValidationError) as info:
            rs.load_data(source, system, **kw)
    return info.value.problems


def _rows(header: list[str], *rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(zip(header, row, strict=True)) for row in rows]


# --------------------------------------------------------------------------- the workbook
def test_the_office_workbook_loads_exactly_as_its_clean_csv(
    tmp_path: Path, office: rs.IndicatorSystem
) -> None:
    book, notices = _load(office_workbook(tmp_path / "街道.xlsx"), office)
    clean, clean_notices = _load(clean_csv(tmp_path / "clean.csv"), office)
    assert book == clean  # ids, phases, values, statuses and the district context
    assert clean_notices == []
    assert book.ids == ("金水小区", "金水小区", "二七小区", "二七小区")
    assert book.phases == ("t0", "t1", "t0", "t1")
    assert book.derived == {"f_lift_share": "lifts_installed / eligible_stairwells"}
    assert book.columns["小区名称"] == "community_id"
    assert book.columns["居民满意率（%）"] == "s_satisfaction"
    assert book.context == {"district": ("花园路街道", "花园路街道", "建设路街道", "建设路街道")}
    # the header below two title rows, and the blank row and the signature, each said once
    assert len(notices) == 2
    assert "found in row 3; rows 1-2 above them were read as titles" in notices[0]
    assert "金水区老旧小区改造成效评价数据表" in notices[0]
    assert notices[1].startswith("skipped 2 rows that hold no indicator value")
    assert "row 6 (blank)" in notices[1]
    assert "row 10 ('填表人：李四')" in notices[1]
    assert "row 9" not in notices[1]  # the blank row after the last community: silently
    assert book.notices == tuple(notices)


def test_the_office_workbook_scores_like_the_clean_csv_from_the_command_line(
    tmp_path: Path, yaml_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = office_workbook(tmp_path / "街道.xlsx")
    clean = clean_csv(tmp_path / "clean.csv")
    out_book, out_clean = tmp_path / "book.csv", tmp_path / "clean_scores.csv"
    for data, out in ((book, out_book), (clean, out_clean)):
        code = main(
            ["score", str(yaml_path), str(data), "--missing", "renormalize", "-o", str(out)]
        )
        assert code == 0
    err = capsys.readouterr().err
    assert "notice: skipped 2 rows" in err
    assert "--header-row ROW" in err  # the notice names the command-line option
    scores = [list(csv.DictReader(p.open(encoding="utf-8"))) for p in (out_book, out_clean)]
    assert len(scores[0]) == 4
    assert [(r["community_id"], r["phase"], r["score"]) for r in scores[0]] == [
        (r["community_id"], r["phase"], r["score"]) for r in scores[1]
    ]


def test_the_result_records_the_notices_and_the_derived_indicators(
    tmp_path: Path, office: rs.IndicatorSystem
) -> None:
    data, _ = _load(office_workbook(tmp_path / "街道.xlsx"), office)
    result = rs.evaluate(office, data, missing="renormalize")
    assert result.provenance.derived_indicators == {
        "f_lift_share": "lifts_installed / eligible_stairwells"
    }
    assert result.provenance.data_notices == data.notices
    again = rs.EvaluationResult.from_json(result.to_json())
    assert again.provenance.data_notices == data.notices


# --------------------------------------------------------------------------- cells
def _one(column: str, value: Any) -> list[dict[str, Any]]:
    row = dict(zip(CLEAN_HEADER, CLEAN[0], strict=True))
    row[column] = value
    return [row]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("f_fire_ok", "71%", 0.71),
        ("f_fire_ok", "７１％", 0.71),
        ("s_satisfaction", "71%", 71.0),
        ("f_waste_m", "348米", 348.0),
        ("f_waste_m", "1.2公里", 1200.0),
        ("f_waste_m", "0.35 km", 350.0),
        ("f_waste_m", "３４８ m", 348.0),
        ("f_green", "35平方米", 35.0),
        ("f_green", "1.5㎡", 1.5),
        ("f_locker", "是", 1.0),
        ("f_locker", "无", 0.0),
        ("f_locker", "Yes", 1.0),
        ("f_locker", "FALSE", 0.0),
        ("s_property", "专业化物业服务", 3.0),
        ("s_property", "self-managed", 1.0),
        ("s_funds", "15000元", 1.5),
        ("s_funds", "1.5万元", 1.5),
        ("s_activities", "12次", None),  # 次 is not a unit of counted things: refused below
    ],
)
def test_what_a_cell_may_say(
    office: rs.IndicatorSystem, column: str, value: Any, expected: float | None
) -> None:
    rows = _one(column, value)
    if expected is None:
        (problem,) = _problems(rows, office)
        assert problem.column == column
        return
    data, _ = _load(rows, office)
    assert data.column(column)[0] == pytest.approx(expected, rel=0, abs=0)


@pytest.mark.parametrize(
    ("column", "value", "reason", "fix"),
    [
        ("s_activities", "7%", "a percentage on a value in 个 (count)", "write a number of 个"),
        ("f_waste_m", "3户", "unit '户' does not match the declared unit 米 (m)", "公里"),
        ("f_waste_m", "348公斤", "unknown unit '公斤' after the number", "write a number of 米"),
        ("f_waste_m", "约348米", "not a number", "e.g. 12 or 12米"),
        ("f_waste_m", "1 000米", "a separator inside a number is ambiguous", "without separators"),
        ("f_waste_m", "1,200米", "a separator inside a number is ambiguous", "without separators"),
        ("f_locker", "也许", "neither 1/0 nor yes/no (是/否)", "是/否"),
        ("s_property", "专业物业", "neither a level nor the name of one", "3 专业化物业服务"),
        ("f_fire_ok", "71", "value outside the range [0, 1] of f_fire_ok", "correct the value"),
    ],
)
def test_ambiguous_cells_are_refused_with_the_expected_form(
    office: rs.IndicatorSystem, column: str, value: str, reason: str, fix: str
) -> None:
    (problem,) = _problems(_one(column, value), office)
    assert reason in problem.reason
    assert fix in (problem.fix or "")
    assert problem.value in (value, float(value) if value.isdigit() else value)


def test_a_share_on_a_0_100_indicator_stays_as_written_and_is_noticed(
    office: rs.IndicatorSystem,
) -> None:
    data, notices = _load(_one("s_satisfaction", "0.7"), office)
    assert data.column("s_satisfaction")[0] == 0.7  # never guessed to mean 70
    (notice,) = notices
    assert "values between 0 and 1 on a 0-100 scale were kept as written" in notice
    assert "'s_satisfaction': 0.7 at row 1" in notice


def test_a_percentage_formatted_excel_cell_reads_as_it_shows(
    tmp_path: Path, office: rs.IndicatorSystem
) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CLEAN_HEADER)
    ws.append(CLEAN[0])
    ws.append(["二七小区", "t0", "x", "n/a", 0.4, 120, 0, 0.9, 0.48, 0, 0.07, 1])
    for ref in ("H3", "I3", "K3"):  # f_green (m²/person), s_satisfaction (0-100), a count
        ws[ref].number_format = "0%"
    ws["E3"].number_format = "0.0%"  # f_fire_ok, a share: 0.4 is 40 %, stays 0.4
    path = tmp_path / "formats.xlsx"
    wb.save(path)
    problems = _problems(path, office)
    reasons = {p.column: p for p in problems}
    assert set(reasons) == {"s_activities", "f_green"}
    assert reasons["s_activities"].value == "7%"
    assert "a percentage" in reasons["s_activities"].reason
    ws["K3"].number_format = "General"
    ws["H3"].number_format = "General"
    wb.save(path)
    data, _ = _load(path, office)
    assert data.column("s_satisfaction")[1] == 48.0
    assert data.column("f_fire_ok")[1] == 0.4


def test_a_unit_in_a_header_converts_the_column_and_says_so(office: rs.IndicatorSystem) -> None:
    rows = [
        {("垃圾收集点最远距离（公里）" if k == "f_waste_m" else k): v for k, v in r.items()}
        for r in _one("f_waste_m", "0.348")
    ]
    data, notices = _load(rows, office)
    assert data.column("f_waste_m")[0] == 348.0
    assert any("from 公里 to 米 (m)" in n for n in notices)
    rows = [
        {("垃圾收集点最远距离（户）" if k == "f_waste_m" else k): v for k, v in r.items()}
        for r in _one("f_waste_m", "3")
    ]
    (problem,) = _problems(rows, office)
    assert problem.reason == "the header's unit '户' does not match the declared unit 米 (m)"


# --------------------------------------------------------------------------- headers, keys
def test_header_row_option_and_a_row_that_does_not_exist(
    tmp_path: Path, office: rs.IndicatorSystem
) -> None:
    path = office_workbook(tmp_path / "街道.xlsx")
    data, notices = _load(path, office, header_row=3)
    assert data.n == 4
    assert not any("were read as titles" in n for n in notices)  # the caller said so
    (problem,) = _problems(path, office, header_row=99)
    assert "row 99 is not among the rows" in problem.reason
    assert problem.fix == "use header_row=ROW with the row of the column names"


def test_fixes_name_the_python_argument_or_the_command_line_option(
    tmp_path: Path, yaml_path: Path, capsys: pytest.CaptureFixture[str], office: rs.IndicatorSystem
) -> None:
    path = office_workbook(tmp_path / "街道.xlsx")
    assert "header_row=ROW" in (_problems(path, office, header_row=99)[0].fix or "")
    assert main(["validate", str(yaml_path), str(path), "--header-row", "99"]) == 1
    err = capsys.readouterr().err
    assert "use --header-row ROW with the row of the column names" in err
    assert "header_row" not in err
    assert main(["validate", str(yaml_path), str(path), "--sheet", "数据"]) == 1
    err = capsys.readouterr().err
    assert "no sheet '数据'" in err
    assert "its sheets are 0: '填报表'" in err
    assert "use --sheet 填报表" in err


def test_id_and_phase_columns_by_common_names_options_and_phase_names(
    office: rs.IndicatorSystem,
) -> None:
    rows = _one("f_fire_ok", 0.5)
    renamed = [
        {{"community_id": "小区", "phase": "时期"}.get(k, k): v for k, v in r.items()} for r in rows
    ]
    renamed[0]["时期"] = "BEFORE RENOVATION"  # a phase by its English name, in any case
    data, _ = _load(renamed, office)
    assert (data.ids, data.phases) == (("金水小区",), ("t0",))
    custom = [
        {{"community_id": "编号", "phase": "评估节点"}.get(k, k): v for k, v in r.items()}
        for r in rows
    ]
    data, _ = _load(custom, office, id_column="编号", phase_column="评估节点")
    assert data.phases == ("t0",)
    (problem,) = _problems(custom, office)
    assert problem.reason == "no column 'community_id'"
    assert "id_column=COLUMN" in (problem.fix or "")


def test_unknown_phase_lists_the_phase_names(office: rs.IndicatorSystem) -> None:
    (problem,) = _problems(_one("phase", "改造中"), office)
    assert problem.reason == "unknown phase '改造中'"
    assert problem.fix == "use one of t0 (改造前), t1 (改造后一年)"


def test_rows_without_values_are_skipped_but_a_row_with_a_bad_cell_is_reported(
    office: rs.IndicatorSystem,
) -> None:
    blank = dict.fromkeys(CLEAN_HEADER, "")
    note = {**blank, "community_id": "备注：数据截至6月", "f_waste_m": "审核：王五"}
    bad = {**blank, "community_id": "", "f_waste_m": "abc"}
    rows = [*_one("f_fire_ok", 0.5), blank, note]
    data, notices = _load(rows, office)
    assert data.n == 1
    assert "skipped 1 row" in notices[0]  # the trailing blank row is not listed
    problems = _problems([*rows, bad], office)
    assert {p.reason for p in problems} >= {"not a number", "empty community id"}


# --------------------------------------------------------------------------- CSV files
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_and_title_rows(
    tmp_path: Path, office: rs.IndicatorSystem, delimiter: str
) -> None:
    path = tmp_path / "data.csv"
    with path.open("w", newline="", encoding="gb18030") as fh:
        fh.write("金水区老旧小区改造数据\n\n")
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(CLEAN_HEADER)
        for row in CLEAN:
            writer.writerow(
                [
                    "n/a" if v is None and k == 3 else ("" if v is None else v)
                    for k, v in enumerate(row)
                ]
            )
    data, notices = _load(path, office)
    clean, _ = _load(clean_csv(tmp_path / "clean.csv"), office)
    assert data == clean
    assert "found in row 3" in notices[0]


def test_the_c_parser_and_python_read_a_messy_csv_alike(
    tmp_path: Path, office: rs.IndicatorSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    import renoscore._csv as reader

    text = "\n".join(
        [
            ",".join(CLEAN_HEADER),
            '金水小区,t0,"花园路\n街道",0.25,71%,348米,否,1.2,56,1,12,3.5',
            "二七小区,t0,x,n/a,inf,120,无,0.9,48,0,6,",
            "",
            "老城小区,t1,x,0.5,0.5,1e999,是,1,50,2,3,abc",
            ",,,,,,,,,,,",
            "填表人：李四,,,,,,,,,,,",
        ]
    )
    path = tmp_path / "messy.csv"
    path.write_text(text + "\n", encoding="utf-8")
    fast = _problems(path, office)
    monkeypatch.setattr(reader, "_has_pyarrow", lambda: False)
    slow = _problems(path, office)
    assert fast == slow
    assert {(p.line, p.column) for p in fast} == {
        (4, "f_fire_ok"),
        (6, "f_waste_m"),
        (6, "s_funds"),
    }


def test_the_c_parser_falls_back_on_ragged_rows(tmp_path: Path, office: rs.IndicatorSystem) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(",".join(CLEAN_HEADER) + "\n金水小区,t0,x,0.2\n", encoding="utf-8")
    problems = _problems(path, office)
    assert problems[0].reason == "row has 4 cells, the header has 12"
    assert problems[0].line == 2


# --------------------------------------------------------------------------- raw fields
def _raw_rows(lifts: Any, stairwells: Any, own: Any = None) -> list[dict[str, Any]]:
    row = dict(zip(CLEAN_HEADER, CLEAN[0], strict=True))
    del row["f_lift_share"]
    row |= {"加装电梯数": lifts, "具备加装条件的单元数": stairwells}
    if own is not None:
        row["f_lift_share"] = own
    return [row]


def test_a_derived_indicator_is_computed_checked_and_explained(office: rs.IndicatorSystem) -> None:
    data, _ = _load(_raw_rows(3, "4"), office)
    assert data.column("f_lift_share")[0] == 0.75
    data, _ = _load(_raw_rows(0, 0), office)  # declared not applicable
    assert data.status[0, 0] == rs.CellStatus.NOT_APPLICABLE
    (problem,) = _problems(_raw_rows(5, 4), office)
    assert "value outside the range [0, 1] of f_lift_share (ratio)" in problem.reason
    assert "(computed as lifts_installed / eligible_stairwells)" in problem.reason
    problems = {p.reason for p in _problems(_raw_rows(2.5, -1), office)}
    assert "count are counted in whole numbers" in problems
    assert "value outside the range [0, open] of raw field eligible_stairwells" in problems


def test_a_division_by_zero_declared_an_error_names_the_raw_values() -> None:
    system = rs.load_system(
        OFFICE_YAML.replace("division_by_zero: not_applicable", "division_by_zero: error")
    )
    (problem,) = _problems(_raw_rows(2, 0), system)
    assert problem.reason == "f_lift_share = lifts_installed / eligible_stairwells divides by zero"
    assert problem.value == "加装电梯数 = 2, 具备加装条件的单元数 = 0"


def test_the_own_column_wins_and_its_empty_cells_are_computed(office: rs.IndicatorSystem) -> None:
    rows = _raw_rows(1, 4, own=0.9) + _raw_rows(1, 4, own="")
    rows[1]["phase"] = "t1"
    data, _ = _load(rows, office)
    assert data.column("f_lift_share").tolist() == [0.9, 0.25]


def test_missing_raw_fields_are_named(office: rs.IndicatorSystem) -> None:
    rows = _raw_rows(1, 4)
    del rows[0]["具备加装条件的单元数"]
    (problem,) = _problems(rows, office)
    assert problem.reason.startswith("indicator column 'f_lift_share' is missing")
    assert "'eligible_stairwells' (具备加装条件的单元数)" in problem.reason


# --------------------------------------------------------------------------- problems
def test_the_command_line_counts_groups_and_writes_every_problem(
    tmp_path: Path, yaml_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    rows = [",".join(CLEAN_HEADER)]
    rows += [f"小区{i},t0,x,0.5,7,abc,是,1,50,1,7%,1" for i in range(400)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["validate", str(yaml_path), str(path)]) == 1
    err = capsys.readouterr().err
    assert "1200 problems; the first 50 by column (--problems FILE.xlsx writes them all)" in err
    assert "column 'f_fire_ok' (400 problems, 17 listed)" in err
    assert len(err.splitlines()) < 70
    out = tmp_path / "问题.xlsx"
    assert (
        main(["validate", str(yaml_path), str(path), "--problems", str(out), "--lang", "zh"]) == 1
    )
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws.title == "问题清单"
    cells = list(ws.iter_rows(values_only=True))
    assert cells[0] == ("行号", "小区", "列", "填写内容", "问题", "修改建议")
    assert len(cells) == 1201
    assert cells[1][:4] == (2, "小区0", "f_fire_ok", 7)
    out_csv = tmp_path / "problems.csv"
    assert (
        main(
            [
                "validate",
                str(yaml_path),
                str(clean_csv(tmp_path / "c.csv")),
                "--problems",
                str(out_csv),
            ]
        )
        == 0
    )
    assert out_csv.read_text(encoding="utf-8").strip() == "row,community,column,value,problem,fix"


def test_numeric_paths_keep_their_speed_shape(office: rs.IndicatorSystem) -> None:
    # a numeric frame-like mapping takes the numeric path: no text parsing, no skipped rows
    columns = {h: [r[k] for r in CLEAN] for k, h in enumerate(CLEAN_HEADER)}
    columns["f_lift_share"] = [0.25, 0.75, np.nan, np.nan]
    columns["s_funds"] = [3.5, 1.2, np.nan, 8.0]
    data, notices = _load(columns, office)
    assert notices == []
    assert data.status[2, 0] == rs.CellStatus.MISSING


def test_a_table_without_phases_skips_notes_by_their_colon(office: rs.IndicatorSystem) -> None:
    row = dict(zip(CLEAN_HEADER, CLEAN[0], strict=True))
    del row["phase"]
    blank = dict.fromkeys(row, "")
    data, notices = _load([row, blank, {**blank, "community_id": "填表人：李四"}], office)
    assert (data.n, data.phases) == (1, (None,))
    assert "('填表人：李四')" in notices[0]
    with_empty_row = [row, {**blank, "community_id": "老城小区"}]
    data, _ = _load(with_empty_row, office)
    assert data.n == 2  # a community with nothing measured yet is a community
