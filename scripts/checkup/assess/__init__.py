"""Assess one edition: indicator statuses, task pace, problem follow-up and survey scores.

The rules (status words, their order, every threshold) live in `rules`; the
computation in `indicators`, `tasks`, `problems` and `survey`; `methods` writes
the published methods page (方法说明) from the rules, so the rules on the site
are the rules in the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Edition
from .indicators import IndicatorAssessment, assess_indicator
from .methods import methods_markdown
from .problems import ProblemAssessment, ProblemSummary, assess_problem, summarise_problems
from .rules import (
    ABOUT_TOLERANCE,
    EQUALS_TOLERANCE,
    FOLLOW_UP_LABELS,
    LIKERT_MAX,
    LIKERT_MIN,
    MAX_SD,
    PACE_LABELS,
    PACE_TOLERANCE,
    STABLE_BAND,
    STATUS_LABELS,
    WARNING_TOLERANCE,
    Z_95,
)
from .survey import CompositionRow, DimensionScore, Score, SurveyAssessment, assess_survey
from .tasks import TaskAssessment, assess_task

__all__ = [
    "ABOUT_TOLERANCE", "EQUALS_TOLERANCE", "FOLLOW_UP_LABELS", "LIKERT_MAX", "LIKERT_MIN", "MAX_SD",
    "PACE_LABELS", "PACE_TOLERANCE", "STABLE_BAND", "STATUS_LABELS", "WARNING_TOLERANCE", "Z_95",
    "CompositionRow", "DimensionScore", "EditionAssessment", "IndicatorAssessment", "ProblemAssessment",
    "ProblemSummary", "Score", "SurveyAssessment", "TaskAssessment", "assess_edition", "assess_indicator",
    "assess_problem", "assess_survey", "assess_task", "methods_markdown", "summarise_problems",
]


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

