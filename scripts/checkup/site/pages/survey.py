"""The satisfaction survey page: dimension scores with 95% intervals, questions, sample composition."""

from __future__ import annotations

from ...assess.rules import OVERALL_DEFINITIONS
from ...model import SAMPLE_GROUP_LABELS
from ..charts import composition_chart, embed, survey_dimension_chart
from ..markup import DASH, Page, Source, front_matter, link, num, provenance, table, text
from ..sitedata import EditionView
from .placelinks import area_link


def _ci(low: float, high: float) -> str:
    return f"{low:.1f}–{high:.1f}"


def survey_page(view: EditionView) -> Page | None:
    """Write the survey page of an edition, or nothing when the edition has no survey."""
    survey, scored = view.edition.survey, view.assessment.survey
    if survey is None or scored is None:
        return None
    page = view.path("survey.md")
    title = f"{view.year}年度社会满意度调查"
    o = scored.overall
    md = [front_matter(title, description=f"{view.edition.city}{view.year}年度社会满意度调查结果",
                      searchable=view.latest),
          f"# {title}", "",
          f"总体满意度得分 **{o.score:.1f}** 分（满分100，95% 置信区间 {_ci(o.low, o.high)}），"
          f"有效问卷 {num(survey.valid_questionnaires)} 份。总体得分是{OVERALL_DEFINITIONS[scored.definition]}，"
          f"由各题回答计算，规则见{link('方法说明', page, view.path('methods.md'))}。", ""]
    official = scored.official_note()
    if official:
        md += [official, ""]
    facts = [["调查年度", str(survey.year)], ["实施单位", text(survey.organisation)],
             ["调查方法", text(survey.method)], ["有效问卷", f"{num(survey.valid_questionnaires)} 份"],
             ["量表", "、".join(f"{n} = {text(label)}" for n, label in enumerate(survey.scale, 1))]]
    if survey.notes:
        facts.append(["说明", text(survey.notes)])
    md += [table(["项目", "内容"], facts), ""]
    md += ["## 各维度得分", "",
           embed("chart-survey-dimensions", survey_dimension_chart(scored),
                 "条形图：各维度满意度得分及其 95% 置信区间，数据见下表"), "",
           f"图表数据来源：{text(survey.organisation or '调查实施单位')}，{view.year} 年社会满意度调查。误差线为 95% 置信区间。", "",
           table(["维度", "得分", "95% 置信区间", "题目数", "计算人数"],
                 [[text(d.name), f"{d.score.score:.1f}", _ci(d.score.low, d.score.high), str(len(d.questions)),
                   num(d.score.n)] for d in scored.dimensions], align="lrrrr"), ""]
    md += ["## 各题得分", ""]
    for dim in scored.dimensions:
        rows = [[str(number), text(qtext), f"{s.score:.1f}", _ci(s.low, s.high), num(s.n)]
                for number, (_qid, qtext, s) in enumerate(dim.questions, 1)]  # the question's code stays in the data
        md += [f"### {text(dim.name)}", "", table(["序号", "题目", "得分", "95% 置信区间", "作答人数"], rows,
                                                  align="llrrr"), ""]
    md += ["## 样本构成", "", "样本按区、年龄、学历、职业配额抽取。下表比较各组样本占比与常住人口占比，"
           "偏差为样本占比减常住人口占比（百分点）。", ""]
    kinds = list(dict.fromkeys(r.group_kind for r in scored.composition))
    for kind in kinds:
        label = SAMPLE_GROUP_LABELS.get(kind, kind)
        md += [f"### 按{text(label)}", ""]
        chart = composition_chart(scored, kind)
        if chart is not None:
            md += [embed(f"chart-sample-{kind}", chart, f"条形图：按{label}分组的样本占比与常住人口占比，数据见下表"), ""]
        rows = [[_group(view, page, kind, r.group), num(r.count), f"{r.sample_share:.1f}%",
                 f"{r.population_share:g}%" if r.population_share is not None else DASH,
                 f"{r.gap:+.1f}" if r.gap is not None else DASH]
                for r in scored.composition if r.group_kind == kind]
        md += [table(["组别", "样本数", "样本占比", "常住人口占比", "偏差（百分点）"], rows, align="lrrrr",
                      searchable=False), ""]
    md += [provenance(page, view.label, Source(files=(view.repo_path(survey.file),), notes=(
        f"数据来源：{text(survey.organisation or '调查实施单位')}，{text(survey.method)}",))), ""]
    return Page(page, "\n".join(md))


def _group(view: EditionView, page: str, kind: str, group: str) -> str:
    """Link a sample group that is one of the edition's areas to that area's page."""
    area = next((a for a in view.edition.areas if a.name == group), None) if kind == "area" else None
    return area_link(view.edition, page, area.id) if area is not None and view.latest else text(group)
