"""`checkup fmt`: one canonical form for the data files, comments kept, values never changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkup.cli import main
from checkup.read.yamlio import parse_text
from checkup.staff.fmt import format_bytes, needs_quotes, same_value

MESSY = """\
# 示例数据：人均公园绿地面积
name: '人均公园绿地面积'
id: LS-09   # 编号逐年不变
values:
  2022: 12.4  # 统计年鉴
  2021: 12.1
  "2020": 11.80
base: {value: 11.8, year: 2020}
deadline: 2024-03-31
unit: "平方米/人"
category: 绿色
subcategory: "公园绿地"
definition: >-
  城区公园绿地面积除以常住人口。
notes: "第一行\\n第二行"
targets:
- {year: 2025, at_least: 15, text: '≥15'}
- year: 2035
  text: 保持稳定
  trend: stable
cooperating: [ZJW, GHZY]
direction: higher_is_better
kind: expected
data_source: yes
collection_method: 部门报送
department: YLJ
"""

CANONICAL = """\
# 示例数据：人均公园绿地面积
id: LS-09   # 编号逐年不变
name: 人均公园绿地面积
category: 绿色
subcategory: 公园绿地
unit: 平方米/人
definition: 城区公园绿地面积除以常住人口。
direction: higher_is_better
kind: expected
base:
  year: 2020
  value: 11.8
values: {2020: 11.8, 2021: 12.1, 2022: 12.4} # 统计年鉴
targets:
  - year: 2025
    at_least: 15
    text: "≥15"
  - year: 2035
    trend: stable
    text: 保持稳定
data_source: "yes"
collection_method: 部门报送
department: YLJ
cooperating:
  - ZJW
  - GHZY
deadline: "2024-03-31"
notes: |-
  第一行
  第二行
