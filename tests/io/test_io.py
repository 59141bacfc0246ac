"""Files in and out: CSV (UTF-8, UTF-8-SIG, GB18030), Excel, Parquet and JSON round trips."""

from __future__ import annotations

import csv
import importlib.util
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.cli import main as cli_main
from renoscore.errors import DataValidationError, OptionError
from renoscore.io import (
    TABLES,
    fix_first_table,
    read_data,
    read_result,
    result_tables,
    write_data,
    write_result,
    write_table,
)
from tests._extras import needs
from tests.conftest import MINI_YAML, random_table

#: The file formats of the round trips: Parquet needs pyarrow (the ``pandas`` extra).
ROUND_TRIP_FORMATS = ["csv", "json", *(["parquet"] if importlib.util.find_spec("pyarrow") else [])]

#: What each file suffix needs beyond the core.
NEEDS = {".xlsx": "openpyxl", ".parquet": "pyarrow"}


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    system = rs.default_system()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.InconsistencyWarning)
        weights = rs.derive_weights(system, rs.example_panel(), method="ahp")
    return rs.evaluate(system, rs.example_data(), weights, missing="renormalize")


# ---------------------------------------------------------------------- data round trips
@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("d.csv", "utf-8"),
        ("d.csv", "utf-8-sig"),
        ("d.csv", "gb18030"),
        ("d.xlsx", "utf-8"),
        ("d.parquet", "utf-8"),
        ("d.json", "utf-8"),
    ],
)
def test_example_data_round_trips(tmp_path: Path, name: str, encoding: str) -> None:
    if Path(name).suffix in NEEDS:
        needs(NEEDS[Path(name).suffix])
    data = rs.example_data()  # 50 rows, Chinese context, missing and n/a cells
    path = write_data(data, tmp_path / name, encoding=encoding)
    back = read_data(path, encoding=encoding) if name.endswith(".csv") else read_data(path)
    assert back.counts() == data.counts()
    if name.endswith(".xlsx"):
        # openpyxl writes 16 significant digits: a derived ratio such as 3/19 (the lift
        # retrofit share) can come back one unit in the last place away; the rest is exact.
        _same_but_the_last_digit(back, data)
        return
    assert back == data
    assert back.digest() == data.digest()


def _same_but_the_last_digit(back: rs.CommunityData, data: rs.CommunityData) -> None:
    assert (back.ids, back.phases, back.indicator_ids) == (
        data.ids,
        data.phases,
        data.indicator_ids,
    )
    assert back.context == data.context
    np.testing.assert_array_equal(back.status, data.status)
    np.testing.assert_allclose(back.values, data.values, rtol=1e-15, atol=0)


def test_csv_encodings_are_what_they_say(tmp_path: Path) -> None:
    data = rs.example_data()
    sig = write_data(data, tmp_path / "sig.csv", encoding="utf-8-sig").read_bytes()
    plain = write_data(data, tmp_path / "plain.csv").read_bytes()
    gb = write_data(data, tmp_path / "gb.csv", encoding="gb18030").read_bytes()
    assert sig[:3] == b"\xef\xbb\xbf"
    assert sig[3:] == plain
    assert gb != plain
    assert gb.decode("gb18030") == plain.decode("utf-8")
    # load_data detects GB18030 on its own (UTF-8 first, then GB18030)
    assert rs.load_data(tmp_path / "gb.csv") == data


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(1, 20),
    seed=st.integers(0, 10_000),
    fmt=st.sampled_from(ROUND_TRIP_FORMATS),
    holes=st.floats(0.0, 0.5),
)
def test_random_data_round_trips(tmp_path: Path, n: int, seed: int, fmt: str, holes: float) -> None:
    mini = rs.load_system(MINI_YAML)
    table = random_table(mini, n, seed, phase="t0")
    rng = np.random.default_rng(seed)
    for ind in mini.indicator_ids:  # punch missing ("") and not-applicable ("n/a") cells
        col = [repr(float(v)) for v in table[ind]]
        for r in range(n):
            u = rng.random()
            if u < holes / 2:
                col[r] = ""
            elif u < holes:
                col[r] = "n/a"
        table[ind] = col
    data = rs.load_data(table, mini)
    path = write_data(data, tmp_path / f"r{seed}.{fmt}")
    assert read_data(path, mini) == data


