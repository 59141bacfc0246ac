"""The example data generator and the two example files it makes (content release 2).

``examples/generate_data.py`` writes ``communities.csv``; ``examples/generate_survey.py`` writes
``survey_responses.csv`` and puts its estate scores back into ``communities.csv``. The committed
files are a fresh default run of both, follow the recipe in the generator's docstring, and agree
with each other on every value they share.
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import renoscore as rs
from renoscore import survey
from renoscore.data import CellStatus, load_data
from renoscore.system import load_system

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
COMMITTED_CSV = EXAMPLES / "data" / "communities.csv"
COMMITTED_SURVEY = EXAMPLES / "data" / "survey_responses.csv"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"renoscore_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


#: The utility networks and shared parts, as the generator's recipe lists them.
NETWORKS: tuple[str, ...] = _module("_values").NETWORKS


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    """The example generator, imported from its file (it is a script, not a package module)."""
    return _module("generate_data")


@pytest.fixture(scope="module")
def data() -> rs.CommunityData:
    return load_data(COMMITTED_CSV, load_system("old_community_renovation"))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_generator_matches_system(gen: ModuleType) -> None:
    s = load_system("old_community_renovation")
    measured = [i.id for i in s.indicators if i.formula is None]
    raw = [r.id for r in s.raw_fields]
    assert list(gen.COLUMN_IDS) == measured + raw
    for column, phases, _ in gen.COLUMNS:
        if column in measured:
            assert phases == s.node(column).phases, column
        else:
            assert phases, column  # every raw field feeds an indicator measured somewhere
    assert set(gen.PHASES) == set(s.phase_ids)


def test_generator_is_deterministic(gen: ModuleType, tmp_path: Path) -> None:
    def run(name: str, *args: str) -> bytes:
        assert gen.main(["--out", str(tmp_path / name), *args]) == 0
        return (tmp_path / name).read_bytes()

    a = run("a.csv", "--n-estates", "12", "--seed", "7")
    assert a == run("b.csv", "--n-estates", "12", "--seed", "7")
    assert a != run("c.csv", "--n-estates", "12", "--seed", "8")


def test_committed_files_are_a_fresh_default_run(gen: ModuleType, tmp_path: Path) -> None:
    """generate_data, then generate_survey --write-back, give the committed bytes."""
    communities, responses = tmp_path / "communities.csv", tmp_path / "survey_responses.csv"
    assert gen.main(["--out", str(communities)]) == 0
    surveys = _module("generate_survey")
    argv = ["--communities", str(communities), "--out", str(responses), "--write-back"]
    assert surveys.main(argv) == 0
    assert communities.read_bytes() == COMMITTED_CSV.read_bytes()
    assert responses.read_bytes() == COMMITTED_SURVEY.read_bytes()


def test_the_two_example_files_agree(data: rs.CommunityData) -> None:
    """Every questionnaire value of communities.csv is the survey's score of that estate."""
    scores = survey.score_survey(COMMITTED_SURVEY, households=data, warn=False)
    rows, found = scores._rows_in(data)
    shared = 0
    for j, ind in enumerate(scores.indicator_ids):
        assert ind is not None
        col = data.indicator_ids.index(ind)
        ok = found & (data.status[rows, col] == CellStatus.OK)
        decimals = 1 if ind == "c_neighbours_known" else (2 if ind.startswith("c_") else 3)
        # the file holds the score rounded to its decimals
        gap = np.abs(data.values[rows[ok], col] - scores.mean[ok, j])
        assert np.all(gap <= 0.5 * 10.0**-decimals + 1e-12), ind
        shared += int(ok.sum())
    assert shared > 300
    # LY's trust and JS01's service satisfaction, the two that disagreed in release 1.
    for cid, ind in (("LY", "c_trust"), ("JS01", "s_service_satisfaction")):
        k = data.keys.index((cid, "t0"))
        g = scores.keys.index((cid, "t0"))
        j = scores.indicator_ids.index(ind)
        assert data.values[k, data.indicator_ids.index(ind)] == pytest.approx(
            scores.mean[g, j], abs=0.006
        )


