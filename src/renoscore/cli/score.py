"""``renoscore score``: score, rank and grade communities; print the table, write the results.

Examples
--------
``renoscore score --example``                          the bundled system and communities
``renoscore score --example --phase t0 --fix-first LY`` with one community's fix-first list
``renoscore score SYSTEM DATA --panel P --weights ahp -o scores.xlsx``
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from renoscore._display import clip, text_table
from renoscore._format import text_number, text_percent
from renoscore._vocabulary import (
    CONSOLE,
    METHOD_NAMES,
    category_word,
    phase_word,
    supplier_word,
    unit_label,
)
from renoscore.cli import _common

__all__ = ["add_parser", "run"]

#: The suffixes ``-o`` writes.
_OUTPUT_SUFFIXES = (".csv", ".json", ".xlsx", ".parquet")


def add_parser(subparsers: _common.Subparsers) -> None:
    """Add ``renoscore score`` with its inputs, scoring options, display and output options."""
    s = subparsers.add_parser("score", help="score, rank and grade communities")
    _common.add_configuration(s)
    s.add_argument("--phase", help="show only this phase")
    s.add_argument("--lang", default="en", choices=["en", "zh"])
    s.add_argument("--top", type=_common.count(1), help="show only the first N rows")
    s.add_argument(
        "--fix-first", metavar="COMMUNITY", help="also print the fix-first list of one community"
    )
    s.add_argument(
        "-o", "--output", help="write results: .xlsx (one sheet per table), .csv, .parquet or .json"
    )
    _common.add_force(s)
    s.add_argument(
        "--encoding",
        default="utf-8",
        help="CSV output encoding: utf-8, utf-8-sig (Excel) or gb18030",
    )


def run(args: argparse.Namespace) -> int:
    """Score, rank and grade; print the table, a fix-first list if asked, write ``-o``.

    Raises
    ------
    RenoscoreError
        Invalid system, data, panel or weights (``renoscore`` lists the problems, exit 1).
    UsageError
        No SYSTEM and DATA (nor ``--example``), or an output it may not write: a suffix it
        cannot write, an input of the run, an existing file without ``--force``, a folder
        that does not exist (exit 2; checked before any work).

    Examples
    --------
    >>> from renoscore.cli import main
    >>> main(["score", "--example", "--phase", "t1", "--top", "2"])  # doctest: +ELLIPSIS
    Evaluation of old residential community renovation (...) — goalposts, arithmetic, missing=renormalize
    rank  community  phase  score      grade  facilities ...
       1  ZY04          t1   89.1  excellent        92.3 ...
       2  HJ03          t1   83.9       good        83.2 ...
    0
    """
    from renoscore import evaluate

    output = _common.output_arg(args, _OUTPUT_SUFFIXES)
    system, data, panel, weights, options = _common.configuration(args)
    result = evaluate(system, data, weights, panel=panel, options=options)
    words = CONSOLE[args.lang]
    print(
        f"{system.name.get(args.lang)} ({system.id} v{system.version}) — {_options_line(result, args.lang)}"
    )
    print(result.table(phase=args.phase, lang=args.lang, top=args.top))
    if args.fix_first:
        _print_fix_first(result, args.fix_first, args.phase, args.lang)
    if output is not None:
        _write_result(result, output, args.lang, args.encoding, args.force)
        print(words["wrote"].format(path=args.output))
    return 0


def _options_line(result: Any, lang: str) -> str:
    """How the result was scored: normalisation, aggregation, missing-data policy."""
    prov = result.provenance
    names = METHOD_NAMES[lang] if lang == "zh" else {}
    return CONSOLE[lang]["options"].format(
        normalization=names.get(prov.normalization, prov.normalization),
        aggregation=names.get(prov.aggregation, prov.aggregation),
        missing=names.get(prov.missing, prov.missing),
    )


def _print_fix_first(result: Any, community: str, phase: str | None, lang: str) -> None:
    """The fix-first list of one community (in its first phase unless one is given)."""
    words = CONSOLE[lang]
    if phase is None:
        phases = [p for c, p in zip(result.ids, result.phases, strict=True) if c == community]
        phase = phases[0] if phases else None
    where = phase_word(result.system, phase, lang) if lang == "zh" else phase
    print("\n" + words["fix_first"].format(community=community, phase=where))
    rows = []
    for k, item in enumerate(result.fix_first(community, phase=phase), start=1):
        indicator = result.system.node(item.indicator)
        rows.append(
            [
                f"{k}.",
                words["must"] if item.must_fix else "",
                clip(item.name_zh if lang == "zh" else item.name_en, 40),
                text_number(item.value, "g"),
                f"{item.target:g}",
                clip(unit_label(indicator, lang), 22),
                text_percent(item.obstacle, 1),
                category_word(item.category, lang),
                supplier_word(item.supplier, lang),
            ]
        )
    head = [
        "#",
        "",
        *(words[k] for k in ("indicator", "value", "target", "unit", "obstacle")),
        *(words[k] for k in ("category", "supplier")),
    ]
    print(text_table(head, rows, align=">><>><><<", rule=False, indent="  "))


def _write_result(result: Any, path: Path, lang: str, encoding: str, force: bool) -> None:
    from renoscore.io import write_result

    write_result(result, path, lang=lang, encoding=encoding, overwrite=force)
