"""A Markdown extension that builds the site's plain table cells without the inline pass.

A large build spends most of its Markdown time on inline patterns: each of
about twenty patterns is tried on every table cell, and the site's tables
hold tens of thousands of cells of plain text, links and badges. This
extension replaces the `tables` extension's processor with a subclass that
splits rows the same way and, where a cell holds only plain text, links
written `[text](path)` and `<span class="…">` tags, builds that cell's
elements itself and marks its text as final, so the inline pass skips it.

Any other cell (emphasis, code, escapes, entities, images, braces, other HTML)
is left to the inline pass as before. The elements built are the ones the
inline pass would build, so the engine still rewrites and checks every link,
the glossary still marks terms (`Plain` text), and the pages are the same
bytes; `tests/test_quicktables.py` converts cells of every kind both ways.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.util import AtomicString

# Text in which no inline pattern of the site's extensions can start: no escape, code,
# emphasis, link, image, HTML, entity or attribute list, and no control character (Markdown's
# own placeholders are control characters).
_PLAIN = r"[^\\`*_\[\]!<>&{}\x00-\x1f\x7f]++"  # possessive: a cell that fails, fails at once
_TOKEN = re.compile(
    rf"(?P<text>{_PLAIN})"
    rf"|\[(?P<label>{_PLAIN})\]\((?P<href>[^\s()<>\"'\\`\x00-\x1f]+)\)"
    r'|(?P<tag><span class="[a-z0-9 _-]*">|</span>)')
_CELL = re.compile(rf"(?:{_TOKEN.pattern})++")
PRIORITY = 75  # the `tables` extension's own


class Plain(AtomicString):
    """Cell text already final for the inline pass; the glossary may still mark terms in it."""


class QuickTableProcessor(TableProcessor):
    """The `tables` processor, building plain cells directly (see the module's docstring)."""

    def _build_row(self, row: str, parent: etree.Element, align: Sequence[str | None]) -> None:
        super()._build_row(row, parent, align)
        for cell in parent[-1]:
            if cell.text and _CELL.fullmatch(cell.text):
                self._fill(cell, cell.text)

    def _fill(self, cell: etree.Element, source: str) -> None:
        """Build what the inline pass would: text, `a` elements and stashed span tags."""
        cell.text = None
        last: etree.Element | None = None
        pending: list[str] = []

        def flush() -> None:
            if pending:
                if last is None:
                    cell.text = Plain("".join(pending))
                else:
                    last.tail = Plain("".join(pending))
                pending.clear()

        for token in _TOKEN.finditer(source):
            if token["text"] is not None:
                pending.append(token["text"])
            elif token["tag"] is not None:  # inline HTML is kept as written, as the inline pass keeps it
                pending.append(self.parser.md.htmlStash.store(token["tag"]))
            else:
                flush()
                last = etree.SubElement(cell, "a", {"href": token["href"]})
                last.text = AtomicString(token["label"])
        flush()


class QuickTablesExtension(Extension):
    """Register QuickTableProcessor in place of the `tables` extension's processor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        if "|" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("|")
        md.parser.blockprocessors.register(QuickTableProcessor(md.parser, {"use_align_attribute": False}),
                                           "table", PRIORITY)


def makeExtension(**kwargs: object) -> QuickTablesExtension:  # noqa: N802 - Python-Markdown's entry point
    return QuickTablesExtension(**kwargs)
