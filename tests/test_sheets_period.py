"""Workbooks for one in-year period: only that period's cells open, and only they are written back."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from checkup.check.validate import check_data
from checkup.cli import main
from checkup.editions.newedition import new_edition
from checkup.staff.sheetimport import import_workbook
from checkup.staff.sheets import INDICATOR_SHEET, TASK_SHEET
from editionyears import LATEST_PUBLISHED, copy_published

BOOK = "filled.xlsx"
# In-year reports are made in the draft of the year after the latest published edition. Each test
# starts that draft afresh from the published editions, as it stood on the first day of the year,
# so its quarters are empty whatever the example's own draft has filled in since.
YEAR = LATEST_PUBLISHED + 1


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """The published example editions plus a fresh draft of the next year, in which GX-11 is reported quarterly."""
    data = copy_published(tmp_path / "data")
    new_edition(data, YEAR)
    indicator = data / f"{YEAR}/indicators/GX-11.yaml"
    text = indicator.read_text("utf-8")
    indicator.write_text(text.replace("\ntargets:", "\nfrequency: quarterly\ntargets:", 1), "utf-8")
    assert check_data(data).errors == []
    return data


@pytest.fixture
def template(draft: Path, tmp_path: Path) -> Path:
    target = tmp_path / "q2.xlsx"
    result = CliRunner().invoke(main, ["export-template", "--period", f"{YEAR}-Q2", "--data-dir", str(draft),
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def fill(template: Path, tmp_path: Path, *cells: tuple[str, str, str, Any]) -> Path:
    book = load_workbook(template)
    for sheet, record, header, value in cells:
        ws = book[sheet]
        headers = [c.value for c in ws[1]]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record)
        ws.cell(row, headers.index(header) + 1).value = value
    target = tmp_path / BOOK
    book.save(target)
    return target


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_a_period_workbook_opens_only_that_periods_cells(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames[1:3] == [INDICATOR_SHEET, TASK_SHEET]  # problems are followed up yearly
    open_headers = {sheet: [book[sheet].cell(1, c).value for c in range(1, book[sheet].max_column + 1)
                            if not book[sheet].cell(2, c).protection.locked] for sheet in (INDICATOR_SHEET, TASK_SHEET)}
    assert open_headers == {
        INDICATOR_SHEET: [f"{YEAR}年第二季度"],
        TASK_SHEET: [f"{YEAR}年第二季度完成量", f"截至{YEAR}年第二季度末累计完成量", f"{YEAR}年第二季度进展状态",
                     f"{YEAR}年第二季度进展情况"],
    }
    indicators = [book[INDICATOR_SHEET].cell(r, 1).value for r in range(2, book[INDICATOR_SHEET].max_row + 1)]
    assert indicators == ["GX-11"]  # the yearly indicators have no quarter to fill


def test_an_unchanged_period_workbook_changes_nothing(draft: Path, template: Path) -> None:
    before = snapshot(draft)
    result = import_workbook(template, draft)
    assert (result.ok, result.changed) == (True, {})
    assert snapshot(draft) == before


def test_a_filled_quarter_lands_as_that_periods_report_and_value_only(
        draft: Path, template: Path, tmp_path: Path) -> None:
    task_before = (draft / f"{YEAR}/tasks/RW-063.yaml").read_bytes()
    indicator_before = (draft / f"{YEAR}/indicators/GX-11.yaml").read_bytes()
    book = fill(template, tmp_path,
                (TASK_SHEET, "RW-063", f"{YEAR}年第二季度完成量", 1.6),
                (TASK_SHEET, "RW-063", f"截至{YEAR}年第二季度末累计完成量", 9.3),
                (TASK_SHEET, "RW-063", f"{YEAR}年第二季度进展状态", "推进中"),
                (TASK_SHEET, "RW-063", f"{YEAR}年第二季度进展情况", "完成1.6平方公里。"),
                (INDICATOR_SHEET, "GX-11", f"{YEAR}年第二季度", 2150))
    result = import_workbook(book, draft)
    assert result.ok, result.findings
    assert sorted(p.split("/data/")[-1] for p in result.changed) == [f"{YEAR}/indicators/GX-11.yaml", f"{YEAR}/tasks/RW-063.yaml"]
    assert changed_lines(task_before, (draft / f"{YEAR}/tasks/RW-063.yaml").read_bytes()) == [
        f'+  - period: "{YEAR}-Q2"', "+    done: 1.6", "+    cumulative: 9.3", "+    status: in_progress",
        "+    summary: 完成1.6平方公里。"]
    assert changed_lines(indicator_before, (draft / f"{YEAR}/indicators/GX-11.yaml").read_bytes()) == [
        "+in_year:", f"+  {YEAR}-Q2: 2150"]
    edition = check_data(draft).editions[YEAR]
    assert [(str(p.period), p.cumulative) for p in edition.tasks["RW-063"].in_year] == [(f"{YEAR}-Q2", 9.3)]


def test_a_quarter_that_contradicts_the_data_writes_nothing(draft: Path, template: Path, tmp_path: Path) -> None:
    book = fill(template, tmp_path,
                (TASK_SHEET, "RW-063", f"截至{YEAR}年第二季度末累计完成量", 5),  # below the 7.7 done by 2023
                (TASK_SHEET, "RW-063", f"{YEAR}年第二季度进展状态", "推进中"),
                (INDICATOR_SHEET, "GX-11", f"{YEAR}年第二季度", 2150))
    before = snapshot(draft)
    result = import_workbook(book, draft)
    assert [(f.code, f.pointer) for f in result.findings] == [
        ("cumulative-fell", f"/{TASK_SHEET}/{_row(book, 'RW-063')}/截至{YEAR}年第二季度末累计完成量")]
    assert (result.ok, result.written) == (False, False)
    assert snapshot(draft) == before


def test_a_period_outside_the_edition_year_is_refused_in_chinese(draft: Path, tmp_path: Path) -> None:
    for period, words in ((f"{YEAR - 1}-Q2", f"不是 {YEAR} 年的年内报告期"), (f"{YEAR}-Q5", "写法不对")):
        result = CliRunner().invoke(main, ["export-template", "--period", period, "--edition", str(YEAR),
                                           "--data-dir", str(draft), "-o", str(tmp_path / "x.xlsx")])
        assert result.exit_code == 2 and words in result.output, result.output


def _row(book: Path, record: str) -> int:
    ws = load_workbook(book)[TASK_SHEET]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record)
