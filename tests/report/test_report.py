"""The report: complete (every weight, every expert's CR, every community), self-contained,
in both languages, and rendered by headless Chromium without console errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from html import unescape
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main as cli_main
from renoscore.report import build_report, choose_phases, write_report
from tests._extras import needs
from tests.conftest import MINI_YAML, random_table


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    system = rs.default_system()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.InconsistencyWarning)
        weights = rs.derive_weights(system, rs.example_panel(), method="ahp")
    return rs.evaluate(system, rs.example_data(), weights, missing="renormalize")


@pytest.fixture(scope="module")
def html_en(result: rs.EvaluationResult) -> str:
    return build_report(result, lang="en", charts=False).text


@pytest.fixture(scope="module")
def html_zh(result: rs.EvaluationResult) -> str:
    return build_report(result, lang="zh", charts=False).text


@pytest.fixture(scope="module")
def charted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``renoscore report --example`` in each language, with charts (two scorecards, to be fast)."""
    needs("matplotlib")
    folder = tmp_path_factory.mktemp("charted")
    out = {}
    for lang in ("en", "zh"):
        path = folder / f"report-{lang}.html"
        argv = ["--example", "--lang", lang, "--scorecards", "2", "-o", str(path)]
        assert cli_main(["report", *argv]) == 0
        out[lang] = path
    return out


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


SECTIONS_EN = [
    "Summary",
    "Method",
    "Weights and where they came from",
    "Consistency of the expert judgements (AHP)",
    "Ranking and grades",
    "Grade distribution",
    "Before and after",
    "Community scorecards",
    "Data quality",
    "Provenance",
]
SECTIONS_ZH = ["概要", "评价方法", "权重及其来源", "专家判断一致性检验", "排名与等级", "等级分布"]
SECTIONS_ZH += ["改造前后对比", "小区评价档案", "数据质量", "来源与复现"]


def test_every_section_in_both_languages(html_en: str, html_zh: str) -> None:
    for name in SECTIONS_EN:
        assert re.search(rf"<h2 id=\"[a-z]+\">\d+\. {re.escape(name)}", html_en), name
    for name in SECTIONS_ZH:
        assert re.search(rf"<h2 id=\"[a-z]+\">\d+\. {re.escape(name)}", html_zh), name
    assert '<html lang="zh-CN">' in html_zh
    assert '<html lang="en">' in html_en
    assert '<meta charset="utf-8">' in html_zh


def test_every_weight_is_published(result: rs.EvaluationResult, html_en: str) -> None:
    text = _text(html_en)
    w = result.weights
    g = w.global_weights()
    for row in w.table():
        assert f"{row['local']:.4f}" in text
        assert f"{g[row['node']]:.4f}" in text
        assert result.system.node(row["node"]).name.en in text
    assert "panel_example" in text
    assert "saaty1980" in text


def test_every_experts_consistency_is_published(
    result: rs.EvaluationResult, html_en: str, html_zh: str
) -> None:
    judged = [nw for nw in result.weights.nodes.values() if nw.experts]
    assert len(judged) == 2  # the goal (6 experts) and participation (2 experts)
    for nw in judged:
        for e in nw.experts:
            assert f"{e.cr:.4f}" in html_en
            assert f"{e.lambda_max:.4f}" in html_en
        assert f"{nw.cr:.4f}" in html_en
    # expert_c's street-office matrix fails CR < 0.10 (panel_example.yaml: CR 0.106, saaty1980)
    assert re.search(r"expert_c</td>.*?0\.1056</td><td>fails", html_en)
    assert re.search(r"expert_c</td>.*?0\.1056</td><td>未通过", html_zh)


def test_ranking_scorecards_and_fix_first(result: rs.EvaluationResult, html_en: str) -> None:
    text = _text(html_en)
    t0 = result.select("t0")
    best = t0.ids[int(np.nanargmin(t0.rank))]
    assert re.search(rf"<td class=\"num\">1</td><td>{best}</td>", html_en)
    for cid in set(result.ids):
        assert f">{cid} " in html_en  # a scorecard heading for every community
    # LY's latest phase with an overall score: t2 is a progress check (two dimensions).
    ly_fix = result.fix_first("LY", "t1", top=10)
    for item in ly_fix[:3]:
        assert item.name_en in text
    assert "What to fix first — about one year after completion (t1)" in text


