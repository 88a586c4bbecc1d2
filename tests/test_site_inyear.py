"""In-year reports on the site: a task's quarterly path against the straight path, a draft's in-year warnings."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checkup.check.validate import check_data
from checkup.model import Edition, Indicator, PeriodProgress, Task
from checkup.periods import parse_period
from checkup.site.pages.home import home_page
from checkup.site.pages.inyear import task_path_chart
from checkup.site.pages.results import tasks_pages
from checkup.site.sitedata import SiteData

SVG = "{http://www.w3.org/2000/svg}"


def with_in_year(edition: Edition, status: str) -> Edition:
    """Turn the 2023 example into an edition half-way through 2023, with two quarters of reports."""
    one_year = {tid: t for tid, t in edition.tasks.items() if (t.period_start, t.period_end) == (2023, 2023)}
    tasks = dict(edition.tasks)
    for n, (tid, task) in enumerate(sorted(one_year.items())):
        quantity = task.target_quantity or 0
        q1 = quantity * (0.10 if n == 0 else 0.25)  # the first is slow in Q1 and catches up in Q2
        tasks[tid] = dataclasses.replace(task, progress=(), in_year=(
            PeriodProgress(parse_period("2023-Q1"), "in_progress", done=q1),
            PeriodProgress(parse_period("2023-Q2"), "in_progress", done=quantity * 0.5 - q1)))
    indicators = dict(edition.indicators)
    first: Indicator = next(iter(indicators.values()))
    indicators[first.id] = dataclasses.replace(first, frequency="monthly",
                                               in_year={parse_period("2023-05"): first.base_value})
    return dataclasses.replace(edition, status=status, tasks=tasks, indicators=indicators)


@pytest.fixture(scope="module")
def example(example_data: Path) -> Edition:
    return check_data(example_data).editions[2023]


def test_a_draft_home_page_shows_the_in_year_warnings_as_of_the_latest_period(example: Edition) -> None:
    site = SiteData.from_editions({2023: with_in_year(example, "draft")})
    markdown = home_page(site, site.latest).markdown
    assert "## 年内进展（截至2023年6月）" in markdown
    assert "**年内预警任务 1 项**" in markdown
    assert "2023年第一季度曾预警，2023年第二季度已解除" in markdown


def test_a_published_home_page_shows_no_in_year_section(example: Edition) -> None:
    site = SiteData.from_editions({2023: with_in_year(example, "published")})
    assert "年内进展" not in home_page(site, site.latest).markdown


def test_the_published_example_pages_carry_no_in_year_section(example: Edition) -> None:
    site = SiteData.from_editions({2023: example})
    assert "年内进展" not in home_page(site, site.latest).markdown
    assert all("年内进展" not in p.markdown for p in tasks_pages(site, site.latest))


def test_a_task_shows_its_quarterly_path_against_the_straight_path(example: Edition) -> None:
    edition = with_in_year(example, "draft")
    site = SiteData.from_editions({2023: edition})
    task: Task = edition.tasks["RW-064"]  # 2000 households in 2023: 200 in Q1, 800 more in Q2
    markdown = "\n".join(p.markdown for p in tasks_pages(site, site.latest))
    block = markdown[markdown.index(f"{task.number}. {task.title}"):]
    assert "| 报告期 | 截至 | 状态 | 本期完成量 | 累计完成量 | 按序时进度应完成 | 进度 |" in block
    assert "| 2023年第一季度 | 截至2023年3月 | 推进中 | 200户 | 200户 | 493户 |" in block
    assert "| 2023年第二季度 | 截至2023年6月 | 推进中 | 800户 | 1,000户 | 992户 |" in block


def test_a_task_path_chart_marks_the_warned_period_in_words_beside_its_point(example: Edition) -> None:
    edition = with_in_year(example, "draft")
    site = SiteData.from_editions({2023: edition})
    task = edition.tasks["RW-064"]
    svg = ET.fromstring(task_path_chart(task, site.latest.in_year.tasks["RW-064"]).split(">", 1)[1][:-len("</div>")])
    texts = [(t.text, float(t.get("x") or 0)) for t in svg.iter(f"{SVG}text")]
    labels = {text: x for text, x in texts}
    assert labels["第一季度"] < labels["第二季度"]  # the periods in time order along the x axis
    assert "2023年报告期（截至期末）" in labels and "累计完成量（户）" in labels
    warned = [x for text, x in texts if text == "预警"]
    assert warned == [labels["第一季度"]]  # under the first quarter's point only
    assert "预警：落后于序时进度" in labels  # the legend says what the triangle and the word mean
    assert svg.findtext(f"{SVG}desc") == ("折线图，目标2,000户。2023年第一季度累计完成200户，序时进度应完成493户，预警；"
                                          "2023年第二季度累计完成1,000户，序时进度应完成992户。")
