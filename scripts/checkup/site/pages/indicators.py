"""The indicator pages: the filterable list, one page per indicator, and the data sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from ...assess import STATUS_LABELS, IndicatorAssessment
from ...assess.numbers import indicator_decimals, target_text, target_with_year
from ...read.memo import Memo, digest
from ...model import CATEGORIES, DIRECTION_LABELS, KIND_LABELS, STANDARD_LABELS, Indicator
from ..charts import embed, indicator_chart, indicator_svg, path_end
from ..markup import (
    DASH,
    QUIET,
    Page,
    Source,
    admonition,
    badge,
    data_table,
    front_matter,
    link,
    num,
    paged_paths,
    pager,
    provenance,
    quantity,
    table,
    text,
)
from ..sitedata import EditionView, SiteData
from .areas import area_section
from .placelinks import area_link

ROWS_PER_PAGE = 200  # keeps a list page under 100 KB of HTML however large the edition
# Above this many indicators their pages leave the site search and the list pages' rows
# take their place: Material downloads the whole index on a reader's first visit, and
# parsing thousands of data pages for it would dominate the build.
SEARCH_PAGES_LIMIT = 500
CATEGORY_SLUGS = dict(zip(CATEGORIES, ("anquan", "chuangxin", "xietiao", "lvse", "kaifang", "gongxiang"),
                          strict=True))


def indicator_page_path(ind_id: str) -> str:
    return f"indicators/{ind_id}.md"


def indicator_csv_path(ind_id: str) -> str:
    """Return where an indicator's own CSV (its values, city-wide and by area) is published."""
    return f"downloads/indicators/{ind_id}.csv"


def indicator_svg_path(ind_id: str) -> str:
    """Return where an indicator's chart is published as a standalone SVG image."""
    return f"downloads/indicators/{ind_id}.svg"


def chart_edition_line(view: EditionView) -> str:
    """Say on a downloaded chart which edition it comes from, as the citation line does (two lines)."""
    e = view.edition
    when = f"，{e.published_on} 发布" if e.published_on else "，尚未发布"
    example = "（示例数据，不代表任何真实城市）" if e.example else ""
    return f"{e.publisher}《{e.title}》\n{e.year} 年度版{when}{example}"


def _sorted(view: EditionView) -> list[Indicator]:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(view.edition.indicators.values(), key=lambda i: (order.get(i.category, 99), i.id))


def _status_summary(view: EditionView) -> str:
    counts = view.assessment.status_counts()
    total = sum(counts.values())
    parts = [f"{STATUS_LABELS[k]} {n} 项" for k, n in counts.items() if n]
    return f"共 {total} 项指标。评估结果：" + "，".join(parts) + "。"


def _name_link(site: SiteData, page: str, ind: Indicator) -> str:
    """Link an indicator's name to its page in the latest edition, when it still exists there."""
    latest = site.latest.edition.indicators
    target = ind.id if ind.id in latest else next((i for i in latest.values() if i.replaces == ind.id), None)
    target_id = target if isinstance(target, str) else target.id if target else None
    return link(text(ind.name), page, indicator_page_path(target_id)) if target_id else text(ind.name)


def _filter_form(table_id: str, categories: list[str]) -> str:
    cats = "".join(f'<option value="{text(c)}">{text(c)}</option>' for c in categories)
    statuses = "".join(f'<option value="{label}">{label}</option>' for label in STATUS_LABELS.values())
    return (
        f'<form class="ck-filter" data-table="{table_id}" role="search" aria-label="筛选指标">\n'
        '<label>关键词 <input type="search" name="q" placeholder="名称、编号或部门" autocomplete="off"></label>\n'
        f'<label>类别 <select name="category" data-column="5"><option value="">全部类别</option>{cats}</select></label>\n'
        f'<label>评估结果 <select name="status" data-column="1"><option value="">全部结果</option>{statuses}</select></label>\n'
        '<output class="ck-filter__count" aria-live="polite"></output>\n'
        "</form>"
    )


def _list_rows(site: SiteData, view: EditionView, page: str, inds: list[Indicator]) -> list[list[str]]:
    rows = []
    for ind in inds:
        a = view.assessment.indicators[ind.id]
        latest = quantity(a.latest_value, ind.unit) if a.latest_value is not None else DASH
        when = f"（{a.latest_year}）" if a.latest_year not in (None, view.year) else ""
        rows.append([_name_link(site, page, ind), badge(a.status, a.label()), latest + when,
                     text(target_with_year(a.target, ind.unit)) if a.target else DASH, text(view.department_label(ind.department)),
                     text(ind.category), text(ind.subcategory), text(ind.id)])
    return rows


