"""What scoring a resident survey gives: scale statistics per community and phase.

:class:`SurveyScores` holds, per community-phase group and scale, the respondents scored, the
mean, SD, standard error and confidence interval, the low-n flag and the per-group alpha and
omega; :class:`ScaleReliability` the item analysis of one scale over all respondents. The
scores go into community data (:meth:`SurveyScores.apply_to`) and their standard errors into
the uncertainty analysis (:meth:`SurveyScores.standard_errors`).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._cells import CellStatus
from renoscore._format import finite_or_none, text_number
from renoscore._labels import id_keys
from renoscore._optional import import_optional
from renoscore._validation import suggest
from renoscore.data import CommunityData
from renoscore.errors import OptionError, Problem, RenoscoreWarning, SurveyDataError
from renoscore.survey._stats import group_keys
from renoscore.survey._text import text_table
from renoscore.survey.reliability import ALPHA_WARN_BELOW
from renoscore.survey.scales import ScaleSet
from renoscore.system import IndicatorSystem

__all__ = ["ScaleReliability", "SurveyScores"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ScaleReliability:
    """Reliability of one scale over all respondents.

    Attributes
    ----------
    scale, indicator : str
        The scale and the indicator it feeds (None if none).
    items : tuple of str
        Item ids; ``reverse`` marks the reverse-scored ones.
    n : int
        Respondents who answered every item (listwise deletion).
    alpha, omega : float
        Cronbach's alpha and McDonald's omega (NaN when undefined, e.g. one item).
    alpha_if_deleted, item_total, loadings, item_means, item_sd : ndarray, shape (k,)
        Per-item statistics (item means after reverse-scoring).
    """

    scale: str
    indicator: str | None
    items: tuple[str, ...]
    reverse: tuple[bool, ...]
    n: int
    alpha: float
    omega: float
    alpha_if_deleted: FloatArray
    item_total: FloatArray
    loadings: FloatArray
    item_means: FloatArray
    item_sd: FloatArray

    @property
    def acceptable(self) -> bool:
        """Alpha at least 0.70 (Nunnally, 1978); True when alpha is undefined."""
        return not (self.alpha == self.alpha and self.alpha < ALPHA_WARN_BELOW)

    def records(self) -> list[dict[str, Any]]:
        """One row per item: mean, SD, corrected item-total r, alpha if deleted, loading."""
        return [
            {
                "scale": self.scale,
                "item": item,
                "reverse": rev,
                "mean": finite_or_none(self.item_means[i]),
                "sd": finite_or_none(self.item_sd[i]),
                "item_total_r": finite_or_none(self.item_total[i]),
                "alpha_if_deleted": finite_or_none(self.alpha_if_deleted[i]),
                "loading": finite_or_none(self.loadings[i]),
            }
            for i, (item, rev) in enumerate(zip(self.items, self.reverse, strict=True))
        ]


@dataclass(frozen=True, eq=False)
class SurveyScores:
    """Scale statistics per community and phase (see :func:`~renoscore.survey.score_survey`).

    Arrays are indexed ``[group, scale]``; groups are the community-phase pairs in order of
    first appearance in the respondent table, scales the set's order.

    Attributes
    ----------
    scales : ScaleSet
        The scales scored.
    ids, phases : tuple
        Community id and phase of each group.
    households : ndarray, shape (G,)
        Households of each community (NaN where unknown).
    n : ndarray of int64, shape (G, S)
        Respondents with a scale score.
    mean, sd, se, ci_low, ci_high : ndarray, shape (G, S)
        Community mean, SD, standard error and confidence interval (NaN where ``n`` is too
        small to define them).
    level : float
        The confidence level of the interval.
    min_required : ndarray of int64, shape (G,)
        The smallest acceptable ``n`` of each group.
    low_n : ndarray of bool, shape (G, S)
        Surveyed (``n > 0``) but ``n < min_required``.
    alpha, omega : ndarray, shape (G, S)
        Per-group reliability (NaN where fewer than ``alpha_min_n`` complete respondents).
    n_complete : ndarray of int64, shape (G, S)
        Respondents who answered every item of the scale (the base of alpha).
    reliability : tuple of ScaleReliability
        Per scale, over all respondents.
    respondent_scores : ndarray, shape (R, S)
        Each respondent's scale scores (NaN where too few items were answered).
    respondent_ids : tuple of str
        In the order of the table.
    group_of_respondent : ndarray of intp, shape (R,)
        The group index of each respondent.
    skipped : tuple of str
        Scales of the set with no column in the file (not scored).
    warnings : tuple of str
        Reliability notes: scales with alpha below 0.70 (also emitted as a
        :class:`~renoscore.errors.ReliabilityWarning`) and counts of communities below 0.70.
    source : str or None
        The respondent file.
    """

    scales: ScaleSet
    ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    households: FloatArray
    n: NDArray[np.int64]
    mean: FloatArray
    sd: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    level: float
    min_required: NDArray[np.int64]
    low_n: NDArray[np.bool_]
    alpha: FloatArray
    omega: FloatArray
    n_complete: NDArray[np.int64]
    reliability: tuple[ScaleReliability, ...]
    respondent_scores: FloatArray
    respondent_ids: tuple[str, ...]
    group_of_respondent: NDArray[np.intp]
    finite_population: bool = False
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("households", "n", "mean", "sd", "se", "ci_low", "ci_high", "min_required",
                     "low_n", "alpha", "omega", "n_complete", "respondent_scores"):  # fmt: skip
            getattr(self, name).setflags(write=False)

    # ------------------------------------------------------------------ views
    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scored scales, in column order of the arrays."""
        return self.scales.scale_ids

    @property
    def indicator_ids(self) -> tuple[str | None, ...]:
        """The indicator each scale feeds (None where it feeds none)."""
        return tuple(s.indicator for s in self.scales.scales)

    @property
    def keys(self) -> tuple[tuple[str, str | None], ...]:
        """``(community id, phase)`` of every group."""
        return tuple(zip(self.ids, self.phases, strict=True))

    def _col(self, scale_or_indicator: str) -> int:
        for j, s in enumerate(self.scales.scales):
            if scale_or_indicator in (s.id, s.indicator):
                return j
        raise OptionError(
            "no such scale",
            [
                Problem(
                    f"{scale_or_indicator!r} is neither a scored scale nor its indicator",
                    fix=suggest(
                        scale_or_indicator, [*self.scale_ids, *filter(None, self.indicator_ids)]
                    )
                    or f"scales are {list(self.scale_ids)}",
                )
            ],
        )

    def scale_reliability(self, scale: str) -> ScaleReliability:
        """The overall reliability record of a scale (by scale or indicator id)."""
        return self.reliability[self._col(scale)]

    def records(self, lang: str = "en") -> list[dict[str, Any]]:
        """One row per community, phase and scale: n, mean, SD, SE, CI, flag, alpha, omega.

        ``status`` is ``ok``, ``low_n`` (fewer respondents than ``min_required``) or
        ``not_surveyed`` (no respondent scored). Numbers are unrounded; NaN is None.
        """
        out: list[dict[str, Any]] = []
        for g, (cid, phase) in enumerate(self.keys):
            for j, scale in enumerate(self.scales.scales):
                n = int(self.n[g, j])
                out.append(
                    {
                        "community_id": cid,
                        "phase": phase,
                        "scale": scale.id,
                        "scale_name": scale.name.get(lang),
                        "indicator": scale.indicator,
                        "n": n,
                        "mean": finite_or_none(self.mean[g, j]),
                        "sd": finite_or_none(self.sd[g, j]),
                        "se": finite_or_none(self.se[g, j]),
                        "ci_low": finite_or_none(self.ci_low[g, j]),
                        "ci_high": finite_or_none(self.ci_high[g, j]),
                        "level": self.level,
                        "households": finite_or_none(self.households[g]),
                        "min_required": int(self.min_required[g]),
                        "status": "not_surveyed"
                        if n == 0
                        else ("low_n" if self.low_n[g, j] else "ok"),
                        "n_complete": int(self.n_complete[g, j]),
                        "alpha": finite_or_none(self.alpha[g, j]),
                        "omega": finite_or_none(self.omega[g, j]),
                    }
                )
        return out

    def indicator_records(self) -> list[dict[str, Any]]:
        """One row per community and phase with the indicator values (means) by indicator id.

        Empty (None) where the scale was not scored. Only scales that feed an indicator appear.
        """
        cols = [(j, s.indicator) for j, s in enumerate(self.scales.scales) if s.indicator]
        return [
            {
                "community_id": cid,
                "phase": phase,
                **{
                    ind: (finite_or_none(self.mean[g, j]) if self.n[g, j] > 0 else None)
                    for j, ind in cols
                },
            }
            for g, (cid, phase) in enumerate(self.keys)
        ]

    def reliability_records(self) -> list[dict[str, Any]]:
        """One row per scale: items, n, alpha, omega, the lowest item-total r."""
        rows = []
        for rel in self.reliability:
            rows.append(
                {
                    "scale": rel.scale,
                    "indicator": rel.indicator,
                    "items": len(rel.items),
                    "n": rel.n,
                    "alpha": finite_or_none(rel.alpha),
                    "omega": finite_or_none(rel.omega),
                    "min_item_total_r": finite_or_none(
                        np.nanmin(rel.item_total) if np.isfinite(rel.item_total).any() else np.nan
                    ),
                    "communities_alpha_below_0_70": int(
                        np.count_nonzero(self.alpha[:, self._col(rel.scale)] < ALPHA_WARN_BELOW)
                    ),
                }
            )
        return rows

    def to_frame(self, kind: str = "long") -> Any:
        """A pandas DataFrame of :meth:`records` (``"long"``), :meth:`indicator_records`
        (``"wide"``) or :meth:`reliability_records` (``"reliability"``)."""
        pd = import_optional("pandas", "SurveyScores.to_frame")
        makers = {
            "long": self.records,
            "wide": self.indicator_records,
            "reliability": self.reliability_records,
        }
        if kind not in makers:
            raise OptionError(
                "unknown frame kind", [Problem(repr(kind), fix=f"use one of {list(makers)}")]
            )
        return pd.DataFrame(makers[kind]())

    # ------------------------------------------------------------------ into community data
    def _rows_in(self, data: CommunityData) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
        """Row of ``data`` for every group, and whether it was found (vectorised lookup).

        Community ids are matched by their key (:func:`renoscore._labels.id_key`), so a
        survey that writes ``ＸＡ０２`` reaches the table's ``XA02``.
        """
        data_keys = group_keys(id_keys(data.id_array).tolist(), data.phases)
        mine = group_keys(id_keys(np.asarray(self.ids, dtype=str)).tolist(), self.phases)
        if data_keys.size == 0:
            return np.zeros(len(self.ids), dtype=np.intp), np.zeros(len(self.ids), dtype=bool)
        order = np.argsort(data_keys, kind="stable")
        pos = np.clip(np.searchsorted(data_keys[order], mine), 0, data_keys.size - 1)
        rows = order[pos].astype(np.intp)
        found = data_keys[rows] == mine
        return rows, found

    def apply_to(
        self,
        data: CommunityData,
        *,
        system: IndicatorSystem | None = None,
        use_low_n: bool = True,
    ) -> CommunityData:
        """Community data with the survey-fed indicators replaced by the survey means.

        Every community and phase surveyed must be a row of ``data``. A cell is replaced when
        its scale was scored there (``n >= 1``); with ``use_low_n=False`` cells flagged
        ``low_n`` are set missing instead. Cells that are not applicable in ``data`` (an
        indicator not measured in that phase) stay not applicable, with a warning.

        Parameters
        ----------
        data : CommunityData
            The community table (other indicators are kept as they are).
        system : IndicatorSystem, optional
            When given, the scales are checked against it (indicator ranges).
        use_low_n : bool, default True
            Use means from too few respondents (they stay flagged in :meth:`records`).

        Returns
        -------
        CommunityData

        Raises
        ------
        SurveyDataError
            If a surveyed community-phase is not in ``data`` or a scale's indicator is not a
            column of ``data``.

        Examples
        --------
        >>> import renoscore as rs
        >>> from renoscore.survey import example_responses, score_survey
        >>> scores = score_survey(example_responses(), warn=False)
        >>> data = scores.apply_to(rs.example_data())
        >>> g, row = scores.keys.index(("LY", "t0")), data.keys.index(("LY", "t0"))
        >>> bool(data.column("c_trust")[row] == scores.mean[g, scores.scale_ids.index("trust")])
        True
        """
        if system is not None:
            self.scales.check_against(system)
        problems: list[Problem] = []
        cols: list[tuple[int, int]] = []
        for j, scale in enumerate(self.scales.scales):
            if scale.indicator is None:
                continue
            if scale.indicator not in data.indicator_ids:
                problems.append(
                    Problem(
                        f"the data have no indicator {scale.indicator!r} (fed by scale "
                        f"{scale.id!r})",
                        column=scale.indicator,
                        fix="use data of the scales' system",
                    )
                )
            else:
                cols.append((j, data.indicator_ids.index(scale.indicator)))
        rows, found = self._rows_in(data)
        for g in np.flatnonzero(~found).tolist():
            problems.append(
                Problem(
                    f"community {self.ids[g]!r} phase {self.phases[g]!r} was surveyed but is "
                    "not a row of the community data",
                    community_id=self.ids[g],
                    fix="add the community and phase to the data, or drop its respondents",
                )
            )
        if problems:
            raise SurveyDataError("the survey does not fit the community data", problems)
        values = np.array(data.values, copy=True)
        status = np.array(data.status, copy=True)
        skipped_na: list[str] = []
        if cols:
            sj = np.array([c[0] for c in cols], dtype=np.intp)
            dj = np.array([c[1] for c in cols], dtype=np.intp)
            scored = self.n[:, sj] > 0
            na = status[rows[:, None], dj[None, :]] == CellStatus.NOT_APPLICABLE
            put = scored & ~na
            blank = np.zeros_like(put)
            if not use_low_n:
                blank = put & self.low_n[:, sj]
                put &= ~blank
            gi, ci = np.nonzero(put)
            values[rows[gi], dj[ci]] = self.mean[gi, sj[ci]]
            status[rows[gi], dj[ci]] = CellStatus.OK
            gb, cb = np.nonzero(blank)
            values[rows[gb], dj[cb]] = np.nan
            status[rows[gb], dj[cb]] = CellStatus.MISSING
            for g, c in zip(*np.nonzero(scored & na), strict=True):
                skipped_na.append(f"{self.ids[g]}/{self.phases[g]}:{data.indicator_ids[dj[c]]}")
        if skipped_na:
            listed = ", ".join(skipped_na[:10]) + (
                f" and {len(skipped_na) - 10} more" if len(skipped_na) > 10 else ""
            )
            warnings.warn(
                f"{len(skipped_na)} survey value(s) not used: the indicator is not applicable "
                f"in that phase of the data ({listed})",
                RenoscoreWarning,
                stacklevel=2,
            )
        source = " + ".join(x for x in (data.source, self.source and f"survey {self.source}") if x)
        # replace() keeps every other field of the data (ids, phases, context, any added later)
        return dataclasses.replace(data, values=values, status=status, source=source or None)

    def standard_errors(self, data: CommunityData) -> FloatArray:
        """Standard errors aligned with ``data``: shape ``(N, M)``, NaN where no survey value.

        For the uncertainty analysis: the sampling error of each survey-fed cell.

        Raises
        ------
        SurveyDataError
            As :meth:`apply_to`, if a surveyed community-phase is not a row of ``data``.
        """
        rows, found = self._rows_in(data)
        if not found.all():
            missing = [f"{self.ids[g]}/{self.phases[g]}" for g in np.flatnonzero(~found)]
            raise SurveyDataError(
                "the survey does not fit the community data",
                [Problem(f"{m} is not a row of the data", fix="add it") for m in missing],
            )
        out = np.full(data.values.shape, np.nan)
        for j, scale in enumerate(self.scales.scales):
            if scale.indicator in data.indicator_ids:
                out[rows, data.indicator_ids.index(scale.indicator)] = self.se[:, j]
        return out

    # ------------------------------------------------------------------ text
    def table(self, lang: str = "en", digits: int = 2) -> str:
        """A text table: one line per community and phase, ``mean ± SE (n)`` per scale;
        ``!`` marks fewer respondents than required."""
        heads = [s.indicator or s.id for s in self.scales.scales]
        rows = []
        for g, (cid, phase) in enumerate(self.keys):
            cells = []
            for j in range(len(heads)):
                if self.n[g, j] == 0:
                    cells.append("-")
                    continue
                mark = "!" if self.low_n[g, j] else ""
                se = f" ± {self.se[g, j]:.{digits}f}" if np.isfinite(self.se[g, j]) else ""
                cells.append(f"{self.mean[g, j]:.{digits}f}{se} ({self.n[g, j]}{mark})")
            rows.append([cid, phase or "", *cells])
        return text_table(["community", "phase", *heads], rows)

    def reliability_table(self) -> str:
        """A text table: alpha and omega per scale, with the weakest item."""
        rows = []
        for rel in self.reliability:
            if np.isfinite(rel.item_total).any():
                worst = int(np.nanargmin(rel.item_total))
                weak = f"{rel.items[worst]} (r {rel.item_total[worst]:.2f})"
            else:
                weak = "-"
            flag = "" if rel.acceptable else "  < 0.70"
            rows.append(
                [
                    rel.scale,
                    rel.indicator or "",
                    str(len(rel.items)),
                    str(rel.n),
                    text_number(rel.alpha, ".3f") + flag,
                    text_number(rel.omega, ".3f"),
                    weak,
                ]
            )
        return text_table(
            ["scale", "indicator", "items", "n", "alpha", "omega", "weakest item"], rows
        )

    def summary(self) -> str:
        """One paragraph: groups, respondents, flags and reliability."""
        low = int(np.count_nonzero(self.low_n.any(axis=1)))
        alphas = ", ".join(f"{r.scale} {text_number(r.alpha, '.3f')}" for r in self.reliability)
        return (
            f"{len(self.respondent_ids)} respondents in {len(self.ids)} community-phase groups; "
            f"{len(self.scale_ids)} scales; {low} group(s) with fewer respondents than required; "
            f"alpha: {alphas}"
            + (f"; not in the file: {', '.join(self.skipped)}" if self.skipped else "")
        )

    def __repr__(self) -> str:
        return f"SurveyScores({self.summary()})"
