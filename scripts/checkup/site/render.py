"""Render the validated data into the docs folder the site engine reads.

The whole site is built in memory first (every page, download and copied
file), then written in one pass that touches only files whose bytes changed
and removes files no longer produced: an unchanged edition rewrites nothing,
so `mkdocs serve` does not rebuild in a loop. Nothing here imports the site
engine; the navigation and site settings go to `.checkup.json` for its hook.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic, paths
from ..assess import EditionAssessment
from ..atomic import claim_output
from ..check.validate import Result, check_data
from ..findings import Finding, format_text
from ..forked import Forked, died_message
from ..model import Edition
from ..read.load import RawEdition, list_files
from .charts import indicator_svg_file
from .csp import POLICY as CSP_POLICY
from .downloads import DataTable, edition_files, edition_tables, indicator_table, to_csv
from .glossary import GLOSSARY_PAGE, glossary_page
from .handoff import SITE_INFO
from .markup import Page
from .pages.areas import area_pages, map_files
from .pages.editions import (
    archive_page,
    changes_pages,
    corrections_page,
    downloads_pages,
    methods_page,
    reference_pages,
)
from .pages.home import home_page
from .pages.indicators import (
    IndicatorPages,
    chart_edition_line,
    indicator_csv_path,
    indicator_list_pages,
    indicator_svg_path,
    sources_pages,
)
from .pages.people import department_pages, planner_pages
from .pages.planners import planner_detail_pages
from .pages.results import problems_pages, tasks_pages
from .pages.survey import survey_page
from .sitedata import EditionView, SiteData

PUBLISHED = "published"  # the one edition status the public site shows
KEEP = {".gitkeep", atomic.OUTPUT_MARKER}
# The pages kept under tests/golden/ for review: one of each kind.
# Downloads already rendered in this process, by edition year and the hash of its folder's
# files. Under `mkdocs serve` every save renders the whole site again, and the downloads
# (CSV, XLSX, JSON) are most of a render; a clerk edits one edition, the others hit here.
# The key holds the edition's folder as shown too: the JSON download carries it.
_DOWNLOADS: dict[tuple[int, str, str], tuple[list[DataTable], list[tuple[str, bytes]]]] = {}
DOWNLOAD_CACHE_EDITIONS = 8  # more editions than a site shows at once; each holds a few MB at most
GOLDEN_PAGES = ("index.md", "indicators/CX-01.md", "tasks.md", "problems.md", "survey.md", "departments/ZJW.md",
                "areas/nanhe.md", "planners/disclosure.md")


class BuildError(Exception):
    """The site cannot be rendered from these data; `findings` says why."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}\n{format_text(self.findings)}" if self.findings else base


@dataclass
class RenderResult:
    """What a render produced and changed."""

    docs_dir: Path
    pages: int
    files: int
    written: int
    removed: int
    years: tuple[int, ...]
    findings: list[Finding] = field(default_factory=list)  # warnings only; errors raise BuildError


@dataclass(frozen=True)
class EditionExtras:
    """What a later stage (the annual report) adds to an edition's downloads folder downloads/YEAR/."""

    files: list[tuple[str, str, bytes]]  # (file name, label, bytes): listed and hashed in SHA256SUMS
    pages: dict[str, tuple[str, str]]  # page path in the folder -> (label, Markdown): linked, not hashed


# Given an edition, its assessment and the previous edition's, make the extras of its downloads.
ExtraDownloads = Callable[[Edition, EditionAssessment, EditionAssessment | None], EditionExtras]


