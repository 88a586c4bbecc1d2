"""`checkup diff`: pairing by id, the reviewer's order, the renderers, git sources and the diff's properties."""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from casefiles import BASE_DIR
from checkup import paths
from checkup.check.frozen import FROZEN_CODES
from checkup.check.validate import check_data, check_raw_editions
from checkup.cli import FAIL_ON, main
from checkup.editions.diff import (
    ADDED,
    DEFINITION,
    GATES,
    REMOVED,
    REVISED,
    STATUS,
    Change,
    EditionDiff,
    diff_editions,
)
from checkup.editions.diff_report import MARKDOWN_LIMIT, render_json, render_markdown, render_text
from checkup.findings import format_text
from checkup.model import Edition
from checkup.read.load import read_edition_mapping
from checkup.read.yamlio import parse_text, plain_scalar

# -- building editions from files in memory ------------------------------------------------------------

Docs = dict[str, Any]


def base_docs() -> Docs:
    """The valid test edition of tests/cases/base, as values."""
    folder = BASE_DIR / "2023"
    return {p.relative_to(folder).as_posix(): parse_text(p.read_text("utf-8"), p.name).value
            for p in sorted(folder.rglob("*.yaml"))}


def example_docs(year: int) -> Docs:
    folder = paths.DATA_DIR / str(year)
    return {p.relative_to(folder).as_posix(): parse_text(p.read_text("utf-8"), p.name).value
            for p in sorted(folder.rglob("*.yaml"))}


def build(files: dict[str, str], name: str = "2023") -> Edition:
    """Read, check and build an edition from file texts; the test fails if it has errors.

    A copy of a published edition has no manifest of its own; that is not what these tests are about.
    """
    raw = read_edition_mapping(f"mem/{name}", name, {rel: text.encode() for rel, text in files.items()})
    result = check_raw_editions([raw])
    errors = [f for f in result.errors if f.code not in FROZEN_CODES]
    assert not errors, format_text(errors)
    return result.editions[int(name)]


# A YAML writer that varies everything that must not matter: key order, the order of lists whose
# order carries no meaning, quoting, flow or block style, how numbers are written, and comments.
ORDERED_LISTS = {"scale", "distribution", "between"}
NUMBER_KEYS = {"value", "done", "population", "at_least", "at_most", "equals", "about", "quantity",
               "population_share", "mean", "sd", "overall_score", "tolerance"}


def write_yaml(value: dict[str, Any], rnd: random.Random) -> str:
    lines = ["# 重新排版的副本"] if rnd.random() < 0.5 else []
    _block_map(value, rnd, 0, lines, lead_comment=True)
    return "\n".join(lines) + "\n"


def _block_map(d: dict[str, Any], rnd: random.Random, ind: int, lines: list[str], lead_comment: bool) -> None:
    items = list(d.items())
    rnd.shuffle(items)
    step = rnd.choice([2, 4])
    for i, (k, v) in enumerate(items):
        pad = " " * ind
        if rnd.random() < 0.15 and (i or lead_comment):
            lines.append(f"{pad}# 注释：{k}")
        key = f'"{k}"' if k.isdigit() and rnd.random() < 0.5 else k
        if isinstance(v, dict | list) and v and (not _flat(v) or rnd.random() < 0.5):
            lines.append(f"{pad}{key}:")
            if isinstance(v, dict):
                _block_map(v, rnd, ind + step, lines, lead_comment=True)
            else:
                _block_seq(v, rnd, ind + step, lines, k)
        else:
            trailing = "  # 说明" if rnd.random() < 0.1 else ""
            lines.append(f"{pad}{key}: {_inline(v, rnd, k)}{trailing}")


def _block_seq(items: list[Any], rnd: random.Random, ind: int, lines: list[str], key: str) -> None:
    items = list(items)
    if key not in ORDERED_LISTS:
        rnd.shuffle(items)
    pad = " " * ind
    for item in items:
        if isinstance(item, dict) and item:
            sub: list[str] = []
            _block_map(item, rnd, ind + 2, sub, lead_comment=False)
            lines.append(pad + "- " + sub[0][ind + 2:])
            lines.extend(sub[1:])
        else:
            lines.append(f"{pad}- {_inline(item, rnd, key)}")


