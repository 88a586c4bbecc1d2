"""Pace during the year: tasks and indicators at their latest reported period, and the warnings on the way."""

from __future__ import annotations

from typing import Any

import pytest

from checkup.assess.inyear import assess_indicator_in_year, assess_task_in_year
from checkup.check.inyear import check_in_year_progress
from checkup.model import Indicator, PeriodProgress, Progress, Target, Task
from checkup.periods import parse_period


def task(*reports: tuple[str, float | None, float | None], start: int = 2024, end: int = 2024,
         quantity: float | None = 100, yearly: tuple[tuple[int, float], ...] = (),
         status: str = "in_progress") -> Task:
    return Task(id="RW-01", number=1, section="改善居住条件", title="推进老旧小区综合整治", lead="ZJW",
                period_start=start, period_end=end,
                progress=tuple(Progress(year=y, status="in_progress", done=d) for y, d in yearly), file="",
                target_quantity=quantity, target_unit="个" if quantity else None,
                in_year=tuple(PeriodProgress(parse_period(p), status, done=d, cumulative=c)
                              for p, d, c in reports))


@pytest.mark.parametrize(("reports", "start", "end", "yearly", "pace", "warning", "share"), [
    # one-year task of 100: a quarter has elapsed at the end of Q1 (91 of 366 days)
    ([("2024-Q1", 25, None)], 2024, 2024, (), "on_pace", False, 0.25),
    ([("2024-Q1", 10, None)], 2024, 2024, (), "behind", True, 0.10),
    ([("2024-Q1", 40, None)], 2024, 2024, (), "ahead", False, 0.40),
    ([("2024-Q1", 10, None), ("2024-Q2", 40, None)], 2024, 2024, (), "on_pace", False, 0.50),
    ([("2024-Q1", None, 10), ("2024-Q2", None, 50)], 2024, 2024, (), "on_pace", False, 0.50),
    ([("2024-H1", 30, None)], 2024, 2024, (), "behind", True, 0.30),
    ([("2024-Q1", None, 100)], 2024, 2024, (), "done", False, 1.0),
    # three-year task: the years before count towards the cumulative, the days since 2023-01-01 towards the path
    ([("2024-Q2", 10, None)], 2023, 2025, ((2023, 40),), "on_pace", False, 0.50),
    ([("2024-Q2", 0, None)], 2023, 2025, ((2023, 20),), "behind", True, 0.20),
])
def test_a_task_is_paced_at_its_latest_period_against_the_straight_path_at_that_date(
        reports: list[tuple[str, float | None, float | None]], start: int, end: int,
        yearly: tuple[tuple[int, float], ...], pace: str, warning: bool, share: float) -> None:
    result = assess_task_in_year(task(*reports, start=start, end=end, yearly=yearly), 2024)
    assert result is not None
    assert (result.latest.pace, result.latest.warning, result.latest.done_share) == (
        pace, warning, pytest.approx(share))
    assert result.latest.period == parse_period(reports[-1][0])


def test_a_warning_raised_in_the_first_quarter_stays_in_the_history_after_the_second_resolves_it() -> None:
    result = assess_task_in_year(task(("2024-Q1", 10, None), ("2024-Q2", 40, None)), 2024)
    assert result is not None
    assert [(str(p.period), p.pace, p.warning) for p in result.path] == [
        ("2024-Q1", "behind", True), ("2024-Q2", "on_pace", False)]
    assert [str(p.period) for p in result.earlier_warnings] == ["2024-Q1"]


def test_the_warning_says_which_period_it_is_based_on() -> None:
    result = assess_task_in_year(task(("2024-Q1", 10, None)), 2024)
    assert result is not None
    assert result.latest.reason == (
        "截至2024年3月累计完成10个，占目标100个的10%，序时进度为24.9%；"
        "按2024年第一季度的速度到2024年末预计完成约40个，难以完成目标，预警。")


