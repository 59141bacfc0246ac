"""Results files: every document that renoscore did not write, or that does not hold together,
is one ResultError naming each place; what renoscore wrote reads back exactly."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import renoscore as rs
from renoscore.errors import DataValidationError, ResultError
from renoscore.io import read_result, write_result
from renoscore.result import EvaluationResult

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    return rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")


@pytest.fixture(scope="module")
def doc(result: rs.EvaluationResult) -> Doc:
    return result.to_dict()


def refused(text_or_doc: str | bytes | Doc) -> ResultError:
    read = (
        EvaluationResult.from_dict if isinstance(text_or_doc, dict) else EvaluationResult.from_json
    )
    with pytest.raises(ResultError) as exc:
        read(text_or_doc)  # type: ignore[arg-type]
    assert isinstance(exc.value, DataValidationError)  # what read_result raised before
    return exc.value


def tampered(doc: Doc, change: Callable[[Doc], None], *, keep_digest: bool = False) -> Doc:
    out = copy.deepcopy(doc)
    if not keep_digest:
        del out["digest"]  # as a careful forger would: the consistency checks still hold
    change(out)
    return out


def paths(err: ResultError) -> list[str | None]:
    return [p.path for p in err.problems]


# ----------------------------------------------------------------------------- not JSON, not ours
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not valid JSON: Expecting value (column 1)"),
        ("[]", "the document is a list, not a renoscore result"),
        ("{}", "no 'format: renoscore.EvaluationResult/1' key"),
        ("null", "the document is null, not a renoscore result"),
        ('"renoscore"', "the document is a str, not a renoscore result"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (
            '{"format": "renoscore.EvaluationResult/9"}',
            "written in format 'renoscore.EvaluationResult/9'; this renoscore reads "
            "'renoscore.EvaluationResult/1'",
        ),
    ],
)
def test_what_is_not_a_result_says_so(text: str | bytes, reason: str) -> None:
    err = refused(text)
    assert [p.reason for p in err.problems] == [reason]


def test_a_hundred_thousand_brackets_are_refused_with_their_line() -> None:
    err = refused("\n" + "[" * 100_000 + "]" * 100_000)
    (problem,) = err.problems
    assert problem.reason == "values nested deeper than 200 levels"
    assert problem.line == 2


def test_nesting_the_json_reader_follows_is_still_bounded(doc: Doc) -> None:
    deep: Any = "x"
    for _ in range(300):
        deep = [deep]
    err = refused(tampered(doc, lambda d: d["context"].__setitem__("note", deep)))
    assert err.problems[0].reason == "values nested deeper than 200 levels"
    assert err.problems[0].path.startswith("context.note[0][0]")


def test_nan_and_infinity_tokens_and_huge_numbers_are_refused(doc: Doc) -> None:
    text = re.sub(r'"coverage": \[\[[-+.0-9eE]+', '"coverage": [[NaN', json.dumps(doc), count=1)
    assert "NaN" in refused(text).problems[0].reason
    text = json.dumps(doc)
    first = text.index('"values": [[') + len('"values": [[')
    end = text.index(",", first)
    err = refused(text[:first] + "1e999" + text[end:])
    assert err.problems[0].reason == "an infinite number"
    assert err.problems[0].path == "values[0][0]"
    err = refused('{"format": "renoscore.EvaluationResult/1", "ids": [' + "9" * 5000 + "]}")
    assert err.problems[0].reason == "a whole number too long to read (more than 4,300 digits)"


def test_a_text_beyond_the_size_limit_is_refused_before_parsing(
    result: rs.EvaluationResult,
) -> None:
    text = result.to_json()
    with pytest.raises(ResultError) as exc:
        EvaluationResult.from_json(text, max_bytes=1000)
    assert exc.value.problems[0].fix == f"use max_bytes={len(text)} (or more) to read it"


# ----------------------------------------------------------------------------- the schema
@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (lambda d: d.pop("ranks"), "ranks", "required key 'ranks' is missing"),
        (lambda d: d.__setitem__("extra", 1), "extra", None),
        (lambda d: d["ids"].__setitem__(0, 7), "ids[0]", None),
        (
            lambda d: d["values"][2].__setitem__(3, "0.5"),
            "values[2][3]",
            "expected numbers or null",
        ),
        (lambda d: d["values"][2].__setitem__(3, True), "values[2][3]", "expected numbers or null"),
        (lambda d: d["grades"][4].__setitem__(1, 1.5), "grades[4][1]", "expected whole numbers"),
        (lambda d: d["imputed"][0].__setitem__(0, 0), "imputed[0][0]", "expected true or false"),
        (lambda d: d["coverage"][5].pop(), "coverage[5]", "row of 16 values; the first row has 17"),
        (lambda d: d["status"].__setitem__(1, 3), "status[1]", "expected a row (a list)"),
        (lambda d: d.__setitem__("digest", "md5:x"), "digest", None),
    ],
)
def test_the_layout_is_checked_with_the_place(
    doc: Doc, change: Callable[[Doc], None], path: str, reason: str | None
) -> None:
    err = refused(tampered(doc, change))
    assert err.summary == "the result does not have the layout renoscore writes"
    assert path in paths(err)
    if reason is not None:
        assert any(p.reason.startswith(reason) for p in err.problems if p.path == path)


def test_the_system_and_the_provenance_are_checked_by_their_models(doc: Doc) -> None:
    err = refused(tampered(doc, lambda d: d["system"]["goal"].__setitem__("id", "Not An Id")))
    assert err.problems[0].path.startswith("system.goal.id")
    err = refused(tampered(doc, lambda d: d["provenance"].__setitem__("tie_tolerance", "x")))
    assert err.problems[0].path.startswith("provenance.tie_tolerance")


def test_matrices_of_the_wrong_shape_are_named(doc: Doc) -> None:
    err = refused(tampered(doc, lambda d: [row.pop() for row in d["values"]]))
    (problem,) = err.problems
    assert problem.path == "values"
    assert problem.reason.startswith("50 rows of 71 values; expected 50 rows (one per community)")
    err = refused(tampered(doc, lambda d: d["phases"].pop()))
    assert paths(err) == ["phases"]


# ----------------------------------------------------------------------------- consistency
@pytest.mark.parametrize(
    ("change", "first_path", "reason"),
    [
        # the cases of the issue: score 1e6, rank -5, grade 99, an unknown phase
        (
            lambda d: d["group_scores"][0].__setitem__(0, 1e6),
            "group_scores[0][0]",
            "outside [0, 100]",
        ),
        (lambda d: d["ranks"][0].__setitem__(0, -5.0), "ranks[0][0]", "does not follow from"),
        (lambda d: d["grades"][0].__setitem__(0, 99), "grades[0][0]", "is not the band of"),
        (lambda d: d["phases"].__setitem__(0, "t9"), "phases[0]", "unknown phase 't9'"),
        (lambda d: d["coverage"][2].__setitem__(1, 1.5), "coverage[2][1]", "outside [0, 1]"),
        (lambda d: d["status"][0].__setitem__(0, 7), "status[0][0]", "an unknown cell status"),
        (lambda d: d["reasons"].__setitem__(0, "x"), "reasons[0]", "an overall score and a reason"),
        (lambda d: d["ids"].__setitem__(1, ""), "ids[1]", "empty community id"),
        (lambda d: d["ids"].__setitem__(1, "JS01"), "ids[1]", "community 'JS01' appears twice"),
        (
            lambda d: d["provenance"].__setitem__("system_version", "9"),
            "provenance.system_version",
            "provenance names '9'",
        ),
    ],
)
def test_what_does_not_hold_together_is_refused_with_the_place(
    doc: Doc, change: Callable[[Doc], None], first_path: str, reason: str
) -> None:
    err = refused(tampered(doc, change))
    located = [p for p in err.problems if p.path == first_path]
    assert located, paths(err)
    assert located[0].reason.startswith(reason)


def test_an_overall_score_that_disagrees_with_its_rank(
    doc: Doc, result: rs.EvaluationResult
) -> None:
    best = int(result.overall_rank.tolist().index(1.0))
    err = refused(tampered(doc, lambda d: d["group_scores"][best].__setitem__(0, 1.0)))
    problem = next(p for p in err.problems if p.path == f"ranks[{best}][0]")
    assert problem.row == best + 1
    assert problem.community_id == result.ids[best]
    assert problem.column == "renovation_performance"
    assert problem.value.startswith("1.0 (the scores give ")


def test_look_alike_ids_are_refused_naming_both(doc: Doc, result: rs.EvaluationResult) -> None:
    ly = result.ids.index("LY")
    err = refused(tampered(doc, lambda d: d["ids"].__setitem__(ly, "ＬＹ")))
    lookalike = next(p for p in err.problems if "only by case" in p.reason)
    assert "'ＬＹ'" in lookalike.reason or "'ＬＹ'" in str(lookalike.community_id)
    assert lookalike.path.startswith("ids[")


def test_changed_values_break_the_data_digest_and_the_goalpost_scores(doc: Doc) -> None:
    err = refused(tampered(doc, lambda d: d["values"][0].__setitem__(0, 0.999)))
    assert paths(err) == ["provenance.data_digest", "indicator_scores[0][0]"]


def test_any_change_to_a_file_with_its_digest_is_caught(doc: Doc) -> None:
    err = refused(tampered(doc, lambda d: d["warnings"].append("nothing"), keep_digest=True))
    assert paths(err) == ["digest"]
    assert err.problems[0].reason == "the content does not match its digest"


def test_a_file_without_digest_from_before_is_read(result: rs.EvaluationResult, doc: Doc) -> None:
    older = copy.deepcopy(doc)
    del older["digest"]
    assert EvaluationResult.from_dict(older) == result


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.sampled_from(["group_scores", "ranks", "grades", "values", "indicator_scores"]),
    row=st.integers(0, 49),
    col=st.integers(0, 4),
    delta=st.sampled_from([-30, -1, 1, 7]),
    keep_digest=st.booleans(),
)
def test_changing_a_number_is_caught(
    doc: Doc, key: str, row: int, col: int, delta: int, keep_digest: bool
) -> None:
    """With its digest any change is caught; without it (removed by hand), a change to a rank,
    a grade, an input value or an observed indicator score still is. (A group score moved
    within its rank and grade is caught by the digest only.)"""
    if key == "group_scores" and not keep_digest:
        return
    cell = doc[key][row][col]
    if cell is None:
        return

    def change(d: Doc) -> None:
        d[key][row][col] = cell + delta

    with pytest.raises(ResultError):
        EvaluationResult.from_dict(tampered(doc, change, keep_digest=keep_digest))


# ----------------------------------------------------------------------------- files
def test_read_result_names_the_file(tmp_path: Path, result: rs.EvaluationResult) -> None:
    missing = tmp_path / "none.json"
    with pytest.raises(ResultError) as exc:
        read_result(missing)
    assert (exc.value.problems[0].file, exc.value.problems[0].reason) == (
        str(missing),
        "no such file",
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": \n', encoding="utf-8")
    with pytest.raises(ResultError) as exc:
        read_result(broken)
    assert (exc.value.problems[0].file, exc.value.problems[0].line) == (str(broken), 2)
    path = write_result(result, tmp_path / "r.json")
    with pytest.raises(ResultError, match="too large"):
        read_result(path, max_bytes=100)
    text = path.read_text(encoding="utf-8").replace('"LY"', '"LZ"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResultError) as exc:
        read_result(path)
    assert {p.file for p in exc.value.problems} == {str(path)}


# ----------------------------------------------------------------------------- fuzz findings
def test_a_grade_band_of_400_digits_is_a_result_error(doc: Doc) -> None:
    # found by fuzzing: an OverflowError in the system's grade rules (a mapping, not YAML)
    err = refused(tampered(doc, lambda d: d["system"]["grades"][3].__setitem__("min", 10**400)))
    assert err.problems[0].path.startswith("system.grades[3].min")


def test_nan_in_the_provenance_or_the_context_is_a_result_error(doc: Doc) -> None:
    # found by fuzzing: "nan" read as a float, then a ValueError from to_json
    node = next(iter(doc["provenance"]["weights"]["nodes"]))
    err = refused(
        tampered(doc, lambda d: d["provenance"]["weights"]["nodes"][node].__setitem__("cr", "nan"))
    )
    assert err.problems[0].path == f"provenance.weights.nodes.{node}.cr"
    err = refused(tampered(doc, lambda d: d["context"].__setitem__("x", [float("nan")] * 50)))
    assert err.problems[0].path == "context.x[0]"


def test_weights_with_nan_are_refused_when_loaded(doc: Doc) -> None:
    weights = copy.deepcopy(doc["provenance"]["weights"])
    node = next(iter(weights["nodes"]))
    weights["nodes"][node]["lambda_max"] = float("nan")
    with pytest.raises(rs.WeightsError) as exc:
        rs.load_weights(weights)
    assert exc.value.problems[0].path == f"nodes.{node}.lambda_max"


# ----------------------------------------------------------------------------- applicable shares
def test_applicable_shares_read_back_and_are_checked(result: rs.EvaluationResult, doc: Doc) -> None:
    """The example's progress checks carry applicable shares: written, read back exactly,
    covered by the digest, and refused outside [0, 1] or in the wrong shape."""
    assert result.applicable is not None
    back = EvaluationResult.from_dict(copy.deepcopy(doc))
    assert back.applicable is not None
    assert back.equals(result)

    def share_changed(d: Doc) -> None:
        d["applicable"][0][1] = 0.123

    assert paths(refused(tampered(doc, share_changed, keep_digest=True))) == ["digest"]

    def share_too_large(d: Doc) -> None:
        d["applicable"][0][1] = 3.0

    err = refused(tampered(doc, share_too_large))
    assert [p.reason for p in err.problems] == ["outside [0, 1]"]
    assert err.problems[0].row == 1

    def share_row_lost(d: Doc) -> None:
        d["applicable"].pop()

    assert paths(refused(tampered(doc, share_row_lost))) == ["applicable"]
    without = tampered(doc, lambda d: d.update(applicable=None))
    assert EvaluationResult.from_dict(without).applicable is None
