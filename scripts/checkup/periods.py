"""Reporting periods: a year, a half-year, a quarter or a month, in one notation.

`2024`, `2024-H1`, `2024-Q2`, `2024-06`: the notation clerks write in the data and
in workbooks. A Period knows its first and last day, which periods it contains,
its order among others and its Chinese label for the site.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

# Months in one period of each kind, finest last. A frequency names the finest kind allowed.
MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
FREQUENCIES = {"yearly": "year", "half-yearly": "half", "quarterly": "quarter", "monthly": "month"}
FREQUENCY_LABELS = {"yearly": "每年", "half-yearly": "每半年", "quarterly": "每季度", "monthly": "每月"}
DEFAULT_FREQUENCY = "yearly"  # every indicator before in-year reporting was yearly, and stays so
# The same notation the schemas check (schemas/common.schema.json#/$defs/period).
PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")
QUARTER_WORDS = ("一", "二", "三", "四")
HALF_WORDS = ("上", "下")


class PeriodError(ValueError):
    """Text that is not a period in the canonical notation."""


@dataclass(frozen=True)
class Period:
    """One reporting period: `index` counts from 1 within the year (the 2nd quarter is 2)."""

    year: int
    kind: str = "year"
    index: int = 1

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        return self.index * self.months

    # The first and last day are asked for at every comparison: worked out once per period.
    @functools.cached_property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @functools.cached_property
    def end(self) -> datetime.date:
        month = self.last_month
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def in_year(self) -> bool:
        return self.kind != "year"

    def sort_key(self) -> tuple[datetime.date, int]:
        """Order by the last day, and of two ending together the shorter first (2024-Q2 before 2024-H1)."""
        return self.end, self.months

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def finer_than(self, frequency: str) -> bool:
        """Say whether this period is shorter than a reporting frequency allows."""
        return self.months < MONTHS[FREQUENCIES[frequency]]

    def __str__(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def label(self) -> str:
        """Name the period as a Chinese report does: 2024年第二季度, 2024年上半年, 2024年6月."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "half":
            return f"{self.year}年{HALF_WORDS[self.index - 1]}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{QUARTER_WORDS[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    def as_of(self) -> str:
        """Date a cumulative figure by the period's last month: 截至2024年6月."""
        return f"截至{self.year}年{self.last_month}月"


@functools.lru_cache(maxsize=4096)  # an edition writes the same few periods thousands of times
def parse_period(text: str | int) -> Period:
    """Read a period from its notation; a bare int is a year (YAML reads 2024 as a number)."""
    match = PATTERN.match(str(text))
    if not match:
        raise PeriodError(f"not a period: {text!r}")
    year = int(match["year"])
    for kind in ("half", "quarter", "month"):
        if match[kind]:
            return Period(year, kind, int(match[kind]))
    return Period(year)


def elapsed_share(start_year: int, end_year: int, at: datetime.date) -> float:
    """Return the share of a run of whole years elapsed by the end of a day (序时进度), within 0..1."""
    first = datetime.date(start_year, 1, 1)
    last = datetime.date(end_year, 12, 31)
    total = (last - first).days + 1
    return min(max((at - first).days + 1, 0), total) / total
