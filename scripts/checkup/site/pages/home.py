"""The home page: how the city did this year, in the first phone screen, then the detail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...assess import PACE_LABELS, STATUS_LABELS
from ...model import CATEGORIES, Indicator
from ..markup import Page, Source, admonition, badge, front_matter, link, num, pct, provenance, table, text
from ..sitedata import EditionView, SiteData
from .indicators import indicator_page_path, no_data_note
from .inyear import in_year_home
from .results import pace_table, problem_summary

# Year-on-year words. A move within the edition's stable band (rules.stable_band) of last year's
# value is 持平: the same band the assessment calls 稳定, because revisions and rounding move figures that much.
MOVES = {"better": "变好", "worse": "变差", "same": "持平", "missing": "本年无数据", "none": "无上年数据"}
# Statuses a reader counts as "on course against the target" and as "off course".
GOOD_STATUSES = ("reached", "on_track")
BAD_STATUSES = ("lagging", "away")
# The home page names this many indicators going the wrong way and links to the list for the rest:
# a phone screen holds about that many short names.
WORSE_NAMED = 8


@dataclass(frozen=True)
class Move:
    indicator: Indicator
    move: str  # a key of MOVES
    status: str


def year_moves(view: EditionView) -> list[Move]:
    """Say for every indicator whether its latest value moved the good or the wrong way since last year."""
    out = []
    for ind_id, ind in view.edition.indicators.items():
        a = view.assessment.indicators[ind_id]
        band = view.assessment.rules.stable_band
        out.append(Move(ind, _move(ind, a.latest_value, a.previous_value, a.latest_year == view.year, band),
                        a.status))
    return out


def _move(ind: Indicator, value: float | None, previous: float | None, current: bool, band: float) -> str:
    if value is None or not current:
        return "missing"  # not reported for this year (yet): nothing to compare
    if previous is None:
        return "none"
    if abs(value - previous) <= band * abs(previous):
        return "same"
    if ind.direction == "within_range":
        target = ind.target_for()
        if target is None or target.between is None:
            return "same"  # no range to measure closeness against: say nothing about better or worse
        middle = sum(target.between) / 2
        return "better" if abs(value - middle) < abs(previous - middle) else "worse"
    rising = value > previous
    return "better" if rising == (ind.direction == "higher_is_better") else "worse"


def home_page(site: SiteData, view: EditionView) -> Page:
    """Answer how the city did this year first; the figures behind it and the edition's details follow."""
    e, a = view.edition, view.assessment
    page = view.path("index.md")
    moves = year_moves(view)
    md = [front_matter(e.title, description=_summary_sentence(site, view, moves), searchable=view.latest),
          f"# {text(e.title)}", ""]
    if not view.latest:
        md += [admonition("info", "历史版本", f"这是 {e.year} 年度版。最新结果见{link('首页', page, 'index.md')}。"), ""]
    in_year = in_year_home(view, page)  # a draft preview's in-year warnings and as-of figures
    if in_year:  # during the year they are the news; the year's own figures are still coming in
        md += in_year + ["## 年度结果（草稿，数据尚未报齐）", ""]
    md += [f"**{_summary_sentence(site, view, moves)}**", ""]
    md += _worse_line(view, page, moves)
    if view.latest and e.areas:
        md += ["**我的区：**" + " · ".join(link(text(area.name), page, f"areas/{area.id}.md") for area in e.areas)
               + f"（{link('各区一览和地图', page, 'areas/index.md')}）", ""]
    late = _late_tasks_line(view, page)
    if late:
        md += [late, ""]
    md += ["## 分类别看", "", _category_table(view, moves), "",
           f"“变好”“变差”比较的是 {e.year} 年与上一年的数值，按指标方向判断，变化不超过上年值的 ±{pct(a.rules.stable_band, 0)} "
           f"为持平；“达标或较好”对照规划目标，指已达标或进度较好，规则见{link('方法说明', page, view.path('methods.md'))}。", ""]
    md += [_glance(view, page), ""]
    counts = a.status_counts()
    total = sum(counts.values())
    md += ["## 指标评估结果", "", _status_bar(counts, total), "",
           table(["评估结果", "指标数", "占比"],
                 [[badge(k, STATUS_LABELS[k]), num(n), pct(n / total if total else None)] for k, n in counts.items()]
                 + [["合计", num(total), pct(1.0 if total else None)]], align="lrr"), "",
           f"逐项结果见{link('指标一览', page, view.path('indicators/index.md'))}。", ""]
    note = no_data_note(view)
    if note:
        md += [note, ""]
    md += ["## 年度任务", "", pace_table(view), ""]
    md += ["## 问题清单", "", problem_summary(view, page), ""]
    if a.survey:
        s = a.survey
        md += ["## 社会满意度", "",
               f"{num(s.valid_questionnaires)} 份有效问卷，总体满意度 **{s.overall.score:.1f} 分**（满分100，"
               f"95% 置信区间 {s.overall.low:.1f}–{s.overall.high:.1f}）。"
               f"各方面得分见{link('满意度调查', page, view.path('survey.md'))}。", ""]
    md += ["## 本版变化与更正", "",
           f"- {link('本版变化', page, view.path('changes.md'))}：与上一版本相比新增、删除、修订了什么，哪些评估结果变了。",
           f"- {link('更正记录', page, view.path('corrections.md'))}：发布后的每一次更正（{len(e.corrections)} 条）。",
           f"- {link('历年版本', page, 'archive/index.md')}：每个年度版本的结果。", ""]
    md += ["## 关于本版", "",
           f"{text(e.publisher)}发布 · {view.label} · 体检年度 {e.year} · 规划基期 {e.base_year} 年 · 规划目标年 "
           + "、".join(str(y) for y in e.target_years), ""]
    if e.notes:
        md += [text(e.notes), ""]
    files = tuple(view.repo_path(f"{e.folder}/{name}") for name in ("edition.yaml", "departments.yaml"))
    md += [provenance(page, view.label, Source(files=files, folders=(
        (f"data/{view.year}/indicators/", len(e.indicators)), (f"data/{view.year}/tasks/", len(e.tasks)),
        (f"data/{view.year}/problems/", len(e.problems))))), ""]
    return Page(page, "\n".join(md))


