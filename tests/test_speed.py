"""What makes the site fast to build and to preview, checked by what a reader or a clerk would notice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest

from checkup import paths
from checkup.assess import assess_indicator
from checkup.model import Indicator, Target
from checkup.site import render
from checkup.site.charts import indicator_svg
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
    render.render_docs(data, docs, preview=True)
    made: list[int] = []
    real = render.edition_files
    monkeypatch.setattr(render, "edition_files", lambda e, *a: made.append(e.year) or real(e, *a))
    assert render.render_docs(data, docs, preview=True).written == 0
    assert made == []  # nothing changed: every edition's downloads came from the cache
    record = data / "2023" / "indicators" / "CX-01.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("2023: 2.52", "2023: 2.61"), encoding="utf-8")
    render.render_docs(data, docs, preview=True)
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


# -- the static chart -------------------------------------------------------------------------------
def _indicator(targets: tuple[Target, ...], unit: str = "%", name: str = "绿地率") -> Indicator:
    return Indicator(id="LS-99", name=name, category="绿色", subcategory="蓝绿空间", unit=unit, definition="—",
                     direction="higher_is_better", kind="expected", base_year=2020, base_value=30.0,
                     values={2021: 31.0, 2022: 31.5, 2023: 33.0}, targets=targets, data_source="—",
                     collection_method="—", department="ZJW", file="indicators/LS-99.yaml")


@pytest.mark.parametrize(("targets", "said", "target_marks"), [
    ((Target(year=2025, at_least=36.0, text="≥36"),), "2025年目标：≥36", 1),
    ((Target(year=2025, between=(34.0, 38.0)),), "2025年目标：", 2),  # a band: a line at each end
    ((Target(year=2025, about=35.0, text="35左右"),), "2025年目标：35%左右", 1),
    ((Target(year=2025, trend="increase"),), "2025年目标：", 0),  # a direction only: nothing to draw a line at
    ((), "实际值：2020年30%，2021年31%，2022年31.5%，2023年33%", 0),
])
def test_the_static_chart_is_a_standalone_accessible_drawing(targets, said: str, target_marks: int) -> None:
    indicator = _indicator(targets)
    svg = indicator_svg(indicator, assess_indicator(indicator, 2023))
    root = ElementTree.fromstring(svg)  # well-formed XML: it stands alone in print and the report
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby", "").split()
    assert [root.find(f"{ns}title").get("id"), root.find(f"{ns}desc").get("id")] == labelled
    assert root.find(f"{ns}title").text == "绿地率逐年数值"
    assert said in root.find(f"{ns}desc").text
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "年份" in texts and "%" in texts and "2023" in texts  # both axes are labelled
    dashed_target = [line for line in root.iter(f"{ns}line") if line.get("stroke-dasharray") == "2 3"]
    assert len(dashed_target) == target_marks
    assert "href" not in svg and "<script" not in svg  # nothing to fetch, nothing to run


def test_the_static_chart_shows_hostile_names_as_text() -> None:
    indicator = _indicator((), unit="<b>", name="<script>alert(1)</script>")
    svg = indicator_svg(indicator, assess_indicator(indicator, 2023))
    root = ElementTree.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "<script>alert(1)</script>逐年数值"
    assert "<script>" not in svg and "<b>" not in svg
