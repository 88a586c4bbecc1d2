"""Chart specs as plain plotly.js figure dicts, and the HTML that carries them in a page.

Specs are built as dicts rather than through plotly's Python figure classes:
the output is the same JSON, but a dict costs microseconds where a validated
figure costs milliseconds, and a large edition has thousands of charts. The
site script (assets/checkup.js) draws every spec on the page with the one
plotly.js bundle the site serves. An indicator's chart is also drawn at build
time as a static SVG (`indicator_svg`), shown at first paint; plotly.js then
loads only when the reader asks for the interactive chart.
"""

from __future__ import annotations

import html

from ..assess import IndicatorAssessment, SurveyAssessment
from ..assess.numbers import target_text
from ..model import Indicator, Target
from ..read.memo import Memo, digest
from .markup import attr, script_json
from .svgchart import PHONE_WIDTH, Drawing, indicator_drawing, standalone_svg

# Colours pass WCAG AA against white; line styles and markers differ too, so
# colour is never the only way to tell the series apart.
ACTUAL, PATH, TARGET, SAMPLE, POPULATION = "#1d4ed8", "#4b5563", "#b45309", "#1d4ed8", "#9a3412"
FONT = {"family": "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
        "size": 13, "color": "#1f2937"}
HEIGHT = 320


def _t(value: object) -> str:
    """Escape a data string for plotly, which reads a few HTML tags in labels and decodes entities."""
    return html.escape(str(value), quote=False)


