"""Spreadsheets for department staff: what each sheet holds, and the export of a fill-in workbook.

A department gets one workbook for one edition: a sheet for the indicators it
reports, one for the tasks it leads and one for the problems assigned to it.
Every cell holds what the data say now; only the cells of the edition year
that the department answers for are unlocked and coloured. The same layout
(`build_sheets`) tells the import which cells may change and what the locked
ones must still say, so the two cannot drift apart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import atomic
from ..check.validate import check_data
from ..findings import Finding
from ..model import SUBMISSION_HEADINGS, TASK_STATUS_LABELS, VERDICT_LABELS, Edition, Submission, Task
from ..periods import Period
from .formulas import keep_as_text

TEMPLATE_FORMAT = 1
META_SHEET = "_checkup"  # very hidden: which edition and department the workbook is for
GUIDE_SHEET = "填表说明"
INDICATOR_SHEET = "指标数据采集表"
TASK_SHEET = "任务进展表"
PROBLEM_SHEET = "问题整改表"
ALL_DEPARTMENTS = "全部部门"
ID_SEPARATOR = "、"

FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill: pale yellow, as on paper forms
HEADER = PatternFill("solid", fgColor="DDEBF7")
NUMBER_LIMIT = "1E+15"  # a sanity bound for Excel's own number check, not a rule of the data


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the row field it shows, and how it is filled."""

    header: str
    field: str
    width: int = 14
    kind: str = "text"  # text, number, count (a number >= 0), choice, ids
    editable: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) for kind "choice"

    def choice_labels(self) -> list[str]:
        return [label for _, label in self.choices]


@dataclass
class Sheet:
    """A sheet's columns and its rows (field -> cell value), one row per record."""

    name: str
    folder: str  # the edition folder the records live in: indicators, tasks or problems
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)


# The department's written submission (部门报送说明), the four headings of a municipal work plan;
# the row field of each column is "submission/<name>".
SUBMISSION_COLUMNS = tuple(Column(label, f"submission/{name}", 36, editable=True)
                           for name, label in SUBMISSION_HEADINGS.items())


def submission_cells(given: Submission | None) -> dict[str, Any]:
    return {f"submission/{name}": getattr(given, name) if given else None for name in SUBMISSION_HEADINGS}


STATUS_CHOICES = tuple(TASK_STATUS_LABELS.items())
VERDICT_CHOICES = tuple(VERDICT_LABELS.items())


def build_sheets(edition: Edition, department: str | None, period: Period | None = None) -> list[Sheet]:
    """Lay out the sheets of a department's workbook (all departments when None); skip empty ones.

    With an in-year period only that period's cells are open: the indicators that report at
    least that often and the tasks running that year; problems are followed up yearly.
    """
    if period is not None:
        sheets = [period_indicator_sheet(edition, department, period), period_task_sheet(edition, department, period)]
    else:
        sheets = [indicator_sheet(edition, department), task_sheet(edition, department),
                  problem_sheet(edition, department)]
    return [s for s in sheets if s.rows]


def period_indicator_sheet(edition: Edition, department: str | None, period: Period) -> Sheet:
    chosen = [i for i in edition.indicators.values()
              if department in (None, i.department) and not period.finer_than(i.frequency)]
    earlier = sorted({p for i in chosen for p in i.in_year if p.year == period.year and p < period},
                     key=Period.sort_key)
    columns = (
        Column("指标编号", "id", 10), Column("指标名称", "name", 24), Column("单位", "unit", 12),
        Column("责任部门", "department", 16),
        *(Column(p.label(), str(p), 11, "number") for p in earlier),
        Column(period.label(), str(period), 11, "number", editable=True),
    )
    rows = [{"id": i.id, "name": i.name, "unit": i.unit, "department": _dept(edition, i.department),
             **{str(p): v for p, v in i.in_year.items()}} for i in chosen]
    return Sheet(INDICATOR_SHEET, "indicators", columns, rows)


def period_task_sheet(edition: Edition, department: str | None, period: Period) -> Sheet:
    chosen = [t for t in edition.tasks.values()
              if department in (None, t.lead) and t.period_start <= period.year <= t.period_end]
    label = period.label()
    columns = (
        Column("任务编号", "id", 10), Column("序号", "number", 6), Column("任务名称", "title", 30),
        Column("牵头单位", "lead", 16), Column("实施期限", "period", 11), Column("量化目标", "target", 12),
        Column(f"{period.year}年以前累计完成量", "done_before", 12, "number"),
        Column(f"{label}完成量", "done", 11, "count", editable=True),
        Column(f"截至{label}末累计完成量", "cumulative", 13, "count", editable=True),
        Column(f"{label}进展状态", "status", 12, "choice", editable=True, choices=STATUS_CHOICES),
        Column(f"{label}进展情况", "summary", 44, editable=True),
    )
    rows = []
    for t in chosen:
        now = next((p for p in t.in_year if p.period == period), None)
        rows.append({**_task_facts(edition, t, period.year),
                     "done": now.done if now else None, "cumulative": now.cumulative if now else None,
                     "status": TASK_STATUS_LABELS[now.status] if now else None,
                     "summary": now.summary if now else None})
    return Sheet(TASK_SHEET, "tasks", columns, rows)


