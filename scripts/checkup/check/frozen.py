"""Check published editions: the manifest of file hashes, the corrections log and revision notes.

A published edition is frozen: manifest.json lists every data file with its
SHA-256, and a file may change only if an entry of corrections.yaml names it
(`checkup publish` writes the manifest; see editions/publish.py). A new
edition that changes a value already published for an earlier year needs a
`revisions:` note. These checks run inside `checkup validate`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import paths
from ..findings import Finding, finding, pointer_of
from ..read.load import RawEdition
from ..read.yamlio import locate

CORRECTIONS_FILE = "corrections.yaml"
MANIFEST_FORMAT = 1
# Findings that `checkup publish` itself resolves, so they must not stop it.
FROZEN_CODES = frozenset({"manifest-missing", "published-changed", "published-removed", "published-added"})



@dataclass(frozen=True)
class Manifest:
    """What manifest.json records about a published edition."""

    edition: int
    published_on: str | None
    files: dict[str, str]  # rel path -> SHA-256 of its bytes
    corrections: tuple[dict[str, Any], ...] = ()  # sealed entries: date, files, sha256

    @property
    def sealed(self) -> set[str]:
        return {entry["sha256"] for entry in self.corrections}

    def to_json(self) -> str:
        body = {"format": MANIFEST_FORMAT, "edition": self.edition, "published_on": self.published_on,
                "files": dict(sorted(self.files.items())), "corrections": list(self.corrections)}
        return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Drift:
    """How the files of an edition differ from its manifest."""

    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(sorted((*self.changed, *self.removed, *self.added)))


@dataclass
class CorrectionLog:
    entries: list[dict[str, Any]] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)


def read_manifest(data: bytes) -> Manifest | None:
    """Parse manifest.json, or return None if it is not one."""
    try:
        body = json.loads(data.decode("utf-8"))
        files = body["files"]
        sealed = tuple(body.get("corrections", ()))
        if not (isinstance(files, dict) and all(isinstance(v, str) for v in files.values())
                and all(isinstance(e, dict) and isinstance(e.get("sha256"), str) for e in sealed)):
            return None
        return Manifest(edition=int(body["edition"]), published_on=body.get("published_on"),
                        files=dict(files), corrections=sealed)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def correction_hash(entry: Any) -> str:
    """Hash a corrections entry by its values, so reformatting the log does not unseal it."""
    value = dict(entry) if isinstance(entry, dict) else entry
    if isinstance(value, dict) and isinstance(value.get("files"), list):
        value["files"] = sorted(map(str, value["files"]))
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def frozen_hashes(hashes: Mapping[str, str]) -> dict[str, str]:
    """Return the hashes a manifest lists: every data file but the corrections log."""
    return {rel: digest for rel, digest in sorted(hashes.items()) if rel != CORRECTIONS_FILE}


def drift(manifest: Manifest, hashes: Mapping[str, str]) -> Drift:
    """Compare the files of an edition with its manifest."""
    now = frozen_hashes(hashes)
    return Drift(
        changed=tuple(rel for rel, digest in manifest.files.items() if rel in now and now[rel] != digest),
        removed=tuple(rel for rel in manifest.files if rel not in now),
        added=tuple(rel for rel in now if rel not in manifest.files),
    )


def check_published(raw: RawEdition, files: Mapping[str, bytes] | None = None) -> list[Finding]:
    """Check that a published edition matches its manifest, except for files named in corrections."""
    if files is None:
        hashes, manifest_bytes = raw.hashes, raw.manifest
    else:
        hashes = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()
                  if paths.is_data_file(rel)}
        manifest_bytes = files.get(paths.MANIFEST_FILE)
    year = raw.name
    if manifest_bytes is None:
        if _status(raw) != "published":
            return []
        where = locate(raw.texts["edition.yaml"], ("status",)) or (None, None)
        return [finding("manifest-missing", raw.display("edition.yaml"), line=where[0], column=where[1],
                        pointer="/status", year=year)]
    manifest = read_manifest(manifest_bytes)
    if manifest is None:
        return [finding("published-changed", raw.display(paths.MANIFEST_FILE), year=year)]
    log = corrections_log(raw)
    pending = pending_files(log, manifest)
    found: list[Finding] = []
    if manifest.sealed - set(log.hashes):
        found.append(finding("published-changed", raw.display(CORRECTIONS_FILE), year=year))
    moved = drift(manifest, hashes)
    found += [finding("published-changed", raw.display(rel), year=year)
              for rel in moved.changed if rel not in pending]
    found += [finding("published-removed", raw.display(rel), year=year, name=rel)
              for rel in moved.removed if rel not in pending]
    found += [finding("published-added", raw.display(rel), year=year)
              for rel in moved.added if rel not in pending]
    return found


def check_revisions(raw: RawEdition, docs: Mapping[str, Any], previous: Mapping[str, Any]) -> list[Finding]:
    """Flag values of earlier years that differ from the previous edition without a revision note."""
    before = {value["id"]: value for rel, value in previous.items() if rel.startswith("indicators/")}
    meta = docs.get("edition.yaml") or {}
    area_names = {a["id"]: a["name"] for a in meta.get("areas", ())}
    current = {value["id"] for rel, value in docs.items() if rel.startswith("indicators/")}
    found: list[Finding] = []
    for rel, indicator in docs.items():
        if not rel.startswith("indicators/"):
            continue
        old = before.get(indicator["id"])
        replaced = indicator.get("replaces")
        if old is None and replaced and replaced not in current:
            old = before.get(replaced)  # a renamed indicator keeps its history
        if old is None:
            continue
        notes = {(r["year"], r.get("area")) for r in indicator.get("revisions", ())}
        series: list[tuple[str | None, tuple[str, ...], dict[str, Any], dict[str, Any]]] = [
            (None, ("values",), old.get("values") or {}, indicator.get("values") or {})]
        old_areas = old.get("by_area") or {}
        series += [(area, ("by_area", area), old_areas.get(area) or {}, values)
                   for area, values in (indicator.get("by_area") or {}).items()]
        for area, path, then, now in series:
            if then == now:
                continue  # the usual case, decided without looking at each year
            for key, value in now.items():
                if key not in then or then[key] == value or _noted(notes, int(key), area):
                    continue
                where = locate(raw.texts[rel], (*path, key)) or (None, None)
                found.append(finding(
                    "revision-without-note", raw.display(rel), line=where[0], column=where[1],
                    pointer=pointer_of((*path, key)), year=key,
                    area=area_names.get(area, area) if area else "全市",
                    old=format_number(then[key]), new=format_number(value)))
    return found


def check_frozen(raws: Mapping[str, RawEdition], docs: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """Run the publication checks on every edition: frozen files and revision notes."""
    found: list[Finding] = []
    for name, raw in raws.items():
        found.extend(check_published(raw))
        previous = str(int(name) - 1) if paths.is_year_name(name) else ""
        if name in docs and previous in docs:
            found.extend(check_revisions(raw, docs[name], docs[previous]))
    return found


def format_number(value: float) -> str:
    """Write a number as a clerk wrote it: 12 not 12.0, no exponent for large values."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _status(raw: RawEdition) -> str | None:
    doc = raw.documents.get("edition.yaml")
    value = doc.value if doc else None
    return value.get("status") if isinstance(value, dict) else None


def corrections_log(raw: RawEdition) -> CorrectionLog:
    doc = raw.documents.get(CORRECTIONS_FILE)
    value = doc.value if doc else None
    entries = value.get("corrections") if isinstance(value, dict) else None
    log = CorrectionLog()
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict):
            log.entries.append(entry)
            log.hashes.append(correction_hash(entry))
    return log


def pending_files(log: CorrectionLog, manifest: Manifest) -> set[str]:
    """Return the files named by corrections that the manifest has not sealed yet."""
    sealed = manifest.sealed
    named: set[str] = set()
    for entry, digest in zip(log.entries, log.hashes, strict=True):
        if digest not in sealed and isinstance(entry.get("files"), list):
            named.update(str(rel) for rel in entry["files"])
    return named


def _noted(notes: set[tuple[int, str | None]], year: int, area: str | None) -> bool:
    # A note without an area explains the whole year (e.g. a census recalibration).
    return (year, None) in notes or (area is not None and (year, area) in notes)
