"""The small document model behind the HTML and Markdown the report and notebooks show.

A document is a list of blocks (:class:`Heading`, :class:`Paragraph`, :class:`Table`,
:class:`Figure`, :class:`ItemList`, :class:`Section`) whose text is made of inline parts
(plain strings, :class:`Code`, :class:`Link`). Writing a report builds blocks; the two renderers
turn them into an HTML page (every text escaped, charts inline) or Markdown (charts as SVG
files beside it).

Examples
--------
>>> from renoscore._document import Heading, Paragraph, html_fragment, markdown_document
>>> blocks = [Heading(2, "Scores <2024>", "scores"), Paragraph(["a|b"])]
>>> print(html_fragment(blocks))
<h2 id="scores">Scores &lt;2024&gt;</h2>
<p>a|b</p>
>>> print(markdown_document(blocks, "files")[0])
## Scores \\<2024\\>
<BLANKLINE>
a\\|b
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Literal, NamedTuple

from renoscore._version import __version__

__all__ = [
    "PAGE_CSS",
    "Block",
    "Code",
    "Figure",
    "Heading",
    "Inline",
    "ItemList",
    "Link",
    "Paragraph",
    "Section",
    "Table",
    "html_blocks",
    "html_fragment",
    "html_page",
    "markdown_blocks",
    "markdown_document",
    "md_cell",
    "md_text",
    "plain_text",
    "render_inline",
]


@dataclass
class Code:
    """Inline code: ``<code>`` in HTML, backticks in Markdown (a ``pre`` paragraph: a block)."""

    text: str


@dataclass
class Link:
    """An inline link."""

    text: str
    href: str


Inline = str | Code | Link


@dataclass
class Heading:
    """A heading of ``level`` 1-6 with the anchor other blocks link to."""

    level: int
    text: str
    anchor: str


@dataclass
class Paragraph:
    """A paragraph of inline parts; ``cls="pre"`` makes it a preformatted block."""

    parts: list[Inline]
    cls: str | None = None


@dataclass
class Table:
    """A table; ``numeric`` says which columns are numbers (right-aligned)."""

    header: list[str]
    rows: list[list[Any]]
    numeric: list[bool]
    caption: str | None = None
    cls: str | None = None


@dataclass
class Figure:
    """A chart as inline SVG; ``key`` names its file when written beside Markdown."""

    key: str
    svg: str
    caption: str


@dataclass
class ItemList:
    """A bulleted (or ``ordered``) list; each item a list of inline parts."""

    items: list[list[Inline]]
    ordered: bool = False


@dataclass
class Section:
    """A group of blocks rendered as <section> (HTML) and nothing special in Markdown."""

    blocks: list[Any]
    anchor: str | None = None
    cls: str | None = None


Block = Heading | Paragraph | Table | Figure | ItemList | Section


#: The style of a report page: readable tables, cards, charts that scale, print layout.
PAGE_CSS = """
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


def plain_text(part: Inline) -> str:
    """The text of an inline part, without markup."""
    return part if isinstance(part, str) else part.text


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|#])")


def md_text(text: str) -> str:
    """Text with Markdown's special characters escaped."""
    return _MD_ESCAPE.sub(r"\\\1", text)


def md_cell(value: Any) -> str:
    """A value as the text of a Markdown table cell (escaped, on one line)."""
    return md_text(str(value)).replace("\n", " ")


class _InlineRules(NamedTuple):
    """How plain text, code and links read in one output format."""

    text: Callable[[str], str]
    code: Callable[[Code], str]
    link: Callable[[Link], str]


#: The inline rules of each output format.
_INLINE_RULES: dict[str, _InlineRules] = {
    "html": _InlineRules(
        text=escape,
        code=lambda c: f"<code>{escape(c.text)}</code>",
        link=lambda a: f'<a href="{escape(a.href)}">{escape(a.text)}</a>',
    ),
    "markdown": _InlineRules(
        text=md_text,
        code=lambda c: f"`{c.text}`",
        link=lambda a: f"[{md_text(a.text)}]({a.href})",
    ),
}


