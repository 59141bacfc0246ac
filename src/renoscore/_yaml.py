"""Safe, line-aware YAML reading shared by every YAML loader in renoscore.

PyYAML's ``safe_load`` forgets where each value came from and lets a duplicated key silently
win. This module reads the *event stream* of PyYAML's safe parser (libyaml's when it is
installed, else the pure-Python one; both are iterative, so nesting cannot exhaust the stack)
and builds plain Python objects itself in one pass, so that it can

* record the line of every mapping key and sequence item (for error messages),
* reject duplicate keys instead of keeping the last one,
* reject any tag outside YAML's core schema (``!!python/object`` and friends),
* bound the work done on hostile input *while reading*, before anything large is built:
  total size in bytes, nesting depth, and the number of values produced once aliases are
  expanded (an alias is counted with the size of its anchor, so a "billion laughs" document
  is rejected after reading a few lines; a recursive alias is rejected too). Memory stays
  proportional to the accepted document: no node graph is composed.

An alias shares the object built for its anchor (as ``yaml.safe_load`` does). ``yaml.load`` is
never used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from renoscore.errors import Problem, RenoscoreError

__all__ = ["KeyPath", "LineIndex", "Located", "YamlLimits", "dotted", "read_text", "read_yaml"]

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
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: Syntax errors in documents up to this size are re-read with the pure-Python parser, whose
#: messages name the offending character; larger ones keep libyaml's message.
_REPARSE_BYTES = 2_000_000


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on the work a YAML document may cause.

    Parameters
    ----------
    max_bytes : int
        Largest accepted document, in bytes of UTF-8 (20 MB).
    max_depth : int
        Deepest accepted nesting of mappings and sequences (200 levels; the root is level 0).
    max_nodes : int
        Most values (mapping keys included) produced after expanding aliases: one million,
        some thirty times a system of 1,000 indicators.
    """

    max_bytes: int = 20_000_000
    max_depth: int = 200
    max_nodes: int = 1_000_000


