"""Importance-performance analysis (IPA): where to concentrate, what to keep up.

Martilla & James (1977) plot each attribute by its importance (vertical axis) and performance
(horizontal axis) and split the plane with a crosshair into four quadrants, from
``concentrate_here`` (important, performing below the centre) to ``possible_overkill`` (see
:mod:`renoscore.survey.quadrants`).

Importance can be residents' or experts' weights (AHP), performance the dimension scores of an
evaluation or satisfaction means. The crosshair sits at the means of the plotted attributes
(the data-centred grid), at their medians, or at declared values such as the scale midpoint
(Martilla & James, 1977, placed it by judgement; Bacon, 2003, compares the choices).
Everything is batched: ``performance`` may hold one row per community.

The chart (:func:`plot_ipa`) and the HTML section (:func:`ipa_html`), both in
:mod:`renoscore.survey.ipa_chart`, need the ``plot`` extra (matplotlib); the report builder
embeds :func:`ipa_html` as one section.

References
----------
Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. Journal of Marketing
41(1), 77-79.
Bacon, D. R. (2003). A comparison of approaches to importance-performance analysis.
International Journal of Market Research 45(1), 55-71.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from renoscore._format import finite_or_none, short_number
from renoscore.errors import OptionError, Problem
from renoscore.survey._text import text_table
from renoscore.survey.ipa_chart import ipa_html, plot_ipa
from renoscore.survey.quadrants import QUADRANT_NAMES, QUADRANTS, ipa_quadrants
from renoscore.survey.resident_weights import ResidentAHP

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = [
    "QUADRANTS",
    "QUADRANT_NAMES",
    "IPAResult",
    "importance_performance",
    "ipa_for_dimensions",
    "ipa_html",
    "ipa_quadrants",
    "plot_ipa",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class IPAResult:
    """An importance-performance grid for one or many rows (communities, groups).

    Attributes
    ----------
    labels : tuple of str
        The attributes (e.g. dimension ids).
    rows : tuple of str
        What each row is (e.g. community ids); ``("all",)`` for a single grid.
    importance, performance : ndarray, shape (N, K)
    importance_center, performance_center : ndarray, shape (N,)
        The crosshair of each row.
    quadrant : ndarray of int8, shape (N, K)
        Codes into :data:`QUADRANTS` (-1 where not classified).
    center : str
        How the crosshair was placed: ``mean``, ``median`` or ``declared``.
    names : dict
        Display names of the attributes, ``{label: {"en": ..., "zh": ...}}`` (may be empty).
    importance_source, performance_source : str
        What importance and performance are, for captions.
    """

    labels: tuple[str, ...]
    rows: tuple[str, ...]
    importance: FloatArray
    performance: FloatArray
    importance_center: FloatArray
    performance_center: FloatArray
    quadrant: NDArray[np.int8]
    center: str
    names: dict[str, dict[str, str]]
    importance_source: str = "importance"
    performance_source: str = "performance"

    def name(self, label: str, lang: str = "en") -> str:
        """Display name of an attribute."""
        return self.names.get(label, {}).get(lang, label)

    def quadrant_of(self, label: str, row: int = 0) -> str | None:
        """The quadrant id of one attribute (None if not classified)."""
        code = int(self.quadrant[row, self.labels.index(label)])
        return QUADRANTS[code] if code >= 0 else None

    def in_quadrant(self, quadrant: str, row: int = 0) -> tuple[str, ...]:
        """The attributes of one row in a quadrant, most important first."""
        if quadrant not in QUADRANTS:
            raise OptionError(
                "unknown quadrant", [Problem(repr(quadrant), fix=f"use one of {list(QUADRANTS)}")]
            )
        code = QUADRANTS.index(quadrant)
        idx = np.flatnonzero(self.quadrant[row] == code)
        idx = idx[np.argsort(-self.importance[row, idx], kind="stable")]
        return tuple(self.labels[i] for i in idx.tolist())

    def records(self, lang: str = "en") -> list[dict[str, Any]]:
        """One row per row and attribute: importance, performance, their gaps to the
        crosshair and the quadrant."""
        out = []
        for r, row in enumerate(self.rows):
            for k, label in enumerate(self.labels):
                code = int(self.quadrant[r, k])
                q = QUADRANTS[code] if code >= 0 else None
                out.append(
                    {
                        "row": row,
                        "attribute": label,
                        "name": self.name(label, lang),
                        "importance": finite_or_none(self.importance[r, k]),
                        "performance": finite_or_none(self.performance[r, k]),
                        "importance_gap": finite_or_none(
                            self.importance[r, k] - self.importance_center[r]
                        ),
                        "performance_gap": finite_or_none(
                            self.performance[r, k] - self.performance_center[r]
                        ),
                        "quadrant": q,
                        "quadrant_name": QUADRANT_NAMES[q][lang] if q else None,
                    }
                )
        return out

    def table(self, row: int = 0, lang: str = "en") -> str:
        """A text table of one row's grid, concentrate-here attributes first."""
        order = sorted(
            range(len(self.labels)),
            key=lambda k: (int(self.quadrant[row, k]) % 4 if self.quadrant[row, k] >= 0 else 9,
                           -self.importance[row, k]),
        )  # fmt: skip
        head = ["attribute", "importance", "performance", "quadrant"]
        body = []
        for k in order:
            code = int(self.quadrant[row, k])
            body.append(
                [
                    self.name(self.labels[k], lang),
                    short_number(self.importance[row, k]),
                    short_number(self.performance[row, k]),
                    QUADRANT_NAMES[QUADRANTS[code]][lang] if code >= 0 else "-",
                ]
            )
        crosshair = (
            f"crosshair ({self.center}): importance {short_number(self.importance_center[row])}, "
            f"performance {short_number(self.performance_center[row])}"
        )
        return text_table(head, body) + "\n" + crosshair

    def plot(self, fig: Any = None, *, row: int = 0, lang: str = "en") -> Any:
        """The IPA chart of one row (see :func:`plot_ipa`)."""
        return plot_ipa(self, fig, row=row, lang=lang)

    def to_html(self, *, row: int = 0, lang: str = "en", chart: bool = True) -> str:
        """An HTML section with the table and the chart (see :func:`ipa_html`)."""
        return ipa_html(self, row=row, lang=lang, chart=chart)


