"""The command line of the new analyses: ``effect``, and ``compare`` / ``report`` with intervals."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.effects import simulate_waves

RENOVATED = [
    "EQ01",
    "EQ02",
    "EQ03",
    "EQ05",
    "GC06",
    "HJ03",
    "HJ04",
    "JS03",
    "JS05",
    "LY",
    "ZY04",
    "ZY06",
]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_effect_on_simulated_waves_prints_the_truth_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["effect", "--simulate", "--nodes", "all"], capsys)
    assert code == 0
    # facilities +10 and public services +5 points, through the v2 weights
    assert "simulated true effect on renovation_performance: +3.81" in out
    assert "f_water_supply_ok" in out
    for suffix in ("csv", "json"):
        path = tmp_path / f"e.{suffix}"
        assert _run(["effect", "--simulate", "-o", str(path)], capsys)[0] == 0
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert rows[0]["node"] == "renovation_performance"
    doc = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert doc["correction"] == "stata"
    code, out, _ = _run(["effect", "--simulate", "--lang", "zh", "--correction", "full"], capsys)
    assert "改造净效应" in out
    assert "full小样本校正" in out


def test_effect_refuses_the_example_without_a_comparison_group(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(
        ["effect", "--example", "--treated", *RENOVATED, "--phases", "t0", "t1"], capsys
    )
    assert code == 1
    assert "no comparison group observed before and after renovation" in err
    code, _, err = _run(
        ["effect", "--example", "--treated", "LY", "XX9", "--phases", "t0", "t1"], capsys
    )
    assert code == 1
    assert "XX9" in err
    code, _, err = _run(["effect", "--example", "--phases", "t0", "t1"], capsys)
    assert code == 2
    assert "--treated" in err
    code, _, err = _run(["effect", "--example", "--treated", "LY"], capsys)
    assert code == 1
    assert "say which phases" in err


def test_compare_names_the_class_of_every_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        ["compare", "--example", "--phases", "t0", "t1", "--community", "EQ05"], capsys
    )
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("c_belonging"))
    assert line.split()[1:4] == ["100.0", "90.0", "-10.0"]
    assert line.endswith("no clear change")
    pytest.importorskip("openpyxl")
    import openpyxl

    path = tmp_path / "c.xlsx"
    assert _run(["compare", "--example", "--phases", "t0", "t1", "-o", str(path)], capsys)[0] == 0
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = next(s for s in book.sheetnames if "compar" in s)
    head = [c.value for c in next(book[sheet].iter_rows(max_row=1))]
    assert {"change_low", "change_high", "change_class"} <= set(head)


def test_report_and_compare_class_the_same_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["compare", "--example", "--phases", "t0", "t1"], capsys)
    assert code == 0
    printed = {
        line.split()[0]: (line.split()[4] + " " + line.split()[5], line.split("]")[1].strip())
        for line in out.splitlines()
        if line.split() and line.split()[0] in RENOVATED
    }
    assert len(printed) == len(RENOVATED)
    report = tmp_path / "r.md"
    argv = ["report", "--example", "--no-charts", "--scorecards", "0", "-o", str(report)]
    assert _run(argv, capsys)[0] == 0
    text = report.read_text(encoding="utf-8").replace("\\[", "[").replace("\\]", "]")
    for community, (interval, cls) in printed.items():
        row = next(x for x in text.splitlines() if x.startswith(f"| {community} |") and "[" in x)
        assert f"| {interval} | {cls} |" in row, (community, row)


def test_report_shows_the_effect_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = simulate_waves(n=40, seed=4)
    data_path = rs.io.write_data(sim.data, tmp_path / "waves.csv")
    rows = list(csv.DictReader(data_path.open(encoding="utf-8")))
    for row in rows:
        row["renovated"] = "1" if row["community_id"] in sim.treated else "0"
    with data_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = tmp_path / "r.md"
    argv = ["report", "old_community_renovation", str(data_path), "--treated-column", "renovated"]
    code, _, err = _run([*argv, "--no-charts", "--scorecards", "0", "-o", str(report)], capsys)
    assert code == 0, err
    text = report.read_text(encoding="utf-8")
    assert "Effect of renovation (difference in differences)" in text
    assert f"{len(sim.treated)} renovated communities are compared with" in text
    assert "--treated-column renovated" in text
    code, out, _ = _run(
        ["effect", "old_community_renovation", str(data_path), "--treated-column", "renovated"],
        capsys,
    )
    assert code == 0
    assert f"{len(sim.treated)} renovated" in out
