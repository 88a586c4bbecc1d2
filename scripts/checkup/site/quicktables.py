"""A Markdown extension that builds the site's plain table cells and lines without the inline pass.

A large build spends most of its Markdown time on inline patterns: each of
about twenty patterns is tried on every table cell, and the site's tables
hold tens of thousands of cells of plain text, links and badges. This
extension replaces the `tables` extension's processor with a subclass that
splits rows the same way and, where a cell holds only plain text, links
written `[text](path)` or `` [`file.yaml`](path) `` and `<span class="…">`
tags, builds that cell's elements itself and marks its text as final, so the
inline pass skips it. A one-line paragraph or tight list item of such text
(most of the site's generated prose) is built the same way.

Any other cell (emphasis, code, escapes, entities, images, braces, other HTML)
is left to the inline pass as before. The elements built are the ones the
inline pass would build, so the engine still rewrites and checks every link,
the glossary still marks terms (`Plain` text), and the pages are the same
bytes.

A table whose every cell is such a cell (most of the site's) goes further: it
is kept out of the tree altogether, as Markdown keeps a raw HTML block, and
written as the tree would have been written (`QuickTable`). The passes over
the tree never see its cells; the two things they would have done to them are
done here: the site engine's hook gives each page's link rewriter
(`page_links`), and the glossary marks terms in the table where it stands in
the page (`TablePlace`). `tests/test_speed.py` converts tables of every kind
both ways and compares the bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar

from markdown import Markdown
from markdown.extensions import Extension
from markdown.blockprocessors import ParagraphProcessor
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# Text in which no inline pattern of the site's extensions can start: no escape, code,
# emphasis, link, image, HTML, entity or attribute list, and no control character (Markdown's
# own placeholders are control characters).
_PLAIN = r"[^\\`*_\[\]!<>&{}\x00-\x1f\x7f]++"  # possessive: a cell that fails, fails at once
_TOKEN = re.compile(
    rf"(?P<text>{_PLAIN})"
    rf"|\[(?:(?P<label>{_PLAIN})|`(?P<code>[\w./-]+)`)\]\((?P<href>[^\s()<>\"'\\`\x00-\x1f]+)\)"
    r'|(?P<tag><span class="[a-z0-9 _-]*">|</span>)')
_CELL = re.compile(rf"(?:{_TOKEN.pattern})++")
# Python-Markdown's own inline patterns, the only ones the site uses: each starts with a character
# _PLAIN excludes (or with the two spaces of a line break, which a cell cannot hold). Another
# extension's pattern turns the quick cells off, as they could not know where it starts.
KNOWN_INLINE_PATTERNS = ("backtick", "escape", "reference", "link", "image_link", "image_reference",
                         "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html",
                         "entity", "em_strong")
PRIORITY = 75  # the `tables` extension's own
PARAGRAPH_PRIORITY = 10  # Python-Markdown's paragraph processor's own, the last one tried
# How the page being converted rewrites a link (set by the site engine's hook for each page;
# without it, as in a bare Markdown conversion, links stay as written).
page_links: ContextVar[Callable[[str], str] | None] = ContextVar("page_links", default=None)
Part = str | etree.Element  # a cell's content: text (not yet escaped) and `a` / `abbr` elements with tails


class QuickTable:
    """A table of plain cells, kept out of the tree and written as the tree would have been."""

    def __init__(self, serializer: Callable[[etree.Element], str],
                 rows: list[tuple[str, list[tuple[str | None, list[Part]]]]]):
        self.serializer = serializer
        self.rows = rows  # ("thead" | "tbody", [(alignment, parts)])

    def texts(self) -> Iterator[list[Part]]:
        """Each cell's parts, in reading order, for the glossary to mark."""
        for _, cells in self.rows:
            for _, parts in cells:
                yield parts

    def __str__(self) -> str:
        out = ["<table>"]
        for section in ("thead", "tbody"):
            out.append(f"<{section}>")
            tag = "th" if section == "thead" else "td"
            for _, cells in (r for r in self.rows if r[0] == section):
                out.append("<tr>")
                for align, parts in cells:
                    style = f' style="text-align: {align};"' if align else ""
                    body = "".join(_escape(p) if isinstance(p, str) else _element_html(p) or self.serializer(p)
                                   for p in parts)
                    out.append(f"<{tag}{style}>{body}</{tag}>")
                out.append("</tr>")
            out.append(f"</{section}>")
        out.append("</table>")
        return "\n".join(out)