def render_inline(parts: Sequence[Inline], format: Literal["html", "markdown"]) -> str:
    """Inline parts as escaped HTML or Markdown, each part by its format's rule."""
    rules = _INLINE_RULES[format]
    out = []
    for p in parts:
        if isinstance(p, Code):
            out.append(rules.code(p))
        elif isinstance(p, Link):
            out.append(rules.link(p))
        else:
            out.append(rules.text(p))
    return "".join(out)


def html_blocks(blocks: Sequence[Block], out: list[str]) -> None:
    """Append the HTML of each block to ``out`` (one string per block, sections nested)."""
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f'<h{b.level} id="{escape(b.anchor)}">{escape(b.text)}</h{b.level}>')
        elif isinstance(b, Paragraph):
            if b.cls == "pre":
                out.append("<pre>" + escape("".join(plain_text(p) for p in b.parts)) + "</pre>")
            else:
                cls = f' class="{b.cls}"' if b.cls else ""
                out.append(f"<p{cls}>{render_inline(b.parts, 'html')}</p>")
        elif isinstance(b, Table):
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
        elif isinstance(b, Figure):
            out.append(
                f'<figure id="fig-{escape(b.key)}">{b.svg}'
                f"<figcaption>{escape(b.caption)}</figcaption></figure>"
            )
        elif isinstance(b, ItemList):
            tag = "ol" if b.ordered else "ul"
            items = "".join(f"<li>{render_inline(it, 'html')}</li>" for it in b.items)
            toc = ' class="toc"' if b.items and isinstance(b.items[0][0], Link) else ""
            out.append(f"<{tag}{toc}>{items}</{tag}>")
        elif isinstance(b, Section):
            cls = f' class="{b.cls}"' if b.cls else ""
            out.append(f"<section{cls}>")
            html_blocks(b.blocks, out)
            out.append("</section>")


def html_page(title: str, blocks: Sequence[Block], lang: str, css: str = PAGE_CSS) -> str:
    """A whole HTML page: the blocks under ``css`` (:data:`PAGE_CSS`), in ``lang`` (``zh`` or
    ``en``)."""
    out: list[str] = []
    html_blocks(blocks, out)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="renoscore {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        + "\n".join(out)
        + "\n</body>\n</html>\n"
    )


def markdown_blocks(
    blocks: Sequence[Block], out: list[str], files: dict[str, str], folder: str
) -> None:
    """Append the Markdown lines of each block to ``out``; figures go to ``files`` in ``folder``."""
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"{'#' * b.level} {md_text(b.text)}\n")
        elif isinstance(b, Paragraph):
            if b.cls == "pre":
                out.append("```\n" + "".join(plain_text(p) for p in b.parts) + "\n```\n")
            else:
                out.append(render_inline(b.parts, "markdown") + "\n")
        elif isinstance(b, Table):
            out.append("| " + " | ".join(md_cell(h) for h in b.header) + " |")
            out.append(
                "|" + "|".join("---:" if num else "---" for num in b.numeric[: len(b.header)]) + "|"
            )
            for row in b.rows:
                out.append("| " + " | ".join(md_cell(c) for c in row) + " |")
            out.append("")
        elif isinstance(b, Figure):
            rel = f"{folder}/{b.key}.svg"
            files[rel] = '<?xml version="1.0" encoding="utf-8"?>\n' + b.svg + "\n"
            out.append(f"![{md_text(b.caption)}]({rel})\n")
        elif isinstance(b, ItemList):
            for k, it in enumerate(b.items, 1):
                out.append(
                    f"{k}. {render_inline(it, 'markdown')}"
                    if b.ordered
                    else f"- {render_inline(it, 'markdown')}"
                )
            out.append("")
        elif isinstance(b, Section):
            markdown_blocks(b.blocks, out, files, folder)


def html_fragment(blocks: Sequence[Block]) -> str:
    """The blocks as HTML to put inside a page (no ``<html>``, no style)."""
    out: list[str] = []
    html_blocks(blocks, out)
    return "\n".join(out)


def markdown_document(blocks: Sequence[Block], folder: str) -> tuple[str, dict[str, str]]:
    """The blocks as a Markdown text, and its figures as SVG files (path in ``folder`` -> text)."""
    out: list[str] = []
    files: dict[str, str] = {}
    markdown_blocks(blocks, out, files, folder)
    return "\n".join(out).rstrip() + "\n", files
