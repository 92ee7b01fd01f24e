"""A job run again into the same folder skips the finished stages whose inputs did not change.

This is what a redelivered job does (the worker's next attempt takes the dead attempt's folder
over, see tests/jobs/test_redelivery.py); here ``run_job`` is called twice without any broker.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.model import Document, Paragraph
from inclusio.pipeline import run_job
from inclusio.pipeline.job import JobResult
from inclusio.profiles import load_profile, with_reading

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PROFILES = ROOT / "profiles"
PDF = SAMPLES / "cours-photosynthese-fr.pdf"
DOCX = SAMPLES / "handout-water-cycle-en.docx"
STAGES = ["convert", "analyse", "adapt", "render", "validate", "report"]


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "profiles_dir": PROFILES,
        "validate_epub": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def sha256s(result: JobResult) -> dict[str, str]:
    """The content of every output but the report (which says when it was made)."""
    return {
        a.name: hashlib.sha256(a.path.read_bytes()).hexdigest()
        for a in result.artifacts
        if a.name != "report"
    }


def stages_seen(events: list[tuple[str, float, str]]) -> list[str]:
    stages = [stage for stage, _, _ in events]
    return [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]


@pytest.mark.slow
def test_a_second_run_reuses_every_stage_even_the_validated_and_claimed_epub(tmp_path: Path) -> None:
    # With an organisation set, a valid EPUB gets the conformance claim written into it after
    # validation: the reused EPUB must be that one, and its validation reused with it.
    settings = settings_for(
        tmp_path, validate_epub=True, validate_ace=True, organisation="Université de test"
    )
    profile = load_profile("easy-read", PROFILES)
    out = tmp_path / "out"
    first = run_job(PDF, profile, out, settings=settings, outputs=["epub", "html", "json", "report"])
    assert first.status == "succeeded", first.errors
    assert first.reused == [] and first.report["reused"] == []
    assert first.report["validation"]["ace"]["claim"] is True

    events: list[tuple[str, float, str]] = []
    second = run_job(
        PDF,
        profile,
        out,
        settings=settings,
        outputs=["epub", "html", "json", "report"],
        on_progress=lambda *event: events.append(event),
    )
    assert second.status == "succeeded", second.errors
    assert second.reused == [
        "convert",
        "analyse",
        "adapt",
        "render.epub",
        "render.html",
        "render.json",
        "validate",
    ]
    assert sha256s(second) == sha256s(first)
    assert second.report["validation"] == json.loads(json.dumps(first.report["validation"], default=str))
    assert second.report["readability"]["after"] == json.loads(
        json.dumps(first.report["readability"]["after"])
    )
    assert second.report["stages"]["validate"]["reused"] is True
    # The learner still sees every stage go by, to the end.
    assert stages_seen(events) == STAGES and events[-1][1] == 1.0
    written = json.loads(second.artifact("report").path.read_text(encoding="utf-8"))
    assert written["reused"] == second.reused
    assert written["artifacts"] == first.report["artifacts"]

    # A truncated EPUB (a copy cut short, a disk that filled up) is never reused: the EPUB is
    # written and validated again, everything else is still reused.
    epub = out / first.artifact("epub").path.name
    epub.write_bytes(epub.read_bytes()[:1000])
    third = run_job(PDF, profile, out, settings=settings, outputs=["epub", "html", "json", "report"])
    assert third.status == "succeeded", third.errors
    assert third.reused == ["convert", "analyse", "adapt", "render.html", "render.json"]
    assert (
        third.report["validation"]["epubcheck"]["errors"] == 0 and third.report["validation"]["ace"]["claim"]
    )
    with zipfile.ZipFile(epub) as book:
        assert book.namelist()[0] == "mimetype"
        assert b"Universit" in book.read(next(n for n in book.namelist() if n.endswith(".opf")))


def test_only_the_output_that_was_lost_is_made_again(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    profile = load_profile("dyslexia", PROFILES)
    out = tmp_path / "out"
    first = run_job(DOCX, profile, out, settings=settings, outputs=["html", "json", "brf", "report"])
    assert first.status == "succeeded", first.errors
    before = sha256s(first)

    # A crash between render and validate leaves the HTML half written and the braille file gone.
    html = first.artifact("html").path
    html.write_bytes(html.read_bytes()[: html.stat().st_size // 2])
    first.artifact("brf").path.unlink()
    second = run_job(DOCX, profile, out, settings=settings, outputs=["html", "json", "brf", "report"])
    assert second.status == "succeeded", second.errors
    assert second.reused == ["convert", "analyse", "adapt", "render.json"]
    assert "reused" not in second.report["stages"]["render.html"]
    assert sha256s(second) == before  # same adapted Document in, same files out
    assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_a_changed_profile_or_setting_never_reuses_stale_results(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    out = tmp_path / "out"
    profile = load_profile("dyslexia", PROFILES)
    first = run_job(DOCX, profile, out, settings=settings, outputs=["html", "report"])
    assert first.status == "succeeded", first.errors
    first_html = first.artifact("html").path.read_text(encoding="utf-8")

    # The learner's reading adjustments change the profile: adapt and render run again.
    larger = with_reading(profile, {"font_size_rem": 1.6})
    second = run_job(DOCX, larger, out, settings=settings, outputs=["html", "report"])
    assert second.reused == ["convert", "analyse"]
    assert "1.6rem" in second.artifact("html").path.read_text(encoding="utf-8") and "1.6rem" not in first_html

    # A setting the conversion depends on: nothing is reused.
    third = run_job(
        DOCX, larger, out, settings=settings_for(tmp_path, pdf_tables=False), outputs=["html", "report"]
    )
    assert third.reused == []
    # The quality checks switched off: the analysis and the adaptation are redone without them.
    fourth = run_job(
        DOCX,
        larger,
        out,
        settings=settings_for(tmp_path, pdf_tables=False, quality_checks=False),
        outputs=["html", "report"],
    )
    assert fourth.reused == ["convert"] and "checks_summary" not in fourth.report
    # Another file name gives other output names: nothing of the first file's run is taken.
    fifth = run_job(DOCX, larger, out, settings=settings, outputs=["html", "report"], filename="autre.docx")
    assert fifth.reused == [] and fifth.artifact("html").path.name == "autre.html"
    # Asked not to, run_job records and reuses nothing.
    sixth = run_job(DOCX, larger, tmp_path / "plain", settings=settings, outputs=["html"], reuse=False)
    assert sixth.reused == [] and not (tmp_path / "plain" / ".stages").exists()


def test_an_edited_document_is_adapted_and_rendered_again(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, quality_checks=False)
    profile = load_profile("easy-read", PROFILES)
    first = run_job(PDF, profile, tmp_path / "first", settings=settings, outputs=["json"])
    doc = Document.from_json(first.artifact("json").path.read_text(encoding="utf-8"))
    block = next(b for b in doc.blocks if b.adaptation("easy_read") is not None)

    def reviewed(text: str) -> Document:
        edited = doc.model_copy(deep=True)
        adaptation = edited.find(block.id).adaptation("easy_read")
        adaptation.blocks = [Paragraph(id=f"{block.id}.r1", text=text)]
        adaptation.provenance = adaptation.provenance.model_copy(
            update={
                "engine": "human",
                "reviewed_by": "Mme Martin",
                "reviewed_at": "2026-11-28T13:00:00+00:00",
            }
        )
        return edited

    out = tmp_path / "release"
    once = run_job(
        PDF, profile, out, settings=settings, outputs=["html"], document=reviewed("Première relecture.")
    )
    again = run_job(
        PDF, profile, out, settings=settings, outputs=["html"], document=reviewed("Première relecture.")
    )
    assert again.reused == ["analyse", "adapt", "render.html"] and sha256s(again) == sha256s(once)
    other = run_job(
        PDF, profile, out, settings=settings, outputs=["html"], document=reviewed("Seconde relecture.")
    )
    assert other.reused == []
    html = other.artifact("html").path.read_text(encoding="utf-8")
    assert "Seconde relecture." in html and "Première relecture." not in html


def test_a_damaged_stage_record_is_ignored_and_the_stage_redone(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, quality_checks=False)
    profile = load_profile("blind", PROFILES)
    out = tmp_path / "out"
    first = run_job(DOCX, profile, out, settings=settings, outputs=["json"])
    records = out / ".stages"
    [adapted] = records.glob("adapted-*.json")
    adapted.write_bytes(adapted.read_bytes()[:200])  # the adapted Document cut short
    [converted] = records.glob("convert-*.json")
    converted.write_bytes(b"{")  # the converted Document unreadable
    second = run_job(DOCX, profile, out, settings=settings, outputs=["json"])
    assert second.status == "succeeded", second.errors
    assert second.reused[0] == "analyse" and "convert" not in second.reused and "adapt" not in second.reused
    assert [b.id for b in second.document.blocks] == [b.id for b in first.document.blocks]
    assert Document.from_json(adapted.read_bytes()).blocks  # written whole again
    assert not list(records.glob(".part-*"))
