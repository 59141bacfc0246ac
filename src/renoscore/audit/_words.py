"""The words of the audit in English and Chinese: section names, column headers, flags, reasons.

Examples
--------
>>> WORDS["zh"]["availability"], FLAGS["zh"]["saturated"].format(value=0.63)
('数据可得性', '目标值饱和：63%的小区已达到目标值')
"""

from __future__ import annotations

__all__ = ["FLAGS", "REASONS", "WORDS"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "audit": "Statistical audit",
        "availability": "Data availability",
        "distribution": "Distribution and outliers",
        "discrimination": "Discrimination",
        "correlation": "Correlation structure",
        "consistency": "Internal consistency and dimensionality",
        "importance": "Effective importance and nominal weight",
        "uncertainty_link": "Rank stability",
        "flags": "Flags",
        "no_flags": "No flag was raised.",
        "indicator": "indicator",
        "node": "node",
        "other": "with",
        "phase": "phase",
        "community": "community",
        "group": "group",
        "flag": "flag",
        "value": "value",
        "observed": "observed share",
        "applicable": "rows where it applies",
        "n": "n",
        "mean": "mean",
        "sd": "SD",
        "min": "min",
        "max": "max",
        "skew": "skewness",
        "kurt": "kurtosis",
        "outlier": "outliers",
        "treatment": "treatment",
        "at_floor": "at floor",
        "at_target": "at target",
        "own_dimension": "r with own dimension",
        "best_other": "highest r with another dimension",
        "overall_r": "r with overall",
        "alpha": "Cronbach's α",
        "first_share": "1st component share",
        "eigen_above_one": "eigenvalues > 1",
        "children": "children",
        "complete": "complete rows",
        "S": "main effect S",
        "S_rel": "relative importance",
        "w_rel": "relative weight",
        "ratio": "importance / weight",
        "r2": "r²",
        "summary": "{n} communities (phase {phase}); {f} flags.",
        "ranks_exact": "Ranks (Spearman's rho, main effects): exact, by a sort of each column.",
        "ranks_binned": (
            "Ranks (Spearman's rho, main effects): binned, {bins} bins per column (a counting "
            "sort); exact for {k} of {v} columns, Spearman's rho within {e:.1g} of its exact "
            "value; main effects from quantile classes."
        ),
        "intro": (
            "Before an index is published the JRC audits it (OECD/JRC 2008; Saisana, Saltelli "
            "& Tarantola 2005): can the data carry it, do the indicators of a dimension point "
            "the same way, do outliers drive the ranking, and does each indicator count about "
            "as much as its weight says? Statistics below are for phase {phase}; availability "
            "and discrimination for every phase."
        ),
        "link_text": (
            "How much the ranking moves when the weights, judgements and methods vary is the "
            "uncertainty analysis: renoscore uncertainty, or renoscore report --uncertainty N "
            "(section “How stable is the ranking?”)."
        ),
        "low_rows": "Communities below the screening threshold ({t:.0%} of applicable cells observed)",
        "treat_none": "passes",
        "treat_winsorised": "winsorise {k} point(s)",
        "treat_log": "log transform",
        "treat_fails": "log transform (still fails)",
        "chart_importance": "Main effect of each indicator on the overall score (relative) against its relative nominal weight; the dashed lines are the flag band.",
        "chart_heatmap": "Pearson correlation of each indicator score with each dimension and the overall score.",
    },
    "zh": {
        "audit": "统计审计",
        "availability": "数据可得性",
        "distribution": "数据分布与异常值",
        "discrimination": "区分度",
        "correlation": "相关性结构",
        "consistency": "内部一致性与维度结构",
        "importance": "有效权重与名义权重",
        "uncertainty_link": "排名稳定性",
        "flags": "审计提示",
        "no_flags": "未发现需要提示的问题。",
        "indicator": "指标",
        "node": "节点",
        "other": "相关对象",
        "phase": "阶段",
        "community": "小区",
        "group": "指标组",
        "flag": "提示",
        "value": "数值",
        "observed": "实测比例",
        "applicable": "适用记录数",
        "n": "样本数",
        "mean": "均值",
        "sd": "标准差",
        "min": "最小值",
        "max": "最大值",
        "skew": "偏度",
        "kurt": "峰度",
        "outlier": "异常值",
        "treatment": "处理方式",
        "at_floor": "处于底线",
        "at_target": "达到目标值",
        "own_dimension": "与所属维度的相关系数",
        "best_other": "与其他维度的最高相关系数",
        "overall_r": "与综合得分的相关系数",
        "alpha": "克朗巴赫α系数",
        "first_share": "第一主成分方差贡献率",
        "eigen_above_one": "特征值大于1的个数",
        "children": "下级数",
        "complete": "完整记录数",
        "S": "主效应S",
        "S_rel": "相对重要性",
        "w_rel": "相对权重",
        "ratio": "重要性与权重之比",
        "r2": "r²",
        "summary": "{n}个小区（{phase}阶段）；审计提示{f}项。",
        "ranks_exact": "秩（斯皮尔曼相关系数、主效应）：逐列排序，结果精确。",
        "ranks_binned": (
            "秩（斯皮尔曼相关系数、主效应）：分箱计数排序，每列{bins}个箱；{v}列中有{k}列与精确秩"
            "完全一致，斯皮尔曼相关系数与精确值之差不超过{e:.1g}；主效应按分位数分组估计。"
        ),
        "intro": (
            "综合指数发布前应进行统计审计（OECD/JRC 2008；Saisana、Saltelli、Tarantola 2005）："
            "数据能否支撑指数，同一维度内的指标方向是否一致，异常值是否左右排名，各指标的实际"
            "影响是否与其名义权重相当。以下统计量针对{phase}阶段；数据可得性与区分度按各阶段列示。"
        ),
        "link_text": (
            "权重、专家判断与方法变动时排名的变化见不确定性分析：renoscore uncertainty，或 "
            "renoscore report --uncertainty N（“排名稳定性”一节）。"
        ),
        "low_rows": "低于筛选阈值的小区（适用单元格实测比例低于{t:.0%}）",
        "treat_none": "无需处理",
        "treat_winsorised": "缩尾处理{k}个点",
        "treat_log": "对数变换",
        "treat_fails": "对数变换（仍未达标）",
        "chart_importance": "各指标对综合得分的主效应（相对值）与相对名义权重之比较；虚线为提示区间。",
        "chart_heatmap": "各指标得分与各维度得分、综合得分的皮尔逊相关系数。",
    },
}

