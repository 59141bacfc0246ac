"""Former home of ``renoscore report``, now :mod:`renoscore.cli.report`; kept for old imports.

``python -m renoscore._cli_report ARGS`` runs ``renoscore report ARGS``. Unlike
``renoscore.cli.report.run``, :func:`run` here prints a usage error and returns 2, as it did.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from renoscore.cli import main as renoscore_main
from renoscore.cli._common import exit_2_on_usage_error
from renoscore.cli.report import add_parser
from renoscore.cli.report import run as _run

__all__ = ["add_parser", "main", "run"]

run = exit_2_on_usage_error(_run)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``renoscore report`` with these arguments; return the exit code.

    Examples
    --------
    >>> main(["--lang", "fr", "-o", "r.html"])
    2
    """
    return renoscore_main(["report", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
