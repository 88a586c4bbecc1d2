"""Published editions are frozen: `checkup publish`, the manifest, corrections, revision notes, new editions."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from casefiles import BASE_DIR
from checkup import paths
from checkup.check.frozen import check_published, read_manifest
from checkup.check.validate import check_data
from checkup.cli import main
from checkup.editions import publish
from checkup.editions.newedition import canonical_bytes, new_edition
from checkup.editions.publish import EditionError, publish_edition
from checkup.read.load import read_edition, read_edition_mapping
from checkup.staff.textedit import drop_key, replace_in_key, set_key
from editionyears import LATEST_PUBLISHED, NEXT, draft_years

PUBLISHED_ON = date(2024, 11, 28)


class _FixedDate(date):
    @classmethod
    def today(cls) -> _FixedDate:
        return cls(2024, 11, 28)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base test edition in data/2023, as a draft; the test runs inside data/."""
    target = tmp_path / "data"
    shutil.copytree(BASE_DIR, target)
    monkeypatch.chdir(target)
    monkeypatch.setattr(publish, "date", _FixedDate)
    return target


@pytest.fixture
def published(data: Path) -> Path:
    publish_edition(data, 2023)
    return data


def codes(data: Path) -> list[tuple[str, int | None, str]]:
    return [(f.file, f.line, f.code) for f in check_data(Path(".")).findings]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def log_correction(data: Path, *files: str, year: int = 2023, what: str = "更正东湖区数值") -> None:
    path = data / str(year) / "corrections.yaml"
    text = path.read_text("utf-8").replace("corrections: []", "corrections:")
    path.write_text(text + f'  - date: "2025-03-18"\n    files: [{", ".join(files)}]\n    what: {what}\n'
                    "    why: 录入错误\n    who: 市规划资源局\n", "utf-8")


# -- checkup publish --------------------------------------------------------------------------------------

def test_publish_edits_only_the_status_and_date_lines_and_keeps_comments(data: Path) -> None:
    edition = data / "2023/edition.yaml"
    edit(edition, "status: draft", "# 发布前由审核人确认\nstatus: draft  # 草稿")
    before = edition.read_text("utf-8")
    result = CliRunner().invoke(main, ["publish", "2023", "--data-dir", "."])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("已发布 2023 年版本（发布日期 2024-11-28）。\n"
                             "已写入本版本的评估规则 rules.yaml，随发布清单封存。\n"
                             "发布清单 2023/manifest.json 列出 12 个数据文件。\n")
    assert edition.read_text("utf-8") == before.replace(
        "status: draft  # 草稿\n", 'status: published  # 草稿\npublished_on: "2024-11-28"\n')


def test_the_manifest_lists_every_data_file_but_the_log_with_the_sha256_of_its_bytes(published: Path) -> None:
    folder = published / "2023"
    text = (folder / paths.MANIFEST_FILE).read_text("utf-8")
    body = json.loads(text)
    expected = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.suffix in (".yaml", ".geojson")
                and p.name != "corrections.yaml"}
    assert "areas.geojson" in expected
    assert body == {"format": 1, "edition": 2023, "published_on": "2024-11-28", "files": expected,
                    "corrections": []}
    assert text == json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    publish_edition(published, 2023)
    assert (folder / paths.MANIFEST_FILE).read_text("utf-8") == text  # publishing again changes nothing


def test_a_published_edition_with_its_manifest_passes_validate(published: Path) -> None:
    assert codes(published) == []


def _change(data: Path) -> None:
    edit(data / "2023/indicators/LS-01.yaml", "2022: 12.6", "2022: 12.7")


def _remove(data: Path) -> None:
    (data / "2023/indicators/LS-02.yaml").unlink()


def _add(data: Path) -> None:
    text = (data / "2023/indicators/LS-02.yaml").read_text("utf-8").replace("id: LS-02", "id: LS-03")
    (data / "2023/indicators/LS-03.yaml").write_text(text, "utf-8")


def _unpublish(data: Path) -> None:
    edit(data / "2023/edition.yaml", "status: published", "status: draft")


def _lose_manifest(data: Path) -> None:
    (data / "2023/manifest.json").unlink()


def _spoil_manifest(data: Path) -> None:
    (data / "2023/manifest.json").write_text("{", "utf-8")


