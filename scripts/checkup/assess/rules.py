"""The assessment's rules: status words, their order and meaning, and every threshold with its reason.

The rules are data. `DEFAULT_RULES` are the shipped defaults; an edition records
the rules it was assessed with in its own `rules.yaml` (schemas/rules.schema.json),
which `checkup publish` writes and the manifest seals, so a new default here never
changes the verdicts of an edition already published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Edition

# -- status words ------------------------------------------------------------
# Indicator statuses, in the order a results table lists them: best first, missing data last.
# The words are those of published check-up tables (与上一年比较变化情况 column).
STATUS_LABELS: dict[str, str] = {"reached": "已达标", "on_track": "符合目标方向、完成较好",
                                  "lagging": "符合目标方向、进度滞后", "stable": "稳定",
                                  "away": "偏离目标方向", "no_data": "数据缺失"}
# The words of a five-year evaluation (五年一评估), as a published mid-term review sorts its
# indicators: reached before the target year, on course, target to be revised.
EVALUATION_LABELS: dict[str, str] = {"early": "提前完成", "on_plan": "按计划推进", "adjust": "需要调整"}
# Task pace against time-proportional progress (序时进度); suspended and not started come from
# the reported status, overdue from the period having ended short of the target.
PACE_LABELS: dict[str, str] = {"done": "已完成", "ahead": "超前", "on_pace": "符合序时进度", "behind": "滞后",
                                "overdue": "未按期完成", "suspended": "暂缓", "not_started": "未启动",
                                "no_target": "无量化目标"}
# What became of a problem from the problem list (问题清单) by the edition year.
FOLLOW_UP_LABELS: dict[str, str] = {"resolved": "已解决", "absorbed": "已转化吸纳、整改中", "open": "未转化、待整改",
                                     "new": "本年新发现"}
# The rule that decided an indicator's status, in the methods page's words (`checkup assess` names it).
RULE_LABELS: dict[str, str] = {
    "no_data": "体检年度没有数据", "reached": "在达标范围内",
    "trend_stable": "只有方向：与上年相比在稳定幅度内", "trend_away": "只有方向：较上年朝相反方向变化",
    "trend_reached": "只有方向：较上年继续朝目标方向变化，且已超出基期值的稳定幅度",
    "trend_towards": "只有方向：较上年朝目标方向变化，尚未超出基期值的稳定幅度",
    "stable_broken": "保持稳定：超出基期值的稳定幅度", "unchanged": "未达标：与上年相比在稳定幅度内",
    "away": "未达标：较上年离达标范围更远", "on_path": "未达标：较上年更近，不落后于直线进度",
    "behind_path": "未达标：较上年更近，落后于直线进度",
}
# How the survey's headline score is formed, as the methods page words it.
OVERALL_DEFINITIONS: dict[str, str] = {"questions": "全部题目得分的平均数（每题权重相同）",
                                       "dimensions": "各维度得分的平均数（每个维度权重相同）"}

# -- survey constants that are mathematics, not policy ---------------------------
LIKERT_MIN, LIKERT_MAX = 1, 5  # the five-point scale, 非常不满意 = 1 to 非常满意 = 5


@dataclass(frozen=True)
class Rules:
    """The thresholds and words an edition is assessed with."""

    # A plain planned value is exact only where the indicator must hold a value (保持在区间内):
    # there it is met within 0.5% of the target, because published figures are rounded and a
    # plan that says "100%" is met by a reported 99.6.
    equals_tolerance: float = 0.005
    # 左右 without a stated tolerance allows 5% either side: plans use 左右 for figures they
    # only mean to the first significant digit or so. A stated tolerance always wins.
    about_tolerance: float = 0.05
    # A change within 1% of the previous year's value counts as no change (稳定): statistical
    # revisions and rounding move yearly figures by about that much. 增加/减少 targets need a
    # change beyond it; a 保持稳定 target that holds inside it (against the base) is reached.
    stable_band: float = 0.01
    # Cumulative completion within 5% (relative) of the time-proportional share is on pace:
    # quantities are reported yearly, so a few weeks' slip should not read as 滞后.
    pace_tolerance: float = 0.05
    # The pace warning (预警) uses the same 5% on the projection, so 滞后 and 预警 agree
    # whenever a task has started, is neither done nor suspended and its period is not over.
    warning_tolerance: float = 0.05
    # The normal quantile of a two-sided 95% confidence interval.
    confidence_z: float = 1.96
    # Without a reported standard deviation assume the largest a 1-5 answer can have (half the
    # answers at 1, half at 5), so the interval is never narrower than the data allow.
    max_sd: float = 2.0
    # The headline survey score is the mean of all questions: it is how survey reports state
    # their overall score, and the example city's official report gives exactly that figure.
    survey_overall: str = "questions"
    status_labels: Mapping[str, str] = field(default_factory=lambda: dict(STATUS_LABELS))
    evaluation_labels: Mapping[str, str] = field(default_factory=lambda: dict(EVALUATION_LABELS))
    pace_labels: Mapping[str, str] = field(default_factory=lambda: dict(PACE_LABELS))
    follow_up_labels: Mapping[str, str] = field(default_factory=lambda: dict(FOLLOW_UP_LABELS))


DEFAULT_RULES = Rules()

# The keys of rules.yaml, grouped as a clerk reads them, and the Rules field behind each.
_LAYOUT: dict[str, dict[str, str]] = {
    "indicators": {"equals_tolerance": "equals_tolerance", "about_tolerance": "about_tolerance",
                   "stable_band": "stable_band"},
    "tasks": {"pace_tolerance": "pace_tolerance", "warning_tolerance": "warning_tolerance"},
    "survey": {"confidence_z": "confidence_z", "max_sd": "max_sd", "overall": "survey_overall"},
    "words": {"indicator": "status_labels", "evaluation": "evaluation_labels", "task": "pace_labels",
              "problem": "follow_up_labels"},
}


def rules_from_document(doc: Mapping[str, Any]) -> Rules:
    """Build Rules from a validated rules.yaml document (the schema requires every key)."""
    values: dict[str, Any] = {attr: dict(doc[group][key]) if group == "words" else doc[group][key]
                              for group, keys in _LAYOUT.items() for key, attr in keys.items()}
    return replace(DEFAULT_RULES, **values)


def rules_document(rules: Rules) -> dict[str, Any]:
    """Write Rules as the document of a rules.yaml file."""
    return {group: {key: (dict(getattr(rules, attr)) if group == "words" else getattr(rules, attr))
                    for key, attr in keys.items()} for group, keys in _LAYOUT.items()}


def rules_for(edition: Edition) -> Rules:
    """Return the rules an edition records, or the shipped defaults for a draft without them."""
    return rules_from_document(edition.rules) if edition.rules is not None else DEFAULT_RULES


def rule_changes(old: Rules, new: Rules) -> list[tuple[str, Any, Any]]:
    """List the rules.yaml keys whose values differ, as (group.key, old, new)."""
    before, after = rules_document(old), rules_document(new)
    changes: list[tuple[str, Any, Any]] = []
    for group, keys in _LAYOUT.items():
        for key in keys:
            a, b = before[group][key], after[group][key]
            if isinstance(a, dict):
                changes.extend((f"{group}.{key}.{code}", a.get(code), b.get(code))
                               for code in dict.fromkeys([*a, *b]) if a.get(code) != b.get(code))
            elif a != b:
                changes.append((f"{group}.{key}", a, b))
    return changes


def rules_yaml(rules: Rules, city: str | None = None) -> str:
    """Write Rules as the text of a rules.yaml file, with a heading comment."""
    import yaml  # only publishing writes rules; the assessment itself never needs the dumper

    heading = f"# {city}评估规则" if city else "# 评估规则"
    body = yaml.safe_dump(rules_document(rules), allow_unicode=True, sort_keys=False, width=200)
    return f"{heading}：本版本评估所用的阈值和状态用语，发布时由发布清单封存。\n{body}"
