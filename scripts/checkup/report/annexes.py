"""The six annexes of the annual report ("1+1+6"), laid out as tables from the data.

Each annex is a title, a few lines of text and tables of plain strings, so the
same values serve the printed report and the annex files (CSV) published with it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ..assess import PACE_LABELS, STATUS_LABELS, EditionAssessment, SurveyAssessment
from ..assess.numbers import target_with_year, task_amount
from ..check.schema import load_schema
from ..model import CATEGORIES, KIND_LABELS, SAMPLE_GROUP_LABELS, SUBMISSION_HEADINGS, Edition, Submission
from ..site.downloads import DataTable
from ..site.markup import num

DASH = "—"
# Columns of the national standard's indicator table (TD/T 1063-2021, 附录 体检评估指标表),
# with the department added as the work plans ask.
CONCLUSION_HEADER = ("序号", "指标", "单位", "指标属性", "基期值", "现状值", "规划目标值", "评估结论", "责任部门")


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: list[list[str]]
    widths: tuple[float, ...] = ()  # relative column widths for print; empty: automatic


@dataclass
class Annex:
    number: int
    name: str  # file stem, e.g. "annex-1-conclusions"
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)  # (file in the report folder, caption)


def conclusions(edition: Edition, assessment: EditionAssessment) -> Annex:
    """Annex 1: every indicator with its base, current value, target and status, by category."""
    counts = assessment.status_counts()
    total = len(edition.indicators)
    summary = "，".join(f"{STATUS_LABELS[code]}{n}项（{n / total * 100:.1f}%）" for code, n in counts.items() if n)
    annex = Annex(1, "annex-1-conclusions", "指标结论表",
                  [f"本表列出{edition.year}年度体检评估的全部{total}项指标。{summary}。"])
    rows: list[list[str]] = []
    for category in CATEGORIES:
        for ind in (i for i in edition.indicators.values() if i.category == category):
            ia = assessment.indicators[ind.id]
            target = target_with_year(ia.target, ind.unit) if ia.target else DASH
            rows.append([str(len(rows) + 1), f"{ind.id} {ind.name}", ind.unit, KIND_LABELS[ind.kind],
                         f"{num(ind.base_value)}（{ind.base_year}年）", num(ia.latest_value), target, ia.label(),
                         edition.department_name(ind.department)])
    annex.tables.append(Table("指标结论表", CONCLUSION_HEADER, rows, (3, 16, 7, 6, 10, 8, 11, 12, 12)))
    _submissions(annex, [(f"{i.id} {i.name}", edition.department_name(i.department), i.submission)
                         for i in edition.indicators.values()])
    return annex


def _submissions(annex: Annex, records: list[tuple[str, str, Submission | None]]) -> None:
    """Add the departments' written submissions, one row per record that has one."""
    rows = [[name, department, *(getattr(given, key) or DASH for key in SUBMISSION_HEADINGS)]
            for name, department, given in records if given is not None]
    if rows:
        annex.tables.append(Table("部门报送说明", ("记录", "报送部门", *SUBMISSION_HEADINGS.values()), rows,
                                  (12, 9, 14, 14, 14, 14)))


def key_tasks(edition: Edition, assessment: EditionAssessment) -> Annex:
    """Annex 2: the completion list of the action plan's key tasks, by section."""
    counts = assessment.pace_counts()
    summary = "，".join(f"{label}{counts[code]}项" for code, label in PACE_LABELS.items() if counts[code])
    annex = Annex(2, "annex-2-key-tasks", "重点任务完成清单",
                  [f"行动计划共{len(edition.tasks)}项任务纳入{edition.year}年度体检。{summary}。"])
    header = ("序号", "板块", "任务", "牵头单位", "目标", "累计完成", "进度", f"{edition.year}年进展")
    rows = []
    for task in sorted(edition.tasks.values(), key=lambda t: t.number):
        ta = assessment.tasks[task.id]
        latest = next((p.summary for p in reversed(task.progress) if p.year == edition.year and p.summary), DASH)
        rows.append([str(task.number), task.section, task.title, edition.department_name(task.lead),
                     task_amount(task, task.target_quantity) if task.target_quantity else DASH,
                     task_amount(task, ta.cumulative_done) if ta.cumulative_done is not None else DASH,
                     ta.label() + ("（预警）" if ta.warning else ""), latest])
    annex.tables.append(Table("重点任务完成清单", header, rows, (4, 12, 14, 10, 7, 7, 8, 22)))
    _submissions(annex, [(f"{t.number} {t.title}", edition.department_name(t.lead), t.submission)
                         for t in sorted(edition.tasks.values(), key=lambda t: t.number)])
    return annex


def drawings(edition: Edition, assessment: EditionAssessment, maps: Collection[str] = ()) -> Annex:
    """Annex 3: the analysis drawings: statuses at a glance, then each indicator's course and its map by area.

    `maps` names the drawn maps: "areas" for the overview, an indicator's id for its map.
    """
    lines = ["各指标自基期年以来的逐年数值，虚线为最近的规划目标。"]
    if maps:
        lines.append("分区地图按各区最近一年的数值着色，颜色越深数值越大；边界为示意，只用于展示分区数据。")
    annex = Annex(3, "annex-3-drawings", "分析图纸", lines)
    annex.figures.append(("charts/status.svg", "指标评估结论分布"))
    if "areas" in maps:
        annex.figures.append(("maps/areas.svg", f"{edition.city}各区"))
    for ind in edition.indicators.values():
        annex.figures.append((f"charts/{ind.id}.svg", f"{ind.id} {ind.name}"))
        if ind.id in maps:
            annex.figures.append((f"maps/{ind.id}.svg", f"{ind.id} {ind.name}（分区）"))
    return annex


