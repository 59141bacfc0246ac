"""Every example script and the example notebook run to the end, and say what they should."""

from __future__ import annotations

import json
import runpy
import sys
import warnings
from pathlib import Path

import pytest

from tests._extras import needs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Data generators are tested with the data they make (tests/test_shipped.py).
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith(("generate_", "_")))

matplotlib = needs("matplotlib")
needs("openpyxl")
needs("pyarrow")
matplotlib.use("Agg")

# What each script must print (a check that it did its job, not only that it ran).
EXPECTED = {
    "quick_start.py": ["LY: what to fix first (t0)", "t0 -> t1: 12 communities", "report-zh.html"],
    "own_indicator_system.py": ["age_friendly", "HJ01", "JS07 after renovation"],
    "expert_panel.py": ["office_1", "FAILS (CR >= 0.10), left out", "weights_street_panel.yaml"],
    "two_phases.py": ["communities in both phases", "LY:", "t1 -> t2"],
    "batch_10000.py": ["generated 300 estates", "largest obstacles", "scores.parquet"],
}


def test_every_script_is_known() -> None:
    assert {p.name for p in SCRIPTS} == set(EXPECTED)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_script_runs(
    script: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script)])
    monkeypatch.setenv("RENOSCORE_EXAMPLE_N", "300")  # the 10,000-estate batch, made small
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(SystemExit) as done:
            runpy.run_path(str(script), run_name="__main__")
    assert done.value.code == 0
    out = capsys.readouterr().out
    for text in EXPECTED[script.name]:
        assert text in out, text
    written = (
        {p.name for p in (tmp_path / "example-output").glob("*")}
        if (tmp_path / "example-output").exists()
        else set()
    )
    if script.name == "quick_start.py":
        assert {"quick_start.xlsx", "report-zh.html", "report-en.md"} <= written
    if script.name == "batch_10000.py":
        assert {"scores.parquet", "batch.xlsx", "batch.html"} <= written


def test_notebook_cells_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the notebook's code cells in order, in one namespace (no Jupyter kernel needed)."""
    import matplotlib.pyplot as plt

    nb = json.loads((EXAMPLES / "tutorial.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] for c in cells)  # committed without outputs
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cell in cells:
            exec(compile("".join(cell["source"]), f"<cell {cell['id']}>", "exec"), namespace)
    plt.close("all")
    assert (tmp_path / "report-zh.html").stat().st_size > 50_000
    assert "result" in namespace


DOCS = EXAMPLES.parent / "docs"


def test_python_blocks_in_the_docs_compile() -> None:
    """Every ```python block of the documentation is valid Python (they are run by hand)."""
    import re

    pages = sorted(DOCS.rglob("*.md"))
    assert pages
    count = 0
    for page in pages:
        for k, block in enumerate(
            re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
        ):
            compile(block, f"{page.relative_to(DOCS)} block {k}", "exec")
            count += 1
    assert count >= 15
