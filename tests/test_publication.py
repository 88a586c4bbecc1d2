"""What reaches the public site: only files the validator read and accepted, of published editions.

A corpus of hostile files and name tricks on the reading side: links to system files
and to records outside the repository, unknown YAML, a draft edition, formula text,
direction-changing characters. Each test looks for its marker in everything the
site is made of: the built site/ tree and the rendered generated/ tree.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from checkup import paths
from checkup.cli import main
from checkup.editions.newedition import new_edition
from checkup.site.build import build_site
from checkup.site.render import BuildError, render_docs
from checkup.staff.codeowners import TeamMap, build_codeowners
from checkup.staff.formulas import csv_safe, runs_as_formula
from editionyears import LATEST_PUBLISHED, NEXT, draft_years, published_years

SECRET_ENV = "CHECKUP_LEAK_TEST_TOKEN"
SECRET_TOKEN = "ghp_LEAKTESTTOKEN0123456789"
FORMULA = '=HYPERLINK("http://evil.example/","点击查看")'


def _texts(root: Path) -> Iterator[tuple[str, str]]:
    """Yield (path, text) of every file under root, the parts of zipped files (XLSX) included."""
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        body = path.read_bytes()
        if body.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                for name in book.namelist():
                    yield f"{rel}!{name}", book.read(name).decode("utf-8", "replace")
        else:
            yield rel, body.decode("utf-8", "replace")


def _holding(root: Path, marker: str) -> list[str]:
    return [rel for rel, text in _texts(root) if marker in text] if root.exists() else []


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


# -- unknown files and a draft edition: the build passes, and publishes none of them -----------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example data with unknown and hidden files beside the latest published records, and a new draft."""
    data = tmp_path_factory.mktemp("corpus") / "data"
    shutil.copytree(paths.DATA_DIR, data)
    latest = data / str(LATEST_PUBLISHED)
    (latest / "secret.yaml").write_text("note: UNKNOWN-YAML-MARKER\n", "utf-8")
    (latest / "indicators/notes.yml").write_text("note: UNKNOWN-YML-MARKER\n", "utf-8")
    (latest / "indicators/backup").mkdir()
    (latest / "indicators/backup/AQ-01.yaml").write_text("name: NESTED-YAML-MARKER\n", "utf-8")
    (latest / ".hidden.yaml").write_text("note: HIDDEN-YAML-MARKER\n", "utf-8")
    new_edition(data, NEXT)
    _replace(data / f"{NEXT}/edition.yaml", f"title: 示例市{NEXT}年度", f"title: DRAFT-MARKER示例市{NEXT}年度")
    _replace(data / f"{NEXT}/indicators/AQ-01.yaml", "name: 人均年用水量", f"name: {json.dumps(FORMULA)}")
    return data


