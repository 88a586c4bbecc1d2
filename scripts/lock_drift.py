"""Name every installed package whose version is not the one a lock file pins.

The scheduled `newest` job installs the newest versions pyproject.toml allows
and runs this before the tests, so a failing run says which releases moved:

    python scripts/lock_drift.py requirements/test.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$", re.MULTILINE)


def normalise(name: str) -> str:
    """Compare names as pip does (PEP 503): case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: str) -> tuple[dict[str, set[str]], set[str]]:
    """Read `name==version` pins, and the names pinned only for some platforms or Pythons.

    A package pinned per Python version may have several versions; any of them will do.
    """
    pins: dict[str, set[str]] = {}
    always = set()
    for name, version, marker in PIN.findall(lock):
        pins.setdefault(normalise(name), set()).add(version)
        if not marker:
            always.add(normalise(name))
    return pins, set(pins) - always


def installed_versions(skip: set[str]) -> dict[str, str]:
    found = {}
    for dist in metadata.distributions():
        name = normalise(dist.metadata["Name"])
        if name not in skip:
            found[name] = dist.version
    return found


def drift(locked: dict[str, set[str]], installed: dict[str, str], conditional: frozenset[str] = frozenset()
          ) -> list[str]:
    """Return one line per package that differs: changed, new (not in the lock) or gone."""
    lines = []
    for name in sorted(set(locked) | set(installed)):
        have, pinned = installed.get(name), locked.get(name)
        if pinned is None:
            lines.append(f"{name}: not in the lock -> {have}")
        elif have is None and name not in conditional:
            lines.append(f"{name}: {' / '.join(sorted(pinned))} -> not installed")
        elif have is not None and have not in pinned:
            lines.append(f"{name}: {' / '.join(sorted(pinned))} -> {have}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    # the package itself and the installers are not locked
    parser.add_argument("--skip", nargs="*", default=["checkup", "pip", "setuptools", "wheel", "uv"])
    args = parser.parse_args(argv)
    locked, conditional = locked_versions(args.lock.read_text("utf-8"))
    lines = drift(locked, installed_versions(set(args.skip)), frozenset(conditional))
    print("\n".join(lines) if lines else f"every installed package is at the version {args.lock} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
