"""The results pages of an edition: the home page at a glance, the tasks and the problem list."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ...assess import FOLLOW_UP_LABELS, PACE_LABELS, STATUS_LABELS
from ..markup import (
    DASH,
    Page,
    Source,
    admonition,
    badge,
    front_matter,
    link,
    long_text,
    num,
    pager,
    pct,
    provenance,
    quantity,
    quiet,
    table,
    text,
)
from ...model import TASK_STATUS_LABELS, VERDICT_LABELS, Problem, Task
from .indicators import indicator_page_path, no_data_note
from ..sitedata import EditionView, SiteData, page_name

R = TypeVar("R", Task, Problem)

HOME_WARNINGS = 15  # the home page names this many warned tasks and links to the rest


# -- home ----------------------------------------------------------------------------
def home_page(site: SiteData, view: EditionView) -> Page:
    """Show an edition's results at a glance: statuses, late tasks, problems and the survey."""
    e, a = view.edition, view.assessment
    page = view.path("index.md")
    counts = a.status_counts()
    total = sum(counts.values())
    md = [front_matter(e.title, description=f"{e.city}{e.year}年度城市体检评估结果", searchable=view.latest),
          f"# {text(e.title)}", ""]
    if not view.latest:
        md += [admonition("info", "历史版本", f"这是 {e.year} 年度版。最新结果见{link('首页', page, 'index.md')}。"), ""]
    md += [f"{text(e.publisher)}发布 · 体检年度 {e.year} · 规划基期 {e.base_year} 年 · 规划目标年 "
           + "、".join(str(y) for y in e.target_years) + f" · {view.label}", ""]
    if e.notes:
        md += [text(e.notes), ""]
    md += [_glance(view, page, counts, total), ""]
    md += ["## 指标评估结果", "", _status_bar(counts, total), "",
           table(["评估结果", "指标数", "占比"],
                 [[badge(k, STATUS_LABELS[k]), num(n), pct(n / total if total else None)] for k, n in counts.items()]
                 + [["合计", num(total), pct(1.0 if total else None)]], align="lrr"), "",
           f"逐项结果见{link('指标一览', page, view.path('indicators/index.md'))}。", ""]
    note = no_data_note(view)
    if note:
        md += [note, ""]
    md += ["## 年度任务", "", _pace_table(view), "", *_warnings(view, page), ""]
    md += ["## 问题清单", "", _problem_summary(view, page), ""]
    if a.survey:
        s = a.survey
        md += ["## 社会满意度", "",
               f"{num(s.valid_questionnaires)} 份有效问卷，总体满意度得分 **{s.overall.score:.1f}** 分"
               f"（95% 置信区间 {s.overall.low:.1f}–{s.overall.high:.1f}）。"
               f"各维度得分见{link('满意度调查', page, view.path('survey.md'))}。", ""]
    md += ["## 本版变化与更正", "",
           f"- {link('本版变化', page, view.path('changes.md'))}：与上一版本相比新增、删除、修订了什么，哪些评估结果变了。",
           f"- {link('更正记录', page, view.path('corrections.md'))}：发布后的每一次更正（{len(e.corrections)} 条）。",
           f"- {link('历年版本', page, 'archive/index.md')}：每个年度版本的结果。", ""]
    files = tuple(view.repo_path(f"{e.folder}/{name}") for name in ("edition.yaml", "departments.yaml"))
    md += [provenance(page, view.label, Source(files=files, folders=(
        (f"data/{view.year}/indicators/", len(e.indicators)), (f"data/{view.year}/tasks/", len(e.tasks)),
        (f"data/{view.year}/problems/", len(e.problems))))), ""]
    return Page(page, "\n".join(md))


def _glance(view: EditionView, page: str, counts: dict[str, int], total: int) -> str:
    a = view.assessment
    reached = counts.get("reached", 0) + counts.get("on_track", 0)
    cards = [
        (f"{num(total)} 项指标", f"已达标 {num(counts.get('reached', 0))} 项，"
         f"达标或进度较好 {num(reached)} 项（{pct(reached / total if total else None)}）",
         view.path("indicators/index.md"), "看指标"),
        (f"{num(len(a.tasks))} 项年度任务", f"已完成 {num(a.pace_counts().get('done', 0))} 项，"
         f"未按期完成 {num(len(a.overdue()))} 项，预警 {num(len(a.warnings()))} 项", view.path("tasks.md"), "看任务"),
        (f"{num(a.problem_summary.total)} 个问题", f"已解决 {num(a.problem_summary.resolved)} 个，"
         f"本年新发现 {num(a.problem_summary.new)} 个", view.path("problems.md"), "看问题清单"),
    ]
    if a.survey:
        cards.append((f"满意度 {a.survey.overall.score:.1f} 分", f"{num(a.survey.valid_questionnaires)} 份有效问卷",
                      view.path("survey.md"), "看调查"))
    items = [f'<div class="ck-card" markdown>\n\n**{head}**\n\n{body}\n\n{link(more, page, to)}\n\n</div>'
             for head, body, to, more in cards]
    return '<div class="ck-cards" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>"


def _status_bar(counts: dict[str, int], total: int) -> str:
    """Draw the status shares as one stacked bar in CSS; the table below carries the numbers."""
    if not total:
        return ""
    parts = "".join(f'<span class="ck-bar__part ck-badge--{k}" style="width:{n / total * 100:.2f}%"></span>'
                    for k, n in counts.items() if n)
    return f'<div class="ck-bar" aria-hidden="true">{parts}</div>'