def render_docs(data_dir: Path, docs_dir: Path, content_dir: Path | None = None,
                extra: ExtraDownloads | None = None, *, preview: bool = False, processes: int = 1,
                scratch: bool = False) -> RenderResult:
    """Check, assess and render the published editions under data_dir into docs_dir (with `extra` downloads).

    A draft edition is rendered only into a preview (for reviewers and clerks), where every
    page says so; the public site never shows, links or offers for download a draft. With
    `processes` of 2 or more, the indicator pages are rendered in a second process (see
    site_outputs). `scratch` says docs_dir is a new, empty folder of the caller's own that is
    thrown away whole if anything fails (the site build's): its files are written straight,
    not each through a temporary file and a rename.
    """
    content = content_dir if content_dir is not None else paths.CONTENT_DIR
    # refused before any work (misuse); created only when there is something to write
    claim_output(docs_dir, legacy=(SITE_INFO,), guarded=(data_dir, content, *paths.GUARDED), create=False)
    checked = check_data(data_dir, processes=processes)
    # the hashes of the very bytes the editions were built from, so cached downloads stand for them
    hashes = {edition.year: _source_hash(checked.raw[Path(edition.folder).name])
              for edition in checked.editions.values()}
    if checked.errors:
        raise BuildError(f"数据有 {len(checked.errors)} 个错误，网站没有生成。", checked.findings)
    editions = {year: e for year, e in checked.editions.items() if preview or e.status == PUBLISHED}
    if not editions:
        drafts = "、".join(str(year) for year in checked.editions)
        hint = f"（{drafts} 年版本是草稿，只能用 checkup build --preview 预览）" if drafts else ""
        raise BuildError(f"{data_dir} 下没有已发布的年度版本{hint}。", checked.findings)
    site = SiteData.from_editions(editions)
    if scratch:  # written as they are made (site_outputs)
        docs_dir.mkdir(parents=True, exist_ok=True)
        atomic.mark_output(docs_dir)
    outputs_made = site_outputs(site, extra, hashes, processes=processes, made=_data_files(checked, site),
                                write=functools.partial(_write_new, docs_dir, copies={}) if scratch else None)
    pages, files = outputs_made.pages, outputs_made.files
    hand_written = _content_files(content)
    clash = sorted(set(hand_written) & (set(pages) | set(files)))
    if clash:
        raise BuildError("content/ 中的页面与生成的页面同名：" + "、".join(clash))
    content_pages = sum(p.endswith(".md") for p in hand_written)
    for rel, body in _filled_content(hand_written, site).items():
        files[rel] = body
        del hand_written[rel]
    info = _site_info(site, pages, hand_written, preview)
    files[SITE_INFO] = json.dumps(info, ensure_ascii=False, indent=1).encode()
    outputs = {path: md.encode("utf-8") for path, md in pages.items()} | files
    if scratch:
        rest = {rel: body for rel, body in outputs.items() if rel not in outputs_made.written}
        _write_new(docs_dir, rest, hand_written)
        written, removed = len(outputs) + len(hand_written), 0
    else:
        docs_dir.mkdir(parents=True, exist_ok=True)
        atomic.mark_output(docs_dir)
        written, removed = _sync(docs_dir, outputs, hand_written)
    return RenderResult(docs_dir, len(pages) + content_pages,
                        len(outputs) + len(hand_written), written, removed, tuple(editions), checked.findings)


Write = Callable[[dict[str, bytes]], None]  # puts finished files (by docs path) in the docs folder


@dataclass
class SiteOutputs:
    """Every page and download of the site, by docs path; those handed to `write` already are empty here."""

    pages: dict[str, str]  # Markdown
    files: dict[str, bytes]
    written: set[str] = field(default_factory=set)


def site_outputs(site: SiteData, extra: ExtraDownloads | None = None, hashes: dict[int, str] | None = None,
                 *, processes: int = 1, write: Write | None = None,
                 made: dict[str, bytes] | None = None) -> SiteOutputs:
    """Render every page and download of the site in memory.

    `hashes` names each edition's source files by content; an edition rendered before in
    this process with the same hash reuses its downloads (not when `extra` adds to them).
    With `processes` of 2 or more, a forked copy of this process starts on the indicators'
    pages and files while this one makes the editions' pages and downloads; this one then
    joins in, the two taking the indicators left a chunk at a time (`_Chunks`): the same
    bytes in about half the time on a large site. The preview (`mkdocs serve`) renders in
    one process, as its server runs threads, which a fork does not take along.

    With `write` (a build's own scratch folder, thrown away whole if anything fails), each
    process writes what it made as soon as it has made it, so the two write at once and the
    copy sends back only the names of its files. `made` are files made before (the checked
    data files), published with the rest.
    """
    maker = IndicatorPages(site)
    chunks = _Chunks(maker.order, shared=processes > 1)
    work = functools.partial(_indicator_share, maker=maker, chunks=chunks, write=write)
    helper = Forked(work, site, died=RENDER_DIED) if chunks.taken is not None else None
    try:
        return _site_outputs(site, extra, hashes, helper, work, write, made or {})
    finally:
        if helper is not None:
            helper.stop()  # a failure here: the copy is stopped before its folder is thrown away


