"""Read the files of an edition, from a folder or from any mapping of paths to bytes.

Reading knows nothing of schemas: it lists the files, says which kind each one
is, parses them with yamlio and reports files it cannot read or does not know.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .. import paths
from ..findings import Finding, finding
from ..forked import in_halves
from .chapters import ChapterSource, split_chapter
from .jsonio import MAX_GEOMETRY_BYTES, parse_json, too_large_geometry
from .memo import Memo
from .yamlio import MAX_FILE_BYTES, Document, decode, invisible_characters, parse_text, too_large


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


def read_edition(folder: Path, display: str | None = None, *, processes: int = 1) -> RawEdition:
    """Read every data file of one edition folder on disk, following no symbolic link."""
    shown = display or _display(folder)
    if folder.is_symlink():  # a linked edition folder is reported as one link, its files unread
        return read_edition_files(shown, folder.name, (), lambda rel: b"", [""])
    files, links = list_files(folder)
    return read_edition_files(shown, folder.name, files.keys(), lambda rel: read_file(files[rel]), links,
                              processes)


def list_files(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """List the regular files under a folder and, apart, the symbolic links, never entering one.

    A link could publish any file the build machine can read (/etc/passwd, /proc/self/environ)
    or a record nobody reviewed, so a link is reported, never read; hidden files are skipped.
    A folder that cannot be listed is passed over, as `os.walk` passes it over.
    """
    files: dict[str, Path] = {}
    links: list[str] = []

    def walk(directory: str, prefix: str) -> None:
        try:  # each entry's kind comes with the listing: no further look at the disk per file
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if entry.is_symlink():
                links.append(rel)
            elif entry.is_dir(follow_symlinks=False):
                walk(entry.path, rel + "/")
            elif entry.is_file(follow_symlinks=False):
                files[rel] = Path(entry.path)

    walk(os.fspath(folder), "")
    return dict(sorted(files.items())), sorted(links)


def read_file(path: Path) -> bytes:
    """Return a file's bytes, refusing a symbolic link put in its place since it was listed."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as stream:
        return stream.read()


def linked_entries(data_dir: Path) -> list[Finding]:
    """Report the symbolic links directly in a data directory, such as a linked edition folder."""
    return [finding("symlink", _display_link(p)) for p in sorted(data_dir.iterdir()) if p.is_symlink()]


def read_edition_files(display: str, name: str, rels: Iterable[str], read: Callable[[str], bytes],
                       links: Iterable[str] = (), processes: int = 1) -> RawEdition:
    """Read an edition from file names and a function that returns a file's bytes (parsed by `processes`)."""
    raw = RawEdition(folder=display, name=name)
    links = list(links)
    raw.findings.extend(finding("symlink", raw.display(rel) if rel else display) for rel in links)
    if "" in links:  # the folder itself is a link: nothing in it is read, so nothing is missing
        return raw
    to_parse: list[tuple[str, tuple[str, str, bytes]]] = []  # (rel, (kind, shown, bytes))
    for rel in sorted(rels):
        kind = paths.schema_for(rel) or (paths.CHAPTER_SCHEMA if paths.report_part(rel) else None)
        if kind is None:
            if rel == paths.MANIFEST_FILE:
                raw.manifest = _read(raw, rel, read)
            elif not rel.endswith(".md"):
                raw.findings.append(finding("unknown-file", raw.display(rel)))
            continue
        data = _read(raw, rel, read)
        if data is not None:
            to_parse.append((rel, (kind, raw.display(rel), data)))
    for (rel, (kind, _, data)), parsed in zip(to_parse, _parse_all([key for _, key in to_parse], processes),
                                              strict=True):
        raw.hashes[rel] = hashlib.sha256(data).hexdigest()
        raw.findings.extend(parsed.findings)
        if parsed.chapter is not None:
            raw.chapters[rel] = parsed.chapter
        if parsed.doc is not None and parsed.doc.ok:
            raw.documents[rel] = parsed.doc
            raw.kinds[rel] = kind
            raw.texts[rel] = parsed.text
    for required in paths.REQUIRED_FILES:
        if required not in raw.documents and not any(
            f.file == raw.display(required) for f in raw.findings
        ):
            raw.findings.append(finding("missing-file", raw.display(required), name=required))
    return raw


@dataclass(frozen=True)
class _Parsed:
    """What reading made of one file's bytes: its findings and, if it could be parsed, its document."""

    findings: tuple[Finding, ...]
    doc: Document | None = None
    text: str = ""
    chapter: ChapterSource | None = None


# The files parsed lately, by kind, name and bytes: a rebuild under `mkdocs serve` parses
# again only the files that changed (checkup.read.memo).
_PARSED: Memo[_Parsed] = Memo(50_000)
PARALLEL_FROM = 1000  # files of one edition from which two processes parse it, each half of them


def _parse_all(keys: list[tuple[str, str, bytes]], processes: int) -> list[_Parsed]:
    """Parse files given as (kind, name shown, bytes); with two processes or more, a forked copy parses half.

    Parsing is most of reading a large edition, and the copy's documents come back whole: the
    same values and findings one process makes; they are remembered here as if parsed here.
    """
    made = in_halves(_parse_each, keys, processes=processes, least=PARALLEL_FROM, doing="读取数据文件")
    for key, parsed in zip(keys, made, strict=True):
        _PARSED.get(key, partial(_given, parsed))
    return made


def _parse_each(keys: list[tuple[str, str, bytes]]) -> list[_Parsed]:
    return [_PARSED.get(key, partial(_parse, *key)) for key in keys]


def _given(parsed: _Parsed) -> _Parsed:
    return parsed


def _parse(kind: str, shown: str, data: bytes) -> _Parsed:
    if kind in paths.JSON_KINDS and len(data) > MAX_GEOMETRY_BYTES:
        return _Parsed((too_large_geometry(shown, len(data)),))
    if len(data) > MAX_FILE_BYTES:
        return _Parsed((too_large(shown, len(data)),))
    text, problems = decode(data, shown)
    if text is None:
        return _Parsed(tuple(problems))
    chapter = None
    if kind == paths.CHAPTER_SCHEMA:
        hidden = invisible_characters(text, shown)  # the body reaches the report and its web page too
        if hidden:
            return _Parsed(tuple(hidden))
        chapter = split_chapter(text, shown)
        doc, text = chapter.front, chapter.front_text
    else:
        doc = parse_json(text, shown) if kind in paths.JSON_KINDS else parse_text(text, shown)
    return _Parsed(tuple(doc.findings), doc, text, chapter)


_OS_REASONS = {
    errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在（可能刚被移走或改名）", errno.EIO: "磁盘读取出错",
    errno.ELOOP: "文件在读取前被换成了符号链接",
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


def _display_link(link: Path) -> str:
    """Name a link by where it is, not by where it points."""
    parent = _display(link.parent)
    return link.name if parent == "." else f"{parent}/{link.name}"


def _display(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()

