"""Faults injected at each write of `publish`, `import` and `build`: nothing is lost, nothing half-written.

A fault is a failed rename or a full disk (fsync raising ENOSPC) at the nth call, or
a kill (the process ends on the spot, no cleanup) at the nth rename. After each one
the data and the last good site must be byte for byte as before, or (after a kill
past the point of no return) exactly as a clean run leaves them once rerun; and a
rerun must succeed. The data are the small valid edition of tests/cases/base.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from casefiles import BASE_DIR
from checkup import atomic
from checkup.cli import main
from checkup.editions.newedition import new_edition
from checkup.editions.publish import publish_edition
from checkup.site import build
from checkup.site.build import build_site
from checkup.site.render import BuildError
from checkup.staff.sheetimport import import_workbook
from checkup.staff.sheets import INDICATOR_SHEET, export_template

TODAY = date(2024, 3, 1)
LAST_INDEX = 40  # far more writes than any of these commands makes; a loop stops at the first unfired fault


class Injected(Exception):
    """Stands for any failure the system may raise in the middle of a write."""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class FailAt:
    """Wrap a function so that its nth call (from 0) raises; count the calls."""

    def __init__(self, original: Callable[..., Any], n: int, error: BaseException) -> None:
        self.original, self.n, self.error, self.calls = original, n, error, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls - 1 == self.n:
            raise self.error
        return self.original(*args, **kwargs)

    @property
    def fired(self) -> bool:
        return self.calls > self.n


FAULTS: dict[str, tuple[Any, str, BaseException]] = {
    "a rename fails": (atomic, "_replace", OSError(errno.EIO, "Input/output error")),
    "the disk is full at an fsync": (os, "fsync", OSError(errno.ENOSPC, "No space left on device")),
    "the process is interrupted": (atomic, "_replace", KeyboardInterrupt()),
}


def each_fault(monkeypatch: pytest.MonkeyPatch, fault: str, run: Callable[[], object],
               reset: Callable[[], None], check: Callable[[], None]) -> int:
    """Run with the fault at write 0, 1, 2, ... until it no longer fires; check after each; return how many."""
    owner, name, error = FAULTS[fault]
    original = getattr(owner, name)
    for n in range(LAST_INDEX):
        reset()
        wrapper = FailAt(original, n, error)
        monkeypatch.setattr(owner, name, wrapper)
        with contextlib.suppress(OSError, KeyboardInterrupt, BuildError):
            run()
        monkeypatch.setattr(owner, name, original)
        if not wrapper.fired:
            return n
        check()
    raise AssertionError("the fault fired at every write")


# -- publish ----------------------------------------------------------------------------------
@pytest.fixture
def draft(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(BASE_DIR, data)
    return data


@pytest.mark.parametrize("fault", FAULTS)
def test_publish_failing_at_any_write_leaves_the_edition_as_it_was_and_can_be_rerun(
        fault: str, draft: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(draft)
    pristine = draft.parent / "pristine"
    shutil.copytree(draft, pristine)

    def reset() -> None:
        shutil.rmtree(draft)
        shutil.copytree(pristine, draft)

    def check() -> None:
        assert snapshot(draft) == before  # edition.yaml never says published without its manifest
        done = publish_edition(draft, 2023, today=TODAY)
        assert done.first and (draft / "2023/manifest.json").is_file()

    writes = each_fault(monkeypatch, fault, lambda: publish_edition(draft, 2023, today=TODAY), reset, check)
    assert writes >= 3  # the journal, the manifest and edition.yaml, at least


# -- import -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Example-like data with a 2024 draft, and a workbook changing three indicator files."""
    root = tmp_path_factory.mktemp("import")
    data = root / "data"
    shutil.copytree(BASE_DIR, data)
    publish_edition(data, 2023, today=TODAY)
    new_edition(data, 2024)
    book_path = root / "2024.xlsx"
    export_template(data, None, 2024, book_path)
    book = load_workbook(book_path)
    ws = book[INDICATOR_SHEET]
    column = [c.value for c in ws[1]].index("2024年") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = 40 + row
    book.save(book_path)
    return data, book_path