class _Trie:
    """Lines of one collection's entries: a leaf entry is a line, a collection a nested trie."""

    __slots__ = ("children", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.children: dict[Any, int | _Trie] = {}


class LineIndex(Mapping[KeyPath, int]):
    """The 1-based line of every key path of a document, stored as a tree.

    A plain ``{path: line}`` dict costs memory proportional to the *sum of the depths* of all
    values (every path repeats its ancestors), which a deep and wide document can blow up;
    this tree costs one entry per value. It reads like that dict.

    Examples
    --------
    >>> doc = read_yaml("a:\\n  - x\\n", RenoscoreError, "example")
    >>> doc.lines[("a", 0)], dict(doc.lines)
    (2, {(): 1, ('a',): 1, ('a', 0): 2})
    """

    def __init__(self, root: _Trie | None = None) -> None:
        self._root = root

    def _walk(self, path: KeyPath) -> tuple[int | None, int]:
        """The line of the longest known prefix of ``path`` and that prefix's length."""
        if self._root is None:
            return None, 0
        node: int | _Trie = self._root
        line: int | None = self._root.line
        for depth, key in enumerate(path):
            if not isinstance(node, _Trie):
                return line, depth
            try:
                child = node.children.get(key)
            except TypeError:  # an unhashable key is in no document
                return line, depth
            if child is None:
                return line, depth
            node = child
            line = child.line if isinstance(child, _Trie) else child
        return line, len(path)

    def __getitem__(self, path: KeyPath) -> int:
        line, found = self._walk(tuple(path))
        if line is None or found != len(path):
            raise KeyError(path)
        return line

    def nearest(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        return self._walk(tuple(path))[0]

    def __iter__(self) -> Iterator[KeyPath]:
        if self._root is None:
            return
        stack: list[tuple[KeyPath, _Trie]] = [((), self._root)]
        while stack:
            path, node = stack.pop()
            yield path
            for key, child in node.children.items():
                if isinstance(child, _Trie):
                    stack.append(((*path, key), child))
                else:
                    yield (*path, key)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Located:
    """A parsed YAML document with the line of every key path.

    Attributes
    ----------
    data : object
        The document as plain Python objects (dict, list, str, int, float, bool, None).
    lines : mapping
        Maps a key path (tuple of keys and indices) to its 1-based line (a :class:`LineIndex`
        when read from YAML).
    file : str or None
        Where the document was read from.
    """

    data: Any
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    file: str | None = None

    def line_of(self, path: KeyPath) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        if isinstance(self.lines, LineIndex):
            return self.lines.nearest(path)
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
    if isinstance(source, str) and "\n" not in source and _is_other(source):
        reason = "a folder, not a file" if Path(source).is_dir() else "not a regular file"
        raise error(f"{what} is not a file", [Problem(reason, file=source, fix="check the path")])
    if _names_a_file(source):
        # "panel.yaml" that is not there is a missing file, not a YAML document of one word.
        raise error(
            f"{what} file not found",
            [Problem("no such file", file=str(source).strip(), fix="check the path")],
        )
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


#: Suffixes that make a one-line string a file name rather than YAML text.
_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def _names_a_file(source: object) -> bool:
    """Whether ``source`` is one line ending in a YAML or JSON file name (that is not there)."""
    if not isinstance(source, str):
        return False
    text = source.strip()
    return (
        "\n" not in text
        and ":" not in text.replace("\\", "/").split("/")[-1]
        and (text.lower().endswith(_FILE_SUFFIXES))
    )


def _is_other(text: str) -> bool:
    """Whether ``text`` names something that exists but is not a regular file (a folder)."""
    if not text.strip():
        return False  # an empty document, not the current folder
    try:
        path = Path(text)
        return path.exists() and not path.is_file()
    except (OSError, ValueError):
        return False


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte, is YAML text
        return False


class _RejectedError(Exception):
    """Stop reading: the document breaks a limit or a rule that makes the rest meaningless."""

    def __init__(self, summary: str, problem: Problem) -> None:
        self.summary = summary
        self.problem = problem


@dataclass
class _Anchor:
    value: Any
    size: int  # values it expands to
    height: int  # levels of nesting below it
    line: int


@dataclass
class _Frame:
    """An open mapping or sequence while its events are read."""

    value: dict[Any, Any] | list[Any]
    trie: _Trie | None  # None: the collection is being skipped (a bad key or its value)
    path: KeyPath
    depth: int
    anchor: str | None
    count_at_start: int
    deepest: int
    line: int
    key: Any = None  # mapping: the key waiting for its value
    key_state: int = 0  # mapping: 0 expects a key, 1 a value to keep, 2 a value to skip


_SKIP = object()


def _line(event: Any) -> int:
    mark = event.start_mark
    return int(mark.line) + 1 if mark is not None else 0


def _parser(text: str) -> Any:
    """A safe event parser: libyaml's when PyYAML was built with it (about ten times faster)."""
    if getattr(yaml, "__with_libyaml__", False):
        return yaml.CSafeLoader(text)
    return yaml.SafeLoader(text)


class _Reader:
    """Build plain objects from the event stream, with lines, limits and the rules above."""

    def __init__(
        self,
        text: str,
        file: str | None,
        error: type[RenoscoreError],
        what: str,
        limits: YamlLimits,
    ) -> None:
        self.text = text
        self.file = file
        self.error = error
        self.what = what
        self.limits = limits
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.resolver = Resolver()
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.count = 0
        self.aliased = False
        self.root: Any = None
        self.root_trie: _Trie | None = None

    # ---------------------------------------------------------------- errors
    def _problem(self, reason: str, line: int | None, path: KeyPath, fix: str) -> None:
        self.problems.append(
            Problem(reason, file=self.file, line=line, path=dotted(path) or None, fix=fix)
        )

    def _reject(self, reason: str, line: int | None, fix: str, summary: str = "rejected") -> None:
        raise _RejectedError(
            f"{self.what} {summary}", Problem(reason, file=self.file, line=line, fix=fix)
        )

    # ---------------------------------------------------------------- reading
    def read(self) -> Located:
        loader = _parser(self.text)
        stack: list[_Frame] = []
        documents = 0
        try:
            while True:
                event: Any = loader.get_event()
                if event is None or isinstance(event, yaml.StreamEndEvent):
                    break
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        self._reject(
                            "expected a single document in the stream, but found another document",
                            _line(event),
                            "keep one document per file (remove the '---' line)",
                            "is not valid YAML",
                        )
                    continue
                if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                    continue
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    frame = stack.pop()
                    self._close(frame, stack)
                    continue
                self._node(event, stack)
        finally:
            loader.dispose()
        return Located(
            data=self.root,
            lines=LineIndex(self.root_trie) if self.root_trie is not None else LineIndex(),
            file=self.file,
        )

    def _node(self, event: Any, stack: list[_Frame]) -> None:
        line = _line(event)
        depth = len(stack)
        top = stack[-1] if stack else None
        skipping = top is not None and (top.trie is None or top.key_state == 2)
        is_key = top is not None and isinstance(top.value, dict) and top.key_state == 0
        if depth > self.limits.max_depth:
            self._reject(
                f"nesting deeper than {self.limits.max_depth} levels",
                line,
                "flatten the document, or pass a larger YamlLimits(max_depth=...)",
            )
        if isinstance(event, yaml.AliasEvent):
            self._alias(event, line, depth, stack, top, skipping, is_key)
            return
        self._count(1, line)
        anchor = event.anchor
        if anchor is not None and (anchor in self.anchors or anchor in self.open_anchors):
            first = self.anchors[anchor].line if anchor in self.anchors else "?"
            self._reject(
                f"found duplicate anchor {anchor!r} (first on line {first})",
                line,
                "give every anchor its own name",
                "is not valid YAML",
            )
        if isinstance(event, yaml.ScalarEvent):
            value, ok = self._scalar(event, line, top, skipping, is_key)
            if anchor is not None:
                self.anchors[anchor] = _Anchor(value, 1, 0, line)
            if top is not None:
                top.deepest = max(top.deepest, depth)
            self._emit(value if ok else _SKIP, line, top, is_key, event)
            return
        # a mapping or a sequence starts
        tag = event.tag
        kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
        if tag is None or tag == "!":
            tag = self.resolver.resolve(kind, None, event.implicit)  # type: ignore[no-untyped-call]
        path = self._child_path(top)
        bad = False
        if not skipping and is_key:
            self._problem(
                "a mapping key must be a plain value, not a list or mapping",
                line,
                top.path if top else (),
                "use a plain word as the key",
            )
            bad = True
        elif not skipping and tag not in _CORE_TAGS:
            self._tag_problem(tag, line, path)
            bad = True
        container: dict[Any, Any] | list[Any] = {} if kind is yaml.MappingNode else []
        trie = None if skipping or bad else _Trie(line)
        if trie is not None:
            if top is None:
                self.root_trie = trie
            elif top.trie is not None:
                # a mapping value keeps the line of its key, as every other value does
                key_line = top.trie.children.get(path[-1])
                if isinstance(key_line, int):
                    trie.line = key_line
                top.trie.children[path[-1]] = trie
        if anchor is not None:
            self.open_anchors.add(anchor)
        stack.append(_Frame(container, trie, path, depth, anchor, self.count, depth, line))

    def _close(self, frame: _Frame, stack: list[_Frame]) -> None:
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = _Anchor(
                frame.value,
                self.count - frame.count_at_start + 1,
                frame.deepest - frame.depth,
                frame.line,
            )
        top = stack[-1] if stack else None
        if top is not None:
            top.deepest = max(top.deepest, frame.deepest)
        if top is None:
            self.root = frame.value
            return
        if top.trie is None:
            return
        if isinstance(top.value, dict) and top.key_state == 0:
            # a collection used as a key (reported when it started): drop its value too
            top.key_state = 2
            top.key = _SKIP
            return
        self._emit(frame.value if frame.trie is not None else _SKIP, frame.line, top, False, None)

    def _alias(
        self,
        event: Any,
        line: int,
        depth: int,
        stack: list[_Frame],
        top: _Frame | None,
        skipping: bool,
        is_key: bool,
    ) -> None:
        name = event.anchor
        if name in self.open_anchors:
            self._reject(
                "an alias refers to a value that contains it (a recursive alias)",
                line,
                "remove the recursive alias",
            )
        anchor = self.anchors.get(name)
        if anchor is None:
            self._reject(
                f"found undefined alias {name!r}",
                line,
                "define the anchor (&name) before the alias (*name)",
                "is not valid YAML",
            )
            return
        self.aliased = True
        self._count(anchor.size, line)
        if depth + anchor.height > self.limits.max_depth:
            self._reject(
                f"nesting deeper than {self.limits.max_depth} levels after expanding aliases",
                line,
                "flatten the document",
            )
        if top is not None:
            top.deepest = max(top.deepest, depth + anchor.height)
        value = anchor.value
        if is_key and isinstance(value, (dict, list)) and not skipping and top is not None:
            self._problem(
                "a mapping key must be a plain value, not a list or mapping",
                line,
                top.path,
                "use a plain word as the key",
            )
            value = _SKIP
        self._emit(value, line, top, is_key, None)

    def _count(self, size: int, line: int) -> None:
        self.count += size
        if self.count > self.limits.max_nodes:
            if self.aliased:
                self._reject(
                    f"more than {self.limits.max_nodes} values after expanding aliases",
                    line,
                    "remove the exponential aliases (a 'billion laughs' document?)",
                )
            self._reject(
                f"more than {self.limits.max_nodes} values",
                line,
                "split the document, or pass a larger YamlLimits(max_nodes=...)",
            )

    @staticmethod
    def _child_path(top: _Frame | None) -> KeyPath:
        if top is None:
            return ()
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key_state == 0:
            return (*top.path, "\x00key")
        return (*top.path, top.key)

    def _tag_problem(self, tag: str, line: int, path: KeyPath) -> None:
        self._problem(
            f"tag {tag!r} is not allowed",
            line,
            path,
            "remove the tag; only plain YAML values are accepted",
        )

    def _scalar(
        self, event: Any, line: int, top: _Frame | None, skipping: bool, is_key: bool
    ) -> tuple[Any, bool]:
        """The value of a scalar and whether it is usable."""
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
        if skipping:
            return None, False
        path = self._child_path(top)
        if is_key and tag == _MERGE_TAG:
            assert top is not None
            self._problem(
                "merge keys ('<<') are not supported",
                line,
                top.path,
                "write the keys out in full",
            )
            return None, False
        if tag not in _CORE_TAGS:
            self._tag_problem(tag, line, path if not is_key else top.path if top else ())
            return None, False
        if tag == "tag:yaml.org,2002:timestamp":
            # Dates are kept as written: a version "2024-01-01" must stay a string.
            return str(event.value), True
        if is_key and tag == "tag:yaml.org,2002:bool" and not event.style:
            # YAML 1.1 reads a bare key "no", "on", "yes" or "off" as a boolean; every key in
            # renoscore's documents is an id, so keep the word as written.
            return str(event.value), True
        if tag == "tag:yaml.org,2002:str":
            return event.value, True
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            # The core scalar constructors directly: construct_object would remember every node.
            return self.constructor.yaml_constructors[tag](self.constructor, node), True
        except (yaml.YAMLError, ValueError, OverflowError, LookupError) as exc:
            # e.g. an explicit "!!int abc" or "!!float x" that its core tag cannot read, or an
            # empty "!!int" / "!!bool" (PyYAML's constructors index the text: IndexError,
            # KeyError)
            where = path if not is_key else top.path if top else ()
            if not event.value:
                self._problem(
                    f"an empty value tagged !!{tag.rsplit(':', 1)[-1]}",
                    line,
                    where,
                    "write the value after the tag, or remove the tag",
                )
                return None, False
            if "integer string conversion" in str(exc):
                digits = len(event.value.lstrip("+-"))
                self._problem(
                    f"a whole number of {digits:,} digits is longer than can be read "
                    "(4,300 digits at most; numbers here lie within ±1e300)",
                    line,
                    where,
                    "correct the number, or write it in scientific notation (e.g. 1e300)",
                )
                return None, False
            self._problem(
                f"cannot read the value: {exc}",
                line,
                where,
                "remove the explicit tag or fix the value",
            )
            return None, False

    def _emit(self, value: Any, line: int, top: _Frame | None, is_key: bool, event: Any) -> None:
        """Put a finished value into the open collection (or make it the document)."""
        if top is None:
            if value is not _SKIP:
                self.root = value
            if self.root_trie is None:
                self.root_trie = _Trie(line)
            return
        if top.trie is None:
            return
        if isinstance(top.value, list):
            index = len(top.value)
            top.value.append(None if value is _SKIP else value)
            top.trie.children.setdefault(index, line)
            return
        if is_key:
            self._key(value, line, top, event)
            return
        if top.key_state == 1:
            top.value[top.key] = None if value is _SKIP else value
            if top.key not in top.trie.children:
                top.trie.children[top.key] = line
        top.key_state = 0
        top.key = None

    def _key(self, key: Any, line: int, top: _Frame, event: Any) -> None:
        assert isinstance(top.value, dict)
        assert top.trie is not None
        top.key_state = 2
        top.key = _SKIP
        if key is _SKIP:
            return
        if key is None:
            self._problem(
                "a mapping key must not be empty (null)",
                line,
                top.path,
                "give the key a name",
            )
            return
        try:
            seen = key in top.value
        except TypeError:  # an unhashable key (a timestamp kept as text never is)
            seen = False
        if seen:
            first = top.trie.children.get(key)
            first_line = first.line if isinstance(first, _Trie) else first
            self._problem(
                f"duplicate key {key!r} (first on line {first_line if first_line else '?'})",
                line,
                (*top.path, key),
                "remove or rename one of the two; YAML keeps only one value",
            )
            return
        top.key_state = 1
        top.key = key
        top.trie.children[key] = line


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str | None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    reason = ": ".join(str(p) for p in (exc.context, exc.problem) if p)
    return Problem(reason or "syntax error", file=file, line=line, fix="fix the YAML syntax")


def _reader_problem(exc: Any, text: str, file: str | None) -> Problem:
    position = getattr(exc, "position", None)
    line = None
    if isinstance(position, int) and position >= 0:
        # libyaml reports a byte offset, the pure-Python reader a character offset
        prefix = text.encode("utf-8")[:position].decode("utf-8", "ignore")
        line = prefix.count("\n") + 1 if yaml.__with_libyaml__ else text[:position].count("\n") + 1
    character = getattr(exc, "character", None)
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return Problem(
        f"character {shown} is not allowed in YAML ({getattr(exc, 'reason', exc)})",
        file=file,
        line=line,
        fix="remove the control character (or write it as an escape in a quoted string)",
    )


def _python_parse_error(text: str) -> yaml.YAMLError | None:
    """The error the pure-Python parser reports for ``text`` (its messages are clearer)."""
    loader = yaml.SafeLoader(text)
    try:
        while loader.get_event() is not None:  # type: ignore[no-untyped-call]
            pass
    except yaml.YAMLError as exc:
        return exc
    finally:
        loader.dispose()
    return None


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
        The data and the line of every key path.

    Raises
    ------
    RenoscoreError
        Of class ``error``, on a syntax error, a duplicate key, a non-core tag, a control
        character, or input beyond the limits; the problem names the file and line.

    Examples
    --------
    >>> from renoscore.errors import IndicatorSystemError
    >>> doc = read_yaml("a: 1\\nb:\\n  - x\\n", IndicatorSystemError, "example")
    >>> doc.data, doc.lines[("b", 0)]
    ({'a': 1, 'b': ['x']}, 3)
    """
    limits = limits or YamlLimits()
    text, file = read_text(source, error, what, limits)
    reader = _Reader(text, file, error, what, limits)
    try:
        doc = reader.read()
    except _RejectedError as exc:
        raise error(exc.summary, [exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):
            # libyaml's own bound (1000 levels) was reached while it read ahead of our check
            mark = exc.problem_mark or exc.context_mark
            raise error(
                f"{what} rejected",
                [
                    Problem(
                        f"nesting deeper than {limits.max_depth} levels",
                        file=file,
                        line=mark.line + 1 if mark is not None else None,
                        fix="flatten the document, or pass a larger YamlLimits(max_depth=...)",
                    )
                ],
            ) from None
        found: yaml.YAMLError = exc
        if yaml.__with_libyaml__ and len(text) <= _REPARSE_BYTES:
            found = _python_parse_error(text) or exc
        if isinstance(found, yaml.MarkedYAMLError):
            problem = _syntax_problem(found, file)
        else:
            problem = _reader_problem(found, text, file)
        raise error(f"{what} is not valid YAML", [problem]) from None
    except yaml.reader.ReaderError as exc:
        raise error(f"{what} is not valid YAML", [_reader_problem(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise error(f"{what} is not valid YAML", [Problem(str(exc), file=file)]) from None
    if reader.problems:
        raise error(f"{what} has invalid YAML structure", reader.problems)
    return doc


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
