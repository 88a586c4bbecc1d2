"""Pages by place: one page per area (我的区), the map section of an indicator page, the planners' pages.

An area page gathers what the rest of the site says about one district: its
value and rank on every indicator with values by area, the tasks and problems
placed in it, and its responsible planners with what they disclosed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ..arearank import AreaStanding, gap_to_target, latest_area_year, rank_areas
from ..charts import embed
from ..maps import MapClass, area_map_spec, area_map_svg, area_names, edition_maps, indicator_classes, is_mapped
from ..markup import (
    DASH,
    QUIET,
    Page,
    Source,
    attr,
    badge,
    front_matter,
    link,
    num,
    provenance,
    quantity,
    script_json,
    table,
    text,
)
from ...assess.numbers import indicator_decimals, rounded, target_with_year
from ...model import SELECTION_LABELS, Edition, Indicator, Problem, Task
from ..sitedata import EditionView, SiteData
from .placelinks import (
    AREAS_INDEX,
    DISCLOSURE_PAGE,
    area_link,
    area_page_path,
    indicator_page_path,
    map_file_path,
    planner_page_path,
)
from .planners import days_cell, grade_label

_Placed = TypeVar("_Placed", Task, Problem)
RECENT_YEARS = 4  # the table by area shows the latest years, newest first; downloads have them all
AREA_INDICATOR_ROWS = 60  # rows of an area's indicator table; the rest are in the ranking download
AREA_WEAK_NAMED = 20  # indicators named in an area's "weakest" sentence
OVERVIEW_WIDTH = 400  # px: about a phone's width, so the overview is shown near its own size


# -- the section of an indicator page ------------------------------------------------------
def area_section(view: EditionView, ind: Indicator, page: str) -> str:
    """Map (when the edition has boundaries) and table of an indicator's values by area."""
    e = view.edition
    target = view.assessment.indicators[ind.id].target
    standings = rank_areas(ind, target)
    years = sorted({y for series in ind.by_area.values() for y in series}, reverse=True)
    shown = years[:RECENT_YEARS]
    parts: list[str] = []
    latest = latest_area_year(ind)
    if is_mapped(e, ind) and latest is not None:
        classes = indicator_classes(ind)
        by_year = {y: {a: s[y] for a, s in ind.by_area.items() if y in s} for y in years}
        spec, styles = area_map_spec(e.geometry, area_names(e), by_year, classes, ind.unit, latest)
        chart_id = f"map-{ind.id}"
        options = "".join(f'<option value="{y}"{" selected" if y == latest else ""}>{y}年</option>' for y in years)
        parts += [
            f'<div class="ck-map-controls"><label for="year-{attr(ind.id)}">地图年份</label> '
            f'<select id="year-{attr(ind.id)}" class="ck-map-year" data-target="{attr(chart_id)}" '
            f'data-caption="map-year-{attr(ind.id)}">{options}</select></div>', "",
            embed(chart_id, spec, f"分区地图：{ind.name}各区数值，颜色越深数值越大，数据见下表"),
            f'<script type="application/json" class="ck-map-years" data-target="{attr(chart_id)}">'
            f"{script_json(styles)}</script>", "",
            _legend(classes), "",
            f'地图为 <span id="map-year-{attr(ind.id)}">{latest}</span> 年各区数值'
            f"（{_direction_note(ind)}）。分级在各年相同，换年份时颜色的变化就是分级的变化。"
            f"边界为示意，只用于展示分区数据。{link('下载地图（SVG）', page, map_file_path(ind.id))}", "",
        ]
    order = {s.area: s for s in standings}
    areas = sorted(ind.by_area, key=lambda a: (order[a].rank if a in order else 10**6, a))
    rows = []
    for area in areas:
        standing = order.get(area)
        series = ind.by_area[area]
        rows.append([
            f"{standing.rank}/{standing.ranked}" if standing else DASH,
            area_link(e, page, area),
            *(quantity(series.get(y), ind.unit) for y in shown),
            ("各区合计" if standing.city_is_total else _signed(standing.gap_to_city, ind)) if standing else DASH,
            badge("warning", "薄弱地区") if standing and standing.weakest else DASH,
        ])
    head = ["排名", "区域", *(f"{y}年" for y in shown), f"与全市差距（{latest}年）", "薄弱"]
    note = "" if len(shown) == len(years) else f"表中列出最近 {RECENT_YEARS} 年；各年分区数据见数据下载。"
    parts += [f"按 {latest} 年数值排名（{_direction_note(ind)}），最新年份在前。{note}", "",
              table(head, rows, align="rl" + "r" * (len(shown) + 1) + "l", searchable=False)]
    return "\n".join(parts)


