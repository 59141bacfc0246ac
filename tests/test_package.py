"""The package as users meet it: version, public names, typing marker, optional extras."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import renoscore as rs
from renoscore._optional import import_optional
from renoscore.errors import MissingDependencyError


def test_version_is_a_release_string() -> None:
    parts = rs.__version__.split(".")
    assert len(parts) >= 3
    assert all(p.isdigit() for p in parts[:3])


#: The public face of ``import renoscore as rs``: adding or removing a name is a decision, made
#: here as well as in the package.
PUBLIC_NAMES = [
    "AuditResult",
    "CellStatus",
    "CommunityData",
    "ConstantIndicatorWarning",
    "CoverageWarning",
    "DataValidationError",
    "EvaluationResult",
    "Expert",
    "FixFirstItem",
    "Group",
    "InconsistencyWarning",
    "Indicator",
    "IndicatorSystem",
    "IndicatorSystemError",
    "JudgementError",
    "MissingDependencyError",
    "NodeWeights",
    "OptionError",
    "OutputError",
    "Panel",
    "PanelError",
    "PhaseComparison",
    "Problem",
    "Provenance",
    "RenoscoreError",
    "RenoscoreWarning",
    "RenovationEffect",
    "ResourceError",
    "ResultError",
    "ScoringOptions",
    "StakeholderGroup",
    "Weights",
    "WeightsError",
    "__version__",
    "aggregate",
    "ahp",
    "audit",
    "available_systems",
    "compare",
    "default_system",
    "derive_weights",
    "effects",
    "evaluate",
    "evaluate_dataset",
    "example_data",
    "example_panel",
    "example_path",
    "hierarchy",
    "io",
    "load_data",
    "load_panel",
    "load_system",
    "load_weights",
    "normalize",
    "plot",
    "ranking",
    "renovation_effect",
    "report",
    "sensitivity",
    "survey",
    "system_json_schema",
    "uncertainty",
    "weights",
    "write_report",
]


def test_public_names_are_pinned() -> None:
    assert rs.__all__ == PUBLIC_NAMES
    assert sorted(PUBLIC_NAMES) == PUBLIC_NAMES


def test_every_public_name_resolves() -> None:
    for name in rs.__all__:
        assert getattr(rs, name) is not None, name
    assert rs.ScoringOptions(missing="renormalize").missing == "renormalize"


def test_typed_marker_and_shipped_files_are_in_the_package() -> None:
    root = resources.files("renoscore")
    assert (root / "py.typed").is_file()
    assert (root / "indicators" / "old_community_renovation.yaml").is_file()
    assert (root / "example_data" / "communities.csv").is_file()


def test_errors_are_value_errors_with_problems() -> None:
    assert issubclass(rs.RenoscoreError, ValueError)
    for cls in (
        rs.IndicatorSystemError,
        rs.PanelError,
        rs.JudgementError,
        rs.DataValidationError,
        rs.WeightsError,
        rs.OptionError,
    ):
        assert issubclass(cls, rs.RenoscoreError)
    err = rs.DataValidationError(
        "bad", [rs.Problem("not a number", row=3, column="x", value="abc", fix="write a number")]
    )
    text = str(err)
    assert "row 3" in text
    assert "'x'" in text
    assert "'abc'" in text
    assert "write a number" in text


def test_missing_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(MissingDependencyError, match=r"pip install 'renoscore\[pandas\]'"):
        import_optional("pandas", "EvaluationResult.to_frame")
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    with pytest.raises(MissingDependencyError, match="pandas"):
        result.to_frame()


def test_import_is_light_and_works_from_any_directory(tmp_path: Path) -> None:
    code = (
        "import sys, renoscore as rs; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'openpyxl', 'pyarrow') if m in sys.modules]; "
        "assert not heavy, heavy; "
        "print(len(rs.default_system().indicators), rs.example_data().n)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(rs.__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    n_indicators, n_rows = map(int, out.stdout.split())
    assert n_indicators == 72  # the default system, content release 2
    assert n_rows > 0


def test_scoring_the_example_loads_no_heavy_stack(tmp_path: Path) -> None:
    """``renoscore score --example`` is what a user runs first: it reads a 50-row CSV and
    scores it, so it must not pay for pandas, scipy.stats or the report, audit and survey
    packages (they took it from 0.8 s to 2.5 s once, through two module-level imports)."""
    code = (
        "import contextlib, io, sys; from renoscore.cli import main; "
        "out = io.StringIO(); "
        "ctx = contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()); "
        "ctx[0].__enter__(); ctx[1].__enter__(); code = main(['score', '--example']); "
        "ctx[1].__exit__(None, None, None); ctx[0].__exit__(None, None, None); "
        "heavy = ('pandas', 'pyarrow', 'matplotlib', 'scipy.stats', 'renoscore.report', "
        "'renoscore.audit', 'renoscore.survey', 'renoscore.programme', 'renoscore.effects'); "
        "print(code, [m for m in heavy if m in sys.modules], 'ZY04' in out.getvalue())"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(rs.__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(" ", 1) == ["0", "[] True\n"]
