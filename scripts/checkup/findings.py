"""Findings: the one value every check returns, and the catalogue of their codes.

Every code has one severity, one message template and one hint, written for a
department clerk. The clerks' page of codes is generated from `CODES`, and a
test fails if a code has no invalid example under tests/cases/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import NamedTuple


class Code(NamedTuple):
    severity: str  # "error" or "warning"
    group: str  # which layer of checks raises it
    message: str
    hint: str


CODES: dict[str, Code] = {
    # -- reading the file -------------------------------------------------
    "file-unreadable": Code("error", "文件", "无法读取文件：{reason}。", "检查文件是否存在、是否有读取权限。"),
    "file-too-large": Code("error", "文件", "文件有 {size} MB，超过 {limit} MB 的上限。", "数据文件应为手工可读的小文件；把数据拆成每个指标一个文件。"),
    "bom": Code("error", "文件", "文件开头带有 BOM 标记。", "用编辑器另存为“UTF-8（无 BOM）”，或运行 checkup fmt 修复。"),
    "not-utf8": Code("error", "文件", "文件不是 UTF-8 编码（第一个无法识别的字节是 {byte}）。", "用编辑器另存为“UTF-8（无 BOM）”；不要用 GBK/ANSI 编码保存。"),
    "empty-file": Code("error", "文件", "文件是空的。", "补全内容，或删除这个文件。"),
    "symlink": Code("error", "文件", "这是一个符号链接（指向别处的快捷方式），它指向的内容不会被读取，也不会发布。", "把链接换成真正的文件或文件夹，或删除它；数据文件夹里不允许符号链接。"),
    "invisible-character": Code("error", "文件", "这里有一个看不见的字符 {char}（{category}），它会隐藏文字或打乱文字的显示顺序。", "删除这个字符：把光标移到这里，删除后重新输入这段文字。从 Word、网页或聊天软件复制的文字常带有这类字符。"),
    "tab-indent": Code("error", "格式", "这一行用 Tab 键缩进，YAML 只允许空格。", "把行首的 Tab 换成两个空格（编辑器里可设置“Tab 转空格”）。"),
    "yaml-syntax": Code("error", "格式", "YAML 格式错误：{reason}。", "检查这一行及上一行：冒号后要有空格，引号和括号要成对，缩进要对齐。"),
    "yaml-alias": Code("error", "格式", "文件使用了 YAML 锚点或引用（& 或 *）。", "把引用处改写成完整内容；数据文件不允许锚点和引用。若文字以 * 或 & 开头，请加引号。"),
    "yaml-tag": Code("error", "格式", "文件使用了 YAML 标签 {tag}。", "删除以 ! 开头的标签；若文字以 ! 开头，请加引号。"),
    "too-deep": Code("error", "格式", "嵌套层级超过 {limit} 层。", "检查括号和缩进是否成对、对齐；数据文件不需要这么深的结构。"),
    "complex-key": Code("error", "格式", "字段名不能是列表或映射。", "字段名只能是一段文字，例如 name:。"),
    "multiple-documents": Code("error", "格式", "一个文件里有多个 YAML 文档（出现了 ---）。", "每个文件只写一条记录；删除多余的 --- 分隔线。"),
    "json-syntax": Code("error", "格式", "JSON 格式错误：{reason}。", "检查这一行及上一行：字段名和文字要用英文双引号，逗号、方括号和花括号要成对，最后一项后面不加逗号。"),
    "duplicate-key": Code("error", "格式", "字段“{key}”重复出现，后一个会覆盖前一个。", "删除或合并重复的字段，每个字段只写一次。"),
    "geometry-too-large": Code("error", "文件", "边界文件有 {size} KB，超过 {limit} KB 的上限。", "边界只用于网页地图：在 GIS 软件中简化边界（例如 mapshaper 的 simplify）后再导出，坐标保留 5 位小数（约 1 米）即可。"),
    # -- the layout of an edition ------------------------------------------
    "missing-file": Code("error", "结构", "缺少文件 {name}。", "每个版本文件夹都要有 {name}；可以从上一年的版本复制后修改。"),
    "unknown-file": Code("warning", "结构", "不认识的文件，不会被读取。", "数据文件只能放在 edition.yaml、departments.yaml、survey.yaml、corrections.yaml、areas.geojson（各区边界），或 indicators/、tasks/、problems/ 文件夹里，扩展名为 .yaml。"),
    "id-file-mismatch": Code("error", "结构", "文件名是 {stem}，但编号写的是 {id}。", "文件名必须与编号一致：把文件改名为 {id}.yaml，或改正编号。"),
    "edition-year-mismatch": Code("error", "结构", "文件夹是 {folder}，但 year 写的是 {year}。", "版本文件夹以年份命名，year 必须与文件夹名一致。"),
    # -- the schema ----------------------------------------------------------
    "missing-field": Code("error", "字段", "缺少必填字段“{title}”（{field}）。", "在这里补上 {field}: 及其内容。"),
    "unknown-field": Code("error", "字段", "不认识的字段“{field}”。", "检查拼写；可用的字段有：{allowed}。"),
    "wrong-type": Code("error", "字段", "“{title}”应为{expected}，现在是{actual}“{value}”。", "改为{expected}。{extra}"),
    "not-in-list": Code("error", "字段", "“{title}”的值“{value}”不在可选范围内。", "只能填写：{allowed}。"),
    "bad-format": Code("error", "字段", "“{title}”的写法不对：“{value}”。", "{expected}"),
    "out-of-range": Code("error", "字段", "“{title}”的值 {value} 超出范围：{bound}。", "核对数值和单位。"),
    "too-short": Code("error", "字段", "“{title}”不能为空或过短（{bound}）。", "补全内容。"),
    "too-long": Code("error", "字段", "“{title}”的项数过多（{bound}）。", "删除多余的项。"),
    "duplicate-item": Code("error", "字段", "“{title}”里有重复的项。", "每一项只写一次。"),
    "target-form": Code("error", "字段", "目标必须且只能写一种形式，现在写了：{present}。", "从 equals、at_least、at_most、between、about、trend 中只保留一种；区间写成 between: [下限, 上限]。"),
    "answer-form": Code("error", "字段", "每道题必须且只能写分档人数或平均分之一，现在写了：{present}。", "保留 distribution（五档人数）或 mean（平均分）中的一个。"),
    # -- references between records --------------------------------------------
    "duplicate-id": Code("error", "引用", "编号 {id} 已在 {other} 中使用。", "每条记录的编号必须唯一；给其中一条换一个新编号。"),
    "unknown-department": Code("error", "引用", "部门编号 {id} 没有在 departments.yaml 中登记。", "改成已登记的部门编号，或先在 departments.yaml 中登记该部门。"),
    "unknown-indicator": Code("error", "引用", "指标编号 {id} 不存在。", "改成 indicators/ 文件夹中已有的指标编号。"),
    "unknown-task": Code("error", "引用", "任务编号 {id} 不存在。", "改成 tasks/ 文件夹中已有的任务编号。"),
    "unknown-problem": Code("error", "引用", "问题编号 {id} 不存在。", "改成 problems/ 文件夹中已有的问题编号。"),
    "unknown-area": Code("error", "引用", "区域编号 {id} 没有在 edition.yaml 的 areas 中登记。", "改成已登记的区域编号（{allowed}）。"),
    "geometry-unknown-area": Code("error", "引用", "边界文件中的区域编号 {id} 没有在 edition.yaml 的 areas 中登记。", "改成已登记的区域编号（{allowed}），或删除这个要素。"),
    "area-geometry-missing": Code("error", "引用", "区域 {id}（{area_name}）在 areas.geojson 中没有边界。", "在 areas.geojson 中为它补上一个要素，properties.id 写 {id}；每个区都要有边界，地图才不会缺块。"),
    "absorbed-task-missing": Code("error", "引用", "{year} 年的跟踪写明吸纳进任务 {id}，但 {year} 年版本中没有这个任务。", "核对任务编号，或在 {year} 年版本的 tasks/ 中补上该任务。"),
    # -- report chapters (report/general/*.md, report/special/*.md): line and column of the reference --
    "unknown-reference": Code("error", "正文", "正文中的引用 {ref} 无法解析：{reason}。", "引用写成 {{{{指标:编号:数值}}}}、{{{{任务:编号:进度}}}}、{{{{任务清单:板块名称}}}} 或 {{{{满意度:总分}}}}；编号要与 indicators/、tasks/ 中的文件一致。"),
    # -- meaning ---------------------------------------------------------------
    "year-after-edition": Code("error", "内容", "年份 {year} 晚于本版本的体检年度 {edition}。", "本版本只能包含 {edition} 年及以前的数据；核对年份。"),
    "base-after-target": Code("error", "内容", "基期年 {base} 不早于目标年 {target}。", "核对基期年和目标年。"),
    "percent-out-of-range": Code("error", "内容", "百分比数值 {value} 不在 0–100 之间。", "百分比填写 0 到 100 之间的数，例如 85.5 表示 85.5%。"),
    "between-reversed": Code("error", "内容", "区间的下限 {low} 大于上限 {high}。", "写成 between: [下限, 上限]。"),
    "period-reversed": Code("error", "内容", "开始年份 {start} 晚于完成年份 {end}。", "核对实施期限。"),
    "progress-outside-period": Code("warning", "内容", "{year} 年的进展不在实施期限 {start}–{end} 内。", "核对年份，或调整实施期限。"),
    "duplicate-year": Code("error", "内容", "{year} 年出现了不止一次。", "每年只写一项，合并重复的年份。"),
    "follow-up-before-found": Code("error", "内容", "{year} 年的跟踪早于问题的发现年度 {found}。", "跟踪记录从发现年度的下一年开始。"),
    "found-after-edition": Code("error", "内容", "问题的发现年度 {found} 晚于本版本的体检年度 {edition}。", "核对发现年度。"),
    "geometry-too-few-points": Code("error", "内容", "边界的一个环只有 {count} 个点，至少要 4 个（首尾是同一个点）。", "补全这个环的坐标点，或删去这个环。"),
    "geometry-ring-open": Code("error", "内容", "边界的环没有闭合：第一个点 {first} 和最后一个点 {last} 不同。", "在这个环的末尾补上与第一个点相同的坐标。"),
    "geometry-self-intersection": Code("error", "内容", "边界自相交：第 {a} 条边和第 {b} 条边交叉。", "在 GIS 软件中修复几何（例如 QGIS 的“修复几何图形”）后重新导出。"),
    "geometry-out-of-range": Code("error", "内容", "坐标 {point} 不是 WGS 84 经纬度（经度在 -180 到 180 之间，纬度在 -90 到 90 之间）。", "每个点写成 [经度, 纬度]，单位为度；投影坐标（以米为单位）要先转换为 WGS 84（EPSG:4326）再导出。"),
    "planner-days-short": Code("warning", "内容", "{year} 年在街道工作 {days} 天，少于规定的 {least} 个工作日。", "核对天数；确实不足的，如实公开，并在考评意见中说明原因（这条警告仍会显示）。"),
    "planner-term-length": Code("warning", "内容", "聘期 {start} 至 {end}，不在规定的 {low}–{high} 年之间。", "核对聘期的起止日期；责任规划师聘期为 {low}–{high} 年，按年签订协议。"),
    "survey-too-small": Code("warning", "内容", "有效问卷 {count} 份，少于 {minimum} 份。", "社会满意度调查每年有效问卷应不少于 {minimum} 份：请补充样本；确实无法补充时，在 survey.yaml 的 notes 中说明原因（这条警告仍会显示）。"),
    "sample-mismatch": Code("warning", "内容", "按{group}分组的样本合计 {total} 份，与有效问卷数 {count} 不一致。", "核对各组样本数。"),
    "no-answers": Code("error", "内容", "这道题五档的作答人数都是 0，无法计算满意度。", "填写各档的实际作答人数；没有人作答的题目请删去。"),
    "answers-exceed-sample": Code("error", "内容", "这道题有 {total} 人作答，多于有效问卷数 {count}。", "核对这道题的各档人数（distribution）或作答人数（n）。"),
    "share-sum": Code("warning", "内容", "按{group}分组的人口占比合计 {total}%，不是 100%。", "核对各组的常住人口占比。"),
    "survey-year-mismatch": Code("error", "内容", "调查年度 {year} 与本版本年度 {edition} 不一致。", "survey.yaml 的 year 必须等于版本年度。"),
    # -- in-year reporting (年内报告期) --------------------------------------------
    "progress-when": Code("error", "报告期", "每项进展必须且只能写 year（年度）或 period（年内报告期）之一，现在写了：{present}。", "年度进展写 year: 2024；季度进展、半年总结写 period: \"2024-Q2\"，不要同时写。"),
    "period-too-fine": Code("error", "报告期", "报告期 {period} 比{what}允许的报告频率（{frequency}）更细。", "按{frequency}填写（例如 {example}）；指标的报告频率写在它的 frequency 中。"),
    "period-after-edition": Code("error", "报告期", "报告期 {period} 晚于本版本的体检年度 {edition}。", "本版本只能包含 {edition} 年及以前的报告期；核对报告期。"),
    "period-outside-task": Code("warning", "报告期", "报告期 {period} 不在实施期限 {start}–{end} 内。", "核对报告期，或调整实施期限。"),
    "period-order": Code("error", "报告期", "报告期 {period} 写在了 {previous} 之后，没有按时间先后排列。", "把年内进展按报告期从早到晚排列。"),
    "period-overlap": Code("error", "报告期", "报告期 {period} 与 {other} 重复或重叠，本期完成量会被重复计算。", "同一年的年内进展只按一种周期填写（全用季度或全用半年），每期只写一项。"),
    "in-year-quantity-missing": Code("error", "报告期", "{period} 的进展没有写完成量。", "有量化目标的任务，年内进展要写本期完成量 done 或累计完成量 cumulative（至少一项）。"),
    "cumulative-fell": Code("error", "报告期", "截至{period}的累计完成量 {value} 少于{previous}的 {before}，且没有说明。", "核对累计数；确需调减（例如统计口径调整）时，在这一项的 note 中写明原因。"),
    "in-year-above-year": Code("error", "报告期", "{year} 年各期完成量合计 {total}，多于全年完成量 {done}。", "核对各期的 done（本期完成量，不是累计数）和全年的 done。"),
    "year-below-in-year": Code("error", "报告期", "截至 {year} 年末累计完成 {total}，少于{period}已报告的累计完成量 {cumulative}。", "核对全年的 done 和年内各期的 cumulative；年末累计不能少于年内已报告的累计。"),
    # -- published editions -----------------------------------------------------
    "published-changed": Code("error", "发布", "这个文件属于已发布的 {year} 年版本，发布后被修改过，但没有登记更正。", "已发布的数据不能悄悄修改：在 corrections.yaml 中登记这次更正（日期、文件、内容、原因、更正人），或撤销修改。"),
    "published-removed": Code("error", "发布", "已发布的 {year} 年版本中的文件 {name} 被删除了。", "恢复该文件，或在 corrections.yaml 中登记这次更正。"),
    "published-added": Code("error", "发布", "已发布的 {year} 年版本中新增了文件，但没有登记更正。", "在 corrections.yaml 中登记，或把新数据放到新的版本中。"),
    "manifest-missing": Code("error", "发布", "版本状态是 published，但没有发布清单 manifest.json。", "运行 checkup publish {year} 生成发布清单。"),
    "revision-without-note": Code("warning", "发布", "{year} 年{area}的数值由 {old} 改为 {new}，但没有修订说明。", "在这个指标的 revisions 中写明修订原因：- {{year: {year}, note: 原因}}。"),
    # -- spreadsheets (checkup import; {cell} is the place, as 指标数据采集表!M5) --
    "sheet-unreadable": Code("error", "表格", "无法读取工作簿：{reason}。", "确认文件是 .xlsx 格式（不是 .xls 或 .et），没有加密，也没有损坏。"),
    "sheet-not-template": Code("error", "表格", "这个工作簿不是用 checkup export-template 导出的填报表。", "在导出的填报表上直接填写；不要把内容复制到新建的工作簿中。"),
    "sheet-edition-unusable": Code("error", "表格", "填报表对应的 {year} 年版本{reason}。", "核对填报表的年度；先运行 checkup validate 修正数据，再重新导出填报表。"),
    "sheet-edition-published": Code("error", "表格", "{cell}：{year} 年版本已经发布，不能再用填报表修改。", "已发布的数据要更正，须在 corrections.yaml 中登记更正，并通过拉取请求提交。"),
    "sheet-header-changed": Code("error", "表格", "{cell}：表头应为“{expected}”，现在是“{actual}”。", "不要增删、移动或改名列；重新导出填报表后再填写。"),
    "sheet-unknown-id": Code("error", "表格", "{cell}：编号“{id}”不是本填报表中的{kind}。", "编号是锁定的：不要修改编号，也不要新增行。"),
    "sheet-duplicate-id": Code("error", "表格", "{cell}：编号“{id}”在第 {other} 行已经出现过。", "每条记录只保留一行，删除重复的行。"),
    "sheet-locked-changed": Code("error", "表格", "{cell}：“{heading}”是锁定的单元格，原为“{old}”，现在是“{new}”。", "只填写浅黄色的单元格。锁定的内容如需更正，请联系体检工作组。"),
    "sheet-not-number": Code("error", "表格", "{cell}：“{heading}”应填数字，现在是“{value}”。", "只填数字，不带单位、百分号或千分位逗号，例如 12.5；没有数据就留空。"),
    "sheet-not-in-list": Code("error", "表格", "{cell}：“{heading}”填的“{value}”不在下拉列表中。", "从下拉列表中选择：{allowed}。"),
    "sheet-bad-ids": Code("error", "表格", "{cell}：“{value}”不是任务编号。", "填写任务编号，多个编号用顿号分开，例如 RW-061、RW-062。"),
    "sheet-formula": Code("error", "表格", "{cell}：单元格里是公式“{formula}”，填报表只接受直接填写的值。", "把公式换成它的结果：复制这个单元格，再“选择性粘贴 → 数值”；不要引用其他单元格或其他工作簿。"),
    "sheet-external-link": Code("error", "表格", "工作簿链接了外部工作簿（{parts}），没有读取。", "在 Excel 中选择“数据 → 编辑链接 → 断开链接”，把链接换成数值后另存为 .xlsx 再导入。"),
    "sheet-macro": Code("error", "表格", "工作簿带有宏（{reason}），没有读取。", "在导出的填报表上填写，另存为“Excel 工作簿（*.xlsx）”，不要存为启用宏的工作簿。"),
    "sheet-too-large": Code("error", "表格", "工作簿{measure}，超过上限（{limit}），没有读取。", "在导出的填报表上填写，不要粘贴大量数据、图片或其他工作表；确有需要请联系体检工作组。"),
    "sheet-too-many-rows": Code("error", "表格", "{cell}：工作表“{sheet}”超过 {limit} 行，后面的行没有读取。", "删除多余的行：填报表只需要导出时已有的那些行。"),
    "sheet-cell-too-long": Code("error", "表格", "{cell}：“{heading}”有 {length} 个字符，超过 {limit} 个字符的上限。", "精简内容；详细材料另行提交。"),
    "sheet-required": Code("error", "表格", "{cell}：本年度的{what}已经填写，但“{heading}”空着。", "从下拉列表中选择“{heading}”；如果本年度没有{what}，就清空这一行的全部浅黄色单元格。"),
}


@dataclass(frozen=True, order=True)
class Finding:
    """Something wrong in a data file, with where it is and how to fix it."""

    file: str
    line: int | None
    column: int | None
    pointer: str
    code: str
    severity: str
    message: str
    hint: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.pointer, self.code)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def finding(code: str, file: str, *, line: int | None = None, column: int | None = None,
            pointer: str = "", severity: str | None = None, **fields: object) -> Finding:
    """Make a finding from its code's templates."""
    entry = CODES[code]
    values = _Blank({k: str(v) for k, v in fields.items()})
    return Finding(
        file=file, line=line, column=column, pointer=pointer, code=code,
        severity=severity or entry.severity,
        message=entry.message.format_map(values),
        hint=entry.hint.format_map(values),
    )


def pointer_of(path: Iterable[str | int]) -> str:
    """Render a path as a JSON Pointer (RFC 6901)."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def sort_findings(found: Iterable[Finding]) -> list[Finding]:
    return sorted(found, key=Finding.sort_key)


def format_text(found: list[Finding], limit: int | None = None) -> str:
    """Render findings for a person at a terminal; past `limit`, only count the rest."""
    lines = []
    for f in found[:limit]:
        where = f.file + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.column else "")
        label = "错误" if f.severity == "error" else "警告"
        field = f" [{f.pointer}]" if f.pointer else ""
        lines.append(f"{where}: {label} {f.code}{field} {f.message}\n    修改方法：{f.hint}")
    if limit is not None and len(found) > limit:
        lines.append(f"另有 {len(found) - limit} 条未列出。")
    errors = sum(f.severity == "error" for f in found)
    warnings = len(found) - errors
    if found:
        lines.append(f"共 {errors} 个错误，{warnings} 个警告。")
    else:
        lines.append("数据检查通过，没有发现错误。")
    return "\n".join(lines)


def format_json(found: list[Finding]) -> str:
    """Render findings as a JSON list, one object per finding."""
    return json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2)