def _legend(classes: list[MapClass]) -> str:
    items = "".join(f'<li><span class="ck-swatch" style="background:{c.colour}"></span>{text(c.label)}</li>'
                    for c in classes)
    return f'<ul class="ck-map-legend" aria-label="图例：颜色分级">{items}</ul>'


def _direction_note(ind: Indicator) -> str:
    return {"higher_is_better": "越大越好", "lower_is_better": "越小越好"}.get(ind.direction, "越接近目标区间越好")


def _signed(value: float | None, ind: Indicator) -> str:
    """Write a gap with its sign, at the indicator's decimals."""
    if value is None:
        return DASH
    places = indicator_decimals(ind)
    shown = rounded(value, places) or 0.0
    return ("+" if shown > 0 else "") + quantity(shown, ind.unit, places)


# -- maps as files --------------------------------------------------------------------------
def map_files(site: SiteData) -> dict[str, bytes]:
    """Draw a static SVG of every indicator map and of the areas, for print and sharing."""
    return {map_file_path(name): svg.encode() for name, svg in edition_maps(site.latest.edition).items()}


# -- the area pages -------------------------------------------------------------------------
def area_pages(site: SiteData) -> list[Page]:
    """Write the areas index (with the overview map) and one page per area of the latest edition."""
    view = site.latest
    e = view.edition
    standings = _standings(view)
    pages = [_areas_index(view, standings)]
    for area in e.areas:
        pages.append(_area_page(view, area.id, [s for s in standings if s.area == area.id]))
    return pages


def _standings(view: EditionView) -> list[AreaStanding]:
    out = []
    for ind in view.edition.indicators.values():
        out += rank_areas(ind, view.assessment.indicators[ind.id].target)
    return out


def _places(records: Iterable[_Placed], area: str) -> list[_Placed]:
    return [r for r in records if area in r.areas]


def _areas_index(view: EditionView, standings: list[AreaStanding]) -> Page:
    e = view.edition
    page = AREAS_INDEX
    md = [front_matter("我的区", description=f"{e.city}各区的指标排名、任务、问题和责任规划师"), "# 我的区", "",
          f"选择您所在的区，查看它在各项指标上的数值和排名、在这个区实施的任务、发现的问题和服务街道的责任规划师"
          f"（{view.year} 年度版）。", ""]
    if e.geometry:
        links = {a.id: f"{a.id}/" for a in e.areas}  # the page's own URL is areas/
        # Drawn narrow: the labels then stay legible when a phone scales the drawing down.
        svg = area_map_svg(e.geometry, area_names(e), {}, [], title=f"{e.city}各区（点击进入）", links=links,
                           width=OVERVIEW_WIDTH)
        md += ['<div class="ck-overview-map">', svg.replace("ck-map-title", "ck-overview-title").strip(), "</div>",
               "", f"{link('下载这张图（SVG）', page, map_file_path('areas'))}", ""]
    rows = []
    for area in e.areas:
        mine = [s for s in standings if s.area == area.id]
        rows.append([area_link(e, page, area.id), num(area.population) if area.population is not None else DASH,
                     num(len(mine)), num(sum(s.rank == 1 for s in mine)), num(sum(s.weakest for s in mine)),
                     num(len(_places(e.tasks.values(), area.id))), num(len(_places(e.problems.values(), area.id))),
                     num(sum(p.area == area.id for p in e.planners))])
    md += [table(["区", "常住人口（万人）", "有分区数据的指标", "排名第一", "薄弱地区", "任务", "问题", "责任规划师"],
                 rows, align="lrrrrrrr"), "",
           "“薄弱地区”指这个区在该指标上排在各区最后；排名按指标方向（越大越好或越小越好）计算。", "",
           provenance(page, view.label, Source(files=tuple(
               view.repo_path(f"{e.folder}/{name}") for name in ("edition.yaml", "areas.geojson")
               if name != "areas.geojson" or e.geometry))), ""]
    return Page(page, "\n".join(md))


