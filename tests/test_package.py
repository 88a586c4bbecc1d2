"""The package as another data repository gets it: a wheel with its locked dependencies.

The pre-commit case: a fresh virtual environment gets the built wheel and the
core lock (no site engine), and runs in a folder that holds nothing but a copy
of data/. Then the site extra's lock is added and `checkup render` and
`checkup build` run there.
One environment serves the module; the tests share one xdist worker
(`make test` runs pytest with --dist loadgroup).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checkup import paths

pytestmark = pytest.mark.xdist_group("package")

LOCKS = paths.ROOT / "requirements"
# What a wheel is built from: the package and the files it ships, nothing of the checkout's state.
SOURCES = ("pyproject.toml", "LICENSE", "README.md", "mkdocs.yml", "scripts/checkup", "schemas", "content",
           "site_overrides")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


@dataclass
class Installed:
    """A fresh environment holding the wheel, and what its commands printed in a data-only folder."""

    python: Path
    work: Path
    core: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    site: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    rendered_without_site: bool = False

    @property
    def checkup(self) -> Path:
        return self.python.parent / "checkup"

    def run(self, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        # PYTHONPATH and the like would let the checkout leak in; a clean PATH finds only this venv.
        env = {"PATH": f"{self.python.parent}{os.pathsep}/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
               "LANG": "C.UTF-8"}
        return subprocess.run([str(a) for a in args], cwd=cwd or self.work, env=env, capture_output=True, text=True,
                              check=False)


def _pip(python: Path, *args: str | Path) -> None:
    subprocess.run([str(python), "-m", "pip", "--quiet", "--disable-pip-version-check", *map(str, args)],
                   check=True, capture_output=True, text=True)


def _build_wheel(scratch: Path) -> Path:
    source = scratch / "source"
    for rel in SOURCES:
        origin = paths.ROOT / rel
        if origin.is_dir():
            shutil.copytree(origin, source / rel, ignore=IGNORED)  # links are followed: the wheel holds files
        else:
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, source / rel)
    _pip(Path(sys.executable), "wheel", "--no-deps", "--wheel-dir", scratch / "wheels", source)
    (wheel,) = (scratch / "wheels").glob("checkup-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    scratch = tmp_path_factory.mktemp("package")
    wheel = _build_wheel(scratch)
    subprocess.run([sys.executable, "-m", "venv", scratch / "venv"], check=True)
    python = scratch / "venv" / "bin" / "python"
    _pip(python, "install", "--require-hashes", "-r", LOCKS / "core.txt")
    _pip(python, "install", "--no-deps", wheel)
    work = scratch / "repo"
    shutil.copytree(paths.DATA_DIR, work / "data")
    env = Installed(python, work)
    env.core["validate"] = env.run(env.checkup, "validate")
    broken = scratch / "broken"
    shutil.copytree(paths.DATA_DIR, broken / "data")
    indicator = sorted((broken / "data" / "2023" / "indicators").glob("*.yaml"))[0]
    indicator.write_text(indicator.read_text("utf-8").replace("\nunit:", "\nunits:", 1), "utf-8")
    env.core["validate broken"] = env.run(env.checkup, "validate", cwd=broken)
    env.core["python -m checkup --help"] = env.run(python, "-m", "checkup", "--help")
    env.core["render"] = env.run(env.checkup, "render")
    env.rendered_without_site = (work / "generated").exists()
    env.core["mkdocs"] = env.run(python, "-c", "import importlib.util as u; print(u.find_spec('mkdocs'))")
    env.core["schemas"] = env.run(python, "-c", "from checkup import paths; print(paths.SCHEMA_DIR)")
    _pip(python, "install", "--require-hashes", "-r", LOCKS / "site.txt")
    env.site["render"] = env.run(env.checkup, "render")
    env.site["build"] = env.run(env.checkup, "build")
    yield env


def test_the_wheel_validates_a_data_folder_with_only_the_core_installed(installed: Installed) -> None:
    done = installed.core["validate"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_the_wheel_reports_a_data_error_with_the_schemas_it_ships(installed: Installed) -> None:
    done = installed.core["validate broken"]
    assert done.returncode == 1
    assert "unknown-field" in done.stdout and "units" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_python_dash_m_checkup_shows_the_commands(installed: Installed) -> None:
    done = installed.core["python -m checkup --help"]
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法：checkup ")
    assert "城市体检评估结果发布工具" in done.stdout


def test_the_core_install_has_no_site_engine(installed: Installed) -> None:
    assert installed.core["mkdocs"].stdout.strip() == "None"


def test_render_without_the_site_extra_says_in_chinese_how_to_install_it(installed: Installed) -> None:
    done = installed.core["render"]
    assert done.returncode == 2
    assert "请先安装网站组件：pip install 'checkup[site]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not installed.rendered_without_site


def test_the_installed_schemas_are_the_repository_schemas(installed: Installed) -> None:
    shipped = Path(installed.core["schemas"].stdout.strip())
    assert shipped.is_relative_to(installed.python.parent.parent), "the schemas must come from the wheel"
    names = sorted(p.name for p in paths.ROOT.joinpath("schemas").glob("*.json"))
    match, mismatch, errors = filecmp.cmpfiles(paths.ROOT / "schemas", shipped, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert sorted(p.name for p in shipped.glob("*.json")) == names


def test_the_wheel_with_the_site_extra_renders_the_site_from_a_data_only_folder(installed: Installed) -> None:
    done = installed.site["render"]
    assert done.returncode == 0, done.stdout + done.stderr
    generated = installed.work / "generated"
    assert (generated / "index.md").is_file()
    assert (generated / "guide" / "index.md").is_file()  # hand-written pages ship in the wheel


def test_the_wheel_with_the_site_extra_builds_the_site_with_its_own_theme_files(installed: Installed) -> None:
    done = installed.site["build"]
    assert done.returncode == 0, done.stdout + done.stderr
    site = installed.work / "site"
    assert (site / "index.html").is_file()
    assert (site / "assets" / "plotly-basic.min.js").is_file()  # from the wheel's site_overrides
    assert "示例数据" in (site / "index.html").read_text("utf-8")


@pytest.mark.parametrize("name", ["schemas", "content", "site_overrides", "mkdocs.yml"])
def test_the_package_data_in_the_checkout_is_the_top_level_copy_people_edit(name: str) -> None:
    shipped = paths.ROOT / "scripts" / "checkup" / "resources" / name
    assert shipped.is_symlink() and shipped.resolve() == (paths.ROOT / name).resolve()
