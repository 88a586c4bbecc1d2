"""Rank the areas on every indicator with values by area: who leads, who is weakest, how far from the city.

The rank follows the indicator's direction: the largest value first when larger
is better, the smallest when smaller is better, and for a range the nearest to
it. The weakest area (薄弱地区) is the last in that order, flagged only where
the areas differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Indicator, Target

MIN_AREAS_TO_FLAG = 3  # with two areas "weakest" only means "the other one"
# A city value that is the sum of the areas' (a count, a population) is a total: an area is not
# "below the city" on it, so no gap is given. Sums are published rounded; allow half a percent.
TOTAL_TOLERANCE = 0.005


@dataclass(frozen=True)
class AreaStanding:
    """One area's place on one indicator in one year."""

    indicator: str
    area: str
    year: int
    value: float
    rank: int  # 1 is best; equal values share a rank
    ranked: int  # how many areas have a value that year
    city_value: float | None
    weakest: bool
    city_is_total: bool = False  # the city value is the sum of the areas': gaps mean nothing

    @property
    def gap_to_city(self) -> float | None:
        return None if self.city_value is None or self.city_is_total else self.value - self.city_value


def latest_area_year(ind: Indicator) -> int | None:
    """Return the latest year for which any area has a value."""
    years = [y for series in ind.by_area.values() for y in series]
    return max(years) if years else None


def _badness(ind: Indicator, target: Target | None, value: float) -> float:
    """Order values from best (lowest) to worst (highest) by the indicator's direction."""
    if ind.direction == "lower_is_better":
        return value
    if ind.direction == "within_range" and target is not None and target.between is not None:
        low, high = target.between
        return max(low - value, value - high, 0.0)
    return -value


def rank_areas(ind: Indicator, target: Target | None, year: int | None = None) -> list[AreaStanding]:
    """Rank the areas with a value in a year (the latest by default), best first."""
    year = year if year is not None else latest_area_year(ind)
    if year is None:
        return []
    values = {area: series[year] for area, series in ind.by_area.items() if year in series}
    order = sorted(values, key=lambda a: (_badness(ind, target, values[a]), a))
    scores = [_badness(ind, target, values[a]) for a in order]
    distinct = len(set(scores)) > 1
    worst = max(scores) if scores else None
    city = ind.values.get(year)
    total = sum(values.values())
    is_total = (city is not None and len(values) == len(ind.by_area) and len(values) > 1
                and abs(total - city) <= TOTAL_TOLERANCE * max(abs(city), 1e-9))
    out = []
    for area, score in zip(order, scores, strict=True):
        rank = 1 + sum(s < score for s in scores)
        out.append(AreaStanding(
            indicator=ind.id, area=area, year=year, value=values[area], rank=rank, ranked=len(order),
            city_value=city, city_is_total=is_total,
            weakest=distinct and len(order) >= MIN_AREAS_TO_FLAG and score == worst))
    return out


def gap_to_target(target: Target | None, value: float) -> float | None:
    """Return how far a value is from a numeric target: negative short of it, 0 inside a range."""
    if target is None:
        return None
    if target.between is not None:
        low, high = target.between
        return value - low if value < low else value - high if value > high else 0.0
    if target.at_most is not None:
        return target.at_most - value  # negative: above the ceiling
    for point in (target.at_least, target.equals, target.about):
        if point is not None:
            return value - point
    return None
