"""What makes the site fast to build and to preview, checked by what a reader or a clerk would notice."""

from __future__ import annotations

import importlib.util
import json
import shutil
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import markdown
import pytest

from checkup import paths
from checkup.assess import assess_indicator
from checkup.check.validate import check_data
from checkup.model import Indicator, Target
from checkup.read.memo import Memo
from checkup.site import charts, downloads, render, svgchart
from checkup.site.charts import indicator_svg
from checkup.site.glossary import GlossaryExtension
from checkup.site.quicktables import Plain, QuickTablesExtension, TablePlace, page_links
from checkup.site.rawblocks import InertBlocksExtension
from checkup.site.render import GOLDEN_PAGES
from checkup.site.searchindex import merge_search_index
from checkup.site.sitedata import SiteData

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
    ('<div class="ck-chart ck-chart--static" id="chart-A"><svg></svg></div>\n<p class="ck-chart-more"></p>', 1),
    ('<p class="ck-facts" data-search-exclude>最新值 <strong>1</strong></p>', 1),
])
def test_only_top_level_figure_and_chart_blocks_are_kept_from_markdown(source: str, stashed: int) -> None:
    md = markdown.Markdown(extensions=[*EXTENSIONS, InertBlocksExtension()])
    md.preprocessors["checkup_inert_blocks"].run(source.split("\n"))
    assert md.htmlStash.html_counter == stashed


# -- table cells built without the inline pass --------------------------------------------------------
@pytest.mark.parametrize("rel", GOLDEN_PAGES)
def test_quick_table_cells_leave_every_golden_page_unchanged(rel: str) -> None:
    source = (GOLDEN_DIR / rel).read_text(encoding="utf-8")
    assert (_html(source, GlossaryExtension(), QuickTablesExtension(), InertBlocksExtension())
            == _html(source, GlossaryExtension(), InertBlocksExtension()))


@pytest.mark.parametrize(("cell", "quick"), [
    ("纯文字 2023年 +0.8天 ≥85% 1/5 —", True),
    ("[北湖区](../areas/beihu.md)", True),
    ("见 [方法说明](../methods.md#rules) 和 [下载](../downloads/index.md)。", True),
    ('<span class="ck-badge ck-badge--warning">薄弱地区</span>', True),
    ('<span class="ck-badge">约束性</span> 预期性', True),  # glossary terms inside and after a badge
    ("约束性", True),
    ("**重点**", False), ("a_b_c", False), ("`代码`", False), ("A &amp; B", False), ("A & B", False),
    (r"1 \| 2", False), ("![图](a.png)", False), ("<b>粗</b>", False), ("文字 {: .x }", False),
    ("[有 *强调* 的链接](a.md)", False), ("[链接](a.md \"标题\")", False), ("<https://example.org>", False),
    ("[`AQ-201.yaml`](data/2023/indicators/AQ-201.yaml)", True), ("见 [`数据_文件.yaml`](a.yaml) 约束性", True),
    ("[`a` b](a.md)", False), ("[` a`](a.md)", False), ("[`a&b`](a.md)", False), ("[``a``](a.md)", False),
])
def test_a_cell_is_built_quickly_only_where_the_result_is_the_same(cell: str, quick: bool) -> None:
    source = f"正文先用预期性。\n\n| 项目 | 内容 |\n| --- | ---: |\n| 行 | {cell} |\n| 空 |  |\n"
    assert (_html(source, GlossaryExtension(), QuickTablesExtension())
            == _html(source, GlossaryExtension()))
    md = markdown.Markdown(extensions=["tables", QuickTablesExtension()])
    root = md.parser.parseDocument(source.split("\n")).getroot()
    kept_out = [p for p in root.iter("p") if isinstance(p.text, TablePlace)]
    assert len(kept_out) == quick  # a table of plain cells only is kept out of the tree whole
    if not quick:  # in the tree: its plain cells are built final, the others left to the inline pass
        first, other = root.findall(".//td")[:2]
        assert isinstance(first.text, Plain) and not isinstance(other.text, Plain)


@pytest.mark.parametrize("source", [
    "| 甲 | 乙 |\n| :-: | :-- |\n",  # no rows: left to the tables extension
    "| 甲 | 乙 |\n| --- | --- |\n| 只有一格 |\n| 1 | 2 | 3 |\n",  # short and long rows
    "| 甲 | 乙 |\n|---|---|\n| a > b | [x](y.md)[z](w.md) |\n",
    "前文\n\n<div class=\"ck-quiet\" markdown>\n\n| 甲 | 乙 |\n| --- | ---: |\n| 约束性 | 1 |\n\n</div>\n\n后文约束性",
    "- 列表\n\n    | 甲 | 乙 |\n    | --- | --- |\n    | 1 | 2 |\n",
])
def test_tables_kept_out_of_the_tree_are_written_as_the_tree_writes_them(source: str) -> None:
    assert (_html(source, GlossaryExtension(), QuickTablesExtension())
            == _html(source, GlossaryExtension()))


