"""The examples in the docstrings of the sensitivity package run and hold."""

from __future__ import annotations

import warnings

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "renoscore.sensitivity.sources",
        "renoscore.sensitivity.draws",
        "renoscore.sensitivity.rank_stats",
        "renoscore.sensitivity.monte_carlo",
        "renoscore.sensitivity.sobol",
        "renoscore.sensitivity.oat",
    ],
)
def test_doctests(name: str) -> None:
    import doctest
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
        )
    assert result.attempted > 5
    assert result.failed == 0
