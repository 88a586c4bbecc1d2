"""The example site in headless Chromium, as a reader on a phone or a desktop meets it.

Served from 127.0.0.1 by a local http.server; every request to any other host
fails the test. Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import importlib.util
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checkup import paths
from checkup.site.build import build_site
from editionyears import LATEST_PUBLISHED, copy_published

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAGES = {"home": "", "indicator": "indicators/CX-01/", "tasks": "tasks/", "survey": "survey/", "changes": "changes/",
         "glossary": "glossary/", "problems": "problems/", "map": "indicators/GX-02/", "area": "areas/nanhe/",
         "areas": "areas/"}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FIRST_OPEN_GZIP_LIMIT = 150 * 1024  # an indicator page opened first on a phone, everything it loads

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests must run in CI (apt-get install chromium)",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed and CI is not set (apt-get install chromium fonts-noto-cjk)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _axe_script() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or spec.origin is None:
        message = "axe-core is needed: pip install axe-playwright-python (it bundles axe.min.js)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


# -- the served site ------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@dataclass
class Served:
    root: Path
    base: str


def _serve(root: Path) -> Iterator[Served]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = tmp_path_factory.mktemp("browser") / "site"
    build_site(paths.DATA_DIR, site)
    yield from _serve(site)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that a reader would not want: outside requests, errors, dialogs."""

    base: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)  # playwright Response objects, in order

    def check(self) -> None:
        assert self.outside == [], f"requests to other hosts: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture
def open_page(browser, served: Served):
    """Open pages in a fresh context at a given viewport, watching every request and message."""
    contexts = []

    def opener(viewport: dict[str, int], root: Served = served, *, intercept: bool = True,
               bypass_csp: bool = False):
        context = browser.new_context(viewport=viewport, service_workers="block", bypass_csp=bypass_csp)
        contexts.append(context)
        watch = Watch(root.base)

        def route(request_route, request) -> None:
            if request.url.startswith(root.base) or request.url.startswith("data:"):
                request_route.continue_()
            else:
                watch.outside.append(request.url)
                request_route.abort()

        if intercept:
            context.route("**/*", route)
        else:  # routing turns the browser's cache off; watch the requests instead of stopping them
            context.on("request", lambda r: None if r.url.startswith((root.base, "data:"))
                       else watch.outside.append(r.url))
        page = context.new_page()
        page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.errors.append(str(e)))
        page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
        page.on("response", lambda r: watch.responses.append(r))
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# -- the tests ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_errors_or_outside_requests(open_page, served: Served, name: str, width: str) -> None:
    page, watch = open_page(PHONE if width == "phone" else DESKTOP)
    page.goto(served.base + PAGES[name], wait_until="networkidle")
    _wait_for_chart(page, name)
    assert "示例数据" in page.inner_text(".md-banner")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the page is wider than the screen; wide tables must scroll inside their box"
    _shot(page, f"{name}-{width}")
    watch.check()


def test_chart_draws_after_navigating_within_the_site(open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base + "indicators/", wait_until="networkidle")
    page.click("a[href='CX-01/']")
    page.wait_for_url("**/indicators/CX-01/")
    page.wait_for_selector(".ck-chart--static svg.ck-svg:visible")
    page.click("button.ck-chart-interact")
    page.wait_for_selector(".ck-chart svg.main-svg", timeout=30_000)  # plotly.js is 1.2 MB to parse
    page.go_back()
    page.click("text=研究与试验发展经费投入强度")
    page.wait_for_load_state("networkidle")
    page.click("button.ck-chart-interact")
    page.wait_for_selector(".ck-chart svg.main-svg", timeout=30_000)  # plotly.js is 1.2 MB to parse
    watch.check()


