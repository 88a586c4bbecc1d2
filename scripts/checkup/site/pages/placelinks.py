"""Where the pages about places live, and the link from any page to an area's page.

Kept apart from the pages themselves so that every page that mentions an area or a
planner can link it without importing the pages that render them.
"""

from __future__ import annotations

from ...model import Edition
from ..markup import link, text

AREAS_INDEX = "areas/index.md"
DISCLOSURE_PAGE = "planners/disclosure.md"


def area_page_path(area_id: str) -> str:
    return f"areas/{area_id}.md"


def planner_page_path(planner_id: str) -> str:
    return f"planners/{planner_id}.md"


def indicator_page_path(ind_id: str) -> str:
    return f"indicators/{ind_id}.md"  # as indicators.py names them; that module imports this one


def map_file_path(name: str) -> str:
    return f"maps/{name}.svg"


def area_link(edition: Edition, page: str, area_id: str) -> str:
    """Link an area's name to its page, when the area is one of the latest edition's."""
    name = text(edition.area_name(area_id))
    return link(name, page, area_page_path(area_id)) if any(a.id == area_id for a in edition.areas) else name
