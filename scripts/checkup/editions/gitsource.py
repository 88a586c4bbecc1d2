"""Read an edition from a folder, or from git objects without checking anything out.

A source is either a folder (`data/2023`) or a git revision and a path
(`main:data/2023`, `HEAD~1:data/2023`, `v2023:data/2023`). Git sources are
read with `git ls-tree` and one `git cat-file --batch`, so the working tree and
the index are never touched and a reviewer can compare any two commits.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from ..check.validate import check_raw_editions
from ..findings import Finding
from ..model import Edition
from ..read.load import RawEdition, read_edition, read_edition_mapping

_BLOB_MODES = {b"100644", b"100755"}  # regular files; links and submodules are not data


class SourceError(Exception):
    """An edition could not be read from where the user pointed; the message says why."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


def load_source(spec: str, cwd: Path | None = None) -> Edition:
    """Read, check and build the edition a source names; refuse one with errors."""
    raw = read_source(spec, cwd)
    result = check_raw_editions([raw])
    if not result.editions:
        errors = result.errors
        raise SourceError(f"{raw.folder} 有 {len(errors)} 个错误，无法比较；先运行 checkup validate 改正。",
                          errors)
    return next(iter(result.editions.values()))


def split_spec(spec: str) -> tuple[str, str] | None:
    """Split `REV:PATH` into its revision and path, or return None if it names no revision."""
    rev, sep, path = spec.partition(":")
    if not sep or not rev or not path:
        return None
    return rev, path.rstrip("/")


def read_source(spec: str, cwd: Path | None = None) -> RawEdition:
    """Read an edition from a folder, or from `REV:PATH` in the git repository at `cwd`."""
    where = cwd or Path.cwd()
    folder = where / spec
    if folder.is_dir():
        return read_edition(folder, display=spec.rstrip("/"))
    parts = split_spec(spec)
    if parts is None:
        raise SourceError(f"找不到版本文件夹 {spec}。")
    rev, path = parts
    files = read_git_files(rev, path, where)
    return read_edition_mapping(f"{rev}:{path}", PurePosixPath(path).name, files)


def worktree_of(spec: str, cwd: Path | None = None) -> str:
    """Return the working-tree folder that `REV:PATH` names, as a path from `cwd`."""
    parts = split_spec(spec)
    if parts is None:
        raise SourceError(f"{spec} 不是“版本:路径”的写法，例如 main:data/2023。")
    where = cwd or Path.cwd()
    path = parts[1]
    if path.startswith(("./", "../")):  # git reads these relative to the current folder too
        return path
    top = Path(_git(["rev-parse", "--show-toplevel"], where).decode("utf-8").strip())
    full = top / path
    try:
        return full.relative_to(where.resolve()).as_posix()
    except ValueError:
        return full.as_posix()


def read_git_files(rev: str, path: str, cwd: Path) -> dict[str, bytes]:
    """Return every file under `path` at revision `rev`, by its path inside that folder."""
    tree = f"{rev}:{path}"
    kind = _git(["cat-file", "-t", tree], cwd, missing=f"在 git 中找不到 {tree}").strip()
    if kind != b"tree":
        raise SourceError(f"{tree} 不是一个文件夹。")
    listing = _git(["ls-tree", "-r", "-z", tree], cwd)
    names: list[str] = []
    objects: list[bytes] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, oid = meta.split(b" ")
        rel = name.decode("utf-8")
        if mode in _BLOB_MODES and kind == b"blob" and not any(p.startswith(".") for p in rel.split("/")):
            names.append(rel)
            objects.append(oid)
    return dict(zip(names, _cat_blobs(objects, cwd), strict=True))


def _cat_blobs(objects: list[bytes], cwd: Path) -> list[bytes]:
    """Read many blobs with one `git cat-file --batch`."""
    if not objects:
        return []
    out = _git(["cat-file", "--batch"], cwd, stdin=b"\n".join(objects) + b"\n")
    blobs: list[bytes] = []
    at = 0
    for _ in objects:
        end = out.index(b"\n", at)
        size = int(out[at:end].split(b" ")[2])
        blobs.append(out[end + 1:end + 1 + size])
        at = end + 1 + size + 1  # the blob is followed by a newline
    return blobs


def _git(args: list[str], cwd: Path, *, stdin: bytes | None = None, missing: str | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise SourceError("没有找到 git 命令；读取 git 中的版本需要先安装 git。") from exc
    if proc.returncode != 0:
        raise SourceError(explain_git(proc.stderr.decode("utf-8", "replace"), proc.returncode, args[0], missing))
    return proc.stdout


# What git says in English, and what it means for someone comparing editions.
GIT_MESSAGES = (
    ("not a git repository", "当前文件夹不在 git 仓库中；在数据仓库的文件夹里运行，或直接比较两个版本文件夹"),
    ("dubious ownership", "git 拒绝读取这个仓库，因为它属于另一个系统用户；请仓库的所有者运行，"
                          "或按 git 的提示把它加入 safe.directory"),
    ("invalid object name", "git 中没有这个版本或路径；核对分支名、提交号和路径，例如 main:data/2023"),
    ("not a valid object name", "git 中没有这个版本或路径；核对分支名、提交号和路径，例如 main:data/2023"),
    ("does not exist in", "这个版本中没有这个路径；核对路径，例如 main:data/2023"),
    ("exists on disk, but not in", "这个路径在工作区中有，但在这个版本中还没有提交"),
    ("unknown revision", "git 中没有这个版本；核对分支名或提交号"),
    ("bad revision", "git 中没有这个版本；核对分支名或提交号"),
    ("ambiguous argument", "git 中没有这个版本；核对分支名或提交号"),
)


def explain_git(stderr: str, code: int, command: str, missing: str | None = None) -> str:
    """Say in Chinese why git failed; git's own last line follows only as a detail for a maintainer."""
    lines = stderr.strip().splitlines()
    last = lines[-1] if lines else ""
    lowered = stderr.lower()
    meaning = next((text for key, text in GIT_MESSAGES if key in lowered), None)
    if meaning is None:
        meaning = f"git {command} 没有成功（退出码 {code}）"
    head = f"{missing}：{meaning}" if missing else meaning
    return f"{head}。" + (f"（git 的原文：{last}）" if last else "")