def _flat(v: dict[str, Any] | list[Any]) -> bool:
    values = v.values() if isinstance(v, dict) else v
    return all(not isinstance(x, dict | list) for x in values)


def _inline(v: Any, rnd: random.Random, key: str) -> str:
    if isinstance(v, dict):
        items = list(v.items())
        rnd.shuffle(items)
        return "{" + ", ".join(f"{k}: {_inline(x, rnd, k)}" for k, x in items) + "}"
    if isinstance(v, list):
        items = list(v) if key in ORDERED_LISTS else rnd.sample(v, len(v))
        return "[" + ", ".join(_inline(x, rnd, key) for x in items) + "]"
    if isinstance(v, bool):
        return rnd.choice(["true", "True", "TRUE"] if v else ["false", "False", "FALSE"])
    if isinstance(v, int | float):
        return _number(v, rnd) if key in NUMBER_KEYS or key.isdigit() else str(v)
    return _string(v, rnd)


def _number(v: float, rnd: random.Random) -> str:
    exact = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    forms = [repr(v), f"{exact:f}", f"{exact:E}", f"{exact:e}", f"{exact:f}".rstrip("0") + "00"]
    if isinstance(v, int) or v.is_integer():
        forms += [f"{int(v)}", f"{int(v)}.0"]
    form = rnd.choice(forms)
    if "." not in form and "e" not in form.lower() and form.endswith("00"):  # "1200" + "00" is not it
        form = repr(v)
    assert float(form.replace("E", "e")) == v  # every form is the same number
    return form


def _string(s: str, rnd: random.Random) -> str:
    plain_ok = (s and "\n" not in s and s == s.strip() and plain_scalar(s) == s and ": " not in s
                and " #" not in s and s[0] not in "-?:,[]{}#&*!|>'\"%@`" and not s.endswith(":")
                and not any(c in s for c in ",[]{}"))
    choice = rnd.randrange(4)
    if choice == 0 and plain_ok:
        return s
    if choice == 1 and "\n" not in s:
        return "'" + s.replace("'", "''") + "'"
    return json.dumps(s, ensure_ascii=choice == 2)


def reformatted(docs: Docs, rnd: random.Random) -> dict[str, str]:
    return {rel: write_yaml(value, rnd) for rel, value in docs.items()}


def plain(docs: Docs) -> dict[str, str]:
    return {rel: json.dumps(value, ensure_ascii=False) for rel, value in docs.items()}  # JSON is YAML


# -- changes to an edition that keep it valid, for the mirror property ---------------------------------

def _records(docs: Docs, folder: str) -> list[str]:
    return sorted(rel for rel in docs if rel.startswith(folder + "/"))


def _swap_ids(docs: Docs, old: str, new: str | None) -> None:
    """Replace (or drop) an id wherever another record refers to it."""
    def fix(ids: list[str]) -> list[str]:
        return [new if i == old else i for i in ids if new is not None or i != old]

    for value in docs.values():
        for key in ("indicators", "from_problems"):
            if isinstance(value.get(key), list):
                value[key] = fix(value[key])
        for key in ("indicators", "tasks"):
            if isinstance(value.get("evidence", {}).get(key), list):
                value["evidence"][key] = fix(value["evidence"][key])
        for entry in value.get("follow_up", ()):
            if "absorbed_into" in entry:
                entry["absorbed_into"] = fix(entry["absorbed_into"])


