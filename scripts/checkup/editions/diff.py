"""Compare two editions record by record, in the order a reviewer must see the changes.

Records are paired by id, or by the `replaces` a renamed record declares; never
by file or position. Lists of ids compare as sets and yearly entries by year,
and numbers by value, so a reformatted, reordered edition has no changes. The
result is plain frozen data; diff_report.py writes it as text, Markdown or JSON.
Every step is a dict lookup or a set operation, so the time grows with the size
of the editions, not its square.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..model import Edition, Problem
from . import diff_fields as views
from .diff_fields import Key, Scalar
from .diff_inyear import PeriodUpdate, diff_in_year

# The groups, in the order a reviewer reads them: what the public will read differently first
# (the published verdicts), then what was removed, revised, redefined and added.
STATUS, REMOVED, REVISED, DEFINITION, ADDED = 1, 2, 3, 4, 5
RECORDS = ("rules", "edition", "area", "department", "planner", "indicator", "task", "problem", "survey", "chapter",
           "correction")
_RECORD_RANK = {name: i for i, name in enumerate(RECORDS)}

# 口径: the fields whose change alters what a figure means, what it is measured against,
# or who answers for it. Other fields (names, notes, descriptions) are plain edits.
DEFINITION_FIELDS = {
    "edition": {"base_year", "target_years"},
    "indicator": {"unit", "definition", "direction", "kind", "percentage", "data_source", "department",
                  "base", "targets"},
    "task": {"lead", "period", "target"},
    "problem": {"departments"},
}
# Survey figures that are results, so a change to them revises a published value.
SURVEY_FIGURES = {"valid_questionnaires", "overall_score", "count", "population_share",
                  "distribution", "mean", "sd", "n"}

# Better or worse: statuses ranked best first, as the assessment lists them. Codes left out
# (no data, suspended, no target) are not on the scale: a move between one of them and the
# best state counts, any other move to or from them is neither better nor worse.
RANKS = {
    "status": ("reached", "on_track", "lagging", "stable", "away"),
    "pace": ("done", "ahead", "on_pace", "behind", "not_started", "overdue"),
    # a problem still open a year after it was found has gone backwards from "new"
    "state": ("resolved", "absorbed", "new", "open"),
}

# What each --fail-on gate looks for.
GATES: dict[str, Callable[[Change], bool]] = {
    "removals": lambda c: c.group == REMOVED,
    "revisions-without-note": lambda c: c.kind == "revised" and c.noted is False,
    "definition-changes": lambda c: c.kind == "redefined",
}


@dataclass(frozen=True)
class Change:
    """One difference between two editions."""

    group: int
    kind: str  # removed, added, revised, redefined, changed, renamed or moved
    record: str  # one of RECORDS
    id: str  # the record's id on the new side (the old side's if removed)
    name: str = ""
    field: str = ""  # empty for a whole record; "values", "by_area", "progress/done", "unit" ...
    year: int | None = None
    area: str | None = None
    old: Scalar = None
    new: Scalar = None
    old_id: str | None = None  # set when the record was renamed
    delta: float | None = None  # new - old, for numbers
    relative: float | None = None  # delta / |old|
    noted: bool | None = None  # revised indicator values: does a `revisions` entry explain it
    note: str | None = None
    better: bool | None = None  # status movements

    def sort_key(self) -> tuple[int, int, str, str, int, str, str]:
        return (self.group, _RECORD_RANK[self.record], self.id, self.field, self.year or 0,
                self.area or "", self.kind)

    def mirrored(self) -> Change:
        """Return this change as seen from the other side (old and new swapped)."""
        return replace(
            self, kind={"removed": "added", "added": "removed"}.get(self.kind, self.kind),
            old=self.new, new=self.old, id=self.old_id or self.id, old_id=self.id if self.old_id else None,
            delta=None if self.delta is None else -self.delta,
            relative=None if self.relative is None else _relative(self.new, self.old),
            better=None if self.better is None else not self.better, noted=None, note=None)


@dataclass(frozen=True)
class EditionDiff:
    """Every change from one edition to another, sorted by group."""

    old: str
    new: str
    old_year: int
    new_year: int
    changes: tuple[Change, ...]
    areas: Mapping[str, str] = dataclasses.field(default_factory=dict)  # area id -> name, for the reports
    in_year: tuple[PeriodUpdate, ...] = ()  # in-year reports and values, sorted by period

    @property
    def empty(self) -> bool:
        return not self.changes and not self.in_year

    def group(self, number: int) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.group == number)

    def summary(self) -> dict[str, int]:
        """Count the changes of each kind, for the scoreboard."""
        count = {"removed": 0, "revised": 0, "unnoted": 0, "redefined": 0, "changed": 0, "added": 0,
                 "moved": 0, "better": 0, "worse": 0}
        for c in self.changes:
            slot = {REMOVED: "removed", ADDED: "added", STATUS: "moved"}.get(c.group) or c.kind
            count["redefined" if slot == "renamed" else slot] += 1
            count["unnoted"] += c.noted is False
            count["better"] += c.better is True
            count["worse"] += c.better is False
        return count

    def fails(self, gates: Iterable[str]) -> bool:
        """Say whether a change of one of the named kinds is present."""
        tests = [GATES[g] for g in gates]
        return any(test(c) for c in self.changes for test in tests)


def diff_editions(old: Edition, new: Edition, *, old_label: str | None = None,
                  new_label: str | None = None, statuses: bool = True) -> EditionDiff:
    """Compare two editions; with `statuses`, add the movements of the assessment."""
    differ = _Differ(same_year=old.year == new.year)
    # Within one edition the corrections log explains a change, as revision notes do across years.
    corrected = views.corrected_files(old, new) if differ.same_year else {}

    def notes(indicator: Any) -> dict:
        found = views.revision_notes(indicator)
        what = corrected.get(indicator.file.removeprefix(new.folder + "/"))
        return {**found, (None, None): f"更正：{what}"} if what else found

    differ.edition(old, new)
    differ.records("area", {a.id: a for a in old.areas}, {a.id: a for a in new.areas}, views.area_fields)
    differ.records("department", old.departments, new.departments, views.department_fields)
    differ.records("planner", {p.id: p for p in old.planners}, {p.id: p for p in new.planners},
                   views.planner_fields, series=views.planner_series)
    pairs = {
        "indicator": differ.records("indicator", old.indicators, new.indicators, views.indicator_fields,
                                    series=views.indicator_series, noted=notes),
        "task": differ.records("task", old.tasks, new.tasks, views.task_fields, series=views.task_series),
        "problem": differ.records("problem", old.problems, new.problems, views.problem_fields,
                                  series=views.problem_series, gone=_problem_gone),
    }
    differ.survey(old, new)
    if differ.same_year:  # each year's report is written afresh: across years its text is not a change
        differ.records("chapter", views.chapters(old), views.chapters(new), views.chapter_fields)
    rules_moved = differ.rules(old, new)
    if statuses:
        differ.movements(old, new, pairs, everything=rules_moved)
    return EditionDiff(old=old_label or old.folder, new=new_label or new.folder, old_year=old.year,
                       new_year=new.year, changes=tuple(sorted(differ.out, key=Change.sort_key)),
                       areas={a.id: a.name for a in (*old.areas, *new.areas)}, in_year=diff_in_year(old, new))


class _Differ:
    def __init__(self, same_year: bool) -> None:
        self.same_year = same_year
        self.out: list[Change] = []
        self.touched: set[tuple[str, str]] = set()

    def add(self, change: Change) -> None:
        self.out.append(change)
        self.touched.add((change.record, change.id))

    def edition(self, old: Edition, new: Edition) -> None:
        before, after = views.edition_fields(old), views.edition_fields(new)
        if not self.same_year:
            # a new year's edition has its own title, status and log; only the year itself is news
            for key in ("status", "published_on"):
                before.pop((key, None, None)), after.pop((key, None, None))
            if old.title.replace(str(old.year), str(new.year)) == new.title:
                before.pop(("title", None, None)), after.pop(("title", None, None))
            before[("year", None, None)], after[("year", None, None)] = old.year, new.year
        else:
            self.records("correction", views.corrections(old), views.corrections(new), views.correction_fields)
        self.fields("edition", "", new.title, before, after)

    def records(self, record: str, old: Mapping[str, Any], new: Mapping[str, Any], fields: Callable,
                series: Callable | None = None, noted: Callable | None = None,
                gone: Callable | None = None) -> dict[str, str]:
        """Pair the records of one kind and compare each pair; return new id -> old id."""
        renamed = _renames(old, new)
        pairs = {i: i for i in new.keys() & old.keys()}
        pairs.update(renamed)
        for new_id, old_id in renamed.items():
            self.add(Change(DEFINITION, "renamed", record, new_id, views.record_name(new[new_id]), old=old_id,
                            new=new_id, old_id=old_id))
        paired_old = set(pairs.values())
        for old_id in old.keys() - paired_old:
            group = gone(old[old_id]) if gone else REMOVED
            self.add(Change(group, "removed", record, old_id, views.record_name(old[old_id])))
        for new_id in new.keys() - pairs.keys():
            self.add(Change(ADDED, "added", record, new_id, views.record_name(new[new_id])))
        for new_id, old_id in pairs.items():
            a, b = old[old_id], new[new_id]
            label = (new_id, views.record_name(b), old_id if old_id != new_id else None)
            self.fields(record, *label[:2], fields(a), fields(b), old_id=label[2])
            if series:
                notes = noted(b) if noted else None
                for (name, area), (then, now) in _paired_series(series(a), series(b)).items():
                    self.series(record, label, name, area, then, now, notes)
        return pairs

    def fields(self, record: str, rid: str, name: str, before: dict[Key, Scalar], after: dict[Key, Scalar],
               old_id: str | None = None) -> None:
        if before == after:
            return
        definition = DEFINITION_FIELDS.get(record, set())
        for key in before.keys() | after.keys():
            then, now = before.get(key), after.get(key)
            if then != now:
                field, year, area = key
                kind = "redefined" if field in definition else "changed"
                self.add(Change(DEFINITION, kind, record, rid, name, field, year, area, then, now, old_id))

    def series(self, record: str, label: tuple[str, str, str | None], field: str, area: str | None,
               then: Mapping[int, Any], now: Mapping[int, Any], notes: dict | None) -> None:
        if then == now:
            return  # the usual case, decided at C speed without looking at each year
        rid, name, old_id = label
        for year in then.keys() - now.keys():
            self.add(Change(REMOVED, "removed", record, rid, name, field, year, area, views.shown(then[year]),
                            None, old_id))
        for year in now.keys() - then.keys():
            self.add(Change(ADDED, "added", record, rid, name, field, year, area, None, views.shown(now[year]),
                            old_id))
        for year in then.keys() & now.keys():
            a, b = then[year], now[year]
            if a == b:
                continue
            if isinstance(a, tuple):  # a yearly entry: one change per part that differs
                for (part, x), (_, y) in zip(a, b, strict=True):
                    if x != y:
                        self.add(_revised(record, rid, name, f"{field}/{part}", year, area, x, y, old_id))
                continue
            change = _revised(record, rid, name, field, year, area, a, b, old_id)
            if notes is not None:
                note = notes.get((year, area)) or notes.get((year, None)) or notes.get((None, None))
                change = replace(change, noted=note is not None, note=note)
            self.add(change)

    def survey(self, old: Edition, new: Edition) -> None:
        a, b = old.survey, new.survey
        if a is None or b is None:
            if a is b:
                return
            if self.same_year:
                kind, group = ("removed", REMOVED) if b is None else ("added", ADDED)
                self.add(Change(group, kind, "survey", "", ""))
            else:  # across years a survey is not removed but not yet entered: a plain fact
                self.add(Change(DEFINITION, "changed", "survey", "", "", "year",
                                old=a.year if a else None, new=b.year if b else None))
            return
        if not self.same_year:
            return  # two years' surveys differ by nature; their scores are compared as movements
        before, after = views.survey_fields(a), views.survey_fields(b)
        for key in before.keys() | after.keys():
            then, now = before.get(key), after.get(key)
            if then == now:
                continue
            field = key[0]
            if then is None or now is None:
                group, kind = (REMOVED, "removed") if now is None else (ADDED, "added")
                self.add(Change(group, kind, "survey", "", "", field, old=then, new=now))
            elif field.rpartition("/")[2] in SURVEY_FIGURES:
                self.add(_revised("survey", "", "", field, None, None, then, now, None))
            else:
                self.add(Change(DEFINITION, "changed", "survey", "", "", field, old=then, new=now))

    def rules(self, old: Edition, new: Edition) -> bool:
        """Add the changes of the assessment rules the editions record; say whether there were any."""
        from ..assess import rule_changes, rules_for  # the assessment is a later stage

        changes = rule_changes(rules_for(old), rules_for(new))
        for key, then, now in changes:
            self.add(Change(DEFINITION, "redefined", "rules", "rules.yaml", "", key, old=then, new=now))
        return bool(changes)

    def movements(self, old: Edition, new: Edition, pairs: dict[str, dict[str, str]],
                  everything: bool = False) -> None:
        """Add the changes of assessed status of the records this diff touches, and survey scores.

        With `everything` (the rules changed), every record's status counts: the rules moved it.
        """
        # Only touched records: a status that moved although none of the record's data did moved
        # because a year passed (a fresh draft has every task "behind"), which is noise in a review.
        from ..assess import assess_edition  # the assessment is a later stage; only this part needs it

        before, after = assess_edition(old), assess_edition(new)
        found: list[Change] = []
        for record, field, attr, new_records in (
            ("indicator", "status", "indicators", new.indicators),
            ("task", "pace", "tasks", new.tasks),
            ("problem", "state", "problems", new.problems),
        ):
            then_all, now_all = getattr(before, attr), getattr(after, attr)
            for new_id, old_id in pairs[record].items():
                touched = everything or (record, new_id) in self.touched
                if not touched or old_id not in then_all or new_id not in now_all:
                    continue
                x, y = getattr(then_all[old_id], field), getattr(now_all[new_id], field)
                if x != y:
                    found.append(Change(STATUS, "moved", record, new_id, views.record_name(new_records[new_id]), field,
                                        old=x, new=y, old_id=old_id if old_id != new_id else None,
                                        better=_better(RANKS[field], x, y)))
        if before.survey and after.survey:
            scores = [("", "总体满意度", before.survey.overall.score, after.survey.overall.score)]
            then_dims = {d.id: d.score.score for d in before.survey.dimensions}
            scores += [(d.id, d.name, then_dims[d.id], d.score.score)
                       for d in after.survey.dimensions if d.id in then_dims]
            for sid, name, x, y in scores:
                x, y = round(x, 1), round(y, 1)
                if x != y:
                    found.append(Change(STATUS, "moved", "survey", sid, name, "score", old=x, new=y,
                                        delta=round(y - x, 1), relative=_relative(x, y), better=y > x))
        self.out.extend(found)


def _revised(record: str, rid: str, name: str, field: str, year: int | None, area: str | None,
             old: Any, new: Any, old_id: str | None) -> Change:
    numbers = _is_number(old) and _is_number(new)
    return Change(REVISED, "revised", record, rid, name, field, year, area, views.shown(old), views.shown(new), old_id,
                  delta=round(new - old, 10) if numbers else None,
                  relative=_relative(old, new) if numbers else None)


def _relative(old: Any, new: Any) -> float | None:
    if _is_number(old) and _is_number(new) and old:
        return round((new - old) / abs(old), 10)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _better(order: tuple[str, ...], old: str, new: str) -> bool | None:
    if old in order and new in order:
        return order.index(new) < order.index(old)
    if order[0] in (old, new):  # reaching the best state (done, reached, resolved) is always better
        return new == order[0]
    return None


def _renames(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """Pair records that declare `replaces`, from either side, so the pairing is symmetric."""
    pairs: dict[str, str] = {}
    for new_id, rec in new.items():
        replaced = getattr(rec, "replaces", None)
        if replaced and new_id not in old and replaced in old and replaced not in new:
            pairs[new_id] = replaced
    taken = set(pairs.values())
    for old_id, rec in old.items():
        replaced = getattr(rec, "replaces", None)
        if (replaced and old_id not in new and replaced in new and replaced not in old
                and replaced not in pairs and old_id not in taken):
            pairs[replaced] = old_id
    return pairs


def _paired_series(a: dict, b: dict) -> dict:
    return {key: (a.get(key, {}), b.get(key, {})) for key in a.keys() | b.keys()}


def _problem_gone(p: Problem) -> int:
    # a problem that leaves the list after a "resolved" look-back was closed (销项), not lost
    return STATUS if p.follow_up and p.follow_up[-1].verdict == "resolved" else REMOVED
