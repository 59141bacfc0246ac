"""One configuration, one answer: every command prints the numbers ``evaluate`` gives.

Each command runs on the example (with the system's declared weights, and again with the
example panel's AHP weights); every printed row is compared, to the printed digit, with the
result of :func:`renoscore.evaluate` on the same inputs and options.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import pytest

import renoscore as rs
from renoscore.cli import main

CONFIGURATIONS = {"declared": [], "panel": ["--panel", "panel_example"]}


def _api(extra: list[str]) -> rs.EvaluationResult:
    panel = rs.example_panel() if extra else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rs.evaluate(
            rs.default_system(), rs.example_data(), panel=panel, missing="renormalize"
        )


def _shown(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_score_prints_every_row_of_evaluate(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _api(CONFIGURATIONS[config])
    out = _run(["score", "--example", *CONFIGURATIONS[config]], capsys)
    dims = [d.id for d in result.system.dimensions]
    rows = [line.split() for line in out.splitlines()[2:]]
    assert len(rows) == len(result.ids)
    for cells in rows:
        r = result.row(cells[1], cells[2])
        assert cells[0] == ("-" if math.isnan(result.rank[r]) else f"{result.rank[r]:.0f}")
        assert cells[3] == _shown(result.overall[r])
        numbers = cells[-(len(dims) + 2) : -2]
        assert numbers == [_shown(result.scores(d)[r]) for d in dims]


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_report_prints_every_row_of_evaluate(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _api(CONFIGURATIONS[config])
    out = tmp_path / "r.md"
    argv = ["report", "--example", *CONFIGURATIONS[config], "--no-charts", "--scorecards", "0"]
    _run([*argv, "-o", str(out)], capsys)
    text = out.read_text(encoding="utf-8")
    ranking = text[text.index("## 5. Ranking") : text.index("## 6.")]
    dims = [d.id for d in result.system.dimensions]
    phase = None
    seen = 0
    for line in ranking.splitlines():
        heading = re.match(r"### .*\((t[^)]*)\)", line.replace("\\_", "_"))
        if heading:
            phase = heading[1]
        cells = [c.strip() for c in line.strip("|").split("|")]
        if phase is None or len(cells) < 5 or not cells[1] or cells[1] not in result.ids:
            continue
        r = result.row(cells[1], phase)
        seen += 1
        assert cells[3] == _shown(result.overall[r]).replace("-", "–")
        assert cells[5 : 5 + len(dims)] == [
            _shown(result.scores(d)[r]).replace("-", "–") for d in dims
        ]
    assert seen == len(result.ids)


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_compare_prints_the_changes_of_evaluate(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _api(CONFIGURATIONS[config])
    cmp = rs.compare(result, phases=("t0", "t1"))
    out = _run(["compare", "--example", *CONFIGURATIONS[config], "--phases", "t0", "t1"], capsys)
    lines = [line.split() for line in out.splitlines() if line[:1].isalpha() and " " in line]
    rows = {cells[0]: cells[1:4] for cells in lines if cells[0] in cmp.ids}
    assert set(rows) == set(cmp.ids)
    for k, cid in enumerate(cmp.ids):
        before, after, change = rows[cid]
        assert before == _shown(cmp.before[k, 0])
        assert after == _shown(cmp.after[k, 0])
        assert change == f"{cmp.delta[k, 0]:+.1f}"


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_weights_prints_the_weights_of_evaluate(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _api(CONFIGURATIONS[config])
    out = _run(["weights", "--example", *CONFIGURATIONS[config]], capsys)
    glob = result.weights.global_weights()
    found = re.findall(r"^    (\w+)\s+local ([\d.]+)\s+global ([\d.]+)$", out, flags=re.M)
    assert len(found) == len(result.system.nodes) - 1
    for child, local, global_ in found:
        parent = result.system.parent(child)
        assert parent is not None
        assert local == f"{result.weights.local(parent)[child]:.4f}"
        assert global_ == f"{glob[child]:.4f}"


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_uncertainty_ranks_the_base_of_evaluate(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _api(CONFIGURATIONS[config]).select("t0")
    argv = ["uncertainty", "--example", *CONFIGURATIONS[config]]
    out = _run([*argv, "-n", "10", "--sobol", "0", "--seed", "1", "--no-progress"], capsys)
    table = out[out.index("rank intervals") :].split("\n\n")[0].splitlines()[2:]
    ranks = {cells[0]: cells[1] for cells in (line.split() for line in table) if len(cells) > 4}
    # every community with a base rank (ZY05 has none at t0: coverage below the minimum)
    ranked = {
        cid for cid in result.ids if result.rank[result.row(cid)] == result.rank[result.row(cid)]
    }
    assert set(ranks) == ranked
    assert len(ranked) == len(result.ids) - 1
    for cid, rank in ranks.items():
        assert rank == f"{result.rank[result.row(cid)]:.0f}"
