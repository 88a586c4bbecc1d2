"""Merge the search index of a build that redid only some pages into the last complete one.

A dirty build (`mkdocs serve --dirty`) indexes only the pages it rebuilt, and
the theme's own merge assumes one page changed. This keeps the entries of the
pages rebuilt now, the earlier entries of every other page still in the site,
and the order a full build writes (the pages' order, each page's sections in
its own order), so a preview searches exactly what the published site will.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search_index(previous: str, current: str, pages: Sequence[str], built: Collection[str]) -> str:
    """Return the index of every page from a complete earlier index and a partial new one."""
    old, new = json.loads(previous), json.loads(current)
    fresh, kept = set(built), set(pages)
    by_page: dict[str, list[dict[str, object]]] = {}
    for entry in old.get("docs", []):
        page = _page(str(entry["location"]))
        if page not in fresh and page in kept:
            by_page.setdefault(page, []).append(entry)
    for entry in new.get("docs", []):
        page = _page(str(entry["location"]))
        if page in fresh:
            by_page.setdefault(page, []).append(entry)
    docs = [entry for page in dict.fromkeys(pages) for entry in by_page.get(page, [])]
    # written the way the theme writes it, so a merged index is the bytes a full build gives
    return json.dumps({"config": new["config"], "docs": docs}, separators=(",", ":"), default=str)