# The columns a reader looks for first come first, so they stay in view on a narrow screen.
LIST_HEADER = ["指标名称", "评估结果", "最新值", "目标", "责任部门", "类别", "二级类别", "编号"]


def indicator_list_pages(site: SiteData, view: EditionView) -> list[Page]:
    """List an edition's indicators by category in filterable tables, split when long."""
    inds = _sorted(view)
    index = view.path("indicators/index.md")
    intro = [front_matter(f"{view.year}年度指标一览", searchable=view.latest), f"# {view.year} 年度指标一览", "", _status_summary(view), ""]
    files = Source(folders=((f"data/{view.year}/indicators/", len(inds)),))
    if len(inds) <= ROWS_PER_PAGE:
        body = _list_body(site, view, index, inds, "ck-indicators")
        return [Page(index, "\n".join([*intro, body, "", provenance(index, view.label, files), ""]))]
    by_category: dict[str, list[Indicator]] = defaultdict(list)
    for ind in inds:
        by_category[ind.category].append(ind)
    pages: list[Page] = []
    summary_rows: list[list[str]] = []
    for category, members in by_category.items():
        slug = CATEGORY_SLUGS.get(category, "other")
        paths = paged_paths(view.path(f"indicators/list-{slug}.md"), len(members), ROWS_PER_PAGE)
        counts: dict[str, int] = defaultdict(int)
        for ind in members:
            counts[view.assessment.indicators[ind.id].status] += 1
        summary_rows.append([link(text(category), index, paths[0]), num(len(members)),
                             *(num(counts[k]) for k in STATUS_LABELS)])
        for n, (path, chunk) in enumerate(zip(paths, _split(members), strict=True), 1):
            title = f"{view.year}年度指标一览：{category}" + (f"（第 {n} 页）" if len(paths) > 1 else "")
            md = [front_matter(title, searchable=view.latest and not _pages_searchable(view)), f"# {text(title)}", "",
                  link("返回指标一览", path, index), "",
                  pager(path, paths), "", _list_body(site, view, path, chunk, "ck-indicators"), "",
                  pager(path, paths), "", provenance(path, view.label, files), ""]
            pages.append(Page(path, "\n".join(md)))
    header = ["类别", "指标数", *STATUS_LABELS.values()]
    overview = ["指标较多，按类别分页列出。每页可按关键词、类别和评估结果筛选。", "",
                table(header, summary_rows, align="l" + "r" * (len(header) - 1))]
    pages.insert(0, Page(index, "\n".join([*intro, *overview, "", provenance(index, view.label, files), ""])))
    return pages


def _split(items: list[Indicator]) -> list[list[Indicator]]:
    return [items[i:i + ROWS_PER_PAGE] for i in range(0, len(items), ROWS_PER_PAGE)] or [[]]


def _list_body(site: SiteData, view: EditionView, page: str, inds: list[Indicator], table_id: str) -> str:
    categories = list(dict.fromkeys(i.category for i in inds))
    rows = _list_rows(site, view, page, inds)
    quiet_rows = " data-search-exclude" if _pages_searchable(view) else ""
    return "\n".join([_filter_form(table_id, categories), "",
                      f'<div class="ck-filterable" id="{table_id}"{quiet_rows} markdown>', "",
                      table(LIST_HEADER, rows, align="llrlllll"), "", "</div>"])


def _pages_searchable(view: EditionView) -> bool:
    return len(view.edition.indicators) <= SEARCH_PAGES_LIMIT


# -- one indicator ------------------------------------------------------------------
def indicator_pages(site: SiteData) -> list[Page]:
    """Write one page per indicator of the latest edition, reusing a page none of whose inputs changed."""
    return IndicatorPages(site).pages()


