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
from .indicators import IndicatorAssessment, assess_indicator, evaluate_indicator, target_condition
from .methods import methods_markdown
from .problems import ProblemAssessment, ProblemSummary, assess_problem, summarise_problems
from .rules import (
    DEFAULT_RULES,
    EVALUATION_LABELS,
    FOLLOW_UP_LABELS,
    PACE_LABELS,
    STATUS_LABELS,
    Rules,
    rule_changes,
    rules_document,
    rules_for,
    rules_from_document,
)
from .survey import CompositionRow, DimensionScore, Score, SurveyAssessment, assess_survey
from .tasks import TaskAssessment, assess_task

__all__ = [
    "DEFAULT_RULES", "EVALUATION_LABELS", "FOLLOW_UP_LABELS", "PACE_LABELS", "STATUS_LABELS",
    "CompositionRow", "DimensionScore", "EditionAssessment", "IndicatorAssessment", "ProblemAssessment",
    "ProblemSummary", "Rules", "Score", "SurveyAssessment", "TaskAssessment", "assess_edition",
    "assess_indicator", "assess_problem", "assess_survey", "assess_task", "evaluate_indicator",
    "methods_markdown", "rule_changes", "rules_document", "rules_for", "rules_from_document",
    "summarise_problems", "target_condition",
]


@dataclass(frozen=True)
class EditionAssessment:
    year: int
    indicators: dict[str, IndicatorAssessment]
    tasks: dict[str, TaskAssessment]
    problems: dict[str, ProblemAssessment]
    problem_summary: ProblemSummary
    survey: SurveyAssessment | None
    rules: Rules = DEFAULT_RULES  # the rules the edition was assessed with

    def status_counts(self) -> dict[str, int]:
        """Count the indicators of each status, every status listed."""
        return _counts(STATUS_LABELS, (a.status for a in self.indicators.values()))

    def pace_counts(self) -> dict[str, int]:
        """Count the tasks of each pace, every pace listed."""
        return _counts(PACE_LABELS, (a.pace for a in self.tasks.values()))

    def warnings(self) -> list[str]:
        """List the ids of the tasks with a pace warning."""
        return [a.task_id for a in self.tasks.values() if a.warning]

    def overdue(self) -> list[str]:
        """List the ids of the tasks whose period ended short of their target."""
        return [a.task_id for a in self.tasks.values() if a.pace == "overdue"]



def assess_edition(edition: Edition, rules: Rules | None = None) -> EditionAssessment:
    """Assess every indicator, task and problem of an edition, and its survey, by the rules it records."""
    rules = rules or rules_for(edition)
    year = edition.year
    problems = {pid: assess_problem(p, year, rules.follow_up_labels) for pid, p in edition.problems.items()}
    return EditionAssessment(
        year,
        {iid: assess_indicator(i, year, rules) for iid, i in edition.indicators.items()},
        {tid: assess_task(t, year, rules) for tid, t in edition.tasks.items()},
        problems, summarise_problems(edition, problems),
        assess_survey(edition.survey, rules) if edition.survey else None,
        rules,
    )


def _counts(labels: dict[str, str], codes: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(labels, 0)
    for code in codes:
        counts[code] += 1
    return counts

