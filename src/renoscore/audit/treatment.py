"""Outlier treatment as COINr's ``Treat`` does it: winsorise up to k points, else a log transform.

For each column (indicator) separately (Becker et al. 2022, COINr's ``Treat`` with its defaults):

1. **Check.** The column passes when ``|skewness| < 2`` or ``kurtosis < 3.5``
   (:func:`~renoscore.audit.distribution.passes_skew_kurt`; bias-corrected ``G1`` and excess
   ``G2``). A passing column is left exactly as it was.
2. **Winsorise.** Otherwise, one step at a time while the column fails and fewer than
   ``winmax`` points (default 5) have been winsorised: on the side the skewness points to
   (high when ``skew >= 0``), every point equal to the extreme value is set to the next
   value in. Points tied at the extreme move together, so the count may pass ``winmax`` by
   the size of a tie; the count is that of the points that end up moved (COINr's ``nwin``).
3. **Transform.** If the winsorised column still fails, the *original* column is log
   transformed instead (COINr's default ``combine_treat = FALSE``; ``combine=True`` applies the
   transform to the winsorised column): ``log(x - min(x) + 0.01 (max(x) - min(x)))``, COINr's
   ``log_CT``, a shifted "COIN Tool" log that keeps the order of the values. The result is kept
   whether or not it passes, and the last check is recorded.

Everything that changed is recorded (:class:`Treatment`): the statistics before and after each
step, and every winsorised point with its old and new value; a log-transformed column records
the minimum and shift that define every one of its points. :func:`apply_treatment` replays a
record on the same data and gives the same numbers bit for bit. The steps loop over at most
``winmax`` winsorisation rounds, each vectorised over all the columns still failing.

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. & Saisana, M. (2022).
COINr: an R package for developing composite indicators. Journal of Open Source Software
7(78), 4567. (``Treat``, ``winsorise``, ``log_CT``, ``check_SkewKurt``.)
OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.
OECD Publishing, Paris. (Step 3, imputation and treatment of outliers.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore.audit.distribution import (
    KURT_THRESHOLD,
    SKEW_THRESHOLD,
    passes_skew_kurt,
    skewness_kurtosis,
)
from renoscore.errors import DataValidationError, OptionError, Problem

__all__ = [
    "ColumnTreatment",
    "TreatedPoint",
    "Treatment",
    "apply_treatment",
    "log_ct",
    "treat",
    "winsorise",
]

FloatArray = NDArray[np.float64]
Step = Literal["none", "winsorised", "log"]

#: COINr's default maximum of winsorised points per indicator.
WINMAX = 5
#: The share of the range added inside COINr's ``log_CT`` so that the minimum has a finite log.
LOG_CT_SHIFT = 0.01


@dataclass(frozen=True)
class TreatedPoint:
    """One winsorised cell: its row, column, side (``"high"`` or ``"low"``) and values."""

    row: int
    column: int
    side: str
    before: float
    after: float


@dataclass(frozen=True)
class ColumnTreatment:
    """What treatment did to one column.

    Attributes
    ----------
    column : int
    step : {"none", "winsorised", "log"}
        The treatment kept: nothing (the column passed), winsorisation, or the log transform.
    skew, kurt : tuple of float
        Skewness and kurtosis before treatment, after winsorisation and after the log
        transform (NaN for a step not taken).
    passes : tuple of bool or None
        The check after each of the three stages (None for a stage not reached).
    winsorised : int
        Points moved by winsorisation (COINr's ``nwin``; 0 when it was not tried).
    log_min, log_shift : float or None
        For a log-transformed column: ``x -> log(x - log_min + log_shift)``.
    """

    column: int
    step: Step
    skew: tuple[float, float, float]
    kurt: tuple[float, float, float]
    passes: tuple[bool | None, bool | None, bool | None]
    winsorised: int = 0
    log_min: float | None = None
    log_shift: float | None = None


@dataclass(frozen=True, eq=False)
class Treatment:
    """The outcome of :func:`treat`: treated values and the full record of what changed.

    Attributes
    ----------
    values : ndarray, shape (N, M)
        The treated matrix (the input array itself when nothing was treated), built on first
        read from ``base`` and the treated columns. Read-only.
    columns : tuple of ColumnTreatment
        One per column that failed the first check (passing columns are not listed).
    points : tuple of TreatedPoint
        Every winsorised cell that is kept in ``values``.
    settings : dict
        ``winmax``, the thresholds, ``combine``.
    base : ndarray, shape (N, M)
        The untreated matrix.
    changed : (ndarray of int, ndarray), optional
        The treated columns and their new values (``(N, k)``).
    """

    columns: tuple[ColumnTreatment, ...]
    points: tuple[TreatedPoint, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    base: FloatArray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    changed: tuple[NDArray[np.intp], FloatArray] | None = field(default=None, repr=False)

    @cached_property
    def values(self) -> FloatArray:
        """The treated matrix (see the class description)."""
        if self.changed is None or self.changed[0].size == 0:
            return _read_only(self.base)
        out = self.base.copy()
        out[:, self.changed[0]] = self.changed[1]
        return _read_only(out)

    def treated_columns(self) -> tuple[int, ...]:
        """The columns whose values changed."""
        return tuple(c.column for c in self.columns if c.step != "none")

    def to_dict(self, column_names: Sequence[str] | None = None) -> dict[str, Any]:
        """The record as plain data (JSON-ready; NaN as None), columns by name when given."""

        def name(j: int) -> str | int:
            return column_names[j] if column_names is not None else j

        def num(x: float) -> float | None:
            return None if np.isnan(x) else float(x)

        return {
            "settings": dict(self.settings),
            "columns": [
                {
                    "column": name(c.column),
                    "step": c.step,
                    "skew": [num(x) for x in c.skew],
                    "kurt": [num(x) for x in c.kurt],
                    "passes": list(c.passes),
                    "winsorised": c.winsorised,
                    "log_min": c.log_min,
                    "log_shift": c.log_shift,
                }
                for c in self.columns
            ],
            "points": [
                {"row": p.row, "column": name(p.column), "side": p.side,
                 "before": p.before, "after": p.after}
                for p in self.points
            ],
        }  # fmt: skip


def _matrix(X: ArrayLike, check: bool = True) -> FloatArray:
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataValidationError("expected an (N, M) matrix", [Problem(f"shape {arr.shape}")])
    if check and np.isinf(arr).any():
        raise DataValidationError("values must be finite or NaN", [Problem("infinite value")])
    return arr


def _check_settings(winmax: int, skew_threshold: float, kurt_threshold: float) -> None:
    problems = []
    if isinstance(winmax, bool) or not isinstance(winmax, int | np.integer) or winmax < 0:
        problems.append(Problem("winmax must be a whole number >= 0", value=winmax))
    for label, v in (("skew_threshold", skew_threshold), ("kurt_threshold", kurt_threshold)):
        if not np.isfinite(v) or v <= 0:
            problems.append(Problem(f"{label} must be a positive number", value=v))
    if problems:
        raise OptionError("invalid treatment settings", problems)


def winsorise(
    X: ArrayLike,
    winmax: int = WINMAX,
    skew_threshold: float = SKEW_THRESHOLD,
    kurt_threshold: float = KURT_THRESHOLD,
) -> tuple[FloatArray, NDArray[np.int64], NDArray[np.int8]]:
    """Winsorise every column that fails the skewness-kurtosis check, up to ``winmax`` points.

    COINr's ``winsorise`` applied to all columns at once: each round moves, in every column
    still failing and below ``winmax``, the points at the extreme value on the side of the
    skewness to the next value in (Becker et al. 2022). NaN cells are left out and stay NaN.

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)
    winmax : int, default 5
    skew_threshold, kurt_threshold : float, default 2 and 3.5

    Returns
    -------
    values : ndarray, shape (N, M)
        A new array; columns not winsorised are copies of the input.
    count : ndarray of int64, shape (M,)
        Points winsorised per column (COINr's ``nwin``).
    side : ndarray of int8, shape (N, M)
        +1 where a point was moved down from the top, -1 up from the bottom, else 0.

    Examples
    --------
    >>> x = [*range(1, 11), 30, 100]  # COINr's vignette: one point, skew 1.712038
    >>> v, count, side = winsorise(x, winmax=2)
    >>> int(count[0]), float(v[11, 0]), round(float(skewness_kurtosis(v)[0][0]), 6)
    (1, 30.0, 1.712038)
    """
    _check_settings(winmax, skew_threshold, kurt_threshold)
    values = _matrix(X).copy()
    n_rows, m = values.shape
    side = np.zeros((n_rows, m), dtype=np.int8)
    count = np.zeros(m, dtype=np.int64)
    sk, ku = skewness_kurtosis(values)
    failing = ~passes_skew_kurt(sk, ku, skew_threshold, kurt_threshold)
    active = np.flatnonzero(failing & (winmax > 0))
    while active.size:
        sub = values[:, active]
        high = sk[active] >= 0
        # The extreme on each column's side and the next value in (NaN cells never count).
        key = np.where(np.isnan(sub), -np.inf, np.where(high, sub, -sub))
        top = key.max(axis=0)
        at_top = key == top
        rest = np.where(at_top, -np.inf, key).max(axis=0)
        movable = np.isfinite(rest)  # a column of one distinct value has nowhere to go
        new_value = np.where(high, rest, -rest)
        moved = at_top & movable
        sub = np.where(moved, new_value, sub)
        values[:, active] = sub
        # COINr keeps the positions of the last move on each side; on one side the earlier
        # moves are among them, since those points now sit at the extreme too.
        code = np.where(high, 1, -1).astype(np.int8)
        old_side = side[:, active]
        side[:, active] = np.where(moved, code, np.where(old_side == code, 0, old_side))
        count[active] = (side[:, active] != 0).sum(axis=0)
        sk[active], ku[active] = skewness_kurtosis(sub)
        still = ~passes_skew_kurt(sk[active], ku[active], skew_threshold, kurt_threshold)
        active = active[still & movable & (count[active] < winmax)]
    return values, count, side


def log_ct(X: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """COINr's ``log_CT`` of every column: ``log(x - min(x) + 0.01 (max(x) - min(x)))``.

    A shifted logarithm that keeps the order of the values and gives the minimum a finite log
    (Becker et al. 2022). NaN stays NaN. A constant column has no finite transform (its
    shift is 0): it is returned unchanged with NaN parameters.

    Returns
    -------
    values : ndarray, shape (N, M)
    minimum, shift : ndarray, shape (M,)
        The parameters: ``x -> log(x - minimum + shift)``.

    Examples
    --------
    >>> v, lo, shift = log_ct([1.0, 2.0, 101.0])
    >>> print(v[:, 0].round(4), float(lo[0]), float(shift[0]))
    [0.     0.6931 4.6151] 1.0 1.0
    """
    arr = _matrix(X)
    missing = np.isnan(arr)
    some = ~missing.all(axis=0)
    lo = np.where(some, np.where(missing, np.inf, arr).min(axis=0, initial=np.inf), np.nan)
    hi = np.where(some, np.where(missing, -np.inf, arr).max(axis=0, initial=-np.inf), np.nan)
    shift = LOG_CT_SHIFT * (hi - lo)
    ok = np.isfinite(shift) & (shift > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(ok, np.log(arr - np.where(ok, lo, 0.0) + np.where(ok, shift, 1.0)), arr)
    return out, np.where(ok, lo, np.nan), np.where(ok, shift, np.nan)


def treat(
    X: ArrayLike,
    *,
    winmax: int = WINMAX,
    skew_threshold: float = SKEW_THRESHOLD,
    kurt_threshold: float = KURT_THRESHOLD,
    combine: bool = False,
    log: bool = True,
    checked: tuple[ArrayLike, ArrayLike] | None = None,
) -> Treatment:
    """Treat outliers column by column as COINr's ``Treat`` does with its defaults.

    Check, winsorise up to ``winmax`` points, and if that is not enough log-transform the
    original column (see the module description for each step and its source).

    Parameters
    ----------
    X : array_like, shape (N,) or (N, M)
        Values (NaN where missing); one column per indicator.
    winmax : int, default 5
    skew_threshold, kurt_threshold : float, default 2 and 3.5
    combine : bool, default False
        Log-transform the winsorised column instead of the original (COINr's
        ``combine_treat``).
    log : bool, default True
        Use the log transform when winsorisation is not enough. With False such a column keeps
        its winsorised values (with goalposts, a transform would change the goalposts' units).
    checked : (skewness, kurtosis), optional
        The columns' statistics when already computed (e.g. by
        :func:`~renoscore.audit.distribution.column_stats`, which refuses infinities): the
        first check reads them instead of reading ``X`` again.

    Returns
    -------
    Treatment

    Examples
    --------
    >>> t = treat([*range(1, 11), 30, 100], winmax=2)  # COINr's "Outlier Treatment" vignette
    >>> c = t.columns[0]
    >>> c.step, c.winsorised, round(c.skew[1], 6), round(c.kurt[1], 6)
    ('winsorised', 1, 1.712038, 1.815781)
    """
    _check_settings(winmax, skew_threshold, kurt_threshold)
    original = _matrix(X, check=checked is None)
    if checked is None:
        sk0, ku0 = skewness_kurtosis(original)
    else:
        sk0, ku0 = (np.asarray(a, dtype=np.float64) for a in checked)
    fail0 = ~passes_skew_kurt(sk0, ku0, skew_threshold, kurt_threshold)
    cols = np.flatnonzero(fail0)
    if cols.size == 0:
        settings = _settings(winmax, skew_threshold, kurt_threshold, combine, log)
        return Treatment((), (), settings, base=original)
    win, count, side = winsorise(original[:, cols], winmax, skew_threshold, kurt_threshold)
    sk1, ku1 = skewness_kurtosis(win)
    pass1 = passes_skew_kurt(sk1, ku1, skew_threshold, kurt_threshold)
    need_log = ~pass1 & log
    base = np.where(combine, win, original[:, cols])
    logged, lo, shift = log_ct(base[:, need_log])
    sk2 = np.full(cols.size, np.nan)
    ku2 = np.full(cols.size, np.nan)
    sk2[need_log], ku2[need_log] = skewness_kurtosis(logged)
    pass2 = passes_skew_kurt(sk2, ku2, skew_threshold, kurt_threshold)
    new_values = win.copy()
    new_values[:, need_log] = logged
    records, points = _records(
        original, cols, (sk0, ku0), (sk1, ku1, pass1), (sk2, ku2, pass2), need_log,
        (count, side, win), (lo, shift), combine,
    )  # fmt: skip
    settings = _settings(winmax, skew_threshold, kurt_threshold, combine, log)
    return Treatment(records, points, settings, base=original, changed=(cols, new_values))


def _settings(
    winmax: int, skew_threshold: float, kurt_threshold: float, combine: bool, log: bool
) -> dict[str, Any]:
    return {
        "winmax": int(winmax),
        "skew_threshold": float(skew_threshold),
        "kurt_threshold": float(kurt_threshold),
        "combine": bool(combine),
        "log": bool(log),
        "transform": "log_ct",
    }


def _read_only(a: FloatArray) -> FloatArray:
    a.setflags(write=False)
    return a


def _records(
    original: FloatArray,
    cols: NDArray[np.intp],
    first: tuple[FloatArray, FloatArray],
    second: tuple[FloatArray, FloatArray, NDArray[np.bool_]],
    third: tuple[FloatArray, FloatArray, NDArray[np.bool_]],
    need_log: NDArray[np.bool_],
    winsorised: tuple[NDArray[np.int64], NDArray[np.int8], FloatArray],
    log_params: tuple[FloatArray, FloatArray],
    combine: bool,
) -> tuple[tuple[ColumnTreatment, ...], tuple[TreatedPoint, ...]]:
    """One :class:`ColumnTreatment` per failing column and the winsorised points kept (with
    ``combine``, also those of log-transformed columns: the log is taken of them)."""
    sk0, ku0 = first
    sk1, ku1, pass1 = second
    sk2, ku2, pass2 = third
    count, side, win = winsorised
    lo, shift = log_params
    records: list[ColumnTreatment] = []
    log_index = np.cumsum(need_log) - 1
    for k, j in enumerate(cols.tolist()):
        logged = bool(need_log[k])
        records.append(
            ColumnTreatment(
                column=j,
                step="log" if logged else ("winsorised" if count[k] > 0 else "none"),
                skew=(float(sk0[j]), float(sk1[k]), float(sk2[k])),
                kurt=(float(ku0[j]), float(ku1[k]), float(ku2[k])),
                passes=(False, bool(pass1[k]), bool(pass2[k]) if logged else None),
                winsorised=int(count[k]),
                log_min=float(lo[log_index[k]]) if logged else None,
                log_shift=float(shift[log_index[k]]) if logged else None,
            )
        )
    keep = np.ones(cols.size, dtype=bool) if combine else ~need_log
    kept = side[:, keep]
    rows, sub = np.nonzero(kept)
    sub_cols = np.flatnonzero(keep)[sub]
    points = tuple(
        TreatedPoint(
            row=int(r), column=int(cols[c]), side="high" if kept[r, s] > 0 else "low",
            before=float(original[r, cols[c]]), after=float(win[r, c]),
        )
        for r, s, c in zip(rows.tolist(), sub.tolist(), sub_cols.tolist(), strict=True)
    )  # fmt: skip
    return tuple(records), points


def apply_treatment(
    X: ArrayLike,
    record: Treatment | dict[str, Any],
    column_names: Sequence[str] | None = None,
) -> FloatArray:
    """Replay a treatment record on the data it was made from.

    Winsorised points take their recorded new value; log-transformed columns are transformed
    with their recorded minimum and shift. Every replayed point is checked against its
    recorded original value, so a record applied to other data is refused.

    Parameters
    ----------
    X : array_like, shape (N, M)
        The untreated data.
    record : Treatment or dict
        A :class:`Treatment`, or its :meth:`Treatment.to_dict` (columns as positions, or as
        names with ``column_names``, as a result's ``provenance.treatment`` has them).
    column_names : sequence of str, optional
        The names of the columns of ``X``.

    Returns
    -------
    ndarray, shape (N, M)

    Raises
    ------
    DataValidationError
        A recorded original value differs from the data.

    Examples
    --------
    >>> x = np.array([[v] for v in [*range(1, 11), 30, 100]], dtype=float)
    >>> t = treat(x, winmax=2)
    >>> bool(np.array_equal(apply_treatment(x, t.to_dict()), t.values))
    True
    """
    doc = record.to_dict() if isinstance(record, Treatment) else record
    values = _matrix(X).copy()
    where = {name: j for j, name in enumerate(column_names or ())}

    def col(c: Any) -> int:
        return where[c] if isinstance(c, str) else int(c)

    problems: list[Problem] = []
    for p in doc.get("points", []):
        r, j = int(p["row"]), col(p["column"])
        if values[r, j] != float(p["before"]):
            problems.append(
                Problem("the data differ from the treated data", row=r + 1, column=str(j),
                        value=float(values[r, j]), fix=f"expected {p['before']!r}")
            )  # fmt: skip
            continue
        values[r, j] = float(p["after"])
    for c in doc.get("columns", []):
        if c["step"] == "log":
            j = col(c["column"])
            with np.errstate(invalid="ignore", divide="ignore"):
                values[:, j] = np.log(values[:, j] - float(c["log_min"]) + float(c["log_shift"]))
    if problems:
        raise DataValidationError("cannot replay the treatment record", problems)
    return values