class IndicatorPages:
    """The pages of the latest edition's indicators, made for any of them on demand (processes share them)."""

    def __init__(self, site: SiteData):
        self.site, self.view = site, site.latest
        self.order = [ind.id for ind in _sorted(self.view)]  # as the pages are listed
        self.related = _related(self.view)
        self.around = _site_key(site)

    def pages(self, ids: Sequence[str] | None = None) -> list[Page]:
        """The pages of these indicators (all, in order, by default)."""
        made = []
        for ind_id in self.order if ids is None else ids:
            ind = self.view.edition.indicators[ind_id]
            mine = self.related.get(ind_id, ([], []))
            history = [(v.year, record, assessed)
                       for v, record, assessed in self.site.indicator_history(ind_id)]
            key = (ind_id, digest(self.around, mine, history))
            made.append(_PAGES.get(key, partial(_indicator_page, self.site, self.view, ind, mine)))
        return made


# Under `mkdocs serve` the whole site is rendered again on every save. An indicator page is
# taken from the last render when nothing it reads has changed: the indicator and its
# assessment in every edition (its history), the tasks and problems that cite it, and
# everything else of every edition apart from the other indicators (tasks, problems,
# departments, areas and boundaries, corrections, rules, labels, where each record's page
# is, in-year reports), summed up by `_site_key` (see read/memo.py). tests/test_preview.py
# compares a preview after each kind of save with a fresh render, byte for byte.
_PAGES: Memo[Page] = Memo(20_000)


def _site_key(site: SiteData) -> str:
    """Sum up what every indicator page may read besides its own indicator's records."""
    return digest([(v.prefix, v.latest, v.label, v.year, len(v.edition.indicators),
                    [(i, ind.replaces) for i, ind in v.edition.indicators.items()],
                    replace(v.edition, indicators={}), replace(v.assessment, indicators={}),
                    sorted(v.anchors.items()), v.task_pages, v.problem_pages, v.in_year)
                   for v in site.views])


def _related(view: EditionView) -> dict[str, tuple[list[str], list[str]]]:
    """Index the tasks and problems that name each indicator."""
    found: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for task in view.edition.tasks.values():
        for ind_id in task.indicators:
            found[ind_id][0].append(task.id)
    for problem in view.edition.problems.values():
        for ind_id in problem.evidence_indicators:
            found[ind_id][1].append(problem.id)
    return found


def _indicator_page(site: SiteData, view: EditionView, ind: Indicator,
                    related: tuple[list[str], list[str]]) -> Page:
    page = indicator_page_path(ind.id)
    a = view.assessment.indicators[ind.id]
    title = f"{ind.id} {ind.name}"
    md = [front_matter(title, description=f"{ind.name}：{view.year}年度评估结果为{a.label()}。{a.reason}",
                       searchable=_pages_searchable(view)),
          f"# {text(ind.id)} {text(ind.name)}", "",
          f"{badge(a.status, a.label())} {text(a.reason)}", "",
          *_corrected(view, page, ind),
          _facts(ind, a), "", f"## 逐年数值{QUIET}", "", _values_section(ind, a), "",
          f"下载本指标数据：{link('CSV（逐年数值和分区数值）', page, indicator_csv_path(ind.id))} · "
          f"{link('下载图表（SVG）', page, indicator_svg_path(ind.id))}", ""]
    if ind.by_area:
        md += [f"## 分区数值{QUIET}", "", area_section(view, ind, page), ""]
    md += ["## 指标说明", "", _metadata(site, view, page, ind), ""]
    history = site.indicator_history(ind.id)
    md += [f"## 历年评估结果{QUIET}", "", _history_table(history), ""]
    if len(history) > 1:
        md += [f"## 修订记录{QUIET}", "", _revisions(history), ""]
    tasks, problems = related
    if tasks or problems:
        md += [f"## 相关任务和问题{QUIET}", "", *_related_lines(view, page, tasks, problems), ""]
    source = Source(files=(view.repo_path(ind.file),), notes=(f"数据来源：{text(ind.data_source)}（{text(ind.collection_method)}）",))
    md += [provenance(page, view.label, source), ""]
    return Page(page, "\n".join(md))


def _corrected(view: EditionView, page: str, ind: Indicator) -> list[str]:
    """Mark a figure corrected after publication or revised since the last edition, with the reason."""
    mine = view.repo_path(ind.file)
    corrections = [c for c in view.edition.corrections if any(f"data/{view.year}/{f}" == mine for f in c.files)]
    lines = []
    for c in corrections:
        lines.append(f"{c.date} 更正：{text(c.what)}原因：{text(c.why)}"
                         f"见{link('更正记录', page, view.path('corrections.md'))}。")
    for r in ind.revisions:
        where = text(view.edition.area_name(r.area)) if r.area else "全市"
        lines.append(f"{where} {r.year} 年数值本版修订：{text(r.note)}见{link('本版变化', page, view.path('changes.md'))}。")
    if not lines:
        return []
    title = "本页数值发布后有更正" if corrections else "本页数值有修订"
    return [admonition("warning", title, "\n\n".join(lines)), ""]


