"""Read a filled workbook back into the YAML files of its edition, cell by cell, all or nothing.

Only the cells `sheets.build_sheets` marks editable are read; a locked cell
that no longer says what the data say is a finding, and so is every cell that
cannot be read as its column's kind. The changed records are edited through
ruamel.yaml's round trip, touching only the nodes that change, and the whole
data directory is then checked again on a temporary copy. Files are written
only when nothing at all was found; every finding names the sheet, row and
column, as `指标数据采集表!M5`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..atomic import Transaction, recover
from ..check.validate import check_data, check_raw_editions
from ..findings import Finding, finding, sort_findings
from ..periods import Period, PeriodError, parse_period
from ..read.load import edition_folders, read_edition
from ..read.yamlio import plain_scalar
from .recordedit import RecordEditor
from .sheets import META_SHEET, TEMPLATE_FORMAT, Column, Sheet, build_sheets

_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*")
_ID_SPLIT = re.compile(r"[\s,，、;；]+")
_KIND_NAMES = {"indicators": "指标", "tasks": "任务", "problems": "问题"}

# Bounds, checked before or while reading so that a hostile workbook costs little time and memory.
# An exported workbook of the example city is 25 KB, 13 parts, 115 KB unpacked; a national one
# (3,000 tasks, 1,000 problems) about 1 MB packed, 8 MB unpacked.
MAX_WORKBOOK_BYTES = 20 * 2**20  # 20x the national workbook
MAX_MEMBERS = 1000  # Excel adds a few dozen parts (styles, themes, printer settings) at most
MAX_UNCOMPRESSED = 64 * 2**20  # 8x the national workbook; openpyxl holds the shared strings in memory
MAX_RATIO = 100  # sheet XML packs 5-20x; a zip bomb packs 1,000x and more
RATIO_FLOOR = 2**20  # small parts may pack well (a sheet of blanks); only large ones are judged
MAX_ROWS = 20_000  # rows per sheet: the national edition's largest sheet has 3,000
META_ROWS = 20  # the hidden sheet holds three rows
MAX_CELL_CHARS = 10_000  # a few pages of text; far below Excel's 32,767, far above any note we keep
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xlam")
EXTERNAL_LINKS = "xl/externalLinks/"
CONTENT_TYPES = "[Content_Types].xml"
REFUSED = object()  # stands for a cell that was refused; its finding says why


@dataclass
class Cell:
    """Where a value came from, to point a finding at it."""

    sheet: str
    row: int
    column: int
    header: str

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{get_column_letter(self.column)}{self.row}"

    def finding(self, code: str, file: str, **fields: Any) -> Finding:
        return finding(code, file, line=self.row, column=self.column,
                       pointer=f"/{self.sheet}/{self.row}/{self.header}", cell=self.ref, **fields)


@dataclass
class RowEdit:
    """The editable cells of one row, read and typed."""

    folder: str
    record: str
    values: dict[str, Any]
    cells: dict[str, Cell]


@dataclass
class ImportResult:
    """What an import found and changed; files are written only when `ok`."""

    workbook: str
    edition: int | None = None
    findings: list[Finding] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # shown path -> new text
    written: bool = False

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def import_workbook(path: Path, data_dir: Path, *, write: bool = True) -> ImportResult:
    """Check a filled workbook against the data and, if all is well, write the changes."""
    result = ImportResult(path.name)
    result.findings += inspect_package(path)
    if result.findings:
        return result
    try:
        with warnings.catch_warnings():  # openpyxl warns of Excel features it drops; values are unaffected
            warnings.simplefilter("ignore", UserWarning)
            # Streamed (read_only) so memory stays bounded; formulas kept (data_only=False) so that
            # a formula is seen and refused, never read as its cached value or as an empty cell.
            book = load_workbook(path, read_only=True, data_only=False)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        result.findings.append(finding("sheet-unreadable", path.name, reason=str(exc) or type(exc).__name__))
        return result
    try:
        return _import_book(book, path, data_dir, write, result)
    finally:
        book.close()


def _import_book(book: Any, path: Path, data_dir: Path, write: bool, result: ImportResult) -> ImportResult:
    meta = _read_meta(book, path.name, result.findings)
    if result.findings:
        return result
    if meta is None:
        result.findings.append(finding("sheet-not-template", path.name))
        return result
    year, department, period = meta
    result.edition = year
    if write and (data_dir / str(year)).is_dir():
        recover(data_dir / str(year))  # finish or clear what a killed import left
    before = check_data(data_dir)
    edition = before.editions.get(year)
    if edition is None:
        reason = "的数据有错误" if str(year) in before.raw else "不存在"
        result.findings.append(finding("sheet-edition-unusable", path.name, year=year, reason=reason))
        return result
    edits: list[RowEdit] = []
    for sheet in build_sheets(edition, department, period):
        if sheet.name in book.sheetnames:
            edits += _read_sheet(book[sheet.name], sheet, path.name, result.findings)
    editor = RecordEditor(edition, before.raw[str(year)], period)
    for edit in edits:
        missing = editor.apply(edit.folder, edit.record, edit.values)
        for column in missing:
            cell = edit.cells[column]
            what = "进展" if edit.folder == "tasks" else "整改情况"
            result.findings.append(cell.finding("sheet-required", path.name, what=what, heading=cell.header))
    if editor.changed and edition.status == "published":
        first = min((e.cells[f] for e in edits for f in editor.changed_fields(e.folder, e.record)),
                    key=lambda c: (c.sheet, c.row, c.column))
        result.findings.append(first.finding("sheet-edition-published", path.name, year=year))
    texts = editor.texts()
    shown = _display(data_dir / str(year))
    result.changed = {f"{shown}/{rel}": text for rel, text in texts.items()}
    if result.ok and texts:
        result.findings += _recheck(data_dir, year, texts, before.findings, editor, edits, path.name)
    result.findings = sort_findings(result.findings)
    if result.ok and texts and write:
        with Transaction(root=data_dir / str(year)) as change:  # all files or none, each whole: a crash leaves the data as they were
            for rel, text in texts.items():
                change.write_text(data_dir / str(year) / rel, text)
        result.written = True
    return result


def _read_meta(book: Any, name: str, found: list[Finding]) -> tuple[int, str | None, Period | None] | None:
    if META_SHEET not in book.sheetnames:
        return None
    pairs = {}
    for _, (key, value) in _bounded_rows(book[META_SHEET], 2, name, found, max_rows=META_ROWS):
        if key and key is not REFUSED:
            pairs[key] = value
    if pairs.get("format") != TEMPLATE_FORMAT or not isinstance(pairs.get("edition"), int):
        return None
    try:  # a yearly workbook has no period (and older ones no such row)
        period = parse_period(pairs["period"]) if pairs.get("period") else None
    except PeriodError:
        return None
    if period is not None and (period.year != pairs["edition"] or not period.in_year):
        return None
    return pairs["edition"], pairs.get("department") or None, period


def _read_sheet(ws: Any, sheet: Sheet, book: str, found: list[Finding]) -> list[RowEdit]:
    start = len(found)
    edits = _read_rows(ws, sheet, book, found)
    too_many = [f for f in found[start:] if f.code == "sheet-too-many-rows"]
    if too_many:  # the one finding that matters; the rows read before it are not imported anyway
        del found[start:]
        found += too_many
        return []
    return edits


def _read_rows(ws: Any, sheet: Sheet, book: str, found: list[Finding]) -> list[RowEdit]:
    columns = sheet.columns
    rows = _bounded_rows(ws, len(columns), book, found, headers=[c.header for c in columns])
    _, header = next(rows, (1, [None] * len(columns)))
    bad_header = False
    for index, (column, value) in enumerate(zip(columns, header, strict=True), start=1):
        actual = _text(value) if value is not REFUSED else "（公式或过长的内容）"
        if actual != column.header:
            cell = Cell(sheet.name, 1, index, column.header)
            found.append(cell.finding("sheet-header-changed", book, expected=column.header, actual=actual))
            bad_header = True
    if bad_header:
        return []
    expected = {row["id"]: row for row in sheet.rows}
    seen: dict[str, int] = {}
    edits = []
    for number, values in rows:
        if all(v is None or v == "" for v in values):
            continue
        if any(v is REFUSED for v in values):  # its finding is already made; nothing of the row is read
            continue
        cells = {c.field: Cell(sheet.name, number, i, c.header) for i, c in enumerate(columns, start=1)}
        record = _text(values[0])
        if record not in expected:
            found.append(cells["id"].finding("sheet-unknown-id", book, id=record,
                                             kind=_KIND_NAMES[sheet.folder]))
            continue
        if record in seen:
            found.append(cells["id"].finding("sheet-duplicate-id", book, id=record, other=seen[record]))
            continue
        seen[record] = number
        typed: dict[str, Any] = {}
        readable = True
        for column, value in zip(columns, values, strict=False):
            cell = cells[column.field]
            if not column.editable:
                old = expected[record].get(column.field)
                if not _same_cell(value, old):
                    found.append(cell.finding("sheet-locked-changed", book, heading=column.header,
                                              old=_show(old), new=_show(value)))
                continue
            ok, typed[column.field] = _parse(column, value)
            if not ok:
                readable = False
                code = {"choice": "sheet-not-in-list", "ids": "sheet-bad-ids"}.get(column.kind, "sheet-not-number")
                found.append(cell.finding(code, book, heading=column.header, value=_show(value),
                                          allowed="、".join(column.choice_labels())))
        if readable:  # a row with an unreadable cell is not applied: its finding says it all
            edits.append(RowEdit(sheet.folder, record, typed, cells))
    return edits


def _bounded_rows(ws: Any, width: int, book: str, found: list[Finding], *, max_rows: int | None = None,
                  headers: list[str] | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Stream a sheet's rows as (row number, values), refusing formulas, long cells and too many rows.

    A refused cell is given as REFUSED, with its finding added to `found`.
    """
    names = headers or [get_column_letter(i) for i in range(1, width + 1)]
    max_rows = max_rows or MAX_ROWS
    ws.reset_dimensions()  # read every row, not only those the sheet's own <dimension> admits to
    for number, row in enumerate(ws.iter_rows(max_col=width), start=1):
        if number > max_rows:
            found.append(finding("sheet-too-many-rows", book, line=number, pointer=f"/{ws.title}/{number}",
                                 cell=f"{ws.title}!A{number}", sheet=ws.title, limit=max_rows))
            return
        values: list[Any] = [None] * width
        for index, cell in enumerate(row[:width]):
            value = cell.value
            where = Cell(ws.title, number, index + 1, names[index])
            if cell.data_type == "f":  # cached or not, a formula is not a value someone typed
                formula = str(getattr(value, "text", value))
                found.append(where.finding("sheet-formula", book, formula=_clip(formula)))
                value = REFUSED
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                found.append(where.finding("sheet-cell-too-long", book, heading=names[index],
                                           length=len(value), limit=MAX_CELL_CHARS))
                value = REFUSED
            values[index] = value
        yield number, values


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def inspect_package(path: Path) -> list[Finding]:
    """Check a workbook's zip directory before anything is decompressed: size, macros, external links."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            return [finding("sheet-too-large", name, measure=f"文件有 {size / 2**20:.1f} MB",
                            limit=f"{MAX_WORKBOOK_BYTES // 2**20} MB")]
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                return [finding("sheet-too-large", name, measure=f"由 {len(members)} 个部件组成",
                                limit=f"{MAX_MEMBERS} 个部件")]
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED:
                return [finding("sheet-too-large", name, measure=f"解压后有 {total / 2**20:.0f} MB",
                                limit=f"{MAX_UNCOMPRESSED // 2**20} MB")]
            for m in members:
                if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    return [finding("sheet-too-large", name,
                                    measure=f"的部件 {m.filename} 压缩比为 {m.file_size // max(m.compress_size, 1)} 倍",
                                    limit=f"{MAX_RATIO} 倍")]
            names = [m.filename for m in members]
            types = package.read(CONTENT_TYPES) if CONTENT_TYPES in names else b""
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return [finding("sheet-unreadable", name, reason=str(exc) or type(exc).__name__)]
    found = []
    macro = [n for n in names if n.lower().endswith("vbaproject.bin")]
    if path.suffix.lower() in MACRO_SUFFIXES:
        found.append(finding("sheet-macro", name, reason=f"扩展名是 {path.suffix}"))
    elif macro:
        found.append(finding("sheet-macro", name, reason=f"含有宏代码 {macro[0]}"))
    elif b"macroenabled" in types.lower():
        found.append(finding("sheet-macro", name, reason="文件类型是启用宏的工作簿"))
    links = [n for n in names if n.startswith(EXTERNAL_LINKS)]
    if links:
        found.append(finding("sheet-external-link", name, parts="、".join(links[:3])))
    return found


def _parse(column: Column, value: Any) -> tuple[bool, Any]:
    """Read a cell as its column's kind; say whether it could be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True, None
    if column.kind in ("number", "count"):
        return _number(value)
    if column.kind == "choice":
        text = _text(value)
        for code, label in column.choices:
            if text in (code, label):
                return True, code
        return False, None
    if column.kind == "ids":
        ids = tuple(part.upper() for part in _ID_SPLIT.split(_text(value)) if part)
        return all(_ID.fullmatch(i) for i in ids), ids or None
    return True, _text(value)


