"""A clerk's preview under `make serve` shows exactly what a fresh build of the same data would.

The serve process keeps what it parsed, checked and made from unchanged files
and tables (checkup.read.memo) and rebuilds only the pages whose Markdown
changed. These tests edit a file between two renders in one process and set
the result against a render and a build in a fresh process, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkup import paths
from checkup.site.render import BuildError, render_docs

RECORD = "2023/indicators/CX-01.yaml"
FRESH_RENDER = """
import sys
from pathlib import Path
from checkup.site.render import BuildError, render_docs
try:
    render_docs(Path(sys.argv[1]), Path(sys.argv[2]), preview=True)
except BuildError as error:
    print(error)
"""


def _editable_example(tmp_path: Path) -> Path:
    """Copy the example data with the latest edition back to a draft, as the edition a clerk edits is."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    edition = data / "2023" / "edition.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                       encoding="utf-8")
    (data / "2023" / "manifest.json").unlink()
    return data


def _edit(data: Path, old: str, new: str) -> None:
    record = data / RECORD
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fresh_render(data: Path, docs: Path) -> str:
    """Render in a new interpreter, which has made nothing before; return the error it reported, if any."""
    done = subprocess.run([sys.executable, "-c", FRESH_RENDER, str(data), str(docs)], capture_output=True,
                          text=True, check=True, cwd=Path.cwd())
    return done.stdout.strip()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_render_after_a_save_writes_the_bytes_a_fresh_render_writes(tmp_path: Path) -> None:
    data = _editable_example(tmp_path)
    docs = tmp_path / "docs"
    render_docs(data, docs, preview=True)
    _edit(data, "2023: 2.52", "2023: 2.61")
    _edit(data, "\ndefinition: ", "\ndefinition: QX7Z 改写。")
    render_docs(data, docs, preview=True)
    assert _fresh_render(data, tmp_path / "fresh") == ""
    assert _files(docs) == _files(tmp_path / "fresh")


# One save of each kind a clerk makes, each touching what an indicator page reads besides its own
# indicator: the pages a preview reuses from the last render must be the ones a fresh render writes.
SAVES = [
    ("2024/indicators/AQ-06.yaml", "definition: 年度内", "definition: QX7Z 年度内"),  # the page's own record
    ("2023/indicators/AQ-06.yaml", "values: {2020: 38, 2021: 31, 2022: 24, 2023: 17}",
     "values: {2020: 38, 2021: 31, 2022: 24, 2023: 16}"),  # its history in an earlier edition
    ("2024/tasks/RW-003.yaml", "title: 实施城市内涝积水点治理", "title: 实施城市内涝积水点综合治理"),  # a task citing it
    ("2024/departments.yaml", "short_name: 市水务局", "short_name: 市水务管理局"),  # its department
    ("2024/edition.yaml", "name: 东湖区", "name: 东湖新区"),  # an area on its map and table
]


def test_every_kind_of_save_renders_under_preview_as_a_fresh_render(tmp_path: Path) -> None:
    data = _editable_example(tmp_path)
    docs = tmp_path / "docs"
    render_docs(data, docs, preview=True)
    for n, (rel, old, new) in enumerate(SAVES):
        record = data / rel
        text = record.read_text(encoding="utf-8")
        assert old in text, rel
        record.write_text(text.replace(old, new, 1), encoding="utf-8")
        render_docs(data, docs, preview=True)
        fresh = tmp_path / f"fresh-{n}"
        assert _fresh_render(data, fresh) == ""
        shown = _files(docs)
        differ = [name for name, body in _files(fresh).items() if shown.get(name) != body]
        assert differ == [], rel


def test_a_file_made_invalid_and_mended_under_preview_reports_and_renders_as_a_fresh_run(tmp_path: Path) -> None:
    data = _editable_example(tmp_path)
    docs = tmp_path / "docs"
    render_docs(data, docs, preview=True)
    _edit(data, "2023: 2.52", "2023: '2.52'")
    with pytest.raises(BuildError) as preview:
        render_docs(data, docs, preview=True)
    assert "wrong-type" in str(preview.value)
    assert _fresh_render(data, tmp_path / "fresh-error") == str(preview.value)
    _edit(data, "2023: '2.52'", "2023: 2.52")
    render_docs(data, docs, preview=True)
    assert _fresh_render(data, tmp_path / "fresh") == ""
    assert _files(docs) == _files(tmp_path / "fresh")


# The theme's search plugin opens jieba's user dictionary on every configuration and never closes it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_dirty_rebuild_after_a_save_gives_the_site_a_fresh_build_gives(tmp_path: Path, monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    data = _editable_example(tmp_path)
    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    for name, value in {"CHECKUP_DATA_DIR": str(data), "CHECKUP_DOCS_DIR": str(docs), "CHECKUP_PREVIEW": "1",
                        "NO_MKDOCS_2_WARNING": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CHECKUP_RENDERED", raising=False)
    monkeypatch.delenv("CHECKUP_SITE_URL", raising=False)

    def serve_build(command: str = "") -> None:  # as `mkdocs serve --dirty` rebuilds: the configuration read anew
        config = load_config(config_file=str(paths.MKDOCS_CONFIG), site_dir=str(site))
        if command:  # the plugins that keep state between rebuilds (the theme's search) are told once
            config.plugins.on_startup(command=command, dirty=command == "serve")
        build(config, dirty=True)

    serve_build("serve")
    try:
        _edit(data, "\ndefinition: ", "\ndefinition: QX7Z 改写。")
        serve_build()
    finally:
        load_config(config_file=str(paths.MKDOCS_CONFIG)).plugins.on_startup(command="build", dirty=False)
    fresh = tmp_path / "fresh-site"
    env = dict(os.environ, CHECKUP_DOCS_DIR=str(tmp_path / "fresh-docs"))
    (tmp_path / "fresh-docs").mkdir()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(paths.MKDOCS_CONFIG), "-d",
                    str(fresh)], check=True, env=env, cwd=paths.MKDOCS_CONFIG.parent, capture_output=True)
    built, expected = _files(site), _files(fresh)
    assert sorted(built) == sorted(expected)
    differ = [rel for rel in expected if built[rel] != expected[rel]]
    assert differ == []
    assert "QX7Z" in (site / "changes" / "index.html").read_text(encoding="utf-8")  # the edit reached the site
