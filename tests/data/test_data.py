"""Tests of community data loading: every problem alone and all at once, statuses, sources."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore.data import CellStatus, CommunityData, load_data
from renoscore.errors import DataValidationError, Problem
from renoscore.system import IndicatorKind, IndicatorSystem, default_system, load_system
from tests._extras import needs

SYSTEM_YAML = """\
id: mini
version: "1"
name: {en: Mini, zh: 迷你}
phases:
  - {id: t0, name: {en: before, zh: 改造前}}
  - {id: t1, name: {en: after, zh: 改造后}}
goal:
  id: goal
  name: {en: goal, zh: 目标}
  children:
    - id: dim_a
      name: {en: A, zh: 甲}
      children:
        - {id: a_ratio, name: {en: ratio, zh: 比例}, unit: share, kind: ratio, direction: benefit,
           range: [0, 1], goalposts: {floor: 0, target: 1}, supplier: government, source: t}
        - {id: a_dist, name: {en: distance, zh: 距离}, unit: m, kind: distance_m, direction: cost,
           range: [0, 5000], goalposts: {floor: 1000, target: 300}, supplier: market, source: t}
        - {id: a_locker, name: {en: locker, zh: 快件箱}, unit: yes/no, kind: binary,
           direction: benefit, range: [0, 1], goalposts: {floor: 0, target: 1},
           supplier: market, source: t}
    - id: dim_b
      name: {en: B, zh: 乙}
      children:
        - {id: b_likert, name: {en: likert, zh: 满意度}, unit: mean score, kind: likert5,
           direction: benefit, range: [1, 5], goalposts: {floor: 1, target: 5},
           supplier: residents, source: t, phases: [t1]}
        - {id: b_ladder, name: {en: ladder, zh: 参与阶梯}, unit: rung, kind: ordinal,
           direction: benefit, range: [0, 4], goalposts: {floor: 0, target: 4},
           supplier: society, source: t,
           levels: {0: {en: none, zh: 无}, 2: {en: some, zh: 部分}, 4: {en: full, zh: 全面}}}
