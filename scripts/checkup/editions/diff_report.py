"""Write an EditionDiff for people: plain text for a terminal, Markdown for a pull-request comment, JSON.

The Markdown fits one GitHub comment however large the change: the scoreboard
and the first two groups (removals, revisions of published values) come first
and in full, the rest is folded, and rows that do not fit are counted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from ..model import (
    DIRECTION_LABELS,
    GRADE_LABELS,
    KIND_LABELS,
    SELECTION_LABELS,
    STANDARD_LABELS,
    TASK_STATUS_LABELS,
    VERDICT_LABELS,
)
from ..periods import FREQUENCY_LABELS
from .diff import ADDED, DEFINITION, REMOVED, REVISED, STATUS, Change, EditionDiff
from .diff_fields import SECTION, number_text
from .diff_inyear import group_by_period

MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters; keep a margin
CELL_LIMIT = 120  # long texts (definitions, summaries) are cut in table cells

GROUP_TITLES = {STATUS: "评估状态变化", REMOVED: "删除", REVISED: "修订已发布的数值",
                DEFINITION: "口径变化与其他修改", ADDED: "新增"}
RECORD_LABELS = {"rules": "评估规则", "edition": "版本信息", "area": "区域", "department": "部门", "planner": "责任规划师",
                 "indicator": "指标", "task": "任务", "problem": "问题", "survey": "满意度调查",
                 "chapter": "报告章节", "correction": "更正记录"}
FIELD_LABELS = {
    "title": "标题", "city": "城市", "publisher": "发布单位", "status": "发布状态", "published_on": "发布日期",
    "base_year": "基期年", "target_years": "规划目标年", "example": "示例数据", "notes": "备注", "year": "年度",
    "name": "名称", "population": "常住人口（万人）", "short_name": "简称", "contact": "联系方式",
    "organisation": "所在单位", "area": "所在区", "street": "负责街道", "term": "聘期", "selection": "选聘方式",
    "areas": "涉及区域", "streets": "涉及街道", "area_targets": "分区目标", "frequency": "报送频次",
    "evaluations": "年度考评", "evaluations/grade": "考评等次", "evaluations/comment": "考评意见",
    "evaluations/agreement_signed": "协议签订日期", "evaluations/days": "服务天数",
    "evaluations/support_grade": "绩效评价等次", "evaluations/support_comment": "绩效评价意见",
    "evaluations/report_date": "述职日期", "evaluations/report_summary": "述职内容",
    "evaluations/design_reviews": "参与方案审查次数", "evaluations/public_notices": "公示次数",
    "evaluations/consultations": "咨询次数",
    "what": "更正内容", "why": "更正原因", "who": "更正人", "category": "一级类别", "subcategory": "二级类别",
    "standard": "指标来源体系", "unit": "单位", "definition": "指标内涵", "direction": "指标方向",
    "kind": "指标属性", "percentage": "是否百分比", "decimals": "小数位数", "data_source": "数据来源", "collection_method": "采集方式",
    "department": "责任部门", "cooperating": "配合部门", "division_of_work": "分工", "deadline": "报送截止日期",
    "base": "基期值", "targets": "目标", "revisions": "修订说明", "values": "全市数值", "by_area": "数值",
    "number": "序号", "section": "所属板块", "description": "内容", "lead": "牵头单位", "period": "实施期限",
    "target": "量化目标", "indicators": "相关指标", "from_problems": "来源问题", "progress": "年度进展",
    "progress/status": "进展状态", "progress/done": "当年完成量", "progress/summary": "进展情况",
    "found_in": "发现年度", "recommendations": "对策建议", "departments": "责任部门",
    "evidence_indicators": "依据指标", "evidence_tasks": "依据任务", "follow_up": "跟踪落实",
    "follow_up/verdict": "回头看结论", "follow_up/absorbed_into": "转化吸纳的任务",
    "follow_up/response": "部门回应", "follow_up/memo": "销项会纪要", "method": "调查方法",
    "valid_questionnaires": "有效问卷数", "overall_score": "公布的总体得分", "scale": "量表标签",
    "mean": "平均分", "sd": "标准差", "n": "作答人数", "distribution": "各档人数", "text": "题目",
    "count": "样本数", "population_share": "人口占比（%）", "pace": "任务进度", "state": "问题落实情况",
    "score": "满意度得分", "domain": "领域", "submission/situation": "基本情况",
    "submission/achievements": "取得成效", "submission/shortcomings": "短板及成因",
    "submission/next_steps": "下一步措施及建议",
    "indicators.equals_tolerance": "“等于”目标的允许偏差", "indicators.about_tolerance": "“左右”目标的默认允许偏差",
    "indicators.stable_band": "稳定幅度", "tasks.pace_tolerance": "序时进度的余地",
    "tasks.warning_tolerance": "预警的余地", "survey.confidence_z": "置信区间的分位数",
    "survey.max_sd": "未公布标准差时采用的标准差", "survey.overall": "总体得分的算法",
}
_RECORD_FIELDS = {("chapter", "title"): "章标题", ("chapter", "number"): "章序号", ("chapter", "department"): "撰写部门",
                  ("indicator", "status"): "评估状态", ("problem", "title"): "问题", ("task", "title"): "任务名称",
                  ("problem", "description"): "问题诊断", ("task", "description"): "任务内容"}
_CODE_LABELS: dict[str, dict[str, str]] = {
    "direction": DIRECTION_LABELS, "kind": KIND_LABELS, "standard": STANDARD_LABELS,
    "progress/status": TASK_STATUS_LABELS, "follow_up/verdict": VERDICT_LABELS,
    "evaluations/grade": GRADE_LABELS, "evaluations/support_grade": GRADE_LABELS, "status": {"draft": "草稿", "published": "已发布"},
    "frequency": FREQUENCY_LABELS, "selection": SELECTION_LABELS,
}
_NONE = "（无）"


def render_json(diff: EditionDiff) -> str:
    """Write the diff as JSON: the summary and every change with all its fields."""
    body = {"old": diff.old, "new": diff.new, "old_year": diff.old_year, "new_year": diff.new_year,
            "summary": diff.summary(), "changes": [asdict(c) for c in diff.changes],
            "in_year": [{**asdict(u), "period": str(u.period)} for u in diff.in_year]}
    return json.dumps(body, ensure_ascii=False, indent=2)


def scoreboard(diff: EditionDiff, strong: bool = False) -> str:
    """Say in one line how many changes of each kind there are."""
    if diff.empty:
        return "没有变化。"
    n = diff.summary()
    b = (lambda v: f"**{v}**") if strong else str
    return (f"删除 {b(n['removed'])} · 修订 {b(n['revised'])}（无修订说明 {b(n['unnoted'])}）"
            f" · 口径变化 {b(n['redefined'])} · 其他修改 {b(n['changed'])} · 新增 {b(n['added'])}"
            f" · 状态变化 {b(n['moved'])}（变好 {n['better']}，变差 {n['worse']}）")


def render_text(diff: EditionDiff) -> str:
    """Write the diff for a terminal, one change a line, groups in reading order."""
    lines = [f"比较 {diff.old}（{diff.old_year}）→ {diff.new}（{diff.new_year}）", scoreboard(diff)]
    for number, title in GROUP_TITLES.items():
        changes = _ordered(diff.group(number))
        if changes:
            lines += ["", f"{title}（{len(changes)}）"]
            lines += [f"  {subject(c)}：{describe(c, diff)}" for c in changes]
    if diff.in_year:
        lines += ["", f"年内更新（{len(diff.in_year)}，按报告期）"]
        for period, updates in group_by_period(diff.in_year):
            lines += [f"  {period.label()}（{period.as_of()}）"]
            lines += [f"    {u.line()}" for u in updates]
    return "\n".join(lines)


def render_markdown(diff: EditionDiff, limit: int = MARKDOWN_LIMIT) -> str:
    """Write the diff as one pull-request comment of at most `limit` characters."""
    out = [f"### 城市体检数据比对：`{diff.old}` → `{diff.new}`", "",
           f"**{diff.old_year} → {diff.new_year}**：{scoreboard(diff, strong=True)}"]
    footer_room = 300
    budget = limit - len("\n".join(out)) - footer_room
    left_out = 0
    for number, title in GROUP_TITLES.items():
        changes = _ordered(diff.group(number))
        if not changes:
            continue
        folded = number > REVISED
        head = ["", f"<details><summary>{title}（{len(changes)}）</summary>", ""] if folded \
            else ["", f"#### {title}（{len(changes)}）", ""]
        head += _table_head(number)
        tail = ["", "</details>"] if folded else []
        cost = sum(len(line) + 1 for line in head + tail)
        if cost > budget:
            left_out += len(changes)
            continue
        budget -= cost
        rows: list[str] = []
        for change in changes:
            row = _row(change, diff)
            if len(row) + 1 > budget:
                left_out += len(changes) - len(rows)
                budget = 0  # later groups are less urgent: leave them out too rather than interleave
                break
            rows.append(row)
            budget -= len(row) + 1
        out += head + rows + tail
    if diff.in_year:  # after the yearly groups: in-year reports are provisional until the year ends
        head = ["", f"<details><summary>年内更新（{len(diff.in_year)}，按报告期）</summary>", ""]
        body = [line for period, updates in group_by_period(diff.in_year)
                for line in ("", f"**{period.label()}**（{period.as_of()}）", "",
                             *(f"- {_cell(u.line())}" for u in updates))]
        block = head + body + ["", "</details>"]
        if sum(len(line) + 1 for line in block) <= budget:
            out += block
        else:
            left_out += len(diff.in_year)
    if left_out:
        out += ["", f"> 另有 {left_out} 项变化超出评论长度，未列出；"
                    f"完整结果请运行 `checkup diff {diff.old} {diff.new}`。"]
    return "\n".join(out) + "\n"


def subject(c: Change) -> str:
    """Name the record a change is about."""
    parts = [RECORD_LABELS[c.record], c.id, c.name if c.record != "edition" else ""]
    return " ".join(p for p in parts if p)


def describe(c: Change, diff: EditionDiff) -> str:
    """Say in one sentence what changed."""
    where = _where(c, diff)
    label = field_label(c)
    if c.kind == "renamed":
        return f"编号由 {c.old} 改为 {c.new}"
    if c.kind == "moved":
        return f"{label}：{value_text(c, c.old, diff.areas)} → {value_text(c, c.new, diff.areas)}{_delta(c)}（{_direction(c)}）"
    if not c.field:
        if c.kind == "added":
            return "新增"
        return "已销项，移出问题清单" if c.group == STATUS else "整条删除"
    if c.record == "survey" and c.field == "year":
        return (f"还没有 {diff.new_year} 年的社会满意度调查（{c.old} 年有）" if c.new is None
                else f"新增 {c.new} 年的社会满意度调查")
    if c.kind == "removed":
        return f"{_then('删除了', where)}{label}：{value_text(c, c.old, diff.areas)}"
    if c.kind == "added":
        return f"{_then('新增', where)}{label}：{value_text(c, c.new, diff.areas)}"
    if c.kind == "revised":
        text = f"{where}{label} {value_text(c, c.old, diff.areas)} → {value_text(c, c.new, diff.areas)}{_delta(c)}"
        if c.noted is not None:
            text += f"；修订说明：{c.note}" if c.noted else "；没有修订说明"
        return text
    if c.old is None:
        return f"{_then('补充了', where)}{label}：“{value_text(c, c.new, diff.areas)}”"
    if c.new is None:
        return f"{_then('删去了', where)}{label}：“{value_text(c, c.old, diff.areas)}”"
    return f"{where}{label}由“{value_text(c, c.old, diff.areas)}”改为“{value_text(c, c.new, diff.areas)}”"


def field_label(c: Change) -> str:
    """Name a field in the clerks' words."""
    if (c.record, c.field) in _RECORD_FIELDS:
        return _RECORD_FIELDS[(c.record, c.field)]
    if c.record == "chapter" and c.field.startswith(SECTION):
        heading = c.field.removeprefix(SECTION)
        return f"“{heading}”一节" if heading else "章首正文"
    if c.field in FIELD_LABELS:
        return FIELD_LABELS[c.field]
    head, _, last = c.field.rpartition("/")  # survey paths such as dimensions/safety/q1/mean
    return f"{head.removeprefix('dimensions/')} {FIELD_LABELS.get(last, last)}".strip()