def _site_outputs(site: SiteData, extra: ExtraDownloads | None, hashes: dict[int, str] | None,
                  helper: Forked[list[_Share]] | None, work: Callable[[SiteData], list[_Share]],
                  write: Write | None, made: dict[str, bytes]) -> SiteOutputs:
    pages: list[Page] = []
    files: dict[str, bytes] = dict(made)
    tables, downloads, labels = {}, {}, {}
    previous = None
    for view in site.views:
        pages += _edition_pages(site, view)
        added = extra(view.edition, view.assessment, previous) if extra else EditionExtras([], {})
        labels[view.year] = {**{name: label for name, (label, _) in added.pages.items()},
                             **{name: label for name, label, _ in added.files}}
        pages += [Page(f"downloads/{view.year}/{name}", md) for name, (_, md) in added.pages.items()]
        previous = view.assessment
        tables[view.year], downloads[view.year] = _edition_downloads(
            view, (hashes or {}).get(view.year), [(name, body) for name, _, body in added.files])
        for name, body in downloads[view.year]:
            files[f"downloads/{view.year}/{name}"] = body
    latest = site.latest
    later = [*sources_pages(site, latest), *department_pages(site), *planner_pages(latest),
             *planner_detail_pages(latest), *area_pages(site)]
    later_files = map_files(site)
    later += [archive_page(site), *downloads_pages(site, tables, downloads, labels), glossary_page(latest.label),
              *reference_pages(site)]
    written: set[str] = set()
    if write is not None:  # while the copy still renders
        (pages, later), (files, later_files) = _hand_over(write, [pages, later], [files, later_files], written)
    shares = work(site)  # the indicators the copy has not taken yet
    if helper is not None:
        shares += helper.result()
    shares.sort(key=lambda share: share[0])  # the indicators' order, whoever made them
    indicator_files = {path: body for _, made_files, _ in shares for path, body in made_files.items()}
    pages_of_indicators = [page for _, _, made_pages in shares for page in made_pages]
    if write is not None:
        written.update(indicator_files, (page.path for page in pages_of_indicators))
    rendered: dict[str, str] = {}
    for page in [*pages, *pages_of_indicators, *later]:
        if page.path in rendered:
            raise RuntimeError(f"two pages render to {page.path}")  # a bug in the page layout, not the data
        rendered[page.path] = page.markdown
    return SiteOutputs(rendered, files | indicator_files | later_files, written)


def _hand_over(write: Write, page_lists: list[list[Page]], file_dicts: list[dict[str, bytes]],
               written: set[str]) -> tuple[list[list[Page]], list[dict[str, bytes]]]:
    """Write pages and files now; return them emptied (their names kept) and note what was written."""
    made = {page.path: page.markdown.encode("utf-8") for pages in page_lists for page in pages}
    for files in file_dicts:
        made.update(files)
    write(made)
    written.update(made)
    return ([[Page(page.path, "") for page in pages] for pages in page_lists],
            [dict.fromkeys(files, b"") for files in file_dicts])


RENDER_DIED = died_message("生成指标页面")
_Share = tuple[int, dict[str, bytes], list[Page]]  # where in the indicators' order, their files, their pages
INDICATOR_CHUNK = 100  # indicators a render process takes at a time


class _Chunks:
    """The indicators in their order, handed out a chunk at a time to whichever render process asks first.

    `shared`: the count of indicators handed out lives in memory a forked copy shares, so the
    two processes share the work however long each one's other work takes.
    """

    def __init__(self, ids: list[str], *, shared: bool):
        self.ids = ids
        self.taken = None
        self.mine = 0
        if shared:
            try:
                self.taken = multiprocessing.Value("q", 0)
            except (OSError, ImportError):  # no shared memory or semaphores here: one process does it all
                self.taken = None

    def take(self) -> tuple[int, list[str]] | None:
        if self.taken is None:
            start, self.mine = self.mine, self.mine + INDICATOR_CHUNK
        else:
            with self.taken.get_lock():
                start = self.taken.value
                self.taken.value = start + INDICATOR_CHUNK
        return (start, self.ids[start:start + INDICATOR_CHUNK]) if start < len(self.ids) else None


def _indicator_share(site: SiteData, *, maker: IndicatorPages, chunks: _Chunks,
                     write: Write | None) -> list[_Share]:
    """Make indicators' pages and files a chunk at a time until none is left; with `write`, written at once
    and only their names kept."""
    shares = []
    while (chunk := chunks.take()) is not None:
        start, ids = chunk
        files, pages = _indicator_outputs(site, ids, maker)
        if write is not None:
            (pages,), (files,) = _hand_over(write, [pages], [files], set())
        shares.append((start, files, pages))
    return shares


