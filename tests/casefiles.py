"""The invalid-data cases under tests/cases/, and the few that are written by code.

A case folder holds only the files that differ from the valid base edition in
cases/base/, plus expected.yaml: the findings the validator must give. At test
time the base is copied, the case is laid over it, and a file named
`<path>.delete` removes that path. Inputs that are too big or binary to keep in
git are written by a function in GENERATED_CASES instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from checkup.check.validate import Result, check_data
from checkup.read import jsonio, load, yamlio

CASES_DIR = Path(__file__).parent / "cases"
BASE_DIR = CASES_DIR / "base"
EXPECTED_FILE = "expected.yaml"
DELETE_SUFFIX = ".delete"

# Codes whose cases live with the publishing tests: they need a published edition
# and the manifest `checkup publish` writes for it, which those tests build.
SKIPPED_CODES = {
    "manifest-missing": "owned by the publishing tests (needs a published edition)",
    "published-changed": "owned by the publishing tests (needs a manifest of the published files)",
    "published-removed": "owned by the publishing tests (needs a manifest of the published files)",
    "published-added": "owned by the publishing tests (needs a manifest of the published files)",
    "revision-without-note": "owned by the publishing tests (compares with the published values)",
}

# Groups of codes raised by other commands than `checkup validate`, with the tests that own them.
SKIPPED_GROUPS = {
    "表格": "raised by the spreadsheet import (checkup import), whose tests own them",
}

Writer = Callable[[Path, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class GeneratedCase:
    """A case whose input is written by code: too big or not text."""

    write: Writer
    expected: list[dict[str, Any]]


def _write_bom(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = data / "2023/indicators/LS-01.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())


def _write_gbk(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Saved by an editor set to the Windows "ANSI" code page: valid GBK, invalid UTF-8.
    target = data / "2023/indicators/LS-01.yaml"
    target.write_bytes(target.read_text("utf-8").encode("gbk"))


def _write_control_character(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A vertical tab, as pasted from a word processor into a task summary.
    target = data / "2023/tasks/RW-01.yaml"
    text = target.read_text("utf-8").replace("新增纳入改造计划", "新增纳入\x0b改造计划")
    target.write_text(text, "utf-8")


def _write_over_size_limit(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = data / "2023/indicators/LS-01.yaml"
    with target.open("r+b") as handle:  # sparse: takes no disk space
        handle.truncate(yamlio.MAX_FILE_BYTES + 1)


def _write_oversized_geometry(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Survey-grade boundaries exported without simplifying: valid GeoJSON, too heavy for a web map.
    target = data / "2023/areas.geojson"
    padding = " " * (jsonio.MAX_GEOMETRY_BYTES + 1 - target.stat().st_size)
    target.write_text(target.read_text("utf-8") + padding, "utf-8")


def _write_unreadable(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = data / "2023/tasks/RW-01.yaml"
    target.chmod(0)
    if os.name != "posix" or os.geteuid() == 0:  # permissions do not stop root: fail the read itself
        real_read = load.read_file

        def read_file(path: Path) -> bytes:
            if path.resolve() == target.resolve():
                raise PermissionError(13, "Permission denied", str(path))
            return real_read(path)

        monkeypatch.setattr(load, "read_file", read_file)


def _write_linked_record(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A record kept outside the repository and linked in: it was never reviewed where it is published.
    outside = data.parent / "outside"
    outside.mkdir()
    record = outside / "LS-09.yaml"
    record.write_text((data / "2023/indicators/LS-01.yaml").read_text("utf-8").replace("LS-01", "LS-09"), "utf-8")
    (data / "2023/indicators/LS-09.yaml").symlink_to(record)
    (data / "2023/passwd.yaml").symlink_to("/etc/passwd")
    (data / "2023/tasks/environ.yaml").symlink_to("/proc/self/environ")


def _write_linked_folders(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A linked edition folder and a linked record folder inside an edition.
    (data / "2024").symlink_to(data / "2023", target_is_directory=True)
    shutil.move(data / "2023/problems", data.parent / "problems")
    (data / "2023/problems").symlink_to(data.parent / "problems", target_is_directory=True)


def _write_bidi_override(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # U+202E pasted into a task summary, and a zero-width space escaped in a double-quoted value.
    target = data / "2023/tasks/RW-01.yaml"
    text = target.read_text("utf-8").replace("新增纳入改造计划", "新增纳入\u202e改造计划")
    target.write_text(text, "utf-8")
    target = data / "2023/indicators/LS-01.yaml"
    text = target.read_text("utf-8").replace("data_source: 市园林绿化局年报", 'data_source: "市园林\\u200b绿化局年报"')
    target.write_text(text, "utf-8")


def _write_bidi_in_chapter(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A report chapter whose body hides a right-to-left override: the body is published too.
    chapter = data / "2023/report/special/01-专项.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("---\ntitle: 专项\n---\n正文\u202e内容\n", "utf-8")


GENERATED_CASES: dict[str, GeneratedCase] = {
    "bom": GeneratedCase(_write_bom, [
        {"file": "2023/indicators/LS-01.yaml", "line": 1, "code": "bom"},
    ]),
    "control-character": GeneratedCase(_write_control_character, [
        {"file": "2023/tasks/RW-01.yaml", "line": 20, "code": "invisible-character"},
    ]),
    "bidi-override": GeneratedCase(_write_bidi_override, [
        {"file": "2023/tasks/RW-01.yaml", "line": 20, "code": "invisible-character"},
        {"file": "2023/indicators/LS-01.yaml", "line": 27, "code": "invisible-character", "pointer": "/data_source"},
    ]),
    "bidi-in-chapter": GeneratedCase(_write_bidi_in_chapter, [
        {"file": "2023/report/special/01-专项.md", "line": 4, "code": "invisible-character"},
    ]),
    "linked-record": GeneratedCase(_write_linked_record, [
        {"file": "2023/indicators/LS-09.yaml", "line": None, "code": "symlink"},
        {"file": "2023/passwd.yaml", "line": None, "code": "symlink"},
        {"file": "2023/tasks/environ.yaml", "line": None, "code": "symlink"},
    ]),
    "linked-folders": GeneratedCase(_write_linked_folders, [
        {"file": "2024", "line": None, "code": "symlink"},
        {"file": "2023/problems", "line": None, "code": "symlink"},
        # the linked folder's records are not read, so a task's reference to one of them is unknown
        {"file": "2023/tasks/RW-02.yaml", "line": 14, "code": "unknown-problem", "pointer": "/from_problems/0"},
    ]),
    "gbk-text": GeneratedCase(_write_gbk, [
        {"file": "2023/indicators/LS-01.yaml", "line": 2, "code": "not-utf8"},
    ]),
    "over-size-limit": GeneratedCase(_write_over_size_limit, [
        {"file": "2023/indicators/LS-01.yaml", "line": None, "code": "file-too-large"},
    ]),
    "geometry-too-large": GeneratedCase(_write_oversized_geometry, [
        {"file": "2023/areas.geojson", "line": None, "code": "geometry-too-large"},
    ]),
    "unreadable-file": GeneratedCase(_write_unreadable, [
        {"file": "2023/tasks/RW-01.yaml", "line": None, "code": "file-unreadable"},
    ]),
}


def folder_case_names() -> list[str]:
    return sorted(p.name for p in CASES_DIR.iterdir() if (p / EXPECTED_FILE).is_file())


def all_case_names() -> list[str]:
    return sorted([*folder_case_names(), *GENERATED_CASES])


def expected_findings(name: str) -> list[dict[str, Any]]:
    """Return the findings a case must give, as written in its expected.yaml."""
    if name in GENERATED_CASES:
        return GENERATED_CASES[name].expected
    listed = yaml.safe_load((CASES_DIR / name / EXPECTED_FILE).read_text("utf-8"))
    return list(listed or [])


def build_case(name: str, data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write a case's data directory: the base edition with the case laid over it."""
    shutil.copytree(BASE_DIR, data)
    if name in GENERATED_CASES:
        GENERATED_CASES[name].write(data, monkeypatch)
    elif name != "base":
        overlay = CASES_DIR / name
        for source in sorted(overlay.rglob("*")):
            rel = source.relative_to(overlay)
            if source.is_dir() or rel.as_posix() == EXPECTED_FILE:
                continue
            target = data / rel
            if source.name.endswith(DELETE_SUFFIX):
                doomed = target.with_name(source.name.removesuffix(DELETE_SUFFIX))
                if doomed.is_dir():
                    shutil.rmtree(doomed)
                else:
                    doomed.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return data


def run_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """Check a case from inside its data directory, so files are named as in expected.yaml."""
    data = build_case(name, tmp_path / "data", monkeypatch)
    monkeypatch.chdir(data)
    return check_data(data)


Key = tuple[str, int | None, str]


def _ordered(keys: list[Key]) -> list[Key]:
    return sorted(keys, key=lambda k: (k[0], k[1] or 0, k[2]))


def finding_keys(result: Result) -> list[Key]:
    """Return (file, line, code) of every finding, in a stable order."""
    return _ordered([(f.file, f.line, f.code) for f in result.findings])


def expected_keys(name: str) -> list[Key]:
    """Return (file, line, code) of every finding a case must give, in a stable order."""
    return _ordered([(e["file"], e["line"], e["code"]) for e in expected_findings(name)])
