"""The renoscore command: output, files and exit codes (0 ok, 1 invalid input, 2 usage)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import renoscore as rs
from renoscore.cli import main
from tests._extras import needs


def test_score_example_prints_ranked_graded_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--example"]) == 0
    out = capsys.readouterr().out
    assert "rank" in out
    assert "LY" in out
    assert "excellent" in out or "good" in out


def test_score_example_fix_first_and_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--example", "--phase", "t0", "--fix-first", "LY", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "优先整改事项 — LY（改造前现状评估）" in out
    assert "必改" in out  # LY's unmet basic items come first
    assert "较差" in out or "一般" in out or "良好" in out
    assert "基础类" in out
    assert "rank" not in out
    assert "MUST" not in out
    assert "t0" in out  # phase codes are ids


def test_chinese_console_tables_line_up(capsys: pytest.CaptureFixture[str]) -> None:
    from renoscore._display import display_width

    assert main(["score", "--example", "--phase", "t0", "--fix-first", "LY", "--lang", "zh"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[1 : lines.index("")]
    # every row of the ranking ends in the same terminal column (right-aligned coverage)
    assert len({display_width(line) for line in table}) == 1
    head = lines[lines.index("") + 2]
    ledger = [ln for ln in lines[lines.index("") + 3 :] if ln.strip()]
    assert len(ledger) == 10
    # the obstacle column is right-aligned: its "%" ends in the header's column on every line
    end = display_width(head[: head.index("障碍度") + len("障碍度")])
    assert {display_width(ln[: ln.index("%") + 1]) for ln in ledger} == {end}
    # the Chinese names take two columns a character: ljust would have made these differ
    assert len({display_width(ln[: ln.index("%")]) for ln in ledger}) == 1


def test_score_example_fix_first_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--example", "--phase", "t0", "--fix-first", "LY"]) == 0
    out = capsys.readouterr().out
    assert "fix first — LY (t0)" in out
    assert "MUST" in out


def test_score_writes_csv_and_json(tmp_path: Path) -> None:
    out_csv = tmp_path / "scores.csv"
    out_json = tmp_path / "scores.json"
    assert main(["score", "--example", "-o", str(out_csv)]) == 0
    assert main(["score", "--example", "-o", str(out_json)]) == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert len(rows) == rs.example_data().n
    result = rs.EvaluationResult.from_json(out_json.read_text(encoding="utf-8"))
    assert result.ids == rs.example_data().ids


def test_invalid_data_exits_1_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = rs.example_path().read_text(encoding="utf-8").splitlines()
    header = src[0].split(",")
    row = src[1].split(",")
    row[header.index("c_trust")] = "high"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([src[0], ",".join(row), *src[2:]]) + "\n", encoding="utf-8")
    assert main(["score", "old_community_renovation", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "c_trust" in err
    assert "not a number" in err
    assert "row 1" in err


def test_missing_cells_under_default_policy_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(rs.example_path())
    assert main(["score", "old_community_renovation", path]) == 1
    assert "missing" in capsys.readouterr().err
    assert main(["score", "old_community_renovation", path, "--missing", "renormalize"]) == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["score"]) == 2
    assert main(["frobnicate"]) == 2
    capsys.readouterr()


def test_validate_weights_schema_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--example", "--panel", "panel_example"]) == 0
    assert "valid" in capsys.readouterr().out
    out_w = tmp_path / "w.yaml"
    assert main(["weights", "--example", "--panel", "panel_example", "-o", str(out_w)]) == 0
    out = capsys.readouterr().out
    assert "expert_c" in out
    assert "FAILS" in out
    assert (
        rs.load_weights(out_w, rs.default_system()).nodes["renovation_performance"].method == "ahp"
    )
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "IndicatorSystem"
    assert main(["compare", "--example", "--phases", "t0", "t1"]) == 0
    out = capsys.readouterr().out
    assert "mean_change" in out
    assert "LY" in out


def test_bad_system_file_exits_1_with_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text(rs.default_system().to_yaml().replace("unit:", "unti:", 1), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'unit'" in err
    assert f"{bad}:" in err


def test_score_writes_excel_with_one_sheet_per_table(tmp_path: Path) -> None:
    needs("openpyxl")
    import openpyxl

    out = tmp_path / "scores.xlsx"
    assert main(["score", "--example", "-o", str(out)]) == 0
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert len(sheets) >= 4


def test_score_reads_an_excel_sheet(tmp_path: Path) -> None:
    pd = needs("pandas")
    xlsx = tmp_path / "data.xlsx"
    frame = pd.read_csv(rs.example_path(), dtype=str, keep_default_na=False)
    with pd.ExcelWriter(xlsx) as writer:
        frame.head(0).to_excel(writer, sheet_name="empty", index=False)
        frame.to_excel(writer, sheet_name="communities", index=False)
    args = ["score", "old_community_renovation", str(xlsx), "--missing", "renormalize"]
    assert main([*args, "--sheet", "communities"]) == 0
    assert main([*args, "--sheet", "1"]) == 0
    assert main([*args, "--sheet", "0"]) == 1  # the empty sheet: no rows


def test_scoring_options_are_the_library_s(capsys: pytest.CaptureFixture[str]) -> None:
    # The parser writes the option names and choices out (so --help imports neither pydantic
    # nor numpy); they are those of ScoringOptions, which validates what the parser reads.
    import argparse

    from renoscore import _options
    from renoscore.cli import _common
    from renoscore.errors import OptionError

    assert list(_options.MISSING_POLICIES) == _common.MISSING_POLICIES
    assert set(_common.SCORING_OPTIONS) <= set(_options.ScoringOptions.model_fields)
    parser = argparse.ArgumentParser()
    _common.add_scoring_options(parser)
    choices = {a.dest: a.choices for a in parser._actions if a.choices}
    assert choices["normalization"] == list(_options.NORMALIZATIONS)
    assert choices["aggregation"] == list(_options.TREE_AGGREGATIONS)
    args = parser.parse_args(["--aggregation", "geometric"])
    args.example = True
    assert _common.scoring_options(args) == _options.ScoringOptions(
        aggregation="geometric", missing="renormalize"
    )
    # A value the parser let through is refused by the library, with its message (exit 1).
    args.normalization = "zscore"
    with pytest.raises(OptionError, match="unknown normalization 'zscore'"):
        _common.scoring_options(args)
    assert _common.run_command_line({}, ["--version"]) == 0
    capsys.readouterr()


def test_a_warning_given_twice_by_one_command_is_printed_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse
    import warnings

    from renoscore.cli._common import run_command_line

    class Twice:
        @staticmethod
        def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
            subparsers.add_parser("twice")

        @staticmethod
        def run(args: argparse.Namespace) -> int:
            for _ in range(2):  # e.g. the report's evaluation and its rank-stability draws
                warnings.warn("expert_c inconsistent", UserWarning, stacklevel=1)
            warnings.warn("another", UserWarning, stacklevel=1)
            return 0

    assert run_command_line({"twice": Twice}, ["twice"]) == 0  # type: ignore[dict-item]
    err = capsys.readouterr().err
    assert err.count("expert_c inconsistent") == 1
    assert err.count("another") == 1


def test_report_with_audit_and_rank_stability_says_the_expert_warning_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.md"
    # The example panel's experts: one of them is inconsistent, which each evaluation warns.
    argv = ["report", "--example", "--panel", "panel_example", "--audit", "--uncertainty", "8"]
    assert main([*argv, "--no-charts", "--scorecards", "0", "-o", str(out)]) == 0
    assert capsys.readouterr().err.count("inconsistent at") == 1