def test_indicator_chart_is_there_at_first_paint_and_plotly_loads_only_on_request(open_page, served: Served) -> None:
    page, watch = open_page(PHONE, intercept=False)
    page.goto(served.base + "indicators/CX-01/", wait_until="networkidle")
    chart = page.locator(".ck-chart--static svg.ck-svg[role=img]:visible")
    assert chart.get_attribute("class") == "ck-svg ck-svg--narrow"  # the drawing made for a phone's width
    assert "研究与试验发展经费投入强度" in chart.locator("title").text_content()
    assert "2025年目标" in chart.locator("desc").text_content()
    word = chart.locator("text", has_text="年份").bounding_box()
    assert word is not None and word["height"] >= 12, word  # readable words, not the wide drawing's 7 px
    first = _weigh(watch.responses, served.base)
    assert not any("plotly" in url or "search_index" in url for url in first["files"]), first["files"]
    assert first["gzip_bytes"] < FIRST_OPEN_GZIP_LIMIT, first
    seen = len(watch.responses)
    page.click("button.ck-chart-interact")
    page.wait_for_selector(".ck-chart svg.main-svg", timeout=15_000)
    assert any("plotly" in r.url for r in watch.responses[seen:])
    assert page.locator("svg.ck-svg").count() == 0  # the interactive chart took the drawing's place
    watch.check()


def test_search_index_is_fetched_on_first_use_of_search(open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP, intercept=False)
    page.goto(served.base, wait_until="networkidle")
    assert not any("search_index" in r.url for r in watch.responses)
    with page.expect_response(lambda r: "search_index" in r.url, timeout=15_000) as fetched:
        page.click("input[data-md-component=search-query]")  # the first use asks for the index
    assert fetched.value.ok
    watch.check()


def _wait_for_chart(page, name: str) -> None:
    if name == "indicator":  # drawn at build time: there at once
        page.wait_for_selector(".ck-chart--static svg.ck-svg:visible", timeout=5_000)
    elif name in ("survey", "map"):  # drawn with plotly.js when the page opens
        page.wait_for_selector(".ck-chart svg.main-svg", timeout=15_000)


MAP = "#map-GX-02"


def _map_fills(page) -> list[str]:
    page.wait_for_selector(f"{MAP} svg.main-svg path.js-fill", timeout=15_000)
    return page.eval_on_selector_all(f"{MAP} path.js-fill", "els => els.map(e => e.style.fill)")


def test_map_draws_on_direct_open_with_one_filled_shape_per_area(open_page, served: Served) -> None:
    page, watch = open_page(PHONE)
    page.goto(served.base + PAGES["map"], wait_until="networkidle")
    assert len(_map_fills(page)) == 5
    assert "70.2–74.2%（不含）" in page.inner_text(".ck-map-legend")
    watch.check()


def test_map_draws_after_navigating_from_the_home_page_to_an_area_and_its_indicator(
        open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base, wait_until="networkidle")
    page.click("article a[href='areas/nanhe/']")  # one tap from the home page
    page.wait_for_url("**/areas/nanhe/")
    assert page.inner_text("h1") == "南河区"
    page.click("text=GX-02 15分钟社区生活圈覆盖率")
    page.wait_for_url("**/indicators/GX-02/")
    assert len(_map_fills(page)) == 5
    watch.check()


def test_selecting_a_year_recolours_the_map(open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base + PAGES["map"], wait_until="networkidle")
    latest = _map_fills(page)
    page.select_option("select.ck-map-year", "2020")
    page.wait_for_function(f"document.querySelector('{MAP}').getAttribute('data-year') === '2020'")
    earlier = _map_fills(page)
    assert earlier != latest
    assert page.inner_text("#map-year-GX-02") == "2020"
    page.select_option("select.ck-map-year", "2023")
    page.wait_for_function(f"document.querySelector('{MAP}').getAttribute('data-year') === '2023'")
    assert _map_fills(page) == latest
    watch.check()


