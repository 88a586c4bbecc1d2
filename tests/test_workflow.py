"""The pull-request workflow and the pre-commit hook: their shape, and their local steps run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checkup import paths
from checkup.read.yamlio import parse_text
from editionyears import NEXT

WORKFLOW = paths.ROOT / ".github/workflows/checkup.yml"
HOOKS = paths.ROOT / ".pre-commit-hooks.yaml"
LOCAL_STEPS = ("validate", "diff")  # the steps that need no GitHub: run them here


def load(path: Path) -> Any:
    # YAML 1.2 core, so `on:` stays a key and is not read as true
    doc = parse_text(path.read_text("utf-8"), path.name)
    assert doc.ok, doc.findings
    return doc.value


def steps(job: str = "check") -> dict[str, dict[str, Any]]:
    return {s.get("id", s.get("name", s.get("uses"))): s for s in load(WORKFLOW)["jobs"][job]["steps"]}


def test_the_workflow_runs_on_pull_requests_and_on_pushes_to_main() -> None:
    triggers = load(WORKFLOW)["on"]
    assert "pull_request" in triggers
    assert triggers["push"] == {"branches": ["main"]}


def test_the_check_job_installs_validates_builds_and_comments() -> None:
    found = steps()
    uses = [s.get("uses", "") for s in found.values()]
    assert "actions/checkout@v4" in uses and "actions/setup-python@v5" in uses
    python = next(s for s in found.values() if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    checkout = next(s for s in found.values() if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the diff needs the base branch's objects
    runs = [s.get("run", "") for s in found.values()]
    assert any("pip install --require-hashes -r requirements/site.txt\npip install --no-deps -e ." in r for r in runs)
    assert found["validate"]["run"] == "checkup validate data"
    assert found["build"]["run"] == "checkup build --report"  # with the annual report in the downloads
    assert found["build"]["if"] == "github.event_name != 'pull_request'"
    assert found["preview"]["run"] == "checkup build --preview --report"
    assert found["preview"]["if"] == "github.event_name == 'pull_request'"
    assert any("fonts-noto-cjk" in r for r in runs)  # the fonts the report embeds
    assert "--format markdown" in found["diff"]["run"]
    comment = next(r for r in runs if "gh pr comment" in r)
    assert "--edit-last" in comment and "|| gh pr comment" in comment


def test_main_is_deployed_to_github_pages() -> None:
    workflow = load(WORKFLOW)
    upload = steps()["Upload the site for GitHub Pages"]
    assert upload["uses"] == "actions/upload-pages-artifact@v3" and upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_a_push_to_main_never_cancels_a_pages_deploy_in_progress() -> None:
    workflow = load(WORKFLOW)
    assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert workflow["jobs"]["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_pull_requests_run_the_projects_own_tests_installed_from_the_lock() -> None:
    job = load(WORKFLOW)["jobs"]["test"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["steps"][-1]["run"] == ".ci/run"
    assert (paths.ROOT / ".ci/run").read_text("utf-8").rstrip().endswith("make test")
    makefile = (paths.ROOT / "Makefile").read_text("utf-8")
    assert "pip install --quiet --require-hashes -r requirements/test.txt" in makefile


def test_a_weekly_job_tests_the_newest_allowed_versions_and_names_what_moved() -> None:
    workflow = load(WORKFLOW)
    assert workflow["on"]["schedule"] == [{"cron": "23 3 * * 1"}]
    job = workflow["jobs"]["newest"]
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "--upgrade --upgrade-strategy eager -e '.[test]'" in runs and "--require-hashes" not in runs
    assert "scripts/lock_drift.py requirements/test.txt" in runs
    assert runs.rstrip().endswith("make test")
    assert workflow["jobs"]["check"]["if"] == "github.event_name != 'schedule'"


def test_the_pre_commit_hook_validates_the_data_folder() -> None:
    assert load(HOOKS) == [{
        "id": "checkup-validate", "name": "检查城市体检数据（checkup validate）",
        "description": "提交前检查 data/ 下每个年度版本的数据，包括已发布版本是否被悄悄修改。",
        "entry": "checkup validate", "language": "python", "pass_filenames": False, "files": "^data/",
    }]


def test_the_hook_command_checks_the_data_of_the_repository_it_runs_in(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from checkup.cli import main

    monkeypatch.chdir(data_copy.parent)
    command = load(HOOKS)[0]["entry"].split()[1:]
    assert CliRunner().invoke(main, command).exit_code == 0
    survey = data_copy / "2023" / "survey.yaml"
    survey.write_text(survey.read_text("utf-8").replace("valid_questionnaires:", "valid_questionaires:"), "utf-8")
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert "data/2023/survey.yaml" in result.output


# -- the local steps, in a repository made from the example data -------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def pull_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone-like repository: the example data on main (also as origin/main), and a branch on top."""
    repo = tmp_path / "repo"
    shutil.copytree(paths.DATA_DIR, repo / "data")
    for key, value in {"GIT_AUTHOR_NAME": "科员", "GIT_AUTHOR_EMAIL": "k@example.org",
                       "GIT_COMMITTER_NAME": "科员", "GIT_COMMITTER_EMAIL": "k@example.org"}.items():
        monkeypatch.setenv(key, value)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "示例数据")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "proposal")
    return repo


