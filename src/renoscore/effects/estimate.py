r"""The effect of renovation against a comparison group: :func:`renovation_effect`.

Renovated communities were chosen because they were worse (the example data simulate that
selection): their before/after change mixes the effect of renovation with what would have
happened anyway, and a comparison with other communities after renovation mixes it with how
they differed before. With renovated and not-yet-renovated communities observed in the same
phases, the difference in differences separates them (Card & Krueger 1994; Angrist & Pischke
2009, ch. 5): for every node (the goal, each group, each indicator) the two-way fixed-effects
regression

.. math:: y_{it} = \alpha_i + \lambda_t + \beta\, D_{it}
    + \sum_{k} \gamma_k\, \text{treated}_i \mathbb{1}[t = k] + x_{it}'\delta + \varepsilon_{it}

with community effects :math:`\alpha_i`, phase effects :math:`\lambda_t`, the treatment
:math:`D_{it}` = renovated and in a phase from ``post`` on, and leads :math:`\gamma_k` for the
pre-renovation phases after the first (an event-study check of parallel trends where three or
more phases exist; Autor 2003). :math:`\hat\beta` is the effect; its standard error is clustered
by community, with the small-sample correction named by ``correction`` (default: the one Stata's
``reghdfe`` and ``xtreg, fe`` print; see :mod:`renoscore.effects.twfe`), and its interval uses
Student's t with G - 1 degrees of freedom (G communities). All nodes are fitted by one solve
per pattern of missing scores.

Covariates are context columns: one that changes within communities enters as it is; one that
does not (build year, households) is absorbed by the community effects and enters as its
interaction with the phases, so that communities that differ in it may trend differently
(conditional parallel trends).

References
----------
Card, D. & Krueger, A. B. (1994). Minimum wages and employment: a case study of the fast-food
    industry in New Jersey and Pennsylvania. *American Economic Review* 84(4), 772-793.
Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton University
    Press, chapter 5.
Autor, D. H. (2003). Outsourcing at will: the contribution of unjust dismissal doctrine to the
    growth of employment outsourcing. *Journal of Labor Economics* 21(1), 1-42 (leads and lags).
Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we trust differences-in-
    differences estimates? *Quarterly Journal of Economics* 119(1), 249-275 (clustering).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.effects import renovation_effect, simulate_waves
>>> sim = simulate_waves(n=60, seed=3)
>>> result = rs.evaluate(rs.default_system(), sim.data)
>>> eff = renovation_effect(result, sim.treated, ("t0", "t1"))
>>> k = eff.node_ids.index("facilities")
>>> bool(abs(eff.effect[k] - sim.truth["facilities"]) < 3 * eff.se[k])
True
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from renoscore._calling import argument
from renoscore._validation import suggest
from renoscore.effects.result import RenovationEffect
from renoscore.effects.twfe import CORRECTIONS, Correction, within_ols
from renoscore.errors import OptionError, Problem
from renoscore.result import EvaluationResult

__all__ = ["renovation_effect"]

FloatArray = NDArray[np.float64]


def renovation_effect(
    result: EvaluationResult,
    treated: Collection[str],
    phases: Sequence[str] | None = None,
    *,
    post: str | None = None,
    covariates: Sequence[str] = (),
    correction: Correction = "stata",
    level: float = 0.95,
) -> RenovationEffect:
    """The effect of renovation on every node, by difference in differences.

    Parameters
    ----------
    result : EvaluationResult
        Renovated and comparison communities scored in two or more phases.
    treated : collection of str
        The ids of the renovated communities; every other community of the phases is the
        comparison group.
    phases : sequence of str, optional
        The phases, in time order (default: the two phases of a result that holds two).
    post : str, optional
        The first phase after renovation (default: the last of ``phases``); the earlier ones
        are before it.
    covariates : sequence of str
        Numeric context columns to control for.
    correction : {"stata", "full", "cluster", "none"}
        The small-sample correction of the clustered standard errors.
    level : float
        The confidence level of the intervals (default 0.95).

    Returns
    -------
    RenovationEffect

    Raises
    ------
    OptionError
        Unknown phases, a single phase, phases that share no community, treated ids the
        result does not hold, no comparison community (or none observed before and after),
        no renovated community observed before and after, an unknown correction or level, or
        a covariate that is not a numeric context column.
    """
    if correction not in CORRECTIONS:
        raise OptionError(
            f"unknown small-sample correction {correction!r}",
            [Problem("not a correction", value=correction, fix=f"use one of {list(CORRECTIONS)}")],
        )
    if not 0.0 < level < 1.0:
        raise OptionError("level must be between 0 and 1", [Problem("invalid level", value=level)])
    order = _phases(result, phases)
    post_at = _post(order, post)
    rows, t = _sample(result, order)
    ids = result.id_array[rows]
    is_treated = _treated(result, ids, treated)
    _check_groups(ids, t, is_treated, post_at, order)
    design, names, test = _design(result, rows, t, is_treated, post_at, len(order), covariates)
    Y = np.hstack([result.group_scores[rows], result.indicator_scores[rows]])
    fit = within_ols(Y, design, _codes(ids), test=test, correction=correction)
    return _effect_result(
        result, order, post_at, (ids, is_treated, t), Y, fit, names, (correction, level)
    )


def _phases(result: EvaluationResult, phases: Sequence[str] | None) -> list[str]:
    """The phases compared, in time order; each must be present, at least two."""
    present = [p for p in result.phase_codes.labels if p is not None]
    if phases is None:
        if len(present) != 2:
            raise OptionError(
                "say which phases to compare",
                [
                    Problem(
                        f"the result holds phases {present}",
                        fix=f"use {argument('phases', '(before, after)')} (two or more, in time order)",
                    )
                ],
            )
        order = {p: k for k, p in enumerate(result.system.phase_ids)}
        return sorted(present, key=lambda p: order.get(p, len(order)))
    chosen = list(dict.fromkeys(phases))
    unknown = [p for p in chosen if p not in present]
    if unknown:
        raise OptionError(
            "the result has no rows in some of the phases",
            [Problem(f"no rows in phase {p!r}", value=p, fix=suggest(p, present)) for p in unknown],
        )
    if len(chosen) < 2:
        raise OptionError(
            "a difference in differences needs two or more phases",
            [
                Problem(
                    f"one phase given: {chosen}", fix=f"use {argument('phases', '(before, after)')}"
                )
            ],
        )
    return chosen


def _post(order: list[str], post: str | None) -> int:
    """Where the first phase after renovation stands among the phases (not first)."""
    if post is None:
        return len(order) - 1
    if post not in order or order.index(post) == 0:
        raise OptionError(
            "post must be one of the phases, after the first",
            [
                Problem(
                    f"post {post!r}, phases {order}", fix="name the first phase after renovation"
                )
            ],
        )
    return order.index(post)


def _sample(
    result: EvaluationResult, order: list[str]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The rows in the phases and each row's position in ``order``."""
    pc = result.phase_codes
    position = np.full(len(pc.labels), -1, dtype=np.intp)
    for k, label in enumerate(pc.labels):
        if label in order:
            position[k] = order.index(label)
    t = position[pc.codes]
    rows = np.flatnonzero(t >= 0)
    return rows, t[rows]