def test_overview_map_links_every_area(open_page, served: Served) -> None:
    page, watch = open_page(PHONE)
    page.goto(served.base + PAGES["areas"], wait_until="networkidle")
    hrefs = page.eval_on_selector_all(".ck-overview-map svg a", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(hrefs) == ["beicheng/", "donghu/", "gaoxin/", "nanhe/", "xishan/"]
    page.click(".ck-overview-map svg a[href='gaoxin/'] path")
    page.wait_for_url("**/areas/gaoxin/")
    watch.check()


def test_indicator_filter_narrows_the_table(open_page, served: Served) -> None:
    page, watch = open_page(PHONE)
    page.goto(served.base + "indicators/", wait_until="networkidle")
    total = page.locator("#ck-indicators tbody tr").count()
    page.fill("form.ck-filter input[type=search]", "养老")
    visible = page.locator("#ck-indicators tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("养老" in row for row in visible.all_inner_texts())
    assert page.inner_text(".ck-filter__count") == f"显示 {visible.count()} / {total} 项"
    page.fill("form.ck-filter input[type=search]", "")
    page.select_option("select[name=status]", "已达标")
    assert all("已达标" in row for row in visible.all_inner_texts())
    watch.check()


@pytest.mark.parametrize("query", ["满意度", "养老"])
def test_chinese_search_finds_pages(open_page, served: Served, query: str) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base, wait_until="networkidle")
    box = "input[data-md-component=search-query]"  # on a desktop the box is in the header
    results = page.locator(".md-search-result__item")
    page.click(box)
    page.fill(box, query)
    page.press(box, "End")  # the theme reads the query on keyup; typing Chinese through an IME ends with one
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0, page.inner_text(".md-search-result__meta")
    assert query in results.first.inner_text()
    watch.check()


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_21_aa_violation(open_page, served: Served, name: str, width: str) -> None:
    axe = _axe_script()
    # axe is added as an inline script, which the page's own policy rightly refuses
    page, watch = open_page(PHONE if width == "phone" else DESKTOP, bypass_csp=True)
    page.goto(served.base + PAGES[name], wait_until="networkidle")
    _wait_for_chart(page, name)
    page.add_script_tag(content=axe)
    result = page.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": WCAG}})
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
    watch.check()


def test_page_weights_are_recorded(open_page, served: Served) -> None:
    """Measure what a first visit to the home page transfers, and what one more page adds.

    The local server sends files uncompressed; the gzip figure is what a server that
    compresses (as any production one does) would send for the same files.
    """
    page, watch = open_page(PHONE, intercept=False)
    page.goto(served.base, wait_until="networkidle")
    home = _weigh(watch.responses, served.base)  # bodies must be read before the next navigation
    first = len(watch.responses)
    page.goto(served.base + "indicators/CX-01/", wait_until="networkidle")
    page.wait_for_selector(".ck-chart--static svg.ck-svg:visible", timeout=15_000)
    page.wait_for_load_state("networkidle")
    report = {"home_first_visit": home, "next_page_indicator": _weigh(watch.responses[first:], served.base)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "weights.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    assert report["home_first_visit"]["gzip_bytes"] < 400_000
    assert not any("plotly" in url for url in report["home_first_visit"]["files"]), \
        "the home page has no chart and must not load plotly.js"
    assert not any("plotly" in url for url in report["next_page_indicator"]["files"]), \
        "an indicator page shows its chart as SVG: plotly.js waits until the reader asks for it"
    watch.check()


@pytest.fixture(scope="module")
def unmapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The published example site without the areas' boundaries: the same pages, no maps."""
    root = tmp_path_factory.mktemp("unmapped")
    data = copy_published(root / "data")
    for edition in data.iterdir():
        (edition / "manifest.json").unlink(missing_ok=True)
        if (edition / "areas.geojson").exists():  # and the correction that added it, which links it
            (edition / "areas.geojson").unlink()
            log = edition / "corrections.yaml"
            text = log.read_text(encoding="utf-8")
            log.write_text(text[:text.index("  - date: \"2026-11-27\"")], encoding="utf-8")
        meta = edition / "edition.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                        encoding="utf-8")
    build_site(data, root / "site", preview=True)
    yield from _serve(root / "site")


def test_page_weight_with_and_without_a_map_is_recorded(open_page, served: Served, unmapped: Served) -> None:
    """Weigh an indicator page with a map, opened after the home page, and the same page without one."""
    report = {}
    for label, root in (("with_map", served), ("without_map", unmapped)):
        page, watch = open_page(PHONE, root, intercept=False)
        page.goto(root.base, wait_until="networkidle")
        first = len(watch.responses)
        page.goto(root.base + PAGES["map"], wait_until="networkidle")
        # The map is drawn with plotly.js when the page opens; without it the page needs no plotly.js.
        page.wait_for_selector(".ck-chart svg.main-svg" if root is served else ".ck-chart--static svg.ck-svg:visible",
                               timeout=15_000)
        page.wait_for_load_state("networkidle")
        weight = _weigh(watch.responses[first:], root.base)
        weight["page_bytes"] = weight["files"][PAGES["map"]]  # the search index may or may not load meanwhile
        weight["page_gzip_bytes"] = len(gzip.compress(page.content().encode()))
        weight["maps_drawn"] = page.locator(".ck-chart[id^=map-]").count()
        report[label] = weight
        watch.check()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "map-weights.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    assert (report["with_map"]["maps_drawn"], report["without_map"]["maps_drawn"]) == (1, 0)
    assert report["with_map"]["page_bytes"] < report["without_map"]["page_bytes"] + 20_000, \
        "a map drawn from the shipped boundaries must weigh less than a small image"


def _weigh(responses: list, base: str) -> dict[str, object]:
    """Sum the bodies that crossed the network (a file from the browser's cache sends none)."""
    files = {}
    gzipped = 0
    for response in responses:
        sent = response.request.sizes()["responseBodySize"]
        if sent > 0:
            files[response.url.removeprefix(base) or "/"] = sent
            gzipped += len(gzip.compress(response.body()))
    return {"requests": len(responses), "bytes": sum(files.values()), "gzip_bytes": gzipped, "files": files}


# -- hostile data, in a real browser -------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The published example editions, as drafts whose names try to run script."""
    root = tmp_path_factory.mktemp("hostile-browser")
    data = copy_published(root / "data")
    for edition in data.iterdir():
        (edition / "manifest.json").unlink(missing_ok=True)
        meta = edition / "edition.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                        encoding="utf-8")
    target = data / str(LATEST_PUBLISHED) / "indicators" / "GX-04.yaml"
    evil = json.dumps("<img src=x onerror=alert(1)><script>alert(2)</script>", ensure_ascii=False)
    target.write_text(target.read_text(encoding="utf-8").replace("name: 每千名老年人养老床位数", f"name: {evil}"),
                      encoding="utf-8")
    meta = data / str(LATEST_PUBLISHED) / "edition.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("city: 示例市", f"city: {evil}"), encoding="utf-8")
    build_site(data, root / "site", preview=True)  # the editions are drafts again
    yield from _serve(root / "site")


@pytest.mark.parametrize("path", ["", "indicators/", "indicators/GX-04/"])
def test_hostile_names_run_nothing_in_the_browser(open_page, hostile: Served, path: str) -> None:
    page, watch = open_page(DESKTOP, hostile)
    page.goto(hostile.base + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert page.locator("img[src=x]").count() == 0
    watch.check()
    if path == "indicators/GX-04/":
        assert "<script>alert(2)</script>" in page.inner_text("h1")


# -- tables on a phone and a desktop ---------------------------------------------------------------
LIST_PAGES = ["", "indicators/", "tasks/", "problems/", "changes/", "corrections/", "survey/",
              "indicators/GX-02/", "departments/ZJW/", "archive/", "downloads/"]


def _found_on_each(open_page, served: Served, width: str, paths: list[str], look) -> dict[str, object]:
    """Open each page at a phone's or a desktop's width; keep what `look(page)` finds there, by page."""
    page, watch = open_page(PHONE if width == "phone" else DESKTOP)
    found = {}
    for path in paths:
        page.goto(served.base + path, wait_until="networkidle")
        seen = look(page)
        if seen:
            found[path] = seen
    watch.check()
    return found


def _tables_scrolled_sideways(page) -> list[str]:
    page.wait_for_timeout(50)  # the table layout runs after the theme has wrapped the tables
    return page.evaluate("""() => Array.from(document.querySelectorAll('article .md-typeset__scrollwrap'))
        .filter(box => box.scrollWidth > box.clientWidth + 1)
        .map(box => box.querySelector('th') ? box.querySelector('th').textContent : '?')""")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_no_table_hides_a_column_behind_a_sideways_scroll(open_page, served: Served, width: str) -> None:
    assert _found_on_each(open_page, served, width, LIST_PAGES, _tables_scrolled_sideways) == {}


@pytest.mark.parametrize(("path", "facet"), [("tasks/", "pace"), ("tasks/", "dept"), ("tasks/", "section"),
                                              ("problems/", "state"), ("problems/", "dept")])
def test_record_filter_shows_only_the_chosen_records(open_page, served: Served, path: str, facet: str) -> None:
    page, watch = open_page(PHONE)
    page.goto(served.base + path, wait_until="networkidle")
    records = page.locator(".ck-record")
    total = records.count()
    select = page.locator(f"select[data-facet={facet}]")
    choice = select.locator("option").nth(1).get_attribute("value")
    select.select_option(choice)
    shown = page.locator(".ck-record:not([hidden])")
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert choice in shown.nth(i).get_attribute(f"data-f-{facet}").split("|")
    assert page.inner_text(".ck-filter__count").startswith(f"本页显示 {shown.count()} / {total} 项")
    watch.check()


def test_record_lists_read_whole_without_the_script(browser, served: Served) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(served.base + "tasks/")
    assert page.locator("form.ck-filter--records").is_hidden()
    assert page.locator(".ck-record").first.is_visible()
    context.close()


def _search(page, query: str) -> list[str]:
    box = "input[data-md-component=search-query]"
    page.click(box)
    page.fill(box, query)
    page.press(box, "End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
    return [h.split("#", 1)[0].split("?", 1)[0] for h in hrefs]  # without the highlight query


@pytest.mark.parametrize("query", ["电梯", "停车", "加装电梯"])
def test_search_finds_every_page_that_names_a_word_inside_a_compound(open_page, served: Served, query: str) -> None:
    index = json.loads((served.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    naming = {served.base + e["location"].split("#", 1)[0] for e in index["docs"]
              if query in (e["title"] + e["text"]).replace("\u200b", "")}
    page, watch = open_page(DESKTOP)
    page.goto(served.base, wait_until="networkidle")
    found = _search(page, query)
    assert naming and naming <= set(found)
    watch.check()


def test_search_ranks_results_pages_above_clerk_reference_pages(open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base, wait_until="networkidle")
    found = _search(page, "电梯")
    clerk = [i for i, url in enumerate(found) if "/reference/" in url or "/guide/" in url]
    results = [i for i, url in enumerate(found) if not ("/reference/" in url or "/guide/" in url)]
    assert clerk and results and max(results) < min(clerk)
    watch.check()


def _tooltip(page, term) -> str:
    return page.evaluate("el => getComputedStyle(el, '::after').content", term.element_handle())


def test_glossary_terms_explain_themselves_on_hover(open_page, served: Served) -> None:
    page, watch = open_page(DESKTOP)
    page.goto(served.base + "tasks/", wait_until="networkidle")
    term = page.locator("article abbr", has_text="序时进度").first
    assert _tooltip(page, term) in ("none", "normal")
    term.hover()
    assert "实施期已经过去的年数" in _tooltip(page, term)
    watch.check()


def test_glossary_terms_explain_themselves_on_tap(browser, served: Served) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(served.base + "problems/", wait_until="networkidle")
    term = page.locator("article abbr", has_text="回头看").first
    term.tap()
    assert "上一年发现的问题" in _tooltip(page, term)
    box, screen = term.bounding_box(), page.viewport_size
    assert box["x"] + box["width"] <= screen["width"]
    context.close()


def test_glossary_page_defines_every_term(open_page, served: Served) -> None:
    from checkup.site.glossary import GLOSSARY

    page, watch = open_page(PHONE)
    page.goto(served.base + "glossary/", wait_until="networkidle")
    body = page.inner_text("article")
    for term, definition in GLOSSARY.items():
        assert term in body and definition in body, term
    watch.check()
# -- the security policy -------------------------------------------------------------------------------
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


@pytest.mark.parametrize("path", ["", "indicators/CX-01/", "search"])
def test_pages_run_under_their_security_policy_without_a_violation(open_page, served: Served, path: str) -> None:
    page, watch = open_page(DESKTOP)
    page.add_init_script(_RECORD_VIOLATIONS)
    page.goto(served.base + ("" if path == "search" else path), wait_until="networkidle")
    policy = page.locator("meta[http-equiv=Content-Security-Policy]")
    assert policy.count() == 1 and "script-src 'self' 'sha256-" in policy.get_attribute("content")
    if path == "search":
        box = "input[data-md-component=search-query]"
        page.click(box)
        page.fill(box, "养老")
        page.press(box, "End")  # the theme reads the query on keyup
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    elif path:  # the chart is drawn at build time; plotly.js runs once the reader asks for it
        page.click("button.ck-chart-interact")
        page.wait_for_selector(".ck-chart svg.main-svg", timeout=15_000)
    assert page.evaluate("window.__cspViolations") == []
    assert not [m for m in watch.errors if "Content Security Policy" in m]
    assert all(r.url.startswith(served.base) or r.url.startswith("data:") for r in watch.responses)
    watch.check()


def test_an_injected_inline_script_is_refused_by_the_policy(open_page, served: Served, tmp_path: Path) -> None:
    page_file = served.root / "index.html"
    original = page_file.read_text(encoding="utf-8")
    page_file.write_text(original.replace("</body>", "<script>document.title='pwned'</script></body>"),
                         encoding="utf-8")
    try:
        page, watch = open_page(DESKTOP)
        page.add_init_script(_RECORD_VIOLATIONS)
        page.goto(served.base, wait_until="networkidle")
        assert page.title() != "pwned"
        assert any(v.startswith("script-src") for v in page.evaluate("window.__cspViolations"))
    finally:
        page_file.write_text(original, encoding="utf-8")


# -- words a reader understands ------------------------------------------------------------------
# Public pages of every kind, as a reader reaches them from the menu.
READER_PAGES = ["", "indicators/", "indicators/GX-02/", "tasks/", "problems/", "survey/", "areas/", "areas/nanhe/",
                "changes/", "corrections/", "downloads/", "glossary/", "methods/"]
# What may stand in Latin letters on a Chinese page, and why:
ALLOWED_ASCII = [
    r"[A-Z]{2,3}(?:-\d+)+",  # record numbers a clerk cites: GX-02, RW-070, WT-2021-01
    r"[A-Z][A-Z0-9.]*(?:-[A-Z0-9.]+)*",  # abbreviations read as letters: CSV, XLSX, SVG, JSON, CIM, PM2.5, CC-BY-4.0
    r"[\w./-]+\.(?:csv|svg|json|geojson|xlsx|yaml|pdf)",  # the name of a file to download or cite
    r"data/[\w./*-]*",  # where the page's data files are, in its 本页数据 line
    r"[A-Z]+/[A-Z]",  # the prefix of a standard's number: TD/T 1063-2021, GB/T
    r"km|m|kg|ha|t",  # units of measure
    r"Frictionless|Excel",  # names of the tools a journalist opens the downloads with
]
ASCII_WORD = re.compile(r"[A-Za-z0-9_./*+-]*[A-Za-z][A-Za-z0-9_./*+-]*")
URL = re.compile(r"https?://\S+")


def identifiers_in(text: str) -> list[str]:
    """Return the Latin-letter tokens of a text that are not on the allow-list."""
    allowed = re.compile("|".join(f"(?:{a})" for a in ALLOWED_ASCII))
    words = (w.strip(".") for w in ASCII_WORD.findall(URL.sub(" ", text)))
    return [w for w in words if not allowed.fullmatch(w)]


@pytest.mark.parametrize(("text", "found"), [
    ("GX-02 15分钟社区生活圈覆盖率 on_track", ["on_track"]),
    ("区域 beicheng 北城区；lower_is_better", ["beicheng", "lower_is_better"]),
    ("下载 CSV、XLSX 和 datapackage.json；RW-070；12 km；CC-BY-4.0", []),
    ("见 https://creativecommons.org/licenses/by/4.0/ 。", []),
    ("满意度调查 convenience", ["convenience"]),
    ("本页数据：data/2023/indicators/GX-02.yaml、data/2023/tasks/*.yaml；GDP能耗；TD/T 1063-2021", []),
    ("写在 scripts/checkup/site/glossary.py 中", ["scripts/checkup/site/glossary.py"]),
])
def test_the_identifier_scan_finds_what_it_looks_for(text: str, found: list[str]) -> None:
    assert identifiers_in(text) == found


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_no_ascii_identifier_is_visible_in_the_main_content(open_page, served: Served, width: str) -> None:
    found = _found_on_each(open_page, served, width, READER_PAGES,
                           lambda page: sorted(set(identifiers_in(page.inner_text("article")))))
    assert found == {}
