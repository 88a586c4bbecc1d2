"""In-year updates between two editions, grouped by reporting period for a reviewer.

Task reports (季度进展、半年总结) and an indicator's in-year values are paired by
record id and period; the yearly comparison in diff.py does not see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import TASK_STATUS_LABELS, Edition, PeriodProgress
from ..periods import Period
from .diff_fields import Scalar, number_text

# The parts of an in-year task report, in the order a reviewer reads them.
PARTS = {"done": "本期完成量", "cumulative": "累计完成量", "status": "进展状态", "summary": "进展情况",
         "note": "说明"}


@dataclass(frozen=True)
class PeriodUpdate:
    """One in-year figure added, removed or revised."""

    period: Period
    kind: str  # added, removed or revised
    record: str  # task or indicator
    id: str
    name: str
    field: str  # a key of PARTS for a task, "in_year" for an indicator's value
    old: Scalar = None
    new: Scalar = None

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.period.sort_key(), self.record, self.id, list(PARTS).index(self.field)
                if self.field in PARTS else -1)

    def line(self) -> str:
        """Say the update in one line of Chinese."""
        what = {"task": "任务", "indicator": "指标"}[self.record]
        part = PARTS.get(self.field, {"entry": "报告", "in_year": "数值"}.get(self.field, self.field))
        old, new = _text(self.field, self.old), _text(self.field, self.new)
        if self.kind == "added":
            return f"{what} {self.id} {self.name}：新增{part}（{new}）"
        if self.kind == "removed":
            return f"{what} {self.id} {self.name}：删除{part}（原为 {old}）"
        return f"{what} {self.id} {self.name}：{part}由 {old} 改为 {new}"


def diff_in_year(old: Edition, new: Edition) -> tuple[PeriodUpdate, ...]:
    """Compare the in-year reports of two editions, sorted by period."""
    updates = list(_tasks(old, new)) + list(_indicators(old, new))
    return tuple(sorted(updates, key=PeriodUpdate.sort_key))


def group_by_period(updates: tuple[PeriodUpdate, ...]) -> list[tuple[Period, list[PeriodUpdate]]]:
    groups: dict[Period, list[PeriodUpdate]] = {}
    for update in updates:
        groups.setdefault(update.period, []).append(update)
    return list(groups.items())


def _tasks(old: Edition, new: Edition) -> Iterator[PeriodUpdate]:
    for tid in sorted(old.tasks.keys() | new.tasks.keys()):
        a, b = old.tasks.get(tid), new.tasks.get(tid)
        name = (b or a).title  # type: ignore[union-attr]
        before = {e.period: _parts(e) for e in (a.in_year if a else ())}
        after = {e.period: _parts(e) for e in (b.in_year if b else ())}
        yield from _compare("task", tid, name, before, after)


def _indicators(old: Edition, new: Edition) -> Iterator[PeriodUpdate]:
    for iid in sorted(old.indicators.keys() | new.indicators.keys()):
        a, b = old.indicators.get(iid), new.indicators.get(iid)
        name = (b or a).name  # type: ignore[union-attr]
        before: dict[Period, dict[str, Scalar]] = {p: {"in_year": v} for p, v in (a.in_year if a else {}).items()}
        after: dict[Period, dict[str, Scalar]] = {p: {"in_year": v} for p, v in (b.in_year if b else {}).items()}
        yield from _compare("indicator", iid, name, before, after)


def _compare(record: str, rid: str, name: str, before: dict[Period, dict[str, Scalar]],
             after: dict[Period, dict[str, Scalar]]) -> Iterator[PeriodUpdate]:
    if before == after:
        return
    for period in before.keys() | after.keys():
        then, now = before.get(period, {}), after.get(period, {})
        if not then or not now:  # a whole report added or removed: one line
            kind = "added" if now else "removed"
            whole = "in_year" if record == "indicator" else "entry"
            text = _whole(then or now) if record == "task" else (then or now)["in_year"]
            yield PeriodUpdate(period, kind, record, rid, name, whole, None if now else text,
                               text if now else None)
            continue
        for part in then.keys() | now.keys():
            x, y = then.get(part), now.get(part)
            if x == y:
                continue
            kind = "added" if x is None else "removed" if y is None else "revised"
            yield PeriodUpdate(period, kind, record, rid, name, part, x, y)


def _parts(entry: PeriodProgress) -> dict[str, Scalar]:
    values = {"done": entry.done, "cumulative": entry.cumulative, "status": entry.status,
              "summary": entry.summary, "note": entry.note}
    return {k: v for k, v in values.items() if v is not None}


def _whole(parts: dict[str, Scalar]) -> str:
    return "；".join(f"{PARTS[k]} {_text(k, v)}" for k, v in parts.items())


def _text(field: str, value: Scalar) -> str:
    if value is None:
        return "（无）"
    if field == "status":
        return TASK_STATUS_LABELS.get(str(value), str(value))
    return number_text(value) if isinstance(value, (int, float)) else str(value)
