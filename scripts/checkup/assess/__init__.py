"""Assess one edition: indicator statuses, task pace, problem follow-up and survey scores.

Every threshold and status word is a constant below, with the reason for its
value; `methods_markdown` writes the published methods page (方法说明) from
the same constants, so the rules on the site are the rules in the code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import (
    DIRECTION_LABELS,
    SAMPLE_GROUP_LABELS,
    TASK_STATUS_LABELS,
    Edition,
    Indicator,
    Problem,
    Question,
    Survey,
    Target,
    Task,
)

# -- status words ------------------------------------------------------------
# Indicator statuses, in the order a results table lists them: best first, missing data last.
STATUS_LABELS: dict[str, str] = {"reached": "已达标", "on_track": "符合目标方向、完成较好", "lagging": "符合目标方向、进度滞后",
                                  "stable": "稳定", "away": "偏离目标方向", "no_data": "数据缺失"}
# Task pace against time-proportional progress (序时进度); the last three come from the reported status.
PACE_LABELS: dict[str, str] = {"done": "已完成", "ahead": "超前", "on_pace": "符合序时进度", "behind": "滞后",
                                "not_started": "未启动", "suspended": "暂缓", "no_target": "无量化目标"}
# What became of a problem from the problem list (问题清单) by the edition year.
FOLLOW_UP_LABELS: dict[str, str] = {"resolved": "已解决", "absorbed": "已转化吸纳、整改中", "open": "未转化、待整改",
                                     "new": "本年新发现"}

# -- indicator thresholds ----------------------------------------------------
# An "equals" target is met within 0.5% of the target: published figures are rounded,
# and a plan that says "100%" is met by a reported 99.6.
EQUALS_TOLERANCE = 0.005
# "About" (左右) without a stated tolerance allows 5% either side: plans use 左右 for
# figures they only mean to the first significant digit or so.
ABOUT_TOLERANCE = 0.05
# A change within 1% of the base value counts as no change: statistical revisions and
# rounding move yearly figures by about that much. The same band decides the trend targets:
# "增加"/"减少" need a change beyond it, and a "保持稳定" target that holds inside it is
# reached (已达标), not merely 稳定.
STABLE_BAND = 0.01

# -- task thresholds -----------------------------------------------------------
# Cumulative completion within 5% (relative) of the time-proportional share is on pace:
# quantities are reported yearly, so a few weeks' slip should not read as 滞后.
PACE_TOLERANCE = 0.05
# The pace warning (预警) uses the same 5% on the projection, so 滞后 and 预警 agree
# whenever a task has started and is neither done nor suspended.
WARNING_TOLERANCE = PACE_TOLERANCE

# -- survey constants ----------------------------------------------------------
LIKERT_MIN, LIKERT_MAX = 1, 5  # the five-point scale, 非常不满意 = 1 to 非常满意 = 5
Z_95 = 1.96  # the normal quantile of a two-sided 95% confidence interval
# Without a reported standard deviation assume the largest a 1-5 answer can have (half the
# answers at 1, half at 5), so the interval is never narrower than the data allow.
MAX_SD = 2.0


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


@dataclass(frozen=True)
class TaskAssessment:
    task_id: str
    year: int
    pace: str
    elapsed_share: float  # share of the period elapsed at the end of the year (序时进度)
    done_share: float | None  # cumulative done / target quantity
    cumulative_done: float | None
    projected: float | None  # cumulative done at the period end at the rate so far
    warning: bool  # 预警: the projection falls short of the target
    reason: str

    def label(self) -> str:
        return PACE_LABELS[self.pace]


@dataclass(frozen=True)
class ProblemAssessment:
    problem_id: str
    year: int
    state: str
    absorbed_into: tuple[str, ...]  # every task named by a follow-up up to the year
    latest_verdict: str | None
    resolved_in: int | None

    def label(self) -> str:
        return FOLLOW_UP_LABELS[self.state]


@dataclass(frozen=True)
class ProblemSummary:
    year: int
    total: int
    new: int
    resolved: int
    absorbed: int
    open: int
    absorption_rate: float | None  # share of earlier problems absorbed into tasks
    tasks_from_problems: int


@dataclass(frozen=True)
class Score:
    score: float  # 0-100
    low: float  # the 95% confidence interval
    high: float
    n: int  # the number of answers the interval rests on


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    score: Score
    questions: tuple[tuple[str, str, Score], ...]


@dataclass(frozen=True)
class CompositionRow:
    group_kind: str
    group: str
    count: int
    sample_share: float  # percent of the group kind's sample
    population_share: float | None  # percent
    gap: float | None  # sample share - population share, in points


@dataclass(frozen=True)
class SurveyAssessment:
    year: int
    overall: Score
    published_overall: float | None
    dimensions: tuple[DimensionScore, ...]
    composition: tuple[CompositionRow, ...]
    valid_questionnaires: int


@dataclass(frozen=True)
class EditionAssessment:
    year: int
    indicators: dict[str, IndicatorAssessment]
    tasks: dict[str, TaskAssessment]
    problems: dict[str, ProblemAssessment]
    problem_summary: ProblemSummary
    survey: SurveyAssessment | None

    def status_counts(self) -> dict[str, int]:
        """Count the indicators of each status, every status listed."""
        return _counts(STATUS_LABELS, (a.status for a in self.indicators.values()))

    def pace_counts(self) -> dict[str, int]:
        """Count the tasks of each pace, every pace listed."""
        return _counts(PACE_LABELS, (a.pace for a in self.tasks.values()))

    def warnings(self) -> list[str]:
        """List the ids of the tasks with a pace warning."""
        return [a.task_id for a in self.tasks.values() if a.warning]


# -- indicators ------------------------------------------------------------------
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
        since = f"，最近一次为{latest_year}年的{_q(value, unit)}" if value is not None else ""
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
    parts = [f"{year}年为{_q(value, unit)}", f"较{base_year}年基期值{_q(base, unit)}{_change(value - base, unit)}"]
    if previous is not None and year - 1 != base_year:
        parts.append(f"较上年{_change(value - previous, unit)}")
    goal = f"{target.year}年目标（{target.label()}）" if target else f"指标方向（{DIRECTION_LABELS[direction]}）"
    verdicts = {
        "reached": f"已达到{goal}",
        "on_track": f"朝{goal}变化" + (f"，达到按直线进度{year}年应有的{_q(expected, unit)}"
                                     if expected is not None else ""),
        "lagging": f"朝{goal}变化，但未达到按直线进度{year}年应有的{_q(expected, unit)}",
        "stable": f"变化不超过基期值的±{_pct(STABLE_BAND)}，视为稳定" + (f"，尚未达到{goal}" if target else ""),
        "away": f"偏离{goal}",
    }
    return "，".join([*parts, verdicts[status]]) + "。"


# -- tasks -------------------------------------------------------------------------
def assess_task(task: Task, year: int) -> TaskAssessment:
    """Assess a task's cumulative progress against the share of its period elapsed by a year."""
    period = max(task.period_end - task.period_start + 1, 1)
    years_elapsed = min(max(year - task.period_start + 1, 0), period)
    elapsed = years_elapsed / period
    entries = [p for p in task.progress if p.year <= year]
    last = entries[-1].status if entries else None
    quantity = task.target_quantity
    reported = [p.done for p in entries if p.done is not None]
    # With a quantity target a year without a reported quantity counts as zero done.
    cumulative = sum(reported, 0.0) if reported or quantity else None
    done_share = cumulative / quantity if quantity and cumulative is not None else None
    projected = (cumulative / years_elapsed * period
                 if quantity and cumulative is not None and years_elapsed else None)
    if last == "done" or (done_share is not None and done_share >= 1):
        pace = "done"
    elif last == "suspended":
        pace = "suspended"
    elif not entries or (not cumulative and last == "not_started"):
        pace = "not_started"
    elif done_share is None:
        pace = "no_target"
    elif done_share > elapsed * (1 + PACE_TOLERANCE):
        pace = "ahead"
    elif done_share >= elapsed * (1 - PACE_TOLERANCE):
        pace = "on_pace"
    else:
        pace = "behind"
    warning = (pace != "done" and projected is not None and quantity is not None
               and projected < quantity * (1 - WARNING_TOLERANCE))
    unit = task.target_unit or ""
    if done_share is not None and cumulative is not None:
        reason = (f"截至{year}年累计完成{_q(cumulative, unit)}，占目标{_q(quantity, unit)}的{_pct(done_share)}，"
                  f"序时进度为{_pct(elapsed)}")
    else:
        reason = f"截至{year}年" + (f"报告状态为“{TASK_STATUS_LABELS[last]}”" if last else "没有进展报告")
        reason += "，无量化目标" if quantity is None else ""
    if warning:
        reason += f"；按目前速度到{task.period_end}年末预计完成{_q(projected, unit)}，难以完成目标，预警"
    return TaskAssessment(task.id, year, pace, elapsed, done_share, cumulative, projected, warning,
                          reason + "。")


