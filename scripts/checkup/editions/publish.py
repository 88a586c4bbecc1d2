"""Publish an edition: mark it published, write its manifest, and seal logged corrections.

`checkup publish YEAR` marks an edition published and lists every data file
with its SHA-256 in manifest.json. From then on a file may change only if an
entry of corrections.yaml names it. `checkup publish YEAR --correction`
re-hashes once every change is named, and seals the entries it covered by
recording their hashes in the manifest: a sealed entry no longer excuses later
changes and must stay in the log as it was. corrections.yaml itself is not
hashed, because it grows with every correction; its sealed entries are. So the
manifest says what the files are and which corrections made them so, the log
says what changed, why and by whom, and git keeps every earlier version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import paths
from ..assess.rules import DEFAULT_RULES, rules_yaml
from ..atomic import Transaction, recover
from ..check.frozen import (
    FROZEN_CODES,
    CorrectionLog,
    Manifest,
    corrections_log,
    drift,
    frozen_hashes,
    pending_files,
    read_manifest,
)
from ..check.validate import check_data
from ..findings import Finding
from ..staff.textedit import set_key


class EditionError(Exception):
    """Publishing or starting an edition stopped; the message says why in a clerk's words."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Published:
    """What one run of `checkup publish` did."""

    year: int
    manifest: Path
    files: int
    first: bool  # there was no manifest before
    published_on: str | None = None
    sealed: tuple[str, ...] = ()  # the dates and files of corrections sealed by this run
    edited: tuple[str, ...] = ()  # fields of edition.yaml that were set
    warnings: tuple[Finding, ...] = ()  # warnings about the edition, shown but not blocking
    recorded_rules: bool = False  # rules.yaml was written with the default rules


def publish_edition(data_dir: Path, year: int, *, correction: bool = False,
                    today: date | None = None) -> Published:
    """Mark an edition published and write its manifest; with `correction`, seal registered corrections."""
    folder = data_dir / str(year)
    if not paths.is_edition_folder(folder):
        raise EditionError(f"没有 {year} 年的版本文件夹 {folder}。")
    recover(folder)  # finish or clear what a killed run left
    result = check_data(data_dir)
    raw = result.raw[str(year)]
    mine = [f for f in result.findings if f.file.startswith(raw.folder + "/") and f.code not in FROZEN_CODES]
    blocking = [f for f in mine if f.severity == "error"]
    if blocking:
        raise EditionError(f"{year} 年版本有 {len(blocking)} 个错误，改正后才能发布。", blocking)
    if raw.manifest is not None and read_manifest(raw.manifest) is None:
        raise EditionError(
            f"{year} 年版本的发布清单 {folder / paths.MANIFEST_FILE} 不完整或已损坏（上次发布可能中断了）。"
            f"如果 git 中有它完整的版本，用 git checkout 恢复后再运行；如果这个版本刚刚发布、清单还没有提交过，"
            f"删除 manifest.json 后重新运行 checkup publish {year}，会按现在的文件重新生成。")
    old = read_manifest(raw.manifest) if raw.manifest is not None else None
    if correction and old is None:
        raise EditionError(f"{year} 年版本还没有发布清单，先运行 checkup publish {year}。")
    log = corrections_log(raw)
    if old is not None:
        _refuse_unregistered(year, old, log, raw.hashes, correction)
    when = (today or date.today()).isoformat()
    edition_file = folder / "edition.yaml"
    marked, edited = _mark_published(edition_file.read_bytes(), when) if old is None else (b"", ())
    hashes = dict(raw.hashes)
    if edited:
        hashes["edition.yaml"] = hashlib.sha256(marked).hexdigest()
    # Record the rules the edition is published with, so a later default never changes its verdicts.
    recorded = old is None and "rules.yaml" not in raw.documents
    rules_text = rules_yaml(DEFAULT_RULES) if recorded else ""
    if recorded:
        hashes["rules.yaml"] = hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
    sealed = [(entry, digest) for entry, digest in zip(log.entries, log.hashes, strict=True)
              if old is None or digest not in old.sealed]
    meta = raw.documents["edition.yaml"].value
    manifest = Manifest(
        edition=year, published_on=old.published_on if old else meta.get("published_on") or when,
        files=frozen_hashes(hashes),
        corrections=(*(old.corrections if old else ()),
                     *({"date": e.get("date"), "files": sorted(e.get("files", ())), "sha256": d} for e, d in sealed)),
    )
    target = folder / paths.MANIFEST_FILE
    # One transaction: edition.yaml never says published without the complete manifest beside it.
    with Transaction(root=folder) as change:
        change.write_text(target, manifest.to_json())
        if edited:
            change.write_bytes(edition_file, marked)
        if recorded:
            change.write_text(folder / "rules.yaml", rules_text)
    return Published(year=year, manifest=target, files=len(manifest.files), first=old is None,
                     published_on=manifest.published_on, edited=edited,
                     sealed=tuple(f"{e.get('date')} {'、'.join(e.get('files', ()))}" for e, _ in sealed),
                     warnings=tuple(mine), recorded_rules=recorded)


def _refuse_unregistered(year: int, old: Manifest, log: CorrectionLog, hashes: Mapping[str, str],
                         correction: bool) -> None:
    """Stop unless every file that moved since the manifest is named by a pending correction."""
    if old.sealed - set(log.hashes):
        raise EditionError(f"{year} 年版本 corrections.yaml 中已登记的更正被修改或删除了；"
                           "恢复原来的记录，新的更正另起一条。")
    pending = pending_files(log, old)
    moved = drift(old, hashes).files
    unnamed = [rel for rel in moved if not correction or rel not in pending]
    if unnamed:
        if correction:
            hint = "先在 corrections.yaml 中登记这些文件的更正"
        elif all(rel in pending for rel in moved):
            hint = f"这些文件已在 corrections.yaml 中登记更正，运行 checkup publish {year} --correction 确认"
        else:
            hint = f"在 corrections.yaml 中登记更正后运行 checkup publish {year} --correction"
        raise EditionError(f"已发布的 {year} 年版本有 {len(unnamed)} 个文件与发布清单不一致："
                           f"{'、'.join(unnamed)}。{hint}。")


def _mark_published(data: bytes, when: str) -> tuple[bytes, tuple[str, ...]]:
    """Return edition.yaml marked published, and the fields that were set."""
    text = data.decode("utf-8")
    edited: list[str] = []
    new = set_key(text, "status", "published")
    if new != text:
        edited.append("status")
    if not _has_top_key(new, "published_on"):
        new = set_key(new, "published_on", f'"{when}"', after="status")
        edited.append("published_on")
    return new.encode("utf-8"), tuple(edited)


def _has_top_key(text: str, key: str) -> bool:
    return any(line.startswith(f"{key}:") for line in text.splitlines())


