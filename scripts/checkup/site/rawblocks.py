"""A Markdown extension that keeps the site's own HTML blocks away from Python-Markdown.

Data tables and charts are written as finished HTML (`markup.data_table`,
`charts.embed`). Left in the Markdown, every one of them is read again by
Python's `html.parser` twice (by `md_in_html` and by the engine's anchor
scan), which cost a fifth of a large build. This preprocessor puts each such
block into Markdown's own stash before either pass sees it; Markdown's
raw-HTML postprocessor puts it back unchanged, so the pages are the same bytes.

Only the site engine's hook imports this module (it needs Python-Markdown).
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# The blocks the renderer writes as finished HTML, by how their first line starts. They
# hold no Markdown, no links to rewrite and no anchor another page links to.
# (A task's in-year path chart, `id="path-…"`, sits inside Markdown that the HTML pass rewrites,
# so it is left to that pass.)
INERT_BLOCKS = ('<div class="ck-figures"', '<div class="ck-chart"', '<div class="ck-chart ck-chart--static" id="chart',
                '<p class="ck-facts"')
# After normalize_whitespace (30), which would strip the stash's placeholder characters,
# and before the engine's anchor scan (21) and the raw-HTML block pass (20).
PRIORITY = 25


class InertBlockPreprocessor(Preprocessor):
    """Stash every top-level block that starts as one of INERT_BLOCKS, up to the next blank line."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i, count = 0, len(lines)
        while i < count:
            line = lines[i]
            if line.startswith(INERT_BLOCKS) and (not out or not out[-1].strip()):
                end = i + 1
                while end < count and lines[end].strip():
                    end += 1
                # with the newline Markdown's own raw-HTML pass keeps after a block
                out.append(self.md.htmlStash.store("\n".join(lines[i:end]) + "\n"))
                i = end
            else:
                out.append(line)
                i += 1
        return out


class InertBlocksExtension(Extension):
    """Register the preprocessor that stashes the site's finished HTML blocks."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(InertBlockPreprocessor(md), "checkup_inert_blocks", PRIORITY)
