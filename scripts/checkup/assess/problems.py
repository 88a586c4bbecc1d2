"""Assess what became of each problem of the problem list (问题清单) by an edition year."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Edition, Problem
from .rules import FOLLOW_UP_LABELS


@dataclass(frozen=True)
class ProblemAssessment:
    problem_id: str
    year: int
    state: str
    absorbed_into: tuple[str, ...]  # every task named by a follow-up up to the year
    latest_verdict: str | None
    resolved_in: int | None
    word: str = ""  # the follow-up word of the edition's rules

    def label(self) -> str:
        return self.word or FOLLOW_UP_LABELS[self.state]


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



def assess_problem(problem: Problem, year: int, labels: Mapping[str, str] = FOLLOW_UP_LABELS) -> ProblemAssessment:
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
    return ProblemAssessment(problem.id, year, state, absorbed, verdict, resolved_in, labels[state])


def summarise_problems(edition: Edition, problems: dict[str, ProblemAssessment]) -> ProblemSummary:
    """Count the problem states of an edition and the share of earlier problems absorbed into tasks."""
    states = [a.state for a in problems.values()]
    earlier = [a for pid, a in problems.items() if edition.problems[pid].found_in < edition.year]
    rate = sum(1 for a in earlier if a.absorbed_into) / len(earlier) if earlier else None
    return ProblemSummary(edition.year, len(states), states.count("new"), states.count("resolved"),
                          states.count("absorbed"), states.count("open"), rate,
                          sum(1 for t in edition.tasks.values() if t.from_problems))

