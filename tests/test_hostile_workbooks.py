"""Hostile workbooks: formulas, external links, macros, zip bombs, huge sheets and cells are refused.

Each workbook is made by code from an exported template, small enough to keep the tests fast;
the limits a test needs to cross cheaply are lowered for that test.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from checkup import paths
from checkup.cli import main
from checkup.editions.newedition import new_edition
from checkup.staff import sheetimport
from checkup.staff.sheetimport import import_workbook
from checkup.staff.sheets import INDICATOR_SHEET, PROBLEM_SHEET, export_template
from editionyears import NEXT

BOOK = "filled.xlsx"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example data with the next year's draft, and its exported template."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(paths.DATA_DIR, data)
    new_edition(data, NEXT)
    template = data.parent / f"{NEXT}.xlsx"
    export_template(data, None, NEXT, template)
    return data, template


@pytest.fixture
def draft(source: tuple[Path, Path], tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(source[0], data)
    return data


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def cell_of(template: Path, sheet: str, record: str, header: str) -> str:
    ws = load_workbook(template)[sheet]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record)
    return f"{ws.cell(row, headers.index(header) + 1).coordinate}"


def with_cell(template: Path, target: Path, sheet: str, record: str, header: str, value: object) -> str:
    book = load_workbook(template)
    coordinate = cell_of(template, sheet, record, header)
    book[sheet][coordinate].value = value
    book.save(target)
    return f"{sheet}!{coordinate}"


def rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes] = lambda n, b: b,
          extra: dict[str, bytes] | None = None) -> None:
    """Copy a workbook's parts, changing some and adding others."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
        for name, body in (extra or {}).items():
            new.writestr(name, body)


# -- formulas -------------------------------------------------------------------------
def test_a_formula_without_a_cached_value_is_refused_and_keeps_this_years_value(
        draft: Path, source: tuple[Path, Path], tmp_path: Path) -> None:
    book = tmp_path / BOOK
    place = with_cell(source[1], book, INDICATOR_SHEET, "AQ-01", f"{NEXT}年", "=170+5")
    before = snapshot(draft)
    result = import_workbook(book, draft)
    assert [(f.code, f.message) for f in result.findings] == [
        ("sheet-formula", f"{place}：单元格里是公式“=170+5”，填报表只接受直接填写的值。")]
    assert snapshot(draft) == before