def _facts(ind: Indicator, a: IndicatorAssessment) -> str:
    """Give the key figures in one line: they repeat the table below, so they stay light."""
    unit = ind.unit
    facts = [
        f"最新值 <strong>{quantity(a.latest_value, unit)}</strong>" + (f"（{a.latest_year}年）" if a.latest_year else ""),
        f"上年值 {quantity(a.previous_value, unit)}"
        + (f"（{a.previous_year}年）" if a.previous_year and a.previous_year != (a.latest_year or 0) - 1 else ""),
        f"基期值 {quantity(a.base_value, unit)}（{a.base_year}年）",
        f"规划目标 {text(target_with_year(a.target, unit))}" if a.target else "规划目标 无",
    ]
    if a.condition:  # the tolerance of 左右 and the direction of a plain value, as the status used them
        facts.append(f"达标条件 {text(a.condition)}")
    if a.expected is not None:
        facts.append(f"按直线进度应达到 {quantity(a.expected, unit, indicator_decimals(ind))}")
    if a.progress is not None:
        facts.append(f"完成程度 {a.progress * 100:.1f}%")
    return f'<p class="ck-facts" data-search-exclude>{" · ".join(facts)}</p>'


def _values_section(ind: Indicator, a: IndicatorAssessment) -> str:
    series = {ind.base_year: ind.base_value, **ind.values}
    end = path_end(ind, a)
    target = a.target
    chart = embed(f"chart-{ind.id}", indicator_chart(ind, a),
                  f"折线图：{ind.name}逐年数值、直线进度和规划目标，数据见下表", indicator_svg(ind, a))
    rows = []
    places = indicator_decimals(ind)
    years = sorted(set(series) | ({target.year} if target else set()))
    for year in years:
        expected = DASH
        if target is not None and end is not None and ind.base_year <= year <= target.year:
            share = (year - ind.base_year) / max(target.year - ind.base_year, 1)
            expected = quantity(ind.base_value + (end - ind.base_value) * share, ind.unit, places)
        note = "基期" if year == ind.base_year else ""
        if target is not None and year == target.year:
            note = (note + "；" if note else "") + f"目标 {text(target_text(target, ind.unit))}"
        rows.append([str(year), quantity(series.get(year), ind.unit), expected, note or DASH])
    caption = (f"图表数据来源：{text(ind.data_source)}。直线进度是从基期值到目标值的直线，"
               "规则见方法说明。")
    return "\n".join([chart, "", caption, "", data_table(["年份", "实际值", "直线进度", "说明"], rows)])


def _metadata(site: SiteData, view: EditionView, page: str, ind: Indicator) -> str:
    dept = site.department_link(page, view, ind.department)
    coop = "、".join(site.department_link(page, view, d) for d in ind.cooperating)
    rows = [
        ["指标内涵", text(ind.definition)],
        ["类别", f"{text(ind.category)} · {text(ind.subcategory)}"],
        ["指标来源体系", STANDARD_LABELS.get(ind.standard, DASH) if ind.standard else DASH],
        ["单位", text(ind.unit)],
        ["指标方向", DIRECTION_LABELS.get(ind.direction, ind.direction)],
        ["指标属性", KIND_LABELS.get(ind.kind, ind.kind)],
        ["全部目标", "；".join(text(target_with_year(t, ind.unit)) for t in ind.targets) or "无"],
        ["数据来源", text(ind.data_source)],
        ["采集方式", text(ind.collection_method)],
        ["责任部门", dept],
        ["配合部门", coop or DASH],
        ["分工", text(ind.division_of_work)],
        ["报送截止日期", text(ind.deadline)],
    ]
    if ind.replaces:
        rows.append(["原编号", text(ind.replaces)])
    if ind.notes:
        rows.append(["备注", text(ind.notes)])
    return table(["项目", "内容"], rows)