"""

HEADER = [
    "community_id",
    "phase",
    "district",
    "a_ratio",
    "a_dist",
    "a_locker",
    "b_likert",
    "b_ladder",
]
ROWS = [
    ["LY", "t0", "金水区", "0.5", "300", "1", "", "2"],
    ["LY", "t1", "金水区", "0.8", "250", "1", "4.2", "4"],
    ["老城小区", "t1", "二七区", "n/a", "", "0", "不适用", "0"],
    ["JS02", "t0", "中原区", "0.25", "1200.5", "N/A", "", ""],
]


@pytest.fixture(scope="module")
def system() -> IndicatorSystem:
    return load_system(SYSTEM_YAML)


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write(
    tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER, name: str = "d.csv"
) -> Path:
    path = tmp_path / name
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return path


def with_cell(row: int, column: str, value: str, rows: list[list[str]] = ROWS) -> list[list[str]]:
    out = [list(r) for r in rows]
    out[row][HEADER.index(column)] = value
    return out


def problems_of(source: Any, system: IndicatorSystem, **kw: Any) -> tuple[Problem, ...]:
    with pytest.raises(DataValidationError) as info:
        load_data(source, system, **kw)
    return info.value.problems


# --------------------------------------------------------------------------- a valid table
def test_valid_table_values_statuses_and_context(tmp_path: Path, system: IndicatorSystem) -> None:
    data = load_data(write(tmp_path, ROWS), system)
    assert data.indicator_ids == ("a_ratio", "a_dist", "a_locker", "b_likert", "b_ladder")
    assert data.ids == ("LY", "LY", "老城小区", "JS02")
    assert data.phases == ("t0", "t1", "t1", "t0")
    ok, missing, na = CellStatus.OK, CellStatus.MISSING, CellStatus.NOT_APPLICABLE
    expected_status = [
        [ok, ok, ok, na, ok],  # b_likert empty in t0, where it is not measured
        [ok, ok, ok, ok, ok],
        [na, missing, ok, na, ok],  # 'n/a', empty, '不适用'
        [
            ok,
            ok,
            na,
            na,
            missing,
        ],  # 'N/A'; b_likert empty in t0; b_ladder empty in a measured phase
    ]
    np.testing.assert_array_equal(data.status, np.array(expected_status, dtype=np.int8))
    np.testing.assert_array_equal(
        data.values,
        np.array(
            [
                [0.5, 300, 1, np.nan, 2],
                [0.8, 250, 1, 4.2, 4],
                [np.nan, np.nan, 0, np.nan, 0],
                [0.25, 1200.5, np.nan, np.nan, np.nan],
            ]
        ),
    )
    assert data.context == {"district": ("金水区", "金水区", "二七区", "中原区")}
    assert data.source == str(tmp_path / "d.csv")
    assert data.counts() == {"ok": 13, "missing": 2, "not_applicable": 5}
    assert not data.values.flags.writeable
    assert not data.status.flags.writeable


def test_not_measured_phase_only_turns_empty_cells_into_na(
    tmp_path: Path, system: IndicatorSystem
) -> None:
    # b_likert is measured in t1 only: an empty t1 cell is missing, an empty t0 cell not applicable
    rows = with_cell(1, "b_likert", "")
    data = load_data(write(tmp_path, rows), system)
    j = data.indicator_ids.index("b_likert")
    assert data.status[0, j] == CellStatus.NOT_APPLICABLE
    assert data.status[1, j] == CellStatus.MISSING


@pytest.mark.parametrize("token", ["n/a", "N/A", "NA", "not applicable", "不适用", "无此项"])
def test_not_applicable_tokens(tmp_path: Path, system: IndicatorSystem, token: str) -> None:
    data = load_data(write(tmp_path, with_cell(0, "a_ratio", token)), system)
    assert data.status[0, 0] == CellStatus.NOT_APPLICABLE
    assert np.isnan(data.values[0, 0])


def test_numbers_with_spaces_and_full_width_digits(tmp_path: Path, system: IndicatorSystem) -> None:
    rows = with_cell(0, "a_dist", " 1200 ")
    rows = with_cell(1, "a_dist", "１２３", rows)
    data = load_data(write(tmp_path, rows), system)
    assert data.column("a_dist")[:2].tolist() == [1200.0, 123.0]


def test_same_id_in_two_phases_is_fine(tmp_path: Path, system: IndicatorSystem) -> None:
    data = load_data(write(tmp_path, ROWS), system)
    assert data.keys[:2] == (("LY", "t0"), ("LY", "t1"))
    assert data.select(phase="t1").ids == ("LY", "老城小区")
    assert data.select(ids=["JS02"]).n == 1


def test_table_without_a_phase_column(tmp_path: Path, system: IndicatorSystem) -> None:
    header = [h for h in HEADER if h != "phase"]
    rows = [[c for c, h in zip(r, HEADER, strict=True) if h != "phase"] for r in ROWS[:1]]
    data = load_data(write(tmp_path, rows, header), system)
    assert data.phases == (None,)
    # with no phase, the phase rule cannot apply: the empty likert cell is just missing
    assert data.status[0, data.indicator_ids.index("b_likert")] == CellStatus.MISSING


# --------------------------------------------------------------------------- every problem alone
@pytest.mark.parametrize(
    ("row", "column", "value", "reason", "fix"),
    [
        (0, "a_ratio", "abc", "not a number", "write a number"),
        (0, "a_ratio", "nan", "nan is not a measured value", "leave the cell empty"),
        (0, "a_dist", "inf", "inf is not a measured value", "write n/a"),
        (0, "a_dist", "-Infinity", "is not a measured value", "leave the cell empty"),
        (0, "a_dist", "1e309", "the number overflows float64", "check the value"),
        (0, "a_dist", "1,200", "a separator inside a number is ambiguous", "without separators"),
        (
            0,
            "a_dist",
            "1，5",
            "a separator inside a number is ambiguous",
            "'.' as the decimal point",
        ),
        (0, "a_dist", "1_000", "a separator inside a number is ambiguous", "without separators"),
        (0, "a_ratio", "1.5", "value outside the range [0, 1] of a_ratio", "correct the value"),
        (0, "a_dist", "-3", "value outside the range [0, 5000] of a_dist", "widen the range"),
        (1, "b_likert", "5.4", "value outside the range [1, 5] of b_likert", "correct the value"),
        (0, "b_ladder", "2.5", "ordinal indicator needs a whole number", "levels [0, 2, 4]"),
        (0, "a_locker", "0.5", "binary indicator needs a whole number", "use 0 or 1"),
    ],
)
def test_each_cell_problem_alone(
    tmp_path: Path,
    system: IndicatorSystem,
    row: int,
    column: str,
    value: str,
    reason: str,
    fix: str,
) -> None:
    path = write(tmp_path, with_cell(row, column, value))
    (problem,) = problems_of(path, system)
    assert reason in problem.reason
    assert fix in (problem.fix or "")
    assert problem.row == row + 1
    assert problem.line == row + 2  # the header is line 1
    assert problem.column == column
    assert problem.community_id == ROWS[row][0]
    assert problem.file == str(path)
    assert str(problem.value) in (value, str(float(value)) if _is_float(value) else value)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_unknown_column_with_suggestion(tmp_path: Path, system: IndicatorSystem) -> None:
    header = [h if h != "a_dist" else "a_dits" for h in HEADER]
    problems = problems_of(write(tmp_path, ROWS, header), system)
    unknown = [p for p in problems if p.reason == "unknown column 'a_dits'"]
    assert len(unknown) == 1
    assert unknown[0].fix == "did you mean 'a_dist'?"
    assert unknown[0].line == 1
    assert any(p.reason == "indicator column 'a_dist' is missing" for p in problems)


def test_unknown_column_differing_in_case(tmp_path: Path, system: IndicatorSystem) -> None:
    header = [h if h != "a_ratio" else "A_Ratio" for h in HEADER]
    problems = problems_of(write(tmp_path, ROWS, header), system)
    assert any(p.column == "A_Ratio" and p.fix == "did you mean 'a_ratio'?" for p in problems)


def test_missing_indicator_column(tmp_path: Path, system: IndicatorSystem) -> None:
    keep = [i for i, h in enumerate(HEADER) if h != "b_ladder"]
    rows = [[r[i] for i in keep] for r in ROWS]
    (problem,) = problems_of(write(tmp_path, rows, [HEADER[i] for i in keep]), system)
    assert problem.reason == "indicator column 'b_ladder' is missing"
    assert problem.column == "b_ladder"
    assert "add a column headed 'b_ladder' or '参与阶梯'" in (problem.fix or "")


def test_declared_context_makes_other_columns_errors(
    tmp_path: Path, system: IndicatorSystem
) -> None:
    path = write(tmp_path, ROWS)
    assert load_data(path, system, context=["district"]).context["district"][0] == "金水区"
    (problem,) = problems_of(path, system, context=["distrikt"])
    assert problem.reason == "unknown column 'district'"
    assert problem.fix == "did you mean 'distrikt'?"


def test_duplicate_id_and_phase(tmp_path: Path, system: IndicatorSystem) -> None:
    rows = [*ROWS, list(ROWS[1])]
    (problem,) = problems_of(write(tmp_path, rows), system)
    assert problem.reason == "duplicate community id 'LY' in phase 't1' (first at row 2)"
    assert problem.row == 5
    assert problem.line == 6
    assert problem.fix == "give each community one row per phase"


def test_empty_id(tmp_path: Path, system: IndicatorSystem) -> None:
    (problem,) = problems_of(write(tmp_path, with_cell(2, "community_id", "  ")), system)
    assert problem.reason == "empty community id"
    assert problem.row == 3
    assert problem.fix == "give every row an id"


@pytest.mark.parametrize(
    ("phase", "fix"),
    [
        ("T1", "did you mean 't1'?"),
        ("t_1", "did you mean 't1'?"),
        ("later", "use one of t0 (改造前), t1 (改造后)"),
    ],
)
def test_unknown_phase_with_suggestion(
    tmp_path: Path, system: IndicatorSystem, phase: str, fix: str
) -> None:
    (problem,) = problems_of(write(tmp_path, with_cell(1, "phase", phase)), system)
    assert problem.reason == f"unknown phase {phase!r}"
    assert problem.fix == fix
    assert problem.row == 2
    assert problem.community_id == "LY"


def test_empty_phase(tmp_path: Path, system: IndicatorSystem) -> None:
    (problem,) = problems_of(write(tmp_path, with_cell(1, "phase", "")), system)
    assert problem.reason == "empty phase"


def test_empty_table(tmp_path: Path, system: IndicatorSystem) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataValidationError, match="the data table is empty"):
        load_data(path, system)
    with pytest.raises(DataValidationError, match="the data table is empty"):
        load_data([], system)


def test_header_only(tmp_path: Path, system: IndicatorSystem) -> None:
    problems = problems_of(write(tmp_path, []), system)
    assert [p.reason for p in problems] == ["the table has no rows"]
    assert problems[0].fix == "add at least one community"


def test_no_id_column(tmp_path: Path, system: IndicatorSystem) -> None:
    header = ["comunity_id", *HEADER[1:]]
    (problem,) = problems_of(write(tmp_path, ROWS, header), system)
    assert problem.reason == "no column 'community_id'"
    assert problem.fix == "did you mean 'comunity_id'?"


def test_ragged_row(tmp_path: Path, system: IndicatorSystem) -> None:
    rows = [list(r) for r in ROWS]
    rows[1] = rows[1][:-1]
    (problem,) = problems_of(write(tmp_path, rows), system)
    assert problem.reason == "row has 7 cells, the header has 8"
    assert problem.line == 3


def test_duplicate_column(tmp_path: Path, system: IndicatorSystem) -> None:
    header = [*HEADER, "a_ratio"]
    rows = [[*r, r[3]] for r in ROWS]
    (problem,) = problems_of(write(tmp_path, rows, header), system)
    assert problem.reason == "column 'a_ratio' appears 2 times"
    assert problem.line == 1


def test_all_problems_together_in_one_error(tmp_path: Path, system: IndicatorSystem) -> None:
    header = [h if h != "district" else "a_dits" for h in HEADER]  # unknown column
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("a_ratio")] = "abc"
    rows[0][HEADER.index("a_dist")] = "1,200"
    rows[1][HEADER.index("b_likert")] = "5.4"
    rows[1][HEADER.index("phase")] = "T1"
    rows[2][HEADER.index("community_id")] = ""
    rows[3][HEADER.index("b_ladder")] = "nan"
    rows[3][HEADER.index("a_locker")] = "0.5"
    rows.append(list(ROWS[1]))  # duplicate of LY t1 (row 2 now reads T1, so the first is row 5)
    rows.append(list(ROWS[1]))
    problems = problems_of(write(tmp_path, rows, header), system)
    found = {(p.row, p.column, p.reason.split(" (")[0]) for p in problems}
    assert found == {
        (None, "a_dits", "unknown column 'a_dits'"),
        (1, "a_ratio", "not a number"),
        (1, "a_dist", "a separator inside a number is ambiguous"),
        (2, "b_likert", "value outside the range [1, 5] of b_likert"),
        (2, "phase", "unknown phase 'T1'"),
        (3, "community_id", "empty community id"),
        (4, "b_ladder", "nan is not a measured value"),
        (4, "a_locker", "binary indicator needs a whole number"),
        (6, "community_id", "duplicate community id 'LY' in phase 't1'"),
    }
    # sorted by row, and the message lists every problem with its row
    rows_seen = [p.row or 0 for p in problems]
    assert rows_seen == sorted(rows_seen)
    with pytest.raises(DataValidationError) as info:
        load_data(write(tmp_path, rows, header), system)
    assert "(9 problems)" in str(info.value)


def test_acceptance_case_on_an_inline_table(tmp_path: Path, system: IndicatorSystem) -> None:
    # the case: a string in a numeric column, a Likert mean of 5.4, a duplicated id and
    # a negative distance give ONE error listing all four with their rows
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("a_ratio")] = "high"
    rows[1][HEADER.index("b_likert")] = "5.4"
    rows[2][HEADER.index("a_dist")] = "-120"
    rows.append(list(ROWS[3]))
    problems = problems_of(write(tmp_path, rows), system)
    assert [(p.row, p.column) for p in problems] == [
        (1, "a_ratio"),
        (2, "b_likert"),
        (3, "a_dist"),
        (5, "community_id"),
    ]


EXAMPLE_CSV = (
    Path(__file__).resolve().parents[2] / "src" / "renoscore" / "example_data" / "communities.csv"
)


@pytest.mark.skipif(not EXAMPLE_CSV.is_file(), reason="the shipped example table is not there yet")
def test_acceptance_case_on_a_copy_of_the_shipped_table(tmp_path: Path) -> None:
    system = default_system()
    with EXAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    header, rows = table[0], table[1:]
    load_data(EXAMPLE_CSV, system)  # the original is valid
    numeric = next(i.id for i in system.indicators if i.kind is IndicatorKind.RATIO)
    likert = next(i.id for i in system.indicators if i.kind is IndicatorKind.LIKERT5)
    distance = next(i.id for i in system.indicators if i.kind is IndicatorKind.DISTANCE_M)
    likert_row = next(
        r for r, row in enumerate(rows) if row[header.index(likert)] not in ("", "n/a")
    )
    dist_row = next(r for r, row in enumerate(rows) if r > likert_row)
    rows[0][header.index(numeric)] = "about half"
    rows[likert_row][header.index(likert)] = "5.4"
    rows[dist_row][header.index(distance)] = "-50"
    rows.append(list(rows[-1]))
    path = tmp_path / "copy.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    with pytest.raises(DataValidationError) as info:
        load_data(path, system)
    located = [(p.row, p.column) for p in info.value.problems]
    assert located == sorted(
        [
            (1, numeric),
            (likert_row + 1, likert),
            (dist_row + 1, distance),
            (len(rows), "community_id"),
        ],
        key=lambda rc: (rc[0], rc[1]),
    )
    for problem in info.value.problems:
        assert f"row {problem.row}" in str(info.value)


# --------------------------------------------------------------------------- encodings and sources
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_keep_chinese_intact(
    tmp_path: Path, system: IndicatorSystem, encoding: str
) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_text(csv_text(ROWS), encoding=encoding)
    data = load_data(path, system)
    assert data.ids[2] == "老城小区"
    assert data.context["district"] == ("金水区", "金水区", "二七区", "中原区")
    assert data == load_data(write(tmp_path, ROWS), system)


def test_undecodable_file_and_unknown_encoding(tmp_path: Path, system: IndicatorSystem) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_text(ROWS).encode("utf-8") + b"\xff\xfe\x80\x81,\n")
    with pytest.raises(DataValidationError, match="cannot decode"):
        load_data(path, system, encoding="ascii")
    with pytest.raises(DataValidationError, match="unknown encoding"):
        load_data(path, system, encoding="no-such-codec")


def test_missing_file_and_unsupported_source(tmp_path: Path, system: IndicatorSystem) -> None:
    with pytest.raises(DataValidationError, match="data file not found"):
        load_data(tmp_path / "nope.csv", system)
    with pytest.raises(DataValidationError, match="cannot read community data from a int"):
        load_data(42, system)


def _records() -> list[dict[str, Any]]:
    records = []
    for row in ROWS:
        rec: dict[str, Any] = dict(zip(HEADER, row, strict=True))
        for key in ("a_ratio", "a_dist", "a_locker", "b_likert", "b_ladder"):
            cell = rec[key]
            rec[key] = float(cell) if _is_float(cell) else (None if cell == "" else cell)
        records.append(rec)
    return records


def test_dataframe_records_and_columns_give_equal_data(
    tmp_path: Path, system: IndicatorSystem
) -> None:
    pd = needs("pandas")
    records = _records()
    columns = {key: [r[key] for r in records] for key in HEADER}
    from_csv = load_data(write(tmp_path, ROWS), system)
    from_records = load_data(records, system)
    from_columns = load_data(columns, system)
    from_frame = load_data(pd.DataFrame(records), system)
    assert from_records == from_csv
    assert from_columns == from_csv
    assert from_frame == from_csv
    assert from_frame.digest() == from_csv.digest()


def test_numeric_arrays_nan_is_missing_and_inf_an_error(system: IndicatorSystem) -> None:
    columns: dict[str, Any] = {
        "community_id": np.array(["a", "b"]),
        "phase": np.array(["t1", "t1"]),
        "a_ratio": np.array([0.5, np.nan]),
        "a_dist": np.array([1.0, np.inf]),
        "a_locker": np.array([True, False]),
        "b_likert": np.array([3, 4]),
        "b_ladder": np.array([0, 4], dtype=np.uint8),
    }
    (problem,) = problems_of(columns, system)
    assert (problem.row, problem.column, problem.reason) == (2, "a_dist", "infinite value")
    columns["a_dist"] = np.array([1.0, 2.0])
    data = load_data(columns, system)
    assert data.status[1, 0] == CellStatus.MISSING
    assert data.column("a_locker").tolist() == [1.0, 0.0]


def test_nan_and_none_ids_are_empty_not_the_text_nan(system: IndicatorSystem) -> None:
    rows = _records()
    rows[0]["community_id"] = float("nan")
    rows[1]["community_id"] = None
    problems = problems_of(rows, system)
    assert [(p.row, p.reason) for p in problems] == [
        (1, "empty community id"),
        (2, "empty community id"),
    ]


def test_mapping_sources_with_bad_columns(system: IndicatorSystem) -> None:
    with pytest.raises(DataValidationError, match="not a list of cells"):
        load_data({"community_id": "LY", "a_ratio": 0.5}, system)
    with pytest.raises(DataValidationError, match="different lengths") as info:
        load_data({"community_id": ["a", "b"], "phase": ["t0"], "a_ratio": [1, 2]}, system)
    assert [p.column for p in info.value.problems] == ["phase"]


def test_excel_is_read_with_spreadsheet_rows(tmp_path: Path, system: IndicatorSystem) -> None:
    needs("openpyxl")
    pd = needs("pandas")
    path = tmp_path / "data.xlsx"
    frame = pd.DataFrame(ROWS, columns=HEADER)
    frame.to_excel(path, index=False)
    data = load_data(path, system)
    assert data == load_data(write(tmp_path, ROWS), system)
    bad = frame.copy()
    bad.loc[2, "a_ratio"] = "high"
    bad.to_excel(path, index=False)
    (problem,) = problems_of(path, system)
    assert (problem.row, problem.line, problem.column) == (3, 4, "a_ratio")


def test_corrupt_excel_is_a_data_error(tmp_path: Path, system: IndicatorSystem) -> None:
    needs("openpyxl")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(DataValidationError, match="cannot read the excel file"):
        load_data(path, system)


# --------------------------------------------------------------------------- CommunityData
def test_community_data_helpers(tmp_path: Path, system: IndicatorSystem) -> None:
    data = load_data(write(tmp_path, ROWS), system)
    assert data.n == 4
    assert data.m == 5
    assert data.phase_ids() == ("t0", "t1")
    taken = data.take([3, 0])
    assert taken.ids == ("JS02", "LY")
    assert taken.context["district"] == ("中原区", "金水区")
    assert data.take(range(4)) == data
    with pytest.raises(DataValidationError, match="no indicator 'a_rato'") as info:
        data.column("a_rato")
    assert info.value.problems[0].fix == "did you mean 'a_ratio'?"
    assert "4 rows, 3 communities, 5 indicators" in data.summary()
    with pytest.raises(DataValidationError, match="do not agree in shape"):
        CommunityData(
            "s", "1", ("a",), ("x",), (None,), np.zeros((1, 1)), np.zeros((2, 1), np.int8)
        )


# --------------------------------------------------------------------------- property
_value_for = {
    "a_ratio": st.floats(min_value=0, max_value=1),
    "a_dist": st.floats(min_value=0, max_value=5000),
    "a_locker": st.sampled_from([0.0, 1.0]),
    "b_likert": st.floats(min_value=1, max_value=5),
    "b_ladder": st.sampled_from([0.0, 2.0, 4.0]),
}
_cell = st.one_of(
    st.tuples(st.just("ok"), st.none()),
    st.tuples(st.just("missing"), st.sampled_from(["", "  "])),
    st.tuples(st.just("na"), st.sampled_from(["n/a", "NA", "不适用", "not applicable"])),
)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[list[str]], list[list[float]], list[list[int]]]:
    n = draw(st.integers(min_value=1, max_value=8))
    ids = draw(
        st.lists(
            st.text(alphabet="ABCxyz0123456789老城小区-_ ", min_size=1, max_size=6)
            .map(str.strip)
            .filter(bool),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    rows, values, statuses = [], [], []
    for community in ids:
        phase = draw(st.sampled_from(["t0", "t1"]))
        row = [community, phase, draw(st.sampled_from(["金水区", "二七区", ""]))]
        vals, stats = [], []
        for ind in ("a_ratio", "a_dist", "a_locker", "b_likert", "b_ladder"):
            kind, text = draw(_cell)
            if kind == "ok":
                value = draw(_value_for[ind])
                row.append(repr(value))
                vals.append(value)
                stats.append(CellStatus.OK)
            else:
                row.append(text or "")
                vals.append(float("nan"))
                not_measured = ind == "b_likert" and phase != "t1"
                stats.append(
                    CellStatus.NOT_APPLICABLE
                    if kind == "na" or not_measured
                    else CellStatus.MISSING
                )
        rows.append(row)
        values.append(vals)
        statuses.append(stats)
    return rows, values, statuses


@settings(max_examples=80, deadline=None)
@given(_tables())
def test_generated_valid_tables_load_exactly(
    case: tuple[list[list[str]], list[list[float]], list[list[int]]],
) -> None:
    rows, values, statuses = case
    system = load_system(SYSTEM_YAML)
    data = load_data({h: [r[i] for r in rows] for i, h in enumerate(HEADER)}, system)
    # every value survives repr -> text -> float64 bit for bit
    np.testing.assert_array_equal(data.values, np.array(values))
    np.testing.assert_array_equal(data.status, np.array(statuses, dtype=np.int8))
    assert data.ids == tuple(r[0] for r in rows)
    # and the same table through CSV text gives the same data
    buffer = io.StringIO(csv_text(rows))
    records = list(csv.DictReader(buffer))
    assert load_data(records, system) == data