def mutate(docs: Docs, rnd: random.Random, what: str) -> None:
    indicators, tasks, problems = (_records(docs, f) for f in ("indicators", "tasks", "problems"))
    if what == "revise a value" and indicators:
        ind = docs[rnd.choice(indicators)]
        if ind["values"]:
            year = rnd.choice(sorted(ind["values"]))
            ind["values"][year] = round(ind["values"][year] + rnd.choice([-1.5, 0.3, 2]), 1)
    elif what == "drop a year" and indicators:
        ind = docs[rnd.choice(indicators)]
        if len(ind["values"]) > 1:
            del ind["values"][rnd.choice(sorted(ind["values"]))]
    elif what == "add a year" and indicators:
        ind = docs[rnd.choice(indicators)]
        ind["values"].setdefault("2020", 1.5)
    elif what == "change a unit" and indicators:
        docs[rnd.choice(indicators)]["unit"] = rnd.choice(["处", "个", "平方米"])
    elif what == "remove an indicator" and len(indicators) > 1:
        rel = rnd.choice(indicators)
        _swap_ids(docs, docs.pop(rel)["id"], None)
    elif what == "rename an indicator" and indicators:
        rel = rnd.choice(indicators)
        value = docs.pop(rel)
        new_id = value["id"] + "-X"
        _swap_ids(docs, value["id"], new_id)
        value["replaces"], value["id"] = value["id"], new_id
        docs[f"indicators/{new_id}.yaml"] = value
    elif what == "add a task" and tasks:
        value = json.loads(json.dumps(docs[rnd.choice(tasks)]))
        value["id"] = f"RW-9{len(tasks)}"
        docs[f"tasks/{value['id']}.yaml"] = value
    elif what == "report progress" and tasks:
        task = docs[rnd.choice(tasks)]
        entry = rnd.choice(task["progress"])
        entry["done"] = entry.get("done", 0) + rnd.choice([1, 10])
        entry["status"] = rnd.choice(["in_progress", "done", "suspended"])
    elif what == "remove a problem" and problems:
        rel = rnd.choice(problems)
        _swap_ids(docs, docs.pop(rel)["id"], None)
    elif what == "judge a problem" and problems:
        problem = docs[rnd.choice(problems)]
        for entry in problem.get("follow_up", ()):
            entry["verdict"] = rnd.choice(["resolved", "unresolved", "improved"])
    elif what == "rename a department":
        docs["departments.yaml"]["departments"][0]["name"] += "（新）"
    elif what == "change the survey" and "survey.yaml" in docs:
        question = docs["survey.yaml"]["dimensions"][0]["questions"][0]
        if "distribution" in question:
            question["distribution"][-1] = max(0, question["distribution"][-1] - rnd.choice([50, 400]))
    elif what == "log a correction":
        docs.setdefault("corrections.yaml", {"corrections": []})["corrections"].append(
            {"date": "2024-03-01", "files": [rnd.choice(indicators or ["edition.yaml"])], "what": "更正",
             "why": "录入错误", "who": "市规划资源局"})


MUTATIONS = ["revise a value", "drop a year", "add a year", "change a unit", "remove an indicator",
             "rename an indicator", "add a task", "report progress", "remove a problem", "judge a problem",
             "rename a department", "change the survey", "log a correction"]


def try_build(files: dict[str, str]) -> Edition | None:
    raw = read_edition_mapping("mem/2023", "2023", {rel: text.encode() for rel, text in files.items()})
    result = check_raw_editions([raw])
    return None if [f for f in result.errors if f.code not in FROZEN_CODES] else result.editions[2023]


def mirror_key(c: Change) -> tuple[Any, ...]:
    """What must be the same when a change is seen from the other side (groups and notes may differ)."""
    return (c.kind, c.record, c.id, c.old_id, c.field, c.year, c.area, repr(c.old), repr(c.new), c.delta,
            c.better)


# -- properties ------------------------------------------------------------------------------------------

SEEDS = st.integers(0, 2**32).map(random.Random)  # one seed drives every formatting choice
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_an_example_edition_compared_with_itself_has_no_changes(year: int) -> None:
    edition = check_data(paths.DATA_DIR).editions[year]
    assert diff_editions(edition, edition).changes == ()


@SETTINGS
@given(rnd=SEEDS)
def test_a_reordered_reformatted_commented_copy_has_no_changes(rnd: random.Random) -> None:
    docs = base_docs()
    assert diff_editions(build(plain(docs)), build(reformatted(docs, rnd))).empty


# each example reads 110 files, so no shrinking: a failure names its seed, which is enough to replay it
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(rnd=SEEDS)
def test_a_reformatted_copy_of_the_example_edition_has_no_changes(rnd: random.Random) -> None:
    docs = example_docs(2023)
    original = check_data(paths.DATA_DIR).editions[2023]
    original = dataclasses.replace(original, chapters=())  # chapters are Markdown: the YAML docs lack them
    assert diff_editions(original, build(reformatted(docs, rnd))).changes == ()


