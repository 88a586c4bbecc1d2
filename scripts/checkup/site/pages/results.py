"""The results pages of an edition: the home page at a glance, the tasks and the problem list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from ...assess import FOLLOW_UP_LABELS, PACE_LABELS
from ...model import TASK_STATUS_LABELS, VERDICT_LABELS, Problem, Task
from ..markup import (
    DASH,
    Page,
    Source,
    attr,
    badge,
    front_matter,
    link,
    long_text,
    num,
    pager,
    pct,
    provenance,
    quantity,
    task_quantity,
    quiet,
    table,
    text,
)
from .inyear import in_year_home, task_path_table
from .placelinks import area_link
from ..sitedata import EditionView, SiteData, page_name
from .indicators import indicator_page_path

R = TypeVar("R", Task, Problem)


# -- summaries shared with the home page ---------------------------------------------
def pace_table(view: EditionView) -> str:
    counts = view.assessment.pace_counts()
    total = sum(counts.values())
    rows = [[badge(k, PACE_LABELS[k]), num(n), pct(n / total if total else None)] for k, n in counts.items() if n]
    rows.append(["合计", num(total), pct(1.0 if total else None)])
    return table(["进度", "任务数", "占比"], rows, align="lrr")


def problem_summary(view: EditionView, page: str) -> str:
    s = view.assessment.problem_summary
    rows = [[FOLLOW_UP_LABELS["new"], num(s.new)], [FOLLOW_UP_LABELS["resolved"], num(s.resolved)],
            [FOLLOW_UP_LABELS["absorbed"], num(s.absorbed)], [FOLLOW_UP_LABELS["open"], num(s.open)],
            ["合计", num(s.total)]]
    rate = pct(s.absorption_rate) if s.absorption_rate is not None else "不适用（没有以往年度的问题）"
    return "\n".join([table(["状态", "问题数"], rows, align="lr"), "",
                      f"以往年度问题的转化吸纳率 {rate}；本年度有 {num(s.tasks_from_problems)} 项任务来自体检发现的问题。"
                      f"详见{link('问题清单', page, view.path('problems.md'))}。"])


# -- tasks ------------------------------------------------------------------------------
def tasks_pages(site: SiteData, view: EditionView) -> list[Page]:
    """List an edition's tasks by section with their pace and warnings, split when long."""
    tasks = view.edition.tasks
    return _record_list_pages(
        view, "tasks.md", f"{view.year}年度任务", view.task_pages, tasks,
        intro=lambda path: [f"{view.year} 年度共 {len(tasks)} 项任务。进度按累计完成量与序时进度比较；"
                            "预警表示按目前速度到实施期末难以完成量化目标。", "", pace_table(view)],
        heading=lambda task: text(task.section),
        block=lambda path, task: _task_block(site, view, path, task),
        facets=lambda task: {"pace": [view.assessment.tasks[task.id].label()],
                             "dept": [view.department_label(task.lead)], "section": [task.section]},
        filters=(("pace", "进度", "全部进度"), ("dept", "牵头单位", "全部单位"), ("section", "板块", "全部板块")),
        what="任务")


