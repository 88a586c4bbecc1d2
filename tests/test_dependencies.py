"""Dependencies: every import is declared in the right extra, and the lock files pin them all."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from checkup import paths

sys.path.insert(0, str(paths.ROOT / "scripts"))
import lock_drift  # noqa: E402  (a script beside the package, not part of it)

PROJECT = tomllib.loads((paths.ROOT / "pyproject.toml").read_text("utf-8"))["project"]
LOCKS = {name: (paths.ROOT / "requirements" / f"{name}.txt").read_text("utf-8")
         for name in ("core", "site", "report", "test")}
PACKAGE = paths.ROOT / "scripts" / "checkup"
SITE_ENGINE = {"mkdocs", "mkdocs-material", "jieba"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {lock_drift.normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


DECLARED = {
    "core": requirement_names(PROJECT["dependencies"]),
    "site": requirement_names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["site"]),
    "report": requirement_names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["report"]),
    "test": requirement_names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["site"]
                              + PROJECT["optional-dependencies"]["report"]
                              + PROJECT["optional-dependencies"]["test"]) - {"checkup"},
}
EXTRA_FOLDERS = {"site", "report", "resources"}  # the stages whose modules may need an extra


def third_party_imports(files: list[Path]) -> dict[str, str]:
    """Map each imported top-level module that is not ours or the standard library's to a file importing it."""
    found = {}
    local = {p.stem for p in paths.ROOT.joinpath("tests").glob("*.py")}  # a test module imports another
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                     else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local | {"checkup", "lock_drift", "_pytest"}:
                    found.setdefault(top, path.relative_to(paths.ROOT).as_posix())
    return found


def distributions_of(modules: dict[str, str]) -> dict[str, str]:
    """Map each imported module's distribution to a file importing it."""
    owners = metadata.packages_distributions()
    return {lock_drift.normalise(owners[m][0]): where for m, where in modules.items()}


def test_the_core_modules_import_only_core_dependencies() -> None:
    core_files = [p for p in PACKAGE.rglob("*.py") if not EXTRA_FOLDERS & set(p.relative_to(PACKAGE).parts)]
    used = distributions_of(third_party_imports(core_files))
    assert {d: f for d, f in used.items() if d not in DECLARED["core"]} == {}


def test_the_report_modules_import_only_core_and_report_dependencies() -> None:
    used = distributions_of(third_party_imports(list((PACKAGE / "report").rglob("*.py"))))
    assert {d: f for d, f in used.items() if d not in DECLARED["report"]} == {}
    assert "typst" in used


def test_the_package_never_imports_the_site_engine() -> None:
    used = distributions_of(third_party_imports(list(PACKAGE.rglob("*.py"))))
    assert set(used) & SITE_ENGINE == set()  # mkdocs runs in its own process (site/build.py)


def test_everything_the_tests_and_the_site_hook_import_is_declared() -> None:
    files = [*paths.ROOT.joinpath("tests").glob("*.py"), paths.ROOT / "site_overrides" / "hooks.py",
             paths.ROOT / "scripts" / "benchmark.py"]
    used = distributions_of(third_party_imports(files))
    assert {d: f for d, f in used.items() if d not in DECLARED["test"]} == {}


@pytest.mark.parametrize(("requirement", "bound"), [
    ("mkdocs", "<2"),             # 2.0 drops the plugin and theme API the site is built on
    ("mkdocs-material", "<10"),
    ("ruamel.yaml", "<0.20"),     # staff/fmt.py subclasses its resolver and representer
])
def test_a_dependency_known_to_break_us_has_an_upper_bound(requirement: str, bound: str) -> None:
    everything = PROJECT["dependencies"] + [r for extra in PROJECT["optional-dependencies"].values() for r in extra]
    (spec,) = [r.split("#")[0].strip() for r in everything if re.match(rf"{re.escape(requirement)}\b[<>=]", r)]
    assert bound in spec


@pytest.mark.parametrize("lock", ["core", "site", "report", "test"])
def test_each_lock_pins_every_declared_package_with_hashes(lock: str) -> None:
    pins, _conditional = lock_drift.locked_versions(LOCKS[lock])
    assert DECLARED[lock] - set(pins) == set()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCKS[lock].split("\n", 2)[2].strip())
    assert blocks and all("--hash=sha256:" in block for block in blocks if "==" in block)


def test_the_core_lock_has_no_site_engine_and_the_locks_agree_on_every_version() -> None:
    core, site, test = (lock_drift.locked_versions(LOCKS[n])[0] for n in ("core", "site", "test"))
    assert set(core) & SITE_ENGINE == set()
    assert set(site) >= SITE_ENGINE
    assert {n: v for n, v in core.items() if test[n] != v} == {}
    assert {n: v for n, v in site.items() if test[n] != v} == {}
    report = lock_drift.locked_versions(LOCKS["report"])[0]
    assert set(report) & SITE_ENGINE == set()
    assert {n: v for n, v in report.items() if test[n] != v} == {}


@pytest.mark.parametrize(("lock", "installed", "expected"), [
    ("mkdocs==1.6.1 \\\n", {"mkdocs": "1.6.1"}, []),
    ("mkdocs==1.6.1 \\\n", {"mkdocs": "2.0.0"}, ["mkdocs: 1.6.1 -> 2.0.0"]),
    ("Ruamel.Yaml==0.19.1 \\\n", {"ruamel-yaml": "0.20.0"}, ["ruamel-yaml: 0.19.1 -> 0.20.0"]),
    ("", {"new-dep": "1.0"}, ["new-dep: not in the lock -> 1.0"]),
    ("gone==1.0 \\\n", {}, ["gone: 1.0 -> not installed"]),
    ("colorama==0.4.6 ; sys_platform == 'win32' \\\n", {}, []),  # pinned for another platform
    ("p==12.3 ; python_full_version < '3.11.5' \\\np==13.1 ; python_full_version >= '3.11.5' \\\n",
     {"p": "13.1"}, []),
])
def test_the_drift_report_names_each_package_not_at_its_locked_version(lock: str, installed: dict[str, str],
                                                                         expected: list[str]) -> None:
    pins, conditional = lock_drift.locked_versions(lock)
    assert lock_drift.drift(pins, installed, frozenset(conditional)) == expected

