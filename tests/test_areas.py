"""Places: the areas' boundaries as read and checked, the ranking of areas, their maps and pages."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from checkup import paths
from checkup.assess import assess_edition
from checkup.check.geometry import _first_crossing
from checkup.check.validate import check_data
from checkup.model import Indicator, Target, build_geometry, ring_area
from checkup.read.jsonio import parse_json
from checkup.site.arearank import gap_to_target, rank_areas
from checkup.site.downloads import edition_files, edition_tables
from checkup.site.maps import INK, PALETTE, area_map_spec, area_map_svg, class_of, map_classes
from checkup.site.render import render_docs

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


@pytest.fixture(scope="module")
def edition():
    return check_data(paths.DATA_DIR).editions[2023]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    render_docs(paths.DATA_DIR, out)
    return out


# -- reading and checking the boundaries ----------------------------------------------------
@pytest.mark.parametrize(("text", "code"), [
    ('{"a": 1, "a": 2}', "duplicate-key"),
    ('{"a": NaN}', "json-syntax"),
    ('{"a": Infinity}', "json-syntax"),
    ('{"a": [1, 2,]}', "json-syntax"),
    ('{"a": 1} {"b": 2}', "json-syntax"),
    ("[" * 40 + "]" * 40, "too-deep"),
])
def test_json_that_python_would_accept_or_retype_is_a_finding(text: str, code: str) -> None:
    doc = parse_json(text, "areas.geojson")
    assert [f.code for f in doc.findings] == [code]
    assert doc.value is None


@pytest.mark.parametrize(("ring", "crossing"), [
    (SQUARE, None),
    ([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]], (0, 2)),  # a bow tie
    ([[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]], (0, 2)),  # a spike back onto the first edge
    ([[0, 0], [4, 0], [4, 4], [2, 4], [2, 2], [2, 4], [0, 4], [0, 0]], (2, 4)),  # a line that doubles back
    ([[0, 0], [3, 0], [3, 3], [0, 3], [1, 1], [0, 0]], None),  # concave but simple
])
def test_crossing_edges_are_found_and_simple_rings_pass(ring: list[list[float]],
                                                        crossing: tuple[int, int] | None) -> None:
    assert _first_crossing(ring) == crossing


def test_rings_are_turned_the_way_rfc_7946_asks_whatever_the_file_does() -> None:
    clockwise = SQUARE[::-1]
    hole = [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8], [0.2, 0.2]]  # counter-clockwise: wrong for a hole
    raw = {"features": [{"properties": {"id": "a"},
                         "geometry": {"type": "Polygon", "coordinates": [clockwise, hole]}}]}
    (outer, inner), = build_geometry(raw)["a"]
    assert ring_area(outer) > 0 > ring_area(inner)


def test_the_example_city_has_five_areas_each_with_a_boundary(edition) -> None:
    assert [a.id for a in edition.areas] == ["donghu", "xishan", "nanhe", "beicheng", "gaoxin"]
    assert set(edition.geometry) == {a.id for a in edition.areas}
    assert "示例数据" in edition.geometry_note
    assert sum(bool(i.by_area) for i in edition.indicators.values()) >= 10
    assert sum(bool(t.areas) for t in edition.tasks.values()) >= 5
    assert sum(bool(p.areas) for p in edition.problems.values()) >= 3


def test_every_planner_discloses_a_full_year_and_one_worked_fewer_than_30_days(edition) -> None:
    year = edition.year
    for planner in edition.planners:
        ev = planner.evaluation(year)
        assert planner.selection and ev and ev.days is not None and ev.support_grade and ev.report_date, planner.id
    assert [p.id for p in edition.planners if p.evaluation(year).days < 30] == ["GHS-04"]


# -- ranking --------------------------------------------------------------------------------
def _indicator(direction: str, by_area: dict[str, float], city: float | None = None) -> Indicator:
    return Indicator(id="T-01", name="测试", category="安全", subcategory="测试", unit="%", definition="",
                     direction=direction, kind="expected", base_year=2020, base_value=1.0,
                     values={2023: city} if city is not None else {}, targets=(), data_source="", collection_method="",
                     department="GHZY", file="", by_area={a: {2023: v} for a, v in by_area.items()})


@pytest.mark.parametrize(("direction", "target", "values", "ranks", "weakest"), [
    ("higher_is_better", None, {"a": 3, "b": 1, "c": 2}, {"a": 1, "c": 2, "b": 3}, {"b"}),
    ("lower_is_better", None, {"a": 3, "b": 1, "c": 2}, {"b": 1, "c": 2, "a": 3}, {"a"}),
    ("higher_is_better", None, {"a": 2, "b": 1, "c": 1}, {"a": 1, "b": 2, "c": 2}, {"b", "c"}),  # ties share
    ("higher_is_better", None, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 1}, set()),  # all equal: none weak
    ("higher_is_better", None, {"a": 2, "b": 1}, {"a": 1, "b": 2}, set()),  # two areas: no "weakest"
    ("within_range", Target(year=2025, between=(5, 8)), {"a": 6, "b": 9, "c": 3},
     {"a": 1, "b": 2, "c": 3}, {"c"}),  # distance to the range
])
def test_areas_are_ranked_by_the_indicators_direction(direction, target, values, ranks, weakest) -> None:
    standings = rank_areas(_indicator(direction, values), target)
    assert {s.area: s.rank for s in standings} == ranks
    assert {s.area for s in standings if s.weakest} == weakest


def test_a_city_total_gives_no_gap_between_an_area_and_the_city() -> None:
    assert [s.gap_to_city for s in rank_areas(_indicator("higher_is_better", {"a": 3, "b": 1}, 4.0), None)] \
        == [None, None]
    assert [s.gap_to_city for s in rank_areas(_indicator("higher_is_better", {"a": 3, "b": 1}, 2.0), None)] \
        == [1.0, -1.0]


@pytest.mark.parametrize(("target", "value", "gap"), [
    (Target(year=2025, at_least=85), 80, -5),
    (Target(year=2025, at_least=85), 90, 5),
    (Target(year=2025, at_most=10), 12, -2),
    (Target(year=2025, between=(5, 8)), 6, 0),
    (Target(year=2025, between=(5, 8)), 4, -1),
    (Target(year=2025, between=(5, 8)), 9, 1),
    (Target(year=2025, trend="increase"), 9, None),
    (None, 9, None),
])
def test_gap_to_target_is_negative_while_short_of_it(target, value, gap) -> None:
    assert gap_to_target(target, value) == gap


# -- maps -----------------------------------------------------------------------------------
def test_classes_cover_every_value_and_the_darkest_is_the_highest() -> None:
    values = [70.2, 74.0, 78.3, 80.6, 86.4]
    classes = map_classes(values, "%")
    assert len(classes) == 4 and classes[-1].colour == PALETTE[-1] and classes[-1].ink == INK[-1]
    assert [class_of(classes, v).colour for v in (70.2, 86.4)] == [PALETTE[0], PALETTE[-1]]
    assert [c.label for c in classes] == ["70.2–74.2%（不含）", "74.2–78.3%（不含）", "78.3–82.4%（不含）", "82.4–86.4%"]
    assert len(map_classes([5, 5, 5])) == 1 and map_classes([]) == []


def test_the_static_map_is_one_self_contained_svg_with_a_shape_per_area(edition) -> None:
    ind = edition.indicators["GX-02"]
    values = {a: s[2023] for a, s in ind.by_area.items()}
    names = {a.id: a.name for a in edition.areas}
    svg = area_map_svg(edition.geometry, names, values, map_classes(list(values.values()), "%"), title="地图<测试>")
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    assert svg.count("<path ") == 5 and "地图&lt;测试&gt;" in svg
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", svg)  # nothing outside the site
    assert all(name in svg for name in names.values())


def test_the_interactive_map_carries_every_years_colours(edition) -> None:
    ind = edition.indicators["GX-02"]
    years = {y: {a: s[y] for a, s in ind.by_area.items()} for y in (2020, 2023)}
    spec, styles = area_map_spec(edition.geometry, {a.id: a.name for a in edition.areas}, years,
                                 map_classes([v for y in years.values() for v in y.values()]), "%", 2023)
    assert [t["type"] for t in spec["data"]] == ["scatter"] * 6  # plotly.js-basic: no geo traces
    assert styles["2020"]["fill"] != styles["2023"]["fill"]
    assert [t["fillcolor"] for t in spec["data"][:5]] == styles["2023"]["fill"]


# -- pages and downloads ----------------------------------------------------------------------
def test_an_area_page_shows_ranks_weakest_flags_tasks_problems_and_planners(docs: Path) -> None:
    page = (docs / "areas/nanhe.md").read_text("utf-8")
    assert "| [GX-06 轨道交通站点800米半径服务覆盖率](../indicators/GX-06.md) | 2023 | 27.2% | 5/5 | 36.7% | -9.5% |" \
        in page
    assert "全市为各区合计" in page  # population: the city is the sum of its areas
    assert "实施城市内涝积水点治理" in page and "## 涉及本区的问题" in page
    assert "[张磊](../planners/GHS-04.md) | 南河街道 | 定向委托 | 26 天 " in page


def test_an_area_with_many_indicators_lists_the_weakest_first_and_links_the_whole_ranking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkup.site.pages import areas

    monkeypatch.setattr(areas, "AREA_INDICATOR_ROWS", 3)
    monkeypatch.setattr(areas, "AREA_WEAK_NAMED", 1)
    render_docs(paths.DATA_DIR, tmp_path)
    page = (tmp_path / "areas/nanhe.md").read_text("utf-8")
    table = page[page.index("## 分区指标"):page.index("## 在本区实施的任务")]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    assert len(rows) == 3 and "薄弱地区" in rows[0]
    total = re.search(r"本区有分区数据的指标共 (\d+) 项，这里列出 3 项（薄弱地区在前）", table)
    assert total and int(total.group(1)) > 3
    assert "[指标分区排名（CSV）](../downloads/2023/indicator_area_ranking.csv)" in table
    with (tmp_path / "downloads/2023/indicator_area_ranking.csv").open(encoding="utf-8-sig") as f:
        assert sum(1 for row in csv.reader(f) if "南河区" in row) == int(total.group(1))
    weak = re.search(r"在这些指标上排在各区最后（薄弱地区）：\[[^]]+\]\([^)]+\)等 (\d+) 项。", page)
    assert weak and int(weak.group(1)) > 1


def test_the_home_page_links_every_area_and_area_mentions_link_their_page(docs: Path, edition) -> None:
    home = (docs / "index.md").read_text("utf-8")
    assert all(f"[{a.name}](areas/{a.id}.md)" in home for a in edition.areas)
    assert "[东湖区](../areas/donghu.md)" in (docs / "indicators/GX-02.md").read_text("utf-8")
    assert "[东湖区](areas/donghu.md)" in (docs / "planners.md").read_text("utf-8")


def test_the_indicator_table_by_area_is_ranked_with_the_latest_year_first(docs: Path) -> None:
    page = (docs / "indicators/GX-02.md").read_text("utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| ") and "/5 |" in line]
    assert [r.split(" | ")[0] for r in rows] == ["| 1/5", "| 2/5", "| 3/5", "| 4/5", "| 5/5"]
    assert "| 排名 | 区域 | 2023年 | 2022年 | 2021年 | 2020年 |" in page
    assert '<option value="2023" selected>2023年</option>' in page
    assert (docs / "maps/GX-02.svg").is_file()


def test_the_disclosure_page_names_what_is_missing_and_who_is_short_of_days(docs: Path) -> None:
    page = (docs / "planners/disclosure.md").read_text("utf-8")
    assert "2023 年在街道工作不足 30 个工作日：张磊（26 天）。" in page
    assert page.count("应公开的各项均已公开。") == 5


def test_the_data_package_ranks_the_areas_of_every_indicator_with_values_by_area(edition) -> None:
    tables = edition_tables(edition, assess_edition(edition))
    files = dict(edition_files(edition, assess_edition(edition), tables))
    package = json.loads(files["datapackage.json"])
    names = [r["name"] for r in package["resources"]]
    assert "indicator_area_values" in names and "indicator_area_ranking" in names
    assert "indicator_area_ranking.csv" in files
    ranking = next(t for t in tables if t.name == "indicator_area_ranking")
    names_of = [f[0] for f in ranking.fields]
    rows = [dict(zip(names_of, row, strict=True)) for row in ranking.rows]
    assert len({r["indicator_id"] for r in rows}) == sum(bool(i.by_area) for i in edition.indicators.values())
    assert {r["area_id"] for r in rows if r["indicator_id"] == "GX-02" and r["weakest"] is True} == {"donghu"}


def test_an_area_with_its_own_target_is_compared_with_it_and_the_others_with_the_citys() -> None:
    from checkup.model import build_indicator

    raw = {"id": "T-01", "name": "测试", "category": "绿色", "subcategory": "测试", "unit": "%", "definition": "测试",
           "direction": "higher_is_better", "kind": "expected", "base": {"year": 2020, "value": 70},
           "values": {"2023": 80}, "targets": [{"year": 2025, "at_least": 85}],
           "area_targets": {"donghu": [{"year": 2025, "at_least": 75}]},
           "data_source": "测试", "collection_method": "测试", "department": "GHZY"}
    ind = build_indicator(raw, "indicators/T-01.yaml")
    assert ind.target_for(2023, "donghu").at_least == 75
    assert ind.target_for(2023, "xishan").at_least == 85
    assert ind.target_for(2023).at_least == 85
