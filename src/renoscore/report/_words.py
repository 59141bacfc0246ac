"""The words of the report in English and Chinese: its headings, labels and sentences.

The words every output shares (categories, suppliers, methods, statuses, table columns) live in
:mod:`renoscore._vocabulary`; the names this module re-exports from there are kept for the
report's sections.

Examples
--------
>>> from renoscore.report._words import METHOD_NAMES, WORDS
>>> WORDS["zh"]["ranking"], METHOD_NAMES["en"]["aip"]
('排名与等级', 'aggregation of individual priorities (AIP)')
"""

from __future__ import annotations

from renoscore._vocabulary import CATEGORY, METHOD_NAMES, SUPPLIER, Lang

__all__ = ["CATEGORY", "METHOD_NAMES", "SUPPLIER", "WORDS", "Lang"]

#: Every heading, label and sentence of the report, by language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Evaluation report",
        "intro": (
            "This report makes public how {n} communities were evaluated and what came out: "
            "every weight and where it came from, the consistency of every expert's judgements, "
            "each community's score, rank, grade and what to fix first, and the quality of the "
            "data. It is written for residents, community workers and the street office "
            "(两公开: the decision and its result are published)."
        ),
        "contents": "Contents",
        "summary": "Summary",
        "method": "Method",
        "weights": "Weights and where they came from",
        "consistency": "Consistency of the expert judgements (AHP)",
        "ranking": "Ranking and grades",
        "grades": "Grade distribution",
        "comparison": "Before and after",
        "scorecards": "Community scorecards",
        "quality": "Data quality",
        "provenance": "Provenance: how to repeat this evaluation",
        "uncertainty": "How stable is the ranking? (uncertainty analysis)",
        "audit": "Statistical audit of the index",
        "rollup": "Roll-ups by street and district",
        "rollup_intro": "Household-weighted mean overall score of each street and district (household coverage: the share of its households whose community was scored), the spread of the scores and the count of communities by grade, in phase {phase}.",
        "progress": "Milestones and progress",
        "progress_intro": "Progress of the renovation projects on {day}: works-start rate (开工率), completion rate (完工率), investment completion rate (投资完成率) and days late, by street and district.",
        "map": "Map of communities",
        "map_intro": "Communities on a local plane (metres about their centre), coloured by grade; around {focus} the 300 / 500 / 1,000 m life circles and the nearest service of each kind.",
        "chart_map": "Communities by grade, with life circles",
        "plan": "Budgeted priority list",
        "plan_intro": "Items chosen under a budget of {budget}: the most basic items first (应改尽改), then the most score gain per yuan (weighted by residents' willingness where given), solved exactly (scipy.optimize.milp).",
        "plan_communities": "Expected gain by community",
        "plan_items": "Funded items",
        "uncertainty_intro": "{n} Monte Carlo draws (seed {seed}) of the uncertain inputs: {sources}. Each bar spans a community's 5-95 % rank interval; the dot is the median rank.",
        "references": "References",
        "generated": "generated",
        "system": "indicator system",
        "data": "data",
        "rows": "rows",
        "communities": "communities",
        "phase": "phase",
        "phases": "phases",
        "scored": "scored",
        "mean": "mean",
        "median": "median",
        "best": "best",
        "worst": "worst",
        "rank": "rank",
        "community": "community",
        "name": "name",
        "score": "score",
        "grade": "grade",
        "coverage": "coverage",
        "note": "note",
        "node": "node",
        "code": "id",
        "parent": "parent",
        "method_col": "method",
        "local": "local weight",
        "global": "global weight",
        "children": "children",
        "cr": "CR",
        "lambda": "λmax",
        "ci": "CI",
        "result": "result",
        "expert": "expert",
        "group": "stakeholder group",
        "completed": "completed",
        "excluded": "left out",
        "priorities": "priorities",
        "indicator": "indicator",
        "dimension": "dimension",
        "value": "value",
        "target": "target",
        "unit": "unit",
        "obstacle": "obstacle degree",
        "must_fix": "must fix",
        "supplier": "supplier",
        "before": "before",
        "after": "after",
        "change": "change",
        "grade_before": "grade before",
        "grade_after": "grade after",
        "missing": "missing",
        "na": "not applicable",
        "observed": "observed",
        "imputed": "imputed",
        "cells": "cells",
        "yes": "yes",
        "no": "no",
        "pass": "passes",
        "fail": "fails",
        "key": "item",
        "val": "value",
        "not_scored": "not scored",
        "min_band": "from score",
        "fix_first": "What to fix first",
        "fix_first_note": (
            "Unmet basic items (基础类, to be fixed wherever needed) come first, then the other "
            "indicators by obstacle degree: the share of the community's total weighted gap "
            "to target that the indicator accounts for."
        ),
        "more_cards": (
            "Scorecards are shown for the first {k} of {n} communities (by rank); every "
            "community's fix-first list is in the Excel output (renoscore score -o out.xlsx)."
        ),
        "no_ahp": (
            "No weight in this report comes from expert judgements, so there is no "
            "consistency to check."
        ),
        "cr_rule": (
            "Consistency ratio CR = CI / RI(n) with CI = (λmax − n)/(n − 1); a matrix is "
            "accepted when CR < 0.10 (Saaty 1980). Random index table: {ri}. Individual "
            "judgements are combined by {gm}."
        ),
        "gm_aij": "the weighted geometric mean of the judgements (AIJ; Forman & Peniwati 1998)",
        "gm_aip": "aggregating the individual priorities (AIP; Forman & Peniwati 1998)",
        "node_result": "Combined judgements at {node}: λmax {lam}, CR {cr} — {ok}.",
        "weights_from": "Where the weights came from",
        "all_weights": "Every weight",
        "no_comparison": "Only one phase was evaluated; there is nothing to compare.",
        "comparison_intro": (
            "{b} → {a}: {n} communities evaluated in both phases, on the same weights and "
            "goalposts."
        ),
        "mean_change": "mean change of the overall score",
        "share_improved": "share of communities that clearly improved",
        "change_classes": "changes by class",
        "share_grade_up": "share that moved up a grade",
        "only_before": "only in the first phase",
        "only_after": "only in the second phase",
        "by_dimension": "mean change by dimension",
        "change_line": "{b} → {a}: {d} points; newly at target: {new}; worse: {worse}.",
        "none": "none",
        "not_scored_rows": "Rows without an overall score",
        "by_indicator": "Missing and not-applicable cells by indicator",
        "no_gaps": "Every cell of every row was observed.",
        "coverage_by_phase": "Coverage of the overall score",
        "full_coverage": "rows with full coverage",
        "min_coverage_row": "lowest coverage",
        "warnings": "Warnings raised while evaluating",
        "missing_policy": "missing-data policy",
        "reproduce": "To repeat this evaluation",
        "made_with": "Made with renoscore {v}. Scores are on 0–100 and never rounded before ranking.",
        "choices": "Choices that produced these numbers",
        "normalization": "normalisation",
        "aggregation": "aggregation",
        "min_cov": "minimum coverage for an overall score",
        "ties": "ties",
        "ranked_within": "ranks are within each phase",
        "bands": "Grade bands",
        "tie_text": "{m}, scores closer than {t:g} points tie",
        "system_text": "{name} ({id} v{v}): {d} dimensions, {m} indicators.",
        "chart_weights": "Global weight of every dimension and indicator.",
        "chart_radar": "Dimension scores (0–100) by phase.",
        "chart_ranking": "Overall score by rank, coloured by grade; dashed lines are the grade bands.",
        "chart_grades": "Number of communities in each grade, by phase.",
        "context": "about",
        "of": "of",
        "digest": "data digest (SHA-256)",
        "version": "renoscore version",
        "panel": "expert panel",
        "prioritisation": "AHP prioritisation",
        "ri_table": "random-index table",
        "group_method": "combining experts",
        "data_rows": "data rows used",
        "data_phase": "data phase used",
        "created": "created",
        "equal_text": "equal weights",
        "fixed_text": "fixed weights declared in the indicator system file",
    },
    "zh": {
        "title": "评价报告",
        "intro": (
            "本报告公开{n}个小区的评价方法与结果：每一项权重及其来源、每位专家判断的一致性检验、"
            "每个小区的得分、排名、等级和优先整改事项，以及数据质量。供居民、社区工作者和街道办"
            "阅读（两公开：决策与结果向居民公开）。"
        ),
        "contents": "目录",
        "summary": "概要",
        "method": "评价方法",
        "weights": "权重及其来源",
        "consistency": "专家判断一致性检验（层次分析法）",
        "ranking": "排名与等级",
        "grades": "等级分布",
        "comparison": "改造前后对比",
        "scorecards": "小区评价档案",
        "quality": "数据质量",
        "provenance": "来源与复现",
        "uncertainty": "排名稳定性（不确定性分析）",
        "audit": "指数统计审计",
        "rollup": "分级汇总（街道、区）",
        "rollup_intro": "{phase}各街道、区按户数加权的综合得分平均值（参评户数占比为得分小区户数占全部户数的比例）、得分分布及各等级小区数。",
        "progress": "节点与进度",
        "progress_intro": "截至{day}，改造项目开工率、完工率、投资完成率及延误天数，按街道、区汇总。",
        "map": "小区分布图",
        "map_intro": "小区按本地平面坐标（以中心为原点，单位为米）绘制，按等级着色；以{focus}为中心绘制300米、500米、1000米生活圈，并标示各类最近服务设施。",
        "chart_map": "小区等级分布及生活圈",
        "plan": "预算约束下的项目优先序",
        "plan_intro": "在{budget}预算内，基础类项目应改尽改、优先安排，其余项目按单位投资得分提升（有居民意愿数据时按意愿加权）择优安排，采用混合整数规划精确求解。",
        "plan_communities": "各小区预期得分提升",
        "plan_items": "纳入计划的项目",
        "uncertainty_intro": "对不确定输入进行 {n} 次蒙特卡洛抽样（随机种子 {seed}）：{sources}。每条横线为该小区排名的 5%–95% 区间，圆点为排名中位数。",
        "references": "参考文献",
        "generated": "生成时间",
        "system": "指标体系",
        "data": "数据",
        "rows": "记录数",
        "communities": "小区数",
        "phase": "阶段",
        "phases": "阶段",
        "scored": "已评分",
        "mean": "平均分",
        "median": "中位数",
        "best": "最高分",
        "worst": "最低分",
        "rank": "排名",
        "community": "小区",
        "name": "名称",
        "score": "得分",
        "grade": "等级",
        "coverage": "数据覆盖率",
        "note": "说明",
        "node": "节点",
        "code": "编号",
        "parent": "上级",
        "method_col": "赋权方法",
        "local": "局部权重",
        "global": "全局权重",
        "children": "下级数",
        "cr": "一致性比率 CR",
        "lambda": "最大特征根 λmax",
        "ci": "一致性指标 CI",
        "result": "结论",
        "expert": "专家",
        "group": "利益相关方",
        "completed": "补全",
        "excluded": "剔除",
        "priorities": "排序权重",
        "indicator": "指标",
        "dimension": "维度",
        "value": "现状值",
        "target": "目标值",
        "unit": "单位",
        "obstacle": "障碍度",
        "must_fix": "必改",
        "supplier": "供给主体",
        "before": "之前",
        "after": "之后",
        "change": "变化",
        "grade_before": "之前等级",
        "grade_after": "之后等级",
        "missing": "缺失",
        "na": "不适用",
        "observed": "实测",
        "imputed": "插补",
        "cells": "单元格",
        "yes": "是",
        "no": "否",
        "pass": "通过",
        "fail": "未通过",
        "key": "项目",
        "val": "内容",
        "not_scored": "未评分",
        "min_band": "最低分",
        "fix_first": "优先整改事项",
        "fix_first_note": (
            "未达标的基础类指标（应改尽改）排在最前，其余指标按障碍度排序：障碍度为该指标"
            "加权差距占本小区全部加权差距的比例。"
        ),
        "more_cards": (
            "此处列出按排名前{k}个小区（共{n}个）的档案；每个小区的优先整改清单见 Excel 输出"
            "（renoscore score -o out.xlsx）。"
        ),
        "no_ahp": "本报告中的权重均不来自专家判断，无需一致性检验。",
        "cr_rule": (
            "一致性比率 CR = CI / RI(n)，CI = (λmax − n)/(n − 1)；CR < 0.10 时判断矩阵通过检验"
            "（Saaty 1980）。随机一致性指标表：{ri}。专家意见的集结方式：{gm}。"
        ),
        "gm_aij": "判断矩阵的加权几何平均（AIJ；Forman & Peniwati 1998）",
        "gm_aip": "个体排序权重的集结（AIP；Forman & Peniwati 1998）",
        "node_result": "{node} 的群体判断：λmax {lam}，CR {cr}，{ok}。",
        "weights_from": "权重来源",
        "all_weights": "全部权重",
        "no_comparison": "本次只评价了一个阶段，无可对比。",
        "comparison_intro": "{b} → {a}：{n}个小区两个阶段均有评价，使用相同的权重与目标值。",
        "mean_change": "综合得分平均变化",
        "share_improved": "得分明显提高的小区比例",
        "change_classes": "变化判定",
        "share_grade_up": "等级提升的小区比例",
        "only_before": "仅第一阶段有记录",
        "only_after": "仅第二阶段有记录",
        "by_dimension": "各维度平均变化",
        "change_line": "{b} → {a}：变化 {d} 分；新达标指标：{new}；变差指标：{worse}。",
        "none": "无",
        "not_scored_rows": "未得到综合得分的记录",
        "by_indicator": "各指标缺失与不适用情况",
        "no_gaps": "所有记录的所有指标均有实测值。",
        "coverage_by_phase": "综合得分的数据覆盖率",
        "full_coverage": "覆盖率100%的记录",
        "min_coverage_row": "最低覆盖率",
        "warnings": "评价过程中的警告",
        "missing_policy": "缺失值处理",
        "reproduce": "复现本次评价",
        "made_with": "由 renoscore {v} 生成。得分为0–100分，排名前不作四舍五入。",
        "choices": "影响结果的各项选择",
        "normalization": "标准化方法",
        "aggregation": "集成方法",
        "min_cov": "获得综合得分所需最低覆盖率",
        "ties": "并列规则",
        "ranked_within": "排名在各阶段内分别进行",
        "bands": "等级划分",
        "tie_text": "{m}，得分相差小于 {t:g} 分视为并列",
        "system_text": "{name}（{id} v{v}）：{d}个维度，{m}项指标。",
        "chart_weights": "各维度与指标的全局权重。",
        "chart_radar": "各维度得分（0–100），按阶段。",
        "chart_ranking": "按排名的综合得分，颜色表示等级；虚线为等级分界。",
        "chart_grades": "各等级的小区数，按阶段。",
        "context": "基本情况",
        "of": "/",
        "digest": "数据摘要（SHA-256）",
        "version": "renoscore 版本",
        "panel": "专家组",
        "prioritisation": "层次分析法排序方法",
        "ri_table": "随机一致性指标表",
        "group_method": "专家意见集结",
        "data_rows": "所用数据记录数",
        "data_phase": "所用数据阶段",
        "created": "生成时间",
        "equal_text": "等权",
        "fixed_text": "指标体系文件中规定的固定权重",
    },
}


