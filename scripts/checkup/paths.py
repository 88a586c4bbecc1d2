"""Every directory and file name the project uses, in one place."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path


def _resource(name: str) -> Path:
    """Return a file or folder of the package data (scripts/checkup/resources/) as a path.

    The package is installed as files, never run from a zip, so the resource is its own path.
    """
    with resources.as_file(resources.files("checkup") / "resources" / name) as path:
        return Path(path)


# What the code reads at run time ships inside the package. In the repository these are
# links to the top-level schemas/, content/, site_overrides/ and mkdocs.yml, the one copy
# that people edit; a built wheel holds the files themselves.
SCHEMA_DIR = _resource("schemas")
CONTENT_DIR = _resource("content")
OVERRIDES_DIR = _resource("site_overrides")
MKDOCS_CONFIG = _resource("mkdocs.yml")

# The commands read and write in the folder they run in, so they serve any data repository
# (a pre-commit hook installs this package elsewhere than the data it checks).
WORKING_DATA_DIR = Path("data")
DOCS_DIR = Path("generated")  # Markdown + assets written by `checkup render`; mkdocs reads it
SITE_DIR = Path("site")
REPORT_OUT_DIR = Path("build") / "report"  # `checkup report` writes here unless told otherwise

# The source checkout, for its tests, benchmark and example data; an installed package
# never reads these.
ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
# Folders no command may write its output into, nor empty: the package's source and, in the
# source checkout, the repository's own work. (The data folder a command reads is added by it.)
GUARDED = (Path(__file__).resolve().parent,
           *(ROOT / name for name in (".git", "data", "scripts", "schemas", "content", "tests",
                                      "site_overrides", ".github")))

# The files of an edition folder and the schema each one follows.
SINGLE_FILES = {
    "edition.yaml": "edition",
    "departments.yaml": "departments",
    "survey.yaml": "survey",
    "corrections.yaml": "corrections",
    # The boundaries of the edition's areas as GeoJSON (RFC 7946): read as strict JSON, not YAML.
    "areas.geojson": "geometry",
    "rules.yaml": "rules",
}
JSON_KINDS = {"geometry"}
REQUIRED_FILES = ("edition.yaml", "departments.yaml")
RECORD_FOLDERS = {"indicators": "indicator", "tasks": "task", "problems": "problem"}
MANIFEST_FILE = "manifest.json"  # written by `checkup publish`, not a data file
# The narrative of the annual report ("1+1+6"): one Markdown file per chapter, with YAML
# front matter, in report/general/ (总报告) or report/special/ (专项报告).
REPORT_FOLDER = "report"
REPORT_PARTS = {"general": "总报告", "special": "专项报告"}
CHAPTER_SCHEMA = "chapter"


# An edition folder is named by four ASCII digits: str.isdigit() also accepts ²⁰²⁴ and ٢٠٢٤.
YEAR_NAME = re.compile(r"[0-9]{4}")
# The years an edition may have, as schemas/common.schema.json says of a year.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def is_year_name(name: str) -> bool:
    return YEAR_NAME.fullmatch(name) is not None


def is_edition_folder(path: Path) -> bool:
    # A linked folder is never an edition: its files were not reviewed where they are published.
    return is_year_name(path.name) and not path.is_symlink() and path.is_dir()


def schema_for(rel_in_edition: str) -> str | None:
    """Return the schema name for a file path inside an edition folder, or None."""
    if rel_in_edition in SINGLE_FILES:
        return SINGLE_FILES[rel_in_edition]
    folder, _, name = rel_in_edition.partition("/")
    if folder in RECORD_FOLDERS and name.endswith(".yaml") and "/" not in name:
        return RECORD_FOLDERS[folder]
    return None


def report_part(rel_in_edition: str) -> str | None:
    """Return the report part ("general" or "special") of a chapter file, or None."""
    parts = rel_in_edition.split("/")
    if len(parts) == 3 and parts[0] == REPORT_FOLDER and parts[1] in REPORT_PARTS and parts[2].endswith(".md"):
        return parts[1]
    return None


def is_data_file(rel_in_edition: str) -> bool:
    """Say whether a file of an edition folder is data: read, checked and frozen on publication."""
    return schema_for(rel_in_edition) is not None or report_part(rel_in_edition) is not None