@pytest.fixture(scope="module")
def public(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The public site and generated/ tree built from the corpus."""
    root = tmp_path_factory.mktemp("public")
    render_docs(corpus, root / "generated")
    build_site(corpus, root / "site")
    return root / "site", root / "generated"


@pytest.fixture(scope="module")
def preview(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated/ tree of a preview: drafts included."""
    docs = tmp_path_factory.mktemp("preview") / "generated"
    render_docs(corpus, docs, preview=True)
    return docs


@pytest.mark.parametrize("marker", ["UNKNOWN-YAML-MARKER", "UNKNOWN-YML-MARKER", "NESTED-YAML-MARKER",
                                    "HIDDEN-YAML-MARKER", "DRAFT-MARKER", "evil.example"])
def test_no_unknown_hidden_or_draft_file_reaches_the_public_site(public: tuple[Path, Path], marker: str) -> None:
    site, generated = public
    assert _holding(site, marker) == []
    assert _holding(generated, marker) == []


def test_the_public_site_carries_exactly_the_data_files_the_validator_accepted(
        public: tuple[Path, Path], corpus: Path) -> None:
    site, generated = public
    for tree in (site, generated):
        published = {p.relative_to(tree / "data").as_posix() for p in (tree / "data").rglob("*") if p.is_file()}
        accepted = {f"{year}/{rel}" for year in published_years(corpus) for rel in _accepted(corpus / str(year))}
        assert published == accepted
        assert (tree / f"data/{LATEST_PUBLISHED}/indicators/AQ-01.yaml").read_bytes() == \
            (corpus / f"{LATEST_PUBLISHED}/indicators/AQ-01.yaml").read_bytes()


def _accepted(edition: Path) -> set[str]:
    return {p.relative_to(edition).as_posix() for p in edition.rglob("*")
            if p.is_file() and paths.schema_for(p.relative_to(edition).as_posix())}


def test_a_draft_edition_has_no_page_download_or_link_on_the_public_site(
        public: tuple[Path, Path], corpus: Path) -> None:
    site, generated = public
    assert NEXT in draft_years(corpus)
    for year in draft_years(corpus):
        for tree in (site, generated):
            assert [p for p in tree.rglob("*") if str(year) in p.relative_to(tree).as_posix()] == []
        assert _holding(site, f"archive/{year}") == [] and _holding(site, f"downloads/{year}") == []
    assert "search" in {p.name for p in site.iterdir()}  # the search index is built, without the draft


def test_the_public_home_is_the_latest_published_edition(public: tuple[Path, Path]) -> None:
    site, _ = public
    home = (site / "index.html").read_text("utf-8")
    assert f"示例市{LATEST_PUBLISHED}年度城市体检评估结果" in home
    assert "草稿预览" not in home


def test_a_preview_renders_the_draft_as_its_home_and_says_it_holds_drafts(preview: Path, corpus: Path) -> None:
    assert (preview / "index.md").read_text("utf-8").count("DRAFT-MARKER") >= 1
    assert json.loads((preview / ".checkup.json").read_text("utf-8"))["extra"]["drafts"] == draft_years(corpus)
    assert (preview / f"archive/{LATEST_PUBLISHED}/index.md").is_file()


def test_a_data_folder_with_only_drafts_builds_no_public_site(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR / "2021", data / "2021")
    _replace(data / "2021/edition.yaml", "status: published", "status: draft")
    (data / "2021/manifest.json").unlink()
    with pytest.raises(BuildError, match="没有已发布的年度版本（2021 年版本是草稿，只能用 checkup build --preview 预览）"):
        render_docs(data, tmp_path / "generated")
    assert not (tmp_path / "generated").exists()
    render_docs(data, tmp_path / "generated", preview=True)
    assert (tmp_path / "generated/index.md").is_file()


def test_the_render_command_previews_drafts_only_when_asked(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    public = runner.invoke(main, ["render", str(corpus), "--docs", str(tmp_path / "public")])
    shown = runner.invoke(main, ["render", str(corpus), "--docs", str(tmp_path / "shown"), "--preview"])
    assert (public.exit_code, shown.exit_code) == (0, 0)
    assert shown.output.endswith("这是预览：含草稿版本，仅供审阅，不得公开发布。\n")
    assert "预览" not in public.output
    assert not (tmp_path / f"public/downloads/{NEXT}").exists()
    assert (tmp_path / f"shown/downloads/{NEXT}").is_dir()


# -- formula text in downloads ----------------------------------------------------------------------
def test_formula_text_is_neutralised_in_csv_and_typed_text_in_xlsx_downloads(preview: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((preview / f"downloads/{NEXT}/indicators.csv").read_text("utf-8-sig"))))
    row = next(r for r in rows if r["编号"] == "AQ-01")
    assert row["指标名称"] == "'" + FORMULA
    assert not [v for r in rows for v in r.values() if runs_as_formula(v)]
    book = load_workbook(preview / f"downloads/{NEXT}/checkup-{NEXT}.xlsx")
    cells = [c for ws in book.worksheets for line in ws.iter_rows() for c in line]
    assert [c.data_type for c in cells if c.value == FORMULA] == ["s"]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("＝1+1", "'＝1+1"),
    ("-12.5", "-12.5"), ("+3", "+3"), (-12.5, -12.5), (-3, -3), ("人均年用水量", "人均年用水量"), ("a=1", "a=1"),
])
def test_only_text_a_spreadsheet_would_run_gets_the_csv_guard(value: object, written: object) -> None:
    assert csv_safe(value) == written


