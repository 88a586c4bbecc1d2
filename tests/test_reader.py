"""The public site as a resident, a journalist and a clerk read it: the year at a glance, plain words, re-usable data."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from checkup import paths
from checkup.check.validate import check_data
from checkup.site.build import build_site
from checkup.site.pages.home import year_moves
from checkup.site.sitedata import SiteData


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    build_site(paths.DATA_DIR, out)
    return out


@pytest.fixture(scope="module")
def data() -> SiteData:
    return SiteData.from_editions(check_data(paths.DATA_DIR).editions)


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
    warned = data.latest.assessment.warnings()
    page = read(site, "index.html")
    assert f"预警任务 {len(warned)} 项" in plain(first_screen(page))
    titles = [data.latest.edition.tasks[t].title for t in warned]
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
