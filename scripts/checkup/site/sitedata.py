"""Everything the site is rendered from: every edition, its assessment, and cross-edition lookups.

The pages never assess anything themselves; they read an `EditionView` (one
edition with its assessment and where its pages live) and a `SiteData` (all
editions, for histories across years).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import PurePosixPath

from ..assess import EditionAssessment, IndicatorAssessment, assess_edition
from ..assess.inyear import EditionInYear, assess_edition_in_year
from ..model import Edition, Indicator, Problem, Task
from .markup import link
from .markup import text as escape_text

STATUS_WORDS = {"draft": "草稿", "published": "已发布"}
# Long lists are split so that no page's HTML passes 100 KB: about 30 KB of Markdown
# becomes 60-70 KB of HTML, and the theme adds about 25 KB around it.
PAGE_BUDGET = 30_000
# Task and problem lists get a larger budget, because a list a reader filters works best on
# one page; but each record adds a heading to the page's two tables of contents, so 58 KB
# estimated (the example's 35 tasks) became 103 KB of HTML. 45 KB stays under 100 KB.
RECORD_PAGE_BUDGET = 45_000


@dataclass(frozen=True)
class EditionView:
    """One edition, its assessment, and the folder its pages are written to."""

    edition: Edition
    assessment: EditionAssessment
    prefix: str  # "" for the latest edition, "archive/2022/" for an older one
    latest: bool
    anchors: dict[str, str] = field(default_factory=dict, compare=False)  # record id -> page#anchor
    task_pages: list[list[str]] = field(default_factory=list, compare=False)  # task ids per page
    problem_pages: list[list[str]] = field(default_factory=list, compare=False)
    in_year: EditionInYear | None = field(default=None, compare=False)  # the edition year's in-year reports

    @property
    def year(self) -> int:
        return self.edition.year

    def path(self, name: str) -> str:
        """Return the docs path of one of this edition's pages, e.g. path("tasks.md")."""
        return f"{self.prefix}{name}"

    @property
    def label(self) -> str:
        """Name the edition the way every page's provenance section does."""
        e = self.edition
        state = STATUS_WORDS.get(e.status, e.status)
        when = f"，{e.published_on} 发布" if e.published_on else ""
        return f"{e.year} 年度版（{state}{when}）"

    def repo_path(self, file: str) -> str:
        """Return a data file's path in the repository, e.g. data/2023/indicators/LS-03.yaml."""
        return repo_path(self.edition.folder, file)

    def locate(self, record_id: str) -> str | None:
        """Return the docs path and anchor of a task or problem of this edition."""
        return self.anchors.get(record_id)

    def department_label(self, dept_id: str) -> str:
        dept = self.edition.departments.get(dept_id)
        return dept.label if dept else dept_id


@lru_cache(maxsize=65536)  # asked for every record on every page that cites it
def repo_path(edition_folder: str, file: str) -> str:
    """Return a data file's path in the repository from its edition's folder and its path."""
    folder = PurePosixPath(edition_folder)
    path = PurePosixPath(file)
    rel = path.relative_to(folder) if path.is_relative_to(folder) else path  # records hold edition-relative paths
    return f"data/{folder.name}/{rel}"


@dataclass
class SiteData:
    """All editions that passed validation, oldest first, each with its assessment."""

    views: list[EditionView]

    @classmethod
    def from_editions(cls, editions: dict[int, Edition]) -> SiteData:
        years = sorted(editions)
        views = []
        for y in years:
            assessed = assess_edition(editions[y])
            views.append(EditionView(editions[y], assessed, "" if y == years[-1] else f"archive/{y}/", y == years[-1],
                                     in_year=assess_edition_in_year(editions[y], assessed.rules)))
        for view in views:
            _plan_pages(view)
        return cls(views)

    @property
    def latest(self) -> EditionView:
        return self.views[-1]

    def previous(self, view: EditionView) -> EditionView | None:
        index = self.views.index(view)
        return self.views[index - 1] if index else None

    @cached_property
    def _indicator_index(self) -> dict[str, list[tuple[EditionView, Indicator, IndicatorAssessment]]]:
        """Map every indicator id of the latest edition to its records in each edition, oldest first."""
        aliases = _aliases(v.edition.indicators for v in self.views)
        history: dict[str, list[tuple[EditionView, Indicator, IndicatorAssessment]]] = {}
        for view in self.views:
            for ind_id, ind in view.edition.indicators.items():
                history.setdefault(aliases.get(ind_id, ind_id), []).append(
                    (view, ind, view.assessment.indicators[ind_id]))
        return history

    def indicator_history(self, ind_id: str) -> list[tuple[EditionView, Indicator, IndicatorAssessment]]:
        """Return an indicator's record and assessment in every edition that has it (renames followed)."""
        return self._indicator_index.get(ind_id, [])

    @cached_property
    def _problem_index(self) -> dict[str, list[tuple[EditionView, Problem]]]:
        aliases = _aliases(v.edition.problems for v in self.views)
        history: dict[str, list[tuple[EditionView, Problem]]] = {}
        for view in self.views:
            for pid, problem in view.edition.problems.items():
                history.setdefault(aliases.get(pid, pid), []).append((view, problem))
        return history

    def problem_history(self, problem_id: str) -> list[tuple[EditionView, Problem]]:
        """Return a problem's record in every edition that lists it (renames followed)."""
        return self._problem_index.get(problem_id, [])

    def department_link(self, page: str, view: EditionView, dept_id: str) -> str:
        """Name a department, linked to its page when the latest edition still has it."""
        label = escape_text(view.department_label(dept_id))
        if dept_id in self.latest.edition.departments:
            return link(label, page, f"departments/{dept_id}.md")
        return label

    def task_anywhere(self, task_id: str) -> tuple[EditionView, Task] | None:
        """Find a task by id in the newest edition that has it (problems point at next year's tasks)."""
        for view in reversed(self.views):
            if task_id in view.edition.tasks:
                return view, view.edition.tasks[task_id]
        return None


