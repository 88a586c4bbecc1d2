"""Build the site: render the docs, run the site engine in a subprocess, swap the new site in.

The engine runs as `python -m mkdocs build` in its own process, so this
package never imports it and another engine can take its place. The new site
is built next to the old one and replaces it only when the build succeeded: a
failed build (bad data, a crash, a full disk) leaves the last good site where
it was.

The swap exchanges the two folders in one step (Linux's renameat2 with
RENAME_EXCHANGE), so there is no moment without a site. Where that call is
missing it falls back to two renames, and a build killed between them is
repaired by the next one, which puts the old site back before anything else.
A symbolic link flipped between two folders would also swap in one step, but
then `site/` is a link, which the other commands refuse to follow or write
through, and a web server may be set not to follow. The temporary folders of
a killed build are removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import atomic, paths
from ..atomic import claim_output, explain, is_output, mark_output, scratch_folder
from .handoff import GO_LINE, GO_VARIABLE, SCRATCH_DOCS_VARIABLE, SEARCH_INDEX, SHARE_FILE, SHARE_VARIABLE
from .render import BuildError, ExtraDownloads, RenderResult, render_docs
from .searchindex import merge_search_index

ENGINE_OUTPUT_LINES = 40  # how much of the engine's output a failure shows
LEGACY_SITE = (SEARCH_INDEX,)  # a site built before output folders were marked
# The engine may run as several processes, each building a share of the pages; one process
# (CHECKUP_BUILD_PROCESSES=1) builds the same bytes and checks links to other pages' anchors too.
PROCESSES_VARIABLE = "CHECKUP_BUILD_PROCESSES"
MAX_ENGINE_PROCESSES = 8
AT_FDCWD = -100  # from <fcntl.h>: paths relative to the current folder
RENAME_EXCHANGE = 2  # from <linux/fs.h>
_LIBC_NAME = ctypes.util.find_library("c")
_LIBC = ctypes.CDLL(_LIBC_NAME, use_errno=True) if _LIBC_NAME else None


@dataclass
class BuildResult:
    """A finished build: where the site is and what it took."""

    site_dir: Path
    render: RenderResult
    render_seconds: float
    engine_seconds: float


def build_site(data_dir: Path, site_dir: Path, *, config_file: Path | None = None,
               content_dir: Path | None = None, extra: ExtraDownloads | None = None,
               preview: bool = False) -> BuildResult:
    """Render data_dir and build the site into site_dir, keeping the old site if anything fails."""
    site_dir = Path(site_dir).absolute()
    # misuse (exit 2); not created here: a site a killed build moved aside may yet come back
    claim_output(site_dir, legacy=LEGACY_SITE, guarded=(Path(data_dir), *paths.GUARDED), create=False)
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        _recover(site_dir)
        config = (config_file or paths.MKDOCS_CONFIG).resolve()
        with scratch_folder(site_dir.parent, f".{site_dir.name}-docs-") as docs, \
                scratch_folder(site_dir.parent, f".{site_dir.name}-new-") as new:
            started = time.perf_counter()
            times: list[float] = []

            def render() -> RenderResult:
                done = render_docs(Path(data_dir), docs, content_dir, extra, preview=preview,
                                   processes=engine_processes(), scratch=True)
                times.append(time.perf_counter())
                return done

            # Once the engine is done with the docs, they are removed while the pages are put together
            # and the new site is flushed to disk (a removal mostly waits on the disk too), and before
            # the flush, so their files need not be written out.
            remover = threading.Thread(target=shutil.rmtree, args=(docs,), kwargs={"ignore_errors": True})
            try:
                rendered = _run_engine(config, docs, new, render, docs_read=remover.start)
                rendered_at = times[0]
                finished = time.perf_counter()
                mark_output(new)
                _sync_tree(new)
                _swap(new, site_dir)
            finally:
                if remover.is_alive():
                    remover.join()
    except OSError as error:
        raise BuildError(f"{explain(error)}，网站没有构建。") from error
    return BuildResult(site_dir, rendered, rendered_at - started, finished - rendered_at)


def _run_engine(config: Path, docs: Path, out: Path, render: Callable[[], RenderResult],
                docs_read: Callable[[], None] = lambda: None) -> RenderResult:
    """Render the docs with `render` and build them with the site engine; return what was rendered.

    The engine processes start first and load the engine, theme and search dictionary while the
    docs are rendered; each then waits for a line on its input (GO_VARIABLE, read by the hook)
    before it reads the docs. A failed render closes their input and stops them.
    """
    env = dict(os.environ, CHECKUP_DOCS_DIR=str(docs), CHECKUP_RENDERED="1", NO_MKDOCS_2_WARNING="1",
               **{GO_VARIABLE: "1", SCRATCH_DOCS_VARIABLE: "1"})
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d"]
    count = engine_processes()
    # Each of several processes reads every page's navigation and builds every Nth page (a dirty
    # build that skips the others, site_overrides/hooks.py); the first also copies the assets.
    # Their pages and search indexes are then put together as one process would have written them.
    with scratch_folder(out.parent, f"{out.name}-share-") as scratch:
        outs = [out, *(scratch / str(n) for n in range(2, count + 1))]
        dirty = ["--dirty"] if count > 1 else []
        running = [subprocess.Popen([*command, str(folder), *dirty], cwd=config.parent, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    env={**env, SHARE_VARIABLE: f"{n}/{count}"} if count > 1 else env)
                   for n, folder in enumerate(outs, 1)]
        try:
            rendered = render()
            for process in running:
                _go_on(process)
            for process in running:
                _wait_for_engine(process)
            docs_read()  # every engine process has ended: nothing reads the docs any more
        finally:  # a failure anywhere: the others are stopped, and every process is waited for
            for process in running:
                if process.poll() is None:
                    process.kill()
                process.wait()
                for stream in (process.stdin, process.stdout):
                    if stream is not None:
                        with contextlib.suppress(BrokenPipeError):  # what it was never told, it needs no more
                            stream.close()
        if count > 1:
            _merge_shares(outs)
    return rendered


def engine_processes() -> int:
    """How many processes run the site engine: CHECKUP_BUILD_PROCESSES, else two where there are two cores."""
    asked = os.environ.get(PROCESSES_VARIABLE, "")
    if asked.strip().isdigit() and int(asked) >= 1:
        return min(int(asked), MAX_ENGINE_PROCESSES)
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def _go_on(process: subprocess.Popen[str]) -> None:
    """Tell a waiting engine process the docs are ready."""
    assert process.stdin is not None
    try:
        process.stdin.write(GO_LINE)
        process.stdin.flush()  # closed by the wait for its output
    except BrokenPipeError:  # it ended before it was told to go on: its output says why
        pass


def _wait_for_engine(process: subprocess.Popen[str]) -> None:
    output, _ = process.communicate()
    if process.returncode != 0:
        lines = output.strip().splitlines()[-ENGINE_OUTPUT_LINES:]
        raise BuildError("网站引擎 mkdocs 构建失败，原网站保持不变：\n" + "\n".join(lines))


def _merge_shares(outs: list[Path]) -> None:
    """Move the pages the other processes built into the first one's site, and merge the search indexes."""
    first = outs[0]
    shares = [json.loads((folder / SHARE_FILE).read_text(encoding="utf-8")) for folder in outs]
    (first / SHARE_FILE).unlink()
    index_file = first / SEARCH_INDEX
    index = index_file.read_text(encoding="utf-8")
    built = {page["location"] for page in shares[0]["built"]}
    for folder, share in zip(outs[1:], shares[1:], strict=True):
        for page in share["built"]:
            target = first / page["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(folder / page["file"], target)
        mine = {page["location"] for page in share["built"]}
        built |= mine
        # the index so far holds the pages merged so far; this share's index, its own pages
        index = merge_search_index(index, (folder / SEARCH_INDEX).read_text(encoding="utf-8"),
                                   [p for p in share["pages"] if p in built], mine)
    atomic.write_bytes(index_file, index.encode("utf-8"), sync=False)


def _swap(new: Path, site_dir: Path) -> None:
    """Put the new site in place in one step where the system allows, so a reader never sees half a site."""
    if not site_dir.exists():
        new.rename(site_dir)
        new.mkdir()  # the scratch folder's cleanup removes this empty placeholder
        return
    if exchange(new, site_dir):
        return  # `new` now holds the old site; the scratch folder's cleanup removes it
    old = site_dir.parent / f".{site_dir.name}-old-{os.getpid()}"
    site_dir.rename(old)
    new.rename(site_dir)  # a build killed just before this line is repaired by _recover
    old.rename(new)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (renameat2 RENAME_EXCHANGE); say whether the system could."""
    rename = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if rename is None:
        return False
    done = rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # an old kernel or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync_tree(folder: Path) -> None:
    """Flush the new site to disk before it replaces the old one (syncfs: only its file system)."""
    syncfs = getattr(_LIBC, "syncfs", None) if _LIBC is not None else None
    if syncfs is None:
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)


def _recover(site_dir: Path) -> None:
    """Undo what a killed build left: put a site moved aside back, and remove temporary folders."""
    parent = site_dir.parent
    if not parent.is_dir():
        return
    prefix = f".{site_dir.name}-"
    # ours by name and by mark; a site moved aside may predate the marks
    leftovers = sorted((p for p in parent.iterdir() if p.name.startswith(prefix) and p.is_dir()
                        and not p.is_symlink() and (is_output(p) or p.name.startswith(prefix + "old-")
                                                    or not any(p.iterdir()))),
                       key=lambda p: p.stat().st_mtime)
    aside = [p for p in leftovers if p.name.startswith(prefix + "old-")]
    if aside and not site_dir.exists():
        aside[-1].rename(site_dir)
        leftovers.remove(aside[-1])
    for folder in leftovers:
        shutil.rmtree(folder)
