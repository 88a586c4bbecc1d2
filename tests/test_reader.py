"""The public site as a resident, a journalist and a clerk read it: the year at a glance, plain words, re-usable data."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from checkup import paths
from checkup.check.validate import check_data
from checkup.site.build import build_site
from checkup.site.pages.home import year_moves
from checkup.site.sitedata import SiteData
from editionyears import only_published


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    build_site(paths.DATA_DIR, out)
    return out


@pytest.fixture(scope="module")
def data() -> SiteData:
    """The published editions as the public site shows them."""
    return SiteData.from_editions(only_published(check_data(paths.DATA_DIR).editions))


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def first_screen(page: str) -> str:
    """The article up to its first section heading: what a phone shows before any scrolling."""
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1]
    return re.split(r"<h2[ >]", article, maxsplit=1)[0]


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def test_home_page_says_first_how_many_indicators_got_better_or_worse(site: Path, data: SiteData) -> None:
    moves = Counter(m.move for m in year_moves(data.latest))
    top = plain(first_screen(read(site, "index.html")))
    assert f"比上年变好 {moves['better']} 项、变差 {moves['worse']} 项、持平 {moves['same']} 项" in top
    assert moves["better"] > moves["worse"] > 0


def test_home_page_tells_an_indicator_without_a_value_this_year_from_one_without_last_years(
        site: Path, data: SiteData) -> None:
    view = data.latest
    missing = [m.indicator.id for m in year_moves(view) if m.move == "missing"]
    assert missing == [i.id for i in view.edition.indicators.values() if view.year not in i.values]
    assert missing, "the example has an indicator without a value in its latest year"
    top = plain(first_screen(read(site, "index.html")))
    assert f"本年无数据 {len(missing)} 项" in top


def test_home_page_names_and_links_every_indicator_that_got_worse(site: Path, data: SiteData) -> None:
    top = first_screen(read(site, "index.html"))
    for move in year_moves(data.latest):
        if move.move == "worse":
            assert f'<a href="indicators/{move.indicator.id}/">{move.indicator.name}</a>' in top


def test_home_page_gives_satisfaction_out_of_100_with_its_change(site: Path, data: SiteData) -> None:
    now = data.latest.assessment.survey.overall.score
    before = data.views[-2].assessment.survey.overall.score
    top = plain(first_screen(read(site, "index.html")))
    assert f"居民满意度 {now:.1f} 分（满分100），比上年提高 {now - before:.1f} 分" in top


def test_home_page_sums_up_warnings_in_one_line_with_a_link(site: Path, data: SiteData) -> None:
    assessment = data.latest.assessment
    warned, overdue = assessment.warnings(), assessment.overdue()
    page = read(site, "index.html")
    first = plain(first_screen(page))
    assert f"未按期完成任务 {len(overdue)} 项（实施期限已过，尚未完成）" in first
    assert (f"预警任务 {len(warned)} 项" in first) is bool(warned)
    titles = [data.latest.edition.tasks[t].title for t in (*warned, *overdue)]
    assert not any(title in page for title in titles), "warned tasks are summed up, not listed"


@pytest.mark.parametrize("jargon", ["规划基期", "TD/T 1063", "data/2023", ".yaml"])
def test_home_page_does_not_open_with_planning_jargon_or_file_paths(site: Path, jargon: str) -> None:
    assert jargon not in first_screen(read(site, "index.html"))


def test_home_page_counts_indicators_by_category(site: Path, data: SiteData) -> None:
    page = plain(read(site, "index.html"))
    for category in ("安全", "创新", "协调", "绿色", "开放", "共享"):
        n = sum(1 for i in data.latest.edition.indicators.values() if i.category == category)
        assert re.search(rf"{category} {n} \d", page), category


# -- data for re-use -----------------------------------------------------------------------------
def test_every_csv_opens_in_excel_with_chinese_headers(site: Path) -> None:
    for path in sorted((site / "downloads" / "2023").glob("*.csv")):
        body = path.read_bytes()
        assert body.startswith("\ufeff".encode()), path.name
        header = body.decode("utf-8-sig").split("\n", 1)[0]
        assert not re.search(r"[a-z]", header), (path.name, header)


def test_csv_values_carry_no_floating_point_noise_or_english_codes(site: Path) -> None:
    folder = site / "downloads" / "2023"
    body = "".join(p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv"))
    assert not re.search(r"\d\.\d*0000000\d", body)
    assert not re.search(r"\d\.\d*9999999\d", body)
    for code in ("lower_is_better", "higher_is_better", "on_track", "national", "in_progress", "expected"):
        assert not re.search(rf"(^|,){code}(,|$)", body, re.M), code


def test_data_package_passes_the_frictionless_validator(site: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(site / "downloads" / "2023" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]
    package = json.loads((site / "downloads" / "2023" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] and package["sources"]
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["indicators"]["primaryKey"] == ["编号"]
    assert schemas["indicator_values"]["foreignKeys"][0]["reference"] == {"resource": "indicators", "fields": "编号"}
    direction = next(f for f in schemas["indicators"]["fields"] if f["x-name"] == "direction")
    assert direction["x-codes"]["越小越好"] == "lower_is_better"


# -- what changed ---------------------------------------------------------------------------------
def test_changes_page_puts_status_changes_and_revisions_first(site: Path) -> None:
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", read(site, "changes/index.html"))
    assert [h.split("（")[0] for h in headings[:2]] == ["评估结果的变化", "修订已发布的数值"]


def test_changes_page_folds_one_edit_made_to_every_indicator_into_one_line(site: Path) -> None:
    page = plain(read(site, "changes/index.html") + read(site, "changes-2/index.html"))
    assert page.count("报送截止日期由“2023-03-31”改为“2024-03-31”") == 1
    assert "指标 54 条" in page


def test_changes_page_speaks_plainly(site: Path) -> None:
    page = plain(read(site, "changes/index.html"))
    assert "口径" not in page
    assert "beicheng" not in page and "区域 北城区" in page


# -- words a resident reads -------------------------------------------------------------------------
# Latin words a reader may meet in running text: units, file formats and names of standards or tools.
ALLOWED_LATIN = {"km", "m", "kg", "Frictionless", "datapackage.json", "WCAG", "Excel", "rules.yaml", "areas.geojson"}
# A code from the data: a word with a lowercase letter (safety_order, beicheng, on_track). Record
# numbers such as CX-01 and acronyms such as GDP are how plans themselves number and name things.
CODE = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}


class _ArticleText(HTMLParser):
    """The visible words of a page's main content, without code, scripts and the provenance section."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.inside = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.inside += 1
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.inside -= 1
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.inside and not {"code", "script", "style"} & set(self.open):
            self.words.append(data)