def _indicator_outputs(site: SiteData, ids: list[str],
                       maker: IndicatorPages) -> tuple[dict[str, bytes], list[Page]]:
    """These indicators' pages, and their CSV files and chart images of the latest edition."""
    latest = site.latest
    edition_line = chart_edition_line(latest)
    pages = maker.pages(ids)  # first: each chart's download file is made from its page's drawing
    files: dict[str, bytes] = {}
    for ind_id in ids:
        files[indicator_csv_path(ind_id)] = to_csv(indicator_table(latest.edition, ind_id))
        files[indicator_svg_path(ind_id)] = indicator_svg_file(latest.edition.indicators[ind_id],
                                                               latest.assessment.indicators[ind_id], edition_line)
    return files, pages


def _edition_downloads(view: EditionView, folder_hash: str | None,
                       extra_files: list[tuple[str, bytes]]) -> tuple[list[DataTable], list[tuple[str, bytes]]]:
    key = (view.year, view.edition.folder, folder_hash or "")
    cacheable = folder_hash is not None and not extra_files  # extras depend on more than this edition
    if cacheable and key in _DOWNLOADS:
        return _DOWNLOADS[key]
    tables = edition_tables(view.edition, view.assessment)
    made = tables, list(edition_files(view.edition, view.assessment, tables, extra_files))
    if cacheable:
        if len(_DOWNLOADS) >= DOWNLOAD_CACHE_EDITIONS:
            del _DOWNLOADS[next(iter(_DOWNLOADS))]
        _DOWNLOADS[key] = made
    return made


def _source_hash(raw: RawEdition) -> str:
    """Hash what an edition was built from, by name and SHA-256 of the bytes read: what its downloads are made from."""
    digest = hashlib.sha256()
    for rel, file_hash in sorted(raw.hashes.items()):
        digest.update(rel.encode("utf-8") + b"\0" + file_hash.encode("ascii") + b"\0")
    return digest.hexdigest()


def _edition_pages(site: SiteData, view: EditionView) -> list[Page]:
    pages = [home_page(site, view), *indicator_list_pages(site, view), *tasks_pages(site, view),
             *problems_pages(site, view), *changes_pages(site, view), corrections_page(view),
             methods_page(view)]
    survey = survey_page(view)
    if survey is not None:
        pages.append(survey)
    return pages


def _data_files(checked: Result, site: SiteData) -> dict[str, bytes]:
    """Publish the data files the validator read and accepted, so each page can link the files it shows.

    Their bytes are the ones that were checked: nothing is read again from disk, so neither
    a file the validator did not read (unknown, linked, hidden) nor a change made since can
    reach the site.
    """
    out = {}
    for view in site.views:
        raw = checked.raw[str(view.year)]
        for rel, text in raw.texts.items():
            if raw.kinds[rel] != paths.CHAPTER_SCHEMA:  # a chapter is published as the report, not as data
                out[f"data/{view.year}/{rel}"] = text.encode("utf-8")
    return out


# Hand-written pages may say things the data decide; each placeholder is filled from the data
# so the guide cannot contradict the pages.
PLACEHOLDERS = {"{{ checkup.deadline }}": lambda site: deadline_sentence(site.latest)}


def deadline_sentence(view: EditionView) -> str:
    """Say by when an edition's indicator data are due, from the indicators' own deadlines."""
    dates = Counter(i.deadline for i in view.edition.indicators.values() if i.deadline)
    if not dates:
        return ""
    common, _ = dates.most_common(1)[0]
    year, month, day = (int(part) for part in common.split("-"))
    others = "（个别指标另有规定，以指标页面的“报送截止日期”为准）" if len(dates) > 1 else ""
    return f"{view.year} 年度的指标数据在 {year} 年 {month} 月 {day} 日前报齐{others}；"


def _filled_content(content: dict[str, Path], site: SiteData) -> dict[str, bytes]:
    """Fill the data's facts into the hand-written pages that ask for them."""
    filled = {}
    for rel, path in content.items():
        if not rel.endswith(".md"):
            continue
        body = path.read_text(encoding="utf-8")
        if "{{ checkup." not in body:
            continue
        for token, make in PLACEHOLDERS.items():
            body = body.replace(token, make(site))
        filled[rel] = body.encode("utf-8")
    return filled


