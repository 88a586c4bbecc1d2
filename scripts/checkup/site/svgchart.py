"""Draw an indicator's chart as a static, accessible SVG at build time.

The page shows this drawing at first paint; plotly.js loads only when a reader
asks for the interactive chart. The same SVG serves print, the annual report
and share images, so it stands alone: fixed size in a viewBox, system fonts,
no script, no external reference. A hundred lines of SVG elements cost
microseconds per chart, where a plotting library costs milliseconds.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

from ..assess import IndicatorAssessment
from ..assess.numbers import indicator_decimals, target_text
from ..model import Indicator, Target
from .markup import num

# Geometry of the drawing, in SVG user units (it scales to the page's width).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 16, 88  # room for the y labels, the x labels and the legend
Y_TICKS = 5  # about as many gridlines as the interactive chart shows
Y_PAD = 0.08  # air above and below the extreme values, as a share of their range
NARROW_BELOW = 480  # a drawing narrower than this is a phone's: every other year labelled
PHONE_WIDTH = 360  # about the width of the text column on a phone, so the words are drawn at their size
LEGEND_ROW = 20  # the height a further row of the legend adds
FONT = "system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif"
# The interactive chart's colours (charts.py): AA contrast on white, and line styles and
# markers differ too, so colour is never the only way to tell the series apart.
ACTUAL, PATH, TARGET, GRID, INK = "#1d4ed8", "#4b5563", "#b45309", "#e5e7eb", "#1f2937"


@dataclass(frozen=True)
class _Scale:
    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return round(self.start + (value - self.low) * (self.end - self.start) / span, 1)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(low: float, high: float, count: int = Y_TICKS) -> list[float]:
    """Return round tick values covering low..high, about `count` of them."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _target_values(target: Target | None) -> list[float]:
    if target is None:
        return []
    if target.between is not None:
        return list(target.between)
    return [v for v in (target.equals, target.about, target.at_least, target.at_most) if v is not None]


def _opening(ident: str, width: int, height: int, font_size: int, title: str, description: str,
             css_class: str = "ck-svg") -> list[str]:
    """Open a chart: the svg element with its size and font, and its title and text alternative."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{ident}-t {ident}-d" font-family="{_e(FONT)}" '
            f'font-size="{font_size}" fill="{INK}">',
            f'<title id="{ident}-t">{_e(title)}</title>',
            f'<desc id="{ident}-d">{_e(description)}</desc>']


def _gridlines(ticks: list[float], y: _Scale, left: float, right: float) -> list[str]:
    """Draw a gridline and a y axis label at each tick."""
    return [f'<line x1="{left}" x2="{right}" y1="{y(tick)}" y2="{y(tick)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end">{_e(num(tick))}</text>' for tick in ticks]


@dataclass(frozen=True)
class Drawing:
    """An indicator's chart drawn once: the svg element is opened around it for each place it is shown."""

    width: int
    height: int
    title: str
    description: str
    body: str  # everything inside the svg element after its title and text alternative

    def svg(self, element_id: str, css_class: str = "ck-svg") -> str:
        """Return the drawing as one svg element with this id (its title's and text's ids follow it)."""
        return "".join(_opening(_e(element_id), self.width, self.height, 13, self.title, self.description,
                                css_class)) + self.body


