"""``renoscore notice``: the one-page notice for residents (公示) of one community.

Scores the data as ``renoscore score`` does, then writes the notice of one community and phase
(:func:`renoscore.report.build_notice`): its score, grade and rank and what changed, what was
renovated, what is still to fix and who is responsible, the resident-survey results, whom to
contact. HTML prints on one A4 page (print to PDF from the browser); without ``-o`` the notice
is printed as Markdown.

Examples
--------
``renoscore notice LY --example --phase t1 -o 公示.html``
``renoscore notice JS03 SYSTEM DATA --phase t1 --contact "文化路街道 0371-..." -o 公示.html``
``renoscore notice LY --example --responsible government=金水区住房和城乡建设局``
"""

from __future__ import annotations

import argparse

from renoscore._vocabulary import CONSOLE
from renoscore.cli import _common
from renoscore.errors import UsageError

__all__ = ["add_parser", "run"]

#: The suffixes ``-o`` writes.
_SUFFIXES = (".html", ".htm", ".md", ".markdown")


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``renoscore notice COMMUNITY [SYSTEM DATA]`` with its inputs and the notice options."""
    p = subparsers.add_parser(
        "notice",
        help="write the one-page notice for residents (公示) of one community",
        description="Write one community's result on one A4 page in plain words (公示).",
    )
    p.add_argument("community", help="the community's id")
    _common.add_configuration(p)
    p.add_argument("--phase", help="the phase of the notice (default: the latest scored one)")
    p.add_argument(
        "--before",
        default="auto",
        help="the phase to compare with (default: the earliest scored one; 'none': no comparison)",
    )
    p.add_argument("--contact", help="whom residents contact (default: the 'contact' column)")
    p.add_argument("--issuer", help="the unit publishing the notice, signed at the bottom")
    p.add_argument("--date", help="the date under the signature (default: today)")
    p.add_argument("--period", help="the publication period, e.g. 2025年3月1日至3月7日")
    p.add_argument(
        "--responsible",
        action="append",
        default=[],
        metavar="SUPPLIER=UNIT",
        help="the unit responsible for a supplier's items (repeatable), e.g. "
        "government=××区住建局; suppliers: government, market, society, residents, utilities",
    )
    p.add_argument("--top", type=_common.count(1), default=5, help="items still to fix listed (5)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language (default zh)")
    p.add_argument("-o", "--output", help="the notice file: .html (prints on A4) or .md")
    _common.add_force(p)


def _responsible(pairs: list[str]) -> dict[str, str]:
    """``SUPPLIER=UNIT`` pairs as a mapping; a pair without ``=`` or an unknown supplier is a
    usage error."""
    from renoscore.system import Supplier

    out: dict[str, str] = {}
    known = [s.value for s in Supplier]
    for pair in pairs:
        supplier, sep, unit = pair.partition("=")
        if not sep or not unit.strip():
            raise UsageError(
                f"--responsible {pair!r}: write SUPPLIER=UNIT, e.g. government=××区住建局"
            )
        if supplier.strip() not in known:
            raise UsageError(f"--responsible {pair!r}: the supplier is one of {', '.join(known)}")
        out[supplier.strip()] = unit.strip()
    return out


def run(args: argparse.Namespace) -> int:
    """Score the data, then write (or print) the notice of one community.

    Raises
    ------
    RenoscoreError
        Invalid system or data, or a community or phase the data does not have (exit 1).
    UsageError
        No SYSTEM and DATA (nor ``--example``), an output it may not write (a suffix other
        than .html/.md, an input of the run, an existing file without ``--force``, a folder
        that does not exist; checked before any work), or a malformed ``--responsible``
        (exit 2).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["notice", "LY", "--example", "--phase", "t1", "--date", "2025年3月1日"])
    ... # doctest: +ELLIPSIS
    # 关于LY社区改造成效评价结果的公示
    ...
    2025年3月1日
    0
    """
    from renoscore import evaluate
    from renoscore.report import build_notice, write_notice

    out = _common.output_arg(args, _SUFFIXES)
    responsible = _responsible(args.responsible)
    system, data, panel, weights, scoring = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=scoring)
    options = {
        "phase": args.phase,
        "before": None if args.before.lower() == "none" else args.before,
        "contact": args.contact,
        "issuer": args.issuer,
        "date": args.date,
        "period": args.period,
        "responsible": responsible,
        "top": args.top,
        "lang": args.lang,
    }
    if out is None:
        print(build_notice(result, args.community, format="markdown", **options).text, end="")
        return 0
    path = write_notice(result, out, args.community, overwrite=args.force, **options)
    print(CONSOLE[args.lang]["wrote"].format(path=path))
    return 0
