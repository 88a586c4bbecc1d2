"""Assess an indicator in an edition year: its status against the nearest target, with the reason."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import DIRECTION_LABELS, Indicator, Target
from .numbers import change, pct, q
from .rules import ABOUT_TOLERANCE, EQUALS_TOLERANCE, STABLE_BAND, STATUS_LABELS


@dataclass(frozen=True)
class IndicatorAssessment:
    indicator_id: str
    year: int
    status: str
    latest_year: int | None
    latest_value: float | None
    previous_value: float | None  # the value of latest_year - 1, if any
    base_year: int
    base_value: float
    target: Target | None  # the nearest target year not before the edition year, else the last
    expected: float | None  # on the straight path in latest_year; None without a path
    progress: float | None  # share of the base-to-target distance covered, 0 when moving away
    reason: str  # one sentence with the numbers behind the status

    def label(self) -> str:
        return STATUS_LABELS[self.status]



def assess_indicator(indicator: Indicator, year: int) -> IndicatorAssessment:
    """Assess an indicator in an edition year against its nearest target."""
    base_year, base = indicator.base_year, indicator.base_value
    series = {base_year: base, **indicator.values}  # the base value is also the value of its year
    known = [y for y in series if y <= year]
    latest_year = max(known) if known else None
    value = series[latest_year] if latest_year is not None else None
    previous = series.get(latest_year - 1) if latest_year is not None else None
    target = indicator.target_for(year)
    low, high = _target_set(target, base)
    path_end = _path_end(target, base, low, high)
    expected = progress = None
    if target is not None and path_end is not None and latest_year is not None and value is not None:
        share = (latest_year - base_year) / max(target.year - base_year, 1)
        expected = base + (path_end - base) * min(max(share, 0.0), 1.0)  # after the target year, the target
        progress = max((value - base) / (path_end - base), 0.0)  # moving away covers none of the distance
    unit = "" if indicator.unit == "无" else indicator.unit
    if latest_year != year or value is None:
        status = "no_data"
        since = f"，最近一次为{latest_year}年的{q(value, unit)}" if value is not None else ""
        reason = f"{year}年没有数据{since}。"
    else:
        status = _indicator_status(indicator.direction, target, base, value, low, high, expected)
        reason = _indicator_reason(status, year, base_year, base, value, previous, target, expected,
                                   unit, indicator.direction)
    return IndicatorAssessment(indicator.id, year, status, latest_year, value, previous, base_year, base,
                               target, expected, progress, reason)


def _target_set(target: Target | None, base: float) -> tuple[float, float]:
    """Return the interval of values that reach a target (empty without one)."""
    band = STABLE_BAND * abs(base)
    if target is None:
        return math.inf, -math.inf
    if target.equals is not None:
        slack = EQUALS_TOLERANCE * abs(target.equals)
        return target.equals - slack, target.equals + slack
    if target.at_least is not None:
        return target.at_least, math.inf
    if target.at_most is not None:
        return -math.inf, target.at_most
    if target.between is not None:
        return target.between
    if target.about is not None:
        slack = target.tolerance if target.tolerance is not None else ABOUT_TOLERANCE * abs(target.about)
        return target.about - slack, target.about + slack
    if target.trend == "increase":
        return math.nextafter(base + band, math.inf), math.inf  # strictly beyond the band
    if target.trend == "decrease":
        return -math.inf, math.nextafter(base - band, -math.inf)
    return base - band, base + band


def _path_end(target: Target | None, base: float, low: float, high: float) -> float | None:
    """Return where the straight path from the base ends, or None when there is no path."""
    if target is None or target.trend is not None or low <= base <= high:
        return None  # no target, a direction only, or reached already at the base
    if target.equals is not None:
        return target.equals
    if target.about is not None:
        return target.about
    return min(max(base, low), high)  # the bound, or the nearer edge of a range


def _distance(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


def _indicator_status(direction: str, target: Target | None, base: float, value: float,
                      low: float, high: float, expected: float | None) -> str:
    if low <= value <= high:
        return "reached"
    if abs(value - base) <= STABLE_BAND * abs(base):
        return "stable"
    if target is None:  # no target: the indicator's direction alone; a range without bounds moves away
        sign = {"higher_is_better": 1, "lower_is_better": -1}.get(direction, 0)
        return "on_track" if sign * (value - base) > 0 else "away"
    if _distance(value, low, high) >= _distance(base, low, high):
        return "away"
    if expected is None or _distance(value, low, high) <= _distance(expected, low, high):
        return "on_track"
    return "lagging"


def _indicator_reason(status: str, year: int, base_year: int, base: float, value: float,
                      previous: float | None, target: Target | None, expected: float | None,
                      unit: str, direction: str) -> str:
    parts = [f"{year}年为{q(value, unit)}", f"较{base_year}年基期值{q(base, unit)}{change(value - base, unit)}"]
    if previous is not None and year - 1 != base_year:
        parts.append(f"较上年{change(value - previous, unit)}")
    goal = f"{target.year}年目标（{target.label()}）" if target else f"指标方向（{DIRECTION_LABELS[direction]}）"
    verdicts = {
        "reached": f"已达到{goal}",
        "on_track": f"朝{goal}变化" + (f"，达到按直线进度{year}年应有的{q(expected, unit)}"
                                     if expected is not None else ""),
        "lagging": f"朝{goal}变化，但未达到按直线进度{year}年应有的{q(expected, unit)}",
        "stable": f"变化不超过基期值的±{pct(STABLE_BAND)}，视为稳定" + (f"，尚未达到{goal}" if target else ""),
        "away": f"偏离{goal}",
    }
    return "，".join([*parts, verdicts[status]]) + "。"

