"""The sentences and labels of the renovation programme in English and Chinese (公文用语).

The words the programme shares with every other output live in :mod:`renoscore._vocabulary`:
renovation categories (:data:`~renoscore._vocabulary.CATEGORY`), responsible units, funding
sources, ledger statuses, milestones and service kinds, the column headers of the ledger, the
plan and the roll-ups (:data:`~renoscore._vocabulary.COLUMNS`) and their sheet names. Here
are only the programme's own sentences: why an item was or was not funded, the plan's summary
lines, and the names of the roll-up levels.

Examples
--------
>>> from renoscore.programme._words import LEVEL, REASONS, word
>>> LEVEL["zh"]["street"], word("zh", "budget")
('街道', '预算')
>>> REASONS["zh"]["unfunded_cap"].format(district="金水区")
'未纳入计划：金水区资金限额已用完'
"""

from __future__ import annotations

from renoscore._vocabulary import lang_of

__all__ = ["LEVEL", "REASONS", "WORDS", "word"]

#: The levels of a roll-up (context columns) and the total line.
LEVEL: dict[str, dict[str, str]] = {
    "en": {"community": "community", "street": "street", "district": "district", "total": "total"},
    "zh": {"community": "社区", "street": "街道", "district": "区", "total": "合计"},
}

#: Why an item was or was not funded (one per decision).
REASONS: dict[str, dict[str, str]] = {
    "en": {
        "funded_basic": "funded: basic item, fixed wherever needed (应改尽改)",
        "funded_value": "funded: {gpy:.3g} points per 10,000 yuan, within the budget",
        "unfunded_budget": "not funded: the budget is spent on items worth more per yuan",
        "unfunded_basic_budget": (
            "not funded: the budget cannot cover every basic item; cheaper basic items "
            "fund more of them"
        ),
        "unfunded_cap": "not funded: the district's cap is spent ({district})",
        "unfunded_willingness": (
            "not funded: residents' willingness {w:.2f} is below the entry threshold {t:.2f}"
        ),
        "unfunded_no_gain": "not funded: reaching the target adds nothing to the score",
        "no_cost": "no cost line for this indicator in the cost table",
    },
    "zh": {
        "funded_basic": "纳入计划：基础类项目，应改尽改",
        "funded_value": "纳入计划：每万元投资提升{gpy:.3g}分，在预算范围内",
        "unfunded_budget": "未纳入计划：预算优先安排单位投资得分提升更大的项目",
        "unfunded_basic_budget": "未纳入计划：预算不足以覆盖全部基础类项目，优先安排投资较小的基础类项目",
        "unfunded_cap": "未纳入计划：{district}资金限额已用完",
        "unfunded_willingness": "未纳入计划：居民意愿{w:.2f}低于准入门槛{t:.2f}",
        "unfunded_no_gain": "未纳入计划：达到目标值后综合得分无提升",
        "no_cost": "造价表中无该指标的单价",
    },
}

#: The plan's summary lines and the labels of its console table.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "budget": "budget",
        "spent": "spent",
        "funded_items": "funded items",
        "basic_funded": "basic items funded",
        "gain": "expected score gain",
        "weighted_gain": "willingness-weighted gain",
        "optimal": "proved optimal",
        "gap": "proved within {gap:.2g} points of the best plan",
        "marginal": (
            "marginal value of the budget: another {extra} would fund {basic:+d} basic items and "
            "change the willingness-weighted gain by {gain:+.2f} points (basic items come first)"
        ),
        "community": "community",
        "item": "item",
        "cost": "cost (yuan)",
        "ledger_lines": "ledger: {n} lines; {counts}",
        "wrote_lines": "wrote {n} lines to {path}",
    },
    "zh": {
        "budget": "预算",
        "spent": "已安排",
        "funded_items": "纳入计划项目数",
        "basic_funded": "纳入计划的基础类项目数",
        "gain": "预期得分提升",
        "weighted_gain": "意愿加权提升",
        "optimal": "已证明最优",
        "gap": "与最优方案相差不超过{gap:.2g}分",
        "marginal": (
            "预算边际效益：预算再增加{extra}，基础类项目增加{basic:+d}项，"
            "意愿加权提升变化{gain:+.2f}分（基础类项目优先）"
        ),
        "community": "小区",
        "item": "改造项目",
        "cost": "投资（元）",
        "ledger_lines": "问题台账：共{n}条；{counts}",
        "wrote_lines": "已写入{n}条至 {path}",
    },
}


def word(lang: str, key: str) -> str:
    """One word of :data:`WORDS` in ``lang`` (English when the language is unknown).

    Examples
    --------
    >>> word("en", "budget")
    'budget'
    """
    return WORDS[lang_of(lang)][key]