def test_committed_csv_follows_the_recipe(data: rs.CommunityData) -> None:
    phases = np.array(data.phases)
    assert {p: int((phases == p).sum()) for p in ("t0", "t_proc", "t1", "t2")} == {
        "t0": 30,
        "t_proc": 4,
        "t1": 12,
        "t2": 4,
    }
    assert [p for i, p in data.keys if i == "LY"] == ["t0", "t_proc", "t1", "t2"]
    col = {i: j for j, i in enumerate(data.indicator_ids)}
    na = data.status == CellStatus.NOT_APPLICABLE
    measured = np.isin(phases, ["t0", "t1", "t2"])
    mode = data.values[:, col["g_property_mode"]]
    # Fee collection is n/a exactly where there is no property management.
    assert np.array_equal(na[measured, col["g_fee_collection"]], mode[measured] == 0)
    t0 = phases == "t0"
    renovated = {i for i, p in data.keys if p == "t1"}
    t0_ids = np.array(data.ids)[t0]
    # No 一征三议两公开 record where there is no project: those estates are never renovated.
    no_record = na[t0, col["g_procedure_compliance"]]
    assert int(no_record.sum()) == 9
    assert not set(t0_ids[no_record]) & renovated
    # Unrenovated estates mostly without a professional property firm (23号's 失管 estates).
    assert np.mean(mode[t0] == 3) < 0.25
    # No block of 7 or more storeys counted as lacking a lift.
    storeys = np.array([float(s) for s in data.context["storeys"]])
    lift = col["f_lift_retrofit_share"]
    assert np.all(na[storeys >= 7, lift])
    assert not np.any(na[(storeys < 7) & measured, lift])
    # Missing (empty) cells only in the MCAR pools.
    scales = survey.load_scales("resident_survey").scales
    pools = {*(sc.indicator for sc in scales), "c_volunteer_share"}
    miss = data.status == CellStatus.MISSING
    assert {data.indicator_ids[j] for j in np.flatnonzero(miss.any(axis=0))} <= pools
    # Selection: renovated estates are older and their networks worse at t0.
    t0_rows = np.flatnonzero(t0)
    treated = np.array([data.ids[r] in renovated for r in t0_rows])
    nets = np.nanmean(data.values[np.ix_(t0_rows, [col[c] for c in NETWORKS])], axis=1)
    years = np.array([int(data.context["build_year"][r]) for r in t0_rows])
    assert nets[treated].mean() < nets[~treated].mean()
    assert years[treated].mean() < years[~treated].mean()


def test_committed_csv_layout(gen: ModuleType) -> None:
    rows = _rows(COMMITTED_CSV)
    header = rows[0]
    assert header[:2] == ["community_id", "phase"]
    assert header[2 : 2 + len(gen.CONTEXT_COLUMNS)] == list(gen.CONTEXT_COLUMNS)
    start = 2 + len(gen.CONTEXT_COLUMNS)
    assert header[start:] == list(gen.COLUMN_IDS)
    # A cell of a column not measured in the row's phase is empty, never n/a or a number.
    for row in rows[1:]:
        for (column, phases, _), cell in zip(gen.COLUMNS, row[start:], strict=True):
            if row[1] not in phases:
                assert cell == "", (row[0], row[1], column)
    assert {r[3] for r in rows[1:]} == {"金水区", "二七区", "中原区", "管城回族区", "惠济区"}


def test_ly_is_the_paper_s_estate(data: rs.CommunityData) -> None:
    """二七区, a former pilot estate of the early 1990s, many migrants, outdated management."""
    k0, k1 = data.keys.index(("LY", "t0")), data.keys.index(("LY", "t1"))
    ctx = {name: data.context[name][k0] for name in ("district", "build_year", "households")}
    assert ctx == {"district": "二七区", "build_year": "1992", "households": "1730"}
    assert float(data.context["renter_share"][k0]) >= 0.5
    col = data.indicator_ids.index
    assert data.values[k0, col("g_property_mode")] == 1  # outdated rather than absent
    assert data.values[k1, col("g_property_mode")] == 3
    assert data.values[k0, col("f_green_per_capita")] == pytest.approx(0.05)  # vegetable plots
    assert all(data.values[k1, col(c)] == 1.0 for c in NETWORKS)  # 水电气暖路 first
    assert data.values[k1, col("g_procedure_compliance")] == 1.0
    assert data.values[k1, col("g_red_property")] == 1.0


def test_large_variant(gen: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "large.csv"
    assert gen.main(["--out", str(out), "--variant", "large", "--n-estates", "120"]) == 0
    data = load_data(out, load_system("old_community_renovation"))
    assert len(set(data.ids)) == 120
    years = {y for y in data.context["renovation_year"] if y not in ("", None)}
    assert years <= {str(y) for y in range(2019, 2026)}
    assert len(years) >= 5


def test_a_copy_of_the_example_loads_where_it_is_put(tmp_path: Path) -> None:
    """The committed file stands alone (no path back into the repository)."""
    copy = tmp_path / "x.csv"
    shutil.copy(COMMITTED_CSV, copy)
    assert load_data(copy).n == 50
