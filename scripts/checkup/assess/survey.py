"""Score a satisfaction survey on 0-100 with 95% intervals, and compare its sample with the population."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import SAMPLE_GROUP_LABELS, Question, Survey
from .rules import DEFAULT_RULES, LIKERT_MAX, LIKERT_MIN, OVERALL_DEFINITIONS, Rules

# Official survey scores are published to one decimal: a difference within half of that is rounding.
OFFICIAL_ROUNDING = 0.05 + 1e-9


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
    definition: str = "questions"  # how the headline score is formed (rules: survey.overall)
    other_definition: float | None = None  # the headline score under the other definition

    def official_gap(self) -> float | None:
        """Return the headline score minus the official figure, if one was published."""
        return None if self.published_overall is None else self.overall.score - self.published_overall

    def official_note(self) -> str | None:
        """Say how the headline score stands to the official figure: by how much it differs, and why."""
        official, gap = self.published_overall, self.official_gap()
        if official is None or gap is None:
            return None
        mine = self.overall.score
        head = f"调查报告公布的总体得分为 {official:g} 分"
        if abs(gap) <= OFFICIAL_ROUNDING:
            return (f"{head}，与本站的 {mine:.1f} 分一致（本站计算值为 {mine:.2f}，"
                    f"相差 {abs(gap):.2f} 分，只是四舍五入的差别）。")
        than = f"比本站的 {mine:.1f} 分{'低' if gap > 0 else '高'} {abs(gap):.1f} 分"
        other = OVERALL_DEFINITIONS[next(k for k in OVERALL_DEFINITIONS if k != self.definition)]
        if self.other_definition is not None and abs(self.other_definition - official) <= OFFICIAL_ROUNDING:
            return (f"{head}，{than}：调查报告的总体得分是{other}（按这一口径本站算得 "
                    f"{self.other_definition:.1f} 分），本站的总体得分是{OVERALL_DEFINITIONS[self.definition]}。")
        return (f"{head}，{than}。按{OVERALL_DEFINITIONS[self.definition]}和{other}都得不到这一数值，"
                "调查报告没有说明其算法，差异原因须由调查实施单位说明。")



def _to_score(mean: float) -> float:
    return min(max((mean - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN) * 100, 0.0), 100.0)


def _question_stats(question: Question, default_n: int, max_sd: float) -> tuple[float, float, int]:
    """Return the mean, standard deviation and number of answers of a question."""
    dist = question.distribution
    if dist is not None:
        n = sum(dist)
        if n == 0:
            raise ValueError(f"题目 {question.id} 没有人作答")
        mean = sum((LIKERT_MIN + i) * c for i, c in enumerate(dist)) / n
        var = sum(c * (LIKERT_MIN + i - mean) ** 2 for i, c in enumerate(dist)) / (n - 1) if n > 1 else max_sd ** 2
        return mean, math.sqrt(var), n
    if question.mean is None:
        raise ValueError(f"题目 {question.id} 既没有分档人数也没有平均分")  # the schema requires one
    return question.mean, max_sd if question.sd is None else question.sd, question.n or default_n


def _score(center: float, stats: list[tuple[float, float, int]], rules: Rules) -> Score:
    """Put a 95% interval around a 0-100 score from the pooled answers behind it."""
    total = sum(n for _, _, n in stats)
    pooled_mean = sum(m * n for m, _, n in stats) / total
    # Pooled variance keeps the spread between questions as well as within them.
    spread = sum((n - 1) * s ** 2 + n * (m - pooled_mean) ** 2 for m, s, n in stats)
    sd = math.sqrt(spread / (total - 1)) if total > 1 else rules.max_sd
    # One respondent answers every question, so answers are not independent: take the
    # smallest number of answers to one question, never their sum.
    n = min(n for _, _, n in stats)
    half = rules.confidence_z * sd / math.sqrt(n) / (LIKERT_MAX - LIKERT_MIN) * 100
    return Score(center, max(center - half, 0.0), min(center + half, 100.0), n)


def assess_survey(survey: Survey, rules: Rules = DEFAULT_RULES) -> SurveyAssessment:
    """Score every question, dimension and the whole survey on 0-100 with 95% intervals."""
    dimensions, everything, question_scores = [], [], []  # type: list[DimensionScore], list[tuple[float, float, int]], list[float]
    for dim in survey.dimensions:
        stats = [_question_stats(q, survey.valid_questionnaires, rules.max_sd) for q in dim.questions]
        questions = tuple((q.id, q.text, _score(_to_score(s[0]), [s], rules))
                          for q, s in zip(dim.questions, stats, strict=True))
        center = sum(score.score for _, _, score in questions) / len(questions)
        dimensions.append(DimensionScore(dim.id, dim.name, _score(center, stats, rules), questions))
        everything.extend(stats)
        question_scores.extend(score.score for _, _, score in questions)
    by = {"questions": sum(question_scores) / len(question_scores),
          "dimensions": sum(d.score.score for d in dimensions) / len(dimensions)}
    other = next(v for k, v in by.items() if k != rules.survey_overall)
    overall = _score(by[rules.survey_overall], everything, rules)
    return SurveyAssessment(survey.year, overall, survey.overall_score, tuple(dimensions),
                            _composition(survey), survey.valid_questionnaires, rules.survey_overall, other)


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

