"""Writes that survive a crash, and output folders that are the commands' own.

A file is written to a temporary file in its own folder, flushed, fsynced and
renamed over the target, and the folder is fsynced: after a crash or a full
disk the target holds either all of the old bytes or all of the new ones.
A `Transaction` prepares every file of a change that way before renaming any,
keeps a hard link to each old file until all are renamed, and puts the old
files back if a rename fails, so a change of several files lands whole or not
at all. Nothing is ever written through a symbolic link. (The `atomicwrites`
package did the one-file part; it is archived by its author, and has no
transaction.)

Folders that a command fills and empties (the rendered docs, the site) carry
a marker file; only such a folder, an empty one, or a missing one is used,
and a folder that holds a repository, data or source is refused outright.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

OUTPUT_MARKER = ".checkup-output"  # written into every folder checkup creates and may empty
# Entries that mark a folder as someone's work, never a command's output, marker or not. (A data/
# folder is one too, but the rendered docs hold a copy of the data: an unmarked folder with it is
# refused by the rule for unmarked folders.)
PRECIOUS_ENTRIES = (".git", "scripts", "pyproject.toml", "setup.py", "schemas", "Makefile")
TEMP_SUFFIX = ".checkup-tmp"  # temporary files end so, and are removed when anything fails
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what open() would give a new file; mkstemp's 0600 would hide data files


class WriteError(OSError):
    """A write was refused before it started; the message says why in Chinese."""


def explain(error: OSError, path: Path | str | None = None) -> str:
    """Say in Chinese what went wrong with the machine, naming the file when known."""
    if isinstance(error, WriteError):
        return str(error)
    where = path or error.filename or ""
    known = {
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "磁盘配额已用完",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "文件系统是只读的",
        errno.ENOENT: "文件夹不存在",
        errno.ENOTDIR: "路径中有一项不是文件夹",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.EIO: "磁盘读写出错",
        errno.ENAMETOOLONG: "文件名太长",
    }
    reason = known.get(error.errno or 0, f"系统错误 {errno.errorcode.get(error.errno or 0, error.errno)}")
    return f"{reason}：{where}" if where else reason


def is_misuse(error: OSError) -> bool:
    """Tell a path the user chose badly (exit 2) from a machine that failed (exit 1)."""
    if isinstance(error, WriteError):
        return True
    return error.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR,
                           errno.EISDIR, errno.ENAMETOOLONG)


# -- one file -------------------------------------------------------------------------------
def write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace path with data, whole or not at all."""
    with Transaction(sync=sync) as change:
        change.write_bytes(path, data)


def write_new(path: Path, data: bytes) -> None:
    """Write a file that is not there yet into a scratch folder, which is thrown away whole if anything fails.

    Straight, with no temporary file: the folder, not the file, is what appears whole or not at
    all. Exclusive, so it never writes through a link or over a file.
    """
    with open(path, "xb") as out:
        out.write(data)


def write_text(path: Path, text: str, *, sync: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), sync=sync)


def refuse_link(path: Path) -> None:
    """Refuse to write a file that is a symbolic link: the write would land wherever it points."""
    if path.is_symlink():
        raise WriteError(f"{path} 是一个符号链接，不会通过它写入文件（可能写到数据文件夹以外）。"
                         "删除这个链接，换成普通文件后重新运行。")


def _stage(path: Path, data: bytes, sync: bool) -> Path:
    """Write data to a new temporary file beside path; return its name."""
    refuse_link(path)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:  # name the file the user knows, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.chmod(name, _mode_of(path))
    except OSError as error:
        _remove(Path(name))
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        _remove(Path(name))
        raise
    return Path(name)


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return FILE_MODE


def _replace(source: Path, target: Path) -> None:
    """Rename one file over another (the one place a rename happens, so tests can fail it)."""
    os.replace(source, target)


