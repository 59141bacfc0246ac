"""The examples in the docstrings of the system package and the shared validation helpers run."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "renoscore.system",
        "renoscore.system.enums",
        "renoscore.system.model",
        "renoscore.system.rules",
        "renoscore.system.load",
        "renoscore._validation",
        "renoscore.errors",
        "renoscore.examples",
    ],
)
def test_doctests(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0