@SETTINGS
@given(rnd=SEEDS, whats=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4))
def test_the_diff_from_b_to_a_mirrors_the_diff_from_a_to_b(rnd: random.Random, whats: list[str]) -> None:
    docs = base_docs()
    a = try_build(reformatted(docs, rnd))
    for what in whats:
        mutate(docs, rnd, what)
    b = try_build(reformatted(docs, rnd))
    assume(a is not None and b is not None)
    forward, backward = diff_editions(a, b), diff_editions(b, a)  # type: ignore[arg-type]
    assert diff_editions(b, b).empty  # type: ignore[arg-type]
    assert sorted(map(mirror_key, backward.changes)) == sorted(mirror_key(c.mirrored()) for c in forward.changes)
    assert forward.summary()["removed"] + forward.summary()["added"] == (
        backward.summary()["removed"] + backward.summary()["added"])


# -- the reviewer's order --------------------------------------------------------------------------------

def test_changes_are_sorted_statuses_removals_revisions_definitions_additions() -> None:
    docs = base_docs()
    old = build(plain(docs))
    docs["indicators/LS-01.yaml"]["values"]["2022"] = 12.8  # a revision without a note
    docs["indicators/LS-01.yaml"]["values"]["2021"] = 12.0  # and one with
    docs["indicators/LS-01.yaml"]["revisions"] = [{"year": 2021, "note": "园林绿化局复核"}]
    docs["indicators/AQ-01.yaml"]["unit"] = "个"  # 口径
    del docs["indicators/LS-02.yaml"]["values"]["2022"]  # a removed year
    docs["tasks/RW-02.yaml"]["progress"][0]["done"] = 9
    docs["problems/WT-2023-01.yaml"]["follow_up"] = []
    docs["tasks/RW-03.yaml"] = {**docs["tasks/RW-02.yaml"], "id": "RW-03", "number": 3, "title": "新增排水防涝任务"}
    new = build(plain(docs))
    diff = diff_editions(old, new)
    assert [c.group for c in diff.changes] == sorted(c.group for c in diff.changes)
    assert render_text(diff) == """\
比较 mem/2023（2023）→ mem/2023（2023）
删除 1 · 修订 3（无修订说明 1） · 口径变化 1 · 其他修改 1 · 新增 1 · 状态变化 1（变好 0，变差 1）

评估状态变化（1）
  指标 LS-01 人均公园绿地面积：评估状态：符合目标方向、进度滞后 → 稳定（变差）

删除（1）
  指标 LS-02 城市生活垃圾资源化利用率：删除了 2022 年全市数值：78.2

修订已发布的数值（3）
  指标 LS-01 人均公园绿地面积：2021 年全市数值 12.4 → 12（-0.4，-3.2%）；修订说明：园林绿化局复核
  指标 LS-01 人均公园绿地面积：2022 年全市数值 12.6 → 12.8（+0.2，+1.6%）；没有修订说明
  任务 RW-02 消除易涝积水点：2023 年当年完成量 5 → 9（+4，+80.0%）

口径变化与其他修改（2）
  指标 AQ-01 城市内涝积水点数量：单位由“处”改为“个”
  指标 LS-01 人均公园绿地面积：补充了 2021 年修订说明：“园林绿化局复核”

新增（1）
  任务 RW-03 新增排水防涝任务：新增"""


def test_a_record_declaring_replaces_is_a_rename_with_its_changes_not_a_removal() -> None:
    docs = base_docs()
    old = build(plain(docs))
    value = docs.pop("indicators/LS-02.yaml")
    docs["indicators/LS-12.yaml"] = {**value, "id": "LS-12", "replaces": "LS-02", "data_source": "市统计局"}
    diff = diff_editions(old, build(plain(docs)), statuses=False)
    assert [(c.kind, c.id, c.old_id, c.field, c.old, c.new) for c in diff.changes] == [
        ("renamed", "LS-12", "LS-02", "", "LS-02", "LS-12"),
        ("redefined", "LS-12", "LS-02", "data_source", "市城市管理局统计", "市统计局"),
    ]
    assert render_text(diff).splitlines()[-2:] == [
        "  指标 LS-12 城市生活垃圾资源化利用率：编号由 LS-02 改为 LS-12",
        "  指标 LS-12 城市生活垃圾资源化利用率：数据来源由“市城市管理局统计”改为“市统计局”",
    ]


