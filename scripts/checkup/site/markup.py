"""Safe Markdown building blocks: escaping, numbers, tables, links and page chrome.

Every string that comes from the data passes through `text()` before it reaches
a page: it becomes inert both as Markdown and as HTML, so a name such as
`<img onerror=…>` or `**x**` shows as typed and runs nothing. The page
renderers never format data strings any other way.
"""

from __future__ import annotations

import functools
import html
import json
import math
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote

from ..assess import numbers
from ..model import Task

# Characters that HTML or an enabled Markdown extension would interpret, written as
# numeric references: Python-Markdown passes references through untouched, and
# browsers show them as the characters themselves.
_SPECIAL = "&<>\"'\\`*_[]{}()|~^=$!#:+-."
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_ENTITIES[ord("&")] = "&amp;"
_ENTITIES[ord("<")] = "&lt;"
_ENTITIES[ord(">")] = "&gt;"
_ENTITIES[ord("\r")] = ""
# Ordinary punctuation is left readable where it cannot start a construct in the middle
# of a line; only the characters above that can are escaped everywhere.
_LOOSE = {ord(c) for c in "().-+#:!"}
_INLINE = {k: v for k, v in _ENTITIES.items() if k not in _LOOSE}
_INLINE[ord("\n")] = "<br>"
_INLINE[ord("\t")] = " "

_BLOCK_START = re.compile(r"#|[-+]|\d+[.)](\s|$)")  # heading, list item or rule, numbered item
DASH = "—"  # an empty cell
# Kept out of the site search: data tables and boilerplate would make the index (which a
# phone downloads) grow with every value, and segmenting them costs most of a build.
QUIET = " {data-search-exclude}"  # after a heading: its whole section


def text(value: object) -> str:
    """Escape a data string for a Markdown inline context (paragraph, list item, table cell)."""
    if value is None:
        return DASH
    raw = str(value).strip()
    if not raw:
        return DASH
    escaped = raw.translate(_INLINE)
    # Brackets are always escaped, so the loose characters matter only as a block marker
    # at the very start (the text is one line: newlines became <br>).
    if _BLOCK_START.match(escaped):
        escaped = f"&#{ord(escaped[0])};" + escaped[1:]
    return escaped


def long_text(value: object) -> str:
    """Escape a long data string for a table cell, which keeps a readable width on a phone."""
    return f'<span class="ck-long">{text(value)}</span>' if value else DASH


def attr(value: object) -> str:
    """Escape a data string for an HTML attribute value in double quotes."""
    return str(value).translate(_ENTITIES).replace("\n", " ")


def script_json(value: object) -> str:
    """Serialise a value as JSON that is safe inside a <script> element."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- numbers -------------------------------------------------------------------
# The rules (decimals, 万) are those of assess/numbers.py; here they meet escaping and grouping.
def num(value: float | None, digits: int | None = 2) -> str:
    """Write a number the way a results table does: grouped thousands, no trailing zeros."""
    if value is None:
        return DASH
    if not math.isfinite(value):  # nan and infinities are shown as Python writes them
        return str(value)
    return numbers.num(value, DEFAULT_DIGITS if digits is None else digits, grouped=True)


def pct(share: float | None, digits: int = 1) -> str:
    """Write a share (0-1) as a percentage."""
    return DASH if share is None else f"{share * 100:.{digits}f}%"


DEFAULT_DIGITS = numbers.DEFAULT_DECIMALS


def quantity(value: float | None, unit: str | None, decimals: int | None = None, *, wan: bool | None = None) -> str:
    """Write a number with its unit (in 万 by the one rule); units come from the data, so they are escaped.

    `decimals` is the indicator's (numbers.indicator_decimals) for a figure derived from its values.
    """
    if value is None:
        return DASH
    if not math.isfinite(value):
        return str(value) + _unit(unit)
    shown, places, prefix = numbers.scale(value, unit, decimals, wan)
    return num(shown, places) + prefix + _unit(unit)


def task_quantity(task: Task, value: float | None) -> str:
    """Write a quantity of a task in the wording of its target (16.8万平方米 under 20万平方米)."""
    return quantity(value, task.target_unit, numbers.task_decimals(task), wan=numbers.task_wan(task))


@functools.lru_cache(maxsize=1024)
def _unit(unit: str | None) -> str:
    return "" if not unit or unit == "无" else text(unit)


# -- links ---------------------------------------------------------------------
def rel(from_page: str, to_path: str) -> str:
    """Return the relative link from one docs path to another, URL-quoted."""
    return _rel_from(posixpath.dirname(from_page) or ".", to_path)


@functools.lru_cache(maxsize=1 << 16)  # by folder: the pages of one folder link the same few targets
def _rel_from(folder: str, to_path: str) -> str:
    return quote(posixpath.relpath(to_path, folder), safe="/#.-_~")


def link(label: str, from_page: str, to_path: str) -> str:
    """Make a Markdown link whose label is already escaped Markdown."""
    return f"[{label}]({rel(from_page, to_path)})"


# -- blocks --------------------------------------------------------------------
def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, align: str = "",
          searchable: bool = True) -> str:
    """Build a Markdown table from escaped cells; `align` has one of l/r/c per column."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    spec = [marks[a] for a in (align or "l" * len(header)).ljust(len(header), "l")]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(spec) + " |"]
    lines.extend("| " + " | ".join(cell.replace("|", "&#124;") for cell in row) + " |" for row in rows)
    body = "\n".join(lines)
    return body if searchable else quiet(body)


