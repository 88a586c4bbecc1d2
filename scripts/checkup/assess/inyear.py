"""Pace during the year: tasks and indicators at their latest reported period.

The rules are the yearly ones (thresholds in the assessment package) applied at
the last day of a period instead of the last day of a year: the straight path
is time-proportional, counted in days. A warning (预警) is computed at every
reported period, so one raised in the first quarter stays in the task's history
after a later quarter resolves it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..model import Edition, Indicator, Task
from ..periods import Period, elapsed_share
from .indicators import judge_status, straight_path_end, target_set
from .numbers import pct as _pct
from .numbers import task_amount, task_estimate
from .rules import DEFAULT_RULES, PACE_LABELS, STATUS_LABELS, Rules
from .tasks import decide_pace, is_warned


@dataclass(frozen=True)
class PeriodPace:
    """A task's pace at the end of one reported period."""

    period: Period
    pace: str
    elapsed_share: float  # share of the task's period elapsed at the period's last day (序时进度)
    cumulative: float | None  # completed since the task began, as of the period's end
    done_share: float | None
    projected: float | None  # completed by the task's end at the rate so far
    warning: bool
    reason: str

    def label(self) -> str:
        return PACE_LABELS[self.pace]


@dataclass(frozen=True)
class TaskInYear:
    """A task's in-year path: one PeriodPace per reported period, in time order."""

    task_id: str
    path: tuple[PeriodPace, ...]

    @property
    def latest(self) -> PeriodPace:
        return self.path[-1]

    @property
    def earlier_warnings(self) -> tuple[PeriodPace, ...]:
        """The periods before the latest that raised a warning (shown even when since resolved)."""
        return tuple(p for p in self.path[:-1] if p.warning)


@dataclass(frozen=True)
class IndicatorInYear:
    """An indicator's status at its latest in-year value."""

    indicator_id: str
    period: Period
    value: float
    expected: float | None  # on the straight path from base to target at the period's end
    status: str

    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class EditionInYear:
    year: int
    tasks: dict[str, TaskInYear]
    indicators: dict[str, IndicatorInYear]

    @property
    def latest_period(self) -> Period | None:
        ends = [t.latest.period for t in self.tasks.values()] + [i.period for i in self.indicators.values()]
        return max(ends, key=Period.sort_key) if ends else None

    def warnings(self) -> list[TaskInYear]:
        """The tasks warned at their latest period or at an earlier one of the year."""
        return [t for t in self.tasks.values() if t.latest.warning or t.earlier_warnings]


def assess_task_in_year(task: Task, year: int, rules: Rules = DEFAULT_RULES) -> TaskInYear | None:
    """Assess a task at each of its in-year periods of a year; None without in-year reports."""
    entries = [e for e in task.in_year if e.period.year == year]
    if not entries:
        return None
    running = sum((p.done or 0.0 for p in task.progress if p.year < year), 0.0)
    path = []
    for entry in entries:
        running = entry.cumulative if entry.cumulative is not None else running + (entry.done or 0.0)
        path.append(_pace_at(task, entry.period, entry.status, running, rules))
    return TaskInYear(task.id, tuple(path))


def _pace_at(task: Task, period: Period, status: str, cumulative: float, rules: Rules) -> PeriodPace:
    elapsed = elapsed_share(task.period_start, task.period_end, period.end)
    quantity = task.target_quantity
    done_share = cumulative / quantity if quantity else None
    projected = cumulative / elapsed if quantity and elapsed else None
    pace = decide_pace(status, cumulative, done_share, elapsed, rules)
    warning = is_warned(pace, projected, quantity, rules)
    if done_share is not None:
        reason = (f"{period.as_of()}累计完成{task_amount(task, cumulative)}，占目标{task_amount(task, quantity)}的{_pct(done_share)}，"
                  f"序时进度为{_pct(elapsed)}")
    else:
        reason = f"{period.as_of()}报告状态为“{PACE_LABELS.get(status, status)}”，无量化目标"
    if warning:
        reason += (f"；按{period.label()}的速度到{task.period_end}年末预计完成{task_estimate(task, projected)}，"
                   "难以完成目标，预警")
    return PeriodPace(period, pace, elapsed, cumulative, done_share, projected, warning, reason + "。")


def assess_indicator_in_year(indicator: Indicator, year: int,
                             rules: Rules = DEFAULT_RULES) -> IndicatorInYear | None:
    """Assess an indicator at its latest in-year value of a year against the straight path at that date."""
    values = [(p, v) for p, v in indicator.in_year.items() if p.year == year]
    if not values:
        return None
    period, value = max(values, key=lambda pv: pv[0].sort_key())
    base = indicator.base_value
    target = indicator.target_for(year)
    low, high = target_set(target, indicator.direction, base, rules)
    path_end = straight_path_end(target, base, low, high)
    expected = None
    if target is not None and path_end is not None:
        start = datetime.date(indicator.base_year, 12, 31)
        span = (datetime.date(target.year, 12, 31) - start).days
        share = min(max((period.end - start).days / span, 0.0), 1.0) if span > 0 else 1.0
        expected = base + (path_end - base) * share
    previous = {indicator.base_year: base, **indicator.values}.get(year - 1, base)  # the previous year's value
    status, _ = judge_status(indicator.direction, target, base, previous, value, low, high, expected, rules)
    return IndicatorInYear(indicator.id, period, value, expected, status)


def assess_edition_in_year(edition: Edition, rules: Rules = DEFAULT_RULES) -> EditionInYear:
    """Assess the in-year reports of an edition's own year."""
    tasks = {tid: a for tid, t in edition.tasks.items() if (a := assess_task_in_year(t, edition.year, rules))}
    indicators = {iid: v for iid, i in edition.indicators.items()
                  if (v := assess_indicator_in_year(i, edition.year, rules))}
    return EditionInYear(edition.year, tasks, indicators)
