"""The downloadable data of an edition: CSV and XLSX of every table, JSON, datapackage.json, SHA256SUMS.

Every file is built in memory and is byte-for-byte the same for the same data
(no timestamps), so checksums are stable from build to build and an unchanged
edition rewrites nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..assess import FOLLOW_UP_LABELS, PACE_LABELS, STATUS_LABELS, EditionAssessment
from ..model import (
    DIRECTION_LABELS,
    GRADE_LABELS,
    KIND_LABELS,
    SAMPLE_GROUP_LABELS,
    STANDARD_LABELS,
    TASK_STATUS_LABELS,
    TREND_LABELS,
    VERDICT_LABELS,
    Edition,
)
from ..assess.numbers import indicator_decimals, rounded, target_text, task_decimals
from ..read.memo import Memo, digest
from ..staff.formulas import FORMULA_START, csv_safe, keep_as_text, runs_as_formula
from .arearank import rank_areas
from .xlsxrows import sheet_rows, to_ascii_xml

XLSX_MAX_ROWS = 200_000  # larger tables go in the CSV only: a workbook that size no longer opens comfortably
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

# Computed figures are written to 12 significant digits: enough for any published figure,
# and it drops binary floating-point noise (177.92000000000002 is written 177.92).
SIGNIFICANT_DIGITS = 12
# A CSV starts with a UTF-8 byte order mark: Excel on Chinese Windows reads a CSV without
# one in the local code page and shows the Chinese garbled.
CSV_BOM = "\ufeff"
TARGET_FORMS = {"equals": "等于", "at_least": "不低于", "at_most": "不高于", "between": "区间", "about": "左右",
                "trend": "方向"}
# Coded values are written in Chinese in the CSV and XLSX; datapackage.json keeps each field's
# machine-readable name and the code behind each word ("x-name", "x-codes").
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("indicators", "standard"): STANDARD_LABELS, ("indicators", "direction"): DIRECTION_LABELS,
    ("indicators", "kind"): KIND_LABELS, ("indicators", "status"): STATUS_LABELS,
    ("indicator_targets", "form"): TARGET_FORMS, ("indicator_targets", "trend"): TREND_LABELS,
    ("tasks", "pace"): PACE_LABELS, ("task_progress", "status"): TASK_STATUS_LABELS,
    ("problems", "state"): FOLLOW_UP_LABELS, ("problems", "latest_verdict"): VERDICT_LABELS,
    ("problem_follow_up", "verdict"): VERDICT_LABELS, ("survey_sample", "group_kind"): SAMPLE_GROUP_LABELS,
    ("planner_evaluations", "grade"): GRADE_LABELS,
}

# The licence the published data carry. The example city's data are fictional; a real city
# states its own open-data licence here.
LICENCE = {"name": "CC-BY-4.0", "title": "知识共享署名 4.0 国际许可协议",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
# Tables whose rows point at another table's records: (field, table, that table's key field).
REFERENCES = {"indicator_id": ("indicators", "id"), "task_id": ("tasks", "id"), "problem_id": ("problems", "id"),
              "planner_id": ("planners", "id")}
# Fields that tell the rows of a table apart, where "id" alone does not.
PRIMARY_KEYS = {"indicator_values": ("indicator_id", "year"), "task_progress": ("task_id", "year"),
                "problem_follow_up": ("problem_id", "year"), "planner_evaluations": ("planner_id", "year")}

# Field types follow the Frictionless Table Schema.
Field = tuple[str, str, str]  # name, type, Chinese title


@dataclass(frozen=True)
class DataTable:
    name: str
    title: str
    fields: tuple[Field, ...]
    rows: Sequence[Sequence[object]]

    @cached_property
    def content_key(self) -> str:
        """A short key for the exact content, worked out once (a table is keyed for its CSV and its sheet)."""
        return digest(self.fields, self.rows)


def _join(values: object) -> str:
    return "；".join(str(v) for v in values)  # type: ignore[attr-defined]


def edition_tables(edition: Edition, assessment: EditionAssessment) -> list[DataTable]:
    """Lay an edition and its assessment out as flat tables, one row per record or yearly value."""
    e, a = edition, assessment
    Rows = list[tuple[object, ...]]
    ind_rows: Rows = []
    value_rows: Rows = []
    area_rows: Rows = []
    rank_rows: Rows = []
    target_rows: Rows = []
    for ind in e.indicators.values():
        ia = a.indicators[ind.id]
        places = indicator_decimals(ind)  # derived figures at the precision of the indicator's values
        ind_rows.append((ind.id, ind.name, ind.category, ind.subcategory, ind.standard, ind.unit, ind.definition,
                         ind.direction, ind.kind, ind.base_year, ind.base_value, ia.latest_year, ia.latest_value,
                         ia.previous_value, ia.target.year if ia.target else None,
                         target_text(ia.target, ind.unit) if ia.target else None, rounded(ia.expected, places), ia.progress, ia.status, ia.label(),
                         ia.reason, ind.department, _join(ind.cooperating), ind.data_source, ind.collection_method,
                         ind.file.rsplit("/", 1)[-1]))
        value_rows.extend((ind.id, year, value) for year, value in sorted(ind.values.items()))
        for area, series in ind.by_area.items():
            area_rows.extend((ind.id, area, e.area_name(area), year, value) for year, value in sorted(series.items()))
        rank_rows.extend((s.indicator, s.area, e.area_name(s.area), s.year, s.value, s.rank, s.ranked, s.city_value,
                          rounded(s.gap_to_city, places), s.weakest) for s in rank_areas(ind, ia.target))
        for t in ind.targets:
            low, high = t.between if t.between else (None, None)
            value = next((v for v in (t.equals, t.at_least, t.at_most, t.about) if v is not None), None)
            target_rows.append((ind.id, t.year, t.form, value, low, high, t.tolerance, t.trend, target_text(t, ind.unit)))
    task_rows: Rows = []
    progress_rows: Rows = []
    for task in e.tasks.values():
        ta = a.tasks[task.id]
        task_rows.append((task.id, task.number, task.section, task.title, task.lead, _join(task.cooperating),
                          task.period_start, task.period_end, task.target_quantity, task.target_unit,
                          ta.cumulative_done, ta.done_share, ta.elapsed_share, rounded(ta.projected, task_decimals(task)), ta.pace, ta.label(),
                          ta.warning, ta.reason, _join(task.indicators), _join(task.from_problems)))
        progress_rows.extend((task.id, p.year, p.status, p.done, p.summary) for p in task.progress)
    problem_rows: Rows = []
    follow_rows: Rows = []
    for problem in e.problems.values():
        pa = a.problems[problem.id]
        problem_rows.append((problem.id, problem.found_in, problem.title, problem.description,
                             _join(problem.recommendations), _join(problem.departments),
                             _join(problem.evidence_indicators), _join(problem.evidence_tasks), pa.state, pa.label(),
                             _join(pa.absorbed_into), pa.latest_verdict, pa.resolved_in))
        follow_rows.extend((problem.id, f.year, f.verdict, _join(f.absorbed_into), f.response, f.memo)
                           for f in problem.follow_up)
    s = a.survey
    tables = [
        DataTable("indicators", "指标评估结果", (
            ("id", "string", "编号"), ("name", "string", "指标名称"), ("category", "string", "一级类别"),
            ("subcategory", "string", "二级类别"), ("standard", "string", "指标来源体系"), ("unit", "string", "单位"),
            ("definition", "string", "指标内涵"), ("direction", "string", "指标方向"), ("kind", "string", "指标属性"),
            ("base_year", "integer", "基期年"), ("base_value", "number", "基期值"),
            ("latest_year", "integer", "最新数据年份"), ("latest_value", "number", "最新值"),
            ("previous_value", "number", "上年值"), ("target_year", "integer", "目标年"),
            ("target", "string", "目标"), ("expected", "number", "按直线进度应达到"),
            ("progress", "number", "完成程度"), ("status", "string", "评估结果代码"),
            ("status_label", "string", "评估结果"), ("reason", "string", "评估说明"),
            ("department", "string", "责任部门编号"), ("cooperating", "string", "配合部门编号"),
            ("data_source", "string", "数据来源"), ("collection_method", "string", "采集方式"),
            ("file", "string", "数据文件")), ind_rows),
        DataTable("indicator_values", "指标逐年数值", (
            ("indicator_id", "string", "指标编号"), ("year", "integer", "年份"), ("value", "number", "数值")),
            value_rows),
        DataTable("indicator_area_values", "指标分区数值", (
            ("indicator_id", "string", "指标编号"), ("area_id", "string", "区域编号"),
            ("area_name", "string", "区域名称"), ("year", "integer", "年份"), ("value", "number", "数值")),
            area_rows),
        DataTable("indicator_area_ranking", "指标分区排名（最新年份）", (
            ("indicator_id", "string", "指标编号"), ("area_id", "string", "区域编号"),
            ("area_name", "string", "区域名称"), ("year", "integer", "年份"), ("value", "number", "数值"),
            ("rank", "integer", "排名（1 为最好）"), ("areas_ranked", "integer", "参与排名的区数"),
            ("city_value", "number", "全市数值"), ("gap_to_city", "number", "与全市差距（全市为各区合计时为空）"),
            ("weakest", "boolean", "薄弱地区")), rank_rows),
        DataTable("indicator_targets", "指标规划目标", (
            ("indicator_id", "string", "指标编号"), ("year", "integer", "目标年"), ("form", "string", "目标形式"),
            ("value", "number", "目标值"), ("low", "number", "区间下限"), ("high", "number", "区间上限"),
            ("tolerance", "number", "允许偏差"), ("trend", "string", "方向"), ("label", "string", "目标")),
            target_rows),
        DataTable("tasks", "任务进度", (
            ("id", "string", "编号"), ("number", "integer", "序号"), ("section", "string", "所属板块"),
            ("title", "string", "任务名称"), ("lead", "string", "牵头单位编号"),
            ("cooperating", "string", "配合单位编号"), ("period_start", "integer", "开始年份"),
            ("period_end", "integer", "完成年份"), ("target_quantity", "number", "目标数量"),
            ("target_unit", "string", "单位"), ("cumulative_done", "number", "累计完成量"),
            ("done_share", "number", "累计完成率"), ("elapsed_share", "number", "序时进度"),
            ("projected", "number", "预计完成量"), ("pace", "string", "进度代码"), ("pace_label", "string", "进度"),
            ("warning", "boolean", "预警"), ("reason", "string", "进度说明"),
            ("indicators", "string", "相关指标"), ("from_problems", "string", "来源问题")), task_rows),
        DataTable("task_progress", "任务年度进展", (
            ("task_id", "string", "任务编号"), ("year", "integer", "年份"), ("status", "string", "进展状态"),
            ("done", "number", "当年完成量"), ("summary", "string", "进展情况")), progress_rows),
        DataTable("problems", "问题清单", (
            ("id", "string", "编号"), ("found_in", "integer", "发现年度"), ("title", "string", "问题"),
            ("description", "string", "问题诊断"), ("recommendations", "string", "对策建议"),
            ("departments", "string", "责任部门编号"), ("evidence_indicators", "string", "依据指标"),
            ("evidence_tasks", "string", "依据任务"), ("state", "string", "状态代码"),
            ("state_label", "string", "状态"), ("absorbed_into", "string", "转化吸纳的任务"),
            ("latest_verdict", "string", "最近回头看结论"), ("resolved_in", "integer", "解决年度")), problem_rows),
        DataTable("problem_follow_up", "问题跟踪落实", (
            ("problem_id", "string", "问题编号"), ("year", "integer", "年份"), ("verdict", "string", "回头看结论"),
            ("absorbed_into", "string", "转化吸纳的任务"), ("response", "string", "部门回应"),
            ("memo", "string", "销项会纪要")), follow_rows),
    ]
    if s is not None:
        tables += [
            DataTable("survey_dimensions", "满意度维度得分", (
                ("id", "string", "维度编号"), ("name", "string", "维度"), ("score", "number", "得分"),
                ("ci_low", "number", "95%置信区间下限"), ("ci_high", "number", "95%置信区间上限"),
                ("n", "integer", "计算人数")),
                [(d.id, d.name, d.score.score, d.score.low, d.score.high, d.score.n) for d in s.dimensions]),
            DataTable("survey_questions", "满意度各题得分", (
                ("dimension_id", "string", "维度编号"), ("question_id", "string", "题号"),
                ("text", "string", "题目"), ("score", "number", "得分"), ("ci_low", "number", "95%置信区间下限"),
                ("ci_high", "number", "95%置信区间上限"), ("n", "integer", "作答人数")),
                [(d.id, qid, qt, sc.score, sc.low, sc.high, sc.n) for d in s.dimensions for qid, qt, sc in d.questions]),
            DataTable("survey_sample", "满意度调查样本构成", (
                ("group_kind", "string", "分组方式"), ("group", "string", "组别"), ("count", "integer", "样本数"),
                ("sample_share", "number", "样本占比（%）"), ("population_share", "number", "常住人口占比（%）"),
                ("gap", "number", "偏差（百分点）")),
                [(r.group_kind, r.group, r.count, r.sample_share, r.population_share, r.gap) for r in s.composition]),
        ]
    tables += [
        DataTable("departments", "责任部门", (
            ("id", "string", "编号"), ("name", "string", "部门全称"), ("short_name", "string", "简称"),
            ("contact", "string", "联系方式")),
            [(d.id, d.name, d.short_name, d.contact) for d in e.departments.values()]),
        DataTable("planners", "责任规划师", (
            ("id", "string", "编号"), ("name", "string", "姓名或团队"), ("organisation", "string", "所在单位"),
            ("area", "string", "所在区编号"), ("street", "string", "负责街道"), ("term_start", "string", "聘期开始"),
            ("term_end", "string", "聘期结束")),
            [(p.id, p.name, p.organisation, p.area, p.street, p.term_start, p.term_end) for p in e.planners]),
        DataTable("planner_evaluations", "责任规划师年度考评", (
            ("planner_id", "string", "编号"), ("year", "integer", "考评年度"), ("grade", "string", "考评等次"),
            ("comment", "string", "考评意见")),
            [(p.id, ev.year, ev.grade, ev.comment) for p in e.planners for ev in p.evaluations]),
        DataTable("corrections", "更正记录", (
            ("date", "string", "更正日期"), ("files", "string", "更正的文件"), ("what", "string", "更正内容"),
            ("why", "string", "更正原因"), ("who", "string", "更正人或部门")),
            [(c.date, _join(c.files), c.what, c.why, c.who) for c in e.corrections]),
    ]
    return tables


# -- file formats --------------------------------------------------------------------------
def _cell(value: object) -> object:
    if type(value) is str:  # most cells: as they are
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value):
        value = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
    return "" if value is None else value


def _labelled(table: DataTable) -> list[list[object]]:
    """Return the rows with coded values in Chinese and figures without floating-point noise."""
    if _LAST_LABELLED[0] is table:
        return _LAST_LABELLED[1]
    maps = [VALUE_LABELS.get((table.name, f[0])) for f in table.fields]
    if not any(maps):  # most tables: text and whole numbers as they are (most cells), the rest through _cell
        rows = [[v if type(v) is str or type(v) is int else _cell(v) for v in row] for row in table.rows]
    else:
        rows = [[_cell(m.get(v, v) if m is not None and isinstance(v, str) else v)
                 for v, m in zip(row, maps, strict=True)] for row in table.rows]
    _LAST_LABELLED[:] = [table, rows]
    return rows


# The table labelled last (the very object) and its rows: an edition's CSV file and workbook sheet of
# one table are made one after the other from them (edition_files); emptied when the edition is done.
_LAST_LABELLED: list[Any] = [None, []]


def to_csv(table: DataTable) -> bytes:
    """Write a table as UTF-8 CSV with a byte order mark and Chinese titles; no text can run as a formula."""
    made = _made_from(table, "csv", lambda: _csv(table))
    assert made is not None  # a CSV can always be written
    return made


def _csv(table: DataTable) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f[2] for f in table.fields])
    # only text that starts like a formula is changed (csv_safe); the rest is written as it is
    writer.writerows([csv_safe(v) if type(v) is str and v.startswith(FORMULA_START) else v for v in row]
                     for row in _labelled(table))
    return (CSV_BOM + out.getvalue()).encode("utf-8")


# What was made lately from each table, by a digest of its exact content (its repr tells 1 from
# True and from 1.0, which compare equal): under `mkdocs serve` a save changes a few rows of
# one edition, and the CSV files and workbook sheets of every other table are not made again.
# An edition has about 20 tables, and each indicator a CSV of its own.
_MADE: Memo[bytes | None] = Memo(4096)


def _made_from(table: DataTable, kind: str, make: Callable[[], bytes | None]) -> bytes | None:
    return _MADE.get((kind, table.name, table.content_key), make)


def schema_fields(table: DataTable) -> list[dict[str, object]]:
    """Describe a table's fields for datapackage.json: the Chinese header, its code name and value codes."""
    out = []
    for name, kind, title in table.fields:
        field: dict[str, object] = {"name": title, "type": kind, "title": title, "x-name": name}
        codes = VALUE_LABELS.get((table.name, name))
        if codes:
            field["x-codes"] = {label: code for code, label in codes.items()}
        out.append(field)
    return out


