"""Writing results and data to files: CSV, Excel, Parquet and JSON.

Reading community data is :func:`renoscore.load_data` (CSV in UTF-8 with or without BOM or
GB18030, Excel, Parquet, DataFrames and records); :func:`read_data` adds JSON files (a list of
records or a mapping of columns) and :func:`read_result` reads back a result written as JSON.

A result is written as tables (:func:`result_tables`):

==============  ===========================================================================
``scores``      one row per community and phase: score, rank, grade, coverage, context,
                every group's and indicator's score (0-100)
``ranks``       rank and grade of every group (goal, dimensions, ...) within the phase
``fix_first``   each scored row's problem ledger (问题台账): the first ``fix_first_top``
                indicators to fix, with value, target, obstacle degree and must-fix flag
``weights``     every node's local and global weight, method and AHP consistency ratio
``provenance``  every choice behind the result, one ``key, value`` row each
``comparison``  (when asked for) before, after and change between two phases
==============  ===========================================================================

For offices, :func:`write_template` writes a fill-in template of a system (an Excel workbook
with validation and instructions, or a CSV) that reads back with no edit, and
:func:`write_problems` writes the problems of an input as a table to correct from (row,
community, column, value, problem, fix; Chinese headers with ``lang="zh"``).

An Excel file gets one sheet per table; CSV, Parquet and JSON files get one table (``scores``
unless ``table=`` says otherwise), except that a ``.json`` result with no ``table`` is the whole
result (:meth:`~renoscore.EvaluationResult.to_json`), which :func:`read_result` reads back
exactly.

Examples
--------
>>> import tempfile, pathlib
>>> import renoscore as rs
>>> from renoscore.io import write_result, read_result
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
>>> _ = write_result(result, path)
>>> read_result(path) == result
True
"""

from __future__ import annotations

from renoscore.io.problems import problem_records, write_problems
from renoscore.io.read import read_data, read_result
from renoscore.io.tables import TABLES, fix_first_table, result_tables
from renoscore.io.template import template_columns, write_template
from renoscore.io.write import ENCODINGS, FORMATS, write_data, write_result, write_table

__all__ = [
    "ENCODINGS",
    "FORMATS",
    "TABLES",
    "fix_first_table",
    "problem_records",
    "read_data",
    "read_result",
    "result_tables",
    "template_columns",
    "write_data",
    "write_problems",
    "write_result",
    "write_table",
    "write_template",
]
