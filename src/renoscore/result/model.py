"""Evaluation results: scores, ranks, grades and coverage of every community on every node.

An :class:`EvaluationResult` is immutable. Its arrays are read-only; its provenance records
every choice that produced it (system, weights, methods, options, renoscore version and a
digest of the input data), so that the run can be repeated from the record.

Scores are on 0-100. They are never rounded inside renoscore; ranks are computed on the
unrounded scores with a declared tie tolerance.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from renoscore import normalize
from renoscore._calling import argument
from renoscore._display import clip, text_table
from renoscore._format import optional_float, text_number, text_percent
from renoscore._labels import id_key, id_keys
from renoscore._vocabulary import CONSOLE, lang_of
from renoscore.data import (
    CellStatus,
    PhaseCodes,
    RowLabels,
    data_digest,
    label_array,
    label_codes,
)
from renoscore.errors import OptionError, Problem
from renoscore.result._consistency import result_fields
from renoscore.result._file import (
    MAX_RESULT_BYTES,
    ResultLimits,
    parse_result_json,
    result_document,
)
from renoscore.result._frame import frame_of, long_columns, row_records, wide_columns
from renoscore.result.explain import FixFirstItem, fix_first_items, obstacle_records
from renoscore.result.phase_ranks import rank_within_phase
from renoscore.result.provenance import Provenance
from renoscore.system import IndicatorSystem
from renoscore.weighting import Weights

__all__ = ["EvaluationResult", "IndicatorScores"]


class IndicatorScores:
    """The recipe of goalpost indicator scores, run when a result's scores are first read.

    ``scale * goalposts(values, floor, target)`` (OECD/JRC 2008, section 1.5; UNDP 2010,
    Technical note 1): the same kernel as :func:`renoscore.aggregate.score_tree`, so the
    numbers are the ones the group scores were aggregated from. Holds only arrays and
    floats, so a result with pending scores pickles.
    """

    def __init__(
        self,
        values: NDArray[np.float64],
        floor: NDArray[np.float64],
        target: NDArray[np.float64],
        scale: float = 100.0,
    ) -> None:
        self.values, self.floor, self.target, self.scale = values, floor, target, scale

    def __call__(self) -> NDArray[np.float64]:
        S = normalize.goalposts(self.values, self.floor, self.target)
        return np.multiply(S, self.scale, out=S) if self.scale != 1.0 else S


class _ComputedOnRead:
    """An array field of a frozen dataclass that may be given as a recipe to run on first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_store"

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self._slot)  # no class-level default: the field is required
        value = obj.__dict__[self._slot]
        if not isinstance(value, np.ndarray):
            value = np.asarray(value(), dtype=np.float64)
            value.setflags(write=False)
            obj.__dict__[self._slot] = value
        return value

    def __set__(self, obj: object, value: NDArray[np.float64] | IndicatorScores) -> None:
        obj.__dict__[self._slot] = value


