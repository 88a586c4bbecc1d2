"""The assessment's rules: status words, their order and meaning, and every threshold with its reason."""

# -- status words ------------------------------------------------------------
# Indicator statuses, in the order a results table lists them: best first, missing data last.
STATUS_LABELS: dict[str, str] = {"reached": "已达标", "on_track": "符合目标方向、完成较好", "lagging": "符合目标方向、进度滞后",
                                  "stable": "稳定", "away": "偏离目标方向", "no_data": "数据缺失"}
# Task pace against time-proportional progress (序时进度); the last three come from the reported status.
PACE_LABELS: dict[str, str] = {"done": "已完成", "ahead": "超前", "on_pace": "符合序时进度", "behind": "滞后",
                                "not_started": "未启动", "suspended": "暂缓", "no_target": "无量化目标"}
# What became of a problem from the problem list (问题清单) by the edition year.
FOLLOW_UP_LABELS: dict[str, str] = {"resolved": "已解决", "absorbed": "已转化吸纳、整改中", "open": "未转化、待整改",
                                     "new": "本年新发现"}

# -- indicator thresholds ----------------------------------------------------
# An "equals" target is met within 0.5% of the target: published figures are rounded,
# and a plan that says "100%" is met by a reported 99.6.
EQUALS_TOLERANCE = 0.005
# "About" (左右) without a stated tolerance allows 5% either side: plans use 左右 for
# figures they only mean to the first significant digit or so.
ABOUT_TOLERANCE = 0.05
# A change within 1% of the base value counts as no change: statistical revisions and
# rounding move yearly figures by about that much. The same band decides the trend targets:
# "增加"/"减少" need a change beyond it, and a "保持稳定" target that holds inside it is
# reached (已达标), not merely 稳定.
STABLE_BAND = 0.01

# -- task thresholds -----------------------------------------------------------
# Cumulative completion within 5% (relative) of the time-proportional share is on pace:
# quantities are reported yearly, so a few weeks' slip should not read as 滞后.
PACE_TOLERANCE = 0.05
# The pace warning (预警) uses the same 5% on the projection, so 滞后 and 预警 agree
# whenever a task has started and is neither done nor suspended.
WARNING_TOLERANCE = PACE_TOLERANCE

# -- survey constants ----------------------------------------------------------
LIKERT_MIN, LIKERT_MAX = 1, 5  # the five-point scale, 非常不满意 = 1 to 非常满意 = 5
Z_95 = 1.96  # the normal quantile of a two-sided 95% confidence interval
# Without a reported standard deviation assume the largest a 1-5 answer can have (half the
# answers at 1, half at 5), so the interval is never narrower than the data allow.
MAX_SD = 2.0
