"""Small static SVG charts for the printed report: vector, no script, no font outside the PDF.

Each function returns the text of one SVG file. They are deliberately plain (a
line of yearly values, a row of bars) so that a shared static-chart module can
replace them without changing the report.
"""

from __future__ import annotations

from html import escape

from ..assess import STATUS_LABELS, IndicatorAssessment, SurveyAssessment
from ..assess.numbers import target_text
from ..model import Indicator, Target
from ..site.markup import num

WIDTH, HEIGHT = 420, 200
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 24, 28
INK, ACCENT, TARGET, GRID = "#333333", "#1f5fa8", "#c0392b", "#dddddd"
FONT = "Noto Sans CJK SC"  # embedded in the PDF by the typesetter


def _svg(body: list[str], width: int = WIDTH, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">' + "".join(body) + "</svg>\n")


def _target_value(target: Target | None) -> float | None:
    if target is None:
        return None
    for value in (target.equals, target.at_least, target.at_most, target.about):
        if value is not None:
            return value
    return sum(target.between) / 2 if target.between else None


def indicator_chart(indicator: Indicator, assessed: IndicatorAssessment) -> str:
    """Draw an indicator's yearly values from its base year, with its target as a dashed line."""
    series = sorted({indicator.base_year: indicator.base_value, **indicator.values}.items())
    target = _target_value(assessed.target)
    values = [v for _, v in series] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    years = [y for y, _ in series]
    first, last = years[0], max(years[-1], years[0] + 1)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x(year: int) -> float:
        return MARGIN_LEFT + (year - first) / (last - first) * plot_w

    def y(value: float) -> float:
        return MARGIN_TOP + (high - value) / (high - low) * plot_h

    unit = "" if indicator.unit == "无" else indicator.unit
    body = [f'<text x="{MARGIN_LEFT}" y="14" fill="{INK}">{escape(unit)}</text>']
    for value in (low + pad, high - pad):
        body.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                    f'stroke="{GRID}"/>')
        body.append(f'<text x="{MARGIN_LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{INK}">'
                    f'{escape(num(value))}</text>')
    for year in years:
        body.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{INK}">{year}</text>')
    if target is not None:
        label = escape(f"{assessed.target.year}年目标 {target_text(assessed.target, indicator.unit)}") if assessed.target else ""
        body.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(target):.1f}" '
                    f'y2="{y(target):.1f}" stroke="{TARGET}" stroke-dasharray="5 4"/>')
        body.append(f'<text x="{WIDTH - MARGIN_RIGHT}" y="{y(target) - 4:.1f}" text-anchor="end" '
                    f'fill="{TARGET}">{label}</text>')
    points = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in series)
    body.append(f'<polyline points="{points}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    body += [f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3" fill="{ACCENT}"/>' for year, value in series]
    return _svg(body)


def bar_chart(bars: list[tuple[str, float]], *, unit: str = "", maximum: float | None = None) -> str:
    """Draw labelled horizontal bars, one a row."""
    row = 22
    label_w = 170
    height = MARGIN_TOP + row * len(bars) + 8
    top = maximum or max((v for _, v in bars), default=1) or 1
    plot_w = WIDTH - label_w - 60
    body = []
    for i, (label, value) in enumerate(bars):
        y = MARGIN_TOP + i * row
        width = max(value, 0) / top * plot_w
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row - 8}" fill="{ACCENT}"/>')
        body.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 14}" fill="{INK}">{escape(num(value))}{escape(unit)}'
                    "</text>")
    return _svg(body, height=height)


def status_chart(counts: dict[str, int]) -> str:
    """Draw how many indicators have each status."""
    return bar_chart([(STATUS_LABELS[code], float(n)) for code, n in counts.items()], unit="项")


def survey_chart(survey: SurveyAssessment) -> str:
    """Draw the score of each survey dimension on 0-100."""
    return bar_chart([(d.name, round(d.score.score, 1)) for d in survey.dimensions], unit="分", maximum=100)