def indicator_drawing(indicator: Indicator, assessed: IndicatorAssessment, path_end: float | None,
                      width: int = WIDTH) -> Drawing:
    """Draw an indicator's chart at this width, ready to be opened as an svg element (Drawing.svg)."""
    series = {indicator.base_year: indicator.base_value, **indicator.values}
    years = sorted(series)
    unit = "" if indicator.unit == "无" else indicator.unit
    target = assessed.target
    targets = _target_values(target)
    last_year = max(years[-1], target.year if target else years[-1])
    values = [series[y] for y in years] + targets + ([path_end] if path_end is not None else [])
    low, high = min(values), max(values)
    pad = (high - low) * Y_PAD or abs(high) * Y_PAD or 1.0
    ticks = nice_ticks(low - pad, high + pad)
    y = _Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    x = _Scale(years[0] - 0.5, last_year + 0.5, LEFT, width - RIGHT)
    narrow = width < NARROW_BELOW
    step = (1 if last_year - years[0] <= 12 else 5) * (2 if narrow else 1)
    legend, legend_rows = _legend(target if targets else None, path_end is not None and target is not None,
                                  indicator.unit, width)
    height = HEIGHT + LEGEND_ROW * (legend_rows - 1)

    places = indicator_decimals(indicator)

    def fmt(value: float) -> str:
        return f"{num(value, places)}{unit}"

    parts = _gridlines(ticks, y, LEFT, width - RIGHT)
    for year in range(years[0], last_year + 1):
        # a phone's drawing counts back from the last year, so no label crowds the last one
        labelled = (last_year - year) % step == 0 if narrow else (year - years[0]) % step == 0
        if labelled or year == last_year:
            parts.append(f'<text x="{x(year)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>')
    parts.append(f'<text x="{(LEFT + width - RIGHT) / 2}" y="{HEIGHT - BOTTOM + 38}" text-anchor="middle">年份</text>')
    if unit:
        parts.append(f'<text transform="translate(14 {(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" '
                     f'text-anchor="middle">{_e(unit)}</text>')
    if target is not None and targets:  # the target: a line at its value, or a band for a range
        if target.between is not None:
            top, bottom = y(max(targets)), y(min(targets))
            parts.append(f'<rect x="{LEFT}" y="{top}" width="{width - RIGHT - LEFT}" height="{bottom - top}" '
                         f'fill="{TARGET}" fill-opacity="0.12"/>')
        for value in targets:
            ty = y(value)
            parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{ty}" y2="{ty}" stroke="{TARGET}" '
                         f'stroke-width="1.5" stroke-dasharray="2 3"/>')
        tx, ty = x(target.year), y(sum(targets) / len(targets))
        parts.append(f'<path d="M{tx} {ty - 8}L{tx + 8} {ty}L{tx} {ty + 8}L{tx - 8} {ty}Z" fill="{TARGET}"/>')
    if target is not None and path_end is not None:
        parts.append(f'<line x1="{x(indicator.base_year)}" y1="{y(indicator.base_value)}" x2="{x(target.year)}" '
                     f'y2="{y(path_end)}" stroke="{PATH}" stroke-width="2" stroke-dasharray="6 4"/>')
    points = " ".join(f"{x(yr)},{y(series[yr])}" for yr in years)
    parts.append(f'<polyline points="{points}" fill="none" stroke="{ACTUAL}" stroke-width="3"/>')
    parts += [f'<circle cx="{x(yr)}" cy="{y(series[yr])}" r="3.5" fill="{ACTUAL}"/>' for yr in years]
    parts.append(legend)
    parts.append("</svg>")
    return Drawing(width, height, f"{indicator.name}逐年数值", _description(indicator, assessed, series, path_end, fmt),
                   "".join(parts))


def _legend(target: Target | None, has_path: bool, indicator_unit: str, width: int = WIDTH) -> tuple[str, int]:
    """Draw the legend under the chart, left to right, on as many rows as the width needs; (SVG, rows)."""
    entries: list[tuple[Callable[[int, int], str], str, int]] = [  # (marker at x, y; words; advance)
        (lambda at, row: f'<line x1="{at}" x2="{at + 24}" y1="{row}" y2="{row}" stroke="{ACTUAL}" stroke-width="3"/>',
         "实际值", 100)]
    if has_path:
        entries.append((lambda at, row: f'<line x1="{at}" x2="{at + 24}" y1="{row}" y2="{row}" stroke="{PATH}" '
                        f'stroke-width="2" stroke-dasharray="6 4"/>', "直线进度", 112))
    if target is not None:
        entries.append((lambda at, row: f'<path d="M{at + 12} {row - 7}L{at + 19} {row}L{at + 12} {row + 7}'
                        f'L{at + 5} {row}Z" fill="{TARGET}"/>',
                        f"{target.year}年目标（{target_text(target, indicator_unit)}）", 0))
    items, at, row, rows = [], LEFT, HEIGHT - 20, 1
    for marker, words, advance in entries:
        if at > LEFT and at + 30 + _text_width(words) > width - RIGHT:
            at, row, rows = LEFT, row + LEGEND_ROW, rows + 1
        items.append(f'{marker(at, row)}<text x="{at + 30}" y="{row + 4}">{_e(words)}</text>')
        at += round(max(advance, 30 + _text_width(words) + 16))
    return "".join(items), rows


