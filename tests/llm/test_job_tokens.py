"""A job's LLM tokens: what the model server counted (its ``usage``), through the real SDK to the job's result."""

from __future__ import annotations

import json
from pathlib import Path

from mistral_server import MistralServer

from inclusio.config import Settings
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
PDF = ROOT / "samples" / "cours-photosynthese-fr.pdf"


def _settings(tmp_path: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "profiles_dir": PROFILES,
        "validate_epub": False,
        "quality_checks": False,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


def _mistral(server: MistralServer, tmp_path: Path) -> Settings:
    return _settings(
        tmp_path, engine="mistral", mistral_server_url=server.url, mistral_api_key="test-key", llm_timeout_s=5
    )


def test_a_jobs_tokens_are_the_servers_usage_and_cached_answers_cost_none(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _mistral(mistral_server, tmp_path)
    profile = load_profile("easy-read", PROFILES)
    first = run_job(PDF, profile, tmp_path / "a", settings=settings, outputs=["json", "report"])
    assert first.status == "succeeded", first.errors
    billed = mistral_server.tokens_billed()
    calls = len(mistral_server.calls())
    assert calls > 1 and billed > 0
    assert first.llm_tokens == billed
    stats = first.report["stages"]["adapt"]["llm"]
    assert stats["prompt_tokens"] + stats["completion_tokens"] == billed
    written = json.loads(first.artifact("report").path.read_text(encoding="utf-8"))
    assert written["llm_tokens"] == billed

    # Another learner's job on the same document and settings: every answer comes from the cache.
    second = run_job(PDF, profile, tmp_path / "b", settings=settings, outputs=["json", "report"])
    assert second.status == "succeeded", second.errors
    assert len(mistral_server.calls()) == calls and mistral_server.tokens_billed() == billed
    assert second.llm_tokens == 0 and second.report["llm_tokens"] == 0
    assert second.report["stages"]["adapt"]["llm"]["cache_hits"] > 0

    # The first job run again into its own folder (a redelivery): the adapt stage is reused and
    # carries the tokens it cost, which the attempt that spent them could not record.
    third = run_job(PDF, profile, tmp_path / "a", settings=settings, outputs=["json", "report"])
    assert "adapt" in third.reused and third.llm_tokens == billed
    assert len(mistral_server.calls()) == calls


def test_the_offline_engine_costs_no_token(tmp_path: Path) -> None:
    result = run_job(
        PDF,
        load_profile("easy-read", PROFILES),
        tmp_path / "out",
        settings=_settings(tmp_path),
        outputs=["json"],
    )
    assert result.status == "succeeded", result.errors
    assert result.llm_tokens == 0 and result.report["llm_tokens"] == 0