def _schema(table: DataTable, tables: list[DataTable]) -> dict[str, object]:
    titles = {t.name: {f[0]: f[2] for f in t.fields} for t in tables}
    own = titles[table.name]
    schema: dict[str, object] = {"fields": schema_fields(table)}
    key = PRIMARY_KEYS.get(table.name, ("id",) if "id" in own else ())
    if key:
        schema["primaryKey"] = [own[k] for k in key]
    foreign = [{"fields": own[name], "reference": {"resource": other, "fields": titles[other][field]}}
               for name, (other, field) in REFERENCES.items() if name in own and other in titles]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def indicator_table(edition: Edition, ind_id: str) -> DataTable:
    """Lay out one indicator's values, city-wide and by area, as one table for its own CSV."""
    ind = edition.indicators[ind_id]
    rows: list[tuple[object, ...]] = [(ind.id, ind.name, "全市", year, value, ind.unit)
                                      for year, value in sorted({ind.base_year: ind.base_value, **ind.values}.items())]
    for area, series in ind.by_area.items():
        rows += [(ind.id, ind.name, edition.area_name(area), year, value, ind.unit) for year, value in sorted(series.items())]
    return DataTable(ind.id, ind.name, (
        ("indicator_id", "string", "指标编号"), ("indicator_name", "string", "指标名称"), ("area", "string", "范围"),
        ("year", "integer", "年份"), ("value", "number", "数值"), ("unit", "string", "单位")), rows)


