"""The audit's result: every statistic, every flag, and their tables, JSON and notebook view.

:class:`AuditResult` is frozen. Its sections are read as records (``records(section)``), as
pandas tables (``to_frame(section)``), as one JSON document (``to_json``; the settings and the
audited phase included, so the audit can be repeated), as text (``table``) and in a notebook
(``_repr_html_``, drawn by :mod:`renoscore.report` through :mod:`renoscore._views`).

Examples
--------
>>> import renoscore as rs
>>> a = rs.audit(rs.default_system(), rs.example_data())
>>> a
AuditResult(old_community_renovation: 30 communities in phase t0, 115 flags)
>>> a.records("availability")[0]
{'indicator': 'f_water_supply_ok', 'phase': 't0', 'applicable': 30, 'observed': 1.0}
>>> [f.subject for f in a.flagged("saturated")][:2]
['s_dist_health_centre_m', 's_dist_fresh_food_m']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from renoscore import _views
from renoscore._format import finite_or_none
from renoscore._optional import import_optional
from renoscore.audit._words import REASONS, WORDS
from renoscore.audit.availability import DAT_THRESH, T_AVAIL, Availability
from renoscore.audit.consistency import GroupConsistency
from renoscore.audit.correlation import ALPHA, Correlations
from renoscore.audit.discrimination import MAX_SHARE, Discrimination
from renoscore.audit.distribution import KURT_THRESHOLD, SKEW_THRESHOLD, ColumnStats
from renoscore.audit.flags import Flag
from renoscore.audit.importance import MainEffects
from renoscore.audit.ranks import EXACT_UP_TO, RANK_BINS
from renoscore.audit.treatment import WINMAX, Treatment
from renoscore.errors import OptionError, Problem

if TYPE_CHECKING:
    from renoscore.plot.audit import AuditPlots
    from renoscore.system import IndicatorSystem

__all__ = ["SECTIONS", "AuditResult", "AuditSettings"]

FloatArray = NDArray[np.float64]

#: The sections of the audit, in the order they are reported.
SECTIONS = (
    "availability",
    "communities",
    "distribution",
    "discrimination",
    "correlation",
    "consistency",
    "importance",
    "flags",
)


class AuditSettings(BaseModel):
    """The thresholds of the audit's rules (validated once, recorded in the result).

    Attributes
    ----------
    t_avail : float
        An indicator observed in fewer than this share of the rows where it applies is
        flagged (COINr's ``get_stats``: 0.65).
    dat_thresh : float
        A community with fewer than this share of its applicable cells observed is listed
        for screening (COINr's ``Screen``: 2/3).
    skew_threshold, kurt_threshold : float
        The outlier rule (COINr: 2 and 3.5).
    winmax : int
        Points winsorised at most by the treatment shown (COINr: 5).
    max_share : float
        Share of communities at one goalpost above which an indicator is flagged (0.5).
    significance : float
        Level of the test behind the negative-correlation flag (0.05).
    alpha_below : float
        Cronbach's alpha below which a group is flagged (0.70; Nunnally 1978).
    importance_ratio : float
        Relative importance more than this many times the relative weight, or less than its
        inverse, is flagged (2).
    missing : str
        The missing-data policy of the evaluation whose scores are audited (``renormalize``).
    ranks : {"auto", "exact", "binned"}
        How Spearman's rho and the main effects get the ranks (:mod:`renoscore.audit.ranks`):
        exact (a sort per column), binned (a counting sort over ``rank_bins`` bins, exact
        whenever every bin holds one distinct value, within a recorded bound otherwise), or
        ``auto``: exact up to ``exact_up_to`` communities, binned above.
    rank_bins : int
        Bins per column of the binned ranks (2**12).
    exact_up_to : int
        The largest phase that ``ranks="auto"`` ranks exactly (20,000 communities).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    t_avail: float = Field(default=T_AVAIL, ge=0.0, le=1.0)
    dat_thresh: float = Field(default=DAT_THRESH, ge=0.0, le=1.0)
    skew_threshold: float = Field(default=SKEW_THRESHOLD, gt=0.0)
    kurt_threshold: float = Field(default=KURT_THRESHOLD, gt=0.0)
    winmax: int = Field(default=WINMAX, ge=0)
    max_share: float = Field(default=MAX_SHARE, gt=0.0, lt=1.0)
    significance: float = Field(default=ALPHA, gt=0.0, lt=1.0)
    alpha_below: float = Field(default=0.70, ge=0.0, le=1.0)
    importance_ratio: float = Field(default=2.0, gt=1.0)
    missing: str = Field(default="renormalize", pattern="^(renormalize|impute_mean|impute_median)$")
    ranks: str = Field(default="auto", pattern="^(auto|exact|binned)$")
    rank_bins: int = Field(default=RANK_BINS, ge=2, le=2**20)
    exact_up_to: int = Field(default=EXACT_UP_TO, ge=0)


@dataclass(frozen=True, eq=False)
class AuditResult:
    """The statistical audit of an index on one set of community data (see :func:`audit`).

    Attributes
    ----------
    system : IndicatorSystem
    settings : AuditSettings
    phase : str or None
        The phase of the distribution, correlation, consistency and importance sections.
    phases : tuple of (str or None)
        Every phase present (availability and discrimination are by phase).
    ids, row_phases : tuple of str
        Community id and phase of every row of the data.
    communities : int
        Rows of the audited phase.
    availability : Availability
    stats : ColumnStats
        Raw values of the audited phase, one column per indicator.
    treatment : Treatment
        What COINr's treatment would do to the audited phase's raw values (nothing is changed:
        treatment is applied, if wanted, by the evaluation).
    discrimination : Discrimination
    node_ids : tuple of str
        Columns of the correlation matrices: the indicators, then the groups (goal first).
    correlations : Correlations
    consistency : dict of str to GroupConsistency
    importance : MainEffects
        Main effects on the overall score of the indicators, then of the dimensions
        (``importance_ids``).
    importance_ids : tuple of str
    weights : ndarray
        The nominal global weight of each of ``importance_ids``.
    flags : tuple of Flag
    weights_method : str
    notes : tuple of str
        The warnings of the evaluation the audit read.
    ranks : dict
        How the ranks were made: ``mode`` (``exact`` or ``binned``), ``bins``, the columns
        proven exact, and the bounds on a rank's and on Spearman's rho's error
        (:meth:`~renoscore.audit.ranks.ColumnRanks.summary`).
    """

    system: IndicatorSystem
    settings: AuditSettings
    phase: str | None
    phases: tuple[str | None, ...]
    ids: tuple[str, ...]
    row_phases: tuple[str | None, ...]
    communities: int
    availability: Availability
    stats: ColumnStats
    treatment: Treatment
    discrimination: Discrimination
    node_ids: tuple[str, ...]
    correlations: Correlations
    consistency: dict[str, GroupConsistency]
    importance: MainEffects
    importance_ids: tuple[str, ...]
    weights: FloatArray
    flags: tuple[Flag, ...]
    weights_method: str = "declared"
    notes: tuple[str, ...] = field(default_factory=tuple)
    ranks: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ reading
    def name(self, lang: str = "en") -> Callable[[str | None], str]:
        """A function giving a node's name (its id for a community or an unknown node)."""

        def show(node: str | None) -> str:
            if node is None:
                return ""
            try:
                return self.system.node(node).name.get(lang)
            except Exception:
                return node

        return show

    def flagged(self, code: str | None = None) -> list[Flag]:
        """The flags, or those of one rule."""
        return [f for f in self.flags if code is None or f.code == code]

    def records(self, section: str, lang: str = "en") -> list[dict[str, Any]]:
        """The rows of one section as plain records (one of :data:`SECTIONS`)."""
        if section not in SECTIONS:
            raise OptionError(
                f"no audit section {section!r}",
                [Problem("unknown section", value=section, fix=f"use one of {list(SECTIONS)}")],
            )
        from renoscore.audit import _tables

        return _tables.section_records(self, section, lang)

    def to_frame(self, section: str = "flags", lang: str = "en") -> Any:
        """One section as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "AuditResult.to_frame")
        return pd.DataFrame(self.records(section, lang))

    def to_dict(self) -> dict[str, Any]:
        """Settings, phase and every section's records, as plain data."""
        return {
            "format": "renoscore.AuditResult/1",
            "system": {"id": self.system.id, "version": self.system.version},
            "settings": self.settings.model_dump(),
            "phase": self.phase,
            "phases": list(self.phases),
            "communities": self.communities,
            "weights_method": self.weights_method,
            "ranks": dict(self.ranks),
            "treatment": self.treatment.to_dict(self.system.indicator_ids),
            "sections": {s: self.records(s) for s in SECTIONS},
        }

    def to_json(self, indent: int | None = None) -> str:
        """JSON text of :meth:`to_dict` (NaN written as null)."""
        return json.dumps(
            _clean(self.to_dict()), ensure_ascii=False, indent=indent, allow_nan=False
        )

    def table(self, lang: str = "en") -> str:
        """The flags as plain text, one line each, grouped by section."""
        w = WORDS[lang]
        show = self.name(lang)
        lines = [
            f"{w['audit']}: "
            + w["summary"].format(n=self.communities, phase=self.phase or "-", f=len(self.flags))
        ]
        if self.ranks.get("mode") == "binned":
            lines.append(self.ranks_text(lang))
        for section in SECTIONS[:-1]:
            mine = [f for f in self.flags if f.section == section]
            if not mine:
                continue
            lines.append(f"\n{w[section if section != 'communities' else 'availability']}")
            for f in mine:
                where = f" [{f.phase}]" if f.phase else ""
                who = f.subject if f.code == "screened" else f"{show(f.subject)} ({f.subject})"
                lines.append(f"  {who}{where}: {f.text(lang, show)}")
        if not self.flags:
            lines.append(w["no_flags"])
        return "\n".join(lines)

    def ranks_text(self, lang: str = "en") -> str:
        """One sentence saying how the ranks were made and how accurate they are."""
        r = self.ranks
        if r.get("mode") != "binned":
            return str(WORDS[lang]["ranks_exact"])
        return str(WORDS[lang]["ranks_binned"]).format(
            bins=r["bins"], k=r["exact_columns"], v=r["columns"], e=r["max_spearman_error"]
        )

    def reason(self, code: str | None, lang: str = "en", **fields: Any) -> str:
        """The sentence of a reason code (why a statistic is not given)."""
        return "" if code is None else REASONS[lang][code].format(**fields)

    @property
    def plot(self) -> AuditPlots:
        """The audit's charts (needs the ``plot`` extra to draw)."""
        return _views.audit_plots(self)

    def _repr_html_(self) -> str:
        return _views.audit_html(self)

    def __repr__(self) -> str:
        return (
            f"AuditResult({self.system.id}: {self.communities} communities in phase "
            f"{self.phase}, {len(self.flags)} flags)"
        )


def _clean(obj: Any) -> Any:
    """Plain JSON values: NaN and infinities as None, numpy scalars as Python numbers."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return finite_or_none(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