def _aliases(records_by_edition: object) -> dict[str, str]:
    """Map every old id to the id it is known by in the newest edition that renamed it."""
    renamed: dict[str, str] = {}
    for records in records_by_edition:  # type: ignore[attr-defined]
        for rid, record in records.items():
            if record.replaces:
                renamed[record.replaces] = rid
    resolved: dict[str, str] = {}
    for old in renamed:
        new, seen = renamed[old], {old}
        while new in renamed and new not in seen:  # follow chains of renames, guarding against loops
            seen.add(new)
            new = renamed[new]
        resolved[old] = new
    return resolved


def ordered_tasks(tasks: Iterable[Task]) -> list[Task]:
    """Order tasks by section (in the order of their first task number), then by number."""
    items = sorted(tasks, key=lambda t: (t.number, t.id))
    first: dict[str, int] = {}
    for task in items:
        first.setdefault(task.section, len(first))
    return sorted(items, key=lambda t: (first[t.section], t.number, t.id))


def ordered_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems newest finding first, then by id."""
    return sorted(problems, key=lambda p: (-p.found_in, p.id))


def _task_size(task: Task) -> int:
    words = [task.title, task.section, task.description or "", *(p.summary or "" for p in task.progress)]
    return 900 + 150 * len(task.progress) + sum(len(w.encode()) for w in words) + 60 * len(task.indicators)


def _problem_size(problem: Problem) -> int:
    words = [problem.title, problem.description, *problem.recommendations,
             *(f.response or "" for f in problem.follow_up), *(f.memo or "" for f in problem.follow_up)]
    refs = len(problem.departments) + len(problem.evidence_indicators) + len(problem.evidence_tasks)
    return 1000 + 200 * len(problem.follow_up) + sum(len(w.encode()) for w in words) + 80 * refs


def pack(items: Sequence[str], size: Callable[[str], int], budget: int = PAGE_BUDGET) -> list[list[str]]:
    """Pack ids in order into as few pages of at most `budget` estimated bytes as fit, evened out.

    Greedy packing fills every page but the last (14 + 2); the same number of pages is
    then refilled to an even share of the total, so no page is a short remainder.
    """
    greedy = _pack(items, size, budget)
    if len(greedy) < 2:
        return greedy
    even_share = int(sum(size(i) for i in items) / len(greedy)) + 1
    for trial in (even_share, (3 * even_share + budget) // 4, (even_share + budget) // 2):
        even = _pack(items, size, trial)
        if len(even) == len(greedy):
            return even
    return greedy


def _pack(items: Sequence[str], size: Callable[[str], int], budget: int) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    used = 0
    for item in items:
        cost = size(item)
        if pages[-1] and used + cost > budget:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += cost
    return pages


def page_name(base: str, number: int) -> str:
    """Name the n-th page (1-based) of a split list: tasks.md, tasks-2.md, …"""
    return base if number == 1 else f"{base.removesuffix('.md')}-{number}.md"


def _plan_pages(view: EditionView) -> None:
    """Decide which page every task and problem of an edition goes on, before any page is written."""
    tasks = {t.id: t for t in ordered_tasks(view.edition.tasks.values())}
    problems = {p.id: p for p in ordered_problems(view.edition.problems.values())}
    view.task_pages[:] = pack(list(tasks), lambda i: _task_size(tasks[i]), RECORD_PAGE_BUDGET)
    view.problem_pages[:] = pack(list(problems), lambda i: _problem_size(problems[i]), RECORD_PAGE_BUDGET)
    for base, pages in (("tasks.md", view.task_pages), ("problems.md", view.problem_pages)):
        for number, ids in enumerate(pages, 1):
            for record_id in ids:
                view.anchors[record_id] = f"{view.path(page_name(base, number))}#{record_id.lower()}"
