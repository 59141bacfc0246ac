"""Output files: refused before the work, written whole or not at all, safe in a spreadsheet."""

from __future__ import annotations

import csv
import errno
import importlib.util
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import renoscore as rs
from renoscore import _files
from renoscore._files import (
    check_output,
    from_spreadsheet_text,
    replace_file,
    spreadsheet_text,
    write_text,
)
from renoscore.errors import OutputError
from renoscore.io import read_result, write_data, write_result, write_table
from renoscore.report import write_report


@pytest.fixture(scope="module")
def result() -> rs.EvaluationResult:
    return rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")


#: Excel files where openpyxl is installed (CI also runs the suite without it).
EXCEL_NAMES = ("r.xlsx",) if importlib.util.find_spec("openpyxl") else ()


def _only_problem(exc: pytest.ExceptionInfo[OutputError]) -> rs.Problem:
    assert len(exc.value.problems) == 1
    return exc.value.problems[0]


# ----------------------------------------------------------------------------- refused up front
def test_an_input_of_the_run_is_refused_whatever_overwrite(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("x", encoding="utf-8")
    for overwrite in (False, True):
        with pytest.raises(OutputError) as exc:
            check_output(data, inputs={"the DATA input of this run": data}, overwrite=overwrite)
        problem = _only_problem(exc)
        assert problem.file == str(data)
        assert problem.reason == "it is the DATA input of this run, which would be lost"
    assert data.read_text(encoding="utf-8") == "x"


def test_an_input_reached_by_another_spelling_or_a_link_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    for other in (tmp_path / "sub" / ".." / "data.csv", link):
        with pytest.raises(OutputError, match="which would be lost"):
            check_output(other, inputs=[data], overwrite=True)


def test_missing_folder_a_folder_and_an_unknown_suffix_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as exc:
        check_output(tmp_path / "missing_dir" / "x.xlsx")
    assert _only_problem(exc).reason == f"the folder {tmp_path / 'missing_dir'} does not exist"
    with pytest.raises(OutputError) as exc:
        check_output(tmp_path, overwrite=True)
    assert _only_problem(exc).reason == "it is a folder"
    with pytest.raises(OutputError) as exc:
        check_output(tmp_path / "x.txt", suffixes=(".csv", ".json"))
    assert _only_problem(exc).fix == "use one of .csv, .json"


def test_an_existing_file_needs_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        check_output(path, force_hint="--force")
    assert _only_problem(exc).fix == "pass --force to replace it, or choose another path"
    assert check_output(path, overwrite=True) == path


def test_a_folder_that_cannot_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anywhere, so the permission is faked; the rule is what is tested.
    monkeypatch.setattr(_files.os, "access", lambda path, mode: False)
    with pytest.raises(OutputError) as exc:
        check_output(tmp_path / "x.csv")
    assert _only_problem(exc).reason == f"the folder {tmp_path} cannot be written"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="cannot be written"):
            check_output(folder / "x.csv")
    finally:
        folder.chmod(0o755)


