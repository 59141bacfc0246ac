"""Safe, line-aware YAML reading shared by every YAML loader in renoscore.

PyYAML's ``safe_load`` forgets where each value came from and lets a duplicated key silently
win. This module composes the YAML node graph with the *safe* loader, then builds plain Python
objects itself, so that it can

* record the line of every mapping key and sequence item (for error messages),
* reject duplicate keys instead of keeping the last one,
* reject any tag outside YAML's core schema (``!!python/object`` and friends),
* bound the work done on hostile input: total size, nesting depth (checked while composing,
  before Python's recursion limit is reached) and the number of values produced after
  expanding aliases (counted on the node graph *before* anything is expanded, so that a
  "billion laughs" document is rejected in milliseconds; a recursive alias is rejected too).

``yaml.load`` is never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from renoscore.errors import Problem, RenoscoreError

__all__ = ["KeyPath", "Located", "YamlLimits", "dotted", "read_text", "read_yaml"]

#: A path into a parsed document: mapping keys and sequence indices.
KeyPath = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on the work a YAML document may cause.

    Parameters
    ----------
    max_bytes : int
        Largest accepted document, in bytes of UTF-8.
    max_depth : int
        Deepest accepted nesting of mappings and sequences.
    max_nodes : int
        Most values produced after expanding aliases.
    """

    max_bytes: int = 20_000_000
    max_depth: int = 200
    max_nodes: int = 2_000_000


@dataclass
class Located:
    """A parsed YAML document with the line of every key path.

    Attributes
    ----------
    data : object
        The document as plain Python objects (dict, list, str, int, float, bool, None).
    lines : dict
        Maps a key path (tuple of keys and indices) to its 1-based line.
    file : str or None
        Where the document was read from.
    """

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    file: str | None = None

    def line_of(self, path: KeyPath) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def _decode(
    raw: bytes, file: str | None, error: type[RenoscoreError], what: str
) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8-sig"), file
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"{what} is not UTF-8",
            [
                Problem(
                    f"byte {exc.start} ({raw[exc.start : exc.start + 1]!r}) cannot be decoded "
                    "as UTF-8",
                    file=file,
                    line=line,
                    fix="save the file as UTF-8",
                )
            ],
        ) from None


