"""Accountability pages: each department with everything it answers for, and the responsible planners."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ...assess import STATUS_LABELS
from ...assess.numbers import target_with_year
from ..markup import (
    DASH,
    Page,
    Section,
    Source,
    badge,
    front_matter,
    link,
    long_text,
    num,
    pager,
    provenance,
    quantity,
    split_sections,
    table,
    text,
)
from ...model import GRADE_LABELS, SELECTION_LABELS, Target
from .placelinks import DISCLOSURE_PAGE, area_link, planner_page_path
from .indicators import indicator_page_path
from ..sitedata import EditionView, SiteData, page_name

ROWS_PER_PAGE = 150  # rows of all tables of one department page together


@dataclass
class _Duties:
    indicators: list[tuple[str, str]] = field(default_factory=list)  # (id, role)
    tasks: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _duties(view: EditionView) -> dict[str, _Duties]:
    """Index, in one pass over the edition, what each department is named on."""
    duties: dict[str, _Duties] = defaultdict(_Duties)
    e = view.edition
    for ind in e.indicators.values():
        duties[ind.department].indicators.append((ind.id, "负责"))
        for dept in ind.cooperating:
            duties[dept].indicators.append((ind.id, "配合"))
    for task in e.tasks.values():
        duties[task.lead].tasks.append((task.id, "牵头"))
        for dept in task.cooperating:
            duties[dept].tasks.append((task.id, "配合"))
    for problem in e.problems.values():
        for dept in problem.departments:
            duties[dept].problems.append(problem.id)
    return duties


def department_pages(site: SiteData) -> list[Page]:
    """Write the department index and one page (or more, when long) per department."""
    view = site.latest
    duties = _duties(view)
    pages = [_index(view, duties)]
    for dept_id in view.edition.departments:
        pages.extend(_department(site, view, dept_id, duties.get(dept_id, _Duties())))
    return pages


def _index(view: EditionView, duties: dict[str, _Duties]) -> Page:
    page = "departments/index.md"
    a = view.assessment
    rows = []
    for dept_id, dept in view.edition.departments.items():
        d = duties.get(dept_id, _Duties())
        own = [i for i, role in d.indicators if role == "负责"]
        reached = sum(a.indicators[i].status == "reached" for i in own)
        lead = [t for t, role in d.tasks if role == "牵头"]
        warned = sum(a.tasks[t].warning for t in lead)
        unresolved = sum(a.problems[p].state != "resolved" for p in d.problems)
        rows.append([link(text(dept.name), page, f"departments/{dept_id}.md"), num(len(own)), num(reached),
                     num(len(lead)), num(warned), num(len(d.problems)), num(unresolved)])
    md = [front_matter("责任部门"), "# 责任部门", "",
          f"{view.year} 年度版中每个部门负责的指标、牵头的任务和问题清单中交办的问题。", "",
          table(["部门", "负责指标", "其中已达标", "牵头任务", "其中预警", "交办问题", "其中未解决"], rows,
                align="lrrrrrr"), "",
          provenance(page, view.label, Source(files=(view.repo_path(f"{view.edition.folder}/departments.yaml"),))),
          ""]
    return Page(page, "\n".join(md))


def _department(site: SiteData, view: EditionView, dept_id: str, d: _Duties) -> list[Page]:
    dept = view.edition.departments[dept_id]
    a, e = view.assessment, view.edition
    base = f"departments/{dept_id}.md"
    own = [i for i, role in d.indicators if role == "负责"]
    statuses = Counter(a.indicators[i].status for i in own)
    lead = [t for t, role in d.tasks if role == "牵头"]
    summary = [
        f"负责指标 {len(own)} 项" + ("（" + "，".join(f"{STATUS_LABELS[k]} {n} 项" for k, n in statuses.items()) + "）"
                                  if own else ""),
        f"配合指标 {len(d.indicators) - len(own)} 项",
        f"牵头任务 {len(lead)} 项（预警 {sum(a.tasks[t].warning for t in lead)} 项）",
        f"配合任务 {len(d.tasks) - len(lead)} 项",
        f"交办问题 {len(d.problems)} 个（未解决 {sum(a.problems[p].state != 'resolved' for p in d.problems)} 个）",
    ]
    sections = []
    if d.indicators:
        sections.append(Section("## 指标", ("编号", "指标名称", "职责", "最新值", "目标", "评估结果"), tuple(
            (text(i), link(text(e.indicators[i].name), base, indicator_page_path(i)), role,
             quantity(a.indicators[i].latest_value, e.indicators[i].unit),
             _target(a.indicators[i].target, e.indicators[i].unit),
             badge(a.indicators[i].status, a.indicators[i].label()))
            for i, role in d.indicators), align="lllrll", searchable=False))
    if d.tasks:
        sections.append(Section("## 任务", ("序号", "任务", "职责", "进度", "预警"), tuple(
            (str(e.tasks[t].number), _at(view, base, t, text(e.tasks[t].title)), role,
             badge(a.tasks[t].pace, a.tasks[t].label()), badge("warning", "预警") if a.tasks[t].warning else DASH)
            for t, role in d.tasks), align="rllll", searchable=False))
    if d.problems:
        sections.append(Section("## 问题清单中交办的问题", ("问题", "发现年度", "状态"), tuple(
            (_at(view, base, p, text(e.problems[p].title)), str(e.problems[p].found_in),
             badge(a.problems[p].state, a.problems[p].label())) for p in d.problems), align="lrl",
            searchable=False))
    layout = split_sections(sections, ROWS_PER_PAGE)
    paths = [page_name(base, n) for n in range(1, len(layout) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, layout, strict=True), 1):
        title = dept.name + (f"（第 {number} 页）" if len(paths) > 1 else "")
        md = [front_matter(title), f"# {text(title)}", ""]
        if number == 1:
            md += [f"简称：{text(dept.label)}" + (f" · 联系方式：{text(dept.contact)}" if dept.contact else ""), "",
                   f"{view.year} 年度：" + "；".join(summary) + "。", ""]
        md += [pager(path, paths), ""]
        for section, continued in chunk:
            md += [section.render(continued), ""]
        if not sections:
            md += ["本年度没有由该部门负责的指标、任务或问题。", ""]
        md += [pager(path, paths), "", link("全部责任部门", path, "departments/index.md"), "",
               provenance(path, view.label, Source(
                   files=(view.repo_path(f"{e.folder}/departments.yaml"),),
                   folders=((f"data/{view.year}/indicators/", len(e.indicators)),
                            (f"data/{view.year}/tasks/", len(e.tasks)),
                            (f"data/{view.year}/problems/", len(e.problems))))), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


def _target(target: Target | None, unit: str) -> str:
    return text(target_with_year(target, unit)) if target else DASH


def _at(view: EditionView, page: str, record_id: str, label: str) -> str:
    where = view.locate(record_id)
    return link(label, page, where) if where else label


# -- responsible planners -----------------------------------------------------------------
def planner_pages(view: EditionView) -> list[Page]:
    """List the responsible planners, their terms and every yearly evaluation."""
    e = view.edition
    base = "planners.md"
    appointed = Section("## 聘任情况", ("编号", "姓名或团队", "所在单位", "区", "负责街道", "选聘方式", "聘期"), tuple(
        (text(p.id), link(text(p.name), base, planner_page_path(p.id)), text(p.organisation),
         area_link(e, base, p.area), text(p.street),
         text(SELECTION_LABELS.get(p.selection or "", None)) if p.selection else "未公开",
         f"{text(p.term_start)} 至 {text(p.term_end)}") for p in e.planners))
    evaluations = Section("## 年度履职评估", ("姓名或团队", "负责街道", "考评年度", "考评等次", "考评意见"), tuple(
        (text(p.name), text(p.street), str(ev.year), GRADE_LABELS.get(ev.grade, ev.grade), long_text(ev.comment))
        for p in e.planners for ev in sorted(p.evaluations, key=lambda ev: ev.year)), align="llrll")
    grades = Counter(ev.grade for p in e.planners for ev in p.evaluations if ev.year == e.year - 1)
    layout = split_sections([appointed, evaluations], ROWS_PER_PAGE)
    paths = [page_name(base, n) for n in range(1, len(layout) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, layout, strict=True), 1):
        title = "责任规划师" + (f"（第 {number} 页）" if len(paths) > 1 else "")
        md = [front_matter(title), f"# {title}", ""]
        if number == 1:
            md += [f"责任规划师由区政府聘任，负责街道的规划实施、公众参与和体检评估协助工作，"
                   f"聘任和年度考评结果向社会公开。{view.year} 年度版共登记 {len(e.planners)} 位（个）责任规划师。"
                   f"点击姓名查看每年的工作天数、双向评价和述职报告；"
                   f"{link('信息公开情况', path, DISCLOSURE_PAGE)}逐区列出已公开和未公开的项目。", ""]
            if grades:
                md += [f"{e.year - 1} 年度考评：" + "，".join(
                    f"{GRADE_LABELS.get(g, g)} {n} 位" for g, n in sorted(grades.items(), key=lambda x: list(GRADE_LABELS).index(x[0]) if x[0] in GRADE_LABELS else 9)) + "。", ""]
        md += [pager(path, paths), ""]
        for section, continued in chunk:
            md += [section.render(continued), ""]
        md += [pager(path, paths), "",
               provenance(path, view.label, Source(files=(view.repo_path(f"{e.folder}/departments.yaml"),))), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages
