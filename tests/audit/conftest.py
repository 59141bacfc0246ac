"""Shared fixtures of the audit tests: COINr's ASEM example data (a subset of its columns)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

DATA = Path(__file__).parent / "data" / "asem.json"


@pytest.fixture(scope="session")
def asem() -> dict[str, Any]:
    """Column name -> float array (NaN where COINr's data have NA), and the unit codes."""
    doc = json.loads(DATA.read_text(encoding="utf-8"))["columns"]
    out: dict[str, Any] = {"uCode": doc.pop("uCode")}
    for name, values in doc.items():
        out[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
    return out
