"""The clerks' reference pages, generated so they cannot drift: the fields (from the schemas) and the codes.

`fields_markdown` lists every field of every data file with the schema's own
title, description and examples; `codes_markdown` lists every finding code
with its message and hint, placeholders shown as 〈字段〉. The site includes
both as guide/fields.md and guide/codes.md.
"""

from __future__ import annotations

import string
from typing import Any

from .. import paths
from ..check.schema import SCHEMA_NAMES, load_schema
from ..findings import CODES
from .fmt import needs_quotes

# Every schema a clerk writes to: the data files, and the front matter of the report's chapters.
REFERENCE_SCHEMAS = (*SCHEMA_NAMES, "chapter")
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
TYPE_LABELS = {"string": "文字", "number": "数字", "integer": "整数", "boolean": "true 或 false"}

# What each placeholder of the message templates stands for, in the clerk's words.
PLACEHOLDER_NAMES = {
    "a": "一条边的序号", "area_name": "区域名称", "b": "另一条边的序号", "days": "天数",
    "first": "第一个点", "last": "最后一个点", "least": "规定的最少天数", "point": "坐标",
    "actual": "实际内容", "allowed": "可选值", "area": "区域", "base": "基期年", "bound": "范围",
    "byte": "字节", "category": "字符的类别", "cell": "单元格", "char": "字符的码位", "count": "数量",
    "edition": "版本年度", "end": "完成年份",
    "expected": "应有的写法", "extra": "补充提示", "field": "字段名", "folder": "文件夹名",
    "formula": "公式", "length": "字符数", "measure": "超限的大小", "parts": "链接部件", "sheet": "工作表",
    "found": "发现年度", "group": "分组", "heading": "列名", "high": "上限", "id": "编号",
    "key": "字段名", "kind": "记录类别", "limit": "上限", "low": "下限", "minimum": "最少份数",
    "name": "文件名", "new": "新值", "old": "原值", "other": "另一处", "present": "已写的形式",
    "reason": "原因", "ref": "引用", "size": "文件大小", "start": "开始年份", "stem": "文件名", "tag": "标签",
    "target": "目标年", "title": "字段", "total": "合计", "value": "值", "what": "填写的内容",
    "year": "年份", "before": "上期累计", "cumulative": "累计完成量", "done": "全年完成量",
    "example": "示例写法", "frequency": "报告频率", "period": "报告期", "previous": "上一报告期",
}

GROUP_INTROS = {
    "文件": "文件本身读不出来：不存在、太大、编码不对或是空的。",
    "格式": "文件不是正确的 YAML：缩进、冒号、引号或括号有误。",
    "结构": "版本文件夹里的文件不全、多余，或文件名与内容不符。",
    "字段": "字段缺少、多余，或填写的值类型、格式、范围不对。",
    "引用": "引用的部门、指标、任务、问题或区域不存在。",
    "正文": "年度报告章节（report/ 下的 Markdown 文件）正文中用 {{…}} 写的引用无法解析。",
    "内容": "各项数据单独看没错，合在一起却说不通。",
    "报告期": "年内进展（季度进展、半年总结）和年内数值的报告期写法、先后或范围不对，或与全年数据矛盾。",
    "发布": "已发布的版本被改动，或修订的数值没有说明。",
    "表格": "用 checkup import 导入填报表时发现的问题；位置写成“工作表!列行”，例如 指标数据采集表!M5。",
}


def fields_markdown() -> str:
    """Render the field reference of every data file from the schemas."""
    out = [
        "# 数据字段说明",
        "",
        "本页由 schemas/ 中的数据规范自动生成，列出每种数据文件的全部字段。"
        "“必填”的字段不能省略；示例按数据文件的写法给出。",
    ]
    for name in REFERENCE_SCHEMAS:
        schema = load_schema(name)
        out += ["", f"## {schema.get('title', name)}（{_file_of(name)}）", ""]
        if schema.get("description"):
            out += [schema["description"], ""]
        out += _object_tables(schema, schema, "", {})
    return "\n".join(out).rstrip("\n") + "\n"


