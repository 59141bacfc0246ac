"""The result's columns: records, to_frame and the per-row loop they replaced agree cell by cell."""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import renoscore as rs
from renoscore._format import optional_float
from tests._extras import needs


def _results() -> list[rs.EvaluationResult]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        system, data = rs.default_system(), rs.example_data()
        return [
            rs.evaluate(system, data, missing="renormalize"),
            # Rows not assessed and too little observed: reasons, NaN scores and grades.
            rs.evaluate(system, data, missing="renormalize", min_applicable=0.9, min_coverage=0.9),
        ]


def _row_by_row(res: rs.EvaluationResult, lang: str) -> list[dict[str, Any]]:
    """The records as they were built before: one dict per row, one call per cell."""
    grade_names = [g.name.get(lang) for g in res.system.grades]
    out = []
    for r in range(len(res.ids)):
        rec: dict[str, Any] = {
            "community_id": res.ids[r],
            "phase": res.phases[r],
            "score": optional_float(res.group_scores[r, 0]),
            "rank": optional_float(res.overall_rank[r]),
            "grade": None if res.grades[r, 0] < 0 else grade_names[res.grades[r, 0]],
            "applicable": res.applicable_share(r, 0),
            "coverage": optional_float(res.coverage[r, 0]),
            "reason": res.reasons[r],
        }
        for k, g in enumerate(res.group_ids[1:], start=1):
            rec[g] = optional_float(res.group_scores[r, k])
        for j, ind in enumerate(res.system.indicator_ids):
            rec[f"score_{ind}"] = optional_float(res.indicator_scores[r, j])
        out.append(rec)
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_records_are_the_row_by_row_records_value_and_type(lang: str) -> None:
    for res in _results():
        got, want = res.records(lang), _row_by_row(res, lang)
        assert [list(r) for r in got] == [list(r) for r in want]  # keys in the same order
        bad = [
            (i, k, g[k], w[k])
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for k in w
            if not _same(g[k], w[k])
        ]
        assert bad == []
    assert any(r["reason"] is not None for r in got)
    assert any(r["grade"] is None and r["score"] is None for r in got)


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_to_frame_is_the_frame_of_the_records(shape: str) -> None:
    pd = needs("pandas")
    for res in _results():
        records = res.records() if shape == "wide" else res.long_records()
        pd.testing.assert_frame_equal(res.to_frame(shape), pd.DataFrame(records))
    frame = res.to_frame("long")
    assert len(frame) == len(res.ids) * (len(res.group_ids) + len(res.system.indicator_ids))


def test_to_frame_in_chinese_names_the_grades_in_chinese() -> None:
    pd = needs("pandas")
    res = _results()[0]
    frame = res.to_frame(lang="zh")
    pd.testing.assert_frame_equal(frame, pd.DataFrame(res.records("zh")))
    zh = {g.name.zh for g in res.system.grades}
    assert set(frame["grade"].dropna()) <= zh
    assert np.isnan(frame["score"].to_numpy()).sum() == sum(
        r["score"] is None for r in res.records()
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_parquet_scores_written_by_columns_are_the_records_table(
    tmp_path: Any, lang: str
) -> None:
    pq = needs("pyarrow.parquet")
    from renoscore.io import write_result, write_table
    from renoscore.io.tables import result_tables

    for i, res in enumerate(_results()):
        by_columns = write_result(res, tmp_path / f"c{i}.parquet", lang=lang)
        records = result_tables(res, lang=lang, only=["scores"])["scores"]
        by_records = write_table(records, tmp_path / f"r{i}.parquet")
        got, want = pq.read_table(by_columns), pq.read_table(by_records)
        assert got.schema == want.schema
        assert got.equals(want)
    # Context columns (name, district...) are in it, in the reader's language too.
    assert got.num_columns > len(res.group_ids) + len(res.system.indicator_ids) + 8


@pytest.mark.parametrize(
    ("lang", "encoding"), [("en", "utf-8"), ("zh", "utf-8-sig"), ("zh", "gb18030")]
)
def test_the_csv_scores_written_by_columns_are_the_bytes_of_the_records_table(
    tmp_path: Any, lang: str, encoding: str
) -> None:
    from renoscore.io import write_result, write_table
    from renoscore.io.tables import result_tables

    for i, res in enumerate(_results()):
        by_columns = write_result(res, tmp_path / f"c{i}.csv", lang=lang, encoding=encoding)
        records = result_tables(res, lang=lang, only=["scores"])["scores"]
        by_records = write_table(records, tmp_path / f"r{i}.csv", encoding=encoding)
        assert by_columns.read_bytes() == by_records.read_bytes()


def test_a_formula_in_a_context_column_is_neutralised_in_the_csv_by_columns(tmp_path: Any) -> None:
    from renoscore.io import write_result

    res = _results()[0]
    name = next(iter(res.context))
    context = dict(res.context)
    context[name] = ['=HYPERLINK("http://x","a")', *list(context[name])[1:]]
    poisoned = dataclasses.replace(res, context=context)
    text = write_result(poisoned, tmp_path / "s.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    assert ",=HYPERLINK" not in text


def test_the_frame_owns_its_numbers() -> None:
    needs("pandas")
    res = _results()[0]
    frame = res.to_frame()
    before = res.group_scores.copy()
    frame.loc[0, "score"] = -1.0
    frame[res.group_ids[1]] += 1.0
    assert np.array_equal(res.group_scores, before, equal_nan=True)
    assert not res.group_scores.flags.writeable
    assert frame.loc[0, "score"] == -1.0


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=30))
def test_a_float_column_is_written_as_the_csv_module_writes_its_values(values: list[float]) -> None:
    import csv
    import io

    from renoscore.io.write import _csv_column

    col = np.array(values, dtype=np.float64)
    by_records, by_columns = io.StringIO(), io.StringIO()
    csv.writer(by_records).writerow(["" if math.isnan(v) else v for v in values])
    csv.writer(by_columns).writerow(_csv_column(col))
    assert by_columns.getvalue() == by_records.getvalue()
