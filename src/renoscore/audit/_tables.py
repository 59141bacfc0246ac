"""The records of each section of an audit (the rows of its tables, JSON and frames)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from renoscore._format import finite_or_none
from renoscore.audit.importance import relative

if TYPE_CHECKING:
    from renoscore.audit.result import AuditResult

__all__ = ["section_records", "treatment_text"]


def treatment_text(a: AuditResult, j: int, lang: str) -> str:
    """What COINr's treatment would do to indicator ``j``, in words."""
    from renoscore.audit._words import WORDS

    w = WORDS[lang]
    for c in a.treatment.columns:
        if c.column == j:
            if c.step == "log":
                return w["treat_log"] if c.passes[2] else w["treat_fails"]
            return w["treat_winsorised"].format(k=c.winsorised)
    return w["treat_none"]


def section_records(a: AuditResult, section: str, lang: str) -> list[dict[str, Any]]:
    """The records of one section."""
    return {
        "availability": _availability,
        "communities": _communities,
        "distribution": _distribution,
        "discrimination": _discrimination,
        "correlation": _correlation,
        "consistency": _consistency,
        "importance": _importance,
        "flags": _flags,
    }[section](a, lang)


def _availability(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    av = a.availability
    return [
        {"indicator": ind, "phase": p, "applicable": int(av.indicator_applicable[k, j]),
         "observed": finite_or_none(av.indicator[k, j])}
        for k, p in enumerate(a.phases)
        for j, ind in enumerate(a.system.indicator_ids)
        if av.indicator_applicable[k, j] > 0
    ]  # fmt: skip


def _communities(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    av = a.availability
    groups = [g.id for g in a.system.groups]
    out = []
    for r, (cid, p) in enumerate(zip(a.ids, a.row_phases, strict=True)):
        rec: dict[str, Any] = {
            "community_id": cid,
            "phase": p,
            "observed": finite_or_none(av.row[r]),
        }
        rec.update({f"observed_{g}": finite_or_none(av.group[r, k]) for k, g in enumerate(groups)})
        rec["screened"] = bool(av.row[r] < a.settings.dat_thresh)
        out.append(rec)
    return out


def _distribution(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    s = a.stats
    from renoscore.audit.distribution import outlier_flags

    out_flag = outlier_flags(s.skew, s.kurt, a.settings.skew_threshold, a.settings.kurt_threshold)
    return [
        {"indicator": ind, "n": int(s.n[j]), "mean": finite_or_none(s.mean[j]), "sd": finite_or_none(s.sd[j]),
         "min": finite_or_none(s.minimum[j]), "median": finite_or_none(s.median[j]), "max": finite_or_none(s.maximum[j]),
         "skew": finite_or_none(s.skew[j]), "kurt": finite_or_none(s.kurt[j]), "outliers": bool(out_flag[j]),
         "constant": bool(s.constant[j]), "treatment": treatment_text(a, j, lang)}
        for j, ind in enumerate(a.system.indicator_ids)
        if s.n[j] > 0
    ]  # fmt: skip


def _discrimination(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    d = a.discrimination
    return [
        {"indicator": ind, "phase": p, "observed": int(d.observed[k, j]),
         "at_floor": finite_or_none(d.at_floor[k, j]), "at_target": finite_or_none(d.at_target[k, j]),
         "constant": bool(d.distinct[k, j] == 1 and d.observed[k, j] >= 2)}
        for k, p in enumerate(a.phases)
        for j, ind in enumerate(a.system.indicator_ids)
        if d.observed[k, j] > 0
    ]  # fmt: skip


def _correlation(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    """Each indicator with its own dimension, the closest other dimension and the overall."""
    col = {n: k for k, n in enumerate(a.node_ids)}
    c = a.correlations
    dims = [d.id for d in a.system.dimensions if d.id in col]
    goal = a.system.goal.id
    out = []
    for ind in a.system.indicator_ids:
        i = col[ind]
        own = a.system.dimension_of(ind)
        rec: dict[str, Any] = {"indicator": ind, "dimension": own}
        for d in dims:
            rec[f"pearson_{d}"] = finite_or_none(c.pearson[i, col[d]])
            rec[f"spearman_{d}"] = finite_or_none(c.spearman[i, col[d]])
        rec["pearson_overall"] = finite_or_none(c.pearson[i, col[goal]])
        rec["spearman_overall"] = finite_or_none(c.spearman[i, col[goal]])
        out.append(rec)
    return out


def _consistency(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    out = []
    for g, gc in a.consistency.items():
        node = a.system.node(g)
        kids = () if node.is_indicator else getattr(node, "children", ())
        names = ", ".join(kids[k].id for k in gc.constant)
        out.append(
            {"group": g, "children": gc.k, "alpha": finite_or_none(gc.alpha),
             "alpha_note": a.reason(gc.alpha_reason, lang),
             "complete": gc.complete, "first_share": finite_or_none(gc.first_share),
             "eigen_above_one": gc.eigen_above_one,
             "eigenvalues": [round(e, 6) for e in gc.eigenvalues],
             "pca_note": a.reason(gc.pca_reason, lang, names=names)}
        )  # fmt: skip
    return out


def _importance(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    me = a.importance
    m = len(a.system.indicators)
    col = {n: k for k, n in enumerate(a.node_ids)}
    goal = col[a.system.goal.id]
    out = []
    for part in (slice(0, m), slice(m, None)):
        ids = a.importance_ids[part]
        s_rel = relative(me.S[part])
        w = a.weights[part]
        w_rel = relative(np.where(np.isnan(me.S[part]), np.nan, w))
        for k, node in enumerate(ids):
            j = part.start + k
            r = a.correlations.pearson[col[node], goal] if node in col else np.nan
            out.append(
                {"node": node, "level": "indicator" if part.start == 0 else "dimension",
                 "S": finite_or_none(me.S[j]), "S_rel": finite_or_none(s_rel[k]), "weight": finite_or_none(w[k]),
                 "w_rel": finite_or_none(w_rel[k]), "r2": finite_or_none(r * r), "n": int(me.n[j]),
                 "bandwidth": finite_or_none(me.bandwidth[j]),
                 "note": a.reason("constant", lang) if me.constant[j] else ""}
            )  # fmt: skip
    return out


def _flags(a: AuditResult, lang: str) -> list[dict[str, Any]]:
    show = a.name(lang)
    return [{**f.to_dict(), "text": f.text(lang, show)} for f in a.flags]
