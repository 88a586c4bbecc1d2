"""In-year reports on the site: a task's quarterly path, and a draft's in-year warnings on its home page.

Published editions of past years carry no in-year reports, so their pages do not
change; a draft of the current year shows where things stand "截至某年某月".
"""

from __future__ import annotations

from ...assess.inyear import TaskInYear
from ...assess.numbers import indicator_decimals, rounded, task_decimals, task_wan
from ...model import TASK_STATUS_LABELS, Task
from ..markup import DASH, attr, badge, link, pct, quantity, table, task_quantity, text
from ..sitedata import EditionView
from ..svgchart import PathPoint, task_path_svg

DRAFT = "draft"


def task_path_table(view: EditionView, task: Task) -> list[str]:
    """Show a task's in-year reports against the straight path at each period's end."""
    result = view.in_year.tasks.get(task.id) if view.in_year else None
    if result is None:
        return []
    entries = {e.period: e for e in task.in_year}
    rows = []
    for point in result.path:
        entry = entries[point.period]
        straight = (task_quantity(task, task.target_quantity * point.elapsed_share)
                    if task.target_quantity is not None else DASH)
        rows.append([
            text(point.period.label()), point.period.as_of(), TASK_STATUS_LABELS.get(entry.status, entry.status),
            task_quantity(task, entry.done) if entry.done is not None else DASH,
            task_quantity(task, point.cumulative) if task.target_quantity is not None else DASH,
            straight, badge(point.pace, point.label()) + (" " + badge("warning", "预警") if point.warning else ""),
        ])
    latest = result.latest
    lines = [f"**年内进展**（{latest.period.as_of()}）：{text(latest.reason)}", "",
             table(["报告期", "截至", "状态", "本期完成量", "累计完成量", "按序时进度应完成", "进度"], rows,
                   align="lllrrrl", searchable=False), ""]
    for point in result.earlier_warnings:
        if not latest.warning:
            lines += [f"{text(point.period.label())}曾预警，{text(latest.period.label())}已解除。", ""]
    chart = task_path_chart(task, result)
    if chart:
        lines += [chart, ""]
    return lines


def task_path_chart(task: Task, result: TaskInYear) -> str:
    """Draw a task's in-year path as a static chart; empty for a task without a quantity to count."""
    target = task.target_quantity
    if target is None or any(p.cumulative is None for p in result.path):
        return ""
    year = result.latest.period.year
    scale = 10_000 if task_wan(task) else 1  # in 万 when the target is written so, as the table is
    unit = ("万" if scale > 1 else "") + (task.target_unit or "")
    points = [PathPoint(p.period.label().removeprefix(f"{p.period.year}年"), (p.cumulative or 0.0) / scale,
                        (rounded(target * p.elapsed_share, task_decimals(task)) or 0.0) / scale, p.warning)
              for p in result.path]
    svg = task_path_svg(f"{task.number}. {task.title}", year, unit, points, target / scale,
                        element_id=f"svg-path-{task.id}")
    return f'<div class="ck-chart ck-chart--static" id="path-{attr(task.id)}">{svg}</div>'


def in_year_home(view: EditionView, page: str) -> list[str]:
    """List a draft's in-year warnings and as-of indicator values for its home page; nothing when published."""
    result = view.in_year
    if view.edition.status != DRAFT or result is None or result.latest_period is None:
        return []
    as_of = result.latest_period.as_of()
    lines = [f"## 年内进展（{as_of}）", "",
             "以下为年内季度进展、半年总结和月度数据，评估到最近一个报告期末；预警一经发出，即使后来解除也保留在记录中。", ""]
    warned = result.warnings()
    if warned:
        lines += [f"**年内预警任务 {len(warned)} 项**：", ""]
        lines += [_warning_line(view, page, t) for t in warned]
        lines.append("")
    else:
        lines += ["年内没有预警任务。", ""]
    if result.indicators:
        rows = []
        for ind_id, point in result.indicators.items():
            ind = view.edition.indicators[ind_id]
            rows.append([text(ind.name), point.period.as_of(), quantity(point.value, ind.unit),
                         quantity(point.expected, ind.unit, indicator_decimals(ind)),
                         badge(point.status, point.label())])
        lines += [table(["指标", "截至", "数值", "按序时进度应达到", "评估"], rows, align="llrrl", searchable=False), ""]
    return lines


def _warning_line(view: EditionView, page: str, result: TaskInYear) -> str:
    task = view.edition.tasks[result.task_id]
    name = link(text(f"{task.number}. {task.title}"), page, view.locate(task.id) or view.path("tasks.md"))
    latest = result.latest
    if latest.warning:
        note = f"{text(latest.period.label())}预警：{text(latest.reason)}"
    else:
        earlier = "、".join(text(p.period.label()) for p in result.earlier_warnings)
        note = (f"{earlier}曾预警，{text(latest.period.label())}已解除（{badge(latest.pace, latest.label())}，"
                f"累计完成 {pct(latest.done_share)}，序时进度 {pct(latest.elapsed_share)}）")
    return f"- {name}（{text(view.department_label(task.lead))}）：{note}"