# -- links, invisible characters: the data are refused, and nothing of them is shown ------------------
def _link_passwd(data: Path) -> str:
    (data / "2023/passwd.yaml").symlink_to("/etc/passwd")
    return Path("/etc/passwd").read_text("utf-8").splitlines()[0]


def _link_environ(data: Path) -> str:
    (data / "2023/indicators/ENV-01.yaml").symlink_to("/proc/self/environ")
    return SECRET_TOKEN


def _link_outside_record(data: Path) -> str:
    outside = data.parent / "elsewhere"
    outside.mkdir()
    record = (data / "2023/indicators/AQ-01.yaml").read_text("utf-8")
    (outside / "AQ-99.yaml").write_text(record.replace("AQ-01", "AQ-99").replace("人均年用水量", "OUTSIDE-MARKER"),
                                        "utf-8")
    (data / "2023/indicators/AQ-99.yaml").symlink_to(outside / "AQ-99.yaml")
    return "OUTSIDE-MARKER"


def _link_edition(data: Path) -> str:
    outside = data.parent / "elsewhere"
    shutil.copytree(data / str(LATEST_PUBLISHED), outside)
    (outside / "manifest.json").unlink()
    _replace(outside / "edition.yaml", f"year: {LATEST_PUBLISHED}", f"year: {NEXT}")
    _replace(outside / "edition.yaml", f"title: 示例市{LATEST_PUBLISHED}年度", "title: LINKED-EDITION-MARKER")
    (data / str(NEXT)).symlink_to(outside, target_is_directory=True)
    return "LINKED-EDITION-MARKER"


def _link_folder(data: Path) -> str:
    outside = data.parent / "elsewhere"
    shutil.move(data / "2023/problems", outside)
    _replace(next(outside.iterdir()), "title: ", "title: LINKED-FOLDER-MARKER")
    (data / "2023/problems").symlink_to(outside, target_is_directory=True)
    return "LINKED-FOLDER-MARKER"


def _link_manifest(data: Path) -> str:
    outside = data.parent / "manifest.json"
    shutil.move(data / "2023/manifest.json", outside)
    (data / "2023/manifest.json").symlink_to(outside)
    return "\u0000never-shown"  # the manifest holds only hashes; the link itself must be refused


def _bidi_override(data: Path) -> str:
    _replace(data / "2023/indicators/AQ-01.yaml", "name: 人均年用水量", "name: 人均\u202e量水用年")
    (data / "2023/manifest.json").unlink()
    _replace(data / "2023/edition.yaml", "status: published", "status: draft")
    return "\u202e"


HOSTILE: dict[str, tuple[Callable[[Path], str], str]] = {  # writer, code of the finding that refuses it
    "link to /etc/passwd": (_link_passwd, "symlink"),
    "link to /proc/self/environ": (_link_environ, "symlink"),
    "record linked from outside the repository": (_link_outside_record, "symlink"),
    "linked edition folder": (_link_edition, "symlink"),
    "linked record folder": (_link_folder, "symlink"),
    "linked manifest.json": (_link_manifest, "symlink"),
    "right-to-left override in a name": (_bidi_override, "invisible-character"),
}


@pytest.fixture
def hostile_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], tuple[Path, str]]:
    monkeypatch.setenv(SECRET_ENV, SECRET_TOKEN)  # what /proc/self/environ would publish

    def make(name: str) -> tuple[Path, str]:
        data = tmp_path / "repo" / "data"
        shutil.copytree(paths.DATA_DIR, data)
        return data, HOSTILE[name][0](data)

    return make


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_data_are_refused_by_the_validator_which_never_echoes_them(
        name: str, hostile_data: Callable[[str], tuple[Path, str]]) -> None:
    data, secret = hostile_data(name)
    for fmt in ("text", "json"):
        done = CliRunner().invoke(main, ["validate", str(data), "--format", fmt])
        assert done.exit_code == 1, done.output
        assert HOSTILE[name][1] in done.output
        assert secret not in done.output
        assert "Traceback" not in done.output


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_data_reach_neither_the_site_nor_the_generated_pages(
        name: str, hostile_data: Callable[[str], tuple[Path, str]], tmp_path: Path) -> None:
    data, secret = hostile_data(name)
    with pytest.raises(BuildError) as failed:
        render_docs(data, tmp_path / "generated")
    assert secret not in str(failed.value)
    with pytest.raises(BuildError):
        build_site(data, tmp_path / "site")
    for tree in (tmp_path / "generated", tmp_path / "site"):
        assert _holding(tree, secret) == []
        assert not tree.exists() or not any(tree.rglob("*.html"))