def sync_folder(folder: Path) -> None:
    """Make a rename inside folder durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


# -- several files --------------------------------------------------------------------------
class Transaction:
    """Write several files so that all of them change or none does.

    Use as a context manager: every `write_bytes` stages a temporary file, and
    leaving the block without an error renames them all into place. An error
    before or during the renames puts the old files back. With a `root`
    folder, a journal listing the staged files is written there before the
    first rename, so that if the process is killed between two renames,
    `recover(root)` (run by the next command) finishes them.
    """

    def __init__(self, *, sync: bool = True, root: Path | None = None) -> None:
        self.sync = sync
        self.root = root
        self._staged: list[tuple[Path, Path]] = []  # (temporary file, target)

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self.commit()
        else:
            self.abort()

    def write_bytes(self, path: Path, data: bytes) -> None:
        if any(target == path for _, target in self._staged):
            raise ValueError(f"{path} staged twice")  # a bug in the caller
        self._staged.append((_stage(path, data, self.sync), path))

    def write_text(self, path: Path, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def abort(self) -> None:
        for temp, _ in self._staged:
            _remove(temp)
        self._staged.clear()

    def commit(self) -> None:
        """Rename every staged file into place; on a failure, put the old files back."""
        backups: list[tuple[Path, Path | None]] = []  # (target, hard link to its old bytes or None)
        done: list[tuple[Path, Path | None]] = []
        journal = self.root / JOURNAL if self.root is not None and len(self._staged) > 1 else None
        try:
            for _, target in self._staged:
                refuse_link(target)  # a link made since staging: refuse it rather than replace it
                backups.append((target, _keep_old(target)))
            if journal is not None:
                _write_journal(journal, self._staged)  # from here on, a killed run is finished by recover()
            for (temp, target), pair in zip(self._staged, backups, strict=True):
                _replace(temp, target)
                done.append(pair)
            if self.sync:
                for folder in sorted({target.parent for _, target in self._staged}):
                    sync_folder(folder)
        except BaseException:
            for target, old in reversed(done):
                if old is None:
                    _remove(target)
                else:
                    os.replace(old, target)
            self.abort()
            for _, old in backups:
                if old is not None:
                    _remove(old)
            if journal is not None:
                _remove(journal)
            raise
        if journal is not None:
            _remove(journal)
        for _, old in backups:
            if old is not None:
                _remove(old)
        self._staged.clear()


JOURNAL = ".checkup-journal.json"  # the files a transaction is renaming, to finish them after a kill


def _write_journal(journal: Path, staged: list[tuple[Path, Path]]) -> None:
    root = journal.parent
    body = [[os.path.relpath(temp, root), os.path.relpath(target, root)] for temp, target in staged]
    write_text(journal, json.dumps(body, ensure_ascii=False))


def recover(root: Path) -> int:
    """Finish a transaction that a killed process left half done, then remove its temporary files.

    The journal is written only once every file is staged and synced, so every file it names
    is complete: finishing the renames gives the state the killed command was writing.
    Return how many files were put in place.
    """
    journal = root / JOURNAL
    finished = 0
    if journal.is_file() and not journal.is_symlink():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:  # a journal cut by the kill: no rename had started
            pairs = []
        for temp_rel, target_rel in pairs:
            temp, target = root / temp_rel, root / target_rel
            if root.resolve() not in temp.resolve().parents or target.is_symlink():
                continue  # a journal pointing out of its folder is not one of ours
            if temp.is_file():
                os.replace(temp, target)
                finished += 1
        sync_folder(root)
        journal.unlink()
    remove_leftovers(root)
    return finished


def _keep_old(target: Path) -> Path | None:
    """Hard-link the target's current bytes under a temporary name, to restore it if needed."""
    if not target.exists():
        return None
    keep = target.parent / f".{target.name}.old.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        os.link(target, keep)
    except OSError:  # a file system without hard links: copy instead
        shutil.copy2(target, keep)
    return keep


def remove_leftovers(folder: Path) -> int:
    """Remove temporary files a killed write left in folder and below; return how many."""
    count = 0
    for temp in folder.rglob(f"*{TEMP_SUFFIX}"):
        if temp.is_file() and not temp.is_symlink():
            temp.unlink()
            count += 1
    return count


# -- output folders -------------------------------------------------------------------------
def claim_output(folder: Path, *, legacy: tuple[str, ...] = (), guarded: tuple[Path, ...] = (),
                 create: bool = True) -> None:
    """Make sure folder may be filled and emptied by a command, and mark it as the command's own.

    A folder is the command's own when it is missing, empty (but for .gitkeep), carries the
    marker, or (written before markers existed) holds one of the `legacy` entries. It never is
    when it holds a repository, data or source, or contains or lies inside one of the `guarded` paths.
    """
    folder = Path(folder)
    if folder.is_symlink():
        raise WriteError(f"输出文件夹 {folder} 是一个符号链接；换一个普通文件夹。")
    resolved = folder.resolve()
    for path in guarded:
        kept = Path(path).resolve()
        if kept == resolved or resolved in kept.parents:
            what = "它就是" if kept == resolved else "它包含"
            raise WriteError(f"不能把 {folder} 用作输出文件夹：{what} {path}，输出时会被清空。"
                             "换一个专用的输出文件夹。")
        if kept in resolved.parents:
            raise WriteError(f"不能把 {folder} 用作输出文件夹：它在 {path} 里面，会混进数据或源代码。"
                             "换一个专用的输出文件夹。")
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"输出路径 {folder} 是一个文件，不是文件夹。")
    entries = set(os.listdir(folder)) if folder.is_dir() else set()
    precious = sorted(entries & set(PRECIOUS_ENTRIES))
    if precious:
        raise WriteError(f"不能把 {folder} 用作输出文件夹：其中有 {'、'.join(precious)}，"
                         "像是代码仓库或数据文件夹，输出时会被清空。换一个专用的输出文件夹。")
    ours = OUTPUT_MARKER in entries or any((folder / entry).exists() for entry in legacy)
    if entries - {".gitkeep"} and not ours:
        raise WriteError(f"不能把 {folder} 用作输出文件夹：它不是空的，也不是 checkup 创建的"
                         f"（没有标记文件 {OUTPUT_MARKER}），输出时其中的文件会被删除。"
                         "换一个新的文件夹，或确认内容无用后自己清空它。")
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    if folder.is_dir():
        mark_output(folder)


def mark_output(folder: Path) -> None:
    marker = folder / OUTPUT_MARKER
    if not marker.exists():
        write_text(marker, "checkup 创建的输出文件夹：checkup 会清空并重写其中的内容。\n", sync=False)


def is_output(folder: Path) -> bool:
    return (folder / OUTPUT_MARKER).is_file() and not folder.is_symlink()


@contextmanager
def scratch_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A marked temporary folder beside the output, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        mark_output(folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