@pytest.mark.parametrize(("action", "expected"), [
    (_change, [("2023/indicators/LS-01.yaml", None, "published-changed")]),
    (_remove, [("2023/indicators/LS-02.yaml", None, "published-removed")]),
    (_add, [("2023/indicators/LS-03.yaml", None, "published-added")]),
    (_unpublish, [("2023/edition.yaml", None, "published-changed")]),
    (_lose_manifest, [("2023/edition.yaml", 6, "manifest-missing")]),
    (_spoil_manifest, [("2023/manifest.json", None, "published-changed")]),
])
def test_a_published_edition_cannot_change_silently(published: Path, action, expected) -> None:  # type: ignore[no-untyped-def]
    action(published)
    assert codes(published) == expected


def test_the_messages_say_what_happened_to_which_file(published: Path) -> None:
    _remove(published)
    _lose_manifest(published)
    assert [(f.message, f.hint) for f in check_data(Path(".")).findings] == [
        ("版本状态是 published，但没有发布清单 manifest.json。", "运行 checkup publish 2023 生成发布清单。")]
    publish_edition(published, 2023)
    _change(published)
    found = check_data(Path(".")).findings
    assert [f.message for f in found] == ["这个文件属于已发布的 2023 年版本，发布后被修改过，但没有登记更正。"]


def test_the_check_reads_the_same_from_files_in_memory_as_from_disk(published: Path) -> None:
    _change(published)
    folder = published / "2023"
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    raw = read_edition_mapping("2023", "2023", files)
    assert check_published(raw) == check_published(raw, files) == check_published(read_edition(folder, "2023"))
    assert [f.code for f in check_published(raw)] == ["published-changed"]


# -- corrections ---------------------------------------------------------------------------------------------