def test_phase_comparison_follows_compare(result: rs.EvaluationResult, html_en: str) -> None:
    assert choose_phases(result) == ("t0", "t1")
    s = rs.compare(result, phases=("t0", "t1")).summary()
    text = _text(html_en)
    assert f"{s['communities_compared']} communities evaluated in both phases" in text
    assert f"{s['mean_change']:+.1f}" in text
    single = result.select("t0")
    assert choose_phases(single) is None
    html = build_report(single, charts=False, max_scorecards=2).text
    assert "Before and after" not in html
    assert "Scorecards are shown for the first 2 of 30 communities" in _text(html)


def test_data_quality_counts(result: rs.EvaluationResult, html_en: str) -> None:
    missing = int((result.status == rs.CellStatus.MISSING).sum())
    na = int((result.status == rs.CellStatus.NOT_APPLICABLE).sum())
    assert missing > 0
    assert na > 0
    text = _text(html_en)
    assert re.search(rf"missing\s+{missing} \(", text)
    assert re.search(rf"not applicable\s+{na} \(", text)
    col = result.system.indicator_ids.index("c_trust")
    n_missing = int((result.status[:, col] == rs.CellStatus.MISSING).sum())
    assert re.search(rf"<td>c_trust</td><td>[^<]+</td><td class=\"num\">{n_missing}</td>", html_en)


def test_self_contained(charted: dict[str, Path]) -> None:
    for path in charted.values():
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html  # nothing runs
        # nothing is fetched: no external src or href, no url() but same-page #ids, no @import
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        assert not re.search(r"url\((?!#)", html)
        assert "@import" not in html
        assert "<link" not in html
        assert "<img" not in html
        assert html.count("<svg") == 4 + 2  # weights, ranking, grades, map; a radar per scorecard


def test_user_text_is_escaped() -> None:
    mini = rs.load_system(MINI_YAML)
    table = random_table(mini, 4, seed=1, phase="t0")
    table["community_id"] = ["<script>alert(1)</script>", "a|b", "c", "d"]
    res = rs.evaluate(mini, rs.load_data(table, mini))
    html = build_report(res, charts=False).text
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = build_report(res, format="markdown", charts=False)
    assert "a\\|b" in md.text  # a pipe in a cell does not break the table
    for line in md.text.splitlines():
        if line.startswith("| "):
            assert len(re.findall(r"(?<!\\)\|", line)) >= 3


def test_chinese_chart_labels_are_svg_text(charted: dict[str, Path]) -> None:
    html = charted["zh"].read_text(encoding="utf-8")
    for label in ("设施改造", "公共服务", "居民参与与共建共治", "社区社会资本", "全局权重"):
        assert re.search(rf"<text[^>]*>{label}</text>", html), label


def test_markdown_writes_its_chart_files(tmp_path: Path, result: rs.EvaluationResult) -> None:
    needs("matplotlib")
    path = write_report(result.select("t1"), tmp_path / "报告.md", lang="zh", max_scorecards=1)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 老旧小区改造评价指标体系 — 评价报告")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert "报告_files/weights.svg" in links
    assert len(links) == 4 + 1  # weights, ranking, grades, map; one radar
    for link in links:
        svg = (tmp_path / link).read_text(encoding="utf-8")
        assert svg.startswith("<?xml")
        assert 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_report_options_are_checked(result: rs.EvaluationResult, tmp_path: Path) -> None:
    with pytest.raises(rs.OptionError, match="language"):
        build_report(result, lang="fr", charts=False)  # type: ignore[arg-type]
    with pytest.raises(rs.OptionError, match="report format"):
        write_report(result, tmp_path / "r.pdf", charts=False)


# ---------------------------------------------------------------------- command line
def test_cli_report_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    argv = ["--example", "--panel", "panel_example", "--lang", "zh", "--no-charts", "-o", str(out)]
    assert cli_main(["report", *argv]) == 0
    assert "wrote" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert "panel_example" in html
    assert "expert_c" in html
    assert "renoscore report --example --panel panel_example --lang zh --no-charts -o" in html
    # Without a panel the example report uses the system's declared weights, as score does.
    plain = tmp_path / "plain.html"
    assert cli_main(["report", "--example", "--no-charts", "-o", str(plain)]) == 0
    assert "expert_c" not in plain.read_text(encoding="utf-8")


