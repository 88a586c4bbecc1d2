"""Assess an indicator in an edition year: its status against the nearest target, with the reason.

The rule order follows published check-up tables: the target reached first
(direction-aware); direction-only targets by the change from the previous year;
otherwise the change from the previous year (稳定, 偏离目标方向) and the pace
against the straight path from base to target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import DIRECTION_LABELS, Indicator, Target
from .numbers import DEFAULT_DECIMALS, change, indicator_decimals, num, pct, q, recorded_decimals, target_text
from .rules import DEFAULT_RULES, STATUS_LABELS, Rules

# The sign of a good change for each direction; a range has none.
_SIGN = {"higher_is_better": 1, "lower_is_better": -1, "within_range": 0}
_TREND_SIGN = {"increase": 1, "decrease": -1}


@dataclass(frozen=True)
class IndicatorAssessment:
    indicator_id: str
    year: int
    status: str
    latest_year: int | None
    latest_value: float | None
    previous_value: float | None  # the latest value before latest_year (normally the previous year's)
    base_year: int
    base_value: float
    target: Target | None  # the nearest target year not before the edition year, else the last
    expected: float | None  # on the straight path in latest_year; None without a path
    progress: float | None  # share of the base-to-target distance covered: 1 when reached, 0 when away
    reason: str  # one sentence with the numbers behind the status
    word: str = ""  # the status word of the edition's rules
    rule: str = ""  # the rule that decided, as the methods page names it
    condition: str | None = None  # what reaches the target, e.g. "430–450万人"; None without one
    previous_year: int | None = None

    def label(self) -> str:
        return self.word or STATUS_LABELS[self.status]


def assess_indicator(indicator: Indicator, year: int, rules: Rules = DEFAULT_RULES) -> IndicatorAssessment:
    """Assess an indicator in an edition year against its nearest target."""
    base_year, base = indicator.base_year, indicator.base_value
    series = {base_year: base, **indicator.values}  # the base value is also the value of its year
    known = sorted(y for y in series if y <= year)
    latest_year = known[-1] if known else None
    value = series[latest_year] if latest_year is not None else None
    previous_year = known[-2] if len(known) > 1 else None
    previous = series[previous_year] if previous_year is not None else None
    target = indicator.target_for(year)
    unit = "" if indicator.unit == "无" else indicator.unit
    places = indicator_decimals(indicator)
    low, high = target_set(target, indicator.direction, base, rules)
    condition = target_condition(target, indicator.direction, base, rules, unit, places)
    path_end = straight_path_end(target, base, low, high)
    expected = progress = None
    if path_end is not None and target is not None and latest_year is not None and value is not None:
        share = (latest_year - base_year) / max(target.year - base_year, 1)
        expected = base + (path_end - base) * min(max(share, 0.0), 1.0)  # after the target year, the target
        progress = max(1 - _distance(value, low, high) / _distance(base, low, high), 0.0)
    if latest_year != year or value is None:
        status, rule = "no_data", "no_data"
        since = f"，最近一次为{latest_year}年的{q(value, unit, places)}" if value is not None else ""
        reason = f"{year}年没有数据{since}。"
    else:
        prior = previous if previous is not None else value
        status, rule = judge_status(indicator.direction, target, base, prior, value, low, high, expected, rules)
        if status == "reached" and target is not None and target.trend is None:
            progress = 1.0  # a reached target is complete, whatever the distance past it
        reason = _reason(status, rule, year, base_year, base, value, previous_year, previous, target,
                         expected, unit, indicator.direction, rules, places)
    return IndicatorAssessment(indicator.id, year, status, latest_year, value, previous, base_year, base,
                               target, expected, progress, reason, rules.status_labels[status], rule,
                               condition, previous_year)


def target_set(target: Target | None, direction: str, base: float, rules: Rules) -> tuple[float, float]:
    """Return the interval of values that reach a target (empty without a numeric one)."""
    band = rules.stable_band * abs(base)
    sign = _SIGN[direction]
    if target is None:
        return math.inf, -math.inf
    if target.equals is not None:
        if sign > 0:  # a plain planned value on a direction is a bound: at or past it is reached
            return target.equals, math.inf
        if sign < 0:
            return -math.inf, target.equals
        slack = rules.equals_tolerance * abs(target.equals)
        return target.equals - slack, target.equals + slack
    if target.at_least is not None:
        return target.at_least, math.inf
    if target.at_most is not None:
        return -math.inf, target.at_most
    if target.between is not None:
        return target.between
    if target.about is not None:
        slack = about_slack(target, rules)
        return target.about - slack, target.about + slack
    if target.trend == "increase":
        return math.nextafter(base + band, math.inf), math.inf  # strictly beyond the band
    if target.trend == "decrease":
        return -math.inf, math.nextafter(base - band, -math.inf)
    return base - band, base + band


def about_slack(target: Target, rules: Rules) -> float:
    """Return the ± of a 左右 target: the stated tolerance, else the default share of the value."""
    assert target.about is not None
    return target.tolerance if target.tolerance is not None else rules.about_tolerance * abs(target.about)


def target_condition(target: Target | None, direction: str, base: float, rules: Rules, unit: str,
                     places: int | None = None) -> str | None:
    """Say in words which values reach a target, tolerance included, e.g. "430–450万人（440±10）".

    `places` is the indicator's decimals (numbers.indicator_decimals); None keeps two.
    """
    if target is None:
        return None
    if target.trend is not None:
        band = pct(rules.stable_band)
        return {"increase": f"较基期值增加超过{band}，且较上年继续增加",
                "decrease": f"较基期值减少超过{band}，且较上年继续减少",
                "stable": f"与基期值相差不超过±{band}"}[target.trend]
    low, high = target_set(target, direction, base, rules)
    if places is not None:  # a tolerance of the rules may need more decimals than the values (99.5–100.5%)
        places = max(places, min(recorded_decimals([low, high]), DEFAULT_DECIMALS))
    if math.isinf(high):
        return f"≥{q(low, unit, places)}"
    if math.isinf(low):
        return f"≤{q(high, unit, places)}"
    within = f"{num(low, places)}–{q(high, unit, places)}"
    if target.about is not None:
        return f"{within}（{num(target.about, places)}±{num(about_slack(target, rules), places)}）"
    return within


def _distance(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


def _closer(previous: float, value: float, low: float, high: float) -> bool:
    """Say whether a value outside the target set is nearer to it than the previous one.

    Compared by the direction of the move, not by subtracting distances, so that a tiny
    move is never lost to rounding against a large distance.
    """
    if previous < low:
        return value - high < low - previous if value > high else value > previous
    if previous > high:
        return low - value < previous - high if value < low else value < previous
    return False  # it was inside the target set last year and has left it


def straight_path_end(target: Target | None, base: float, low: float, high: float) -> float | None:
    """Return where the straight path from the base ends: the nearest edge of the target set, if any."""
    return None if target is None or target.trend is not None or low <= base <= high else min(max(base, low), high)


def judge_status(direction: str, target: Target | None, base: float, previous: float, value: float,
            low: float, high: float, expected: float | None, rules: Rules) -> tuple[str, str]:
    """Return the status and the rule that decided it, in the published order."""
    unchanged = abs(value - previous) <= rules.stable_band * abs(previous)
    if target is None or target.trend in _TREND_SIGN:
        # Direction only (增加/减少, or no target): judged by the change from the previous year.
        sign = _TREND_SIGN[target.trend] if target is not None and target.trend else _SIGN[direction]
        if unchanged:
            return "stable", "trend_stable"
        if sign == 0 or sign * (value - previous) < 0:
            return "away", "trend_away"
        if target is not None and low <= value <= high:
            return "reached", "trend_reached"
        return "on_track", "trend_towards"
    if low <= value <= high:
        return "reached", "reached"
    if target.trend == "stable":
        return "away", "stable_broken"
    if unchanged:
        return "stable", "unchanged"
    if not _closer(previous, value, low, high):
        return "away", "away"
    if expected is None or _distance(value, low, high) <= _distance(expected, low, high):
        return "on_track", "on_path"
    return "lagging", "behind_path"


def _reason(status: str, rule: str, year: int, base_year: int, base: float, value: float,
            previous_year: int | None, previous: float | None, target: Target | None,
            expected: float | None, unit: str, direction: str, rules: Rules, places: int) -> str:
    parts = [f"{year}年为{q(value, unit, places)}",
             f"较{base_year}年基期值{q(base, unit, places)}{change(value - base, unit, places)}"]
    if previous is not None and previous_year is not None and previous_year != base_year:
        since = "上年" if previous_year == year - 1 else f"{previous_year}年"
        parts.append(f"较{since}{change(value - previous, unit, places)}")
    goal = f"{target.year}年目标（{target_text(target, unit)}）" if target else f"指标方向（{DIRECTION_LABELS[direction]}）"
    band = pct(rules.stable_band)
    verdicts = {
        "reached": f"已达到{goal}",
        "trend_reached": f"继续朝{goal}变化，已达到{goal}",
        "trend_towards": f"较上年朝{goal}变化",
        "trend_stable": f"较上年变化不超过±{band}，视为稳定",
        "trend_away": f"较上年背离{goal}",
        "stable_broken": f"超出{goal}的稳定幅度（±{band}），偏离目标",
        "unchanged": f"较上年变化不超过±{band}，视为稳定，尚未达到{goal}",
        "away": f"较上年离{goal}更远",
        "on_path": f"朝{goal}变化" + (f"，达到按直线进度{year}年应有的{q(expected, unit, places)}"
                                  if expected is not None else ""),
        "behind_path": f"朝{goal}变化，但未达到按直线进度{year}年应有的{q(expected, unit, places)}",
    }
    return "，".join([*parts, verdicts[rule]]) + "。"


def evaluate_indicator(assessed: IndicatorAssessment) -> str | None:
    """Sort an assessed indicator for a five-year evaluation: early, on plan or to be adjusted."""
    if assessed.status == "no_data":
        return None
    if assessed.status == "reached":
        early = assessed.target is None or assessed.year < assessed.target.year
        return "early" if early else "on_plan"
    return "on_plan" if assessed.status == "on_track" else "adjust"