def _task_facts(edition: Edition, t: Task, year: int) -> dict[str, object]:
    """The cells every task row starts with, in the yearly and the period workbook alike."""
    before = [p.done for p in t.progress if p.year < year and p.done is not None]
    return {"id": t.id, "number": t.number, "title": t.title, "lead": _dept(edition, t.lead),
            "period": f"{t.period_start}—{t.period_end}",
            "target": f"{_num(t.target_quantity)}{t.target_unit or ''}" if t.target_quantity else None,
            "done_before": sum(before) if before else None}


def indicator_sheet(edition: Edition, department: str | None) -> Sheet:
    chosen = [i for i in edition.indicators.values() if department in (None, i.department)]
    years = sorted({y for i in chosen for y in i.values if y <= edition.year} | {edition.year})
    columns = (
        Column("指标编号", "id", 10), Column("指标名称", "name", 24), Column("指标内涵", "definition", 40),
        Column("单位", "unit", 12), Column("数据来源", "data_source", 24),
        Column("采集方式", "collection_method", 14), Column("责任部门", "department", 16),
        Column("报送截止日期", "deadline", 13),
        *(Column(f"{y}年", str(y), 11, "number", editable=y == edition.year)
          for y in range(years[0], edition.year + 1)),
        *SUBMISSION_COLUMNS,
    )
    rows = [{"id": i.id, "name": i.name, "definition": i.definition, "unit": i.unit,
             "data_source": i.data_source, "collection_method": i.collection_method,
             "department": _dept(edition, i.department), "deadline": i.deadline,
             **{str(y): v for y, v in i.values.items()}, **submission_cells(i.submission)} for i in chosen]
    return Sheet(INDICATOR_SHEET, "indicators", columns, rows)


def task_sheet(edition: Edition, department: str | None) -> Sheet:
    year = edition.year
    chosen = [t for t in edition.tasks.values()
              if department in (None, t.lead) and t.period_start <= year <= t.period_end]
    columns = (
        Column("任务编号", "id", 10), Column("序号", "number", 6), Column("所属板块", "section", 24),
        Column("任务名称", "title", 30), Column("牵头单位", "lead", 16), Column("配合单位", "cooperating", 24),
        Column("实施期限", "period", 11), Column("量化目标", "target", 12),
        Column("往年累计完成量", "done_before", 10, "number"),
        Column(f"{year}年完成量", "done", 11, "count", editable=True),
        Column(f"{year}年进展状态", "status", 12, "choice", editable=True, choices=STATUS_CHOICES),
        Column(f"{year}年进展情况", "summary", 44, editable=True),
        *SUBMISSION_COLUMNS,
    )
    rows = []
    for t in chosen:
        now = next((p for p in t.progress if p.year == year), None)
        rows.append({
            **_task_facts(edition, t, year), "section": t.section, "cooperating": _depts(edition, t.cooperating),
            "done": now.done if now else None,
            "status": TASK_STATUS_LABELS[now.status] if now else None,
            "summary": now.summary if now else None,
            **submission_cells(t.submission),
        })
    return Sheet(TASK_SHEET, "tasks", columns, rows)


def problem_sheet(edition: Edition, department: str | None) -> Sheet:
    year = edition.year
    # a problem is followed up from the year after it was found
    chosen = [p for p in edition.problems.values()
              if (department is None or department in p.departments) and p.found_in < year]
    columns = (
        Column("问题编号", "id", 13), Column("发现年度", "found_in", 8), Column("问题", "title", 28),
        Column("问题诊断", "description", 40), Column("对策建议", "recommendations", 40),
        Column("责任部门", "departments", 24),
        Column(f"{year}年转化吸纳的任务", "absorbed_into", 16, "ids", editable=True),
        Column(f"{year}年部门回应", "response", 44, editable=True),
        Column(f"{year}年回头看结论", "verdict", 12, "choice", editable=True, choices=VERDICT_CHOICES),
    )
    rows = []
    for p in chosen:
        now = next((f for f in p.follow_up if f.year == year), None)
        rows.append({
            "id": p.id, "found_in": p.found_in, "title": p.title, "description": p.description,
            "recommendations": "\n".join(p.recommendations), "departments": _depts(edition, p.departments),
            "absorbed_into": ID_SEPARATOR.join(now.absorbed_into) if now and now.absorbed_into else None,
            "response": now.response if now else None,
            "verdict": VERDICT_LABELS[now.verdict] if now else None,
        })
    return Sheet(PROBLEM_SHEET, "problems", columns, rows)


