"""The public site built from the example data, read as files: pages, figures, escaping, downloads, failures."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from checkup import paths
from checkup.assess import STATUS_LABELS, assess_edition
from checkup.check.validate import check_data
from checkup.cli import main
from checkup.site.build import build_site
from checkup.site.csp import PLACEHOLDER, inline_script_hashes
from checkup.site.markup import text
from checkup.site.render import GOLDEN_PAGES, SITE_INFO, BuildError, render_docs
from editionyears import LATEST_PUBLISHED, copy_published, draft_years, latest_published, published_years

GOLDEN_DIR = Path(__file__).parent / "golden"
PAGE_LIMIT = 100 * 1024
HOSTILE = {
    "script": "<script>alert('x')</script>",
    "img": "<img src=x onerror=alert(1)>",
    "markdown": "**粗体** [点我](javascript:alert(1)) | 竖线 | `代码` {#id}",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once for the module."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(paths.DATA_DIR, out)
    return out


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site's rendered Markdown."""
    out = tmp_path_factory.mktemp("docs")
    render_docs(paths.DATA_DIR, out)
    return out


@pytest.fixture(scope="module")
def latest():
    """The latest published edition, the public site's home, with its assessment."""
    edition = latest_published(check_data(paths.DATA_DIR).editions)
    return edition, assess_edition(edition)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# -- the pages that matter ----------------------------------------------------------------------
@pytest.mark.parametrize("rel", [
    "index.html", "indicators/index.html", "indicators/CX-01/index.html", "tasks/index.html",
    "problems/index.html", "survey/index.html", "departments/index.html", "departments/ZJW/index.html",
    "planners/index.html", "archive/index.html", "archive/2022/index.html", "archive/2021/tasks/index.html",
    "changes/index.html", "corrections/index.html", "archive/2022/corrections/index.html",
    "downloads/index.html", "downloads/2023/index.html", "methods/index.html", "sources/index.html",
    "about/index.html", "reference/fields/index.html", "reference/codes/index.html", "guide/index.html",
    "assets/plotly-basic.min.js", "assets/checkup.js", "assets/checkup.css", "search/search_index.json",
    "data/2023/indicators/CX-01.yaml",
])
def test_the_pages_that_matter_exist(site: Path, rel: str) -> None:
    assert (site / rel).is_file()


def test_home_page_counts_of_each_status_equal_the_assessment(site: Path, latest) -> None:
    _, assessment = latest
    page = read(site, "index.html")
    for status, count in assessment.status_counts().items():
        cell = re.search(rf'ck-badge--{status}">{STATUS_LABELS[status]}</span></td>\s*<td[^>]*>(\d+)</td>', page)
        assert cell, status
        assert int(cell.group(1)) == count, status
    words = re.sub(r"<[^>]+>", "", page)  # glossary terms are wrapped in <abbr>
    assert f"未按期完成 {len(assessment.overdue())} 项，预警 {len(assessment.warnings())} 项" in words
    assert f"未按期完成任务 {len(assessment.overdue())} 项" in words
    summary = assessment.problem_summary
    assert f"已解决 {summary.resolved} 个" in page
    assert f"{assessment.survey.overall.score:.1f}" in page


def test_indicator_page_charts_the_same_values_it_tabulates(site: Path, latest) -> None:
    edition, assessment = latest
    indicator = edition.indicators["CX-01"]
    page = read(site, "indicators/CX-01/index.html")
    spec = json.loads(re.search(r'<script type="application/json" class="ck-chart-spec"[^>]*>(.*?)</script>',
                                page, re.S).group(1))
    actual = spec["data"][0]
    series = {indicator.base_year: indicator.base_value, **indicator.values}
    assert dict(zip(actual["x"], actual["y"], strict=True)) == series
    for year, value in series.items():
        assert re.search(rf"<td[^>]*>{year}</td><td[^>]*>{value:g}%</td>", page), year
    assert assessment.indicators["CX-01"].label() in page
    assert 'href="../../data/2023/indicators/CX-01.yaml"' in page
    assert "2.38%</strong>（修订）" in page  # the 2022 value revised by the 2023 edition


