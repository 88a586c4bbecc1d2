"""Write the numbers of a reason sentence the way the published pages write them."""

from __future__ import annotations


def num(value: float) -> str:
    if 0 < abs(value) < 1:  # small figures keep three significant digits, not two decimals
        return f"{value:.3g}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def q(value: float | None, unit: str) -> str:
    return f"{num(value or 0.0)}{unit}"


def pct(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def change(diff: float, unit: str) -> str:
    if diff == 0:
        return "持平"
    amount = f"{num(abs(diff))}个百分点" if unit == "%" else q(abs(diff), unit)  # a change of a share is in points
    return f"{'增加' if diff > 0 else '减少'}{amount}"

