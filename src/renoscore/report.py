"""The evaluation report: one self-contained HTML page, or Markdown, in Chinese or English.

The decision procedure of the renovation programme ends with 两公开: the decision and its result
are made public to the residents. :func:`build_report` writes that publication for an
:class:`~renoscore.EvaluationResult`: the method with every weight and where it came from, the
consistency of every expert's AHP judgements, the ranking with grades, the grade distribution,
the phase comparison when there are two phases, a scorecard for every community (radar chart of
its dimensions and the list of what to fix first) and the data quality (missing and
not-applicable cells, coverage, rows not scored).

The HTML page needs no network and no script: charts are inline SVG drawn by matplotlib with
their text kept as text (:func:`renoscore.plot.figure_svg`), so the browser draws Chinese labels
with its own CJK font whatever fonts the machine that wrote the report had. Markdown gets the
same content; its charts are written as SVG files into a folder beside it
(``report_files/`` for ``report.md``).

Examples
--------
>>> import warnings
>>> import renoscore as rs
>>> from renoscore.report import build_report
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> report = build_report(result, lang="zh", charts=False)
>>> "<html lang=\\"zh-CN\\">" in report.text and "排名与等级" in report.text
True
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._optional import import_optional
from renoscore._version import __version__
from renoscore.data import CellStatus
from renoscore.errors import OptionError, Problem, RenoscoreWarning

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from renoscore.pipeline import PhaseComparison
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

__all__ = ["Report", "build_report", "choose_phases", "repr_html", "write_report"]

Lang = Literal["en", "zh"]

# --------------------------------------------------------------------------- words
_T: dict[str, dict[str, str]] = {
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
        "share_improved": "share of communities that improved",
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
        "share_improved": "得分提高的小区比例",
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

_METHOD_NAMES: dict[str, dict[str, str]] = {
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
    },
}

_CATEGORY = {
    "en": {"basic": "basic", "improvement": "improvement", "upgrade": "upgrade", "none": "-"},
    "zh": {"basic": "基础类", "improvement": "完善类", "upgrade": "提升类", "none": "-"},
}
_SUPPLIER = {
    "en": {
        "government": "government",
        "market": "market",
        "society": "society",
        "residents": "residents",
    },
    "zh": {"government": "政府", "market": "市场", "society": "社会", "residents": "居民"},
}

_REFERENCES = (
    "Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.",
    "Crawford, G., & Williams, C. (1985). A note on the analysis of subjective judgment "
    "matrices. Journal of Mathematical Psychology, 29, 387–405.",
    "Forman, E., & Peniwati, K. (1998). Aggregating individual judgments and priorities with "
    "the Analytic Hierarchy Process. European Journal of Operational Research, 108, 165–169.",
    "Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective weights in "
    "multiple criteria problems: the CRITIC method. Computers & Operations Research, 22(7), "
    "763–770.",
    "Zeleny, M. (1982). Multiple Criteria Decision Making. McGraw-Hill (entropy weights).",
    "OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.",
    "UNDP (2010). Human Development Report, Technical note 1 (goalposts).",
    "国务院办公厅 (2020). 关于全面推进城镇老旧小区改造工作的指导意见（国办发〔2020〕23号）.",
)


# --------------------------------------------------------------------------- document model
@dataclass
class _Code:
    text: str


@dataclass
class _Link:
    text: str
    href: str


Inline = str | _Code | _Link


@dataclass
class _Heading:
    level: int
    text: str
    anchor: str


@dataclass
class _Para:
    parts: list[Inline]
    cls: str | None = None


@dataclass
class _Table:
    header: list[str]
    rows: list[list[Any]]
    numeric: list[bool]
    caption: str | None = None
    cls: str | None = None


@dataclass
class _Figure:
    key: str
    svg: str
    caption: str


@dataclass
class _List:
    items: list[list[Inline]]
    ordered: bool = False


@dataclass
class _Section:
    """A group of blocks rendered as <section> (HTML) and nothing special in Markdown."""

    blocks: list[Any]
    anchor: str | None = None
    cls: str | None = None


Block = _Heading | _Para | _Table | _Figure | _List | _Section


# --------------------------------------------------------------------------- formatting
def _f(x: Any, digits: int = 1, sign: bool = False) -> str:
    if x is None:
        return "–"
    if isinstance(x, (float, np.floating)):
        if math.isnan(float(x)):
            return "–"
        return f"{float(x):+.{digits}f}" if sign else f"{float(x):.{digits}f}"
    return str(x)


def _pct(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100.0 * x:.{digits}f}%"


@dataclass
class Report:
    """A rendered report: its text and, for Markdown, the chart files to write beside it.

    Attributes
    ----------
    text : str
        The HTML page or Markdown document.
    format : {"html", "markdown"}
    files : dict of str to str
        For Markdown: chart files (relative path -> SVG text) that the text links to.
    """

    text: str
    format: str
    files: dict[str, str] = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        """Write the report to ``path`` (and Markdown's chart files into ``<stem>_files/``)."""
        path = Path(path)
        path.write_text(self.text, encoding="utf-8")
        for rel, content in self.files.items():
            target = path.parent / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        return path


def choose_phases(result: EvaluationResult) -> tuple[str, str] | None:
    """The two phases a report compares, or None when there are not two.

    The first phase present (in the system's phase order) is the baseline; the other phase is
    the later one sharing the most scored communities with it (ties: the earlier phase), so
    that a mid-works phase measuring only part of the system is passed over.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> choose_phases(r)
    ('t0', 't1')
    """
    order = {p: k for k, p in enumerate(result.system.phase_ids)}
    present = sorted(
        {p for p in result.phases if p is not None}, key=lambda p: order.get(p, len(order))
    )
    if len(present) < 2:
        return None
    scored = ~np.isnan(result.overall)
    ids_in = {
        p: {i for i, q, s in zip(result.ids, result.phases, scored, strict=True) if q == p and s}
        for p in present
    }
    base = present[0]
    best = max(present[1:], key=lambda p: (len(ids_in[p] & ids_in[base]), -order.get(p, 0)))
    if not ids_in[best] & ids_in[base]:
        return None
    return base, best


class _Builder:
    def __init__(
        self,
        result: EvaluationResult,
        lang: Lang,
        comparison: PhaseComparison | None,
        charts: bool,
        max_scorecards: int | None,
        fix_first_top: int,
        command: str | None,
        uncertainty: Any = None,
    ) -> None:
        self.unc = uncertainty
        self.r = result
        self.sys = result.system
        self.lang = lang
        self.t = _T[lang]
        self.m = _METHOD_NAMES[lang]
        self.cmp = comparison
        self.charts = charts
        self.max_cards = max_scorecards
        self.top = fix_first_top
        self.command = command
        order = {p: k for k, p in enumerate(self.sys.phase_ids)}
        self.phases: list[str | None] = sorted(
            dict.fromkeys(result.phases), key=lambda p: -1 if p is None else order.get(p, 99)
        )
        self.dims = [d.id for d in self.sys.dimensions]
        self.name_col = result.context.get("name")
        self.font_warning = False
        if charts:
            import_optional("matplotlib", "Charts in the report")

    # ------------------------------------------------------------------ helpers
    def phase_name(self, p: str | None) -> str:
        if p is None:
            return "–"
        for ph in self.sys.phases:
            if ph.id == p:
                return f"{ph.name.get(self.lang)} ({p})"
        return p

    def node_name(self, node: str) -> str:
        try:
            return self.sys.node(node).name.get(self.lang)
        except Exception:  # a node of another version of the system: show its id
            return node

    def grade_name(self, g: int) -> str:
        return self.t["not_scored"] if g < 0 else self.sys.grades[g].name.get(self.lang)

    def method(self, key: str | None) -> str:
        if key is None:
            return "–"
        return self.m.get(key, key)

    def figure(self, key: str, fig: Figure, caption: str) -> _Figure:
        from renoscore.plot import MissingFontWarning, figure_svg

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MissingFontWarning)
            svg = figure_svg(fig)
        if any(issubclass(c.category, MissingFontWarning) for c in caught):
            self.font_warning = True
        return _Figure(key, svg, caption)

    def new_figure(self, size: tuple[float, float], polar: bool = False) -> tuple[Figure, Any]:
        mfig = import_optional("matplotlib.figure", "Charts in the report")
        fig = mfig.Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
        return fig, ax

    def plot(self, draw: Any) -> None:
        """Run a drawing call, noting (not repeating) a missing-font warning."""
        from renoscore.plot import MissingFontWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MissingFontWarning)
            draw()
        if any(issubclass(c.category, MissingFontWarning) for c in caught):
            self.font_warning = True

    # ------------------------------------------------------------------ sections
    def build(self) -> tuple[str, list[Block]]:
        t = self.t
        title = f"{self.sys.name.get(self.lang)} — {t['title']}"
        sections: list[tuple[str, str, list[Block]]] = [
            ("summary", t["summary"], self.summary()),
            ("method", t["method"], self.method_section()),
            ("weights", t["weights"], self.weights_section()),
            ("consistency", t["consistency"], self.consistency_section()),
            ("ranking", t["ranking"], self.ranking_section()),
            ("grades", t["grades"], self.grades_section()),
        ]
        if self.cmp is not None:
            sections.append(("comparison", t["comparison"], self.comparison_section()))
        if self.unc is not None:
            sections.append(("uncertainty", t["uncertainty"], self.uncertainty_section()))
        sections += [
            ("scorecards", t["scorecards"], self.scorecards_section()),
            ("quality", t["quality"], self.quality_section()),
            ("provenance", t["provenance"], self.provenance_section()),
        ]
        communities = len(set(self.r.ids))
        blocks: list[Block] = [
            _Heading(1, title, "top"),
            _Para([t["intro"].format(n=communities)], cls="intro"),
            self.meta_table(),
            _Heading(2, t["contents"], "contents"),
            _List(
                [[_Link(f"{k}. {name}", f"#{a}")] for k, (a, name, _) in enumerate(sections, 1)],
                ordered=False,
            ),
        ]
        for k, (anchor, name, body) in enumerate(sections, 1):
            blocks.append(_Section([_Heading(2, f"{k}. {name}", anchor), *body], anchor=None))
        blocks.append(_Para([t["made_with"].format(v=__version__)], cls="footer"))
        return title, blocks

    def meta_table(self) -> _Table:
        t, r = self.t, self.r
        prov = r.provenance
        source = Path(prov.data_source).name if prov.data_source else "–"
        rows = [
            [t["system"], f"{self.sys.name.get(self.lang)} ({self.sys.id} v{self.sys.version})"],
            [t["data"], source],
            [t["rows"], str(len(r.ids))],
            [t["communities"], str(len(set(r.ids)))],
            [
                t["phases"],
                "; ".join(f"{self.phase_name(p)}: {r.phases.count(p)}" for p in self.phases),
            ],
            [t["generated"], prov.created],
        ]
        return _Table([t["key"], t["val"]], rows, [False, False], cls="meta")

    def summary(self) -> list[Block]:
        t, r = self.t, self.r
        head = [
            t["phase"],
            t["rows"],
            t["scored"],
            t["mean"],
            t["median"],
            t["best"],
            t["worst"],
            *[g.name.get(self.lang) for g in self.sys.grades],
            t["not_scored"],
        ]
        rows: list[list[Any]] = []
        phase_arr = np.array(r.phases, dtype=object)
        for p in self.phases:
            sel = phase_arr == p
            s = r.overall[sel]
            ok = s[~np.isnan(s)]
            g = r.grades[sel, 0]
            counts = np.bincount(
                np.where(g < 0, len(self.sys.grades), g), minlength=len(self.sys.grades) + 1
            )
            rows.append(
                [
                    self.phase_name(p),
                    int(sel.sum()),
                    int(ok.size),
                    _f(float(ok.mean())) if ok.size else "–",
                    _f(float(np.median(ok))) if ok.size else "–",
                    _f(float(ok.max())) if ok.size else "–",
                    _f(float(ok.min())) if ok.size else "–",
                    *[int(c) for c in counts],
                ]
            )
        return [_Table(head, rows, [False] + [True] * (len(head) - 1))]

    def method_section(self) -> list[Block]:
        t, prov = self.t, self.r.provenance
        zh = self.lang == "zh"
        blocks: list[Block] = [
            _Para(
                [
                    t["system_text"].format(
                        name=self.sys.name.get(self.lang),
                        id=self.sys.id,
                        v=self.sys.version,
                        d=len(self.sys.dimensions),
                        m=len(self.sys.indicators),
                    )
                ]
            ),
            _Heading(3, t["choices"], "choices"),
            _Table(
                [t["key"], t["val"]],
                [
                    [t["normalization"], self.method(prov.normalization)],
                    [t["aggregation"], self.method(prov.aggregation)],
                    [t["missing_policy"], self.method(prov.missing)],
                    [t["min_cov"], _pct(prov.min_coverage)],
                    [
                        t["ties"],
                        t["tie_text"].format(m=self.method(prov.tie_method), t=prov.tie_tolerance),
                    ],
                    [t["ranked_within"], t["yes"]],
                ],
                [False, False],
            ),
        ]
        # The formulas actually used, each with its source.
        formulas: list[list[Inline]] = []
        if prov.normalization == "goalposts":
            formulas.append(
                [
                    "指标得分 " if zh else "Indicator score ",
                    _Code("s = clip((x − floor) / (target − floor), 0, 1) × 100"),
                    (
                        "；成本型指标的底线高于目标（如步行距离 1500 m → 300 m），同一公式即反向"
                        "（UNDP 2010 技术说明1；OECD/JRC 2008）。"
                        if zh
                        else "; a cost indicator has its floor above its target (walking "
                        "distance 1500 m → 300 m) and the same formula reverses it (UNDP 2010, "
                        "Technical note 1; OECD/JRC 2008)."
                    ),
                ]
            )
        else:
            formulas.append(
                [
                    "指标得分 " if zh else "Indicator score ",
                    _Code("s = (x − min) / (max − min) × 100"),
                    (
                        "，最小值与最大值取自本批次（OECD/JRC 2008）；新增小区会改变得分。"
                        if zh
                        else ", min and max over this batch (OECD/JRC 2008); adding communities "
                        "changes the scores."
                    ),
                ]
            )
        if prov.aggregation == "arithmetic":
            formulas.append(
                [
                    "上级得分 " if zh else "Score of a group ",
                    _Code("y = Σ wᵢ sᵢ / Σ wᵢ"),
                    (
                        "，对有实测值的下级求和，权重为局部权重（OECD/JRC 2008 §1.6）；综合得分自下而上逐级计算。"
                        if zh
                        else ", summed over the children observed, with their local weights "
                        "(OECD/JRC 2008 §1.6); the overall score is built level by level."
                    ),
                ]
            )
        else:
            formulas.append(
                [
                    "上级得分 " if zh else "Score of a group ",
                    _Code("y = Π sᵢ^(wᵢ / Σ w)"),
                    (
                        "，加权几何平均，低分不能被高分完全补偿（OECD/JRC 2008 §1.6）。"
                        if zh
                        else ", the weighted geometric mean: a low score is not fully offset by "
                        "a high one (OECD/JRC 2008 §1.6)."
                    ),
                ]
            )
        formulas.append(
            [
                "数据覆盖率 " if zh else "Coverage ",
                _Code("c = Σ_observed w / Σ_applicable w"),
                (
                    f"：不适用的指标不计入分母；覆盖率低于 {_pct(prov.min_coverage)} 的小区不给综合得分（OECD/JRC 2008 §1.4）。"
                    if zh
                    else f": not-applicable indicators leave the denominator; a community "
                    f"below {_pct(prov.min_coverage)} gets no overall score (OECD/JRC 2008 §1.4)."
                ),
            ]
        )
        formulas.append(
            [
                "障碍度 " if zh else "Obstacle degree ",
                _Code("Oⱼ = Wⱼ (1 − sⱼ) / Σₖ Wₖ (1 − sₖ)"),
                (
                    "，Wⱼ 为全局权重（障碍度模型，如 Yang et al. 2014）；基础类未达标项优先（国办发〔2020〕23号：应改尽改）。"
                    if zh
                    else ", Wⱼ the global weight (the obstacle-degree model, e.g. Yang et al. "
                    "2014); unmet basic items come first (国办发〔2020〕23号: fixed wherever needed)."
                ),
            ]
        )
        blocks.append(_List(formulas))
        blocks.append(_Heading(3, t["bands"], "bands"))
        blocks.append(
            _Table(
                [t["grade"], t["min_band"]],
                [[g.name.get(self.lang), f"≥ {g.min:g}"] for g in self.sys.grades],
                [False, True],
            )
        )
        blocks.append(_Heading(3, t["references"], "references"))
        blocks.append(_List([[ref] for ref in _REFERENCES]))
        return blocks

    def weights_section(self) -> list[Block]:
        t = self.t
        w = self.r.weights
        wp = w.provenance
        blocks: list[Block] = [_Heading(3, t["weights_from"], "weights-from")]
        rows = [
            [t["panel"], wp.panel or "–"],
            [t["prioritisation"], self.method(wp.prioritisation) if wp.panel else "–"],
            [t["ri_table"], wp.ri_table or "–"],
            [t["group_method"], self.method(wp.group_method)],
            [t["data_rows"], "–" if wp.data_rows is None else str(wp.data_rows)],
            [t["data_phase"], wp.data_phase or "–"],
            [t["digest"], wp.data_digest or "–"],
            [t["version"], wp.renoscore_version],
            [t["created"], wp.created],
        ]
        blocks.append(_Table([t["key"], t["val"]], rows, [False, False]))
        node_rows = []
        for node, nw in w.nodes.items():
            node_rows.append(
                [
                    self.node_name(node),
                    self.method(nw.method),
                    len(nw.children),
                    _f(nw.cr, 3),
                    "–" if nw.acceptable is None else (t["pass"] if nw.acceptable else t["fail"]),
                ]
            )
        blocks.append(
            _Table(
                [t["node"], t["method_col"], t["children"], t["cr"], t["result"]],
                node_rows,
                [False, False, True, True, False],
            )
        )
        blocks.append(_Heading(3, t["all_weights"], "all-weights"))
        g = w.global_weights()
        rows2 = []
        for row in w.table():
            rows2.append(
                [
                    self.node_name(row["parent"]),
                    f"{self.node_name(row['node'])}",
                    row["node"],
                    self.method(row["method"]),
                    f"{row['local']:.4f}",
                    f"{g[row['node']]:.4f}",
                ]
            )
        blocks.append(
            _Table(
                [t["parent"], t["node"], "id", t["method_col"], t["local"], t["global"]],
                rows2,
                [False, False, False, False, True, True],
            )
        )
        if self.charts:
            from renoscore.plot import WeightsPlots

            n_rows = len(w.global_weights()) - 1
            fig, ax = self.new_figure((7.5, 0.9 + 0.19 * n_rows))
            self.plot(lambda: WeightsPlots(w).bars(ax, system=self.sys, lang=self.lang))
            blocks.append(self.figure("weights", fig, t["chart_weights"]))
        return blocks

    def consistency_section(self) -> list[Block]:
        t = self.t
        w = self.r.weights
        judged = [(n, nw) for n, nw in w.nodes.items() if nw.experts or nw.cr is not None]
        if not judged:
            return [_Para([t["no_ahp"]])]
        wp = w.provenance
        gm = t["gm_aip"] if wp.group_method == "aip" else t["gm_aij"]
        blocks: list[Block] = [_Para([t["cr_rule"].format(ri=wp.ri_table or "saaty1980", gm=gm)])]
        for node, nw in judged:
            blocks.append(_Heading(3, f"{self.node_name(node)} ({node})", f"cr-{node}"))
            ok = "–" if nw.acceptable is None else (t["pass"] if nw.acceptable else t["fail"])
            blocks.append(
                _Para(
                    [
                        t["node_result"].format(
                            node=self.node_name(node),
                            lam=_f(nw.lambda_max, 4),
                            cr=_f(nw.cr, 4),
                            ok=ok,
                        )
                    ]
                )
            )
            kids = [self.node_name(c) for c in nw.children]
            rows = []
            for e in nw.experts:
                rows.append(
                    [
                        e.expert,
                        e.group or "–",
                        _f(e.lambda_max, 4),
                        _f(e.ci, 4),
                        _f(e.cr, 4),
                        t["pass"] if e.acceptable else t["fail"],
                        t["yes"] if e.completed else t["no"],
                        t["yes"] if e.excluded else t["no"],
                        *[f"{p:.3f}" for p in e.priorities],
                    ]
                )
            rows.append(
                [
                    "∑",
                    "–",
                    _f(nw.lambda_max, 4),
                    "–",
                    _f(nw.cr, 4),
                    ok,
                    "–",
                    "–",
                    *[f"{p:.3f}" for p in nw.local],
                ]
            )
            blocks.append(
                _Table(
                    [
                        t["expert"],
                        t["group"],
                        t["lambda"],
                        t["ci"],
                        t["cr"],
                        t["result"],
                        t["completed"],
                        t["excluded"],
                        *kids,
                    ],
                    rows,
                    [False, False, True, True, True, False, False, False] + [True] * len(kids),
                    cls="consistency",
                )
            )
        return blocks

    def ranking_rows(self, phase: str | None) -> list[int]:
        r = self.r
        rows = [k for k, p in enumerate(r.phases) if p == phase]
        return sorted(
            rows,
            key=lambda k: (math.inf if math.isnan(r.ranks[k, 0]) else r.ranks[k, 0], r.ids[k]),
        )

    def ranking_section(self) -> list[Block]:
        t, r = self.t, self.r
        blocks: list[Block] = []
        head = [
            t["rank"],
            t["community"],
            *([t["name"]] if self.name_col is not None else []),
            t["score"],
            t["grade"],
            *[self.node_name(d) for d in self.dims],
            t["coverage"],
            t["note"],
        ]
        numeric = [True, False, *([False] if self.name_col is not None else []), True, False]
        numeric += [True] * len(self.dims) + [True, False]
        for p in self.phases:
            blocks.append(_Heading(3, self.phase_name(p), f"ranking-{p}"))
            rows = []
            for k in self.ranking_rows(p):
                rows.append(
                    [
                        _f(r.ranks[k, 0], 0),
                        r.ids[k],
                        *([self.name_col[k]] if self.name_col is not None else []),
                        _f(r.group_scores[k, 0]),
                        self.grade_name(int(r.grades[k, 0])),
                        *[_f(r.scores(d)[k]) for d in self.dims],
                        _pct(float(r.coverage[k, 0])),
                        r.reasons[k] or "",
                    ]
                )
            scored = int(
                np.count_nonzero(
                    ~np.isnan(r.overall[[k for k, q in enumerate(r.phases) if q == p]])
                )
            )
            if self.charts and scored >= 2 and p == self.phases[0]:
                shown = min(scored, 40)
                fig, ax = self.new_figure((6.8, 1.0 + 0.22 * shown))
                self.plot(
                    lambda p=p, ax=ax, shown=shown: r.plot.ranking(p, ax, top=shown, lang=self.lang)
                )
                blocks.append(self.figure(f"ranking-{p}", fig, t["chart_ranking"]))
            blocks.append(_Table(head, rows, numeric, cls="ranking"))
        return blocks

    def grades_section(self) -> list[Block]:
        t, r = self.t, self.r
        from renoscore.plot import ResultPlots

        counts = ResultPlots(r).grade_counts(self.phases)
        head = [t["phase"], *[g.name.get(self.lang) for g in self.sys.grades], t["not_scored"]]
        rows = [
            [self.phase_name(p), *[int(c) for c in row]]
            for p, row in zip(self.phases, counts, strict=True)
        ]
        blocks: list[Block] = []
        if self.charts:
            fig, ax = self.new_figure((6.4, 3.4))
            self.plot(lambda: r.plot.grade_distribution(ax=ax, lang=self.lang))
            blocks.append(self.figure("grades", fig, t["chart_grades"]))
        blocks.append(_Table(head, rows, [False] + [True] * (len(head) - 1)))
        return blocks

    def comparison_section(self) -> list[Block]:
        t = self.t
        cmp = self.cmp
        assert cmp is not None
        s = cmp.summary()
        blocks: list[Block] = [
            _Para(
                [
                    t["comparison_intro"].format(
                        b=self.phase_name(cmp.before_phase),
                        a=self.phase_name(cmp.after_phase),
                        n=s["communities_compared"],
                    )
                ]
            ),
            _Table(
                [t["key"], t["val"]],
                [
                    [t["mean_change"], _f(s["mean_change"], 1, sign=True)],
                    [t["share_improved"], _pct(s["share_improved"])],
                    [t["share_grade_up"], _pct(s["share_grade_up"])],
                    [t["only_before"], ", ".join(s["only_before"]) or t["none"]],
                    [t["only_after"], ", ".join(s["only_after"]) or t["none"]],
                ],
                [False, False],
            ),
            _Heading(3, t["by_dimension"], "by-dimension"),
            _Table(
                [t["dimension"], t["change"]],
                [
                    [self.node_name(d), _f(v, 1, sign=True)]
                    for d, v in s["mean_change_by_dimension"].items()
                ],
                [False, True],
            ),
        ]
        col = {n: k for k, n in enumerate(cmp.node_ids)}
        rows = []
        order = np.argsort(-np.nan_to_num(cmp.delta[:, 0], nan=-np.inf), kind="stable")
        for k in order.tolist():
            rows.append(
                [
                    cmp.ids[k],
                    _f(cmp.before[k, 0]),
                    _f(cmp.after[k, 0]),
                    _f(cmp.delta[k, 0], 1, sign=True),
                    self.grade_name(int(cmp.grade_before[k])),
                    self.grade_name(int(cmp.grade_after[k])),
                    *[_f(cmp.delta[k, col[d]], 1, sign=True) for d in self.dims],
                ]
            )
        blocks.append(
            _Table(
                [
                    t["community"],
                    t["before"],
                    t["after"],
                    t["change"],
                    t["grade_before"],
                    t["grade_after"],
                    *[f"Δ {self.node_name(d)}" for d in self.dims],
                ],
                rows,
                [False, True, True, True, False, False] + [True] * len(self.dims),
            )
        )
        return blocks

    def community_order(self) -> list[str]:
        r = self.r
        first = self.phases[0]
        ranked = [r.ids[k] for k in self.ranking_rows(first)]
        return list(dict.fromkeys([*ranked, *r.ids]))

    def uncertainty_section(self) -> list[Block]:
        """Rank intervals of the overall ranking under the declared sources of uncertainty."""
        from renoscore.sensitivity import plot_rank_intervals

        unc = self.unc
        settings = unc.settings
        blocks: list[Block] = [
            _Para(
                [
                    self.t["uncertainty_intro"].format(
                        n=settings.n, seed=settings.seed, sources=settings.sources.describe()
                    )
                ]
            )
        ]
        records = unc.records(level=unc.levels[0], lang=self.lang)
        if self.charts and records:
            fig, ax = self.new_figure((7.0, max(2.5, 0.22 * len(records) + 1.0)))
            plot_rank_intervals(unc, ax, level=unc.levels[0])
            blocks.append(self.figure("rank-intervals", fig, self.t["uncertainty"]))
        blocks.append(
            _Table(
                ["community", "base", "median", "5-95 %", "P(top k)", "grade"],
                [
                    [
                        r["community_id"],
                        f"{r['base_rank']:.0f}",
                        f"{r['rank_median']:.0f}",
                        f"{r['rank_p05']:.0f}-{r['rank_p95']:.0f}",
                        f"{r['prob_top_k']:.2f}",
                        f"{r['likely_grade']} ({r['likely_grade_prob']:.0%})",
                    ]
                    for r in sorted(records, key=lambda r: r["rank_median"])
                ],
                [False, True, True, False, True, False],
            )
        )
        return blocks

    def scorecards_section(self) -> list[Block]:
        t, r = self.t, self.r
        ids = self.community_order()
        shown = ids if self.max_cards is None else ids[: self.max_cards]
        blocks: list[Block] = []
        if len(shown) < len(ids):
            blocks.append(_Para([t["more_cards"].format(k=len(shown), n=len(ids))], cls="note"))
        phase_order = {p: k for k, p in enumerate(self.phases)}
        n_in_phase = {
            p: int(
                np.count_nonzero(
                    ~np.isnan(r.overall[[k for k, q in enumerate(r.phases) if q == p]])
                )
            )
            for p in self.phases
        }
        for num, cid in enumerate(shown):
            rows_c = sorted(
                [k for k, i in enumerate(r.ids) if i == cid], key=lambda k: phase_order[r.phases[k]]
            )
            title = cid if self.name_col is None else f"{cid} {self.name_col[rows_c[0]]}"
            card: list[Block] = [_Heading(3, title, f"c{num}")]
            about = [
                f"{k}: {v[rows_c[0]]}"
                for k, v in r.context.items()
                if k != "name" and v[rows_c[0]] not in (None, "")
            ]
            if about:
                card.append(_Para([f"{t['context']} — " + "; ".join(about)], cls="about"))
            head = [
                t["phase"],
                t["score"],
                t["rank"],
                t["grade"],
                *[self.node_name(d) for d in self.dims],
                t["coverage"],
            ]
            rows = [
                [
                    self.phase_name(r.phases[k]),
                    _f(r.group_scores[k, 0]),
                    "–"
                    if math.isnan(r.ranks[k, 0])
                    else f"{r.ranks[k, 0]:.0f} {t['of']} {n_in_phase[r.phases[k]]}",
                    self.grade_name(int(r.grades[k, 0])),
                    *[_f(r.scores(d)[k]) for d in self.dims],
                    _pct(float(r.coverage[k, 0])),
                ]
                for k in rows_c
            ]
            card.append(
                _Table(head, rows, [False, True, True, False] + [True] * len(self.dims) + [True])
            )
            if self.cmp is not None and cid in self.cmp.ids:
                c = self.cmp.community(cid)
                names = self.node_name
                card.append(
                    _Para(
                        [
                            t["change_line"].format(
                                b=self.phase_name(self.cmp.before_phase),
                                a=self.phase_name(self.cmp.after_phase),
                                d=_f(c["overall_change"], 1, sign=True),
                                new=", ".join(names(i) for i in c["newly_at_target"]) or t["none"],
                                worse=", ".join(names(i) for i in c["worse"]) or t["none"],
                            )
                        ]
                    )
                )
            if self.charts and len(self.dims) >= 3:
                fig, ax = self.new_figure((5.6, 4.2), polar=True)
                measured = [k for k in rows_c if (~np.isnan(r.group_scores[k, 1:])).sum() >= 1]
                if measured:
                    self.plot(lambda cid=cid, ax=ax: r.plot.radar(cid, ax=ax, lang=self.lang))
                    card.append(self.figure(f"radar-{num}", fig, t["chart_radar"]))
            scored_rows = [k for k in rows_c if not math.isnan(r.overall[k])]
            if scored_rows:
                k = scored_rows[-1]
                items = r.fix_first(cid, r.phases[k], top=self.top)
                card.append(
                    _Para([f"{t['fix_first']} — {self.phase_name(r.phases[k])}"], cls="caption")
                )
                card.append(
                    _Table(
                        [
                            "#",
                            t["indicator"],
                            t["dimension"],
                            t["value"],
                            t["target"],
                            t["unit"],
                            t["score"],
                            t["obstacle"],
                            t["must_fix"],
                            t["supplier"],
                        ],
                        [
                            [
                                j,
                                it.name_zh if self.lang == "zh" else it.name_en,
                                self.node_name(it.dimension),
                                "–" if it.value is None else f"{it.value:g}",
                                f"{it.target:g}",
                                it.unit,
                                _f(it.score),
                                _pct(it.obstacle, 1),
                                t["yes"] if it.must_fix else "",
                                _SUPPLIER[self.lang].get(it.supplier, it.supplier),
                            ]
                            for j, it in enumerate(items, 1)
                        ],
                        [True, False, False, True, True, False, True, True, False, False],
                        cls="fixfirst",
                    )
                )
            blocks.append(_Section(card, cls="card"))
        blocks.append(_Para([t["fix_first_note"]], cls="note"))
        return blocks

    def quality_section(self) -> list[Block]:
        t, r = self.t, self.r
        st = r.status
        n_cells = st.size
        miss = st == CellStatus.MISSING
        na = st == CellStatus.NOT_APPLICABLE
        blocks: list[Block] = [
            _Table(
                [t["key"], t["val"]],
                [
                    [t["rows"], str(len(r.ids))],
                    [t["cells"], str(n_cells)],
                    [
                        t["observed"],
                        f"{int((st == CellStatus.OK).sum())} ({_pct((st == CellStatus.OK).mean(), 1)})",
                    ],
                    [t["missing"], f"{int(miss.sum())} ({_pct(miss.mean(), 1)})"],
                    [t["na"], f"{int(na.sum())} ({_pct(na.mean(), 1)})"],
                    [t["imputed"], str(int(r.imputed.sum()))],
                    [t["missing_policy"], self.method(r.provenance.missing)],
                ],
                [False, False],
            ),
            _Heading(3, t["by_indicator"], "by-indicator"),
        ]
        per_m = miss.sum(axis=0)
        per_na = na.sum(axis=0)
        rows = [
            [
                ind.id,
                ind.name.get(self.lang),
                int(per_m[j]),
                int(per_na[j]),
                _pct(1.0 - (per_m[j] + per_na[j]) / max(len(r.ids), 1)),
            ]
            for j, ind in enumerate(self.sys.indicators)
            if per_m[j] or per_na[j]
        ]
        if rows:
            blocks.append(
                _Table(
                    ["id", t["indicator"], t["missing"], t["na"], t["observed"]],
                    rows,
                    [False, False, True, True, True],
                )
            )
        else:
            blocks.append(_Para([t["no_gaps"]]))
        blocks.append(_Heading(3, t["coverage_by_phase"], "coverage"))
        phase_arr = np.array(r.phases, dtype=object)
        cov_rows = []
        for p in self.phases:
            c = r.coverage[phase_arr == p, 0]
            c = c[~np.isnan(c)]
            cov_rows.append(
                [
                    self.phase_name(p),
                    _pct(float(c.min())) if c.size else "–",
                    _pct(float(np.median(c))) if c.size else "–",
                    f"{int((c >= 1 - 1e-12).sum())} / {c.size}",
                ]
            )
        blocks.append(
            _Table(
                [t["phase"], t["min_coverage_row"], t["median"], t["full_coverage"]],
                cov_rows,
                [False, True, True, True],
            )
        )
        unscored = [k for k in range(len(r.ids)) if math.isnan(r.overall[k])]
        if unscored:
            blocks.append(_Heading(3, t["not_scored_rows"], "not-scored"))
            blocks.append(
                _Table(
                    [t["community"], t["phase"], t["coverage"], t["note"]],
                    [
                        [
                            r.ids[k],
                            self.phase_name(r.phases[k]),
                            _pct(float(r.coverage[k, 0])),
                            r.reasons[k] or "",
                        ]
                        for k in unscored
                    ],
                    [False, False, True, False],
                )
            )
        if r.warnings:
            blocks.append(_Heading(3, t["warnings"], "warnings"))
            blocks.append(_List([[w] for w in r.warnings]))
        return blocks

    def provenance_section(self) -> list[Block]:
        t, prov = self.t, self.r.provenance
        rows: list[list[Any]] = [
            [t["version"], prov.renoscore_version],
            [t["created"], prov.created],
            [t["system"], f"{prov.system_id} v{prov.system_version}"],
            [t["data"], Path(prov.data_source).name if prov.data_source else "–"],
            [t["digest"], prov.data_digest],
            [t["normalization"], prov.normalization],
            [t["aggregation"], prov.aggregation],
            [t["missing_policy"], prov.missing],
            [t["min_cov"], f"{prov.min_coverage:g}"],
            [t["ties"], f"{prov.tie_method}, {prov.tie_tolerance:g}"],
        ]
        blocks: list[Block] = [_Table([t["key"], t["val"]], rows, [False, False])]
        code = (
            "import renoscore as rs\n"
            f"system = rs.load_system({self.sys.id!r})\n"
            "data = rs.load_data('DATA.csv', system)\n"
            "weights = rs.load_weights('weights.yaml', system)  # the weights above, frozen\n"
            f"result = rs.evaluate(system, data, weights, normalization={prov.normalization!r}, "
            f"aggregation={prov.aggregation!r}, missing={prov.missing!r}, "
            f"min_coverage={prov.min_coverage!r})"
        )
        blocks.append(_Para([t["reproduce"] + ":"]))
        if self.command:
            blocks.append(_Para([_Code(self.command)], cls="pre"))
        blocks.append(_Para([_Code(code)], cls="pre"))
        return blocks


