"""The examples in the docstrings of renoscore.programme run and show what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings

import pytest

import renoscore.programme as package

pytest.importorskip("matplotlib")

MODULES = [package.__name__] + [
    f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
        )
    assert result.failed == 0