def _text_width(words: str, size: float = 13) -> float:
    """About how wide a line of words is drawn: a Chinese character a full em, other characters 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in words)


def _description(indicator: Indicator, assessed: IndicatorAssessment, series: dict[int, float],
                 path_end: float | None, fmt: object) -> str:
    """Say in words what the drawing shows: the text alternative for a screen reader."""
    show = fmt if callable(fmt) else str
    said = "，".join(f"{year}年{show(series[year])}" for year in sorted(series))
    text = f"折线图。实际值：{said}。"
    target = assessed.target
    if target is not None and path_end is not None:
        text += f"直线进度从{indicator.base_year}年{show(indicator.base_value)}到{target.year}年{show(path_end)}。"
    if target is not None:
        text += f"{target.year}年目标：{target_text(target, indicator.unit)}。"
    return text


# A downloaded chart carries what a page says around it: title and unit above, source and edition below.
HEADER, FOOTER, LINE = 58, 30, 18


def standalone_svg(indicator: Indicator, assessed: IndicatorAssessment, path_end: float | None,
                   *, edition: str, drawing: Drawing | None = None) -> str:
    """Draw an indicator's chart as a file that stands on its own when shared: title, unit, source, edition.

    `edition` names the edition, one line of the drawing per line of text; `drawing` is the chart
    at its full width where the page has drawn it already.
    """
    drawn = drawing if drawing is not None else indicator_drawing(indicator, assessed, path_end)
    chart = drawn.svg(f"dl-{indicator.id}")
    chart = chart.replace("<svg ", f'<svg x="0" y="{HEADER}" width="{WIDTH}" height="{HEIGHT}" ', 1)
    unit = "无单位" if indicator.unit == "无" else f"单位：{indicator.unit}"
    lines = [f"数据来源：{indicator.data_source}", *edition.splitlines()]
    total = HEADER + HEIGHT + FOOTER + LINE * (len(lines) - 1)
    foot = HEADER + HEIGHT
    return "".join([
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" width="{WIDTH}" height="{total}" '
        f'font-family="{_e(FONT)}" fill="{INK}" role="img" aria-labelledby="dl-{_e(indicator.id)}-t">',
        f'<rect width="{WIDTH}" height="{total}" fill="#ffffff"/>',
        f'<text x="16" y="26" font-size="18" font-weight="bold">{_e(f"{indicator.id} {indicator.name}")}</text>',
        f'<text x="16" y="48" font-size="13">{_e(f"{unit} · {assessed.year}年度评估结果：{assessed.label()}")}</text>',
        chart,
        *(f'<text x="16" y="{foot + 18 + LINE * i}" font-size="12">{_e(line)}</text>' for i, line in enumerate(lines)),
        "</svg>\n",
    ])


# A task's in-year path: narrower than an indicator's chart, with larger words, so they stay legible
# on a phone (a 390 px screen shows the drawing at about four fifths of its size).
PATH_WIDTH, PATH_HEIGHT = 440, 300
PATH_LEFT, PATH_BOTTOM = 56, 96  # room for the y labels; the period labels, the axis title and the legend
PATH_FONT = 14


@dataclass(frozen=True)
class PathPoint:
    """One reported period of a task's in-year path, as the page's table gives it."""

    label: str  # the period within its year, e.g. 第一季度, 上半年, 6月
    cumulative: float  # completed since the task began, as of the period's end
    straight: float  # what the straight path asks for by the period's end (序时进度)
    warned: bool


def task_path_svg(title: str, year: int, unit: str, points: list[PathPoint], target: float, *,
                  element_id: str) -> str:
    """Draw a task's cumulative progress at each reported period of a year against the straight path, as SVG.

    A warned period is marked by the word 预警 under its point and by a triangle in place of
    a dot, so neither colour nor shape alone carries it. Behind pace, the point lies below the
    straight path, so the word under it never sits on that line.
    """
    unit = "" if unit == "无" else unit
    ident = _e(element_id)
    bottom = PATH_HEIGHT - PATH_BOTTOM
    high = max([p.cumulative for p in points] + [p.straight for p in points])
    ticks = nice_ticks(0.0, high * (1 + Y_PAD))
    y = _Scale(ticks[0], ticks[-1], bottom, TOP + 12)  # air above the top point for its 预警 word
    slot = (PATH_WIDTH - RIGHT - PATH_LEFT) / len(points)

    def x(index: int) -> float:
        return round(PATH_LEFT + slot * (index + 0.5), 1)

    def fmt(value: float) -> str:
        return f"{num(value)}{unit}"

    parts = _opening(ident, PATH_WIDTH, PATH_HEIGHT, PATH_FONT, f"{title}：{year}年内累计完成量与序时进度",
                     _path_description(year, points, target, fmt))
    parts += _gridlines(ticks, y, PATH_LEFT, PATH_WIDTH - RIGHT)
    for i, point in enumerate(points):
        parts.append(f'<text x="{x(i)}" y="{bottom + 18}" text-anchor="middle">{_e(point.label)}</text>')
    parts.append(f'<text x="{(PATH_LEFT + PATH_WIDTH - RIGHT) / 2}" y="{bottom + 40}" '
                 f'text-anchor="middle">{year}年报告期（截至期末）</text>')
    parts.append(f'<text transform="translate(14 {(TOP + bottom) / 2}) rotate(-90)" text-anchor="middle">'
                 f'{_e(f"累计完成量（{unit}）" if unit else "累计完成量")}</text>')
    straight = " ".join(f"{x(i)},{y(p.straight)}" for i, p in enumerate(points))
    parts.append(f'<polyline points="{straight}" fill="none" stroke="{PATH}" stroke-width="2" '
                 f'stroke-dasharray="6 4"/>')
    parts += [f'<rect x="{x(i) - 3.5}" y="{y(p.straight) - 3.5}" width="7" height="7" fill="{PATH}"/>'
              for i, p in enumerate(points)]
    actual = " ".join(f"{x(i)},{y(p.cumulative)}" for i, p in enumerate(points))
    parts.append(f'<polyline points="{actual}" fill="none" stroke="{ACTUAL}" stroke-width="3"/>')
    for i, point in enumerate(points):
        cx, cy = x(i), y(point.cumulative)
        if point.warned:
            below = min(cy + 24, bottom - 4)
            parts.append(f'<path d="M{cx} {cy - 7}L{cx + 7} {cy + 5}L{cx - 7} {cy + 5}Z" fill="{TARGET}"/>'
                         f'<text x="{cx}" y="{below}" text-anchor="middle" font-weight="bold">预警</text>')
        else:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="4" fill="{ACTUAL}"/>')
    parts.append(_path_legend(any(p.warned for p in points)))
    parts.append("</svg>")
    return "".join(parts)


def _path_legend(warned: bool) -> str:
    row = PATH_HEIGHT - 20
    start = 8
    items = [f'<line x1="{start}" x2="{start + 24}" y1="{row}" y2="{row}" stroke="{ACTUAL}" '
             f'stroke-width="3"/><text x="{start + 30}" y="{row + 5}">累计完成量</text>',
             f'<line x1="{start + 116}" x2="{start + 140}" y1="{row}" y2="{row}" stroke="{PATH}" '
             f'stroke-width="2" stroke-dasharray="6 4"/><text x="{start + 146}" y="{row + 5}">序时进度</text>']
    if warned:
        at = start + 224
        items.append(f'<path d="M{at + 7} {row - 7}L{at + 14} {row + 5}L{at} {row + 5}Z" fill="{TARGET}"/>'
                     f'<text x="{at + 20}" y="{row + 5}">预警：落后于序时进度</text>')
    return "".join(items)


def _path_description(year: int, points: list[PathPoint], target: float, fmt: Callable[[float], str]) -> str:
    """Say in words what the path drawing shows: the text alternative for a screen reader."""
    said = "；".join(f"{year}年{p.label}累计完成{fmt(p.cumulative)}，序时进度应完成{fmt(p.straight)}"
                    + ("，预警" if p.warned else "") for p in points)
    return f"折线图，目标{fmt(target)}。{said}。"
