"""The examples in the docstrings of the command-line modules run as written."""

from __future__ import annotations

import doctest
import importlib
import warnings

import pytest

MODULES = [
    "renoscore.cli",
    "renoscore.cli._common",
    "renoscore.cli.compare",
    "renoscore.cli.report",
    "renoscore.cli.schema",
    "renoscore.cli.score",
    "renoscore.cli.survey",
    "renoscore.cli.uncertainty",
    "renoscore.cli.validate",
    "renoscore.cli.weights",
    "renoscore._cli_report",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
        )
    assert result.attempted > 0
    assert result.failed == 0
