"""One vocabulary for every output, and columns that line up by display width."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import renoscore as rs
from renoscore._display import clip, display_width, pad, text_table
from renoscore._vocabulary import (
    CATEGORY,
    COLUMNS,
    CONSOLE,
    CONTEXT,
    METHOD_NAMES,
    SHEETS,
    STATUS,
    SUPPLIER,
    context_label,
    stakeholder_word,
    unit_label,
)
from renoscore.system import Category, Supplier

LATIN = re.compile(r"[A-Za-z]")
TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ 019-%") + list("老旧小区改造评价％ｖ")), max_size=12
)


def test_every_code_has_both_words() -> None:
    assert set(CATEGORY["zh"]) == set(CATEGORY["en"]) == {c.value for c in Category}
    assert set(SUPPLIER["zh"]) == set(SUPPLIER["en"]) == {s.value for s in Supplier}
    assert set(METHOD_NAMES["zh"]) == set(METHOD_NAMES["en"])
    assert set(CONSOLE["zh"]) == set(CONSOLE["en"])
    assert set(STATUS["zh"]) == {"ok", "missing", "not_applicable"}
    # the words of 国办发〔2020〕23号 and of the multi-centre supply, as an official writes them
    assert [CATEGORY["zh"][c] for c in ("basic", "improvement", "upgrade")] == [
        "基础类",
        "完善类",
        "提升类",
    ]
    assert SUPPLIER["zh"]["market"] == "市场主体"
    assert SUPPLIER["zh"]["utilities"] == "专业经营单位"


def test_chinese_words_have_no_latin_letter() -> None:
    tables = [CATEGORY["zh"], SUPPLIER["zh"], STATUS["zh"], COLUMNS["zh"], CONTEXT["zh"]]
    for table in tables:
        assert [w for w in table.values() if LATIN.search(w)] == []
    assert [w for w in SHEETS["zh"].values() if LATIN.search(w) or len(w) > 31] == []
    bare = {k: re.sub(r"\{[a-z_]+\}", "", w) for k, w in CONSOLE["zh"].items()}
    assert [w for w in bare.values() if LATIN.search(w)] == []


def test_units_context_and_stakeholders_read_in_chinese() -> None:
    system = rs.default_system()
    for ind in system.indicators:
        assert not LATIN.search(unit_label(ind, "zh")), ind.id
        assert unit_label(ind, "en") == str(ind.unit)
    assert context_label(system, "district", "zh") == "所在区"
    assert context_label(system, "district", "en") == "district"
    assert context_label(system, "unknown_column", "zh") == "unknown_column"
    panel = rs.example_panel()
    names = {g.id: g.name for g in panel.groups}
    assert [stakeholder_word(g.id, "zh", names) for g in panel.groups] == [
        "规划专家",
        "高校学者",
        "街道办事处",
        "居民代表",
        "物业服务企业",
        "驻区单位",
    ]
    assert stakeholder_word("residents", "zh") == "居民代表"
    assert stakeholder_word(None, "zh") == "–"


def test_weights_keep_the_panels_group_names(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = rs.derive_weights(rs.default_system(), rs.example_panel(), method="ahp")
    assert w.provenance.group_names["government"] == {"en": "street office", "zh": "街道办事处"}
    path = tmp_path / "w.json"
    w.save(path)
    assert rs.load_weights(path, rs.default_system()).provenance == w.provenance
    assert rs.derive_weights(rs.default_system(), method="equal").provenance.group_names == {}


@given(TEXT, st.integers(0, 30), st.sampled_from("<>^"))
def test_pad_fills_to_the_display_width(text: str, width: int, align: str) -> None:
    padded = pad(text, width, align)
    assert display_width(padded) == max(width, display_width(text))
    assert padded.strip(" ") == text.strip(" ") or text.strip(" ") == ""


@given(TEXT, st.integers(2, 20))
def test_clip_never_exceeds_the_width(text: str, width: int) -> None:
    cut = clip(text, width)
    assert display_width(cut) <= width
    assert cut == text or cut.endswith("…")


@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), min_size=1, max_size=6))
def test_text_table_columns_start_at_the_same_terminal_column(rows: list[list[str]]) -> None:
    rows = [[c.strip() or "-" for c in r] for r in rows]
    lines = text_table(["甲", "b", "丙丙"], rows, align="<><", rule=False).splitlines()
    widths = [max(display_width(r[i]) for r in [["甲", "b", "丙丙"], *rows]) for i in range(3)]
    start = widths[0] + 2 + widths[1] + 2  # where the third column starts
    for line, cells in zip(lines[1:], rows, strict=True):
        k = next(i for i in range(len(line) + 1) if display_width(line[:i]) >= start)
        assert display_width(line[:k]) == start
        assert line[k:].startswith(cells[2])


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("老旧小区") == 8
    assert display_width("ｖ％") == 4  # full-width forms
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert pad("优秀", 6) == "优秀  "
    assert "优秀".ljust(6) == "优秀    "  # ljust counts characters, not columns
