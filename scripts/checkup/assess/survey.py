"""Score a satisfaction survey on 0-100 with 95% intervals, and compare its sample with the population."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import SAMPLE_GROUP_LABELS, Question, Survey
from .rules import LIKERT_MAX, LIKERT_MIN, MAX_SD, Z_95


@dataclass(frozen=True)
class Score:
    score: float  # 0-100
    low: float  # the 95% confidence interval
    high: float
    n: int  # the number of answers the interval rests on


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    score: Score
    questions: tuple[tuple[str, str, Score], ...]


@dataclass(frozen=True)
class CompositionRow:
    group_kind: str
    group: str
    count: int
    sample_share: float  # percent of the group kind's sample
    population_share: float | None  # percent
    gap: float | None  # sample share - population share, in points


@dataclass(frozen=True)
class SurveyAssessment:
    year: int
    overall: Score
    published_overall: float | None
    dimensions: tuple[DimensionScore, ...]
    composition: tuple[CompositionRow, ...]
    valid_questionnaires: int



def _to_score(mean: float) -> float:
    return min(max((mean - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN) * 100, 0.0), 100.0)


def _question_stats(question: Question, default_n: int) -> tuple[float, float, int]:
    """Return the mean, standard deviation and number of answers of a question."""
    dist = question.distribution
    if dist is not None:
        n = sum(dist)
        if n == 0:
            raise ValueError(f"题目 {question.id} 没有人作答")
        mean = sum((LIKERT_MIN + i) * c for i, c in enumerate(dist)) / n
        var = sum(c * (LIKERT_MIN + i - mean) ** 2 for i, c in enumerate(dist)) / (n - 1) if n > 1 else MAX_SD ** 2
        return mean, math.sqrt(var), n
    if question.mean is None:
        raise ValueError(f"题目 {question.id} 既没有分档人数也没有平均分")  # the schema requires one
    return question.mean, MAX_SD if question.sd is None else question.sd, question.n or default_n


def _score(center: float, stats: list[tuple[float, float, int]]) -> Score:
    """Put a 95% interval around a 0-100 score from the pooled answers behind it."""
    total = sum(n for _, _, n in stats)
    pooled_mean = sum(m * n for m, _, n in stats) / total
    # Pooled variance keeps the spread between questions as well as within them.
    spread = sum((n - 1) * s ** 2 + n * (m - pooled_mean) ** 2 for m, s, n in stats)
    sd = math.sqrt(spread / (total - 1)) if total > 1 else MAX_SD
    # One respondent answers every question, so answers are not independent: take the
    # smallest number of answers to one question, never their sum.
    n = min(n for _, _, n in stats)
    half = Z_95 * sd / math.sqrt(n) / (LIKERT_MAX - LIKERT_MIN) * 100
    return Score(center, max(center - half, 0.0), min(center + half, 100.0), n)


def assess_survey(survey: Survey) -> SurveyAssessment:
    """Score every question, dimension and the whole survey on 0-100 with 95% intervals."""
    dimensions, everything = [], []
    for dim in survey.dimensions:
        stats = [_question_stats(q, survey.valid_questionnaires) for q in dim.questions]
        questions = tuple((q.id, q.text, _score(_to_score(s[0]), [s]))
                          for q, s in zip(dim.questions, stats, strict=True))
        center = sum(score.score for _, _, score in questions) / len(questions)
        dimensions.append(DimensionScore(dim.id, dim.name, _score(center, stats), questions))
        everything.extend(stats)
    overall = _score(sum(d.score.score for d in dimensions) / len(dimensions), everything)
    return SurveyAssessment(survey.year, overall, survey.overall_score, tuple(dimensions),
                            _composition(survey), survey.valid_questionnaires)


def _composition(survey: Survey) -> tuple[CompositionRow, ...]:
    rows = []
    for kind in sorted(survey.sample, key=list(SAMPLE_GROUP_LABELS).index):  # the schema allows only these
        groups = survey.sample[kind]
        total = sum(g.count for g in groups)
        for g in groups:
            share = g.count / total * 100 if total else 0.0
            gap = share - g.population_share if g.population_share is not None else None
            rows.append(CompositionRow(kind, g.group, g.count, share, g.population_share, gap))
    return tuple(rows)

