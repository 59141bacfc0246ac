"""The C-parsed CSV reads exactly as Python's csv module does: the same data, or the same
problems at the same lines; and a unit suffix converts exactly."""

from __future__ import annotations

import csv
import io
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import renoscore as rs
import renoscore._csv as reader
from renoscore.data.grammar import cell_reader
from renoscore.system import Unit
from tests.data.office import CLEAN_HEADER, OFFICE_YAML

pytest.importorskip("pyarrow")

SYSTEM = rs.load_system(OFFICE_YAML)
#: Cells of every kind the readers must agree on.
CELLS = [
    "",
    "0.5",
    "1",
    "12",
    "1e2",
    "+5",
    "-0",
    " 12 ",
    "１２",
    "n/a",
    "不适用",
    "inf",
    "nan",
    "1e309",
    "0x10",
    "1,200",
    "abc",
    "71%",
    "348米",
    "是",
    "a,b",
    'say "hi"',
    "two\nlines",
]


def _outcome(path: Path, python: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        if python:
            patch.setattr(reader, "_has_pyarrow", lambda: False)
        else:
            patch.setattr(reader, "_ARROW_MIN_BYTES", 0)  # the C parser however small the file
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return rs.load_data(path, SYSTEM)
            except rs.DataValidationError as exc:
                return exc.problems


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(
            st.sampled_from(CELLS), min_size=len(CLEAN_HEADER) - 3, max_size=len(CLEAN_HEADER) - 3
        ),
        min_size=1,
        max_size=5,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    blank=st.booleans(),
)
def test_the_c_parser_and_python_agree(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    delimiter: str,
    blank: bool,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(CLEAN_HEADER)
    for k, row in enumerate(rows):
        writer.writerow([f"C{k}", "t0", "x", *row])
        if blank and k == 0:
            out.write("\n")
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    fast = _outcome(path, False, monkeypatch)
    slow = _outcome(path, True, monkeypatch)
    assert fast == slow


@settings(max_examples=80, deadline=None)
@given(
    number=st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=4),
    suffix=st.sampled_from([("米", 1), ("公里", 1000), ("km", 1000), ("m", 1)]),
)
def test_a_unit_suffix_converts_in_decimal_arithmetic(
    number: Decimal, suffix: tuple[str, int]
) -> None:
    text = f"{number}{suffix[0]}"
    assert cell_reader(Unit(code="m"))(text) == float(number * suffix[1])


@settings(max_examples=60, deadline=None)
@given(number=st.decimals(min_value=0, max_value=100, allow_nan=False, places=3))
def test_a_percentage_is_a_hundredth_of_a_share_and_itself_on_a_percent(number: Decimal) -> None:
    assert cell_reader(Unit(code="share"))(f"{number}%") == float(number / 100)
    assert cell_reader(Unit(code="percent"))(f"{number}%") == float(number)
