"""The examples in the docstrings of the panel package run."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "renoscore.panel",
        "renoscore.panel.judgements",
        "renoscore.panel.model",
        "renoscore.panel.load",
    ],
)
def test_doctests(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0
