"""A one-page notice for residents (公示): one community's result in plain words.

The technical report (:mod:`renoscore.report.build`) makes the whole method public; residents
need one page on the notice board of their estate. :func:`build_notice` writes it for one
community and phase: the overall score, grade and rank and what changed since an earlier phase,
what was renovated (the indicators that improved), what is still to fix in the order of the
fix-first list and who is responsible for it (the indicator's supplier, or the unit named in
``responsible``), the resident-survey results where the data carry them, and whom to contact.
Values are shown in their units (``71%``, ``350米``, ``有``/``无``, level names); there are no
weights, statistics or digests. The page prints on one A4 sheet (print CSS; print to PDF from a
browser for a PDF).

Examples
--------
>>> import renoscore as rs
>>> from renoscore.report import build_notice
>>> result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
>>> page = build_notice(result, "LY", phase="t1", contact="LY社区居委会 0371-12345678")
>>> "关于LY社区改造成效评价结果的公示" in page.text and "λmax" not in page.text
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from renoscore._document import (
    Block,
    Heading,
    Inline,
    ItemList,
    Paragraph,
    Table,
    html_page,
    markdown_document,
)
from renoscore._files import check_output
from renoscore._format import cell_number
from renoscore._validation import suggest
from renoscore._vocabulary import (
    category_word,
    grade_word,
    lang_of,
    phase_word,
    reason_word,
    supplier_word,
    unit_label,
)
from renoscore.errors import OptionError, Problem
from renoscore.report._notice_words import NOTICE, SECTION_NUMBERS
from renoscore.report.build import Report

if TYPE_CHECKING:
    from renoscore.result import EvaluationResult

__all__ = ["NOTICE_CSS", "build_notice", "write_notice"]

#: The notice's style: an A4 sheet with 2-character paragraph indents, tables across the page.
NOTICE_CSS = """
@page { size: A4; margin: 12mm 15mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 180mm; padding: 16px 12px; color: #111;
  font: 10pt/1.45 "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Noto Sans CJK SC",
  "Microsoft YaHei", serif; }