def read_text(
    source: str | Path | bytes,
    error: type[RenoscoreError],
    what: str,
    limits: YamlLimits | None = None,
) -> tuple[str, str | None]:
    """Return ``(text, file)`` for a path, for YAML text given directly, or for raw bytes.

    A ``str`` that contains a newline, or that does not name an existing file, is taken as the
    document itself. File contents and bytes are decoded as UTF-8 (a BOM is accepted); other
    encodings are an error naming the line of the first undecodable byte.

    Raises
    ------
    RenoscoreError
        Of class ``error``: unreadable file, not UTF-8, larger than ``limits.max_bytes``, or a
        source of another type.
    """
    limits = limits or YamlLimits()
    if isinstance(source, bytes):
        if len(source) > limits.max_bytes:
            raise error(
                f"{what} is too large",
                [Problem(f"{len(source)} bytes exceeds the limit of {limits.max_bytes}")],
            )
        text, _ = _decode(source, None, error, what)
        return text, None
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and _is_file(source)
    ):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise error(
                    f"{what} is too large",
                    [
                        Problem(
                            f"{size} bytes exceeds the limit of {limits.max_bytes}",
                            file=str(path),
                            fix="split the file, or pass a larger YamlLimits(max_bytes=...)",
                        )
                    ],
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise error(
                f"cannot read {what}",
                [Problem(exc.strerror or str(exc), file=str(path), fix="check the path")],
            ) from None
        return _decode(raw, str(path), error, what)
    if not isinstance(source, str):
        raise error(
            f"{what} must be a path or YAML text, not {type(source).__name__}",
            [Problem("unsupported source", fix="pass a file path, YAML text or a mapping")],
        )
    if len(source.encode("utf-8", errors="replace")) > limits.max_bytes:
        raise error(
            f"{what} is too large",
            [Problem(f"the text exceeds the limit of {limits.max_bytes} bytes")],
        )
    return source.removeprefix("\ufeff"), None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte, is YAML text
        return False


class _TooDeepError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _DepthLimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing to compose nesting deeper than ``max_depth``.

    PyYAML's composer recurses once per level, so a document of a few thousand ``[`` would
    otherwise end in a RecursionError.
    """

    max_depth = 200
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self.max_depth + 1:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeepError(mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _compose(text: str, limits: YamlLimits) -> yaml.Node | None:
    loader = _DepthLimitedLoader(text)
    loader.max_depth = limits.max_depth
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node, cap: int) -> tuple[int, yaml.Node | None]:
    """Count the values that building ``root`` would produce, without building them.

    Aliases make the node graph a DAG whose expansion can be exponential in its size; sizes are
    memoised per node, so this runs in time linear in the graph. Returns ``(size, node)`` where
    ``node`` is a node that contains itself through an alias (a recursive alias), if any. The
    count saturates at ``cap + 1``.
    """
    memo: dict[int, int] = {}
    on_path: set[int] = set()
    # An explicit stack: the graph is as deep as the document, which may be near max_depth.
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, state = stack.pop()
        key = id(node)
        if state == 0:
            if key in memo:
                continue
            if key in on_path:
                return cap + 1, node
            on_path.add(key)
            stack.append((node, 1))
            for child in _children(node):
                if id(child) in on_path:
                    return cap + 1, child
                if id(child) not in memo:
                    stack.append((child, 0))
        else:
            on_path.discard(key)
            memo[key] = min(cap + 1, 1 + sum(memo[id(c)] for c in _children(node)))
    return memo[id(root)], None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_yaml(
    source: str | Path | bytes,
    error: type[RenoscoreError],
    what: str,
    limits: YamlLimits | None = None,
) -> Located:
    """Read one YAML document safely, keeping the line of every key.

    Parameters
    ----------
    source : str, Path or bytes
        A file path, the YAML text itself, or its UTF-8 bytes.
    error : type of RenoscoreError
        The exception class to raise (e.g. ``IndicatorSystemError``).
    what : str
        What the document is, for messages ("indicator system", "panel").
    limits : YamlLimits, optional
        Bounds on size, depth and alias expansion.

    Returns
    -------
    Located
        The data and a map from key paths to lines.

    Raises
    ------
    RenoscoreError
        Of class ``error``, on a syntax error, a duplicate key, a non-core tag, or input beyond
        the limits; the problem names the file and line.

    Examples
    --------
    >>> from renoscore.errors import IndicatorSystemError
    >>> doc = read_yaml("a: 1\\nb:\\n  - x\\n", IndicatorSystemError, "example")
    >>> doc.data, doc.lines[("b", 0)]
    ({'a': 1, 'b': ['x']}, 3)
    """
    limits = limits or YamlLimits()
    text, file = read_text(source, error, what, limits)
    try:
        node = _compose(text, limits)
    except _TooDeepError as exc:
        raise error(
            f"{what} rejected",
            [
                Problem(
                    f"nesting deeper than {limits.max_depth} levels",
                    file=file,
                    line=exc.line,
                    fix="flatten the document, or pass a larger YamlLimits(max_depth=...)",
                )
            ],
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = ": ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise error(
            f"{what} is not valid YAML",
            [Problem(reason or "syntax error", file=file, line=line, fix="fix the YAML syntax")],
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"{what} is not valid YAML", [Problem(str(exc), file=file)]) from None
    except RecursionError:
        raise error(
            f"{what} rejected",
            [
                Problem(
                    "nesting too deep to parse",
                    file=file,
                    fix="flatten the document, or pass a smaller YamlLimits(max_depth=...)",
                )
            ],
        ) from None
    if node is None:
        return Located(data=None, file=file)
    size, cycle = _expanded_size(node, limits.max_nodes)
    if cycle is not None:
        raise error(
            f"{what} rejected",
            [
                Problem(
                    "an alias refers to a value that contains it (a recursive alias)",
                    file=file,
                    line=cycle.start_mark.line + 1,
                    fix="remove the recursive alias",
                )
            ],
        )
    if size > limits.max_nodes:
        raise error(
            f"{what} rejected",
            [
                Problem(
                    f"more than {limits.max_nodes} values after expanding aliases",
                    file=file,
                    line=node.start_mark.line + 1,
                    fix="remove the exponential aliases (a 'billion laughs' document?)",
                )
            ],
        )
    builder = _Builder(file, error, what, limits)
    try:
        data = builder.build(node, (), 0)
    except RecursionError:
        raise error(
            f"{what} rejected",
            [Problem("nesting too deep", file=file, fix="flatten the document")],
        ) from None
    if builder.problems:
        raise error(f"{what} has invalid YAML structure", builder.problems)
    return Located(data=data, lines=builder.lines, file=file)


class _Builder:
    def __init__(
        self, file: str | None, error: type[RenoscoreError], what: str, limits: YamlLimits
    ) -> None:
        self.file = file
        self.error = error
        self.what = what
        self.limits = limits
        self.lines: dict[KeyPath, int] = {}
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        line = node.start_mark.line + 1
        if depth > self.limits.max_depth:
            # Aliases can nest a deep value inside another; the composer saw only one of them.
            raise self.error(
                f"{self.what} rejected",
                [
                    Problem(
                        f"nesting deeper than {self.limits.max_depth} levels after expanding "
                        "aliases",
                        file=self.file,
                        line=line,
                        fix="flatten the document",
                    )
                ],
            )
        self.lines.setdefault(path, line)
        if node.tag not in _CORE_TAGS:
            self.problems.append(
                Problem(
                    f"tag {node.tag!r} is not allowed",
                    file=self.file,
                    line=line,
                    path=dotted(path) or None,
                    fix="remove the tag; only plain YAML values are accepted",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates are kept as written: a version "2024-01-01" must stay a string.
            return str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # e.g. an explicit "!!int abc" or "!!float x" that its core tag cannot read
            self.problems.append(
                Problem(
                    f"cannot read the value: {exc}",
                    file=self.file,
                    line=line,
                    path=dotted(path) or None,
                    fix="remove the explicit tag or fix the value",
                )
            )
            return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        "merge keys ('<<') are not supported",
                        file=self.file,
                        line=key_line,
                        path=dotted(path) or None,
                        fix="write the keys out in full",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        "a mapping key must be a plain value, not a list or mapping",
                        file=self.file,
                        line=key_line,
                        path=dotted(path) or None,
                        fix="use a plain word as the key",
                    )
                )
                continue
            key = self.build(key_node, (*path, "\x00key"), depth + 1)
            self.lines.pop((*path, "\x00key"), None)
            if isinstance(key, bool) and key_node.style is None:
                # YAML 1.1 reads a bare key "no", "on", "yes" or "off" as a boolean; every key in
                # renoscore's documents is an id, so keep the word as written.
                key = str(key_node.value)
            if key is None:
                if key_node.tag in _CORE_TAGS:
                    self.problems.append(
                        Problem(
                            "a mapping key must not be empty (null)",
                            file=self.file,
                            line=key_line,
                            path=dotted(path) or None,
                            fix="give the key a name",
                        )
                    )
                continue
            if key in result:
                self.problems.append(
                    Problem(
                        f"duplicate key {key!r} (first on line "
                        f"{self.lines.get((*path, key), '?')})",
                        file=self.file,
                        line=key_line,
                        path=dotted((*path, key)),
                        fix="remove or rename one of the two; YAML keeps only one value",
                    )
                )
                continue
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


def dotted(path: KeyPath) -> str:
    """Render a key path as ``a.b[2].c``.

    Examples
    --------
    >>> dotted(("goal", "children", 2, "id"))
    'goal.children[2].id'
    """
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