def test_a_problem_that_leaves_after_a_resolved_verdict_is_closed_not_lost() -> None:
    docs = base_docs()
    docs["problems/WT-2022-01.yaml"]["follow_up"][0]["verdict"] = "resolved"
    old = build(plain(docs))
    del docs["problems/WT-2022-01.yaml"]
    docs["tasks/RW-02.yaml"]["from_problems"] = []
    kept = build(plain(docs))
    closed = diff_editions(old, kept, statuses=False)
    assert [(c.group, c.kind, c.id) for c in closed.changes if c.record == "problem"] == [
        (STATUS, "removed", "WT-2022-01")]
    assert "  问题 WT-2022-01 汛期积水点消除偏慢：已销项，移出问题清单" in render_text(closed)
    docs = base_docs()
    old = build(plain(docs))
    del docs["problems/WT-2022-01.yaml"]
    docs["tasks/RW-02.yaml"]["from_problems"] = []
    lost = diff_editions(old, build(plain(docs)), statuses=False)
    assert [(c.group, c.kind, c.id) for c in lost.changes if c.record == "problem"] == [
        (REMOVED, "removed", "WT-2022-01")]
    assert "  问题 WT-2022-01 汛期积水点消除偏慢：整条删除" in render_text(lost)


def test_lists_of_ids_are_sets_and_yearly_entries_are_keyed_by_year() -> None:
    docs = base_docs()
    old = build(plain(docs))
    docs["problems/WT-2023-01.yaml"]["departments"] = ["GHZY", "ZJW"]
    docs["problems/WT-2023-01.yaml"]["recommendations"].reverse()
    docs["tasks/RW-01.yaml"]["progress"].reverse()
    docs["indicators/LS-01.yaml"]["targets"].reverse()
    docs["edition.yaml"]["areas"].reverse()
    assert diff_editions(old, build(plain(docs))).empty


def test_a_new_year_edition_ignores_its_own_title_status_and_log_but_not_its_year() -> None:
    docs = example_docs(2023)
    old = check_data(paths.DATA_DIR).editions[2023]
    docs["edition.yaml"].update(year=2024, title=old.title.replace("2023", "2024"), status="draft")
    del docs["edition.yaml"]["published_on"], docs["survey.yaml"]
    docs["corrections.yaml"] = {"corrections": []}
    diff = diff_editions(old, build(plain(docs), "2024"))
    assert render_text(diff).splitlines()[1:] == [
        "删除 0 · 修订 0（无修订说明 0） · 口径变化 0 · 其他修改 2 · 新增 0 · 状态变化 0（变好 0，变差 0）",
        "",
        "口径变化与其他修改（2）",
        "  版本信息：年度由“2023”改为“2024”",
        "  满意度调查：还没有 2024 年的社会满意度调查（2023 年有）",
    ]


def test_places_planners_area_targets_and_frequency_show_in_the_reviewers_words() -> None:
    docs = example_docs(2023)
    old = build(plain(docs))
    docs["tasks/RW-003.yaml"]["areas"] = ["nanhe", "beicheng", "donghu"]
    docs["problems/WT-2021-02.yaml"]["streets"] = ["南河街道", "湖滨街道"]
    docs["indicators/XT-01.yaml"]["frequency"] = "half-yearly"
    docs["indicators/XT-01.yaml"]["area_targets"] = {"donghu": [{"year": 2025, "at_most": 88}]}
    planner = docs["departments.yaml"]["planners"][0]
    planner["selection"] = "institution"
    planner["evaluations"][2]["days"] = 30
    lines = render_text(diff_editions(old, build(plain(docs)), statuses=False)).splitlines()
    assert any(line.startswith("  任务 RW-003 ") and line.endswith("：涉及区域由“北城区、南河区”改为“北城区、东湖区、南河区”")
               for line in lines), lines
    assert any("涉及街道由“南河街道”改为“南河街道、湖滨街道”" in line for line in lines), lines
    assert any("报送频次由“每年”改为“每半年”" in line for line in lines), lines
    assert any("东湖区" in line and "分区目标" in line and "≤88" in line for line in lines), lines
    assert any("选聘方式由“公开招聘”改为“社会招募（机构）”" in line for line in lines), lines
    assert "  责任规划师 GHS-01 李明远：2023 年服务天数 46 → 30（-16，-34.8%）" in lines


