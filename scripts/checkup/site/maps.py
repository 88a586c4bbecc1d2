"""Maps of values by area, drawn from the edition's own boundaries: no tiles, no outside request.

Two renderings of one classification:
- `area_map_spec`: a plotly.js figure for the site, one filled `scatter` polygon
  per area (plotly.js-basic has no geo traces, and geo traces would fetch
  topojson from a CDN), with the colours of every year so the page's year
  selector can recolour it;
- `area_map_svg`: a standalone SVG for print and sharing; the annual report
  reuses it as its analysis drawings.
Both use a plain equirectangular projection scaled by the cosine of the mean
latitude: at a city's size the distortion is far below what a reader can see.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Edition, Indicator, Polygon
from .arearank import latest_area_year
from .markup import num

# Four classes of a sequential ColorBrewer palette (Blues), light to dark = low to high.
# Class edges are the same in every year, so a change of colour is a change of class.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5")
# Text on the two darker classes is white, on the lighter ones near-black (WCAG AA contrast).
INK = ("#111827", "#111827", "#111827", "#ffffff")
NO_DATA = "#e5e7eb"
EDGE = "#ffffff"
MAX_CLASSES = len(PALETTE)
SVG_WIDTH = 640


@dataclass(frozen=True)
class MapClass:
    low: float
    high: float
    colour: str
    ink: str
    label: str


def map_classes(values: Sequence[float], unit: str = "") -> list[MapClass]:
    """Split the range of values into equal classes (fewer when there are few distinct values)."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    count = min(MAX_CLASSES, len(distinct))
    low, high = distinct[0], distinct[-1]
    if count == 1 or high == low:
        return [MapClass(low, high, PALETTE[-1], INK[-1], f"{num(low)}{_u(unit)}")]
    step = (high - low) / count
    # Inner edges are written to the data's own precision: a legend reads 74.3, not 74.25.
    digits = min(max(_decimals(v) for v in distinct), 2)
    edges = [low] + [round(low + step * i, digits) for i in range(1, count)] + [high]
    # Spread the classes over the palette so the darkest always means the highest values.
    picks = [round(i * (MAX_CLASSES - 1) / (count - 1)) for i in range(count)]
    out = []
    for i in range(count):
        a, b = edges[i], edges[i + 1]
        shown = f"{num(a)}–{num(b)}{_u(unit)}" + ("" if i == count - 1 else "（不含）")
        out.append(MapClass(a, b, PALETTE[picks[i]], INK[picks[i]], shown))
    return out


def _decimals(value: float) -> int:
    shown = f"{value:.6f}".rstrip("0")
    return len(shown.split(".")[1]) if "." in shown else 0


def _u(unit: str) -> str:
    return "" if not unit or unit == "无" else unit


def class_of(classes: Sequence[MapClass], value: float | None) -> MapClass | None:
    if value is None or not classes:
        return None
    for c in classes[:-1]:
        if value < c.high:
            return c
    return classes[-1]


# -- projection ----------------------------------------------------------------
@dataclass(frozen=True)
class _Frame:
    scale_x: float  # cos(mean latitude)
    min_x: float
    max_x: float
    min_y: float
    max_y: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.scale_x, lat


def _frame(geometry: Mapping[str, tuple[Polygon, ...]]) -> _Frame:
    points = [p for polys in geometry.values() for poly in polys for ring in poly for p in ring]
    lats = [p[1] for p in points]
    scale = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs = [p[0] * scale for p in points]
    return _Frame(scale, min(xs), max(xs), min(lats), max(lats))


def _label_point(polys: tuple[Polygon, ...], frame: _Frame) -> tuple[float, float]:
    """Place an area's label at the centroid of its largest outer ring."""
    ring = max((poly[0] for poly in polys), key=lambda r: abs(_area(r)))
    area = _area(ring)
    if not area:
        return frame.xy(*ring[0])
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return frame.xy(cx / (6 * area), cy / (6 * area))


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


