"""What makes the site fast to build and to preview, checked by what a reader or a clerk would notice."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from checkup.site.rawblocks import InertBlocksExtension
from checkup.site.render import GOLDEN_PAGES

GOLDEN_DIR = Path(__file__).parent / "golden"
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc"]  # as mkdocs.yml


def _html(source: str, *extra: object) -> str:
    body = source.split("\n---\n", 1)[1] if source.startswith("---\n") else source
    return markdown.Markdown(extensions=[*EXTENSIONS, *extra]).convert(body)


@pytest.mark.parametrize("rel", GOLDEN_PAGES)
def test_stashing_the_sites_html_blocks_leaves_the_page_html_unchanged(rel: str) -> None:
    source = (GOLDEN_DIR / rel).read_text(encoding="utf-8")
    assert _html(source, InertBlocksExtension()) == _html(source)


@pytest.mark.parametrize(("source", "stashed"), [
    ('<div class="ck-figures"><table><tr><td>1</td></tr></table></div>', 1),
    ('text\n\n<div class="ck-chart" id="c"></div>\n<script type="application/json">{}</script>\n\nafter', 1),
    ('paragraph\n<div class="ck-figures"><table></table></div>', 0),  # inside a paragraph: Markdown's
    ('    <div class="ck-figures"><table></table></div>', 0),  # indented: code or a nested block
    ('<div class="ck-quiet" markdown>\n\n| a |\n|---|\n\n</div>', 0),  # holds Markdown
])
def test_only_top_level_figure_and_chart_blocks_are_kept_from_markdown(source: str, stashed: int) -> None:
    md = markdown.Markdown(extensions=[*EXTENSIONS, InertBlocksExtension()])
    md.preprocessors["checkup_inert_blocks"].run(source.split("\n"))
    assert md.htmlStash.html_counter == stashed
