"""Shared fixtures: where the real-world corpus and the project's own samples live.

The service fixtures (worker processes, PostgreSQL and Redis databases, settings) are in
``tests/service_fixtures.py``, loaded here as a plugin so that tests/api, tests/store, tests/jobs,
tests/cli, tests/privacy and tests/web all have them; ``tests/`` is on ``sys.path`` (pyproject's
``pythonpath``), so helpers import by name: ``from service_helpers import make_settings``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["service_fixtures"]

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