def test_read_data_reports_bad_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataValidationError, match="cannot read the JSON file") as err:
        read_data(bad)
    assert err.value.problems[0].file == str(bad)
    scalar = tmp_path / "scalar.json"
    scalar.write_text("3", encoding="utf-8")
    with pytest.raises(DataValidationError, match="list of records"):
        read_data(scalar)


# ---------------------------------------------------------------------- result tables
def test_fix_first_table_equals_fix_first_for_every_row(result: rs.EvaluationResult) -> None:
    rows = fix_first_table(result, top=None)
    by_key: dict[tuple[str, str | None], list[dict[str, object]]] = {}
    for row in rows:
        by_key.setdefault((str(row["community_id"]), row["phase"]), []).append(row)  # type: ignore[arg-type]
    scored = [
        (i, p)
        for i, p, s in zip(result.ids, result.phases, result.overall, strict=True)
        if not np.isnan(s)
    ]
    assert sorted(by_key, key=str) == sorted(scored, key=str)
    for cid, phase in scored:
        expected = result.fix_first(cid, phase, top=None)
        got = by_key[(cid, phase)]
        assert [g["indicator"] for g in got] == [e.indicator for e in expected]
        assert [g["must_fix"] for g in got] == [e.must_fix for e in expected]
        np.testing.assert_allclose(
            [np.nan if g["obstacle"] is None else g["obstacle"] for g in got],  # type: ignore[misc]
            [np.nan if e.obstacle is None else e.obstacle for e in expected],
            rtol=1e-12,
        )


def test_result_tables_hold_the_result(result: rs.EvaluationResult) -> None:
    tables = result_tables(result, comparison=rs.compare(result, phases=("t0", "t1")))
    assert list(tables) == [*TABLES, "comparison"]
    scores = tables["scores"]
    assert len(scores) == len(result.ids)
    assert scores[0]["name"] == result.context["name"][0]  # context kept, beside the id
    np.testing.assert_allclose(
        [np.nan if s["score"] is None else s["score"] for s in scores], result.overall
    )
    assert {s["grade"] for s in scores} <= {g.name.en for g in result.system.grades} | {None}
    ranks = tables["ranks"]
    assert [r["rank_facilities"] for r in ranks] == [
        None if np.isnan(x) else x for x in result.ranks[:, result.group_ids.index("facilities")]
    ]
    weights = tables["weights"]
    g = result.weights.global_weights()
    assert all(w["global"] == pytest.approx(g[w["node"]]) for w in weights)
    assert {w["node"] for w in weights} == set(g) - {result.system.goal.id}
    prov = {p["key"]: p["value"] for p in tables["provenance"]}
    assert prov["data_digest"] == result.data_digest  # filled in, never None
    assert prov["weights.provenance.panel"] == "panel_example"
    assert len(tables["comparison"]) == 12  # the 12 renovated estates have t0 and t1


def test_excel_has_one_sheet_per_table(tmp_path: Path, result: rs.EvaluationResult) -> None:
    openpyxl = needs("openpyxl")
    path = write_result(result, tmp_path / "out.xlsx", fix_first_top=5)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["scores", "ranks", "fix-first", "weights", "provenance"]
    scores = list(wb["scores"].iter_rows(values_only=True))
    header = list(scores[0])
    assert header[:2] == ["community_id", "phase"]
    assert len(scores) == 1 + len(result.ids)
    col = header.index("score")
    np.testing.assert_allclose(
        [np.nan if r[col] is None else r[col] for r in scores[1:]], result.overall
    )
    fix = list(wb["fix-first"].iter_rows(values_only=True))
    fh = list(fix[0])
    ly = [
        r for r in fix[1:] if r[fh.index("community_id")] == "LY" and r[fh.index("phase")] == "t0"
    ]
    assert [r[fh.index("indicator")] for r in ly] == [
        i.indicator for i in result.fix_first("LY", "t0", top=5)
    ]
    wb.close()
    one = write_result(result, tmp_path / "weights.xlsx", table="weights")
    assert openpyxl.load_workbook(one, read_only=True).sheetnames == ["weights"]