#: What each flag says, by language; ``{...}`` fields are filled from the flag.
FLAGS: dict[str, dict[str, str]] = {
    "en": {
        "low_availability": "too little data: {value:.0%} observed",
        "screened": "community below the screening threshold: {value:.0%} observed",
        "outliers": "outliers: skewness {skew:.2f}, kurtosis {kurt:.2f}",
        "saturated": "saturated: {value:.0%} at the target",
        "floor_bound": "floor-bound: {value:.0%} at the floor",
        "constant": "constant: every community has the same value",
        "negative": "negative correlation inside {group}: r = {value:.2f}",
        "redundant": "redundant inside {group}: r = {value:.2f}",
        "other_dimension": "closer to {other} (r = {value:.2f}) than to its own dimension (r = {own:.2f})",
        "low_alpha": "low internal consistency: α = {value:.2f}",
        "multidimensional": "{value} eigenvalues above 1: more than one underlying dimension",
        "importance_high": "counts more than its weight: importance {S_rel:.3f} vs weight {w_rel:.3f}",
        "importance_low": "counts less than its weight: importance {S_rel:.3f} vs weight {w_rel:.3f}",
    },
    "zh": {
        "low_availability": "数据不足：实测比例{value:.0%}",
        "screened": "小区数据可得性低于筛选阈值：实测比例{value:.0%}",
        "outliers": "存在异常值：偏度{skew:.2f}，峰度{kurt:.2f}",
        "saturated": "目标值饱和：{value:.0%}的小区已达到目标值",
        "floor_bound": "底线集中：{value:.0%}的小区处于底线",
        "constant": "取值恒定：各小区取值相同",
        "negative": "{group}内呈负相关：r = {value:.2f}",
        "redundant": "{group}内高度相关（信息重复）：r = {value:.2f}",
        "other_dimension": "与{other}的相关（r = {value:.2f}）高于与所属维度的相关（r = {own:.2f}）",
        "low_alpha": "内部一致性偏低：α = {value:.2f}",
        "multidimensional": "特征值大于1的主成分有{value}个：存在多个潜在维度",
        "importance_high": "实际影响大于名义权重：重要性{S_rel:.3f}，权重{w_rel:.3f}",
        "importance_low": "实际影响小于名义权重：重要性{S_rel:.3f}，权重{w_rel:.3f}",
    },
}

#: Why a statistic is not given, by language.
REASONS: dict[str, dict[str, str]] = {
    "en": {
        "one_child": "undefined: the group has one indicator",
        "too_few_rows": "not computed: fewer complete communities than indicators",
        "constant_child": "not computed: {names} constant",
        "no_variance": "undefined: the group's scores do not vary",
        "constant": "constant: no effect",
        "too_few": "too few communities",
        "not_applicable": "not measured in this phase",
    },
    "zh": {
        "one_child": "无定义：该组仅有一项指标",
        "too_few_rows": "未计算：完整记录的小区数少于指标数",
        "constant_child": "未计算：{names}取值恒定",
        "no_variance": "无定义：该组得分无变异",
        "constant": "取值恒定：无影响",
        "too_few": "小区数过少",
        "not_applicable": "本阶段不测评",
    },
}
