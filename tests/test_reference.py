"""The clerks' reference pages, the review owners and the editor settings cover everything they name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from checkup import paths
from checkup.check.schema import SCHEMA_NAMES, load_schema
from checkup.cli import main
from checkup.findings import CODES
from checkup.read.load import edition_folders
from checkup.read.yamlio import load_file
from checkup.staff.codeowners import build_codeowners, read_team_map
from checkup.staff.reference import (
    PLACEHOLDER_NAMES,
    REFERENCE_SCHEMAS,
    codes_markdown,
    fields_markdown,
    placeholders,
    readable_template,
)

TEAM_MAP = paths.ROOT / ".github" / "department-teams.example.yaml"
CODEOWNERS_EXAMPLE = paths.ROOT / ".github" / "CODEOWNERS.example"
VSCODE = paths.ROOT / ".vscode"
GUIDE = paths.CONTENT_DIR / "guide"


def properties(node: Any, root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, nested ones included, with its resolved definition."""
    while isinstance(node, dict) and "$ref" in node:
        node = {**root["$defs"][node["$ref"].removeprefix("#/$defs/")],
                **{k: v for k, v in node.items() if k != "$ref"}}
    if not isinstance(node, dict):
        return
    for key, prop in node.get("properties", {}).items():
        resolved = prop
        while "$ref" in resolved:
            resolved = {**root["$defs"][resolved["$ref"].removeprefix("#/$defs/")],
                        **{k: v for k, v in resolved.items() if k != "$ref"}}
        yield key, resolved
        yield from properties(resolved, root)
        yield from properties(resolved.get("items"), root)


@pytest.mark.parametrize("name", REFERENCE_SCHEMAS)
def test_every_schema_property_appears_in_the_field_reference_with_its_title(name: str) -> None:
    page = fields_markdown()
    schema = load_schema(name)
    missing = [key for key, prop in properties(schema, schema)
               if f"| `{key}` | {prop.get('title', key)} |" not in page]
    assert missing == []
    assert f"## {schema['title']}（" in page


def test_the_field_reference_shows_descriptions_and_examples_as_a_data_file_writes_them() -> None:
    page = fields_markdown()
    assert "| `values` | 全市逐年数值 | 逐年数值 | 必填 | 以年份为键、数值为值，例如 2022: 12.4。没有数据的年份不写。 | " \
           "`{2021: 12.1, 2022: 12.4}` |" in page
    assert "| `deadline` | 报送截止日期 | 日期 |  | " in page and '`"2024-11-28"`' in page
    assert "### targets 的每一项：规划目标" in page


def test_every_code_appears_in_the_code_reference_under_its_group() -> None:
    page = codes_markdown()
    sections = re.split(r"^## ", page, flags=re.MULTILINE)[1:]
    where = {code: section.split("\n", 1)[0] for section in sections
             for code in re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE)}
    assert where == {code: entry.group for code, entry in CODES.items()}


def test_every_placeholder_of_every_code_has_a_chinese_name() -> None:
    used = {name for entry in CODES.values() for t in (entry.message, entry.hint) for name in placeholders(t)}
    assert sorted(used - set(PLACEHOLDER_NAMES)) == []


def test_a_template_reads_with_its_placeholders_named() -> None:
    assert readable_template("“{title}”应为{expected}。") == "“〈字段〉”应为〈应有的写法〉。"
    assert readable_template("- {{year: {year}, note: 原因}}") == "- {year: 〈年份〉, note: 原因}"
    assert "{" not in readable_template(CODES["wrong-type"].message)


# -- review owners ------------------------------------------------------------------
def test_codeowners_covers_every_indicator_task_and_problem_file_of_the_latest_edition(example_data: Path) -> None:
    latest = edition_folders(example_data)[-1]
    owners = build_codeowners(example_data, read_team_map(TEAM_MAP))
    records = {f"/data/{latest.name}/{p.relative_to(latest).as_posix()}"
               for folder in paths.RECORD_FOLDERS for p in (latest / folder).glob("*.yaml")}
    assert records and records <= set(owners.files)
    assert owners.unmapped == set()


def test_each_record_file_is_owned_by_the_teams_of_its_departments(example_data: Path) -> None:
    teams = read_team_map(TEAM_MAP)
    owners = build_codeowners(example_data, teams)
    latest = edition_folders(example_data)[-1].name
    assert owners.files[f"/data/{latest}/indicators/AQ-01.yaml"] == ("@example-city/slj",)
    assert owners.files[f"/data/{latest}/edition.yaml"] == (teams.default,)
    line = next(line for line in owners.text.splitlines() if "/problems/WT-2021-02.yaml" in line)
    assert line.split()[1:] == ["@example-city/slj", "@example-city/zjw", "@example-city/nhq", "@example-city/dhq"]


def test_the_shipped_codeowners_example_is_what_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(paths.ROOT)
    result = CliRunner().invoke(main, ["codeowners"])
    assert result.exit_code == 0
    assert result.output == CODEOWNERS_EXAMPLE.read_text("utf-8"), \
        "regenerate it: checkup codeowners > .github/CODEOWNERS.example"


def test_every_department_of_the_example_data_has_a_team(example_data: Path) -> None:
    teams = read_team_map(TEAM_MAP)
    for folder in edition_folders(example_data):
        departments = load_file(folder / "departments.yaml", "departments.yaml").value["departments"]
        assert {d["id"] for d in departments} <= set(teams.teams), folder.name


# -- editor support ------------------------------------------------------------------
def test_every_schema_is_associated_with_data_files_and_every_glob_matches(example_data: Path) -> None:
    settings = json.loads((VSCODE / "settings.json").read_text("utf-8"))
    mapping: dict[str, list[str]] = dict(settings["yaml.schemas"])
    for entry in settings["json.schemas"]:  # GeoJSON is JSON: VS Code's own JSON support checks it
        mapping[entry["url"]] = entry["fileMatch"]
    mapped = {Path(schema).name for schema in mapping}
    wanted = {f"{name}.schema.json" for name in SCHEMA_NAMES}
    assert mapped == wanted
    for schema, globs in mapping.items():
        assert (paths.ROOT / schema).is_file(), schema
        for glob in globs:
            assert glob.startswith("data/")
            matches = list(paths.ROOT.glob(glob))
            assert matches, glob
            rels = {Path(*p.relative_to(example_data).parts[1:]).as_posix() for p in matches}
            assert {paths.schema_for(rel) for rel in rels} == {Path(schema).name.removesuffix(".schema.json")}


def test_the_editor_recommends_the_yaml_extension() -> None:
    extensions = json.loads((VSCODE / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


# -- the guide ------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["index.md", "indicators.md", "tasks.md", "problems.md", "errors.md"])
def test_each_guide_page_exists_with_a_title(page: str) -> None:
    text = (GUIDE / page).read_text("utf-8")
    assert re.search(r"^# \S", text, flags=re.MULTILINE)


def test_the_guide_documents_every_command_for_department_staff() -> None:
    text = "\n".join(p.read_text("utf-8") for p in sorted(GUIDE.glob("*.md")))
    for command in ("export-template", "import", "fmt", "validate", "codeowners"):
        assert f"checkup {command}" in text, command
    assert "fields.md" in text and "codes.md" in text


def test_the_guide_names_only_commands_that_exist() -> None:
    text = "\n".join(p.read_text("utf-8") for p in sorted(GUIDE.glob("*.md")))
    named = set(re.findall(r"checkup ([a-z][a-z-]+)", text))
    assert sorted(named - set(main.commands)) == []
