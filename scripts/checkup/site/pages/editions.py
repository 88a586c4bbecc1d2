"""Pages about editions: the archive, what changed, corrections, downloads, methods and references."""

from __future__ import annotations

import hashlib
import re

from ...assess import methods_markdown
from ...editions.diff import ADDED, DEFINITION, REMOVED, REVISED, STATUS, Change, diff_editions
from ...editions.diff_fields import number_text
from ...editions.diff_report import RECORD_LABELS, describe, field_label, scoreboard, subject, value_text
from ..downloads import DataTable
from ..markup import (
    DASH,
    REFERENCE_BOOST,
    Page,
    Section,
    Source,
    front_matter,
    link,
    long_text,
    num,
    pager,
    provenance,
    split_sections,
    table,
    text,
)
from ..sitedata import EditionView, SiteData, page_name
from .indicators import ROWS_PER_PAGE, indicator_csv_path, indicator_page_path, indicator_svg_path

CHANGE_ROWS_PER_PAGE = 200
# A reader wants the news first: statuses that moved and published figures revised, then
# removals, edits, and the additions (mostly this year's new values) last.
CHANGE_ORDER = (STATUS, REVISED, REMOVED, DEFINITION, ADDED)
CHANGE_TITLES = {STATUS: "评估结果的变化", REVISED: "修订已发布的数值", REMOVED: "删除",
                 DEFINITION: "指标定义、目标和其他信息的修改", ADDED: "新增"}
# The same edit made to this many records or more (a new reporting deadline on every
# indicator) is one line naming a few of them: it is bookkeeping, not news.
FOLD_AT = 5
FOLD_NAMED = 3
# Records whose id is a code no reader knows: the page names them by name only.
CODED_RECORDS = {"area", "department", "survey", "planner"}
# The diff's own words, which the terminal report keeps, put plainly for the public page.
PLAIN_WORDS = {"口径变化": "定义或目标修改", "状态变化": "评估结果变化"}


# -- archive ------------------------------------------------------------------------------
def archive_page(site: SiteData) -> Page:
    """List every edition with its headline figures and links to its pages."""
    page = "archive/index.md"
    rows = []
    for view in reversed(site.views):
        e, a = view.edition, view.assessment
        counts = a.status_counts()
        links = "、".join(link(label, page, view.path(name)) for label, name in (
            ("结果", "index.md"), ("指标", "indicators/index.md"), ("任务", "tasks.md"), ("问题", "problems.md"),
            ("本版变化", "changes.md"), ("更正", "corrections.md")))
        links += "、" + link("下载", page, f"downloads/{view.year}/index.md")
        survey = f"{a.survey.overall.score:.1f}" if a.survey else DASH
        rows.append([f"{view.year}" + ("（最新）" if view.latest else ""), text(e.title),
                     text(view.label.split("（", 1)[1].rstrip("）")), num(len(e.indicators)),
                     num(counts.get("reached", 0)), num(len(e.tasks)), num(len(a.warnings())),
                     num(len(e.problems)), survey, num(len(e.corrections)), links])
    md = [front_matter("历年版本"), "# 历年版本", "",
          "每年的体检评估结果发布为一个年度版本。已发布的版本数据冻结，发布后的修改都登记在该版本的更正记录中。", "",
          table(["年度", "标题", "状态", "指标", "已达标", "任务", "预警", "问题", "满意度", "更正", "页面"], rows,
                align="llrrrrrrrrl"), "",
          provenance(page, site.latest.label, Source(files=tuple(
              v.repo_path(f"{v.edition.folder}/edition.yaml") for v in site.views))), ""]
    return Page(page, "\n".join(md))