def _escape(text: str) -> str:
    """Escape cell text as Markdown's serializer does (a quick cell holds no & or <)."""
    return text.replace(">", "&gt;")


_ESCAPED = re.compile(r'[&<>"]')  # what Markdown's serializer would change in text or an attribute value


def _element_html(element: etree.Element) -> str | None:
    """Write a cell's link or glossary mark (and the text after it) as Markdown's serializer would.

    Only where that is plain: an element without children whose text, tail and attribute values
    the serializer would leave as they are; for anything else None, and the serializer writes it.
    """
    text, tail = element.text or "", element.tail or ""
    attributes = sorted(element.items())  # in the serializer's order
    if len(element):  # a link's code: [`AQ-001.yaml`](…)
        code = element[0]
        if len(element) > 1 or code.tag != "code" or len(code) or code.attrib or code.tail or text:
            return None
        text = f"<code>{code.text or ''}</code>"
        if _ESCAPED.search(code.text or ""):
            return None
    elif _ESCAPED.search(text):
        return None
    if any(value is None or _ESCAPED.search(value) for _, value in attributes) or _ESCAPED.search(tail):
        return None
    opened = "".join(f' {name}="{value}"' for name, value in attributes)
    return f"<{element.tag}{opened}>{text}</{element.tag}>{tail}"


class TablePlace(AtomicString):
    """The paragraph text standing for a QuickTable in the tree: its placeholder, and the table."""

    table: QuickTable


class Plain(AtomicString):
    """Cell text already final for the inline pass; the glossary may still mark terms in it."""


class QuickTableProcessor(TableProcessor):
    """The `tables` processor, building plain cells directly (see the module's docstring)."""

    quick_cells = True  # whether _build_row may build plain cells: set for each table by run

    def test(self, parent: etree.Element, block: str) -> bool:
        return "|" in block and super().test(parent, block)  # no pipe: no table, and most blocks have none

    def _split(self, row: str) -> list[str]:
        # with no backslash or backtick, every pipe divides cells, as the `tables` processor finds
        return row.split("|") if "\\" not in row and "`" not in row else super()._split(row)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        self.quick_cells = only_known_patterns(self.parser.md)
        table = self._quick_table(blocks[0]) if self.quick_cells else None
        if table is None:
            super().run(parent, blocks)
            return
        blocks.pop(0)
        # as a raw HTML block stands in a paragraph until Markdown puts it back in place of it
        place = TablePlace(self.parser.md.htmlStash.store(table))  # type: ignore[arg-type]
        place.table = table
        etree.SubElement(parent, "p").text = place

    def _quick_table(self, block: str) -> QuickTable | None:
        """Read the table as the `tables` processor does; None unless it has rows and every cell is plain."""
        lines = block.split("\n")
        if len(lines) < 3:
            return None
        align = [_alignment(c.strip(" ")) for c in self.separator]
        links = page_links.get()
        rows = []
        for section, line in [("thead", lines[0]), *(("tbody", line) for line in lines[2:])]:
            cells = self._split_row(line.strip(" "))
            texts = [cells[i].strip(" ") if i < len(cells) else "" for i in range(len(align))]
            if not all(not text or _CELL.fullmatch(text) for text in texts):
                return None
            rows.append((section, [(a, _parts(self.parser.md, text, links))
                                   for a, text in zip(align, texts, strict=True)]))
        return QuickTable(self.parser.md.serializer, rows)

    def _build_row(self, row: str, parent: etree.Element, align: Sequence[str | None]) -> None:
        super()._build_row(row, parent, align)
        if not self.quick_cells:
            return
        for cell in parent[-1]:
            if cell.text and _CELL.fullmatch(cell.text):
                _fill(self.parser.md, cell, cell.text)