def value_text(c: Change, value: Any, areas: Mapping[str, str] | None = None) -> str:
    """Write a value for a reader: labels for codes, areas by name, numbers as written, long texts cut."""
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value)
    codes = _codes(c)
    text = codes.get(value, value) if codes else value
    if c.field == "areas" and areas:  # a list of area ids, joined as _ids joins them
        text = "、".join(areas.get(a, a) for a in text.split("、"))
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - 1] + "…"


def _codes(c: Change) -> dict[str, str] | None:
    if c.kind == "moved" and c.record != "survey":
        from .. import assess  # only status movements need the assessment's words

        return {"status": assess.STATUS_LABELS, "pace": assess.PACE_LABELS,
                "state": assess.FOLLOW_UP_LABELS}[c.field]
    if c.record == "edition" or c.field != "status":
        return _CODE_LABELS.get(c.field)
    return None


def _where(c: Change, diff: EditionDiff) -> str:
    text = f"{c.year} 年" if c.year is not None else ""
    if c.area:
        text += diff.areas.get(c.area, c.area)
    return text


def _then(verb: str, where: str) -> str:
    return f"{verb} {where}" if where[:1].isdigit() else verb + where


def _delta(c: Change) -> str:
    if c.delta is None:
        return ""
    sign = "+" if c.delta > 0 else ""
    rel = f"，{c.relative:+.1%}" if c.relative is not None else ""
    return f"（{sign}{number_text(c.delta)}{rel}）"


