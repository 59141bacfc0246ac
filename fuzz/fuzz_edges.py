"""Fuzz renoscore's edges: results files and the command line (not run in CI).

The harness, the engines (atheris, or hypothesis where atheris is missing) and the findings
are those of ``fuzz_loaders.py``; this script adds two targets.

Targets
-------
result  bytes -> ``EvaluationResult.from_json`` or ``from_dict``: the raw bytes (seeds: a small
        result's JSON with and without its digest), or the seed result's document mutated with
        hostile values (deleted keys, duplicated rows, NaN, 1e308, 10**400, lists, text...).
        Every input must load or raise a ``ResultError``; a document changed but still
        carrying the original digest must never load; a result that loads must read back
        equal from its own JSON, print its table and give its tables.
cli     bytes -> an argument list for ``renoscore`` (a sub-command, then flags and values from
        the commands' vocabulary and hostile text), run in a scratch folder holding a system,
        a data table, a panel, weights, a results file and an existing output. The run must
        return 0, 1, 2 or 3 without an exception and without printing a traceback, and leave
        every input as it was, and the existing output too unless ``--force`` was given.
        Paths stay inside the scratch folder (no absolute path, no ``..``).

Usage::

    /work/venv-fuzz/bin/python fuzz/fuzz_edges.py result --seconds 600
    python fuzz/fuzz_edges.py cli --seconds 60 --engine hypothesis
    python fuzz/fuzz_edges.py cli --replay WORKDIR/findings/cli-*.bin

The script needs ``PYTHONPATH=src`` (or an installed renoscore).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fuzz_loaders as base  # noqa: E402 - instruments renoscore's imports under atheris

rs = base.rs
InvariantError = base.InvariantError

# --------------------------------------------------------------------------- result
_SYSTEM = base._MINI
_DATA = base._data_for(_SYSTEM, 6, random.Random(7))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", base.RenoscoreWarning)
    _RESULT = rs.evaluate(
        _SYSTEM, _DATA, rs.derive_weights(_SYSTEM, method="equal"), missing="renormalize"
    )
    _WEIGHTS = rs.derive_weights(_SYSTEM, base._MINI_PANEL, _DATA, method="ahp")
_RESULT_DOC = _RESULT.to_dict()


def _canonical(doc: Any) -> str:
    """The document as text in which equal numbers are equal (2 and 2.0 alike) and a missing
    ``context`` is the empty one it defaults to."""
    if isinstance(doc, dict) and "context" not in doc:
        doc = {**doc, "context": {}}
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=repr)
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text, parse_int=float), sort_keys=True, ensure_ascii=False)
    return text


_ORIGINAL = _canonical(_RESULT_DOC)


def result_seeds() -> list[bytes]:
    """The seed result as JSON, compact and indented, with and without its digest."""
    bare = {k: v for k, v in _RESULT_DOC.items() if k != "digest"}
    return [
        json.dumps(_RESULT_DOC, ensure_ascii=False).encode(),
        json.dumps(bare, ensure_ascii=False, indent=1).encode(),
        b'{"format": "renoscore.EvaluationResult/1", "ids": [[[[[[[[]]]]]]]]}',
    ]


def target_result(data: bytes) -> None:
    fdp = base.atheris.FuzzedDataProvider(data) if base.HAVE_ATHERIS else None
    rnd = random.Random(hashlib.sha256(data).digest())
    mode = data[0] % 3 if data else 0
    if mode == 0:
        result = rs.EvaluationResult.from_json(data)
    else:
        doc = base._mutate(_RESULT_DOC, fdp, rnd, 1 + base._int(fdp, rnd, 3))
        if mode == 2 and isinstance(doc, dict):
            doc.pop("digest", None)  # as someone who edits a file by hand and drops the digest
        changed = _canonical(doc) != _ORIGINAL
        kept = isinstance(doc, dict) and doc.get("digest") == _RESULT_DOC["digest"]
        result = rs.EvaluationResult.from_dict(doc)
        if changed and kept:
            raise InvariantError("a changed document with the original digest was read")
    again = rs.EvaluationResult.from_json(result.to_json())
    if not again.equals(result):
        raise InvariantError("a result read back changed in its own JSON round trip")
    result.table()
    rs.io.result_tables(result)


# --------------------------------------------------------------------------- cli
def _cli_commands() -> tuple[str, ...]:
    from renoscore.cli import COMMANDS

    return tuple(COMMANDS)


_SCRATCH = base._TMP / "cli"
_FILES: dict[str, bytes] = {
    "system.yaml": base.MINI_SYSTEM.encode(),
    "data.csv": base.MINI_CSV.encode(),
    "panel.yaml": base.MINI_PANEL.encode(),
    "weights.yaml": _WEIGHTS.to_yaml().encode(),
    "result.json": _RESULT.to_json().encode(),
    "out.csv": b"an existing output\n",
    "bad.yaml": b"- [\n",
}
# Every registered sub-command (a new one is fuzzed as soon as it is registered), and some
# command lines that are no command at all.
_COMMANDS = (*_cli_commands(), "frobnicate", "", "--version")
_WORDS = (
    "--example",
    "-o",
    "--output",
    "--problems",
    "--force",
    "--lang",
    "en",
    "zh",
    "fr",
    "--missing",
    "renormalize",
    "impute_mean",
    "error",
    "--normalization",
    "minmax",
    "--aggregation",
    "geometric",
    "--phase",
    "--phases",
    "t0",
    "t1",
    "t9",
    "--top",
    "0",
    "-1",
    "3",
    "--weights",
    "equal",
    "ahp",
    "entropy",
    "--panel",
    "--method",
    "--data",
    "--sheet",
    "--fix-first",
    "LY",
    "JS02",
    "--encoding",
    "gb18030",
    "latin-9",
    "-n",
    "1",
    "5",
    "1000000000",
    "--seed",
    "--sobol",
    "2",
    "--concentration",
    "--judgements",
    "0.5",
    "--sd",
    "f_a=0.1",
    "f_a",
    "--alpha",
    "--level",
    "facilities",
    "--vary-missing",
    "--oat",
    "--section",
    "flags",
    "--scorecards",
    "--uncertainty",
    "--audit",
    "--select",
    "--merge",
    "--score",
    "--ahp",
    "--min-n",
    "--level",
    "--no-comparison",
    "--help",
    "system.yaml",
    "data.csv",
    "panel.yaml",
    "weights.yaml",
    "result.json",
    "bad.yaml",
    "out.csv",
    "new.csv",
    "new.xlsx",
    "new.json",
    "new.html",
    "new.md",
    "new.yaml",
    "new.parquet",
    "new.txt",
    "missing_dir/x.csv",
    "old_community_renovation",
    "-",
)


_BASES: tuple[list[str], ...] = (
    [],
    ["--example"],
    ["--example"],
    ["system.yaml", "data.csv", "--missing", "renormalize"],
    ["system.yaml", "data.csv"],
    ["system.yaml", "--panel", "panel.yaml"],
    ["--example", "-o", "out.csv"],
    ["system.yaml", "data.csv", "--problems", "out.csv"],
    ["system.yaml", "data.csv", "--weights", "weights.yaml", "-o"],
)


def _token(fdp: Any, rnd: random.Random) -> str:
    if base._int(fdp, rnd, 5) == 0:
        text = str(base._pick(fdp, rnd))[:40]
    else:
        text = _WORDS[base._int(fdp, rnd, len(_WORDS) - 1)]
    if text.startswith("/") or ".." in text or "\x00" in text:
        return "x"  # never a path outside the scratch folder
    return text


_INTS = ("0", "1", "3", "-2", "1000000000", "x", "")
_FLOATS = ("0", "0.5", "1", "-1", "nan", "inf", "1e309", "x")


def _options() -> dict[str, list[tuple[str, Any, Any, Any, bool]]]:
    """Every sub-command's options, read from the parser itself: (flag, nargs, choices, type,
    takes no value)."""
    import argparse

    from renoscore.cli import COMMANDS
    from renoscore.cli._common import build_parser

    parser = build_parser(COMMANDS.values())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out: dict[str, list[tuple[str, Any, Any, Any, bool]]] = {}
    for name, p in sub.choices.items():
        out[name] = [
            (a.option_strings[-1], a.nargs, a.choices, a.type, a.nargs == 0)
            for a in p._actions
            if a.option_strings and a.option_strings[-1] != "--help"
        ]
    return out


_OPTIONS = _options()


def _values(fdp: Any, rnd: random.Random, nargs: Any, choices: Any, kind: Any) -> list[str]:
    count = (
        nargs
        if isinstance(nargs, int)
        else (1 if nargs in (None, "?") else 1 + base._int(fdp, rnd, 2))
    )
    out = []
    for _ in range(count):
        if base._int(fdp, rnd, 7) == 0:
            out.append(_token(fdp, rnd))
        elif kind is None and not choices:
            out.append(_VALUES[base._int(fdp, rnd, len(_VALUES) - 1)])
        elif choices:
            options = list(choices)
            out.append(str(options[base._int(fdp, rnd, len(options) - 1)]))
        elif kind is int:
            out.append(_INTS[base._int(fdp, rnd, len(_INTS) - 1)])
        elif kind is float:
            out.append(_FLOATS[base._int(fdp, rnd, len(_FLOATS) - 1)])
        else:
            out.append(_token(fdp, rnd))
    return out


_VALUES = tuple(w for w in _WORDS if not w.startswith("-") or w == "-")


def _argv(data: bytes) -> list[str]:
    fdp = base.atheris.FuzzedDataProvider(data) if base.HAVE_ATHERIS else None
    rnd = random.Random(hashlib.sha256(data).digest())
    command = _COMMANDS[base._int(fdp, rnd, len(_COMMANDS) - 1)]
    argv = [command] if command else []
    # Most runs start from inputs that load, so that the options after them are reached.
    argv += _BASES[base._int(fdp, rnd, len(_BASES) - 1)]
    options = _OPTIONS.get(command, [])
    for _ in range(base._int(fdp, rnd, 6)):
        if not options or base._int(fdp, rnd, 5) == 0:
            argv.append(_token(fdp, rnd))  # anything at all
            continue
        flag, nargs, choices, kind, bare = options[base._int(fdp, rnd, len(options) - 1)]
        argv.append(flag)
        if not bare:
            argv += _values(fdp, rnd, nargs, choices, kind)
    # Bounded work: no charts and a few draws at most, whatever else was drawn.
    if command == "report":
        argv += ["--no-charts", "--scorecards", "2"]
        if base._int(fdp, rnd, 3) and not {"-o", "--output"} & set(argv):
            argv += ["-o", "new.html"]
    if command == "uncertainty":
        argv += ["--no-progress", "--sobol", "0"] if "--sobol" not in argv else ["--no-progress"]
    return argv


def _inputs_of(argv: list[str]) -> list[str]:
    """The files the command line reads (as the parser reads it), for the invariants."""
    from renoscore.cli import COMMANDS
    from renoscore.cli._common import build_parser, run_inputs

    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            args, _ = build_parser(COMMANDS.values()).parse_known_args(argv)
        except SystemExit:
            return []
    return list(run_inputs(args).values())


def _snapshot() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in _SCRATCH.iterdir() if p.is_file()}


def _reset() -> None:
    if _SCRATCH.exists():
        shutil.rmtree(_SCRATCH)
    _SCRATCH.mkdir(parents=True)
    for name, content in _FILES.items():
        (_SCRATCH / name).write_bytes(content)


def target_cli(data: bytes) -> None:
    from renoscore.cli import main

    argv = _argv(data)
    _reset()
    before = _snapshot()
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            import os

            os.chdir(_SCRATCH)
            try:
                code = main(argv)
            finally:
                os.chdir(here)
    except SystemExit as exc:  # --help and --version end argparse with an exit code
        code = int(exc.code or 0)
    after = _snapshot()
    if code not in (0, 1, 2, 3):
        raise InvariantError(f"renoscore {argv} returned {code}")
    if "Traceback (most recent call last)" in err.getvalue():
        raise InvariantError(f"renoscore {argv} printed a traceback:\n{err.getvalue()[-2000:]}")
    outputs = {
        argv[k + 1] for k, a in enumerate(argv[:-1]) if a in ("-o", "--output", "--problems")
    }
    named = set(_inputs_of(argv))
    for name, content in before.items():
        if after.get(name) == content:
            continue
        if name in named:
            raise InvariantError(f"renoscore {argv} changed its input {name}")
        if name not in outputs:
            raise InvariantError(f"renoscore {argv} changed {name}, which it was not asked to")
        if "--force" not in argv:
            raise InvariantError(f"renoscore {argv} replaced {name} without --force")
    if code != 0 and err.getvalue().strip() == "" and "--help" not in argv and argv:
        raise InvariantError(f"renoscore {argv} failed with {code} and said nothing")


def cli_seeds() -> list[bytes]:
    return [bytes([k]) * 32 for k in range(0, 256, 17)]


# --------------------------------------------------------------------------- registration
base.TARGETS["result"] = target_result
base.TARGETS["cli"] = target_cli
base.EXTRA_SEEDS["result"] = result_seeds
base.EXTRA_SEEDS["cli"] = cli_seeds

if __name__ == "__main__":
    sys.exit(base.main())
