"""How the scores were made: the method with its formulas and sources, and every weight.

Examples
--------
The two sections' headings in both languages, the choices behind the example evaluation, and
the first of its weights:

>>> import renoscore as rs
>>> from renoscore._document import markdown_document
>>> from renoscore.report._context import ReportContext
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> from renoscore._document import Heading
>>> [ReportContext(result, lang).t[k] for lang in ("en", "zh") for k in ("method", "weights")]
['Method', 'Weights and where they came from', '评价方法', '权重及其来源']
>>> choices = method_section(ReportContext(result, "en"))[2]
>>> print(markdown_document([choices], "files")[0], end="")
| item | value |
|---|---|
| normalisation | goalposts: floor 0, target 100 (independent of the batch) |
| aggregation | weighted arithmetic mean |
| missing-data policy | re-normalise weights over the indicators observed |
| minimum coverage for an overall score | 67% |
| minimum applicable share of a group | 50% |
| ties | shared best rank (1, 2, 2, 4), scores closer than 1e-09 points tie |
| ranks are within each phase | yes |
>>> blocks = weights_section(ReportContext(result, "zh"))
>>> [b.text for b in blocks if isinstance(b, Heading)], blocks[-1].rows[0]
(['权重来源', '全部权重'], ['小区综合评价', '设施改造', 'facilities', '固定权重', '0.2910', '0.2910'])
"""

from __future__ import annotations

from renoscore._document import Block, Code, Heading, Inline, ItemList, Paragraph, Table
from renoscore._format import cell_number, cell_percent
from renoscore.report._context import ReportContext

__all__ = ["REFERENCES", "method_section", "weights_section"]