@pytest.mark.parametrize("fault", FAULTS)
def test_import_failing_at_any_write_changes_no_file_and_can_be_rerun(
        fault: str, filled: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, book = filled
    data = tmp_path / "data"
    before = snapshot(source)

    def reset() -> None:
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(source, data)

    def check() -> None:
        assert snapshot(data) == before  # not 1 of 3 files changed, none cut mid-line
        result = import_workbook(book, data)
        assert result.ok and result.written and len(result.changed) == 3, result.findings

    writes = each_fault(monkeypatch, fault, lambda: import_workbook(book, data), reset, check)
    assert writes >= 4  # the journal and three files, at least


# -- a real kill: the process ends at the nth rename, running no cleanup ----------------------
KILLER = textwrap.dedent("""
    import os, sys
    from checkup import atomic
    from checkup.cli import main
    original, calls = atomic._replace, [0]
    def dying(*args):
        calls[0] += 1
        if calls[0] - 1 == int(sys.argv[1]):
            os._exit(137)
        original(*args)
    atomic._replace = dying
    main(sys.argv[2:])
""")


def run_killed(n: int, *args: str) -> int:
    return subprocess.run([sys.executable, "-c", KILLER, str(n), *args], capture_output=True,
                          check=False).returncode


@pytest.mark.parametrize("n", [0, 2])  # killed writing the journal; after the first of three files
def test_import_killed_at_any_rename_is_finished_or_undone_by_the_next_run(
        n: int, filled: tuple[Path, Path], tmp_path: Path) -> None:
    source, book = filled
    clean = tmp_path / "clean"
    shutil.copytree(source, clean)
    assert import_workbook(book, clean).written
    data = tmp_path / "data"
    shutil.copytree(source, data)
    code = run_killed(n, "import", str(book), "--data-dir", str(data))
    olds, news = snapshot(source), snapshot(clean)
    for rel, body in snapshot(data).items():
        if not rel.rsplit("/", 1)[-1].startswith("."):
            assert body in (olds.get(rel), news.get(rel)), rel  # each file whole: old or new
    rerun = CliRunner().invoke(main, ["import", str(book), "--data-dir", str(data)])
    assert rerun.exit_code == 0, (code, rerun.output)
    assert snapshot(data) == news


@pytest.mark.parametrize("n", [1, 2])  # killed after the journal; after the manifest
def test_publish_killed_at_any_rename_can_be_rerun_to_the_same_result(n: int, draft: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(draft, clean)
    rerun = CliRunner().invoke(main, ["publish", "2023", "--data-dir", str(clean)])
    assert rerun.exit_code == 0, rerun.output
    run_killed(n, "publish", "2023", "--data-dir", str(draft))
    edition = (draft / "2023/edition.yaml").read_text(encoding="utf-8")
    assert "status: published" not in edition or (draft / "2023/manifest.json").is_file() or \
        (draft / "2023" / atomic.JOURNAL).is_file()  # published only with a manifest, or one on its way
    rerun = CliRunner().invoke(main, ["publish", "2023", "--data-dir", str(draft)])
    assert rerun.exit_code == 0, rerun.output
    assert snapshot(draft) == snapshot(clean)


# -- build ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("build") / "data"
    shutil.copytree(BASE_DIR, data)
    publish_edition(data, 2023, today=TODAY)
    return data


def fake_engine(config: Path, docs: Path, out: Path, render: Callable[[], object], **_: object) -> object:
    """Stand in for mkdocs: the site is a copy of the rendered docs (the swap is what is tested)."""
    rendered = render()
    for source in docs.rglob("*.md"):
        target = out / source.relative_to(docs).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return rendered


@pytest.fixture
def good_site(published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(build, "_run_engine", fake_engine)
    site = tmp_path / "out" / "site"
    build_site(published, site)
    return site


BUILD_FAULTS: dict[str, tuple[str, BaseException, int]] = {
    "the disk fills while rendering the first page": ("write_new", OSError(errno.ENOSPC, "full"), 0),
    "the disk fills in the middle of rendering": ("write_new", OSError(errno.ENOSPC, "full"), 30),
    "the build is interrupted while rendering": ("write_new", KeyboardInterrupt(), 10),
    "the new site cannot be flushed to disk": ("_sync_tree", OSError(errno.ENOSPC, "full"), 0),
    "the swap fails": ("exchange", OSError(errno.EIO, "Input/output error"), 0),
}


@pytest.mark.parametrize("fault", BUILD_FAULTS)
def test_a_build_failing_at_a_write_keeps_the_last_good_site_and_leaves_nothing_behind(
        fault: str, published: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name, error, n = BUILD_FAULTS[fault]
    owner = atomic if name in ("_replace", "write_new") else build
    before = snapshot(good_site)
    wrapper = FailAt(getattr(owner, name), n, error)
    monkeypatch.setattr(owner, name, wrapper)
    with pytest.raises((BuildError, KeyboardInterrupt)):
        build_site(published, good_site)
    assert wrapper.fired
    assert snapshot(good_site) == before
    monkeypatch.undo()
    monkeypatch.setattr(build, "_run_engine", fake_engine)
    build_site(published, good_site)
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"]


def test_a_full_disk_during_the_build_command_says_so_in_chinese_and_exits_1(
        published: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(good_site)
    monkeypatch.setattr(atomic, "write_new", FailAt(atomic.write_new, 3, OSError(errno.ENOSPC, "full")))
    done = CliRunner().invoke(main, ["build", str(published), "--site", str(good_site)])
    assert done.exit_code == 1
    assert done.stderr == f"磁盘已满，网站没有构建。\n构建失败，{good_site}/ 中保留的是上一次成功构建的网站。\n"
    assert snapshot(good_site) == before


def test_the_next_build_puts_back_a_site_a_killed_build_had_moved_aside_and_removes_its_leftovers(
        published: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = good_site.parent
    before = snapshot(good_site)
    # what a build killed between its two renames (where the system cannot swap in one step) leaves
    good_site.rename(parent / ".site-old-4242")
    for leftover in (".site-new-x1y2", ".site-docs-z3w4"):
        (parent / leftover).mkdir()
        atomic.mark_output(parent / leftover)
        (parent / leftover / "index.html").write_text("半个网站", encoding="utf-8")
    restored: list[dict[str, bytes]] = []
    monkeypatch.setattr(build, "render_docs", lambda *a, **k: restored.append(snapshot(good_site)) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        build_site(published, good_site)
    assert restored == [before]
    assert sorted(p.name for p in parent.iterdir()) == ["site"]


def test_a_build_removes_the_leftovers_of_a_killed_build_but_nothing_else(
        published: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = good_site.parent
    (parent / ".site-new-killed").mkdir()
    atomic.mark_output(parent / ".site-new-killed")
    (parent / ".site-docs-killed").mkdir()  # killed before it was marked: empty
    (parent / "notes").mkdir()
    (parent / ".site-new-not-ours").mkdir()
    (parent / ".site-new-not-ours" / "keep.txt").write_text("别人的文件", encoding="utf-8")
    monkeypatch.setattr(build, "_run_engine", fake_engine)
    build_site(published, good_site)
    assert sorted(p.name for p in parent.iterdir()) == [".site-new-not-ours", "notes", "site"]


def test_the_swap_exchanges_the_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "new.html").write_text("新", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.html").write_text("旧", encoding="utf-8")
    if not build.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this system cannot exchange two folders; the two-rename fallback is tested above")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["new.html"]
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["old.html"]


def test_where_folders_cannot_be_exchanged_two_renames_replace_the_site_and_leave_nothing_behind(
        published: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (good_site / "stale.html").write_text("上一版才有的页面", encoding="utf-8")
    monkeypatch.setattr(build, "exchange", lambda a, b: False)
    build_site(published, good_site)
    assert not (good_site / "stale.html").exists() and (good_site / "index.html").is_file()
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"]