def test_text_after_a_link_in_a_quick_cell_still_gets_its_glossary_mark() -> None:
    source = "| 甲 | 乙 |\n| --- | --- |\n| **粗** | [链接](a.md) 约束性 |\n"  # one cell not plain: the table stays in the tree
    html = _html(source, GlossaryExtension(), QuickTablesExtension())
    assert html == _html(source, GlossaryExtension())
    assert '</a> <abbr tabindex="0"' in html


@pytest.mark.parametrize(("paragraph", "quick"), [
    ("纯文字的一段：2023年为38.5%，较上年减少0.6个百分点。", True),
    ("编号 RW-066 · 牵头单位 [市住建委](departments/ZJW.md) · 累计完成 312个小区（104.0%，序时进度 100.0%）", True),
    ('<span class="ck-badge ck-badge--away">偏离目标方向</span> 2023年为38.5%，约束性指标', True),
    ("   前面有空格的约束性段落", True), ("数据文件：[`data/2023/indicators/AQ-001.yaml`](../data/a.yaml) 约束性", True),
    ("两行的段落\n第二行约束性", False), ("行末两个空格  \n换行", False), ("**重点** 约束性", False),
    ("A & B 约束性", False), ("段落 {: .x }", False), ("[链接](a.md \"标题\") 约束性", False),
])
def test_a_paragraph_is_built_quickly_only_where_the_result_is_the_same(paragraph: str, quick: bool) -> None:
    source = f"# 标题\n\n{paragraph}\n\n- 列表项 约束性\n- [链接](b.md) 序时进度\n\n后文预期性。\n"
    assert (_html(source, GlossaryExtension(), QuickTablesExtension())
            == _html(source, GlossaryExtension()))
    md = markdown.Markdown(extensions=["tables", QuickTablesExtension()])
    first = md.parser.parseDocument(source.split("\n")).getroot().findall("p")[0]
    assert isinstance(first.text, Plain) is quick


def test_another_extensions_inline_patterns_turn_the_quick_cells_off() -> None:
    source = "| 甲 | 乙 |\n| --- | --- |\n| a -- b | \"引号\" |\n"  # smarty makes dashes and quotes typographic
    assert _html(source, "smarty", QuickTablesExtension()) == _html(source, "smarty")
    assert "&ndash;" in _html(source, "smarty", QuickTablesExtension())


def test_links_in_a_table_kept_out_of_the_tree_are_rewritten_for_the_page() -> None:
    source = "| 区 | 说明 |\n| --- | --- |\n| [北湖区](../areas/beihu.md) | 见[方法](../methods.md#rules) |\n"
    token = page_links.set(lambda href: "/" + href.replace(".md", "/").lstrip("./"))
    try:
        html = _html(source, QuickTablesExtension())
    finally:
        page_links.reset(token)
    assert '<a href="/areas/beihu/">北湖区</a>' in html and '<a href="/methods/#rules">方法</a>' in html


# -- a large edition read and checked by two processes ------------------------------------------------
def test_a_large_edition_checked_by_two_processes_gives_what_one_process_gives(tmp_path: Path) -> None:
    from checkup.read import load
    from checkup.synth import write_synthetic_data

    data = write_synthetic_data(tmp_path / "data", areas=2, indicators=load.PARALLEL_FROM, years=3, tasks=20,
                                problems=5, seed=5)
    files = sorted((data / "2023" / "indicators").glob("*.yaml"))
    files[3].write_text("id: [unclosed\n", encoding="utf-8")  # a syntax error in the first half
    late = files[-3]  # a schema error in the half the copy reads and checks
    late.write_text(late.read_text(encoding="utf-8").replace("unit:", "unit_typo:", 1), encoding="utf-8")
    load._PARSED.clear()
    one = check_data(data)
    load._PARSED.clear()
    two = check_data(data, processes=2)
    assert two.findings == one.findings
    assert {Path(f.file).name for f in one.errors} >= {files[3].name, late.name}  # both halves' errors found
    assert two.editions == one.editions
    assert two.raw["2023"].hashes == one.raw["2023"].hashes


# -- parts of the theme's page drawn once per folder ------------------------------------------------------
def _hooks_for(nav_urls: set[str]):
    spec = importlib.util.spec_from_file_location("checkup_hooks", paths.OVERRIDES_DIR / "hooks.py")
    assert spec and spec.loader
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    hooks._build.update(nav_urls=frozenset(nav_urls), drawn={}, outside={})
    return hooks


