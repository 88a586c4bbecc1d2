"""The terms of art a reader meets on the site, explained: a glossary page and a tooltip at first use.

`GlossaryExtension` is a Python-Markdown extension (listed in mkdocs.yml) that marks the
first use of each term on a page as `<abbr title="…" tabindex="0">`: the stylesheet shows
the definition on hover and, on a phone, on tap (focus). Python-Markdown's own `abbr`
extension matches only between word boundaries, and between two Chinese characters there
is none, so it would never mark 序时进度 inside 与序时进度比较. Marking the first use only
keeps pages light and the keyboard's tab order short.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TypeGuard

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .markup import Page, Source, front_matter, provenance, text
from .quicktables import Part, Plain, TablePlace

# Term -> a definition a resident understands, in one sentence; the site's rules
# (methods page) give the exact computation.
GLOSSARY: dict[str, str] = {
    "序时进度": "按时间平均推进应达到的进度：到本年末，实施期已经过去的年数占全部实施年数的比例。",
    "直线进度": "从基期值到目标值按年平均变化时，某一年应当达到的数值。",
    "完成程度": "从基期值到目标值的差距中，已经完成的比例；朝相反方向变化时为 0。",
    "转化吸纳": "责任部门把体检发现的问题和对策建议，落实为下一年度行动计划中的具体任务。",
    "回头看": "下一年体检时，逐项检查上一年发现的问题整改落实得怎么样。",
    "批而未供": "已经批准为建设用地、但还没有通过出让或划拨供应出去的土地。",
    "口径": "一个指标统计什么、怎么计算：统计范围、计算方法和数据来源。",
    "预警": "按目前的推进速度，到实施期末难以完成量化目标的任务。",
    "约束性": "约束性指标是规划确定必须完成的指标。",
    "预期性": "预期性指标是规划引导方向、力争实现的指标。",
    "基期": "规划计算变化的起点年份；基期值是这一年的数值。",
    "销项会": "逐项核销问题清单、记录处理决定的工作会议。",
    "责任规划师": "由区政府为街道聘任的规划专业人员，参与本街道的规划实施和公众参与。",
    "问题清单": "体检发现的问题、依据和对策建议的清单，逐项交给责任部门办理。",
    "体检评估": "城市体检每年一次，检查规划实施情况；评估每五年一次，全面评价规划实施效果。",
}
# Elements whose text is not marked: code, links (a tooltip inside a link fights the link's
# own tap), headings, form controls and existing abbreviations.
SKIP = {"code", "pre", "a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "option", "select",
        "label", "button", "textarea"}
GLOSSARY_PAGE = "glossary.md"


class _FirstUse(Treeprocessor):
    def __init__(self, md: Markdown, terms: dict[str, str]):
        super().__init__(md)
        self.terms = terms
        self.pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))

    def run(self, root: etree.Element) -> None:
        self.pending = set(self.terms)
        self._walk(root)

    def _walk(self, el: etree.Element) -> None:
        if not self.pending:
            return
        if isinstance(el.text, TablePlace):  # a table kept out of the tree stands here
            for parts in el.text.table.texts():
                self._mark_parts(parts)
        elif _markable(el.text):
            el.text, marks = self._mark(el.text)
            for offset, mark in enumerate(marks):
                el.insert(offset, mark)
        for child in list(el):
            if child.tag not in SKIP:
                self._walk(child)
            if _markable(child.tail) and self.pending:
                child.tail, marks = self._mark(child.tail)
                at = list(el).index(child) + 1
                for offset, mark in enumerate(marks):
                    el.insert(at + offset, mark)

    def _mark_parts(self, parts: list[Part]) -> None:
        """Mark terms in a kept-out table cell's text parts (links are skipped, as in the tree)."""
        marked: list[Part] = []
        for part in parts:
            if isinstance(part, str) and self.pending:
                head, marks = self._mark(part)
                marked += [head, *marks] if head else marks
            else:
                marked.append(part)
        parts[:] = marked

    def _mark(self, value: str) -> tuple[str, list[etree.Element]]:
        """Split text at the first uses of pending terms: (text before, abbr elements with their tails)."""
        if self.pattern.search(value) is None:  # most text holds no term at all
            return value, []
        marks: list[etree.Element] = []
        head, rest = "", value
        while self.pending:
            found = next((m for m in self.pattern.finditer(rest) if m.group(0) in self.pending), None)
            if found is None:
                break
            term = found.group(0)
            self.pending.discard(term)
            abbr = etree.Element("abbr", {"title": self.terms[term], "tabindex": "0"})
            abbr.text = AtomicString(term)
            if marks:
                marks[-1].tail = rest[:found.start()]
            else:
                head = rest[:found.start()]
            marks.append(abbr)
            rest = rest[found.end():]
        if not marks:
            return value, []
        marks[-1].tail = rest
        return head, marks


def _markable(value: str | None) -> TypeGuard[str]:
    """Text the glossary may mark: not code or other final text, but table cells built final (Plain)."""
    return bool(value) and (not isinstance(value, AtomicString) or isinstance(value, Plain))


class GlossaryExtension(Extension):
    """Mark the first use of every glossary term on a page with its definition."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_FirstUse(md, GLOSSARY), "checkup_glossary", 1)


def makeExtension(**kwargs: object) -> GlossaryExtension:  # noqa: N802 - Python-Markdown's entry point
    return GlossaryExtension(**kwargs)


def glossary_page(edition_label: str) -> Page:
    """List every term with its definition (术语解释)."""
    md = [front_matter("术语解释", description="城市体检评估结果中常用术语的解释。"), "# 术语解释", "",
          "本站用到的专门术语。页面中第一次出现这些术语时，鼠标悬停或点按即可看到解释。", ""]
    md += [f"- **{text(term)}**：{text(definition)}" for term, definition in GLOSSARY.items()]
    md += ["", provenance(GLOSSARY_PAGE, edition_label, Source(notes=(
        "术语解释与各页面的悬停说明出自同一份词表；评估规则的准确算法见方法说明。",))), ""]
    return Page(GLOSSARY_PAGE, "\n".join(md))