def _treated(
    result: EvaluationResult, ids: NDArray[Any], treated: Collection[str]
) -> NDArray[np.bool_]:
    """Which rows belong to renovated communities; unknown ids are refused, all at once."""
    if isinstance(treated, str):
        treated = [treated]
    wanted = set(treated)
    known = set(result.id_array.tolist())
    unknown = sorted(wanted - known)
    if unknown:
        raise OptionError(
            f"{len(unknown)} renovated communities are not in the result",
            [Problem("unknown community", community_id=c, fix=suggest(c, known)) for c in unknown],
        )
    if not wanted:
        raise OptionError(
            "no renovated community given",
            [Problem("treated is empty", fix="pass the ids of the renovated communities")],
        )
    return np.isin(ids, list(wanted))


def _check_groups(
    ids: NDArray[Any],
    t: NDArray[np.intp],
    treated: NDArray[np.bool_],
    post_at: int,
    order: list[str],
) -> None:
    """Refuse a sample with no comparison group, no overlap or no before/after pairs."""
    before, after = order[:post_at], order[post_at:]

    def both(mask: NDArray[np.bool_]) -> int:
        return len(_before_and_after(ids, t, mask, post_at))

    _, counts = np.unique(ids, return_counts=True)
    if not (counts > 1).any():
        raise OptionError(
            "the phases share no community",
            [
                Problem(
                    f"no community has rows in two of the phases {order}",
                    fix="observe the same communities in the phases compared",
                )
            ],
        )
    if treated.all():
        raise OptionError(
            "no comparison group: every community in these phases was renovated",
            [Problem("no community without renovation", fix="add communities not (yet) renovated")],
        )
    problems = []
    if both(~treated) == 0:
        problems.append(
            Problem(
                f"no community without renovation has rows both before ({', '.join(before)}) "
                f"and after ({', '.join(after)})",
                fix="observe comparison communities in the same phases as the renovated ones",
            )
        )
    if both(treated) == 0:
        problems.append(
            Problem(
                f"no renovated community has rows both before ({', '.join(before)}) and after "
                f"({', '.join(after)})",
                fix="give rows of the renovated communities before and after the works",
            )
        )
    if problems:
        raise OptionError("no comparison group observed before and after renovation", problems)