def _page(url: str, title: str) -> SimpleNamespace:
    return SimpleNamespace(url=url, parent=None, title=title)


def test_a_folders_header_is_drawn_once_and_carries_each_pages_title() -> None:
    hooks = _hooks_for({"", "indicators/"})
    drawn: list[str] = []

    def header(page: SimpleNamespace) -> str:
        drawn.append(page.url)
        return f'<header><a href="../..">站</a><div {hooks.HEADER_TOPIC}><span>{page.title}</span></div></header>'

    pages = [_page(f"indicators/X-{n}/", f"X-{n} 指标{n}") for n in range(4)]
    out = [hooks._same_header(p, p.title, lambda p=p: header(p)) for p in pages]
    assert drawn == ["indicators/X-0/", "indicators/X-1/"]  # in full: the first, and the second checks the cut
    assert out == [header(p) for p in pages]
    home = _page("", "首页")  # in the navigation: always drawn in full
    assert hooks._same_header(home, "首页", lambda: header(home)) == header(home)


def test_a_header_whose_cut_does_not_hold_is_drawn_in_full_for_each_page() -> None:
    hooks = _hooks_for({""})
    calls = iter(range(100))

    def header(page: SimpleNamespace) -> str:  # differs from page to page beyond the title
        return f"<header {hooks.HEADER_TOPIC}>{page.title}</header><i>{next(calls)}</i>"

    pages = [_page(f"a/p{n}/", f"第{n}页") for n in range(4)]
    outs = [hooks._same_header(p, p.title, lambda p=p: header(p)) for p in pages]
    assert [o.split("<i>")[1] for o in outs] == ["0</i>", "1</i>", "2</i>", "3</i>"]


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


AWKWARD_CELLS = ["x&<y>\"'", " padded ", "\u3000全角空格", "line\nbreak\ttab", "carriage\rreturn", "𠀀 outside the BMP",
                 "=SUM(A1)", "＝1+1", "-12.5", "@cmd", "#N/A", "", None, 0, -0.0, 1.5, 177.92000000000002, 10**17,
                 1e20, float("nan"), float("inf"), True, False, "x" * 40000]


def _workbooks(tables: list[downloads.DataTable], title: str, monkeypatch) -> tuple[bytes, bytes]:
    """Write the tables with the fast row writer and with openpyxl alone."""
    monkeypatch.setattr(downloads, "_MADE", Memo(4096))
    fast = downloads.to_xlsx(tables, title)
    monkeypatch.setattr(downloads, "_MADE", Memo(4096))
    monkeypatch.setattr(downloads, "sheet_rows", lambda *args: None)
    return fast, downloads.to_xlsx(tables, title)


def test_the_fast_workbook_writer_gives_openpyxls_bytes_for_every_example_edition(monkeypatch) -> None:
    site = SiteData.from_editions(check_data(paths.DATA_DIR).editions)
    for view in site.views:
        fast, slow = _workbooks(downloads.edition_tables(view.edition, view.assessment), view.edition.title,
                                monkeypatch)
        monkeypatch.undo()
        assert fast == slow, view.year


@pytest.mark.parametrize("cell", AWKWARD_CELLS, ids=repr)
def test_the_fast_workbook_writer_gives_openpyxls_bytes_for_awkward_cells(cell: object, monkeypatch) -> None:
    fields = (("id", "string", "编号"), ("value", "string", "数值"), ("note", "string", "=说明"))
    table = downloads.DataTable("awkward", "难写的单元格", fields, [("A-1", cell, "plain"), (cell, 2, cell)])
    fast, slow = _workbooks([table], str(cell)[:50] or "标题", monkeypatch)
    assert fast == slow