# What the runner would put in for the expressions the local steps use.
EXPRESSIONS = {"${{ github.base_ref }}": "main"}


def run_step(name: str, repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run one step of the check job as the runner would, with bash -e and the step's env."""
    step = steps()[name]
    env = {**os.environ, "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.update({key: EXPRESSIONS.get(value, value) for key, value in step.get("env", {}).items()})
    assert "${{" not in " ".join(env.values()), "a local step uses an expression this test does not know"
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)


def run_steps(repo: Path, tmp_path: Path) -> dict[str, str]:
    """Run the local steps in order; each must pass. Return what they wrote."""
    for name in LOCAL_STEPS:
        done = run_step(name, repo, tmp_path)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    output, summary = tmp_path / "output", tmp_path / "summary"
    return {"output": output.read_text("utf-8") if output.exists() else "",
            "comment": (repo / "diff.md").read_text("utf-8"),
            "summary": summary.read_text("utf-8") if summary.exists() else ""}


def correct(repo: Path, rel: str, old: str, new: str) -> None:
    """Change a value of the published 2023 edition the proper way: with a corrections entry."""
    path = repo / "data/2023" / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    log = repo / "data/2023/corrections.yaml"
    log.write_text(log.read_text("utf-8") + f"""\
  - date: "2025-04-02"
    files: [{rel}]
    what: 2023年全市养老床位数由40.8张更正为41.2张。
    why: 市民政局补报一家养老机构的床位。
    who: 市民政局
""", "utf-8")


def test_a_pull_request_revising_a_value_gets_a_comment_with_the_revision_first(
        pull_request: Path, tmp_path: Path) -> None:
    correct(pull_request, "indicators/GX-04.yaml", "2023: 40.8", "2023: 41.2")
    git(pull_request, "commit", "-qam", "更正养老床位数")
    result = run_steps(pull_request, tmp_path)
    assert result["output"] == "changed=true\n"
    assert result["comment"] == result["summary"]
    assert result["comment"].startswith(
        "### 城市体检数据比对：`origin/main:data/2023` → `data/2023`\n\n"
        "**2023 → 2023**：删除 **0** · 修订 **1**（无修订说明 **0**） · 口径变化 **0** · 其他修改 **0** · 新增 **1**"
        " · 状态变化 **0**（变好 0，变差 0）\n\n#### 修订已发布的数值（1）\n")
    assert ("| 指标 GX-04 每千名老年人养老床位数 | 2023 年全市数值 | 40.8 | 41.2 | +0.4 | +1.0% |"
            " ✅ 更正：2023年全市养老床位数由40.8张更正为41.2张。 |") in result["comment"]


def test_a_pull_request_changing_a_published_value_silently_fails_validation(
        pull_request: Path, tmp_path: Path) -> None:
    path = pull_request / "data/2023/indicators/GX-04.yaml"
    path.write_text(path.read_text("utf-8").replace("2023: 40.8", "2023: 41.2"), "utf-8")
    git(pull_request, "commit", "-qam", "改数")
    done = run_step("validate", pull_request, tmp_path)
    assert done.returncode == 1
    assert "\ndata/2023/indicators/GX-04.yaml: 错误 published-changed " in done.stdout


def test_a_pull_request_adding_a_new_edition_is_compared_with_the_previous_one(
        pull_request: Path, tmp_path: Path) -> None:
    subprocess.run([Path(sys.executable).parent / "checkup", "new-edition", str(NEXT), "--data-dir", "data"],
                   cwd=pull_request, check=True, capture_output=True)
    git(pull_request, "add", "data")
    git(pull_request, "commit", "-qm", f"新建{NEXT}年度版本")
    comment = run_steps(pull_request, tmp_path)["comment"]
    assert comment.startswith(f"### 城市体检数据比对：`origin/main:data/{NEXT - 1}` → `data/{NEXT}`\n")
    if (pull_request / f"data/{NEXT - 1}/survey.yaml").is_file():  # a year's survey is not carried over
        assert f"| 满意度调查 | 还没有 {NEXT} 年的社会满意度调查（{NEXT - 1} 年有） |" in comment


def test_a_pull_request_without_data_changes_posts_nothing(pull_request: Path, tmp_path: Path) -> None:
    (pull_request / "README.md").write_text("说明\n", "utf-8")
    git(pull_request, "add", "README.md")
    git(pull_request, "commit", "-qm", "说明")
    result = run_steps(pull_request, tmp_path)
    assert result["output"] == "changed=false\n"
    assert result["comment"] == ""
