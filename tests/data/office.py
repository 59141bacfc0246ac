"""A test system with every kind of cell an office writes, and the workbook an office keeps.

The system has a share, a distance, a yes/no, a per-capita area, a 0-100 percentage, an
ordinal with named levels, a count, a money value and a derived indicator (lifts installed per
eligible stairwell) computed from two raw fields. :func:`office_workbook` writes the data the
way a street office does (a merged title, a second title line, Chinese headers with units in
brackets, phase names, ``71%``, ``348米``, 是/否, numbers stored as text, full-width digits, a
percentage-formatted cell, a blank row and a signature); :func:`clean_csv` writes the same
data as the plain CSV renoscore writes itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

OFFICE_YAML = """\
id: office
version: "1"
name: {en: Street office test system, zh: 街道测试指标体系}
phases:
  - {id: t0, name: {en: before renovation, zh: 改造前}}
  - {id: t1, name: {en: one year after, zh: 改造后一年}, aliases: [改造后]}
raw_fields:
  - id: lifts_installed
    name: {en: lifts installed, zh: 已加装电梯数}
    unit: count
    range: [0, null]
    aliases: [加装电梯数]
    source: 住建部门加装电梯台账
  - id: eligible_stairwells
    name: {en: eligible stairwells, zh: 具备加装条件的单元数}
    unit: count
    range: [0, null]
context:
  - {id: district, name: {en: district, zh: 所属街道}, aliases: [街道]}
goal:
  id: goal
  name: {en: renovation, zh: 改造成效}
  children:
    - id: facilities
      name: {en: facilities, zh: 设施}
      children:
        - {id: f_lift_share, name: {en: lifts per eligible stairwell, zh: 电梯加装率},
           unit: {code: share, note: {en: of eligible stairwells, zh: 按具备条件的单元计}},
           kind: ratio, direction: benefit, range: [0, 1], goalposts: {floor: 0, target: 1},
           supplier: residents, source: test, formula: lifts_installed / eligible_stairwells,
           division_by_zero: not_applicable}
        - {id: f_fire_ok, name: {en: buildings passing the fire check, zh: 消防安全达标率},
           unit: share, kind: ratio, direction: benefit, range: [0, 1],
           goalposts: {floor: 0.3, target: 1}, supplier: government, source: test}
        - {id: f_waste_m, name: {en: farthest walk to a waste point, zh: 垃圾收集点最远距离},
           unit: m, kind: distance_m, direction: cost, range: [0, 20000],
           goalposts: {floor: 200, target: 70}, supplier: government, source: test,
           aliases: [垃圾点距离]}
        - {id: f_locker, name: {en: parcel locker, zh: 智能快件箱}, unit: yes/no, kind: binary,
           direction: benefit, range: [0, 1], goalposts: {floor: 0, target: 1},
           supplier: market, source: test}
        - {id: f_green, name: {en: green space per resident, zh: 人均绿地面积},
           unit: m2/person, kind: m2_per_capita, direction: benefit, range: [0, 100],
           goalposts: {floor: 0, target: 2}, supplier: government, source: test}
    - id: services
      name: {en: services, zh: 服务}
      children:
        - {id: s_satisfaction, name: {en: satisfied residents, zh: 居民满意率},
           unit: percent, kind: percent, direction: benefit, range: [0, 100],
           goalposts: {floor: 40, target: 90}, supplier: residents, source: test}
        - {id: s_property, name: {en: property management, zh: 物业管理模式}, unit: level,
           kind: ordinal, direction: benefit, range: [0, 3], goalposts: {floor: 0, target: 3},
           supplier: market, source: test,
           levels: {0: {en: none, zh: 无物业管理}, 1: {en: self-managed, zh: 居民自治管理},
                    2: {en: trusteeship, zh: 社区托管兜底},
                    3: {en: professional, zh: 专业化物业服务}}}
        - {id: s_activities, name: {en: activities a year, zh: 年度社区活动次数}, unit: count,
           kind: count, direction: benefit, range: [0, 500], goalposts: {floor: 0, target: 24},
           supplier: society, source: test}
        - {id: s_funds, name: {en: funds raised, zh: 居民筹资额}, unit: 10k yuan,
           kind: continuous, direction: benefit, range: [0, 1000],
           goalposts: {floor: 0, target: 50}, supplier: residents, source: test}
