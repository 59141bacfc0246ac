"""Tests of the charts and the HTML report section of the sensitivity results."""

from __future__ import annotations

import pytest

import renoscore.sensitivity
from renoscore.plot import plot_one_at_a_time, plot_rank_intervals, plot_sobol
from renoscore.report import html_section
from renoscore.sensitivity import one_at_a_time, sensitivity


# ----------------------------------------------------------------------------- charts and report
def test_charts_and_html(example, example_result) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib", reason="needs matplotlib (pip install 'renoscore[plot]')")
    system, data, _, weights = example
    ax = plot_rank_intervals(example_result)
    assert len(ax.patches) == 30
    assert ax.get_xlabel().startswith("rank")
    assert len(plot_rank_intervals(example_result, level="facilities", top=10).patches) == 10
    sens = sensitivity(
        system,
        data,
        weights,
        phase="t0",
        missing="renormalize",
        n=16,
        seed=1,
        sources={"weights": {}, "missing": ("renormalize", "impute_mean")},
    )
    assert len(plot_sobol(sens).patches) == 4
    assert len(plot_sobol(sens, community="LY").patches) == 4
    oat = one_at_a_time(system, data, weights, phase="t0", missing="renormalize")
    assert len(plot_one_at_a_time(oat).lines) == 4
    html = html_section(example_result, sens, oat)
    assert html.count("<svg") == 2
    assert "Sobol" in html
    assert "LY" in html
    assert "<svg" not in html_section(example_result, charts=False)


def test_charts_and_section_keep_their_old_import_path() -> None:
    # They moved to renoscore.plot and renoscore.report; the documented old path still works.
    from renoscore.sensitivity import html_section as old_section
    from renoscore.sensitivity import plot_rank_intervals as old_chart

    assert old_section is html_section
    assert old_chart is plot_rank_intervals
    assert {"plot_sobol", "plot_one_at_a_time"} <= set(dir(renoscore.sensitivity))
    with pytest.raises(AttributeError, match="no attribute 'plot_nothing'"):
        renoscore.sensitivity.plot_nothing  # noqa: B018
