"""Formulas that derive an indicator from raw fields: a small, safe arithmetic language.

A derived indicator declares ``formula: lifts_installed / eligible_stairwells``. The language
has numbers, the names of the system's raw fields, ``+ - * /`` (also written ``× ÷ −``),
parentheses, ``min(a, b, ...)``, ``max(a, b, ...)`` and ``if_missing(x, y)`` (``y`` where
``x`` is empty). The text is parsed by Python's :mod:`ast` and every node is checked against
that list: nothing is ever evaluated by ``eval``, and a name, an attribute, a comparison, a
power or any other construct outside the list is refused when the system is loaded.

:func:`evaluate_formula` computes a formula over whole columns at once (numpy, no loop over
rows). A cell's status follows its inputs: an input that is not applicable makes the result not
applicable, else an empty input makes it missing (``if_missing`` fills it). A division by zero
is reported by row; the indicator's ``division_by_zero`` says whether such a row is not
applicable or an error.

Examples
--------
>>> import numpy as np
>>> f = parse_formula("lifts_installed / eligible_stairwells")
>>> f.names
('lifts_installed', 'eligible_stairwells')
>>> ok = np.zeros(3, dtype=np.int8)
>>> columns = {"lifts_installed": (np.array([2.0, 0, 1]), ok),
...            "eligible_stairwells": (np.array([4.0, 5, 0]), ok)}
>>> values, status, zero = evaluate_formula(f, columns)
>>> values.tolist()[:2], zero.tolist()
([0.5, 0.0], [False, False, True])
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from renoscore._validation import suggest

__all__ = [
    "FUNCTIONS",
    "MAX_FORMULA_LENGTH",
    "Formula",
    "evaluate_formula",
    "formula_problems",
    "parse_formula",
]

#: The functions a formula may call: name -> (fewest, most arguments; None: no limit).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "if_missing": (2, 2),
}
#: Longest formula text accepted.
MAX_FORMULA_LENGTH = 1000
#: Most nodes in one formula.
_MAX_NODES = 300
#: Operators as a Chinese document or a word processor may type them.
_TYPED = str.maketrans({"×": "*", "÷": "/", "−": "-", "（": "(", "）": ")", "，": ","})
_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_OK, _MISSING, _NA = 0, 1, 2  # CellStatus codes (renoscore._cells), kept numeric here


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, its expression tree and the raw fields it reads."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]


def _parse(text: str) -> tuple[ast.expr | None, str | None]:
    """The expression tree of ``text``, or the reason it cannot be parsed."""
    if len(text) > MAX_FORMULA_LENGTH:
        return None, f"the formula is longer than {MAX_FORMULA_LENGTH} characters"
    try:
        return ast.parse(text.translate(_TYPED).strip(), mode="eval").body, None
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        return None, f"the formula is not arithmetic{where}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError):
        return None, "the formula cannot be read (nested too deep, or a control character)"


def _refusal(node: ast.AST) -> str | None:
    """Why ``node`` is not part of the formula language, or None when it is."""
    if isinstance(node, ast.BinOp):
        if type(node.op) in _OPERATORS:
            return None
        sign = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%"}.get(type(node.op), "")
        return f"the operator {sign or type(node.op).__name__} (only + - * / are allowed)"
    if isinstance(node, ast.UnaryOp):
        ok = isinstance(node.op, (ast.USub, ast.UAdd))
        return None if ok else "a logical or bitwise operator (only + - * / are allowed)"
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return None
        return f"the constant {value!r} (only finite numbers are allowed)"
    if isinstance(node, ast.Name):
        return None
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else "this"
            return f"the function {shown}() (only {', '.join(FUNCTIONS)} are allowed)"
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return f"keyword or starred arguments in {node.func.id}()"
        fewest, most = FUNCTIONS[node.func.id]
        if len(node.args) < fewest or (most is not None and len(node.args) > most):
            count = f"{fewest}" if most == fewest else f"at least {fewest}"
            return f"{node.func.id}() takes {count} arguments, got {len(node.args)}"
        return None
    if isinstance(node, ast.Compare):
        return "a comparison (write min/max or if_missing instead)"
    if isinstance(node, ast.Attribute):
        return "attribute access (a name is a raw field id)"
    return f"a {type(node).__name__} expression (only numbers, raw fields, + - * /, min, max and if_missing)"


def _constant(node: ast.expr) -> float | None:
    """The value of a subtree without names, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _constant(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _constant(node.left), _constant(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
            return None
        return float(_OPERATORS[type(node.op)](left, right))
    return None


def formula_problems(text: str, names: Mapping[str, object] | None = None) -> list[tuple[str, str]]:
    """Every ``(reason, fix)`` of a formula; with ``names``, unknown names too.

    Examples
    --------
    >>> formula_problems("a ** 2")
    [('the formula uses the operator ** (only + - * / are allowed)', 'write it with + - * /, min, max and if_missing')]
    >>> formula_problems("lifts / stairwels", {"lifts": 1, "stairwells": 1})
    [("unknown name 'stairwels' in the formula", "did you mean 'stairwells'?")]
    """
    tree, reason = _parse(text)
    if tree is None:
        return [
            (
                reason or "the formula cannot be read",
                "write it with + - * /, min, max and if_missing",
            )
        ]
    nodes = list(ast.walk(tree))
    if len(nodes) > _MAX_NODES:
        return [(f"the formula has more than {_MAX_NODES} parts", "split it into raw fields")]
    problems: list[tuple[str, str]] = []
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    for node in nodes:
        if not isinstance(node, ast.expr) or id(node) in called:
            continue
        refused = _refusal(node)
        if refused is not None:
            problems.append(
                (f"the formula uses {refused}", "write it with + - * /, min, max and if_missing")
            )
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if _constant(node.right) == 0.0 or (
                isinstance(node.right, ast.Constant) and node.right.value == 0
            ):
                problems.append(
                    ("the formula divides by zero", "divide by a raw field or a non-zero number")
                )
        elif isinstance(node, ast.Name) and names is not None and node.id not in names:
            known = ", ".join(names) or "none declared"
            problems.append(
                (
                    f"unknown name {node.id!r} in the formula",
                    suggest(node.id, list(names)) or f"use the raw fields ({known})",
                )
            )
    if not problems and not any(isinstance(n, ast.Name) and id(n) not in called for n in nodes):
        problems.append(("the formula reads no raw field", "name at least one raw field"))
    return problems


def parse_formula(text: str) -> Formula:
    """A checked :class:`Formula`; raises ``ValueError`` naming the first problem.

    Examples
    --------
    >>> parse_formula("min(a, 2 × b)").names
    ('a', 'b')
    """
    problems = formula_problems(text)
    if problems:
        raise ValueError(f"{problems[0][0]}: {problems[0][1]}")
    tree, _ = _parse(text)
    assert tree is not None
    nodes = list(ast.walk(tree))
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    found = [n for n in nodes if isinstance(n, ast.Name) and id(n) not in called]
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return Formula(text, tree, tuple(dict.fromkeys(n.id for n in found)))


# --------------------------------------------------------------------------- evaluation
@dataclass
class _Column:
    """A computed column: values (NaN where not OK) and which cells are missing or n/a."""

    values: NDArray[np.float64] | float
    missing: NDArray[np.bool_] | np.bool_
    na: NDArray[np.bool_] | np.bool_


def evaluate_formula(
    formula: Formula, columns: Mapping[str, tuple[NDArray[np.float64], NDArray[np.int8]]]
) -> tuple[NDArray[np.float64], NDArray[np.int8], NDArray[np.bool_]]:
    """A formula over whole columns: values, cell statuses and the rows that divided by zero.

    Parameters
    ----------
    formula : Formula
    columns : mapping
        Each raw field the formula reads -> ``(values, status)``; values are NaN wherever the
        status (0 ok, 1 missing, 2 not applicable) is not ok.

    Returns
    -------
    values : ndarray of float64
        NaN wherever the status is not ok, and where a division by zero occurred.
    status : ndarray of int8
        Not applicable where an input is, else missing where an input is empty.
    zero : ndarray of bool
        Rows whose inputs were all present but where the formula divided by zero (their
        status is ok and their value NaN: the caller applies the indicator's declaration).
    """
    n = next(iter(columns.values()))[0].shape[0] if columns else 0
    zero = np.zeros(n, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _evaluate(formula.tree, columns, zero)
    values = np.broadcast_to(np.asarray(out.values, dtype=np.float64), (n,)).copy()
    na = np.broadcast_to(out.na, (n,))
    missing = np.broadcast_to(out.missing, (n,)) & ~na
    status = np.zeros(n, dtype=np.int8)
    status[missing] = _MISSING
    status[na] = _NA
    values[status != _OK] = np.nan
    zero &= status == _OK
    values[zero] = np.nan
    return values, status, zero


def _evaluate(
    node: ast.expr,
    columns: Mapping[str, tuple[NDArray[np.float64], NDArray[np.int8]]],
    zero: NDArray[np.bool_],
) -> _Column:
    if isinstance(node, ast.Constant):
        return _Column(float(cast(float, node.value)), np.False_, np.False_)
    if isinstance(node, ast.Name):
        values, status = columns[node.id]
        return _Column(values, status == _MISSING, status == _NA)
    if isinstance(node, ast.UnaryOp):
        inner = _evaluate(node.operand, columns, zero)
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        return _Column(sign * np.asarray(inner.values), inner.missing, inner.na)
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, columns, zero)
        right = _evaluate(node.right, columns, zero)
        missing = left.missing | right.missing
        na = left.na | right.na
        if isinstance(node.op, ast.Div):
            divisor = np.asarray(right.values)
            zero |= np.broadcast_to((divisor == 0) & ~missing & ~na, zero.shape)
        values = _OPERATORS[type(node.op)](np.asarray(left.values), np.asarray(right.values))
        return _Column(values, missing, na)
    assert isinstance(node, ast.Call)
    assert isinstance(node.func, ast.Name)
    args = [_evaluate(a, columns, zero) for a in node.args]
    if node.func.id == "if_missing":
        first, fill = args
        use = np.asarray(first.missing) & ~np.asarray(first.na)
        return _Column(
            np.where(use, fill.values, first.values),
            np.where(use, fill.missing, False),
            np.where(use, fill.na, first.na),
        )
    reduce = np.minimum if node.func.id == "min" else np.maximum
    extreme: NDArray[np.float64] | float = args[0].values
    missing, na = args[0].missing, args[0].na
    for arg in args[1:]:
        extreme = reduce(extreme, arg.values)
        missing = missing | arg.missing
        na = na | arg.na
    return _Column(extreme, missing, na)
