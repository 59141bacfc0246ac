"""Look-alike community ids: refused within a table (naming both), matched across tables by
their key (NFKC, invisible characters removed, trimmed, case-folded), kept as written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import renoscore as rs
from renoscore._labels import INVISIBLE, id_key, id_keys
from renoscore.data.checks import lookalike_rows
from renoscore.io import write_result


def rows_of(
    system: rs.IndicatorSystem, ids: list[str], phase: str = "t0"
) -> list[dict[str, object]]:
    values = {"f_a": 0.65, "f_b": 1, "s_dist": 900, "s_sat": 3.0}
    return [{"community_id": c, "phase": phase, **values} for c in ids]


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("XA02", "XA０2", "full-width digit"),
        ("xa03", "XA03", "case"),
        ("C\u200b0", "C0", "zero-width space"),
        ("\ufeffXA05", "XA05", "byte-order mark"),
        ("老城1号", "老城１号", "full-width digit in a Chinese id"),
        ("Ｂｌｏｃｋ", "block", "width and case"),
    ],
)
def test_look_alike_ids_in_one_table_are_refused_naming_both(
    mini_system: rs.IndicatorSystem, first: str, second: str, why: str
) -> None:
    with pytest.raises(rs.DataValidationError) as exc:
        rs.load_data(rows_of(mini_system, ["Z9", first, second]), mini_system)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.community_id) == (3, "community_id", second)
    assert problem.reason == (
        f"community id {second!r} differs from {first!r} (row 2) only by case, width, "
        "invisible characters or a byte-order mark"
    )


def test_look_alikes_across_phases_and_in_a_csv_file(
    mini_system: rs.IndicatorSystem, tmp_path: Path
) -> None:
    # 'compare' would have paired nothing: XA02 before, XA０2 after.
    table = [*rows_of(mini_system, ["XA02", "B1"]), *rows_of(mini_system, ["XA０2", "B1"], "t1")]
    with pytest.raises(rs.DataValidationError, match="differs from 'XA02'"):
        rs.load_data(table, mini_system)
    csv = tmp_path / "d.csv"
    header = "community_id,phase,f_a,f_b,s_dist,s_sat"
    cells = "0.65,1,900,3"
    csv.write_text(f"{header}\nXA02,t0,{cells}\nXA02\u200b,t1,{cells}\n", encoding="utf-8")
    with pytest.raises(rs.DataValidationError) as exc:
        rs.load_data(csv, mini_system)
    assert (exc.value.problems[0].file, exc.value.problems[0].line) == (str(csv), 3)


def test_ids_that_differ_visibly_are_kept_as_written(mini_system: rs.IndicatorSystem) -> None:
    ids = ["XA02", "XA-02", "XA 02", "金水区 政通新村", "Block A", "BlockA"]
    data = rs.load_data(rows_of(mini_system, ids), mini_system)
    assert data.ids == tuple(ids)


def test_matching_uses_the_key_and_output_keeps_the_id_as_written(
    mini_system: rs.IndicatorSystem, tmp_path: Path
) -> None:
    before = rs.evaluate(
        mini_system, rs.load_data(rows_of(mini_system, ["XA02", "B1"]), mini_system)
    )
    after_rows = rows_of(mini_system, ["ＸＡ０２", "b1"], "t1")
    after_rows[0]["f_a"] = 0.9
    after = rs.evaluate(mini_system, rs.load_data(after_rows, mini_system))
    cmp = rs.compare(before, after, phases=("t0", "t1"))
    assert cmp.ids == ("ＸＡ０２", "b1")  # paired, named as the after table writes them
    assert (cmp.only_before, cmp.only_after) == ((), ())
    assert before.row("xa０2") == 0
    assert before.fix_first("\ufeffXA02", top=1)[0].indicator
    path = write_result(after, tmp_path / "after.csv")
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("ＸＡ０２,")


def test_the_survey_reaches_its_community_by_key(tmp_path: Path) -> None:
    from renoscore import survey

    text = survey.example_responses_path().read_text(encoding="utf-8")
    wide = tmp_path / "answers.csv"
    wide.write_text(text.replace("\nJS01,", "\nＪＳ０１,"), encoding="utf-8")
    assert wide.read_text(encoding="utf-8").count("ＪＳ０１,") > 30
    scales = survey.default_scales()
    plain = survey.score_survey(survey.example_responses_path(), scales).apply_to(rs.example_data())
    keyed = survey.score_survey(wide, scales).apply_to(rs.example_data())
    assert keyed.ids == plain.ids  # the table's ids, as written there
    np.testing.assert_array_equal(keyed.values, plain.values)


@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(["a", "A", "１", "1", "\u200b", "老", "\ufeff"]),
            min_size=1,
            max_size=4,
        ),
        max_size=8,
    )
)
def test_vectorised_keys_and_look_alike_rows_agree_with_the_rule(ids: list[str]) -> None:
    arr = np.array([i.strip() for i in ids], dtype=str)
    keys = id_keys(arr)
    assert keys.tolist() == [id_key(i) for i in arr.tolist()]
    found = {r for r, _ in lookalike_rows(arr)}
    expected = set()
    first: dict[str, str] = {}
    for r, text in enumerate(arr.tolist()):
        k = id_key(text)
        if first.setdefault(k, text) != text:
            expected.add(r)
    assert found == expected


def test_invisible_characters_are_the_documented_ones() -> None:
    assert all(id_key(f"a{c}b") == "ab" for c in INVISIBLE)