# --------------------------------------------------------------------------- renderers
_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --band: #f5f7fa; --accent: #1d6fa3; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 24px 28px 48px; color: var(--ink);
  font: 15px/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.3em; margin-top: 2em; padding-bottom: 0.2em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.08em; margin: 1.4em 0 0.5em; }
a { color: var(--accent); }
p.intro { font-size: 1.05em; }
p.note, p.about, p.footer { color: var(--muted); font-size: 0.92em; }
p.caption { font-weight: 600; margin: 0.8em 0 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.88em; width: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; }
th { background: var(--band); text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fbfcfd; }
.table-wrap { overflow-x: auto; }
figure { margin: 0.8em 0 1.2em; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.88em; }
section.card { border: 1px solid var(--line); border-radius: 6px; padding: 4px 16px 8px; margin: 1em 0;
  break-inside: avoid; }
section.card h3 { margin-top: 0.8em; }
pre { background: var(--band); padding: 8px 10px; overflow-x: auto; font-size: 0.85em; }
ul.toc { columns: 2; }
@media print { body { max-width: none; padding: 0; } h2 { break-before: auto; } }
"""


def _plain(part: Inline) -> str:
    return part if isinstance(part, str) else part.text


def _inline_html(parts: Sequence[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, _Code):
            out.append(f"<code>{escape(p.text)}</code>")
        elif isinstance(p, _Link):
            out.append(f'<a href="{escape(p.href)}">{escape(p.text)}</a>')
        else:
            out.append(escape(p))
    return "".join(out)


def _html_blocks(blocks: Sequence[Block], out: list[str]) -> None:
    for b in blocks:
        if isinstance(b, _Heading):
            out.append(f'<h{b.level} id="{escape(b.anchor)}">{escape(b.text)}</h{b.level}>')
        elif isinstance(b, _Para):
            if b.cls == "pre":
                out.append("<pre>" + escape("".join(_plain(p) for p in b.parts)) + "</pre>")
            else:
                cls = f' class="{b.cls}"' if b.cls else ""
                out.append(f"<p{cls}>{_inline_html(b.parts)}</p>")
        elif isinstance(b, _Table):
            cls = f' class="{b.cls}"' if b.cls else ""
            head = "".join(f"<th>{escape(str(h))}</th>" for h in b.header)
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{escape(str(c))}</td>'
                    if num
                    else f"<td>{escape(str(c))}</td>"
                    for c, num in zip(row, b.numeric, strict=False)
                )
                + "</tr>"
                for row in b.rows
            )
            cap = f"<caption>{escape(b.caption)}</caption>" if b.caption else ""
            out.append(
                f'<div class="table-wrap"><table{cls}>{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table></div>"
            )
        elif isinstance(b, _Figure):
            out.append(
                f'<figure id="fig-{escape(b.key)}">{b.svg}'
                f"<figcaption>{escape(b.caption)}</figcaption></figure>"
            )
        elif isinstance(b, _List):
            tag = "ol" if b.ordered else "ul"
            items = "".join(f"<li>{_inline_html(it)}</li>" for it in b.items)
            toc = ' class="toc"' if b.items and isinstance(b.items[0][0], _Link) else ""
            out.append(f"<{tag}{toc}>{items}</{tag}>")
        elif isinstance(b, _Section):
            cls = f' class="{b.cls}"' if b.cls else ""
            out.append(f"<section{cls}>")
            _html_blocks(b.blocks, out)
            out.append("</section>")


def _render_html(title: str, blocks: Sequence[Block], lang: Lang) -> str:
    out: list[str] = []
    _html_blocks(blocks, out)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="renoscore {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(out)
        + "\n</body>\n</html>\n"
    )


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|#])")


def _md_text(text: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", text)


def _inline_md(parts: Sequence[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, _Code):
            out.append(f"`{p.text}`")
        elif isinstance(p, _Link):
            out.append(f"[{_md_text(p.text)}]({p.href})")
        else:
            out.append(_md_text(p))
    return "".join(out)


def _md_cell(value: Any) -> str:
    return _md_text(str(value)).replace("\n", " ")


def _md_blocks(blocks: Sequence[Block], out: list[str], files: dict[str, str], folder: str) -> None:
    for b in blocks:
        if isinstance(b, _Heading):
            out.append(f"{'#' * b.level} {_md_text(b.text)}\n")
        elif isinstance(b, _Para):
            if b.cls == "pre":
                out.append("```\n" + "".join(_plain(p) for p in b.parts) + "\n```\n")
            else:
                out.append(_inline_md(b.parts) + "\n")
        elif isinstance(b, _Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append(
                "|" + "|".join("---:" if num else "---" for num in b.numeric[: len(b.header)]) + "|"
            )
            for row in b.rows:
                out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            out.append("")
        elif isinstance(b, _Figure):
            rel = f"{folder}/{b.key}.svg"
            files[rel] = '<?xml version="1.0" encoding="utf-8"?>\n' + b.svg + "\n"
            out.append(f"![{_md_text(b.caption)}]({rel})\n")
        elif isinstance(b, _List):
            for k, it in enumerate(b.items, 1):
                out.append(f"{k}. {_inline_md(it)}" if b.ordered else f"- {_inline_md(it)}")
            out.append("")
        elif isinstance(b, _Section):
            _md_blocks(b.blocks, out, files, folder)


# --------------------------------------------------------------------------- public API
def build_report(
    result: EvaluationResult,
    *,
    lang: Lang = "en",
    format: Literal["html", "markdown"] = "html",
    comparison: PhaseComparison | Literal["auto"] | None = "auto",
    charts: bool = True,
    max_scorecards: int | None = 200,
    fix_first_top: int = 10,
    files_folder: str = "report_files",
    command: str | None = None,
    uncertainty: Any = None,
) -> Report:
    """Build the report of an evaluation.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of every heading, label and name.
    format : {"html", "markdown"}
        A self-contained HTML page, or Markdown with chart files.
    comparison : PhaseComparison, "auto" or None
        The phase comparison to include: ``"auto"`` compares the phases chosen by
        :func:`choose_phases` when the result has two or more; None leaves it out.
    charts : bool
        Draw the charts (needs matplotlib, the ``plot`` extra).
    max_scorecards : int or None
        Scorecards for at most this many communities (by rank in the first phase); None: all.
    fix_first_top : int
        Lines of each community's fix-first list.
    files_folder : str
        Markdown only: the folder (relative to the report) the chart files go into.
    command : str, optional
        The command line that made the report, shown under provenance.
    uncertainty : renoscore.sensitivity.UncertaintyResult, optional
        A Monte Carlo analysis of the same evaluation: adds a section with the rank-interval
        chart and table.

    Returns
    -------
    Report

    Raises
    ------
    OptionError
        Unknown language or format.
    MissingDependencyError
        ``charts=True`` without matplotlib.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> md = build_report(r, format="markdown", charts=False)
    >>> md.text.startswith("# Evaluation of old residential community renovation")
    True
    """
    if lang not in ("en", "zh"):
        raise OptionError(f"unknown language {lang!r}", [Problem("use en or zh", value=lang)])
    if format not in ("html", "markdown"):
        raise OptionError(
            f"unknown report format {format!r}", [Problem("use html or markdown", value=format)]
        )
    cmp: PhaseComparison | None
    if isinstance(comparison, str):
        from renoscore.pipeline import compare

        pair = choose_phases(result)
        cmp = compare(result, phases=pair) if pair is not None else None
    else:
        cmp = comparison
    builder = _Builder(
        result, lang, cmp, charts, max_scorecards, fix_first_top, command, uncertainty
    )
    title, blocks = builder.build()
    if builder.font_warning:
        warnings.warn(
            "no CJK font found for matplotlib: chart labels were laid out with approximate "
            "widths. The browser still draws them (they are SVG text); install fonts-noto-cjk "
            "(Debian/Ubuntu) for exact layout.",
            RenoscoreWarning,
            stacklevel=2,
        )
    if format == "html":
        return Report(_render_html(title, blocks, lang), "html")
    out: list[str] = []
    files: dict[str, str] = {}
    _md_blocks(blocks, out, files, files_folder)
    return Report("\n".join(out).rstrip() + "\n", "markdown", files)


def write_report(
    result: EvaluationResult,
    path: str | Path,
    *,
    lang: Lang = "en",
    format: Literal["html", "markdown"] | None = None,
    **options: Any,
) -> Path:
    """Build the report and write it to ``path`` (``.html`` / ``.htm``, or ``.md``).

    Markdown chart files go to ``<stem>_files/`` beside the report.

    Parameters
    ----------
    result : EvaluationResult
    path : str or Path
    lang : {"en", "zh"}
    format : {"html", "markdown"}, optional
        Default: from the suffix.
    **options
        Passed to :func:`build_report`.

    Returns
    -------
    Path

    Raises
    ------
    OptionError
        A suffix that is neither HTML nor Markdown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_report(r, pathlib.Path(tempfile.mkdtemp()) / "r.html", charts=False)
    >>> p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    if format is None:
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            format = "html"
        elif suffix in (".md", ".markdown"):
            format = "markdown"
        else:
            raise OptionError(
                f"cannot tell the report format of {path.name!r}",
                [Problem("unknown suffix", file=str(path), fix="use .html or .md")],
            )
    if format == "markdown":
        options.setdefault("files_folder", f"{path.stem}_files")
    report = build_report(result, lang=lang, format=format, **options)
    return report.save(path)


