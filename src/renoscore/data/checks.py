"""Checks of a community table: its columns, its row keys and its values against the system.

Each check adds located problems to one :class:`~renoscore._tables.Problems` list, so that a
load reports everything wrong at once (columns are checked by :mod:`renoscore.data.columns`):

* keys: community ids that are not text or numbers, empty ids, empty or unknown phases,
  repeated ``(id, phase)`` rows (found by hashing, so a million rows take milliseconds) and
  look-alike ids: two ids that differ only by case, width, invisible characters or a
  byte-order mark (``XA02`` and ``XA０2``), which would be two communities to the eye of no one;
* values: one blocked pass over the ``(N, M)`` matrix marks the missing cells and flags the
  columns with a value outside its range, an infinity or a fraction in an integer indicator;
  only flagged columns are then read cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus, is_blank
from renoscore._format import plain_number
from renoscore._labels import PhaseCodes, first_appearance, id_keys
from renoscore._tables import Problems
from renoscore._validation import MAX_MAGNITUDE, short_repr, suggest
from renoscore.errors import Problem
from renoscore.system import INTEGER_KINDS, IndicatorKind, IndicatorSystem

__all__ = [
    "Locator",
    "cell_problems",
    "check_keys",
    "id_type_problems",
    "lookalike_problems",
    "lookalike_rows",
    "mark_not_measured",
    "phase_matches",
    "repeated_rows",
    "scan",
    "text_hash",
]

#: The location fields of a :class:`~renoscore.errors.Problem` for a 0-based row.
Locator = Callable[[int], dict[str, Any]]


# --------------------------------------------------------------------------- keys
#: Types a community id may have (text or a number); anything else is an error.
_ID_TYPES = (str, int, float, np.integer, np.floating, np.str_, bytes)


def id_type_problems(cells: NDArray[Any], column: str, where: Locator) -> list[Problem]:
    """Ids that are lists, mappings or other objects, or bytes that are not UTF-8."""
    if cells.dtype.kind != "O":
        return []
    items = cells.tolist()
    if set(map(type, items)) <= {str, int, float, type(None)}:
        return []
    problems: list[Problem] = Problems()
    for r, cell in enumerate(items):
        if is_blank(cell):
            continue
        if isinstance(cell, bytes):
            try:
                cell.decode("utf-8")
                continue
            except UnicodeDecodeError:
                reason = "a community id in bytes that are not UTF-8"
        elif isinstance(cell, _ID_TYPES) and not isinstance(cell, bool):
            continue
        else:
            reason = f"a community id must be text or a number, not {type(cell).__name__}"
        problems.append(
            Problem(
                reason,
                column=column,
                value=short_repr(cell, 40),
                fix="give every row a plain id (text such as 'JS01' or a number)",
                **where(r),
            )
        )
    return problems


def phase_matches(
    system: IndicatorSystem, phase_text: NDArray[np.str_]
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """For each phase cell the position of its declared phase, and whether it is one."""
    raw = np.zeros(phase_text.shape[0], dtype=np.intp)
    known = np.zeros(phase_text.shape[0], dtype=bool)
    for k, p in enumerate(system.phase_ids):
        hit = phase_text == p
        raw[hit] = k
        known |= hit
    return raw, known


def check_keys(
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    phase_text: NDArray[np.str_] | None,
    id_column: str,
    phase_column: str | None,
    where: Locator,
    problems: Problems,
    matched: tuple[NDArray[np.intp], NDArray[np.bool_]] | None = None,
) -> PhaseCodes:
    """Problems of empty ids, empty or unknown phases and repeated (id, phase); phase codes.

    ``matched`` is :func:`phase_matches` of ``phase_text`` when the caller has it already.
    """
    n = ids_text.shape[0]
    empty_id = ids_text == ""
    empty_rows = np.flatnonzero(empty_id)
    problems.skip(max(0, empty_rows.size - problems.room))
    for r in empty_rows[: problems.room].tolist():
        problems.append(
            Problem("empty community id", column=id_column, fix="give every row an id", **where(r))
        )
    if phase_text is None:
        codes = PhaseCodes(np.zeros(n, dtype=np.intp), (None,))
    else:
        declared = list(system.phase_ids)
        named = ", ".join(f"{p.id} ({p.name.zh})" for p in system.phases)
        raw, known = matched if matched is not None else phase_matches(system, phase_text)
        raw = raw.copy()
        labels: list[str | None] = list(declared)
        if not known.all():
            rows = np.flatnonzero(~known)
            others, inverse = np.unique(phase_text[rows], return_inverse=True)
            raw[rows] = len(declared) + inverse.reshape(-1)
            labels += [str(x) for x in others.tolist()]
            # One did-you-mean per distinct phase, not per row.
            fixes = {
                p: f"use one of {named}"
                if p == ""
                else suggest(p, declared) or f"use one of {named}"
                for p in (str(x) for x in others[: problems.room + 1].tolist())
            }
            problems.skip(max(0, rows.size - problems.room))
            for r in rows[: problems.room].tolist():
                p = str(phase_text[r])
                problems.append(
                    Problem(
                        "empty phase" if p == "" else f"unknown phase {short_repr(p)}",
                        column=phase_column,
                        community_id=str(ids_text[r]) or None,
                        fix=fixes.get(p) or f"use one of {named}",
                        **where(r),
                    )
                )
        codes = first_appearance(raw, labels)
    repeated = repeated_rows(ids_text, codes.codes if phase_text is not None else None, empty_id)
    problems.skip(max(0, len(repeated) - problems.room))
    for r, first in repeated[: problems.room]:
        cid = str(ids_text[r])
        phase = codes.labels[int(codes.codes[r])]
        phase_note = f" in phase {phase!r}" if phase is not None else ""
        problems.append(
            Problem(
                f"duplicate community id {cid!r}{phase_note} (first at row "
                f"{where(first).get('row', first + 1)})",
                column=id_column,
                community_id=cid,
                fix="give each community one row per phase",
                **where(r),
            )
        )
    problems.extend(lookalike_problems(ids_text, id_column, where, empty_id, problems.room))
    return codes


def lookalike_rows(
    ids_text: NDArray[Any], skip: NDArray[np.bool_] | None = None
) -> list[tuple[int, int]]:
    """``(row, first row)`` for every row whose id is written differently from an earlier
    row's id with the same :func:`~renoscore._labels.id_key` (case, width, invisible
    characters, a byte-order mark).

    Keys and ids are hashed; only rows whose key is shared by ids written differently are
    compared exactly. Rows where ``skip`` is True are left out.

    Examples
    --------
    >>> lookalike_rows(np.array(["XA02", "xa03", "XA０2", "XA03", "XA02"]))
    [(2, 0), (3, 1)]
    """
    text = np.asarray(ids_text, dtype=str)
    keys = id_keys(text, lazy=True)
    if keys is text or text.shape[0] < 2:
        return []
    rows = np.arange(text.shape[0]) if skip is None else np.flatnonzero(~skip)
    hk, ho = text_hash(keys[rows]), text_hash(text[rows])
    order = np.lexsort((ho, hk))
    shared = (hk[order][1:] == hk[order][:-1]) & (ho[order][1:] != ho[order][:-1])
    if not shared.any():
        return []
    candidates = rows[np.isin(hk, hk[order][1:][shared])]
    first: dict[str, int] = {}
    out: list[tuple[int, int]] = []
    for r in candidates.tolist():
        f = first.setdefault(str(keys[r]), r)
        if text[f] != text[r]:
            out.append((r, f))
    return out


def lookalike_problems(
    ids_text: NDArray[Any],
    id_column: str,
    where: Locator,
    skip: NDArray[np.bool_] | None = None,
    room: int = 10_000,
) -> list[Problem]:
    """A problem, naming both ids and rows, for every look-alike id (:func:`lookalike_rows`)."""
    out: list[Problem] = []
    for r, f in lookalike_rows(ids_text, skip)[:room]:
        cid, other = str(ids_text[r]), str(ids_text[f])
        out.append(
            Problem(
                f"community id {cid!r} differs from {other!r} (row {where(f).get('row', f + 1)}) "
                "only by case, width, invisible characters or a byte-order mark",
                column=id_column,
                community_id=cid,
                fix=f"write the same community as {other!r} in every row, or give the two "
                "communities ids that differ visibly",
                **where(r),
            )
        )
    return out


def text_hash(text: NDArray[Any]) -> NDArray[np.uint64]:
    """A 64-bit hash of each string (FNV-1a over pairs of code points, then a final mix).

    The hash depends on the array's string width: compare hashes of one array only.
    """
    if text.dtype.kind != "U":
        text = np.asarray(text, dtype=str)
    n = text.shape[0]
    width = text.dtype.itemsize // 4
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    if width == 0 or n == 0:
        return h
    # Two UCS-4 code points per 64-bit word: half the passes of one word per code point.
    words = (width + 1) // 2
    padded = np.zeros((n, 2 * words), dtype=np.uint32)
    padded[:, :width] = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    pairs = padded.view(np.uint64)
    prime = np.uint64(0x100000001B3)
    for k in range(words):
        np.bitwise_xor(h, pairs[:, k], out=h)
        np.multiply(h, prime, out=h)
    # Murmur3's finaliser spreads every input bit over the whole word.
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return h


def _shared_keys(key: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """True for every key that occurs more than once (exact on the 64-bit keys)."""
    n = key.shape[0]
    candidates = np.arange(n, dtype=np.intp)
    if n > 1 << 16:
        # Counting keys in a table of about 8n buckets (top bits) is cheaper than sorting all
        # n keys; only keys in a shared bucket (about an eighth) are sorted.
        bits = min(26, int(np.ceil(np.log2(n))) + 3)
        bucket = (key >> np.uint64(64 - bits)).astype(np.intp)
        counts = np.bincount(bucket, minlength=1 << bits)
        candidates = np.flatnonzero(counts[bucket] > 1)
    out = np.zeros(n, dtype=bool)
    if candidates.size < 2:
        return out
    sub = key[candidates]
    ordered = np.sort(sub)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size:
        out[candidates[np.isin(sub, repeated)]] = True
    return out


def repeated_rows(
    ids_text: NDArray[Any], phase_codes: NDArray[np.intp] | None, skip: NDArray[np.bool_] | None
) -> list[tuple[int, int]]:
    """``(row, first row)`` for every row whose (id, phase) is the same as an earlier row's.

    Rows where ``skip`` is True are left out. Tables are usually sorted by id, so a strictly
    increasing id within each phase settles it in one comparison; otherwise rows are hashed
    and only rows whose hash repeats are compared exactly.

    Examples
    --------
    >>> repeated_rows(np.array(["LY", "JS", "LY", "LY"]), None, None)
    [(2, 0), (3, 0)]
    >>> repeated_rows(np.array(["LY", "LY"]), np.array([0, 1]), None)  # two phases
    []
    """
    n = ids_text.shape[0]
    if n < 2:
        return []
    keep = np.ones(n, dtype=bool) if skip is None else ~skip
    if ids_text.dtype.kind == "U" and bool(keep.all()):
        groups: list[NDArray[Any]] = []
        if phase_codes is None or not phase_codes.any():
            groups = [ids_text]
        else:
            groups = [ids_text[phase_codes == k] for k in range(int(phase_codes.max()) + 1)]
        if all(g.shape[0] < 2 or bool((g[1:] > g[:-1]).all()) for g in groups):
            return []
    rows = np.flatnonzero(keep)
    key = text_hash(ids_text[rows])
    if phase_codes is not None:
        key ^= (phase_codes[rows].astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    shared = _shared_keys(key)
    if not shared.any():
        return []
    candidates = rows[shared]
    seen: dict[tuple[str, int], int] = {}
    out: list[tuple[int, int]] = []
    for r in candidates.tolist():
        k = (str(ids_text[r]), 0 if phase_codes is None else int(phase_codes[r]))
        if k in seen:
            out.append((r, seen[k]))
        else:
            seen[k] = r
    return out


# --------------------------------------------------------------------------- values
#: Cells per block of the validation scan (1 MiB of float64: stays in L2 while it is checked).
_SCAN_ELEMENTS = 1 << 17
#: Rows folded together when a C-order block is reduced per column (see :func:`_colrange`).
_FOLD = 32


def _colrange(
    block: NDArray[np.float64], lo: Any, hi: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-column minimum and maximum of a C-contiguous block (``lo``/``hi``: ufuncs).

    Reducing a C-order ``(b, M)`` block over axis 0 runs one short loop of length M per row;
    viewing ``_FOLD`` rows as one long row first makes the loops ``_FOLD`` times longer.
    """
    b, m = block.shape
    q = b - b % _FOLD
    parts: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    if q:
        folded = block[:q].reshape(-1, _FOLD * m)
        parts.append(
            (
                lo.reduce(lo.reduce(folded, axis=0).reshape(_FOLD, m), axis=0),
                hi.reduce(hi.reduce(folded, axis=0).reshape(_FOLD, m), axis=0),
            )
        )
    if q < b:
        parts.append((lo.reduce(block[q:], axis=0), hi.reduce(block[q:], axis=0)))
    mn, mx = parts[0]
    for a, c in parts[1:]:
        mn = lo(mn, a)
        mx = hi(mx, c)
    return mn, mx


