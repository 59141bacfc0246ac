"""Compact HTML views of an indicator system, weights or a result, for notebooks.

Each view is a small table in a ``<div class="renoscore">``, every text escaped. The model
objects reach these views through :mod:`renoscore._views` (their ``_repr_html_``); this module
imports no model module at run time, so that door closes no import cycle.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.report.notebook import system_html
>>> system_html(rs.default_system()).startswith('<div class="renoscore"><p>')
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from renoscore._document import Block, Code, Paragraph, Table, html_fragment
from renoscore._format import cell_number, cell_percent
from renoscore._vocabulary import CONSOLE, stakeholder_word, unit_label
from renoscore.report._words import CATEGORY, SUPPLIER, WORDS, Lang

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

__all__ = ["result_html", "system_html", "weights_html"]


def _view(blocks: list[Block]) -> str:
    return f'<div class="renoscore">{html_fragment(blocks)}</div>'


def system_html(system: IndicatorSystem, lang: Lang = "en") -> str:
    """The indicator tree of a system: one row per node, indented by depth.

    Examples
    --------
    >>> import renoscore as rs
    >>> html = system_html(rs.default_system(), lang="zh")
    >>> html.count("<tr>") == 1 + len(rs.default_system().nodes)
    True
    """
    return _view(_system_blocks(system, lang))


def weights_html(weights: Weights, system: IndicatorSystem | None = None, lang: Lang = "en") -> str:
    """Every node's local and global weight, and each expert's consistency ratio.

    ``system`` gives the nodes' names (default: ids only).
    """
    return _view(_weights_blocks(weights, system, lang))


def result_html(result: EvaluationResult, lang: Lang = "en", max_rows: int = 50) -> str:
    """The ranking of a result: the first ``max_rows`` rows and how many more there are."""
    return _view(_result_blocks(result, lang, max_rows))


def _system_blocks(system: IndicatorSystem, lang: Lang) -> list[Block]:
    rows: list[list[Any]] = []
    for node in system.nodes:
        depth = len(system.path(node.id)) - 1
        indent = "\u2003" * depth
        if node.is_indicator:
            ind: Any = node
            rows.append(
                [
                    indent + ind.id,
                    ind.name.get(lang),
                    ind.kind.value,
                    ind.direction.value,
                    f"{ind.goalposts.floor:g} → {ind.goalposts.target:g}",
                    unit_label(ind, lang),
                    CATEGORY[lang].get(ind.category.value, ind.category.value),
                    SUPPLIER[lang].get(ind.supplier.value, ind.supplier.value),
                ]
            )
        else:
            grp: Any = node
            rows.append(
                [
                    indent + grp.id,
                    grp.name.get(lang),
                    f"[{grp.weighting.method}]",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    head = [
        "id",
        "name",
        "kind / weighting",
        "direction",
        "goalposts",
        "unit",
        "category",
        "supplier",
    ]
    return [
        Paragraph(
            [
                f"{system.name.get(lang)} ",
                Code(f"{system.id} v{system.version}"),
                f" — {system.outline()}",
            ]
        ),
        Table(head, rows, [False] * len(head)),
    ]


def _weights_blocks(weights: Weights, system: IndicatorSystem | None, lang: Lang) -> list[Block]:
    def name(node: str) -> str:
        if system is None:
            return node
        try:
            return f"{system.node(node).name.get(lang)} ({node})"
        except Exception:  # weights of another version of the system
            return node

    t = WORDS[lang]
    g = weights.global_weights()
    rows = []
    for row in weights.table():
        nw = weights.nodes[row["parent"]]
        cr = "" if nw.cr is None else f"{nw.cr:.3f} " + ("✓" if nw.acceptable else "✗")
        rows.append(
            [
                row["parent"],
                name(row["node"]),
                row["method"],
                f"{row['local']:.4f}",
                f"{g[row['node']]:.4f}",
                cr,
            ]
        )
    blocks: list[Block] = [
        Paragraph(
            [
                "Weights for ",
                Code(f"{weights.system_id} v{weights.system_version}"),
                f" — panel {weights.provenance.panel or '–'}, "
                f"prioritisation {weights.provenance.prioritisation}",
            ]
        ),
        Table(
            ["parent", "node", "method", "local", "global", "parent CR"]
            if lang != "zh"
            else [t[k] for k in ("parent", "node", "method_col", "local", "global", "cr")],
            rows,
            [False, False, False, True, True, True],
        ),
    ]
    experts = [
        [
            node,
            e.expert,
            stakeholder_word(e.group, lang, weights.provenance.group_names),
            f"{e.lambda_max:.4f}",
            f"{e.cr:.4f}",
            (t["pass"] if e.acceptable else t["fail"])
            if lang == "zh"
            else ("passes" if e.acceptable else "FAILS"),
            t["excluded"] if e.excluded else "",
        ]
        for node, nw in weights.nodes.items()
        for e in nw.experts
    ]
    if experts:
        blocks.append(
            Table(
                ["node", "expert", "group", "λmax", "CR", "CR < 0.10", ""]
                if lang != "zh"
                else [t[k] for k in ("node", "expert", "group", "lambda", "cr", "result")] + [""],
                experts,
                [False, False, False, True, True, False, False],
            )
        )
    return blocks


def _result_blocks(result: EvaluationResult, lang: Lang, max_rows: int) -> list[Block]:
    dims = [d.id for d in result.system.dimensions]
    words = CONSOLE[lang]
    recs = result.ranking(lang=lang)
    rows = [
        [
            cell_number(rec["rank"], 0),
            rec["community_id"],
            rec["phase"] or "–",
            cell_number(rec["score"]),
            rec["grade"] or rec["reason"] or "–",
            # A goal's child may be an indicator (a flat system): its score is score_<id>.
            *[cell_number(rec[d] if d in rec else rec[f"score_{d}"]) for d in dims],
            cell_percent(rec["coverage"]),
        ]
        for rec in recs[:max_rows]
    ]
    blocks: list[Block] = [
        Paragraph([repr(result)]),
        Table(
            [
                *(words[k] for k in ("rank", "community", "phase", "score", "grade")),
                *(result.system.node(d).name.zh if lang == "zh" else d for d in dims),
                words["coverage"] if lang == "zh" else "coverage",
            ],
            rows,
            [True, False, False, True, False] + [True] * len(dims) + [True],
        ),
    ]
    if len(recs) > max_rows:
        blocks.append(
            Paragraph([f"… {len(recs) - max_rows} more rows (result.table(), result.to_frame())"])
        )
    return blocks