@dataclass(frozen=True, eq=False)
class EvaluationResult:
    """Scores, ranks and grades of many communities on every node of a system.

    Attributes
    ----------
    system : IndicatorSystem
    ids, phases : tuple
        Community id and phase of each row, in the order of the input (built on first read;
        :attr:`id_array` and :attr:`phase_codes` give them as arrays).
    indicator_scores : ndarray, shape (N, M)
        Normalised indicator scores on 0-100 (NaN where excluded). With goalposts and a tree
        aggregation they are computed on first read (one more pass over the values, and an
        array the size of the input), so scoring a million communities for their overall
        and dimension scores, ranks and grades does not hold them.
    group_scores : ndarray, shape (N, K)
        Scores of the system's groups (goal first, depth first) on 0-100; NaN where the
        community could not be scored (see ``reasons``).
    coverage : ndarray, shape (N, K)
        Share of each group's applicable weight that was observed; a sub-group that is not
        assessed counts as unobserved with its full weight.
    overall_rank : ndarray, shape (N,)
        Overall rank within the row's phase (1 = best; NaN when not scored). The ranks of
        every group, :attr:`ranks`, are computed on first use.
    grades : ndarray of int, shape (N, K)
        Index into ``system.grades`` (-1 when not scored).
    values, status : ndarray, shape (N, M)
        The input values and cell statuses.
    imputed : ndarray of bool, shape (N, M)
        Cells filled by imputation.
    reasons : tuple of (str or None)
        Why a row has no overall score.
    warnings : tuple of str
        Warnings raised while evaluating.
    provenance : Provenance
    context : dict of str to tuple
        The context columns of the data (not scored).
    applicable : ndarray, shape (N, K), or None
        Share of each group's weight that applies to the row (None: everything applies to
        every row). With ``coverage``, the two numbers of a node's coverage; a group whose
        applicable share is below its minimum is *not assessed* (:meth:`node_coverage`).
    """

    system: IndicatorSystem
    if TYPE_CHECKING:
        ids: tuple[str, ...]
        phases: tuple[str | None, ...]
    else:
        # Stored as given (a text array, PhaseCodes or tuples); a tuple is built on first read.
        ids: RowLabels = RowLabels()
        phases: RowLabels = RowLabels()
    if TYPE_CHECKING:
        indicator_scores: NDArray[np.float64]
    else:
        # An array, or a recipe (IndicatorScores) run on first read.
        indicator_scores: _ComputedOnRead = _ComputedOnRead()
    group_scores: NDArray[np.float64]
    coverage: NDArray[np.float64]
    overall_rank: NDArray[np.float64]
    grades: NDArray[np.int64]
    values: NDArray[np.float64]
    status: NDArray[np.int8]
    imputed: NDArray[np.bool_]
    if TYPE_CHECKING:
        reasons: tuple[str | None, ...]
    else:
        reasons: RowLabels = RowLabels()  # PhaseCodes of the few distinct reasons, or a tuple
    warnings: tuple[str, ...]
    provenance: Provenance
    context: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    applicable: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        pending = self.__dict__.get("_indicator_scores_store")
        if isinstance(pending, np.ndarray):
            pending.setflags(write=False)
        for arr in (
            self.group_scores,
            self.coverage,
            self.overall_rank,
            self.grades,
            self.values,
            self.status,
            self.imputed,
        ):
            arr.setflags(write=False)
        if self.applicable is not None:
            self.applicable.setflags(write=False)

    # ------------------------------------------------------------------ access
    @property
    def weights(self) -> Weights:
        """The weights used."""
        return self.provenance.weights

    @property
    def id_array(self) -> NDArray[Any]:
        """The community ids as a read-only numpy array (no tuple of strings is built)."""
        return label_array(self, "ids")

    @property
    def phase_codes(self) -> PhaseCodes:
        """The phases as integer codes into the distinct phases (first appearance order)."""
        return label_codes(self, "phases")

    @property
    def group_ids(self) -> tuple[str, ...]:
        """Ids of the columns of ``group_scores`` (goal first)."""
        return tuple(g.id for g in self.system.groups)

    @property
    def overall(self) -> NDArray[np.float64]:
        """The overall (goal) score of every row, 0-100."""
        return self.group_scores[:, 0]

    @property
    def rank(self) -> NDArray[np.float64]:
        """The overall rank of every row within its phase."""
        return self.overall_rank

    def applicable_shares(self) -> NDArray[np.float64]:
        """Share of each group's weight that applies to each row, shape (N, K) (ones when
        everything applies)."""
        if self.applicable is None:
            return np.ones(self.group_scores.shape)
        return self.applicable

    def applicable_share(self, row: int, group: int) -> float:
        """Share of a group's weight that applies to one row."""
        return 1.0 if self.applicable is None else float(self.applicable[row, group])

    def node_coverage(self, community: str, phase: str | None = None) -> list[dict[str, Any]]:
        """Every group of one community (in one phase): its score and the two coverage numbers.

        Each record: ``node``, ``score``, ``applicable`` (share of the group's weight that
        applies), ``coverage`` (share of the applicable weight observed), ``minimum`` (the
        group's minimum applicable share), ``status`` (``scored``, ``not assessed``, ``not
        applicable``, ``not observed``, or ``progress check`` for the goal of a row of a
        partial phase) and ``reason`` (None when scored).
        """
        from renoscore.result.coverage import node_coverage

        return node_coverage(self, self.row(community, phase))

    @functools.cached_property
    def ranks(self) -> NDArray[np.float64]:
        """Rank within the row's phase for every group (goal first), shape (N, K).

        Computed on first use with the recorded tie method and tolerance: ranking every
        dimension of a million communities costs more than scoring them.
        """
        out = np.empty(self.group_scores.shape)
        out[:, 0] = self.overall_rank
        out[:, 1:] = rank_within_phase(
            self.group_scores[:, 1:],
            self.phase_codes,
            self.provenance.tie_method,
            self.provenance.tie_tolerance,
        )
        out.setflags(write=False)
        return out

    @functools.cached_property
    def data_digest(self) -> str:
        """SHA-256 of the input (ids, phases, indicator order, values, statuses).

        Equal to :meth:`renoscore.CommunityData.digest` of the data that was scored; computed
        on first use (hashing a million rows takes longer than scoring them).
        """
        return data_digest(
            self.system.indicator_ids, self.ids, self.phases, self.values, self.status
        )

    def full_provenance(self) -> Provenance:
        """The provenance record with the data digest filled in."""
        return self.provenance.model_copy(update={"data_digest": self.data_digest})

    def grade_labels(self, lang: str = "en") -> tuple[str | None, ...]:
        """The overall grade of every row as a label."""
        names = [g.name.get(lang) for g in self.system.grades]
        return tuple(None if g < 0 else names[g] for g in self.grades[:, 0])

    def scores(self, node: str) -> NDArray[np.float64]:
        """Scores (0-100) of any node, group or indicator, for every row."""
        if node in self.group_ids:
            return self.group_scores[:, self.group_ids.index(node)]
        if node in self.system.indicator_ids:
            return self.indicator_scores[:, self.system.indicator_ids.index(node)]
        self.system.node(node)  # raises with a suggestion
        raise AssertionError  # pragma: no cover

    def row(self, community: str, phase: str | None = None) -> int:
        """Position of a community (in a phase) in the result.

        The id is matched as written, else by its key (:func:`renoscore._labels.id_key`:
        full-width forms, invisible characters and case do not count).
        """
        match = self.id_array == community
        if not match.any():
            match = id_keys(self.id_array) == id_key(community)
        if phase is not None:
            pc = self.phase_codes
            match &= pc.codes == (pc.labels.index(phase) if phase in pc.labels else -1)
        hits = np.flatnonzero(match).tolist()
        if not hits:
            from renoscore._validation import suggest

            raise OptionError(
                f"no community {community!r}" + (f" in phase {phase!r}" if phase else ""),
                [
                    Problem(
                        "unknown community",
                        community_id=community,
                        fix=suggest(community, set(self.id_array.tolist())),
                    )
                ],
            )
        if len(hits) > 1:
            phases = [self.phases[r] for r in hits]
            raise OptionError(
                f"community {community!r} has several phases {phases}",
                [Problem("ambiguous", community_id=community, fix=f"use {argument('phase')}")],
            )
        return hits[0]

    def contributions(self) -> NDArray[np.float64]:
        """Global indicator weight x indicator score (0-100), shape (N, M).

        With complete data and arithmetic aggregation a row's contributions sum to its
        overall score.
        """
        return self.indicator_scores * self.weights.indicator_weights()

    def select(self, phase: str) -> EvaluationResult:
        """The rows of one phase (ranks were already computed within phases)."""
        pc = self.phase_codes
        idx = np.flatnonzero(pc.codes == (pc.labels.index(phase) if phase in pc.labels else -1))
        return EvaluationResult(
            system=self.system,
            ids=cast(Any, self.id_array[idx]),
            phases=cast(Any, pc.take(idx)),
            indicator_scores=self.indicator_scores[idx],
            group_scores=self.group_scores[idx],
            coverage=self.coverage[idx],
            overall_rank=self.overall_rank[idx],
            grades=self.grades[idx],
            values=self.values[idx],
            status=self.status[idx],
            imputed=self.imputed[idx],
            reasons=cast(Any, label_codes(self, "reasons").take(idx)),
            warnings=self.warnings,
            provenance=self.provenance,
            context={k: tuple(v[i] for i in idx) for k, v in self.context.items()},
            applicable=None if self.applicable is None else self.applicable[idx],
        )

    @property
    def plot(self) -> Any:
        """Charts of this result (needs the ``plot`` extra).

        ``result.plot.radar(community, phase=None)``, ``result.plot.ranking(phase=None)``;
        see :class:`renoscore.plot.ResultPlots`.
        """
        from renoscore import _views

        return _views.result_plots(self)

    # ------------------------------------------------------------------ explanation
    def fix_first(
        self, community: str, phase: str | None = None, top: int | None = 10
    ) -> list[FixFirstItem]:
        """The problem ledger (问题台账) of one community: what to fix first.

        For each indicator: gap = 1 - s (s the goalpost score in [0, 1]), priority = global
        weight x gap, obstacle degree O = priority / sum(priority) (the obstacle-degree model,
        障碍度模型; e.g. Yang et al. 2014 on urban land-use sustainability obstacle factors).
        Unmet basic-category indicators come first whatever their weight (国办发〔2020〕23号:
        basic items are fixed wherever needed, 应改尽改), then the rest by obstacle degree.
        Indicators not measured (missing / not applicable) are listed last.

        Parameters
        ----------
        community : str
            Community id.
        phase : str, optional
            Needed when the community has several phases.
        top : int or None
            How many lines to return (None: all).

        Returns
        -------
        list of FixFirstItem

        Examples
        --------
        >>> import renoscore as rs
        >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> items = result.fix_first("LY", phase="t0", top=3)
        >>> len(items)
        3
        """
        return fix_first_items(self, community, phase, top)

    def obstacles(
        self, by: Literal["indicator", "supplier", "category", "dimension"] = "indicator"
    ) -> list[dict[str, Any]]:
        """Portfolio view: the largest obstacles across all scored communities.

        Mean obstacle degree of each indicator over the communities (obstacle degree as in
        :meth:`fix_first`; an indicator not measured in a community counts 0 there, so the
        means add up to 1), sorted descending; ``by="supplier"`` / ``"category"`` /
        ``"dimension"`` sums the indicator means within each supplier (government, market,
        society, residents), renovation category or dimension.
        """
        return obstacle_records(self, by)

    # ------------------------------------------------------------------ tables
    def records(self, lang: str = "en") -> list[dict[str, Any]]:
        """One record per row (wide): id, phase, overall score, rank, grade, applicable share,
        coverage and reason, then every group's and indicator's score (None where not a
        number). Built from the columns of :meth:`to_frame`, each turned into Python values
        once."""
        return row_records(wide_columns(self, lang), keep_nan=("applicable",))

    def long_records(self) -> list[dict[str, Any]]:
        """One record per row and node (long): id, phase, node, level, score, rank, grade."""
        out: list[dict[str, Any]] = []
        for r in range(len(self.ids)):
            for k, g in enumerate(self.group_ids):
                out.append(
                    {
                        "community_id": self.ids[r],
                        "phase": self.phases[r],
                        "node": g,
                        "kind": "group",
                        "score": optional_float(self.group_scores[r, k]),
                        "rank": optional_float(self.ranks[r, k]),
                        "grade": int(self.grades[r, k]),
                        "applicable": self.applicable_share(r, k),
                        "coverage": optional_float(self.coverage[r, k]),
                    }
                )
            for j, ind in enumerate(self.system.indicator_ids):
                out.append(
                    {
                        "community_id": self.ids[r],
                        "phase": self.phases[r],
                        "node": ind,
                        "kind": "indicator",
                        "score": optional_float(self.indicator_scores[r, j]),
                        "rank": None,
                        "grade": None,
                        "applicable": 0.0
                        if self.status[r, j] == CellStatus.NOT_APPLICABLE
                        else 1.0,
                        "coverage": 1.0 if self.status[r, j] == CellStatus.OK else 0.0,
                    }
                )
        return out

    def to_frame(self, shape: Literal["wide", "long"] = "wide", lang: str = "en") -> Any:
        """The result as a pandas DataFrame (needs the ``pandas`` extra): the values of
        :meth:`records` (wide) or :meth:`long_records` (long), built column by column."""
        return frame_of(wide_columns(self, lang) if shape == "wide" else long_columns(self))

    def ranking(self, phase: str | None = None, lang: str = "en") -> list[dict[str, Any]]:
        """Rows sorted by overall rank (unscored rows last), optionally one phase only."""
        recs = [r for r in self.records(lang) if phase is None or r["phase"] == phase]
        return sorted(
            recs,
            key=lambda r: (
                str(r["phase"]),
                math.inf if r["rank"] is None else r["rank"],
                r["community_id"],
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild the result, as plain data, with a digest of it."""
        return result_document(self)

    def to_json(self, indent: int | None = None) -> str:
        """JSON text of :meth:`to_dict` (NaN written as null); :meth:`from_json` reads it back."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Any) -> EvaluationResult:
        """Rebuild a result written by :meth:`to_dict`, after checking it.

        Raises
        ------
        ResultError
            When the document is not a result renoscore wrote or does not hold together
            (:mod:`renoscore.result._file`), every problem with its place.
        """
        return cls(**result_fields(data))

    @classmethod
    def from_json(
        cls, text: str | bytes, *, max_bytes: int = MAX_RESULT_BYTES, source: str | None = None
    ) -> EvaluationResult:
        """Rebuild a result from :meth:`to_json` text, after checking it.

        The text is refused beyond ``max_bytes`` and beyond 200 levels of nesting; the
        document is validated against its schema and its consistency (shapes, phases and ids
        against the system, ranks from the scores, grades from the bands, the digests).

        ``source`` names the file the text came from in the problems.

        Raises
        ------
        ResultError
            Every problem with its place (a JSON line, a key path, a row and a column).

        Examples
        --------
        >>> import renoscore as rs
        >>> try:
        ...     EvaluationResult.from_json("{}")
        ... except rs.ResultError as exc:
        ...     print(exc.problems[0].reason)
        no 'format: renoscore.EvaluationResult/1' key
        """
        limits = ResultLimits(max_bytes=max_bytes)
        return cls(**result_fields(parse_result_json(text, source, limits), source, limits))

    def equals(self, other: EvaluationResult) -> bool:
        """Exact equality of every array and record (NaN equal to NaN); the time the result
        was created is not compared."""
        arrays = (
            "indicator_scores",
            "group_scores",
            "coverage",
            "overall_rank",
            "grades",
            "values",
            "status",
            "imputed",
        )
        return (
            self.system == other.system
            and self.ids == other.ids
            and self.phases == other.phases
            and all(
                np.array_equal(getattr(self, a), getattr(other, a), equal_nan=True) for a in arrays
            )
            and self.reasons == other.reasons
            # The clock time of the run is not part of what it computed.
            and self.provenance.model_copy(update={"data_digest": None, "created": ""})
            == other.provenance.model_copy(update={"data_digest": None, "created": ""})
            and self.context == other.context
            and np.array_equal(self.applicable_shares(), other.applicable_shares(), equal_nan=True)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EvaluationResult) and self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ display
    def table(self, phase: str | None = None, lang: str = "en", top: int | None = None) -> str:
        """A plain-text ranking table that fits a terminal.

        With ``lang="zh"`` the headers, dimension names and grades are Chinese; columns line up
        by display width (a Chinese character takes two columns of a terminal).

        Examples
        --------
        >>> import renoscore as rs
        >>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
        >>> print(result.table(phase="t1", lang="zh", top=2))
        排名  小区  阶段  得分  等级  设施改造  公共服务  居民参与与共建共治  社区社会资本  适用占比  覆盖率
           1  ZY04    t1  89.1  优秀      92.3      91.3                81.0          95.4      100%    100%
           2  HJ03    t1  83.9  良好      83.2      91.0                83.8          76.2      100%     98%
        """
        words = CONSOLE[lang_of(lang)]
        dims = self.system.dimensions
        head = [
            *(words[k] for k in ("rank", "community", "phase", "score", "grade")),
            *[d.name.zh if lang == "zh" else d.id[:12] for d in dims],
            words["applicable"],
            words["coverage"],
        ]
        lines = []
        for rec in self.ranking(phase, lang)[: top or None]:
            reason = _reason_cell(rec["reason"], words, lang)
            lines.append(
                [
                    text_number(rec["rank"], ".0f"),
                    clip(str(rec["community_id"]), 14),
                    str(rec["phase"] or "-"),
                    text_number(rec["score"]),
                    clip(str(rec["grade"] or reason or "-"), 14),
                    # A goal's child may be an indicator (a flat system): its score is score_<id>.
                    *[text_number(rec.get(d.id, rec.get(f"score_{d.id}"))) for d in dims],
                    text_percent(rec["applicable"]),
                    text_percent(rec["coverage"]),
                ]
            )
        return text_table(head, lines, align="><" + ">" * (len(head) - 2), rule=False)

    def __repr__(self) -> str:
        scored = int(np.count_nonzero(~np.isnan(self.overall)))
        phases = ", ".join(str(p) for p in self.phase_codes.labels)
        return (
            f"EvaluationResult(system={self.system.id!r} v{self.system.version}, rows={self.group_scores.shape[0]}, "
            f"scored={scored}, phases=[{phases}], normalization={self.provenance.normalization!r}, "
            f"aggregation={self.provenance.aggregation!r})"
        )

    def _repr_html_(self) -> str:
        """Escaped HTML for notebooks: the ranking (see :func:`renoscore.report.repr_html`)."""
        from renoscore import _views

        return _views.result_html(self)


def _reason_cell(reason: str | None, words: dict[str, str], lang: str) -> str | None:
    """Why a row has no grade, in a few words: a progress check, or the reason itself."""
    if reason is None:
        return None
    if reason.startswith("progress check"):
        return words["progress_check"]
    return words["not_scored"] if lang == "zh" else reason