# The words of the coverage rules, the change intervals and the effect of renovation (issue 19).
WORDS["en"].update(
    {
        "applicable": "applies",
        "progress_check": "progress check",
        "progress_intro": (
            ". The rows of this phase show the dimension scores it measures, without an overall "
            "score, rank or grade."
        ),
        "interval_intro": (
            "Each change has a {level} interval from the measurement error of the values (survey "
            "standard errors, declared measurement error), carried through the goalposts and the "
            "weights; a change whose interval includes 0 is no clear change, not a decline. "
            "In the table, * marks a dimension's change within its interval."
        ),
        "interval": "{level} interval",
        "min_applicable": "minimum applicable share of a group",
        "change_class": "class",
        "class_improved": "improved",
        "class_no_clear_change": "no clear change",
        "class_worse": "worse",
        "effect": "Effect of renovation (difference in differences)",
        "effect_intro": (
            "Phases {phases}; renovation between the earlier phases and {post}. {treated} "
            "renovated communities are compared with {control} not renovated, observed in the "
            "same phases: the effect is the change of the renovated beyond the change of the "
            "others (two-way fixed effects, community and phase), so that neither the common "
            "trend nor the selection of worse communities for renovation is read as its effect. "
            "Standard errors clustered by community ({correction} correction); {level} intervals."
        ),
        "renovated_change": "change, renovated",
        "comparison_change": "change, comparison",
        "pretrend": "pre-trend p",
    }
)
WORDS["zh"].update(
    {
        "applicable": "适用占比",
        "progress_check": "进度检查",
        "progress_intro": "。本阶段仅列示所评价维度的得分，不计综合得分、排名和等级。",
        "interval_intro": (
            "每项变化均给出{level}置信区间，由各指标值的测量误差（问卷标准误、申报的测量误差）"
            "经目标值换算和权重传递而得；区间包含0的变化判定为无明显变化，不视为下降。"
            "表中带*号的维度变化位于其区间之内。"
        ),
        "interval": "{level}置信区间",
        "min_applicable": "维度评价所需最低适用权重占比",
        "change_class": "变化判定",
        "class_improved": "改善",
        "class_no_clear_change": "无明显变化",
        "class_worse": "下降",
        "effect": "改造净效应（双重差分）",
        "effect_intro": (
            "评价阶段：{phases}；改造发生在{post}之前。将{treated}个已改造小区与同期观测的"
            "{control}个未改造小区对比：改造净效应为已改造小区的变化超出对照小区变化的部分"
            "（小区与阶段双向固定效应），既不把共同趋势、也不把“先改造较差小区”的选择"
            "误作改造成效。标准误按小区聚类（{correction}小样本校正）；{level}置信区间。"
        ),
        "renovated_change": "改造小区变化",
        "comparison_change": "对照小区变化",
        "pretrend": "平行趋势检验p值",
    }
)
