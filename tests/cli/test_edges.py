"""The edges of the command line: outputs, failures as one line and an exit code, never a
traceback, and no file lost (exit codes: 0 ok, 1 invalid input, 2 usage, 3 the machine could
not do it, 141 the reader went away)."""

from __future__ import annotations

import importlib.util
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import renoscore as rs
from renoscore.cli import main
from tests._extras import needs

SRC = str(Path(rs.__file__).resolve().parents[1])


def run_cli(
    *args: str, cwd: Path, limit_bytes: int | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``renoscore ARGS`` in a fresh interpreter (optionally with a file-size limit)."""

    def limited() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert limit_bytes is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "renoscore.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        preexec_fn=limited if limit_bytes else None,
        timeout=300,
    )


def one_error_line(err: str) -> str:
    """The one line of stderr, which is an error and no traceback."""
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def data_csv(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(rs.example_path().read_bytes())
    return path


# ----------------------------------------------------------------------------- outputs
def test_output_over_the_data_is_refused_before_any_work(
    data_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = data_csv.read_bytes()
    argv = ["score", "old_community_renovation", str(data_csv), "--missing", "renormalize"]
    for extra in ([], ["--force"]):
        assert main([*argv, "-o", str(data_csv), *extra]) == 2
        out, err = capsys.readouterr()
        assert out == ""  # refused before the scores were computed or printed
        assert one_error_line(err) == (
            f"usage error: cannot write {data_csv}: it is the DATA input of this run, which "
            "would be lost -> write the output to another path"
        )
    assert data_csv.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["score", "--example"],
        ["weights", "--example"],
        ["uncertainty", "--example", "-n", "5", "--sobol", "0"],
        ["survey", "--example"],
        ["report", "--example", "--no-charts", "--scorecards", "0"],
        ["audit", "--example"],
        ["notice", "LY", "--example", "--phase", "t1"],
        ["template", "old_community_renovation"],
    ],
)
def test_every_writer_refuses_a_missing_folder_up_front(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix = {"weights": ".yaml", "report": ".html", "notice": ".html"}.get(command[0], ".csv")
    target = tmp_path / "missing_dir" / f"x{suffix}"
    assert main([*command, "-o", str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert one_error_line(err) == (
        f"usage error: cannot write {target}: the folder {target.parent} does not exist "
        "-> create it first, or choose another path"
    )


#: Cases that write Excel run where openpyxl is installed (CI runs the suite without it too).
EXCEL = pytest.mark.skipif(
    importlib.util.find_spec("openpyxl") is None,
    reason="needs openpyxl (pip install 'renoscore[pandas]')",
)


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        pytest.param(["score", "--example"], ".xlsx", marks=EXCEL),
        (["weights", "--example", "--method", "equal"], ".json"),
        (["uncertainty", "--example", "-n", "5", "--sobol", "0"], ".json"),
        (["survey", "--example"], ".json"),
        (["report", "--example", "--no-charts", "--scorecards", "0"], ".md"),
        (["audit", "--example"], ".json"),
        (["notice", "LY", "--example", "--phase", "t1"], ".html"),
        pytest.param(
            ["template", "old_community_renovation", "--lang", "zh"], ".xlsx", marks=EXCEL
        ),
        (["template", "old_community_renovation"], ".csv"),
        # Found by the final fuzz campaign: compare's -o replaced a file without --force.
        (["compare", "--example", "--weights", "entropy"], ".csv"),
        (["plan", "--example", "--budget", "3000万", "--top", "1"], ".json"),
        (["ledger", "export", "--example"], ".csv"),
    ],
)
def test_an_existing_output_needs_force(
    command: list[str], suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"out{suffix}"
    target.write_text("keep me", encoding="utf-8")
    assert main([*command, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert one_error_line(err).endswith(
        ": the file exists -> pass --force to replace it, or choose another path"
    )
    assert target.read_bytes() == b"keep me"
    assert main([*command, "-o", str(target), "--force"]) == 0
    assert target.read_bytes() != b"keep me"
    capsys.readouterr()


def test_an_unknown_suffix_is_refused_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--example", "-o", "scores.txt"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert one_error_line(err) == (
        "usage error: cannot write scores.txt: cannot write a .txt file here "
        "-> use one of .csv, .json, .parquet, .xlsx"
    )


def test_survey_merge_never_writes_over_its_community_table(
    data_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = data_csv.read_bytes()
    argv = ["survey", "--example", "--merge", str(data_csv), "-o", str(data_csv), "--force"]
    assert main(argv) == 2
    assert "it is the --merge input of this run" in one_error_line(capsys.readouterr().err)
    assert data_csv.read_bytes() == before


# ----------------------------------------------------------------------------- --problems
@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    """The example table with a word where a number goes in every row: a problem a row."""
    lines = rs.example_path().read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    k = header.index("f_waste_point_max_dist_m")
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        row[k] = "far"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "score"])
def test_the_problems_file_is_checked_before_any_work_like_an_output(
    command: str, bad_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = bad_csv.read_bytes()
    argv = [command, "old_community_renovation", str(bad_csv)]
    # Never over an input, --force or not; never over the -o output of the same run.
    for extra in ([], ["--force"]):
        assert main([*argv, "--problems", str(bad_csv), *extra]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert one_error_line(err) == (
            f"usage error: cannot write {bad_csv}: it is the DATA input of this run, which "
            "would be lost -> write the output to another path"
        )
    assert bad_csv.read_bytes() == before
    if command == "score":
        same = str(tmp_path / "out.csv")
        assert main([*argv, "-o", same, "--problems", same]) == 2
        assert "it is the -o output of this run" in one_error_line(capsys.readouterr().err)
    # A missing folder, an unknown suffix.
    missing = tmp_path / "missing_dir" / "p.xlsx"
    assert main([*argv, "--problems", str(missing)]) == 2
    assert "does not exist" in one_error_line(capsys.readouterr().err)
    assert main([*argv, "--problems", str(tmp_path / "p.txt")]) == 2
    assert one_error_line(capsys.readouterr().err).endswith("-> use one of .csv, .xlsx")
    # An existing file needs --force; with it, the file is replaced by every problem.
    problems = tmp_path / "p.csv"
    problems.write_text("keep me", encoding="utf-8")
    assert main([*argv, "--problems", str(problems)]) == 2
    assert one_error_line(capsys.readouterr().err).endswith(
        ": the file exists -> pass --force to replace it, or choose another path"
    )
    assert problems.read_text(encoding="utf-8") == "keep me"
    assert main([*argv, "--problems", str(problems), "--force"]) == 1
    n = len(bad_csv.read_text(encoding="utf-8").splitlines()) - 1
    assert f"wrote {n} problems to {problems}" in capsys.readouterr().err
    assert len(problems.read_text(encoding="utf-8").splitlines()) == n + 1


def test_a_usage_error_writes_no_problems_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = tmp_path / "p.csv"
    assert main(["validate", "--problems", str(problems), "--header-row", "0"]) == 2
    capsys.readouterr()
    assert not problems.exists()  # "no problems" would be a lie: nothing was checked


def test_a_problems_file_that_cannot_be_written_is_one_more_line_and_status_3(
    bad_csv: Path, tmp_path: Path
) -> None:
    argv = ["validate", "old_community_renovation", "bad.csv", "--problems", "p.csv", "--force"]
    (tmp_path / "p.csv").write_text("kept", encoding="utf-8")
    failed = run_cli(*argv, cwd=tmp_path, limit_bytes=1000)
    assert failed.returncode == 3
    assert "Traceback" not in failed.stderr
    assert failed.stderr.splitlines()[-1] == (
        "error: cannot write p.csv: the file would be larger than this system allows; the "
        "file that was there is unchanged -> write a smaller output"
    )
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "p.csv"]


def test_a_template_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    needs("openpyxl")
    argv = ["template", "old_community_renovation", "-o", "t.xlsx", "--force"]
    done = run_cli(*argv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    good = (tmp_path / "t.xlsx").read_bytes()
    failed = run_cli(*argv, cwd=tmp_path, limit_bytes=len(good) // 2)
    assert failed.returncode == 3
    assert one_error_line(failed.stderr).startswith("error: cannot write t.xlsx: the file would")
    assert (tmp_path / "t.xlsx").read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_a_full_disk_keeps_the_previous_report(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    args = ["report", "--example", "--no-charts", "--scorecards", "0", "-o", "r.html", "--force"]
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    good = report.read_bytes()
    assert len(good) > 20_000
    # A file-size limit below the report's size makes the write fail as a full disk would.
    failed = run_cli(*args, cwd=tmp_path, limit_bytes=len(good) // 2)
    assert failed.returncode == 3
    assert one_error_line(failed.stderr) == (
        "error: cannot write r.html: the file would be larger than this system allows; the "
        "file that was there is unchanged -> write a smaller output"
    )
    assert report.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


# ----------------------------------------------------------------------------- pipes
@pytest.mark.parametrize(
    "command",
    [
        ["compare", "--example", "--phases", "t0", "t1"],
        ["score", "--example"],
        ["schema"],
    ],
)
def test_a_closed_pipe_ends_quietly_with_141(command: list[str], tmp_path: Path) -> None:
    # The reader is gone before the first line is written, as with "renoscore ... | head"
    # once head has its lines.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "renoscore.cli", *command],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": SRC},
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == ""


def test_head_sees_the_first_lines_and_no_error(tmp_path: Path) -> None:
    done = subprocess.run(
        f"{sys.executable} -m renoscore.cli compare --example --phases t0 t1 | head -1",
        shell=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": SRC},
        capture_output=True,
        text=True,
        executable="/bin/bash",
        timeout=300,
    )
    assert done.stdout.startswith("community")
    # The closed pipe is silent: no error line and no traceback (the example's own coverage
    # warning about ZY05 at t0 may stand; it is said before the table).
    assert [line for line in done.stderr.splitlines() if not line.startswith("warning: ")] == []


# ----------------------------------------------------------------------------- one line each
@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["score", "--example", "--top", "-3"],
            "usage error: renoscore score: argument --top: '-3' is not a whole number of at "
            "least 1 (see renoscore score --help)",
        ),
        (
            ["report", "--example"],
            "usage error: renoscore report: the following arguments are required: -o/--output "
            "(see renoscore report --help)",
        ),
        (
            ["report", "--example", "--scorecards", "-1", "-o", "r.html"],
            "usage error: renoscore report: argument --scorecards: '-1' is not a whole number "
            "of at least 0 (see renoscore report --help)",
        ),
    ],
)
def test_a_wrong_command_line_is_one_line(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert one_error_line(capsys.readouterr().err) == line


def test_a_phase_that_is_not_there_is_not_compared_silently(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["compare", "--example", "--phases", "t0", "t9"]) == 1
    err = capsys.readouterr().err
    assert "error: a phase to compare is not in the result" in err
    assert "no rows of phase 't9' to compare (after)" in err


def test_a_folder_or_a_device_as_input_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, summary, reason in (
        (["score", "old_community_renovation", str(tmp_path)], "not a data file", "a folder"),
        (["validate", str(tmp_path)], "indicator system is not a file", "a folder"),
        (["score", "old_community_renovation", "/dev/null"], "not a data file", "not a regular"),
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert f"error: {summary}" in err
        assert reason in err


# ----------------------------------------------------------------------------- what is left
class _Failing:
    """A sub-command that fails the way the machine can."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def add_parser(self, subparsers: Any) -> None:
        subparsers.add_parser("fail")

    def run(self, args: Any) -> int:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        (KeyboardInterrupt(), 130, "interrupted"),
        (
            MemoryError(),
            3,
            "error: out of memory -> score fewer rows at a time, or ask for fewer draws (-n)",
        ),
        (OSError(5, "Input/output error", "x.csv"), 3, "error: x.csv Input/output error"),
    ],
)
def test_the_machine_failing_is_one_line_and_a_status(
    exc: BaseException, code: int, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from renoscore.cli._common import run_command_line

    assert run_command_line({"fail": _Failing(exc)}, ["fail"]) == code
    assert one_error_line(capsys.readouterr().err) == line


def test_a_markdown_report_keeps_its_charts_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    charts = tmp_path / "r_files"
    charts.mkdir()
    (charts / "old.svg").write_text("<svg/>", encoding="utf-8")
    argv = ["report", "--example", "--scorecards", "0", "-o", str(tmp_path / "r.md")]
    assert main(argv) == 2
    assert "its chart folder" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "r.md").exists()


def test_a_negative_measurement_error_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Found by the final fuzz campaign: pydantic's ValidationError escaped the command."""
    assert main(["compare", "--example", "--measurement-error", "-1"]) == 2
    err = capsys.readouterr().err
    assert one_error_line(err) == (
        "usage error: --measurement-error: input should be greater than or equal to 0 (got -1.0)"
    )
