"""Former home of ``renoscore survey``, now :mod:`renoscore.cli.survey`; kept for old imports.

Unlike ``renoscore.cli.survey.run``, :func:`run` here prints a usage error and returns 2, as it
did.
"""

from __future__ import annotations

from renoscore.cli._common import exit_2_on_usage_error
from renoscore.cli.survey import add_parser
from renoscore.cli.survey import run as _run

__all__ = ["add_parser", "run"]

run = exit_2_on_usage_error(_run)
