"""Check in-year reports (季度进展、半年总结, monthly values) against their period and the yearly figure.

Each check yields (code, path, fields); validate.py places them in the file.
Yearly entries keep their own checks there; only what a period adds is here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..periods import FREQUENCY_LABELS, Period, parse_period

# Departments report task progress quarterly, half-yearly and yearly (季度进展、半年总结、年度总结):
# a month is finer than any task report, so a monthly entry is a typo for a quarter.
TASK_FREQUENCY = "quarterly"
# How each frequency's period is written, for the hint of a period that is too fine.
EXAMPLES = {"yearly": "写在全年数值 values 中", "half-yearly": "2024-H1", "quarterly": "2024-Q2",
            "monthly": "2024-06"}
# Quantities are counts and areas written with a few decimals; a sum may differ from the
# stated figure by float rounding, never by more than this.
EPSILON = 1e-9

Check = tuple[str, tuple[str | int, ...], dict[str, Any]]


def check_in_year_values(values: dict[str, float], frequency: str, edition_year: int | None,
                         percent: bool) -> Iterator[Check]:
    """Check an indicator's in-year values: frequency, edition year and the percent range."""
    for key, value in values.items():
        period = parse_period(key)  # the schema has checked the notation
        path: tuple[str | int, ...] = ("in_year", key)
        if period.finer_than(frequency):
            yield "period-too-fine", path, {"period": key, "example": EXAMPLES[frequency]}
        if edition_year is not None and period.year > edition_year:
            yield "period-after-edition", path, {"period": key, "edition": edition_year}
        if percent and not 0 <= value <= 100:
            yield "percent-out-of-range", path, {"value": value}


def check_in_year_progress(task: dict[str, Any], edition_year: int | None) -> Iterator[Check]:
    """Check a task's in-year progress entries, and that they agree with its yearly ones."""
    yearly: dict[int, tuple[int, dict[str, Any]]] = {}
    entries: list[tuple[int, Period, dict[str, Any]]] = []
    for i, entry in enumerate(task["progress"]):
        if ("year" in entry) == ("period" in entry):
            present = "year 和 period" if "year" in entry else "两者都没写"
            yield "progress-when", ("progress", i), {"present": present}
        elif "year" in entry:
            yearly.setdefault(entry["year"], (i, entry))
        else:
            entries.append((i, parse_period(entry["period"]), entry))
    if not entries:
        return
    found = list(_check_periods(task, entries, edition_year))
    yield from found
    # Sums over periods that overlap, or beside an entry that is neither yearly nor in-year, mislead.
    if not any(code in ("period-overlap", "progress-when") for code, _, _ in found) and all(
            ("year" in e) != ("period" in e) for e in task["progress"]):
        yield from _check_quantities(entries, yearly)


def _check_periods(task: dict[str, Any], entries: list[tuple[int, Period, dict[str, Any]]],
                   edition_year: int | None) -> Iterator[Check]:
    start, end = task["period"]["start"], task["period"]["end"]
    for n, (i, period, entry) in enumerate(entries):
        path: tuple[str | int, ...] = ("progress", i, "period")
        if period.finer_than(TASK_FREQUENCY):
            yield "period-too-fine", path, {"period": period, "what": "任务进展",
                                            "frequency": FREQUENCY_LABELS[TASK_FREQUENCY],
                                            "example": EXAMPLES[TASK_FREQUENCY]}
        if edition_year is not None and period.year > edition_year:
            yield "period-after-edition", path, {"period": period, "edition": edition_year}
        if start <= end and not start <= period.year <= end:  # a reversed period is reported once
            yield "period-outside-task", path, {"period": period, "start": start, "end": end}
        if "target" in task and "done" not in entry and "cumulative" not in entry:
            yield "in-year-quantity-missing", ("progress", i), {"period": period.label()}
        if n and period < entries[n - 1][1]:
            yield "period-order", path, {"period": period, "previous": entries[n - 1][1]}
        other = next((p for _, p, _ in entries[:n] if p.overlaps(period)), None)
        if other is not None:
            yield "period-overlap", path, {"period": period, "other": other}


def _check_quantities(entries: list[tuple[int, Period, dict[str, Any]]],
                      yearly: dict[int, tuple[int, dict[str, Any]]]) -> Iterator[Check]:
    done_by_year = {year: entry["done"] for year, (_, entry) in yearly.items() if "done" in entry}

    def before(year: int) -> float:
        return sum((v for y, v in done_by_year.items() if y < year), 0.0)

    last: tuple[str, float] | None = None
    running = 0.0
    year: int | None = None
    latest: dict[int, tuple[Period, float]] = {}  # year -> its last in-year cumulative
    summed: dict[int, float] = {}  # year -> the sum of its in-year `done`
    for i, period, entry in sorted(entries, key=lambda e: e[1].sort_key()):
        if period.year != year:
            year = period.year
            running = before(year)
            if year - 1 in done_by_year:
                last = (f"{year - 1}年", running)
        if "done" in entry:
            running += entry["done"]
            summed[year] = summed.get(year, 0.0) + entry["done"]
        cumulative = float(entry.get("cumulative", running))
        running = cumulative  # a later `done` adds onto the cumulative reported here
        if last is not None and cumulative < last[1] - EPSILON and "note" not in entry:
            field = "cumulative" if "cumulative" in entry else "done"
            yield "cumulative-fell", ("progress", i, field), {
                "period": period.label(), "value": _num(cumulative), "previous": last[0], "before": _num(last[1])}
        last = (period.label(), cumulative)
        latest[year] = (period, cumulative)
    for year, (i, entry) in sorted(yearly.items()):
        if "done" not in entry:
            continue
        if summed.get(year, 0.0) > entry["done"] + EPSILON:
            yield "in-year-above-year", ("progress", i, "done"), {
                "year": year, "total": _num(summed[year]), "done": _num(entry["done"])}
        if year in latest and before(year) + entry["done"] < latest[year][1] - EPSILON:
            period, cumulative = latest[year]
            yield "year-below-in-year", ("progress", i, "done"), {
                "year": year, "total": _num(before(year) + entry["done"]), "period": period.label(),
                "cumulative": _num(cumulative)}


def _num(value: float) -> str:
    return f"{value:g}"