def scan(
    values: NDArray[np.float64],
    status: NDArray[np.int8],
    system: IndicatorSystem,
    sources: Sequence[NDArray[Any] | None] | None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """One blocked pass over the values: NaN cells marked missing, columns to check flagged.

    ``values`` and ``status`` (zeros) share a memory order. When ``sources`` is given, each
    block of ``values`` is first filled from those columns (None: a column of NaN). Returns
    ``has_nan`` (columns with a NaN) and ``suspect`` (columns with a value outside its
    range, an infinity, or a fraction in an integer indicator), which the caller checks
    cell by cell. Blocks stay in cache, so the values are read from memory once.
    """
    n, m = values.shape
    lo, hi = system.range_arrays()
    # An infinity, or a value beyond ±MAX_MAGNITUDE, is outside every range, open ones too.
    lo_b = np.maximum(lo, -MAX_MAGNITUDE)
    hi_b = np.minimum(hi, MAX_MAGNITUDE)
    integer = np.array([ind.kind in INTEGER_KINDS for ind in system.indicators], dtype=bool)
    int_cols = np.flatnonzero(integer)
    has_nan = np.zeros(m, dtype=bool)
    suspect = np.zeros(m, dtype=bool)
    flags = status.view(np.bool_)  # True written here is the byte 1, CellStatus.MISSING
    fortran = values.flags.f_contiguous and not values.flags.c_contiguous
    step = max(_FOLD, _SCAN_ELEMENTS // max(1, m) // _FOLD * _FOLD)
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        block = values[rows]
        if sources is not None:
            for j, src in enumerate(sources):
                block[:, j] = np.nan if src is None else src[rows]
        if fortran:
            mn = np.minimum.reduce(block, axis=0)
            mx = np.maximum.reduce(block, axis=0)
        else:
            mn, mx = _colrange(block, np.minimum, np.maximum)
        nan = np.isnan(mn)
        if nan.any():
            has_nan |= nan
            if fortran:
                for j in np.flatnonzero(nan).tolist():
                    np.isnan(block[:, j], out=flags[rows, j])
                sub = block[:, nan]
                mn[nan] = np.fmin.reduce(sub, axis=0)
                mx[nan] = np.fmax.reduce(sub, axis=0)
            else:
                np.isnan(block, out=flags[rows])
                mn, mx = _colrange(block, np.fmin, np.fmax)
        with np.errstate(invalid="ignore"):
            suspect |= (mn < lo_b) | (mx > hi_b)
        if int_cols.size:
            if fortran:
                for j in int_cols.tolist():
                    col = block[:, j]
                    whole = np.rint(col) == col
                    if nan[j]:
                        whole |= flags[rows, j]
                    if not whole.all():
                        suspect[j] = True
            else:
                flat = block.reshape(-1)
                whole = np.rint(flat) == flat
                if nan.any():
                    whole |= flags[rows].reshape(-1)
                b = block.shape[0]
                q = b - b % _FOLD
                ok = np.ones(m, dtype=bool)
                if q:
                    ok &= np.logical_and.reduce(
                        np.logical_and.reduce(
                            whole[: q * m].reshape(-1, _FOLD * m), axis=0
                        ).reshape(_FOLD, m),
                        axis=0,
                    )
                if q < b:
                    ok &= np.logical_and.reduce(whole[q * m :].reshape(-1, m), axis=0)
                suspect |= integer & ~ok
    return has_nan, suspect


def cell_problems(
    values: NDArray[np.float64],
    suspect: NDArray[np.bool_],
    system: IndicatorSystem,
    ids_text: NDArray[np.str_],
    where: Locator,
    text_columns: set[int],
    problems: Problems,
    headers: Mapping[int, str] | None = None,
) -> None:
    """Every infinite, out-of-range or fractional cell of the flagged columns, into ``problems``.

    ``headers`` names each indicator's column as the table heads it (default: the id); the
    reason of a derived indicator names its formula. Once ``problems`` is full the remaining
    cells are only counted.
    """
    lo, hi = system.range_arrays()

    def report(
        column: str, col: NDArray[np.float64], mask: NDArray[np.bool_], reason: str, fix: str
    ) -> None:
        problems.add_cells(mask, col, where, ids_text, column=column, reason=reason, fix=fix)

    for j in np.flatnonzero(suspect).tolist():
        ind = system.indicators[j]
        column = (headers or {}).get(j, ind.id)
        how = f" (computed as {ind.formula})" if ind.formula and column == ind.id else ""
        col = np.array(values[:, j])
        if j not in text_columns:  # text columns reported their unreadable cells already
            report(column, col, np.isinf(col), "infinite value", "give a finite number")
        ok = np.isfinite(col)
        out = ok & ((col < lo[j]) | (col > hi[j]))
        huge = ok & ~out & (np.abs(col) > MAX_MAGNITUDE)
        report(
            column,
            col,
            huge,
            f"value beyond ±1e300 in {ind.id}: numbers this large are not measurements",
            "check the value, or express the indicator in a larger unit",
        )
        out |= huge
        report(
            column,
            col,
            out & ~huge,
            f"value outside the range [{plain_number(ind.range.min)}, {plain_number(ind.range.max)}] "
            f"of {ind.id} ({ind.kind.value}){how}",
            "correct the value, or widen the range in the system if it is genuinely possible",
        )
        if ind.kind in INTEGER_KINDS:
            report(
                column,
                col,
                ok & ~out & (col != np.round(col)),
                f"{ind.kind.value} indicator needs a whole number",
                f"use one of the levels {sorted(ind.levels)}"
                if ind.kind is IndicatorKind.ORDINAL and ind.levels
                else "use a whole number"
                if ind.kind is IndicatorKind.ORDINAL
                else "use 0 or 1",
            )


def mark_not_measured(
    status: NDArray[np.int8],
    has_nan: NDArray[np.bool_],
    system: IndicatorSystem,
    codes: PhaseCodes | None,
) -> None:
    """An empty cell of an indicator not measured in the row's phase is not applicable."""
    if codes is None:
        return
    for j, ind in enumerate(system.indicators):
        if ind.phases is None or not has_nan[j]:
            continue
        measured = np.array([p in ind.phases for p in codes.labels], dtype=bool)
        if measured.all():
            continue
        rows = ~measured[codes.codes]
        col = status[:, j]
        col[rows & (col == CellStatus.MISSING)] = CellStatus.NOT_APPLICABLE
