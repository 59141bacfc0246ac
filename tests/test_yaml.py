"""Tests of the safe, line-aware YAML reader (renoscore._yaml) on ordinary and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renoscore._yaml import Located, YamlLimits, dotted, read_text, read_yaml
from renoscore.errors import IndicatorSystemError, Problem
from renoscore.system import load_system


def _rejected(source: str | bytes | Path, **kw: object) -> Problem:
    with pytest.raises(IndicatorSystemError) as info:
        read_yaml(source, IndicatorSystemError, "document", **kw)  # type: ignore[arg-type]
    assert len(info.value.problems) >= 1
    return info.value.problems[0]


def test_lines_of_keys_and_items() -> None:
    doc = read_yaml("a: 1\nb:\n  - x\n  - {c: 2}\nd:\n  e: f\n", IndicatorSystemError, "doc")
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}], "d": {"e": "f"}}
    assert doc.lines[("a",)] == 1
    assert doc.lines[("b", 0)] == 3
    assert doc.lines[("b", 1, "c")] == 4
    assert doc.lines[("d", "e")] == 6
    # a path that is not in the document falls back to its nearest ancestor
    assert doc.line_of(("d", "missing", 3)) == 5


def test_located_line_of_empty() -> None:
    assert Located(data=None).line_of(("a",)) is None


def test_dotted_paths() -> None:
    assert dotted(("goal", "children", 0, "goalposts")) == "goal.children[0].goalposts"
    assert dotted(()) == ""


def test_duplicate_key_names_both_lines() -> None:
    problem = _rejected("a: 1\nb: 2\na: 3\n")
    assert problem.line == 3
    assert "duplicate key 'a'" in problem.reason
    assert "first on line 1" in problem.reason
    assert problem.fix
    assert "remove or rename" in problem.fix


def test_duplicate_key_nested_reports_every_one() -> None:
    with pytest.raises(IndicatorSystemError) as info:
        read_yaml("x:\n  k: 1\n  k: 2\ny:\n  k: 1\n  k: 2\n", IndicatorSystemError, "doc")
    assert [p.line for p in info.value.problems] == [3, 6]
    assert [p.path for p in info.value.problems] == ["x.k", "y.k"]


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system {}\n",
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system ''\n",
        "!!python/object/new:os.system [x]\n",
        "a: !custom 3\n",
        "a: !!binary aGk=\n",
        "a: !!set {x: null}\n",
    ],
)
def test_non_core_tags_are_rejected(text: str) -> None:
    problem = _rejected(text)
    assert "is not allowed" in problem.reason
    assert problem.line == 1
    assert problem.fix
    assert "remove the tag" in problem.fix


def test_python_tag_in_a_system_file_names_the_line() -> None:
    text = "id: x\nversion: '1'\nname: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(IndicatorSystemError) as info:
        load_system(text)
    (problem,) = info.value.problems
    assert problem.line == 3
    assert "python/object/apply" in problem.reason


def test_alias_bomb_is_rejected_before_expansion() -> None:
    # 40 levels of doubling expand to 2**40 (about 10**12) values: only a count on the node
    # graph, done before building anything, lets this test finish at all.
    lines = ["l0: &l0 [x, x]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 40)]
    problem = _rejected("\n".join(lines) + "\n")
    assert "after expanding aliases" in problem.reason
    assert problem.fix
    assert "alias" in problem.fix


def test_alias_expansion_count_is_exact() -> None:
    # root mapping (1) + key (1) + list (1) + 3 items = 6 values; a second key and an alias
    # to the list add 1 + 4.
    text = "a: &a [1, 2, 3]\nb: *a\n"
    assert read_yaml(text, IndicatorSystemError, "doc", YamlLimits(max_nodes=11)).data == {
        "a": [1, 2, 3],
        "b": [1, 2, 3],
    }
    problem = _rejected(text, limits=YamlLimits(max_nodes=10))
    assert "more than 10 values" in problem.reason


def test_recursive_alias_is_rejected() -> None:
    problem = _rejected("a: &a [1, *a]\n")
    assert "recursive alias" in problem.reason
    assert problem.line == 1


@pytest.mark.parametrize("depth", [201, 5000])
def test_nesting_deeper_than_the_limit_is_rejected(depth: int) -> None:
    # 5000 levels would exhaust Python's recursion limit inside PyYAML's composer.
    problem = _rejected("a: " + "[" * depth + "]" * depth + "\n")
    assert "nesting deeper than 200" in problem.reason
    assert problem.line == 1


def test_nesting_at_the_limit_is_accepted() -> None:
    depth = 199  # the root mapping is level 0, its value level 1, then 199 lists
    doc = read_yaml("a: " + "[" * depth + "]" * depth + "\n", IndicatorSystemError, "doc")
    inner = doc.data["a"]
    for _ in range(depth - 1):
        inner = inner[0]
    assert inner == []


def test_depth_limit_is_configurable() -> None:
    problem = _rejected("a: {b: {c: 1}}\n", limits=YamlLimits(max_depth=2))
    assert "nesting deeper than 2" in problem.reason


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "system.yaml"
    path.write_bytes("id: x\nname: {en: a, zh: 老旧}\n".encode("gb18030"))
    problem = _rejected(path)
    assert problem.file == str(path)
    assert problem.line == 2
    assert problem.fix == "save the file as UTF-8"
    # the same through the public loader, as a str path
    with pytest.raises(IndicatorSystemError, match="not UTF-8"):
        load_system(str(path))


def test_bom_is_accepted_in_files_text_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(path, IndicatorSystemError, "doc").data == {"a": 1}
    assert read_yaml("\ufeffa: 1\n", IndicatorSystemError, "doc").data == {"a": 1}
    assert read_yaml(b"\xef\xbb\xbfa: 1\n", IndicatorSystemError, "doc").data == {"a": 1}


def test_syntax_error_names_the_line() -> None:
    problem = _rejected("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.line == 3
    assert problem.fix == "fix the YAML syntax"


def test_bad_indentation_names_the_line() -> None:
    problem = _rejected("a:\n  b: 1\n c: 2\n")
    assert problem.line == 3


def test_two_documents_are_rejected() -> None:
    problem = _rejected("a: 1\n---\nb: 2\n")
    assert "single document" in problem.reason


def test_merge_keys_and_complex_keys_are_rejected() -> None:
    assert "merge keys" in _rejected("base: &b {x: 1}\nc:\n  <<: *b\n").reason
    assert "plain value" in _rejected("? [a, b]\n: 1\n").reason
    assert "must not be empty" in _rejected("~: 1\n").reason


def test_explicit_core_tag_with_bad_value() -> None:
    problem = _rejected("a: 1\nb: !!int abc\n")
    assert problem.line == 2
    assert "cannot read the value" in problem.reason


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        # Found by the fuzz campaign: PyYAML's constructors index an empty value's text.
        ("!!int #on: 0~", 1, "an empty value tagged !!int"),
        ("a: 1\nb: !!float\n", 2, "an empty value tagged !!float"),
        ("a: 1\nb: !!bool\n", 2, "an empty value tagged !!bool"),
        ("b: !!bool maybe\n", 1, "cannot read the value: 'maybe'"),
    ],
)
def test_explicit_core_tag_with_empty_or_unknown_value(text: str, line: int, reason: str) -> None:
    problem = _rejected(text)
    assert problem.line == line
    assert problem.reason == reason
    assert problem.fix


def test_boolean_looking_keys_and_dates_stay_as_written() -> None:
    doc = read_yaml("no: 1\non: 2\nversion: 2024-01-01\n", IndicatorSystemError, "doc")
    assert doc.data == {"no": 1, "on": 2, "version": "2024-01-01"}


def test_empty_document_is_none() -> None:
    assert read_yaml("# only a comment\n", IndicatorSystemError, "doc").data is None


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n")
    assert "exceeds the limit of 50" in _rejected(path, limits=YamlLimits(max_bytes=50)).reason
    assert (
        "exceeds the limit" in _rejected("a: " + "x" * 100, limits=YamlLimits(max_bytes=50)).reason
    )


def test_directory_and_wrong_type_are_errors(tmp_path: Path) -> None:
    assert _rejected(tmp_path).file == str(tmp_path)
    with pytest.raises(IndicatorSystemError, match="must be a path or YAML text"):
        read_text(42, IndicatorSystemError, "document")  # type: ignore[arg-type]


def test_one_line_text_that_is_not_a_file_is_yaml() -> None:
    assert read_text("a: 1", IndicatorSystemError, "doc") == ("a: 1", None)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab:-[]{},&*!|>'\"#?~ \n\t1.%@`", max_size=60))
def test_arbitrary_text_gives_a_located_error_or_data(text: str) -> None:
    error: IndicatorSystemError | None = None
    try:
        read_yaml(text, IndicatorSystemError, "document")
    except IndicatorSystemError as exc:  # anything else fails the test
        error = exc
    assert error is None or error.problems
