"""Check documents against the JSON Schemas and say what is wrong in a clerk's words.

The schemas in schemas/ are draft 2020-12 and use only keywords that mean the
same in draft 7, so two validators can share them: fastjsonschema (compiled to
Python, fast, but stops at the first error) says whether a document is valid,
and only for an invalid one does jsonschema (the reference implementation)
list every error. A test checks that both agree on every example.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .. import paths
from ..findings import Finding, finding, pointer_of
from ..read.memo import Memo
from ..read.yamlio import key_line, locate

SCHEMA_NAMES = ("edition", "departments", "indicator", "task", "problem", "survey", "corrections", "rules", "geometry")
_COMMON_REF = "common.schema.json#/$defs/"
_NUMBER = re.compile(r"[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?")
_DATE_LIKE = re.compile(r"[0-9]{4}[-/.年][0-9]{1,2}")
_TYPE_NAMES = {
    "string": "文字", "number": "数字", "integer": "整数", "boolean": " true 或 false",  # the space sets the Latin words apart after 应为/改为
    "array": "列表", "object": "若干“字段: 值”", "null": "空值",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return a schema with the shared definitions merged in, so it stands alone."""
    common = json.loads((paths.SCHEMA_DIR / "common.schema.json").read_text("utf-8"))["$defs"]
    schema = json.loads((paths.SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    merged = _rewrite_refs(schema)
    merged.setdefault("$defs", {}).update(_rewrite_refs(common))
    merged.pop("$id", None)
    return merged


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(_COMMON_REF):
            out["$ref"] = "#/$defs/" + ref[len(_COMMON_REF):]
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


@cache
def fast_validator(name: str) -> Callable[[Any], Any]:
    schema = dict(load_schema(name))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema)  # type: ignore[no-any-return]


@cache
def full_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=FormatChecker())


