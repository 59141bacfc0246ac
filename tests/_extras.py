"""Optional dependencies in the tests: import one, or skip naming the extra that installs it."""

from __future__ import annotations

from types import ModuleType

import pytest

from renoscore._optional import EXTRA_OF


def needs(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``"pyarrow.parquet"``) or skip: "needs pyarrow (... renoscore[pandas])"."""
    top = module.partition(".")[0]
    extra = EXTRA_OF.get(top, "all")
    return pytest.importorskip(module, reason=f"needs {top} (pip install 'renoscore[{extra}]')")
