"""Read JSON data files (the areas' GeoJSON) by the same rules as YAML: strict, bounded, findings not exceptions.

Python's json module accepts NaN and Infinity and keeps the last of two equal
keys; both would silently change a boundary, so both are findings here. JSON
has no links or references to follow, and nesting is bounded like YAML's.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..findings import Finding, finding
from .yamlio import MAX_DEPTH, Document

# A city's district boundaries, simplified for a web map, take tens of KB; every reader's
# browser downloads the file with each map page, so a file this large is a mistake
# (boundaries not simplified, or survey-grade detail) rather than data to publish.
MAX_GEOMETRY_BYTES = 2 * 1024 * 1024
# GeoJSON nests four levels of arrays inside a MultiPolygon's coordinates.
_GEOJSON_DEPTH = MAX_DEPTH


class _Bad(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail  # the duplicated key, or the reason for a syntax finding


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Bad("duplicate-key", key)
        out[key] = value
    return out


def _constant(name: str) -> float:
    raise _Bad("json-syntax", f"不允许写 {name}")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > _GEOJSON_DEPTH:
            return level
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def too_large_geometry(rel: str, size: int) -> Finding:
    return finding("geometry-too-large", rel, size=f"{math.ceil(size / 1024)}",
                   limit=f"{MAX_GEOMETRY_BYTES // 1024}")


def parse_json(text: str, rel: str) -> Document:
    """Parse JSON text strictly into a Document; a fault is a finding with its line and column."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        return Document(rel, None, (finding("json-syntax", rel, line=exc.lineno, column=exc.colno,
                                            reason=_REASONS.get(exc.msg, exc.msg)),))
    except _Bad as bad:
        found = (finding("duplicate-key", rel, key=bad.detail) if bad.code == "duplicate-key"
                 else finding("json-syntax", rel, reason=bad.detail))
        return Document(rel, None, (found,))
    except RecursionError:
        return Document(rel, None, (finding("too-deep", rel, limit=str(_GEOJSON_DEPTH)),))
    if _depth(value) > _GEOJSON_DEPTH:
        return Document(rel, None, (finding("too-deep", rel, limit=str(_GEOJSON_DEPTH)),))
    return Document(rel, value)


# json's messages, in a clerk's words.
_REASONS = {
    "Expecting value": "这里缺少一个值（可能多了逗号，或少了引号、括号）",
    "Expecting ',' delimiter": "这里缺少逗号",
    "Expecting ':' delimiter": "字段名后缺少冒号",
    "Expecting property name enclosed in double quotes": "字段名要用双引号括起来（也可能是最后一项后多了逗号）",
    "Extra data": "JSON 结束后还有多余的内容",
    "Unterminated string starting at": "引号没有成对",
    "Invalid control character at": "文字中有不可见的控制字符",
}