def codes_markdown() -> str:
    """Render every finding code, grouped, with its severity, message and hint."""
    out = [
        "# 检查结果代码",
        "",
        "checkup validate（检查数据）和 checkup import（导入填报表）报告的每一条错误或警告都有一个代码。"
        "“错误”必须改正，数据才能发布；“警告”请核对，确认无误可以保留。"
        "〈 〉中的内容在实际消息里会换成具体的值。",
    ]
    groups: dict[str, list[str]] = {}
    for code, entry in CODES.items():
        groups.setdefault(entry.group, []).append(code)
    for group, codes in groups.items():
        out += ["", f"## {group}", ""]
        if group in GROUP_INTROS:
            out += [GROUP_INTROS[group], ""]
        out += ["| 代码 | 级别 | 说明 | 修改方法 |", "| --- | --- | --- | --- |"]
        for code in codes:
            entry = CODES[code]
            out.append(f"| `{code}` | {SEVERITY_LABELS.get(entry.severity, entry.severity)} | "
                       f"{_cell(readable_template(entry.message))} | {_cell(readable_template(entry.hint))} |")
    return "\n".join(out) + "\n"


def readable_template(template: str) -> str:
    """Show a message template with its placeholders named in Chinese: {title} -> 〈字段〉."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(f"〈{PLACEHOLDER_NAMES.get(name, name)}〉")
    return "".join(parts)


def placeholders(template: str) -> set[str]:
    """Return the placeholder names of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _file_of(name: str) -> str:
    if name == "chapter":
        return "report/general/ 或 report/special/ 下每个 .md 文件开头的 --- 之间"
    for file, kind in paths.SINGLE_FILES.items():
        if kind == name:
            return file
    folder = next(f for f, kind in paths.RECORD_FOLDERS.items() if kind == name)
    return f"{folder}/编号.yaml"


def _object_tables(node: dict[str, Any], root: dict[str, Any], where: str, seen: dict[str, str]) -> list[str]:
    """Render the table of an object's fields, then one section for each nested object."""
    props: dict[str, Any] = node.get("properties", {})
    required = set(node.get("required", ()))
    out = ["| 字段 | 名称 | 类型 | 必填 | 说明 | 示例 |", "| --- | --- | --- | --- | --- | --- |"]
    nested = []
    for key, raw in props.items():
        prop = _resolve(root, raw)
        out.append(f"| `{key}` | {_cell(prop.get('title', key))} | {_type_label(prop, root)} | "
                   f"{'必填' if key in required else ''} | {_cell(_describe(prop))} | "
                   f"{_cell('；'.join(f'`{_inline(e)}`' for e in prop.get('examples', ())))} |")
        inner, label = _nested(raw, prop, root)
        if inner is not None:
            nested.append((key, prop, inner, label))
    for key, prop, inner, label in nested:
        path = f"{where}{key}"
        out += ["", f"### {path}{label}：{prop.get('title') or inner.get('title') or key}", ""]
        ref = _ref_of(prop)
        if ref in seen:  # the same definition used twice (survey sample groups): say so once
            out.append(f"字段同 {seen[ref]}。")
            continue
        if ref:
            seen[ref] = f"{path}{label}"
        if inner.get("description") and inner is not prop:
            out += [inner["description"], ""]
        out += _object_tables(inner, root, f"{path}.", seen)
    return out


def _nested(raw: Any, prop: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    if prop.get("properties"):
        return prop, ""
    if prop.get("type") == "array":
        items = _resolve(root, prop.get("items", {}))
        if items.get("properties"):
            return items, " 的每一项"
    return None, ""


def _ref_of(prop: dict[str, Any]) -> str | None:
    items = prop.get("items")
    if isinstance(items, dict) and isinstance(items.get("$ref"), str):
        return items["$ref"]
    return None


def _type_label(prop: dict[str, Any], root: dict[str, Any]) -> str:
    if "enum" in prop:
        return "选项"
    kind = prop.get("type")
    if kind == "array":
        items = _resolve(root, prop.get("items", {}))
        inner = "记录" if items.get("properties") else _type_label(items, root)
        return f"{inner}的列表"
    if kind == "object":
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict) and not prop.get("properties"):
            values = _resolve(root, extra)
            return "逐年数值" if values.get("type") == "number" else f"按编号的{_type_label(values, root)}"
        return "若干字段（见下表）"
    if prop.get("format") == "date":
        return "日期"
    return TYPE_LABELS.get(str(kind), "文字")


def _describe(prop: dict[str, Any]) -> str:
    text = prop.get("description", "")
    if "enum" in prop:
        text += ("" if not text else " ") + "可选：" + "、".join(f"`{v}`" for v in prop["enum"])
    return text


def _inline(value: Any) -> str:
    """Write an example the way a data file writes it, on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if needs_quotes(value) else value
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _resolve(root: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        target = root["$defs"][node["$ref"][len("#/$defs/"):]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}
