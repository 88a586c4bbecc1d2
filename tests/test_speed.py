"""What makes the site fast to build and to preview, checked by what a reader or a clerk would notice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import markdown
import pytest

from checkup import paths
from checkup.site import render
from checkup.site.rawblocks import InertBlocksExtension
from checkup.site.render import GOLDEN_PAGES
from checkup.site.searchindex import merge_search_index

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


# -- downloads -------------------------------------------------------------------------------------
def test_a_render_after_a_save_redoes_only_the_edited_editions_downloads(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    edition = data / "2023" / "edition.yaml"  # a draft, as the edition a clerk edits is
    edition.write_text(edition.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                       encoding="utf-8")
    (data / "2023" / "manifest.json").unlink()
    docs = tmp_path / "docs"
    monkeypatch.setattr(render, "_DOWNLOADS", {})
    render.render_docs(data, docs)
    made: list[int] = []
    real = render.edition_files
    monkeypatch.setattr(render, "edition_files", lambda e, *a: made.append(e.year) or real(e, *a))
    assert render.render_docs(data, docs).written == 0
    assert made == []  # nothing changed: every edition's downloads came from the cache
    record = data / "2023" / "indicators" / "CX-01.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("2023: 2.52", "2023: 2.61"), encoding="utf-8")
    render.render_docs(data, docs)
    assert made == [2023]
    assert "2.61" in (docs / "downloads" / "2023" / "indicators.csv").read_text(encoding="utf-8")


def test_cached_downloads_are_the_bytes_a_fresh_render_writes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(render, "_DOWNLOADS", {})
    render.render_docs(paths.DATA_DIR, tmp_path / "first")
    render.render_docs(paths.DATA_DIR, tmp_path / "cached")
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*") if p.is_file()}
    cached = {p.relative_to(tmp_path / "cached"): p.read_bytes() for p in (tmp_path / "cached").rglob("*")
              if p.is_file()}
    assert first == cached


# -- the search index of a preview -----------------------------------------------------------------
def _index(*locations: str) -> str:
    docs = [{"location": loc, "title": loc, "text": f"text of {loc}"} for loc in locations]
    return json.dumps({"config": {"lang": ["en"]}, "docs": docs}, separators=(",", ":"))


def test_a_preview_that_rebuilt_some_pages_still_searches_every_page_in_site_order() -> None:
    previous = _index("", "#_1", "a/", "a/#x", "b/", "gone/")
    current = _index("b/", "b/#new", "", "#_2")  # only the home page and b/ were rebuilt
    merged = json.loads(merge_search_index(previous, current, ["", "a/", "b/", "c/"], {"", "b/"}))
    assert [d["location"] for d in merged["docs"]] == ["", "#_2", "a/", "a/#x", "b/", "b/#new"]


def test_a_merged_search_index_is_the_bytes_a_full_build_writes() -> None:
    full = _index("", "#_1", "a/", "b/")
    assert merge_search_index(full, _index("a/"), ["", "a/", "b/"], {"a/"}) == full