# -- the interactive map -------------------------------------------------------
def area_map_spec(geometry: Mapping[str, tuple[Polygon, ...]], names: Mapping[str, str],
                  by_year: Mapping[int, Mapping[str, float]], classes: Sequence[MapClass],
                  unit: str, year: int) -> tuple[dict[str, object], dict[str, dict[str, list[str]]]]:
    """Build a plotly.js figure of the areas coloured by class in `year`, and every year's colours and labels.

    The years go apart from the figure (a figure holds only what plotly validates); the page
    script restyles the figure with them when the reader picks a year.
    """
    frame = _frame(geometry)
    areas = list(geometry)
    data: list[dict[str, object]] = []
    for area in areas:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for poly in geometry[area]:
            for ring in poly:
                for lon, lat in ring:
                    x, y = frame.xy(lon, lat)
                    xs.append(round(x, 6))
                    ys.append(round(y, 6))
                xs.append(None)
                ys.append(None)
        data.append({"type": "scatter", "mode": "lines", "fill": "toself", "x": xs[:-1], "y": ys[:-1],
                     "name": _t(names.get(area, area)), "line": {"color": EDGE, "width": 1.5},
                     "hoveron": "fills", "hoverinfo": "text", "showlegend": False})
    labels = [_label_point(geometry[a], frame) for a in areas]
    data.append({"type": "scatter", "mode": "text", "x": [round(p[0], 6) for p in labels],
                 "y": [round(p[1], 6) for p in labels], "hoverinfo": "skip", "showlegend": False,
                 "textfont": {"size": 12}})
    years = {}
    for y, values in sorted(by_year.items()):
        fills, inks, texts, hovers = [], [], [], []
        for area in areas:
            value = values.get(area)
            cls = class_of(classes, value)
            fills.append(cls.colour if cls else NO_DATA)
            inks.append(cls.ink if cls else INK[0])
            shown = f"{num(value)}{_t(_u(unit))}" if value is not None else "无数据"
            name = _t(names.get(area, area))
            texts.append(f"{name}<br>{shown}")
            hovers.append(f"{name} {y}年：{shown}")
        years[str(y)] = {"fill": fills, "ink": inks, "text": texts, "hover": hovers}
    current = years[str(year)]
    for i, trace in enumerate(data[:-1]):
        trace["fillcolor"] = current["fill"][i]
        trace["text"] = current["hover"][i]
    data[-1]["text"] = current["text"]
    data[-1]["textfont"] = {"size": 12, "color": current["ink"]}
    pad_x = (frame.max_x - frame.min_x) * 0.03
    pad_y = (frame.max_y - frame.min_y) * 0.03
    axis = {"visible": False, "fixedrange": True}
    ratio = (frame.max_y - frame.min_y + 2 * pad_y) / max(frame.max_x - frame.min_x + 2 * pad_x, 1e-9)
    return {
        "data": data,
        "layout": {
            "height": max(240, min(480, round(360 * ratio))), "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest", "dragmode": False,
            "font": {"family": "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', "
                               "sans-serif", "size": 13, "color": "#1f2937"},
            "xaxis": {**axis, "range": [frame.min_x - pad_x, frame.max_x + pad_x]},
            "yaxis": {**axis, "range": [frame.min_y - pad_y, frame.max_y + pad_y], "scaleanchor": "x",
                      "scaleratio": 1},
        },
    }, years


def _t(value: object) -> str:
    """Escape a data string for plotly, which reads a few HTML tags in labels."""
    return html.escape(str(value), quote=False)


