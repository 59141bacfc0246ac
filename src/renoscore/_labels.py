"""Row labels: community ids and phases kept as numpy arrays and small codes, tuples on demand;
the key under which ids are matched.

A million rows of ids cost more to turn into a tuple of Python strings than scoring the rows
does. :class:`RowLabels` is a dataclass field that stores what the loaders hand over (a
read-only numpy array of ids, or :class:`PhaseCodes`: integer codes into the distinct phases)
and builds the tuple only when it is read; :func:`label_array`, :func:`label_codes` and
:func:`label_count` give the array, the codes and the length without building it. Community
data and results label their rows this way.

Ids are kept as written, but matched by :func:`id_key`: NFKC (full-width ``ＸＡ０２`` is
``XA02``), without invisible characters (zero-width spaces and joiners, bidirectional marks,
a byte-order mark), trimmed and case-folded. :func:`id_keys` gives the keys of many ids at
once, and tells in one vectorised pass when no two ids of a table can share a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "INVISIBLE",
    "PhaseCodes",
    "RowLabels",
    "first_appearance",
    "id_key",
    "id_keys",
    "label_array",
    "label_codes",
    "label_count",
]

_T = TypeVar("_T")


@dataclass(frozen=True, eq=False)
class PhaseCodes:
    """Phases of many rows as small integer codes into the distinct phases.

    Attributes
    ----------
    codes : ndarray of intp, shape (N,)
        Index of each row's phase in ``labels``.
    labels : tuple of (str or None)
        The distinct phases, in order of first appearance (None: the table has no phase).
    """

    codes: NDArray[np.intp]
    labels: tuple[str | None, ...]

    def __post_init__(self) -> None:
        self.codes.setflags(write=False)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def take(self, rows: NDArray[np.intp]) -> PhaseCodes:
        """The codes of some rows, with the labels pruned to the phases still present."""
        return first_appearance(self.codes[rows], self.labels)

    def as_tuple(self) -> tuple[str | None, ...]:
        """One label per row."""
        table = np.empty(len(self.labels), dtype=object)
        table[:] = list(self.labels)
        return tuple(table[self.codes].tolist())


def first_appearance(codes: NDArray[np.intp], labels: Sequence[str | None]) -> PhaseCodes:
    """Renumber codes so that labels come in order of first appearance; drop absent labels.

    Examples
    --------
    >>> pc = first_appearance(np.array([2, 0, 2]), ["t0", "t1", "t2"])
    >>> pc.codes.tolist(), pc.labels, pc.as_tuple()
    ([0, 1, 0], ('t2', 't0'), ('t2', 't0', 't2'))
    """
    n = codes.shape[0]
    first = np.full(len(labels), n, dtype=np.intp)
    if len(labels) <= 8:
        for k in range(len(labels)):
            at = int((codes == k).argmax()) if n else 0
            if n and codes[at] == k:
                first[k] = at
    else:
        np.minimum.at(first, codes, np.arange(n, dtype=np.intp))
    present = np.flatnonzero(first < n)
    order = present[np.argsort(first[present], kind="stable")]
    if order.size == len(labels) and bool((order == np.arange(order.size)).all()):
        return PhaseCodes(np.asarray(codes, dtype=np.intp), tuple(labels))
    remap = np.full(len(labels), -1, dtype=np.intp)
    remap[order] = np.arange(order.size, dtype=np.intp)
    return PhaseCodes(remap[codes], tuple(labels[int(k)] for k in order))


def _codes_of(labels: Sequence[str | None]) -> PhaseCodes:
    index: dict[str | None, int] = {}
    codes = np.fromiter(
        (index.setdefault(p, len(index)) for p in labels), dtype=np.intp, count=len(labels)
    )
    return PhaseCodes(codes, tuple(index))


class RowLabels(Generic[_T]):
    """A tuple-valued field of a frozen dataclass that may be stored as a numpy array.

    Community ids and phases of a million rows cost more to turn into tuples of Python
    strings than scoring the rows does, so the loaders hand over a read-only numpy array of
    ids and :class:`PhaseCodes` of phases. Reading the attribute returns a tuple, built on
    first read and kept; :func:`label_array` and :func:`label_codes` give the arrays without
    building it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_store"
        self._tuple = f"_{name}_tuple"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> RowLabels[_T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> tuple[_T, ...]: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            # No class-level default: the dataclass field stays required.
            raise AttributeError(self._slot)
        cache = obj.__dict__
        if self._tuple not in cache:
            store = cache[self._slot]
            if isinstance(store, PhaseCodes):
                cache[self._tuple] = store.as_tuple()
            elif isinstance(store, np.ndarray):
                cache[self._tuple] = tuple(store.tolist())
            else:
                cache[self._tuple] = store
        return cache[self._tuple]

    def __set__(self, obj: object, value: Sequence[_T] | NDArray[Any] | PhaseCodes) -> None:
        if isinstance(value, np.ndarray):
            value = value.view()
            value.setflags(write=False)
        elif not isinstance(value, PhaseCodes):
            value = tuple(value)
        obj.__dict__[self._slot] = value
        obj.__dict__.pop(self._tuple, None)

    def store(self, obj: object) -> tuple[Any, ...] | NDArray[Any] | PhaseCodes:
        """What was assigned (a tuple, an array or :class:`PhaseCodes`)."""
        value: tuple[Any, ...] | NDArray[Any] | PhaseCodes = obj.__dict__[self._slot]
        return value


def _descriptor(owner: type, name: str) -> RowLabels[Any]:
    for klass in owner.__mro__:
        if name in klass.__dict__ and isinstance(klass.__dict__[name], RowLabels):
            return klass.__dict__[name]  # type: ignore[no-any-return]
    raise AttributeError(name)


def label_count(obj: object, name: str) -> int:
    """Number of labels in a :class:`RowLabels` field, without building the tuple."""
    return len(_descriptor(type(obj), name).store(obj))


def label_array(obj: object, name: str) -> NDArray[Any]:
    """A :class:`RowLabels` field as a read-only numpy array (str, or object with None)."""
    store = _descriptor(type(obj), name).store(obj)
    if isinstance(store, np.ndarray):
        return store
    key = f"_{name}_array"
    if key not in obj.__dict__:
        if isinstance(store, PhaseCodes):
            table = np.empty(len(store.labels), dtype=object)
            table[:] = list(store.labels)
            arr = table[store.codes]
        elif all(type(x) is str for x in store):
            arr = np.array(store, dtype=str) if store else np.array([], dtype=str)
        else:
            arr = np.empty(len(store), dtype=object)
            arr[:] = list(store)
        arr.setflags(write=False)
        obj.__dict__[key] = arr
    cached: NDArray[Any] = obj.__dict__[key]
    return cached


def label_codes(obj: object, name: str) -> PhaseCodes:
    """A :class:`RowLabels` field as codes into its distinct labels (first appearance order)."""
    store = _descriptor(type(obj), name).store(obj)
    if isinstance(store, PhaseCodes):
        return store
    key = f"_{name}_codes"
    if key not in obj.__dict__:
        labels = store.tolist() if isinstance(store, np.ndarray) else store
        obj.__dict__[key] = _codes_of(labels)
    cached: PhaseCodes = obj.__dict__[key]
    return cached


# --------------------------------------------------------------------------- matching ids
#: Characters that show nothing: soft hyphen, Mongolian vowel separator, zero-width space,
#: non-joiner and joiner, bidirectional marks, embeddings and isolates, word joiner and the
#: invisible operators, and the byte-order mark (zero-width no-break space).
INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")


def id_key(text: str) -> str:
    """The form of an id that matching compares: NFKC, without invisible characters, trimmed,
    case-folded.

    Examples
    --------
    >>> id_key("XA０2"), id_key("\\ufeffxa02"), id_key(" X\\u200bA02 ")
    ('xa02', 'xa02', 'xa02')
    >>> id_key("老城１号")
    '老城1号'
    """
    return unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text)).strip().casefold()