"""

#: The data in the office's words: id, district, phase, then one cell per header of HEADERS.
HEADERS = [
    "小区名称",
    "所属街道",
    "阶段",
    "加装电梯数",
    "具备加装条件的单元数",
    "消防安全达标率",
    "垃圾收集点最远距离（米）",
    "智能快件箱",
    "人均绿地面积",
    "居民满意率（%）",
    "物业管理模式",
    "年度社区活动次数",
    "居民筹资额（万元）",
]
OFFICE_ROWS: list[list[object]] = [
    [
        "金水小区",
        "花园路街道",
        "改造前",
        2,
        8,
        "71%",
        "348米",
        "否",
        "1.2平方米",
        "56",
        "居民自治管理",
        "１２",
        "3.5",
    ],
    [
        "金水小区",
        "花园路街道",
        "改造后一年",
        "6",
        "8",
        0.95,
        "0.09公里",
        "是",
        1.8,
        0.82,
        "专业化物业服务",
        24,
        "1.2万元",
    ],
    ["二七小区", "建设路街道", "改造前", 0, 0, "0.4", "１２０", "无", "０．９", "48", "0", "6", ""],
    ["二七小区", "建设路街道", "改造后", "0", "0", "100%", 70, "有", 2, "93%", 3, "30", "8"],
]
#: The same data as numbers, in the system's indicator order after the id, phase, district.
CLEAN = [
    ["金水小区", "t0", "花园路街道", 0.25, 0.71, 348, 0, 1.2, 56, 1, 12, 3.5],
    ["金水小区", "t1", "花园路街道", 0.75, 0.95, 90, 1, 1.8, 82, 3, 24, 1.2],
    ["二七小区", "t0", "建设路街道", None, 0.4, 120, 0, 0.9, 48, 0, 6, None],
    ["二七小区", "t1", "建设路街道", None, 1.0, 70, 1, 2, 93, 3, 30, 8],
]
CLEAN_HEADER = [
    "community_id",
    "phase",
    "district",
    "f_lift_share",
    "f_fire_ok",
    "f_waste_m",
    "f_locker",
    "f_green",
    "s_satisfaction",
    "s_property",
    "s_activities",
    "s_funds",
]


def office_workbook(path: Path) -> Path:
    """Write the office's workbook (see the module docstring) and return its path."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填报表"
    width = len(HEADERS)
    ws.append(["金水区老旧小区改造成效评价数据表"] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["填报单位：金水区住建局", None, None, None, "填报日期：2024年6月"])
    ws.append(HEADERS)
    for k, row in enumerate(OFFICE_ROWS):
        ws.append(row)
        if k == 1:
            ws.append([None] * width)  # a blank row between communities
    # 0.82 in a cell formatted as a percentage shows 82 %: on a 0-100 indicator it is 82
    ws.cell(row=5, column=HEADERS.index("居民满意率（%）") + 1).number_format = "0%"
    ws.cell(row=5, column=HEADERS.index("消防安全达标率") + 1).number_format = "0%"
    ws.append([None] * width)
    ws.append(["填表人：李四", None, None, "审核人：王五"])
    wb.save(path)
    return path


def clean_csv(path: Path) -> Path:
    """The same data as a plain CSV (ids, phase ids, numbers; n/a where not applicable)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLEAN_HEADER)
        for row in CLEAN:
            cells = ["" if v is None else v for v in row]
            cells[3] = "n/a" if row[3] is None else row[3]  # lifts: 0 / 0 is not applicable
            writer.writerow(cells)
    return path
