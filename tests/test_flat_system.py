"""A goal whose children include indicators (a flat or mixed system, allowed by the docs) goes
through every door: the table, the command line, the report, files, comparison, analyses."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.io import read_result, write_result

INDICATOR = """
      unit: share
      kind: ratio
      direction: benefit
      range: [0, 1]
      goalposts: {floor: 0, target: 1}
      supplier: government
      source: test"""

MIXED = f"""
id: mixed
version: "1"
name: {{en: Mixed, zh: 混合}}
goal:
  id: overall
  name: {{en: Overall, zh: 总目标}}
  children:
    - id: a
      name: {{en: A, zh: 甲}}{INDICATOR}
    - id: g
      name: {{en: G, zh: 组}}
      children:
        - id: b
          name: {{en: B, zh: 乙}}{INDICATOR.replace(chr(10) + "      ", chr(10) + "          ")}
        - id: c
          name: {{en: C, zh: 丙}}{INDICATOR.replace(chr(10) + "      ", chr(10) + "          ")}
"""

FLAT = f"""
id: flat
version: "1"
name: {{en: Flat, zh: 平}}
goal:
  id: overall
  name: {{en: Overall, zh: 总目标}}
  children:
    - id: a
      name: {{en: A, zh: 甲}}{INDICATOR}
"""


@pytest.fixture
def mixed_files(tmp_path: Path) -> tuple[Path, Path]:
    system = tmp_path / "mixed.yaml"
    system.write_text(MIXED, encoding="utf-8")
    rng = np.random.default_rng(1)
    lines = ["community_id,phase,a,b,c"]
    for phase in ("t0", "t1"):
        for k in range(6):
            a, b, c = rng.random(3).round(3)
            lines.append(f"C{k},{phase},{a},{b},{c}")
    data = tmp_path / "mixed.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return system, data


#: Excel files where openpyxl is installed (CI also runs the suite without it).
EXCEL_NAMES = ("r.xlsx",) if importlib.util.find_spec("openpyxl") else ()
SCORES_SUFFIX = ".xlsx" if EXCEL_NAMES else ".csv"


def test_a_flat_system_is_described_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert rs.load_system(FLAT).outline() == "1 indicator under the goal; 1 indicator in all"
    assert rs.load_system(MIXED).outline() == (
        "1 dimension and 1 indicator under the goal; 3 indicators in all"
    )


def test_every_door_of_a_mixed_system(
    mixed_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    system_path, data_path = mixed_files
    system = rs.load_system(system_path)
    result = rs.evaluate(system, rs.load_data(data_path, system))
    table = result.table()
    assert table.splitlines()[0].split()[-4:] == ["a", "g", "applies", "cover"]
    assert result._repr_html_().count("<tr>") > 12
    cmp = rs.compare(result, phases=("t0", "t1"))
    assert set(cmp.summary()["mean_change_by_dimension"]) == {"a", "g"}
    assert "<!DOCTYPE html>" in rs.report.build_report(result, charts=False).text
    for name in (*EXCEL_NAMES, "r.csv", "r.json"):
        write_result(result, tmp_path / name)
    assert read_result(tmp_path / "r.json") == result
    assert result.fix_first("C1", "t0", top=3)
    assert {o["dimension"] for o in result.obstacles(by="dimension")} == {"a", "g"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.RenoscoreWarning)
        unc = rs.uncertainty(
            system,
            rs.load_data(data_path, system),
            phase="t0",
            n=20,
            seed=1,
            sources={"weights": {}},
        )
    assert unc.levels == ("overall", "g")
    for argv in (
        ["validate", str(system_path), str(data_path)],
        ["score", str(system_path), str(data_path), "-o", str(tmp_path / f"s{SCORES_SUFFIX}")],
        ["compare", str(system_path), str(data_path), "--phases", "t0", "t1"],
        ["report", str(system_path), str(data_path), "--no-charts", "-o", str(tmp_path / "r.html")],
    ):
        assert main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "1 dimension and 1 indicator under the goal; 3 indicators in all — valid" in out


def test_the_radar_of_a_mixed_system(mixed_files: tuple[Path, Path]) -> None:
    pytest.importorskip("matplotlib")
    system_path, data_path = mixed_files
    system = rs.load_system(system_path)
    result = rs.evaluate(system, rs.load_data(data_path, system))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.RenoscoreWarning)
        result.plot.ranking(phase="t0")
