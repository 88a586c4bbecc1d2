"""`checkup validate` through click's runner: exit codes and the words users read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from casefiles import build_case
from checkup.check.validate import check_data
from checkup.cli import main


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


def test_a_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2


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