def test_excel_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    openpyxl = needs("openpyxl")
    path = write_table([{"community_id": '=HYPERLINK("x")', "score": 1.5}], tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == '=HYPERLINK("x")'
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == 1.5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_scores_csv_in_each_encoding(
    tmp_path: Path, result: rs.EvaluationResult, encoding: str
) -> None:
    path = write_result(result, tmp_path / "s.csv", encoding=encoding, lang="zh")
    with path.open(encoding=encoding, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["小区编号"] for r in rows] == list(result.ids)
    assert rows[0]["小区名称"] == result.context["name"][0]
    # Rows of a progress-check phase (t_proc, t2) have no overall score and no grade, nor
    # has ZY05 at t0 (no project, and its volunteer count missing: coverage below the minimum).
    assert {r["等级"] for r in rows} <= {g.name.zh for g in result.system.grades} | {""}
    ungraded = {(r["小区编号"], r["阶段"]) for r in rows if r["等级"] == ""}
    assert {p for _, p in ungraded} == {"t0", "t_proc", "t2"}
    assert {c for c, p in ungraded if p == "t0"} == {"ZY05"}
    scores = [float(r["综合得分"]) if r["综合得分"] else np.nan for r in rows]
    np.testing.assert_allclose(scores, result.overall)


def test_parquet_and_json_tables(tmp_path: Path, result: rs.EvaluationResult) -> None:
    pq = needs("pyarrow.parquet")
    table = pq.read_table(write_result(result, tmp_path / "s.parquet"))
    assert table.column("community_id").to_pylist() == list(result.ids)
    np.testing.assert_allclose(table.column("score").to_numpy(), result.overall)
    ff = json.loads(
        write_result(result, tmp_path / "f.json", table="fix_first").read_text(encoding="utf-8")
    )
    assert ff == json.loads(json.dumps(fix_first_table(result)))


def test_json_result_round_trip(tmp_path: Path, result: rs.EvaluationResult) -> None:
    path = write_result(result, tmp_path / "r.json")
    back = read_result(path)
    assert back == result
    assert back.fix_first("LY", "t1") == result.fix_first("LY", "t1")
    not_result = tmp_path / "x.json"
    not_result.write_text("[]", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not a renoscore result"):
        read_result(not_result)


def test_writer_options_are_checked(tmp_path: Path, result: rs.EvaluationResult) -> None:
    with pytest.raises(OptionError, match="file format"):
        write_result(result, tmp_path / "x.txt")
    with pytest.raises(OptionError, match="unknown encoding"):
        write_result(result, tmp_path / "x.csv", encoding="klingon")
    with pytest.raises(OptionError, match="unknown table"):
        write_result(result, tmp_path / "x.csv", table="score")
    with pytest.raises(OptionError, match="needs a comparison"):
        write_result(result, tmp_path / "x.csv", table="comparison")
    with pytest.raises(OptionError, match="cannot encode"):
        write_table([{"id": "小区"}], tmp_path / "x.csv", encoding="ascii")
    assert not (tmp_path / "x.csv").exists()


# ---------------------------------------------------------------------- the CLI on Excel
def test_score_on_excel_with_a_bad_cell_names_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = needs("openpyxl")
    path = write_data(rs.example_data(), tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=5, column=header.index("f_fire_safety_ok") + 1, value="abc")
    wb.save(path)
    code = cli_main(["score", "old_community_renovation", str(path), "--missing", "renormalize"])
    err = capsys.readouterr().err
    assert code == 1
    # spreadsheet row 5 (the header is row 1), the column and the value
    assert f"{path}:5" in err
    assert "column 'f_fire_safety_ok'" in err
    assert "'abc'" in err


def test_score_on_a_good_excel_file_chooses_the_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs("openpyxl")
    path = write_data(rs.example_data(), tmp_path / "good.xlsx")
    assert (
        cli_main(["score", "old_community_renovation", str(path), "--missing", "renormalize"]) == 0
    )
    assert "LY" in capsys.readouterr().out
    _same_but_the_last_digit(rs.load_data(path, sheet="table"), rs.example_data())
    with pytest.raises(DataValidationError, match="no sheet 'no such sheet'") as info:
        rs.load_data(path, sheet="no such sheet")
    assert "its sheets are 0: 'table'" in info.value.problems[0].reason
    assert info.value.problems[0].fix == "use sheet='table' with one of these names or indexes"