def test_a_formula_with_a_cached_value_is_refused_not_read_as_its_number(
        draft: Path, source: tuple[Path, Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    place = with_cell(source[1], plain, INDICATOR_SHEET, "AQ-01", f"{NEXT}年", "=170+5")
    # Excel saves the result beside the formula: <f>170+5</f><v>175</v>
    rezip(plain, tmp_path / BOOK, lambda name, body: re.sub(rb"<f>170\+5</f>(<v ?/>|<v></v>)?", b"<f>170+5</f><v>175</v>", body))
    with zipfile.ZipFile(tmp_path / BOOK) as z:
        assert any(b"<v>175</v>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    result = import_workbook(tmp_path / BOOK, draft)
    assert [(f.code, f.message.split("：")[0]) for f in result.findings] == [("sheet-formula", place)]


def test_a_link_to_another_workbook_is_refused(draft: Path, source: tuple[Path, Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    with_cell(source[1], plain, INDICATOR_SHEET, "AQ-01", f"{NEXT}年", "=[1]Sheet1!A1")
    rezip(plain, tmp_path / BOOK, extra={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    codes = [f.code for f in import_workbook(tmp_path / BOOK, draft).findings]
    assert codes == ["sheet-external-link"]


# -- macros ---------------------------------------------------------------------------
def _vba(source: Path, target: Path) -> None:
    rezip(source, target, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def _macro_type(source: Path, target: Path) -> None:
    rezip(source, target, lambda name, body: body.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"))


MACRO_BOOKS: dict[str, tuple[str, Callable[[Path, Path], None], str]] = {
    "a workbook saved as .xlsm": ("filled.xlsm", shutil.copyfile, "扩展名是 .xlsm"),
    "a .xlsx carrying macro code": (BOOK, _vba, "含有宏代码 xl/vbaProject.bin"),
    "a .xlsx whose content type says macro-enabled": (BOOK, _macro_type, "文件类型是启用宏的工作簿"),
}


@pytest.mark.parametrize("case", MACRO_BOOKS)
def test_a_workbook_with_macros_is_refused(case: str, draft: Path, source: tuple[Path, Path],
                                           tmp_path: Path) -> None:
    name, make, reason = MACRO_BOOKS[case]
    make(source[1], tmp_path / name)
    found = import_workbook(tmp_path / name, draft).findings
    assert [(f.code, f.message) for f in found] == [("sheet-macro", f"工作簿带有宏（{reason}），没有读取。")]


# -- sizes ----------------------------------------------------------------------------
def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(
        draft: Path, source: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rezip(source[1], tmp_path / BOOK, extra={"xl/media/image1.png": bytes(8 * 2**20)})
    unpacked: list[str] = []
    monkeypatch.setattr(sheetimport, "load_workbook", lambda *a, **k: unpacked.append("opened"))
    found = import_workbook(tmp_path / BOOK, draft).findings
    assert [f.code for f in found] == ["sheet-too-large"]
    assert re.fullmatch(r"工作簿的部件 xl/media/image1.png 压缩比为 \d+ 倍，超过上限（100 倍），没有读取。", found[0].message)
    assert unpacked == []


def test_a_workbook_that_unpacks_too_big_is_refused(draft: Path, source: tuple[Path, Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheetimport, "MAX_UNCOMPRESSED", 50_000)
    found = import_workbook(source[1], draft).findings
    assert [(f.code, f.message) for f in found] == [
        ("sheet-too-large", "工作簿解压后有 0 MB，超过上限（0 MB），没有读取。")]


def test_a_sheet_with_too_many_rows_is_refused_at_the_first_row_past_the_limit(
        draft: Path, source: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheetimport, "MAX_ROWS", 10)
    found = import_workbook(source[1], draft).findings
    assert {f.code for f in found} == {"sheet-too-many-rows"}  # one per long sheet, nothing else
    assert (found[0].line, found[0].message) == (
        11, f"{INDICATOR_SHEET}!A11：工作表“{INDICATOR_SHEET}”超过 10 行，后面的行没有读取。")


def test_rows_past_the_size_a_sheet_declares_are_read_too(
        draft: Path, source: tuple[Path, Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    with_cell(source[1], plain, INDICATOR_SHEET, "AQ-01", f"{NEXT}年", "=1+1")
    rezip(plain, tmp_path / BOOK, lambda name, body: re.sub(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1"', body))
    assert [f.code for f in import_workbook(tmp_path / BOOK, draft).findings] == ["sheet-formula"]


def test_a_five_megabyte_cell_is_refused_and_never_written(draft: Path, source: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    book = tmp_path / BOOK
    huge = os.urandom(5 * 2**19).hex()  # 5 MB of text that does not pack well
    # openpyxl cuts what it writes at Excel's 32,767 characters; other writers do not
    place = with_cell(source[1], tmp_path / "plain.xlsx", PROBLEM_SHEET, "WT-2021-01", f"{NEXT}年部门回应", "HUGE")
    rezip(tmp_path / "plain.xlsx", book, lambda name, body: body.replace(b"<t>HUGE</t>", f"<t>{huge}</t>".encode()))
    before = snapshot(draft)
    found = import_workbook(book, draft).findings
    assert [(f.code, f.message) for f in found] == [
        ("sheet-cell-too-long", f"{place}：“{NEXT}年部门回应”有 {len(huge)} 个字符，超过 10000 个字符的上限。")]
    assert snapshot(draft) == before


def test_the_command_lists_the_first_fifty_findings_and_counts_the_rest(
        draft: Path, source: tuple[Path, Path], tmp_path: Path) -> None:
    book = load_workbook(source[1])
    ws = book[INDICATOR_SHEET]
    column = [c.value for c in ws[1]].index(f"{NEXT}年") + 1
    for row in range(2, 58):
        ws.cell(row, column).value = "=1+1"
    book.save(tmp_path / BOOK)
    done = CliRunner().invoke(main, ["import", str(tmp_path / BOOK), "--data-dir", str(draft)])
    assert done.exit_code == 1
    assert done.output.count("错误 sheet-formula") == 50
    assert "另有 6 条未列出。\n共 56 个错误，0 个警告。" in done.output


HOSTILE_CODES = {"sheet-formula", "sheet-external-link", "sheet-macro", "sheet-too-large",
                 "sheet-too-many-rows", "sheet-cell-too-long"}  # each has a test above