h1 { text-align: center; font-size: 15pt; margin: 0 0 0.4em; letter-spacing: 0.05em; }
h2 { font-size: 11pt; margin: 0.55em 0 0.15em; }
p { margin: 0.15em 0; text-indent: 2em; }
p.note { font-size: 9pt; color: #333; }
p.sign { text-align: right; text-indent: 0; margin: 0; }
h2 + p + p.sign, p + p.sign { margin-top: 0.8em; }
p.sign + p.sign { margin-top: 0; }
ul { margin: 0.1em 0 0.1em 2em; padding: 0; }
li { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.2em 0 0.3em; font-size: 9pt;
  line-height: 1.35; }
th, td { border: 1px solid #777; padding: 1px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
@media print { body { max-width: none; padding: 0; } table, tr, li { break-inside: avoid; } }
"""

#: Kinds of measure shown as a percentage.
_SHARE_KINDS = {"ratio": 100.0, "percent": 1.0}
#: Kinds of measure a resident survey gives, and their top score.
_SURVEY_KINDS = {"likert5": 5, "likert7": 7}
#: At most this many improved indicators are listed one by one.
_MAX_DONE = 6


def _scored(value: float) -> bool:
    return not math.isnan(value)


def _row(result: EvaluationResult, community: str, phase: str | None) -> int:
    rows = [k for k, c in enumerate(result.ids) if c == community]
    if not rows:
        raise OptionError(
            f"no community {community!r} in the result",
            [
                Problem(
                    "unknown community",
                    value=community,
                    fix=suggest(community, list(dict.fromkeys(result.ids)))
                    or "give a community id of the data",
                )
            ],
        )
    if phase is None:
        scored = [k for k in rows if _scored(result.overall[k])] or rows
        return max(scored, key=lambda k: _phase_order(result, k))
    for k in rows:
        if result.phases[k] == phase:
            return k
    have = [str(result.phases[k]) for k in rows]
    raise OptionError(
        f"community {community!r} has no row in phase {phase!r}",
        [Problem("unknown phase", value=phase, fix=f"use one of its phases: {have}")],
    )


def _before_row(result: EvaluationResult, k: int, before: str | None) -> int | None:
    """The row to compare with: ``before``'s row, or the community's earliest scored phase."""
    if before is None:
        return None
    cid = result.ids[k]
    if before != "auto":
        return _row(result, cid, before)
    now = _phase_order(result, k)
    earlier = [
        j
        for j, c in enumerate(result.ids)
        if c == cid and -1 < _phase_order(result, j) < now and _scored(result.overall[j])
    ]
    return min(earlier, key=lambda j: _phase_order(result, j)) if earlier else None


def _phase_order(result: EvaluationResult, k: int) -> int:
    """Where row ``k``'s phase stands in the system's phase order (-1: no declared phase)."""
    phase = result.phases[k]
    ids = result.system.phase_ids
    return ids.index(phase) if phase in ids else -1


def _value_text(ind: Any, value: float, lang: str) -> str:
    """An indicator's value as a resident reads it: its unit, a percentage, yes/no, a level."""
    w = NOTICE[lang]
    if value is None or math.isnan(value):
        return w["no_data"]
    kind = ind.kind.value
    if kind in _SHARE_KINDS:
        return f"{value * _SHARE_KINDS[kind]:.0f}%"
    if kind == "binary":
        return w["yes"] if value >= 0.5 else w["no"]
    if ind.levels and int(value) == value and int(value) in ind.levels:
        return str(ind.levels[int(value)].get(lang))
    if kind in _SURVEY_KINDS:
        return w["points"].format(x=f"{value:.1f}")
    unit = unit_label(ind, lang)
    number = f"{value:.4g}"
    return f"{number}{unit}" if lang == "zh" else f"{number} {unit}".rstrip()


class _Notice:
    """What the sections of one notice share: the result, the rows, the words."""

    def __init__(self, result: EvaluationResult, k: int, kb: int | None, lang: str) -> None:
        self.r, self.k, self.kb, self.lang = result, k, kb, lang
        self.sys = result.system
        self.w = NOTICE[lang]
        names = result.context.get("name")
        name = names[k] if names is not None else None
        self.name = str(name) if name not in (None, "") else result.ids[k]
        self.sections = 0

    def heading(self, key: str) -> Heading:
        number = SECTION_NUMBERS[self.lang][self.sections]
        self.sections += 1
        return Heading(2, self.w["section"].format(number=number, title=self.w[key]), key)

    def phase(self, row: int) -> str:
        return phase_word(self.sys, self.r.phases[row], self.lang)


def _result_blocks(n: _Notice) -> list[Block]:
    """Score, grade, rank; the change since the earlier phase; the dimensions' scores.

    A progress check (a phase that measures only some dimensions) says so and shows the
    dimensions it measures, without an overall score; an earlier phase without an overall score
    is compared dimension by dimension only.
    """
    r, k, w = n.r, n.k, n.w
    blocks: list[Block] = [n.heading("result")]
    reason = r.reasons[k] or ""
    if not _scored(r.overall[k]):
        if not reason.startswith("progress check"):
            return [*blocks, Paragraph([w["score_unranked"]])]
        blocks.append(Paragraph([_sentence(reason_word(reason, n.lang, n.sys), n.lang)]))
        return [*blocks, _dimension_table(n)]
    peers = [j for j, p in enumerate(r.phases) if p == r.phases[k] and _scored(r.overall[j])]
    text = w["score"].format(
        score=cell_number(r.overall[k]),
        grade=grade_word(n.sys, int(r.grades[k, 0]), n.lang),
        n=len(peers),
        rank=f"{r.ranks[k, 0]:.0f}",
    )
    blocks += [Paragraph([text + _change_text(n)]), _dimension_table(n)]
    bands = [w["band"].format(min=f"{g.min:g}", name=g.name.get(n.lang)) for g in n.sys.grades[:-1]]
    if len(n.sys.grades) > 1:
        last = n.sys.grades[-1]
        bands.append(
            w["band_last"].format(min=f"{n.sys.grades[-2].min:g}", name=last.name.get(n.lang))
        )
    sep = "，" if n.lang == "zh" else ", "
    blocks.append(Paragraph([w["bands"].format(bands=sep.join(bands))], cls="note"))
    return blocks


def _sentence(text: str, lang: str) -> str:
    """A reason as a sentence: a capital and a full stop (。 in Chinese)."""
    return f"{text}。" if lang == "zh" else f"{text[:1].upper()}{text[1:]}."


def _change_text(n: _Notice) -> str:
    """The overall change since the earlier phase ("" without one); an earlier phase without
    an overall score (a progress check) is said to have none."""
    r, k, kb, w = n.r, n.k, n.kb, n.w
    if kb is None:
        return ""
    if not _scored(r.overall[kb]):
        return w["change_unscored"].format(before=n.phase(kb))
    d = float(r.overall[k] - r.overall[kb])
    key = "change_same" if abs(d) < 0.05 else ("change_up" if d > 0 else "change_down")
    return w[key].format(
        before=n.phase(kb),
        score=cell_number(r.overall[kb]),
        grade=grade_word(n.sys, int(r.grades[kb, 0]), n.lang),
        d=f"{abs(d):.1f}",
    )


def _dimension_table(n: _Notice) -> Table:
    """Every dimension's score now, and then with the change when there is an earlier phase."""
    r, k, kb, w = n.r, n.k, n.kb, n.w
    dims = [(d.name.get(n.lang), r.scores(d.id)) for d in n.sys.dimensions]
    if kb is None:
        rows = [[name, cell_number(s[k])] for name, s in dims]
        return Table([w["aspect"], w["now"]], rows, [False, True], cls="dims")
    head = [w["aspect"], w["then"].format(before=n.phase(kb)), w["now"], w["change"]]
    rows = [
        [name, cell_number(s[kb]), cell_number(s[k]), cell_number(s[k] - s[kb], sign=True)]
        for name, s in dims
    ]
    return Table(head, rows, [False, True, True, True], cls="dims")


def _done_blocks(n: _Notice) -> list[Block]:
    """The indicators whose score rose since the earlier phase, best news first."""
    r, k, kb, w = n.r, n.k, n.kb, n.w
    if kb is None:
        return []
    now, then = r.indicator_scores[k], r.indicator_scores[kb]
    gain = np.where(np.isnan(now) | np.isnan(then), np.nan, now - then)
    improved: list[int] = np.flatnonzero(np.nan_to_num(gain, nan=0.0) > 1e-9).tolist()
    order = {"basic": 0, "improvement": 1, "upgrade": 2}
    improved.sort(
        key=lambda j: (
            order.get(n.sys.indicators[j].category.value, 3),
            -float(now[j] >= 100 - 1e-9),
            -float(gain[j]),
        )
    )
    blocks: list[Block] = [n.heading("done")]
    if not improved:
        return [*blocks, Paragraph([w["none_done"].format(before=n.phase(kb))])]
    items: list[list[Inline]] = []
    for j in improved[:_MAX_DONE]:
        ind = n.sys.indicators[j]
        a, b = float(r.values[k, j]), float(r.values[kb, j])
        verb = w["up"] if a > b else (w["shorter"] if ind.kind.value == "distance_m" else w["down"])
        text = w["done_item"].format(
            name=ind.name.get(n.lang),
            before=_value_text(ind, b, n.lang),
            verb=verb,
            after=_value_text(ind, a, n.lang),
        )
        items.append([text + (w["at_target"] if now[j] >= 100 - 1e-9 else "")])
    blocks.append(ItemList(items))
    if len(improved) > _MAX_DONE:
        blocks.append(Paragraph([w["more_done"].format(k=len(improved) - _MAX_DONE)]))
    return blocks


def _todo_blocks(n: _Notice, top: int, responsible: Mapping[str, str]) -> list[Block]:
    """What is still below target, in fix-first order, with who is responsible."""
    r, k, w = n.r, n.k, n.w
    if not _scored(r.overall[k]):
        return []
    blocks: list[Block] = [n.heading("todo")]
    items = [
        it
        for it in r.fix_first(r.ids[k], r.phases[k], top=None)
        if it.score is not None and it.score < 100 - 1e-9
    ]
    if not items:
        return [*blocks, Paragraph([w["none_todo"]])]
    rows = []
    for it in items[:top]:
        ind = n.sys.node(it.indicator)
        rows.append(
            [
                ind.name.get(n.lang),
                category_word(it.category, n.lang),
                _value_text(ind, float("nan") if it.value is None else it.value, n.lang),
                _value_text(ind, it.target, n.lang),
                responsible.get(it.supplier) or supplier_word(it.supplier, n.lang),
            ]
        )
    head = [w[key] for key in ("item", "category", "value", "target", "responsible")]
    blocks += [
        Paragraph([w["todo_intro"]]),
        Table(head, rows, [False, False, True, True, False], cls="todo"),
    ]
    if len(items) > top:
        blocks.append(Paragraph([w["more_todo"].format(k=len(items) - top)], cls="note"))
    return blocks


def _survey_blocks(n: _Notice) -> list[Block]:
    """The resident-survey scales measured in this phase (and the earlier one), if any."""
    r, k, kb, w = n.r, n.k, n.kb, n.w
    cols = [
        j
        for j, ind in enumerate(n.sys.indicators)
        if ind.kind.value in _SURVEY_KINDS and not math.isnan(r.values[k, j])
    ]
    if not cols:
        return []
    top = max(_SURVEY_KINDS[n.sys.indicators[j].kind.value] for j in cols)
    head = [w["survey_item"], *([w["then"].format(before=n.phase(kb))] if kb is not None else [])]
    head.append(w["now"])
    rows = []
    for j in cols:
        then = [cell_number(float(r.values[kb, j]))] if kb is not None else []
        rows.append(
            [n.sys.indicators[j].name.get(n.lang), *then, cell_number(float(r.values[k, j]))]
        )
    return [
        n.heading("survey"),
        Paragraph([w["survey_intro"].format(top=top)]),
        Table(head, rows, [False] + [True] * (len(head) - 1), cls="survey"),
    ]


def _feedback_blocks(n: _Notice, contact: str | None) -> list[Block]:
    """Whom to contact: the option, or the community's ``contact`` context column."""
    if contact is None:
        column = n.r.context.get("contact")
        value = column[n.k] if column is not None else None
        contact = str(value) if value not in (None, "") else None
    text = n.w["no_contact"] if contact is None else n.w["contact"].format(contact=contact)
    return [n.heading("feedback"), Paragraph([text])]


def _date_text(date: str | dt.date | None, lang: str) -> str:
    if isinstance(date, str):
        return date
    day = date or dt.date.today()
    return NOTICE[lang]["date"].format(y=day.year, m=day.month, d=day.day)


def build_notice(
    result: EvaluationResult,
    community: str,
    *,
    phase: str | None = None,
    before: str | None = "auto",
    contact: str | None = None,
    issuer: str | None = None,
    date: str | dt.date | None = None,
    period: str | None = None,
    responsible: Mapping[str, str] | None = None,
    top: int = 5,
    lang: Literal["zh", "en"] = "zh",
    format: Literal["html", "markdown"] = "html",
) -> Report:
    """The residents' notice (公示) of one community: one printed A4 page.

    Parameters
    ----------
    result : EvaluationResult
    community : str
        The community's id.
    phase : str, optional
        The phase the notice is about; default the community's latest scored phase.
    before : str or None
        The phase to compare with; ``"auto"`` (default) the community's earliest scored phase
        before ``phase``; None: no comparison.
    contact : str, optional
        Whom residents contact (a unit, a person, a telephone number); default the community's
        ``contact`` context column, else its residents' committee.
    issuer : str, optional
        The unit publishing the notice, signed at the bottom (e.g. ``××街道办事处``).
    date : str or date, optional
        The date under the signature; default today.
    period : str, optional
        The publication period (``2025年3月1日至3月7日``).
    responsible : mapping, optional
        The unit responsible for each supplier's items (``{"government": "××区住建局"}``);
        default the supplier's own word (政府, 市场主体, 社会组织, 居民, 专业经营单位).
    top : int
        How many items still to fix are listed (5).
    lang : {"zh", "en"}
    format : {"html", "markdown"}

    Returns
    -------
    Report
        ``text`` is the page; :meth:`~renoscore.report.Report.save` writes it.

    Raises
    ------
    OptionError
        An unknown community, phase, language or format.

    Examples
    --------
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> page = build_notice(r, "LY", format="markdown", issuer="示例街道办事处")
    >>> print(page.text.splitlines()[0])
    # 关于LY社区改造成效评价结果的公示
    """
    if lang not in ("zh", "en") or format not in ("html", "markdown"):
        raise OptionError(
            f"unknown notice language {lang!r} or format {format!r}",
            [Problem("unknown option", fix="use lang zh or en, format html or markdown")],
        )
    lang = lang_of(lang)
    k = _row(result, community, phase)
    n = _Notice(result, k, _before_row(result, k, before), lang)
    w = n.w
    intro = w["intro"].format(
        system=n.sys.name.get(lang), name=n.name, id=community, phase=n.phase(k)
    )
    if period:
        intro += w["period"].format(period=period)
    blocks: list[Block] = [
        Heading(1, w["title"].format(name=n.name), "title"),
        Paragraph([intro]),
        *_result_blocks(n),
        *_done_blocks(n),
        *_todo_blocks(n, top, responsible or {}),
        *_survey_blocks(n),
        *_feedback_blocks(n, contact),
    ]
    if issuer:
        blocks.append(Paragraph([issuer], cls="sign"))
    blocks.append(Paragraph([_date_text(date, lang)], cls="sign"))
    title = w["title"].format(name=n.name)
    if format == "html":
        return Report(html_page(title, blocks, lang, css=NOTICE_CSS), "html")
    text, files = markdown_document(blocks, "files")
    return Report(text, "markdown", files)


def write_notice(
    result: EvaluationResult,
    path: str | Path,
    community: str,
    *,
    overwrite: bool = True,
    **options: Any,
) -> Path:
    """Build the notice of ``community`` and write it to ``path`` (``.html`` or ``.md``).

    ``options`` are those of :func:`build_notice`; the format comes from the suffix. The path is
    checked before the notice is built and written whole or not at all
    (:mod:`renoscore._files`); ``overwrite=False`` refuses an existing file, and the data file
    the result was scored from is never written over.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import renoscore as rs
    >>> r = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    >>> p = write_notice(r, pathlib.Path(tempfile.mkdtemp()) / "公示.html", "LY", phase="t1")
    >>> "<html lang=\\"zh-CN\\">" in p.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise OptionError(
            f"cannot tell the notice format of {path.name!r}",
            [Problem("unknown suffix", file=str(path), fix="use .html or .md")],
        )
    fmt: Literal["html", "markdown"] = "html" if suffix in (".html", ".htm") else "markdown"
    inputs = {"the data file this result was scored from": result.provenance.data_source}
    check_output(path, inputs=inputs, overwrite=overwrite)  # before the notice is built
    notice = build_notice(result, community, format=fmt, **options)
    return notice.save(path, overwrite=overwrite, inputs=inputs)
