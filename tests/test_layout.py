"""The package's layout: each stage imports only from the stages before it, and nothing imports in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkup import paths

PACKAGE = paths.ROOT / "scripts" / "checkup"
# The stages in the order the README's data-flow picture reads them. A module may import
# from its own stage and from those before it; the six top-level modules are the floor
# (atomic: the crash-safe writes every stage that writes goes through; periods: the notation of
# in-year reporting periods; forked: work done in a forked copy of the process).
STAGES = ("periods", "model", "findings", "paths", "atomic", "forked", "read", "check", "assess", "staff", "editions",
          "site", "report", "cli")
# shared by every stage; they import only one another
FLOOR = {"periods", "model", "findings", "paths", "atomic", "forked"}
UNSTAGED = {"__init__", "__main__", "synth"}  # the version, `python -m checkup`, the benchmark's data


def is_upward(source_stage: str, target_stage: str) -> bool:
    """Say whether an import from one stage into another runs against the data flow."""
    if source_stage in FLOOR:
        return target_stage not in FLOOR
    return target_stage not in FLOOR and STAGES.index(target_stage) > STAGES.index(source_stage)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def stage_of(module: str) -> str | None:
    """Return the stage a module belongs to: its first name below checkup."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return parts[1] if parts[1] not in UNSTAGED else None


def imports_of(path: Path) -> Iterator[tuple[str, int]]:
    """Yield (imported checkup module, line) for every import in a file, at any depth."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "checkup":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "checkup":
                continue
            if node.module is None or target == "checkup":  # `from . import paths`, `from .. import x`
                for alias in node.names:
                    yield f"{target}.{alias.name}", node.lineno
            else:
                yield target, node.lineno


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "resources" not in p.relative_to(PACKAGE).parts)


def edges() -> list[tuple[str, str, int]]:
    return [(module_name(path), target, line) for path in source_files() for target, line in imports_of(path)]


def test_every_module_of_the_package_belongs_to_a_known_stage() -> None:
    unknown = {module_name(p) for p in source_files()
               if stage_of(module_name(p)) not in STAGES and module_name(p).split(".")[-1] not in UNSTAGED
               and module_name(p) != "checkup"}
    assert unknown == set(), "add the new stage to STAGES in the order of the data flow"


def test_no_module_imports_from_a_later_stage() -> None:
    upward = []
    for source, target, line in edges():
        a, b = stage_of(source), stage_of(target)
        if a is None or b is None or a == b:
            continue
        if is_upward(a, b):
            upward.append(f"{source} (line {line}) imports {target}")
    assert upward == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph: dict[str, set[str]] = {}
    known = {module_name(p) for p in source_files()}
    for source, target, _line in edges():
        while target not in known and "." in target:  # `from .x import name` names a module, not a name
            target = target.rpartition(".")[0]
        if target != source:
            graph.setdefault(source, set()).add(target)
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 finished

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                path = [*trail, node]
                cycles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == []


@pytest.mark.parametrize(("source", "target", "upward"), [
    ("checkup.site.render", "checkup.check.validate", False),
    ("checkup.check.validate", "checkup.site.render", True),
    ("checkup.read.load", "checkup.model", False),
    ("checkup.model", "checkup.read.load", True),
    ("checkup.editions.newedition", "checkup.staff.textedit", False),
    ("checkup.staff.fmt", "checkup.editions.publish", True),
    ("checkup.cli", "checkup.site.build", False),
])
def test_the_stage_order_tells_an_upward_import_from_a_downward_one(source: str, target: str,
                                                                    upward: bool) -> None:
    a, b = stage_of(source), stage_of(target)
    assert a is not None and b is not None
    assert is_upward(a, b) is upward
