"""How each record reads for the diff: its fields and its yearly series as plain, comparable values.

A record becomes a dict from (field, year, area) to one scalar, and a dict of
yearly series. Lists of ids become sorted text, numbers are compared as
numbers (12 equals 12.0), and yearly entries are keyed by year, so neither
order nor formatting in the files can show up as a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..model import (
    GRADE_LABELS,
    SUBMISSION_HEADINGS,
    TASK_STATUS_LABELS,
    VERDICT_LABELS,
    Chapter,
    Edition,
    FollowUp,
    Indicator,
    Problem,
    Progress,
    Submission,
    Target,
    Task,
)

Scalar = str | int | float | bool | None
Key = tuple[str, int | None, str | None]  # field, year, area


# How the parts of a yearly entry read when the whole entry is added or removed.
_CODES = {"status": TASK_STATUS_LABELS, "verdict": VERDICT_LABELS, "grade": GRADE_LABELS}
_PARTS = {"done": "当年完成 {}", "absorbed_into": "吸纳进 {}", "response": "回应：{}", "memo": "纪要 {}",
          "summary": "{}", "comment": "{}", "agreement_signed": "签订协议 {}", "days": "服务 {} 天",
          "support_comment": "绩效评价意见：{}", "report_date": "述职 {}", "report_summary": "述职：{}",
          "design_reviews": "参与方案审查 {} 次", "public_notices": "公示 {} 次", "consultations": "咨询 {} 次"}
_SUPPORT = {"support_grade": "绩效评价 {}"}


def shown(value: Any) -> Scalar:
    """Turn a yearly entry into one line for a reader; numbers and text stay as they are."""
    if not isinstance(value, tuple):
        return value
    parts = [_CODES[part].get(x, x) if part in _CODES
             else _SUPPORT[part].format(GRADE_LABELS.get(x, x)) if part in _SUPPORT
             else _PARTS[part].format(number_text(x))
             for part, x in value if x not in (None, "")]
    return "；".join(parts)


def number_text(value: Any) -> str:
    """Write a number the same way whether the file said 12 or 12.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def record_name(record: Any) -> str:
    for attr in ("name", "title", "what"):
        value = getattr(record, attr, None)
        if isinstance(value, str):
            return value
    return ""


def _ids(values: Iterable[str]) -> str | None:
    return "、".join(sorted(set(values))) or None


def _f(**values: Scalar) -> dict[Key, Scalar]:
    return {(name, None, None): value for name, value in values.items()}


def edition_fields(e: Edition) -> dict[Key, Scalar]:
    return _f(title=e.title, city=e.city, publisher=e.publisher, status=e.status, published_on=e.published_on,
              base_year=e.base_year, target_years=_ids(map(str, e.target_years)), example=e.example,
              notes=e.notes)


def area_fields(a: Any) -> dict[Key, Scalar]:
    return _f(name=a.name, population=a.population)


def department_fields(d: Any) -> dict[Key, Scalar]:
    return _f(name=d.name, short_name=d.short_name, contact=d.contact)


def planner_fields(p: Any) -> dict[Key, Scalar]:
    return _f(name=p.name, organisation=p.organisation, area=p.area, street=p.street,
              term=f"{p.term_start}–{p.term_end}", selection=p.selection)


_EVALUATION_PARTS = ("grade", "comment", "agreement_signed", "days", "support_grade", "support_comment",
                     "report_date", "report_summary", "design_reviews", "public_notices", "consultations")


def planner_series(p: Any) -> dict:
    return {("evaluations", None): {e.year: tuple((part, getattr(e, part)) for part in _EVALUATION_PARTS)
                                    for e in p.evaluations}}


def correction_fields(c: Any) -> dict[Key, Scalar]:
    return _f(what=c.what, why=c.why, who=c.who)


def corrections(e: Edition) -> dict[str, Any]:
    return {f"{c.date} {'、'.join(sorted(c.files))}": c for c in e.corrections}


def _target_text(t: Target) -> str:
    """Write a target exactly, so that any change of its numbers shows."""
    core = replace(t, text=None).label() if t.trend else _exact_target(t)
    tolerance = f"±{number_text(t.tolerance)}" if t.tolerance is not None else ""
    return core + tolerance + (f"（{t.text}）" if t.text and t.text != core else "")


def _exact_target(t: Target) -> str:
    for form, sign in (("equals", "="), ("at_least", "≥"), ("at_most", "≤"), ("about", "≈")):
        value = getattr(t, form)
        if value is not None:
            return f"{sign}{number_text(value)}"
    low, high = t.between  # type: ignore[misc]
    return f"{number_text(low)}–{number_text(high)}"