def _layout(**extra: object) -> dict[str, object]:
    layout: dict[str, object] = {
        "font": FONT, "height": HEIGHT, "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff", "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def path_end(indicator: Indicator, assessed: IndicatorAssessment) -> float | None:
    """Return where the straight path to the target ends, as the assessment computed it."""
    target, expected = assessed.target, assessed.expected
    if target is None or expected is None or assessed.latest_year is None:
        return None
    span = assessed.latest_year - indicator.base_year
    if assessed.latest_year >= target.year:
        return expected  # after the target year the path is the target itself
    if span <= 0:
        return _target_point(target)
    return indicator.base_value + (expected - indicator.base_value) * (target.year - indicator.base_year) / span


def _target_point(target: Target) -> float | None:
    for value in (target.equals, target.about, target.at_least, target.at_most):
        if value is not None:
            return value
    return None


def indicator_chart(indicator: Indicator, assessed: IndicatorAssessment) -> dict[str, object]:
    """Chart an indicator's yearly values with the straight path and its target."""
    series = {indicator.base_year: indicator.base_value, **indicator.values}
    years = sorted(series)
    unit = "" if indicator.unit == "无" else _t(indicator.unit)
    hover = f"%{{x}}年：%{{y}}{unit}<extra>%{{fullData.name}}</extra>"
    data: list[dict[str, object]] = [{
        "type": "scatter", "mode": "lines+markers", "name": "实际值", "x": years,
        "y": [series[y] for y in years], "line": {"color": ACTUAL, "width": 3},
        "marker": {"size": 7}, "hovertemplate": hover,
    }]
    target = assessed.target
    end = path_end(indicator, assessed)
    if target is not None and end is not None:
        data.append({
            "type": "scatter", "mode": "lines", "name": "直线进度", "x": [indicator.base_year, target.year],
            "y": [indicator.base_value, end], "line": {"color": PATH, "dash": "dash", "width": 2},
            "hovertemplate": hover,
        })
    if target is not None:
        point = _target_point(target)
        trace: dict[str, object] = {
            "type": "scatter", "mode": "markers", "name": f"{target.year}年目标（{_t(target_text(target, indicator.unit))}）",
            "marker": {"symbol": "diamond", "size": 12, "color": TARGET}, "hovertemplate": hover,
        }
        if target.between is not None:
            low, high = target.between
            trace.update(x=[target.year], y=[(low + high) / 2],
                         error_y={"type": "data", "symmetric": True, "array": [(high - low) / 2],
                                  "color": TARGET, "thickness": 2, "width": 8})
            data.append(trace)
        elif point is not None:
            trace.update(x=[target.year], y=[point])
            data.append(trace)
    span = max(years[-1], target.year if target else years[-1]) - years[0]
    xaxis = {"tickformat": "d", "dtick": 1 if span <= 12 else 5, "gridcolor": "#e5e7eb", "fixedrange": True}
    yaxis = {"title": {"text": unit}, "gridcolor": "#e5e7eb", "zeroline": False, "fixedrange": True}
    return {"data": data, "layout": _layout(xaxis=xaxis, yaxis=yaxis, height=HEIGHT + 40,
                                            margin={"l": 56, "r": 16, "t": 16, "b": 96})}


def indicator_svg(indicator: Indicator, assessed: IndicatorAssessment) -> str:
    """Draw an indicator's chart for its page: the drawing, and a phone's narrower version of it.

    The stylesheet shows the phone's version on narrow screens, where the wide drawing scaled to
    the column would make its words about 7 px tall; print and wider screens show the wide one.
    """
    end = path_end(indicator, assessed)
    wide = indicator_drawing(indicator, assessed, end)
    _DRAWN[indicator.id] = (indicator, assessed, wide)
    return (wide.svg(f"svg-{indicator.id}", "ck-svg ck-svg--wide")
            + indicator_drawing(indicator, assessed, end, PHONE_WIDTH).svg(f"svg-{indicator.id}-n",
                                                                          "ck-svg ck-svg--narrow"))


def indicator_svg_file(indicator: Indicator, assessed: IndicatorAssessment, edition: str) -> bytes:
    """Draw an indicator's chart as a standalone SVG file for download, titled and sourced."""
    drawn = _DRAWN.pop(indicator.id, None)  # the page's drawing of these very data, where it was just made
    drawing = drawn[2] if drawn is not None and drawn[0] is indicator and drawn[1] is assessed else None
    return _SVG_FILES.get((indicator.id, digest(indicator, assessed, edition)), lambda: standalone_svg(
        indicator, assessed, path_end(indicator, assessed), edition=edition, drawing=drawing).encode("utf-8"))


_SVG_FILES: Memo[bytes] = Memo(20_000)  # a preview redraws only the charts whose inputs changed
# The wide drawing of each indicator's page, by indicator id, until its download file is made from it
# (the same objects: checked by identity); one entry per indicator at most.
_DRAWN: dict[str, tuple[Indicator, IndicatorAssessment, Drawing]] = {}


def survey_dimension_chart(survey: SurveyAssessment) -> dict[str, object]:
    """Chart the dimension scores with their 95% confidence intervals."""
    dims = list(reversed(survey.dimensions))  # plotly draws the first category at the bottom
    data = [{
        "type": "bar", "orientation": "h", "name": "得分", "y": [_t(d.name) for d in dims],
        "x": [round(d.score.score, 1) for d in dims], "marker": {"color": ACTUAL},
        "error_x": {"type": "data", "symmetric": False, "color": "#111827", "thickness": 1.5,
                    "array": [round(d.score.high - d.score.score, 2) for d in dims],
                    "arrayminus": [round(d.score.score - d.score.low, 2) for d in dims]},
        "hovertemplate": "%{y}：%{x}分<extra></extra>",
    }]
    height = max(HEIGHT, 60 + 40 * len(dims))
    return {"data": data, "layout": _layout(
        height=height, showlegend=False, margin={"l": 120, "r": 16, "t": 16, "b": 48},
        xaxis={"range": [0, 100], "title": {"text": "满意度得分（0–100）"}, "gridcolor": "#e5e7eb",
               "fixedrange": True},
        yaxis={"automargin": True, "fixedrange": True})}


def composition_chart(survey: SurveyAssessment, kind: str) -> dict[str, object] | None:
    """Chart the sample's shares against the population's for one way of grouping, if known."""
    rows = [r for r in survey.composition if r.group_kind == kind]
    if not rows or all(r.population_share is None for r in rows):
        return None
    groups = [_t(r.group) for r in reversed(rows)]
    data = [
        {"type": "bar", "orientation": "h", "name": "样本占比", "y": groups,
         "x": [round(r.sample_share, 1) for r in reversed(rows)], "marker": {"color": SAMPLE},
         "hovertemplate": "%{y}：%{x}%<extra>样本占比</extra>"},
        {"type": "bar", "orientation": "h", "name": "常住人口占比", "y": groups,
         "x": [r.population_share for r in reversed(rows)],
         "marker": {"color": POPULATION, "pattern": {"shape": "/"}},
         "hovertemplate": "%{y}：%{x}%<extra>常住人口占比</extra>"},
    ]
    return {"data": data, "layout": _layout(
        height=max(HEIGHT, 100 + 44 * len(rows)), barmode="group",
        margin={"l": 120, "r": 16, "t": 16, "b": 72},
        xaxis={"ticksuffix": "%", "gridcolor": "#e5e7eb", "fixedrange": True, "rangemode": "tozero"},
        yaxis={"automargin": True, "fixedrange": True})}


def embed(chart_id: str, spec: dict[str, object], description: str, svg: str | None = None) -> str:
    """Write the HTML block that holds a chart: its container and its spec as inert JSON.

    With `svg`, the container shows that drawing and a button that loads the interactive
    chart; without, the site script draws the spec with plotly.js when the page opens.
    """
    spec_json = (f'<script type="application/json" class="ck-chart-spec" data-target="{attr(chart_id)}">'
                 f"{script_json(spec)}</script>")
    if svg is None:
        return (f'<div class="ck-chart" id="{attr(chart_id)}" role="img" aria-label="{attr(description)}"></div>\n'
                + spec_json)
    return (f'<div class="ck-chart ck-chart--static" id="{attr(chart_id)}">{svg}</div>\n'
            f'<p class="ck-chart-more"><button type="button" class="md-button ck-chart-interact" '
            f'data-target="{attr(chart_id)}" hidden>交互查看</button></p>\n' + spec_json)