def test_no_page_shows_a_data_code_in_its_main_content(site: Path) -> None:
    found = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("guide/", "reference/")):
            continue  # the clerk's guide names YAML fields on purpose
        parser = _ArticleText()
        parser.feed(path.read_text(encoding="utf-8").split('id="本页数据"', 1)[0])
        codes = {w for w in CODE.findall(" ".join(parser.words)) if re.search("[a-z]", w)} - ALLOWED_LATIN
        if codes:
            found[rel] = sorted(codes)[:5]
    assert found == {}


# -- sharing and finding the site ---------------------------------------------------------------------
def test_pages_carry_a_share_card_with_their_summary(site: Path, data: SiteData) -> None:
    page = read(site, "indicators/GX-02/index.html")
    reason = data.latest.assessment.indicators["GX-02"].reason
    assert '<meta property="og:title" content="GX-02 15分钟社区生活圈覆盖率">' in page
    assert re.search(r'<meta property="og:description" content="[^"]*' + re.escape(reason), page)


def test_sitemap_lists_every_page(site: Path) -> None:
    pages = [p for p in site.rglob("index.html")]
    assert read(site, "sitemap.xml").count("<loc>") == len(pages)


def test_404_page_finds_the_site_under_a_project_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKUP_SITE_URL", "https://example.org/city-checkup/")
    build_site(paths.DATA_DIR, tmp_path / "site")
    page = read(tmp_path / "site", "404.html")
    assert "没有找到这个页面" in page
    links = re.findall(r'(?:href|src)="([^"#]+)"', page)
    local = [u for u in links if not u.startswith(("http:", "https:", "data:"))]
    assert local and all(u.startswith("/city-checkup/") for u in local), local


