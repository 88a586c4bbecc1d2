"""Read a report chapter: YAML front matter, a Markdown body, and the references in it.

A chapter file starts with front matter between two `---` lines (chapter, title,
domain, department) and goes on with plain Markdown. The body may cite generated
content by id with a reference a clerk can type, in double braces:

    {{指标:LS-03:数值}}      an indicator's latest value with its unit
    {{指标:LS-03:状态}}      its status word (已达标, 稳定, ...)
    {{指标:LS-03}}           its name, value, target and status as one row (a small table)
    {{指标:LS-03:图}}        its chart
    {{任务:RW-01:进度}}      a task's pace word
    {{任务清单:改善居住条件}}  the tasks of a section (any part of the section's name)
    {{满意度:总分}}          the survey's overall score; {{满意度:生活便利性}} one dimension's

Reading only finds the references; the check says whether each exists, and the
report resolves them at build time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .yamlio import Document, parse_text

FRONT_MATTER = "---"
# Full-width braces and colons are what a Chinese input method types: accept both.
REFERENCE = re.compile(r"[{｛]{2}\s*([^{}｛｝\n]*?)\s*[}｝]{2}")
_SEPARATOR = re.compile(r"\s*[:：]\s*")

# What each kind of reference may show, and the word a clerk writes for it.
INDICATOR_FIELDS = {"": "row", "名称": "name", "数值": "value", "单位": "unit", "状态": "status",
                    "目标": "target", "基期": "base", "说明": "reason", "图": "chart", "表": "row"}
TASK_FIELDS = {"": "title", "名称": "title", "进度": "pace", "完成量": "done", "说明": "reason"}
KINDS = ("指标", "任务", "任务清单", "满意度")


@dataclass(frozen=True)
class Reference:
    """One `{{...}}` in a chapter body."""

    text: str  # as written, braces included
    kind: str  # one of KINDS, or what was written there
    target: str  # an id, a section name or a survey dimension
    field: str  # the clerk's word for what to show ("" for the default)
    line: int  # in the file
    column: int


@dataclass(frozen=True)
class ChapterSource:
    """A chapter file split into its front matter (a parsed document) and its body."""

    front: Document
    front_text: str  # padded with blank lines so that line numbers are the file's
    body: str
    body_line: int  # the file line the body starts on


def split_chapter(text: str, shown: str) -> ChapterSource:
    """Split a chapter file; a file without front matter has an empty one (the schema says what is missing)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == FRONT_MATTER:
        for end in range(1, len(lines)):
            if lines[end].strip() == FRONT_MATTER:
                front_text = "\n" + "\n".join(lines[1:end]) + "\n"
                return ChapterSource(front=_parse_front(front_text, shown), front_text=front_text,
                                     body="\n".join(lines[end + 1:]), body_line=end + 2)
    return ChapterSource(front=Document(shown, {}), front_text="\n", body=text, body_line=1)


def _parse_front(front_text: str, shown: str) -> Document:
    doc = parse_text(front_text, shown)
    if doc.ok and doc.value is None:  # `---` `---` with nothing between
        return Document(shown, {}, doc.findings)
    return doc


def find_references(source: ChapterSource) -> list[Reference]:
    """List every reference of a chapter body, with its place in the file."""
    return [reference_of(match, source.body_line + offset)
            for offset, line in enumerate(source.body.split("\n"))
            for match in REFERENCE.finditer(line)]


def reference_of(match: re.Match[str], line: int) -> Reference:
    """Read one match of REFERENCE on a line of the file."""
    parts = _SEPARATOR.split(match.group(1), maxsplit=2)
    return Reference(text=match.group(0), kind=parts[0], target=parts[1] if len(parts) > 1 else "",
                     field=parts[2] if len(parts) > 2 else "", line=line, column=match.start() + 1)
