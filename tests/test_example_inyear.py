"""The example's in-year draft (data/2024): what it holds, that the public never sees it, and its preview."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checkup import paths
from checkup.assess import rules_for
from checkup.assess.inyear import EditionInYear, assess_edition_in_year
from checkup.check.validate import check_data
from checkup.model import Edition
from checkup.site.render import render_docs
from editionyears import draft_years

DRAFT_YEAR = 2024
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def draft() -> Edition:
    checked = check_data(paths.DATA_DIR)
    assert checked.errors == []
    return checked.editions[DRAFT_YEAR]


@pytest.fixture(scope="module")
def in_year(draft: Edition) -> EditionInYear:
    return assess_edition_in_year(draft, rules_for(draft))


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's preview, drafts included, as `checkup render --preview` writes it."""
    docs = tmp_path_factory.mktemp("preview") / "generated"
    render_docs(paths.DATA_DIR, docs, preview=True)
    return docs


def _recovered(in_year: EditionInYear) -> list[str]:
    return [t.task_id for t in in_year.tasks.values() if t.earlier_warnings and not t.latest.warning]


# -- what the example draft holds ----------------------------------------------------------------------
def test_the_example_in_year_edition_is_a_draft(draft: Edition) -> None:
    assert draft.status == "draft" and draft.published_on is None
    assert DRAFT_YEAR in draft_years()
    assert not (paths.DATA_DIR / str(DRAFT_YEAR) / paths.MANIFEST_FILE).exists()


def test_ten_tasks_report_two_quarters_and_some_warned_in_the_first_recover_in_the_second(
        in_year: EditionInYear) -> None:
    quarterly = {t.task_id: [str(p.period) for p in t.path] for t in in_year.tasks.values()}
    two_quarters = [tid for tid, periods in quarterly.items() if periods == ["2024-Q1", "2024-Q2"]]
    assert len(two_quarters) >= 10
    recovered = _recovered(in_year)
    assert recovered and set(recovered) <= set(two_quarters)
    for tid in recovered:
        first, second = in_year.tasks[tid].path
        assert (first.warning, second.warning) == (True, False), tid


def test_the_hotline_rates_are_reported_monthly_from_january_to_june(draft: Edition) -> None:
    monthly = {i.name: i for i in draft.indicators.values() if i.frequency == "monthly" and i.in_year}
    assert set(monthly) == {"12345市民服务热线诉求解决率", "12345市民服务热线诉求满意率"}
    for indicator in monthly.values():
        assert [str(p) for p in indicator.in_year] == [f"2024-{m:02d}" for m in range(1, 7)]


# -- the preview shows it ------------------------------------------------------------------------------
def test_the_preview_home_is_the_draft_with_its_in_year_warnings(preview: Path, draft: Edition,
                                                                  in_year: EditionInYear) -> None:
    home = (preview / "index.md").read_text("utf-8")
    assert draft.title in home
    assert "## 年内进展（截至2024年6月）" in home
    warned = in_year.warnings()
    assert f"**年内预警任务 {len(warned)} 项**：" in home
    lines = [line for line in home.splitlines() if line.startswith("- [")]
    for result in warned:  # each named with its lead unit and linked to its place in the task list
        task = draft.tasks[result.task_id]
        assert any(task.title in line and f"#{task.id.lower()})" in line for line in lines), task.id
    recovered = draft.tasks[_recovered(in_year)[0]]
    line = next(line for line in lines if recovered.title in line)
    assert "2024年第一季度曾预警，2024年第二季度已解除" in line
    assert "12345市民服务热线诉求解决率" in home and "12345市民服务热线诉求满意率" in home
    # during the year the in-year news come first; the year's own figures follow, marked as incomplete
    body = home.split("\n# ", 1)[1]  # below the front matter, whose description also sums the year up
    assert body.index("## 年内进展") < body.index("## 年度结果（草稿，数据尚未报齐）") < body.index("比上年变好")


def test_a_warned_task_shows_its_path_as_a_table_and_as_an_accessible_chart(
        preview: Path, draft: Edition, in_year: EditionInYear) -> None:
    task = draft.tasks[_recovered(in_year)[0]]
    pages = "\n".join(p.read_text("utf-8") for p in sorted(preview.glob("tasks*.md")))
    block = pages[pages.index(f"### {task.number}. {task.title}"):]
    block = block[:block.index("\n### ")] if "\n### " in block else block
    assert "| 报告期 | 截至 | 状态 | 本期完成量 | 累计完成量 | 按序时进度应完成 | 进度 |" in block
    drawing = re.search(r'<div class="ck-chart ck-chart--static" id="path-[^"]+">(<svg .*?</svg>)</div>', block)
    assert drawing, "the path is drawn as well as tabulated"
    svg = ET.fromstring(drawing.group(1))
    assert svg.get("role") == "img"
    assert svg.findtext(f"{SVG}title") == f"{task.number}. {task.title}：2024年内累计完成量与序时进度"
    desc = svg.findtext(f"{SVG}desc") or ""
    assert desc.startswith("折线图") and "2024年第一季度累计完成" in desc and "预警" in desc
    words = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"第一季度", "第二季度", "2024年报告期（截至期末）", "预警"} <= set(words)
    assert f"累计完成量（{task.target_unit}）" in words
    assert not list(svg.iter(f"{SVG}script")) and "href" not in drawing.group(1)


def test_a_task_without_a_quantity_has_its_table_but_no_chart(preview: Path, draft: Edition,
                                                               in_year: EditionInYear) -> None:
    without = [tid for tid in in_year.tasks if draft.tasks[tid].target_quantity is None]
    assert without
    pages = "\n".join(p.read_text("utf-8") for p in sorted(preview.glob("tasks*.md")))
    for tid in without:
        assert f"svg-path-{tid}" not in pages
