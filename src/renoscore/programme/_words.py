"""The words of the renovation programme in English and Chinese (公文用语).

Renovation categories, responsible units, funding sources, ledger statuses, milestones, the
ledger's and the plan's column headers and the reasons given for each funding decision. Every
table, message and report section of :mod:`renoscore.programme` takes its words from here.

Examples
--------
>>> from renoscore.programme._words import STATUS, word
>>> STATUS["zh"]["signed_off"], word("zh", "responsible")
('已销号', '责任单位')
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CATEGORY",
    "FUNDING",
    "LEDGER_HEADERS",
    "MILESTONES",
    "REASONS",
    "RESPONSIBLE",
    "SERVICE",
    "STATUS",
    "WORDS",
    "Lang",
    "word",
]

Lang = Literal["en", "zh"]

#: Renovation categories (国办发〔2020〕23号: 基础类、完善类、提升类).
CATEGORY: dict[str, dict[str, str]] = {
    "en": {"basic": "basic", "improvement": "improvement", "upgrade": "upgrade"},
    "zh": {"basic": "基础类", "improvement": "完善类", "upgrade": "提升类"},
}

#: Who is responsible for carrying out an item (责任单位).
RESPONSIBLE: dict[str, dict[str, str]] = {
    "en": {
        "street_office": "street office",
        "housing_bureau": "district housing and urban-rural development bureau",
        "utility_company": "utility company",
        "property_company": "property service company",
        "residents": "residents (owners' committee)",
        "community_committee": "community residents' committee",
        "market": "market operator",
    },
    "zh": {
        "street_office": "街道办事处",
        "housing_bureau": "区住房和城乡建设局",
        "utility_company": "专营单位",
        "property_company": "物业服务企业",
        "residents": "居民(业主委员会)",
        "community_committee": "社区居民委员会",
        "market": "市场主体",
    },
}

#: Where the money comes from (资金来源).
FUNDING: dict[str, dict[str, str]] = {
    "en": {
        "central_subsidy": "central subsidy",
        "local_budget": "local budget",
        "utilities": "utility companies",
        "private_capital": "private capital",
        "residents": "residents' contribution",
    },
    "zh": {
        "central_subsidy": "中央补助资金",
        "local_budget": "地方财政资金",
        "utilities": "专营单位出资",
        "private_capital": "社会资本",
        "residents": "居民出资",
    },
}

#: The statuses a ledger line may have (the declared list; 销号 is sign-off).
STATUS: dict[str, dict[str, str]] = {
    "en": {
        "not_started": "not started",
        "in_progress": "in progress",
        "completed": "completed",
        "signed_off": "signed off",
        "deferred": "deferred",
    },
    "zh": {
        "not_started": "未启动",
        "in_progress": "实施中",
        "completed": "已完成",
        "signed_off": "已销号",
        "deferred": "暂缓实施",
    },
}

#: Kinds of service point (the map's legend).
SERVICE: dict[str, dict[str, str]] = {
    "en": {
        "health": "health station",
        "elderly_daycare": "elderly day care",
        "kindergarten": "kindergarten",
        "fresh_food": "fresh food",
        "service_station": "service station",
    },
    "zh": {
        "health": "社区卫生服务站",
        "elderly_daycare": "日间照料中心",
        "kindergarten": "幼儿园",
        "fresh_food": "便民菜店",
        "service_station": "社区综合服务站",
    },
}

#: The milestones of a community's renovation project, in order.
MILESTONES: dict[str, dict[str, str]] = {
    "en": {
        "application": "application",
        "design": "design",
        "publicity": "plan made public",
        "start": "works start",
        "acceptance": "completion acceptance",
        "handover": "handover",
    },
    "zh": {
        "application": "申报",
        "design": "设计",
        "publicity": "方案公示",
        "start": "开工",
        "acceptance": "竣工验收",
        "handover": "移交",
    },
}

#: The ledger's columns (key -> header); the Chinese headers are those offices use.
LEDGER_HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "item_id": "item no.",
        "community_id": "community id",
        "community": "community",
        "street": "street",
        "district": "district",
        "indicator": "indicator id",
        "problem": "problem",
        "category": "category",
        "responsible": "responsible unit",
        "measure": "measure",
        "quantity": "quantity",
        "unit": "unit",
        "cost": "estimated cost (yuan)",
        "funding": "funding source",
        "gain": "expected score gain",
        "funded": "in the plan",
        "deadline": "planned completion date",
        "status": "status",
        "completed_on": "completion date",
        "signed_off_on": "sign-off date",
        "note": "note",
    },
    "zh": {
        "item_id": "序号",
        "community_id": "小区编号",
        "community": "小区名称",
        "street": "街道",
        "district": "区",
        "indicator": "指标编号",
        "problem": "存在问题",
        "category": "改造类别",
        "responsible": "责任单位",
        "measure": "整改措施",
        "quantity": "工程量",
        "unit": "计量单位",
        "cost": "估算投资(元)",
        "funding": "资金来源",
        "gain": "预期得分提升",
        "funded": "是否纳入计划",
        "deadline": "计划完成时间",
        "status": "办理状态",
        "completed_on": "完成时间",
        "signed_off_on": "销号时间",
        "note": "备注",
    },
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
        "funded_basic": "纳入计划:基础类项目,应改尽改",
        "funded_value": "纳入计划:每万元提升{gpy:.3g}分,在预算之内",
        "unfunded_budget": "未纳入:预算优先安排单位投资提升更大的项目",
        "unfunded_basic_budget": "未纳入:预算不足以覆盖全部基础类项目,优先安排投资较小的基础类项目",
        "unfunded_cap": "未纳入:{district}资金限额已用完",
        "unfunded_willingness": "未纳入:居民意愿{w:.2f}低于准入门槛{t:.2f}",
        "unfunded_no_gain": "未纳入:达标后得分无提升",
        "no_cost": "造价表中无该指标的单价",
    },
}

#: Every other word of the programme's tables and messages.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "responsible": "responsible unit",
        "indicator": "item",
        "funding": "funding source",
        "deadline": "planned completion date",
        "sign_off": "sign-off",
        "budget": "budget",
        "spent": "spent",
        "funded_items": "funded items",
        "basic_funded": "basic items funded",
        "gain": "expected score gain",
        "weighted_gain": "willingness-weighted gain",
        "marginal": (
            "marginal value of the budget: another {extra} would fund {basic:+d} basic items and "
            "change the willingness-weighted gain by {gain:+.2f} points (basic items come first)"
        ),
        "score_before": "score now",
        "score_after": "expected score",
        "cost": "cost (yuan)",
        "community": "community",
        "items": "items",
        "street": "street",
        "district": "district",
        "shequ": "community (社区)",
        "level": "level",
        "unit_name": "name",
        "households": "households",
        "mean_score": "household-weighted mean score",
        "coverage": "coverage",
        "min": "min",
        "q1": "lower quartile",
        "median": "median",
        "q3": "upper quartile",
        "max": "max",
        "projects": "projects",
        "start_rate": "works-start rate",
        "completion_rate": "completion rate",
        "investment_rate": "investment completion rate",
        "days_late": "days late (mean)",
        "max_days_late": "days late (max)",
        "investment": "planned investment (yuan)",
        "invested": "invested (yuan)",
        "status": "status",
        "optimal": "proved optimal",
        "plan_title": "Budgeted priority list",
        "ledger_title": "Problem ledger",
        "map_title": "Map of communities",
        "rollup_title": "Roll-ups",
        "progress_title": "Milestones and progress",
        "score": "score",
        "grade": "grade",
        "not_scored": "not scored",
        "renovation_status": "renovation status",
        "total": "total",
    },
    "zh": {
        "responsible": "责任单位",
        "indicator": "改造项目",
        "funding": "资金来源",
        "deadline": "计划完成时间",
        "sign_off": "销号",
        "budget": "预算",
        "spent": "已安排",
        "funded_items": "纳入计划项目数",
        "basic_funded": "纳入计划的基础类项目数",
        "gain": "预期得分提升",
        "weighted_gain": "意愿加权提升",
        "marginal": "预算边际效益:预算再增加{extra},基础类项目增加{basic:+d}项,意愿加权提升变化{gain:+.2f}分(基础类项目优先)",
        "score_before": "现状得分",
        "score_after": "预期得分",
        "cost": "投资(元)",
        "community": "小区",
        "items": "项目数",
        "street": "街道",
        "district": "区",
        "shequ": "社区",
        "level": "层级",
        "unit_name": "名称",
        "households": "户数",
        "mean_score": "按户数加权平均得分",
        "coverage": "覆盖率",
        "min": "最低",
        "q1": "下四分位",
        "median": "中位数",
        "q3": "上四分位",
        "max": "最高",
        "projects": "项目数",
        "start_rate": "开工率",
        "completion_rate": "完工率",
        "investment_rate": "投资完成率",
        "days_late": "平均延误天数",
        "max_days_late": "最长延误天数",
        "investment": "计划投资(元)",
        "invested": "完成投资(元)",
        "status": "办理状态",
        "optimal": "已证明最优",
        "plan_title": "预算约束下的项目优先序",
        "ledger_title": "问题台账",
        "map_title": "小区分布图",
        "rollup_title": "分级汇总",
        "progress_title": "节点与进度",
        "score": "得分",
        "grade": "等级",
        "not_scored": "未评分",
        "renovation_status": "改造状态",
        "total": "合计",
    },
}


def word(lang: str, key: str) -> str:
    """One word of :data:`WORDS` in ``lang`` (English when the language is unknown).

    Examples
    --------
    >>> word("en", "budget")
    'budget'
    """
    return WORDS.get(lang, WORDS["en"])[key]
