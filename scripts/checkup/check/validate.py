"""Check editions in layers (file, schema, references, meaning) and collect every finding.

Nothing stops at the first finding: each layer checks what the one before let
through, and all findings are returned sorted. An edition whose files all pass
is built into a model.Edition for the assessment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from .. import paths
from ..findings import Finding, finding, pointer_of, sort_findings
from ..forked import in_halves
from ..model import SAMPLE_GROUP_LABELS, Edition, build_edition
from ..paths import RECORD_FOLDERS
from ..periods import DEFAULT_FREQUENCY, FREQUENCY_LABELS
from ..read import chapters
from ..read.load import PARALLEL_FROM, RawEdition, edition_folders, linked_entries, read_edition
from ..read.yamlio import locate
from .frozen import check_frozen
from .geometry import GEOMETRY_FILE, check_geometry
from .inyear import check_in_year_progress, check_in_year_values
from .schema import check_document

MIN_QUESTIONNAIRES = 3000  # the national guidance asks for at least 3000 valid questionnaires
SHARE_TOLERANCE = 0.5  # population shares are published to one decimal; allow rounding
# The rules for responsible planners: at least 30 working days a year in the street, and a
# term of two to three years (signed yearly).
MIN_PLANNER_DAYS = 30
PLANNER_TERM_YEARS = (2, 3)


@dataclass
class Result:
    """What a check of a data directory found, and the editions that passed."""

    editions: dict[int, Edition] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    raw: dict[str, RawEdition] = field(default_factory=dict)  # folder name -> raw

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.findings))


def check_data(data_dir: Path, *, processes: int = 1) -> Result:
    """Read, check and build every edition of a data directory (a large edition parsed by `processes`).

    More than one process only where this process runs no other thread (a fork takes none along).
    """
    raws = [read_edition(folder, processes=processes) for folder in edition_folders(data_dir)]
    result = check_raw_editions(raws, processes)
    linked = linked_entries(data_dir)
    if linked:
        result.findings = sort_findings([*linked, *result.findings])
    return result


def check_raw_editions(raws: Iterable[RawEdition], processes: int = 1) -> Result:
    result = Result()
    valid_docs: dict[str, dict[str, Any]] = {}
    for raw in raws:
        result.raw[raw.name] = raw
        result.findings.extend(raw.findings)
        ok, schema_findings = _check_schemas(raw, processes)
        result.findings.extend(schema_findings)
        valid_docs[raw.name] = ok
    broken = {name: {folder: _broken_ids(result.raw[name], docs, folder) for folder in RECORD_FOLDERS}
              for name, docs in valid_docs.items()}
    task_ids = {name: {d["id"] for rel, d in docs.items() if rel.startswith("tasks/")} | broken[name]["tasks"]
                for name, docs in valid_docs.items()}
    for name, raw in result.raw.items():
        docs = valid_docs[name]
        checker = _EditionChecker(raw, docs, task_ids, broken[name])
        result.findings.extend(checker.run())
        if "edition.yaml" in docs and not any(
            f.severity == "error" and f.file.startswith(raw.folder + "/") for f in result.findings
        ):
            edition = build_edition(_grouped(docs, raw), raw.folder)
            result.editions[edition.year] = edition
    # Publication: frozen files of published editions, notes for revised values (frozen.py).
    # It runs after the build because a process fault does not make the data unreadable.
    result.findings.extend(check_frozen(result.raw, valid_docs))
    result.findings = sort_findings(result.findings)
    return result


def _check_schemas(raw: RawEdition, processes: int = 1) -> tuple[dict[str, Any], list[Finding]]:
    ok: dict[str, Any] = {}
    found: list[Finding] = []
    rels = list(raw.documents)
    # a forked copy checks half of a large edition; only its findings come back
    problems_of = in_halves(partial(_schema_problems, raw), rels, processes=processes, least=PARALLEL_FROM,
                            doing="检查数据文件")
    for rel, problems in zip(rels, problems_of, strict=True):
        found.extend(problems)
        if not problems:
            ok[rel] = raw.documents[rel].value
    return ok, found


def _schema_problems(raw: RawEdition, rels: list[str]) -> list[list[Finding]]:
    return [check_document(raw.kinds[rel], raw.documents[rel].value, raw.display(rel), raw.texts[rel])
            for rel in rels]


def _broken_ids(raw: RawEdition, docs: dict[str, Any], folder: str) -> set[str]:
    """Name the records of a folder whose files exist but did not pass the earlier checks.

    Their own findings say what is wrong; a reference to one of them is not also unknown.
    """
    prefix = raw.display(folder + "/")
    rels = {f.file[len(raw.folder) + 1:] for f in raw.findings
            if f.file.startswith(prefix) and f.code != "unknown-file"}
    rels |= {rel for rel in raw.documents if rel.startswith(folder + "/")}
    ids: set[str] = set()
    for rel in rels - set(docs):
        ids.add(rel[len(folder) + 1:].removesuffix(".yaml"))
        value = raw.documents[rel].value if rel in raw.documents else None
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            ids.add(value["id"])
    return ids


def _grouped(docs: dict[str, Any], raw: RawEdition) -> dict[str, Any]:
    grouped: dict[str, Any] = {"indicators": {}, "tasks": {}, "problems": {}, "chapters": {}}
    for rel, value in docs.items():
        folder, _, _ = rel.partition("/")
        part = paths.report_part(rel)
        if part:
            source = raw.chapters[rel]
            grouped["chapters"][rel] = {**value, "part": part, "body": source.body,
                                        "body_line": source.body_line}
        elif folder in grouped:
            grouped[folder][rel] = value
        elif rel == GEOMETRY_FILE:
            grouped["areas_geometry"] = value
        else:
            grouped[rel.removesuffix(".yaml")] = value
    return grouped


class _EditionChecker:
    """References and meaning within one edition (and the task lists of the others)."""

    def __init__(self, raw: RawEdition, docs: dict[str, Any], task_ids: dict[str, set[str]],
                 broken: dict[str, set[str]]):
        self.raw = raw
        self.docs = docs
        self.task_ids = task_ids
        self.found: list[Finding] = []
        meta = docs.get("edition.yaml") or {}
        self.year: int | None = meta.get("year")
        self.areas = {a["id"] for a in meta.get("areas", ())}
        depts = docs.get("departments.yaml") or {}
        self.departments = {d["id"] for d in depts.get("departments", ())}
        self.have_departments = "departments.yaml" in docs
        self.ids: dict[str, dict[str, str]] = {"indicators": {}, "tasks": {}, "problems": {}}
        self.broken = broken  # ids of records whose files did not pass the earlier checks

    def run(self) -> list[Finding]:
        self._check_edition()
        self._check_ids()
        for rel, value in self.docs.items():
            folder = rel.partition("/")[0]
            if folder == "indicators":
                self._check_indicator(rel, value)
            elif folder == "tasks":
                self._check_task(rel, value)
            elif folder == "problems":
                self._check_problem(rel, value)
            elif rel in self.raw.chapters:
                self._check_chapter(rel, value)
        if "departments.yaml" in self.docs:
            self._check_planners(self.docs["departments.yaml"])
        if "survey.yaml" in self.docs:
            self._check_survey(self.docs["survey.yaml"])
        if GEOMETRY_FILE in self.docs and "edition.yaml" in self.docs:
            areas = {a["id"]: (i, a["name"]) for i, a in enumerate(self.docs["edition.yaml"]["areas"])}
            check_geometry(self.docs[GEOMETRY_FILE], areas, self._add)
        return self.found

    # -- helpers ---------------------------------------------------------------
    def _add(self, code: str, rel: str, path: tuple[str | int, ...], **fields: Any) -> None:
        line, column = locate(self.raw.texts[rel], path) or (None, None)
        self.found.append(finding(code, self.raw.display(rel), line=line, column=column,
                                  pointer=pointer_of(path), **fields))

    def _dept(self, rel: str, path: tuple[str | int, ...], dept: str) -> None:
        if self.have_departments and dept not in self.departments:
            self._add("unknown-department", rel, path, id=dept)

    def _area(self, rel: str, path: tuple[str | int, ...], area: str) -> None:
        if self.areas and area not in self.areas:
            self._add("unknown-area", rel, path, id=area, allowed="、".join(sorted(self.areas)))

    def _ref(self, code: str, kind: str, rel: str, path: tuple[str | int, ...], ref: str) -> None:
        if ref not in self.ids[kind] and ref not in self.broken[kind]:
            self._add(code, rel, path, id=ref)

    def _not_after_edition(self, rel: str, path: tuple[str | int, ...], year: int) -> None:
        if self.year is not None and year > self.year:
            self._add("year-after-edition", rel, path, year=year, edition=self.year)

    def _unique_years(self, rel: str, items: list[dict[str, Any]], name: str) -> None:
        seen: set[int] = set()
        for i, item in enumerate(items):
            if "year" not in item:  # an in-year entry (period:), checked by inyear.py
                continue
            if item["year"] in seen:
                self._add("duplicate-year", rel, (name, i, "year"), year=item["year"])
            seen.add(item["year"])

    # -- the checks -------------------------------------------------------------
    def _check_edition(self) -> None:
        meta = self.docs.get("edition.yaml")
        if not meta:
            return
        if str(meta["year"]) != self.raw.name:
            self._add("edition-year-mismatch", "edition.yaml", ("year",), folder=self.raw.name,
                      year=meta["year"])
        for i, target in enumerate(meta["target_years"]):
            if meta["base_year"] >= target:
                self._add("base-after-target", "edition.yaml", ("target_years", i),
                          base=meta["base_year"], target=target)

    def _check_ids(self) -> None:
        for rel, value in self.docs.items():
            folder, _, name = rel.partition("/")
            if folder not in self.ids:
                continue
            stem = name.removesuffix(".yaml")
            if value["id"] != stem:
                self._add("id-file-mismatch", rel, ("id",), stem=stem, id=value["id"])
            other = self.ids[folder].get(value["id"])
            if other:
                self._add("duplicate-id", rel, ("id",), id=value["id"], other=self.raw.display(other))
            else:
                self.ids[folder][value["id"]] = rel

    def _check_indicator(self, rel: str, ind: dict[str, Any]) -> None:
        self._dept(rel, ("department",), ind["department"])
        for i, dept in enumerate(ind.get("cooperating", ())):
            self._dept(rel, ("cooperating", i), dept)
        percent = ind.get("percentage", ind["unit"] == "%")
        base = ind["base"]
        self._not_after_edition(rel, ("base", "year"), base["year"])
        numbers: list[tuple[tuple[str | int, ...], float]] = [(("base", "value"), base["value"])]
        series: list[tuple[tuple[str, ...], dict[str, float]]] = [(("values",), ind["values"])]
        for area, by_year in (ind.get("by_area") or {}).items():
            self._area(rel, ("by_area", area), area)
            series.append((("by_area", area), by_year))
        for area in ind.get("area_targets") or {}:
            self._area(rel, ("area_targets", area), area)
        # A national indicator has 3,000 values: test each series whole, and walk only one that fails.
        for prefix, by_year in series:
            if self.year is not None and by_year and max(map(int, by_year)) > self.year:
                for year in by_year:
                    self._not_after_edition(rel, (*prefix, year), int(year))
        for i, target in enumerate(ind["targets"]):
            if target["year"] <= base["year"]:
                self._add("base-after-target", rel, ("targets", i, "year"), base=base["year"],
                          target=target["year"])
            between = target.get("between")
            if between and between[0] > between[1]:
                self._add("between-reversed", rel, ("targets", i, "between"), low=between[0],
                          high=between[1])
            for form in ("equals", "at_least", "at_most", "about"):
                if form in target:
                    numbers.append((("targets", i, form), target[form]))
            for j, bound in enumerate(between or ()):
                numbers.append((("targets", i, "between", j), bound))
        if percent:
            for prefix, by_year in series:
                if by_year and not 0 <= min(by_year.values()) <= max(by_year.values()) <= 100:
                    numbers += [((*prefix, year), value) for year, value in by_year.items()]
            for path, value in numbers:
                if not 0 <= value <= 100:
                    self._add("percent-out-of-range", rel, path, value=value)
        for i, revision in enumerate(ind.get("revisions", ())):
            if "area" in revision:
                self._area(rel, ("revisions", i, "area"), revision["area"])
        if "in_year" in ind:
            frequency = ind.get("frequency", DEFAULT_FREQUENCY)
            for code, path, fields in check_in_year_values(ind["in_year"], frequency, self.year, percent):
                self._add(code, rel, path, **fields, what="指标", frequency=FREQUENCY_LABELS[frequency])

    def _check_task(self, rel: str, task: dict[str, Any]) -> None:
        self._dept(rel, ("lead",), task["lead"])
        for i, dept in enumerate(task.get("cooperating", ())):
            self._dept(rel, ("cooperating", i), dept)
        start, end = task["period"]["start"], task["period"]["end"]
        if start > end:
            self._add("period-reversed", rel, ("period",), start=start, end=end)
        self._unique_years(rel, task["progress"], "progress")
        for i, entry in enumerate(task["progress"]):
            if "year" not in entry:
                continue
            self._not_after_edition(rel, ("progress", i, "year"), entry["year"])
            if start <= end and not start <= entry["year"] <= end:  # a reversed period is reported once
                self._add("progress-outside-period", rel, ("progress", i, "year"), year=entry["year"],
                          start=start, end=end)
        for code, path, fields in check_in_year_progress(task, self.year):
            self._add(code, rel, path, **fields)
        for i, ref in enumerate(task.get("indicators", ())):
            self._ref("unknown-indicator", "indicators", rel, ("indicators", i), ref)
        for i, ref in enumerate(task.get("from_problems", ())):
            self._ref("unknown-problem", "problems", rel, ("from_problems", i), ref)
        for i, area in enumerate(task.get("areas", ())):
            self._area(rel, ("areas", i), area)

    def _check_problem(self, rel: str, problem: dict[str, Any]) -> None:
        for i, dept in enumerate(problem["departments"]):
            self._dept(rel, ("departments", i), dept)
        evidence = problem.get("evidence") or {}
        for i, ref in enumerate(evidence.get("indicators", ())):
            self._ref("unknown-indicator", "indicators", rel, ("evidence", "indicators", i), ref)
        for i, ref in enumerate(evidence.get("tasks", ())):
            self._ref("unknown-task", "tasks", rel, ("evidence", "tasks", i), ref)
        for i, area in enumerate(problem.get("areas", ())):
            self._area(rel, ("areas", i), area)
        found_in = problem["found_in"]
        if self.year is not None and found_in > self.year:
            self._add("found-after-edition", rel, ("found_in",), found=found_in, edition=self.year)
        follow_up = problem.get("follow_up", [])
        self._unique_years(rel, follow_up, "follow_up")
        for i, entry in enumerate(follow_up):
            year = entry["year"]
            self._not_after_edition(rel, ("follow_up", i, "year"), year)
            if year <= found_in:
                self._add("follow-up-before-found", rel, ("follow_up", i, "year"), year=year,
                          found=found_in)
            known = self.task_ids.get(str(year), set(self.ids["tasks"]) | self.broken["tasks"])
            for j, task_id in enumerate(entry.get("absorbed_into", ())):
                if task_id not in known:
                    self._add("absorbed-task-missing", rel, ("follow_up", i, "absorbed_into", j),
                              year=year, id=task_id)

    def _check_chapter(self, rel: str, front: dict[str, Any]) -> None:
        self._dept(rel, ("department",), front["department"])
        for ref in chapters.find_references(self.raw.chapters[rel]):
            reason = self._unresolvable(ref)
            if reason:
                self.found.append(finding("unknown-reference", self.raw.display(rel), line=ref.line,
                                          column=ref.column, ref=ref.text, reason=reason))

    def _unresolvable(self, ref: chapters.Reference) -> str | None:
        """Say why a reference of a chapter cannot be resolved, or None if it can."""
        if ref.kind == "指标":
            if ref.target not in self.ids["indicators"] and ref.target not in self.broken["indicators"]:
                return f"没有编号为 {ref.target or '（空）'} 的指标"
            if ref.field not in chapters.INDICATOR_FIELDS:
                return f"指标引用没有“{ref.field}”这一项，可用：{'、'.join(k for k in chapters.INDICATOR_FIELDS if k)}"
        elif ref.kind == "任务":
            if ref.target not in self.ids["tasks"] and ref.target not in self.broken["tasks"]:
                return f"没有编号为 {ref.target or '（空）'} 的任务"
            if ref.field not in chapters.TASK_FIELDS:
                return f"任务引用没有“{ref.field}”这一项，可用：{'、'.join(k for k in chapters.TASK_FIELDS if k)}"
        elif ref.kind == "任务清单":
            sections = {task["section"] for r, task in self.docs.items() if r.startswith("tasks/")}
            if not ref.target or not any(ref.target in section for section in sections):
                return f"没有名称含“{ref.target}”的任务板块"
        elif ref.kind == "满意度":
            survey = self.docs.get("survey.yaml")
            names = {"总分", *(d["name"] for d in survey["dimensions"])} if survey else set()
            if ref.target not in names:
                return f"满意度调查没有“{ref.target}”，可用：{'、'.join(sorted(names)) or '（本版本没有调查）'}"
        else:
            return f"引用的类别只能是{'、'.join(chapters.KINDS)}"
        return None

    def _check_planners(self, depts: dict[str, Any]) -> None:
        for i, planner in enumerate(depts.get("planners", ())):
            self._area("departments.yaml", ("planners", i, "area"), planner["area"])
            self._check_term(i, planner["term"])
            for j, evaluation in enumerate(planner.get("evaluations", ())):
                self._not_after_edition("departments.yaml", ("planners", i, "evaluations", j, "year"),
                                        evaluation["year"])
                days = evaluation.get("days")
                if days is not None and days < MIN_PLANNER_DAYS:
                    self._add("planner-days-short", "departments.yaml", ("planners", i, "evaluations", j, "days"),
                              year=evaluation["year"], days=days, least=MIN_PLANNER_DAYS)

    def _check_term(self, i: int, term: dict[str, str]) -> None:
        try:
            start, end = date.fromisoformat(term["start"]), date.fromisoformat(term["end"])
        except ValueError:
            return  # the schema has reported the date
        low, high = PLANNER_TERM_YEARS
        # A term of N years runs from a day to the day before its anniversary N years on.
        if not _years_after(start, low) - timedelta(days=1) <= end <= _years_after(start, high) - timedelta(days=1):
            self._add("planner-term-length", "departments.yaml", ("planners", i, "term"), start=term["start"],
                      end=term["end"], low=low, high=high)

    def _check_survey(self, survey: dict[str, Any]) -> None:
        rel = "survey.yaml"
        count = survey["valid_questionnaires"]
        if self.year is not None and survey["year"] != self.year:
            self._add("survey-year-mismatch", rel, ("year",), year=survey["year"], edition=self.year)
        if count < MIN_QUESTIONNAIRES:
            self._add("survey-too-small", rel, ("valid_questionnaires",), count=count,
                      minimum=MIN_QUESTIONNAIRES)
        for name, groups in (survey.get("sample") or {}).items():
            total = sum(g["count"] for g in groups)
            if groups and total != count:
                self._add("sample-mismatch", rel, ("sample", name), group=SAMPLE_GROUP_LABELS[name],
                          total=total, count=count)
            shares = [g["population_share"] for g in groups if "population_share" in g]
            if shares and len(shares) == len(groups) and abs(sum(shares) - 100) > SHARE_TOLERANCE:
                self._add("share-sum", rel, ("sample", name), group=SAMPLE_GROUP_LABELS[name],
                          total=f"{sum(shares):g}")
        for path, question in _questions(survey):
            if "distribution" in question and not any(question["distribution"]):
                self._add("no-answers", rel, (*path, "distribution"))
            if "distribution" in question and sum(question["distribution"]) > count:
                self._add("answers-exceed-sample", rel, (*path, "distribution"),
                          total=sum(question["distribution"]), count=count)
            if question.get("n", 0) > count:
                self._add("answers-exceed-sample", rel, (*path, "n"), total=question["n"], count=count)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _questions(survey: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    for i, dim in enumerate(survey["dimensions"]):
        for j, question in enumerate(dim["questions"]):
            yield ("dimensions", i, "questions", j), question
