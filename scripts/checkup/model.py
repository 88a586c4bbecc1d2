"""The records of one annual edition, as typed values built from validated data.

Field names follow the schemas in schemas/; a value here is never computed,
only read (the assessment computes). Years are ints; yearly values are dicts
from year to number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .periods import DEFAULT_FREQUENCY, Period, parse_period

CATEGORIES = ("安全", "创新", "协调", "绿色", "开放", "共享")

DIRECTION_LABELS = {"higher_is_better": "越大越好", "lower_is_better": "越小越好", "within_range": "保持在区间内"}
KIND_LABELS = {"binding": "约束性", "expected": "预期性"}
STANDARD_LABELS = {"national": "国家规程指标", "ministry": "住房城乡建设部城市体检指标", "local": "本地特色指标"}
TREND_LABELS = {"increase": "增加", "decrease": "减少", "stable": "保持稳定"}
TASK_STATUS_LABELS = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "suspended": "暂缓"}
VERDICT_LABELS = {"resolved": "已解决", "improved": "有所改善", "unresolved": "未解决", "pending": "待评估"}
GRADE_LABELS = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
SELECTION_LABELS = {"open_recruitment": "公开招聘", "institution": "社会招募（机构）",
                    "individual": "社会招募（个人）", "commissioned": "定向委托"}
SAMPLE_GROUP_LABELS = {"area": "区", "age": "年龄", "education": "学历", "occupation": "职业"}
DEFAULT_SCALE = ("非常不满意", "不满意", "一般", "满意", "非常满意")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    population: float | None = None


Point = tuple[float, float]  # longitude, latitude (WGS 84)
Ring = tuple[Point, ...]  # closed: the last point repeats the first
Polygon = tuple[Ring, ...]  # the outer ring counter-clockwise, then any holes clockwise


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    short_name: str | None = None
    contact: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Evaluation:
    """One year of a responsible planner's work: both evaluations, the days, the report."""

    year: int
    grade: str  # 履职评估: the street's evaluation of the planner
    comment: str | None = None
    agreement_signed: str | None = None
    days: int | None = None
    support_grade: str | None = None  # 绩效评价: the planner's evaluation of the department's support
    support_comment: str | None = None
    report_date: str | None = None
    report_summary: str | None = None
    design_reviews: int | None = None
    public_notices: int | None = None
    consultations: int | None = None


@dataclass(frozen=True)
class Planner:
    id: str
    name: str
    area: str
    street: str
    term_start: str
    term_end: str
    organisation: str | None = None
    selection: str | None = None
    evaluations: tuple[Evaluation, ...] = ()

    def evaluation(self, year: int) -> Evaluation | None:
        return next((e for e in self.evaluations if e.year == year), None)


@dataclass(frozen=True)
class Target:
    """A planned target; exactly one of the forms is set."""

    year: int
    equals: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    between: tuple[float, float] | None = None
    about: float | None = None
    tolerance: float | None = None
    trend: str | None = None
    text: str | None = None

    @property
    def form(self) -> str:
        for name in ("equals", "at_least", "at_most", "between", "about", "trend"):
            if getattr(self, name) is not None:
                return name
        raise ValueError("target without a form")  # the schema forbids it

    def label(self) -> str:
        """Write the target the way a plan writes it."""
        if self.text:
            return self.text
        if self.equals is not None:
            return _num(self.equals)
        if self.at_least is not None:
            return f"≥{_num(self.at_least)}"
        if self.at_most is not None:
            return f"≤{_num(self.at_most)}"
        if self.between is not None:
            return f"{_num(self.between[0])}–{_num(self.between[1])}"
        if self.about is not None:
            return f"{_num(self.about)}左右"
        return TREND_LABELS[self.trend or "stable"]


@dataclass(frozen=True)
class Submission:
    """What a department writes with a year's figure, under the four headings of a work plan."""

    situation: str | None = None  # 基本情况
    achievements: str | None = None  # 取得成效
    shortcomings: str | None = None  # 短板及成因
    next_steps: str | None = None  # 下一步措施及建议