def test_a_table_that_changed_is_written_anew_and_one_that_did_not_comes_from_the_cache(monkeypatch) -> None:
    monkeypatch.setattr(downloads, "_MADE", Memo(4096))
    fields = (("id", "string", "编号"), ("value", "number", "数值"))
    first = downloads.to_csv(downloads.DataTable("t", "表", fields, [("A", 1)]))
    assert downloads.to_csv(downloads.DataTable("t", "表", fields, [("A", 1)])) is first
    assert downloads.to_csv(downloads.DataTable("t", "表", fields, [("A", True)])) != first  # 1 == True, yet not the same cell


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
    drawings = list(ElementTree.fromstring(f"<div>{svg}</div>"))  # well-formed XML: each stands alone
    assert [d.get("class") for d in drawings] == ["ck-svg ck-svg--wide", "ck-svg ck-svg--narrow"]
    ns = "{http://www.w3.org/2000/svg}"
    ids = []
    for root in drawings:
        assert root.get("role") == "img"
        labelled = root.get("aria-labelledby", "").split()
        assert [root.find(f"{ns}title").get("id"), root.find(f"{ns}desc").get("id")] == labelled
        ids += labelled
        assert root.find(f"{ns}title").text == "绿地率逐年数值"
        assert said in root.find(f"{ns}desc").text
        texts = [t.text for t in root.iter(f"{ns}text")]
        assert "年份" in texts and "%" in texts and "2023" in texts  # both axes are labelled
        dashed_target = [line for line in root.iter(f"{ns}line") if line.get("stroke-dasharray") == "2 3"]
        assert len(dashed_target) == target_marks
    assert len(set(ids)) == len(ids)  # one page holds both
    assert "href" not in svg and "<script" not in svg  # nothing to fetch, nothing to run


def test_a_phone_gets_a_drawing_made_for_its_width_with_words_of_the_same_size() -> None:
    indicator = replace(_indicator((Target(year=2025, between=(34.0, 38.0)),), unit="平方米/人"),
                        base_year=2014, values={y: 30.0 + (y - 2014) * 0.3 for y in range(2015, 2024)})
    wide, narrow = ElementTree.fromstring(f"<div>{indicator_svg(indicator, assess_indicator(indicator, 2023))}</div>")
    ns = "{http://www.w3.org/2000/svg}"
    assert wide.get("viewBox").split()[2] == "640" and narrow.get("viewBox").split()[2] == "360"
    assert wide.get("font-size") == narrow.get("font-size")

    def years(root: ElementTree.Element) -> list[tuple[float, str]]:
        return [(float(t.get("x")), t.text) for t in root.iter(f"{ns}text") if (t.text or "").isdigit()
                and len(t.text) == 4 and t.get("text-anchor") == "middle"]

    assert [text for _, text in years(wide)] == [str(y) for y in range(2014, 2026)]
    shown = years(narrow)
    assert shown[-1][1] == "2025" and len(shown) == 6  # every other year, counted back from the last
    assert min(b - a for (a, _), (b, _) in zip(shown, shown[1:], strict=False)) >= 40  # no two labels touch
    legend = [t for t in narrow.iter(f"{ns}text") if float(t.get("y") or 0) > 270]
    assert len({t.get("y") for t in legend}) == 2  # the legend takes a second row
    assert all(float(t.get("x")) + svgchart._text_width(t.text) <= 360 for t in legend)
    assert int(narrow.get("viewBox").split()[3]) == int(wide.get("viewBox").split()[3]) + svgchart.LEGEND_ROW


def test_a_charts_download_file_is_the_same_whether_its_page_was_drawn_first(monkeypatch) -> None:
    indicator = _indicator((Target(year=2025, at_least=36.0, text="≥36"),))
    assessed = assess_indicator(indicator, 2023)
    monkeypatch.setattr(charts, "_SVG_FILES", Memo(10))
    alone = charts.indicator_svg_file(indicator, assessed, "2023 年度版")
    monkeypatch.setattr(charts, "_SVG_FILES", Memo(10))
    page = indicator_svg(indicator, assessed)  # the page draws first and leaves its wide drawing
    after_page = charts.indicator_svg_file(indicator, assessed, "2023 年度版")
    assert after_page == alone and charts._DRAWN == {}
    root = ElementTree.fromstring(alone)
    assert root.find("{http://www.w3.org/2000/svg}svg").get("aria-labelledby") == "dl-LS-99-t dl-LS-99-d"
    assert 'id="svg-LS-99-t"' in page and 'id="dl-LS-99-t"' not in page
    other = replace(indicator, values={**indicator.values, 2023: 34.0})  # other data: drawn anew, not taken
    indicator_svg(indicator, assessed)
    monkeypatch.setattr(charts, "_SVG_FILES", Memo(10))
    changed = charts.indicator_svg_file(other, assess_indicator(other, 2023), "2023 年度版")
    assert "2023年34%" in changed.decode("utf-8")


def test_the_static_chart_shows_hostile_names_as_text() -> None:
    indicator = _indicator((), unit="<b>", name="<script>alert(1)</script>")
    svg = indicator_svg(indicator, assess_indicator(indicator, 2023))
    for root in ElementTree.fromstring(f"<div>{svg}</div>"):
        assert root.find("{http://www.w3.org/2000/svg}title").text == "<script>alert(1)</script>逐年数值"
    assert "<script>" not in svg and "<b>" not in svg