def _record_list_pages(view: EditionView, name: str, title: str, page_ids: Sequence[Sequence[str]],
                       records: Mapping[str, R], *, intro: Callable[[str], list[str]],
                       heading: Callable[[R], str], block: Callable[[str, R], str],
                       facets: Callable[[R], dict[str, list[str]]], filters: Sequence[tuple[str, str, str]],
                       what: str) -> list[Page]:
    """Write records as pages of a list under group headings, with a filter, pagers and their data files."""
    count = len(page_ids)
    paths: list[str] = [view.path(page_name(name, n)) for n in range(1, count + 1)]
    pages = []
    for number, ids in enumerate(page_ids, 1):
        path: str = paths[number - 1]
        page_title = title + (f"（第 {number} 页）" if count > 1 else "")
        md = [front_matter(page_title, searchable=view.latest), f"# {page_title}", ""]
        if number == 1:
            md += [*intro(path), ""]
        md += [pager(path, paths), ""]
        page_facets = {rid: facets(records[rid]) for rid in ids}
        md += [_filter_form(filters, page_facets.values(), what), ""]
        group: str | None = None
        for rid in ids:
            record = records[rid]
            if heading(record) != group:
                group = heading(record)
                md += [f"## {group}", ""]
            data = "".join(f' data-f-{name}="{attr("|".join(values))}"' for name, values in page_facets[rid].items())
            md += [f'<div class="ck-record"{data} markdown>', "", block(path, record), "", "</div>", ""]
        md += [pager(path, paths), "",
               provenance(path, view.label, _record_source(view, [records[i] for i in ids])), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


def _filter_form(filters: Sequence[tuple[str, str, str]], facets: Iterable[dict[str, list[str]]], what: str) -> str:
    """Build the filter of a record list; hidden until the site script wires it, so without it the list reads whole."""
    facets = list(facets)
    fields = []
    for name, label, every in filters:
        values = list(dict.fromkeys(v for f in facets for v in f.get(name, [])))
        options = "".join(f'<option value="{attr(v)}">{text(v)}</option>' for v in values)
        fields.append(f'<label>{label} <select data-facet="{name}"><option value="">{every}</option>{options}</select></label>')
    return (f'<form class="ck-filter ck-filter--records" role="search" aria-label="筛选{what}" data-what="{what}" hidden>\n'
            + "\n".join(fields) + '\n<output class="ck-filter__count" aria-live="polite"></output>\n</form>')


def _record_source(view: EditionView, records: Sequence[Task | Problem]) -> Source:
    files = tuple(view.repo_path(r.file) for r in records)
    if len(files) <= 20:
        return Source(files=files)
    folder = files[0].rsplit("/", 1)[0] + "/"
    return Source(folders=((folder, len(files)),))


def _task_block(site: SiteData, view: EditionView, page: str, task: Task) -> str:
    ta = view.assessment.tasks[task.id]
    flag = " " + badge("warning", "预警") if ta.warning else ""
    head = f"### {task.number}. {text(task.title)} {{#{task.id.lower()}}}"
    target = task_quantity(task, task.target_quantity) if task.target_quantity is not None else "无量化目标"
    coop = "、".join(text(view.department_label(d)) for d in task.cooperating) or DASH
    facts = [f"{badge(ta.pace, ta.label())}{flag} {text(ta.reason)}", "",
             f"编号 {text(task.id)} · 牵头单位 {site.department_link(page, view, task.lead)}"
             f" · 配合单位 {coop} · 实施期限 {task.period_start}–{task.period_end} 年 · 量化目标 {target}"]
    if ta.cumulative_done is not None:
        facts[-1] += f" · 累计完成 {task_quantity(task, ta.cumulative_done)}（{pct(ta.done_share)}，序时进度 {pct(ta.elapsed_share)}）"
    lines = [head, "", quiet("\n".join(facts)), ""]  # formulaic words; the title and content find a task
    if task.description:
        lines += [f"任务内容：{text(task.description)}", ""]
    rows = [[f"{p.year}", TASK_STATUS_LABELS.get(p.status, p.status),
             task_quantity(task, p.done) if p.done is not None else DASH, long_text(p.summary)]
            for p in reversed(task.progress) if p.year <= view.year]  # latest year first
    header = ["年份", "状态", "当年完成量", "进展情况"]
    if rows:  # the latest year open; earlier years folded, so a phone scrolls past a task in a screen or two
        lines += [table(header, rows[:1], align="llrl", searchable=False), ""]
    if len(rows) > 1:
        lines += [f'<details class="ck-earlier" markdown>\n<summary>往年进展（{len(rows) - 1} 年）</summary>', "",
                  table(header, rows[1:], align="llrl", searchable=False), "", "</details>", ""]
    lines += task_path_table(view, task)
    refs = []
    latest_inds = site.latest.edition.indicators
    for ind_id in task.indicators:
        name = text(view.edition.indicators[ind_id].name) if ind_id in view.edition.indicators else text(ind_id)
        refs.append(link(name, page, indicator_page_path(ind_id)) if ind_id in latest_inds else name)
    if refs:
        lines += ["相关指标：" + "、".join(refs), ""]
    lines += _places(site, page, task.areas, task.streets)
    sources = [_problem_ref(site, view, page, pid) for pid in task.from_problems]
    if sources:
        lines += ["来源问题：" + "、".join(sources), ""]
    lines.append(f"数据文件：{link(f'`{view.repo_path(task.file)}`', page, view.repo_path(task.file))}")
    return "\n".join(lines)


def _problem_ref(site: SiteData, view: EditionView, page: str, pid: str) -> str:
    where = view.locate(pid)
    problem = view.edition.problems.get(pid)
    label = text(problem.title) if problem else text(pid)
    return link(label, page, where) if where else label


# -- problems ------------------------------------------------------------------------------
def problems_pages(site: SiteData, view: EditionView) -> list[Page]:
    """List the problem list with what became of each problem, across editions, split when long."""
    return _record_list_pages(
        view, "problems.md", f"{view.year}年度问题清单", view.problem_pages, view.edition.problems,
        intro=lambda path: ["体检发现的问题列入问题清单，交责任部门转化吸纳为下一年度的任务；"
                            "下一年体检“回头看”落实情况。", "", problem_summary(view, path)],
        heading=lambda problem: f"{problem.found_in} 年发现的问题",
        block=lambda path, problem: _problem_block(site, view, path, problem),
        facets=lambda problem: {"state": [view.assessment.problems[problem.id].label()],
                                "dept": [view.department_label(d) for d in problem.departments],
                                "year": [f"{problem.found_in} 年"]},
        filters=(("state", "状态", "全部状态"), ("dept", "责任部门", "全部部门"), ("year", "发现年度", "全部年度")),
        what="问题")


def _places(site: SiteData, page: str, areas: tuple[str, ...], streets: tuple[str, ...]) -> list[str]:
    """Name where a task or problem is, each area linked to its page."""
    if not areas and not streets:
        return []
    where = "、".join(area_link(site.latest.edition, page, a) for a in areas)
    if streets:
        where += ("（" if where else "") + "、".join(text(s) for s in streets) + ("）" if where else "")
    return ["所在区域：" + where, ""]


def _problem_block(site: SiteData, view: EditionView, page: str, problem: Problem) -> str:
    pa = view.assessment.problems[problem.id]
    depts = "、".join(site.department_link(page, view, d) for d in problem.departments)
    lines = [f"### {text(problem.title)} {{#{problem.id.lower()}}}", "",
             f"{badge(pa.state, pa.label())} 编号 {text(problem.id)} · 发现年度 {problem.found_in} · 责任部门 {depts}", "",
             f"**问题诊断**：{text(problem.description)}", ""]
    evidence = [link(text(view.edition.indicators[i].name), page, indicator_page_path(i))
                if i in site.latest.edition.indicators and i in view.edition.indicators else text(i)
                for i in problem.evidence_indicators]
    evidence += [_task_ref(site, view, page, t) for t in problem.evidence_tasks]
    if evidence:
        lines += ["**依据**：" + "、".join(evidence), ""]
    lines += _places(site, page, problem.areas, problem.streets)
    lines += ["**对策建议**：", "", *(f"{n}. {text(r)}" for n, r in enumerate(problem.recommendations, 1)), ""]
    follow = [f for f in problem.follow_up if f.year <= view.year]
    if follow:
        rows = [[str(f.year), "、".join(_task_ref(site, view, page, t) for t in f.absorbed_into) or DASH,
                 long_text(f.response), VERDICT_LABELS.get(f.verdict, f.verdict), long_text(f.memo)] for f in reversed(follow)]  # latest year first
        lines += ["**跟踪落实**：", "", table(["年份", "转化吸纳的任务", "部门回应", "回头看结论", "销项会纪要"], rows,
                                           searchable=False), ""]
    history = site.problem_history(problem.id)
    if len(history) > 1:
        states = [f"{v.year} 年度版：{v.assessment.problems[p.id].label()}" for v, p in history if v.year <= view.year]
        lines += ["**历年状态**：" + "；".join(states) + "。", ""]
    lines.append(f"数据文件：{link(f'`{view.repo_path(problem.file)}`', page, view.repo_path(problem.file))}")
    return "\n".join(lines)


def _task_ref(site: SiteData, view: EditionView, page: str, tid: str) -> str:
    """Link a task id to where it is listed: this edition, or the newest edition that has it."""
    if tid in view.edition.tasks:
        task = view.edition.tasks[tid]
        where = view.locate(tid)
    else:
        found = site.task_anywhere(tid)
        if found is None:
            return text(tid)
        other, task = found
        where = other.locate(tid)
    label = text(f"{task.number}. {task.title}")
    return link(label, page, where) if where else label