def _as_rows(x: ArrayLike, what: str) -> FloatArray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise OptionError(f"{what} must be numeric", [Problem("not numbers")]) from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise OptionError(
            f"{what} has the wrong shape",
            [Problem(f"shape {arr.shape}", fix="give K values, or N rows of K values")],
        )
    if np.isinf(arr).any():
        raise OptionError(f"{what} must be finite", [Problem("an infinite value")])
    return arr


def importance_performance(
    labels: Sequence[str],
    importance: ArrayLike,
    performance: ArrayLike,
    *,
    center: str | tuple[float, float] = "mean",
    rows: Sequence[str] | None = None,
    names: Mapping[str, Mapping[str, str]] | None = None,
    importance_source: str = "importance",
    performance_source: str = "performance",
) -> IPAResult:
    """Importance-performance analysis of K attributes, for one or N rows.

    Parameters
    ----------
    labels : sequence of str
        The K attributes.
    importance : array_like, shape (K,) or (N, K)
        Importance (weights, or mean importance ratings); shared by all rows when 1-D.
    performance : array_like, shape (K,) or (N, K)
        Performance (scores or satisfaction means).
    center : "mean", "median" or (importance, performance), default "mean"
        The crosshair: the mean or median of each row's attributes (those with both values
        known), or declared
        values (e.g. ``(1 / K, 60)`` or the scale midpoint ``(3, 3)``).
    rows : sequence of str, optional
        Names of the N rows (default ``all`` for one row, else ``row 1``, ...).
    names : mapping, optional
        Display names ``{label: {"en": ..., "zh": ...}}``.
    importance_source, performance_source : str
        Captions, e.g. "residents' AHP weights", "dimension score (0-100)".

    Returns
    -------
    IPAResult

    Raises
    ------
    OptionError
        For shapes that do not match, a label count unlike K, non-finite values or an unknown
        centre.

    References
    ----------
    Martilla & James (1977); Bacon (2003).

    Examples
    --------
    >>> res = importance_performance(["F", "S", "P", "C"], [.45, .25, .12, .18], [55, 72, 48, 80])
    >>> res.in_quadrant("concentrate_here"), res.in_quadrant("possible_overkill")
    (('F',), ('C',))
    """
    labels = tuple(labels)
    imp = _as_rows(importance, "importance")
    perf = _as_rows(performance, "performance")
    k = len(labels)
    n = max(imp.shape[0], perf.shape[0])
    problems = []
    if imp.shape[1] != k or perf.shape[1] != k:
        problems.append(
            Problem(
                f"{k} labels, importance of {imp.shape[1]}, performance of {perf.shape[1]}",
                fix="give one importance and one performance per attribute",
            )
        )
    for arr, what in ((imp, "importance"), (perf, "performance")):
        if arr.shape[0] not in (1, n):
            problems.append(Problem(f"{what} has {arr.shape[0]} rows, expected 1 or {n}"))
    if problems:
        raise OptionError("importance and performance do not match", problems)
    imp = np.broadcast_to(imp, (n, k)).copy()
    perf = np.broadcast_to(perf, (n, k)).copy()
    if isinstance(center, str):
        if center not in ("mean", "median"):
            raise OptionError(
                "unknown crosshair",
                [Problem(repr(center), fix="use 'mean', 'median' or (importance, performance)")],
            )
        with warnings.catch_warnings():
            # an all-NaN row has a NaN centre (its attributes are then not classified)
            warnings.simplefilter("ignore", RuntimeWarning)
            fn = np.nanmean if center == "mean" else np.nanmedian
            # the centre of the attributes that can be placed (both values known)
            both = np.isfinite(imp) & np.isfinite(perf)
            ic = np.asarray(fn(np.where(both, imp, np.nan), axis=1), dtype=np.float64)
            pc = np.asarray(fn(np.where(both, perf, np.nan), axis=1), dtype=np.float64)
        how = center
    else:
        try:
            ic_v, pc_v = (float(v) for v in center)
        except (TypeError, ValueError):
            raise OptionError(
                "invalid crosshair",
                [Problem(repr(center), fix="give (importance, performance)")],
            ) from None
        ic, pc = np.full(n, ic_v), np.full(n, pc_v)
        how = "declared"
    if rows is None:
        row_names = ("all",) if n == 1 else tuple(f"row {r + 1}" for r in range(n))
    else:
        row_names = tuple(str(r) for r in rows)
        if len(row_names) != n:
            raise OptionError(
                "row names do not match", [Problem(f"{len(row_names)} names for {n} rows")]
            )
    return IPAResult(
        labels=labels,
        rows=row_names,
        importance=imp,
        performance=perf,
        importance_center=ic,
        performance_center=pc,
        quadrant=ipa_quadrants(imp, perf, ic[:, None], pc[:, None]),
        center=how,
        names={k_: dict(v) for k_, v in (names or {}).items()},
        importance_source=importance_source,
        performance_source=performance_source,
    )