def _pace_table(view: EditionView) -> str:
    counts = view.assessment.pace_counts()
    total = sum(counts.values())
    rows = [[badge(k, PACE_LABELS[k]), num(n), pct(n / total if total else None)] for k, n in counts.items() if n]
    rows.append(["合计", num(total), pct(1.0 if total else None)])
    return table(["进度", "任务数", "占比"], rows, align="lrr")


def _warnings(view: EditionView, page: str) -> list[str]:
    """List the tasks a reader must see: overdue, suspended, and warned while their period runs."""
    a, tasks = view.assessment, view.edition.tasks
    groups = [
        (a.overdue(), f"**{PACE_LABELS['overdue']}任务 {{n}} 项**：实施期限已过，任务尚未完成。"),
        ([t for t, ta in a.tasks.items() if ta.pace == "suspended"],
         f"**{PACE_LABELS['suspended']}任务 {{n}} 项**：已停止实施，目标能否完成待重新论证。"),
        ([t for t in a.warnings() if a.tasks[t].pace != "suspended"],
         "**预警任务 {n} 项**：实施期限未满，按目前速度到期末难以完成量化目标。"),
    ]
    lines: list[str] = []
    for ids, head in groups:
        if not ids:
            continue
        lines += [""] if lines else []
        lines += [head.format(n=len(ids)), ""]
        for tid in ids[:HOME_WARNINGS]:
            task, ta = tasks[tid], a.tasks[tid]
            lines.append(f"- {badge(ta.pace, ta.label())} "
                         f"{link(text(f'{task.number}. {task.title}'), page, view.locate(tid) or view.path('tasks.md'))}"
                         f"（{text(view.department_label(task.lead))}）：{text(ta.reason)}")
        if len(ids) > HOME_WARNINGS:
            lines += ["", f"其余 {len(ids) - HOME_WARNINGS} 项见{link('年度任务', page, view.path('tasks.md'))}。"]
    return lines or ["没有未按期完成、暂缓或预警的任务。"]


def _problem_summary(view: EditionView, page: str) -> str:
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
                            "预警表示按目前速度到实施期末难以完成量化目标。", "", _pace_table(view)],
        heading=lambda task: text(task.section),
        block=lambda path, task: _task_block(site, view, path, task))


def _record_list_pages(view: EditionView, name: str, title: str, page_ids: Sequence[Sequence[str]],
                       records: Mapping[str, R], *, intro: Callable[[str], list[str]],
                       heading: Callable[[R], str], block: Callable[[str, R], str]) -> list[Page]:
    """Write records as pages of a list under group headings, with pagers and their data files."""
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
        group: str | None = None
        for rid in ids:
            record = records[rid]
            if heading(record) != group:
                group = heading(record)
                md += [f"## {group}", ""]
            md += [block(path, record), ""]
        md += [pager(path, paths), "",
               provenance(path, view.label, _record_source(view, [records[i] for i in ids])), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


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
    target = quantity(task.target_quantity, task.target_unit) if task.target_quantity is not None else "无量化目标"
    coop = "、".join(text(view.department_label(d)) for d in task.cooperating) or DASH
    facts = [f"{badge(ta.pace, ta.label())}{flag} {text(ta.reason)}", "",
             f"编号 {text(task.id)} · 牵头单位 {site.department_link(page, view, task.lead)}"
             f" · 配合单位 {coop} · 实施期限 {task.period_start}–{task.period_end} 年 · 量化目标 {target}"]
    if ta.cumulative_done is not None:
        facts[-1] += f" · 累计完成 {quantity(ta.cumulative_done, task.target_unit)}（{pct(ta.done_share)}，序时进度 {pct(ta.elapsed_share)}）"
    lines = [head, "", quiet("\n".join(facts)), ""]  # formulaic words; the title and content find a task
    if task.description:
        lines += [f"任务内容：{text(task.description)}", ""]
    rows = [[f"{p.year}", TASK_STATUS_LABELS.get(p.status, p.status),
             quantity(p.done, task.target_unit) if p.done is not None else DASH, long_text(p.summary)]
            for p in task.progress if p.year <= view.year]
    if rows:
        lines += [table(["年份", "状态", "当年完成量", "进展情况"], rows, align="llrl", searchable=False), ""]
    refs = []
    latest_inds = site.latest.edition.indicators
    for ind_id in task.indicators:
        name = text(view.edition.indicators[ind_id].name) if ind_id in view.edition.indicators else text(ind_id)
        refs.append(link(name, page, indicator_page_path(ind_id)) if ind_id in latest_inds else name)
    if refs:
        lines += ["相关指标：" + "、".join(refs), ""]
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
                            "下一年体检“回头看”落实情况。", "", _problem_summary(view, path)],
        heading=lambda problem: f"{problem.found_in} 年发现的问题",
        block=lambda path, problem: _problem_block(site, view, path, problem))


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
    lines += ["**对策建议**：", "", *(f"{n}. {text(r)}" for n, r in enumerate(problem.recommendations, 1)), ""]
    follow = [f for f in problem.follow_up if f.year <= view.year]
    if follow:
        rows = [[str(f.year), "、".join(_task_ref(site, view, page, t) for t in f.absorbed_into) or DASH,
                 long_text(f.response), VERDICT_LABELS.get(f.verdict, f.verdict), long_text(f.memo)] for f in follow]
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
