"""Text for displays: the survey results' plain-text tables.

The ``table()`` methods of the survey results print through :func:`text_table` (the one
display-width table of :mod:`renoscore._display`, so Chinese names line up); their numbers are
written by :mod:`renoscore._format`.

Examples
--------
>>> print(text_table(["scale", "n"], [["trust", "31"], ["归属感", "7"]]))
scale   n
------  --
trust   31
归属感  7
"""

from __future__ import annotations

from renoscore._display import text_table

__all__ = ["text_table"]