def _design(
    result: EvaluationResult,
    rows: NDArray[np.intp],
    t: NDArray[np.intp],
    treated: NDArray[np.bool_],
    post_at: int,
    n_phases: int,
    covariates: Sequence[str],
) -> tuple[FloatArray, list[str], list[int]]:
    """The regressors: the treatment, the phase dummies, the leads and the covariates."""
    columns = [(treated & (t >= post_at)).astype(np.float64)]
    names = ["renovated"]
    for k in range(1, n_phases):
        columns.append((t == k).astype(np.float64))
        names.append(f"phase {k}")
    leads = list(range(1, post_at))
    for k in leads:
        columns.append((treated & (t == k)).astype(np.float64))
        names.append(f"lead {k}")
    test = [0, *range(n_phases, n_phases + len(leads))]
    ids = result.id_array[rows]
    for name in covariates:
        x = _covariate(result, rows, name)
        if _varies_within(x, ids):
            columns.append(x)
            names.append(name)
        else:
            for k in range(1, n_phases):
                columns.append(x * (t == k))
                names.append(f"{name} x phase {k}")
    return np.column_stack(columns), names, test


def _covariate(result: EvaluationResult, rows: NDArray[np.intp], name: str) -> FloatArray:
    """A context column of the sample as numbers; refused when absent or not numeric."""
    if name not in result.context:
        raise OptionError(
            f"no context column {name!r}",
            [Problem("unknown covariate", column=name, fix=suggest(name, result.context))],
        )
    cells = [result.context[name][r] for r in rows.tolist()]
    try:
        x = np.array([float(c) for c in cells], dtype=np.float64)
    except (TypeError, ValueError):
        x = np.full(len(cells), np.nan)
    if not np.isfinite(x).all():
        raise OptionError(
            f"covariate {name!r} is not a number in every row",
            [Problem("not numeric", column=name, fix="use a numeric context column, filled")],
        )
    return x


def _codes(ids: NDArray[Any]) -> NDArray[np.intp]:
    """Community ids as integer codes, in order of first appearance (no sort of strings)."""
    index: dict[Any, int] = {}
    return np.fromiter(
        (index.setdefault(c, len(index)) for c in ids.tolist()), dtype=np.intp, count=len(ids)
    )


def _varies_within(x: FloatArray, ids: NDArray[Any]) -> bool:
    """Whether ``x`` changes within any community."""
    code = _codes(ids)
    lo = np.full(int(code.max()) + 1, np.inf)
    hi = np.full(int(code.max()) + 1, -np.inf)
    np.minimum.at(lo, code, x)
    np.maximum.at(hi, code, x)
    return bool((hi > lo).any())


