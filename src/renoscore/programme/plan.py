"""The budgeted priority list: which items in which communities to fund.

:func:`plan_programme` takes an evaluation, a budget (and optionally caps per district), the
cost table and the willingness columns, and solves the selection exactly
(:func:`~renoscore.programme.optimise.solve_selection`: the most basic items first, 应改尽改;
then the most willingness-weighted score gain; then the least cost). Every item gets a
decision with its reason, every community its expected gain, and the plan the marginal value
of the budget: the same problem solved again with ``extra`` more yuan (1,000,000 by default).
A MILP has no dual price: its value is a step function of the budget, flat between the
points where one more item fits, so the derivative is 0 or undefined; re-solving answers
"what would another million buy" exactly.

Examples
--------
>>> import renoscore as rs
>>> from renoscore.programme import plan_programme
>>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> plan = plan_programme(r, "3000万")
>>> plan.selection.optimal, plan.spent <= 30_000_000
(True, True)
>>> plan.selection.basic_funded == plan.selection.basic_max
True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from renoscore._display import text_table
from renoscore._vocabulary import CATEGORY, YES_NO, Lang, lang_of
from renoscore.errors import PlanWarning
from renoscore.programme._words import REASONS, word
from renoscore.programme.amounts import format_amount, parse_amount
from renoscore.programme.costs import CostTable, default_costs
from renoscore.programme.items import RenovationItems, district_codes, renovation_items
from renoscore.programme.optimise import Selection, solve_selection

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["ProgrammePlan", "ledger_path", "plan_programme"]


@dataclass(frozen=True)
class ProgrammePlan:
    """A solved programme: the decision on every item, and what the budget buys.

    Attributes
    ----------
    items : RenovationItems
        Every unmet renovation item of the phase.
    funded : bool array
        The decision on each item.
    reason : list of str
        Why, as a key of the programme's reasons (``funded_basic``, ``unfunded_budget``, ...).
    value : float array
        Willingness-weighted gain of each item (``gain x willingness``; 0 when ineligible).
    budget : float
        Yuan.
    caps : dict of str to float
        Caps per district (yuan).
    selection : Selection
        What the solver proved.
    marginal : Selection
        The same problem with ``extra`` more yuan.
    extra : float
    min_willingness : float or None
    district_column : str
    """

    items: RenovationItems
    funded: NDArray[np.bool_]
    reason: list[str]
    value: NDArray[np.float64]
    budget: float
    caps: dict[str, float]
    selection: Selection
    marginal: Selection
    extra: float
    min_willingness: float | None
    district_column: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def spent(self) -> float:
        """Yuan spent by the plan."""
        return float(np.nansum(self.items.cost[self.funded]))

    @property
    def gain(self) -> float:
        """Total score gain of the funded items (points summed over communities)."""
        return float(self.items.gain[self.funded].sum())

    @property
    def marginal_gain(self) -> float:
        """Willingness-weighted gain that ``extra`` more yuan buys."""
        return self.marginal.value - self.selection.value

    def reason_text(self, k: int, lang: str = "en") -> str:
        """The reason of item ``k`` as a sentence."""
        words = REASONS[lang_of(lang)]
        key = self.reason[k]
        cost = self.items.cost[k]
        gpy = 1e4 * self.value[k] / cost if cost > 0 else float("inf")
        district = self.items.context(self.district_column)[k] if self.caps else ""
        return words[key].format(
            gpy=gpy, w=self.items.willingness[k], t=self.min_willingness or 0.0, district=district
        )

    def records(self, lang: Lang = "en", *, funded_only: bool = False) -> list[dict[str, Any]]:
        """One record per item: community, indicator, category, cost, gains, decision, reason.

        Keys are the machine keys of :data:`renoscore._vocabulary.COLUMNS` (a file in Chinese
        takes their words as headers); the category and the reason are in ``lang``.
        """
        lang = lang_of(lang)
        it = self.items
        sys = it.result.system
        names = it.context("name")
        districts = it.context(self.district_column)
        streets = it.context("street")
        ids = it.community_ids()
        out: list[dict[str, Any]] = []
        for k in range(it.n):
            if funded_only and not self.funded[k]:
                continue
            ind = sys.indicators[it.indicator[k]]
            out.append(
                {
                    "community_id": str(ids[k]),
                    "name": names[k],
                    "district": districts[k],
                    "street": streets[k],
                    "indicator": ind.id,
                    "indicator_name": ind.name.get(lang),
                    "category": CATEGORY[lang][ind.category.value],
                    "cost": _num(it.cost[k]),
                    "gain": float(it.gain[k]),
                    "willingness": float(it.willingness[k]),
                    "weighted_gain": float(self.value[k]),
                    "gain_per_10k_yuan": _num(1e4 * self.value[k] / it.cost[k])
                    if it.cost[k] > 0
                    else None,
                    "funded": bool(self.funded[k]),
                    "decision_reason": self.reason_text(k, lang),
                }
            )
        return out

    def community_records(self, lang: Lang = "en") -> list[dict[str, Any]]:
        """One record per community: items and cost funded, score now and expected after."""
        it = self.items
        res = it.result
        rows = np.unique(it.row)
        pos = np.searchsorted(rows, it.row)
        n_items = np.bincount(pos, weights=self.funded.astype(float), minlength=rows.size)
        cost = np.bincount(
            pos, weights=np.where(self.funded, np.nan_to_num(it.cost), 0.0), minlength=rows.size
        )
        gain = np.bincount(pos, weights=np.where(self.funded, it.gain, 0.0), minlength=rows.size)
        names = res.context.get("name")
        districts = res.context.get(self.district_column)
        out: list[dict[str, Any]] = []
        for k, r in enumerate(rows.tolist()):
            now = float(res.overall[r])
            out.append(
                {
                    "community_id": str(res.ids[r]),
                    "name": None if names is None else names[r],
                    "district": None if districts is None else districts[r],
                    "funded_items": int(n_items[k]),
                    "cost": float(cost[k]),
                    "score_now": now,
                    "gain": float(gain[k]),
                    "score_after": min(100.0, now + float(gain[k])),
                }
            )
        out.sort(key=lambda d: (-d["gain"], d["community_id"]))
        return out

    def summary(self, lang: Lang = "en") -> str:
        """A few lines: budget, spent, items and basic items funded, gain, marginal value."""
        s, m = self.selection, self.marginal
        yes, no = YES_NO[lang_of(lang)]
        sep = "；" if lang == "zh" else "; "
        colon = "：" if lang == "zh" else ": "

        def fmt(y: float) -> str:
            return format_amount(y, lang)

        proof = f"{word(lang, 'optimal')}{colon}{yes if s.optimal else no}"
        if not s.optimal:
            gap = word(lang, "gap").format(gap=s.bound - s.value)
            proof += f"（{gap}）" if lang == "zh" else f" ({gap})"
        lines = [
            f"{word(lang, 'budget')}{colon}{fmt(self.budget)}{sep}"
            f"{word(lang, 'spent')}{colon}{fmt(self.spent)}",
            f"{word(lang, 'funded_items')}{colon}{int(self.funded.sum())} / {self.items.n}{sep}"
            f"{word(lang, 'basic_funded')}{colon}{s.basic_funded} / {int(self.items.basic.sum())}",
            f"{word(lang, 'gain')}{colon}{self.gain:.2f}{sep}"
            f"{word(lang, 'weighted_gain')}{colon}{s.value:.2f}{sep}{proof}",
            word(lang, "marginal").format(
                extra=fmt(self.extra),
                gain=self.marginal_gain,
                basic=m.basic_funded - s.basic_funded,
            ),
        ]
        return "\n".join(lines)

    def tables(self, lang: Lang = "en") -> dict[str, list[dict[str, Any]]]:
        """The plan's tables as written to files, headers and codes in ``lang``: every item
        with its decision (``plan``), the communities (``plan_communities``) and the problem
        ledger (``ledger``)."""
        from renoscore.io._localize import localized_table
        from renoscore.programme.ledger import build_ledger

        lang = lang_of(lang)
        system = self.items.result.system
        context = tuple(self.items.result.context)
        return {
            "plan": localized_table("plan", self.records(lang), system, lang, context),
            "plan_communities": localized_table(
                "plan_communities", self.community_records(lang), system, lang, context
            ),
            "ledger": build_ledger(self, lang=lang).records(),
        }

    def save(
        self,
        path: str | Path,
        lang: Lang = "en",
        *,
        overwrite: bool = True,
        inputs: Mapping[str, str | Path] | None = None,
    ) -> list[Path]:
        """Write the plan: an Excel workbook with the sheets of :meth:`tables`, or (CSV, JSON,
        Parquet) the items to ``path`` and the ledger beside it (:func:`ledger_path`).

        Each file is written whole or not at all; ``overwrite=False`` refuses an existing
        file and ``inputs`` names files that are never written over
        (:func:`renoscore.io.write_table`).

        Returns
        -------
        list of Path
            The files written.
        """
        from renoscore.io.write import write_sheets, write_table

        path = Path(path)
        tables = self.tables(lang)
        rules: dict[str, Any] = {"overwrite": overwrite, "inputs": inputs}
        if path.suffix.lower() == ".xlsx":
            return [write_sheets(tables, path, lang=lang, **rules)]
        return [
            write_table(tables["plan"], path, **rules),
            write_table(tables["ledger"], ledger_path(path), **rules),
        ]

    def table(self, lang: Lang = "en", top: int | None = None) -> str:
        """The funded items as a plain-text table: basic items first, then value per yuan."""
        lang = lang_of(lang)
        recs = self.records(lang, funded_only=True)
        recs.sort(
            key=lambda d: (d["category"] != CATEGORY[lang]["basic"], -(d["gain_per_10k_yuan"] or 0))
        )
        head = [word(lang, k) for k in ("community", "item", "cost", "gain")]
        rows = [
            [
                f"{r['community_id']} {r['name'] or ''}".strip(),
                f"{r['indicator_name']} [{r['category']}]",
                f"{r['cost']:,.0f}",
                f"{r['gain']:.2f}",
            ]
            for r in recs[: top or None]
        ]
        return text_table(head, rows, align="<<>>", rule=False)


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def plan_programme(
    result: EvaluationResult,
    budget: float | str,
    *,
    costs: CostTable | None = None,
    phase: str | None = "auto",
    district_caps: Mapping[str, float | str] | None = None,
    district_column: str = "district",
    willingness: Sequence[str] = (),
    min_willingness: float | None = None,
    extra: float | str = 1_000_000,
    time_limit: float = 60.0,
) -> ProgrammePlan:
    """Choose the items to fund under a budget: basic items first, then gain per yuan.

    Parameters
    ----------
    result : EvaluationResult
        Scored with goalposts and the arithmetic (or geometric) mean.
    budget : float or str
        Yuan, or text such as ``"3000万"`` (see :func:`~renoscore.programme.parse_amount`).
    costs : CostTable, optional
        Default: the shipped table of the release of the result's system
        (:func:`~renoscore.programme.default_costs`).
    phase : str, None or "auto"
        The phase the items come from (default: the first, before renovation).
    district_caps : mapping, optional
        Most each district may spend (yuan or text amounts), keyed by the values of
        ``district_column``; districts not named have no cap.
    district_column : str
        The context column naming each community's district.
    willingness : sequence of str
        Context columns or indicators with residents' willingness shares (see
        :mod:`renoscore.programme.items`); an item's value is its gain times the mean.
    min_willingness : float, optional
        Entry threshold: communities below it are not funded (e.g. 2/3).
    extra : float or str
        The budget added for the marginal value (default 1,000,000 yuan).
    time_limit : float
        Seconds each MILP may take.

    Returns
    -------
    ProgrammePlan

    Warns
    -----
    PlanWarning
        When a MILP stopped at its time limit, or the gains are first-order (geometric mean).
    """
    money = parse_amount(budget, what="budget")
    plus = parse_amount(extra, what="extra")
    caps = {k: parse_amount(v, what=f"cap of {k}") for k, v in (district_caps or {}).items()}
    table = costs or default_costs(result.system)
    items = renovation_items(result, table, phase=phase, willingness=willingness)
    group, cap_values, _ = district_codes(items, district_column, caps)
    eligible = items.priced.copy()
    if min_willingness is not None:
        eligible &= items.willingness >= min_willingness
    value = np.where(eligible, items.gain * items.willingness, 0.0)
    idx = np.flatnonzero(eligible)
    cost = np.nan_to_num(items.cost)

    def solve(total: float) -> Selection:
        return solve_selection(
            value[idx],
            cost[idx],
            items.basic[idx],
            total,
            group[idx],
            cap_values,
            time_limit=time_limit,
        )

    sel, more = solve(money), solve(money + plus)
    funded = np.zeros(items.n, dtype=bool)
    funded[idx[sel.chosen]] = True
    notes = _warnings(result, sel)
    reason = _reasons(items, funded, value, eligible, group, cap_values, min_willingness)
    return ProgrammePlan(
        items,
        funded,
        reason,
        value,
        money,
        caps,
        sel,
        more,
        plus,
        min_willingness,
        district_column,
        tuple(notes),
    )


def _warnings(result: EvaluationResult, sel: Selection) -> list[str]:
    notes = []
    if not sel.optimal:
        notes.append(
            "the plan is the best found within the time limit, not proved optimal "
            f"(value {sel.value:.4f}, bound {sel.bound:.4f}); raise time_limit"
        )
    if result.provenance.aggregation != "arithmetic":
        notes.append(
            "gains of several items of one community do not add up under the geometric mean: "
            "the plan's gains are first-order estimates"
        )
    for note in notes:
        warnings.warn(note, PlanWarning, stacklevel=3)
    return notes


def _reasons(
    items: RenovationItems,
    funded: NDArray[np.bool_],
    value: NDArray[np.float64],
    eligible: NDArray[np.bool_],
    group: NDArray[np.intp],
    caps: NDArray[np.float64],
    min_willingness: float | None,
) -> list[str]:
    """Why each item was funded or not, as a key of the reasons."""
    cost = np.nan_to_num(items.cost)
    spent = np.bincount(
        group[funded & (group >= 0)], weights=cost[funded & (group >= 0)], minlength=caps.size
    )
    over_cap = np.zeros(items.n, dtype=bool)
    has = group >= 0
    over_cap[has] = spent[group[has]] + cost[has] > caps[group[has]] + 1e-6
    basic = items.basic
    # the first condition that holds gives the reason (np.select keeps the order)
    conditions = [
        funded & basic,
        funded,
        ~items.priced,
        ~eligible if min_willingness is not None else np.zeros(items.n, dtype=bool),
        (value <= 0) & ~basic,
        over_cap,
        basic,
    ]
    chosen = np.select(conditions, list(range(len(conditions))), default=len(conditions))
    return [_REASON_ORDER[k] for k in chosen.tolist()]


#: The reasons of :func:`_reasons`, in the order of its conditions; the last when none holds.
_REASON_ORDER = (
    "funded_basic",
    "funded_value",
    "no_cost",
    "unfunded_willingness",
    "unfunded_no_gain",
    "unfunded_cap",
    "unfunded_basic_budget",
    "unfunded_budget",
)


def ledger_path(path: str | Path) -> Path:
    """Where :meth:`ProgrammePlan.save` writes the ledger of a plan saved to a CSV, JSON or
    Parquet ``path``: beside it, as ``<stem>_ledger<suffix>``.

    Examples
    --------
    >>> ledger_path("out/plan.csv").as_posix()
    'out/plan_ledger.csv'
    """
    path = Path(path)
    return path.with_name(f"{path.stem}_ledger{path.suffix}")
