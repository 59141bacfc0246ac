"""The examples in the docstrings of renoscore.weights (and of the old renoscore.weighting) run."""

from __future__ import annotations

import doctest
import importlib
import warnings

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "renoscore.weights.combine",
        "renoscore.weights.critic",
        "renoscore.weights.derive",
        "renoscore.weights.dispersion",
        "renoscore.weights.entropy",
        "renoscore.weights.model",
        "renoscore.weighting",
    ],
)
def test_doctests(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
        )
    assert result.attempted > 0
    assert result.failed == 0
