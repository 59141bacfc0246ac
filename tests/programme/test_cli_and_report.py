"""``renoscore plan`` and ``renoscore ledger``; the map and roll-ups in the report (Chromium)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main

pytest.importorskip("matplotlib")


def test_plan_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "--example", "--budget", "3000万", "--lang", "zh", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "预算：3,000万元" in text
    assert "预算边际效益" in text
    assert "JS05" in text
    from renoscore.programme.ledger import read_ledger

    ledger = read_ledger(out, sheet="问题台账")
    assert sum(e.funded for e in ledger.entries) > 100
    from openpyxl import load_workbook

    assert load_workbook(out, read_only=True).sheetnames == [
        "项目优先序",
        "小区预期提升",
        "问题台账",
    ]
    assert main(["plan", "--example", "--budget", "3000w"]) == 1
    assert main(["plan", "--example", "--budget", "1亿", "--cap", "金水区"]) == 2
    err = capsys.readouterr().err
    assert "not an amount of money" in err
    assert "DISTRICT=AMOUNT" in err


def test_plan_checks_the_ledger_beside_a_csv_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "plan.csv"
    beside = tmp_path / "plan_ledger.csv"
    beside.write_text("keep me", encoding="utf-8")
    assert main(["plan", "--example", "--budget", "3000万", "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"cannot write {beside}: the file exists" in captured.err
    assert not out.exists()
    assert beside.read_text(encoding="utf-8") == "keep me"
    argv = ["plan", "--example", "--budget", "3000万", "--top", "1", "-o", str(out), "--force"]
    assert main(argv) == 0
    from renoscore.programme.ledger import read_ledger

    assert len(read_ledger(beside).entries) == 809
    assert out.read_text(encoding="utf-8").count("\n") == 810  # header and one line per item


def test_plan_and_ledger_save_keep_the_file_rules(tmp_path: Path) -> None:
    from renoscore.errors import OutputError
    from renoscore.programme import plan_programme
    from renoscore.programme.ledger import build_ledger

    r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    plan = plan_programme(r, "1000万")
    from renoscore.programme.plan import ledger_path

    data = tmp_path / "data.csv"
    data.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="the file exists"):
        plan.save(data, overwrite=False)
    with pytest.raises(OutputError, match="which would be lost"):
        build_ledger(plan).save(data, inputs={"the DATA input": data})
    assert data.read_text(encoding="utf-8") == "keep me"
    # the library replaces by default, as write_table does
    assert plan.save(data) == [data, ledger_path(data)]
    assert data.read_text(encoding="utf-8") != "keep me"


def test_ledger_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    assert (
        main(
            [
                "ledger",
                "export",
                "--example",
                "--budget",
                "3000万",
                "--deadline",
                "2025-12-31",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert main(["ledger", "check", str(out)]) == 0
    assert "未启动 809" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "某区老旧小区改造问题台账\n项目编号,小区编号,指标编号,办理状态\n"
        "A-1,A,f_parcel_locker,已销号\n",
        encoding="utf-8",
    )
    assert main(["ledger", "check", str(bad)]) == 1
    assert "completion date" in capsys.readouterr().err


def test_map_view(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from renoscore.programme.geo import example_services, read_boundaries

    r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    square = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "金水区"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[113.6, 34.7], [113.7, 34.7], [113.7, 34.8], [113.6, 34.7]]],
                },
            }
        ],
    }
    ax = r.plot.map(
        focus="LY",
        services=example_services(),
        boundaries=read_boundaries(square),
        color_by="score",
        lang="zh",
    )
    texts = [t.get_text() for t in ax.texts]
    assert "金水区" in texts
    assert any(t.endswith("米）") for t in texts)
    assert len(ax.patches) >= 3
    with pytest.raises(rs.OptionError):
        r.plot.map(focus="nowhere")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from renoscore.programme import plan_programme
    from renoscore.programme.geo import example_services
    from renoscore.programme.milestones import example_projects
    from renoscore.report import write_report

    r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    path = tmp_path_factory.mktemp("report") / "r.html"
    return write_report(
        r,
        path,
        lang="zh",
        max_scorecards=1,
        plan=plan_programme(r, "3000万"),
        projects=(example_projects(), dt.date(2024, 12, 31)),
        services=example_services(),
    )


def test_report_has_map_and_rollups(report_file: Path) -> None:
    html = report_file.read_text(encoding="utf-8")
    for heading in (
        "分级汇总（街道、区）",
        "小区分布图",
        "节点与进度",
        "预算约束下的项目优先序",
        "开工率",
    ):
        assert heading in html
    assert "300米生活圈" in html  # SVG text stays text


def test_report_renders_in_headless_chromium(report_file: Path, tmp_path: Path) -> None:
    import shutil

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("chromium is not installed")
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    dom = subprocess.run(
        [*cmd, "--dump-dom", report_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert dom.returncode == 0
    assert "小区分布图" in dom.stdout
    assert "分级汇总" in dom.stdout
    assert dom.stdout.count("<svg") >= 4  # weights, ranking, grades, map (+ radar)
    shot = tmp_path / "map.png"
    subprocess.run(
        [*cmd, "--window-size=1000,1400", f"--screenshot={shot}", report_file.as_uri()],
        capture_output=True,
        timeout=90,
        check=False,
    )
    from PIL import Image

    with Image.open(shot) as im:
        grey = np.asarray(im.convert("L"), dtype=np.float64)
    assert (grey < 128).mean() > 0.005