def _effect_result(
    result: EvaluationResult,
    order: list[str],
    post_at: int,
    sample: tuple[NDArray[Any], NDArray[np.bool_], NDArray[np.intp]],
    Y: FloatArray,
    fit: Any,
    names: list[str],
    settings: tuple[str, float],
) -> RenovationEffect:
    """The estimates with their intervals, the pre-trend check and the naive changes."""
    ids, treated, t = sample
    correction, level = settings
    code = _codes(ids)
    df = np.maximum(fit.n_clusters - 1, 1).astype(np.float64)
    se = np.sqrt(fit.cov[0, 0])
    crit = stats.t.ppf(0.5 + level / 2.0, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = 2.0 * stats.t.sf(np.abs(fit.coef[0] / se), df)
    leads = fit.coef[1:]
    lead_se = np.sqrt(np.diagonal(fit.cov[1:, 1:], axis1=0, axis2=1).T) if len(leads) else leads
    pretrend = _joint_p(leads, fit.cov[1:, 1:], df) if len(leads) else np.full(Y.shape[1], np.nan)
    last_pre = post_at - 1
    return RenovationEffect(
        system=result.system,
        phases=tuple(order),
        post=order[post_at],
        treated_ids=_before_and_after(ids, t, treated, post_at),
        control_ids=_before_and_after(ids, t, ~treated, post_at),
        node_ids=(*result.group_ids, *result.system.indicator_ids),
        effect=fit.coef[0],
        se=se,
        lower=fit.coef[0] - crit * se,
        upper=fit.coef[0] + crit * se,
        p_value=p_value,
        n_obs=fit.n_obs,
        n_clusters=fit.n_clusters,
        n_params=fit.n_params,
        factor=fit.factor,
        correction=correction,
        level=level,
        lead_phases=tuple(order[1:post_at]),
        lead=leads,
        lead_se=lead_se,
        pretrend_p=pretrend,
        treated_change=_mean_change(Y, code, t, treated, last_pre, post_at),
        control_change=_mean_change(Y, code, t, ~treated, last_pre, post_at),
        regressors=tuple(names),
    )


def _before_and_after(
    ids: NDArray[Any], t: NDArray[np.intp], group: NDArray[np.bool_], post_at: int
) -> tuple[str, ...]:
    """The communities of a group observed both before and after renovation."""
    before = set(ids[group & (t < post_at)].tolist())
    after = set(ids[group & (t >= post_at)].tolist())
    return tuple(sorted(before & after))


def _joint_p(b: FloatArray, V: FloatArray, df: FloatArray) -> FloatArray:
    """p-value of the joint Wald test that every lead is 0, per node (F with q, G - 1 df)."""
    q, j_count = b.shape
    out = np.full(j_count, np.nan)
    for j in range(j_count):
        if np.isnan(b[:, j]).any() or np.isnan(V[:, :, j]).any():
            continue
        stat = float(b[:, j] @ np.linalg.pinv(V[:, :, j]) @ b[:, j]) / q
        out[j] = float(stats.f.sf(stat, q, df[j]))
    return out


def _mean_change(
    Y: FloatArray,
    code: NDArray[np.intp],
    t: NDArray[np.intp],
    group: NDArray[np.bool_],
    before: int,
    after: int,
) -> FloatArray:
    """The mean change of a group's communities between two phases, per node (pairs only)."""
    n_codes = int(code.max()) + 1 if code.size else 0
    first = np.full((n_codes, Y.shape[1]), np.nan)
    second = np.full((n_codes, Y.shape[1]), np.nan)
    a, b = group & (t == before), group & (t == after)
    first[code[a]] = Y[a]
    second[code[b]] = Y[b]
    diff = second - first
    seen = ~np.isnan(diff)
    counts = seen.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(seen, diff, 0.0).sum(axis=0)
        return np.asarray(np.where(counts > 0, total / counts, np.nan), dtype=np.float64)