#: The sources of the methods, listed under the method section.
REFERENCES = (
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


def method_section(ctx: ReportContext) -> list[Block]:
    """The system, the choices behind the numbers, the formulas used, grade bands, sources."""
    t = ctx.t
    return [
        _system_paragraph(ctx),
        Heading(3, t["choices"], "choices"),
        _choices_table(ctx),
        ItemList(_formulas(ctx)),
        Heading(3, t["bands"], "bands"),
        _bands_table(ctx),
        Heading(3, t["references"], "references"),
        ItemList([[ref] for ref in REFERENCES]),
    ]


def _system_paragraph(ctx: ReportContext) -> Paragraph:
    t = ctx.t
    return Paragraph(
        [
            t["system_text"].format(
                name=ctx.sys.name.get(ctx.lang),
                id=ctx.sys.id,
                v=ctx.sys.version,
                d=len(ctx.sys.dimensions),
                m=len(ctx.sys.indicators),
            )
        ]
    )


def _choices_table(ctx: ReportContext) -> Table:
    t, prov = ctx.t, ctx.r.provenance
    return Table(
        [t["key"], t["val"]],
        [
            [t["normalization"], ctx.method(prov.normalization)],
            [t["aggregation"], ctx.method(prov.aggregation)],
            [t["missing_policy"], ctx.method(prov.missing)],
            [t["min_cov"], cell_percent(prov.min_coverage)],
            [t["min_applicable"], cell_percent(prov.min_applicable)],
            [
                t["ties"],
                t["tie_text"].format(m=ctx.method(prov.tie_method), t=prov.tie_tolerance),
            ],
            [t["ranked_within"], t["yes"]],
        ],
        [False, False],
    )


def _formulas(ctx: ReportContext) -> list[list[Inline]]:
    """The formulas actually used, each with its source."""
    prov = ctx.r.provenance
    zh = ctx.lang == "zh"
    return [
        _formula("goalposts" if prov.normalization == "goalposts" else "minmax", zh),
        _formula("arithmetic" if prov.aggregation == "arithmetic" else "geometric", zh),
        _formula("coverage", zh, min_coverage=cell_percent(prov.min_coverage)),
        _formula("applicable", zh, min_applicable=cell_percent(prov.min_applicable)),
        _formula("obstacle", zh),
    ]


def _formula(key: str, zh: bool, **values: str) -> list[Inline]:
    """One line of the formula list: what it gives, the formula, and its source."""
    code, en_label, en_note, zh_label, zh_note = _FORMULAS[key]
    note = zh_note if zh else en_note
    return [zh_label if zh else en_label, Code(code), note.format(**values) if values else note]


#: Each formula the method section may show: (formula, English label, English note with its
#: source, Chinese label, Chinese note). Notes may hold ``{min_coverage}`` and ``{min_applicable}``.
_FORMULAS: dict[str, tuple[str, str, str, str, str]] = {
    "goalposts": (
        "s = clip((x − floor) / (target − floor), 0, 1) × 100",
        "Indicator score ",
        "; a cost indicator has its floor above its target (walking distance 1500 m → 300 m) "
        "and the same formula reverses it (UNDP 2010, Technical note 1; OECD/JRC 2008).",
        "指标得分 ",
        "；成本型指标的底线高于目标（如步行距离 1500米 → 300米），同一公式即反向"
        "（UNDP 2010 技术说明1；OECD/JRC 2008）。",
    ),
    "minmax": (
        "s = (x − min) / (max − min) × 100",
        "Indicator score ",
        ", min and max over this batch (OECD/JRC 2008); adding communities changes the scores.",
        "指标得分 ",
        "，最小值与最大值取自本批次（OECD/JRC 2008）；新增小区会改变得分。",
    ),
    "arithmetic": (
        "y = Σ wᵢ sᵢ / Σ wᵢ",
        "Score of a group ",
        ", summed over the children observed, with their local weights (OECD/JRC 2008 §1.6); "
        "the overall score is built level by level.",
        "上级得分 ",
        "，对有实测值的下级求和，权重为局部权重（OECD/JRC 2008 §1.6）；综合得分自下而上逐级计算。",
    ),
    "geometric": (
        "y = Π sᵢ^(wᵢ / Σ w)",
        "Score of a group ",
        ", the weighted geometric mean: a low score is not fully offset by a high one "
        "(OECD/JRC 2008 §1.6).",
        "上级得分 ",
        "，加权几何平均，低分不能被高分完全补偿（OECD/JRC 2008 §1.6）。",
    ),
    "coverage": (
        "c = Σ_observed w / Σ_applicable w",
        "Coverage ",
        ": not-applicable indicators leave the denominator; a community below {min_coverage} "
        "gets no overall score (OECD/JRC 2008 §1.4).",
        "数据覆盖率 ",
        "：不适用的指标不计入分母；覆盖率低于 {min_coverage} 的小区不给综合得分（OECD/JRC 2008 §1.4）。",
    ),
    "applicable": (
        "a = Σ_applicable w",
        "Applicable share of a group ",
        ": a group of which less than {min_applicable} of the weight applies to a community is "
        "not assessed and counts as missing in the group above; a phase that does not measure "
        "every dimension is a progress check, without an overall score, rank or grade.",
        "适用权重占比 ",
        "：适用指标权重不足 {min_applicable} 的维度不予评价，并在上级中按缺失计；"
        "未评价全部维度的阶段为进度检查，不计综合得分、排名和等级。",
    ),
    "obstacle": (
        "Oⱼ = Wⱼ (1 − sⱼ) / Σₖ Wₖ (1 − sₖ)",
        "Obstacle degree ",
        ", Wⱼ the global weight (the obstacle-degree model, e.g. Yang et al. 2014); unmet basic "
        "items come first (国办发〔2020〕23号: fixed wherever needed).",
        "障碍度 ",
        "，Wⱼ 为全局权重（障碍度模型，如 Yang et al. 2014）；基础类未达标项优先（国办发〔2020〕23号：应改尽改）。",
    ),
}


def _bands_table(ctx: ReportContext) -> Table:
    t = ctx.t
    return Table(
        [t["grade"], t["min_band"]],
        [[g.name.get(ctx.lang), f"≥ {g.min:g}"] for g in ctx.sys.grades],
        [False, True],
    )


def weights_section(ctx: ReportContext) -> list[Block]:
    """Where the weights came from, each node's method and CR, every weight, the chart."""
    t = ctx.t
    w = ctx.r.weights
    wp = w.provenance
    blocks: list[Block] = [Heading(3, t["weights_from"], "weights-from")]
    rows = [
        [t["panel"], wp.panel or "–"],
        [t["prioritisation"], ctx.method(wp.prioritisation) if wp.panel else "–"],
        [t["ri_table"], ctx.code(wp.ri_table)],
        [t["group_method"], ctx.method(wp.group_method)],
        [t["data_rows"], "–" if wp.data_rows is None else str(wp.data_rows)],
        [t["data_phase"], wp.data_phase or "–"],
        [t["digest"], wp.data_digest or "–"],
        [t["version"], wp.renoscore_version],
        [t["created"], wp.created],
    ]
    blocks.append(Table([t["key"], t["val"]], rows, [False, False]))
    node_rows = []
    for node, nw in w.nodes.items():
        node_rows.append(
            [
                ctx.node_name(node),
                ctx.method(nw.method),
                len(nw.children),
                cell_number(nw.cr, 3),
                "–" if nw.acceptable is None else (t["pass"] if nw.acceptable else t["fail"]),
            ]
        )
    blocks.append(
        Table(
            [t["node"], t["method_col"], t["children"], t["cr"], t["result"]],
            node_rows,
            [False, False, True, True, False],
        )
    )
    blocks.append(Heading(3, t["all_weights"], "all-weights"))
    g = w.global_weights()
    rows2 = []
    for row in w.table():
        rows2.append(
            [
                ctx.node_name(row["parent"]),
                f"{ctx.node_name(row['node'])}",
                row["node"],
                ctx.method(row["method"]),
                f"{row['local']:.4f}",
                f"{g[row['node']]:.4f}",
            ]
        )
    blocks.append(
        Table(
            [t["parent"], t["node"], t["code"], t["method_col"], t["local"], t["global"]],
            rows2,
            [False, False, False, False, True, True],
        )
    )
    if ctx.charts:
        from renoscore.plot import WeightsPlots

        n_rows = len(w.global_weights()) - 1
        fig, ax = ctx.new_figure((7.5, 0.9 + 0.19 * n_rows))
        ctx.plot(lambda: WeightsPlots(w).bars(ax, system=ctx.sys, lang=ctx.lang))
        blocks.append(ctx.figure("weights", fig, t["chart_weights"]))
    return blocks
