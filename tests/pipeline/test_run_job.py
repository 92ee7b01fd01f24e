"""run_job end to end, without any broker: the same function the CLI and the worker call."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.model import Document, Paragraph
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PROFILES = ROOT / "profiles"


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES, **overrides)


@pytest.mark.slow
def test_french_handout_for_easy_read_gives_every_output(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    profile = load_profile("easy-read", PROFILES)
    seen: list[tuple[str, float]] = []
    result = run_job(
        SAMPLES / "cours-photosynthese-fr.pdf",
        profile,
        tmp_path / "out",
        settings=settings,
        outputs=["epub", "html", "mp3", "report", "json"],
        on_progress=lambda stage, fraction, message: seen.append((stage, fraction)),
    )
    assert result.status == "succeeded", result.errors
    names = {a.name for a in result.artifacts}
    assert {"epub", "html", "mp3", "report", "json"} <= names
    assert any(n.startswith("mp3-") for n in names), "one MP3 per section"
    for artifact in result.artifacts:
        assert artifact.path.is_file() and artifact.path.stat().st_size > 0, artifact

    # Progress goes through every stage in order and never goes back.
    stages = [s for s, _ in seen]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == [
        "convert",
        "analyse",
        "adapt",
        "render",
        "validate",
        "report",
    ]
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0

    report = json.loads(result.artifact("report").path.read_text(encoding="utf-8"))
    assert report["status"] == "succeeded"
    assert report["input"]["lang"] == "fr"
    assert report["validation"]["epubcheck"] == {
        "ran": True,
        "errors": 0,
        "fatals": 0,
        "warnings": report["validation"]["epubcheck"]["warnings"],
    }
    ace = report["validation"]["ace"]
    assert ace["ran"] is True and ace["violations"] == 0 and ace["outcome"] == "pass"
    assert ace["claim"] is False  # no organisation configured: no conformance claim
    before = report["readability"]["before"]["document"]
    after = report["readability"]["after"]["document"]
    # The easy-to-read draft has shorter sentences than the source.
    assert after["words_per_sentence"] < before["words_per_sentence"]
    assert report["stages"]["adapt"]["passes"]["rewrite"]["offline"] > 0
    assert report["stages"]["adapt"]["engine"] == "offline"
    # Quality checks: the draft breaks the sentence-length rule (T1) less often than the source,
    # and every number of the source is still in the draft.
    checks = report["checks_summary"]
    t1_source = sum(checks["rules_source"]["hits_by_rule"]["T1"].values())
    t1_adapted = sum(checks["rules_adapted"]["hits_by_rule"].get("T1", {}).values())
    assert t1_adapted < t1_source
    assert checks["faithfulness"]["blocks_checked"] > 0
    assert checks["faithfulness"]["facts_checked"]["number"] > 0
    assert checks["faithfulness"]["facts_missing"]["number"] == 0

    # The Document JSON keeps the provenance of every adaptation.
    doc = json.loads(result.artifact("json").path.read_text(encoding="utf-8"))
    adaptations = [a for b in doc["blocks"] for a in b.get("adaptations", [])]
    assert adaptations and all(a["provenance"]["engine"] == "offline" for a in adaptations)

    with zipfile.ZipFile(result.artifact("epub").path) as epub:
        assert epub.namelist()[0] == "mimetype"
        package = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode("utf-8")
    # (tests/pipeline/test_samples_epubcheck.py's checks for this sample and profile, made here on the
    # same job: its EPUB passed EPUBCheck above.)
    assert 'xml:lang="fr' in package and result.document and result.document.lang.startswith("fr")
    assert "schema:accessibilitySummary" in package


def test_corrupt_input_fails_with_a_code_and_still_writes_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "cours.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    result = run_job(
        bad,
        load_profile("dyslexia", PROFILES),
        tmp_path / "out",
        settings=settings_for(tmp_path),
        outputs=["epub", "report"],
    )
    assert result.status == "failed"
    assert result.errors[0]["code"] == "input.corrupt"
    assert result.errors[0]["stage"] == "convert"
    assert result.errors[0]["message_fr"]
    report = json.loads((tmp_path / "out" / "cours.report.json").read_text(encoding="utf-8"))
    assert report["status"] == "failed" and report["errors"][0]["code"] == "input.corrupt"
    assert not (tmp_path / "out" / "cours.epub").exists()


def test_empty_input_fails_with_input_empty(tmp_path: Path) -> None:
    empty = tmp_path / "vide.docx"
    empty.write_bytes(b"")
    result = run_job(
        empty,
        load_profile("blind", PROFILES),
        tmp_path / "out",
        settings=settings_for(tmp_path),
        outputs=["json"],
    )
    assert result.status == "failed"
    assert [e["code"] for e in result.errors] == ["input.empty"]


@pytest.mark.slow
def test_a_failing_writer_gives_a_partial_result_with_the_other_outputs(tmp_path: Path) -> None:
    # Voices that espeak-ng does not have (a misconfigured server) make the audio writer fail;
    # the EPUB must still be delivered.
    settings = settings_for(
        tmp_path, speech_voice_en="zz-no-such-voice", speech_voice_fr="zz-no-voice", validate_epub=False
    )
    result = run_job(
        SAMPLES / "handout-water-cycle-en.docx",
        load_profile("blind", PROFILES),
        tmp_path / "out",
        settings=settings,
        outputs=["epub", "mp3", "report"],
    )
    assert result.status == "partial"
    assert [e["stage"] for e in result.errors] == ["render.mp3"]
    assert result.artifact("epub") is not None and result.artifact("epub").path.stat().st_size > 0
    assert result.artifact("report") is not None
    assert result.artifact("mp3") is None
    # The EPUB is delivered without read-along audio, and says why.
    assert any(w["code"] == "epub.read_along_failed" for w in result.warnings)


def test_output_names_come_from_the_users_file_name(tmp_path: Path) -> None:
    result = run_job(
        SAMPLES / "diaporama-cellule-fr.pptx",
        load_profile("dyslexia", PROFILES),
        tmp_path / "out",
        settings=settings_for(tmp_path),
        outputs=["json"],
        filename="../../Cours 3 : la cellule.pptx",
    )
    assert result.status == "succeeded", result.errors
    assert result.artifact("json").path == tmp_path / "out" / "Cours-3-la-cellule.document.json"


def test_unknown_output_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown outputs"):
        run_job(
            SAMPLES / "diaporama-cellule-fr.pptx",
            load_profile("dyslexia", PROFILES),
            tmp_path,
            settings=settings_for(tmp_path),
            outputs=["pdf"],
        )


def test_a_reviewed_document_is_rendered_again_with_the_reviewers_text(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, validate_epub=False, quality_checks=False)
    profile = load_profile("easy-read", PROFILES)
    first = run_job(
        SAMPLES / "cours-photosynthese-fr.pdf",
        profile,
        tmp_path / "first",
        settings=settings,
        outputs=["json"],
    )
    doc = Document.from_json(first.artifact("json").path.read_text(encoding="utf-8"))
    block = next(b for b in doc.blocks if b.adaptation("easy_read") is not None)
    adaptation = block.adaptation("easy_read")
    adaptation.blocks = [Paragraph(id=f"{block.id}.r1", text="Texte relu par une personne.")]
    adaptation.provenance = adaptation.provenance.model_copy(
        update={"engine": "human", "reviewed_by": "Mme Martin", "reviewed_at": "2026-11-28T13:00:00+00:00"}
    )

    second = run_job(
        SAMPLES / "cours-photosynthese-fr.pdf",
        profile,
        tmp_path / "second",
        settings=settings,
        outputs=["json", "html", "report"],
        document=doc,
    )
    assert second.status == "succeeded", second.errors
    assert second.report["input"]["from_document"] is True
    again = Document.from_json(second.artifact("json").path.read_text(encoding="utf-8"))
    kept = again.find(block.id).adaptation("easy_read")
    assert kept.provenance.reviewed_by == "Mme Martin"
    assert [b.plain_text() for b in kept.blocks] == ["Texte relu par une personne."]
    assert "Texte relu par une personne." in second.artifact("html").path.read_text(encoding="utf-8")
    # The blocks nobody reviewed are still adapted by the engine.
    others = [b for b in again.blocks if b.id != block.id and b.adaptation("easy_read") is not None]
    assert others and all(b.adaptation("easy_read").provenance.engine == "offline" for b in others)


def test_the_converted_document_is_cached_by_content_and_reused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, validate_epub=False, quality_checks=False)
    cache = tmp_path / "cache" / "doc.json"
    profile = load_profile("dyslexia", PROFILES)
    first = run_job(
        SAMPLES / "handout-water-cycle-en.docx",
        profile,
        tmp_path / "a",
        settings=settings,
        outputs=["json"],
        document_cache=cache,
    )
    assert cache.is_file() and "from_cache" not in first.report["input"]
    cached = Document.from_json(cache.read_bytes())
    # A second learner's job with another file name reads the cache instead of converting.
    second = run_job(
        SAMPLES / "handout-water-cycle-en.docx",
        load_profile("blind", PROFILES),
        tmp_path / "b",
        settings=settings,
        outputs=["json"],
        document_cache=cache,
        filename="water.docx",
    )
    assert second.report["input"]["from_cache"] is True
    assert [b.id for b in second.document.blocks] == [b.id for b in cached.blocks]
    assert second.document.source.filename == "water.docx"
    assert not list(cache.parent.glob(".part-*"))