def id_keys(ids: NDArray[Any], *, lazy: bool = False) -> NDArray[np.str_]:
    """The :func:`id_key` of every id (with ``lazy``: ``ids`` itself when no two can share one).

    ASCII ids (and the CJK ideographs and Hangul syllables in them, which no key changes) are
    keyed in one pass over their code points (lower case); only ids with other characters
    are keyed one by one. With ``lazy``, a table whose ids are all ASCII and all
    upper case (or all lower case), which cannot hold two ids that differ only by case, is
    returned as it is: what a check for look-alikes needs, not what a lookup needs.

    Examples
    --------
    >>> keys = id_keys(np.array(["XA02", "xa03", "XA０2"]))
    >>> keys.tolist()
    ['xa02', 'xa03', 'xa02']
    >>> ids = np.array(["JS01", "JS02"])
    >>> id_keys(ids, lazy=True) is ids, id_keys(ids).tolist()
    (True, ['js01', 'js02'])
    """
    text = np.asarray(ids, dtype=str)
    n = text.shape[0]
    width = text.dtype.itemsize // 4
    if n == 0 or width == 0:
        return text
    points = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    upper = (points >= 65) & (points <= 90)
    # Code points a key may change: beyond ASCII, but not the CJK ideographs and Hangul
    # syllables (no case, no compatibility form, not invisible), so that a table of Chinese
    # ids is keyed without a Python call per row.
    other = (points >= 128) & ~(
        ((points >= 0x3400) & (points <= 0x4DBF))
        | ((points >= 0x4E00) & (points <= 0x9FFF))
        | ((points >= 0xAC00) & (points <= 0xD7A3))
    )
    if lazy and not other.any():
        lower = (points >= 97) & (points <= 122)
        if not (upper.any() and lower.any()):
            return text  # one case only: every id is its own key, as far as matching goes
    keys = np.where(upper, points + 32, points).astype(np.uint32).view(text.dtype).reshape(n)
    rows = np.flatnonzero(other.any(axis=1))
    if rows.size:
        cache: dict[str, str] = {}
        keyed = [cache.get(t) or cache.setdefault(t, id_key(t)) for t in text[rows].tolist()]
        keys = keys.astype(np.result_type(keys.dtype, np.array(keyed, dtype=str).dtype))
        keys[rows] = keyed
    return keys
