"""Every directory and file name the project uses, in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
# The commands read data/ of the folder they run in, so they serve any data repository
# (a pre-commit hook installs this package elsewhere than the data it checks).
WORKING_DATA_DIR = Path("data")
SCHEMA_DIR = ROOT / "schemas"
CONTENT_DIR = ROOT / "content"
OVERRIDES_DIR = ROOT / "site_overrides"
DOCS_DIR = ROOT / "generated"  # Markdown + assets written by `checkup render`; mkdocs reads it
SITE_DIR = ROOT / "site"

# The files of an edition folder and the schema each one follows.
SINGLE_FILES = {
    "edition.yaml": "edition",
    "departments.yaml": "departments",
    "survey.yaml": "survey",
    "corrections.yaml": "corrections",
}
REQUIRED_FILES = ("edition.yaml", "departments.yaml")
RECORD_FOLDERS = {"indicators": "indicator", "tasks": "task", "problems": "problem"}
MANIFEST_FILE = "manifest.json"  # written by `checkup publish`, not a data file


def is_edition_folder(path: Path) -> bool:
    return path.is_dir() and path.name.isdigit() and len(path.name) == 4


def schema_for(rel_in_edition: str) -> str | None:
    """Return the schema name for a file path inside an edition folder, or None."""
    if rel_in_edition in SINGLE_FILES:
        return SINGLE_FILES[rel_in_edition]
    folder, _, name = rel_in_edition.partition("/")
    if folder in RECORD_FOLDERS and name.endswith(".yaml") and "/" not in name:
        return RECORD_FOLDERS[folder]
    return None