# -- problems -----------------------------------------------------------------------
def assess_problem(problem: Problem, year: int) -> ProblemAssessment:
    """Assess what became of a problem by the edition year."""
    if problem.found_in > year:
        raise ValueError(f"问题 {problem.id} 发现于 {problem.found_in} 年，晚于 {year} 年")
    follow_ups = [f for f in problem.follow_up if f.year <= year]
    absorbed = tuple(dict.fromkeys(t for f in follow_ups for t in f.absorbed_into))
    verdict = follow_ups[-1].verdict if follow_ups else None
    resolved_in = None
    for entry in reversed(follow_ups):  # the first year of the unbroken run of "resolved" at the end
        if entry.verdict != "resolved":
            break
        resolved_in = entry.year
    if problem.found_in == year:
        state = "new"
    elif verdict == "resolved":
        state = "resolved"
    elif absorbed:
        state = "absorbed"
    else:
        state = "open"
    return ProblemAssessment(problem.id, year, state, absorbed, verdict, resolved_in)


def summarise_problems(edition: Edition, problems: dict[str, ProblemAssessment]) -> ProblemSummary:
    """Count the problem states of an edition and the share of earlier problems absorbed into tasks."""
    states = [a.state for a in problems.values()]
    earlier = [a for pid, a in problems.items() if edition.problems[pid].found_in < edition.year]
    rate = sum(1 for a in earlier if a.absorbed_into) / len(earlier) if earlier else None
    return ProblemSummary(edition.year, len(states), states.count("new"), states.count("resolved"),
                          states.count("absorbed"), states.count("open"), rate,
                          sum(1 for t in edition.tasks.values() if t.from_problems))