# -- corrections where the figure is ----------------------------------------------------------------
def test_a_corrected_figure_is_marked_on_its_own_page_with_the_reason(site: Path, data: SiteData) -> None:
    correction = data.latest.edition.corrections[0]
    page = read(site, "indicators/GX-02/index.html")
    assert "本页数值发布后有更正" in page
    assert correction.why in plain(page)
    assert 'href="../../corrections/"' in page


def test_the_corrections_log_links_the_indicator_page_not_its_yaml(site: Path) -> None:
    page = read(site, "corrections/index.html")
    assert 'href="../indicators/GX-02/"' in page
    assert "GX-02.yaml" not in first_screen(page).split("本页数据")[0]


def test_every_indicator_has_its_own_csv(site: Path, data: SiteData) -> None:
    for ind_id in data.latest.edition.indicators:
        body = (site / "downloads" / "indicators" / f"{ind_id}.csv").read_bytes().decode("utf-8-sig")
        assert body.startswith("指标编号,指标名称,范围,年份,数值,单位\n")
        assert f'href="../../downloads/indicators/{ind_id}.csv"' in read(site, f"indicators/{ind_id}/index.html")


def test_every_indicator_has_its_chart_as_a_standalone_svg_titled_and_sourced(site: Path, data: SiteData) -> None:
    view = data.latest
    downloads = read(site, "downloads/index.html")
    for ind in view.edition.indicators.values():
        raw = (site / "downloads" / "indicators" / f"{ind.id}.svg").read_text("utf-8")
        root = ElementTree.fromstring(raw.encode("utf-8"))  # well-formed XML, openable on its own
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width") and root.get("viewBox")
        words = "".join(root.itertext())
        assert f"{ind.id} {ind.name}" in words
        assert (f"单位：{ind.unit}" if ind.unit != "无" else "无单位") in words
        assert f"数据来源：{ind.data_source}" in words
        assert f"{view.edition.publisher}《{view.edition.title}》{view.year} 年度版" in words and "示例数据" in words
        assert "<script" not in raw and "href=" not in raw  # nothing runs, nothing is fetched
        page = read(site, f"indicators/{ind.id}/index.html")
        assert f'href="../../downloads/indicators/{ind.id}.svg">下载图表（SVG）</a>' in page
        assert f'href="indicators/{ind.id}.svg"' in downloads and f'href="indicators/{ind.id}.csv"' in downloads


# -- one source for dates and numbers --------------------------------------------------------------------
def test_clerk_guide_gives_the_deadline_the_indicator_pages_give(site: Path, data: SiteData) -> None:
    deadline = data.latest.edition.indicators["GX-02"].deadline
    year, month, day = (int(p) for p in deadline.split("-"))
    assert deadline in plain(read(site, "indicators/GX-02/index.html"))
    guide = plain(read(site, "guide/index.html"))
    assert f"在 {year} 年 {month} 月 {day} 日前报齐" in guide
    assert "12 月 31 日前报齐" not in guide


def test_a_task_quantity_is_written_the_way_its_title_writes_it(site: Path) -> None:
    page = plain(read(site, "tasks-2/index.html"))
    assert "危旧楼房和简易楼改建腾退20万平方米" in page
    assert "量化目标 20万平方米" in page and "累计完成 16.8万平方米" in page
    assert "200,000平方米" not in page
