"""Fixtures for the EPUB and HTML writer tests: settings, the four shipped profiles, a render context."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import inclusio.pipeline  # noqa: F401  # imported before inclusio.writers.base: see the import-cycle note in the report
from inclusio.config import Settings
from inclusio.model import Document
from inclusio.profiles import Profile, load_profile
from inclusio.writers.base import RenderContext

PROFILE_NAMES = ("blind", "dyslexia", "easy-read", "low-vision")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def profiles(settings: Settings) -> dict[str, Profile]:
    return {name: load_profile(name, settings.profiles_dir) for name in PROFILE_NAMES}


MakeContext = Callable[[Path, Profile, Document], RenderContext]


@pytest.fixture(scope="session")
def make_ctx(settings: Settings) -> MakeContext:
    def make(out_dir: Path, profile: Profile, source: Document) -> RenderContext:
        return RenderContext(out_dir=out_dir, basename="cours", profile=profile, settings=settings, source=source)

    return make
