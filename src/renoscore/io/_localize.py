"""Result tables in the reader's language: Chinese headers, sheet names and coded values.

The tables of :mod:`renoscore.io.tables` are built with machine keys (``community_id``,
``score_f_fire_safety_ok``, ``category: basic``); in English they stay so. In Chinese every
header becomes the word a street office would write (``小区编号``, ``消防安全达标率得分``), a
column named for a node takes the node's declared name, a context column its declared label,
and coded values (category, supplier, cell status, method, yes/no, dimension) their Chinese
words. Ids (community ids, phase and indicator codes) stay as they are: they are what joins a
table to the data.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.io._localize import localized_table, sheet_name
>>> system = rs.default_system()
>>> rows = [{"community_id": "LY", "rank_facilities": 2, "category": "basic"}]
>>> localized_table("ranks", rows, system, "zh")
[{'小区编号': 'LY', '设施改造排名': 2, '改造类别': '基础类'}]
>>> sheet_name("fix_first", "zh"), sheet_name("fix_first", "en")
('优先整改清单', 'fix-first')
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._vocabulary import (
    CONSOLE,
    METHOD_NAMES,
    NODE_KIND,
    PROVENANCE,
    SHEETS,
    STATUS,
    YES_NO,
    category_word,
    column_word,
    context_label,
    lang_of,
    supplier_word,
)
from renoscore.io._records import Records

__all__ = ["header_word", "localized_columns", "localized_table", "sheet_name"]

#: Header keys whose meaning differs by table: (table, key) -> the vocabulary's key.
_TABLE_KEYS: dict[tuple[str, str], str] = {
    ("fix_first", "name"): "indicator_name",
    ("fix_first", "score"): "indicator_score",
}

#: Column prefixes naming a node, and the word after the node's name.
_NODE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("score_", "得分"),
    ("rank_", "排名"),
    ("grade_", "等级"),
    ("change_", "得分变化"),
)

#: Suffixes of a node's change columns (``change_<node>_low``), and the word after its name.
_CHANGE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_low", "变化区间下限"),
    ("_high", "变化区间上限"),
    ("_class", "变化判定"),
)

#: Provenance items whose value is a method or option code.
_METHOD_ITEMS = frozenset(
    {
        "normalization",
        "aggregation",
        "missing",
        "tie_method",
        "rank_within",
        "weights.provenance.prioritisation",
        "weights.provenance.ri_table",
        "weights.provenance.group_method",
    }
)


def sheet_name(table: str, lang: str) -> str:
    """The Excel sheet name of a result table in ``lang`` (at most 31 characters)."""
    return SHEETS[lang_of(lang)].get(table, table)[:31]


def _node_names(system: Any) -> dict[str, str]:
    """The Chinese name of every node of ``system``, by id."""
    return {n.id: str(n.name.zh) for n in getattr(system, "nodes", ())}


def header_word(
    table: str,
    key: str,
    system: Any,
    lang: str,
    context: Collection[str] = (),
    nodes: Mapping[str, str] | None = None,
) -> str:
    """The header of column ``key`` of ``table`` in ``lang``.

    A context column takes its label (:func:`~renoscore._vocabulary.context_label`), a column
    named for a node the node's name (``facilities`` → ``设施得分``, ``rank_facilities`` →
    ``设施排名``), any other column its word in the vocabulary; a key none of them knows stays.
    ``nodes`` (the nodes' Chinese names by id) saves looking them up again for every column.
    """
    if lang_of(lang) != "zh":
        return key
    if key in context:
        return context_label(system, key, lang)
    fixed = column_word(_TABLE_KEYS.get((table, key), key), lang)
    if fixed != key:
        return fixed
    names = nodes if nodes is not None else _node_names(system)
    if key in names:
        return f"{names[key]}得分"
    for prefix, word in _NODE_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in names:
            return f"{names[key[len(prefix) :]]}{word}"
    for suffix, word in _CHANGE_SUFFIXES:
        node = key[len("change_") : -len(suffix)]
        if key.startswith("change_") and key.endswith(suffix) and node in names:
            return f"{names[node]}{word}"
    return key


def _value_words(lang: str, nodes: Mapping[str, str]) -> dict[str, Callable[[Any], Any]]:
    """How the coded values of each column of ``table`` read in ``lang``."""
    yes, no = YES_NO[lang_of(lang)]
    status = STATUS[lang_of(lang)]
    methods = METHOD_NAMES[lang_of(lang)]

    def flag(v: Any) -> Any:
        return v if v is None else (yes if v else no)

    words: dict[str, Callable[[Any], Any]] = {
        "category": lambda v: category_word(v, lang),
        "supplier": lambda v: supplier_word(v, lang),
        "status": lambda v: status.get(v, v),
        "kind": lambda v: NODE_KIND[lang_of(lang)].get(v, v),
        "method": lambda v: methods.get(v, v),
        "must_fix": flag,
        "parent_cr_acceptable": flag,
        "funded": flag,
        "dimension": lambda v: nodes.get(v, v),
    }
    return words


def _provenance_item(key: str) -> str:
    """The Chinese name of a provenance item; a nested item (``a.b.c``) by its nearest parent."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        label = PROVENANCE.get(".".join(parts[:n]))
        if label is not None:
            rest = ".".join(parts[n:])
            return f"{label}（{rest}）" if rest else label
    return key


def _provenance_rows(records: Records, lang: str) -> Records:
    """The provenance table with a readable item, the field it comes from, and its value."""
    methods = METHOD_NAMES[lang_of(lang)]
    out: Records = []
    for rec in records:
        key, value = rec.get("key"), rec.get("value")
        if key in _METHOD_ITEMS and isinstance(value, str):
            value = methods.get(value, value)
        out.append(
            {
                column_word("key", lang): _provenance_item(str(key)),
                column_word("field", lang): key,
                column_word("content", lang): value,
            }
        )
    return out


def _localizers(
    table: str, keys: list[str], system: Any, lang: str, context: Collection[str]
) -> tuple[dict[str, str], dict[str, Callable[[Any], Any]]]:
    """The Chinese header of every key, and how the coded values of each column read."""
    nodes = _node_names(system)
    headers: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        word = header_word(table, key, system, lang, context, nodes)
        headers[key] = f"{word}（{key}）" if word in taken else word
        taken.add(headers[key])
    words = _value_words(lang, nodes)
    changes = CONSOLE[lang_of(lang)]
    for key in keys:
        if key.startswith("change_") and key.endswith("_class"):
            words[key] = lambda v: changes.get(str(v).replace(" ", "_"), v)
    return headers, words


def localized_table(
    table: str, records: Records, system: Any, lang: str, context: Collection[str] = ()
) -> Records:
    """``records`` of result table ``table`` with headers and coded values in ``lang``.

    English tables are returned as they are. Two columns that would get the same Chinese
    header (two nodes of one name) keep them apart by the key in brackets.
    """
    if lang_of(lang) != "zh":
        return records
    if table == "provenance":
        return _provenance_rows(records, lang)
    keys = list(dict.fromkeys(k for rec in records for k in rec))
    headers, words = _localizers(table, keys, system, lang, context)
    return [
        {headers[k]: (words[k](v) if k in words and v is not None else v) for k, v in rec.items()}
        for rec in records
    ]


def localized_columns(
    table: str,
    columns: Mapping[str, NDArray[Any]],
    system: Any,
    lang: str,
    context: Collection[str] = (),
) -> dict[str, NDArray[Any]]:
    """The columns of result table ``table`` (not provenance) with the headers and coded
    values of :func:`localized_table`; a coded column is an object array (None stays)."""
    if lang_of(lang) != "zh":
        return dict(columns)
    headers, words = _localizers(table, list(columns), system, lang, context)
    out: dict[str, NDArray[Any]] = {}
    for key, col in columns.items():
        if key in words:
            word = words[key]
            col_words = np.empty(len(col), dtype=object)
            col_words[:] = [v if v is None else word(v) for v in col.tolist()]
            col = col_words
        out[headers[key]] = col
    return out
