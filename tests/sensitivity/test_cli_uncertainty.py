"""Tests of the uncertainty command line, which runs the sensitivity package."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest


# ----------------------------------------------------------------------------- command line
def _cli(argv: list[str]) -> int:
    from renoscore.cli import main

    return main(argv)


def test_cli_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_json = tmp_path / "u.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = _cli(
            [
                "uncertainty",
                "--example",
                "--panel",
                "panel_example",
                "-n",
                "100",
                "--sobol",
                "16",
                "--seed",
                "5",
                "--no-progress",
                "-o",
                str(out_json),
            ]
        )
    text = capsys.readouterr().out
    assert code == 0
    assert "rank intervals" in text
    assert "most influential sources" in text
    assert "LY" in text
    assert "seed 5" in text
    assert "judgements" in text
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert doc["uncertainty"]["settings"]["n"] == 100
    assert doc["sensitivity"]["records"]
    out_csv = tmp_path / "u.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert (
            _cli(
                [
                    "uncertainty",
                    "--example",
                    "-n",
                    "20",
                    "--sobol",
                    "0",
                    "--concentration",
                    "50",
                    "--seed",
                    "1",
                    "-o",
                    str(out_csv),
                ]
            )
            == 0
        )
    assert out_csv.read_text(encoding="utf-8").startswith("community_id,level")
    assert _cli(["uncertainty"]) == 2


def test_cli_plugs_into_renoscore_main(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # main() turns a RenoscoreError into exit code 1 with the problems listed.
    from renoscore import cli

    argv = ["uncertainty", "--example", "-n", "30", "--sobol", "0", "--seed", "2", "--no-progress"]
    assert cli.main(argv) == 0
    assert "rank intervals" in capsys.readouterr().out
    assert cli.main(["uncertainty", "--example", "-n", "0"]) == 1
    assert "n must be an integer >= 1" in capsys.readouterr().err
    assert cli.main(["uncertainty", "--example", "-n", "20", "--sobol", "0", "--seed", "1"]) == 0
