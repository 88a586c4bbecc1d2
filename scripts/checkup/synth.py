"""Write synthetic data directories in the real format, for the benchmark and the tests.

The files look like a clerk's: block style, one record per file, yearly values
as flow maps `{2015: 12.1, ...}`. Every indicator has a value for every area
and year, so the default sizes give a national-scale edition of
300 areas x 122 indicators x 10 years = 366,000 values. With several editions
each one revises a few published values (with notes), drops a few records and
adds a few, so that a diff has work to do. The same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from .read.yamlio import plain_scalar

LAST_YEAR = 2023  # the newest edition; older ones count back from it
TARGET_YEARS = (2025, 2035)
FIRST_ALLOWED_YEAR = 1949  # the schema's lowest year
CITY = "示例市"

CATEGORIES = {  # category -> (id prefix, second-level categories)
    "安全": ("AQ", ("城市安全", "水安全", "公共卫生")),
    "创新": ("CX", ("创新投入", "创新产出", "人才")),
    "协调": ("XT", ("城乡融合", "职住平衡", "地上地下")),
    "绿色": ("LS", ("生态保护", "绿色生产", "绿色生活", "蓝绿空间")),
    "开放": ("KF", ("网络联通", "对外交往", "营商环境")),
    "共享": ("GX", ("人口结构", "住房保障", "公共服务", "交通出行", "城市更新")),
}
UNITS = ("%", "平方米/人", "处", "万人", "公里/平方公里", "分钟", "个", "天", "微克/立方米", "亿元")
SOURCES = ("市统计局《统计年鉴》", "部门年度报表", "国土变更调查", "遥感影像解译", "城市体检信息平台")
METHODS = ("部门报送", "遥感解译", "现场采集", "问卷调查", "大数据分析")
DEPARTMENTS = (
    ("GHZY", "示例市规划和自然资源局", "市规划自然资源局"),
    ("ZJW", "示例市住房和城乡建设委员会", "市住建委"),
    ("FGW", "示例市发展和改革委员会", "市发改委"),
    ("JTW", "示例市交通委员会", "市交通委"),
    ("STHJ", "示例市生态环境局", "市生态环境局"),
    ("SWJ", "示例市水务局", "市水务局"),
    ("YLLH", "示例市园林绿化局", "市园林绿化局"),
    ("JYW", "示例市教育委员会", "市教委"),
    ("WJW", "示例市卫生健康委员会", "市卫健委"),
    ("MZJ", "示例市民政局", "市民政局"),
    ("TJJ", "示例市统计局", "市统计局"),
    ("KJJ", "示例市科学技术局", "市科技局"),
    ("SWW", "示例市商务局", "市商务局"),
    ("WHLY", "示例市文化和旅游局", "市文旅局"),
    ("YJGL", "示例市应急管理局", "市应急局"),
    ("CGW", "示例市城市管理委员会", "市城管委"),
    ("GAJ", "示例市公安局", "市公安局"),
    ("RSJ", "示例市人力资源和社会保障局", "市人社局"),
)
TASK_SECTIONS = (
    "专项治理工作(一)疏解整治促提升",
    "专项治理工作(二)历史文化保护",
    "专项治理工作(三)改善居住条件",
    "专项治理工作(四)补齐公共服务短板",
    "专项治理工作(五)交通综合治理",
    "专项治理工作(六)生态环境建设",
)
TASK_TITLES = (
    ("推进平房院落申请式改善", "户"), ("推进老旧小区综合整治", "个小区"),
    ("老旧小区加装电梯", "部"), ("危旧楼房改建", "平方米"), ("新建口袋公园", "处"),
    ("建设社区养老服务驿站", "个"), ("打通断头路", "条"), ("新增停车泊位", "个"),
    ("建设便民商业网点", "个"), ("修缮文物建筑", "处"), ("雨污分流改造", "公里"),
    ("新增普惠性幼儿园学位", "个"),
)
PROBLEM_TITLES = (
    "老旧小区加装电梯进度偏慢", "职住分离导致通勤时间偏长", "社区养老服务设施覆盖不足",
    "部分街区公园绿地服务半径覆盖不足", "停车供需矛盾突出", "内涝积水点治理滞后",
    "历史街区保护利用不充分", "普惠托育资源供给不足", "公共交通站点覆盖率偏低",
    "便民商业网点分布不均衡",
)
SURVEY_DIMENSIONS = (
    ("safety", "城市安全性", ("社会治安", "交通安全", "防灾减灾")),
    ("convenience", "生活便利性", ("日常购物", "就医便利", "教育资源")),
    ("environment", "自然环境宜人性", ("空气质量", "公园绿地", "水体环境")),
    ("culture", "人文环境舒适性", ("文化设施", "历史风貌")),
    ("travel", "出行便捷性", ("公共交通", "步行骑行", "停车")),
    ("openness", "开放创新性", ("营商环境", "创新氛围")),
)
AGE_GROUPS = ("18–29岁", "30–44岁", "45–59岁", "60岁及以上")
EDUCATION_GROUPS = ("初中及以下", "高中", "大专", "本科及以上")
OCCUPATION_GROUPS = ("企业职工", "机关事业单位", "个体经营", "离退休", "学生", "其他")
SCALE = ("非常不满意", "不满意", "一般", "满意", "非常满意")
AREA_FIRST = (("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("中", "zhong"),
              ("新", "xin"), ("长", "chang"), ("青", "qing"), ("金", "jin"), ("银", "yin"),
              ("富", "fu"), ("平", "ping"), ("安", "an"), ("和", "he"), ("兴", "xing"))
AREA_SECOND = (("湖", "hu"), ("山", "shan"), ("江", "jiang"), ("河", "he"), ("桥", "qiao"),
               ("城", "cheng"), ("林", "lin"), ("港", "gang"), ("阳", "yang"), ("台", "tai"))
VERDICTS = ("resolved", "improved", "unresolved", "pending")
GRADES = ("excellent", "good", "good", "pass", "pass", "fail")
REVISION_NOTES = ("统计部门发布年鉴终值后更正快报数", "统计口径调整后追溯修订", "核查发现录入错误后更正")

_NEEDS_QUOTES = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$|\s$|\n")


@dataclass
class _Plan:
    """Which records exist in which edition, and which may be referred to."""

    years: list[int]  # one per edition, oldest first
    first_value_year: int
    areas: list[tuple[str, str, float]]  # id, name, population (10k people)
    indicators: dict[str, range] = field(default_factory=dict)  # id -> editions it appears in
    tasks: dict[str, range] = field(default_factory=dict)
    problems: dict[str, range] = field(default_factory=dict)
    stable_indicators: list[str] = field(default_factory=list)  # in every edition
    stable_tasks: list[str] = field(default_factory=list)
    stable_problems: list[str] = field(default_factory=list)
    revisions: dict[str, list[tuple[int, int, str | None]]] = field(default_factory=dict)


def write_synthetic_data(out_dir: Path, *, areas: int = 300, indicators: int = 122, years: int = 10,
                         tasks: int = 3000, problems: int = 1000, editions: int = 1,
                         seed: int = 0, quarterly: bool = False) -> Path:
    """Write `editions` consecutive synthetic edition folders under out_dir and return it.

    With `quarterly`, every task also reports each quarter of the edition year (done and
    cumulative), summing to the yearly entry: the same edition with in-year data.
    """
    if min(areas, indicators, years, editions) < 1 or min(tasks, problems) < 0:
        raise ValueError("sizes must be positive")
    first_edition = LAST_YEAR - editions + 1
    first_value_year = first_edition - years + 1
    if first_value_year < FIRST_ALLOWED_YEAR or first_value_year >= TARGET_YEARS[0]:
        raise ValueError(f"years and editions must place the base year in {FIRST_ALLOWED_YEAR}–"
                         f"{TARGET_YEARS[0] - 1}")
    rng = random.Random(seed)
    plan = _make_plan(rng, areas, indicators, tasks, problems, editions, first_value_year)
    out_dir = Path(out_dir)
    for k, year in enumerate(plan.years):
        folder = out_dir / str(year)
        for sub in ("indicators", "tasks", "problems"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        _write(folder / "edition.yaml", _edition_yaml(plan, year))
        _write(folder / "departments.yaml", _departments_yaml(seed, plan, year))
        _write(folder / "survey.yaml", _survey_yaml(random.Random(f"{seed}:survey:{year}"), plan, year))
        _write(folder / "corrections.yaml", "corrections: []\n")
        for task_id, alive in plan.tasks.items():
            if k in alive:
                text = _task_yaml(random.Random(f"{seed}:{task_id}"), plan, task_id, year, quarterly)
                _write(folder / "tasks" / f"{task_id}.yaml", text)
        for problem_id, alive in plan.problems.items():
            if k in alive:
                text = _problem_yaml(random.Random(f"{seed}:{problem_id}"), plan, problem_id, year)
                _write(folder / "problems" / f"{problem_id}.yaml", text)
    for number, (ind_id, alive) in enumerate(plan.indicators.items()):
        texts = _indicator_yamls(random.Random(f"{seed}:{ind_id}"), plan, ind_id, number, alive)
        for k, text in texts.items():
            _write(out_dir / str(plan.years[k]) / "indicators" / f"{ind_id}.yaml", text)
    return out_dir


def _make_plan(rng: random.Random, n_areas: int, n_indicators: int, n_tasks: int, n_problems: int,
               editions: int, first_value_year: int) -> _Plan:
    years = list(range(LAST_YEAR - editions + 1, LAST_YEAR + 1))
    plan = _Plan(years=years, first_value_year=first_value_year, areas=_areas(rng, n_areas))
    categories = list(CATEGORIES)
    ind_ids = [f"{CATEGORIES[categories[i % 6]][0]}-{i // 6 + 1:03d}" for i in range(n_indicators)]
    task_ids = [f"RW-{i + 1:04d}" for i in range(n_tasks)]
    problem_ids = []
    for i in range(n_problems):
        found_in = rng.randint(max(first_value_year, years[0] - 3), years[0])
        problem_ids.append(f"WT-{found_in}-{i + 1:04d}")
    # the records of the first edition; each later edition drops and adds a few
    for kind, ids, prefix in (("indicators", ind_ids, None), ("tasks", task_ids, "RW"),
                              ("problems", problem_ids, "WT")):
        alive: dict[str, range] = {rid: range(0, editions) for rid in ids}
        for k in range(1, editions):
            change = max(1, len(ids) // 100)
            current = [rid for rid, r in alive.items() if k - 1 in r and r.stop == editions]
            if len(current) > 2 * change:
                for rid in rng.sample(current, change):
                    alive[rid] = range(alive[rid].start, k)
            for j in range(change):
                if prefix is None:
                    category = categories[(len(ids) + j) % 6]
                    new_id = f"{CATEGORIES[category][0]}-N{years[k]}{j + 1:02d}"
                elif prefix == "WT":
                    new_id = f"WT-{years[k]}-N{j + 1:03d}"
                else:
                    new_id = f"RW-N{years[k]}{j + 1:03d}"
                alive[new_id] = range(k, editions)
        setattr(plan, kind, alive)
        stable = [rid for rid, r in alive.items() if r == range(0, editions)]
        setattr(plan, f"stable_{kind}", stable)
    # each later edition corrects a few values published by the one before
    for k in range(1, editions):
        for ind_id in rng.sample(plan.stable_indicators, min(3, len(plan.stable_indicators))):
            year = rng.randint(first_value_year, years[k - 1])
            area = rng.choice(plan.areas)[0] if rng.random() < 0.6 else None
            plan.revisions.setdefault(ind_id, []).append((k, year, area))
    return plan


def _areas(rng: random.Random, count: int) -> list[tuple[str, str, float]]:
    out = []
    combos = [(a, b) for b in AREA_SECOND for a in AREA_FIRST]
    for i in range(count):
        (first, first_py), (second, second_py) = combos[i % len(combos)]
        lap = i // len(combos)
        suffix = str(lap + 1) if lap else ""
        out.append((f"{first_py}{second_py}{suffix}", f"{first}{second}{suffix}区",
                    round(rng.uniform(20, 160), 1)))
    return out


# -- the files ---------------------------------------------------------------------

def _edition_yaml(plan: _Plan, year: int) -> str:
    lines = [
        f"year: {year}",
        f"title: {CITY}{year}年度城市体检评估结果（合成数据）",
        f"city: {CITY}",
        "example: true",
        f"publisher: {CITY}规划和自然资源局",
        "status: draft",
        f"base_year: {plan.first_value_year}",
        "target_years:",
        *(f"  - {t}" for t in TARGET_YEARS),
        "areas:",
    ]
    for area_id, name, population in plan.areas:
        lines += [f"  - id: {area_id}", f"    name: {name}", f"    population: {population}"]
    lines.append("notes: 基准测试用的合成数据，数值为随机生成，不代表任何真实城市。")
    return _join(lines)


def _departments_yaml(seed: int, plan: _Plan, year: int) -> str:
    lines = ["departments:"]
    for dept_id, name, short in DEPARTMENTS:
        lines += [f"  - id: {dept_id}", f"    name: {name}", f"    short_name: {short}"]
    lines.append("planners:")
    for i, (area_id, area_name, _) in enumerate(plan.areas):
        rng = random.Random(f"{seed}:planner:{i}")  # one stream per planner: same person each edition
        start = rng.randint(plan.years[0] - 3, plan.years[0] - 1)
        lines += [
            f"  - id: ZG-{i + 1:04d}",
            f"    name: {area_name}责任规划师团队",
            f"    organisation: {CITY}城市规划设计研究院",
            f"    area: {area_id}",
            f"    street: {area_name}第{rng.randint(1, 9)}街道",
            "    term:",
            f'      start: "{start}-03-01"',
            f'      end: "{start + 3}-02-28"',  # a term of three years, as the rules allow
            "    evaluations:",
        ]
        for eval_year in range(start, year):
            lines += [f"      - year: {eval_year}", f"        grade: {rng.choice(GRADES)}"]
    return _join(lines)


def _survey_yaml(rng: random.Random, plan: _Plan, year: int) -> str:
    count = rng.randint(3000, 3600)
    lines = [
        f"year: {year}",
        f"organisation: {CITY}统计调查队",
        "method: 线上问卷与入户访问相结合，按区、年龄、学历、职业配额抽样",
        f"valid_questionnaires: {count}",
        "scale:",
        *(f"  - {label}" for label in SCALE),
        "sample:",
    ]
    populations = [p for _, _, p in plan.areas]
    groups = {
        "area": ([name for _, name, _ in plan.areas], populations),
        "age": (list(AGE_GROUPS), [rng.uniform(10, 40) for _ in AGE_GROUPS]),
        "education": (list(EDUCATION_GROUPS), [rng.uniform(10, 40) for _ in EDUCATION_GROUPS]),
        "occupation": (list(OCCUPATION_GROUPS), [rng.uniform(5, 30) for _ in OCCUPATION_GROUPS]),
    }
    for name, (labels, weights) in groups.items():
        counts = _apportion(count, weights)
        tenths = _apportion(1000, weights)
        lines.append(f"  {name}:")
        for label, n, share in zip(labels, counts, tenths, strict=True):
            lines += [f"    - group: {_text(label)}", f"      count: {n}",
                      f"      population_share: {share / 10:.1f}"]
    lines.append("dimensions:")
    for dim_id, dim_name, questions in SURVEY_DIMENSIONS:
        lines += [f"  - id: {dim_id}", f"    name: {dim_name}", "    questions:"]
        for j, text in enumerate(questions):
            lines += [f"      - id: {dim_id}_{j + 1}", f"        text: 您对{text}的满意程度"]
            if rng.random() < 0.8:
                answered = rng.randint(count * 9 // 10, count)
                dist = _apportion(answered, [rng.uniform(0.2, 1) * w for w in (1, 2, 5, 8, 5)])
                lines.append(f"        distribution: [{', '.join(map(str, dist))}]")
            else:
                lines.append(f"        mean: {rng.uniform(3.2, 4.4):.2f}")
    return _join(lines)


def _task_yaml(rng: random.Random, plan: _Plan, task_id: str, year: int, quarterly: bool = False) -> str:
    title, unit = rng.choice(TASK_TITLES)
    number = int(re.sub(r"\D", "", task_id)) % 100000 or 1
    lead, *coop = rng.sample(DEPARTMENTS, rng.randint(1, 3))
    start = rng.randint(plan.years[0] - 2, plan.years[0])
    end = start + rng.randint(1, 3)
    quantity = rng.choice((20, 50, 100, 300, 1000, 2000))
    lines = [
        f"id: {task_id}",
        f"number: {number}",
        f"section: {rng.choice(TASK_SECTIONS)}",
        f"title: {title}（{task_id}）",
        f"description: 在全市范围内{title}，{start}年至{end}年累计完成{quantity}{unit}。",
        f"lead: {lead[0]}",
    ]
    if coop:
        lines += ["cooperating:", *(f"  - {d[0]}" for d in coop)]
    lines += ["period:", f"  start: {start}", f"  end: {end}",
              "target:", f"  quantity: {quantity}", f"  unit: {unit}", "progress:"]
    remaining = quantity
    for progress_year in range(start, min(end, year) + 1):
        done = min(remaining, round(quantity * rng.uniform(0.1, 0.5)))
        remaining -= done
        status = "done" if remaining == 0 else "in_progress"
        lines += [f"  - year: {progress_year}", f"    done: {done}", f"    status: {status}",
                  f"    summary: 当年完成{done}{unit}，累计完成{quantity - remaining}{unit}。"]
        if quarterly and progress_year == year:
            cumulative = quantity - remaining - done
            for quarter, part in enumerate(_apportion(done, [1, 1, 1, 1]), start=1):
                cumulative += part
                lines += [f"  - period: \"{year}-Q{quarter}\"", f"    done: {part}", f"    cumulative: {cumulative}",
                          f"    status: {status if quarter == 4 else 'in_progress'}",
                          f"    summary: 本季度完成{part}{unit}。"]
    if plan.stable_indicators and rng.random() < 0.5:
        refs = rng.sample(plan.stable_indicators, min(2, len(plan.stable_indicators)))
        lines += ["indicators:", *(f"  - {r}" for r in refs)]
    if plan.stable_problems and rng.random() < 0.2:
        lines += ["from_problems:", f"  - {rng.choice(plan.stable_problems)}"]
    return _join(lines)


def _problem_yaml(rng: random.Random, plan: _Plan, problem_id: str, year: int) -> str:
    found_in = int(problem_id.split("-")[1])
    title = rng.choice(PROBLEM_TITLES)
    depts = rng.sample(DEPARTMENTS, rng.randint(1, 2))
    lines = [
        f"id: {problem_id}",
        f"found_in: {found_in}",
        f"title: {title}（{problem_id}）",
        f"description: {found_in}年度体检发现{title}，相关指标低于目标进度要求。",
    ]
    evidence = []
    if plan.stable_indicators:
        evidence += ["  indicators:", f"    - {rng.choice(plan.stable_indicators)}"]
    if plan.stable_tasks and rng.random() < 0.5:
        evidence += ["  tasks:", f"    - {rng.choice(plan.stable_tasks)}"]
    if evidence:
        lines += ["evidence:", *evidence]
    lines += ["recommendations:", f"  - 加快推进{title.removesuffix('不足').removesuffix('偏慢')}相关工作",
              "  - 将相关事项纳入下一年度行动计划", "departments:", *(f"  - {d[0]}" for d in depts)]
    follow_years = range(found_in + 1, year + 1)
    if follow_years:
        lines.append("follow_up:")
    for follow_year in follow_years:
        drawn = rng.choice(VERDICTS)  # drawn every time, so older entries read the same each edition
        verdict = drawn if follow_year < year else "pending"
        lines += [f"  - year: {follow_year}"]
        if plan.stable_tasks:
            absorbed = rng.sample(plan.stable_tasks, min(rng.randint(1, 2), len(plan.stable_tasks)))
            lines += ["    absorbed_into:", *(f"      - {t}" for t in absorbed)]
        lines += [f"    response: {depts[0][2]}已将该问题纳入{follow_year}年度工作安排。",
                  f"    verdict: {verdict}", f"    memo: 销项会纪要〔{follow_year}〕{rng.randint(1, 40)}号"]
    return _join(lines)


def _indicator_yamls(rng: random.Random, plan: _Plan, ind_id: str, number: int,
                     alive: range) -> dict[int, str]:
    category = list(CATEGORIES)[number % 6] if not ind_id.split("-")[1].startswith("N") else next(
        c for c, (prefix, _) in CATEGORIES.items() if ind_id.startswith(prefix + "-"))
    subcategory = rng.choice(CATEGORIES[category][1])
    unit = rng.choice(UNITS)
    percent = unit == "%"
    direction = rng.choice(("higher_is_better", "higher_is_better", "lower_is_better", "within_range"))
    level = rng.uniform(30, 90) if percent else rng.uniform(1, 500)
    growth = rng.uniform(-0.02, 0.05) * (-1 if direction == "lower_is_better" else 1)
    all_years = range(plan.first_value_year, plan.years[-1] + 1)
    by_area: list[list[float]] = []
    for _ in plan.areas:
        value = level * rng.uniform(0.6, 1.4)
        series = []
        for _ in all_years:
            value *= 1 + growth + rng.gauss(0, 0.01)
            series.append(min(100.0, value) if percent else value)
        by_area.append(series)
    city = [sum(s[i] for s in by_area) / len(by_area) for i in range(len(all_years))]
    targets = _targets(rng, city[-1], direction, percent)
    depts = rng.sample(DEPARTMENTS, rng.randint(1, 3))
    standard = rng.choice(("national", "ministry", "local"))
    area_index = {a[0]: i for i, a in enumerate(plan.areas)}
    out = {}
    revised: list[tuple[int, str | None, str]] = []
    for k in alive:
        year = plan.years[k]
        for edition_k, rev_year, area in plan.revisions.get(ind_id, ()):
            if edition_k == k:  # the new value holds from this edition on
                series = by_area[area_index[area]] if area else city
                i = rev_year - plan.first_value_year
                delta = max(0.2, abs(series[i]) * rng.uniform(0.02, 0.08))  # visible at one decimal
                series[i] += delta if not percent or series[i] + delta <= 100 else -delta
                revised.append((rev_year, area, rng.choice(REVISION_NOTES)))
        count = year - plan.first_value_year + 1
        lines = [
            f"id: {ind_id}",
            f"name: 合成指标{ind_id}（{subcategory}）",
            f"category: {category}",
            f"subcategory: {subcategory}",
            f"standard: {standard}",
            f"unit: {_text(unit)}",
            f"definition: {subcategory}方面的监测指标，按{unit}统计，全市数值为各区平均。",
            f"direction: {direction}",
            f"kind: {'binding' if number % 3 == 0 else 'expected'}",
            "base:",
            f"  year: {plan.first_value_year}",
            f"  value: {city[0]:.1f}",
            f"values: {_year_map(plan.first_value_year, city[:count])}",
            "by_area:",
            *(f"  {a[0]}: {_year_map(plan.first_value_year, s[:count])}" for a, s in zip(plan.areas, by_area, strict=True)),
            "targets:",
            *targets,
            f"data_source: {SOURCES[number % len(SOURCES)]}",
            f"collection_method: {METHODS[number % len(METHODS)]}",
            f"department: {depts[0][0]}",
        ]
        if len(depts) > 1:
            lines += ["cooperating:", *(f"  - {d[0]}" for d in depts[1:])]
        lines.append(f'deadline: "{year + 1}-03-31"')
        if revised:
            lines.append("revisions:")
            for rev_year, area, note in revised:
                lines.append(f"  - year: {rev_year}")
                if area:
                    lines.append(f"    area: {area}")
                lines.append(f"    note: {note}")
        out[k] = _join(lines)
    return out


def _targets(rng: random.Random, latest: float, direction: str, percent: bool) -> list[str]:
    lines = []
    for i, year in enumerate(TARGET_YEARS):
        goal = latest * (1.05 + 0.05 * i) if direction != "lower_is_better" else latest * (0.95 - 0.05 * i)
        goal = min(goal, 100.0) if percent else goal
        form = "between" if direction == "within_range" else rng.choice(
            ("at_least" if direction == "higher_is_better" else "at_most", "about", "equals", "trend"))
        lines.append(f"  - year: {year}")
        if form == "between":
            low, high = goal * 0.9, min(goal * 1.1, 100.0) if percent else goal * 1.1
            lines += [f"    between: [{low:.1f}, {high:.1f}]", f"    text: {low:.1f}–{high:.1f}"]
        elif form == "trend":
            lines.append(f"    trend: {'decrease' if direction == 'lower_is_better' else 'increase'}")
        else:
            lines.append(f"    {form}: {goal:.1f}")
            words = {"at_least": f"≥{goal:.1f}", "at_most": f"≤{goal:.1f}", "about": f"{goal:.1f}左右"}
            if form in words:
                lines.append(f"    text: {words[form]}")
    return lines


# -- writing -----------------------------------------------------------------------

def _year_map(first: int, values: list[float]) -> str:
    return "{" + ", ".join(f"{first + i}: {v:.1f}" for i, v in enumerate(values)) + "}"


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder), summing exactly."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _text(value: str) -> str:
    """Write a string plain when YAML reads it back as that string, else double-quoted."""
    if _NEEDS_QUOTES.search(value) or plain_scalar(value) != value:
        return json.dumps(value, ensure_ascii=False)
    return value


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
