"""Write figures one way for pages, reason sentences, downloads and the report.

Two rules decide how a figure looks:

- **Decimals follow the indicator.** A figure derived from an indicator's values (the
  straight path, a gap, a condition) is shown with as many decimals as the indicator's
  recorded values use (the most among base, yearly values and targets), unless the
  indicator sets `decimals` itself. 常住人口 recorded as 430.9万人 gives a straight path
  of 432.6万人, not 432.64万人. Trailing zeros are dropped, as published tables do.
- **Large counts are written in 万.** From 10,000 up, a quantity in a unit that counts
  things or area (平方米, 人, 户, 个 …) is written with 万 as official tables do:
  16.8万平方米, not 168000平方米. A task's figures follow its target, so every figure in
  a sentence about a task titled 20万平方米 is written in 万平方米.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..model import Indicator, Target, Task

MAX_DECIMALS = 6  # the schema's bound on an indicator's `decimals`
DEFAULT_DECIMALS = 2  # a figure of unknown precision
WAN = 10_000
# Units that count things, people or area, which Chinese tables write in 万 from 10,000 up.
# Ratios (平方米/人), units already in 万 or 亿, percentages and lengths are left as they are.
WAN_UNITS = frozenset({"人", "人次", "户", "个", "个小区", "套", "栋", "幢", "间", "处", "座", "家", "辆", "台",
                       "部", "张", "件", "条", "棵", "株", "平方米", "立方米", "亩", "吨", "元"})


def decimals_of(value: float) -> int:
    """Return how many decimals a recorded value is written with (430.9 → 1, 430 → 0)."""
    written = repr(value)
    if "e" in written or "E" in written or "n" in written:  # 1e-07, inf, nan: let Decimal read the exponent
        exponent = Decimal(written).normalize().as_tuple().exponent
        return min(max(-exponent, 0), MAX_DECIMALS) if isinstance(exponent, int) else 0
    _, _, fraction = written.partition(".")
    return min(len(fraction.rstrip("0")), MAX_DECIMALS)


def recorded_decimals(values: Iterable[float | None]) -> int:
    """Return the most decimals among recorded values."""
    return max((decimals_of(v) for v in values if v is not None), default=0)


def _target_values(target: Target) -> list[float | None]:
    return [target.equals, target.at_least, target.at_most, target.about, *(target.between or ())]


# An indicator's decimals, by the indicator itself: a page asks for them once per figure.
_DECIMALS: dict[int, tuple[Indicator, int]] = {}
_DECIMALS_KEPT = 20_000


def indicator_decimals(indicator: Indicator) -> int:
    """Return the decimals of an indicator's figures: its own `decimals`, else those its values use."""
    if indicator.decimals is not None:
        return indicator.decimals
    known = _DECIMALS.get(id(indicator))
    if known is not None and known[0] is indicator:
        return known[1]
    targets = [v for t in indicator.targets for v in _target_values(t)]
    decimals = recorded_decimals([indicator.base_value, *indicator.values.values(), *targets])
    if len(_DECIMALS) >= _DECIMALS_KEPT:
        _DECIMALS.clear()
    _DECIMALS[id(indicator)] = (indicator, decimals)
    return decimals


def task_decimals(task: Task) -> int:
    """Return the decimals of a task's quantities: those its target and reports use."""
    in_year = [v for p in task.in_year for v in (p.done, p.cumulative)]
    return recorded_decimals([task.target_quantity, *(p.done for p in task.progress), *in_year])


def task_wan(task: Task) -> bool:
    """Say whether a task's quantities are written in 万: as its target is (else its largest report)."""
    done = [abs(p.done) for p in task.progress if p.done is not None]
    return in_wan(task.target_unit, task.target_quantity or max(done, default=None))


def task_amount(task: Task, value: float | None) -> str:
    """Write a quantity of a task in the unit and wording of its target (16.8万平方米 under 20万平方米)."""
    return q(value, task.target_unit or "", task_decimals(task), wan=task_wan(task))


ESTIMATE_WAN_DECIMALS = 1  # a projection in 万 is an estimate: 约18.7万平方米, not 18.7022万平方米


def task_estimate(task: Task, value: float | None) -> str:
    """Write a projected quantity of a task in its target's wording, rounded as the estimate it is (约 if rounded)."""
    unit = task.target_unit or ""
    shown, places, prefix = scale(value or 0.0, unit, task_decimals(task), task_wan(task))
    if prefix and places is not None:
        places = min(places, ESTIMATE_WAN_DECIMALS)
    text = num(shown, places)
    about = "约" if abs(float(text) - shown) > 1e-9 * max(1.0, abs(shown)) else ""  # only where it was rounded
    return f"{about}{text}{prefix}{unit}"


def in_wan(unit: str | None, reference: float | None) -> bool:
    """Say whether figures in `unit` measured against `reference` are written in 万."""
    return bool(unit) and unit in WAN_UNITS and reference is not None and abs(reference) >= WAN


def rounded(value: float | None, decimals: int | None) -> float | None:
    """Round a derived figure to the decimals it is published with (for data files)."""
    if value is None or decimals is None:
        return value
    return round(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def num(value: float, decimals: int | None = None, *, grouped: bool = False) -> str:
    """Write a number with at most `decimals` decimals, trailing zeros dropped; thousands grouped if asked."""
    if decimals is None:
        if 0 < abs(value) < 1:  # small figures of unknown precision keep three significant digits
            return f"{value:.3g}"
        decimals = DEFAULT_DECIMALS
    text = f"{value:{',' if grouped else ''}.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def scale(value: float, unit: str | None, decimals: int | None = None,
          wan: bool | None = None) -> tuple[float, int | None, str]:
    """Return the value as written, its decimals and the prefix of its unit ("万" or "")."""
    if in_wan(unit, value) if wan is None else wan:
        return value / WAN, None if decimals is None else decimals + 4, "万"
    return value, decimals, ""


def q(value: float | None, unit: str, decimals: int | None = None, *, wan: bool | None = None) -> str:
    """Write a quantity with its unit, in 万 when the rule (or `wan`) says so."""
    shown, places, prefix = scale(value or 0.0, unit, decimals, wan)
    return f"{num(shown, places)}{prefix}{unit}"


def pct(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def change(diff: float, unit: str, decimals: int | None = None) -> str:
    """Write a change as 增加/减少 an amount (percentage points for a share), 持平 when none shows."""
    amount = f"{num(abs(diff), decimals)}个百分点" if unit == "%" else q(abs(diff), unit, decimals)
    if diff == 0 or (decimals is not None and round(diff, decimals) == 0):
        return "持平"
    return f"{'增加' if diff > 0 else '减少'}{amount}"


def target_text(target: Target, unit: str) -> str:
    """Write a target with its unit, the way a plan writes it: ≤480万人, 440万人左右, 增加."""
    label = target.label()
    if not unit or unit == "无" or target.trend is not None or unit in label:
        return label
    if label.endswith("左右") and label[:-2][-1:].isdigit():
        return f"{label[:-2]}{unit}左右"
    return f"{label}{unit}" if label[-1:].isdigit() else label


def target_with_year(target: Target, unit: str) -> str:
    """Write a target with its year and unit: 2025年：440万人左右."""
    return f"{target.year}年：{target_text(target, unit)}"