# ----------------------------------------------------------------------------- whole or nothing
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO])
def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(
    tmp_path: Path, code: int
) -> None:
    target = tmp_path / "report.html"
    target.write_text("a good report", encoding="utf-8")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("a trunc", encoding="utf-8")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputError) as exc:
        replace_file(target, half_then_fail)
    problem = _only_problem(exc)
    assert problem.file == str(target)
    assert problem.reason.endswith("; the file that was there is unchanged")
    assert target.read_text(encoding="utf-8") == "a good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_any_exception_while_writing_leaves_no_trace(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        tmp.write_text("x", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_file(tmp_path / "new.csv", fail)
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_file_keeps_its_permissions_and_a_link_its_target(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("a", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "b")
    assert target.read_text(encoding="utf-8") == "b"
    assert target.stat().st_mode & 0o777 == 0o640
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_text(link, "c")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "c"


def test_library_writers_refuse_the_data_they_were_made_from(
    tmp_path: Path, result: rs.EvaluationResult
) -> None:
    source = tmp_path / "communities.csv"
    source.write_bytes(rs.example_path().read_bytes())
    data = rs.load_data(source)
    scored = rs.evaluate(rs.default_system(), data, missing="renormalize")
    before = source.read_bytes()
    for write in (
        lambda: write_data(data, source),
        lambda: write_result(scored, source),
    ):
        with pytest.raises(OutputError, match="which would be lost"):
            write()
    assert source.read_bytes() == before


def test_library_writers_refuse_an_existing_file_without_overwrite(
    tmp_path: Path, result: rs.EvaluationResult
) -> None:
    for name in (*EXCEL_NAMES, "r.json", "r.csv"):
        path = tmp_path / name
        path.write_text("keep", encoding="utf-8")
        with pytest.raises(OutputError, match="the file exists"):
            write_result(result, path, overwrite=False)
        assert path.read_text(encoding="utf-8") == "keep"
        write_result(result, path)  # overwrite=True is the library's default
    assert read_result(tmp_path / "r.json") == result
    weights = tmp_path / "w.yaml"
    result.weights.save(weights)
    with pytest.raises(OutputError, match="the file exists"):
        result.weights.save(weights, overwrite=False)


def test_markdown_report_checks_its_chart_files_before_writing_any(
    tmp_path: Path, result: rs.EvaluationResult
) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.md"
    write_report(result, out, max_scorecards=1)
    charts = sorted((tmp_path / "r_files").iterdir())
    assert charts
    out.unlink()
    stamp = {p: p.read_bytes() for p in charts}
    with pytest.raises(OutputError, match="the file exists"):
        write_report(result, out, max_scorecards=1, overwrite=False)
    assert not out.exists()
    assert {p: p.read_bytes() for p in charts} == stamp


# ----------------------------------------------------------------------------- spreadsheet-safe
HOSTILE = [
    '=HYPERLINK("http://evil.example","XA04")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=2+2",
    "\r=3+3",
    "'=already quoted",
]


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [{"community_id": text, "score": -5.0, "note": "-5"} for text in HOSTILE]
    write_table(rows, path)
    with path.open(encoding="utf-8", newline="") as fh:
        cells = list(csv.reader(fh))[1:]
    for text, (cid, score, note) in zip(HOSTILE, cells, strict=True):
        assert cid == "'" + text
        assert (score, note) == ("-5.0", "-5")  # numbers, and text that is a number, stay


def test_hostile_ids_round_trip_through_csv(tmp_path: Path) -> None:
    system = rs.default_system()
    rows = [
        {"community_id": text, "phase": "t0", **dict.fromkeys(system.indicator_ids, "")}
        for text in HOSTILE
    ]
    data = rs.load_data(rows, system)
    path = write_data(data, tmp_path / "d.csv")
    assert rs.load_data(path, system) == data


@given(st.text(max_size=12))
def test_spreadsheet_text_is_undone_exactly(text: str) -> None:
    written = spreadsheet_text(text)
    assert from_spreadsheet_text(written) == text
    # What a spreadsheet reads as a formula never starts the written cell.
    assert written[:1] not in _files.FORMULA_STARTS or _files._PLAIN_NUMBER.match(written)


# ----------------------------------------------------------------------------- special files
def test_a_stream_is_written_in_place_and_never_replaced(tmp_path: Path) -> None:
    write_table([{"a": 1}], "/dev/null", format="csv")
    assert Path("/dev/null").is_char_device()
    with pytest.raises(OutputError) as exc:
        write_text("/dev/full", "x")
    assert _only_problem(exc).reason == "the disk is full; the file that was there is unchanged"
    assert Path("/dev/full").is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert _files.is_stream(fifo)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(OutputError) as exc:
            check_output(path, overwrite=True)
    assert _only_problem(exc).reason == "it is not a regular file (a device or a socket)"


# ----------------------------------------------------------------------------- one home
#: Calls that write a file; only renoscore._files and the format writers of io/write.py (which
#: run inside replace_file, on its temporary file) may make them.
_WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?['\"]|\.savefig\((?!buf)|"
    r"\.to_(csv|excel|parquet)\(|\b(?:wb|book|workbook)\.save\(|pq\.write_table\(|shutil\.copy"
)


def test_every_writer_goes_through_files() -> None:
    src = Path(rs.__file__).resolve().parent
    allowed = {src / "_files.py", src / "io" / "write.py"}
    found = [
        f"{path.relative_to(src)}:{k}: {line.strip()}"
        for path in sorted(src.rglob("*.py"))
        if path not in allowed
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _WRITES.search(line) and not line.lstrip().startswith((">>>", "...", "#"))
    ]
    assert found == [], "write through renoscore._files (check_output, replace_file, write_text)"


def test_the_template_and_problem_writers_keep_the_rules(tmp_path: Path) -> None:
    from renoscore.errors import Problem
    from renoscore.io.problems import write_problems
    from renoscore.io.template import write_template

    data = tmp_path / "data.csv"
    data.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        write_problems([Problem("bad", row=1)], data, inputs={"the DATA input": data})
    assert _only_problem(exc).reason == "it is the DATA input, which would be lost"
    with pytest.raises(OutputError) as exc:
        write_template(rs.default_system(), data, overwrite=False)
    assert _only_problem(exc).reason == "the file exists"
    assert data.read_text(encoding="utf-8") == "keep me"
    # Hostile text in a problem is neutralised in the CSV, and the empty list writes a header.
    out = write_problems([Problem("bad", row=1, value='=HYPERLINK("x")')], tmp_path / "p.csv")
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8")
    assert write_problems([], out).read_text(encoding="utf-8").count("\n") == 1
