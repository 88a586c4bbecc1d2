"""The responsible planners' own pages and the page of what they disclose, area by area."""

from __future__ import annotations

from ..markup import Page, Source, badge, front_matter, link, long_text, provenance, table, text
from ...model import GRADE_LABELS, SELECTION_LABELS, Evaluation, Planner
from ..sitedata import EditionView
from .placelinks import DISCLOSURE_PAGE, area_link, area_page_path, planner_page_path

MIN_PLANNER_DAYS = 30  # the rule the days are read against; the check is in check/validate.py


def grade_label(grade: str | None) -> str:
    return GRADE_LABELS.get(grade, grade) if grade else "未公开"


def days_cell(ev: Evaluation | None) -> str:
    if ev is None or ev.days is None:
        return "未公开"
    return f"{ev.days} 天" + (f" {badge('warning', f'少于 {MIN_PLANNER_DAYS} 天')}" if ev.days < MIN_PLANNER_DAYS else "")


# -- the planners ---------------------------------------------------------------------------


def planner_detail_pages(view: EditionView) -> list[Page]:
    """Write one page per responsible planner and the page of what is disclosed, area by area."""
    return [*(_planner_page(view, p) for p in view.edition.planners), _disclosure_page(view)]


def _planner_page(view: EditionView, p: Planner) -> Page:
    e = view.edition
    page = planner_page_path(p.id)
    md = [front_matter(p.name, description=f"责任规划师{p.name}的聘任、履职和考评"), f"# {text(p.name)}", "",
          table(["项目", "内容"], [
              ["编号", text(p.id)], ["所在单位", text(p.organisation)],
              ["服务的区", area_link(e, page, p.area)], ["负责街道", text(p.street)],
              ["选聘方式", text(SELECTION_LABELS.get(p.selection or "", None)) if p.selection else "未公开"],
              ["聘期", f"{text(p.term_start)} 至 {text(p.term_end)}（按年签订工作协议）"]]), ""]
    md += ["## 年度履职情况", "",
           f"按规定，责任规划师每年在街道工作不少于 {MIN_PLANNER_DAYS} 个工作日；街道对责任规划师进行履职评估，"
           "责任规划师对部门的支持进行绩效评价（双向评价），并提交年度述职报告。", ""]
    # One small two-column table per year: seven columns side by side do not fit a phone.
    for ev in sorted(p.evaluations, key=lambda ev: ev.year, reverse=True):
        work = [f"方案审查 {ev.design_reviews} 项" if ev.design_reviews is not None else "",
                f"规划公示 {ev.public_notices} 次" if ev.public_notices is not None else "",
                f"咨询与公众参与 {ev.consultations} 次" if ev.consultations is not None else ""]
        md += [f"### {ev.year} 年度", "", table(["项目", "内容"], [
            ["年度协议签订", text(ev.agreement_signed) if ev.agreement_signed else "未公开"],
            ["在街道工作天数", days_cell(ev)],
            ["履职评估（街道评）", grade_label(ev.grade) + (f"：{long_text(ev.comment)}" if ev.comment else "")],
            ["绩效评价（评部门支持）",
             grade_label(ev.support_grade) + (f"：{long_text(ev.support_comment)}" if ev.support_comment else "")],
            ["述职报告", (text(ev.report_date) + (f"：{long_text(ev.report_summary)}" if ev.report_summary else ""))
             if ev.report_date else "未公开"],
            ["年度工作", "；".join(w for w in work if w) or "未公开"]], searchable=False), ""]
    if not p.evaluations:
        md += ["尚未公开年度履职情况。", ""]
    md += [link("全部责任规划师", page, "planners.md") + " · " + link("信息公开情况", page, DISCLOSURE_PAGE), "",
           provenance(page, view.label, Source(files=(view.repo_path(f"{e.folder}/departments.yaml"),))), ""]
    return Page(page, "\n".join(md))


DISCLOSED_ITEMS = ("选聘方式", "协议签订", "工作天数", "履职评估", "绩效评价", "述职报告", "年度工作")


def _disclosed(p: Planner, year: int) -> dict[str, bool]:
    ev = p.evaluation(year)
    return {
        "选聘方式": p.selection is not None,
        "协议签订": bool(ev and ev.agreement_signed),
        "工作天数": bool(ev and ev.days is not None),
        "履职评估": ev is not None,
        "绩效评价": bool(ev and ev.support_grade),
        "述职报告": bool(ev and ev.report_date),
        "年度工作": bool(ev and any(x is not None for x in (ev.design_reviews, ev.public_notices,
                                                             ev.consultations))),
    }


def _disclosure_page(view: EditionView) -> Page:
    e = view.edition
    page = DISCLOSURE_PAGE
    md = [front_matter("责任规划师信息公开情况"), "# 责任规划师信息公开情况", "",
          f"按责任规划师管理规定应当公开的各项内容，{e.year} 年度逐区逐人列出已公开（✓）和未公开（缺）的项目。", ""]
    for area in e.areas:
        planners = [p for p in e.planners if p.area == area.id]
        md += [f"## {text(area.name)}", ""]
        if not planners:
            md += ["本区没有登记责任规划师。", ""]
            continue
        rows, missing = [], []
        for p in planners:
            shown = _disclosed(p, e.year)
            rows.append([link(text(p.name), page, planner_page_path(p.id)), text(p.street),
                         *("✓" if shown[item] else "缺" for item in DISCLOSED_ITEMS)])
            missing += [f"{text(p.name)}的{item}" for item in DISCLOSED_ITEMS if not shown[item]]
        short = [f"{text(p.name)}（{ev.days} 天）" for p in planners
                 for ev in [p.evaluation(e.year)] if ev and ev.days is not None and ev.days < MIN_PLANNER_DAYS]
        md += [table(["责任规划师", "负责街道", *DISCLOSED_ITEMS], rows, align="ll" + "c" * len(DISCLOSED_ITEMS)), "",
               ("未公开：" + "、".join(missing) + "。") if missing else "应公开的各项均已公开。", ""]
        if short:
            md += [f"{badge('warning', f'少于 {MIN_PLANNER_DAYS} 天')} {e.year} 年在街道工作不足 "
                   f"{MIN_PLANNER_DAYS} 个工作日：" + "、".join(short) + "。", ""]
        md += [
               f"{link('查看' + text(area.name), page, area_page_path(area.id))}", ""]
    md += [provenance(page, view.label, Source(files=(view.repo_path(f"{e.folder}/departments.yaml"),))), ""]
    return Page(page, "\n".join(md))