# -- what changed ----------------------------------------------------------------------------
def changes_pages(site: SiteData, view: EditionView) -> list[Page]:
    """Say what changed from the previous edition: removals and revisions first, statuses last."""
    base = view.path("changes.md")
    previous = site.previous(view)
    title = f"{view.year}年度版：本版变化"
    if previous is None:
        md = [front_matter(title, searchable=False), f"# {title}", "", "这是最早的版本，没有可以比较的上一版本。", "",
              provenance(base, view.label, Source(files=(view.repo_path(f"{view.edition.folder}/edition.yaml"),))), ""]
        return [Page(base, "\n".join(md))]
    diff = diff_editions(previous.edition, view.edition, old_label=f"{previous.year} 年度版",
                         new_label=f"{view.year} 年度版")
    sections: list[Section] = []
    for number in CHANGE_ORDER:
        changes = diff.group(number)
        if not changes:
            continue
        group_title = CHANGE_TITLES[number]
        if number == REVISED:
            rows: tuple[tuple[str, ...], ...] = tuple((text(_subject(c)), text(f"{c.year or ''}{' ' if c.year else ''}{field_label(c)}"),
                          text(value_text(c, c.old, diff.areas)), text(value_text(c, c.new, diff.areas)),
                          text(number_text(c.delta)) if c.delta is not None else DASH,
                          f"{c.relative:+.1%}" if c.relative is not None else DASH,
                          text(c.note) if c.noted else ("没有修订说明" if c.noted is False else DASH))
                         for c in changes)
            sections.append(Section(f"## {group_title}（{len(changes)}）",
                                    ("记录", "项目", "原值", "新值", "差值", "变化率", "修订说明"), rows,
                                    align="llrrrrl"))
        else:
            items = [(c.record, _subject(c), describe(c, diff)) for c in changes]
            rows = tuple(_folded_rows(items) if number in (DEFINITION, ADDED) else
                         [(text(who), long_text(what)) for _, who, what in items])
            sections.append(Section(f"## {group_title}（{len(changes)}）", ("记录", "变化"), rows))
    layout = split_sections(sections, CHANGE_ROWS_PER_PAGE) if sections else [[]]
    paths = [page_name(base, n) for n in range(1, len(layout) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, layout, strict=True), 1):
        md = [front_matter(title, searchable=False), f"# {title}" + (f"（第 {number} 页）" if len(paths) > 1 else ""), ""]
        if number == 1:
            md += [f"与 {previous.year} 年度版相比：{text(_plain_words(scoreboard(diff)))}", "",
                   "先列评估结果的变化和已发布数值的修订，再列删除、指标定义和目标等的修改，最后是新增。"
                   f"修订已发布的数值必须写明修订说明；同样的修改涉及 {FOLD_AT} 条以上记录时合为一行。", ""]
        md += [pager(path, paths), ""]
        md += [part for section, continued in chunk for part in (section.render(continued), "")]
        md += [pager(path, paths), "", provenance(path, view.label, Source(files=(
            previous.repo_path(f"{previous.edition.folder}/edition.yaml"),
            view.repo_path(f"{view.edition.folder}/edition.yaml")), notes=(
            f"比较对象：`data/{previous.year}/` 与 `data/{view.year}/` 下的全部数据文件，按编号逐条比较。",))), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


def _subject(c: Change) -> str:
    if c.record in CODED_RECORDS and c.name:
        return f"{RECORD_LABELS[c.record]} {c.name}"
    return subject(c)


def _plain_words(line: str) -> str:
    for jargon, plain in PLAIN_WORDS.items():
        line = line.replace(jargon, plain)
    return line


def _folded_rows(items: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Fold the same change made to many records of a kind into one row; keep the others in order."""
    by_change: dict[tuple[str, str], list[str]] = {}
    for record, who, what in items:
        by_change.setdefault((record, what), []).append(who)
    rows, done = [], set()
    for record, who, what in items:
        subjects = by_change[(record, what)]
        if len(subjects) < FOLD_AT:
            rows.append((text(who), long_text(what)))
        elif (record, what) not in done:
            done.add((record, what))
            named = "、".join(subjects[:FOLD_NAMED])
            rows.append((text(f"{RECORD_LABELS[record]} {len(subjects)} 条"), long_text(f"{what}（{named} 等）")))
    return rows


# -- corrections -------------------------------------------------------------------------------
def corrections_page(view: EditionView) -> Page:
    """List every correction made to an edition after publication."""
    page = view.path("corrections.md")
    e = view.edition
    title = f"{view.year}年度版：更正记录"
    md = [front_matter(title, searchable=view.latest), f"# {title}", "",
          "版本发布后，数据只能通过登记更正来修改：写明日期、更正的文件、内容、原因和更正人。", ""]
    if e.corrections:
        pages_of = {view.repo_path(i.file): i for i in e.indicators.values()} if view.latest else {}

        def where(f: str) -> str:
            ind = pages_of.get(f"data/{view.year}/{f}")
            if ind is not None:  # the figure's own page, where the correction is marked
                return link(text(f"{ind.id} {ind.name}"), page, f"indicators/{ind.id}.md")
            if _safe(f):
                return link(f"`{text(f)}`", page, f"data/{view.year}/{f}")
            chapter = re.fullmatch(r"report/(general|special)/(?:\d+-)?(.+)\.md", f)
            if chapter:  # a report chapter: named by its title, as the report names it
                kind = "总报告" if chapter.group(1) == "general" else "专题报告"
                return text(f"{kind}“{chapter.group(2)}”一章")
            return f"`{text(f)}`"

        rows = [[text(c.date), "、".join(where(f) for f in c.files),
                 long_text(c.what), long_text(c.why), text(c.who)] for c in e.corrections]
        md += [table(["日期", "更正的指标或文件", "更正内容", "原因", "更正人"], rows), ""]
    else:
        md += [f"{view.year} 年度版发布后没有更正。", ""]
    md += [provenance(page, view.label, Source(files=(view.repo_path(f"{e.folder}/corrections.yaml"),))), ""]
    return Page(page, "\n".join(md))


def _safe(path: str) -> bool:
    """Accept only plain relative paths of the YAML files published under data/YEAR/ as link targets.

    Report chapters are Markdown, which the site engine would turn into pages: they are not linked.
    """
    parts = path.split("/")
    return path.endswith(".yaml") and all(p and p not in (".", "..") and all(ch.isalnum() or ch in "-_." for ch in p) for p in parts)


# -- downloads ------------------------------------------------------------------------------------
def downloads_pages(site: SiteData, tables: dict[int, list[DataTable]], files: dict[int, list[tuple[str, bytes]]],
                    extra: dict[int, dict[str, str]] | None = None) -> list[Page]:
    """Describe every download of every edition (and the `extra` ones, by name and label) with size and checksum."""
    index = "downloads/index.md"
    pages = []
    rows = []
    for view in reversed(site.views):
        folder = f"downloads/{view.year}/"
        by_name = dict(files[view.year])
        stem = f"checkup-{view.year}"
        rows.append([link(f"{view.year} 年度版", index, f"{folder}index.md"),
                     link(f"CSV（{len(tables[view.year])} 张表）", index, f"{folder}index.md#csv"),
                     link("XLSX", index, f"{folder}{stem}.xlsx"), link("JSON", index, f"{folder}{stem}.json"),
                     link("datapackage.json", index, f"{folder}datapackage.json"),
                     link("SHA256SUMS", index, f"{folder}SHA256SUMS")])
        page = f"{folder}index.md"
        listing = [[link(f"`{t.name}.csv`", page, f"{folder}{t.name}.csv"), text(t.title), num(len(t.rows)),
                    _size(len(by_name[f"{t.name}.csv"]))] for t in tables[view.year]]
        pages_only = {name: label for name, label in (extra or {}).get(view.year, {}).items() if name not in by_name}
        others = [[link(text(label), page, f"{folder}{name}"), "网页", "", ""] for name, label in pages_only.items()]
        others += [[link(f"`{name}`", page, f"{folder}{name}"), label, _size(len(by_name[name])),
                    f"`{hashlib.sha256(by_name[name]).hexdigest()[:16]}…`"]
                  for name, label in ((f"{stem}.xlsx", "全部表格（每表一个工作表）"), (f"{stem}.json", "整个版本及评估结果"),
                                      ("datapackage.json", "Frictionless 数据包说明（字段、类型、校验和）"),
                                      *((n, label) for n, label in (extra or {}).get(view.year, {}).items()
                                        if n in by_name),
                                      ("SHA256SUMS", "全部下载文件的 SHA-256 校验和"))]
        md = [front_matter(f"{view.year}年度版数据下载", searchable=False), f"# {view.year} 年度版数据下载", "",
              "每张表提供 UTF-8 编码的 CSV；同样的表格汇总在一个 XLSX 工作簿中。"
              "用 `sha256sum -c SHA256SUMS` 可以核对下载的文件是否完整。", "",
              table(["文件", "内容", "大小", "SHA-256（前 16 位）"], others, align="llrl"), "",
              f"**如何引用**：{cite(view)}", "",
              "## CSV 表格 {#csv}", "", "每张表一个 CSV 文件（UTF-8，带 BOM，Excel 可以直接打开）。", "", table(["文件", "内容", "行数", "大小"], listing, align="llrr"), "",
              "## 原始数据文件", "",
              f"本版本的原始 YAML 数据文件在 `data/{view.year}/` 下，每个指标、任务、问题一个文件，"
              "各页面的“本页数据”一节链接到相应的文件。", "",
              provenance(page, view.label, Source(folders=((f"data/{view.year}/", len(site_files(view))),))), ""]
        pages.append(Page(page, "\n".join(md)))
    md = [front_matter("数据下载"), "# 数据下载", "",
          "每个年度版本的全部数据和评估结果都可以下载：CSV 和 XLSX 表格、整个版本的 JSON、"
          "描述各 CSV 的 Frictionless 数据包 `datapackage.json`，以及校验和文件 SHA256SUMS。", "",
          table(["版本", "CSV", "XLSX", "JSON", "数据包", "校验和"], rows), "",
          f"**如何引用**：{cite(site.latest)}", "",
          *_indicator_downloads(site, index),
          provenance(index, site.latest.label, Source(notes=("下载文件由数据文件和评估规则生成，与网站页面上的数字一致。",))),
          ""]
    pages.insert(0, Page(index, "\n".join(md)))
    return pages


def _indicator_downloads(site: SiteData, index: str) -> list[str]:
    """List each indicator's own CSV and chart image, or say where they are when there are too many to list."""
    inds = sorted(site.latest.edition.indicators.values(), key=lambda i: i.id)
    intro = (f"{site.latest.year} 年度版的每项指标另有自己的数据表（CSV，逐年数值和分区数值）和图表（SVG 图片，"
             "带标题、单位、数据来源和版本，可以单独转发）")
    if len(inds) > ROWS_PER_PAGE:  # a list of thousands would outweigh the page; each indicator page links its own
        return ["## 单项指标的数据和图表", "", intro + "，在各指标页面的“逐年数值”一节下载。", ""]
    rows = [[text(i.id), link(text(i.name), index, indicator_page_path(i.id)),
             link("CSV", index, indicator_csv_path(i.id)), link("SVG 图表", index, indicator_svg_path(i.id))]
            for i in inds]
    return ["## 单项指标的数据和图表", "", intro + "：", "",
            table(["编号", "指标", "数据", "图表"], rows, searchable=False), ""]


def cite(view: EditionView) -> str:
    """Write the line a journalist or researcher cites an edition's data with."""
    e = view.edition
    when = f"，{e.published_on} 发布" if e.published_on else "，尚未发布"
    example = "（示例数据，不代表任何真实城市）" if e.example else ""
    return f"{text(e.publisher)}：《{text(e.title)}》，{e.year} 年度版{when}{example}。"


def site_files(view: EditionView) -> list[str]:
    e = view.edition
    return [*(i.file for i in e.indicators.values()), *(t.file for t in e.tasks.values()),
            *(p.file for p in e.problems.values())]


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


# -- methods and references ------------------------------------------------------------------------
def methods_page(view: EditionView) -> Page:
    """Publish the rules an edition was assessed with, written by the assessment module itself."""
    body = methods_markdown(view.assessment.rules, view.year).strip()
    page = view.path("methods.md")
    note = provenance(page, view.label, Source(files=(view.repo_path(f"{view.edition.folder}/rules.yaml"),)
                                               if view.edition.rules is not None else (),
                                               notes=("本页由本版本的评估规则生成。",)))
    title = "方法说明" if view.latest else f"方法说明（{view.year}年度版本）"
    return Page(page, "\n".join([front_matter(title, searchable=view.latest), body, "", note, ""]))


def reference_pages(site: SiteData) -> list[Page]:
    """Publish the clerks' field reference and error codes, when the reference module is installed."""
    try:
        from ...staff import reference  # written alongside; the site builds without it
    except ImportError:
        return []
    pages = []
    for path, title, make in (("reference/fields.md", "字段说明", "fields_markdown"),
                              ("reference/codes.md", "错误代码", "codes_markdown")):
        render = getattr(reference, make, None)
        if render is None:
            continue
        body = render().strip()
        if not body.startswith("# "):
            body = f"# {title}\n\n{body}"
        note = provenance(path, site.latest.label, Source(notes=("本页由数据结构定义（schemas/）生成。",)))
        pages.append(Page(path, "\n".join([front_matter(title, boost=REFERENCE_BOOST), body, "", note, ""])))
    return pages
