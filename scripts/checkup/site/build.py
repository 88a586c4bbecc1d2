"""Build the site: render the docs, run the site engine in a subprocess, swap the new site in.

The engine runs as `python -m mkdocs build` in its own process, so this
package never imports it and another engine can take its place. The new site
is built next to the old one and replaces it only when the build succeeded: a
failed build (bad data, a crash) leaves the last good site where it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .render import BuildError, ExtraDownloads, RenderResult, render_docs

ENGINE_OUTPUT_LINES = 40  # how much of the engine's output a failure shows


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
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    config = (config_file or paths.MKDOCS_CONFIG).resolve()
    docs = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-docs-", dir=site_dir.parent))
    new = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        started = time.perf_counter()
        rendered = render_docs(Path(data_dir), docs, content_dir, extra, preview=preview)
        rendered_at = time.perf_counter()
        _run_engine(config, docs, new)
        finished = time.perf_counter()
        _swap(new, site_dir)
    finally:
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(new, ignore_errors=True)
    return BuildResult(site_dir, rendered, rendered_at - started, finished - rendered_at)


def _run_engine(config: Path, docs: Path, out: Path) -> None:
    env = dict(os.environ, CHECKUP_DOCS_DIR=str(docs), CHECKUP_RENDERED="1", NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)]
    done = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()[-ENGINE_OUTPUT_LINES:]
        raise BuildError("网站引擎 mkdocs 构建失败，原网站保持不变：\n" + "\n".join(output))


def _swap(new: Path, site_dir: Path) -> None:
    """Put the new site in place with two renames, so a reader never sees half a site."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new.rename(site_dir)
    new.mkdir()  # the caller's cleanup removes this empty placeholder
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
