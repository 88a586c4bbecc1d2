"""Which edition of a data folder a test means: the latest published one, or the next new one.

The example data in data/ may hold a draft after the published editions (an in-year
edition being filled). A test that starts an edition of its own starts the year after
the latest edition there, whatever that is; a test about what the public reads asks for
the latest published edition, never simply the latest folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from checkup import paths
from checkup.model import Edition
from checkup.read.load import edition_folders
from checkup.read.yamlio import parse_text

PUBLISHED = "published"


def next_year(data_dir: Path = paths.DATA_DIR) -> int:
    """Return the year a new edition of data_dir gets: the one after its latest edition."""
    return int(edition_folders(data_dir)[-1].name) + 1


def published_years(data_dir: Path = paths.DATA_DIR) -> list[int]:
    """Return the years of data_dir's published editions, oldest first."""
    years = []
    for folder in edition_folders(data_dir):
        doc = parse_text((folder / "edition.yaml").read_text("utf-8"), "edition.yaml")
        if isinstance(doc.value, dict) and doc.value.get("status") == PUBLISHED:
            years.append(int(folder.name))
    return years


def draft_years(data_dir: Path = paths.DATA_DIR) -> list[int]:
    """Return the years of data_dir's editions that are not published, oldest first."""
    published = set(published_years(data_dir))
    return [int(f.name) for f in edition_folders(data_dir) if int(f.name) not in published]


def latest_published_year(data_dir: Path = paths.DATA_DIR) -> int:
    """Return the year of data_dir's latest published edition: the public site's home."""
    return published_years(data_dir)[-1]


def only_published(editions: Mapping[int, Edition]) -> dict[int, Edition]:
    """Return the published editions of a check's result: what the public site is made of."""
    return {year: e for year, e in editions.items() if e.status == PUBLISHED}


def latest_published(editions: Mapping[int, Edition]) -> Edition:
    """Return the latest published edition of a check's result."""
    return only_published(editions)[max(only_published(editions))]


def copy_published(target: Path, data_dir: Path = paths.DATA_DIR) -> Path:
    """Copy only data_dir's published editions to target: the data as they stood before any draft."""
    target.mkdir(parents=True)
    for year in published_years(data_dir):
        shutil.copytree(data_dir / str(year), target / str(year))
    return target


NEXT = next_year()  # the year of an edition a test starts on a copy of data/
LATEST_PUBLISHED = latest_published_year()  # the public site's home edition in data/
