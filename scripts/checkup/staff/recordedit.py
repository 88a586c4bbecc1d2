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
from ..periods import Period, parse_period
from ..read.load import RawEdition
from .fmt import canonical_node, dump_roundtrip, load_roundtrip

PROGRESS_FIELDS = ("done", "status", "summary")
PERIOD_PROGRESS_FIELDS = ("done", "cumulative", "status", "summary")  # an in-year report (period:)
FOLLOW_UP_FIELDS = ("absorbed_into", "response", "verdict")
_LISTS = {"tasks": ("task", "progress", PROGRESS_FIELDS, "status"),
          "problems": ("problem", "follow_up", FOLLOW_UP_FIELDS, "verdict")}


class RecordEditor:
    """Apply a year's answers to the records of one edition and give back the changed texts."""

    def __init__(self, edition: Edition, raw: RawEdition, period: Period | None = None) -> None:
        self.edition = edition
        self.year = edition.year
        self.period = period  # an in-year workbook edits only this period's report and value
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
            self._indicator(record, values.get(self._key))
            return []
        old = self._current(folder, record)
        fields = self._fields(folder)
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
            key = self._key
            return [(rel, pointer_of((self._series, key)), key)] * (key in touched) + written
        if not set(touched) & set(self._fields(folder)):
            return written
        _, key, _, required = _LISTS[folder]
        fields = self._fields(folder)
        entries = self.trees[rel].get(key) or []
        index = next((i for i, e in enumerate(entries) if self._mine(e)), None)
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

    # -- a year or a period --------------------------------------------------------
    @property
    def _key(self) -> str:
        return str(self.period) if self.period else str(self.year)

    @property
    def _series(self) -> str:
        return "in_year" if self.period else "values"

    def _fields(self, folder: str) -> tuple[str, ...]:
        return PERIOD_PROGRESS_FIELDS if self.period and folder == "tasks" else _LISTS[folder][2]

    def _mine(self, entry: Any) -> bool:
        if self.period:
            return bool(entry.get("period") == str(self.period))
        return bool(entry.get("year") == self.year)

    def _before(self, entry: Any) -> bool:
        """Say whether an entry of a list comes before the one being written."""
        if self.period is None:
            return bool(entry.get("year", 0) < self.year)
        if "period" in entry:
            return parse_period(entry["period"]) < self.period
        return bool(entry.get("year", 0) <= self.year)  # a year's in-year reports follow its yearly entry

    def _indicator(self, record: str, new: Any) -> None:
        indicator = self.edition.indicators[record]
        old = indicator.in_year.get(self.period) if self.period else indicator.values.get(self.year)
        if _equal(new, old):
            return
        tree = self._tree("indicators", record)
        if self._series not in tree:
            order = list(load_schema("indicator")["properties"])
            tree.insert(sum(1 for k in tree if k in order and order.index(k) < order.index(self._series)),
                        self._series, CommentedMap())
        series = tree[self._series]
        key = next((k for k in series if str(k) == self._key), None)
        if new is None:
            del series[key]
        elif key is not None:
            series[key] = new
        elif self.period:
            series.insert(sum(1 for k in series if parse_period(k) < self.period), self._key, new)
        else:
            series.insert(sum(1 for k in series if int(k) < self.year), self.year, new)
        canonical_node(series, {}, {})
        self.touched[("indicators", record)] = [*self.touched.get(("indicators", record), []), self._key]

    def _submission(self, folder: str, record: str, values: dict[str, Any]) -> None:
        """Set the written submission (four optional texts) of an indicator or a task."""
        if folder not in ("indicators", "tasks") or self.period is not None:  # a period's workbook has none
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
        if folder == "tasks" and self.period:
            entry: Any = next((p for p in self.edition.tasks[record].in_year if p.period == self.period), None)
            return {name: getattr(entry, name) if entry else None for name in PERIOD_PROGRESS_FIELDS}
        if folder == "tasks":
            entry = next((p for p in self.edition.tasks[record].progress if p.year == self.year), None)
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
        index = next((i for i, e in enumerate(entries) if self._mine(e)), None)
        if emptied:
            if index is not None:
                del entries[index]
            return
        first = ("period", str(self.period)) if self.period else ("year", self.year)
        entry = entries[index] if index is not None else CommentedMap([first])
        for name, value in new.items():
            if value is None:
                entry.pop(name, None)
            elif name in entry:
                OrderedDict.__setitem__(entry, name, _node(value))  # not ruamel's: it would keep old quotes
            else:
                entry[name] = _node(value)
        canonical_node(entry, root["properties"][key]["items"], root)
        if index is None:
            entries.insert(max((i + 1 for i, e in enumerate(entries) if self._before(e)), default=0), entry)


def _node(value: Any) -> Any:
    return CommentedSeq(value) if isinstance(value, tuple) else value


def _equal(new: Any, old: Any) -> bool:
    """Compare a cell's answer with the data: 12 equals 12.0, an empty list equals nothing."""
    if isinstance(new, tuple) or isinstance(old, tuple):
        return tuple(new or ()) == tuple(old or ())
    if isinstance(new, (int, float)) and isinstance(old, (int, float)):
        return float(new) == float(old)
    return bool(new == old)