def _dept(edition: Edition, dept_id: str) -> str:
    dept = edition.departments.get(dept_id)
    return dept.label if dept else dept_id


def _depts(edition: Edition, ids: tuple[str, ...]) -> str | None:
    return ID_SEPARATOR.join(_dept(edition, d) for d in ids) or None


def _num(value: float) -> str:
    return f"{value:g}"


class TemplateError(Exception):
    """The workbook asked for cannot be made; the message says why, in a clerk's words."""


@dataclass
class Export:
    """A written workbook, or the findings that stopped it (the edition has errors)."""

    path: Path | None
    sheets: list[Sheet] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def export_template(data_dir: Path, department: str | None = None, year: int | None = None,
                    target: Path | None = None, period: Period | None = None) -> Export:
    """Check the data, then write the workbook of one edition (the latest by default)."""
    result = check_data(data_dir)
    years = sorted(int(name) for name in result.raw)
    if not years:
        raise TemplateError(f"{data_dir} 中没有年度版本。")
    year = year or (period.year if period else years[-1])
    if period is not None and (period.year != year or not period.in_year):
        raise TemplateError(f"报告期 {period} 不是 {year} 年的年内报告期（季度、半年或月份，例如 {year}-Q2）。")
    if str(year) not in result.raw:
        raise TemplateError(f"没有 {year} 年的版本；现有：{'、'.join(map(str, years))}。")
    edition = result.editions.get(year)
    if edition is None:
        folder = result.raw[str(year)].folder + "/"
        return Export(None, findings=[f for f in result.errors if f.file.startswith(folder)])
    if department and department not in edition.departments:
        known = "、".join(edition.departments)
        raise TemplateError(f"部门编号 {department} 没有在 {year} 年版本中登记；可用的编号：{known}。")
    who = edition.department_name(department) if department else ALL_DEPARTMENTS
    when = period.label() if period else f"{year}年"
    target = target or Path(f"{when}数据填报表-{who}.xlsx")
    return Export(target, export_workbook(edition, department, target, period))