def _direction(c: Change) -> str:
    return {True: "变好", False: "变差"}.get(c.better, "无法比较好坏")  # type: ignore[arg-type]


def _ordered(changes: tuple[Change, ...]) -> list[Change]:
    # within group 3, the 口径 changes and renames come before plain edits
    return sorted(changes, key=lambda c: c.kind == "changed")


def _table_head(number: int) -> list[str]:
    if number == REVISED:
        return ["| 记录 | 项目 | 原值 | 新值 | 差值 | 变化率 | 修订说明 |", "|---|---|---:|---:|---:|---:|---|"]
    return ["| 记录 | 变化 |", "|---|---|"]


def _row(c: Change, diff: EditionDiff) -> str:
    if c.group == REVISED:
        note = "—" if c.noted is None else (f"✅ {c.note}" if c.noted else "⚠️ 没有修订说明")
        delta = "" if c.delta is None else ("+" if c.delta > 0 else "") + number_text(c.delta)
        rel = "" if c.relative is None else f"{c.relative:+.1%}"
        cells = [subject(c), f"{_where(c, diff)}{field_label(c)}", value_text(c, c.old, diff.areas),
                 value_text(c, c.new, diff.areas),
                 delta, rel, note]
    else:
        cells = [subject(c), describe(c, diff)]
    return "| " + " | ".join(_cell(x) for x in cells) + " |"


def _cell(text: str) -> str:
    # data text must not open HTML tags or split the table in a GitHub comment
    return text.replace("<", "&lt;").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
