"""MkDocs hook: index the parts of every Chinese compound word as well as the compound.

Material's search plugin segments Chinese with jieba's precise mode, which keeps a
dictionary compound such as 加装电梯 or 停车难 whole, so a reader searching 电梯 or 停车
would not find the pages that name them. After the plugin has made a section's entry,
the parts that jieba's search mode finds inside its compounds are added at the end of
the entry's text: the title and the text a reader sees stay as they were segmented, and
a query typed as one word (电梯, or 加装电梯) matches either way.
"""

from __future__ import annotations

import functools

import jieba
from material.plugins.search.plugin import SearchIndex

_SPACE = "\u200b"  # the zero-width space the plugin puts between words
_create_entry = SearchIndex.create_entry_for_section


def _parts(segmented: str) -> list[str]:
    """Return the parts of the compounds in a segmented string that are not words of it already."""
    words = set(segmented.split(_SPACE))
    found: dict[str, None] = {}
    for word in words:
        if len(word) > 2:
            for part in _word_parts(word):
                if part not in words and part != word and len(part) > 1:
                    found[part] = None
    return sorted(found)


@functools.lru_cache(maxsize=1 << 16)  # the same names and words recur on page after page
def _word_parts(word: str) -> tuple[str, ...]:
    return tuple(jieba.cut_for_search(word))


def _create_entry_with_parts(self, section, toc, url, page):
    before = len(self.entries)
    _create_entry(self, section, toc, url, page)
    for entry in self.entries[before:]:
        parts = _parts(entry["title"] + _SPACE + entry["text"])
        if parts:
            entry["text"] += _SPACE + _SPACE.join(parts)


def on_config(config):
    SearchIndex.create_entry_for_section = _create_entry_with_parts
    _word_parts.cache_clear()  # the dictionary is loaded again for each build
    return config
