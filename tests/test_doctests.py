"""The examples in the docstrings of every module of renoscore run and show what they say.

One runner for the whole package (``pytest`` is the only test command): each module's
examples run in a fresh namespace; a module whose examples need an optional extra that is not
installed is skipped with the extra named, never failed. Every public module (no part of its
dotted name starts with "_") shows at least one example.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings
from types import ModuleType

import pytest

import renoscore
from renoscore._optional import EXTRA_OF
from renoscore.errors import MissingDependencyError

MODULES = [
    "renoscore",
    *sorted(m.name for m in pkgutil.walk_packages(renoscore.__path__, prefix="renoscore.")),
]


class _Runner(doctest.DocTestRunner):
    """A runner that remembers the first thing that went wrong (to tell a missing extra)."""

    def __init__(self) -> None:
        super().__init__(optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
        self.first_exception: BaseException | None = None
        self.went_wrong = False
        self.output: list[str] = []

    def report_failure(self, out, test, example, got):  # type: ignore[no-untyped-def]
        self.went_wrong = True
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(self, out, test, example, exc_info):  # type: ignore[no-untyped-def]
        if not self.went_wrong:
            self.first_exception = exc_info[1]
        self.went_wrong = True
        super().report_unexpected_exception(out, test, example, exc_info)


def _missing_extra(exc: BaseException) -> str | None:
    if isinstance(exc, MissingDependencyError):
        return f"{exc.package} (pip install 'renoscore[{exc.extra}]')"
    if isinstance(exc, ModuleNotFoundError) and exc.name in EXTRA_OF:
        return f"{exc.name} (pip install 'renoscore[{EXTRA_OF[exc.name]}]')"
    return None


def _import(name: str) -> ModuleType:
    """The module, or a skip naming the extra that a missing dependency needs."""
    try:
        return importlib.import_module(name)
    except (MissingDependencyError, ModuleNotFoundError) as exc:
        missing = _missing_extra(exc)
        if missing is None:
            raise
        pytest.skip(f"needs {missing}")


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = _import(name)
    failures: list[str] = []
    missing: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for test in doctest.DocTestFinder().find(module, name):
            runner = _Runner()
            if not runner.run(test, out=runner.output.append).failed:
                continue
            # A docstring whose examples first fail for a missing extra cannot show the rest.
            extra = _missing_extra(runner.first_exception) if runner.first_exception else None
            if extra is None:
                failures.append("".join(runner.output))
            else:
                missing.append(extra)
    assert not failures, "".join(failures)
    if missing:
        pytest.skip(f"needs {missing[0]}")


PUBLIC_MODULES = [
    name for name in MODULES if not any(part.startswith("_") for part in name.split("."))
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_public_module_has_an_example(name: str) -> None:
    module = _import(name)
    examples = sum(len(test.examples) for test in doctest.DocTestFinder().find(module, name))
    assert examples > 0, f"{name} has no docstring example"
