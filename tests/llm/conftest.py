"""A local Mistral-protocol server for the LLM and adaptation tests (see mistral_server.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mistral_server import MistralServer  # noqa: E402


@pytest.fixture
def mistral_server() -> Iterator[MistralServer]:
    with MistralServer(hang_s=1.5) as server:
        yield server