def _number(value: Any) -> tuple[bool, Any]:
    if isinstance(value, (bool, date, datetime)):
        return False, None
    if isinstance(value, int):
        return True, value
    if isinstance(value, float):
        return True, float(f"{value:.12g}")  # drop binary noise from Excel's arithmetic: 0.1+0.2
    typed = plain_scalar(str(value).strip())  # numbers typed as text: the same rules as the YAML
    if isinstance(typed, (int, float)) and not isinstance(typed, bool):
        return True, typed
    return False, None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value).replace("\r\n", "\n").strip()


def _same_cell(actual: Any, expected: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        ok, number = _number(actual) if actual not in (None, "") else (True, None)
        return ok and number is not None and float(number) == float(expected)
    return _text(actual) == _text(expected)


def _show(value: Any) -> str:
    return _text(value) or "（空）"


def _recheck(data_dir: Path, year: int, texts: dict[str, str], known: list[Finding],
             editor: RecordEditor, edits: list[RowEdit], book: str) -> list[Finding]:
    """Check the whole data directory as it would be, on a temporary copy; return the new errors."""
    old = {(f.file, f.pointer, f.code) for f in known}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        for rel, text in texts.items():
            (copy / str(year) / rel).write_bytes(text.encode("utf-8"))
        raws = [read_edition(folder, display=_display(data_dir / folder.name))
                for folder in edition_folders(copy)]
        after = check_raw_editions(raws)
    new = [f for f in after.findings
           if f.severity == "error" and (f.file, f.pointer, f.code) not in old]
    shown = _display(data_dir / str(year))
    cells = {(f"{shown}/{rel}", pointer): edit.cells[name]
             for edit in edits for rel, pointer, name in editor.pointers(edit.folder, edit.record)}
    return [_to_cell(f, cells, book) for f in new]


def _to_cell(found: Finding, cells: dict[tuple[str, str], Cell], book: str) -> Finding:
    """Point a finding about a changed YAML node at the cell the change came from."""
    under = [(len(pointer), cell) for (file, pointer), cell in cells.items()
             if file == found.file and (found.pointer + "/").startswith(pointer + "/")]
    if not under:
        return found
    cell = max(under, key=lambda pair: pair[0])[1]  # the deepest node that holds the finding
    return Finding(file=book, line=cell.row, column=cell.column,
                   pointer=f"/{cell.sheet}/{cell.row}/{cell.header}", code=found.code,
                   severity=found.severity, message=f"{cell.ref}：{found.message}", hint=found.hint)


def _display(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()

