"""Fill-in workbooks for department staff: export, fill, import, and every fault pointed at its cell."""

from __future__ import annotations

import difflib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.workbook import Workbook as Book

from checkup import paths
from checkup.check.validate import check_data
from checkup.cli import main
from checkup.editions.newedition import new_edition
from checkup.findings import CODES
from checkup.staff.sheetimport import import_workbook
from checkup.staff.sheets import (
    GUIDE_SHEET,
    INDICATOR_SHEET,
    META_SHEET,
    PROBLEM_SHEET,
    TASK_SHEET,
    export_template,
)
from editionyears import LATEST_PUBLISHED, NEXT
from test_hostile_workbooks import HOSTILE_CODES

BOOK = "filled.xlsx"


@pytest.fixture(scope="module")
def draft_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example data plus the next year's draft, started from the latest edition as staff would get it."""
    data = tmp_path_factory.mktemp("source") / "data"
    shutil.copytree(paths.DATA_DIR, data)
    new_edition(data, NEXT)
    return data


@pytest.fixture
def draft(draft_source: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(draft_source, data)
    return data


@pytest.fixture(scope="module")
def template(draft_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("book") / f"{NEXT}.xlsx"
    made = export_template(draft_source, None, NEXT, target)
    assert made.path == target and not made.findings
    return target


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def locate(book: Book, sheet: str, record: str, header: str) -> tuple[int, int]:
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record)
    return row, headers.index(header) + 1


def fill(template: Path, tmp_path: Path, *cells: tuple[str, str, str, Any]) -> tuple[Path, list[tuple]]:
    """Write values into a copy of the template; return it and where each value went."""
    book = load_workbook(template)
    places = []
    for sheet, record, header, value in cells:
        row, column = locate(book, sheet, record, header)
        book[sheet].cell(row, column).value = value
        places.append((BOOK, row, column, f"/{sheet}/{row}/{header}"))
    target = tmp_path / BOOK
    book.save(target)
    return target, places


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


# -- round trip -----------------------------------------------------------------------
def test_a_workbook_imported_unchanged_leaves_the_data_byte_identical(draft: Path, template: Path) -> None:
    before = snapshot(draft)
    result = import_workbook(template, draft)
    assert (result.ok, result.findings, result.changed, result.written) == (True, [], {}, False)
    assert snapshot(draft) == before


def test_the_commands_export_and_import_a_department_workbook_without_change(
        draft: Path, tmp_path: Path) -> None:
    before = snapshot(draft)
    book = tmp_path / "ghzy.xlsx"
    runner = CliRunner()
    exported = runner.invoke(main, ["export-template", "--department", "GHZY", "--edition", str(NEXT),
                                    "--data-dir", str(draft), "-o", str(book)])
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith(f"已导出 {book}：指标数据采集表 ")
    imported = runner.invoke(main, ["import", str(book), "--data-dir", str(draft)])
    assert (imported.exit_code, imported.output) == (0, "填报表与现有数据一致，没有需要导入的改动。\n")
    assert snapshot(draft) == before


def test_a_published_edition_round_trips_too(tmp_path: Path, data_copy: Path) -> None:
    book = tmp_path / f"{LATEST_PUBLISHED}.xlsx"
    export_template(data_copy, None, LATEST_PUBLISHED, book)
    before = snapshot(data_copy)
    assert import_workbook(book, data_copy).findings == []
    assert snapshot(data_copy) == before


# -- filled values land in their files ----------------------------------------------
def test_a_filled_value_lands_in_its_indicator_file_as_one_changed_line(
        draft: Path, template: Path, tmp_path: Path) -> None:
    before = (draft / f"{NEXT}/indicators/AQ-01.yaml").read_bytes()
    book, _ = fill(template, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{NEXT}年", 175.2))
    result = import_workbook(book, draft)
    assert (result.ok, result.written) == (True, True), result.findings
    after = (draft / f"{NEXT}/indicators/AQ-01.yaml").read_bytes()
    values = next(line for line in before.decode().splitlines() if line.startswith("values: {2020: 182.3, "))
    assert changed_lines(before, after) == ["-" + values, "+" + values.removesuffix("}") + f", {NEXT}: 175.2}}"]
    assert check_data(draft).editions[NEXT].indicators["AQ-01"].values[NEXT] == 175.2


def test_a_dry_run_names_the_files_it_would_change_and_writes_none(
        draft: Path, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book, _ = fill(template, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{NEXT}年", 175.2),
                   (TASK_SHEET, "RW-058", f"{NEXT}年进展状态", "推进中"))
    before = snapshot(draft)
    monkeypatch.chdir(draft.parent)
    result = CliRunner().invoke(main, ["import", str(book), "--data-dir", "data", "--dry-run"])
    assert (result.exit_code, result.output) == (0, (
        "将改动 2 个文件：\n"
        f"  data/{NEXT}/indicators/AQ-01.yaml\n"
        f"  data/{NEXT}/tasks/RW-058.yaml\n"))
    assert snapshot(draft) == before


def test_a_number_typed_as_text_is_read_as_a_number(draft: Path, template: Path, tmp_path: Path) -> None:
    book, _ = fill(template, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{NEXT}年", " 175 "))
    assert import_workbook(book, draft).ok
    assert check_data(draft).editions[NEXT].indicators["AQ-01"].values[NEXT] == 175


def test_progress_and_follow_up_land_as_new_entries_of_the_year(
        draft: Path, template: Path, tmp_path: Path) -> None:
    task_before = (draft / f"{NEXT}/tasks/RW-058.yaml").read_bytes()
    problem_before = (draft / f"{NEXT}/problems/WT-2021-01.yaml").read_bytes()
    book, _ = fill(template, tmp_path,
                   (TASK_SHEET, "RW-058", f"{NEXT}年完成量", 1),
                   (TASK_SHEET, "RW-058", f"{NEXT}年进展状态", "推进中"),
                   (TASK_SHEET, "RW-058", f"{NEXT}年进展情况", "三维数据覆盖率达到75%。"),
                   (PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年转化吸纳的任务", "rw-058，RW-071"),
                   (PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年部门回应", "继续推行一站式办理。"),
                   (PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年回头看结论", "已解决"))
    result = import_workbook(book, draft)
    assert result.ok, result.findings
    assert changed_lines(task_before, (draft / f"{NEXT}/tasks/RW-058.yaml").read_bytes()) == [
        f"+  - year: {NEXT}", "+    done: 1", "+    status: in_progress", "+    summary: 三维数据覆盖率达到75%。",
    ]
    assert changed_lines(problem_before, (draft / f"{NEXT}/problems/WT-2021-01.yaml").read_bytes()) == [
        f"+  - year: {NEXT}", "+    absorbed_into:", "+      - RW-058", "+      - RW-071",
        "+    response: 继续推行一站式办理。", "+    verdict: resolved",
    ]
    assert check_data(draft).errors == []


def test_filling_then_clearing_a_value_gives_back_the_original_file(
        draft: Path, template: Path, tmp_path: Path) -> None:
    original = (draft / f"{NEXT}/indicators/AQ-01.yaml").read_bytes()
    book, _ = fill(template, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{NEXT}年", 175.2))
    assert import_workbook(book, draft).ok
    again = tmp_path / "again.xlsx"
    export_template(draft, None, NEXT, again)
    book, _ = fill(again, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{NEXT}年", None))
    assert import_workbook(book, draft).ok
    assert (draft / f"{NEXT}/indicators/AQ-01.yaml").read_bytes() == original


# -- faults, each at its cell, and nothing written ----------------------------------
Cell = tuple[str, str, str, Any]
VERDICT = (PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年回头看结论", "有所改善")
# the first cell is the wrong one; the others make the rest of the row right
WRONG_CELLS: dict[str, tuple[tuple[Cell, ...], str]] = {
    "text in a number cell": (((INDICATOR_SHEET, "AQ-01", f"{NEXT}年", "约175"),), "sheet-not-number"),
    "a status not in the list": (((TASK_SHEET, "RW-058", f"{NEXT}年进展状态", "进行中"),), "sheet-not-in-list"),
    "a changed locked cell": (((INDICATOR_SHEET, "AQ-01", "指标名称", "人均用水量"),), "sheet-locked-changed"),
    "a changed value of a past year": (((INDICATOR_SHEET, "AQ-01", "2023年", 170),), "sheet-locked-changed"),
    "a task list that is not ids": (((PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年转化吸纳的任务", "加装电梯"), VERDICT),
                                    "sheet-bad-ids"),
    "a verdict not in the list": (((PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年回头看结论", "好"),), "sheet-not-in-list"),
    "progress without a status": (((TASK_SHEET, "RW-058", f"{NEXT}年进展状态", None),
                                   (TASK_SHEET, "RW-058", f"{NEXT}年完成量", 3)), "sheet-required"),
    "a percentage over 100": (((INDICATOR_SHEET, "AQ-02", f"{NEXT}年", 120),), "percent-out-of-range"),
    "a task that does not exist": (((PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年转化吸纳的任务", "RW-999"), VERDICT),
                                   "absorbed-task-missing"),
}


@pytest.mark.parametrize("case", list(WRONG_CELLS))
def test_a_wrong_cell_gives_a_finding_at_its_sheet_row_and_column_and_changes_nothing(
        case: str, draft: Path, template: Path, tmp_path: Path) -> None:
    cells, code = WRONG_CELLS[case]
    book, places = fill(template, tmp_path, *cells)
    before = snapshot(draft)
    result = import_workbook(book, draft)
    assert [(f.file, f.line, f.column, f.pointer, f.code) for f in result.findings] == [(*places[0], code)]
    assert (result.ok, result.written) == (False, False)
    assert snapshot(draft) == before


def test_several_wrong_cells_are_all_reported_at_once(draft: Path, template: Path, tmp_path: Path) -> None:
    book, places = fill(template, tmp_path, WRONG_CELLS["text in a number cell"][0][0],
                        WRONG_CELLS["a status not in the list"][0][0], WRONG_CELLS["a changed locked cell"][0][0])
    result = import_workbook(book, draft)
    rows = sorted((f.pointer, f.code) for f in result.findings)
    assert rows == sorted([(places[0][3], "sheet-not-number"), (places[1][3], "sheet-not-in-list"),
                           (places[2][3], "sheet-locked-changed")])


def test_the_clerk_reads_where_and_what_to_fix(draft: Path, template: Path, tmp_path: Path) -> None:
    book, places = fill(template, tmp_path, *WRONG_CELLS["text in a number cell"][0])
    result = CliRunner().invoke(main, ["import", str(book), "--data-dir", str(draft)])
    _, row, column, pointer = places[0]
    letter = chr(ord("A") + column - 1)
    assert result.exit_code == 1
    assert result.output == (
        f"{BOOK}:{row}:{column}: 错误 sheet-not-number [{pointer}] "
        f"{INDICATOR_SHEET}!{letter}{row}：“{NEXT}年”应填数字，现在是“约175”。\n"
        "    修改方法：只填数字，不带单位、百分号或千分位逗号，例如 12.5；没有数据就留空。\n"
        "共 1 个错误，0 个警告。\n"
        "没有导入：请按上面的提示修改填报表后重新导入。\n"
    )


def _rename_header(book: Book) -> None:
    book[TASK_SHEET].cell(1, 2).value = "编号"


def _duplicate_row(book: Book) -> None:
    ws = book[TASK_SHEET]
    ws.append([c.value for c in ws[2]])


def _unknown_row(book: Book) -> None:
    book[TASK_SHEET].append(["RW-999"])


def _drop_meta(book: Book) -> None:
    del book[META_SHEET]


SHEET_FAULTS: dict[str, tuple[Callable[[Book], None], str]] = {
    "a renamed header": (_rename_header, "sheet-header-changed"),
    "a duplicated row": (_duplicate_row, "sheet-duplicate-id"),
    "a row added": (_unknown_row, "sheet-unknown-id"),
    "a copy into a new workbook": (_drop_meta, "sheet-not-template"),
}


@pytest.mark.parametrize("case", list(SHEET_FAULTS))
def test_a_changed_layout_is_refused(case: str, draft: Path, template: Path, tmp_path: Path) -> None:
    change, code = SHEET_FAULTS[case]
    book = load_workbook(template)
    change(book)
    book.save(tmp_path / BOOK)
    result = import_workbook(tmp_path / BOOK, draft)
    assert [f.code for f in result.findings] == [code]


def test_a_file_that_is_not_a_workbook_is_refused(draft: Path, tmp_path: Path) -> None:
    (tmp_path / BOOK).write_text("不是工作簿", "utf-8")
    assert [f.code for f in import_workbook(tmp_path / BOOK, draft).findings] == ["sheet-unreadable"]


def test_a_workbook_for_an_edition_that_is_gone_is_refused(draft: Path, template: Path) -> None:
    shutil.rmtree(draft / str(NEXT))
    found = import_workbook(template, draft).findings
    assert [(f.code, f.message) for f in found] == [("sheet-edition-unusable", f"填报表对应的 {NEXT} 年版本不存在。")]


def test_a_published_edition_cannot_be_changed_through_a_workbook(data_copy: Path, tmp_path: Path) -> None:
    source = tmp_path / f"{LATEST_PUBLISHED}.xlsx"
    export_template(data_copy, "SLJ", LATEST_PUBLISHED, source)
    book, places = fill(source, tmp_path, (INDICATOR_SHEET, "AQ-01", f"{LATEST_PUBLISHED}年", 170))
    result = import_workbook(book, data_copy)
    assert [(f.file, f.line, f.column, f.pointer, f.code) for f in result.findings] == [
        (*places[0], "sheet-edition-published")]


def test_every_spreadsheet_code_has_a_case() -> None:
    covered = {code for _, code in WRONG_CELLS.values()} | {code for _, code in SHEET_FAULTS.values()}
    covered |= {"sheet-unreadable", "sheet-edition-unusable", "sheet-edition-published"} | HOSTILE_CODES
    assert sorted(c for c, entry in CODES.items() if entry.group == "表格" and c not in covered) == []


# -- what the workbook offers -------------------------------------------------------
def test_status_and_verdict_cells_offer_drop_down_lists_in_chinese(template: Path) -> None:
    book = load_workbook(template)
    for sheet, header, labels in ((TASK_SHEET, f"{NEXT}年进展状态", "未启动,推进中,已完成,暂缓"),
                                  (PROBLEM_SHEET, f"{NEXT}年回头看结论", "已解决,有所改善,未解决,待评估")):
        ws = book[sheet]
        column = [c.value for c in ws[1]].index(header) + 1
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        cells = [{cell for area in dv.sqref.ranges for cell in area.cells} for dv in lists]
        assert [dv.formula1 for dv in lists] == [f'"{labels}"']
        assert cells == [{(row, column) for row in range(2, ws.max_row + 1)}]  # every record's row


def test_only_the_cells_of_the_edition_year_are_unlocked_and_coloured(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames[0] == GUIDE_SHEET and book[META_SHEET].sheet_state == "veryHidden"
    unlocked = {}
    for sheet in (INDICATOR_SHEET, TASK_SHEET, PROBLEM_SHEET):
        ws = book[sheet]
        assert ws.protection.sheet and not ws.protection.password
        open_cells = {ws.cell(1, c.column).value for row in ws.iter_rows(min_row=2) for c in row
                      if not c.protection.locked}
        coloured = {ws.cell(1, c.column).value for row in ws.iter_rows(min_row=2) for c in row
                    if c.fill.fgColor.rgb == "00FFF2CC"}
        assert open_cells == coloured
        unlocked[sheet] = sorted(open_cells)
    submission = ["下一步措施及建议", "取得成效", "基本情况", "短板及成因"]  # the department's written submission
    assert unlocked == {
        INDICATOR_SHEET: [f"{NEXT}年", *submission],
        TASK_SHEET: sorted([f"{NEXT}年完成量", f"{NEXT}年进展情况", f"{NEXT}年进展状态", *submission]),
        PROBLEM_SHEET: [f"{NEXT}年回头看结论", f"{NEXT}年转化吸纳的任务", f"{NEXT}年部门回应"],
    }


def test_a_department_workbook_holds_only_the_records_it_answers_for(draft: Path, tmp_path: Path) -> None:
    made = export_template(draft, "GHZY", NEXT, tmp_path / "ghzy.xlsx")
    edition = check_data(draft).editions[NEXT]
    ids = {sheet.name: {row["id"] for row in sheet.rows} for sheet in made.sheets}
    assert ids[INDICATOR_SHEET] == {i.id for i in edition.indicators.values() if i.department == "GHZY"}
    assert ids[TASK_SHEET] == {t.id for t in edition.tasks.values()
                               if t.lead == "GHZY" and t.period_start <= NEXT <= t.period_end}
    assert ids[PROBLEM_SHEET] == {p.id for p in edition.problems.values() if "GHZY" in p.departments}


def test_an_unknown_department_is_a_usage_error(draft: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export-template", "--department", "NOSUCH", "--data-dir", str(draft),
                                       "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert f"部门编号 NOSUCH 没有在 {NEXT} 年版本中登记" in result.output


def test_a_workbook_made_by_hand_is_not_a_template(draft: Path, tmp_path: Path) -> None:
    Workbook().save(tmp_path / BOOK)
    assert [f.code for f in import_workbook(tmp_path / BOOK, draft).findings] == ["sheet-not-template"]


# -- text a spreadsheet would run as a formula -----------------------------------------------------
FORMULA_TEXTS = {  # what clerks and attackers type, each a formula in Excel if written as such
    ("indicators/AQ-01.yaml", "name"): '=HYPERLINK("http://evil.example/","点击查看")',
    ("indicators/AQ-01.yaml", "data_source"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("tasks/RW-058.yaml", "title"): "+1+1 推进改造",
    ("tasks/RW-058.yaml", "section"): "-2+3 板块",
}


def _set_field(path: Path, field: str, value: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[at] = f"{field}: {json.dumps(value, ensure_ascii=False)}\n"
    path.write_text("".join(lines), "utf-8")


def test_formula_like_text_is_exported_as_typed_text_and_comes_back_byte_identical(
        draft: Path, tmp_path: Path) -> None:
    for (rel, field), value in FORMULA_TEXTS.items():
        _set_field(draft / str(NEXT) / rel, field, value)
    before = snapshot(draft)
    book = tmp_path / f"{NEXT}.xlsx"
    assert export_template(draft, None, NEXT, book).path == book
    cells = [c for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row]
    typed = {c.value: c.data_type for c in cells if c.value in FORMULA_TEXTS.values()}
    assert typed == {value: "s" for value in FORMULA_TEXTS.values()}
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    result = import_workbook(book, draft)
    assert (result.ok, result.findings, result.changed) == (True, [], {})
    assert snapshot(draft) == before


def test_formula_like_text_typed_into_an_open_cell_is_imported_as_that_text(
        draft: Path, template: Path, tmp_path: Path) -> None:
    typed = '=HYPERLINK("http://evil.example/","点击")'
    book = load_workbook(template)
    row, column = locate(book, TASK_SHEET, "RW-058", f"{NEXT}年进展情况")
    cell = book[TASK_SHEET].cell(row, column)
    cell.value = typed
    cell.data_type = "s"  # typed by a clerk with a leading apostrophe: text, not a formula
    for header, value in ((f"{NEXT}年进展状态", "推进中"), (f"{NEXT}年完成量", 1)):
        book[TASK_SHEET].cell(*locate(book, TASK_SHEET, "RW-058", header)).value = value
    book.save(tmp_path / BOOK)
    result = import_workbook(tmp_path / BOOK, draft)
    assert result.ok, result.findings
    task = check_data(draft).editions[NEXT].tasks["RW-058"]
    assert next(p.summary for p in task.progress if p.year == NEXT) == typed


@pytest.mark.parametrize("typed", ["改造\u202e完成", "改造\u200b完成", "改造\u2066完成"])
def test_an_invisible_character_typed_into_a_cell_is_refused_and_nothing_is_written(
        draft: Path, template: Path, tmp_path: Path, typed: str) -> None:
    before = snapshot(draft)
    book, _ = fill(template, tmp_path, (TASK_SHEET, "RW-058", f"{NEXT}年进展情况", typed),
                   (TASK_SHEET, "RW-058", f"{NEXT}年进展状态", "推进中"))
    result = import_workbook(book, draft)
    assert not result.ok
    assert [f.code for f in result.findings] == ["invisible-character"]
    assert snapshot(draft) == before