def test_a_task_without_in_year_reports_of_the_year_has_no_in_year_pace() -> None:
    assert assess_task_in_year(task(("2023-Q4", 10, None), start=2023), 2024) is None


def indicator(in_year: dict[str, float], target: Target, base: float = 90.0) -> Indicator:
    return Indicator(id="GX-12", name="12345热线诉求解决率", category="共享", subcategory="公共服务", unit="%",
                     definition="", direction="higher_is_better", kind="expected", base_year=2020,
                     base_value=base, values={}, targets=(target,), data_source="", collection_method="",
                     department="ZWJ", file="", frequency="monthly",
                     in_year={parse_period(k): v for k, v in in_year.items()})


@pytest.mark.parametrize(("values", "status", "expected"), [
    # base 90 at the end of 2020, target ≥95 at the end of 2025: at 2024-06-30, 3.5 of 5 years are gone
    ({"2024-05": 93.0, "2024-06": 93.6}, "on_track", 93.5),
    ({"2024-06": 92.0}, "lagging", 93.5),
    ({"2024-06": 95.2}, "reached", 93.5),
    ({"2024-06": 89.0}, "away", 93.5),
])
def test_an_indicator_is_assessed_at_its_latest_month_against_the_straight_path_at_that_date(
        values: dict[str, float], status: str, expected: float) -> None:
    result = assess_indicator_in_year(indicator(values, Target(year=2025, at_least=95)), 2024)
    assert result is not None
    assert (str(result.period), result.status, result.expected) == ("2024-06", status, pytest.approx(expected, abs=0.01))


def raw_task(*progress: dict[str, Any]) -> dict[str, Any]:
    return {"period": {"start": 2023, "end": 2024}, "target": {"quantity": 100, "unit": "个"},
            "progress": list(progress)}


@pytest.mark.parametrize(("progress", "codes"), [
    ([{"year": 2023, "done": 40}, {"period": "2024-Q1", "done": 10}, {"period": "2024-Q2", "cumulative": 70}], []),
    ([{"period": "2024-Q1", "done": 10}, {"period": "2024-H1", "done": 10}], ["period-overlap"]),
    ([{"period": "2024-Q1", "done": 10}, {"period": "2024-Q1", "done": 10}], ["period-overlap"]),
    ([{"period": "2024-Q2", "done": 10}, {"period": "2024-Q1", "done": 10}], ["period-order"]),
    ([{"period": "2024-04", "done": 10}], ["period-too-fine"]),
    ([{"period": "2025-Q1", "done": 10}], ["period-after-edition", "period-outside-task"]),
    ([{"period": "2024-Q1"}], ["in-year-quantity-missing"]),
    ([{"year": 2023, "done": 40}, {"period": "2024-Q1", "cumulative": 30}], ["cumulative-fell"]),
    ([{"year": 2023, "done": 40}, {"period": "2024-Q1", "cumulative": 30, "note": "口径调整"}], []),
    ([{"period": "2024-Q1", "cumulative": 30}, {"period": "2024-Q2", "cumulative": 20}], ["cumulative-fell"]),
    ([{"year": 2024, "done": 15}, {"period": "2024-Q1", "done": 10}, {"period": "2024-Q2", "done": 10}],
     ["in-year-above-year", "year-below-in-year"]),
    ([{"year": 2024, "done": 20}, {"period": "2024-Q1", "done": 10}, {"period": "2024-Q2", "done": 10}], []),
    ([{"year": 2023, "done": 40}, {"year": 2024, "done": 10}, {"period": "2024-Q2", "cumulative": 60}],
     ["year-below-in-year"]),
    ([{"year": 2024, "period": "2024-Q1", "done": 10}], ["progress-when"]),
])
def test_in_year_progress_is_checked_against_its_period_and_the_yearly_figure(
        progress: list[dict[str, Any]], codes: list[str]) -> None:
    entries = [{"status": "in_progress", **p} for p in progress]
    assert sorted(code for code, _, _ in check_in_year_progress(raw_task(*entries), 2024)) == codes