SUBMISSION_HEADINGS = {"situation": "基本情况", "achievements": "取得成效", "shortcomings": "短板及成因",
                       "next_steps": "下一步措施及建议"}


@dataclass(frozen=True)
class Chapter:
    """One chapter of the annual report's narrative (report/general/ or report/special/)."""

    part: str  # "general" (总报告) or "special" (专项报告)
    number: int
    title: str
    domain: str
    department: str
    body: str  # Markdown with {{...}} references, resolved when the report is made
    file: str
    body_line: int = 1  # the file line the body starts on


@dataclass(frozen=True)
class Revision:
    year: int
    note: str
    area: str | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    category: str
    subcategory: str
    unit: str
    definition: str
    direction: str
    kind: str
    base_year: int
    base_value: float
    values: dict[int, float]
    targets: tuple[Target, ...]
    data_source: str
    collection_method: str
    department: str
    file: str
    by_area: dict[str, dict[int, float]] = field(default_factory=dict)
    area_targets: dict[str, tuple[Target, ...]] = field(default_factory=dict)
    standard: str | None = None
    percentage: bool = False
    cooperating: tuple[str, ...] = ()
    division_of_work: str | None = None
    deadline: str | None = None
    revisions: tuple[Revision, ...] = ()
    replaces: str | None = None
    notes: str | None = None
    submission: Submission | None = None
    frequency: str = DEFAULT_FREQUENCY
    in_year: dict[Period, float] = field(default_factory=dict)  # in-year values, in time order
    decimals: int | None = None  # decimals of derived figures; None: those the recorded values use

    def target_for(self, year: int | None = None, area: str | None = None) -> Target | None:
        """Return the target of a year, or the nearest one still ahead (or the last); an area's own if set."""
        targets = self.area_targets.get(area, self.targets) if area is not None else self.targets
        if not targets:
            return None
        ordered = sorted(targets, key=lambda t: t.year)
        if year is None:
            return ordered[0]
        for target in ordered:
            if target.year >= year:
                return target
        return ordered[-1]


@dataclass(frozen=True)
class Progress:
    year: int
    status: str
    done: float | None = None
    summary: str | None = None


@dataclass(frozen=True)
class PeriodProgress:
    """An in-year progress report (季度进展、半年总结): `done` within the period, `cumulative` since the start."""

    period: Period
    status: str
    done: float | None = None
    cumulative: float | None = None
    summary: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Task:
    id: str
    number: int
    section: str
    title: str
    lead: str
    period_start: int
    period_end: int
    progress: tuple[Progress, ...]
    file: str
    description: str | None = None
    cooperating: tuple[str, ...] = ()
    target_quantity: float | None = None
    target_unit: str | None = None
    indicators: tuple[str, ...] = ()
    from_problems: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    replaces: str | None = None
    notes: str | None = None
    submission: Submission | None = None
    in_year: tuple[PeriodProgress, ...] = ()  # in time order; yearly entries stay in `progress`

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.lead, *self.cooperating)


@dataclass(frozen=True)
class FollowUp:
    year: int
    verdict: str
    absorbed_into: tuple[str, ...] = ()
    response: str | None = None
    memo: str | None = None


