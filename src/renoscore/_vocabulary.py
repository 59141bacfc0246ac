"""The words renoscore shows, in English and Chinese, one table per concept.

Tables, the report, the notice, charts and the command line all name categories, suppliers,
cell statuses, methods, table columns and sheets with the words below, so that a word has one
home and a Chinese output never falls back to an English one. The Chinese is written as an
official document would write it (正式、规范的公文用语): 基础类/完善类/提升类 for the
renovation categories of 国办发〔2020〕23号, 政府/市场主体/社会组织/居民 for the suppliers and
专业经营单位 for the utility companies that 建办城〔2021〕50号 asks to renovate their own lines.

Words declared by an indicator system (names of nodes, phases, grades, units, context columns)
and by a panel (stakeholder groups) come from the system or panel first; the tables here are
the fallback for what a file does not declare.

Examples
--------
>>> from renoscore._vocabulary import SUPPLIER, category_word, column_word
>>> SUPPLIER["zh"]["utilities"], category_word("basic", "zh")
('专业经营单位', '基础类')
>>> column_word("global_weight", "zh")
'全局权重'
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = [
    "CATEGORY",
    "COLUMNS",
    "CONSOLE",
    "CONTEXT",
    "FUNDING",
    "LEDGER_STATUS",
    "METHOD_NAMES",
    "MILESTONES",
    "NODE_KIND",
    "PROVENANCE",
    "REASONS",
    "RESPONSIBLE",
    "SERVICE",
    "SHEETS",
    "STAKEHOLDER",
    "STATUS",
    "SUPPLIER",
    "YES_NO",
    "Lang",
    "category_word",
    "column_word",
    "context_label",
    "grade_word",
    "lang_of",
    "phase_word",
    "reason_text",
    "reason_word",
    "stakeholder_word",
    "supplier_word",
    "unit_label",
]

#: The languages of every output.
Lang = Literal["en", "zh"]

#: Indicator categories (国办发〔2020〕23号: basic, improvement, upgrade), by language.
CATEGORY: dict[str, dict[str, str]] = {
    "en": {"basic": "basic", "improvement": "improvement", "upgrade": "upgrade", "none": "-"},
    "zh": {"basic": "基础类", "improvement": "完善类", "upgrade": "提升类", "none": "—"},
}

#: Who supplies an indicator's improvement (the multi-centre supply of public services).
SUPPLIER: dict[str, dict[str, str]] = {
    "en": {
        "government": "government",
        "market": "market",
        "society": "society",
        "residents": "residents",
        "utilities": "utility companies",
    },
    "zh": {
        "government": "政府",
        "market": "市场主体",
        "society": "社会组织",
        "residents": "居民",
        "utilities": "专业经营单位",
    },
}

#: The status of a data cell.
STATUS: dict[str, dict[str, str]] = {
    "en": {"ok": "observed", "missing": "missing", "not_applicable": "not applicable"},
    "zh": {"ok": "实测", "missing": "缺失", "not_applicable": "不适用"},
}

#: Yes and no, for flags written as words.
YES_NO: dict[str, tuple[str, str]] = {"en": ("yes", "no"), "zh": ("是", "否")}

#: A node of the tree: a group of indicators or an indicator.
NODE_KIND: dict[str, dict[str, str]] = {
    "en": {"group": "group", "indicator": "indicator"},
    "zh": {"group": "指标组", "indicator": "指标"},
}

#: Readable names of the methods and options a result records, by language.
METHOD_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "equal": "equal",
        "fixed": "fixed",
        "ahp": "AHP (expert panel)",
        "entropy": "entropy",
        "critic": "CRITIC",
        "standard_deviation": "standard deviation",
        "coefficient_of_variation": "coefficient of variation",
        "combined": "combined (subjective + objective)",
        "goalposts": "goalposts: floor 0, target 100 (independent of the batch)",
        "minmax": "min-max within this batch",
        "arithmetic": "weighted arithmetic mean",
        "geometric": "weighted geometric mean",
        "error": "stop on any missing cell",
        "renormalize": "re-normalise weights over the indicators observed",
        "impute_mean": "fill with the column mean",
        "impute_median": "fill with the column median",
        "eigenvector": "principal eigenvector (Saaty 1980)",
        "geometric_mean": "row geometric mean (Crawford & Williams 1985)",
        "normalized_columns": "normalised column averages (Saaty 1980)",
        "aij": "aggregation of individual judgements (AIJ)",
        "aip": "aggregation of individual priorities (AIP)",
        "min": "shared best rank (1, 2, 2, 4)",
        "max": "shared worst rank (1, 3, 3, 4)",
        "dense": "dense (1, 2, 2, 3)",
        "average": "average rank (1, 2.5, 2.5, 4)",
        "ordinal": "in order of appearance",
        "phase": "within each phase",
        "saaty1980": "Saaty (1980)",
    },
    "zh": {
        "equal": "等权",
        "fixed": "固定权重",
        "ahp": "层次分析法（专家组）",
        "entropy": "熵权法",
        "critic": "CRITIC法",
        "standard_deviation": "标准差法",
        "coefficient_of_variation": "变异系数法",
        "combined": "主客观组合赋权",
        "goalposts": "目标值法：底线为0分，目标为100分（不随批次变化）",
        "minmax": "本批次内极差标准化",
        "arithmetic": "加权算术平均",
        "geometric": "加权几何平均",
        "error": "出现缺失值即停止",
        "renormalize": "在有实测值的指标间重新归一化权重",
        "impute_mean": "用该列均值插补",
        "impute_median": "用该列中位数插补",
        "eigenvector": "特征向量法（Saaty 1980）",
        "geometric_mean": "行几何平均法（Crawford & Williams 1985）",
        "normalized_columns": "列归一化平均法（Saaty 1980）",
        "aij": "判断矩阵集结（AIJ）",
        "aip": "排序权重集结（AIP）",
        "min": "并列取最好名次（1, 2, 2, 4）",
        "max": "并列取最差名次（1, 3, 3, 4）",
        "dense": "紧密排名（1, 2, 2, 3）",
        "average": "平均名次（1, 2.5, 2.5, 4）",
        "ordinal": "按出现顺序",
        "phase": "各阶段内分别排名",
        "saaty1980": "Saaty（1980）随机一致性指标表",
    },
}

#: Column headers of the result tables (``io.result_tables``), by language. A column named for
#: a node (``facilities``, ``score_<indicator>``, ``rank_<group>``, ``grade_<group>``,
#: ``change_<group>``) takes the node's declared name; see :func:`column_word`.
COLUMNS: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "community_id": "小区编号",
        "phase": "阶段",
        "phase_name": "阶段名称",
        "score": "综合得分",
        "rank": "排名",
        "grade": "等级",
        "coverage": "数据覆盖率",
        "applicable": "适用权重占比",
        "reason": "未评分原因",
        "order": "序号",
        "indicator": "指标编号",
        "indicator_name": "指标名称",
        "name": "名称",
        "dimension": "所属维度",
        "category": "改造类别",
        "supplier": "供给主体",
        "value": "现状值",
        "target": "目标值",
        "unit": "单位",
        "indicator_score": "指标得分",
        "gap": "差距",
        "global_weight": "全局权重",
        "obstacle": "障碍度",
        "must_fix": "必改项",
        "status": "数据状态",
        "parent": "上级节点",
        "node": "节点编号",
        "kind": "节点类型",
        "method": "赋权方法",
        "local": "局部权重",
        "global": "全局权重",
        "parent_cr": "上级节点一致性比率",
        "parent_cr_acceptable": "上级节点一致性检验通过",
        "key": "项目",
        "field": "字段",
        "content": "内容",
        "before_phase": "对比前阶段",
        "after_phase": "对比后阶段",
        "before": "之前得分",
        "after": "之后得分",
        "change": "得分变化",
        # the problem ledger (问题台账) and the budgeted plan (renoscore.programme)
        "item_id": "项目编号",
        "problem": "存在问题",
        "responsible": "责任单位",
        "measure": "整改措施",
        "quantity": "工程量",
        "quantity_unit": "计量单位",
        "cost": "估算投资（元）",
        "funding": "资金来源",
        "gain": "预期得分提升",
        "funded": "是否纳入计划",
        "deadline": "计划完成时间",
        "ledger_status": "办理状态",
        "completed_on": "完成时间",
        "signed_off_on": "销号时间",
        "note": "备注",
        "willingness": "居民意愿",
        "weighted_gain": "意愿加权提升",
        "gain_per_10k_yuan": "每万元得分提升",
        "decision_reason": "安排理由",
        "funded_items": "纳入计划项目数",
        "score_now": "现状得分",
        "score_after": "预期得分",
        # roll-ups by street and district, and the progress of the projects
        "level": "层级",
        "unit_name": "单位名称",
        "communities": "小区数",
        "mean_score": "按户数加权平均得分",
        "household_coverage": "参评户数占比",
        "min": "最低分",
        "q1": "下四分位数",
        "median": "中位数",
        "q3": "上四分位数",
        "max": "最高分",
        "projects": "项目数",
        "start_rate": "开工率",
        "completion_rate": "完工率",
        "investment_rate": "投资完成率",
        "days_late": "平均延误天数",
        "max_days_late": "最长延误天数",
        "investment": "计划投资（元）",
        "invested": "完成投资（元）",
        "change_low": "变化区间下限",
        "change_high": "变化区间上限",
        "change_class": "变化判定",
    },
}

#: Column headers of the console tables (``EvaluationResult.table`` and the command line).
CONSOLE: dict[str, dict[str, str]] = {
    "en": {
        "rank": "rank",
        "community": "community",
        "phase": "phase",
        "score": "score",
        "grade": "grade",
        "coverage": "cover",
        "applicable": "applies",
        "progress_check": "progress check",
        "change_interval": "{level} interval",
        "change_class": "class",
        "improved": "improved",
        "no_clear_change": "no clear change",
        "worse": "worse",
        "node": "node",
        "renovated_change": "renovated",
        "comparison_change": "comparison",
        "effect": "effect",
        "not_scored": "not scored",
        "before": "before",
        "after": "after",
        "change": "change",
        "only_in": "only in {phase}",
        "none": "-",
        "base_rank": "base",
        "median_rank": "median",
        "interval": "5-95 %",
        "top_k": "P(top {k})",
        "likely_grade": "likely grade",
        "fix_first": "fix first — {community} ({phase}):",
        "must": "MUST",
        "indicator": "indicator",
        "value": "value",
        "target": "target",
        "unit": "unit",
        "obstacle": "obstacle",
        "category": "category",
        "supplier": "supplier",
        "wrote": "wrote {path}",
        "child": "child",
        "options": "{normalization}, {aggregation}, missing={missing}",
    },
    "zh": {
        "rank": "排名",
        "community": "小区",
        "phase": "阶段",
        "score": "得分",
        "grade": "等级",
        "coverage": "覆盖率",
        "applicable": "适用占比",
        "progress_check": "进度检查",
        "change_interval": "{level}置信区间",
        "change_class": "变化判定",
        "improved": "改善",
        "no_clear_change": "无明显变化",
        "worse": "下降",
        "node": "评价项",
        "renovated_change": "改造小区变化",
        "comparison_change": "对照小区变化",
        "effect": "改造净效应",
        "not_scored": "未评分",
        "before": "之前",
        "after": "之后",
        "change": "变化",
        "only_in": "仅{phase}有记录",
        "none": "无",
        "base_rank": "基准排名",
        "median_rank": "排名中位数",
        "interval": "5%–95%区间",
        "top_k": "进入前{k}名概率",
        "likely_grade": "最可能等级",
        "fix_first": "优先整改事项 — {community}（{phase}）：",
        "must": "必改",
        "indicator": "指标",
        "value": "现状值",
        "target": "目标值",
        "unit": "单位",
        "obstacle": "障碍度",
        "category": "改造类别",
        "supplier": "供给主体",
        "wrote": "已写入 {path}",
        "child": "下级",
        "options": "标准化：{normalization}；集成：{aggregation}；缺失值：{missing}",
    },
}

#: Excel sheet names of the result tables (at most 31 characters), by language.
SHEETS: dict[str, dict[str, str]] = {
    "en": {"fix_first": "fix-first"},
    "zh": {
        "scores": "评价得分",
        "ranks": "排名与等级",
        "fix_first": "优先整改清单",
        "weights": "权重",
        "provenance": "来源与复现",
        "comparison": "改造前后对比",
        "table": "数据表",
        "ledger": "问题台账",
        "plan": "项目优先序",
        "plan_communities": "小区预期提升",
        "rollup": "分级汇总",
        "progress": "项目进度",
    },
}

#: The items of a result's provenance (``io.result_tables``'s ``provenance`` table), in Chinese.
PROVENANCE: dict[str, str] = {
    "renoscore_version": "软件版本",
    "created": "生成时间",
    "system_id": "指标体系编号",
    "system_version": "指标体系版本",
    "data_digest": "数据摘要",
    "data_source": "数据来源文件",
    "normalization": "标准化方法",
    "aggregation": "集成方法",
    "missing": "缺失值处理",
    "min_coverage": "获得综合得分所需最低覆盖率",
    "impute_by": "分组插补依据",
    "tie_method": "并列规则",
    "tie_tolerance": "并列容差（分）",
    "rank_within": "排名范围",
    "weights.provenance.renoscore_version": "权重：软件版本",
    "weights.provenance.created": "权重：生成时间",
    "weights.provenance.panel": "权重：专家组",
    "weights.provenance.prioritisation": "权重：层次分析法排序方法",
    "weights.provenance.ri_table": "权重：随机一致性指标表",
    "weights.provenance.group_method": "权重：专家意见集结方式",
    "weights.provenance.data_digest": "权重：数据摘要",
    "weights.provenance.data_rows": "权重：所用数据记录数",
    "weights.provenance.data_phase": "权重：所用数据阶段",
    "weights.provenance.group_names": "权重：利益相关方",
    "weights.system_id": "权重：指标体系编号",
    "system.name_en": "指标体系英文名称",
    "system.name_zh": "指标体系名称",
    "rows": "记录数",
    "warning": "警告",
}

#: Labels of the context columns renoscore's example data and common office tables carry,
#: used when the indicator system does not declare the column itself.
CONTEXT: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "name": "小区名称",
        "district": "所在区",
        "street": "所在街道",
        "community": "所属社区",
        "build_year": "建成年份",
        "households": "总户数",
        "residents": "常住人口",
        "buildings": "楼栋数",
        "storeys": "最高层数",
        "origin": "小区类型",
        "share_60plus": "60岁以上人口占比",
        "renter_share": "租户占比",
        "km_to_centre": "距市中心距离（公里）",
        "lat": "纬度",
        "lon": "经度",
        "contact": "联系方式",
        "address": "地址",
    },
}

#: Names of common stakeholder groups, used when a panel does not name its groups.
STAKEHOLDER: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "government": "政府部门",
        "street_office": "街道办事处",
        "residents": "居民代表",
        "resident": "居民代表",
        "property": "物业服务企业",
        "property_company": "物业服务企业",
        "planning": "规划专家",
        "planners": "规划专家",
        "academic": "高校学者",
        "academics": "高校学者",
        "experts": "专家",
        "designers": "设计单位",
        "society": "社会组织",
        "market": "市场主体",
        "utilities": "专业经营单位",
    },
}


#: Who carries out a renovation item (责任单位); utility companies and market operators take
#: the words of the suppliers they are.
RESPONSIBLE: dict[str, dict[str, str]] = {
    "en": {
        "street_office": "street office",
        "housing_bureau": "district housing and urban-rural development bureau",
        "utilities": SUPPLIER["en"]["utilities"],
        "property_company": "property service company",
        "residents": "residents (owners' committee)",
        "community_committee": "community residents' committee",
        "market": SUPPLIER["en"]["market"],
    },
    "zh": {
        "street_office": "街道办事处",
        "housing_bureau": "区住房和城乡建设局",
        "utilities": SUPPLIER["zh"]["utilities"],
        "property_company": "物业服务企业",
        "residents": "居民（业主委员会）",
        "community_committee": "社区居民委员会",
        "market": SUPPLIER["zh"]["market"],
    },
}

#: Where the money of a renovation item comes from (资金来源; 国办发〔2020〕23号).
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
        "utilities": "专业经营单位出资",
        "private_capital": "社会资本",
        "residents": "居民出资",
    },
}

#: The status of a line of the problem ledger; 销号 is the sign-off of a finished line.
LEDGER_STATUS: dict[str, dict[str, str]] = {
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

#: Kinds of service point of the 15-minute life circle (a map's legend).
SERVICE: dict[str, dict[str, str]] = {
    "en": {
        "health": "community health station",
        "elderly_daycare": "elderly day care",
        "kindergarten": "kindergarten",
        "fresh_food": "fresh food store",
        "service_station": "community service station",
    },
    "zh": {
        "health": "社区卫生服务站",
        "elderly_daycare": "日间照料中心",
        "kindergarten": "幼儿园",
        "fresh_food": "便民菜店",
        "service_station": "社区综合服务站",
    },
}


def lang_of(lang: str | None) -> Lang:
    """``"zh"`` for Chinese, ``"en"`` for anything else.

    Examples
    --------
    >>> lang_of("zh"), lang_of(None)
    ('zh', 'en')
    """
    return "zh" if lang == "zh" else "en"


def category_word(value: str, lang: str) -> str:
    """The word for a renovation category (``basic`` ...) in ``lang``; unknown values as given."""
    return CATEGORY[lang_of(lang)].get(value, value)


def supplier_word(value: str, lang: str) -> str:
    """The word for a supplier (``government`` ...) in ``lang``; unknown values as given."""
    return SUPPLIER[lang_of(lang)].get(value, value)


def column_word(key: str, lang: str) -> str:
    """The header of a result-table column that is not named for a node; unknown keys as given."""
    return COLUMNS[lang_of(lang)].get(key, key)


def grade_word(system: Any, grade: int, lang: str, not_scored: str = "") -> str:
    """The declared name of grade ``grade`` (0 the best) of ``system``; ``not_scored`` below 0."""
    if grade < 0:
        return not_scored
    return str(system.grades[grade].name.get(lang_of(lang)))


def phase_word(system: Any, phase: str | None, lang: str) -> str:
    """The declared name of a phase (``改造前``), or the code when the system does not declare it."""
    for ph in getattr(system, "phases", ()):
        if ph.id == phase:
            return str(ph.name.get(lang_of(lang)))
    return "–" if phase is None else phase


def unit_label(indicator: Any, lang: str) -> str:
    """How an indicator's (or raw field's) unit is shown beside a value in ``lang``.

    The one place that reads a unit: a unit with display forms (``unit.label(lang)``) shows the
    form of ``lang``; a unit written as free text is that text, except that Chinese output shows
    the Chinese form of the indicator's kind of measure rather than English text.

    Examples
    --------
    >>> import renoscore as rs
    >>> ind = rs.default_system().node("f_waste_point_max_dist_m")
    >>> unit_label(ind, "zh")
    '米'
    """
    unit = indicator.unit
    label = getattr(unit, "label", None)
    if callable(label):
        return str(label(lang_of(lang)))
    if lang_of(lang) == "en":
        return str(unit)
    kind = getattr(getattr(indicator, "kind", None), "value", None)
    return _KIND_UNIT_ZH.get(str(kind), "")


#: The Chinese display form of each kind of measure, for units written as English free text.
_KIND_UNIT_ZH: dict[str, str] = {
    "ratio": "比例（0–1）",
    "percent": "%",
    "count": "个",
    "distance_m": "米",
    "area_m2": "平方米",
    "m2_per_capita": "平方米/人",
    "per_100hh": "每百户",
    "per_1000res": "每千人",
    "likert5": "分（1–5分）",
    "likert7": "分（1–7分）",
    "binary": "是/否",
    "ordinal": "等级",
    "continuous": "",
}


def context_label(system: Any, key: str, lang: str) -> str:
    """The label of a context column (``district`` → ``所在区``) in ``lang``.

    A column the system declares (``context:`` with names in both languages) takes its declared
    name; otherwise the common labels of :data:`CONTEXT`; otherwise the key itself.

    Examples
    --------
    >>> import renoscore as rs
    >>> context_label(rs.default_system(), "district", "zh")
    '所在区'
    """
    for column in getattr(system, "context", None) or ():
        if getattr(column, "id", None) == key:
            return str(column.name.get(lang_of(lang)))
    return CONTEXT[lang_of(lang)].get(key, key)


def stakeholder_word(group: str | None, lang: str, names: Any = None) -> str:
    """The name of a stakeholder group in ``lang``.

    ``names`` maps group ids to declared names (``{"en": ..., "zh": ...}`` or a
    ``LocalizedText``), as a panel declares them; common group ids have a Chinese name of their
    own (:data:`STAKEHOLDER`); any other id is shown as it is.

    Examples
    --------
    >>> stakeholder_word("planning", "zh"), stakeholder_word("x", "zh", {"x": {"zh": "街道"}})
    ('规划专家', '街道')
    """
    if group is None:
        return "–"
    declared = (names or {}).get(group)
    text = declared.get(lang_of(lang)) if declared is not None else None
    if text:
        return str(text)
    return STAKEHOLDER[lang_of(lang)].get(group, group)


#: Why a row or a group has no score: one template per reason, in each language. The result
#: stores the English text (with its numbers and ids); :func:`reason_word` shows it in any
#: language by matching the template it came from.
REASONS: dict[str, dict[str, str]] = {
    "progress": {
        "en": "progress check: {phase} measures {dims} only",
        "zh": "进度检查：{phase}仅评价{dims}，不计综合得分",
    },
    "progress_none": {
        "en": "progress check: {phase} measures no dimension",
        "zh": "进度检查：{phase}未评价任何维度",
    },
    "progress_declared": {
        "en": "progress check: {phase} is declared without an overall score",
        "zh": "进度检查：{phase}按规定不计综合得分",
    },
    "system_not_assessed": {
        "en": "not assessed: {share} of the system's weight applies, below the minimum {minimum}",
        "zh": "未评价：适用指标权重占比{share}，低于最低要求{minimum}",
    },
    "group_not_assessed": {
        "en": "not assessed: {share} of its weight applies, below the minimum {minimum}",
        "zh": "未评价：适用指标权重占比{share}，低于最低要求{minimum}",
    },
    "coverage": {
        "en": "coverage {share} below the minimum {minimum}",
        "zh": "数据覆盖率{share}，低于最低要求{minimum}",
    },
    "needs_all": {
        "en": "{aggregation} needs every indicator observed",
        "zh": "{aggregation}要求全部指标均有观测值",
    },
    "nothing_observed": {"en": "no indicator observed", "zh": "无观测数据"},
}


def reason_text(key: str, **fields: str) -> str:
    """The stored (English) text of a reason, from its template.

    Examples
    --------
    >>> reason_text("coverage", share="62%", minimum="67%")
    'coverage 62% below the minimum 67%'
    """
    return REASONS[key]["en"].format(**fields)


def reason_word(reason: str | None, lang: str, system: Any = None) -> str:
    """A stored reason shown in ``lang``: phases and dimensions by their declared names.

    Examples
    --------
    >>> import renoscore as rs
    >>> text = reason_text("progress", phase="t_proc", dims="participation")
    >>> reason_word(text, "zh", rs.default_system())
    '进度检查：改造中仅评价居民参与与共建共治，不计综合得分'
    >>> reason_word("something else", "zh")
    'something else'
    """
    import re

    if reason is None:
        return ""
    if lang_of(lang) == "en":
        return reason
    for templates in REASONS.values():
        pattern = re.escape(templates["en"])
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", pattern)
        found = re.fullmatch(pattern, reason)
        if found is None:
            continue
        fields = found.groupdict()
        if "phase" in fields:
            fields["phase"] = phase_word(system, fields["phase"], lang)
        if "dims" in fields and system is not None:
            fields["dims"] = "、".join(
                _node_word(system, d.strip(), lang) for d in fields["dims"].split(",")
            )
        return templates[lang_of(lang)].format(**fields)
    return reason


def _node_word(system: Any, node: str, lang: str) -> str:
    """A node's declared name in ``lang``, or its id."""
    try:
        return str(system.node(node).name.get(lang_of(lang)))
    except Exception:  # an id of another version of the system
        return node
