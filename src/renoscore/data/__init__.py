"""Community data validated against an indicator system.

:func:`load_data` reads a table of communities (a CSV file, an Excel or Parquet file, a pandas
DataFrame, a list of records or a mapping of columns) and returns :class:`CommunityData`: the
community ids, their phases, the context columns, an ``(N, M)`` float64 matrix of indicator
values in the system's indicator order, and a status matrix telling every cell apart:

===================  =====  ===============================================================
status               code   written in a file as
===================  =====  ===============================================================
``OK``               0      a number
``MISSING``          1      an empty cell (or NaN in a numeric array)
``NOT_APPLICABLE``   2      one of the tokens ``n/a``, ``N/A``, ``NA``, ``not applicable``,
                            ``not_applicable``, ``不适用``; also an empty cell of an indicator
                            that the system does not measure in the row's phase
===================  =====  ===============================================================

Validation collects *every* problem into one :class:`~renoscore.errors.DataValidationError`
whose ``problems`` give the row, community id, column, value and reason. Nothing is dropped or
altered silently: a community is either loaded exactly as written or the load fails.

Accepted numbers: anything Python's ``float`` reads (full-width digits such as ``１２３`` are
read as the same digits), with surrounding spaces; full-width forms of the point, the signs and
the exponent (``１．５``, ``－５``, ``＋５``, ``５ｅ２``, as a Chinese input method types them) and the
minus sign U+2212 are read as their ASCII forms. Rejected with a reason: text that is not a
number, ``nan``/``inf`` written as text, values that overflow (``1e309``), values beyond
±1e300 (``MAX_MAGNITUDE``: the difference of any two accepted values, and
so every normalisation, stays finite), thousands separators (``1,200``, ``1_000``, ``1 000``
with any kind of space) and decimal commas (``1,5`` or ``1，5``), which are ambiguous. In a
DataFrame, a list of records or a mapping of columns, a number is taken as it is (``True``/``False``
as 1/0; an integer too large for a float is an error), bytes are read as UTF-8 text, and
``None``, NaN and pandas' ``NA`` are empty cells (missing), in an id column too. An id must be
text or a number (a list or a mapping is an error).

Context columns are kept as JSON-ready cells (so that a result can be written and read back):
text, numbers and booleans as they are, empty cells (None, NaN, pandas NA/NaT) as None, dates
and times as ISO text, bytes as UTF-8 text, infinities and any other object as their text.

What offices write is read as they mean it, and anything ambiguous is refused, never guessed:
columns are recognised by id, English or Chinese name or declared alias; the id and phase
columns by common headers (小区名称, 阶段); phases by id or name (改造前); the header below
title rows; unit suffixes of the declared quantity (``348米``, ``1.2公里`` -> 1200, ``71%`` ->
0.71 on a share and 71 on a percent indicator), yes/no words (是/否) and level names; Excel
cells shown as percentages as they show. Rows without any value (blank rows, signatures,
notes) are skipped and listed in one :class:`~renoscore.errors.DataNotice`. A derived
indicator is computed from the raw fields it declares when its own column is absent.

The package is laid out by stage: :mod:`~renoscore.data.load` (the stages of a load),
:mod:`~renoscore.data.columns` (which column is which), :mod:`~renoscore.data.grammar` (what a
cell may say), ``_values`` (cells, raw fields and derived indicators),
``_notices`` (rows skipped and other notices), :mod:`~renoscore.data.checks`
(row keys, values against their ranges) and :mod:`~renoscore.data.model` (the validated
table). Tables are read by the private modules ``renoscore._sources`` (``_csv``, ``_excel``),
cells parsed by ``renoscore._cells`` and row labels kept by ``renoscore._labels``, which
resident surveys and results share.

Examples
--------
>>> import renoscore as rs
>>> data = rs.load_data(rs.example_path("communities.csv"), rs.default_system())
>>> data.n, data.values.shape, data.ids[:3], data.phases[:3]
(50, (50, 72), ('JS01', 'JS02', 'JS03'), ('t0', 't0', 't0'))
>>> int((data.status == rs.CellStatus.NOT_APPLICABLE).sum())
743
"""

from __future__ import annotations

from renoscore._cells import NA_TOKENS, CellStatus
from renoscore._labels import PhaseCodes, RowLabels, label_array, label_codes, label_count
from renoscore._tables import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from renoscore._tables import MAX_PROBLEMS as MAX_PROBLEMS
from renoscore.data.load import load_data
from renoscore.data.model import CommunityData
from renoscore.data.model import data_digest as data_digest

__all__ = [
    "NA_TOKENS",
    "CellStatus",
    "CommunityData",
    "PhaseCodes",
    "RowLabels",
    "label_array",
    "label_codes",
    "label_count",
    "load_data",
]
