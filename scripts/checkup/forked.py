"""Work done in a forked copy of this process, while this one goes on; its result comes back through a pipe."""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

_Made = TypeVar("_Made")
_Item = TypeVar("_Item")


def died_message(doing: str) -> str:
    """What to tell the user when the copy doing this (e.g. 读取数据文件) ends without its result."""
    return (f"{doing}的第二个进程意外退出（常见原因是内存不足），网站没有构建。"
            "可以关闭其他程序后重新运行，或者只用一个进程构建：CHECKUP_BUILD_PROCESSES=1 checkup build")


class CopyDied(RuntimeError):
    """The forked copy ended without sending its result (most often the system ran out of memory)."""


class Forked(Generic[_Made]):
    """`work(argument)` done in a forked copy of this process, its result sent back through a pipe.

    The copy ends as soon as it has sent its result, or when it cannot because this process is
    gone, so a build killed midway leaves no process behind; an error in it is raised here.
    Where the system cannot fork, the work is done here when its result is asked for.
    """

    def __init__(self, work: Callable[[Any], _Made], argument: Any, *, died: str):
        self.work, self.argument, self.died = work, argument, died  # died: what to say if the copy dies
        self.process: BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self.reader, writer = context.Pipe(duplex=False)
            self.process = context.Process(target=self._send, args=(writer,), daemon=True)
            self.process.start()
            writer.close()

    def _send(self, writer: Connection) -> None:  # in the copy
        self.reader.close()  # so a send fails, and the copy ends, once this process is gone
        try:
            outcome: tuple[bool, object] = (True, self.work(self.argument))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to be raised there
            outcome = (False, error)
        try:
            writer.send(outcome)
        except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot travel: its text can
            writer.send((False, RuntimeError(traceback.format_exc())))

    def result(self) -> _Made:
        if self.process is None:
            return self.work(self.argument)
        try:
            ok, value = self.reader.recv()
        except BaseException as error:  # it died, or this process is stopped: it is stopped too
            self.process.kill()
            self.process.join()
            if isinstance(error, EOFError):
                raise CopyDied(self.died) from None
            raise
        finally:
            self.reader.close()
        self.process.join()  # it ends once its result is sent
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Stop the copy if it still runs (this process failed before it asked for the result)."""
        if self.process is not None and self.process.exitcode is None:
            self.process.kill()
            self.process.join()
            self.reader.close()


def in_halves(work: Callable[[list[_Item]], list[_Made]], items: list[_Item], *, processes: int, least: int,
              doing: str) -> list[_Made]:
    """`work(items)`, one result per item; with two processes or more and at least `least` items, a forked
    copy does the second half while this process does the first (`doing` names the work if the copy dies)."""
    if processes < 2 or len(items) < least:
        return work(items)
    half = len(items) // 2
    helper = Forked(work, items[half:], died=died_message(doing))
    try:
        first = work(items[:half])
        return first + helper.result()
    finally:
        helper.stop()