def _summary_sentence(site: SiteData, view: EditionView, moves: list[Move]) -> str:
    """Say in one sentence how the indicators moved and how residents rated the city."""
    e, a = view.edition, view.assessment
    by_move = Counter(m.move for m in moves)
    good = sum(1 for m in moves if m.status in GOOD_STATUSES)
    bad = sum(1 for m in moves if m.status in BAD_STATUSES)
    parts = [f"{e.year} 年 {num(len(moves))} 项指标中，比上年变好 {num(by_move['better'])} 项、"
             f"变差 {num(by_move['worse'])} 项、持平 {num(by_move['same'])} 项"]
    if by_move["missing"]:
        parts[-1] += f"、本年无数据 {num(by_move['missing'])} 项"
    if by_move["none"]:
        parts[-1] += f"、无上年数据可比 {num(by_move['none'])} 项"
    parts.append(f"对照规划目标，已达标或进度较好 {num(good)} 项，进度滞后或偏离目标 {num(bad)} 项")
    sentence = "；".join(parts) + "。"
    if a.survey:
        score = a.survey.overall.score
        sentence += f"居民满意度 {score:.1f} 分（满分100）"
        previous = site.previous(view)
        if previous is not None and previous.assessment.survey is not None:
            change = score - previous.assessment.survey.overall.score
            word = "提高" if change > 0 else "下降"
            sentence += (f"，比上年{word} {abs(change):.1f} 分" if round(change, 1) else "，与上年持平")
        sentence += "。"
    return sentence


