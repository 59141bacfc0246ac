"""``audit``: the statistical audit of an index, as a list of its stages.

The data are scored once (:func:`renoscore.evaluate`, missing cells re-normalised) so that the
audit reads the indicator, dimension and overall scores that the index publishes; the raw values
feed the distribution, the goalposts the discrimination, the status matrix the availability.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore.audit.availability import availability
from renoscore.audit.consistency import group_consistency
from renoscore.audit.correlation import correlations
from renoscore.audit.discrimination import discrimination
from renoscore.audit.distribution import column_stats, outlier_flags
from renoscore.audit.flags import (
    Flag,
    availability_flags,
    consistency_flags,
    correlation_flags,
    discrimination_flags,
    importance_flags,
)
from renoscore.audit.importance import (
    MainEffects,
    main_effects,
    quantile_main_effects,
    relative,
)
from renoscore.audit.ranks import ColumnRanks, column_ranks
from renoscore.audit.result import AuditResult, AuditSettings
from renoscore.audit.treatment import treat
from renoscore.data import CommunityData, load_data
from renoscore.errors import DataValidationError, OptionError, Problem
from renoscore.system import IndicatorSystem, load_system

__all__ = ["audit"]


def audit(
    system: IndicatorSystem | str,
    data: CommunityData | Any,
    weights: Any = None,
    *,
    phase: str | None = None,
    panel: Any = None,
    settings: AuditSettings | dict[str, Any] | None = None,
    ranks: str | None = None,
) -> AuditResult:
    """Audit an index on community data: availability, distribution, discrimination,
    correlations, consistency and effective importance, with flags.

    Parameters
    ----------
    system : IndicatorSystem or str
    data : CommunityData or table
        Anything :func:`renoscore.load_data` reads.
    weights : Weights, str or None
        As for :func:`renoscore.evaluate` (None: the system's declared weighting).
    phase : str, optional
        The phase of the statistical sections (distribution, correlations, consistency,
        importance): ranks, scores and correlations are within a phase. Default: the first
        phase present in the system's phase order. Availability and discrimination are
        reported for every phase.
    panel : Panel, optional
        Expert judgements, for ``weights="ahp"``.
    settings : AuditSettings or dict, optional
        The rules' thresholds (COINr's and the JRC's defaults).
    ranks : {"auto", "exact", "binned"}, optional
        Overrides ``settings.ranks``: exact ranks (a sort per column), binned ranks (a
        counting sort, exact whenever every bin holds one distinct value), or ``auto`` (exact
        up to 20,000 communities). Recorded in ``result.settings`` and ``result.ranks``.

    Returns
    -------
    AuditResult

    Raises
    ------
    OptionError
        A phase that the data do not hold, or invalid settings.

    Examples
    --------
    >>> import renoscore as rs
    >>> a = rs.audit(rs.default_system(), rs.example_data())
    >>> sorted({f.subject for f in a.flagged("saturated")} & {"f_activity_space_m2"})
    []
    >>> [f.phase for f in a.flagged("floor_bound") if f.subject == "f_elevator_share"]
    []
    """
    system = load_system(system)
    if not isinstance(data, CommunityData):
        data = load_data(data, system)
    _check_fit(system, data)
    cfg = _settings(settings, ranks)
    phases, codes = _phases(system, data)
    chosen = _choose_phase(phases, phase)
    result, notes = _scores(system, data, weights, panel, cfg)
    rows = np.flatnonzero(codes == phases.index(chosen))
    membership = _membership(system)
    av = availability(data.status, codes, len(phases), membership)
    floor, target = system.goalpost_arrays()
    raw = data.values if rows.size == data.n else data.values[rows]
    stats = column_stats(raw)
    known = (stats.n, stats.minimum, stats.maximum) if len(phases) == 1 else None
    disc = discrimination(data.values, floor, target, codes, len(phases), known)
    preview = treat(raw, winmax=cfg.winmax, skew_threshold=cfg.skew_threshold,
                    kurt_threshold=cfg.kurt_threshold, checked=(stats.skew, stats.kurt))  # fmt: skip
    node_ids = (*system.indicator_ids, *result.group_ids)
    Z = _node_scores(result, rows, data.n)
    m = len(system.indicators)
    ranked = column_ranks(Z, cfg.ranks, bins=cfg.rank_bins, exact_up_to=cfg.exact_up_to)
    corr = correlations(Z, range(m), range(m, len(node_ids)), ranked)  # Spearman: ind. x group
    groups = {g.id: [c.id for c in g.children] for g in system.groups}
    col = {n: k for k, n in enumerate(node_ids)}
    consistency = {g: group_consistency(Z, [col[c] for c in ch], corr.moments)
                   for g, ch in groups.items()}  # fmt: skip
    imp_ids = (*system.indicator_ids, *(d.id for d in system.dimensions if d.id in col))
    picked = [col[n] for n in imp_ids]
    effects = _main_effects(Z, result.overall[rows], ranked, picked)
    gw = result.weights.global_weights()
    nominal = np.array([gw.get(n, np.nan) for n in imp_ids])
    flags = _flags(system, cfg, (phases, codes, chosen), data, av, disc, stats, corr,
                   consistency, (imp_ids, effects.S, nominal), node_ids, groups)  # fmt: skip
    return AuditResult(
        system=system, settings=cfg, phase=chosen, phases=tuple(phases), ids=data.ids,
        row_phases=data.phases, communities=int(rows.size), availability=av, stats=stats,
        treatment=preview, discrimination=disc, node_ids=node_ids, correlations=corr,
        consistency=consistency, importance=effects, importance_ids=imp_ids, weights=nominal,
        flags=tuple(flags), weights_method=_method(result.weights), notes=notes,
        ranks=ranked.summary(),
    )  # fmt: skip


def _node_scores(result: Any, rows: NDArray[np.intp], n_rows: int) -> NDArray[np.float64]:
    """``(rows, V)``: the indicator scores, then the group scores, of the audited rows."""
    scores = np.asarray(result.indicator_scores)
    groups = result.group_scores
    m = scores.shape[1]
    Z = np.empty((rows.size, m + groups.shape[1]))
    if rows.size == n_rows:
        Z[:, :m], Z[:, m:] = scores, groups
    else:
        Z[:, :m], Z[:, m:] = scores[rows], groups[rows]
    return Z


def _main_effects(
    Z: NDArray[np.float64], y: NDArray[np.float64], ranks: ColumnRanks, picked: list[int]
) -> MainEffects:
    """The smoother on exact ranks; quantile classes of the binned ranks at scale."""
    if ranks.mode == "exact":
        return main_effects(Z[:, picked], y, ranks=np.ascontiguousarray(ranks.ranks[picked].T))
    return quantile_main_effects(ranks, y, picked)


def _check_fit(system: IndicatorSystem, data: CommunityData) -> None:
    if data.system_id != system.id or data.indicator_ids != system.indicator_ids:
        raise DataValidationError(
            "the data were validated against another system",
            [Problem(f"data system {data.system_id!r}, audited system {system.id!r}",
                     fix="load the data with this system")],
        )  # fmt: skip


def _settings(settings: AuditSettings | dict[str, Any] | None, ranks: str | None) -> AuditSettings:
    given = settings.model_dump() if isinstance(settings, AuditSettings) else dict(settings or {})
    if ranks is not None:
        given["ranks"] = ranks
    try:
        return AuditSettings(**given)
    except Exception as exc:  # pydantic's ValidationError: every problem at once
        raise OptionError("invalid audit settings", [Problem(str(exc))]) from None


def _phases(system: IndicatorSystem, data: CommunityData) -> tuple[list[str | None], NDArray[Any]]:
    """The phases present in the system's order, and every row's code into them."""
    pc = data.phase_codes
    order = {p: k for k, p in enumerate(system.phase_ids)}
    present = sorted(pc.labels, key=lambda p: -1 if p is None else order.get(p, len(order)))
    remap = np.array([present.index(p) for p in pc.labels], dtype=np.intp)
    return list(present), remap[pc.codes] if remap.size else pc.codes


def _choose_phase(phases: list[str | None], phase: str | None) -> str | None:
    if phase is None:
        return phases[0] if phases else None
    if phase not in phases:
        raise OptionError(
            f"the data hold no phase {phase!r}",
            [Problem("unknown phase", value=phase, fix=f"choose among {phases}")],
        )
    return phase


def _scores(
    system: IndicatorSystem, data: CommunityData, weights: Any, panel: Any, cfg: AuditSettings
) -> tuple[Any, tuple[str, ...]]:
    """The evaluation the audit reads; its warnings become notes of the audit."""
    from renoscore.pipeline import evaluate

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        missing: Any = cfg.missing  # validated by AuditSettings' pattern
        result = evaluate(system, data, weights, panel=panel, missing=missing)
    return result, tuple(str(c.message) for c in caught)


def _membership(system: IndicatorSystem) -> NDArray[np.bool_]:
    """``membership[j, g]``: indicator ``j`` lies under group ``g`` (groups in system order)."""
    index = {i: j for j, i in enumerate(system.indicator_ids)}
    out = np.zeros((len(index), len(system.groups)), dtype=bool)
    for g, group in enumerate(system.groups):
        for ind in system.indicators_under(group.id):
            out[index[ind.id], g] = True
    return out


def _flags(
    system: IndicatorSystem,
    cfg: AuditSettings,
    phase_info: tuple[list[str | None], NDArray[Any], str | None],
    data: CommunityData,
    av: Any,
    disc: Any,
    stats: Any,
    corr: Any,
    consistency: Any,
    importance: tuple[tuple[str, ...], NDArray[np.float64], NDArray[np.float64]],
    node_ids: tuple[str, ...],
    groups: dict[str, list[str]],
) -> list[Flag]:
    """Every section's flags, in the order of the sections."""
    phases, codes, chosen = phase_info
    ids = system.indicator_ids
    flags = availability_flags(av, phases, ids, (data.ids, codes), cfg.t_avail, cfg.dat_thresh)
    out = outlier_flags(stats.skew, stats.kurt, cfg.skew_threshold, cfg.kurt_threshold)
    flags += [
        Flag("distribution", "outliers", ids[j], chosen, float(stats.skew[j]), None,
             {"skew": float(stats.skew[j]), "kurt": float(stats.kurt[j])})
        for j in np.flatnonzero(out).tolist()
    ]  # fmt: skip
    flags += discrimination_flags(disc, phases, ids, cfg.max_share)
    dimension_of = {i: system.dimension_of(i) for i in ids if system.dimension_of(i) != i}
    flags += correlation_flags(corr, node_ids, groups, dimension_of, chosen, cfg.significance)
    flags += consistency_flags(consistency, chosen, cfg.alpha_below)
    imp_ids, S, nominal = importance
    m = len(ids)
    for part in (slice(0, m), slice(m, None)):
        s_rel = relative(S[part])
        w_rel = relative(np.where(np.isnan(S[part]), np.nan, nominal[part]))
        flags += importance_flags(imp_ids[part], s_rel, w_rel, chosen, cfg.importance_ratio)
    return flags


def _method(weights: Any) -> str:
    """The weighting methods of the groups, e.g. ``"ahp, equal"`` (in tree order, once each)."""
    return ", ".join(dict.fromkeys(str(nw.method) for nw in weights.nodes.values()))
