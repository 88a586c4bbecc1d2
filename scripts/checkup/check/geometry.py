"""Check the areas' boundaries (areas.geojson) once the schema has passed: rings, coordinates, ids.

The checks are the cheap ones that catch what goes wrong when a boundary is
exported by hand: a ring left open or cut short, projected metres in place of
degrees, a ring that crosses itself, a feature for an area the edition does not
list, an area with no feature. Winding is not a finding: the model turns rings
the way RFC 7946 asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import feature_polygons

GEOMETRY_FILE = "areas.geojson"
MIN_RING_POINTS = 4  # a triangle and the point that closes it
# Crossing edges are found by comparing every pair of edges of a ring; above this many points
# that costs more than the rest of the check, and boundaries that large come from GIS software,
# which does not produce self-crossing rings by mistake the way hand editing does.
MAX_RING_POINTS_CHECKED = 400
LON_RANGE, LAT_RANGE = (-180.0, 180.0), (-90.0, 90.0)  # WGS 84 degrees (RFC 7946)

Add = Callable[..., None]


def check_geometry(value: dict[str, Any], areas: dict[str, tuple[int, str]], add: Add) -> None:
    """Report every fault of a schema-valid FeatureCollection; `areas` maps area ids to (index, name)."""
    covered: set[str] = set()
    for i, feature in enumerate(value["features"]):
        area = feature["properties"]["id"]
        covered.add(area)
        if area not in areas:
            add("geometry-unknown-area", GEOMETRY_FILE, ("features", i, "properties", "id"), id=area,
                allowed="、".join(sorted(areas)))
        geometry = feature["geometry"]
        multi = geometry["type"] == "MultiPolygon"
        for j, rings in enumerate(feature_polygons(geometry)):
            for k, ring in enumerate(rings):
                path = ("features", i, "geometry", "coordinates", *((j,) if multi else ()), k)
                _check_ring(ring, path, add)
    for area, (index, name) in areas.items():
        if area not in covered:
            add("area-geometry-missing", "edition.yaml", ("areas", index, "id"), id=area, area_name=name)


def _check_ring(ring: list[list[float]], path: tuple[str | int, ...], add: Add) -> None:
    for n, point in enumerate(ring):
        lon, lat = point[0], point[1]
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            add("geometry-out-of-range", GEOMETRY_FILE, (*path, n), point=_show(point))
            return  # one point is enough: the rest of the ring is in the same units
    if len(ring) < MIN_RING_POINTS:
        add("geometry-too-few-points", GEOMETRY_FILE, path, count=len(ring))
        return
    if list(ring[0][:2]) != list(ring[-1][:2]):
        add("geometry-ring-open", GEOMETRY_FILE, (*path, len(ring) - 1), first=_show(ring[0]),
            last=_show(ring[-1]))
        return
    if len(ring) <= MAX_RING_POINTS_CHECKED:
        crossing = _first_crossing(ring)
        if crossing:
            add("geometry-self-intersection", GEOMETRY_FILE, (*path, crossing[0]), a=crossing[0] + 1,
                b=crossing[1] + 1)


def _show(point: list[float]) -> str:
    return "[" + ", ".join(str(v) for v in point) + "]"


def _first_crossing(ring: list[list[float]]) -> tuple[int, int] | None:
    """Return the first pair of non-adjacent edges of a closed ring that touch or cross."""
    edges = [((a[0], a[1]), (b[0], b[1])) for a, b in zip(ring, ring[1:], strict=False)]
    boxes = [(min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1])) for p, q in edges]
    last = len(edges) - 1
    for i in range(len(edges)):
        x0, x1, y0, y1 = boxes[i]
        for j in range(i + 2, len(edges)):
            if i == 0 and j == last:
                continue  # the first and last edges meet at the closing point
            u0, u1, v0, v1 = boxes[j]
            if u0 > x1 or u1 < x0 or v0 > y1 or v1 < y0:
                continue
            if _segments_meet(*edges[i], *edges[j]):
                return i, j
    return None


def _orient(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _segments_meet(p: tuple[float, float], q: tuple[float, float],
                   r: tuple[float, float], s: tuple[float, float]) -> bool:
    d1, d2, d3, d4 = _orient(r, s, p), _orient(r, s, q), _orient(p, q, r), _orient(p, q, s)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True

    def on(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> bool:
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    return ((d1 == 0 and on(r, s, p)) or (d2 == 0 and on(r, s, q)) or (d3 == 0 and on(p, q, r))
            or (d4 == 0 and on(p, q, s)))