def _history_table(history: list) -> str:  # type: ignore[type-arg]
    rows, reasons = [], []
    for view, ind, a in history:
        rows.append([f"{view.year} 年度版", str(a.latest_year or DASH), quantity(a.latest_value, ind.unit),
                     text(target_with_year(a.target, ind.unit)) if a.target else DASH, badge(a.status, a.label())])
        reasons.append(f"- {view.year} 年度版：{text(a.reason)}")
    return "\n".join([data_table(["版本", "数据年份", "最新值", "目标", "评估结果"], rows), "",
                      *reasons])


def _revisions(history: list) -> str:  # type: ignore[type-arg]
    """Tabulate every reference year's value as each edition published it, marking revisions."""
    editions = [(view, ind) for view, ind, _ in history]
    years = sorted({y for _, ind in editions for y in (ind.base_year, *ind.values)})
    rows, notes, revised = [], [], 0
    for year in years:
        cells, before = [], None
        for _view, ind in editions:
            value = ind.values.get(year, ind.base_value if year == ind.base_year else None)
            cell = quantity(value, ind.unit)
            if before is not None and value is not None and value != before:
                cell = f"<strong>{cell}</strong>（修订）"
                revised += 1
            cells.append(cell)
            before = value if value is not None else before
        rows.append([str(year), *cells])
    for view, ind in editions:
        for rev in ind.revisions:
            latest_view, latest_ind = editions[-1]
            where = (area_link(latest_view.edition, indicator_page_path(latest_ind.id), rev.area)
                     if rev.area else "全市")
            notes.append(f"- {view.year} 年度版修订 {rev.year} 年{where}数值：{text(rev.note)}")
    header = ["数据年份", *(f"{view.year} 年度版" for view, _ in editions)]
    intro = ("每行是一个数据年份，每列是当年发布的版本；加粗并标“修订”的数值与上一版本公布的不同。"
             if revised else "各版本公布的数值一致，没有修订。")
    return "\n".join([intro, "", data_table(header, rows),
                      *([""] + notes if notes else [])])


def _related_lines(view: EditionView, page: str, tasks: list[str], problems: list[str]) -> list[str]:
    lines = []
    for tid in tasks:
        task = view.edition.tasks[tid]
        lines.append(f"- 任务 {link(text(f'{task.number}. {task.title}'), page, view.locate(tid) or 'tasks.md')}")
    for pid in problems:
        problem = view.edition.problems[pid]
        lines.append(f"- 问题 {link(text(problem.title), page, view.locate(pid) or 'problems.md')}")
    return lines


# -- data sources ---------------------------------------------------------------------
def sources_pages(site: SiteData, view: EditionView) -> list[Page]:
    """List every indicator's source, collection method and department, split when long."""
    inds = _sorted(view)
    paths = paged_paths("sources.md", len(inds), ROWS_PER_PAGE)
    pages = []
    files = Source(folders=((f"data/{view.year}/indicators/", len(inds)),))
    for n, (path, chunk) in enumerate(zip(paths, _split(inds), strict=True), 1):
        rows = [[text(ind.id), link(text(ind.name), path, indicator_page_path(ind.id)), text(ind.data_source),
                 text(ind.collection_method),
                 site.department_link(path, view, ind.department),
                 link(f"`{ind.id}.yaml`", path, view.repo_path(ind.file))] for ind in chunk]
        title = "数据来源" + (f"（第 {n} 页）" if len(paths) > 1 else "")
        md = [front_matter(title, searchable=False), f"# {title}", "",
              f"{view.year} 年度版全部 {len(inds)} 项指标的数据来源、采集方式和责任部门。"
              "每项指标的数值由责任部门按报送截止日期报送，经核实后写入数据文件。", "",
              pager(path, paths), "",
              table(["编号", "指标名称", "数据来源", "采集方式", "责任部门", "数据文件"], rows), "",
              provenance(path, view.label, files), ""]
        pages.append(Page(path, "\n".join(md)))
    return pages


def no_data_note(view: EditionView) -> str:
    """Say which indicators have no value for the edition year, if any."""
    missing = [i for i, a in view.assessment.indicators.items() if a.status == "no_data"]
    if not missing:
        return ""
    names = "、".join(text(view.edition.indicators[i].name) for i in missing[:20])
    more = f"等 {len(missing)} 项" if len(missing) > 20 else ""
    return admonition("note", "数据缺失", f"{names}{more}在 {view.year} 年没有数据，未作评估。")