def _content_files(content_dir: Path) -> dict[str, Path]:
    if not content_dir.is_dir():
        return {}
    files, links = list_files(content_dir)
    if links:  # a link could publish any file the build machine can read
        raise BuildError(f"{content_dir.name}/ 中有符号链接，网站没有生成：" + "、".join(links))
    return files


# -- navigation and site settings ------------------------------------------------------------
def _site_info(site: SiteData, pages: dict[str, str], content: dict[str, Path],
               preview: bool = False) -> dict[str, object]:
    latest = site.latest
    e = latest.edition

    def have(path: str) -> bool:
        return path in pages or path in content

    def entries(items: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{title: path} for title, path in items if have(path)]

    # The guide's index links its other pages: one entry keeps the navigation (rendered
    # into every page) short.
    guide_entries = entries([("填报指南", "guide/index.md")])
    nav: list[object] = [
        {f"{e.year} 年度结果": entries([("首页", "index.md"), ("我的区", "areas/index.md"),
                                     ("指标一览", "indicators/index.md"),
                                     ("年度任务", "tasks.md"), ("问题清单", "problems.md"),
                                     ("满意度调查", "survey.md")])},
        {"责任部门与规划师": entries([("责任部门", "departments/index.md"), ("责任规划师", "planners.md"),
                                ("规划师信息公开", "planners/disclosure.md")])},
        {"版本与数据": entries([("本版变化", "changes.md"), ("更正记录", "corrections.md"),
                                ("历年版本", "archive/index.md"), ("数据下载", "downloads/index.md")])},
        {"说明": entries([("方法说明", "methods.md"), ("术语解释", GLOSSARY_PAGE),
                              ("数据来源", "sources.md"), ("关于本站", "about.md")])},
    ]
    nav += guide_entries
    return {
        "nav": nav,
        "site_name": html.escape(f"{e.city}城市体检评估结果"),  # the theme prints it unescaped
        "extra": {"example": any(v.edition.example for v in site.views), "edition": latest.label,
                  "edition_year": e.year, "publisher": e.publisher, "city": e.city,
                  "csp": CSP_POLICY,
                  # a preview says on every page that it holds drafts (site_overrides/main.html)
                  "drafts": [v.year for v in site.views if v.edition.status != PUBLISHED] if preview else []},
    }


# -- writing ---------------------------------------------------------------------------------------
def _write_new(docs_dir: Path, outputs: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write every file into an empty scratch folder; a file already there (or a link) is refused."""
    folders: set[str] = set()
    for rel, body in [*outputs.items(), *((rel, source.read_bytes()) for rel, source in copies.items())]:
        where = os.path.join(docs_dir, rel)
        folder = os.path.dirname(where)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        atomic.write_new(Path(where), body)


def _sync(docs_dir: Path, outputs: dict[str, bytes], copies: dict[str, Path]) -> tuple[int, int]:
    """Make docs_dir hold exactly these files, writing only what changed; return (written, removed)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    written = removed = 0
    for rel, body in outputs.items():
        where = os.path.join(docs_dir, rel)
        try:
            if os.stat(where).st_size == len(body):
                with open(where, "rb") as f:
                    if f.read() == body:
                        continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(where), exist_ok=True)
        atomic.write_bytes(Path(where), body, sync=False)  # whole or not at all; the site build syncs once
        written += 1
    for rel, source in copies.items():
        target = docs_dir / rel
        src = source.stat()
        try:
            dst = target.stat()
            if dst.st_size == src.st_size and dst.st_mtime_ns == src.st_mtime_ns:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, source.read_bytes(), sync=False)
        os.utime(target, ns=(src.st_atime_ns, src.st_mtime_ns))  # as copy2 would: the next render compares it
        written += 1
    wanted = set(outputs) | set(copies)
    top = str(docs_dir)
    for root, _dirs, names in os.walk(top, topdown=False):  # plain strings: thousands of files on every save
        folder = os.path.relpath(root, top).replace(os.sep, "/")
        for name in names:
            rel = name if folder == "." else f"{folder}/{name}"
            if rel not in wanted and name not in KEEP:
                os.unlink(os.path.join(root, name))
                removed += 1
        if folder != "." and not os.listdir(root):
            os.rmdir(root)
    return written, removed


def write_golden(data_dir: Path, golden_dir: Path, scratch: Path) -> list[Path]:
    """Render the site and copy the golden pages into golden_dir; return the files written."""
    render_docs(data_dir, scratch)
    out = []
    for rel in GOLDEN_PAGES:
        target = golden_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, (scratch / rel).read_bytes())
        out.append(target)
    return out