def export_workbook(edition: Edition, department: str | None, target: Path,
                    period: Period | None = None) -> list[Sheet]:
    """Write the fill-in workbook of a department (or of all) and return its sheets."""
    sheets = build_sheets(edition, department, period)
    book = Workbook()
    guide = book.active
    assert guide is not None  # a new workbook always has one sheet
    guide.title = GUIDE_SHEET
    _write_guide(guide, edition, department, sheets, period)
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet)
    meta = book.create_sheet(META_SHEET)
    for row in (("format", TEMPLATE_FORMAT), ("edition", edition.year), ("department", department or ""),
                ("period", str(period) if period else "")):
        meta.append(row)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    for ws in book.worksheets:  # names and texts from the data are text, never formulas
        for row in ws.iter_rows():
            for cell in row:
                keep_as_text(cell)
    book.properties.creator = "checkup export-template"
    buffer = io.BytesIO()
    book.save(buffer)
    atomic.write_bytes(target, buffer.getvalue())  # a half-written workbook never replaces a good one
    return sheets


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.append([c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for record in sheet.rows:
        ws.append([record.get(c.field) for c in sheet.columns])
    last = len(sheet.rows) + 1
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        for row in range(2, last + 1):
            cell = ws.cell(row, index)
            cell.alignment = Alignment(wrap_text=column.kind in ("text", "ids"), vertical="top")
            if column.editable:
                cell.fill = FILL
                cell.protection = Protection(locked=False)
        if column.editable:
            _validation(ws, column, f"{letter}2:{letter}{last}")
    ws.freeze_panes = "C2"
    # no password: the lock guards against slips; the import is what enforces the rules
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validation(ws: Worksheet, column: Column, cells: str) -> None:
    if column.kind == "choice":
        allowed = ",".join(column.choice_labels())
        rule = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True)
        rule.error = "只能从下拉列表中选择：" + "、".join(column.choice_labels())
    elif column.kind in ("number", "count"):
        low = "0" if column.kind == "count" else f"-{NUMBER_LIMIT}"
        rule = DataValidation(type="decimal", operator="between", formula1=low, formula2=NUMBER_LIMIT,
                              allow_blank=True)
        rule.error = "请填写数字，不要带单位、百分号或千分位逗号。" + ("不能为负数。" if low == "0" else "")
    else:
        return
    rule.errorTitle = f"“{column.header}”填写有误"
    rule.showErrorMessage = True
    rule.add(cells)
    ws.add_data_validation(rule)


def _write_guide(ws: Worksheet, edition: Edition, department: str | None, sheets: list[Sheet],
                 period: Period | None = None) -> None:
    year = edition.year
    who = edition.department_name(department) if department else ALL_DEPARTMENTS
    if period is not None:
        _write_period_guide(ws, edition, who, sheets, period)
        return
    lines = [
        f"{edition.title}  数据填报表（{who}）",
        "",
        "怎样填写",
        "1. 只填写浅黄色底色的单元格；其他单元格已锁定，是现有数据，供核对参考。",
        f"2. {INDICATOR_SHEET}：在“{year}年”一列填写本部门负责指标的 {year} 年全市数值。"
        "只填数字，不带单位、百分号或千分位逗号（单位见“单位”列；百分比填 85.5 表示 85.5%）。"
        "暂时没有数据的留空。往年数值如需修订，请联系体检工作组并说明原因。",
        f"3. {TASK_SHEET}：填写本部门牵头任务 {year} 年的当年完成量（当年新完成的数量，不是累计数）、"
        "进展状态（从下拉列表选择）和进展情况（简要文字）。填写了完成量或进展情况的，必须选择进展状态。",
        f"4. {PROBLEM_SHEET}：填写分配给本部门的问题在 {year} 年的整改情况：转化吸纳进哪些任务"
        f"（填任务编号，多个编号用顿号分开，例如 RW-061{ID_SEPARATOR}RW-062）、部门回应和回头看结论"
        "（从下拉列表选择）。填写了任务或回应的，必须选择回头看结论。",
        "5. 清空一个浅黄色单元格，表示删除原来的内容。",
        "6. 不要增删行或列，不要修改工作表名称和表头，不要把内容复制到新的工作簿里再交回。"
        "工作表已设保护（没有密码），只为防止误改锁定的内容。",
        "",
        "可选的值",
        "进展状态：" + "、".join(TASK_STATUS_LABELS.values()),
        "回头看结论：" + "、".join(VERDICT_LABELS.values()),
        "",
        "填好以后",
        "把文件交回体检工作组，由工作组用 checkup import 导入。导入时逐格检查：数字是否是数字、"
        "选项是否在下拉列表中、锁定的内容是否被改动、导入后的数据能否通过全部数据检查。"
        "只要有一处错误，整个文件都不导入，并列出每处错误所在的工作表、行和列（例如 指标数据采集表!M5）。",
        "",
        "本工作簿包含：" + "、".join(f"{s.name}（{len(s.rows)} 行）" for s in sheets),
    ]
    _fill_guide(ws, lines, headings=(1, 3, 11, 15))


def _write_period_guide(ws: Worksheet, edition: Edition, who: str, sheets: list[Sheet], period: Period) -> None:
    label = period.label()
    lines = [
        f"{edition.title}  {label}数据填报表（{who}）",
        "",
        "怎样填写",
        "1. 只填写浅黄色底色的单元格；其他单元格已锁定，是现有数据，供核对参考。",
        f"2. {INDICATOR_SHEET}：在“{label}”一列填写{period.as_of()}的全市数值。只填数字，不带单位、百分号或千分位逗号。",
        f"3. {TASK_SHEET}：填写{label}的本期完成量（本期新完成的数量，不是累计数）、"
        f"截至{label}末的累计完成量（任务开始以来，至少填一项）、进展状态和进展情况。",
        "4. 清空一个浅黄色单元格，表示删除原来的内容。不要增删行或列，不要修改工作表名称和表头。",
        "",
        "填好以后",
        "把文件交回体检工作组，由工作组用 checkup import 导入；只要有一处错误，整个文件都不导入。",
        "",
        "本工作簿包含：" + "、".join(f"{s.name}（{len(s.rows)} 行）" for s in sheets),
    ]
    _fill_guide(ws, lines)


def _fill_guide(ws: Worksheet, lines: list[str], headings: tuple[int, ...] = ()) -> None:
    """Write a guide sheet: one wrapped line a row, the heading rows in bold, the sheet protected."""
    for text in lines:
        ws.append([text])
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for row in headings:
        ws.cell(row, 1).font = Font(bold=True, size=14 if row == 1 else 12)
    ws.protection.sheet = True
