"""The examples in the docstrings of the scoring path run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import warnings

import pytest

MODULES = [
    "renoscore._kernels",
    "renoscore._options",
    "renoscore.normalize.fixed_goalposts",
    "renoscore.normalize.relative",
    "renoscore.aggregate._checks",
    "renoscore.aggregate._means",
    "renoscore.aggregate.closeness",
    "renoscore.aggregate.fuzzy",
    "renoscore.aggregate.goalpost_pass",
    "renoscore.aggregate.grey",
    "renoscore.aggregate.tree",
    "renoscore.aggregate.weighted",
    "renoscore.hierarchy",
    "renoscore.ranking",
    "renoscore.pipeline.imputation",
    "renoscore.pipeline.scoring",
    "renoscore.pipeline.comparison",
    "renoscore.result.explain",
    "renoscore.result.model",
    "renoscore.result.phase_ranks",
    "renoscore.result.provenance",
    "renoscore.result._numbers",
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