def ipa_for_dimensions(
    result: EvaluationResult,
    importance: Mapping[str, float] | ResidentAHP,
    *,
    phase: str | None = None,
    communities: Sequence[str] | None = None,
    per_community: bool = False,
    center: str | tuple[float, float] = "mean",
    importance_source: str | None = None,
) -> IPAResult:
    """IPA of the system's groups: importance from weights, performance from their scores.

    Parameters
    ----------
    result : EvaluationResult
        An evaluation; performance is the 0-100 score of each node.
    importance : mapping or ResidentAHP
        ``{node id: weight}`` (e.g. the dimensions), or a :class:`ResidentAHP` whose criteria
        are nodes of the system (its group weights are used).
    phase : str, optional
        Use the rows of this phase.
    communities : sequence of str, optional
        Use these communities (default all in the phase).
    per_community : bool, default False
        One grid per community instead of one grid of the mean scores.
    center : "mean", "median" or (importance, performance)
        The crosshair (see :func:`importance_performance`).
    importance_source : str, optional
        Caption of the importance axis.

    Returns
    -------
    IPAResult

    Raises
    ------
    OptionError
        If a node is not in the result or no row is selected.

    Examples
    --------
    >>> import renoscore as rs
    >>> res = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> w = {"facilities": .45, "public_services": .25, "participation": .12, "social_capital": .18}
    >>> ipa = ipa_for_dimensions(res, w, phase="t0")
    >>> ipa.labels
    ('facilities', 'public_services', 'participation', 'social_capital')
    """
    if isinstance(importance, ResidentAHP):
        weights = importance.weights()
        source = importance_source or "residents' AHP weights"
    else:
        weights = {str(k): float(v) for k, v in importance.items()}
        source = importance_source or "weights"
    labels = tuple(weights)
    missing = [n for n in labels if n not in result.group_ids]
    if missing:
        raise OptionError(
            "not a group of the result",
            [Problem(repr(n), fix=f"groups are {list(result.group_ids)}") for n in missing],
        )
    mask = np.ones(len(result.ids), dtype=bool)
    if phase is not None:
        mask &= np.array([p == phase for p in result.phases], dtype=bool)
    if communities is not None:
        mask &= np.isin(np.array(result.ids, dtype=str), np.array(list(communities), dtype=str))
    if not mask.any():
        raise OptionError(
            "no row selected", [Problem(f"phase {phase!r}, communities {communities!r}")]
        )
    cols = np.array([result.group_ids.index(n) for n in labels], dtype=np.intp)
    perf = np.asarray(result.group_scores, dtype=np.float64)[np.ix_(mask, cols)]
    sel_ids = tuple(i for i, m in zip(result.ids, mask.tolist(), strict=True) if m)
    if not per_community:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            perf = np.nanmean(perf, axis=0)[None, :]
        rows: tuple[str, ...] = (f"mean of {len(sel_ids)} ({phase or 'all phases'})",)
    else:
        rows = sel_ids
    names = {}
    for n in labels:
        node = result.system.node(n)
        names[n] = {"en": node.name.en, "zh": node.name.zh}
    return importance_performance(
        labels,
        np.array([weights[n] for n in labels]),
        perf,
        center=center,
        rows=rows,
        names=names,
        importance_source=source,
        performance_source="score (0-100)",
    )