def test_a_linked_folder_is_not_compared_by_diff(hostile_data: Callable[[str], tuple[Path, str]]) -> None:
    data, secret = hostile_data("linked edition folder")
    done = CliRunner().invoke(main, ["diff", str(data / str(LATEST_PUBLISHED)), str(data / str(NEXT))])
    assert done.exit_code == 2
    assert "symlink" in done.output and secret not in done.output
    assert "missing-file" not in done.output  # the linked folder is one finding, not also empty


def test_a_linked_record_is_not_compared_by_diff(hostile_data: Callable[[str], tuple[Path, str]]) -> None:
    data, secret = hostile_data("record linked from outside the repository")
    done = CliRunner().invoke(main, ["diff", str(paths.DATA_DIR / "2023"), str(data / "2023")])
    assert done.exit_code == 2
    assert "symlink" in done.output and secret not in done.output


def test_codeowners_routes_no_linked_record(hostile_data: Callable[[str], tuple[Path, str]]) -> None:
    data, _ = hostile_data("record linked from outside the repository")
    owners = build_codeowners(data, TeamMap(default="@city/checkup", teams={}))
    assert not [path for path in owners.files if "AQ-99" in path]
    assert [path for path in owners.files if "AQ-01" in path]


def test_fmt_does_not_follow_a_link_out_of_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR / "2021", data / "2021")
    outside = tmp_path / "outside.yaml"
    outside.write_text("b:   1\na:    [1,2]\n", "utf-8")
    (data / "2021/indicators/ZZ-01.yaml").symlink_to(outside)
    (data / "2021/linked").symlink_to(tmp_path, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["fmt", "data"])
    assert done.exit_code == 0, done.output
    assert "ZZ-01" not in done.output and "outside" not in done.output
    assert outside.read_text("utf-8") == "b:   1\na:    [1,2]\n"


def test_a_file_swapped_for_a_link_after_listing_is_not_read(tmp_path: Path) -> None:
    from checkup.read.load import read_file

    target = tmp_path / "AQ-01.yaml"
    target.symlink_to("/etc/passwd")
    with pytest.raises(OSError):
        read_file(target)
    assert os.path.islink(target)


def test_a_new_edition_does_not_copy_what_a_link_points_to(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR / "2023", data / "2023")
    (data / "2023/indicators/ZZ-01.yaml").symlink_to("/etc/passwd")
    made = new_edition(data, 2024)
    assert "indicators/ZZ-01.yaml" in made.dropped
    assert not os.path.lexists(data / "2024/indicators/ZZ-01.yaml")


def test_a_link_among_the_hand_written_pages_stops_the_render(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "about.md").symlink_to("/etc/passwd")
    with pytest.raises(BuildError, match="content/ 中有符号链接，网站没有生成：about.md"):
        render_docs(paths.DATA_DIR, tmp_path / "generated", content)
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize(("env", "drafts"), [("", False), ("1", True)])
def test_the_site_engine_hook_previews_drafts_only_when_make_serve_asks(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, drafts: bool) -> None:
    spec = importlib.util.spec_from_file_location("checkup_hooks", paths.OVERRIDES_DIR / "hooks.py")
    assert spec and spec.loader
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    monkeypatch.chdir(corpus.parent)  # the hook renders data/ of the folder it runs in
    monkeypatch.delenv("CHECKUP_RENDERED", raising=False)
    monkeypatch.setenv("CHECKUP_PREVIEW", env)
    config = SimpleNamespace(docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"), nav=None,
                             site_name="", extra={}, markdown_extensions=[], theme={})
    hooks.on_config(config)
    assert (tmp_path / f"docs/downloads/{NEXT}").is_dir() is drafts
    assert config.extra["checkup"]["drafts"] == (draft_years(corpus) if drafts else [])
