"""Pages about editions: the archive, what changed, corrections, downloads, methods and references."""

from __future__ import annotations

import hashlib

from ...assess import methods_markdown
from ...editions.diff import REVISED, diff_editions
from ...editions.diff_fields import number_text
from ...editions.diff_report import GROUP_TITLES, describe, field_label, scoreboard, subject, value_text
from ..downloads import DataTable
from ..markup import (
    DASH,
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

CHANGE_ROWS_PER_PAGE = 200


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
    for number, group_title in GROUP_TITLES.items():
        changes = diff.group(number)
        if not changes:
            continue
        if number == REVISED:
            rows: tuple[tuple[str, ...], ...] = tuple((text(subject(c)), text(f"{c.year or ''}{' ' if c.year else ''}{field_label(c)}"),
                          text(value_text(c, c.old)), text(value_text(c, c.new)),
                          text(number_text(c.delta)) if c.delta is not None else DASH,
                          f"{c.relative:+.1%}" if c.relative is not None else DASH,
                          text(c.note) if c.noted else ("没有修订说明" if c.noted is False else DASH))
                         for c in changes)
            sections.append(Section(f"## {group_title}（{len(changes)}）",
                                    ("记录", "项目", "原值", "新值", "差值", "变化率", "修订说明"), rows,
                                    align="llrrrrl"))
        else:
            rows = tuple((text(subject(c)), long_text(describe(c, diff))) for c in changes)
            sections.append(Section(f"## {group_title}（{len(changes)}）", ("记录", "变化"), rows))
    layout = split_sections(sections, CHANGE_ROWS_PER_PAGE) if sections else [[]]
    paths = [page_name(base, n) for n in range(1, len(layout) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, layout, strict=True), 1):
        md = [front_matter(title, searchable=False), f"# {title}" + (f"（第 {number} 页）" if len(paths) > 1 else ""), ""]
        if number == 1:
            md += [f"与 {previous.year} 年度版相比：{text(scoreboard(diff))}", "",
                   "先列删除和已发布数值的修订，再列口径变化和其他修改、新增，最后是评估状态的变化。"
                   "修订已发布的数值必须写明修订说明。", ""]
        md += [pager(path, paths), ""]
        md += [part for section, continued in chunk for part in (section.render(continued), "")]
        md += [pager(path, paths), "", provenance(path, view.label, Source(files=(
            previous.repo_path(f"{previous.edition.folder}/edition.yaml"),
            view.repo_path(f"{view.edition.folder}/edition.yaml")), notes=(
            f"比较对象：`data/{previous.year}/` 与 `data/{view.year}/` 下的全部数据文件，按编号逐条比较。",))), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


# -- corrections -------------------------------------------------------------------------------
def corrections_page(view: EditionView) -> Page:
    """List every correction made to an edition after publication."""
    page = view.path("corrections.md")
    e = view.edition
    title = f"{view.year}年度版：更正记录"
    md = [front_matter(title, searchable=view.latest), f"# {title}", "",
          "版本发布后，数据只能通过登记更正来修改：写明日期、更正的文件、内容、原因和更正人。", ""]
    if e.corrections:
        rows = [[text(c.date), "、".join(link(f"`{text(f)}`", page, f"data/{view.year}/{f}") if _safe(f) else text(f)
                                        for f in c.files),
                 long_text(c.what), long_text(c.why), text(c.who)] for c in e.corrections]
        md += [table(["日期", "文件", "更正内容", "原因", "更正人"], rows), ""]
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
              "## CSV 表格", "", table(["文件", "内容", "行数", "大小"], listing, align="llrr"), "",
              "## 原始数据文件", "",
              f"本版本的原始 YAML 数据文件在 `data/{view.year}/` 下，每个指标、任务、问题一个文件，"
              "各页面的“本页数据”一节链接到相应的文件。", "",
              provenance(page, view.label, Source(folders=((f"data/{view.year}/", len(site_files(view))),))), ""]
        pages.append(Page(page, "\n".join(md)))
    md = [front_matter("数据下载"), "# 数据下载", "",
          "每个年度版本的全部数据和评估结果都可以下载：CSV 和 XLSX 表格、整个版本的 JSON、"
          "描述各 CSV 的 Frictionless 数据包 `datapackage.json`，以及校验和文件 SHA256SUMS。", "",
          table(["版本", "表格", "JSON", "数据包", "校验和"], rows), "",
          provenance(index, site.latest.label, Source(notes=("下载文件由数据文件和评估规则生成，与网站页面上的数字一致。",))),
          ""]
    pages.insert(0, Page(index, "\n".join(md)))
    return pages


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
        pages.append(Page(path, "\n".join([front_matter(title), body, "", note, ""])))
    return pages