def test_indicator_list_links_every_indicator_and_has_a_filter(site: Path, latest) -> None:
    edition, _ = latest
    page = read(site, "indicators/index.html")
    assert '<form class="ck-filter"' in page
    for ind_id in edition.indicators:
        assert f'href="{ind_id}/"' in page, ind_id


def test_tasks_page_shows_every_warning(site: Path, latest) -> None:
    _, assessment = latest
    text = "".join(read(site, p.relative_to(site).as_posix()) for p in site.glob("tasks*/index.html"))
    for task_id in assessment.warnings():
        block = text[text.index(f'id="{task_id.lower()}"'):][:600]
        assert "ck-badge--warning" in block, task_id


def test_survey_page_gives_each_dimension_with_its_interval(site: Path, latest) -> None:
    _, assessment = latest
    page = read(site, "survey/index.html")
    for dim in assessment.survey.dimensions:
        assert re.search(rf"{dim.score.score:.1f}</td>\s*<td[^>]*>{dim.score.low:.1f}–{dim.score.high:.1f}", page), dim.name
    assert page.count('class="ck-chart-spec"') >= 2  # dimensions and at least one composition


def test_every_page_says_example_data_and_names_its_edition(site: Path) -> None:
    for page in all_pages(site):
        body = page.read_text(encoding="utf-8")
        if "http-equiv=\"refresh\"" in body:
            continue  # redirect stubs
        assert 'class="ck-example"' in body, page
        assert "2023 年度版" in body, page


def test_every_generated_page_names_its_data_files(docs: Path) -> None:
    info = json.loads((docs / SITE_INFO).read_text(encoding="utf-8"))
    assert info["extra"]["example"] is True
    for page in docs.rglob("*.md"):
        rel = page.relative_to(docs).as_posix()
        if rel.startswith(("guide/", "about")):
            continue  # hand-written pages; the footer names the edition
        assert "## 本页数据" in page.read_text(encoding="utf-8"), rel


def test_each_indicator_page_header_names_that_page(site: Path, latest) -> None:
    topic = re.compile(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)
    for ind_id, indicator in latest[0].indicators.items():
        html = (site / "indicators" / ind_id / "index.html").read_text(encoding="utf-8")
        assert topic.findall(html) == [f"{ind_id} {indicator.name}"], ind_id
        assert f"<title>{ind_id} {indicator.name} - " in html


def test_no_page_is_larger_than_100_kb(site: Path) -> None:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in all_pages(site)}
    assert max(sizes.values()) < PAGE_LIMIT, max(sizes, key=sizes.get)


def test_no_asset_is_requested_from_another_host(site: Path) -> None:
    # rel="canonical" names the page's published address (site_url); a browser fetches nothing for it.
    asset = re.compile(r'<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc="(?:https?:)?//'
                       r'|<link\b(?![^>]*\brel="canonical")[^>]*\bhref="(?:https?:)?//|url\(\s*["\']?(?:https?:)?//', re.I)
    for path in [*all_pages(site), *site.rglob("*.css")]:
        found = asset.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(site)}: {found and found.group(0)}"


