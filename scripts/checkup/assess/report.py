"""Write an edition's assessment for reviewers and other tools: every verdict, its inputs and its rule."""

from __future__ import annotations

import json
from typing import Any

from ..model import Edition
from . import EditionAssessment
from .numbers import num
from .rules import OVERALL_DEFINITIONS, RULE_LABELS


def assessment_document(edition: Edition, assessed: EditionAssessment) -> dict[str, Any]:
    """Describe every indicator, task, problem and survey dimension with its status, inputs and rule."""
    rules = "rules.yaml" if edition.rules is not None else "默认规则"
    doc: dict[str, Any] = {"edition": edition.year, "folder": edition.folder, "rules": rules,
                           "indicators": [], "tasks": [], "problems": [], "survey": None}
    for iid, a in assessed.indicators.items():
        t = a.target
        doc["indicators"].append({
            "id": iid, "name": edition.indicators[iid].name, "status": a.status, "word": a.label(),
            "rule": a.rule, "rule_text": RULE_LABELS[a.rule],
            "inputs": {"year": a.latest_year, "value": a.latest_value, "previous_year": a.previous_year,
                       "previous_value": a.previous_value, "base_year": a.base_year, "base_value": a.base_value,
                       "target": t.label() if t else None, "target_year": t.year if t else None,
                       "condition": a.condition, "expected": a.expected, "progress": a.progress},
            "reason": a.reason})
    for tid, ta in assessed.tasks.items():
        task = edition.tasks[tid]
        doc["tasks"].append({
            "id": tid, "name": task.title, "status": ta.pace, "word": ta.label(), "rule": ta.pace,
            "inputs": {"period": [task.period_start, task.period_end], "quantity": task.target_quantity,
                       "unit": task.target_unit, "cumulative_done": ta.cumulative_done,
                       "done_share": ta.done_share, "elapsed_share": ta.elapsed_share,
                       "projected": ta.projected, "remaining": ta.remaining, "warning": ta.warning},
            "reason": ta.reason})
    for pid, pa in assessed.problems.items():
        problem = edition.problems[pid]
        doc["problems"].append({
            "id": pid, "name": problem.title, "status": pa.state, "word": pa.label(), "rule": pa.state,
            "inputs": {"found_in": problem.found_in, "latest_verdict": pa.latest_verdict,
                       "absorbed_into": list(pa.absorbed_into), "resolved_in": pa.resolved_in}})
    s = assessed.survey
    if s is not None:
        doc["survey"] = {
            "overall": {"score": s.overall.score, "low": s.overall.low, "high": s.overall.high, "n": s.overall.n,
                        "definition": s.definition, "official": s.published_overall, "gap": s.official_gap()},
            "dimensions": [{"id": d.id, "name": d.name, "score": d.score.score, "low": d.score.low,
                            "high": d.score.high, "n": d.score.n, "questions": len(d.questions)}
                           for d in s.dimensions]}
    return doc


def render_assessment_json(edition: Edition, assessed: EditionAssessment) -> str:
    """Write the assessment as JSON for other tools."""
    return json.dumps(assessment_document(edition, assessed), ensure_ascii=False, indent=2)


def render_assessment_text(edition: Edition, assessed: EditionAssessment) -> str:
    """Write the assessment one verdict a line, in the order of the published tables."""
    doc = assessment_document(edition, assessed)
    rules = f"{edition.folder}/rules.yaml" if edition.rules is not None else "程序默认规则（本版本没有 rules.yaml）"
    lines = [f"{edition.year} 年度版本 {edition.folder} 的评估结果，依据 {rules}"]
    for key, title in (("indicators", "指标"), ("tasks", "任务"), ("problems", "问题")):
        lines += ["", f"{title}（{len(doc[key])} 项）"]
        for row in doc[key]:
            rule = f"（{row['rule_text']}）" if "rule_text" in row else ""
            reason = f" {row['reason']}" if row.get("reason") else ""
            lines.append(f"  {row['id']} {row['name']}：{row['word']}{rule}{reason}")
    s = assessed.survey
    if s is not None:
        o = s.overall
        official = ""
        if s.published_overall is not None:
            gap = s.official_gap() or 0.0
            official = f"；调查报告公布 {num(s.published_overall)}，相差 {gap:+.2f}"
        lines += ["", "满意度调查",
                  f"  总体得分 {o.score:.1f}，为{OVERALL_DEFINITIONS[s.definition]}，95% 置信区间 "
                  f"{o.low:.1f}–{o.high:.1f}（{o.n} 人）{official}"]
        lines += [f"  {d.id} {d.name}：{d.score.score:.1f}（95% 置信区间 {d.score.low:.1f}–{d.score.high:.1f}，"
                  f"{len(d.questions)} 题，{d.score.n} 人）" for d in s.dimensions]
    return "\n".join(lines) + "\n"

