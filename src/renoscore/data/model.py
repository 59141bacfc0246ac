"""Community data as loaded: the validated ``(N, M)`` table and its cell statuses.

:class:`CommunityData` holds the community ids, their phases, the context columns, the
float64 matrix of indicator values in the system's indicator order and a
:class:`CellStatus` per cell; :func:`data_digest` identifies such a table in a result's
provenance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus
from renoscore._labels import PhaseCodes, RowLabels, label_array, label_codes, label_count
from renoscore._validation import suggest
from renoscore.data.checks import repeated_rows
from renoscore.errors import DataValidationError, Problem

__all__ = ["CellStatus", "CommunityData", "data_digest"]


@dataclass(frozen=True, eq=False)
class CommunityData:
    """Validated community data in the system's indicator order.

    Attributes
    ----------
    system_id, system_version : str
        The indicator system the data were validated against.
    indicator_ids : tuple of str
        Column order of ``values`` and ``status`` (the system's indicator order).
    ids : tuple of str
        Community id of each row. The loaders keep the ids as a numpy array and build this
        tuple on first read; :attr:`id_array` gives the array.
    phases : tuple of (str or None)
        Phase of each row (None when the table has no phase column); built on first read,
        :attr:`phase_codes` gives the phases as integer codes.
    values : ndarray, shape (N, M)
        Indicator values; NaN wherever ``status`` is not OK. Read-only. Its memory order is
        whatever was cheapest to build (column-major from a table of columns; a view of the
        caller's array when :func:`load_data` is given an ``(N, M)`` array).
    status : ndarray of int8, shape (N, M)
        :class:`CellStatus` codes. Read-only.
    context : dict
        Columns kept but not scored (district, build year, ...), as tuples of their cells.
    source : str or None
        Where the data came from.
    notices : tuple of str
        What the load did without failing (rows skipped, the header found, units converted);
        each was also issued as a :class:`~renoscore.errors.DataNotice` warning.
    derived : dict
        The derived indicators computed from raw fields: id -> formula.
    columns : dict
        The headers read as something else: header as written -> indicator, raw field or
        context id (``community_id``, ``phase`` for the key columns).

    Examples
    --------
    >>> import renoscore as rs
    >>> data = rs.example_data()
    >>> data.values.shape[1] == len(rs.default_system().indicators)
    True
    """

    system_id: str
    system_version: str
    indicator_ids: tuple[str, ...]
    # RowLabels is a descriptor (one per field), not a default shared by instances.
    ids: RowLabels[str] = RowLabels()  # noqa: RUF009
    phases: RowLabels[str | None] = RowLabels()  # noqa: RUF009
    # RowLabels raises on class access, so ids and phases have no default at run time.
    values: NDArray[np.float64]  # type: ignore[misc]
    status: NDArray[np.int8]  # type: ignore[misc]
    context: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    source: str | None = None
    notices: tuple[str, ...] = ()
    derived: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, m = self.values.shape
        if (
            self.status.shape != (n, m)
            or label_count(self, "ids") != n
            or label_count(self, "phases") != n
        ):
            raise DataValidationError("CommunityData arrays do not agree in shape")
        if len(self.indicator_ids) != m:
            raise DataValidationError("CommunityData has a column count unlike its indicator ids")
        self.values.setflags(write=False)
        self.status.setflags(write=False)

    @property
    def n(self) -> int:
        """Number of rows (community x phase)."""
        return int(self.values.shape[0])

    @property
    def m(self) -> int:
        """Number of indicators."""
        return len(self.indicator_ids)

    @property
    def id_array(self) -> NDArray[Any]:
        """The community ids as a read-only numpy array (no tuple of strings is built)."""
        return label_array(self, "ids")

    @property
    def phase_codes(self) -> PhaseCodes:
        """The phases as integer codes into the distinct phases (first appearance order)."""
        return label_codes(self, "phases")

    @property
    def keys(self) -> tuple[tuple[str, str | None], ...]:
        """``(community id, phase)`` of every row."""
        return tuple(zip(self.ids, self.phases, strict=True))

    def phase_ids(self) -> tuple[str | None, ...]:
        """The distinct phases present, in order of first appearance."""
        return self.phase_codes.labels

    def select(self, phase: str | None = None, ids: Iterable[str] | None = None) -> CommunityData:
        """A subset of the rows: one phase and/or some community ids (order kept)."""
        mask = np.ones(self.n, dtype=bool)
        if phase is not None:
            pc = self.phase_codes
            k = pc.labels.index(phase) if phase in pc.labels else -1
            mask &= pc.codes == k
        if ids is not None:
            wanted = [str(i) for i in ids]
            mask &= np.isin(self.id_array, np.array(wanted, dtype=str))
        return self.take(np.flatnonzero(mask))

    def take(self, rows: NDArray[np.intp] | Sequence[int]) -> CommunityData:
        """The rows at the given positions, in that order."""
        index = np.asarray(rows, dtype=np.intp)
        return CommunityData(
            system_id=self.system_id,
            system_version=self.system_version,
            indicator_ids=self.indicator_ids,
            ids=self.id_array[index],
            phases=self.phase_codes.take(index),
            values=self.values[index].copy(),
            status=self.status[index].copy(),
            context={k: tuple(v[i] for i in index) for k, v in self.context.items()},
            source=self.source,
            notices=self.notices,
            derived=dict(self.derived),
            columns=dict(self.columns),
        )

    def column(self, indicator_id: str) -> NDArray[np.float64]:
        """The values of one indicator (NaN where not OK)."""
        try:
            j = self.indicator_ids.index(indicator_id)
        except ValueError:
            raise DataValidationError(
                f"no indicator {indicator_id!r}",
                [
                    Problem(
                        "unknown indicator",
                        column=indicator_id,
                        fix=suggest(indicator_id, self.indicator_ids),
                    )
                ],
            ) from None
        return self.values[:, j]

    def counts(self) -> dict[str, int]:
        """Cell counts by status."""
        return {s.name.lower(): int(np.count_nonzero(self.status == s)) for s in CellStatus}

    def digest(self) -> str:
        """A SHA-256 of ids, phases, values and status: identifies the input of a result."""
        return data_digest(self.indicator_ids, self.ids, self.phases, self.values, self.status)

    def equals(self, other: CommunityData) -> bool:
        """Exact equality of everything, NaN cells included."""
        return (
            self.indicator_ids == other.indicator_ids
            and self.n == other.n
            and bool(np.array_equal(self.id_array, other.id_array))
            and self.phases == other.phases
            and np.array_equal(self.values, other.values, equal_nan=True)
            and np.array_equal(self.status, other.status)
            and self.context == other.context
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CommunityData) and self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> str:
        """A short text summary: rows, communities, phases and cell counts."""
        c = self.counts()
        pc = self.phase_codes
        per_phase = np.bincount(pc.codes, minlength=len(pc.labels))
        phases = ", ".join(f"{p}: {int(k)}" for p, k in zip(pc.labels, per_phase, strict=True))
        communities = self.n - len(repeated_rows(self.id_array, None, None))
        return (
            f"{self.n} rows, {communities} communities, {self.m} indicators "
            f"(system {self.system_id} v{self.system_version}); phases {phases or '-'}; "
            f"cells ok {c['ok']}, missing {c['missing']}, not applicable {c['not_applicable']}"
        )

    def __repr__(self) -> str:
        return f"CommunityData({self.summary()})"


def data_digest(
    indicator_ids: Sequence[str],
    ids: Sequence[str],
    phases: Sequence[str | None],
    values: NDArray[np.float64],
    status: NDArray[np.int8],
) -> str:
    """SHA-256 of a table's ids, phases, indicator order, values and cell statuses."""
    h = hashlib.sha256()
    h.update("\x1f".join(indicator_ids).encode())
    h.update("\x1f".join(ids).encode())
    h.update("\x1f".join("\x00" if p is None else p for p in phases).encode())
    for arr in (values, status):
        if arr.flags.c_contiguous:
            # .data is a buffer view: hashing the array without copying it.
            h.update(np.ascontiguousarray(arr).data)
        else:
            # Row blocks give the same bytes as the whole array in C order, without a copy of it.
            step = max(1, (1 << 20) // max(1, arr.shape[1] * arr.itemsize))
            for start in range(0, arr.shape[0], step):
                h.update(np.ascontiguousarray(arr[start : start + step]).data)
    return h.hexdigest()
