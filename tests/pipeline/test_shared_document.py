"""The converted Document is shared content: no uploader's file name in it; each job gets its own back."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.model import Document
from inclusio.pipeline import run_job
from inclusio.pipeline.job import convert_shared, for_job, neutral_filename, shared_view
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
NO_TITLE = "La photosynthèse transforme la lumière en énergie.\n\nLes plantes utilisent le soleil.\n"


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", validate_epub=False, quality_checks=False)


@pytest.mark.parametrize(
    ("name", "neutral"),
    [
        ("Dossier-MDPH-Alice.md", "document.md"),
        ("C:\\Users\\alice\\Bilan Alice.PDF", "document.pdf"),
        ("alice", "document"),
        ("alice.tar gz", "document"),
        ("alice.é", "document"),
    ],
)
def test_the_neutral_name_keeps_only_a_plain_extension(name: str, neutral: str) -> None:
    assert neutral_filename(name) == neutral


def test_a_converted_document_holds_no_file_name_and_each_job_gets_its_own(tmp_path: Path) -> None:
    source = tmp_path / "upload"
    source.write_text(NO_TITLE, encoding="utf-8")
    settings = _settings(tmp_path)
    shared = convert_shared(source, "Dossier-MDPH-Alice-Martin.md", settings)
    assert shared.source.filename == "document.md" and shared.title is None
    assert "Alice" not in shared.to_json()
    # The same bytes under another name convert to the very same Document: it depends on content only.
    assert convert_shared(source, "cours.md", settings).to_json() == shared.to_json()
    alice, carl = for_job(shared, "Dossier-MDPH-Alice-Martin.md"), for_job(shared, "cours.md")
    assert (alice.title, alice.source.filename) == (
        "Dossier-MDPH-Alice-Martin",
        "Dossier-MDPH-Alice-Martin.md",
    )
    assert (carl.title, carl.source.filename) == ("cours", "cours.md")
    # Back to shared (a reviewed document sent to the model again): the name and the title it gave go.
    assert shared_view(alice).to_json() == shared.to_json()
    assert for_job(for_job(shared, "cours.md"), "cours.md") == carl  # idempotent


def test_a_title_of_the_document_itself_is_kept_for_everyone(tmp_path: Path) -> None:
    source = tmp_path / "upload"
    source.write_text("# La photosynthèse\n\n" + NO_TITLE, encoding="utf-8")
    shared = convert_shared(source, "Dossier-MDPH-Alice.md", _settings(tmp_path))
    assert shared.title == "La photosynthèse"
    assert (
        for_job(shared, "cours.md").title
        == for_job(shared, "Dossier-MDPH-Alice.md").title
        == "La photosynthèse"
    )


def test_a_metadata_title_that_only_repeats_this_uploaders_file_name_gives_way_to_the_first_heading(
    tmp_path: Path,
) -> None:
    source = tmp_path / "upload"
    source.write_text(
        "<html><head><title>bilan-alice</title></head><body><h1>Les fractions</h1>"
        "<p>Une fraction est une partie d'un tout.</p></body></html>",
        encoding="utf-8",
    )
    shared = convert_shared(source, "bilan-alice.html", _settings(tmp_path))
    assert shared.title == "bilan-alice"  # the file's own metadata: content, the same for everyone
    assert for_job(shared, "bilan-alice.html").title == "Les fractions"
    assert for_job(shared, "cours.html").title == "bilan-alice"


def test_run_job_serves_the_cached_document_without_the_first_uploaders_name(tmp_path: Path) -> None:
    source = tmp_path / "upload"
    source.write_text(NO_TITLE, encoding="utf-8")
    settings = _settings(tmp_path)
    cache = tmp_path / "cache" / "doc.json"
    profile = load_profile("dyslexia", settings.profiles_dir)
    first = run_job(
        source,
        profile,
        tmp_path / "alice",
        settings=settings,
        outputs=["html", "json", "report"],
        filename="Dossier-MDPH-Alice-Martin.md",
        document_cache=cache,
    )
    second = run_job(
        source,
        profile,
        tmp_path / "carl",
        settings=settings,
        outputs=["html", "json", "report"],
        filename="cours.md",
        document_cache=cache,
    )
    assert first.status == second.status == "succeeded" and second.report["input"]["from_cache"] is True
    assert "Alice" not in cache.read_text(encoding="utf-8")
    assert Document.from_json(cache.read_bytes()).source.filename == "document.md"
    for artifact in second.artifacts:
        assert b"Alice" not in artifact.path.read_bytes(), artifact.name
    assert "Dossier-MDPH-Alice-Martin" in first.artifact("html").path.read_text(encoding="utf-8")
    # Alice's own stage records: the adapted Document is recorded as shared content too.
    adapted = list((tmp_path / "alice" / ".stages").glob("adapted-*.json"))
    assert adapted and not [p for p in adapted if b"Alice" in p.read_bytes()]
    assert (
        second.report["input"]["title"] == "cours"
        and first.report["input"]["title"] == "Dossier-MDPH-Alice-Martin"
    )
