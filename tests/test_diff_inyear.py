"""The diff shows in-year updates grouped by reporting period."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from checkup.check.validate import check_data
from checkup.editions.diff import diff_editions
from checkup.editions.diff_report import render_markdown, render_text
from checkup.model import Edition, PeriodProgress
from checkup.periods import parse_period


@pytest.fixture(scope="module")
def example(example_data: Path) -> Edition:
    return check_data(example_data).editions[2023]


def reported(edition: Edition, q2_done: float = 800) -> Edition:
    task = edition.tasks["RW-064"]
    indicator = edition.indicators["GX-11"]
    tasks = {**edition.tasks, "RW-064": dataclasses.replace(task, in_year=(
        PeriodProgress(parse_period("2023-Q1"), "in_progress", done=200, summary="完成200户。"),
        PeriodProgress(parse_period("2023-Q2"), "in_progress", done=q2_done)))}
    indicators = {**edition.indicators, "GX-11": dataclasses.replace(
        indicator, frequency="monthly", in_year={parse_period("2023-05"): 1700.0})}
    return dataclasses.replace(edition, tasks=tasks, indicators=indicators)


def test_in_year_reports_added_to_an_edition_are_listed_by_period_in_time_order(example: Edition) -> None:
    diff = diff_editions(example, reported(example), statuses=False)
    assert [(c.id, c.field, c.old, c.new) for c in diff.changes] == [("GX-11", "frequency", "yearly", "monthly")]
    assert [(str(u.period), u.record, u.id, u.kind) for u in diff.in_year] == [
        ("2023-Q1", "task", "RW-064", "added"), ("2023-05", "indicator", "GX-11", "added"),
        ("2023-Q2", "task", "RW-064", "added")]
    text = render_text(diff)
    assert text.splitlines()[-7:] == [
        "年内更新（3，按报告期）",
        "  2023年第一季度（截至2023年3月）",
        "    任务 RW-064 完成平房院落申请式退租2000户：新增报告（本期完成量 200；进展状态 推进中；进展情况 完成200户。）",
        "  2023年5月（截至2023年5月）",
        "    指标 GX-11 既有多层住宅加装电梯累计数量：新增数值（1700）",
        "  2023年第二季度（截至2023年6月）",
        "    任务 RW-064 完成平房院落申请式退租2000户：新增报告（本期完成量 800；进展状态 推进中）",
    ]


def test_a_revised_quarter_names_the_part_that_changed(example: Edition) -> None:
    diff = diff_editions(reported(example), reported(example, q2_done=780), statuses=False)
    assert [u.line() for u in diff.in_year] == ["任务 RW-064 完成平房院落申请式退租2000户：本期完成量由 800 改为 780"]
    assert "**2023年第二季度**（截至2023年6月）" in render_markdown(diff)


def test_an_edition_with_in_year_reports_has_no_difference_from_itself(example: Edition) -> None:
    assert diff_editions(reported(example), reported(example)).empty
