"""The effect of renovation on every node, with its uncertainty: :class:`RenovationEffect`.

Made by :func:`renoscore.effects.renovation_effect`. Every array is indexed by node (the goal,
the groups, then the indicators; :attr:`RenovationEffect.node_ids`). The effect of a node is
*clear* when its whole interval is on one side of 0 (the classes of
:func:`renoscore.pipeline.change_intervals.change_classes`).

Examples
--------
Sixty simulated communities, the worse ones more often renovated, observed before and a year
after; renovation adds a tenth of the goalpost span to every facility indicator:

>>> import renoscore as rs
>>> from renoscore.effects import renovation_effect, simulate_waves
>>> sim = simulate_waves(n=60, seed=3)
>>> result = rs.evaluate(rs.default_system(), sim.data, missing="renormalize")
>>> effect = renovation_effect(result, sim.treated)
>>> effect
RenovationEffect(t0 -> t1: 29 renovated, 31 comparison; renovation_performance +3.8 [+3.7, +3.9])
>>> k = effect.column("facilities")
>>> round(sim.truth["facilities"], 1), round(float(effect.effect[k]), 1)
(9.6, 9.7)
>>> effect.records()[k]["class"], round(effect.records()[k]["treated_change"], 1)
('positive', 12.5)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore._display import text_table
from renoscore._optional import import_optional
from renoscore._vocabulary import CONSOLE, lang_of
from renoscore.pipeline.change_intervals import change_classes
from renoscore.system import IndicatorSystem

__all__ = ["EFFECT_WORDS", "RenovationEffect"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: The class of an effect in words: a clear effect is one whose whole interval is one side of 0.
EFFECT_WORDS = {
    "en": {1: "positive", 0: "no clear effect", -1: "negative"},
    "zh": {1: "正向", 0: "无明显作用", -1: "负向"},
}


@dataclass(frozen=True, eq=False)
class RenovationEffect:
    """Difference-in-differences estimates of the effect of renovation, node by node.

    Attributes
    ----------
    system : IndicatorSystem
    phases : tuple of str
        The phases compared, in time order; ``post`` is the first after renovation.
    treated_ids, control_ids : tuple of str
        The renovated communities and the comparison group, those observed both before and
        after renovation (the others add nothing to the estimate).
    node_ids : tuple of str
        The goal, the groups, then the indicators: the columns of every array.
    effect, se, lower, upper, p_value : ndarray
        The effect on the score (0-100), its clustered standard error, interval and two-sided
        p-value (Student's t with G - 1 degrees of freedom).
    n_obs, n_clusters, n_params : ndarray of int
        Rows, communities (clusters) and the ``K`` of the small-sample factor, per node.
    factor : ndarray
        The small-sample factor applied to the clustered covariance.
    correction : str
        Its name (see :mod:`renoscore.effects.twfe`).
    level : float
        The confidence level of the intervals.
    lead_phases : tuple of str
        The pre-renovation phases whose lead was estimated (empty with one phase before).
    lead, lead_se : ndarray, shape (len(lead_phases), nodes)
        The leads (treated x phase before renovation) and their standard errors.
    pretrend_p : ndarray
        p-value of the joint test that every lead is 0 (NaN without leads).
    treated_change, control_change : ndarray
        The mean change of the renovated and of the comparison communities between the last
        phase before and ``post``: the naive before/after reading and the trend it ignores.
    regressors : tuple of str
        The columns of the regression besides the absorbed community effects.
    """

    system: IndicatorSystem
    phases: tuple[str, ...]
    post: str
    treated_ids: tuple[str, ...]
    control_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    effect: FloatArray
    se: FloatArray
    lower: FloatArray
    upper: FloatArray
    p_value: FloatArray
    n_obs: IntArray
    n_clusters: IntArray
    n_params: IntArray
    factor: FloatArray
    correction: str
    level: float
    lead_phases: tuple[str, ...]
    lead: FloatArray
    lead_se: FloatArray
    pretrend_p: FloatArray
    treated_change: FloatArray
    control_change: FloatArray
    regressors: tuple[str, ...]

    @property
    def effect_class(self) -> FloatArray:
        """1 (clearly positive), 0 (no clear effect), -1 (clearly negative), NaN (no estimate)."""
        half = (self.upper - self.lower) / 2.0
        return change_classes(self.effect, half)

    def column(self, node: str) -> int:
        """The column of a node (a group or an indicator)."""
        if node not in self.node_ids:
            self.system.node(node)  # raises with a suggestion
        return self.node_ids.index(node)

    def records(self, lang: str = "en") -> list[dict[str, Any]]:
        """One record per node: the effect, its interval and class, the naive changes."""
        words = EFFECT_WORDS[lang_of(lang)]
        classes = self.effect_class
        groups = len(self.system.groups)
        out = []
        for k, node in enumerate(self.node_ids):
            rec: dict[str, Any] = {
                "node": node,
                "kind": "group" if k < groups else "indicator",
                "effect": _num(self.effect[k]),
                "se": _num(self.se[k]),
                "low": _num(self.lower[k]),
                "high": _num(self.upper[k]),
                "p_value": _num(self.p_value[k]),
                "class": None if np.isnan(classes[k]) else words[int(classes[k])],
                "treated_change": _num(self.treated_change[k]),
                "control_change": _num(self.control_change[k]),
                "pretrend_p": _num(self.pretrend_p[k]),
                "rows": int(self.n_obs[k]),
                "communities": int(self.n_clusters[k]),
            }
            for p, phase in enumerate(self.lead_phases):
                rec[f"lead_{phase}"] = _num(self.lead[p, k])
                rec[f"lead_{phase}_se"] = _num(self.lead_se[p, k])
            out.append(rec)
        return out

    def summary(self) -> dict[str, Any]:
        """The design, the correction and the effect on the goal and every dimension."""
        goal = self.node_ids[0]
        dims = [d.id for d in self.system.dimensions]
        recs = {r["node"]: r for r in self.records()}
        return {
            "phases": list(self.phases),
            "post": self.post,
            "renovated": len(self.treated_ids),
            "comparison": len(self.control_ids),
            "correction": self.correction,
            "level": self.level,
            "overall": recs[goal],
            "dimensions": {d: recs[d] for d in dims if d in recs},
            "pretrend_check": bool(self.lead_phases),
            "notes": self.notes(),
        }

    def notes(self, lang: str = "en") -> list[str]:
        """Caveats a reader should see: few clusters, a failed pre-trend check, the design."""
        zh = lang_of(lang) == "zh"
        out = [
            f"对照组：{len(self.control_ids)}个未改造小区；标准误按小区聚类（{self.correction}小样本校正）"
            if zh
            else f"comparison: {len(self.control_ids)} communities not renovated; clustered by "
            f"community ({self.correction} correction)"
        ]
        g = int(self.n_clusters.max()) if self.n_clusters.size else 0
        if g < 30:
            out.append(
                f"聚类数仅{g}个：聚类数较少时区间可能偏窄（Cameron & Miller 2015）"
                if zh
                else f"only {g} clusters: cluster-robust intervals can be too narrow with few "
                "clusters (Cameron & Miller 2015)"
            )
        if not self.lead_phases:
            out.append(
                "改造前仅一个阶段，无法检验平行趋势"
                if zh
                else "one phase before renovation: no pre-trend check"
            )
            return out
        failed = [
            self.node_ids[k]
            for k in range(len(self.node_ids))
            if self.pretrend_p[k] < 1.0 - self.level
        ]
        if failed:
            listed = ", ".join(failed[:8]) + (" ..." if len(failed) > 8 else "")
            out.append(
                f"平行趋势检验未通过（{self.level:.0%}水平）：{listed}"
                if zh
                else f"pre-trend check fails at the {self.level:.0%} level for {listed}"
            )
        return out

    def table(self, lang: str = "en", nodes: str = "dimensions") -> str:
        """A text table of the effect on the goal and the dimensions (or every node)."""
        words = CONSOLE[lang_of(lang)]
        cls = EFFECT_WORDS[lang_of(lang)]
        chosen = (
            list(self.node_ids)
            if nodes == "all"
            else [self.node_ids[0], *(d.id for d in self.system.dimensions)]
        )
        rows = []
        for node in chosen:
            k = self.column(node)
            name = self.system.node(node).name.get(lang_of(lang)) if lang == "zh" else node
            code = self.effect_class[k]
            rows.append(
                [
                    name,
                    _f(self.treated_change[k]),
                    _f(self.control_change[k]),
                    _f(self.effect[k]),
                    f"[{_f(self.lower[k])}, {_f(self.upper[k])}]",
                    "-" if math.isnan(self.p_value[k]) else f"{self.p_value[k]:.3f}",
                    "-" if np.isnan(code) else cls[int(code)],
                ]
            )
        head = [
            words["node"],
            words["renovated_change"],
            words["comparison_change"],
            words["effect"],
            words["change_interval"].format(level=f"{self.level:.0%}"),
            "p",
            words["change_class"],
        ]
        return text_table(head, rows, align="<>>><>>", rule=False)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (JSON-ready)."""
        return {
            "format": "renoscore.RenovationEffect/1",
            "system": {"id": self.system.id, "version": self.system.version},
            "phases": list(self.phases),
            "post": self.post,
            "treated": list(self.treated_ids),
            "comparison": list(self.control_ids),
            "correction": self.correction,
            "level": self.level,
            "regressors": list(self.regressors),
            "records": self.records(),
            "notes": self.notes(),
        }

    def to_json(self, indent: int | None = 1) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    def to_frame(self, lang: str = "en") -> Any:
        """The records as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = import_optional("pandas", "RenovationEffect.to_frame")
        return pd.DataFrame(self.records(lang))

    def __repr__(self) -> str:
        k = 0
        return (
            f"RenovationEffect({self.phases[0]} -> {self.post}: {len(self.treated_ids)} renovated, "
            f"{len(self.control_ids)} comparison; {self.node_ids[k]} {_f(self.effect[k])} "
            f"[{_f(self.lower[k])}, {_f(self.upper[k])}])"
        )


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _f(x: float) -> str:
    return "-" if not math.isfinite(float(x)) else f"{x:+.1f}"