def indicator_fields(i: Indicator) -> dict[Key, Scalar]:
    fields = _f(name=i.name, category=i.category, subcategory=i.subcategory, standard=i.standard, unit=i.unit,
                definition=i.definition, direction=i.direction, kind=i.kind, percentage=i.percentage,
                decimals=i.decimals,
                data_source=i.data_source, collection_method=i.collection_method, department=i.department,
                cooperating=_ids(i.cooperating), division_of_work=i.division_of_work, deadline=i.deadline,
                notes=i.notes, base=f"{i.base_year}: {number_text(i.base_value)}", frequency=i.frequency)
    fields.update({("targets", t.year, None): _target_text(t) for t in i.targets})
    fields.update({("area_targets", t.year, area): _target_text(t)
                   for area, targets in i.area_targets.items() for t in targets})
    fields.update({("revisions", r.year, r.area): r.note for r in i.revisions})
    fields.update(_submission(i.submission))
    return fields


def _submission(given: Submission | None) -> dict[Key, Scalar]:
    if given is None:
        return {}
    return {(f"submission/{name}", None, None): getattr(given, name) for name in SUBMISSION_HEADINGS
            if getattr(given, name) is not None}


def indicator_series(i: Indicator) -> dict:
    series: dict = {("values", None): i.values}
    series.update({("by_area", area): values for area, values in i.by_area.items()})
    return series


def revision_notes(i: Indicator) -> dict[tuple[int | None, str | None], str]:
    return {(r.year, r.area): r.note for r in i.revisions}


def corrected_files(old: Edition, new: Edition) -> dict[str, str]:
    """Map each file named by a correction the new side adds to what that correction says."""
    before = set(old.corrections)
    return {rel: c.what for c in new.corrections if c not in before for rel in c.files}


def task_fields(t: Task) -> dict[Key, Scalar]:
    target = f"{number_text(t.target_quantity)} {t.target_unit}" if t.target_quantity is not None else None
    return {**_f(number=t.number, section=t.section, title=t.title, description=t.description, lead=t.lead,
                 cooperating=_ids(t.cooperating), period=f"{t.period_start}–{t.period_end}", target=target,
                 indicators=_ids(t.indicators), from_problems=_ids(t.from_problems), notes=t.notes,
                 areas=_ids(t.areas), streets=_ids(t.streets)),
            **_submission(t.submission)}


def _progress(p: Progress) -> tuple:
    return (("status", p.status), ("done", p.done), ("summary", p.summary))


def task_series(t: Task) -> dict:
    return {("progress", None): {p.year: _progress(p) for p in t.progress}}


def problem_fields(p: Problem) -> dict[Key, Scalar]:
    return _f(found_in=p.found_in, title=p.title, description=p.description,
              recommendations="；".join(sorted(p.recommendations)), departments=_ids(p.departments),
              evidence_indicators=_ids(p.evidence_indicators), evidence_tasks=_ids(p.evidence_tasks),
              notes=p.notes, areas=_ids(p.areas), streets=_ids(p.streets))


def _follow_up(f: FollowUp) -> tuple:
    return (("verdict", f.verdict), ("absorbed_into", _ids(f.absorbed_into)), ("response", f.response),
            ("memo", f.memo))


def problem_series(p: Problem) -> dict:
    return {("follow_up", None): {f.year: _follow_up(f) for f in p.follow_up}}


def survey_fields(s: Any) -> dict[Key, Scalar]:
    fields = _f(method=s.method, organisation=s.organisation, valid_questionnaires=s.valid_questionnaires,
                overall_score=s.overall_score, notes=s.notes, scale="、".join(s.scale))
    for kind, groups in s.sample.items():
        for g in groups:
            fields[(f"sample/{kind}/{g.group}/count", None, None)] = g.count
            fields[(f"sample/{kind}/{g.group}/population_share", None, None)] = g.population_share
    for d in s.dimensions:
        fields[(f"dimensions/{d.id}/name", None, None)] = d.name
        for q in d.questions:
            at = f"dimensions/{d.id}/{q.id}"
            fields.update({(f"{at}/text", None, None): q.text, (f"{at}/mean", None, None): q.mean,
                           (f"{at}/sd", None, None): q.sd, (f"{at}/n", None, None): q.n,
                           (f"{at}/distribution", None, None):
                               "、".join(map(str, q.distribution)) if q.distribution else None})
    return {k: v for k, v in fields.items() if v is not None}



# A report chapter reads as its front matter and one field per section ("## heading"),
# so a reviewer sees which sections of which chapter changed, by heading.
SECTION = "§"
_PART_TITLES = {"general": "总报告", "special": "专项报告"}


def chapters(e: Edition) -> dict[str, Chapter]:
    """Key an edition's chapters by report part and file name (stable while the file keeps its name)."""
    return {f"{_PART_TITLES.get(c.part, c.part)}·{c.file.rsplit('/', 1)[-1].removesuffix('.md')}": c
            for c in e.chapters}


def chapter_fields(c: Chapter) -> dict[Key, Scalar]:
    fields = _f(number=c.number, title=c.title, domain=c.domain, department=c.department)
    heading, lines = "", list[str]()
    for line in [*c.body.split("\n"), "# "]:  # a last heading closes the last section
        stripped = line.strip()
        if stripped.startswith("#"):
            text = "\n".join(lines).strip()
            if text or heading:
                fields[(SECTION + heading, None, None)] = text
            heading, lines = stripped.lstrip("#").strip(), []
        else:
            lines.append(line)
    return fields
