"""The residents' notice (公示): content, language, and one A4 page in headless Chromium."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import renoscore as rs
from renoscore.cli import main
from renoscore.report import build_notice, write_notice
from tests.report.test_report import _chromium, _run_chromium

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")


def _visible_text(page: str) -> str:
    """The text a reader sees: the body without tags, styles or scripts."""
    body = page[page.index("<body") :]
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _row(result: rs.EvaluationResult, cid: str, phase: str) -> int:
    return result.row(cid, phase)


def test_notice_says_the_result_in_plain_chinese(result: rs.EvaluationResult) -> None:
    page = build_notice(
        result,
        "LY",
        phase="t1",
        contact="LY社区居民委员会，电话 0371-12345678",
        issuer="示例街道办事处",
        date="2025年3月1日",
        period="2025年3月1日至3月7日",
        responsible={"government": "金水区住房和城乡建设局"},
    ).text
    text = _visible_text(page)
    k, kb = _row(result, "LY", "t1"), _row(result, "LY", "t0")
    assert "关于LY社区改造成效评价结果的公示" in text
    assert f"综合得分{result.overall[k]:.1f}分" in text
    assert f"排第{result.ranks[k, 0]:.0f}名" in text
    assert f"提高{result.overall[k] - result.overall[kb]:.1f}分" in text
    assert "等级为“良好”" in text  # 81.3 after renovation
    assert "等级为“较差”" in text  # before renovation
    for heading in ("一、评价结果", "二、已完成的改造", "三、仍需整改的事项", "四、居民问卷评价"):
        assert heading in text
    assert "五、意见反馈" in text
    assert "0371-12345678" in text
    assert "金水区住房和城乡建设局" in text  # the responsible unit replaces 政府
    assert "示例街道办事处" in text
    # values in their units: a share as a percentage, a distance in metres, a level by name
    assert "小区道路完好率：由20%提高到100%，已达到目标" in text  # roads were car parks
    assert "由180米缩短到32米" in text  # rubbish everywhere before
    # what is still to fix: the fix-first order, unmet items only
    todo = [
        i for i in result.fix_first("LY", "t1", top=None) if i.score is not None and i.score < 100
    ]
    section = text[text.index("三、仍需整改的事项") : text.index("四、居民问卷评价")]
    names = [result.system.node(i.indicator).name.zh for i in todo]
    at = [section.index(name) for name in names[:5]]
    assert at == sorted(at)
    assert all(name not in section for name in names[5:])
    assert f"另有{len(todo) - 5}项事项尚未达到目标" in section
    # no technical content: that belongs to the report
    for word in ("λmax", "CI", "CR", "SHA-256", "权重", "障碍度", "AHP"):
        assert word not in text


def test_notice_chooses_phases_and_sections(result: rs.EvaluationResult) -> None:
    only_t0 = _visible_text(build_notice(result, "JS01").text)
    assert "改造前" in only_t0
    assert "已完成的改造" not in only_t0  # nothing to compare with
    assert "二、仍需整改的事项" in only_t0  # sections are numbered as they come
    latest = _visible_text(build_notice(result, "LY").text)
    # LY has t0, t_proc, t1 and t2; t_proc and t2 are progress checks: t1 is the latest scored
    assert "改造后一年" in latest
    alone = _visible_text(build_notice(result, "LY", phase="t1", before=None).text)
    assert "已完成的改造" not in alone
    assert "请向所在社区居民委员会反映" in alone  # no contact given, none in the data
    english = _visible_text(build_notice(result, "LY", lang="en").text)
    assert "Notice: results of the renovation evaluation of LY社区" in english
    assert "Still to fix" in english


def test_a_progress_check_is_said_as_such(result: rs.EvaluationResult) -> None:
    # t_proc measures participation only: no overall score, grade or rank, the dimension it
    # measures beside the baseline, and no "too little data" (the data are not short).
    during = _visible_text(build_notice(result, "LY", phase="t_proc").text)
    assert "进度检查：改造中仅评价居民参与与共建共治，不计综合得分。" in during
    assert "数据不足" not in during
    assert "综合得分81" not in during
    assert "排第" not in during
    assert re.search(r"居民参与与共建共治\s+47\.9\s+88\.3\s+\+40\.4", during)
    assert "居民参与层级：由咨询提高到共同决策" in during  # a level by its name
    assert "等级划分" not in during  # no grade to explain
    # Compared with a progress check: the overall change is not invented, the dimensions are.
    after = _visible_text(build_notice(result, "LY", phase="t1", before="t_proc").text)
    assert "改造中为进度检查，未计综合得分，以下按维度比较。" in after
    assert "nan" not in after
    assert "当时–分" not in after
    assert re.search(r"居民参与与共建共治\s+88\.3\s+90\.5\s+\+2\.2", after)
    assert re.search(r"设施改造\s+–\s+89\.2\s+–", after)
    english = _visible_text(build_notice(result, "LY", phase="t1", lang="en").text)
    assert "communities evaluated. Compared with baseline assessment before renovation" in english
    english = _visible_text(build_notice(result, "LY", phase="t_proc", lang="en").text)
    assert "Progress check: t_proc measures participation only." in english


def test_notice_takes_the_contact_from_the_data(result: rs.EvaluationResult) -> None:
    data = rs.example_data()
    contacts = [f"{cid}居委会 0371-6000{k:04d}" for k, cid in enumerate(data.ids)]
    table = rs.io.write_data(data, Path(pytest.importorskip("tempfile").mkdtemp()) / "d.csv")
    import csv

    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    for row, contact in zip(rows, contacts, strict=True):
        row["contact"] = contact
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = rs.evaluate(rs.default_system(), rs.load_data(table), missing="renormalize")
    k = r.row("LY", "t1")
    assert contacts[k] in _visible_text(build_notice(r, "LY", phase="t1").text)


def test_notice_refuses_what_the_result_does_not_have(result: rs.EvaluationResult) -> None:
    with pytest.raises(rs.OptionError, match="no community 'LZ'") as err:
        build_notice(result, "LZ")
    assert err.value.problems[0].value == "LZ"
    with pytest.raises(rs.OptionError, match="no row in phase 't2'") as err:
        build_notice(result, "JS01", phase="t2")
    assert "t0" in err.value.problems[0].fix
    with pytest.raises(rs.OptionError, match="notice format"):
        write_notice(result, "notice.pdf", "LY")


def test_notice_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "公示.html"
    args = ["notice", "LY", "--example", "--phase", "t1", "-o", str(out)]
    assert main([*args, "--responsible", "government=金水区住房和城乡建设局"]) == 0
    assert capsys.readouterr().out.strip() == f"已写入 {out}"
    assert "金水区住房和城乡建设局" in out.read_text(encoding="utf-8")
    assert main([*args, "--force", "--responsible", "water=x"]) == 2
    assert "utilities" in capsys.readouterr().err
    assert main(["notice", "LY", "--example", "-o", str(tmp_path / "n.pdf")]) == 2
    assert main(["notice", "NOPE", "--example"]) == 1
    assert main(["notice", "LY", "--example", "--before", "none"]) == 0
    assert "已完成的改造" not in capsys.readouterr().out


def _pdf_pages(pdf: bytes) -> int:
    """The page count of a PDF: its page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_notice_renders_in_chromium_in_chinese_on_one_a4_page(
    tmp_path: Path, result: rs.EvaluationResult
) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    # the longest notices: LY after renovation (every section full) and the community with
    # the most items still to fix in its latest phase
    todo = {
        (cid, phase): sum(
            1
            for i in result.fix_first(cid, phase, top=None)
            if i.score is not None and i.score < 100
        )
        for k, (cid, phase) in enumerate(zip(result.ids, result.phases, strict=True))
        if not np.isnan(result.overall[k])
    }
    worst = max(todo, key=lambda key: todo[key])
    ids = set(result.ids)
    for cid, phase in (("LY", "t1"), worst):
        page = write_notice(
            result,
            tmp_path / f"{cid}.html",
            cid,
            phase=phase,
            contact="所在社区居民委员会，电话 0371-12345678（工作日 9:00–17:00）",
            issuer="郑州市金水区文化路街道办事处",
            period="2025年3月1日至2025年3月7日",
        )
        dom = _run_chromium(binary, tmp_path / "profile", "--dump-dom", page.resolve().as_uri())
        assert dom.returncode == 0, dom.stderr[-2000:]
        text = _visible_text(dom.stdout)
        assert "公示" in text
        # Chinese all the way: the only Latin words are ids (community ids)
        assert set(LATIN_WORD.findall(text)) <= ids
        pdf = tmp_path / f"{cid}.pdf"
        done = _run_chromium(
            binary,
            tmp_path / "profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        )
        assert done.returncode == 0, done.stderr[-2000:]
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert _pdf_pages(data) == 1, cid
        # A4: 595 x 842 points
        box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        assert box is not None
        assert (round(float(box[1])), round(float(box[2]))) == (595, 842)