def _area_page(view: EditionView, area_id: str, mine: list[AreaStanding]) -> Page:
    e, a = view.edition, view.assessment
    area = next(x for x in e.areas if x.id == area_id)
    page = area_page_path(area_id)
    weak = [s for s in mine if s.weakest]
    md = [front_matter(area.name, description=f"{area.name}的指标排名、任务、问题和责任规划师"),
          f"# {text(area.name)}", ""]
    facts = [f"{view.year} 年度版"]
    if area.population is not None:
        facts.append(f"常住人口 {num(area.population)} 万人")
    facts += [f"有分区数据的指标 {len(mine)} 项", f"排名第一 {sum(s.rank == 1 for s in mine)} 项",
              f"薄弱地区 {len(weak)} 项"]
    md += [" · ".join(facts), ""]
    if weak:
        named = "、".join(link(text(e.indicators[s.indicator].name), page, indicator_page_path(s.indicator))
                         for s in weak[:AREA_WEAK_NAMED])
        more = f"等 {len(weak)} 项" if len(weak) > AREA_WEAK_NAMED else ""
        md += [f"在这些指标上排在各区最后（薄弱地区）：{named}{more}。", ""]
    if mine:
        rows = []
        ranking = f"downloads/{view.year}/indicator_area_ranking.csv"
        shown = sorted(mine, key=lambda s: (not s.weakest, s.indicator))[:AREA_INDICATOR_ROWS]
        for s in shown:
            ind = e.indicators[s.indicator]
            own = ind.target_for(s.year, area_id) if area_id in ind.area_targets else None
            target = own or a.indicators[ind.id].target
            rows.append([
                link(f"{text(ind.id)} {text(ind.name)}", page, indicator_page_path(ind.id)), str(s.year),
                quantity(s.value, ind.unit), f"{s.rank}/{s.ranked}", quantity(s.city_value, ind.unit),
                "全市为各区合计" if s.city_is_total else _signed(s.gap_to_city, ind),
                (text(target_with_year(target, ind.unit)) + ("（本区）" if own else "（全市）")) if target else DASH,
                DASH if s.city_is_total and not own else _signed(gap_to_target(target, s.value), ind),
                badge("warning", "薄弱地区") if s.weakest else DASH])
        md += [f"## 分区指标{QUIET}", "",
               "排名按指标方向计算，1 为最好。与目标差距：达到或好于目标为 0 或正数，负数为尚差多少；"
               "规划为本区定了目标的按本区目标，否则按全市目标。", ""]
        if len(mine) > len(shown):  # a page a phone can open: the whole ranking is a download
            md += [f"本区有分区数据的指标共 {len(mine)} 项，这里列出 {len(shown)} 项（薄弱地区在前）；"
                   f"全部排名见{link('指标分区排名（CSV）', page, ranking)}，可按区筛选。", ""]
        md += [table(["指标", "年份", "本区数值", "排名", "全市数值", "与全市差距", "规划目标", "与目标差距", "薄弱"],
                     rows, align="lrrrrrlrl", searchable=False), ""]
    tasks = _places(e.tasks.values(), area_id)
    md += ["## 在本区实施的任务", ""]
    if tasks:
        md += [table(["序号", "任务", "街道", "进度"], [
            [str(t.number), _at(view, page, t.id, text(t.title)), text("、".join(t.streets)) if t.streets else DASH,
             badge(a.tasks[t.id].pace, a.tasks[t.id].label())] for t in tasks], align="rlll"), ""]
    else:
        md += ["本年度没有标注在本区的任务。", ""]
    problems = _places(e.problems.values(), area_id)
    md += ["## 涉及本区的问题", ""]
    if problems:
        md += [table(["问题", "发现年度", "街道", "状态"], [
            [_at(view, page, p.id, text(p.title)), str(p.found_in),
             text("、".join(p.streets)) if p.streets else DASH,
             badge(a.problems[p.id].state, a.problems[p.id].label())] for p in problems],
            align="lrll"), ""]
    else:
        md += ["问题清单中没有标注在本区的问题。", ""]
    planners = [p for p in e.planners if p.area == area_id]
    md += ["## 责任规划师", ""]
    if planners:
        rows = []
        for p in planners:
            ev = p.evaluation(e.year)
            rows.append([link(text(p.name), page, planner_page_path(p.id)), text(p.street),
                         text(SELECTION_LABELS.get(p.selection or "", None)), days_cell(ev),
                         grade_label(ev.grade if ev else None), grade_label(ev.support_grade if ev else None),
                         text(ev.report_date) if ev and ev.report_date else "未公开"])
        md += [table(["责任规划师", "负责街道", "选聘方式", f"{e.year}年在街道工作天数", "履职评估（街道评）",
                      "绩效评价（评部门支持）", "述职报告"], rows, align="llllll"), "",
               f"各项是否公开见{link('责任规划师信息公开情况', page, DISCLOSURE_PAGE)}。", ""]
    else:
        md += ["本区没有登记责任规划师。", ""]
    md += [link("全部区", page, AREAS_INDEX), "",
           provenance(page, view.label, Source(files=(view.repo_path(f"{e.folder}/edition.yaml"),
                                                      view.repo_path(f"{e.folder}/departments.yaml")),
                                               folders=((f"data/{view.year}/indicators/", len(e.indicators)),))),
           ""]
    return Page(page, "\n".join(md))


def _at(view: EditionView, page: str, record_id: str, label: str) -> str:
    where = view.locate(record_id)
    return link(label, page, where) if where else label