class QuickParagraphProcessor(ParagraphProcessor):
    """Python-Markdown's paragraph processor, building a one-line paragraph of plain text, links and badges
    as a plain cell is built (the site's generated prose is mostly such lines)."""

    known: bool | None = None  # whether the inline patterns are the known ones: found on the first paragraph

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        text = blocks[0].lstrip()
        if text and "\n" not in text and _CELL.fullmatch(text):
            in_list = self.parser.state.isstate("list")  # a tight list's item: its text, where it has none yet
            if self.known is None:
                self.known = only_known_patterns(self.parser.md)
            if self.known and (not in_list or (not parent.text and self.lastChild(parent) is None)):
                blocks.pop(0)
                _fill(self.parser.md, parent if in_list else etree.SubElement(parent, "p"), text)
                return
        super().run(parent, blocks)


def _parts(md: Markdown, source: str, links: Callable[[str], str] | None = None) -> list[Part]:
    """What the inline pass would make of plain text: text runs (span tags stashed in them) and links."""
    if "[" not in source and "<" not in source:  # text alone (most cells)
        return [source]
    parts: list[Part] = []
    for token in _TOKEN.finditer(source):
        if token["href"] is not None:
            link = etree.Element("a", {"href": links(token["href"]) if links else token["href"]})
            if token["code"] is not None:  # a file name shown as code: [`AQ-001.yaml`](…)
                etree.SubElement(link, "code").text = AtomicString(token["code"])
            else:
                link.text = AtomicString(token["label"])
            parts.append(link)
            continue
        # inline HTML is kept as written, as the inline pass keeps it
        text = token["text"] if token["text"] is not None else md.htmlStash.store(token["tag"])
        if parts and isinstance(parts[-1], str):
            parts[-1] += text
        else:
            parts.append(text)
    return parts


def _fill(md: Markdown, element: etree.Element, source: str) -> None:
    """Build plain text's elements in the tree; its links are rewritten later by the engine's tree pass.

    The text after a link is left as ordinary text: the inline pass reads every tail and gives it
    back as final text the glossary would no longer mark, where plain text comes back as it was.
    """
    element.text = None
    for part in _parts(md, source):
        if not isinstance(part, str):
            element.append(part)
        elif len(element):
            element[-1].tail = part
        else:
            element.text = Plain(part)


def only_known_patterns(md: Markdown) -> bool:
    """Say whether Python-Markdown's own inline patterns, which the quick cells know, are the only ones.

    An extension may add patterns to the inline pass or run an inline pass of its own (smarty).
    """
    patterns = md.inlinePatterns
    if len(patterns) != len(KNOWN_INLINE_PATTERNS) or not all(name in patterns for name in KNOWN_INLINE_PATTERNS):
        return False
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    return not any(isinstance(step, InlineProcessor) and step is not inline for step in md.treeprocessors)


def _alignment(separator: str) -> str | None:
    """A column's alignment from its separator cell, as the `tables` processor reads it."""
    if separator.startswith(":") and separator.endswith(":"):
        return "center"
    if separator.startswith(":"):
        return "left"
    if separator.endswith(":"):
        return "right"
    return None


class QuickTablesExtension(Extension):
    """Register QuickTableProcessor in place of the `tables` extension's processor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        if "|" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("|")
        md.parser.blockprocessors.register(QuickTableProcessor(md.parser, {"use_align_attribute": False}),
                                           "table", PRIORITY)
        md.parser.blockprocessors.register(QuickParagraphProcessor(md.parser), "paragraph", PARAGRAPH_PRIORITY)


def makeExtension(**kwargs: object) -> QuickTablesExtension:  # noqa: N802 - Python-Markdown's entry point
    return QuickTablesExtension(**kwargs)