@dataclass(frozen=True)
class Problem:
    id: str
    found_in: int
    title: str
    description: str
    recommendations: tuple[str, ...]
    departments: tuple[str, ...]
    file: str
    evidence_indicators: tuple[str, ...] = ()
    evidence_tasks: tuple[str, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()
    areas: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    replaces: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    distribution: tuple[int, ...] | None = None
    mean: float | None = None
    sd: float | None = None
    n: int | None = None


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SampleGroup:
    group: str
    count: int
    population_share: float | None = None


@dataclass(frozen=True)
class Survey:
    year: int
    method: str
    valid_questionnaires: int
    dimensions: tuple[Dimension, ...]
    file: str
    scale: tuple[str, ...] = DEFAULT_SCALE
    sample: dict[str, tuple[SampleGroup, ...]] = field(default_factory=dict)
    organisation: str | None = None
    overall_score: float | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Correction:
    date: str
    files: tuple[str, ...]
    what: str
    why: str
    who: str


@dataclass(frozen=True)
class Edition:
    year: int
    title: str
    city: str
    publisher: str
    status: str
    base_year: int
    target_years: tuple[int, ...]
    areas: tuple[Area, ...]
    departments: dict[str, Department]
    indicators: dict[str, Indicator]
    tasks: dict[str, Task]
    problems: dict[str, Problem]
    folder: str
    example: bool = False
    published_on: str | None = None
    planners: tuple[Planner, ...] = ()
    survey: Survey | None = None
    corrections: tuple[Correction, ...] = ()
    notes: str | None = None
    chapters: tuple[Chapter, ...] = ()  # the general report's chapters in order, then the special report's
    # Each area's boundary (polygons) from areas.geojson; empty when the edition ships none.
    geometry: dict[str, tuple[Polygon, ...]] = field(default_factory=dict)
    geometry_note: str | None = None
    rules: dict[str, Any] | None = None  # the validated rules.yaml the edition is assessed with, if any

    def area_name(self, area_id: str) -> str:
        for area in self.areas:
            if area.id == area_id:
                return area.name
        return area_id

    def department_name(self, dept_id: str) -> str:
        dept = self.departments.get(dept_id)
        return dept.name if dept else dept_id


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _years(raw: dict[str, Any] | None) -> dict[int, float]:
    return {int(k): v for k, v in (raw or {}).items()}


def _target(t: dict[str, Any]) -> Target:
    return Target(year=t["year"], equals=t.get("equals"), at_least=t.get("at_least"), at_most=t.get("at_most"),
                  between=tuple(t["between"]) if "between" in t else None,  # type: ignore[arg-type]
                  about=t.get("about"), tolerance=t.get("tolerance"), trend=t.get("trend"), text=t.get("text"))


def build_indicator(raw: dict[str, Any], file: str) -> Indicator:
    base = raw["base"]
    return Indicator(
        id=raw["id"], name=raw["name"], category=raw["category"], subcategory=raw["subcategory"],
        unit=raw["unit"], definition=raw["definition"], direction=raw["direction"], kind=raw["kind"],
        base_year=base["year"], base_value=base["value"], values=_years(raw.get("values")),
        targets=tuple(_target(t) for t in raw.get("targets", ())),
        area_targets={area: tuple(_target(t) for t in targets)
                      for area, targets in (raw.get("area_targets") or {}).items()},
        data_source=raw["data_source"], collection_method=raw["collection_method"],
        department=raw["department"], file=file,
        by_area={area: _years(vals) for area, vals in (raw.get("by_area") or {}).items()},
        standard=raw.get("standard"),
        percentage=bool(raw.get("percentage", raw["unit"] == "%")),
        cooperating=tuple(raw.get("cooperating", ())), division_of_work=raw.get("division_of_work"),
        deadline=raw.get("deadline"),
        revisions=tuple(Revision(year=r["year"], note=r["note"], area=r.get("area"))
                        for r in raw.get("revisions", ())),
        replaces=raw.get("replaces"), notes=raw.get("notes"), submission=_submission(raw),
        frequency=raw.get("frequency", DEFAULT_FREQUENCY),
        in_year=dict(sorted((parse_period(k), v) for k, v in (raw.get("in_year") or {}).items())),
        decimals=raw.get("decimals"),
    )


def _submission(raw: dict[str, Any]) -> Submission | None:
    given = raw.get("submission")
    return Submission(**given) if given else None


def build_chapter(raw: dict[str, Any], file: str) -> Chapter:
    """Build a chapter from its front matter plus "part", "body" and "body_line"."""
    return Chapter(part=raw["part"], number=raw["chapter"], title=raw["title"], domain=raw["domain"],
                   department=raw["department"], body=raw["body"], file=file,
                   body_line=raw.get("body_line", 1))


def build_task(raw: dict[str, Any], file: str) -> Task:
    target = raw.get("target") or {}
    return Task(
        id=raw["id"], number=raw["number"], section=raw["section"], title=raw["title"],
        lead=raw["lead"], period_start=raw["period"]["start"], period_end=raw["period"]["end"],
        progress=tuple(sorted(
            (Progress(year=p["year"], status=p["status"], done=p.get("done"), summary=p.get("summary"))
             for p in raw.get("progress", ()) if "period" not in p), key=lambda p: p.year)),
        file=file, description=raw.get("description"), cooperating=tuple(raw.get("cooperating", ())),
        target_quantity=target.get("quantity"), target_unit=target.get("unit"),
        indicators=tuple(raw.get("indicators", ())), from_problems=tuple(raw.get("from_problems", ())),
        areas=tuple(raw.get("areas", ())), streets=tuple(raw.get("streets", ())),
        replaces=raw.get("replaces"), notes=raw.get("notes"), submission=_submission(raw),
        in_year=tuple(sorted(
            (PeriodProgress(period=parse_period(p["period"]), status=p["status"], done=p.get("done"),
                            cumulative=p.get("cumulative"), summary=p.get("summary"), note=p.get("note"))
             for p in raw.get("progress", ()) if "period" in p), key=lambda p: p.period.sort_key())),
    )


def build_problem(raw: dict[str, Any], file: str) -> Problem:
    evidence = raw.get("evidence") or {}
    return Problem(
        id=raw["id"], found_in=raw["found_in"], title=raw["title"], description=raw["description"],
        recommendations=tuple(raw["recommendations"]), departments=tuple(raw["departments"]),
        file=file, evidence_indicators=tuple(evidence.get("indicators", ())),
        evidence_tasks=tuple(evidence.get("tasks", ())),
        follow_up=tuple(sorted(
            (FollowUp(year=f["year"], verdict=f["verdict"], absorbed_into=tuple(f.get("absorbed_into", ())),
                      response=f.get("response"), memo=f.get("memo"))
             for f in raw.get("follow_up", ())), key=lambda f: f.year)),
        areas=tuple(raw.get("areas", ())), streets=tuple(raw.get("streets", ())),
        replaces=raw.get("replaces"), notes=raw.get("notes"),
    )


def build_survey(raw: dict[str, Any], file: str) -> Survey:
    return Survey(
        year=raw["year"], method=raw["method"], valid_questionnaires=raw["valid_questionnaires"],
        dimensions=tuple(
            Dimension(id=d["id"], name=d["name"], questions=tuple(
                Question(id=q["id"], text=q["text"],
                         distribution=tuple(q["distribution"]) if "distribution" in q else None,
                         mean=q.get("mean"), sd=q.get("sd"), n=q.get("n"))
                for q in d["questions"]))
            for d in raw["dimensions"]),
        file=file, scale=tuple(raw.get("scale", DEFAULT_SCALE)),
        sample={name: tuple(SampleGroup(group=g["group"], count=g["count"],
                                        population_share=g.get("population_share")) for g in groups)
                for name, groups in (raw.get("sample") or {}).items()},
        organisation=raw.get("organisation"), overall_score=raw.get("overall_score"),
        notes=raw.get("notes"),
    )


def build_edition(raw: dict[str, Any], folder: str) -> Edition:
    """Build an Edition from the validated documents of one folder.

    `raw` maps each kind to its documents: "edition", "departments", "survey" and
    "corrections" to one value (or None), "indicators", "tasks", "problems" and
    "chapters" to dicts from relative file path to value.
    """
    meta = raw["edition"]
    depts = raw.get("departments") or {"departments": []}
    corrections = (raw.get("corrections") or {}).get("corrections", [])
    survey_file = f"{folder}/survey.yaml"
    return Edition(
        year=meta["year"], title=meta["title"], city=meta["city"], publisher=meta["publisher"],
        status=meta["status"], base_year=meta["base_year"], target_years=tuple(meta["target_years"]),
        areas=tuple(Area(id=a["id"], name=a["name"], population=a.get("population")) for a in meta["areas"]),
        departments={d["id"]: Department(id=d["id"], name=d["name"], short_name=d.get("short_name"),
                                         contact=d.get("contact")) for d in depts["departments"]},
        indicators=_by_id(build_indicator, raw.get("indicators", {})),
        tasks=_by_id(build_task, raw.get("tasks", {})),
        problems=_by_id(build_problem, raw.get("problems", {})),
        folder=folder, example=bool(meta.get("example", False)), published_on=meta.get("published_on"),
        planners=tuple(
            Planner(id=p["id"], name=p["name"], area=p["area"], street=p["street"],
                    term_start=p["term"]["start"], term_end=p["term"]["end"],
                    organisation=p.get("organisation"), selection=p.get("selection"),
                    evaluations=tuple(build_evaluation(e) for e in p.get("evaluations", ())))
            for p in depts.get("planners", ())),
        survey=build_survey(raw["survey"], survey_file) if raw.get("survey") else None,
        corrections=tuple(Correction(date=c["date"], files=tuple(c["files"]), what=c["what"], why=c["why"],
                                     who=c["who"]) for c in corrections),
        notes=meta.get("notes"), rules=raw.get("rules"),
        chapters=tuple(sorted((build_chapter(value, file) for file, value in raw.get("chapters", {}).items()),
                              key=lambda c: (c.part != "general", c.number, c.file))),
        geometry=build_geometry(raw.get("areas_geometry")),
        geometry_note=(raw.get("areas_geometry") or {}).get("description"),
    )


def build_evaluation(raw: dict[str, Any]) -> Evaluation:
    support, report, work = raw.get("support") or {}, raw.get("report") or {}, raw.get("work") or {}
    return Evaluation(
        year=raw["year"], grade=raw["grade"], comment=raw.get("comment"),
        agreement_signed=raw.get("agreement_signed"), days=raw.get("days"),
        support_grade=support.get("grade"), support_comment=support.get("comment"),
        report_date=report.get("date"), report_summary=report.get("summary"),
        design_reviews=work.get("design_reviews"), public_notices=work.get("public_notices"),
        consultations=work.get("consultations"),
    )


def feature_polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """Return a GeoJSON geometry's coordinates as a list of polygons, whatever its type."""
    coords = geometry["coordinates"]
    return coords if geometry["type"] == "MultiPolygon" else [coords]


def build_geometry(raw: dict[str, Any] | None) -> dict[str, tuple[Polygon, ...]]:
    """Read each area's polygons from validated GeoJSON, the outer ring turned counter-clockwise."""
    out: dict[str, tuple[Polygon, ...]] = {}
    for feature in (raw or {}).get("features", ()):
        polygons = []
        for rings in feature_polygons(feature["geometry"]):
            built = []
            for i, ring in enumerate(rings):
                points = tuple((float(p[0]), float(p[1])) for p in ring)
                clockwise = ring_area(points) < 0
                # RFC 7946: outer rings counter-clockwise, holes clockwise; files in the wild mix both.
                built.append(points[::-1] if clockwise == (i == 0) else points)
            polygons.append(tuple(built))
        out[feature["properties"]["id"]] = out.get(feature["properties"]["id"], ()) + tuple(polygons)
    return out


def ring_area(ring: tuple[Point, ...] | list[list[float]]) -> float:
    """Return a ring's signed area in square degrees: positive when counter-clockwise."""
    total = 0.0
    for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total / 2


def _by_id(build: Any, docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    records = (build(value, file) for file, value in docs.items())
    return {r.id: r for r in sorted(records, key=lambda r: r.id)}
