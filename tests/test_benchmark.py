"""The synthetic data generator and the benchmark script: smoke tests only, nothing is timed here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checkup import paths
from checkup.check.validate import check_data
from checkup.synth import write_synthetic_data

BENCHMARK = paths.ROOT / "scripts" / "benchmark.py"
TINY = {"areas": 3, "indicators": 8, "years": 4, "tasks": 10, "problems": 6}
TINY_ARGS = ["--areas", "2", "--indicators", "5", "--years", "3", "--tasks", "5", "--problems", "3", "--runs", "1"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_small_synthetic_edition_validates_without_findings(tmp_path: Path) -> None:
    result = check_data(write_synthetic_data(tmp_path, **TINY))
    assert result.findings == []
    (edition,) = result.editions.values()
    assert (len(edition.indicators), len(edition.tasks), len(edition.problems)) == (8, 10, 6)


def test_a_synthetic_edition_with_quarterly_progress_validates_and_reports_four_quarters(tmp_path: Path) -> None:
    result = check_data(write_synthetic_data(tmp_path, **TINY, quarterly=True))
    assert result.findings == []
    (edition,) = result.editions.values()
    reporting = [t for t in edition.tasks.values() if t.in_year]
    assert reporting
    for task in reporting:
        assert [str(p.period) for p in task.in_year] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
        assert sum(p.done or 0 for p in task.in_year) == task.progress[-1].done


def test_every_indicator_has_a_value_for_every_area_and_year(tmp_path: Path) -> None:
    (edition,) = check_data(write_synthetic_data(tmp_path, **TINY)).editions.values()
    areas = {a.id for a in edition.areas}
    years = set(range(edition.year - 3, edition.year + 1))
    for indicator in edition.indicators.values():
        assert set(indicator.values) == years
        assert set(indicator.by_area) == areas
        assert all(set(series) == years for series in indicator.by_area.values())


def test_values_are_written_as_year_maps_in_flow_style(tmp_path: Path) -> None:
    write_synthetic_data(tmp_path, **TINY)
    text = next((tmp_path / "2023" / "indicators").glob("*.yaml")).read_text("utf-8")
    assert "\nvalues: {2020: " in text
    assert "\nby_area:\n  donghu: {2020: " in text


def test_problems_follow_up_into_tasks_that_exist(tmp_path: Path) -> None:
    (edition,) = check_data(write_synthetic_data(tmp_path, **TINY)).editions.values()
    absorbed = {t for p in edition.problems.values() for f in p.follow_up for t in f.absorbed_into}
    assert absorbed
    assert absorbed <= set(edition.tasks)


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = files_of(write_synthetic_data(tmp_path / "a", **TINY, editions=2, seed=7))
    second = files_of(write_synthetic_data(tmp_path / "b", **TINY, editions=2, seed=7))
    other = files_of(write_synthetic_data(tmp_path / "c", **TINY, editions=2, seed=8))
    assert first == second
    assert first != other


def test_two_synthetic_editions_validate_and_differ_in_records_and_values(tmp_path: Path) -> None:
    result = check_data(write_synthetic_data(tmp_path, **TINY, editions=2))
    assert result.findings == []
    old, new = (result.editions[y] for y in sorted(result.editions))
    assert new.year == old.year + 1
    assert set(old.indicators) - set(new.indicators) and set(new.indicators) - set(old.indicators)
    assert set(old.tasks) ^ set(new.tasks) and set(old.problems) ^ set(new.problems)
    revised = [i for i in new.indicators.values() if i.revisions]
    assert revised  # each revision says which value changed and why
    for indicator in revised:
        before = old.indicators[indicator.id]
        for revision in indicator.revisions:
            series = indicator.by_area[revision.area] if revision.area else indicator.values
            was = before.by_area[revision.area] if revision.area else before.values
            assert series[revision.year] != was[revision.year]


def test_the_diff_of_two_synthetic_editions_is_not_empty(tmp_path: Path) -> None:
    diff = pytest.importorskip("checkup.editions.diff")
    result = check_data(write_synthetic_data(tmp_path, **TINY, editions=2))
    old, new = (result.editions[y] for y in sorted(result.editions))
    assert diff.diff_editions(old, new).changes


def test_sizes_that_put_the_base_year_before_1949_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="base year"):
        write_synthetic_data(tmp_path, **{**TINY, "years": 80})


def test_the_benchmark_script_prints_its_table() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARK), *TINY_ARGS, "--only", "validate"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    heading = done.stdout.splitlines()[1].split()
    assert heading == ["figure", "median", "target", "result", "load"]
    assert "validate / parse" in done.stdout


def test_the_benchmark_script_prints_json_on_request() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARK), *TINY_ARGS, "--only", "validate", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    names = [f["name"] for f in report["figures"]]
    assert any("validate / parse" in name for name in names)
    assert all(set(f) == {"name", "value", "unit", "target", "ok", "load"} for f in report["figures"])


def test_the_benchmark_script_refuses_an_unknown_part() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARK), "--only", "validate,render"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "not render" in done.stderr


def test_a_save_under_serve_rebuilds_the_site_once_and_shows_the_change() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARK), *TINY_ARGS, "--preview-indicators", "5",
                           "--only", "preview", "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    figures = {f["name"]: f["value"] for f in json.loads(done.stdout)["figures"]}
    rebuilds = [value for name, value in figures.items() if "rebuilds per save" in name]
    assert rebuilds == [1, 1]  # the example site and the synthetic one
