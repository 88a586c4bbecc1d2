"""Read the files of an edition, from a folder or from any mapping of paths to bytes.

Reading knows nothing of schemas: it lists the files, says which kind each one
is, parses them with yamlio and reports files it cannot read or does not know.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..findings import Finding, finding
from .chapters import ChapterSource, split_chapter
from .jsonio import MAX_GEOMETRY_BYTES, parse_json, too_large_geometry
from .yamlio import MAX_FILE_BYTES, Document, decode, parse_text, too_large


@dataclass
class RawEdition:
    """The parsed files of one edition folder, before any check of their content."""

    folder: str  # as shown to people, e.g. "data/2023"
    name: str  # the folder's own name, e.g. "2023"
    documents: dict[str, Document] = field(default_factory=dict)  # rel path in edition -> doc
    kinds: dict[str, str] = field(default_factory=dict)  # rel path in edition -> schema name
    texts: dict[str, str] = field(default_factory=dict)  # rel path in edition -> text
    findings: list[Finding] = field(default_factory=list)
    # SHA-256 of the exact bytes of every data file read, and the publication manifest if any:
    # a published edition is checked against them (check/frozen.py).
    hashes: dict[str, str] = field(default_factory=dict)
    manifest: bytes | None = None
    # Report chapters (report/general/*.md, report/special/*.md): their front matter is a
    # document of kind "chapter" above, with its text padded to keep the file's line numbers.
    chapters: dict[str, ChapterSource] = field(default_factory=dict)

    def display(self, rel: str) -> str:
        return f"{self.folder}/{rel}"


def read_edition(folder: Path, display: str | None = None) -> RawEdition:
    """Read every data file of one edition folder on disk."""
    shown = display or _display(folder)
    files = {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }
    return read_edition_files(shown, folder.name, files.keys(), lambda rel: files[rel].read_bytes())


def read_edition_files(display: str, name: str, rels: Iterable[str],
                       read: Callable[[str], bytes]) -> RawEdition:
    """Read an edition from file names and a function that returns a file's bytes."""
    raw = RawEdition(folder=display, name=name)
    for rel in sorted(rels):
        kind = paths.schema_for(rel) or (paths.CHAPTER_SCHEMA if paths.report_part(rel) else None)
        if kind is None:
            if rel == paths.MANIFEST_FILE:
                raw.manifest = _read(raw, rel, read)
            elif not rel.endswith(".md"):
                raw.findings.append(finding("unknown-file", raw.display(rel)))
            continue
        shown = raw.display(rel)
        data = _read(raw, rel, read)
        if data is None:
            continue
        raw.hashes[rel] = hashlib.sha256(data).hexdigest()
        is_json = kind in paths.JSON_KINDS
        if is_json and len(data) > MAX_GEOMETRY_BYTES:
            raw.findings.append(too_large_geometry(shown, len(data)))
            continue
        if len(data) > MAX_FILE_BYTES:
            raw.findings.append(too_large(shown, len(data)))
            continue
        text, problems = decode(data, shown)
        if text is None:
            raw.findings.extend(problems)
            continue
        if kind == paths.CHAPTER_SCHEMA:
            chapter = split_chapter(text, shown)
            doc, text = chapter.front, chapter.front_text
            raw.chapters[rel] = chapter
        else:
            doc = parse_json(text, shown) if is_json else parse_text(text, shown)
        raw.findings.extend(doc.findings)
        if doc.ok:
            raw.documents[rel] = doc
            raw.kinds[rel] = kind
            raw.texts[rel] = text
    for required in paths.REQUIRED_FILES:
        if required not in raw.documents and not any(
            f.file == raw.display(required) for f in raw.findings
        ):
            raw.findings.append(finding("missing-file", raw.display(required), name=required))
    return raw


_OS_REASONS = {
    errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在（可能刚被移走或改名）", errno.EIO: "磁盘读取出错",
}


def _read(raw: RawEdition, rel: str, read: Callable[[str], bytes]) -> bytes | None:
    """Return a file's bytes, or record why it cannot be read (no permission, gone meanwhile)."""
    try:
        return read(rel)
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        raw.findings.append(finding("file-unreadable", raw.display(rel), reason=reason))
        return None


def read_edition_mapping(display: str, name: str, files: Mapping[str, bytes]) -> RawEdition:
    """Read an edition held in memory, e.g. taken from git objects."""
    return read_edition_files(display, name, files.keys(), files.__getitem__)


def edition_folders(data_dir: Path) -> list[Path]:
    """List the edition folders of a data directory, oldest first."""
    return sorted(p for p in data_dir.iterdir() if paths.is_edition_folder(p))


def _display(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()

