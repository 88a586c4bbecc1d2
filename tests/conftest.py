"""Fixtures shared by the test modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checkup import paths


@pytest.fixture(scope="session")
def example_data() -> Path:
    """The example city shipped in data/ (read only)."""
    return paths.DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the example data that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target