def test_the_2023_example_edition_shows_the_revised_2022_value_with_its_note() -> None:
    editions = check_data(paths.DATA_DIR).editions
    diff = diff_editions(editions[2022], editions[2023])
    assert [(c.id, c.year, c.old, c.new, c.noted) for c in diff.group(REVISED)] == [("CX-01", 2022, 2.41, 2.38, True)]
    assert diff.group(REMOVED) == ()
    assert {c.field for c in diff.group(STATUS)} == {"status", "pace", "state", "score"}
    off_scale = {"no_data", "suspended", "no_target"}
    assert all(c.better is not None or {c.old, c.new} & off_scale for c in diff.group(STATUS))


def test_survey_scores_are_better_when_higher() -> None:
    docs = base_docs()
    old = build(plain(docs))
    docs["survey.yaml"]["dimensions"][0]["questions"][0]["distribution"] = [20, 110, 700, 1500, 870]
    diff = diff_editions(old, build(plain(docs)))
    scores = [c for c in diff.group(STATUS) if c.record == "survey"]
    assert scores and all(c.better is True and c.new > c.old for c in scores)


# -- renderers -------------------------------------------------------------------------------------------

def big_diff(n: int) -> EditionDiff:
    changes = [Change(group, "added" if group == ADDED else "revised" if group == REVISED else "removed",
                      "indicator", f"ID-{i:05d}", "一个名字相当长的指标" * 3, "values", 2020, None, 1.5, 2.5,
                      delta=1.0, relative=0.6667, noted=False if group == REVISED else None)
               for group in (REMOVED, REVISED, ADDED) for i in range(n)]
    return EditionDiff("old/2023", "new/2023", 2023, 2023, tuple(changes))


def test_markdown_fits_a_comment_however_large_and_counts_what_it_leaves_out() -> None:
    diff = big_diff(4000)
    text = render_markdown(diff)
    assert len(text) <= MARKDOWN_LIMIT
    shown = text.count("\n| 指标 ID-")
    assert text.endswith(f"> 另有 {len(diff.changes) - shown} 项变化超出评论长度，未列出；"
                         "完整结果请运行 `checkup diff old/2023 new/2023`。\n")
    assert "#### 删除（4000）" in text and "新增（4000）" not in text  # the least urgent group is left out


def test_markdown_shows_removals_and_revisions_in_full_and_folds_the_rest() -> None:
    text = render_markdown(big_diff(3))
    assert text.splitlines()[:3] == [
        "### 城市体检数据比对：`old/2023` → `new/2023`", "",
        "**2023 → 2023**：删除 **3** · 修订 **3**（无修订说明 **3**） · 口径变化 **0** · 其他修改 **0**"
        " · 新增 **3** · 状态变化 **0**（变好 0，变差 0）"]
    assert "#### 删除（3）" in text and "#### 修订已发布的数值（3）" in text
    assert "<details><summary>新增（3）</summary>" in text and text.rstrip().endswith("</details>")
    assert "| 指标 ID-00000 一个名字相当长的指标一个名字相当长的指标一个名字相当长的指标 | 2020 年全市数值 | 1.5 | 2.5 | +1 |" \
           " +66.7% | ⚠️ 没有修订说明 |" in text


def test_markdown_cells_cannot_break_the_table_or_open_html() -> None:
    change = Change(DEFINITION, "changed", "indicator", "LS-01", "a|b", "notes", old="<script>", new="x\ny")
    row = render_markdown(EditionDiff("a", "b", 2023, 2023, (change,))).splitlines()[-3]
    assert row == "| 指标 LS-01 a\\|b | 备注由“&lt;script>”改为“x y” |"


def test_an_empty_diff_says_so() -> None:
    diff = EditionDiff("a", "b", 2023, 2023, ())
    assert render_text(diff) == "比较 a（2023）→ b（2023）\n没有变化。"
    assert render_markdown(diff) == "### 城市体检数据比对：`a` → `b`\n\n**2023 → 2023**：没有变化。\n"


