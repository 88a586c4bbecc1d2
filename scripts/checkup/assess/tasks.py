"""Assess a task's pace against the share of its period elapsed, and warn when it will fall short.

A task whose period has ended short of its target is overdue (未按期完成), never
warned with a forecast for a period that is over.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import TASK_STATUS_LABELS, Task
from .numbers import pct, task_amount, task_estimate
from .rules import DEFAULT_RULES, PACE_LABELS, Rules


@dataclass(frozen=True)
class TaskAssessment:
    task_id: str
    year: int
    pace: str
    elapsed_share: float  # share of the period elapsed at the end of the year (序时进度)
    done_share: float | None  # cumulative done / target quantity
    cumulative_done: float | None
    projected: float | None  # cumulative done at the period end at the rate so far; None once it is over
    warning: bool  # 预警: the period is not over and the projection falls short of the target
    reason: str
    word: str = ""  # the pace word of the edition's rules
    remaining: float | None = None  # target quantity not done, once the period is over

    def label(self) -> str:
        return self.word or PACE_LABELS[self.pace]


def assess_task(task: Task, year: int, rules: Rules = DEFAULT_RULES) -> TaskAssessment:
    """Assess a task's cumulative progress against the share of its period elapsed by a year."""
    period = max(task.period_end - task.period_start + 1, 1)
    years_elapsed = min(max(year - task.period_start + 1, 0), period)
    elapsed = years_elapsed / period
    over = year >= task.period_end  # the edition reports the state at the end of its year
    entries = [p for p in task.progress if p.year <= year]
    last = entries[-1].status if entries else None
    quantity = task.target_quantity
    reported = [p.done for p in entries if p.done is not None]
    # With a quantity target a year without a reported quantity counts as zero done.
    cumulative = sum(reported, 0.0) if reported or quantity else None
    done_share = cumulative / quantity if quantity and cumulative is not None else None
    projected = (cumulative / years_elapsed * period
                 if quantity and cumulative is not None and years_elapsed and not over else None)
    pace = decide_pace(last, cumulative, done_share, elapsed, rules, over=over, reported=bool(entries))
    warning = is_warned(pace, projected, quantity, rules)
    remaining = quantity - cumulative if over and pace != "done" and quantity and cumulative is not None else None
    def amount(value: float | None) -> str:
        return task_amount(task, value)

    if done_share is not None and cumulative is not None:
        reason = f"截至{year}年累计完成{amount(cumulative)}，占目标{amount(quantity)}的{pct(done_share)}"
        reason += "" if over else f"，序时进度为{pct(elapsed)}"
    else:
        reason = f"截至{year}年" + (f"报告状态为“{TASK_STATUS_LABELS[last]}”" if last else "没有进展报告")
        reason += "，无量化目标" if quantity is None else ""
    if last == "suspended":
        reason += "；任务暂缓实施" + (f"，实施期限（{task.period_start}—{task.period_end}年）已过" if over else "")
    elif over and pace != "done":
        reason += f"；实施期限（{task.period_start}—{task.period_end}年）已过，未按期完成"
    if remaining is not None:
        reason += f"，尚余{amount(remaining)}"
    summary = entries[-1].summary if entries and over and pace != "done" else None
    if summary:
        reason += f"。{entries[-1].year}年进展：{summary.rstrip('。')}"
    if warning:
        reason += f"；按目前速度到{task.period_end}年末预计完成{task_estimate(task, projected)}，难以完成目标，预警"
    return TaskAssessment(task.id, year, pace, elapsed, done_share, cumulative, projected, warning,
                          reason + "。", rules.pace_labels[pace], remaining)


def decide_pace(status: str | None, cumulative: float | None, done_share: float | None, elapsed: float,
                rules: Rules, *, over: bool = False, reported: bool = True) -> str:
    """Return a task's pace from its latest status and figures: one ladder for the year and for in-year periods.

    `over` says the task's period has ended; `reported` that it has any progress entry so far.
    """
    if status == "done" or (done_share is not None and done_share >= 1):
        return "done"
    if status == "suspended":
        return "suspended"
    if over:
        return "overdue"
    if not reported or (not cumulative and status == "not_started"):
        return "not_started"
    if done_share is None:
        return "no_target"
    return judge_pace(done_share, elapsed, rules)


def judge_pace(done_share: float, elapsed: float, rules: Rules) -> str:
    """Return the pace of a running task against the straight path: ahead, on pace or behind."""
    if done_share > elapsed * (1 + rules.pace_tolerance):
        return "ahead"
    if done_share >= elapsed * (1 - rules.pace_tolerance):
        return "on_pace"
    return "behind"


def is_warned(pace: str, projected: float | None, quantity: float | None, rules: Rules) -> bool:
    """Say whether a task is warned (预警): at the rate so far it ends short of its quantity."""
    return (pace != "done" and projected is not None and quantity is not None
            and projected < quantity * (1 - rules.warning_tolerance))