# -- downloads ---------------------------------------------------------------------------------
def test_checksums_cover_every_download_and_match(site: Path) -> None:
    folder = site / "downloads" / "2023"
    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    files = {p.name for p in folder.iterdir() if p.is_file() and p.name not in ("SHA256SUMS", "index.html")}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_datapackage_describes_every_csv_with_its_fields(site: Path, latest) -> None:
    edition, _ = latest
    folder = site / "downloads" / "2023"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        body = (folder / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
    rows = list(csv.DictReader(io.StringIO((folder / "indicators.csv").read_text(encoding="utf-8-sig"))))
    assert {r["编号"] for r in rows} == set(edition.indicators)
    with zipfile.ZipFile(folder / "checkup-2023.xlsx") as book:
        assert "xl/workbook.xml" in book.namelist()
    whole = json.loads((folder / "checkup-2023.json").read_text(encoding="utf-8"))
    assert set(whole["edition"]["indicators"]) == set(edition.indicators)


def test_downloads_are_the_same_bytes_on_every_render(tmp_path: Path, docs: Path) -> None:
    render_docs(paths.DATA_DIR, tmp_path / "again")
    for name in ("checkup-2023.xlsx", "SHA256SUMS", "checkup-2023.json"):
        rel = f"downloads/2023/{name}"
        assert (tmp_path / "again" / rel).read_bytes() == (docs / rel).read_bytes(), name


# -- rendering ----------------------------------------------------------------------------------
def test_rendering_unchanged_data_rewrites_nothing(tmp_path: Path) -> None:
    first = render_docs(paths.DATA_DIR, tmp_path)
    (tmp_path / "stale.md").write_text("# 旧页面\n", encoding="utf-8")
    second = render_docs(paths.DATA_DIR, tmp_path)
    assert first.written == first.files
    assert (second.written, second.removed) == (0, 1)
    assert not (tmp_path / "stale.md").exists()


@pytest.mark.parametrize("rel", GOLDEN_PAGES)
def test_generated_page_matches_its_golden_copy(docs: Path, rel: str) -> None:
    expected = (GOLDEN_DIR / rel).read_text(encoding="utf-8")
    assert (docs / rel).read_text(encoding="utf-8") == expected, (
        f"{rel} changed; if the change is intended, run `make golden` and review the diff")


# -- escaping ----------------------------------------------------------------------------------------
SITE_MARKDOWN = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "admonition", "toc"])


@pytest.mark.parametrize(("raw", "escaped"), [
    ("<script>", "&lt;script&gt;"),
    ("**粗**", "&#42;&#42;粗&#42;&#42;"),
    ("[点](javascript:x)", "&#91;点&#93;(javascript:x)"),
    ("甲|乙", "甲&#124;乙"),
    ("# 标题", "&#35; 标题"),
    ("- 项", "&#45; 项"),
    ("---", "&#45;--"),
    ("1. 项", "&#49;. 项"),
    ("2021年", "2021年"),
    ("第一行\n第二行", "第一行<br>第二行"),
    ("  ", "—"),
    (None, "—"),
])
def test_data_text_is_escaped_for_markdown_and_html(raw: str | None, escaped: str) -> None:
    assert text(raw) == escaped


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"ab中文 <>&\"'\\`*_[]{}()|~^=$!#:+-.1/", "\n"]), min_size=1, max_size=25))
def test_any_data_text_renders_as_exactly_that_text(raw: str) -> None:
    if not raw.strip():
        return
    SITE_MARKDOWN.reset()
    out = SITE_MARKDOWN.convert(text(raw))
    assert out.startswith("<p>") and out.endswith("</p>"), out
    inner = out[3:-4].replace("<br />", "\n").replace("<br>", "\n")
    assert "<" not in inner, out
    assert html.unescape(inner) == raw.strip()


