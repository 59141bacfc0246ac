"""Edges once passed in silence, misread, or ended in a traceback: each is now an error of
the right class at its place, or a message that names the real cause; provenance is whole."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.errors import (
    DataValidationError,
    IndicatorSystemError,
    OptionError,
    PanelError,
    ResourceError,
    WeightsError,
)
from renoscore.io import result_tables, write_result
from tests.conftest import MINI_YAML


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    return rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")


def only(exc: pytest.ExceptionInfo[rs.RenoscoreError]) -> rs.Problem:
    assert len(exc.value.problems) == 1, exc.value
    return exc.value.problems[0]


# ----------------------------------------------------------------------------- tracebacks no more
def test_sources_as_a_list_is_an_option_error(result: rs.EvaluationResult) -> None:
    with pytest.raises(OptionError) as exc:
        rs.uncertainty(
            rs.default_system(),
            rs.example_data(),
            phase="t0",
            missing="renormalize",
            sources=["weights"],
            n=10,  # type: ignore[arg-type]
        )
    problem = only(exc)
    assert problem.reason == "sources must be a mapping of source name to its settings, not a list"
    assert problem.fix.startswith("e.g. sources={'weights': {}}")


def test_local_weights_of_1e308_are_refused_not_overflowed(tmp_path: Path) -> None:
    system = rs.default_system()
    doc = rs.derive_weights(system, method="equal").to_dict()
    node = doc["nodes"]["renovation_performance"]
    node["local"] = [1e308] * len(node["local"])
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(WeightsError) as exc:
        rs.load_weights(path, system)
    problem = only(exc)
    assert problem.path == "nodes.renovation_performance.local"
    assert problem.reason == "a local weight is at most 1; got [1e+308, 1e+308, 1e+308, 1e+308]"


def test_a_billion_draws_are_refused_before_any_is_drawn(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["uncertainty", "--example", "-n", "1000000000", "--sobol", "0"]) == 3
    out, err = capsys.readouterr()
    assert out == ""  # refused before any draw, so before anything was printed
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "error: n=1,000,000,000 draws need more memory than is available: about "
    )
    assert "-> use n <= " in lines[0]
    assert main(["uncertainty", "--example", "-n", "10", "--sobol", "1000000000"]) == 3
    assert "base samples need more memory" in capsys.readouterr().err


def test_the_memory_check_uses_what_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    from renoscore.sensitivity import _common

    monkeypatch.setattr(_common, "available_memory", lambda: 50 * 2**20)
    with pytest.raises(ResourceError) as exc:
        rs.uncertainty(
            rs.default_system(),
            rs.example_data(),
            phase="t0",
            missing="renormalize",
            sources={"weights": {}},
            n=1_000_000,
            seed=1,
        )
    assert only(exc).fix.startswith("use n <= ")
    fits = int(only(exc).fix.split("<= ")[1].split(",")[0].replace("_", ""))
    assert fits < 1_000_000
    monkeypatch.setattr(_common, "available_memory", lambda: None)  # the system does not say
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.RenoscoreWarning)
        rs.uncertainty(
            rs.default_system(),
            rs.example_data(),
            phase="t0",
            missing="renormalize",
            sources={"weights": {}},
            n=20,
            seed=1,
        )


def test_control_characters_in_names_are_refused_where_they_are_written() -> None:
    text = MINI_YAML.replace(
        "name: {en: Utilities ok, zh: 基础设施完好率}",
        'name: {en: "Utilities\\u0007ok", zh: "基础设施\\u0001完好率"}',
    )
    with pytest.raises(IndicatorSystemError) as exc:
        rs.load_system(text)
    assert [p.path for p in exc.value.problems] == [
        "goal.children[0].children[0].name.en",
        "goal.children[0].children[0].name.zh",
    ]
    assert exc.value.problems[0].reason == "a control character (U+0007) in a name"


def test_control_characters_in_data_reach_excel_as_its_own_escapes(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    system = rs.load_system(MINI_YAML)
    rows = [
        {
            "community_id": "A\x0bB",
            "address": "line\x01two",
            "f_a": 0.5,
            "f_b": 1,
            "s_dist": 900,
            "s_sat": 3,
        }
    ]
    data = rs.load_data(rows, system)
    path = write_result(rs.evaluate(system, data), tmp_path / "r.xlsx", lang="zh")
    sheet = openpyxl.load_workbook(path).worksheets[0]  # the scores, under a Chinese name
    assert [c.value for c in sheet[2]][:3] == ["A_x000B_B", None, "line_x0001_two"]


# ----------------------------------------------------------------------------- silent no more
def test_a_stakeholder_group_without_experts_is_refused() -> None:
    from renoscore.system.load import shipped_yaml

    shipped = shipped_yaml("panel_example").read_text(encoding="utf-8")
    # a seventh stakeholder group, declared after the six others, whom no expert belongs to
    text = shipped.replace(
        "\nexperts:\n",
        "\n  - {id: social_orgs, name: {en: social organisations, zh: 社会组织}, weight: 1}\nexperts:\n",
        1,
    )
    assert text != shipped
    with pytest.raises(PanelError) as exc:
        rs.load_panel(text, rs.default_system())
    problem = only(exc)
    assert problem.path == "groups[6]"
    assert problem.reason.startswith("stakeholder group 'social_orgs' has no experts")


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        (
            "1.10",
            "version was read as the number 1.1, which drops trailing zeros (1.10 becomes 1.1)",
        ),
        ("yes", "version was read as a yes/no value (true), not as text"),
    ],
)
def test_a_version_yaml_does_not_keep_as_written_is_refused(written: str, reason: str) -> None:
    with pytest.raises(IndicatorSystemError) as exc:
        rs.load_system(MINI_YAML.replace('version: "1"', f"version: {written}"))
    problem = only(exc)
    assert (problem.path, problem.line, problem.reason) == ("version", 2, reason)
    assert rs.load_system(MINI_YAML.replace('version: "1"', "version: 2")).version == "2"
    assert rs.load_system(MINI_YAML.replace('version: "1"', 'version: "1.10"')).version == "1.10"


def test_weights_made_for_another_version_are_refused(tmp_path: Path) -> None:
    v1 = rs.load_system(MINI_YAML)
    v2 = rs.load_system(MINI_YAML.replace('version: "1"', 'version: "2"'))
    path = tmp_path / "w.yaml"
    rs.derive_weights(v1, method="equal").save(path)
    with pytest.raises(WeightsError) as exc:
        rs.load_weights(path, v2)
    problem = only(exc)
    assert problem.reason == "weights are for version '1' of system 'mini', not version '2'"
    assert problem.fix.endswith("set system_version: '2' in the weights file")
    rows = [{"community_id": "A", "f_a": 0.5, "f_b": 1, "s_dist": 900, "s_sat": 3}]
    with pytest.raises(WeightsError):
        rs.evaluate(v2, rows, rs.load_weights(path))


def test_big5_is_not_read_as_gb18030(tmp_path: Path) -> None:
    system = rs.load_system(MINI_YAML)
    text = "community_id,f_a,f_b,s_dist,s_sat\n老城一號,0.5,1,900,3\n新村社區,0.7,0,800,4\n"
    path = tmp_path / "big5.csv"
    path.write_bytes(text.encode("big5"))
    with pytest.raises(DataValidationError) as exc:
        rs.load_data(path, system)
    problem = only(exc)
    assert exc.value.summary == "cannot tell the encoding of the data file"
    assert problem.file == str(path)
    assert "'老城一號'" in problem.reason
    assert problem.fix == "use encoding='big5' if that is right, or save the file as UTF-8"
    assert rs.load_data(path, system, encoding="big5").ids == ("老城一號", "新村社區")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.replace("號", "号").replace("區", "区").encode("gb18030"))
    assert rs.load_data(gbk, system).ids == ("老城一号", "新村社区")


def test_goalposts_that_differ_only_by_rounding_are_refused() -> None:
    text = MINI_YAML.replace(
        "goalposts: {floor: 0.3, target: 1.0}",
        "goalposts: {floor: 0.9999999999999998, target: 1.0}",
    )
    with pytest.raises(IndicatorSystemError) as exc:
        rs.load_system(text)
    problem = only(exc)
    assert problem.path == "goal.children[0].children[0].goalposts"
    assert "are too close to score between them" in problem.reason


# ----------------------------------------------------------------------------- messages
def test_a_repeated_header_row_is_one_problem(tmp_path: Path) -> None:
    lines = rs.example_path().read_text(encoding="utf-8").splitlines()
    path = tmp_path / "pasted.csv"
    path.write_text("\n".join([*lines[:3], lines[0], *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        rs.load_data(path)
    problem = only(exc)
    assert (problem.file, problem.line, problem.row) == (str(path), 4, 3)
    assert problem.reason == "this row repeats the header row (a table pasted under itself?)"


def test_validate_names_a_data_table_given_as_the_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "communities.csv"
    table.write_bytes(rs.example_path().read_bytes())
    assert main(["validate", str(table)]) == 1
    err = capsys.readouterr().err
    assert "error: a data table where the indicator system belongs" in err
    assert "'communities.csv' is a CSV table, not an indicator system" in err
    for argv, summary in (
        (["validate", str(tmp_path / "nosuch.yaml")], "indicator system file not found"),
        (["validate", "--example", "--panel", "nosuch.yaml"], "panel file not found"),
        (["score", "--example", "--weights", "w.yaml"], "weights file not found"),
    ):
        assert main(argv) == 1
        assert f"error: {summary}" in capsys.readouterr().err


def test_topsis_warnings_name_the_indicators(mini_system: rs.IndicatorSystem) -> None:
    rows = [
        {"community_id": c, "f_a": 0.5, "f_b": 1, "s_dist": d, "s_sat": s}
        for c, d, s in (("A", 900, 3), ("B", 400, 4), ("C", 1200, 2))
    ]
    with pytest.warns(rs.ConstantIndicatorWarning) as caught:
        rs.evaluate(mini_system, rows, aggregation="topsis")
    messages = " ".join(str(w.message) for w in caught)
    assert "'f_a'" in messages
    assert "#0" not in messages


def test_weight_sums_are_plain_numbers() -> None:
    with pytest.raises(WeightsError) as exc:
        rs.aggregate.weighted_sum(np.ones((2, 3)), [0.333, 0.333, 0.333])
    assert "np.float64" not in str(exc.value)
    assert "weights sum to 0.999, not 1" in str(exc.value)


def test_a_5000_digit_goalpost_says_what_is_wrong() -> None:
    text = MINI_YAML.replace(
        "goalposts: {floor: 0.3, target: 1.0}",
        "goalposts: {floor: 0.3, target: 1" + "0" * 5000 + "}",
    )
    with pytest.raises(IndicatorSystemError) as exc:
        rs.load_system(text)
    problem = only(exc)
    assert "set_int_max_str_digits" not in str(exc.value)
    assert problem.reason.startswith("a whole number of 5,001 digits is longer than can be read")
    assert problem.path == "goal.children[0].children[0].goalposts.target"


# ----------------------------------------------------------------------------- provenance
def test_the_data_digest_reaches_the_excel_sheet_and_the_report(
    result: rs.EvaluationResult, tmp_path: Path
) -> None:
    rows = {r["key"]: r["value"] for r in result_tables(result)["provenance"]}
    assert rows["data_digest"] == result.data_digest
    html = rs.report.build_report(result, charts=False).text
    assert result.data_digest in html


def test_the_reproduce_snippet_runs(result: rs.EvaluationResult, tmp_path: Path) -> None:
    from renoscore.report.provenance import reproduce_code

    custom = rs.load_system(rs.default_system().to_dict() | {"id": "xian_renovation"})
    code = reproduce_code(custom, result.provenance)
    assert "rs.load_system('xian_renovation.yaml')" in code
    (tmp_path / "xian_renovation.yaml").write_text(custom.to_yaml(), encoding="utf-8")
    (tmp_path / "communities.csv").write_bytes(rs.example_path().read_bytes())
    result.weights.model_copy(update={"system_id": "xian_renovation"}).save(
        tmp_path / "weights.yaml"
    )
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        scope: dict[str, object] = {}
        exec(code, scope)
    finally:
        os.chdir(here)
    again = scope["result"]
    assert isinstance(again, rs.EvaluationResult)
    np.testing.assert_array_equal(again.group_scores, result.group_scores)