def test_a_change_named_by_a_correction_passes_and_publish_correction_seals_it(published: Path) -> None:
    _change(published)
    log_correction(published, "indicators/LS-01.yaml")
    assert codes(published) == []
    result = CliRunner().invoke(main, ["publish", "2023", "--data-dir", ".", "--correction"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("已确认 1 条更正：2025-03-18 indicators/LS-01.yaml。\n"
                             "发布清单 2023/manifest.json 列出 12 个数据文件。\n")
    manifest = read_manifest((published / "2023/manifest.json").read_bytes())
    assert manifest is not None
    assert [(c["date"], c["files"]) for c in manifest.corrections] == [("2025-03-18", ["indicators/LS-01.yaml"])]
    assert codes(published) == []
    edit(published / "2023/indicators/LS-01.yaml", "2022: 12.7", "2022: 12.9")  # a sealed entry excuses nothing
    assert codes(published) == [("2023/indicators/LS-01.yaml", None, "published-changed")]


def test_publish_correction_refuses_a_changed_file_that_no_correction_names(published: Path) -> None:
    _change(published)
    _remove(published)
    log_correction(published, "indicators/LS-01.yaml")
    result = CliRunner().invoke(main, ["publish", "2023", "--data-dir", ".", "--correction"])
    assert result.exit_code == 1
    assert result.stderr == ("错误：已发布的 2023 年版本有 1 个文件与发布清单不一致：indicators/LS-02.yaml。"
                             "先在 corrections.yaml 中登记这些文件的更正。\n")


def test_publish_without_correction_points_to_the_flag(published: Path) -> None:
    _change(published)
    runner = CliRunner()
    assert runner.invoke(main, ["publish", "2023", "--data-dir", "."]).stderr == (
        "错误：已发布的 2023 年版本有 1 个文件与发布清单不一致：indicators/LS-01.yaml。"
        "在 corrections.yaml 中登记更正后运行 checkup publish 2023 --correction。\n")
    log_correction(published, "indicators/LS-01.yaml")
    assert runner.invoke(main, ["publish", "2023", "--data-dir", "."]).stderr == (
        "错误：已发布的 2023 年版本有 1 个文件与发布清单不一致：indicators/LS-01.yaml。"
        "这些文件已在 corrections.yaml 中登记更正，运行 checkup publish 2023 --correction 确认。\n")


def test_a_sealed_correction_must_stay_in_the_log_as_it_was(published: Path) -> None:
    _change(published)
    log_correction(published, "indicators/LS-01.yaml")
    publish_edition(published, 2023, correction=True)
    log = published / "2023/corrections.yaml"
    text = log.read_text("utf-8")
    log.write_text("# 更正记录\n" + text.replace("    why: 录入错误\n", "").replace(
        "    what: 更正东湖区数值\n", "    why: 录入错误\n    what: 更正东湖区数值\n"), "utf-8")
    assert codes(published) == []  # reordered and commented: the same entry
    edit(log, "录入错误", "口径调整")
    assert codes(published) == [("2023/corrections.yaml", None, "published-changed")]
    with pytest.raises(EditionError, match="已登记的更正被修改或删除了"):
        publish_edition(published, 2023, correction=True)


def test_publish_refuses_an_edition_with_errors_and_lists_them(data: Path) -> None:
    edit(data / "2023/indicators/LS-01.yaml", "unit: 平方米/人", "unit: [平方米]")
    result = CliRunner().invoke(main, ["publish", "2023", "--data-dir", "."])
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：2023 年版本有 1 个错误，改正后才能发布。\n2023/indicators/LS-01.yaml:5:7:")
    assert not (data / "2023/manifest.json").exists()


def test_publish_correction_needs_a_first_publication(data: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "2023", "--data-dir", ".", "--correction"])
    assert result.stderr == "错误：2023 年版本还没有发布清单，先运行 checkup publish 2023。\n"


# -- revision notes ------------------------------------------------------------------------------------------

@pytest.fixture
def two_years(published: Path) -> Path:
    new_edition(published, 2024)
    return published


@pytest.mark.parametrize(("revisions", "expected"), [
    ("", [("2024/indicators/LS-01.yaml", 12, "2022 年全市的数值由 12.6 改为 12.8，但没有修订说明。"),
          ("2024/indicators/LS-01.yaml", 14, "2023 年东湖区的数值由 11.8 改为 12，但没有修订说明。")]),
    ("revisions:\n  - {year: 2022, note: 园林局复核}\n",
     [("2024/indicators/LS-01.yaml", 14, "2023 年东湖区的数值由 11.8 改为 12，但没有修订说明。")]),
    ("revisions:\n  - {year: 2022, note: 园林局复核}\n  - {year: 2023, area: xihu, note: 西湖区复核}\n",
     [("2024/indicators/LS-01.yaml", 14, "2023 年东湖区的数值由 11.8 改为 12，但没有修订说明。")]),
    ("revisions:\n  - {year: 2022, note: 园林局复核}\n  - {year: 2023, area: donghu, note: 东湖区复核}\n", []),
    ("revisions:\n  - {year: 2022, note: 园林局复核}\n  - {year: 2023, note: 全年数据重算}\n", []),
])
def test_a_revised_earlier_value_needs_a_note_for_its_year_and_area(two_years: Path, revisions: str,
                                                                    expected: list) -> None:  # type: ignore[type-arg]
    path = two_years / "2024/indicators/LS-01.yaml"
    edit(path, "2022: 12.6", "2022: 12.8")
    edit(path, "2023: 11.8", "2023: 12.0")
    path.write_text(path.read_text("utf-8") + revisions, "utf-8")
    found = [f for f in check_data(Path(".")).findings if f.code == "revision-without-note"]
    assert [(f.file, f.line, f.message) for f in found] == expected
    assert all(f.severity == "warning" and f.hint.startswith("在这个指标的 revisions 中写明修订原因") for f in found)
    runner = CliRunner()
    assert runner.invoke(main, ["validate", "."]).exit_code == 0
    assert runner.invoke(main, ["validate", ".", "--strict"]).exit_code == (1 if expected else 0)


def test_a_renamed_indicator_keeps_its_history_for_the_note_check(two_years: Path) -> None:
    old = two_years / "2024/indicators/LS-02.yaml"
    text = old.read_text("utf-8").replace("id: LS-02", "id: LS-12\nreplaces: LS-02").replace("2022: 78.2", "2022: 78.0")
    old.unlink()
    (two_years / "2024/indicators/LS-12.yaml").write_text(text, "utf-8")
    assert [(f.file, f.code) for f in check_data(Path(".")).findings] == [
        ("2024/indicators/LS-12.yaml", "revision-without-note")]


# -- checkup new-edition ---------------------------------------------------------------------------------

def test_new_edition_starts_a_draft_from_the_latest_edition(data: Path) -> None:
    edit(data / "2023/edition.yaml", "year: 2023", "# 测试市2023年度版本\nyear: 2023")
    published = data
    publish_edition(published, 2023)
    result = CliRunner().invoke(main, ["new-edition", "2024", "--data-dir", "."])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("已从 2023 年版本新建 2024 年草稿版本 2024，复制 12 个文件。\n"
                             "没有复制：manifest.json、survey.yaml（发布清单和社会满意度调查每年重新生成和填写）。\n")
    old, new = published / "2023", published / "2024"
    assert (new / "edition.yaml").read_text("utf-8") == (old / "edition.yaml").read_text("utf-8").replace(
        "2023", "2024").replace("status: published", "status: draft").replace('published_on: "2024-11-28"\n', "")
    assert (new / "corrections.yaml").read_text("utf-8") == "corrections: []\n"
    assert not (new / "survey.yaml").exists() and not (new / "manifest.json").exists()
    for rel in ("indicators/LS-01.yaml", "tasks/RW-01.yaml", "problems/WT-2022-01.yaml", "departments.yaml"):
        assert (new / rel).read_bytes() == canonical_bytes((old / rel).read_bytes(), rel)  # same values, fmt's form
    assert (new / "areas.geojson").read_bytes() == (old / "areas.geojson").read_bytes()  # JSON is copied as it is
    assert codes(published) == []


def test_a_new_edition_of_the_example_data_passes_fmt_check_at_once(data_copy: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_copy.parent)
    made = CliRunner().invoke(main, ["new-edition", str(NEXT)])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(main, ["fmt", "--check"])
    assert result.exit_code == 0, result.output
    drafts = draft_years(data_copy)
    checked = sum(len(list((data_copy / str(year)).rglob("*.yaml"))) for year in drafts)
    assert NEXT in drafts and f"共 {checked} 个文件，0 个格式不规范。" in result.output  # rules.yaml is copied too
    # The planner short of days in the latest published edition is named in it and in the new one, and nothing else.
    found = {(f.file.split("/")[-2], f.code) for f in check_data(data_copy).findings}
    assert {code for _, code in found} == {"planner-days-short"}
    assert {(str(LATEST_PUBLISHED), "planner-days-short"), (str(NEXT), "planner-days-short")} <= found


def test_the_first_diff_of_a_new_edition_shows_only_the_year_and_the_missing_survey(published: Path) -> None:
    new_edition(published, 2024)
    result = CliRunner().invoke(main, ["diff", "2023", "2024"])
    assert result.exit_code == 1
    assert result.stdout == """\
比较 2023（2023）→ 2024（2024）
删除 0 · 修订 0（无修订说明 0） · 口径变化 0 · 其他修改 2 · 新增 0 · 状态变化 0（变好 0，变差 0）

口径变化与其他修改（2）
  版本信息：年度由“2023”改为“2024”
  满意度调查：还没有 2024 年的社会满意度调查（2023 年有）
"""


@pytest.mark.parametrize(("year", "message"), [
    (2023, "错误：2023 年的版本文件夹 2023 已经存在。\n"),
    (2022, "错误：已有更晚的 2023 年版本，不能新建 2022 年版本。\n"),
])
def test_new_edition_refuses_a_year_that_exists_or_is_older(data: Path, year: int, message: str) -> None:
    result = CliRunner().invoke(main, ["new-edition", str(year), "--data-dir", "."])
    assert result.exit_code == 1
    assert result.stderr == message


# -- line edits that keep comments ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "edit_", "expected"), [
    ("a: 1\nstatus: draft  # 草稿\nb: 2\n", lambda t: set_key(t, "status", "published"),
     "a: 1\nstatus: published  # 草稿\nb: 2\n"),
    ('title: "a # b"  # c\n', lambda t: set_key(t, "title", "x"), "title: x  # c\n"),
    ("status: draft\nb: 2", lambda t: set_key(t, "published_on", '"2024-01-01"', after="status"),
     'status: draft\npublished_on: "2024-01-01"\nb: 2'),
    ("a: 1", lambda t: set_key(t, "b", "2"), "a: 1\nb: 2\n"),
    ("a: 1\npublished_on: >-\n  2024\n\n  x\n# 下一项\nb: 2\n", lambda t: drop_key(t, "published_on"),
     "a: 1\n# 下一项\nb: 2\n"),
    ("title: 2023年度 # 2023\nyear: 2023\n", lambda t: replace_in_key(t, "title", "2023", "2024"),
     "title: 2024年度 # 2024\nyear: 2023\n"),
    ("areas:\n- id: a\n- id: b\nyear: 1\n", lambda t: drop_key(t, "areas"), "year: 1\n"),
])
def test_line_edits_change_one_top_level_key_and_nothing_else(text: str, edit_, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert edit_(text) == expected


# -- the example data ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_every_example_edition_is_published_with_a_manifest_that_matches(year: int) -> None:
    raw = read_edition(paths.DATA_DIR / str(year))
    assert raw.documents["edition.yaml"].value["status"] == "published"
    assert check_published(raw) == []
    manifest = read_manifest(raw.manifest or b"")
    assert manifest is not None
    assert len(manifest.corrections) == len(raw.documents["corrections.yaml"].value["corrections"])


def test_the_2022_example_edition_logs_a_sealed_correction() -> None:
    raw = read_edition(paths.DATA_DIR / "2022")
    manifest = read_manifest(raw.manifest or b"")
    assert manifest is not None and [c["files"] for c in manifest.corrections] == [["indicators/GX-02.yaml"],
                                                                                    ["rules.yaml"]]
