"""Turn a chapter's Markdown into typed blocks, with its references resolved from the assessment.

Only a small part of Markdown means anything here: headings (##, ###), paragraphs,
lists (- or 1.), notes (>), and **bold**. Everything else, HTML included, is text and is
shown as typed: the blocks carry plain strings, never markup, and the typesetter
places them as strings. Control and bidirectional-override characters are
dropped, so pasted text cannot reorder or hide what a reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..assess import EditionAssessment
from ..assess.numbers import target_text, target_with_year, task_amount
from ..model import Edition
from ..read.chapters import INDICATOR_FIELDS, REFERENCE, TASK_FIELDS, Reference, reference_of
from ..site.markup import num

Span = dict[str, Any]  # {"text": str, "strong": bool}
Block = dict[str, Any]  # {"kind": "heading" | "para" | "note" | "list" | "table" | "figure", ...}

# C0/C1 controls (tab and newline are layout), zero-width and bidirectional controls.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_HEADING = re.compile(r"(#{1,4})\s+(.*)")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_NUMBERED = re.compile(r"\d+[.)、]\s*(.*)")
_NOTE = re.compile(r">\s?(.*)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
UNRESOLVED = "〔无法解析的引用〕"  # never expected in a report: the check refuses such a chapter


@dataclass
class Resolver:
    """Resolve the references of chapters against one edition and its assessment."""

    edition: Edition
    assessment: EditionAssessment
    charts: dict[str, str] = field(default_factory=dict)  # indicator id -> SVG file asked for
    unresolved: list[str] = field(default_factory=list)

    def inline(self, ref: Reference) -> str:
        """Return the text a reference stands for inside a sentence."""
        e, a = self.edition, self.assessment
        if ref.kind == "指标" and ref.target in e.indicators:
            ind, ia = e.indicators[ref.target], a.indicators[ref.target]
            what = INDICATOR_FIELDS.get(ref.field)
            unit = "" if ind.unit == "无" else ind.unit
            if what == "name":
                return ind.name
            if what == "value":
                return f"{num(ia.latest_value)}{unit}" if ia.latest_value is not None else "无数据"
            if what == "unit":
                return unit
            if what == "status":
                return ia.label()
            if what == "target":
                return f"{ia.target.year}年{target_text(ia.target, ind.unit)}" if ia.target else "无目标"
            if what == "base":
                return f"{ind.base_year}年{num(ind.base_value)}{unit}"
            if what == "reason":
                return ia.reason
            if what in ("row", "chart"):  # written inside a sentence: the gist of the row
                return f"{ind.name}{num(ia.latest_value)}{unit}（{ia.label()}）"
        if ref.kind == "任务" and ref.target in e.tasks:
            task, ta = e.tasks[ref.target], a.tasks[ref.target]
            what = TASK_FIELDS.get(ref.field)
            if what == "title":
                return task.title
            if what == "pace":
                return ta.label()
            if what == "done":
                return task_amount(task, ta.cumulative_done) if ta.cumulative_done is not None else "未报送"
            if what == "reason":
                return ta.reason
        if ref.kind == "满意度" and a.survey:
            if ref.target == "总分":
                return f"{a.survey.overall.score:.1f}分"
            for dim in a.survey.dimensions:
                if dim.name == ref.target:
                    return f"{dim.score.score:.1f}分"
        if ref.kind == "任务清单" and ref.target and self._section_tasks(ref.target):
            return "、".join(t.title for t in self._section_tasks(ref.target))
        self.unresolved.append(ref.text)
        return UNRESOLVED

    def block(self, ref: Reference) -> Block | None:
        """Return the block a reference that stands alone on its line stands for."""
        e, a = self.edition, self.assessment
        if ref.kind == "指标" and ref.target in e.indicators:
            what = INDICATOR_FIELDS.get(ref.field)
            ind, ia = e.indicators[ref.target], a.indicators[ref.target]
            if what == "row":
                return {"kind": "table", "header": ["指标", "单位", "基期值", "现状值", "目标值", "评估结论"],
                        "rows": [[f"{ind.id} {ind.name}", ind.unit, f"{num(ind.base_value)}（{ind.base_year}）",
                                  num(ia.latest_value), target_with_year(ia.target, ind.unit) if ia.target else "—", ia.label()]]}
            if what == "chart":
                self.charts[ind.id] = f"charts/{ind.id}.svg"
                return {"kind": "figure", "path": self.charts[ind.id], "caption": f"{ind.name}（{ind.unit}）"}
        if ref.kind == "任务清单" and ref.target:
            tasks = self._section_tasks(ref.target)
            if tasks:
                return {"kind": "table", "header": ["序号", "任务", "牵头单位", "进度"],
                        "rows": [[str(t.number), t.title, e.department_name(t.lead), a.tasks[t.id].label()]
                                 for t in tasks]}
        return None

    def _section_tasks(self, name: str) -> list[Any]:
        return sorted((t for t in self.edition.tasks.values() if name in t.section), key=lambda t: t.number)


def chapter_blocks(body: str, body_line: int, resolver: Resolver) -> list[Block]:
    """Parse a chapter body into blocks, resolving its references."""
    blocks: list[Block] = []
    paragraph: list[Span] = []
    items: list[list[Span]] = []
    ordered = False

    def spans(line: str, number: int) -> list[Span]:
        pos, text = 0, ""
        for match in REFERENCE.finditer(line):
            text += line[pos:match.start()] + resolver.inline(reference_of(match, number))
            pos = match.end()
        text += line[pos:]
        pieces = _STRONG.split(_HIDDEN.sub("", text))
        return [{"text": piece, "strong": i % 2 == 1} for i, piece in enumerate(pieces) if piece]

    def flush() -> None:
        nonlocal items
        if paragraph:
            blocks.append({"kind": "para", "spans": list(paragraph)})
            paragraph.clear()
        if items:
            blocks.append({"kind": "list", "ordered": ordered, "items": items})
            items = []

    for offset, raw_line in enumerate(body.split("\n")):
        number = body_line + offset
        line = raw_line.strip()
        if not line:
            flush()
            continue
        alone = REFERENCE.fullmatch(line)
        block = resolver.block(reference_of(alone, number)) if alone else None
        if block is not None:
            flush()
            blocks.append(block)
            continue
        heading = _HEADING.fullmatch(line)
        note = _NOTE.fullmatch(line)
        item = _BULLET.fullmatch(line) or _NUMBERED.fullmatch(line)
        if heading:
            flush()
            blocks.append({"kind": "heading", "level": len(heading.group(1)),
                           "spans": spans(heading.group(2), number)})
        elif note:
            flush()
            blocks.append({"kind": "note", "spans": spans(note.group(1), number)})
        elif item:
            numbered = item.re is _NUMBERED
            if paragraph or (items and ordered != numbered):
                flush()
            ordered = numbered
            items.append(spans(item.group(1), number))
        else:
            if items:
                flush()
            paragraph.extend(spans(line, number))
    flush()
    return blocks
