"""The shape of the house, read from the source: layers, cycles, sizes and private names.

These rules keep the package easy to see and to change (docs/architecture.md): no cycle among
run-time imports, the model layer never reaches the presentation layer at run time, no file
over 1,000 lines and a median under 400, no function over 100 lines of code, and no
underscore name imported from another module unless that module is itself private.
"""

from __future__ import annotations

import ast
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import renoscore

PACKAGE = Path(renoscore.__file__).parent

#: Modules of the model layer, which must not import the presentation layer at run time
#: (notebook views and ``.plot`` accessors go through :mod:`renoscore._views`).
MODEL = ("system", "panel", "data", "weights.model", "result", "pipeline")
PRESENTATION = ("report", "plot", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at module level or inside functions, outside TYPE_CHECKING."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _existing(name: str) -> str | None:
    """The nearest module of the package that ``name`` lies in (``a.b.func`` -> ``a.b``)."""
    while name and name not in SOURCES:
        name = name.rpartition(".")[0]
    return name or None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    name: str | None  # the imported name when it is not a module
    line: int


def _edges() -> list[Edge]:
    edges: list[Edge] = []
    for module, path in SOURCES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in _runtime_imports(tree):
            if isinstance(node, ast.Import):
                pairs = [(alias.name, None) for alias in node.names]
            else:
                base = _absolute(module, is_package, node)
                pairs = [
                    (f"{base}.{a.name}", None) if f"{base}.{a.name}" in SOURCES else (base, a.name)
                    for a in node.names
                ]
            for target, name in pairs:
                found = _existing(target) if target.startswith("renoscore") else None
                if found is not None and found != module:
                    edges.append(Edge(module, found, name, node.lineno))
    return edges


EDGES = _edges()


def _cycles(edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, 1972)."""
    graph: dict[str, set[str]] = {m: set() for m in SOURCES}
    for e in edges:
        graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def _within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == f"renoscore.{r}" or module.startswith(f"renoscore.{r}.") for r in roots)


def test_the_import_graph_is_read() -> None:
    # a guard for the rules below: the graph has the edges we know are there
    assert any(e.source == "renoscore.pipeline.scoring" for e in EDGES) or len(EDGES) > 100
    assert any(e.target == "renoscore._validation" for e in EDGES)


def test_no_cycle_among_run_time_imports() -> None:
    assert _cycles(EDGES) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    a, b = "renoscore.system", "renoscore.data"
    assert _cycles([*EDGES, Edge(a, b, None, 0), Edge(b, a, None, 0)]) != []


def test_the_model_layer_never_imports_presentation() -> None:
    offending = [
        f"{e.source}:{e.line} -> {e.target}"
        for e in EDGES
        if _within(e.source, MODEL) and _within(e.target, PRESENTATION)
    ]
    assert offending == []


def test_the_numeric_core_imports_no_model() -> None:
    core = ("ahp", "normalize", "aggregate", "ranking", "_kernels")
    core_weights = ("weights._passes", "weights.entropy", "weights.critic", "weights.dispersion")
    model = ("system", "panel", "data", "result", "pipeline", "weights.model", "weights.derive")
    offending = [
        f"{e.source}:{e.line} -> {e.target}"
        for e in EDGES
        if _within(e.source, core + core_weights) and _within(e.target, model + PRESENTATION)
    ]
    assert offending == []


def test_no_private_name_crosses_a_module_line() -> None:
    offending = [
        f"{e.source}:{e.line} imports {e.name} from {e.target}"
        for e in EDGES
        if e.name is not None
        and e.name.startswith("_")
        and not e.name.startswith("__")
        and not e.target.rpartition(".")[2].startswith("_")
    ]
    assert offending == []


def _code_lines(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of code of a function: no docstring, comment or blank line counted."""
    skip: set[int] = set()
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        skip = set(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    end = node.end_lineno or node.lineno
    return sum(
        1
        for i in range(node.lineno, end + 1)
        if i not in skip and lines[i - 1].strip() and not lines[i - 1].strip().startswith("#")
    )


def test_no_function_over_100_lines_of_code() -> None:
    long = []
    for module, path in SOURCES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = _code_lines(lines, node)
                if n > 100:
                    long.append(f"{module}.{node.name}: {n}")
    assert long == []


def test_files_are_a_few_hundred_lines() -> None:
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in SOURCES.items()}
    assert {m: n for m, n in sizes.items() if n > 1000} == {}
    assert statistics.median(sizes.values()) < 400


def test_every_exception_and_warning_class_lives_in_errors() -> None:
    # a private exception used for control flow inside one module (it never reaches a
    # caller) may stay where it is used
    elsewhere = []
    for module, path in SOURCES.items():
        if module == "renoscore.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ClassDef)
                and not node.name.startswith("_")
                and any(
                    isinstance(b, ast.Name) and (b.id.endswith(("Error", "Warning", "Exception")))
                    for b in node.bases
                )
            ):
                elsewhere.append(f"{module}.{node.name}")
    assert elsewhere == []


@pytest.mark.parametrize(
    "module", sorted(m for m in SOURCES if not m.rpartition(".")[2].startswith("_"))
)
def test_every_public_module_says_what_it_exports(module: str) -> None:
    tree = ast.parse(SOURCES[module].read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{module} has no module docstring"
    names = {
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    }
    assert "__all__" in names, f"{module} has no __all__"
