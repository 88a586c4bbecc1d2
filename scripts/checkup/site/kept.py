"""Reuse what an earlier render made from equal inputs.

Under `mkdocs serve` the whole site is rendered again on every save, in the same
process. A part whose inputs are all unchanged is taken from the last render.
Inputs are compared by a digest of their full `repr`: the records are frozen
dataclasses of text, numbers, tuples and dicts, whose repr shows every value, so
equal digests mean equal inputs (a changed order only costs a miss).
"""

from __future__ import annotations

import hashlib
from typing import Generic, TypeVar

T = TypeVar("T")


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


class Kept(Generic[T]):
    """A bounded store of made things by the digest of their inputs."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._made: dict[tuple[str, str], T] = {}

    def get(self, name: str, key: str) -> T | None:
        return self._made.get((name, key))

    def put(self, name: str, key: str, made: T) -> T:
        if len(self._made) >= self.size:
            self._made.clear()
        self._made[(name, key)] = made
        return made
