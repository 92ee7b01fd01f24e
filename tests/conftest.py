"""Shared fixtures: where the real-world corpus and the project's own samples live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus`` next to the repository (read-only real documents; see its README)."""
    path = (REPO_ROOT / ".." / "shared" / "corpus").resolve()
    assert path.is_dir(), f"corpus not found at {path}"
    return path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The project's own small sample documents (``samples/``)."""
    return REPO_ROOT / "samples"
