"""The assessment rules, one table row per rule and edge, and the methods page built from them."""

from __future__ import annotations

import pytest

from checkup import assess, paths
from checkup.assess import (
    ABOUT_TOLERANCE,
    EQUALS_TOLERANCE,
    FOLLOW_UP_LABELS,
    MAX_SD,
    PACE_LABELS,
    PACE_TOLERANCE,
    STABLE_BAND,
    STATUS_LABELS,
    WARNING_TOLERANCE,
    Z_95,
    assess_edition,
    assess_indicator,
    assess_problem,
    assess_survey,
    assess_task,
    methods_markdown,
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
@pytest.mark.parametrize(("tgt", "direction", "base", "value", "status"), [
    # at least (≥85): the path from 80 reaches 83 in 2023
    (target(at_least=85), "higher_is_better", 80, 86, "reached"),
    (target(at_least=85), "higher_is_better", 80, 85, "reached"),
    (target(at_least=85), "higher_is_better", 80, 84, "on_track"),
    (target(at_least=85), "higher_is_better", 80, 83, "on_track"),
    (target(at_least=85), "higher_is_better", 80, 82, "lagging"),
    (target(at_least=85), "higher_is_better", 80, 80.8, "stable"),
    (target(at_least=85), "higher_is_better", 80, 78, "away"),
    (target(at_least=85), "higher_is_better", 90, 84, "away"),
    # at most (≤10): the path from 20 reaches 14 in 2023
    (target(at_most=10), "lower_is_better", 20, 9, "reached"),
    (target(at_most=10), "lower_is_better", 20, 13, "on_track"),
    (target(at_most=10), "lower_is_better", 20, 16, "lagging"),
    (target(at_most=10), "lower_is_better", 20, 20.1, "stable"),
    (target(at_most=10), "lower_is_better", 20, 22, "away"),
    # equals (100): reached within the relative tolerance; the path from 50 reaches 80
    (target(equals=100), "higher_is_better", 50, 99.6, "reached"),
    (target(equals=100), "higher_is_better", 50, 99.4, "on_track"),
    (target(equals=100), "higher_is_better", 50, 70, "lagging"),
    (target(equals=100), "higher_is_better", 50, 40, "away"),
    (target(equals=0), "lower_is_better", 6, 0, "reached"),
    (target(equals=0), "lower_is_better", 6, 0.1, "on_track"),
    # between [1.5, 2.0]: the path runs to the nearer edge
    (target(between=(1.5, 2.0)), "within_range", 1.42, 1.53, "reached"),
    (target(between=(1.5, 2.0)), "within_range", 1.42, 1.48, "on_track"),
    (target(between=(1.5, 2.0)), "within_range", 1.42, 1.45, "lagging"),
    (target(between=(1.5, 2.0)), "within_range", 1.42, 1.0, "away"),
    (target(between=(1.5, 2.0)), "within_range", 2.5, 2.1, "on_track"),
    (target(between=(1.5, 2.0)), "within_range", 1.8, 2.3, "away"),
    # about (440左右): the default relative tolerance, or the stated absolute one
    (target(about=440), "higher_is_better", 400, 430, "reached"),
    (target(about=440), "higher_is_better", 300, 400, "on_track"),
    (target(about=440), "higher_is_better", 300, 350, "lagging"),
    (target(about=440, tolerance=2), "higher_is_better", 420, 441, "reached"),
    (target(about=440, tolerance=2), "higher_is_better", 420, 430, "lagging"),
    (target(about=440, tolerance=2), "higher_is_better", 420, 470, "away"),
    # trend only: reached beyond the stable band, no path
    (target(trend="increase"), "higher_is_better", 100, 102, "reached"),
    (target(trend="increase"), "higher_is_better", 100, 100.5, "stable"),
    (target(trend="increase"), "higher_is_better", 100, 98, "away"),
    (target(trend="decrease"), "lower_is_better", 100, 97, "reached"),
    (target(trend="decrease"), "lower_is_better", 100, 103, "away"),
    (target(trend="stable"), "within_range", 100, 100.9, "reached"),
    (target(trend="stable"), "within_range", 100, 101.5, "away"),
    (target(trend="stable"), "within_range", 100, 98.5, "away"),
    # base already equal to the target
    (target(equals=50), "higher_is_better", 50, 50, "reached"),
    (target(equals=50), "higher_is_better", 50, 50.2, "reached"),
    (target(equals=50), "higher_is_better", 50, 50.4, "stable"),
    (target(equals=50), "higher_is_better", 50, 52, "away"),
    # a zero base: no band, so any change is a change
    (target(at_least=18), "higher_is_better", 0, 0, "stable"),
    (target(at_least=18), "higher_is_better", 0, 1, "lagging"),
    (target(at_least=18), "higher_is_better", 0, 11, "on_track"),
    # no target: the indicator's direction alone
    (None, "higher_is_better", 10, 11, "on_track"),
    (None, "higher_is_better", 10, 9, "away"),
    (None, "lower_is_better", 10, 9, "on_track"),
    (None, "higher_is_better", 10, 10.05, "stable"),
    (None, "within_range", 10, 11, "away"),
])
def test_indicator_status_follows_the_published_rule(tgt, direction, base, value, status):
    targets = (tgt,) if tgt else ()
    result = assess_indicator(indicator(base, {2022: base, YEAR: value}, *targets, direction=direction), YEAR)
    assert result.status == status
    assert result.label() == STATUS_LABELS[status]


@pytest.mark.parametrize(("tgt", "base", "value", "expected", "progress"), [
    (target(at_least=85), 80, 84, 83, 0.8),
    (target(at_most=10), 20, 13, 14, 0.7),
    (target(equals=100), 50, 70, 80, 0.4),
    (target(about=440, tolerance=2), 420, 430, 432, 0.5),
    (target(between=(1.5, 2.0)), 1.42, 1.46, 1.468, 0.5),
    (target(between=(1.5, 2.0)), 2.5, 2.1, 2.2, 0.8),
    (target(at_least=85), 80, 78, 83, 0.0),
    (target(at_least=85), 90, 95, None, None),
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
    result = assess_indicator(indicator(80, {2022: 81.5, YEAR: 82}, target(at_least=85, text="≥85")), YEAR)
    assert result.previous_value == 81.5
    assert result.reason == ("2023年为82%，较2020年基期值80%增加2个百分点，较上年增加0.5个百分点，"
                             "朝2025年目标（≥85）变化，但未达到按直线进度2023年应有的83%。")


def test_indicator_reason_for_a_stable_value_names_the_band():
    result = assess_indicator(indicator(64.5, {YEAR: 64.5}, target(at_least=120), unit="公里"), YEAR)
    assert result.reason == ("2023年为64.5公里，较2020年基期值64.5公里持平，"
                             "变化不超过基期值的±1%，视为稳定，尚未达到2025年目标（≥120）。")


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
    (100, [(2021, "in_progress", 50), (2022, "in_progress", 40)], 2024, "behind", True),
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


def test_survey_overall_is_the_unweighted_mean_of_dimensions():
    one = dimension(Question(id="a", text="甲", distribution=(0, 0, 0, 100, 0)), did="one")
    two = dimension(Question(id="b", text="乙", distribution=(0, 10, 0, 0, 0)),
                    Question(id="c", text="丙", distribution=(0, 0, 0, 10, 0)), did="two")
    result = assess_survey(survey(one, two, overall=61.2))
    assert [d.score.score for d in result.dimensions] == [75, 50]
    assert (result.overall.score, result.overall.n, result.published_overall) == (62.5, 10, 61.2)


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
def test_example_2023_edition_shows_nearly_every_status_and_a_pace_warning():
    from checkup.check.validate import check_data

    result = assess_edition(check_data(paths.DATA_DIR).editions[2023])
    present = {a.status for a in result.indicators.values()}
    assert len(present) >= len(STATUS_LABELS) - 1
    assert result.warnings()
    assert result.survey is not None and 0 < result.survey.overall.score < 100


# -- the methods page ----------------------------------------------------------------------------------
def test_methods_page_names_every_status_pace_and_follow_up_word():
    page = methods_markdown()
    for word in (*STATUS_LABELS.values(), *PACE_LABELS.values(), *FOLLOW_UP_LABELS.values()):
        assert word in page, word


def test_methods_page_states_every_threshold_the_code_uses():
    page = methods_markdown()
    for share in (EQUALS_TOLERANCE, ABOUT_TOLERANCE, STABLE_BAND, PACE_TOLERANCE, 1 - WARNING_TOLERANCE,
                  1 + PACE_TOLERANCE):
        assert f"{round(share * 100, 1):g}%" in page, share
    assert f"{Z_95} × 标准差" in page
    assert f"最大标准差 {MAX_SD:g}" in page


def test_methods_page_follows_a_changed_threshold(monkeypatch):
    monkeypatch.setattr(assess.rules, "STABLE_BAND", 0.025)
    monkeypatch.setattr(assess.rules, "ABOUT_TOLERANCE", 0.08)
    page = methods_markdown()
    assert "基期值的 ±2.5%" in page and "目标值的 8%" in page
    assert "基期值的 ±1%" not in page


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
