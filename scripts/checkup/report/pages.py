"""The annual report as site pages: the chapters and the annexes, from the same blocks as the PDF.

Every string from the data passes through markup.text(), as on every other page,
so narrative cannot inject markup. Charts stay in the PDF (the site's own pages
draw them); the page links the PDF for the print layout.
"""

from __future__ import annotations

from ..site.markup import front_matter, link, table, text
from .annexes import Annex

Blocks = list[dict[str, object]]


def _spans(spans: object) -> str:
    out = []
    for span in spans:  # type: ignore[attr-defined]
        shown = text(span["text"])
        out.append(f"**{shown}**" if span["strong"] else shown)
    return "".join(out)


def blocks_markdown(blocks: Blocks, level: int) -> list[str]:
    """Write a chapter's blocks as Markdown, every data string escaped."""
    out: list[str] = []
    for block in blocks:
        kind = block["kind"]
        if kind == "heading":
            out += ["#" * min(level + int(block["level"]) - 1, 6) + " " + _spans(block["spans"]), ""]  # type: ignore[call-overload]
        elif kind == "para":
            out += [_spans(block["spans"]), ""]
        elif kind == "note":
            out += ["> " + _spans(block["spans"]), ""]
        elif kind == "list":
            mark = "1." if block["ordered"] else "-"
            out += [f"{mark} {_spans(item)}" for item in block["items"]] + [""]  # type: ignore[attr-defined]
        elif kind == "table":
            out += [table([text(h) for h in block["header"]],  # type: ignore[attr-defined]
                          [[text(c) for c in row] for row in block["rows"]]), ""]  # type: ignore[attr-defined]
        elif kind == "figure":
            out += [f"（图：{text(block['caption'])}，见 PDF 版报告。）", ""]
    return out


def report_page(page: str, pdf: str, document: dict[str, object], made: list[Annex]) -> str:
    """Write the whole report as one page: parts, chapters, then the annexes' tables."""
    title = str(document["title"])
    md = [front_matter(title, searchable=True), f"# {text(title)}", "",
          f"{link('下载可打印的 PDF 版', page, pdf)}（含封面、目录、页码和全部图表）。", ""]
    if document.get("example"):
        md += [f"> {text(document['example_line'])}", ""]
    for part in document["parts"]:  # type: ignore[attr-defined]
        if not part["chapters"]:
            continue
        md += [f"## {text(part['title'])}", ""]
        for chapter in part["chapters"]:
            md += [f"### 第{chapter['numeral']}章　{text(chapter['title'])}", "",
                   f"领域：{text(chapter['domain'])}　撰写：{text(chapter['department'])}", ""]
            md += blocks_markdown(chapter["blocks"], level=4)
    md += ["## 附件", ""]
    for annex in made:
        md += [f"### 附件{annex.number}　{text(annex.title)}", ""]
        md += [line for lines in ([text(x), ""] for x in annex.lines) for line in lines]
        if annex.figures:
            md += [f"本附件的 {len(annex.figures)} 幅图见 PDF 版报告。", ""]
        for t in annex.tables:
            md += [f"#### {text(t.title)}", "", table([text(h) for h in t.header],
                                                      [[text(c) for c in row] for row in t.rows],
                                                      searchable=False), ""]
    return "\n".join(md)