def survey_report(edition: Edition, survey: SurveyAssessment | None,
                  previous: SurveyAssessment | None) -> Annex:
    """Annex 4: the satisfaction survey: sample, composition, scores with intervals, year on year."""
    annex = Annex(4, "annex-4-survey", "社会满意度评价报告")
    if survey is None or edition.survey is None:
        annex.lines.append(f"{edition.year}年度没有开展社会满意度调查。")
        return annex
    raw = edition.survey
    annex.lines.append(f"调查方式：{raw.method}。有效问卷{num(raw.valid_questionnaires)}份"
                       f"{'，由' + raw.organisation + '实施' if raw.organisation else ''}。"
                       f"综合满意度{survey.overall.score:.1f}分（95%置信区间{survey.overall.low:.1f}–"
                       f"{survey.overall.high:.1f}）。")
    annex.figures.append(("charts/survey.svg", "各维度满意度得分"))
    annex.tables.append(Table("样本构成", ("分组方式", "组别", "样本数", "样本占比", "常住人口占比", "偏差（百分点）"),
                              [[SAMPLE_GROUP_LABELS[r.group_kind], r.group, num(r.count), f"{r.sample_share:.1f}%",
                                f"{r.population_share:.1f}%" if r.population_share is not None else DASH,
                                f"{r.gap:+.1f}" if r.gap is not None else DASH] for r in survey.composition]))
    before = {d.name: d.score.score for d in previous.dimensions} if previous else {}
    rows = [[d.name, f"{d.score.score:.1f}", f"{d.score.low:.1f}–{d.score.high:.1f}",
             f"{before[d.name]:.1f}" if d.name in before else DASH,
             f"{d.score.score - before[d.name]:+.1f}" if d.name in before else DASH] for d in survey.dimensions]
    rows.append(["综合", f"{survey.overall.score:.1f}", f"{survey.overall.low:.1f}–{survey.overall.high:.1f}",
                 f"{previous.overall.score:.1f}" if previous else DASH,
                 f"{survey.overall.score - previous.overall.score:+.1f}" if previous else DASH])
    annex.tables.append(Table("各维度得分（0–100分）", ("维度", "得分", "95%置信区间", f"{edition.year - 1}年",
                                                    "同比变化"), rows))
    return annex


def database(edition: Edition, tables: list[DataTable], sums: dict[str, str]) -> Annex:
    """Annex 5: the basic database: the tables of the data package, with their rows and checksums."""
    annex = Annex(5, "annex-5-database", "基础数据库",
                  ["基础数据库即本版本的数据包（datapackage.json 及其 CSV 表），随报告一并发布，"
                   "可在网站“数据下载”中获取。每个文件的 SHA-256 校验值见下表。"])
    rows = [[t.title, f"{t.name}.csv", num(len(t.rows)), sums.get(f"{t.name}.csv", DASH)[:16] + "…"]
            for t in tables]
    annex.tables.append(Table("数据表", ("数据表", "文件", "行数", "SHA-256（前16位）"), rows, (14, 16, 6, 16)))
    return annex


SCHEMA_TABLES = (("indicator", "指标"), ("task", "任务"), ("problem", "问题"), ("survey", "满意度调查"))


def construction_notes(edition: Edition) -> Annex:
    """Annex 6: how the database is built: the fields of each record (from the schemas) and the sources."""
    annex = Annex(6, "annex-6-database-notes", "数据库建设说明",
                  ["数据以 YAML 文件逐条记录，每个文件须通过 JSON Schema 校验；下表的字段说明由校验规则生成。"])
    for name, label in SCHEMA_TABLES:
        schema = load_schema(name)
        rows = []
        for key, prop in schema.get("properties", {}).items():
            resolved = prop
            ref = prop.get("$ref", "")
            if ref.startswith("#/$defs/"):
                resolved = {**schema["$defs"][ref.removeprefix("#/$defs/")], **prop}
            rows.append([key, resolved.get("title", key), "必填" if key in schema.get("required", ()) else "",
                         resolved.get("description", "")])
        annex.tables.append(Table(f"{label}记录的字段", ("字段", "名称", "必填", "说明"), rows, (10, 10, 4, 30)))
    sources = [[f"{ind.id} {ind.name}", ind.data_source, ind.collection_method,
                edition.department_name(ind.department)] for ind in edition.indicators.values()]
    annex.tables.append(Table("指标数据来源", ("指标", "数据来源", "采集方式", "责任部门"), sources, (14, 18, 8, 12)))
    return annex


def to_data_table(annex: Annex, table: Table) -> DataTable:
    """Write an annex table as a download table (CSV)."""
    return DataTable(annex.name, f"附件{annex.number} {annex.title}",
                     tuple((h, "string", h) for h in table.header), table.rows)