# -- the command, on folders and on git revisions ------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the base test edition in data/2023, committed on main."""
    root = tmp_path / "repo"
    shutil.copytree(BASE_DIR, root / "data")
    for key, value in {"GIT_AUTHOR_NAME": "审核员", "GIT_AUTHOR_EMAIL": "r@example.org",
                       "GIT_COMMITTER_NAME": "审核员", "GIT_COMMITTER_EMAIL": "r@example.org"}.items():
        monkeypatch.setenv(key, value)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "数据")
    monkeypatch.chdir(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_one_argument_compares_a_revision_with_the_working_tree(repo: Path) -> None:
    edit(repo / "data/2023/indicators/LS-01.yaml", "2022: 12.6", "2022: 12.7")
    result = CliRunner().invoke(main, ["diff", "main:data/2023", "--no-status"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "比较 main:data/2023（2023）→ data/2023（2023）"
    assert "  指标 LS-01 人均公园绿地面积：2022 年全市数值 12.6 → 12.7（+0.1，+0.8%）；没有修订说明" in result.stdout
    assert git(repo, "status", "--porcelain") == " M data/2023/indicators/LS-01.yaml\n"  # nothing checked out


def test_two_revisions_are_read_from_git_objects(repo: Path) -> None:
    edit(repo / "data/2023/indicators/AQ-01.yaml", "unit: 处", "unit: 个")
    git(repo, "commit", "-qam", "改单位")
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "HEAD~1:data/2023", "HEAD:data/2023", "--format", "json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert [(c["kind"], c["id"], c["field"], c["old"], c["new"]) for c in body["changes"]] == [
        ("redefined", "AQ-01", "unit", "处", "个")]
    assert runner.invoke(main, ["diff", "HEAD:data/2023", "data/2023"]).exit_code == 0


def test_json_output_is_the_library_diff(repo: Path) -> None:
    edit(repo / "data/2023/indicators/LS-01.yaml", "2022: 12.6", "2022: 12.7")
    result = CliRunner().invoke(main, ["diff", "main:data/2023", "data/2023", "--format", "json"])
    from checkup.editions.gitsource import load_source

    expected = diff_editions(load_source("main:data/2023"), load_source("data/2023"),
                             old_label="main:data/2023", new_label="data/2023")
    assert result.stdout == render_json(expected) + "\n"


@pytest.mark.parametrize(("gates", "code"), [
    ((), 1),
    (("revisions-without-note",), 1),
    (("removals",), 0),
    (("definition-changes",), 0),
    (("removals", "revisions-without-note"), 1),
])
def test_fail_on_exits_1_only_for_the_named_kinds(repo: Path, gates: tuple[str, ...], code: int) -> None:
    edit(repo / "data/2023/indicators/LS-01.yaml", "2022: 12.6", "2022: 12.7")
    args = ["diff", "main:data/2023", "--no-status", *(x for g in gates for x in ("--fail-on", g))]
    assert CliRunner().invoke(main, args).exit_code == code


def test_the_fail_on_choices_are_the_library_gates() -> None:
    assert sorted(FAIL_ON) == sorted(GATES)


def test_a_revision_that_does_not_exist_exits_2_and_says_why(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "nobranch:data/2023"])
    assert result.exit_code == 2
    assert result.stderr == ("错误：在 git 中找不到 nobranch:data/2023：git 中没有这个版本或路径；核对分支名、提交号和路径，"
                             "例如 main:data/2023。（git 的原文：fatal: invalid object name 'nobranch'.）\n")


def test_diff_outside_a_repository_says_so_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(main, ["diff", "main:data/2023"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：当前文件夹不在 git 仓库中；在数据仓库的文件夹里运行，或直接比较两个版本文件夹。")


def test_an_edition_with_errors_exits_2_and_lists_them(repo: Path) -> None:
    edit(repo / "data/2023/indicators/LS-01.yaml", "unit: 平方米/人", "unit: [平方米]")
    result = CliRunner().invoke(main, ["diff", "main:data/2023"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：data/2023 有 1 个错误，无法比较；先运行 checkup validate 改正。\n"
                                    "data/2023/indicators/LS-01.yaml:5:7: 错误 wrong-type [/unit]")


def test_a_folder_alone_is_not_a_revision(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "data/2023"])
    assert result.exit_code == 2
    assert result.stderr == "错误：data/2023 不是“版本:路径”的写法，例如 main:data/2023。\n"
