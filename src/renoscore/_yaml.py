"""Safe, line-aware YAML reading shared by every YAML loader in renoscore.

PyYAML's ``safe_load`` forgets where each value came from and lets a duplicated key silently
win. This module composes the YAML node graph with the *safe* loader, then builds plain Python
objects itself, so that it can

* record the line of every mapping key and sequence item (for error messages),
* reject duplicate keys instead of keeping the last one,
* reject any tag outside YAML's core schema (``!!python/object`` and friends),
* bound the work done on hostile input: total size, nesting depth and the number of nodes
  produced after expanding aliases (the "billion laughs" attack).

``yaml.load`` is never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from renoscore.errors import Problem, RenoscoreError

__all__ = ["Located", "YamlLimits", "read_text", "read_yaml"]

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
        Most nodes produced after expanding aliases.
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


def read_text(
    source: str | Path,
    error: type[RenoscoreError],
    what: str,
    limits: YamlLimits | None = None,
) -> tuple[str, str | None]:
    """Return ``(text, file)`` for a path or for YAML text given directly.

    A ``str`` that contains a newline, or that does not name an existing file, is taken as the
    document itself. Bytes are decoded as UTF-8 (a BOM is accepted); other encodings are an error.
    """
    limits = limits or YamlLimits()
    if isinstance(source, Path) or ("\n" not in source and Path(source).is_file()):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise error(f"cannot read {what}", [Problem(str(exc), file=str(path))]) from exc
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
        try:
            return raw.decode("utf-8-sig"), str(path)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise error(
                f"{what} is not UTF-8",
                [
                    Problem(
                        f"byte {exc.start} cannot be decoded as UTF-8",
                        file=str(path),
                        line=line,
                        fix="save the file as UTF-8",
                    )
                ],
            ) from exc
    if not isinstance(source, str):
        raise error(f"{what} must be a path or YAML text, not {type(source).__name__}")
    if len(source.encode("utf-8", errors="replace")) > limits.max_bytes:
        raise error(
            f"{what} is too large",
            [Problem(f"the text exceeds the limit of {limits.max_bytes} bytes")],
        )
    return source.removeprefix("\ufeff"), None


def read_yaml(
    source: str | Path,
    error: type[RenoscoreError],
    what: str,
    limits: YamlLimits | None = None,
) -> Located:
    """Read one YAML document safely, keeping the line of every key.

    Parameters
    ----------
    source : str or Path
        A file path, or the YAML text itself.
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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise error(
            f"{what} is not valid YAML",
            [Problem(reason or "syntax error", file=file, line=line, fix="fix the YAML syntax")],
        ) from exc
    except yaml.YAMLError as exc:
        raise error(f"{what} is not valid YAML", [Problem(str(exc), file=file)]) from exc
    builder = _Builder(file, error, what, limits)
    data = builder.build(node, (), 0) if node is not None else None
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
        self.count = 0
        self.constructor = SafeConstructor()

    def _fatal(self, reason: str, line: int, fix: str) -> RenoscoreError:
        return self.error(
            f"{self.what} rejected", [Problem(reason, file=self.file, line=line, fix=fix)]
        )

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self._fatal(
                f"more than {self.limits.max_nodes} values after expanding aliases",
                line,
                "remove the recursive or exponential aliases (a 'billion laughs' document?)",
            )
        if depth > self.limits.max_depth:
            raise self._fatal(
                f"nesting deeper than {self.limits.max_depth} levels",
                line,
                "flatten the document",
            )
        self.lines.setdefault(path, line)
        if node.tag not in _CORE_TAGS:
            self.problems.append(
                Problem(
                    f"tag {node.tag!r} is not allowed",
                    file=self.file,
                    line=line,
                    path=_dotted(path),
                    fix="remove the tag; only plain YAML values are accepted",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"), depth + 1)
                if isinstance(key, (dict, list)) or key is None:
                    self.problems.append(
                        Problem(
                            "a mapping key must be a plain value",
                            file=self.file,
                            line=key_node.start_mark.line + 1,
                            path=_dotted(path),
                        )
                    )
                    continue
                if key in result:
                    self.problems.append(
                        Problem(
                            f"duplicate key {key!r} (first on line "
                            f"{self.lines.get((*path, key), '?')})",
                            file=self.file,
                            line=key_node.start_mark.line + 1,
                            path=_dotted((*path, key)),
                            fix="remove or rename one of the two; YAML keeps only one value",
                        )
                    )
                    continue
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key), depth + 1)
            self.lines.pop((*path, "<key>"), None)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates are kept as written: a version "2024-01-01" must stay a string.
            return str(node.value)
        return self.constructor.construct_object(node, deep=True)


def _dotted(path: KeyPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def dotted(path: KeyPath) -> str:
    """Render a key path as ``a.b[2].c``."""
    return _dotted(path)