def _xlsx_row(sheet: Any, values: Sequence[object]) -> list[object]:
    """Lay out a row for a write-only sheet, formula-like text as typed strings."""
    row: list[object] = []
    for value in values:
        if runs_as_formula(value):
            cell = WriteOnlyCell(sheet, value)
            keep_as_text(cell)
            row.append(cell)
        else:
            row.append(value)
    return row


def to_xlsx(tables: list[DataTable], title: str) -> bytes:
    """Write the tables as one workbook, one sheet each, with Chinese column titles."""
    shown = [t for t in tables if len(t.rows) <= XLSX_MAX_ROWS]
    left_out = [t for t in tables if len(t.rows) > XLSX_MAX_ROWS]
    notes: list[list[object]] = [[title], ["每个工作表对应同名的 CSV 文件；字段说明见 datapackage.json。"]]
    notes += [[f"{t.name}（{t.title}）有 {len(t.rows)} 行，超过 {XLSX_MAX_ROWS} 行，只提供 CSV。"] for t in left_out]
    # the notes' title is typed text like a data cell; their other lines are written as they are
    notes_typed = [{0} if runs_as_formula(title) else set(), set(), *(set() for _ in left_out)]
    fast = [_made_from(t, "xlsx-rows", partial(_table_rows_xml, t)) for t in shown]
    fast.append(_rows_xml(notes, notes_typed))
    book = Workbook(write_only=True)
    book.properties.title = title
    slow = None in fast  # a cell the fast writer leaves to openpyxl: the whole workbook the slow way
    for table in shown:
        sheet = book.create_sheet(table.name[:31])
        if slow:
            sheet.append([f[2] for f in table.fields])
            for row in _labelled(table):
                sheet.append(_xlsx_row(sheet, [None if v == "" else v for v in row]))
    sheet = book.create_sheet("说明")
    if slow:
        sheet.append(_xlsx_row(sheet, notes[0]))
        for row in notes[1:]:
            sheet.append(row)
    raw = io.BytesIO()
    book.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        parts = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    if not slow:
        rows_of = {f"xl/worksheets/sheet{n}.xml": xml for n, xml in enumerate(fast, 1)}
        parts = [(name, body.replace(EMPTY_SHEET_DATA, b"<sheetData>" + rows_of[name] + b"</sheetData>", 1)  # type: ignore[operator]
                  if name in rows_of else body) for name, body in parts]
    return _fixed_zip(parts)


