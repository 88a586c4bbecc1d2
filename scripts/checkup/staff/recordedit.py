"""Change one year's fields of indicator, task and problem files, keeping everything else as written.

What a department answers for each year is small: an indicator's value for the
year, a task's progress entry for the year, a problem's follow-up entry for
the year, and for indicators and tasks the written submission (部门报送说明). The editor compares each answer with the data, and only when it
differs loads that file through ruamel.yaml's round trip (quotes kept), sets
the few nodes concerned in canonical form (see fmt) and writes the rest back
as it was.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..check.schema import load_schema
from ..findings import pointer_of
from ..model import SUBMISSION_HEADINGS, Edition
from ..read.load import RawEdition
from .fmt import canonical_node, dump_roundtrip, load_roundtrip

PROGRESS_FIELDS = ("done", "status", "summary")
FOLLOW_UP_FIELDS = ("absorbed_into", "response", "verdict")
_LISTS = {"tasks": ("task", "progress", PROGRESS_FIELDS, "status"),
          "problems": ("problem", "follow_up", FOLLOW_UP_FIELDS, "verdict")}


class RecordEditor:
    """Apply a year's answers to the records of one edition and give back the changed texts."""

    def __init__(self, edition: Edition, raw: RawEdition) -> None:
        self.edition = edition
        self.year = edition.year
        self.raw = raw
        self.rels = {
            (rel.partition("/")[0], doc.value["id"]): rel
            for rel, doc in raw.documents.items()
            if rel.partition("/")[0] in ("indicators", "tasks", "problems") and isinstance(doc.value, dict)
        }
        self.trees: dict[str, Any] = {}
        self.touched: dict[tuple[str, str], list[str]] = {}

    @property
    def changed(self) -> bool:
        return bool(self.touched)

    def changed_fields(self, folder: str, record: str) -> list[str]:
        return self.touched.get((folder, record), [])

    def apply(self, folder: str, record: str, values: dict[str, Any]) -> list[str]:
        """Apply one row's answers; return the required fields left empty (then nothing changes)."""
        self._submission(folder, record, values)
        if folder == "indicators":
            self._indicator(record, values.get(str(self.year)))
            return []
        old = self._current(folder, record)
        fields = _LISTS[folder][2]
        new = {name: values.get(name) for name in fields}
        changed = [name for name in fields if not _equal(new[name], old[name])]
        if not changed:
            return []
        required = _LISTS[folder][3]
        emptied = all(v is None for v in new.values())
        tree = self._tree(folder, record)
        if new[required] is None and not (emptied and not self._has_memo(tree)):
            return [required]
        self._entry(folder, tree, new, emptied)
        self.touched[(folder, record)] = [*self.touched.get((folder, record), []), *changed]
        return []

    def texts(self) -> dict[str, str]:
        """Return the new text of every changed file, by path inside the edition folder."""
        rels = {self.rels[key] for key in self.touched}
        return {rel: dump_roundtrip(self.trees[rel]) for rel in sorted(rels)}

    def pointers(self, folder: str, record: str) -> list[tuple[str, str, str]]:
        """Name the YAML nodes a changed row now fills: (file in edition, JSON pointer, column field)."""
        if (folder, record) not in self.touched:
            return []
        rel = self.rels[(folder, record)]
        touched = self.touched[(folder, record)]
        written = [(rel, pointer_of(("submission", name)), f"submission/{name}") for name in SUBMISSION_HEADINGS
                   if f"submission/{name}" in touched]
        if folder == "indicators":
            year = str(self.year)
            return [(rel, pointer_of(("values", year)), year)] * (year in touched) + written
        if not set(touched) & set(_LISTS[folder][2]):
            return written
        _, key, fields, required = _LISTS[folder]
        entries = self.trees[rel].get(key) or []
        index = next((i for i, e in enumerate(entries) if e.get("year") == self.year), None)
        if index is None:  # the entry was removed: findings about the list point at its status
            return [(rel, pointer_of((key,)), required)]
        return [(rel, pointer_of((key, index)), required)] + [
            (rel, pointer_of((key, index, name)), name) for name in fields
        ] + written

    # -- the records -----------------------------------------------------------
    def _tree(self, folder: str, record: str) -> Any:
        rel = self.rels[(folder, record)]
        if rel not in self.trees:
            self.trees[rel] = load_roundtrip(self.raw.texts[rel], keep_quotes=True)
        return self.trees[rel]

    def _indicator(self, record: str, new: Any) -> None:
        if _equal(new, self.edition.indicators[record].values.get(self.year)):
            return
        series = self._tree("indicators", record)["values"]
        key = next((k for k in series if str(k) == str(self.year)), None)
        if new is None:
            del series[key]
        elif key is not None:
            series[key] = new
        else:
            series.insert(sum(1 for k in series if int(k) < self.year), self.year, new)
        canonical_node(series, {}, {})
        self.touched[("indicators", record)] = [*self.touched.get(("indicators", record), []), str(self.year)]

    def _submission(self, folder: str, record: str, values: dict[str, Any]) -> None:
        """Set the written submission (four optional texts) of an indicator or a task."""
        if folder not in ("indicators", "tasks"):
            return
        given = (self.edition.indicators if folder == "indicators" else self.edition.tasks)[record].submission
        new = {name: values.get(f"submission/{name}") for name in SUBMISSION_HEADINGS}
        changed = [name for name, value in new.items() if not _equal(value, getattr(given, name, None))]
        if not changed:
            return
        tree = self._tree(folder, record)
        block = tree.get("submission")
        if block is None:
            block = CommentedMap()
            order = list(load_schema(folder.removesuffix("s"))["properties"])
            place = sum(1 for k in tree if k in order and order.index(k) < order.index("submission"))
            tree.insert(place, "submission", block)
        for name in SUBMISSION_HEADINGS:  # in the schema's order
            if new[name] is None:
                block.pop(name, None)
            else:
                block[name] = new[name]
        if not block:
            del tree["submission"]
        self.touched[(folder, record)] = [f"submission/{name}" for name in changed]

    def _current(self, folder: str, record: str) -> dict[str, Any]:
        if folder == "tasks":
            entry: Any = next((p for p in self.edition.tasks[record].progress if p.year == self.year), None)
        else:
            entry = next((f for f in self.edition.problems[record].follow_up if f.year == self.year), None)
        fields = _LISTS[folder][2]
        return {name: getattr(entry, name) if entry else None for name in fields}

    def _has_memo(self, tree: Any) -> bool:
        return any(e.get("year") == self.year and "memo" in e for e in tree.get("follow_up") or [])

    def _entry(self, folder: str, tree: Any, new: dict[str, Any], emptied: bool) -> None:
        schema_name, key, _, _ = _LISTS[folder]
        root = load_schema(schema_name)
        entries = tree.get(key)
        if entries is None:
            entries = CommentedSeq()
            order = list(root["properties"])
            tree.insert(sum(1 for k in tree if k in order and order.index(k) < order.index(key)), key, entries)
        index = next((i for i, e in enumerate(entries) if e.get("year") == self.year), None)
        if emptied:
            if index is not None:
                del entries[index]
            return
        entry = entries[index] if index is not None else CommentedMap([("year", self.year)])
        for name, value in new.items():
            if value is None:
                entry.pop(name, None)
            elif name in entry:
                OrderedDict.__setitem__(entry, name, _node(value))  # not ruamel's: it would keep old quotes
            else:
                entry[name] = _node(value)
        canonical_node(entry, root["properties"][key]["items"], root)
        if index is None:
            entries.insert(sum(1 for e in entries if e.get("year", 0) < self.year), entry)


def _node(value: Any) -> Any:
    return CommentedSeq(value) if isinstance(value, tuple) else value


def _equal(new: Any, old: Any) -> bool:
    """Compare a cell's answer with the data: 12 equals 12.0, an empty list equals nothing."""
    if isinstance(new, tuple) or isinstance(old, tuple):
        return tuple(new or ()) == tuple(old or ())
    if isinstance(new, (int, float)) and isinstance(old, (int, float)):
        return float(new) == float(old)
    return bool(new == old)
