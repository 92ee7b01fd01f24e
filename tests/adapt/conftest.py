"""The adaptation tests use the local Mistral-protocol server of tests/llm and a hand-made course."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "llm"))

from mistral_server import MistralServer  # noqa: E402


@pytest.fixture
def mistral_server() -> Iterator[MistralServer]:
    with MistralServer(hang_s=1.5) as server:
        yield server
