"""Fixtures for the EPUB and HTML writer tests: settings, the four shipped profiles, a render context."""

from __future__ import annotations

from pathlib import Path

import pytest
from docfactory import PROFILE_NAMES, MakeContext

from inclusio.config import Settings
from inclusio.model import Document
from inclusio.profiles import Profile, load_profile
from inclusio.writers.base import RenderContext


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def profiles(settings: Settings) -> dict[str, Profile]:
    return {name: load_profile(name, settings.profiles_dir) for name in PROFILE_NAMES}


@pytest.fixture(scope="session")
def make_ctx(settings: Settings) -> MakeContext:
    def make(out_dir: Path, profile: Profile, source: Document) -> RenderContext:
        return RenderContext(
            out_dir=out_dir, basename="cours", profile=profile, settings=settings, source=source
        )

    return make
