"""Start the next year's edition as a draft copy of the latest one.

What carries over is history: indicator values and revision notes, task
progress, the problem list with its follow-up, departments and responsible
planners. What belongs to one year is left out: the publication manifest, the
corrections log (emptied), the satisfaction survey, the report's chapters and the
departments' written submissions on indicators and tasks. The survey is dropped
rather than kept as a template because a copied survey passes every check:
last year's answers would be published as this year's unless someone replaced
every number, and nothing could tell. An absent survey is visible instead, in
the diff and on the site.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import atomic, paths
from ..check.frozen import CORRECTIONS_FILE
from ..read.load import edition_folders, list_files
from ..read.yamlio import parse_text
from ..staff.fmt import format_bytes
from ..staff.textedit import drop_key, leading_comments, replace_in_header, replace_in_key, set_key
from .publish import EditionError

DROPPED_FILES = (paths.MANIFEST_FILE, "survey.yaml")
SUBMITTED = ("indicator", "task")  # records whose `submission` belongs to one year


@dataclass(frozen=True)
class NewEdition:
    """What `checkup new-edition` made."""

    year: int
    source: int
    folder: Path
    copied: int
    dropped: tuple[str, ...]


def new_edition(data_dir: Path, year: int) -> NewEdition:
    """Copy the latest edition before `year` into a draft edition for `year`."""
    if not (paths.FIRST_YEAR <= year <= paths.LAST_YEAR):
        raise EditionError(f"{year} 不是可以用的年度：版本年度是 {paths.FIRST_YEAR}–{paths.LAST_YEAR} "
                           "之间的四位数年份，例如 2024。")
    folders = edition_folders(data_dir) if data_dir.is_dir() else []
    target = data_dir / str(year)
    if target.exists():
        raise EditionError(f"{year} 年的版本文件夹 {target} 已经存在。")
    later = [f.name for f in folders if int(f.name) > year]
    if later:
        raise EditionError(f"已有更晚的 {later[-1]} 年版本，不能新建 {year} 年版本。")
    if not folders:
        raise EditionError(f"{data_dir} 中没有可以复制的版本。")
    source = folders[-1]
    old_year = int(source.name)
    staging = data_dir / f".{year}.new"  # hidden, so a half-made copy is never read as an edition
    if staging.exists():
        shutil.rmtree(staging)
    copied, dropped = 0, []
    files, links = list_files(source)  # a link is not copied: its target would become a real file
    for rel, path in files.items():
        if rel in DROPPED_FILES or paths.schema_for(rel) is None:
            dropped.append(rel)
            continue
        dest = staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel == "edition.yaml":
            raw = next_edition_text(path.read_text("utf-8"), old_year, year).encode("utf-8")
        elif rel == CORRECTIONS_FILE:
            raw = (leading_comments(path.read_text("utf-8")) + "corrections: []\n").encode("utf-8")
        elif paths.schema_for(rel) in SUBMITTED and b"\nsubmission:" in path.read_bytes():
            # a department's written submission is about its year: next year's is written afresh
            raw = drop_key(path.read_text("utf-8"), "submission").encode("utf-8")
        else:
            raw = path.read_bytes()
        atomic.write_bytes(dest, canonical_bytes(raw, rel))
        copied += 1
    for folder in sorted({p.parent for p in staging.rglob("*")} | {staging}):
        atomic.sync_folder(folder)
    staging.rename(target)  # the new edition appears whole, or not at all
    atomic.sync_folder(data_dir)
    return NewEdition(year=year, source=old_year, folder=target, copied=copied, dropped=(*dropped, *links))


def canonical_bytes(raw: bytes, rel: str) -> bytes:
    """Return a file in the form `checkup fmt` writes, so a new draft passes `fmt --check`.

    A published edition keeps the bytes it was sealed with, canonical or not; its
    draft successor is not frozen and must be canonical from its first commit. A file
    that cannot be read is copied as it is, for the validator to report.
    """
    kind = paths.schema_for(rel)
    if kind in paths.JSON_KINDS:
        return raw  # JSON (the areas' boundaries) is not YAML for `checkup fmt` to rewrite
    formatted = format_bytes(raw, rel, kind)
    return formatted.text.encode("utf-8") if formatted.text is not None else raw


def next_edition_text(text: str, old_year: int, year: int) -> str:
    """Turn last year's edition.yaml into this year's draft, editing only the lines that change."""
    new = replace_in_header(text, str(old_year), str(year))
    new = set_key(new, "year", str(year))
    new = replace_in_key(new, "title", str(old_year), str(year))
    new = set_key(new, "status", "draft")
    new = drop_key(new, "published_on")
    doc = parse_text(new, "edition.yaml")
    value = doc.value if doc.ok else None
    if not (isinstance(value, dict) and value.get("year") == year and value.get("status") == "draft"
            and "published_on" not in value):
        raise EditionError("无法自动修改 edition.yaml 的 year、status 和 published_on；请手工修改新版本的 edition.yaml。")
    return new