# -- the static drawing ----------------------------------------------------------
def area_map_svg(geometry: Mapping[str, tuple[Polygon, ...]], names: Mapping[str, str],
                 values: Mapping[str, float], classes: Sequence[MapClass], *, title: str,
                 note: str = "", links: Mapping[str, str] | None = None, width: int = SVG_WIDTH) -> str:
    """Draw the areas coloured by class as a standalone SVG with a title, labels and a legend.

    `values` may be empty (an overview of the areas); `links` maps area ids to URLs that
    make each area a link. The drawing uses no outside font or image.
    """
    frame = _frame(geometry)
    margin, top = 12, 40
    span_x = max(frame.max_x - frame.min_x, 1e-9)
    span_y = max(frame.max_y - frame.min_y, 1e-9)
    scale = (width - 2 * margin) / span_x
    map_h = span_y * scale
    legend_rows = len(classes) + (1 if any(a not in values for a in geometry) and values else 0)
    height = round(top + map_h + margin + (legend_rows * 22 + 12 if legend_rows else 0) + (20 if note else 0))

    def px(lon: float, lat: float) -> str:
        x, y = frame.xy(lon, lat)
        return f"{(x - frame.min_x) * scale + margin:.1f},{(frame.max_y - y) * scale + top:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="{"group" if links else "img"}" aria-labelledby="ck-map-title" '
           'font-family="system-ui, \'PingFang SC\', \'Microsoft YaHei\', \'Noto Sans CJK SC\', sans-serif">',
           f'<title id="ck-map-title">{_x(title)}</title>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{margin}" y="26" font-size="16" font-weight="600" fill="#111827">{_x(title)}</text>']
    for area, polys in geometry.items():
        value = values.get(area)
        cls = class_of(classes, value)
        fill = cls.colour if cls else ("#dbeafe" if not values else NO_DATA)
        d = " ".join("M" + " L".join(px(*p) for p in ring[:-1]) + " Z" for poly in polys for ring in poly)
        shape = (f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="1.5" fill-rule="evenodd">'
                 f'<title>{_x(names.get(area, area))}'
                 f'{"：" + num(value) if value is not None else ""}</title></path>')
        if links and area in links:
            shape = f'<a href="{_x(links[area])}" aria-label="{_x(names.get(area, area))}">{shape}</a>'
        out.append(shape)
    for area, polys in geometry.items():
        lx, ly = _label_point(polys, frame)
        x, y = (lx - frame.min_x) * scale + margin, (frame.max_y - ly) * scale + top
        cls = class_of(classes, values.get(area))
        ink = cls.ink if cls else "#111827"
        label = _x(names.get(area, area))
        # The label lets a tap through to the area's shape, which may be a link.
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" text-anchor="middle" fill="{ink}" '
                   f'pointer-events="none">{label}')
        if area in values:
            out.append(f'<tspan x="{x:.1f}" dy="16" font-size="12">{_x(num(values[area]))}</tspan>')
        out.append("</text>")
    y = top + map_h + margin + 14
    for cls in classes:
        out.append(f'<rect x="{margin}" y="{y - 11:.1f}" width="18" height="14" fill="{cls.colour}" '
                   'stroke="#6b7280" stroke-width="0.5"/>')
        out.append(f'<text x="{margin + 26}" y="{y:.1f}" font-size="12" fill="#111827">{_x(cls.label)}</text>')
        y += 22
    if values and any(a not in values for a in geometry):
        out.append(f'<rect x="{margin}" y="{y - 11:.1f}" width="18" height="14" fill="{NO_DATA}" '
                   'stroke="#6b7280" stroke-width="0.5"/>')
        out.append(f'<text x="{margin + 26}" y="{y:.1f}" font-size="12" fill="#111827">无数据</text>')
        y += 22
    if note:
        out.append(f'<text x="{margin}" y="{height - 8}" font-size="11" fill="#4b5563">{_x(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _x(value: object) -> str:
    return html.escape(str(value), quote=True)


# -- the maps of an edition -----------------------------------------------------------------
def area_names(edition: Edition) -> dict[str, str]:
    return {a.id: a.name for a in edition.areas}


def is_mapped(edition: Edition, ind: Indicator) -> bool:
    """Say whether every area with values has a boundary to draw."""
    return bool(edition.geometry) and set(ind.by_area) <= set(edition.geometry)


def indicator_classes(ind: Indicator) -> list[MapClass]:
    return map_classes([v for series in ind.by_area.values() for v in series.values()], ind.unit)


def edition_maps(e: Edition) -> dict[str, str]:
    """Draw a static SVG of the areas ("areas") and of every mapped indicator (by id), for print and sharing."""
    if not e.geometry:
        return {}
    note = "示例数据：边界为手绘示意。" if e.example else "边界为示意。"
    maps = {"areas": area_map_svg(e.geometry, area_names(e), {}, [], title=f"{e.city}各区", note=note)}
    for ind in e.indicators.values():
        year = latest_area_year(ind)
        if year is None or not is_mapped(e, ind):
            continue
        values = {a: s[year] for a, s in ind.by_area.items() if year in s}
        title = f"{ind.name}（{year}年，分区）"
        maps[ind.id] = area_map_svg(e.geometry, area_names(e), values, indicator_classes(ind), title=title,
                                    note=f"{note}数据来源：{ind.data_source}")
    return maps
