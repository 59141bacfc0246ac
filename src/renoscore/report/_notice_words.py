"""The sentences of the residents' notice (公示), in plain Chinese and in English.

The notice shares the vocabulary of every output (:mod:`renoscore._vocabulary`: categories,
suppliers, grades, units); these are its own sentences. They are written for residents: no
method names, no statistics, numbers with their units.

Examples
--------
>>> from renoscore.report._notice_words import NOTICE
>>> NOTICE["zh"]["title"].format(name="LY社区")
'关于LY社区改造成效评价结果的公示'
"""

from __future__ import annotations

__all__ = ["NOTICE", "SECTION_NUMBERS"]

#: Section numbers of a Chinese notice (一、二、三 ...); English ones are digits.
SECTION_NUMBERS: dict[str, tuple[str, ...]] = {
    "zh": ("一", "二", "三", "四", "五", "六", "七"),
    "en": ("1", "2", "3", "4", "5", "6", "7"),
}

#: Every sentence and label of the notice, by language.
NOTICE: dict[str, dict[str, str]] = {
    "zh": {
        "title": "关于{name}改造成效评价结果的公示",
        "intro": "依据《{system}》，对{name}（小区编号：{id}）{phase}的改造成效进行了评价。现将评价结果公示如下。",
        "period": "公示期：{period}。",
        "section": "{number}、{title}",
        "result": "评价结果",
        "score": "综合得分{score}分（满分100分），等级为“{grade}”，在本次参评的{n}个小区中排第{rank}名。",
        "score_unranked": "本次评价数据不足，未得出综合得分。",
        "change_up": "与{before}相比（当时{score}分，等级为“{grade}”），综合得分提高{d}分。",
        "change_down": "与{before}相比（当时{score}分，等级为“{grade}”），综合得分下降{d}分。",
        "change_same": "与{before}相比（当时{score}分，等级为“{grade}”），综合得分基本持平。",
        "change_unscored": "{before}为进度检查，未计综合得分，以下按维度比较。",
        "bands": "等级划分：{bands}。",
        "band": "{min}分及以上为{name}",
        "band_last": "{min}分以下为{name}",
        "aspect": "方面",
        "now": "本次得分",
        "then": "{before}得分",
        "change": "变化",
        "done": "已完成的改造",
        "done_item": "{name}：由{before}{verb}{after}",
        "up": "提高到",
        "down": "降低到",
        "shorter": "缩短到",
        "at_target": "，已达到目标",
        "more_done": "另有{k}项指标有所改善。",
        "none_done": "与{before}相比，暂无指标改善。",
        "todo": "仍需整改的事项",
        "todo_intro": "以下事项尚未达到目标，按整改的先后排列；基础类事项应改尽改。",
        "item": "事项",
        "category": "类别",
        "value": "现状",
        "target": "目标",
        "responsible": "责任主体",
        "none_todo": "各项指标均已达到目标。",
        "more_todo": "另有{k}项事项尚未达到目标，详见评价报告。",
        "survey": "居民问卷评价",
        "survey_intro": "以下为居民问卷调查的平均得分（满分{top}分，分数越高评价越好）。",
        "survey_item": "调查项目",
        "feedback": "意见反馈",
        "contact": "公示期间，居民如对评价结果有意见或建议，请联系：{contact}。",
        "no_contact": "公示期间，居民如对评价结果有意见或建议，请向所在社区居民委员会反映。",
        "no_data": "暂无数据",
        "yes": "有",
        "no": "无",
        "points": "{x}分",
        "date": "{y}年{m}月{d}日",
    },
    "en": {
        "title": "Notice: results of the renovation evaluation of {name}",
        "intro": "The renovation of {name} (community id {id}) was evaluated {phase} under the {system}. The results are published below.",
        "period": "This notice is posted {period}.",
        "section": "{number}. {title}",
        "result": "Result",
        "score": "Overall score {score} out of 100, grade “{grade}”; ranked {rank} of the {n} communities evaluated.",
        "score_unranked": "Too little data was collected to give an overall score.",
        "change_up": " Compared with {before} (then {score}, grade “{grade}”), the overall score rose by {d} points.",
        "change_down": " Compared with {before} (then {score}, grade “{grade}”), the overall score fell by {d} points.",
        "change_same": " Compared with {before} (then {score}, grade “{grade}”), the overall score is about the same.",
        "change_unscored": " The earlier phase ({before}) was a progress check without an overall score; the dimensions are compared below.",
        "bands": "Grades: {bands}.",
        "band": "{name} from {min}",
        "band_last": "{name} below {min}",
        "aspect": "Aspect",
        "now": "Score now",
        "then": "Score {before}",
        "change": "Change",
        "done": "What was renovated",
        "done_item": "{name}: {verb} {before} to {after}",
        "up": "up from",
        "down": "down from",
        "shorter": "down from",
        "at_target": ", now at target",
        "more_done": "{k} more indicators improved.",
        "none_done": "No indicator improved since {before}.",
        "todo": "Still to fix",
        "todo_intro": "These items are not yet at target, in the order they should be fixed; basic items are to be fixed wherever needed.",
        "item": "Item",
        "category": "Category",
        "value": "Now",
        "target": "Target",
        "responsible": "Responsible",
        "none_todo": "Every indicator is at target.",
        "more_todo": "{k} more items are not yet at target; see the evaluation report.",
        "survey": "What residents said",
        "survey_intro": "Mean scores of the resident survey (out of {top}; higher is better).",
        "survey_item": "Survey item",
        "feedback": "Comments",
        "contact": "Residents with comments on these results may contact: {contact}.",
        "no_contact": "Residents with comments on these results may contact their residents' committee.",
        "no_data": "no data",
        "yes": "yes",
        "no": "no",
        "points": "{x}",
        "date": "{y}-{m:02d}-{d:02d}",
    },
}
