"""MkDocs hooks: what the docs show is made by renoscore itself at build time.

* ``examples/report-en.html`` and ``examples/report-zh.html``: the example report, both
  languages, written by :func:`renoscore.report.write_report` into the site.
* ``assets/report-zh.png``: a screenshot of the Chinese report by headless Chromium (Debian's
  ``chromium`` package), the check that the page renders; without Chromium a placeholder image
  says so and the build goes on (logged at INFO, so ``mkdocs build --strict`` still passes).
* ``reference/cli.md``: the ``<!-- renoscore-cli-help -->`` marker is replaced by the ``--help``
  text of every ``renoscore`` command, so the reference never drifts from the parser.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.renoscore")

_GENERATED = ("examples/report-en.html", "examples/report-zh.html", "assets/report-zh.png")
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
)


def _example_result() -> Any:
    import renoscore as rs

    system = rs.default_system()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = rs.derive_weights(system, rs.example_panel(), method="ahp")
        return rs.evaluate(system, rs.example_data(), weights, missing="renormalize")


def _screenshot(page: Path, png: Path, work: Path) -> bool:
    binary = next(
        (b for b in (shutil.which("chromium"), shutil.which("chromium-browser")) if b), None
    )
    if binary is None:
        return False
    cmd = [
        binary,
        *_CHROMIUM_FLAGS,
        f"--user-data-dir={work / 'chromium-profile'}",
        "--window-size=1100,1500",
        f"--screenshot={png}",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode == 0 and png.is_file() and png.stat().st_size > 10_000


def _placeholder(png: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 1.2))
    fig.text(
        0.5,
        0.5,
        "Screenshot not made: Chromium is not installed (apt-get install chromium).",
        ha="center",
        va="center",
    )
    fig.savefig(png, dpi=100)


def on_files(files: Files, config: Any) -> Files:
    """Write the example reports and the screenshot, and add them to the site."""
    from renoscore.report import write_report

    work = Path(tempfile.mkdtemp(prefix="renoscore-docs-"))
    result = _example_result()
    paths = {}
    for lang in ("en", "zh"):
        path = work / f"report-{lang}.html"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write_report(result, path, lang=lang, max_scorecards=None)
        paths[lang] = path
    png = work / "report-zh.png"
    if _screenshot(paths["zh"], png, work):
        log.info("renoscore docs: screenshot of the Chinese report taken with headless Chromium")
    else:
        log.info("renoscore docs: no Chromium; a placeholder stands in for the screenshot")
        _placeholder(png)
    sources = {
        "examples/report-en.html": paths["en"],
        "examples/report-zh.html": paths["zh"],
        "assets/report-zh.png": png,
    }
    for uri in _GENERATED:
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, abs_src_path=str(sources[uri])))
    return files


def _cli_help() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix it for the docs
    from renoscore.cli import COMMANDS
    from renoscore.cli._common import build_parser

    parser = build_parser(COMMANDS.values())
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parts = ["```text", parser.format_help().rstrip(), "```"]
    for name, sub in subs.choices.items():
        parts += ["", f"### `renoscore {name}`", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Put the live ``--help`` of every command into the CLI reference."""
    marker = "<!-- renoscore-cli-help -->"
    if marker in markdown:
        return markdown.replace(marker, _cli_help())
    return markdown