# -- survey ------------------------------------------------------------------------------
def _to_score(mean: float) -> float:
    return min(max((mean - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN) * 100, 0.0), 100.0)


def _question_stats(question: Question, default_n: int) -> tuple[float, float, int]:
    """Return the mean, standard deviation and number of answers of a question."""
    dist = question.distribution
    if dist is not None:
        n = sum(dist)
        if n == 0:
            raise ValueError(f"题目 {question.id} 没有人作答")
        mean = sum((LIKERT_MIN + i) * c for i, c in enumerate(dist)) / n
        var = sum(c * (LIKERT_MIN + i - mean) ** 2 for i, c in enumerate(dist)) / (n - 1) if n > 1 else MAX_SD ** 2
        return mean, math.sqrt(var), n
    if question.mean is None:
        raise ValueError(f"题目 {question.id} 既没有分档人数也没有平均分")  # the schema requires one
    return question.mean, MAX_SD if question.sd is None else question.sd, question.n or default_n


def _score(center: float, stats: list[tuple[float, float, int]]) -> Score:
    """Put a 95% interval around a 0-100 score from the pooled answers behind it."""
    total = sum(n for _, _, n in stats)
    pooled_mean = sum(m * n for m, _, n in stats) / total
    # Pooled variance keeps the spread between questions as well as within them.
    spread = sum((n - 1) * s ** 2 + n * (m - pooled_mean) ** 2 for m, s, n in stats)
    sd = math.sqrt(spread / (total - 1)) if total > 1 else MAX_SD
    # One respondent answers every question, so answers are not independent: take the
    # smallest number of answers to one question, never their sum.
    n = min(n for _, _, n in stats)
    half = Z_95 * sd / math.sqrt(n) / (LIKERT_MAX - LIKERT_MIN) * 100
    return Score(center, max(center - half, 0.0), min(center + half, 100.0), n)


def assess_survey(survey: Survey) -> SurveyAssessment:
    """Score every question, dimension and the whole survey on 0-100 with 95% intervals."""
    dimensions, everything = [], []
    for dim in survey.dimensions:
        stats = [_question_stats(q, survey.valid_questionnaires) for q in dim.questions]
        questions = tuple((q.id, q.text, _score(_to_score(s[0]), [s]))
                          for q, s in zip(dim.questions, stats, strict=True))
        center = sum(score.score for _, _, score in questions) / len(questions)
        dimensions.append(DimensionScore(dim.id, dim.name, _score(center, stats), questions))
        everything.extend(stats)
    overall = _score(sum(d.score.score for d in dimensions) / len(dimensions), everything)
    return SurveyAssessment(survey.year, overall, survey.overall_score, tuple(dimensions),
                            _composition(survey), survey.valid_questionnaires)


