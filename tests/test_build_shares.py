"""The render and the site engine run as two processes build the bytes one process builds."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from checkup import paths
from checkup.forked import Forked
from checkup.site import build, render
from checkup.site.build import build_site
from checkup.synth import write_synthetic_data


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _both(data: Path, tmp_path: Path, monkeypatch, preview: bool = False) -> tuple[dict[str, bytes], dict[str, bytes]]:
    sites = []
    for count in ("1", "2"):
        monkeypatch.setenv(build.PROCESSES_VARIABLE, count)
        site = tmp_path / f"site-{count}"
        build_site(data, site, preview=preview)
        sites.append(_files(site))
    return sites[0], sites[1]


@pytest.mark.parametrize("preview", [False, True], ids=["published", "preview"])
def test_the_example_site_built_by_two_processes_is_the_one_process_site(tmp_path: Path, monkeypatch,
                                                                         preview: bool) -> None:
    one, two = _both(paths.DATA_DIR, tmp_path, monkeypatch, preview)
    assert sorted(one) == sorted(two)
    assert [rel for rel in one if one[rel] != two[rel]] == []
    assert build.SHARE_FILE not in two


def test_a_synthetic_site_built_by_two_processes_is_the_one_process_site(tmp_path: Path, monkeypatch) -> None:
    data = write_synthetic_data(tmp_path / "data", areas=4, indicators=25, years=5, tasks=30, problems=10, seed=3)
    one, two = _both(data, tmp_path, monkeypatch, preview=True)
    assert sorted(one) == sorted(two)
    assert [rel for rel in one if one[rel] != two[rel]] == []


def _built_by_two(tmp_path: Path, monkeypatch) -> tuple[Path, dict[str, bytes]]:
    """The example site built by two processes: where it is, and its files."""
    monkeypatch.setenv(build.PROCESSES_VARIABLE, "2")
    site = tmp_path / "site"
    build_site(paths.DATA_DIR, site)
    return site, _files(site)


def test_a_failure_in_the_renders_second_process_fails_the_build_and_keeps_the_last_site(
        tmp_path: Path, monkeypatch) -> None:
    site, before = _built_by_two(tmp_path, monkeypatch)
    parent = os.getpid()
    real = render._indicator_outputs

    def broken(*args: object) -> object:  # fails in the copy only; this process makes its share
        if os.getpid() != parent:
            raise render.BuildError("第二个进程中的错误")
        return real(*args)

    monkeypatch.setattr(render, "_indicator_outputs", broken)  # the forked copy has it too
    with pytest.raises(render.BuildError, match="第二个进程中的错误"):
        build_site(paths.DATA_DIR, site)
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failure_while_the_second_process_still_writes_stops_it_and_leaves_nothing_behind(
        tmp_path: Path, monkeypatch) -> None:
    site, before = _built_by_two(tmp_path, monkeypatch)
    real = render._indicator_outputs

    def slow(*args: object) -> object:  # the copy is still writing when this process fails
        time.sleep(1)
        return real(*args)

    def broken(*_args: object) -> object:
        raise render.BuildError("第一个进程中的错误")

    monkeypatch.setattr(render, "_indicator_outputs", slow)
    monkeypatch.setattr(render, "glossary_page", broken)
    with pytest.raises(render.BuildError, match="第一个进程中的错误"):
        build_site(paths.DATA_DIR, site)
    assert multiprocessing.active_children() == []
    time.sleep(1.5)  # where the copy left running, it would write on into the removed folder now
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_render_process_that_dies_is_reported_not_waited_for() -> None:
    forked = Forked(lambda _site: os._exit(3), None, died=render.RENDER_DIED)
    with pytest.raises(RuntimeError, match="第二个进程意外退出"):
        forked.result()
    assert forked.process is not None and forked.process.exitcode == 3


@pytest.mark.parametrize(("asked", "cores", "used"), [
    ("1", 2, 1), ("2", 2, 2), ("", 2, 2), ("", 1, 1), ("3", 1, 3), ("lots", 2, 2), ("0", 2, 2), ("99", 2, 8),
])
def test_the_number_of_engine_processes_follows_the_setting_and_the_cores(monkeypatch, asked: str, cores: int,
                                                                           used: int) -> None:
    monkeypatch.setenv(build.PROCESSES_VARIABLE, asked)
    monkeypatch.setattr(build.os, "cpu_count", lambda: cores)
    assert build.engine_processes() == used


def _hooks():
    spec = importlib.util.spec_from_file_location("checkup_hooks", paths.OVERRIDES_DIR / "hooks.py")
    assert spec and spec.loader
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    return hooks


def test_the_builds_downloads_are_linked_into_the_new_site_not_copied(tmp_path: Path) -> None:
    from mkdocs.structure.files import File

    hooks = _hooks()
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "downloads").mkdir(parents=True)
    (docs / "downloads" / "a.csv").write_bytes(b"\xef\xbb\xbf\xe5\xb9\xb4\xe4\xbb\xbd\n2023\n")
    hooks._link_file(File("downloads/a.csv", str(docs), str(site), True))
    assert (site / "downloads" / "a.csv").samefile(docs / "downloads" / "a.csv")
    # a file already there (the theme's, say) is copied over, as the engine copies it
    (docs / "b.css").write_text("new", encoding="utf-8")
    (site / "b.css").write_text("old", encoding="utf-8")
    hooks._link_file(File("b.css", str(docs), str(site), True))
    assert (site / "b.css").read_text(encoding="utf-8") == "new"
    assert not (site / "b.css").samefile(docs / "b.css")


def test_without_shared_memory_the_render_makes_every_indicator_once_in_one_process(tmp_path: Path,
                                                                                    monkeypatch) -> None:
    def no_shared_memory(*_args: object) -> object:
        raise OSError("no semaphores here")

    render.render_docs(paths.DATA_DIR, tmp_path / "one", processes=1, scratch=True)
    monkeypatch.setattr(render.multiprocessing, "Value", no_shared_memory)
    render.render_docs(paths.DATA_DIR, tmp_path / "two", processes=2, scratch=True)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert multiprocessing.active_children() == []


def test_a_dead_second_process_is_told_as_what_to_do_not_as_a_bug(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from checkup.cli import main

    monkeypatch.setenv(build.PROCESSES_VARIABLE, "2")
    parent = os.getpid()
    real = render._indicator_outputs

    def dies(*args: object) -> object:  # the copy ends at once, as the system's out-of-memory killer ends it
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(render, "_indicator_outputs", dies)
    done = CliRunner().invoke(main, ["build", str(paths.DATA_DIR), "--site", str(tmp_path / "site")])
    assert done.exit_code == 1
    assert done.stderr == f"错误：{render.RENDER_DIED}\n"  # what to do, not an internal error to report
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no site was there, and none half-built is left