def data_table(header: Sequence[str], rows: Iterable[Sequence[str]], *, searchable: bool = False) -> str:
    """Build a table of figures as one line of HTML: the same table, without Markdown's cost.

    Cells are escaped text (no links: the engine rewrites links in Markdown only). The
    first column names the row and the others hold figures, right-aligned by the site's
    stylesheet (`.ck-figures`), so no cell carries a style attribute to parse. Markdown
    tables cost the engine a pattern pass per cell, and a large edition has hundreds of
    cells on each of thousands of indicator pages.
    """
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html_table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    quiet_attr = "" if searchable else " data-search-exclude"
    return f'<div class="ck-figures"{quiet_attr}>{html_table}</div>'


def quiet(block: str) -> str:
    """Keep a block of Markdown out of the site search; the page's words still find the page."""
    return f'<div class="ck-quiet" data-search-exclude markdown>\n\n{block}\n\n</div>'


def admonition(kind: str, title: str, body: str) -> str:
    """Build an admonition block; `title` and `body` are escaped Markdown."""
    inner = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f'!!! {kind} "{title}"\n\n{inner}'


def badge(code: str, label: str) -> str:
    """Mark a status word with a class for colour; the word itself carries the meaning."""
    return f'<span class="ck-badge ck-badge--{code}">{label}</span>'


# Pages for clerks (field reference, filling guide) rank below the results pages in the
# site search: a resident searching 内涝 wants the indicator, not the YAML field reference.
REFERENCE_BOOST = 0.3


def front_matter(title: str, *, description: str | None = None, searchable: bool = True,
                 boost: float | None = None) -> str:
    """Write YAML front matter; values are JSON strings, which YAML reads unchanged.

    The theme puts the title and description into HTML without escaping them, so
    they are HTML-escaped here; browsers show the references as the characters.
    """
    lines = [f"title: {json.dumps(html.escape(title), ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(html.escape(description), ensure_ascii=False)}")
    if not searchable:
        lines.append("search:\n  exclude: true")
    elif boost is not None:
        lines.append(f"search:\n  boost: {boost}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@dataclass(frozen=True)
class Source:
    """Where a page's figures come from: files of the repository and the publishing bodies."""

    files: tuple[str, ...] = ()  # repository paths, e.g. data/2023/indicators/LS-03.yaml
    folders: tuple[tuple[str, int], ...] = ()  # (folder, number of files) when files are too many
    notes: tuple[str, ...] = ()  # escaped Markdown lines, e.g. "数据来源：市统计局《统计年鉴》"


def provenance(page: str, edition_label: str, source: Source) -> str:
    """Write the closing section every page has: its edition, data files and sources."""
    lines = [f"## 本页数据{QUIET}", "", f"- 版本：{edition_label}"]
    if source.files:
        shown = "、".join(link(f"`{f}`", page, f) for f in source.files)
        lines.append(f"- 数据文件：{shown}")
    for folder, count in source.folders:
        lines.append(f"- 数据文件：`{folder}*.yaml`（共 {count} 个文件，各条记录页面列出其文件）")
    lines.extend(f"- {note}" for note in source.notes)
    archived = re.match(r"archive/\d{4}/", page)  # an older edition's pages follow its own rules
    methods = (archived.group(0) if archived else "") + "methods.md"
    lines.append(f"- 评估规则见{link('方法说明', page, methods)}；全部数据可在"
                 f"{link('数据下载', page, 'downloads/index.md')}获取。")
    return "\n".join(lines)


@dataclass(frozen=True)
class Page:
    """One Markdown page of the site, by its path under the docs folder."""

    path: str
    markdown: str


def paged_paths(base: str, count: int, per_page: int) -> list[str]:
    """Name the pages a long list is split into: base.md, base-2.md, …"""
    stem = base.removesuffix(".md")
    pages = max(1, math.ceil(count / per_page))
    return [base] + [f"{stem}-{n}.md" for n in range(2, pages + 1)]


def pager(page: str, paths: Sequence[str]) -> str:
    """Link the pages of a split list to each other; empty when there is one page."""
    if len(paths) < 2:
        return ""
    items = [f"**第 {n} 页**" if p == page else link(f"第 {n} 页", page, p) for n, p in enumerate(paths, 1)]
    return f'<nav class="ck-pager" aria-label="分页" markdown="span">共 {len(paths)} 页：' + " · ".join(items) + "</nav>"


@dataclass(frozen=True)
class Section:
    """A titled table that may be split across pages."""

    heading: str  # escaped Markdown heading line, e.g. "## 负责的指标"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str = ""
    searchable: bool = True
    intro: str = ""

    def render(self, continued: bool = False) -> str:
        head = f"{self.heading}（续）" if continued else self.heading
        parts = [head, ""]
        if self.intro and not continued:
            parts += [self.intro, ""]
        parts.append(table(self.header, self.rows, align=self.align, searchable=self.searchable))
        return "\n".join(parts)


def split_sections(sections: Sequence[Section], per_page: int) -> list[list[tuple[Section, bool]]]:
    """Lay titled tables out on pages of at most `per_page` rows, splitting tables that do not fit."""
    pages: list[list[tuple[Section, bool]]] = [[]]
    room = per_page
    for section in sections:
        rows, continued = list(section.rows), False
        while True:
            if room <= 0:
                pages.append([])
                room = per_page
            take, rows = rows[:room], rows[room:]
            pages[-1].append((replace(section, rows=tuple(take)), continued))
            room -= max(len(take), 1)
            if not rows:
                break
            continued = True
    return pages