def is_valid(name: str, value: Any) -> bool:
    try:
        fast_validator(name)(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


# The findings of documents checked lately, by schema, file name and text (the value is parsed
# from the text): a rebuild under `mkdocs serve` checks again only the files that changed.
_CHECKED: Memo[list[Finding]] = Memo(50_000)


def check_document(name: str, value: Any, file: str, text: str) -> list[Finding]:
    """Return every schema finding of one document; none when it is valid."""
    return list(_CHECKED.get((name, file, text), lambda: _check_document(name, value, file, text)))


def _check_document(name: str, value: Any, file: str, text: str) -> list[Finding]:
    if is_valid(name, value):
        return []
    schema = load_schema(name)
    found: list[Finding] = []
    for error in full_validator(name).iter_errors(value):
        for item in _translate(error, schema, file, text):
            if item not in found:  # e.g. a date that breaks both its pattern and its format
                found.append(item)
    return found


def _translate(error: ValidationError, schema: dict[str, Any], file: str, text: str) -> list[Finding]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    title = field_title(schema, path)
    line, column = locate(text, path) or (None, None)
    at: dict[str, Any] = {"line": line, "column": column, "pointer": pointer_of(path)}
    instance = error.instance
    if keyword == "required":
        sub = error.schema if isinstance(error.schema, dict) else {}
        missing = [r for r in error.validator_value if r not in instance]
        return [finding("missing-field", file, line=line, column=column, pointer=pointer_of((*path, r)),
                        field=r, title=_prop_title(schema, sub.get("properties", {}).get(r, {}), r))
                for r in missing]
    if keyword == "additionalProperties":
        sub = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(sub.get("properties", {}))
        out = []
        for extra in sorted(k for k in instance if k not in allowed):
            pos = key_line(text, path, extra) or (line, column)
            out.append(finding("unknown-field", file, line=pos[0], column=pos[1],
                               pointer=pointer_of((*path, extra)), field=extra,
                               allowed="、".join(allowed)))
        return out
    if keyword == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return [finding("wrong-type", file, **at, title=title,
                        expected="或".join(_TYPE_NAMES.get(n, n) for n in names),
                        actual=_kind_of(instance), value=_show(instance),
                        extra=_type_hint(names, instance))]
    if keyword == "enum":
        return [finding("not-in-list", file, **at, title=title, value=_show(instance),
                        allowed=_allowed_values(error.schema, error.validator_value))]
    if keyword == "pattern" and list(error.relative_schema_path)[-2:-1] == ["propertyNames"]:
        parent = tuple(error.absolute_path)  # the error is about a key of this mapping
        pos = key_line(text, parent, instance) or (line, column)
        return [finding("bad-format", file, line=pos[0], column=pos[1], pointer=pointer_of((*parent, instance)),
                        title=title, value=_show(instance), expected=_format_hint(error.schema, keyword))]
    if keyword in ("pattern", "format"):
        return [finding("bad-format", file, **at, title=title, value=_show(instance),
                        expected=_format_hint(error.schema, keyword))]
    if keyword == "propertyNames":
        return [finding("bad-format", file, **at, title=title, value=_show(instance),
                        expected=_format_hint(error.schema.get("propertyNames", {}), "pattern"))]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        symbol = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
        return [finding("out-of-range", file, **at, title=title, value=_show(instance),
                        bound=f"应{symbol}{error.validator_value}")]
    if keyword in ("minLength", "minItems"):
        unit = "个字" if keyword == "minLength" else "项"
        return [finding("too-short", file, **at, title=title, bound=f"至少 {error.validator_value} {unit}")]
    if keyword == "maxItems":
        return [finding("too-long", file, **at, title=title, bound=f"至多 {error.validator_value} 项")]
    if keyword == "uniqueItems":
        return [finding("duplicate-item", file, **at, title=title)]
    if keyword == "oneOf":
        forms = [next(iter(branch["required"])) for branch in error.validator_value]
        present = "、".join(f for f in forms if isinstance(instance, dict) and f in instance) or "（都没写）"
        code = "answer-form" if "distribution" in forms else "target-form"
        return [finding(code, file, **at, present=present)]
    raise AssertionError(f"schema keyword without a message: {keyword}")  # a bug, not a data error


def field_title(schema: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """Name the field at a path by the nearest schema title, in Chinese."""
    node: Any = schema
    title = schema.get("title", "")
    suffix = ""
    for part in path:
        node = _resolve(schema, node)
        if isinstance(part, int):
            node = node.get("items", {})
            suffix = f"第 {part + 1} 项"
        elif part in node.get("properties", {}):
            node = node["properties"][part]
            suffix = ""
        elif "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
            node = node["additionalProperties"]
            suffix = f"{part}年" if str(part).isdigit() else str(part)
        else:
            return f"{title}（{part}）" if title else str(part)
        own = node.get("title") or _resolve(schema, node).get("title")
        if own:
            title, suffix = own, ""
    return f"{title} {suffix}".strip() if suffix else title or "文件"


def _prop_title(schema: dict[str, Any], prop: dict[str, Any], name: str) -> str:
    return str(prop.get("title") or _resolve(schema, prop).get("title") or name)


def _resolve(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
        resolved = schema["$defs"][node["$ref"][len("#/$defs/"):]]
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


def _allowed_values(sub: Any, values: list[Any]) -> str:
    """List the allowed codes, with their Chinese meanings when the schema gives them."""
    described = str(sub.get("description", "")) if isinstance(sub, dict) else ""
    if described and all(f"{v}（" in described for v in values):
        return described.rstrip("。")  # e.g. "binding（约束性）或 expected（预期性）"
    return "、".join(str(v) for v in values)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return " true/false 值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return "空值"


def _show(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _type_hint(expected: list[str], value: Any) -> str:
    if ("number" in expected or "integer" in expected) and isinstance(value, str):
        if _DATE_LIKE.match(value):
            return "这里写数字，不是日期；年份只写四位数字，例如 2023。"
        if _NUMBER.fullmatch(value) and math.isinf(float(value)):
            return "这个数大得超出了可以计算的范围；核对数值和单位。"
        return "数字不要加引号，也不要带单位或千分位逗号。"
    if "boolean" in expected and value is not None:
        return "是写 true，否写 false；不要写 yes、no、是、否。"
    if "array" in expected and isinstance(value, (str, int, float)):
        return "列表写成 [甲, 乙]；只有一项也要加方括号，例如 [甲]。"
    if "string" in expected and isinstance(value, (int, float, bool)):
        return "如果这就是要写的内容，请给它加上引号。"
    if "integer" in expected and isinstance(value, float):
        return "这里只能写整数。"
    if value is None:
        return "冒号后面不能空着。"
    return ""


def _format_hint(sub: Any, keyword: str) -> str:
    if not isinstance(sub, dict):
        return "按说明改正写法。"
    if sub.get("format") == "date" or "[0-9]{4}-[0-9]{2}-[0-9]{2}" in sub.get("pattern", ""):
        return "日期写成带引号的“年-月-日”，例如 \"2024-11-28\"。"
    if "(19|20)" in sub.get("pattern", ""):
        return "年份写成四位数字，例如 2023。"
    if sub.get("pattern") == "^[a-z][a-z0-9_]*$":
        return "只用小写字母、数字和下划线，例如 donghu。"
    if "A-Z" in sub.get("pattern", ""):
        return "编号只用大写字母、数字和连字符，例如 LS-03。"
    return str(sub.get("description") or "按说明改正写法。")
