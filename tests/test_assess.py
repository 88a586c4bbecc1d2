"""The assessment rules, one table row per rule and edge, and the methods page built from them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkup import assess, paths
from checkup.assess import (
    DEFAULT_RULES,
    EVALUATION_LABELS,
    FOLLOW_UP_LABELS,
    PACE_LABELS,
    STATUS_LABELS,
    Rules,
    assess_edition,
    assess_indicator,
    assess_problem,
    assess_survey,
    assess_task,
    evaluate_indicator,
    methods_markdown,
    numbers,
)
from checkup.model import (
    Dimension,
    Edition,
    FollowUp,
    Indicator,
    Problem,
    Progress,
    Question,
    SampleGroup,
    Survey,
    Target,
    Task,
)

YEAR = 2023  # edition year; base 2020 and target 2025 put the straight path at 3/5 of the way


def indicator(base: float, values: dict[int, float], *targets: Target, direction: str = "higher_is_better",
              unit: str = "%") -> Indicator:
    return Indicator(id="ZB-01", name="指标", category="绿色", subcategory="绿色生活", unit=unit,
                     definition="定义", direction=direction, kind="expected", base_year=2020, base_value=base,
                     values=values, targets=targets, data_source="来源", collection_method="部门报送",
                     department="GHZY", file="indicators/ZB-01.yaml")


def target(**form: object) -> Target:
    return Target(year=2025, **form)  # type: ignore[arg-type]


def task(quantity: float | None, *progress: tuple[int, str, float | None], start: int = 2021,
         end: int = 2023) -> Task:
    return Task(id="RW-001", number=1, section="板块", title="任务", lead="ZJW", period_start=start,
                period_end=end, progress=tuple(Progress(year=y, status=s, done=d) for y, s, d in progress),
                file="tasks/RW-001.yaml", target_quantity=quantity, target_unit="栋" if quantity else None)


def problem(found_in: int, *follow_up: tuple[int, str, tuple[str, ...]], pid: str = "WT-01") -> Problem:
    return Problem(id=pid, found_in=found_in, title="问题", description="诊断", recommendations=("建议",),
                   departments=("ZJW",), file=f"problems/{pid}.yaml",
                   follow_up=tuple(FollowUp(year=y, verdict=v, absorbed_into=a) for y, v, a in follow_up))


def survey(*dimensions: Dimension, sample: dict[str, tuple[SampleGroup, ...]] | None = None,
           valid: int = 3000, overall: float | None = None) -> Survey:
    return Survey(year=YEAR, method="配额抽样", valid_questionnaires=valid, dimensions=dimensions,
                  file="survey.yaml", sample=sample or {}, overall_score=overall)


def dimension(*questions: Question, did: str = "safety") -> Dimension:
    return Dimension(id=did, name="城市安全性", questions=questions)


# -- indicators ------------------------------------------------------------------------------
HI, LO, RANGE = "higher_is_better", "lower_is_better", "within_range"


@pytest.mark.parametrize(("tgt", "direction", "base", "previous", "value", "status"), [
    # a plain planned value on an indicator with a direction is reached at or past it
    (target(equals=97), HI, 90, 99, 100, "reached"),  # 100 against a planned 97, not 偏离目标方向
    (target(equals=99), HI, 95, 98, 100, "reached"),  # coverage 100% against a planned 99%
    (target(equals=99), HI, 95, 98, 99, "reached"),
    (target(equals=99), HI, 95, 97, 98.5, "on_track"),  # the path from 95 reaches 97.4 in 2023
    (target(equals=0), LO, 6, 2, 0, "reached"),
    (target(equals=0), LO, 6, 3, 1, "on_track"),
    # a plain value on an indicator that must hold it keeps its exact meaning, within 0.5%
    (target(equals=100), RANGE, 50, 90, 99.6, "reached"),
    (target(equals=100), RANGE, 50, 90, 100.4, "reached"),
    (target(equals=100), RANGE, 50, 99, 102, "away"),
    (target(equals=100), RANGE, 50, 60, 70, "lagging"),  # the path to 99.5 reaches 79.7
    # at least (≥85): the path from 80 reaches 83 in 2023
    (target(at_least=85), HI, 80, 82, 86, "reached"),
    (target(at_least=85), HI, 80, 82, 85, "reached"),
    (target(at_least=85), HI, 80, 82, 84, "on_track"),
    (target(at_least=85), HI, 80, 81, 83, "on_track"),
    (target(at_least=85), HI, 80, 80, 82, "lagging"),
    (target(at_least=85), HI, 80, 82, 82.5, "stable"),  # within 1% of last year
    (target(at_least=85), HI, 80, 84, 83, "away"),  # fell back from last year, though above the base
    (target(at_least=85), HI, 80, 79, 78, "away"),
    (target(at_least=85), HI, 90, 86, 84, "away"),
    # at most (≤10): the path from 20 reaches 14 in 2023
    (target(at_most=10), LO, 20, 15, 9, "reached"),
    (target(at_most=10), LO, 20, 15, 13, "on_track"),
    (target(at_most=10), LO, 20, 18, 16, "lagging"),
    (target(at_most=10), LO, 20, 20, 20.1, "stable"),
    (target(at_most=10), LO, 20, 20, 22, "away"),
    # between [1.5, 2.0]: the path runs to the nearer edge
    (target(between=(1.5, 2.0)), RANGE, 1.42, 1.45, 1.53, "reached"),
    (target(between=(1.5, 2.0)), RANGE, 1.42, 1.44, 1.48, "on_track"),
    (target(between=(1.5, 2.0)), RANGE, 1.42, 1.42, 1.45, "lagging"),
    (target(between=(1.5, 2.0)), RANGE, 1.42, 1.40, 1.2, "away"),
    (target(between=(1.5, 2.0)), RANGE, 2.5, 2.3, 2.1, "on_track"),
    (target(between=(1.5, 2.0)), RANGE, 1.8, 2.1, 2.3, "away"),
    # 左右: the default 5% either side, or the stated tolerance
    (target(about=440), HI, 400, 410, 430, "reached"),
    (target(about=440), HI, 300, 350, 400, "on_track"),  # the path to 418 reaches 370.8
    (target(about=440), HI, 300, 320, 350, "lagging"),
    (target(about=440, tolerance=10), RANGE, 421.6, 427.5, 430.9, "reached"),  # 440万人左右 (±10)
    (target(about=440, tolerance=2), HI, 420, 430, 441, "reached"),
    (target(about=440, tolerance=2), HI, 420, 425, 430, "lagging"),  # the path to 438 reaches 430.8
    (target(about=440, tolerance=2), HI, 420, 450, 470, "away"),
    # direction only (增加/减少): the change from the previous year decides
    (target(trend="increase"), HI, 100, 101, 103, "reached"),
    (target(trend="increase"), HI, 100, 103, 103, "stable"),  # flat above the base: 稳定, not 已达标
    (target(trend="increase"), HI, 100, 103, 103.5, "stable"),
    (target(trend="increase"), HI, 100, 98, 99.5, "on_track"),  # rising, not yet beyond the base
    (target(trend="increase"), HI, 100, 104, 102, "away"),
    (target(trend="decrease"), LO, 100, 99, 97, "reached"),
    (target(trend="decrease"), LO, 100, 97, 99, "away"),
    # 保持稳定: held within the band of the base
    (target(trend="stable"), RANGE, 100, 100, 100.9, "reached"),
    (target(trend="stable"), RANGE, 100, 100, 101.5, "away"),
    (target(trend="stable"), RANGE, 100, 100, 98.5, "away"),
    # the base already reaches the target
    (target(equals=50), HI, 50, 50, 52, "reached"),
    (target(equals=50), HI, 50, 50, 49.8, "stable"),
    (target(equals=50), HI, 50, 50, 48, "away"),
    # a zero previous value: no band, so any change is a change
    (target(at_least=18), HI, 0, 0, 0, "stable"),
    (target(at_least=18), HI, 0, 0, 1, "lagging"),
    (target(at_least=18), HI, 0, 0, 11, "on_track"),
    # no target: the indicator's direction, against the previous year
    (None, HI, 10, 10, 11, "on_track"),
    (None, HI, 10, 10, 9, "away"),
    (None, LO, 10, 10, 9, "on_track"),
    (None, HI, 10, 10, 10.05, "stable"),
    (None, RANGE, 10, 10, 11, "away"),
])
def test_indicator_status_follows_the_published_rule(tgt, direction, base, previous, value, status):
    targets = (tgt,) if tgt else ()
    result = assess_indicator(indicator(base, {2022: previous, YEAR: value}, *targets, direction=direction), YEAR)
    assert result.status == status
    assert result.label() == STATUS_LABELS[status]


def test_indicator_flat_for_three_years_with_an_increase_target_is_stable_not_reached():
    ind = indicator(100, {2021: 105, 2022: 105, YEAR: 105}, target(trend="increase"))
    result = assess_indicator(ind, YEAR)
    assert (result.status, result.rule) == ("stable", "trend_stable")
    assert result.reason == ("2023年为105%，较2020年基期值100%增加5个百分点，较上年持平，"
                             "较上年变化不超过±1%，视为稳定。")


def test_indicator_reached_has_a_completion_of_100_percent_and_states_its_tolerance():
    ind = indicator(421.6, {2022: 427.5, YEAR: 430.9}, target(about=440, tolerance=10, text="440万人左右"),
                    direction=RANGE, unit="万人")
    result = assess_indicator(ind, YEAR)
    assert (result.status, result.progress) == ("reached", 1.0)
    assert result.condition == "430–450万人（440±10）"


@pytest.mark.parametrize(("tgt", "direction", "condition"), [
    (target(equals=97), HI, "≥97%"),
    (target(equals=0), LO, "≤0%"),
    (target(equals=100), RANGE, "99.5–100.5%"),
    (target(at_least=85), HI, "≥85%"),
    (target(between=(1.5, 2.0)), RANGE, "1.5–2%"),
    (target(about=440), HI, "418–462%（440±22）"),
    (target(trend="increase"), HI, "较基期值增加超过1%，且较上年继续增加"),
    (target(trend="stable"), RANGE, "与基期值相差不超过±1%"),
])
def test_indicator_condition_says_which_values_reach_the_target(tgt, direction, condition):
    assert assess_indicator(indicator(50, {YEAR: 60}, tgt, direction=direction), YEAR).condition == condition


@pytest.mark.parametrize(("status", "year", "evaluation"), [
    ("reached", 2023, "early"),
    ("reached", 2025, "on_plan"),
    ("on_track", 2023, "on_plan"),
    ("lagging", 2023, "adjust"),
    ("stable", 2023, "adjust"),
    ("away", 2023, "adjust"),
    ("no_data", 2023, None),
])
def test_five_year_evaluation_sorts_indicators_into_the_mid_term_review_words(status, year, evaluation):
    values = {"reached": 86, "on_track": 84, "lagging": 81.5, "stable": 80, "away": 78}
    series = {} if status == "no_data" else {year - 1: 80, year: values[status]}
    result = assess_indicator(indicator(80, series, target(at_least=85)), year)
    assert result.status == status
    assert evaluate_indicator(result) == evaluation
    if evaluation:
        assert EVALUATION_LABELS[evaluation] in {"提前完成", "按计划推进", "需要调整"}


# Directional targets only: past a 左右 or a range, more is not better.
DIRECTIONAL = [(target(at_least=85), HI), (target(equals=97), HI), (target(at_most=10), LO),
               (target(equals=0), LO), (target(trend="increase"), HI), (target(trend="decrease"), LO), (None, HI)]
RANK = {code: rank for rank, code in enumerate(reversed(list(STATUS_LABELS)))}  # best first in the rules
values = st.floats(min_value=-50, max_value=150, allow_nan=False)


@given(st.sampled_from(DIRECTIONAL), values, values, values, st.floats(min_value=0, max_value=50))
def test_moving_a_value_further_in_the_good_direction_never_worsens_its_status(case, base, previous, value,
                                                                               step):
    tgt, direction = case
    sign = 1 if direction == HI else -1
    ind = indicator(base, {2022: previous, YEAR: value}, *((tgt,) if tgt else ()), direction=direction)
    better = indicator(base, {2022: previous, YEAR: value + sign * step}, *((tgt,) if tgt else ()),
                       direction=direction)
    assert RANK[assess_indicator(better, YEAR).status] >= RANK[assess_indicator(ind, YEAR).status]


@given(st.sampled_from(DIRECTIONAL[:-1]), values, values, st.floats(min_value=0.01, max_value=100))
def test_a_reached_target_stays_reached_under_more_of_the_same(case, base, previous, step):
    tgt, direction = case
    assert tgt is not None
    sign = 1 if direction == HI else -1
    value = previous + sign * step  # drawn as a move in the good direction, not filtered down to one
    ind = indicator(base, {2022: previous, YEAR: value}, tgt, direction=direction)
    assume(sign * (value - previous) > 0)  # "the same" is a move in the good direction
    assume(assess_indicator(ind, YEAR).status == "reached")
    again = indicator(base, {2022: previous, YEAR: value, 2024: value + (value - previous)}, tgt,
                      direction=direction)
    assert assess_indicator(again, 2024).status == "reached"


@pytest.mark.parametrize(("tgt", "base", "value", "expected", "progress"), [
    (target(at_least=85), 80, 84, 83, 0.8),
    (target(at_most=10), 20, 13, 14, 0.7),
    (target(equals=100), 50, 70, 80, 0.4),
    (target(about=440, tolerance=2), 420, 430, 430.8, 1 - 8 / 18),  # the path ends at 438, 440 less 2
    (target(between=(1.5, 2.0)), 1.42, 1.46, 1.468, 0.5),
    (target(between=(1.5, 2.0)), 2.5, 2.1, 2.2, 0.8),
    (target(at_least=85), 80, 78, 83, 0.0),
    (target(at_least=85), 90, 95, None, 1.0),  # reached from the start: complete, no path
    (target(trend="increase"), 100, 102, None, None),
    (target(trend="stable"), 100, 100, None, None),
    (None, 100, 102, None, None),
])
def test_indicator_expected_value_lies_on_the_straight_path_and_progress_never_goes_negative(
        tgt, base, value, expected, progress):
    result = assess_indicator(indicator(base, {YEAR: value}, *((tgt,) if tgt else ())), YEAR)
    assert result.expected == (pytest.approx(expected) if expected is not None else None)
    assert result.progress == (pytest.approx(progress) if progress is not None else None)


def test_indicator_after_its_last_target_year_is_held_to_the_target_itself():
    ind = indicator(80, {YEAR: 84}, Target(year=2022, at_least=85))
    result = assess_indicator(ind, YEAR)
    assert (result.expected, result.status, result.target) == (85, "lagging", ind.targets[0])


def test_indicator_is_assessed_against_the_nearest_target_still_ahead():
    near, far = Target(year=2025, at_least=85), Target(year=2035, at_least=95)
    assert assess_indicator(indicator(80, {YEAR: 86}, far, near), YEAR).target == near
    assert assess_indicator(indicator(80, {YEAR: 86}, far, near), 2030).target == far


@pytest.mark.parametrize(("values", "latest_year", "latest_value", "reason"), [
    ({2022: 83.0}, 2022, 83.0, "2023年没有数据，最近一次为2022年的83%。"),
    ({}, 2020, 80.0, "2023年没有数据，最近一次为2020年的80%。"),
    ({2024: 90.0}, 2020, 80.0, "2023年没有数据，最近一次为2020年的80%。"),
])
def test_indicator_without_a_value_in_the_edition_year_has_no_data_and_says_what_is_latest(
        values, latest_year, latest_value, reason):
    result = assess_indicator(indicator(80, values, target(at_least=85)), YEAR)
    assert (result.status, result.latest_year, result.latest_value) == ("no_data", latest_year, latest_value)
    assert result.reason == reason


def test_indicator_with_a_base_after_the_edition_year_has_no_value_at_all():
    result = assess_indicator(indicator(80, {}, Target(year=2030, at_least=85)), 2019)
    assert (result.status, result.latest_year, result.latest_value, result.reason) == (
        "no_data", None, None, "2019年没有数据。")


def test_indicator_reason_states_the_numbers_behind_the_status():
    result = assess_indicator(indicator(80, {2022: 81, YEAR: 82}, target(at_least=85, text="≥85")), YEAR)
    assert (result.previous_value, result.previous_year, result.rule) == (81, 2022, "behind_path")
    assert result.reason == ("2023年为82%，较2020年基期值80%增加2个百分点，较上年增加1个百分点，"
                             "朝2025年目标（≥85%）变化，但未达到按直线进度2023年应有的83%。")


def test_indicator_reason_for_a_stable_value_names_the_band():
    result = assess_indicator(indicator(64.5, {YEAR: 64.5}, target(at_least=120), unit="公里"), YEAR)
    assert result.reason == ("2023年为64.5公里，较2020年基期值64.5公里持平，"
                             "较上年变化不超过±1%，视为稳定，尚未达到2025年目标（≥120公里）。")


# -- tasks -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("quantity", "progress", "year", "pace", "warning"), [
    (100, [(2021, "in_progress", 12)], 2021, "behind", True),  # the real case: 36 of about 100
    (100, [(2021, "in_progress", 31)], 2021, "behind", True),
    (100, [(2021, "in_progress", 32)], 2021, "on_pace", False),
    (100, [(2021, "in_progress", 34)], 2021, "on_pace", False),
    (100, [(2021, "in_progress", 40)], 2021, "ahead", False),
    (100, [(2021, "in_progress", 40), (2022, "in_progress", 30)], 2022, "on_pace", False),
    (100, [(2021, "in_progress", 40), (2022, "in_progress", 30)], 2021, "ahead", False),
    (100, [(2021, "in_progress", None)], 2021, "behind", True),
    (100, [(2021, "in_progress", 60), (2022, "in_progress", 45)], 2022, "done", False),
    (100, [(2021, "in_progress", 50), (2022, "done", 10)], 2022, "done", False),
    (100, [(2021, "suspended", 10)], 2021, "suspended", True),
    (100, [(2021, "not_started", 0)], 2021, "not_started", True),
    (100, [], 2021, "not_started", True),
    (100, [], 2020, "not_started", False),
    (100, [(2021, "in_progress", 50), (2022, "in_progress", 40)], 2024, "overdue", False),
    (100, [(2021, "in_progress", 50), (2022, "in_progress", 40)], 2023, "overdue", False),  # no forecast
    (None, [(2021, "in_progress", None)], 2023, "overdue", False),
    (100, [(2021, "suspended", 0)], 2023, "suspended", False),
    (100, [], 2023, "overdue", False),
    (None, [(2021, "in_progress", None)], 2021, "no_target", False),
    (None, [(2021, "in_progress", 5)], 2021, "no_target", False),
    (None, [(2021, "done", None)], 2021, "done", False),
    (None, [(2021, "suspended", None)], 2021, "suspended", False),
    (None, [(2021, "not_started", None)], 2021, "not_started", False),
    (None, [], 2021, "not_started", False),
])
def test_task_pace_and_warning_follow_the_published_rule(quantity, progress, year, pace, warning):
    result = assess_task(task(quantity, *progress), year)
    assert (result.pace, result.warning) == (pace, warning)
    assert result.label() == PACE_LABELS[pace]


def test_task_of_about_100_buildings_with_12_done_in_year_one_projects_36_and_warns():
    result = assess_task(task(100, (2021, "in_progress", 12)), 2021)
    assert result.elapsed_share == pytest.approx(1 / 3)
    assert (result.cumulative_done, result.done_share, result.projected) == (12, 0.12, pytest.approx(36))
    assert result.reason == ("截至2021年累计完成12栋，占目标100栋的12%，序时进度为33.3%；"
                             "按目前速度到2023年末预计完成36栋，难以完成目标，预警。")


@pytest.mark.parametrize(("start", "end", "year", "elapsed"), [
    (2021, 2023, 2020, 0.0),
    (2021, 2023, 2021, 1 / 3),
    (2021, 2023, 2023, 1.0),
    (2021, 2023, 2025, 1.0),
    (2023, 2023, 2023, 1.0),
])
def test_task_elapsed_share_counts_whole_years_and_stays_between_0_and_1(start, end, year, elapsed):
    assert assess_task(task(10, start=start, end=end), year).elapsed_share == pytest.approx(elapsed)


def test_task_without_a_target_has_no_shares_and_says_its_status():
    result = assess_task(task(None, (2021, "in_progress", None)), 2021)
    assert (result.done_share, result.cumulative_done, result.projected) == (None, None, None)
    assert result.reason == "截至2021年报告状态为“推进中”，无量化目标。"


# -- problems -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("found_in", "follow_up", "year", "state", "absorbed", "resolved_in"), [
    (2023, [], 2023, "new", (), None),
    (2022, [], 2023, "open", (), None),
    (2022, [(2023, "unresolved", ())], 2023, "open", (), None),
    (2021, [(2022, "resolved", ())], 2022, "resolved", (), 2022),
    (2021, [(2022, "improved", ("RW-1",)), (2023, "resolved", ())], 2023, "resolved", ("RW-1",), 2023),
    (2021, [(2022, "resolved", ()), (2023, "resolved", ())], 2023, "resolved", (), 2022),
    (2021, [(2022, "resolved", ()), (2023, "unresolved", ())], 2023, "open", (), None),
    (2021, [(2022, "pending", ("RW-1",)), (2023, "improved", ("RW-2", "RW-1"))], 2023, "absorbed",
     ("RW-1", "RW-2"), None),
    (2021, [(2022, "pending", ("RW-1",)), (2023, "resolved", ())], 2022, "absorbed", ("RW-1",), None),
])
def test_problem_state_follows_the_published_rule(found_in, follow_up, year, state, absorbed, resolved_in):
    result = assess_problem(problem(found_in, *follow_up), year)
    assert (result.state, result.absorbed_into, result.resolved_in) == (state, absorbed, resolved_in)
    assert result.label() == FOLLOW_UP_LABELS[state]


def test_problem_found_after_the_year_is_a_bug_not_a_state():
    with pytest.raises(ValueError, match="晚于"):
        assess_problem(problem(2024), YEAR)


# -- survey -----------------------------------------------------------------------------------------
def test_survey_question_score_and_interval_match_a_hand_computation():
    # mean 3.15, sd sqrt(142.75 / 99) = 1.20080, half-width 1.96 * 1.20080 / 10 = 0.23536 points
    result = assess_survey(survey(dimension(Question(id="q1", text="题", distribution=(10, 20, 30, 25, 15)))))
    (_, text, score), = result.dimensions[0].questions
    assert text == "题"
    assert (score.score, score.low, score.high, score.n) == (
        pytest.approx(53.75), pytest.approx(47.8661, abs=1e-4), pytest.approx(59.6339, abs=1e-4), 100)


@pytest.mark.parametrize(("question", "score", "low", "high", "n"), [
    (Question(id="q", text="题", distribution=(0, 0, 0, 0, 40)), 100, 100, 100, 40),
    (Question(id="q", text="题", distribution=(40, 0, 0, 0, 0)), 0, 0, 0, 40),
    (Question(id="q", text="题", distribution=(0, 0, 0, 1, 9)), 97.5, 92.6010, 100, 10),
    (Question(id="q", text="题", distribution=(0, 0, 1, 0, 0)), 50, 0, 100, 1),
    (Question(id="q", text="题", mean=3.29, sd=0.94, n=400), 57.25, 54.947, 59.553, 400),
    (Question(id="q", text="题", mean=3.29), 57.25, 55.4607, 59.0393, 3000),
])
def test_survey_question_interval_is_clipped_and_falls_back_to_conservative_values(question, score, low,
                                                                                   high, n):
    (_, _, result), = assess_survey(survey(dimension(question))).dimensions[0].questions
    assert (result.score, result.low, result.high, result.n) == (
        pytest.approx(score), pytest.approx(low, abs=1e-3), pytest.approx(high, abs=1e-3), n)


def test_survey_dimension_averages_questions_and_pools_answers_for_its_interval():
    # all 4s (n=100) and all 2s (n=50): pooled sd sqrt(133.33 / 149) = 0.94597 over the smaller n, 50
    dim = dimension(Question(id="a", text="甲", distribution=(0, 0, 0, 100, 0)),
                    Question(id="b", text="乙", distribution=(0, 50, 0, 0, 0)))
    score = assess_survey(survey(dim)).dimensions[0].score
    assert (score.score, score.low, score.high, score.n) == (
        50, pytest.approx(43.4444, abs=1e-3), pytest.approx(56.5556, abs=1e-3), 50)


def test_survey_headline_is_the_mean_of_all_questions_unless_the_rules_say_dimensions():
    one = dimension(Question(id="a", text="甲", distribution=(0, 0, 0, 100, 0)), did="one")
    two = dimension(Question(id="b", text="乙", distribution=(0, 10, 0, 0, 0)),
                    Question(id="c", text="丙", distribution=(0, 0, 0, 10, 0)), did="two")
    result = assess_survey(survey(one, two, overall=58.3))
    assert [d.score.score for d in result.dimensions] == [75, 50]
    assert (result.overall.score, result.overall.n, result.published_overall) == (pytest.approx(175 / 3), 10, 58.3)
    assert (result.definition, result.other_definition) == ("questions", 62.5)
    assert result.official_gap() == pytest.approx(175 / 3 - 58.3)
    by_dimensions = assess_survey(survey(one, two), Rules(survey_overall="dimensions"))
    assert (by_dimensions.overall.score, by_dimensions.other_definition) == (62.5, pytest.approx(175 / 3))


def test_survey_composition_gives_shares_in_percent_and_the_gap_to_the_population():
    sample = {"age": (SampleGroup("18—29岁", 600, 55.0), SampleGroup("30岁及以上", 400)),
              "area": (SampleGroup("东湖区", 250, 20.0), SampleGroup("西山区", 750, 80.0))}
    rows = assess_survey(survey(dimension(Question(id="q", text="题", mean=4.0)), sample=sample,
                                valid=1000)).composition
    assert [(r.group_kind, r.group, r.count, r.sample_share, r.population_share, r.gap) for r in rows] == [
        ("area", "东湖区", 250, 25.0, 20.0, 5.0),
        ("area", "西山区", 750, 75.0, 80.0, -5.0),
        ("age", "18—29岁", 600, 60.0, 55.0, 5.0),
        ("age", "30岁及以上", 400, 40.0, None, None),
    ]


def test_survey_question_without_answers_is_refused():
    with pytest.raises(ValueError, match="没有人作答"):
        assess_survey(survey(dimension(Question(id="q", text="题", distribution=(0, 0, 0, 0, 0)))))


# -- the edition -------------------------------------------------------------------------------------
def test_edition_counts_every_status_and_pace_and_summarises_problems():
    tasks = {"RW-001": task(100, (2022, "in_progress", 12), start=2022, end=2024),
             "RW-002": Task(id="RW-002", number=2, section="板块", title="任务", lead="ZJW", period_start=2022,
                            period_end=2024, progress=(), file="tasks/RW-002.yaml", from_problems=("WT-01",))}
    problems = {p.id: p for p in (problem(2021, (2022, "improved", ("RW-002",)), pid="WT-01"),
                                  problem(2021, (2022, "unresolved", ()), pid="WT-02"),
                                  problem(2022, pid="WT-03"))}
    edition = Edition(year=2022, title="2022年度", city="示例市", publisher="示例市规划和自然资源局",
                      status="draft", base_year=2020, target_years=(2025,), areas=(), departments={},
                      indicators={"ZB-01": indicator(80, {2022: 86}, target(at_least=85))}, tasks=tasks,
                      problems=problems, folder="data/2022")
    result = assess_edition(edition)
    assert list(result.status_counts()) == list(STATUS_LABELS)
    assert result.status_counts()["reached"] == 1 and sum(result.status_counts().values()) == 1
    assert list(result.pace_counts()) == list(PACE_LABELS)
    assert (result.pace_counts()["behind"], result.pace_counts()["not_started"]) == (1, 1)
    assert result.warnings() == ["RW-001"]  # RW-002 has no quantity to project
    assert result.problem_summary == assess.ProblemSummary(
        year=2022, total=3, new=1, resolved=0, absorbed=1, open=1, absorption_rate=0.5, tasks_from_problems=1)
    assert result.survey is None


@pytest.mark.skipif(not (paths.DATA_DIR / "2023").is_dir(), reason="the example editions are not in data/")
def test_example_editions_show_every_status_pace_and_follow_up_and_a_pace_warning():
    from checkup.check.validate import check_data

    editions = check_data(paths.DATA_DIR).editions.values()
    results = [assess_edition(e) for e in editions]
    assert {a.status for r in results for a in r.indicators.values()} == set(STATUS_LABELS)
    assert {a.pace for r in results for a in r.tasks.values()} == set(PACE_LABELS)
    assert {a.state for r in results for a in r.problems.values()} == set(FOLLOW_UP_LABELS)
    assert any(r.warnings() for r in results)
    published = [r for r, e in zip(results, editions, strict=True) if e.status == "published"]
    latest = published[-1]  # a draft has no survey until the year's survey is done
    assert latest.survey is not None and 0 < latest.survey.overall.score < 100


# -- the methods page ----------------------------------------------------------------------------------
def test_methods_page_names_every_status_pace_and_follow_up_word():
    page = methods_markdown()
    for word in (*STATUS_LABELS.values(), *PACE_LABELS.values(), *FOLLOW_UP_LABELS.values()):
        assert word in page, word


def test_methods_page_states_every_threshold_the_rules_hold():
    page = methods_markdown()
    rules = DEFAULT_RULES
    for share in (rules.equals_tolerance, rules.about_tolerance, rules.stable_band, rules.pace_tolerance,
                  1 - rules.warning_tolerance, 1 + rules.pace_tolerance):
        assert f"{round(share * 100, 1):g}%" in page, share
    assert f"{rules.confidence_z} × 标准差" in page
    assert f"最大标准差 {rules.max_sd:g}" in page
    assert "全部题目得分的平均数" in page


def test_methods_page_follows_an_editions_own_thresholds():
    page = methods_markdown(Rules(stable_band=0.025, about_tolerance=0.08), 2024)
    assert "上年数值的 ±2.5%" in page and "目标值的 8%" in page
    assert "±1%" not in page
    assert "2024年度版本记录的评估规则" in page


def test_methods_page_is_one_markdown_document_with_a_title():
    page = methods_markdown()
    assert page.startswith("# 方法说明\n") and page.endswith("\n")
    assert page.count("\n# ") == 0 and page.count("\n## ") == 4


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_task_that_has_started_is_warned_exactly_when_it_is_behind(year):
    for done in range(0, 101):
        result = assess_task(task(100, (2021, "in_progress", done / 2), (2022, "in_progress", done / 2)), year)
        if result.pace not in ("done", "not_started"):
            assert result.warning == (result.pace == "behind"), (year, done)


@pytest.mark.parametrize(("official", "note"), [
    (None, None),
    (58.3, "调查报告公布的总体得分为 58.3 分，与本站的 58.3 分一致（本站计算值为 58.33，相差 0.03 分，只是四舍五入的差别）。"),
    (62.5, "调查报告公布的总体得分为 62.5 分，比本站的 58.3 分高 4.2 分：调查报告的总体得分是各维度得分的平均数"
           "（每个维度权重相同）（按这一口径本站算得 62.5 分），本站的总体得分是全部题目得分的平均数（每题权重相同）。"),
    (70.0, "调查报告公布的总体得分为 70 分，比本站的 58.3 分高 11.7 分。按全部题目得分的平均数（每题权重相同）和"
           "各维度得分的平均数（每个维度权重相同）都得不到这一数值，调查报告没有说明其算法，差异原因须由调查实施单位说明。"),
])
def test_survey_says_by_how_much_and_why_its_headline_differs_from_the_official_figure(official, note):
    one = dimension(Question(id="a", text="甲", distribution=(0, 0, 0, 100, 0)), did="one")
    two = dimension(Question(id="b", text="乙", distribution=(0, 10, 0, 0, 0)),
                    Question(id="c", text="丙", distribution=(0, 0, 0, 10, 0)), did="two")
    assert assess_survey(survey(one, two, overall=official)).official_note() == note


# -- how figures are written (assess/numbers.py) ---------------------------------------
@pytest.mark.parametrize(("base", "values", "targets", "decimals", "places"), [
    (421.6, {2023: 430.9}, (target(about=440),), None, 1),  # 常住人口 recorded to 1 decimal
    (85, {2023: 90}, (target(at_least=95),), None, 0),
    (1.25, {2023: 1.3}, (target(at_most=1.2),), None, 2),  # the base decides
    (10, {2023: 11}, (target(between=(12.345, 13)),), None, 3),  # a target decides
    (421.6, {2023: 430.9}, (target(about=440),), 0, 0),  # the indicator's own `decimals` wins
    (421.6, {2023: 430.9}, (target(about=440),), 3, 3),
])
def test_an_indicator_shows_derived_figures_with_the_decimals_of_its_values(base, values, targets, decimals,
                                                                           places) -> None:
    ind = replace(indicator(base, values, *targets), decimals=decimals)
    assert numbers.indicator_decimals(ind) == places


def test_a_straight_path_value_is_written_at_the_indicator_precision() -> None:
    a = assess_indicator(indicator(10.1, {2022: 11.2, 2023: 11.5}, target(at_least=13.4)), YEAR)
    assert a.expected == pytest.approx(12.08)
    assert a.reason.endswith("但未达到按直线进度2023年应有的12.1%。")  # not 12.08%: the values have 1 decimal
    assert a.status == "lagging"


@pytest.mark.parametrize(("value", "unit", "decimals", "wan", "written"), [
    (168000, "平方米", 0, None, "16.8万平方米"),  # from 10,000 up a count or area is written in 万
    (200000, "平方米", 0, None, "20万平方米"),
    (10000, "户", 0, None, "1万户"),
    (9999, "户", 0, None, "9999户"),
    (12000, "人", None, None, "1.2万人"),
    (32000, "平方米", 0, True, "3.2万平方米"),
    (8000, "平方米", 0, True, "0.8万平方米"),  # a task titled in 万 keeps 万 for every figure
    (12000, "万人次", 0, None, "12000万人次"),  # already in 万
    (15000, "人/平方公里", 0, None, "15000人/平方公里"),  # a ratio is not a count
    (12000, "%", 0, None, "12000%"),
    (432.64, "万人", 1, None, "432.6万人"),
    (432.6, "万人", 2, None, "432.6万人"),  # trailing zeros dropped
    (0.125, "", None, None, "0.125"),  # unknown precision: three significant digits for small figures
    (-0.04, "万人", 1, None, "0万人"),
])
def test_a_quantity_is_written_by_one_rule(value, unit, decimals, wan, written) -> None:
    assert numbers.q(value, unit, decimals, wan=wan) == written


@pytest.mark.parametrize(("quantity", "done", "written"), [
    (200000, (168000,), ("截至2023年累计完成16.8万平方米，占目标20万平方米的84%", "尚余3.2万平方米")),
    (5000, (4000,), ("截至2023年累计完成4000平方米，占目标5000平方米的80%", "尚余1000平方米")),
    (200000, (192000,), ("累计完成19.2万平方米", "尚余0.8万平方米")),  # below 10,000 but in the target's wording
])
def test_a_task_reason_writes_its_quantities_in_the_wording_of_its_target(quantity, done, written) -> None:
    t = replace(task(quantity, *((2023, "in_progress", d) for d in done), start=2023, end=2023),
                target_unit="平方米", title="危旧楼房改建腾退20万平方米")
    reason = assess_task(t, YEAR).reason
    assert all(part in reason for part in written), reason


@pytest.mark.parametrize(("quantity", "unit", "done", "projected"), [
    (200000, "平方米", (62341,), "约18.7万平方米"),  # an estimate in 万: one decimal, marked 约
    (200000, "平方米", (60000,), "18万平方米"),  # exact after scaling: no 约
    (100, "栋", (12,), "36栋"),  # the standard's own example: 12 of 100 in year one of three
    (100, "栋", (10, 11), "约32栋"),  # 31.5 at the task's whole units
])
def test_a_warning_writes_its_projection_as_an_estimate_in_the_targets_wording(quantity, unit, done,
                                                                                projected) -> None:
    entries = [(2021 + i, "in_progress", d) for i, d in enumerate(done)]
    t = replace(task(quantity, *entries, start=2021, end=2023), target_unit=unit, title=f"三年完成{quantity}{unit}")
    reason = assess_task(t, entries[-1][0]).reason
    assert f"预计完成{projected}，难以完成目标，预警" in reason, reason


def test_a_task_reason_keeps_the_clerks_summary_as_typed() -> None:
    t = replace(task(200000, start=2023, end=2023), target_unit="平方米",
                progress=(Progress(year=2023, status="in_progress", done=168000,
                                   summary="完成改建、腾退168000平方米，未完成年度目标。"),))
    assert "2023年进展：完成改建、腾退168000平方米，未完成年度目标。" in assess_task(t, YEAR).reason


@pytest.mark.parametrize(("tgt", "unit", "written"), [
    (Target(year=2025, about=440, text="440万人左右"), "万人", "2025年：440万人左右"),
    (Target(year=2035, at_most=480, text="≤480"), "万人", "2035年：≤480万人"),
    (Target(year=2025, about=10.4), "平方米/人", "2025年：10.4平方米/人左右"),
    (Target(year=2025, between=(5, 8)), "%", "2025年：5–8%"),
    (Target(year=2025, at_least=85), "%", "2025年：≥85%"),
    (Target(year=2025, trend="increase"), "%", "2025年：增加"),
    (Target(year=2025, equals=1), "无", "2025年：1"),
])
def test_a_target_in_a_list_says_its_year_and_unit(tgt, unit, written) -> None:
    assert numbers.target_with_year(tgt, unit) == written
