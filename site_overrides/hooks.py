"""MkDocs hooks: render generated/ from the data before each build, and rebuild when the data change.

Under `mkdocs serve --dirty` (`make serve`) a save rebuilds once, and only the
pages whose generated Markdown changed: the renderer rewrites only changed
files, the engine skips pages older than their HTML, and the search index is
merged here so it still holds every page.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import posixpath
import sys
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader
from markdown import Markdown
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import _RelativePathTreeprocessor
from watchdog.observers.polling import PollingObserver

from checkup import paths
from checkup.site.csp import seal_page
from checkup.site.handoff import (
    GO_LINE,
    GO_VARIABLE,
    SCRATCH_DOCS_VARIABLE,
    SEARCH_INDEX,
    SHARE_FILE,
    SHARE_VARIABLE,
    SITE_INFO,
)
from checkup.site.quicktables import page_links
from checkup.site.rawblocks import InertBlocksExtension
from checkup.site.searchindex import merge_search_index

PREVIEW_POLL = 0.1  # seconds between looks for a saved file under `mkdocs serve` (a look stats each watched file)
# The engine warns on every dirty build that the navigation may be stale, which fails a
# strict preview; here it is not: a changed navigation makes the hook redo every page.
DIRTY_WARNING = "A 'dirty' build is being performed"
HEADER_TOPIC = 'data-md-component="header-topic"'  # in the theme's header, just before the page's title
# `checkup build` may run the engine as two processes, each building a share of the pages
# (SHARE_VARIABLE: "1/2", "2/2"); each says in SHARE_FILE which pages it built.
# What one build saw, for merging the search index of a dirty build; reset by on_config.
_build: dict[str, object] = {}
_outside: dict[str, bool] = {}  # by page address: whether the page is outside the navigation (_outside_nav)
_drawn: dict[tuple[str, str], object] = {}  # by (part, folder): what _same_in_folder and _same_header drew


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_WARNING)


def on_config(config):
    # `checkup build` starts the engine while it renders the docs: here the engine, its plugins and
    # the search dictionary are loaded, and it waits until it is told the docs are ready.
    if os.environ.get(GO_VARIABLE) and sys.stdin.readline() != GO_LINE:
        raise PluginError("生成页面失败，网站引擎已停止。")
    engine_log = logging.getLogger("mkdocs.commands.build")
    if not any(getattr(f, "__name__", "") == _not_dirty_warning.__name__ for f in engine_log.filters):
        engine_log.addFilter(_not_dirty_warning)
    docs = Path(config.docs_dir)
    info_file = docs / SITE_INFO
    before = info_file.read_bytes() if info_file.is_file() else None
    if not os.environ.get("CHECKUP_RENDERED"):  # `checkup build` renders first and says so
        # imported only here: an engine process of `checkup build` never loads the renderer
        from checkup.site.render import BuildError, render_docs

        try:  # `make serve` sets CHECKUP_PREVIEW=1 so clerks see their drafts; a build never does
            render_docs(_data_dir(), docs, preview=os.environ.get("CHECKUP_PREVIEW") == "1")
        except BuildError as error:
            raise PluginError(str(error)) from None
    raw = info_file.read_bytes()
    if before is not None and raw != before:
        _touch_all(docs)  # the navigation is in every page: a dirty build must redo them all
    info = json.loads(raw)
    config.nav = info["nav"]
    config.site_name = info["site_name"]
    config.extra["checkup"] = info["extra"]
    config.markdown_extensions.append(InertBlocksExtension())  # data tables skip Markdown's HTML passes
    # The engine makes a new Markdown converter for every page, which built every extension anew
    # from its name; each is built once here instead and sets up each page's converter.
    probe = Markdown()
    config.markdown_extensions = [probe.build_extension(ext, config.mdx_configs.get(ext, {}))
                                  if isinstance(ext, str) else ext for ext in config.markdown_extensions]
    index = Path(config.site_dir) / SEARCH_INDEX
    _build.clear()
    _build.update(previous=index.read_text(encoding="utf-8") if index.is_file() else None, built=set(), pages=[])
    return config


def on_nav(nav, config, files):
    _build["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_env(env, config, files):
    # Compiling the theme's templates again on every rebuild cost a second of each preview;
    # the cache is keyed by each template's source, so an edited template is compiled anew.
    env.bytecode_cache = FileSystemBytecodeCache()
    # our partials (nav, header, top) wrap the theme's own, reached as material/partials/...
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(_theme_templates())})])
    env.globals["checkup_same_in_folder"] = _same_in_folder
    env.globals["checkup_same_header"] = _same_header
    _drawn.clear()
    _outside.clear()
    return env


def _theme_templates() -> str:
    import material  # the theme's package; its templates are the theme's own pages

    return str(Path(material.__file__).parent / "templates")


def _outside_nav(page) -> bool:
    """Whether a page is outside the navigation, neither in it nor above a page in it."""
    urls = _build.get("nav_urls")
    if page is None or not isinstance(urls, frozenset):
        return False
    if page.url not in _outside:
        _outside[page.url] = not (page.url in urls or page.parent is not None
                                  or any(url.startswith(page.url) for url in urls))
    return _outside[page.url]


def _same_in_folder(page, part, caller):
    """A part of the page (`part` names it) drawn once for all pages in one folder that are not in the navigation.

    The theme draws the navigation, the header's scripts and settings and the footer for each
    page. For a page outside the navigation they differ between pages only with the page's
    folder, as their links are relative to it; 5,000 indicator pages share one drawing of each.
    """
    if not _outside_nav(page):
        return caller()
    key = _folder_key(part, page)
    if key not in _drawn:
        _drawn[key] = caller()
    return _drawn[key]


def _folder_key(part: str, page) -> tuple[str, str]:
    return part, posixpath.dirname(page.url.rstrip("/"))


def _same_header(page, title, caller):
    """The header, drawn once per folder like _same_in_folder's parts, with each page's own title in it.

    The drawing is cut at the title, found after the theme's header-topic mark; the second page
    of a folder is drawn in full once more and must come out the same, or that folder's pages
    are each drawn in full.
    """
    title = str(title)
    if not title or not _outside_nav(page):
        return caller()
    key = _folder_key("header", page)
    cut = _drawn.get(key)
    if cut is None:  # the folder's first page
        html = caller()
        topic = html.find(HEADER_TOPIC)
        at = html.find(title, topic) if topic >= 0 else -1
        _drawn[key] = (html[:at], html[at + len(title):], False) if at >= 0 else ()
        return html
    if not cut:
        return caller()
    head, tail, checked = cut
    if not checked:
        html = caller()
        _drawn[key] = (head, tail, True) if head + title + tail == html else ()
        return html
    return head + title + tail


def on_files(files, config):
    pages = files.documentation_pages()
    _build["pages"] = [_location(f.url) for f in pages]
    share = os.environ.get(SHARE_VARIABLE)
    if share:  # `checkup build` runs the engine as N processes; this one builds every Nth page
        number, count = (int(n) for n in share.split("/"))
        _build["share"] = [f for i, f in enumerate(pages) if i % count == number - 1]
        mine = {id(f) for f in _build["share"]}  # type: ignore[attr-defined]
        for f in files:  # a dirty build skips what is not modified: the other pages, and all
            if id(f) not in mine and (number > 1 or f.is_documentation_page()):  # files but in the first
                f.is_modified = _unmodified
    if os.environ.get(SCRATCH_DOCS_VARIABLE):  # the build's own docs, removed after it: linked, not copied
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        for f in files:
            if not f.is_documentation_page() and f.abs_src_path and f.abs_src_path.startswith(docs):
                f.copy_file = functools.partial(_link_file, f)
    return files


def _unmodified() -> bool:
    return False


def _link_file(file, dirty: bool = False) -> None:
    """Put a data file or download in the new site as a second name of the docs' file, where the system can.

    Ten thousand downloads of a large site are linked in a fraction of the time a copy takes; the
    docs folder is the build's own and no file in it changes after it is written.
    """
    if dirty and not file.is_modified():
        return
    out = file.abs_dest_path
    os.makedirs(os.path.dirname(out), exist_ok=True)
    try:
        os.link(file.abs_src_path, out, follow_symlinks=False)
    except OSError:  # there already, another file system, or one without links: copied, as the engine does
        type(file).copy_file(file, dirty)


def on_page_markdown(markdown, page, config, files):
    # Tables kept out of Markdown's tree (checkup/site/quicktables.py) rewrite and check their
    # links with the engine's own link rewriter for this page, as the tree's links are.
    links = _RelativePathTreeprocessor(page.file, files, config)
    _build["links"] = links
    page_links.set(links.path_to_url)
    return markdown


def on_page_content(html, page, config, files):
    links = _build.pop("links", None)
    page_links.set(None)
    if links is not None and links.links_to_anchors and page.links_to_anchors is not None:
        for target, anchors in links.links_to_anchors.items():  # checked with the page's other links
            page.links_to_anchors.setdefault(target, {}).update(anchors)
    return html


def on_page_context(context, page, config, nav):
    _build["built"].add(_location(page.url))  # type: ignore[attr-defined]
    return context


def _location(url: str) -> str:
    """Name a page as the search index does: the home page's address is "./", its entries' location ""."""
    return "" if url == "./" else url


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    if "share" in _build:  # for `checkup build` to merge: the pages in order, and which this process built
        share = [{"location": _location(f.url), "file": f.dest_uri} for f in _build["share"]]  # type: ignore[attr-defined]
        (Path(config.site_dir) / SHARE_FILE).write_text(json.dumps({"pages": _build["pages"], "built": share}),
                                                        encoding="utf-8")
        return
    pages, built, previous = _build.get("pages"), _build.get("built"), _build.get("previous")
    if not pages or previous is None or built == set(pages):  # type: ignore[arg-type]
        return  # a full build: the search plugin's index is complete
    index = Path(config.site_dir) / SEARCH_INDEX
    if index.is_file():
        index.write_text(merge_search_index(previous, index.read_text(encoding="utf-8"),  # type: ignore[arg-type]
                                            pages, built), encoding="utf-8")  # type: ignore[arg-type]


def on_serve(server, config, builder):
    # The hook writes docs_dir itself: watching it too rebuilt the site twice for every save.
    server.unwatch(config.docs_dir)
    # The engine looks for changes every 0.5 s; a clerk waiting for a saved file looks every PREVIEW_POLL
    # seconds instead. Still polling, as the engine chose, so editors that save by renaming are seen.
    if config.config_file_path:
        server.unwatch(config.config_file_path)
    server.observer = PollingObserver(timeout=PREVIEW_POLL)
    for folder in (_data_dir(), paths.CONTENT_DIR, paths.SCHEMA_DIR, config.config_file_path):
        if folder and Path(folder).exists():
            server.watch(str(folder))
    return server


def _data_dir() -> Path:
    """The data the site shows: data/, or CHECKUP_DATA_DIR (the benchmark previews synthetic data)."""
    return Path(os.environ.get("CHECKUP_DATA_DIR") or paths.WORKING_DATA_DIR)


def _touch_all(docs: Path) -> None:
    for root, _dirs, names in os.walk(docs):
        for name in names:
            os.utime(os.path.join(root, name))


def on_post_page(output, page, config):
    return seal_page(output)  # the policy allows the page's own inline scripts, by hash


def on_post_template(output_content, template_name, config):
    return seal_page(output_content) if template_name.endswith(".html") else output_content