def _composition(survey: Survey) -> tuple[CompositionRow, ...]:
    rows = []
    for kind in sorted(survey.sample, key=list(SAMPLE_GROUP_LABELS).index):  # the schema allows only these
        groups = survey.sample[kind]
        total = sum(g.count for g in groups)
        for g in groups:
            share = g.count / total * 100 if total else 0.0
            gap = share - g.population_share if g.population_share is not None else None
            rows.append(CompositionRow(kind, g.group, g.count, share, g.population_share, gap))
    return tuple(rows)


# -- the edition -------------------------------------------------------------------------
def assess_edition(edition: Edition) -> EditionAssessment:
    """Assess every indicator, task and problem of an edition, and its survey."""
    year = edition.year
    problems = {pid: assess_problem(p, year) for pid, p in edition.problems.items()}
    return EditionAssessment(
        year,
        {iid: assess_indicator(i, year) for iid, i in edition.indicators.items()},
        {tid: assess_task(t, year) for tid, t in edition.tasks.items()},
        problems, summarise_problems(edition, problems),
        assess_survey(edition.survey) if edition.survey else None,
    )


def _counts(labels: dict[str, str], codes: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(labels, 0)
    for code in codes:
        counts[code] += 1
    return counts


def _num(value: float) -> str:
    if 0 < abs(value) < 1:  # small figures keep three significant digits, not two decimals
        return f"{value:.3g}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _q(value: float | None, unit: str) -> str:
    return f"{_num(value or 0.0)}{unit}"


def _pct(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def _change(diff: float, unit: str) -> str:
    if diff == 0:
        return "持平"
    amount = f"{_num(abs(diff))}个百分点" if unit == "%" else _q(abs(diff), unit)  # a change of a share is in points
    return f"{'增加' if diff > 0 else '减少'}{amount}"


# -- the methods page ------------------------------------------------------------------
def methods_markdown() -> str:
    """Write the methods page (方法说明) from the rules' constants."""
    band, pace_low, pace_high = _pct(STABLE_BAND), _pct(1 - PACE_TOLERANCE), _pct(1 + PACE_TOLERANCE)
    out_of_band = f"未达标；与基期值之差超过基期值的 ±{band}"
    s, p, f = STATUS_LABELS, PACE_LABELS, FOLLOW_UP_LABELS
    scale = LIKERT_MAX - LIKERT_MIN
    return f"""# 方法说明

本页由评估程序中的规则常量生成，页面上的规则就是计算所用的规则。

## 指标评估

每项指标在体检年度评估：用体检年度的数值，与基期值、上年数值和规划目标比较。目标取不早于体检年度的最近一个目标年；体检年度晚于所有目标年时，取最后一个。

| 目标形式 | 达标条件 |
| --- | --- |
| 等于 | 与目标值之差不超过目标值的 {_pct(EQUALS_TOLERANCE)} |
| 不低于（≥） | 最新值 ≥ 下限 |
| 不高于（≤） | 最新值 ≤ 上限 |
| 区间 | 下限 ≤ 最新值 ≤ 上限（“保持在区间内”的指标按区间评估） |
| 左右 | 与目标值之差不超过给定的允许偏差；未给出时为目标值的 {_pct(ABOUT_TOLERANCE)} |
| 增加 | 较基期值增加，且增幅超过基期值的 {band} |
| 减少 | 较基期值减少，且降幅超过基期值的 {band} |
| 保持稳定 | 与基期值之差不超过基期值的 {band}；守住即为“{s["reached"]}” |

**直线进度。** 从基期（基期年，基期值）到目标（目标年，目标值）连一条直线：某年应达到的数值 = 基期值 + (目标值 − 基期值) × (该年 − 基期年) / (目标年 − 基期年)，目标年以后按目标值计。≥、≤ 取界值，等于、左右取目标值，区间取离基期值较近的一端。只有方向的目标、基期值已经达标的目标没有直线进度。完成程度 = (最新值 − 基期值) / (目标值 − 基期值)，远离目标时记为 0。

**离目标更近**指最新值到达标范围的距离小于基期值到达标范围的距离。

| 状态 | 判定规则 |
| --- | --- |
| {s["reached"]} | 体检年度数值在达标范围内（见上表）。 |
| {s["on_track"]} | {out_of_band}，离目标比基期值更近，且不落后于直线进度。没有规划目标的指标，朝指标方向变化即属此类。 |
| {s["lagging"]} | {out_of_band}，离目标比基期值更近，但落后于直线进度。 |
| {s["stable"]} | 未达标；与基期值之差不超过基期值的 ±{band}（基期值为 0 时，只有数值不变才算稳定）。 |
| {s["away"]} | {out_of_band}，离目标不比基期值更近（越过目标值太多的也属此类）。 |
| {s["no_data"]} | 体检年度本身没有数据；说明中注明最近一次数据的年份和数值，但不据此评估。 |

各状态互不重叠。上年数值只在说明中列出，不影响状态。没有规划目标的指标按指标方向判断；“保持在区间内”而没有给出区间的，超出稳定幅度即为偏离。

## 任务进度

序时进度 = (体检年度 − 开始年份 + 1) / (完成年份 − 开始年份 + 1)，在 0 与 100% 之间。累计完成率 = 截至体检年度各年完成量之和 / 目标数量；有量化目标而某年没有报送完成量的，该年按 0 计。

| 进度 | 判定规则 |
| --- | --- |
| {p["done"]} | 最近一次报告为“已完成”，或累计完成量达到目标数量。 |
| {p["ahead"]} | 累计完成率高于序时进度的 {pace_high}。 |
| {p["on_pace"]} | 累计完成率在序时进度的 {pace_low} 至 {pace_high} 之间。 |
| {p["behind"]} | 累计完成率低于序时进度的 {pace_low}。 |
| {p["not_started"]} | 没有进展报告，或最近一次报告为“未启动”且累计完成量为 0。 |
| {p["suspended"]} | 最近一次报告为“暂缓”。 |
| {p["no_target"]} | 没有量化目标，最近一次报告为“推进中”。 |

先看是否已完成，再看是否暂缓、未启动，然后看有无量化目标，最后比较累计完成率与序时进度。序时进度两侧各留 {_pct(PACE_TOLERANCE)} 的余地，是因为完成量按年报送，几周的差异不应算作滞后。

**预警。** 预计完成量 = 累计完成量 / 已实施年数 × 实施总年数。尚未完成的任务（包括暂缓和未启动的），预计完成量低于目标数量的 {_pct(1 - WARNING_TOLERANCE)} 时预警。例如三年完成约 100 栋、第一年完成 12 栋，预计三年完成 36 栋，预警。

## 问题清单跟踪

| 状态 | 判定规则 |
| --- | --- |
| {f["new"]} | 发现年度就是本体检年度。 |
| {f["resolved"]} | 最近一次“回头看”结论为“已解决”；解决年度取连续结论为“已解决”的第一年。 |
| {f["absorbed"]} | 未解决，但已转化吸纳进至少一项任务。 |
| {f["open"]} | 未解决，也未转化吸纳进任何任务。 |

转化吸纳率 = 以往年度发现的问题中已转化吸纳进任务的个数 / 以往年度发现的问题个数（本年新发现的不计）。

## 社会满意度调查

每道题按五级量表计分（{LIKERT_MIN} 分为非常不满意，{LIKERT_MAX} 分为非常满意），换算为百分制：得分 = (平均分 − {LIKERT_MIN}) / {scale} × 100。

95% 置信区间 = 平均分 ± {Z_95} × 标准差 / √作答人数，同样换算为百分制，并截取在 0 至 100 之间。有分档人数的题目，由分档人数计算平均分和标准差；只有平均分的题目，用公布的标准差和作答人数：没有公布标准差的，按五级量表可能的最大标准差 {MAX_SD:g} 计，没有公布作答人数的，按有效问卷数计，使区间只会偏宽。

维度得分 = 该维度各题得分的平均数；总体得分 = 各维度得分的平均数，各维度权重相同。维度和总体的置信区间把所含各题的回答合并起来计算标准差（包括题目之间的差异），人数取作答人数最少的一题：同一位受访者回答了所有题目，回答之间并不独立，不能把人数相加。

样本构成：某组样本占比 = 该组样本数 / 同一分组方式的样本合计 × 100%；偏差 = 样本占比 − 常住人口占比（百分点）。
"""
