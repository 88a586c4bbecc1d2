"""Rules as data: validated by their schema, recorded by each edition, sealed by its manifest, shown in diffs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checkup import paths
from checkup.assess import DEFAULT_RULES, Rules, assess_edition, rules, rules_document, rules_for
from checkup.assess.rules import rules_yaml
from checkup.check.schema import check_document
from checkup.check.validate import check_data
from checkup.cli import main
from checkup.editions.diff import STATUS, diff_editions
from checkup.editions.diff_report import render_text
from checkup.editions.publish import publish_edition
from editionyears import LATEST_PUBLISHED, NEXT, only_published, published_years


def statuses(edition) -> dict[str, str]:
    a = assess_edition(edition)
    return {**{k: v.status for k, v in a.indicators.items()}, **{k: v.pace for k, v in a.tasks.items()}}


def test_the_shipped_defaults_pass_the_rules_schema() -> None:
    text = rules_yaml(DEFAULT_RULES)
    assert check_document("rules", yaml.safe_load(text), "rules.yaml", text) == []


def test_a_rules_file_without_a_threshold_is_refused_by_its_schema() -> None:
    doc = rules_document(DEFAULT_RULES)
    del doc["indicators"]["stable_band"]
    doc["tasks"]["pace_tolerance"] = 5  # a share is written as a decimal
    found = check_document("rules", doc, "data/2024/rules.yaml", yaml.safe_dump(doc, allow_unicode=True))
    assert {(f.pointer, f.code) for f in found} == {("/indicators/stable_band", "missing-field"),
                                                    ("/tasks/pace_tolerance", "out-of-range")}


def test_every_published_example_edition_records_its_rules() -> None:
    editions = only_published(check_data(paths.DATA_DIR).editions)
    assert sorted(editions) == published_years()
    for year, edition in editions.items():
        assert edition.status == "published" and edition.rules is not None, year
        assert rules_for(edition) == DEFAULT_RULES, year  # today's defaults, recorded by a logged correction
        assert any("rules.yaml" in c.files for c in edition.corrections), year


def test_changing_a_default_in_the_code_never_changes_a_published_editions_verdicts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    editions = only_published(check_data(paths.DATA_DIR).editions)
    before = {year: statuses(e) for year, e in editions.items()}
    other = Rules(stable_band=0.2, about_tolerance=0.3, equals_tolerance=0.2, pace_tolerance=0.5,
                  warning_tolerance=0.5, survey_overall="dimensions")
    monkeypatch.setattr(rules, "DEFAULT_RULES", other)
    assert {year: statuses(e) for year, e in editions.items()} == before
    # A draft without its own rules follows the defaults: the change would have shown there.
    draft = dataclasses.replace(editions[LATEST_PUBLISHED], rules=None, status="draft")
    assert statuses(draft) != before[LATEST_PUBLISHED]
    assert assess_edition(draft).survey.definition == "dimensions"  # type: ignore[union-attr]


def test_a_city_sets_its_own_threshold_and_a_reviewer_sees_it_first_in_the_diff(data_copy: Path) -> None:
    old = check_data(data_copy).editions[2023]
    path = data_copy / "2023/rules.yaml"
    path.write_text(path.read_text("utf-8").replace("stable_band: 0.01", "stable_band: 0.05"), "utf-8")
    new = check_data(data_copy).editions[2023]
    assert rules_for(new).stable_band == 0.05
    diff = diff_editions(old, new)
    assert [(c.record, c.field, c.old, c.new) for c in diff.changes if c.record == "rules"] == [
        ("rules", "indicators.stable_band", 0.01, 0.05)]
    moved = diff.group(STATUS)
    assert moved and diff.changes[:len(moved)] == moved  # status changes come before every other change
    text = render_text(diff)
    assert "  评估规则 rules.yaml：稳定幅度由“0.01”改为“0.05”" in text
    assert text.index("评估状态变化") < text.index("口径变化与其他修改")


def test_publishing_a_draft_records_the_rules_it_is_assessed_with(data_copy: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["new-edition", str(NEXT), "--data-dir", str(data_copy)])
    assert result.exit_code == 0, result.output
    (data_copy / f"{NEXT}/rules.yaml").unlink(missing_ok=True)  # a draft that never recorded rules
    done = publish_edition(data_copy, NEXT)
    assert done.recorded_rules
    assert (data_copy / f"{NEXT}/rules.yaml").read_text("utf-8") == rules_yaml(DEFAULT_RULES)
    assert '"rules.yaml"' in done.manifest.read_text("utf-8")