EMPTY_SHEET_DATA = b"<sheetData></sheetData>"  # how openpyxl writes a write-only sheet without rows


def _table_rows_xml(table: DataTable) -> bytes | None:
    """Lay out a table's sheet: the header as openpyxl reads it, data cells that look like formulas as text."""
    rows: list[list[object]] = [[f[2] for f in table.fields]]
    typed: list[set[int]] = [set()]
    for row in _labelled(table):
        rows.append([None if v == "" else v for v in row])
        typed.append({i for i, v in enumerate(row) if type(v) is str and v.startswith(FORMULA_START)
                      and runs_as_formula(v)})
    return _rows_xml(rows, typed)


def _rows_xml(rows: list[list[object]], typed: list[set[int]]) -> bytes | None:
    xml = sheet_rows(rows, typed)
    return None if xml is None else to_ascii_xml(xml)


_TIMESTAMP = re.compile(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>")


def _fixed_zip(parts: list[tuple[str, bytes]]) -> bytes:
    """Write a zip with fixed entry times and document dates so the same data give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in parts:
            if name == "docProps/core.xml":
                body = _TIMESTAMP.sub(rb"<dcterms:\1\2>1980-01-01T00:00:00Z</dcterms:\1>", body)
            entry = zipfile.ZipInfo(name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # each record type's fields, looked up once


def _plain(value: object) -> object:
    kind = type(value)
    if kind in _SCALARS:  # most of an edition: answered before asking whether it is a record
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_json(edition: Edition, assessment: EditionAssessment) -> bytes:
    """Write the whole edition and its assessment as one JSON document."""
    doc = {"edition": _plain(edition), "assessment": _plain(assessment)}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def edition_files(edition: Edition, assessment: EditionAssessment, tables: list[DataTable],
                  extra: Sequence[tuple[str, bytes]] = ()) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, bytes) for every download of an edition, `extra` files included, SHA256SUMS last."""
    stem = f"checkup-{edition.year}"
    files: list[tuple[str, bytes]] = []
    for t in tables:  # each table's sheet right after its CSV file, from the same labelled rows
        files.append((f"{t.name}.csv", to_csv(t)))
        if len(t.rows) <= XLSX_MAX_ROWS:
            _made_from(t, "xlsx-rows", partial(_table_rows_xml, t))  # to_xlsx below finds it made
    _LAST_LABELLED[:] = [None, []]
    package = {
        "name": stem, "title": edition.title, "version": str(edition.year),
        "description": f"{edition.city}{edition.year}年度城市体检评估数据与评估结果。",
        "resources": [
            {"name": t.name, "title": t.title, "path": f"{t.name}.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "hash": f"sha256:{hashlib.sha256(body).hexdigest()}",
             "schema": _schema(t, tables)}
            for t, (_, body) in zip(tables, files, strict=True)],
        "licenses": [LICENCE],
        "sources": [{"title": f"{edition.publisher}《{edition.title}》"}],
    }
    if edition.example:
        package["description"] = str(package["description"]) + "示例数据，不代表任何真实城市。"
    files.append(("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")))
    files.append((f"{stem}.xlsx", to_xlsx(tables, edition.title)))
    files.append((f"{stem}.json", to_json(edition, assessment)))
    files.extend(extra)
    yield from files
    sums = "".join(f"{hashlib.sha256(body).hexdigest()}  {name}\n" for name, body in files)
    yield "SHA256SUMS", sums.encode("ascii")