def test_cli_report_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["report", "--example", "-o", str(tmp_path / "r.pdf")]) == 2
    assert cli_main(["report", "-o", str(tmp_path / "r.html")]) == 2
    assert "give SYSTEM (a YAML path or shipped name) or --example" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("community_id,f_water_supply_ok\nA,lots\n", encoding="utf-8")
    code = cli_main(["report", "old_community_renovation", str(bad), "-o", str(tmp_path / "r.md")])
    assert code == 1
    assert "f_water_supply_ok" in capsys.readouterr().err


# ---------------------------------------------------------------------- headless Chromium
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        # Every host name resolves to nothing: a page that fetched anything would log an error.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *args,
    ]
    env = {**os.environ, "LANG": "C.UTF-8"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env, check=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_headless_chromium(
    tmp_path: Path, charted: dict[str, Path], lang: str
) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    url = charted[lang].resolve().as_uri()
    dom = _run_chromium(binary, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [ln for ln in dom.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert console == []
    heading = "Community scorecards" if lang == "en" else "小区评价档案"
    assert heading in dom.stdout
    assert dom.stdout.count("<svg") == 4 + 2  # weights, ranking, grades, map; 2 radars
    if lang == "zh":
        shot = tmp_path / "shot.png"
        done = _run_chromium(
            binary, tmp_path / "profile", "--window-size=1000,1400", f"--screenshot={shot}", url
        )
        assert done.returncode == 0
        assert shot.stat().st_size > 10_000
        from PIL import Image

        with Image.open(shot) as im:
            grey = np.asarray(im.convert("L"), dtype=np.float64)
        assert grey.shape == (1400, 1000)
        assert (grey < 128).mean() > 0.005  # text was drawn, not a blank page


# ---------------------------------------------------------------------- notebook views
def test_repr_html_views(result: rs.EvaluationResult) -> None:
    from renoscore.report import repr_html

    mini = rs.load_system(MINI_YAML.replace("Mini system", "Mini <i>system</i>"))
    html = repr_html(mini)
    assert "Mini &lt;i&gt;system&lt;/i&gt;" in html
    assert html.count("<tr>") == 1 + len(mini.nodes)
    assert "1500 → 300" in html  # a cost indicator's goalposts, floor above target
    w = repr_html(result.weights, system=result.system, lang="zh")
    assert "expert_c" in w
    assert "0.1056" in w
    assert "未通过" in w  # expert_c's CR fails, in Chinese
    assert "一致性比率 CR" in w
    assert w.count("<tr>") == 1 + len(result.weights.table()) + 1 + 8  # 6 + 2 expert rows
    r = repr_html(result, max_rows=10)
    assert r.count("<tr>") == 1 + 10
    assert f"… {len(result.ids) - 10} more rows" in r
    with pytest.raises(rs.OptionError, match="no HTML view"):
        repr_html(42)  # type: ignore[arg-type]


def test_no_cjk_font_gives_one_clear_warning(
    monkeypatch: pytest.MonkeyPatch, result: rs.EvaluationResult
) -> None:
    needs("matplotlib")
    from renoscore.plot import fonts as rplot

    monkeypatch.setattr(rplot, "cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = build_report(result.select("t1"), lang="zh", max_scorecards=0).text
    fonts = [w for w in caught if "CJK font" in str(w.message)]
    assert len(fonts) == 1  # one for the report, not one per chart
    assert issubclass(fonts[0].category, rs.RenoscoreWarning)
    assert "fonts-noto-cjk" in str(fonts[0].message)
    assert re.search(r"<text[^>]*>设施改造</text>", html)  # the browser still gets the text


def test_report_shows_the_rank_interval_chart(tmp_path: Path) -> None:
    # issue 9: the report shows the rank-interval chart of an uncertainty analysis
    needs("matplotlib")
    from renoscore.cli import main

    out = tmp_path / "r.html"
    assert main(["report", "--example", "--uncertainty", "50", "--seed", "3", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "How stable is the ranking?" in html
    assert 'id="uncertainty"' in html or "#uncertainty" in html
    assert "50 Monte Carlo draws (seed 3)" in html