# -- hostile data --------------------------------------------------------------------------------
def _unfreeze(data: Path) -> None:
    """Turn the published editions back into drafts, so a test may edit their files."""
    for edition in data.iterdir():
        if (edition / "manifest.json").exists():
            (edition / "manifest.json").unlink()
        meta = edition / "edition.yaml"
        if meta.exists():
            meta.write_text(meta.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                            encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published example editions, as drafts whose names and texts try to inject HTML and Markdown."""
    root = tmp_path_factory.mktemp("hostile")
    data = copy_published(root / "data")
    _unfreeze(data)
    y = data / str(LATEST_PUBLISHED)
    quoted = {k: json.dumps(v, ensure_ascii=False) for k, v in HOSTILE.items()}
    _replace(y / "indicators" / "GX-04.yaml", "name: 每千名老年人养老床位数", f"name: {quoted['script']}")
    _replace(y / "indicators" / "GX-04.yaml", "unit: 张", f"unit: {quoted['img']}")
    _replace(y / "indicators" / "GX-04.yaml", "data_source: 市民政局养老服务统计", f"data_source: {quoted['markdown']}")
    _replace(y / "tasks" / "RW-034.yaml", "title: 推进平房院落申请式改善", f"title: {quoted['img']}")
    _replace(y / "departments.yaml", "short_name: 市住建委", f"short_name: {quoted['script']}")
    _replace(y / "edition.yaml", "city: 示例市", f"city: {quoted['img']}")
    _replace(y / "survey.yaml", "name: 城市安全性", f"name: {quoted['script']}")
    site = root / "site"
    build_site(data, site, preview=True)  # the editions are drafts again
    return site


class _LiveMarkup(HTMLParser):
    """Collect what a browser would run or load from a page: handlers, scripts, javascript: links, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        # a <script type="application/json"> is data a browser never runs
        self._in_script = tag == "script" and dict(attrs).get("type", "text/javascript") in ("text/javascript", "module")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def test_hostile_names_show_as_text_and_run_nothing(hostile_site: Path) -> None:
    for page in all_pages(hostile_site):
        parser = _LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page.relative_to(hostile_site)
    indicator = read(hostile_site, "indicators/GX-04/index.html")
    assert "&lt;script&gt;" in indicator  # the name, shown as typed
    assert "**粗体**" in html.unescape(re.sub(r"<[^>]+>", "", indicator))  # shown as typed, not bold


def test_every_page_of_a_preview_says_it_holds_drafts_and_asks_not_to_be_indexed(hostile_site: Path) -> None:
    years = "、".join(str(year) for year in published_years())  # all made drafts again by the fixture
    banner = f"草稿预览：本站含未发布的 {years} 年度草稿数据，仅供内部审阅，不得公开发布或引用。"
    for page in all_pages(hostile_site):
        body = page.read_text(encoding="utf-8")
        assert banner in body, page.relative_to(hostile_site)
        assert '<meta name="robots" content="noindex, nofollow">' in body


def test_no_page_of_the_public_site_says_it_is_a_preview(site: Path) -> None:
    for page in all_pages(site):
        body = page.read_text(encoding="utf-8")
        assert "草稿预览" not in body and "noindex" not in body, page.relative_to(site)


def test_the_example_drafts_have_no_page_download_data_file_or_word_on_the_public_site(site: Path) -> None:
    drafts = draft_years()
    editions = check_data(paths.DATA_DIR).editions
    titles = [editions[year].title for year in drafts]
    for year in drafts:
        assert [p for p in site.rglob("*") if str(year) in p.relative_to(site).as_posix()] == [], year
    for page in [*all_pages(site), *site.rglob("*.json"), *site.rglob("*.xml")]:
        body = page.read_text(encoding="utf-8")
        for year, title in zip(drafts, titles, strict=True):
            # the clerk's guide writes data/2024/... as an example path; a link or a listed address is what counts
            assert not re.search(rf'(href="|src="|<loc>)[^"<]*(archive|downloads|data)/{year}/', body), \
                (page.relative_to(site), year)
            assert title not in body, page.relative_to(site)
        assert "年内进展（截至" not in body and "svg-path-" not in body, page.relative_to(site)  # a draft's in-year report


def test_every_page_carries_a_policy_that_allows_exactly_its_own_inline_scripts(site: Path) -> None:
    for page in [*all_pages(site)]:
        body = page.read_text(encoding="utf-8")
        policy = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', body)
        assert len(policy) == 1, page.relative_to(site)
        assert body.index("Content-Security-Policy") < body.index("<script"), "the policy must come first"
        assert PLACEHOLDER not in policy[0]
        hashes = re.findall(r"'sha256-[^']+'", policy[0])
        assert hashes == inline_script_hashes(body) and hashes, page.relative_to(site)
        assert "http" not in policy[0] and "*" not in policy[0]  # no other host, no wildcard


@pytest.mark.parametrize(("html", "hashed"), [
    ("<script>a()</script>", ["'sha256-" + base64.b64encode(hashlib.sha256(b"a()").digest()).decode() + "'"]),
    ('<script src="x.js"></script>', []),
    ('<script type="application/json">{"a": 1}</script>', []),
    ('<script type="module">b()</script><script>b()</script>',
     ["'sha256-" + base64.b64encode(hashlib.sha256(b"b()").digest()).decode() + "'"]),
])
def test_only_inline_scripts_a_browser_runs_are_hashed(html: str, hashed: list[str]) -> None:
    assert inline_script_hashes(html) == hashed


def test_hostile_chart_labels_are_inert_json(hostile_site: Path) -> None:
    survey = read(hostile_site, "survey/index.html")
    for spec in re.findall(r'class="ck-chart-spec"[^>]*>(.*?)</script>', survey, re.S):
        assert "<" not in spec
        json.loads(spec)


# -- failures -----------------------------------------------------------------------------------
def test_bad_data_leave_the_last_good_site_in_place(tmp_path: Path, site: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = (out / "index.html").read_bytes()
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    _unfreeze(data)
    (data / "2023" / "indicators" / "LS-03.yaml").write_text("id: LS-03\nname: [不完整\n", encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(data, out)
    assert any(f.file.endswith("LS-03.yaml") for f in failure.value.findings)
    assert (out / "index.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]  # no temporary folders left


def test_an_engine_failure_leaves_the_last_good_site_in_place(tmp_path: Path, site: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = (out / "index.html").read_bytes()
    broken = paths.ROOT / "mkdocs.yml"
    config = tmp_path / "mkdocs.yml"
    config.write_text(broken.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")
    with pytest.raises(BuildError, match="mkdocs 构建失败"):
        build_site(paths.DATA_DIR, out, config_file=config)
    assert (out / "index.html").read_bytes() == before


@pytest.mark.parametrize(("link", "named"), [
    ("../no-such-page.md", "no-such-page.md"),
    ("../about.md#no-such-section", "no-such-section"),
])
def test_a_broken_link_in_a_hand_written_table_fails_the_build(tmp_path: Path, link: str, named: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(paths.CONTENT_DIR, content)
    (content / "guide" / "links.md").write_text(  # a table of plain cells: kept out of Markdown's tree
        f"# 链接\n\n| 页面 | 说明 |\n| --- | --- |\n| [关于](../about.md) | 有效 |\n| [另一页]({link}) | 无效 |\n",
        encoding="utf-8")
    with pytest.raises(BuildError, match=named):
        build_site(paths.DATA_DIR, tmp_path / "site", content_dir=content)


def test_checkup_build_reports_bad_data_and_exits_1(tmp_path: Path, site: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    _unfreeze(data)
    (data / "2023" / "indicators" / "LS-03.yaml").write_text("id: LS-03\n", encoding="utf-8")
    out = tmp_path / "site"
    shutil.copytree(site, out)
    result = CliRunner().invoke(main, ["build", str(data), "--site", str(out)])
    assert result.exit_code == 1
    assert "数据有" in result.output and "网站没有生成" in result.output
    assert "LS-03.yaml" in result.output
    assert "保留的是上一次成功构建的网站" in result.output
    assert (out / "index.html").exists()


def test_checkup_render_says_what_it_wrote(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(paths.DATA_DIR), "--docs", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"已生成 \d+ 个页面（共 \d+ 个文件，更新 \d+ 个，删除 0 个），位于 .+/。\n", result.output)


def test_mkdocs_builds_the_repository_strictly(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=paths.ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "out" / "index.html").exists()


# -- another engine -------------------------------------------------------------------------------
def test_zensical_builds_the_rendered_docs(tmp_path: Path, docs: Path) -> None:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if zensical is None:
        pytest.skip("zensical is not installed (pip install zensical)")
    project = tmp_path / "project"
    shutil.copytree(docs, project / "docs")
    info = json.loads((docs / SITE_INFO).read_text(encoding="utf-8"))
    config = {"site_name": "城市体检评估结果", "docs_dir": "docs", "site_dir": "site", "nav": info["nav"],
              "theme": {"name": "material", "language": "zh", "font": False},
              "extra_css": ["assets/checkup.css"], "extra_javascript": ["assets/checkup.js"],
              "markdown_extensions": ["tables", "attr_list", "md_in_html", "admonition", "toc"]}
    shutil.copytree(paths.OVERRIDES_DIR / "assets", project / "docs" / "assets")
    (project / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([zensical, "build"], cwd=project, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"zensical could not build the rendered docs: {(done.stdout + done.stderr)[-500:]}")
    assert (project / "site" / "index.html").exists()
    assert (project / "site" / "indicators" / "CX-01" / "index.html").exists()


# -- one number, one meaning ---------------------------------------------------------------------
def _contradictions(page: str, year: int) -> list[str]:
    """List the places where a status and a measure beside it say different things."""
    found = []
    badge = re.search(r'ck-badge--(\w+)"', page)
    completion = re.search(r"完成程度 ([\d.]+)%", page)
    if badge and completion:
        reached, complete = badge.group(1) == "reached", float(completion.group(1)) == 100.0
        if reached != complete:
            found.append(f"{badge.group(1)} beside 完成程度 {completion.group(1)}%")
    for line in (row for raw in page.splitlines() for row in raw.split("<tr>")):  # a table row is a line
        for end in re.findall(r"按目前速度到(\d{4})年末预计完成", line):
            if int(end) <= year:
                found.append(f"a forecast for {end}, over by {year}: {line[:80]}")
        if "ck-badge--overdue" in line and "ck-badge--warning" in line:
            found.append(f"overdue and warned: {line[:80]}")
        if "ck-badge--done" in line and "尚余" in line:
            found.append(f"done with some left: {line[:80]}")
        if "ck-badge--reached" in line and re.search(r"未达到|偏离|尚未", line):
            found.append(f"reached yet not: {line[:80]}")
    return found


def test_no_rendered_page_shows_a_status_beside_a_measure_that_contradicts_it(docs: Path) -> None:
    latest = LATEST_PUBLISHED  # the home of the public site
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 100
    problems = {}
    for page in pages:
        rel = page.relative_to(docs).as_posix()
        year = int(rel.split("/")[1]) if rel.startswith("archive/2") else latest
        found = _contradictions(page.read_text("utf-8"), year)
        if found:
            problems[rel] = found
    assert problems == {}


@pytest.mark.parametrize(("page", "year", "found"), [
    ('<span class="ck-badge ck-badge--reached">已达标</span> … 完成程度 50.5%', 2023,
     ["reached beside 完成程度 50.5%"]),
    ('<span class="ck-badge ck-badge--on_track">x</span> … 完成程度 100.0%', 2023,
     ["on_track beside 完成程度 100.0%"]),
    ("- 预警：按目前速度到2023年末预计完成23处", 2023, ["a forecast for 2023, over by 2023: - 预警：按目前速度到2023年末预计完成23处"]),
    ("- 预警：按目前速度到2024年末预计完成23处", 2023, []),
    ('<span class="ck-badge ck-badge--reached">已达标</span> 已达到目标', 2023, []),
])
def test_the_contradiction_walk_catches_what_it_looks_for(page: str, year: int, found: list[str]) -> None:
    assert _contradictions(page, year) == found


def test_the_xt01_page_shows_the_tolerance_that_makes_it_reached(docs: Path) -> None:
    page = (docs / "indicators/XT-01.md").read_text("utf-8")
    assert "ck-badge--reached" in page
    assert "达标条件 430–450万人（440±10）" in page
    assert "完成程度 100.0%" in page


def test_the_survey_page_has_one_headline_score_and_explains_the_official_one(docs: Path) -> None:
    page = (docs / "survey.md").read_text("utf-8")
    assert "总体满意度得分 **64.1** 分" in page
    assert "总体得分是全部题目得分的平均数（每题权重相同）" in page
    assert ("调查报告公布的总体得分为 64.1 分，与本站的 64.1 分一致（本站计算值为 64.12，"
            "相差 0.02 分，只是四舍五入的差别）。") in page
    assert "63.9 分" not in page and "**63.9**" not in page


def test_every_edition_has_a_methods_page_from_its_own_rules(docs: Path) -> None:
    for rel, year in (("methods.md", 2023), ("archive/2022/methods.md", 2022), ("archive/2021/methods.md", 2021)):
        page = (docs / rel).read_text("utf-8")
        assert f"{year}年度版本记录的评估规则（rules.yaml）" in page, rel
        assert f"data/{year}/rules.yaml" in page, rel
    archived = (docs / "archive/2022/tasks.md").read_text("utf-8")
    assert "评估规则见[方法说明](methods.md)" in archived  # its own edition's rules, not the latest
