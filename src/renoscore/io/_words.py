"""The words of the files renoscore writes for offices to fill in or correct, in both languages.

Examples
--------
>>> from renoscore.io._words import PROBLEM_HEADERS
>>> PROBLEM_HEADERS["zh"]["fix"]
'修改建议'
"""

from __future__ import annotations

__all__ = ["PROBLEM_HEADERS", "PROBLEM_SHEET", "TEMPLATE_WORDS"]

#: The columns of a list of problems (``--problems``), by language.
PROBLEM_HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "row": "row",
        "community": "community",
        "column": "column",
        "value": "value",
        "problem": "problem",
        "fix": "fix",
    },
    "zh": {
        "row": "行号",
        "community": "小区",
        "column": "列",
        "value": "填写内容",
        "problem": "问题",
        "fix": "修改建议",
    },
}
#: The sheet of an Excel list of problems.
PROBLEM_SHEET = {"en": "problems", "zh": "问题清单"}

#: The words of a fill-in template (:mod:`renoscore.io.template`), by language.
TEMPLATE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "data_sheet": "data",
        "guide_sheet": "instructions",
        "title": "{system}: data to fill in",
        "id": "community",
        "phase": "phase",
        "example_id": "Example community (replace this row)",
        "column": "column",
        "indicator": "what it is",
        "definition": "definition",
        "unit": "unit",
        "range": "valid values",
        "source": "source",
        "phases": "measured in",
        "how": "how to fill it in",
        "kind_indicator": "indicator",
        "kind_raw": "raw figure (the indicator is computed from it)",
        "kind_key": "key column",
        "kind_context": "context (kept, not scored)",
        "id_note": "the community's name or code, the same in every phase",
        "phase_note": "one of: {phases}",
        "derived_note": "computed as {formula}; or fill in the column {column} directly",
        "notes": (
            "One row per community and phase. Leave a cell empty if the value is missing; "
            "write n/a (不适用) if it does not apply. Units may be written after a number "
            "(348米, 1.2公里, 71%). Rows without any value (signatures, notes) are skipped."
        ),
        "any": "any",
    },
    "zh": {
        "data_sheet": "填报表",
        "guide_sheet": "填报说明",
        "title": "{system}填报表",
        "id": "小区名称",
        "phase": "阶段",
        "example_id": "示例小区（请替换本行）",
        "column": "列名",
        "indicator": "类别",
        "definition": "指标说明",
        "unit": "单位",
        "range": "取值范围",
        "source": "依据与来源",
        "phases": "适用阶段",
        "how": "填写要求",
        "kind_indicator": "评价指标",
        "kind_raw": "基础数据（用于计算指标）",
        "kind_key": "关键列",
        "kind_context": "背景信息（不参与评分）",
        "id_note": "小区名称或编号，各阶段须一致",
        "phase_note": "填写其一：{phases}",
        "derived_note": "按 {formula} 计算；也可直接填写“{column}”列",
        "notes": (
            "每个小区每个评价阶段填写一行。数据缺失的请留空；不适用的请填写“不适用”。"
            "数值后可带单位（如348米、1.2公里、71%）。没有任何数值的行（如签名、备注）不计入。"
        ),
        "any": "不限",
    },
}
