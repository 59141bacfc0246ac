"""The Chinese report names context columns, units, codes and stakeholder groups in Chinese."""

from __future__ import annotations

import html
import re
import warnings

import renoscore as rs
from renoscore.report import build_report


def _text(page: str) -> str:
    body = page[page.index("<body") :]
    # the references cite English titles as published
    body = re.sub(r'<h3 id="references">.*?</ul>', " ", body, flags=re.S)
    body = re.sub(r"<(style|script|pre|code)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_chinese_report_has_no_english_label() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rs.evaluate(
            rs.default_system(),
            rs.example_data(),
            "ahp",
            panel=rs.example_panel(),
            missing="renormalize",
        )
        text = _text(build_report(result, lang="zh", charts=False, max_scorecards=3).text)
    # warnings are Python's messages, in English only
    body = text[: text.index("评价过程中的警告")] + text[text.rindex("来源与复现") :]
    # the scorecard's context line: labels and values in Chinese
    assert "所在区：" in body
    assert "小区类型：" in body
    for english in ("district:", "origin:", "mixed", "share 0-1", "planning", "academic"):
        assert english not in body
    # stakeholder groups by their declared Chinese names
    assert "规划专家" in body
    assert "街道办事处" in body
    # options by their Chinese names, the code kept after them
    assert "加权算术平均（arithmetic）" in body
    ids = set(result.ids) | {n.id for n in result.system.nodes} | set(result.phases)
    ids |= {"expert_a", "expert_b", "expert_c", "expert_d", "expert_e", "expert_f"}
    ids |= {"old_community_renovation", "panel_example"}
    codes = {"arithmetic", "goalposts", "renormalize", "min", "saaty1980", "csv", "communities"}
    codes |= {"renoscore", "score", "o", "out", "xlsx", "Excel"}  # a command line, a product
    cited = {"OECD", "JRC", "UNDP", "Saaty", "Yang", "et", "al", "AIJ", "AIP", "Forman", "Peniwati"}
    cited |= {"Crawford", "Williams", "CRITIC"}
    formula = {"CR", "CI", "RI", "n", "s", "w", "y", "c", "x", "O", "W", "L", "clip", "max"}
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", body))
    # what is left: ids, codes in brackets, citations, formula symbols, the version and date
    left = words - ids - codes - cited - formula
    left = {w for w in left if w not in result.data_digest}  # the data digest, hex
    assert {w for w in left if not re.fullmatch(r"v\d+|T\d+|e-\d+|SHA-256|renoscore", w)} == set()