# --------------------------------------------------------------------------- notebooks
def _html_of(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    _html_blocks(blocks, out)
    return "\n".join(out)


def _system_blocks(system: IndicatorSystem, lang: Lang) -> list[Block]:
    rows: list[list[Any]] = []
    for node in system.nodes:
        depth = len(system.path(node.id)) - 1
        indent = "\u2003" * depth
        if node.is_indicator:
            ind: Any = node
            rows.append(
                [
                    indent + ind.id,
                    ind.name.get(lang),
                    ind.kind.value,
                    ind.direction.value,
                    f"{ind.goalposts.floor:g} → {ind.goalposts.target:g}",
                    ind.unit,
                    _CATEGORY[lang].get(ind.category.value, ind.category.value),
                    _SUPPLIER[lang].get(ind.supplier.value, ind.supplier.value),
                ]
            )
        else:
            grp: Any = node
            rows.append(
                [
                    indent + grp.id,
                    grp.name.get(lang),
                    f"[{grp.weighting.method}]",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    head = [
        "id",
        "name",
        "kind / weighting",
        "direction",
        "goalposts",
        "unit",
        "category",
        "supplier",
    ]
    return [
        _Para(
            [
                f"{system.name.get(lang)} ",
                _Code(f"{system.id} v{system.version}"),
                f" — {len(system.dimensions)} dimensions, {len(system.indicators)} indicators",
            ]
        ),
        _Table(head, rows, [False] * len(head)),
    ]


def _weights_blocks(weights: Weights, system: IndicatorSystem | None, lang: Lang) -> list[Block]:
    def name(node: str) -> str:
        if system is None:
            return node
        try:
            return f"{system.node(node).name.get(lang)} ({node})"
        except Exception:  # weights of another version of the system
            return node

    g = weights.global_weights()
    rows = []
    for row in weights.table():
        nw = weights.nodes[row["parent"]]
        cr = "" if nw.cr is None else f"{nw.cr:.3f} " + ("✓" if nw.acceptable else "✗")
        rows.append(
            [
                row["parent"],
                name(row["node"]),
                row["method"],
                f"{row['local']:.4f}",
                f"{g[row['node']]:.4f}",
                cr,
            ]
        )
    blocks: list[Block] = [
        _Para(
            [
                "Weights for ",
                _Code(f"{weights.system_id} v{weights.system_version}"),
                f" — panel {weights.provenance.panel or '–'}, "
                f"prioritisation {weights.provenance.prioritisation}",
            ]
        ),
        _Table(
            ["parent", "node", "method", "local", "global", "parent CR"],
            rows,
            [False, False, False, True, True, True],
        ),
    ]
    experts = [
        [
            node,
            e.expert,
            e.group or "–",
            f"{e.lambda_max:.4f}",
            f"{e.cr:.4f}",
            "passes" if e.acceptable else "FAILS",
            "left out" if e.excluded else "",
        ]
        for node, nw in weights.nodes.items()
        for e in nw.experts
    ]
    if experts:
        blocks.append(
            _Table(
                ["node", "expert", "group", "λmax", "CR", "CR < 0.10", ""],
                experts,
                [False, False, False, True, True, False, False],
            )
        )
    return blocks


def _result_blocks(result: EvaluationResult, lang: Lang, max_rows: int) -> list[Block]:
    dims = [d.id for d in result.system.dimensions]
    recs = result.ranking(lang=lang)
    rows = [
        [
            _f(rec["rank"], 0),
            rec["community_id"],
            rec["phase"] or "–",
            _f(rec["score"]),
            rec["grade"] or rec["reason"] or "–",
            *[_f(rec[d]) for d in dims],
            _pct(rec["coverage"]),
        ]
        for rec in recs[:max_rows]
    ]
    blocks: list[Block] = [
        _Para([repr(result)]),
        _Table(
            ["rank", "community", "phase", "score", "grade", *dims, "coverage"],
            rows,
            [True, False, False, True, False] + [True] * len(dims) + [True],
        ),
    ]
    if len(recs) > max_rows:
        blocks.append(
            _Para([f"… {len(recs) - max_rows} more rows (result.table(), result.to_frame())"])
        )
    return blocks


def repr_html(
    obj: IndicatorSystem | Weights | EvaluationResult,
    *,
    lang: Lang = "en",
    system: IndicatorSystem | None = None,
    max_rows: int = 50,
) -> str:
    """Compact, escaped HTML of a system, weights or result, for Jupyter's ``_repr_html_``.

    Parameters
    ----------
    obj : IndicatorSystem, Weights or EvaluationResult
    lang : {"en", "zh"}
        Language of names.
    system : IndicatorSystem, optional
        For weights: gives the nodes' names.
    max_rows : int
        Rows of a result's ranking shown.

    Returns
    -------
    str

    Raises
    ------
    OptionError
        For an object of another type.

    Examples
    --------
    >>> import renoscore as rs
    >>> html = repr_html(rs.default_system(), lang="zh")
    >>> "基础设施" in html and html.count("<tr>") == 1 + len(rs.default_system().nodes)
    True
    """
    from renoscore.result import EvaluationResult
    from renoscore.system import IndicatorSystem
    from renoscore.weighting import Weights

    if isinstance(obj, IndicatorSystem):
        blocks = _system_blocks(obj, lang)
    elif isinstance(obj, Weights):
        blocks = _weights_blocks(obj, system, lang)
    elif isinstance(obj, EvaluationResult):
        blocks = _result_blocks(obj, lang, max_rows)
    else:
        raise OptionError(
            f"no HTML view of a {type(obj).__name__}",
            [Problem("unsupported object", fix="pass a system, weights or a result")],
        )
    return f'<div class="renoscore">{_html_of(blocks)}</div>'