"""


def fmt(text: str, kind: str | None = "indicator") -> str:
    result = format_bytes(text.encode("utf-8"), "test.yaml", kind)
    assert result.text is not None, result.findings
    return result.text


def test_a_messy_indicator_file_is_rewritten_in_canonical_form() -> None:
    assert fmt(MESSY) == CANONICAL


def test_a_canonical_file_is_left_as_it_is() -> None:
    result = format_bytes(CANONICAL.encode("utf-8"), "test.yaml", "indicator")
    assert (result.changed, result.text) == (False, CANONICAL)


def test_formatting_keeps_every_value_of_the_messy_file() -> None:
    before = parse_text(MESSY, "a").value
    after = parse_text(fmt(MESSY), "b").value
    assert same_value(before, after)


def test_every_comment_is_kept_even_inside_a_map_that_becomes_one_line() -> None:
    text = "# 头部说明\nid: X-01  # 编号\nvalues:\n  2021: 1.5  # 年鉴\n  2022: 1.6\n# 下一节\nunit: 个\n"
    out = fmt(text, None)
    for comment in ("# 头部说明", "# 编号", "# 年鉴", "# 下一节"):
        assert comment in out
    assert "values: {2021: 1.5, 2022: 1.6} # 年鉴\n# 下一节\n" in out
    assert fmt(out, None) == out


def test_a_bom_and_windows_line_ends_are_removed() -> None:
    raw = "\ufeffid: X-01\r\nname: 甲\r\n".encode()
    result = format_bytes(raw, "test.yaml", None)
    assert (result.changed, result.text) == (True, "id: X-01\nname: 甲\n")


def test_a_file_that_does_not_parse_gives_the_validator_finding() -> None:
    result = format_bytes(b"id: X-01\nname: [\n", "bad.yaml", "indicator")
    assert result.text is None
    assert [(f.file, f.code) for f in result.findings] == [("bad.yaml", "yaml-syntax")]


@pytest.mark.parametrize(("text", "quoted"), [
    ("人均公园绿地面积", False),
    ("平方米/人", False),
    ("保持稳定", False),
    ("2024-03-31", True),  # a date to YAML 1.1 readers
    ("2023年度新增的指标", True),  # starts with a digit: people read it as a number
    ("≥85", True),
    ("-3", True),
    ("%", True),  # an indicator character cannot start plain text
    ("yes", True),  # a boolean to YAML 1.1 readers
    ("true", True),
    ("null", True),
    ("", True),
    (" 前后有空格", True),
    ("甲: 乙", True),
    ("甲 #乙", True),
    ("*重点", True),
    ("@example-city/ghzy", True),
])
def test_a_string_is_quoted_only_when_a_reader_could_take_it_for_something_else(text: str, quoted: bool) -> None:
    assert needs_quotes(text) is quoted


@pytest.mark.parametrize(("source", "expected"), [
    ("target_years:\n- 2025\n- 2035\n", "target_years: [2025, 2035]\n"),
    ("list: [甲, 乙]\n", "list:\n  - 甲\n  - 乙\n"),
    ("v: {2021: 1}\n", "v: {2021: 1}\n"),
    ("v:\n  2021: 1\n  donghu: 2\n", "v:\n  2021: 1\n  donghu: 2\n"),
    ("empty: []\n", "empty: []\n"),
    ("x: 1.50\n", "x: 1.5\n"),
    ("x: 2.0\n", "x: 2.0\n"),
    ("x: 1e16\n", "x: 1.0e+16\n"),
    ("x: True\n", "x: true\n"),
    ("x: ~\n", "x: null\n"),
    ("x: >\n  甲\n  乙\n", "x: |\n  甲 乙\n"),
])
def test_the_canonical_style_of_each_kind_of_node(source: str, expected: str) -> None:
    assert fmt(source, None) == expected


def test_the_example_data_keep_their_values_and_format_idempotently(example_data: Path) -> None:
    for path in sorted(example_data.rglob("*.yaml")):
        once = format_bytes(path.read_bytes(), path.name, None)
        assert once.text is not None, path
        twice = format_bytes(once.text.encode("utf-8"), path.name, None)
        assert not twice.changed, path


# -- properties -------------------------------------------------------------------
_keys = st.one_of(st.sampled_from(["id", "name", "2021", "2022", "true", "no", "值", "a b", "x:y"]),
                  st.text(min_size=1, max_size=6))
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["2024-03-31", "≥85", "yes", "%", "12", "1e5", "保持稳定", "a: b", "# x", "甲\n乙", ""]),
    st.text(max_size=12),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(_keys, inner, max_size=4),
    st.dictionaries(st.integers(2015, 2030).map(str), st.floats(-1e6, 1e6), min_size=1, max_size=4),
), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.dictionaries(_keys, _values, min_size=1, max_size=5), flow=st.sampled_from([None, False, True]))
def test_any_readable_file_keeps_its_values_and_formats_idempotently(value: dict, flow: bool | None) -> None:
    text = "# 注释\n" + yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    before = parse_text(text, "a")
    if not before.ok:  # PyYAML may write what our stricter reader refuses (e.g. duplicate keys)
        return
    once = format_bytes(text.encode("utf-8"), "a", "indicator")  # format_bytes itself checks the values
    assert once.text is not None
    assert same_value(before.value, parse_text(once.text, "b").value)
    assert once.text.startswith("# 注释\n")
    assert not format_bytes(once.text.encode("utf-8"), "a", "indicator").changed


# -- the command ------------------------------------------------------------------
@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "2023" / "indicators"
    folder.mkdir(parents=True)
    (folder / "LS-09.yaml").write_text(MESSY, "utf-8")
    (folder / "LS-10.yaml").write_text(CANONICAL.replace("LS-09", "LS-10"), "utf-8")
    return tmp_path


def test_check_lists_the_files_to_format_and_exits_1(two_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_files)
    result = CliRunner().invoke(main, ["fmt", "--check", "data"])
    assert result.exit_code == 1
    assert result.output == (
        "格式不规范：data/2023/indicators/LS-09.yaml\n"
        "共 2 个文件，1 个格式不规范。运行 checkup fmt 整理。\n"
    )
    assert (two_files / "data/2023/indicators/LS-09.yaml").read_text("utf-8") == MESSY


def test_fmt_rewrites_the_files_then_check_passes(two_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_files)
    runner = CliRunner()
    result = runner.invoke(main, ["fmt", "data"])
    assert (result.exit_code, result.output) == (
        0, "已整理：data/2023/indicators/LS-09.yaml\n共 2 个文件，整理了 1 个。\n")
    assert (two_files / "data/2023/indicators/LS-09.yaml").read_text("utf-8") == CANONICAL
    result = runner.invoke(main, ["fmt", "--check", "data"])
    assert (result.exit_code, result.output) == (0, "共 2 个文件，0 个格式不规范。\n")


def test_fmt_reports_a_broken_file_and_exits_1(two_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_files)
    (two_files / "data/2023/indicators/LS-10.yaml").write_text("id: LS-10\n\tname: 甲\n", "utf-8")
    result = CliRunner().invoke(main, ["fmt", "--check", "data/2023/indicators/LS-10.yaml"])
    assert result.exit_code == 1
    assert "data/2023/indicators/LS-10.yaml:2:1: 错误 tab-indent" in result.output


def test_files_of_a_published_edition_are_left_alone(two_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_files)
    (two_files / "data/2023/manifest.json").write_text("{}", "utf-8")
    result = CliRunner().invoke(main, ["fmt", "data"])
    assert (result.exit_code, result.output) == (
        0, "共 0 个文件，整理了 0 个。\n另有 2 个文件属于已发布的版本，数据冻结，没有整理。\n")
    assert (two_files / "data/2023/indicators/LS-09.yaml").read_text("utf-8") == MESSY

