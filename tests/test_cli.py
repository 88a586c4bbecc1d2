"""`checkup validate` through click's runner: exit codes and the words users read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from casefiles import build_case
from checkup.check.validate import check_data
from checkup.cli import main
from editionyears import LATEST_PUBLISHED, draft_years, published_years


def _validate(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> Result:
    """Run `checkup validate` on a case from inside its data directory, as a clerk would."""
    data = build_case(name, tmp_path / "data", monkeypatch)
    monkeypatch.chdir(data)
    return CliRunner().invoke(main, ["validate", ".", *options])


def test_valid_data_exit_0_and_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _validate("base", tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert result.stdout == "数据检查通过，没有发现错误。\n"


def test_data_with_errors_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _validate("wrong-type", tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stdout.endswith("共 7 个错误，0 个警告。\n")


CLICK_ENGLISH = ("Usage", "Error", "Try ", "No such", "Invalid", "Missing", "does not", "Got unexpected",
                 "requires", "Options", "Commands", "Show this", "Aborted", "default:", "[OPTIONS]", "DIRECTORY",
                 "FILE", "INTEGER", "TEXT")


@pytest.mark.parametrize(("args", "said"), [
    (["validate", "{tmp}/nowhere"], "DATA_DIR：文件夹“{tmp}/nowhere”不存在。"),
    (["validate", "{tmp}", "--format", "xml"], "--format 只能写 text、json 中的一个。"),
    (["validate", "--format"], "选项 --format 后面要写上它的值。"),
    (["validate", "--strict=yes"], "选项 --strict 后面不用写值"),
    (["validate", "--nope"], "没有 --nope 这个选项。"),
    (["validat"], "没有“validat”这个命令。你是不是要写 validate？"),
    (["validate", "{tmp}", "extra"], "多写了参数：extra。"),
    (["new-edition"], "缺少参数 YEAR"),
    (["new-edition", "next"], "YEAR 要写一个整数"),
])
def test_a_wrong_command_line_is_explained_in_chinese_with_the_usage(tmp_path: Path, args: list[str],
                                                                     said: str) -> None:
    result = CliRunner().invoke(main, [arg.format(tmp=tmp_path) for arg in args], prog_name="checkup")
    assert result.exit_code == 2
    assert said.format(tmp=tmp_path) in result.output
    assert result.output.startswith("用法：checkup") or "后面" in said
    assert not [word for word in CLICK_ENGLISH if word in result.output], result.output


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], *([name, "--help"] for name in sorted(main.commands))])
def test_help_and_version_are_in_chinese(args: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="checkup")
    assert result.output.startswith("用法：checkup") or result.output.startswith("checkup 版本")
    assert not [word for word in CLICK_ENGLISH if word in result.output], result.output


def test_an_interrupted_command_says_so_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("checkup.check.validate.check_data", interrupted)
    result = CliRunner().invoke(main, ["validate", "."])
    assert result.exit_code == 1
    assert result.output == "已中止。没有留下写了一半的文件。\n"


@pytest.mark.parametrize("name", ["base", "wrong-type", "survey-too-small", "gbk-text", "unknown-file"])
def test_json_output_is_the_library_findings(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _validate(name, tmp_path, monkeypatch, "--format", "json")
    assert json.loads(result.stdout) == [f.to_dict() for f in check_data(Path(".")).findings]


def test_warnings_alone_pass_but_fail_with_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_case("survey-too-small", tmp_path / "data", monkeypatch)
    monkeypatch.chdir(data)
    runner = CliRunner()
    assert runner.invoke(main, ["validate", "."]).exit_code == 0
    assert runner.invoke(main, ["validate", ".", "--strict"]).exit_code == 1


def test_an_error_is_reported_in_the_words_a_clerk_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _validate("no-is-not-false", tmp_path, monkeypatch)
    assert result.stdout == (
        "2023/edition.yaml:4:10: 错误 wrong-type [/example] “示例数据”应为 true 或 false，现在是文字“no”。\n"
        "    修改方法：改为 true 或 false。是写 true，否写 false；不要写 yes、no、是、否。\n"
        "共 1 个错误，0 个警告。\n"
    )


def test_a_warning_is_reported_in_the_words_a_clerk_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _validate("survey-too-small", tmp_path, monkeypatch)
    assert result.stdout == (
        "2023/survey.yaml:4:23: 警告 survey-too-small [/valid_questionnaires] 有效问卷 2800 份，少于 3000 份。\n"
        "    修改方法：社会满意度调查每年有效问卷应不少于 3000 份：请补充样本；"
        "确实无法补充时，在 survey.yaml 的 notes 中说明原因（这条警告仍会显示）。\n"
        "共 0 个错误，1 个警告。\n"
    )


# -- checkup assess -------------------------------------------------------------------------------
def _assess(monkeypatch: pytest.MonkeyPatch, *options: str) -> Result:
    from checkup import paths

    monkeypatch.chdir(paths.ROOT)
    return CliRunner().invoke(main, ["assess", "data", *options])


def test_assess_lists_every_verdict_with_its_inputs_and_the_rule_that_decided(
        monkeypatch: pytest.MonkeyPatch) -> None:
    result = _assess(monkeypatch, "--edition", "2023")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2023 年度版本 data/2023 的评估结果，依据 data/2023/rules.yaml"
    assert ("  XT-01 常住人口数量：已达标（在达标范围内） 2023年为430.9万人，较2020年基期值421.6万人增加9.3万人，"
            "较上年增加3.4万人，已达到2025年目标（440万人左右）。") in lines
    assert ("  RW-008 建设应急避难场所：未按期完成 截至2023年累计完成23处，占目标30处的76.7%；"
            "实施期限（2021—2023年）已过，未按期完成，尚余7处。2023年进展：新建、提升应急避难场所9处，累计23处，"
            "未完成三年目标，剩余7处结转2024年。") in lines
    assert ("  总体得分 64.1，为全部题目得分的平均数（每题权重相同），95% 置信区间 63.3–64.9（3161 人）；"
            "调查报告公布 64.1，相差 +0.02") in lines
    assert {"指标（56 项）", "满意度调查"} <= set(lines)
    assert not any("预计完成" in line for line in lines)  # every task of 2023 has its period over


def test_assess_json_is_the_librarys_own_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkup.assess import assess_edition
    from checkup.assess.report import assessment_document

    result = _assess(monkeypatch, "--format", "json", "--edition", str(LATEST_PUBLISHED))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    edition = check_data(Path("data")).editions[LATEST_PUBLISHED]
    assert body == json.loads(json.dumps(assessment_document(edition, assess_edition(edition)), ensure_ascii=False))
    xt = next(row for row in body["indicators"] if row["id"] == "XT-01")
    assert (xt["status"], xt["word"], xt["rule"], xt["inputs"]["condition"], xt["inputs"]["progress"]) == (
        "reached", "已达标", "reached", "430–450万人（440±10）", 1.0)
    assert {row["status"] for row in body["tasks"]} >= {"overdue", "suspended", "done"}
    assert len(body["survey"]["dimensions"]) == 6


def test_assess_an_edition_that_is_not_there_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _assess(monkeypatch, "--edition", "2019")
    assert result.exit_code == 2
    years = "、".join(str(year) for year in [*published_years(), *draft_years()])
    assert result.stderr == f"错误：没有可以评估的 2019 年版本（有：{years}）。\n"


def test_assess_data_with_errors_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_case("missing-departments-file", tmp_path / "data", monkeypatch)
    monkeypatch.chdir(data)
    result = CliRunner().invoke(main, ["assess", "."])
    assert result.exit_code == 1
    assert "错误 missing-file" in result.stderr
