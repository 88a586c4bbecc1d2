"""The period notation: parsing, order, containment, labels and the straight path's clock."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkup.periods import Period, PeriodError, elapsed_share, parse_period

periods = st.builds(
    lambda year, kind, i: Period(year, kind, (i % {"year": 1, "half": 2, "quarter": 4, "month": 12}[kind]) + 1),
    st.integers(1949, 2100), st.sampled_from(["year", "half", "quarter", "month"]), st.integers(0, 11))


@given(periods)
def test_every_period_reads_back_from_its_notation(period: Period) -> None:
    assert parse_period(str(period)) == period


@pytest.mark.parametrize(("text", "label", "as_of", "start", "end"), [
    ("2024", "2024年", "截至2024年12月", "2024-01-01", "2024-12-31"),
    (2024, "2024年", "截至2024年12月", "2024-01-01", "2024-12-31"),
    ("2024-H1", "2024年上半年", "截至2024年6月", "2024-01-01", "2024-06-30"),
    ("2024-H2", "2024年下半年", "截至2024年12月", "2024-07-01", "2024-12-31"),
    ("2024-Q2", "2024年第二季度", "截至2024年6月", "2024-04-01", "2024-06-30"),
    ("2024-Q4", "2024年第四季度", "截至2024年12月", "2024-10-01", "2024-12-31"),
    ("2024-02", "2024年2月", "截至2024年2月", "2024-02-01", "2024-02-29"),
    ("2023-02", "2023年2月", "截至2023年2月", "2023-02-01", "2023-02-28"),
])
def test_a_period_has_its_chinese_label_and_its_first_and_last_day(
        text: str | int, label: str, as_of: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.label(), period.as_of(), str(period.start), str(period.end)) == (label, as_of, start, end)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-H3", "2024-13", "2024-00", "2024-6", "24-Q1", "2024Q1",
                                  "2024-q1", "2024-S1", ""])
def test_text_outside_the_notation_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(("earlier", "later"), [
    ("2024-Q1", "2024-Q2"), ("2024-03", "2024-Q2"), ("2024-Q2", "2024-H1"), ("2024-06", "2024-Q2"),
    ("2024-H1", "2024-07"), ("2024-Q4", "2024"), ("2024", "2025-01"), ("2023-12", "2024-Q1"),
])
def test_periods_are_ordered_by_their_last_day_and_the_shorter_first(earlier: str, later: str) -> None:
    assert parse_period(earlier) < parse_period(later)
    assert sorted([parse_period(later), parse_period(earlier)]) == [parse_period(earlier), parse_period(later)]


@pytest.mark.parametrize(("outer", "inner", "contains"), [
    ("2024", "2024-Q3", True), ("2024-H1", "2024-Q2", True), ("2024-H1", "2024-Q3", False),
    ("2024-Q2", "2024-05", True), ("2024-Q2", "2024-07", False), ("2024-H2", "2024-12", True),
    ("2024", "2025-Q1", False), ("2024-Q1", "2024-H1", False), ("2024-Q1", "2024-Q1", True),
])
def test_a_quarter_lies_within_its_half_and_its_year(outer: str, inner: str, contains: bool) -> None:
    assert parse_period(outer).contains(parse_period(inner)) is contains


@pytest.mark.parametrize(("text", "frequency", "too_fine"), [
    ("2024-06", "monthly", False), ("2024-06", "quarterly", True), ("2024-Q2", "quarterly", False),
    ("2024-Q2", "half-yearly", True), ("2024-H1", "half-yearly", False), ("2024-H1", "yearly", True),
    ("2024", "yearly", False), ("2024", "monthly", False),
])
def test_a_period_finer_than_the_reporting_frequency_is_told(text: str, frequency: str, too_fine: bool) -> None:
    assert parse_period(text).finer_than(frequency) is too_fine


@pytest.mark.parametrize(("start", "end", "at", "share"), [
    (2024, 2024, "2024-12-31", 1.0), (2024, 2024, "2023-12-31", 0.0), (2023, 2025, "2025-12-31", 1.0),
    (2024, 2024, "2024-06-30", 182 / 366), (2023, 2024, "2023-12-31", 365 / 731), (2024, 2024, "2026-01-01", 1.0),
])
def test_the_straight_path_counts_the_days_elapsed_of_the_task_period(
        start: int, end: int, at: str, share: float) -> None:
    assert elapsed_share(start, end, datetime.date.fromisoformat(at)) == pytest.approx(share)
