"""The examples in the docstrings of renoscore.data and its shared table modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "renoscore.data.checks",
        "renoscore.data.load",
        "renoscore.data.model",
        "renoscore._cells",
        "renoscore._labels",
        "renoscore._tables",
    ],
)
def test_doctests(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0
