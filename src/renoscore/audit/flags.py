"""The audit's flags: one record per finding, and the rules that raise them.

A :class:`Flag` names the section, the rule (``code``), the node (indicator or group) or
community it is about, the phase, the value that tripped the rule and any other numbers its
sentence needs; :meth:`Flag.text` says it in English or Chinese (:mod:`renoscore.audit._words`).
Each ``*_flags`` function applies the rules of one section to that section's statistics.

Examples
--------
>>> flag = Flag(
...     "distribution", "outliers", "f_elevator_share", "t0", 3.70,
...     details={"skew": 3.70, "kurt": 12.62},
... )
>>> flag.text("en"), flag.text("zh")
('outliers: skewness 3.70, kurtosis 12.62', '存在异常值：偏度3.70，峰度12.62')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore.audit._words import FLAGS
from renoscore.audit.availability import Availability
from renoscore.audit.consistency import GroupConsistency
from renoscore.audit.correlation import REDUNDANT_ABOVE, Correlations
from renoscore.audit.discrimination import Discrimination

__all__ = [
    "Flag",
    "availability_flags",
    "consistency_flags",
    "correlation_flags",
    "discrimination_flags",
    "importance_flags",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Flag:
    """One finding of the audit.

    Attributes
    ----------
    section : str
        ``availability``, ``distribution``, ``discrimination``, ``correlation``,
        ``consistency`` or ``importance``.
    code : str
        The rule: ``low_availability``, ``screened``, ``outliers``, ``saturated``,
        ``floor_bound``, ``constant``, ``negative``, ``redundant``, ``other_dimension``,
        ``low_alpha``, ``multidimensional``, ``importance_high``, ``importance_low``.
    subject : str
        The indicator, group or community id.
    phase : str or None
    value : float
        The number that tripped the rule.
    other : str or None
        The second node of a pair (correlation flags).
    details : dict
        Further numbers of the sentence (``skew``, ``kurt``, ``own``, ``S_rel``, ``w_rel``,
        ``group``).
    """

    section: str
    code: str
    subject: str
    phase: str | None
    value: float
    other: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en", name: Any = None) -> str:
        """The flag as a sentence; ``name(id)`` gives node names (default: the ids)."""
        show = name or (lambda node: node)
        fields = {**self.details, "value": self.value, "other": show(self.other)}
        if "group" in self.details:
            fields["group"] = show(self.details["group"])
        return FLAGS[lang][self.code].format(**fields)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "section": self.section,
            "code": self.code,
            "subject": self.subject,
            "phase": self.phase,
            "value": float(self.value),
            "other": self.other,
            "details": dict(self.details),
        }


def availability_flags(
    av: Availability,
    phases: Sequence[str | None],
    indicator_ids: Sequence[str],
    rows: tuple[Sequence[str], NDArray[np.intp]],
    t_avail: float,
    dat_thresh: float,
) -> list[Flag]:
    """Indicators observed below ``t_avail`` in a phase; communities below ``dat_thresh``."""
    out: list[Flag] = []
    with np.errstate(invalid="ignore"):
        low = (av.indicator < t_avail) & (av.indicator_applicable > 0)
    for p, j in zip(*np.nonzero(low), strict=True):
        phase = phases[p]
        out.append(Flag("availability", "low_availability", indicator_ids[j], phase,
                        float(av.indicator[p, j])))  # fmt: skip
    ids, codes = rows
    with np.errstate(invalid="ignore"):
        screened = np.flatnonzero(av.row < dat_thresh)
    for r in screened.tolist():
        out.append(Flag("availability", "screened", ids[r], phases[codes[r]], float(av.row[r])))
    return out


def discrimination_flags(
    d: Discrimination, phases: Sequence[str | None], indicator_ids: Sequence[str], max_share: float
) -> list[Flag]:
    """Saturated, floor-bound and constant indicators, by phase."""
    out: list[Flag] = []
    for code, mask, values in (
        ("constant", d.constant(), np.ones(d.at_floor.shape)),
        ("saturated", d.saturated(max_share) & ~d.constant(), d.at_target),
        ("floor_bound", d.floor_bound(max_share) & ~d.constant(), d.at_floor),
    ):
        for p, j in zip(*np.nonzero(mask), strict=True):
            out.append(
                Flag("discrimination", code, indicator_ids[j], phases[p], float(values[p, j]))
            )
    return out


def correlation_flags(
    c: Correlations,
    node_ids: Sequence[str],
    groups: Mapping[str, Sequence[str]],
    dimension_of: Mapping[str, str],
    phase: str | None,
    alpha: float,
) -> list[Flag]:
    """Significant negative and redundant pairs inside a group; indicators closer to another
    dimension than to their own."""
    col = {n: k for k, n in enumerate(node_ids)}
    out: list[Flag] = []
    for g, children in groups.items():
        idx = [col[ch] for ch in children]
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
                r, p = float(c.pearson[a, b]), float(c.p_pearson[a, b])
                if np.isnan(r):
                    continue
                pair = (node_ids[a], phase, r, node_ids[b], {"group": g})
                if r < 0 and p < alpha:
                    out.append(Flag("correlation", "negative", *pair))
                if abs(r) > REDUNDANT_ABOVE:
                    out.append(Flag("correlation", "redundant", *pair))
    dims = sorted(set(dimension_of.values()), key=lambda d: col[d])
    for ind, own in dimension_of.items():
        i = col[ind]
        r_own = float(c.pearson[i, col[own]])
        others = [(float(c.pearson[i, col[d]]), d) for d in dims if d != own]
        others = [(r, d) for r, d in others if not np.isnan(r)]
        if not others or np.isnan(r_own):
            continue
        r_best, d_best = max(others)
        if r_best > r_own:
            out.append(Flag("correlation", "other_dimension", ind, phase, r_best, d_best,
                            {"own": r_own}))  # fmt: skip
    return out


def consistency_flags(
    by_group: Mapping[str, GroupConsistency], phase: str | None, alpha_below: float
) -> list[Flag]:
    """Groups with Cronbach's alpha below ``alpha_below``; groups with more than one
    eigenvalue above 1."""
    out: list[Flag] = []
    for g, gc in by_group.items():
        if not np.isnan(gc.alpha) and gc.alpha < alpha_below:
            out.append(Flag("consistency", "low_alpha", g, phase, gc.alpha))
        if gc.eigen_above_one is not None and gc.eigen_above_one > 1:
            out.append(Flag("consistency", "multidimensional", g, phase, gc.eigen_above_one))
    return out


def importance_flags(
    node_ids: Sequence[str],
    s_rel: FloatArray,
    w_rel: FloatArray,
    phase: str | None,
    ratio: float,
) -> list[Flag]:
    """Nodes whose relative importance is more than ``ratio`` times (or less than 1/ratio
    times) their relative nominal weight."""
    out: list[Flag] = []
    with np.errstate(invalid="ignore", divide="ignore"):
        q = s_rel / w_rel
    for k, node in enumerate(node_ids):
        if not (np.isfinite(q[k]) and w_rel[k] > 0):
            continue
        details = {"S_rel": float(s_rel[k]), "w_rel": float(w_rel[k])}
        if q[k] > ratio:
            out.append(
                Flag("importance", "importance_high", node, phase, float(q[k]), None, details)
            )
        elif q[k] < 1.0 / ratio:
            out.append(
                Flag("importance", "importance_low", node, phase, float(q[k]), None, details)
            )
    return out
