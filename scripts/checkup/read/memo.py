"""Remember what was made from exact inputs, so a long-lived process (`mkdocs serve`) makes it once.

A save under `make serve` changes one file, yet every rebuild checks and
renders the whole data directory. Each memo here maps the complete input of a
pure step (the bytes of a file and its name, the rows of a table) to what the
step made from it: a key that compares equal is the same input, so what
comes back is what the step would make again. A memo holds a bounded number
of entries and forgets the oldest first.

Where the input is large (a table's rows, an indicator's records in every edition),
the key is `digest` of it: a hash of its pickle. The inputs are frozen dataclasses
of text, numbers, tuples and dicts; their pickle holds every value with its type
(1, 1.0 and True differ), so equal digests mean equal inputs (and a changed order,
or the same text held twice rather than once, only costs a miss). Pickling is done
in C, several times faster than the `repr` a key was once made of.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """What a pure step made, by its whole input; at most `size` entries, the oldest forgotten first."""

    def __init__(self, size: int):
        self.size = size
        self.made: dict[Hashable, T] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return what was made for this key, making it now if it was not."""
        try:
            return self.made[key]
        except KeyError:
            pass
        value = make()
        if len(self.made) >= self.size:
            del self.made[next(iter(self.made))]
        self.made[key] = value
        return value

    def clear(self) -> None:
        self.made.clear()


def digest(*parts: object) -> str:
    """Sum up a large input as a short key: a hash of its pickle (of its `repr` where it cannot be pickled)."""
    try:
        raw = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        raw = repr(parts).encode("utf-8")  # never the same bytes as a pickle, which starts with its protocol
    return hashlib.blake2b(raw, digest_size=16).hexdigest()
