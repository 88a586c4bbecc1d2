"""Misuse and a failing machine: a Chinese message, exit 2 for misuse and 1 for data, no traceback.

Also: output folders that are not the command's own are refused, never emptied, and no
command writes through a symbolic link.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from casefiles import BASE_DIR
from checkup import atomic, paths
from checkup.cli import main
from checkup.editions.publish import publish_edition


def run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, list(args))
    assert "Traceback" not in done.output
    return done.exit_code, done.output


def listing(folder: Path) -> list[str]:
    """List every file and folder below folder, not descending into hidden ones such as .venv and .git."""
    found = []
    for root, dirs, names in os.walk(folder):
        found += [os.path.relpath(os.path.join(root, n), folder) for n in names + dirs]
        dirs[:] = [d for d in dirs if not d.startswith(".")]
    return sorted(found)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(BASE_DIR, data)
    return data


# -- output folders ---------------------------------------------------------------------------
@pytest.mark.parametrize("args, what", [
    (("render", "--docs", str(paths.ROOT / "scripts")), "scripts"),
    (("render", "--docs", str(paths.ROOT)), "the repository"),
    (("build", "--site", str(paths.ROOT / "data")), "data"),
    (("build", "--site", str(paths.ROOT / "scripts" / "checkup")), "the package source"),
])
def test_an_output_folder_holding_the_repository_data_or_source_is_refused_untouched(
        args: tuple[str, ...], what: str, base: Path) -> None:
    target = Path(args[-1])
    before = listing(target)
    code, output = run(args[0], str(base), *args[1:])
    assert code == 2, output
    assert output.startswith(f"错误：不能把 {target} 用作输出文件夹："), what
    assert listing(target) == before


def test_a_folder_that_checkup_did_not_create_is_refused_and_kept(base: Path, tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "plan.md").write_text("我的笔记", encoding="utf-8")
    code, output = run("render", str(base), "--docs", str(mine))
    assert code == 2
    assert "它不是空的，也不是 checkup 创建的" in output
    assert listing(mine) == ["plan.md"]


def test_an_empty_folder_is_taken_marked_and_reused(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    assert run("render", str(base), "--preview", "--docs", str(out))[0] == 0
    assert (out / atomic.OUTPUT_MARKER).is_file()
    assert run("render", str(base), "--preview", "--docs", str(out))[0] == 0


# -- misuse -----------------------------------------------------------------------------------
def test_an_empty_data_folder_is_not_reported_as_valid(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    code, output = run("validate", str(tmp_path / "data"))
    assert (code, output) == (1, f"错误：{tmp_path / 'data'} 中没有年度版本文件夹，没有检查任何数据。"
                                 "版本文件夹以四位数字的年份命名，例如 2024/；用 checkup new-edition 新建。\n")


@pytest.mark.parametrize("name", ["²⁰²⁴", "٢٠٢٤", "２０２４"])
def test_a_folder_named_with_other_digits_is_not_an_edition_and_crashes_nothing(name: str, base: Path) -> None:
    shutil.copytree(base / "2023", base / name)
    assert run("validate", str(base)) == (0, "数据检查通过，没有发现错误。\n")


@pytest.mark.parametrize("year", ["99999", "1800", "0"])
def test_a_year_the_validator_would_ignore_cannot_start_an_edition(year: str, base: Path) -> None:
    before = listing(base)
    code, output = run("new-edition", year, "--data-dir", str(base))
    assert (code, output) == (1, f"错误：{year} 不是可以用的年度：版本年度是 1949–2100 之间的四位数年份，例如 2024。\n")
    assert listing(base) == before


def test_a_workbook_into_a_missing_folder_is_a_usage_error(base: Path) -> None:
    code, output = run("export-template", "--data-dir", str(base), "-o", "/missing/dir/x.xlsx")
    assert code == 2
    assert output.endswith("文件夹 /missing/dir 不存在；先建好它，或换一个已有的文件夹。\n")


def test_a_read_only_folder_says_so_exits_2_and_changes_nothing(
        base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.read_bytes() for p in base.rglob("*") if p.is_file()}

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # as root, chmod cannot make a folder read-only
    code, output = run("publish", "2023", "--data-dir", str(base))
    assert code == 2
    assert output == f"错误：没有写入权限：{base / '2023' / 'manifest.json'}。\n"
    assert {p: p.read_bytes() for p in base.rglob("*") if p.is_file()} == before


def test_a_full_disk_says_so_exits_1_and_changes_nothing(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.read_bytes() for p in base.rglob("*") if p.is_file()}

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, output = run("publish", "2023", "--data-dir", str(base))
    assert code == 1
    assert output == f"错误：磁盘已满：{base / '2023' / 'manifest.json'}。\n"
    assert {p: p.read_bytes() for p in base.rglob("*") if p.is_file()} == before


def test_debug_shows_the_traceback_for_a_maintainer(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    done = CliRunner().invoke(main, ["--debug", "publish", "2023", "--data-dir", str(base)])
    assert isinstance(done.exception, OSError) and done.exception.errno == errno.ENOSPC


# -- links ------------------------------------------------------------------------------------
def test_fmt_does_not_rewrite_a_file_outside_the_repository_through_a_link(base: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id:   AQ-09\nname:    外部文件\n", encoding="utf-8")
    (base / "2023" / "indicators" / "AQ-09.yaml").symlink_to(outside)
    code, output = run("fmt", str(base))
    assert "AQ-09" not in output  # a link is never followed; validate reports it as a symlink finding
    assert outside.read_text(encoding="utf-8") == "id:   AQ-09\nname:    外部文件\n"


def test_fmt_does_not_rewrite_files_in_a_linked_folder(base: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "AQ-09.yaml").write_text("id:   AQ-09\n", encoding="utf-8")
    (base / "2023" / "extra").symlink_to(outside, target_is_directory=True)
    run("fmt", str(base))
    run("fmt", str(base / "2023" / "extra" / "AQ-09.yaml"), str(base))
    assert (outside / "AQ-09.yaml").read_text(encoding="utf-8") == "id:   AQ-09\n"


def test_a_dangling_manifest_link_does_not_make_publish_write_outside_the_edition(
        base: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "manifest.json"
    target.parent.mkdir()
    (base / "2023" / "manifest.json").symlink_to(target)
    code, output = run("publish", "2023", "--data-dir", str(base))
    assert code == 1
    assert "manifest.json: 错误 symlink 这是一个符号链接" in output
    assert not target.exists()
    assert "status: draft" in (base / "2023" / "edition.yaml").read_text(encoding="utf-8")


# -- publish can be rerun after a failure -------------------------------------------------------
def test_a_published_edition_without_its_manifest_is_published_again_by_a_rerun(base: Path) -> None:
    publish_edition(base, 2023)
    (base / "2023" / "manifest.json").unlink()
    code, output = run("publish", "2023", "--data-dir", str(base))
    assert code == 0, output
    assert run("validate", str(base))[0] == 0


def test_a_cut_manifest_says_how_to_recover_and_a_rerun_then_succeeds(base: Path) -> None:
    publish_edition(base, 2023)
    manifest = base / "2023" / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:40])
    code, output = run("publish", "2023", "--data-dir", str(base))
    assert code == 1
    assert "不完整或已损坏（上次发布可能中断了）" in output and "删除 manifest.json 后重新运行 checkup publish 2023" in output
    manifest.unlink()
    assert run("publish", "2023", "--data-dir", str(base))[0] == 0