def _worse_line(view: EditionView, page: str, moves: list[Move]) -> list[str]:
    worse = [m.indicator for m in moves if m.move == "worse"]
    if not worse:
        return ["没有指标比上年变差。", ""]
    named = "、".join(link(text(i.name), page, indicator_page_path(i.id)) if view.latest else text(i.name)
                     for i in worse[:WORSE_NAMED])
    more = f"等 {len(worse)} 项" if len(worse) > WORSE_NAMED else ""
    return [f"比上年变差的指标：{named}{more}。", ""]


def _category_table(view: EditionView, moves: list[Move]) -> str:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    groups: dict[str, list[Move]] = {}
    for m in sorted(moves, key=lambda m: order.get(m.indicator.category, len(order))):
        groups.setdefault(m.indicator.category, []).append(m)
    rows = []
    for category, items in groups.items():
        by_move = Counter(m.move for m in items)
        good = sum(1 for m in items if m.status in GOOD_STATUSES)
        rows.append([text(category), num(len(items)), num(by_move["better"]), num(by_move["worse"]),
                     num(by_move["same"]), num(good)])
    counts = table(["类别", "指标", "变好", "变差", "持平", "达标或较好"], rows, align="lrrrrr")
    return f'<div class="ck-compact" markdown>\n\n{counts}\n\n</div>'


def _glance(view: EditionView, page: str) -> str:
    a = view.assessment
    counts = a.status_counts()
    total = sum(counts.values())
    reached = counts.get("reached", 0) + counts.get("on_track", 0)
    cards = [
        (f"{num(total)} 项指标", f"已达标 {num(counts.get('reached', 0))} 项，"
         f"达标或进度较好 {num(reached)} 项（{pct(reached / total if total else None)}）",
         view.path("indicators/index.md"), "看指标"),
        (f"{num(len(a.tasks))} 项年度任务", f"已完成 {num(a.pace_counts().get('done', 0))} 项，"
         f"未按期完成 {num(len(a.overdue()))} 项，预警 {num(len(a.warnings()))} 项", view.path("tasks.md"), "看任务"),
        (f"{num(a.problem_summary.total)} 个问题", f"已解决 {num(a.problem_summary.resolved)} 个，"
         f"本年新发现 {num(a.problem_summary.new)} 个", view.path("problems.md"), "看问题清单"),
    ]
    if a.survey:
        cards.append((f"满意度 {a.survey.overall.score:.1f} 分", f"满分100 · {num(a.survey.valid_questionnaires)} 份有效问卷",
                      view.path("survey.md"), "看调查"))
    items = [f'<div class="ck-card" markdown>\n\n**{head}**\n\n{body}\n\n{link(more, page, to)}\n\n</div>'
             for head, body, to, more in cards]
    return '<div class="ck-cards" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>"


def _status_bar(counts: dict[str, int], total: int) -> str:
    """Draw the status shares as one stacked bar in CSS; the table below carries the numbers."""
    if not total:
        return ""
    parts = "".join(f'<span class="ck-bar__part ck-badge--{k}" style="width:{n / total * 100:.2f}%"></span>'
                    for k, n in counts.items() if n)
    return f'<div class="ck-bar" aria-hidden="true">{parts}</div>'


def _late_tasks_line(view: EditionView, page: str) -> str:
    """Sum up in one line the tasks a reader must see: overdue, suspended, and warned while their period runs."""
    a = view.assessment
    suspended = [t for t, ta in a.tasks.items() if ta.pace == "suspended"]
    warned = [t for t in a.warnings() if a.tasks[t].pace != "suspended"]
    parts = [(code, word, why, n) for code, word, why, n in (
        ("overdue", PACE_LABELS["overdue"], "实施期限已过，尚未完成", len(a.overdue())),
        ("suspended", PACE_LABELS["suspended"], "已停止实施", len(suspended)),
        ("warning", "预警", "按目前速度到期末难以完成", len(warned))) if n]
    if not parts:
        return ""
    said = "；".join(f"{badge(code, word)}任务 {num(n)} 项（{why}）" for code, word, why, n in parts)
    return f"{said}。逐项见{link('年度任务', page, view.path('tasks.md'))}。"
